/* A test helper that writes small captures with libpcap's pcap_dump: TCP
 * segments between one client and one server, over any link type the
 * tracer reads, so that reassembly and link layers are tested on real files. */
#pragma once

#include <glib.h>

typedef struct {
	int linktype; /* DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL, DLT_LOOP, DLT_RAW */
	int family;   /* 4 or 6 */
	guint16 vlan; /* Ethernet only: an 802.1Q tag when not 0 */
	guint16 client_port;
	guint16 server_port;
} TestPcapFlow;

/* Builds one frame into buf (at least 128 + len octets); returns its length. */
gsize test_pcap_frame(const TestPcapFlow *flow, gboolean from_client, guint32 seq, guint32 ack,
                      guint8 flags, const void *payload, gsize len, guint8 *buf);

typedef struct _TestPcap TestPcap;

/* Opens path for writing (snap length 65535). Asserts on failure. */
TestPcap *test_pcap_new(const char *path, const TestPcapFlow *flow);
/* Writes one TCP segment at time ts_us. */
void test_pcap_segment(TestPcap *p, gint64 ts_us, gboolean from_client, guint32 seq, guint32 ack,
                       guint8 flags, const void *payload, gsize len);
/* Writes a frame given whole (caplen may be cut below the frame's length). */
void test_pcap_frame_raw(TestPcap *p, gint64 ts_us, const guint8 *frame, gsize caplen,
                         gsize wire_len);
void test_pcap_close(TestPcap *p);

/* A whole conversation with sequence numbers kept for you: */
typedef struct {
	TestPcap *pcap;
	guint32 seq[2]; /* next sequence number: [0] client, [1] server */
	gint64 ts;
} TestConv;

/* Three-way handshake (client ISN 1000, server ISN 5000). */
void test_conv_open(TestConv *c, TestPcap *p);
/* Data from one side (PSH ACK), then an ACK from the other. */
void test_conv_send(TestConv *c, gboolean from_client, const char *text);
/* FIN from both sides. */
void test_conv_close(TestConv *c);
