/* A TraceSink for tests: keeps a copy of every event, and a few ways to look
 * at them. */
#pragma once

#include "trace/trace-event.h"

typedef struct {
	TraceSink sink;
	GPtrArray *events; /* TraceEvent* copies, owned */
} TestSink;

/* The sink is owned by whoever it is given to (a Tracer); the events array
 * is shared: test_sink_events() returns a new reference that outlives it. */
TestSink *test_sink_new(void);
GPtrArray *test_sink_events(TestSink *s);
/* The n-th (from 0) event of a kind, NULL when there are fewer. */
const TraceEvent *test_events_nth(GPtrArray *events, TraceKind kind, guint n);
guint test_events_count(GPtrArray *events, TraceKind kind);
/* The first event of kind whose name is name (NULL: any), from index *from
 * on; *from is set after it. NULL when none. */
const TraceEvent *test_events_find(GPtrArray *events, TraceKind kind, const char *name,
                                   guint *from);
/* "EHLO|MAIL|RCPT": the verbs of the command events, joined. Caller frees. */
char *test_events_verbs(GPtrArray *events);
/* "220|250|250": the statuses of the reply events, joined. Caller frees. */
char *test_events_statuses(GPtrArray *events);
