/* Tests of src/proto/pop3-proto: the tables, the command and reply parsers on
 * good and bad lines (whole, and framed from a stream fed one octet at a
 * time), and byte-stuffing both ways at every split point. Reply lines come
 * from real Dovecot sessions. */
#include "core/line-buffer.h"
#include "proto/pop3-proto.h"

#include <string.h>

static void
assert_text(const char *s)
{
	g_assert_nonnull(s);
	g_assert_cmpuint(strlen(s), >, 10);
}

static void
test_command_table(void)
{
	for (guint i = 0; i < POP3_CMD_N; i++) {
		const Pop3CommandInfo *c = &pop3_command_table[i];
		g_assert_cmpuint(c->id, ==, i);
		g_assert_cmpuint(strlen(c->name), >=, 3);
		g_assert_cmpuint(strlen(c->name), <=, 4);
		g_assert_cmpuint(c->states, !=, 0);
		g_assert_cmpuint(
		    c->states & ~(guint)(POP3_STATE_AUTHORIZATION | POP3_STATE_TRANSACTION), ==, 0);
		g_assert_cmpuint(c->min_args, <=, c->max_args);
		g_assert_cmpuint(c->max_args, <=, POP3_MAX_ARGS);
		g_assert_true(g_str_has_prefix(c->syntax, c->name));
		g_assert_true(g_str_has_prefix(c->rfc, "RFC "));
		assert_text(c->explain);
		g_assert_true(pop3_command_lookup(c->name, strlen(c->name)) == c);
		g_autofree char *lower = g_ascii_strdown(c->name, -1);
		g_assert_true(pop3_command_lookup(lower, strlen(lower)) == c);
	}
	g_assert_null(pop3_command_lookup("XYZZY", 5));
	g_assert_null(pop3_command_lookup("RET", 3));
	for (guint s = POP3_STATE_AUTHORIZATION; s <= POP3_STATE_UPDATE; s <<= 1)
		g_assert_nonnull(pop3_state_name(s));

	/* RFC 1939's states, as the server dispatches on them. */
	static const Pop3CommandId authz[] = {POP3_CMD_USER, POP3_CMD_PASS, POP3_CMD_APOP,
	                                      POP3_CMD_QUIT, POP3_CMD_CAPA};
	static const Pop3CommandId trans[] = {
	    POP3_CMD_STAT, POP3_CMD_LIST, POP3_CMD_RETR, POP3_CMD_DELE, POP3_CMD_NOOP,
	    POP3_CMD_RSET, POP3_CMD_TOP,  POP3_CMD_UIDL, POP3_CMD_QUIT, POP3_CMD_CAPA};
	for (gsize i = 0; i < G_N_ELEMENTS(authz); i++)
		g_assert_true(pop3_command_table[authz[i]].states & POP3_STATE_AUTHORIZATION);
	for (gsize i = 0; i < G_N_ELEMENTS(trans); i++)
		g_assert_true(pop3_command_table[trans[i]].states & POP3_STATE_TRANSACTION);
	g_assert_false(pop3_command_table[POP3_CMD_USER].states & POP3_STATE_TRANSACTION);
	g_assert_false(pop3_command_table[POP3_CMD_RETR].states & POP3_STATE_AUTHORIZATION);

	const Pop3CommandInfo *t = pop3_command_table;
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_LIST], 0));
	g_assert_false(pop3_command_reply_is_multiline(&t[POP3_CMD_LIST], 1));
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_UIDL], 0));
	g_assert_false(pop3_command_reply_is_multiline(&t[POP3_CMD_UIDL], 1));
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_RETR], 1));
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_TOP], 2));
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_CAPA], 0));
	g_assert_false(pop3_command_reply_is_multiline(&t[POP3_CMD_STAT], 0));
	g_assert_false(pop3_command_reply_is_multiline(&t[POP3_CMD_DELE], 1));
	g_assert_false(pop3_command_reply_is_multiline(&t[POP3_CMD_AUTH], 1));
	g_assert_true(pop3_command_reply_is_multiline(&t[POP3_CMD_AUTH], 0));
}

static void
test_other_tables(void)
{
	static const char *const codes[] = {"IN-USE", "LOGIN-DELAY", "SYS/TEMP", "SYS/PERM",
	                                    "AUTH"};
	static const char *const capas[] = {"TOP",         "USER",   "UIDL",           "RESP-CODES",
	                                    "PIPELINING",  "EXPIRE", "IMPLEMENTATION", "SASL",
	                                    "LOGIN-DELAY", "STLS",   "AUTH-RESP-CODE"};
	for (gsize i = 0; i < pop3_resp_code_table_len; i++) {
		const Pop3RespCodeInfo *r = &pop3_resp_code_table[i];
		g_assert_true(g_str_has_prefix(r->rfc, "RFC "));
		assert_text(r->explain);
		g_assert_true(pop3_resp_code_lookup(r->code, strlen(r->code)) == r);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(codes); i++)
		g_assert_nonnull(pop3_resp_code_lookup(codes[i], strlen(codes[i])));
	g_assert_nonnull(pop3_resp_code_lookup("in-use", 6));
	g_assert_null(pop3_resp_code_lookup("SYS", 3));
	g_assert_null(pop3_resp_code_lookup("IN-USE-X", 8));

	for (gsize i = 0; i < pop3_capa_table_len; i++) {
		const Pop3CapaInfo *c = &pop3_capa_table[i];
		g_assert_true(g_str_has_prefix(c->rfc, "RFC "));
		assert_text(c->explain);
		const char *args = NULL;
		g_assert_true(pop3_capa_lookup(c->name, strlen(c->name), &args) == c);
		g_assert_cmpstr(args, ==, "");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(capas); i++)
		g_assert_nonnull(pop3_capa_lookup(capas[i], strlen(capas[i]), NULL));
	const char *args = NULL;
	const Pop3CapaInfo *c = pop3_capa_lookup("SASL PLAIN LOGIN", 16, &args);
	g_assert_cmpstr(c->name, ==, "SASL");
	g_assert_cmpstr(args, ==, "PLAIN LOGIN");
	c = pop3_capa_lookup("EXPIRE NEVER", 12, &args);
	g_assert_cmpstr(c->name, ==, "EXPIRE");
	g_assert_cmpstr(args, ==, "NEVER");
	g_assert_null(pop3_capa_lookup("X-FOO bar", 9, &args));
	g_assert_cmpstr(args, ==, "bar");
}

/* --- Command lines --- */

typedef struct {
	const char *line;
	Pop3ParseResult result;
	int id;
	const char *arg0, *arg1;
} CommandCase;

static const CommandCase command_cases[] = {
    {.line = "CAPA", .result = POP3_PARSE_OK, .id = POP3_CMD_CAPA},
    {.line = "USER bob", .result = POP3_PARSE_OK, .id = POP3_CMD_USER, .arg0 = "bob"},
    {.line = "user bob", .result = POP3_PARSE_OK, .id = POP3_CMD_USER, .arg0 = "bob"},
    {.line = "PASS bobpass", .result = POP3_PARSE_OK, .id = POP3_CMD_PASS, .arg0 = "bobpass"},
    {.line = "PASS mot de passe ",
     .result = POP3_PARSE_OK,
     .id = POP3_CMD_PASS,
     .arg0 = "mot de passe "},
    {.line = "APOP bob c4c9334bac560ecc979e58001b3e22fb",
     .result = POP3_PARSE_OK,
     .id = POP3_CMD_APOP,
     .arg0 = "bob",
     .arg1 = "c4c9334bac560ecc979e58001b3e22fb"},
    {.line = "AUTH", .result = POP3_PARSE_OK, .id = POP3_CMD_AUTH},
    {.line = "AUTH PLAIN", .result = POP3_PARSE_OK, .id = POP3_CMD_AUTH, .arg0 = "PLAIN"},
    {.line = "AUTH PLAIN AGJvYgBib2JwYXNz",
     .result = POP3_PARSE_OK,
     .id = POP3_CMD_AUTH,
     .arg0 = "PLAIN",
     .arg1 = "AGJvYgBib2JwYXNz"},
    {.line = "STAT", .result = POP3_PARSE_OK, .id = POP3_CMD_STAT},
    {.line = "LIST", .result = POP3_PARSE_OK, .id = POP3_CMD_LIST},
    {.line = "LIST 2", .result = POP3_PARSE_OK, .id = POP3_CMD_LIST, .arg0 = "2"},
    {.line = "LIST 0", .result = POP3_PARSE_OK, .id = POP3_CMD_LIST, .arg0 = "0"},
    {.line = "UIDL", .result = POP3_PARSE_OK, .id = POP3_CMD_UIDL},
    {.line = "TOP 1 5", .result = POP3_PARSE_OK, .id = POP3_CMD_TOP, .arg0 = "1", .arg1 = "5"},
    {.line = "TOP 2 x", .result = POP3_PARSE_OK, .id = POP3_CMD_TOP, .arg0 = "2", .arg1 = "x"},
    {.line = "RETR 1", .result = POP3_PARSE_OK, .id = POP3_CMD_RETR, .arg0 = "1"},
    {.line = "RETR  1", .result = POP3_PARSE_OK, .id = POP3_CMD_RETR, .arg0 = "1"},
    {.line = "retr 99", .result = POP3_PARSE_OK, .id = POP3_CMD_RETR, .arg0 = "99"},
    {.line = "DELE 1", .result = POP3_PARSE_OK, .id = POP3_CMD_DELE, .arg0 = "1"},
    {.line = "NOOP ", .result = POP3_PARSE_OK, .id = POP3_CMD_NOOP},
    {.line = "RSET", .result = POP3_PARSE_OK, .id = POP3_CMD_RSET},
    {.line = "QUIT", .result = POP3_PARSE_OK, .id = POP3_CMD_QUIT},
    {.line = "STLS", .result = POP3_PARSE_OK, .id = POP3_CMD_STLS},
    {.line = "XYZZY", .result = POP3_PARSE_UNKNOWN, .id = -1},
    {.line = "", .result = POP3_PARSE_UNKNOWN, .id = -1},
    {.line = " USER bob", .result = POP3_PARSE_UNKNOWN, .id = -1},
    {.line = "LAST", .result = POP3_PARSE_UNKNOWN, .id = -1},
    {.line = "USER", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_USER},
    {.line = "USER a b", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_USER, .arg0 = "a"},
    {.line = "PASS", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_PASS},
    {.line = "PASS ", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_PASS},
    {.line = "APOP bob", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_APOP, .arg0 = "bob"},
    {.line = "STAT 1", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_STAT},
    {.line = "LIST 1 2", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_LIST, .arg0 = "1"},
    {.line = "RETR", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_RETR},
    {.line = "TOP 1", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_TOP, .arg0 = "1"},
    {.line = "TOP 1 2 3",
     .result = POP3_PARSE_SYNTAX,
     .id = POP3_CMD_TOP,
     .arg0 = "1",
     .arg1 = "2"},
    {.line = "QUIT now", .result = POP3_PARSE_SYNTAX, .id = POP3_CMD_QUIT},
};

static void
check_command(const CommandCase *c, const char *line, gsize len)
{
	g_autoptr(Pop3Command) cmd = pop3_command_parse(line, len);
	if (cmd->result != c->result)
		g_error("“%s”: result %d, want %d", c->line, cmd->result, c->result);
	g_assert_true((cmd->result == POP3_PARSE_SYNTAX) == (cmd->error != NULL));
	if (c->id < 0) {
		g_assert_null(cmd->info);
		return;
	}
	g_assert_cmpint(cmd->info->id, ==, c->id);
	g_assert_cmpstr(cmd->args[0], ==, c->arg0);
	g_assert_cmpstr(cmd->args[1], ==, c->arg1);
	g_assert_cmpuint(cmd->n_args, ==, (c->arg0 != NULL) + (c->arg1 != NULL));
}

static void
test_command_parse(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(command_cases); i++)
		check_command(&command_cases[i], command_cases[i].line,
		              strlen(command_cases[i].line));
	g_autoptr(Pop3Command) nul = pop3_command_parse("USER a\0b", 8);
	g_assert_cmpint(nul->result, ==, POP3_PARSE_SYNTAX);
	g_autoptr(Pop3Command) part = pop3_command_parse("STAT 1", 4);
	g_assert_cmpint(part->result, ==, POP3_PARSE_OK);
}

static void
test_command_parse_split(void)
{
	GString *stream = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(command_cases); i++)
		g_string_append_printf(stream, "%s\r\n", command_cases[i].line);
	g_autoptr(LineBuffer) lb = line_buffer_new(POP3_MAX_COMMAND_LINE);
	gsize next = 0;
	for (gsize i = 0; i < stream->len; i++) {
		line_buffer_feed(lb, stream->str + i, 1);
		const char *line;
		gsize len;
		while (line_buffer_next(lb, &line, &len, NULL) == LINE_BUFFER_LINE)
			check_command(&command_cases[next++], line, len);
	}
	g_assert_cmpuint(next, ==, G_N_ELEMENTS(command_cases));
	g_string_free(stream, TRUE);
}

static void
test_numbers(void)
{
	guint v = 7;
	g_assert_true(pop3_parse_number("0", &v));
	g_assert_cmpuint(v, ==, 0);
	g_assert_true(pop3_parse_number("4294967295", &v));
	g_assert_cmpuint(v, ==, G_MAXUINT);
	g_assert_false(pop3_parse_number("4294967296", &v));
	g_assert_false(pop3_parse_number("99999999999999999999999999", &v));
	g_assert_false(pop3_parse_number("", &v));
	g_assert_false(pop3_parse_number("x", &v));
	g_assert_false(pop3_parse_number("-1", &v));
	g_assert_false(pop3_parse_number("+1", &v));
	g_assert_false(pop3_parse_number("1.5", &v));
}

/* --- Replies --- */

typedef struct {
	const char *line;
	gboolean valid;
	Pop3ReplyStatus status;
	const char *code;
	const char *text;
} ReplyCase;

static const ReplyCase reply_cases[] = {
    {.line = "+OK Dovecot (Debian) ready.",
     .valid = TRUE,
     .status = POP3_REPLY_OK,
     .code = NULL,
     .text = "Dovecot (Debian) ready."},
    {.line = "+OK", .valid = TRUE, .status = POP3_REPLY_OK, .code = NULL, .text = ""},
    {.line = "+OK ", .valid = TRUE, .status = POP3_REPLY_OK, .code = NULL, .text = ""},
    {.line = "+OK 4 5168", .valid = TRUE, .status = POP3_REPLY_OK, .code = NULL, .text = "4 5168"},
    {.line = "+OK Logging out, messages deleted.",
     .valid = TRUE,
     .status = POP3_REPLY_OK,
     .code = NULL,
     .text = "Logging out, messages deleted."},
    {.line = "-ERR [AUTH] Authentication failed.",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = "AUTH",
     .text = "Authentication failed."},
    {.line = "-ERR [IN-USE] Mailbox locked",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = "IN-USE",
     .text = "Mailbox locked"},
    {.line = "-ERR [SYS/TEMP] Try later",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = "SYS/TEMP",
     .text = "Try later"},
    {.line = "-ERR [SYS/PERM]",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = "SYS/PERM",
     .text = ""},
    {.line = "+OK [XSENDER] fine",
     .valid = TRUE,
     .status = POP3_REPLY_OK,
     .code = "XSENDER",
     .text = "fine"},
    {.line = "-ERR There's no message 99.",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = NULL,
     .text = "There's no message 99."},
    {.line = "-ERR Message is deleted.",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = NULL,
     .text = "Message is deleted."},
    {.line = "-ERR [unterminated code",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = NULL,
     .text = "[unterminated code"},
    {.line = "-ERR [] empty",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = NULL,
     .text = "[] empty"},
    {.line = "-err lower case",
     .valid = TRUE,
     .status = POP3_REPLY_ERR,
     .code = NULL,
     .text = "lower case"},
    {.line = "+ ", .valid = TRUE, .status = POP3_REPLY_CONTINUATION, .code = NULL, .text = ""},
    {.line = "+", .valid = TRUE, .status = POP3_REPLY_CONTINUATION, .code = NULL, .text = ""},
    {.line = "+ VXNlcm5hbWU6",
     .valid = TRUE,
     .status = POP3_REPLY_CONTINUATION,
     .code = NULL,
     .text = "VXNlcm5hbWU6"},
    {.line = "+ [NOT-A-CODE]",
     .valid = TRUE,
     .status = POP3_REPLY_CONTINUATION,
     .code = NULL,
     .text = "[NOT-A-CODE]"},
    {.line = "OK", .valid = FALSE},
    {.line = "", .valid = FALSE},
    {.line = "+OKAY", .valid = FALSE},
    {.line = "-ERROR", .valid = FALSE},
    {.line = "+x", .valid = FALSE},
    {.line = "1 3680", .valid = FALSE},
    {.line = "250 2.0.0 Ok", .valid = FALSE},
};

static void
check_reply(const ReplyCase *c, const char *line, gsize len)
{
	Pop3ReplyLine r;
	gboolean ok = pop3_reply_parse_line(line, len, &r);
	if (ok != c->valid)
		g_error("“%s”: valid %d, want %d", c->line, ok, c->valid);
	if (!ok)
		return;
	g_assert_cmpint(r.status, ==, c->status);
	g_autofree char *code = r.code ? g_strndup(r.code, r.code_len) : NULL;
	g_assert_cmpstr(code, ==, c->code);
	g_autofree char *text = g_strndup(r.text, r.text_len);
	g_assert_cmpstr(text, ==, c->text);
}

static void
test_reply_parse(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++)
		check_reply(&reply_cases[i], reply_cases[i].line, strlen(reply_cases[i].line));
	GString *stream = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++)
		g_string_append_printf(stream, "%s\r\n", reply_cases[i].line);
	g_autoptr(LineBuffer) lb = line_buffer_new(512);
	gsize next = 0;
	for (gsize i = 0; i < stream->len; i++) {
		line_buffer_feed(lb, stream->str + i, 1);
		const char *line;
		gsize len;
		while (line_buffer_next(lb, &line, &len, NULL) == LINE_BUFFER_LINE)
			check_reply(&reply_cases[next++], line, len);
	}
	g_assert_cmpuint(next, ==, G_N_ELEMENTS(reply_cases));
	g_string_free(stream, TRUE);
}

/* --- Byte-stuffing --- */

typedef struct {
	const char *data;    /* as stored */
	const char *stuffed; /* as sent, terminator included */
} StuffCase;

static const StuffCase stuff_cases[] = {
    {.data = "", .stuffed = ".\r\n"},
    {.data = "a\r\n", .stuffed = "a\r\n.\r\n"},
    {.data = "a", .stuffed = "a\r\n.\r\n"},
    {.data = ".\r\n", .stuffed = "..\r\n.\r\n"},
    {.data = ".", .stuffed = "..\r\n.\r\n"},
    {.data = "..\r\n", .stuffed = "...\r\n.\r\n"},
    {.data = "Subject: x\r\n\r\n.Cette ligne commence par un point\r\n.\r\nfin\r\n",
     .stuffed = "Subject: x\r\n\r\n..Cette ligne commence par un point\r\n..\r\nfin\r\n.\r\n"},
    {.data = "a.b\r\n. \r\n", .stuffed = "a.b\r\n.. \r\n.\r\n"},
    {.data = "x\r\n\r\n", .stuffed = "x\r\n\r\n.\r\n"},
    {.data = "cr\ronly\r\n.x", .stuffed = "cr\ronly\r\n..x\r\n.\r\n"},
};

static void
test_stuff(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(stuff_cases); i++) {
		const StuffCase *c = &stuff_cases[i];
		gsize len = strlen(c->data);
		/* Whole, and split at every point. */
		for (gsize cut = 0; cut <= len; cut++) {
			g_autoptr(GByteArray) out = g_byte_array_new();
			gboolean ls = TRUE;
			pop3_stuff_append(out, (const guint8 *)c->data, cut, &ls);
			pop3_stuff_append(out, (const guint8 *)c->data + cut, len - cut, &ls);
			pop3_stuff_finish(out, ls);
			g_autofree char *got = g_strndup((char *)out->data, out->len);
			if (strcmp(got, c->stuffed) != 0)
				g_error("case %zu cut %zu: stuffed “%s”", i, cut, got);
		}
	}
	/* Bare LF: the sender doubles the dot anyway, to be safe with readers that
	 * take LF for a line end. */
	g_autoptr(GByteArray) out = g_byte_array_new();
	gboolean ls = TRUE;
	pop3_stuff_append(out, (const guint8 *)"a\n.b", 4, &ls);
	g_assert_cmpmem(out->data, out->len, "a\n..b", 5);
}

/* What comes back from unstuffing, for stuffed data followed by trailing bytes. */
static void
check_unstuff(const char *wire, gsize wire_len, gsize data_end, const char *want, gsize want_len)
{
	/* Every split into three pieces of the wire bytes. */
	for (gsize a = 0; a <= wire_len; a++) {
		for (gsize b = a; b <= wire_len; b++) {
			Pop3Unstuffer u;
			pop3_unstuffer_init(&u);
			g_autoptr(GByteArray) out = g_byte_array_new();
			gsize used = 0;
			gsize cuts[] = {0, a, b, wire_len};
			for (guint k = 0; k < 3 && !u.done; k++) {
				gsize n = pop3_unstuffer_feed(&u, (const guint8 *)wire + cuts[k],
				                              cuts[k + 1] - cuts[k], out);
				g_assert_true(n == cuts[k + 1] - cuts[k] || u.done);
				used += n;
			}
			g_assert_true(u.done == (data_end <= wire_len));
			if (u.done)
				g_assert_cmpuint(used, ==, data_end);
			g_assert_cmpmem(out->data, out->len, want, want_len);
		}
	}
}

static void
test_unstuff(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(stuff_cases); i++) {
		const StuffCase *c = &stuff_cases[i];
		g_autofree char *wire = g_strconcat(c->stuffed, "+OK next\r\n", NULL);
		/* The stored data, with the CRLF the sender added when it lacked one. */
		gsize slen = strlen(c->data);
		g_autofree char *want = slen > 0 && !g_str_has_suffix(c->data, "\r\n")
		                            ? g_strconcat(c->data, "\r\n", NULL)
		                            : g_strdup(c->data);
		check_unstuff(wire, strlen(wire), strlen(c->stuffed), want, strlen(want));
	}
	/* Not finished: no terminator yet. */
	check_unstuff("a\r\n.", 4, 99, "a\r\n", 3);
	/* <LF>.<LF> and <CR>.<CR> are not terminators (SMTP smuggling). */
	check_unstuff("a\n.\nb\r\n.\r\n", 10, 10, "a\n.\nb\r\n", 7);
	check_unstuff("a\r\n.\rb\r\n.\r\n", 11, 11, "a\r\n\rb\r\n", 7);
	check_unstuff("a\r.\r\n.\r\n", 8, 8, "a\r.\r\n", 5);
	/* ".\r\r\n": the dot is dropped, the line goes on. */
	check_unstuff(".\r\r\n.\r\n", 7, 7, "\r\r\n", 3);
	/* A leading dot not doubled is still dropped (RFC 5321 §4.5.2). */
	check_unstuff(".x\r\n.\r\n", 7, 7, "x\r\n", 3);
	/* Discarding. */
	Pop3Unstuffer u;
	pop3_unstuffer_init(&u);
	g_assert_cmpuint(pop3_unstuffer_feed(&u, (const guint8 *)"ab\r\n.\r\nQUIT\r\n", 13, NULL),
	                 ==, 7);
	g_assert_true(u.done);
	g_assert_cmpuint(pop3_unstuffer_feed(&u, (const guint8 *)"x", 1, NULL), ==, 0);
}

static void
test_unstuff_line(void)
{
	const char *d;
	gsize n;
	g_assert_true(pop3_unstuff_line(".", 1, &d, &n));
	g_assert_false(pop3_unstuff_line("..", 2, &d, &n));
	g_assert_cmpmem(d, n, ".", 1);
	g_assert_false(pop3_unstuff_line("..x", 3, &d, &n));
	g_assert_cmpmem(d, n, ".x", 2);
	g_assert_false(pop3_unstuff_line("abc", 3, &d, &n));
	g_assert_cmpmem(d, n, "abc", 3);
	g_assert_false(pop3_unstuff_line("", 0, &d, &n));
	g_assert_cmpuint(n, ==, 0);
	g_assert_false(pop3_unstuff_line(". ", 2, &d, &n));
	g_assert_cmpmem(d, n, " ", 1);
}

static void
test_top(void)
{
	const char *m = "A: 1\r\nB: 2\r\n\r\nl1\r\nl2\r\nl3\r\n";
	const guint8 *msg = (const guint8 *)m;
	gsize len = strlen(m);
	g_assert_cmpuint(pop3_top_length(msg, len, 0), ==, 14);
	g_assert_cmpuint(pop3_top_length(msg, len, 1), ==, 18);
	g_assert_cmpuint(pop3_top_length(msg, len, 2), ==, 22);
	g_assert_cmpuint(pop3_top_length(msg, len, 3), ==, len);
	g_assert_cmpuint(pop3_top_length(msg, len, 1000), ==, len);
	/* Header only, no blank line. */
	g_assert_cmpuint(pop3_top_length((const guint8 *)"A: 1\r\nB: 2\r\n", 12, 0), ==, 12);
	/* Empty header. */
	g_assert_cmpuint(pop3_top_length((const guint8 *)"\r\nbody\r\n", 8, 0), ==, 2);
	g_assert_cmpuint(pop3_top_length((const guint8 *)"", 0, 5), ==, 0);
	/* A last body line without its CRLF. */
	g_assert_cmpuint(pop3_top_length((const guint8 *)"A: 1\r\n\r\nx", 9, 1), ==, 9);
	/* Bare LF line ends. */
	g_assert_cmpuint(pop3_top_length((const guint8 *)"A: 1\n\nl1\nl2\n", 12, 1), ==, 9);
	/* A CR alone does not end the header. */
	g_assert_cmpuint(pop3_top_length((const guint8 *)"A\r\n\rB\r\n\r\nx\r\n", 12, 0), ==, 9);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pop3-proto/table/commands", test_command_table);
	g_test_add_func("/pop3-proto/table/codes-capa", test_other_tables);
	g_test_add_func("/pop3-proto/command/parse", test_command_parse);
	g_test_add_func("/pop3-proto/command/split", test_command_parse_split);
	g_test_add_func("/pop3-proto/numbers", test_numbers);
	g_test_add_func("/pop3-proto/reply/parse", test_reply_parse);
	g_test_add_func("/pop3-proto/stuff", test_stuff);
	g_test_add_func("/pop3-proto/unstuff", test_unstuff);
	g_test_add_func("/pop3-proto/unstuff-line", test_unstuff_line);
	g_test_add_func("/pop3-proto/top", test_top);
	return g_test_run();
}
