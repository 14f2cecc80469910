/* Writing test captures; see test-pcap.h. Headers are built octet by octet
 * in network order, checksums left at zero (the tracer does not check them,
 * as captures of locally sent packets often carry none). */
#include "test-pcap.h"

#include <pcap/pcap.h>
#include <string.h>

struct _TestPcap {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	TestPcapFlow flow;
};

static const guint8 client4[4] = {127, 0, 0, 1};
static const guint8 server4[4] = {127, 0, 0, 2};
static const guint8 client6[16] = {[15] = 1};
static const guint8 server6[16] = {0xfe, 0x80, [15] = 2};

static guint8 *
put16(guint8 *p, guint v)
{
	p[0] = (guint8)(v >> 8);
	p[1] = (guint8)v;
	return p + 2;
}

static guint8 *
put32(guint8 *p, guint32 v)
{
	p = put16(p, v >> 16);
	return put16(p, v & 0xffff);
}

gsize
test_pcap_frame(const TestPcapFlow *flow, gboolean from_client, guint32 seq, guint32 ack,
                guint8 flags, const void *payload, gsize len, guint8 *buf)
{
	guint8 *p = buf;
	guint ethertype = flow->family == 6 ? 0x86DD : 0x0800;
	switch (flow->linktype) {
	case DLT_EN10MB:
		memset(p, 0, 12);
		p[5] = 1;
		p[11] = 2;
		p += 12;
		if (flow->vlan != 0) {
			p = put16(p, 0x8100);
			p = put16(p, flow->vlan);
		}
		p = put16(p, ethertype);
		break;
	case DLT_LINUX_SLL:
		memset(p, 0, 14);
		p[1] = from_client ? 4 : 0; /* packet type */
		p[3] = 1;                   /* ARPHRD_ETHER */
		p[5] = 6;                   /* address length */
		p += 14;
		p = put16(p, ethertype);
		break;
	case DLT_LINUX_SLL2:
		p = put16(p, ethertype);
		memset(p, 0, 18);
		p[5] = 1; /* interface index */
		p[7] = 1; /* ARPHRD_ETHER */
		p[9] = 6;
		p += 18;
		break;
	case DLT_NULL: {
		/* Host byte order, as BSD writes it. */
		guint32 af = flow->family == 6 ? 30 : 2;
		memcpy(p, &af, 4);
		p += 4;
		break;
	}
	case DLT_LOOP:
		p = put32(p, flow->family == 6 ? 30 : 2);
		break;
	default: /* raw IP */
		break;
	}
	gsize tcp_len = 20 + len;
	const guint8 *src, *dst;
	if (flow->family == 6) {
		src = from_client ? client6 : server6;
		dst = from_client ? server6 : client6;
		p = put32(p, 0x60000000);
		p = put16(p, (guint)tcp_len);
		*p++ = 6;  /* next header: TCP */
		*p++ = 64; /* hop limit */
		memcpy(p, src, 16);
		memcpy(p + 16, dst, 16);
		p += 32;
	} else {
		src = from_client ? client4 : server4;
		dst = from_client ? server4 : client4;
		*p++ = 0x45;
		*p++ = 0;
		p = put16(p, (guint)(20 + tcp_len));
		p = put32(p, 0x00004000); /* id 0, don't fragment */
		*p++ = 64;
		*p++ = 6;
		p = put16(p, 0);
		memcpy(p, src, 4);
		memcpy(p + 4, dst, 4);
		p += 8;
	}
	p = put16(p, from_client ? flow->client_port : flow->server_port);
	p = put16(p, from_client ? flow->server_port : flow->client_port);
	p = put32(p, seq);
	p = put32(p, ack);
	*p++ = 5 << 4;
	*p++ = flags;
	p = put16(p, 65535);
	p = put32(p, 0); /* checksum, urgent pointer */
	if (len > 0)
		memcpy(p, payload, len);
	p += len;
	return (gsize)(p - buf);
}

TestPcap *
test_pcap_new(const char *path, const TestPcapFlow *flow)
{
	TestPcap *p = g_new0(TestPcap, 1);
	p->flow = *flow;
	p->pcap = pcap_open_dead(flow->linktype, 65535);
	g_assert_nonnull(p->pcap);
	p->dumper = pcap_dump_open(p->pcap, path);
	g_assert_nonnull(p->dumper);
	return p;
}

void
test_pcap_frame_raw(TestPcap *p, gint64 ts_us, const guint8 *frame, gsize caplen, gsize wire_len)
{
	struct pcap_pkthdr h = {0};
	h.ts.tv_sec = ts_us / G_USEC_PER_SEC;
	h.ts.tv_usec = ts_us % G_USEC_PER_SEC;
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)wire_len;
	pcap_dump((u_char *)p->dumper, &h, frame);
}

void
test_pcap_segment(TestPcap *p, gint64 ts_us, gboolean from_client, guint32 seq, guint32 ack,
                  guint8 flags, const void *payload, gsize len)
{
	guint8 *buf = g_malloc(len + 128);
	gsize n = test_pcap_frame(&p->flow, from_client, seq, ack, flags, payload, len, buf);
	test_pcap_frame_raw(p, ts_us, buf, n, n);
	g_free(buf);
}

void
test_pcap_close(TestPcap *p)
{
	pcap_dump_close(p->dumper);
	pcap_close(p->pcap);
	g_free(p);
}

#define SYN 0x02
#define ACK 0x10
#define PSH 0x08
#define FIN 0x01

void
test_conv_open(TestConv *c, TestPcap *p)
{
	c->pcap = p;
	c->ts = G_GINT64_CONSTANT(1793610000) * G_USEC_PER_SEC;
	c->seq[0] = 1000;
	c->seq[1] = 5000;
	test_pcap_segment(p, c->ts++, TRUE, c->seq[0]++, 0, SYN, NULL, 0);
	test_pcap_segment(p, c->ts++, FALSE, c->seq[1]++, c->seq[0], SYN | ACK, NULL, 0);
	test_pcap_segment(p, c->ts++, TRUE, c->seq[0], c->seq[1], ACK, NULL, 0);
}

void
test_conv_send(TestConv *c, gboolean from_client, const char *text)
{
	int me = from_client ? 0 : 1;
	gsize len = strlen(text);
	test_pcap_segment(c->pcap, c->ts, from_client, c->seq[me], c->seq[!me], PSH | ACK, text,
	                  len);
	c->ts += 1000;
	c->seq[me] += (guint32)len;
	test_pcap_segment(c->pcap, c->ts++, !from_client, c->seq[!me], c->seq[me], ACK, NULL, 0);
}

void
test_conv_close(TestConv *c)
{
	test_pcap_segment(c->pcap, c->ts++, TRUE, c->seq[0]++, c->seq[1], FIN | ACK, NULL, 0);
	test_pcap_segment(c->pcap, c->ts++, FALSE, c->seq[1]++, c->seq[0], FIN | ACK, NULL, 0);
	test_pcap_segment(c->pcap, c->ts++, TRUE, c->seq[0], c->seq[1], ACK, NULL, 0);
}
