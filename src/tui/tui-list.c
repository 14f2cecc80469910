/* Scrolling, selection and search over styled lines. */
#include "tui/tui-list.h"
#include "tui/tui.h"

#include <string.h>

void
tui_list_init(TuiList *l, gboolean selectable, gboolean follow)
{
	*l = (TuiList){0};
	l->lines = tui_lines_new();
	l->cursor = -1;
	l->selectable = selectable;
	l->follow = follow;
	l->height = 10;
}

void
tui_list_clear(TuiList *l)
{
	g_clear_pointer(&l->lines, g_ptr_array_unref);
}

static gpointer
data_at(const TuiList *l, int i)
{
	if (i < 0 || i >= (int)l->lines->len)
		return NULL;
	return ((TuiLine *)l->lines->pdata[i])->data;
}

static int
item_start(const TuiList *l, int i)
{
	gpointer d = data_at(l, i);
	while (i > 0 && d != NULL && data_at(l, i - 1) == d)
		i--;
	return i;
}

static int
item_end(const TuiList *l, int i) /* exclusive */
{
	gpointer d = data_at(l, i);
	int n = (int)l->lines->len;
	i++;
	while (i < n && d != NULL && data_at(l, i) == d)
		i++;
	return i;
}

static int
last_item(const TuiList *l)
{
	for (int i = (int)l->lines->len - 1; i >= 0; i--) {
		if (data_at(l, i) != NULL)
			return item_start(l, i);
	}
	return -1;
}

static int
first_item_from(const TuiList *l, int i)
{
	for (; i < (int)l->lines->len; i++) {
		if (data_at(l, i) != NULL)
			return i;
	}
	return -1;
}

void
tui_list_reveal(TuiList *l, int height)
{
	int n = (int)l->lines->len;
	if (height < 1)
		height = 1;
	if (l->follow && !l->selectable) {
		l->top = MAX(0, n - height);
		return;
	}
	if (l->cursor >= 0) {
		int end = item_end(l, l->cursor);
		if (end - l->top > height)
			l->top = end - height;
		if (l->cursor < l->top)
			l->top = l->cursor;
	}
	if (l->top > n - 1)
		l->top = MAX(0, n - 1);
	if (l->top < 0)
		l->top = 0;
}

void
tui_list_set_lines(TuiList *l, GPtrArray *lines)
{
	gpointer sel = tui_list_selected(l);
	g_ptr_array_unref(l->lines);
	l->lines = lines;
	l->cursor = -1;
	if (l->selectable) {
		if (l->follow) {
			l->cursor = last_item(l);
		} else {
			for (guint i = 0; sel != NULL && i < lines->len; i++) {
				if (data_at(l, (int)i) == sel) {
					l->cursor = (int)i;
					break;
				}
			}
			if (l->cursor < 0)
				l->cursor = first_item_from(l, 0);
		}
	}
	tui_list_reveal(l, l->height);
}

gpointer
tui_list_selected(const TuiList *l)
{
	return l->cursor >= 0 ? data_at(l, l->cursor) : NULL;
}

void
tui_list_select(TuiList *l, gpointer data)
{
	for (guint i = 0; i < l->lines->len; i++) {
		if (data_at(l, (int)i) == data) {
			l->cursor = (int)i;
			l->follow = FALSE;
			tui_list_reveal(l, l->height);
			return;
		}
	}
}

static void
move_items(TuiList *l, int delta)
{
	int c = l->cursor;
	if (c < 0) {
		c = first_item_from(l, 0);
		if (c < 0)
			return;
		delta = delta > 0 ? delta - 1 : 0;
	}
	for (; delta > 0; delta--) {
		int next = first_item_from(l, item_end(l, c));
		if (next < 0)
			break;
		c = next;
	}
	for (; delta < 0; delta++) {
		int i = c - 1;
		while (i >= 0 && data_at(l, i) == NULL)
			i--;
		if (i < 0)
			break;
		c = item_start(l, i);
	}
	l->cursor = c;
	l->follow = c == last_item(l) && l->follow;
}

gboolean
tui_list_key(TuiList *l, int key)
{
	int page = MAX(1, l->height - 1);
	int n = (int)l->lines->len;
	if (!l->selectable) {
		switch (key) {
		case TUI_KEY_UP:
		case TUI_KEY_WHEEL_UP:
			l->top -= key == TUI_KEY_WHEEL_UP ? 3 : 1;
			break;
		case TUI_KEY_DOWN:
		case TUI_KEY_WHEEL_DOWN:
			l->top += key == TUI_KEY_WHEEL_DOWN ? 3 : 1;
			break;
		case TUI_KEY_PPAGE:
			l->top -= page;
			break;
		case TUI_KEY_NPAGE:
			l->top += page;
			break;
		case TUI_KEY_END:
			l->top = n - l->height;
			break;
		default:
			return FALSE;
		}
		l->top = CLAMP(l->top, 0, MAX(0, n - l->height));
		l->follow = l->top >= n - l->height;
		return TRUE;
	}
	switch (key) {
	case TUI_KEY_UP:
		move_items(l, -1);
		l->follow = FALSE;
		break;
	case TUI_KEY_DOWN:
		move_items(l, 1);
		break;
	case TUI_KEY_WHEEL_UP:
		move_items(l, -3);
		l->follow = FALSE;
		break;
	case TUI_KEY_WHEEL_DOWN:
		move_items(l, 3);
		break;
	case TUI_KEY_PPAGE: {
		int target = MAX(0, l->cursor - page);
		l->follow = FALSE;
		while (l->cursor > target) {
			int before = l->cursor;
			move_items(l, -1);
			if (l->cursor == before)
				break;
		}
		break;
	}
	case TUI_KEY_NPAGE: {
		int target = l->cursor + page;
		while (l->cursor < target) {
			int before = l->cursor;
			move_items(l, 1);
			if (l->cursor == before)
				break;
		}
		break;
	}
	case TUI_KEY_END:
		l->cursor = last_item(l);
		l->follow = TRUE;
		break;
	default:
		return FALSE;
	}
	if (l->cursor == last_item(l) && key != TUI_KEY_UP && key != TUI_KEY_PPAGE &&
	    key != TUI_KEY_WHEEL_UP)
		l->follow = TRUE;
	tui_list_reveal(l, l->height);
	return TRUE;
}

void
tui_list_draw(TuiList *l, const TuiRect *r, gboolean focused)
{
	l->height = r->h;
	tui_list_reveal(l, r->h);
	gpointer sel = tui_list_selected(l);
	for (int row = 0; row < r->h; row++) {
		int i = l->top + row;
		if (i >= (int)l->lines->len)
			break;
		const TuiLine *line = l->lines->pdata[i];
		gboolean selected = focused && sel != NULL && line->data == sel;
		tui_draw_line(r->y + row, r->x, r->w, line, selected);
	}
	/* A scroll mark when there is more above or below. */
	if (l->top > 0)
		tui_draw_text(r->y, r->x + r->w - 1, 1, "↑", TUI_STYLE_DIM);
	if (l->top + r->h < (int)l->lines->len)
		tui_draw_text(r->y + r->h - 1, r->x + r->w - 1, 1, "↓", TUI_STYLE_DIM);
}

gboolean
tui_list_search(TuiList *l, const char *needle)
{
	if (needle == NULL || *needle == '\0')
		return FALSE;
	g_autofree char *want = g_utf8_casefold(needle, -1);
	int n = (int)l->lines->len;
	int start = l->cursor >= 0 ? (l->selectable ? item_end(l, l->cursor) : l->cursor + 1) : 0;
	if (!l->selectable)
		start = l->top + 1;
	for (int k = 0; k < n; k++) {
		int i = (start + k) % n;
		if (l->selectable && data_at(l, i) == NULL)
			continue;
		g_autofree char *text = tui_line_text(l->lines->pdata[i]);
		g_autofree char *fold = g_utf8_casefold(text, -1);
		if (strstr(fold, want) == NULL)
			continue;
		if (l->selectable) {
			l->cursor = item_start(l, i);
			l->follow = FALSE;
		} else {
			l->top = i;
		}
		tui_list_reveal(l, l->height);
		return TRUE;
	}
	return FALSE;
}
