/* What the store's files share and nobody else sees: the structures behind
 * Store, StoreMailbox and StorePop3, and the helpers between store.c,
 * store-mailbox.c, store-pop3.c and store-demo.c. */
#pragma once

#include "store/store.h"

typedef struct {
	guint id;
	StoreWatchFunc func;
	gpointer user_data;
	gboolean removed;
} StoreWatcher;

struct _Store {
	char *dir;
	StoreLimits limits;
	char *users_path;
	GKeyFile *users;
	/* "user/canonical name" → StoreMailbox (the registry holds one reference) */
	GHashTable *mailboxes;
	GArray *watchers; /* StoreWatcher */
	guint next_watch_id;
	guint emitting;
	gconstpointer origin;
	GHashTable *pop3_views; /* user → StorePop3 (not owned) */
	char *hostname;         /* for Maildir file names */
};

typedef struct {
	StoreMessage pub;
	char *base; /* unique part of the file name, "…,S=123" */
	char *file; /* relative to the mailbox dir: "new/BASE" or "cur/BASE:2,FS" */
} StoreEntry;

struct _StoreMailbox {
	gint refcount;
	Store *store; /* NULL once the store is freed */
	char *user;
	char *name; /* canonical: "INBOX" or the UTF-8 name */
	char *key;
	char *path;
	guint32 uidvalidity;
	guint32 uidnext;
	GArray *entries; /* StoreEntry, ascending uid */
	gboolean deleted;
	int uidlist_fd; /* open for appends, or -1 */
};

/* store.c */
void store_emit(Store *store, const StoreChange *change);
void store_emit_simple(Store *store, StoreChangeKind kind, const char *user, const char *mailbox,
                       guint32 uid, guint32 flags, guint32 uidvalidity);
guint32 store_alloc_uidvalidity(Store *store, GError **error);
char *store_user_root(Store *store, const char *user);
char *store_mailbox_dir(Store *store, const char *user, const char *canonical);
/* "INBOX" for any case of inbox, else a copy. */
char *store_canonical_name(const char *name);
gboolean store_check_real_dir(const char *path, GError **error);
gboolean store_write_file_atomic(const char *path, const char *data, gssize len, GError **error);
gboolean store_fsync_dir(const char *path, GError **error);
char *store_new_base(Store *store);

/* store-mailbox.c */
StoreMailbox *store_mailbox_load(Store *store, const char *user, const char *canonical,
                                 const char *path, GError **error);
/* Creates cur/ new/ tmp/ and a fresh uid list with a new UIDVALIDITY. */
gboolean store_mailbox_init_dir(Store *store, const char *path, gboolean maildirfolder,
                                GError **error);
/* Removes every message and gives a new UIDVALIDITY (recreate). */
gboolean store_mailbox_reset(StoreMailbox *mb, GError **error);
/* Keeps the messages and their UIDs under a new UIDVALIDITY (after a rename). */
gboolean store_mailbox_reset_uidvalidity(StoreMailbox *mb, GError **error);
void store_mailbox_detach(StoreMailbox *mb);

/* store-demo.c */
gboolean store_demo_seed(Store *store, const char *demo_dir, GError **error);

/* store-pop3.c: the store is going away; views forget it. */
void store_pop3_detach_all(Store *store);
