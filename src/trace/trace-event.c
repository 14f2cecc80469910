/* TraceEvent helpers (init, explanations, deep copies, names) and the
 * TraceSink dispatch; see trace-event.h. */
#include "trace/trace-event.h"
#include "trace/trace-i18n.h"

#include <string.h>

void
trace_event_init(TraceEvent *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->size = -1;
	ev->decoded_size = -1;
	ev->elapsed_us = -1;
}

void
trace_event_explain(TraceEvent *ev, const char *text, const char *rfc)
{
	if (text == NULL || ev->n_explain >= TRACE_EVENT_MAX_EXPLAIN)
		return;
	ev->explain[ev->n_explain].text = text;
	ev->explain[ev->n_explain].rfc = rfc;
	ev->n_explain++;
}

/* The copy is one allocation: the struct followed by its strings and raw
 * bytes, so that trace_event_free() is one g_free. */
typedef struct {
	char *at;
	gsize need;
} CopyArena;

static void
measure(CopyArena *a, const char *s)
{
	if (s != NULL)
		a->need += strlen(s) + 1;
}

static const char *
put(CopyArena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	gsize n = strlen(s) + 1;
	char *d = a->at;
	memcpy(d, s, n);
	a->at += n;
	return d;
}

#define EVENT_STRINGS(X)                                                                           \
	X(client)                                                                                  \
	X(server)                                                                                  \
	X(verb)                                                                                    \
	X(args)                                                                                    \
	X(tag)                                                                                     \
	X(status)                                                                                  \
	X(enhanced) X(code) X(text) X(name) X(value) X(decoded) X(param_of) X(part) X(summary)

TraceEvent *
trace_event_copy(const TraceEvent *ev)
{
	CopyArena a = {NULL, 0};
#define MEASURE(f) measure(&a, ev->f);
	EVENT_STRINGS(MEASURE)
#undef MEASURE
	for (guint i = 0; i < ev->n_explain; i++) {
		measure(&a, ev->explain[i].text);
		measure(&a, ev->explain[i].rfc);
	}
	gsize raw_len = ev->raw != NULL ? ev->raw_len : 0;
	char *mem = g_malloc(sizeof(TraceEvent) + raw_len + a.need);
	TraceEvent *copy = (TraceEvent *)(gpointer)mem;
	*copy = *ev;
	a.at = mem + sizeof(TraceEvent);
	if (ev->raw != NULL) {
		memcpy(a.at, ev->raw, raw_len);
		copy->raw = (const guint8 *)a.at;
		a.at += raw_len;
	}
#define PUT(f) copy->f = put(&a, ev->f);
	EVENT_STRINGS(PUT)
#undef PUT
	for (guint i = 0; i < ev->n_explain; i++) {
		copy->explain[i].text = put(&a, ev->explain[i].text);
		copy->explain[i].rfc = put(&a, ev->explain[i].rfc);
	}
	return copy;
}

void
trace_event_free(TraceEvent *ev)
{
	g_free(ev);
}

const char *
trace_proto_name(TraceProto proto)
{
	static const char *const names[] = {
	    [TRACE_PROTO_NONE] = "tcp",
	    [TRACE_PROTO_SMTP] = "smtp",
	    [TRACE_PROTO_POP3] = "pop3",
	    [TRACE_PROTO_IMAP] = "imap",
	};
	return (guint)proto < G_N_ELEMENTS(names) ? names[proto] : "tcp";
}

const char *
trace_dir_name(TraceDir dir)
{
	return dir == TRACE_DIR_S2C ? "s2c" : "c2s";
}

const char *
trace_kind_name(TraceKind kind)
{
	static const char *const names[] = {
	    [TRACE_KIND_COMMAND] = "command",
	    [TRACE_KIND_REPLY] = "reply",
	    [TRACE_KIND_UNTAGGED] = "untagged",
	    [TRACE_KIND_CONTINUATION] = "continuation",
	    [TRACE_KIND_DATA] = "data",
	    [TRACE_KIND_HEADER] = "header",
	    [TRACE_KIND_MIME] = "mime",
	    [TRACE_KIND_STATE] = "state",
	    [TRACE_KIND_TLS] = "tls",
	    [TRACE_KIND_NOTE] = "note",
	    [TRACE_KIND_CONNECTION] = "connection",
	    [TRACE_KIND_PACKET] = "packet",
	};
	return (guint)kind < G_N_ELEMENTS(names) ? names[kind] : "note";
}

const char *
trace_mime_role_name(TraceMimeRole role)
{
	static const char *const names[] = {
	    [TRACE_MIME_NONE] = NULL,
	    [TRACE_MIME_PART] = "part",
	    [TRACE_MIME_BOUNDARY_OPEN] = "boundary-open",
	    [TRACE_MIME_BOUNDARY_CLOSE] = "boundary-close",
	    [TRACE_MIME_PREAMBLE] = "preamble",
	    [TRACE_MIME_EPILOGUE] = "epilogue",
	};
	return (guint)role < G_N_ELEMENTS(names) ? names[role] : NULL;
}

/* TRANSLATORS: short labels of events in the transcript (kinds, MIME roles,
 * state/note/TLS/data events); the English ones are the identifiers. */
static const char *const event_labels[] = {
    N_("command"),
    N_("reply"),
    N_("untagged"),
    N_("continuation"),
    N_("data"),
    N_("header"),
    N_("mime"),
    N_("state"),
    N_("tls"),
    N_("note"),
    N_("connection"),
    N_("packet"),
    N_("part"),
    N_("boundary-open"),
    N_("boundary-close"),
    N_("preamble"),
    N_("epilogue"),
    N_("marked"),
    N_("deleted"),
    N_("not-deleted"),
    N_("uidnext-moved"),
    N_("uidvalidity-changed"),
    N_("open"),
    N_("close"),
    N_("recognised"),
    N_("unrecognised"),
    N_("gap"),
    N_("mid-stream"),
    N_("damaged-file"),
    N_("fragment"),
    N_("truncated-packet"),
    N_("link-type"),
    N_("malformed-packet"),
    N_("message-damaged"),
    N_("message-unfinished"),
    N_("response-unfinished"),
    N_("line-too-long"),
    N_("no-reply"),
    N_("not-a-reply"),
    N_("bad-response"),
    N_("mime-depth"),
    N_("mime-warning"),
    N_("no-closing-boundary"),
    N_("message-cut"),
    N_("starttls"),
    N_("implicit"),
    N_("encrypted"),
    N_("end-of-data"),
    N_("dot-stuffing"),
    N_("literal"),
    N_("chunk"),
};

const char *
trace_event_label(const char *name)
{
	if (name == NULL)
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(event_labels); i++) {
		if (strcmp(event_labels[i], name) == 0)
			return _(event_labels[i]);
	}
	return name;
}

void
trace_sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	sink->klass->emit(sink, ev);
}

void
trace_sink_flush(TraceSink *sink)
{
	if (sink->klass->flush != NULL)
		sink->klass->flush(sink);
}

void
trace_sink_free(TraceSink *sink)
{
	if (sink == NULL)
		return;
	sink->klass->free(sink);
}

const char *
trace_gettext(const char *msgid)
{
	/* One process, one thread (DESIGN.md): a plain static cache. */
	static GHashTable *cache;
	static char lang[8];
	if (msgid == NULL)
		return NULL;
	const char *now = facteur_i18n_lang();
	if (cache == NULL || strcmp(lang, now) != 0) {
		if (cache == NULL)
			cache = g_hash_table_new(g_direct_hash, g_direct_equal);
		else
			g_hash_table_remove_all(cache);
		g_strlcpy(lang, now, sizeof lang);
	}
	const char *t = g_hash_table_lookup(cache, msgid);
	if (t == NULL) {
		t = gettext(msgid);
		if (g_hash_table_size(cache) < 4096)
			g_hash_table_insert(cache, (gpointer)msgid, (gpointer)t);
	}
	return t;
}
