/* A message as IMAP FETCH and SEARCH see it: its MIME tree with the exact
 * octet ranges of every header and body (so BODY[1.2.MIME] is the bytes as
 * stored, as Dovecot serves them), ENVELOPE and BODYSTRUCTURE written from
 * GMime's parse of each header, and decoded text for SEARCH. */
#pragma once

#include "proto/imap-fetch.h"

#include <glib.h>

typedef struct _ImapMessage ImapMessage;

/* bytes: the message as stored (CRLF line ends); a reference is kept. */
ImapMessage *imap_message_new(GBytes *bytes);
void imap_message_free(ImapMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapMessage, imap_message_free)

/* ENVELOPE (RFC 3501 §7.4.2): (date subject from sender reply-to to cc bcc
 * in-reply-to message-id). */
void imap_message_write_envelope(ImapMessage *msg, GString *out);
/* BODYSTRUCTURE (extensible TRUE) or BODY (FALSE). */
void imap_message_write_bodystructure(ImapMessage *msg, GString *out, gboolean extensible);
/* The octets of a section (BODY[…], without the partial); NULL when the
 * message has no such part. */
GBytes *imap_message_get_section(ImapMessage *msg, const ImapFetchAtt *att);

/* For SEARCH: the decoded values (RFC 2047) of every field of that name,
 * joined by newlines; NULL when the header has none. */
char *imap_message_header_text(ImapMessage *msg, const char *name);
/* Every header field, decoded. */
char *imap_message_all_headers_text(ImapMessage *msg);
/* The text of the text parts, transfer-decoded and converted to UTF-8. */
char *imap_message_body_text(ImapMessage *msg);
/* The day of the Date: header, in its own time zone. */
gboolean imap_message_sent_date(ImapMessage *msg, GDate *date_r);
