/* IMAP capabilities (RFC 3501 §7.2.1 and the extensions): the ones facteur's
 * server offers and the ones real servers such as Dovecot advertise, one row
 * each with the RFC and an explanation for students. */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;    /* "IDLE", "AUTH=PLAIN" */
	const char *rfc;     /* "RFC 2177" */
	const char *explain; /* N_() */
	gboolean offered;    /* facteur's server announces it after login */
} ImapCapabilityInfo;

extern const ImapCapabilityInfo imap_capabilities[];
extern const gsize imap_n_capabilities;

/* The row of a capability, any case; "AUTH=XYZ" not listed falls back on the
 * generic "AUTH=" row. NULL when unknown. */
const ImapCapabilityInfo *imap_capability_lookup(const char *name);
