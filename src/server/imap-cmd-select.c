/* Opening and closing a mailbox: SELECT and EXAMINE (RFC 3501 §6.3.1-2),
 * CLOSE (§6.4.2) and UNSELECT (RFC 3691). */
#include "server/imap-commands.h"

void
imap_cmd_select(ImapSession *s, const ImapCommand *cmd)
{
	gboolean examine = cmd->info->id == IMAP_CMD_EXAMINE;
	if (imap_cmd_n_args(cmd) != 1) {
		imap_session_bad(s, cmd, "%s takes one mailbox name", cmd->info->name);
		return;
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	/* Any mailbox selected is closed first, without expunging, and stays
	 * closed if this SELECT fails (RFC 3501 §6.3.1). */
	if (s->mb != NULL) {
		imap_session_deselect(s);
		imap_session_printf(s, "* OK [CLOSED] Previous mailbox closed\r\n");
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(s->store, s->user, name, &error);
	if (mb == NULL) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	store_mailbox_sync(mb, NULL);
	imap_session_select(s, mb, examine);
	imap_session_tagged(s, cmd->tag, "OK", examine ? "READ-ONLY" : "READ-WRITE", "%s completed",
	                    cmd->info->name);
}

void
imap_cmd_close(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "%s takes no arguments", cmd->info->name);
		return;
	}
	if (cmd->info->id == IMAP_CMD_CLOSE && !s->read_only) {
		/* CLOSE expunges silently: no untagged EXPUNGE (RFC 3501 §6.4.2). */
		g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (guint i = 0; i < s->view->len; i++) {
			const StoreMessage *m = imap_session_message(s, i);
			if (m != NULL && (m->flags & STORE_FLAG_DELETED))
				g_array_append_val(uids, m->uid);
		}
		g_autoptr(GError) error = NULL;
		if (uids->len > 0 && !store_mailbox_expunge(s->mb, (guint32 *)(void *)uids->data,
		                                            uids->len, &error)) {
			imap_session_deselect(s);
			imap_session_no_store(s, cmd, error);
			return;
		}
	}
	imap_session_deselect(s);
	imap_session_tagged(s, cmd->tag, "OK", NULL, "%s completed", cmd->info->name);
}
