/* The table of SEARCH keys and the date syntax of SEARCH. */
#include "proto/imap-search.h"

#include "core/facteur-i18n.h"

#include <string.h>

#define R "RFC 3501 §6.4.4"

const ImapSearchKeyInfo imap_search_keys[IMAP_SEARCH_N] = {
    [IMAP_SEARCH_ALL] = {IMAP_SEARCH_ALL, "ALL", IMAP_SEARCH_ARG_NONE, R,
                         N_("Every message of the mailbox.")},
    [IMAP_SEARCH_ANSWERED] = {IMAP_SEARCH_ANSWERED, "ANSWERED", IMAP_SEARCH_ARG_NONE, R,
                              N_("Messages with the \\Answered flag.")},
    [IMAP_SEARCH_BCC] = {IMAP_SEARCH_BCC, "BCC", IMAP_SEARCH_ARG_ASTRING, R,
                         N_("Messages whose Bcc header contains the string.")},
    [IMAP_SEARCH_BEFORE] = {IMAP_SEARCH_BEFORE, "BEFORE", IMAP_SEARCH_ARG_DATE, R,
                            N_("Messages received (internal date) before the day given.")},
    [IMAP_SEARCH_BODY] = {IMAP_SEARCH_BODY, "BODY", IMAP_SEARCH_ARG_ASTRING, R,
                          N_("Messages whose body (not the header) contains the string, "
                             "ignoring case.")},
    [IMAP_SEARCH_CC] = {IMAP_SEARCH_CC, "CC", IMAP_SEARCH_ARG_ASTRING, R,
                        N_("Messages whose Cc header contains the string.")},
    [IMAP_SEARCH_DELETED] = {IMAP_SEARCH_DELETED, "DELETED", IMAP_SEARCH_ARG_NONE, R,
                             N_("Messages marked \\Deleted (to be expunged).")},
    [IMAP_SEARCH_DRAFT] = {IMAP_SEARCH_DRAFT, "DRAFT", IMAP_SEARCH_ARG_NONE, R,
                           N_("Messages with the \\Draft flag.")},
    [IMAP_SEARCH_FLAGGED] = {IMAP_SEARCH_FLAGGED, "FLAGGED", IMAP_SEARCH_ARG_NONE, R,
                             N_("Messages with the \\Flagged flag (marked important).")},
    [IMAP_SEARCH_FROM] = {IMAP_SEARCH_FROM, "FROM", IMAP_SEARCH_ARG_ASTRING, R,
                          N_("Messages whose From header contains the string.")},
    [IMAP_SEARCH_HEADER] = {IMAP_SEARCH_HEADER, "HEADER", IMAP_SEARCH_ARG_HEADER, R,
                            N_("Messages with the named header containing the string; an "
                               "empty string matches any message that has the header.")},
    [IMAP_SEARCH_KEYWORD] = {IMAP_SEARCH_KEYWORD, "KEYWORD", IMAP_SEARCH_ARG_FLAG, R,
                             N_("Messages with the keyword (a flag without \\) set.")},
    [IMAP_SEARCH_LARGER] = {IMAP_SEARCH_LARGER, "LARGER", IMAP_SEARCH_ARG_NUMBER, R,
                            N_("Messages larger than the number of octets (RFC822.SIZE).")},
    [IMAP_SEARCH_NEW] = {IMAP_SEARCH_NEW, "NEW", IMAP_SEARCH_ARG_NONE, R,
                         N_("Messages \\Recent and not \\Seen: same as (RECENT UNSEEN).")},
    [IMAP_SEARCH_NOT] = {IMAP_SEARCH_NOT, "NOT", IMAP_SEARCH_ARG_KEY, R,
                         N_("Messages that do not match the key that follows.")},
    [IMAP_SEARCH_OLD] = {IMAP_SEARCH_OLD, "OLD", IMAP_SEARCH_ARG_NONE, R,
                         N_("Messages without \\Recent: same as NOT RECENT.")},
    [IMAP_SEARCH_ON] = {IMAP_SEARCH_ON, "ON", IMAP_SEARCH_ARG_DATE, R,
                        N_("Messages received (internal date) on the day given.")},
    [IMAP_SEARCH_OR] = {IMAP_SEARCH_OR, "OR", IMAP_SEARCH_ARG_TWO_KEYS, R,
                        N_("Messages that match either of the two keys that follow.")},
    [IMAP_SEARCH_RECENT] = {IMAP_SEARCH_RECENT, "RECENT", IMAP_SEARCH_ARG_NONE, R,
                            N_("Messages with \\Recent: new since the last session that "
                               "selected the mailbox.")},
    [IMAP_SEARCH_SEEN] = {IMAP_SEARCH_SEEN, "SEEN", IMAP_SEARCH_ARG_NONE, R,
                          N_("Messages with the \\Seen flag (read).")},
    [IMAP_SEARCH_SENTBEFORE] = {IMAP_SEARCH_SENTBEFORE, "SENTBEFORE", IMAP_SEARCH_ARG_DATE, R,
                                N_("Messages whose Date header is before the day "
                                   "given.")},
    [IMAP_SEARCH_SENTON] = {IMAP_SEARCH_SENTON, "SENTON", IMAP_SEARCH_ARG_DATE, R,
                            N_("Messages whose Date header is on the day given.")},
    [IMAP_SEARCH_SENTSINCE] = {IMAP_SEARCH_SENTSINCE, "SENTSINCE", IMAP_SEARCH_ARG_DATE, R,
                               N_("Messages whose Date header is on or after the day "
                                  "given.")},
    [IMAP_SEARCH_SINCE] = {IMAP_SEARCH_SINCE, "SINCE", IMAP_SEARCH_ARG_DATE, R,
                           N_("Messages received (internal date) on or after the day "
                              "given.")},
    [IMAP_SEARCH_SMALLER] = {IMAP_SEARCH_SMALLER, "SMALLER", IMAP_SEARCH_ARG_NUMBER, R,
                             N_("Messages smaller than the number of octets.")},
    [IMAP_SEARCH_SUBJECT] = {IMAP_SEARCH_SUBJECT, "SUBJECT", IMAP_SEARCH_ARG_ASTRING, R,
                             N_("Messages whose Subject header contains the string.")},
    [IMAP_SEARCH_TEXT] = {IMAP_SEARCH_TEXT, "TEXT", IMAP_SEARCH_ARG_ASTRING, R,
                          N_("Messages whose header or body contains the string.")},
    [IMAP_SEARCH_TO] = {IMAP_SEARCH_TO, "TO", IMAP_SEARCH_ARG_ASTRING, R,
                        N_("Messages whose To header contains the string.")},
    [IMAP_SEARCH_UID] = {IMAP_SEARCH_UID, "UID", IMAP_SEARCH_ARG_SEQSET, R,
                         N_("Messages whose UIDs are in the set.")},
    [IMAP_SEARCH_UNANSWERED] = {IMAP_SEARCH_UNANSWERED, "UNANSWERED", IMAP_SEARCH_ARG_NONE, R,
                                N_("Messages without the \\Answered flag.")},
    [IMAP_SEARCH_UNDELETED] = {IMAP_SEARCH_UNDELETED, "UNDELETED", IMAP_SEARCH_ARG_NONE, R,
                               N_("Messages not marked \\Deleted.")},
    [IMAP_SEARCH_UNDRAFT] = {IMAP_SEARCH_UNDRAFT, "UNDRAFT", IMAP_SEARCH_ARG_NONE, R,
                             N_("Messages without the \\Draft flag.")},
    [IMAP_SEARCH_UNFLAGGED] = {IMAP_SEARCH_UNFLAGGED, "UNFLAGGED", IMAP_SEARCH_ARG_NONE, R,
                               N_("Messages without the \\Flagged flag.")},
    [IMAP_SEARCH_UNKEYWORD] = {IMAP_SEARCH_UNKEYWORD, "UNKEYWORD", IMAP_SEARCH_ARG_FLAG, R,
                               N_("Messages without the keyword.")},
    [IMAP_SEARCH_UNSEEN] = {IMAP_SEARCH_UNSEEN, "UNSEEN", IMAP_SEARCH_ARG_NONE, R,
                            N_("Messages without the \\Seen flag (unread).")},
    [IMAP_SEARCH_SEQSET] = {IMAP_SEARCH_SEQSET, "sequence-set", IMAP_SEARCH_ARG_NONE, R,
                            N_("A sequence set alone (2:4,7) selects messages by number.")},
    [IMAP_SEARCH_LIST] = {IMAP_SEARCH_LIST, "(…)", IMAP_SEARCH_ARG_NONE, R,
                          N_("Keys in parentheses: messages matching all of them.")},
};

const ImapSearchKeyInfo *
imap_search_key_lookup(const char *name)
{
	if (name == NULL)
		return NULL;
	for (gsize i = 0; i < IMAP_SEARCH_N; i++) {
		if (i == IMAP_SEARCH_SEQSET || i == IMAP_SEARCH_LIST)
			continue;
		if (g_ascii_strcasecmp(imap_search_keys[i].name, name) == 0)
			return &imap_search_keys[i];
	}
	return NULL;
}

gboolean
imap_search_parse_date(const char *text, GDate *date_r)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	const char *p = text;
	guint day = 0, year = 0;
	gsize digits = 0;
	while (g_ascii_isdigit(*p) && digits < 2) {
		day = day * 10 + (guint)(*p++ - '0');
		digits++;
	}
	if (digits == 0 || *p != '-')
		return FALSE;
	p++;
	guint month = 0;
	for (guint m = 0; m < 12; m++) {
		if (g_ascii_strncasecmp(p, months[m], 3) == 0) {
			month = m + 1;
			break;
		}
	}
	if (month == 0 || p[3] != '-')
		return FALSE;
	p += 4;
	digits = 0;
	while (g_ascii_isdigit(*p) && digits < 4) {
		year = year * 10 + (guint)(*p++ - '0');
		digits++;
	}
	if (digits != 4 || *p != '\0' || year == 0)
		return FALSE;
	if (!g_date_valid_dmy((GDateDay)day, (GDateMonth)month, (GDateYear)year))
		return FALSE;
	g_date_clear(date_r, 1);
	g_date_set_dmy(date_r, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
	return TRUE;
}
