/* IDLE (RFC 2177): "+ idling", then every change of the selected mailbox is
 * sent at once (the store's notifications schedule it), until DONE. */
#include "server/imap-commands.h"

void
imap_cmd_idle(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "IDLE takes no arguments");
		return;
	}
	if (s->mb != NULL)
		store_mailbox_sync(s->mb, NULL);
	imap_session_printf(s, "+ idling\r\n");
	s->idling = TRUE;
	imap_session_expect_line(s, cmd);
	/* What happened since the last command goes out now. */
	imap_session_sync(s, TRUE);
}

void
imap_cmd_idle_line(ImapSession *s, const char *tag, const char *line)
{
	ImapCommand cmd = {.tag = tag, .info = &imap_commands[IMAP_CMD_IDLE]};
	s->idling = FALSE;
	if (g_ascii_strcasecmp(line, "DONE") != 0) {
		imap_session_bad(s, &cmd, "IDLE ends with DONE");
		return;
	}
	imap_session_ok(s, &cmd, NULL, "IDLE terminated");
}
