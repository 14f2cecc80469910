/* The MIME tree of the IMAP server against Dovecot: the message that
 * Python's imaplib appended in the reference capture, and the ENVELOPE,
 * BODYSTRUCTURE and section contents Dovecot 2.3 answered for it, byte for
 * byte (tests/data/imap-dovecot-*.bin, extracted from the capture). */
#include "proto/imap-parser.h"
#include "server/imap-message.h"

#include <gmime/gmime.h>
#include <string.h>

static GBytes *
read_data(const char *name)
{
	const char *top = g_getenv("FACTEUR_TOP");
	g_autofree char *path =
	    g_build_filename(top != NULL ? top : ".", "tests", "data", name, NULL);
	g_autoptr(GError) error = NULL;
	char *contents;
	gsize len;
	if (!g_file_get_contents(path, &contents, &len, &error))
		g_error("%s", error->message);
	return g_bytes_new_take(contents, len);
}

/* The literal of the command with this tag, in the client's stream. */
static GBytes *
appended_message(const char *tag)
{
	g_autoptr(GBytes) stream = read_data("imap-dovecot-c2s.bin");
	gsize len;
	const char *data = g_bytes_get_data(stream, &len);
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_COMMANDS, NULL);
	gsize pos = 0;
	while (pos < len) {
		gsize used;
		ImapParseResult r = imap_parser_feed(p, data + pos, len - pos, &used);
		pos += used;
		if (r == IMAP_PARSE_LITERAL_WAIT &&
		    g_strcmp0(imap_arg_nth(imap_parser_get_args(p), 0)->data, "Nulle-part") == 0)
			imap_parser_reset(p);
		if (r == IMAP_PARSE_DONE && g_strcmp0(imap_parser_get_tag(p), tag) == 0) {
			const ImapArg *args = imap_parser_get_args(p);
			const ImapArg *lit = imap_arg_nth(args, imap_arg_count(args) - 1);
			g_assert_cmpint(lit->type, ==, IMAP_ARG_LITERAL);
			return g_bytes_new(lit->data, lit->len);
		}
	}
	g_assert_not_reached();
}

/* Dovecot's answer: the untagged FETCH responses of the server's stream, in
 * order; the n-th FETCH of message 2. */
static const ImapResponse *
dovecot_fetch(ImapParser *p, GBytes *stream, gsize *pos, guint skip)
{
	gsize len;
	const char *data = g_bytes_get_data(stream, &len);
	while (*pos < len) {
		gsize used;
		ImapParseResult r = imap_parser_feed(p, data + *pos, len - *pos, &used);
		*pos += used;
		g_assert_cmpint(r, !=, IMAP_PARSE_ERROR);
		if (r != IMAP_PARSE_DONE)
			continue;
		const ImapResponse *resp = imap_parser_get_response(p);
		if (resp->has_number && resp->number == 2 &&
		    g_ascii_strcasecmp(resp->keyword, "FETCH") == 0 && skip-- == 0)
			return resp;
	}
	g_assert_not_reached();
}

static void
test_dovecot(void)
{
	g_autoptr(GBytes) bytes = appended_message("IEMA12");
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 2830);
	g_autoptr(ImapMessage) msg = imap_message_new(bytes);

	g_autoptr(GBytes) s2c = read_data("imap-dovecot-s2c.bin");
	g_autoptr(ImapParser) rp = imap_parser_new(IMAP_PARSER_RESPONSES, NULL);
	gsize pos = 0;
	/* "* 2 FETCH (FLAGS … UID 2 …)" comes first: skip it. */
	dovecot_fetch(rp, s2c, &pos, 0);
	const ImapResponse *r = dovecot_fetch(rp, s2c, &pos, 0);
	g_autofree char *line = g_strdup(r->line);

	g_autoptr(GString) ours = g_string_new("* 2 FETCH (ENVELOPE ");
	imap_message_write_envelope(msg, ours);
	g_string_append(ours, " BODYSTRUCTURE ");
	imap_message_write_bodystructure(msg, ours, TRUE);
	g_string_append(ours, ")");
	g_assert_cmpstr(ours->str, ==, line);

	/* BODY.PEEK[HEADER], BODY[1], then BODY.PEEK[1.2.2.MIME] BODY.PEEK[2]<0.64>. */
	static const char *const sections[] = {"BODY[HEADER]", "BODY[1]", "BODY[1.2.2.MIME]",
	                                       "BODY[2]<0.64>"};
	guint k = 0;
	for (guint f = 0; f < 3; f++) {
		r = dovecot_fetch(rp, s2c, &pos, 0);
		guint iter = 0;
		const char *name;
		const ImapArg *value;
		while (imap_response_fetch_next(r, &iter, &name, &value)) {
			if (value->type != IMAP_ARG_LITERAL)
				continue;
			ImapFetchAtt att;
			g_assert_true(imap_fetch_att_parse(sections[k], &att, NULL));
			g_autoptr(GBytes) got = imap_message_get_section(msg, &att);
			g_assert_nonnull(got);
			gsize glen = g_bytes_get_size(got);
			if (att.has_partial)
				glen = MIN(glen - att.partial_start, att.partial_length);
			g_assert_cmpmem((const char *)g_bytes_get_data(got, NULL) +
			                    att.partial_start,
			                glen, value->data, value->len);
			imap_fetch_att_clear(&att);
			k++;
		}
	}
	g_assert_cmpuint(k, ==, 4);
}

/* Part numbering of RFC 3501 §6.4.5 on a message with a message/rfc822 part. */
static void
test_sections(void)
{
	static const char raw[] = "From: a@example.org\r\n"
	                          "Subject: outer\r\n"
	                          "Content-Type: multipart/mixed; boundary=\"B\"\r\n"
	                          "\r\n"
	                          "preamble\r\n"
	                          "--B\r\n"
	                          "Content-Type: text/plain\r\n"
	                          "\r\n"
	                          "first\r\n"
	                          "--B\r\n"
	                          "Content-Type: message/rfc822\r\n"
	                          "\r\n"
	                          "From: b@example.org\r\n"
	                          "Subject: inner\r\n"
	                          "\r\n"
	                          "inner body\r\n"
	                          "--B--\r\n"
	                          "epilogue\r\n";
	g_autoptr(GBytes) bytes = g_bytes_new_static(raw, sizeof(raw) - 1);
	g_autoptr(ImapMessage) msg = imap_message_new(bytes);
	static const struct {
		const char *att;
		const char *expected; /* NULL: no such part */
	} cases[] = {
	    {"BODY[1]", "first"},
	    {"BODY[1.MIME]", "Content-Type: text/plain\r\n\r\n"},
	    {"BODY[2]", "From: b@example.org\r\nSubject: inner\r\n\r\ninner body"},
	    {"BODY[2.HEADER]", "From: b@example.org\r\nSubject: inner\r\n\r\n"},
	    {"BODY[2.TEXT]", "inner body"},
	    {"BODY[2.1]", "inner body"},
	    {"BODY[2.HEADER.FIELDS (subject)]", "Subject: inner\r\n\r\n"},
	    {"BODY[HEADER.FIELDS.NOT (Content-Type From)]", "Subject: outer\r\n\r\n"},
	    {"BODY[3]", NULL},
	    {"BODY[1.1]", NULL},
	    {"BODY[1.HEADER]", NULL},
	    {"BODY[TEXT]", NULL /* checked below */},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(cases) - 1; i++) {
		ImapFetchAtt att;
		g_assert_true(imap_fetch_att_parse(cases[i].att, &att, NULL));
		g_autoptr(GBytes) got = imap_message_get_section(msg, &att);
		if (cases[i].expected == NULL) {
			g_assert_null(got);
		} else {
			g_assert_nonnull(got);
			g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got),
			                cases[i].expected, strlen(cases[i].expected));
		}
		imap_fetch_att_clear(&att);
	}
	g_autoptr(GString) bs = g_string_new(NULL);
	imap_message_write_bodystructure(msg, bs, FALSE);
	g_assert_cmpstr(
	    bs->str, ==,
	    "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 0)(\"message\" \"rfc822\" NIL "
	    "NIL NIL \"7bit\" 49 (NIL \"inner\" ((NIL NIL \"b\" \"example.org\")) ((NIL "
	    "NIL \"b\" \"example.org\")) ((NIL NIL \"b\" \"example.org\")) NIL NIL NIL "
	    "NIL NIL) (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 "
	    "0) 3) \"mixed\")");
	g_autofree char *subject = imap_message_header_text(msg, "subject");
	g_assert_cmpstr(subject, ==, "outer");
}

/* A message that is not multipart: part 1 is its body. */
static void
test_single_part(void)
{
	static const char raw[] = "Subject: =?ISO-8859-1?Q?R=E9union?=\r\n"
	                          "Date: Mon, 23 Nov 2026 09:15:00 +0100\r\n"
	                          "\r\n"
	                          "Bonjour\r\n";
	g_autoptr(GBytes) bytes = g_bytes_new_static(raw, sizeof(raw) - 1);
	g_autoptr(ImapMessage) msg = imap_message_new(bytes);
	ImapFetchAtt att;
	g_assert_true(imap_fetch_att_parse("BODY[1]", &att, NULL));
	g_autoptr(GBytes) got = imap_message_get_section(msg, &att);
	g_assert_cmpmem(g_bytes_get_data(got, NULL), g_bytes_get_size(got), "Bonjour\r\n", 9);
	imap_fetch_att_clear(&att);
	g_autofree char *subject = imap_message_header_text(msg, "Subject");
	g_assert_cmpstr(subject, ==, "Réunion");
	GDate d;
	g_assert_true(imap_message_sent_date(msg, &d));
	g_assert_cmpint(g_date_get_day(&d), ==, 23);
	g_autofree char *body = imap_message_body_text(msg);
	g_assert_nonnull(strstr(body, "Bonjour"));
}

int
main(int argc, char **argv)
{
	g_mime_init();
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/imap-message/dovecot", test_dovecot);
	g_test_add_func("/imap-message/sections", test_sections);
	g_test_add_func("/imap-message/single-part", test_single_part);
	int rc = g_test_run();
	g_mime_shutdown();
	return rc;
}
