/* TCP reassembly of one direction of one connection, by sequence number:
 * in-order data is handed on at once, out-of-order segments wait (bounded),
 * retransmissions and overlaps are trimmed, and what the capture never saw
 * is handed on as a gap so that the decoder can resynchronise. */
#pragma once

#include <glib.h>

typedef struct {
	/* In-order octets; data points into the caller's segment or into the
	 * reassembler's buffer, valid during the call only. */
	void (*data)(gpointer user_data, const guint8 *data, gsize len);
	/* len octets were never captured. */
	void (*gap)(gpointer user_data, guint64 len);
} TraceReasmFuncs;

typedef enum {
	TRACE_REASM_IN_ORDER,      /* new data, delivered */
	TRACE_REASM_OUT_OF_ORDER,  /* new data after a hole, kept for later */
	TRACE_REASM_RETRANSMITTED, /* nothing new: every octet was already seen */
	TRACE_REASM_OVERLAP,       /* partly old, partly new: the new part was taken */
	TRACE_REASM_EMPTY,         /* no payload */
} TraceReasmResult;

typedef struct _TraceReasm TraceReasm;

/* max_buffered bounds the out-of-order octets kept; beyond it the hole
 * before them is declared a gap. */
TraceReasm *trace_reasm_new(const TraceReasmFuncs *funcs, gpointer user_data, gsize max_buffered);
void trace_reasm_free(TraceReasm *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TraceReasm, trace_reasm_free)

/* A SYN with initial sequence number isn: data starts at isn + 1. */
void trace_reasm_syn(TraceReasm *r, guint32 isn);
/* A segment. Without a SYN seen, the first segment fixes the start. */
TraceReasmResult trace_reasm_segment(TraceReasm *r, guint32 seq, const guint8 *data, gsize len);
/* The n octets after the last one handed on are known lost (a frame cut
 * by the snap length): a gap, then the waiting segments that follow. */
void trace_reasm_skip(TraceReasm *r, guint64 n);
/* What trace_reasm_segment() would answer, without changing anything (so
 * that a packet can be shown before the data it carries). */
TraceReasmResult trace_reasm_classify(const TraceReasm *r, guint32 seq, gsize len);
/* A FIN at sequence number seq (after len octets of data at seq - len). */
void trace_reasm_fin(TraceReasm *r, guint32 seq);
/* The peer acknowledged everything before ack: octets before it that were
 * never captured are a gap (the receiver had them; the capture missed them). */
void trace_reasm_ack(TraceReasm *r, guint32 ack);
/* End of the connection: hands on every buffered segment, holes as gaps. */
void trace_reasm_flush(TraceReasm *r);
/* Out-of-order octets waiting. */
gsize trace_reasm_buffered(const TraceReasm *r);
/* TRUE once the FIN was seen and every octet before it was handed on. */
gboolean trace_reasm_finished(const TraceReasm *r);
