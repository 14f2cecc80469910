/* The text sink: the annotated conversation for people, one line per
 * command, reply or header as it crossed the wire, each explanation under
 * its line; client and server lines told apart by arrow and colour. */
#pragma once

#include "trace/trace-event.h"

#include <stdio.h>

typedef enum {
	TRACE_COLOR_AUTO, /* when out is a terminal and NO_COLOR is unset or empty */
	TRACE_COLOR_ALWAYS,
	TRACE_COLOR_NEVER,
} TraceColorMode;

/* Writes to out, which the caller keeps open until the sink is freed. */
TraceSink *trace_sink_text_new(FILE *out, TraceColorMode color);
/* Shows TCP packet events too (off by default). */
void trace_sink_text_set_packets(TraceSink *sink, gboolean on);
