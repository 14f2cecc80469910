/* Modified UTF-7 (RFC 3501 §5.1.3), written by hand because GLib's charset
 * conversion knows UTF-7 (RFC 2152) but not IMAP's variant: "&" instead of
 * "+", "," instead of "/", no padding, and a strict canonical form. */
#include "proto/imap-utf7.h"

#include "core/facteur-i18n.h"

#include <string.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

static gboolean
is_direct(gunichar c)
{
	return c >= 0x20 && c <= 0x7e;
}

static void
flush_shift(GString *out, const guint16 *units, gsize n)
{
	guint32 bits = 0;
	guint nbits = 0;
	g_string_append_c(out, '&');
	for (gsize i = 0; i < n; i++) {
		bits = (bits << 16) | units[i];
		nbits += 16;
		while (nbits >= 6) {
			nbits -= 6;
			g_string_append_c(out, b64[(bits >> nbits) & 0x3f]);
		}
		bits &= (1u << nbits) - 1;
	}
	if (nbits > 0)
		g_string_append_c(out, b64[(bits << (6 - nbits)) & 0x3f]);
	g_string_append_c(out, '-');
}

char *
imap_utf7_encode(const char *utf8, char **error_r)
{
	if (!g_utf8_validate(utf8, -1, NULL)) {
		if (error_r != NULL)
			*error_r = g_strdup(_("The mailbox name is not valid UTF-8."));
		return NULL;
	}
	GString *out = g_string_new(NULL);
	g_autoptr(GArray) units = g_array_new(FALSE, FALSE, sizeof(guint16));
	for (const char *p = utf8; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (is_direct(c)) {
			if (units->len > 0) {
				flush_shift(out, (const guint16 *)(void *)units->data, units->len);
				g_array_set_size(units, 0);
			}
			if (c == '&')
				g_string_append(out, "&-");
			else
				g_string_append_c(out, (char)c);
			continue;
		}
		if (c >= 0x10000) {
			guint16 hi = (guint16)(0xd800 + ((c - 0x10000) >> 10));
			guint16 lo = (guint16)(0xdc00 + ((c - 0x10000) & 0x3ff));
			g_array_append_val(units, hi);
			g_array_append_val(units, lo);
		} else {
			guint16 u = (guint16)c;
			g_array_append_val(units, u);
		}
	}
	if (units->len > 0)
		flush_shift(out, (const guint16 *)(void *)units->data, units->len);
	return g_string_free(out, FALSE);
}

static int
b64_value(char c)
{
	const char *p = c != '\0' ? strchr(b64, c) : NULL;
	return p != NULL ? (int)(p - b64) : -1;
}

static char *
fail(char **error_r, GString *out, char *msg)
{
	g_string_free(out, TRUE);
	if (error_r != NULL)
		*error_r = msg;
	else
		g_free(msg);
	return NULL;
}

char *
imap_utf7_decode(const char *utf7, char **error_r)
{
	GString *out = g_string_new(NULL);
	gboolean last_was_shift = FALSE;
	const char *p = utf7;
	while (*p != '\0') {
		guchar c = (guchar)*p;
		if (c != '&') {
			if (!is_direct(c))
				return fail(
				    error_r, out,
				    g_strdup_printf(_("The octet 0x%02X may not appear in a "
				                      "mailbox name in modified UTF-7: "
				                      "non-ASCII characters are encoded "
				                      "between “&” and “-” (RFC 3501 "
				                      "§5.1.3)."),
				                    c));
			g_string_append_c(out, (char)c);
			last_was_shift = FALSE;
			p++;
			continue;
		}
		p++;
		if (*p == '-') {
			g_string_append_c(out, '&');
			last_was_shift = FALSE;
			p++;
			continue;
		}
		if (last_was_shift)
			return fail(error_r, out,
			            g_strdup(_("Two “&…-” sequences in a row: modified UTF-7 "
			                       "writes them as one (RFC 3501 §5.1.3).")));
		guint32 bits = 0;
		guint nbits = 0;
		gunichar high = 0;
		gsize nunits = 0;
		while (*p != '-') {
			int v = b64_value(*p);
			if (v < 0) {
				if (*p == '\0')
					return fail(error_r, out,
					            g_strdup(_("A “&” sequence is not closed by "
					                       "“-” in modified UTF-7.")));
				return fail(error_r, out,
				            g_strdup_printf(_("The character “%c” is not in the "
				                              "base64 alphabet of modified UTF-7 "
				                              "(which uses “,” instead of “/”)."),
				                            g_ascii_isprint(*p) ? *p : '?'));
			}
			bits = (bits << 6) | (guint32)v;
			nbits += 6;
			p++;
			if (nbits < 16)
				continue;
			nbits -= 16;
			gunichar u = (bits >> nbits) & 0xffff;
			bits &= (1u << nbits) - 1;
			nunits++;
			if (high != 0) {
				if (u < 0xdc00 || u > 0xdfff)
					return fail(error_r, out,
					            g_strdup(_("A UTF-16 high surrogate is not "
					                       "followed by a low surrogate.")));
				g_string_append_unichar(out, 0x10000 + ((high - 0xd800) << 10) +
				                                 (u - 0xdc00));
				high = 0;
			} else if (u >= 0xd800 && u <= 0xdbff) {
				high = u;
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return fail(error_r, out,
				            g_strdup(_("A UTF-16 low surrogate comes without its "
				                       "high surrogate.")));
			} else if (u == 0) {
				/* It would end the name as a C string: "a&AAA-b" is not "a". */
				return fail(
				    error_r, out,
				    g_strdup_printf(_("The octet 0x%02X may not appear in a "
				                      "mailbox name in modified UTF-7: "
				                      "non-ASCII characters are encoded "
				                      "between “&” and “-” (RFC 3501 "
				                      "§5.1.3)."),
				                    0u));
			} else if (is_direct(u)) {
				return fail(error_r, out,
				            g_strdup_printf(_("“%c” is encoded in base64 but must "
				                              "be written as itself in modified "
				                              "UTF-7."),
				                            (char)u));
			} else {
				g_string_append_unichar(out, u);
			}
		}
		p++; /* '-' */
		if (high != 0)
			return fail(error_r, out,
			            g_strdup(_("A UTF-16 high surrogate ends a “&…-” sequence.")));
		if (nunits == 0 || nbits >= 6 || bits != 0)
			return fail(error_r, out,
			            g_strdup(_("A “&…-” sequence of modified UTF-7 has leftover "
			                       "bits: its base64 is cut in the wrong place.")));
		last_was_shift = TRUE;
	}
	return g_string_free(out, FALSE);
}

gboolean
imap_utf7_is_plain(const char *name)
{
	for (const char *p = name; *p != '\0'; p++) {
		if (!is_direct((guchar)*p) || *p == '&')
			return FALSE;
	}
	return TRUE;
}
