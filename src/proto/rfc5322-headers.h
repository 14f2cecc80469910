/* The header fields of an Internet message (RFC 5322 and the trace fields of
 * RFC 5321), one table row each: name, syntax class, RFC section and an N_()
 * explanation (translate with _() when shown). Pure data; no I/O. */
#pragma once

#include <glib.h>

/* How a field's value is built, which says how to decode RFC 2047 words in it. */
typedef enum {
	RFC5322_UNSTRUCTURED, /* free text: encoded-words anywhere (Subject) */
	RFC5322_ADDRESSES,    /* mailbox or address lists: encoded-words in display names */
	RFC5322_DATE,         /* date-time (RFC 5322 §3.3) */
	RFC5322_MSG_IDS,      /* one or more <id@domain> */
	RFC5322_TRACE,        /* Received, Return-Path: structured, no encoded-words */
	RFC5322_STRUCTURED,   /* other structured values (MIME fields, keywords) */
} Rfc5322Syntax;

typedef struct {
	const char *name; /* canonical spelling: "Message-ID" */
	Rfc5322Syntax syntax;
	const char *rfc;     /* "RFC 5322 §3.6.4" */
	const char *explain; /* N_() */
} Rfc5322HeaderInfo;

extern const Rfc5322HeaderInfo rfc5322_header_table[];
extern const gsize rfc5322_header_table_len;

/* Case-insensitive lookup; NULL when the field is not in the table. */
const Rfc5322HeaderInfo *rfc5322_header_lookup(const char *name, gsize len);
/* The row that explains a field not in the table: "X-" fields, or any other
 * optional field (RFC 5322 §3.6.8). Never NULL. */
const Rfc5322HeaderInfo *rfc5322_header_optional(const char *name, gsize len);
