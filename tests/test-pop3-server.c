/* Tests of the POP3 server over real sockets (127.0.0.1, port 0) with a real
 * store in a temporary directory: every command of RFC 1939 and CAPA, the
 * DELE → RSET → DELE → QUIT sequence seen by a second session, a disconnect
 * without QUIT, the IN-USE lock, APOP, the delayed -ERR [AUTH], errors,
 * pipelining, a large message under backpressure, idle timeout, shutdown. */
#include "proto/pop3-proto.h"
#include "server/server.h"
#include "test-net.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	char *dir;
	Store *store;
	Servers *servers;
	guint16 port;
	guint32 uidvalidity;
} Fixture;

typedef struct {
	guint auth_delay_ms;
	guint idle_seconds;
	gsize big_message; /* octets of a fourth message for bob, 0: none */
} Options;

/* bob's maildrop: three messages, one with lines that need byte-stuffing. */
static const char *const messages[] = {
    "From: alice@example.org\r\nSubject: un\r\n\r\nPremier message.\r\n",
    "From: alice@example.org\r\nSubject: deux\r\n\r\n.point au debut\r\n.\r\n..\r\nfin\r\n",
    "From: alice@example.org\r\nSubject: trois\r\n\r\nl1\r\nl2\r\nl3\r\n",
};

static void
rm_rf(const char *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *child = g_build_filename(path, name, NULL);
			rm_rf(child);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static char *
big_message(gsize size)
{
	GString *m = g_string_new("Subject: big\r\n\r\n");
	for (guint i = 0; m->len < size; i++)
		g_string_append_printf(m, "%s%08u abcdefghijklmnopqrstuvwxyz\r\n", i % 7 ? "" : ".",
		                       i);
	return g_string_free(m, FALSE);
}

static void
setup(Fixture *f, gconstpointer data)
{
	static const Options defaults = {0};
	const Options *o = data != NULL ? data : &defaults;
	f->dir = g_dir_make_tmp("facteur-pop3-XXXXXX", NULL);
	g_autoptr(GError) error = NULL;
	f->store = store_open(f->dir, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_add(f->store, "alice", "alicepass", &error));
	g_assert_true(store_user_add(f->store, "bob", "bobpass", &error));
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "bob", "INBOX", &error);
	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(messages); i++)
		g_assert_true(
		    store_deliver(mb, messages[i], strlen(messages[i]), 0, -1, NULL, NULL));
	if (o->big_message > 0) {
		g_autofree char *big = big_message(o->big_message);
		g_assert_true(store_deliver(mb, big, strlen(big), 0, -1, NULL, NULL));
	}
	f->uidvalidity = store_mailbox_uidvalidity(mb);
	ServerConfig config = {.auth_failure_delay_ms = o->auth_delay_ms};
	config.protocols[SERVER_POP3] = &server_protocol_pop3;
	config.port_set[SERVER_POP3] = TRUE;
	config.idle_timeout[SERVER_POP3] = o->idle_seconds;
	f->servers = servers_new(f->store, &config, &error);
	g_assert_no_error(error);
	f->port = servers_get_port(f->servers, SERVER_POP3);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	servers_free(f->servers);
	store_free(f->store);
	rm_rf(f->dir);
	g_free(f->dir);
}

/* --- client side --- */

static void
expect(TestClient *c, const char *prefix)
{
	g_autofree char *line = test_client_read_line(c);
	g_assert_nonnull(line);
	if (!g_str_has_prefix(line, prefix))
		g_error("reply “%s”, expected “%s…”", line, prefix);
}

static void
chat(TestClient *c, const char *command, const char *prefix)
{
	g_autofree char *line = g_strconcat(command, "\r\n", NULL);
	test_client_send(c, line);
	expect(c, prefix);
}

/* A multi-line body up to the terminating ".", as sent (still byte-stuffed),
 * ending in ".\r\n". Every body in these tests has at least one line. */
static char *
read_body(TestClient *c)
{
	char *body = test_client_read_until(c, "\r\n.\r\n");
	g_assert_nonnull(body);
	return body;
}

/* The same, unstuffed: what the message was. */
static char *
read_unstuffed(TestClient *c)
{
	g_autofree char *wire = read_body(c);
	Pop3Unstuffer u;
	pop3_unstuffer_init(&u);
	g_autoptr(GByteArray) out = g_byte_array_new();
	gsize used = pop3_unstuffer_feed(&u, (const guint8 *)wire, strlen(wire), out);
	g_assert_true(u.done);
	g_assert_cmpuint(used, ==, strlen(wire));
	return g_strndup((char *)out->data, out->len);
}

static TestClient *
login(Fixture *f, const char *user, const char *password)
{
	TestClient *c = test_client_connect(f->port);
	expect(c, "+OK ");
	g_autofree char *u = g_strdup_printf("USER %s", user);
	g_autofree char *p = g_strdup_printf("PASS %s", password);
	chat(c, u, "+OK");
	chat(c, p, "+OK");
	return c;
}

/* --- tests --- */

static void
test_session(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *greeting = test_client_read_line(c);
	g_assert_true(g_str_has_prefix(greeting, "+OK facteur POP3 server ready <"));
	g_assert_true(g_str_has_suffix(greeting, "@mail.example.org>"));
	test_client_send(c, "CAPA\r\n");
	expect(c, "+OK");
	g_autofree char *capa = read_body(c);
	g_assert_cmpstr(capa, ==,
	                "TOP\r\nUSER\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n"
	                "EXPIRE NEVER\r\nIMPLEMENTATION facteur\r\n.\r\n");
	chat(c, "USER bob", "+OK");
	chat(c, "PASS bobpass", "+OK bob's maildrop has 3 messages (");
	gsize total = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(messages); i++)
		total += strlen(messages[i]);
	g_autofree char *stat = g_strdup_printf("+OK 3 %" G_GSIZE_FORMAT, total);
	test_client_send(c, "STAT\r\n");
	g_autofree char *stat_reply = test_client_read_line(c);
	g_assert_cmpstr(stat_reply, ==, stat);

	test_client_send(c, "LIST\r\n");
	expect(c, "+OK 3 messages");
	g_autofree char *list = read_body(c);
	g_autofree char *want_list =
	    g_strdup_printf("1 %zu\r\n2 %zu\r\n3 %zu\r\n.\r\n", strlen(messages[0]),
	                    strlen(messages[1]), strlen(messages[2]));
	g_assert_cmpstr(list, ==, want_list);
	g_autofree char *list2 = g_strdup_printf("+OK 2 %zu", strlen(messages[1]));
	chat(c, "LIST 2", list2);

	test_client_send(c, "UIDL\r\n");
	expect(c, "+OK");
	g_autofree char *uidl = read_body(c);
	g_autofree char *want_uidl =
	    g_strdup_printf("1 00000001%08x\r\n2 00000002%08x\r\n3 00000003%08x\r\n.\r\n",
	                    f->uidvalidity, f->uidvalidity, f->uidvalidity);
	g_assert_cmpstr(uidl, ==, want_uidl);
	g_autofree char *uidl3 = g_strdup_printf("+OK 3 00000003%08x", f->uidvalidity);
	chat(c, "uidl 3", uidl3);

	/* RETR: byte-stuffed on the wire, the message itself once unstuffed. */
	g_autofree char *octets = g_strdup_printf("+OK %zu octets", strlen(messages[1]));
	chat(c, "RETR 2", octets);
	g_autofree char *wire = read_body(c);
	g_assert_cmpstr(wire, ==,
	                "From: alice@example.org\r\nSubject: deux\r\n\r\n..point au debut\r\n"
	                "..\r\n...\r\nfin\r\n.\r\n");
	chat(c, "RETR 1", "+OK");
	g_autofree char *m1 = read_unstuffed(c);
	g_assert_cmpstr(m1, ==, messages[0]);

	/* TOP n 0: the header and the blank line; TOP n 2: two lines of body. */
	chat(c, "TOP 3 0", "+OK");
	g_autofree char *top0 = read_body(c);
	g_assert_cmpstr(top0, ==, "From: alice@example.org\r\nSubject: trois\r\n\r\n.\r\n");
	chat(c, "TOP 3 2", "+OK");
	g_autofree char *top2 = read_body(c);
	g_assert_cmpstr(top2, ==,
	                "From: alice@example.org\r\nSubject: trois\r\n\r\nl1\r\nl2\r\n.\r\n");
	chat(c, "TOP 3 99", "+OK");
	g_autofree char *top99 = read_unstuffed(c);
	g_assert_cmpstr(top99, ==, messages[2]);
	chat(c, "NOOP", "+OK");
	chat(c, "QUIT", "+OK facteur POP3 server signing off (0 messages deleted)");
	g_assert_true(test_client_wait_closed(c));
	test_run_loop_ms(20);
	g_assert_false(store_pop3_is_locked(f->store, "bob"));
}

static void
test_dele_rset_dele_quit(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = login(f, "bob", "bobpass");
	chat(c, "DELE 1", "+OK message 1 deleted");
	chat(c, "DELE 2", "+OK message 2 deleted");
	g_autofree char *one = g_strdup_printf("+OK 1 %zu", strlen(messages[2]));
	chat(c, "STAT", one);
	/* The store holds the marks, so the TUI sees them live. */
	g_assert_true(store_pop3_is_marked(f->store, "bob", 1));
	g_assert_true(store_pop3_is_marked(f->store, "bob", 2));
	chat(c, "RETR 1", "-ERR message 1 already deleted");
	chat(c, "TOP 2 0", "-ERR message 2 already deleted");
	chat(c, "LIST 1", "-ERR message 1 already deleted");
	chat(c, "UIDL 2", "-ERR message 2 already deleted");
	chat(c, "DELE 1", "-ERR message 1 already deleted");
	test_client_send(c, "LIST\r\n");
	expect(c, "+OK 1 messages");
	g_autofree char *list = read_body(c);
	g_autofree char *want = g_strdup_printf("3 %zu\r\n.\r\n", strlen(messages[2]));
	g_assert_cmpstr(list, ==, want);
	chat(c, "RSET", "+OK 2 marks undone; maildrop has 3 messages");
	g_assert_false(store_pop3_is_marked(f->store, "bob", 1));
	chat(c, "STAT", "+OK 3 ");
	chat(c, "DELE 1", "+OK");
	chat(c, "QUIT", "+OK facteur POP3 server signing off (1 message deleted)");
	g_assert_true(test_client_wait_closed(c));
	test_run_loop_ms(20);

	/* A second session sees the result: two messages, renumbered from 1. */
	g_autoptr(TestClient) d = login(f, "bob", "bobpass");
	g_autofree char *two =
	    g_strdup_printf("+OK 2 %zu", strlen(messages[1]) + strlen(messages[2]));
	chat(d, "STAT", two);
	g_autofree char *uid = g_strdup_printf("+OK 1 00000002%08x", f->uidvalidity);
	chat(d, "UIDL 1", uid);
	chat(d, "RETR 1", "+OK");
	g_autofree char *m = read_unstuffed(d);
	g_assert_cmpstr(m, ==, messages[1]);
	chat(d, "RETR 3", "-ERR No such message 3");
	chat(d, "QUIT", "+OK");
}

static void
test_disconnect_without_quit(Fixture *f, gconstpointer data)
{
	(void)data;
	TestClient *c = login(f, "bob", "bobpass");
	chat(c, "DELE 1", "+OK");
	chat(c, "DELE 3", "+OK");
	test_client_free(c);
	test_run_loop_ms(50);
	g_assert_false(store_pop3_is_locked(f->store, "bob"));
	g_autoptr(TestClient) d = login(f, "bob", "bobpass");
	chat(d, "STAT", "+OK 3 ");
	chat(d, "QUIT", "+OK facteur POP3 server signing off (0 messages deleted)");
}

static void
test_in_use(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) a = login(f, "bob", "bobpass");
	g_autoptr(TestClient) b = test_client_connect(f->port);
	expect(b, "+OK");
	chat(b, "USER bob", "+OK");
	chat(b, "PASS bobpass", "-ERR [IN-USE] ");
	/* Still in AUTHORIZATION: */
	chat(b, "STAT", "-ERR STAT is only valid once logged in");
	/* Another user is not locked. */
	chat(b, "USER alice", "+OK");
	chat(b, "PASS alicepass", "+OK alice's maildrop has 0 messages (0 octets)");
	chat(b, "QUIT", "+OK");
	chat(a, "QUIT", "+OK");
	g_assert_true(test_client_wait_closed(a));
	test_run_loop_ms(20);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "+OK");
	chat(c, "USER bob", "+OK");
	chat(c, "PASS bobpass", "+OK");
}

static void
test_apop(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *greeting = test_client_read_line(c);
	const char *lt = strchr(greeting, '<');
	g_assert_nonnull(lt);
	g_autofree char *secret = g_strconcat(lt, "bobpass", NULL);
	g_autofree char *digest = g_compute_checksum_for_string(G_CHECKSUM_MD5, secret, -1);
	chat(c, "APOP bob 0123456789abcdef0123456789abcdef", "-ERR [AUTH]");
	chat(c, "APOP nobody 0123456789abcdef0123456789abcdef", "-ERR [AUTH]");
	chat(c, "APOP bob", "-ERR Syntax: APOP name digest");
	g_autofree char *cmd = g_strdup_printf("APOP bob %s", digest);
	chat(c, cmd, "+OK bob's maildrop has 3 messages");
	chat(c, "APOP bob x", "-ERR APOP is only valid before logging in");
	chat(c, "USER bob", "-ERR USER is only valid before logging in");
	/* Each greeting has its own timestamp: the digest cannot be replayed. */
	g_autoptr(TestClient) d = test_client_connect(f->port);
	g_autofree char *greeting2 = test_client_read_line(d);
	g_assert_cmpstr(greeting, !=, greeting2);
}

static void
test_errors(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "+OK");
	chat(c, "XYZZY", "-ERR Unknown command: XYZZY");
	chat(c, "", "-ERR Unknown command");
	chat(c, "PASS bobpass", "-ERR Give USER first");
	chat(c, "USER bob", "+OK");
	chat(c, "PASS wrong", "-ERR [AUTH] ");
	chat(c, "PASS bobpass", "-ERR Give USER first"); /* the failure forgot USER */
	chat(c, "USER nosuchuser", "+OK");               /* no hint whether it exists */
	chat(c, "PASS x", "-ERR [AUTH] ");
	chat(c, "USER", "-ERR Syntax: USER name");
	chat(c, "LIST", "-ERR LIST is only valid once logged in");
	chat(c, "RETR 1", "-ERR RETR is only valid once logged in");
	chat(c, "AUTH PLAIN", "-ERR AUTH is not supported");
	chat(c, "STLS", "-ERR STLS is not supported");
	chat(c, "USER bob", "+OK");
	chat(c, "PASS bobpass", "+OK");
	chat(c, "RETR x", "-ERR Invalid message number: x");
	chat(c, "RETR -1", "-ERR Invalid message number: -1");
	chat(c, "RETR 99", "-ERR No such message 99 (the maildrop has 3 messages)");
	chat(c, "LIST 0", "-ERR No such message 0");
	chat(c, "DELE 4", "-ERR No such message 4");
	chat(c, "TOP 2 x", "-ERR Invalid number of lines: x");
	chat(c, "TOP 2", "-ERR Syntax: TOP msg n");
	chat(c, "RETR", "-ERR Syntax: RETR msg");
	chat(c, "STAT 1", "-ERR Syntax: STAT");
	chat(c, "LIST 1 2", "-ERR Syntax: LIST [msg]");
	chat(c, "PASS bobpass", "-ERR PASS is only valid before logging in");
	/* A line of 256 octets with its CRLF: -ERR, and the session goes on. */
	g_autofree char *lng = g_strnfill(254, 'x');
	chat(c, lng, "-ERR Line too long");
	g_autofree char *fits = g_strnfill(253, 'x');
	chat(c, fits, "-ERR Unknown command");
	chat(c, "STAT", "+OK 3 ");
}

static void
test_pipelining(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "+OK");
	test_client_send(c, "USER bob\r\nPASS bobpass\r\nSTAT\r\nLIST\r\nRETR 2\r\nDELE 2\r\n"
	                    "LIST 2\r\nQUIT\r\n");
	expect(c, "+OK");
	expect(c, "+OK bob's maildrop");
	expect(c, "+OK 3 ");
	expect(c, "+OK 3 messages");
	g_autofree char *list = read_body(c);
	g_assert_true(g_str_has_prefix(list, "1 "));
	expect(c, "+OK");
	g_autofree char *m = read_unstuffed(c);
	g_assert_cmpstr(m, ==, messages[1]);
	expect(c, "+OK message 2 deleted");
	expect(c, "-ERR message 2 already deleted");
	expect(c, "+OK facteur POP3 server signing off (1 message deleted)");
	g_assert_true(test_client_wait_closed(c));
}

static const Options slow_auth = {.auth_delay_ms = 300};

static void
test_auth_delay(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "+OK");
	gint64 t0 = g_get_monotonic_time();
	test_client_send(c, "USER bob\r\nPASS wrong\r\nUSER bob\r\nPASS bobpass\r\nSTAT\r\n");
	expect(c, "+OK");
	expect(c, "-ERR [AUTH] ");
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 250 * 1000);
	expect(c, "+OK");
	expect(c, "+OK bob's maildrop");
	expect(c, "+OK 3 ");
}

static const Options big = {.big_message = 3 * 1024 * 1024};

static void
test_big_message_backpressure(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autofree char *want = big_message(big.big_message);
	g_autoptr(TestClient) c = login(f, "bob", "bobpass");
	/* Three RETRs of 3 MB pipelined: answered in turn as the client reads. */
	test_client_send(c, "RETR 4\r\nRETR 4\r\nRETR 4\r\nNOOP\r\n");
	for (int i = 0; i < 3; i++) {
		g_autofree char *ok = g_strdup_printf("+OK %zu octets", strlen(want));
		expect(c, ok);
		g_autofree char *m = read_unstuffed(c);
		g_assert_cmpuint(strlen(m), ==, strlen(want));
		g_assert_true(strcmp(m, want) == 0);
	}
	expect(c, "+OK");
	chat(c, "TOP 4 1", "+OK");
	g_autofree char *top = read_body(c);
	g_assert_cmpstr(top, ==,
	                "Subject: big\r\n\r\n..00000000 abcdefghijklmnopqrstuvwxyz\r\n.\r\n");
}

static const Options quick_idle = {.idle_seconds = 1};

static void
test_idle_timeout(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = login(f, "bob", "bobpass");
	chat(c, "DELE 1", "+OK");
	expect(c, "-ERR Autologout");
	g_assert_true(test_client_wait_closed(c));
	test_run_loop_ms(20);
	g_autoptr(TestClient) d = login(f, "bob", "bobpass");
	chat(d, "STAT", "+OK 3 ");
}

static void
test_shutdown(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = login(f, "bob", "bobpass");
	chat(c, "DELE 1", "+OK");
	g_clear_pointer(&f->servers, servers_free);
	expect(c, "-ERR [SYS/TEMP] Server shutting down");
	g_assert_true(test_client_wait_closed(c));
	g_assert_false(store_pop3_is_locked(f->store, "bob"));
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "bob", "INBOX", NULL);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 3);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn, opts) g_test_add(path, Fixture, opts, setup, fn, teardown)
	ADD("/pop3-server/session", test_session, NULL);
	ADD("/pop3-server/dele-rset-dele-quit", test_dele_rset_dele_quit, NULL);
	ADD("/pop3-server/disconnect-without-quit", test_disconnect_without_quit, NULL);
	ADD("/pop3-server/in-use", test_in_use, NULL);
	ADD("/pop3-server/apop", test_apop, NULL);
	ADD("/pop3-server/errors", test_errors, NULL);
	ADD("/pop3-server/pipelining", test_pipelining, NULL);
	ADD("/pop3-server/auth-delay", test_auth_delay, &slow_auth);
	ADD("/pop3-server/big-message", test_big_message_backpressure, &big);
	ADD("/pop3-server/idle-timeout", test_idle_timeout, &quick_idle);
	ADD("/pop3-server/shutdown", test_shutdown, NULL);
	return g_test_run();
}
