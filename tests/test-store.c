/* Tests of the Maildir store on a real file system: UIDVALIDITY across
 * recreation and restarts, atomic delivery (also under SIGKILL), flags,
 * expunge, notifications, the POP3 view, names that try to escape, corrupt uid
 * lists, and deterministic trees. */
#include "core/facteur-clock.h"
#include "store/store.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
	char *sandbox; /* holds dir and nothing else: what appears beside the store shows here */
	char *dir;
	Store *store;
} Fixture;

static const char *msg1 = "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\n"
                          "Subject: Bonjour\r\n\r\nPremier message.\r\n";
static const char *msg2 = "From: Bob <bob@example.org>\r\nTo: alice@example.org\r\n"
                          "Subject: Re: Bonjour\r\n\r\nDeuxieme message.\r\n";

static void
setup(Fixture *f, gconstpointer data)
{
	(void)data;
	facteur_clock_set_deterministic(-1);
	f->sandbox = g_dir_make_tmp("facteur-store-XXXXXX", NULL);
	g_assert_nonnull(f->sandbox);
	f->dir = g_build_filename(f->sandbox, "data", NULL);
	g_autoptr(GError) error = NULL;
	f->store = store_open(f->dir, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_add(f->store, "alice", "alicepass", &error));
	g_assert_true(store_user_add(f->store, "bob", "bobpass", &error));
	g_assert_no_error(error);
}

static void
rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		g_autoptr(GDir) d = g_dir_open(path, 0, NULL);
		const char *e;
		while (d != NULL && (e = g_dir_read_name(d)) != NULL) {
			g_autofree char *sub = g_build_filename(path, e, NULL);
			rm_rf(sub);
		}
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

static void
teardown(Fixture *f, gconstpointer data)
{
	(void)data;
	store_free(f->store);
	rm_rf(f->sandbox);
	g_free(f->dir);
	g_free(f->sandbox);
	facteur_clock_set_deterministic(-1);
}

static guint32
deliver(StoreMailbox *mb, const char *text, guint32 flags)
{
	g_autoptr(GError) error = NULL;
	guint32 uid = 0;
	g_assert_true(store_deliver(mb, text, strlen(text), flags, -1, &uid, &error));
	g_assert_no_error(error);
	return uid;
}

static guint
count_files(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	guint n = 0;
	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	return n;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --- UIDVALIDITY --- */

static void
test_recreate_uidvalidity(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_assert_true(store_mailbox_create(f->store, "alice", "Projets", &error));
	StoreMailbox *mb = store_mailbox_open(f->store, "alice", "Projets", &error);
	g_assert_nonnull(mb);
	guint32 v1 = store_mailbox_uidvalidity(mb);
	deliver(mb, msg1, 0);
	store_mailbox_unref(mb);

	g_assert_true(store_mailbox_delete(f->store, "alice", "Projets", &error));
	g_assert_false(store_mailbox_exists(f->store, "alice", "Projets"));
	g_assert_true(store_mailbox_create(f->store, "alice", "Projets", &error));
	mb = store_mailbox_open(f->store, "alice", "Projets", &error);
	guint32 v2 = store_mailbox_uidvalidity(mb);
	g_assert_cmpuint(v2, >, v1);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	g_assert_cmpuint(store_mailbox_uidnext(mb), ==, 1);
	store_mailbox_unref(mb);

	/* After a restart (a new Store on the same directory) the values hold and
	 * the next recreation is larger still. */
	store_free(f->store);
	f->store = store_open(f->dir, NULL, &error);
	g_assert_no_error(error);
	mb = store_mailbox_open(f->store, "alice", "Projets", &error);
	g_assert_cmpuint(store_mailbox_uidvalidity(mb), ==, v2);
	store_mailbox_unref(mb);
	g_assert_true(store_mailbox_delete(f->store, "alice", "Projets", &error));
	g_assert_true(store_mailbox_create(f->store, "alice", "Projets", &error));
	mb = store_mailbox_open(f->store, "alice", "Projets", &error);
	g_assert_cmpuint(store_mailbox_uidvalidity(mb), >, v2);
	store_mailbox_unref(mb);
}

static void
test_admin_recreate_inbox(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "inbox", &error);
	g_assert_nonnull(mb);
	g_assert_cmpstr(store_mailbox_name(mb), ==, "INBOX");
	deliver(mb, msg1, 0);
	deliver(mb, msg2, 0);
	guint32 v1 = store_mailbox_uidvalidity(mb);
	g_assert_false(store_mailbox_delete(f->store, "alice", "INBOX", &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_NOT_ALLOWED);
	g_clear_error(&error);
	g_assert_true(store_mailbox_recreate(f->store, "alice", "INBOX", &error));
	g_assert_no_error(error);
	g_assert_cmpuint(store_mailbox_uidvalidity(mb), >, v1);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	g_assert_cmpuint(store_mailbox_uidnext(mb), ==, 1);
	g_assert_cmpuint(deliver(mb, msg1, 0), ==, 1);
}

/* --- delivery --- */

static void
test_deliver_and_read(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "bob", "INBOX", &error);
	guint32 u1 = deliver(mb, msg1, 0);
	guint32 u2 = deliver(mb, msg2, STORE_FLAG_SEEN | STORE_FLAG_FLAGGED);
	g_assert_cmpuint(u1, ==, 1);
	g_assert_cmpuint(u2, ==, 2);
	g_assert_cmpuint(store_mailbox_uidnext(mb), ==, 3);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	g_assert_cmpuint(store_mailbox_count_unseen(mb), ==, 1);
	g_assert_cmpuint(store_mailbox_count_recent(mb), ==, 2);
	const StoreMessage *m = store_mailbox_find(mb, 2, NULL);
	g_assert_cmpuint(m->size, ==, strlen(msg2));
	g_assert_cmpuint(m->flags, ==, STORE_FLAG_SEEN | STORE_FLAG_FLAGGED);
	g_autoptr(GBytes) b = store_message_read(mb, 1, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), msg1, strlen(msg1));

	/* Maildir on disk: an unflagged message in new/, a flagged one in cur/ with :2,FS. */
	g_autofree char *newdir = g_build_filename(store_mailbox_path(mb), "new", NULL);
	g_autofree char *curdir = g_build_filename(store_mailbox_path(mb), "cur", NULL);
	g_assert_cmpuint(count_files(newdir), ==, 1);
	g_autoptr(GDir) d = g_dir_open(curdir, 0, NULL);
	const char *name = g_dir_read_name(d);
	g_assert_nonnull(name);
	g_assert_true(g_str_has_suffix(name, ":2,FS"));

	/* Recent goes to one session only. */
	g_autoptr(GArray) recent = store_mailbox_claim_recent(mb);
	g_assert_cmpuint(recent->len, ==, 2);
	g_autoptr(GArray) again = store_mailbox_claim_recent(mb);
	g_assert_cmpuint(again->len, ==, 0);
	g_assert_cmpuint(count_files(newdir), ==, 0);
	g_autoptr(GBytes) b2 = store_message_read(mb, 1, &error);
	g_assert_no_error(error);
}

static void
test_streaming_delivery_and_limit(Fixture *f, gconstpointer data)
{
	(void)data;
	store_free(f->store);
	StoreOptions opts = {.limits = {.max_message_size = 100}};
	g_autoptr(GError) error = NULL;
	f->store = store_open(f->dir, &opts, &error);
	g_assert_no_error(error);
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	StoreDelivery *d = store_delivery_begin(mb, &error);
	g_assert_nonnull(d);
	g_assert_true(store_delivery_write(d, "Subject: x\r\n\r\n", 14, &error));
	g_assert_true(store_delivery_write(d, "body\r\n", 6, &error));
	/* Not committed yet: never listed. */
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	g_assert_true(store_mailbox_sync(mb, &error));
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	guint32 uid;
	g_assert_true(store_delivery_commit(d, 0, 1700000000, &uid, &error));
	store_delivery_free(d);
	g_assert_cmpuint(store_mailbox_find(mb, uid, NULL)->internal_date, ==, 1700000000);

	char big[101];
	memset(big, 'x', sizeof big);
	d = store_delivery_begin(mb, &error);
	g_assert_false(store_delivery_write(d, big, sizeof big, &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_LIMIT);
	store_delivery_free(d); /* an abandoned delivery leaves nothing in tmp/ */
	g_autofree char *tmp = g_build_filename(store_mailbox_path(mb), "tmp", NULL);
	g_assert_cmpuint(count_files(tmp), ==, 0);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 1);
}

static void
test_half_written_never_listed(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	/* What a crashed writer leaves: a partial file in tmp/. */
	g_autofree char *partial =
	    g_build_filename(store_mailbox_path(mb), "tmp", "1.M1P1Q1.crashed", NULL);
	g_assert_true(g_file_set_contents(partial, "From: half", -1, NULL));
	g_assert_true(store_mailbox_sync(mb, &error));
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	store_free(f->store);
	f->store = store_open(f->dir, NULL, &error);
	StoreMailbox *mb2 = store_mailbox_open(f->store, "alice", "INBOX", &error);
	g_assert_cmpuint(store_mailbox_count(mb2), ==, 0);
	store_mailbox_unref(mb2);
}

/* A child delivers big messages in a loop; the parent kills it with SIGKILL
 * at a random moment. Every listed message must be whole. */
static void
test_sigkill_during_delivery(Fixture *f, gconstpointer data)
{
	(void)data;
	const gsize size = 4 * 1024 * 1024;
	g_autofree char *body = g_malloc(size);
	for (gsize i = 0; i < size; i++)
		body[i] = (i % 64 == 63) ? '\n' : (char)('a' + (i % 26));
	memcpy(body, "Subject: big\r\n\r\n", 16);

	for (int round = 0; round < 12; round++) {
		pid_t pid = fork();
		g_assert_cmpint(pid, >=, 0);
		if (pid == 0) {
			Store *s = store_open(f->dir, NULL, NULL);
			StoreMailbox *mb = s ? store_mailbox_open(s, "bob", "INBOX", NULL) : NULL;
			for (int i = 0; mb != NULL && i < 1000; i++) {
				StoreDelivery *d = store_delivery_begin(mb, NULL);
				for (gsize off = 0; d != NULL && off < size; off += 65536)
					store_delivery_write(d, body + off, MIN(65536, size - off),
					                     NULL);
				if (d != NULL)
					store_delivery_commit(d, 0, -1, NULL, NULL);
				store_delivery_free(d);
			}
			_exit(0);
		}
		g_usleep(g_random_int_range(2000, 120000));
		kill(pid, SIGKILL);
		int status;
		waitpid(pid, &status, 0);
	}
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "bob", "INBOX", &error);
	g_assert_true(store_mailbox_sync(mb, &error));
	g_test_message("%u whole messages after 12 kills", store_mailbox_count(mb));
	guint32 last = 0;
	for (guint i = 0; i < store_mailbox_count(mb); i++) {
		const StoreMessage *m = store_mailbox_nth(mb, i);
		g_assert_cmpuint(m->uid, >, last);
		last = m->uid;
		g_assert_cmpuint(m->size, ==, size);
		g_autoptr(GBytes) b = store_message_read(mb, m->uid, &error);
		g_assert_no_error(error);
		g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), body, size);
	}
	/* A fresh store agrees: same UIDs, no message lost or doubled. */
	guint n = store_mailbox_count(mb);
	store_free(f->store);
	f->store = store_open(f->dir, NULL, &error);
	StoreMailbox *mb2 = store_mailbox_open(f->store, "bob", "INBOX", &error);
	g_assert_cmpuint(store_mailbox_count(mb2), ==, n);
	if (n > 0)
		g_assert_cmpuint(store_mailbox_nth(mb2, n - 1)->uid, ==, last);
	store_mailbox_unref(mb2);
}

/* --- flags, expunge, sync with other programs --- */

static void
test_flags_expunge_sync(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	deliver(mb, msg1, 0);
	deliver(mb, msg2, 0);
	deliver(mb, msg1, 0);
	g_assert_true(store_message_set_flags(mb, 2, STORE_FLAG_DELETED | STORE_FLAG_SEEN, &error));
	g_assert_cmpuint(store_mailbox_find(mb, 2, NULL)->flags, ==,
	                 STORE_FLAG_DELETED | STORE_FLAG_SEEN);
	guint32 gone[] = {2};
	g_assert_true(store_mailbox_expunge(mb, gone, 1, &error));
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	g_assert_null(store_mailbox_find(mb, 2, NULL));
	g_assert_cmpuint(store_mailbox_uidnext(mb), ==, 4);

	/* Another program drops a message into new/ and removes one: sync sees both,
	 * UIDs are never reused. */
	g_autofree char *extra =
	    g_build_filename(store_mailbox_path(mb), "new", "1800000000.M1P1Q1.othertool", NULL);
	g_assert_true(g_file_set_contents(extra, msg2, -1, NULL));
	g_autofree char *newdir = g_build_filename(store_mailbox_path(mb), "new", NULL);
	g_autofree char *curdir = g_build_filename(store_mailbox_path(mb), "cur", NULL);
	g_autoptr(GDir) d = g_dir_open(newdir, 0, NULL);
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		if (!strstr(name, "othertool") && strstr(name, ",S=")) {
			g_autofree char *p = g_build_filename(newdir, name, NULL);
			g_unlink(p);
			break;
		}
	}
	g_assert_true(store_mailbox_sync(mb, &error));
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	g_assert_nonnull(store_mailbox_find(mb, 4, NULL));

	/* After a restart, the same UIDs. */
	store_free(f->store);
	f->store = store_open(f->dir, NULL, &error);
	StoreMailbox *mb2 = store_mailbox_open(f->store, "alice", "INBOX", &error);
	g_assert_cmpuint(store_mailbox_count(mb2), ==, 2);
	g_assert_nonnull(store_mailbox_find(mb2, 4, NULL));
	g_assert_cmpuint(store_mailbox_uidnext(mb2), ==, 5);
	store_mailbox_unref(mb2);
}

static void
test_corrupt_uidlist(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	StoreMailbox *mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	deliver(mb, msg1, 0);
	deliver(mb, msg2, STORE_FLAG_SEEN);
	guint32 v1 = store_mailbox_uidvalidity(mb);
	g_autofree char *list = g_build_filename(store_mailbox_path(mb), "facteur-uidlist", NULL);
	store_mailbox_unref(mb);
	store_free(f->store);
	g_assert_true(g_file_set_contents(list, "garbage\x01\nnot a uid list\n", -1, NULL));
	f->store = store_open(f->dir, NULL, &error);
	g_test_expect_message(NULL, G_LOG_LEVEL_MESSAGE, "*facteur-uidlist is corrupt*");
	mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	g_assert_cmpuint(store_mailbox_uidvalidity(mb), >, v1);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	g_assert_cmpuint(store_mailbox_count_unseen(mb), ==, 1);
	store_mailbox_unref(mb);
}

/* --- notifications --- */

static void
record_change(const StoreChange *c, gpointer user_data)
{
	GString *log = user_data;
	g_string_append_printf(log, "%d:%s:%s:%u;", c->kind, c->user, c->mailbox, c->uid);
}

static void
test_notifications(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_autoptr(GString) log = g_string_new(NULL);
	guint id = store_watch(f->store, record_change, log);
	g_assert_true(store_mailbox_create(f->store, "alice", "Projets", &error));
	StoreMailbox *mb = store_mailbox_open(f->store, "alice", "Projets", &error);
	deliver(mb, msg1, 0);
	g_assert_true(store_message_set_flags(mb, 1, STORE_FLAG_SEEN, &error));
	guint32 one = 1;
	g_assert_true(store_mailbox_expunge(mb, &one, 1, &error));
	store_mailbox_unref(mb);
	g_assert_true(store_mailbox_rename(f->store, "alice", "Projets", "Archives", &error));
	g_assert_true(store_mailbox_recreate(f->store, "alice", "Archives", &error));
	g_assert_true(store_mailbox_delete(f->store, "alice", "Archives", &error));
	StorePop3 *p = store_pop3_open(f->store, "alice", &error);
	StoreMailbox *in = store_mailbox_open(f->store, "alice", "INBOX", &error);
	store_mailbox_unref(in);
	store_pop3_close(p);
	g_autofree char *want = g_strdup_printf(
	    "%d:alice:Projets:0;%d:alice:Projets:1;%d:alice:Projets:1;%d:alice:Projets:1;"
	    "%d:alice:Projets:0;%d:alice:Archives:0;%d:alice:Archives:0;%d:alice:INBOX:0;"
	    "%d:alice:INBOX:0;",
	    STORE_CHANGE_MAILBOX_CREATED, STORE_CHANGE_MESSAGE_NEW, STORE_CHANGE_FLAGS,
	    STORE_CHANGE_EXPUNGE, STORE_CHANGE_MAILBOX_RENAMED, STORE_CHANGE_MAILBOX_RECREATED,
	    STORE_CHANGE_MAILBOX_DELETED, STORE_CHANGE_POP3_OPENED, STORE_CHANGE_POP3_CLOSED);
	g_assert_cmpstr(log->str, ==, want);
	store_unwatch(f->store, id);
	g_assert_true(store_mailbox_create(f->store, "alice", "Autre", &error));
	g_assert_cmpstr(log->str, ==, want);
}

/* A watcher that unwatches itself during the emission must not break it. */
typedef struct {
	Store *store;
	guint id;
	guint calls;
} SelfRemover;

static void
remove_self(const StoreChange *c, gpointer user_data)
{
	(void)c;
	SelfRemover *r = user_data;
	r->calls++;
	store_unwatch(r->store, r->id);
}

static void
test_unwatch_during_emit(Fixture *f, gconstpointer data)
{
	(void)data;
	SelfRemover a = {.store = f->store}, b = {.store = f->store};
	a.id = store_watch(f->store, remove_self, &a);
	b.id = store_watch(f->store, remove_self, &b);
	g_autoptr(GError) error = NULL;
	g_assert_true(store_mailbox_create(f->store, "alice", "X", &error));
	g_assert_true(store_mailbox_create(f->store, "alice", "Y", &error));
	g_assert_cmpuint(a.calls, ==, 1);
	g_assert_cmpuint(b.calls, ==, 1);
}

/* --- POP3 view --- */

static void
test_pop3_view(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	StoreMailbox *mb = store_mailbox_open(f->store, "bob", "INBOX", &error);
	deliver(mb, msg1, 0);
	deliver(mb, msg2, 0);
	deliver(mb, msg1, 0);
	StorePop3 *p = store_pop3_open(f->store, "bob", &error);
	g_assert_nonnull(p);
	g_assert_null(store_pop3_open(f->store, "bob", &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_IN_USE);
	g_clear_error(&error);
	guint count;
	gsize octets;
	store_pop3_stat(p, &count, &octets);
	g_assert_cmpuint(count, ==, 3);
	g_assert_cmpuint(octets, ==, 2 * strlen(msg1) + strlen(msg2));
	g_autofree char *uidl = store_pop3_uidl(p, 2);
	g_autofree char *want = g_strdup_printf("%08x%08x", 2u, store_mailbox_uidvalidity(mb));
	g_assert_cmpstr(uidl, ==, want);
	g_assert_true(store_pop3_mark(p, 1));
	g_assert_false(store_pop3_mark(p, 1));
	g_assert_true(store_pop3_is_marked(f->store, "bob", 1));
	g_assert_cmpuint(store_pop3_reset(p), ==, 1);
	g_assert_false(store_pop3_is_marked(f->store, "bob", 1));
	g_assert_true(store_pop3_mark(p, 2));
	/* Closing without commit (a dropped connection) deletes nothing. */
	store_pop3_close(p);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 3);

	p = store_pop3_open(f->store, "bob", &error);
	g_assert_true(store_pop3_mark(p, 2));
	g_assert_cmpuint(store_pop3_commit(p, &error), ==, 1);
	store_pop3_close(p);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	g_assert_null(store_mailbox_find(mb, 2, NULL));
	p = store_pop3_open(f->store, "bob", &error);
	g_assert_cmpuint(store_pop3_count(p), ==, 2);
	store_pop3_close(p);
	store_mailbox_unref(mb);
}

/* --- names that try to leave the data directory --- */

static void
snapshot(const char *dir, GString *out)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *e;
	while (d != NULL && (e = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(e));
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++)
		g_string_append_printf(out, "%s\n", (char *)names->pdata[i]);
}

static void
test_traversal_refused(Fixture *f, gconstpointer data)
{
	(void)data;
	const char *parent = f->sandbox;
	g_autoptr(GString) before = g_string_new(NULL);
	snapshot(parent, before);
	static const char *const bad[] = {
	    "../evil",
	    "/etc",
	    "a/b",
	    "..",
	    ".",
	    ".hidden",
	    "a..b",
	    "a.",
	    "tab\there",
	    "x/../../y",
	    "\\evil",
	    "INBOX.sub",
	    "*",
	    "%",
	    "bad\xff"
	    "utf8",
	    "",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(store_mailbox_create(f->store, "alice", bad[i], &error));
		g_assert_error(error, STORE_ERROR, STORE_ERROR_INVALID_NAME);
		g_assert_null(store_mailbox_open(f->store, "alice", bad[i], NULL));
		g_assert_false(store_mailbox_rename(f->store, "alice", "INBOX", bad[i], NULL));
	}
	static const char *const bad_users[] = {"../alice", "/root", "alice/..", ".", "", "a b"};
	for (gsize i = 0; i < G_N_ELEMENTS(bad_users); i++) {
		g_autoptr(GError) error = NULL;
		g_assert_false(store_user_add(f->store, bad_users[i], "x", &error));
		g_assert_null(store_mailbox_open(f->store, bad_users[i], "INBOX", NULL));
		g_assert_null(store_pop3_open(f->store, bad_users[i], NULL));
	}
	/* A symlink planted in the Maildir is not followed. */
	g_autofree char *outside = g_build_filename(f->sandbox, "outside", NULL);
	g_assert_cmpint(g_mkdir(outside, 0700), ==, 0);
	g_autofree char *root = g_build_filename(f->dir, "alice", "Maildir", NULL);
	g_autofree char *link = g_build_filename(root, ".Piege", NULL);
	g_assert_cmpint(symlink(outside, link), ==, 0);
	g_autoptr(GError) error = NULL;
	g_assert_false(store_mailbox_exists(f->store, "alice", "Piege"));
	g_assert_null(store_mailbox_open(f->store, "alice", "Piege", &error));
	g_clear_error(&error);
	g_auto(GStrv) list = store_mailbox_list(f->store, "alice", &error);
	g_assert_false(g_strv_contains((const char *const *)list, "Piege"));
	/* …nor a symlinked tmp/ during delivery, nor a symlinked message file. */
	g_autoptr(StoreMailbox) mb = store_mailbox_open(f->store, "alice", "INBOX", &error);
	g_autofree char *target = g_build_filename(outside, "secret", NULL);
	g_assert_true(g_file_set_contents(target, "secret\r\n", -1, NULL));
	g_autofree char *msglink = g_build_filename(root, "new", "1.M1P1Q1.link", NULL);
	g_assert_cmpint(symlink(target, msglink), ==, 0);
	g_assert_true(store_mailbox_sync(mb, &error));
	g_assert_cmpuint(store_mailbox_count(mb), ==, 0);
	g_autofree char *tmpdir = g_build_filename(root, "tmp", NULL);
	g_assert_cmpint(g_rmdir(tmpdir), ==, 0);
	g_assert_cmpint(symlink(outside, tmpdir), ==, 0);
	g_assert_false(store_deliver(mb, msg1, strlen(msg1), 0, -1, NULL, &error));
	g_clear_error(&error);
	g_assert_cmpuint(count_files(outside), ==, 1);
	g_autoptr(GString) after = g_string_new(NULL);
	snapshot(parent, after);
	/* Only our own temporary directory appeared next to the store. */
	g_autofree char *base = g_path_get_basename(outside);
	g_autofree char *line = g_strconcat(base, "\n", NULL);
	g_autofree char *cleaned = g_strdup(after->str);
	char *pos = strstr(cleaned, line);
	g_assert_nonnull(pos);
	memmove(pos, pos + strlen(line), strlen(pos + strlen(line)) + 1);
	g_assert_cmpstr(cleaned, ==, before->str);
	g_unlink(link);
	g_unlink(tmpdir);
	rm_rf(outside);
}

static void
test_names_valid(Fixture *f, gconstpointer data)
{
	(void)data;
	g_autoptr(GError) error = NULL;
	g_assert_true(store_mailbox_create(f->store, "alice", "Éléments envoyés", &error));
	g_assert_true(store_mailbox_create(f->store, "alice", "Projets.2026", &error));
	g_assert_false(store_mailbox_create(f->store, "alice", "Projets.2026", &error));
	g_assert_error(error, STORE_ERROR, STORE_ERROR_EXISTS);
	g_clear_error(&error);
	g_auto(GStrv) list = store_mailbox_list(f->store, "alice", &error);
	g_assert_cmpstr(list[0], ==, "INBOX");
	g_assert_true(g_strv_contains((const char *const *)list, "Éléments envoyés"));
	g_assert_true(g_strv_contains((const char *const *)list, "Projets.2026"));
	g_assert_true(store_subscription_set(f->store, "alice", "Projets.2026", TRUE, &error));
	g_auto(GStrv) subs = store_subscription_list(f->store, "alice");
	g_assert_cmpuint(g_strv_length(subs), ==, 1);
	g_assert_true(store_user_check_password(f->store, "alice", "alicepass"));
	g_assert_false(store_user_check_password(f->store, "alice", "alicepas"));
	g_assert_false(store_user_check_password(f->store, "alice", "alicepasss"));
	g_assert_false(store_user_check_password(f->store, "nobody", "x"));
}

/* --- deterministic mode --- */

static void
tree(const char *root, const char *rel, GString *out)
{
	g_autofree char *dir = g_build_filename(root, rel, NULL);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	const char *e;
	while (d != NULL && (e = g_dir_read_name(d)) != NULL)
		g_ptr_array_add(names, g_strdup(e));
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *sub = g_build_filename(rel, names->pdata[i], NULL);
		g_autofree char *full = g_build_filename(root, sub, NULL);
		struct stat st;
		g_assert_cmpint(lstat(full, &st), ==, 0);
		if (S_ISDIR(st.st_mode)) {
			g_string_append_printf(out, "%s/\n", sub);
			tree(root, sub, out);
		} else {
			g_autofree char *text = NULL;
			g_assert_true(g_file_get_contents(full, &text, NULL, NULL));
			g_autofree char *sum =
			    g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
			/* A message's mtime is its internal date: deterministic too. */
			gboolean message = strstr(sub, "/cur/") || strstr(sub, "/new/");
			g_string_append_printf(out, "%s %ld %s\n", sub,
			                       message ? (long)st.st_mtime : 0L, sum);
		}
	}
}

static void
test_deterministic_trees(void)
{
	g_autofree char *fixture =
	    g_build_filename(g_getenv("FACTEUR_TOP") ? g_getenv("FACTEUR_TOP") : ".", "tests",
	                     "fixtures", "demo", NULL);
	GString *trees[2];
	for (int i = 0; i < 2; i++) {
		facteur_clock_set_deterministic(FACTEUR_CLOCK_DETERMINISTIC_START);
		g_autofree char *dir = g_dir_make_tmp("facteur-det-XXXXXX", NULL);
		StoreOptions opts = {.demo_dir = fixture};
		g_autoptr(GError) error = NULL;
		Store *s = store_open(dir, &opts, &error);
		g_assert_no_error(error);
		StoreMailbox *mb = store_mailbox_open(s, "alice", "INBOX", &error);
		g_assert_nonnull(mb);
		g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
		g_assert_cmpuint(store_mailbox_uidvalidity(mb), ==,
		                 FACTEUR_CLOCK_DETERMINISTIC_START);
		deliver(mb, msg1, 0);
		store_mailbox_unref(mb);
		store_free(s);
		trees[i] = g_string_new(NULL);
		tree(dir, "", trees[i]);
		rm_rf(dir);
	}
	g_assert_cmpstr(trees[0]->str, ==, trees[1]->str);
	g_assert_nonnull(strstr(trees[0]->str, "alice/Maildir/.Projets/"));
	g_string_free(trees[0], TRUE);
	g_string_free(trees[1], TRUE);
	facteur_clock_set_deterministic(-1);
}

static void
test_demo_data(void)
{
	g_autofree char *demo = g_build_filename(
	    g_getenv("FACTEUR_TOP") ? g_getenv("FACTEUR_TOP") : ".", "scenarios", "mail", NULL);
	g_autofree char *conf = g_build_filename(demo, "demo.conf", NULL);
	if (!g_file_test(conf, G_FILE_TEST_EXISTS)) {
		g_test_skip("scenarios/mail/demo.conf is not there");
		return;
	}
	g_autofree char *dir = g_dir_make_tmp("facteur-demo-XXXXXX", NULL);
	StoreOptions opts = {.demo_dir = demo};
	g_autoptr(GError) error = NULL;
	Store *s = store_open(dir, &opts, &error);
	g_assert_no_error(error);
	g_assert_true(store_user_check_password(s, "alice", "alicepass"));
	g_assert_true(store_user_check_password(s, "bob", "bobpass"));
	StoreMailbox *mb = store_mailbox_open(s, "alice", "INBOX", &error);
	g_assert_cmpuint(store_mailbox_count(mb), >=, 5);
	store_mailbox_unref(mb);
	mb = store_mailbox_open(s, "alice", "Projets", &error);
	g_assert_no_error(error);
	g_assert_cmpuint(store_mailbox_count(mb), ==, 2);
	store_mailbox_unref(mb);
	store_free(s);
	rm_rf(dir);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, setup, fn, teardown)
	ADD("/store/uidvalidity/recreate", test_recreate_uidvalidity);
	ADD("/store/uidvalidity/admin-recreate-inbox", test_admin_recreate_inbox);
	ADD("/store/deliver/read", test_deliver_and_read);
	ADD("/store/deliver/streaming-and-limit", test_streaming_delivery_and_limit);
	ADD("/store/deliver/half-written-never-listed", test_half_written_never_listed);
	ADD("/store/deliver/sigkill", test_sigkill_during_delivery);
	ADD("/store/flags-expunge-sync", test_flags_expunge_sync);
	ADD("/store/corrupt-uidlist", test_corrupt_uidlist);
	ADD("/store/notify/each-kind", test_notifications);
	ADD("/store/notify/unwatch-during-emit", test_unwatch_during_emit);
	ADD("/store/pop3", test_pop3_view);
	ADD("/store/names/traversal-refused", test_traversal_refused);
	ADD("/store/names/valid", test_names_valid);
	g_test_add_func("/store/deterministic-trees", test_deterministic_trees);
	g_test_add_func("/store/demo-data", test_demo_data);
	return g_test_run();
}
