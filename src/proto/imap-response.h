/* The kinds of IMAP server responses (RFC 3501 §7): status responses (OK,
 * NO, BAD, BYE, PREAUTH), untagged data (CAPABILITY, LIST, EXISTS, FETCH, …)
 * and the continuation request "+", one table row each with its RFC section
 * and an explanation for students. */
#pragma once

#include <glib.h>

typedef enum {
	IMAP_RESPONSE_STATUS,       /* OK NO BAD BYE PREAUTH */
	IMAP_RESPONSE_DATA,         /* server and mailbox data: "* FLAGS (…)" */
	IMAP_RESPONSE_MESSAGE_DATA, /* with a number first: "* 3 EXISTS", "* 2 FETCH (…)" */
	IMAP_RESPONSE_CONTINUE,     /* "+ …" */
} ImapResponseClass;

typedef struct {
	const char *name; /* "EXISTS", "OK", "+" */
	ImapResponseClass klass;
	const char *rfc;
	const char *explain;        /* N_() */
	const char *explain_tagged; /* N_(), status responses: meaning when tagged; else NULL */
} ImapResponseInfo;

extern const ImapResponseInfo imap_responses[];
extern const gsize imap_n_responses;

/* The row of a keyword, any case; "+" gives the continuation request. */
const ImapResponseInfo *imap_response_lookup(const char *keyword);
