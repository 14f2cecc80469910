/* facteur decode FILE: a capture (pcap or pcapng) decoded offline into the
 * annotated conversation, or into JSON Lines with --json. */
#include "cmd/cmd-trace.h"
#include "cmd/cmd.h"
#include "core/facteur-i18n.h"
#include "trace/trace-pcap.h"

#include <stdio.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

extern const FacteurCommand facteur_cmd_decode;

static int
run(int argc, char **argv)
{
	CmdTraceOptions o = {0};
	g_autoptr(GOptionContext) ctx = facteur_cmd_context(_("FILE"), &facteur_cmd_decode);
	cmd_trace_add_options(ctx, &o,
	                      N_("Also decode port N as PROTO (smtp, pop3 or imap); repeatable"));
	if (!facteur_cmd_parse(ctx, &argc, &argv)) {
		cmd_trace_options_clear(&o);
		return FACTEUR_EXIT_USAGE;
	}
	if (argc != 2) {
		cmd_trace_options_clear(&o);
		return facteur_cmd_usage_error(
		    "decode", argc < 2 ? _("which capture file? (facteur decode FILE)")
		                       : _("only one capture file at a time."));
	}

#ifdef __GLIBC__
	/* A capture brings messages of hundreds of kilobytes one after the other:
	 * with glibc's defaults their buffers were mapped and unmapped, or the
	 * heap grown and trimmed, each time, and every page faulted in again.
	 * Freed memory is kept for the next message instead (memory stays bounded
	 * by the tracer's own limits). */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 64 * 1024 * 1024);
#endif
	/* Output to a file or a pipe in large writes (stdio's default block is a
	 * page: one system call per 4 KB of trace). */
	static char out_buffer[1 << 20];
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
	g_autoptr(Tracer) tracer = cmd_trace_new("decode", &o);
	cmd_trace_options_clear(&o);
	if (tracer == NULL)
		return FACTEUR_EXIT_USAGE;

	g_autoptr(GError) error = NULL;
	gboolean ok = trace_pcap_read_file(tracer, argv[1], &error);
	tracer_flush(tracer);
	if (!ok) {
		fprintf(stderr, "facteur decode: %s\n", error->message);
		return FACTEUR_EXIT_USAGE;
	}
	return FACTEUR_EXIT_OK;
}

const FacteurCommand facteur_cmd_decode = {
    .name = "decode",
    .summary = N_("Decode a capture file (pcap or pcapng) and explain every line"),
    .run = run,
};
