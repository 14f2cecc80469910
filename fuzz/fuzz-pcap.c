/* Fuzz target: a whole capture file (pcap or pcapng) through the tracer, as
 * `facteur decode` reads it (src/trace/trace-pcap.h, tracer.h): libpcap,
 * link layers, IPv4/IPv6, TCP reassembly, protocol recognition, the SMTP,
 * POP3 and IMAP decoders, the MIME decoder, and both sinks (text and JSON,
 * written to /dev/null). The input goes to an anonymous memory file, so
 * nothing is left behind. A checking sink sees every event: ids in order,
 * and a JSON line that is valid UTF-8. */
#include "fuzz-common.h"

#include "trace/trace-pcap.h"
#include "trace/trace-sink-json.h"
#include "trace/trace-sink-text.h"
#include "trace/tracer.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct {
	TraceSink sink;
	guint64 last_id;
} PcapFuzzSink;

static void
pcap_fuzz_sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	PcapFuzzSink *s = (PcapFuzzSink *)sink;
	FUZZ_CHECK(ev->id == s->last_id + 1);
	s->last_id = ev->id;
	FUZZ_CHECK(ev->n_explain <= TRACE_EVENT_MAX_EXPLAIN);
	FUZZ_CHECK(ev->raw != NULL || ev->raw_len == 0);
	g_autofree char *json = trace_event_to_json(ev);
	FUZZ_CHECK(json != NULL && g_utf8_validate(json, -1, NULL));
	FUZZ_CHECK(strchr(json, '\n') == NULL);
}

static void
pcap_fuzz_sink_free(TraceSink *sink)
{
	g_free(sink);
}

static const TraceSinkClass pcap_fuzz_sink_class = {
    .emit = pcap_fuzz_sink_emit,
    .free = pcap_fuzz_sink_free,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	fuzz_init();
	if (devnull == NULL)
		devnull = fopen("/dev/null", "w");
	FUZZ_CHECK(devnull != NULL);
	guint64 rnd = fuzz_hash(data, size);
	guint64 r = fuzz_next(&rnd);

	int fd = memfd_create("fuzz-pcap", MFD_CLOEXEC);
	FUZZ_CHECK(fd >= 0);
	for (size_t pos = 0; pos < size;) {
		ssize_t n = write(fd, data + pos, size - pos);
		FUZZ_CHECK(n > 0);
		pos += (size_t)n;
	}
	g_autofree char *path = g_strdup_printf("/proc/self/fd/%d", fd);

	g_autoptr(Tracer) tracer = tracer_new();
	PcapFuzzSink *check = g_new0(PcapFuzzSink, 1);
	check->sink.klass = &pcap_fuzz_sink_class;
	tracer_add_sink(tracer, &check->sink);
	TraceSink *text =
	    trace_sink_text_new(devnull, (r & 1) ? TRACE_COLOR_ALWAYS : TRACE_COLOR_NEVER);
	trace_sink_text_set_packets(text, (r & 2) != 0);
	tracer_add_sink(tracer, text);
	tracer_add_sink(tracer, trace_sink_json_new(devnull));
	tracer_set_packet_events(tracer, (r & 2) != 0);
	if ((r & 12) == 0) {
		/* Small limits, so that short captures reach them. */
		TracerLimits *limits = tracer_limits(tracer);
		limits->idle_timeout_s = 1 + (guint)((r >> 8) % 120);
		limits->max_connections = 1 + (guint)((r >> 16) % 4);
		limits->max_out_of_order = 1 + (gsize)((r >> 24) % 4096);
		limits->conn.max_line = 1 + (gsize)((r >> 36) % 512);
		limits->conn.max_message = 1 + (gsize)((r >> 48) % 8192);
	}
	if ((r & 16) != 0)
		tracer_set_port(tracer, (guint16)(r >> 32), (TraceProto)(1 + (r >> 30) % 3));

	g_autoptr(GError) error = NULL;
	(void)trace_pcap_read_file(tracer, path, &error);
	FUZZ_CHECK(check->last_id == tracer_count_events(tracer));
	tracer_flush(tracer);
	g_clear_pointer(&tracer, tracer_free);
	close(fd);
	return 0;
}
