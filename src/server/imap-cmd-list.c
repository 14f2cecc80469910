/* LIST and LSUB (RFC 3501 §6.3.8-9) with "*" and "%" patterns, the
 * hierarchy delimiter "." of the store, \HasChildren/\HasNoChildren
 * (RFC 3348) and \Noselect for levels that are not mailboxes; NAMESPACE
 * (RFC 2342). Names go out in modified UTF-7. */
#include "proto/imap-utf7.h"
#include "server/imap-commands.h"

#include <string.h>

#define MAX_PATTERN 1024

/* pattern[pi…] against name[ni…]: "*" matches anything, "%" anything but
 * the delimiter. memo holds 0 (unknown), 1 (no), 2 (yes) per (ni, pi). */
static gboolean
match_at(const char *name, gsize nlen, const char *pat, gsize plen, gsize ni, gsize pi,
         guint8 *memo)
{
	guint8 *m = &memo[ni * (plen + 1) + pi];
	if (*m != 0)
		return *m == 2;
	gboolean ok;
	if (pi == plen) {
		ok = ni == nlen;
	} else if (pat[pi] == '*' || pat[pi] == '%') {
		ok = match_at(name, nlen, pat, plen, ni, pi + 1, memo) ||
		     (ni < nlen && (pat[pi] == '*' || name[ni] != STORE_HIERARCHY_DELIMITER) &&
		      match_at(name, nlen, pat, plen, ni + 1, pi, memo));
	} else {
		ok = ni < nlen && name[ni] == pat[pi] &&
		     match_at(name, nlen, pat, plen, ni + 1, pi + 1, memo);
	}
	*m = ok ? 2 : 1;
	return ok;
}

static gboolean
pattern_matches(const char *pattern, const char *name)
{
	/* INBOX is case-insensitive (RFC 3501 §5.1). */
	g_autofree char *pat = g_strdup(pattern);
	if (g_ascii_strncasecmp(pat, "INBOX", 5) == 0 &&
	    (pat[5] == '\0' || pat[5] == STORE_HIERARCHY_DELIMITER))
		memcpy(pat, "INBOX", 5);
	gsize nlen = strlen(name), plen = strlen(pat);
	g_autofree guint8 *memo = g_malloc0((nlen + 1) * (plen + 1));
	return match_at(name, nlen, pat, plen, 0, 0, memo);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	gboolean xi = strcmp(x, "INBOX") == 0, yi = strcmp(y, "INBOX") == 0;
	if (xi || yi)
		return yi - xi;
	return strcmp(x, y);
}

static gboolean
has_children(char **all, const char *name)
{
	gsize n = strlen(name);
	for (char **p = all; *p != NULL; p++) {
		if (strncmp(*p, name, n) == 0 && (*p)[n] == STORE_HIERARCHY_DELIMITER)
			return TRUE;
	}
	return FALSE;
}

void
imap_cmd_list(ImapSession *s, const ImapCommand *cmd)
{
	gboolean lsub = cmd->info->id == IMAP_CMD_LSUB;
	const char *ref_raw, *pat_raw;
	if (imap_cmd_n_args(cmd) != 2 || !imap_arg_get_astring(imap_cmd_arg(cmd, 0), &ref_raw) ||
	    !imap_arg_get_astring(imap_cmd_arg(cmd, 1), &pat_raw)) {
		imap_session_bad(s, cmd, "%s takes a reference and a mailbox pattern",
		                 cmd->info->name);
		return;
	}
	g_autofree char *ref = imap_utf7_decode(ref_raw, NULL);
	g_autofree char *pat = imap_utf7_decode(pat_raw, NULL);
	if (ref == NULL || pat == NULL || strlen(ref) + strlen(pat) > MAX_PATTERN) {
		imap_session_bad(s, cmd,
		                 "Invalid reference or pattern (modified UTF-7, at most "
		                 "%u octets)",
		                 MAX_PATTERN);
		return;
	}
	if (!lsub && pat[0] == '\0') {
		/* LIST "" "": the delimiter and the root (RFC 3501 §6.3.8). */
		imap_session_printf(s, "* LIST (\\Noselect) \".\" \"\"\r\n");
		imap_session_ok(s, cmd, NULL, "LIST completed");
		return;
	}
	g_autofree char *pattern = g_strconcat(ref, pat, NULL);
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) mailboxes = store_mailbox_list(s->store, s->user, &error);
	if (mailboxes == NULL) {
		imap_session_no_store(s, cmd, error);
		return;
	}
	g_auto(GStrv) subscribed = lsub ? store_subscription_list(s->store, s->user) : NULL;
	char **names = lsub ? subscribed : mailboxes;

	/* The names, and their parent levels that are not names themselves. */
	GHashTable *listed = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) noselect =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (char **n = names; *n != NULL; n++) {
		if (pattern_matches(pattern, *n)) {
			if (g_hash_table_add(listed, *n))
				g_ptr_array_add(out, g_strdup(*n));
			continue;
		}
		/* A child hidden by "%": its matching parent level is listed. */
		for (char *dot = strchr(*n, STORE_HIERARCHY_DELIMITER); dot != NULL;
		     dot = strchr(dot + 1, STORE_HIERARCHY_DELIMITER)) {
			g_autofree char *level = g_strndup(*n, (gsize)(dot - *n));
			if (!g_strv_contains((const char *const *)names, level) &&
			    pattern_matches(pattern, level) &&
			    !g_hash_table_contains(noselect, level)) {
				g_ptr_array_add(out, g_strdup(level));
				g_hash_table_add(noselect, g_steal_pointer(&level));
			}
		}
	}
	g_hash_table_unref(listed);
	g_ptr_array_sort(out, compare_names);
	for (guint i = 0; i < out->len; i++) {
		const char *name = g_ptr_array_index(out, i);
		g_autoptr(GString) line = g_string_new(NULL);
		g_string_append_printf(line, "* %s (", cmd->info->name);
		if (g_hash_table_contains(noselect, name))
			g_string_append(line, "\\Noselect ");
		g_string_append(line, has_children(mailboxes, name) ? "\\HasChildren"
		                                                    : "\\HasNoChildren");
		g_string_append(line, ") \".\" ");
		imap_append_mailbox(line, name);
		g_string_append(line, "\r\n");
		server_conn_write(s->conn, line->str, line->len);
	}
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}

void
imap_cmd_namespace(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 0) {
		imap_session_bad(s, cmd, "NAMESPACE takes no arguments");
		return;
	}
	/* One personal namespace with no prefix; no other users', no shared. */
	imap_session_printf(s, "* NAMESPACE ((\"\" \".\")) NIL NIL\r\n");
	imap_session_ok(s, cmd, NULL, "NAMESPACE completed");
}
