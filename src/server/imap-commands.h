/* The command functions of the IMAP server, one file per command or small
 * group (imap-cmd-*.c), as Dovecot's src/imap does. */
#pragma once

#include "server/imap-session.h"

void imap_cmd_capability(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_noop(ImapSession *s, const ImapCommand *cmd); /* NOOP, CHECK */
void imap_cmd_logout(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_id(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_login(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_authenticate(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_select(ImapSession *s, const ImapCommand *cmd); /* SELECT, EXAMINE */
void imap_cmd_close(ImapSession *s, const ImapCommand *cmd);  /* CLOSE, UNSELECT */
void imap_cmd_create(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_delete(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_rename(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_subscribe(ImapSession *s, const ImapCommand *cmd); /* and UNSUBSCRIBE */
void imap_cmd_list(ImapSession *s, const ImapCommand *cmd);      /* LIST, LSUB */
void imap_cmd_namespace(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_status(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_append(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_idle(ImapSession *s, const ImapCommand *cmd);
void imap_cmd_expunge(ImapSession *s, const ImapCommand *cmd); /* and UID EXPUNGE */
void imap_cmd_search(ImapSession *s, const ImapCommand *cmd);  /* and UID SEARCH */
void imap_cmd_fetch(ImapSession *s, const ImapCommand *cmd);   /* and UID FETCH */
void imap_cmd_store(ImapSession *s, const ImapCommand *cmd);   /* and UID STORE */
void imap_cmd_copy(ImapSession *s, const ImapCommand *cmd);    /* COPY, MOVE, UID … */
