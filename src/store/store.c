/* The store as a whole: opening a data directory, users, mailbox names and
 * their directories, the store-wide UIDVALIDITY counter, and notifications. */
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

G_DEFINE_QUARK(facteur - store - error - quark, store_error)

#define UIDVALIDITY_FILE "uidvalidity"
#define USERS_FILE       "users.conf"
#define SUBSCRIPTIONS    "subscriptions"

/* --- small file-system helpers shared by the store's files --- */

gboolean
store_check_real_dir(const char *path, GError **error)
{
	struct stat st;
	if (lstat(path, &st) != 0) {
		int e = errno;
		g_set_error(error, STORE_ERROR,
		            e == ENOENT ? STORE_ERROR_NOT_FOUND : STORE_ERROR_IO, _("%s: %s"), path,
		            g_strerror(e));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode)) {
		/* A symlink planted in the Maildir must not lead the store elsewhere. */
		g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
		            _("%s is not a directory (a symbolic link or a file?); the store "
		              "refuses to follow it"),
		            path);
		return FALSE;
	}
	return TRUE;
}

gboolean
store_fsync_dir(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0 || fsync(fd) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot sync %s: %s"), path,
		            g_strerror(e));
		return FALSE;
	}
	close(fd);
	return TRUE;
}

gboolean
store_write_file_atomic(const char *path, const char *data, gssize len, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (!g_file_set_contents_full(path, data, len,
	                              G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
	                              0600, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, "%s", local->message);
		return FALSE;
	}
	return TRUE;
}

char *
store_new_base(Store *store)
{
	/* Maildir's unique name (time.MusecPpidQn.host); fixed parts in deterministic mode. */
	gint64 us = facteur_clock_now_us();
	guint64 n = facteur_clock_next_id();
	if (facteur_clock_is_deterministic())
		return g_strdup_printf("%" G_GINT64_FORMAT ".M0P0Q%" G_GUINT64_FORMAT ".facteur",
		                       us / G_USEC_PER_SEC, n);
	return g_strdup_printf("%" G_GINT64_FORMAT ".M%06dP%dQ%" G_GUINT64_FORMAT ".%s",
	                       us / G_USEC_PER_SEC, (int)(us % G_USEC_PER_SEC), (int)getpid(), n,
	                       store->hostname);
}

/* --- names --- */

gboolean
store_user_name_is_valid(const char *user)
{
	if (user == NULL || *user == '\0' || strlen(user) > 64 || user[0] == '.' || user[0] == '-')
		return FALSE;
	for (const char *p = user; *p; p++) {
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '_' && *p != '-')
			return FALSE;
	}
	return TRUE;
}

char *
store_canonical_name(const char *name)
{
	if (g_ascii_strcasecmp(name, "INBOX") == 0)
		return g_strdup("INBOX");
	return g_strdup(name);
}

gboolean
store_mailbox_name_is_valid(Store *store, const char *name, GError **error)
{
	const char *why = NULL;
	gsize len = name != NULL ? strlen(name) : 0;
	guint depth = 1;

	if (len == 0)
		why = _("the name is empty");
	else if (len > 200)
		why = _("the name is longer than 200 octets");
	else if (!g_utf8_validate(name, len, NULL))
		why = _("the name is not valid UTF-8");
	if (why == NULL && g_ascii_strcasecmp(name, "INBOX") == 0)
		return TRUE;
	for (const char *p = name; why == NULL && *p; p++) {
		guchar c = (guchar)*p;
		if (c < 0x20 || c == 0x7f)
			why = _("the name contains a control character");
		else if (c == '/' || c == '\\')
			why = _("the name contains “/” or “\\”, which could leave the mailbox "
			        "directory");
		else if (c == '*' || c == '%')
			why = _("“*” and “%” are IMAP wildcards and cannot be part of a name");
		else if (c == STORE_HIERARCHY_DELIMITER) {
			depth++;
			if (p == name || p[1] == '\0' || p[1] == STORE_HIERARCHY_DELIMITER)
				why = _("a level of the name is empty (“..” or a leading or "
				        "trailing “.”)");
		}
	}
	if (why == NULL && store != NULL && depth > store->limits.max_depth)
		why = _("the hierarchy is too deep");
	if (why == NULL) {
		const char *dot = strchr(name, STORE_HIERARCHY_DELIMITER);
		if (dot != NULL && (gsize)(dot - name) == 5 &&
		    g_ascii_strncasecmp(name, "INBOX", 5) == 0)
			why = _("INBOX has no sub-mailboxes here");
	}
	if (why != NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID_NAME,
		            _("invalid mailbox name “%s”: %s"), name != NULL ? name : "", why);
		return FALSE;
	}
	return TRUE;
}

char *
store_user_root(Store *store, const char *user)
{
	return g_build_filename(store->dir, user, "Maildir", NULL);
}

char *
store_mailbox_dir(Store *store, const char *user, const char *canonical)
{
	if (strcmp(canonical, "INBOX") == 0)
		return store_user_root(store, user);
	g_autofree char *dot = g_strconcat(".", canonical, NULL);
	return g_build_filename(store->dir, user, "Maildir", dot, NULL);
}

static gboolean
check_user(Store *store, const char *user, GError **error)
{
	if (!store_user_name_is_valid(user) || !store_user_exists(store, user)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no user “%s”"),
		            user != NULL ? user : "");
		return FALSE;
	}
	return TRUE;
}

/* --- UIDVALIDITY: one counter for the whole store, so a name never gets an
 * old value back, across deletes and restarts (RFC 3501 §2.3.1.1). --- */

guint32
store_alloc_uidvalidity(Store *store, GError **error)
{
	g_autofree char *path = g_build_filename(store->dir, UIDVALIDITY_FILE, NULL);
	g_autofree char *text = NULL;
	guint64 next = 0;

	if (g_file_get_contents(path, &text, NULL, NULL))
		next = g_ascii_strtoull(text, NULL, 10);
	if (next == 0 || next > G_MAXUINT32 - 1) {
		if (next > G_MAXUINT32 - 1)
			g_message(
			    _("%s: the UIDVALIDITY counter was out of range; it starts again"),
			    path);
		next = facteur_clock_is_deterministic() ? FACTEUR_CLOCK_DETERMINISTIC_START : 1;
	}
	if (!facteur_clock_is_deterministic()) {
		/* Like Dovecot: time-based values, still strictly increasing. */
		guint64 now = (guint64)(g_get_real_time() / G_USEC_PER_SEC);
		if (now > next && now < G_MAXUINT32)
			next = now;
	}
	g_autofree char *out = g_strdup_printf("%" G_GUINT64_FORMAT "\n", next + 1);
	if (!store_write_file_atomic(path, out, -1, error))
		return 0;
	return (guint32)next;
}

/* --- opening --- */

static gboolean
load_users(Store *store, GError **error)
{
	g_autoptr(GError) local = NULL;
	if (store->users != NULL)
		g_key_file_free(store->users);
	store->users = g_key_file_new();
	if (!g_key_file_load_from_file(store->users, store->users_path, G_KEY_FILE_KEEP_COMMENTS,
	                               &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT, _("%s: %s"), store->users_path,
		            local->message);
		return FALSE;
	}
	return TRUE;
}

static gboolean
save_users(Store *store, GError **error)
{
	gsize len;
	g_autofree char *data = g_key_file_to_data(store->users, &len, NULL);
	return store_write_file_atomic(store->users_path, data, (gssize)len, error);
}

static char *
sanitized_hostname(void)
{
	char *h = g_strdup(g_get_host_name());
	for (char *p = h; *p; p++) {
		if (*p == '/' || *p == ':' || *p == '.' || (guchar)*p < 0x21)
			*p = '_';
	}
	return h;
}

Store *
store_open(const char *dir, const StoreOptions *options, GError **error)
{
	g_return_val_if_fail(dir != NULL, NULL);

	if (g_mkdir_with_parents(dir, 0700) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO,
		            _("cannot create the data directory %s: %s"), dir, g_strerror(errno));
		return NULL;
	}
	if (!store_check_real_dir(dir, error))
		return NULL;

	Store *store = g_new0(Store, 1);
	store->dir = g_canonicalize_filename(dir, NULL);
	store->limits.max_message_size = STORE_DEFAULT_MAX_MESSAGE_SIZE;
	store->limits.max_mailboxes = STORE_DEFAULT_MAX_MAILBOXES;
	store->limits.max_depth = STORE_DEFAULT_MAX_DEPTH;
	if (options != NULL) {
		if (options->limits.max_message_size)
			store->limits.max_message_size = options->limits.max_message_size;
		if (options->limits.max_mailboxes)
			store->limits.max_mailboxes = options->limits.max_mailboxes;
		if (options->limits.max_depth)
			store->limits.max_depth = options->limits.max_depth;
	}
	store->users_path = g_build_filename(store->dir, USERS_FILE, NULL);
	store->mailboxes = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	                                         (GDestroyNotify)store_mailbox_unref);
	store->watchers = g_array_new(FALSE, TRUE, sizeof(StoreWatcher));
	store->pop3_views = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	store->hostname = sanitized_hostname();

	if (!g_file_test(store->users_path, G_FILE_TEST_EXISTS)) {
		store->users = g_key_file_new();
		g_key_file_set_comment(store->users, NULL, NULL,
		                       " facteur users: one group per user, with its password.",
		                       NULL);
		if (!save_users(store, error))
			goto fail;
		if (options != NULL && options->demo_dir != NULL &&
		    !store_demo_seed(store, options->demo_dir, error))
			goto fail;
	} else if (!load_users(store, error)) {
		goto fail;
	}
	return store;
fail:
	store_free(store);
	return NULL;
}

void
store_free(Store *store)
{
	if (store == NULL)
		return;
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, store->mailboxes);
	while (g_hash_table_iter_next(&it, NULL, &value))
		store_mailbox_detach(value);
	g_hash_table_destroy(store->mailboxes);
	store_pop3_detach_all(store);
	g_hash_table_destroy(store->pop3_views);
	g_array_unref(store->watchers);
	if (store->users != NULL)
		g_key_file_free(store->users);
	g_free(store->users_path);
	g_free(store->hostname);
	g_free(store->dir);
	g_free(store);
}

const char *
store_get_dir(const Store *store)
{
	return store->dir;
}

const StoreLimits *
store_get_limits(const Store *store)
{
	return &store->limits;
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --- users --- */

gboolean
store_user_exists(Store *store, const char *user)
{
	return user != NULL && store_user_name_is_valid(user) &&
	       g_key_file_has_group(store->users, user);
}

const char *
store_user_password(Store *store, const char *user)
{
	static char *last; /* the key file returns copies; keep the latest one alive */
	if (!store_user_exists(store, user))
		return NULL;
	g_free(last);
	last = g_key_file_get_string(store->users, user, "password", NULL);
	return last;
}

gboolean
store_user_check_password(Store *store, const char *user, const char *password)
{
	if (password == NULL || !store_user_exists(store, user))
		return FALSE;
	g_autofree char *want = g_key_file_get_string(store->users, user, "password", NULL);
	if (want == NULL)
		return FALSE;
	/* Length-independent comparison: a teaching server, but no timing lesson to give away. */
	gsize a = strlen(want), b = strlen(password);
	guint diff = (guint)(a ^ b);
	for (gsize i = 0; i < a; i++)
		diff |= (guchar)want[i] ^ (guchar)(i < b ? password[i] : 0);
	return diff == 0;
}

gboolean
store_user_add(Store *store, const char *user, const char *password, GError **error)
{
	if (!store_user_name_is_valid(user)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_INVALID_NAME,
		            _("invalid user name “%s”: letters, digits, “.”, “_” and “-” only"),
		            user != NULL ? user : "");
		return FALSE;
	}
	g_key_file_set_string(store->users, user, "password", password);
	if (!save_users(store, error))
		return FALSE;
	g_autofree char *root = store_user_root(store, user);
	if (!g_file_test(root, G_FILE_TEST_EXISTS)) {
		g_autofree char *udir = g_build_filename(store->dir, user, NULL);
		if (g_mkdir_with_parents(udir, 0700) != 0 && errno != EEXIST) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s: %s"),
			            udir, g_strerror(errno));
			return FALSE;
		}
		if (!store_check_real_dir(udir, error))
			return FALSE;
		if (g_mkdir(root, 0700) != 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s: %s"),
			            root, g_strerror(errno));
			return FALSE;
		}
		if (!store_mailbox_init_dir(store, root, FALSE, error))
			return FALSE;
	}
	return TRUE;
}

char **
store_list_users(Store *store)
{
	char **groups = g_key_file_get_groups(store->users, NULL);
	GPtrArray *out = g_ptr_array_new();
	for (char **g = groups; *g; g++) {
		if (store_user_name_is_valid(*g))
			g_ptr_array_add(out, g_strdup(*g));
	}
	g_strfreev(groups);
	g_ptr_array_sort(out, compare_strings);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* --- mailboxes --- */

static char *
registry_key(const char *user, const char *canonical)
{
	return g_strconcat(user, "/", canonical, NULL);
}

gboolean
store_mailbox_exists(Store *store, const char *user, const char *name)
{
	if (!store_user_exists(store, user) || !store_mailbox_name_is_valid(store, name, NULL))
		return FALSE;
	g_autofree char *canonical = store_canonical_name(name);
	g_autofree char *path = store_mailbox_dir(store, user, canonical);
	g_autofree char *cur = g_build_filename(path, "cur", NULL);
	return store_check_real_dir(path, NULL) && store_check_real_dir(cur, NULL);
}

StoreMailbox *
store_mailbox_open(Store *store, const char *user, const char *name, GError **error)
{
	if (!check_user(store, user, error) || !store_mailbox_name_is_valid(store, name, error))
		return NULL;
	g_autofree char *canonical = store_canonical_name(name);
	g_autofree char *key = registry_key(user, canonical);
	StoreMailbox *mb = g_hash_table_lookup(store->mailboxes, key);
	if (mb != NULL)
		return store_mailbox_ref(mb);
	if (!store_mailbox_exists(store, user, canonical)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no mailbox “%s”"),
		            canonical);
		return NULL;
	}
	g_autofree char *path = store_mailbox_dir(store, user, canonical);
	mb = store_mailbox_load(store, user, canonical, path, error);
	if (mb == NULL)
		return NULL;
	g_hash_table_insert(store->mailboxes, mb->key, store_mailbox_ref(mb));
	return mb;
}

char **
store_mailbox_list(Store *store, const char *user, GError **error)
{
	if (!check_user(store, user, error))
		return NULL;
	g_autofree char *root = store_user_root(store, user);
	if (!store_check_real_dir(root, error))
		return NULL;
	g_autoptr(GDir) dir = g_dir_open(root, 0, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	if (dir != NULL) {
		const char *e;
		while ((e = g_dir_read_name(dir)) != NULL) {
			if (e[0] != '.' || e[1] == '\0')
				continue;
			if (!store_mailbox_name_is_valid(store, e + 1, NULL))
				continue;
			g_autofree char *sub = g_build_filename(root, e, NULL);
			g_autofree char *cur = g_build_filename(sub, "cur", NULL);
			if (store_check_real_dir(sub, NULL) && store_check_real_dir(cur, NULL))
				g_ptr_array_add(names, g_strdup(e + 1));
		}
	}
	g_ptr_array_sort(names, compare_strings);
	g_ptr_array_insert(names, 0, g_strdup("INBOX"));
	g_ptr_array_add(names, NULL);
	return (char **)g_ptr_array_free(names, FALSE);
}

static guint
count_mailboxes(Store *store, const char *user)
{
	g_auto(GStrv) names = store_mailbox_list(store, user, NULL);
	return names != NULL ? g_strv_length(names) : 0;
}

/* No mailbox under a parent level that is a planted link or a file: the
 * name would belong to something the store refuses to follow. */
static gboolean
check_parents(Store *store, const char *user, const char *canonical, GError **error)
{
	for (const char *dot = strchr(canonical, STORE_HIERARCHY_DELIMITER); dot != NULL;
	     dot = strchr(dot + 1, STORE_HIERARCHY_DELIMITER)) {
		g_autofree char *parent = g_strndup(canonical, (gsize)(dot - canonical));
		g_autofree char *ppath = store_mailbox_dir(store, user, parent);
		struct stat pst;
		if (lstat(ppath, &pst) == 0 && !S_ISDIR(pst.st_mode)) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_ALLOWED,
			            _("the parent level “%s” is not a real directory"), parent);
			return FALSE;
		}
	}
	return TRUE;
}

gboolean
store_mailbox_create(Store *store, const char *user, const char *name, GError **error)
{
	if (!check_user(store, user, error) || !store_mailbox_name_is_valid(store, name, error))
		return FALSE;
	g_autofree char *canonical = store_canonical_name(name);
	if (store_mailbox_exists(store, user, canonical)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_EXISTS,
		            _("mailbox “%s” already exists"), canonical);
		return FALSE;
	}
	if (count_mailboxes(store, user) >= store->limits.max_mailboxes) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_LIMIT,
		            _("too many mailboxes (the limit is %u)"), store->limits.max_mailboxes);
		return FALSE;
	}
	if (!check_parents(store, user, canonical, error))
		return FALSE;
	g_autofree char *path = store_mailbox_dir(store, user, canonical);
	if (g_mkdir(path, 0700) != 0 && errno != EEXIST) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot create %s: %s"), path,
		            g_strerror(errno));
		return FALSE;
	}
	if (!store_check_real_dir(path, error) || !store_mailbox_init_dir(store, path, TRUE, error))
		return FALSE;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(store, user, canonical, error);
	if (mb == NULL)
		return FALSE;
	store_emit_simple(store, STORE_CHANGE_MAILBOX_CREATED, user, canonical, 0, 0,
	                  mb->uidvalidity);
	return TRUE;
}

static gboolean
remove_tree(const char *path, GError **error)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const char *e;
		while (dir != NULL && (e = g_dir_read_name(dir)) != NULL) {
			g_autofree char *sub = g_build_filename(path, e, NULL);
			if (!remove_tree(sub, error))
				return FALSE;
		}
		if (g_rmdir(path) == 0)
			return TRUE;
	} else if (g_unlink(path) == 0) {
		return TRUE;
	}
	g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot remove %s: %s"), path,
	            g_strerror(errno));
	return FALSE;
}

static void
forget_mailbox(Store *store, const char *user, const char *canonical)
{
	g_autofree char *key = registry_key(user, canonical);
	StoreMailbox *mb = g_hash_table_lookup(store->mailboxes, key);
	if (mb != NULL) {
		mb->deleted = TRUE;
		g_hash_table_remove(store->mailboxes, key);
	}
}

gboolean
store_mailbox_delete(Store *store, const char *user, const char *name, GError **error)
{
	if (!check_user(store, user, error) || !store_mailbox_name_is_valid(store, name, error))
		return FALSE;
	g_autofree char *canonical = store_canonical_name(name);
	if (strcmp(canonical, "INBOX") == 0) {
		/* RFC 3501 §6.3.4: deleting INBOX is an error. */
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_ALLOWED,
		            _("INBOX cannot be deleted"));
		return FALSE;
	}
	if (!store_mailbox_exists(store, user, canonical)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no mailbox “%s”"),
		            canonical);
		return FALSE;
	}
	g_autofree char *path = store_mailbox_dir(store, user, canonical);
	/* Make it disappear at once with a rename, then remove at leisure. */
	g_autofree char *trash_name =
	    g_strdup_printf(".deleted-%" G_GUINT64_FORMAT, facteur_clock_next_id());
	g_autofree char *udir = g_build_filename(store->dir, user, NULL);
	g_autofree char *trash = g_build_filename(udir, trash_name, NULL);
	if (g_rename(path, trash) != 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot delete %s: %s"), path,
		            g_strerror(errno));
		return FALSE;
	}
	forget_mailbox(store, user, canonical);
	store_emit_simple(store, STORE_CHANGE_MAILBOX_DELETED, user, canonical, 0, 0, 0);
	return remove_tree(trash, error);
}

gboolean
store_mailbox_rename(Store *store, const char *user, const char *from, const char *to,
                     GError **error)
{
	if (!check_user(store, user, error) || !store_mailbox_name_is_valid(store, from, error) ||
	    !store_mailbox_name_is_valid(store, to, error))
		return FALSE;
	g_autofree char *cfrom = store_canonical_name(from);
	g_autofree char *cto = store_canonical_name(to);
	if (!store_mailbox_exists(store, user, cfrom)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("no mailbox “%s”"), cfrom);
		return FALSE;
	}
	if (store_mailbox_exists(store, user, cto)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_EXISTS,
		            _("mailbox “%s” already exists"), cto);
		return FALSE;
	}
	if (!check_parents(store, user, cto, error))
		return FALSE;
	if (strcmp(cto, "INBOX") == 0) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_ALLOWED,
		            _("a mailbox cannot be renamed to INBOX"));
		return FALSE;
	}
	if (strcmp(cfrom, "INBOX") == 0) {
		/* RFC 3501 §6.3.5: renaming INBOX moves its messages to the new name and
		 * leaves INBOX empty. */
		if (!store_mailbox_create(store, user, cto, error))
			return FALSE;
		g_autoptr(StoreMailbox) in = store_mailbox_open(store, user, "INBOX", error);
		g_autoptr(StoreMailbox) out =
		    in ? store_mailbox_open(store, user, cto, error) : NULL;
		if (out == NULL)
			return FALSE;
		g_autoptr(GArray) uids = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (guint i = 0; i < store_mailbox_count(in); i++) {
			guint32 uid = store_mailbox_nth(in, i)->uid;
			if (!store_message_copy(in, uid, out, NULL, error))
				return FALSE;
			g_array_append_val(uids, uid);
		}
		return store_mailbox_expunge(in, (guint32 *)uids->data, uids->len, error);
	}
	/* Inferior names move with their parent (RFC 3501 §6.3.5). */
	g_auto(GStrv) all = store_mailbox_list(store, user, error);
	if (all == NULL)
		return FALSE;
	gsize flen = strlen(cfrom);
	for (char **n = all; *n; n++) {
		gboolean self = strcmp(*n, cfrom) == 0;
		gboolean child =
		    strncmp(*n, cfrom, flen) == 0 && (*n)[flen] == STORE_HIERARCHY_DELIMITER;
		if (!self && !child)
			continue;
		g_autofree char *newname = g_strconcat(cto, *n + flen, NULL);
		if (!store_mailbox_name_is_valid(store, newname, error))
			return FALSE;
		g_autofree char *src = store_mailbox_dir(store, user, *n);
		g_autofree char *dst = store_mailbox_dir(store, user, newname);
		if (g_file_test(dst, G_FILE_TEST_EXISTS)) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_EXISTS,
			            _("mailbox “%s” already exists"), newname);
			return FALSE;
		}
		if (g_rename(src, dst) != 0) {
			g_set_error(error, STORE_ERROR, STORE_ERROR_IO, _("cannot rename %s: %s"),
			            src, g_strerror(errno));
			return FALSE;
		}
		forget_mailbox(store, user, *n);
		/* The new name gets a new UIDVALIDITY: it may have had another history. */
		g_autoptr(StoreMailbox) mb = store_mailbox_open(store, user, newname, error);
		if (mb == NULL || !store_mailbox_reset_uidvalidity(mb, error))
			return FALSE;
		StoreChange change = {.kind = STORE_CHANGE_MAILBOX_RENAMED,
		                      .user = user,
		                      .mailbox = *n,
		                      .new_name = newname,
		                      .uidvalidity = mb->uidvalidity,
		                      .origin = store->origin};
		store_emit(store, &change);
	}
	return TRUE;
}

gboolean
store_mailbox_recreate(Store *store, const char *user, const char *name, GError **error)
{
	g_autoptr(StoreMailbox) mb = store_mailbox_open(store, user, name, error);
	if (mb == NULL || !store_mailbox_reset(mb, error))
		return FALSE;
	store_emit_simple(store, STORE_CHANGE_MAILBOX_RECREATED, user, mb->name, 0, 0,
	                  mb->uidvalidity);
	return TRUE;
}

/* --- subscriptions: one UTF-8 name a line, as Dovecot's Maildir++ keeps them --- */

char **
store_subscription_list(Store *store, const char *user)
{
	if (!store_user_exists(store, user))
		return g_new0(char *, 1);
	g_autofree char *root = store_user_root(store, user);
	g_autofree char *path = g_build_filename(root, SUBSCRIPTIONS, NULL);
	g_autofree char *text = NULL;
	GPtrArray *out = g_ptr_array_new();
	if (g_file_get_contents(path, &text, NULL, NULL)) {
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		for (char **l = lines; *l; l++) {
			if (**l != '\0' && store_mailbox_name_is_valid(store, *l, NULL))
				g_ptr_array_add(out, g_strdup(*l));
		}
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

gboolean
store_subscription_set(Store *store, const char *user, const char *name, gboolean subscribed,
                       GError **error)
{
	if (!check_user(store, user, error) || !store_mailbox_name_is_valid(store, name, error))
		return FALSE;
	g_autofree char *canonical = store_canonical_name(name);
	g_auto(GStrv) list = store_subscription_list(store, user);
	GString *out = g_string_new(NULL);
	gboolean present = FALSE;
	for (char **l = list; *l; l++) {
		if (strcmp(*l, canonical) == 0) {
			present = TRUE;
			if (!subscribed)
				continue;
		}
		g_string_append_printf(out, "%s\n", *l);
	}
	if (subscribed && !present)
		g_string_append_printf(out, "%s\n", canonical);
	g_autofree char *root = store_user_root(store, user);
	g_autofree char *path = g_build_filename(root, SUBSCRIPTIONS, NULL);
	gboolean ok = store_write_file_atomic(path, out->str, (gssize)out->len, error);
	g_string_free(out, TRUE);
	return ok;
}

/* --- notifications --- */

guint
store_watch(Store *store, StoreWatchFunc func, gpointer user_data)
{
	StoreWatcher w = {.id = ++store->next_watch_id, .func = func, .user_data = user_data};
	g_array_append_val(store->watchers, w);
	return w.id;
}

static void
compact_watchers(Store *store)
{
	for (guint i = store->watchers->len; i-- > 0;) {
		if (g_array_index(store->watchers, StoreWatcher, i).removed)
			g_array_remove_index(store->watchers, i);
	}
}

void
store_unwatch(Store *store, guint id)
{
	for (guint i = 0; i < store->watchers->len; i++) {
		StoreWatcher *w = &g_array_index(store->watchers, StoreWatcher, i);
		if (w->id == id)
			w->removed = TRUE;
	}
	if (store->emitting == 0)
		compact_watchers(store);
}

void
store_set_origin(Store *store, gconstpointer origin)
{
	store->origin = origin;
}

void
store_emit(Store *store, const StoreChange *change)
{
	store->emitting++;
	/* Watchers added during the emission are not called for it. */
	guint n = store->watchers->len;
	for (guint i = 0; i < n; i++) {
		StoreWatcher w = g_array_index(store->watchers, StoreWatcher, i);
		if (!w.removed)
			w.func(change, w.user_data);
	}
	if (--store->emitting == 0)
		compact_watchers(store);
}

void
store_emit_simple(Store *store, StoreChangeKind kind, const char *user, const char *mailbox,
                  guint32 uid, guint32 flags, guint32 uidvalidity)
{
	StoreChange change = {
	    .kind = kind,
	    .user = user,
	    .mailbox = mailbox,
	    .uid = uid,
	    .flags = flags,
	    .uidvalidity = uidvalidity,
	    .origin = store->origin,
	};
	store_emit(store, &change);
}
