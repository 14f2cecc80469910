/* The tap's connections live in the tracer's tap table, keyed by the glue's
 * connection id; the protocol comes from the server's port (or its first line). */
#include "trace/trace-tap.h"
#include "trace/trace-packet.h"

static void
format_addr(GInetSocketAddress *sa, char *buf)
{
	GInetAddress *ia = g_inet_socket_address_get_address(sa);
	guint16 port = g_inet_socket_address_get_port(sa);
	gboolean v6 = g_inet_address_get_family(ia) == G_SOCKET_FAMILY_IPV6;
	trace_packet_format_addr(v6 ? 6 : 4, g_inet_address_to_bytes(ia), port, buf);
}

static TraceConn *
lookup(Tracer *tracer, guint64 conn_id)
{
	return g_hash_table_lookup(tracer_tap_conns(tracer), &conn_id);
}

void
trace_tap_open(Tracer *tracer, guint64 conn_id, GInetSocketAddress *client,
               GInetSocketAddress *server, gint64 time_us)
{
	if (tracer_tap_ignored(tracer) || client == NULL || server == NULL)
		return;
	TraceConn *old = lookup(tracer, conn_id);
	if (old != NULL) {
		g_hash_table_remove(tracer_tap_conns(tracer), &conn_id);
		trace_conn_close(old, time_us, "reused");
	}
	char c[TRACE_PACKET_ADDR_LEN], s[TRACE_PACKET_ADDR_LEN];
	format_addr(client, c);
	format_addr(server, s);
	gboolean tls = FALSE;
	TraceProto proto = tracer_port_proto(tracer, g_inet_socket_address_get_port(server), &tls);
	TraceConn *conn = trace_conn_new(tracer, tracer_next_conn_number(tracer), c, s, proto, tls,
	                                 time_us, "tap");
	g_hash_table_insert(tracer_tap_conns(tracer), g_memdup2(&conn_id, sizeof conn_id), conn);
}

void
trace_tap_data(Tracer *tracer, guint64 conn_id, GInetSocketAddress *client,
               GInetSocketAddress *server, TraceDir dir, const guint8 *data, gsize len,
               gint64 time_us)
{
	if (tracer_tap_ignored(tracer))
		return;
	TraceConn *conn = lookup(tracer, conn_id);
	if (conn == NULL) {
		trace_tap_open(tracer, conn_id, client, server, time_us);
		conn = lookup(tracer, conn_id);
		if (conn == NULL)
			return;
	}
	if (len > 0)
		trace_conn_feed(conn, dir, data, len, time_us);
}

void
trace_tap_close(Tracer *tracer, guint64 conn_id, gint64 time_us)
{
	TraceConn *conn = lookup(tracer, conn_id);
	if (conn == NULL)
		return;
	g_hash_table_remove(tracer_tap_conns(tracer), &conn_id);
	trace_conn_close(conn, time_us, "FIN");
}
