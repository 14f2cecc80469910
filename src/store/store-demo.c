/* Seeds a new data directory with the demo users and their French mail, read
 * from demo.conf and the .eml files beside it (scenarios/mail/ in the source
 * tree, installed with the binary). */
#include "store/store-private.h"

#include "core/crlf.h"
#include "core/facteur-i18n.h"

#include "core/gmime-autoptr.h"
#include <string.h>

static const struct {
	const char *name;
	guint32 flag;
} flag_names[] = {
    {"\\Seen", STORE_FLAG_SEEN},       {"\\Answered", STORE_FLAG_ANSWERED},
    {"\\Flagged", STORE_FLAG_FLAGGED}, {"\\Deleted", STORE_FLAG_DELETED},
    {"\\Draft", STORE_FLAG_DRAFT},
};

gboolean
store_flags_parse(const char *text, guint32 *flags_r)
{
	g_auto(GStrv) words = g_strsplit_set(text != NULL ? text : "", " \t", -1);
	guint32 flags = 0;
	for (char **w = words; *w; w++) {
		if (**w == '\0')
			continue;
		gsize i;
		for (i = 0; i < G_N_ELEMENTS(flag_names); i++) {
			if (g_ascii_strcasecmp(*w, flag_names[i].name) == 0)
				break;
		}
		if (i == G_N_ELEMENTS(flag_names))
			return FALSE;
		flags |= flag_names[i].flag;
	}
	*flags_r = flags;
	return TRUE;
}

/* The Date: header as the internal date, so that SEARCH BEFORE/SINCE and the
 * demo agree with what the messages say; -1 when there is none. */
static gint64
message_date(GBytes *bytes)
{
	static gsize init;
	if (g_once_init_enter(&init)) {
		g_mime_init();
		g_once_init_leave(&init, 1);
	}
	gsize len;
	const char *data = g_bytes_get_data(bytes, &len);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(data, len);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(stream);
	g_autoptr(GMimeMessage) msg = g_mime_parser_construct_message(parser, NULL);
	if (msg == NULL)
		return -1;
	GDateTime *dt = g_mime_message_get_date(msg);
	return dt != NULL ? g_date_time_to_unix(dt) : -1;
}

gboolean
store_seed_message(StoreMailbox *mb, const char *file, guint32 flags, GError **error)
{
	g_autofree char *data = NULL;
	gsize len = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(file, &data, &len, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, "%s", local->message);
		return FALSE;
	}
	g_autoptr(GBytes) crlf = crlf_normalize(data, len);
	gsize n;
	const void *bytes = g_bytes_get_data(crlf, &n);
	return store_deliver(mb, bytes, n, flags, message_date(crlf), NULL, error);
}

static gboolean
seed_user(Store *store, GKeyFile *conf, const char *conf_path, const char *demo_dir,
          const char *user, GError **error)
{
	g_autofree char *password = g_key_file_get_string(conf, user, "password", NULL);
	if (password == NULL) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
		            _("%s: user [%s] has no password"), conf_path, user);
		return FALSE;
	}
	if (!store_user_add(store, user, password, error))
		return FALSE;
	g_auto(GStrv) keys = g_key_file_get_keys(conf, user, NULL, NULL);
	/* INBOX first so that its UIDVALIDITY is the smallest, as on a real server. */
	g_autoptr(GPtrArray) order = g_ptr_array_new();
	for (char **k = keys; *k; k++) {
		if (g_str_has_prefix(*k, "mailbox.")) {
			if (g_ascii_strcasecmp(*k + 8, "INBOX") == 0)
				g_ptr_array_insert(order, 0, *k);
			else
				g_ptr_array_add(order, *k);
		}
	}
	for (guint i = 0; i < order->len; i++) {
		const char *key = order->pdata[i];
		const char *name = key + strlen("mailbox.");
		if (g_ascii_strcasecmp(name, "INBOX") != 0 &&
		    !store_mailbox_create(store, user, name, error))
			return FALSE;
		g_autoptr(StoreMailbox) mb = store_mailbox_open(store, user, name, error);
		if (mb == NULL)
			return FALSE;
		g_auto(GStrv) files = g_key_file_get_string_list(conf, user, key, NULL, NULL);
		for (char **f = files; f != NULL && *f; f++) {
			g_strstrip(*f);
			if (**f == '\0')
				continue;
			if (strchr(*f, '/') != NULL) {
				g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
				            _("%s: “%s” must be a file name of %s"), conf_path, *f,
				            demo_dir);
				return FALSE;
			}
			g_autofree char *fkey = g_strconcat("flags.", *f, NULL);
			/* get_value: "\\Seen" is not a key-file escape and must stay as written. */
			g_autofree char *ftext = g_key_file_get_value(conf, user, fkey, NULL);
			guint32 flags = 0;
			if (!store_flags_parse(ftext, &flags)) {
				g_set_error(error, STORE_ERROR, STORE_ERROR_CORRUPT,
				            _("%s: [%s] %s: unknown flag in “%s”"), conf_path, user,
				            fkey, ftext);
				return FALSE;
			}
			g_autofree char *path = g_build_filename(demo_dir, *f, NULL);
			if (!store_seed_message(mb, path, flags, error))
				return FALSE;
		}
	}
	return TRUE;
}

gboolean
store_demo_seed(Store *store, const char *demo_dir, GError **error)
{
	g_autofree char *conf_path = g_build_filename(demo_dir, "demo.conf", NULL);
	g_autoptr(GKeyFile) conf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_file(conf, conf_path, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, STORE_ERROR, STORE_ERROR_NOT_FOUND, _("%s: %s"), conf_path,
		            local->message);
		return FALSE;
	}
	g_auto(GStrv) users = g_key_file_get_groups(conf, NULL);
	for (char **u = users; *u; u++) {
		if (!seed_user(store, conf, conf_path, demo_dir, *u, error))
			return FALSE;
	}
	return TRUE;
}
