/* COPY (RFC 3501 §6.4.7), MOVE (RFC 6851) and their UID forms, with
 * [COPYUID uidvalidity source-uids destination-uids] (UIDPLUS, RFC 4315).
 * A missing target gives NO [TRYCREATE]; a copy that fails half-way is
 * undone, as §6.4.7 requires. */
#include "server/imap-commands.h"

#include "proto/imap-seqset.h"

void
imap_cmd_copy(ImapSession *s, const ImapCommand *cmd)
{
	gboolean move = cmd->info->id == IMAP_CMD_MOVE || cmd->info->id == IMAP_CMD_UID_MOVE;
	if (imap_cmd_n_args(cmd) != 2) {
		imap_session_bad(s, cmd, "%s takes a %s set and a mailbox", cmd->info->name,
		                 cmd->uid ? "UID" : "sequence");
		return;
	}
	g_autoptr(GArray) indexes = NULL;
	if (!imap_session_seqset_arg(s, cmd, imap_cmd_arg(cmd, 0), cmd->uid, &indexes))
		return;
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 1));
	if (name == NULL)
		return;
	if (move && s->read_only) {
		imap_session_no(s, cmd, "READ-ONLY", "The mailbox is read-only (EXAMINE)");
		return;
	}
	g_autoptr(GArray) src = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint k = 0; k < indexes->len; k++) {
		const StoreMessage *m = imap_session_message(s, g_array_index(indexes, guint, k));
		if (m == NULL) {
			imap_session_no(s, cmd, "EXPUNGEISSUED",
			                "Some of the messages were expunged by another session");
			return;
		}
		g_array_append_val(src, m->uid);
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) dest = store_mailbox_open(s->store, s->user, name, &error);
	if (dest == NULL) {
		if (g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND))
			imap_session_no(s, cmd, "TRYCREATE", "Mailbox doesn't exist");
		else
			imap_session_no_store(s, cmd, error);
		return;
	}
	g_autoptr(GArray) dst = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint k = 0; k < src->len; k++) {
		guint32 uid;
		if (!store_message_copy(s->mb, g_array_index(src, guint32, k), dest, &uid,
		                        &error)) {
			if (dst->len > 0)
				store_mailbox_expunge(dest, (guint32 *)(void *)dst->data, dst->len,
				                      NULL);
			imap_session_no_store(s, cmd, error);
			return;
		}
		g_array_append_val(dst, uid);
	}
	g_autofree char *code = NULL;
	if (src->len > 0) {
		g_autofree char *from = imap_seqset_format((guint32 *)(void *)src->data, src->len);
		g_autofree char *to = imap_seqset_format((guint32 *)(void *)dst->data, dst->len);
		code =
		    g_strdup_printf("COPYUID %u %s %s", store_mailbox_uidvalidity(dest), from, to);
	}
	if (!move) {
		imap_session_ok(s, cmd, code, "%s completed", cmd->info->name);
		return;
	}
	/* MOVE: COPYUID goes in an untagged OK before the EXPUNGE lines
	 * (RFC 6851 §4.3). */
	if (code != NULL)
		imap_session_printf(s, "* OK [%s] Moved\r\n", code);
	if (src->len > 0 &&
	    !store_mailbox_expunge(s->mb, (guint32 *)(void *)src->data, src->len, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}
