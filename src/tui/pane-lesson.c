/* The Lesson pane: the scenario's title, the current step's number out of
 * the total and its narration in the current language, and a failed
 * expectation in red with what was expected and what came. */
#include "core/facteur-i18n.h"
#include "scenario/scenario.h"
#include "tui/tui-list.h"
#include "tui/tui-pane.h"

typedef struct {
	TuiPane base;
	const TuiLessonState *state;
	TuiList list;
} PaneLesson;

static void
add_wrapped(GPtrArray *lines, int width, int indent, TuiStyle style, const char *text)
{
	TuiSpan span = {(char *)text, style};
	tui_lines_wrap(lines, &span, 1, width, indent, indent, NULL);
}

static void
build(PaneLesson *p, int width)
{
	const TuiLessonState *st = p->state;
	const Scenario *sc = st->scenario;
	const char *lang = facteur_i18n_lang();
	GPtrArray *lines = tui_lines_new();
	if (st->error != NULL)
		add_wrapped(lines, width, 0, TUI_STYLE_ERROR, st->error);
	if (sc == NULL) {
		if (st->intro != NULL)
			add_wrapped(lines, width, 0, TUI_STYLE_TEXT, _(st->intro));
	} else if (st->step == 0) {
		add_wrapped(lines, width, 0, TUI_STYLE_TITLE, scenario_title(sc, lang));
		const char *summary = scenario_summary(sc, lang);
		if (summary != NULL)
			add_wrapped(lines, width, 0, TUI_STYLE_TEXT, summary);
		guint n = scenario_n_steps(sc);
		g_autofree char *hint = g_strdup_printf(
		    ngettext("%u step. Space plays it; ? lists the keys.",
		             "%u steps. Space plays the first one; ? lists the keys.", n),
		    n);
		add_wrapped(lines, width, 0, TUI_STYLE_DIM, hint);
	} else {
		const ScenarioStep *step = scenario_step(sc, st->step);
		const char *title = step != NULL ? scenario_step_title(step, lang) : NULL;
		g_autofree char *head = NULL;
		if (title != NULL)
			head = g_strdup_printf(_("Step %u/%u — %s"), st->step, scenario_n_steps(sc),
			                       title);
		else
			head = g_strdup_printf(_("Step %u/%u"), st->step, scenario_n_steps(sc));
		g_autofree char *state = NULL;
		if (st->failure != NULL)
			state = g_strdup(_("(failed)"));
		else if (st->running)
			state = g_strdup(_("(running…)"));
		else if (st->done)
			state = g_strdup(_("(the end)"));
		g_autofree char *full =
		    state != NULL ? g_strdup_printf("%s  %s", head, state) : g_strdup(head);
		add_wrapped(lines, width, 0, TUI_STYLE_TITLE, full);
		if (step != NULL) {
			const char *narr = scenario_step_narration(step, lang);
			if (narr != NULL)
				add_wrapped(lines, width, 0, TUI_STYLE_TEXT, narr);
		}
	}
	if (st->failure != NULL) {
		g_autofree char *msg = g_strdup_printf(_("✗ Expectation failed: %s"), st->failure);
		add_wrapped(lines, width, 0, TUI_STYLE_ERROR, msg);
		add_wrapped(lines, width, 2, TUI_STYLE_DIM,
		            _("← steps back (the scenario is replayed to the step before)."));
	}
	int top = p->list.top;
	tui_list_set_lines(&p->list, lines);
	p->list.top = top;
}

static void
draw(TuiPane *pane, Tui *tui, const TuiRect *r, gboolean focused)
{
	(void)tui;
	PaneLesson *p = (PaneLesson *)pane;
	TuiRect in = tui_rect_inner(r);
	build(p, in.w);
	const Scenario *sc = p->state->scenario;
	g_autofree char *right =
	    sc != NULL ? g_strdup_printf(_("step %u/%u"), p->state->step, scenario_n_steps(sc))
	               : NULL;
	tui_draw_box(r, _(pane->klass->name), right, focused);
	tui_list_draw(&p->list, &in, focused);
}

static gboolean
key(TuiPane *pane, Tui *tui, int k)
{
	(void)tui;
	return tui_list_key(&((PaneLesson *)pane)->list, k);
}

static gboolean
search(TuiPane *pane, const char *needle)
{
	return tui_list_search(&((PaneLesson *)pane)->list, needle);
}

static void
pane_free(TuiPane *pane)
{
	PaneLesson *p = (PaneLesson *)pane;
	tui_list_clear(&p->list);
	g_free(p);
}

static const TuiPaneClass pane_lesson_class = {
    .name = N_("Lesson"),
    .draw = draw,
    .key = key,
    .search = search,
    .free = pane_free,
};

TuiPane *
pane_lesson_new(const TuiLessonState *state)
{
	PaneLesson *p = g_new0(PaneLesson, 1);
	p->base.klass = &pane_lesson_class;
	p->state = state;
	tui_list_init(&p->list, FALSE, FALSE);
	return &p->base;
}
