/* Modified UTF-7, the encoding of IMAP mailbox names (RFC 3501 §5.1.3):
 * printable ASCII stands for itself ("&" is written "&-"), anything else is
 * UTF-16 in base64 with "," for "/" between "&" and "-". "Éléments envoyés"
 * travels as "&AMk-l&AOk-ments envoy&AOk-s". */
#pragma once

#include <glib.h>

/* UTF-8 to modified UTF-7. NULL (and *error_r set to a translated sentence)
 * when utf8 is not valid UTF-8. Caller frees. */
char *imap_utf7_encode(const char *utf8, char **error_r);

/* Modified UTF-7 to UTF-8, strictly: refuses 8-bit or control octets, an
 * unterminated or empty shift "&…-" (other than "&-"), characters outside
 * the base64 alphabet, leftover bits that are not zero, lone surrogates,
 * printable ASCII encoded in base64, and two shifts in a row, so that every
 * name has one spelling. NULL with *error_r on failure. Caller frees. */
char *imap_utf7_decode(const char *utf7, char **error_r);

/* TRUE when name is already the modified UTF-7 of itself (plain ASCII
 * without "&" needs no conversion). */
gboolean imap_utf7_is_plain(const char *name);
