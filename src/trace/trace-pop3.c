/* The POP3 decoder of the tracer, on proto/pop3-proto.h: commands paired
 * with their replies, multi-line responses known from the command (never from
 * a size in the +OK text) and ended by CRLF.CRLF, RETR/TOP content to the MIME
 * decoder, AUTH/USER/PASS shown with their warning, and the session state
 * (AUTHORIZATION, TRANSACTION, UPDATE) with the messages marked by DELE,
 * cleared by RSET and deleted at QUIT, as state events. */
#include "trace/trace-conn.h"
#include "proto/pop3-proto.h"
#include "proto/smtp-proto.h"
#include "trace/trace-i18n.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	guint64 event;
	gint64 ts;
	int cmd; /* Pop3CommandId or -1 */
	guint n_args;
	guint arg; /* the first argument as a number (DELE n, RETR n), 0 when none */
	gboolean sasl_plain;
	gboolean sasl_login;
} Pending;

typedef enum {
	SERVER_REPLY, /* the next line is a status line */
	SERVER_MULTI, /* lines of a multi-line response, up to "." */
} ServerMode;

typedef struct {
	TraceConn *conn;
	GQueue pending;
	ServerMode server;
	Pop3State state;
	gboolean greeted;
	gboolean sasl; /* after "+ ": the client's next line is base64 */
	gboolean sasl_plain, sasl_login;
	const char *sasl_prompt;
	GArray *marked; /* guint message numbers marked by DELE */
	/* The multi-line response being read. */
	Pending *multi;
	GByteArray *msg;
	guint64 msg_wire;
	guint stuffed;
	gboolean msg_damaged;
	guint lines;
} Pop3;

static gpointer
pop3_new(TraceConn *conn)
{
	Pop3 *p = g_new0(Pop3, 1);
	p->conn = conn;
	g_queue_init(&p->pending);
	p->state = POP3_STATE_AUTHORIZATION;
	p->marked = g_array_new(FALSE, FALSE, sizeof(guint));
	p->msg = g_byte_array_new();
	return p;
}

static void
pop3_free(gpointer self)
{
	Pop3 *p = self;
	g_queue_clear_full(&p->pending, g_free);
	g_free(p->multi);
	g_array_unref(p->marked);
	g_byte_array_unref(p->msg);
	g_free(p);
}

static void
line_event(TraceEvent *ev, TraceKind kind, TraceDir dir, const guint8 *line, gsize len)
{
	trace_event_init(ev);
	ev->kind = kind;
	ev->dir = dir;
	ev->raw = line;
	ev->raw_len = len;
}

static const char *
clear_text_warning(void)
{
	return _("Sent in clear (or only base64-encoded): anyone who captures this connection "
	         "reads the password. Use it only inside TLS (STLS, or port 995).");
}

static char *
marked_list(const GArray *marked)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < marked->len; i++)
		g_string_append_printf(s, i > 0 ? " %u" : "%u", g_array_index(marked, guint, i));
	return g_string_free(s, FALSE);
}

static void
state_event(Pop3 *p, const char *name, const char *value, const char *explain, const char *rfc)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_STATE;
	ev.dir = TRACE_DIR_S2C;
	ev.name = name;
	ev.value = value;
	trace_event_explain(&ev, explain, rfc);
	trace_conn_emit(p->conn, &ev);
}

static void
enter_state(Pop3 *p, Pop3State state)
{
	if (p->state == state)
		return;
	p->state = state;
	const char *explain = state == POP3_STATE_TRANSACTION
	                          ? _("Logged in: the mailbox is locked for this session and "
	                              "the commands on messages (STAT, LIST, RETR, DELE…) are now "
	                              "allowed.")
	                          : _("QUIT in the TRANSACTION state: the server now deletes the "
	                              "messages marked with DELE, then closes the connection.");
	state_event(p, "state", pop3_state_name(state), explain,
	            state == POP3_STATE_TRANSACTION ? "RFC 1939 §5" : "RFC 1939 §6");
}

/* --- Client --- */

static void
client_sasl(Pop3 *p, const guint8 *line, gsize len)
{
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_CONTINUATION, TRACE_DIR_C2S, line, len);
	p->sasl = FALSE;
	g_autofree char *decoded = NULL;
	if (len == 1 && line[0] == '*') {
		trace_event_explain(&ev,
		                    _("“*” cancels the authentication; the server answers -ERR."),
		                    "RFC 5034 §4");
	} else {
		g_autofree char *user = NULL, *password = NULL, *authzid = NULL;
		if (p->sasl_plain &&
		    smtp_auth_decode_plain((const char *)line, len, &authzid, &user, &password))
			decoded = g_strdup_printf(_("user “%s”, password “%s”"), user, password);
		else {
			g_autofree char *text = smtp_auth_decode_text((const char *)line, len);
			if (text != NULL)
				decoded = p->sasl_prompt != NULL
				              ? g_strdup_printf("%s %s", p->sasl_prompt, text)
				              : g_steal_pointer(&text);
		}
		trace_event_explain(&ev,
		                    _("The client's answer to the server's challenge, in base64 "
		                      "(decoded beside)."),
		                    "RFC 5034 §4");
		if (p->sasl_plain || p->sasl_login)
			trace_event_explain(&ev, clear_text_warning(), "RFC 5034 §8");
	}
	ev.decoded = decoded;
	trace_conn_emit(p->conn, &ev);
}

static void
client_command(Pop3 *p, const guint8 *line, gsize len)
{
	g_autoptr(Pop3Command) cmd = pop3_command_parse((const char *)line, len);
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_COMMAND, TRACE_DIR_C2S, line, len);
	g_autofree char *verb = g_ascii_strup(cmd->verb, -1);
	ev.verb = cmd->info != NULL ? cmd->info->name : verb;
	g_autofree char *args = NULL;
	const char *sp = memchr(line, ' ', len);
	if (sp != NULL)
		ev.args = args = g_strndup(sp + 1, len - (gsize)(sp + 1 - (const char *)line));
	Pending *pd = g_new0(Pending, 1);
	pd->cmd = cmd->info != NULL ? (int)cmd->info->id : -1;
	pd->n_args = cmd->n_args;
	if (cmd->n_args > 0)
		pop3_parse_number(cmd->args[0], &pd->arg);
	g_autofree char *decoded = NULL;

	if (cmd->info == NULL) {
		trace_event_explain(&ev, _("Not a POP3 command: the server should answer -ERR."),
		                    "RFC 1939 §3");
	} else {
		trace_event_explain(&ev, _(cmd->info->explain), cmd->info->rfc);
		if (cmd->result == POP3_PARSE_SYNTAX && cmd->error != NULL)
			trace_event_explain(&ev, _(cmd->error), cmd->info->rfc);
		else if (!(cmd->info->states & p->state) && p->greeted)
			trace_event_explain(&ev,
			                    _("Not allowed in the current state, as far as the "
			                      "replies seen so far tell: the server should answer "
			                      "-ERR."),
			                    "RFC 1939 §3");
		switch (cmd->info->id) {
		case POP3_CMD_PASS:
			trace_event_explain(&ev, clear_text_warning(), "RFC 1939 §13");
			break;
		case POP3_CMD_AUTH:
			if (cmd->n_args > 0) {
				pd->sasl_plain = g_ascii_strcasecmp(cmd->args[0], "PLAIN") == 0;
				pd->sasl_login = g_ascii_strcasecmp(cmd->args[0], "LOGIN") == 0;
				const SmtpSaslInfo *si = smtp_sasl_lookup(cmd->args[0]);
				if (si != NULL)
					trace_event_explain(&ev, _(si->explain), si->rfc);
				if (cmd->n_args > 1) {
					g_autofree char *u = NULL, *pw = NULL, *az = NULL;
					const char *ir = cmd->args[1];
					if (pd->sasl_plain &&
					    smtp_auth_decode_plain(ir, strlen(ir), &az, &u, &pw))
						decoded = g_strdup_printf(
						    _("user “%s”, password “%s”"), u, pw);
					else
						decoded = smtp_auth_decode_text(ir, strlen(ir));
				}
				if (pd->sasl_plain || pd->sasl_login)
					trace_event_explain(&ev, clear_text_warning(),
					                    "RFC 5034 §8");
			}
			break;
		default:
			break;
		}
	}
	ev.decoded = decoded;
	pd->event = trace_conn_emit(p->conn, &ev);
	pd->ts = trace_conn_now(p->conn);
	g_queue_push_tail(&p->pending, pd);
}

/* --- Server --- */

static void
begin_multi(Pop3 *p, Pending *pd)
{
	p->server = SERVER_MULTI;
	p->multi = pd;
	p->lines = 0;
	p->stuffed = 0;
	p->msg_wire = 0;
	p->msg_damaged = FALSE;
	g_byte_array_set_size(p->msg, 0);
}

static gboolean
multi_is_message(const Pending *pd)
{
	return pd != NULL && (pd->cmd == POP3_CMD_RETR || pd->cmd == POP3_CMD_TOP);
}

static void
end_multi(Pop3 *p, const guint8 *line, gsize len)
{
	Pending *pd = p->multi;
	if (multi_is_message(pd))
		trace_conn_message_decode(p->conn, TRACE_DIR_S2C, p->msg, p->msg_wire,
		                          pd->cmd == POP3_CMD_TOP ? TRACE_MESSAGE_PARTIAL
		                                                  : TRACE_MESSAGE_WHOLE);
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_DATA, TRACE_DIR_S2C, line, len);
	ev.name = "end-of-data";
	if (multi_is_message(pd))
		ev.size = (gint64)p->msg_wire;
	g_autofree char *text =
	    p->stuffed > 0 ? g_strdup_printf(_("dot-stuffed lines: %u"), p->stuffed) : NULL;
	ev.text = text;
	if (pd != NULL) {
		ev.pair = pd->event;
		ev.elapsed_us = trace_conn_now(p->conn) - pd->ts;
	}
	trace_event_explain(&ev, _("A line holding only a dot ends the multi-line response."),
	                    "RFC 1939 §3");
	trace_conn_emit(p->conn, &ev);
	if (p->msg_damaged)
		trace_conn_note(p->conn, TRACE_DIR_S2C, "message-damaged",
		                _("Part of this response was missing from the capture: its "
		                  "decoding above is incomplete."),
		                NULL);
	p->server = SERVER_REPLY;
	g_clear_pointer(&p->multi, g_free);
	g_byte_array_set_size(p->msg, 0);
}

static void
multi_line(Pop3 *p, const guint8 *line, gsize len, gsize eol)
{
	const char *data;
	gsize dlen;
	if (eol > 0 && pop3_unstuff_line((const char *)line, len, &data, &dlen)) {
		end_multi(p, line, len);
		return;
	}
	if (eol == 0) {
		data = (const char *)line;
		dlen = len;
	}
	Pending *pd = p->multi;
	if (dlen != len) {
		p->stuffed++;
		TraceEvent ev;
		line_event(&ev, TRACE_KIND_DATA, TRACE_DIR_S2C, line, len);
		ev.name = "dot-stuffing";
		g_autofree char *value = g_strndup(data, dlen);
		ev.value = value;
		trace_event_explain(&ev,
		                    _("This line begins with a dot, so the server doubled it; the "
		                      "client removes the first dot (value)."),
		                    "RFC 1939 §3");
		trace_conn_emit(p->conn, &ev);
	}
	if (multi_is_message(pd)) {
		/* The line end follows the line in memory: one append keeps it as sent. */
		trace_conn_message_append(p->conn, p->msg, &p->msg_wire, (const guint8 *)data,
		                          dlen + eol);
		return;
	}
	if (eol == 0)
		return;
	/* LIST, UIDL, CAPA, AUTH's list of mechanisms, LANG: one event per line. */
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_DATA, TRACE_DIR_S2C, line, len);
	g_autofree char *value = g_strndup(data, dlen);
	ev.value = value;
	if (pd != NULL)
		ev.pair = pd->event;
	switch (pd != NULL ? pd->cmd : -1) {
	case POP3_CMD_LIST:
		trace_event_explain(&ev,
		                    _("One message: its number in this session, then its size in "
		                      "octets (as the server counts them, with CRLF line ends)."),
		                    "RFC 1939 §5");
		break;
	case POP3_CMD_UIDL:
		trace_event_explain(
		    &ev,
		    _("One message: its number in this session, then its unique-id, "
		      "which stays the same across sessions: a client that keeps "
		      "mail on the server uses it to know what it already has."),
		    "RFC 1939 §7");
		break;
	case POP3_CMD_CAPA: {
		const char *cargs;
		const Pop3CapaInfo *ci = pop3_capa_lookup(data, dlen, &cargs);
		if (ci != NULL)
			trace_event_explain(&ev, _(ci->explain), ci->rfc);
		else
			trace_event_explain(&ev,
			                    _("A capability facteur does not know; clients ignore "
			                      "those they do not understand."),
			                    "RFC 2449 §6");
		break;
	}
	case POP3_CMD_AUTH: {
		const SmtpSaslInfo *si = smtp_sasl_lookup(value);
		trace_event_explain(&ev, si != NULL ? _(si->explain) : _("A SASL mechanism."),
		                    si != NULL ? si->rfc : "RFC 5034 §4");
		break;
	}
	default:
		break;
	}
	trace_conn_emit(p->conn, &ev);
}

/* What a positive or negative reply to a command tells about the session. */
static void
infer(Pop3 *p, Pending *pd, gboolean ok)
{
	switch (pd->cmd) {
	case POP3_CMD_PASS:
	case POP3_CMD_APOP:
	case POP3_CMD_AUTH:
		if (ok && p->state == POP3_STATE_AUTHORIZATION &&
		    !(pd->cmd == POP3_CMD_AUTH && pd->n_args == 0))
			enter_state(p, POP3_STATE_TRANSACTION);
		break;
	case POP3_CMD_DELE:
		if (ok && pd->arg > 0) {
			g_array_append_val(p->marked, pd->arg);
			g_autofree char *list = marked_list(p->marked);
			state_event(
			    p, "marked", list,
			    _("Marked for deletion (value: all the messages marked so far). "
			      "Nothing is deleted before QUIT; RSET unmarks them."),
			    "RFC 1939 §5");
		}
		break;
	case POP3_CMD_RSET:
		if (ok) {
			g_array_set_size(p->marked, 0);
			state_event(p, "marked", "",
			            _("RSET: no message is marked for deletion any more."),
			            "RFC 1939 §5");
		}
		break;
	case POP3_CMD_QUIT:
		if (p->state == POP3_STATE_TRANSACTION) {
			enter_state(p, POP3_STATE_UPDATE);
			if (p->marked->len == 0)
				break;
			g_autofree char *list = marked_list(p->marked);
			state_event(p, "deleted", list,
			            ok ? _("The messages marked with DELE (value) are now removed "
			                   "from the mailbox.")
			               : _("-ERR to QUIT in the UPDATE state: some marked messages "
			                   "could not be removed."),
			            "RFC 1939 §6");
		}
		break;
	case POP3_CMD_STLS:
		if (ok) {
			TraceEvent ev;
			trace_event_init(&ev);
			ev.kind = TRACE_KIND_TLS;
			ev.dir = TRACE_DIR_S2C;
			ev.name = "starttls";
			trace_event_explain(&ev,
			                    _("The server agreed to STLS: the TLS handshake starts "
			                      "now and everything after it is encrypted."),
			                    "RFC 2595 §4");
			trace_conn_emit(p->conn, &ev);
			trace_conn_start_tls(p->conn);
		}
		break;
	default:
		break;
	}
}

static void
server_status(Pop3 *p, const guint8 *line, gsize len)
{
	Pop3ReplyLine r;
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_REPLY, TRACE_DIR_S2C, line, len);
	if (!pop3_reply_parse_line((const char *)line, len, &r)) {
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "not-a-reply";
		trace_event_explain(&ev,
		                    _("Not a POP3 reply (+OK, -ERR or “+ ”): the server or the "
		                      "capture is out of step."),
		                    "RFC 1939 §3");
		trace_conn_emit(p->conn, &ev);
		return;
	}
	Pending *pd = g_queue_peek_head(&p->pending);
	gboolean greeting = pd == NULL && !p->greeted;
	g_autofree char *code = r.code != NULL ? g_strndup(r.code, r.code_len) : NULL;
	g_autofree char *text = g_strndup(r.text, r.text_len);
	ev.code = code;
	ev.text = text;
	if (pd != NULL)
		ev.pair = pd->event;
	g_autofree char *decoded = NULL;
	switch (r.status) {
	case POP3_REPLY_OK:
		ev.status = "+OK";
		trace_event_explain(&ev, _("+OK: the command succeeded."), "RFC 1939 §3");
		break;
	case POP3_REPLY_ERR:
		ev.status = "-ERR";
		trace_event_explain(&ev,
		                    _("-ERR: the command failed; the text says why, for a human."),
		                    "RFC 1939 §3");
		break;
	case POP3_REPLY_CONTINUATION:
		ev.kind = TRACE_KIND_CONTINUATION;
		ev.status = "+";
		decoded = smtp_auth_decode_text(r.text, r.text_len);
		ev.decoded = decoded;
		trace_event_explain(
		    &ev,
		    _("The server's SASL challenge, in base64 (decoded beside): the "
		      "client answers with one base64 line."),
		    "RFC 5034 §4");
		break;
	}
	if (code != NULL) {
		const char *slash = strchr(code, ' ');
		gsize clen = slash != NULL ? (gsize)(slash - code) : strlen(code);
		const Pop3RespCodeInfo *ci = pop3_resp_code_lookup(code, clen);
		if (ci != NULL)
			trace_event_explain(&ev, _(ci->explain), ci->rfc);
	}
	if (greeting) {
		trace_event_explain(&ev,
		                    _("The greeting: the server speaks first. The session is in "
		                      "the AUTHORIZATION state."),
		                    "RFC 1939 §4");
		if (r.status == POP3_REPLY_OK && memchr(text, '<', strlen(text)) != NULL &&
		    strchr(text, '@') != NULL)
			trace_event_explain(&ev,
			                    _("The <…@…> in the greeting is a timestamp for APOP: "
			                      "the client may prove its password by sending MD5 of "
			                      "this string followed by the password."),
			                    "RFC 1939 §7");
	}
	gboolean multi = r.status == POP3_REPLY_OK && pd != NULL && pd->cmd >= 0 &&
	                 pop3_command_reply_is_multiline(&pop3_command_table[pd->cmd], pd->n_args);
	if (pd != NULL && !multi && r.status != POP3_REPLY_CONTINUATION)
		ev.elapsed_us = trace_conn_now(p->conn) - pd->ts;

	trace_conn_emit(p->conn, &ev);

	if (greeting) {
		p->greeted = TRUE;
		return;
	}
	if (pd == NULL)
		return;
	if (r.status == POP3_REPLY_CONTINUATION) {
		p->sasl = TRUE;
		p->sasl_plain = pd->sasl_plain;
		p->sasl_login = pd->sasl_login;
		p->sasl_prompt = NULL;
		if (decoded != NULL && g_ascii_strcasecmp(decoded, "Username:") == 0)
			p->sasl_prompt = "Username:";
		else if (decoded != NULL && g_ascii_strcasecmp(decoded, "Password:") == 0)
			p->sasl_prompt = "Password:";
		return;
	}
	g_queue_pop_head(&p->pending);
	p->greeted = TRUE;
	infer(p, pd, r.status == POP3_REPLY_OK);
	if (multi)
		begin_multi(p, pd);
	else
		g_free(pd);
}

static void
pop3_line(gpointer self, TraceDir dir, const guint8 *line, gsize len, gsize eol)
{
	Pop3 *p = self;
	if (dir == TRACE_DIR_S2C) {
		if (p->server == SERVER_MULTI)
			multi_line(p, line, len, eol);
		else if (eol > 0)
			server_status(p, line, len);
		return;
	}
	if (eol == 0) {
		trace_conn_note(p->conn, TRACE_DIR_C2S, "line-too-long",
		                _("A command line far longer than POP3 allows (255 octets): it is "
		                  "not decoded."),
		                "RFC 2449 §4");
		return;
	}
	if (p->sasl)
		client_sasl(p, line, len);
	else
		client_command(p, line, len);
}

/* A message's lines between RETR's (or TOP's) +OK and its end: every line
 * that begins with no dot is only kept, as multi_line() would. */
static gsize
pop3_bulk(gpointer self, TraceDir dir, const guint8 *data, gsize len)
{
	Pop3 *p = self;
	if (dir != TRACE_DIR_S2C || p->server != SERVER_MULTI || !multi_is_message(p->multi))
		return 0;
	gsize n = trace_conn_plain_lines(data, len);
	if (n > 0)
		trace_conn_message_append(p->conn, p->msg, &p->msg_wire, data, n);
	return n;
}

static gboolean
pop3_line_start(gpointer self, TraceDir dir, const guint8 *data, gsize len)
{
	Pop3 *p = self;
	if (dir == TRACE_DIR_S2C) {
		if (p->server == SERVER_MULTI)
			return FALSE;
		return (len >= 3 && memcmp(data, "+OK", 3) == 0) ||
		       (len >= 4 && memcmp(data, "-ERR", 4) == 0);
	}
	gsize n = 0;
	while (n < len && g_ascii_isalpha(data[n]))
		n++;
	return n < len && (data[n] == ' ' || data[n] == '\r') &&
	       pop3_command_lookup((const char *)data, n) != NULL;
}

static void
pop3_gap(gpointer self, TraceDir dir, guint64 len)
{
	Pop3 *p = self;
	/* Server octets were lost: the greeting, which comes first, was among
	 * them or before them; the next reply is not it (a lost greeting made
	 * the reply to USER or LOGIN look like one). */
	if (dir == TRACE_DIR_S2C && len > 0)
		p->greeted = TRUE;
	if (dir == TRACE_DIR_S2C && p->server == SERVER_MULTI) {
		p->msg_damaged = TRUE;
		return;
	}
	g_queue_clear_full(&p->pending, g_free);
	p->sasl = FALSE;
}

static void
pop3_close(gpointer self)
{
	Pop3 *p = self;
	if (p->server == SERVER_MULTI) {
		if (multi_is_message(p->multi))
			trace_conn_message_decode(p->conn, TRACE_DIR_S2C, p->msg, p->msg_wire,
			                          FALSE);
		trace_conn_note(p->conn, TRACE_DIR_S2C, "response-unfinished",
		                _("The connection ended in the middle of a multi-line response."),
		                "RFC 1939 §3");
	}
	if (p->state == POP3_STATE_TRANSACTION && p->marked->len > 0)
		state_event(p, "not-deleted", NULL,
		            _("The connection ended without QUIT: the messages marked with DELE "
		              "are not deleted."),
		            "RFC 1939 §6");
	for (GList *l = p->pending.head; l != NULL; l = l->next) {
		Pending *pd = l->data;
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "no-reply";
		ev.pair = pd->event;
		trace_event_explain(&ev, _("No reply to this command was seen."), NULL);
		trace_conn_emit(p->conn, &ev);
	}
}

const TraceDecoderClass trace_pop3_decoder = {
    .proto = TRACE_PROTO_POP3,
    .new = pop3_new,
    .free = pop3_free,
    .line = pop3_line,
    .octets = NULL, /* POP3 never counts octets */
    .bulk = pop3_bulk,
    .line_start = pop3_line_start,
    .gap = pop3_gap,
    .close = pop3_close,
};
