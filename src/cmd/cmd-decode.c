/* facteur decode FILE: a capture (pcap or pcapng) decoded offline into the
 * annotated conversation, or into JSON Lines with --json. */
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "trace/trace-pcap.h"
#include "trace/trace-sink-json.h"
#include "trace/trace-sink-text.h"
#include "trace/tracer.h"

#include <stdio.h>

extern const FacteurCommand facteur_cmd_decode;

static int
run(int argc, char **argv)
{
	gboolean json = FALSE, packets = FALSE;
	g_auto(GStrv) ports = NULL;
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &json,
	     N_("Write JSON Lines (one event per line) instead of text"), NULL},
	    {"port", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ports,
	     N_("Also decode port N as PROTO (smtp, pop3 or imap); repeatable"), N_("PROTO=N")},
	    {"packets", 0, 0, G_OPTION_ARG_NONE, &packets,
	     N_("Also show every TCP segment (flags, sequence numbers, length)"), NULL},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(_("FILE"), &facteur_cmd_decode);
	g_option_context_add_main_entries(ctx, entries, "facteur");
	if (!facteur_cmd_parse(ctx, &argc, &argv))
		return FACTEUR_EXIT_USAGE;
	if (argc != 2)
		return facteur_cmd_usage_error(
		    "decode", argc < 2 ? _("which capture file? (facteur decode FILE)")
		                       : _("only one capture file at a time."));

	g_autoptr(Tracer) tracer = tracer_new();
	for (gchar **p = ports; p != NULL && *p != NULL; p++) {
		g_autoptr(GError) error = NULL;
		if (!tracer_parse_port(tracer, *p, &error))
			return facteur_cmd_usage_error("decode", "--port: %s", error->message);
	}
	tracer_set_packet_events(tracer, packets);
	TraceSink *sink =
	    json ? trace_sink_json_new(stdout) : trace_sink_text_new(stdout, TRACE_COLOR_AUTO);
	if (!json)
		trace_sink_text_set_packets(sink, packets);
	tracer_add_sink(tracer, sink);

	g_autoptr(GError) error = NULL;
	gboolean ok = trace_pcap_read_file(tracer, argv[1], &error);
	tracer_flush(tracer);
	if (!ok) {
		fprintf(stderr, "facteur decode: %s\n", error->message);
		return FACTEUR_EXIT_USAGE;
	}
	return FACTEUR_EXIT_OK;
}

const FacteurCommand facteur_cmd_decode = {
    .name = "decode",
    .summary = N_("Decode a capture file (pcap or pcapng) and explain every line"),
    .run = run,
};
