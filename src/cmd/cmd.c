/* The command table and the option parsing every subcommand shares. */
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"

#include <stdio.h>
#include <string.h>

extern const FacteurCommand facteur_cmd_serve;
extern const FacteurCommand facteur_cmd_decode;
extern const FacteurCommand facteur_cmd_capture;
extern const FacteurCommand facteur_cmd_play;
extern const FacteurCommand facteur_cmd_tui;

const FacteurCommand *const facteur_commands[] = {
    &facteur_cmd_play,
    &facteur_cmd_serve,
    &facteur_cmd_decode,
    &facteur_cmd_capture,
    &facteur_cmd_tui,
    NULL,
};

const FacteurCommand *
facteur_command_find(const char *name)
{
	for (gsize i = 0; facteur_commands[i] != NULL; i++) {
		if (strcmp(facteur_commands[i]->name, name) == 0)
			return facteur_commands[i];
	}
	return NULL;
}

static char *opt_lang;

static const GOptionEntry lang_entries[] = {
    {"lang", 0, 0, G_OPTION_ARG_STRING, &opt_lang,
     N_("Language of the interface and explanations (fr or en)"), N_("LANG")},
    G_OPTION_ENTRY_NULL,
};

GOptionContext *
facteur_cmd_context(const char *params, const FacteurCommand *cmd)
{
	GOptionContext *ctx = g_option_context_new(params);
	g_option_context_set_translation_domain(ctx, "facteur");
	g_option_context_set_summary(ctx, _(cmd->summary));
	g_option_context_set_description(
	    ctx, _("Exit status: 0 success, 1 failure, 2 bad command line or bad input file."));
	g_option_context_add_main_entries(ctx, lang_entries, "facteur");
	return ctx;
}

gboolean
facteur_cmd_parse(GOptionContext *ctx, int *argc, char ***argv)
{
	g_autoptr(GError) error = NULL;
	const char *name = (*argv)[0];

	if (!g_option_context_parse(ctx, argc, argv, &error)) {
		facteur_cmd_usage_error(name, _("%s (see “facteur %s --help”)."), error->message,
		                        name);
		return FALSE;
	}
	if (opt_lang != NULL && !facteur_i18n_set_lang(opt_lang)) {
		facteur_cmd_usage_error(name, _("unknown language “%s” (use fr or en)."), opt_lang);
		return FALSE;
	}
	return TRUE;
}

int
facteur_cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "facteur %s: %s\n", cmd, msg);
	return FACTEUR_EXIT_USAGE;
}
