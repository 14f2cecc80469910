/* The SMTP server (RFC 5321): one session per connection, dispatched from the
 * command table of proto/smtp-proto.h; AUTH PLAIN and LOGIN (RFC 4954) against
 * users.conf; DATA streamed into every local recipient's INBOX through the
 * store, answered 250 only once each copy is committed (fsync'd).
 * Reply texts stay in English ASCII, as RFC 5321 §2.4 expects and as real
 * servers do: the tracer explains them in the student's language. */
#include "server/smtp-delivery.h"

#include "core/facteur-i18n.h"
#include "core/line-buffer.h"
#include "proto/pop3-proto.h"
#include "proto/smtp-proto.h"
#include "server/server.h"

#include <string.h>

typedef enum {
	MODE_COMMAND,
	MODE_DATA,
	MODE_AUTH_PLAIN,      /* waiting for PLAIN's response after "334 " */
	MODE_AUTH_LOGIN_USER, /* after "334 VXNlcm5hbWU6" */
	MODE_AUTH_LOGIN_PASS, /* after "334 UGFzc3dvcmQ6" */
} Mode;

typedef struct {
	ServerConn *conn;
	Store *store;
	const ServerConfig *config;
	LineBuffer *lb;
	SmtpState state;
	Mode mode;
	gboolean esmtp;   /* EHLO rather than HELO */
	char *helo;       /* the name the client gave */
	char *auth_user;  /* NULL until AUTH succeeds */
	char *login_user; /* AUTH LOGIN between its two steps */
	gboolean waiting; /* an AUTH failure is being delayed: input paused */
	/* The mail transaction */
	char *sender;        /* "" for the null reverse-path <> */
	GPtrArray *rcpts;    /* SmtpRecipient*, accepted ones */
	guint rcpt_attempts; /* RCPT commands with a valid syntax, accepted or not */
	/* DATA */
	Pop3Unstuffer unstuffer;
	SmtpDelivery *delivery;
} SmtpSession;

#define MAX_RECIPIENTS SMTP_MIN_RECIPIENTS
/* RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its angle brackets. */
#define SMTP_MAX_PATH 254

static void process(SmtpSession *s);

/* --- replies --- */

/* One reply line, CRLF added. */
#define reply(s, ...) server_conn_replyf((s)->conn, __VA_ARGS__)

/* Client text echoed in a reply: printable ASCII, at most 200 octets. */
#define printable(text) server_printable((text), 200)

/* Replies are ASCII (RFC 5321 §2.4): "RFC 5321 §4.1.1.2" is sent as
 * "RFC 5321 section 4.1.1.2". */
static char *
ascii_rfc(const char *rfc)
{
	g_auto(GStrv) parts = g_strsplit(rfc, "§", -1);
	return g_strjoinv("section ", parts);
}

static gsize
max_size(SmtpSession *s)
{
	return smtp_delivery_max_size(s->store);
}

/* --- the transaction --- */

static void
reset_transaction(SmtpSession *s)
{
	g_clear_pointer(&s->sender, g_free);
	g_ptr_array_set_size(s->rcpts, 0);
	s->rcpt_attempts = 0;
	g_clear_pointer(&s->delivery, smtp_delivery_free);
	if (s->state != SMTP_STATE_GREETED)
		s->state = SMTP_STATE_READY;
}

/* --- EHLO, HELO --- */

static gboolean
check_helo(SmtpSession *s, const SmtpCommand *cmd)
{
	/* Any printable name is taken, as Postfix does by default; controls and
	 * spaces are not, since the name goes into the Received: header, nor a
	 * name longer than a domain may be (RFC 5321 §4.5.3.1.2). */
	if (strlen(cmd->args) > 255) {
		reply(s, "501 5.5.2 Syntax: %s hostname (at most 255 octets)", cmd->info->name);
		return FALSE;
	}
	for (const char *p = cmd->args; *p != '\0'; p++) {
		if ((guchar)*p <= 0x20 || *p == 0x7f) {
			reply(s, "501 5.5.2 Syntax: %s hostname (one name, no spaces)",
			      cmd->info->name);
			return FALSE;
		}
	}
	g_free(s->helo);
	s->helo = g_strdup(cmd->args);
	reset_transaction(s);
	s->state = SMTP_STATE_READY;
	return TRUE;
}

static void
cmd_ehlo(SmtpSession *s, SmtpCommand *cmd)
{
	if (!check_helo(s, cmd))
		return;
	s->esmtp = TRUE;
	g_autofree char *name = printable(s->helo);
	reply(s, "250-%s greets %s", s->config->hostname, name);
	reply(s, "250-PIPELINING");
	reply(s, "250-SIZE %" G_GSIZE_FORMAT, max_size(s));
	reply(s, "250-8BITMIME");
	reply(s, "250-ENHANCEDSTATUSCODES");
	reply(s, "250-AUTH PLAIN LOGIN");
	reply(s, "250 HELP");
}

static void
cmd_helo(SmtpSession *s, SmtpCommand *cmd)
{
	if (!check_helo(s, cmd))
		return;
	s->esmtp = FALSE;
	reply(s, "250 %s", s->config->hostname);
}

/* --- MAIL, RCPT --- */

static void
syntax_reply(SmtpSession *s, const SmtpCommand *cmd)
{
	reply(s, "501 5.5.4 Syntax error: %s. Use %s", cmd->error, cmd->info->syntax);
}

static void
cmd_mail(SmtpSession *s, SmtpCommand *cmd)
{
	for (guint i = 0; i < cmd->params->len; i++) {
		const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, i);
		const SmtpParamInfo *info = smtp_param_lookup(SMTP_CMD_MAIL, p->keyword);
		g_autofree char *kw = printable(p->keyword);
		if (info == NULL ||
		    (g_strcmp0(info->name, "SIZE") != 0 && g_strcmp0(info->name, "BODY") != 0 &&
		     g_strcmp0(info->name, "AUTH") != 0)) {
			reply(s,
			      "555 5.5.4 Unsupported parameter %s: it was not announced in "
			      "the EHLO reply",
			      kw);
			return;
		}
		if (p->value == NULL) {
			reply(s, "501 5.5.4 The %s parameter needs a value (%s=...)", kw, kw);
			return;
		}
		if (info == smtp_param_lookup(SMTP_CMD_MAIL, "SIZE")) {
			guint64 size;
			if (!smtp_parse_number(p->value, &size)) {
				reply(s,
				      "501 5.5.4 Bad SIZE value: a number of octets is expected");
				return;
			}
			if (size > max_size(s)) {
				reply(
				    s,
				    "552 5.3.4 Message size exceeds fixed limit of %" G_GSIZE_FORMAT
				    " octets",
				    max_size(s));
				return;
			}
		} else if (info == smtp_param_lookup(SMTP_CMD_MAIL, "BODY")) {
			if (g_ascii_strcasecmp(p->value, "7BIT") != 0 &&
			    g_ascii_strcasecmp(p->value, "8BITMIME") != 0) {
				reply(s, "501 5.5.4 Unsupported BODY value: use 7BIT or 8BITMIME");
				return;
			}
		}
		/* AUTH=<…> (RFC 4954 §5) is accepted and not used: nothing is relayed. */
	}
	s->sender = g_strdup(cmd->path);
	s->state = SMTP_STATE_MAIL;
	g_autofree char *who = printable(cmd->path);
	reply(s, "250 2.1.0 Sender <%s> OK", who);
}

/* The local user of an address of the local domain, or NULL. */
static char *
local_user(SmtpSession *s, const char *local)
{
	g_autofree char *name = NULL;
	gsize len = strlen(local);
	if (len >= 2 && local[0] == '"' && local[len - 1] == '"') {
		/* A quoted local part: "alice" is alice (RFC 5321 §4.1.2). */
		GString *u = g_string_new(NULL);
		for (gsize i = 1; i + 1 < len; i++) {
			if (local[i] == '\\' && i + 2 < len)
				i++;
			g_string_append_c(u, local[i]);
		}
		name = g_string_free(u, FALSE);
	} else {
		name = g_strdup(local);
	}
	if (store_user_exists(s->store, name))
		return g_steal_pointer(&name);
	/* Local parts are case-sensitive in theory (RFC 5321 §2.4), not in practice. */
	g_autofree char *lower = g_ascii_strdown(name, -1);
	if (store_user_exists(s->store, lower))
		return g_steal_pointer(&lower);
	return NULL;
}

static gboolean
domain_is_local(SmtpSession *s, const char *domain)
{
	return g_ascii_strcasecmp(domain, s->config->domain) == 0 ||
	       g_ascii_strcasecmp(domain, s->config->hostname) == 0;
}

static void
cmd_rcpt(SmtpSession *s, SmtpCommand *cmd)
{
	if (cmd->params->len > 0) {
		const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, 0);
		g_autofree char *kw = printable(p->keyword);
		reply(s,
		      "555 5.5.4 Unsupported parameter %s: it was not announced in the EHLO "
		      "reply",
		      kw);
		return;
	}
	if (s->rcpts->len >= MAX_RECIPIENTS) {
		reply(s,
		      "452 4.5.3 Error: too many recipients (at most %u per message; send "
		      "the others in another transaction)",
		      MAX_RECIPIENTS);
		return;
	}
	s->rcpt_attempts++;
	g_autofree char *addr = printable(cmd->path);
	g_autofree char *local = NULL, *domain = NULL;
	if (!smtp_mailbox_split(cmd->path, &local, &domain)) {
		/* <Postmaster> without a domain (RFC 5321 §4.1.1.3) */
		local = g_strdup(cmd->path);
		domain = g_strdup(s->config->domain);
	}
	if (!domain_is_local(s, domain)) {
		reply(s, "550 5.7.1 <%s>: Relay access denied: this server only delivers to %s",
		      addr, s->config->domain);
		return;
	}
	g_autofree char *user = local_user(s, local);
	if (user == NULL) {
		reply(s, "550 5.1.1 <%s>: Recipient address rejected: User unknown", addr);
		return;
	}
	g_ptr_array_add(s->rcpts, smtp_recipient_new(cmd->path, user));
	s->state = SMTP_STATE_RCPT;
	reply(s, "250 2.1.5 Recipient <%s> OK", addr);
}

/* --- DATA --- */

static void
cmd_data(SmtpSession *s, SmtpCommand *cmd)
{
	(void)cmd;
	g_autoptr(GError) error = NULL;
	SmtpDeliveryInfo info = {
	    .sender = s->sender,
	    .helo = s->helo,
	    .peer = server_conn_peer(s->conn),
	    .hostname = s->config->hostname,
	    .esmtp = s->esmtp,
	    .authenticated = s->auth_user != NULL,
	    .recipients = s->rcpts,
	};
	store_set_origin(s->store, s);
	s->delivery = smtp_delivery_begin(s->store, &info, &error);
	store_set_origin(s->store, NULL);
	if (s->delivery == NULL) {
		g_warning("SMTP: %s", error->message);
		reply(s, "451 4.3.0 Error: local error in processing, try again later");
		return;
	}
	pop3_unstuffer_init(&s->unstuffer);
	s->mode = MODE_DATA;
	reply(s, "354 End data with <CR><LF>.<CR><LF>");
}

static void
finish_data(SmtpSession *s)
{
	s->mode = MODE_COMMAND;
	g_autoptr(GError) error = NULL;
	g_autofree char *id = NULL;
	store_set_origin(s->store, s);
	gboolean ok = smtp_delivery_commit(s->delivery, &id, &error);
	store_set_origin(s->store, NULL);
	if (ok) {
		reply(s, "250 2.0.0 Ok: queued as %s", id);
	} else if (g_error_matches(error, STORE_ERROR, STORE_ERROR_LIMIT)) {
		reply(s, "552 5.3.4 Error: message too big (at most %" G_GSIZE_FORMAT " octets)",
		      max_size(s));
	} else {
		g_warning("SMTP: %s", error->message);
		reply(s, "451 4.3.0 Error: local error in processing, try again later");
	}
	reset_transaction(s);
}

/* Message data: whatever is buffered goes through the unstuffer into the
 * deliveries; octets after the final dot go back to the line buffer, where
 * the next (pipelined) commands wait. FALSE when more input is needed. */
static gboolean
data_step(SmtpSession *s)
{
	gsize avail = line_buffer_pending(s->lb);
	if (avail == 0)
		return FALSE;
	const char *chunk;
	gsize n = line_buffer_take(s->lb, avail, &chunk);
	g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)n);
	gsize used = pop3_unstuffer_feed(&s->unstuffer, (const guint8 *)chunk, n, out);
	smtp_delivery_write(s->delivery, out->data, out->len);
	if (s->unstuffer.done) {
		if (used < n) {
			g_autofree guint8 *rest = g_memdup2(chunk + used, n - used);
			line_buffer_feed(s->lb, rest, n - used);
		}
		finish_data(s);
	}
	return TRUE;
}

/* --- AUTH (RFC 4954) --- */

static void
auth_failed_later(gpointer session)
{
	SmtpSession *s = session;
	reply(s, "535 5.7.8 Error: authentication failed");
	s->waiting = FALSE;
	server_conn_resume(s->conn);
}

static void
auth_check(SmtpSession *s, const char *authzid, const char *user, const char *password)
{
	s->mode = MODE_COMMAND;
	gboolean ok = (authzid == NULL || *authzid == '\0' || g_strcmp0(authzid, user) == 0) &&
	              store_user_check_password(s->store, user, password);
	if (ok) {
		s->auth_user = g_strdup(user);
		reply(s, "235 2.7.0 Authentication successful");
		return;
	}
	/* A delay makes guessing passwords slow (Dovecot waits 2 s). Input waits too,
	 * so that pipelined commands are answered after the 535, in order. */
	guint delay = s->config->auth_failure_delay_ms;
	if (delay == 0) {
		reply(s, "535 5.7.8 Error: authentication failed");
		return;
	}
	s->waiting = TRUE;
	server_conn_pause(s->conn);
	server_conn_defer(s->conn, delay, auth_failed_later);
}

static void
auth_plain(SmtpSession *s, const char *b64, gsize len)
{
	g_autofree char *authzid = NULL, *user = NULL, *password = NULL;
	if (len == 1 && b64[0] == '=') {
		/* "=" is an empty response (RFC 4954 §4): no credentials at all. */
		auth_check(s, NULL, "", "");
		return;
	}
	if (!smtp_auth_decode_plain(b64, len, &authzid, &user, &password)) {
		s->mode = MODE_COMMAND;
		reply(s, "501 5.5.2 Error: cannot decode the PLAIN response (base64 of "
		         "authzid NUL user NUL password)");
		return;
	}
	auth_check(s, authzid, user, password);
}

static void
auth_login_user(SmtpSession *s, const char *b64, gsize len)
{
	g_autofree char *user = smtp_auth_decode_text(b64, len);
	if (user == NULL) {
		s->mode = MODE_COMMAND;
		reply(s, "501 5.5.2 Error: cannot decode the user name (base64 expected)");
		return;
	}
	g_free(s->login_user);
	s->login_user = g_steal_pointer(&user);
	s->mode = MODE_AUTH_LOGIN_PASS;
	reply(s, "334 " SMTP_AUTH_LOGIN_PASSWORD);
}

static void
auth_login_pass(SmtpSession *s, const char *b64, gsize len)
{
	g_autofree char *password = smtp_auth_decode_text(b64, len);
	g_autofree char *user = g_steal_pointer(&s->login_user);
	if (password == NULL) {
		s->mode = MODE_COMMAND;
		reply(s, "501 5.5.2 Error: cannot decode the password (base64 expected)");
		return;
	}
	auth_check(s, NULL, user, password);
}

/* One line of an AUTH exchange. */
static void
auth_line(SmtpSession *s, const char *line, gsize len)
{
	if (len == 1 && line[0] == '*') {
		s->mode = MODE_COMMAND;
		g_clear_pointer(&s->login_user, g_free);
		reply(s, "501 5.0.0 Authentication aborted by the client");
		return;
	}
	switch (s->mode) {
	case MODE_AUTH_PLAIN:
		auth_plain(s, line, len);
		break;
	case MODE_AUTH_LOGIN_USER:
		auth_login_user(s, line, len);
		break;
	case MODE_AUTH_LOGIN_PASS:
		auth_login_pass(s, line, len);
		break;
	case MODE_COMMAND:
	case MODE_DATA:
		g_assert_not_reached();
	}
}

static void
cmd_auth(SmtpSession *s, SmtpCommand *cmd)
{
	if (!s->esmtp) {
		reply(s, "503 5.5.1 Error: AUTH needs EHLO first (HELO offers no extension)");
		return;
	}
	if (s->auth_user != NULL) {
		reply(s, "503 5.5.1 Error: already authenticated");
		return;
	}
	g_auto(GStrv) words = g_strsplit(cmd->args, " ", 0);
	guint n = g_strv_length(words);
	const char *ir = n >= 2 ? words[1] : NULL;
	if (n > 2) {
		reply(s, "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
	} else if (g_ascii_strcasecmp(words[0], "PLAIN") == 0) {
		if (ir != NULL) {
			auth_plain(s, ir, strlen(ir));
		} else {
			s->mode = MODE_AUTH_PLAIN;
			reply(s, "334 ");
		}
	} else if (g_ascii_strcasecmp(words[0], "LOGIN") == 0) {
		if (ir != NULL) {
			auth_login_user(s, ir, strlen(ir));
		} else {
			s->mode = MODE_AUTH_LOGIN_USER;
			reply(s, "334 " SMTP_AUTH_LOGIN_USERNAME);
		}
	} else {
		g_autofree char *mech = printable(words[0]);
		reply(s, "504 5.5.4 Unrecognized authentication mechanism %s: use PLAIN or LOGIN",
		      mech);
	}
}

/* --- the small commands --- */

static void
cmd_rset(SmtpSession *s, SmtpCommand *cmd)
{
	(void)cmd;
	reset_transaction(s);
	reply(s, "250 2.0.0 Ok");
}

static void
cmd_noop(SmtpSession *s, SmtpCommand *cmd)
{
	(void)cmd;
	reply(s, "250 2.0.0 Ok");
}

static void
cmd_quit(SmtpSession *s, SmtpCommand *cmd)
{
	(void)cmd;
	reply(s, "221 2.0.0 %s closing connection", s->config->hostname);
	server_conn_close(s->conn);
}

static void
cmd_vrfy(SmtpSession *s, SmtpCommand *cmd)
{
	/* "alice", "alice@example.org", "<alice@example.org>", "Alice <alice@…>" */
	const char *arg = cmd->args;
	g_autofree char *inside = NULL;
	const char *lt = strchr(arg, '<');
	const char *gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (lt != NULL && gt != NULL)
		arg = inside = g_strndup(lt + 1, (gsize)(gt - lt - 1));
	g_autofree char *shown = printable(arg);
	g_autofree char *local = NULL, *domain = NULL;
	if (strchr(arg, '@') != NULL) {
		if (!smtp_mailbox_is_valid(arg)) {
			reply(s, "501 5.1.3 Bad address syntax: %s", shown);
			return;
		}
		smtp_mailbox_split(arg, &local, &domain);
		if (!domain_is_local(s, domain)) {
			reply(s, "550 5.7.1 <%s>: not a local address of %s", shown,
			      s->config->domain);
			return;
		}
	} else {
		local = g_strdup(arg);
	}
	g_autofree char *user = local_user(s, local);
	if (user == NULL) {
		reply(s, "550 5.1.1 <%s>: Recipient address rejected: User unknown", shown);
		return;
	}
	/* 252, not 250: “will accept, cannot vouch” (RFC 5321 §3.5.3) */
	reply(s, "252 2.0.0 <%s@%s>", user, s->config->domain);
}

static void
cmd_help(SmtpSession *s, SmtpCommand *cmd)
{
	if (cmd->args != NULL) {
		const SmtpCommandInfo *info = smtp_command_lookup(cmd->args, strlen(cmd->args));
		if (info == NULL) {
			g_autofree char *what = printable(cmd->args);
			reply(s, "504 5.5.4 HELP: no such command %s", what);
		} else {
			g_autofree char *rfc = ascii_rfc(info->rfc);
			reply(s, "214 2.0.0 %s (%s)", info->syntax, rfc);
		}
		return;
	}
	reply(s, "214-2.0.0 facteur answers these commands:");
	reply(s, "214-2.0.0   EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP AUTH");
	reply(s, "214-2.0.0 HELP command gives the syntax of one of them.");
	reply(s, "214 2.0.0 See RFC 5321 for the rest.");
}

typedef void (*SmtpHandler)(SmtpSession *s, SmtpCommand *cmd);

/* The commands facteur implements; the others of the table get 502. */
static const SmtpHandler handlers[SMTP_CMD_N] = {
    [SMTP_CMD_EHLO] = cmd_ehlo, [SMTP_CMD_HELO] = cmd_helo, [SMTP_CMD_MAIL] = cmd_mail,
    [SMTP_CMD_RCPT] = cmd_rcpt, [SMTP_CMD_DATA] = cmd_data, [SMTP_CMD_RSET] = cmd_rset,
    [SMTP_CMD_NOOP] = cmd_noop, [SMTP_CMD_QUIT] = cmd_quit, [SMTP_CMD_VRFY] = cmd_vrfy,
    [SMTP_CMD_HELP] = cmd_help, [SMTP_CMD_AUTH] = cmd_auth,
};

/* 503 and 554 for a command the table does not allow in this state. */
static void
sequence_error(SmtpSession *s, SmtpCommandId id)
{
	gboolean in_mail = (s->state & SMTP_STATES_TRANSACTION) != 0;
	switch (id) {
	case SMTP_CMD_MAIL:
		reply(s, in_mail ? "503 5.5.1 Error: nested MAIL command (RSET first)"
		                 : "503 5.5.1 Error: send HELO/EHLO first");
		break;
	case SMTP_CMD_DATA:
		if (!in_mail)
			reply(s, "503 5.5.1 Error: need MAIL command");
		else if (s->rcpt_attempts > 0)
			reply(s, "554 5.5.1 Error: no valid recipients");
		else
			reply(s, "503 5.5.1 Error: need RCPT command");
		break;
	case SMTP_CMD_RCPT:
		reply(s, "503 5.5.1 Error: need MAIL command");
		break;
	case SMTP_CMD_AUTH:
		reply(s, in_mail ? "503 5.5.1 Error: AUTH is not allowed in a mail transaction"
		                 : "503 5.5.1 Error: send EHLO first");
		break;
	default:
		reply(s, "503 5.5.1 Error: bad sequence of commands");
		break;
	}
}

static void
command(SmtpSession *s, const char *line, gsize len)
{
	g_autoptr(SmtpCommand) cmd = smtp_command_parse(line, len);
	if (cmd->result == SMTP_PARSE_UNKNOWN) {
		if (len == 0)
			reply(s, "500 5.5.2 Error: bad syntax (empty line)");
		else
			reply(s, "500 5.5.2 Error: command not recognized");
		return;
	}
	SmtpHandler handler = handlers[cmd->info->id];
	if (handler == NULL) {
		reply(s, "502 5.5.1 Error: command not implemented");
		return;
	}
	if (!(cmd->info->states & s->state)) {
		sequence_error(s, cmd->info->id);
		return;
	}
	if (cmd->result == SMTP_PARSE_SYNTAX) {
		syntax_reply(s, cmd);
		return;
	}
	if (cmd->path != NULL && strlen(cmd->path) > SMTP_MAX_PATH) {
		reply(s,
		      "501 5.1.3 Error: address too long (at most %u octets, RFC 5321 "
		      "section 4.5.3.1.3)",
		      SMTP_MAX_PATH);
		return;
	}
	handler(s, cmd);
}

/* --- the session --- */

static void
process(SmtpSession *s)
{
	while (!s->waiting && !server_conn_is_closing(s->conn)) {
		if (s->mode == MODE_DATA) {
			if (!data_step(s))
				return;
			continue;
		}
		const char *line;
		gsize len;
		LineBufferResult r = line_buffer_next(s->lb, &line, &len, NULL);
		if (r == LINE_BUFFER_NEED_MORE)
			return;
		if (r == LINE_BUFFER_TOO_LONG) {
			if (s->mode != MODE_COMMAND) {
				s->mode = MODE_COMMAND;
				g_clear_pointer(&s->login_user, g_free);
				reply(s,
				      "500 5.5.6 Error: authentication exchange line is too long");
			} else {
				reply(s,
				      "500 5.5.2 Error: line too long (at most %u octets with "
				      "CRLF)",
				      SMTP_MAX_LINE);
			}
			continue;
		}
		if (s->mode == MODE_COMMAND)
			command(s, line, len);
		else
			auth_line(s, line, len);
	}
}

static gpointer
smtp_session_new(ServerConn *conn)
{
	SmtpSession *s = g_new0(SmtpSession, 1);
	s->conn = conn;
	s->store = server_conn_store(conn);
	s->config = server_conn_config(conn);
	s->lb = line_buffer_new(SMTP_MAX_LINE);
	s->state = SMTP_STATE_GREETED;
	s->rcpts = g_ptr_array_new_with_free_func((GDestroyNotify)smtp_recipient_free);
	reply(s, "220 %s ESMTP facteur", s->config->hostname);
	return s;
}

static void
smtp_session_free(gpointer p)
{
	SmtpSession *s = p;
	smtp_delivery_free(s->delivery); /* a message not finished is not delivered */
	line_buffer_free(s->lb);
	g_ptr_array_unref(s->rcpts);
	g_free(s->helo);
	g_free(s->auth_user);
	g_free(s->login_user);
	g_free(s->sender);
	g_free(s);
}

static void
smtp_input(gpointer p, const guint8 *data, gsize len)
{
	SmtpSession *s = p;
	if (data != NULL && len > 0)
		line_buffer_feed(s->lb, data, len);
	process(s);
}

static void
smtp_idle_timeout(gpointer p)
{
	SmtpSession *s = p;
	reply(s, "421 4.4.2 %s Error: timeout exceeded, closing connection", s->config->hostname);
}

static void
smtp_shutdown(gpointer p)
{
	SmtpSession *s = p;
	reply(s, "421 4.3.2 %s Service shutting down, closing connection", s->config->hostname);
}

const ServerProtocol server_protocol_smtp = {
    .name = "smtp",
    .session_new = smtp_session_new,
    .session_free = smtp_session_free,
    .input = smtp_input,
    .idle_timeout = smtp_idle_timeout,
    .shutdown = smtp_shutdown,
    /* TRANSLATORS: a reply sent on the wire: keep the code, and ASCII only. */
    .too_many_connections = N_("421 4.7.0 Error: too many connections, try again later"),
};
