/* Fuzz target: modified UTF-7 (src/proto/imap-utf7.h), the mailbox names of
 * IMAP. The decoder is strict so that every name has one spelling: what it
 * accepts must encode back to the same octets. Any UTF-8 must encode, and
 * decode back to itself. */
#include "fuzz-common.h"

#include "proto/imap-utf7.h"

#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	g_autofree char *text = g_strndup((const char *)data, size);

	g_autofree char *error = NULL;
	g_autofree char *utf8 = imap_utf7_decode(text, &error);
	FUZZ_CHECK((utf8 == NULL) != (error == NULL));
	if (utf8 != NULL) {
		FUZZ_CHECK(g_utf8_validate(utf8, -1, NULL));
		g_autofree char *again_error = NULL;
		g_autofree char *again = imap_utf7_encode(utf8, &again_error);
		FUZZ_CHECK(again != NULL && strcmp(again, text) == 0);
	}
	if (imap_utf7_is_plain(text)) {
		FUZZ_CHECK(utf8 != NULL && strcmp(utf8, text) == 0);
	}

	if (!g_utf8_validate(text, -1, NULL))
		return 0;
	g_autofree char *encode_error = NULL;
	g_autofree char *utf7 = imap_utf7_encode(text, &encode_error);
	FUZZ_CHECK(utf7 != NULL && encode_error == NULL);
	FUZZ_CHECK(imap_utf7_is_plain(utf7) || strchr(utf7, '&') != NULL);
	g_autofree char *decode_error = NULL;
	g_autofree char *back = imap_utf7_decode(utf7, &decode_error);
	FUZZ_CHECK(back != NULL && strcmp(back, text) == 0);
	return 0;
}
