/* facteur tui: the classroom screen. With no argument the home screen (the
 * lessons and their scenarios), with SCENARIO that scenario, with --pcap a
 * capture file stepped one exchange at a time. `facteur` alone runs this. */
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "tui/tui-screens.h"

#include <stdio.h>

extern const FacteurCommand facteur_cmd_tui;

static int
run(int argc, char **argv)
{
	g_autofree char *pcap = NULL;
	const GOptionEntry entries[] = {
	    {"pcap", 0, 0, G_OPTION_ARG_FILENAME, &pcap,
	     N_("Step through a capture file (pcap or pcapng)"), N_("FILE")},
	    G_OPTION_ENTRY_NULL,
	};
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(_("[SCENARIO]"), &facteur_cmd_tui);
	g_option_context_add_main_entries(ctx, entries, "facteur");
	g_option_context_set_description(
	    ctx, _("SCENARIO is an id (05-pop3-dele-rset-quit) or a .scn file. Inside, ? lists "
	           "the keys.\n\nExit status: 0 success, 1 failure, 2 bad command line or bad "
	           "input file."));
	if (!facteur_cmd_parse(ctx, &argc, &argv))
		return FACTEUR_EXIT_USAGE;
	if (argc > 2)
		return facteur_cmd_usage_error("tui", _("unexpected argument “%s”."), argv[2]);
	if (argc == 2 && pcap != NULL)
		return facteur_cmd_usage_error("tui", _("give a scenario or --pcap, not both."));

	g_autoptr(GError) error = NULL;
	TuiScreen *screen;
	if (pcap != NULL)
		screen = tui_session_new_capture(pcap, &error);
	else if (argc == 2)
		screen = tui_session_new_scenario(argv[1], &error);
	else
		screen = tui_home_new();
	if (screen == NULL) {
		fprintf(stderr, "facteur tui: %s\n", error->message);
		return FACTEUR_EXIT_USAGE;
	}
	int status = tui_run(screen, &error);
	if (error != NULL) {
		fprintf(stderr, "facteur tui: %s\n", error->message);
		return FACTEUR_EXIT_FAILED;
	}
	return status;
}

const FacteurCommand facteur_cmd_tui = {
    .name = "tui",
    .summary = N_("The classroom screen: lessons, scenarios step by step, captures"),
    .run = run,
};
