/* A scrolling list of styled lines with a cursor, shared by the panes and the
 * home screen. Lines carrying the same non-NULL data form one item (an event
 * and its explanations); the cursor moves item by item and lines without
 * data are not selectable. In follow mode the list sticks to its end. */
#pragma once

#include "tui/tui-layout.h"
#include "tui/tui-lines.h"

typedef struct {
	GPtrArray *lines; /* TuiLine*, owned */
	int top;
	int cursor;          /* first line of the selected item; -1: none */
	gboolean selectable; /* FALSE: arrows scroll by line */
	gboolean follow;     /* keep the last item selected and in view */
	int height;          /* rows at the last draw */
} TuiList;

void tui_list_init(TuiList *l, gboolean selectable, gboolean follow);
void tui_list_clear(TuiList *l);
/* Replaces the lines (takes them), keeping the selection on the same data
 * when it is still there. */
void tui_list_set_lines(TuiList *l, GPtrArray *lines);
/* ↑ ↓ PgUp PgDn End and the mouse wheel. TRUE when used. */
gboolean tui_list_key(TuiList *l, int key);
void tui_list_draw(TuiList *l, const TuiRect *r, gboolean focused);
gpointer tui_list_selected(const TuiList *l);
/* Selects the first item with this data. */
void tui_list_select(TuiList *l, gpointer data);
/* Selects the next item (after the cursor, wrapping) whose text contains
 * needle, case-insensitively. FALSE when none does. */
gboolean tui_list_search(TuiList *l, const char *needle);
/* Makes the cursor's item visible for height rows. */
void tui_list_reveal(TuiList *l, int height);
