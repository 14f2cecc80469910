/* Fuzz target: the tracer's MIME / RFC 5322 decoder (src/trace/trace-mime.h)
 * on a message as it would come from DATA, RETR, TOP or FETCH, in an exact
 * allocation. Every event it emits is copied and written as JSON, as the
 * JSON Lines sink does: one valid UTF-8 line per event. */
#include "fuzz-common.h"

#include "trace/trace-mime.h"
#include "trace/trace-sink-json.h"

#include <string.h>

static void
mime_fuzz_emit(gpointer user_data, TraceEvent *ev)
{
	guint *count = user_data;
	(*count)++;
	FUZZ_CHECK(ev->n_explain <= TRACE_EVENT_MAX_EXPLAIN);
	FUZZ_CHECK(ev->raw != NULL || ev->raw_len == 0);
	g_autoptr(TraceEvent) copy = trace_event_copy(ev);
	g_autofree char *json = trace_event_to_json(copy);
	FUZZ_CHECK(json != NULL && g_utf8_validate(json, -1, NULL));
	FUZZ_CHECK(strchr(json, '\n') == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	guint64 rnd = fuzz_hash(data, size);
	guint64 r = fuzz_next(&rnd);
	/* As trace-conn.c asks, or as a header block, a TOP, a message cut by
	 * the tracer's limit, a shallow tree. */
	TraceMimeOptions opt = {
	    .dir = (r & 1) ? TRACE_DIR_S2C : TRACE_DIR_C2S,
	    .headers_only = ((r >> 1) & 7) == 0,
	    .partial = ((r >> 1) & 7) == 1,
	    .wire_size = ((r >> 1) & 7) == 2 ? size + (r >> 32) % 100000 : 0,
	    .max_depth = ((r >> 4) & 3) == 0 ? 1 + (guint)((r >> 6) % 4) : 16,
	};
	/* GByteArray takes the exact allocation: no slack for an overread to hide in. */
	GByteArray *msg = g_byte_array_new_take((guint8 *)fuzz_exact(data, size), size);
	guint count = 0;
	trace_mime_decode(msg, &opt, mime_fuzz_emit, &count);
	FUZZ_CHECK(msg->len == size && (size == 0 || memcmp(msg->data, data, size) == 0));
	g_byte_array_unref(msg);
	return 0;
}
