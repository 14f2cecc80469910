/* Subcommands of facteur: one table row per command (tmux's cmd_entry), one
 * file per command (cmd-serve.c, cmd-decode.c, …). main.c only dispatches. */
#pragma once

#include <glib.h>

typedef struct {
	const char *name;    /* "serve" */
	const char *summary; /* one line, marked N_() and translated when shown */
	/* argv[0] is the command name. Returns the process exit status. */
	int (*run)(int argc, char **argv);
} FacteurCommand;

/* Exit statuses documented in every --help. */
enum {
	FACTEUR_EXIT_OK = 0,
	FACTEUR_EXIT_FAILED = 1, /* the work failed: an expectation, a server error */
	FACTEUR_EXIT_USAGE = 2,  /* bad command line or bad input file */
};

/* The table, NULL-terminated, defined in cmd.c. */
extern const FacteurCommand *const facteur_commands[];

const FacteurCommand *facteur_command_find(const char *name);

/* Parses a subcommand's options. On error prints one sentence on stderr and
 * returns FALSE (the caller exits FACTEUR_EXIT_USAGE). Adds --lang to every command. */
gboolean facteur_cmd_parse(GOptionContext *ctx, int *argc, char ***argv);

/* Builds the option context of a subcommand with its translated summary and
 * the exit statuses in the --help text. */
GOptionContext *facteur_cmd_context(const char *params, const FacteurCommand *cmd);

/* Prints "facteur CMD: message" on stderr (one sentence) and returns FACTEUR_EXIT_USAGE. */
int facteur_cmd_usage_error(const char *cmd, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
