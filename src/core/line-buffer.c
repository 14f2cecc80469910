/* Line framing with a bounded buffer. An over-long line is not kept: its
 * octets are dropped as they come and one TOO_LONG is reported at its end. */
#include "core/line-buffer.h"

#include <string.h>

struct _LineBuffer {
	GByteArray *buf;
	gsize start;   /* first octet not yet returned */
	gsize scanned; /* octets after start known to hold no LF */
	gsize max_line;
	gboolean discarding;
};

LineBuffer *
line_buffer_new(gsize max_line)
{
	LineBuffer *lb = g_new0(LineBuffer, 1);
	lb->buf = g_byte_array_new();
	lb->max_line = max_line > 2 ? max_line : 2;
	return lb;
}

void
line_buffer_free(LineBuffer *lb)
{
	if (lb == NULL)
		return;
	g_byte_array_unref(lb->buf);
	g_free(lb);
}

static void
compact(LineBuffer *lb)
{
	if (lb->start == 0)
		return;
	if (lb->start >= lb->buf->len) {
		g_byte_array_set_size(lb->buf, 0);
	} else if (lb->start > 4096 && lb->start * 2 > lb->buf->len) {
		g_byte_array_remove_range(lb->buf, 0, lb->start);
	} else {
		return;
	}
	lb->start = 0;
}

void
line_buffer_feed(LineBuffer *lb, const void *data, gsize len)
{
	compact(lb);
	g_byte_array_append(lb->buf, data, len);
}

LineBufferResult
line_buffer_next(LineBuffer *lb, const char **line_r, gsize *len_r, gsize *term_r)
{
	for (;;) {
		const guint8 *base = lb->buf->data + lb->start;
		gsize avail = lb->buf->len - lb->start;
		const guint8 *lf = avail > lb->scanned
		                       ? memchr(base + lb->scanned, '\n', avail - lb->scanned)
		                       : NULL;
		if (lf == NULL) {
			lb->scanned = avail;
			if (avail >= lb->max_line) {
				/* Keep memory bounded: drop what we have, remember to drop until
				 * LF. A trailing CR is kept so that a CRLF split across feeds is
				 * seen. */
				lb->discarding = TRUE;
				gsize keep = base[avail - 1] == '\r' ? 1 : 0;
				lb->start += avail - keep;
				lb->scanned = keep;
			}
			return LINE_BUFFER_NEED_MORE;
		}
		gsize full = (gsize)(lf - base) + 1;
		gsize term = (full >= 2 && lf[-1] == '\r') ? 2 : 1;
		lb->start += full;
		lb->scanned = 0;
		if (lb->discarding || full > lb->max_line) {
			lb->discarding = FALSE;
			return LINE_BUFFER_TOO_LONG;
		}
		*line_r = (const char *)base;
		*len_r = full - term;
		if (term_r != NULL)
			*term_r = term;
		return LINE_BUFFER_LINE;
	}
}

gsize
line_buffer_take(LineBuffer *lb, gsize n, const char **data_r)
{
	gsize avail = lb->buf->len - lb->start;
	gsize take = MIN(n, avail);
	*data_r = (const char *)lb->buf->data + lb->start;
	lb->start += take;
	lb->scanned = 0;
	return take;
}

gsize
line_buffer_pending(const LineBuffer *lb)
{
	return lb->buf->len - lb->start;
}

void
line_buffer_reset(LineBuffer *lb)
{
	g_byte_array_set_size(lb->buf, 0);
	lb->start = 0;
	lb->scanned = 0;
	lb->discarding = FALSE;
}
