/* Local delivery for the SMTP server: one message written into the INBOX of
 * each recipient through the store, with the Return-Path: and Received:
 * headers of RFC 5321 §4.4 prepended, bare LF turned into CRLF, the size
 * limit enforced, and every copy committed (fsync'd) before success. */
#pragma once

#include "store/store.h"

#include <glib.h>

typedef struct {
	char *address; /* as given in RCPT TO */
	char *user;    /* the store user it delivers to */
} SmtpRecipient;

SmtpRecipient *smtp_recipient_new(const char *address, const char *user);
void smtp_recipient_free(SmtpRecipient *r);

typedef struct {
	const char *sender;   /* reverse-path, "" for <> */
	const char *helo;     /* the client's EHLO/HELO name */
	const char *peer;     /* "127.0.0.1:54321" or "[::1]:54321" */
	const char *hostname; /* this server */
	gboolean esmtp;       /* EHLO was used */
	gboolean authenticated;
	GPtrArray *recipients; /* SmtpRecipient*, at least one; users may repeat */
} SmtpDeliveryInfo;

typedef struct _SmtpDelivery SmtpDelivery;

/* The largest message accepted (what EHLO announces as SIZE): the store's
 * limit less room for the prepended headers. */
gsize smtp_delivery_max_size(Store *store);

/* The two trace headers (RFC 5321 §4.4, RFC 3848 for "with"), CRLF-ended,
 * dated with facteur's clock. Caller frees. */
char *smtp_delivery_trace_headers(const SmtpDeliveryInfo *info, const char *id);

/* Opens one delivery per distinct user and writes the trace headers. */
SmtpDelivery *smtp_delivery_begin(Store *store, const SmtpDeliveryInfo *info, GError **error);
/* Message data, already unstuffed, in pieces. An error (size limit, disk) is
 * kept and reported by commit; the rest of the data is then counted only. */
void smtp_delivery_write(SmtpDelivery *d, const guint8 *data, gsize len);
/* Commits every copy. *id_r gets the queue id shown in the 250 reply. A
 * STORE_ERROR_LIMIT error means the message was too big. */
gboolean smtp_delivery_commit(SmtpDelivery *d, char **id_r, GError **error);
/* Frees; copies not committed are removed. */
void smtp_delivery_free(SmtpDelivery *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpDelivery, smtp_delivery_free)
