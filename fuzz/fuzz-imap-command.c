/* Fuzz target: the IMAP command parser (src/proto/imap-parser.h, COMMANDS
 * side) as the server drives it: commands with literals {n} and {n+}, a
 * LITERAL_WAIT answered by going on or by refusing the command (reset), the
 * bare line IDLE and AUTHENTICATE wait for, errors followed by more input.
 * The input is fed in one piece and again in random pieces, each an exact
 * allocation: both runs must give the same results, octet for octet (the
 * helpers the server applies to arguments run on the first only). */
#include "fuzz-imap.h"

#include <string.h>

static void
imapc_done(ImapParser *p, GString *log, gboolean exercise)
{
	const char *line = imap_parser_get_line(p);
	if (line != NULL) {
		g_string_append_printf(log, "LINE %s\n", line);
		return;
	}
	const char *tag = imap_parser_get_tag(p);
	const char *name = imap_parser_get_command_name(p);
	const ImapArg *args = imap_parser_get_args(p);
	FUZZ_CHECK(tag != NULL && name != NULL && args != NULL && imap_arg_is_list(args));
	g_string_append_printf(log, "DONE %s %s ", tag, name);
	fuzz_imap_transcript(log, args, FALSE);
	g_string_append_c(log, '\n');
	if (exercise) {
		fuzz_imap_exercise(args, FALSE);
		g_autofree char *shown = imap_arg_list_to_string(args);
		FUZZ_CHECK(shown != NULL);
	}
	const ImapCommandInfo *info = imap_command_lookup(name, imap_arg_nth(args, 0));
	if (info != NULL && (info->id == IMAP_CMD_IDLE || info->id == IMAP_CMD_AUTHENTICATE))
		imap_parser_expect_line(p);
	/* The server takes the arguments of the commands it queues. */
	if (strlen(tag) % 2 == 1) {
		ImapArg *taken = imap_parser_steal_args(p);
		FUZZ_CHECK(taken == args && imap_parser_get_args(p) == NULL);
		imap_arg_free(taken);
	}
}

static void
imapc_literal_wait(ImapParser *p, GString *log, gboolean exercise)
{
	const char *tag = imap_parser_get_tag(p);
	const char *name = imap_parser_get_command_name(p);
	const ImapArg *args = imap_parser_get_args(p);
	gsize size = imap_parser_get_literal_size(p);
	FUZZ_CHECK(tag != NULL && name != NULL && args != NULL);
	FUZZ_CHECK(size <= imap_parser_get_limits(p)->max_literal);
	g_string_append_printf(log, "WAIT %s %s %" G_GSIZE_FORMAT " ", tag, name, size);
	fuzz_imap_transcript(log, args, TRUE);
	g_string_append_c(log, '\n');
	if (exercise)
		fuzz_imap_exercise(args, TRUE);
	/* The server refuses some commands before their literal comes. */
	if (size % 3 == 0) {
		imap_parser_reset(p);
		g_string_append(log, "RESET\n");
	}
}

static void
imapc_error(ImapParser *p, GString *log)
{
	ImapParseErrorKind kind = imap_parser_get_error_kind(p);
	FUZZ_CHECK(kind != IMAP_PARSE_ERROR_NONE);
	FUZZ_CHECK(imap_parser_get_error(p) != NULL);
	FUZZ_CHECK(imap_parser_get_error_untranslated(p) != NULL);
	const char *tag = imap_parser_get_tag(p);
	const char *name = imap_parser_get_command_name(p);
	g_string_append_printf(log, "ERROR %d %s %s %s\n", (int)kind, tag != NULL ? tag : "-",
	                       name != NULL ? name : "-", imap_parser_get_error_untranslated(p));
}

/* rnd NULL: the whole input in one piece. */
static void
imapc_run(const uint8_t *data, size_t size, const ImapParserLimits *limits, guint64 *rnd,
          GString *log)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_COMMANDS, limits);
	size_t pos = 0;
	while (pos < size) {
		size_t n = rnd != NULL ? fuzz_piece(rnd, size - pos) : size - pos;
		char *piece = fuzz_exact(data + pos, n);
		size_t off = 0;
		while (off < n) {
			gsize used = 0;
			ImapParseResult r = imap_parser_feed(p, piece + off, n - off, &used);
			FUZZ_CHECK(used <= n - off);
			off += used;
			switch (r) {
			case IMAP_PARSE_NEED_MORE:
				FUZZ_CHECK(off == n);
				break;
			case IMAP_PARSE_DONE:
				FUZZ_CHECK(used > 0);
				imapc_done(p, log, rnd == NULL);
				break;
			case IMAP_PARSE_LITERAL_WAIT:
				FUZZ_CHECK(used > 0);
				imapc_literal_wait(p, log, rnd == NULL);
				break;
			case IMAP_PARSE_ERROR:
				FUZZ_CHECK(used > 0);
				imapc_error(p, log);
				break;
			}
		}
		free(piece);
		pos += n;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	guint64 rnd = fuzz_hash(data, size);
	ImapParserLimits limits;
	gboolean defaults;
	fuzz_imap_limits(&rnd, &limits, &defaults);
	g_autoptr(GString) whole = g_string_new(NULL);
	g_autoptr(GString) pieces = g_string_new(NULL);
	imapc_run(data, size, defaults ? NULL : &limits, NULL, whole);
	imapc_run(data, size, defaults ? NULL : &limits, &rnd, pieces);
	if (!g_string_equal(whole, pieces)) {
		g_printerr("--- in one piece:\n%s--- in pieces:\n%s", whole->str, pieces->str);
		FUZZ_CHECK(g_string_equal(whole, pieces));
	}
	return 0;
}
