/* The table of IMAP capabilities. The server builds its CAPABILITY line from
 * the rows marked offered, so that the table and the wire agree. */
#include "proto/imap-capability.h"

#include "core/facteur-i18n.h"

#include <string.h>

const ImapCapabilityInfo imap_capabilities[] = {
    {.name = "IMAP4rev1",
     .rfc = "RFC 3501",
     .offered = TRUE,
     .explain = N_("The server speaks IMAP version 4 revision 1, the base protocol.")},
    {.name = "LITERAL+",
     .rfc = "RFC 7888",
     .offered = TRUE,
     .explain = N_("Non-synchronising literals {n+}: the client sends a literal's octets "
                   "without waiting for the server's \"+\".")},
    {.name = "IDLE",
     .rfc = "RFC 2177",
     .offered = TRUE,
     .explain = N_("The IDLE command: the server pushes new mail and changes at once "
                   "instead of the client polling.")},
    {.name = "UIDPLUS",
     .rfc = "RFC 4315",
     .offered = TRUE,
     .explain = N_("APPEND and COPY give the new messages' UIDs ([APPENDUID], "
                   "[COPYUID]) and UID EXPUNGE removes only chosen messages.")},
    {.name = "NAMESPACE",
     .rfc = "RFC 2342",
     .offered = TRUE,
     .explain = N_("The NAMESPACE command: where personal and shared mailboxes are, and "
                   "the hierarchy delimiter.")},
    {.name = "MOVE",
     .rfc = "RFC 6851",
     .offered = TRUE,
     .explain = N_("The MOVE command: copy and expunge in one step.")},
    {.name = "UNSELECT",
     .rfc = "RFC 3691",
     .offered = TRUE,
     .explain = N_("The UNSELECT command: close a mailbox without expunging.")},
    {.name = "ID",
     .rfc = "RFC 2971",
     .offered = TRUE,
     .explain = N_("The ID command: client and server exchange names and versions.")},
    {.name = "CHILDREN",
     .rfc = "RFC 3348",
     .offered = TRUE,
     .explain = N_("LIST says whether a mailbox has sub-mailboxes (\\HasChildren, "
                   "\\HasNoChildren).")},
    {.name = "ENABLE",
     .rfc = "RFC 5161",
     .offered = FALSE,
     .explain = N_("The ENABLE command, to switch on extensions that change the "
                   "server's answers.")},
    {.name = "SASL-IR",
     .rfc = "RFC 4959",
     .offered = TRUE,
     .explain = N_("AUTHENTICATE may carry the first SASL answer on the command line, "
                   "saving a round trip.")},
    {.name = "AUTH=PLAIN",
     .rfc = "RFC 4616",
     .offered = TRUE,
     .explain = N_("SASL PLAIN: user and password in one base64 answer — readable by "
                   "anyone who sees the traffic, hence TLS in real life.")},
    {.name = "AUTH=LOGIN",
     .rfc = "draft-murchison-sasl-login",
     .offered = FALSE,
     .explain = N_("SASL LOGIN, an old non-standard mechanism: user then password, each "
                   "in base64 after a challenge.")},
    {.name = "AUTH=",
     .rfc = "RFC 3501 §6.2.2",
     .offered = FALSE,
     .explain = N_("A SASL mechanism the AUTHENTICATE command accepts.")},
    {.name = "STARTTLS",
     .rfc = "RFC 3501 §6.2.1",
     .offered = FALSE,
     .explain = N_("The STARTTLS command: switch the connection to TLS.")},
    {.name = "LOGINDISABLED",
     .rfc = "RFC 3501 §6.2.3",
     .offered = FALSE,
     .explain = N_("LOGIN is refused on this connection (typically until STARTTLS).")},
    {.name = "LOGIN-REFERRALS",
     .rfc = "RFC 2221",
     .offered = FALSE,
     .explain = N_("At login the server may send the client to another server "
                   "([REFERRAL]).")},
    {.name = "SORT",
     .rfc = "RFC 5256",
     .offered = FALSE,
     .explain = N_("The SORT command: the server sorts messages (by date, sender, …).")},
    {.name = "SORT=DISPLAY",
     .rfc = "RFC 5957",
     .offered = FALSE,
     .explain = N_("SORT by the displayed names of senders and recipients.")},
    {.name = "THREAD=REFERENCES",
     .rfc = "RFC 5256",
     .offered = FALSE,
     .explain = N_("The THREAD command, grouping replies by their References "
                   "headers.")},
    {.name = "THREAD=REFS",
     .rfc = "RFC 5256",
     .offered = FALSE,
     .explain = N_("THREAD with a variant of REFERENCES that sorts threads by their "
                   "latest message.")},
    {.name = "THREAD=ORDEREDSUBJECT",
     .rfc = "RFC 5256",
     .offered = FALSE,
     .explain = N_("THREAD grouping messages by subject, then by date.")},
    {.name = "MULTIAPPEND",
     .rfc = "RFC 3502",
     .offered = FALSE,
     .explain = N_("One APPEND may add several messages at once.")},
    {.name = "URL-PARTIAL",
     .rfc = "RFC 5550",
     .offered = FALSE,
     .explain = N_("IMAP URLs may name a part of a message by offset and length.")},
    {.name = "CATENATE",
     .rfc = "RFC 4469",
     .offered = FALSE,
     .explain = N_("APPEND may build a message from pieces of messages already on the "
                   "server.")},
    {.name = "LIST-EXTENDED",
     .rfc = "RFC 5258",
     .offered = FALSE,
     .explain = N_("LIST takes selection and return options (SUBSCRIBED, CHILDREN, "
                   "…).")},
    {.name = "I18NLEVEL=1",
     .rfc = "RFC 5255",
     .offered = FALSE,
     .explain = N_("Searches and sorts compare text with Unicode rules.")},
    {.name = "CONDSTORE",
     .rfc = "RFC 7162",
     .offered = FALSE,
     .explain = N_("Every change gets a modification sequence number (MODSEQ), so a "
                   "client can ask what changed since.")},
    {.name = "QRESYNC",
     .rfc = "RFC 7162",
     .offered = FALSE,
     .explain = N_("Quick resynchronisation: on SELECT the client gets only what "
                   "changed since its last visit (VANISHED, changed flags).")},
    {.name = "ESEARCH",
     .rfc = "RFC 4731",
     .offered = FALSE,
     .explain = N_("SEARCH may answer MIN, MAX, COUNT or a compact set (ESEARCH).")},
    {.name = "ESORT",
     .rfc = "RFC 5267",
     .offered = FALSE,
     .explain = N_("SORT may answer in the compact ESEARCH form.")},
    {.name = "SEARCHRES",
     .rfc = "RFC 5182",
     .offered = FALSE,
     .explain = N_("The result of a SEARCH can be kept and reused as \"$\".")},
    {.name = "WITHIN",
     .rfc = "RFC 5032",
     .offered = FALSE,
     .explain = N_("SEARCH keys OLDER and YOUNGER, in seconds.")},
    {.name = "CONTEXT=SEARCH",
     .rfc = "RFC 5267",
     .offered = FALSE,
     .explain = N_("The server keeps a search result up to date as messages change.")},
    {.name = "LIST-STATUS",
     .rfc = "RFC 5819",
     .offered = FALSE,
     .explain = N_("LIST may return STATUS counters for each mailbox.")},
    {.name = "BINARY",
     .rfc = "RFC 3516",
     .offered = FALSE,
     .explain = N_("FETCH BINARY[…]: the server decodes base64 or quoted-printable "
                   "parts itself.")},
    {.name = "SNIPPET=FUZZY",
     .rfc = "draft-ietf-extra-imap-fetch-preview",
     .offered = FALSE,
     .explain = N_("An early name of PREVIEW: FETCH gives a short text preview of a "
                   "message.")},
    {.name = "PREVIEW=FUZZY",
     .rfc = "draft-ietf-extra-imap-fetch-preview",
     .offered = FALSE,
     .explain = N_("A draft form of PREVIEW: FETCH gives a short text preview of a "
                   "message.")},
    {.name = "PREVIEW",
     .rfc = "RFC 8970",
     .offered = FALSE,
     .explain = N_("FETCH PREVIEW gives a short plain-text preview of a message.")},
    {.name = "STATUS=SIZE",
     .rfc = "RFC 8438",
     .offered = FALSE,
     .explain = N_("STATUS may return the total size of a mailbox.")},
    {.name = "SAVEDATE",
     .rfc = "RFC 8514",
     .offered = FALSE,
     .explain = N_("The server keeps the date each message was saved in its "
                   "mailbox.")},
    {.name = "NOTIFY",
     .rfc = "RFC 5465",
     .offered = FALSE,
     .explain = N_("The client chooses which mailboxes' changes the server reports, "
                   "even unselected ones.")},
    {.name = "SPECIAL-USE",
     .rfc = "RFC 6154",
     .offered = FALSE,
     .explain = N_("LIST marks special mailboxes: \\Sent, \\Drafts, \\Trash, \\Junk, "
                   "\\Archive, …")},
    {.name = "UTF8=ACCEPT",
     .rfc = "RFC 6855",
     .offered = FALSE,
     .explain = N_("Mailbox names and headers may be UTF-8 once the client enables "
                   "it.")},
    {.name = "LITERAL-",
     .rfc = "RFC 7888",
     .offered = FALSE,
     .explain = N_("Non-synchronising literals only up to 4096 octets.")},
    {.name = "APPENDLIMIT",
     .rfc = "RFC 7889",
     .offered = FALSE,
     .explain = N_("The largest message APPEND accepts.")},
    {.name = "COMPRESS=DEFLATE",
     .rfc = "RFC 4978",
     .offered = FALSE,
     .explain = N_("The connection may be compressed with DEFLATE.")},
    {.name = "QUOTA",
     .rfc = "RFC 9208",
     .offered = FALSE,
     .explain = N_("Commands to read storage quotas.")},
};

const gsize imap_n_capabilities = G_N_ELEMENTS(imap_capabilities);

const ImapCapabilityInfo *
imap_capability_lookup(const char *name)
{
	if (name == NULL)
		return NULL;
	for (gsize i = 0; i < imap_n_capabilities; i++) {
		if (g_ascii_strcasecmp(imap_capabilities[i].name, name) == 0)
			return &imap_capabilities[i];
	}
	if (g_ascii_strncasecmp(name, "AUTH=", 5) == 0 && name[5] != '\0')
		return imap_capability_lookup("AUTH=");
	return NULL;
}
