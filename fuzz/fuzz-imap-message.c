/* Fuzz target: the IMAP server's message parser (src/server/imap-message.h)
 * on a stored message (as APPEND and SMTP store it, with CRLF, or as a file
 * put in the Maildir by hand): ENVELOPE, BODYSTRUCTURE and BODY, sections,
 * and the decoded text SEARCH reads. What the server writes must be IMAP: a
 * FETCH response made of it must parse, as a client would read it. */
#include "fuzz-imap.h"

#include "core/crlf.h"
#include "server/imap-message.h"

#include <string.h>

static const char *const message_fuzz_sections[] = {
    "BODY[]",
    "BODY[HEADER]",
    "BODY[TEXT]",
    "BODY[1]",
    "BODY[1.MIME]",
    "BODY[1.HEADER]",
    "BODY[1.TEXT]",
    "BODY[2]",
    "BODY[2.1]",
    "BODY[2.MIME]",
    "BODY[1.2.3]",
    "BODY[3.1.MIME]",
    "BODY[2.HEADER.FIELDS (Subject From)]",
    "BODY[HEADER.FIELDS.NOT (To Content-Type)]",
};

/* The server's answer, read back as a client reads it. */
static void
message_fuzz_read_back(const GString *fetch)
{
	g_autoptr(ImapParser) p = imap_parser_new(IMAP_PARSER_RESPONSES, NULL);
	gsize used = 0;
	ImapParseResult r = imap_parser_feed(p, fetch->str, fetch->len, &used);
	if (r != IMAP_PARSE_DONE || used != fetch->len) {
		g_printerr("not IMAP (%s):\n%s", imap_parser_get_error_untranslated(p), fetch->str);
		FUZZ_CHECK(r == IMAP_PARSE_DONE && used == fetch->len);
	}
	const ImapResponse *resp = imap_parser_get_response(p);
	guint iter = 0, n = 0;
	const char *name;
	const ImapArg *value;
	while (imap_response_fetch_next(resp, &iter, &name, &value)) {
		FUZZ_CHECK(imap_arg_is_list(value));
		n++;
	}
	FUZZ_CHECK(n == 3);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	guint64 rnd = fuzz_hash(data, size);
	guint64 r = fuzz_next(&rnd);
	g_autoptr(GBytes) bytes = NULL;
	if (r & 1) {
		g_autoptr(GBytes) crlf = crlf_normalize(data, size);
		gsize len;
		const void *d = g_bytes_get_data(crlf, &len);
		bytes = g_bytes_new_take(fuzz_exact(d, len), len);
	} else {
		bytes = g_bytes_new_take(fuzz_exact(data, size), size);
	}
	g_autoptr(ImapMessage) msg = imap_message_new(bytes);

	g_autoptr(GString) fetch = g_string_new("* 1 FETCH (ENVELOPE ");
	imap_message_write_envelope(msg, fetch);
	g_string_append(fetch, " BODYSTRUCTURE ");
	imap_message_write_bodystructure(msg, fetch, TRUE);
	g_string_append(fetch, " BODY ");
	imap_message_write_bodystructure(msg, fetch, FALSE);
	g_string_append(fetch, ")\r\n");
	message_fuzz_read_back(fetch);

	gsize msg_len = g_bytes_get_size(bytes);
	for (gsize i = 0; i < G_N_ELEMENTS(message_fuzz_sections); i++) {
		ImapFetchAtt att;
		FUZZ_CHECK(imap_fetch_att_parse(message_fuzz_sections[i], &att, NULL));
		g_autoptr(GBytes) got = imap_message_get_section(msg, &att);
		if (got != NULL && att.text != IMAP_SECTION_HEADER_FIELDS &&
		    att.text != IMAP_SECTION_HEADER_FIELDS_NOT)
			FUZZ_CHECK(g_bytes_get_size(got) <= msg_len);
		imap_fetch_att_clear(&att);
	}

	g_autofree char *subject = imap_message_header_text(msg, "Subject");
	g_autofree char *from = imap_message_header_text(msg, "from");
	g_autofree char *all = imap_message_all_headers_text(msg);
	g_autofree char *body = imap_message_body_text(msg);
	FUZZ_CHECK(subject == NULL || g_utf8_validate(subject, -1, NULL));
	FUZZ_CHECK(from == NULL || g_utf8_validate(from, -1, NULL));
	/* Field names are as stored (SEARCH TEXT makes the text valid before folding). */
	FUZZ_CHECK(all != NULL);
	FUZZ_CHECK(body != NULL && g_utf8_validate(body, -1, NULL));
	GDate date;
	if (imap_message_sent_date(msg, &date))
		FUZZ_CHECK(g_date_valid(&date));
	return 0;
}
