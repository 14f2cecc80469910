/* The POP3 view of a user's INBOX (RFC 1939): a snapshot numbered from 1 for
 * one session, DELE marks kept here so that the TUI sees them live, the
 * exclusive maildrop lock, and the UPDATE state that applies the marks. */
#include "store/store-private.h"

#include "core/facteur-i18n.h"

typedef struct {
	guint32 uid;
	gsize size;
	gboolean marked;
} Pop3Item;

struct _StorePop3 {
	Store *store;
	char *user;
	StoreMailbox *mb;
	GArray *items; /* Pop3Item */
};

static void
notify(StorePop3 *p, StoreChangeKind kind, guint32 uid, guint32 marked)
{
	if (p->store != NULL)
		store_emit_simple(p->store, kind, p->user, "INBOX", uid, marked,
		                  store_mailbox_uidvalidity(p->mb));
}

StorePop3 *
store_pop3_open(Store *store, const char *user, GError **error)
{
	if (!store_user_exists(store, user)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no user “%s”"), user);
		return NULL;
	}
	if (g_hash_table_contains(store->pop3_views, user)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IN_USE,
		            _("the maildrop of %s is already in use by another POP3 session"),
		            user);
		return NULL;
	}
	StoreMailbox *mb = store_mailbox_open(store, user, "INBOX", error);
	if (mb == NULL || !store_mailbox_sync(mb, error)) {
		store_mailbox_unref(mb);
		return NULL;
	}
	StorePop3 *p = g_new0(StorePop3, 1);
	p->store = store;
	p->user = g_strdup(user);
	p->mb = mb;
	p->items = g_array_sized_new(FALSE, TRUE, sizeof(Pop3Item), store_mailbox_count(mb));
	for (guint i = 0; i < store_mailbox_count(mb); i++) {
		const StoreMessage *m = store_mailbox_nth(mb, i);
		Pop3Item it = {.uid = m->uid, .size = m->size};
		g_array_append_val(p->items, it);
	}
	g_hash_table_insert(store->pop3_views, g_strdup(user), p);
	notify(p, STORE_CHANGE_POP3_OPENED, 0, 0);
	return p;
}

void
store_pop3_close(StorePop3 *p)
{
	if (p == NULL)
		return;
	if (p->store != NULL) {
		g_hash_table_remove(p->store->pop3_views, p->user);
		notify(p, STORE_CHANGE_POP3_CLOSED, 0, 0);
	}
	store_mailbox_unref(p->mb);
	g_array_unref(p->items);
	g_free(p->user);
	g_free(p);
}

guint
store_pop3_count(const StorePop3 *p)
{
	return p->items->len;
}

static Pop3Item *
item(const StorePop3 *p, guint n)
{
	if (n == 0 || n > p->items->len)
		return NULL;
	return &g_array_index(p->items, Pop3Item, n - 1);
}

gboolean
store_pop3_get(const StorePop3 *p, guint n, guint32 *uid_r, gsize *size_r, gboolean *marked_r)
{
	Pop3Item *it = item(p, n);
	if (it == NULL)
		return FALSE;
	if (uid_r != NULL)
		*uid_r = it->uid;
	if (size_r != NULL)
		*size_r = it->size;
	if (marked_r != NULL)
		*marked_r = it->marked;
	return TRUE;
}

void
store_pop3_stat(const StorePop3 *p, guint *count_r, gsize *octets_r)
{
	guint count = 0;
	gsize octets = 0;
	for (guint i = 0; i < p->items->len; i++) {
		const Pop3Item *it = &g_array_index(p->items, Pop3Item, i);
		if (!it->marked) {
			count++;
			octets += it->size;
		}
	}
	*count_r = count;
	*octets_r = octets;
}

char *
store_pop3_uidl(const StorePop3 *p, guint n)
{
	Pop3Item *it = item(p, n);
	if (it == NULL)
		return NULL;
	/* Dovecot's %08Xu%08Xv, lower case: the UID then the UIDVALIDITY, so a
	 * recreated mailbox never gives an old unique id again. */
	return g_strdup_printf("%08x%08x", it->uid, store_mailbox_uidvalidity(p->mb));
}

GBytes *
store_pop3_read(StorePop3 *p, guint n, GError **error)
{
	Pop3Item *it = item(p, n);
	if (it == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no message %u"), n);
		return NULL;
	}
	return store_message_read(p->mb, it->uid, error);
}

gboolean
store_pop3_mark(StorePop3 *p, guint n)
{
	Pop3Item *it = item(p, n);
	if (it == NULL || it->marked)
		return FALSE;
	it->marked = TRUE;
	notify(p, STORE_CHANGE_POP3_MARKS, it->uid, 1);
	return TRUE;
}

guint
store_pop3_reset(StorePop3 *p)
{
	guint undone = 0;
	for (guint i = 0; i < p->items->len; i++) {
		Pop3Item *it = &g_array_index(p->items, Pop3Item, i);
		if (it->marked) {
			it->marked = FALSE;
			undone++;
			notify(p, STORE_CHANGE_POP3_MARKS, it->uid, 0);
		}
	}
	return undone;
}

guint
store_pop3_commit(StorePop3 *p, GError **error)
{
	g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint i = 0; i < p->items->len; i++) {
		Pop3Item *it = &g_array_index(p->items, Pop3Item, i);
		if (it->marked)
			g_array_append_val(uids, it->uid);
	}
	if (uids->len == 0)
		return 0;
	if (!store_mailbox_expunge(p->mb, (guint32 *)uids->data, uids->len, error))
		return 0;
	for (guint i = 0; i < p->items->len; i++)
		g_array_index(p->items, Pop3Item, i).marked = FALSE;
	return uids->len;
}

gboolean
store_pop3_is_marked(Store *store, const char *user, guint32 uid)
{
	StorePop3 *p = g_hash_table_lookup(store->pop3_views, user);
	if (p == NULL)
		return FALSE;
	for (guint i = 0; i < p->items->len; i++) {
		const Pop3Item *it = &g_array_index(p->items, Pop3Item, i);
		if (it->uid == uid)
			return it->marked;
	}
	return FALSE;
}

gboolean
store_pop3_is_locked(Store *store, const char *user)
{
	return user != NULL && g_hash_table_contains(store->pop3_views, user);
}

void
store_pop3_detach_all(Store *store)
{
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, store->pop3_views);
	while (g_hash_table_iter_next(&it, NULL, &value))
		((StorePop3 *)value)->store = NULL;
}
