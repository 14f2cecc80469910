/* Fuzz target: the scenario file parser (src/scenario/scenario.h,
 * scenario_parse), as if the input were a file in facteur's scenarios/
 * directory, so that the demo messages it names are found (read, never
 * written). A scenario parses or fails with an error naming the file, the
 * line and what was expected; a parsed one answers every accessor. */
#include "fuzz-common.h"

#include "core/facteur-paths.h"
#include "scenario/scenario.h"

#include <string.h>

static void
scenario_fuzz_instrs(const GPtrArray *instrs)
{
	FUZZ_CHECK(instrs != NULL);
	for (guint i = 0; i < instrs->len; i++) {
		const ScenarioInstr *in = instrs->pdata[i];
		FUZZ_CHECK(in != NULL && in->line > 0);
		if (in->file != NULL)
			FUZZ_CHECK(g_path_is_absolute(in->file));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *path;
	fuzz_init();
	if (path == NULL)
		path = g_build_filename(facteur_paths_scenarios(), "fuzz.scn", NULL);
	char *text = fuzz_exact(data, size);
	g_autoptr(GError) error = NULL;
	g_autoptr(Scenario) sc = scenario_parse(path, text, (gssize)size, &error);
	free(text);
	if (sc == NULL) {
		FUZZ_CHECK(error != NULL && error->message != NULL);
		FUZZ_CHECK(g_str_has_prefix(error->message, path));
		return 0;
	}
	FUZZ_CHECK(error == NULL);
	const char *langs[] = {"fr", "en", "de"};
	for (gsize l = 0; l < G_N_ELEMENTS(langs); l++) {
		(void)scenario_title(sc, langs[l]);
		(void)scenario_summary(sc, langs[l]);
	}
	scenario_fuzz_instrs(sc->setup);
	guint n = scenario_n_steps(sc);
	FUZZ_CHECK(sc->steps != NULL && n == sc->steps->len);
	for (guint k = 1; k <= n; k++) {
		const ScenarioStep *step = scenario_step(sc, k);
		FUZZ_CHECK(step != NULL && step->number == k);
		for (gsize l = 0; l < G_N_ELEMENTS(langs); l++) {
			(void)scenario_step_narration(step, langs[l]);
			(void)scenario_step_title(step, langs[l]);
		}
		scenario_fuzz_instrs(step->instrs);
	}
	FUZZ_CHECK(scenario_step(sc, n + 1) == NULL);
	return 0;
}
