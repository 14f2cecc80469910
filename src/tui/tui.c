/* The core of the terminal interface. Curses runs inside the one GMainLoop:
 * stdin is a g_unix_fd_add source read without blocking, SIGWINCH a
 * g_unix_signal_add source, and drawing happens on an idle source so that
 * many changes make one redraw. While the screen is up, GLib's log messages
 * and anything written to stderr go to a log file; the status line shows the
 * last one. */
#define NCURSES_WIDECHAR 1
#include "tui/tui.h"
#include "core/facteur-i18n.h"
#include "tui/tui-text.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

struct _Tui {
	GMainLoop *loop;
	GPtrArray *screens; /* TuiScreen*, bottom first */
	SCREEN *term;
	guint stdin_id, winch_id, int_id, term_id, redraw_id;
	gboolean colour;
	int exit_status;

	char *status;
	TuiStyle status_style;

	/* The prompt, when one is open. */
	gboolean prompting;
	gboolean confirming;
	char *prompt_label;
	GString *prompt_text;
	gsize prompt_cursor; /* bytes */
	TuiPromptFunc prompt_done;
	gpointer prompt_data;

	gboolean hold;
	GArray *held; /* int keys */
	int mouse_x, mouse_y;

	char *log_path;
	FILE *log;
	int saved_stderr;
};

static Tui *active; /* the one running interface, for the log writer */
static attr_t style_attrs[TUI_N_STYLES];

/* --- Styles --- */

static void
setup_styles(gboolean colour)
{
	static const struct {
		TuiStyle style;
		short fg;
		attr_t extra;
		attr_t mono;
	} rows[] = {
	    {TUI_STYLE_TEXT, -1, 0, 0},
	    {TUI_STYLE_BOLD, -1, A_BOLD, A_BOLD},
	    {TUI_STYLE_CODE, COLOR_CYAN, 0, A_UNDERLINE},
	    {TUI_STYLE_TITLE, COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE},
	    {TUI_STYLE_HEADING, COLOR_YELLOW, A_BOLD, A_BOLD},
	    {TUI_STYLE_DIM, -1, A_DIM, A_DIM},
	    {TUI_STYLE_CLIENT, COLOR_CYAN, A_BOLD, A_BOLD},
	    {TUI_STYLE_SERVER, COLOR_GREEN, 0, 0},
	    {TUI_STYLE_STATE, COLOR_MAGENTA, A_BOLD, A_BOLD},
	    {TUI_STYLE_NOTE, COLOR_YELLOW, 0, A_UNDERLINE},
	    {TUI_STYLE_ERROR, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE},
	    {TUI_STYLE_OK, COLOR_GREEN, A_BOLD, A_BOLD},
	    {TUI_STYLE_RFC, COLOR_BLUE, A_BOLD, A_DIM},
	    {TUI_STYLE_SELECTED, -1, A_REVERSE, A_REVERSE},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		attr_t a = colour ? rows[i].extra : rows[i].mono;
		if (colour && rows[i].fg >= 0) {
			init_pair((short)(i + 1), rows[i].fg, -1);
			a |= COLOR_PAIR(i + 1);
		}
		style_attrs[rows[i].style] = a;
	}
}

/* --- Drawing --- */

int
tui_draw_text(int y, int x, int maxw, const char *text, TuiStyle style)
{
	if (text == NULL || maxw <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	wchar_t buf[512];
	int n = 0, col = 0;
	const char *p = text;
	while (*p != '\0' && n < (int)G_N_ELEMENTS(buf) - 1) {
		gunichar c = g_utf8_get_char_validated(p, -1);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			c = 0xfffd;
			p++;
		} else {
			p = g_utf8_next_char(p);
		}
		if (c == 0xa0) /* kept together by wrapping, drawn as a plain space */
			c = ' ';
		else if (c < 0x20)
			c = 0x2400 + c;
		else if (c == 0x7f)
			c = 0x2421;
		int w = wcwidth((wchar_t)c);
		if (w < 0)
			w = 1;
		if (col + w > maxw)
			break;
		buf[n++] = (wchar_t)c;
		col += w;
	}
	buf[n] = 0;
	attr_set(style_attrs[style], 0, NULL);
	mvaddnwstr(y, x, buf, n);
	attr_set(A_NORMAL, 0, NULL);
	return col;
}

void
tui_draw_line(int y, int x, int w, const TuiLine *line, gboolean selected)
{
	int col = 0;
	gboolean rev = selected || line->highlight;
	if (rev) {
		attr_set(A_REVERSE, 0, NULL);
		mvhline(y, x, ' ', w);
		attr_set(A_NORMAL, 0, NULL);
	}
	if (line->indent > 0) {
		if (rev) {
			attr_set(A_REVERSE, 0, NULL);
			mvhline(y, x, ' ', MIN(line->indent, w));
			attr_set(A_NORMAL, 0, NULL);
		}
		col = MIN(line->indent, w);
	}
	for (guint i = 0; i < line->spans->len && col < w; i++) {
		const TuiSpan *s = &g_array_index(line->spans, TuiSpan, i);
		if (rev) {
			/* Reverse video on top of the span's own style. */
			attr_t saved = style_attrs[TUI_STYLE_SELECTED];
			style_attrs[TUI_STYLE_SELECTED] = style_attrs[s->style] | A_REVERSE;
			col += tui_draw_text(y, x + col, w - col, s->text, TUI_STYLE_SELECTED);
			style_attrs[TUI_STYLE_SELECTED] = saved;
		} else {
			col += tui_draw_text(y, x + col, w - col, s->text, s->style);
		}
	}
}

void
tui_clear_rect(const TuiRect *r)
{
	for (int y = r->y; y < r->y + r->h; y++)
		mvhline(y, r->x, ' ', r->w);
}

void
tui_draw_box(const TuiRect *r, const char *title, const char *right, gboolean focused)
{
	if (r->w < 2 || r->h < 2)
		return;
	attr_t a = focused ? (style_attrs[TUI_STYLE_TITLE] | A_BOLD) : A_DIM;
	attr_set(a, 0, NULL);
	mvhline(r->y, r->x + 1, focused ? ACS_HLINE : ACS_HLINE, r->w - 2);
	mvhline(r->y + r->h - 1, r->x + 1, ACS_HLINE, r->w - 2);
	mvvline(r->y + 1, r->x, ACS_VLINE, r->h - 2);
	mvvline(r->y + 1, r->x + r->w - 1, ACS_VLINE, r->h - 2);
	mvaddch(r->y, r->x, ACS_ULCORNER);
	mvaddch(r->y, r->x + r->w - 1, ACS_URCORNER);
	mvaddch(r->y + r->h - 1, r->x, ACS_LLCORNER);
	mvaddch(r->y + r->h - 1, r->x + r->w - 1, ACS_LRCORNER);
	attr_set(A_NORMAL, 0, NULL);
	int used = 0;
	if (title != NULL) {
		g_autofree char *t = g_strdup_printf(focused ? "[ %s ]" : " %s ", title);
		used = tui_draw_text(r->y, r->x + 2, r->w - 4, t,
		                     focused ? TUI_STYLE_TITLE : TUI_STYLE_BOLD);
	}
	if (right != NULL) {
		g_autofree char *t = g_strdup_printf(" %s ", right);
		int tw = tui_text_width(t);
		int room = r->w - 4 - used - 1;
		if (room > 4) {
			if (tw > room)
				tw = room;
			tui_draw_text(r->y, r->x + r->w - 2 - tw, tw, t, TUI_STYLE_DIM);
		}
	}
}

/* --- Log --- */

static void
log_line(Tui *tui, const char *text)
{
	if (tui->log == NULL)
		return;
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
	fprintf(tui->log, "%s %s\n", stamp, text);
	fflush(tui->log);
}

static GLogWriterOutput
log_writer(GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
	(void)data;
	if (active == NULL)
		return g_log_writer_default(level, fields, n_fields, NULL);
	if (g_log_writer_default_would_drop(level, NULL))
		return G_LOG_WRITER_HANDLED;
	const char *message = NULL;
	for (gsize i = 0; i < n_fields; i++) {
		if (strcmp(fields[i].key, "MESSAGE") == 0)
			message = fields[i].value;
	}
	if (message == NULL)
		message = "";
	log_line(active, message);
	if (level &
	    (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE))
		tui_status(active,
		           level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING)
		               ? TUI_STYLE_ERROR
		               : TUI_STYLE_TEXT,
		           "%s", message);
	return G_LOG_WRITER_HANDLED;
}

static void
open_log(Tui *tui)
{
	g_autofree char *dir = g_build_filename(g_get_user_state_dir(), "facteur", NULL);
	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_free(dir);
		dir = g_build_filename(g_get_user_cache_dir(), "facteur", NULL);
		g_mkdir_with_parents(dir, 0700);
	}
	tui->log_path = g_build_filename(dir, "tui.log", NULL);
	tui->log = fopen(tui->log_path, "a");
	tui->saved_stderr = -1;
	if (tui->log != NULL) {
		fflush(stderr);
		tui->saved_stderr = dup(STDERR_FILENO);
		dup2(fileno(tui->log), STDERR_FILENO);
	}
	static gsize once;
	if (g_once_init_enter(&once)) {
		g_log_set_writer_func(log_writer, NULL, NULL);
		g_once_init_leave(&once, 1);
	}
}

static void
close_log(Tui *tui)
{
	if (tui->saved_stderr >= 0) {
		fflush(stderr);
		dup2(tui->saved_stderr, STDERR_FILENO);
		close(tui->saved_stderr);
	}
	if (tui->log != NULL)
		fclose(tui->log);
	tui->log = NULL;
}

const char *
tui_log_path(Tui *tui)
{
	return tui->log_path;
}

/* --- Screens, status, prompt --- */

static TuiScreen *
top(Tui *tui)
{
	return tui->screens->len > 0 ? tui->screens->pdata[tui->screens->len - 1] : NULL;
}

static void
screen_free(gpointer p)
{
	TuiScreen *s = p;
	s->klass->free(s);
}

void
tui_push(Tui *tui, TuiScreen *screen)
{
	g_ptr_array_add(tui->screens, screen);
	tui_queue_redraw(tui);
}

void
tui_pop(Tui *tui)
{
	if (tui->screens->len > 0)
		g_ptr_array_remove_index(tui->screens, tui->screens->len - 1);
	if (tui->screens->len == 0)
		tui_quit(tui);
	tui_queue_redraw(tui);
}

void
tui_quit(Tui *tui)
{
	g_main_loop_quit(tui->loop);
}

void
tui_status(Tui *tui, TuiStyle style, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_free(tui->status);
	tui->status = text;
	tui->status_style = style;
	if (style == TUI_STYLE_ERROR)
		log_line(tui, text);
	tui_queue_redraw(tui);
}

void
tui_prompt(Tui *tui, const char *label, const char *initial, TuiPromptFunc done, gpointer data)
{
	tui->prompting = TRUE;
	tui->confirming = FALSE;
	g_free(tui->prompt_label);
	tui->prompt_label = g_strdup(label);
	g_string_assign(tui->prompt_text, initial != NULL ? initial : "");
	tui->prompt_cursor = tui->prompt_text->len;
	tui->prompt_done = done;
	tui->prompt_data = data;
	tui_queue_redraw(tui);
}

void
tui_confirm(Tui *tui, const char *question, TuiPromptFunc done, gpointer data)
{
	tui_prompt(tui, question, NULL, done, data);
	tui->confirming = TRUE;
}

void
tui_hold_keys(Tui *tui, gboolean hold)
{
	tui->hold = hold;
}

void
tui_mouse_position(Tui *tui, int *x_r, int *y_r)
{
	*x_r = tui->mouse_x;
	*y_r = tui->mouse_y;
}

static void
prompt_finish(Tui *tui, gboolean accept)
{
	g_autofree char *text = accept ? g_strdup(tui->prompt_text->str) : NULL;
	TuiPromptFunc done = tui->prompt_done;
	gpointer data = tui->prompt_data;
	tui->prompting = FALSE;
	tui->confirming = FALSE;
	tui_queue_redraw(tui);
	done(tui, text, data);
}

static void
prompt_key(Tui *tui, int key)
{
	GString *t = tui->prompt_text;
	if (tui->confirming) {
		/* y/o (oui) accept; anything else declines. */
		gboolean yes = key == 'y' || key == 'Y' || key == 'o' || key == 'O';
		g_string_assign(t, yes ? "y" : "");
		prompt_finish(tui, yes);
		return;
	}
	switch (key) {
	case TUI_KEY_RETURN:
	case '\r':
	case TUI_KEY_ENTER:
		prompt_finish(tui, TRUE);
		return;
	case TUI_KEY_ESC:
		prompt_finish(tui, FALSE);
		return;
	case TUI_KEY_BACKSPACE:
	case 127:
	case 8:
		if (tui->prompt_cursor > 0) {
			const char *prev =
			    g_utf8_find_prev_char(t->str, t->str + tui->prompt_cursor);
			gsize at = (gsize)(prev - t->str);
			g_string_erase(t, (gssize)at, (gssize)(tui->prompt_cursor - at));
			tui->prompt_cursor = at;
		}
		break;
	case TUI_KEY_LEFT:
		if (tui->prompt_cursor > 0)
			tui->prompt_cursor =
			    (gsize)(g_utf8_find_prev_char(t->str, t->str + tui->prompt_cursor) -
			            t->str);
		break;
	case TUI_KEY_RIGHT:
		if (tui->prompt_cursor < t->len)
			tui->prompt_cursor =
			    (gsize)(g_utf8_next_char(t->str + tui->prompt_cursor) - t->str);
		break;
	case TUI_KEY_HOME:
	case 1: /* C-a */
		tui->prompt_cursor = 0;
		break;
	case TUI_KEY_END:
	case 5: /* C-e */
		tui->prompt_cursor = t->len;
		break;
	case 21: /* C-u */
		g_string_truncate(t, 0);
		tui->prompt_cursor = 0;
		break;
	default:
		if (key >= 0x20 && key < 0x110000 && key != 0x7f) {
			char buf[8];
			int n = g_unichar_to_utf8((gunichar)key, buf);
			g_string_insert_len(t, (gssize)tui->prompt_cursor, buf, n);
			tui->prompt_cursor += (gsize)n;
		}
		break;
	}
	tui_queue_redraw(tui);
}

/* --- Drawing the whole screen --- */

static void
draw_too_small(void)
{
	g_autofree char *msg = g_strdup_printf(
	    _("The terminal is too small: facteur needs at least %d×%d, this one is %d×%d. "
	      "Please enlarge the window (q quits)."),
	    TUI_MIN_COLS, TUI_MIN_ROWS, COLS, LINES);
	int w = MAX(COLS - 2, 10);
	g_autoptr(GPtrArray) lines = tui_text_wrap(msg, w);
	int y = MAX(0, (LINES - (int)lines->len) / 2);
	for (guint i = 0; i < lines->len && y + (int)i < LINES; i++) {
		int lw = tui_text_width(lines->pdata[i]);
		tui_draw_text(y + (int)i, MAX(0, (COLS - lw) / 2), COLS, lines->pdata[i],
		              TUI_STYLE_ERROR);
	}
}

static void
draw_status(Tui *tui, TuiScreen *s, const TuiRect *r)
{
	if (tui->prompting) {
		int x = tui_draw_text(r->y, r->x, r->w, tui->prompt_label, TUI_STYLE_BOLD);
		x += tui_draw_text(r->y, r->x + x, r->w - x, " ", TUI_STYLE_TEXT);
		/* Keep the cursor in view: show the end of a long text. */
		const char *text = tui->prompt_text->str;
		g_autofree char *before = g_strndup(text, tui->prompt_cursor);
		int room = r->w - x - 1;
		const char *shown = text;
		while (tui_text_width(before + (shown - text)) > room && *shown != '\0')
			shown = g_utf8_next_char(shown);
		tui_draw_text(r->y, r->x + x, room, shown, TUI_STYLE_TEXT);
		int cx = r->x + x + tui_text_width(before + (shown - text));
		move(r->y, MIN(cx, r->x + r->w - 1));
		curs_set(1);
		return;
	}
	curs_set(0);
	g_autofree char *right =
	    s != NULL && s->klass->status != NULL ? s->klass->status(s, tui) : NULL;
	g_autofree char *hint = g_strdup_printf("%s%s%s", right != NULL ? right : "",
	                                        right != NULL ? "  " : "", _("? help  q quit"));
	int hw = tui_text_width(hint);
	attr_set(A_REVERSE, 0, NULL);
	mvhline(r->y, r->x, ' ', r->w);
	attr_set(A_NORMAL, 0, NULL);
	int left_w = r->w - hw - 2;
	if (tui->status != NULL && left_w > 0) {
		attr_t saved = style_attrs[TUI_STYLE_SELECTED];
		style_attrs[TUI_STYLE_SELECTED] = style_attrs[tui->status_style] | A_REVERSE;
		tui_draw_text(r->y, r->x + 1, left_w, tui->status, TUI_STYLE_SELECTED);
		style_attrs[TUI_STYLE_SELECTED] = saved;
	}
	if (hw < r->w)
		tui_draw_text(r->y, r->x + r->w - hw - 1, hw, hint, TUI_STYLE_SELECTED);
}

/* The top screen, started (its start hook run once, inside the loop). */
static TuiScreen *
top_started(Tui *tui)
{
	TuiScreen *s = top(tui);
	while (s != NULL && !s->started) {
		s->started = TRUE;
		if (s->klass->start != NULL)
			s->klass->start(s, tui);
		s = top(tui);
	}
	return s;
}

static gboolean
draw_idle(gpointer data)
{
	Tui *tui = data;
	tui->redraw_id = 0;
	erase();
	TuiScreen *s = top_started(tui);
	TuiLayoutWant want = {FALSE, FALSE, -1};
	TuiLayout layout;
	tui_layout_compute(COLS, LINES, &want, &layout);
	if (layout.too_small) {
		draw_too_small();
		curs_set(0);
	} else {
		if (s != NULL) {
			g_autofree char *title = s->klass->title(s, tui);
			attr_set(A_REVERSE | A_BOLD, 0, NULL);
			mvhline(0, 0, ' ', COLS);
			attr_set(A_NORMAL, 0, NULL);
			g_autofree char *full = g_strdup_printf(" facteur — %s", title);
			attr_t saved = style_attrs[TUI_STYLE_SELECTED];
			style_attrs[TUI_STYLE_SELECTED] = A_REVERSE | A_BOLD;
			tui_draw_text(0, 0, COLS - 6, full, TUI_STYLE_SELECTED);
			g_autofree char *lang = g_strdup_printf("[%s] ", facteur_i18n_lang());
			tui_draw_text(0, COLS - 5, 5, lang, TUI_STYLE_SELECTED);
			style_attrs[TUI_STYLE_SELECTED] = saved;
			s->klass->draw(s, tui, &layout.body);
		}
		draw_status(tui, s, &layout.status);
	}
	refresh();
	return G_SOURCE_REMOVE;
}

void
tui_queue_redraw(Tui *tui)
{
	if (tui == NULL) /* a pane drawn outside the interface (tests) */
		return;
	if (tui->redraw_id == 0)
		tui->redraw_id = g_idle_add_full(G_PRIORITY_DEFAULT_IDLE, draw_idle, tui, NULL);
}

/* --- Input --- */

static void
quit_answer(Tui *tui, const char *text, gpointer data)
{
	(void)data;
	if (text != NULL)
		tui_quit(tui);
}

static void
handle_key(Tui *tui, int key)
{
	if (tui->prompting) {
		prompt_key(tui, key);
		return;
	}
	TuiScreen *s = top_started(tui);
	if (tui->status != NULL && tui->status_style != TUI_STYLE_ERROR)
		g_clear_pointer(&tui->status, g_free);
	if (COLS < TUI_MIN_COLS || LINES < TUI_MIN_ROWS) {
		if (key == 'q' || key == 'Q')
			tui_quit(tui);
		return;
	}
	if (s != NULL && s->klass->key(s, tui, key)) {
		tui_queue_redraw(tui);
		return;
	}
	if (key == 'q' || key == 'Q') {
		gboolean ask = FALSE;
		for (guint i = 0; i < tui->screens->len; i++) {
			TuiScreen *t = tui->screens->pdata[i];
			if (t->klass->confirm_quit != NULL && t->klass->confirm_quit(t))
				ask = TRUE;
		}
		if (ask)
			tui_confirm(tui, _("The scenario is half-played. Quit facteur? (y/n)"),
			            quit_answer, NULL);
		else
			tui_quit(tui);
	} else if (key == TUI_KEY_ESC && tui->screens->len > 1) {
		tui_pop(tui);
	} else if (key == 'l' || key == 'L') {
		facteur_i18n_set_lang(strcmp(facteur_i18n_lang(), "fr") == 0 ? "en" : "fr");
		for (guint i = 0; i < tui->screens->len; i++) {
			TuiScreen *t = tui->screens->pdata[i];
			if (t->klass->lang_changed != NULL)
				t->klass->lang_changed(t, tui);
		}
		/* Each language named in itself. */
		tui_status(tui, TUI_STYLE_TEXT, _("Language: %s"),
		           strcmp(facteur_i18n_lang(), "fr") == 0 ? "français" : "English");
	} else if (key == 12) { /* C-l */
		clearok(curscr, TRUE);
	}
	tui_queue_redraw(tui);
}

static void
dispatch(Tui *tui, int key)
{
	if (tui->hold) {
		g_array_append_val(tui->held, key);
		return;
	}
	handle_key(tui, key);
}

static gboolean
on_stdin(gint fd, GIOCondition cond, gpointer data)
{
	(void)fd;
	Tui *tui = data;
	if (cond & (G_IO_HUP | G_IO_ERR | G_IO_NVAL)) {
		tui->stdin_id = 0;
		tui_quit(tui);
		return G_SOURCE_REMOVE;
	}
	wint_t wc;
	int r;
	while ((r = get_wch(&wc)) != ERR) {
		if (r == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				MEVENT me;
				if (getmouse(&me) == OK) {
					tui->mouse_x = me.x;
					tui->mouse_y = me.y;
					if (me.bstate & BUTTON4_PRESSED)
						dispatch(tui, TUI_KEY_WHEEL_UP);
#ifdef BUTTON5_PRESSED
					else if (me.bstate & BUTTON5_PRESSED)
						dispatch(tui, TUI_KEY_WHEEL_DOWN);
#endif
				}
				continue;
			}
			if (wc == KEY_RESIZE) {
				tui_queue_redraw(tui);
				continue;
			}
			dispatch(tui, TUI_KEY_FN((int)wc));
		} else {
			dispatch(tui, (int)wc);
		}
	}
	if (!tui->hold && tui->held->len > 0) {
		g_autoptr(GArray) keys = tui->held;
		tui->held = g_array_new(FALSE, FALSE, sizeof(int));
		for (guint i = 0; i < keys->len; i++)
			handle_key(tui, g_array_index(keys, int, i));
	}
	return G_SOURCE_CONTINUE;
}

static gboolean
on_winch(gpointer data)
{
	Tui *tui = data;
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	tui_queue_redraw(tui);
	return G_SOURCE_CONTINUE;
}

static gboolean
on_quit_signal(gpointer data)
{
	tui_quit(data);
	return G_SOURCE_CONTINUE;
}

/* After keys held during a replay: handle them once the loop is back. */
static gboolean
flush_held(gpointer data)
{
	Tui *tui = data;
	if (tui->hold)
		return G_SOURCE_CONTINUE;
	g_autoptr(GArray) keys = tui->held;
	tui->held = g_array_new(FALSE, FALSE, sizeof(int));
	for (guint i = 0; i < keys->len; i++)
		handle_key(tui, g_array_index(keys, int, i));
	return G_SOURCE_CONTINUE;
}

int
tui_run(TuiScreen *first, GError **error)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		first->klass->free(first);
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            _("the interface needs a terminal (use “facteur play” or “facteur "
		              "decode” to print a transcript)"));
		return 1;
	}
	Tui *tui = g_new0(Tui, 1);
	tui->loop = g_main_loop_new(NULL, FALSE);
	tui->screens = g_ptr_array_new_with_free_func(screen_free);
	tui->prompt_text = g_string_new(NULL);
	tui->held = g_array_new(FALSE, FALSE, sizeof(int));
	g_ptr_array_add(tui->screens, first);

	/* Our SIGWINCH handler goes in before curses, which then leaves it alone. */
	tui->winch_id = g_unix_signal_add(SIGWINCH, on_winch, tui);
	tui->int_id = g_unix_signal_add(SIGINT, on_quit_signal, tui);
	tui->term_id = g_unix_signal_add(SIGTERM, on_quit_signal, tui);

	tui->term = newterm(NULL, stdout, stdin);
	if (tui->term == NULL) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            _("cannot use this terminal (TERM=%s)"), g_getenv("TERM"));
		g_source_remove(tui->winch_id);
		g_source_remove(tui->int_id);
		g_source_remove(tui->term_id);
		g_ptr_array_unref(tui->screens);
		g_string_free(tui->prompt_text, TRUE);
		g_array_unref(tui->held);
		g_main_loop_unref(tui->loop);
		g_free(tui);
		return 1;
	}
	set_term(tui->term);
	set_escdelay(25);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	              | BUTTON5_PRESSED
#endif
	          ,
	          NULL);
	mouseinterval(0);
	tui->colour = has_colors() && g_getenv("NO_COLOR") == NULL;
	if (tui->colour) {
		start_color();
		use_default_colors();
	}
	setup_styles(tui->colour);

	open_log(tui);
	active = tui;
	tui->stdin_id = g_unix_fd_add(STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, tui);
	guint held_id = g_timeout_add(50, flush_held, tui);
	tui_queue_redraw(tui);

	g_main_loop_run(tui->loop);

	g_source_remove(held_id);
	if (tui->stdin_id != 0)
		g_source_remove(tui->stdin_id);
	if (tui->redraw_id != 0)
		g_source_remove(tui->redraw_id);
	g_source_remove(tui->winch_id);
	g_source_remove(tui->int_id);
	g_source_remove(tui->term_id);
	/* Screens go while the log still catches what their servers say. */
	g_ptr_array_set_size(tui->screens, 0);
	endwin();
	delscreen(tui->term);
	active = NULL;
	close_log(tui);

	int status = tui->exit_status;
	g_ptr_array_unref(tui->screens);
	g_string_free(tui->prompt_text, TRUE);
	g_array_unref(tui->held);
	g_free(tui->prompt_label);
	g_free(tui->status);
	g_free(tui->log_path);
	g_main_loop_unref(tui->loop);
	g_free(tui);
	return status;
}
