/* See test-net.h. */
#include "test-net.h"

#include <string.h>

struct _TestClient {
	GSocket *socket;
	GByteArray *buf;
	gboolean eof;
	guint timeout_ms;
};

static gboolean
wake(gpointer data)
{
	(void)data;
	return G_SOURCE_CONTINUE;
}

/* Runs the main loop until the socket is ready or 20 ms pass: the server
 * runs meanwhile, and the test does not spin. */
static void
wait_a_little(GSocket *socket, GIOCondition cond)
{
	GSource *ready = g_socket_create_source(socket, cond | G_IO_HUP | G_IO_ERR, NULL);
	g_source_set_callback(ready, (GSourceFunc)(GCallback)wake, NULL, NULL);
	g_source_attach(ready, NULL);
	GSource *timer = g_timeout_source_new(20);
	g_source_set_callback(timer, wake, NULL, NULL);
	g_source_attach(timer, NULL);
	g_main_context_iteration(NULL, TRUE);
	g_source_destroy(ready);
	g_source_unref(ready);
	g_source_destroy(timer);
	g_source_unref(timer);
}

TestClient *
test_client_connect(guint16 port)
{
	g_autoptr(GError) error = NULL;
	TestClient *c = g_new0(TestClient, 1);
	c->socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
	g_assert_no_error(error);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, port);
	g_socket_set_blocking(c->socket, FALSE);
	if (!g_socket_connect(c->socket, addr, NULL, &error)) {
		g_assert_true(g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PENDING));
		g_clear_error(&error);
		gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
		while (g_socket_condition_check(c->socket, G_IO_OUT) == 0 &&
		       g_get_monotonic_time() < end)
			wait_a_little(c->socket, G_IO_OUT);
		g_assert_true(g_socket_check_connect_result(c->socket, &error));
	}
	c->buf = g_byte_array_new();
	c->timeout_ms = 10000;
	return c;
}

void
test_client_free(TestClient *c)
{
	if (c == NULL)
		return;
	g_socket_close(c->socket, NULL);
	g_object_unref(c->socket);
	g_byte_array_unref(c->buf);
	g_free(c);
}

void
test_client_set_timeout(TestClient *c, guint ms)
{
	c->timeout_ms = ms;
}

guint16
test_client_local_port(TestClient *c)
{
	g_autoptr(GSocketAddress) a = g_socket_get_local_address(c->socket, NULL);
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(a));
}

void
test_client_send_bytes(TestClient *c, const void *data, gsize len)
{
	const char *p = data;
	gint64 end = g_get_monotonic_time() + (gint64)c->timeout_ms * 1000;
	while (len > 0 && g_get_monotonic_time() < end) {
		g_autoptr(GError) error = NULL;
		gssize n = g_socket_send(c->socket, p, len, NULL, &error);
		if (n < 0) {
			if (!g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
				return; /* the server closed: the test's reads will say so */
			wait_a_little(c->socket, G_IO_OUT);
			continue;
		}
		p += n;
		len -= (gsize)n;
	}
}

void
test_client_send(TestClient *c, const char *text)
{
	test_client_send_bytes(c, text, strlen(text));
}

/* Reads what is there; returns FALSE at end of stream. */
static gboolean
pump(TestClient *c)
{
	char tmp[65536];
	g_autoptr(GError) error = NULL;
	gssize n = g_socket_receive(c->socket, tmp, sizeof tmp, NULL, &error);
	if (n > 0) {
		g_byte_array_append(c->buf, (guint8 *)tmp, (guint)n);
		return TRUE;
	}
	if (n == 0 || !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
		c->eof = TRUE;
		return FALSE;
	}
	wait_a_little(c->socket, G_IO_IN);
	return TRUE;
}

char *
test_client_read_until(TestClient *c, const char *marker)
{
	gsize mlen = strlen(marker);
	gint64 end = g_get_monotonic_time() + (gint64)c->timeout_ms * 1000;
	for (;;) {
		if (c->buf->len >= mlen) {
			const guint8 *hit = memmem(c->buf->data, c->buf->len, marker, mlen);
			if (hit != NULL) {
				gsize n = (gsize)(hit - c->buf->data) + mlen;
				char *out = g_strndup((char *)c->buf->data, n);
				g_byte_array_remove_range(c->buf, 0, (guint)n);
				return out;
			}
		}
		if (c->eof || g_get_monotonic_time() > end)
			return NULL;
		if (!pump(c) && c->buf->len < mlen)
			return NULL;
	}
}

char *
test_client_read_line(TestClient *c)
{
	char *line = test_client_read_until(c, "\r\n");
	if (line != NULL)
		line[strlen(line) - 2] = '\0';
	return line;
}

gboolean
test_client_wait_closed(TestClient *c)
{
	gint64 end = g_get_monotonic_time() + (gint64)c->timeout_ms * 1000;
	while (!c->eof && g_get_monotonic_time() < end) {
		pump(c);
		g_byte_array_set_size(c->buf, 0);
	}
	return c->eof;
}

void
test_run_loop_ms(guint ms)
{
	gint64 end = g_get_monotonic_time() + (gint64)ms * 1000;
	while (g_get_monotonic_time() < end) {
		GSource *timer = g_timeout_source_new(5);
		g_source_set_callback(timer, wake, NULL, NULL);
		g_source_attach(timer, NULL);
		g_main_context_iteration(NULL, TRUE);
		g_source_destroy(timer);
		g_source_unref(timer);
	}
}
