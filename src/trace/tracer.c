/* The tracer's packet path: frames to TCP segments, segments to connections
 * (a hash table keyed by both endpoints, kept in least-recently-used order
 * so that idle ones are found at the head), reassembly, and the sinks. */
#include "trace/tracer.h"
#include "trace/trace-packet.h"
#include "trace/trace-reasm.h"
#include "trace/trace-i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	guint8 family;
	guint8 addr[2][16];
	guint16 port[2];
} FlowKey;

typedef struct _Flow Flow;

typedef struct {
	Flow *flow;
	TraceDir dir;
} FlowSide;

struct _Flow {
	FlowKey key; /* endpoints in a canonical order: the smaller first */
	Tracer *tracer;
	TraceConn *conn;
	guint8 client_addr[16];
	guint16 client_port;
	TraceReasm *reasm[2];
	FlowSide sides[2];
	gsize buffered; /* out-of-order octets counted in the tracer's total */
	GList link;     /* in tracer->lru */
	gboolean syn_seen;
	guint32 client_isn;
	gint64 last;
};

struct _Tracer {
	GPtrArray *sinks;
	guint64 next_id;
	guint next_conn;
	guint8 ports[65536]; /* TraceProto | PORT_TLS, 0 = not a mail port */
	GArray *extra_ports; /* guint16 added with tracer_set_port() */
	gboolean packet_events;
	gboolean tap_ignored;
	TracerLimits limits;
	GHashTable *flows; /* FlowKey* -> Flow* */
	Flow *last_flow;   /* the flow of the last packet: the next one is often its */
	GQueue lru;        /* Flow*, least recently active first */
	gsize buffered_total;
	GHashTable *memory;
	GHashTable *interned;  /* owned char* (key and value) */
	GHashTable *tap_conns; /* owned guint64 id -> TraceConn* (trace-tap.c) */
	gint64 now;
	guint notes_per_kind[8];
};

#define PORT_TLS           0x80
#define MAX_NOTES_PER_KIND 20
#define MAX_BUFFERED_TOTAL (16u * 1024 * 1024)

static const TracePort builtin_ports[] = {
    {25, TRACE_PROTO_SMTP, FALSE},   {587, TRACE_PROTO_SMTP, FALSE}, {465, TRACE_PROTO_SMTP, TRUE},
    {2525, TRACE_PROTO_SMTP, FALSE}, {110, TRACE_PROTO_POP3, FALSE}, {995, TRACE_PROTO_POP3, TRUE},
    {2110, TRACE_PROTO_POP3, FALSE}, {143, TRACE_PROTO_IMAP, FALSE}, {993, TRACE_PROTO_IMAP, TRUE},
    {2143, TRACE_PROTO_IMAP, FALSE},
};

static guint
flow_key_hash(gconstpointer p)
{
	/* The key's octets, 8 at a time, mixed by multiplication (keys are
	 * memset to zero before they are filled, so padding is always zero). */
	const guint8 *b = p;
	guint64 h = 0x9E3779B97F4A7C15u;
	gsize i = 0;
	for (; i + 8 <= sizeof(FlowKey); i += 8) {
		guint64 w;
		memcpy(&w, b + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	for (; i < sizeof(FlowKey); i++)
		h = (h ^ b[i]) * 0x100000001b3u;
	return (guint)(h ^ (h >> 29));
}

static gboolean
flow_key_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, sizeof(FlowKey)) == 0;
}

Tracer *
tracer_new(void)
{
	Tracer *t = g_new0(Tracer, 1);
	t->sinks = g_ptr_array_new_with_free_func((GDestroyNotify)trace_sink_free);
	t->extra_ports = g_array_new(FALSE, FALSE, sizeof(guint16));
	for (gsize i = 0; i < G_N_ELEMENTS(builtin_ports); i++)
		t->ports[builtin_ports[i].port] =
		    (guint8)(builtin_ports[i].proto |
		             (builtin_ports[i].implicit_tls ? PORT_TLS : 0));
	t->limits.idle_timeout_s = 600;
	t->limits.max_connections = 1024;
	t->limits.max_out_of_order = 256 * 1024;
	t->limits.conn.max_line = 64 * 1024;
	t->limits.conn.max_message = 16 * 1024 * 1024;
	t->flows = g_hash_table_new(flow_key_hash, flow_key_equal);
	t->memory = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	t->interned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	t->tap_conns = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	return t;
}

void
tracer_add_sink(Tracer *tracer, TraceSink *sink)
{
	g_ptr_array_add(tracer->sinks, sink);
}

void
tracer_flush(Tracer *tracer)
{
	for (guint i = 0; i < tracer->sinks->len; i++)
		trace_sink_flush(g_ptr_array_index(tracer->sinks, i));
}

guint64
tracer_emit(Tracer *tracer, TraceEvent *ev)
{
	ev->id = ++tracer->next_id;
	for (guint i = 0; i < tracer->sinks->len; i++)
		trace_sink_emit(g_ptr_array_index(tracer->sinks, i), ev);
	return ev->id;
}

void
tracer_note(Tracer *tracer, gint64 ts_us, const char *name, const char *explain)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.ts_us = ts_us;
	ev.kind = TRACE_KIND_NOTE;
	ev.name = name;
	trace_event_explain(&ev, explain, NULL);
	tracer_emit(tracer, &ev);
}

void
tracer_set_port(Tracer *tracer, guint16 port, TraceProto proto)
{
	tracer->ports[port] = (guint8)proto;
	g_array_append_val(tracer->extra_ports, port);
}

gboolean
tracer_parse_port(Tracer *tracer, const char *spec, GError **error)
{
	static const struct {
		const char *name;
		TraceProto proto;
	} names[] = {
	    {"smtp", TRACE_PROTO_SMTP},
	    {"pop3", TRACE_PROTO_POP3},
	    {"pop", TRACE_PROTO_POP3},
	    {"imap", TRACE_PROTO_IMAP},
	};
	const char *eq = strchr(spec, '=');
	guint64 port = 0;
	if (eq != NULL) {
		for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
			if ((gsize)(eq - spec) == strlen(names[i].name) &&
			    g_ascii_strncasecmp(spec, names[i].name, (gsize)(eq - spec)) == 0 &&
			    g_ascii_string_to_unsigned(eq + 1, 10, 1, 65535, &port, NULL)) {
				tracer_set_port(tracer, (guint16)port, names[i].proto);
				return TRUE;
			}
		}
	}
	g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
	            _("“%s” is not PROTO=PORT (smtp, pop3 or imap, and a port from 1 to 65535)."),
	            spec);
	return FALSE;
}

GArray *
tracer_ports(const Tracer *tracer)
{
	GArray *a = g_array_new(FALSE, FALSE, sizeof(guint16));
	for (guint p = 1; p < 65536; p++)
		if (tracer->ports[p] != 0) {
			guint16 v = (guint16)p;
			g_array_append_val(a, v);
		}
	return a;
}

void
tracer_set_packet_events(Tracer *tracer, gboolean on)
{
	tracer->packet_events = on;
}

TracerLimits *
tracer_limits(Tracer *tracer)
{
	return &tracer->limits;
}

const TraceConnLimits *
tracer_conn_limits(Tracer *tracer)
{
	return &tracer->limits.conn;
}

GHashTable *
tracer_memory(Tracer *tracer)
{
	return tracer->memory;
}

TraceProto
tracer_port_proto(const Tracer *tracer, guint16 port, gboolean *implicit_tls_r)
{
	guint8 v = tracer->ports[port];
	if (implicit_tls_r != NULL)
		*implicit_tls_r = (v & PORT_TLS) != 0;
	return (TraceProto)(v & ~PORT_TLS);
}

#define MAX_INTERNED 4096

const char *
tracer_intern(Tracer *tracer, char *s)
{
	const char *known = g_hash_table_lookup(tracer->interned, s);
	if (known != NULL) {
		g_free(s);
		return known;
	}
	if (g_hash_table_size(tracer->interned) >= MAX_INTERNED)
		return NULL;
	g_hash_table_insert(tracer->interned, s, s);
	return s;
}

guint
tracer_next_conn_number(Tracer *tracer)
{
	return ++tracer->next_conn;
}

guint64
tracer_count_events(const Tracer *tracer)
{
	return tracer->next_id;
}

guint
tracer_count_connections(const Tracer *tracer)
{
	return tracer->next_conn;
}

guint
tracer_open_connections(const Tracer *tracer)
{
	return g_hash_table_size(tracer->flows) + g_hash_table_size(tracer->tap_conns);
}

void
tracer_set_tap_ignored(Tracer *tracer, gboolean ignored)
{
	tracer->tap_ignored = ignored;
}

gboolean
tracer_tap_ignored(const Tracer *tracer)
{
	return tracer->tap_ignored;
}

GHashTable *
tracer_tap_conns(Tracer *tracer)
{
	return tracer->tap_conns;
}

/* --- Flows --- */

static void
flow_data(gpointer user_data, const guint8 *data, gsize len)
{
	FlowSide *side = user_data;
	trace_conn_feed(side->flow->conn, side->dir, data, len, side->flow->tracer->now);
}

static void
flow_gap(gpointer user_data, guint64 len)
{
	FlowSide *side = user_data;
	trace_conn_gap(side->flow->conn, side->dir, len, side->flow->tracer->now);
}

static const TraceReasmFuncs flow_funcs = {flow_data, flow_gap};

static void
flow_close(Tracer *tracer, Flow *flow, const char *why)
{
	g_hash_table_remove(tracer->flows, &flow->key);
	if (tracer->last_flow == flow)
		tracer->last_flow = NULL;
	g_queue_unlink(&tracer->lru, &flow->link);
	for (int d = 0; d < 2; d++)
		trace_reasm_flush(flow->reasm[d]);
	tracer->buffered_total -= flow->buffered;
	trace_conn_close(flow->conn, tracer->now, why);
	for (int d = 0; d < 2; d++)
		trace_reasm_free(flow->reasm[d]);
	g_free(flow);
}

static void
make_key(FlowKey *key, const TracePacket *pkt)
{
	memset(key, 0, sizeof *key);
	key->family = pkt->family;
	gsize alen = pkt->family == 6 ? 16 : 4;
	int c = memcmp(pkt->src, pkt->dst, alen);
	gboolean src_first = c < 0 || (c == 0 && pkt->sport <= pkt->dport);
	memcpy(key->addr[0], src_first ? pkt->src : pkt->dst, alen);
	memcpy(key->addr[1], src_first ? pkt->dst : pkt->src, alen);
	key->port[0] = src_first ? pkt->sport : pkt->dport;
	key->port[1] = src_first ? pkt->dport : pkt->sport;
}

/* Which end is the client when the handshake was not captured. */
static gboolean
src_is_client(const Tracer *tracer, const TracePacket *pkt)
{
	if (pkt->flags & TRACE_TCP_SYN)
		return (pkt->flags & TRACE_TCP_ACK) == 0;
	gboolean dst_known = tracer->ports[pkt->dport] != 0;
	gboolean src_known = tracer->ports[pkt->sport] != 0;
	if (dst_known != src_known)
		return dst_known;
	/* Servers listen on the lower port, clients get an ephemeral one. */
	return pkt->sport > pkt->dport;
}

static Flow *
flow_new(Tracer *tracer, const FlowKey *key, const TracePacket *pkt)
{
	while (g_hash_table_size(tracer->flows) >= tracer->limits.max_connections &&
	       tracer->lru.head != NULL)
		flow_close(tracer, tracer->lru.head->data, "limit");

	Flow *flow = g_new0(Flow, 1);
	flow->key = *key;
	flow->tracer = tracer;
	gboolean client_is_src = src_is_client(tracer, pkt);
	memcpy(flow->client_addr, client_is_src ? pkt->src : pkt->dst, 16);
	flow->client_port = client_is_src ? pkt->sport : pkt->dport;
	char client[TRACE_PACKET_ADDR_LEN], server[TRACE_PACKET_ADDR_LEN];
	trace_packet_format_addr(pkt->family, client_is_src ? pkt->src : pkt->dst,
	                         client_is_src ? pkt->sport : pkt->dport, client);
	trace_packet_format_addr(pkt->family, client_is_src ? pkt->dst : pkt->src,
	                         client_is_src ? pkt->dport : pkt->sport, server);
	guint16 server_port = client_is_src ? pkt->dport : pkt->sport;
	gboolean tls = FALSE;
	TraceProto proto = tracer_port_proto(tracer, server_port, &tls);
	const char *how = (pkt->flags & TRACE_TCP_SYN) ? "handshake" : "mid-stream";
	for (int d = 0; d < 2; d++) {
		flow->sides[d].flow = flow;
		flow->sides[d].dir = (TraceDir)d;
		flow->reasm[d] =
		    trace_reasm_new(&flow_funcs, &flow->sides[d], tracer->limits.max_out_of_order);
	}
	flow->link.data = flow;
	g_queue_push_tail_link(&tracer->lru, &flow->link);
	g_hash_table_insert(tracer->flows, &flow->key, flow);
	flow->conn = trace_conn_new(tracer, tracer_next_conn_number(tracer), client, server, proto,
	                            tls, tracer->now, how);
	if (!(pkt->flags & TRACE_TCP_SYN))
		trace_conn_note(flow->conn, TRACE_DIR_C2S, "mid-stream",
		                _("The capture starts in the middle of this connection: its "
		                  "beginning (and the protocol state) is unknown, decoding starts "
		                  "at the first whole line."),
		                NULL);
	return flow;
}

static void
packet_note(Tracer *tracer, TracePacketResult r, const char *why)
{
	if (r >= G_N_ELEMENTS(tracer->notes_per_kind) ||
	    tracer->notes_per_kind[r]++ >= MAX_NOTES_PER_KIND)
		return;
	const char *name = r == TRACE_PACKET_FRAGMENT    ? "fragment"
	                   : r == TRACE_PACKET_TRUNCATED ? "truncated-packet"
	                   : r == TRACE_PACKET_LINKTYPE  ? "link-type"
	                                                 : "malformed-packet";
	g_autofree char *text = g_strdup_printf(_("Packet skipped: %s."), why != NULL ? why : name);
	tracer_note(tracer, tracer->now, name, text);
}

static void
packet_event(Flow *flow, TraceDir dir, const TracePacket *pkt, TraceReasmResult r)
{
	static const char *const flag_names[] = {"FIN", "SYN", "RST", "PSH", "ACK"};
	GString *s = g_string_new(NULL);
	for (int i = 0; i < 5; i++)
		if (pkt->flags & (1 << i)) {
			if (s->len > 0)
				g_string_append_c(s, ' ');
			g_string_append(s, flag_names[i]);
		}
	if (pkt->payload_len > 0)
		g_string_append_printf(s, " len=%" G_GSIZE_FORMAT, pkt->payload_len);
	if (r == TRACE_REASM_RETRANSMITTED)
		g_string_append(s, _(" (retransmission)"));
	else if (r == TRACE_REASM_OUT_OF_ORDER)
		g_string_append(s, _(" (out of order)"));
	else if (r == TRACE_REASM_OVERLAP)
		g_string_append(s, _(" (overlaps data already seen)"));
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_PACKET;
	ev.dir = dir;
	ev.size = (gint64)pkt->payload_len;
	ev.tcp_flags = pkt->flags;
	ev.tcp_seq = pkt->seq;
	ev.tcp_ack = pkt->ack;
	ev.src_port = pkt->sport;
	ev.dst_port = pkt->dport;
	ev.summary = s->str;
	trace_conn_emit(flow->conn, &ev);
	g_string_free(s, TRUE);
}

static void
expire_idle(Tracer *tracer)
{
	gint64 limit = (gint64)tracer->limits.idle_timeout_s * G_USEC_PER_SEC;
	while (tracer->lru.head != NULL) {
		Flow *flow = tracer->lru.head->data;
		if (tracer->now - flow->last <= limit)
			break;
		flow_close(tracer, flow, "idle");
	}
}

void
tracer_feed_frame(Tracer *tracer, int linktype, gint64 ts_us, const guint8 *frame, gsize caplen,
                  gsize wire_len)
{
	(void)wire_len; /* the IP lengths say what is missing, more precisely */
	tracer->now = ts_us;
	expire_idle(tracer);

	TracePacket pkt;
	const char *why = NULL;
	TracePacketResult r = trace_packet_parse(linktype, frame, caplen, &pkt, &why);
	if (r == TRACE_PACKET_OTHER)
		return;
	if (r != TRACE_PACKET_TCP) {
		packet_note(tracer, r, why);
		return;
	}

	FlowKey key;
	make_key(&key, &pkt);
	Flow *flow = tracer->last_flow;
	if (flow == NULL || memcmp(&flow->key, &key, sizeof key) != 0)
		flow = g_hash_table_lookup(tracer->flows, &key);
	gboolean syn = (pkt.flags & TRACE_TCP_SYN) != 0;
	gboolean syn_only = syn && !(pkt.flags & TRACE_TCP_ACK);
	if (flow != NULL && syn_only && !(flow->syn_seen && flow->client_isn == pkt.seq)) {
		/* A new SYN on a known pair of ports: the old connection is over. */
		flow_close(tracer, flow, "reused");
		flow = NULL;
	}
	if (flow == NULL) {
		if (!syn && pkt.payload_len == 0)
			return; /* a stray ACK, FIN or RST of a connection already ended */
		flow = flow_new(tracer, &key, &pkt);
	}
	flow->last = ts_us;
	tracer->last_flow = flow;
	if (tracer->lru.tail != &flow->link) {
		g_queue_unlink(&tracer->lru, &flow->link);
		g_queue_push_tail_link(&tracer->lru, &flow->link);
	}

	TraceDir dir = (pkt.sport == flow->client_port &&
	                memcmp(pkt.src, flow->client_addr, pkt.family == 6 ? 16 : 4) == 0)
	                   ? TRACE_DIR_C2S
	                   : TRACE_DIR_S2C;
	TraceReasm *rs = flow->reasm[dir];
	guint32 seq = pkt.seq;
	if (syn_only) {
		flow->syn_seen = TRUE;
		flow->client_isn = pkt.seq;
	}
	if (syn) {
		trace_reasm_syn(rs, pkt.seq);
		seq++;
	}
	if (tracer->packet_events)
		packet_event(flow, dir, &pkt, trace_reasm_classify(rs, seq, pkt.payload_len));
	TraceReasmResult rr = trace_reasm_segment(rs, seq, pkt.payload, pkt.payload_len);
	if (pkt.payload_missing > 0) {
		if (rr == TRACE_REASM_IN_ORDER || rr == TRACE_REASM_OVERLAP)
			trace_reasm_skip(rs, pkt.payload_missing);
		packet_note(tracer, TRACE_PACKET_TRUNCATED,
		            "frame cut by the capture's snap length");
	}
	if (pkt.flags & TRACE_TCP_ACK)
		trace_reasm_ack(flow->reasm[!dir], pkt.ack);
	if (pkt.flags & TRACE_TCP_FIN)
		trace_reasm_fin(rs, seq + (guint32)pkt.payload_len + (guint32)pkt.payload_missing);

	/* Bounded memory across connections. */
	gsize buffered =
	    trace_reasm_buffered(flow->reasm[0]) + trace_reasm_buffered(flow->reasm[1]);
	tracer->buffered_total = tracer->buffered_total - flow->buffered + buffered;
	flow->buffered = buffered;
	if (tracer->buffered_total > MAX_BUFFERED_TOTAL) {
		for (int d = 0; d < 2; d++)
			trace_reasm_flush(flow->reasm[d]);
		tracer->buffered_total -= flow->buffered;
		flow->buffered = 0;
	}

	if (pkt.flags & TRACE_TCP_RST)
		flow_close(tracer, flow, "RST");
	else if (trace_reasm_finished(flow->reasm[0]) && trace_reasm_finished(flow->reasm[1]))
		flow_close(tracer, flow, "FIN");
}

void
tracer_finish(Tracer *tracer, gint64 ts_us)
{
	if (ts_us > tracer->now)
		tracer->now = ts_us;
	while (tracer->lru.head != NULL)
		flow_close(tracer, tracer->lru.head->data, "end");
	GHashTableIter it;
	gpointer conn;
	g_hash_table_iter_init(&it, tracer->tap_conns);
	while (g_hash_table_iter_next(&it, NULL, &conn)) {
		g_hash_table_iter_remove(&it);
		trace_conn_close(conn, tracer->now, "end");
	}
	tracer_flush(tracer);
}

void
tracer_free(Tracer *tracer)
{
	if (tracer == NULL)
		return;
	tracer_finish(tracer, tracer->now);
	g_hash_table_destroy(tracer->flows);
	g_hash_table_destroy(tracer->memory);
	g_hash_table_destroy(tracer->interned);
	g_hash_table_destroy(tracer->tap_conns);
	g_array_unref(tracer->extra_ports);
	g_ptr_array_unref(tracer->sinks);
	g_free(tracer);
}
