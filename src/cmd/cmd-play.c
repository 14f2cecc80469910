/* facteur play: plays a scenario without the TUI and prints the annotated
 * transcript (the step narrations, then what the tracer saw on the wire). */
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"
#include "scenario/scenario-runner.h"
#include "trace/trace-sink-json.h"
#include "trace/trace-sink-text.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern const FacteurCommand facteur_cmd_play;

typedef struct {
	gboolean json;
	gboolean color;
	TraceSink *sink;
	const Scenario *sc;
	char *failure;
} Play;

static void
print_json(JsonBuilder *b)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	g_autoptr(JsonGenerator) gen = json_generator_new();
	json_generator_set_root(gen, root);
	g_autofree char *text = json_generator_to_data(gen, NULL);
	printf("%s\n", text);
}

static void
on_step_started(ScenarioRunner *r, const ScenarioStep *step, gpointer data)
{
	(void)r;
	Play *p = data;
	const char *lang = facteur_i18n_lang();
	const char *title = scenario_step_title(step, lang);
	const char *narration = scenario_step_narration(step, lang);
	trace_sink_flush(p->sink);
	if (p->json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, "step");
		json_builder_set_member_name(b, "step");
		json_builder_add_int_value(b, step->number);
		json_builder_set_member_name(b, "of");
		json_builder_add_int_value(b, scenario_n_steps(p->sc));
		if (title != NULL) {
			json_builder_set_member_name(b, "title");
			json_builder_add_string_value(b, title);
		}
		json_builder_set_member_name(b, "narration");
		json_builder_add_string_value(b, narration);
		json_builder_end_object(b);
		print_json(b);
		return;
	}
	const char *bold = p->color ? "\033[1m" : "";
	const char *reset = p->color ? "\033[0m" : "";
	/* TRANSLATORS: "Step 2/7" in the transcript. */
	g_autofree char *head =
	    g_strdup_printf(_("Step %u/%u"), step->number, scenario_n_steps(p->sc));
	printf("\n%s══ %s%s%s ══%s\n", bold, head, title ? " — " : "", title ? title : "", reset);
	g_auto(GStrv) lines = g_strsplit(narration, "\n", -1);
	for (char **l = lines; *l; l++)
		printf("  %s\n", *l);
	printf("\n");
}

static void
on_event(ScenarioRunner *r, const TraceEvent *ev, gpointer data)
{
	(void)r;
	Play *p = data;
	trace_sink_emit(p->sink, ev);
}

static void
on_step_finished(ScenarioRunner *r, const ScenarioStep *step, gpointer data)
{
	(void)r;
	(void)step;
	trace_sink_flush(((Play *)data)->sink);
	fflush(stdout);
}

static void
on_failed(ScenarioRunner *r, const ScenarioStep *step, const ScenarioInstr *instr,
          const char *message, gpointer data)
{
	(void)r;
	Play *p = data;
	trace_sink_flush(p->sink);
	p->failure = g_strdup(message);
	if (p->json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, "failed");
		json_builder_set_member_name(b, "step");
		json_builder_add_int_value(b, step != NULL ? step->number : 0);
		if (instr != NULL) {
			json_builder_set_member_name(b, "line");
			json_builder_add_int_value(b, instr->line);
		}
		json_builder_set_member_name(b, "message");
		json_builder_add_string_value(b, message);
		json_builder_end_object(b);
		print_json(b);
	} else {
		printf("\n%s✗ %s%s\n", p->color ? "\033[1;31m" : "", message,
		       p->color ? "\033[0m" : "");
	}
	fflush(stdout);
}

static int
list_scenarios(void)
{
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) list = scenario_list(facteur_paths_scenarios(), errors);
	const char *lang = facteur_i18n_lang();
	for (guint i = 0; i < list->len; i++) {
		const Scenario *sc = list->pdata[i];
		printf("%-28s %s\n", sc->id, scenario_title(sc, lang));
		const char *summary = scenario_summary(sc, lang);
		if (summary != NULL)
			printf("%-28s   %s\n", "", summary);
	}
	for (guint i = 0; i < errors->len; i++)
		fprintf(stderr, "facteur play: %s\n", (char *)errors->pdata[i]);
	return errors->len > 0 ? FACTEUR_EXIT_USAGE : FACTEUR_EXIT_OK;
}

static int
run(int argc, char **argv)
{
	gboolean json = FALSE, list = FALSE, packets = FALSE;
	g_autofree char *capture = NULL;
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &json,
	     N_("Write JSON Lines (steps and events) instead of text"), NULL},
	    {"list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the scenarios and their titles"),
	     NULL},
	    {"capture", 0, 0, G_OPTION_ARG_STRING, &capture,
	     N_("auto (libpcap when permitted, else the in-process tap), tap or pcap"), N_("MODE")},
	    {"packets", 0, 0, G_OPTION_ARG_NONE, &packets, N_("Also show every TCP segment"), NULL},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(_("SCENARIO"), &facteur_cmd_play);
	g_option_context_add_main_entries(ctx, entries, "facteur");
	if (!facteur_cmd_parse(ctx, &argc, &argv))
		return FACTEUR_EXIT_USAGE;
	if (list)
		return list_scenarios();
	if (argc != 2)
		return facteur_cmd_usage_error(
		    "play", argc < 2 ? _("which scenario? (facteur play SCENARIO, or --list)")
		                     : _("only one scenario at a time."));
	ScenarioRunnerOptions opts = {.packets = packets};
	if (capture == NULL || strcmp(capture, "auto") == 0)
		opts.capture = SCENARIO_CAPTURE_AUTO;
	else if (strcmp(capture, "tap") == 0)
		opts.capture = SCENARIO_CAPTURE_TAP;
	else if (strcmp(capture, "pcap") == 0)
		opts.capture = SCENARIO_CAPTURE_PCAP;
	else
		return facteur_cmd_usage_error(
		    "play", _("--capture takes auto, tap or pcap, not “%s”."), capture);

	g_autofree char *path = scenario_resolve(argv[1]);
	if (path == NULL)
		return facteur_cmd_usage_error(
		    "play",
		    _("no scenario “%s” (a .scn file, or a name from facteur play --list)."),
		    argv[1]);
	g_autoptr(GError) error = NULL;
	g_autoptr(Scenario) sc = scenario_load(path, &error);
	if (sc == NULL) {
		fprintf(stderr, "facteur play: %s\n", error->message);
		return FACTEUR_EXIT_USAGE;
	}
	const char *no_color = g_getenv("NO_COLOR");
	Play p = {
	    .json = json,
	    .color = !json && isatty(STDOUT_FILENO) && (no_color == NULL || *no_color == '\0'),
	    .sc = sc,
	};
	p.sink = json ? trace_sink_json_new(stdout) : trace_sink_text_new(stdout, TRACE_COLOR_AUTO);
	if (!json)
		trace_sink_text_set_packets(p.sink, packets);
	static const ScenarioRunnerCallbacks cb = {
	    .step_started = on_step_started,
	    .event = on_event,
	    .step_finished = on_step_finished,
	    .failed = on_failed,
	};
	ScenarioRunner *r = scenario_runner_new(sc, &opts, &cb, &p, &error);
	if (r == NULL) {
		fprintf(stderr, "facteur play: %s\n", error->message);
		trace_sink_free(p.sink);
		return FACTEUR_EXIT_USAGE;
	}
	if (!json) {
		const char *bold = p.color ? "\033[1m" : "";
		const char *reset = p.color ? "\033[0m" : "";
		printf("%s%s%s\n", bold, scenario_title(sc, facteur_i18n_lang()), reset);
		printf("(%s)\n", scenario_runner_capture_note(r));
	}
	gboolean ok = scenario_runner_run_to(r, scenario_n_steps(sc));
	scenario_runner_free(r);
	trace_sink_flush(p.sink);
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "kind");
		json_builder_add_string_value(b, "result");
		json_builder_set_member_name(b, "ok");
		json_builder_add_boolean_value(b, ok);
		json_builder_end_object(b);
		print_json(b);
	} else if (ok) {
		printf("\n%s✓ %s%s\n", p.color ? "\033[1;32m" : "", _("Every expectation held."),
		       p.color ? "\033[0m" : "");
	}
	trace_sink_free(p.sink);
	g_free(p.failure);
	return ok ? FACTEUR_EXIT_OK : FACTEUR_EXIT_FAILED;
}

const FacteurCommand facteur_cmd_play = {
    .name = "play",
    .summary = N_("Play a scenario and print the annotated transcript"),
    .run = run,
};
