/* facteur capture: the live annotated trace of real mail traffic on an
 * interface (lo by default), until Ctrl-C; -w also saves the packets. */
#include "cmd/cmd-trace.h"
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "trace/trace-live.h"

#include <inttypes.h>
#include <glib-unix.h>
#include <stdio.h>

extern const FacteurCommand facteur_cmd_capture;

static gboolean
on_signal(gpointer loop)
{
	g_main_loop_quit(loop);
	return G_SOURCE_CONTINUE;
}

static int
run(int argc, char **argv)
{
	g_autofree char *iface = NULL, *write_path = NULL;
	CmdTraceOptions o = {0};
	const GOptionEntry entries[] = {
	    {"interface", 'i', 0, G_OPTION_ARG_STRING, &iface,
	     N_("Capture on this interface (default lo)"), N_("IFACE")},
	    {"write", 'w', 0, G_OPTION_ARG_FILENAME, &write_path,
	     N_("Also save the packets to FILE (pcap, opens in Wireshark)"), N_("FILE")},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(NULL, &facteur_cmd_capture);
	g_option_context_add_main_entries(ctx, entries, "facteur");
	cmd_trace_add_options(
	    ctx, &o,
	    N_("Also capture and decode port N as PROTO (smtp, pop3 or imap); repeatable"));
	gboolean parsed = facteur_cmd_parse(ctx, &argc, &argv);
	gboolean json = o.json;
	g_autoptr(Tracer) tracer = parsed && argc <= 1 ? cmd_trace_new("capture", &o) : NULL;
	cmd_trace_options_clear(&o);
	if (!parsed)
		return FACTEUR_EXIT_USAGE;
	if (argc > 1)
		return facteur_cmd_usage_error("capture", _("unexpected argument “%s”."), argv[1]);
	if (tracer == NULL)
		return FACTEUR_EXIT_USAGE;

	g_autoptr(GError) error = NULL;
	TraceLive *live = trace_live_start(tracer, iface, write_path, &error);
	if (live == NULL) {
		fprintf(stderr, "facteur capture: %s\n", error->message);
		return FACTEUR_EXIT_FAILED;
	}
	if (!json) {
		g_autoptr(GArray) list = tracer_ports(tracer);
		GString *s = g_string_new(NULL);
		for (guint i = 0; i < list->len; i++)
			g_string_append_printf(s, i > 0 ? " %u" : "%u",
			                       g_array_index(list, guint16, i));
		fprintf(stderr,
		        _("facteur capture: listening on %s, TCP ports %s; Ctrl-C stops.\n"),
		        iface != NULL ? iface : "lo", s->str);
		g_string_free(s, TRUE);
	}

	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	guint sigint = g_unix_signal_add(SIGINT, on_signal, loop);
	guint sigterm = g_unix_signal_add(SIGTERM, on_signal, loop);
	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	g_main_loop_unref(loop);
	guint64 n = trace_live_packets(live);
	trace_live_stop(live);
	tracer_finish(tracer, g_get_real_time());
	if (!json)
		fprintf(stderr, _("facteur capture: %" PRIu64 " packets captured.\n"), n);
	return FACTEUR_EXIT_OK;
}

const FacteurCommand facteur_cmd_capture = {
    .name = "capture",
    .summary = N_("Capture live mail traffic on an interface and explain every line"),
    .run = run,
};
