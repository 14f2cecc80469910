/* The table of IMAP server responses. */
#include "proto/imap-response.h"

#include "core/facteur-i18n.h"

const ImapResponseInfo imap_responses[] = {
    {
        .name = "OK",
        .klass = IMAP_RESPONSE_STATUS,
        .rfc = "RFC 3501 §7.1.1",
        .explain = N_("Untagged OK: information (often a response code in brackets), "
                      "or the greeting of a server that waits for a login."),
        .explain_tagged = N_("The command with this tag succeeded."),
    },
    {
        .name = "NO",
        .klass = IMAP_RESPONSE_STATUS,
        .rfc = "RFC 3501 §7.1.2",
        .explain = N_("Untagged NO: a warning from the server; the command goes on."),
        .explain_tagged = N_("The command with this tag was understood but failed (no "
                             "such mailbox, wrong password, …)."),
    },
    {
        .name = "BAD",
        .klass = IMAP_RESPONSE_STATUS,
        .rfc = "RFC 3501 §7.1.3",
        .explain = N_("Untagged BAD: the server could not tell which command a faulty "
                      "line belonged to."),
        .explain_tagged = N_("The command with this tag is wrong: unknown, malformed, or "
                             "not allowed in the current state. The session goes on."),
    },
    {
        .name = "PREAUTH",
        .klass = IMAP_RESPONSE_STATUS,
        .rfc = "RFC 3501 §7.1.4",
        .explain = N_("A greeting saying the connection is already authenticated (by "
                      "other means): no LOGIN needed."),
        .explain_tagged = NULL,
    },
    {
        .name = "BYE",
        .klass = IMAP_RESPONSE_STATUS,
        .rfc = "RFC 3501 §7.1.5",
        .explain = N_("The server is closing the connection: after LOGOUT, on shutdown, "
                      "or after the autologout time without activity."),
        .explain_tagged = NULL,
    },
    {
        .name = "CAPABILITY",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.1",
        .explain = N_("The list of the server's capabilities: IMAP4rev1 and the "
                      "extensions it supports."),
    },
    {
        .name = "LIST",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.2",
        .explain = N_("One mailbox: its attributes (\\Noselect, \\HasChildren, …), the "
                      "hierarchy delimiter and its name (modified UTF-7)."),
    },
    {
        .name = "LSUB",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.3",
        .explain = N_("One subscribed mailbox, in the form of a LIST line."),
    },
    {
        .name = "STATUS",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.4",
        .explain = N_("The counters asked for by STATUS: MESSAGES, RECENT, UIDNEXT, "
                      "UIDVALIDITY, UNSEEN (a count here)."),
    },
    {
        .name = "SEARCH",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.5",
        .explain = N_("The messages that matched a SEARCH: sequence numbers, or UIDs "
                      "for UID SEARCH. Nothing after the word means no match."),
    },
    {
        .name = "FLAGS",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 3501 §7.2.6",
        .explain = N_("The flags that exist in the selected mailbox."),
    },
    {
        .name = "NAMESPACE",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 2342 §5",
        .explain = N_("Personal, other users' and shared namespaces, each a prefix and "
                      "a hierarchy delimiter; NIL when there are none."),
    },
    {
        .name = "ENABLED",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 5161 §3.2",
        .explain = N_("The extensions an ENABLE command actually switched on."),
    },
    {
        .name = "ID",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 2971 §3.2",
        .explain = N_("The server's name, version and such, answering ID."),
    },
    {
        .name = "ESEARCH",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 4731",
        .explain = N_("An extended SEARCH result: MIN, MAX, COUNT or ALL as a compact "
                      "set."),
    },
    {
        .name = "VANISHED",
        .klass = IMAP_RESPONSE_DATA,
        .rfc = "RFC 7162 §3.2.10",
        .explain = N_("UIDs of expunged messages, sent instead of EXPUNGE lines once "
                      "QRESYNC is enabled."),
    },
    {
        .name = "EXISTS",
        .klass = IMAP_RESPONSE_MESSAGE_DATA,
        .rfc = "RFC 3501 §7.3.1",
        .explain = N_("The number of messages in the mailbox now. When it grows, new "
                      "messages have arrived."),
    },
    {
        .name = "RECENT",
        .klass = IMAP_RESPONSE_MESSAGE_DATA,
        .rfc = "RFC 3501 §7.3.2",
        .explain = N_("The number of messages with \\Recent: arrived since the last "
                      "session that selected the mailbox. Only one session sees a "
                      "message as recent."),
    },
    {
        .name = "EXPUNGE",
        .klass = IMAP_RESPONSE_MESSAGE_DATA,
        .rfc = "RFC 3501 §7.4.1",
        .explain = N_("The message with this sequence number was removed; every "
                      "message after it moves down one number at once, so removing "
                      "messages 3 and 5 can be announced as 5 then 3, or as 3 then 4."),
    },
    {
        .name = "FETCH",
        .klass = IMAP_RESPONSE_MESSAGE_DATA,
        .rfc = "RFC 3501 §7.4.2",
        .explain = N_("Data of one message: the items asked for by FETCH, or FLAGS "
                      "sent unasked when another session changed them."),
    },
    {
        .name = "+",
        .klass = IMAP_RESPONSE_CONTINUE,
        .rfc = "RFC 3501 §7.5",
        .explain = N_("Continuation request: the server is ready for the rest of the "
                      "command (a literal's octets, a SASL answer), or is idling."),
    },
};

const gsize imap_n_responses = G_N_ELEMENTS(imap_responses);

const ImapResponseInfo *
imap_response_lookup(const char *keyword)
{
	if (keyword == NULL)
		return NULL;
	for (gsize i = 0; i < imap_n_responses; i++) {
		if (g_ascii_strcasecmp(imap_responses[i].name, keyword) == 0)
			return &imap_responses[i];
	}
	return NULL;
}
