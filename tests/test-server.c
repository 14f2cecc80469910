/* Tests of the shared listener over real sockets, with a small line protocol
 * defined here: greeting, ordered replies gathered per read, the connection
 * cap, the idle limit, pause/resume with a deferred reply, backpressure on a
 * client that does not read, the tap, and goodbyes at shutdown. */
#include "core/line-buffer.h"
#include "server/server.h"
#include "test-net.h"

#include <glib/gstdio.h>
#include <string.h>

typedef struct {
	ServerConn *conn;
	LineBuffer *lb;
	guint drained;
} EchoSession;

static guint sessions_freed;

static gpointer
echo_new(ServerConn *conn)
{
	EchoSession *s = g_new0(EchoSession, 1);
	s->conn = conn;
	s->lb = line_buffer_new(100);
	server_conn_printf(conn, "HELLO %s\r\n", server_conn_peer(conn));
	return s;
}

static void
echo_free(gpointer p)
{
	EchoSession *s = p;
	line_buffer_free(s->lb);
	g_free(s);
	sessions_freed++;
}

static void
late_reply(gpointer p)
{
	EchoSession *s = p;
	server_conn_printf(s->conn, "LATE\r\n");
	server_conn_resume(s->conn);
}

static void
echo_input(gpointer p, const guint8 *data, gsize len)
{
	EchoSession *s = p;
	if (data != NULL)
		line_buffer_feed(s->lb, data, len);
	const char *line;
	gsize n;
	LineBufferResult r;
	while (!server_conn_is_closing(s->conn) &&
	       (r = line_buffer_next(s->lb, &line, &n, NULL)) != LINE_BUFFER_NEED_MORE) {
		if (r == LINE_BUFFER_TOO_LONG) {
			server_conn_printf(s->conn, "TOOLONG\r\n");
			continue;
		}
		g_autofree char *cmd = g_strndup(line, n);
		if (strcmp(cmd, "QUIT") == 0) {
			server_conn_printf(s->conn, "BYE\r\n");
			server_conn_close(s->conn);
		} else if (strcmp(cmd, "SLOW") == 0) {
			server_conn_pause(s->conn);
			server_conn_defer(s->conn, 50, late_reply);
			return;
		} else if (g_str_has_prefix(cmd, "BIG ")) {
			gsize size = g_ascii_strtoull(cmd + 4, NULL, 10);
			char *blob = g_malloc(size);
			memset(blob, 'x', size);
			g_autoptr(GBytes) b = g_bytes_new_take(blob, size);
			server_conn_write_bytes(s->conn, b);
			server_conn_printf(s->conn, "\r\nEND\r\n");
		} else {
			server_conn_printf(s->conn, "ECHO %s\r\n", cmd);
		}
	}
}

static void
echo_idle(gpointer p)
{
	EchoSession *s = p;
	server_conn_printf(s->conn, "IDLE-TIMEOUT\r\n");
}

static void
echo_shutdown(gpointer p)
{
	EchoSession *s = p;
	server_conn_printf(s->conn, "SHUTDOWN\r\n");
}

static void
echo_drained(gpointer p)
{
	((EchoSession *)p)->drained++;
}

static const ServerProtocol echo_protocol = {
    .name = "echo",
    .session_new = echo_new,
    .session_free = echo_free,
    .input = echo_input,
    .idle_timeout = echo_idle,
    .shutdown = echo_shutdown,
    .drained = echo_drained,
    .too_many_connections = "BUSY",
};

typedef struct {
	char *dir;
	Store *store;
	Servers *servers;
	guint16 port;
	GString *tap;
} Fixture;

static void
record_tap(const ServerTapEvent *ev, gpointer data)
{
	GString *log = data;
	static const char *const kinds[] = {"open", "data", "close"};
	g_string_append_printf(log, "%s:%s:%" G_GSIZE_FORMAT ";", kinds[ev->kind],
	                       ev->from_client ? "c2s" : "s2c", ev->len);
}

static void
start(Fixture *f, guint max_conns, guint idle)
{
	ServerConfig config = {.max_connections = max_conns};
	config.protocols[SERVER_SMTP] = &echo_protocol;
	config.port_set[SERVER_SMTP] = TRUE;
	config.idle_timeout[SERVER_SMTP] = idle;
	g_autoptr(GError) error = NULL;
	f->servers = servers_new(f->store, &config, &error);
	g_assert_no_error(error);
	f->port = servers_get_port(f->servers, SERVER_SMTP);
	g_assert_cmpuint(f->port, >, 0);
	servers_set_tap(f->servers, record_tap, f->tap);
}

static void
setup(Fixture *f, gconstpointer data)
{
	(void)data;
	f->dir = g_dir_make_tmp("facteur-server-XXXXXX", NULL);
	f->store = store_open(f->dir, NULL, NULL);
	f->tap = g_string_new(NULL);
	sessions_freed = 0;
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	servers_free(f->servers);
	store_free(f->store);
	g_autofree char *users = g_build_filename(f->dir, "users.conf", NULL);
	g_unlink(users);
	g_rmdir(f->dir);
	g_free(f->dir);
	g_string_free(f->tap, TRUE);
}

static void
test_echo_and_order(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 0, 0);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *hello = test_client_read_line(c);
	g_assert_true(g_str_has_prefix(hello, "HELLO 127.0.0.1:"));
	/* Pipelined: three commands in one segment, answered in order. */
	test_client_send(c, "one\r\ntwo\r\nthree\r\n");
	g_autofree char *a = test_client_read_line(c);
	g_autofree char *b = test_client_read_line(c);
	g_autofree char *d = test_client_read_line(c);
	g_assert_cmpstr(a, ==, "ECHO one");
	g_assert_cmpstr(b, ==, "ECHO two");
	g_assert_cmpstr(d, ==, "ECHO three");
	/* A line split across segments. */
	test_client_send(c, "fo");
	test_run_loop_ms(20);
	test_client_send(c, "ur\r\n");
	g_autofree char *e = test_client_read_line(c);
	g_assert_cmpstr(e, ==, "ECHO four");
	/* Over-long line: one error, then the session goes on. */
	g_autofree char *lng = g_strnfill(5000, 'z');
	test_client_send(c, lng);
	test_client_send(c, "\r\nafter\r\n");
	g_autofree char *tl = test_client_read_line(c);
	g_autofree char *af = test_client_read_line(c);
	g_assert_cmpstr(tl, ==, "TOOLONG");
	g_assert_cmpstr(af, ==, "ECHO after");
	test_client_send(c, "QUIT\r\n");
	g_autofree char *bye = test_client_read_line(c);
	g_assert_cmpstr(bye, ==, "BYE");
	g_assert_true(test_client_wait_closed(c));
	test_run_loop_ms(20);
	g_assert_cmpuint(sessions_freed, ==, 1);
	g_assert_cmpuint(servers_count_connections(f->servers, SERVER_SMTP), ==, 0);
	/* The tap saw it all, in order, and the close. */
	g_assert_true(g_str_has_prefix(f->tap->str, "open:c2s:0;data:s2c:"));
	g_assert_true(g_str_has_suffix(f->tap->str, "close:s2c:0;"));
	/* The three pipelined replies left in one write. */
	g_test_message("%s", f->tap->str);
	g_assert_nonnull(strstr(f->tap->str, "data:c2s:17;data:s2c:32;"));
}

static void
test_connection_cap(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 2, 0);
	g_autoptr(TestClient) c1 = test_client_connect(f->port);
	g_autoptr(TestClient) c2 = test_client_connect(f->port);
	g_autofree char *h1 = test_client_read_line(c1);
	g_autofree char *h2 = test_client_read_line(c2);
	g_assert_nonnull(h1);
	g_assert_nonnull(h2);
	g_autoptr(TestClient) c3 = test_client_connect(f->port);
	g_autofree char *busy = test_client_read_line(c3);
	g_assert_cmpstr(busy, ==, "BUSY");
	g_assert_true(test_client_wait_closed(c3));
	/* The others are unharmed. */
	test_client_send(c1, "still\r\n");
	g_autofree char *s = test_client_read_line(c1);
	g_assert_cmpstr(s, ==, "ECHO still");
}

static void
test_idle_timeout(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 0, 1);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *hello = test_client_read_line(c);
	/* Activity postpones the limit. */
	test_run_loop_ms(600);
	test_client_send(c, "ping\r\n");
	g_autofree char *p = test_client_read_line(c);
	g_assert_cmpstr(p, ==, "ECHO ping");
	test_run_loop_ms(600);
	test_client_send(c, "ping\r\n");
	g_autofree char *p2 = test_client_read_line(c);
	g_assert_cmpstr(p2, ==, "ECHO ping");
	g_autofree char *t = test_client_read_line(c);
	g_assert_cmpstr(t, ==, "IDLE-TIMEOUT");
	g_assert_true(test_client_wait_closed(c));
}

static void
test_pause_and_defer(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 0, 0);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *hello = test_client_read_line(c);
	/* While paused, the next command waits for the deferred reply. */
	test_client_send(c, "SLOW\r\nnext\r\n");
	g_autofree char *l1 = test_client_read_line(c);
	g_autofree char *l2 = test_client_read_line(c);
	g_assert_cmpstr(l1, ==, "LATE");
	g_assert_cmpstr(l2, ==, "ECHO next");
}

static void
test_backpressure(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 0, 0);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *hello = test_client_read_line(c);
	/* 8 MB asked and not read at once: the server must not block nor lose it. */
	test_client_send(c, "BIG 8000000\r\nafter\r\n");
	test_run_loop_ms(100);
	g_autofree char *blob = test_client_read_until(c, "\r\nEND\r\n");
	g_assert_nonnull(blob);
	g_assert_cmpuint(strlen(blob), ==, 8000000 + 7);
	g_autofree char *after = test_client_read_line(c);
	g_assert_cmpstr(after, ==, "ECHO after");
}

static void
test_shutdown_goodbye(Fixture *f, gconstpointer data)
{
	(void)data;
	start(f, 0, 0);
	g_autoptr(TestClient) c = test_client_connect(f->port);
	g_autofree char *hello = test_client_read_line(c);
	test_client_send(c, "x\r\n");
	g_autofree char *x = test_client_read_line(c);
	servers_free(f->servers);
	f->servers = NULL;
	g_assert_cmpuint(sessions_freed, ==, 1);
	g_autofree char *bye = test_client_read_line(c);
	g_assert_cmpstr(bye, ==, "SHUTDOWN");
	g_assert_true(test_client_wait_closed(c));
}

static void
test_bad_listen_address(Fixture *f, gconstpointer data)
{
	(void)data;
	ServerConfig config = {.listen_addr = "not-an-address"};
	config.protocols[SERVER_SMTP] = &echo_protocol;
	g_autoptr(GError) error = NULL;
	g_assert_null(servers_new(f->store, &config, &error));
	g_assert_nonnull(error);
	g_assert_nonnull(strstr(error->message, "not-an-address"));
	/* A port already taken is named in the error. */
	start(f, 0, 0);
	ServerConfig again = {0};
	again.protocols[SERVER_SMTP] = &echo_protocol;
	again.port_set[SERVER_SMTP] = TRUE;
	again.ports[SERVER_SMTP] = f->port;
	g_autoptr(GError) e2 = NULL;
	g_assert_null(servers_new(f->store, &again, &e2));
	g_autofree char *port = g_strdup_printf("%u", f->port);
	g_assert_nonnull(strstr(e2->message, port));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
	ADD("/server/echo-and-order", test_echo_and_order);
	ADD("/server/connection-cap", test_connection_cap);
	ADD("/server/idle-timeout", test_idle_timeout);
	ADD("/server/pause-and-defer", test_pause_and_defer);
	ADD("/server/backpressure", test_backpressure);
	ADD("/server/shutdown-goodbye", test_shutdown_goodbye);
	ADD("/server/bad-listen-address", test_bad_listen_address);
	return g_test_run();
}
