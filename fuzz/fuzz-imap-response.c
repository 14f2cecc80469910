/* Fuzz target: the IMAP response parser (src/proto/imap-parser.h, RESPONSES
 * side) as the tracer drives it: tagged, untagged and continuation
 * responses, response codes, FETCH items with literals, errors followed by
 * more input. The input is fed in one piece and again in random pieces,
 * each an exact allocation: both runs must give the same responses (the
 * helpers the tracer applies to them run on the first only). */
#include "fuzz-imap.h"

#include <string.h>

static void
imapr_done(ImapParser *p, GString *log, gboolean exercise)
{
	const ImapResponse *r = imap_parser_get_response(p);
	FUZZ_CHECK(r != NULL && r->text != NULL && r->line != NULL);
	g_string_append_printf(log, "DONE %d %d %s|%s|%s|%s|%s|", (int)r->kind, (int)r->status,
	                       r->tag != NULL ? r->tag : "-", r->keyword != NULL ? r->keyword : "-",
	                       r->code != NULL ? r->code : "-",
	                       r->code_args != NULL ? r->code_args : "-", r->text);
	if (r->has_number)
		g_string_append_printf(log, "%u|", r->number);
	switch (r->kind) {
	case IMAP_RESPONSE_TAGGED:
		FUZZ_CHECK(r->tag != NULL && r->keyword != NULL);
		FUZZ_CHECK(r->status == IMAP_STATUS_OK || r->status == IMAP_STATUS_NO ||
		           r->status == IMAP_STATUS_BAD);
		break;
	case IMAP_RESPONSE_UNTAGGED:
		FUZZ_CHECK(r->tag == NULL && r->keyword != NULL);
		(void)imap_response_lookup(r->keyword);
		break;
	case IMAP_RESPONSE_CONTINUATION:
		(void)imap_response_lookup("+");
		break;
	}
	if (r->code != NULL)
		(void)imap_code_lookup(r->code);
	if (r->args != NULL) {
		FUZZ_CHECK(r->status == IMAP_STATUS_NONE && imap_arg_is_list(r->args));
		fuzz_imap_transcript(log, r->args, FALSE);
		if (exercise) {
			fuzz_imap_exercise(r->args, FALSE);
			g_autofree char *shown = imap_arg_list_to_string(r->args);
			FUZZ_CHECK(shown != NULL);
		}
	}
	g_string_append_c(log, '\n');

	guint iter = 0;
	const char *name;
	const ImapArg *value;
	while (imap_response_fetch_next(r, &iter, &name, &value)) {
		FUZZ_CHECK(name != NULL && value != NULL);
		ImapFetchAtt att;
		if (imap_fetch_att_parse(name, &att, NULL))
			imap_fetch_att_clear(&att);
	}
}

static void
imapr_error(ImapParser *p, GString *log)
{
	ImapParseErrorKind kind = imap_parser_get_error_kind(p);
	FUZZ_CHECK(kind != IMAP_PARSE_ERROR_NONE);
	FUZZ_CHECK(imap_parser_get_error(p) != NULL);
	FUZZ_CHECK(imap_parser_get_response(p) == NULL);
	g_string_append_printf(log, "ERROR %d %s\n", (int)kind,
	                       imap_parser_get_error_untranslated(p));
}

/* rnd NULL: the whole input in one piece. */
static void
imapr_run(const uint8_t *data, size_t size, const ImapParserLimits *limits, guint64 *rnd,
          GString *log)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_RESPONSES, limits);
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
				imapr_done(p, log, rnd == NULL);
				break;
			case IMAP_PARSE_LITERAL_WAIT:
				/* Only the COMMANDS side waits for a continuation. */
				FUZZ_CHECK(r != IMAP_PARSE_LITERAL_WAIT);
				break;
			case IMAP_PARSE_ERROR:
				FUZZ_CHECK(used > 0);
				imapr_error(p, log);
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
	imapr_run(data, size, defaults ? NULL : &limits, NULL, whole);
	imapr_run(data, size, defaults ? NULL : &limits, &rnd, pieces);
	if (!g_string_equal(whole, pieces)) {
		g_printerr("--- in one piece:\n%s--- in pieces:\n%s", whole->str, pieces->str);
		FUZZ_CHECK(g_string_equal(whole, pieces));
	}
	return 0;
}
