/* The terminal interface's core: curses with wide characters inside the one
 * GMainLoop (stdin and SIGWINCH as GLib sources, redraws scheduled on idle),
 * a stack of screens (small vtables), the status line, a one-line prompt, and
 * a log handler so nothing reaches stderr while the screen is up. */
#pragma once

#include "tui/tui-layout.h"
#include "tui/tui-lines.h"

#include <glib.h>

typedef struct _Tui Tui;
typedef struct _TuiScreen TuiScreen;

/* Keys: Unicode characters as themselves, curses function keys above Unicode. */
#define TUI_KEY_FN(k)      (0x110000 + (k))
#define TUI_KEY_UP         TUI_KEY_FN(0403)
#define TUI_KEY_DOWN       TUI_KEY_FN(0402)
#define TUI_KEY_LEFT       TUI_KEY_FN(0404)
#define TUI_KEY_RIGHT      TUI_KEY_FN(0405)
#define TUI_KEY_HOME       TUI_KEY_FN(0406)
#define TUI_KEY_BACKSPACE  TUI_KEY_FN(0407)
#define TUI_KEY_NPAGE      TUI_KEY_FN(0522)
#define TUI_KEY_PPAGE      TUI_KEY_FN(0523)
#define TUI_KEY_ENTER      TUI_KEY_FN(0527)
#define TUI_KEY_BTAB       TUI_KEY_FN(0541)
#define TUI_KEY_END        TUI_KEY_FN(0550)
#define TUI_KEY_WHEEL_UP   (0x120000 + 1)
#define TUI_KEY_WHEEL_DOWN (0x120000 + 2)
#define TUI_KEY_ESC        27
#define TUI_KEY_RETURN     '\n'
#define TUI_KEY_TAB        '\t'

typedef struct {
	const char *name;
	/* Optional: called once when the screen first comes up, inside the loop. */
	void (*start)(TuiScreen *s, Tui *tui);
	/* Title bar text (caller frees). */
	char *(*title)(TuiScreen *s, Tui *tui);
	/* Draws into body (the rows between title bar and status line). */
	void (*draw)(TuiScreen *s, Tui *tui, const TuiRect *body);
	/* TRUE when the key was used. */
	gboolean (*key)(TuiScreen *s, Tui *tui, int key);
	/* Optional: the language changed (facteur_i18n_lang() is the new one). */
	void (*lang_changed)(TuiScreen *s, Tui *tui);
	/* Optional: TRUE when quitting should be confirmed (a half-played scenario). */
	gboolean (*confirm_quit)(TuiScreen *s);
	/* Optional: text for the right of the status line (caller frees). */
	char *(*status)(TuiScreen *s, Tui *tui);
	void (*free)(TuiScreen *s);
} TuiScreenClass;

struct _TuiScreen {
	const TuiScreenClass *klass;
	gboolean started;
};

/* Runs the interface with first as the bottom screen, until quit. Returns
 * the process exit status. Takes the screen. */
int tui_run(TuiScreen *first, GError **error);

/* Screens: push on top (takes it), pop and free the top one. Popping the last quits. */
void tui_push(Tui *tui, TuiScreen *screen);
void tui_pop(Tui *tui);
void tui_quit(Tui *tui);
void tui_queue_redraw(Tui *tui);
/* A message in the status line until the next key (also written to the log). */
void tui_status(Tui *tui, TuiStyle style, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* A one-line prompt in the status line: done(text) on Enter, done(NULL) on Esc. */
typedef void (*TuiPromptFunc)(Tui *tui, const char *text, gpointer data);
void tui_prompt(Tui *tui, const char *label, const char *initial, TuiPromptFunc done,
                gpointer data);
/* A yes/no question: done("y") or done(NULL). */
void tui_confirm(Tui *tui, const char *question, TuiPromptFunc done, gpointer data);
/* While held, keys are kept and handled afterwards (a replay runs a nested loop). */
void tui_hold_keys(Tui *tui, gboolean hold);
/* Where the mouse was at the last wheel event. */
void tui_mouse_position(Tui *tui, int *x_r, int *y_r);
/* The log file. */
const char *tui_log_path(Tui *tui);

/* Drawing, clipped to the screen. Returns the columns used. */
int tui_draw_text(int y, int x, int maxw, const char *text, TuiStyle style);
/* Draws a styled line in w columns, reversed when selected or line->highlight. */
void tui_draw_line(int y, int x, int w, const TuiLine *line, gboolean selected);
/* Fills a rectangle with blanks. */
void tui_clear_rect(const TuiRect *r);
/* A box with its title in the top border; the focused one stands out. */
void tui_draw_box(const TuiRect *r, const char *title, const char *right, gboolean focused);
