/* What `facteur serve` and the TUI's free session share: the options of the
 * servers, opening the store with its demo data, starting the servers, and
 * telling the user how to connect. */
#pragma once

#include "server/server.h"
#include "store/store.h"

#include <stdio.h>

typedef struct {
	char *listen;
	int ports[SERVER_N_PROTOCOLS];    /* -1: default */
	int timeouts[SERVER_N_PROTOCOLS]; /* seconds, -1: default */
	int max_connections;              /* -1: default */
	char *data_dir;                   /* NULL: $XDG_DATA_HOME/facteur */
	char *port_file;                  /* write the bound ports there */
	gboolean deterministic;
	gboolean trace; /* --trace: the live annotated trace of the servers' traffic */
	gboolean json;  /* --json: that trace as JSON Lines */
} ServeOptions;

typedef struct _ServeSetup ServeSetup;

void serve_options_init(ServeOptions *opts);
void serve_options_clear(ServeOptions *opts);
/* The GOptionEntry array for opts; valid as long as opts. */
const GOptionEntry *serve_option_entries(ServeOptions *opts);

ServeSetup *serve_setup_start(const ServeOptions *opts, GError **error);
void serve_setup_stop(ServeSetup *setup);
Store *serve_setup_store(ServeSetup *setup);
Servers *serve_setup_servers(ServeSetup *setup);
/* Where each server listens and how to try it with curl and telnet. */
void serve_setup_print_banner(ServeSetup *setup, FILE *out);
