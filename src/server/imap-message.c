/* The MIME tree of a message for IMAP: header and body ranges found by
 * scanning lines and multipart boundaries (RFC 2046 §5.1.1), field values
 * (content type, disposition, addresses, dates) parsed by GMime, part
 * numbering of RFC 3501 §6.4.5. */
#include "server/imap-message.h"

#include "server/imap-session.h"

#include <gmime/gmime.h>
#include <string.h>

#define MAX_DEPTH 32

typedef struct {
	gsize start; /* the field's first octet */
	gsize name_len;
	gsize value_start; /* after the colon */
	gsize end;         /* after the line end of its last line */
} Field;

typedef struct _Part Part;
struct _Part {
	gsize start; /* header */
	gsize body;  /* after the blank line */
	gsize end;
	GArray *fields; /* Field */
	GMimeContentType *ct;
	gboolean multipart;
	gboolean message;    /* message/rfc822: encapsulated holds the message */
	GPtrArray *children; /* Part *, multipart */
	Part *encapsulated;
};

struct _ImapMessage {
	GBytes *bytes;
	const char *data;
	gsize len;
	Part *root;
};

static void
part_free(Part *p)
{
	if (p == NULL)
		return;
	g_array_unref(p->fields);
	g_clear_object(&p->ct);
	if (p->children != NULL)
		g_ptr_array_unref(p->children);
	part_free(p->encapsulated);
	g_free(p);
}

/* The end of the line starting at pos (after its LF), or end. */
static gsize
line_end(const char *d, gsize pos, gsize end)
{
	const char *lf = memchr(d + pos, '\n', end - pos);
	return lf != NULL ? (gsize)(lf - d) + 1 : end;
}

static gboolean
is_blank_line(const char *d, gsize pos, gsize end)
{
	return (pos < end && d[pos] == '\n') ||
	       (pos + 1 < end && d[pos] == '\r' && d[pos + 1] == '\n');
}

static char *
field_value(const ImapMessage *m, const Field *f)
{
	gsize end = f->end;
	while (end > f->value_start && (m->data[end - 1] == '\n' || m->data[end - 1] == '\r'))
		end--;
	GString *out = g_string_sized_new(end - f->value_start);
	for (gsize i = f->value_start; i < end; i++) {
		if (m->data[i] != '\r' && m->data[i] != '\n')
			g_string_append_c(out, m->data[i]);
	}
	char *v = g_string_free(out, FALSE);
	return g_strstrip(v);
}

/* The raw (unfolded) value of the first field of that name, or NULL. */
static char *
part_header(const ImapMessage *m, const Part *p, const char *name)
{
	gsize n = strlen(name);
	for (guint i = 0; i < p->fields->len; i++) {
		const Field *f = &g_array_index(p->fields, Field, i);
		if (f->name_len == n && g_ascii_strncasecmp(m->data + f->start, name, n) == 0)
			return field_value(m, f);
	}
	return NULL;
}

static Part *parse_entity(ImapMessage *m, gsize start, gsize end, gboolean digest, guint depth);

/* Splits a multipart body at its delimiter lines "--boundary" (the CRLF
 * before a delimiter belongs to it); the close delimiter "--boundary--"
 * ends it, the preamble and epilogue belong to no part. */
static void
split_multipart(ImapMessage *m, Part *p, const char *boundary, gboolean digest, guint depth)
{
	const char *d = m->data;
	gsize blen = strlen(boundary);
	gboolean in_part = FALSE;
	gsize part_start = 0;
	for (gsize pos = p->body; pos < p->end;) {
		gsize next = line_end(d, pos, p->end);
		if (next - pos >= blen + 2 && d[pos] == '-' && d[pos + 1] == '-' &&
		    memcmp(d + pos + 2, boundary, blen) == 0) {
			gsize after = pos + 2 + blen;
			gboolean close = after + 1 < next && d[after] == '-' && d[after + 1] == '-';
			gsize k = close ? after + 2 : after;
			while (k < next && (d[k] == ' ' || d[k] == '\t'))
				k++;
			if (k == next || d[k] == '\r' || d[k] == '\n') {
				if (in_part) {
					gsize part_end = pos;
					if (part_end > part_start && d[part_end - 1] == '\n')
						part_end--;
					if (part_end > part_start && d[part_end - 1] == '\r')
						part_end--;
					g_ptr_array_add(p->children,
					                parse_entity(m, part_start, part_end,
					                             digest, depth + 1));
				}
				if (close) {
					in_part = FALSE;
					break;
				}
				in_part = TRUE;
				part_start = next;
			}
		}
		pos = next;
	}
	if (in_part)
		g_ptr_array_add(p->children,
		                parse_entity(m, part_start, p->end, digest, depth + 1));
	if (p->children->len == 0) /* RFC 3501's grammar needs one part at least */
		g_ptr_array_add(p->children, parse_entity(m, p->end, p->end, FALSE, depth + 1));
}

static Part *
parse_entity(ImapMessage *m, gsize start, gsize end, gboolean digest, guint depth)
{
	const char *d = m->data;
	Part *p = g_new0(Part, 1);
	p->start = start;
	p->end = end;
	p->fields = g_array_new(FALSE, FALSE, sizeof(Field));
	gsize pos = start;
	while (pos < end && !is_blank_line(d, pos, end)) {
		gsize next = line_end(d, pos, end);
		if ((d[pos] == ' ' || d[pos] == '\t') && p->fields->len > 0) {
			g_array_index(p->fields, Field, p->fields->len - 1).end = next;
		} else {
			const char *colon = memchr(d + pos, ':', next - pos);
			if (colon != NULL) {
				gsize nl = (gsize)(colon - (d + pos));
				while (nl > 0 &&
				       (d[pos + nl - 1] == ' ' || d[pos + nl - 1] == '\t'))
					nl--;
				Field f = {.start = pos,
				           .name_len = nl,
				           .value_start = (gsize)(colon - d) + 1,
				           .end = next};
				g_array_append_val(p->fields, f);
			}
		}
		pos = next;
	}
	p->body = pos < end ? line_end(d, pos, end) : end;

	g_autofree char *ctype = part_header(m, p, "Content-Type");
	if (ctype != NULL)
		p->ct = g_mime_content_type_parse(NULL, ctype);
	if (p->ct == NULL || g_mime_content_type_get_media_type(p->ct) == NULL) {
		g_clear_object(&p->ct);
		p->ct = digest ? g_mime_content_type_new("message", "rfc822")
		               : g_mime_content_type_new("text", "plain");
		if (!digest)
			g_mime_content_type_set_parameter(p->ct, "charset", "us-ascii");
	}
	if (depth >= MAX_DEPTH)
		return p; /* deeper structure is served as an opaque leaf */
	const char *boundary = g_mime_content_type_get_parameter(p->ct, "boundary");
	if (g_mime_content_type_is_type(p->ct, "multipart", "*") && boundary != NULL &&
	    boundary[0] != '\0') {
		p->multipart = TRUE;
		p->children = g_ptr_array_new_with_free_func((GDestroyNotify)part_free);
		split_multipart(m, p, boundary,
		                g_mime_content_type_is_type(p->ct, "multipart", "digest"), depth);
	} else if (g_mime_content_type_is_type(p->ct, "message", "rfc822")) {
		p->message = TRUE;
		p->encapsulated = parse_entity(m, p->body, p->end, FALSE, depth + 1);
	}
	return p;
}

ImapMessage *
imap_message_new(GBytes *bytes)
{
	ImapMessage *m = g_new0(ImapMessage, 1);
	m->bytes = g_bytes_ref(bytes);
	m->data = g_bytes_get_data(bytes, &m->len);
	if (m->data == NULL)
		m->data = "";
	m->root = parse_entity(m, 0, m->len, FALSE, 0);
	return m;
}

void
imap_message_free(ImapMessage *msg)
{
	if (msg == NULL)
		return;
	part_free(msg->root);
	g_bytes_unref(msg->bytes);
	g_free(msg);
}

/* --- ENVELOPE --- */

static gboolean
is_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((guchar)*s >= 0x80)
			return FALSE;
	}
	return TRUE;
}

static void
append_address(GString *out, InternetAddress *ia)
{
	if (INTERNET_ADDRESS_IS_GROUP(ia)) {
		/* Group syntax: (NIL NIL "name" NIL) members (NIL NIL NIL NIL). */
		g_string_append(out, "(NIL NIL ");
		imap_append_nstring(out, internet_address_get_name(ia));
		g_string_append(out, " NIL)");
		InternetAddressList *members =
		    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia));
		for (int i = 0; members != NULL && i < internet_address_list_length(members); i++)
			append_address(out, internet_address_list_get_address(members, i));
		g_string_append(out, "(NIL NIL NIL NIL)");
		return;
	}
	const char *name = internet_address_get_name(ia);
	g_autofree char *encoded = NULL;
	if (name != NULL && name[0] == '\0')
		name = NULL;
	if (name != NULL && !is_ascii(name))
		name = encoded = g_mime_utils_header_encode_phrase(NULL, name, "utf-8");
	const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
	const char *at = addr != NULL ? strrchr(addr, '@') : NULL;
	g_autofree char *local =
	    at != NULL ? g_strndup(addr, (gsize)(at - addr)) : g_strdup(addr != NULL ? addr : "");
	g_string_append_c(out, '(');
	imap_append_nstring(out, name);
	g_string_append(out, " NIL ");
	imap_append_nstring(out, local[0] != '\0' ? local : "MISSING_MAILBOX");
	g_string_append_c(out, ' ');
	imap_append_nstring(out, at != NULL && at[1] != '\0' ? at + 1 : "MISSING_DOMAIN");
	g_string_append_c(out, ')');
}

static void
append_address_list(GString *out, const char *value)
{
	InternetAddressList *list = value != NULL ? internet_address_list_parse(NULL, value) : NULL;
	if (list == NULL || internet_address_list_length(list) == 0) {
		g_string_append(out, "NIL");
		g_clear_object(&list);
		return;
	}
	g_string_append_c(out, '(');
	for (int i = 0; i < internet_address_list_length(list); i++)
		append_address(out, internet_address_list_get_address(list, i));
	g_string_append_c(out, ')');
	g_object_unref(list);
}

static void
write_envelope(const ImapMessage *m, const Part *p, GString *out)
{
	g_autofree char *date = part_header(m, p, "Date");
	g_autofree char *subject = part_header(m, p, "Subject");
	g_autofree char *from = part_header(m, p, "From");
	g_autofree char *sender = part_header(m, p, "Sender");
	g_autofree char *reply_to = part_header(m, p, "Reply-To");
	g_autofree char *to = part_header(m, p, "To");
	g_autofree char *cc = part_header(m, p, "Cc");
	g_autofree char *bcc = part_header(m, p, "Bcc");
	g_autofree char *in_reply_to = part_header(m, p, "In-Reply-To");
	g_autofree char *message_id = part_header(m, p, "Message-ID");
	g_string_append_c(out, '(');
	imap_append_nstring(out, date);
	g_string_append_c(out, ' ');
	imap_append_nstring(out, subject);
	g_string_append_c(out, ' ');
	append_address_list(out, from);
	g_string_append_c(out, ' ');
	/* Sender and Reply-To default to From (RFC 3501 §7.4.2). */
	append_address_list(out, sender != NULL && sender[0] != '\0' ? sender : from);
	g_string_append_c(out, ' ');
	append_address_list(out, reply_to != NULL && reply_to[0] != '\0' ? reply_to : from);
	g_string_append_c(out, ' ');
	append_address_list(out, to);
	g_string_append_c(out, ' ');
	append_address_list(out, cc);
	g_string_append_c(out, ' ');
	append_address_list(out, bcc);
	g_string_append_c(out, ' ');
	imap_append_nstring(out, in_reply_to);
	g_string_append_c(out, ' ');
	imap_append_nstring(out, message_id);
	g_string_append_c(out, ')');
}

void
imap_message_write_envelope(ImapMessage *msg, GString *out)
{
	write_envelope(msg, msg->root, out);
}

/* --- BODYSTRUCTURE --- */

static void
append_params(GString *out, GMimeParamList *list)
{
	int n = list != NULL ? g_mime_param_list_length(list) : 0;
	if (n == 0) {
		g_string_append(out, "NIL");
		return;
	}
	g_string_append_c(out, '(');
	for (int i = 0; i < n; i++) {
		GMimeParam *param = g_mime_param_list_get_parameter_at(list, i);
		const char *name = g_mime_param_get_name(param);
		const char *value = g_mime_param_get_value(param);
		if (i > 0)
			g_string_append_c(out, ' ');
		if (g_mime_param_get_encoding_method(param) ==
		    GMIME_PARAM_ENCODING_METHOD_RFC2231) {
			/* As it was written: name*=charset'lang'percent-encoded (RFC 2231). */
			g_autofree char *star = g_strconcat(name, "*", NULL);
			imap_append_nstring(out, star);
			g_autofree char *esc = g_uri_escape_string(value, "!#$&+-.^_`|~", FALSE);
			const char *cs = g_mime_param_get_charset(param);
			const char *lang = g_mime_param_get_lang(param);
			g_autofree char *v = g_strdup_printf("%s'%s'%s", cs != NULL ? cs : "UTF-8",
			                                     lang != NULL ? lang : "", esc);
			g_string_append_c(out, ' ');
			imap_append_nstring(out, v);
		} else {
			imap_append_nstring(out, name);
			g_string_append_c(out, ' ');
			imap_append_nstring(out, value);
		}
	}
	g_string_append_c(out, ')');
}

static void
append_disposition(GString *out, const ImapMessage *m, const Part *p)
{
	g_autofree char *raw = part_header(m, p, "Content-Disposition");
	GMimeContentDisposition *disp =
	    raw != NULL ? g_mime_content_disposition_parse(NULL, raw) : NULL;
	if (disp == NULL || g_mime_content_disposition_get_disposition(disp) == NULL) {
		g_string_append(out, "NIL");
		g_clear_object(&disp);
		return;
	}
	g_string_append_c(out, '(');
	imap_append_nstring(out, g_mime_content_disposition_get_disposition(disp));
	g_string_append_c(out, ' ');
	append_params(out, g_mime_content_disposition_get_parameters(disp));
	g_string_append_c(out, ')');
	g_object_unref(disp);
}

static void
append_language(GString *out, const ImapMessage *m, const Part *p)
{
	g_autofree char *raw = part_header(m, p, "Content-Language");
	g_auto(GStrv) langs = raw != NULL ? g_strsplit(raw, ",", -1) : NULL;
	guint n = langs != NULL ? g_strv_length(langs) : 0;
	if (n == 0 || (n == 1 && g_strstrip(langs[0])[0] == '\0')) {
		g_string_append(out, "NIL");
		return;
	}
	if (n > 1)
		g_string_append_c(out, '(');
	for (guint i = 0; i < n; i++) {
		if (i > 0)
			g_string_append_c(out, ' ');
		imap_append_nstring(out, g_strstrip(langs[i]));
	}
	if (n > 1)
		g_string_append_c(out, ')');
}

static void
append_header_or_nil(GString *out, const ImapMessage *m, const Part *p, const char *name)
{
	g_autofree char *v = part_header(m, p, name);
	imap_append_nstring(out, v);
}

/* Lines of a body as Dovecot counts them: its line ends. The CRLF before a
 * boundary belongs to the boundary, so a part's last line often has none. */
static guint
count_lines(const ImapMessage *m, gsize start, gsize end)
{
	guint n = 0;
	for (const char *q = m->data + start; q < m->data + end; q++)
		n += *q == '\n';
	return n;
}

static void
write_part(const ImapMessage *m, const Part *p, GString *out, gboolean ext)
{
	g_string_append_c(out, '(');
	if (p->multipart) {
		for (guint i = 0; i < p->children->len; i++)
			write_part(m, g_ptr_array_index(p->children, i), out, ext);
		g_string_append_c(out, ' ');
		imap_append_nstring(out, g_mime_content_type_get_media_subtype(p->ct));
		if (ext) {
			g_string_append_c(out, ' ');
			append_params(out, g_mime_content_type_get_parameters(p->ct));
			g_string_append_c(out, ' ');
			append_disposition(out, m, p);
			g_string_append_c(out, ' ');
			append_language(out, m, p);
			g_string_append_c(out, ' ');
			append_header_or_nil(out, m, p, "Content-Location");
		}
		g_string_append_c(out, ')');
		return;
	}
	imap_append_nstring(out, g_mime_content_type_get_media_type(p->ct));
	g_string_append_c(out, ' ');
	imap_append_nstring(out, g_mime_content_type_get_media_subtype(p->ct));
	g_string_append_c(out, ' ');
	append_params(out, g_mime_content_type_get_parameters(p->ct));
	g_string_append_c(out, ' ');
	append_header_or_nil(out, m, p, "Content-ID");
	g_string_append_c(out, ' ');
	append_header_or_nil(out, m, p, "Content-Description");
	g_string_append_c(out, ' ');
	g_autofree char *enc = part_header(m, p, "Content-Transfer-Encoding");
	imap_append_nstring(out, enc != NULL && enc[0] != '\0' ? enc : "7bit");
	g_string_append_printf(out, " %" G_GSIZE_FORMAT, p->end - p->body);
	if (p->message) {
		g_string_append_c(out, ' ');
		write_envelope(m, p->encapsulated, out);
		g_string_append_c(out, ' ');
		write_part(m, p->encapsulated, out, ext);
		g_string_append_printf(out, " %u", count_lines(m, p->body, p->end));
	} else if (g_mime_content_type_is_type(p->ct, "text", "*")) {
		g_string_append_printf(out, " %u", count_lines(m, p->body, p->end));
	}
	if (ext) {
		g_string_append_c(out, ' ');
		append_header_or_nil(out, m, p, "Content-MD5");
		g_string_append_c(out, ' ');
		append_disposition(out, m, p);
		g_string_append_c(out, ' ');
		append_language(out, m, p);
		g_string_append_c(out, ' ');
		append_header_or_nil(out, m, p, "Content-Location");
	}
	g_string_append_c(out, ')');
}

void
imap_message_write_bodystructure(ImapMessage *msg, GString *out, gboolean extensible)
{
	write_part(msg, msg->root, out, extensible);
}

/* --- Sections (RFC 3501 §6.4.5) --- */

/* The numbered parts of a message entity: its children when multipart,
 * else the message itself is part 1. Returns the n-th (from 1) or NULL. */
static Part *
message_subpart(Part *msg, guint32 n)
{
	if (msg->multipart)
		return n <= msg->children->len ? g_ptr_array_index(msg->children, n - 1) : NULL;
	return n == 1 ? msg : NULL;
}

static Part *
resolve(Part *root, const guint32 *numbers, guint count)
{
	Part *cur = message_subpart(root, numbers[0]);
	for (guint k = 1; cur != NULL && k < count; k++) {
		if (cur->multipart)
			cur = numbers[k] <= cur->children->len
			          ? g_ptr_array_index(cur->children, numbers[k] - 1)
			          : NULL;
		else if (cur->message)
			cur = message_subpart(cur->encapsulated, numbers[k]);
		else
			cur = NULL;
	}
	return cur;
}

static GBytes *
slice(const ImapMessage *m, gsize start, gsize end)
{
	return g_bytes_new_from_bytes(m->bytes, start, end - start);
}

static GBytes *
header_fields(const ImapMessage *m, const Part *p, char **names, gboolean not )
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < p->fields->len; i++) {
		const Field *f = &g_array_index(p->fields, Field, i);
		gboolean listed = FALSE;
		for (char **n = names; *n != NULL && !listed; n++)
			listed = strlen(*n) == f->name_len &&
			         g_ascii_strncasecmp(m->data + f->start, *n, f->name_len) == 0;
		if (listed != not )
			g_string_append_len(out, m->data + f->start, (gssize)(f->end - f->start));
	}
	g_string_append(out, "\r\n");
	return g_string_free_to_bytes(out);
}

GBytes *
imap_message_get_section(ImapMessage *msg, const ImapFetchAtt *att)
{
	Part *p = msg->root;
	if (att->n_part > 0) {
		p = resolve(msg->root, att->part, att->n_part);
		if (p == NULL)
			return NULL;
		if (att->text == IMAP_SECTION_WHOLE)
			return slice(msg, p->body, p->end);
		if (att->text == IMAP_SECTION_MIME)
			return slice(msg, p->start, p->body);
		/* HEADER, TEXT, HEADER.FIELDS of a part: of the message inside a
		 * message/rfc822 part. */
		if (!p->message)
			return NULL;
		p = p->encapsulated;
	}
	switch (att->text) {
	case IMAP_SECTION_WHOLE:
		return slice(msg, p->start, p->end);
	case IMAP_SECTION_HEADER:
		return slice(msg, p->start, p->body);
	case IMAP_SECTION_TEXT:
		return slice(msg, p->body, p->end);
	case IMAP_SECTION_HEADER_FIELDS:
		return header_fields(msg, p, att->fields, FALSE);
	case IMAP_SECTION_HEADER_FIELDS_NOT:
		return header_fields(msg, p, att->fields, TRUE);
	case IMAP_SECTION_MIME:
		break;
	}
	return NULL;
}

/* --- SEARCH --- */

static char *
decode_value(const ImapMessage *m, const Field *f)
{
	g_autofree char *raw = field_value(m, f);
	char *decoded = g_mime_utils_header_decode_text(NULL, raw);
	if (decoded == NULL || !g_utf8_validate(decoded, -1, NULL)) {
		g_free(decoded);
		return g_utf8_make_valid(raw, -1);
	}
	return decoded;
}

char *
imap_message_header_text(ImapMessage *msg, const char *name)
{
	GString *out = NULL;
	gsize n = strlen(name);
	for (guint i = 0; i < msg->root->fields->len; i++) {
		const Field *f = &g_array_index(msg->root->fields, Field, i);
		if (f->name_len != n || g_ascii_strncasecmp(msg->data + f->start, name, n) != 0)
			continue;
		g_autofree char *v = decode_value(msg, f);
		if (out == NULL)
			out = g_string_new(v);
		else
			g_string_append_printf(out, "\n%s", v);
	}
	return out != NULL ? g_string_free(out, FALSE) : NULL;
}

char *
imap_message_all_headers_text(ImapMessage *msg)
{
	GString *out = g_string_new(NULL);
	for (guint i = 0; i < msg->root->fields->len; i++) {
		const Field *f = &g_array_index(msg->root->fields, Field, i);
		g_autofree char *v = decode_value(msg, f);
		g_string_append_len(out, msg->data + f->start, (gssize)f->name_len);
		g_string_append_printf(out, ": %s\n", v);
	}
	return g_string_free(out, FALSE);
}

static void
collect_text(GMimeObject *parent, GMimeObject *part, gpointer data)
{
	(void)parent;
	if (!GMIME_IS_TEXT_PART(part))
		return;
	g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	if (text != NULL)
		g_string_append_printf(data, "%s\n", text);
}

char *
imap_message_body_text(ImapMessage *msg)
{
	GString *out = g_string_new(NULL);
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(msg->data, msg->len);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, NULL);
	if (message != NULL) {
		/* Visits the top part too, then those of multiparts. */
		g_mime_message_foreach(message, collect_text, out);
		g_object_unref(message);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	char *valid = g_utf8_make_valid(out->str, (gssize)out->len);
	g_string_free(out, TRUE);
	return valid;
}

gboolean
imap_message_sent_date(ImapMessage *msg, GDate *date_r)
{
	g_autofree char *raw = part_header(msg, msg->root, "Date");
	if (raw == NULL)
		return FALSE;
	g_autoptr(GDateTime) dt = g_mime_utils_header_decode_date(raw);
	if (dt == NULL)
		return FALSE;
	g_date_clear(date_r, 1);
	g_date_set_dmy(date_r, (GDateDay)g_date_time_get_day_of_month(dt),
	               (GDateMonth)g_date_time_get_month(dt), (GDateYear)g_date_time_get_year(dt));
	return TRUE;
}
