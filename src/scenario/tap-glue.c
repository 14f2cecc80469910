/* See tap-glue.h. */
#include "scenario/tap-glue.h"

#include "trace/trace-tap.h"

void
tap_glue_forward(const ServerTapEvent *ev, Tracer *tracer)
{
	switch (ev->kind) {
	case SERVER_TAP_OPEN:
		trace_tap_open(tracer, ev->conn_id, ev->client, ev->server, ev->time_us);
		break;
	case SERVER_TAP_DATA:
		trace_tap_data(tracer, ev->conn_id, ev->client, ev->server,
		               ev->from_client ? TRACE_DIR_C2S : TRACE_DIR_S2C, ev->data, ev->len,
		               ev->time_us);
		break;
	case SERVER_TAP_CLOSE:
		trace_tap_close(tracer, ev->conn_id, ev->time_us);
		break;
	}
}

void
tap_glue_ports(const Servers *servers, TracePort ports[SERVER_N_PROTOCOLS], gsize *n_r)
{
	static const TraceProto map[SERVER_N_PROTOCOLS] = {
	    [SERVER_SMTP] = TRACE_PROTO_SMTP,
	    [SERVER_POP3] = TRACE_PROTO_POP3,
	    [SERVER_IMAP] = TRACE_PROTO_IMAP,
	};
	const ServerConfig *config = servers_get_config(servers);
	gsize n = 0;
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (config->protocols[p] != NULL)
			ports[n++] =
			    (TracePort){.port = servers_get_port(servers, p), .proto = map[p]};
	}
	*n_r = n;
}
