/* The POP3 server (RFC 1939, CAPA of RFC 2449, response codes of RFC 2449 §8
 * and RFC 3206): AUTHORIZATION with USER/PASS or APOP, TRANSACTION on the
 * store's POP3 view (which owns the DELE marks and the maildrop lock), UPDATE
 * at QUIT. Dispatched from the command table of proto/pop3-proto.h. Reply
 * texts stay in English ASCII like real servers'; the tracer explains them. */
#include "core/facteur-clock.h"
#include "core/facteur-i18n.h"
#include "core/line-buffer.h"
#include "proto/pop3-proto.h"
#include "server/server.h"

#include <string.h>
#include <unistd.h>

/* Past the listener's high-water mark it stops reading and promises a
 * drained() call, so the session stops answering until then rather than
 * queueing message after message. */
#define OUTPUT_LIMIT SERVER_OUTPUT_HIGH_MARK

typedef struct {
	ServerConn *conn;
	Store *store;
	const ServerConfig *config;
	LineBuffer *lb;
	Pop3State state;
	char *user;          /* given by USER, waiting for PASS */
	char *timestamp;     /* of the greeting, for APOP */
	StorePop3 *maildrop; /* in TRANSACTION */
	gboolean waiting;    /* an authentication failure is being delayed */
	gboolean blocked;    /* waiting for the output to drain */
} Pop3Session;

static void process(Pop3Session *s);

/* One reply line, CRLF added. */
#define reply(s, ...) server_conn_replyf((s)->conn, __VA_ARGS__)

/* What goes on the wire is English ASCII, like a real server's replies; the
 * store's own message (translated, with file names) goes to the log. */
static const char *
wire_reason(const GError *error)
{
	g_message("POP3: %s", error->message);
	if (error->domain != STORE_ERROR)
		return "internal error";
	switch ((StoreError)error->code) {
	case STORE_ERROR_NOT_FOUND:
		return "no longer in the mailbox";
	case STORE_ERROR_IO:
		return "the file system refused";
	case STORE_ERROR_CORRUPT:
		return "a file of the store is damaged";
	case STORE_ERROR_LIMIT:
		return "a limit of the store is reached";
	default:
		return "internal error";
	}
}

/* Client text echoed in a reply: printable ASCII, at most 40 octets. */
#define printable(text) server_printable((text), 40)

/* A multi-line body: byte-stuffed and ended by CRLF.CRLF (RFC 1939 §3). */
static void
send_stuffed(Pop3Session *s, const guint8 *data, gsize len)
{
	GByteArray *out = g_byte_array_sized_new((guint)(len + len / 64 + 8));
	gboolean line_start = TRUE;
	pop3_stuff_append(out, data, len, &line_start);
	pop3_stuff_finish(out, line_start);
	g_autoptr(GBytes) bytes = g_byte_array_free_to_bytes(out);
	server_conn_write_bytes(s->conn, bytes);
}

/* --- AUTHORIZATION --- */

static void
auth_failed_later(gpointer session)
{
	Pop3Session *s = session;
	reply(s, "-ERR [AUTH] Invalid user name or password");
	s->waiting = FALSE;
	server_conn_resume(s->conn);
}

static void
auth_failed(Pop3Session *s)
{
	g_clear_pointer(&s->user, g_free);
	/* The delay slows password guessing; input waits with the reply, so that
	 * pipelined commands are still answered in order. */
	guint delay = s->config->auth_failure_delay_ms;
	if (delay == 0) {
		reply(s, "-ERR [AUTH] Invalid user name or password");
		return;
	}
	s->waiting = TRUE;
	server_conn_pause(s->conn);
	server_conn_defer(s->conn, delay, auth_failed_later);
}

static void
open_maildrop(Pop3Session *s, const char *user)
{
	g_autoptr(GError) error = NULL;
	g_clear_pointer(&s->user, g_free);
	store_set_origin(s->store, s);
	s->maildrop = store_pop3_open(s->store, user, &error);
	store_set_origin(s->store, NULL);
	if (s->maildrop == NULL) {
		if (g_error_matches(error, STORE_ERROR, STORE_ERROR_IN_USE))
			reply(s,
			      "-ERR [IN-USE] The maildrop of %s is locked by another POP3 "
			      "session",
			      user);
		else
			reply(s, "-ERR [SYS/TEMP] Cannot open the maildrop: %s",
			      wire_reason(error));
		return;
	}
	guint count;
	gsize octets;
	store_pop3_stat(s->maildrop, &count, &octets);
	s->state = POP3_STATE_TRANSACTION;
	reply(s, "+OK %s's maildrop has %u messages (%" G_GSIZE_FORMAT " octets)", user, count,
	      octets);
}

static void
cmd_user(Pop3Session *s, Pop3Command *cmd)
{
	/* Always +OK: telling here whether the user exists would help guessing. */
	g_free(s->user);
	s->user = g_strdup(cmd->args[0]);
	reply(s, "+OK Send PASS now");
}

static void
cmd_pass(Pop3Session *s, Pop3Command *cmd)
{
	if (s->user == NULL) {
		reply(s, "-ERR Give USER first");
		return;
	}
	g_autofree char *user = g_strdup(s->user);
	if (!store_user_check_password(s->store, user, cmd->args[0])) {
		auth_failed(s);
		return;
	}
	open_maildrop(s, user);
}

static void
cmd_apop(Pop3Session *s, Pop3Command *cmd)
{
	const char *user = cmd->args[0];
	/* digest = MD5(timestamp of the greeting + password), in lower-case hex (RFC 1939 §7) */
	g_autofree char *password = g_strdup(store_user_password(s->store, user));
	g_autofree char *expected = NULL;
	if (password != NULL) {
		g_autofree char *secret = g_strconcat(s->timestamp, password, NULL);
		expected = g_compute_checksum_for_string(G_CHECKSUM_MD5, secret, -1);
	}
	if (expected == NULL || g_ascii_strcasecmp(expected, cmd->args[1]) != 0) {
		auth_failed(s);
		return;
	}
	open_maildrop(s, user);
}

static void
cmd_capa(Pop3Session *s, Pop3Command *cmd)
{
	(void)cmd;
	reply(s, "+OK Capability list follows");
	reply(s, "TOP");
	reply(s, "USER");
	reply(s, "UIDL");
	reply(s, "RESP-CODES");
	reply(s, "AUTH-RESP-CODE");
	reply(s, "PIPELINING");
	reply(s, "EXPIRE NEVER");
	reply(s, "IMPLEMENTATION facteur");
	reply(s, ".");
}

static void
cmd_quit(Pop3Session *s, Pop3Command *cmd)
{
	(void)cmd;
	if (s->state == POP3_STATE_AUTHORIZATION) {
		reply(s, "+OK facteur POP3 server signing off");
		server_conn_close(s->conn);
		return;
	}
	/* The UPDATE state (RFC 1939 §6): only now are the marked messages removed. */
	s->state = POP3_STATE_UPDATE;
	g_autoptr(GError) error = NULL;
	store_set_origin(s->store, s);
	guint removed = store_pop3_commit(s->maildrop, &error);
	/* The maildrop is released before the reply, not when the connection is
	 * freed: a client that logs in again as soon as it reads "+OK" must not
	 * find it still locked ([IN-USE]). */
	g_clear_pointer(&s->maildrop, store_pop3_close);
	store_set_origin(s->store, NULL);
	if (error != NULL)
		reply(s, "-ERR [SYS/TEMP] Some deleted messages not removed: %s",
		      wire_reason(error));
	else
		reply(s, "+OK facteur POP3 server signing off (%u message%s deleted)", removed,
		      removed == 1 ? "" : "s");
	server_conn_close(s->conn);
}

/* --- TRANSACTION --- */

/* The message numbered by arg, not marked; else an -ERR and FALSE. */
static gboolean
get_message(Pop3Session *s, const char *arg, guint *n_r, gsize *size_r)
{
	guint n;
	gboolean marked;
	if (!pop3_parse_number(arg, &n)) {
		g_autofree char *shown = printable(arg);
		reply(s, "-ERR Invalid message number: %s", shown);
		return FALSE;
	}
	if (!store_pop3_get(s->maildrop, n, NULL, size_r, &marked)) {
		reply(s, "-ERR No such message %u (the maildrop has %u messages)", n,
		      store_pop3_count(s->maildrop));
		return FALSE;
	}
	if (marked) {
		reply(s, "-ERR message %u already deleted", n);
		return FALSE;
	}
	*n_r = n;
	return TRUE;
}

static void
cmd_stat(Pop3Session *s, Pop3Command *cmd)
{
	(void)cmd;
	guint count;
	gsize octets;
	store_pop3_stat(s->maildrop, &count, &octets);
	reply(s, "+OK %u %" G_GSIZE_FORMAT, count, octets);
}

static void
cmd_list(Pop3Session *s, Pop3Command *cmd)
{
	guint n;
	gsize size;
	if (cmd->n_args == 1) {
		if (get_message(s, cmd->args[0], &n, &size))
			reply(s, "+OK %u %" G_GSIZE_FORMAT, n, size);
		return;
	}
	guint count;
	gsize octets;
	store_pop3_stat(s->maildrop, &count, &octets);
	reply(s, "+OK %u messages (%" G_GSIZE_FORMAT " octets)", count, octets);
	for (n = 1; n <= store_pop3_count(s->maildrop); n++) {
		gboolean marked;
		store_pop3_get(s->maildrop, n, NULL, &size, &marked);
		if (!marked)
			reply(s, "%u %" G_GSIZE_FORMAT, n, size);
	}
	reply(s, ".");
}

static void
cmd_uidl(Pop3Session *s, Pop3Command *cmd)
{
	guint n;
	gsize size;
	if (cmd->n_args == 1) {
		if (get_message(s, cmd->args[0], &n, &size)) {
			g_autofree char *uid = store_pop3_uidl(s->maildrop, n);
			reply(s, "+OK %u %s", n, uid);
		}
		return;
	}
	reply(s, "+OK Unique-ID listing follows");
	for (n = 1; n <= store_pop3_count(s->maildrop); n++) {
		gboolean marked;
		store_pop3_get(s->maildrop, n, NULL, NULL, &marked);
		if (!marked) {
			g_autofree char *uid = store_pop3_uidl(s->maildrop, n);
			reply(s, "%u %s", n, uid);
		}
	}
	reply(s, ".");
}

static GBytes *
read_message(Pop3Session *s, guint n)
{
	g_autoptr(GError) error = NULL;
	GBytes *bytes = store_pop3_read(s->maildrop, n, &error);
	if (bytes == NULL)
		reply(s, "-ERR [SYS/TEMP] Cannot read message %u: %s", n, wire_reason(error));
	return bytes;
}

static void
cmd_retr(Pop3Session *s, Pop3Command *cmd)
{
	guint n;
	gsize size;
	if (!get_message(s, cmd->args[0], &n, &size))
		return;
	g_autoptr(GBytes) bytes = read_message(s, n);
	if (bytes == NULL)
		return;
	gsize len;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	reply(s, "+OK %" G_GSIZE_FORMAT " octets", len);
	send_stuffed(s, data, len);
}

static void
cmd_top(Pop3Session *s, Pop3Command *cmd)
{
	guint n, lines;
	gsize size;
	if (!get_message(s, cmd->args[0], &n, &size))
		return;
	if (!pop3_parse_number(cmd->args[1], &lines)) {
		g_autofree char *shown = printable(cmd->args[1]);
		reply(s, "-ERR Invalid number of lines: %s", shown);
		return;
	}
	g_autoptr(GBytes) bytes = read_message(s, n);
	if (bytes == NULL)
		return;
	gsize len;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	reply(s, "+OK Top of message %u follows", n);
	send_stuffed(s, data, pop3_top_length(data, len, lines));
}

static void
cmd_dele(Pop3Session *s, Pop3Command *cmd)
{
	guint n;
	gsize size;
	if (!get_message(s, cmd->args[0], &n, &size))
		return;
	store_set_origin(s->store, s);
	store_pop3_mark(s->maildrop, n);
	store_set_origin(s->store, NULL);
	reply(s, "+OK message %u deleted (removed at QUIT; RSET undoes it)", n);
}

static void
cmd_noop(Pop3Session *s, Pop3Command *cmd)
{
	(void)cmd;
	reply(s, "+OK");
}

static void
cmd_rset(Pop3Session *s, Pop3Command *cmd)
{
	(void)cmd;
	store_set_origin(s->store, s);
	guint undone = store_pop3_reset(s->maildrop);
	store_set_origin(s->store, NULL);
	guint count;
	gsize octets;
	store_pop3_stat(s->maildrop, &count, &octets);
	reply(s, "+OK %u mark%s undone; maildrop has %u messages (%" G_GSIZE_FORMAT " octets)",
	      undone, undone == 1 ? "" : "s", count, octets);
}

/* --- dispatch --- */

typedef void (*Pop3Handler)(Pop3Session *s, Pop3Command *cmd);

/* The commands facteur implements; AUTH, STLS, UTF8 and LANG are in the table
 * for the tracer and answered "not supported" here. */
static const Pop3Handler handlers[POP3_CMD_N] = {
    [POP3_CMD_USER] = cmd_user, [POP3_CMD_PASS] = cmd_pass, [POP3_CMD_APOP] = cmd_apop,
    [POP3_CMD_CAPA] = cmd_capa, [POP3_CMD_QUIT] = cmd_quit, [POP3_CMD_STAT] = cmd_stat,
    [POP3_CMD_LIST] = cmd_list, [POP3_CMD_RETR] = cmd_retr, [POP3_CMD_DELE] = cmd_dele,
    [POP3_CMD_NOOP] = cmd_noop, [POP3_CMD_RSET] = cmd_rset, [POP3_CMD_TOP] = cmd_top,
    [POP3_CMD_UIDL] = cmd_uidl,
};

static void
command(Pop3Session *s, const char *line, gsize len)
{
	g_autoptr(Pop3Command) cmd = pop3_command_parse(line, len);
	if (cmd->result == POP3_PARSE_UNKNOWN) {
		g_autofree char *verb = printable(cmd->verb);
		reply(s, "-ERR Unknown command: %s", verb);
		return;
	}
	const Pop3CommandInfo *info = cmd->info;
	if (handlers[info->id] == NULL) {
		reply(s, "-ERR %s is not supported by this server (see CAPA)", info->name);
		return;
	}
	if (!(info->states & s->state)) {
		if (s->state == POP3_STATE_AUTHORIZATION)
			reply(s, "-ERR %s is only valid once logged in (USER and PASS, or APOP)",
			      info->name);
		else
			reply(s, "-ERR %s is only valid before logging in", info->name);
		return;
	}
	if (cmd->result == POP3_PARSE_SYNTAX) {
		reply(s, "-ERR Syntax: %s (%s)", info->syntax, cmd->error);
		return;
	}
	handlers[info->id](s, cmd);
}

static void
process(Pop3Session *s)
{
	while (!s->waiting && !s->blocked && !server_conn_is_closing(s->conn)) {
		const char *line;
		gsize len;
		LineBufferResult r = line_buffer_next(s->lb, &line, &len, NULL);
		if (r == LINE_BUFFER_NEED_MORE)
			return;
		if (r == LINE_BUFFER_TOO_LONG)
			reply(s, "-ERR Line too long (at most %u octets with CRLF)",
			      POP3_MAX_COMMAND_LINE);
		else
			command(s, line, len);
		if (server_conn_pending_output(s->conn) > OUTPUT_LIMIT)
			s->blocked = TRUE;
	}
}

static void
continue_later(gpointer session)
{
	process(session);
}

static gpointer
pop3_session_new(ServerConn *conn)
{
	Pop3Session *s = g_new0(Pop3Session, 1);
	s->conn = conn;
	s->store = server_conn_store(conn);
	s->config = server_conn_config(conn);
	s->lb = line_buffer_new(POP3_MAX_COMMAND_LINE);
	s->state = POP3_STATE_AUTHORIZATION;
	/* The APOP timestamp must differ for every greeting (RFC 1939 §7): process
	 * id (0 in deterministic runs), connection number, clock. */
	guint pid = facteur_clock_is_deterministic() ? 0 : (guint)getpid();
	s->timestamp =
	    g_strdup_printf("<%u.%" G_GUINT64_FORMAT ".%" G_GINT64_FORMAT "@%s>", pid,
	                    server_conn_id(conn), facteur_clock_now(), s->config->hostname);
	reply(s, "+OK facteur POP3 server ready %s", s->timestamp);
	return s;
}

static void
pop3_session_free(gpointer p)
{
	Pop3Session *s = p;
	/* Without QUIT nothing is removed (RFC 1939 §6): the marks are forgotten. */
	if (s->maildrop != NULL) {
		store_set_origin(s->store, s);
		store_pop3_close(s->maildrop);
		store_set_origin(s->store, NULL);
	}
	line_buffer_free(s->lb);
	g_free(s->user);
	g_free(s->timestamp);
	g_free(s);
}

static void
pop3_input(gpointer p, const guint8 *data, gsize len)
{
	Pop3Session *s = p;
	if (data != NULL && len > 0)
		line_buffer_feed(s->lb, data, len);
	process(s);
}

static void
pop3_idle_timeout(gpointer p)
{
	Pop3Session *s = p;
	reply(s, "-ERR Autologout: idle for too long (nothing deleted)");
}

static void
pop3_shutdown(gpointer p)
{
	Pop3Session *s = p;
	reply(s, "-ERR [SYS/TEMP] Server shutting down (nothing deleted), try again later");
}

static void
pop3_drained(gpointer p)
{
	Pop3Session *s = p;
	if (!s->blocked)
		return;
	s->blocked = FALSE;
	continue_later(s);
}

const ServerProtocol server_protocol_pop3 = {
    .name = "pop3",
    .session_new = pop3_session_new,
    .session_free = pop3_session_free,
    .input = pop3_input,
    .idle_timeout = pop3_idle_timeout,
    .shutdown = pop3_shutdown,
    .drained = pop3_drained,
    /* TRANSLATORS: a reply sent on the wire: keep the code, and ASCII only. */
    .too_many_connections = N_("-ERR [SYS/TEMP] Too many connections, try again later"),
};
