/* A connection's two byte streams, framed for its protocol decoder; see
 * trace-conn.h. Lines are handed on straight from the caller's buffer when
 * they are whole in it; only a line split across segments is copied. */
#include "trace/trace-conn.h"
#include "trace/tracer.h"
#include "trace/trace-mime.h"
#include "trace/trace-i18n.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef enum {
	MODE_LINES,
	MODE_OCTETS,
	MODE_RESYNC, /* after a gap: drop up to the next line end */
	MODE_OPAQUE, /* TLS, or a protocol not recognised: count only */
	MODE_SNIFF,  /* protocol still unknown: keep the first octets */
} SideMode;

typedef struct {
	SideMode mode;
	GByteArray *partial;   /* the start of a line split across segments */
	gboolean long_line;    /* pieces of an over-long line are being handed on */
	gboolean resync_fresh; /* MODE_RESYNC: nothing seen since the gap */
	guint64 expect;        /* MODE_OCTETS: octets still expected */
	guint64 bytes;         /* octets seen in this direction */
	guint64 opaque;        /* octets counted without decoding (TLS) */
} Side;

struct _TraceConn {
	Tracer *tracer;
	guint number;
	char *client;
	char *server;
	TraceProto proto;
	const TraceDecoderClass *decoder;
	gpointer state;
	gint64 now;
	gboolean tls;
	gboolean unknown; /* recognition failed */
	Side side[2];
};

#define SNIFF_MAX 512

static const TraceDecoderClass *
decoder_for(TraceProto proto)
{
	switch (proto) {
	case TRACE_PROTO_SMTP:
		return &trace_smtp_decoder;
	case TRACE_PROTO_POP3:
		return &trace_pop3_decoder;
	case TRACE_PROTO_IMAP:
		return &trace_imap_decoder;
	default:
		return NULL;
	}
}

guint64
trace_conn_emit(TraceConn *conn, TraceEvent *ev)
{
	ev->ts_us = conn->now;
	ev->conn = conn->number;
	ev->client = conn->client;
	ev->server = conn->server;
	ev->proto = conn->proto;
	return tracer_emit(conn->tracer, ev);
}

void
trace_conn_note(TraceConn *conn, TraceDir dir, const char *name, const char *explain,
                const char *rfc)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_NOTE;
	ev.dir = dir;
	ev.name = name;
	trace_event_explain(&ev, explain, rfc);
	trace_conn_emit(conn, &ev);
}

gint64
trace_conn_now(const TraceConn *conn)
{
	return conn->now;
}

const TraceConnLimits *
trace_conn_limits(const TraceConn *conn)
{
	return tracer_conn_limits(conn->tracer);
}

GHashTable *
trace_conn_memory(TraceConn *conn)
{
	return tracer_memory(conn->tracer);
}

const char *
trace_conn_server(const TraceConn *conn)
{
	return conn->server;
}

Tracer *
trace_conn_tracer(TraceConn *conn)
{
	return conn->tracer;
}

void
trace_conn_message_append(TraceConn *conn, GByteArray *msg, guint64 *wire_r, const guint8 *data,
                          gsize len)
{
	gsize max = trace_conn_limits(conn)->max_message;
	*wire_r += len;
	if (msg->len < max)
		g_byte_array_append(msg, data, (guint)MIN(len, max - msg->len));
}

gsize
trace_conn_plain_lines(const guint8 *data, gsize len)
{
	if (len == 0 || data[0] == '.')
		return 0;
	/* The first "\n." (a line that begins with a dot follows), else the last
	 * line end; glibc's memmem goes octet by octet for such a needle. */
	gsize i = 0;
#ifdef __SSE2__
	const __m128i lf = _mm_set1_epi8('\n'), dot = _mm_set1_epi8('.');
	for (; i + 17 <= len; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(data + i + 1));
		int m =
		    _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, lf), _mm_cmpeq_epi8(b, dot)));
		if (m != 0)
			return i + (gsize)__builtin_ctz((unsigned)m) + 1;
	}
#endif
	for (; i + 1 < len; i++)
		if (data[i] == '\n' && data[i + 1] == '.')
			return i + 1;
	const guint8 *end = memrchr(data, '\n', len);
	return end != NULL ? (gsize)(end - data) + 1 : 0;
}

static void
mime_emit(gpointer user_data, TraceEvent *ev)
{
	trace_conn_emit(user_data, ev);
}

void
trace_conn_message_decode(TraceConn *conn, TraceDir dir, GByteArray *msg, guint64 wire,
                          TraceMessageShape shape)
{
	TraceMimeOptions opt = {
	    .dir = dir,
	    .headers_only = shape == TRACE_MESSAGE_HEADERS,
	    .partial = shape == TRACE_MESSAGE_PARTIAL,
	    .wire_size = wire,
	    .max_depth = 16,
	};
	trace_mime_decode(msg, &opt, mime_emit, conn);
}

void
trace_conn_expect_octets(TraceConn *conn, TraceDir dir, guint64 n)
{
	Side *s = &conn->side[dir];
	if (s->mode == MODE_OPAQUE)
		return;
	s->mode = n > 0 ? MODE_OCTETS : MODE_LINES;
	s->expect = n;
}

static void
emit_tls(TraceConn *conn, TraceDir dir, const char *name, const char *explain, const char *rfc,
         gint64 size)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_TLS;
	ev.dir = dir;
	ev.name = name;
	ev.size = size;
	trace_event_explain(&ev, explain, rfc);
	trace_conn_emit(conn, &ev);
}

void
trace_conn_start_tls(TraceConn *conn)
{
	if (conn->tls)
		return;
	conn->tls = TRUE;
	for (int d = 0; d < 2; d++) {
		conn->side[d].mode = MODE_OPAQUE;
		g_byte_array_set_size(conn->side[d].partial, 0);
	}
}

TraceConn *
trace_conn_new(Tracer *tracer, guint number, const char *client, const char *server,
               TraceProto proto, gboolean implicit_tls, gint64 ts_us, const char *how)
{
	TraceConn *conn = g_new0(TraceConn, 1);
	conn->tracer = tracer;
	conn->number = number;
	conn->client = g_strdup(client);
	conn->server = g_strdup(server);
	conn->proto = proto;
	conn->now = ts_us;
	for (int d = 0; d < 2; d++) {
		conn->side[d].partial = g_byte_array_new();
		conn->side[d].mode = proto == TRACE_PROTO_NONE ? MODE_SNIFF : MODE_LINES;
	}

	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_CONNECTION;
	ev.dir = TRACE_DIR_C2S;
	ev.name = "open";
	ev.value = how;
	trace_event_explain(&ev,
	                    _("A TCP connection opens: the client's port is chosen by its system, "
	                      "the server's port says which service is asked for."),
	                    "RFC 9293 §3.5");
	trace_conn_emit(conn, &ev);

	if (implicit_tls) {
		trace_conn_start_tls(conn);
		emit_tls(conn, TRACE_DIR_C2S, "implicit",
		         _("This port speaks TLS from the first octet (implicit TLS): the "
		           "conversation is encrypted, so only its size can be shown."),
		         "RFC 8314 §3", -1);
	} else if (proto != TRACE_PROTO_NONE) {
		conn->decoder = decoder_for(proto);
		conn->state = conn->decoder->new (conn);
		if (g_strcmp0(how, "mid-stream") == 0) {
			/* The capture starts anywhere in a line: as after a gap. */
			for (int d = 0; d < 2; d++) {
				Side *s = &conn->side[d];
				if (s->mode == MODE_LINES) {
					s->mode = MODE_RESYNC;
					s->resync_fresh = TRUE;
				}
				conn->decoder->gap(conn->state, (TraceDir)d, 0);
			}
		}
	}
	return conn;
}

/* Hands on the lines (or octets) of data, straight from the caller's buffer. */
static void
frame(TraceConn *conn, TraceDir dir, const guint8 *data, gsize len)
{
	Side *s = &conn->side[dir];
	const TraceConnLimits *lim = trace_conn_limits(conn);
	while (len > 0) {
		switch (s->mode) {
		case MODE_OPAQUE:
			s->opaque += len;
			return;
		case MODE_SNIFF:
			/* Handled by the caller. */
			return;
		case MODE_OCTETS: {
			gsize n = (gsize)MIN((guint64)len, s->expect);
			s->expect -= n;
			if (s->expect == 0)
				s->mode = MODE_LINES;
			if (conn->decoder->octets != NULL)
				conn->decoder->octets(conn->state, dir, data, n, s->expect);
			data += n;
			len -= n;
			break;
		}
		case MODE_RESYNC: {
			/* Applications write whole lines, so a segment after a gap
			 * often starts a line: trust it when the decoder recognises one. */
			if (s->resync_fresh && conn->decoder->line_start != NULL &&
			    conn->decoder->line_start(conn->state, dir, data, len)) {
				s->resync_fresh = FALSE;
				s->mode = MODE_LINES;
				break;
			}
			s->resync_fresh = FALSE;
			const guint8 *lf = memchr(data, '\n', len);
			if (lf == NULL)
				return;
			gsize n = (gsize)(lf - data) + 1;
			data += n;
			len -= n;
			s->mode = MODE_LINES;
			break;
		}
		case MODE_LINES: {
			if (s->partial->len == 0 && !s->long_line && conn->decoder->bulk != NULL) {
				gsize n = conn->decoder->bulk(conn->state, dir, data, len);
				if (n > 0) {
					data += n;
					len -= n;
					break;
				}
			}
			const guint8 *lf = memchr(data, '\n', len);
			if (lf == NULL) {
				if (s->partial->len + len > lim->max_line) {
					/* Over-long: hand on what we have as a piece. */
					g_byte_array_append(s->partial, data, (guint)len);
					gsize keep = s->partial->data[s->partial->len - 1] == '\r';
					conn->decoder->line(conn->state, dir, s->partial->data,
					                    s->partial->len - keep, 0);
					s->long_line = TRUE;
					g_byte_array_remove_range(s->partial, 0,
					                          s->partial->len - (guint)keep);
				} else {
					g_byte_array_append(s->partial, data, (guint)len);
				}
				return;
			}
			gsize n = (gsize)(lf - data) + 1;
			const guint8 *line = data;
			gsize line_len = n;
			if (s->partial->len > 0) {
				g_byte_array_append(s->partial, data, (guint)n);
				line = s->partial->data;
				line_len = s->partial->len;
			}
			gsize eol = line_len >= 2 && line[line_len - 2] == '\r' ? 2 : 1;
			data += n;
			len -= n;
			s->long_line = FALSE;
			conn->decoder->line(conn->state, dir, line, line_len - eol, eol);
			g_byte_array_set_size(s->partial, 0);
			break;
		}
		}
	}
}

static TraceProto
sniff_line(const guint8 *p, gsize len)
{
	static const struct {
		const char *prefix;
		TraceProto proto;
	} banners[] = {
	    {"220 ", TRACE_PROTO_SMTP},      {"220-", TRACE_PROTO_SMTP},
	    {"+OK", TRACE_PROTO_POP3},       {"* OK", TRACE_PROTO_IMAP},
	    {"* PREAUTH", TRACE_PROTO_IMAP}, {"* BYE", TRACE_PROTO_IMAP},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(banners); i++) {
		gsize n = strlen(banners[i].prefix);
		if (len >= n && memcmp(p, banners[i].prefix, n) == 0)
			return banners[i].proto;
	}
	return TRACE_PROTO_NONE;
}

/* The protocol is still unknown: keep octets until the server's first line decides. */
static void
sniff(TraceConn *conn, TraceDir dir, const guint8 *data, gsize len)
{
	Side *s = &conn->side[dir];
	gsize room = SNIFF_MAX > s->partial->len ? SNIFF_MAX - s->partial->len : 0;
	g_byte_array_append(s->partial, data, (guint)MIN(room, len));
	if (len > room)
		s->opaque += len - room;
	Side *srv = &conn->side[TRACE_DIR_S2C];
	const guint8 *lf =
	    srv->partial->len > 0 ? memchr(srv->partial->data, '\n', srv->partial->len) : NULL;
	if (lf == NULL && srv->partial->len < SNIFF_MAX &&
	    conn->side[TRACE_DIR_C2S].partial->len < SNIFF_MAX)
		return;
	TraceProto proto = sniff_line(srv->partial->data, srv->partial->len);
	g_autoptr(GByteArray) held_c2s = conn->side[TRACE_DIR_C2S].partial;
	g_autoptr(GByteArray) held_s2c = conn->side[TRACE_DIR_S2C].partial;
	GByteArray *held[2] = {[TRACE_DIR_C2S] = held_c2s, [TRACE_DIR_S2C] = held_s2c};
	conn->side[0].partial = g_byte_array_new();
	conn->side[1].partial = g_byte_array_new();
	if (proto == TRACE_PROTO_NONE) {
		conn->unknown = TRUE;
		for (int d = 0; d < 2; d++) {
			conn->side[d].mode = MODE_OPAQUE;
			conn->side[d].opaque += held[d]->len;
		}
		trace_conn_note(conn, TRACE_DIR_S2C, "unrecognised",
		                _("Neither the port nor the server's first line is one of SMTP, "
		                  "POP3 or IMAP: this connection is only counted."),
		                NULL);
		return;
	}
	conn->proto = proto;
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_STATE;
	ev.dir = TRACE_DIR_S2C;
	ev.name = "recognised";
	ev.value = trace_proto_name(proto);
	trace_event_explain(&ev,
	                    _("The port is not a mail port facteur knows, but the server's first "
	                      "line is a greeting of this protocol."),
	                    NULL);
	trace_conn_emit(conn, &ev);
	conn->decoder = decoder_for(proto);
	conn->state = conn->decoder->new (conn);
	/* The server speaks first in all three protocols. */
	conn->side[0].mode = conn->side[1].mode = MODE_LINES;
	frame(conn, TRACE_DIR_S2C, held[TRACE_DIR_S2C]->data, held[TRACE_DIR_S2C]->len);
	frame(conn, TRACE_DIR_C2S, held[TRACE_DIR_C2S]->data, held[TRACE_DIR_C2S]->len);
}

void
trace_conn_feed(TraceConn *conn, TraceDir dir, const guint8 *data, gsize len, gint64 ts_us)
{
	conn->now = ts_us;
	conn->side[dir].bytes += len;
	if (conn->side[dir].mode == MODE_SNIFF)
		sniff(conn, dir, data, len);
	else
		frame(conn, dir, data, len);
}

void
trace_conn_gap(TraceConn *conn, TraceDir dir, guint64 len, gint64 ts_us)
{
	conn->now = ts_us;
	Side *s = &conn->side[dir];
	if (s->mode == MODE_OPAQUE) {
		s->opaque += len;
		return;
	}
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_NOTE;
	ev.dir = dir;
	ev.name = "gap";
	ev.size = (gint64)len;
	trace_event_explain(&ev,
	                    _("Octets missing from the capture (a lost packet): decoding resumes "
	                      "at the next line."),
	                    NULL);
	trace_conn_emit(conn, &ev);
	if (s->mode == MODE_SNIFF)
		return;
	if (s->mode == MODE_OCTETS && s->expect > len) {
		/* Inside counted octets the count tells where the next line starts. */
		s->expect -= len;
	} else {
		s->mode = MODE_RESYNC;
		s->resync_fresh = TRUE;
		s->expect = 0;
	}
	g_byte_array_set_size(s->partial, 0);
	if (conn->decoder != NULL)
		conn->decoder->gap(conn->state, dir, len);
}

void
trace_conn_close(TraceConn *conn, gint64 ts_us, const char *why)
{
	conn->now = ts_us;
	for (int d = 0; d < 2; d++) {
		Side *s = &conn->side[d];
		if (s->mode == MODE_SNIFF && s->partial->len > 0) {
			/* Too short to be recognised: still say what it was. */
			s->opaque += s->partial->len;
		} else if (s->mode == MODE_LINES && s->partial->len > 0 && conn->decoder != NULL) {
			/* A last line without its line end. */
			conn->decoder->line(conn->state, (TraceDir)d, s->partial->data,
			                    s->partial->len, 0);
		}
		g_byte_array_set_size(s->partial, 0);
	}
	if (conn->decoder != NULL)
		conn->decoder->close(conn->state);
	if (conn->tls)
		for (int d = 0; d < 2; d++)
			emit_tls(conn, (TraceDir)d, "encrypted",
			         d == TRACE_DIR_C2S
			             ? _("Encrypted octets sent by the client after the TLS "
			                 "switch: their content cannot be read on the wire.")
			             : _("Encrypted octets sent by the server after the TLS "
			                 "switch: their content cannot be read on the wire."),
			         "RFC 8446 §5", (gint64)conn->side[d].opaque);

	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_CONNECTION;
	ev.dir = TRACE_DIR_C2S;
	ev.name = "close";
	ev.value = why;
	ev.size = (gint64)(conn->side[0].bytes + conn->side[1].bytes);
	trace_conn_emit(conn, &ev);

	if (conn->decoder != NULL)
		conn->decoder->free(conn->state);
	for (int d = 0; d < 2; d++)
		g_byte_array_unref(conn->side[d].partial);
	g_free(conn->client);
	g_free(conn->server);
	g_free(conn);
}
