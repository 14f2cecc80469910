/* The Conversation pane: client and server lines in their colours, each
 * followed by the tracer's explanation; the newest lines marked; a reply tied
 * to its command (the command it answers named beside it, both highlighted
 * together under the cursor). */
#include "core/facteur-i18n.h"
#include "tui/tui-list.h"
#include "tui/tui-pane.h"
#include "tui/tui-text.h"

typedef struct {
	TuiEventPane base; /* events, lines, what they were built from */
} PaneConversation;

static TuiStyle
event_style(const TraceEvent *ev)
{
	switch (ev->kind) {
	case TRACE_KIND_STATE:
		return TUI_STYLE_STATE;
	case TRACE_KIND_NOTE:
	case TRACE_KIND_TLS:
		return TUI_STYLE_NOTE;
	case TRACE_KIND_CONNECTION:
		return TUI_STYLE_DIM;
	default:
		return ev->dir == TRACE_DIR_C2S ? TUI_STYLE_CLIENT : TUI_STYLE_SERVER;
	}
}

static gboolean
shown(const TraceEvent *ev)
{
	return ev->kind != TRACE_KIND_PACKET;
}

/* "C:" and "S:" as students write dialogues in class. */
static const char *
dir_mark(const TraceEvent *ev)
{
	if (ev->kind == TRACE_KIND_STATE || ev->kind == TRACE_KIND_NOTE ||
	    ev->kind == TRACE_KIND_CONNECTION || ev->kind == TRACE_KIND_TLS)
		return "  ";
	return ev->dir == TRACE_DIR_C2S ? "C:" : "S:";
}

/* Whether ev is the first line of its reply (the tie is drawn once). */
static gboolean
first_of_reply(const TuiEvents *e, guint index, const TraceEvent *ev)
{
	for (guint i = index; i-- > 0;) {
		const TraceEvent *prev = tui_events_get(e, i);
		if (prev->conn != ev->conn || prev->kind == TRACE_KIND_PACKET)
			continue;
		return !(prev->pair == ev->pair && prev->dir == ev->dir);
	}
	return TRUE;
}

void pane_conversation_add_event(GPtrArray *lines, const TuiEvents *e, guint index, int width,
                                 gboolean conn_labels);

void
pane_conversation_add_event(GPtrArray *lines, const TuiEvents *e, guint index, int width,
                            gboolean conn_labels)
{
	const TraceEvent *ev = tui_events_get(e, index);
	gboolean newest = tui_events_is_newest(e, ev);
	g_autoptr(TuiLine) head = tui_line_new(0);
	head->data = (gpointer)ev;
	tui_line_add(head, newest ? TUI_STYLE_OK : TUI_STYLE_DIM, newest ? "▌" : " ");
	if (conn_labels && ev->conn > 0)
		tui_line_addf(head, TUI_STYLE_DIM, "c%u ", ev->conn);
	tui_line_add(head, event_style(ev), dir_mark(ev));
	tui_line_add(head, TUI_STYLE_TEXT, " ");
	int depth = (int)MIN(ev->depth, 6u);
	for (int i = 0; i < depth; i++)
		tui_line_add(head, TUI_STYLE_DIM, "  ");
	g_autofree char *text = tui_event_text(ev);
	tui_line_add(head, newest ? TUI_STYLE_BOLD : event_style(ev), text);
	if (newest) /* the whole line in the direction's colour, bold */
		g_array_index(head->spans, TuiSpan, head->spans->len - 1).style = event_style(ev);
	if ((ev->kind == TRACE_KIND_REPLY || ev->kind == TRACE_KIND_CONTINUATION) &&
	    ev->pair != 0 && first_of_reply(e, index, ev)) {
		const TraceEvent *cmd = tui_events_find(e, ev->pair);
		if (cmd != NULL) {
			g_autofree char *ct = tui_event_text(cmd);
			g_autofree char *cut = g_strndup(ct, tui_text_fit(ct, 24));
			tui_line_addf(head, TUI_STYLE_DIM, "  ↩ %s", cut);
		}
	}
	if (ev->decoded != NULL && ev->kind != TRACE_KIND_HEADER)
		tui_line_addf(head, TUI_STYLE_NOTE, "  = %s", ev->decoded);
	else if (ev->decoded != NULL && g_strcmp0(ev->decoded, ev->value) != 0)
		tui_line_addf(head, TUI_STYLE_NOTE, "  = %s", ev->decoded);
	int indent = tui_line_width(head) - tui_text_width(text);
	tui_lines_wrap_line(lines, head, width, MAX(4, MIN(indent, width / 3)));

	for (guint i = 0; i < ev->n_explain; i++) {
		g_autoptr(TuiLine) ex = tui_line_new(6 + depth * 2);
		ex->data = (gpointer)ev;
		tui_line_add(ex, TUI_STYLE_DIM, "↳ ");
		tui_line_add(ex, TUI_STYLE_TEXT, ev->explain[i].text);
		if (ev->explain[i].rfc != NULL) {
			/* No-break spaces: "(RFC 1939 §5)" is never cut across lines. */
			g_auto(GStrv) words = g_strsplit(ev->explain[i].rfc, " ", -1);
			g_autofree char *rfc = g_strjoinv("\u00a0", words);
			tui_line_addf(ex, TUI_STYLE_RFC, " (%s)", rfc);
		}
		tui_lines_wrap_line(lines, ex, width, 8 + depth * 2);
	}
}

static void
rebuild(PaneConversation *p, int width)
{
	GPtrArray *lines = tui_lines_new();
	gboolean labels = tui_events_n_connections(p->base.events) > 1;
	for (guint i = 0; i < tui_events_count(p->base.events); i++) {
		if (shown(tui_events_get(p->base.events, i)))
			pane_conversation_add_event(lines, p->base.events, i, width, labels);
	}
	if (lines->len == 0) {
		TuiLine *l = tui_line_new(1);
		tui_line_add(l, TUI_STYLE_DIM, _("Nothing on the wire yet."));
		g_ptr_array_add(lines, l);
	}
	tui_list_set_lines(&p->base.list, lines);
	tui_event_pane_built(&p->base, width);
}

static gboolean
related(const TuiLine *line, gpointer sel)
{
	return sel != NULL && line->data != NULL && tui_events_related(sel, line->data);
}

static void
draw(TuiPane *pane, Tui *tui, const TuiRect *r, gboolean focused)
{
	(void)tui;
	PaneConversation *p = (PaneConversation *)pane;
	TuiRect in = tui_rect_inner(r);
	if (tui_event_pane_stale(&p->base, in.w))
		rebuild(p, in.w);
	guint n = tui_events_count(p->base.events);
	g_autofree char *right = g_strdup_printf(ngettext("%u event", "%u events", n), n);
	tui_draw_box(r, _(pane->klass->name), right, focused);
	p->base.list.height = in.h;
	tui_list_reveal(&p->base.list, in.h);
	gpointer sel = tui_list_selected(&p->base.list);
	/* Mark the lines of the selected event and of its command or reply. */
	for (guint i = 0; i < p->base.list.lines->len; i++) {
		TuiLine *line = p->base.list.lines->pdata[i];
		line->highlight = focused && related(line, sel);
	}
	tui_list_draw(&p->base.list, &in, focused);
}

static void
pane_free(TuiPane *pane)
{
	PaneConversation *p = (PaneConversation *)pane;
	tui_event_pane_clear(&p->base);
	g_free(p);
}

static const TuiPaneClass pane_conversation_class = {
    .name = N_("Conversation"),
    .draw = draw,
    .key = tui_event_pane_key,
    .selected = tui_event_pane_selected,
    .search = tui_event_pane_search,
    .free = pane_free,
};

TuiPane *
pane_conversation_new(const TuiEvents *events)
{
	PaneConversation *p = g_new0(PaneConversation, 1);
	tui_event_pane_init(&p->base, &pane_conversation_class, events);
	return &p->base.base;
}
