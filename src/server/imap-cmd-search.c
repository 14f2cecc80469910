/* SEARCH and UID SEARCH (RFC 3501 §6.4.4): the criteria are parsed into a
 * tree from the keys of proto/imap-search.h (AND of a list, NOT, OR,
 * parentheses, sequence and UID sets), then every message of the view is
 * tested. Text criteria compare case-insensitively with the decoded
 * headers (RFC 2047) and the decoded text parts. */
#include "server/imap-commands.h"

#include "proto/imap-search.h"
#include "proto/imap-seqset.h"
#include "server/imap-message.h"

#include <string.h>

#define MAX_SEARCH_DEPTH 64

typedef struct _Node Node;
struct _Node {
	const ImapSearchKeyInfo *key;
	char *str;  /* casefolded */
	char *name; /* HEADER's field name */
	GDate date;
	guint32 number;
	ImapSeqSet *set;
	GPtrArray *children; /* Node */
};

static void
node_free(Node *n)
{
	if (n == NULL)
		return;
	g_free(n->str);
	g_free(n->name);
	imap_seqset_free(n->set);
	if (n->children != NULL)
		g_ptr_array_unref(n->children);
	g_free(n);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Node, node_free)

static Node *
node_new(ImapSearchKeyId id)
{
	Node *n = g_new0(Node, 1);
	n->key = &imap_search_keys[id];
	n->children = g_ptr_array_new_with_free_func((GDestroyNotify)node_free);
	return n;
}

typedef struct {
	const ImapArg *list;
	guint pos;
	char *error; /* why the criteria are invalid (English, for the BAD) */
} Parse;

static Node *parse_key(Parse *p, guint depth);

static gboolean fail(Parse *p, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(Parse *p, const char *fmt, ...)
{
	if (p->error == NULL) {
		va_list ap;
		va_start(ap, fmt);
		p->error = g_strdup_vprintf(fmt, ap);
		va_end(ap);
	}
	return FALSE;
}

static char *
casefold(const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s, -1);
	/* ASCII runs are folded by lowering them; only the others go through
	 * g_utf8_casefold, whose lookup per character took most of the time of a
	 * SEARCH BODY (bench/compare.py). Folding is per character, so cutting
	 * between an ASCII octet and a sequence starting at >= 0x80 is exact. */
	GString *out = g_string_sized_new(strlen(valid) + 1);
	const char *p = valid;
	while (*p != '\0') {
		const char *q = p;
		while (*q != '\0' && (guchar)*q < 0x80)
			q++;
		gsize start = out->len;
		g_string_append_len(out, p, q - p);
		for (gsize i = start; i < out->len; i++) {
			char c = out->str[i];
			if (c >= 'A' && c <= 'Z')
				out->str[i] = (char)(c + ('a' - 'A'));
		}
		if (*q == '\0')
			break;
		p = q;
		while (*p != '\0' && (guchar)*p >= 0x80)
			p++;
		g_autofree char *folded = g_utf8_casefold(q, p - q);
		g_string_append(out, folded);
	}
	return g_string_free(out, FALSE);
}

static gboolean
parse_args(Parse *p, Node *n, const char *word, guint depth)
{
	const ImapArg *a = imap_arg_nth(p->list, p->pos);
	const char *text;
	switch (n->key->arg) {
	case IMAP_SEARCH_ARG_NONE:
		return TRUE;
	case IMAP_SEARCH_ARG_ASTRING:
		if (!imap_arg_get_astring(a, &text))
			return fail(p, "%s needs a string", word);
		n->str = casefold(text);
		p->pos++;
		return TRUE;
	case IMAP_SEARCH_ARG_HEADER: {
		const char *value;
		if (!imap_arg_get_astring(a, &text) ||
		    !imap_arg_get_astring(imap_arg_nth(p->list, p->pos + 1), &value))
			return fail(p, "HEADER needs a field name and a string");
		n->name = g_strdup(text);
		n->str = casefold(value);
		p->pos += 2;
		return TRUE;
	}
	case IMAP_SEARCH_ARG_DATE:
		if (!imap_arg_get_astring(a, &text) || !imap_search_parse_date(text, &n->date))
			return fail(p, "%s needs a date such as 1-Feb-2026", word);
		p->pos++;
		return TRUE;
	case IMAP_SEARCH_ARG_NUMBER:
		if (!imap_arg_get_number(a, &n->number))
			return fail(p, "%s needs a number", word);
		p->pos++;
		return TRUE;
	case IMAP_SEARCH_ARG_FLAG:
		if (!imap_arg_get_atom(a, &text))
			return fail(p, "%s needs a keyword", word);
		p->pos++;
		return TRUE;
	case IMAP_SEARCH_ARG_SEQSET:
		if (!imap_arg_get_atom(a, &text) ||
		    (n->set = imap_seqset_parse(text, NULL)) == NULL)
			return fail(p, "%s needs a set such as 1:5,8", word);
		p->pos++;
		return TRUE;
	case IMAP_SEARCH_ARG_KEY:
	case IMAP_SEARCH_ARG_TWO_KEYS:
		for (int k = 0; k < (n->key->arg == IMAP_SEARCH_ARG_KEY ? 1 : 2); k++) {
			Node *child = parse_key(p, depth + 1);
			if (child == NULL)
				return FALSE;
			g_ptr_array_add(n->children, child);
		}
		return TRUE;
	}
	return FALSE;
}

static Node *
parse_key(Parse *p, guint depth)
{
	const ImapArg *a = imap_arg_nth(p->list, p->pos);
	if (a == NULL) {
		fail(p, "Missing search key");
		return NULL;
	}
	if (depth > MAX_SEARCH_DEPTH) {
		fail(p, "Search criteria nested too deep");
		return NULL;
	}
	if (imap_arg_is_list(a)) {
		g_autoptr(Node) n = node_new(IMAP_SEARCH_LIST);
		Parse sub = {.list = a, .pos = 0};
		if (imap_arg_count(a) == 0) {
			fail(p, "Empty parenthesised list of search keys");
			return NULL;
		}
		while (sub.pos < imap_arg_count(a)) {
			Node *child = parse_key(&sub, depth + 1);
			if (child == NULL) {
				p->error = g_steal_pointer(&sub.error);
				return NULL;
			}
			g_ptr_array_add(n->children, child);
		}
		p->pos++;
		return g_steal_pointer(&n);
	}
	const char *word;
	if (!imap_arg_get_atom(a, &word)) {
		fail(p, "A search key is expected, not a string");
		return NULL;
	}
	p->pos++;
	const ImapSearchKeyInfo *info = imap_search_key_lookup(word);
	if (info == NULL) {
		ImapSeqSet *set = imap_seqset_parse(word, NULL);
		if (set == NULL) {
			fail(p, "Unknown search key %.40s", word);
			return NULL;
		}
		Node *n = node_new(IMAP_SEARCH_SEQSET);
		n->set = set;
		return n;
	}
	g_autoptr(Node) n = node_new(info->id);
	if (!parse_args(p, n, info->name, depth))
		return NULL;
	return g_steal_pointer(&n);
}

typedef struct {
	ImapSession *s;
	guint index;
	const StoreMessage *m;
	GBytes *bytes;
	ImapMessage *msg;
	char *body; /* casefolded, loaded once */
	guint32 max_uid;
	gboolean failed;
} Ctx;

static ImapMessage *
ctx_message(Ctx *c)
{
	if (c->msg == NULL && !c->failed) {
		c->bytes = store_message_read(c->s->mb, c->m->uid, NULL);
		if (c->bytes == NULL)
			c->failed = TRUE;
		else
			c->msg = imap_message_new(c->bytes);
	}
	return c->msg;
}

static gboolean
contains(const char *haystack, const char *needle_folded)
{
	if (haystack == NULL)
		return FALSE;
	g_autofree char *folded = casefold(haystack);
	return strstr(folded, needle_folded) != NULL;
}

static gboolean
header_contains(Ctx *c, const char *name, const char *needle)
{
	ImapMessage *msg = ctx_message(c);
	if (msg == NULL)
		return FALSE;
	g_autofree char *value = imap_message_header_text(msg, name);
	return value != NULL && contains(value, needle);
}

static gboolean
body_contains(Ctx *c, const char *needle)
{
	ImapMessage *msg = ctx_message(c);
	if (msg == NULL)
		return FALSE;
	if (c->body == NULL) {
		g_autofree char *text = imap_message_body_text(msg);
		c->body = casefold(text);
	}
	return strstr(c->body, needle) != NULL;
}

static int
compare_internal_date(const StoreMessage *m, const GDate *date)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(m->internal_date);
	GDate d;
	g_date_clear(&d, 1);
	g_date_set_dmy(&d, (GDateDay)g_date_time_get_day_of_month(dt),
	               (GDateMonth)g_date_time_get_month(dt), (GDateYear)g_date_time_get_year(dt));
	return g_date_compare(&d, date);
}

static gboolean
match(Ctx *c, const Node *n)
{
	guint32 flags = c->m->flags;
	gboolean recent = imap_session_is_recent(c->s, c->m->uid);
	switch (n->key->id) {
	case IMAP_SEARCH_ALL:
		return TRUE;
	case IMAP_SEARCH_ANSWERED:
		return flags & STORE_FLAG_ANSWERED;
	case IMAP_SEARCH_DELETED:
		return flags & STORE_FLAG_DELETED;
	case IMAP_SEARCH_DRAFT:
		return flags & STORE_FLAG_DRAFT;
	case IMAP_SEARCH_FLAGGED:
		return flags & STORE_FLAG_FLAGGED;
	case IMAP_SEARCH_SEEN:
		return flags & STORE_FLAG_SEEN;
	case IMAP_SEARCH_UNANSWERED:
		return !(flags & STORE_FLAG_ANSWERED);
	case IMAP_SEARCH_UNDELETED:
		return !(flags & STORE_FLAG_DELETED);
	case IMAP_SEARCH_UNDRAFT:
		return !(flags & STORE_FLAG_DRAFT);
	case IMAP_SEARCH_UNFLAGGED:
		return !(flags & STORE_FLAG_FLAGGED);
	case IMAP_SEARCH_UNSEEN:
		return !(flags & STORE_FLAG_SEEN);
	case IMAP_SEARCH_RECENT:
		return recent;
	case IMAP_SEARCH_NEW:
		return recent && !(flags & STORE_FLAG_SEEN);
	case IMAP_SEARCH_OLD:
		return !recent;
	case IMAP_SEARCH_KEYWORD:
		return FALSE; /* this server keeps no keywords */
	case IMAP_SEARCH_UNKEYWORD:
		return TRUE;
	case IMAP_SEARCH_LARGER:
		return c->m->size > n->number;
	case IMAP_SEARCH_SMALLER:
		return c->m->size < n->number;
	case IMAP_SEARCH_BEFORE:
		return compare_internal_date(c->m, &n->date) < 0;
	case IMAP_SEARCH_ON:
		return compare_internal_date(c->m, &n->date) == 0;
	case IMAP_SEARCH_SINCE:
		return compare_internal_date(c->m, &n->date) >= 0;
	case IMAP_SEARCH_SENTBEFORE:
	case IMAP_SEARCH_SENTON:
	case IMAP_SEARCH_SENTSINCE: {
		GDate sent;
		ImapMessage *msg = ctx_message(c);
		if (msg == NULL || !imap_message_sent_date(msg, &sent))
			return FALSE;
		int cmp = g_date_compare(&sent, &n->date);
		return n->key->id == IMAP_SEARCH_SENTBEFORE ? cmp < 0
		       : n->key->id == IMAP_SEARCH_SENTON   ? cmp == 0
		                                            : cmp >= 0;
	}
	case IMAP_SEARCH_FROM:
		return header_contains(c, "From", n->str);
	case IMAP_SEARCH_TO:
		return header_contains(c, "To", n->str);
	case IMAP_SEARCH_CC:
		return header_contains(c, "Cc", n->str);
	case IMAP_SEARCH_BCC:
		return header_contains(c, "Bcc", n->str);
	case IMAP_SEARCH_SUBJECT:
		return header_contains(c, "Subject", n->str);
	case IMAP_SEARCH_HEADER: {
		ImapMessage *msg = ctx_message(c);
		g_autofree char *value =
		    msg != NULL ? imap_message_header_text(msg, n->name) : NULL;
		return value != NULL && (n->str[0] == '\0' || contains(value, n->str));
	}
	case IMAP_SEARCH_BODY:
		return body_contains(c, n->str);
	case IMAP_SEARCH_TEXT: {
		ImapMessage *msg = ctx_message(c);
		if (msg == NULL)
			return FALSE;
		g_autofree char *headers = imap_message_all_headers_text(msg);
		return contains(headers, n->str) || body_contains(c, n->str);
	}
	case IMAP_SEARCH_UID:
		return imap_seqset_contains(n->set, c->m->uid, c->max_uid);
	case IMAP_SEARCH_SEQSET:
		return imap_seqset_contains(n->set, c->index + 1, c->s->view->len);
	case IMAP_SEARCH_NOT:
		return !match(c, g_ptr_array_index(n->children, 0));
	case IMAP_SEARCH_OR:
		return match(c, g_ptr_array_index(n->children, 0)) ||
		       match(c, g_ptr_array_index(n->children, 1));
	case IMAP_SEARCH_LIST:
		for (guint i = 0; i < n->children->len; i++) {
			if (!match(c, g_ptr_array_index(n->children, i)))
				return FALSE;
		}
		return TRUE;
	case IMAP_SEARCH_N:
		break;
	}
	return FALSE;
}

void
imap_cmd_search(ImapSession *s, const ImapCommand *cmd)
{
	/* The criteria as one list, after an optional CHARSET. */
	g_autoptr(ImapArg) all = imap_arg_new_list();
	guint n = imap_cmd_n_args(cmd);
	guint start = 0;
	if (n >= 2 && imap_arg_atom_equals(imap_cmd_arg(cmd, 0), "CHARSET")) {
		const char *charset;
		if (!imap_arg_get_astring(imap_cmd_arg(cmd, 1), &charset)) {
			imap_session_bad(s, cmd, "CHARSET needs a name");
			return;
		}
		if (g_ascii_strcasecmp(charset, "UTF-8") != 0 &&
		    g_ascii_strcasecmp(charset, "US-ASCII") != 0) {
			imap_session_no(s, cmd, "BADCHARSET (UTF-8 US-ASCII)",
			                "Only UTF-8 and US-ASCII searches are supported");
			return;
		}
		start = 2;
	}
	/* Borrow the parser's arguments: the list does not own them here. */
	g_ptr_array_set_free_func(all->list, NULL);
	for (guint i = start; i < n; i++)
		g_ptr_array_add(all->list, (gpointer)imap_cmd_arg(cmd, i));
	if (all->list->len == 0) {
		imap_session_bad(s, cmd, "Error in IMAP command %s: Missing search criteria",
		                 cmd->info->name);
		return;
	}
	Parse p = {.list = all};
	g_autoptr(Node) root = node_new(IMAP_SEARCH_LIST);
	while (p.pos < all->list->len) {
		Node *key = parse_key(&p, 0);
		if (key == NULL) {
			g_autofree char *error = p.error;
			imap_session_bad(s, cmd, "Error in IMAP command %s: %s", cmd->info->name,
			                 error);
			return;
		}
		g_ptr_array_add(root->children, key);
	}
	guint32 max_uid =
	    s->view->len > 0 ? g_array_index(s->view, ImapViewMsg, s->view->len - 1).uid : 0;
	g_autoptr(GString) line = g_string_new("* SEARCH");
	for (guint i = 0; i < s->view->len; i++) {
		Ctx c = {.s = s, .index = i, .m = imap_session_message(s, i), .max_uid = max_uid};
		if (c.m == NULL)
			continue; /* expunged by another session, not yet announced */
		gboolean hit = match(&c, root);
		if (c.msg != NULL)
			imap_message_free(c.msg);
		if (c.bytes != NULL)
			g_bytes_unref(c.bytes);
		g_free(c.body);
		if (hit)
			g_string_append_printf(line, " %u", cmd->uid ? c.m->uid : i + 1);
	}
	g_string_append(line, "\r\n");
	server_conn_write(s->conn, line->str, line->len);
	imap_session_ok(s, cmd, NULL, "%s completed", cmd->info->name);
}
