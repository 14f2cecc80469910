/* Display widths and wrapping for UTF-8 text on a terminal: what the panes
 * use to cut and fold lines so that accents and wide characters line up. */
#include "tui/tui-text.h"

#include <string.h>
#include <wchar.h>

static int
char_width(gunichar c)
{
	if (c < 0x20 || c == 0x7f)
		return 1; /* drawn as a visible symbol by the caller */
	int w = wcwidth((wchar_t)c);
	if (w < 0)
		return g_unichar_iszerowidth(c) ? 0 : (g_unichar_iswide(c) ? 2 : 1);
	return w;
}

/* Width of the character at p and where the next one starts. */
static int
step(const char **p)
{
	const char *s = *p;
	gunichar c = g_utf8_get_char_validated(s, -1);
	if (c == (gunichar)-1 || c == (gunichar)-2) {
		*p = s + 1;
		return 1;
	}
	*p = g_utf8_next_char(s);
	return char_width(c);
}

int
tui_text_width(const char *text)
{
	int w = 0;
	for (const char *p = text; p != NULL && *p != '\0';)
		w += step(&p);
	return w;
}

gsize
tui_text_fit(const char *text, int width)
{
	int w = 0;
	const char *p = text;
	while (*p != '\0') {
		const char *next = p;
		int cw = step(&next);
		if (w + cw > width)
			break;
		w += cw;
		p = next;
	}
	return (gsize)(p - text);
}

static void
wrap_paragraph(GPtrArray *out, const char *para, gsize len, int width)
{
	g_autofree char *copy = g_strndup(para, len);
	const char *p = copy;
	if (width < 1)
		width = 1;
	if (*p == '\0') {
		g_ptr_array_add(out, g_strdup(""));
		return;
	}
	while (*p != '\0') {
		if (tui_text_width(p) <= width) {
			g_ptr_array_add(out, g_strdup(p));
			return;
		}
		gsize fit = tui_text_fit(p, width);
		/* Break at the last space inside the fitting part, if any. */
		gsize cut = fit;
		while (cut > 0 && p[cut] != ' ')
			cut--;
		if (cut == 0) {
			cut = fit > 0 ? fit : (gsize)(g_utf8_next_char(p) - p);
			g_ptr_array_add(out, g_strndup(p, cut));
			p += cut;
		} else {
			g_ptr_array_add(out, g_strndup(p, cut));
			p += cut;
		}
		while (*p == ' ')
			p++;
	}
}

GPtrArray *
tui_text_wrap(const char *text, int width)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const char *p = text != NULL ? text : "";
	for (;;) {
		const char *nl = strchr(p, '\n');
		gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
		wrap_paragraph(out, p, len, width);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return out;
}

char *
tui_text_visible(const guint8 *raw, gsize len)
{
	GString *s = g_string_sized_new(len + 8);
	const char *p = (const char *)raw;
	const char *end = p + len;
	while (p < end) {
		guchar c = (guchar)*p;
		if (c == '\r') {
			g_string_append(s, "␍");
			p++;
		} else if (c == '\n') {
			g_string_append(s, "␊");
			p++;
		} else if (c == '\t') {
			g_string_append(s, "␉");
			p++;
		} else if (c < 0x20) {
			g_string_append_unichar(s, 0x2400 + c);
			p++;
		} else if (c == 0x7f) {
			g_string_append(s, "␡");
			p++;
		} else if (c < 0x80) {
			g_string_append_c(s, (char)c);
			p++;
		} else {
			gunichar u = g_utf8_get_char_validated(p, end - p);
			if (u == (gunichar)-1 || u == (gunichar)-2) {
				g_string_append_printf(s, "\\x%02X", c);
				p++;
			} else {
				const char *next = g_utf8_next_char(p);
				g_string_append_len(s, p, next - p);
				p = next;
			}
		}
	}
	return g_string_free(s, FALSE);
}

char *
tui_text_pad(const char *text, int width)
{
	gsize fit = tui_text_fit(text, width);
	GString *s = g_string_new_len(text, fit);
	for (int w = tui_text_width(s->str); w < width; w++)
		g_string_append_c(s, ' ');
	return g_string_free(s, FALSE);
}
