/* Live capture with libpcap on the one GMainLoop: an interface opened in
 * immediate, non-blocking mode with a BPF filter on the mail ports, its
 * selectable fd watched with g_unix_fd_add; optionally every packet saved to
 * a pcap file that Wireshark opens. And, for `serve --trace` and the
 * scenario runner, a capture on lo that falls back to the in-process tap
 * when libpcap is refused. */
#pragma once

#include "trace/trace-pcap.h"
#include "trace/tracer.h"

typedef struct _TraceLive TraceLive;

/* Opens iface (NULL: "lo") and starts feeding the tracer from the default
 * main context. The filter keeps TCP on the tracer's ports (tracer_ports()).
 * write_path: also save the packets there (pcap). Errors:
 * TRACE_PCAP_ERROR_PERMISSION when capture is not allowed, else
 * TRACE_PCAP_ERROR_LIVE. */
TraceLive *trace_live_start(Tracer *tracer, const char *iface, const char *write_path,
                            GError **error);
/* Reads what is pending, stops, closes the file written. */
void trace_live_stop(TraceLive *live);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceLive, trace_live_stop)
/* Packets seen so far. */
guint64 trace_live_packets(const TraceLive *live);
/* The one-line advice shown when capture is refused (translated). */
const char *trace_live_permission_hint(void);

/* --- For the glue: libpcap on lo, or else the tap --- */
typedef enum {
	TRACE_CAPTURE_LIBPCAP, /* packets come from libpcap; the tap is ignored */
	TRACE_CAPTURE_TAP,     /* the glue must forward its ServerTapEvents to trace_tap_*() */
} TraceCaptureMode;

typedef struct _TraceCapture TraceCapture;

/* Registers the ports (with their protocols) in the tracer, then tries a
 * live capture on lo of those ports only; when it cannot start, uses the
 * tap. Never fails. */
TraceCapture *trace_capture_start_loopback(Tracer *tracer, const TracePort *ports, gsize n_ports);
TraceCaptureMode trace_capture_mode(const TraceCapture *capture);
/* One translated sentence saying which source is in use; for the tap, why,
 * and how to allow capture (setcap / make setcap). */
const char *trace_capture_describe(const TraceCapture *capture);
void trace_capture_stop(TraceCapture *capture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceCapture, trace_capture_stop)
