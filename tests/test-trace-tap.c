/* The in-process tap (octets per connection from the glue), and the
 * loopback capture that falls back to it when libpcap is refused. */
#include "trace/trace-live.h"
#include "trace/trace-tap.h"
#include "trace/tracer.h"
#include "test-sink.h"

#include <string.h>
#include <unistd.h>

static GInetSocketAddress *
addr(const char *ip, guint16 port)
{
	return G_INET_SOCKET_ADDRESS(g_inet_socket_address_new_from_string(ip, port));
}

static void
feed(Tracer *t, guint64 id, TraceDir dir, const char *text, gint64 *now)
{
	/* In pieces of 3 octets: the tap gives whatever the socket read. */
	for (gsize i = 0, n = strlen(text); i < n; i += 3)
		trace_tap_data(t, id, NULL, NULL, dir, (const guint8 *)text + i, MIN(3, n - i),
		               (*now)++);
}

static void
test_tap_pop3(void)
{
	g_autoptr(Tracer) t = tracer_new();
	TestSink *sink = test_sink_new();
	g_autoptr(GPtrArray) events = test_sink_events(sink);
	tracer_add_sink(t, &sink->sink);
	/* An ephemeral port the tracer does not know: the greeting tells. */
	g_autoptr(GInetSocketAddress) client = addr("127.0.0.1", 41000);
	g_autoptr(GInetSocketAddress) server = addr("127.0.0.1", 39999);
	gint64 now = G_GINT64_CONSTANT(1793610000000000);
	trace_tap_open(t, 7, client, server, now++);
	feed(t, 7, TRACE_DIR_S2C, "+OK facteur ready\r\n", &now);
	feed(t, 7, TRACE_DIR_C2S, "USER alice\r\n", &now);
	feed(t, 7, TRACE_DIR_S2C, "+OK\r\n", &now);
	feed(t, 7, TRACE_DIR_C2S, "PASS secret\r\n", &now);
	feed(t, 7, TRACE_DIR_S2C, "+OK logged in\r\n", &now);
	feed(t, 7, TRACE_DIR_C2S, "DELE 2\r\n", &now);
	feed(t, 7, TRACE_DIR_S2C, "+OK marked\r\n", &now);
	feed(t, 7, TRACE_DIR_C2S, "QUIT\r\n", &now);
	feed(t, 7, TRACE_DIR_S2C, "+OK bye\r\n", &now);
	trace_tap_close(t, 7, now);

	g_autofree char *verbs = test_events_verbs(events);
	g_assert_cmpstr(verbs, ==, "USER|PASS|DELE|QUIT");
	const TraceEvent *open = test_events_find(events, TRACE_KIND_CONNECTION, "open", NULL);
	g_assert_cmpstr(open->client, ==, "127.0.0.1:41000");
	g_assert_cmpstr(open->server, ==, "127.0.0.1:39999");
	g_assert_cmpstr(open->value, ==, "tap");
	guint from = 0;
	const TraceEvent *st = test_events_find(events, TRACE_KIND_STATE, "state", &from);
	g_assert_cmpstr(st->value, ==, "TRANSACTION");
	const TraceEvent *marked = test_events_find(events, TRACE_KIND_STATE, "marked", &from);
	g_assert_cmpstr(marked->value, ==, "2");
	const TraceEvent *deleted = test_events_find(events, TRACE_KIND_STATE, "deleted", &from);
	g_assert_cmpstr(deleted->value, ==, "2");
	g_assert_nonnull(test_events_find(events, TRACE_KIND_CONNECTION, "close", NULL));
	g_assert_cmpuint(tracer_open_connections(t), ==, 0);
}

static void
test_tap_ignored_and_unclosed(void)
{
	g_autoptr(Tracer) t = tracer_new();
	TestSink *sink = test_sink_new();
	g_autoptr(GPtrArray) events = test_sink_events(sink);
	tracer_add_sink(t, &sink->sink);
	g_autoptr(GInetSocketAddress) client = addr("::1", 41001);
	g_autoptr(GInetSocketAddress) server = addr("::1", 2525);
	/* While libpcap captures, the tap is not used: no event twice. */
	tracer_set_tap_ignored(t, TRUE);
	trace_tap_data(t, 1, client, server, TRACE_DIR_S2C, (const guint8 *)"220 hi\r\n", 8, 1);
	g_assert_cmpuint(events->len, ==, 0);
	tracer_set_tap_ignored(t, FALSE);
	/* Data without trace_tap_open() opens the connection itself. */
	trace_tap_data(t, 1, client, server, TRACE_DIR_S2C, (const guint8 *)"220 hi\r\n", 8, 1);
	trace_tap_data(t, 1, NULL, NULL, TRACE_DIR_C2S, (const guint8 *)"NOOP\r\n", 6, 2);
	g_assert_cmpuint(tracer_open_connections(t), ==, 1);
	/* The end of the tracer ends what is still open. */
	tracer_finish(t, 3);
	const TraceEvent *close = test_events_find(events, TRACE_KIND_CONNECTION, "close", NULL);
	g_assert_cmpstr(close->value, ==, "end");
	g_assert_cmpstr(close->server, ==, "[::1]:2525");
	const TraceEvent *noop = test_events_nth(events, TRACE_KIND_COMMAND, 0);
	g_assert_cmpstr(noop->verb, ==, "NOOP");
	g_assert_nonnull(test_events_find(events, TRACE_KIND_NOTE, "no-reply", NULL));
}

static void
test_capture_fallback(void)
{
	if (geteuid() == 0) {
		/* Root may capture: drop to nobody in a subprocess to see the refusal. */
		if (g_test_subprocess()) {
			g_assert_cmpint(setgid(65534), ==, 0);
			g_assert_cmpint(setuid(65534), ==, 0);
		} else {
			g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
			g_test_trap_assert_passed();
			g_test_trap_assert_stdout("*TAP*setcap cap_net_raw*make setcap*");
			return;
		}
	}
	g_autoptr(Tracer) t = tracer_new();
	const TracePort ports[] = {{39001, TRACE_PROTO_SMTP, FALSE}};
	g_autoptr(TraceCapture) c = trace_capture_start_loopback(t, ports, 1);
	if (trace_capture_mode(c) == TRACE_CAPTURE_LIBPCAP) {
		/* Allowed after all (file capabilities): the tap is ignored then. */
		g_assert_true(tracer_tap_ignored(t));
		return;
	}
	g_assert_false(tracer_tap_ignored(t));
	printf("TAP %s\n", trace_capture_describe(c));
	g_autoptr(GArray) list = tracer_ports(t);
	gboolean found = FALSE;
	for (guint i = 0; i < list->len; i++)
		found |= g_array_index(list, guint16, i) == 39001;
	g_assert_true(found);
}

static void
test_capture_libpcap(void)
{
	if (geteuid() != 0) {
		g_test_skip("live capture needs root or CAP_NET_RAW");
		return;
	}
	g_autoptr(Tracer) t = tracer_new();
	const TracePort ports[] = {{39002, TRACE_PROTO_IMAP, FALSE}};
	g_autoptr(TraceCapture) c = trace_capture_start_loopback(t, ports, 1);
	g_assert_cmpint(trace_capture_mode(c), ==, TRACE_CAPTURE_LIBPCAP);
	g_assert_true(tracer_tap_ignored(t));
	g_assert_nonnull(strstr(trace_capture_describe(c), "libpcap"));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/trace-tap/pop3", test_tap_pop3);
	g_test_add_func("/trace-tap/ignored-and-unclosed", test_tap_ignored_and_unclosed);
	g_test_add_func("/trace-tap/capture-fallback", test_capture_fallback);
	g_test_add_func("/trace-tap/capture-libpcap", test_capture_libpcap);
	return g_test_run();
}
