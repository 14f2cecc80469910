/* TraceEvent, the one currency of the tracer: every command, reply, header,
 * MIME boundary, inferred state or packet becomes one event, and every view
 * (text, JSON Lines, TUI panes) is a TraceSink that receives them in order. */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef enum {
	TRACE_PROTO_NONE, /* not (yet) recognised: JSON "tcp" */
	TRACE_PROTO_SMTP,
	TRACE_PROTO_POP3,
	TRACE_PROTO_IMAP,
} TraceProto;

typedef enum {
	TRACE_DIR_C2S, /* client to server */
	TRACE_DIR_S2C, /* server to client */
} TraceDir;

typedef enum {
	TRACE_KIND_COMMAND,      /* a client command: verb, args (IMAP: tag) */
	TRACE_KIND_REPLY,        /* a server reply line: status (SMTP code, +OK, OK/NO/BAD…) */
	TRACE_KIND_UNTAGGED,     /* IMAP "* …" data */
	TRACE_KIND_CONTINUATION, /* "+ …" (IMAP, POP3 SASL) or SMTP 334 challenges' answers */
	TRACE_KIND_DATA,   /* content lines or their summary (DATA, RETR, literals, LIST lines) */
	TRACE_KIND_HEADER, /* an RFC 5322 / MIME header, or a MIME parameter (param_of set) */
	TRACE_KIND_MIME,   /* a MIME part, boundary line, preamble or epilogue */
	TRACE_KIND_STATE,  /* something inferred: POP3 state, deletions, UIDVALIDITY, UIDNEXT */
	TRACE_KIND_TLS,    /* STARTTLS took effect; later: bytes counted, not decoded */
	TRACE_KIND_NOTE, /* what the tracer must say: a gap, a truncated packet, a line too long */
	TRACE_KIND_CONNECTION, /* a connection opened (name "open") or closed ("close") */
	TRACE_KIND_PACKET,     /* one TCP segment, for a packets pane; only when asked for */
} TraceKind;

typedef enum {
	TRACE_MIME_NONE,
	TRACE_MIME_PART,           /* a part begins: value = its Content-Type */
	TRACE_MIME_BOUNDARY_OPEN,  /* "--boundary": the next part begins */
	TRACE_MIME_BOUNDARY_CLOSE, /* "--boundary--": the multipart ends */
	TRACE_MIME_PREAMBLE,       /* text before the first boundary */
	TRACE_MIME_EPILOGUE,       /* text after the closing boundary */
} TraceMimeRole;

/* TCP flags as on the wire (RFC 9293 §3.1). */
enum {
	TRACE_TCP_FIN = 0x01,
	TRACE_TCP_SYN = 0x02,
	TRACE_TCP_RST = 0x04,
	TRACE_TCP_PSH = 0x08,
	TRACE_TCP_ACK = 0x10,
};

/* One explanation: translated text (already in the chosen language) and its
 * RFC reference ("RFC 1939 §6"), either may be NULL. */
typedef struct {
	const char *text;
	const char *rfc;
} TraceExplain;

#define TRACE_EVENT_MAX_EXPLAIN 32

/* Strings and raw bytes are borrowed: valid only during TraceSink.emit.
 * A sink that keeps an event copies it with trace_event_copy(). NULL or 0
 * means "absent" and is left out of the JSON. */
typedef struct {
	guint64 id;         /* number of this event in the trace, from 1 */
	gint64 ts_us;       /* capture time, microseconds since the epoch */
	guint conn;         /* connection number from 1 in order of appearance; 0: none */
	const char *client; /* "127.0.0.1:40346", "[::1]:25" */
	const char *server;
	TraceProto proto;
	TraceDir dir;
	TraceKind kind;

	/* Commands and replies. */
	const char *verb;     /* "DELE", upper-cased as the table names it */
	const char *args;     /* "1" */
	const char *tag;      /* IMAP tag, on the command and on its tagged reply */
	const char *status;   /* "250", "+OK", "-ERR", "OK", "NO", "BAD", "BYE", "PREAUTH" */
	const char *enhanced; /* "2.1.0" (RFC 3463) */
	const char *code;     /* IMAP/POP3 response code: "UIDVALIDITY 1700000001", "IN-USE" */
	const char *text;     /* the human text of a reply after status, codes */
	gboolean more;        /* a reply line that is not the last of its reply ("250-…") */
	guint64 pair;         /* on a reply: id of the command event it answers; 0: none */
	gint64 elapsed_us;    /* on the last line of a reply: time since its command; -1: none */

	/* Headers and MIME. */
	const char *name;     /* header name, MIME parameter, state or note name */
	const char *value;    /* raw value (unfolded), or a state's value */
	const char *decoded;  /* RFC 2047 / RFC 2231 decoded value, base64 SASL decoded */
	const char *param_of; /* for a MIME parameter: the header it belongs to */
	TraceMimeRole mime;
	const char *part;    /* MIME part number as IMAP counts them: "1.2"; "" the message */
	guint depth;         /* nesting level, 0 = the message */
	gint64 size;         /* octets as transferred (part, data, literal, TLS); -1: absent */
	gint64 decoded_size; /* octets after content-transfer-decoding; -1: absent */

	TraceExplain explain[TRACE_EVENT_MAX_EXPLAIN];
	guint n_explain;

	/* The line as it crossed the wire, without its CRLF (NULL for summaries). */
	const guint8 *raw;
	gsize raw_len;

	/* Packet events only. */
	guint8 tcp_flags;
	guint32 tcp_seq;
	guint32 tcp_ack;
	guint16 src_port;
	guint16 dst_port;
	const char *summary; /* "SYN", "ACK len 120", "FIN ACK" */
} TraceEvent;

/* Clears ev to an empty event (size fields -1, elapsed_us -1). */
void trace_event_init(TraceEvent *ev);
/* Appends an explanation (ignored beyond TRACE_EVENT_MAX_EXPLAIN or when text is NULL). */
void trace_event_explain(TraceEvent *ev, const char *text, const char *rfc);
/* A deep copy that owns its strings and raw bytes; free with trace_event_free(). */
TraceEvent *trace_event_copy(const TraceEvent *ev);
void trace_event_free(TraceEvent *ev);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceEvent, trace_event_free)

/* Names used in JSON and by the views: "smtp", "c2s", "command", "open"… */
const char *trace_proto_name(TraceProto proto);
const char *trace_dir_name(TraceDir dir);
const char *trace_kind_name(TraceKind kind);
const char *trace_mime_role_name(TraceMimeRole role); /* NULL for TRACE_MIME_NONE */
/* The name of a kind, MIME role or state/note/TLS/data event as a reader sees
 * it (text transcript, TUI), in the current language; the identifier itself
 * when it has no label. JSON keeps the identifiers. */
const char *trace_event_label(const char *name);

/* A view of the events. A sink embeds TraceSink as its first member and
 * points at its class; emit receives borrowed events in trace order. */
typedef struct _TraceSink TraceSink;
typedef struct {
	void (*emit)(TraceSink *sink, const TraceEvent *ev);
	void (*flush)(TraceSink *sink); /* optional: output buffered events now */
	void (*free)(TraceSink *sink);
} TraceSinkClass;
struct _TraceSink {
	const TraceSinkClass *klass;
};

void trace_sink_emit(TraceSink *sink, const TraceEvent *ev);
void trace_sink_flush(TraceSink *sink);
void trace_sink_free(TraceSink *sink);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceSink, trace_sink_free)
