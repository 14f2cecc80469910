/* Locating facteur's data relative to the running binary, so that both a
 * source-tree build and a relocated `make install PREFIX=…` find it. */
#include "core/facteur-paths.h"

#include <unistd.h>

static char *datadir;
static char *localedir;
static char *scenarios;
static char *mail;
static char *lessons;
static char *store;

static char *
exe_dir(void)
{
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe == NULL)
		return g_get_current_dir();
	return g_path_get_dirname(exe);
}

static void
resolve(void)
{
	if (datadir != NULL)
		return;
	g_autofree char *dir = exe_dir();
	g_autofree char *up = g_path_get_dirname(dir);
	g_autofree char *src_marker = g_build_filename(up, "scenarios", NULL);
	g_autofree char *src_main = g_build_filename(up, "src", "main.c", NULL);
	const char *env = g_getenv("FACTEUR_DATADIR");

	if (env != NULL && *env != '\0') {
		datadir = g_strdup(env);
		localedir = g_build_filename(dir, "locale", NULL);
		if (!g_file_test(localedir, G_FILE_TEST_IS_DIR)) {
			g_free(localedir);
			localedir = g_build_filename(up, "share", "locale", NULL);
		}
	} else if (g_file_test(src_marker, G_FILE_TEST_IS_DIR) &&
	           g_file_test(src_main, G_FILE_TEST_EXISTS)) {
		/* Run from the source tree: BUILD/facteur, catalogues in BUILD/locale. */
		datadir = g_steal_pointer(&up);
		localedir = g_build_filename(dir, "locale", NULL);
	} else {
		datadir = g_build_filename(up, "share", "facteur", NULL);
		localedir = g_build_filename(up, "share", "locale", NULL);
	}
	if (g_getenv("FACTEUR_LOCALEDIR") != NULL) {
		g_free(localedir);
		localedir = g_strdup(g_getenv("FACTEUR_LOCALEDIR"));
	}
	scenarios = g_build_filename(datadir, "scenarios", NULL);
	mail = g_build_filename(scenarios, "mail", NULL);
	lessons = g_build_filename(datadir, "lessons", NULL);
	store = g_build_filename(g_get_user_data_dir(), "facteur", NULL);
}

const char *
facteur_paths_datadir(void)
{
	resolve();
	return datadir;
}

const char *
facteur_paths_localedir(void)
{
	resolve();
	return localedir;
}

const char *
facteur_paths_scenarios(void)
{
	resolve();
	return scenarios;
}

const char *
facteur_paths_mail(void)
{
	resolve();
	return mail;
}

const char *
facteur_paths_lessons(void)
{
	resolve();
	return lessons;
}

const char *
facteur_paths_default_store(void)
{
	resolve();
	return store;
}
