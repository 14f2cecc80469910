/* The inputs on which fuzzing found bugs (tests/fuzz-regressions/TARGET/),
 * fed again to the fuzz targets' entry points, built here with the normal
 * flags (and with ASan and UBSan by make check-asan); and each target's seed
 * corpus (fuzz/corpus/TARGET/), so that the targets keep working between
 * fuzzing runs. Each input runs in a subprocess: a property the target
 * checks aborts it, and the test fails with the target's message. */
#include <glib.h>

#define LLVMFuzzerTestOneInput fuzz_smtp_one
#include "../fuzz/fuzz-smtp.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_pop3_one
#include "../fuzz/fuzz-pop3.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_imap_command_one
#include "../fuzz/fuzz-imap-command.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_imap_response_one
#include "../fuzz/fuzz-imap-response.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_imap_utf7_one
#include "../fuzz/fuzz-imap-utf7.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_mime_one
#include "../fuzz/fuzz-mime.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_imap_message_one
#include "../fuzz/fuzz-imap-message.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_pcap_one
#include "../fuzz/fuzz-pcap.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_scenario_one
#include "../fuzz/fuzz-scenario.c"
#undef LLVMFuzzerTestOneInput

typedef int (*FuzzEntry)(const uint8_t *data, size_t size);

static const struct {
	const char *name;
	FuzzEntry entry;
} targets[] = {
    {"fuzz-smtp", fuzz_smtp_one},
    {"fuzz-pop3", fuzz_pop3_one},
    {"fuzz-imap-command", fuzz_imap_command_one},
    {"fuzz-imap-response", fuzz_imap_response_one},
    {"fuzz-imap-utf7", fuzz_imap_utf7_one},
    {"fuzz-mime", fuzz_mime_one},
    {"fuzz-imap-message", fuzz_imap_message_one},
    {"fuzz-pcap", fuzz_pcap_one},
    {"fuzz-scenario", fuzz_scenario_one},
};

typedef struct {
	FuzzEntry entry;
	GPtrArray *files; /* paths, owned */
} Case;

static void
case_free(gpointer data)
{
	Case *c = data;
	g_ptr_array_unref(c->files);
	g_free(c);
}

static void
run_case(gconstpointer data)
{
	const Case *c = data;
	if (g_test_subprocess()) {
		for (guint i = 0; i < c->files->len; i++) {
			gchar *bytes = NULL;
			gsize len = 0;
			g_assert_true(g_file_get_contents(c->files->pdata[i], &bytes, &len, NULL));
			c->entry((const uint8_t *)bytes, len);
			g_free(bytes);
		}
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_test_trap_assert_passed();
}

static int
compare_paths(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The files of dir, sorted; NULL when there is no such directory. */
static GPtrArray *
list_files(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return NULL;
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			g_ptr_array_add(files, path);
		else
			g_free(path);
	}
	g_dir_close(d);
	g_ptr_array_sort(files, compare_paths);
	return files;
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	const char *top = g_getenv("FACTEUR_TOP");
	if (top == NULL)
		top = ".";
	GPtrArray *cases = g_ptr_array_new_with_free_func(case_free);
	for (gsize t = 0; t < G_N_ELEMENTS(targets); t++) {
		/* One test per regression input, named after its file. */
		g_autofree char *rdir =
		    g_build_filename(top, "tests", "fuzz-regressions", targets[t].name, NULL);
		g_autoptr(GPtrArray) found = list_files(rdir);
		if (found != NULL) {
			for (guint i = 0; i < found->len; i++) {
				Case *c = g_new0(Case, 1);
				c->entry = targets[t].entry;
				c->files = g_ptr_array_new_with_free_func(g_free);
				g_ptr_array_add(c->files, g_strdup(found->pdata[i]));
				g_autofree char *base = g_path_get_basename(found->pdata[i]);
				g_autofree char *path = g_strdup_printf("/fuzz-regressions/%s/%s",
				                                        targets[t].name, base);
				g_test_add_data_func(path, c, run_case);
				g_ptr_array_add(cases, c);
			}
		}
		/* The seed corpus, all in one test. */
		g_autofree char *cdir =
		    g_build_filename(top, "fuzz", "corpus", targets[t].name, NULL);
		GPtrArray *seeds = list_files(cdir);
		g_assert_nonnull(seeds);
		g_assert_cmpuint(seeds->len, >, 0);
		Case *c = g_new0(Case, 1);
		c->entry = targets[t].entry;
		c->files = seeds;
		g_autofree char *path = g_strdup_printf("/fuzz-corpus/%s", targets[t].name);
		g_test_add_data_func(path, c, run_case);
		g_ptr_array_add(cases, c);
	}
	int rc = g_test_run();
	g_ptr_array_unref(cases);
	return rc;
}
