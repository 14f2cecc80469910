/* The MIME / RFC 5322 decoder of the tracer, on GMime: a message (from SMTP
 * DATA or BDAT, POP3 RETR/TOP, IMAP FETCH or APPEND) becomes header events
 * (each field explained, RFC 2047 words decoded beside the raw text, MIME
 * parameters as their own events) and mime events (the part tree, boundary
 * lines marked opening or closing, part sizes and decoded sizes). */
#pragma once

#include "trace/trace-event.h"

typedef void (*TraceMimeEmit)(gpointer user_data, TraceEvent *ev);

typedef struct {
	TraceDir dir;          /* the direction the message travelled */
	gboolean headers_only; /* a header block only (BODY[HEADER], BODY[1.MIME]) */
	gboolean partial;      /* the beginning of a message only, by design (POP3 TOP) */
	guint64 wire_size;     /* octets of the message on the wire, when more than given */
	guint max_depth;       /* MIME nesting shown; deeper parts are summarised */
} TraceMimeOptions;

/* Decodes msg (borrowed; not modified) and emits its events in order. */
void trace_mime_decode(GByteArray *msg, const TraceMimeOptions *options, TraceMimeEmit emit,
                       gpointer user_data);
