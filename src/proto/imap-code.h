/* IMAP response codes, the "[…]" after OK, NO, BAD, BYE or PREAUTH (RFC 3501
 * §7.1, UIDPLUS RFC 4315, RFC 5530, …): one row per code with its RFC
 * section and an explanation for students. */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;    /* "UIDVALIDITY" */
	const char *args;    /* the syntax of what follows the name, "" when nothing */
	const char *rfc;     /* "RFC 3501 §7.1" */
	const char *explain; /* N_() */
} ImapCodeInfo;

extern const ImapCodeInfo imap_codes[];
extern const gsize imap_n_codes;

/* The row of a code name, any case; NULL when unknown. */
const ImapCodeInfo *imap_code_lookup(const char *name);
