/* APPEND (RFC 3501 §6.3.11) with optional flags and date-time, the message
 * in a literal ({n} after "+ Ready", or {n+}); the answer carries
 * [APPENDUID uidvalidity uid] (UIDPLUS, RFC 4315). A missing mailbox gives
 * NO [TRYCREATE], before the literal when it is synchronising. */
#include "server/imap-commands.h"

#include <string.h>

/* date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE */
static gboolean
parse_date_time(const char *text, gint64 *t_r)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (strlen(text) != 26 || text[2] != '-' || text[6] != '-' || text[11] != ' ' ||
	    text[14] != ':' || text[17] != ':' || text[20] != ' ' ||
	    (text[21] != '+' && text[21] != '-'))
		return FALSE;
	if (!g_ascii_isdigit(text[0]) && text[0] != ' ')
		return FALSE;
	static const int digits[] = {1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19, 22, 23, 24, 25};
	for (gsize k = 0; k < G_N_ELEMENTS(digits); k++) {
		if (!g_ascii_isdigit(text[digits[k]]))
			return FALSE;
	}
	int month = 0;
	for (int m = 0; m < 12; m++) {
		if (g_ascii_strncasecmp(text + 3, months[m], 3) == 0)
			month = m + 1;
	}
	if (month == 0)
		return FALSE;
#define NUM2(i) ((text[i] == ' ' ? 0 : text[i] - '0') * 10 + (text[(i) + 1] - '0'))
	int day = NUM2(0), year = NUM2(7) * 100 + NUM2(9);
	int hour = NUM2(12), min = NUM2(15), sec = NUM2(18);
	int zone = (NUM2(22) * 60 + NUM2(24)) * (text[21] == '-' ? -1 : 1);
#undef NUM2
	g_autoptr(GTimeZone) tz = g_time_zone_new_offset(zone * 60);
	g_autoptr(GDateTime) dt = g_date_time_new(tz, year, month, day, hour, min, sec);
	if (dt == NULL)
		return FALSE;
	*t_r = g_date_time_to_unix(dt);
	return TRUE;
}

/* Messages are kept with CRLF line ends (the store's rule, and RFC822.SIZE's
 * meaning): a bare LF from a careless client becomes CRLF. */
static GBytes *
with_crlf(const char *data, gsize len)
{
	if (memchr(data, '\n', len) == NULL)
		return g_bytes_new(data, len);
	GByteArray *out = g_byte_array_sized_new((guint)(len + len / 32 + 2));
	for (gsize i = 0; i < len; i++) {
		if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
			g_byte_array_append(out, (const guint8 *)"\r", 1);
		g_byte_array_append(out, (const guint8 *)data + i, 1);
	}
	return g_byte_array_free_to_bytes(out);
}

void
imap_cmd_append(ImapSession *s, const ImapCommand *cmd)
{
	guint n = imap_cmd_n_args(cmd);
	const ImapArg *msg = imap_cmd_arg(cmd, n > 0 ? n - 1 : 0);
	if (n < 2 || n > 4 || msg->type != IMAP_ARG_LITERAL) {
		imap_session_bad(s, cmd,
		                 "APPEND takes a mailbox, optional (flags) and "
		                 "\"date-time\", and the message as a literal {size}");
		return;
	}
	guint32 flags = 0;
	gint64 date = -1;
	for (guint i = 1; i + 1 < n; i++) {
		const ImapArg *a = imap_cmd_arg(cmd, i);
		if (imap_arg_is_list(a) && i == 1) {
			if (!imap_session_flags_arg(s, cmd, a, &flags))
				return;
		} else if (a->type == IMAP_ARG_STRING && parse_date_time(a->data, &date)) {
			continue;
		} else {
			imap_session_bad(s, cmd,
			                 "Invalid APPEND argument: (flags) or a date-time "
			                 "such as \"23-Nov-2026 09:15:00 +0000\" expected");
			return;
		}
	}
	g_autofree char *name = imap_session_mailbox_arg(s, cmd, imap_cmd_arg(cmd, 0));
	if (name == NULL)
		return;
	if (msg->len == 0) {
		imap_session_no(s, cmd, "CANNOT", "An empty message cannot be appended");
		return;
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(s->store, s->user, name, &error);
	if (mb == NULL) {
		if (g_error_matches(error, STORE_ERROR, STORE_ERROR_NOT_FOUND))
			imap_session_no(s, cmd, "TRYCREATE", "Mailbox doesn't exist");
		else
			imap_session_no_store(s, cmd, error);
		return;
	}
	g_autoptr(GBytes) bytes = with_crlf(msg->data, msg->len);
	gsize len;
	const void *data = g_bytes_get_data(bytes, &len);
	guint32 uid = 0;
	if (!store_deliver(mb, data, len, flags, date, &uid, &error)) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	g_autofree char *code =
	    g_strdup_printf("APPENDUID %u %u", store_mailbox_uidvalidity(mb), uid);
	imap_session_ok(s, cmd, code, "APPEND completed");
}
