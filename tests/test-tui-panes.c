/* The panes drawn on a real curses screen (output thrown away, the screen
 * read back with mvinnwstr): the Mailbox pane on a real store through a POP3
 * session's DELE, RSET and commit; the Conversation pane tying a reply to
 * its command; the ladder's columns and arrows; the Packets pane. */
#define NCURSES_WIDECHAR 1
#include "store/store.h"
#include "tui/tui-events.h"
#include "tui/tui-pane.h"

#include <curses.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

static SCREEN *scr;
static FILE *out, *in;

static void
screen_up(int cols, int rows)
{
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	scr = newterm("xterm", out, in);
	g_assert_nonnull(scr);
	set_term(scr);
	resizeterm(rows, cols);
	erase();
}

static void
screen_down(void)
{
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}

/* The screen's text, one line per row. */
static char *
screen_text(void)
{
	GString *s = g_string_new(NULL);
	for (int y = 0; y < LINES; y++) {
		wchar_t row[512];
		int n = mvinnwstr(y, 0, row, MIN(COLS, 511));
		row[MAX(n, 0)] = 0;
		g_autofree char *u = g_ucs4_to_utf8((const gunichar *)row, -1, NULL, NULL, NULL);
		g_string_append_printf(s, "%s\n", u != NULL ? u : "");
	}
	return g_string_free(s, FALSE);
}

static char *
draw_pane(TuiPane *p, int cols, int rows)
{
	erase();
	TuiRect r = {0, 0, cols, rows};
	p->klass->draw(p, NULL, &r, TRUE);
	return screen_text();
}

static gboolean
line_has(const char *text, const char *a, const char *b)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] != NULL; i++) {
		if (strstr(lines[i], a) != NULL && (b == NULL || strstr(lines[i], b) != NULL))
			return TRUE;
	}
	return FALSE;
}

static void
deliver(StoreMailbox *mb, const char *subject)
{
	g_autofree char *msg =
	    g_strdup_printf("From: a@example.org\r\nSubject: %s\r\n\r\nBonjour\r\n", subject);
	g_autoptr(GError) error = NULL;
	g_assert_true(store_deliver(mb, msg, strlen(msg), 0, -1, NULL, &error));
	g_assert_no_error(error);
}

static void
test_mailbox(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree char *dir = g_dir_make_tmp("facteur-tui-XXXXXX", &error);
	g_assert_no_error(error);
	StoreOptions opts = {0};
	Store *store = store_open(dir, &opts, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_add(store, "bob", "bobpass", &error));
	g_assert_true(store_user_add(store, "alice", "alicepass", &error));
	{
		g_autoptr(StoreMailbox) mb = store_mailbox_open(store, "bob", "INBOX", &error);
		g_assert_no_error(error);
		deliver(mb, "un");
		deliver(mb, "deux");
		deliver(mb, "trois");
	}

	screen_up(80, 24);
	TuiPane *p = pane_mailbox_new(NULL);
	pane_mailbox_set_store(p, store, "bob");
	g_autofree char *t1 = draw_pane(p, 48, 20);
	g_assert_true(line_has(t1, "bob — INBOX", NULL));
	g_assert_true(line_has(t1, "UIDNEXT 4", "UIDVALIDITY"));
	g_assert_true(line_has(t1, "3 messages", NULL));
	g_assert_false(line_has(t1, "marked for deletion", NULL));

	StorePop3 *pop = store_pop3_open(store, "bob", &error);
	g_assert_no_error(error);
	g_assert_true(store_pop3_mark(pop, 2));
	g_autofree char *t2 = draw_pane(p, 48, 20);
	g_assert_true(line_has(t2, "  2     2 ", "marked for deletion"));
	g_assert_false(line_has(t2, "  1     1 ", "marked for deletion"));
	g_assert_true(line_has(t2, "maildrop is locked", NULL));
	g_assert_true(line_has(t2, "UID 2 marked for deletion (DELE)", NULL));

	store_pop3_reset(pop);
	g_autofree char *t3 = draw_pane(p, 48, 20);
	g_assert_false(line_has(t3, "  2     2 ", "marked for deletion"));
	g_assert_true(line_has(t3, "UID 2 unmarked (RSET)", NULL));

	g_assert_true(store_pop3_mark(pop, 1));
	g_assert_true(store_pop3_mark(pop, 3));
	g_assert_cmpuint(store_pop3_commit(pop, &error), ==, 2);
	store_pop3_close(pop);
	g_autofree char *t4 = draw_pane(p, 48, 20);
	g_assert_true(line_has(t4, "1 message,", NULL));
	g_assert_true(line_has(t4, "  1     2 ", NULL));
	g_assert_false(line_has(t4, "maildrop is locked", NULL));

	/* u cycles users: alice's INBOX is empty. */
	g_assert_true(p->klass->key(p, NULL, 'u'));
	g_autofree char *t5 = draw_pane(p, 48, 20);
	g_assert_true(line_has(t5, "alice — INBOX", NULL));
	g_assert_true(line_has(t5, "(empty)", NULL));

	tui_pane_free(p);
	screen_down();
	store_free(store);
	g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", dir);
	g_assert_cmpint(system(cmd), ==, 0);
}

static void
add_event(TuiEvents *e, guint64 id, guint conn, TraceDir dir, TraceKind kind, const char *raw,
          guint64 pair, const char *explain)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.id = id;
	ev.conn = conn;
	ev.proto = TRACE_PROTO_POP3;
	ev.dir = dir;
	ev.kind = kind;
	ev.client = conn == 1 ? "127.0.0.1:40001" : "127.0.0.1:40002";
	ev.server = "127.0.0.1:2110";
	ev.raw = (const guint8 *)raw;
	ev.raw_len = strlen(raw);
	ev.pair = pair;
	if (kind == TRACE_KIND_REPLY)
		ev.status = "+OK";
	if (explain != NULL)
		trace_event_explain(&ev, explain, "RFC 1939 §5");
	tui_events_add(e, &ev, FALSE);
}

static void
test_conversation_and_ladder(void)
{
	g_autoptr(TuiEvents) e = tui_events_new();
	add_event(e, 1, 1, TRACE_DIR_S2C, TRACE_KIND_REPLY, "+OK POP3 prêt", 0, NULL);
	add_event(e, 2, 1, TRACE_DIR_C2S, TRACE_KIND_COMMAND, "DELE 1", 0,
	          "Marque le message 1 pour effacement.");
	tui_events_mark_newest(e);
	add_event(e, 3, 2, TRACE_DIR_C2S, TRACE_KIND_COMMAND, "STAT", 0, NULL);
	add_event(e, 4, 1, TRACE_DIR_S2C, TRACE_KIND_REPLY, "+OK message 1 marqué", 2, NULL);

	screen_up(100, 30);
	TuiPane *c = pane_conversation_new(e);
	g_autofree char *t = draw_pane(c, 100, 20);
	g_assert_true(line_has(t, "S: +OK POP3 prêt", NULL));
	g_assert_true(line_has(t, "C: DELE 1", NULL));
	g_assert_true(line_has(t, "Marque le message 1", "RFC 1939 §5"));
	/* The reply names the command it answers (pipelined behind c2's STAT). */
	g_assert_true(line_has(t, "+OK message 1 marqué", "↩ DELE 1"));
	g_assert_true(line_has(t, "c2", "STAT"));
	/* The newest lines carry the mark. */
	g_assert_true(line_has(t, "▌", "+OK message 1"));
	g_assert_false(line_has(t, "▌", "C: DELE 1"));
	const TraceEvent *sel = c->klass->selected(c);
	g_assert_nonnull(sel);
	g_assert_cmpuint(sel->id, ==, 4);
	g_assert_true(c->klass->key(c, NULL, TUI_KEY_UP));
	g_assert_cmpuint(c->klass->selected(c)->id, ==, 3);
	g_assert_true(c->klass->search(c, "marque le"));
	g_assert_cmpuint(c->klass->selected(c)->id, ==, 2);
	tui_pane_free(c);

	TuiPane *l = pane_ladder_new(e);
	g_autofree char *lt = draw_pane(l, 100, 20);
	g_assert_true(line_has(lt, "c1 :40001", "POP3 :2110"));
	g_assert_true(line_has(lt, "c2 :40002", NULL));
	g_assert_true(line_has(lt, "DELE 1", "▶"));
	g_assert_true(line_has(lt, "+OK message 1", "◀"));
	tui_pane_free(l);
	screen_down();
}

static void
test_packets(void)
{
	g_autoptr(TuiEvents) e = tui_events_new();
	tui_events_set_capture(e, "libpcap", NULL);
	TraceEvent ev;
	trace_event_init(&ev);
	ev.id = 1;
	ev.kind = TRACE_KIND_PACKET;
	ev.dir = TRACE_DIR_C2S;
	ev.ts_us = 1700000000000000;
	ev.tcp_flags = TRACE_TCP_SYN;
	ev.src_port = 40001;
	ev.dst_port = 2110;
	ev.size = 0;
	ev.summary = "SYN";
	tui_events_add(e, &ev, FALSE);
	ev.id = 2;
	ev.dir = TRACE_DIR_S2C;
	ev.ts_us += 1500;
	ev.tcp_flags = TRACE_TCP_SYN | TRACE_TCP_ACK;
	ev.src_port = 2110;
	ev.dst_port = 40001;
	ev.summary = "SYN ACK";
	tui_events_add(e, &ev, FALSE);

	screen_up(100, 30);
	TuiPane *p = pane_packets_new(e);
	g_autofree char *t = draw_pane(p, 100, 8);
	g_assert_true(line_has(t, "capture: libpcap", NULL));
	g_assert_true(line_has(t, "0.000000", "40001 → 2110"));
	g_assert_true(line_has(t, "0.001500", "SYN ACK"));
	tui_pane_free(p);

	g_autoptr(TuiEvents) tap = tui_events_new();
	tui_events_set_capture(tap, "tap", "no CAP_NET_RAW");
	p = pane_packets_new(tap);
	g_autofree char *t2 = draw_pane(p, 100, 8);
	g_assert_true(line_has(t2, "capture: tap", NULL));
	g_assert_true(line_has(t2, "no CAP_NET_RAW", NULL));
	tui_pane_free(p);
	screen_down();
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "C.UTF-8");
	g_setenv("LANGUAGE", "en", TRUE);
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tui/panes/mailbox", test_mailbox);
	g_test_add_func("/tui/panes/conversation-ladder", test_conversation_and_ladder);
	g_test_add_func("/tui/panes/packets", test_packets);
	return g_test_run();
}
