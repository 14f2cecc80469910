/* What the files of the IMAP server share (imap-session.c and the imap-cmd-*.c
 * command files, as Dovecot splits them): the session, its view of the
 * selected mailbox, and the helpers that write responses. Private to
 * src/server/imap-*; the rest of facteur only sees server_protocol_imap. */
#pragma once

#include "proto/imap-arg.h"
#include "proto/imap-command.h"
#include "proto/imap-parser.h"
#include "server/server.h"
#include "store/store.h"

#include <glib.h>

/* One message as this session knows it: the sequence number is its index in
 * the view plus one, and stays so until the session announces a change
 * (RFC 3501 §7.4.1: numbers change only when EXPUNGE or EXISTS say so). */
typedef struct {
	guint32 uid;
	guint32 flags; /* StoreFlags, as last reported to the client */
} ImapViewMsg;

typedef struct _ImapSession ImapSession;
typedef struct _ImapFetchJob ImapFetchJob;

struct _ImapSession {
	ServerConn *conn;
	Store *store;
	const ServerConfig *config;
	ImapParser *parser;
	GByteArray *in; /* octets received and not yet parsed */
	gsize in_pos;
	ImapState state;
	char *user;
	guint watch_id;

	/* The selected mailbox (state SELECTED). */
	StoreMailbox *mb;
	gboolean read_only; /* EXAMINE */
	guint32 uidvalidity;
	GArray *view;       /* ImapViewMsg */
	GHashTable *recent; /* UIDs that are \Recent for this session */
	guint recent_announced;
	guint sync_source; /* an immediate update is scheduled (IDLE, mailbox gone) */

	/* Commands that wait for something. */
	gboolean busy;  /* a command is not finished: input is not parsed */
	char *wait_tag; /* AUTHENTICATE or IDLE waiting for a line */
	ImapCommandId wait_cmd;
	gboolean idling;
	ImapFetchJob *fetch; /* a FETCH waiting for the output to drain */
	gboolean blocked;    /* pipelined commands wait for the output to drain */
	gboolean closing;
};

/* A parsed command handed to a command function. For "UID FETCH …", info is
 * the row of UID FETCH and args start after "FETCH". */
typedef struct {
	const char *tag;
	const ImapCommandInfo *info;
	const ImapArg *args; /* the list of arguments */
	guint first;         /* index of the first argument in args */
	gboolean uid;        /* UID FETCH, UID STORE, … */
} ImapCommand;

/* The n-th argument of the command (NULL past the end) and their number. */
const ImapArg *imap_cmd_arg(const ImapCommand *cmd, guint n);
guint imap_cmd_n_args(const ImapCommand *cmd);

typedef void (*ImapCommandFunc)(ImapSession *s, const ImapCommand *cmd);
/* The command functions, by command id; NULL for commands of the table that
 * this server does not offer (STARTTLS, ENABLE). In imap-commands.c. */
extern const ImapCommandFunc imap_command_funcs[IMAP_CMD_N];

/* --- Writing responses (texts stay English ASCII, like real servers') --- */
void imap_session_printf(ImapSession *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* "tag OK [code] text"; code may be NULL. */
void imap_session_tagged(ImapSession *s, const char *tag, const char *status, const char *code,
                         const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* Ends a command: untagged updates as §7 allows (EXPUNGE unless the command
 * forbids it), then "tag OK text". */
void imap_session_ok(ImapSession *s, const ImapCommand *cmd, const char *code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
void imap_session_bad(ImapSession *s, const ImapCommand *cmd, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
void imap_session_no(ImapSession *s, const ImapCommand *cmd, const char *code, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);
/* A NO for a store failure: the response code that fits the StoreError. */
void imap_session_no_store(ImapSession *s, const ImapCommand *cmd, const GError *error);

/* IMAP string syntax: a quoted string when it can be one, else a literal. */
void imap_append_string(GString *out, const char *s, gsize len);
void imap_append_nstring(GString *out, const char *s);
/* A mailbox name as sent: modified UTF-7, an atom when possible. */
void imap_append_mailbox(GString *out, const char *utf8_name);
/* (\Seen \Flagged …), with \Recent when recent. */
void imap_append_flags(GString *out, guint32 flags, gboolean recent);
/* "23-Nov-2026 09:15:00 +0000" */
char *imap_format_date_time(gint64 t);

/* --- Arguments --- */
/* A mailbox argument: astring, modified UTF-7 decoded; on failure answers
 * (NO or BAD) and returns NULL. Caller frees. */
char *imap_session_mailbox_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg);
/* Parses system flags (\Seen …) from a flag list or a single flag; keywords
 * (flags without "\") are accepted and not kept, as PERMANENTFLAGS says.
 * FALSE with a BAD answered when a flag is not valid. */
gboolean imap_session_flags_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg,
                                guint32 *flags_r);
/* The messages of a sequence set (or UID set), as indexes into the view in
 * ascending order. FALSE with a BAD answered when the set is invalid. */
gboolean imap_session_seqset_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg,
                                 gboolean uid, GArray **indexes_r);

/* --- The selected mailbox --- */
/* Store calls made by this session carry it as origin (store_set_origin). */
void imap_session_store_begin(ImapSession *s);
void imap_session_store_end(ImapSession *s);
/* Reports what changed in the selected mailbox since the client last heard:
 * EXPUNGE (when allowed), EXISTS, RECENT, FETCH FLAGS. */
void imap_session_sync(ImapSession *s, gboolean allow_expunge);
/* Selects a mailbox (SELECT, EXAMINE): answers the untagged lines. */
void imap_session_select(ImapSession *s, StoreMailbox *mb, gboolean read_only);
/* Leaves the selected state (CLOSE, UNSELECT, a failed SELECT). */
void imap_session_deselect(ImapSession *s);
/* The message of a view index in the store; NULL when another session
 * expunged it and this one has not been told yet. */
const StoreMessage *imap_session_message(ImapSession *s, guint index);
gboolean imap_session_is_recent(ImapSession *s, guint32 uid);
/* Sets a message's flags in the store and in the view; FALSE with error. */
gboolean imap_session_set_flags(ImapSession *s, guint index, guint32 flags, GError **error);

/* --- Commands that take time --- */
/* Stops parsing input until imap_session_done() (an authentication delay, a
 * FETCH waiting for the output to drain). */
void imap_session_wait(ImapSession *s);
void imap_session_done(ImapSession *s);
/* The next input line is not a command but an answer for this command
 * (AUTHENTICATE's response, IDLE's DONE): imap_cmd_line() gets it. */
void imap_session_expect_line(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_authenticate_line(ImapSession *s, const char *tag, const char *line);
void imap_cmd_idle_line(ImapSession *s, const char *tag, const char *line);
/* The FETCH job goes on when the output has drained. */
void imap_fetch_job_resume(ImapSession *s);
void imap_fetch_job_free(ImapFetchJob *job);

/* The CAPABILITY list of this server, from the table rows marked offered. */
char *imap_session_capabilities(void);
/* Logs the session in (LOGIN and AUTHENTICATE). */
void imap_session_login(ImapSession *s, const char *user);
/* An authentication failure: NO [AUTHENTICATIONFAILED] after the configured delay. */
void imap_session_auth_failed(ImapSession *s, const char *tag);
/* Says * BYE text and closes the connection after the output. */
void imap_session_bye(ImapSession *s, const char *text);
