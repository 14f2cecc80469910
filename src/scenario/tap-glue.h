/* The glue between the servers' in-process tap and the tracer, shared by the
 * scenario runner and `facteur serve --trace`: server/ and trace/ know nothing
 * of each other, so this forwarding lives above both. */
#pragma once

#include "server/server.h"
#include "trace/tracer.h"

/* Hands one ServerTapEvent to the tracer (which ignores it while libpcap captures). */
void tap_glue_forward(const ServerTapEvent *ev, Tracer *tracer);
/* The servers' ports with their protocols, for trace_capture_start_loopback. n_r gets the count. */
void tap_glue_ports(const Servers *servers, TracePort ports[SERVER_N_PROTOCOLS], gsize *n_r);
