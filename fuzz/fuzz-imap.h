/* What the two IMAP parser targets share: limits drawn from the input, a
 * transcript of an argument tree (to compare two runs), and the proto
 * helpers the server and the tracer apply to parsed arguments. */
#pragma once

#include "fuzz-common.h"

#include "proto/imap-capability.h"
#include "proto/imap-code.h"
#include "proto/imap-command.h"
#include "proto/imap-fetch.h"
#include "proto/imap-flag.h"
#include "proto/imap-parser.h"
#include "proto/imap-response.h"
#include "proto/imap-search.h"
#include "proto/imap-seqset.h"
#include "proto/imap-utf7.h"

/* One time in four the side's defaults, else small limits that short
 * inputs can reach. Lines of 336 octets at least: the tag and command name
 * of a line too long are guessed from its first 322 octets, which must then
 * have arrived, whatever the pieces (with shorter limits the guess depends
 * on where the pieces were cut, as it may). */
static inline void
fuzz_imap_limits(guint64 *rnd, ImapParserLimits *limits_r, gboolean *defaults_r)
{
	guint64 r = fuzz_next(rnd);
	*defaults_r = (r & 3) == 0;
	limits_r->max_line = 336 + (gsize)((r >> 2) % 1024);
	limits_r->max_literal = 1 + (gsize)((r >> 12) % 4096);
	limits_r->max_literal_total = 1 + (gsize)((r >> 24) % 8192);
	limits_r->max_depth = 1 + (guint)((r >> 38) % 12);
	limits_r->max_args = 1 + (guint)((r >> 44) % 256);
}

/* At LITERAL_WAIT the literal announced last is in the tree without its
 * octets yet: data NULL (trace-imap.c relies on it). */
static inline gboolean
fuzz_imap_pending(const ImapArg *arg)
{
	return arg->type == IMAP_ARG_LITERAL && arg->data == NULL;
}

/* The tree with every octet, literals included. pending_ok: at LITERAL_WAIT. */
static inline void
fuzz_imap_transcript(GString *out, const ImapArg *arg, gboolean pending_ok)
{
	if (arg == NULL) {
		g_string_append(out, "<null>");
		return;
	}
	switch (arg->type) {
	case IMAP_ARG_LIST:
		g_string_append_c(out, '(');
		for (guint i = 0; i < imap_arg_count(arg); i++) {
			if (i > 0)
				g_string_append_c(out, ' ');
			fuzz_imap_transcript(out, imap_arg_nth(arg, i), pending_ok);
		}
		g_string_append_c(out, ')');
		return;
	case IMAP_ARG_LITERAL:
		g_string_append_printf(out, "{%" G_GSIZE_FORMAT "%s}", arg->len,
		                       arg->literal_sync ? "" : "+");
		break;
	default:
		g_string_append_printf(out, "%d:%" G_GSIZE_FORMAT ":", (int)arg->type, arg->len);
		break;
	}
	if (pending_ok && fuzz_imap_pending(arg)) {
		FUZZ_CHECK(arg->len == 0);
		g_string_append(out, "<pending>");
		return;
	}
	FUZZ_CHECK(arg->data != NULL);
	g_string_append_len(out, arg->data, (gssize)arg->len);
}

/* Everything the server and the tracer ask of an argument. */
static inline void
fuzz_imap_exercise(const ImapArg *arg, gboolean pending_ok)
{
	const char *s;
	guint32 num;
	if (imap_arg_is_list(arg)) {
		FUZZ_CHECK(arg->list != NULL);
		for (guint i = 0; i < imap_arg_count(arg); i++)
			fuzz_imap_exercise(imap_arg_nth(arg, i), pending_ok);
		FUZZ_CHECK(imap_arg_nth(arg, imap_arg_count(arg)) == NULL);
		return;
	}
	if (pending_ok && fuzz_imap_pending(arg))
		return;
	FUZZ_CHECK(arg->data != NULL && arg->data[arg->len] == '\0');
	(void)imap_arg_get_number(arg, &num);
	(void)imap_arg_get_nstring(arg, &s);
	(void)imap_arg_get_string(arg, &s);
	if (imap_arg_get_astring(arg, &s)) {
		g_autofree char *error = NULL;
		g_autofree char *name = imap_utf7_decode(s, &error);
		FUZZ_CHECK((name == NULL) != (error == NULL));
		(void)imap_utf7_is_plain(s);
		GDate date;
		(void)imap_search_parse_date(s, &date);
	}
	if (!imap_arg_get_atom(arg, &s))
		return;
	g_autofree char *error = NULL;
	g_autoptr(ImapSeqSet) set = imap_seqset_parse(s, &error);
	FUZZ_CHECK((set == NULL) != (error == NULL));
	if (set != NULL) {
		(void)imap_seqset_contains(set, 1, 7);
		(void)imap_seqset_contains(set, G_MAXUINT32, G_MAXUINT32);
	}
	ImapFetchAtt att;
	g_autofree char *att_error = NULL;
	if (imap_fetch_att_parse(s, &att, &att_error)) {
		FUZZ_CHECK(att.info != NULL && att.n_part <= IMAP_FETCH_MAX_PART_DEPTH);
		g_autofree char *section = imap_fetch_att_section_string(&att);
		FUZZ_CHECK(section != NULL);
		imap_fetch_att_clear(&att);
	} else {
		FUZZ_CHECK(att_error != NULL);
	}
	(void)imap_search_key_lookup(s);
	(void)imap_flag_lookup(s, IMAP_FLAG_MESSAGE);
	(void)imap_flag_lookup(s, IMAP_FLAG_MAILBOX);
	(void)imap_capability_lookup(s);
	(void)imap_code_lookup(s);
}
