/* Styled lines and their word wrapping: words are cut across span
 * boundaries without losing each piece's style. */
#include "tui/tui-lines.h"
#include "tui/tui-text.h"

#include <string.h>

static void
span_clear(gpointer p)
{
	g_free(((TuiSpan *)p)->text);
}

TuiLine *
tui_line_new(int indent)
{
	TuiLine *line = g_new0(TuiLine, 1);
	line->spans = g_array_new(FALSE, FALSE, sizeof(TuiSpan));
	g_array_set_clear_func(line->spans, span_clear);
	line->indent = indent;
	return line;
}

void
tui_line_free(TuiLine *line)
{
	if (line == NULL)
		return;
	g_array_unref(line->spans);
	g_free(line);
}

void
tui_line_add(TuiLine *line, TuiStyle style, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	TuiSpan span = {g_strdup(text), style};
	g_array_append_val(line->spans, span);
}

void
tui_line_addf(TuiLine *line, TuiStyle style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	tui_line_add(line, style, text);
}

int
tui_line_width(const TuiLine *line)
{
	int w = line->indent;
	for (guint i = 0; i < line->spans->len; i++)
		w += tui_text_width(g_array_index(line->spans, TuiSpan, i).text);
	return w;
}

char *
tui_line_text(const TuiLine *line)
{
	GString *s = g_string_new(NULL);
	for (int i = 0; i < line->indent; i++)
		g_string_append_c(s, ' ');
	for (guint i = 0; i < line->spans->len; i++)
		g_string_append(s, g_array_index(line->spans, TuiSpan, i).text);
	return g_string_free(s, FALSE);
}

GPtrArray *
tui_lines_new(void)
{
	return g_ptr_array_new_with_free_func((GDestroyNotify)tui_line_free);
}

/* A piece of a word: a slice of one span. */
typedef struct {
	const char *text;
	gsize len;
	TuiStyle style;
	int gap; /* spaces before it (0: glued to the previous piece) */
} Piece;

static int
piece_width(const Piece *p)
{
	g_autofree char *s = g_strndup(p->text, p->len);
	return tui_text_width(s);
}

static void
add_piece(TuiLine *line, const Piece *p, gsize off, gsize len)
{
	g_autofree char *s = g_strndup(p->text + off, len);
	guint n = line->spans->len;
	if (n > 0) {
		TuiSpan *last = &g_array_index(line->spans, TuiSpan, n - 1);
		if (last->style == p->style) {
			char *joined = g_strconcat(last->text, s, NULL);
			g_free(last->text);
			last->text = joined;
			return;
		}
	}
	tui_line_add(line, p->style, s);
}

guint
tui_lines_wrap(GPtrArray *lines, const TuiSpan *spans, guint n_spans, int width, int indent_first,
               int indent_rest, gpointer data)
{
	g_autoptr(GArray) pieces = g_array_new(FALSE, FALSE, sizeof(Piece));
	/* Runs of spaces are kept (aligned columns), except where a line breaks. */
	int pending = 0;
	for (guint i = 0; i < n_spans; i++) {
		const char *p = spans[i].text;
		while (*p != '\0') {
			if (*p == ' ') {
				pending++;
				p++;
				continue;
			}
			const char *e = strchr(p, ' ');
			gsize len = e != NULL ? (gsize)(e - p) : strlen(p);
			Piece pc = {p, len, spans[i].style, pending};
			g_array_append_val(pieces, pc);
			pending = 0;
			p += len;
		}
	}

	guint made = 0;
	TuiLine *line = tui_line_new(indent_first);
	line->data = data;
	int col = indent_first;
	gboolean empty = TRUE;
	for (guint i = 0; i < pieces->len;) {
		/* A word: this piece and the following ones glued to it. */
		guint j = i + 1;
		int ww = piece_width(&g_array_index(pieces, Piece, i));
		while (j < pieces->len && g_array_index(pieces, Piece, j).gap == 0)
			ww += piece_width(&g_array_index(pieces, Piece, j++));
		/* Leading spaces of the first line count too (right-aligned numbers). */
		int space = (!empty || made == 0) ? g_array_index(pieces, Piece, i).gap : 0;
		if (!empty && col + space + ww > width) {
			g_ptr_array_add(lines, line);
			made++;
			line = tui_line_new(indent_rest);
			line->data = data;
			col = indent_rest;
			empty = TRUE;
			space = 0;
		}
		if (space > 0 && col + space + ww <= width) {
			g_autofree char *spaces = g_strnfill((gsize)space, ' ');
			Piece sp = {spaces, (gsize)space, g_array_index(pieces, Piece, i).style, 0};
			add_piece(line, &sp, 0, (gsize)space);
			col += space;
		}
		for (guint k = i; k < j; k++) {
			const Piece *pc = &g_array_index(pieces, Piece, k);
			gsize off = 0;
			while (off < pc->len) {
				g_autofree char *rest = g_strndup(pc->text + off, pc->len - off);
				int room = width - col;
				gsize fit = tui_text_fit(rest, room > 0 ? room : 0);
				if (fit == strlen(rest)) {
					add_piece(line, pc, off, fit);
					col += tui_text_width(rest);
					empty = FALSE;
					break;
				}
				if (fit == 0 && empty) /* not even one character fits: force one */
					fit = (gsize)(g_utf8_next_char(rest) - rest);
				if (fit > 0) {
					add_piece(line, pc, off, fit);
					off += fit;
				}
				g_ptr_array_add(lines, line);
				made++;
				line = tui_line_new(indent_rest);
				line->data = data;
				col = indent_rest;
				empty = TRUE;
			}
		}
		i = j;
	}
	g_ptr_array_add(lines, line);
	return made + 1;
}

guint
tui_lines_wrap_line(GPtrArray *lines, const TuiLine *line, int width, int indent_rest)
{
	guint first = lines->len;
	guint n = tui_lines_wrap(lines, (const TuiSpan *)line->spans->data, line->spans->len, width,
	                         line->indent, indent_rest, line->data);
	for (guint i = first; i < lines->len; i++)
		((TuiLine *)lines->pdata[i])->highlight = line->highlight;
	return n;
}
