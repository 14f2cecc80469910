/* Capture files in (pcap and pcapng through libpcap) and out (a pcap
 * writer for `capture -w`): frames go to the tracer, nothing is decoded here. */
#pragma once

#include "trace/tracer.h"

#include <pcap/pcap.h>

#define TRACE_PCAP_ERROR (trace_pcap_error_quark())
GQuark trace_pcap_error_quark(void);

typedef enum {
	TRACE_PCAP_ERROR_OPEN,       /* missing, unreadable, or not a capture file */
	TRACE_PCAP_ERROR_LINKTYPE,   /* a link layer facteur does not read */
	TRACE_PCAP_ERROR_DAMAGED,    /* read part way, then truncated or corrupt */
	TRACE_PCAP_ERROR_LIVE,       /* a live capture could not start (other than permission) */
	TRACE_PCAP_ERROR_PERMISSION, /* capture refused: no CAP_NET_RAW */
} TracePcapError;

/* Feeds every frame of the file at path to the tracer, then ends its
 * connections. On a damaged file what came before is decoded, a note event
 * says what is wrong, and FALSE is returned with TRACE_PCAP_ERROR_DAMAGED. */
gboolean trace_pcap_read_file(Tracer *tracer, const char *path, GError **error);
