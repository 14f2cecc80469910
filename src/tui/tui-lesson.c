/* Lesson files: the header the home screen shows, and a small Markdown
 * renderer for reading a lesson inside the TUI. */
#include "tui/tui-lesson.h"
#include "tui/tui-text.h"
#include "core/facteur-i18n.h"

#include <string.h>

void
tui_lesson_free(TuiLesson *lesson)
{
	if (lesson == NULL)
		return;
	g_free(lesson->path);
	g_free(lesson->id);
	g_free(lesson->title);
	g_free(lesson->summary);
	g_strfreev(lesson->scenarios);
	g_free(lesson);
}

/* "Scénarios : `a`, `b`" → {"a", "b"}; NULL when the line is not that line. */
static char **
parse_scenarios_line(const char *line)
{
	static const char *const prefixes[] = {"Scénarios", "Scenarios", "Scénario", "Scenario"};
	const char *rest = NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(prefixes) && rest == NULL; i++) {
		if (g_str_has_prefix(line, prefixes[i]))
			rest = line + strlen(prefixes[i]);
	}
	if (rest == NULL)
		return NULL;
	while (*rest == ' ' || *rest == '\xc2' || *rest == '\xa0') /* nbsp before the colon */
		rest++;
	if (*rest != ':')
		return NULL;
	GPtrArray *ids = g_ptr_array_new();
	const char *p = rest + 1;
	for (;;) {
		const char *open = strchr(p, '`');
		if (open == NULL)
			break;
		const char *close = strchr(open + 1, '`');
		if (close == NULL)
			break;
		if (close > open + 1)
			g_ptr_array_add(ids, g_strndup(open + 1, close - open - 1));
		p = close + 1;
	}
	g_ptr_array_add(ids, NULL);
	return (char **)g_ptr_array_free(ids, FALSE);
}

TuiLesson *
tui_lesson_parse(const char *path, const char *text, GError **error)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	if (lines[0] == NULL || !g_str_has_prefix(lines[0], "# ")) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		            _("%s:1: a lesson starts with a “# ” title line"), path);
		return NULL;
	}
	g_autoptr(TuiLesson) lesson = g_new0(TuiLesson, 1);
	lesson->path = g_strdup(path);
	g_autofree char *base = g_path_get_basename(path);
	lesson->id =
	    g_str_has_suffix(base, ".md") ? g_strndup(base, strlen(base) - 3) : g_strdup(base);
	lesson->title = g_strstrip(g_strdup(lines[0] + 2));

	GString *summary = g_string_new(NULL);
	guint i = 1;
	while (lines[i] != NULL && g_strstrip(lines[i])[0] == '\0')
		i++;
	for (; lines[i] != NULL && lines[i][0] != '\0'; i++) {
		char **ids = parse_scenarios_line(lines[i]);
		if (ids != NULL) {
			lesson->scenarios = ids;
			break;
		}
		if (summary->len > 0)
			g_string_append_c(summary, ' ');
		g_string_append(summary, lines[i]);
	}
	lesson->summary = g_string_free(summary, FALSE);
	/* The scenarios line follows the summary paragraph. */
	for (guint k = i; lesson->scenarios == NULL && lines[k] != NULL && k < i + 4; k++) {
		g_strstrip(lines[k]);
		lesson->scenarios = parse_scenarios_line(lines[k]);
	}
	if (lesson->scenarios == NULL)
		lesson->scenarios = g_new0(char *, 1);
	return g_steal_pointer(&lesson);
}

static gint
by_path(gconstpointer a, gconstpointer b)
{
	const TuiLesson *x = *(TuiLesson *const *)a;
	const TuiLesson *y = *(TuiLesson *const *)b;
	return strcmp(x->id, y->id);
}

static void
list_dir(GPtrArray *out, const char *dir, GPtrArray *errors_r)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return;
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		if (!g_str_has_suffix(name, ".md") || !g_ascii_isdigit(name[0]))
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autofree char *text = NULL;
		g_autoptr(GError) error = NULL;
		TuiLesson *lesson = NULL;
		if (g_file_get_contents(path, &text, NULL, &error))
			lesson = tui_lesson_parse(path, text, &error);
		if (lesson != NULL)
			g_ptr_array_add(out, lesson);
		else if (errors_r != NULL)
			g_ptr_array_add(errors_r, g_strdup(error->message));
	}
	g_ptr_array_sort(out, by_path);
}

GPtrArray *
tui_lesson_list(const char *lessons_dir, const char *lang, GPtrArray *errors_r)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)tui_lesson_free);
	g_autofree char *dir = g_build_filename(lessons_dir, lang, NULL);
	list_dir(out, dir, errors_r);
	if (out->len == 0 && g_strcmp0(lang, "fr") != 0) {
		g_autofree char *fr = g_build_filename(lessons_dir, "fr", NULL);
		list_dir(out, fr, errors_r);
	}
	return out;
}

/* --- Markdown --- */

/* Splits inline text into spans: **bold**, `code`, the rest in base. */
static void
inline_spans(GArray *spans, const char *text, TuiStyle base)
{
	GString *cur = g_string_new(NULL);
	TuiStyle style = base;
	for (const char *p = text; *p != '\0';) {
		gboolean bold_mark = p[0] == '*' && p[1] == '*';
		gboolean code_mark = p[0] == '`';
		if ((bold_mark && style != TUI_STYLE_CODE) ||
		    (code_mark && style != TUI_STYLE_BOLD)) {
			TuiStyle next = bold_mark ? TUI_STYLE_BOLD : TUI_STYLE_CODE;
			/* Only open a span whose closing mark is on the line. */
			if (style == base &&
			    strstr(p + (bold_mark ? 2 : 1), bold_mark ? "**" : "`") == NULL) {
				g_string_append_len(cur, p, bold_mark ? 2 : 1);
				p += bold_mark ? 2 : 1;
				continue;
			}
			if (cur->len > 0) {
				TuiSpan s = {g_strdup(cur->str), style};
				g_array_append_val(spans, s);
				g_string_truncate(cur, 0);
			}
			style = style == base ? next : base;
			p += bold_mark ? 2 : 1;
			continue;
		}
		g_string_append_c(cur, *p++);
	}
	if (cur->len > 0) {
		TuiSpan s = {g_strdup(cur->str), style};
		g_array_append_val(spans, s);
	}
	g_string_free(cur, TRUE);
}

static void
span_clear(gpointer p)
{
	g_free(((TuiSpan *)p)->text);
}

static void
emit(GPtrArray *lines, const char *text, TuiStyle base, int width, int indent_first,
     int indent_rest, const char *bullet)
{
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(TuiSpan));
	g_array_set_clear_func(spans, span_clear);
	if (bullet != NULL) {
		TuiSpan b = {g_strdup(bullet), TUI_STYLE_BOLD};
		g_array_append_val(spans, b);
	}
	inline_spans(spans, text, base);
	tui_lines_wrap(lines, (TuiSpan *)spans->data, spans->len, width, indent_first, indent_rest,
	               NULL);
}

static void
blank(GPtrArray *lines)
{
	if (lines->len > 0 && ((TuiLine *)lines->pdata[lines->len - 1])->spans->len > 0)
		g_ptr_array_add(lines, tui_line_new(0));
}

/* A list item's marker: "- ", "* ", "1. "; its length in *len_r. */
static gboolean
list_marker(const char *line, gsize *len_r, gboolean *numbered_r)
{
	if ((line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
		*len_r = 2;
		*numbered_r = FALSE;
		return TRUE;
	}
	gsize i = 0;
	while (g_ascii_isdigit(line[i]))
		i++;
	if (i > 0 && (line[i] == '.' || line[i] == ')') && line[i + 1] == ' ') {
		*len_r = i + 2;
		*numbered_r = TRUE;
		return TRUE;
	}
	return FALSE;
}

void
tui_markdown_render(GPtrArray *lines, const char *text, int width)
{
	g_auto(GStrv) src = g_strsplit(text, "\n", -1);
	g_autoptr(GString) para = g_string_new(NULL);
	int para_indent = 0, para_rest = 0;
	g_autofree char *bullet = NULL;
	gboolean in_code = FALSE;

#define FLUSH()                                                                                    \
	do {                                                                                       \
		if (para->len > 0) {                                                               \
			emit(lines, para->str, TUI_STYLE_TEXT, width, para_indent, para_rest,      \
			     bullet);                                                              \
			g_string_truncate(para, 0);                                                \
		}                                                                                  \
		g_clear_pointer(&bullet, g_free);                                                  \
	} while (0)

	for (guint i = 0; src[i] != NULL; i++) {
		char *line = src[i];
		gsize n = strlen(line);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (g_str_has_prefix(line, "```")) {
			FLUSH();
			in_code = !in_code;
			continue;
		}
		if (in_code) {
			TuiLine *l = tui_line_new(2);
			tui_line_add(l, TUI_STYLE_CODE, line);
			g_ptr_array_add(lines, l);
			continue;
		}
		const char *t = line;
		while (*t == ' ')
			t++;
		int lead = (int)(t - line);
		if (*t == '\0') {
			FLUSH();
			blank(lines);
			continue;
		}
		if (line[0] == '#') {
			FLUSH();
			int level = 0;
			while (line[level] == '#')
				level++;
			const char *title = line + level;
			while (*title == ' ')
				title++;
			blank(lines);
			emit(lines, title, level == 1 ? TUI_STYLE_TITLE : TUI_STYLE_HEADING, width,
			     0, 0, NULL);
			if (level == 1) {
				TuiLine *rule = tui_line_new(0);
				GString *r = g_string_new(NULL);
				int w = MIN(tui_text_width(title), width);
				for (int k = 0; k < w; k++)
					g_string_append(r, "═");
				tui_line_add(rule, TUI_STYLE_TITLE, r->str);
				g_string_free(r, TRUE);
				g_ptr_array_add(lines, rule);
			}
			continue;
		}
		if (*t == '|') { /* a table row: kept as written */
			FLUSH();
			TuiLine *l = tui_line_new(lead);
			tui_line_add(l, TUI_STYLE_TEXT, t);
			g_ptr_array_add(lines, l);
			continue;
		}
		gsize mlen;
		gboolean numbered;
		if (list_marker(t, &mlen, &numbered)) {
			FLUSH();
			bullet = numbered ? g_strndup(t, mlen) : g_strdup("• ");
			para_indent = lead;
			para_rest = lead + (numbered ? (int)mlen : 2);
			g_string_append(para, t + mlen);
			continue;
		}
		if (*t == '>') {
			FLUSH();
			t++;
			while (*t == ' ')
				t++;
			emit(lines, t, TUI_STYLE_DIM, width, 2, 2, "│ ");
			continue;
		}
		if (para->len == 0) {
			para_indent = lead;
			para_rest = lead;
		} else {
			g_string_append_c(para, ' ');
		}
		g_string_append(para, t);
	}
	FLUSH();
#undef FLUSH
}
