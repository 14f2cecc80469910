/* The shared listener of the three servers: GSocketService on the main loop,
 * one ServerConn per client with non-blocking buffered output, limits
 * (connections, idle time), and the in-process tap that shows the tracer every
 * byte when libpcap may not capture. A protocol is a ServerProtocol vtable;
 * its sessions never touch sockets. */
#pragma once

#include "store/store.h"

#include <gio/gio.h>

typedef enum {
	SERVER_SMTP,
	SERVER_POP3,
	SERVER_IMAP,
	SERVER_N_PROTOCOLS,
} ServerProto;

typedef struct _ServerProtocol ServerProtocol;

typedef struct {
	/* The protocols to serve; NULL leaves one out. cmd-serve sets all three. */
	const ServerProtocol *protocols[SERVER_N_PROTOCOLS];
	const char *listen_addr;           /* default "127.0.0.1" */
	guint16 ports[SERVER_N_PROTOCOLS]; /* 0 with port_set FALSE = default; 0 set = ephemeral */
	gboolean port_set[SERVER_N_PROTOCOLS];
	guint max_connections;                  /* per protocol; default 1000 */
	guint idle_timeout[SERVER_N_PROTOCOLS]; /* seconds; defaults 300 (SMTP), 600 (POP3), 1800
	                                           (IMAP) */
	const char *hostname;                   /* default "mail.example.org" */
	const char *domain;                     /* the local mail domain; default "example.org" */
	guint auth_failure_delay_ms;            /* 0: none (tests); facteur serve uses 1000 */
} ServerConfig;

#define SERVER_DEFAULT_SMTP_PORT       2525
#define SERVER_DEFAULT_POP3_PORT       2110
#define SERVER_DEFAULT_IMAP_PORT       2143
#define SERVER_DEFAULT_MAX_CONNECTIONS 1000

typedef struct _Servers Servers;
typedef struct _ServerConn ServerConn;

/* What a protocol implements. Sessions are created when a client connects and
 * freed when its connection is gone; they talk through their ServerConn. */
struct _ServerProtocol {
	const char *name; /* "smtp", "pop3", "imap" */
	/* Allocate the session and send the greeting. */
	gpointer (*session_new)(ServerConn *conn);
	void (*session_free)(gpointer session);
	/* Bytes from the client, in order. Called with (NULL, 0) after
	 * server_conn_resume() so that buffered input can be processed. */
	void (*input)(gpointer session, const guint8 *data, gsize len);
	/* The idle limit expired: say goodbye (421, -ERR, * BYE); the connection
	 * is closed once the output is flushed. */
	void (*idle_timeout)(gpointer session);
	/* The server is stopping: as above. */
	void (*shutdown)(gpointer session);
	/* Optional: the output queue fell below the low-water mark. */
	void (*drained)(gpointer session);
	/* The line (without CRLF, marked N_()) sent before closing a connection
	 * refused because the protocol's connection limit is reached. */
	const char *too_many_connections;
};

/* The tap: every octet the servers read or write, in the order they cross the
 * socket, with both endpoints. Set by `serve --trace` and the scenario runner
 * when libpcap may not capture. */
typedef enum {
	SERVER_TAP_OPEN,  /* a connection was accepted (data NULL) */
	SERVER_TAP_DATA,  /* octets, c2s or s2c */
	SERVER_TAP_CLOSE, /* the connection is gone (data NULL) */
} ServerTapKind;

typedef struct {
	ServerTapKind kind;
	ServerProto proto;
	guint64 conn_id;
	gboolean from_client; /* TRUE: client to server */
	GInetSocketAddress *client;
	GInetSocketAddress *server;
	const guint8 *data;
	gsize len;
	gint64 time_us; /* real time of the event */
} ServerTapEvent;

typedef void (*ServerTapFunc)(const ServerTapEvent *event, gpointer user_data);

/* Starts the servers of config->protocols. The error says which port could not be bound. */
Servers *servers_new(Store *store, const ServerConfig *config, GError **error);
/* Sends every session its shutdown message, flushes what can be flushed
 * without blocking, closes everything and frees. */
void servers_free(Servers *servers);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Servers, servers_free)
/* The bound port (useful with ephemeral ports). */
guint16 servers_get_port(const Servers *servers, ServerProto proto);
const char *servers_get_listen_addr(const Servers *servers);
void servers_set_tap(Servers *servers, ServerTapFunc func, gpointer user_data);
/* Open connections of one protocol. */
guint servers_count_connections(const Servers *servers, ServerProto proto);
const ServerConfig *servers_get_config(const Servers *servers);
Store *servers_get_store(const Servers *servers);
/* Default idle limits (seconds). */
#define SERVER_DEFAULT_SMTP_TIMEOUT 300
#define SERVER_DEFAULT_POP3_TIMEOUT 600
#define SERVER_DEFAULT_IMAP_TIMEOUT 1800

/* Registered by each protocol's session file (smtp-session.c, …). */
extern const ServerProtocol server_protocol_smtp;
extern const ServerProtocol server_protocol_pop3;
extern const ServerProtocol server_protocol_imap;
/* The protocols facteur serves, in ServerProto order (server-protocols.c):
 * what `facteur serve`, the scenario runner and the TUI start. */
extern const ServerProtocol *const server_protocols[SERVER_N_PROTOCOLS];

/* --- What a session may do with its connection --- */
Store *server_conn_store(ServerConn *conn);
const ServerConfig *server_conn_config(ServerConn *conn);
Servers *server_conn_servers(ServerConn *conn);
guint64 server_conn_id(const ServerConn *conn);
/* "127.0.0.1:54321" */
const char *server_conn_peer(const ServerConn *conn);
/* Queues output; never blocks. */
void server_conn_write(ServerConn *conn, const void *data, gsize len);
void server_conn_printf(ServerConn *conn, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* One reply line: fmt formatted, CRLF appended. */
void server_conn_replyf(ServerConn *conn, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Client text safe to echo in a reply: printable ASCII only (other octets
 * become '?'), at most max octets, so that a reply stays one line whatever
 * was sent. Caller frees. */
char *server_printable(const char *text, gsize max);
/* Queues bytes without copying them (a mapped message). */
void server_conn_write_bytes(ServerConn *conn, GBytes *bytes);
/* Above the high mark of queued output the connection stops reading input;
 * below the low mark it calls drained() and reads again. */
#define SERVER_OUTPUT_HIGH_MARK (1024 * 1024)
#define SERVER_OUTPUT_LOW_MARK  (256 * 1024)
/* Octets queued and not yet written: a session producing a lot waits for drained(). */
gsize server_conn_pending_output(const ServerConn *conn);
/* Closes the connection once the queued output has been written. The session
 * is freed afterwards, never during one of its own callbacks. */
void server_conn_close(ServerConn *conn);
gboolean server_conn_is_closing(const ServerConn *conn);
/* Stops/restarts delivering input (an authentication delay, a long output). */
void server_conn_pause(ServerConn *conn);
void server_conn_resume(ServerConn *conn);
/* Changes this connection's idle limit (seconds, 0 = none). */
void server_conn_set_idle_timeout(ServerConn *conn, guint seconds);
/* Runs func(session) after ms milliseconds unless the connection closes first. */
void server_conn_defer(ServerConn *conn, guint ms, void (*func)(gpointer session));
/* Calls func for every live session of a protocol (IMAP's change notifications
 * do not need this: they come from the store). */
void servers_foreach_session(Servers *servers, ServerProto proto,
                             void (*func)(gpointer session, gpointer user_data),
                             gpointer user_data);
