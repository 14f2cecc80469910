/* The TUI's text helpers: display widths with accents and wide characters,
 * wrapping with styles, visible control characters, lesson headers and the
 * Markdown renderer. */
#include "tui/tui-lesson.h"
#include "tui/tui-lines.h"
#include "tui/tui-text.h"

#include <locale.h>
#include <string.h>

static void
test_width(void)
{
	static const struct {
		const char *text;
		int width;
	} cases[] = {
	    {"", 0},
	    {"abc", 3},
	    {"é", 1},
	    {"Leçon 5 — POP3", 14},
	    {"日本", 4},
	    {"e\u0301", 1},
	    {"\xff"
	     "a",
	     2},
	    {"␍␊", 2},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++)
		g_assert_cmpint(tui_text_width(cases[i].text), ==, cases[i].width);
}

static void
test_fit(void)
{
	g_assert_cmpuint(tui_text_fit("héllo", 2), ==, 3);  /* "hé": é is 2 bytes */
	g_assert_cmpuint(tui_text_fit("日本語", 3), ==, 3); /* a wide char is never cut */
	g_assert_cmpuint(tui_text_fit("abc", 10), ==, 3);
	g_assert_cmpuint(tui_text_fit("abc", 0), ==, 0);
}

static void
test_wrap(void)
{
	g_autoptr(GPtrArray) a = tui_text_wrap("le facteur passe à midi", 10);
	g_assert_cmpuint(a->len, ==, 3);
	g_assert_cmpstr(a->pdata[0], ==, "le facteur");
	g_assert_cmpstr(a->pdata[1], ==, "passe à");
	g_assert_cmpstr(a->pdata[2], ==, "midi");
	g_autoptr(GPtrArray) b = tui_text_wrap("abcdefghij", 4);
	g_assert_cmpuint(b->len, ==, 3);
	g_assert_cmpstr(b->pdata[2], ==, "ij");
	g_autoptr(GPtrArray) c = tui_text_wrap("un\n\ndeux", 10);
	g_assert_cmpuint(c->len, ==, 3);
	g_assert_cmpstr(c->pdata[1], ==, "");
	g_autoptr(GPtrArray) d = tui_text_wrap("", 10);
	g_assert_cmpuint(d->len, ==, 1);
	for (int w = 1; w < 30; w++) {
		g_autoptr(GPtrArray) e =
		    tui_text_wrap("Réponse « +OK » du serveur après DELE 1", w);
		for (guint i = 0; i < e->len; i++)
			g_assert_cmpint(tui_text_width(e->pdata[i]), <=, w);
	}
}

static void
test_visible(void)
{
	static const guint8 raw[] = {'A', '\r', '\n', '\t', 0x00, 0xc3, 0xa9, 0xff, 0x7f};
	g_autofree char *v = tui_text_visible(raw, sizeof raw);
	g_assert_cmpstr(v, ==, "A␍␊␉␀é\\xFF␡");
}

static void
test_pad(void)
{
	g_autofree char *a = tui_text_pad("été", 5);
	g_assert_cmpstr(a, ==, "été  ");
	g_autofree char *b = tui_text_pad("abcdef", 3);
	g_assert_cmpstr(b, ==, "abc");
}

static void
test_lines_wrap_keeps_styles(void)
{
	g_autoptr(TuiLine) src = tui_line_new(2);
	tui_line_add(src, TUI_STYLE_CLIENT, "DELE 1");
	tui_line_add(src, TUI_STYLE_DIM, " marque le message pour effacement");
	g_autoptr(GPtrArray) out = tui_lines_new();
	guint n = tui_lines_wrap_line(out, src, 20, 4);
	g_assert_cmpuint(n, ==, out->len);
	g_assert_cmpuint(n, >=, 3);
	const TuiLine *first = out->pdata[0];
	g_assert_cmpint(first->indent, ==, 2);
	g_assert_cmpint(g_array_index(first->spans, TuiSpan, 0).style, ==, TUI_STYLE_CLIENT);
	g_assert_cmpstr(g_array_index(first->spans, TuiSpan, 0).text, ==, "DELE 1");
	for (guint i = 0; i < out->len; i++) {
		g_assert_cmpint(tui_line_width(out->pdata[i]), <=, 20);
		if (i > 0)
			g_assert_cmpint(((TuiLine *)out->pdata[i])->indent, ==, 4);
	}
	/* No text lost: the words come back in order. */
	GString *all = g_string_new(NULL);
	for (guint i = 0; i < out->len; i++) {
		g_autofree char *t = tui_line_text(out->pdata[i]);
		g_string_append_printf(all, "%s%s", i ? " " : "", g_strstrip(t));
	}
	g_assert_cmpstr(all->str, ==, "DELE 1 marque le message pour effacement");
	g_string_free(all, TRUE);
}

static void
test_lines_wrap_keeps_columns(void)
{
	/* Runs of spaces are kept (aligned numbers), dropped where the line breaks. */
	g_autoptr(TuiLine) src = tui_line_new(0);
	tui_line_add(src, TUI_STYLE_TEXT, "  1     1      45  ");
	tui_line_add(src, TUI_STYLE_DIM, "\\Seen \\Recent");
	g_autoptr(GPtrArray) out = tui_lines_new();
	tui_lines_wrap_line(out, src, 26, 18);
	g_assert_cmpuint(out->len, ==, 2);
	g_autofree char *a = tui_line_text(out->pdata[0]);
	g_autofree char *b = tui_line_text(out->pdata[1]);
	g_assert_cmpstr(a, ==, "  1     1      45  \\Seen");
	g_assert_cmpstr(b, ==, "                  \\Recent");
}

static const char lesson_fr[] =
    "# Leçon 5 — POP3\n"
    "\n"
    "Relever sa boîte : les états de POP3,\n"
    "et DELE qui n'efface qu'à QUIT.\n"
    "\n"
    "Scénarios : `04-pop3-auth-retr`, `05-pop3-dele-rset-quit`\n"
    "\n"
    "## Les états\n"
    "\n"
    "Un **serveur** POP3 passe par trois états : `AUTHORIZATION`, TRANSACTION et UPDATE.\n"
    "\n"
    "- premier point assez long pour être replié\n"
    "- second\n"
    "\n"
    "```\n"
    "C: DELE 1\n"
    "```\n";

static void
test_lesson_parse(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(TuiLesson) l = tui_lesson_parse("/x/05-pop3.md", lesson_fr, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(l->id, ==, "05-pop3");
	g_assert_cmpstr(l->title, ==, "Leçon 5 — POP3");
	g_assert_cmpstr(l->summary, ==,
	                "Relever sa boîte : les états de POP3, et DELE qui n'efface qu'à QUIT.");
	g_assert_cmpuint(g_strv_length(l->scenarios), ==, 2);
	g_assert_cmpstr(l->scenarios[1], ==, "05-pop3-dele-rset-quit");

	g_autoptr(TuiLesson) en = tui_lesson_parse(
	    "/x/01-path.md", "# Lesson 1 — Path\n\nOne line.\n\nScenarios: none\n", &error);
	g_assert_no_error(error);
	g_assert_nonnull(en);
	g_assert_cmpuint(g_strv_length(en->scenarios), ==, 0);
	g_assert_cmpstr(en->summary, ==, "One line.");

	g_autoptr(TuiLesson) bad = tui_lesson_parse("/x/bad.md", "no title\n", &error);
	g_assert_null(bad);
	g_assert_nonnull(strstr(error->message, "/x/bad.md:1"));
}

static gboolean
has_span(GPtrArray *lines, TuiStyle style, const char *text)
{
	for (guint i = 0; i < lines->len; i++) {
		const TuiLine *l = lines->pdata[i];
		for (guint k = 0; k < l->spans->len; k++) {
			const TuiSpan *s = &g_array_index(l->spans, TuiSpan, k);
			if (s->style == style && strstr(s->text, text) != NULL)
				return TRUE;
		}
	}
	return FALSE;
}

static void
test_markdown(void)
{
	g_autoptr(GPtrArray) lines = tui_lines_new();
	tui_markdown_render(lines, lesson_fr, 30);
	g_assert_true(has_span(lines, TUI_STYLE_TITLE, "Leçon 5 — POP3"));
	g_assert_true(has_span(lines, TUI_STYLE_HEADING, "Les états"));
	g_assert_true(has_span(lines, TUI_STYLE_BOLD, "serveur"));
	g_assert_true(has_span(lines, TUI_STYLE_CODE, "AUTHORIZATION"));
	g_assert_true(has_span(lines, TUI_STYLE_CODE, "C: DELE 1"));
	g_assert_true(has_span(lines, TUI_STYLE_BOLD, "•"));
	for (guint i = 0; i < lines->len; i++) {
		g_autofree char *t = tui_line_text(lines->pdata[i]);
		g_assert_null(strstr(t, "**"));
		g_assert_null(strstr(t, "```"));
		if (strstr(t, "C: DELE") == NULL) /* code lines are not folded */
			g_assert_cmpint(tui_line_width(lines->pdata[i]), <=, 30);
	}
	/* A list item's continuation is indented under its text. */
	gboolean found = FALSE;
	for (guint i = 0; i + 1 < lines->len; i++) {
		g_autofree char *t = tui_line_text(lines->pdata[i]);
		if (g_str_has_prefix(t, "• premier")) {
			g_assert_cmpint(((TuiLine *)lines->pdata[i + 1])->indent, ==, 2);
			found = TRUE;
		}
	}
	g_assert_true(found);
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tui/text/width", test_width);
	g_test_add_func("/tui/text/fit", test_fit);
	g_test_add_func("/tui/text/wrap", test_wrap);
	g_test_add_func("/tui/text/visible", test_visible);
	g_test_add_func("/tui/text/pad", test_pad);
	g_test_add_func("/tui/lines/wrap", test_lines_wrap_keeps_styles);
	g_test_add_func("/tui/lines/columns", test_lines_wrap_keeps_columns);
	g_test_add_func("/tui/lesson/parse", test_lesson_parse);
	g_test_add_func("/tui/lesson/markdown", test_markdown);
	return g_test_run();
}
