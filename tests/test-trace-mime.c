/* The MIME decoder on messages from the reference captures and on crafted
 * ones (a forwarded message, a missing closing boundary, raw 8-bit headers),
 * and the header tables it explains from. */
#include "proto/mime-headers.h"
#include "proto/rfc5322-headers.h"
#include "trace/trace-mime.h"

#include <string.h>

static void
collect(gpointer user_data, TraceEvent *ev)
{
	g_ptr_array_add(user_data, trace_event_copy(ev));
}

static GPtrArray *
decode_file(const char *name, gboolean headers_only)
{
	const char *top = g_getenv("FACTEUR_TOP");
	g_autofree char *path =
	    g_build_filename(top != NULL ? top : ".", "tests", "mime", name, NULL);
	gchar *data = NULL;
	gsize len = 0;
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_autoptr(GByteArray) msg = g_byte_array_new_take((guint8 *)data, len);
	GPtrArray *events = g_ptr_array_new_with_free_func((GDestroyNotify)trace_event_free);
	TraceMimeOptions opt = {
	    .dir = TRACE_DIR_C2S, .headers_only = headers_only, .max_depth = 16};
	trace_mime_decode(msg, &opt, collect, events);
	return events;
}

static const TraceEvent *
find(GPtrArray *events, TraceKind kind, const char *name, const char *part, guint skip)
{
	for (guint i = 0; i < events->len; i++) {
		const TraceEvent *ev = events->pdata[i];
		if (ev->kind == kind && (name == NULL || g_strcmp0(ev->name, name) == 0) &&
		    (part == NULL || g_strcmp0(ev->part, part) == 0) && skip-- == 0)
			return ev;
	}
	return NULL;
}

/* "o1 o2 c" : the boundary events in order with their part numbers. */
static char *
boundaries(GPtrArray *events)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < events->len; i++) {
		const TraceEvent *ev = events->pdata[i];
		if (ev->kind != TRACE_KIND_MIME)
			continue;
		if (ev->mime == TRACE_MIME_BOUNDARY_OPEN)
			g_string_append_printf(s, "o%s ", ev->part);
		else if (ev->mime == TRACE_MIME_BOUNDARY_CLOSE)
			g_string_append_printf(s, "c%s ", *ev->part != '\0' ? ev->part : "-");
	}
	return g_strchomp(g_string_free(s, FALSE));
}

static void
test_multipart(void)
{
	g_autoptr(GPtrArray) ev = decode_file("multipart.eml", FALSE);
	const TraceEvent *from = find(ev, TRACE_KIND_HEADER, "From", "", 0);
	g_assert_cmpstr(from->value, ==, "=?ISO-8859-1?Q?Bob_L=E9ger?= <bob@example.org>");
	g_assert_cmpstr(from->decoded, ==, "Bob Léger <bob@example.org>");
	g_assert_cmpstr(from->explain[0].rfc, ==, "RFC 5322 §3.6.2");
	const TraceEvent *subject = find(ev, TRACE_KIND_HEADER, "Subject", "", 0);
	g_assert_cmpstr(subject->decoded, ==, "Résumé de la réunion — été 2026 à Montréal");
	/* Folded on the wire, unfolded in value; raw keeps the folding. */
	const TraceEvent *ct = find(ev, TRACE_KIND_HEADER, "Content-Type", "", 0);
	g_assert_cmpstr(ct->value, ==, "multipart/mixed; boundary=\"=_refcap_mixed_0001\"");
	g_assert_nonnull(memchr(ct->raw, '\n', ct->raw_len));
	const TraceEvent *boundary = find(ev, TRACE_KIND_HEADER, "boundary", "", 0);
	g_assert_cmpstr(boundary->param_of, ==, "Content-Type");
	g_assert_cmpstr(boundary->value, ==, "=_refcap_mixed_0001");
	g_assert_cmpstr(boundary->explain[0].rfc, ==, "RFC 2046 §5.1.1");
	g_autofree char *b = boundaries(ev);
	g_assert_cmpstr(b, ==, "o1 o2 o3 c-");
	/* Sizes of the parts: as transferred and after decoding. */
	const TraceEvent *png = find(ev, TRACE_KIND_MIME, NULL, "3", 1);
	g_assert_cmpint(png->mime, ==, TRACE_MIME_PART);
	g_assert_cmpstr(png->value, ==, "image/png");
	g_assert_cmpint(png->size, ==, 926);
	g_assert_cmpint(png->decoded_size, ==, 677);
	const TraceEvent *filename = find(ev, TRACE_KIND_HEADER, "filename", "3", 0);
	g_assert_cmpstr(filename->value, ==, "logo.png");
	g_assert_cmpstr(filename->explain[0].rfc, ==, "RFC 2183 §2.3");
	g_assert_nonnull(find(ev, TRACE_KIND_MIME, NULL, "", 0));
	const TraceEvent *pre = NULL;
	for (guint i = 0; i < ev->len && pre == NULL; i++)
		if (((TraceEvent *)ev->pdata[i])->mime == TRACE_MIME_PREAMBLE)
			pre = ev->pdata[i];
	g_assert_nonnull(pre);
	g_assert_null(find(ev, TRACE_KIND_NOTE, NULL, NULL, 0));
}

static void
test_nested_rfc2231(void)
{
	g_autoptr(GPtrArray) ev = decode_file("nested.eml", FALSE);
	g_autofree char *b = boundaries(ev);
	g_assert_cmpstr(b, ==, "o1 o1.1 o1.2 o1.2.1 o1.2.2 c1.2 c1 o2 c-");
	const TraceEvent *html = find(ev, TRACE_KIND_MIME, NULL, "1.2.1", 1);
	g_assert_cmpstr(html->value, ==, "text/html");
	g_assert_cmpuint(html->depth, ==, 3);
	g_assert_cmpint(html->decoded_size, ==, 131);
	const TraceEvent *f = find(ev, TRACE_KIND_HEADER, "filename*", "2", 0);
	g_assert_cmpstr(f->value, ==, "UTF-8''r%C3%A9sum%C3%A9.pdf");
	g_assert_cmpstr(f->decoded, ==, "résumé.pdf");
	const TraceEvent *type = find(ev, TRACE_KIND_HEADER, "type", "1.2", 0);
	g_assert_cmpstr(type->explain[0].rfc, ==, "RFC 2387 §3.1");
}

static void
test_forwarded(void)
{
	g_autoptr(GPtrArray) ev = decode_file("forwarded.eml", FALSE);
	/* The encapsulated message's header is one level deeper, its body part 2.1. */
	const TraceEvent *subject = find(ev, TRACE_KIND_HEADER, "Subject", "2", 0);
	g_assert_cmpuint(subject->depth, ==, 2);
	g_assert_cmpstr(subject->decoded, ==, "réunion");
	const TraceEvent *body = find(ev, TRACE_KIND_MIME, NULL, "2.1", 0);
	g_assert_cmpstr(body->value, ==, "text/plain");
	g_assert_cmpint(body->size, ==, 16);
	g_assert_cmpint(body->decoded_size, ==, 14);
}

static void
test_missing_close_and_content_length(void)
{
	g_autoptr(GPtrArray) ev = decode_file("no-closing-boundary.eml", FALSE);
	g_autofree char *b = boundaries(ev);
	g_assert_cmpstr(b, ==, "o1 o2");
	const TraceEvent *note = find(ev, TRACE_KIND_NOTE, "no-closing-boundary", NULL, 0);
	g_assert_cmpstr(note->value, ==, "--B1--");
	const TraceEvent *cl = find(ev, TRACE_KIND_HEADER, "Content-Length", NULL, 0);
	g_assert_nonnull(strstr(cl->explain[0].text, "Not a mail header"));
}

/* A multipart without its boundary parameter: GMime says so, and the
 * tracer invents no boundary (GMime's getter would make up a random one). */
static void
test_no_boundary(void)
{
	g_autoptr(GPtrArray) ev = decode_file("no-boundary.eml", FALSE);
	g_autofree char *b = boundaries(ev);
	g_assert_cmpstr(b, ==, "");
	g_assert_null(find(ev, TRACE_KIND_NOTE, "no-closing-boundary", NULL, 0));
	g_assert_null(find(ev, TRACE_KIND_HEADER, "boundary", NULL, 0));
	const TraceEvent *warn = find(ev, TRACE_KIND_NOTE, "mime-warning", NULL, 0);
	g_assert_nonnull(warn);
	g_assert_cmpstr(warn->value, ==, "mixed");
	/* Everything after the headers is the preamble, "--x" included. */
	gboolean preamble = FALSE;
	for (guint i = 0; i < ev->len; i++) {
		const TraceEvent *e = ev->pdata[i];
		if (e->kind == TRACE_KIND_MIME && e->mime == TRACE_MIME_PREAMBLE)
			preamble = e->size > 0;
	}
	g_assert_true(preamble);
}

static void
test_raw_8bit_and_headers_only(void)
{
	g_autoptr(GPtrArray) ev = decode_file("raw-8bit.eml", FALSE);
	const TraceEvent *subject = find(ev, TRACE_KIND_HEADER, "Subject", NULL, 0);
	g_assert_cmpstr(subject->value, ==, "pas encodé");
	gboolean warned = FALSE;
	for (guint i = 0; i < subject->n_explain; i++)
		warned |= g_strcmp0(subject->explain[i].rfc, "RFC 6532 §3") == 0;
	g_assert_true(warned);

	g_autoptr(GPtrArray) hdr = decode_file("forwarded.eml", TRUE);
	g_assert_null(find(hdr, TRACE_KIND_MIME, NULL, "1", 0));
	g_assert_nonnull(find(hdr, TRACE_KIND_HEADER, "Subject", "", 0));
	g_assert_null(find(hdr, TRACE_KIND_NOTE, NULL, NULL, 0));
}

static void
test_tables(void)
{
	/* Every header the issue names, explained with an RFC section. */
	static const char *const rfc5322[] = {"From",     "To",         "Cc",          "Subject",
	                                      "Date",     "Message-ID", "In-Reply-To", "References",
	                                      "Reply-To", "Received",   "Return-Path"};
	for (gsize i = 0; i < G_N_ELEMENTS(rfc5322); i++)
		g_assert_nonnull(rfc5322_header_lookup(rfc5322[i], strlen(rfc5322[i])));
	static const char *const mime[] = {
	    "MIME-Version",  "Content-Type",        "Content-Transfer-Encoding",
	    "Content-ID",    "Content-Disposition", "Content-Description",
	    "Content-Length"};
	for (gsize i = 0; i < G_N_ELEMENTS(mime); i++)
		g_assert_nonnull(mime_header_lookup(mime[i], strlen(mime[i])));
	g_assert_nonnull(mime_param_lookup("Content-Type", "boundary"));
	g_assert_nonnull(mime_param_lookup("Content-Type", "charset"));
	g_assert_nonnull(mime_param_lookup("Content-Type", "name"));
	g_assert_nonnull(mime_param_lookup("Content-Disposition", "filename*"));
	g_assert_null(mime_param_lookup("Content-Disposition", "boundary"));
	g_assert_cmpstr(mime_type_lookup("image", "x-icon")->name, ==, "image/");
	g_assert_cmpstr(mime_type_lookup("multipart", "alternative")->rfc, ==, "RFC 2046 §5.1.4");
	g_assert_cmpstr(rfc5322_header_optional("X-Mailer", 8)->name, ==, "X-");
	g_assert_nonnull(mime_encoding_lookup("BASE64"));
	g_assert_nonnull(mime_disposition_lookup("attachment"));

	/* Every row well formed: a name, an RFC reference, an explanation. */
	for (gsize i = 0; i < rfc5322_header_table_len; i++) {
		const Rfc5322HeaderInfo *r = &rfc5322_header_table[i];
		g_assert_true(*r->name != '\0');
		g_assert_true(g_str_has_prefix(r->rfc, "RFC "));
		g_assert_cmpuint(strlen(r->explain), >, 20);
	}
	const struct {
		const MimeInfo *rows;
		gsize n;
	} tables[] = {
	    {mime_header_table, mime_header_table_len},
	    {mime_param_table, mime_param_table_len},
	    {mime_encoding_table, mime_encoding_table_len},
	    {mime_type_table, mime_type_table_len},
	    {mime_disposition_table, mime_disposition_table_len},
	};
	for (gsize t = 0; t < G_N_ELEMENTS(tables); t++)
		for (gsize i = 0; i < tables[t].n; i++) {
			g_assert_true(*tables[t].rows[i].name != '\0');
			g_assert_true(g_str_has_prefix(tables[t].rows[i].rfc, "RFC "));
			g_assert_cmpuint(strlen(tables[t].rows[i].explain), >, 10);
		}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/trace-mime/multipart", test_multipart);
	g_test_add_func("/trace-mime/nested-rfc2231", test_nested_rfc2231);
	g_test_add_func("/trace-mime/forwarded", test_forwarded);
	g_test_add_func("/trace-mime/missing-close", test_missing_close_and_content_length);
	g_test_add_func("/trace-mime/no-boundary", test_no_boundary);
	g_test_add_func("/trace-mime/raw-8bit-headers-only", test_raw_8bit_and_headers_only);
	g_test_add_func("/trace-mime/tables", test_tables);
	return g_test_run();
}
