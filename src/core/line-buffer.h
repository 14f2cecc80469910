/* CRLF line framing shared by the servers and the tracer: bytes in, whole
 * lines out, with a maximum line length that bounds memory. */
#pragma once

#include <glib.h>

typedef enum {
	LINE_BUFFER_NEED_MORE, /* no complete line yet */
	LINE_BUFFER_LINE,      /* line_r and len_r hold a line, without its terminator */
	LINE_BUFFER_TOO_LONG,  /* a line longer than the maximum ended; it was discarded */
} LineBufferResult;

typedef struct _LineBuffer LineBuffer;

/* max_line counts the octets of a line including its CRLF (SMTP's 1000, POP3's 255). */
LineBuffer *line_buffer_new(gsize max_line);
void line_buffer_free(LineBuffer *lb);
void line_buffer_feed(LineBuffer *lb, const void *data, gsize len);
/* The next line; the pointer stays valid until the next feed or take. *term_r
 * is the terminator's length: 2 for CRLF, 1 for a bare LF. */
LineBufferResult line_buffer_next(LineBuffer *lb, const char **line_r, gsize *len_r, gsize *term_r);
/* Raw access for length-counted data (BDAT chunks, literals): up to n octets
 * already buffered, consumed. Returns how many were taken. */
gsize line_buffer_take(LineBuffer *lb, gsize n, const char **data_r);
/* Octets buffered and not yet returned. */
gsize line_buffer_pending(const LineBuffer *lb);
/* Forgets everything buffered (after a gap in a capture, on a new connection). */
void line_buffer_reset(LineBuffer *lb);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(LineBuffer, line_buffer_free)
