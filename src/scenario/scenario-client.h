/* The client side of a scenario: one TCP connection to a built-in server,
 * non-blocking on the main loop, cutting what the server sends into replies
 * (SMTP multi-line replies, POP3 status lines and their multi-line bodies,
 * IMAP untagged, continuation and tagged responses with literals) so that the
 * runner can check expectations. What the transcript shows is the tracer's
 * business, not this file's. */
#pragma once

#include "scenario/scenario.h"

#include <gio/gio.h>

typedef enum {
	SCENARIO_REPLY_STATUS,       /* SMTP reply, POP3 +OK/-ERR, IMAP tagged */
	SCENARIO_REPLY_UNTAGGED,     /* IMAP "* …" */
	SCENARIO_REPLY_CONTINUATION, /* IMAP "+ …", POP3 "+ " SASL challenge */
} ScenarioReplyKind;

typedef struct {
	ScenarioReplyKind kind;
	char *status; /* "250", "+OK", "OK" (tagged), "*" (untagged), "+" */
	char *tag;    /* IMAP tagged */
	char *untagged_status; /* IMAP "* OK …", "* BYE …": OK, NO, BAD, BYE, PREAUTH; else NULL */
	guint number; /* 1 for the first reply of the connection (the greeting) */
	char *text;   /* every line of the reply, joined with \n, without CRLF */
} ScenarioReply;

void scenario_reply_free(ScenarioReply *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScenarioReply, scenario_reply_free)

typedef struct _ScenarioClient ScenarioClient;

/* Called when a reply is complete, or the server closed (reply NULL). */
typedef void (*ScenarioClientFunc)(ScenarioClient *c, gpointer data);

/* Starts connecting to 127.0.0.1:port. */
ScenarioClient *scenario_client_new(const char *name, ScenarioProto proto, guint16 port,
                                    ScenarioClientFunc func, gpointer data, GError **error);
void scenario_client_free(ScenarioClient *c);
const char *scenario_client_name(const ScenarioClient *c);
ScenarioProto scenario_client_proto(const ScenarioClient *c);
/* Sends octets as they are. A POP3 command line is remembered so that its
 * reply is framed right (multi-line or not); is_command FALSE for SASL answers
 * and message content. */
void scenario_client_send(ScenarioClient *c, const void *data, gsize len, gboolean is_command);
/* The oldest complete reply not yet taken, or NULL. Caller frees. */
ScenarioReply *scenario_client_take(ScenarioClient *c);
/* Replies to the next n commands are dropped as they complete (free input). */
void scenario_client_ignore_next(ScenarioClient *c, guint n);
gboolean scenario_client_is_closed(const ScenarioClient *c);
/* The client's own port (0 before it is connected). */
guint16 scenario_client_local_port(ScenarioClient *c);
/* Closes the socket at once, without a goodbye. */
void scenario_client_cut(ScenarioClient *c);
