/* One connection as the protocol decoders see it: two byte streams framed
 * into lines (or counted octets when a decoder asks), protocol recognition
 * by port or by the server's first line, TLS switch-over, and the emission
 * of events. Private to src/trace: the pcap path and the tap both feed it. */
#pragma once

#include "trace/trace-event.h"

typedef struct _Tracer Tracer;
typedef struct _TraceConn TraceConn;

/* A protocol decoder (trace-smtp.c, trace-pop3.c, trace-imap.c). */
typedef struct {
	TraceProto proto;
	gpointer (*new)(TraceConn *conn);
	void (*free)(gpointer self);
	/* A line without its terminator; eol is its length (2 CRLF, 1 LF), or
	 * 0 for an incomplete line: a piece of an over-long line whose rest
	 * follows, or the last octets of a connection without a line end. */
	void (*line)(gpointer self, TraceDir dir, const guint8 *line, gsize len, gsize eol);
	/* Octets asked for with trace_conn_expect_octets(); remaining is what
	 * is still expected after these (0: the count is complete). NULL for a
	 * decoder that never asks. */
	void (*octets)(gpointer self, TraceDir dir, const guint8 *data, gsize len,
	               guint64 remaining);
	/* Optional: whole lines at the start of data that the decoder takes at
	 * once (message content: SMTP DATA, POP3 RETR), so that a large message
	 * is not handed over line by line; returns how many octets it took (each
	 * line with its line end), 0 for none. Only lines line() would have
	 * handled the same way may be taken. */
	gsize (*bulk)(gpointer self, TraceDir dir, const guint8 *data, gsize len);
	/* After a gap: TRUE when data (the first octets after it) begins a line
	 * of this protocol, e.g. a known verb; decoding then resumes there. NULL
	 * or FALSE: it resumes after the next line end. */
	gboolean (*line_start)(gpointer self, TraceDir dir, const guint8 *data, gsize len);
	/* len octets were lost in this direction; the stream resumes at the next line. */
	void (*gap)(gpointer self, TraceDir dir, guint64 len);
	/* The connection is over: say what was left unfinished. */
	void (*close)(gpointer self);
} TraceDecoderClass;

extern const TraceDecoderClass trace_smtp_decoder;
extern const TraceDecoderClass trace_pop3_decoder;
extern const TraceDecoderClass trace_imap_decoder;

/* Limits of one connection (defaults in tracer.c). */
typedef struct {
	gsize max_line;    /* longest line kept whole; longer ones come in pieces */
	gsize max_message; /* octets of one message kept for the MIME decoder */
} TraceConnLimits;

/* proto NONE: recognised from the server's first line. implicit_tls: the
 * port speaks TLS from the first octet (465, 993, 995). */
TraceConn *trace_conn_new(Tracer *tracer, guint number, const char *client, const char *server,
                          TraceProto proto, gboolean implicit_tls, gint64 ts_us, const char *how);
void trace_conn_feed(TraceConn *conn, TraceDir dir, const guint8 *data, gsize len, gint64 ts_us);
void trace_conn_gap(TraceConn *conn, TraceDir dir, guint64 len, gint64 ts_us);
/* Ends the connection (why: "FIN", "RST", "idle", "end of capture") and frees it. */
void trace_conn_close(TraceConn *conn, gint64 ts_us, const char *why);

/* --- For the decoders --- */
/* Fills id, ts, conn, client, server and proto, sends ev to the sinks, returns its id. */
guint64 trace_conn_emit(TraceConn *conn, TraceEvent *ev);
/* A note (kind note) in direction dir with one explanation. */
void trace_conn_note(TraceConn *conn, TraceDir dir, const char *name, const char *explain,
                     const char *rfc);
gint64 trace_conn_now(const TraceConn *conn);
const TraceConnLimits *trace_conn_limits(const TraceConn *conn);
/* The next n octets of direction dir go to octets() instead of line(). */
void trace_conn_expect_octets(TraceConn *conn, TraceDir dir, guint64 n);
/* From now on both directions are TLS: octets counted, nothing decoded. */
void trace_conn_start_tls(TraceConn *conn);
/* Memory shared by the connections of one capture (IMAP's last UIDVALIDITY
 * per mailbox): string keys and values, owned by the tracer. */
GHashTable *trace_conn_memory(TraceConn *conn);
const char *trace_conn_server(const TraceConn *conn);
/* The longest start of data made of whole lines (each ending with LF) of
 * which none begins with a dot: message content that needs no unstuffing
 * and holds no end of data. */
gsize trace_conn_plain_lines(const guint8 *data, gsize len);
/* Appends to a message being collected, up to limits.max_message octets
 * (what is beyond is only counted in *wire_r, which counts every octet). */
void trace_conn_message_append(TraceConn *conn, GByteArray *msg, guint64 *wire_r,
                               const guint8 *data, gsize len);
/* Hands a collected message (or header block) to the MIME decoder, whose
 * events are emitted in direction dir. */
typedef enum {
	TRACE_MESSAGE_WHOLE,
	TRACE_MESSAGE_HEADERS, /* a header block alone */
	TRACE_MESSAGE_PARTIAL, /* the beginning of a message (POP3 TOP) */
} TraceMessageShape;
void trace_conn_message_decode(TraceConn *conn, TraceDir dir, GByteArray *msg, guint64 wire,
                               TraceMessageShape shape);
Tracer *trace_conn_tracer(TraceConn *conn);
