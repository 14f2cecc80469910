/* Local delivery of one SMTP message to its recipients' INBOXes: trace
 * headers, line-end normalisation, the size limit, and all-or-nothing
 * writing before the commits. */
#include "server/smtp-delivery.h"

#include "core/facteur-clock.h"
#include "core/facteur-i18n.h"

#include <string.h>

/* Room kept for Return-Path: and Received: under the store's size limit:
 * their parts are bounded (a path by 256 octets, a HELO name by 255). */
#define TRACE_HEADROOM 4096

struct _SmtpDelivery {
	GPtrArray *copies; /* StoreDelivery*, one per distinct user */
	char *id;
	gsize size; /* message octets written, trace headers excluded */
	gsize max;
	gboolean last_cr;
	GError *error;
};

SmtpRecipient *
smtp_recipient_new(const char *address, const char *user)
{
	SmtpRecipient *r = g_new0(SmtpRecipient, 1);
	r->address = g_strdup(address);
	r->user = g_strdup(user);
	return r;
}

void
smtp_recipient_free(SmtpRecipient *r)
{
	if (r == NULL)
		return;
	g_free(r->address);
	g_free(r->user);
	g_free(r);
}

gsize
smtp_delivery_max_size(Store *store)
{
	gsize max = store_get_limits(store)->max_message_size;
	return max > 2 * TRACE_HEADROOM ? max - TRACE_HEADROOM : max / 2;
}

/* "127.0.0.1:54321" → "[127.0.0.1]", "[::1]:54321" → "[IPv6:::1]" (RFC 5321 §4.1.3) */
static char *
address_literal(const char *peer)
{
	const char *colon = strrchr(peer, ':');
	g_autofree char *host =
	    colon != NULL ? g_strndup(peer, (gsize)(colon - peer)) : g_strdup(peer);
	gsize len = strlen(host);
	if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
		host[len - 1] = '\0';
		return g_strdup_printf("[IPv6:%s]", host + 1);
	}
	return g_strdup_printf("[%s]", host);
}

char *
smtp_delivery_trace_headers(const SmtpDeliveryInfo *info, const char *id)
{
	static const char *const with[2][2] = {{"SMTP", "SMTPA"}, {"ESMTP", "ESMTPA"}};
	g_autofree char *literal = address_literal(info->peer);
	g_autofree char *date = facteur_clock_format_rfc5322(facteur_clock_now());
	GString *h = g_string_new(NULL);
	/* Return-Path: is added at final delivery, Received: by every hop, each
	 * on top of the others (RFC 5321 §4.4). */
	g_string_append_printf(h, "Return-Path: <%s>\r\n", info->sender);
	g_string_append_printf(h, "Received: from %s (%s)\r\n\tby %s (facteur) with %s id %s",
	                       info->helo, literal, info->hostname,
	                       with[info->esmtp != 0][info->authenticated != 0], id);
	/* "for" only with one recipient: more would reveal the Bcc ones. */
	if (info->recipients->len == 1) {
		const SmtpRecipient *r = g_ptr_array_index(info->recipients, 0);
		g_string_append_printf(h, "\r\n\tfor <%s>", r->address);
	}
	g_string_append_printf(h, ";\r\n\t%s\r\n", date);
	return g_string_free(h, FALSE);
}

static void
fail(SmtpDelivery *d, GError *error)
{
	if (d->error == NULL)
		d->error = error;
	else
		g_error_free(error);
	g_ptr_array_set_size(d->copies, 0); /* removes the files from tmp/ */
}

SmtpDelivery *
smtp_delivery_begin(Store *store, const SmtpDeliveryInfo *info, GError **error)
{
	g_autoptr(SmtpDelivery) d = g_new0(SmtpDelivery, 1);
	d->copies = g_ptr_array_new_with_free_func((GDestroyNotify)store_delivery_free);
	d->max = smtp_delivery_max_size(store);
	d->id = g_strdup_printf("F%06" G_GINT64_MODIFIER "X", facteur_clock_next_id());
	g_autofree char *headers = smtp_delivery_trace_headers(info, d->id);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < info->recipients->len; i++) {
		const SmtpRecipient *r = g_ptr_array_index(info->recipients, i);
		/* alice named twice (or as Alice and alice) gets one copy. */
		if (!g_hash_table_add(seen, r->user))
			continue;
		g_autoptr(StoreMailbox) mb = store_mailbox_open(store, r->user, "INBOX", error);
		if (mb == NULL)
			return NULL;
		StoreDelivery *copy = store_delivery_begin(mb, error);
		if (copy == NULL)
			return NULL;
		g_ptr_array_add(d->copies, copy);
		if (!store_delivery_write(copy, headers, strlen(headers), error))
			return NULL;
	}
	return g_steal_pointer(&d);
}

void
smtp_delivery_write(SmtpDelivery *d, const guint8 *data, gsize len)
{
	/* A bare LF becomes CRLF: the store keeps the line ends POP3 and IMAP
	 * send (RFC 5322 §2.3), so that sizes are right. */
	g_autoptr(GByteArray) out = g_byte_array_sized_new((guint)(len + len / 32 + 2));
	gsize start = 0;
	while (start < len) {
		const guint8 *lf = memchr(data + start, '\n', len - start);
		gsize end = lf != NULL ? (gsize)(lf - data) : len;
		g_byte_array_append(out, data + start, (guint)(end - start));
		if (lf == NULL)
			break;
		gboolean cr = end > 0 ? data[end - 1] == '\r' : d->last_cr;
		g_byte_array_append(out, (const guint8 *)"\r\n" + (cr ? 1 : 0), cr ? 1 : 2);
		start = end + 1;
	}
	if (len > 0)
		d->last_cr = data[len - 1] == '\r';
	if (d->size + out->len < d->size || d->size + out->len > d->max) {
		d->size = d->max + 1;
		if (d->error == NULL)
			fail(d, g_error_new(STORE_ERROR, STORE_ERROR_LIMIT,
			                    _("the message is larger than %zu octets"), d->max));
		return;
	}
	d->size += out->len;
	if (d->error != NULL)
		return;
	for (guint i = 0; i < d->copies->len; i++) {
		GError *error = NULL;
		if (!store_delivery_write(g_ptr_array_index(d->copies, i), out->data, out->len,
		                          &error)) {
			fail(d, error);
			return;
		}
	}
}

gboolean
smtp_delivery_commit(SmtpDelivery *d, char **id_r, GError **error)
{
	if (d->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&d->error));
		return FALSE;
	}
	/* Every copy is complete in tmp/ before the first commit, so a write error
	 * can no longer leave some recipients served and others not; only a
	 * failing rename or fsync could. */
	for (guint i = 0; i < d->copies->len; i++) {
		if (!store_delivery_commit(g_ptr_array_index(d->copies, i), 0, -1, NULL, error))
			return FALSE;
	}
	*id_r = g_strdup(d->id);
	return TRUE;
}

void
smtp_delivery_free(SmtpDelivery *d)
{
	if (d == NULL)
		return;
	g_ptr_array_unref(d->copies);
	if (d->error != NULL)
		g_error_free(d->error);
	g_free(d->id);
	g_free(d);
}
