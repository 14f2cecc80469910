/* See crlf.h. */
#include "core/crlf.h"

GBytes *
crlf_normalize(const void *data, gsize len)
{
	const char *p = data;
	GByteArray *out = g_byte_array_sized_new((guint)(len + len / 32 + 2));
	gsize start = 0;
	for (gsize i = 0; i < len; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r')) {
			g_byte_array_append(out, (const guint8 *)p + start, (guint)(i - start));
			g_byte_array_append(out, (const guint8 *)"\r\n", 2);
			start = i + 1;
		}
	}
	g_byte_array_append(out, (const guint8 *)p + start, (guint)(len - start));
	return g_byte_array_free_to_bytes(out);
}
