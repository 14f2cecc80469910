/* The help screen: every key, from one table (the same keys the screens
 * handle; a key added there is added here). */
#include "core/facteur-i18n.h"
#include "tui/tui-list.h"
#include "tui/tui-screens.h"
#include "tui/tui-text.h"

typedef struct {
	const char *keys; /* as written on the keyboard; N_() when it has words */
	const char *what; /* N_() */
} HelpRow;

static const HelpRow help_rows[] = {
    {NULL, N_("Playing a scenario")},
    {N_("Space  →"), N_("next step (in a capture: next exchange)")},
    {"←", N_("previous step (the scenario is replayed from the start to the step before)")},
    {N_("Home"), N_("back to the start")},
    {"r", N_("run to the end")},
    {"i", N_("type a command on the current connection: sent as is, explained like the rest")},
    {"c", N_("open a new connection (SMTP, POP3 or IMAP)")},
    {NULL, N_("Looking around")},
    {N_("Tab  Shift-Tab"), N_("move between panes")},
    {N_("↑ ↓  PgUp PgDn  End"), N_("scroll, move the cursor")},
    {N_("mouse wheel"), N_("scroll the pane under the mouse")},
    {N_("Enter"), N_("details of the line: full explanation, RFC section, raw bytes, MIME tree")},
    {"/  n", N_("search in the pane, next match")},
    {"v", N_("ladder view: an arrow per command and reply, a column per client and server")},
    {"u  b", N_("Mailbox pane: next user, next mailbox")},
    {"z", N_("zoom the pane to the whole screen, and back")},
    {NULL, N_("Everywhere")},
    {"l", N_("switch French / English")},
    {"?", N_("this help")},
    {N_("Esc"), N_("back to the previous screen")},
    {"q", N_("quit (asks first when a scenario is half-played)")},
};

typedef struct {
	TuiScreen base;
	TuiList list;
	int width;
	char *lang;
} Help;

static void
rebuild(Help *h, int width)
{
	GPtrArray *lines = tui_lines_new();
	int kw = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(help_rows); i++) {
		if (help_rows[i].keys != NULL)
			kw = MAX(kw, tui_text_width(_(help_rows[i].keys)));
	}
	kw = MIN(kw, width / 3);
	for (gsize i = 0; i < G_N_ELEMENTS(help_rows); i++) {
		const HelpRow *row = &help_rows[i];
		if (row->keys == NULL) {
			if (i > 0)
				g_ptr_array_add(lines, tui_line_new(0));
			TuiLine *l = tui_line_new(0);
			tui_line_add(l, TUI_STYLE_HEADING, _(row->what));
			g_ptr_array_add(lines, l);
			continue;
		}
		g_autoptr(TuiLine) l = tui_line_new(2);
		g_autofree char *k = tui_text_pad(_(row->keys), kw);
		tui_line_add(l, TUI_STYLE_BOLD, k);
		tui_line_add(l, TUI_STYLE_TEXT, "  ");
		tui_line_add(l, TUI_STYLE_TEXT, _(row->what));
		tui_lines_wrap_line(lines, l, width, kw + 4);
	}
	tui_list_set_lines(&h->list, lines);
	h->width = width;
	g_free(h->lang);
	h->lang = g_strdup(facteur_i18n_lang());
}

static char *
title(TuiScreen *s, Tui *tui)
{
	(void)s;
	(void)tui;
	return g_strdup(_("keys"));
}

static void
draw(TuiScreen *s, Tui *tui, const TuiRect *body)
{
	(void)tui;
	Help *h = (Help *)s;
	TuiRect in = tui_rect_inner(body);
	TuiRect text = {in.x + 1, in.y, in.w - 2, in.h};
	if (h->width != text.w || g_strcmp0(h->lang, facteur_i18n_lang()) != 0)
		rebuild(h, text.w);
	tui_draw_box(body, _("Help"), _("Esc or ? closes"), TRUE);
	tui_list_draw(&h->list, &text, FALSE);
}

static gboolean
key(TuiScreen *s, Tui *tui, int k)
{
	Help *h = (Help *)s;
	if (k == '?' || k == TUI_KEY_ESC || k == TUI_KEY_RETURN || k == '\r') {
		tui_pop(tui);
		return TRUE;
	}
	return tui_list_key(&h->list, k);
}

static void
screen_free(TuiScreen *s)
{
	Help *h = (Help *)s;
	tui_list_clear(&h->list);
	g_free(h->lang);
	g_free(h);
}

static const TuiScreenClass help_class = {
    .name = "help",
    .title = title,
    .draw = draw,
    .key = key,
    .free = screen_free,
};

TuiScreen *
tui_help_new(void)
{
	Help *h = g_new0(Help, 1);
	h->base.klass = &help_class;
	h->width = -1;
	tui_list_init(&h->list, FALSE, FALSE);
	return &h->base;
}
