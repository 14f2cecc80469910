/* The scenario runner: see scenario-runner.h. Instructions run one after the
 * other on the main loop; an instruction that must wait (a reply, a
 * connection, a pause) returns and the runner resumes when it comes. */
#include "scenario/scenario-runner.h"

#include "core/crlf.h"
#include "core/facteur-clock.h"
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"
#include "proto/pop3-proto.h"
#include "scenario/scenario-client.h"
#include "scenario/tap-glue.h"
#include "server/server.h"
#include "trace/trace-live.h"
#include "trace/tracer.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_EXPECT_TIMEOUT_MS 5000
#define SETTLE_ROUNDS             4
/* With libpcap, a step ends once the capture has been quiet this long. */
#define QUIET_MS 30

typedef enum {
	WAIT_NONE,
	WAIT_REPLY,        /* an expectation on conn */
	WAIT_CONTINUATION, /* APPEND waits for "+" before the literal */
	WAIT_CLOSE,
	WAIT_CONNECT,
	WAIT_PAUSE,
	WAIT_SETTLE,
	WAIT_CUT, /* the server has not seen the cut connection go yet */
} WaitKind;

typedef struct {
	TraceSink parent;
	ScenarioRunner *runner;
} RunnerSink;

struct _ScenarioRunner {
	const Scenario *sc;
	ScenarioRunnerOptions options;
	ScenarioRunnerCallbacks cb;
	gpointer data;
	char *tmpdir; /* the temporary store, removed at the end */
	Store *store;
	Servers *servers;
	Tracer *tracer;
	TraceCapture *capture;
	guint64 last_events;     /* tracer_count_events at the last settle check */
	GHashTable *server_side; /* client port → TRUE while the server holds the connection */
	guint16 cut_port;
	GHashTable *clients; /* name → ScenarioClient */
	GPtrArray *order;    /* connection names in opening order */
	char *last_conn;
	GHashTable *vars; /* name → value */
	guint step;       /* the step running or last finished (from 1) */
	guint pc;         /* next instruction of the step */
	gboolean busy;
	gboolean failed;
	WaitKind wait;
	ScenarioClient *wait_client;
	guint timer; /* expectation timeout, pause or settle */
	guint settle_left;
	/* APPEND in progress: the literal to send when "+" comes. */
	GBytes *pending_literal;
	/* Replies kept for retenir: the last one taken per connection. */
	GHashTable *last_reply; /* name → char* text */
	GString *gather;        /* IMAP untagged data before the awaited completion */
	GMainLoop *nested;
	guint nested_until;
};

static void advance(ScenarioRunner *r);

/* --- events from the tracer go to the caller --- */

static void
sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	ScenarioRunner *r = ((RunnerSink *)sink)->runner;
	if (r->cb.event != NULL)
		r->cb.event(r, ev, r->data);
}

static void
sink_free(TraceSink *sink)
{
	g_free(sink);
}

static const TraceSinkClass runner_sink_class = {
    .emit = sink_emit,
    .free = sink_free,
};

static void on_server_side_closed(ScenarioRunner *r, guint16 port);

static void
on_tap(const ServerTapEvent *ev, gpointer data)
{
	ScenarioRunner *r = data;
	guint16 port = g_inet_socket_address_get_port(ev->client);
	if (ev->kind == SERVER_TAP_OPEN)
		g_hash_table_add(r->server_side, GUINT_TO_POINTER(port));
	/* Forwarded always: the tracer ignores the tap while libpcap captures. */
	tap_glue_forward(ev, r->tracer);
	if (ev->kind == SERVER_TAP_CLOSE) {
		g_hash_table_remove(r->server_side, GUINT_TO_POINTER(port));
		on_server_side_closed(r, port);
	}
}

/* --- failures --- */

static const ScenarioStep *
current_step(const ScenarioRunner *r)
{
	return scenario_step(r->sc, r->step);
}

static const ScenarioInstr *
current_instr(const ScenarioRunner *r)
{
	const ScenarioStep *st = current_step(r);
	if (st == NULL || r->pc == 0 || r->pc > st->instrs->len)
		return NULL;
	return st->instrs->pdata[r->pc - 1];
}

static void
clear_wait(ScenarioRunner *r)
{
	r->wait = WAIT_NONE;
	r->wait_client = NULL;
	if (r->timer != 0) {
		g_source_remove(r->timer);
		r->timer = 0;
	}
}

static void G_GNUC_PRINTF(2, 3) fail(ScenarioRunner *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	const ScenarioInstr *in = current_instr(r);
	g_autofree char *msg =
	    in != NULL ? g_strdup_printf(_("Step %u, line %u: %s"), r->step, in->line, what)
	               : g_strdup_printf(_("Step %u: %s"), r->step, what);
	clear_wait(r);
	r->failed = TRUE;
	r->busy = FALSE;
	if (r->cb.failed != NULL)
		r->cb.failed(r, current_step(r), in, msg, r->data);
	if (r->nested != NULL)
		g_main_loop_quit(r->nested);
}

/* --- variables --- */

static char *
expand(ScenarioRunner *r, const char *text)
{
	GString *out = g_string_new(NULL);
	for (const char *s = text; *s;) {
		if (*s == '$') {
			const char *e = s + 1;
			while (g_ascii_isalnum(*e) || *e == '_')
				e++;
			if (e > s + 1) {
				g_autofree char *name = g_strndup(s + 1, (gsize)(e - s - 1));
				const char *v = g_hash_table_lookup(r->vars, name);
				if (v != NULL) {
					g_string_append(out, v);
					s = e;
					continue;
				}
			}
		}
		g_string_append_c(out, *s++);
	}
	return g_string_free(out, FALSE);
}

/* --- set-up --- */

static gboolean
run_setup(ScenarioRunner *r, GError **error)
{
	for (guint i = 0; i < r->sc->setup->len; i++) {
		const ScenarioInstr *in = r->sc->setup->pdata[i];
		gboolean ok = TRUE;
		switch (in->op) {
		case SCENARIO_OP_USER:
			ok = store_user_add(r->store, in->args[0], in->args[1], error);
			break;
		case SCENARIO_OP_MAILBOX:
			ok = store_mailbox_exists(r->store, in->args[0], in->args[1]) ||
			     store_mailbox_create(r->store, in->args[0], in->args[1], error);
			break;
		case SCENARIO_OP_MESSAGE: {
			guint32 flags = 0;
			if (!store_flags_parse(in->text, &flags)) {
				g_set_error(
				    error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX,
				    _("%s:%u: unknown flag in «%s» (expected \\Seen, \\Answered, "
				      "\\Flagged, \\Deleted or \\Draft)"),
				    r->sc->path, in->line, in->text);
				return FALSE;
			}
			g_autoptr(StoreMailbox) mb =
			    store_mailbox_open(r->store, in->args[0], in->args[1], error);
			ok = mb != NULL && store_seed_message(mb, in->file, flags, error);
			break;
		}
		default:
			break;
		}
		if (!ok) {
			g_prefix_error(error, "%s:%u: ", r->sc->path, in->line);
			return FALSE;
		}
	}
	return TRUE;
}

/* --- the clients --- */

static void on_client(ScenarioClient *c, gpointer data);

static ScenarioClient *
client(ScenarioRunner *r, const char *name)
{
	return g_hash_table_lookup(r->clients, name);
}

static guint16
server_port(const ScenarioRunner *r, ScenarioProto proto)
{
	static const ServerProto map[] = {SERVER_SMTP, SERVER_POP3, SERVER_IMAP};
	return servers_get_port(r->servers, map[proto]);
}

static gboolean
open_client(ScenarioRunner *r, const char *name, ScenarioProto proto, GError **error)
{
	if (client(r, name) != NULL) {
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX,
		            _("connection «%s» is already open"), name);
		return FALSE;
	}
	ScenarioClient *c =
	    scenario_client_new(name, proto, server_port(r, proto), on_client, r, error);
	if (c == NULL)
		return FALSE;
	g_hash_table_insert(r->clients, g_strdup(name), c);
	g_ptr_array_add(r->order, g_strdup(name));
	g_free(r->last_conn);
	r->last_conn = g_strdup(name);
	return TRUE;
}

/* --- expectations --- */

static gboolean
status_matches(ScenarioProto proto, const char *want, const ScenarioReply *reply)
{
	if (proto == SCENARIO_PROTO_SMTP) {
		/* "250" exactly, "2xx"/"25x" by class, "2" by first digit. */
		for (gsize i = 0; want[i] != '\0'; i++) {
			if (i >= 3 || reply->status[i] == '\0')
				return FALSE;
			if (want[i] != 'x' && want[i] != reply->status[i])
				return FALSE;
		}
		return reply->kind == SCENARIO_REPLY_STATUS;
	}
	if (strcmp(want, "*") == 0)
		return reply->kind == SCENARIO_REPLY_UNTAGGED;
	if (strcmp(want, "+") == 0)
		return reply->kind == SCENARIO_REPLY_CONTINUATION;
	if (reply->kind == SCENARIO_REPLY_UNTAGGED)
		return reply->untagged_status != NULL &&
		       g_ascii_strcasecmp(want, reply->untagged_status) == 0;
	return reply->kind == SCENARIO_REPLY_STATUS && g_ascii_strcasecmp(want, reply->status) == 0;
}

/* IMAP: which reply an expectation is about. "OK", "NO", "BAD" await the
 * tagged completion of the last command, gathering the untagged data before
 * it — except the greeting, an untagged "* OK" (or "* PREAUTH", "* BYE") that
 * comes first. "BYE" and "PREAUTH" are only ever untagged. */
static gboolean
imap_is_awaited(const char *want, const ScenarioReply *reply)
{
	if (strcmp(want, "*") == 0 || strcmp(want, "+") == 0)
		return TRUE;
	if (reply->kind == SCENARIO_REPLY_STATUS)
		return TRUE;
	if (reply->kind != SCENARIO_REPLY_UNTAGGED || reply->untagged_status == NULL)
		return FALSE;
	if (g_ascii_strcasecmp(want, "BYE") == 0 || g_ascii_strcasecmp(want, "PREAUTH") == 0)
		return g_ascii_strcasecmp(want, reply->untagged_status) == 0;
	return reply->number == 1;
}

static char *
first_lines(const char *text)
{
	/* What came, short enough for the Lesson pane: three lines at most. */
	g_auto(GStrv) lines = g_strsplit(text, "\n", 4);
	guint n = g_strv_length(lines);
	if (n > 3) {
		g_free(lines[3]);
		lines[3] = g_strdup("…");
	}
	return g_strjoinv(" ⏎ ", lines);
}

/* Takes replies from the client for the expectation at pc; TRUE when it was
 * decided (held or failed), FALSE to keep waiting. */
static gboolean
try_expect(ScenarioRunner *r, const ScenarioInstr *in, ScenarioClient *c)
{
	const char *want = in->args[0];
	/* IMAP: the untagged data before a tagged completion belong to the reply. */
	for (;;) {
		g_autoptr(ScenarioReply) reply = scenario_client_take(c);
		if (reply == NULL)
			break;
		if (in->proto == SCENARIO_PROTO_IMAP && !imap_is_awaited(want, reply)) {
			if (r->gather == NULL)
				r->gather = g_string_new(NULL);
			g_string_append_printf(r->gather, "%s\n", reply->text);
			continue;
		}
		g_autofree char *all = r->gather != NULL
		                           ? g_strconcat(r->gather->str, reply->text, NULL)
		                           : g_strdup(reply->text);
		if (r->gather != NULL)
			g_string_free(g_steal_pointer(&r->gather), TRUE);
		g_hash_table_insert(r->last_reply, g_strdup(in->conn), g_strdup(all));
		g_autofree char *shown = first_lines(all);
		if (!status_matches(in->proto, want, reply)) {
			fail(r, _("expected «%s» on %s, got «%s»"), want, in->conn, shown);
			return TRUE;
		}
		if (in->text != NULL && *in->text != '\0') {
			g_autofree char *pattern = expand(r, in->text);
			if (strstr(all, pattern) == NULL) {
				fail(r, _("expected «%s» with «%s» on %s, got «%s»"), want, pattern,
				     in->conn, shown);
				return TRUE;
			}
		}
		return TRUE;
	}
	if (scenario_client_is_closed(c)) {
		fail(r, _("expected «%s» on %s, but the server closed the connection"), want,
		     in->conn);
		return TRUE;
	}
	return FALSE;
}

static gboolean
on_expect_timeout(gpointer data)
{
	ScenarioRunner *r = data;
	r->timer = 0;
	const ScenarioInstr *in = current_instr(r);
	if (r->wait == WAIT_CLOSE)
		fail(r, _("expected the server to close %s; it stayed open"), in->conn);
	else if (r->wait == WAIT_CUT)
		fail(r, _("the server did not notice that %s was cut"), in->conn);
	else if (r->wait == WAIT_CONNECT)
		fail(r, _("could not connect %s"), in->conn);
	else
		fail(r, _("expected «%s» on %s; nothing came within %u s"),
		     in->op == SCENARIO_OP_APPEND ? "+" : in->args[0], in->conn,
		     r->options.expect_timeout_ms / 1000);
	return G_SOURCE_REMOVE;
}

static void
wait_for(ScenarioRunner *r, WaitKind kind, ScenarioClient *c)
{
	r->wait = kind;
	r->wait_client = c;
	r->timer = g_timeout_add(r->options.expect_timeout_ms, on_expect_timeout, r);
}

/* --- instructions --- */

static GBytes *
read_message(ScenarioRunner *r, const char *path)
{
	g_autofree char *text = NULL;
	gsize len;
	g_autoptr(GError) error = NULL;
	if (!g_file_get_contents(path, &text, &len, &error)) {
		fail(r, "%s", error->message);
		return NULL;
	}
	return crlf_normalize(text, len);
}

static gboolean
compare(const char *a, const char *op, const char *b)
{
	char *ea = NULL, *eb = NULL;
	gint64 x = g_ascii_strtoll(a, &ea, 10), y = g_ascii_strtoll(b, &eb, 10);
	int c;
	if (*a != '\0' && *b != '\0' && *ea == '\0' && *eb == '\0')
		c = x < y ? -1 : x > y;
	else
		c = strcmp(a, b);
	if (strcmp(op, "=") == 0)
		return c == 0;
	if (strcmp(op, "!=") == 0)
		return c != 0;
	if (strcmp(op, "<") == 0)
		return c < 0;
	if (strcmp(op, ">") == 0)
		return c > 0;
	if (strcmp(op, "<=") == 0)
		return c <= 0;
	return c >= 0;
}

static gboolean
on_pause_done(gpointer data)
{
	ScenarioRunner *r = data;
	r->timer = 0;
	r->wait = WAIT_NONE;
	advance(r);
	return G_SOURCE_REMOVE;
}

/* Runs one instruction. TRUE: go on with the next; FALSE: wait or failed. */
static gboolean
run_instr(ScenarioRunner *r, const ScenarioInstr *in)
{
	g_autoptr(GError) error = NULL;
	ScenarioClient *c = in->conn != NULL ? client(r, in->conn) : NULL;
	if (in->conn != NULL) {
		g_free(r->last_conn);
		r->last_conn = g_strdup(in->conn);
	}
	switch (in->op) {
	case SCENARIO_OP_OPEN:
		if (!open_client(r, in->conn, in->proto, &error)) {
			fail(r, "%s", error->message);
			return FALSE;
		}
		return TRUE;
	case SCENARIO_OP_SEND: {
		g_autofree char *text = expand(r, in->text != NULL ? in->text : "");
		g_autofree char *line = g_strconcat(text, "\r\n", NULL);
		scenario_client_send(c, line, strlen(line), TRUE);
		return TRUE;
	}
	case SCENARIO_OP_EXPECT:
		if (try_expect(r, in, c))
			return !r->failed;
		wait_for(r, WAIT_REPLY, c);
		return FALSE;
	case SCENARIO_OP_EXPECT_CLOSE:
		if (scenario_client_is_closed(c))
			return TRUE;
		wait_for(r, WAIT_CLOSE, c);
		return FALSE;
	case SCENARIO_OP_REMEMBER: {
		const char *text = g_hash_table_lookup(r->last_reply, in->conn);
		g_autoptr(GRegex) re = g_regex_new(in->text, 0, 0, NULL);
		g_autoptr(GMatchInfo) mi = NULL;
		if (text == NULL || re == NULL || !g_regex_match(re, text, 0, &mi)) {
			fail(r, _("nothing in the last reply on %s matches «%s»"), in->conn,
			     in->text);
			return FALSE;
		}
		char *value = g_match_info_fetch(mi, g_regex_get_capture_count(re) > 0 ? 1 : 0);
		g_hash_table_insert(r->vars, g_strdup(in->args[0]), value);
		return TRUE;
	}
	case SCENARIO_OP_CHECK: {
		g_autofree char *a = expand(r, in->args[0]);
		g_autofree char *b = expand(r, in->args[2]);
		if (!compare(a, in->args[1], b)) {
			fail(r, _("expected %s %s %s, but %s %s %s is false"), in->args[0],
			     in->args[1], in->args[2], a, in->args[1], b);
			return FALSE;
		}
		return TRUE;
	}
	case SCENARIO_OP_SEND_MESSAGE: {
		g_autoptr(GBytes) msg = read_message(r, in->file);
		if (msg == NULL)
			return FALSE;
		gsize len;
		const guint8 *data = g_bytes_get_data(msg, &len);
		/* RFC 5321 §4.5.2: a line beginning with "." gets another one. */
		g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)len + 16);
		gboolean line_start = TRUE;
		pop3_stuff_append(out, data, len, &line_start);
		pop3_stuff_finish(out, line_start);
		scenario_client_send(c, out->data, out->len, FALSE);
		return TRUE;
	}
	case SCENARIO_OP_APPEND: {
		g_autoptr(GBytes) msg = read_message(r, in->file);
		if (msg == NULL)
			return FALSE;
		const char *mbox = in->args[1];
		gboolean quote = strpbrk(mbox, " ()\"{%*\\") != NULL;
		g_autofree char *flags = in->text != NULL && *in->text
		                             ? g_strdup_printf(" (%s)", in->text)
		                             : g_strdup("");
		g_autofree char *line = g_strdup_printf(
		    "%s APPEND %s%s%s%s {%" G_GSIZE_FORMAT "}\r\n", in->args[0], quote ? "\"" : "",
		    mbox, quote ? "\"" : "", flags, g_bytes_get_size(msg));
		scenario_client_send(c, line, strlen(line), TRUE);
		r->pending_literal = g_bytes_ref(msg);
		wait_for(r, WAIT_CONTINUATION, c);
		return FALSE;
	}
	case SCENARIO_OP_ADMIN_RECREATE:
		if (!store_mailbox_recreate(r->store, in->args[0], in->args[1], &error)) {
			fail(r, "%s", error->message);
			return FALSE;
		}
		return TRUE;
	case SCENARIO_OP_ADMIN_DELIVER: {
		g_autoptr(StoreMailbox) mb =
		    store_mailbox_open(r->store, in->args[0], in->args[1], &error);
		if (mb == NULL || !store_seed_message(mb, in->file, 0, &error)) {
			fail(r, "%s", error->message);
			return FALSE;
		}
		return TRUE;
	}
	case SCENARIO_OP_CUT:
		/* Cut, then wait until the server has seen it go (its POP3 lock
		 * released, say), so that what follows never races with it. */
		r->cut_port = scenario_client_local_port(c);
		scenario_client_cut(c);
		if (!g_hash_table_contains(r->server_side, GUINT_TO_POINTER(r->cut_port)))
			return TRUE;
		wait_for(r, WAIT_CUT, NULL);
		return FALSE;
	case SCENARIO_OP_PAUSE:
		if (r->options.fast || in->seconds <= 0)
			return TRUE;
		r->wait = WAIT_PAUSE;
		r->timer = g_timeout_add((guint)(in->seconds * 1000), on_pause_done, r);
		return FALSE;
	case SCENARIO_OP_USER:
	case SCENARIO_OP_MAILBOX:
	case SCENARIO_OP_MESSAGE:
		return TRUE;
	}
	return TRUE;
}

static void
on_server_side_closed(ScenarioRunner *r, guint16 port)
{
	if (r->wait == WAIT_CUT && port == r->cut_port) {
		clear_wait(r);
		advance(r);
	}
}

/* --- steps --- */

static void finish_step(ScenarioRunner *r);

static gboolean
on_settle(gpointer data)
{
	ScenarioRunner *r = data;
	/* Let the servers and the tracer process what the last instruction caused
	 * (a close, a delivery notification) before the step ends. */
	if (--r->settle_left > 0)
		return G_SOURCE_CONTINUE;
	r->timer = 0;
	r->wait = WAIT_NONE;
	finish_step(r);
	return G_SOURCE_REMOVE;
}

static gboolean
using_libpcap(const ScenarioRunner *r)
{
	return r->capture != NULL && trace_capture_mode(r->capture) == TRACE_CAPTURE_LIBPCAP;
}

static gboolean
on_quiet_check(gpointer data)
{
	ScenarioRunner *r = data;
	/* libpcap hands packets over a moment after they cross lo: the step ends
	 * when the tracer has produced nothing new for QUIET_MS. */
	guint64 now = tracer_count_events(r->tracer);
	if (now != r->last_events) {
		r->last_events = now;
		return G_SOURCE_CONTINUE;
	}
	r->timer = 0;
	r->wait = WAIT_NONE;
	finish_step(r);
	return G_SOURCE_REMOVE;
}

static void
finish_step(ScenarioRunner *r)
{
	tracer_flush(r->tracer);
	r->busy = FALSE;
	if (r->cb.step_finished != NULL)
		r->cb.step_finished(r, current_step(r), r->data);
	if (r->nested != NULL && (r->step >= r->nested_until || scenario_runner_is_done(r)))
		g_main_loop_quit(r->nested);
	else if (r->nested != NULL)
		scenario_runner_next(r);
}

static void
advance(ScenarioRunner *r)
{
	const ScenarioStep *st = current_step(r);
	while (!r->failed && r->wait == WAIT_NONE && r->pc < st->instrs->len) {
		const ScenarioInstr *in = st->instrs->pdata[r->pc++];
		if (!run_instr(r, in))
			return;
	}
	if (r->failed || r->wait != WAIT_NONE)
		return;
	r->wait = WAIT_SETTLE;
	if (using_libpcap(r)) {
		r->last_events = tracer_count_events(r->tracer);
		r->timer = g_timeout_add(QUIET_MS, on_quiet_check, r);
	} else {
		r->settle_left = SETTLE_ROUNDS;
		r->timer = g_idle_add_full(G_PRIORITY_LOW, on_settle, r, NULL);
	}
}

static void
on_client(ScenarioClient *c, gpointer data)
{
	ScenarioRunner *r = data;
	if (r->wait_client != c || r->failed)
		return;
	const ScenarioInstr *in = current_instr(r);
	switch (r->wait) {
	case WAIT_REPLY:
		if (try_expect(r, in, c)) {
			if (r->failed)
				return;
			clear_wait(r);
			advance(r);
		}
		break;
	case WAIT_CONTINUATION: {
		g_autoptr(ScenarioReply) reply = scenario_client_take(c);
		if (reply == NULL && scenario_client_is_closed(c)) {
			fail(r, _("expected «+» on %s, but the server closed the connection"),
			     in->conn);
			return;
		}
		if (reply == NULL)
			return;
		if (reply->kind != SCENARIO_REPLY_CONTINUATION) {
			g_autofree char *shown = first_lines(reply->text);
			fail(r, _("expected «+» (ready for the literal) on %s, got «%s»"), in->conn,
			     shown);
			return;
		}
		gsize len;
		const guint8 *d = g_bytes_get_data(r->pending_literal, &len);
		scenario_client_send(c, d, len, FALSE);
		scenario_client_send(c, "\r\n", 2, FALSE);
		g_clear_pointer(&r->pending_literal, g_bytes_unref);
		clear_wait(r);
		advance(r);
		break;
	}
	case WAIT_CLOSE:
		if (scenario_client_is_closed(c)) {
			clear_wait(r);
			advance(r);
		}
		break;
	default:
		break;
	}
}

gboolean
scenario_runner_next(ScenarioRunner *r)
{
	if (r->busy || r->failed || scenario_runner_is_done(r))
		return FALSE;
	r->step++;
	r->pc = 0;
	r->busy = TRUE;
	if (r->cb.step_started != NULL)
		r->cb.step_started(r, current_step(r), r->data);
	advance(r);
	return TRUE;
}

gboolean
scenario_runner_run_to(ScenarioRunner *r, guint until)
{
	if (until > scenario_n_steps(r->sc))
		until = scenario_n_steps(r->sc);
	if (r->failed)
		return FALSE;
	if (r->step >= until && !r->busy)
		return TRUE;
	r->nested = g_main_loop_new(NULL, FALSE);
	r->nested_until = until;
	if (!r->busy)
		scenario_runner_next(r);
	if (!r->failed && (r->busy || r->step < until))
		g_main_loop_run(r->nested);
	g_clear_pointer(&r->nested, g_main_loop_unref);
	return !r->failed;
}

/* --- life --- */

static void
remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *e;
		while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
			g_autofree char *sub = g_build_filename(path, e, NULL);
			remove_tree(sub);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

ScenarioRunner *
scenario_runner_new(const Scenario *sc, const ScenarioRunnerOptions *options,
                    const ScenarioRunnerCallbacks *callbacks, gpointer data, GError **error)
{
	ScenarioRunner *r = g_new0(ScenarioRunner, 1);
	r->sc = sc;
	if (options != NULL)
		r->options = *options;
	if (r->options.expect_timeout_ms == 0)
		r->options.expect_timeout_ms = DEFAULT_EXPECT_TIMEOUT_MS;
	if (callbacks != NULL)
		r->cb = *callbacks;
	r->data = data;
	r->clients = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                   (GDestroyNotify)scenario_client_free);
	r->order = g_ptr_array_new_with_free_func(g_free);
	r->vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->last_reply = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	r->server_side = g_hash_table_new(g_direct_hash, g_direct_equal);

	/* The store: fresh and deterministic, or the free session's data directory. */
	StoreOptions sopts = {0};
	if (r->options.data_dir == NULL) {
		facteur_clock_set_deterministic(FACTEUR_CLOCK_DETERMINISTIC_START);
		r->tmpdir = g_dir_make_tmp("facteur-scenario-XXXXXX", error);
		if (r->tmpdir == NULL) {
			scenario_runner_free(r);
			return NULL;
		}
	} else {
		facteur_clock_set_deterministic(-1);
		g_autofree char *conf = g_build_filename(facteur_paths_mail(), "demo.conf", NULL);
		if (g_file_test(conf, G_FILE_TEST_EXISTS))
			sopts.demo_dir = facteur_paths_mail();
	}
	r->store = store_open(r->tmpdir != NULL ? r->tmpdir : r->options.data_dir, &sopts, error);
	if (r->store == NULL || !run_setup(r, error)) {
		scenario_runner_free(r);
		return NULL;
	}

	/* The tracer, fed by the tap. */
	r->tracer = tracer_new();
	RunnerSink *sink = g_new0(RunnerSink, 1);
	sink->parent.klass = &runner_sink_class;
	sink->runner = r;
	tracer_add_sink(r->tracer, &sink->parent);
	tracer_set_packet_events(r->tracer, r->options.packets);

	ServerConfig config = {.auth_failure_delay_ms = 0};
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		config.protocols[p] = server_protocols[p];
		config.port_set[p] = r->options.data_dir == NULL;
	}
	r->servers = servers_new(r->store, &config, NULL);
	if (r->servers == NULL) {
		/* The default ports are taken (another facteur?): any free ones will do. */
		for (int p = 0; p < SERVER_N_PROTOCOLS; p++)
			config.port_set[p] = TRUE;
		r->servers = servers_new(r->store, &config, error);
	}
	if (r->servers == NULL) {
		scenario_runner_free(r);
		return NULL;
	}
	TracePort ports[SERVER_N_PROTOCOLS];
	gsize n_ports = 0;
	tap_glue_ports(r->servers, ports, &n_ports);
	servers_set_tap(r->servers, on_tap, r);
	if (r->options.capture == SCENARIO_CAPTURE_TAP) {
		/* The tap only: register the ports without trying libpcap. */
		for (gsize i = 0; i < n_ports; i++)
			tracer_set_port(r->tracer, ports[i].port, ports[i].proto);
	} else {
		r->capture = trace_capture_start_loopback(r->tracer, ports, n_ports);
		if (r->options.capture == SCENARIO_CAPTURE_PCAP &&
		    trace_capture_mode(r->capture) != TRACE_CAPTURE_LIBPCAP) {
			g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_READ, "%s",
			            trace_capture_describe(r->capture));
			scenario_runner_free(r);
			return NULL;
		}
	}
	return r;
}

void
scenario_runner_free(ScenarioRunner *r)
{
	if (r == NULL)
		return;
	clear_wait(r);
	g_clear_pointer(&r->pending_literal, g_bytes_unref);
	g_hash_table_destroy(r->clients);
	/* Let the servers see the clients go before they stop: a server that
	 * said goodbye to a closed socket would get a reset, not a clean end. */
	gint64 end = g_get_monotonic_time() + G_USEC_PER_SEC;
	while (r->server_side != NULL && g_hash_table_size(r->server_side) > 0 &&
	       g_get_monotonic_time() < end)
		g_main_context_iteration(NULL, TRUE);
	servers_free(r->servers);
	trace_capture_stop(r->capture);
	tracer_free(r->tracer);
	g_hash_table_destroy(r->server_side);
	store_free(r->store);
	if (r->tmpdir != NULL) {
		remove_tree(r->tmpdir);
		g_free(r->tmpdir);
		facteur_clock_set_deterministic(-1);
	}
	if (r->gather != NULL)
		g_string_free(r->gather, TRUE);
	g_hash_table_destroy(r->last_reply);
	g_hash_table_destroy(r->vars);
	g_ptr_array_unref(r->order);
	g_free(r->last_conn);
	g_free(r);
}

gboolean
scenario_runner_is_busy(const ScenarioRunner *r)
{
	return r->busy;
}

gboolean
scenario_runner_has_failed(const ScenarioRunner *r)
{
	return r->failed;
}

gboolean
scenario_runner_is_done(const ScenarioRunner *r)
{
	return !r->busy && r->step >= scenario_n_steps(r->sc);
}

guint
scenario_runner_current_step(const ScenarioRunner *r)
{
	return r->busy ? r->step - 1 : r->step;
}

Store *
scenario_runner_store(ScenarioRunner *r)
{
	return r->store;
}

const char *
scenario_runner_capture_name(const ScenarioRunner *r)
{
	if (using_libpcap(r))
		return "libpcap";
	return "tap";
}

const char *
scenario_runner_capture_note(const ScenarioRunner *r)
{
	if (r->capture != NULL)
		return trace_capture_describe(r->capture);
	return _("capture by the in-process tap: the servers hand the tracer every octet they "
	         "read and write");
}

gboolean
scenario_runner_send_line(ScenarioRunner *r, const char *conn, const char *line, GError **error)
{
	const char *name = conn != NULL ? conn : r->last_conn;
	ScenarioClient *c = name != NULL ? client(r, name) : NULL;
	if (c == NULL || scenario_client_is_closed(c)) {
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX,
		            name != NULL ? _("connection «%s» is not open")
		                         : _("no connection is open"),
		            name);
		return FALSE;
	}
	g_autofree char *text = g_strconcat(line, "\r\n", NULL);
	scenario_client_ignore_next(c, 1);
	scenario_client_send(c, text, strlen(text), TRUE);
	return TRUE;
}

gboolean
scenario_runner_open_connection(ScenarioRunner *r, const char *conn, ScenarioProto proto,
                                GError **error)
{
	return open_client(r, conn, proto, error);
}

guint16
scenario_runner_port(const ScenarioRunner *r, ScenarioProto proto)
{
	return server_port(r, proto);
}

GPtrArray *
scenario_runner_connections(const ScenarioRunner *r)
{
	return r->order;
}
