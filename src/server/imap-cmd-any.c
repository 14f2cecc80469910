/* The commands valid in any state (RFC 3501 §6.1): CAPABILITY, NOOP (and
 * CHECK, §6.4.1, which a Maildir store makes a NOOP), LOGOUT, and ID
 * (RFC 2971). */
#include "server/imap-commands.h"

void
imap_cmd_capability(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "CAPABILITY takes no arguments");
		return;
	}
	g_autofree char *caps = imap_session_capabilities();
	imap_session_printf(s, "* CAPABILITY %s\r\n", caps);
	imap_session_ok(s, cmd, NULL, "Capability completed");
}

void
imap_cmd_noop(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "%s takes no arguments", cmd->info->name);
		return;
	}
	/* The point of NOOP: imap_session_ok() reports the mailbox's changes. */
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}

void
imap_cmd_logout(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "LOGOUT takes no arguments");
		return;
	}
	imap_session_printf(s, "* BYE Logging out\r\n");
	imap_session_tagged(s, cmd->tag, "OK", NULL, "Logout completed");
	s->state = IMAP_STATE_LOGOUT;
	s->closing = TRUE;
	server_conn_close(s->conn);
}

void
imap_cmd_id(ImapSession *s, const ImapCommand *cmd)
{
	const ImapArg *arg = imap_cmd_arg(cmd, 0);
	gboolean ok =
	    imap_cmd_n_args(cmd) == 1 &&
	    (arg->type == IMAP_ARG_NIL ||
	     (imap_arg_is_list(arg) && imap_arg_count(arg) % 2 == 0 && imap_arg_count(arg) <= 60));
	for (guint i = 0; ok && arg->type == IMAP_ARG_LIST && i < imap_arg_count(arg); i++) {
		const char *str;
		ok =
		    imap_arg_get_nstring(imap_arg_nth(arg, i), &str) && (i % 2 == 1 || str != NULL);
	}
	if (!ok) {
		imap_session_bad(s, cmd, "ID takes NIL or a list of field-value pairs");
		return;
	}
	imap_session_printf(s,
	                    "* ID (\"name\" \"facteur\" \"version\" \"%s\" \"support-url\" "
	                    "\"https://www.rfc-editor.org/rfc/rfc3501\")\r\n",
	                    FACTEUR_VERSION);
	imap_session_ok(s, cmd, NULL, "ID completed");
}
