/* SEARCH keys (RFC 3501 §6.4.4): one row per key with the arguments it
 * takes, its RFC section and an explanation. The server's evaluator and the
 * tracer read the same rows. */
#pragma once

#include <glib.h>

typedef enum {
	IMAP_SEARCH_ARG_NONE,
	IMAP_SEARCH_ARG_ASTRING,  /* FROM "alice" */
	IMAP_SEARCH_ARG_HEADER,   /* HEADER field-name string */
	IMAP_SEARCH_ARG_DATE,     /* BEFORE 1-Feb-1994 */
	IMAP_SEARCH_ARG_NUMBER,   /* LARGER 1000 */
	IMAP_SEARCH_ARG_FLAG,     /* KEYWORD flag */
	IMAP_SEARCH_ARG_SEQSET,   /* UID 1:5 (a bare sequence set has no keyword) */
	IMAP_SEARCH_ARG_KEY,      /* NOT key */
	IMAP_SEARCH_ARG_TWO_KEYS, /* OR key key */
} ImapSearchArg;

typedef enum {
	IMAP_SEARCH_ALL,
	IMAP_SEARCH_ANSWERED,
	IMAP_SEARCH_BCC,
	IMAP_SEARCH_BEFORE,
	IMAP_SEARCH_BODY,
	IMAP_SEARCH_CC,
	IMAP_SEARCH_DELETED,
	IMAP_SEARCH_DRAFT,
	IMAP_SEARCH_FLAGGED,
	IMAP_SEARCH_FROM,
	IMAP_SEARCH_HEADER,
	IMAP_SEARCH_KEYWORD,
	IMAP_SEARCH_LARGER,
	IMAP_SEARCH_NEW,
	IMAP_SEARCH_NOT,
	IMAP_SEARCH_OLD,
	IMAP_SEARCH_ON,
	IMAP_SEARCH_OR,
	IMAP_SEARCH_RECENT,
	IMAP_SEARCH_SEEN,
	IMAP_SEARCH_SENTBEFORE,
	IMAP_SEARCH_SENTON,
	IMAP_SEARCH_SENTSINCE,
	IMAP_SEARCH_SINCE,
	IMAP_SEARCH_SMALLER,
	IMAP_SEARCH_SUBJECT,
	IMAP_SEARCH_TEXT,
	IMAP_SEARCH_TO,
	IMAP_SEARCH_UID,
	IMAP_SEARCH_UNANSWERED,
	IMAP_SEARCH_UNDELETED,
	IMAP_SEARCH_UNDRAFT,
	IMAP_SEARCH_UNFLAGGED,
	IMAP_SEARCH_UNKEYWORD,
	IMAP_SEARCH_UNSEEN,
	IMAP_SEARCH_SEQSET, /* a sequence set written alone: "2:4" */
	IMAP_SEARCH_LIST,   /* "( key … )": all of them */
	IMAP_SEARCH_N,
} ImapSearchKeyId;

typedef struct {
	ImapSearchKeyId id;
	const char *name; /* "FROM"; "(…)" and "sequence-set" for the two without keyword */
	ImapSearchArg arg;
	const char *rfc;
	const char *explain; /* N_() */
} ImapSearchKeyInfo;

extern const ImapSearchKeyInfo imap_search_keys[IMAP_SEARCH_N];

/* The row of a keyword, any case; NULL for an unknown keyword (and for the
 * two rows without one). */
const ImapSearchKeyInfo *imap_search_key_lookup(const char *name);

/* date = day "-" month "-" year, "1-Feb-1994" (RFC 3501 §9), as a GDate
 * (or FALSE). */
gboolean imap_search_parse_date(const char *text, GDate *date_r);
