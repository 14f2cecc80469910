/* MIME knowledge as tables (RFC 2045, 2046, 2183, 2231, 2387, 3676): the
 * Content-* header fields, their parameters, the transfer encodings, the
 * common media types and dispositions, each with its RFC section and an N_()
 * explanation (translate with _() when shown). Pure data; no I/O. */
#pragma once

#include <glib.h>

/* One explained name: a header field, a parameter, an encoding, a media type… */
typedef struct {
	const char *name;    /* "Content-Type", "boundary", "base64", "multipart/mixed", "image/" */
	const char *rfc;     /* "RFC 2045 §5" */
	const char *explain; /* N_() */
} MimeInfo;

extern const MimeInfo mime_header_table[];
extern const gsize mime_header_table_len;
extern const MimeInfo mime_param_table[];
extern const gsize mime_param_table_len;
extern const MimeInfo mime_encoding_table[];
extern const gsize mime_encoding_table_len;
extern const MimeInfo mime_type_table[];
extern const gsize mime_type_table_len;
extern const MimeInfo mime_disposition_table[];
extern const gsize mime_disposition_table_len;

/* Case-insensitive lookups; NULL when unknown. */
const MimeInfo *mime_header_lookup(const char *name, gsize len);
/* A parameter of header ("Content-Type" or "Content-Disposition"); a
 * trailing "*" or "*N" of RFC 2231 is ignored ("filename*" is "filename"). */
const MimeInfo *mime_param_lookup(const char *header, const char *param);
const MimeInfo *mime_encoding_lookup(const char *encoding);
/* "type/subtype": the exact row, else the row of its top-level type ("image/"). */
const MimeInfo *mime_type_lookup(const char *type, const char *subtype);
const MimeInfo *mime_disposition_lookup(const char *disposition);
