/* The mail store: Maildir per user and mailbox, with UIDs, UIDVALIDITY and
 * UIDNEXT kept in a small uid list per mailbox, flags in the Maildir file
 * names, and change notifications for the servers and the TUI.
 *
 * One Store per data directory per process; everything runs on the one main
 * loop, so the store keeps each mailbox's state in memory and is the single
 * authority for it. Messages are stored as they travel: CRLF line ends, so a
 * file's size is the RFC 822 size that POP3 and IMAP announce. */
#pragma once

#include <gio/gio.h>
#include <glib.h>

#define STORE_ERROR store_error_quark()
GQuark store_error_quark(void);

typedef enum {
	STORE_ERROR_INVALID_NAME, /* a user or mailbox name that is not allowed */
	STORE_ERROR_NOT_FOUND,    /* no such user, mailbox or message */
	STORE_ERROR_EXISTS,       /* the mailbox already exists */
	STORE_ERROR_LIMIT,        /* message size, mailboxes per user, hierarchy depth */
	STORE_ERROR_IN_USE,       /* the POP3 maildrop is locked by another session */
	STORE_ERROR_IO,           /* the file system refused */
	STORE_ERROR_CORRUPT,      /* a file of the store could not be read */
	STORE_ERROR_NOT_ALLOWED,  /* e.g. deleting INBOX */
} StoreError;

/* The system flags of RFC 3501 §2.3.2 that Maildir keeps in a file's name. */
typedef enum {
	STORE_FLAG_SEEN = 1 << 0,     /* Maildir S */
	STORE_FLAG_ANSWERED = 1 << 1, /* Maildir R */
	STORE_FLAG_FLAGGED = 1 << 2,  /* Maildir F */
	STORE_FLAG_DELETED = 1 << 3,  /* Maildir T */
	STORE_FLAG_DRAFT = 1 << 4,    /* Maildir D */
} StoreFlags;
#define STORE_FLAG_ALL 0x1fu

typedef struct {
	gsize max_message_size; /* octets; default 25 MB */
	guint max_mailboxes;    /* per user; default 1000 */
	guint max_depth;        /* hierarchy levels in a mailbox name; default 8 */
} StoreLimits;

#define STORE_DEFAULT_MAX_MESSAGE_SIZE (25u * 1024 * 1024)
#define STORE_DEFAULT_MAX_MAILBOXES    1000u
#define STORE_DEFAULT_MAX_DEPTH        8u

typedef struct {
	StoreLimits limits; /* zero fields take the defaults */
	/* Directory of demo .eml files and demo.conf to seed a new data directory
	 * with; NULL creates an empty store. */
	const char *demo_dir;
} StoreOptions;

typedef struct _Store Store;
typedef struct _StoreMailbox StoreMailbox;

/* A message as the store knows it. Read-only for callers; valid until the
 * next change of its mailbox. */
typedef struct {
	guint32 uid;
	guint32 flags;        /* StoreFlags */
	gboolean recent;      /* not yet claimed by a session (RFC 3501 \Recent) */
	gsize size;           /* octets on disk = RFC 822 size (CRLF) */
	gint64 internal_date; /* seconds since the epoch */
} StoreMessage;

/* Opens (creating when needed) the store in dir. A new directory gets the demo
 * data of options->demo_dir. The error names the file at fault. */
Store *store_open(const char *dir, const StoreOptions *options, GError **error);
void store_free(Store *store);
const char *store_get_dir(const Store *store);
const StoreLimits *store_get_limits(const Store *store);

/* --- Users (DATA/users.conf, a GKeyFile: [user] password=…) --- */
gboolean store_user_exists(Store *store, const char *user);
gboolean store_user_check_password(Store *store, const char *user, const char *password);
/* The clear-text password, for APOP's digest. NULL when no such user. */
const char *store_user_password(Store *store, const char *user);
/* Adds a user (or changes the password) and writes users.conf atomically. */
gboolean store_user_add(Store *store, const char *user, const char *password, GError **error);
/* Sorted names; free with g_strfreev. */
char **store_list_users(Store *store);
gboolean store_user_name_is_valid(const char *user);

/* --- Mailboxes. Names are UTF-8, "INBOX" (any case) or components joined by
 * STORE_HIERARCHY_DELIMITER; non-ASCII IMAP names are decoded before they get here. --- */
#define STORE_HIERARCHY_DELIMITER '.'

gboolean store_mailbox_name_is_valid(Store *store, const char *name, GError **error);
gboolean store_mailbox_exists(Store *store, const char *user, const char *name);
gboolean store_mailbox_create(Store *store, const char *user, const char *name, GError **error);
gboolean store_mailbox_delete(Store *store, const char *user, const char *name, GError **error);
gboolean store_mailbox_rename(Store *store, const char *user, const char *from, const char *to,
                              GError **error);
/* The administrative "recreate": every message removed and a new, larger
 * UIDVALIDITY, INBOX included — the mailbox replaced under a client's feet. */
gboolean store_mailbox_recreate(Store *store, const char *user, const char *name, GError **error);
/* Every mailbox of the user, INBOX first then sorted; free with g_strfreev. */
char **store_mailbox_list(Store *store, const char *user, GError **error);

/* Subscriptions (IMAP LSUB), kept in the Maildir's "subscriptions" file. */
gboolean store_subscription_set(Store *store, const char *user, const char *name,
                                gboolean subscribed, GError **error);
char **store_subscription_list(Store *store, const char *user);

/* Opens a mailbox: a new reference, shared by every session of the process.
 * After a delete the old object stays valid but store_mailbox_is_deleted(). */
StoreMailbox *store_mailbox_open(Store *store, const char *user, const char *name, GError **error);
StoreMailbox *store_mailbox_ref(StoreMailbox *mb);
void store_mailbox_unref(StoreMailbox *mb);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreMailbox, store_mailbox_unref)

const char *store_mailbox_user(const StoreMailbox *mb);
const char *store_mailbox_name(const StoreMailbox *mb);
/* The directory holding cur/, new/ and tmp/. */
const char *store_mailbox_path(const StoreMailbox *mb);
gboolean store_mailbox_is_deleted(const StoreMailbox *mb);
guint32 store_mailbox_uidvalidity(const StoreMailbox *mb);
guint32 store_mailbox_uidnext(const StoreMailbox *mb);
guint store_mailbox_count(const StoreMailbox *mb);
/* index from 0, in UID order. */
const StoreMessage *store_mailbox_nth(const StoreMailbox *mb, guint index);
const StoreMessage *store_mailbox_find(const StoreMailbox *mb, guint32 uid, guint *index_r);
guint store_mailbox_count_unseen(const StoreMailbox *mb);
guint store_mailbox_count_recent(const StoreMailbox *mb);
/* Picks up files added or removed by another program (a Maildir tool, a second
 * process) since the store last looked, and notifies as for its own changes. */
gboolean store_mailbox_sync(StoreMailbox *mb, GError **error);

/* --- Messages --- */
typedef struct _StoreDelivery StoreDelivery;

/* Delivery in three steps for data that arrives in pieces (SMTP DATA): the
 * file is written in tmp/, fsync'd on commit and renamed into new/ (or cur/
 * when flags are given), then given its UID. Only a committed message is
 * ever listed. */
StoreDelivery *store_delivery_begin(StoreMailbox *mb, GError **error);
gboolean store_delivery_write(StoreDelivery *d, const void *data, gsize len, GError **error);
/* internal_date < 0 means now. On success the message is on disk, synced. */
gboolean store_delivery_commit(StoreDelivery *d, guint32 flags, gint64 internal_date,
                               guint32 *uid_r, GError **error);
/* Frees a delivery; one not committed is removed from tmp/. */
void store_delivery_free(StoreDelivery *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StoreDelivery, store_delivery_free)

/* The whole of a delivery in one call. */
gboolean store_deliver(StoreMailbox *mb, const void *data, gsize len, guint32 flags,
                       gint64 internal_date, guint32 *uid_r, GError **error);

/* The message's bytes (mapped, not copied). */
GBytes *store_message_read(StoreMailbox *mb, guint32 uid, GError **error);
/* Copies a message into another mailbox (IMAP COPY); its flags go with it. */
gboolean store_message_copy(StoreMailbox *from, guint32 uid, StoreMailbox *to, guint32 *uid_r,
                            GError **error);
gboolean store_message_set_flags(StoreMailbox *mb, guint32 uid, guint32 flags, GError **error);
/* Removes messages for good. */
gboolean store_mailbox_expunge(StoreMailbox *mb, const guint32 *uids, guint n_uids, GError **error);
/* Hands the messages still \Recent to the caller's session (RFC 3501 §2.3.2:
 * only one session sees a message as recent) and clears them in the store.
 * Returns the UIDs, ascending. */
GArray *store_mailbox_claim_recent(StoreMailbox *mb);

/* Parses IMAP system flag names ("\\Seen \\Flagged"), case-insensitive. */
gboolean store_flags_parse(const char *text, guint32 *flags_r);
/* Delivers a file of the source tree (LF line ends become CRLF) with the
 * internal date of its Date: header: demo data and scenario set-ups. */
gboolean store_seed_message(StoreMailbox *mb, const char *file, guint32 flags, GError **error);

/* --- Notifications, delivered synchronously on the main loop --- */
typedef enum {
	STORE_CHANGE_MESSAGE_NEW,       /* uid, flags */
	STORE_CHANGE_FLAGS,             /* uid, flags */
	STORE_CHANGE_EXPUNGE,           /* uid */
	STORE_CHANGE_MAILBOX_CREATED,   /* mailbox, uidvalidity */
	STORE_CHANGE_MAILBOX_DELETED,   /* mailbox */
	STORE_CHANGE_MAILBOX_RENAMED,   /* mailbox → new_name */
	STORE_CHANGE_MAILBOX_RECREATED, /* mailbox, the new uidvalidity */
	STORE_CHANGE_POP3_OPENED,       /* a POP3 session took the user's maildrop */
	STORE_CHANGE_POP3_MARKS,  /* uid marked (flags 1) or unmarked (flags 0) by DELE/RSET */
	STORE_CHANGE_POP3_CLOSED, /* the maildrop was released */
} StoreChangeKind;

typedef struct {
	StoreChangeKind kind;
	const char *user;
	const char *mailbox;
	const char *new_name;
	guint32 uid;
	guint32 flags;
	guint32 uidvalidity;
	gconstpointer origin; /* the session that caused it, when it said so */
} StoreChange;

typedef void (*StoreWatchFunc)(const StoreChange *change, gpointer user_data);

/* Returns an id for store_unwatch. A watcher may unwatch itself or others while called. */
guint store_watch(Store *store, StoreWatchFunc func, gpointer user_data);
void store_unwatch(Store *store, guint id);
/* Sessions set this around their own calls so watchers can tell "mine" from "others'". */
void store_set_origin(Store *store, gconstpointer origin);

/* --- POP3 view: a snapshot of INBOX for one session, with DELE marks --- */
typedef struct _StorePop3 StorePop3;

/* Takes the user's maildrop, exclusively (RFC 1939 §8): a second open fails
 * with STORE_ERROR_IN_USE until the first is closed. */
StorePop3 *store_pop3_open(Store *store, const char *user, GError **error);
/* Releases the maildrop; marks not committed are forgotten (nothing deleted). */
void store_pop3_close(StorePop3 *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(StorePop3, store_pop3_close)

/* Messages in the snapshot, marked ones included; numbers run from 1. */
guint store_pop3_count(const StorePop3 *p);
/* FALSE when n is out of range. */
gboolean store_pop3_get(const StorePop3 *p, guint n, guint32 *uid_r, gsize *size_r,
                        gboolean *marked_r);
/* Count and octets of the messages not marked (STAT). */
void store_pop3_stat(const StorePop3 *p, guint *count_r, gsize *octets_r);
/* The unique-id listing of RFC 1939 §7: UIDVALIDITY and UID in hex. Caller frees. */
char *store_pop3_uidl(const StorePop3 *p, guint n);
GBytes *store_pop3_read(StorePop3 *p, guint n, GError **error);
gboolean store_pop3_mark(StorePop3 *p, guint n);
/* Unmarks everything (RSET); returns how many marks were undone. */
guint store_pop3_reset(StorePop3 *p);
/* The UPDATE state: removes the marked messages; returns how many. */
guint store_pop3_commit(StorePop3 *p, GError **error);
/* Whether a POP3 session holds this uid of the user's INBOX marked (for the TUI). */
gboolean store_pop3_is_marked(Store *store, const char *user, guint32 uid);
gboolean store_pop3_is_locked(Store *store, const char *user);
