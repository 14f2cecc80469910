/* The tracer: frames in (from a pcap file, a live capture or the in-process
 * tap), TraceEvents out to its sinks. It holds the table of connections,
 * reassembles TCP, recognises the protocols and bounds its memory. */
#pragma once

#include "trace/trace-event.h"
#include "trace/trace-conn.h"

#include <gio/gio.h>

/* The mail ports recognised without asking (DESIGN.md): standard, TLS and facteur's. */
typedef struct {
	guint16 port;
	TraceProto proto;
	gboolean implicit_tls;
} TracePort;

typedef struct {
	guint idle_timeout_s;   /* capture time without a packet before a connection is closed */
	guint max_connections;  /* open at once; the oldest idle one goes beyond */
	gsize max_out_of_order; /* octets waiting per direction before a hole is a gap */
	TraceConnLimits conn;
} TracerLimits;

Tracer *tracer_new(void);
/* Ends every open connection (their last events reach the sinks) and frees. */
void tracer_free(Tracer *tracer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Tracer, tracer_free)

/* Takes ownership of the sink. Events go to every sink in order. */
void tracer_add_sink(Tracer *tracer, TraceSink *sink);
void tracer_flush(Tracer *tracer);
/* Adds (or overrides) a port. */
void tracer_set_port(Tracer *tracer, guint16 port, TraceProto proto);
/* "--port PROTO=N": smtp, pop3 or imap and a port number. */
gboolean tracer_parse_port(Tracer *tracer, const char *spec, GError **error);
/* The ports known now (built-in, then added), for a BPF filter. Caller frees. */
GArray *tracer_ports(const Tracer *tracer);
/* Also emit one TRACE_KIND_PACKET event per TCP segment (the TUI's packets pane). */
void tracer_set_packet_events(Tracer *tracer, gboolean on);
TracerLimits *tracer_limits(Tracer *tracer);

/* One captured frame of link type linktype (a DLT_ value). wire_len is the
 * frame's length on the wire (larger than caplen when the snap length cut it). */
void tracer_feed_frame(Tracer *tracer, int linktype, gint64 ts_us, const guint8 *frame,
                       gsize caplen, gsize wire_len);
/* End of input: every connection still open is ended ("end of capture"). */
void tracer_finish(Tracer *tracer, gint64 ts_us);
/* A note about the input itself (a corrupt file), not tied to a connection. */
void tracer_note(Tracer *tracer, gint64 ts_us, const char *name, const char *explain);

/* Counters, for the end of a decode and for tests. */
guint64 tracer_count_events(const Tracer *tracer);
guint tracer_count_connections(const Tracer *tracer); /* seen since the start */
guint tracer_open_connections(const Tracer *tracer);

/* The in-process tap (trace-tap.c uses these; glue calls trace_tap_*). */
void tracer_set_tap_ignored(Tracer *tracer, gboolean ignored);
gboolean tracer_tap_ignored(const Tracer *tracer);

/* --- For src/trace only --- */
guint64 tracer_emit(Tracer *tracer, TraceEvent *ev);
const TraceConnLimits *tracer_conn_limits(Tracer *tracer);
GHashTable *tracer_memory(Tracer *tracer);
/* Looks up a port: the protocol, or NONE. */
TraceProto tracer_port_proto(const Tracer *tracer, guint16 port, gboolean *implicit_tls_r);
/* The same text at the same address for as long as the tracer lives (the
 * sinks keep what they render per address): for explanations composed per
 * event ("\\Seen: The message has been read."). Takes s and returns the
 * string to use; NULL when the table is full (4096 strings): s is then the
 * caller's again. */
const char *tracer_intern(Tracer *tracer, char *s);
/* Numbers a new connection. */
guint tracer_next_conn_number(Tracer *tracer);
/* The tap's connections: owned guint64 id -> TraceConn* (ended by tracer_finish()). */
GHashTable *tracer_tap_conns(Tracer *tracer);
