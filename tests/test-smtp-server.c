/* Tests of the SMTP server over real sockets (127.0.0.1, port 0) with a real
 * store in a temporary directory: every command, every error and limit of
 * issue 3, pipelining, AUTH PLAIN and LOGIN with the failure delay, delivery
 * with its trace headers, dot-unstuffing, idle timeout, shutdown, the
 * connection cap, and a client that disappears in the middle of DATA. */
#include "core/facteur-clock.h"
#include "server/server.h"
#include "test-net.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	char *dir;
	Store *store;
	Servers *servers;
	guint16 port;
} Fixture;

typedef struct {
	gsize max_message_size; /* 0: default */
	guint auth_delay_ms;
	guint idle_seconds;
	guint max_connections;
} Options;

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

static void
start(Fixture *f, const Options *o)
{
	f->dir = g_dir_make_tmp("facteur-smtp-XXXXXX", NULL);
	StoreOptions so = {.limits.max_message_size = o->max_message_size};
	g_autoptr(GError) error = NULL;
	f->store = store_open(f->dir, &so, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_add(f->store, "alice", "alicepass", &error));
	g_assert_true(store_user_add(f->store, "bob", "bobpass", &error));
	ServerConfig config = {
	    .auth_failure_delay_ms = o->auth_delay_ms,
	    .max_connections = o->max_connections,
	};
	config.protocols[SERVER_SMTP] = &server_protocol_smtp;
	config.port_set[SERVER_SMTP] = TRUE;
	config.idle_timeout[SERVER_SMTP] = o->idle_seconds;
	f->servers = servers_new(f->store, &config, &error);
	g_assert_no_error(error);
	f->port = servers_get_port(f->servers, SERVER_SMTP);
}

static void
setup(Fixture *f, gconstpointer data)
{
	static const Options defaults = {0};
	start(f, data != NULL ? data : &defaults);
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

/* Reads one reply, all its lines; returns them joined by '\n'. */
static char *
read_reply(TestClient *c)
{
	GString *all = g_string_new(NULL);
	for (;;) {
		g_autofree char *line = test_client_read_line(c);
		g_assert_nonnull(line);
		if (all->len > 0)
			g_string_append_c(all, '\n');
		g_string_append(all, line);
		if (strlen(line) < 4 || line[3] != '-')
			break;
	}
	return g_string_free(all, FALSE);
}

static void
expect(TestClient *c, const char *prefix)
{
	g_autofree char *r = read_reply(c);
	if (!g_str_has_prefix(r, prefix))
		g_error("reply “%s”, expected “%s…”", r, prefix);
}

static void
chat(TestClient *c, const char *command, const char *prefix)
{
	g_autofree char *line = g_strconcat(command, "\r\n", NULL);
	test_client_send(c, line);
	expect(c, prefix);
}

static TestClient *
connect_ehlo(Fixture *f)
{
	TestClient *c = test_client_connect(f->port);
	expect(c, "220 mail.example.org ESMTP");
	chat(c, "EHLO client.example", "250-mail.example.org");
	return c;
}

static guint
inbox_count(Fixture *f, const char *user)
{
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, user, "INBOX", NULL);
	g_assert_nonnull(mb);
	return store_mailbox_count(mb);
}

/* The last message of a user's INBOX, as a string. */
static char *
last_message(Fixture *f, const char *user)
{
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, user, "INBOX", NULL);
	guint n = store_mailbox_count(mb);
	g_assert_cmpuint(n, >, 0);
	g_autoptr(GBytes) b = store_message_read(mb, store_mailbox_nth(mb, n - 1)->uid, NULL);
	g_assert_nonnull(b);
	gsize len;
	const char *data = g_bytes_get_data(b, &len);
	return g_strndup(data, len);
}

static guint
tmp_files(Fixture *f, const char *user)
{
	g_autofree char *tmp = g_build_filename(f->dir, user, "Maildir", "tmp", NULL);
	g_autoptr(GDir) dir = g_dir_open(tmp, 0, NULL);
	guint n = 0;
	while (dir != NULL && g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

/* --- tests --- */

static void
test_greeting_ehlo_helo(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "220 mail.example.org ESMTP facteur");
	test_client_send(c, "EHLO client.example\r\n");
	g_autofree char *ehlo = read_reply(c);
	g_assert_cmpstr(ehlo, ==,
	                "250-mail.example.org greets client.example\n"
	                "250-PIPELINING\n"
	                "250-SIZE 26210304\n"
	                "250-8BITMIME\n"
	                "250-ENHANCEDSTATUSCODES\n"
	                "250-AUTH PLAIN LOGIN\n"
	                "250 HELP");
	test_client_send(c, "HELO client.example\r\n");
	g_autofree char *helo = read_reply(c);
	g_assert_cmpstr(helo, ==, "250 mail.example.org");
	chat(c, "EHLO", "501 5.5.4");
	chat(c, "EHLO bad\x01name", "501 5.5.2");
	g_autofree char *longname = g_strnfill(256, 'a');
	g_autofree char *cmd = g_strconcat("HELO ", longname, NULL);
	chat(c, cmd, "501 5.5.2");
	chat(c, "QUIT", "221 2.0.0");
	g_assert_true(test_client_wait_closed(c));
}

static const char message[] = "From: Bob <bob@example.org>\r\n"
                              "To: Alice <alice@example.org>\r\n"
                              "Subject: =?UTF-8?Q?R=C3=A9union?=\r\n"
                              "\r\n"
                              "..Une ligne qui commence par un point.\r\n"
                              "...\r\n"
                              "Bare LF here\n"
                              "fin\r\n"
                              ".\r\n";
static const char stored_body[] = "From: Bob <bob@example.org>\r\n"
                                  "To: Alice <alice@example.org>\r\n"
                                  "Subject: =?UTF-8?Q?R=C3=A9union?=\r\n"
                                  "\r\n"
                                  ".Une ligne qui commence par un point.\r\n"
                                  "..\r\n"
                                  "Bare LF here\r\n"
                                  "fin\r\n";

static void
test_deliver_two_recipients(Fixture *f, gconstpointer data)
{
	(void)data;
	facteur_clock_set_deterministic(FACTEUR_CLOCK_DETERMINISTIC_START);
	guint before_a = inbox_count(f, "alice"), before_b = inbox_count(f, "bob");
	g_autoptr(TestClient) c = connect_ehlo(f);
	chat(c, "MAIL FROM:<bob@example.org> SIZE=300 BODY=8BITMIME", "250 2.1.0");
	chat(c, "RCPT TO:<alice@example.org>", "250 2.1.5");
	chat(c, "RCPT TO:<Bob@EXAMPLE.ORG>", "250 2.1.5");
	chat(c, "RCPT TO:<\"alice\"@example.org>", "250 2.1.5"); /* alice again: one copy */
	chat(c, "DATA", "354 ");
	test_client_send(c, message);
	g_autofree char *done = read_reply(c);
	g_assert_true(g_str_has_prefix(done, "250 2.0.0 Ok: queued as F"));
	g_assert_cmpuint(inbox_count(f, "alice"), ==, before_a + 1);
	g_assert_cmpuint(inbox_count(f, "bob"), ==, before_b + 1);

	g_autofree char *a = last_message(f, "alice");
	g_autofree char *b = last_message(f, "bob");
	g_assert_cmpstr(a, ==, b);
	/* Return-Path first, then Received (RFC 5321 §4.4), then the message as sent. */
	g_assert_true(g_str_has_prefix(a, "Return-Path: <bob@example.org>\r\n"
	                                  "Received: from client.example ([127.0.0.1])\r\n"
	                                  "\tby mail.example.org (facteur) with ESMTP id F"));
	g_assert_true(g_str_has_suffix(a, stored_body));
	/* Three recipients: no "for <…>" that would reveal them; the clock's date. */
	g_assert_null(strstr(a, "\tfor <"));
	g_assert_nonnull(strstr(a, ";\r\n\tMon, 02 Nov 2026 09:"));
	const char *queued = strstr(done, "queued as ") + 10;
	g_assert_nonnull(strstr(a, queued));
	facteur_clock_set_deterministic(-1);

	/* The next transaction on the same connection: one recipient, null sender. */
	chat(c, "MAIL FROM:<>", "250 2.1.0");
	chat(c, "RCPT TO:<alice@example.org>", "250 2.1.5");
	chat(c, "DATA", "354 ");
	test_client_send(c, ".\r\n"); /* an empty message */
	expect(c, "250 2.0.0 Ok: queued as");
	g_autofree char *empty = last_message(f, "alice");
	g_assert_true(g_str_has_prefix(empty, "Return-Path: <>\r\n"));
	g_assert_nonnull(strstr(empty, "\r\n\tfor <alice@example.org>;\r\n\t"));
	g_assert_true(g_str_has_suffix(empty, " +0000\r\n"));
	chat(c, "QUIT", "221");
}

static void
test_pipelining(Fixture *f, gconstpointer data)
{
	(void)data;
	guint before = inbox_count(f, "bob");
	g_autoptr(TestClient) c = test_client_connect(f->port);
	/* Everything up to DATA in one segment, as swaks and Thunderbird send it. */
	test_client_send(c, "EHLO client.example\r\nMAIL FROM:<alice@example.org>\r\n"
	                    "RCPT TO:<bob@example.org>\r\nRCPT TO:<ghost@example.org>\r\n"
	                    "DATA\r\n");
	expect(c, "220 ");
	expect(c, "250-mail.example.org");
	expect(c, "250 2.1.0");
	expect(c, "250 2.1.5");
	expect(c, "550 5.1.1 <ghost@example.org>");
	expect(c, "354 ");
	/* The message, its end and the next commands in one segment. */
	test_client_send(c, "Subject: pipelined\r\n\r\nbody\r\n.\r\nNOOP\r\nQUIT\r\n");
	expect(c, "250 2.0.0 Ok: queued as");
	expect(c, "250 2.0.0 Ok");
	expect(c, "221 2.0.0");
	g_assert_true(test_client_wait_closed(c));
	g_assert_cmpuint(inbox_count(f, "bob"), ==, before + 1);
	g_autofree char *m = last_message(f, "bob");
	g_assert_true(g_str_has_suffix(m, "\r\nSubject: pipelined\r\n\r\nbody\r\n"));
	g_assert_nonnull(strstr(m, "\tfor <bob@example.org>;"));

	/* The message split into one-octet segments, the final dot included. */
	g_autoptr(TestClient) d = connect_ehlo(f);
	chat(d, "MAIL FROM:<alice@example.org>", "250");
	chat(d, "RCPT TO:<bob@example.org>", "250");
	chat(d, "DATA", "354");
	const char *msg = "Subject: split\r\n\r\n..x\r\n.\r\n";
	for (const char *p = msg; *p; p++) {
		test_client_send_bytes(d, p, 1);
		test_run_loop_ms(1);
	}
	expect(d, "250 2.0.0");
	g_autofree char *m2 = last_message(f, "bob");
	g_assert_true(g_str_has_suffix(m2, "\r\nSubject: split\r\n\r\n.x\r\n"));
}

static void
test_sequence_and_syntax_errors(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "220 ");
	chat(c, "XYZZY", "500 5.5.2 Error: command not recognized");
	chat(c, "", "500 5.5.2");
	chat(c, "MAIL FROM:<bob@example.org>", "503 5.5.1 Error: send HELO/EHLO first");
	chat(c, "RCPT TO:<alice@example.org>", "503 5.5.1 Error: need MAIL command");
	chat(c, "DATA", "503 5.5.1 Error: need MAIL command");
	chat(c, "NOOP", "250 2.0.0");
	chat(c, "RSET", "250 2.0.0");
	chat(c, "EHLO client.example", "250-");
	chat(c, "MAIL FROM alice@example.org", "501 5.5.4 Syntax error");
	chat(c, "MAIL FROM:alice@example.org", "501 5.5.4");
	chat(c, "MAIL FROM:<alice@@example.org>", "501 5.5.4");
	chat(c, "MAIL FROM:<bob@example.org> SIZE=abc", "501 5.5.4 Bad SIZE");
	chat(c, "MAIL FROM:<bob@example.org> SIZE=999999999999", "552 5.3.4");
	chat(c, "MAIL FROM:<bob@example.org> BODY=BINARYMIME", "501 5.5.4");
	chat(c, "MAIL FROM:<bob@example.org> RET=FULL", "555 5.5.4");
	chat(c, "MAIL FROM:<bob@example.org> XFOO=1", "555 5.5.4");
	chat(c, "MAIL FROM:<bob@example.org> SIZE", "501 5.5.4");
	g_autofree char *longlocal = g_strnfill(250, 'a');
	g_autofree char *longmail = g_strdup_printf("MAIL FROM:<%s@example.org>", longlocal);
	chat(c, longmail, "501 5.1.3");
	chat(c, "DATA", "503 5.5.1 Error: need MAIL command");
	chat(c, "MAIL FROM:<bob@example.org> AUTH=<>", "250 2.1.0");
	chat(c, "MAIL FROM:<bob@example.org>", "503 5.5.1 Error: nested MAIL command");
	chat(c, "DATA", "503 5.5.1 Error: need RCPT command");
	chat(c, "RCPT TO:alice@example.org", "501 5.5.4");
	chat(c, "RCPT TO:<alice@example.org> NOTIFY=NEVER", "555 5.5.4");
	chat(c, "RCPT TO:<nobody@example.org>", "550 5.1.1 <nobody@example.org>");
	chat(c, "RCPT TO:<someone@example.net>", "550 5.7.1 <someone@example.net>: Relay");
	/* Every recipient refused: 554, not 503 (RFC 5321 §3.3). */
	chat(c, "DATA", "554 5.5.1 Error: no valid recipients");
	chat(c, "RCPT TO:<alice@example.org>", "250 2.1.5");
	chat(c, "DATA extra", "501 5.5.4");
	chat(c, "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==", "503 5.5.1");
	chat(c, "RSET", "250 2.0.0");
	chat(c, "RCPT TO:<alice@example.org>", "503 5.5.1 Error: need MAIL command");
	chat(c, "EXPN staff", "502 5.5.1");
	chat(c, "EXPN", "502 5.5.1");
	chat(c, "STARTTLS", "502 5.5.1");
	chat(c, "BDAT 10 LAST", "502 5.5.1");
	chat(c, "ETRN example.org", "502 5.5.1");
	chat(c, "VRFY alice", "252 2.0.0 <alice@example.org>");
	chat(c, "VRFY <Bob@example.org>", "252 2.0.0 <bob@example.org>");
	chat(c, "VRFY Alice Dupont <alice@example.org>", "252 2.0.0");
	chat(c, "VRFY nobody@example.org", "550 5.1.1");
	chat(c, "VRFY someone@example.net", "550 5.7.1");
	chat(c, "VRFY a@@b", "501 5.1.3");
	chat(c, "VRFY", "501 5.5.4");
	chat(c, "HELP", "214-2.0.0");
	chat(c, "HELP mail",
	     "214 2.0.0 MAIL FROM:<reverse-path> [parameters] (RFC 5321 section 4.1.1.2)");
	chat(c, "HELP XYZZY", "504 5.5.4");
	chat(c, "NOOP anything at all", "250 2.0.0");
	/* A line of 1001 octets with its CRLF: 500, and the session goes on. */
	g_autofree char *lng = g_strnfill(999, 'x');
	g_autofree char *noop = g_strconcat("NOOP ", lng + 5, NULL);
	chat(c, noop, "500 5.5.2 Error: line too long");
	g_autofree char *fits = g_strndup(noop, 998);
	chat(c, fits, "250 2.0.0");
	chat(c, "QUIT now", "501 5.5.4");
	chat(c, "quit", "221 2.0.0");
	g_assert_true(test_client_wait_closed(c));
}

static void
test_recipient_limit(Fixture *f, gconstpointer data)
{
	(void)data;
	guint before = inbox_count(f, "alice");
	g_autoptr(TestClient) c = connect_ehlo(f);
	GString *batch = g_string_new("MAIL FROM:<bob@example.org>\r\n");
	for (guint i = 0; i < 101; i++)
		g_string_append(batch, "RCPT TO:<alice@example.org>\r\n");
	test_client_send(c, batch->str);
	g_string_free(batch, TRUE);
	expect(c, "250 2.1.0");
	for (guint i = 0; i < 100; i++)
		expect(c, "250 2.1.5");
	expect(c, "452 4.5.3 Error: too many recipients");
	chat(c, "DATA", "354");
	test_client_send(c, "Subject: many\r\n\r\nx\r\n.\r\n");
	expect(c, "250 2.0.0");
	g_assert_cmpuint(inbox_count(f, "alice"), ==, before + 1);
}

static const Options small_store = {.max_message_size = 16384};

static void
test_message_too_big(Fixture *f, gconstpointer data)
{
	(void)data;
	guint before = inbox_count(f, "alice");
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "220 ");
	test_client_send(c, "EHLO client.example\r\n");
	g_autofree char *ehlo = read_reply(c);
	g_assert_nonnull(strstr(ehlo, "\n250-SIZE 12288\n"));
	chat(c, "MAIL FROM:<bob@example.org> SIZE=12289", "552 5.3.4");
	chat(c, "MAIL FROM:<bob@example.org> SIZE=12288", "250 2.1.0");
	chat(c, "RCPT TO:<alice@example.org>", "250");
	chat(c, "DATA", "354");
	GString *big = g_string_new("Subject: big\r\n\r\n");
	while (big->len < 20000)
		g_string_append(big, "0123456789012345678901234567890123456789012345678\r\n");
	g_string_append(big, ".\r\n");
	test_client_send(c, big->str);
	g_string_free(big, TRUE);
	expect(c, "552 5.3.4 Error: message too big");
	g_assert_cmpuint(inbox_count(f, "alice"), ==, before);
	g_assert_cmpuint(tmp_files(f, "alice"), ==, 0);
	/* The transaction is over; the session is not. */
	chat(c, "RCPT TO:<alice@example.org>", "503");
	chat(c, "MAIL FROM:<bob@example.org>", "250");
	chat(c, "RCPT TO:<alice@example.org>", "250");
	chat(c, "DATA", "354");
	test_client_send(c, "Subject: small\r\n\r\nok\r\n.\r\n");
	expect(c, "250 2.0.0");
	g_assert_cmpuint(inbox_count(f, "alice"), ==, before + 1);
}

static void
test_auth(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "220 ");
	chat(c, "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==", "503 5.5.1");
	chat(c, "HELO client.example", "250");
	chat(c, "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==", "503 5.5.1 Error: AUTH needs EHLO");
	chat(c, "EHLO client.example", "250");
	chat(c, "AUTH CRAM-MD5", "504 5.5.4");
	chat(c, "AUTH", "501 5.5.4");
	chat(c, "AUTH PLAIN a b", "501 5.5.4");
	chat(c, "AUTH PLAIN !!!!", "501 5.5.2");
	chat(c, "AUTH PLAIN AGFsaWNlAHdyb25nLXBhc3N3b3Jk", "535 5.7.8"); /* wrong password */
	chat(c, "AUTH PLAIN =", "535 5.7.8");
	chat(c, "AUTH PLAIN", "334 ");
	chat(c, "*", "501 5.0.0");
	chat(c, "AUTH LOGIN", "334 VXNlcm5hbWU6");
	chat(c, "*", "501 5.0.0");
	chat(c, "AUTH LOGIN", "334 VXNlcm5hbWU6");
	chat(c, "not base64!", "501 5.5.2");
	/* LOGIN, two steps: alice, then alicepass */
	chat(c, "auth login", "334 VXNlcm5hbWU6");
	chat(c, "YWxpY2U=", "334 UGFzc3dvcmQ6");
	chat(c, "YWxpY2VwYXNz", "235 2.7.0 Authentication successful");
	chat(c, "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==", "503 5.5.1 Error: already authenticated");
	chat(c, "MAIL FROM:<alice@example.org>", "250");
	chat(c, "RCPT TO:<bob@example.org>", "250");
	chat(c, "DATA", "354");
	test_client_send(c, "Subject: authenticated\r\n\r\nx\r\n.\r\n");
	expect(c, "250 2.0.0");
	g_autofree char *m = last_message(f, "bob");
	g_assert_nonnull(strstr(m, " with ESMTPA id "));
	/* Authenticated clients do not relay either: nothing leaves this server. */
	chat(c, "MAIL FROM:<alice@example.org>", "250");
	chat(c, "RCPT TO:<someone@example.net>", "550 5.7.1");

	/* PLAIN without an initial response; then an authzid that is not the user. */
	g_autoptr(TestClient) d = connect_ehlo(f);
	chat(d, "AUTH PLAIN", "334 ");
	chat(d, "AGFsaWNlAGFsaWNlcGFzcw==", "235 2.7.0");
	g_autoptr(TestClient) e = connect_ehlo(f);
	chat(e, "AUTH PLAIN Ym9iAGFsaWNlAGFsaWNlcGFzcw==", "535 5.7.8"); /* bob\0alice\0… */
	chat(e, "AUTH PLAIN YWxpY2UAYWxpY2UAYWxpY2VwYXNz", "235 2.7.0"); /* alice\0alice\0… */
	/* An AUTH line over the limit. */
	g_autoptr(TestClient) g = connect_ehlo(f);
	chat(g, "AUTH LOGIN", "334");
	g_autofree char *lng = g_strnfill(1200, 'A');
	chat(g, lng, "500 5.5.6");
	chat(g, "NOOP", "250");
}

static const Options slow_auth = {.auth_delay_ms = 300};

static void
test_auth_delay(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_ehlo(f);
	gint64 t0 = g_get_monotonic_time();
	/* The NOOP is pipelined behind the failing AUTH: it is answered after the 535. */
	test_client_send(c, "AUTH PLAIN AGFsaWNlAHdyb25nLXBhc3N3b3Jk\r\nNOOP\r\n");
	expect(c, "535 5.7.8");
	gint64 waited = g_get_monotonic_time() - t0;
	expect(c, "250 2.0.0");
	g_assert_cmpint(waited, >=, 250 * 1000);
	/* A good password is not delayed. */
	t0 = g_get_monotonic_time();
	chat(c, "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==", "235");
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 250 * 1000);
	/* A client that leaves during the delay: nothing breaks. */
	g_autoptr(TestClient) d = connect_ehlo(f);
	test_client_send(d, "AUTH PLAIN AGFsaWNlAHdyb25nLXBhc3N3b3Jk\r\n");
	g_clear_pointer(&d, test_client_free);
	test_run_loop_ms(400);
	g_assert_cmpuint(servers_count_connections(f->servers, SERVER_SMTP), ==, 1);
}

static const Options quick_idle = {.idle_seconds = 1};

static void
test_idle_timeout(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_ehlo(f);
	chat(c, "MAIL FROM:<bob@example.org>", "250");
	chat(c, "RCPT TO:<alice@example.org>", "250");
	chat(c, "DATA", "354");
	test_client_send(c, "Subject: never finished\r\n\r\n");
	expect(c, "421 4.4.2 mail.example.org");
	g_assert_true(test_client_wait_closed(c));
	test_run_loop_ms(20);
	g_assert_cmpuint(tmp_files(f, "alice"), ==, 0);
}

static void
test_client_vanishes_in_data(Fixture *f, gconstpointer data)
{
	(void)data;
	guint before = inbox_count(f, "alice");
	TestClient *c = connect_ehlo(f);
	chat(c, "MAIL FROM:<bob@example.org>", "250");
	chat(c, "RCPT TO:<alice@example.org>", "250");
	chat(c, "DATA", "354");
	test_client_send(c, "Subject: cut\r\n\r\nhalf a mess");
	test_run_loop_ms(20);
	g_assert_cmpuint(tmp_files(f, "alice"), ==, 1); /* being written */
	test_client_free(c);
	test_run_loop_ms(50);
	g_assert_cmpuint(servers_count_connections(f->servers, SERVER_SMTP), ==, 0);
	g_assert_cmpuint(tmp_files(f, "alice"), ==, 0);
	g_assert_cmpuint(inbox_count(f, "alice"), ==, before);
}

static void
test_shutdown(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_ehlo(f);
	g_clear_pointer(&f->servers, servers_free);
	expect(c, "421 4.3.2 mail.example.org");
	g_assert_true(test_client_wait_closed(c));
}

static const Options one_connection = {.max_connections = 1};

static void
test_connection_cap(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_ehlo(f);
	g_autoptr(TestClient) d = test_client_connect(f->port);
	expect(d, "421 4.7.0");
	g_assert_true(test_client_wait_closed(d));
	chat(c, "NOOP", "250");
}

static void
test_helo_received(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect(c, "220");
	chat(c, "HELO old.client", "250 mail.example.org");
	chat(c, "MAIL FROM:<bob@example.org>", "250");
	chat(c, "RCPT TO:<postmaster@example.org>", "550 5.1.1");
	chat(c, "RCPT TO:<alice@mail.example.org>", "250");
	chat(c, "DATA", "354");
	test_client_send(c, "\r\nno header at all\r\n.\r\n");
	expect(c, "250");
	g_autofree char *m = last_message(f, "alice");
	g_assert_nonnull(strstr(m, "Received: from old.client ([127.0.0.1])\r\n\tby "
	                           "mail.example.org (facteur) with SMTP id "));
	g_assert_true(g_str_has_suffix(m, "\r\n\r\nno header at all\r\n"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn, opts) g_test_add(path, Fixture, opts, setup, fn, teardown)
	ADD("/smtp-server/greeting-ehlo-helo", test_greeting_ehlo_helo, NULL);
	ADD("/smtp-server/deliver", test_deliver_two_recipients, NULL);
	ADD("/smtp-server/pipelining", test_pipelining, NULL);
	ADD("/smtp-server/errors", test_sequence_and_syntax_errors, NULL);
	ADD("/smtp-server/recipient-limit", test_recipient_limit, NULL);
	ADD("/smtp-server/too-big", test_message_too_big, &small_store);
	ADD("/smtp-server/auth", test_auth, NULL);
	ADD("/smtp-server/auth-delay", test_auth_delay, &slow_auth);
	ADD("/smtp-server/idle-timeout", test_idle_timeout, &quick_idle);
	ADD("/smtp-server/vanish-in-data", test_client_vanishes_in_data, NULL);
	ADD("/smtp-server/shutdown", test_shutdown, NULL);
	ADD("/smtp-server/connection-cap", test_connection_cap, &one_connection);
	ADD("/smtp-server/helo-received", test_helo_received, NULL);
	return g_test_run();
}
