/* Reading a lesson inside the interface: its Markdown rendered to the
 * width, scrolled with the arrows; its scenarios open with their number. */
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"
#include "scenario/scenario.h"
#include "tui/tui-lesson.h"
#include "tui/tui-list.h"
#include "tui/tui-screens.h"

typedef struct {
	TuiScreen base;
	char *id;
	char *text;
	TuiLesson *lesson;
	TuiList list;
	int width;
	char *lang;
} Reader;

static void
load(Reader *r)
{
	g_clear_pointer(&r->text, g_free);
	g_clear_pointer(&r->lesson, tui_lesson_free);
	g_autofree char *file = g_strconcat(r->id, ".md", NULL);
	const char *langs[] = {facteur_i18n_lang(), "fr"};
	for (gsize i = 0; i < G_N_ELEMENTS(langs) && r->text == NULL; i++) {
		g_autofree char *path =
		    g_build_filename(facteur_paths_lessons(), langs[i], file, NULL);
		if (g_file_get_contents(path, &r->text, NULL, NULL))
			r->lesson = tui_lesson_parse(path, r->text, NULL);
	}
	g_free(r->lang);
	r->lang = g_strdup(facteur_i18n_lang());
}

static void
rebuild(Reader *r, int width)
{
	if (g_strcmp0(r->lang, facteur_i18n_lang()) != 0 || r->text == NULL)
		load(r);
	GPtrArray *lines = tui_lines_new();
	if (r->text == NULL) {
		TuiLine *l = tui_line_new(0);
		tui_line_addf(l, TUI_STYLE_ERROR, _("The lesson “%s” cannot be read."), r->id);
		g_ptr_array_add(lines, l);
	} else {
		tui_markdown_render(lines, r->text, width);
		if (r->lesson != NULL && r->lesson->scenarios[0] != NULL) {
			g_ptr_array_add(lines, tui_line_new(0));
			TuiLine *h = tui_line_new(0);
			tui_line_add(h, TUI_STYLE_HEADING, _("Play a scenario of this lesson:"));
			g_ptr_array_add(lines, h);
			for (guint i = 0; r->lesson->scenarios[i] != NULL && i < 9; i++) {
				TuiLine *l = tui_line_new(2);
				tui_line_addf(l, TUI_STYLE_BOLD, "%u ", i + 1);
				tui_line_add(l, TUI_STYLE_CODE, r->lesson->scenarios[i]);
				g_ptr_array_add(lines, l);
			}
		}
	}
	int top = r->list.top;
	tui_list_set_lines(&r->list, lines);
	r->list.top = width == r->width ? top : 0;
	r->width = width;
}

static char *
title(TuiScreen *s, Tui *tui)
{
	(void)tui;
	Reader *r = (Reader *)s;
	return g_strdup(r->lesson != NULL ? r->lesson->title : r->id);
}

static void
draw(TuiScreen *s, Tui *tui, const TuiRect *body)
{
	(void)tui;
	Reader *r = (Reader *)s;
	TuiRect in = tui_rect_inner(body);
	TuiRect text = {in.x + 1, in.y, in.w - 2, in.h};
	if (r->width != text.w || g_strcmp0(r->lang, facteur_i18n_lang()) != 0)
		rebuild(r, text.w);
	tui_draw_box(body, _("Lesson"), _("↑ ↓ scroll · 1–9 play a scenario · Esc back"), TRUE);
	tui_list_draw(&r->list, &text, FALSE);
}

static void
search_done(Tui *tui, const char *text, gpointer data)
{
	Reader *r = data;
	if (text != NULL && !tui_list_search(&r->list, text))
		tui_status(tui, TUI_STYLE_TEXT, _("“%s” is not found."), text);
}

static gboolean
key(TuiScreen *s, Tui *tui, int k)
{
	Reader *r = (Reader *)s;
	if (k >= '1' && k <= '9' && r->lesson != NULL) {
		guint n = (guint)(k - '1');
		if (n < g_strv_length(r->lesson->scenarios)) {
			g_autoptr(GError) error = NULL;
			TuiScreen *sc = tui_session_new_scenario(r->lesson->scenarios[n], &error);
			if (sc == NULL)
				tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
			else
				tui_push(tui, sc);
		}
		return TRUE;
	}
	if (k == '?') {
		tui_push(tui, tui_help_new());
		return TRUE;
	}
	if (k == '/') {
		tui_prompt(tui, _("Search:"), NULL, search_done, r);
		return TRUE;
	}
	if (k == ' ') {
		return tui_list_key(&r->list, TUI_KEY_NPAGE);
	}
	if (k == TUI_KEY_HOME) {
		r->list.top = 0;
		return TRUE;
	}
	return tui_list_key(&r->list, k);
}

static void
lang_changed(TuiScreen *s, Tui *tui)
{
	(void)tui;
	((Reader *)s)->width = -1;
}

static void
screen_free(TuiScreen *s)
{
	Reader *r = (Reader *)s;
	g_free(r->id);
	g_free(r->text);
	g_free(r->lang);
	tui_lesson_free(r->lesson);
	tui_list_clear(&r->list);
	g_free(r);
}

static const TuiScreenClass reader_class = {
    .name = "lesson",
    .title = title,
    .draw = draw,
    .key = key,
    .lang_changed = lang_changed,
    .free = screen_free,
};

TuiScreen *
tui_reader_new(const char *lesson_id)
{
	Reader *r = g_new0(Reader, 1);
	r->base.klass = &reader_class;
	r->id = g_strdup(lesson_id);
	r->width = -1;
	tui_list_init(&r->list, FALSE, FALSE);
	load(r);
	return &r->base;
}
