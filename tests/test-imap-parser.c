/* Tests of the IMAP parser: tables of good and bad commands and responses,
 * each fed whole, one byte at a time, and in uneven pieces (literals split
 * across feeds); then a real Dovecot session, both directions. */
#include "proto/imap-parser.h"

#include <string.h>

/* The argument tree written so that every detail shows: A:atom, NIL,
 * "string", L{literal}, (list). */
static void
dump_arg(GString *out, const ImapArg *arg)
{
	switch (arg->type) {
	case IMAP_ARG_ATOM:
		g_string_append_printf(out, "A:%s", arg->data);
		break;
	case IMAP_ARG_NIL:
		g_string_append(out, "NIL");
		break;
	case IMAP_ARG_STRING:
		g_string_append_printf(out, "\"%s\"", arg->data);
		break;
	case IMAP_ARG_LITERAL:
		g_string_append_printf(out, "L%s{", arg->literal_sync ? "" : "+");
		g_string_append_len(out, arg->data, (gssize)arg->len);
		g_string_append_c(out, '}');
		break;
	case IMAP_ARG_LIST:
		g_string_append_c(out, '(');
		for (guint i = 0; i < imap_arg_count(arg); i++) {
			if (i > 0)
				g_string_append_c(out, ' ');
			dump_arg(out, imap_arg_nth(arg, i));
		}
		g_string_append_c(out, ')');
		break;
	}
}

static const char *
kind_name(ImapParseErrorKind kind)
{
	switch (kind) {
	case IMAP_PARSE_ERROR_NONE:
		return "none";
	case IMAP_PARSE_ERROR_SYNTAX:
		return "syntax";
	case IMAP_PARSE_ERROR_LINE_TOO_LONG:
		return "too-long";
	case IMAP_PARSE_ERROR_LITERAL_TOO_LARGE:
		return "literal-too-large";
	case IMAP_PARSE_ERROR_TOO_DEEP:
		return "too-deep";
	case IMAP_PARSE_ERROR_TOO_MANY_ARGS:
		return "too-many-args";
	}
	return "?";
}

static void
dump_response(GString *out, const ImapResponse *r)
{
	switch (r->kind) {
	case IMAP_RESPONSE_CONTINUATION:
		g_string_append_printf(out, "+ text=[%s]", r->text);
		return;
	case IMAP_RESPONSE_TAGGED:
		g_string_append_printf(out, "tag=%s ", r->tag);
		break;
	case IMAP_RESPONSE_UNTAGGED:
		g_string_append(out, "* ");
		break;
	}
	if (r->has_number)
		g_string_append_printf(out, "%u ", r->number);
	g_string_append(out, r->keyword);
	if (r->status != IMAP_STATUS_NONE) {
		if (r->code != NULL)
			g_string_append_printf(out, " code=%s", r->code);
		if (r->code_args != NULL)
			g_string_append_printf(out, " code_args=[%s]", r->code_args);
		g_string_append_printf(out, " text=[%s]", r->text);
	} else {
		g_string_append_c(out, ' ');
		dump_arg(out, r->args);
	}
}

typedef struct {
	ImapParserSide side;
	const ImapParserLimits *limits;
	/* Sizes of the pieces to feed, repeated; 0 feeds everything at once. */
	gsize chunk;
} FeedMode;

/* Feeds input as the mode says and writes one line per result:
 *   DONE tag name args | WAIT n | ERROR kind tag name | R response */
static char *
run(const FeedMode *mode, const char *input, gsize len)
{
	g_autoptr(ImapParser) p = imap_parser_new(mode->side, mode->limits);
	GString *out = g_string_new(NULL);
	gsize pos = 0;
	while (pos < len) {
		gsize n = mode->chunk == 0 ? len - pos : MIN(mode->chunk, len - pos);
		gsize off = 0;
		while (off < n) {
			gsize used = 0;
			ImapParseResult r = imap_parser_feed(p, input + pos + off, n - off, &used);
			g_assert_cmpuint(used, <=, n - off);
			off += used;
			switch (r) {
			case IMAP_PARSE_NEED_MORE:
				g_assert_cmpuint(off, ==, n);
				break;
			case IMAP_PARSE_DONE:
				if (mode->side == IMAP_PARSER_COMMANDS) {
					const char *line = imap_parser_get_line(p);
					if (line != NULL) {
						g_string_append_printf(out, "LINE [%s]\n", line);
						break;
					}
					g_string_append_printf(out, "DONE %s %s ",
					                       imap_parser_get_tag(p),
					                       imap_parser_get_command_name(p));
					dump_arg(out, imap_parser_get_args(p));
				} else {
					g_string_append(out, "R ");
					dump_response(out, imap_parser_get_response(p));
				}
				g_string_append_c(out, '\n');
				break;
			case IMAP_PARSE_LITERAL_WAIT:
				g_string_append_printf(out, "WAIT %" G_GSIZE_FORMAT "\n",
				                       imap_parser_get_literal_size(p));
				break;
			case IMAP_PARSE_ERROR:
				g_assert_nonnull(imap_parser_get_error(p));
				g_assert_cmpstr(imap_parser_get_error(p), !=, "");
				g_string_append_printf(
				    out, "ERROR %s %s %s\n",
				    kind_name(imap_parser_get_error_kind(p)),
				    imap_parser_get_tag(p) ? imap_parser_get_tag(p) : "-",
				    imap_parser_get_command_name(p)
				        ? imap_parser_get_command_name(p)
				        : "-");
				break;
			}
		}
		pos += n;
	}
	return g_string_free(out, FALSE);
}

/* The same input, whole, byte by byte and in pieces of 2, 3 and 7 octets,
 * must give the same results, and those expected. */
static void
check_all_feedings(ImapParserSide side, const ImapParserLimits *limits, const char *input,
                   gsize len, const char *expected)
{
	static const gsize chunks[] = {0, 1, 2, 3, 7};
	for (gsize i = 0; i < G_N_ELEMENTS(chunks); i++) {
		FeedMode mode = {.side = side, .limits = limits, .chunk = chunks[i]};
		g_autofree char *got = run(&mode, input, len);
		if (g_strcmp0(got, expected) != 0)
			g_test_message("input «%s», pieces of %" G_GSIZE_FORMAT, input, chunks[i]);
		g_assert_cmpstr(got, ==, expected);
	}
}

typedef struct {
	const char *input;
	const char *expected;
} Case;

static const Case good_commands[] = {
    {"A1 NOOP\r\n", "DONE A1 NOOP ()\n"},
    {"a2 login alice \"secret \\\"x\\\\\"\r\n", "DONE a2 login (A:alice \"secret \"x\\\")\n"},
    {"A3 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n", "WAIT 5\nDONE A3 LOGIN (L{alice} L+{secret})\n"},
    {"A4 FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)\r\n",
     "DONE A4 FETCH (A:1:* (A:FLAGS A:BODY.PEEK[HEADER.FIELDS (From To)]<0.100>))\n"},
    {"A5 SELECT NIL\r\n", "DONE A5 SELECT (NIL)\n"},
    {"A6 APPEND INBOX (\\Seen) \"23-Nov-2026 09:15:00 +0000\" {12}\r\nHello\r\nWorld\r\n",
     "WAIT 12\nDONE A6 APPEND (A:INBOX (A:\\Seen) \"23-Nov-2026 09:15:00 +0000\" "
     "L{Hello\r\nWorld})\n"},
    {"A7 X ((a b) (c (d)) ())\r\n", "DONE A7 X (((A:a A:b) (A:c (A:d)) ()))\n"},
    {"A8 NOOP\n", "DONE A8 NOOP ()\n"},
    {"A9 X {0}\r\n\r\n", "WAIT 0\nDONE A9 X (L{})\n"},
    {"A10 STORE 1 +FLAGS.SILENT (\\Deleted \\Seen)\r\n",
     "DONE A10 STORE (A:1 A:+FLAGS.SILENT (A:\\Deleted A:\\Seen))\n"},
    {"A11 SEARCH OR FROM alice NOT SEEN UID 1:5,7\r\n",
     "DONE A11 SEARCH (A:OR A:FROM A:alice A:NOT A:SEEN A:UID A:1:5,7)\n"},
    {"A12 LOGIN \"\xc3\xa9l\xc3\xa8ve\" x\r\n", "DONE A12 LOGIN (\"\xc3\xa9l\xc3\xa8ve\" A:x)\n"},
    {"A13 LIST \"\" *\r\nA14 LIST \"\" %.%\r\n",
     "DONE A13 LIST (\"\" A:*)\nDONE A14 LIST (\"\" A:%.%)\n"},
    {"A]15 NOOP\r\n", "DONE A]15 NOOP ()\n"},
    {"A16 X (a)(b)\r\n", "DONE A16 X ((A:a) (A:b))\n"},
    {"A17 NOOP\r\nA18 CHECK\r\n", "DONE A17 NOOP ()\nDONE A18 CHECK ()\n"},
    {"A19 FETCH 2 (BODY[] BODY[1.2.MIME] BINARY.PEEK[1]<0.5>)\r\n",
     "DONE A19 FETCH (A:2 (A:BODY[] A:BODY[1.2.MIME] A:BINARY.PEEK[1]<0.5>))\n"},
    /* "[" outside BODY[…] is an ordinary atom character; "]" is an ASTRING-CHAR. */
    {"A20 SELECT a[b]c\r\n", "DONE A20 SELECT (A:a[b]c)\n"},
    {"A21 NOOP \r\n", "DONE A21 NOOP ()\n"},
    {"A22 APPEND x {3}\r\n{4}\r\n", "WAIT 3\nDONE A22 APPEND (A:x L{{4}})\n"},
    {"A23 LOGIN {1+}\r\n\" {2}\r\n\r\n\r\n", "WAIT 2\nDONE A23 LOGIN (L+{\"} L{\r\n})\n"},
    {"A24 X \"a b ( ) { }\"\r\n", "DONE A24 X (\"a b ( ) { }\")\n"},
};

static const Case bad_commands[] = {
    {"\r\nA1 NOOP\r\n", "ERROR syntax - -\nDONE A1 NOOP ()\n"},
    {"A1\r\n", "ERROR syntax A1 -\n"},
    {"A1 FETCH 1 (FLAGS\r\nA2 NOOP\r\n", "ERROR syntax A1 FETCH\nDONE A2 NOOP ()\n"},
    {"A1 X a)\r\n", "ERROR syntax A1 X\n"},
    {"A1 X \"abc\r\n", "ERROR syntax A1 X\n"},
    {"A1 X \"a\\b\"\r\n", "ERROR syntax A1 X\n"},
    {"A1 X {abc}\r\n", "ERROR syntax A1 X\n"},
    {"A1 X {5} x\r\n", "ERROR syntax A1 X\n"},
    {"A1 X {99999999999999999999999}\r\nA2 NOOP\r\n",
     "ERROR literal-too-large A1 X\nDONE A2 NOOP ()\n"},
    {"A1 SELECT \xc3\x89l\xc3\xa9ments\r\n", "ERROR syntax A1 SELECT\n"},
    {"A1 X a\"b\r\n", "ERROR syntax A1 X\n"},
    {"* NOOP\r\n", "ERROR syntax - -\n"},
    {"+ NOOP\r\n", "ERROR syntax - -\n"},
    {"A1 X (a)b\r\n", "ERROR syntax A1 X\n"},
    {"A1 X \"a\"b\r\n", "ERROR syntax A1 X\n"},
    {" A1 NOOP\r\n", "ERROR syntax - -\n"},
    {"A1  NOOP\r\n", "ERROR syntax A1 -\n"},
    {"A(1 NOOP\r\n", "ERROR syntax - -\n"},
    {"A1 NO(OP\r\n", "ERROR syntax A1 -\n"},
    {"A1 X a\x01z\r\n", "ERROR syntax A1 X\n"},
    {"A1 FETCH 1 BODY[HEADER\r\n", "ERROR syntax A1 FETCH\n"},
    /* A faulty line announcing {n+}: its literal is skipped with it. */
    {"A1 X ) {5+}\r\nA2 Y\r\nA3 NOOP\r\n", "ERROR syntax A1 X\nDONE A3 NOOP ()\n"},
};

static void
test_commands_good(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(good_commands); i++)
		check_all_feedings(IMAP_PARSER_COMMANDS, NULL, good_commands[i].input,
		                   strlen(good_commands[i].input), good_commands[i].expected);
}

static void
test_commands_bad(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(bad_commands); i++)
		check_all_feedings(IMAP_PARSER_COMMANDS, NULL, bad_commands[i].input,
		                   strlen(bad_commands[i].input), bad_commands[i].expected);
}

static void
test_limits(void)
{
	ImapParserLimits small = {.max_line = 64, .max_literal = 10, .max_depth = 3, .max_args = 6};
	/* A synchronising literal over the limit: the client sends nothing more. */
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, "A1 APPEND INBOX {100}\r\nA2 NOOP\r\n", 33,
	                   "ERROR literal-too-large A1 APPEND\nDONE A2 NOOP ()\n");
	/* A non-synchronising one: its octets come anyway and are skipped. */
	const char *plus = "A1 APPEND INBOX {20+}\r\n01234567890123456789\r\nA2 NOOP\r\n";
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, plus, strlen(plus),
	                   "ERROR literal-too-large A1 APPEND\nDONE A2 NOOP ()\n");
	/* Exactly at the limit is fine. */
	const char *ten = "A1 X {10}\r\n0123456789\r\n";
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, ten, strlen(ten),
	                   "WAIT 10\nDONE A1 X (L{0123456789})\n");
	/* The sum of a command's literals is limited too. */
	const char *two = "A1 X {6+}\r\n012345 {6+}\r\n012345\r\nA2 NOOP\r\n";
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, two, strlen(two),
	                   "ERROR literal-too-large A1 X\nDONE A2 NOOP ()\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, "A1 X (((a)))\r\n", 14,
	                   "DONE A1 X ((((A:a))))\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, "A1 X ((((a))))\r\nA2 NOOP\r\n", 26,
	                   "ERROR too-deep A1 X\nDONE A2 NOOP ()\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, "A1 X a b c d e f\r\n", 18,
	                   "DONE A1 X (A:a A:b A:c A:d A:e A:f)\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, "A1 X a b c d e f g\r\n", 20,
	                   "ERROR too-many-args A1 X\n");

	/* A line of exactly max_line octets (CRLF included) passes, one more fails;
	 * the tag is still known, and the next command is read. */
	g_autoptr(GString) line = g_string_new("A1 X ");
	while (line->len < 62)
		g_string_append_c(line, 'x');
	g_string_append(line, "\r\n");
	g_assert_cmpuint(line->len, ==, 64);
	g_autofree char *xs = g_strndup(line->str + 5, line->len - 7);
	g_autofree char *ok = g_strdup_printf("DONE A1 X (A:%s)\n", xs);
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, line->str, line->len, ok);
	g_string_insert_c(line, 5, 'y');
	g_string_append(line, "A2 NOOP\r\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, &small, line->str, line->len,
	                   "ERROR too-long A1 X\nDONE A2 NOOP ()\n");

	/* The default 8 KB limit. */
	g_autoptr(GString) big = g_string_new("A7 FETCH ");
	while (big->len < 9000)
		g_string_append(big, "1,");
	g_string_append(big, "1 FLAGS\r\nA8 NOOP\r\n");
	check_all_feedings(IMAP_PARSER_COMMANDS, NULL, big->str, big->len,
	                   "ERROR too-long A7 FETCH\nDONE A8 NOOP ()\n");
}

/* A literal refused by the server: at WAIT it calls reset, and the client,
 * which got NO instead of "+", goes on with its next command. */
static void
test_literal_refused(void)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_COMMANDS, NULL);
	const char *in = "A1 APPEND Nulle-part {303}\r\nA2 NOOP\r\n";
	gsize used;
	g_assert_cmpint(imap_parser_feed(p, in, strlen(in), &used), ==, IMAP_PARSE_LITERAL_WAIT);
	g_assert_cmpstr(imap_parser_get_tag(p), ==, "A1");
	g_assert_cmpstr(imap_parser_get_command_name(p), ==, "APPEND");
	g_assert_cmpuint(imap_arg_count(imap_parser_get_args(p)), ==, 2);
	g_assert_cmpstr(imap_arg_nth(imap_parser_get_args(p), 0)->data, ==, "Nulle-part");
	/* The literal announced has no octets yet: not a string (it used to be
	 * memchr on NULL and a NULL string said to be one). */
	const char *str = "unchanged";
	const ImapArg *lit = imap_arg_nth(imap_parser_get_args(p), 1);
	g_assert_cmpint(lit->type, ==, IMAP_ARG_LITERAL);
	g_assert_false(imap_arg_get_string(lit, &str));
	g_assert_false(imap_arg_get_astring(lit, &str));
	g_assert_false(imap_arg_get_nstring(lit, &str));
	g_assert_cmpstr(str, ==, "unchanged");
	imap_parser_reset(p);
	gsize used2;
	g_assert_cmpint(imap_parser_feed(p, in + used, strlen(in) - used, &used2), ==,
	                IMAP_PARSE_DONE);
	g_assert_cmpstr(imap_parser_get_tag(p), ==, "A2");
	g_assert_cmpuint(used + used2, ==, strlen(in));
}

/* expect_line: the answer to an AUTHENTICATE challenge, IDLE's DONE. */
static void
test_expect_line(void)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_COMMANDS, NULL);
	const char *in = "A1 AUTHENTICATE PLAIN\r\nAGFsaWNlAGFsaWNlcGFzcw==\r\nA2 IDLE\r\nDONE\r\n";
	gsize off = 0, used;
	g_assert_cmpint(imap_parser_feed(p, in, strlen(in), &used), ==, IMAP_PARSE_DONE);
	g_assert_null(imap_parser_get_line(p));
	off += used;
	imap_parser_expect_line(p);
	/* one byte at a time */
	ImapParseResult r = IMAP_PARSE_NEED_MORE;
	while (r == IMAP_PARSE_NEED_MORE) {
		r = imap_parser_feed(p, in + off, 1, &used);
		off += used;
	}
	g_assert_cmpint(r, ==, IMAP_PARSE_DONE);
	g_assert_cmpstr(imap_parser_get_line(p), ==, "AGFsaWNlAGFsaWNlcGFzcw==");
	g_assert_null(imap_parser_get_tag(p));
	g_assert_cmpint(imap_parser_feed(p, in + off, strlen(in) - off, &used), ==,
	                IMAP_PARSE_DONE);
	g_assert_cmpstr(imap_parser_get_command_name(p), ==, "IDLE");
	off += used;
	imap_parser_expect_line(p);
	g_assert_cmpint(imap_parser_feed(p, in + off, strlen(in) - off, &used), ==,
	                IMAP_PARSE_DONE);
	g_assert_cmpstr(imap_parser_get_line(p), ==, "DONE");
	g_assert_cmpuint(off + used, ==, strlen(in));
}

static const Case good_responses[] = {
    {"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ "
     "AUTH=PLAIN AUTH=LOGIN] Dovecot (Debian) ready.\r\n",
     "R * OK code=CAPABILITY code_args=[IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
     "LITERAL+ AUTH=PLAIN AUTH=LOGIN] text=[Dovecot (Debian) ready.]\n"},
    {"IEMA2 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
     "R tag=IEMA2 NO code=AUTHENTICATIONFAILED text=[Authentication failed.]\n"},
    {"* NAMESPACE ((\"\" \".\")) NIL NIL\r\n", "R * NAMESPACE (((\"\" \".\")) NIL NIL)\n"},
    {"* LIST (\\HasNoChildren \\Drafts) \".\" Drafts\r\n",
     "R * LIST ((A:\\HasNoChildren A:\\Drafts) \".\" A:Drafts)\n"},
    {"+ OK\r\n+ \r\n+\r\n+ UGFzc3dvcmQ6\r\n",
     "R + text=[OK]\nR + text=[]\nR + text=[]\nR + text=[UGFzc3dvcmQ6]\n"},
    {"* STATUS Projets (MESSAGES 3 RECENT 3 UIDNEXT 4 UIDVALIDITY 1795672103 UNSEEN 2)\r\n",
     "R * STATUS (A:Projets (A:MESSAGES A:3 A:RECENT A:3 A:UIDNEXT A:4 A:UIDVALIDITY "
     "A:1795672103 A:UNSEEN A:2))\n"},
    {"* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
     "permitted.\r\n",
     "R * OK code=PERMANENTFLAGS code_args=[(\\Answered \\Flagged \\Deleted \\Seen \\Draft "
     "\\*)] text=[Flags permitted.]\n"},
    {"* 3 EXISTS\r\n* 0 RECENT\r\n* 3 EXPUNGE\r\n",
     "R * 3 EXISTS ()\nR * 0 RECENT ()\nR * 3 EXPUNGE ()\n"},
    {"IEMA16 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n",
     "R tag=IEMA16 OK code=READ-WRITE text=[Select completed (0.001 + 0.000 secs).]\n"},
    {"* 1 FETCH (FLAGS (\\Seen \\Recent) UID 1 RFC822.SIZE 303 INTERNALDATE "
     "\"23-Nov-2026 09:15:00 +0000\")\r\n",
     "R * 1 FETCH ((A:FLAGS (A:\\Seen A:\\Recent) A:UID A:1 A:RFC822.SIZE A:303 "
     "A:INTERNALDATE \"23-Nov-2026 09:15:00 +0000\"))\n"},
    {"* 2 FETCH (BODY[HEADER] {11}\r\nFrom: a\r\n\r\n)\r\n",
     "R * 2 FETCH ((A:BODY[HEADER] L{From: a\r\n\r\n}))\n"},
    {"* 2 FETCH (BODY[1.2.2.MIME] {4}\r\nab\r\n BODY[2]<0> {3}\r\nxyz)\r\n",
     "R * 2 FETCH ((A:BODY[1.2.2.MIME] L{ab\r\n} A:BODY[2]<0> L{xyz}))\n"},
    {"* 2 FETCH (BODY[HEADER.FIELDS (FROM TO)] {2}\r\n\r\n)\r\n",
     "R * 2 FETCH ((A:BODY[HEADER.FIELDS (FROM TO)] L{\r\n}))\n"},
    {"* SEARCH 3 5\r\n* SEARCH\r\n", "R * SEARCH (A:3 A:5)\nR * SEARCH ()\n"},
    {"IEMA24 BAD Error in IMAP command FETCH: Missing ')' (0.001 + 0.000 secs).\r\n",
     "R tag=IEMA24 BAD text=[Error in IMAP command FETCH: Missing ')' (0.001 + 0.000 "
     "secs).]\n"},
    {"* BYE Logging out\r\n", "R * BYE text=[Logging out]\n"},
    {"* OK [CLOSED] Previous mailbox closed.\r\n",
     "R * OK code=CLOSED text=[Previous mailbox closed.]\n"},
    /* A status text ending in {5} is text, not a literal. */
    {"A1 OK done {5}\r\n", "R tag=A1 OK text=[done {5}]\n"},
    {"* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n",
     "R * FLAGS ((A:\\Answered A:\\Flagged A:\\Deleted A:\\Seen A:\\Draft))\n"},
    {"* ID (\"name\" \"Dovecot\")\r\n", "R * ID ((\"name\" \"Dovecot\"))\n"},
    {"* PREAUTH ready\r\n", "R * PREAUTH text=[ready]\n"},
    {"A2 OK [APPENDUID 1795672103 1] Append completed.\r\n",
     "R tag=A2 OK code=APPENDUID code_args=[1795672103 1] text=[Append completed.]\n"},
    {"* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1 NIL NIL NIL "
     "NIL)(\"image\" \"png\" NIL NIL NIL \"base64\" 4 NIL NIL NIL NIL) \"mixed\"))\r\n",
     "R * 1 FETCH ((A:BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" A:1 A:1 NIL "
     "NIL NIL NIL) (\"image\" \"png\" NIL NIL NIL \"base64\" A:4 NIL NIL NIL NIL) "
     "\"mixed\")))\n"},
    /* UTF-8 in a server's answer (RFC 6855 servers) is accepted. */
    {"* LIST () \".\" \xc3\x89t\xc3\xa9\r\n", "R * LIST (() \".\" A:\xc3\x89t\xc3\xa9)\n"},
    {"* OK\r\n", "R * OK text=[]\n"},
};

static const Case bad_responses[] = {
    {"A1 FETCH x\r\n* 1 EXISTS\r\n", "ERROR syntax A1 -\nR * 1 EXISTS ()\n"},
    {"*3 EXISTS\r\n", "ERROR syntax - -\n"},
    {"* 3\r\n", "ERROR syntax - -\n"},
    {"* OK [UIDVALIDITY 1\r\n", "ERROR syntax - -\n"},
    {"\r\n", "ERROR syntax - -\n"},
    {"* 1 FETCH (FLAGS (\\Seen)\r\n", "ERROR syntax - -\n"},
    {"A1 BYE x\r\n", "ERROR syntax A1 -\n"},
    {"* OK [] x\r\n", "ERROR syntax - -\n"},
    /* The literal of a faulty line is skipped too, but only when {n+}. */
    {"* 1 FETCH ) {3+}\r\nabc\r\n* 2 EXISTS\r\n", "ERROR syntax - -\nR * 2 EXISTS ()\n"},
};

static void
test_responses_good(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(good_responses); i++)
		check_all_feedings(IMAP_PARSER_RESPONSES, NULL, good_responses[i].input,
		                   strlen(good_responses[i].input), good_responses[i].expected);
}

static void
test_responses_bad(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(bad_responses); i++)
		check_all_feedings(IMAP_PARSER_RESPONSES, NULL, bad_responses[i].input,
		                   strlen(bad_responses[i].input), bad_responses[i].expected);
}

static void
test_fetch_items(void)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_RESPONSES, NULL);
	const char *in =
	    "* 2 FETCH (UID 7 BODY[1.2.2.MIME] {4}\r\nab\r\n BODY[2]<0> {3}\r\nxyz)\r\n";
	gsize used;
	g_assert_cmpint(imap_parser_feed(p, in, strlen(in), &used), ==, IMAP_PARSE_DONE);
	const ImapResponse *r = imap_parser_get_response(p);
	g_assert_nonnull(r);
	g_assert_cmpuint(r->number, ==, 2);
	g_assert_cmpstr(r->line, ==, "* 2 FETCH (UID 7 BODY[1.2.2.MIME] {4}");
	guint iter = 0;
	const char *name;
	const ImapArg *value;
	g_assert_true(imap_response_fetch_next(r, &iter, &name, &value));
	g_assert_cmpstr(name, ==, "UID");
	g_assert_cmpstr(value->data, ==, "7");
	g_assert_true(imap_response_fetch_next(r, &iter, &name, &value));
	g_assert_cmpstr(name, ==, "BODY[1.2.2.MIME]");
	g_assert_cmpint(value->type, ==, IMAP_ARG_LITERAL);
	g_assert_cmpmem(value->data, value->len, "ab\r\n", 4);
	g_assert_true(imap_response_fetch_next(r, &iter, &name, &value));
	g_assert_cmpstr(name, ==, "BODY[2]<0>");
	g_assert_cmpmem(value->data, value->len, "xyz", 3);
	g_assert_false(imap_response_fetch_next(r, &iter, &name, &value));
}

static GBytes *
read_data(const char *name)
{
	const char *top = g_getenv("FACTEUR_TOP");
	g_autofree char *path =
	    g_build_filename(top != NULL ? top : ".", "tests", "data", name, NULL);
	g_autoptr(GError) error = NULL;
	char *contents;
	gsize len;
	if (!g_file_get_contents(path, &contents, &len, &error))
		g_error("%s", error->message);
	return g_bytes_new_take(contents, len);
}

/* The client side of a real Dovecot session (Python imaplib), fed one byte at
 * a time: every command parses, except the one Dovecot answered BAD for a
 * missing ")", and the APPEND that Dovecot refused before its literal. */
static void
test_dovecot_commands(void)
{
	g_autoptr(GBytes) bytes = read_data("imap-dovecot-c2s.bin");
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_COMMANDS, NULL);
	guint done = 0, errors = 0, waits = 0, refused = 0;
	for (gsize i = 0; i < len; i++) {
		gsize used;
		ImapParseResult r = imap_parser_feed(p, data + i, 1, &used);
		g_assert_cmpuint(used, ==, 1);
		if (r == IMAP_PARSE_DONE) {
			g_autofree char *tag = g_strdup_printf("IEMA%u", done + errors + refused);
			g_assert_cmpstr(imap_parser_get_tag(p), ==, tag);
			done++;
		} else if (r == IMAP_PARSE_ERROR) {
			g_assert_cmpstr(imap_parser_get_tag(p), ==, "IEMA24");
			g_assert_cmpstr(imap_parser_get_command_name(p), ==, "FETCH");
			errors++;
		} else if (r == IMAP_PARSE_LITERAL_WAIT) {
			waits++;
			const char *mailbox;
			g_assert_true(imap_arg_get_astring(imap_arg_nth(imap_parser_get_args(p), 0),
			                                   &mailbox));
			if (g_strcmp0(mailbox, "Nulle-part") == 0) {
				imap_parser_reset(p);
				refused++;
			}
		}
	}
	g_assert_cmpuint(done, ==, 42);
	g_assert_cmpuint(errors, ==, 1);
	g_assert_cmpuint(refused, ==, 1);
	g_assert_cmpuint(waits, ==, 5);
}

/* The server side of the same session, in segments of 1, 100 and all octets. */
static void
test_dovecot_responses(void)
{
	g_autoptr(GBytes) bytes = read_data("imap-dovecot-s2c.bin");
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	static const gsize chunks[] = {1, 100, 0};
	for (gsize c = 0; c < G_N_ELEMENTS(chunks); c++) {
		g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_RESPONSES, NULL);
		guint tagged = 0, untagged = 0, cont = 0, literals = 0;
		g_autoptr(GString) sections = g_string_new(NULL);
		gsize pos = 0;
		while (pos < len) {
			gsize n = chunks[c] == 0 ? len - pos : MIN(chunks[c], len - pos);
			gsize off = 0;
			while (off < n) {
				gsize used;
				ImapParseResult r =
				    imap_parser_feed(p, data + pos + off, n - off, &used);
				off += used;
				g_assert_cmpint(r, !=, IMAP_PARSE_ERROR);
				if (r != IMAP_PARSE_DONE)
					continue;
				const ImapResponse *resp = imap_parser_get_response(p);
				if (resp->kind == IMAP_RESPONSE_TAGGED)
					tagged++;
				else if (resp->kind == IMAP_RESPONSE_UNTAGGED)
					untagged++;
				else
					cont++;
				guint iter = 0;
				const char *name;
				const ImapArg *value;
				while (imap_response_fetch_next(resp, &iter, &name, &value)) {
					if (value->type == IMAP_ARG_LITERAL) {
						literals++;
						g_string_append_printf(sections,
						                       "%s=%" G_GSIZE_FORMAT " ",
						                       name, value->len);
					}
				}
			}
			pos += n;
		}
		g_assert_cmpuint(tagged, ==, 44);
		g_assert_cmpuint(cont, ==, 4);
		g_assert_cmpuint(literals, ==, 4);
		g_assert_cmpstr(
		    sections->str, ==,
		    "BODY[HEADER]=330 BODY[1]=1287 BODY[1.2.2.MIME]=151 BODY[2]<0>=64 ");
		g_assert_cmpuint(untagged, ==, 52);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap-parser/commands/good", test_commands_good);
	g_test_add_func("/imap-parser/commands/bad", test_commands_bad);
	g_test_add_func("/imap-parser/commands/limits", test_limits);
	g_test_add_func("/imap-parser/commands/literal-refused", test_literal_refused);
	g_test_add_func("/imap-parser/commands/expect-line", test_expect_line);
	g_test_add_func("/imap-parser/responses/good", test_responses_good);
	g_test_add_func("/imap-parser/responses/bad", test_responses_bad);
	g_test_add_func("/imap-parser/responses/fetch-items", test_fetch_items);
	g_test_add_func("/imap-parser/dovecot/commands", test_dovecot_commands);
	g_test_add_func("/imap-parser/dovecot/responses", test_dovecot_responses);
	return g_test_run();
}
