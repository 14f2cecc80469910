/* Mailbox management (RFC 3501 §6.3.3-7): CREATE, DELETE, RENAME, SUBSCRIBE
 * and UNSUBSCRIBE. Names arrive in modified UTF-7 and reach the store in
 * UTF-8; a name the store refuses is answered NO [CANNOT]. */
#include "server/imap-commands.h"

#include <string.h>

/* Whether name (UTF-8) is the selected mailbox or one below it. */
static gboolean
affects_selected(ImapSession *s, const char *name)
{
	if (s->mb == NULL)
		return FALSE;
	const char *sel = store_mailbox_name(s->mb);
	if (g_ascii_strcasecmp(name, "INBOX") == 0)
		return g_strcmp0(sel, "INBOX") == 0;
	gsize n = strlen(name);
	return strncmp(sel, name, n) == 0 &&
	       (sel[n] == '\0' || sel[n] == STORE_HIERARCHY_DELIMITER);
}

/* This session removed its own selected mailbox: it leaves the selected
 * state quietly (another session's change would end in BYE instead). */
static void
close_selected(ImapSession *s)
{
	imap_session_deselect(s);
	imap_session_printf(s, "* OK [CLOSED] The selected mailbox is gone\r\n");
}

void
imap_cmd_create(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 1) {
		imap_session_bad(s, cmd, "CREATE takes one mailbox name");
		return;
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	/* "CREATE foo." announces children to come: the name is "foo" (§6.3.3). */
	gsize len = strlen(name);
	if (len > 1 && name[len - 1] == STORE_HIERARCHY_DELIMITER)
		name[len - 1] = '\0';
	if (g_ascii_strcasecmp(name, "INBOX") == 0) {
		imap_session_no(s, cmd, "ALREADYEXISTS", "INBOX always exists");
		return;
	}
	g_autoptr(GError) error = NULL;
	if (!store_mailbox_create(s->store, s->user, name, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	imap_session_ok(s, cmd, NULL, "CREATE completed");
}

void
imap_cmd_delete(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 1) {
		imap_session_bad(s, cmd, "DELETE takes one mailbox name");
		return;
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	if (g_ascii_strcasecmp(name, "INBOX") == 0) {
		imap_session_no(s, cmd, "CANNOT", "INBOX cannot be deleted (RFC 3501 6.3.4)");
		return;
	}
	gboolean selected = s->mb != NULL && strcmp(store_mailbox_name(s->mb), name) == 0;
	g_autoptr(GError) error = NULL;
	if (!store_mailbox_delete(s->store, s->user, name, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	if (selected)
		close_selected(s);
	imap_session_ok(s, cmd, NULL, "DELETE completed");
}

void
imap_cmd_rename(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 2) {
		imap_session_bad(s, cmd, "RENAME takes the old and the new mailbox names");
		return;
	}
	g_autofree char *from = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (from == NULL)
		return;
	g_autofree char *to = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 1));
	if (to == NULL)
		return;
	gboolean selected = g_ascii_strcasecmp(from, "INBOX") != 0 && affects_selected(s, from);
	g_autoptr(GError) error = NULL;
	if (!store_mailbox_rename(s->store, s->user, from, to, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	if (selected)
		close_selected(s);
	imap_session_ok(s, cmd, NULL, "RENAME completed");
}

void
imap_cmd_subscribe(ImapSession *s, const ImapCommand *cmd)
{
	gboolean subscribe = cmd->info->id == IMAP_CMD_SUBSCRIBE;
	if (imap_cmd_n_args(cmd) != 1) {
		imap_session_bad(s, cmd, "%s takes one mailbox name", cmd->info->name);
		return;
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	g_autoptr(GError) error = NULL;
	if (!store_subscription_set(s->store, s->user, name, subscribe, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}
