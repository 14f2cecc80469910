/* The in-process tap: when libpcap may not capture, the glue code (serve
 * --trace, the scenario runner) hands the tracer the octets its servers read
 * and write. Ignored while a live capture is running (tracer_set_tap_ignored),
 * so the glue may always forward. No TCP here: octets arrive in order. */
#pragma once

#include "trace/tracer.h"

#include <gio/gio.h>

/* A connection was accepted. conn_id is unique among the tap's connections. */
void trace_tap_open(Tracer *tracer, guint64 conn_id, GInetSocketAddress *client,
                    GInetSocketAddress *server, gint64 time_us);
/* Octets in direction dir. client and server may be NULL when trace_tap_open()
 * was called for this id; otherwise they open the connection first. */
void trace_tap_data(Tracer *tracer, guint64 conn_id, GInetSocketAddress *client,
                    GInetSocketAddress *server, TraceDir dir, const guint8 *data, gsize len,
                    gint64 time_us);
/* The connection is gone. */
void trace_tap_close(Tracer *tracer, guint64 conn_id, gint64 time_us);
