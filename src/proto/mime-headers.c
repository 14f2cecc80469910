/* The MIME tables; see mime-headers.h. */
#include "proto/mime-headers.h"
#include "core/facteur-i18n.h"

#include <string.h>

const MimeInfo mime_header_table[] = {
    {.name = "MIME-Version",
     .rfc = "RFC 2045 §4",
     .explain = N_("Says the message follows MIME; the only version is 1.0. Without it the "
                   "Content-* fields need not be understood.")},
    {.name = "Content-Type",
     .rfc = "RFC 2045 §5",
     .explain = N_("The media type of the body (type/subtype) and its parameters: charset for "
                   "text, boundary for multipart. Without it: text/plain; charset=us-ascii.")},
    {.name = "Content-Transfer-Encoding",
     .rfc = "RFC 2045 §6",
     .explain = N_("How the body was encoded to cross mail transport: 7bit, 8bit, binary, "
                   "quoted-printable or base64. The receiver decodes it.")},
    {.name = "Content-ID",
     .rfc = "RFC 2045 §7",
     .explain = N_("A world-unique identifier of this part, <id@domain>: an HTML part refers to it "
                   "as cid:id to show an inline image.")},
    {.name = "Content-Description",
     .rfc = "RFC 2045 §8",
     .explain = N_("A short human description of the part's content.")},
    {.name = "Content-Disposition",
     .rfc = "RFC 2183 §2",
     .explain = N_("How to present the part: inline (shown in the message) or attachment (offered "
                   "as a file), with a suggested filename.")},
    {.name = "Content-Language",
     .rfc = "RFC 3282 §2",
     .explain = N_("The language(s) of the part's content, as language tags (fr, en-GB).")},
    {.name = "Content-Location",
     .rfc = "RFC 2557 §4",
     .explain = N_("A URI for the part, so that an HTML part can refer to it.")},
    {.name = "Content-MD5",
     .rfc = "RFC 1864 §2",
     .explain = N_("An MD5 digest of the part to check its integrity; rarely used and not a "
                   "protection against forgery.")},
    {.name = "Content-Length",
     .rfc = "RFC 2045 §9",
     .explain = N_("Not a mail header: neither RFC 5322 nor MIME defines Content-Length for mail "
                   "(it comes from HTTP, RFC 9110 §8.6, and some mbox files). A reader must not "
                   "trust it: a body ends with the message, a MIME part at its boundary line.")},
};
const gsize mime_header_table_len = G_N_ELEMENTS(mime_header_table);

/* Parameters, as "Header;param". */
const MimeInfo mime_param_table[] = {
    {.name = "Content-Type;boundary",
     .rfc = "RFC 2046 §5.1.1",
     .explain = N_("The delimiter of a multipart body: each part begins after a line --boundary, "
                   "the last one ends with --boundary--. It must not occur in any part.")},
    {.name = "Content-Type;charset",
     .rfc = "RFC 2046 §4.1.2",
     .explain = N_("The character set of the text (UTF-8, ISO-8859-1…): how to turn its octets "
                   "into characters.")},
    {.name = "Content-Type;name",
     .rfc = "RFC 2046 §4.5.1",
     .explain = N_("A suggested file name, from RFC 1341; deprecated in favour of the filename "
                   "parameter of Content-Disposition, but still sent by many clients.")},
    {.name = "Content-Type;type",
     .rfc = "RFC 2387 §3.1",
     .explain = N_("For multipart/related: the media type of the root part (the one shown).")},
    {.name = "Content-Type;start",
     .rfc = "RFC 2387 §3.2",
     .explain = N_("For multipart/related: the Content-ID of the root part, when it is not the "
                   "first.")},
    {.name = "Content-Type;format",
     .rfc = "RFC 3676 §4.1",
     .explain = N_("format=flowed: lines ending with a space are joined again by the reader, so "
                   "that text re-wraps on any screen.")},
    {.name = "Content-Type;delsp",
     .rfc = "RFC 3676 §4.2",
     .explain = N_("With format=flowed: delsp=yes says the space before a soft line break was "
                   "added and must be removed.")},
    {.name = "Content-Type;protocol",
     .rfc = "RFC 1847 §2.1",
     .explain = N_("For multipart/signed or encrypted: the media type of the signature or "
                   "encryption part.")},
    {.name = "Content-Type;micalg",
     .rfc = "RFC 1847 §2.1",
     .explain = N_("For multipart/signed: the digest algorithm of the signature.")},
    {.name = "Content-Type;report-type",
     .rfc = "RFC 6522 §3",
     .explain = N_("For multipart/report: what kind of report (delivery-status for a bounce).")},
    {.name = "Content-Disposition;filename",
     .rfc = "RFC 2183 §2.3",
     .explain = N_("The suggested file name for saving the part; a receiver must keep only the "
                   "name, never a path. filename*= carries non-ASCII names (RFC 2231).")},
    {.name = "Content-Disposition;size",
     .rfc = "RFC 2183 §2.7",
     .explain = N_("The approximate size of the file in octets, before transfer encoding.")},
    {.name = "Content-Disposition;creation-date",
     .rfc = "RFC 2183 §2.4",
     .explain = N_("When the file was created.")},
    {.name = "Content-Disposition;modification-date",
     .rfc = "RFC 2183 §2.5",
     .explain = N_("When the file was last modified.")},
    {.name = "Content-Disposition;read-date",
     .rfc = "RFC 2183 §2.6",
     .explain = N_("When the file was last read.")},
};
const gsize mime_param_table_len = G_N_ELEMENTS(mime_param_table);

const MimeInfo mime_encoding_table[] = {
    {.name = "7bit",
     .rfc = "RFC 2045 §6.2",
     .explain = N_("No encoding: short lines of US-ASCII only. The default.")},
    {.name = "8bit",
     .rfc = "RFC 2045 §6.2",
     .explain = N_("No encoding: short lines that may hold octets above 127; needs a server that "
                   "announced 8BITMIME.")},
    {.name = "binary",
     .rfc = "RFC 2045 §6.2",
     .explain = N_("No encoding and no line limit: only over BDAT with BINARYMIME, or IMAP.")},
    {.name = "quoted-printable",
     .rfc = "RFC 2045 §6.7",
     .explain = N_("Mostly-readable text: octets above 127 and '=' become =XX (hex), lines longer "
                   "than 76 characters are cut with a soft break '=' at line end.")},
    {.name = "base64",
     .rfc = "RFC 2045 §6.8",
     .explain = N_("Binary data as letters, digits, + and /: every 3 octets become 4 characters "
                   "(a third larger), in lines of at most 76.")},
};
const gsize mime_encoding_table_len = G_N_ELEMENTS(mime_encoding_table);

const MimeInfo mime_type_table[] = {
    {.name = "text/plain", .rfc = "RFC 2046 §4.1.3", .explain = N_("Plain text, readable as is.")},
    {.name = "text/html",
     .rfc = "RFC 2854 §2",
     .explain = N_("An HTML document: the formatted version of a message.")},
    {.name = "text/",
     .rfc = "RFC 2046 §4.1",
     .explain = N_("Text in some format, readable as characters.")},
    {.name = "multipart/mixed",
     .rfc = "RFC 2046 §5.1.3",
     .explain = N_("Several independent parts in order, typically a text and its attachments.")},
    {.name = "multipart/alternative",
     .rfc = "RFC 2046 §5.1.4",
     .explain = N_("The same content in several forms, from the plainest to the richest (text, "
                   "then HTML): the reader shows the last one it can.")},
    {.name = "multipart/related",
     .rfc = "RFC 2387 §3",
     .explain = N_("A root part and the parts it refers to (an HTML text and its inline images, "
                   "found by Content-ID).")},
    {.name = "multipart/digest",
     .rfc = "RFC 2046 §5.1.5",
     .explain = N_("A collection of messages; each part is message/rfc822 by default.")},
    {.name = "multipart/signed",
     .rfc = "RFC 1847 §2.1",
     .explain = N_("A part and its signature (S/MIME or OpenPGP).")},
    {.name = "multipart/report",
     .rfc = "RFC 6522 §3",
     .explain = N_("A machine-readable report, such as a bounce (delivery status notification).")},
    {.name = "multipart/",
     .rfc = "RFC 2046 §5.1",
     .explain = N_("Several parts separated by boundary lines.")},
    {.name = "message/rfc822",
     .rfc = "RFC 2046 §5.2.1",
     .explain = N_("A whole message inside this one (a forwarded message), with its own headers.")},
    {.name = "message/delivery-status",
     .rfc = "RFC 3464 §2",
     .explain = N_("Why a message could not be delivered, for programs.")},
    {.name = "message/", .rfc = "RFC 2046 §5.2", .explain = N_("An encapsulated message.")},
    {.name = "image/", .rfc = "RFC 2046 §4.2", .explain = N_("An image (png, jpeg, gif…).")},
    {.name = "audio/",
     .rfc = "RFC 2046 §4.3",
     .explain = N_("Sound, such as audio/mpeg or audio/ogg.")},
    {.name = "video/", .rfc = "RFC 2046 §4.4", .explain = N_("Moving images, such as video/mp4.")},
    {.name = "application/octet-stream",
     .rfc = "RFC 2046 §4.5.1",
     .explain = N_("Arbitrary binary data: the reader can only save it to a file.")},
    {.name = "application/pdf", .rfc = "RFC 8118 §2", .explain = N_("A PDF document.")},
    {.name = "application/",
     .rfc = "RFC 2046 §4.5",
     .explain = N_("Data for an application (a document, an archive…).")},
};
const gsize mime_type_table_len = G_N_ELEMENTS(mime_type_table);

const MimeInfo mime_disposition_table[] = {
    {.name = "inline",
     .rfc = "RFC 2183 §2.1",
     .explain = N_("Shown automatically, as part of the message.")},
    {.name = "attachment",
     .rfc = "RFC 2183 §2.2",
     .explain = N_("Kept apart: the reader decides whether to open or save it.")},
};
const gsize mime_disposition_table_len = G_N_ELEMENTS(mime_disposition_table);

/* Does row start with a (len octets, any case)? Then *rest_r is what follows. */
/* Inline: the lookups run for every header and part of every message. */
static inline char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + ('a' - 'A')) : c;
}

static gboolean
prefix_is(const char *row, const char *a, gsize len, const char **rest_r)
{
	if (len == 0 || ascii_lower(row[0]) != ascii_lower(a[0]) ||
	    g_ascii_strncasecmp(row, a, len) != 0)
		return FALSE;
	/* row has at least len octets: strncasecmp stopped at no NUL of row before. */
	*rest_r = row + len;
	return TRUE;
}

static const MimeInfo *
find(const MimeInfo *table, gsize n, const char *name, gsize len)
{
	const char *rest;
	for (gsize i = 0; i < n; i++)
		if (prefix_is(table[i].name, name, len, &rest) && *rest == '\0')
			return &table[i];
	return NULL;
}

/* The row "first<sep>second" (any case); second may be "" to match "first<sep>". */
static const MimeInfo *
find2(const MimeInfo *table, gsize n, const char *first, char sep, const char *second,
      gsize second_len)
{
	gsize flen = strlen(first);
	const char *rest;
	for (gsize i = 0; i < n; i++) {
		if (!prefix_is(table[i].name, first, flen, &rest) || *rest != sep)
			continue;
		rest++;
		if (strlen(rest) == second_len &&
		    (second_len == 0 || g_ascii_strncasecmp(rest, second, second_len) == 0))
			return &table[i];
	}
	return NULL;
}

const MimeInfo *
mime_header_lookup(const char *name, gsize len)
{
	return find(mime_header_table, G_N_ELEMENTS(mime_header_table), name, len);
}

const MimeInfo *
mime_param_lookup(const char *header, const char *param)
{
	const char *star = strchr(param, '*');
	gsize plen = star != NULL ? (gsize)(star - param) : strlen(param);
	return find2(mime_param_table, G_N_ELEMENTS(mime_param_table), header, ';', param, plen);
}

const MimeInfo *
mime_encoding_lookup(const char *encoding)
{
	if (encoding == NULL)
		return NULL;
	return find(mime_encoding_table, G_N_ELEMENTS(mime_encoding_table), encoding,
	            strlen(encoding));
}

const MimeInfo *
mime_type_lookup(const char *type, const char *subtype)
{
	if (type == NULL)
		return NULL;
	const char *sub = subtype != NULL ? subtype : "";
	const MimeInfo *info =
	    find2(mime_type_table, G_N_ELEMENTS(mime_type_table), type, '/', sub, strlen(sub));
	if (info != NULL)
		return info;
	return find2(mime_type_table, G_N_ELEMENTS(mime_type_table), type, '/', "", 0);
}

const MimeInfo *
mime_disposition_lookup(const char *disposition)
{
	if (disposition == NULL)
		return NULL;
	return find(mime_disposition_table, G_N_ELEMENTS(mime_disposition_table), disposition,
	            strlen(disposition));
}
