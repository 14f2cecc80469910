/* POP3 protocol knowledge: command, response-code and capability tables, the
 * parsers of command and reply lines, and byte-stuffing. Pure: no I/O. */
#include "proto/pop3-proto.h"

#include "core/facteur-i18n.h"

#include <string.h>

#define AUTHZ POP3_STATE_AUTHORIZATION
#define TRANS POP3_STATE_TRANSACTION

const Pop3CommandInfo pop3_command_table[POP3_CMD_N] = {
    [POP3_CMD_USER] =
        {
            .id = POP3_CMD_USER,
            .name = "USER",
            .states = AUTHZ,
            .min_args = 1,
            .max_args = 1,
            .syntax = "USER name",
            .rfc = "RFC 1939 §7",
            .explain = N_("Gives the name of the mailbox to open; PASS follows with the "
                          "password. Both travel in clear text."),
        },
    [POP3_CMD_PASS] =
        {
            .id = POP3_CMD_PASS,
            .name = "PASS",
            .states = AUTHZ,
            .min_args = 1,
            .max_args = 1,
            .rest_is_one_arg = TRUE,
            .syntax = "PASS string",
            .rfc = "RFC 1939 §7",
            .explain = N_("Gives the password, in clear text: anyone who can see the "
                          "connection can read it. If it is right the session enters the "
                          "TRANSACTION state and the maildrop is locked."),
        },
    [POP3_CMD_APOP] =
        {
            .id = POP3_CMD_APOP,
            .name = "APOP",
            .states = AUTHZ,
            .min_args = 2,
            .max_args = 2,
            .syntax = "APOP name digest",
            .rfc = "RFC 1939 §7",
            .explain = N_("Logs in without sending the password: the digest is the MD5 of "
                          "the timestamp in the greeting followed by the password. MD5 is "
                          "weak today, but the idea of a challenge is the point."),
        },
    [POP3_CMD_AUTH] =
        {
            .id = POP3_CMD_AUTH,
            .name = "AUTH",
            .states = AUTHZ,
            .min_args = 0,
            .max_args = 2,
            .multiline = POP3_MULTILINE_SASL,
            .syntax = "AUTH mechanism [initial-response]",
            .rfc = "RFC 5034 §4",
            .explain = N_("Logs in with a SASL mechanism (PLAIN, LOGIN…); the server's "
                          "challenges start with “+ ” and the client answers in base64."),
        },
    [POP3_CMD_STLS] =
        {
            .id = POP3_CMD_STLS,
            .name = "STLS",
            .states = AUTHZ,
            .syntax = "STLS",
            .rfc = "RFC 2595 §4",
            .explain = N_("Switches the connection to TLS before logging in."),
        },
    [POP3_CMD_CAPA] =
        {
            .id = POP3_CMD_CAPA,
            .name = "CAPA",
            .states = AUTHZ | TRANS,
            .multiline = POP3_MULTILINE_ALWAYS,
            .syntax = "CAPA",
            .rfc = "RFC 2449 §5",
            .explain = N_("Asks the server which optional commands and extensions it "
                          "supports; the answer is a list, one capability per line."),
        },
    [POP3_CMD_QUIT] =
        {
            .id = POP3_CMD_QUIT,
            .name = "QUIT",
            .states = AUTHZ | TRANS,
            .syntax = "QUIT",
            .rfc = "RFC 1939 §6",
            .explain = N_("Ends the session. In the TRANSACTION state it enters UPDATE: "
                          "only now are the messages marked by DELE really removed. A "
                          "connection closed without QUIT removes nothing."),
        },
    [POP3_CMD_STAT] =
        {
            .id = POP3_CMD_STAT,
            .name = "STAT",
            .states = TRANS,
            .syntax = "STAT",
            .rfc = "RFC 1939 §5",
            .explain = N_("Asks for the number of messages and their total size in "
                          "octets, leaving out messages marked for deletion."),
        },
    [POP3_CMD_LIST] =
        {
            .id = POP3_CMD_LIST,
            .name = "LIST",
            .states = TRANS,
            .max_args = 1,
            .multiline = POP3_MULTILINE_WITHOUT_ARG,
            .syntax = "LIST [msg]",
            .rfc = "RFC 1939 §5",
            .explain = N_("Gives the size of each message (or of one): “number size”. "
                          "Numbers run from 1 and stay fixed for the whole session."),
        },
    [POP3_CMD_RETR] =
        {
            .id = POP3_CMD_RETR,
            .name = "RETR",
            .states = TRANS,
            .min_args = 1,
            .max_args = 1,
            .multiline = POP3_MULTILINE_ALWAYS,
            .syntax = "RETR msg",
            .rfc = "RFC 1939 §5",
            .explain = N_("Retrieves a whole message. Lines starting with a dot get a "
                          "second dot on the wire; a line holding only a dot ends it."),
        },
    [POP3_CMD_DELE] =
        {
            .id = POP3_CMD_DELE,
            .name = "DELE",
            .states = TRANS,
            .min_args = 1,
            .max_args = 1,
            .syntax = "DELE msg",
            .rfc = "RFC 1939 §5",
            .explain = N_("Marks a message for deletion. Nothing is removed yet: that "
                          "happens at QUIT, and RSET can undo the marks."),
        },
    [POP3_CMD_NOOP] =
        {
            .id = POP3_CMD_NOOP,
            .name = "NOOP",
            .states = TRANS,
            .syntax = "NOOP",
            .rfc = "RFC 1939 §5",
            .explain = N_("Does nothing but get +OK; keeps the connection alive."),
        },
    [POP3_CMD_RSET] =
        {
            .id = POP3_CMD_RSET,
            .name = "RSET",
            .states = TRANS,
            .syntax = "RSET",
            .rfc = "RFC 1939 §5",
            .explain = N_("Unmarks every message marked by DELE in this session."),
        },
    [POP3_CMD_TOP] =
        {
            .id = POP3_CMD_TOP,
            .name = "TOP",
            .states = TRANS,
            .min_args = 2,
            .max_args = 2,
            .multiline = POP3_MULTILINE_ALWAYS,
            .syntax = "TOP msg n",
            .rfc = "RFC 1939 §7",
            .explain = N_("Retrieves the header of a message, the blank line, and the "
                          "first n lines of its body: enough to show a list of messages "
                          "without downloading them."),
        },
    [POP3_CMD_UIDL] =
        {
            .id = POP3_CMD_UIDL,
            .name = "UIDL",
            .states = TRANS,
            .max_args = 1,
            .multiline = POP3_MULTILINE_WITHOUT_ARG,
            .syntax = "UIDL [msg]",
            .rfc = "RFC 1939 §7",
            .explain = N_("Gives each message's unique id, which, unlike its number, "
                          "stays the same from one session to the next: a client that "
                          "“leaves mail on the server” uses it to know what it already has."),
        },
    [POP3_CMD_UTF8] =
        {
            .id = POP3_CMD_UTF8,
            .name = "UTF8",
            .states = AUTHZ,
            .syntax = "UTF8",
            .rfc = "RFC 6856 §2",
            .explain = N_("Asks the server to use UTF-8 in user names, passwords and "
                          "messages."),
        },
    [POP3_CMD_LANG] =
        {
            .id = POP3_CMD_LANG,
            .name = "LANG",
            .states = AUTHZ | TRANS,
            .max_args = 1,
            .multiline = POP3_MULTILINE_WITHOUT_ARG,
            .syntax = "LANG [lang]",
            .rfc = "RFC 6856 §3",
            .explain = N_("Lists the languages of the server's texts, or chooses one."),
        },
};

#undef AUTHZ
#undef TRANS

const Pop3CommandInfo *
pop3_command_lookup(const char *verb, gsize len)
{
	for (gsize i = 0; i < POP3_CMD_N; i++) {
		const char *name = pop3_command_table[i].name;
		if (strlen(name) == len && g_ascii_strncasecmp(name, verb, len) == 0)
			return &pop3_command_table[i];
	}
	return NULL;
}

const char *
pop3_state_name(Pop3State state)
{
	switch (state) {
	case POP3_STATE_AUTHORIZATION:
		return N_("AUTHORIZATION");
	case POP3_STATE_TRANSACTION:
		return N_("TRANSACTION");
	case POP3_STATE_UPDATE:
		return N_("UPDATE");
	}
	return N_("unknown state");
}

gboolean
pop3_command_reply_is_multiline(const Pop3CommandInfo *info, guint n_args)
{
	switch (info->multiline) {
	case POP3_MULTILINE_NEVER:
		return FALSE;
	case POP3_MULTILINE_ALWAYS:
		return TRUE;
	case POP3_MULTILINE_WITHOUT_ARG:
	case POP3_MULTILINE_SASL:
		return n_args == 0;
	}
	return FALSE;
}

/* --- Command lines --- */

void
pop3_command_free(Pop3Command *cmd)
{
	if (cmd == NULL)
		return;
	g_free(cmd->verb);
	for (guint i = 0; i < POP3_MAX_ARGS; i++)
		g_free(cmd->args[i]);
	g_free(cmd);
}

static void
syntax_error(Pop3Command *cmd, const char *why)
{
	cmd->result = POP3_PARSE_SYNTAX;
	cmd->error = why;
}

Pop3Command *
pop3_command_parse(const char *line, gsize len)
{
	Pop3Command *cmd = g_new0(Pop3Command, 1);
	gsize vlen = 0;
	while (vlen < len && line[vlen] != ' ')
		vlen++;
	cmd->verb = g_strndup(line, vlen);
	if (strlen(cmd->verb) != vlen)
		vlen = 0; /* a NUL in the keyword */
	cmd->info = vlen > 0 ? pop3_command_lookup(line, vlen) : NULL;
	if (cmd->info == NULL) {
		cmd->result = POP3_PARSE_UNKNOWN;
		return cmd;
	}
	cmd->result = POP3_PARSE_OK;
	if (memchr(line, '\0', len) != NULL) {
		syntax_error(cmd, N_("the line contains a NUL octet"));
		return cmd;
	}

	if (cmd->info->rest_is_one_arg) {
		/* PASS: the password may hold spaces, so the rest is taken as it is. */
		if (vlen + 1 < len) {
			cmd->args[0] = g_strndup(line + vlen + 1, len - vlen - 1);
			cmd->n_args = 1;
		}
	} else {
		while (len > vlen && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		gsize i = vlen;
		while (i < len) {
			while (i < len && line[i] == ' ')
				i++;
			gsize start = i;
			while (i < len && line[i] != ' ')
				i++;
			if (i == start)
				break;
			if (cmd->n_args == cmd->info->max_args) {
				syntax_error(cmd, cmd->info->max_args == 0
				                      ? N_("this command takes no argument")
				                      : N_("too many arguments"));
				return cmd;
			}
			cmd->args[cmd->n_args++] = g_strndup(line + start, i - start);
		}
	}
	if (cmd->n_args < cmd->info->min_args)
		syntax_error(cmd, N_("an argument is missing"));
	return cmd;
}

gboolean
pop3_parse_number(const char *s, guint *value_r)
{
	guint64 v = 0;
	if (*s == '\0')
		return FALSE;
	for (; *s != '\0'; s++) {
		if (!g_ascii_isdigit(*s))
			return FALSE;
		v = v * 10 + (guint64)(*s - '0');
		if (v > G_MAXUINT)
			return FALSE;
	}
	*value_r = (guint)v;
	return TRUE;
}

/* --- Reply lines --- */

static gboolean
has_prefix_word(const char *line, gsize len, const char *word)
{
	gsize n = strlen(word);
	return len >= n && g_ascii_strncasecmp(line, word, n) == 0 && (len == n || line[n] == ' ');
}

gboolean
pop3_reply_parse_line(const char *line, gsize len, Pop3ReplyLine *reply_r)
{
	Pop3ReplyLine r = {0};
	gsize skip;
	if (has_prefix_word(line, len, "+OK")) {
		r.status = POP3_REPLY_OK;
		skip = 3;
	} else if (has_prefix_word(line, len, "-ERR")) {
		r.status = POP3_REPLY_ERR;
		skip = 4;
	} else if (has_prefix_word(line, len, "+")) {
		r.status = POP3_REPLY_CONTINUATION;
		skip = 1;
	} else {
		return FALSE;
	}
	if (skip < len)
		skip++;
	r.text = line + skip;
	r.text_len = len - skip;
	if (r.status != POP3_REPLY_CONTINUATION && r.text_len > 2 && r.text[0] == '[') {
		/* resp-code = "[" resp-level *("/" resp-level) "]" (RFC 2449 §8) */
		gsize i = 1;
		while (i < r.text_len && r.text[i] > 0x20 && r.text[i] < 0x7f && r.text[i] != ']')
			i++;
		if (i < r.text_len && r.text[i] == ']' && i > 1) {
			r.code = r.text + 1;
			r.code_len = i - 1;
			i++;
			if (i < r.text_len && r.text[i] == ' ')
				i++;
			r.text += i;
			r.text_len -= i;
		}
	}
	*reply_r = r;
	return TRUE;
}

/* --- Response codes --- */

const Pop3RespCodeInfo pop3_resp_code_table[] = {
    {"IN-USE", "RFC 2449 §8.1.1",
     N_("The name and password were right, but the maildrop is already open in "
        "another session, which holds it locked (RFC 1939 §8). Close the other "
        "client and try again.")},
    {"LOGIN-DELAY", "RFC 2449 §8.1.2",
     N_("The user logged in too recently: the server imposes a minimum time "
        "between logins (see the LOGIN-DELAY capability).")},
    {"SYS/TEMP", "RFC 3206 §4",
     N_("A temporary problem on the server, not the user's fault: trying again "
        "later should work.")},
    {"SYS/PERM", "RFC 3206 §4",
     N_("A lasting problem on the server, not the user's fault: trying again will "
        "not help until an administrator acts.")},
    {"AUTH", "RFC 3206 §5",
     N_("The credentials were wrong (user name, password or digest): the user, "
        "not the system, must change something.")},
};
const gsize pop3_resp_code_table_len = G_N_ELEMENTS(pop3_resp_code_table);

const Pop3RespCodeInfo *
pop3_resp_code_lookup(const char *code, gsize len)
{
	for (gsize i = 0; i < pop3_resp_code_table_len; i++) {
		const char *c = pop3_resp_code_table[i].code;
		if (strlen(c) == len && g_ascii_strncasecmp(c, code, len) == 0)
			return &pop3_resp_code_table[i];
	}
	return NULL;
}

/* --- CAPA --- */

const Pop3CapaInfo pop3_capa_table[] = {
    {"TOP", "RFC 2449 §6.1", N_("The TOP command is supported.")},
    {"USER", "RFC 2449 §6.2",
     N_("USER and PASS are accepted: the password travels in clear text.")},
    {"SASL", "RFC 2449 §6.3", N_("AUTH is supported with the SASL mechanisms listed (RFC 5034).")},
    {"RESP-CODES", "RFC 2449 §6.4",
     N_("-ERR replies may carry a code in brackets, such as [IN-USE], that a "
        "program can act on.")},
    {"LOGIN-DELAY", "RFC 2449 §6.5",
     N_("The minimum number of seconds between two logins of the same user.")},
    {"PIPELINING", "RFC 2449 §6.6",
     N_("The client may send several commands without waiting for each reply.")},
    {"EXPIRE", "RFC 2449 §6.7",
     N_("How many days the server keeps a message after it was retrieved; NEVER "
        "means it keeps messages until the client deletes them.")},
    {"UIDL", "RFC 2449 §6.8", N_("The UIDL command is supported.")},
    {"IMPLEMENTATION", "RFC 2449 §6.9",
     N_("The name of the server software, for information only.")},
    {"STLS", "RFC 2595 §4", N_("The connection can be switched to TLS with STLS.")},
    {"AUTH-RESP-CODE", "RFC 3206 §6",
     N_("Failed logins say whether the credentials ([AUTH]) or the system "
        "([SYS/TEMP], [SYS/PERM]) was at fault.")},
    {"UTF8", "RFC 6856 §2", N_("The UTF8 command is supported.")},
    {"LANG", "RFC 6856 §3", N_("The LANG command is supported.")},
};
const gsize pop3_capa_table_len = G_N_ELEMENTS(pop3_capa_table);

const Pop3CapaInfo *
pop3_capa_lookup(const char *line, gsize len, const char **args_r)
{
	gsize k = 0;
	while (k < len && line[k] != ' ')
		k++;
	if (args_r != NULL)
		*args_r = k < len ? line + k + 1 : line + len;
	for (gsize i = 0; i < pop3_capa_table_len; i++) {
		const char *name = pop3_capa_table[i].name;
		if (strlen(name) == k && g_ascii_strncasecmp(name, line, k) == 0)
			return &pop3_capa_table[i];
	}
	return NULL;
}

/* --- Byte-stuffing --- */

void
pop3_stuff_append(GByteArray *out, const guint8 *data, gsize len, gboolean *line_start)
{
	/* A dot after any LF is doubled, bare LF included, so that a reader that
	 * takes LF for a line end cannot see a premature terminator. */
	while (len > 0) {
		if (*line_start && data[0] == '.')
			g_byte_array_append(out, (const guint8 *)".", 1);
		const guint8 *lf = memchr(data, '\n', len);
		gsize n = lf != NULL ? (gsize)(lf - data) + 1 : len;
		g_byte_array_append(out, data, (guint)n);
		*line_start = lf != NULL;
		data += n;
		len -= n;
	}
}

void
pop3_stuff_finish(GByteArray *out, gboolean line_start)
{
	if (!line_start)
		g_byte_array_append(out, (const guint8 *)"\r\n", 2);
	g_byte_array_append(out, (const guint8 *)".\r\n", 3);
}

enum {
	U_LINE_START, /* at the start of a line */
	U_DOT,        /* a '.' began the line */
	U_DOT_CR,     /* ".\r" began the line */
	U_MID,        /* inside a line */
	U_CR,         /* inside a line, after '\r' */
};

void
pop3_unstuffer_init(Pop3Unstuffer *u)
{
	u->state = U_LINE_START;
	u->done = FALSE;
}

static void
put(GByteArray *out, guint8 c)
{
	if (out != NULL)
		g_byte_array_append(out, &c, 1);
}

static guint
after(guint8 c)
{
	return c == '\r' ? U_CR : U_MID;
}

gsize
pop3_unstuffer_feed(Pop3Unstuffer *u, const guint8 *data, gsize len, GByteArray *out)
{
	gsize i = 0;
	while (i < len && !u->done) {
		guint8 c = data[i++];
		switch (u->state) {
		case U_LINE_START:
			if (c == '.') {
				u->state = U_DOT;
			} else {
				put(out, c);
				u->state = after(c);
			}
			break;
		case U_DOT:
			/* The leading dot is dropped whatever follows (RFC 5321 §4.5.2). */
			if (c == '\r') {
				u->state = U_DOT_CR;
			} else {
				put(out, c);
				u->state = after(c);
			}
			break;
		case U_DOT_CR:
			if (c == '\n') {
				u->done = TRUE;
				break;
			}
			put(out, '\r');
			put(out, c);
			u->state = c == '\r' ? U_CR : U_MID;
			break;
		case U_MID:
			put(out, c);
			u->state = after(c);
			break;
		case U_CR:
			put(out, c);
			u->state = c == '\n' ? U_LINE_START : after(c);
			break;
		}
	}
	return i;
}

gboolean
pop3_unstuff_line(const char *line, gsize len, const char **data_r, gsize *len_r)
{
	if (len == 1 && line[0] == '.')
		return TRUE;
	gsize skip = len > 0 && line[0] == '.' ? 1 : 0;
	*data_r = line + skip;
	*len_r = len - skip;
	return FALSE;
}

gsize
pop3_top_length(const guint8 *msg, gsize len, guint body_lines)
{
	gsize pos = 0;
	/* The header ends at the first empty line (RFC 5322 §2.1). */
	for (;;) {
		if (pos >= len)
			return len;
		if (msg[pos] == '\n') {
			pos += 1;
			break;
		}
		if (msg[pos] == '\r' && pos + 1 < len && msg[pos + 1] == '\n') {
			pos += 2;
			break;
		}
		const guint8 *lf = memchr(msg + pos, '\n', len - pos);
		if (lf == NULL)
			return len;
		pos = (gsize)(lf - msg) + 1;
	}
	for (guint k = 0; k < body_lines && pos < len; k++) {
		const guint8 *lf = memchr(msg + pos, '\n', len - pos);
		if (lf == NULL)
			return len;
		pos = (gsize)(lf - msg) + 1;
	}
	return pos;
}
