/* The table of IMAP response codes. The explanations are exact where
 * teaching is often loose: [UNSEEN n] is the number of the first unseen
 * message, not a count. */
#include "proto/imap-code.h"

#include "core/facteur-i18n.h"

const ImapCodeInfo imap_codes[] = {
    {
        .name = "ALERT",
        .args = "",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The text is a warning that the client must show to the user as "
                      "it is."),
    },
    {
        .name = "BADCHARSET",
        .args = "[(charset …)]",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The SEARCH used a charset the server does not support; the list "
                      "gives those it does."),
    },
    {
        .name = "CAPABILITY",
        .args = "capability …",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The server's capabilities, given in passing (in the greeting or "
                      "after login) so the client need not ask with CAPABILITY."),
    },
    {
        .name = "PARSE",
        .args = "",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The server could not parse the headers or MIME structure of a "
                      "message."),
    },
    {
        .name = "PERMANENTFLAGS",
        .args = "(flag …)",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The flags the client may change for good in this mailbox. \\* "
                      "would mean new keywords can be created; without it, only these "
                      "flags are kept."),
    },
    {
        .name = "READ-ONLY",
        .args = "",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The mailbox is open read-only (EXAMINE, or no right to write): "
                      "no flag will change."),
    },
    {
        .name = "READ-WRITE",
        .args = "",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The mailbox is open read-write (SELECT)."),
    },
    {
        .name = "TRYCREATE",
        .args = "",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("APPEND or COPY failed because the target mailbox does not exist; "
                      "the client may CREATE it and try again."),
    },
    {
        .name = "UIDNEXT",
        .args = "n",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The UID the next message added to this mailbox will get, at the "
                      "least. If it moved since last time, new mail arrived."),
    },
    {
        .name = "UIDVALIDITY",
        .args = "n",
        .rfc = "RFC 3501 §7.1, §2.3.1.1",
        .explain = N_("Identifies this incarnation of the mailbox. UIDs are only "
                      "meaningful together with it: if it changes (the mailbox was "
                      "deleted and created again, or rebuilt), the client must forget "
                      "every UID it cached."),
    },
    {
        .name = "UNSEEN",
        .args = "n",
        .rfc = "RFC 3501 §7.1",
        .explain = N_("The sequence number of the first message without \\Seen — not "
                      "the number of unseen messages (that count is STATUS UNSEEN). Sent "
                      "only when there is an unseen message."),
    },
    {
        .name = "APPENDUID",
        .args = "uidvalidity uid",
        .rfc = "RFC 4315 §3",
        .explain = N_("The UIDVALIDITY of the target mailbox and the UID the appended "
                      "message got, so the client knows it without searching."),
    },
    {
        .name = "COPYUID",
        .args = "uidvalidity source-uids destination-uids",
        .rfc = "RFC 4315 §3",
        .explain = N_("The UIDVALIDITY of the target mailbox, the UIDs copied and the "
                      "UIDs their copies got, in the same order."),
    },
    {
        .name = "UIDNOTSTICKY",
        .args = "",
        .rfc = "RFC 4315 §3",
        .explain = N_("This mailbox does not keep UIDs from one session to the next."),
    },
    {
        .name = "CLOSED",
        .args = "",
        .rfc = "RFC 7162 §3.2.11",
        .explain = N_("The previously selected mailbox is now closed: the responses "
                      "that follow are about the mailbox being selected."),
    },
    {
        .name = "HIGHESTMODSEQ",
        .args = "modseq",
        .rfc = "RFC 7162 §3.1.2.1",
        .explain = N_("The highest modification sequence of the mailbox (CONDSTORE): a "
                      "client that saw it before can ask only for what changed since."),
    },
    {
        .name = "NOMODSEQ",
        .args = "",
        .rfc = "RFC 7162 §3.1.2.2",
        .explain = N_("The mailbox keeps no modification sequences (CONDSTORE)."),
    },
    {
        .name = "REFERRAL",
        .args = "imap-url",
        .rfc = "RFC 2221",
        .explain = N_("The server sends the client to another server, given as an IMAP "
                      "URL."),
    },
    {
        .name = "UNKNOWN-CTE",
        .args = "",
        .rfc = "RFC 3516",
        .explain = N_("The server cannot decode the part's Content-Transfer-Encoding "
                      "for a BINARY fetch."),
    },
    {
        .name = "UNAVAILABLE",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("A temporary failure of the server or of a system it needs; "
                      "trying later may work."),
    },
    {
        .name = "AUTHENTICATIONFAILED",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("Wrong user name or password. The server does not say which, so "
                      "as not to help someone guessing accounts."),
    },
    {
        .name = "AUTHORIZATIONFAILED",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The credentials are right but this identity may not act as the "
                      "user asked for."),
    },
    {
        .name = "EXPIRED",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The credentials have expired (a password to change, for "
                      "example)."),
    },
    {
        .name = "PRIVACYREQUIRED",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The operation needs an encrypted connection (TLS)."),
    },
    {
        .name = "CONTACTADMIN",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The user should contact the system administrator."),
    },
    {
        .name = "NOPERM",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The user has no right to do this (access control)."),
    },
    {
        .name = "INUSE",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("Someone else is using the mailbox or resource in a way that "
                      "prevents this operation for now."),
    },
    {
        .name = "EXPUNGEISSUED",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("Some of the messages asked for were expunged by another session "
                      "in the meantime."),
    },
    {
        .name = "CORRUPTION",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The server found damaged data in its store."),
    },
    {
        .name = "SERVERBUG",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The server admits a bug of its own."),
    },
    {
        .name = "CLIENTBUG",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The server completed the command but thinks the client did "
                      "something wrong."),
    },
    {
        .name = "CANNOT",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The operation breaks a rule of the server and will never "
                      "succeed (a name it cannot store, for example)."),
    },
    {
        .name = "LIMIT",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("A limit of the server was reached (size, number of mailboxes, "
                      "depth)."),
    },
    {
        .name = "OVERQUOTA",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The user's quota is used up."),
    },
    {
        .name = "ALREADYEXISTS",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("A mailbox of that name already exists (CREATE or RENAME)."),
    },
    {
        .name = "NONEXISTENT",
        .args = "",
        .rfc = "RFC 5530 §3",
        .explain = N_("The mailbox named does not exist (SELECT, DELETE, STATUS, …); "
                      "for APPEND and COPY, TRYCREATE says so instead."),
    },
};

const gsize imap_n_codes = G_N_ELEMENTS(imap_codes);

const ImapCodeInfo *
imap_code_lookup(const char *name)
{
	if (name == NULL)
		return NULL;
	for (gsize i = 0; i < imap_n_codes; i++) {
		if (g_ascii_strcasecmp(imap_codes[i].name, name) == 0)
			return &imap_codes[i];
	}
	return NULL;
}
