/* The home screen: the lessons in order, each with its one-line summary and
 * its scenarios; then the scenarios no lesson names, a free session, and
 * opening a capture. Enter opens the item under the cursor. */
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"
#include "scenario/scenario.h"
#include "tui/tui-lesson.h"
#include "tui/tui-list.h"
#include "tui/tui-screens.h"

#include <string.h>

typedef enum {
	ITEM_LESSON,
	ITEM_SCENARIO,
	ITEM_FREE,
	ITEM_CAPTURE,
} ItemKind;

typedef struct {
	ItemKind kind;
	char *id; /* lesson id or scenario path */
} Item;

typedef struct {
	TuiScreen base;
	GPtrArray *items; /* Item* */
	GPtrArray *lessons;
	GPtrArray *scenarios;
	TuiList list;
	int width;
	char *lang;
} Home;

static void
item_free(gpointer p)
{
	Item *it = p;
	g_free(it->id);
	g_free(it);
}

static Item *
item_new(Home *h, ItemKind kind, const char *id)
{
	Item *it = g_new0(Item, 1);
	it->kind = kind;
	it->id = g_strdup(id);
	g_ptr_array_add(h->items, it);
	return it;
}

static const Scenario *
find_scenario(Home *h, const char *id)
{
	for (guint i = 0; i < h->scenarios->len; i++) {
		const Scenario *sc = h->scenarios->pdata[i];
		if (g_strcmp0(sc->id, id) == 0)
			return sc;
	}
	return NULL;
}

static void
load(Home *h)
{
	g_clear_pointer(&h->lessons, g_ptr_array_unref);
	g_clear_pointer(&h->scenarios, g_ptr_array_unref);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	h->lessons = tui_lesson_list(facteur_paths_lessons(), facteur_i18n_lang(), errors);
	h->scenarios = scenario_list(facteur_paths_scenarios(), errors);
	for (guint i = 0; i < errors->len; i++)
		g_warning("%s", (const char *)errors->pdata[i]);
}

static void
add_text(GPtrArray *lines, int width, int indent, TuiStyle style, const char *text, gpointer data)
{
	TuiSpan span = {(char *)text, style};
	tui_lines_wrap(lines, &span, 1, width, indent, indent + 2, data);
}

static void
add_scenario(Home *h, GPtrArray *lines, int width, const Scenario *sc, const char *lang)
{
	Item *it = item_new(h, ITEM_SCENARIO, sc->path);
	g_autoptr(TuiLine) l = tui_line_new(4);
	l->data = it;
	tui_line_add(l, TUI_STYLE_OK, "▸ ");
	tui_line_add(l, TUI_STYLE_CODE, sc->id);
	tui_line_add(l, TUI_STYLE_TEXT, "  ");
	tui_line_add(l, TUI_STYLE_TEXT, scenario_title(sc, lang));
	tui_lines_wrap_line(lines, l, width, 8);
}

static void
rebuild(Home *h, int width)
{
	const char *lang = facteur_i18n_lang();
	if (g_strcmp0(h->lang, lang) != 0 || h->lessons == NULL) {
		load(h);
		g_free(h->lang);
		h->lang = g_strdup(lang);
	}
	g_ptr_array_set_size(h->items, 0);
	GPtrArray *lines = tui_lines_new();
	g_autoptr(GHashTable) listed = g_hash_table_new(g_str_hash, g_str_equal);

	add_text(lines, width, 1, TUI_STYLE_DIM,
	         _("Choose with ↑ ↓ and open with Enter: a lesson to read it, a scenario to play "
	           "it step by step."),
	         NULL);
	g_ptr_array_add(lines, tui_line_new(0));
	for (guint i = 0; i < h->lessons->len; i++) {
		const TuiLesson *lesson = h->lessons->pdata[i];
		Item *it = item_new(h, ITEM_LESSON, lesson->id);
		add_text(lines, width, 1, TUI_STYLE_HEADING, lesson->title, it);
		add_text(lines, width, 3, TUI_STYLE_DIM, lesson->summary, it);
		for (guint k = 0; lesson->scenarios[k] != NULL; k++) {
			const Scenario *sc = find_scenario(h, lesson->scenarios[k]);
			if (sc == NULL)
				continue;
			add_scenario(h, lines, width, sc, lang);
			g_hash_table_add(listed, sc->id);
		}
	}
	gboolean header = FALSE;
	for (guint i = 0; i < h->scenarios->len; i++) {
		const Scenario *sc = h->scenarios->pdata[i];
		if (g_hash_table_contains(listed, sc->id))
			continue;
		if (!header) {
			g_ptr_array_add(lines, tui_line_new(0));
			add_text(lines, width, 1, TUI_STYLE_HEADING, _("Other scenarios"), NULL);
			header = TRUE;
		}
		add_scenario(h, lines, width, sc, lang);
	}
	g_ptr_array_add(lines, tui_line_new(0));
	Item *fr = item_new(h, ITEM_FREE, NULL);
	add_text(lines, width, 1, TUI_STYLE_HEADING, _("Free session"), fr);
	add_text(lines, width, 3, TUI_STYLE_DIM,
	         _("The three servers run on your mail store: open connections and type the "
	           "commands yourself, each explained as it crosses the wire."),
	         fr);
	Item *cap = item_new(h, ITEM_CAPTURE, NULL);
	add_text(lines, width, 1, TUI_STYLE_HEADING, _("Open a capture…"), cap);
	add_text(
	    lines, width, 3, TUI_STYLE_DIM,
	    _("A pcap or pcapng file from tcpdump or Wireshark, stepped one exchange at a time."),
	    cap);
	tui_list_set_lines(&h->list, lines);
	h->width = width;
}

static char *
title(TuiScreen *s, Tui *tui)
{
	(void)s;
	(void)tui;
	return g_strdup(_("lessons and scenarios"));
}

static void
draw(TuiScreen *s, Tui *tui, const TuiRect *body)
{
	(void)tui;
	Home *h = (Home *)s;
	TuiRect in = tui_rect_inner(body);
	if (h->width != in.w || g_strcmp0(h->lang, facteur_i18n_lang()) != 0)
		rebuild(h, in.w);
	tui_draw_box(body, _("Lessons"), NULL, TRUE);
	tui_list_draw(&h->list, &in, TRUE);
}

static void
open_capture(Tui *tui, const char *path, gpointer data)
{
	(void)data;
	if (path == NULL || *path == '\0')
		return;
	g_autoptr(GError) error = NULL;
	TuiScreen *s = tui_session_new_capture(path, &error);
	if (s == NULL)
		tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
	else
		tui_push(tui, s);
}

static void
open_item(Home *h, Tui *tui, const Item *it)
{
	g_autoptr(GError) error = NULL;
	TuiScreen *s = NULL;
	switch (it->kind) {
	case ITEM_LESSON:
		s = tui_reader_new(it->id);
		break;
	case ITEM_SCENARIO:
		s = tui_session_new_scenario(it->id, &error);
		break;
	case ITEM_FREE:
		s = tui_session_new_free();
		break;
	case ITEM_CAPTURE:
		tui_prompt(tui, _("Capture file (pcap or pcapng):"), NULL, open_capture, h);
		return;
	}
	if (s == NULL)
		tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
	else
		tui_push(tui, s);
}

static void
search_done(Tui *tui, const char *text, gpointer data)
{
	Home *h = data;
	if (text != NULL && !tui_list_search(&h->list, text))
		tui_status(tui, TUI_STYLE_TEXT, _("“%s” is not found."), text);
}

static gboolean
key(TuiScreen *s, Tui *tui, int k)
{
	Home *h = (Home *)s;
	if (k == TUI_KEY_RETURN || k == '\r' || k == TUI_KEY_ENTER || k == ' ' ||
	    k == TUI_KEY_RIGHT) {
		const Item *it = tui_list_selected(&h->list);
		if (it != NULL)
			open_item(h, tui, it);
		return TRUE;
	}
	if (k == '?') {
		tui_push(tui, tui_help_new());
		return TRUE;
	}
	if (k == '/') {
		tui_prompt(tui, _("Search:"), NULL, search_done, h);
		return TRUE;
	}
	if (k == TUI_KEY_HOME) {
		h->list.cursor = -1;
		h->list.top = 0;
		tui_list_key(&h->list, TUI_KEY_DOWN);
		return TRUE;
	}
	return tui_list_key(&h->list, k);
}

static void
lang_changed(TuiScreen *s, Tui *tui)
{
	(void)tui;
	Home *h = (Home *)s;
	h->width = -1;
}

static void
screen_free(TuiScreen *s)
{
	Home *h = (Home *)s;
	g_ptr_array_unref(h->items);
	g_clear_pointer(&h->lessons, g_ptr_array_unref);
	g_clear_pointer(&h->scenarios, g_ptr_array_unref);
	tui_list_clear(&h->list);
	g_free(h->lang);
	g_free(h);
}

static const TuiScreenClass home_class = {
    .name = "home",
    .title = title,
    .draw = draw,
    .key = key,
    .lang_changed = lang_changed,
    .free = screen_free,
};

TuiScreen *
tui_home_new(void)
{
	Home *h = g_new0(Home, 1);
	h->base.klass = &home_class;
	h->items = g_ptr_array_new_with_free_func(item_free);
	h->width = -1;
	tui_list_init(&h->list, TRUE, FALSE);
	return &h->base;
}
