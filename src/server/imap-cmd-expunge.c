/* EXPUNGE (RFC 3501 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1): remove the
 * messages marked \Deleted (only those of the UID set for UID EXPUNGE).
 * The untagged EXPUNGE lines come from the session's update, which numbers
 * each as it stands when sent. */
#include "server/imap-commands.h"

void
imap_cmd_expunge(ImapSession *s, const ImapCommand *cmd)
{
	g_autoptr(GArray) only = NULL;
	if (imap_cmd_n_args(cmd) != (cmd->uid ? 1u : 0u)) {
		imap_session_bad(s, cmd,
		                 cmd->uid ? "UID EXPUNGE takes a UID set"
		                          : "EXPUNGE takes no arguments");
		return;
	}
	if (cmd->uid && !imap_session_seqset_arg(s, cmd, imap_cmd_arg(cmd, 0), TRUE, &only))
		return;
	if (s->read_only) {
		imap_session_no(s, cmd, "READ-ONLY", "The mailbox is read-only (EXAMINE)");
		return;
	}
	g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	guint n = only != NULL ? only->len : s->view->len;
	for (guint k = 0; k < n; k++) {
		guint i = only != NULL ? g_array_index(only, guint, k) : k;
		const StoreMessage *m = imap_session_message(s, i);
		if (m != NULL && (m->flags & STORE_FLAG_DELETED))
			g_array_append_val(uids, m->uid);
	}
	g_autoptr(GError) error = NULL;
	if (uids->len > 0 &&
	    !store_mailbox_expunge(s->mb, (guint32 *)(void *)uids->data, uids->len, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}
