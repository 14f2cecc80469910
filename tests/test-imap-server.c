/* Tests of the IMAP server over real sockets (127.0.0.1, port 0) with a real
 * store in a temporary directory: every command and error, the SELECT lines,
 * UIDVALIDITY after DELETE/CREATE and after the administrative recreate, two
 * sessions seeing each other's EXPUNGE and flags, IDLE receiving EXISTS when
 * the store or the SMTP server delivers, literals, limits, autologout and
 * shutdown. */
#include "server/server.h"
#include "test-net.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	char *dir;
	Store *store;
	Servers *servers;
	guint16 port;
	guint16 smtp_port;
	guint32 uidvalidity;
} Fixture;

typedef struct {
	guint auth_delay_ms;
	guint idle_seconds;
	gsize max_message_size;
} Options;

/* alice's INBOX: three messages; the second unseen, the third a multipart. */
static const char *const messages[] = {
    "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\nSubject: Premier\r\n"
    "Date: Mon, 02 Nov 2026 08:30:00 +0100\r\nMessage-ID: <m1@example.org>\r\n\r\n"
    "Bonjour Alice.\r\n",
    "From: Claire <claire@example.org>\r\nTo: alice@example.org\r\nCc: bob@example.org\r\n"
    "Subject: =?UTF-8?Q?R=C3=A9union?=\r\nDate: Tue, 03 Nov 2026 09:00:00 +0000\r\n\r\n"
    "La reunion est a 10 heures.\r\n",
    "From: bob@example.org\r\nTo: alice@example.org\r\nSubject: Piece jointe\r\n"
    "Date: Wed, 04 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n"
    "--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nVoici le fichier.\r\n"
    "--XX\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
    "Content-Disposition: attachment; filename=\"a.bin\"\r\n\r\nAAECAw==\r\n--XX--\r\n",
};
static const guint32 message_flags[] = {STORE_FLAG_SEEN, 0, STORE_FLAG_SEEN};

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
setup(Fixture *f, gconstpointer data)
{
	static const Options defaults = {0};
	const Options *o = data != NULL ? data : &defaults;
	f->dir = g_dir_make_tmp("facteur-imap-XXXXXX", NULL);
	g_autoptr(GError) error = NULL;
	StoreOptions so = {.limits = {.max_message_size = o->max_message_size}};
	f->store = store_open(f->dir, &so, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_add(f->store, "alice", "alicepass", &error));
	g_assert_true(store_user_add(f->store, "bob", "bobpass", &error));
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	g_assert_no_error(error);
	for (gsize i = 0; i < G_N_ELEMENTS(messages); i++)
		g_assert_true(store_deliver(mb, messages[i], strlen(messages[i]), message_flags[i],
		                            1793610000 + (gint64)i * 86400, NULL, NULL));
	f->uidvalidity = store_mailbox_uidvalidity(mb);
	ServerConfig config = {.auth_failure_delay_ms = o->auth_delay_ms};
	config.protocols[SERVER_IMAP] = &server_protocol_imap;
	config.port_set[SERVER_IMAP] = TRUE;
	config.idle_timeout[SERVER_IMAP] = o->idle_seconds;
	config.protocols[SERVER_SMTP] = &server_protocol_smtp;
	config.port_set[SERVER_SMTP] = TRUE;
	f->servers = servers_new(f->store, &config, &error);
	g_assert_no_error(error);
	f->port = servers_get_port(f->servers, SERVER_IMAP);
	f->smtp_port = servers_get_port(f->servers, SERVER_SMTP);
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

/* Lines up to and including the one tagged tag, joined by "\n". */
static char *
read_tagged(TestClient *c, const char *tag)
{
	GString *out = g_string_new(NULL);
	g_autofree char *prefix = g_strconcat(tag, " ", NULL);
	for (;;) {
		g_autofree char *line = test_client_read_line(c);
		if (line == NULL)
			g_error("connection closed or timeout waiting for “%s”; got:\n%s", tag,
			        out->str);
		if (out->len > 0)
			g_string_append_c(out, '\n');
		g_string_append(out, line);
		if (g_str_has_prefix(line, prefix))
			return g_string_free(out, FALSE);
	}
}

/* Sends "tag text" and returns the answer, tagged line included. */
static char *
cmd(TestClient *c, const char *tag, const char *text)
{
	g_autofree char *line = g_strdup_printf("%s %s\r\n", tag, text);
	test_client_send(c, line);
	return read_tagged(c, tag);
}

static void
expect_line(TestClient *c, const char *expected)
{
	g_autofree char *line = test_client_read_line(c);
	g_assert_nonnull(line);
	g_assert_cmpstr(line, ==, expected);
}

/* The tagged line of an answer (its last line). */
static const char *
tagged_line(const char *answer)
{
	const char *nl = strrchr(answer, '\n');
	return nl != NULL ? nl + 1 : answer;
}

#define ASSERT_TAGGED(answer, prefix)                                                              \
	do {                                                                                       \
		if (!g_str_has_prefix(tagged_line(answer), prefix))                                \
			g_error("answer:\n%s\nexpected the tagged line to start with “%s”",        \
			        answer, prefix);                                                   \
	} while (0)

#define ASSERT_HAS(answer, part)                                                                   \
	do {                                                                                       \
		if (strstr(answer, part) == NULL)                                                  \
			g_error("answer:\n%s\ndoes not contain “%s”", answer, part);               \
	} while (0)

#define ASSERT_HASNT(answer, part)                                                                 \
	do {                                                                                       \
		if (strstr(answer, part) != NULL)                                                  \
			g_error("answer:\n%s\ncontains “%s”", answer, part);                       \
	} while (0)

static TestClient *
connect_login(Fixture *f, const char *user)
{
	TestClient *c = test_client_connect(f->port);
	g_autofree char *greeting = test_client_read_line(c);
	g_assert_true(g_str_has_prefix(greeting, "* OK [CAPABILITY IMAP4rev1 "));
	g_autofree char *login = g_strdup_printf("LOGIN %s %spass", user, user);
	g_autofree char *a = cmd(c, "L1", login);
	ASSERT_TAGGED(a, "L1 OK [CAPABILITY IMAP4rev1");
	return c;
}

static TestClient *
connect_select(Fixture *f, const char *mailbox)
{
	TestClient *c = connect_login(f, "alice");
	g_autofree char *select = g_strdup_printf("SELECT %s", mailbox);
	g_autofree char *a = cmd(c, "S1", select);
	ASSERT_TAGGED(a, "S1 OK [READ-WRITE]");
	return c;
}

/* --- any state, login --- */

static void
test_greeting_capability(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	expect_line(c, "* OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE UIDPLUS NAMESPACE MOVE UNSELECT "
	               "ID CHILDREN SASL-IR AUTH=PLAIN] mail.example.org facteur IMAP4rev1 "
	               "server ready");
	g_autofree char *a = cmd(c, "a1", "CAPABILITY");
	g_assert_cmpstr(a, ==,
	                "* CAPABILITY IMAP4rev1 LITERAL+ IDLE UIDPLUS NAMESPACE MOVE UNSELECT ID "
	                "CHILDREN SASL-IR AUTH=PLAIN\na1 OK Capability completed");
	g_autofree char *b = cmd(c, "a2", "noop");
	g_assert_cmpstr(b, ==, "a2 OK NOOP completed");
	g_autofree char *d = cmd(c, "a3", "ID (\"name\" \"test\")");
	ASSERT_HAS(d, "* ID (\"name\" \"facteur\"");
	ASSERT_TAGGED(d, "a3 OK");
	g_autofree char *e = cmd(c, "a4", "ID NIL");
	ASSERT_TAGGED(e, "a4 OK");
	g_autofree char *g = cmd(c, "a5", "LOGOUT");
	g_assert_cmpstr(g, ==, "* BYE Logging out\na5 OK Logout completed");
	g_assert_true(test_client_wait_closed(c));
}

static void
test_login(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_free(test_client_read_line(c));
	g_autofree char *a = cmd(c, "a1", "LOGIN alice wrong");
	g_assert_cmpstr(a, ==, "a1 NO [AUTHENTICATIONFAILED] Authentication failed");
	g_autofree char *b = cmd(c, "a2", "LOGIN nobody x");
	g_assert_cmpstr(b, ==, "a2 NO [AUTHENTICATIONFAILED] Authentication failed");
	g_autofree char *d = cmd(c, "a3", "LOGIN alice");
	ASSERT_TAGGED(d, "a3 BAD");
	/* A quoted password and a literal user name. */
	test_client_send(c, "a4 LOGIN {5}\r\n");
	expect_line(c, "+ Ready");
	test_client_send(c, "alice \"alicepass\"\r\n");
	g_autofree char *e = read_tagged(c, "a4");
	ASSERT_TAGGED(e, "a4 OK [CAPABILITY");
	g_autofree char *g = cmd(c, "a5", "LOGIN alice alicepass");
	g_assert_cmpstr(g, ==, "a5 BAD LOGIN: already logged in");
}

static void
test_authenticate(Fixture *f, gconstpointer data)
{
	(void)data;
	/* SASL-IR: "\0alice\0alicepass" */
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_free(test_client_read_line(c));
	g_autofree char *a = cmd(c, "a1", "AUTHENTICATE PLAIN AGFsaWNlAGFsaWNlcGFzcw==");
	ASSERT_TAGGED(a, "a1 OK [CAPABILITY IMAP4rev1");

	g_autoptr(TestClient) d = test_client_connect(f->port);
	g_free(test_client_read_line(d));
	test_client_send(d, "b1 AUTHENTICATE PLAIN\r\n");
	expect_line(d, "+ ");
	test_client_send(d, "*\r\n");
	expect_line(d, "b1 BAD Authentication cancelled");
	test_client_send(d, "b2 AUTHENTICATE PLAIN\r\n");
	expect_line(d, "+ ");
	test_client_send(d, "AGFsaWNlAHdyb25n\r\n"); /* \0alice\0wrong */
	expect_line(d, "b2 NO [AUTHENTICATIONFAILED] Authentication failed");
	g_autofree char *e = cmd(d, "b3", "AUTHENTICATE PLAIN !!!");
	ASSERT_TAGGED(e, "b3 BAD");
	g_autofree char *g = cmd(d, "b4", "AUTHENTICATE CRAM-MD5");
	ASSERT_TAGGED(g, "b4 NO [CANNOT]");
	test_client_send(d, "b5 AUTHENTICATE PLAIN\r\n");
	expect_line(d, "+ ");
	test_client_send(d, "Ym9iAGFsaWNlAGFsaWNlcGFzcw==\r\n"); /* bob\0alice\0alicepass */
	expect_line(d, "b5 NO [AUTHORIZATIONFAILED] Acting as another user is not allowed");
	test_client_send(d, "b6 AUTHENTICATE PLAIN\r\n");
	expect_line(d, "+ ");
	test_client_send(d, "AGJvYgBib2JwYXNz\r\n");
	g_autofree char *h = read_tagged(d, "b6");
	ASSERT_TAGGED(h, "b6 OK [CAPABILITY");
}

/* The failure answer waits auth_failure_delay_ms, and pipelined commands
 * wait behind it. */
static void
test_auth_delay(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_free(test_client_read_line(c));
	gint64 t0 = g_get_monotonic_time();
	test_client_send(c, "a1 LOGIN alice wrong\r\na2 NOOP\r\n");
	expect_line(c, "a1 NO [AUTHENTICATIONFAILED] Authentication failed");
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	g_assert_cmpint(ms, >=, 300);
	expect_line(c, "a2 OK NOOP completed");
}

static void
test_wrong_state(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_free(test_client_read_line(c));
	g_autofree char *a = cmd(c, "a1", "SELECT INBOX");
	g_assert_cmpstr(a, ==, "a1 BAD SELECT: log in first (LOGIN or AUTHENTICATE)");
	g_autofree char *b = cmd(c, "a2", "FETCH 1 FLAGS");
	ASSERT_TAGGED(b, "a2 BAD FETCH: log in first");
	g_autofree char *d = cmd(c, "a3", "XYZZY");
	g_assert_cmpstr(d, ==, "a3 BAD Error in IMAP command XYZZY: Unknown command");
	g_autofree char *e = cmd(c, "a4", "LOGIN alice alicepass");
	ASSERT_TAGGED(e, "a4 OK");
	g_autofree char *g = cmd(c, "a5", "FETCH 1 FLAGS");
	g_assert_cmpstr(g, ==, "a5 BAD FETCH: no mailbox selected: SELECT or EXAMINE one first");
	g_autofree char *h = cmd(c, "a6", "UID FROB 1");
	ASSERT_TAGGED(h, "a6 BAD Error in IMAP command UID");
	g_autofree char *i = cmd(c, "a7", "STARTTLS");
	g_assert_cmpstr(i, ==, "a7 BAD STARTTLS is not offered by this server");
	g_autofree char *j = cmd(c, "a8", "NOOP");
	g_assert_cmpstr(j, ==, "a8 OK NOOP completed");
}

static void
test_syntax_errors(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autofree char *a = cmd(c, "a1", "FETCH 1 (FLAGS");
	g_assert_cmpstr(a, ==,
	                "a1 BAD Error in IMAP command FETCH: Missing \")\": a list opened with "
	                "\"(\" is not closed at the end of the line.");
	g_autofree char *b = cmd(c, "a2", "FETCH 1 (NOSUCHITEM)");
	g_assert_cmpstr(b, ==, "a2 BAD Error in IMAP command FETCH: Unknown parameter: NOSUCHITEM");
	g_autofree char *d = cmd(c, "a3", "FETCH abc (FLAGS)");
	ASSERT_TAGGED(d, "a3 BAD Invalid sequence set");
	g_autofree char *e = cmd(c, "a4", "FETCH 9 (FLAGS)");
	ASSERT_TAGGED(e, "a4 BAD Invalid sequence set: the mailbox has 3 messages");
	/* A line over 8 KB: BAD, and the session goes on. */
	g_autoptr(GString) big = g_string_new("a5 FETCH ");
	while (big->len < 9000)
		g_string_append(big, "1,");
	g_string_append(big, "1 FLAGS\r\n");
	test_client_send(c, big->str);
	g_autofree char *g = read_tagged(c, "a5");
	ASSERT_TAGGED(g, "a5 BAD Error in IMAP command FETCH: Command line longer than 8192");
	g_autofree char *h = cmd(c, "a6", "NOOP");
	g_assert_cmpstr(h, ==, "a6 OK NOOP completed");
	/* Before the tag. */
	test_client_send(c, "\r\n");
	expect_line(c, "* BAD Empty line: a command starts with a tag, then the command name.");
	g_autofree char *i = cmd(c, "a7", "SEARCH FROB");
	g_assert_cmpstr(i, ==, "a7 BAD Error in IMAP command SEARCH: Unknown search key FROB");
	g_autofree char *j = cmd(c, "a8", "STORE 1 +FLAGS (\\Recent)");
	ASSERT_TAGGED(j, "a8 BAD Invalid flag \\Recent");
}

/* A literal larger than the store's message limit is refused (BAD) before
 * the client sends it: no "+". */
static void
test_literal_too_large(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	test_client_send(c, "a1 APPEND INBOX {2000}\r\n");
	expect_line(c, "a1 BAD Error in IMAP command APPEND: Literal of 2000 octets: larger than "
	               "the limit of 1000 octets.");
	/* LITERAL+: the octets come anyway and are skipped. */
	g_autoptr(GString) m = g_string_new("a2 APPEND INBOX {1500+}\r\n");
	for (guint i = 0; i < 1500; i++)
		g_string_append_c(m, "a2 NOOP\r\n"[i % 9]);
	g_string_append(m, "\r\na3 NOOP\r\n");
	test_client_send(c, m->str);
	g_autofree char *a = read_tagged(c, "a2");
	ASSERT_TAGGED(a, "a2 BAD Error in IMAP command APPEND: Literal of 1500");
	expect_line(c, "a3 OK NOOP completed");
}

/* --- mailboxes --- */

static void
test_select_examine(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	/* EXAMINE shows \Recent without taking it. */
	g_autofree char *a = cmd(c, "a1", "EXAMINE INBOX");
	g_autofree char *want_a = g_strdup_printf(
	    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "* OK [PERMANENTFLAGS ()] No permanent flags in a read-only mailbox\n"
	    "* 3 EXISTS\n* 3 RECENT\n* OK [UNSEEN 2] First unseen\n"
	    "* OK [UIDVALIDITY %u] UIDs valid\n* OK [UIDNEXT 4] Predicted next UID\n"
	    "a1 OK [READ-ONLY] EXAMINE completed",
	    f->uidvalidity);
	g_assert_cmpstr(a, ==, want_a);
	g_autofree char *b = cmd(c, "a2", "STORE 1 +FLAGS (\\Flagged)");
	ASSERT_TAGGED(b, "a2 NO [READ-ONLY]");
	g_autofree char *bb = cmd(c, "a2b", "FETCH 2 BODY[]");
	ASSERT_HASNT(bb, "\\Seen");
	/* SELECT closes the previous mailbox and claims \Recent. */
	g_autofree char *d = cmd(c, "a3", "SELECT inbox");
	g_autofree char *want_d = g_strdup_printf(
	    "* OK [CLOSED] Previous mailbox closed\n"
	    "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n"
	    "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)] Flags "
	    "permitted\n"
	    "* 3 EXISTS\n* 3 RECENT\n* OK [UNSEEN 2] First unseen\n"
	    "* OK [UIDVALIDITY %u] UIDs valid\n* OK [UIDNEXT 4] Predicted next UID\n"
	    "a3 OK [READ-WRITE] SELECT completed",
	    f->uidvalidity);
	g_assert_cmpstr(d, ==, want_d);
	/* Another session: nothing recent any more, and no UNSEEN when all are seen. */
	g_autoptr(TestClient) c2 = connect_login(f, "alice");
	g_autofree char *e = cmd(c2, "b1", "STORE 2 +FLAGS (\\Seen)");
	ASSERT_TAGGED(e, "b1 BAD");
	g_autofree char *e2 = cmd(c2, "b2", "SELECT INBOX");
	ASSERT_HAS(e2, "* 0 RECENT");
	g_autofree char *e3 = cmd(c2, "b3", "STORE 2 +FLAGS.SILENT (\\Seen)");
	g_assert_cmpstr(e3, ==, "b3 OK STORE completed");
	g_autofree char *e4 = cmd(c2, "b4", "SELECT INBOX");
	ASSERT_HASNT(e4, "UNSEEN");
	/* A failed SELECT leaves no mailbox selected. */
	g_autofree char *g = cmd(c2, "b5", "SELECT Nulle-part");
	g_assert_cmpstr(g, ==,
	                "* OK [CLOSED] Previous mailbox closed\n"
	                "b5 NO [NONEXISTENT] Mailbox doesn't exist");
	g_autofree char *h = cmd(c2, "b6", "FETCH 1 FLAGS");
	ASSERT_TAGGED(h, "b6 BAD FETCH: no mailbox selected");
	/* The first session hears about the \Seen set by the second. */
	g_autofree char *i = cmd(c, "a4", "NOOP");
	g_assert_cmpstr(i, ==, "* 2 FETCH (UID 2 FLAGS (\\Seen \\Recent))\na4 OK NOOP completed");
}

static void
test_create_delete_rename(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	g_autofree char *a = cmd(c, "a1", "CREATE Projets");
	g_assert_cmpstr(a, ==, "a1 OK CREATE completed");
	g_autofree char *b = cmd(c, "a2", "CREATE Projets");
	g_assert_cmpstr(b, ==, "a2 NO [ALREADYEXISTS] Mailbox already exists");
	g_autofree char *d = cmd(c, "a3", "CREATE inbox");
	ASSERT_TAGGED(d, "a3 NO [ALREADYEXISTS]");
	g_autofree char *e = cmd(c, "a4", "CREATE Projets.2026.");
	g_assert_cmpstr(e, ==, "a4 OK CREATE completed");
	g_assert_true(store_mailbox_exists(f->store, "alice", "Projets.2026"));
	g_autofree char *g = cmd(c, "a5", "CREATE \"a..b\"");
	ASSERT_TAGGED(g, "a5 NO [CANNOT]");
	g_autofree char *h = cmd(c, "a6", "CREATE &Jjo");
	ASSERT_TAGGED(h, "a6 NO [CANNOT] Mailbox names travel in modified UTF-7");
	g_autofree char *i = cmd(c, "a7", "DELETE INBOX");
	g_assert_cmpstr(i, ==, "a7 NO [CANNOT] INBOX cannot be deleted (RFC 3501 6.3.4)");
	g_autofree char *j = cmd(c, "a8", "DELETE Nulle-part");
	g_assert_cmpstr(j, ==, "a8 NO [NONEXISTENT] Mailbox doesn't exist");
	g_autofree char *k = cmd(c, "a9", "RENAME Projets.2026 Archives");
	g_assert_cmpstr(k, ==, "a9 OK RENAME completed");
	g_assert_true(store_mailbox_exists(f->store, "alice", "Archives"));
	g_autofree char *l = cmd(c, "a10", "RENAME Nulle-part Autre");
	ASSERT_TAGGED(l, "a10 NO [NONEXISTENT]");
	g_autofree char *m = cmd(c, "a11", "RENAME Archives Projets");
	ASSERT_TAGGED(m, "a11 NO [ALREADYEXISTS]");
	g_autofree char *n = cmd(c, "a12", "DELETE Archives");
	g_assert_cmpstr(n, ==, "a12 OK DELETE completed");
	g_assert_false(store_mailbox_exists(f->store, "alice", "Archives"));
}

/* "Éléments envoyés" travels as modified UTF-7 and is stored in UTF-8. */
static void
test_utf7_names(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	g_autofree char *a = cmd(c, "a1", "CREATE \"&AMk-l&AOk-ments envoy&AOk-s\"");
	g_assert_cmpstr(a, ==, "a1 OK CREATE completed");
	g_assert_true(store_mailbox_exists(f->store, "alice", "Éléments envoyés"));
	g_autofree char *b = cmd(c, "a2", "LIST \"\" *");
	g_assert_cmpstr(b, ==,
	                "* LIST (\\HasNoChildren) \".\" INBOX\n"
	                "* LIST (\\HasNoChildren) \".\" \"&AMk-l&AOk-ments envoy&AOk-s\"\n"
	                "a2 OK LIST completed");
	g_autofree char *d = cmd(c, "a3", "SELECT \"&AMk-l&AOk-ments envoy&AOk-s\"");
	ASSERT_TAGGED(d, "a3 OK [READ-WRITE]");
	/* Raw UTF-8 in a quoted name is not modified UTF-7. */
	g_autofree char *e = cmd(c, "a4", "SELECT \"Éléments envoyés\"");
	ASSERT_TAGGED(e, "a4 NO [CANNOT]");
	g_autofree char *g = cmd(c, "a5", "STATUS \"&AMk-l&AOk-ments envoy&AOk-s\" (MESSAGES)");
	g_assert_cmpstr(g, ==,
	                "* STATUS \"&AMk-l&AOk-ments envoy&AOk-s\" (MESSAGES 0)\n"
	                "a5 OK STATUS completed");
}

static void
test_list_lsub_namespace(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	g_autofree char *x1 = cmd(c, "x1", "CREATE Projets");
	g_autofree char *x2 = cmd(c, "x2", "CREATE Projets.Alpha");
	g_autofree char *x3 = cmd(c, "x3", "CREATE Projets.Beta");
	g_autofree char *a = cmd(c, "a1", "LIST \"\" \"\"");
	g_assert_cmpstr(a, ==, "* LIST (\\Noselect) \".\" \"\"\na1 OK LIST completed");
	g_autofree char *b = cmd(c, "a2", "LIST \"\" %");
	g_assert_cmpstr(b, ==,
	                "* LIST (\\HasNoChildren) \".\" INBOX\n"
	                "* LIST (\\HasChildren) \".\" Projets\na2 OK LIST completed");
	g_autofree char *d = cmd(c, "a3", "LIST Projets. %");
	g_assert_cmpstr(d, ==,
	                "* LIST (\\HasNoChildren) \".\" Projets.Alpha\n"
	                "* LIST (\\HasNoChildren) \".\" Projets.Beta\na3 OK LIST completed");
	g_autofree char *e = cmd(c, "a4", "LIST \"\" inbox");
	g_assert_cmpstr(e, ==, "* LIST (\\HasNoChildren) \".\" INBOX\na4 OK LIST completed");
	g_autofree char *g = cmd(c, "a5", "SUBSCRIBE Projets.Beta");
	g_assert_cmpstr(g, ==, "a5 OK SUBSCRIBE completed");
	/* The parent level is not subscribed: listed \Noselect under "%". */
	g_autofree char *h = cmd(c, "a6", "LSUB \"\" %");
	g_assert_cmpstr(h, ==,
	                "* LSUB (\\Noselect \\HasChildren) \".\" Projets\na6 OK LSUB completed");
	g_autofree char *i = cmd(c, "a7", "LSUB \"\" *");
	g_assert_cmpstr(i, ==, "* LSUB (\\HasNoChildren) \".\" Projets.Beta\na7 OK LSUB completed");
	g_autofree char *j = cmd(c, "a8", "UNSUBSCRIBE Projets.Beta");
	ASSERT_TAGGED(j, "a8 OK");
	g_autofree char *k = cmd(c, "a9", "LSUB \"\" *");
	g_assert_cmpstr(k, ==, "a9 OK LSUB completed");
	g_autofree char *l = cmd(c, "a10", "NAMESPACE");
	g_assert_cmpstr(l, ==, "* NAMESPACE ((\"\" \".\")) NIL NIL\na10 OK NAMESPACE completed");
}

static void
test_status(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	g_autofree char *a =
	    cmd(c, "a1", "STATUS INBOX (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)");
	g_autofree char *want = g_strdup_printf(
	    "* STATUS INBOX (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY %u UNSEEN 1)\n"
	    "a1 OK STATUS completed",
	    f->uidvalidity);
	g_assert_cmpstr(a, ==, want);
	g_autofree char *b = cmd(c, "a2", "STATUS Nulle-part (MESSAGES)");
	ASSERT_TAGGED(b, "a2 NO [NONEXISTENT]");
	g_autofree char *d = cmd(c, "a3", "STATUS INBOX (SIZE)");
	ASSERT_TAGGED(d, "a3 BAD");
}

/* DELETE then CREATE: a new, larger UIDVALIDITY; a session that had the
 * mailbox selected is told BYE at once. */
static void
test_uidvalidity_delete_create(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	g_autofree char *a = cmd(c, "a1", "CREATE Projets");
	g_autofree char *b = cmd(c, "a2", "APPEND Projets {10+}\r\nSubject: x");
	ASSERT_TAGGED(b, "a2 OK [APPENDUID ");
	guint32 v1 = 0, uid = 0;
	g_assert_cmpint(sscanf(tagged_line(b), "a2 OK [APPENDUID %u %u]", &v1, &uid), ==, 2);
	g_assert_cmpuint(uid, ==, 1);
	g_autoptr(TestClient) other = connect_select(f, "Projets");
	g_autofree char *d = cmd(c, "a3", "DELETE Projets");
	g_assert_cmpstr(d, ==, "a3 OK DELETE completed");
	expect_line(other, "* BYE The selected mailbox was deleted or replaced (new UIDVALIDITY): "
	                   "log in again and forget the UIDs you kept");
	g_assert_true(test_client_wait_closed(other));
	g_autofree char *e = cmd(c, "a4", "SELECT Projets");
	g_assert_cmpstr(e, ==, "a4 NO [NONEXISTENT] Mailbox doesn't exist");
	g_autofree char *g = cmd(c, "a5", "CREATE Projets");
	g_autofree char *h = cmd(c, "a6", "SELECT Projets");
	guint32 v2 = 0;
	const char *p = strstr(h, "[UIDVALIDITY ");
	g_assert_nonnull(p);
	g_assert_cmpint(sscanf(p, "[UIDVALIDITY %u]", &v2), ==, 1);
	g_assert_cmpuint(v2, >, v1);
	ASSERT_HAS(h, "* 0 EXISTS");
	ASSERT_HAS(h, "[UIDNEXT 1]");
	g_autofree char *h1 = cmd(c, "a6a", "FETCH 1:* FLAGS");
	g_assert_cmpstr(h1, ==, "a6a OK FETCH completed");
	g_autofree char *h2 = cmd(c, "a6b", "FETCH 1 FLAGS");
	ASSERT_TAGGED(h2, "a6b BAD Invalid sequence set: the mailbox has 0 messages");
	/* Deleting its own selected mailbox leaves the session selected nowhere. */
	g_autofree char *i = cmd(c, "a7", "DELETE Projets");
	g_assert_cmpstr(i, ==,
	                "* OK [CLOSED] The selected mailbox is gone\na7 OK DELETE completed");
	g_autofree char *j = cmd(c, "a8", "NOOP");
	g_assert_cmpstr(j, ==, "a8 OK NOOP completed");
}

/* The administrative recreate (INBOX included): the sessions on it get BYE,
 * and the next SELECT shows a larger UIDVALIDITY and no messages. */
static void
test_uidvalidity_recreate(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autoptr(GError) error = NULL;
	g_assert_true(store_mailbox_recreate(f->store, "alice", "INBOX", &error));
	g_assert_no_error(error);
	expect_line(c, "* BYE The selected mailbox was deleted or replaced (new UIDVALIDITY): "
	               "log in again and forget the UIDs you kept");
	g_assert_true(test_client_wait_closed(c));
	g_autoptr(TestClient) d = connect_login(f, "alice");
	g_autofree char *a = cmd(d, "a1", "SELECT INBOX");
	guint32 v = 0;
	const char *p = strstr(a, "[UIDVALIDITY ");
	g_assert_cmpint(sscanf(p, "[UIDVALIDITY %u]", &v), ==, 1);
	g_assert_cmpuint(v, >, f->uidvalidity);
	ASSERT_HAS(a, "* 0 EXISTS");
	ASSERT_HAS(a, "[UIDNEXT 1]");
}

/* --- messages --- */

static void
test_append(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	const char *msg = "From: a@example.org\r\nSubject: ajout\r\n\r\nCorps\r\n";
	g_autofree char *line = g_strdup_printf(
	    "a1 APPEND INBOX (\\Seen \\Flagged) \" 5-Nov-2026 10:20:30 +0100\" {%zu}\r\n",
	    strlen(msg));
	test_client_send(c, line);
	expect_line(c, "+ Ready");
	test_client_send(c, msg);
	test_client_send(c, "\r\n");
	g_autofree char *a = read_tagged(c, "a1");
	g_autofree char *want = g_strdup_printf(
	    "* 4 EXISTS\n* 4 RECENT\na1 OK [APPENDUID %u 4] APPEND completed", f->uidvalidity);
	g_assert_cmpstr(a, ==, want);
	g_autofree char *b = cmd(c, "a2", "FETCH 4 (FLAGS INTERNALDATE RFC822.SIZE)");
	g_autofree char *want_b = g_strdup_printf(
	    "* 4 FETCH (FLAGS (\\Seen \\Flagged \\Recent) INTERNALDATE \"05-Nov-2026 09:20:30 "
	    "+0000\" RFC822.SIZE %zu)\na2 OK FETCH completed",
	    strlen(msg));
	g_assert_cmpstr(b, ==, want_b);
	/* A missing mailbox: NO [TRYCREATE] before the literal, no "+". */
	test_client_send(c, "a3 APPEND Nulle-part {10}\r\n");
	expect_line(c, "a3 NO [TRYCREATE] Mailbox doesn't exist");
	/* The same with LITERAL+: the octets are read, then refused. */
	g_autofree char *d = cmd(c, "a4", "APPEND Nulle-part {3+}\r\nabc");
	g_assert_cmpstr(d, ==, "a4 NO [TRYCREATE] Mailbox doesn't exist");
	g_autofree char *e = cmd(c, "a5", "APPEND INBOX \"not a date\" {3+}\r\nabc");
	ASSERT_TAGGED(e, "a5 BAD");
	g_autofree char *g = cmd(c, "a6", "APPEND INBOX {0+}\r\n");
	ASSERT_TAGGED(g, "a6 NO [CANNOT]");
	/* Bare LF line ends become CRLF. */
	g_autofree char *h = cmd(c, "a7", "APPEND INBOX {11+}\r\nSubject: x\n");
	ASSERT_TAGGED(h, "a7 OK [APPENDUID");
	g_autofree char *i = cmd(c, "a8", "FETCH 5 RFC822.SIZE");
	ASSERT_HAS(i, "RFC822.SIZE 12)");
}

static void
test_fetch(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autofree char *a = cmd(c, "a1", "FETCH 1:* (UID FLAGS)");
	g_assert_cmpstr(a, ==,
	                "* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent))\n"
	                "* 2 FETCH (UID 2 FLAGS (\\Recent))\n"
	                "* 3 FETCH (UID 3 FLAGS (\\Seen \\Recent))\na1 OK FETCH completed");
	g_autofree char *b = cmd(c, "a2", "FETCH 1 ENVELOPE");
	g_assert_cmpstr(b, ==,
	                "* 1 FETCH (ENVELOPE (\"Mon, 02 Nov 2026 08:30:00 +0100\" \"Premier\" "
	                "((\"Bob\" NIL \"bob\" \"example.org\")) ((\"Bob\" NIL \"bob\" "
	                "\"example.org\")) ((\"Bob\" NIL \"bob\" \"example.org\")) ((NIL NIL "
	                "\"alice\" \"example.org\")) NIL NIL NIL \"<m1@example.org>\"))\n"
	                "a2 OK FETCH completed");
	g_autofree char *d = cmd(c, "a3", "FETCH 3 (BODYSTRUCTURE BODY)");
	ASSERT_HAS(d, "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" "
	              "17 0 NIL NIL NIL NIL)(\"application\" \"octet-stream\" NIL NIL NIL "
	              "\"base64\" 8 NIL (\"attachment\" (\"filename\" \"a.bin\")) NIL NIL) "
	              "\"mixed\" (\"boundary\" \"XX\") NIL NIL NIL)");
	ASSERT_HAS(d, "BODY ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 17 0)"
	              "(\"application\" \"octet-stream\" NIL NIL NIL \"base64\" 8) \"mixed\")");
	/* BODY.PEEK leaves \Seen alone; BODY[] sets it and says so. */
	g_autofree char *e = cmd(c, "a4", "FETCH 2 BODY.PEEK[HEADER.FIELDS (Subject)]");
	g_assert_cmpstr(e, ==,
	                "* 2 FETCH (BODY[HEADER.FIELDS (Subject)] {37}\n"
	                "Subject: =?UTF-8?Q?R=C3=A9union?=\n\n)\na4 OK FETCH completed");
	g_autofree char *g = cmd(c, "a5", "FETCH 2 (FLAGS)");
	ASSERT_HAS(g, "FLAGS (\\Recent)");
	g_autofree char *h = cmd(c, "a6", "FETCH 2 BODY[TEXT]<3.7>");
	g_assert_cmpstr(h, ==,
	                "* 2 FETCH (FLAGS (\\Seen \\Recent) BODY[TEXT]<3> {7}\nreunion)\n"
	                "a6 OK FETCH completed");
	g_autofree char *i = cmd(c, "a7", "FETCH 3 (BODY[2] BODY[2.MIME] BODY[9])");
	g_assert_cmpstr(i, ==,
	                "* 3 FETCH (BODY[2] {8}\nAAECAw== BODY[2.MIME] {128}\n"
	                "Content-Type: application/octet-stream\nContent-Transfer-Encoding: "
	                "base64\nContent-Disposition: attachment; filename=\"a.bin\"\n\n"
	                " BODY[9] NIL)\na7 OK FETCH completed");
	g_autofree char *j = cmd(c, "a8", "UID FETCH 1 (RFC822.HEADER RFC822.SIZE)");
	ASSERT_HAS(j, "* 1 FETCH (UID 1 RFC822.HEADER {");
	ASSERT_HAS(j, "RFC822.SIZE 157)");
	g_autofree char *k = cmd(c, "a9", "FETCH 1 FAST");
	g_assert_cmpstr(k, ==,
	                "* 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE \"02-Nov-2026 09:00:00 "
	                "+0000\" RFC822.SIZE 157)\na9 OK FETCH completed");
	g_autofree char *l = cmd(c, "a10", "FETCH 1 ALL");
	ASSERT_HAS(l, "RFC822.SIZE 157 ENVELOPE (");
	g_autofree char *m = cmd(c, "a11", "FETCH 1 FULL");
	ASSERT_HAS(m, " BODY (\"text\" \"plain\"");
	g_autofree char *n = cmd(c, "a12", "FETCH 1 RFC822");
	ASSERT_HAS(n, "* 1 FETCH (RFC822 {157}\nFrom: Bob");
	g_autofree char *o = cmd(c, "a13", "FETCH 1 (RFC822.TEXT BODY[1])");
	g_assert_cmpstr(o, ==,
	                "* 1 FETCH (RFC822.TEXT {16}\nBonjour Alice.\n BODY[1] {16}\n"
	                "Bonjour Alice.\n)\na13 OK FETCH completed");
	g_autofree char *p = cmd(c, "a14", "FETCH 1 (ALL)");
	ASSERT_TAGGED(p, "a14 BAD");
	g_autofree char *q = cmd(c, "a15", "FETCH 1 BODY[]<0>");
	ASSERT_TAGGED(q, "a15 BAD");
	g_autofree char *r = cmd(c, "a16", "UID FETCH 100:* UID");
	g_assert_cmpstr(r, ==, "* 3 FETCH (UID 3)\na16 OK UID FETCH completed");
	g_autofree char *s = cmd(c, "a17", "UID FETCH 50:60 UID");
	g_assert_cmpstr(s, ==, "a17 OK UID FETCH completed");
}

static void
test_search(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	static const struct {
		const char *criteria;
		const char *result;
	} cases[] = {
	    {"ALL", "* SEARCH 1 2 3"},
	    {"SEEN", "* SEARCH 1 3"},
	    {"UNSEEN", "* SEARCH 2"},
	    {"NEW", "* SEARCH 2"},
	    {"OLD", "* SEARCH"},
	    {"RECENT", "* SEARCH 1 2 3"},
	    {"ANSWERED", "* SEARCH"},
	    {"UNANSWERED", "* SEARCH 1 2 3"},
	    {"DELETED", "* SEARCH"},
	    {"UNDELETED FLAGGED", "* SEARCH"},
	    {"UNFLAGGED DRAFT", "* SEARCH"},
	    {"UNDRAFT", "* SEARCH 1 2 3"},
	    {"FROM bob", "* SEARCH 1 3"},
	    {"FROM \"CLAIRE\"", "* SEARCH 2"},
	    {"TO alice", "* SEARCH 1 2 3"},
	    {"CC bob", "* SEARCH 2"},
	    {"BCC bob", "* SEARCH"},
	    {"CHARSET UTF-8 SUBJECT {8+}\r\nréunion", "* SEARCH 2"},
	    {"SUBJECT premier", "* SEARCH 1"},
	    {"BODY fichier", "* SEARCH 3"},
	    {"BODY Subject", "* SEARCH"},
	    {"TEXT Subject", "* SEARCH 1 2 3"},
	    {"TEXT \"10 heures\"", "* SEARCH 2"},
	    {"HEADER Message-ID m1", "* SEARCH 1"},
	    {"HEADER Content-Type \"\"", "* SEARCH 3"},
	    {"LARGER 200", "* SEARCH 3"},
	    {"SMALLER 200", "* SEARCH 1 2"},
	    {"BEFORE 3-Nov-2026", "* SEARCH 1"},
	    {"ON 3-Nov-2026", "* SEARCH 2"},
	    {"SINCE 3-Nov-2026", "* SEARCH 2 3"},
	    {"SENTBEFORE 2-Nov-2026", "* SEARCH"},
	    {"SENTON 2-Nov-2026", "* SEARCH 1"},
	    {"SENTSINCE 3-Nov-2026", "* SEARCH 2 3"},
	    {"NOT SEEN", "* SEARCH 2"},
	    {"OR FROM claire SUBJECT premier", "* SEARCH 1 2"},
	    {"NOT OR 1 3", "* SEARCH 2"},
	    {"(SEEN FROM bob) LARGER 200", "* SEARCH 3"},
	    {"2:*", "* SEARCH 2 3"},
	    {"UID 1,3", "* SEARCH 1 3"},
	    {"KEYWORD $Junk", "* SEARCH"},
	    {"UNKEYWORD $Junk", "* SEARCH 1 2 3"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *tag = g_strdup_printf("s%zu", i);
		g_autofree char *text = g_strdup_printf("SEARCH %s", cases[i].criteria);
		g_autofree char *answer = cmd(c, tag, text);
		g_autofree char *want =
		    g_strdup_printf("%s\n%s OK SEARCH completed", cases[i].result, tag);
		if (g_strcmp0(answer, want) != 0)
			g_error("SEARCH %s:\n%s\nexpected\n%s", cases[i].criteria, answer, want);
	}
	g_autofree char *a = cmd(c, "a1", "UID SEARCH UNSEEN");
	g_assert_cmpstr(a, ==, "* SEARCH 2\na1 OK UID SEARCH completed");
	g_autofree char *b = cmd(c, "a2", "SEARCH CHARSET KOI8-R ALL");
	g_assert_cmpstr(b, ==,
	                "a2 NO [BADCHARSET (UTF-8 US-ASCII)] Only UTF-8 and US-ASCII "
	                "searches are supported");
	g_autofree char *d = cmd(c, "a3", "SEARCH BEFORE yesterday");
	ASSERT_TAGGED(d, "a3 BAD");
	g_autofree char *e = cmd(c, "a4", "SEARCH OR SEEN");
	ASSERT_TAGGED(e, "a4 BAD");
	g_autofree char *g = cmd(c, "a5", "SEARCH");
	ASSERT_TAGGED(g, "a5 BAD");
	/* 8-bit text travels quoted or as a literal, not as an atom. */
	g_autofree char *h = cmd(c, "a6", "SEARCH SUBJECT réunion");
	ASSERT_TAGGED(h, "a6 BAD Error in IMAP command SEARCH: The octet 0xC3 is not allowed "
	                 "in an atom");
	g_autofree char *i = cmd(c, "a7", "SEARCH SUBJECT \"RÉUNION\"");
	g_assert_cmpstr(i, ==, "* SEARCH 2\na7 OK SEARCH completed");
}

static void
test_store_expunge(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autofree char *a = cmd(c, "a1", "STORE 1:2 +FLAGS (\\Flagged \\Answered)");
	g_assert_cmpstr(a, ==,
	                "* 1 FETCH (FLAGS (\\Seen \\Answered \\Flagged \\Recent))\n"
	                "* 2 FETCH (FLAGS (\\Answered \\Flagged \\Recent))\na1 OK STORE completed");
	g_autofree char *b = cmd(c, "a2", "STORE 1 -FLAGS \\Answered");
	g_assert_cmpstr(b, ==,
	                "* 1 FETCH (FLAGS (\\Seen \\Flagged \\Recent))\na2 OK STORE completed");
	g_autofree char *d = cmd(c, "a3", "UID STORE 2 FLAGS.SILENT (\\Draft $Label)");
	g_assert_cmpstr(d, ==, "a3 OK UID STORE completed");
	g_autofree char *e = cmd(c, "a4", "UID STORE 3 FLAGS (\\Deleted)");
	g_assert_cmpstr(e, ==,
	                "* 3 FETCH (UID 3 FLAGS (\\Deleted \\Recent))\na4 OK UID STORE completed");
	g_autofree char *g = cmd(c, "a5", "STORE 1 +FLAGS (\\Deleted)");
	g_autofree char *h = cmd(c, "a6", "UID EXPUNGE 3");
	g_assert_cmpstr(h, ==, "* 3 EXPUNGE\n* 2 RECENT\na6 OK UID EXPUNGE completed");
	g_autofree char *i = cmd(c, "a7", "EXPUNGE");
	g_assert_cmpstr(i, ==, "* 1 EXPUNGE\n* 1 RECENT\na7 OK EXPUNGE completed");
	g_autofree char *j = cmd(c, "a8", "FETCH 1:* (UID FLAGS)");
	g_assert_cmpstr(j, ==, "* 1 FETCH (UID 2 FLAGS (\\Draft \\Recent))\na8 OK FETCH completed");
	g_autofree char *k = cmd(c, "a9", "STORE 1 FLAGS (\\Deleted)");
	g_autofree char *l = cmd(c, "a10", "CLOSE");
	g_assert_cmpstr(l, ==, "a10 OK CLOSE completed");
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", NULL);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	g_autofree char *m = cmd(c, "a11", "EXPUNGE");
	ASSERT_TAGGED(m, "a11 BAD EXPUNGE: no mailbox selected");
}

static void
test_copy_move(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autofree char *x = cmd(c, "x", "CREATE Archives");
	g_autoptr(StoreMailbox) dest = store_mailbox_open(f->store, "alice", "Archives", NULL);
	guint32 v = store_mailbox_uidvalidity(dest);
	g_autofree char *a = cmd(c, "a1", "COPY 1,3 Archives");
	g_autofree char *want_a = g_strdup_printf("a1 OK [COPYUID %u 1,3 1:2] COPY completed", v);
	g_assert_cmpstr(a, ==, want_a);
	g_autofree char *b = cmd(c, "a2", "COPY 1 Nulle-part");
	g_assert_cmpstr(b, ==, "a2 NO [TRYCREATE] Mailbox doesn't exist");
	g_autofree char *d = cmd(c, "a3", "UID MOVE 2 Archives");
	g_autofree char *want_d = g_strdup_printf(
	    "* OK [COPYUID %u 2 3] Moved\n* 2 EXPUNGE\n* 2 RECENT\na3 OK UID MOVE completed", v);
	g_assert_cmpstr(d, ==, want_d);
	g_autofree char *e = cmd(c, "a4", "MOVE 1 Archives");
	g_autofree char *want_e =
	    g_strdup_printf("* OK [COPYUID %u 1 4] Moved\n* 1 EXPUNGE\n* 1 RECENT\n"
	                    "a4 OK MOVE completed",
	                    v);
	g_assert_cmpstr(e, ==, want_e);
	g_assert_cmpuint(store_mailbox_count(dest), ==, 4);
	/* Flags travel with the copy. */
	g_autofree char *g = cmd(c, "a5", "SELECT Archives");
	g_autofree char *h = cmd(c, "a6", "FETCH 1:* FLAGS");
	g_assert_cmpstr(h, ==,
	                "* 1 FETCH (FLAGS (\\Seen \\Recent))\n* 2 FETCH (FLAGS (\\Seen \\Recent))\n"
	                "* 3 FETCH (FLAGS (\\Recent))\n* 4 FETCH (FLAGS (\\Seen \\Recent))\n"
	                "a6 OK FETCH completed");
	g_autofree char *i = cmd(c, "a7", "UID COPY 99 INBOX");
	g_assert_cmpstr(i, ==, "a7 OK UID COPY completed");
}

/* --- several sessions --- */

static void
test_two_sessions(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) a = connect_select(f, "INBOX");
	g_autoptr(TestClient) b = connect_select(f, "INBOX");
	/* A marks 1 and 3 deleted and expunges. */
	g_autofree char *r1 = cmd(a, "a1", "STORE 1,3 +FLAGS.SILENT (\\Deleted)");
	g_autofree char *r2 = cmd(a, "a2", "EXPUNGE");
	g_assert_cmpstr(r2, ==, "* 1 EXPUNGE\n* 2 EXPUNGE\n* 1 RECENT\na2 OK EXPUNGE completed");
	/* B is told nothing during FETCH, STORE or SEARCH (§7.4.1), but flags yes. */
	g_autofree char *r3 = cmd(b, "b1", "FETCH 1:* (UID FLAGS)");
	g_assert_cmpstr(r3, ==,
	                "* 2 FETCH (UID 2 FLAGS ())\n"
	                "b1 NO [EXPUNGEISSUED] Some messages were expunged by another session; "
	                "NOOP tells which");
	g_autofree char *r4 = cmd(b, "b2", "SEARCH ALL");
	g_assert_cmpstr(r4, ==, "* SEARCH 2\nb2 OK SEARCH completed");
	/* At NOOP: the numbers as they are when each line is sent. */
	g_autofree char *r5 = cmd(b, "b3", "NOOP");
	g_assert_cmpstr(r5, ==, "* 1 EXPUNGE\n* 2 EXPUNGE\nb3 OK NOOP completed");
	g_autofree char *r6 = cmd(b, "b4", "FETCH 1 UID");
	g_assert_cmpstr(r6, ==, "* 1 FETCH (UID 2)\nb4 OK FETCH completed");
	/* Flags set by B reach A at its next command. */
	g_autofree char *r7 = cmd(b, "b5", "STORE 1 +FLAGS (\\Flagged)");
	g_autofree char *r8 = cmd(a, "a3", "CHECK");
	g_assert_cmpstr(r8, ==,
	                "* 1 FETCH (UID 2 FLAGS (\\Flagged \\Recent))\na3 OK CHECK completed");
	/* A new message reaches both; \Recent goes to one session only. */
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", NULL);
	g_assert_true(store_deliver(mb, "Subject: new\r\n\r\nx\r\n", 19, 0, -1, NULL, NULL));
	g_autofree char *r9 = cmd(a, "a4", "NOOP");
	g_assert_cmpstr(r9, ==, "* 2 EXISTS\n* 2 RECENT\na4 OK NOOP completed");
	g_autofree char *r10 = cmd(b, "b6", "NOOP");
	g_assert_cmpstr(r10, ==, "* 2 EXISTS\n* 0 RECENT\nb6 OK NOOP completed");
	/* An EXPUNGE while B answers UID FETCH (allowed there). */
	g_autofree char *r11 = cmd(a, "a5", "UID STORE 2 +FLAGS.SILENT (\\Deleted)");
	g_autofree char *r12 = cmd(a, "a6", "EXPUNGE");
	g_autofree char *r13 = cmd(b, "b7", "UID FETCH 1:* FLAGS");
	g_assert_cmpstr(r13, ==,
	                "* 2 FETCH (UID 4 FLAGS ())\n* 1 EXPUNGE\nb7 OK UID FETCH completed");
}

/* IDLE: changes arrive at once, without the client asking. */
static void
test_idle(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	g_autoptr(TestClient) other = connect_select(f, "INBOX");
	test_client_send(c, "i1 IDLE\r\n");
	expect_line(c, "+ idling");
	/* A delivery through the store. */
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", NULL);
	g_assert_true(store_deliver(mb, "Subject: a\r\n\r\nx\r\n", 17, 0, -1, NULL, NULL));
	expect_line(c, "* 4 EXISTS");
	expect_line(c, "* 4 RECENT");
	/* Another session's flags and expunge. */
	g_autofree char *a = cmd(other, "o1", "STORE 2 +FLAGS.SILENT (\\Flagged)");
	expect_line(c, "* 2 FETCH (UID 2 FLAGS (\\Flagged \\Recent))");
	g_autofree char *b = cmd(other, "o2", "STORE 1 +FLAGS.SILENT (\\Deleted)");
	expect_line(c, "* 1 FETCH (UID 1 FLAGS (\\Seen \\Deleted \\Recent))");
	g_autofree char *d = cmd(other, "o3", "EXPUNGE");
	expect_line(c, "* 1 EXPUNGE");
	expect_line(c, "* 3 RECENT");
	/* A message delivered by the SMTP server. */
	g_autoptr(TestClient) smtp = test_client_connect(f->smtp_port);
	g_free(test_client_read_line(smtp));
	test_client_send(smtp, "HELO client.example\r\n");
	g_free(test_client_read_line(smtp));
	test_client_send(smtp, "MAIL FROM:<bob@example.org>\r\n");
	g_free(test_client_read_line(smtp));
	test_client_send(smtp, "RCPT TO:<alice@example.org>\r\n");
	g_autofree char *rcpt = test_client_read_line(smtp);
	g_assert_true(g_str_has_prefix(rcpt, "250"));
	test_client_send(smtp, "DATA\r\n");
	g_free(test_client_read_line(smtp));
	test_client_send(smtp, "Subject: par SMTP\r\n\r\nBonjour.\r\n.\r\n");
	g_autofree char *queued = test_client_read_line(smtp);
	g_assert_true(g_str_has_prefix(queued, "250"));
	expect_line(c, "* 4 EXISTS");
	expect_line(c, "* 4 RECENT");
	test_client_send(c, "DONE\r\n");
	expect_line(c, "i1 OK IDLE terminated");
	g_autofree char *e = cmd(c, "i2", "FETCH 4 BODY.PEEK[HEADER.FIELDS (SUBJECT)]");
	ASSERT_HAS(e, "Subject: par SMTP");
	/* Anything but DONE ends IDLE with BAD. */
	test_client_send(c, "i3 IDLE\r\n");
	expect_line(c, "+ idling");
	test_client_send(c, "i4 NOOP\r\n");
	expect_line(c, "i3 BAD IDLE ends with DONE");
	/* IDLE in the authenticated state, then LOGOUT. */
	g_autofree char *g = cmd(c, "i5", "UNSELECT");
	g_assert_cmpstr(g, ==, "i5 OK UNSELECT completed");
	test_client_send(c, "i6 IDLE\r\n");
	expect_line(c, "+ idling");
	test_client_send(c, "done\r\n");
	expect_line(c, "i6 OK IDLE terminated");
}

static void
test_autologout(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_login(f, "alice");
	expect_line(c, "* BYE Autologout; idle for too long");
	g_assert_true(test_client_wait_closed(c));
}

static void
test_shutdown(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	servers_free(f->servers);
	f->servers = NULL;
	expect_line(c, "* BYE Server shutting down");
	g_assert_true(test_client_wait_closed(c));
	store_free(f->store);
	f->store = NULL;
}

static void
teardown_shutdown(Fixture *f, gconstpointer data)
{
	(void)data;
	rm_rf(f->dir);
	g_free(f->dir);
}

/* A FETCH larger than the output queue: it waits for drained() and the
 * client gets every octet, then the tagged OK. */
static void
test_big_fetch(Fixture *f, gconstpointer data)
{
	(void)data;
	GString *big = g_string_new("Subject: gros\r\n\r\n");
	while (big->len < 3 * 1024 * 1024)
		g_string_append(big, "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF\r\n");
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", NULL);
	g_assert_true(store_deliver(mb, big->str, big->len, 0, -1, NULL, NULL));
	g_autoptr(TestClient) c = connect_select(f, "INBOX");
	test_client_send(c, "a1 FETCH 4 (BODY.PEEK[] BODY.PEEK[TEXT])\r\na2 NOOP\r\n");
	g_autofree char *first = test_client_read_line(c);
	g_autofree char *want = g_strdup_printf("* 4 FETCH (BODY[] {%zu}", big->len);
	g_assert_cmpstr(first, ==, want);
	g_autofree char *rest = test_client_read_until(c, "a2 OK NOOP completed\r\n");
	g_assert_nonnull(rest);
	g_assert_true(g_str_has_prefix(rest, big->str));
	g_autofree char *text_head = g_strdup_printf(" BODY[TEXT] {%zu}\r\n", big->len - 17);
	ASSERT_HAS(rest + big->len, text_head);
	g_assert_true(
	    g_str_has_suffix(rest, ")\r\na1 OK FETCH completed\r\na2 OK NOOP completed\r\n"));
	/* Pipelined commands with large answers wait for the client to read. */
	test_client_send(c, "a3 FETCH 4 BODY.PEEK[]\r\na4 FETCH 4 BODY.PEEK[]\r\n"
	                    "a5 FETCH 4 BODY.PEEK[]\r\na6 NOOP\r\n");
	g_autofree char *three = test_client_read_until(c, "a6 OK NOOP completed\r\n");
	g_assert_nonnull(three);
	g_assert_cmpuint(strlen(three), >, 3 * big->len);
	ASSERT_HAS(three, "a5 OK FETCH completed\r\n");
	g_string_free(big, TRUE);
}

#define ADD(path, func, opts) g_test_add(path, Fixture, opts, setup, func, teardown)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	static const Options delayed = {.auth_delay_ms = 300};
	static const Options small_store = {.max_message_size = 1000};
	static const Options short_idle = {.idle_seconds = 1};
	ADD("/imap-server/greeting-capability", test_greeting_capability, NULL);
	ADD("/imap-server/login", test_login, NULL);
	ADD("/imap-server/authenticate", test_authenticate, NULL);
	ADD("/imap-server/auth-delay", test_auth_delay, &delayed);
	ADD("/imap-server/wrong-state", test_wrong_state, NULL);
	ADD("/imap-server/syntax-errors", test_syntax_errors, NULL);
	ADD("/imap-server/literal-too-large", test_literal_too_large, &small_store);
	ADD("/imap-server/select-examine", test_select_examine, NULL);
	ADD("/imap-server/create-delete-rename", test_create_delete_rename, NULL);
	ADD("/imap-server/utf7-names", test_utf7_names, NULL);
	ADD("/imap-server/list-lsub-namespace", test_list_lsub_namespace, NULL);
	ADD("/imap-server/status", test_status, NULL);
	ADD("/imap-server/uidvalidity-delete-create", test_uidvalidity_delete_create, NULL);
	ADD("/imap-server/uidvalidity-recreate", test_uidvalidity_recreate, NULL);
	ADD("/imap-server/append", test_append, NULL);
	ADD("/imap-server/fetch", test_fetch, NULL);
	ADD("/imap-server/search", test_search, NULL);
	ADD("/imap-server/store-expunge", test_store_expunge, NULL);
	ADD("/imap-server/copy-move", test_copy_move, NULL);
	ADD("/imap-server/two-sessions", test_two_sessions, NULL);
	ADD("/imap-server/idle", test_idle, NULL);
	ADD("/imap-server/autologout", test_autologout, &short_idle);
	g_test_add("/imap-server/shutdown", Fixture, NULL, setup, test_shutdown, teardown_shutdown);
	ADD("/imap-server/big-fetch", test_big_fetch, NULL);
	return g_test_run();
}
