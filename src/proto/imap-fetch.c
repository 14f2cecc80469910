/* FETCH items: the table and the parser of section specifications. */
#include "proto/imap-fetch.h"

#include "core/facteur-i18n.h"

#include <string.h>

const ImapFetchItemInfo imap_fetch_items[IMAP_FETCH_N] = {
    [IMAP_FETCH_ALL] =
        {
            .id = IMAP_FETCH_ALL,
            .name = "ALL",
            .macro = TRUE,
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("Shorthand for FLAGS INTERNALDATE RFC822.SIZE ENVELOPE."),
        },
    [IMAP_FETCH_FAST] =
        {
            .id = IMAP_FETCH_FAST,
            .name = "FAST",
            .macro = TRUE,
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("Shorthand for FLAGS INTERNALDATE RFC822.SIZE."),
        },
    [IMAP_FETCH_FULL] =
        {
            .id = IMAP_FETCH_FULL,
            .name = "FULL",
            .macro = TRUE,
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("Shorthand for FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODY."),
        },
    [IMAP_FETCH_BODY] =
        {
            .id = IMAP_FETCH_BODY,
            .name = "BODY",
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("The MIME structure of the message, like BODYSTRUCTURE without the "
                          "extension data."),
        },
    [IMAP_FETCH_BODY_SECTION] =
        {
            .id = IMAP_FETCH_BODY_SECTION,
            .name = "BODY[",
            .section = TRUE,
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("Content of the message or of a part: [] everything, [HEADER], "
                          "[TEXT], [1.2] a MIME part, [1.2.MIME] its header; <start.length> "
                          "takes a slice. Sets \\Seen."),
        },
    [IMAP_FETCH_BODY_PEEK_SECTION] =
        {
            .id = IMAP_FETCH_BODY_PEEK_SECTION,
            .name = "BODY.PEEK[",
            .section = TRUE,
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("Like BODY[…] but without setting \\Seen: the message stays "
                          "unread. The answer is named BODY[…]."),
        },
    [IMAP_FETCH_BODYSTRUCTURE] =
        {
            .id = IMAP_FETCH_BODYSTRUCTURE,
            .name = "BODYSTRUCTURE",
            .rfc = "RFC 3501 §7.4.2",
            .explain = N_("The MIME tree of the message as nested lists: type, subtype, "
                          "parameters, id, description, encoding, size (and lines for text), "
                          "then extension data such as disposition and language."),
        },
    [IMAP_FETCH_ENVELOPE] =
        {
            .id = IMAP_FETCH_ENVELOPE,
            .name = "ENVELOPE",
            .rfc = "RFC 3501 §7.4.2",
            .explain = N_("The main header fields, parsed by the server: date, subject, "
                          "from, sender, reply-to, to, cc, bcc, in-reply-to, message-id; each "
                          "address as (name route mailbox host)."),
        },
    [IMAP_FETCH_FLAGS] =
        {
            .id = IMAP_FETCH_FLAGS,
            .name = "FLAGS",
            .rfc = "RFC 3501 §7.4.2",
            .explain = N_("The flags of the message (\\Seen, \\Answered, \\Flagged, "
                          "\\Deleted, \\Draft, \\Recent)."),
        },
    [IMAP_FETCH_INTERNALDATE] =
        {
            .id = IMAP_FETCH_INTERNALDATE,
            .name = "INTERNALDATE",
            .rfc = "RFC 3501 §2.3.3",
            .explain = N_("When the server received the message (or the date given to "
                          "APPEND) — not the Date: header written by the sender."),
        },
    [IMAP_FETCH_RFC822] =
        {
            .id = IMAP_FETCH_RFC822,
            .name = "RFC822",
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("The whole message, the old way; same as BODY[]. Sets \\Seen."),
        },
    [IMAP_FETCH_RFC822_HEADER] =
        {
            .id = IMAP_FETCH_RFC822_HEADER,
            .name = "RFC822.HEADER",
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("The header, the old way; same as BODY.PEEK[HEADER]."),
        },
    [IMAP_FETCH_RFC822_SIZE] =
        {
            .id = IMAP_FETCH_RFC822_SIZE,
            .name = "RFC822.SIZE",
            .rfc = "RFC 3501 §2.3.4",
            .explain = N_("The size of the message in octets, with CRLF line ends."),
        },
    [IMAP_FETCH_RFC822_TEXT] =
        {
            .id = IMAP_FETCH_RFC822_TEXT,
            .name = "RFC822.TEXT",
            .rfc = "RFC 3501 §6.4.5",
            .explain = N_("The body without the header, the old way; same as BODY[TEXT]. "
                          "Sets \\Seen."),
        },
    [IMAP_FETCH_UID] =
        {
            .id = IMAP_FETCH_UID,
            .name = "UID",
            .rfc = "RFC 3501 §2.3.1.1",
            .explain = N_("The unique identifier of the message in this mailbox, stable "
                          "across sessions while UIDVALIDITY stays the same."),
        },
};

void
imap_fetch_att_clear(ImapFetchAtt *att)
{
	g_strfreev(att->fields);
	memset(att, 0, sizeof(*att));
}

static gboolean
fail(char **error_r, char *msg)
{
	if (error_r != NULL)
		*error_r = msg;
	else
		g_free(msg);
	return FALSE;
}

static gboolean
prefix_ci(const char *s, const char *prefix, const char **rest_r)
{
	gsize n = strlen(prefix);
	if (g_ascii_strncasecmp(s, prefix, n) != 0)
		return FALSE;
	*rest_r = s + n;
	return TRUE;
}

static gboolean
parse_u32(const char **p, guint32 *n_r)
{
	const char *s = *p;
	guint64 n = 0;
	if (!g_ascii_isdigit(*s))
		return FALSE;
	while (g_ascii_isdigit(*s)) {
		n = n * 10 + (guint64)(*s - '0');
		if (n > G_MAXUINT32)
			return FALSE;
		s++;
	}
	*n_r = (guint32)n;
	*p = s;
	return TRUE;
}

/* header-list = "(" header-fld-name *(SP header-fld-name) ")", names astrings. */
static gboolean
parse_header_list(const char **p, ImapFetchAtt *att, char **error_r)
{
	const char *s = *p;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	if (*s != ' ' || s[1] != '(')
		return fail(error_r, g_strdup(_("HEADER.FIELDS is followed by a space and a "
		                                "list of header names in parentheses.")));
	s += 2;
	for (;;) {
		GString *name = g_string_new(NULL);
		if (*s == '"') {
			s++;
			while (*s != '"' && *s != '\0') {
				if (*s == '\\' && s[1] != '\0')
					s++;
				g_string_append_c(name, *s++);
			}
			if (*s == '"')
				s++;
		} else {
			while (*s != '\0' && *s != ' ' && *s != ')' && *s != ']' && *s != '(')
				g_string_append_c(name, *s++);
		}
		if (name->len == 0 || strchr(name->str, ':') != NULL) {
			g_string_free(name, TRUE);
			return fail(error_r, g_strdup(_("Invalid header name in HEADER.FIELDS: "
			                                "names have no colon and are not "
			                                "empty.")));
		}
		g_ptr_array_add(names, g_string_free(name, FALSE));
		if (*s == ' ') {
			s++;
			continue;
		}
		if (*s == ')')
			break;
		return fail(error_r, g_strdup(_("Missing “)” after the header names of "
		                                "HEADER.FIELDS.")));
	}
	g_ptr_array_add(names, NULL);
	att->fields = (char **)g_ptr_array_free(g_steal_pointer(&names), FALSE);
	*p = s + 1;
	return TRUE;
}

/* section-spec, up to the closing "]". */
static gboolean
parse_section(const char **p, ImapFetchAtt *att, char **error_r)
{
	const char *s = *p;
	const char *rest;
	att->text = IMAP_SECTION_WHOLE;
	while (g_ascii_isdigit(*s)) {
		guint32 n;
		if (!parse_u32(&s, &n) || n == 0)
			return fail(error_r, g_strdup(_("Part numbers in a section start at 1 "
			                                "(for example BODY[1.2]).")));
		if (att->n_part >= IMAP_FETCH_MAX_PART_DEPTH)
			return fail(error_r, g_strdup(_("Too many levels of part numbers in a "
			                                "section.")));
		att->part[att->n_part++] = n;
		if (*s != '.')
			break;
		s++;
		if (!g_ascii_isdigit(*s))
			break;
	}
	gboolean after_part = att->n_part > 0;
	if (after_part && s[-1] != '.' && *s != ']')
		return fail(error_r, g_strdup(_("Invalid section: a part number is followed by "
		                                "“.” or “]”.")));
	if (*s == ']') {
		if (after_part && s[-1] == '.')
			return fail(error_r, g_strdup(_("Invalid section: nothing after the last "
			                                "“.”.")));
		*p = s + 1;
		return TRUE;
	}
	if (prefix_ci(s, "HEADER.FIELDS.NOT", &rest)) {
		att->text = IMAP_SECTION_HEADER_FIELDS_NOT;
		s = rest;
		if (!parse_header_list(&s, att, error_r))
			return FALSE;
	} else if (prefix_ci(s, "HEADER.FIELDS", &rest)) {
		att->text = IMAP_SECTION_HEADER_FIELDS;
		s = rest;
		if (!parse_header_list(&s, att, error_r))
			return FALSE;
	} else if (prefix_ci(s, "HEADER", &rest)) {
		att->text = IMAP_SECTION_HEADER;
		s = rest;
	} else if (prefix_ci(s, "TEXT", &rest)) {
		att->text = IMAP_SECTION_TEXT;
		s = rest;
	} else if (prefix_ci(s, "MIME", &rest) && after_part) {
		att->text = IMAP_SECTION_MIME;
		s = rest;
	} else {
		return fail(error_r, g_strdup(_("Unknown section: expected HEADER, "
		                                "HEADER.FIELDS (…), HEADER.FIELDS.NOT (…), TEXT, "
		                                "part numbers, or MIME after a part number.")));
	}
	if (*s != ']')
		return fail(error_r, g_strdup(_("Missing “]” at the end of the section.")));
	*p = s + 1;
	return TRUE;
}

gboolean
imap_fetch_att_parse(const char *text, ImapFetchAtt *att_r, char **error_r)
{
	memset(att_r, 0, sizeof(*att_r));
	const char *bracket = strchr(text, '[');
	if (bracket == NULL) {
		for (gsize i = 0; i < IMAP_FETCH_N; i++) {
			if (!imap_fetch_items[i].section &&
			    g_ascii_strcasecmp(imap_fetch_items[i].name, text) == 0) {
				att_r->info = &imap_fetch_items[i];
				return TRUE;
			}
		}
		return fail(error_r, g_strdup_printf(_("Unknown FETCH item “%s”."), text));
	}
	gsize n = (gsize)(bracket - text) + 1;
	for (gsize i = 0; i < IMAP_FETCH_N; i++) {
		if (imap_fetch_items[i].section && strlen(imap_fetch_items[i].name) == n &&
		    g_ascii_strncasecmp(imap_fetch_items[i].name, text, n) == 0)
			att_r->info = &imap_fetch_items[i];
	}
	if (att_r->info == NULL)
		return fail(error_r, g_strdup_printf(_("Unknown FETCH item “%s”: only BODY and "
		                                       "BODY.PEEK take a section […]."),
		                                     text));
	const char *p = bracket + 1;
	if (!parse_section(&p, att_r, error_r)) {
		imap_fetch_att_clear(att_r);
		return FALSE;
	}
	if (*p == '<') {
		p++;
		if (!parse_u32(&p, &att_r->partial_start))
			goto bad_partial;
		att_r->has_partial = TRUE;
		if (*p == '.') {
			p++;
			if (!parse_u32(&p, &att_r->partial_length) || att_r->partial_length == 0)
				goto bad_partial;
			att_r->partial_has_length = TRUE;
		}
		if (*p != '>')
			goto bad_partial;
		p++;
	}
	if (*p != '\0') {
		imap_fetch_att_clear(att_r);
		return fail(error_r, g_strdup(_("Unexpected characters after the section of a "
		                                "FETCH item.")));
	}
	return TRUE;
bad_partial:
	imap_fetch_att_clear(att_r);
	return fail(error_r, g_strdup(_("A partial fetch is written <start.length>, for "
	                                "example BODY[]<0.1024>, length at least 1.")));
}

char *
imap_fetch_att_section_string(const ImapFetchAtt *att)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < att->n_part; i++)
		g_string_append_printf(out, i == 0 ? "%u" : ".%u", att->part[i]);
	const char *word = NULL;
	switch (att->text) {
	case IMAP_SECTION_WHOLE:
		break;
	case IMAP_SECTION_HEADER:
		word = "HEADER";
		break;
	case IMAP_SECTION_HEADER_FIELDS:
		word = "HEADER.FIELDS";
		break;
	case IMAP_SECTION_HEADER_FIELDS_NOT:
		word = "HEADER.FIELDS.NOT";
		break;
	case IMAP_SECTION_TEXT:
		word = "TEXT";
		break;
	case IMAP_SECTION_MIME:
		word = "MIME";
		break;
	}
	if (word != NULL) {
		if (att->n_part > 0)
			g_string_append_c(out, '.');
		g_string_append(out, word);
	}
	if (att->fields != NULL) {
		g_string_append(out, " (");
		for (guint i = 0; att->fields[i] != NULL; i++) {
			if (i > 0)
				g_string_append_c(out, ' ');
			g_string_append(out, att->fields[i]);
		}
		g_string_append_c(out, ')');
	}
	return g_string_free(out, FALSE);
}
