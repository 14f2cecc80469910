/* TCP reassembly: the reassembler alone (segments reordered, duplicated,
 * overlapping, missing, sequence numbers wrapping), then whole captures
 * written with the test-pcap helper and decoded by the tracer. */
#include "trace/trace-pcap.h"
#include "trace/trace-reasm.h"
#include "trace/tracer.h"
#include "test-pcap.h"
#include "test-sink.h"

#include <glib/gstdio.h>
#include <pcap/dlt.h>
#include <string.h>

/* --- The reassembler alone --- */

typedef struct {
	GString *out; /* data, with each gap written as "<gap N>" */
} Collect;

static void
on_data(gpointer user_data, const guint8 *data, gsize len)
{
	Collect *c = user_data;
	g_string_append_len(c->out, (const char *)data, (gssize)len);
}

static void
on_gap(gpointer user_data, guint64 len)
{
	Collect *c = user_data;
	g_string_append_printf(c->out, "<gap %" G_GUINT64_FORMAT ">", len);
}

static const TraceReasmFuncs funcs = {on_data, on_gap};

typedef struct {
	Collect c;
	TraceReasm *r;
} Fixture;

static void
setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->c.out = g_string_new(NULL);
	f->r = trace_reasm_new(&funcs, &f->c, 16);
	trace_reasm_syn(f->r, 999); /* data starts at 1000 */
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	trace_reasm_free(f->r);
	g_string_free(f->c.out, TRUE);
}

static TraceReasmResult
seg(Fixture *f, guint32 seq, const char *text)
{
	return trace_reasm_segment(f->r, seq, (const guint8 *)text, strlen(text));
}

static void
test_in_order(Fixture *f, gconstpointer data)
{
	(void)data;
	g_assert_cmpint(seg(f, 1000, "HELO "), ==, TRACE_REASM_IN_ORDER);
	g_assert_cmpint(seg(f, 1005, "x\r\n"), ==, TRACE_REASM_IN_ORDER);
	g_assert_cmpint(trace_reasm_segment(f->r, 1008, NULL, 0), ==, TRACE_REASM_EMPTY);
	g_assert_cmpstr(f->c.out->str, ==, "HELO x\r\n");
}

static void
test_reordered(Fixture *f, gconstpointer data)
{
	(void)data;
	g_assert_cmpint(seg(f, 1006, "ghi"), ==, TRACE_REASM_OUT_OF_ORDER);
	g_assert_cmpint(seg(f, 1003, "def"), ==, TRACE_REASM_OUT_OF_ORDER);
	g_assert_cmpstr(f->c.out->str, ==, "");
	g_assert_cmpuint(trace_reasm_buffered(f->r), ==, 6);
	g_assert_cmpint(seg(f, 1000, "abc"), ==, TRACE_REASM_IN_ORDER);
	g_assert_cmpstr(f->c.out->str, ==, "abcdefghi");
	g_assert_cmpuint(trace_reasm_buffered(f->r), ==, 0);
}

static void
test_duplicated(Fixture *f, gconstpointer data)
{
	(void)data;
	seg(f, 1000, "abc");
	g_assert_cmpint(seg(f, 1000, "abc"), ==, TRACE_REASM_RETRANSMITTED);
	/* A duplicate of an out-of-order segment is kept once. */
	seg(f, 1006, "ghi");
	seg(f, 1006, "ghi");
	g_assert_cmpuint(trace_reasm_buffered(f->r), ==, 3);
	seg(f, 1003, "def");
	g_assert_cmpstr(f->c.out->str, ==, "abcdefghi");
}

static void
test_overlap(Fixture *f, gconstpointer data)
{
	(void)data;
	seg(f, 1000, "abcdef");
	g_assert_cmpint(seg(f, 1003, "defGHI"), ==, TRACE_REASM_OVERLAP);
	/* Out-of-order segments that overlap each other. */
	seg(f, 1014, "opq");
	seg(f, 1012, "mnop");
	seg(f, 1009, "jkl");
	g_assert_cmpstr(f->c.out->str, ==, "abcdefGHIjklmnopq");
}

static void
test_missing(Fixture *f, gconstpointer data)
{
	(void)data;
	seg(f, 1000, "abc");
	seg(f, 1006, "ghi");
	trace_reasm_flush(f->r);
	g_assert_cmpstr(f->c.out->str, ==, "abc<gap 3>ghi");
}

static void
test_ack_declares_gap(Fixture *f, gconstpointer data)
{
	(void)data;
	seg(f, 1000, "abc");
	/* The receiver acknowledged octets the capture never saw. */
	trace_reasm_ack(f->r, 1010);
	g_assert_cmpstr(f->c.out->str, ==, "abc<gap 7>");
	g_assert_cmpint(seg(f, 1005, "late"), ==, TRACE_REASM_RETRANSMITTED);
	seg(f, 1010, "k");
	g_assert_cmpstr(f->c.out->str, ==, "abc<gap 7>k");
}

static void
test_fin(Fixture *f, gconstpointer data)
{
	(void)data;
	seg(f, 1003, "def");
	trace_reasm_fin(f->r, 1006);
	g_assert_false(trace_reasm_finished(f->r));
	/* The ACK of the FIN counts one sequence number for it, not a gap after. */
	seg(f, 1000, "abc");
	trace_reasm_ack(f->r, 1007);
	g_assert_true(trace_reasm_finished(f->r));
	g_assert_cmpstr(f->c.out->str, ==, "abcdef");
}

static void
test_bounded(Fixture *f, gconstpointer data)
{
	(void)data;
	/* max_buffered is 16: past it, the hole is given up as a gap. */
	seg(f, 1010, "0123456789");
	g_assert_cmpstr(f->c.out->str, ==, "");
	seg(f, 1020, "abcdefghij");
	g_assert_cmpstr(f->c.out->str, ==, "<gap 10>0123456789abcdefghij");
	g_assert_cmpuint(trace_reasm_buffered(f->r), ==, 0);
}

static void
test_wraparound(void)
{
	Collect c = {g_string_new(NULL)};
	TraceReasm *r = trace_reasm_new(&funcs, &c, 1024);
	trace_reasm_syn(r, 0xfffffffa); /* data starts at 0xfffffffb */
	trace_reasm_segment(r, 0x00000002, (const guint8 *)"wrap", 4);
	trace_reasm_segment(r, 0xfffffffb, (const guint8 *)"before", 6);
	trace_reasm_segment(r, 0x00000001, (const guint8 *)"!w", 2);
	g_assert_cmpstr(c.out->str, ==, "before!wrap");
	trace_reasm_free(r);
	g_string_free(c.out, TRUE);
}

/* --- Whole captures --- */

static char *
tmp_path(const char *name)
{
	g_autofree char *base = g_strdup_printf("facteur-test-%d-%s", (int)getpid(), name);
	return g_build_filename(g_get_tmp_dir(), base, NULL);
}

static GPtrArray *
decode(const char *path, const char *port_spec)
{
	g_autoptr(Tracer) tracer = tracer_new();
	if (port_spec != NULL)
		g_assert_true(tracer_parse_port(tracer, port_spec, NULL));
	TestSink *sink = test_sink_new();
	GPtrArray *events = test_sink_events(sink);
	tracer_add_sink(tracer, &sink->sink);
	g_autoptr(GError) error = NULL;
	g_assert_true(trace_pcap_read_file(tracer, path, &error));
	g_assert_no_error(error);
	return events;
}

static const char *const smtp_client[] = {
    "EHLO client.example.org\r\n",
    "MAIL FROM:<bob@example.org>\r\n",
    "RCPT TO:<alice@example.org>\r\n",
    "QUIT\r\n",
};
static const char *const smtp_server[] = {
    "220 mail.example.org ESMTP\r\n",
    "250-mail.example.org\r\n250 PIPELINING\r\n",
    "250 2.1.0 Ok\r\n",
    "250 2.1.5 Ok\r\n",
    "221 2.0.0 Bye\r\n",
};

static void
write_smtp(const TestPcapFlow *flow, const char *path)
{
	TestPcap *p = test_pcap_new(path, flow);
	TestConv c;
	test_conv_open(&c, p);
	test_conv_send(&c, FALSE, smtp_server[0]);
	for (gsize i = 0; i < G_N_ELEMENTS(smtp_client); i++) {
		test_conv_send(&c, TRUE, smtp_client[i]);
		test_conv_send(&c, FALSE, smtp_server[i + 1]);
	}
	test_conv_close(&c);
	test_pcap_close(p);
}

static void
check_smtp(GPtrArray *events)
{
	g_autofree char *verbs = test_events_verbs(events);
	g_autofree char *statuses = test_events_statuses(events);
	g_assert_cmpstr(verbs, ==, "EHLO|MAIL|RCPT|QUIT");
	g_assert_cmpstr(statuses, ==, "220|250|250|250|250|221");
	/* Every reply line after the greeting is paired with its command. */
	const TraceEvent *rcpt = test_events_nth(events, TRACE_KIND_COMMAND, 2);
	const TraceEvent *reply = test_events_nth(events, TRACE_KIND_REPLY, 4);
	g_assert_cmpuint(reply->pair, ==, rcpt->id);
	g_assert_cmpstr(reply->enhanced, ==, "2.1.5");
	const TraceEvent *close = test_events_find(events, TRACE_KIND_CONNECTION, "close", NULL);
	g_assert_nonnull(close);
	g_assert_cmpstr(close->value, ==, "FIN");
}

static void
test_capture_linktypes(void)
{
	static const TestPcapFlow flows[] = {
	    {DLT_EN10MB, 4, 0, 40346, 25},     {DLT_EN10MB, 6, 0, 40346, 25},
	    {DLT_EN10MB, 4, 100, 40346, 25},   {DLT_LINUX_SLL, 4, 0, 40346, 25},
	    {DLT_LINUX_SLL2, 6, 0, 40346, 25}, {DLT_NULL, 4, 0, 40346, 25},
	    {DLT_NULL, 6, 0, 40346, 25},       {DLT_LOOP, 4, 0, 40346, 25},
	    {DLT_RAW, 4, 0, 40346, 25},        {DLT_RAW, 6, 0, 40346, 2525},
	};
	g_autofree char *path = tmp_path("linktypes.pcap");
	for (gsize i = 0; i < G_N_ELEMENTS(flows); i++) {
		write_smtp(&flows[i], path);
		g_autoptr(GPtrArray) events = decode(path, NULL);
		check_smtp(events);
		const TraceEvent *open =
		    test_events_find(events, TRACE_KIND_CONNECTION, "open", NULL);
		g_assert_cmpstr(open->client, ==,
		                flows[i].family == 4 ? "127.0.0.1:40346" : "[::1]:40346");
		g_assert_cmpint(open->proto, ==, TRACE_PROTO_SMTP);
	}
	g_unlink(path);
}

/* The same conversation, its segments cut in pieces and written in a bad order. */
static void
test_capture_disorder(void)
{
	TestPcapFlow flow = {DLT_EN10MB, 4, 0, 40346, 25};
	g_autofree char *path = tmp_path("disorder.pcap");
	TestPcap *p = test_pcap_new(path, &flow);
	TestConv c;
	test_conv_open(&c, p);
	test_conv_send(&c, FALSE, smtp_server[0]);
	gint64 ts = c.ts;
	/* "EHLO client.example.org\r\n" in three pieces: third, first, first again, second. */
	const char *ehlo = smtp_client[0];
	guint32 s = c.seq[0];
	test_pcap_segment(p, ts++, TRUE, s + 10, c.seq[1], 0x18, ehlo + 10, strlen(ehlo) - 10);
	test_pcap_segment(p, ts++, TRUE, s, c.seq[1], 0x18, ehlo, 5);
	test_pcap_segment(p, ts++, TRUE, s, c.seq[1], 0x18, ehlo, 5);
	test_pcap_segment(p, ts++, TRUE, s + 3, c.seq[1], 0x18, ehlo + 3, 7); /* overlaps */
	c.seq[0] += (guint32)strlen(ehlo);
	c.ts = ts;
	test_conv_send(&c, FALSE, smtp_server[1]);
	for (gsize i = 1; i < G_N_ELEMENTS(smtp_client); i++) {
		test_conv_send(&c, TRUE, smtp_client[i]);
		test_conv_send(&c, FALSE, smtp_server[i + 1]);
	}
	test_conv_close(&c);
	test_pcap_close(p);

	g_autoptr(GPtrArray) events = decode(path, NULL);
	check_smtp(events);
	g_assert_null(test_events_find(events, TRACE_KIND_NOTE, "gap", NULL));
	g_unlink(path);
}

/* A lost segment: a gap note, and decoding resumes at the next whole line. */
static void
test_capture_missing(void)
{
	TestPcapFlow flow = {DLT_EN10MB, 4, 0, 40346, 25};
	g_autofree char *path = tmp_path("missing.pcap");
	TestPcap *p = test_pcap_new(path, &flow);
	TestConv c;
	test_conv_open(&c, p);
	test_conv_send(&c, FALSE, smtp_server[0]);
	test_conv_send(&c, TRUE, smtp_client[0]);
	test_conv_send(&c, FALSE, smtp_server[1]);
	/* "MAIL FROM:<bob@example.org>\r\nRCPT TO:<alice@example.org>\r\n" in two
	 * segments cut mid-line; the first is never captured. */
	g_autofree char *both = g_strconcat(smtp_client[1], smtp_client[2], NULL);
	gsize cut = 12;
	test_pcap_segment(p, c.ts++, TRUE, c.seq[0] + (guint32)cut, c.seq[1], 0x18, both + cut,
	                  strlen(both) - cut);
	c.seq[0] += (guint32)strlen(both);
	test_pcap_segment(p, c.ts++, FALSE, c.seq[1], c.seq[0], 0x10, NULL, 0);
	test_conv_send(&c, FALSE, "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
	test_conv_send(&c, TRUE, smtp_client[3]);
	test_conv_send(&c, FALSE, smtp_server[4]);
	test_conv_close(&c);
	test_pcap_close(p);

	g_autoptr(GPtrArray) events = decode(path, NULL);
	const TraceEvent *gap = test_events_find(events, TRACE_KIND_NOTE, "gap", NULL);
	g_assert_nonnull(gap);
	g_assert_cmpint(gap->size, ==, (gint64)cut);
	g_assert_cmpint(gap->dir, ==, TRACE_DIR_C2S);
	/* The segment after the gap starts mid-line ("m:<bob…"): dropped up to
	 * its line end; RCPT is whole and decoded. */
	g_autofree char *verbs = test_events_verbs(events);
	g_assert_cmpstr(verbs, ==, "EHLO|RCPT|QUIT");
	g_unlink(path);
}

/* The server's greeting never captured (a live capture that dropped it):
 * the client's next command acknowledges it, so it is a gap, and the reply
 * to that command is not taken for the greeting. */
static void
test_capture_lost_greeting(void)
{
	const struct {
		guint16 port;
		const char *greeting, *command, *reply;
	} cases[] = {
	    {110, "+OK ready <1.2@example.org>\r\n", "USER bob\r\n", "+OK\r\n"},
	    {25, "220 mail.example.org ESMTP\r\n", "EHLO c.example.org\r\n", "250 ok\r\n"},
	    {143, "* OK ready\r\n", "a1 CAPABILITY\r\n", "* CAPABILITY IMAP4rev1\r\na1 OK\r\n"},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		TestPcapFlow flow = {DLT_EN10MB, 4, 0, 40346, cases[i].port};
		g_autofree char *path = tmp_path("lost-greeting.pcap");
		TestPcap *p = test_pcap_new(path, &flow);
		TestConv c;
		test_conv_open(&c, p);
		c.seq[1] += (guint32)strlen(cases[i].greeting); /* sent, not captured */
		test_conv_send(&c, TRUE, cases[i].command);
		test_conv_send(&c, FALSE, cases[i].reply);
		test_conv_close(&c);
		test_pcap_close(p);

		g_autoptr(GPtrArray) events = decode(path, NULL);
		const TraceEvent *gap = test_events_find(events, TRACE_KIND_NOTE, "gap", NULL);
		g_assert_nonnull(gap);
		g_assert_cmpint(gap->dir, ==, TRACE_DIR_S2C);
		g_assert_cmpint(gap->size, ==, (gint64)strlen(cases[i].greeting));
		for (guint e = 0; e < events->len; e++) {
			const TraceEvent *ev = events->pdata[e];
			for (guint x = 0; x < ev->n_explain; x++)
				g_assert_null(strstr(ev->explain[x].text, "greeting"));
		}
		g_unlink(path);
	}
}

/* Frames cut by the snap length: the missing octets are a gap. */
static void
test_capture_snaplen(void)
{
	TestPcapFlow flow = {DLT_EN10MB, 4, 0, 40346, 110};
	g_autofree char *path = tmp_path("snaplen.pcap");
	TestPcap *p = test_pcap_new(path, &flow);
	TestConv c;
	test_conv_open(&c, p);
	test_conv_send(&c, FALSE, "+OK ready\r\n");
	const char *cmd = "USER a-rather-long-user-name\r\nSTAT\r\n";
	guint8 frame[256];
	gsize n = test_pcap_frame(&flow, TRUE, c.seq[0], c.seq[1], 0x18, cmd, strlen(cmd), frame);
	test_pcap_frame_raw(p, c.ts++, frame, n - 10, n);
	c.seq[0] += (guint32)strlen(cmd);
	test_conv_send(&c, FALSE, "+OK\r\n");
	test_conv_send(&c, TRUE, "QUIT\r\n");
	test_conv_send(&c, FALSE, "+OK bye\r\n");
	test_conv_close(&c);
	test_pcap_close(p);

	g_autoptr(GPtrArray) events = decode(path, NULL);
	g_assert_nonnull(test_events_find(events, TRACE_KIND_NOTE, "truncated-packet", NULL));
	const TraceEvent *gap = test_events_find(events, TRACE_KIND_NOTE, "gap", NULL);
	g_assert_nonnull(gap);
	g_assert_cmpint(gap->size, ==, 10);
	/* USER is cut, STAT lost; the next segment starts a line again. */
	g_autofree char *verbs = test_events_verbs(events);
	g_assert_cmpstr(verbs, ==, "QUIT");
	g_unlink(path);
}

/* No handshake captured, and a port nobody knows: the server's first line decides. */
static void
test_capture_sniff_and_midstream(void)
{
	TestPcapFlow flow = {DLT_RAW, 4, 0, 51000, 7143};
	g_autofree char *path = tmp_path("sniff.pcap");
	TestPcap *p = test_pcap_new(path, &flow);
	TestConv c;
	test_conv_open(&c, p);
	test_conv_send(&c, FALSE, "* OK IMAP ready\r\n");
	test_conv_send(&c, TRUE, "a1 NOOP\r\n");
	test_conv_send(&c, FALSE, "a1 OK done\r\n");
	test_conv_close(&c);
	test_pcap_close(p);

	g_autoptr(GPtrArray) events = decode(path, NULL);
	const TraceEvent *rec = test_events_find(events, TRACE_KIND_STATE, "recognised", NULL);
	g_assert_nonnull(rec);
	g_assert_cmpstr(rec->value, ==, "imap");
	const TraceEvent *reply = test_events_nth(events, TRACE_KIND_REPLY, 0);
	g_assert_cmpstr(reply->tag, ==, "a1");
	g_assert_cmpstr(reply->status, ==, "OK");
	g_clear_pointer(&events, g_ptr_array_unref);

	/* --port says it before the first line does. */
	events = decode(path, "imap=7143");
	g_assert_null(test_events_find(events, TRACE_KIND_STATE, "recognised", NULL));
	g_assert_cmpint(test_events_nth(events, TRACE_KIND_COMMAND, 0)->proto, ==,
	                TRACE_PROTO_IMAP);
	g_clear_pointer(&events, g_ptr_array_unref);

	/* A capture that starts after the handshake, in the middle of a line. */
	p = test_pcap_new(path, &flow);
	test_pcap_segment(p, 1000, TRUE, 77, 99, 0x18, "OOP\r\na2 NOOP\r\n", 14);
	test_pcap_segment(p, 2000, FALSE, 99, 91, 0x18, "a2 OK done\r\n", 12);
	test_pcap_close(p);
	events = decode(path, "imap=7143");
	g_assert_nonnull(test_events_find(events, TRACE_KIND_NOTE, "mid-stream", NULL));
	const TraceEvent *cmd = test_events_nth(events, TRACE_KIND_COMMAND, 0);
	g_assert_cmpstr(cmd->tag, ==, "a2");
	g_assert_cmpuint(test_events_nth(events, TRACE_KIND_REPLY, 0)->pair, ==, cmd->id);
	g_unlink(path);
}

/* Connections never closed are ended after an idle time or beyond the
 * limit, so memory stays bounded. */
static void
test_capture_idle_and_limit(void)
{
	TestPcapFlow flow = {DLT_RAW, 4, 0, 40000, 110};
	g_autofree char *path = tmp_path("idle.pcap");
	TestPcap *p = test_pcap_new(path, &flow);
	/* Three connections that never end, one hour apart. */
	for (int i = 0; i < 3; i++) {
		TestPcapFlow f = flow;
		f.client_port = (guint16)(40000 + i);
		guint8 frame[256];
		gint64 ts = (gint64)i * 3600 * G_USEC_PER_SEC;
		gsize n = test_pcap_frame(&f, TRUE, 1, 0, 0x02, NULL, 0, frame);
		test_pcap_frame_raw(p, ts, frame, n, n);
		n = test_pcap_frame(&f, FALSE, 9, 2, 0x12, NULL, 0, frame);
		test_pcap_frame_raw(p, ts + 1, frame, n, n);
		n = test_pcap_frame(&f, FALSE, 10, 2, 0x18, "+OK\r\n", 5, frame);
		test_pcap_frame_raw(p, ts + 2, frame, n, n);
	}
	test_pcap_close(p);

	g_autoptr(Tracer) tracer = tracer_new();
	TestSink *sink = test_sink_new();
	g_autoptr(GPtrArray) events = test_sink_events(sink);
	tracer_add_sink(tracer, &sink->sink);
	g_assert_true(trace_pcap_read_file(tracer, path, NULL));
	guint from = 0;
	const TraceEvent *close1 = test_events_find(events, TRACE_KIND_CONNECTION, "close", &from);
	g_assert_cmpstr(close1->value, ==, "idle");
	g_assert_cmpuint(close1->conn, ==, 1);
	const TraceEvent *close2 = test_events_find(events, TRACE_KIND_CONNECTION, "close", &from);
	g_assert_cmpstr(close2->value, ==, "idle");
	const TraceEvent *close3 = test_events_find(events, TRACE_KIND_CONNECTION, "close", &from);
	g_assert_cmpstr(close3->value, ==, "end");
	g_assert_cmpuint(tracer_open_connections(tracer), ==, 0);
	g_assert_cmpuint(tracer_count_connections(tracer), ==, 3);
	g_clear_pointer(&tracer, tracer_free);

	tracer = tracer_new();
	tracer_limits(tracer)->max_connections = 2;
	sink = test_sink_new();
	g_ptr_array_unref(events);
	events = test_sink_events(sink);
	tracer_add_sink(tracer, &sink->sink);
	tracer_limits(tracer)->idle_timeout_s = 100000;
	g_assert_true(trace_pcap_read_file(tracer, path, NULL));
	from = 0;
	close1 = test_events_find(events, TRACE_KIND_CONNECTION, "close", &from);
	g_assert_cmpstr(close1->value, ==, "limit");
	g_unlink(path);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/trace-reasm/in-order", Fixture, NULL, setup, test_in_order, teardown);
	g_test_add("/trace-reasm/reordered", Fixture, NULL, setup, test_reordered, teardown);
	g_test_add("/trace-reasm/duplicated", Fixture, NULL, setup, test_duplicated, teardown);
	g_test_add("/trace-reasm/overlap", Fixture, NULL, setup, test_overlap, teardown);
	g_test_add("/trace-reasm/missing", Fixture, NULL, setup, test_missing, teardown);
	g_test_add("/trace-reasm/ack-declares-gap", Fixture, NULL, setup, test_ack_declares_gap,
	           teardown);
	g_test_add("/trace-reasm/fin", Fixture, NULL, setup, test_fin, teardown);
	g_test_add("/trace-reasm/bounded", Fixture, NULL, setup, test_bounded, teardown);
	g_test_add_func("/trace-reasm/wraparound", test_wraparound);
	g_test_add_func("/trace-reasm/capture/linktypes", test_capture_linktypes);
	g_test_add_func("/trace-reasm/capture/disorder", test_capture_disorder);
	g_test_add_func("/trace-reasm/capture/missing", test_capture_missing);
	g_test_add_func("/trace-reasm/capture/lost-greeting", test_capture_lost_greeting);
	g_test_add_func("/trace-reasm/capture/snaplen", test_capture_snaplen);
	g_test_add_func("/trace-reasm/capture/sniff-midstream", test_capture_sniff_and_midstream);
	g_test_add_func("/trace-reasm/capture/idle-and-limit", test_capture_idle_and_limit);
	return g_test_run();
}
