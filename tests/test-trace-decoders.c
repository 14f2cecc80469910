/* The protocol decoders on conversations the reference captures do not
 * hold, fed through the tap in pieces of odd sizes: SMTP STARTTLS, AUTH LOGIN,
 * pipelining and BDAT with dot lines; POP3 APOP greeting, [IN-USE], STLS and
 * RSET; IMAP IDLE/DONE, literals both ways, UIDVALIDITY and UIDNEXT across
 * connections of the same capture; implicit TLS ports; message content (dot
 * lines, LF-only lines) giving the same events whatever the pieces. */
#include "trace/trace-sink-json.h"
#include "trace/trace-tap.h"
#include "trace/tracer.h"
#include "test-sink.h"

#include <string.h>

typedef struct {
	Tracer *tracer;
	GPtrArray *events;
	gint64 now;
	guint64 next_id;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->tracer = tracer_new();
	TestSink *sink = test_sink_new();
	f->events = test_sink_events(sink);
	tracer_add_sink(f->tracer, &sink->sink);
	f->now = G_GINT64_CONSTANT(1793610000000000);
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	tracer_free(f->tracer);
	g_ptr_array_unref(f->events);
}

/* A conversation: lines starting with "C: " or "S: " (CRLF added), fed
 * in pieces of 7 octets. Returns the connection id used. */
static guint64
talk(Fixture *f, guint16 server_port, const char *const *lines)
{
	guint64 id = ++f->next_id;
	g_autoptr(GInetSocketAddress) client = G_INET_SOCKET_ADDRESS(
	    g_inet_socket_address_new_from_string("127.0.0.1", (guint16)(40000 + id)));
	g_autoptr(GInetSocketAddress) server =
	    G_INET_SOCKET_ADDRESS(g_inet_socket_address_new_from_string("127.0.0.1", server_port));
	trace_tap_open(f->tracer, id, client, server, f->now++);
	for (; *lines != NULL; lines++) {
		TraceDir dir = g_str_has_prefix(*lines, "C: ") ? TRACE_DIR_C2S : TRACE_DIR_S2C;
		g_autofree char *text = g_strconcat(*lines + 3, "\r\n", NULL);
		for (gsize i = 0, n = strlen(text); i < n; i += 7)
			trace_tap_data(f->tracer, id, NULL, NULL, dir, (const guint8 *)text + i,
			               MIN(7, n - i), f->now++);
	}
	trace_tap_close(f->tracer, id, f->now++);
	return id;
}

static const TraceEvent *
find(Fixture *f, TraceKind kind, const char *name)
{
	return test_events_find(f->events, kind, name, NULL);
}

static const TraceEvent *
find_raw(Fixture *f, const char *raw)
{
	for (guint i = 0; i < f->events->len; i++) {
		const TraceEvent *ev = f->events->pdata[i];
		if (ev->raw != NULL && ev->raw_len == strlen(raw) &&
		    memcmp(ev->raw, raw, ev->raw_len) == 0)
			return ev;
	}
	return NULL;
}

static gboolean
cites(const TraceEvent *ev, const char *rfc)
{
	for (guint i = 0; i < ev->n_explain; i++)
		if (g_strcmp0(ev->explain[i].rfc, rfc) == 0)
			return TRUE;
	return FALSE;
}

static void
test_smtp_starttls_auth_login(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s1[] = {
	    "S: 220 mail.example.org ESMTP",
	    "C: EHLO me",
	    "S: 250-mail.example.org",
	    "S: 250-AUTH LOGIN",
	    "S: 250 STARTTLS",
	    "C: AUTH LOGIN",
	    "S: 334 VXNlcm5hbWU6",
	    "C: Ym9i",
	    "S: 334 UGFzc3dvcmQ6",
	    "C: Ym9icGFzcw==",
	    "S: 235 2.7.0 Authentication successful",
	    "C: STARTTLS",
	    "S: 220 2.0.0 Ready to start TLS",
	    "C: \x16\x03\x01 not decoded",
	    NULL,
	};
	talk(f, 25, s1);
	g_autofree char *verbs = test_events_verbs(f->events);
	g_assert_cmpstr(verbs, ==, "EHLO|AUTH|STARTTLS");
	const TraceEvent *user = find_raw(f, "Ym9i");
	g_assert_cmpint(user->kind, ==, TRACE_KIND_CONTINUATION);
	g_assert_cmpstr(user->decoded, ==, "Username: bob");
	g_assert_true(cites(user, "RFC 4616 §6"));
	const TraceEvent *pass = find_raw(f, "Ym9icGFzcw==");
	g_assert_cmpstr(pass->decoded, ==, "Password: bobpass");
	const TraceEvent *challenge = find_raw(f, "334 VXNlcm5hbWU6");
	g_assert_cmpstr(challenge->decoded, ==, "Username:");
	/* The 235 answers AUTH, across its challenges. */
	const TraceEvent *auth = test_events_nth(f->events, TRACE_KIND_COMMAND, 1);
	g_assert_cmpuint(find_raw(f, "235 2.7.0 Authentication successful")->pair, ==, auth->id);
	g_assert_nonnull(find(f, TRACE_KIND_TLS, "starttls"));
	const TraceEvent *enc = find(f, TRACE_KIND_TLS, "encrypted");
	g_assert_cmpint(enc->size, ==, (gint64)strlen("\x16\x03\x01 not decoded\r\n"));
	/* An extension line explained. */
	g_assert_true(cites(find_raw(f, "250 STARTTLS"), "RFC 3207"));
}

static void
test_smtp_pipelining_bdat(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s[] = {
	    "S: 220 mail.example.org ESMTP",
	    "C: EHLO me",
	    "S: 250 CHUNKING",
	    /* Pipelined: three commands, then their three replies. */
	    "C: MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nRCPT TO:<c@example.org>",
	    "S: 250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 unknown",
	    "C: BDAT 30 LAST",
	    /* 30 octets: a lone dot and a dotted line, neither special. */
	    "C: Subject: x\r\n\r\n.\r\n..x\r\nendabc",
	    "S: 250 2.0.0 Ok: 30 bytes queued",
	    NULL,
	};
	talk(f, 2525, s);
	g_autofree char *verbs = test_events_verbs(f->events);
	g_assert_cmpstr(verbs, ==, "EHLO|MAIL|RCPT|RCPT|BDAT");
	const TraceEvent *rcpt2 = test_events_nth(f->events, TRACE_KIND_COMMAND, 3);
	const TraceEvent *refused = find_raw(f, "550 5.1.1 unknown");
	g_assert_cmpuint(refused->pair, ==, rcpt2->id);
	const TraceEvent *chunk = find(f, TRACE_KIND_DATA, "chunk");
	g_assert_cmpint(chunk->size, ==, 30);
	/* The message went to the MIME decoder; no dot-stuffing was seen. */
	g_assert_nonnull(find(f, TRACE_KIND_MIME, NULL));
	g_assert_null(find(f, TRACE_KIND_DATA, "dot-stuffing"));
	const TraceEvent *bdat = test_events_nth(f->events, TRACE_KIND_COMMAND, 4);
	g_assert_cmpuint(find_raw(f, "250 2.0.0 Ok: 30 bytes queued")->pair, ==, bdat->id);
}

static void
test_pop3_apop_inuse_stls(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s1[] = {
	    "S: +OK POP3 ready <1896.697170952@dbc.mtview.ca.us>",
	    "C: APOP mrose c4c9334bac560ecc979e58001b3e22fb",
	    "S: -ERR [IN-USE] Mailbox locked by another session",
	    "C: CAPA",
	    "S: +OK",
	    "S: STLS",
	    "S: .",
	    "C: STLS",
	    "S: +OK Begin TLS",
	    NULL,
	};
	talk(f, 110, s1);
	const TraceEvent *greeting = test_events_nth(f->events, TRACE_KIND_REPLY, 0);
	g_assert_true(cites(greeting, "RFC 1939 §7"));
	const TraceEvent *inuse = test_events_nth(f->events, TRACE_KIND_REPLY, 1);
	g_assert_cmpstr(inuse->status, ==, "-ERR");
	g_assert_cmpstr(inuse->code, ==, "IN-USE");
	g_assert_cmpuint(inuse->n_explain, >=, 2);
	/* CAPA is multi-line because of the command, not because of its +OK text. */
	const TraceEvent *capa_line = find_raw(f, "STLS");
	g_assert_cmpint(capa_line->kind, ==, TRACE_KIND_DATA);
	g_assert_nonnull(find(f, TRACE_KIND_TLS, "starttls"));
}

static void
test_pop3_rset_and_unfinished(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s[] = {
	    "S: +OK ready", "C: USER a", "S: +OK",           "C: PASS b",     "S: +OK in",
	    "C: DELE 3",    "S: +OK",    "C: RSET",          "S: +OK",        "C: DELE 1",
	    "S: +OK",       "C: RETR 2", "S: +OK 11 octets", "S: Subject: a", NULL,
	};
	talk(f, 110, s);
	guint from = 0;
	g_assert_cmpstr(test_events_find(f->events, TRACE_KIND_STATE, "marked", &from)->value, ==,
	                "3");
	g_assert_cmpstr(test_events_find(f->events, TRACE_KIND_STATE, "marked", &from)->value, ==,
	                "");
	g_assert_cmpstr(test_events_find(f->events, TRACE_KIND_STATE, "marked", &from)->value, ==,
	                "1");
	/* No QUIT: nothing deleted, and the RETR never ended. */
	g_assert_null(find(f, TRACE_KIND_STATE, "deleted"));
	g_assert_nonnull(find(f, TRACE_KIND_STATE, "not-deleted"));
	g_assert_nonnull(find(f, TRACE_KIND_NOTE, "response-unfinished"));
}

static void
test_imap_idle_literals_uid(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s1[] = {
	    "S: * OK IMAP ready",
	    "C: a1 LOGIN {5}",
	    "S: + go",
	    "C: alice {4}",
	    "S: + go",
	    "C: pass",
	    "S: a1 OK logged in",
	    "C: a2 SELECT INBOX",
	    "S: * 2 EXISTS",
	    "S: * OK [UIDVALIDITY 100] ok",
	    "S: * OK [UIDNEXT 5] ok",
	    "S: a2 OK [READ-WRITE] done",
	    "C: a3 IDLE",
	    "S: + idling",
	    "S: * 3 EXISTS",
	    "C: DONE",
	    "S: a3 OK IDLE done",
	    "C: a4 FETCH 3 (BODY[])",
	    "S: * 3 FETCH (BODY[] {19}",
	    "S: Subject: hi\r\n\r\nbody)",
	    "S: a4 OK done",
	    "C: a5 LOGOUT",
	    "S: * BYE bye",
	    "S: a5 OK bye",
	    NULL,
	};
	talk(f, 143, s1);
	g_autofree char *verbs = test_events_verbs(f->events);
	g_assert_cmpstr(verbs, ==, "LOGIN|SELECT|IDLE|DONE|FETCH|LOGOUT");
	const TraceEvent *login = test_events_nth(f->events, TRACE_KIND_COMMAND, 0);
	g_assert_cmpstr(login->tag, ==, "a1");
	const TraceEvent *ok = test_events_nth(f->events, TRACE_KIND_REPLY, 0);
	g_assert_cmpuint(ok->pair, ==, login->id);
	g_assert_cmpint(ok->elapsed_us, >, 0);
	/* Both "+ go" continuations belong to LOGIN and its literals. */
	g_assert_cmpuint(test_events_nth(f->events, TRACE_KIND_CONTINUATION, 1)->pair, ==,
	                 login->id);
	const TraceEvent *idle = test_events_nth(f->events, TRACE_KIND_COMMAND, 2);
	const TraceEvent *done = test_events_nth(f->events, TRACE_KIND_COMMAND, 3);
	g_assert_cmpuint(done->pair, ==, idle->id);
	g_assert_true(cites(done, "RFC 2177 §3"));
	const TraceEvent *idle_ok = test_events_nth(f->events, TRACE_KIND_REPLY, 2);
	g_assert_cmpstr(idle_ok->tag, ==, "a3");
	g_assert_cmpuint(idle_ok->pair, ==, idle->id);
	const TraceEvent *uv = find_raw(f, "* OK [UIDVALIDITY 100] ok");
	g_assert_cmpstr(uv->code, ==, "UIDVALIDITY 100");
	/* The FETCH literal, a whole message, decoded. */
	guint from = 0;
	const TraceEvent *lit = test_events_find(f->events, TRACE_KIND_DATA, "literal", &from);
	g_assert_cmpint(lit->dir, ==, TRACE_DIR_C2S); /* LOGIN's {5} */
	g_assert_cmpint(lit->size, ==, 5);
	test_events_find(f->events, TRACE_KIND_DATA, "literal", &from); /* {4} */
	lit = test_events_find(f->events, TRACE_KIND_DATA, "literal", &from);
	g_assert_cmpint(lit->dir, ==, TRACE_DIR_S2C);
	g_assert_cmpint(lit->size, ==, 19);
	const TraceEvent *subject = find(f, TRACE_KIND_HEADER, "Subject");
	g_assert_cmpstr(subject->value, ==, "hi");
	g_assert_cmpint(subject->dir, ==, TRACE_DIR_S2C);
	g_assert_cmpstr(find(f, TRACE_KIND_STATE, "state")->value, ==, "authenticated");

	/* A second connection of the same capture: UIDNEXT moved... */
	static const char *const s2[] = {
	    "S: * OK IMAP ready",
	    "C: b1 LOGIN alice pass",
	    "S: b1 OK in",
	    "C: b2 EXAMINE INBOX",
	    "S: * OK [UIDVALIDITY 100] ok",
	    "S: * OK [UIDNEXT 8] ok",
	    "S: b2 OK [READ-ONLY] done",
	    NULL,
	};
	talk(f, 143, s2);
	const TraceEvent *moved = find(f, TRACE_KIND_STATE, "uidnext-moved");
	g_assert_cmpstr(moved->value, ==, "5 → 8");
	g_assert_nonnull(strstr(moved->explain[0].text, "UIDNEXT moved by 3"));
	/* ...and a third: UIDVALIDITY changed. */
	static const char *const s3[] = {
	    "S: * OK IMAP ready",
	    "C: c1 LOGIN alice pass",
	    "S: c1 OK in",
	    "C: c2 SELECT INBOX",
	    "S: * OK [UIDVALIDITY 200] ok",
	    "S: c2 OK done",
	    NULL,
	};
	talk(f, 143, s3);
	const TraceEvent *changed = find(f, TRACE_KIND_STATE, "uidvalidity-changed");
	g_assert_cmpstr(changed->value, ==, "100 → 200");
	g_assert_true(cites(changed, "RFC 3501 §2.3.1.1"));
}

static void
test_implicit_tls(Fixture *f, gconstpointer data)
{
	(void)data;
	static const char *const s[] = {"C: \x16\x03\x01\x02\x00", "S: \x16\x03\x03 hello", NULL};
	talk(f, 993, s);
	const TraceEvent *tls = find(f, TRACE_KIND_TLS, "implicit");
	g_assert_true(cites(tls, "RFC 8314 §3"));
	g_assert_cmpint(tls->proto, ==, TRACE_PROTO_IMAP);
	g_assert_cmpuint(test_events_count(f->events, TRACE_KIND_COMMAND), ==, 0);
}

/* The events of a conversation fed in pieces of `piece` octets (each run of
 * lines in one direction cut independently), as JSON without capture times. */
static char *
conversation_json(guint16 server_port, const char *const *lines, gsize piece)
{
	g_autoptr(Tracer) tracer = tracer_new();
	TestSink *sink = test_sink_new();
	g_autoptr(GPtrArray) events = test_sink_events(sink);
	tracer_add_sink(tracer, &sink->sink);
	g_autoptr(GInetSocketAddress) client =
	    G_INET_SOCKET_ADDRESS(g_inet_socket_address_new_from_string("127.0.0.1", 40001));
	g_autoptr(GInetSocketAddress) server =
	    G_INET_SOCKET_ADDRESS(g_inet_socket_address_new_from_string("127.0.0.1", server_port));
	trace_tap_open(tracer, 1, client, server, 0);
	while (*lines != NULL) {
		gboolean c2s = g_str_has_prefix(*lines, "C:");
		g_autoptr(GString) run = g_string_new(NULL);
		for (; *lines != NULL && g_str_has_prefix(*lines, "C:") == c2s; lines++) {
			/* "C| …" ends its line with LF alone. */
			g_string_append(run, *lines + 3);
			g_string_append(run, (*lines)[1] == '|' ? "\n" : "\r\n");
		}
		for (gsize i = 0; i < run->len; i += piece)
			trace_tap_data(tracer, 1, NULL, NULL, c2s ? TRACE_DIR_C2S : TRACE_DIR_S2C,
			               (const guint8 *)run->str + i, MIN(piece, run->len - i), 0);
	}
	trace_tap_close(tracer, 1, 0);
	g_clear_pointer(&tracer, tracer_free);
	GString *all = g_string_new(NULL);
	for (guint i = 0; i < events->len; i++) {
		g_autofree char *j = trace_event_to_json(events->pdata[i]);
		g_string_append_printf(all, "%s\n", j);
	}
	return g_string_free(all, FALSE);
}

/* Message content is taken whole lines at a time where it can be (no dot
 * at the start): the events must be the same however the octets arrive. */
static void
test_content_in_pieces(Fixture *f, gconstpointer data)
{
	(void)f, (void)data;
	static const char *const smtp[] = {
	    "S: 220 mx ESMTP",
	    "C: EHLO c",
	    "S: 250 mx",
	    "C: MAIL FROM:<a@example.org>",
	    "C: RCPT TO:<b@example.org>",
	    "C: DATA",
	    "S: 250 ok",
	    "S: 250 ok",
	    "S: 354 go",
	    "C: Subject: dots",
	    "C: ",
	    "C: first line",
	    "C: ..a stuffed line",
	    "C| a line ending with LF alone",
	    "C: .",
	    "C: MAIL FROM:<a@example.org>",
	    "S: 250 queued",
	    "S: 250 ok",
	    NULL,
	};
	static const char *const pop3[] = {
	    "S: +OK ready",  "C: RETR 1",   "S: +OK 60 octets",
	    "S: Subject: x", "S: ",         "S: ...two dots became three",
	    "S: body",       "S| LF alone", "S: .",
	    "C: QUIT",       "S: +OK bye",  NULL,
	};
	const struct {
		guint16 port;
		const char *const *lines;
	} cases[] = {{25, smtp}, {110, pop3}};
	for (gsize c = 0; c < G_N_ELEMENTS(cases); c++) {
		g_autofree char *whole = conversation_json(cases[c].port, cases[c].lines, 1 << 16);
		g_assert_nonnull(strstr(whole, "\"dot-stuffing\""));
		g_assert_nonnull(strstr(whole, "\"end-of-data\""));
		const gsize pieces[] = {1, 2, 3, 7, 13};
		for (gsize i = 0; i < G_N_ELEMENTS(pieces); i++) {
			g_autofree char *cut =
			    conversation_json(cases[c].port, cases[c].lines, pieces[i]);
			g_assert_cmpstr(cut, ==, whole);
		}
	}
}

#define ADD(name, fn) g_test_add(name, Fixture, NULL, setup, fn, teardown)

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	ADD("/trace-decoders/smtp/starttls-auth-login", test_smtp_starttls_auth_login);
	ADD("/trace-decoders/smtp/pipelining-bdat", test_smtp_pipelining_bdat);
	ADD("/trace-decoders/pop3/apop-in-use-stls", test_pop3_apop_inuse_stls);
	ADD("/trace-decoders/pop3/rset-unfinished", test_pop3_rset_and_unfinished);
	ADD("/trace-decoders/imap/idle-literals-uid", test_imap_idle_literals_uid);
	ADD("/trace-decoders/implicit-tls", test_implicit_tls);
	ADD("/trace-decoders/content-in-pieces", test_content_in_pieces);
	return g_test_run();
}
