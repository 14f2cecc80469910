/* The IMAP4rev1 server session (RFC 3501): input through the proto parser,
 * dispatch from the command table with its states, the session's view of
 * the selected mailbox and the untagged updates of §7 and §5.2, the store's
 * change notifications (immediate during IDLE), goodbyes. Response texts
 * stay in English ASCII like real servers'; the tracer explains them. */
#include "server/imap-session.h"

#include "core/facteur-i18n.h"
#include "proto/imap-capability.h"
#include "proto/imap-seqset.h"
#include "proto/imap-utf7.h"

#include <gmime/gmime.h>
#include <string.h>

/* --- Writing --- */

void
imap_session_printf(ImapSession *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	server_conn_write(s->conn, text, strlen(text));
}

/* Client or parser text echoed in a response: ASCII, one line, bounded. */
static char *
wire_text(const char *text)
{
	static const struct {
		const char *from, *to;
	} subst[] = {
	    {"“", "\""}, {"”", "\""},  {"«", "\""}, {"»", "\""}, {"‘", "'"},
	    {"’", "'"},  {"…", "..."}, {"—", "-"},  {"§", ""},
	};
	g_autoptr(GString) s = g_string_new(text);
	for (gsize i = 0; i < G_N_ELEMENTS(subst); i++)
		g_string_replace(s, subst[i].from, subst[i].to, 0);
	g_autofree char *ascii =
	    g_utf8_validate(s->str, -1, NULL) ? g_str_to_ascii(s->str, "C") : g_strdup(s->str);
	GString *out = g_string_new(NULL);
	for (const char *p = ascii; *p != '\0' && out->len < 200; p++)
		g_string_append_c(out, (*p >= 0x20 && *p < 0x7f) ? *p : '?');
	return g_string_free(out, FALSE);
}

static void
tagged_v(ImapSession *s, const char *tag, const char *status, const char *code, const char *fmt,
         va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);
	if (code != NULL)
		imap_session_printf(s, "%s %s [%s] %s\r\n", tag, status, code, text);
	else
		imap_session_printf(s, "%s %s %s\r\n", tag, status, text);
}

void
imap_session_tagged(ImapSession *s, const char *tag, const char *status, const char *code,
                    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tagged_v(s, tag, status, code, fmt, ap);
	va_end(ap);
}

/* RFC 3501 §7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH (the
 * UID forms may: their answers do not depend on sequence numbers). */
static gboolean
command_allows_expunge(const ImapCommand *cmd)
{
	switch (cmd->info->id) {
	case IMAP_CMD_FETCH:
	case IMAP_CMD_STORE:
	case IMAP_CMD_SEARCH:
		return FALSE;
	default:
		return TRUE;
	}
}

void
imap_session_ok(ImapSession *s, const ImapCommand *cmd, const char *code, const char *fmt, ...)
{
	if (s->closing)
		return;
	imap_session_sync(s, command_allows_expunge(cmd));
	if (s->closing)
		return;
	va_list ap;
	va_start(ap, fmt);
	tagged_v(s, cmd->tag, "OK", code, fmt, ap);
	va_end(ap);
}

void
imap_session_bad(ImapSession *s, const ImapCommand *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tagged_v(s, cmd->tag, "BAD", NULL, fmt, ap);
	va_end(ap);
}

void
imap_session_no(ImapSession *s, const ImapCommand *cmd, const char *code, const char *fmt, ...)
{
	if (s->closing)
		return;
	imap_session_sync(s, command_allows_expunge(cmd));
	if (s->closing)
		return;
	va_list ap;
	va_start(ap, fmt);
	tagged_v(s, cmd->tag, "NO", code, fmt, ap);
	va_end(ap);
}

/* The store's messages are translated for the TUI; the wire gets English. */
void
imap_session_no_store(ImapSession *s, const ImapCommand *cmd, const GError *error)
{
	const char *code = "UNAVAILABLE";
	const char *text = "The mail store failed";
	if (error->domain == STORE_ERROR) {
		switch ((StoreError)error->code) {
		case STORE_ERROR_INVALID_NAME:
			code = "CANNOT";
			text = "Invalid mailbox name for this server (empty level, \\, /, * or %, "
			       "control character, too long or too deep)";
			break;
		case STORE_ERROR_NOT_ALLOWED:
			code = "CANNOT";
			text = "Not allowed";
			break;
		case STORE_ERROR_NOT_FOUND:
			code = "NONEXISTENT";
			text = "Mailbox doesn't exist";
			break;
		case STORE_ERROR_EXISTS:
			code = "ALREADYEXISTS";
			text = "Mailbox already exists";
			break;
		case STORE_ERROR_LIMIT:
			code = "LIMIT";
			text = "A limit of this server was reached (size, number or depth of "
			       "mailboxes)";
			break;
		case STORE_ERROR_IN_USE:
			code = "INUSE";
			text = "In use by another session";
			break;
		case STORE_ERROR_IO:
			break;
		case STORE_ERROR_CORRUPT:
			code = "CORRUPTION";
			text = "A file of the mail store could not be read";
			break;
		}
	}
	imap_session_no(s, cmd, code, "%s", text);
}

static gboolean
is_quotable(const char *s, gsize len)
{
	if (len > 1024)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)s[i];
		if (c == 0 || c >= 0x80 || c == '\r' || c == '\n')
			return FALSE;
	}
	return TRUE;
}

void
imap_append_string(GString *out, const char *s, gsize len)
{
	if (!is_quotable(s, len)) {
		g_string_append_printf(out, "{%" G_GSIZE_FORMAT "}\r\n", len);
		g_string_append_len(out, s, (gssize)len);
		return;
	}
	g_string_append_c(out, '"');
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, s[i]);
	}
	g_string_append_c(out, '"');
}

void
imap_append_nstring(GString *out, const char *s)
{
	if (s == NULL)
		g_string_append(out, "NIL");
	else
		imap_append_string(out, s, strlen(s));
}

void
imap_append_mailbox(GString *out, const char *utf8_name)
{
	g_autofree char *enc = imap_utf7_encode(utf8_name, NULL);
	const char *name = enc != NULL ? enc : utf8_name;
	gboolean atom = name[0] != '\0' && g_ascii_strcasecmp(name, "NIL") != 0;
	for (const char *p = name; *p != '\0' && atom; p++) {
		guchar c = (guchar)*p;
		if (c <= 0x20 || c >= 0x7f || strchr("(){%*\"\\", c) != NULL)
			atom = FALSE;
	}
	if (atom)
		g_string_append(out, name);
	else
		imap_append_string(out, name, strlen(name));
}

void
imap_append_flags(GString *out, guint32 flags, gboolean recent)
{
	static const struct {
		guint32 bit;
		const char *name;
	} names[] = {
	    {STORE_FLAG_SEEN, "\\Seen"},       {STORE_FLAG_ANSWERED, "\\Answered"},
	    {STORE_FLAG_FLAGGED, "\\Flagged"}, {STORE_FLAG_DELETED, "\\Deleted"},
	    {STORE_FLAG_DRAFT, "\\Draft"},
	};
	gsize start = out->len;
	g_string_append_c(out, '(');
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		if (flags & names[i].bit) {
			if (out->len > start + 1)
				g_string_append_c(out, ' ');
			g_string_append(out, names[i].name);
		}
	}
	if (recent) {
		if (out->len > start + 1)
			g_string_append_c(out, ' ');
		g_string_append(out, "\\Recent");
	}
	g_string_append_c(out, ')');
}

char *
imap_format_date_time(gint64 t)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);
	if (dt == NULL)
		dt = g_date_time_new_from_unix_utc(0);
	return g_strdup_printf(
	    "%02d-%s-%04d %02d:%02d:%02d +0000", g_date_time_get_day_of_month(dt),
	    months[g_date_time_get_month(dt) - 1], g_date_time_get_year(dt),
	    g_date_time_get_hour(dt), g_date_time_get_minute(dt), g_date_time_get_second(dt));
}

char *
imap_session_capabilities(void)
{
	GString *out = g_string_new(NULL);
	for (gsize i = 0; i < imap_n_capabilities; i++) {
		if (!imap_capabilities[i].offered)
			continue;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		g_string_append(out, imap_capabilities[i].name);
	}
	return g_string_free(out, FALSE);
}

/* --- Arguments --- */

const ImapArg *
imap_cmd_arg(const ImapCommand *cmd, guint n)
{
	return imap_arg_nth(cmd->args, cmd->first + n);
}

guint
imap_cmd_n_args(const ImapCommand *cmd)
{
	guint n = imap_arg_count(cmd->args);
	return n > cmd->first ? n - cmd->first : 0;
}

char *
imap_session_mailbox_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg)
{
	const char *raw;
	if (!imap_arg_get_astring(arg, &raw)) {
		imap_session_bad(s, cmd, "Missing or invalid mailbox name");
		return NULL;
	}
	char *error = NULL;
	char *name = imap_utf7_decode(raw, &error);
	if (name == NULL) {
		g_free(error);
		imap_session_no(s, cmd, "CANNOT",
		                "Mailbox names travel in modified UTF-7 (RFC 3501 5.1.3): "
		                "this one is not valid");
		return NULL;
	}
	return name;
}

gboolean
imap_session_flags_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg, guint32 *flags_r)
{
	guint32 flags = 0;
	guint n = imap_arg_is_list(arg) ? imap_arg_count(arg) : 1;
	for (guint i = 0; i < n; i++) {
		const ImapArg *f = imap_arg_is_list(arg) ? imap_arg_nth(arg, i) : arg;
		const char *name;
		if (!imap_arg_get_atom(f, &name)) {
			imap_session_bad(s, cmd, "Flags are atoms such as \\Seen");
			return FALSE;
		}
		if (name[0] != '\\')
			continue; /* a keyword: not in PERMANENTFLAGS, not kept */
		guint32 bit;
		if (!store_flags_parse(name, &bit) || g_ascii_strcasecmp(name, "\\Recent") == 0) {
			g_autofree char *shown = wire_text(name);
			imap_session_bad(s, cmd,
			                 "Invalid flag %s: the system flags that can be set are "
			                 "\\Seen \\Answered \\Flagged \\Deleted \\Draft",
			                 shown);
			return FALSE;
		}
		flags |= bit;
	}
	*flags_r = flags;
	return TRUE;
}

gboolean
imap_session_seqset_arg(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg, gboolean uid,
                        GArray **indexes_r)
{
	const char *text;
	g_autoptr(ImapSeqSet) set = NULL;
	char *error = NULL;
	if (imap_arg_get_atom(arg, &text))
		set = imap_seqset_parse(text, &error);
	if (set == NULL) {
		g_free(error);
		imap_session_bad(s, cmd, "Invalid %s set (for example 1:3,5,7:*)",
		                 uid ? "UID" : "sequence");
		return FALSE;
	}
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
	guint n = s->view->len;
	if (uid) {
		guint32 star = n > 0 ? g_array_index(s->view, ImapViewMsg, n - 1).uid : 0;
		for (guint i = 0; i < n; i++) {
			if (imap_seqset_contains(set, g_array_index(s->view, ImapViewMsg, i).uid,
			                         star))
				g_array_append_val(out, i);
		}
	} else {
		/* Message numbers must exist (RFC 3501 §9: a number beyond the last
		 * message is an error); a range with "*" is fine: "5:*" with three
		 * messages is 3:5, "1:*" in an empty mailbox is nothing. */
		for (guint r = 0; r < set->ranges->len; r++) {
			const ImapSeqRange *range = &g_array_index(set->ranges, ImapSeqRange, r);
			gboolean star = range->lo_star || range->hi_star;
			if (!star && (range->lo > n || range->hi > n)) {
				g_array_unref(out);
				imap_session_bad(s, cmd,
				                 "Invalid sequence set: the mailbox has %u "
				                 "messages",
				                 n);
				return FALSE;
			}
		}
		for (guint i = 0; i < n; i++) {
			if (imap_seqset_contains(set, i + 1, n))
				g_array_append_val(out, i);
		}
	}
	*indexes_r = out;
	return TRUE;
}

/* --- The selected mailbox --- */

void
imap_session_store_begin(ImapSession *s)
{
	store_set_origin(s->store, s);
}

void
imap_session_store_end(ImapSession *s)
{
	store_set_origin(s->store, NULL);
}

const StoreMessage *
imap_session_message(ImapSession *s, guint index)
{
	if (s->mb == NULL || index >= s->view->len)
		return NULL;
	return store_mailbox_find(s->mb, g_array_index(s->view, ImapViewMsg, index).uid, NULL);
}

gboolean
imap_session_is_recent(ImapSession *s, guint32 uid)
{
	return s->recent != NULL && g_hash_table_contains(s->recent, GUINT_TO_POINTER(uid));
}

gboolean
imap_session_set_flags(ImapSession *s, guint index, guint32 flags, GError **error)
{
	ImapViewMsg *v = &g_array_index(s->view, ImapViewMsg, index);
	imap_session_store_begin(s);
	gboolean ok = store_message_set_flags(s->mb, v->uid, flags, error);
	imap_session_store_end(s);
	if (ok)
		v->flags = flags;
	return ok;
}

static guint
count_recent(ImapSession *s)
{
	guint n = 0;
	for (guint i = 0; i < s->view->len; i++)
		n += imap_session_is_recent(s, g_array_index(s->view, ImapViewMsg, i).uid);
	return n;
}

static void
claim_recent(ImapSession *s)
{
	if (s->read_only)
		return; /* EXAMINE leaves \Recent to the next SELECT (RFC 3501 §6.3.2) */
	g_autoptr(GArray) uids = store_mailbox_claim_recent(s->mb);
	for (guint i = 0; uids != NULL && i < uids->len; i++)
		g_hash_table_add(s->recent, GUINT_TO_POINTER(g_array_index(uids, guint32, i)));
}

/* The selected mailbox was deleted, renamed or recreated by someone else:
 * its UIDs mean nothing any more. RFC 3501 gives no way to announce a new
 * UIDVALIDITY inside a session, so the session ends with BYE (§7.1.5); the
 * client logs in again, sees the new UIDVALIDITY at SELECT and must forget
 * the UIDs it cached (§2.3.1.1). Dovecot does the same. */
static gboolean
mailbox_gone(ImapSession *s)
{
	return store_mailbox_is_deleted(s->mb) ||
	       store_mailbox_uidvalidity(s->mb) != s->uidvalidity;
}

void
imap_session_sync(ImapSession *s, gboolean allow_expunge)
{
	if (s->mb == NULL || s->closing)
		return;
	if (mailbox_gone(s)) {
		imap_session_bye(s, "The selected mailbox was deleted or replaced (new "
		                    "UIDVALIDITY): log in again and forget the UIDs you kept");
		return;
	}
	if (allow_expunge) {
		/* In the order of RFC 3501 §7.4.1's example: each number is the
		 * message's number at the moment the line is sent. */
		for (guint i = 0; i < s->view->len;) {
			guint32 uid = g_array_index(s->view, ImapViewMsg, i).uid;
			if (store_mailbox_find(s->mb, uid, NULL) != NULL) {
				i++;
				continue;
			}
			imap_session_printf(s, "* %u EXPUNGE\r\n", i + 1);
			g_array_remove_index(s->view, i);
			g_hash_table_remove(s->recent, GUINT_TO_POINTER(uid));
		}
	}
	/* New messages: those above the last UID this session knows. */
	guint32 last =
	    s->view->len > 0 ? g_array_index(s->view, ImapViewMsg, s->view->len - 1).uid : 0;
	guint n = store_mailbox_count(s->mb);
	guint first = n;
	while (first > 0 && store_mailbox_nth(s->mb, first - 1)->uid > last)
		first--;
	if (first < n) {
		for (guint i = first; i < n; i++) {
			const StoreMessage *m = store_mailbox_nth(s->mb, i);
			ImapViewMsg v = {.uid = m->uid, .flags = m->flags};
			g_array_append_val(s->view, v);
		}
		claim_recent(s);
		imap_session_printf(s, "* %u EXISTS\r\n", s->view->len);
	}
	guint recent = count_recent(s);
	if (first < n || recent != s->recent_announced) {
		imap_session_printf(s, "* %u RECENT\r\n", recent);
		s->recent_announced = recent;
	}
	/* Flags changed by others (this session's own changes are already in
	 * the view). */
	for (guint i = 0; i < s->view->len; i++) {
		ImapViewMsg *v = &g_array_index(s->view, ImapViewMsg, i);
		const StoreMessage *m = store_mailbox_find(s->mb, v->uid, NULL);
		if (m == NULL || m->flags == v->flags)
			continue;
		v->flags = m->flags;
		g_autoptr(GString) line = g_string_new(NULL);
		g_string_append_printf(line, "* %u FETCH (UID %u FLAGS ", i + 1, v->uid);
		imap_append_flags(line, v->flags, imap_session_is_recent(s, v->uid));
		g_string_append(line, ")\r\n");
		server_conn_write(s->conn, line->str, line->len);
	}
}

void
imap_session_deselect(ImapSession *s)
{
	g_clear_pointer(&s->mb, store_mailbox_unref);
	g_array_set_size(s->view, 0);
	g_hash_table_remove_all(s->recent);
	s->recent_announced = 0;
	s->uidvalidity = 0;
	s->read_only = FALSE;
	if (s->state == IMAP_STATE_SELECTED)
		s->state = IMAP_STATE_AUTH;
}

void
imap_session_select(ImapSession *s, StoreMailbox *mb, gboolean read_only)
{
	s->mb = store_mailbox_ref(mb);
	s->read_only = read_only;
	s->uidvalidity = store_mailbox_uidvalidity(mb);
	s->state = IMAP_STATE_SELECTED;
	guint n = store_mailbox_count(mb);
	for (guint i = 0; i < n; i++) {
		const StoreMessage *m = store_mailbox_nth(mb, i);
		ImapViewMsg v = {.uid = m->uid, .flags = m->flags};
		g_array_append_val(s->view, v);
	}
	claim_recent(s);
	/* EXAMINE shows as \Recent what is still unclaimed, without taking it. */
	if (read_only) {
		for (guint i = 0; i < n; i++) {
			const StoreMessage *m = store_mailbox_nth(mb, i);
			if (m->recent)
				g_hash_table_add(s->recent, GUINT_TO_POINTER(m->uid));
		}
	}
	s->recent_announced = count_recent(s);
	imap_session_printf(s, "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n");
	imap_session_printf(s, read_only
	                           ? "* OK [PERMANENTFLAGS ()] No permanent flags in a "
	                             "read-only mailbox\r\n"
	                           : "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen "
	                             "\\Draft)] Flags permitted\r\n");
	imap_session_printf(s, "* %u EXISTS\r\n", n);
	imap_session_printf(s, "* %u RECENT\r\n", s->recent_announced);
	for (guint i = 0; i < n; i++) {
		if (!(g_array_index(s->view, ImapViewMsg, i).flags & STORE_FLAG_SEEN)) {
			imap_session_printf(s, "* OK [UNSEEN %u] First unseen\r\n", i + 1);
			break;
		}
	}
	imap_session_printf(s, "* OK [UIDVALIDITY %u] UIDs valid\r\n", s->uidvalidity);
	imap_session_printf(s, "* OK [UIDNEXT %u] Predicted next UID\r\n",
	                    store_mailbox_uidnext(mb));
}

/* --- Change notifications --- */

static gboolean
on_sync_source(gpointer data)
{
	ImapSession *s = data;
	s->sync_source = 0;
	if (s->mb == NULL || s->closing)
		return G_SOURCE_REMOVE;
	if (mailbox_gone(s)) {
		imap_session_sync(s, TRUE); /* says BYE */
		return G_SOURCE_REMOVE;
	}
	/* During IDLE a command is in progress: every update may go at once
	 * (RFC 2177), EXPUNGE included. */
	if (s->idling)
		imap_session_sync(s, TRUE);
	return G_SOURCE_REMOVE;
}

/* Runs inside whatever store call made the change (another session's
 * command, an SMTP delivery): only schedule the work, on the loop. */
static void
on_store_change(const StoreChange *change, gpointer user_data)
{
	ImapSession *s = user_data;
	if (s->mb == NULL || s->closing || s->sync_source != 0)
		return;
	if (g_strcmp0(change->user, s->user) != 0 ||
	    g_strcmp0(change->mailbox, store_mailbox_name(s->mb)) != 0)
		return;
	gboolean mine = change->origin == s;
	gboolean gone = change->kind == STORE_CHANGE_MAILBOX_DELETED ||
	                change->kind == STORE_CHANGE_MAILBOX_RENAMED ||
	                change->kind == STORE_CHANGE_MAILBOX_RECREATED;
	if ((gone && !mine) || (s->idling && !mine))
		s->sync_source = g_idle_add(on_sync_source, s);
}

/* --- Logging in and out --- */

void
imap_session_login(ImapSession *s, const char *user)
{
	g_free(s->user);
	s->user = g_strdup(user);
	s->state = IMAP_STATE_AUTH;
}

static void
auth_failed_now(gpointer session)
{
	ImapSession *s = session;
	g_autofree char *tag = g_steal_pointer(&s->wait_tag);
	imap_session_tagged(s, tag, "NO", "AUTHENTICATIONFAILED", "Authentication failed");
	imap_session_done(s);
}

void
imap_session_auth_failed(ImapSession *s, const char *tag)
{
	g_free(s->wait_tag);
	s->wait_tag = g_strdup(tag);
	if (s->config->auth_failure_delay_ms == 0) {
		auth_failed_now(s);
		return;
	}
	/* The delay slows down password guessing (Dovecot waits 2 s). */
	imap_session_wait(s);
	server_conn_defer(s->conn, s->config->auth_failure_delay_ms, auth_failed_now);
}

void
imap_session_bye(ImapSession *s, const char *text)
{
	if (s->closing)
		return;
	imap_session_printf(s, "* BYE %s\r\n", text);
	s->closing = TRUE;
	server_conn_close(s->conn);
}

/* --- Input --- */

static void process(ImapSession *s);

void
imap_session_wait(ImapSession *s)
{
	s->busy = TRUE;
	server_conn_pause(s->conn);
}

void
imap_session_done(ImapSession *s)
{
	if (!s->busy)
		return;
	s->busy = FALSE;
	server_conn_resume(s->conn);
}

void
imap_session_expect_line(ImapSession *s, const ImapCommand *cmd)
{
	g_free(s->wait_tag);
	s->wait_tag = g_strdup(cmd->tag);
	s->wait_cmd = cmd->info->id;
	imap_parser_expect_line(s->parser);
}

static const char *
state_advice(ImapSession *s, const ImapCommandInfo *info)
{
	if (s->state == IMAP_STATE_NOT_AUTH)
		return "log in first (LOGIN or AUTHENTICATE)";
	if (info->states == IMAP_STATE_NOT_AUTH)
		return "already logged in";
	if (info->states == IMAP_STATE_SELECTED)
		return "no mailbox selected: SELECT or EXAMINE one first";
	return "not allowed in this state";
}

/* The command row, or NULL after answering BAD. */
static const ImapCommandInfo *
check_command(ImapSession *s, const char *tag, const char *name, const ImapArg *args)
{
	const ImapCommandInfo *info = imap_command_lookup(name, imap_arg_nth(args, 0));
	g_autofree char *shown = wire_text(name);
	if (info == NULL) {
		if (g_ascii_strcasecmp(name, "UID") == 0)
			imap_session_tagged(s, tag, "BAD", NULL,
			                    "Error in IMAP command UID: FETCH, STORE, COPY, MOVE, "
			                    "SEARCH or EXPUNGE expected");
		else
			imap_session_tagged(s, tag, "BAD", NULL,
			                    "Error in IMAP command %s: Unknown command", shown);
		return NULL;
	}
	if (imap_command_funcs[info->id] == NULL) {
		imap_session_tagged(s, tag, "BAD", NULL, "%s is not offered by this server",
		                    info->name);
		return NULL;
	}
	if (!(info->states & s->state)) {
		imap_session_tagged(s, tag, "BAD", NULL, "%s: %s", info->name,
		                    state_advice(s, info));
		return NULL;
	}
	return info;
}

static void
dispatch(ImapSession *s)
{
	const char *tag = imap_parser_get_tag(s->parser);
	const ImapArg *args = imap_parser_get_args(s->parser);
	const ImapCommandInfo *info =
	    check_command(s, tag, imap_parser_get_command_name(s->parser), args);
	if (info == NULL)
		return;
	ImapCommand cmd = {
	    .tag = tag,
	    .info = info,
	    .args = args,
	    .first = g_str_has_prefix(info->name, "UID ") ? 1 : 0,
	    .uid = g_str_has_prefix(info->name, "UID "),
	};
	imap_session_store_begin(s);
	imap_command_funcs[info->id](s, &cmd);
	imap_session_store_end(s);
}

/* A synchronising literal is announced: say "+" or refuse the command now,
 * before the client sends it (RFC 3501 §7.5). */
static void
literal_wait(ImapSession *s)
{
	const char *tag = imap_parser_get_tag(s->parser);
	const ImapArg *args = imap_parser_get_args(s->parser);
	const ImapCommandInfo *info =
	    check_command(s, tag, imap_parser_get_command_name(s->parser), args);
	if (info == NULL) {
		imap_parser_reset(s->parser);
		return;
	}
	if (info->id == IMAP_CMD_APPEND && imap_arg_count(args) >= 2) {
		/* The mailbox must exist before the client sends the message. */
		ImapCommand cmd = {.tag = tag, .info = info, .args = args};
		const char *raw;
		g_autofree char *name = NULL;
		if (imap_arg_get_astring(imap_arg_nth(args, 0), &raw))
			name = imap_utf7_decode(raw, NULL);
		if (name != NULL && !store_mailbox_exists(s->store, s->user, name)) {
			imap_session_no(s, &cmd, "TRYCREATE", "Mailbox doesn't exist");
			imap_parser_reset(s->parser);
			return;
		}
	}
	imap_session_printf(s, "+ Ready\r\n");
}

static void
parse_error(ImapSession *s)
{
	const char *tag = imap_parser_get_tag(s->parser);
	const char *name = imap_parser_get_command_name(s->parser);
	g_autofree char *msg = wire_text(imap_parser_get_error_untranslated(s->parser));
	if (s->wait_tag != NULL) {
		/* The line AUTHENTICATE or IDLE waited for was too long. */
		g_autofree char *wtag = g_steal_pointer(&s->wait_tag);
		s->idling = FALSE;
		imap_session_tagged(s, wtag, "BAD", NULL, "%s", msg);
		return;
	}
	if (tag == NULL) {
		imap_session_printf(s, "* BAD %s\r\n", msg);
		return;
	}
	g_autofree char *tag_shown = wire_text(tag);
	if (name != NULL) {
		g_autofree char *name_shown = wire_text(name);
		imap_session_tagged(s, tag_shown, "BAD", NULL, "Error in IMAP command %s: %s",
		                    name_shown, msg);
	} else {
		imap_session_tagged(s, tag_shown, "BAD", NULL, "%s", msg);
	}
}

static void
handle_line(ImapSession *s, const char *line)
{
	g_autofree char *tag = g_steal_pointer(&s->wait_tag);
	imap_session_store_begin(s);
	if (s->wait_cmd == IMAP_CMD_IDLE)
		imap_cmd_idle_line(s, tag, line);
	else
		imap_cmd_authenticate_line(s, tag, line);
	imap_session_store_end(s);
}

static void
process(ImapSession *s)
{
	while (!s->busy && !s->closing && s->in_pos < s->in->len) {
		/* Pipelined commands wait while the client is not reading its
		 * answers: drained() comes back here. */
		if (server_conn_pending_output(s->conn) > SERVER_OUTPUT_HIGH_MARK) {
			s->blocked = TRUE;
			break;
		}
		gsize used = 0;
		ImapParseResult r = imap_parser_feed(s->parser, s->in->data + s->in_pos,
		                                     s->in->len - s->in_pos, &used);
		s->in_pos += used;
		switch (r) {
		case IMAP_PARSE_NEED_MORE:
			break;
		case IMAP_PARSE_DONE: {
			const char *line = imap_parser_get_line(s->parser);
			if (line != NULL)
				handle_line(s, line);
			else
				dispatch(s);
			break;
		}
		case IMAP_PARSE_LITERAL_WAIT:
			literal_wait(s);
			break;
		case IMAP_PARSE_ERROR:
			parse_error(s);
			break;
		}
	}
	if (s->in_pos >= s->in->len) {
		g_byte_array_set_size(s->in, 0);
		s->in_pos = 0;
	} else if (s->in_pos > 65536) {
		g_byte_array_remove_range(s->in, 0, (guint)s->in_pos);
		s->in_pos = 0;
	}
}

/* --- The ServerProtocol --- */

static gpointer
session_new(ServerConn *conn)
{
	static gsize gmime_ready;
	if (g_once_init_enter(&gmime_ready)) {
		g_mime_init();
		g_once_init_leave(&gmime_ready, 1);
	}
	ImapSession *s = g_new0(ImapSession, 1);
	s->conn = conn;
	s->store = server_conn_store(conn);
	s->config = server_conn_config(conn);
	ImapParserLimits limits = {
	    .max_line = IMAP_PARSER_DEFAULT_MAX_LINE,
	    .max_literal = store_get_limits(s->store)->max_message_size,
	};
	s->parser = imap_parser_new(IMAP_PARSER_COMMANDS, &limits);
	s->in = g_byte_array_new();
	s->state = IMAP_STATE_NOT_AUTH;
	s->view = g_array_new(FALSE, FALSE, sizeof(ImapViewMsg));
	s->recent = g_hash_table_new(NULL, NULL);
	s->watch_id = store_watch(s->store, on_store_change, s);
	g_autofree char *caps = imap_session_capabilities();
	imap_session_printf(s, "* OK [CAPABILITY %s] %s facteur IMAP4rev1 server ready\r\n", caps,
	                    s->config->hostname != NULL ? s->config->hostname : "localhost");
	return s;
}

static void
session_free(gpointer session)
{
	ImapSession *s = session;
	store_unwatch(s->store, s->watch_id);
	if (s->sync_source != 0)
		g_source_remove(s->sync_source);
	g_clear_pointer(&s->fetch, imap_fetch_job_free);
	g_clear_pointer(&s->mb, store_mailbox_unref);
	imap_parser_free(s->parser);
	g_byte_array_unref(s->in);
	g_array_unref(s->view);
	g_hash_table_unref(s->recent);
	g_free(s->user);
	g_free(s->wait_tag);
	g_free(s);
}

static void
session_input(gpointer session, const guint8 *data, gsize len)
{
	ImapSession *s = session;
	if (len > 0)
		g_byte_array_append(s->in, data, (guint)len);
	process(s);
}

static void
session_idle_timeout(gpointer session)
{
	imap_session_bye(session, "Autologout; idle for too long");
}

static void
session_shutdown(gpointer session)
{
	imap_session_bye(session, "Server shutting down");
}

static void
session_drained(gpointer session)
{
	ImapSession *s = session;
	if (s->fetch != NULL)
		imap_fetch_job_resume(s);
	if (s->blocked && s->fetch == NULL) {
		s->blocked = FALSE;
		process(s);
	}
}

const ServerProtocol server_protocol_imap = {
    .name = "imap",
    .session_new = session_new,
    .session_free = session_free,
    .input = session_input,
    .idle_timeout = session_idle_timeout,
    .shutdown = session_shutdown,
    .drained = session_drained,
    /* TRANSLATORS: a reply sent on the wire: keep "* BYE", and ASCII only. */
    .too_many_connections = N_("* BYE Too many connections, try again later"),
};
