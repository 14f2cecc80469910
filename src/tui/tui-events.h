/* The events a screen shows: copies of the tracer's TraceEvents in trace
 * order, owned here and only read by the panes (which never own them). A
 * capture screen reveals them an exchange at a time (visible); the events of
 * the latest step are "newest" and drawn highlighted. */
#pragma once

#include "trace/trace-event.h"

typedef struct {
	GPtrArray *events;  /* TraceEvent*, owned copies */
	GHashTable *by_id;  /* event id → index + 1 */
	guint visible;      /* events shown: the first `visible` ones */
	guint newest;       /* index of the first event of the latest step */
	guint generation;   /* bumped by every change, for views' caches */
	char *capture_name; /* "libpcap", "tap", "pcap file" (translated), may be NULL */
	char *capture_note; /* why libpcap was not used, may be NULL */
} TuiEvents;

TuiEvents *tui_events_new(void);
void tui_events_free(TuiEvents *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TuiEvents, tui_events_free)
void tui_events_clear(TuiEvents *e);
/* Copies ev; shown at once (visible follows) unless hold_back. */
void tui_events_add(TuiEvents *e, const TraceEvent *ev, gboolean hold_back);
/* From now on, added events are the newest. */
void tui_events_mark_newest(TuiEvents *e);
void tui_events_set_visible(TuiEvents *e, guint visible);
void tui_events_set_capture(TuiEvents *e, const char *name, const char *note);
guint tui_events_count(const TuiEvents *e); /* visible ones */
const TraceEvent *tui_events_get(const TuiEvents *e, guint index);
const TraceEvent *tui_events_find(const TuiEvents *e, guint64 id);
/* Index of ev in the list (G_MAXUINT when absent). */
guint tui_events_index(const TuiEvents *e, const TraceEvent *ev);
gboolean tui_events_is_newest(const TuiEvents *e, const TraceEvent *ev);
/* Number of connections seen among the visible events. */
guint tui_events_n_connections(const TuiEvents *e);

/* The event as one line of text: the raw line when there is one, else a
 * summary from its fields (translated). Caller frees. */
char *tui_event_text(const TraceEvent *ev);
/* Whether a and b are a command and (a line of) its reply. */
gboolean tui_events_related(const TraceEvent *a, const TraceEvent *b);
