/* Tests of src/proto/smtp-proto: every table row well formed, the command and
 * reply parsers on good and bad lines (whole, and framed from a stream fed
 * one octet at a time), addresses, numbers, SASL decoding. The lines come from
 * real Postfix sessions and real clients (smtplib, curl, swaks). */
#include "core/line-buffer.h"
#include "proto/smtp-proto.h"

#include <string.h>

static void
assert_text(const char *s)
{
	g_assert_nonnull(s);
	g_assert_cmpuint(strlen(s), >, 10);
}

static void
assert_rfc(const char *rfc)
{
	g_assert_nonnull(rfc);
	g_assert_true(g_str_has_prefix(rfc, "RFC ") || g_str_has_prefix(rfc, "draft-"));
}

static void
test_command_table(void)
{
	for (guint i = 0; i < SMTP_CMD_N; i++) {
		const SmtpCommandInfo *c = &smtp_command_table[i];
		g_assert_cmpuint(c->id, ==, i);
		g_assert_nonnull(c->name);
		for (const char *p = c->name; *p; p++)
			g_assert_true(g_ascii_isupper(*p));
		g_assert_cmpuint(c->states & ~SMTP_STATES_ANY, ==, 0);
		g_assert_cmpuint(c->states, !=, 0);
		g_assert_true(g_str_has_prefix(c->syntax, c->name));
		g_assert_true((c->args == SMTP_ARGS_PATH) == (c->prefix != NULL));
		assert_rfc(c->rfc);
		assert_text(c->explain);
		g_assert_true(smtp_command_lookup(c->name, strlen(c->name)) == c);
		g_autofree char *lower = g_ascii_strdown(c->name, -1);
		g_assert_true(smtp_command_lookup(lower, strlen(lower)) == c);
	}
	g_assert_null(smtp_command_lookup("XYZZY", 5));
	g_assert_null(smtp_command_lookup("MAI", 3));
	g_assert_null(smtp_command_lookup("MAILX", 5));
	/* The states the server relies on. */
	g_assert_cmpuint(smtp_command_table[SMTP_CMD_MAIL].states, ==, SMTP_STATE_READY);
	g_assert_cmpuint(smtp_command_table[SMTP_CMD_RCPT].states, ==, SMTP_STATES_TRANSACTION);
	g_assert_cmpuint(smtp_command_table[SMTP_CMD_DATA].states, ==, SMTP_STATE_RCPT);
	g_assert_true(smtp_command_table[SMTP_CMD_AUTH].states & SMTP_STATE_READY);
	g_assert_false(smtp_command_table[SMTP_CMD_AUTH].states & SMTP_STATES_TRANSACTION);
	for (guint s = SMTP_STATE_GREETED; s <= SMTP_STATE_RCPT; s <<= 1)
		assert_text(smtp_state_name(s));
}

static void
test_reply_table(void)
{
	static const guint wanted[] = {211, 214, 220, 221, 235, 250, 251, 252, 334, 354,
	                               421, 450, 451, 452, 454, 500, 501, 502, 503, 504,
	                               530, 534, 535, 550, 551, 552, 553, 554, 555};
	for (gsize i = 0; i < smtp_reply_table_len; i++) {
		const SmtpReplyInfo *r = &smtp_reply_table[i];
		g_assert_cmpuint(r->code, >=, 200);
		g_assert_cmpuint(r->code, <, 600);
		g_assert_cmpuint((r->code / 10) % 10, <=, 5);
		assert_rfc(r->rfc);
		g_assert_nonnull(r->meaning);
		assert_text(r->explain);
		g_assert_true(smtp_reply_lookup(r->code) == r);
		g_assert_nonnull(smtp_reply_digit_explain(r->code, 0));
		if (i > 0)
			g_assert_cmpuint(smtp_reply_table[i - 1].code, <, r->code);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(wanted); i++) {
		if (smtp_reply_lookup(wanted[i]) == NULL)
			g_error("reply code %u has no row", wanted[i]);
	}
	g_assert_null(smtp_reply_lookup(299));
	for (guint d = 0; d <= 5; d++) {
		if (d != 4)
			assert_text(smtp_reply_digit_explain(200 + d * 10, 1));
	}
	g_assert_null(smtp_reply_digit_explain(240, 1));
	g_assert_null(smtp_reply_digit_explain(150, 0));
	g_assert_null(smtp_reply_digit_explain(250, 2));
}

static void
test_enhanced_table(void)
{
	static const guint wanted[][2] = {{1, 1}, {1, 0}, {5, 1}, {5, 2}, {5, 4}, {7, 0},
	                                  {7, 1}, {7, 8}, {3, 4}, {0, 0}, {1, 5}, {6, 0}};
	for (gsize i = 0; i < smtp_enhanced_class_table_len; i++) {
		const SmtpEnhancedPart *p = &smtp_enhanced_class_table[i];
		g_assert_true(p->value == 2 || p->value == 4 || p->value == 5);
		assert_rfc(p->rfc);
		g_assert_nonnull(p->meaning);
		assert_text(p->explain);
		g_assert_true(smtp_enhanced_class_lookup(p->value) == p);
	}
	g_assert_null(smtp_enhanced_class_lookup(3));
	for (guint s = 0; s <= 7; s++) {
		const SmtpEnhancedPart *p = smtp_enhanced_subject_lookup(s);
		g_assert_nonnull(p);
		assert_rfc(p->rfc);
		g_assert_nonnull(p->meaning);
		assert_text(p->explain);
	}
	g_assert_null(smtp_enhanced_subject_lookup(8));
	for (gsize i = 0; i < smtp_enhanced_table_len; i++) {
		const SmtpEnhancedInfo *e = &smtp_enhanced_table[i];
		g_assert_nonnull(smtp_enhanced_subject_lookup(e->subject));
		assert_rfc(e->rfc);
		g_assert_nonnull(e->meaning);
		assert_text(e->explain);
		g_assert_true(smtp_enhanced_lookup(e->subject, e->detail) == e);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(wanted); i++) {
		if (smtp_enhanced_lookup(wanted[i][0], wanted[i][1]) == NULL)
			g_error("enhanced code X.%u.%u has no row", wanted[i][0], wanted[i][1]);
	}
	g_assert_null(smtp_enhanced_lookup(1, 99));
}

static void
test_extension_table(void)
{
	static const char *const wanted[] = {
	    "PIPELINING", "SIZE",     "8BITMIME", "ENHANCEDSTATUSCODES",
	    "AUTH",       "HELP",     "STARTTLS", "CHUNKING",
	    "DSN",        "SMTPUTF8", "VRFY",     "ETRN"};
	for (gsize i = 0; i < smtp_extension_table_len; i++) {
		const SmtpExtensionInfo *x = &smtp_extension_table[i];
		assert_rfc(x->rfc);
		assert_text(x->explain);
		const char *params = NULL;
		g_assert_true(smtp_extension_lookup(x->keyword, strlen(x->keyword), &params) == x);
		g_assert_cmpstr(params, ==, "");
	}
	for (gsize i = 0; i < G_N_ELEMENTS(wanted); i++)
		g_assert_nonnull(smtp_extension_lookup(wanted[i], strlen(wanted[i]), NULL));

	const char *params = NULL;
	const SmtpExtensionInfo *x = smtp_extension_lookup("SIZE 20480000", 13, &params);
	g_assert_cmpstr(x->keyword, ==, "SIZE");
	g_assert_cmpstr(params, ==, "20480000");
	x = smtp_extension_lookup("AUTH PLAIN LOGIN", 16, &params);
	g_assert_cmpstr(x->keyword, ==, "AUTH");
	g_assert_cmpstr(params, ==, "PLAIN LOGIN");
	x = smtp_extension_lookup("AUTH=PLAIN LOGIN", 16, &params);
	g_assert_cmpstr(x->keyword, ==, "AUTH");
	g_assert_cmpstr(params, ==, "PLAIN LOGIN");
	x = smtp_extension_lookup("pipelining", 10, &params);
	g_assert_cmpstr(x->keyword, ==, "PIPELINING");
	g_assert_null(smtp_extension_lookup("XCLIENT NAME ADDR", 17, &params));
	g_assert_cmpstr(params, ==, "NAME ADDR");
	g_assert_null(smtp_extension_lookup("SIZEX", 5, NULL));
}

static void
test_param_and_sasl_tables(void)
{
	for (gsize i = 0; i < smtp_param_table_len; i++) {
		const SmtpParamInfo *p = &smtp_param_table[i];
		g_assert_true(p->command == SMTP_CMD_MAIL || p->command == SMTP_CMD_RCPT);
		g_assert_nonnull(smtp_extension_lookup(p->ehlo, strlen(p->ehlo), NULL));
		assert_rfc(p->rfc);
		assert_text(p->explain);
		g_assert_true(smtp_param_lookup(p->command, p->name) == p);
	}
	g_assert_nonnull(smtp_param_lookup(SMTP_CMD_MAIL, "size"));
	g_assert_null(smtp_param_lookup(SMTP_CMD_RCPT, "SIZE"));
	g_assert_nonnull(smtp_param_lookup(SMTP_CMD_RCPT, "NOTIFY"));
	for (gsize i = 0; i < smtp_sasl_table_len; i++) {
		const SmtpSaslInfo *s = &smtp_sasl_table[i];
		assert_rfc(s->rfc);
		assert_text(s->explain);
		g_assert_true(smtp_sasl_lookup(s->name) == s);
	}
	g_assert_nonnull(smtp_sasl_lookup("plain"));
	g_assert_null(smtp_sasl_lookup("XOAUTH9"));
}

/* --- Command lines --- */

typedef struct {
	const char *line;
	SmtpParseResult result;
	int id;             /* SmtpCommandId, or -1 for unknown */
	const char *args;   /* NULL: none */
	const char *path;   /* NULL: not parsed / none */
	const char *params; /* "KEY=value KEY" rebuilt, or NULL for none */
} CommandCase;

static const CommandCase command_cases[] = {
    /* Real clients */
    {.line = "ehlo client.example.org",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_EHLO,
     .args = "client.example.org"},
    {.line = "EHLO [127.0.0.1]",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_EHLO,
     .args = "[127.0.0.1]"},
    {.line = "HELO client", .result = SMTP_PARSE_OK, .id = SMTP_CMD_HELO, .args = "client"},
    {.line = "mail FROM:<bob@example.org> size=3429",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<bob@example.org> size=3429",
     .path = "bob@example.org",
     .params = "size=3429"},
    {.line = "MAIL FROM:<bob@example.org> SIZE=2831",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<bob@example.org> SIZE=2831",
     .path = "bob@example.org",
     .params = "SIZE=2831"},
    {.line = "MAIL FROM:<bob@example.org> BODY=8BITMIME",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<bob@example.org> BODY=8BITMIME",
     .path = "bob@example.org",
     .params = "BODY=8BITMIME"},
    {.line = "MAIL FROM:<> SIZE=10 BODY=7BIT SMTPUTF8",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<> SIZE=10 BODY=7BIT SMTPUTF8",
     .path = "",
     .params = "SIZE=10 BODY=7BIT SMTPUTF8"},
    {.line = "MAIL FROM: <alice@example.org>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM: <alice@example.org>",
     .path = "alice@example.org"},
    {.line = "MAIL FROM:<@relay.example,@r2.example:alice@example.org>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<@relay.example,@r2.example:alice@example.org>",
     .path = "alice@example.org"},
    {.line = "MAIL FROM:<\"john doe\"@example.org>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<\"john doe\"@example.org>",
     .path = "\"john doe\"@example.org"},
    {.line = "MAIL FROM:<\"a>b\"@example.org>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<\"a>b\"@example.org>",
     .path = "\"a>b\"@example.org"},
    {.line = "rcpt TO:<alice@example.org>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<alice@example.org>",
     .path = "alice@example.org"},
    {.line = "RCPT TO:<Postmaster>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<Postmaster>",
     .path = "Postmaster"},
    {.line = "RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org",
     .path = "bob@example.org",
     .params = "NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org"},
    {.line = "RCPT TO:<élève@exemple.fr>",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<élève@exemple.fr>",
     .path = "élève@exemple.fr"},
    {.line = "data", .result = SMTP_PARSE_OK, .id = SMTP_CMD_DATA},
    {.line = "DATA   ", .result = SMTP_PARSE_OK, .id = SMTP_CMD_DATA},
    {.line = "BDAT 379", .result = SMTP_PARSE_OK, .id = SMTP_CMD_BDAT, .args = "379"},
    {.line = "BDAT 18 LAST", .result = SMTP_PARSE_OK, .id = SMTP_CMD_BDAT, .args = "18 LAST"},
    {.line = "RSET", .result = SMTP_PARSE_OK, .id = SMTP_CMD_RSET},
    {.line = "NOOP", .result = SMTP_PARSE_OK, .id = SMTP_CMD_NOOP},
    {.line = "NOOP hello there",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_NOOP,
     .args = "hello there"},
    {.line = "QUIT", .result = SMTP_PARSE_OK, .id = SMTP_CMD_QUIT},
    {.line = "VRFY alice@example.org",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_VRFY,
     .args = "alice@example.org"},
    {.line = "EXPN staff", .result = SMTP_PARSE_OK, .id = SMTP_CMD_EXPN, .args = "staff"},
    {.line = "HELP", .result = SMTP_PARSE_OK, .id = SMTP_CMD_HELP},
    {.line = "HELP MAIL", .result = SMTP_PARSE_OK, .id = SMTP_CMD_HELP, .args = "MAIL"},
    {.line = "AUTH PLAIN AGFsaWNlAGFsaWNlcGFzcw==",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_AUTH,
     .args = "PLAIN AGFsaWNlAGFsaWNlcGFzcw=="},
    {.line = "AUTH LOGIN", .result = SMTP_PARSE_OK, .id = SMTP_CMD_AUTH, .args = "LOGIN"},
    {.line = "STARTTLS", .result = SMTP_PARSE_OK, .id = SMTP_CMD_STARTTLS},
    {.line = "ETRN example.org",
     .result = SMTP_PARSE_OK,
     .id = SMTP_CMD_ETRN,
     .args = "example.org"},
    /* Unknown */
    {.line = "XYZZY", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    {.line = "", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    {.line = "   ", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    {.line = "MAILFROM:<a@b>", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    {.line = "From: alice@example.org", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    {.line = "Subject: hello", .result = SMTP_PARSE_UNKNOWN, .id = -1},
    /* Syntax errors */
    {.line = "MAIL FROM alice@example.org",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM alice@example.org"},
    {.line = "MAIL FROM:alice@example.org",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:alice@example.org"},
    {.line = "MAIL", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_MAIL},
    {.line = "MAIL TO:<a@example.org>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "TO:<a@example.org>"},
    {.line = "MAIL FROM:<alice@example.org",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<alice@example.org"},
    {.line = "MAIL FROM:<alice>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<alice>"},
    {.line = "MAIL FROM:<a..b@example.org>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<a..b@example.org>"},
    {.line = "MAIL FROM:<a@example.org>SIZE=1",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<a@example.org>SIZE=1",
     .path = "a@example.org"},
    {.line = "MAIL FROM:<a@example.org> SIZE=",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<a@example.org> SIZE=",
     .path = "a@example.org"},
    {.line = "MAIL FROM:<a@example.org> =1",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<a@example.org> =1",
     .path = "a@example.org"},
    {.line = "MAIL FROM:<a@example.org> SIZE=1=2",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_MAIL,
     .args = "FROM:<a@example.org> SIZE=1=2",
     .path = "a@example.org",
     .params = "SIZE=1"},
    {.line = "RCPT TO:<>", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_RCPT, .args = "TO:<>"},
    {.line = "RCPT TO:", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_RCPT, .args = "TO:"},
    {.line = "RCPT FROM:<a@example.org>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_RCPT,
     .args = "FROM:<a@example.org>"},
    {.line = "RCPT TO:<a b@example.org>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<a b@example.org>"},
    {.line = "RCPT TO:<@relay.example>",
     .result = SMTP_PARSE_SYNTAX,
     .id = SMTP_CMD_RCPT,
     .args = "TO:<@relay.example>"},
    {.line = "DATA now", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_DATA, .args = "now"},
    {.line = "QUIT please", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_QUIT, .args = "please"},
    {.line = "EHLO", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_EHLO},
    {.line = "VRFY", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_VRFY},
    {.line = "AUTH", .result = SMTP_PARSE_SYNTAX, .id = SMTP_CMD_AUTH},
};

static char *
params_string(const SmtpCommand *cmd)
{
	if (cmd->params->len == 0)
		return NULL;
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < cmd->params->len; i++) {
		const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, i);
		if (i > 0)
			g_string_append_c(s, ' ');
		g_string_append(s, p->keyword);
		if (p->value != NULL)
			g_string_append_printf(s, "=%s", p->value);
	}
	return g_string_free(s, FALSE);
}

static void
check_command(const CommandCase *c, const char *line, gsize len)
{
	g_autoptr(SmtpCommand) cmd = smtp_command_parse(line, len);
	if (cmd->result != c->result)
		g_error("“%s”: result %d, want %d (%s)", c->line, cmd->result, c->result,
		        cmd->error ? cmd->error : "");
	if (c->id < 0) {
		g_assert_null(cmd->info);
	} else {
		g_assert_nonnull(cmd->info);
		g_assert_cmpint(cmd->info->id, ==, c->id);
	}
	g_assert_nonnull(cmd->verb);
	g_assert_true((cmd->result == SMTP_PARSE_SYNTAX) == (cmd->error != NULL));
	if (cmd->result == SMTP_PARSE_UNKNOWN)
		return;
	g_assert_cmpstr(cmd->args, ==, c->args);
	g_assert_cmpstr(cmd->path, ==, c->path);
	g_autofree char *params = params_string(cmd);
	g_assert_cmpstr(params, ==, c->params);
}

static void
test_command_parse(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(command_cases); i++)
		check_command(&command_cases[i], command_cases[i].line,
		              strlen(command_cases[i].line));

	g_autoptr(SmtpCommand) cmd = smtp_command_parse("mail FROM:<a@b.example> size=12", 31);
	const SmtpParam *p = smtp_command_param(cmd, "SIZE");
	g_assert_nonnull(p);
	g_assert_cmpstr(p->value, ==, "12");
	g_assert_null(smtp_command_param(cmd, "BODY"));
	g_assert_cmpstr(cmd->verb, ==, "mail");

	/* A NUL in the middle is data, not a string end. */
	g_autoptr(SmtpCommand) nul = smtp_command_parse("NOOP a\0b", 8);
	g_assert_cmpint(nul->result, ==, SMTP_PARSE_SYNTAX);
	g_autoptr(SmtpCommand) nulverb = smtp_command_parse("NO\0OP", 5);
	g_assert_cmpint(nulverb->result, ==, SMTP_PARSE_UNKNOWN);
	/* Only len octets are read. */
	g_autoptr(SmtpCommand) part = smtp_command_parse("QUITTER", 4);
	g_assert_cmpint(part->result, ==, SMTP_PARSE_OK);
	g_assert_cmpint(part->info->id, ==, SMTP_CMD_QUIT);
}

/* The same lines framed by the line buffer from a stream fed one octet at a
 * time, with CRLF and bare LF ends. */
static void
test_command_parse_split(void)
{
	GString *stream = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(command_cases); i++)
		g_string_append_printf(stream, "%s%s", command_cases[i].line,
		                       i % 3 ? "\r\n" : "\n");
	g_autoptr(LineBuffer) lb = line_buffer_new(SMTP_MAX_LINE);
	gsize next = 0;
	for (gsize i = 0; i < stream->len; i++) {
		line_buffer_feed(lb, stream->str + i, 1);
		const char *line;
		gsize len;
		while (line_buffer_next(lb, &line, &len, NULL) == LINE_BUFFER_LINE) {
			g_assert_cmpuint(next, <, G_N_ELEMENTS(command_cases));
			check_command(&command_cases[next], line, len);
			next++;
		}
	}
	g_assert_cmpuint(next, ==, G_N_ELEMENTS(command_cases));
	g_string_free(stream, TRUE);
}

static void
test_mailbox(void)
{
	static const char *const good[] = {
	    "alice@example.org",      "a.b+c@x-y.example", "\"john doe\"@example.org",
	    "\"a\\\"b\"@example.org", "user@[127.0.0.1]",  "user@[IPv6:::1]",
	    "élève@exemple.fr",       "x@localhost",       "o'brien@example.org",
	};
	static const char *const bad[] = {
	    "alice",
	    "@example.org",
	    "alice@",
	    "a..b@x.org",
	    ".a@x.org",
	    "a.@x.org",
	    "a@-x.org",
	    "a@x-.org",
	    "a@x..org",
	    "a b@x.org",
	    "a@x.org.",
	    "a@[1.2.3.4",
	    "\"unterminated@x.org",
	    "a@x_y.org",
	    "a@[a]b]",
	    "a\x01@x.org",
	    "a@\xff.org",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(good); i++) {
		if (!smtp_mailbox_is_valid(good[i]))
			g_error("“%s” should be valid", good[i]);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		if (smtp_mailbox_is_valid(bad[i]))
			g_error("“%s” should be invalid", bad[i]);
	}
	g_autofree char *local = NULL, *domain = NULL;
	g_assert_true(smtp_mailbox_split("\"a@b\"@Example.ORG", &local, &domain));
	g_assert_cmpstr(local, ==, "\"a@b\"");
	g_assert_cmpstr(domain, ==, "Example.ORG");
	char *l2 = NULL, *d2 = NULL;
	g_assert_false(smtp_mailbox_split("postmaster", &l2, &d2));
	g_assert_null(l2);
}

static void
test_numbers(void)
{
	guint64 v = 1;
	g_assert_true(smtp_parse_number("0", &v));
	g_assert_cmpuint(v, ==, 0);
	g_assert_true(smtp_parse_number("20480000", &v));
	g_assert_cmpuint(v, ==, 20480000);
	g_assert_true(smtp_parse_number("18446744073709551615", &v));
	g_assert_cmpuint(v, ==, G_MAXUINT64);
	g_assert_false(smtp_parse_number("18446744073709551616", &v));
	g_assert_false(smtp_parse_number("99999999999999999999999", &v));
	g_assert_false(smtp_parse_number("", &v));
	g_assert_false(smtp_parse_number("-1", &v));
	g_assert_false(smtp_parse_number("+1", &v));
	g_assert_false(smtp_parse_number("1a", &v));
	g_assert_false(smtp_parse_number(" 1", &v));
}

/* --- Replies --- */

typedef struct {
	const char *line;
	gboolean valid;
	guint code;
	gboolean last;
	const char *enhanced; /* "2.1.0" or NULL */
	const char *text;
} ReplyCase;

static const ReplyCase reply_cases[] = {
    {.line = "220 mail.example.org ESMTP Postfix (Debian/GNU)",
     .valid = TRUE,
     .code = 220,
     .last = TRUE,
     .enhanced = NULL,
     .text = "mail.example.org ESMTP Postfix (Debian/GNU)"},
    {.line = "250-mail.example.org",
     .valid = TRUE,
     .code = 250,
     .last = FALSE,
     .enhanced = NULL,
     .text = "mail.example.org"},
    {.line = "250-SIZE 20480000",
     .valid = TRUE,
     .code = 250,
     .last = FALSE,
     .enhanced = NULL,
     .text = "SIZE 20480000"},
    {.line = "250 CHUNKING",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = NULL,
     .text = "CHUNKING"},
    {.line = "250 2.1.0 Ok",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = "2.1.0",
     .text = "Ok"},
    {.line = "250 2.0.0 Ok: queued as 3C39110C12E",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = "2.0.0",
     .text = "Ok: queued as 3C39110C12E"},
    {.line = "500 5.5.2 Error: command not recognized",
     .valid = TRUE,
     .code = 500,
     .last = TRUE,
     .enhanced = "5.5.2",
     .text = "Error: command not recognized"},
    {.line = "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in "
             "virtual mailbox table",
     .valid = TRUE,
     .code = 550,
     .last = TRUE,
     .enhanced = "5.1.1",
     .text = "<nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox "
             "table"},
    {.line = "554 5.7.1 <someone@example.net>: Relay access denied",
     .valid = TRUE,
     .code = 554,
     .last = TRUE,
     .enhanced = "5.7.1",
     .text = "<someone@example.net>: Relay access denied"},
    {.line = "354 End data with <CR><LF>.<CR><LF>",
     .valid = TRUE,
     .code = 354,
     .last = TRUE,
     .enhanced = NULL,
     .text = "End data with <CR><LF>.<CR><LF>"},
    {.line = "334 VXNlcm5hbWU6",
     .valid = TRUE,
     .code = 334,
     .last = TRUE,
     .enhanced = NULL,
     .text = "VXNlcm5hbWU6"},
    {.line = "535 5.7.8 Error: authentication failed: (reason unavailable)",
     .valid = TRUE,
     .code = 535,
     .last = TRUE,
     .enhanced = "5.7.8",
     .text = "Error: authentication failed: (reason unavailable)"},
    {.line = "221 2.0.0 Bye",
     .valid = TRUE,
     .code = 221,
     .last = TRUE,
     .enhanced = "2.0.0",
     .text = "Bye"},
    {.line = "250 2.0.0",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = "2.0.0",
     .text = ""},
    {.line = "250-2.0.0 first",
     .valid = TRUE,
     .code = 250,
     .last = FALSE,
     .enhanced = "2.0.0",
     .text = "first"},
    {.line = "451 4.3.0 Try later",
     .valid = TRUE,
     .code = 451,
     .last = TRUE,
     .enhanced = "4.3.0",
     .text = "Try later"},
    {.line = "552 5.3.4 Message size exceeds fixed limit",
     .valid = TRUE,
     .code = 552,
     .last = TRUE,
     .enhanced = "5.3.4",
     .text = "Message size exceeds fixed limit"},
    {.line = "250 5.0.0 class differs",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = NULL,
     .text = "5.0.0 class differs"},
    {.line = "220 1.2.3.4 ESMTP",
     .valid = TRUE,
     .code = 220,
     .last = TRUE,
     .enhanced = NULL,
     .text = "1.2.3.4 ESMTP"},
    {.line = "220 2.2.3.4 ESMTP",
     .valid = TRUE,
     .code = 220,
     .last = TRUE,
     .enhanced = NULL,
     .text = "2.2.3.4 ESMTP"},
    {.line = "250 2.1234.0 x",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = NULL,
     .text = "2.1234.0 x"},
    {.line = "250 2.1.0x",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = NULL,
     .text = "2.1.0x"},
    {.line = "250 22.1.0 x",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = NULL,
     .text = "22.1.0 x"},
    {.line = "250 2.100.999 x",
     .valid = TRUE,
     .code = 250,
     .last = TRUE,
     .enhanced = "2.100.999",
     .text = "x"},
    {.line = "250", .valid = TRUE, .code = 250, .last = TRUE, .enhanced = NULL, .text = ""},
    {.line = "250-", .valid = TRUE, .code = 250, .last = FALSE, .enhanced = NULL, .text = ""},
    {.line = "250 ", .valid = TRUE, .code = 250, .last = TRUE, .enhanced = NULL, .text = ""},
    {.line = "25", .valid = FALSE},
    {.line = "", .valid = FALSE},
    {.line = "600 nope", .valid = FALSE},
    {.line = "190 nope", .valid = FALSE},
    {.line = "260 nope", .valid = FALSE},
    {.line = "2500 x", .valid = FALSE},
    {.line = "250x", .valid = FALSE},
    {.line = "abc def", .valid = FALSE},
    {.line = "EHLO client", .valid = FALSE},
    {.line = "+OK Dovecot ready.", .valid = FALSE},
};

static void
check_reply(const ReplyCase *c, const char *line, gsize len)
{
	SmtpReplyLine r;
	gboolean ok = smtp_reply_parse_line(line, len, &r);
	if (ok != c->valid)
		g_error("“%s”: valid %d, want %d", c->line, ok, c->valid);
	if (!ok)
		return;
	g_assert_cmpuint(r.code, ==, c->code);
	g_assert_cmpint(r.last, ==, c->last);
	if (c->enhanced == NULL) {
		g_assert_false(r.has_enhanced);
	} else {
		g_assert_true(r.has_enhanced);
		g_autofree char *e =
		    g_strdup_printf("%u.%u.%u", r.enh_class, r.enh_subject, r.enh_detail);
		g_assert_cmpstr(e, ==, c->enhanced);
	}
	g_autofree char *text = g_strndup(r.text, r.text_len);
	g_assert_cmpstr(text, ==, c->text);
}

static void
test_reply_parse(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++)
		check_reply(&reply_cases[i], reply_cases[i].line, strlen(reply_cases[i].line));
	/* Only len octets are read. */
	SmtpReplyLine r;
	g_assert_true(smtp_reply_parse_line("250-x", 3, &r));
	g_assert_true(r.last);
	g_assert_false(smtp_reply_parse_line("250", 2, &r));
}

static void
test_reply_parse_split(void)
{
	GString *stream = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(reply_cases); i++)
		g_string_append_printf(stream, "%s\r\n", reply_cases[i].line);
	g_autoptr(LineBuffer) lb = line_buffer_new(SMTP_MAX_LINE);
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

/* --- SASL --- */

static void
test_auth(void)
{
	g_autofree char *authz = NULL, *user = NULL, *pass = NULL;
	/* From the Postfix capture: alice / alicepass, and a wrong password. */
	g_assert_true(smtp_auth_decode_plain("AGFsaWNlAGFsaWNlcGFzcw==", 24, &authz, &user, &pass));
	g_assert_cmpstr(authz, ==, "");
	g_assert_cmpstr(user, ==, "alice");
	g_assert_cmpstr(pass, ==, "alicepass");
	g_clear_pointer(&authz, g_free);
	g_clear_pointer(&user, g_free);
	g_clear_pointer(&pass, g_free);
	g_assert_true(
	    smtp_auth_decode_plain("AGFsaWNlAHdyb25nLXBhc3N3b3Jk", 28, &authz, &user, &pass));
	g_assert_cmpstr(pass, ==, "wrong-password");
	g_clear_pointer(&authz, g_free);
	g_clear_pointer(&user, g_free);
	g_clear_pointer(&pass, g_free);

	/* Round trip with an authorisation identity and UTF-8. */
	g_autofree char *b64 = smtp_auth_encode_plain("admin", "élève", "mot de passe");
	g_assert_true(smtp_auth_decode_plain(b64, strlen(b64), &authz, &user, &pass));
	g_assert_cmpstr(authz, ==, "admin");
	g_assert_cmpstr(user, ==, "élève");
	g_assert_cmpstr(pass, ==, "mot de passe");
	g_clear_pointer(&authz, g_free);
	g_clear_pointer(&user, g_free);
	g_clear_pointer(&pass, g_free);
	g_autofree char *empty_pass = smtp_auth_encode_plain(NULL, "bob", "");
	g_assert_true(smtp_auth_decode_plain(empty_pass, strlen(empty_pass), &authz, &user, &pass));
	g_assert_cmpstr(pass, ==, "");

	char *a = NULL, *u = NULL, *p = NULL;
	static const char *const bad_plain[] = {
	    "",                        /* nothing */
	    "abc",                     /* not a multiple of 4 */
	    "!!!!",                    /* not base64 */
	    "AGFsaWNl",                /* "\0alice": one NUL only */
	    "YWxpY2U=",                /* "alice": no NUL */
	    "AABwYXNz",                /* "\0\0pass": empty user */
	    "AGEAYgBj",                /* "\0a\0b\0c": a NUL in the password */
	    "AP8AcGFzcw==",            /* "\0\xff\0pass": not UTF-8 */
	    "AGFsaWNlAGFsaWNlcGFzcw=", /* bad padding */
	    "AGFs=aWNl",               /* '=' inside */
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad_plain); i++) {
		if (smtp_auth_decode_plain(bad_plain[i], strlen(bad_plain[i]), &a, &u, &p))
			g_error("PLAIN “%s” should be refused", bad_plain[i]);
		g_assert_null(u);
	}

	g_autofree char *t1 = smtp_auth_decode_text(SMTP_AUTH_LOGIN_USERNAME, 12);
	g_assert_cmpstr(t1, ==, "Username:");
	g_autofree char *t2 = smtp_auth_decode_text(SMTP_AUTH_LOGIN_PASSWORD, 12);
	g_assert_cmpstr(t2, ==, "Password:");
	g_autofree char *t3 = smtp_auth_decode_text("", 0);
	g_assert_cmpstr(t3, ==, "");
	g_assert_null(smtp_auth_decode_text("AGFsaWNl", 8));
	g_assert_null(smtp_auth_decode_text("*", 1));
	g_assert_null(smtp_auth_decode_text("/w==", 4)); /* "\xff" */
	/* Only len octets are read. */
	g_autofree char *t4 = smtp_auth_decode_text("YWxpY2U=garbage", 8);
	g_assert_cmpstr(t4, ==, "alice");
	gsize n = 99;
	g_autofree guint8 *raw = smtp_auth_decode_base64("AAE=", 4, &n);
	g_assert_cmpuint(n, ==, 2);
	g_assert_cmpuint(raw[0], ==, 0);
	g_assert_cmpuint(raw[1], ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/smtp-proto/table/commands", test_command_table);
	g_test_add_func("/smtp-proto/table/replies", test_reply_table);
	g_test_add_func("/smtp-proto/table/enhanced", test_enhanced_table);
	g_test_add_func("/smtp-proto/table/extensions", test_extension_table);
	g_test_add_func("/smtp-proto/table/params-sasl", test_param_and_sasl_tables);
	g_test_add_func("/smtp-proto/command/parse", test_command_parse);
	g_test_add_func("/smtp-proto/command/split", test_command_parse_split);
	g_test_add_func("/smtp-proto/mailbox", test_mailbox);
	g_test_add_func("/smtp-proto/numbers", test_numbers);
	g_test_add_func("/smtp-proto/reply/parse", test_reply_parse);
	g_test_add_func("/smtp-proto/reply/split", test_reply_parse_split);
	g_test_add_func("/smtp-proto/auth", test_auth);
	return g_test_run();
}
