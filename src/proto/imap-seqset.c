/* Sequence sets: parse, test membership, and write a list of numbers back as
 * a compact set (for COPYUID). */
#include "proto/imap-seqset.h"

#include "core/facteur-i18n.h"

#include <stdlib.h>

void
imap_seqset_free(ImapSeqSet *set)
{
	if (set == NULL)
		return;
	g_array_unref(set->ranges);
	g_free(set);
}

/* seq-number = nz-number / "*" */
static gboolean
parse_seq_number(const char **p, guint32 *n_r, gboolean *star_r, char **error_r)
{
	const char *s = *p;
	if (*s == '*') {
		*star_r = TRUE;
		*n_r = 0;
		*p = s + 1;
		return TRUE;
	}
	if (!g_ascii_isdigit(*s)) {
		*error_r = g_strdup(_("Invalid sequence set: a number or “*” is expected (for "
		                      "example 1:3,5,7:*)."));
		return FALSE;
	}
	guint64 n = 0;
	while (g_ascii_isdigit(*s)) {
		n = n * 10 + (guint64)(*s - '0');
		if (n > G_MAXUINT32) {
			*error_r = g_strdup(_("Invalid sequence set: numbers stop at "
			                      "4294967295."));
			return FALSE;
		}
		s++;
	}
	if (n == 0) {
		*error_r = g_strdup(_("Invalid sequence set: numbers start at 1, not 0."));
		return FALSE;
	}
	*star_r = FALSE;
	*n_r = (guint32)n;
	*p = s;
	return TRUE;
}

ImapSeqSet *
imap_seqset_parse(const char *text, char **error_r)
{
	g_autoptr(ImapSeqSet) set = g_new0(ImapSeqSet, 1);
	set->ranges = g_array_new(FALSE, FALSE, sizeof(ImapSeqRange));
	char *error = NULL;
	const char *p = text;
	for (;;) {
		ImapSeqRange r = {0};
		if (!parse_seq_number(&p, &r.lo, &r.lo_star, &error))
			goto fail;
		if (*p == ':') {
			p++;
			if (!parse_seq_number(&p, &r.hi, &r.hi_star, &error))
				goto fail;
		} else {
			r.hi = r.lo;
			r.hi_star = r.lo_star;
		}
		g_array_append_val(set->ranges, r);
		if (*p == '\0')
			break;
		if (*p != ',') {
			error = g_strdup(_("Invalid sequence set: only digits, “:”, “,” and “*” "
			                   "are allowed."));
			goto fail;
		}
		p++;
	}
	return g_steal_pointer(&set);
fail:
	if (error_r != NULL)
		*error_r = error;
	else
		g_free(error);
	return NULL;
}

gboolean
imap_seqset_contains(const ImapSeqSet *set, guint32 n, guint32 star)
{
	for (guint i = 0; i < set->ranges->len; i++) {
		const ImapSeqRange *r = &g_array_index(set->ranges, ImapSeqRange, i);
		guint32 a = r->lo_star ? star : r->lo;
		guint32 b = r->hi_star ? star : r->hi;
		if (a > b) {
			guint32 t = a;
			a = b;
			b = t;
		}
		if (n >= a && n <= b)
			return TRUE;
	}
	return FALSE;
}

static int
cmp_u32(const void *a, const void *b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;
	return x < y ? -1 : x > y;
}

char *
imap_seqset_format(const guint32 *numbers, gsize n_numbers)
{
	GString *out = g_string_new(NULL);
	g_autofree guint32 *sorted = g_memdup2(numbers, n_numbers * sizeof(guint32));
	if (n_numbers > 0)
		qsort(sorted, n_numbers, sizeof(guint32), cmp_u32);
	gsize i = 0;
	while (i < n_numbers) {
		gsize j = i;
		while (j + 1 < n_numbers &&
		       (sorted[j + 1] == sorted[j] || sorted[j + 1] == sorted[j] + 1))
			j++;
		if (out->len > 0)
			g_string_append_c(out, ',');
		if (sorted[j] == sorted[i])
			g_string_append_printf(out, "%u", sorted[i]);
		else
			g_string_append_printf(out, "%u:%u", sorted[i], sorted[j]);
		i = j + 1;
	}
	return g_string_free(out, FALSE);
}
