/* STORE and UID STORE (RFC 3501 §6.4.6): FLAGS replaces, +FLAGS adds,
 * -FLAGS removes; each changed message is answered with an untagged FETCH
 * of its flags unless .SILENT. */
#include "server/imap-commands.h"

#include <string.h>

void
imap_cmd_store(ImapSession *s, const ImapCommand *cmd)
{
	guint n = imap_cmd_n_args(cmd);
	const char *item;
	if (n < 3 || !imap_arg_get_atom(imap_cmd_arg(cmd, 1), &item)) {
		imap_session_bad(s, cmd, "%s takes a %s set, [+|-]FLAGS[.SILENT] and flags",
		                 cmd->info->name, cmd->uid ? "UID" : "sequence");
		return;
	}
	int op = 0;
	if (item[0] == '+' || item[0] == '-')
		op = *item++;
	gboolean silent = g_ascii_strcasecmp(item, "FLAGS.SILENT") == 0;
	if (!silent && g_ascii_strcasecmp(item, "FLAGS") != 0) {
		imap_session_bad(s, cmd,
		                 "Unknown STORE item: FLAGS, +FLAGS or -FLAGS, with "
		                 "optional .SILENT");
		return;
	}
	guint32 flags = 0;
	if (n == 3 && imap_arg_is_list(imap_cmd_arg(cmd, 2))) {
		if (!imap_session_flags_arg(s, cmd, imap_cmd_arg(cmd, 2), &flags))
			return;
	} else {
		/* store-att-flags also allows the flags without parentheses. */
		for (guint i = 2; i < n; i++) {
			guint32 f;
			if (!imap_session_flags_arg(s, cmd, imap_cmd_arg(cmd, i), &f))
				return;
			flags |= f;
		}
	}
	g_autoptr(GArray) indexes = NULL;
	if (!imap_session_seqset_arg(s, cmd, imap_cmd_arg(cmd, 0), cmd->uid, &indexes))
		return;
	if (s->read_only) {
		imap_session_no(s, cmd, "READ-ONLY", "The mailbox is read-only (EXAMINE)");
		return;
	}
	gboolean expunged = FALSE;
	for (guint k = 0; k < indexes->len; k++) {
		guint i = g_array_index(indexes, guint, k);
		const StoreMessage *m = imap_session_message(s, i);
		if (m == NULL) {
			expunged = TRUE;
			continue;
		}
		guint32 now = op == '+'   ? (m->flags | flags)
		              : op == '-' ? (m->flags & ~flags)
		                          : flags;
		g_autoptr(GError) error = NULL;
		if (!imap_session_set_flags(s, i, now, &error)) {
			imap_session_no_store(s, cmd, error);
			return;
		}
		if (silent)
			continue;
		ImapViewMsg *v = &g_array_index(s->view, ImapViewMsg, i);
		g_autoptr(GString) line = g_string_new(NULL);
		g_string_append_printf(line, "* %u FETCH (", i + 1);
		if (cmd->uid)
			g_string_append_printf(line, "UID %u ", v->uid);
		g_string_append(line, "FLAGS ");
		imap_append_flags(line, v->flags, imap_session_is_recent(s, v->uid));
		g_string_append(line, ")\r\n");
		server_conn_write(s->conn, line->str, line->len);
	}
	if (expunged)
		imap_session_no(s, cmd, "EXPUNGEISSUED",
		                "Some of the messages were expunged by another session");
	else
		imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}
