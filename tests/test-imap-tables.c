/* Every row of the IMAP tables is well formed: a name, a known RFC
 * reference, an explanation that is a sentence, ids matching positions,
 * no duplicates, and lookups that find each row again. */
#include "proto/imap-capability.h"
#include "proto/imap-code.h"
#include "proto/imap-command.h"
#include "proto/imap-fetch.h"
#include "proto/imap-flag.h"
#include "proto/imap-response.h"
#include "proto/imap-search.h"

#include <string.h>

static void
check_rfc(const char *rfc)
{
	g_assert_nonnull(rfc);
	if (g_str_has_prefix(rfc, "draft-"))
		return;
	g_assert_true(g_regex_match_simple("^RFC [0-9]{3,4}( §[0-9]+(\\.[0-9]+)*)?"
	                                   "(, §[0-9]+(\\.[0-9]+)*)?$",
	                                   rfc, 0, 0));
}

static void
check_explain(const char *explain)
{
	g_assert_nonnull(explain);
	g_assert_cmpuint(strlen(explain), >, 10);
	g_assert_true(g_utf8_validate(explain, -1, NULL));
	g_assert_true(g_ascii_isupper(explain[0]) || explain[0] == '\\' || explain[0] == '"');
	char last = explain[strlen(explain) - 1];
	g_assert_true(last == '.' || last == ')' || last == 0 || g_str_has_suffix(explain, "…"));
	g_assert_null(strstr(explain, "TODO"));
}

static void
test_commands(void)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < IMAP_CMD_N; i++) {
		const ImapCommandInfo *c = &imap_commands[i];
		g_assert_cmpint(c->id, ==, (ImapCommandId)i);
		g_assert_nonnull(c->name);
		g_assert_true(g_hash_table_add(seen, (gpointer)c->name));
		g_assert_cmpuint(c->states, !=, 0);
		g_assert_cmpuint(c->states & ~(guint)IMAP_STATES_ANY, ==, 0);
		g_assert_true(g_str_has_prefix(c->syntax, c->name));
		check_rfc(c->rfc);
		check_explain(c->explain);
		/* Found again, whatever the case; UID commands through their argument. */
		g_autofree char *lower = g_ascii_strdown(c->name, -1);
		const ImapCommandInfo *found;
		if (g_str_has_prefix(c->name, "UID ")) {
			ImapArg sub = {.type = IMAP_ARG_ATOM, .data = lower + 4};
			found = imap_command_lookup("uid", &sub);
		} else {
			found = imap_command_lookup(lower, NULL);
		}
		g_assert_true(found == c);
		/* The selected state admits what the authenticated state does,
		 * except ENABLE (RFC 5161 §3.1: before any mailbox is selected). */
		if ((c->states & IMAP_STATE_AUTH) && c->id != IMAP_CMD_ENABLE)
			g_assert_true(c->states & IMAP_STATE_SELECTED);
	}
	g_hash_table_unref(seen);
	g_assert_null(imap_command_lookup("XYZZY", NULL));
	g_assert_null(imap_command_lookup("UID", NULL));
	ImapArg bogus = {.type = IMAP_ARG_ATOM, .data = (char *)"LOGIN"};
	g_assert_null(imap_command_lookup("UID", &bogus));
	g_assert_cmpstr(imap_state_name(IMAP_STATE_SELECTED), ==, "selected");
}

static void
test_codes(void)
{
	static const char *const required[] = {
	    "ALERT",
	    "BADCHARSET",
	    "CAPABILITY",
	    "PARSE",
	    "PERMANENTFLAGS",
	    "READ-ONLY",
	    "READ-WRITE",
	    "TRYCREATE",
	    "UIDNEXT",
	    "UIDVALIDITY",
	    "UNSEEN",
	    "APPENDUID",
	    "COPYUID",
	    "CLOSED",
	    "ALREADYEXISTS",
	    "NONEXISTENT",
	    "AUTHENTICATIONFAILED",
	};
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < imap_n_codes; i++) {
		g_assert_true(g_hash_table_add(seen, (gpointer)imap_codes[i].name));
		g_assert_nonnull(imap_codes[i].args);
		check_rfc(imap_codes[i].rfc);
		check_explain(imap_codes[i].explain);
		g_assert_true(imap_code_lookup(imap_codes[i].name) == &imap_codes[i]);
	}
	g_hash_table_unref(seen);
	for (gsize i = 0; i < G_N_ELEMENTS(required); i++)
		g_assert_nonnull(imap_code_lookup(required[i]));
	/* The lesson: [UNSEEN n] is a message number, not a count. */
	g_assert_nonnull(strstr(imap_code_lookup("unseen")->explain, "first"));
	g_assert_null(imap_code_lookup("NOSUCHCODE"));
}

static void
test_responses(void)
{
	static const char *const required[] = {
	    "OK",    "NO",    "BAD",  "BYE",  "PREAUTH", "EXISTS", "RECENT",     "EXPUNGE",
	    "FETCH", "FLAGS", "LIST", "LSUB", "STATUS",  "SEARCH", "CAPABILITY", "+",
	};
	for (gsize i = 0; i < imap_n_responses; i++) {
		const ImapResponseInfo *r = &imap_responses[i];
		check_rfc(r->rfc);
		check_explain(r->explain);
		if (r->explain_tagged != NULL) {
			g_assert_cmpint(r->klass, ==, IMAP_RESPONSE_STATUS);
			check_explain(r->explain_tagged);
		}
		g_assert_true(imap_response_lookup(r->name) == r);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(required); i++)
		g_assert_nonnull(imap_response_lookup(required[i]));
	g_assert_cmpint(imap_response_lookup("exists")->klass, ==, IMAP_RESPONSE_MESSAGE_DATA);
}

/* Every capability Dovecot advertised in the reference capture has a row. */
static void
test_capabilities(void)
{
	const char *dovecot =
	    "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY "
	    "THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL "
	    "CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE "
	    "QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE "
	    "SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY "
	    "SPECIAL-USE AUTH=PLAIN AUTH=LOGIN";
	g_auto(GStrv) names = g_strsplit(dovecot, " ", -1);
	for (guint i = 0; names[i] != NULL; i++) {
		if (imap_capability_lookup(names[i]) == NULL)
			g_test_message("no row for %s", names[i]);
		g_assert_nonnull(imap_capability_lookup(names[i]));
	}
	static const char *const offered[] = {
	    "IMAP4rev1", "LITERAL+", "IDLE", "UIDPLUS", "NAMESPACE", "MOVE", "AUTH=PLAIN",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(offered); i++)
		g_assert_true(imap_capability_lookup(offered[i])->offered);
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (gsize i = 0; i < imap_n_capabilities; i++) {
		g_assert_true(g_hash_table_add(seen, (gpointer)imap_capabilities[i].name));
		check_rfc(imap_capabilities[i].rfc);
		check_explain(imap_capabilities[i].explain);
	}
	g_hash_table_unref(seen);
	g_assert_cmpstr(imap_capability_lookup("AUTH=CRAM-MD5")->name, ==, "AUTH=");
	g_assert_null(imap_capability_lookup("XNOTHING"));
}

static void
test_fetch_search_flags(void)
{
	for (gsize i = 0; i < IMAP_FETCH_N; i++) {
		g_assert_cmpint(imap_fetch_items[i].id, ==, (ImapFetchItemId)i);
		g_assert_nonnull(imap_fetch_items[i].name);
		check_rfc(imap_fetch_items[i].rfc);
		check_explain(imap_fetch_items[i].explain);
		g_assert_true(g_str_has_suffix(imap_fetch_items[i].name, "[") ==
		              imap_fetch_items[i].section);
	}
	for (gsize i = 0; i < IMAP_SEARCH_N; i++) {
		const ImapSearchKeyInfo *k = &imap_search_keys[i];
		g_assert_cmpint(k->id, ==, (ImapSearchKeyId)i);
		check_rfc(k->rfc);
		check_explain(k->explain);
		if (i != IMAP_SEARCH_SEQSET && i != IMAP_SEARCH_LIST)
			g_assert_true(imap_search_key_lookup(k->name) == k);
	}
	g_assert_null(imap_search_key_lookup("sequence-set"));
	for (gsize i = 0; i < imap_n_flags; i++) {
		g_assert_true(imap_flags[i].name[0] == '\\');
		check_rfc(imap_flags[i].rfc);
		check_explain(imap_flags[i].explain);
		g_assert_true(imap_flag_lookup(imap_flags[i].name, imap_flags[i].kind) ==
		              &imap_flags[i]);
	}
	g_assert_cmpint(imap_flag_lookup("\\flagged", IMAP_FLAG_MAILBOX)->kind, ==,
	                IMAP_FLAG_MAILBOX);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap-tables/commands", test_commands);
	g_test_add_func("/imap-tables/codes", test_codes);
	g_test_add_func("/imap-tables/responses", test_responses);
	g_test_add_func("/imap-tables/capabilities", test_capabilities);
	g_test_add_func("/imap-tables/fetch-search-flags", test_fetch_search_flags);
	return g_test_run();
}
