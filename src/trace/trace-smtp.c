/* The SMTP decoder of the tracer, on the tables and parsers of
 * proto/smtp-proto.h: commands paired with their replies in order (pipelined
 * ones too), multi-line replies, EHLO keywords, AUTH decoded with its warning,
 * DATA content unstuffed and handed to the MIME decoder, BDAT chunks counted,
 * STARTTLS. The session state is inferred from the replies only. */
#include "trace/trace-conn.h"
#include "proto/pop3-proto.h"
#include "proto/smtp-proto.h"
#include "trace/trace-i18n.h"

#include <string.h>

typedef enum {
	SASL_NONE,
	SASL_PLAIN,
	SASL_LOGIN,
	SASL_OTHER,
} SaslMech;

typedef struct {
	guint64 event; /* id of the command event */
	gint64 ts;
	int cmd; /* SmtpCommandId, or -1 for an unknown verb */
	SaslMech sasl;
	gboolean bdat_last;
} Pending;

typedef enum {
	CLIENT_COMMANDS,
	CLIENT_DATA, /* after 354: message lines up to "." */
	CLIENT_SASL, /* after 334: one base64 line */
	CLIENT_BDAT, /* inside a BDAT chunk */
} ClientMode;

typedef struct {
	TraceConn *conn;
	GQueue pending; /* Pending*, oldest first */
	ClientMode mode;
	SmtpState state;
	gboolean greeted;
	/* The reply being read (multi-line). */
	guint reply_code;
	guint reply_lines;
	/* AUTH in progress. */
	SaslMech sasl;
	guint sasl_step;
	const char *sasl_prompt; /* "Username:" / "Password:" from LOGIN's last challenge */
	/* Message being received (DATA or BDAT). */
	GByteArray *msg;
	guint64 msg_wire;
	guint64 chunk_wire;
	guint stuffed;
	gboolean msg_damaged;
	gint64 data_start;
} Smtp;

static gpointer
smtp_new(TraceConn *conn)
{
	Smtp *s = g_new0(Smtp, 1);
	s->conn = conn;
	g_queue_init(&s->pending);
	s->state = SMTP_STATE_GREETED;
	s->msg = g_byte_array_new();
	return s;
}

static void
smtp_free(gpointer self)
{
	Smtp *s = self;
	g_queue_clear_full(&s->pending, g_free);
	g_byte_array_unref(s->msg);
	g_free(s);
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

static const char *auth_warning_rfc = "RFC 4616 §6";

static const char *
auth_warning(void)
{
	return _("Base64 is an encoding, not encryption: anyone who captures this connection "
	         "reads the password. Send AUTH PLAIN or LOGIN only inside TLS.");
}

/* --- Client side --- */

static void
explain_params(TraceEvent *ev, const SmtpCommand *cmd)
{
	if (cmd->params == NULL || cmd->info == NULL)
		return;
	for (guint i = 0; i < cmd->params->len; i++) {
		const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, i);
		const SmtpParamInfo *pi = smtp_param_lookup(cmd->info->id, p->keyword);
		if (pi != NULL)
			trace_event_explain(ev, _(pi->explain), pi->rfc);
	}
}

/* AUTH PLAIN's or LOGIN's base64, decoded for the decoded field. */
static char *
decode_sasl(SaslMech mech, const char *prompt, const char *b64, gsize len)
{
	if (mech == SASL_PLAIN) {
		g_autofree char *authzid = NULL, *user = NULL, *password = NULL;
		if (smtp_auth_decode_plain(b64, len, &authzid, &user, &password))
			return *authzid != '\0'
			           ? g_strdup_printf(_("authorisation identity “%s”, user “%s”, "
			                               "password “%s”"),
			                             authzid, user, password)
			           : g_strdup_printf(_("user “%s”, password “%s”"), user, password);
	}
	g_autofree char *text = smtp_auth_decode_text(b64, len);
	if (text == NULL)
		return NULL;
	if (mech == SASL_LOGIN && prompt != NULL)
		return g_strdup_printf("%s %s", prompt, text);
	return g_steal_pointer(&text);
}

static SaslMech
sasl_mech(const char *name, gsize len)
{
	if (len == 5 && g_ascii_strncasecmp(name, "PLAIN", 5) == 0)
		return SASL_PLAIN;
	if (len == 5 && g_ascii_strncasecmp(name, "LOGIN", 5) == 0)
		return SASL_LOGIN;
	return SASL_OTHER;
}

static void
client_command(Smtp *s, const guint8 *line, gsize len)
{
	g_autoptr(SmtpCommand) cmd = smtp_command_parse((const char *)line, len);
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_COMMAND, TRACE_DIR_C2S, line, len);
	g_autofree char *verb = g_ascii_strup(cmd->verb, -1);
	ev.verb = cmd->info != NULL ? cmd->info->name : verb;
	ev.args = cmd->args;
	Pending *p = g_new0(Pending, 1);
	p->cmd = cmd->info != NULL ? (int)cmd->info->id : -1;
	g_autofree char *decoded = NULL;

	if (cmd->info == NULL) {
		trace_event_explain(&ev,
		                    _("Not an SMTP command: the server should answer 500 (command "
		                      "not recognised)."),
		                    "RFC 5321 §4.2.4");
	} else {
		trace_event_explain(&ev, _(cmd->info->explain), cmd->info->rfc);
		if (cmd->result == SMTP_PARSE_SYNTAX && cmd->error != NULL)
			trace_event_explain(&ev, _(cmd->error), cmd->info->rfc);
		else if (!(cmd->info->states & s->state) && s->greeted)
			trace_event_explain(
			    &ev,
			    _("Out of order here, as far as the replies seen so far tell: "
			      "the server should refuse it with 503 (bad sequence of commands)."),
			    "RFC 5321 §4.1.4");
		explain_params(&ev, cmd);
	}

	switch (p->cmd) {
	case SMTP_CMD_AUTH: {
		const char *a = cmd->args != NULL ? cmd->args : "";
		gsize mlen = strcspn(a, " ");
		p->sasl = sasl_mech(a, mlen);
		const SmtpSaslInfo *si = NULL;
		if (mlen > 0) {
			g_autofree char *mech = g_strndup(a, mlen);
			si = smtp_sasl_lookup(mech);
		}
		if (si != NULL)
			trace_event_explain(&ev, _(si->explain), si->rfc);
		if (a[mlen] == ' ') {
			const char *ir = a + mlen + 1;
			decoded = decode_sasl(p->sasl, NULL, ir, strlen(ir));
		}
		if (p->sasl == SASL_PLAIN || p->sasl == SASL_LOGIN)
			trace_event_explain(&ev, auth_warning(), auth_warning_rfc);
		break;
	}
	case SMTP_CMD_BDAT: {
		guint64 n = 0;
		const char *a = cmd->args != NULL ? cmd->args : "";
		g_auto(GStrv) words = g_strsplit(a, " ", 3);
		if (words[0] != NULL && smtp_parse_number(words[0], &n)) {
			p->bdat_last =
			    words[1] != NULL && g_ascii_strcasecmp(words[1], "LAST") == 0;
			ev.size = (gint64)n;
			if (s->msg->len == 0 && s->msg_wire == 0)
				s->data_start = trace_conn_now(s->conn);
			if (n > 0) {
				s->mode = CLIENT_BDAT;
				trace_conn_expect_octets(s->conn, TRACE_DIR_C2S, n);
			}
		}
		break;
	}
	default:
		break;
	}
	ev.decoded = decoded;
	p->event = trace_conn_emit(s->conn, &ev);
	p->ts = trace_conn_now(s->conn);
	g_queue_push_tail(&s->pending, p);
	if (p->cmd == SMTP_CMD_BDAT && p->bdat_last && s->mode != CLIENT_BDAT)
		trace_conn_message_decode(s->conn, TRACE_DIR_C2S, s->msg, s->msg_wire,
		                          TRACE_MESSAGE_WHOLE);
}

static void
client_sasl(Smtp *s, const guint8 *line, gsize len)
{
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_CONTINUATION, TRACE_DIR_C2S, line, len);
	s->mode = CLIENT_COMMANDS;
	if (len == 1 && line[0] == '*') {
		trace_event_explain(&ev,
		                    _("“*” cancels the authentication; the server answers 501."),
		                    "RFC 4954 §4");
		trace_conn_emit(s->conn, &ev);
		return;
	}
	g_autofree char *decoded = decode_sasl(s->sasl, s->sasl_prompt, (const char *)line, len);
	ev.decoded = decoded;
	trace_event_explain(&ev,
	                    _("The client's answer to the server's challenge, in base64 "
	                      "(decoded beside)."),
	                    "RFC 4954 §4");
	if (s->sasl == SASL_PLAIN || s->sasl == SASL_LOGIN)
		trace_event_explain(&ev, auth_warning(), auth_warning_rfc);
	trace_conn_emit(s->conn, &ev);
}

static void
end_of_message(Smtp *s, const guint8 *line, gsize len)
{
	trace_conn_message_decode(s->conn, TRACE_DIR_C2S, s->msg, s->msg_wire, TRACE_MESSAGE_WHOLE);
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_DATA, TRACE_DIR_C2S, line, len);
	ev.name = "end-of-data";
	ev.size = (gint64)s->msg_wire;
	g_autofree char *text =
	    s->stuffed > 0 ? g_strdup_printf(_("dot-stuffed lines: %u"), s->stuffed) : NULL;
	ev.text = text;
	trace_event_explain(&ev,
	                    _("A line holding only a dot ends the message; size counts the "
	                      "message after removing the dot-stuffing."),
	                    "RFC 5321 §4.1.1.4");
	trace_conn_emit(s->conn, &ev);
	if (s->msg_damaged)
		trace_conn_note(s->conn, TRACE_DIR_C2S, "message-damaged",
		                _("Part of this message was missing from the capture: its "
		                  "decoding above is incomplete."),
		                NULL);
	g_byte_array_set_size(s->msg, 0);
	s->msg_wire = 0;
	s->stuffed = 0;
	s->msg_damaged = FALSE;
}

static void
client_data(Smtp *s, const guint8 *line, gsize len, gsize eol)
{
	const char *data;
	gsize dlen;
	if (eol > 0 && pop3_unstuff_line((const char *)line, len, &data, &dlen)) {
		s->mode = CLIENT_COMMANDS;
		end_of_message(s, line, len);
		return;
	}
	if (eol == 0) {
		/* A piece of an over-long line: no stuffing rule applies inside. */
		data = (const char *)line;
		dlen = len;
	} else if (dlen != len) {
		s->stuffed++;
		TraceEvent ev;
		line_event(&ev, TRACE_KIND_DATA, TRACE_DIR_C2S, line, len);
		ev.name = "dot-stuffing";
		g_autofree char *value = g_strndup(data, dlen);
		ev.value = value;
		trace_event_explain(&ev,
		                    _("This line of the message begins with a dot, so the client "
		                      "doubled it; the server removes the first dot (value)."),
		                    "RFC 5321 §4.5.2");
		trace_conn_emit(s->conn, &ev);
	}
	/* The line end follows the line in memory: one append keeps it as sent. */
	trace_conn_message_append(s->conn, s->msg, &s->msg_wire, (const guint8 *)data, dlen + eol);
}

/* --- Server side --- */

static void
explain_code(TraceEvent *ev, const SmtpReplyLine *r)
{
	const SmtpReplyInfo *info = smtp_reply_lookup(r->code);
	if (info != NULL) {
		trace_event_explain(ev, _(info->explain), info->rfc);
	} else {
		trace_event_explain(ev, _(smtp_reply_digit_explain(r->code, 0)), "RFC 5321 §4.2.1");
		const char *second = smtp_reply_digit_explain(r->code, 1);
		if (second != NULL)
			trace_event_explain(ev, _(second), "RFC 5321 §4.2.1");
	}
	if (r->has_enhanced) {
		const SmtpEnhancedInfo *e = smtp_enhanced_lookup(r->enh_subject, r->enh_detail);
		if (e != NULL) {
			trace_event_explain(ev, _(e->explain), e->rfc);
		} else {
			const SmtpEnhancedPart *sub = smtp_enhanced_subject_lookup(r->enh_subject);
			if (sub != NULL)
				trace_event_explain(ev, _(sub->explain), sub->rfc);
		}
	}
}

/* What the reply to a command teaches about the session. */
static void
infer(Smtp *s, const Pending *p, guint code)
{
	gboolean ok = code / 100 == 2;
	switch (p->cmd) {
	case SMTP_CMD_EHLO:
	case SMTP_CMD_HELO:
	case SMTP_CMD_RSET:
		if (ok)
			s->state = SMTP_STATE_READY;
		break;
	case SMTP_CMD_MAIL:
		if (ok)
			s->state = SMTP_STATE_MAIL;
		break;
	case SMTP_CMD_RCPT:
		if (ok)
			s->state = SMTP_STATE_RCPT;
		break;
	case SMTP_CMD_DATA:
		if (code == 354) {
			s->mode = CLIENT_DATA;
			s->data_start = trace_conn_now(s->conn);
			g_byte_array_set_size(s->msg, 0);
			s->msg_wire = 0;
			s->stuffed = 0;
		} else if (code / 100 == 2 || code / 100 == 4 || code / 100 == 5) {
			/* The reply after the final dot (or a refusal of DATA itself). */
			s->state = SMTP_STATE_READY;
		}
		break;
	case SMTP_CMD_BDAT:
		if (p->bdat_last || code / 100 != 2) {
			s->state = SMTP_STATE_READY;
			g_byte_array_set_size(s->msg, 0);
			s->msg_wire = 0;
		}
		break;
	case SMTP_CMD_STARTTLS:
		if (code == 220) {
			TraceEvent ev;
			trace_event_init(&ev);
			ev.kind = TRACE_KIND_TLS;
			ev.dir = TRACE_DIR_S2C;
			ev.name = "starttls";
			trace_event_explain(&ev,
			                    _("The server agreed: the TLS handshake starts now and "
			                      "everything after it is encrypted. The client must "
			                      "forget what it knew and send EHLO again."),
			                    "RFC 3207 §4.2");
			trace_conn_emit(s->conn, &ev);
			s->state = SMTP_STATE_GREETED;
			trace_conn_start_tls(s->conn);
		}
		break;
	default:
		break;
	}
}

static void
server_line(Smtp *s, const guint8 *line, gsize len)
{
	SmtpReplyLine r;
	TraceEvent ev;
	line_event(&ev, TRACE_KIND_REPLY, TRACE_DIR_S2C, line, len);
	if (!smtp_reply_parse_line((const char *)line, len, &r)) {
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "not-a-reply";
		trace_event_explain(&ev,
		                    _("Not an SMTP reply line (three digits, then a space or a "
		                      "hyphen): the server or the capture is out of step."),
		                    "RFC 5321 §4.2");
		trace_conn_emit(s->conn, &ev);
		return;
	}
	char status[4];
	g_snprintf(status, sizeof status, "%03u", r.code);
	ev.status = status;
	char enhanced[32] = "";
	if (r.has_enhanced) {
		g_snprintf(enhanced, sizeof enhanced, "%u.%u.%u", r.enh_class, r.enh_subject,
		           r.enh_detail);
		ev.enhanced = enhanced;
	}
	g_autofree char *text = g_strndup(r.text, r.text_len);
	ev.text = text;
	ev.more = !r.last;
	gboolean first = s->reply_lines == 0;
	s->reply_lines = r.last ? 0 : s->reply_lines + 1;

	Pending *p = g_queue_peek_head(&s->pending);
	gboolean greeting = p == NULL && !s->greeted;
	if (p != NULL)
		ev.pair = p->event;
	if (first || !(p != NULL && p->cmd == SMTP_CMD_EHLO))
		explain_code(&ev, &r);
	if (!first && p != NULL && p->cmd == SMTP_CMD_EHLO && r.code == 250) {
		const char *params;
		const SmtpExtensionInfo *x = smtp_extension_lookup(r.text, r.text_len, &params);
		if (x != NULL)
			trace_event_explain(&ev, _(x->explain), x->rfc);
		else
			trace_event_explain(&ev,
			                    _("An extension keyword facteur does not know; the "
			                      "client ignores what it does not understand."),
			                    "RFC 5321 §4.1.1.1");
	}
	if (greeting && first)
		trace_event_explain(&ev,
		                    _("The server speaks first: this greeting opens the session."),
		                    "RFC 5321 §3.1");
	g_autofree char *decoded = NULL;
	if (r.code == 334 && p != NULL && p->cmd == SMTP_CMD_AUTH) {
		decoded = smtp_auth_decode_text(r.text, r.text_len);
		ev.decoded = decoded;
	}
	if (r.last && p != NULL)
		ev.elapsed_us = trace_conn_now(s->conn) - p->ts;
	trace_conn_emit(s->conn, &ev);
	if (!r.last)
		return;
	if (greeting) {
		s->greeted = TRUE;
		return;
	}
	if (p == NULL)
		return;
	if (r.code == 334 && p->cmd == SMTP_CMD_AUTH) {
		/* The AUTH goes on: the client's next line is a base64 answer. */
		s->sasl = p->sasl;
		s->sasl_prompt = NULL;
		if (decoded != NULL && g_ascii_strcasecmp(decoded, "Username:") == 0)
			s->sasl_prompt = "Username:";
		else if (decoded != NULL && g_ascii_strcasecmp(decoded, "Password:") == 0)
			s->sasl_prompt = "Password:";
		s->mode = CLIENT_SASL;
		return;
	}
	g_queue_pop_head(&s->pending);
	s->greeted = TRUE;
	infer(s, p, r.code);
	g_free(p);
}

/* The message after DATA: every line that begins with no dot is only kept,
 * as client_data() would. */
static gsize
smtp_bulk(gpointer self, TraceDir dir, const guint8 *data, gsize len)
{
	Smtp *s = self;
	if (dir != TRACE_DIR_C2S || s->mode != CLIENT_DATA)
		return 0;
	gsize n = trace_conn_plain_lines(data, len);
	if (n > 0)
		trace_conn_message_append(s->conn, s->msg, &s->msg_wire, data, n);
	return n;
}

static void
smtp_line(gpointer self, TraceDir dir, const guint8 *line, gsize len, gsize eol)
{
	Smtp *s = self;
	if (dir == TRACE_DIR_S2C) {
		if (eol > 0)
			server_line(s, line, len);
		return;
	}
	switch (s->mode) {
	case CLIENT_DATA:
		client_data(s, line, len, eol);
		break;
	case CLIENT_SASL:
		if (eol > 0)
			client_sasl(s, line, len);
		break;
	case CLIENT_COMMANDS:
	case CLIENT_BDAT:
		if (eol > 0)
			client_command(s, line, len);
		else
			trace_conn_note(s->conn, TRACE_DIR_C2S, "line-too-long",
			                _("A command line far longer than SMTP allows (512 "
			                  "octets): it is not decoded."),
			                "RFC 5321 §4.5.3.1.4");
		break;
	}
}

static void
smtp_octets(gpointer self, TraceDir dir, const guint8 *data, gsize len, guint64 remaining)
{
	Smtp *s = self;
	if (dir != TRACE_DIR_C2S)
		return;
	trace_conn_message_append(s->conn, s->msg, &s->msg_wire, data, len);
	s->chunk_wire += len;
	if (remaining > 0)
		return;
	s->mode = CLIENT_COMMANDS;
	/* The chunk is complete: the last BDAT command queued says whether it ends the message. */
	Pending *p = g_queue_peek_tail(&s->pending);
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_DATA;
	ev.dir = TRACE_DIR_C2S;
	ev.name = "chunk";
	ev.size = (gint64)s->chunk_wire;
	s->chunk_wire = 0;
	trace_event_explain(&ev,
	                    _("BDAT data: exactly the announced number of octets, with no "
	                      "dot-stuffing and no end line; a lone dot here is just data."),
	                    "RFC 3030 §2");
	if (p != NULL)
		ev.pair = p->event;
	trace_conn_emit(s->conn, &ev);
	if (p != NULL && p->cmd == SMTP_CMD_BDAT && p->bdat_last)
		trace_conn_message_decode(s->conn, TRACE_DIR_C2S, s->msg, s->msg_wire,
		                          TRACE_MESSAGE_WHOLE);
}

static gboolean
smtp_line_start(gpointer self, TraceDir dir, const guint8 *data, gsize len)
{
	Smtp *s = self;
	if (dir == TRACE_DIR_S2C)
		return len >= 4 && g_ascii_isdigit(data[0]) && g_ascii_isdigit(data[1]) &&
		       g_ascii_isdigit(data[2]) &&
		       (data[3] == ' ' || data[3] == '-' || data[3] == '\r');
	if (s->mode != CLIENT_COMMANDS)
		return FALSE;
	gsize n = 0;
	while (n < len && g_ascii_isalpha(data[n]))
		n++;
	return n < len && (data[n] == ' ' || data[n] == '\r') &&
	       smtp_command_lookup((const char *)data, n) != NULL;
}

static void
smtp_gap(gpointer self, TraceDir dir, guint64 len)
{
	Smtp *s = self;
	/* Server octets were lost: the greeting, which comes first, was among
	 * them or before them; the next reply is not it (a lost greeting made
	 * the reply to USER or LOGIN look like one). */
	if (dir == TRACE_DIR_S2C && len > 0)
		s->greeted = TRUE;
	if (dir == TRACE_DIR_C2S && (s->mode == CLIENT_DATA || s->mode == CLIENT_BDAT)) {
		s->msg_damaged = TRUE;
		return;
	}
	/* Commands or replies were lost: pairing starts again from here. */
	g_queue_clear_full(&s->pending, g_free);
	s->reply_lines = 0;
	if (s->mode == CLIENT_SASL)
		s->mode = CLIENT_COMMANDS;
}

static void
smtp_close(gpointer self)
{
	Smtp *s = self;
	if (s->mode == CLIENT_DATA || s->mode == CLIENT_BDAT) {
		trace_conn_message_decode(s->conn, TRACE_DIR_C2S, s->msg, s->msg_wire,
		                          TRACE_MESSAGE_WHOLE);
		trace_conn_note(s->conn, TRACE_DIR_C2S, "message-unfinished",
		                _("The connection ended in the middle of a message: the server "
		                  "must not deliver it."),
		                "RFC 5321 §4.1.1.4");
	}
	for (GList *l = s->pending.head; l != NULL; l = l->next) {
		Pending *p = l->data;
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "no-reply";
		ev.pair = p->event;
		trace_event_explain(&ev, _("No reply to this command was seen."), NULL);
		trace_conn_emit(s->conn, &ev);
	}
}

const TraceDecoderClass trace_smtp_decoder = {
    .proto = TRACE_PROTO_SMTP,
    .new = smtp_new,
    .free = smtp_free,
    .line = smtp_line,
    .octets = smtp_octets,
    .bulk = smtp_bulk,
    .line_start = smtp_line_start,
    .gap = smtp_gap,
    .close = smtp_close,
};
