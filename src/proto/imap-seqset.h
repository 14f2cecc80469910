/* IMAP sequence sets (RFC 3501 §9 sequence-set): "1:3,5,7:*" for message
 * numbers or, after UID, for UIDs. "*" stands for the largest number in use,
 * which only the mailbox knows: resolve with imap_seqset_contains(). */
#pragma once

#include <glib.h>

typedef struct {
	guint32 lo, hi; /* as written: "7:3" is lo 7, hi 3 (the same range as 3:7) */
	gboolean lo_star, hi_star;
} ImapSeqRange;

typedef struct {
	GArray *ranges; /* ImapSeqRange */
} ImapSeqSet;

/* NULL and *error_r (a translated sentence) when text is not a sequence set:
 * empty parts, 0, numbers over 4294967295, other characters. */
ImapSeqSet *imap_seqset_parse(const char *text, char **error_r);
void imap_seqset_free(ImapSeqSet *set);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapSeqSet, imap_seqset_free)

/* Whether n is in the set, "*" meaning star (the largest message number, or
 * the largest UID in use; RFC 3501 §6.4.8: "*" is never smaller than n's
 * mailbox allows, so "5:*" with star 3 is the range 3:5). */
gboolean imap_seqset_contains(const ImapSeqSet *set, guint32 n, guint32 star);
/* Written back compactly: ascending, ranges merged ("1:3,7"). */
char *imap_seqset_format(const guint32 *numbers, gsize n_numbers);
