/* The collecting test sink; see test-sink.h. */
#include "test-sink.h"

#include <string.h>

static void
sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	TestSink *s = (TestSink *)sink;
	g_ptr_array_add(s->events, trace_event_copy(ev));
}

static void
sink_free(TraceSink *sink)
{
	TestSink *s = (TestSink *)sink;
	g_ptr_array_unref(s->events);
	g_free(s);
}

static const TraceSinkClass test_sink_class = {
    .emit = sink_emit,
    .free = sink_free,
};

TestSink *
test_sink_new(void)
{
	TestSink *s = g_new0(TestSink, 1);
	s->sink.klass = &test_sink_class;
	s->events = g_ptr_array_new_with_free_func((GDestroyNotify)trace_event_free);
	return s;
}

GPtrArray *
test_sink_events(TestSink *s)
{
	return g_ptr_array_ref(s->events);
}

const TraceEvent *
test_events_nth(GPtrArray *events, TraceKind kind, guint n)
{
	for (guint i = 0; i < events->len; i++) {
		const TraceEvent *ev = events->pdata[i];
		if (ev->kind == kind && n-- == 0)
			return ev;
	}
	return NULL;
}

guint
test_events_count(GPtrArray *events, TraceKind kind)
{
	guint n = 0;
	for (guint i = 0; i < events->len; i++)
		n += ((const TraceEvent *)events->pdata[i])->kind == kind;
	return n;
}

const TraceEvent *
test_events_find(GPtrArray *events, TraceKind kind, const char *name, guint *from)
{
	for (guint i = from != NULL ? *from : 0; i < events->len; i++) {
		const TraceEvent *ev = events->pdata[i];
		if (ev->kind == kind && (name == NULL || g_strcmp0(ev->name, name) == 0)) {
			if (from != NULL)
				*from = i + 1;
			return ev;
		}
	}
	return NULL;
}

static char *
join(GPtrArray *events, TraceKind kind, gboolean verbs)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < events->len; i++) {
		const TraceEvent *ev = events->pdata[i];
		if (ev->kind != kind)
			continue;
		if (s->len > 0)
			g_string_append_c(s, '|');
		g_string_append(s, verbs ? (ev->verb ? ev->verb : "?")
		                         : (ev->status ? ev->status : "?"));
	}
	return g_string_free(s, FALSE);
}

char *
test_events_verbs(GPtrArray *events)
{
	return join(events, TRACE_KIND_COMMAND, TRUE);
}

char *
test_events_statuses(GPtrArray *events)
{
	return join(events, TRACE_KIND_REPLY, FALSE);
}
