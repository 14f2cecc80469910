/* SMTP protocol knowledge: tables of commands, parameters, reply codes,
 * enhanced status codes, EHLO keywords and SASL mechanisms, with the parsers of
 * command and reply lines. Pure: no I/O, no allocation beyond the results. */
#include "proto/smtp-proto.h"

#include "core/facteur-i18n.h"

#include <string.h>

/* --- Commands --- */

#define ANY   SMTP_STATES_ANY
#define READY SMTP_STATE_READY

const SmtpCommandInfo smtp_command_table[SMTP_CMD_N] = {
    [SMTP_CMD_EHLO] =
        {
            .id = SMTP_CMD_EHLO,
            .name = "EHLO",
            .states = ANY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "EHLO domain",
            .rfc = "RFC 5321 §4.1.1.1",
            .explain = N_("Extended hello: the client names itself and asks the server "
                          "which extensions it offers; the 250 reply lists one per line. "
                          "Sent again in the middle of a transaction, it cancels it."),
        },
    [SMTP_CMD_HELO] =
        {
            .id = SMTP_CMD_HELO,
            .name = "HELO",
            .states = ANY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "HELO domain",
            .rfc = "RFC 5321 §4.1.1.1",
            .explain = N_("The old hello of RFC 821: the client names itself; no "
                          "extensions are offered in return."),
        },
    [SMTP_CMD_MAIL] =
        {
            .id = SMTP_CMD_MAIL,
            .name = "MAIL",
            .states = READY,
            .args = SMTP_ARGS_PATH,
            .prefix = "FROM:",
            .syntax = "MAIL FROM:<reverse-path> [parameters]",
            .rfc = "RFC 5321 §4.1.1.2",
            .explain = N_("Starts a mail transaction and gives the envelope sender, where "
                          "bounces go. It need not match the From: header. <> is the null "
                          "sender, used by bounces themselves."),
        },
    [SMTP_CMD_RCPT] =
        {
            .id = SMTP_CMD_RCPT,
            .name = "RCPT",
            .states = SMTP_STATES_TRANSACTION,
            .args = SMTP_ARGS_PATH,
            .prefix = "TO:",
            .syntax = "RCPT TO:<forward-path> [parameters]",
            .rfc = "RFC 5321 §4.1.1.3",
            .explain = N_("Gives one envelope recipient; repeat it for each. The server "
                          "accepts or refuses each one separately. Bcc recipients exist only "
                          "here, never in the headers."),
        },
    [SMTP_CMD_DATA] =
        {
            .id = SMTP_CMD_DATA,
            .name = "DATA",
            .states = SMTP_STATE_RCPT,
            .args = SMTP_ARGS_NONE,
            .syntax = "DATA",
            .rfc = "RFC 5321 §4.1.1.4",
            .explain = N_("Asks to send the message itself. After the 354 reply come the "
                          "header, a blank line and the body, ended by a line holding only "
                          "a dot; a line starting with a dot gets a second one."),
        },
    [SMTP_CMD_BDAT] =
        {
            .id = SMTP_CMD_BDAT,
            .name = "BDAT",
            .states = SMTP_STATE_RCPT,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "BDAT size [LAST]",
            .rfc = "RFC 3030 §2",
            .explain = N_("Sends the message in chunks whose size is given in octets, "
                          "instead of DATA: no dot at the end and no dot-stuffing. LAST marks "
                          "the final chunk."),
        },
    [SMTP_CMD_RSET] =
        {
            .id = SMTP_CMD_RSET,
            .name = "RSET",
            .states = ANY,
            .args = SMTP_ARGS_NONE,
            .syntax = "RSET",
            .rfc = "RFC 5321 §4.1.1.5",
            .explain = N_("Abandons the current mail transaction: sender and recipients "
                          "are forgotten; the connection stays open."),
        },
    [SMTP_CMD_NOOP] =
        {
            .id = SMTP_CMD_NOOP,
            .name = "NOOP",
            .states = ANY,
            .args = SMTP_ARGS_OPTIONAL,
            .syntax = "NOOP [string]",
            .rfc = "RFC 5321 §4.1.1.9",
            .explain = N_("Does nothing but get a 250: checks that the server is alive and "
                          "keeps the connection from timing out."),
        },
    [SMTP_CMD_QUIT] =
        {
            .id = SMTP_CMD_QUIT,
            .name = "QUIT",
            .states = ANY,
            .args = SMTP_ARGS_NONE,
            .syntax = "QUIT",
            .rfc = "RFC 5321 §4.1.1.10",
            .explain = N_("Ends the session: the server answers 221 and closes the "
                          "connection. A transaction not finished is abandoned."),
        },
    [SMTP_CMD_VRFY] =
        {
            .id = SMTP_CMD_VRFY,
            .name = "VRFY",
            .states = ANY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "VRFY string",
            .rfc = "RFC 5321 §4.1.1.6",
            .explain = N_("Asks whether a user or mailbox exists. Most servers answer 252 "
                          "(“cannot verify, but will try”) so as not to help address "
                          "harvesting."),
        },
    [SMTP_CMD_EXPN] =
        {
            .id = SMTP_CMD_EXPN,
            .name = "EXPN",
            .states = ANY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "EXPN string",
            .rfc = "RFC 5321 §4.1.1.7",
            .explain = N_("Asks for the members of a mailing list. Usually disabled (502) "
                          "because it would reveal addresses."),
        },
    [SMTP_CMD_HELP] =
        {
            .id = SMTP_CMD_HELP,
            .name = "HELP",
            .states = ANY,
            .args = SMTP_ARGS_OPTIONAL,
            .syntax = "HELP [string]",
            .rfc = "RFC 5321 §4.1.1.8",
            .explain = N_("Asks for help text meant for a human; the answer is 214."),
        },
    [SMTP_CMD_AUTH] =
        {
            .id = SMTP_CMD_AUTH,
            .name = "AUTH",
            .states = READY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "AUTH mechanism [initial-response]",
            .rfc = "RFC 4954 §4",
            .explain = N_("Authenticates the client with a SASL mechanism. With PLAIN and "
                          "LOGIN the user name and password travel in base64, which is an "
                          "encoding, not encryption: anyone on the wire can read them."),
        },
    [SMTP_CMD_STARTTLS] =
        {
            .id = SMTP_CMD_STARTTLS,
            .name = "STARTTLS",
            .states = READY,
            .args = SMTP_ARGS_NONE,
            .syntax = "STARTTLS",
            .rfc = "RFC 3207 §4",
            .explain = N_("Asks to switch the connection to TLS. After the 220 reply the "
                          "rest is encrypted and the session starts again from EHLO."),
        },
    [SMTP_CMD_ETRN] =
        {
            .id = SMTP_CMD_ETRN,
            .name = "ETRN",
            .states = READY,
            .args = SMTP_ARGS_REQUIRED,
            .syntax = "ETRN node",
            .rfc = "RFC 1985 §5",
            .explain = N_("Asks the server to start delivering the mail it queued for a "
                          "domain, over a new connection (for sites that are not always "
                          "online)."),
        },
    [SMTP_CMD_TURN] =
        {
            .id = SMTP_CMD_TURN,
            .name = "TURN",
            .states = READY,
            .args = SMTP_ARGS_NONE,
            .syntax = "TURN",
            .rfc = "RFC 5321 appendix F.1",
            .explain = N_("Obsolete: asked the two sides to swap roles on the same "
                          "connection. Withdrawn because the client was not authenticated."),
            .obsolete = TRUE,
        },
    [SMTP_CMD_SEND] =
        {
            .id = SMTP_CMD_SEND,
            .name = "SEND",
            .states = READY,
            .args = SMTP_ARGS_PATH,
            .prefix = "FROM:",
            .syntax = "SEND FROM:<reverse-path>",
            .rfc = "RFC 5321 appendix F.6",
            .explain = N_("Obsolete: asked to show the message on the user's terminal "
                          "instead of delivering it to a mailbox."),
            .obsolete = TRUE,
        },
    [SMTP_CMD_SOML] =
        {
            .id = SMTP_CMD_SOML,
            .name = "SOML",
            .states = READY,
            .args = SMTP_ARGS_PATH,
            .prefix = "FROM:",
            .syntax = "SOML FROM:<reverse-path>",
            .rfc = "RFC 5321 appendix F.6",
            .explain = N_("Obsolete: “send or mail”, to the terminal if the user was logged "
                          "in, else to the mailbox."),
            .obsolete = TRUE,
        },
    [SMTP_CMD_SAML] =
        {
            .id = SMTP_CMD_SAML,
            .name = "SAML",
            .states = READY,
            .args = SMTP_ARGS_PATH,
            .prefix = "FROM:",
            .syntax = "SAML FROM:<reverse-path>",
            .rfc = "RFC 5321 appendix F.6",
            .explain = N_("Obsolete: “send and mail”, to the terminal and to the mailbox."),
            .obsolete = TRUE,
        },
};

#undef ANY
#undef READY

const SmtpCommandInfo *
smtp_command_lookup(const char *verb, gsize len)
{
	for (gsize i = 0; i < SMTP_CMD_N; i++) {
		const char *name = smtp_command_table[i].name;
		if (strlen(name) == len && g_ascii_strncasecmp(name, verb, len) == 0)
			return &smtp_command_table[i];
	}
	return NULL;
}

const char *
smtp_state_name(SmtpState state)
{
	switch (state) {
	case SMTP_STATE_GREETED:
		return N_("before EHLO");
	case SMTP_STATE_READY:
		return N_("ready, no mail transaction");
	case SMTP_STATE_MAIL:
		return N_("after MAIL, no recipient yet");
	case SMTP_STATE_RCPT:
		return N_("recipients accepted");
	}
	return N_("unknown state");
}

/* --- Parameters of MAIL and RCPT --- */

const SmtpParamInfo smtp_param_table[] = {
    {.name = "SIZE",
     .command = SMTP_CMD_MAIL,
     .ehlo = "SIZE",
     .rfc = "RFC 1870 §6",
     .explain = N_("The client's estimate of the message size in octets, so that the "
                   "server can refuse a message too big before it is sent.")},
    {.name = "BODY",
     .command = SMTP_CMD_MAIL,
     .ehlo = "8BITMIME",
     .rfc = "RFC 6152 §2",
     .explain = N_("The kind of body: 7BIT (plain ASCII), 8BITMIME (octets above 127 "
                   "in the text) or BINARYMIME (any octets, with BDAT, RFC 3030).")},
    {.name = "AUTH",
     .command = SMTP_CMD_MAIL,
     .ehlo = "AUTH",
     .rfc = "RFC 4954 §5",
     .explain = N_("Who originally submitted the message, as an authenticated identity; "
                   "<> when it is not known.")},
    {.name = "RET",
     .command = SMTP_CMD_MAIL,
     .ehlo = "DSN",
     .rfc = "RFC 3461 §4.3",
     .explain = N_("In a delivery status notification, return the whole message (FULL) "
                   "or only its header (HDRS).")},
    {.name = "ENVID",
     .command = SMTP_CMD_MAIL,
     .ehlo = "DSN",
     .rfc = "RFC 3461 §4.4",
     .explain = N_("An identifier chosen by the sender, given back in delivery status "
                   "notifications.")},
    {.name = "SMTPUTF8",
     .command = SMTP_CMD_MAIL,
     .ehlo = "SMTPUTF8",
     .rfc = "RFC 6531 §3.4",
     .explain = N_("The message uses UTF-8 in addresses or headers (internationalised "
                   "email).")},
    {.name = "BY",
     .command = SMTP_CMD_MAIL,
     .ehlo = "DELIVERBY",
     .rfc = "RFC 2852 §4",
     .explain = N_("A deadline for delivery, in seconds, and what to do when it "
                   "passes.")},
    {.name = "MT-PRIORITY",
     .command = SMTP_CMD_MAIL,
     .ehlo = "MT-PRIORITY",
     .rfc = "RFC 6710 §3",
     .explain = N_("The priority of the message in transfer, from -9 to 9.")},
    {.name = "REQUIRETLS",
     .command = SMTP_CMD_MAIL,
     .ehlo = "REQUIRETLS",
     .rfc = "RFC 8689 §4",
     .explain = N_("Every hop must relay this message over verified TLS, or "
                   "refuse it.")},
    {.name = "HOLDFOR",
     .command = SMTP_CMD_MAIL,
     .ehlo = "FUTURERELEASE",
     .rfc = "RFC 4865 §3",
     .explain = N_("Hold the message this many seconds before delivering it.")},
    {.name = "HOLDUNTIL",
     .command = SMTP_CMD_MAIL,
     .ehlo = "FUTURERELEASE",
     .rfc = "RFC 4865 §3",
     .explain = N_("Hold the message until this date before delivering it.")},
    {.name = "NOTIFY",
     .command = SMTP_CMD_RCPT,
     .ehlo = "DSN",
     .rfc = "RFC 3461 §4.1",
     .explain = N_("When to send a delivery status notification for this recipient: "
                   "NEVER, or a list of SUCCESS, FAILURE and DELAY.")},
    {.name = "ORCPT",
     .command = SMTP_CMD_RCPT,
     .ehlo = "DSN",
     .rfc = "RFC 3461 §4.2",
     .explain = N_("The original recipient address, reported in delivery status "
                   "notifications after forwarding.")},
};
const gsize smtp_param_table_len = G_N_ELEMENTS(smtp_param_table);

const SmtpParamInfo *
smtp_param_lookup(SmtpCommandId command, const char *keyword)
{
	for (gsize i = 0; i < smtp_param_table_len; i++) {
		if (smtp_param_table[i].command == command &&
		    g_ascii_strcasecmp(smtp_param_table[i].name, keyword) == 0)
			return &smtp_param_table[i];
	}
	return NULL;
}

/* --- Addresses (RFC 5321 §4.1.2) --- */

static gboolean
is_atext(guchar c)
{
	/* RFC 5322 §3.2.3 atext; octets >= 0x80 are UTF-8 (RFC 6531 §3.3). */
	return g_ascii_isalnum(c) || c >= 0x80 || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* Returns the end of a valid local part starting at s, or NULL. */
static const char *
scan_local_part(const char *s)
{
	if (*s == '"') {
		s++;
		while (*s != '"') {
			guchar c = (guchar)*s;
			if (c == '\\') {
				guchar e = (guchar)s[1];
				if (e < 32 || e > 126)
					return NULL;
				s += 2;
			} else if ((c >= 32 && c <= 126) || c >= 0x80) {
				s++;
			} else {
				return NULL; /* controls, or the end without a closing quote */
			}
		}
		return s + 1;
	}
	/* Dot-string: atoms separated by single dots. */
	for (;;) {
		const char *atom = s;
		while (is_atext((guchar)*s))
			s++;
		if (s == atom)
			return NULL;
		if (*s != '.')
			return s;
		s++;
	}
}

static gboolean
domain_is_valid(const char *d)
{
	gsize len = strlen(d);
	if (len == 0)
		return FALSE;
	if (d[0] == '[') {
		/* address-literal: dcontent is %d33-90 / %d94-126 */
		if (len < 3 || d[len - 1] != ']')
			return FALSE;
		for (gsize i = 1; i + 1 < len; i++) {
			guchar c = (guchar)d[i];
			if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']')
				return FALSE;
		}
		return TRUE;
	}
	/* sub-domain *("." sub-domain), sub-domain = Let-dig [Ldh-str]; U-labels allowed */
	const char *p = d;
	for (;;) {
		const char *label = p;
		while (g_ascii_isalnum(*p) || *p == '-' || (guchar)*p >= 0x80)
			p++;
		if (p == label || *label == '-' || p[-1] == '-')
			return FALSE;
		if (*p == '\0')
			return TRUE;
		if (*p != '.')
			return FALSE;
		p++;
	}
}

gboolean
smtp_mailbox_is_valid(const char *mailbox)
{
	if (!g_utf8_validate(mailbox, -1, NULL))
		return FALSE;
	const char *end = scan_local_part(mailbox);
	if (end == NULL || *end != '@')
		return FALSE;
	return domain_is_valid(end + 1);
}

gboolean
smtp_mailbox_split(const char *mailbox, char **local_r, char **domain_r)
{
	const char *at = strrchr(mailbox, '@');
	if (at == NULL)
		return FALSE;
	*local_r = g_strndup(mailbox, (gsize)(at - mailbox));
	*domain_r = g_strdup(at + 1);
	return TRUE;
}

gboolean
smtp_parse_number(const char *s, guint64 *value_r)
{
	guint64 v = 0;
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++) {
		if (!g_ascii_isdigit(*s))
			return FALSE;
		guint d = (guint)(*s - '0');
		if (v > (G_MAXUINT64 - d) / 10)
			return FALSE;
		v = v * 10 + d;
	}
	*value_r = v;
	return TRUE;
}

/* --- Command lines --- */

static void
param_clear(gpointer p)
{
	SmtpParam *param = p;
	g_free(param->keyword);
	g_free(param->value);
}

void
smtp_command_free(SmtpCommand *cmd)
{
	if (cmd == NULL)
		return;
	g_free(cmd->verb);
	g_free(cmd->args);
	g_free(cmd->path);
	g_array_unref(cmd->params);
	g_free(cmd);
}

const SmtpParam *
smtp_command_param(const SmtpCommand *cmd, const char *keyword)
{
	for (guint i = 0; i < cmd->params->len; i++) {
		const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, i);
		if (g_ascii_strcasecmp(p->keyword, keyword) == 0)
			return p;
	}
	return NULL;
}

static gboolean
syntax_error(SmtpCommand *cmd, const char *why)
{
	cmd->result = SMTP_PARSE_SYNTAX;
	cmd->error = why;
	return FALSE;
}

/* esmtp-param = esmtp-keyword ["=" esmtp-value] (RFC 5321 §4.1.2) */
static gboolean
parse_params(SmtpCommand *cmd, const char *s)
{
	for (;;) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			return TRUE;
		const char *kw = s;
		if (!g_ascii_isalnum(*s))
			return syntax_error(cmd,
			                    N_("a parameter must start with a letter or digit"));
		while (g_ascii_isalnum(*s) || *s == '-')
			s++;
		SmtpParam param = {.keyword = g_strndup(kw, (gsize)(s - kw))};
		if (*s == '=') {
			const char *v = ++s;
			/* esmtp-value = 1*(%d33-60 / %d62-126); UTF-8 allowed by RFC 6531 */
			while ((*s >= 33 && *s <= 126 && *s != '=') || (guchar)*s >= 0x80)
				s++;
			if (s == v) {
				g_free(param.keyword);
				return syntax_error(cmd, N_("a parameter value is empty"));
			}
			param.value = g_strndup(v, (gsize)(s - v));
		}
		g_array_append_val(cmd->params, param);
		if (*s != ' ' && *s != '\0')
			return syntax_error(cmd, N_("parameters are keyword=value separated by "
			                            "spaces"));
	}
}

/* Path = "<" [ A-d-l ":" ] Mailbox ">", or "<>" for MAIL. */
static gboolean
parse_path(SmtpCommand *cmd, const char *s)
{
	while (*s == ' ')
		s++; /* "MAIL FROM: <a@b>" is common; RFC 5321 does not allow it, Postfix does */
	if (*s != '<')
		return syntax_error(cmd, N_("the address must be written between < and >"));
	const char *open = s + 1;
	const char *p = open;
	gboolean quoted = FALSE;
	for (; *p != '\0'; p++) {
		if (quoted && *p == '\\' && p[1] != '\0')
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '>')
			break;
	}
	if (*p != '>')
		return syntax_error(cmd, N_("the closing > of the address is missing"));
	g_autofree char *inside = g_strndup(open, (gsize)(p - open));
	const char *mailbox = inside;
	if (*mailbox == '@') {
		/* A source route "@relay1,@relay2:" is obsolete and ignored (RFC 5321 §4.1.1.3) */
		const char *colon = strchr(mailbox, ':');
		if (colon == NULL)
			return syntax_error(cmd, N_("a source route must end with a colon"));
		mailbox = colon + 1;
	}
	if (*mailbox == '\0') {
		if (cmd->info->id == SMTP_CMD_RCPT)
			return syntax_error(cmd, N_("RCPT needs a recipient address"));
	} else if (!smtp_mailbox_is_valid(mailbox) &&
	           !(cmd->info->id == SMTP_CMD_RCPT &&
	             g_ascii_strcasecmp(mailbox, "postmaster") == 0)) {
		return syntax_error(cmd, N_("the address is not a valid mailbox "
		                            "(local-part@domain)"));
	}
	cmd->path = g_strdup(mailbox);
	p++;
	if (*p != '\0' && *p != ' ')
		return syntax_error(cmd, N_("a space must separate the address from the "
		                            "parameters"));
	return parse_params(cmd, p);
}

SmtpCommand *
smtp_command_parse(const char *line, gsize len)
{
	SmtpCommand *cmd = g_new0(SmtpCommand, 1);
	cmd->params = g_array_new(FALSE, TRUE, sizeof(SmtpParam));
	g_array_set_clear_func(cmd->params, param_clear);

	/* Servers SHOULD tolerate trailing white space (RFC 5321 §4.1.1). */
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	gsize vlen = 0;
	while (vlen < len && line[vlen] != ' ')
		vlen++;
	cmd->verb = g_strndup(line, vlen);
	if (strlen(cmd->verb) != vlen) /* a NUL inside the verb */
		vlen = 0;
	cmd->info = vlen > 0 ? smtp_command_lookup(line, vlen) : NULL;
	if (cmd->info == NULL) {
		cmd->result = SMTP_PARSE_UNKNOWN;
		return cmd;
	}
	gsize a = vlen;
	while (a < len && line[a] == ' ')
		a++;
	if (a < len) {
		cmd->args = g_strndup(line + a, len - a);
		if (strlen(cmd->args) != len - a) {
			syntax_error(cmd, N_("the line contains a NUL octet"));
			return cmd;
		}
	}

	cmd->result = SMTP_PARSE_OK;
	switch (cmd->info->args) {
	case SMTP_ARGS_NONE:
		if (cmd->args != NULL)
			syntax_error(cmd, N_("this command takes no argument"));
		break;
	case SMTP_ARGS_OPTIONAL:
		break;
	case SMTP_ARGS_REQUIRED:
		if (cmd->args == NULL)
			syntax_error(cmd, N_("this command needs an argument"));
		break;
	case SMTP_ARGS_PATH: {
		gsize plen = strlen(cmd->info->prefix);
		if (cmd->args == NULL || g_ascii_strncasecmp(cmd->args, cmd->info->prefix, plen))
			syntax_error(cmd, cmd->info->id == SMTP_CMD_RCPT
			                      ? N_("the syntax is RCPT TO:<address>")
			                      : N_("the syntax is MAIL FROM:<address>"));
		else
			parse_path(cmd, cmd->args + plen);
		break;
	}
	}
	return cmd;
}

/* --- Reply lines --- */

static gboolean
parse_enhanced(const char *s, gsize len, guint want_class, SmtpReplyLine *r, gsize *used_r)
{
	guint parts[3];
	gsize i = 0;
	for (guint k = 0; k < 3; k++) {
		guint v = 0;
		gsize start = i;
		while (i < len && g_ascii_isdigit(s[i]) && i - start < 3)
			v = v * 10 + (guint)(s[i++] - '0');
		if (i == start || (k == 0 && i - start != 1))
			return FALSE;
		if (i < len && g_ascii_isdigit(s[i]))
			return FALSE; /* more than three digits */
		parts[k] = v;
		if (k < 2) {
			if (i >= len || s[i] != '.')
				return FALSE;
			i++;
		}
	}
	if (i < len && s[i] != ' ')
		return FALSE;
	if (parts[0] != want_class)
		return FALSE;
	r->has_enhanced = TRUE;
	r->enh_class = parts[0];
	r->enh_subject = parts[1];
	r->enh_detail = parts[2];
	*used_r = i < len ? i + 1 : i;
	return TRUE;
}

gboolean
smtp_reply_parse_line(const char *line, gsize len, SmtpReplyLine *reply_r)
{
	if (len < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '5' ||
	    !g_ascii_isdigit(line[2]))
		return FALSE;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return FALSE;
	SmtpReplyLine r = {
	    .code = (guint)((line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0')),
	    .last = len == 3 || line[3] == ' ',
	};
	const char *text = len > 3 ? line + 4 : line + 3;
	gsize tlen = len > 3 ? len - 4 : 0;
	gsize used = 0;
	if (parse_enhanced(text, tlen, r.code / 100, &r, &used)) {
		text += used;
		tlen -= used;
	}
	r.text = text;
	r.text_len = tlen;
	*reply_r = r;
	return TRUE;
}

/* --- Reply codes (RFC 5321 §4.2 and the extensions' own) --- */

const SmtpReplyInfo smtp_reply_table[] = {
    {211, "RFC 5321 §4.2.2", N_("System status, or system help reply"),
     N_("An answer about the server's status or a help request; rarely seen.")},
    {214, "RFC 5321 §4.2.2", N_("Help message"),
     N_("Text for a human reading the session, for example the answer to HELP.")},
    {220, "RFC 5321 §4.2.2", N_("Service ready"),
     N_("The greeting: the server names itself and waits for EHLO. After STARTTLS "
        "(RFC 3207) it invites the client to start the TLS handshake.")},
    {221, "RFC 5321 §4.2.2", N_("Service closing transmission channel"),
     N_("The goodbye after QUIT; the server then closes the connection.")},
    {235, "RFC 4954 §6", N_("Authentication successful"),
     N_("AUTH worked: for the rest of the session the server knows who the client "
        "is.")},
    {250, "RFC 5321 §4.2.2", N_("Requested mail action okay, completed"),
     N_("The command was accepted. After EHLO its lines list the extensions; after "
        "the final dot of DATA it means the server now takes responsibility for "
        "the message.")},
    {251, "RFC 5321 §3.4", N_("User not local; will forward"),
     N_("The recipient is accepted and the server will forward the message "
        "elsewhere. (ETRN, RFC 1985, uses 251 for “no messages waiting”.)")},
    {252, "RFC 5321 §3.5.3", N_("Cannot VRFY user, but will accept message and attempt delivery"),
     N_("The usual answer to VRFY today: servers do not say whether a mailbox "
        "exists, so as not to help spammers collect addresses.")},
    {253, "RFC 1985 §5", N_("Pending messages for node started"),
     N_("The answer to ETRN when the server starts delivering the queued "
        "messages; the text gives how many.")},
    {334, "RFC 4954 §4", N_("Server challenge"),
     N_("AUTH goes on: the text is a base64 challenge and the client answers with "
        "one base64 line. For LOGIN the challenges decode to “Username:” and "
        "“Password:”.")},
    {354, "RFC 5321 §4.2.2", N_("Start mail input; end with <CRLF>.<CRLF>"),
     N_("After DATA: the client now sends the message, header and body, and ends "
        "it with a line holding only a dot.")},
    {421, "RFC 5321 §4.2.2", N_("Service not available, closing transmission channel"),
     N_("The server is leaving (shutting down, idle too long, too many "
        "connections) and closes the connection; the client should try again "
        "later.")},
    {432, "RFC 4954 §6", N_("A password transition is needed"),
     N_("The user must first authenticate once with a plain mechanism so that the "
        "server can set up a stronger one.")},
    {450, "RFC 5321 §4.2.2", N_("Requested mail action not taken: mailbox unavailable"),
     N_("Temporary: the mailbox is busy or blocked for now (greylisting uses this); "
        "try again later.")},
    {451, "RFC 5321 §4.2.2", N_("Requested action aborted: local error in processing"),
     N_("Temporary failure inside the server, such as a disk or lookup error; the "
        "client retries later.")},
    {452, "RFC 5321 §4.2.2", N_("Requested action not taken: insufficient system storage"),
     N_("Temporary: no room. After RCPT it also means “too many recipients”: the "
        "client sends the others in a later transaction (RFC 5321 "
        "§4.5.3.1.10).")},
    {454, "RFC 4954 §6", N_("Temporary authentication failure"),
     N_("Authentication could not be checked right now (for STARTTLS, RFC 3207: "
        "TLS not available for now); try again later.")},
    {455, "RFC 5321 §4.2.2", N_("Server unable to accommodate parameters"),
     N_("Temporary: the server cannot honour the MAIL or RCPT parameters now.")},
    {458, "RFC 1985 §5", N_("Unable to queue messages for node"),
     N_("ETRN could not start the delivery of the queued messages.")},
    {459, "RFC 1985 §5", N_("Node not allowed"), N_("ETRN was refused for this domain.")},
    {500, "RFC 5321 §4.2.2", N_("Syntax error, command unrecognized"),
     N_("The server does not know this command, or the line was too long. In AUTH "
        "it means the base64 line was too long (RFC 4954).")},
    {501, "RFC 5321 §4.2.2", N_("Syntax error in parameters or arguments"),
     N_("The command is known but its arguments are malformed, for example MAIL FROM "
        "without the angle brackets around the address.")},
    {502, "RFC 5321 §4.2.4", N_("Command not implemented"),
     N_("A real SMTP command that this server chose not to offer (EXPN is often "
        "turned off).")},
    {503, "RFC 5321 §4.2.2", N_("Bad sequence of commands"),
     N_("The command is valid but not now: RCPT before MAIL, DATA before any "
        "accepted RCPT, MAIL inside a transaction, AUTH twice.")},
    {504, "RFC 5321 §4.2.2", N_("Command parameter not implemented"),
     N_("The command is known but not with this parameter, for example an AUTH "
        "mechanism the server does not offer.")},
    {521, "RFC 7504 §3", N_("Host does not accept mail"),
     N_("This server never accepts mail (a greeting or a reply to any command).")},
    {530, "RFC 4954 §6", N_("Authentication required"),
     N_("The server wants AUTH before it accepts this command (or STARTTLS first, "
        "RFC 3207).")},
    {534, "RFC 4954 §6", N_("Authentication mechanism is too weak"),
     N_("The server refuses this mechanism for this user; a stronger one is "
        "needed.")},
    {535, "RFC 4954 §6", N_("Authentication credentials invalid"),
     N_("Wrong user name or password: the authentication failed.")},
    {538, "RFC 4954 §6", N_("Encryption required for requested authentication mechanism"),
     N_("This mechanism is only allowed on an encrypted connection: use STARTTLS "
        "first.")},
    {550, "RFC 5321 §4.2.2", N_("Requested action not taken: mailbox unavailable"),
     N_("Permanent: no such mailbox, or refused by policy, such as relaying denied. "
        "The enhanced code (5.1.1, 5.7.1) tells which.")},
    {551, "RFC 5321 §3.4", N_("User not local; please try another path"),
     N_("The recipient is not here; the text may give the address to use "
        "instead.")},
    {552, "RFC 5321 §4.2.2", N_("Requested mail action aborted: exceeded storage allocation"),
     N_("Permanent: the message is too big for this server (see SIZE) or the "
        "mailbox is full.")},
    {553, "RFC 5321 §4.2.2", N_("Requested action not taken: mailbox name not allowed"),
     N_("The address is not acceptable, for example because of its syntax.")},
    {554, "RFC 5321 §4.2.2", N_("Transaction failed"),
     N_("Permanent failure of the transaction, for example DATA when every "
        "recipient was refused (“no valid recipients”), or a refused message. As a "
        "greeting: “no SMTP service here”.")},
    {555, "RFC 5321 §4.2.2", N_("MAIL FROM/RCPT TO parameters not recognized or not implemented"),
     N_("A parameter after the address is unknown to this server or was not "
        "announced in its EHLO reply.")},
    {556, "RFC 7504 §3", N_("Domain does not accept mail"),
     N_("The recipient's domain says it accepts no mail at all (a null MX, RFC "
        "7505).")},
};
const gsize smtp_reply_table_len = G_N_ELEMENTS(smtp_reply_table);

const SmtpReplyInfo *
smtp_reply_lookup(guint code)
{
	for (gsize i = 0; i < smtp_reply_table_len; i++) {
		if (smtp_reply_table[i].code == code)
			return &smtp_reply_table[i];
	}
	return NULL;
}

const char *
smtp_reply_digit_explain(guint code, guint position)
{
	if (position == 0) {
		switch (code / 100) {
		case 2:
			return N_("2yz, positive completion: the action is done.");
		case 3:
			return N_("3yz, positive intermediate: accepted so far; the server "
			          "waits for more (the message after DATA, the next step of "
			          "AUTH).");
		case 4:
			return N_("4yz, transient negative: not done this time, but trying "
			          "again later may work.");
		case 5:
			return N_("5yz, permanent negative: not done, and the same request "
			          "will fail again.");
		}
		return NULL;
	}
	if (position == 1) {
		switch ((code / 10) % 10) {
		case 0:
			return N_("x0z, syntax: about the form of the command.");
		case 1:
			return N_("x1z, information: status or help.");
		case 2:
			return N_("x2z, connections: about the transmission channel.");
		case 3:
			return N_("x3z: left unspecified by RFC 5321; RFC 4954 uses it for "
			          "authentication (235, 334, 535).");
		case 5:
			return N_("x5z, mail system: about the receiver's mail system and "
			          "the requested transfer.");
		}
	}
	return NULL;
}

/* --- Enhanced status codes --- */

const SmtpEnhancedPart smtp_enhanced_class_table[] = {
    {2, "RFC 3463 §2", N_("Success"), N_("Class 2: the action succeeded.")},
    {4, "RFC 3463 §2", N_("Persistent transient failure"),
     N_("Class 4: the message itself is fine, but something temporary stopped it; "
        "sending it again later may succeed.")},
    {5, "RFC 3463 §2", N_("Permanent failure"),
     N_("Class 5: sending the same message again will fail until something is "
        "changed.")},
};
const gsize smtp_enhanced_class_table_len = G_N_ELEMENTS(smtp_enhanced_class_table);

const SmtpEnhancedPart smtp_enhanced_subject_table[] = {
    {0, "RFC 3463 §2", N_("Other or undefined status"),
     N_("Subject 0: no more precise category applies.")},
    {1, "RFC 3463 §2", N_("Addressing status"),
     N_("Subject 1: about the sender's or a recipient's address.")},
    {2, "RFC 3463 §2", N_("Mailbox status"),
     N_("Subject 2: about the recipient's mailbox (disabled, full).")},
    {3, "RFC 3463 §2", N_("Mail system status"),
     N_("Subject 3: about the receiving mail system as a whole.")},
    {4, "RFC 3463 §2", N_("Network and routing status"),
     N_("Subject 4: about the network or the routing of the message.")},
    {5, "RFC 3463 §2", N_("Mail delivery protocol status"),
     N_("Subject 5: about the SMTP dialogue itself: command, syntax, order.")},
    {6, "RFC 3463 §2", N_("Message content or media status"),
     N_("Subject 6: about the content of the message (media, conversions).")},
    {7, "RFC 3463 §2", N_("Security or policy status"),
     N_("Subject 7: about security and policy: authentication, relaying, "
        "permissions.")},
};
const gsize smtp_enhanced_subject_table_len = G_N_ELEMENTS(smtp_enhanced_subject_table);

const SmtpEnhancedInfo smtp_enhanced_table[] = {
    {0, 0, "RFC 3463 §3.1", N_("Other undefined status"),
     N_("Nothing more precise to say: with class 2, a plain success (2.0.0 Ok).")},
    {1, 0, "RFC 3463 §3.2", N_("Other address status"),
     N_("About an address; with class 2 after MAIL, the sender is accepted "
        "(2.1.0).")},
    {1, 1, "RFC 3463 §3.2", N_("Bad destination mailbox address"),
     N_("The mailbox does not exist: the part before the @ is unknown here "
        "(5.1.1 user unknown).")},
    {1, 2, "RFC 3463 §3.2", N_("Bad destination system address"),
     N_("The part after the @ is not a system that accepts mail.")},
    {1, 3, "RFC 3463 §3.2", N_("Bad destination mailbox address syntax"),
     N_("The recipient address is malformed.")},
    {1, 4, "RFC 3463 §3.2", N_("Destination mailbox address ambiguous"),
     N_("The address matches several mailboxes.")},
    {1, 5, "RFC 3463 §3.2", N_("Destination address valid"),
     N_("The recipient is accepted (2.1.5 after RCPT).")},
    {1, 6, "RFC 3463 §3.2", N_("Destination mailbox has moved, no forwarding address"),
     N_("The mailbox existed but has moved; no new address is known.")},
    {1, 7, "RFC 3463 §3.2", N_("Bad sender's mailbox address syntax"),
     N_("The sender address of MAIL FROM is malformed.")},
    {1, 8, "RFC 3463 §3.2", N_("Bad sender's system address"),
     N_("The sender's domain does not exist or cannot receive replies.")},
    {1, 10, "RFC 7505 §4.2", N_("Recipient address has null MX"),
     N_("The recipient's domain publishes a null MX: it accepts no mail.")},
    {2, 0, "RFC 3463 §3.3", N_("Other or undefined mailbox status"),
     N_("The mailbox exists, but something about it prevents delivery.")},
    {2, 1, "RFC 3463 §3.3", N_("Mailbox disabled, not accepting messages"),
     N_("The mailbox exists but accepts nothing for now.")},
    {2, 2, "RFC 3463 §3.3", N_("Mailbox full"),
     N_("The recipient's mailbox has reached its quota.")},
    {2, 3, "RFC 3463 §3.3", N_("Message length exceeds administrative limit"),
     N_("The message is larger than this mailbox allows.")},
    {2, 4, "RFC 3463 §3.3", N_("Mailing list expansion problem"),
     N_("The address is a list that could not be expanded.")},
    {3, 0, "RFC 3463 §3.4", N_("Other or undefined mail system status"),
     N_("The receiving system has a problem not covered by another code.")},
    {3, 1, "RFC 3463 §3.4", N_("Mail system full"), N_("The receiving system has no room left.")},
    {3, 2, "RFC 3463 §3.4", N_("System not accepting network messages"),
     N_("The system is shutting down or otherwise not accepting mail.")},
    {3, 3, "RFC 3463 §3.4", N_("System not capable of selected features"),
     N_("The message asks for a feature this system does not have.")},
    {3, 4, "RFC 3463 §3.4", N_("Message too big for system"),
     N_("The message is larger than this server accepts (see the SIZE "
        "extension).")},
    {3, 5, "RFC 3463 §3.4", N_("System incorrectly configured"),
     N_("A configuration error on the receiving side.")},
    {4, 0, "RFC 3463 §3.5", N_("Other or undefined network or routing status"),
     N_("A network or routing problem not covered by another code.")},
    {4, 1, "RFC 3463 §3.5", N_("No answer from host"), N_("The next server did not answer.")},
    {4, 2, "RFC 3463 §3.5", N_("Bad connection"),
     N_("The connection was made but failed; also used by a server closing an "
        "idle connection (4.4.2).")},
    {4, 3, "RFC 3463 §3.5", N_("Directory server failure"),
     N_("A lookup service (such as DNS) failed.")},
    {4, 4, "RFC 3463 §3.5", N_("Unable to route"),
     N_("No route to the destination could be found.")},
    {4, 5, "RFC 3463 §3.5", N_("Mail system congestion"),
     N_("The system is overloaded; try later.")},
    {4, 6, "RFC 3463 §3.5", N_("Routing loop detected"),
     N_("The message went round in circles (too many Received: headers).")},
    {4, 7, "RFC 3463 §3.5", N_("Delivery time expired"),
     N_("The message stayed in the queue too long and was given up.")},
    {5, 0, "RFC 3463 §3.6", N_("Other or undefined protocol status"),
     N_("A protocol problem not covered by another code.")},
    {5, 1, "RFC 3463 §3.6", N_("Invalid command"),
     N_("The command is not valid here, or not in this order (503).")},
    {5, 2, "RFC 3463 §3.6", N_("Syntax error"),
     N_("The command is not recognised or is malformed (500).")},
    {5, 3, "RFC 3463 §3.6", N_("Too many recipients"),
     N_("More recipients than the server accepts for one message; send the rest in "
        "another transaction.")},
    {5, 4, "RFC 3463 §3.6", N_("Invalid command arguments"),
     N_("The command is known but its arguments are not valid (501, 555).")},
    {5, 5, "RFC 3463 §3.6", N_("Wrong protocol version"),
     N_("The two sides do not speak compatible versions of the protocol.")},
    {5, 6, "RFC 4954 §6", N_("Authentication exchange line is too long"),
     N_("A base64 line of AUTH was longer than the server accepts.")},
    {6, 0, "RFC 3463 §3.7", N_("Other or undefined media error"),
     N_("Something in the message content prevents delivery.")},
    {6, 1, "RFC 3463 §3.7", N_("Media not supported"),
     N_("The content type of the message is not supported here.")},
    {6, 2, "RFC 3463 §3.7", N_("Conversion required and prohibited"),
     N_("The content would need converting, but conversion is not allowed.")},
    {6, 3, "RFC 3463 §3.7", N_("Conversion required but not supported"),
     N_("The content would need converting and this system cannot do it.")},
    {6, 4, "RFC 3463 §3.7", N_("Conversion with loss performed"),
     N_("The message was converted and something was lost in the process.")},
    {6, 5, "RFC 3463 §3.7", N_("Conversion failed"),
     N_("A needed conversion of the content failed.")},
    {6, 7, "RFC 6531 §3.5", N_("Non-ASCII addresses not permitted"),
     N_("An address uses UTF-8 but the other side does not support SMTPUTF8.")},
    {7, 0, "RFC 3463 §3.8", N_("Other or undefined security status"),
     N_("A security matter; RFC 4954 uses 2.7.0 for a successful AUTH and 5.7.0 for "
        "“authentication required”.")},
    {7, 1, "RFC 3463 §3.8", N_("Delivery not authorized, message refused"),
     N_("The sender is not allowed to send this: for example relaying to another "
        "domain is denied to clients that have not authenticated.")},
    {7, 2, "RFC 3463 §3.8", N_("Mailing list expansion prohibited"),
     N_("The sender may not send to this list.")},
    {7, 3, "RFC 3463 §3.8", N_("Security conversion required but not possible"),
     N_("The security settings require a conversion that cannot be done.")},
    {7, 4, "RFC 3463 §3.8", N_("Security features not supported"),
     N_("The message asks for security features this system lacks.")},
    {7, 5, "RFC 3463 §3.8", N_("Cryptographic failure"),
     N_("A signature or decryption check failed.")},
    {7, 6, "RFC 3463 §3.8", N_("Cryptographic algorithm not supported"),
     N_("The message uses an algorithm this system does not support.")},
    {7, 7, "RFC 3463 §3.8", N_("Message integrity failure"),
     N_("The message was changed on the way (a check failed).")},
    {7, 8, "RFC 4954 §6", N_("Authentication credentials invalid"),
     N_("Wrong user name or password (535 5.7.8).")},
    {7, 9, "RFC 4954 §6", N_("Authentication mechanism is too weak"),
     N_("The chosen AUTH mechanism is not accepted for this user.")},
    {7, 11, "RFC 4954 §6", N_("Encryption required for requested authentication mechanism"),
     N_("This AUTH mechanism needs an encrypted connection (STARTTLS).")},
    {7, 12, "RFC 4954 §6", N_("A password transition is needed"),
     N_("The user must first authenticate with a plain mechanism once.")},
    {7, 13, "RFC 5248 §2.3", N_("User account disabled"),
     N_("The account exists but is disabled.")},
    {7, 14, "RFC 5248 §2.3", N_("Trust relationship required"),
     N_("The server only accepts this from systems it trusts.")},
};
const gsize smtp_enhanced_table_len = G_N_ELEMENTS(smtp_enhanced_table);

const SmtpEnhancedPart *
smtp_enhanced_class_lookup(guint enh_class)
{
	for (gsize i = 0; i < smtp_enhanced_class_table_len; i++) {
		if (smtp_enhanced_class_table[i].value == enh_class)
			return &smtp_enhanced_class_table[i];
	}
	return NULL;
}

const SmtpEnhancedPart *
smtp_enhanced_subject_lookup(guint subject)
{
	for (gsize i = 0; i < smtp_enhanced_subject_table_len; i++) {
		if (smtp_enhanced_subject_table[i].value == subject)
			return &smtp_enhanced_subject_table[i];
	}
	return NULL;
}

const SmtpEnhancedInfo *
smtp_enhanced_lookup(guint subject, guint detail)
{
	for (gsize i = 0; i < smtp_enhanced_table_len; i++) {
		if (smtp_enhanced_table[i].subject == subject &&
		    smtp_enhanced_table[i].detail == detail)
			return &smtp_enhanced_table[i];
	}
	return NULL;
}

/* --- EHLO keywords --- */

const SmtpExtensionInfo smtp_extension_table[] = {
    {"PIPELINING", "RFC 2920",
     N_("The client may send several commands without waiting for each reply; the "
        "server answers them in order.")},
    {"SIZE", "RFC 1870",
     N_("The largest message the server accepts, in octets; the client may announce "
        "its message's size with MAIL FROM:<…> SIZE=n.")},
    {"8BITMIME", "RFC 6152",
     N_("The body may contain octets above 127 (BODY=8BITMIME), such as UTF-8 text "
        "not encoded in quoted-printable or base64.")},
    {"ENHANCEDSTATUSCODES", "RFC 2034",
     N_("Replies carry a code class.subject.detail (RFC 3463) after the three "
        "digits, such as 5.1.1 for an unknown user.")},
    {"AUTH", "RFC 4954 §3",
     N_("Authentication is offered, with the SASL mechanisms listed (PLAIN, LOGIN…). "
        "Old servers also print “AUTH=…” for old Outlook clients.")},
    {"HELP", "RFC 5321 §4.1.1.8", N_("The server answers the HELP command.")},
    {"STARTTLS", "RFC 3207",
     N_("The connection can be switched to TLS with the STARTTLS command.")},
    {"CHUNKING", "RFC 3030",
     N_("The message may be sent with BDAT in counted chunks instead of DATA.")},
    {"BINARYMIME", "RFC 3030", N_("The body may be raw binary (BODY=BINARYMIME), sent with BDAT.")},
    {"DSN", "RFC 3461",
     N_("Delivery status notifications can be requested with NOTIFY, RET, ENVID and "
        "ORCPT.")},
    {"SMTPUTF8", "RFC 6531",
     N_("Addresses and headers may be in UTF-8 (internationalised email).")},
    {"VRFY", "RFC 5321 §3.5", N_("The server answers the VRFY command.")},
    {"EXPN", "RFC 5321 §3.5", N_("The server answers the EXPN command.")},
    {"ETRN", "RFC 1985", N_("A client may ask, with ETRN, for the mail queued for its domain.")},
    {"DELIVERBY", "RFC 2852", N_("A delivery deadline may be set with MAIL FROM:<…> BY=….")},
    {"REQUIRETLS", "RFC 8689",
     N_("A sender may require TLS on every hop with MAIL FROM:<…> REQUIRETLS.")},
    {"MT-PRIORITY", "RFC 6710", N_("Messages may carry a transfer priority.")},
    {"FUTURERELEASE", "RFC 4865",
     N_("A message may be held until a later date (HOLDFOR, HOLDUNTIL).")},
    {"BURL", "RFC 4468",
     N_("The message may be fetched by the server from an IMAP URL instead of being "
        "sent.")},
    {"NO-SOLICITING", "RFC 3865", N_("The server lists keywords of solicitations it refuses.")},
    {"LIMITS", "RFC 9422",
     N_("The server announces its limits, such as recipients per transaction.")},
    {"ATRN", "RFC 2645",
     N_("Authenticated TURN: the roles are swapped after AUTH (On-Demand Mail "
        "Relay).")},
};
const gsize smtp_extension_table_len = G_N_ELEMENTS(smtp_extension_table);

const SmtpExtensionInfo *
smtp_extension_lookup(const char *text, gsize len, const char **params_r)
{
	gsize k = 0;
	while (k < len && text[k] != ' ' && text[k] != '=')
		k++;
	if (params_r != NULL)
		*params_r = k < len ? text + k + 1 : text + len;
	for (gsize i = 0; i < smtp_extension_table_len; i++) {
		const char *kw = smtp_extension_table[i].keyword;
		if (strlen(kw) == k && g_ascii_strncasecmp(kw, text, k) == 0)
			return &smtp_extension_table[i];
	}
	return NULL;
}

/* --- SASL --- */

const SmtpSaslInfo smtp_sasl_table[] = {
    {"PLAIN", "RFC 4616",
     N_("User name and password in one base64 string; base64 is an encoding, not "
        "encryption, so the password is readable on the wire.")},
    {"LOGIN", "draft-murchison-sasl-login",
     N_("User name and password in two base64 steps, after the challenges "
        "“Username:” and “Password:”; just as readable as PLAIN.")},
    {"CRAM-MD5", "RFC 2195",
     N_("The server sends a challenge, the client answers with an HMAC-MD5 of it: "
        "the password itself does not travel.")},
    {"DIGEST-MD5", "RFC 2831", N_("A digest challenge-response, declared historic by RFC 6331.")},
    {"SCRAM-SHA-1", "RFC 5802",
     N_("A salted challenge-response: the password does not travel and the server "
        "does not store it in clear.")},
    {"SCRAM-SHA-256", "RFC 7677", N_("SCRAM with SHA-256 instead of SHA-1.")},
    {"EXTERNAL", "RFC 4422 appendix A",
     N_("The identity is already known from outside, such as a TLS client "
        "certificate.")},
    {"ANONYMOUS", "RFC 4505", N_("Access without an account.")},
    {"GSSAPI", "RFC 4752", N_("Kerberos tickets.")},
    {"OAUTHBEARER", "RFC 7628", N_("An OAuth 2.0 access token instead of a password.")},
};
const gsize smtp_sasl_table_len = G_N_ELEMENTS(smtp_sasl_table);

const SmtpSaslInfo *
smtp_sasl_lookup(const char *mechanism)
{
	for (gsize i = 0; i < smtp_sasl_table_len; i++) {
		if (g_ascii_strcasecmp(smtp_sasl_table[i].name, mechanism) == 0)
			return &smtp_sasl_table[i];
	}
	return NULL;
}

static gboolean
is_base64(const char *s, gsize len)
{
	if (len % 4 != 0)
		return FALSE;
	gsize pad = 0;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)s[i];
		if (c == '=') {
			pad++;
		} else if (pad > 0 || !(g_ascii_isalnum(c) || c == '+' || c == '/')) {
			return FALSE;
		}
	}
	return pad <= 2;
}

guint8 *
smtp_auth_decode_base64(const char *b64, gsize len, gsize *len_r)
{
	if (!is_base64(b64, len))
		return NULL;
	/* g_base64_decode wants a NUL-terminated string; decode at most len. */
	g_autofree char *copy = g_strndup(b64, len);
	gsize out_len = 0;
	guint8 *out = len > 0 ? g_base64_decode(copy, &out_len) : g_new0(guint8, 1);
	guint8 *res = g_realloc(out, out_len + 1);
	res[out_len] = '\0';
	*len_r = out_len;
	return res;
}

char *
smtp_auth_decode_text(const char *b64, gsize len)
{
	gsize n;
	g_autofree guint8 *raw = smtp_auth_decode_base64(b64, len, &n);
	if (raw == NULL || memchr(raw, '\0', n) != NULL || !g_utf8_validate((char *)raw, n, NULL))
		return NULL;
	return (char *)g_steal_pointer(&raw);
}

gboolean
smtp_auth_decode_plain(const char *b64, gsize len, char **authzid_r, char **user_r,
                       char **password_r)
{
	gsize n;
	g_autofree guint8 *raw = smtp_auth_decode_base64(b64, len, &n);
	if (raw == NULL)
		return FALSE;
	const char *p = (const char *)raw;
	const char *nul1 = memchr(p, '\0', n);
	if (nul1 == NULL)
		return FALSE;
	const char *user = nul1 + 1;
	const char *nul2 = memchr(user, '\0', n - (gsize)(user - p));
	if (nul2 == NULL || nul2 == user)
		return FALSE;
	const char *pass = nul2 + 1;
	gsize pass_len = n - (gsize)(pass - p);
	if (memchr(pass, '\0', pass_len) != NULL || !g_utf8_validate(p, -1, NULL) ||
	    !g_utf8_validate(user, -1, NULL) || !g_utf8_validate(pass, (gssize)pass_len, NULL))
		return FALSE;
	*authzid_r = g_strdup(p);
	*user_r = g_strdup(user);
	*password_r = g_strndup(pass, pass_len);
	return TRUE;
}

char *
smtp_auth_encode_plain(const char *authzid, const char *user, const char *password)
{
	GString *s = g_string_new(authzid != NULL ? authzid : "");
	g_string_append_c(s, '\0');
	g_string_append(s, user);
	g_string_append_c(s, '\0');
	g_string_append(s, password);
	char *b64 = g_base64_encode((const guchar *)s->str, s->len);
	g_string_free(s, TRUE);
	return b64;
}
