/* The Packets pane: the tracer's TCP segments (time since the first, the
 * direction, ports, flags, payload length, summary), and whether they come
 * from libpcap or the in-process tap. */
#include "core/facteur-i18n.h"
#include "tui/tui-list.h"
#include "tui/tui-pane.h"

typedef struct {
	TuiEventPane base; /* events, lines, what they were built from */
} PanePackets;

static void
flags_text(guint8 f, char *buf, gsize size)
{
	static const struct {
		guint8 bit;
		const char *name;
	} names[] = {{TRACE_TCP_SYN, "SYN"},
	             {TRACE_TCP_FIN, "FIN"},
	             {TRACE_TCP_RST, "RST"},
	             {TRACE_TCP_PSH, "PSH"},
	             {TRACE_TCP_ACK, "ACK"}};
	buf[0] = '\0';
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		if (f & names[i].bit) {
			if (buf[0] != '\0')
				g_strlcat(buf, " ", size);
			g_strlcat(buf, names[i].name, size);
		}
	}
}

static void
rebuild(PanePackets *p)
{
	GPtrArray *lines = tui_lines_new();
	gint64 t0 = -1;
	for (guint i = 0; i < tui_events_count(p->base.events); i++) {
		const TraceEvent *ev = tui_events_get(p->base.events, i);
		if (ev->kind != TRACE_KIND_PACKET)
			continue;
		if (t0 < 0)
			t0 = ev->ts_us;
		gint64 dt = ev->ts_us - t0;
		char flags[32];
		flags_text(ev->tcp_flags, flags, sizeof flags);
		gint64 len = ev->size >= 0 ? ev->size : (gint64)ev->raw_len;
		gboolean c2s = ev->dir == TRACE_DIR_C2S;
		TuiLine *l = tui_line_new(0);
		l->data = (gpointer)ev;
		l->highlight = FALSE;
		tui_line_addf(l, TUI_STYLE_DIM, "%3" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " ",
		              dt / 1000000, dt % 1000000);
		tui_line_addf(l, c2s ? TUI_STYLE_CLIENT : TUI_STYLE_SERVER, "%s %5u → %-5u ",
		              c2s ? "C→S" : "S→C", ev->src_port, ev->dst_port);
		tui_line_addf(l, TUI_STYLE_BOLD, "%-15s ", flags);
		tui_line_addf(l, TUI_STYLE_TEXT, "%5" G_GINT64_FORMAT " ", len);
		if (ev->summary != NULL)
			tui_line_add(l, TUI_STYLE_DIM, ev->summary);
		g_ptr_array_add(lines, l);
	}
	if (lines->len == 0) {
		TuiLine *l = tui_line_new(1);
		if (g_strcmp0(p->base.events->capture_name, "tap") == 0)
			tui_line_add(
			    l, TUI_STYLE_DIM,
			    _("Capture by the in-process tap: it sees the octets each "
			      "server reads and writes, not the TCP segments, so there are "
			      "no packets to list."));
		else
			tui_line_add(l, TUI_STYLE_DIM, _("No packet yet."));
		g_ptr_array_add(lines, l);
		if (p->base.events->capture_note != NULL) {
			TuiLine *n = tui_line_new(1);
			tui_line_add(n, TUI_STYLE_NOTE, p->base.events->capture_note);
			g_ptr_array_add(lines, n);
		}
	}
	tui_list_set_lines(&p->base.list, lines);
	tui_event_pane_built(&p->base, -1);
}

static void
draw(TuiPane *pane, Tui *tui, const TuiRect *r, gboolean focused)
{
	(void)tui;
	PanePackets *p = (PanePackets *)pane;
	TuiRect in = tui_rect_inner(r);
	if (tui_event_pane_stale(&p->base, -1))
		rebuild(p);
	g_autofree char *right = g_strdup_printf(
	    _("capture: %s"),
	    p->base.events->capture_name != NULL ? p->base.events->capture_name : "—");
	tui_draw_box(r, _(pane->klass->name), right, focused);
	/* Long notes wrap; packet lines are cut at the border. */
	if (p->base.list.lines->len > 0 &&
	    ((TuiLine *)p->base.list.lines->pdata[0])->data == NULL) {
		GPtrArray *wrapped = tui_lines_new();
		for (guint i = 0; i < p->base.list.lines->len; i++)
			tui_lines_wrap_line(wrapped, p->base.list.lines->pdata[i], in.w, 1);
		TuiList tmp;
		tui_list_init(&tmp, FALSE, FALSE);
		tui_list_set_lines(&tmp, wrapped);
		tui_list_draw(&tmp, &in, FALSE);
		tui_list_clear(&tmp);
		return;
	}
	tui_list_draw(&p->base.list, &in, focused);
}

static void
pane_free(TuiPane *pane)
{
	PanePackets *p = (PanePackets *)pane;
	tui_event_pane_clear(&p->base);
	g_free(p);
}

static const TuiPaneClass pane_packets_class = {
    .name = N_("Packets"),
    .draw = draw,
    .key = tui_event_pane_key,
    .selected = tui_event_pane_selected,
    .search = tui_event_pane_search,
    .free = pane_free,
};

TuiPane *
pane_packets_new(const TuiEvents *events)
{
	PanePackets *p = g_new0(PanePackets, 1);
	tui_event_pane_init(&p->base, &pane_packets_class, events);
	return &p->base.base;
}
