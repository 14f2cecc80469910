/* The capture screen's input: a pcap or pcapng file read by the tracer
 * (trace_pcap_read_file), its events, packets included, collected by a small
 * TraceSink into the screen's event list. */
#include "tui/tui-capture.h"
#include "core/facteur-i18n.h"
#include "trace/trace-pcap.h"
#include "trace/tracer.h"

typedef struct {
	TraceSink base;
	TuiEvents *events; /* borrowed */
} CollectSink;

static void
collect_emit(TraceSink *sink, const TraceEvent *ev)
{
	tui_events_add(((CollectSink *)sink)->events, ev, TRUE);
}

static void
collect_free(TraceSink *sink)
{
	g_free(sink);
}

static const TraceSinkClass collect_class = {
    .emit = collect_emit,
    .free = collect_free,
};

gboolean
tui_capture_load(const char *path, TuiEvents *events, GError **error)
{
	CollectSink *sink = g_new0(CollectSink, 1);
	sink->base.klass = &collect_class;
	sink->events = events;
	g_autoptr(Tracer) tracer = tracer_new();
	tracer_set_packet_events(tracer, TRUE);
	tracer_add_sink(tracer, &sink->base);
	g_autoptr(GError) local = NULL;
	gboolean ok = trace_pcap_read_file(tracer, path, &local);
	tracer_flush(tracer);
	g_clear_pointer(&tracer, tracer_free);
	/* A damaged file: what came before the damage is shown, with a note. */
	if (!ok && g_error_matches(local, TRACE_PCAP_ERROR, TRACE_PCAP_ERROR_DAMAGED) &&
	    events->events->len > 0) {
		tui_events_set_capture(events, _("pcap file"), local->message);
		return TRUE;
	}
	if (!ok) {
		g_propagate_error(error, g_steal_pointer(&local));
		return FALSE;
	}
	tui_events_set_capture(events, _("pcap file"), NULL);
	return TRUE;
}
