/* The shared listener: accepts connections for each protocol, reads without
 * blocking, queues output and writes it as the socket allows, enforces the
 * connection cap and the idle limit, and reports every octet to the tap. */
#include "server/server.h"

#include "core/facteur-i18n.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#define READ_CHUNK       65536
#define OUTPUT_HIGH_MARK SERVER_OUTPUT_HIGH_MARK
#define OUTPUT_LOW_MARK  SERVER_OUTPUT_LOW_MARK

typedef struct {
	ServerConn *conn;
	void (*func)(gpointer session);
	guint source;
} Deferred;

struct _ServerConn {
	Servers *servers;
	ServerProto proto;
	const ServerProtocol *protocol;
	gpointer session;
	guint64 id;
	char *peer;
	GSocketConnection *connection;
	GSocket *socket;
	GInetSocketAddress *client;
	GInetSocketAddress *local;
	GSource *in_source;
	GSource *out_source;
	GQueue out;        /* GBytes */
	GByteArray *small; /* small writes gathered into one buffer, then queued */
	gsize out_offset;  /* octets of the head already written */
	gsize out_pending;
	guint idle_seconds;
	gint64 last_activity; /* monotonic µs */
	guint idle_source;
	GList *deferred;   /* Deferred */
	guint in_callback; /* > 0 while the session runs: output is flushed after */
	gboolean paused;
	gboolean throttled; /* input stopped until the output drains */
	gboolean closing;   /* close once the output is flushed */
	gboolean dead;      /* socket gone; waiting to be freed */
	gboolean released;  /* session freed and close reported */
	guint reap_source;
};

struct _Servers {
	Store *store;
	ServerConfig config;
	char *listen_addr;
	char *hostname;
	char *domain;
	GSocketService *service[SERVER_N_PROTOCOLS];
	guint16 port[SERVER_N_PROTOCOLS];
	GList *conns[SERVER_N_PROTOCOLS];
	guint n_conns[SERVER_N_PROTOCOLS];
	GList *dying; /* closed connections waiting to be freed from the loop */
	ServerTapFunc tap;
	gpointer tap_data;
	guint64 next_id;
	gboolean stopping;
};

static const guint16 default_ports[SERVER_N_PROTOCOLS] = {
    [SERVER_SMTP] = SERVER_DEFAULT_SMTP_PORT,
    [SERVER_POP3] = SERVER_DEFAULT_POP3_PORT,
    [SERVER_IMAP] = SERVER_DEFAULT_IMAP_PORT,
};

static const guint default_timeouts[SERVER_N_PROTOCOLS] = {
    [SERVER_SMTP] = SERVER_DEFAULT_SMTP_TIMEOUT,
    [SERVER_POP3] = SERVER_DEFAULT_POP3_TIMEOUT,
    [SERVER_IMAP] = SERVER_DEFAULT_IMAP_TIMEOUT,
};

static void conn_flush(ServerConn *conn);
static void conn_update_input(ServerConn *conn);
static void conn_die(ServerConn *conn);

/* --- the tap --- */

static void
tap(ServerConn *conn, ServerTapKind kind, gboolean from_client, const void *data, gsize len)
{
	Servers *s = conn->servers;
	if (s->tap == NULL || conn->client == NULL || conn->local == NULL)
		return;
	ServerTapEvent ev = {
	    .kind = kind,
	    .proto = conn->proto,
	    .conn_id = conn->id,
	    .from_client = from_client,
	    .client = conn->client,
	    .server = conn->local,
	    .data = data,
	    .len = len,
	    .time_us = g_get_real_time(),
	};
	s->tap(&ev, s->tap_data);
}

/* --- freeing --- */

/* Frees the session and reports the close to the tap, once. The close is
 * reported after the session has let go of everything (a POP3 lock), so that
 * whoever waits for it may count on it. */
static void
release_session(ServerConn *conn)
{
	if (conn->released)
		return;
	conn->released = TRUE;
	if (conn->session != NULL)
		conn->protocol->session_free(conn->session);
	conn->session = NULL;
	tap(conn, SERVER_TAP_CLOSE, FALSE, NULL, 0);
}

static void
conn_free(ServerConn *conn)
{
	for (GList *l = conn->deferred; l != NULL; l = l->next) {
		Deferred *d = l->data;
		g_source_remove(d->source);
		g_free(d);
	}
	g_list_free(conn->deferred);
	release_session(conn);
	g_queue_clear_full(&conn->out, (GDestroyNotify)g_bytes_unref);
	if (conn->small != NULL)
		g_byte_array_unref(conn->small);
	g_clear_object(&conn->client);
	g_clear_object(&conn->local);
	g_clear_object(&conn->connection);
	g_free(conn->peer);
	g_free(conn);
}

static gboolean
conn_reap(gpointer data)
{
	ServerConn *conn = data;
	conn->servers->dying = g_list_remove(conn->servers->dying, conn);
	conn_free(conn);
	return G_SOURCE_REMOVE;
}

/* The socket is closed now; the session is freed from the main loop, never in
 * the middle of one of its own callbacks. */
static void
conn_die(ServerConn *conn)
{
	if (conn->dead)
		return;
	conn->dead = TRUE;
	if (conn->in_source != NULL) {
		g_source_destroy(conn->in_source);
		g_clear_pointer(&conn->in_source, g_source_unref);
	}
	if (conn->out_source != NULL) {
		g_source_destroy(conn->out_source);
		g_clear_pointer(&conn->out_source, g_source_unref);
	}
	if (conn->idle_source != 0) {
		g_source_remove(conn->idle_source);
		conn->idle_source = 0;
	}
	g_socket_shutdown(conn->socket, TRUE, TRUE, NULL);
	g_io_stream_close(G_IO_STREAM(conn->connection), NULL, NULL);
	Servers *s = conn->servers;
	s->conns[conn->proto] = g_list_remove(s->conns[conn->proto], conn);
	s->n_conns[conn->proto]--;
	s->dying = g_list_prepend(s->dying, conn);
	/* Never freed in the middle of a callback that may still use the session
	 * (its own, or a store notification); but first thing in the next round of
	 * the loop, before any socket is read, so the close is reported in the
	 * order it happened. */
	conn->reap_source = g_idle_add_full(G_PRIORITY_HIGH, conn_reap, conn, NULL);
}

/* --- output --- */

static gboolean
on_writable(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)socket;
	(void)cond;
	ServerConn *conn = data;
	g_clear_pointer(&conn->out_source, g_source_unref);
	conn_flush(conn);
	return G_SOURCE_REMOVE;
}

static void
seal_small(ServerConn *conn)
{
	if (conn->small != NULL) {
		g_queue_push_tail(&conn->out, g_byte_array_free_to_bytes(conn->small));
		conn->small = NULL;
	}
}

static void
conn_flush(ServerConn *conn)
{
	if (conn->dead)
		return;
	seal_small(conn);
	while (!g_queue_is_empty(&conn->out)) {
		GBytes *head = g_queue_peek_head(&conn->out);
		gsize len;
		const char *data = g_bytes_get_data(head, &len);
		g_autoptr(GError) error = NULL;
		gssize n = g_socket_send(conn->socket, data + conn->out_offset,
		                         len - conn->out_offset, NULL, &error);
		if (n < 0) {
			if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
				if (conn->out_source == NULL) {
					conn->out_source =
					    g_socket_create_source(conn->socket, G_IO_OUT, NULL);
					g_source_set_callback(conn->out_source,
					                      (GSourceFunc)(GCallback)on_writable,
					                      conn, NULL);
					g_source_attach(conn->out_source, NULL);
				}
				return;
			}
			conn_die(conn); /* the client went away */
			return;
		}
		tap(conn, SERVER_TAP_DATA, FALSE, data + conn->out_offset, (gsize)n);
		conn->out_offset += (gsize)n;
		conn->out_pending -= (gsize)n;
		if (conn->out_offset == len) {
			g_bytes_unref(g_queue_pop_head(&conn->out));
			conn->out_offset = 0;
		}
	}
	if (conn->closing) {
		conn_die(conn);
		return;
	}
	if (conn->throttled && conn->out_pending <= OUTPUT_LOW_MARK) {
		conn->throttled = FALSE;
		if (conn->protocol->drained != NULL) {
			conn->in_callback++;
			conn->protocol->drained(conn->session);
			conn->in_callback--;
		}
		conn_update_input(conn);
		/* What drained() wrote goes out now, not at the next read. */
		if (!g_queue_is_empty(&conn->out) || conn->small != NULL)
			conn_flush(conn);
	}
}

static void
after_write(ServerConn *conn)
{
	if (conn->out_pending > OUTPUT_HIGH_MARK && !conn->throttled) {
		conn->throttled = TRUE;
		conn_update_input(conn);
	}
	/* Inside a session callback, replies are gathered and sent together at its
	 * end (as a pipelining server does); otherwise at once. */
	if (conn->in_callback == 0 && conn->out_source == NULL)
		conn_flush(conn);
}

void
server_conn_write_bytes(ServerConn *conn, GBytes *bytes)
{
	if (conn->dead || g_bytes_get_size(bytes) == 0)
		return;
	seal_small(conn);
	g_queue_push_tail(&conn->out, g_bytes_ref(bytes));
	conn->out_pending += g_bytes_get_size(bytes);
	after_write(conn);
}

void
server_conn_write(ServerConn *conn, const void *data, gsize len)
{
	if (conn->dead || len == 0)
		return;
	if (len > 16384) {
		g_autoptr(GBytes) b = g_bytes_new(data, len);
		server_conn_write_bytes(conn, b);
		return;
	}
	if (conn->small == NULL)
		conn->small = g_byte_array_sized_new(1024);
	g_byte_array_append(conn->small, data, (guint)len);
	conn->out_pending += len;
	after_write(conn);
}

void
server_conn_printf(ServerConn *conn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	server_conn_write(conn, text, strlen(text));
}

void
server_conn_replyf(ServerConn *conn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	gsize len = strlen(text);
	server_conn_write(conn, text, len);
	server_conn_write(conn, "\r\n", 2);
}

char *
server_printable(const char *text, gsize max)
{
	GString *out = g_string_new(NULL);
	for (const char *p = text; *p != '\0' && out->len < max; p++)
		g_string_append_c(out, (*p >= 0x20 && *p < 0x7f) ? *p : '?');
	return g_string_free(out, FALSE);
}

gsize
server_conn_pending_output(const ServerConn *conn)
{
	return conn->out_pending;
}

/* --- input --- */

static void
run_input(ServerConn *conn, const guint8 *data, gsize len)
{
	conn->in_callback++;
	conn->protocol->input(conn->session, data, len);
	conn->in_callback--;
	if (conn->in_callback == 0 && conn->out_source == NULL)
		conn_flush(conn);
}

static gboolean
on_readable(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)cond;
	ServerConn *conn = data;
	guint8 buf[READ_CHUNK];
	g_autoptr(GError) error = NULL;
	gssize n = g_socket_receive(socket, (char *)buf, sizeof buf, NULL, &error);
	if (n < 0 && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
		return G_SOURCE_CONTINUE;
	if (n <= 0) {
		/* End of stream or reset: the session ends without a goodbye. */
		g_clear_pointer(&conn->in_source, g_source_unref);
		conn_die(conn);
		return G_SOURCE_REMOVE;
	}
	conn->last_activity = g_get_monotonic_time();
	tap(conn, SERVER_TAP_DATA, TRUE, buf, (gsize)n);
	run_input(conn, buf, (gsize)n);
	if (conn->dead || conn->in_source == NULL)
		return G_SOURCE_REMOVE; /* the source was destroyed under us */
	return G_SOURCE_CONTINUE;
}

static void
conn_update_input(ServerConn *conn)
{
	gboolean want = !conn->dead && !conn->paused && !conn->throttled && !conn->closing;
	if (want && conn->in_source == NULL) {
		conn->in_source =
		    g_socket_create_source(conn->socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
		g_source_set_callback(conn->in_source, (GSourceFunc)(GCallback)on_readable, conn,
		                      NULL);
		g_source_attach(conn->in_source, NULL);
	} else if (!want && conn->in_source != NULL) {
		g_source_destroy(conn->in_source);
		g_clear_pointer(&conn->in_source, g_source_unref);
	}
}

void
server_conn_pause(ServerConn *conn)
{
	conn->paused = TRUE;
	conn_update_input(conn);
}

static gboolean
resume_later(gpointer data)
{
	ServerConn *conn = data;
	if (!conn->dead && !conn->paused)
		run_input(conn, NULL, 0);
	return G_SOURCE_REMOVE;
}

void
server_conn_resume(ServerConn *conn)
{
	if (!conn->paused)
		return;
	conn->paused = FALSE;
	conn_update_input(conn);
	/* Let the session process what it buffered while paused. */
	if (!conn->dead)
		g_idle_add_full(G_PRIORITY_DEFAULT, resume_later, conn, NULL);
}

/* --- closing, idle limit, deferred work --- */

void
server_conn_close(ServerConn *conn)
{
	if (conn->dead || conn->closing)
		return;
	conn->closing = TRUE;
	conn_update_input(conn);
	if (conn->in_callback == 0 && conn->out_source == NULL)
		conn_flush(conn);
}

gboolean
server_conn_is_closing(const ServerConn *conn)
{
	return conn->closing || conn->dead;
}

static gboolean
on_idle_check(gpointer data)
{
	ServerConn *conn = data;
	conn->idle_source = 0;
	if (conn->dead || conn->closing || conn->idle_seconds == 0)
		return G_SOURCE_REMOVE;
	gint64 limit = (gint64)conn->idle_seconds * G_USEC_PER_SEC;
	gint64 idle = g_get_monotonic_time() - conn->last_activity;
	if (idle < limit) {
		guint ms = (guint)((limit - idle) / 1000) + 1;
		conn->idle_source = g_timeout_add(ms, on_idle_check, conn);
		return G_SOURCE_REMOVE;
	}
	conn->in_callback++;
	conn->protocol->idle_timeout(conn->session);
	conn->in_callback--;
	server_conn_close(conn);
	if (!conn->dead && conn->out_source == NULL)
		conn_flush(conn);
	return G_SOURCE_REMOVE;
}

void
server_conn_set_idle_timeout(ServerConn *conn, guint seconds)
{
	conn->idle_seconds = seconds;
	conn->last_activity = g_get_monotonic_time();
	if (conn->idle_source != 0) {
		g_source_remove(conn->idle_source);
		conn->idle_source = 0;
	}
	if (seconds > 0 && !conn->dead)
		conn->idle_source = g_timeout_add_seconds(seconds, on_idle_check, conn);
}

static gboolean
on_deferred(gpointer data)
{
	Deferred *d = data;
	ServerConn *conn = d->conn;
	conn->deferred = g_list_remove(conn->deferred, d);
	void (*func)(gpointer) = d->func;
	g_free(d);
	if (!conn->dead) {
		conn->in_callback++;
		func(conn->session);
		conn->in_callback--;
		if (conn->in_callback == 0 && conn->out_source == NULL)
			conn_flush(conn);
	}
	return G_SOURCE_REMOVE;
}

void
server_conn_defer(ServerConn *conn, guint ms, void (*func)(gpointer session))
{
	if (conn->dead)
		return;
	Deferred *d = g_new0(Deferred, 1);
	d->conn = conn;
	d->func = func;
	d->source = g_timeout_add(ms, on_deferred, d);
	conn->deferred = g_list_prepend(conn->deferred, d);
}

/* --- accessors --- */

Store *
server_conn_store(ServerConn *conn)
{
	return conn->servers->store;
}

const ServerConfig *
server_conn_config(ServerConn *conn)
{
	return &conn->servers->config;
}

Servers *
server_conn_servers(ServerConn *conn)
{
	return conn->servers;
}

guint64
server_conn_id(const ServerConn *conn)
{
	return conn->id;
}

const char *
server_conn_peer(const ServerConn *conn)
{
	return conn->peer;
}

/* --- accepting --- */

static char *
address_text(GInetSocketAddress *addr)
{
	if (addr == NULL)
		return g_strdup("?");
	g_autofree char *ip = g_inet_address_to_string(g_inet_socket_address_get_address(addr));
	guint16 port = g_inet_socket_address_get_port(addr);
	if (strchr(ip, ':') != NULL)
		return g_strdup_printf("[%s]:%u", ip, port);
	return g_strdup_printf("%s:%u", ip, port);
}

static gboolean
on_incoming(GSocketService *service, GSocketConnection *connection, GObject *source, gpointer data)
{
	(void)service;
	(void)source;
	Servers *s = data;
	ServerProto proto =
	    (ServerProto)GPOINTER_TO_INT(g_object_get_data(G_OBJECT(service), "facteur-proto"));
	const ServerProtocol *protocol = s->config.protocols[proto];
	GSocket *socket = g_socket_connection_get_socket(connection);
	g_socket_set_blocking(socket, FALSE);
	/* Replies are already gathered per session callback; Nagle's algorithm would
	 * only hold back the second write of a reply (a message after its "+OK"
	 * line) until the client's delayed ACK, 40 ms later on Linux. */
	g_socket_set_option(socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

	ServerConn *conn = g_new0(ServerConn, 1);
	conn->servers = s;
	conn->proto = proto;
	conn->protocol = protocol;
	conn->id = ++s->next_id;
	conn->connection = g_object_ref(connection);
	conn->socket = socket;
	GSocketAddress *remote = g_socket_get_remote_address(socket, NULL);
	GSocketAddress *local = g_socket_get_local_address(socket, NULL);
	conn->client = G_IS_INET_SOCKET_ADDRESS(remote) ? G_INET_SOCKET_ADDRESS(remote) : NULL;
	conn->local = G_IS_INET_SOCKET_ADDRESS(local) ? G_INET_SOCKET_ADDRESS(local) : NULL;
	if (conn->client == NULL)
		g_clear_object(&remote);
	if (conn->local == NULL)
		g_clear_object(&local);
	conn->peer = address_text(conn->client);
	g_queue_init(&conn->out);
	s->conns[proto] = g_list_prepend(s->conns[proto], conn);
	s->n_conns[proto]++;
	tap(conn, SERVER_TAP_OPEN, TRUE, NULL, 0);

	if (s->stopping || s->n_conns[proto] > s->config.max_connections) {
		/* Refuse politely in the protocol's own words, then close. */
		if (protocol->too_many_connections != NULL)
			server_conn_printf(conn, "%s\r\n", _(protocol->too_many_connections));
		server_conn_close(conn);
		return TRUE;
	}
	server_conn_set_idle_timeout(conn, s->config.idle_timeout[proto]);
	conn->in_callback++;
	conn->session = protocol->session_new(conn);
	conn->in_callback--;
	conn_update_input(conn);
	if (!conn->dead && conn->out_source == NULL)
		conn_flush(conn);
	return TRUE;
}

Servers *
servers_new(Store *store, const ServerConfig *config, GError **error)
{
	Servers *s = g_new0(Servers, 1);
	s->store = store;
	s->config = *config;
	s->listen_addr = g_strdup(config->listen_addr ? config->listen_addr : "127.0.0.1");
	s->hostname = g_strdup(config->hostname ? config->hostname : "mail.example.org");
	s->domain = g_strdup(config->domain ? config->domain : "example.org");
	s->config.listen_addr = s->listen_addr;
	s->config.hostname = s->hostname;
	s->config.domain = s->domain;
	if (s->config.max_connections == 0)
		s->config.max_connections = SERVER_DEFAULT_MAX_CONNECTIONS;

	g_autoptr(GInetAddress) addr = g_inet_address_new_from_string(s->listen_addr);
	if (addr == NULL) {
		g_set_error(
		    error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
		    _("“%s” is not an IP address to listen on (for example 127.0.0.1 or ::1)"),
		    s->listen_addr);
		servers_free(s);
		return NULL;
	}
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (s->config.idle_timeout[p] == 0)
			s->config.idle_timeout[p] = default_timeouts[p];
		if (s->config.protocols[p] == NULL)
			continue;
		guint16 port = s->config.port_set[p] ? s->config.ports[p] : default_ports[p];
		g_autoptr(GSocketAddress) sa = g_inet_socket_address_new(addr, port);
		g_autoptr(GSocketAddress) effective = NULL;
		g_autoptr(GError) local = NULL;
		s->service[p] = g_socket_service_new();
		/* GLib's default backlog of 10 drops the SYNs of a class connecting at
		 * once; the kernel then retries after a whole second. */
		g_socket_listener_set_backlog(G_SOCKET_LISTENER(s->service[p]), 1024);
		if (!g_socket_listener_add_address(G_SOCKET_LISTENER(s->service[p]), sa,
		                                   G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
		                                   NULL, &effective, &local)) {
			g_set_error(error, G_IO_ERROR, local->code,
			            _("cannot listen for %s on %s port %u: %s"),
			            s->config.protocols[p]->name, s->listen_addr, port,
			            local->message);
			servers_free(s);
			return NULL;
		}
		s->port[p] = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
		g_object_set_data(G_OBJECT(s->service[p]), "facteur-proto", GINT_TO_POINTER(p));
		g_signal_connect(s->service[p], "incoming", G_CALLBACK(on_incoming), s);
		g_socket_service_start(s->service[p]);
	}
	return s;
}

void
servers_free(Servers *s)
{
	if (s == NULL)
		return;
	s->stopping = TRUE;
	for (int p = 0; p < SERVER_N_PROTOCOLS; p++) {
		if (s->service[p] != NULL) {
			g_socket_service_stop(s->service[p]);
			g_socket_listener_close(G_SOCKET_LISTENER(s->service[p]));
			g_clear_object(&s->service[p]);
		}
		/* Say goodbye (421, * BYE, -ERR), write what the sockets take now, close. */
		GList *conns = g_list_copy(s->conns[p]);
		for (GList *l = conns; l != NULL; l = l->next) {
			ServerConn *conn = l->data;
			if (!conn->dead && !conn->closing && conn->session != NULL &&
			    conn->protocol->shutdown != NULL) {
				conn->in_callback++;
				conn->protocol->shutdown(conn->session);
				conn->in_callback--;
			}
			conn->closing = TRUE;
			conn_flush(conn);
			conn_die(conn);
		}
		g_list_free(conns);
	}
	/* Free what conn_die left for the main loop now: the loop may not run again. */
	for (GList *l = s->dying; l != NULL; l = l->next) {
		ServerConn *conn = l->data;
		g_source_remove(conn->reap_source);
		conn_free(conn);
	}
	g_list_free(s->dying);
	g_free(s->listen_addr);
	g_free(s->hostname);
	g_free(s->domain);
	g_free(s);
}

guint16
servers_get_port(const Servers *s, ServerProto proto)
{
	return s->port[proto];
}

const char *
servers_get_listen_addr(const Servers *s)
{
	return s->listen_addr;
}

void
servers_set_tap(Servers *s, ServerTapFunc func, gpointer user_data)
{
	s->tap = func;
	s->tap_data = user_data;
}

guint
servers_count_connections(const Servers *s, ServerProto proto)
{
	return s->n_conns[proto];
}

const ServerConfig *
servers_get_config(const Servers *s)
{
	return &s->config;
}

Store *
servers_get_store(const Servers *s)
{
	return s->store;
}

void
servers_foreach_session(Servers *s, ServerProto proto,
                        void (*func)(gpointer session, gpointer user_data), gpointer user_data)
{
	GList *conns = g_list_copy(s->conns[proto]);
	for (GList *l = conns; l != NULL; l = l->next) {
		ServerConn *conn = l->data;
		if (!conn->dead && conn->session != NULL)
			func(conn->session, user_data);
	}
	g_list_free(conns);
}
