/* Link, IP and TCP header parsing through a bounds-checked cursor (tcpdump's
 * GET_ macros in spirit): a read past the end sets a flag instead of reading. */
#include "trace/trace-packet.h"
#include "trace/trace-event.h"

#include <arpa/inet.h>
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

typedef struct {
	const guint8 *p;
	gsize len;
	gsize pos;
	gboolean short_read;
} Cursor;

static gboolean
has(Cursor *c, gsize n)
{
	if (c->pos > c->len || c->len - c->pos < n) {
		c->short_read = TRUE;
		return FALSE;
	}
	return TRUE;
}

static guint8
get8(Cursor *c, gsize off)
{
	if (c->pos > c->len || off >= c->len - c->pos) {
		c->short_read = TRUE;
		return 0;
	}
	return c->p[c->pos + off];
}

static guint16
get16(Cursor *c, gsize off)
{
	return (guint16)((get8(c, off) << 8) | get8(c, off + 1));
}

static guint32
get32(Cursor *c, gsize off)
{
	return ((guint32)get16(c, off) << 16) | get16(c, off + 2);
}

static gboolean
skip(Cursor *c, gsize n)
{
	if (!has(c, n))
		return FALSE;
	c->pos += n;
	return TRUE;
}

static void
copy_bytes(Cursor *c, gsize off, guint8 *dst, gsize n)
{
	if (!has(c, off + n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, c->p + c->pos + off, n);
}

/* Shrinks the cursor's end to pos + n (an IP total length), when shorter. */
static void
limit(Cursor *c, gsize n, gsize *missing_r)
{
	gsize avail = c->len - c->pos;
	if (n < avail)
		c->len = c->pos + n;
	else if (missing_r != NULL)
		*missing_r = n - avail;
}

#define ETH_IPV4     0x0800
#define ETH_IPV6     0x86DD
#define ETH_VLAN     0x8100
#define ETH_QINQ     0x88A8
#define ETH_QINQ_OLD 0x9100
#define IPPROTO_TCP_ 6

gboolean
trace_packet_linktype_supported(int linktype)
{
	switch (linktype) {
	case DLT_NULL:
	case DLT_EN10MB:
	case DLT_LOOP:
	case DLT_LINUX_SLL:
	case DLT_LINUX_SLL2:
	case DLT_IPV4:
	case DLT_IPV6:
	case 12:  /* DLT_RAW on most systems */
	case 14:  /* DLT_RAW on BSD/OS */
	case 101: /* LINKTYPE_RAW, as written in files */
		return TRUE;
	default:
		return FALSE;
	}
}

static TracePacketResult
fail(TracePacketResult r, const char *why, const char **why_r)
{
	if (why_r != NULL)
		*why_r = why;
	return r;
}

/* Returns the ethertype after the link header, or 0 when truncated. The
 * value 4/6 is returned for link types that only say "IP". */
static guint
link_header(int linktype, Cursor *c)
{
	guint type = 0;
	switch (linktype) {
	case DLT_EN10MB:
		type = get16(c, 12);
		if (!skip(c, 14))
			return 0;
		break;
	case DLT_LINUX_SLL:
		type = get16(c, 14);
		if (!skip(c, 16))
			return 0;
		break;
	case DLT_LINUX_SLL2:
		type = get16(c, 0);
		if (!skip(c, 20))
			return 0;
		break;
	case DLT_NULL:
	case DLT_LOOP:
		/* A 4-octet address family, in the capturing host's byte order
		 * (NULL) or big-endian (LOOP); the IP version nibble decides. */
		if (!skip(c, 4))
			return 0;
		return 4;
	case DLT_IPV4:
	case DLT_IPV6:
	case 12:
	case 14:
	case 101:
		return 4;
	default:
		return 0;
	}
	/* VLAN tags (802.1Q, 802.1ad, stacked). */
	for (int n = 0; (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) && n < 8;
	     n++) {
		type = get16(c, 2);
		if (!skip(c, 4))
			return 0;
	}
	return type;
}

static TracePacketResult
parse_tcp(Cursor *c, TracePacket *pkt, const char **why_r)
{
	if (!has(c, 20))
		return fail(TRACE_PACKET_TRUNCATED, "TCP header cut short", why_r);
	pkt->sport = get16(c, 0);
	pkt->dport = get16(c, 2);
	pkt->seq = get32(c, 4);
	pkt->ack = get32(c, 8);
	guint off = (get8(c, 12) >> 4) * 4u;
	pkt->flags = get8(c, 13) & 0x3f;
	if (off < 20)
		return fail(TRACE_PACKET_MALFORMED, "TCP data offset below 20 octets", why_r);
	if (!skip(c, off))
		return fail(TRACE_PACKET_TRUNCATED, "TCP options cut short", why_r);
	pkt->payload = c->p + c->pos;
	pkt->payload_len = c->len - c->pos;
	return TRACE_PACKET_TCP;
}

static TracePacketResult
parse_ipv4(Cursor *c, TracePacket *pkt, const char **why_r)
{
	if (!has(c, 20))
		return fail(TRACE_PACKET_TRUNCATED, "IPv4 header cut short", why_r);
	guint ihl = (get8(c, 0) & 0x0f) * 4u;
	guint total = get16(c, 2);
	guint frag = get16(c, 6);
	guint proto = get8(c, 9);
	if (ihl < 20 || total < ihl)
		return fail(TRACE_PACKET_MALFORMED, "IPv4 header length or total length impossible",
		            why_r);
	pkt->family = 4;
	copy_bytes(c, 12, pkt->src, 4);
	copy_bytes(c, 16, pkt->dst, 4);
	if (proto != IPPROTO_TCP_)
		return TRACE_PACKET_OTHER;
	if ((frag & 0x1fff) != 0 || (frag & 0x2000) != 0)
		return fail(TRACE_PACKET_FRAGMENT, "IPv4 fragment (not reassembled)", why_r);
	/* The total length trims Ethernet padding; a capture shorter than it is truncated. */
	limit(c, total, &pkt->payload_missing);
	if (!skip(c, ihl))
		return fail(TRACE_PACKET_TRUNCATED, "IPv4 options cut short", why_r);
	return parse_tcp(c, pkt, why_r);
}

static TracePacketResult
parse_ipv6(Cursor *c, TracePacket *pkt, const char **why_r)
{
	if (!has(c, 40))
		return fail(TRACE_PACKET_TRUNCATED, "IPv6 header cut short", why_r);
	guint plen = get16(c, 4);
	guint next = get8(c, 6);
	pkt->family = 6;
	copy_bytes(c, 8, pkt->src, 16);
	copy_bytes(c, 24, pkt->dst, 16);
	skip(c, 40);
	/* A payload length of 0 with a jumbo option is not for mail on loopback. */
	limit(c, plen, &pkt->payload_missing);
	for (int n = 0; n < 16; n++) {
		switch (next) {
		case IPPROTO_TCP_:
			return parse_tcp(c, pkt, why_r);
		case 0:  /* hop-by-hop options */
		case 43: /* routing */
		case 60: /* destination options */
			if (!has(c, 2))
				return fail(TRACE_PACKET_TRUNCATED,
				            "IPv6 extension header cut short", why_r);
			next = get8(c, 0);
			if (!skip(c, (get8(c, 1) + 1u) * 8u))
				return fail(TRACE_PACKET_TRUNCATED,
				            "IPv6 extension header cut short", why_r);
			break;
		case 44: /* fragment */
			return fail(TRACE_PACKET_FRAGMENT, "IPv6 fragment (not reassembled)",
			            why_r);
		default:
			return TRACE_PACKET_OTHER;
		}
	}
	return fail(TRACE_PACKET_MALFORMED, "too many IPv6 extension headers", why_r);
}

TracePacketResult
trace_packet_parse(int linktype, const guint8 *frame, gsize caplen, TracePacket *pkt,
                   const char **why_r)
{
	Cursor c = {frame, caplen, 0, FALSE};
	memset(pkt, 0, sizeof *pkt);
	if (!trace_packet_linktype_supported(linktype))
		return fail(TRACE_PACKET_LINKTYPE, "unsupported link type", why_r);
	guint type = link_header(linktype, &c);
	if (c.short_read)
		return fail(TRACE_PACKET_TRUNCATED, "link-layer header cut short", why_r);
	if (type == 4) {
		/* "IP" without saying which: the version nibble does. */
		guint v = get8(&c, 0) >> 4;
		if (c.short_read)
			return fail(TRACE_PACKET_TRUNCATED, "IP header cut short", why_r);
		type = v == 4 ? ETH_IPV4 : v == 6 ? ETH_IPV6 : 0;
	}
	TracePacketResult r;
	switch (type) {
	case ETH_IPV4:
		r = parse_ipv4(&c, pkt, why_r);
		break;
	case ETH_IPV6:
		r = parse_ipv6(&c, pkt, why_r);
		break;
	default:
		return TRACE_PACKET_OTHER;
	}
	if (r == TRACE_PACKET_TCP && c.short_read)
		return fail(TRACE_PACKET_TRUNCATED, "packet cut short", why_r);
	return r;
}

void
trace_packet_format_addr(guint8 family, const guint8 *addr, guint16 port, char *buf)
{
	char ip[INET6_ADDRSTRLEN];
	if (family == 6) {
		inet_ntop(AF_INET6, addr, ip, sizeof ip);
		snprintf(buf, TRACE_PACKET_ADDR_LEN, "[%s]:%u", ip, port);
	} else {
		inet_ntop(AF_INET, addr, ip, sizeof ip);
		snprintf(buf, TRACE_PACKET_ADDR_LEN, "%s:%u", ip, port);
	}
}
