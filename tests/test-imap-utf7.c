/* Tests of modified UTF-7 (RFC 3501 §5.1.3): round trips, the RFC's own
 * example, and every kind of bad encoding the strict decoder refuses. */
#include "proto/imap-utf7.h"

static const struct {
	const char *utf8;
	const char *utf7;
} pairs[] = {
    {"INBOX", "INBOX"},
    {"", ""},
    {"Éléments envoyés", "&AMk-l&AOk-ments envoy&AOk-s"},
    {"Réunions", "R&AOk-unions"},
    {"Tom & Jerry", "Tom &- Jerry"},
    {"&", "&-"},
    {"~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"}, /* RFC 3501 §5.1.3 */
    {"é", "&AOk-"},
    {"éà", "&AOkA4A-"},
    {"😀 smile", "&2D3eAA- smile"},
    {"a\tb", "a&AAk-b"},
    {"Brouillons.Été", "Brouillons.&AMk-t&AOk-"},
};

static void
test_round_trip(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(pairs); i++) {
		g_autofree char *enc = imap_utf7_encode(pairs[i].utf8, NULL);
		g_assert_cmpstr(enc, ==, pairs[i].utf7);
		g_autofree char *dec = imap_utf7_decode(pairs[i].utf7, NULL);
		g_assert_cmpstr(dec, ==, pairs[i].utf8);
	}
}

static void
test_bad(void)
{
	static const char *const bad[] = {
	    "&",                      /* unterminated */
	    "&AOk",                   /* unterminated */
	    "&AOk-&AOA-",             /* two shifts in a row */
	    "&AG-",                   /* leftover bits */
	    "&AOkA-",                 /* leftover bits */
	    "&AOl-",                  /* leftover bits not zero */
	    "&AEE-",                  /* "A" encoded */
	    "&ACY-",                  /* "&" encoded */
	    "&2D0-",                  /* lone high surrogate */
	    "&3gA-",                  /* lone low surrogate */
	    "&2D0AQQ-",               /* high surrogate then "A" */
	    "&AO/-",                  /* "/" is not modified base64 */
	    "&AO=-",      "\xc3\xa9", /* raw 8-bit */
	    "a\tb",                   /* control character */
	    "&AA-",                   /* 12 bits: no complete unit */
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *error = NULL;
		char *dec = imap_utf7_decode(bad[i], &error);
		if (dec != NULL)
			g_test_message("accepted: %s", bad[i]);
		g_assert_null(dec);
		g_assert_nonnull(error);
		g_assert_cmpstr(error, !=, "");
		g_free(error);
	}
	char *error = NULL;
	g_assert_null(imap_utf7_encode("\xff", &error));
	g_assert_nonnull(error);
	g_free(error);
}

static void
test_plain(void)
{
	g_assert_true(imap_utf7_is_plain("INBOX.Sent"));
	g_assert_false(imap_utf7_is_plain("A&B"));
	g_assert_false(imap_utf7_is_plain("été"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap-utf7/round-trip", test_round_trip);
	g_test_add_func("/imap-utf7/bad", test_bad);
	g_test_add_func("/imap-utf7/plain", test_plain);
	return g_test_run();
}
