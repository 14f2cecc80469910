/* See cmd-trace.h. */
#include "cmd/cmd-trace.h"

#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "trace/trace-sink-json.h"
#include "trace/trace-sink-text.h"

#include <stdio.h>

void
cmd_trace_add_options(GOptionContext *ctx, CmdTraceOptions *o, const char *port_help)
{
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &o->json,
	     N_("Write JSON Lines (one event per line) instead of text"), NULL},
	    {"port", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->ports, port_help, N_("PROTO=N")},
	    {"packets", 0, 0, G_OPTION_ARG_NONE, &o->packets,
	     N_("Also show every TCP segment (flags, sequence numbers, length)"), NULL},
	    G_OPTION_ENTRY_NULL,
	};
	/* GOption copies the entries into its group. */
	g_option_context_add_main_entries(ctx, entries, "facteur");
}

Tracer *
cmd_trace_new(const char *cmd, const CmdTraceOptions *o)
{
	Tracer *tracer = tracer_new();
	for (char **p = o->ports; p != NULL && *p != NULL; p++) {
		g_autoptr(GError) error = NULL;
		if (!tracer_parse_port(tracer, *p, &error)) {
			facteur_cmd_usage_error(cmd, "--port: %s", error->message);
			tracer_free(tracer);
			return NULL;
		}
	}
	tracer_set_packet_events(tracer, o->packets);
	TraceSink *sink =
	    o->json ? trace_sink_json_new(stdout) : trace_sink_text_new(stdout, TRACE_COLOR_AUTO);
	if (!o->json)
		trace_sink_text_set_packets(sink, o->packets);
	tracer_add_sink(tracer, sink);
	return tracer;
}

void
cmd_trace_options_clear(CmdTraceOptions *o)
{
	g_clear_pointer(&o->ports, g_strfreev);
}
