/* Tests of the small IMAP grammars beside the parser: sequence sets, FETCH
 * items with sections and partials, SEARCH dates. */
#include "proto/imap-fetch.h"
#include "proto/imap-search.h"
#include "proto/imap-seqset.h"

static void
test_seqset(void)
{
	g_autoptr(ImapSeqSet) s = imap_seqset_parse("1:3,5,7:*", NULL);
	g_assert_nonnull(s);
	g_assert_true(imap_seqset_contains(s, 1, 10));
	g_assert_true(imap_seqset_contains(s, 3, 10));
	g_assert_false(imap_seqset_contains(s, 4, 10));
	g_assert_true(imap_seqset_contains(s, 5, 10));
	g_assert_true(imap_seqset_contains(s, 10, 10));
	g_assert_false(imap_seqset_contains(s, 11, 10));
	/* "7:*" with 5 messages is 5:7 (RFC 3501 §9: the order does not matter). */
	g_assert_true(imap_seqset_contains(s, 5, 5));
	g_autoptr(ImapSeqSet) r = imap_seqset_parse("9:4", NULL);
	g_assert_true(imap_seqset_contains(r, 6, 100));
	g_autoptr(ImapSeqSet) star = imap_seqset_parse("*", NULL);
	g_assert_true(imap_seqset_contains(star, 42, 42));
	g_assert_false(imap_seqset_contains(star, 41, 42));
	g_autoptr(ImapSeqSet) max = imap_seqset_parse("4294967295", NULL);
	g_assert_nonnull(max);

	static const char *const bad[] = {"",    "0",          "1:0", "abc", "1,,2", "1:", ":3",
	                                  "1-3", "4294967296", "1 2", "1,",  "*:*x", "$"};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *error = NULL;
		g_assert_null(imap_seqset_parse(bad[i], &error));
		g_assert_nonnull(error);
		g_free(error);
	}
	guint32 nums[] = {7, 1, 2, 3, 9, 10, 3};
	g_autofree char *f = imap_seqset_format(nums, G_N_ELEMENTS(nums));
	g_assert_cmpstr(f, ==, "1:3,7,9:10");
	g_autofree char *e = imap_seqset_format(NULL, 0);
	g_assert_cmpstr(e, ==, "");
}

static void
test_fetch_att(void)
{
	ImapFetchAtt a;
	g_assert_true(imap_fetch_att_parse("flags", &a, NULL));
	g_assert_cmpint(a.info->id, ==, IMAP_FETCH_FLAGS);
	imap_fetch_att_clear(&a);

	g_assert_true(
	    imap_fetch_att_parse("BODY.PEEK[HEADER.FIELDS (From \"To\")]<0.100>", &a, NULL));
	g_assert_cmpint(a.info->id, ==, IMAP_FETCH_BODY_PEEK_SECTION);
	g_assert_cmpint(a.text, ==, IMAP_SECTION_HEADER_FIELDS);
	g_assert_cmpstr(a.fields[0], ==, "From");
	g_assert_cmpstr(a.fields[1], ==, "To");
	g_assert_null(a.fields[2]);
	g_assert_true(a.has_partial && a.partial_has_length);
	g_assert_cmpuint(a.partial_start, ==, 0);
	g_assert_cmpuint(a.partial_length, ==, 100);
	g_autofree char *sec = imap_fetch_att_section_string(&a);
	g_assert_cmpstr(sec, ==, "HEADER.FIELDS (From To)");
	imap_fetch_att_clear(&a);

	g_assert_true(imap_fetch_att_parse("BODY[1.2.2.MIME]", &a, NULL));
	g_assert_cmpint(a.info->id, ==, IMAP_FETCH_BODY_SECTION);
	g_assert_cmpuint(a.n_part, ==, 3);
	g_assert_cmpuint(a.part[2], ==, 2);
	g_assert_cmpint(a.text, ==, IMAP_SECTION_MIME);
	g_autofree char *sec2 = imap_fetch_att_section_string(&a);
	g_assert_cmpstr(sec2, ==, "1.2.2.MIME");
	imap_fetch_att_clear(&a);

	/* A response's partial has only the start. */
	g_assert_true(imap_fetch_att_parse("BODY[2]<0>", &a, NULL));
	g_assert_true(a.has_partial);
	g_assert_false(a.partial_has_length);
	imap_fetch_att_clear(&a);

	g_assert_true(imap_fetch_att_parse("BODY[]", &a, NULL));
	g_assert_cmpint(a.text, ==, IMAP_SECTION_WHOLE);
	g_assert_cmpuint(a.n_part, ==, 0);
	imap_fetch_att_clear(&a);
	g_assert_true(imap_fetch_att_parse("body[text]", &a, NULL));
	g_assert_cmpint(a.text, ==, IMAP_SECTION_TEXT);
	imap_fetch_att_clear(&a);
	g_assert_true(imap_fetch_att_parse("BODY[3.HEADER.FIELDS.NOT (Received)]", &a, NULL));
	g_assert_cmpint(a.text, ==, IMAP_SECTION_HEADER_FIELDS_NOT);
	g_assert_cmpuint(a.part[0], ==, 3);
	imap_fetch_att_clear(&a);

	static const char *const bad[] = {
	    "NOSUCHITEM",
	    "BODY[MIME]",
	    "BODY[0]",
	    "BODY[1.]",
	    "BODY[HEADER.FIELDS]",
	    "BODY[HEADER.FIELDS ()]",
	    "BODY[1]<5.0>",
	    "BODY[1]<a>",
	    "BODY[1]x",
	    "RFC822.SIZE[]",
	    "BODY[HEADER.FIELDS (a:b)]",
	    "BODY[TEXT",
	    "ALLX",
	    "BODY[1x]",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *error = NULL;
		if (imap_fetch_att_parse(bad[i], &a, &error))
			g_test_message("accepted: %s", bad[i]);
		g_assert_nonnull(error);
		g_free(error);
	}
}

static void
test_date(void)
{
	GDate d;
	g_assert_true(imap_search_parse_date("1-Feb-1994", &d));
	g_assert_cmpint(g_date_get_day(&d), ==, 1);
	g_assert_cmpint(g_date_get_month(&d), ==, G_DATE_FEBRUARY);
	g_assert_cmpint(g_date_get_year(&d), ==, 1994);
	g_assert_true(imap_search_parse_date("23-nov-2026", &d));
	static const char *const bad[] = {
	    "",           "1-Feb-94",    "32-Jan-2026", "1-Foo-2026", "29-Feb-2026",
	    "1 Feb 2026", "1-Feb-2026x", "-Feb-2026"};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_false(imap_search_parse_date(bad[i], &d));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap-syntax/seqset", test_seqset);
	g_test_add_func("/imap-syntax/fetch-att", test_fetch_att);
	g_test_add_func("/imap-syntax/date", test_date);
	return g_test_run();
}
