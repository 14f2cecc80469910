/* A pane of the scenario and capture screens: a small vtable over data it
 * does not own (the screen's events, the runner's store). The screen gives
 * each pane its rectangle, border included, at every draw. */
#pragma once

#include "trace/trace-event.h"
#include "tui/tui-events.h"
#include "tui/tui-list.h"
#include "tui/tui.h"

typedef struct _TuiPane TuiPane;

typedef struct {
	const char *name; /* N_(): shown in the border */
	void (*draw)(TuiPane *p, Tui *tui, const TuiRect *r, gboolean focused);
	/* TRUE when the key was used. */
	gboolean (*key)(TuiPane *p, Tui *tui, int key);
	/* Optional: the event under the cursor, for the detail view. */
	const TraceEvent *(*selected)(TuiPane *p);
	/* Optional: selects the next line containing needle. */
	gboolean (*search)(TuiPane *p, const char *needle);
	void (*free)(TuiPane *p);
} TuiPaneClass;

struct _TuiPane {
	const TuiPaneClass *klass;
};

/* The event-list panes (Conversation, Ladder, Packets) embed this first: a
 * TuiList of lines built from the screen's events (tui-event-pane.c). */
typedef struct {
	TuiPane base;
	const TuiEvents *events;
	TuiList list;
	guint generation; /* of the events the lines were built from */
	int width;
	char *lang;
} TuiEventPane;

void tui_event_pane_init(TuiEventPane *p, const TuiPaneClass *klass, const TuiEvents *events);
/* TRUE when the lines must be built again (width < 0: any width will do). */
gboolean tui_event_pane_stale(const TuiEventPane *p, int width);
/* Records what the lines were just built from. */
void tui_event_pane_built(TuiEventPane *p, int width);
/* TuiPaneClass members for such panes. */
gboolean tui_event_pane_key(TuiPane *pane, Tui *tui, int key);
const TraceEvent *tui_event_pane_selected(TuiPane *pane);
gboolean tui_event_pane_search(TuiPane *pane, const char *needle);
/* Frees what the base holds (for the pane's free). */
void tui_event_pane_clear(TuiEventPane *p);

static inline void
tui_pane_free(TuiPane *p)
{
	if (p != NULL)
		p->klass->free(p);
}

/* The panes (pane-*.c). */
typedef struct {
	const void *scenario; /* const Scenario*, NULL for a free session */
	guint step;           /* the step shown: running or last finished; 0 before */
	gboolean running;
	gboolean done;
	char *failure;     /* the failed expectation's message, or NULL */
	char *error;       /* the runner could not start, or NULL */
	const char *intro; /* free session: what to do */
} TuiLessonState;

TuiPane *pane_lesson_new(const TuiLessonState *state);
TuiPane *pane_conversation_new(const TuiEvents *events);
TuiPane *pane_ladder_new(const TuiEvents *events);
TuiPane *pane_packets_new(const TuiEvents *events);
typedef struct _Store Store;
TuiPane *pane_mailbox_new(Tui *tui);
/* Watches store (NULL detaches); default_user is shown first. */
void pane_mailbox_set_store(TuiPane *p, Store *store, const char *default_user);
