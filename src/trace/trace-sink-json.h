/* The JSON Lines sink (`--json`): one object per event and per line, made
 * with json-glib, with the fields of DESIGN.md; absent fields are left out. */
#pragma once

#include "trace/trace-event.h"

#include <stdio.h>

/* Writes to out, which the caller keeps open until the sink is freed. */
TraceSink *trace_sink_json_new(FILE *out);
/* One event as its JSON object, without newline. Caller frees. */
char *trace_event_to_json(const TraceEvent *ev);
