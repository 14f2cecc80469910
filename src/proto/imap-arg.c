/* The IMAP argument tree: construction, typed getters, and writing back in
 * IMAP syntax. Pure data, no I/O. */
#include "proto/imap-arg.h"

#include <string.h>

ImapArg *
imap_arg_new(ImapArgType type)
{
	ImapArg *arg = g_new0(ImapArg, 1);
	arg->type = type;
	if (type == IMAP_ARG_LIST)
		arg->list = g_ptr_array_new_with_free_func((GDestroyNotify)imap_arg_free);
	return arg;
}

ImapArg *
imap_arg_new_list(void)
{
	return imap_arg_new(IMAP_ARG_LIST);
}

void
imap_arg_free(ImapArg *arg)
{
	if (arg == NULL)
		return;
	if (arg->list != NULL)
		g_ptr_array_unref(arg->list);
	g_free(arg->data);
	g_free(arg);
}

guint
imap_arg_count(const ImapArg *list)
{
	if (list == NULL || list->type != IMAP_ARG_LIST)
		return 0;
	return list->list->len;
}

const ImapArg *
imap_arg_nth(const ImapArg *list, guint n)
{
	if (n >= imap_arg_count(list))
		return NULL;
	return g_ptr_array_index(list->list, n);
}

gboolean
imap_arg_atom_equals(const ImapArg *arg, const char *word)
{
	return arg != NULL && arg->type == IMAP_ARG_ATOM &&
	       g_ascii_strcasecmp(arg->data, word) == 0;
}

gboolean
imap_arg_get_atom(const ImapArg *arg, const char **atom_r)
{
	if (arg == NULL || arg->type != IMAP_ARG_ATOM)
		return FALSE;
	*atom_r = arg->data;
	return TRUE;
}

gboolean
imap_arg_get_string(const ImapArg *arg, const char **str_r)
{
	if (arg == NULL)
		return FALSE;
	/* A literal's data is NULL until its octets are read (at LITERAL_WAIT). */
	if (arg->type == IMAP_ARG_STRING || (arg->type == IMAP_ARG_LITERAL && arg->data != NULL &&
	                                     memchr(arg->data, '\0', arg->len) == NULL)) {
		*str_r = arg->data;
		return TRUE;
	}
	return FALSE;
}

gboolean
imap_arg_get_astring(const ImapArg *arg, const char **str_r)
{
	if (arg != NULL && (arg->type == IMAP_ARG_ATOM || arg->type == IMAP_ARG_NIL)) {
		*str_r = arg->data;
		return TRUE;
	}
	return imap_arg_get_string(arg, str_r);
}

gboolean
imap_arg_get_nstring(const ImapArg *arg, const char **str_r)
{
	if (arg != NULL && arg->type == IMAP_ARG_NIL) {
		*str_r = NULL;
		return TRUE;
	}
	return imap_arg_get_string(arg, str_r);
}

gboolean
imap_arg_get_number(const ImapArg *arg, guint32 *num_r)
{
	if (arg == NULL || arg->type != IMAP_ARG_ATOM || arg->data[0] == '\0')
		return FALSE;
	guint64 n = 0;
	for (const char *p = arg->data; *p != '\0'; p++) {
		if (!g_ascii_isdigit(*p))
			return FALSE;
		n = n * 10 + (guint64)(*p - '0');
		if (n > G_MAXUINT32)
			return FALSE;
	}
	*num_r = (guint32)n;
	return TRUE;
}

gboolean
imap_arg_is_list(const ImapArg *arg)
{
	return arg != NULL && arg->type == IMAP_ARG_LIST;
}

static void
append_quoted(GString *out, const char *s, gsize len)
{
	g_string_append_c(out, '"');
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '"' || s[i] == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, s[i]);
	}
	g_string_append_c(out, '"');
}

static void append_arg(GString *out, const ImapArg *arg);

static void
append_list_items(GString *out, const ImapArg *list)
{
	for (guint i = 0; i < imap_arg_count(list); i++) {
		if (i > 0)
			g_string_append_c(out, ' ');
		append_arg(out, imap_arg_nth(list, i));
	}
}

static void
append_arg(GString *out, const ImapArg *arg)
{
	switch (arg->type) {
	case IMAP_ARG_ATOM:
	case IMAP_ARG_NIL:
		g_string_append(out, arg->data);
		break;
	case IMAP_ARG_STRING:
		append_quoted(out, arg->data, arg->len);
		break;
	case IMAP_ARG_LITERAL:
		g_string_append_printf(out, "{%" G_GSIZE_FORMAT "%s}", arg->len,
		                       arg->literal_sync ? "" : "+");
		break;
	case IMAP_ARG_LIST:
		g_string_append_c(out, '(');
		append_list_items(out, arg);
		g_string_append_c(out, ')');
		break;
	}
}

char *
imap_arg_to_string(const ImapArg *arg)
{
	GString *out = g_string_new(NULL);
	if (arg != NULL)
		append_arg(out, arg);
	return g_string_free(out, FALSE);
}

char *
imap_arg_list_to_string(const ImapArg *list)
{
	GString *out = g_string_new(NULL);
	append_list_items(out, list);
	return g_string_free(out, FALSE);
}
