/* A client for server tests: a real TCP socket to 127.0.0.1 whose reads drive
 * the main loop while they wait, so the server under test runs in the same
 * thread (the GLib socket-service test pattern). */
#pragma once

#include <gio/gio.h>

typedef struct _TestClient TestClient;

/* Connects to 127.0.0.1:port; asserts on failure. */
TestClient *test_client_connect(guint16 port);
void test_client_free(TestClient *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TestClient, test_client_free)

void test_client_send(TestClient *c, const char *text);
void test_client_send_bytes(TestClient *c, const void *data, gsize len);
/* The next line without its CRLF; NULL when the server closed first or after
 * the timeout (10 s). Caller frees. */
char *test_client_read_line(TestClient *c);
/* Everything up to and including the first occurrence of marker; NULL on
 * close or timeout. Caller frees. */
char *test_client_read_until(TestClient *c, const char *marker);
/* TRUE when the server closed the connection (reads pending data away first). */
gboolean test_client_wait_closed(TestClient *c);
/* Runs the main loop for ms milliseconds. */
void test_run_loop_ms(guint ms);
/* Sets how long reads wait (default 10000 ms). */
void test_client_set_timeout(TestClient *c, guint ms);
/* The local port of the client socket. */
guint16 test_client_local_port(TestClient *c);
