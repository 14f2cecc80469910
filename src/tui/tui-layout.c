/* The scenario and capture screens' layout. Lesson across the top (the
 * narration reads best in long lines), conversation on the left and mailbox on
 * the right in the middle, packets across the bottom; sizes follow the terminal
 * with floors that keep 80x24 usable and caps that give a projector at
 * 160x48 room for the conversation. */
#include "tui/tui-layout.h"

static int
clampi(int v, int lo, int hi)
{
	return v < lo ? lo : (v > hi ? hi : v);
}

static TuiRect
rect(int x, int y, int w, int h)
{
	return (TuiRect){x, y, w, h};
}

void
tui_layout_compute(int cols, int rows, const TuiLayoutWant *want, TuiLayout *out)
{
	*out = (TuiLayout){0};
	if (cols < TUI_MIN_COLS || rows < TUI_MIN_ROWS) {
		out->too_small = TRUE;
		return;
	}
	out->title = rect(0, 0, cols, 1);
	out->status = rect(0, rows - 1, cols, 1);
	out->body = rect(0, 1, cols, rows - 2);
	int H = out->body.h;
	int y = out->body.y;

	if (want->zoomed >= 0 && want->zoomed < TUI_N_PANES) {
		out->pane[want->zoomed] = out->body;
		return;
	}
	/* Heights include the two border rows. */
	int lesson_h = want->lesson ? clampi(H / 5, 5, 10) : 0;
	int packets_h = clampi(H / 5, 4, 12);
	int middle_h = H - lesson_h - packets_h;
	if (want->lesson)
		out->pane[TUI_PANE_LESSON] = rect(0, y, cols, lesson_h);
	y += lesson_h;
	if (want->mailbox) {
		int conv_w = clampi(cols * 3 / 5, 46, cols - 32);
		out->pane[TUI_PANE_CONVERSATION] = rect(0, y, conv_w, middle_h);
		out->pane[TUI_PANE_MAILBOX] = rect(conv_w, y, cols - conv_w, middle_h);
	} else {
		out->pane[TUI_PANE_CONVERSATION] = rect(0, y, cols, middle_h);
	}
	y += middle_h;
	out->pane[TUI_PANE_PACKETS] = rect(0, y, cols, packets_h);
}

gboolean
tui_rect_contains(const TuiRect *r, int x, int y)
{
	return r->w > 0 && r->h > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h;
}

TuiRect
tui_rect_inner(const TuiRect *r)
{
	TuiRect in = {r->x + 1, r->y + 1, r->w - 2, r->h - 2};
	if (in.w < 0)
		in.w = 0;
	if (in.h < 0)
		in.h = 0;
	return in;
}
