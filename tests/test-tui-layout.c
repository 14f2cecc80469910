/* The TUI's layout arithmetic: every pane inside the screen, no overlap,
 * the whole body used, floors at 80x24 and room at 160x48, zoom, too small. */
#include "tui/tui-layout.h"

static void
check_layout(int cols, int rows, const TuiLayoutWant *want)
{
	TuiLayout l;
	tui_layout_compute(cols, rows, want, &l);
	g_assert_false(l.too_small);
	g_assert_cmpint(l.title.y, ==, 0);
	g_assert_cmpint(l.status.y, ==, rows - 1);
	g_assert_cmpint(l.body.h, ==, rows - 2);
	/* Count each body cell: covered exactly once. */
	g_autofree guint8 *cells = g_new0(guint8, (gsize)cols * rows);
	for (int p = 0; p < TUI_N_PANES; p++) {
		const TuiRect *r = &l.pane[p];
		if (r->w == 0)
			continue;
		g_assert_cmpint(r->x, >=, 0);
		g_assert_cmpint(r->y, >=, l.body.y);
		g_assert_cmpint(r->x + r->w, <=, cols);
		g_assert_cmpint(r->y + r->h, <=, l.body.y + l.body.h);
		g_assert_cmpint(r->h, >=, 4); /* a border and at least two lines of text */
		for (int y = r->y; y < r->y + r->h; y++)
			for (int x = r->x; x < r->x + r->w; x++)
				cells[y * cols + x]++;
	}
	for (int y = l.body.y; y < l.body.y + l.body.h; y++)
		for (int x = 0; x < cols; x++)
			g_assert_cmpint(cells[y * cols + x], ==, 1);
}

static void
test_all_sizes(void)
{
	TuiLayoutWant scenario = {TRUE, TRUE, -1};
	TuiLayoutWant capture = {FALSE, FALSE, -1};
	for (int cols = 80; cols <= 240; cols += 7)
		for (int rows = 24; rows <= 80; rows += 5) {
			check_layout(cols, rows, &scenario);
			check_layout(cols, rows, &capture);
		}
}

static void
test_80x24(void)
{
	TuiLayoutWant want = {TRUE, TRUE, -1};
	TuiLayout l;
	tui_layout_compute(80, 24, &want, &l);
	/* Usable: the conversation keeps 44 columns of text, the mailbox 30. */
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].w, >=, 46);
	g_assert_cmpint(l.pane[TUI_PANE_MAILBOX].w, >=, 32);
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].h, >=, 10);
	g_assert_cmpint(l.pane[TUI_PANE_LESSON].h, >=, 5);
	g_assert_cmpint(l.pane[TUI_PANE_PACKETS].h, >=, 4);
}

static void
test_160x48(void)
{
	TuiLayoutWant want = {TRUE, TRUE, -1};
	TuiLayout l;
	tui_layout_compute(160, 48, &want, &l);
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].w, ==, 96);
	g_assert_cmpint(l.pane[TUI_PANE_MAILBOX].w, ==, 64);
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].h, >=, 24);
	g_assert_cmpint(l.pane[TUI_PANE_LESSON].h, ==, 9);
	g_assert_cmpint(l.pane[TUI_PANE_PACKETS].h, ==, 9);
}

static void
test_capture_has_no_lesson(void)
{
	TuiLayoutWant want = {FALSE, FALSE, -1};
	TuiLayout l;
	tui_layout_compute(100, 30, &want, &l);
	g_assert_cmpint(l.pane[TUI_PANE_LESSON].w, ==, 0);
	g_assert_cmpint(l.pane[TUI_PANE_MAILBOX].w, ==, 0);
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].w, ==, 100);
	g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].y, ==, 1);
}

static void
test_zoom(void)
{
	for (int p = 0; p < TUI_N_PANES; p++) {
		TuiLayoutWant want = {TRUE, TRUE, p};
		TuiLayout l;
		tui_layout_compute(120, 40, &want, &l);
		for (int q = 0; q < TUI_N_PANES; q++) {
			if (q == p) {
				g_assert_cmpint(l.pane[q].w, ==, 120);
				g_assert_cmpint(l.pane[q].h, ==, 38);
			} else {
				g_assert_cmpint(l.pane[q].w, ==, 0);
			}
		}
	}
}

static void
test_too_small(void)
{
	static const int sizes[][2] = {{79, 24}, {80, 23}, {40, 10}, {0, 0}, {200, 5}};
	TuiLayoutWant want = {TRUE, TRUE, -1};
	for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
		TuiLayout l;
		tui_layout_compute(sizes[i][0], sizes[i][1], &want, &l);
		g_assert_true(l.too_small);
		g_assert_cmpint(l.pane[TUI_PANE_CONVERSATION].w, ==, 0);
	}
}

static void
test_rect(void)
{
	TuiRect r = {10, 5, 20, 4};
	g_assert_true(tui_rect_contains(&r, 10, 5));
	g_assert_true(tui_rect_contains(&r, 29, 8));
	g_assert_false(tui_rect_contains(&r, 30, 8));
	g_assert_false(tui_rect_contains(&r, 9, 5));
	TuiRect in = tui_rect_inner(&r);
	g_assert_cmpint(in.x, ==, 11);
	g_assert_cmpint(in.w, ==, 18);
	g_assert_cmpint(in.h, ==, 2);
	TuiRect tiny = {0, 0, 1, 1};
	in = tui_rect_inner(&tiny);
	g_assert_cmpint(in.w, ==, 0);
	g_assert_cmpint(in.h, ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tui/layout/all-sizes", test_all_sizes);
	g_test_add_func("/tui/layout/80x24", test_80x24);
	g_test_add_func("/tui/layout/160x48", test_160x48);
	g_test_add_func("/tui/layout/capture", test_capture_has_no_lesson);
	g_test_add_func("/tui/layout/zoom", test_zoom);
	g_test_add_func("/tui/layout/too-small", test_too_small);
	g_test_add_func("/tui/layout/rect", test_rect);
	return g_test_run();
}
