/* One direction's reassembly; see trace-reasm.h. Sequence numbers compare
 * in serial-number arithmetic (RFC 1982) so that wrap-around is harmless. */
#include "trace/trace-reasm.h"

#include <string.h>

typedef struct Segment {
	struct Segment *next;
	guint32 seq;
	gsize len;
	guint8 data[];
} Segment;

struct _TraceReasm {
	TraceReasmFuncs funcs;
	gpointer user_data;
	gsize max_buffered;
	gboolean started;
	guint32 next; /* next sequence number to hand on */
	gboolean fin_seen;
	guint32 fin_seq;
	Segment *pending; /* sorted by seq, all after next */
	gsize buffered;
};

/* a - b as a signed distance. */
static gint32
seq_diff(guint32 a, guint32 b)
{
	return (gint32)(a - b);
}

TraceReasm *
trace_reasm_new(const TraceReasmFuncs *funcs, gpointer user_data, gsize max_buffered)
{
	TraceReasm *r = g_new0(TraceReasm, 1);
	r->funcs = *funcs;
	r->user_data = user_data;
	r->max_buffered = max_buffered;
	return r;
}

void
trace_reasm_free(TraceReasm *r)
{
	if (r == NULL)
		return;
	for (Segment *s = r->pending, *n; s != NULL; s = n) {
		n = s->next;
		g_free(s);
	}
	g_free(r);
}

void
trace_reasm_syn(TraceReasm *r, guint32 isn)
{
	if (r->started)
		return;
	r->started = TRUE;
	r->next = isn + 1;
}

static void
deliver(TraceReasm *r, const guint8 *data, gsize len)
{
	if (len == 0)
		return;
	r->next += (guint32)len;
	r->funcs.data(r->user_data, data, len);
}

static void
gap_to(TraceReasm *r, guint32 seq)
{
	gint32 d = seq_diff(seq, r->next);
	if (d <= 0)
		return;
	r->next = seq;
	r->funcs.gap(r->user_data, (guint64)d);
}

/* Hands on the waiting segments that now touch next. */
static void
drain(TraceReasm *r)
{
	while (r->pending != NULL && seq_diff(r->pending->seq, r->next) <= 0) {
		Segment *s = r->pending;
		r->pending = s->next;
		r->buffered -= s->len;
		gint32 old = seq_diff(r->next, s->seq);
		if ((gsize)old < s->len)
			deliver(r, s->data + old, s->len - (gsize)old);
		g_free(s);
	}
}

static void
keep(TraceReasm *r, guint32 seq, const guint8 *data, gsize len)
{
	Segment **at = &r->pending;
	while (*at != NULL && seq_diff((*at)->seq, seq) < 0)
		at = &(*at)->next;
	/* The same segment twice (a retransmission of an out-of-order one). */
	if (*at != NULL && (*at)->seq == seq && (*at)->len >= len)
		return;
	Segment *s = g_malloc(sizeof(Segment) + len);
	s->seq = seq;
	s->len = len;
	memcpy(s->data, data, len);
	s->next = *at;
	*at = s;
	r->buffered += len;
	/* Bounded memory: give up waiting for the hole before the first segment. */
	while (r->buffered > r->max_buffered && r->pending != NULL) {
		gap_to(r, r->pending->seq);
		drain(r);
	}
}

TraceReasmResult
trace_reasm_segment(TraceReasm *r, guint32 seq, const guint8 *data, gsize len)
{
	if (len == 0)
		return TRACE_REASM_EMPTY;
	if (!r->started) {
		r->started = TRUE;
		r->next = seq;
	}
	gint32 d = seq_diff(seq, r->next);
	if (d > 0) {
		keep(r, seq, data, len);
		return TRACE_REASM_OUT_OF_ORDER;
	}
	gsize old = (gsize)(-(gint64)d);
	if (old >= len)
		return TRACE_REASM_RETRANSMITTED;
	deliver(r, data + old, len - old);
	drain(r);
	return old > 0 ? TRACE_REASM_OVERLAP : TRACE_REASM_IN_ORDER;
}

TraceReasmResult
trace_reasm_classify(const TraceReasm *r, guint32 seq, gsize len)
{
	if (len == 0)
		return TRACE_REASM_EMPTY;
	if (!r->started)
		return TRACE_REASM_IN_ORDER;
	gint32 d = seq_diff(seq, r->next);
	if (d > 0)
		return TRACE_REASM_OUT_OF_ORDER;
	gsize old = (gsize)(-(gint64)d);
	return old >= len ? TRACE_REASM_RETRANSMITTED
	       : old > 0  ? TRACE_REASM_OVERLAP
	                  : TRACE_REASM_IN_ORDER;
}

void
trace_reasm_skip(TraceReasm *r, guint64 n)
{
	if (!r->started || n == 0)
		return;
	gap_to(r, r->next + (guint32)MIN(n, (guint64)G_MAXINT32));
	drain(r);
}

void
trace_reasm_fin(TraceReasm *r, guint32 seq)
{
	if (!r->started) {
		r->started = TRUE;
		r->next = seq;
	}
	r->fin_seen = TRUE;
	r->fin_seq = seq;
}

void
trace_reasm_ack(TraceReasm *r, guint32 ack)
{
	if (!r->started)
		return;
	guint32 limit = ack;
	/* The FIN takes one sequence number of its own. */
	if (r->fin_seen && seq_diff(ack, r->fin_seq) > 0)
		limit = r->fin_seq;
	if (seq_diff(limit, r->next) <= 0)
		return;
	/* Waiting segments before the acknowledged point: the hole before each is lost. */
	while (r->pending != NULL && seq_diff(r->pending->seq, limit) < 0) {
		gap_to(r, r->pending->seq);
		drain(r);
	}
	gap_to(r, limit);
}

void
trace_reasm_flush(TraceReasm *r)
{
	while (r->pending != NULL) {
		gap_to(r, r->pending->seq);
		drain(r);
	}
	if (r->fin_seen)
		gap_to(r, r->fin_seq);
}

gsize
trace_reasm_buffered(const TraceReasm *r)
{
	return r->buffered;
}

gboolean
trace_reasm_finished(const TraceReasm *r)
{
	return r->fin_seen && r->pending == NULL && seq_diff(r->fin_seq, r->next) <= 0;
}
