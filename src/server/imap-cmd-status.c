/* STATUS (RFC 3501 §6.3.10): counters of a mailbox without selecting it.
 * UNSEEN is a count here, unlike [UNSEEN n] after SELECT. */
#include "server/imap-commands.h"

#include <string.h>

void
imap_cmd_status(ImapSession *s, const ImapCommand *cmd)
{
	const ImapArg *items = imap_cmd_arg(cmd, 1);
	if (imap_cmd_n_args(cmd) != 2 || !imap_arg_is_list(items) || imap_arg_count(items) == 0) {
		imap_session_bad(s, cmd,
		                 "STATUS takes a mailbox and a list of items, for example "
		                 "(MESSAGES UNSEEN)");
		return;
	}
	static const char *const known[] = {"MESSAGES", "RECENT", "UIDNEXT", "UIDVALIDITY",
	                                    "UNSEEN"};
	for (guint i = 0; i < imap_arg_count(items); i++) {
		gboolean ok = FALSE;
		for (gsize k = 0; k < G_N_ELEMENTS(known); k++)
			ok = ok || imap_arg_atom_equals(imap_arg_nth(items, i), known[k]);
		if (!ok) {
			imap_session_bad(s, cmd,
			                 "Unknown STATUS item: MESSAGES, RECENT, UIDNEXT, "
			                 "UIDVALIDITY or UNSEEN expected");
			return;
		}
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(s->store, s->user, name, &error);
	if (mb == NULL) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	guint recent = store_mailbox_count_recent(mb);
	if (s->mb == mb) {
		/* The messages this session claimed as \Recent are recent too. */
		for (guint i = 0; i < s->view->len; i++)
			recent +=
			    imap_session_is_recent(s, g_array_index(s->view, ImapViewMsg, i).uid);
	}
	g_autoptr(GString) line = g_string_new("* STATUS ");
	imap_append_mailbox(line, store_mailbox_name(mb));
	g_string_append(line, " (");
	for (guint i = 0; i < imap_arg_count(items); i++) {
		const ImapArg *item = imap_arg_nth(items, i);
		guint value;
		if (imap_arg_atom_equals(item, "MESSAGES"))
			value = store_mailbox_count(mb);
		else if (imap_arg_atom_equals(item, "RECENT"))
			value = recent;
		else if (imap_arg_atom_equals(item, "UIDNEXT"))
			value = store_mailbox_uidnext(mb);
		else if (imap_arg_atom_equals(item, "UIDVALIDITY"))
			value = store_mailbox_uidvalidity(mb);
		else
			value = store_mailbox_count_unseen(mb);
		g_autofree char *upper = g_ascii_strup(item->data, -1);
		g_string_append_printf(line, "%s%s %u", i > 0 ? " " : "", upper, value);
	}
	g_string_append(line, ")\r\n");
	server_conn_write(s->conn, line->str, line->len);
	imap_session_ok(s, cmd, NULL, "STATUS completed");
}
