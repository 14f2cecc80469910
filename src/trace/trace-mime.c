/* Walks the tree GMime parses and turns it into events; see trace-mime.h.
 * The message stays in the caller's buffer: GMime's parts are substreams of
 * it, so the raw header lines and part sizes come from their offsets. */
#include "trace/trace-mime.h"
#include "proto/mime-headers.h"
#include "proto/rfc5322-headers.h"
#include "trace/trace-i18n.h"

#include <gmime/gmime.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef struct {
	const TraceMimeOptions *opt;
	TraceMimeEmit emit;
	gpointer user_data;
	GByteArray *msg;
	GMimeParserOptions *popts;
	GArray *warnings; /* Warning */
} Walk;

typedef struct {
	gint64 offset;
	GMimeParserWarning code;
	char *item;
} Warning;

static gsize
init_gmime(void)
{
	static gsize once = 0;
	if (g_once_init_enter(&once)) {
		g_mime_init();
		g_once_init_leave(&once, 1);
	}
	return once;
}

static void
emit(Walk *w, TraceEvent *ev)
{
	ev->dir = w->opt->dir;
	w->emit(w->user_data, ev);
}

/* RFC 5322 §2.2.3: a CRLF followed by white space is folding, not an end. */
static char *
unfold(const char *raw)
{
	GString *s = g_string_sized_new(strlen(raw));
	for (const char *p = raw; *p != '\0'; p++)
		if (*p != '\r' && *p != '\n')
			g_string_append_c(s, *p);
	return g_strstrip(g_string_free(s, FALSE));
}

static void
explain_info(TraceEvent *ev, const char *explain, const char *rfc)
{
	if (explain != NULL)
		trace_event_explain(ev, _(explain), rfc);
}

/* The raw text of an RFC 2231 parameter ("name*=charset'lang'%XX…", or its
 * first section "name*0*=…") in a header value; GMime keeps only the decoded one. */
static char *
raw_rfc2231(const char *header_value, const char *name, char **raw_name_r)
{
	gsize n = strlen(name);
	for (const char *p = header_value; (p = strchr(p, ';')) != NULL; p++) {
		const char *q = p + 1;
		while (*q == ' ' || *q == '\t')
			q++;
		if (g_ascii_strncasecmp(q, name, n) != 0 || q[n] != '*')
			continue;
		const char *eq = strchr(q + n, '=');
		if (eq == NULL)
			continue;
		gsize end = strcspn(eq + 1, ";");
		*raw_name_r = g_strndup(q, (gsize)(eq - q));
		return g_strstrip(g_strndup(eq + 1, end));
	}
	return NULL;
}

static void
emit_param(Walk *w, const char *header, const char *header_value, GMimeParam *param,
           const char *part, guint depth)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_HEADER;
	ev.name = g_mime_param_get_name(param);
	ev.value = g_mime_param_get_value(param);
	ev.param_of = header;
	ev.part = part;
	ev.depth = depth;
	g_autofree char *charset = NULL;
	g_autofree char *raw = NULL;
	g_autofree char *raw_name = NULL;
	if (g_mime_param_get_encoding_method(param) == GMIME_PARAM_ENCODING_METHOD_RFC2231) {
		charset = g_strdup_printf("RFC 2231 (%s)", g_mime_param_get_charset(param) != NULL
		                                               ? g_mime_param_get_charset(param)
		                                               : "us-ascii");
		ev.decoded = ev.value;
		ev.value = raw = raw_rfc2231(header_value, ev.name, &raw_name);
		if (raw_name != NULL)
			ev.name = raw_name;
	}
	const MimeInfo *info = mime_param_lookup(header, g_mime_param_get_name(param));
	if (info != NULL)
		explain_info(&ev, info->explain, info->rfc);
	else
		trace_event_explain(&ev,
		                    _("A parameter this media type or disposition may define."),
		                    "RFC 2045 §5.1");
	if (charset != NULL)
		trace_event_explain(&ev,
		                    _("Written with RFC 2231 (charset''percent-encoded octets) so "
		                      "that a parameter can hold non-ASCII text."),
		                    "RFC 2231 §4");
	if (charset != NULL)
		ev.text = charset;
	emit(w, &ev);
}

static char *
decode_value(const char *name, const char *value)
{
	const Rfc5322HeaderInfo *info = rfc5322_header_lookup(name, strlen(name));
	Rfc5322Syntax syntax = info != NULL ? info->syntax : RFC5322_UNSTRUCTURED;
	if (g_ascii_strncasecmp(name, "Content-", 8) == 0 &&
	    g_ascii_strcasecmp(name, "Content-Description") != 0)
		return NULL;
	if (strstr(value, "=?") == NULL)
		return NULL;
	/* In address lists encoded-words stand for display-name words (RFC 2047
	 * §5 (3)), never inside quoted strings or addresses: decoding the words of
	 * the value as text gives the same display, without parsing addresses. */
	char *decoded = NULL;
	if (syntax == RFC5322_UNSTRUCTURED || syntax == RFC5322_ADDRESSES)
		decoded = g_mime_utils_header_decode_text(NULL, value);
	if (decoded != NULL && strcmp(decoded, value) == 0)
		g_clear_pointer(&decoded, g_free);
	return decoded;
}

static gboolean
has_8bit(const char *s)
{
	for (; *s != '\0'; s++)
		if ((guchar)*s >= 0x80)
			return TRUE;
	return FALSE;
}

static void
emit_header(Walk *w, GMimeObject *obj, GMimeHeader *h, const char *part, guint depth)
{
	const char *name = g_mime_header_get_name(h);
	const char *raw_value = g_mime_header_get_raw_value(h);
	g_autofree char *value = unfold(raw_value != NULL ? raw_value : "");
	g_autofree char *decoded = decode_value(name, value);
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_HEADER;
	ev.name = name;
	ev.value = value;
	ev.decoded = decoded;
	ev.part = part;
	ev.depth = depth;

	gsize nlen = strlen(name);
	const Rfc5322HeaderInfo *rinfo = rfc5322_header_lookup(name, nlen);
	const MimeInfo *minfo = rinfo == NULL ? mime_header_lookup(name, nlen) : NULL;
	if (rinfo != NULL) {
		explain_info(&ev, rinfo->explain, rinfo->rfc);
	} else if (minfo != NULL) {
		explain_info(&ev, minfo->explain, minfo->rfc);
	} else {
		const Rfc5322HeaderInfo *opt = rfc5322_header_optional(name, nlen);
		explain_info(&ev, opt->explain, opt->rfc);
	}
	if (raw_value != NULL && has_8bit(raw_value))
		trace_event_explain(
		    &ev,
		    _("Raw 8-bit octets in a header: allowed only when the session "
		      "negotiated SMTPUTF8 (UTF-8 headers); otherwise non-ASCII text "
		      "must travel as RFC 2047 encoded-words."),
		    "RFC 6532 §3");
	if (decoded != NULL)
		trace_event_explain(&ev,
		                    _("RFC 2047 encoded-words: =?charset?Q?…?= (quoted-printable) "
		                      "or =?charset?B?…?= (base64), decoded beside."),
		                    "RFC 2047 §2");

	/* The media type, encoding or disposition named by the value. */
	gboolean is_type = g_ascii_strcasecmp(name, "Content-Type") == 0;
	gboolean is_disp = g_ascii_strcasecmp(name, "Content-Disposition") == 0;
	GMimeContentType *ct = is_type ? g_mime_object_get_content_type(obj) : NULL;
	GMimeContentDisposition *cd = is_disp ? g_mime_object_get_content_disposition(obj) : NULL;
	if (ct != NULL) {
		const MimeInfo *t = mime_type_lookup(g_mime_content_type_get_media_type(ct),
		                                     g_mime_content_type_get_media_subtype(ct));
		if (t != NULL)
			explain_info(&ev, t->explain, t->rfc);
	} else if (cd != NULL) {
		const MimeInfo *d =
		    mime_disposition_lookup(g_mime_content_disposition_get_disposition(cd));
		if (d != NULL)
			explain_info(&ev, d->explain, d->rfc);
	} else if (g_ascii_strcasecmp(name, "Content-Transfer-Encoding") == 0) {
		const MimeInfo *e = mime_encoding_lookup(value);
		if (e != NULL)
			explain_info(&ev, e->explain, e->rfc);
	}

	/* The header line as it crossed the wire, folded lines included. */
	gint64 off = g_mime_header_get_offset(h);
	const char *raw_name = g_mime_header_get_raw_name(h);
	if (off >= 0 && raw_name != NULL && raw_value != NULL) {
		gsize len = strlen(raw_name) + 1 + strlen(raw_value);
		if ((guint64)off + len <= w->msg->len) {
			ev.raw = w->msg->data + off;
			while (len > 0 && (ev.raw[len - 1] == '\n' || ev.raw[len - 1] == '\r'))
				len--;
			ev.raw_len = len;
		}
	}
	emit(w, &ev);

	GMimeParamList *params = NULL;
	if (ct != NULL)
		params = g_mime_content_type_get_parameters(ct);
	else if (cd != NULL)
		params = g_mime_content_disposition_get_parameters(cd);
	if (params != NULL) {
		const char *hname = is_type ? "Content-Type" : "Content-Disposition";
		for (int i = 0; i < g_mime_param_list_length(params); i++)
			emit_param(w, hname, value, g_mime_param_list_get_parameter_at(params, i),
			           part, depth);
	}
}

static void
emit_headers(Walk *w, GMimeObject *obj, const char *part, guint depth)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = g_mime_header_list_get_count(list);
	for (int i = 0; i < n; i++)
		emit_header(w, obj, g_mime_header_list_get_header_at(list, i), part, depth);
}

typedef struct {
	GMimeObject *obj;
	GMimeHeader *header;
} Owned;

static gint
by_offset(gconstpointer a, gconstpointer b)
{
	gint64 x = g_mime_header_get_offset(((const Owned *)a)->header);
	gint64 y = g_mime_header_get_offset(((const Owned *)b)->header);
	return x < y ? -1 : x > y;
}

/* GMime keeps a message's Content-* fields in its body part's list: merge
 * both lists back into the order they had on the wire. */
static void
emit_message_headers(Walk *w, GMimeMessage *message, const char *part, guint depth)
{
	GMimeObject *objs[2] = {GMIME_OBJECT(message), g_mime_message_get_mime_part(message)};
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(Owned));
	for (int k = 0; k < 2; k++) {
		if (objs[k] == NULL)
			continue;
		GMimeHeaderList *list = g_mime_object_get_header_list(objs[k]);
		int n = g_mime_header_list_get_count(list);
		for (int i = 0; i < n; i++) {
			Owned o = {objs[k], g_mime_header_list_get_header_at(list, i)};
			g_array_append_val(all, o);
		}
	}
	g_array_sort(all, by_offset);
	for (guint i = 0; i < all->len; i++) {
		Owned *o = &g_array_index(all, Owned, i);
		emit_header(w, o->obj, o->header, part, depth);
	}
}

static void
emit_mime(Walk *w, TraceMimeRole role, const char *part, guint depth, const char *value,
          gint64 size, gint64 decoded_size, const char *explain, const char *rfc)
{
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_MIME;
	ev.mime = role;
	ev.part = part;
	ev.depth = depth;
	ev.value = value;
	ev.size = size;
	ev.decoded_size = decoded_size;
	trace_event_explain(&ev, explain, rfc);
	emit(w, &ev);
}

static char *
child_number(const char *part, int index)
{
	if (part == NULL || *part == '\0')
		return g_strdup_printf("%d", index + 1);
	char n[16];
	g_snprintf(n, sizeof n, ".%d", index + 1);
	return g_strconcat(part, n, NULL);
}

static void walk_object(Walk *w, GMimeObject *obj, const char *part, guint depth,
                        gboolean headers_shown);

/* Characters of the base64 alphabet in p. In a base64 body the other octets
 * are line ends, spaces and '=' padding, all below '+' but '=': testing
 * that keeps the loop simple enough for the compiler to vectorise. */
static guint64
base64_chars(const guint8 *p, gsize len)
{
	guint64 n = 0;
	gsize i = 0;
#ifdef __SSE2__
	/* 16 octets at a time; octets above 127 compare as negative: not counted. */
	const __m128i below = _mm_set1_epi8('+' - 1), pad = _mm_set1_epi8('='),
	              zero = _mm_setzero_si128();
	while (i + 16 <= len) {
		/* Per-lane counters (a match is -1), summed every 255 rounds. */
		__m128i acc = zero;
		for (int r = 0; r < 255 && i + 16 <= len; r++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			__m128i in =
			    _mm_andnot_si128(_mm_cmpeq_epi8(v, pad), _mm_cmpgt_epi8(v, below));
			acc = _mm_sub_epi8(acc, in);
		}
		__m128i sums = _mm_sad_epu8(acc, zero);
		n += (guint64)_mm_cvtsi128_si64(sums) +
		     (guint64)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums));
	}
#endif
	for (; i < len; i++)
		n += (p[i] >= '+' && p[i] < 0x80) & (p[i] != '=');
	return n;
}

/* Octets a quoted-printable body decodes to, as GMime's decoder counts
 * them: "=XX" is one octet, "=" CRLF (or LF) a soft line break, anything
 * else (an invalid "=…" included) stays as it is. */
static guint64
qp_decoded(const guint8 *p, gsize len)
{
	guint64 n = len;
	const guint8 *end = p + len;
	while ((p = memchr(p, '=', (gsize)(end - p))) != NULL) {
		gsize left = (gsize)(end - p);
		if (left >= 2 && p[1] == '\n') {
			n -= 2;
			p += 2;
		} else if (left >= 3 && p[1] == '\r' && p[2] == '\n') {
			n -= 3;
			p += 3;
		} else if (left >= 3 && g_ascii_isxdigit(p[1]) && g_ascii_isxdigit(p[2])) {
			n -= 2;
			p += 3;
		} else {
			p += left >= 3 ? 3 : left;
		}
	}
	return n;
}

/* Octets after undoing the transfer encoding. Counted, not decoded, where
 * counting is exact: identity encodings, and base64 (6 bits per character of
 * its alphabet) when the part lies in our buffer. */
static gint64
decoded_size(Walk *w, GMimeDataWrapper *content, GMimeStream *stream, gint64 size)
{
	switch (g_mime_data_wrapper_get_encoding(content)) {
	case GMIME_CONTENT_ENCODING_DEFAULT:
	case GMIME_CONTENT_ENCODING_7BIT:
	case GMIME_CONTENT_ENCODING_8BIT:
	case GMIME_CONTENT_ENCODING_BINARY:
		return size;
	case GMIME_CONTENT_ENCODING_BASE64:
	case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
		if (GMIME_IS_STREAM_MEM(stream) && GMIME_STREAM_MEM(stream)->buffer == w->msg &&
		    stream->bound_start >= 0 && (guint64)stream->bound_start <= w->msg->len) {
			gsize end =
			    stream->bound_end < 0 || (guint64)stream->bound_end > w->msg->len
			        ? w->msg->len
			        : (gsize)stream->bound_end;
			const guint8 *p = w->msg->data + stream->bound_start;
			gsize len = end - (gsize)stream->bound_start;
			if (g_mime_data_wrapper_get_encoding(content) ==
			    GMIME_CONTENT_ENCODING_BASE64)
				return (gint64)(base64_chars(p, len) * 6 / 8);
			return (gint64)qp_decoded(p, len);
		}
		break;
	default:
		break;
	}
	GMimeStream *null = g_mime_stream_null_new();
	gint64 decoded = -1;
	if (g_mime_data_wrapper_write_to_stream(content, null) >= 0)
		decoded = (gint64)GMIME_STREAM_NULL(null)->written;
	g_object_unref(null);
	return decoded;
}

static void
walk_leaf(Walk *w, GMimePart *leaf, const char *part, guint depth)
{
	GMimeObject *obj = GMIME_OBJECT(leaf);
	g_autofree char *type =
	    g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
	gint64 size = -1, decoded = -1;
	GMimeDataWrapper *content = g_mime_part_get_content(leaf);
	if (content != NULL) {
		GMimeStream *stream = g_mime_data_wrapper_get_stream(content);
		size = g_mime_stream_length(stream);
		decoded = decoded_size(w, content, stream, size);
	} else {
		size = decoded = 0;
	}
	emit_mime(w, TRACE_MIME_PART, part, depth, type, size, decoded,
	          _("A part: its headers, an empty line, then its content; size is the content "
	            "as transferred, decoded_size after undoing its transfer encoding."),
	          "RFC 2045 §3");
}

/* Where an object's content ends in our buffer, when GMime can tell (the
 * closing boundary of its parent follows); 0 when it cannot. */
static gsize
content_end(Walk *w, GMimeObject *obj)
{
	if (GMIME_IS_MULTIPART(obj)) {
		int n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		return n > 0
		           ? content_end(w, g_mime_multipart_get_part(GMIME_MULTIPART(obj), n - 1))
		           : 0;
	}
	if (!GMIME_IS_PART(obj))
		return 0;
	GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(obj));
	GMimeStream *stream = content != NULL ? g_mime_data_wrapper_get_stream(content) : NULL;
	if (stream == NULL || !GMIME_IS_STREAM_MEM(stream) ||
	    GMIME_STREAM_MEM(stream)->buffer != w->msg || stream->bound_end < 0 ||
	    (guint64)stream->bound_end > w->msg->len)
		return 0;
	return (gsize)stream->bound_end;
}

static gboolean
closing_present(Walk *w, const char *boundary, GMimeObject *last_child)
{
	g_autofree char *needle = g_strconcat("--", boundary, "--", NULL);
	gsize from = last_child != NULL ? content_end(w, last_child) : 0;
	if (from == 0 && last_child != NULL) {
		GMimeHeaderList *hl = g_mime_object_get_header_list(last_child);
		if (g_mime_header_list_get_count(hl) > 0) {
			gint64 off =
			    g_mime_header_get_offset(g_mime_header_list_get_header_at(hl, 0));
			if (off > 0 && (guint64)off < w->msg->len)
				from = (gsize)off;
		}
	}
	return memmem(w->msg->data + from, w->msg->len - from, needle, strlen(needle)) != NULL;
}

static void
walk_multipart(Walk *w, GMimeMultipart *mp, const char *part, guint depth)
{
	GMimeObject *obj = GMIME_OBJECT(mp);
	g_autofree char *type =
	    g_mime_content_type_get_mime_type(g_mime_object_get_content_type(obj));
	int n = g_mime_multipart_get_count(mp);
	emit_mime(w, TRACE_MIME_PART, part, depth, type, -1, -1,
	          _("A multipart body: its parts one after the other, each introduced by a "
	            "boundary line."),
	          "RFC 2046 §5.1");
	/* From the header, not g_mime_multipart_get_boundary(): that one makes up
	 * a random boundary when the header has none. */
	const char *boundary = g_mime_object_get_content_type_parameter(obj, "boundary");
	const char *prologue = g_mime_multipart_get_prologue(mp);
	if (prologue != NULL && *prologue != '\0')
		emit_mime(w, TRACE_MIME_PREAMBLE, part, depth, NULL, (gint64)strlen(prologue), -1,
		          _("The preamble, before the first boundary: ignored by MIME readers, "
		            "shown only by old clients (\"This is a multi-part message\")."),
		          "RFC 2046 §5.1.1");
	if (depth >= w->opt->max_depth) {
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "mime-depth";
		ev.part = part;
		trace_event_explain(&ev, _("Parts nested deeper are not shown."), NULL);
		emit(w, &ev);
		return;
	}
	g_autofree char *open = g_strconcat("--", boundary != NULL ? boundary : "", NULL);
	for (int i = 0; i < n; i++) {
		g_autofree char *num = child_number(part, i);
		emit_mime(w, TRACE_MIME_BOUNDARY_OPEN, num, depth + 1, open, -1, -1,
		          _("Opening boundary line: \"--\" and the boundary; the next part starts "
		            "on the following line."),
		          "RFC 2046 §5.1.1");
		walk_object(w, g_mime_multipart_get_part(mp, i), num, depth + 1, FALSE);
	}
	if (boundary == NULL)
		return;
	g_autofree char *close = g_strconcat("--", boundary, "--", NULL);
	if (closing_present(w, boundary, n > 0 ? g_mime_multipart_get_part(mp, n - 1) : NULL)) {
		emit_mime(w, TRACE_MIME_BOUNDARY_CLOSE, part, depth, close, -1, -1,
		          _("Closing boundary line: the boundary followed by \"--\"; the multipart "
		            "ends here."),
		          "RFC 2046 §5.1.1");
	} else {
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "no-closing-boundary";
		ev.part = part;
		ev.value = close;
		trace_event_explain(
		    &ev,
		    w->opt->partial ? _("The closing boundary line is not there, as expected: "
		                        "only the beginning of the message was asked for (TOP).")
		                    : _("The closing boundary line is missing: the message was "
		                        "cut, or its writer forgot it. Readers take the last part "
		                        "to the end."),
		    "RFC 2046 §5.1.1");
		emit(w, &ev);
	}
	const char *epilogue = g_mime_multipart_get_epilogue(mp);
	if (epilogue != NULL && *epilogue != '\0' && strspn(epilogue, "\r\n") != strlen(epilogue))
		emit_mime(w, TRACE_MIME_EPILOGUE, part, depth, NULL, (gint64)strlen(epilogue), -1,
		          _("The epilogue, after the closing boundary: ignored by readers."),
		          "RFC 2046 §5.1.1");
}

static void
walk_object(Walk *w, GMimeObject *obj, const char *part, guint depth, gboolean headers_shown)
{
	if (!headers_shown)
		emit_headers(w, obj, part, depth);
	if (GMIME_IS_MULTIPART(obj)) {
		walk_multipart(w, GMIME_MULTIPART(obj), part, depth);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		emit_mime(w, TRACE_MIME_PART, part, depth, "message/rfc822", -1, -1,
		          _("A whole message inside this part, with its own headers and body."),
		          "RFC 2046 §5.2.1");
		if (inner != NULL) {
			emit_message_headers(w, inner, part, depth + 1);
			GMimeObject *body = g_mime_message_get_mime_part(inner);
			if (body != NULL) {
				g_autofree char *num = GMIME_IS_MULTIPART(body)
				                           ? g_strdup(part)
				                           : child_number(part, 0);
				walk_object(w, body, num, depth + 1, TRUE);
			}
		}
	} else if (GMIME_IS_PART(obj)) {
		walk_leaf(w, GMIME_PART(obj), part, depth);
	}
}

static void
on_warning(gint64 offset, GMimeParserWarning code, const char *item, gpointer user_data)
{
	Walk *w = user_data;
	/* A header block alone has no body: not a truncation. */
	if (w->warnings->len >= 16 ||
	    ((w->opt->headers_only || w->opt->partial) && code == GMIME_WARN_TRUNCATED_MESSAGE))
		return;
	Warning warn = {offset, code, g_strdup(item)};
	g_array_append_val(w->warnings, warn);
}

static const char *
warning_text(GMimeParserWarning code)
{
	switch (code) {
	case GMIME_WARN_DUPLICATED_HEADER:
		return N_("A header that may appear only once is repeated.");
	case GMIME_WARN_DUPLICATED_PARAMETER:
		return N_("A parameter is repeated.");
	case GMIME_WARN_UNENCODED_8BIT_HEADER:
		return N_("A header holds raw 8-bit octets: non-ASCII text in headers must be "
		          "written as RFC 2047 encoded-words (or the session must use SMTPUTF8).");
	case GMIME_WARN_INVALID_CONTENT_TYPE:
		return N_("An invalid Content-Type: readers treat the part as "
		          "application/octet-stream.");
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
		return N_("A malformed RFC 2047 encoded-word.");
	case GMIME_WARN_INVALID_PARAMETER:
		return N_("A malformed header parameter.");
	case GMIME_WARN_MALFORMED_MULTIPART:
		return N_("A multipart without any part: its boundary never appears.");
	case GMIME_WARN_TRUNCATED_MESSAGE:
		return N_("The message is truncated.");
	case GMIME_WARN_MALFORMED_MESSAGE:
		return N_("The message is malformed.");
	case GMIME_WARN_INVALID_ADDRESS_LIST:
		return N_("An address list that does not follow RFC 5322 §3.4.");
	case GMIME_CRIT_INVALID_HEADER_NAME:
		return N_("A line in the header block is not a header (no name and colon).");
	case GMIME_CRIT_CONFLICTING_HEADER:
		return N_("Conflicting headers.");
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		return N_("The same parameter twice with different values (often a filename "
		          "and its RFC 2231 form filename*, sent together for old readers): "
		          "readers keep one of them.");
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		return N_("A multipart Content-Type without its boundary parameter.");
	case GMIME_CRIT_NESTING_OVERFLOW:
		return N_("Too many nested parts.");
	case GMIME_WARN_PART_WITHOUT_CONTENT:
		return N_("A part whose headers are followed directly by a boundary line.");
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		return N_("A part with neither headers nor content.");
	default:
		return N_("GMime reports a problem in the message.");
	}
}

void
trace_mime_decode(GByteArray *msg, const TraceMimeOptions *options, TraceMimeEmit emit_func,
                  gpointer user_data)
{
	init_gmime();
	Walk w = {options, emit_func, user_data, msg, NULL, NULL};
	w.warnings = g_array_new(FALSE, FALSE, sizeof(Warning));
	w.popts = g_mime_parser_options_new();
	g_mime_parser_options_set_warning_callback(w.popts, on_warning, &w);

	GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(msg);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	GMimeMessage *message = g_mime_parser_construct_message(parser, w.popts);

	guint64 wire = options->wire_size > msg->len ? options->wire_size : msg->len;
	if (message != NULL) {
		GMimeObject *body = g_mime_message_get_mime_part(message);
		emit_mime(&w, TRACE_MIME_PART, "", 0,
		          options->headers_only ? "header" : "message/rfc822", (gint64)wire, -1,
		          options->headers_only
		              ? _("A header block: one field per line (name, colon, value; "
		                  "lines starting with a space continue the previous one), "
		                  "ended by an empty line.")
		              : _("A message: the header block, an empty line, then the body."),
		          "RFC 5322 §2.1");
		emit_message_headers(&w, message, "", 0);
		if (!options->headers_only && body != NULL) {
			if (GMIME_IS_MULTIPART(body))
				walk_object(&w, body, "", 0, TRUE);
			else
				walk_object(&w, body, "1", 1, TRUE);
		}
	}
	if (wire > msg->len) {
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "message-cut";
		ev.size = (gint64)(wire - msg->len);
		trace_event_explain(&ev,
		                    _("Only the beginning of this message was kept for decoding "
		                      "(memory limit or missing octets); the rest is not shown."),
		                    NULL);
		emit(&w, &ev);
	}
	for (guint i = 0; i < w.warnings->len; i++) {
		Warning *warn = &g_array_index(w.warnings, Warning, i);
		TraceEvent ev;
		trace_event_init(&ev);
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "mime-warning";
		ev.value = warn->item;
		trace_event_explain(&ev, _(warning_text(warn->code)), NULL);
		emit(&w, &ev);
		g_free(warn->item);
	}
	g_array_unref(w.warnings);
	if (message != NULL)
		g_object_unref(message);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(w.popts);
}
