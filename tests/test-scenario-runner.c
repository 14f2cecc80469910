/* The scenario runner: stepping forward, stepping back by replaying to n-1,
 * and forward again gives the same transcript; a failed expectation stops
 * with a message naming the step, the line, what was expected and what came;
 * free input and the store are reachable while playing. */
#include "core/facteur-i18n.h"
#include "scenario/scenario-runner.h"
#include "trace/trace-sink-json.h"

#include <string.h>

typedef struct {
	GPtrArray *steps; /* GString per step: its events as normalised JSON */
	char *failure;
	guint marks_seen;
} Record;

static void
rec_started(ScenarioRunner *r, const ScenarioStep *step, gpointer data)
{
	(void)r;
	Record *rec = data;
	while (rec->steps->len < step->number)
		g_ptr_array_add(rec->steps, g_string_new(NULL));
}

static void
rec_event(ScenarioRunner *r, const TraceEvent *ev, gpointer data)
{
	(void)r;
	Record *rec = data;
	if (rec->steps->len == 0)
		return;
	/* What honestly varies between runs: capture times, ephemeral ports. */
	TraceEvent copy = *ev;
	copy.ts_us = 0;
	copy.client = NULL;
	copy.server = NULL;
	copy.elapsed_us = -1;
	copy.id = 0;
	copy.pair = 0;
	g_autofree char *json = trace_event_to_json(&copy);
	g_string_append_printf(rec->steps->pdata[rec->steps->len - 1], "%s\n", json);
}

static void
rec_failed(ScenarioRunner *r, const ScenarioStep *step, const ScenarioInstr *instr,
           const char *message, gpointer data)
{
	(void)r;
	(void)step;
	(void)instr;
	Record *rec = data;
	rec->failure = g_strdup(message);
}

static const ScenarioRunnerCallbacks callbacks = {
    .step_started = rec_started,
    .event = rec_event,
    .failed = rec_failed,
};

static void
record_free(Record *rec)
{
	for (guint i = 0; i < rec->steps->len; i++)
		g_string_free(rec->steps->pdata[i], TRUE);
	g_ptr_array_unref(rec->steps);
	g_free(rec->failure);
}

static Scenario *
load_shipped(const char *id)
{
	g_autofree char *path = g_build_filename(
	    g_getenv("FACTEUR_TOP") ? g_getenv("FACTEUR_TOP") : ".", "scenarios", id, NULL);
	g_autoptr(GError) error = NULL;
	Scenario *sc = scenario_load(path, &error);
	g_assert_no_error(error);
	return sc;
}

static void
test_step_back(void)
{
	g_autoptr(Scenario) sc = load_shipped("05-pop3-dele-rset-quit.scn");
	ScenarioRunnerOptions opts = {.capture = SCENARIO_CAPTURE_TAP, .fast = TRUE};
	guint n = 5;

	/* Forward to step n. */
	Record a = {.steps = g_ptr_array_new()};
	g_autoptr(GError) error = NULL;
	ScenarioRunner *r = scenario_runner_new(sc, &opts, &callbacks, &a, &error);
	g_assert_no_error(error);
	g_assert_true(scenario_runner_run_to(r, n));
	g_assert_cmpuint(scenario_runner_current_step(r), ==, n);
	scenario_runner_free(r);

	/* Back to n-1 (a new runner replays from the start), then forward again. */
	Record b = {.steps = g_ptr_array_new()};
	r = scenario_runner_new(sc, &opts, &callbacks, &b, &error);
	g_assert_true(scenario_runner_run_to(r, n - 1));
	g_assert_cmpuint(scenario_runner_current_step(r), ==, n - 1);
	g_assert_false(scenario_runner_is_busy(r));
	g_assert_true(scenario_runner_next(r));
	g_assert_true(scenario_runner_is_busy(r));
	while (scenario_runner_is_busy(r))
		g_main_context_iteration(NULL, TRUE);
	g_assert_false(scenario_runner_has_failed(r));
	g_assert_cmpuint(scenario_runner_current_step(r), ==, n);
	scenario_runner_free(r);

	g_assert_cmpuint(a.steps->len, ==, n);
	g_assert_cmpuint(b.steps->len, ==, n);
	for (guint i = 0; i < n; i++) {
		GString *x = a.steps->pdata[i], *y = b.steps->pdata[i];
		g_assert_cmpuint(x->len, >, 0);
		g_assert_cmpstr(x->str, ==, y->str);
	}
	record_free(&a);
	record_free(&b);
}

static const char *failing = "titre fr: Échec voulu\n"
                             "utilisateur bob bobpass\n"
                             "étape 1\n"
                             "fr: Un mauvais mot de passe, mais on attend +OK.\n"
                             "en: A wrong password, but +OK is expected.\n"
                             "ouvrir c1 pop3\n"
                             "attendre c1 +OK\n"
                             "envoyer c1 USER bob\n"
                             "attendre c1 +OK\n"
                             "envoyer c1 PASS faux\n"
                             "attendre c1 +OK\n"
                             "étape 2\n"
                             "fr: Jamais atteinte.\n"
                             "en: Never reached.\n"
                             "envoyer c1 QUIT\n";

static void
test_failure_message(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Scenario) sc = scenario_parse("/tmp/echec.scn", failing, -1, &error);
	g_assert_no_error(error);
	ScenarioRunnerOptions opts = {.capture = SCENARIO_CAPTURE_TAP, .fast = TRUE};
	Record rec = {.steps = g_ptr_array_new()};
	ScenarioRunner *r = scenario_runner_new(sc, &opts, &callbacks, &rec, &error);
	g_assert_false(scenario_runner_run_to(r, 2));
	g_assert_true(scenario_runner_has_failed(r));
	g_assert_false(scenario_runner_next(r));
	g_assert_nonnull(rec.failure);
	g_test_message("%s", rec.failure);
	g_assert_true(
	    g_str_has_prefix(rec.failure, "Step 1, line 11: expected «+OK» on c1, got «-ERR"));
	g_assert_nonnull(strstr(rec.failure, "[AUTH]"));
	scenario_runner_free(r);
	record_free(&rec);
}

static void
count_marks(const StoreChange *c, gpointer data)
{
	if (c->kind == STORE_CHANGE_POP3_MARKS)
		((Record *)data)->marks_seen++;
}

static void
test_free_input_and_store(void)
{
	g_autoptr(Scenario) sc = load_shipped("05-pop3-dele-rset-quit.scn");
	ScenarioRunnerOptions opts = {.capture = SCENARIO_CAPTURE_TAP, .fast = TRUE};
	Record rec = {.steps = g_ptr_array_new()};
	g_autoptr(GError) error = NULL;
	ScenarioRunner *r = scenario_runner_new(sc, &opts, &callbacks, &rec, &error);
	Store *store = scenario_runner_store(r);
	guint id = store_watch(store, count_marks, &rec);
	g_assert_true(scenario_runner_run_to(r, 2));
	/* The DELE of step 2 was seen by the store's watchers (the TUI's Mailbox pane). */
	g_assert_cmpuint(rec.marks_seen, ==, 1);
	g_assert_true(store_pop3_is_marked(store, "bob", 1));
	/* Free input: a line on c1; its reply comes as events. */
	GString *last = rec.steps->pdata[1];
	gsize before = last->len;
	g_assert_true(scenario_runner_send_line(r, "c1", "NOOP", &error));
	for (int i = 0; i < 50 && last->len == before; i++)
		g_main_context_iteration(NULL, TRUE);
	g_assert_cmpuint(last->len, >, before);
	g_assert_nonnull(strstr(last->str + before, "\"verb\":\"NOOP\""));
	g_assert_false(scenario_runner_send_line(r, "nope", "NOOP", &error));
	g_assert_nonnull(error);
	g_clear_error(&error);
	/* The scenario goes on unharmed after free input. */
	g_assert_true(scenario_runner_run_to(r, scenario_n_steps(sc)));
	g_assert_true(scenario_runner_is_done(r));
	GPtrArray *conns = scenario_runner_connections(r);
	g_assert_cmpuint(conns->len, ==, 4);
	g_assert_cmpstr(scenario_runner_capture_name(r), ==, "tap");
	store_unwatch(store, id);
	scenario_runner_free(r);
	record_free(&rec);
}

int
main(int argc, char **argv)
{
	facteur_i18n_init();
	facteur_i18n_set_lang("en");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/runner/step-back", test_step_back);
	g_test_add_func("/scenario/runner/failure-message", test_failure_message);
	g_test_add_func("/scenario/runner/free-input-and-store", test_free_input_and_store);
	return g_test_run();
}
