/* Logging in (RFC 3501 §6.2): LOGIN with user and password, AUTHENTICATE
 * PLAIN (RFC 4616) with or without the initial response of SASL-IR
 * (RFC 4959). A failure is answered NO [AUTHENTICATIONFAILED] (RFC 5530)
 * after the configured delay, which slows down password guessing. */
#include "server/imap-commands.h"

#include <string.h>

static void
logged_in(ImapSession *s, const ImapCommand *cmd, const char *user)
{
	imap_session_login(s, user);
	g_autofree char *caps = imap_session_capabilities();
	g_autofree char *code = g_strconcat("CAPABILITY ", caps, NULL);
	imap_session_tagged(s, cmd->tag, "OK", code, "Logged in");
}

void
imap_cmd_login(ImapSession *s, const ImapCommand *cmd)
{
	const char *user, *password;
	if (imap_cmd_n_args(cmd) != 2 || !imap_arg_get_astring(imap_cmd_arg(cmd, 0), &user) ||
	    !imap_arg_get_astring(imap_cmd_arg(cmd, 1), &password)) {
		imap_session_bad(s, cmd, "LOGIN takes a user name and a password");
		return;
	}
	if (!store_user_check_password(s->store, user, password)) {
		imap_session_auth_failed(s, cmd->tag);
		return;
	}
	logged_in(s, cmd, user);
}

/* message = [authzid] NUL authcid NUL passwd (RFC 4616 §2) */
static void
check_plain(ImapSession *s, const ImapCommand *cmd, const char *b64)
{
	gsize len = 0;
	g_autofree guchar *raw = NULL;
	gboolean valid = b64[0] != '\0';
	for (const char *p = b64; *p != '\0' && valid; p++)
		valid = g_ascii_isalnum(*p) || *p == '+' || *p == '/' || *p == '=';
	if (valid)
		raw = g_base64_decode(b64, &len);
	const char *authz = (const char *)raw;
	const char *nul1 = raw != NULL ? memchr(raw, '\0', len) : NULL;
	const char *nul2 =
	    nul1 != NULL ? memchr(nul1 + 1, '\0', len - (gsize)(nul1 + 1 - authz)) : NULL;
	if (nul2 == NULL || memchr(nul2 + 1, '\0', len - (gsize)(nul2 + 1 - authz)) != NULL) {
		imap_session_bad(s, cmd,
		                 "Invalid PLAIN response: base64 of "
		                 "authzid NUL user NUL password expected");
		return;
	}
	g_autofree char *user = g_strndup(nul1 + 1, (gsize)(nul2 - nul1 - 1));
	g_autofree char *password = g_strndup(nul2 + 1, len - (gsize)(nul2 + 1 - authz));
	gsize authz_len = (gsize)(nul1 - authz);
	if (authz_len > 0 && (authz_len != strlen(user) || strncmp(authz, user, authz_len) != 0)) {
		imap_session_no(s, cmd, "AUTHORIZATIONFAILED",
		                "Acting as another user is not allowed");
		return;
	}
	if (!store_user_check_password(s->store, user, password)) {
		imap_session_auth_failed(s, cmd->tag);
		return;
	}
	logged_in(s, cmd, user);
}

void
imap_cmd_authenticate(ImapSession *s, const ImapCommand *cmd)
{
	const char *mech, *initial = NULL;
	guint n = imap_cmd_n_args(cmd);
	if (n < 1 || n > 2 || !imap_arg_get_atom(imap_cmd_arg(cmd, 0), &mech) ||
	    (n == 2 && !imap_arg_get_atom(imap_cmd_arg(cmd, 1), &initial))) {
		imap_session_bad(s, cmd,
		                 "AUTHENTICATE takes a mechanism and an optional "
		                 "initial response");
		return;
	}
	if (g_ascii_strcasecmp(mech, "PLAIN") != 0) {
		imap_session_no(s, cmd, "CANNOT",
		                "Unsupported authentication mechanism: this server offers "
		                "AUTH=PLAIN");
		return;
	}
	if (initial != NULL) {
		/* SASL-IR: "=" stands for an empty initial response (RFC 4959 §3). */
		check_plain(s, cmd, strcmp(initial, "=") == 0 ? "" : initial);
		return;
	}
	/* An empty challenge; the client answers with one line of base64. */
	imap_session_printf(s, "+ \r\n");
	imap_session_expect_line(s, cmd);
}

void
imap_cmd_authenticate_line(ImapSession *s, const char *tag, const char *line)
{
	ImapCommand cmd = {
	    .tag = tag,
	    .info = &imap_commands[IMAP_CMD_AUTHENTICATE],
	};
	if (strcmp(line, "*") == 0) {
		imap_session_bad(s, &cmd, "Authentication cancelled");
		return;
	}
	check_plain(s, &cmd, line);
}
