/* What `facteur decode` and `facteur capture` share: the options --json,
 * --port PROTO=N and --packets, and a tracer built from them with its sink
 * on stdout. */
#pragma once

#include "trace/tracer.h"

#include <glib.h>

typedef struct {
	gboolean json;
	gboolean packets;
	char **ports; /* "PROTO=N", from --port */
} CmdTraceOptions;

/* Adds the three options to ctx; port_help is the command's wording of --port. */
void cmd_trace_add_options(GOptionContext *ctx, CmdTraceOptions *o, const char *port_help);
/* A tracer with the --port ports and a text or JSON sink on stdout; NULL
 * after a one-sentence usage error on stderr (a bad --port). */
Tracer *cmd_trace_new(const char *cmd, const CmdTraceOptions *o);
void cmd_trace_options_clear(CmdTraceOptions *o);
