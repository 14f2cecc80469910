/* The argument tree of an IMAP command or response (RFC 3501 §4): atoms, NIL,
 * quoted strings, literals and parenthesised lists, as the IMAP parser builds
 * it, with typed getters in the style of Dovecot's imap-arg.h. */
#pragma once

#include <glib.h>

typedef enum {
	IMAP_ARG_ATOM,    /* 1*ATOM-CHAR; also flags (\Seen), sequence sets, BODY[…]<…> */
	IMAP_ARG_NIL,     /* the atom NIL (any case): "no value" where nstring is allowed */
	IMAP_ARG_STRING,  /* "quoted", escapes removed */
	IMAP_ARG_LITERAL, /* {n} or {n+} followed by n octets */
	IMAP_ARG_LIST,    /* ( … ) */
} ImapArgType;

typedef struct _ImapArg ImapArg;
struct _ImapArg {
	ImapArgType type;
	/* ATOM, NIL, STRING, LITERAL: the value, NUL-terminated; a literal may
	 * hold NULs, so len is the truth. NIL keeps its text as sent. */
	char *data;
	gsize len;
	gboolean literal_sync; /* LITERAL: {n} (TRUE) or {n+} (FALSE, RFC 7888) */
	GPtrArray *list;       /* LIST: the elements (ImapArg *), owned */
};

ImapArg *imap_arg_new(ImapArgType type);
ImapArg *imap_arg_new_list(void);
void imap_arg_free(ImapArg *arg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapArg, imap_arg_free)

/* Elements of a list (0 for anything else) and the n-th one (NULL past the end). */
guint imap_arg_count(const ImapArg *list);
const ImapArg *imap_arg_nth(const ImapArg *list, guint n);

/* TRUE for an atom (not NIL) equal to word, ignoring ASCII case. */
gboolean imap_arg_atom_equals(const ImapArg *arg, const char *word);
gboolean imap_arg_get_atom(const ImapArg *arg, const char **atom_r);
/* string = quoted / literal (RFC 3501 §9); a literal holding NUL, or not
 * read yet (at LITERAL_WAIT), is refused. */
gboolean imap_arg_get_string(const ImapArg *arg, const char **str_r);
/* astring = atom / string; the atom NIL counts as the name "NIL" here. */
gboolean imap_arg_get_astring(const ImapArg *arg, const char **str_r);
/* nstring = string / NIL; *str_r is NULL for NIL. */
gboolean imap_arg_get_nstring(const ImapArg *arg, const char **str_r);
/* A number (RFC 3501 §4.2: 0 … 4294967295, digits only). */
gboolean imap_arg_get_number(const ImapArg *arg, guint32 *num_r);
gboolean imap_arg_is_list(const ImapArg *arg);

/* An argument written back in IMAP syntax, for traces and messages; a
 * literal appears as its announcement alone ({n} or {n+}). Caller frees. */
char *imap_arg_to_string(const ImapArg *arg);
/* The elements of a list separated by spaces, without the outer parentheses. */
char *imap_arg_list_to_string(const ImapArg *list);
