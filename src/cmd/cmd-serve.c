/* facteur serve: the three servers for real clients (Thunderbird, mutt, curl,
 * telnet), on the one main loop, until Ctrl-C. */
#include "cmd/cmd.h"
#include "cmd/serve-setup.h"
#include "core/facteur-i18n.h"
#include "scenario/tap-glue.h"
#include "trace/trace-live.h"
#include "trace/trace-sink-json.h"
#include "trace/trace-sink-text.h"

#include <glib-unix.h>
#include <stdio.h>

extern const FacteurCommand facteur_cmd_serve;

static gboolean
on_signal(gpointer data)
{
	g_main_loop_quit(data);
	return G_SOURCE_CONTINUE; /* removed by run() */
}

static void
on_tap(const ServerTapEvent *ev, gpointer data)
{
	Tracer *tracer = data;
	tap_glue_forward(ev, tracer);
	tracer_flush(tracer);
	fflush(stdout);
}

static int
run(int argc, char **argv)
{
	ServeOptions opts;
	serve_options_init(&opts);
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(NULL, &facteur_cmd_serve);
	g_option_context_add_main_entries(ctx, serve_option_entries(&opts), "facteur");
	if (!facteur_cmd_parse(ctx, &argc, &argv))
		return FACTEUR_EXIT_USAGE;
	if (argc > 1)
		return facteur_cmd_usage_error("serve", _("unexpected argument “%s”."), argv[1]);
	if (opts.json && !opts.trace) {
		serve_options_clear(&opts);
		return facteur_cmd_usage_error("serve", _("--json only goes with --trace."));
	}

	g_autoptr(GError) error = NULL;
	ServeSetup *setup = serve_setup_start(&opts, &error);
	if (setup == NULL) {
		fprintf(stderr, "facteur serve: %s\n", error->message);
		serve_options_clear(&opts);
		return error->domain == G_OPTION_ERROR ? FACTEUR_EXIT_USAGE : FACTEUR_EXIT_FAILED;
	}
	/* With --json, stdout holds only the JSON Lines: the banner goes to stderr. */
	FILE *info = opts.trace && opts.json ? stderr : stdout;
	serve_setup_print_banner(setup, info);
	Tracer *tracer = NULL;
	TraceCapture *capture = NULL;
	if (opts.trace) {
		tracer = tracer_new();
		tracer_add_sink(tracer, opts.json ? trace_sink_json_new(stdout)
		                                  : trace_sink_text_new(stdout, TRACE_COLOR_AUTO));
		TracePort ports[SERVER_N_PROTOCOLS];
		gsize n = 0;
		tap_glue_ports(serve_setup_servers(setup), ports, &n);
		capture = trace_capture_start_loopback(tracer, ports, n);
		servers_set_tap(serve_setup_servers(setup), on_tap, tracer);
		fprintf(info, "%s\n", trace_capture_describe(capture));
	}
	fflush(info);

	GMainLoop *loop = g_main_loop_new(NULL, FALSE);
	guint sigint = g_unix_signal_add(SIGINT, on_signal, loop);
	guint sigterm = g_unix_signal_add(SIGTERM, on_signal, loop);
	g_main_loop_run(loop);
	g_source_remove(sigint);
	g_source_remove(sigterm);
	fprintf(info, "%s\n", _("Stopping: every client is told goodbye (421, -ERR, * BYE)."));
	serve_setup_stop(setup);
	trace_capture_stop(capture);
	if (tracer != NULL)
		tracer_free(tracer);
	g_main_loop_unref(loop);
	serve_options_clear(&opts);
	return FACTEUR_EXIT_OK;
}

const FacteurCommand facteur_cmd_serve = {
    .name = "serve",
    .summary = N_("Run the SMTP, POP3 and IMAP servers for real mail clients"),
    .run = run,
};
