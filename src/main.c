/* facteur: subcommand dispatch only. Each command lives in src/cmd/cmd-NAME.c. */
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"

#include <stdio.h>
#include <string.h>

static void
usage(FILE *out)
{
	fprintf(out, "%s\n", _("Usage: facteur [COMMAND] [OPTION…]"));
	fprintf(out, "%s\n\n", _("Teaches the mail protocols: SMTP, POP3, IMAP and MIME."));
	fprintf(out, "%s\n", _("Commands:"));
	for (gsize i = 0; facteur_commands[i] != NULL; i++)
		fprintf(out, "  %-10s %s\n", facteur_commands[i]->name,
		        _(facteur_commands[i]->summary));
	fprintf(out, "\n%s\n", _("“facteur COMMAND --help” describes a command."));
	fprintf(out, "%s\n",
	        _("Exit status: 0 success, 1 failure, 2 bad command line or bad input file."));
}

/* --lang must act before GOption prints --help, wherever it stands; an unknown
 * language is left for the command's parser to refuse. */
static void
early_lang(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *v = NULL;
		if (g_str_has_prefix(argv[i], "--lang="))
			v = argv[i] + 7;
		else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			v = argv[i + 1];
		if (v != NULL && facteur_i18n_is_known(v))
			facteur_i18n_set_lang(v);
	}
}

/* The home screen is the "tui" command run without its name: its messages
 * must say "facteur tui", not the path of the binary. */
static int
run_home(const FacteurCommand *home, int argc, char **argv)
{
	g_autofree char **args = g_new0(char *, argc + 1);
	args[0] = (char *)home->name;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	g_set_prgname("facteur tui");
	return home->run(argc, args);
}

int
main(int argc, char **argv)
{
	facteur_i18n_init();
	early_lang(argc, argv);
	g_set_prgname("facteur");

	if (argc < 2) {
		const FacteurCommand *home = facteur_command_find("tui");
		if (home != NULL)
			return run_home(home, argc, argv);
		usage(stdout);
		return FACTEUR_EXIT_OK;
	}
	const char *name = argv[1];
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("facteur %s\n", FACTEUR_VERSION);
		return FACTEUR_EXIT_OK;
	}
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return FACTEUR_EXIT_OK;
	}
	if (strncmp(name, "--lang", 6) == 0 || strcmp(name, "--pcap") == 0) {
		/* Options of the home screen without a command name: hand them to the TUI. */
		const FacteurCommand *home = facteur_command_find("tui");
		if (home != NULL)
			return run_home(home, argc, argv);
	}
	const FacteurCommand *cmd = facteur_command_find(name);
	if (cmd == NULL) {
		if (name[0] == '-')
			fprintf(stderr, _("facteur: unknown option “%s”; see “facteur --help”.\n"),
			        name);
		else
			fprintf(stderr, _("facteur: unknown command “%s”; see “facteur --help”.\n"),
			        name);
		return FACTEUR_EXIT_USAGE;
	}
	g_autofree char *prgname = g_strdup_printf("facteur %s", cmd->name);
	g_set_prgname(prgname);
	return cmd->run(argc - 1, argv + 1);
}
