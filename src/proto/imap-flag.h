/* IMAP system flags of messages (RFC 3501 §2.3.2) and mailbox attributes of
 * LIST (RFC 3501 §7.2.2, RFC 3348, RFC 5258, RFC 6154): one row each with
 * the RFC and an explanation. */
#pragma once

#include <glib.h>

typedef enum {
	IMAP_FLAG_MESSAGE, /* in FLAGS, STORE, PERMANENTFLAGS */
	IMAP_FLAG_MAILBOX, /* in a LIST or LSUB answer */
} ImapFlagKind;

typedef struct {
	const char *name; /* "\\Seen" */
	ImapFlagKind kind;
	const char *rfc;
	const char *explain; /* N_() */
} ImapFlagInfo;

extern const ImapFlagInfo imap_flags[];
extern const gsize imap_n_flags;

/* The row of a flag or attribute of that kind, any case; NULL when unknown
 * (keywords, which are flags without "\", have no row). */
const ImapFlagInfo *imap_flag_lookup(const char *name, ImapFlagKind kind);
