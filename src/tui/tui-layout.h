/* Where each pane goes for a terminal size: pure arithmetic, unit-tested
 * (tests/test-tui-layout.c). Row 0 is the title bar, the last row the
 * status line; the panes share the rows between. */
#pragma once

#include <glib.h>

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24

typedef struct {
	int x, y, w, h;
} TuiRect;

typedef enum {
	TUI_PANE_LESSON,
	TUI_PANE_CONVERSATION,
	TUI_PANE_MAILBOX,
	TUI_PANE_PACKETS,
	TUI_N_PANES,
} TuiPaneId;

typedef struct {
	gboolean too_small;        /* below TUI_MIN_COLS x TUI_MIN_ROWS: nothing else is set */
	TuiRect title;             /* one row */
	TuiRect body;              /* everything between title and status */
	TuiRect status;            /* one row */
	TuiRect pane[TUI_N_PANES]; /* w == 0: not shown */
} TuiLayout;

/* Which panes a screen has, and the one zoomed to the whole body (-1: none). */
typedef struct {
	gboolean lesson;
	gboolean mailbox;
	int zoomed;
} TuiLayoutWant;

void tui_layout_compute(int cols, int rows, const TuiLayoutWant *want, TuiLayout *out);
/* TRUE when (x, y) falls inside r. */
gboolean tui_rect_contains(const TuiRect *r, int x, int y);
/* The rectangle inside a one-cell border (w or h may become 0). */
TuiRect tui_rect_inner(const TuiRect *r);
