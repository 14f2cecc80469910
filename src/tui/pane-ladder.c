/* The ladder view (sngrep's call flow): one column per client and per
 * server, an arrow per command and per reply, labelled; several connections
 * are several pairs of columns. It takes the Conversation pane's place. */
#include "core/facteur-i18n.h"
#include "tui/tui-list.h"
#include "tui/tui-pane.h"
#include "tui/tui-text.h"

#include <string.h>

typedef struct {
	TuiEventPane base;  /* events, lines, what they were built from */
	GPtrArray *columns; /* char* endpoint "ip:port" */
	GPtrArray *labels;  /* char* column label */
} PaneLadder;

static gboolean
arrow_kind(const TraceEvent *ev)
{
	switch (ev->kind) {
	case TRACE_KIND_COMMAND:
	case TRACE_KIND_UNTAGGED:
	case TRACE_KIND_CONTINUATION:
	case TRACE_KIND_CONNECTION:
	case TRACE_KIND_TLS:
		return TRUE;
	case TRACE_KIND_REPLY:
		return TRUE; /* one arrow per reply: rebuild() keeps its first line */
	default:
		return FALSE;
	}
}

static int
column_of(PaneLadder *p, const char *endpoint)
{
	for (guint i = 0; i < p->columns->len; i++) {
		if (g_strcmp0(p->columns->pdata[i], endpoint) == 0)
			return (int)i;
	}
	return -1;
}

static const char *
port_of(const char *endpoint)
{
	const char *c = endpoint != NULL ? strrchr(endpoint, ':') : NULL;
	return c != NULL ? c + 1 : "?";
}

static void
find_columns(PaneLadder *p)
{
	g_ptr_array_set_size(p->columns, 0);
	g_ptr_array_set_size(p->labels, 0);
	for (guint i = 0; i < tui_events_count(p->base.events); i++) {
		const TraceEvent *ev = tui_events_get(p->base.events, i);
		if (ev->client == NULL || ev->server == NULL || ev->kind == TRACE_KIND_PACKET)
			continue;
		if (column_of(p, ev->client) < 0) {
			g_ptr_array_add(p->columns, g_strdup(ev->client));
			g_ptr_array_add(p->labels,
			                g_strdup_printf("c%u :%s", ev->conn, port_of(ev->client)));
		}
		if (column_of(p, ev->server) < 0) {
			g_ptr_array_add(p->columns, g_strdup(ev->server));
			const char *proto =
			    ev->proto != TRACE_PROTO_NONE ? trace_proto_name(ev->proto) : "tcp";
			g_autofree char *up = g_ascii_strup(proto, -1);
			g_ptr_array_add(p->labels,
			                g_strdup_printf("%s :%s", up, port_of(ev->server)));
		}
	}
}

static int
column_x(int n, int width, int i)
{
	if (n <= 1)
		return width / 2;
	int margin = MIN(10, width / (2 * n));
	return margin + i * (width - 1 - 2 * margin) / (n - 1);
}

/* A row as cells (one UTF-8 character each, "" after a wide one) and styles. */
typedef struct {
	char **cells;
	TuiStyle *styles;
	int w;
} Row;

static void
row_init(Row *r, int w)
{
	r->w = w;
	r->cells = g_new0(char *, w);
	r->styles = g_new0(TuiStyle, w);
	for (int i = 0; i < w; i++) {
		r->cells[i] = g_strdup(" ");
		r->styles[i] = TUI_STYLE_TEXT;
	}
}

static void
row_put(Row *r, int x, const char *ch, TuiStyle style)
{
	if (x < 0 || x >= r->w)
		return;
	g_free(r->cells[x]);
	r->cells[x] = g_strdup(ch);
	r->styles[x] = style;
}

static void
row_text(Row *r, int x, int maxw, const char *text, TuiStyle style)
{
	for (const char *s = text; *s != '\0' && maxw > 0;) {
		const char *next = g_utf8_next_char(s);
		g_autofree char *ch = g_strndup(s, next - s);
		int cw = tui_text_width(ch);
		if (cw > maxw || x + cw > r->w)
			break;
		row_put(r, x, ch, style);
		if (cw == 2)
			row_put(r, x + 1, "", style);
		x += cw;
		maxw -= cw;
		s = next;
	}
}

static TuiLine *
row_to_line(Row *r, gpointer data)
{
	TuiLine *line = tui_line_new(0);
	line->data = data;
	GString *s = g_string_new(NULL);
	TuiStyle cur = r->styles[0];
	for (int i = 0; i < r->w; i++) {
		if (r->styles[i] != cur && s->len > 0) {
			tui_line_add(line, cur, s->str);
			g_string_truncate(s, 0);
		}
		cur = r->styles[i];
		g_string_append(s, r->cells[i]);
	}
	if (s->len > 0)
		tui_line_add(line, cur, s->str);
	g_string_free(s, TRUE);
	for (int i = 0; i < r->w; i++)
		g_free(r->cells[i]);
	g_free(r->cells);
	g_free(r->styles);
	return line;
}

static void
lifelines(PaneLadder *p, Row *r, int width)
{
	int n = (int)p->columns->len;
	for (int i = 0; i < n; i++)
		row_put(r, column_x(n, width, i), "│", TUI_STYLE_DIM);
}

static char *
arrow_label(const TraceEvent *ev)
{
	if (ev->kind == TRACE_KIND_CONNECTION)
		return g_strdup(g_strcmp0(ev->name, "close") == 0 ? "FIN" : "SYN");
	if (ev->kind == TRACE_KIND_TLS)
		return g_strdup("TLS");
	return tui_event_text(ev);
}

static void
rebuild(PaneLadder *p, int width)
{
	find_columns(p);
	GPtrArray *lines = tui_lines_new();
	int n = (int)p->columns->len;
	/* Per connection, the command whose reply already has its arrow. */
	g_autoptr(GHashTable) answered = g_hash_table_new(NULL, NULL);
	for (guint i = 0; i < tui_events_count(p->base.events); i++) {
		const TraceEvent *ev = tui_events_get(p->base.events, i);
		if (!arrow_kind(ev) || ev->client == NULL || ev->server == NULL)
			continue;
		if (ev->kind == TRACE_KIND_REPLY && ev->pair != 0) {
			gpointer key = GUINT_TO_POINTER(ev->conn);
			guint64 *last = g_hash_table_lookup(answered, key);
			if (last != NULL && *last == ev->pair)
				continue;
			g_hash_table_insert(answered, key, (gpointer)&ev->pair);
		}
		int a = column_of(p, ev->client), b = column_of(p, ev->server);
		if (a < 0 || b < 0)
			continue;
		gboolean c2s = ev->dir == TRACE_DIR_C2S;
		int from = column_x(n, width, c2s ? a : b), to = column_x(n, width, c2s ? b : a);
		int lo = MIN(from, to), hi = MAX(from, to);
		TuiStyle st = ev->kind == TRACE_KIND_CONNECTION || ev->kind == TRACE_KIND_TLS
		                  ? TUI_STYLE_DIM
		                  : (c2s ? TUI_STYLE_CLIENT : TUI_STYLE_SERVER);
		if (tui_events_is_newest(p->base.events, ev))
			st = c2s ? TUI_STYLE_CLIENT : TUI_STYLE_OK;
		Row row;
		row_init(&row, width);
		lifelines(p, &row, width);
		for (int x = lo + 1; x < hi; x++)
			row_put(&row, x, "─", st);
		if (to > from)
			row_put(&row, hi - 1, "▶", st);
		else
			row_put(&row, lo + 1, "◀", st);
		g_autofree char *label = arrow_label(ev);
		int room = hi - lo - 5;
		if (room > 0) {
			int lw = MIN(tui_text_width(label), room);
			int lx = lo + 1 + (hi - lo - 1 - lw) / 2;
			row_text(&row, lx - 1, 1, " ", st);
			row_text(&row, lx, room, label, st);
			row_text(&row, lx + lw, 1, " ", st);
		}
		g_ptr_array_add(lines, row_to_line(&row, (gpointer)ev));
	}
	if (lines->len == 0) {
		TuiLine *l = tui_line_new(1);
		tui_line_add(l, TUI_STYLE_DIM, _("No command or reply yet."));
		g_ptr_array_add(lines, l);
	}
	tui_list_set_lines(&p->base.list, lines);
	tui_event_pane_built(&p->base, width);
}

static void
draw(TuiPane *pane, Tui *tui, const TuiRect *r, gboolean focused)
{
	(void)tui;
	PaneLadder *p = (PaneLadder *)pane;
	TuiRect in = tui_rect_inner(r);
	if (tui_event_pane_stale(&p->base, in.w))
		rebuild(p, in.w);
	guint nc = tui_events_n_connections(p->base.events);
	g_autofree char *right =
	    g_strdup_printf(ngettext("%u connection", "%u connections", nc), nc);
	tui_draw_box(r, _(pane->klass->name), right, focused);
	if (in.h < 3)
		return;
	/* Column heads stay in place while the arrows scroll. */
	int n = (int)p->columns->len;
	for (int i = 0; i < n; i++) {
		const char *label = p->labels->pdata[i];
		int lw = tui_text_width(label);
		int x = column_x(n, in.w, i) - lw / 2;
		x = CLAMP(x, 0, MAX(0, in.w - lw));
		tui_draw_text(in.y, in.x + x, in.w - x, label, TUI_STYLE_BOLD);
		tui_draw_text(in.y + 1, in.x + column_x(n, in.w, i), 1, "┬", TUI_STYLE_DIM);
	}
	TuiRect list = {in.x, in.y + 2, in.w, in.h - 2};
	tui_list_draw(&p->base.list, &list, focused);
}

static void
pane_free(TuiPane *pane)
{
	PaneLadder *p = (PaneLadder *)pane;
	tui_event_pane_clear(&p->base);
	g_ptr_array_unref(p->columns);
	g_ptr_array_unref(p->labels);
	g_free(p);
}

static const TuiPaneClass pane_ladder_class = {
    .name = N_("Ladder"),
    .draw = draw,
    .key = tui_event_pane_key,
    .selected = tui_event_pane_selected,
    .search = tui_event_pane_search,
    .free = pane_free,
};

TuiPane *
pane_ladder_new(const TuiEvents *events)
{
	PaneLadder *p = g_new0(PaneLadder, 1);
	tui_event_pane_init(&p->base, &pane_ladder_class, events);
	p->columns = g_ptr_array_new_with_free_func(g_free);
	p->labels = g_ptr_array_new_with_free_func(g_free);
	return &p->base.base;
}
