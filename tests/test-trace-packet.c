/* Frame parsing: every link type the tracer reads, IPv4 and IPv6, VLAN tags,
 * and frames cut at every length (never a read past the end: run under ASan). */
#include "trace/trace-event.h"
#include "trace/trace-packet.h"
#include "test-pcap.h"

#include <pcap/dlt.h>
#include <string.h>

static const int linktypes[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
                                DLT_NULL,   DLT_LOOP,      DLT_RAW};

static void
test_linktypes(void)
{
	static const char payload[] = "EHLO client.example.org\r\n";
	for (gsize i = 0; i < G_N_ELEMENTS(linktypes); i++) {
		for (int family = 4; family <= 6; family += 2) {
			for (int vlan = 0; vlan <= 1; vlan++) {
				if (vlan && linktypes[i] != DLT_EN10MB)
					continue;
				TestPcapFlow flow = {linktypes[i], family, vlan ? 42 : 0, 40346,
				                     25};
				guint8 buf[256];
				gsize n = test_pcap_frame(&flow, TRUE, 1001, 5001,
				                          TRACE_TCP_PSH | TRACE_TCP_ACK, payload,
				                          sizeof payload - 1, buf);
				TracePacket pkt;
				const char *why = NULL;
				TracePacketResult r =
				    trace_packet_parse(linktypes[i], buf, n, &pkt, &why);
				g_assert_cmpint(r, ==, TRACE_PACKET_TCP);
				g_assert_cmpint(pkt.family, ==, family);
				g_assert_cmpuint(pkt.sport, ==, 40346);
				g_assert_cmpuint(pkt.dport, ==, 25);
				g_assert_cmpuint(pkt.seq, ==, 1001);
				g_assert_cmpuint(pkt.ack, ==, 5001);
				g_assert_cmpuint(pkt.flags, ==, TRACE_TCP_PSH | TRACE_TCP_ACK);
				g_assert_cmpuint(pkt.payload_len, ==, sizeof payload - 1);
				g_assert_cmpuint(pkt.payload_missing, ==, 0);
				g_assert_cmpmem(pkt.payload, pkt.payload_len, payload,
				                sizeof payload - 1);
				char addr[TRACE_PACKET_ADDR_LEN];
				trace_packet_format_addr(pkt.family, pkt.src, pkt.sport, addr);
				g_assert_cmpstr(addr, ==,
				                family == 4 ? "127.0.0.1:40346" : "[::1]:40346");
			}
		}
	}
}

static void
test_truncated_everywhere(void)
{
	static const char payload[] = "+OK Dovecot ready.\r\n";
	for (gsize i = 0; i < G_N_ELEMENTS(linktypes); i++) {
		for (int family = 4; family <= 6; family += 2) {
			TestPcapFlow flow = {linktypes[i], family, 7, 110, 50000};
			guint8 buf[256];
			gsize n = test_pcap_frame(&flow, FALSE, 1, 2, TRACE_TCP_ACK, payload,
			                          sizeof payload - 1, buf);
			for (gsize cut = 0; cut < n; cut++) {
				/* A fresh copy of exactly cut octets, so ASan sees any overread. */
				guint8 *frame = g_memdup2(buf, cut);
				TracePacket pkt;
				const char *why = NULL;
				TracePacketResult r =
				    trace_packet_parse(linktypes[i], frame, cut, &pkt, &why);
				if (r == TRACE_PACKET_TCP) {
					/* Cut inside the payload: what is there, and how much is
					 * missing. */
					g_assert_cmpuint(pkt.payload_len + pkt.payload_missing, ==,
					                 sizeof payload - 1);
				} else {
					g_assert_cmpint(r, ==, TRACE_PACKET_TRUNCATED);
					g_assert_nonnull(why);
				}
				g_free(frame);
			}
		}
	}
}

static void
test_ethernet_padding(void)
{
	/* A 60-octet minimum Ethernet frame: the IP total length says where data ends. */
	TestPcapFlow flow = {DLT_EN10MB, 4, 0, 40000, 143};
	guint8 buf[128] = {0};
	gsize n = test_pcap_frame(&flow, TRUE, 1, 1, TRACE_TCP_ACK, "x", 1, buf);
	g_assert_cmpuint(n, <, 60);
	TracePacket pkt;
	g_assert_cmpint(trace_packet_parse(DLT_EN10MB, buf, 60, &pkt, NULL), ==, TRACE_PACKET_TCP);
	g_assert_cmpuint(pkt.payload_len, ==, 1);
}

static void
test_malformed(void)
{
	TestPcapFlow flow = {DLT_RAW, 4, 0, 40000, 25};
	guint8 buf[128];
	gsize n = test_pcap_frame(&flow, TRUE, 1, 1, TRACE_TCP_ACK, "abc", 3, buf);
	TracePacket pkt;
	const char *why = NULL;

	guint8 bad_ihl[128];
	memcpy(bad_ihl, buf, n);
	bad_ihl[0] = 0x43; /* header length 12 octets */
	g_assert_cmpint(trace_packet_parse(DLT_RAW, bad_ihl, n, &pkt, &why), ==,
	                TRACE_PACKET_MALFORMED);

	guint8 bad_off[128];
	memcpy(bad_off, buf, n);
	bad_off[20 + 12] = 0x20; /* TCP data offset 8 octets */
	g_assert_cmpint(trace_packet_parse(DLT_RAW, bad_off, n, &pkt, &why), ==,
	                TRACE_PACKET_MALFORMED);

	guint8 frag[128];
	memcpy(frag, buf, n);
	frag[6] = 0x20; /* more fragments */
	g_assert_cmpint(trace_packet_parse(DLT_RAW, frag, n, &pkt, &why), ==,
	                TRACE_PACKET_FRAGMENT);

	guint8 udp[128];
	memcpy(udp, buf, n);
	udp[9] = 17;
	g_assert_cmpint(trace_packet_parse(DLT_RAW, udp, n, &pkt, &why), ==, TRACE_PACKET_OTHER);

	g_assert_cmpint(trace_packet_parse(DLT_IEEE802_11, buf, n, &pkt, &why), ==,
	                TRACE_PACKET_LINKTYPE);
	g_assert_false(trace_packet_linktype_supported(DLT_IEEE802_11));

	/* ARP over Ethernet: not IP, skipped quietly. */
	guint8 arp[42] = {[12] = 0x08, [13] = 0x06};
	g_assert_cmpint(trace_packet_parse(DLT_EN10MB, arp, sizeof arp, &pkt, &why), ==,
	                TRACE_PACKET_OTHER);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/trace-packet/linktypes", test_linktypes);
	g_test_add_func("/trace-packet/truncated-everywhere", test_truncated_everywhere);
	g_test_add_func("/trace-packet/ethernet-padding", test_ethernet_padding);
	g_test_add_func("/trace-packet/malformed", test_malformed);
	return g_test_run();
}
