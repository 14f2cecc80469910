/* FETCH data items (RFC 3501 §6.4.5, §7.4.2): the table of items with their
 * explanations, and the parser of one item's text — "FLAGS", "BODY.PEEK[1.2.MIME]",
 * "BODY[HEADER.FIELDS (From To)]<0.100>", or in a response "BODY[2]<0>". */
#pragma once

#include <glib.h>

typedef enum {
	IMAP_FETCH_ALL,               /* macro: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE */
	IMAP_FETCH_FAST,              /* macro: FLAGS INTERNALDATE RFC822.SIZE */
	IMAP_FETCH_FULL,              /* macro: FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY */
	IMAP_FETCH_BODY,              /* without a section: the structure, without extension data */
	IMAP_FETCH_BODY_SECTION,      /* BODY[section]<partial>: content, sets \Seen */
	IMAP_FETCH_BODY_PEEK_SECTION, /* BODY.PEEK[section]<partial>: content, no \Seen */
	IMAP_FETCH_BODYSTRUCTURE,
	IMAP_FETCH_ENVELOPE,
	IMAP_FETCH_FLAGS,
	IMAP_FETCH_INTERNALDATE,
	IMAP_FETCH_RFC822,        /* = BODY[], sets \Seen */
	IMAP_FETCH_RFC822_HEADER, /* = BODY.PEEK[HEADER] */
	IMAP_FETCH_RFC822_SIZE,
	IMAP_FETCH_RFC822_TEXT, /* = BODY[TEXT], sets \Seen */
	IMAP_FETCH_UID,
	IMAP_FETCH_N,
} ImapFetchItemId;

typedef struct {
	ImapFetchItemId id;
	const char *name; /* "BODY.PEEK[" for the section forms */
	gboolean section; /* followed by [section] and an optional <partial> */
	gboolean macro;   /* ALL, FAST, FULL: only alone, not inside a list */
	const char *rfc;
	const char *explain; /* N_() */
} ImapFetchItemInfo;

extern const ImapFetchItemInfo imap_fetch_items[IMAP_FETCH_N];

typedef enum {
	IMAP_SECTION_WHOLE,             /* BODY[] or BODY[1.2]: the whole message or part */
	IMAP_SECTION_HEADER,            /* HEADER: the header, blank line included */
	IMAP_SECTION_HEADER_FIELDS,     /* HEADER.FIELDS (…) */
	IMAP_SECTION_HEADER_FIELDS_NOT, /* HEADER.FIELDS.NOT (…) */
	IMAP_SECTION_TEXT,              /* TEXT: the body after the header */
	IMAP_SECTION_MIME,              /* MIME: the MIME header of a part */
} ImapSectionText;

#define IMAP_FETCH_MAX_PART_DEPTH 32

typedef struct {
	const ImapFetchItemInfo *info;
	/* section forms */
	guint32 part[IMAP_FETCH_MAX_PART_DEPTH]; /* "1.2.3" */
	guint n_part;
	ImapSectionText text;
	char **fields; /* HEADER.FIELDS[.NOT]: the names, NULL-terminated */
	gboolean has_partial;
	guint32 partial_start;
	gboolean partial_has_length; /* commands say <start.length>, responses <start> */
	guint32 partial_length;
} ImapFetchAtt;

/* Parses one item; FALSE and *error_r (a translated sentence) when the text
 * is not a fetch item. att_r is cleared with imap_fetch_att_clear(). */
gboolean imap_fetch_att_parse(const char *text, ImapFetchAtt *att_r, char **error_r);
void imap_fetch_att_clear(ImapFetchAtt *att);

/* The section as it is written in the answer: "1.2.MIME", "HEADER.FIELDS (FROM TO)". */
char *imap_fetch_att_section_string(const ImapFetchAtt *att);
