/* The table of IMAP commands: states, RFC references, syntax and the
 * explanations the tracer shows. */
#include "proto/imap-command.h"

#include "core/facteur-i18n.h"

#include <string.h>

const ImapCommandInfo imap_commands[IMAP_CMD_N] = {
    [IMAP_CMD_CAPABILITY] =
        {
            .id = IMAP_CMD_CAPABILITY,
            .name = "CAPABILITY",
            .states = IMAP_STATES_ANY,
            .rfc = "RFC 3501 §6.1.1",
            .syntax = "CAPABILITY",
            .explain = N_("Asks the server which extensions it supports; the answer is an "
                          "untagged CAPABILITY line. The list may change after login."),
        },
    [IMAP_CMD_NOOP] =
        {
            .id = IMAP_CMD_NOOP,
            .name = "NOOP",
            .states = IMAP_STATES_ANY,
            .rfc = "RFC 3501 §6.1.2",
            .syntax = "NOOP",
            .explain = N_("Does nothing, which gives the server a chance to report changes "
                          "(new messages, expunges, flags) and resets the autologout timer."),
        },
    [IMAP_CMD_LOGOUT] =
        {
            .id = IMAP_CMD_LOGOUT,
            .name = "LOGOUT",
            .states = IMAP_STATES_ANY,
            .rfc = "RFC 3501 §6.1.3",
            .syntax = "LOGOUT",
            .explain = N_("Ends the session: the server answers an untagged BYE, then the "
                          "tagged OK, and closes the connection."),
        },
    [IMAP_CMD_ID] =
        {
            .id = IMAP_CMD_ID,
            .name = "ID",
            .states = IMAP_STATES_ANY,
            .rfc = "RFC 2971 §3.1",
            .syntax = "ID (\"name\" \"value\" …) / ID NIL",
            .explain = N_("Client and server tell each other their name and version, for "
                          "statistics and bug reports; it changes nothing else."),
        },
    [IMAP_CMD_STARTTLS] =
        {
            .id = IMAP_CMD_STARTTLS,
            .name = "STARTTLS",
            .states = IMAP_STATE_NOT_AUTH,
            .rfc = "RFC 3501 §6.2.1",
            .syntax = "STARTTLS",
            .explain = N_("Starts TLS on the connection before logging in; from then on "
                          "the traffic is encrypted and a capture shows nothing readable."),
        },
    [IMAP_CMD_AUTHENTICATE] =
        {
            .id = IMAP_CMD_AUTHENTICATE,
            .name = "AUTHENTICATE",
            .states = IMAP_STATE_NOT_AUTH,
            .rfc = "RFC 3501 §6.2.2",
            .syntax = "AUTHENTICATE mechanism [initial-response]",
            .explain = N_("Logs in with a SASL mechanism: challenges \"+ …\" and answers "
                          "travel in base64 lines. With PLAIN (RFC 4616) the answer is "
                          "user and password separated by NUL octets — base64 is an "
                          "encoding, not encryption."),
        },
    [IMAP_CMD_LOGIN] =
        {
            .id = IMAP_CMD_LOGIN,
            .name = "LOGIN",
            .states = IMAP_STATE_NOT_AUTH,
            .rfc = "RFC 3501 §6.2.3",
            .syntax = "LOGIN user password",
            .explain = N_("Logs in with a user name and a password in clear text; on "
                          "success the session enters the authenticated state."),
        },
    [IMAP_CMD_ENABLE] =
        {
            .id = IMAP_CMD_ENABLE,
            .name = "ENABLE",
            .states = IMAP_STATE_AUTH,
            .rfc = "RFC 5161 §3.1",
            .syntax = "ENABLE capability …",
            .explain = N_("Switches on extensions that change how the server answers; the "
                          "untagged ENABLED line lists those actually enabled."),
        },
    [IMAP_CMD_SELECT] =
        {
            .id = IMAP_CMD_SELECT,
            .name = "SELECT",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.1",
            .syntax = "SELECT mailbox",
            .explain = N_("Opens a mailbox read-write. The answer gives FLAGS, EXISTS, "
                          "RECENT, [UIDVALIDITY], [UIDNEXT], [PERMANENTFLAGS] and, when "
                          "there is one, [UNSEEN n], the number of the first unseen "
                          "message. Any mailbox selected before is closed first."),
        },
    [IMAP_CMD_EXAMINE] =
        {
            .id = IMAP_CMD_EXAMINE,
            .name = "EXAMINE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.2",
            .syntax = "EXAMINE mailbox",
            .explain = N_("Opens a mailbox like SELECT but read-only: nothing changes, not "
                          "even \\Seen or \\Recent; the tagged OK carries [READ-ONLY]."),
        },
    [IMAP_CMD_CREATE] =
        {
            .id = IMAP_CMD_CREATE,
            .name = "CREATE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.3",
            .syntax = "CREATE mailbox",
            .explain = N_("Creates a mailbox. A name that was deleted and is created again "
                          "gets a new, larger UIDVALIDITY, so clients know old UIDs no "
                          "longer apply."),
        },
    [IMAP_CMD_DELETE] =
        {
            .id = IMAP_CMD_DELETE,
            .name = "DELETE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.4",
            .syntax = "DELETE mailbox",
            .explain = N_("Deletes a mailbox and its messages for good. Deleting INBOX is "
                          "an error."),
        },
    [IMAP_CMD_RENAME] =
        {
            .id = IMAP_CMD_RENAME,
            .name = "RENAME",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.5",
            .syntax = "RENAME old-name new-name",
            .explain = N_("Renames a mailbox (and the mailboxes below it). Renaming INBOX "
                          "moves its messages to the new mailbox and leaves INBOX empty."),
        },
    [IMAP_CMD_SUBSCRIBE] =
        {
            .id = IMAP_CMD_SUBSCRIBE,
            .name = "SUBSCRIBE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.6",
            .syntax = "SUBSCRIBE mailbox",
            .explain = N_("Adds a mailbox to the subscription list that LSUB shows — the "
                          "folders a client chooses to display."),
        },
    [IMAP_CMD_UNSUBSCRIBE] =
        {
            .id = IMAP_CMD_UNSUBSCRIBE,
            .name = "UNSUBSCRIBE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.7",
            .syntax = "UNSUBSCRIBE mailbox",
            .explain = N_("Removes a mailbox from the subscription list; the mailbox "
                          "itself stays."),
        },
    [IMAP_CMD_LIST] =
        {
            .id = IMAP_CMD_LIST,
            .name = "LIST",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.8",
            .syntax = "LIST reference pattern",
            .explain = N_("Lists mailbox names matching a pattern: \"*\" matches anything, "
                          "\"%\" anything but the hierarchy delimiter. Each untagged LIST "
                          "gives attributes, the delimiter and the name. LIST \"\" \"\" "
                          "asks only for the delimiter."),
        },
    [IMAP_CMD_LSUB] =
        {
            .id = IMAP_CMD_LSUB,
            .name = "LSUB",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.9",
            .syntax = "LSUB reference pattern",
            .explain = N_("Like LIST, but among the subscribed mailboxes only."),
        },
    [IMAP_CMD_STATUS] =
        {
            .id = IMAP_CMD_STATUS,
            .name = "STATUS",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.10",
            .syntax = "STATUS mailbox (MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN)",
            .explain = N_("Asks for counters of a mailbox without selecting it. Here UNSEEN "
                          "is a count of unseen messages — unlike [UNSEEN n] after SELECT, "
                          "which is a message number."),
        },
    [IMAP_CMD_APPEND] =
        {
            .id = IMAP_CMD_APPEND,
            .name = "APPEND",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 3501 §6.3.11",
            .syntax = "APPEND mailbox [(flags)] [\"date-time\"] {size}",
            .explain = N_("Adds a message to a mailbox, sent as a literal: with {n} the "
                          "client waits for the server's \"+\" before sending the n octets, "
                          "with {n+} (LITERAL+) it sends them at once. With UIDPLUS the OK "
                          "carries [APPENDUID uidvalidity uid]."),
        },
    [IMAP_CMD_NAMESPACE] =
        {
            .id = IMAP_CMD_NAMESPACE,
            .name = "NAMESPACE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 2342 §5",
            .syntax = "NAMESPACE",
            .explain = N_("Asks for the prefixes and hierarchy delimiters of the personal, "
                          "other users' and shared mailboxes; NIL means there are none."),
        },
    [IMAP_CMD_IDLE] =
        {
            .id = IMAP_CMD_IDLE,
            .name = "IDLE",
            .states = IMAP_STATES_AUTHED,
            .rfc = "RFC 2177 §3",
            .syntax = "IDLE … DONE",
            .explain = N_("Waits for changes: after the server's \"+\", new messages, "
                          "expunges and flag changes arrive as untagged responses at once, "
                          "without polling, until the client sends DONE."),
        },
    [IMAP_CMD_CHECK] =
        {
            .id = IMAP_CMD_CHECK,
            .name = "CHECK",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.1",
            .syntax = "CHECK",
            .explain = N_("Asks the server to save the selected mailbox's state to disk; "
                          "with a Maildir store every change is already written, so it is "
                          "like NOOP."),
        },
    [IMAP_CMD_CLOSE] =
        {
            .id = IMAP_CMD_CLOSE,
            .name = "CLOSE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.2",
            .syntax = "CLOSE",
            .explain = N_("Closes the selected mailbox, silently expunging the messages "
                          "marked \\Deleted (no untagged EXPUNGE) unless it was opened with "
                          "EXAMINE."),
        },
    [IMAP_CMD_UNSELECT] =
        {
            .id = IMAP_CMD_UNSELECT,
            .name = "UNSELECT",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3691 §2",
            .syntax = "UNSELECT",
            .explain = N_("Closes the selected mailbox without expunging anything, unlike "
                          "CLOSE."),
        },
    [IMAP_CMD_EXPUNGE] =
        {
            .id = IMAP_CMD_EXPUNGE,
            .name = "EXPUNGE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.3",
            .syntax = "EXPUNGE",
            .explain = N_("Removes for good the messages marked \\Deleted. Each removal is "
                          "reported as \"* n EXPUNGE\", and the numbers of the messages "
                          "after it go down by one at once."),
        },
    [IMAP_CMD_SEARCH] =
        {
            .id = IMAP_CMD_SEARCH,
            .name = "SEARCH",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.4",
            .syntax = "SEARCH [CHARSET charset] criteria …",
            .explain = N_("Finds the messages matching all the criteria (AND); OR, NOT and "
                          "parentheses combine them. The untagged SEARCH lists message "
                          "numbers (UIDs with UID SEARCH)."),
        },
    [IMAP_CMD_FETCH] =
        {
            .id = IMAP_CMD_FETCH,
            .name = "FETCH",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.5",
            .syntax = "FETCH sequence-set (items)",
            .explain = N_("Reads data of messages: flags, UID, size, envelope, structure or "
                          "content (BODY[section]<partial>). BODY[…] sets \\Seen; BODY.PEEK[…] "
                          "does not."),
        },
    [IMAP_CMD_STORE] =
        {
            .id = IMAP_CMD_STORE,
            .name = "STORE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.6",
            .syntax = "STORE sequence-set [+|-]FLAGS[.SILENT] (flags)",
            .explain = N_("Changes flags: FLAGS replaces them, +FLAGS adds, -FLAGS removes. "
                          "The server answers with the new flags in untagged FETCH lines, "
                          "unless .SILENT is given."),
        },
    [IMAP_CMD_COPY] =
        {
            .id = IMAP_CMD_COPY,
            .name = "COPY",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.7",
            .syntax = "COPY sequence-set mailbox",
            .explain = N_("Copies messages, flags included, to the end of another mailbox. "
                          "With UIDPLUS the OK carries [COPYUID uidvalidity old-uids "
                          "new-uids]."),
        },
    [IMAP_CMD_MOVE] =
        {
            .id = IMAP_CMD_MOVE,
            .name = "MOVE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 6851 §3.1",
            .syntax = "MOVE sequence-set mailbox",
            .explain = N_("Moves messages to another mailbox in one step: like COPY, then "
                          "\\Deleted and EXPUNGE of only those messages. The server sends "
                          "[COPYUID] in an untagged OK, then the EXPUNGE lines."),
        },
    [IMAP_CMD_UID_FETCH] =
        {
            .id = IMAP_CMD_UID_FETCH,
            .name = "UID FETCH",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.8",
            .syntax = "UID FETCH uid-set (items)",
            .explain = N_("FETCH with UIDs instead of message numbers; every answer "
                          "includes the UID. UIDs do not change when other messages are "
                          "expunged — as long as UIDVALIDITY stays the same."),
        },
    [IMAP_CMD_UID_STORE] =
        {
            .id = IMAP_CMD_UID_STORE,
            .name = "UID STORE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.8",
            .syntax = "UID STORE uid-set [+|-]FLAGS[.SILENT] (flags)",
            .explain = N_("STORE with UIDs instead of message numbers."),
        },
    [IMAP_CMD_UID_COPY] =
        {
            .id = IMAP_CMD_UID_COPY,
            .name = "UID COPY",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.8",
            .syntax = "UID COPY uid-set mailbox",
            .explain = N_("COPY with UIDs instead of message numbers."),
        },
    [IMAP_CMD_UID_MOVE] =
        {
            .id = IMAP_CMD_UID_MOVE,
            .name = "UID MOVE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 6851 §3.2",
            .syntax = "UID MOVE uid-set mailbox",
            .explain = N_("MOVE with UIDs instead of message numbers."),
        },
    [IMAP_CMD_UID_SEARCH] =
        {
            .id = IMAP_CMD_UID_SEARCH,
            .name = "UID SEARCH",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 3501 §6.4.8",
            .syntax = "UID SEARCH criteria …",
            .explain = N_("SEARCH that answers UIDs instead of message numbers."),
        },
    [IMAP_CMD_UID_EXPUNGE] =
        {
            .id = IMAP_CMD_UID_EXPUNGE,
            .name = "UID EXPUNGE",
            .states = IMAP_STATE_SELECTED,
            .rfc = "RFC 4315 §2.1",
            .syntax = "UID EXPUNGE uid-set",
            .explain = N_("EXPUNGE of only the \\Deleted messages whose UIDs are given, "
                          "so that a client does not remove what another client marked."),
        },
};

const ImapCommandInfo *
imap_command_lookup(const char *name, const ImapArg *first_arg)
{
	char buf[64];
	if (name == NULL)
		return NULL;
	if (g_ascii_strcasecmp(name, "UID") == 0) {
		const char *sub;
		if (!imap_arg_get_atom(first_arg, &sub) || strlen(sub) > 32)
			return NULL;
		g_snprintf(buf, sizeof(buf), "UID %s", sub);
		name = buf;
	}
	for (gsize i = 0; i < IMAP_CMD_N; i++) {
		if (g_ascii_strcasecmp(imap_commands[i].name, name) == 0)
			return &imap_commands[i];
	}
	return NULL;
}

const char *
imap_state_name(ImapState state)
{
	switch (state) {
	case IMAP_STATE_NOT_AUTH:
		return _("not authenticated");
	case IMAP_STATE_AUTH:
		return _("authenticated");
	case IMAP_STATE_SELECTED:
		return _("selected");
	case IMAP_STATE_LOGOUT:
		return _("logout");
	}
	return "?";
}
