/* The table of IMAP flags and mailbox attributes. */
#include "proto/imap-flag.h"

#include "core/facteur-i18n.h"

const ImapFlagInfo imap_flags[] = {
    {"\\Seen", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2", N_("The message has been read.")},
    {"\\Answered", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2", N_("The message has been answered.")},
    {"\\Flagged", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2",
     N_("The message is marked for attention (important, starred).")},
    {"\\Deleted", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2",
     N_("The message is marked for removal; EXPUNGE or CLOSE removes it for good.")},
    {"\\Draft", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2", N_("The message is a draft, not finished.")},
    {"\\Recent", IMAP_FLAG_MESSAGE, "RFC 3501 §2.3.2",
     N_("The message arrived since the previous session on this mailbox; only one "
        "session sees it, and no client can set or clear it.")},
    {"\\*", IMAP_FLAG_MESSAGE, "RFC 3501 §7.1",
     N_("In PERMANENTFLAGS: the client may create new keywords.")},
    {"\\Noinferiors", IMAP_FLAG_MAILBOX, "RFC 3501 §7.2.2",
     N_("No mailbox can be created below this one.")},
    {"\\Noselect", IMAP_FLAG_MAILBOX, "RFC 3501 §7.2.2",
     N_("This name is only a level of the hierarchy; it cannot be selected.")},
    {"\\Marked", IMAP_FLAG_MAILBOX, "RFC 3501 §7.2.2",
     N_("The server thinks the mailbox has new messages.")},
    {"\\Unmarked", IMAP_FLAG_MAILBOX, "RFC 3501 §7.2.2",
     N_("No new message since the mailbox was last selected.")},
    {"\\HasChildren", IMAP_FLAG_MAILBOX, "RFC 3348 §4", N_("The mailbox has mailboxes below it.")},
    {"\\HasNoChildren", IMAP_FLAG_MAILBOX, "RFC 3348 §4",
     N_("The mailbox has no mailbox below it.")},
    {"\\NonExistent", IMAP_FLAG_MAILBOX, "RFC 5258 §3",
     N_("The name does not exist as a mailbox (listed for its children or "
        "subscription).")},
    {"\\Subscribed", IMAP_FLAG_MAILBOX, "RFC 5258 §3", N_("The mailbox is subscribed.")},
    {"\\Remote", IMAP_FLAG_MAILBOX, "RFC 5258 §3", N_("The mailbox is on another server.")},
    {"\\All", IMAP_FLAG_MAILBOX, "RFC 6154 §2",
     N_("Special use: a virtual mailbox holding every message.")},
    {"\\Archive", IMAP_FLAG_MAILBOX, "RFC 6154 §2",
     N_("Special use: where messages are archived.")},
    {"\\Drafts", IMAP_FLAG_MAILBOX, "RFC 6154 §2", N_("Special use: where drafts are kept.")},
    {"\\Flagged", IMAP_FLAG_MAILBOX, "RFC 6154 §2",
     N_("Special use: a virtual mailbox of the \\Flagged messages.")},
    {"\\Junk", IMAP_FLAG_MAILBOX, "RFC 6154 §2", N_("Special use: where spam goes.")},
    {"\\Sent", IMAP_FLAG_MAILBOX, "RFC 6154 §2", N_("Special use: copies of the messages sent.")},
    {"\\Trash", IMAP_FLAG_MAILBOX, "RFC 6154 §2",
     N_("Special use: deleted messages, before they are removed for good.")},
};

const gsize imap_n_flags = G_N_ELEMENTS(imap_flags);

const ImapFlagInfo *
imap_flag_lookup(const char *name, ImapFlagKind kind)
{
	if (name == NULL)
		return NULL;
	for (gsize i = 0; i < imap_n_flags; i++) {
		if (imap_flags[i].kind == kind && g_ascii_strcasecmp(imap_flags[i].name, name) == 0)
			return &imap_flags[i];
	}
	return NULL;
}
