/* The IMAP commands (RFC 3501 §6 and the extensions facteur knows): one
 * table row per command with the states it is allowed in, its RFC section,
 * its syntax and an explanation for students. The server dispatches on the
 * row's id; the tracer explains from the same row. */
#pragma once

#include "proto/imap-arg.h"

#include <glib.h>

/* The session states of RFC 3501 §3, as bits so that a row lists several. */
typedef enum {
	IMAP_STATE_NOT_AUTH = 1 << 0,
	IMAP_STATE_AUTH = 1 << 1,
	IMAP_STATE_SELECTED = 1 << 2,
	IMAP_STATE_LOGOUT = 1 << 3,
} ImapState;

/* Authenticated-state commands are valid in the selected state too (§3.3). */
#define IMAP_STATES_ANY    (IMAP_STATE_NOT_AUTH | IMAP_STATE_AUTH | IMAP_STATE_SELECTED)
#define IMAP_STATES_AUTHED (IMAP_STATE_AUTH | IMAP_STATE_SELECTED)

typedef enum {
	IMAP_CMD_CAPABILITY,
	IMAP_CMD_NOOP,
	IMAP_CMD_LOGOUT,
	IMAP_CMD_ID,
	IMAP_CMD_STARTTLS,
	IMAP_CMD_AUTHENTICATE,
	IMAP_CMD_LOGIN,
	IMAP_CMD_ENABLE,
	IMAP_CMD_SELECT,
	IMAP_CMD_EXAMINE,
	IMAP_CMD_CREATE,
	IMAP_CMD_DELETE,
	IMAP_CMD_RENAME,
	IMAP_CMD_SUBSCRIBE,
	IMAP_CMD_UNSUBSCRIBE,
	IMAP_CMD_LIST,
	IMAP_CMD_LSUB,
	IMAP_CMD_STATUS,
	IMAP_CMD_APPEND,
	IMAP_CMD_NAMESPACE,
	IMAP_CMD_IDLE,
	IMAP_CMD_CHECK,
	IMAP_CMD_CLOSE,
	IMAP_CMD_UNSELECT,
	IMAP_CMD_EXPUNGE,
	IMAP_CMD_SEARCH,
	IMAP_CMD_FETCH,
	IMAP_CMD_STORE,
	IMAP_CMD_COPY,
	IMAP_CMD_MOVE,
	IMAP_CMD_UID_FETCH,
	IMAP_CMD_UID_STORE,
	IMAP_CMD_UID_COPY,
	IMAP_CMD_UID_MOVE,
	IMAP_CMD_UID_SEARCH,
	IMAP_CMD_UID_EXPUNGE,
	IMAP_CMD_N,
} ImapCommandId;

typedef struct {
	ImapCommandId id;
	const char *name;    /* "FETCH", "UID FETCH" */
	guint states;        /* ImapState bits where the command is allowed */
	const char *rfc;     /* "RFC 3501 §6.4.5" */
	const char *syntax;  /* "FETCH sequence-set (items)", protocol text, not translated */
	const char *explain; /* N_(): translate with _() when shown */
} ImapCommandInfo;

/* The table, in the order of ImapCommandId (imap_commands[id].id == id). */
extern const ImapCommandInfo imap_commands[IMAP_CMD_N];

/* The row of a command name, any case. For "UID", first_arg is the argument
 * after it ("FETCH" …) and the row is that of "UID FETCH"; NULL when the name
 * (or the UID sub-command) is unknown. */
const ImapCommandInfo *imap_command_lookup(const char *name, const ImapArg *first_arg);

/* "not authenticated", "authenticated", "selected", "logout" (translated). */
const char *imap_state_name(ImapState state);
