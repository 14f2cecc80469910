/* One Maildir mailbox: its uid list (UIDVALIDITY, UIDNEXT, file → UID), its
 * messages with flags in their file names, delivery through tmp/, flag
 * changes, expunge, and reconciliation with what is really on disk. */
#include "store/store-private.h"

#include "core/facteur-clock.h"
#include "core/facteur-i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define UIDLIST       "facteur-uidlist"
#define UIDLIST_MAGIC "facteur-uidlist 1"

/* Maildir info letters, in the ASCII order Maildir requires. */
static const struct {
	char letter;
	guint32 flag;
} maildir_letters[] = {
    {'D', STORE_FLAG_DRAFT}, {'F', STORE_FLAG_FLAGGED}, {'R', STORE_FLAG_ANSWERED},
    {'S', STORE_FLAG_SEEN},  {'T', STORE_FLAG_DELETED},
};

typedef struct {
	char *name; /* file name in new/ or cur/ */
	char *base;
	guint32 flags;
	gboolean in_new;
	gsize size;
	gint64 mtime;
	gboolean used;
} ScanItem;

typedef struct {
	guint32 uid;
	char *base;
} UidRecord;

static void
scan_item_free(gpointer p)
{
	ScanItem *it = p;
	g_free(it->name);
	g_free(it->base);
	g_free(it);
}

static void
entry_clear(gpointer p)
{
	StoreEntry *e = p;
	g_free(e->base);
	g_free(e->file);
}

static void
record_clear(gpointer p)
{
	g_free(((UidRecord *)p)->base);
}

static guint32
flags_from_info(const char *info)
{
	guint32 flags = 0;
	if (info == NULL || strncmp(info, ":2,", 3) != 0)
		return 0;
	for (const char *p = info + 3; *p; p++) {
		for (gsize i = 0; i < G_N_ELEMENTS(maildir_letters); i++) {
			if (*p == maildir_letters[i].letter)
				flags |= maildir_letters[i].flag;
		}
	}
	return flags;
}

static char *
file_for(const char *base, guint32 flags, gboolean in_new)
{
	if (in_new)
		return g_strconcat("new/", base, NULL);
	char letters[G_N_ELEMENTS(maildir_letters) + 1];
	gsize n = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(maildir_letters); i++) {
		if (flags & maildir_letters[i].flag)
			letters[n++] = maildir_letters[i].letter;
	}
	letters[n] = '\0';
	return g_strconcat("cur/", base, ":2,", letters, NULL);
}

static gboolean
store_alive(StoreMailbox *mb, GError **error)
{
	if (mb->store == NULL || mb->deleted) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND,
		            _("mailbox “%s” no longer exists"), mb->name);
		return FALSE;
	}
	return TRUE;
}

static void
emit(StoreMailbox *mb, StoreChangeKind kind, guint32 uid, guint32 flags)
{
	if (mb->store != NULL)
		store_emit_simple(mb->store, kind, mb->user, mb->name, uid, flags, mb->uidvalidity);
}

/* --- scanning new/ and cur/ --- */

static gboolean
scan_subdir(StoreMailbox *mb, const char *sub, GHashTable *items, GError **error)
{
	g_autofree char *dirpath = g_build_filename(mb->path, sub, NULL);
	if (!store_check_real_dir(dirpath, error))
		return FALSE;
	g_autoptr(GError) local = NULL;
	g_autoptr(GDir) dir = g_dir_open(dirpath, 0, &local);
	if (dir == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	gboolean in_new = strcmp(sub, "new") == 0;
	const char *name;
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (name[0] == '.')
			continue;
		g_autofree char *full = g_build_filename(dirpath, name, NULL);
		struct stat st;
		if (lstat(full, &st) != 0 || !S_ISREG(st.st_mode))
			continue; /* symlinks and oddities are never followed */
		const char *colon = strchr(name, ':');
		ScanItem *it = g_new0(ScanItem, 1);
		it->name = g_strdup(name);
		it->base = colon ? g_strndup(name, (gsize)(colon - name)) : g_strdup(name);
		it->flags = in_new ? 0 : flags_from_info(colon);
		it->in_new = in_new;
		it->size = (gsize)st.st_size;
		it->mtime = (gint64)st.st_mtime;
		/* The same base in new/ and cur/ (a crash between two renames): keep cur/. */
		ScanItem *old = g_hash_table_lookup(items, it->base);
		if (old != NULL && !old->in_new) {
			scan_item_free(it);
			continue;
		}
		g_hash_table_replace(items, it->base, it);
	}
	return TRUE;
}

static GHashTable *
scan(StoreMailbox *mb, GError **error)
{
	GHashTable *items = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, scan_item_free);
	if (!scan_subdir(mb, "new", items, error) || !scan_subdir(mb, "cur", items, error)) {
		g_hash_table_destroy(items);
		return NULL;
	}
	return items;
}

static gint
compare_items(gconstpointer a, gconstpointer b)
{
	const ScanItem *x = *(ScanItem *const *)a, *y = *(ScanItem *const *)b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->base, y->base);
}

static void
append_entry(StoreMailbox *mb, guint32 uid, const ScanItem *it)
{
	StoreEntry e = {
	    .pub = {.uid = uid,
	            .flags = it->flags,
	            .recent = it->in_new,
	            .size = it->size,
	            .internal_date = it->mtime},
	    .base = g_strdup(it->base),
	    .file = g_strconcat(it->in_new ? "new/" : "cur/", it->name, NULL),
	};
	g_array_append_val(mb->entries, e);
}

/* Files no record knows, oldest first, get the next UIDs. Returns how many. */
static guint
assign_new(StoreMailbox *mb, GHashTable *items, GArray *new_uids)
{
	g_autoptr(GPtrArray) fresh = g_ptr_array_new();
	GHashTableIter iter;
	gpointer value;
	g_hash_table_iter_init(&iter, items);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (!((ScanItem *)value)->used)
			g_ptr_array_add(fresh, value);
	}
	g_ptr_array_sort(fresh, compare_items);
	for (guint i = 0; i < fresh->len; i++) {
		guint32 uid = mb->uidnext++;
		append_entry(mb, uid, fresh->pdata[i]);
		if (new_uids != NULL)
			g_array_append_val(new_uids, uid);
	}
	return fresh->len;
}

/* --- the uid list --- */

static char *
uidlist_path(StoreMailbox *mb)
{
	return g_build_filename(mb->path, UIDLIST, NULL);
}

static void
close_uidlist(StoreMailbox *mb)
{
	if (mb->uidlist_fd >= 0)
		close(mb->uidlist_fd);
	mb->uidlist_fd = -1;
}

static gboolean
write_uidlist(StoreMailbox *mb, GError **error)
{
	close_uidlist(mb);
	GString *out = g_string_sized_new(64 + mb->entries->len * 48);
	g_string_append_printf(out, UIDLIST_MAGIC " %u %u\n", mb->uidvalidity, mb->uidnext);
	for (guint i = 0; i < mb->entries->len; i++) {
		StoreEntry *e = &g_array_index(mb->entries, StoreEntry, i);
		g_string_append_printf(out, "%u %s\n", e->pub.uid, e->base);
	}
	g_autofree char *path = uidlist_path(mb);
	gboolean ok = store_write_file_atomic(path, out->str, (gssize)out->len, error);
	g_string_free(out, TRUE);
	return ok;
}

/* A new UID is appended rather than rewriting the list. A crash can only tear
 * the last line, which loading ignores: the file then gets a UID again from
 * UIDNEXT, which no client has seen. */
static gboolean
append_uidlist(StoreMailbox *mb, guint32 uid, const char *base, GError **error)
{
	if (mb->uidlist_fd < 0) {
		g_autofree char *path = uidlist_path(mb);
		mb->uidlist_fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
		if (mb->uidlist_fd < 0)
			return write_uidlist(mb, error);
	}
	g_autofree char *line = g_strdup_printf("%u %s\n", uid, base);
	gsize len = strlen(line);
	if (write(mb->uidlist_fd, line, len) != (gssize)len) {
		close_uidlist(mb);
		return write_uidlist(mb, error);
	}
	return TRUE;
}

typedef enum { UIDLIST_OK, UIDLIST_MISSING, UIDLIST_CORRUPT } UidlistState;

static UidlistState
read_uidlist(StoreMailbox *mb, GArray *records, char **why_r)
{
	g_autofree char *path = uidlist_path(mb);
	g_autofree char *text = NULL;
	gsize len = 0;
	struct stat st;

	if (lstat(path, &st) != 0)
		return UIDLIST_MISSING;
	if (!S_ISREG(st.st_mode) || !g_file_get_contents(path, &text, &len, NULL)) {
		*why_r = g_strdup(_("not a readable file"));
		return UIDLIST_CORRUPT;
	}
	if (memchr(text, '\0', len) != NULL) {
		*why_r = g_strdup(_("it contains NUL bytes"));
		return UIDLIST_CORRUPT;
	}
	char *line = text, *end = text + len;
	guint lineno = 0;
	guint32 last = 0;
	while (line < end) {
		char *nl = memchr(line, '\n', (gsize)(end - line));
		if (nl == NULL)
			break; /* a torn last line (killed while appending): ignored */
		*nl = '\0';
		lineno++;
		if (lineno == 1) {
			unsigned long long v, n;
			int used = 0;
			if (!g_str_has_prefix(line, UIDLIST_MAGIC " ") ||
			    sscanf(line + strlen(UIDLIST_MAGIC), " %llu %llu%n", &v, &n, &used) !=
			        2 ||
			    line[strlen(UIDLIST_MAGIC) + used] != '\0' || v == 0 ||
			    v > G_MAXUINT32 || n == 0 || n > G_MAXUINT32) {
				*why_r = g_strdup(_("bad first line"));
				return UIDLIST_CORRUPT;
			}
			mb->uidvalidity = (guint32)v;
			mb->uidnext = (guint32)n;
		} else {
			char *sp = strchr(line, ' ');
			char *stop = NULL;
			guint64 uid = sp ? g_ascii_strtoull(line, &stop, 10) : 0;
			if (sp == NULL || stop != sp || uid == 0 || uid > G_MAXUINT32 - 1 ||
			    uid <= last || sp[1] == '\0' || strchr(sp + 1, '/') != NULL) {
				*why_r = g_strdup_printf(_("bad line %u"), lineno);
				return UIDLIST_CORRUPT;
			}
			last = (guint32)uid;
			UidRecord r = {.uid = last, .base = g_strdup(sp + 1)};
			g_array_append_val(records, r);
		}
		line = nl + 1;
	}
	if (lineno == 0) {
		*why_r = g_strdup(_("it is empty"));
		return UIDLIST_CORRUPT;
	}
	if (last >= mb->uidnext)
		mb->uidnext = last + 1;
	return UIDLIST_OK;
}

/* --- loading and synchronising --- */

gboolean
store_mailbox_init_dir(Store *store, const char *path, gboolean maildirfolder, GError **error)
{
	static const char *const subs[] = {"cur", "new", "tmp"};
	for (gsize i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *sub = g_build_filename(path, subs[i], NULL);
		if (g_mkdir(sub, 0700) != 0 && errno != EEXIST) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s: %s"),
			            sub, g_strerror(errno));
			return FALSE;
		}
		if (!store_check_real_dir(sub, error))
			return FALSE;
	}
	if (maildirfolder) {
		/* Maildir++ marks sub-folders so that delivery agents know them. */
		g_autofree char *marker = g_build_filename(path, "maildirfolder", NULL);
		if (!g_file_set_contents(marker, "", 0, NULL)) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s"),
			            marker);
			return FALSE;
		}
	}
	g_autofree char *list = g_build_filename(path, UIDLIST, NULL);
	if (g_file_test(list, G_FILE_TEST_EXISTS))
		return TRUE;
	guint32 v = store_alloc_uidvalidity(store, error);
	if (v == 0)
		return FALSE;
	g_autofree char *text = g_strdup_printf(UIDLIST_MAGIC " %u 1\n", v);
	return store_write_file_atomic(list, text, -1, error);
}

StoreMailbox *
store_mailbox_load(Store *store, const char *user, const char *canonical, const char *path,
                   GError **error)
{
	StoreMailbox *mb = g_new0(StoreMailbox, 1);
	mb->refcount = 1;
	mb->store = store;
	mb->user = g_strdup(user);
	mb->name = g_strdup(canonical);
	mb->key = g_strconcat(user, "/", canonical, NULL);
	mb->path = g_strdup(path);
	mb->uidlist_fd = -1;
	mb->entries = g_array_new(FALSE, TRUE, sizeof(StoreEntry));
	g_array_set_clear_func(mb->entries, entry_clear);

	if (!store_check_real_dir(path, error) ||
	    !store_mailbox_init_dir(store, path, FALSE, error)) {
		store_mailbox_unref(mb);
		return NULL;
	}
	g_autoptr(GArray) records = g_array_new(FALSE, TRUE, sizeof(UidRecord));
	g_array_set_clear_func(records, record_clear);
	g_autofree char *why = NULL;
	UidlistState state = read_uidlist(mb, records, &why);
	GHashTable *items = scan(mb, error);
	if (items == NULL) {
		store_mailbox_unref(mb);
		return NULL;
	}
	gboolean rewrite = state != UIDLIST_OK;
	if (state != UIDLIST_OK) {
		if (state == UIDLIST_CORRUPT) {
			g_autofree char *p = uidlist_path(mb);
			g_message(
			    _("%s is corrupt (%s): rebuilt with a new UIDVALIDITY, no message "
			      "lost"),
			    p, why);
		}
		g_array_set_size(records, 0);
		mb->uidvalidity = store_alloc_uidvalidity(store, error);
		mb->uidnext = 1;
		if (mb->uidvalidity == 0) {
			g_hash_table_destroy(items);
			store_mailbox_unref(mb);
			return NULL;
		}
	}
	for (guint i = 0; i < records->len; i++) {
		UidRecord *r = &g_array_index(records, UidRecord, i);
		ScanItem *it = g_hash_table_lookup(items, r->base);
		if (it == NULL || it->used) {
			rewrite = TRUE; /* removed by another program */
			continue;
		}
		it->used = TRUE;
		append_entry(mb, r->uid, it);
	}
	if (assign_new(mb, items, NULL) > 0)
		rewrite = TRUE;
	g_hash_table_destroy(items);
	if (rewrite && !write_uidlist(mb, error)) {
		store_mailbox_unref(mb);
		return NULL;
	}
	return mb;
}

gboolean
store_mailbox_sync(StoreMailbox *mb, GError **error)
{
	if (!store_alive(mb, error))
		return FALSE;
	GHashTable *items = scan(mb, error);
	if (items == NULL)
		return FALSE;
	g_autoptr(GArray) gone = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) changed = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_autoptr(GArray) added = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint i = 0; i < mb->entries->len;) {
		StoreEntry *e = &g_array_index(mb->entries, StoreEntry, i);
		ScanItem *it = g_hash_table_lookup(items, e->base);
		if (it == NULL) {
			g_array_append_val(gone, e->pub.uid);
			g_array_remove_index(mb->entries, i);
			continue;
		}
		it->used = TRUE;
		g_autofree char *file = g_strconcat(it->in_new ? "new/" : "cur/", it->name, NULL);
		if (strcmp(file, e->file) != 0) {
			g_free(e->file);
			e->file = g_steal_pointer(&file);
			if (e->pub.flags != it->flags) {
				e->pub.flags = it->flags;
				g_array_append_val(changed, e->pub.uid);
			}
		}
		i++;
	}
	assign_new(mb, items, added);
	g_hash_table_destroy(items);
	if ((gone->len > 0 || added->len > 0) && !write_uidlist(mb, error))
		return FALSE;
	for (guint i = 0; i < gone->len; i++)
		emit(mb, STORE_CHANGE_EXPUNGE, g_array_index(gone, guint32, i), 0);
	for (guint i = 0; i < changed->len; i++) {
		guint32 uid = g_array_index(changed, guint32, i);
		emit(mb, STORE_CHANGE_FLAGS, uid, store_mailbox_find(mb, uid, NULL)->flags);
	}
	for (guint i = 0; i < added->len; i++) {
		guint32 uid = g_array_index(added, guint32, i);
		emit(mb, STORE_CHANGE_MESSAGE_NEW, uid, store_mailbox_find(mb, uid, NULL)->flags);
	}
	return TRUE;
}

static gboolean
remove_messages_in(const char *path, const char *sub, GError **error)
{
	g_autofree char *dirpath = g_build_filename(path, sub, NULL);
	g_autoptr(GDir) dir = g_dir_open(dirpath, 0, NULL);
	const char *name;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *full = g_build_filename(dirpath, name, NULL);
		struct stat st;
		if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode) && g_unlink(full) != 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot remove %s: %s"),
			            full, g_strerror(errno));
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
store_mailbox_reset(StoreMailbox *mb, GError **error)
{
	if (!store_alive(mb, error))
		return FALSE;
	if (!remove_messages_in(mb->path, "cur", error) ||
	    !remove_messages_in(mb->path, "new", error) ||
	    !remove_messages_in(mb->path, "tmp", error))
		return FALSE;
	g_array_set_size(mb->entries, 0);
	guint32 v = store_alloc_uidvalidity(mb->store, error);
	if (v == 0)
		return FALSE;
	mb->uidvalidity = v;
	mb->uidnext = 1;
	return write_uidlist(mb, error);
}

gboolean
store_mailbox_reset_uidvalidity(StoreMailbox *mb, GError **error)
{
	if (!store_alive(mb, error))
		return FALSE;
	guint32 v = store_alloc_uidvalidity(mb->store, error);
	if (v == 0)
		return FALSE;
	mb->uidvalidity = v;
	return write_uidlist(mb, error);
}

void
store_mailbox_detach(StoreMailbox *mb)
{
	mb->store = NULL;
	close_uidlist(mb);
}

/* --- references and accessors --- */

StoreMailbox *
store_mailbox_ref(StoreMailbox *mb)
{
	g_atomic_int_inc(&mb->refcount);
	return mb;
}

void
store_mailbox_unref(StoreMailbox *mb)
{
	if (mb == NULL || !g_atomic_int_dec_and_test(&mb->refcount))
		return;
	close_uidlist(mb);
	g_array_unref(mb->entries);
	g_free(mb->user);
	g_free(mb->name);
	g_free(mb->key);
	g_free(mb->path);
	g_free(mb);
}

const char *
store_mailbox_user(const StoreMailbox *mb)
{
	return mb->user;
}

const char *
store_mailbox_name(const StoreMailbox *mb)
{
	return mb->name;
}

const char *
store_mailbox_path(const StoreMailbox *mb)
{
	return mb->path;
}

gboolean
store_mailbox_is_deleted(const StoreMailbox *mb)
{
	return mb->deleted;
}

guint32
store_mailbox_uidvalidity(const StoreMailbox *mb)
{
	return mb->uidvalidity;
}

guint32
store_mailbox_uidnext(const StoreMailbox *mb)
{
	return mb->uidnext;
}

guint
store_mailbox_count(const StoreMailbox *mb)
{
	return mb->entries->len;
}

const StoreMessage *
store_mailbox_nth(const StoreMailbox *mb, guint index)
{
	if (index >= mb->entries->len)
		return NULL;
	return &g_array_index(mb->entries, StoreEntry, index).pub;
}

static StoreEntry *
find_entry(const StoreMailbox *mb, guint32 uid, guint *index_r)
{
	guint lo = 0, hi = mb->entries->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		StoreEntry *e = &g_array_index(mb->entries, StoreEntry, mid);
		if (e->pub.uid == uid) {
			if (index_r != NULL)
				*index_r = mid;
			return e;
		}
		if (e->pub.uid < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const StoreMessage *
store_mailbox_find(const StoreMailbox *mb, guint32 uid, guint *index_r)
{
	StoreEntry *e = find_entry(mb, uid, index_r);
	return e != NULL ? &e->pub : NULL;
}

guint
store_mailbox_count_unseen(const StoreMailbox *mb)
{
	guint n = 0;
	for (guint i = 0; i < mb->entries->len; i++) {
		if (!(g_array_index(mb->entries, StoreEntry, i).pub.flags & STORE_FLAG_SEEN))
			n++;
	}
	return n;
}

guint
store_mailbox_count_recent(const StoreMailbox *mb)
{
	guint n = 0;
	for (guint i = 0; i < mb->entries->len; i++) {
		if (g_array_index(mb->entries, StoreEntry, i).pub.recent)
			n++;
	}
	return n;
}

/* --- delivery --- */

struct _StoreDelivery {
	StoreMailbox *mb;
	int fd;
	char *tmp_path;
	char *base;
	gsize size;
	gboolean committed;
};

StoreDelivery *
store_delivery_begin(StoreMailbox *mb, GError **error)
{
	if (!store_alive(mb, error))
		return NULL;
	g_autofree char *tmpdir = g_build_filename(mb->path, "tmp", NULL);
	if (!store_check_real_dir(tmpdir, error))
		return NULL;
	StoreDelivery *d = g_new0(StoreDelivery, 1);
	d->mb = store_mailbox_ref(mb);
	d->base = store_new_base(mb->store);
	d->tmp_path = g_build_filename(tmpdir, d->base, NULL);
	d->fd = open(d->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (d->fd < 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s: %s"),
		            d->tmp_path, g_strerror(errno));
		g_clear_pointer(&d->tmp_path, g_free);
		store_delivery_free(d);
		return NULL;
	}
	return d;
}

gboolean
store_delivery_write(StoreDelivery *d, const void *data, gsize len, GError **error)
{
	const StoreLimits *lim = d->mb->store ? &d->mb->store->limits : NULL;
	if (lim != NULL && (d->size + len < d->size || d->size + len > lim->max_message_size)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_LIMIT,
		            _("the message is larger than the limit of %zu octets"),
		            lim->max_message_size);
		return FALSE;
	}
	const char *p = data;
	while (len > 0) {
		gssize w = write(d->fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot write %s: %s"),
			            d->tmp_path, g_strerror(errno));
			return FALSE;
		}
		p += w;
		len -= (gsize)w;
		d->size += (gsize)w;
	}
	return TRUE;
}

gboolean
store_delivery_commit(StoreDelivery *d, guint32 flags, gint64 internal_date, guint32 *uid_r,
                      GError **error)
{
	StoreMailbox *mb = d->mb;
	if (d->committed || !store_alive(mb, error))
		return FALSE;
	gint64 date = internal_date >= 0 ? internal_date : facteur_clock_now();
	struct timespec times[2] = {{.tv_sec = (time_t)date}, {.tv_sec = (time_t)date}};
	if (futimens(d->fd, times) != 0 || fsync(d->fd) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot sync %s: %s"),
		            d->tmp_path, g_strerror(errno));
		return FALSE;
	}
	close(d->fd);
	d->fd = -1;

	g_autofree char *base = g_strdup_printf("%s,S=%" G_GSIZE_FORMAT, d->base, d->size);
	flags &= STORE_FLAG_ALL;
	gboolean in_new = flags == 0;
	g_autofree char *file = file_for(base, flags, in_new);
	g_autofree char *dest = g_build_filename(mb->path, file, NULL);
	g_autofree char *destdir = g_build_filename(mb->path, in_new ? "new" : "cur", NULL);
	if (g_rename(d->tmp_path, dest) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot move %s into %s: %s"),
		            d->tmp_path, destdir, g_strerror(errno));
		return FALSE;
	}
	d->committed = TRUE;
	if (!store_fsync_dir(destdir, error))
		return FALSE;

	guint32 uid = mb->uidnext++;
	StoreEntry e = {
	    .pub = {.uid = uid,
	            .flags = flags,
	            .recent = TRUE,
	            .size = d->size,
	            .internal_date = date},
	    .base = g_strdup(base),
	    .file = g_steal_pointer(&file),
	};
	g_array_append_val(mb->entries, e);
	if (!append_uidlist(mb, uid, base, error))
		return FALSE;
	if (uid_r != NULL)
		*uid_r = uid;
	emit(mb, STORE_CHANGE_MESSAGE_NEW, uid, flags);
	return TRUE;
}

void
store_delivery_free(StoreDelivery *d)
{
	if (d == NULL)
		return;
	if (d->fd >= 0)
		close(d->fd);
	if (!d->committed && d->tmp_path != NULL)
		g_unlink(d->tmp_path);
	store_mailbox_unref(d->mb);
	g_free(d->tmp_path);
	g_free(d->base);
	g_free(d);
}

gboolean
store_deliver(StoreMailbox *mb, const void *data, gsize len, guint32 flags, gint64 internal_date,
              guint32 *uid_r, GError **error)
{
	g_autoptr(StoreDelivery) d = store_delivery_begin(mb, error);
	return d != NULL && store_delivery_write(d, data, len, error) &&
	       store_delivery_commit(d, flags, internal_date, uid_r, error);
}

/* --- reading and changing messages --- */

#define SMALL_MESSAGE (256 * 1024)

static GBytes *
map_file(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, STORE_ERROR,
		            e == ENOENT ? STORE_ERROR_NOT_FOUND : STORE_ERROR_IO,
		            _("cannot read %s: %s"), path, g_strerror(e));
		return NULL;
	}
	/* Most messages are small: reading them costs less than mapping, whose
	 * munmap flushes the TLB of every core (a third of a SEARCH on 1,000
	 * messages went to mmap, page faults and munmap, bench/compare.py). */
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size < SMALL_MESSAGE) {
		gsize size = (gsize)st.st_size;
		char *buf = g_malloc(size + 1);
		gsize got = 0;
		while (got < size) {
			gssize n = read(fd, buf + got, size - got);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += (gsize)n;
		}
		if (got == size) {
			close(fd);
			return g_bytes_new_take(buf, size);
		}
		g_free(buf); /* changed under us: map what is there now */
	}
	g_autoptr(GError) local = NULL;
	GMappedFile *map = g_mapped_file_new_from_fd(fd, FALSE, &local);
	close(fd);
	if (map == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, "%s", local->message);
		return NULL;
	}
	GBytes *bytes = g_mapped_file_get_bytes(map);
	g_mapped_file_unref(map);
	return bytes;
}

GBytes *
store_message_read(StoreMailbox *mb, guint32 uid, GError **error)
{
	StoreEntry *e = find_entry(mb, uid, NULL);
	if (e == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND,
		            _("no message with UID %u in “%s”"), uid, mb->name);
		return NULL;
	}
	g_autofree char *path = g_build_filename(mb->path, e->file, NULL);
	g_autoptr(GError) local = NULL;
	GBytes *bytes = map_file(path, &local);
	if (bytes == NULL && g_error_matches(local, STORE_ERROR, STORE_ERROR_NOT_FOUND) &&
	    mb->store != NULL && store_mailbox_sync(mb, NULL)) {
		/* Another program renamed it (a flag change by a Maildir tool): look again. */
		e = find_entry(mb, uid, NULL);
		if (e != NULL) {
			g_free(path);
			path = g_build_filename(mb->path, e->file, NULL);
			g_clear_error(&local);
			bytes = map_file(path, &local);
		}
	}
	if (bytes == NULL)
		g_propagate_error(error, g_steal_pointer(&local));
	return bytes;
}

gboolean
store_message_copy(StoreMailbox *from, guint32 uid, StoreMailbox *to, guint32 *uid_r,
                   GError **error)
{
	const StoreMessage *m = store_mailbox_find(from, uid, NULL);
	if (m == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND,
		            _("no message with UID %u in “%s”"), uid, from->name);
		return FALSE;
	}
	guint32 flags = m->flags;
	gint64 date = m->internal_date;
	g_autoptr(GBytes) bytes = store_message_read(from, uid, error);
	if (bytes == NULL)
		return FALSE;
	gsize len;
	const void *data = g_bytes_get_data(bytes, &len);
	return store_deliver(to, data, len, flags, date, uid_r, error);
}

gboolean
store_message_set_flags(StoreMailbox *mb, guint32 uid, guint32 flags, GError **error)
{
	if (!store_alive(mb, error))
		return FALSE;
	StoreEntry *e = find_entry(mb, uid, NULL);
	if (e == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND,
		            _("no message with UID %u in “%s”"), uid, mb->name);
		return FALSE;
	}
	flags &= STORE_FLAG_ALL;
	g_autofree char *file = file_for(e->base, flags, FALSE);
	if (strcmp(file, e->file) == 0)
		return TRUE;
	g_autofree char *src = g_build_filename(mb->path, e->file, NULL);
	g_autofree char *dst = g_build_filename(mb->path, file, NULL);
	if (g_rename(src, dst) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot rename %s: %s"), src,
		            g_strerror(errno));
		return FALSE;
	}
	g_free(e->file);
	e->file = g_steal_pointer(&file);
	gboolean changed = e->pub.flags != flags;
	e->pub.flags = flags;
	if (changed)
		emit(mb, STORE_CHANGE_FLAGS, uid, flags);
	return TRUE;
}

static gint
compare_uid(gconstpointer a, gconstpointer b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
	return x < y ? -1 : x > y;
}

gboolean
store_mailbox_expunge(StoreMailbox *mb, const guint32 *uids, guint n_uids, GError **error)
{
	if (!store_alive(mb, error))
		return FALSE;
	g_autoptr(GArray) done = g_array_new(FALSE, FALSE, sizeof(guint32));
	gboolean ok = TRUE;
	for (guint i = 0; i < n_uids; i++) {
		guint index;
		StoreEntry *e = find_entry(mb, uids[i], &index);
		if (e == NULL)
			continue;
		g_autofree char *path = g_build_filename(mb->path, e->file, NULL);
		if (g_unlink(path) != 0 && errno != ENOENT) {
			if (ok)
				g_set_error(error, STORE_ERROR, STORE_ERROR_IO,
				            _("cannot remove %s: %s"), path, g_strerror(errno));
			ok = FALSE;
			continue;
		}
		g_array_append_val(done, uids[i]);
		g_array_remove_index(mb->entries, index);
	}
	if (done->len > 0 && !write_uidlist(mb, ok ? error : NULL))
		ok = FALSE;
	g_array_sort(done, compare_uid);
	for (guint i = 0; i < done->len; i++)
		emit(mb, STORE_CHANGE_EXPUNGE, g_array_index(done, guint32, i), 0);
	return ok;
}

GArray *
store_mailbox_claim_recent(StoreMailbox *mb)
{
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint i = 0; i < mb->entries->len; i++) {
		StoreEntry *e = &g_array_index(mb->entries, StoreEntry, i);
		if (!e->pub.recent)
			continue;
		e->pub.recent = FALSE;
		g_array_append_val(uids, e->pub.uid);
		if (g_str_has_prefix(e->file, "new/") && mb->store != NULL) {
			/* Seen by a client now: Maildir moves it from new/ to cur/. */
			g_autofree char *file = file_for(e->base, e->pub.flags, FALSE);
			g_autofree char *src = g_build_filename(mb->path, e->file, NULL);
			g_autofree char *dst = g_build_filename(mb->path, file, NULL);
			if (g_rename(src, dst) == 0) {
				g_free(e->file);
				e->file = g_steal_pointer(&file);
			}
		}
	}
	return uids;
}
