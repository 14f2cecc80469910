/* The RFC 5322 header table; see rfc5322-headers.h. MIME's own fields
 * (Content-*) are in mime-headers.c. */
#include "proto/rfc5322-headers.h"
#include "core/facteur-i18n.h"

#include <string.h>

const Rfc5322HeaderInfo rfc5322_header_table[] = {
    {
        .name = "From",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.2",
        .explain = N_("The author of the message (one or more mailboxes). It is what the "
                      "reader sees; the envelope sender given in MAIL FROM may differ."),
    },
    {
        .name = "Sender",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.2",
        .explain = N_("The mailbox that actually sent the message on behalf of the "
                      "author(s) in From, e.g. a secretary or a mailing list."),
    },
    {
        .name = "Reply-To",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.2",
        .explain = N_("Where replies should go, when not to the author in From."),
    },
    {
        .name = "To",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.3",
        .explain = N_("The primary recipients, as shown to readers. Delivery follows the "
                      "envelope (RCPT TO), not this header."),
    },
    {
        .name = "Cc",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.3",
        .explain = N_("Carbon copy: other recipients, visible to everybody."),
    },
    {
        .name = "Bcc",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.3",
        .explain = N_("Blind carbon copy: recipients the others must not see; a client "
                      "normally removes this header before sending."),
    },
    {
        .name = "Date",
        .syntax = RFC5322_DATE,
        .rfc = "RFC 5322 §3.6.1",
        .explain = N_("When the author finished the message and sent it (not when it was "
                      "delivered), with the sender's time zone offset."),
    },
    {
        .name = "Message-ID",
        .syntax = RFC5322_MSG_IDS,
        .rfc = "RFC 5322 §3.6.4",
        .explain = N_("A world-unique identifier of this message, made by the sender's "
                      "host: <unique-part@domain>. Replies refer to it."),
    },
    {
        .name = "In-Reply-To",
        .syntax = RFC5322_MSG_IDS,
        .rfc = "RFC 5322 §3.6.4",
        .explain = N_("The Message-ID of the message this one answers."),
    },
    {
        .name = "References",
        .syntax = RFC5322_MSG_IDS,
        .rfc = "RFC 5322 §3.6.4",
        .explain = N_("The Message-IDs of the whole thread this message belongs to, oldest "
                      "first: clients use it to show conversations."),
    },
    {
        .name = "Subject",
        .syntax = RFC5322_UNSTRUCTURED,
        .rfc = "RFC 5322 §3.6.5",
        .explain = N_("The topic of the message. Non-ASCII text travels as RFC 2047 "
                      "encoded-words (=?charset?B|Q?…?=)."),
    },
    {
        .name = "Comments",
        .syntax = RFC5322_UNSTRUCTURED,
        .rfc = "RFC 5322 §3.6.5",
        .explain = N_("Free comments on the message body."),
    },
    {
        .name = "Keywords",
        .syntax = RFC5322_STRUCTURED,
        .rfc = "RFC 5322 §3.6.5",
        .explain = N_("Comma-separated keywords or phrases about the message."),
    },
    {
        .name = "Resent-Date",
        .syntax = RFC5322_DATE,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("When the message was re-sent (forwarded as is) by a user."),
    },
    {
        .name = "Resent-From",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("Who re-sent the message as is."),
    },
    {
        .name = "Resent-Sender",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("The mailbox that actually re-sent the message."),
    },
    {
        .name = "Resent-To",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("The recipients the message was re-sent to."),
    },
    {
        .name = "Resent-Cc",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("Carbon-copy recipients of the re-sending."),
    },
    {
        .name = "Resent-Bcc",
        .syntax = RFC5322_ADDRESSES,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("Blind carbon-copy recipients of the re-sending."),
    },
    {
        .name = "Resent-Message-ID",
        .syntax = RFC5322_MSG_IDS,
        .rfc = "RFC 5322 §3.6.6",
        .explain = N_("The identifier of the re-sending."),
    },
    {
        .name = "Return-Path",
        .syntax = RFC5322_TRACE,
        .rfc = "RFC 5321 §4.4",
        .explain = N_("Added by the final delivery server: the envelope sender (MAIL FROM) "
                      "of the SMTP transaction, where bounces go."),
    },
    {
        .name = "Received",
        .syntax = RFC5322_TRACE,
        .rfc = "RFC 5321 §4.4",
        .explain = N_("A trace line added by each SMTP server the message crossed: from "
                      "which host, by which host, with which protocol, when. The newest is "
                      "on top: read them bottom-up to follow the route."),
    },
    {
        .name = "Delivered-To",
        .syntax = RFC5322_TRACE,
        .rfc = "RFC 9228",
        .explain = N_("Added at delivery (Postfix, Dovecot): the address the message was "
                      "delivered to; it helps to detect mail loops."),
    },
    {
        .name = "Auto-Submitted",
        .syntax = RFC5322_STRUCTURED,
        .rfc = "RFC 3834 §5",
        .explain = N_("Says the message was sent by a program (auto-replied, "
                      "auto-generated), so that no one auto-replies to it in turn."),
    },
    {
        .name = "User-Agent",
        .syntax = RFC5322_UNSTRUCTURED,
        .rfc = "RFC 5322 §3.6.8",
        .explain = N_("The program that wrote the message. Common, but not defined by RFC "
                      "5322: an optional field."),
    },
};

const gsize rfc5322_header_table_len = G_N_ELEMENTS(rfc5322_header_table);

static const Rfc5322HeaderInfo private_field = {
    .name = "X-",
    .syntax = RFC5322_UNSTRUCTURED,
    .rfc = "RFC 5322 §3.6.8",
    .explain = N_("A private header (X-…): any program may add one; no RFC defines its "
                  "meaning."),
};

static const Rfc5322HeaderInfo optional_field = {
    .name = "",
    .syntax = RFC5322_UNSTRUCTURED,
    .rfc = "RFC 5322 §3.6.8",
    .explain = N_("An optional field: allowed by RFC 5322 but not defined there; another "
                  "specification or program gives its meaning."),
};

static inline char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

const Rfc5322HeaderInfo *
rfc5322_header_lookup(const char *name, gsize len)
{
	if (len == 0)
		return NULL;
	/* The first octet, lower-cased inline, skips most rows (this runs for
	 * every header of every message a capture carries). */
	char first = ascii_lower(name[0]);
	for (gsize i = 0; i < G_N_ELEMENTS(rfc5322_header_table); i++) {
		const char *n = rfc5322_header_table[i].name;
		if (ascii_lower(n[0]) == first && g_ascii_strncasecmp(n, name, len) == 0 &&
		    n[len] == '\0')
			return &rfc5322_header_table[i];
	}
	return NULL;
}

const Rfc5322HeaderInfo *
rfc5322_header_optional(const char *name, gsize len)
{
	if (len >= 2 && g_ascii_strncasecmp(name, "X-", 2) == 0)
		return &private_field;
	return &optional_field;
}
