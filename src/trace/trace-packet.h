/* From a captured frame to a TCP segment: link layers (Ethernet with VLAN
 * tags, Linux cooked SLL and SLL2, BSD NULL/LOOP, raw IP), IPv4 and IPv6.
 * Pure and bounds-checked: every octet is read through a checked cursor. */
#pragma once

#include <glib.h>

typedef enum {
	TRACE_PACKET_TCP,       /* a TCP segment: the fields below are filled */
	TRACE_PACKET_OTHER,     /* not TCP over IP (ARP, UDP, ICMP…): skipped quietly */
	TRACE_PACKET_FRAGMENT,  /* an IPv4/IPv6 fragment: not reassembled */
	TRACE_PACKET_TRUNCATED, /* shorter than its headers say (snap length, damage) */
	TRACE_PACKET_MALFORMED, /* impossible header values */
	TRACE_PACKET_LINKTYPE,  /* a link type facteur does not read */
} TracePacketResult;

typedef struct {
	guint8 family; /* 4 or 6 */
	guint8 src[16];
	guint8 dst[16];
	guint16 sport;
	guint16 dport;
	guint32 seq;
	guint32 ack;
	guint8 flags;          /* TRACE_TCP_* */
	const guint8 *payload; /* inside the frame given to trace_packet_parse() */
	gsize payload_len;     /* octets present in the capture */
	gsize payload_missing; /* octets the IP length announces beyond the capture */
} TracePacket;

/* Parses one frame of link type linktype (a DLT_ value). On anything but
 * TRACE_PACKET_TCP, *why_r (if not NULL) says what is wrong in English, for a note. */
TracePacketResult trace_packet_parse(int linktype, const guint8 *frame, gsize caplen,
                                     TracePacket *pkt, const char **why_r);
/* TRUE for the link types trace_packet_parse() reads. */
gboolean trace_packet_linktype_supported(int linktype);
/* "127.0.0.1:25" or "[::1]:25" into buf (at least TRACE_PACKET_ADDR_LEN octets). */
#define TRACE_PACKET_ADDR_LEN 56
void trace_packet_format_addr(guint8 family, const guint8 *addr, guint16 port, char *buf);
