/* Options and start-up of the servers, shared by `facteur serve` and the
 * TUI's free session. */
#include "cmd/serve-setup.h"

#include "core/facteur-clock.h"
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"

#include <errno.h>
#include <string.h>

struct _ServeSetup {
	Store *store;
	Servers *servers;
	char *data_dir;
	gboolean created;
};

static const char *const proto_names[SERVER_N_PROTOCOLS] = {"SMTP", "POP3", "IMAP"};

void
serve_options_init(ServeOptions *opts)
{
	memset(opts, 0, sizeof *opts);
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		opts->ports[p] = -1;
		opts->timeouts[p] = -1;
	}
	opts->max_connections = -1;
}

void
serve_options_clear(ServeOptions *opts)
{
	g_clear_pointer(&opts->listen, g_free);
	g_clear_pointer(&opts->data_dir, g_free);
	g_clear_pointer(&opts->port_file, g_free);
}

const GOptionEntry *
serve_option_entries(ServeOptions *o)
{
	/* One static table per process is enough: one ServeOptions is parsed. */
	static GOptionEntry entries[15];
	GOptionEntry e[] = {
	    {"listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
	     N_("Address to listen on (default 127.0.0.1)"), N_("ADDR")},
	    {"smtp-port", 0, 0, G_OPTION_ARG_INT, &o->ports[SERVER_SMTP],
	     N_("SMTP port (default 2525; 0 picks a free port)"), "N"},
	    {"pop3-port", 0, 0, G_OPTION_ARG_INT, &o->ports[SERVER_POP3],
	     N_("POP3 port (default 2110; 0 picks a free port)"), "N"},
	    {"imap-port", 0, 0, G_OPTION_ARG_INT, &o->ports[SERVER_IMAP],
	     N_("IMAP port (default 2143; 0 picks a free port)"), "N"},
	    {"data", 0, 0, G_OPTION_ARG_FILENAME, &o->data_dir,
	     N_("Mail store directory (default ~/.local/share/facteur; created with demo "
	        "mail)"),
	     N_("DIR")},
	    {"port-file", 0, 0, G_OPTION_ARG_FILENAME, &o->port_file,
	     N_("Write the ports in use to FILE (smtp=N, pop3=N, imap=N lines)"), N_("FILE")},
	    {"smtp-timeout", 0, 0, G_OPTION_ARG_INT, &o->timeouts[SERVER_SMTP],
	     N_("Seconds an idle SMTP client is kept (default 300)"), N_("S")},
	    {"pop3-timeout", 0, 0, G_OPTION_ARG_INT, &o->timeouts[SERVER_POP3],
	     N_("Seconds an idle POP3 client is kept (default 600)"), N_("S")},
	    {"imap-timeout", 0, 0, G_OPTION_ARG_INT, &o->timeouts[SERVER_IMAP],
	     N_("Seconds an idle IMAP client is kept (default 1800)"), N_("S")},
	    {"max-connections", 0, 0, G_OPTION_ARG_INT, &o->max_connections,
	     N_("Connections allowed per protocol (default 1000)"), "N"},
	    {"trace", 0, 0, G_OPTION_ARG_NONE, &o->trace,
	     N_("Print the live annotated trace of the servers' traffic (libpcap on lo when "
	        "permitted, else the in-process tap)"),
	     NULL},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &o->json,
	     N_("With --trace: write the trace as JSON Lines"), NULL},
	    {"deterministic", 0, 0, G_OPTION_ARG_NONE, &o->deterministic,
	     N_("Fixed clock and counters: the same dates and UIDVALIDITY values every run"), NULL},
	    G_OPTION_ENTRY_NULL,
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(e) <= G_N_ELEMENTS(entries));
	memcpy(entries, e, sizeof e);
	return entries;
}

static gboolean
check_options(const ServeOptions *opts, GError **error)
{
	static const char *const port_opts[] = {"--smtp-port", "--pop3-port", "--imap-port"};
	static const char *const timeout_opts[] = {"--smtp-timeout", "--pop3-timeout",
	                                           "--imap-timeout"};
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (opts->ports[p] < -1 || opts->ports[p] > 65535) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            _("%s must be a port between 0 and 65535."), port_opts[p]);
			return FALSE;
		}
		if (opts->timeouts[p] < -1 || opts->timeouts[p] == 0) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			            _("%s must be a number of seconds above 0."), timeout_opts[p]);
			return FALSE;
		}
	}
	if (opts->max_connections == 0 || opts->max_connections < -1) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
		            _("--max-connections must be at least 1."));
		return FALSE;
	}
	return TRUE;
}

static gboolean
write_port_file(ServeSetup *setup, const char *path, GError **error)
{
	static const char *const keys[] = {"smtp", "pop3", "imap"};
	GString *out = g_string_new(NULL);
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (server_protocols[p] != NULL)
			g_string_append_printf(out, "%s=%u\n", keys[p],
			                       servers_get_port(setup->servers, p));
	}
	gboolean ok = g_file_set_contents(path, out->str, (gssize)out->len, error);
	g_string_free(out, TRUE);
	return ok;
}

ServeSetup *
serve_setup_start(const ServeOptions *opts, GError **error)
{
	if (!check_options(opts, error))
		return NULL;
	if (opts->deterministic)
		facteur_clock_set_deterministic(FACTEUR_CLOCK_DETERMINISTIC_START);
	ServeSetup *setup = g_new0(ServeSetup, 1);
	setup->data_dir = g_strdup(opts->data_dir ? opts->data_dir : facteur_paths_default_store());
	g_autofree char *users = g_build_filename(setup->data_dir, "users.conf", NULL);
	setup->created = !g_file_test(users, G_FILE_TEST_EXISTS);
	g_autofree char *demo_conf = g_build_filename(facteur_paths_mail(), "demo.conf", NULL);
	StoreOptions sopts = {
	    .demo_dir = g_file_test(demo_conf, G_FILE_TEST_EXISTS) ? facteur_paths_mail() : NULL,
	};
	setup->store = store_open(setup->data_dir, &sopts, error);
	if (setup->store == NULL) {
		serve_setup_stop(setup);
		return NULL;
	}
	ServerConfig config = {
	    .listen_addr = opts->listen,
	    .max_connections = opts->max_connections > 0 ? (guint)opts->max_connections : 0,
	    .auth_failure_delay_ms = 1000,
	};
	gboolean any = FALSE;
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		config.protocols[p] = server_protocols[p];
		any = any || server_protocols[p] != NULL;
		if (opts->ports[p] >= 0) {
			config.ports[p] = (guint16)opts->ports[p];
			config.port_set[p] = TRUE;
		}
		if (opts->timeouts[p] > 0)
			config.idle_timeout[p] = (guint)opts->timeouts[p];
	}
	if (!any) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
		            _("this build of facteur has no server protocol."));
		serve_setup_stop(setup);
		return NULL;
	}
	setup->servers = servers_new(setup->store, &config, error);
	if (setup->servers == NULL ||
	    (opts->port_file != NULL && !write_port_file(setup, opts->port_file, error))) {
		serve_setup_stop(setup);
		return NULL;
	}
	return setup;
}

void
serve_setup_stop(ServeSetup *setup)
{
	if (setup == NULL)
		return;
	servers_free(setup->servers);
	store_free(setup->store);
	g_free(setup->data_dir);
	g_free(setup);
}

Store *
serve_setup_store(ServeSetup *setup)
{
	return setup->store;
}

Servers *
serve_setup_servers(ServeSetup *setup)
{
	return setup->servers;
}

void
serve_setup_print_banner(ServeSetup *setup, FILE *out)
{
	const char *addr = servers_get_listen_addr(setup->servers);
	gboolean v6 = strchr(addr, ':') != NULL;
	g_autofree char *host = v6 ? g_strdup_printf("[%s]", addr) : g_strdup(addr);
	fprintf(out, _("Mail store: %s%s\n"), setup->data_dir,
	        setup->created ? _(" (just created, with the demo mail)") : "");
	fprintf(out, "%s\n",
	        _("Demo accounts: alice / alicepass and bob / bobpass (domain example.org)."));
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (server_protocols[p] == NULL)
			continue;
		guint port = servers_get_port(setup->servers, p);
		fprintf(out, "  %-5s %s:%u\n", proto_names[p], host, port);
	}
	fprintf(out, "%s\n", _("Try, from another terminal:"));
	if (server_protocols[SERVER_SMTP] != NULL)
		fprintf(out,
		        "  curl smtp://%s:%u --mail-from bob@example.org --mail-rcpt "
		        "alice@example.org --upload-file message.eml\n",
		        host, servers_get_port(setup->servers, SERVER_SMTP));
	if (server_protocols[SERVER_POP3] != NULL)
		fprintf(out, "  curl pop3://alice:alicepass@%s:%u/1\n", host,
		        servers_get_port(setup->servers, SERVER_POP3));
	if (server_protocols[SERVER_IMAP] != NULL)
		fprintf(out, "  curl 'imap://alice:alicepass@%s:%u/INBOX;UID=1'\n", host,
		        servers_get_port(setup->servers, SERVER_IMAP));
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (server_protocols[p] != NULL) {
			fprintf(out, _("  or type the commands yourself: telnet %s %u\n"), addr,
			        servers_get_port(setup->servers, p));
			break;
		}
	}
	fprintf(out, "%s\n", _("Ctrl-C stops the servers."));
}
