/* The detail view of one event: what it is, every explanation with its RFC
 * section, the fields the tracer decoded, the raw bytes with CR and LF made
 * visible (and in hexadecimal), the command it answers or the replies it
 * got, and the MIME part tree of the message it belongs to. */
#include "core/facteur-i18n.h"
#include "tui/tui-list.h"
#include "tui/tui-screens.h"
#include "tui/tui-text.h"

#include <inttypes.h>

typedef struct {
	TuiScreen base;
	const TuiEvents *events; /* borrowed from the screen below */
	guint64 id;
	TuiList list;
	int width;
	char *lang;
} Detail;

static void
add(GPtrArray *lines, int width, int indent, TuiStyle style, const char *text)
{
	TuiSpan span = {(char *)(text != NULL ? text : ""), style};
	tui_lines_wrap(lines, &span, 1, width, indent, indent, NULL);
}

static void
heading(GPtrArray *lines, const char *text)
{
	g_ptr_array_add(lines, tui_line_new(0));
	TuiLine *l = tui_line_new(0);
	tui_line_add(l, TUI_STYLE_HEADING, text);
	g_ptr_array_add(lines, l);
}

static void
field(GPtrArray *lines, int width, const char *name, const char *value)
{
	if (value == NULL)
		return;
	g_autoptr(TuiLine) l = tui_line_new(2);
	/* Padded by characters, not octets: the French names have accents. */
	glong n = g_utf8_strlen(name, -1);
	tui_line_addf(l, TUI_STYLE_DIM, "%s%*s ", name, (int)MAX(0, 12 - n), "");
	tui_line_add(l, TUI_STYLE_TEXT, value);
	tui_lines_wrap_line(lines, l, width, 15);
}

static void
hexdump(GPtrArray *lines, const guint8 *raw, gsize len)
{
	/* The CRLF the tracer took off the line is shown at the end, as sent. */
	g_autofree guint8 *all = g_malloc(len + 2);
	memcpy(all, raw, len);
	all[len] = '\r';
	all[len + 1] = '\n';
	len += 2;
	for (gsize off = 0; off < len && off < 4096; off += 16) {
		GString *s = g_string_new(NULL);
		g_string_append_printf(s, "%04zx  ", off);
		for (gsize i = 0; i < 16; i++) {
			if (off + i < len)
				g_string_append_printf(s, "%02x ", all[off + i]);
			else
				g_string_append(s, "   ");
		}
		g_string_append_c(s, ' ');
		for (gsize i = 0; i < 16 && off + i < len; i++) {
			guint8 c = all[off + i];
			g_string_append_c(s, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		TuiLine *l = tui_line_new(2);
		tui_line_add(l, TUI_STYLE_CODE, s->str);
		g_string_free(s, TRUE);
		g_ptr_array_add(lines, l);
	}
}

/* The message ev belongs to: from the command before it on its connection
 * to the reply after; its MIME parts as a tree. */
static void
mime_tree(GPtrArray *lines, int width, const TuiEvents *e, const TraceEvent *ev)
{
	guint at = tui_events_index(e, ev);
	if (at == G_MAXUINT)
		return;
	guint n = e->events->len;
	guint start = at, end = at;
	while (start > 0) {
		const TraceEvent *p = tui_events_get(e, start - 1);
		if (p->conn == ev->conn &&
		    (p->kind == TRACE_KIND_REPLY || p->kind == TRACE_KIND_COMMAND) &&
		    start - 1 != at)
			break;
		start--;
	}
	while (end + 1 < n) {
		const TraceEvent *p = tui_events_get(e, end + 1);
		if (p->conn == ev->conn &&
		    (p->kind == TRACE_KIND_REPLY || p->kind == TRACE_KIND_COMMAND))
			break;
		end++;
	}
	gboolean any = FALSE;
	for (guint i = start; i <= end; i++) {
		const TraceEvent *p = tui_events_get(e, i);
		if (p->conn != ev->conn || p->kind != TRACE_KIND_MIME || p->mime != TRACE_MIME_PART)
			continue;
		if (!any)
			heading(lines, _("MIME structure of the message"));
		any = TRUE;
		g_autoptr(TuiLine) l = tui_line_new(2 + 2 * (int)MIN(p->depth, 8u));
		tui_line_add(l, TUI_STYLE_DIM, p->depth > 0 ? "└─ " : "");
		tui_line_addf(l, TUI_STYLE_BOLD, "%s ",
		              p->part != NULL && *p->part != '\0' ? p->part : _("message"));
		tui_line_add(l, TUI_STYLE_CODE, p->value != NULL ? p->value : "?");
		if (p->size >= 0)
			tui_line_addf(l, TUI_STYLE_DIM, "  %" G_GINT64_FORMAT " %s", p->size,
			              _("octets"));
		if (p->decoded_size >= 0)
			tui_line_addf(l, TUI_STYLE_DIM, _(" (%" PRId64 " decoded)"),
			              p->decoded_size);
		tui_lines_wrap_line(lines, l, width, l->indent + 4);
	}
}

static void
rebuild(Detail *d, int width)
{
	GPtrArray *lines = tui_lines_new();
	const TuiEvents *e = d->events;
	/* Found again by id: a replay (language switch) replaces the events. */
	const TraceEvent *ev = tui_events_find(e, d->id);
	if (ev == NULL) {
		add(lines, width, 0, TUI_STYLE_DIM, _("This event is no longer in the list."));
		tui_list_set_lines(&d->list, lines);
		d->width = width;
		return;
	}
	g_autofree char *text = tui_event_text(ev);
	TuiStyle st = ev->dir == TRACE_DIR_C2S ? TUI_STYLE_CLIENT : TUI_STYLE_SERVER;
	add(lines, width, 0, st, text);
	g_autofree char *what = g_strdup_printf(
	    "%s · %s · %s · c%u", trace_proto_name(ev->proto),
	    trace_event_label(trace_kind_name(ev->kind)),
	    ev->dir == TRACE_DIR_C2S ? _("client → server") : _("server → client"), ev->conn);
	add(lines, width, 0, TUI_STYLE_DIM, what);

	heading(lines, _("Explanation"));
	if (ev->n_explain == 0)
		add(lines, width, 2, TUI_STYLE_DIM,
		    _("The tracer has nothing to add about this line."));
	for (guint i = 0; i < ev->n_explain; i++) {
		g_autoptr(TuiLine) l = tui_line_new(2);
		tui_line_add(l, TUI_STYLE_TEXT, ev->explain[i].text);
		if (ev->explain[i].rfc != NULL)
			tui_line_addf(l, TUI_STYLE_RFC, " — %s", ev->explain[i].rfc);
		tui_lines_wrap_line(lines, l, width, 2);
	}

	heading(lines, _("What the tracer read"));
	field(lines, width, _("tag"), ev->tag);
	field(lines, width, _("command"), ev->verb);
	field(lines, width, _("arguments"), ev->args);
	field(lines, width, _("status"), ev->status);
	field(lines, width, _("enhanced"), ev->enhanced);
	field(lines, width, _("code"), ev->code);
	field(lines, width, _("text"), ev->text);
	field(lines, width, _("name"), ev->name);
	field(lines, width, _("value"), ev->value);
	field(lines, width, _("decoded"), ev->decoded);
	field(lines, width, _("parameter of"), ev->param_of);
	field(lines, width, _("MIME part"), ev->part);
	field(lines, width, _("client"), ev->client);
	field(lines, width, _("server"), ev->server);
	if (ev->size >= 0) {
		g_autofree char *sz = g_strdup_printf("%" G_GINT64_FORMAT, ev->size);
		field(lines, width, _("octets"), sz);
	}
	if (ev->elapsed_us >= 0) {
		g_autofree char *el = g_strdup_printf(_("%.3f ms after its command"),
		                                      (double)ev->elapsed_us / 1000.0);
		field(lines, width, _("time"), el);
	}

	if (ev->pair != 0) {
		const TraceEvent *cmd = tui_events_find(e, ev->pair);
		if (cmd != NULL) {
			heading(lines, _("The command it answers"));
			g_autofree char *ct = tui_event_text(cmd);
			add(lines, width, 2, TUI_STYLE_CLIENT, ct);
		}
	} else if (ev->kind == TRACE_KIND_COMMAND) {
		gboolean first = TRUE;
		for (guint i = 0; i < e->events->len; i++) {
			const TraceEvent *r = tui_events_get(e, i);
			if (r->pair != ev->id)
				continue;
			if (first)
				heading(lines, _("Its reply"));
			first = FALSE;
			g_autofree char *rt = tui_event_text(r);
			add(lines, width, 2, TUI_STYLE_SERVER, rt);
		}
	}

	if (ev->raw != NULL) {
		heading(lines, _("Raw bytes (CR and LF shown as ␍ ␊)"));
		g_autofree char *vis = tui_text_visible(ev->raw, ev->raw_len);
		g_autofree char *with_crlf = g_strconcat(vis, "␍␊", NULL);
		add(lines, width, 2, TUI_STYLE_CODE, with_crlf);
		g_ptr_array_add(lines, tui_line_new(0));
		hexdump(lines, ev->raw, ev->raw_len);
	}
	mime_tree(lines, width, e, ev);

	int top = d->list.top;
	tui_list_set_lines(&d->list, lines);
	d->list.top = top;
	d->width = width;
	g_free(d->lang);
	d->lang = g_strdup(facteur_i18n_lang());
}

static char *
title(TuiScreen *s, Tui *tui)
{
	(void)s;
	(void)tui;
	return g_strdup(_("details"));
}

static void
draw(TuiScreen *s, Tui *tui, const TuiRect *body)
{
	(void)tui;
	Detail *d = (Detail *)s;
	TuiRect in = tui_rect_inner(body);
	TuiRect text = {in.x + 1, in.y, in.w - 2, in.h};
	if (d->width != text.w || g_strcmp0(d->lang, facteur_i18n_lang()) != 0)
		rebuild(d, text.w);
	tui_draw_box(body, _("Details"), _("Esc closes"), TRUE);
	tui_list_draw(&d->list, &text, FALSE);
}

static gboolean
key(TuiScreen *s, Tui *tui, int k)
{
	Detail *d = (Detail *)s;
	if (k == TUI_KEY_ESC || k == TUI_KEY_RETURN || k == '\r' || k == TUI_KEY_ENTER) {
		tui_pop(tui);
		return TRUE;
	}
	if (k == '?') {
		tui_push(tui, tui_help_new());
		return TRUE;
	}
	return tui_list_key(&d->list, k);
}

static void
lang_changed(TuiScreen *s, Tui *tui)
{
	(void)tui;
	((Detail *)s)->width = -1;
}

static void
screen_free(TuiScreen *s)
{
	Detail *d = (Detail *)s;
	tui_list_clear(&d->list);
	g_free(d->lang);
	g_free(d);
}

static const TuiScreenClass detail_class = {
    .name = "detail",
    .title = title,
    .draw = draw,
    .key = key,
    .lang_changed = lang_changed,
    .free = screen_free,
};

TuiScreen *
tui_detail_new(const TuiEvents *events, const TraceEvent *ev)
{
	Detail *d = g_new0(Detail, 1);
	d->base.klass = &detail_class;
	d->events = events;
	d->id = ev->id;
	d->width = -1;
	tui_list_init(&d->list, FALSE, FALSE);
	return &d->base;
}
