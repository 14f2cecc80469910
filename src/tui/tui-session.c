/* The scenario screen (and its two cousins: the free session and the
 * capture screen). It owns the runner, the events and the panes' state; the
 * panes only read them. Stepping forward asks the runner for the next step;
 * stepping back replays a new runner to step n-1 (fast), which gives the same
 * events each time; switching language replays to the current step. */
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"
#include "scenario/scenario-runner.h"
#include "tui/tui-capture.h"
#include "tui/tui-pane.h"
#include "tui/tui-screens.h"

#include <string.h>

typedef enum {
	MODE_SCENARIO,
	MODE_FREE,
	MODE_CAPTURE,
} Mode;

typedef struct {
	TuiScreen base;
	Tui *tui;
	Mode mode;
	Scenario *sc;
	ScenarioRunner *runner;
	TuiEvents *events;
	TuiLessonState lesson;
	TuiPane *panes[TUI_N_PANES];
	TuiPane *conversation, *ladder; /* one of them is panes[TUI_PANE_CONVERSATION] */
	int focus;
	int zoomed;
	gboolean run_all;
	guint pending; /* Space pressed while a step ran: steps to play next */
	guint run_idle;
	char *capture_path;
	GArray *exchanges; /* capture: index of the first event of each exchange */
	guint shown;       /* capture: exchanges shown */
	char *search;
	guint opened; /* connections opened by hand */
	TuiRect body; /* at the last draw, for the mouse */
} Session;

/* --- The runner's callbacks --- */

static void
on_step_started(ScenarioRunner *r, const ScenarioStep *step, gpointer data)
{
	(void)r;
	Session *s = data;
	s->lesson.step = step->number;
	s->lesson.running = TRUE;
	tui_events_mark_newest(s->events);
	tui_queue_redraw(s->tui);
}

static void
on_event(ScenarioRunner *r, const TraceEvent *ev, gpointer data)
{
	(void)r;
	Session *s = data;
	tui_events_add(s->events, ev, FALSE);
	tui_queue_redraw(s->tui);
}

static gboolean
run_next(gpointer data)
{
	Session *s = data;
	s->run_idle = 0;
	if (s->runner == NULL)
		return G_SOURCE_REMOVE;
	if (s->pending > 0)
		s->pending--;
	else if (!s->run_all)
		return G_SOURCE_REMOVE;
	if (!scenario_runner_next(s->runner)) {
		s->run_all = FALSE;
		s->pending = 0;
	}
	return G_SOURCE_REMOVE;
}

static void
on_step_finished(ScenarioRunner *r, const ScenarioStep *step, gpointer data)
{
	Session *s = data;
	s->lesson.step = step->number;
	s->lesson.running = FALSE;
	s->lesson.done = scenario_runner_is_done(r);
	if ((s->run_all || s->pending > 0) && !s->lesson.done && s->run_idle == 0)
		s->run_idle = g_idle_add(run_next, s);
	if (s->lesson.done) {
		s->run_all = FALSE;
		s->pending = 0;
	}
	tui_queue_redraw(s->tui);
}

static void
on_failed(ScenarioRunner *r, const ScenarioStep *step, const ScenarioInstr *instr,
          const char *message, gpointer data)
{
	(void)r;
	(void)instr;
	Session *s = data;
	if (step != NULL)
		s->lesson.step = step->number;
	s->lesson.running = FALSE;
	s->run_all = FALSE;
	s->pending = 0;
	g_free(s->lesson.failure);
	s->lesson.failure = g_strdup(message);
	tui_status(s->tui, TUI_STYLE_ERROR, _("Step %u failed: %s"), s->lesson.step, message);
}

static const ScenarioRunnerCallbacks callbacks = {
    .step_started = on_step_started,
    .event = on_event,
    .step_finished = on_step_finished,
    .failed = on_failed,
};

/* The user shown first in the Mailbox pane: the scenario's first. */
static const char *
first_user(const Scenario *sc)
{
	for (guint i = 0; i < sc->setup->len; i++) {
		const ScenarioInstr *in = sc->setup->pdata[i];
		if (in->op == SCENARIO_OP_USER)
			return in->args[0];
	}
	return NULL;
}

static void
stop_runner(Session *s)
{
	if (s->run_idle != 0)
		g_source_remove(s->run_idle);
	s->run_idle = 0;
	s->run_all = FALSE;
	s->pending = 0;
	if (s->panes[TUI_PANE_MAILBOX] != NULL)
		pane_mailbox_set_store(s->panes[TUI_PANE_MAILBOX], NULL, NULL);
	g_clear_pointer(&s->runner, scenario_runner_free);
}

/* A new runner, played to step target (0: only the set-up). */
static void
start_runner(Session *s, gboolean fast, guint target)
{
	stop_runner(s);
	tui_events_clear(s->events);
	s->lesson.step = 0;
	s->lesson.running = FALSE;
	s->lesson.done = FALSE;
	g_clear_pointer(&s->lesson.failure, g_free);
	g_clear_pointer(&s->lesson.error, g_free);

	ScenarioRunnerOptions opts = {
	    .capture = SCENARIO_CAPTURE_AUTO,
	    .fast = fast,
	    .packets = TRUE,
	    .data_dir = s->mode == MODE_FREE ? facteur_paths_default_store() : NULL,
	};
	g_autoptr(GError) error = NULL;
	/* Keys typed during a replay wait for its end. */
	tui_hold_keys(s->tui, TRUE);
	s->runner = scenario_runner_new(s->sc, &opts, &callbacks, s, &error);
	if (s->runner == NULL) {
		tui_hold_keys(s->tui, FALSE);
		s->lesson.error = g_strdup(error->message);
		tui_status(s->tui, TUI_STYLE_ERROR, "%s", error->message);
		return;
	}
	tui_events_set_capture(s->events, _(scenario_runner_capture_name(s->runner)),
	                       scenario_runner_capture_note(s->runner));
	pane_mailbox_set_store(s->panes[TUI_PANE_MAILBOX], scenario_runner_store(s->runner),
	                       first_user(s->sc));
	if (target > 0)
		scenario_runner_run_to(s->runner, target);
	tui_hold_keys(s->tui, FALSE);
	tui_queue_redraw(s->tui);
}

/* --- Capture stepping --- */

static void
find_exchanges(Session *s)
{
	g_array_set_size(s->exchanges, 0);
	guint zero = 0;
	g_array_append_val(s->exchanges, zero);
	for (guint i = 1; i < s->events->events->len; i++) {
		const TraceEvent *ev = tui_events_get(s->events, i);
		if ((ev->kind == TRACE_KIND_COMMAND && ev->dir == TRACE_DIR_C2S) ||
		    (ev->kind == TRACE_KIND_CONNECTION && g_strcmp0(ev->name, "open") == 0))
			g_array_append_val(s->exchanges, i);
	}
}

static void
show_exchanges(Session *s, guint n)
{
	guint total = s->exchanges->len;
	n = CLAMP(n, 1, total);
	s->shown = n;
	guint end = n < total ? g_array_index(s->exchanges, guint, n) : s->events->events->len;
	tui_events_set_visible(s->events, end);
	s->events->newest = g_array_index(s->exchanges, guint, n - 1);
	s->lesson.step = n;
	tui_queue_redraw(s->tui);
}

static gboolean
load_capture(Session *s, GError **error)
{
	tui_events_clear(s->events);
	if (!tui_capture_load(s->capture_path, s->events, error))
		return FALSE;
	find_exchanges(s);
	return TRUE;
}

/* --- Keys --- */

static gboolean
step_forward(Session *s)
{
	if (s->mode == MODE_CAPTURE) {
		if (s->shown >= s->exchanges->len)
			tui_status(s->tui, TUI_STYLE_TEXT, _("The end of the capture."));
		show_exchanges(s, s->shown + 1);
		return TRUE;
	}
	if (s->runner == NULL)
		return TRUE;
	if (s->mode == MODE_FREE) {
		tui_status(
		    s->tui, TUI_STYLE_TEXT,
		    _("A free session has no steps: c opens a connection, i types a command."));
		return TRUE;
	}
	if (scenario_runner_is_busy(s->runner)) {
		/* Played when the running step ends. */
		if (s->lesson.step + s->pending < scenario_n_steps(s->sc))
			s->pending++;
		tui_status(s->tui, TUI_STYLE_TEXT,
		           _("A step is running: the next one follows it."));
	} else if (scenario_runner_has_failed(s->runner))
		tui_status(s->tui, TUI_STYLE_ERROR,
		           _("The scenario stopped at a failed expectation: ← steps back."));
	else if (scenario_runner_is_done(s->runner))
		tui_status(s->tui, TUI_STYLE_TEXT,
		           _("The scenario is over: ← steps back, Home starts again."));
	else
		scenario_runner_next(s->runner);
	return TRUE;
}

static void
step_back(Session *s)
{
	if (s->mode == MODE_CAPTURE) {
		show_exchanges(s, s->shown > 1 ? s->shown - 1 : 1);
		return;
	}
	if (s->mode != MODE_SCENARIO || s->runner == NULL)
		return;
	guint current = scenario_runner_current_step(s->runner);
	/* A failed or running step counts as the one shown. */
	if (s->lesson.failure != NULL || s->lesson.running)
		current = s->lesson.step;
	if (current == 0)
		return;
	tui_status(s->tui, TUI_STYLE_TEXT, _("Replaying to step %u…"), current - 1);
	start_runner(s, TRUE, current - 1);
	tui_status(s->tui, TUI_STYLE_TEXT, _("Back at step %u."), current - 1);
}

static void
send_done(Tui *tui, const char *text, gpointer data)
{
	Session *s = data;
	if (text == NULL || s->runner == NULL)
		return;
	g_autoptr(GError) error = NULL;
	tui_events_mark_newest(s->events);
	if (!scenario_runner_send_line(s->runner, NULL, text, &error))
		tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
}

static void
open_done(Tui *tui, const char *text, gpointer data)
{
	Session *s = data;
	if (text == NULL || s->runner == NULL)
		return;
	static const struct {
		const char *name;
		ScenarioProto proto;
	} protos[] = {{"smtp", SCENARIO_PROTO_SMTP},
	              {"pop3", SCENARIO_PROTO_POP3},
	              {"pop", SCENARIO_PROTO_POP3},
	              {"imap", SCENARIO_PROTO_IMAP}};
	g_autofree char *copy = g_strstrip(g_strdup(text));
	g_autofree char *want = g_ascii_strdown(copy, -1);
	for (gsize i = 0; i < G_N_ELEMENTS(protos); i++) {
		if (strcmp(want, protos[i].name) != 0)
			continue;
		GPtrArray *names = scenario_runner_connections(s->runner); /* the runner's */
		g_autofree char *name = NULL;
		gboolean taken;
		do {
			g_free(name);
			name = g_strdup_printf("t%u", ++s->opened);
			taken = FALSE;
			for (guint k = 0; names != NULL && k < names->len; k++)
				taken |= g_strcmp0(names->pdata[k], name) == 0;
		} while (taken);
		g_autoptr(GError) error = NULL;
		tui_events_mark_newest(s->events);
		if (!scenario_runner_open_connection(s->runner, name, protos[i].proto, &error))
			tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
		else
			tui_status(tui, TUI_STYLE_TEXT,
			           _("Connection %s opened: i types a command on it."), name);
		return;
	}
	tui_status(tui, TUI_STYLE_ERROR, _("“%s” is not a protocol: smtp, pop3 or imap."), text);
}

static TuiPane *
focused(Session *s)
{
	return s->panes[s->focus];
}

static void
search_in(Session *s, const char *needle)
{
	TuiPane *p = focused(s);
	if (p == NULL || p->klass->search == NULL || !p->klass->search(p, needle))
		tui_status(s->tui, TUI_STYLE_TEXT, _("“%s” is not found."), needle);
}

static void
search_done(Tui *tui, const char *text, gpointer data)
{
	(void)tui;
	Session *s = data;
	if (text == NULL || *text == '\0')
		return;
	g_free(s->search);
	s->search = g_strdup(text);
	search_in(s, text);
}

static void
move_focus(Session *s, int dir)
{
	for (int k = 1; k <= TUI_N_PANES; k++) {
		int i = (s->focus + dir * k + TUI_N_PANES * 2) % TUI_N_PANES;
		if (s->panes[i] != NULL) {
			s->focus = i;
			if (s->zoomed >= 0)
				s->zoomed = i;
			return;
		}
	}
}

static void
layout(Session *s, const TuiRect *body, TuiLayout *l)
{
	TuiLayoutWant want = {s->panes[TUI_PANE_LESSON] != NULL, s->panes[TUI_PANE_MAILBOX] != NULL,
	                      s->zoomed};
	tui_layout_compute(body->w, body->h + 2, &want, l);
}

static gboolean
key(TuiScreen *screen, Tui *tui, int k)
{
	Session *s = (Session *)screen;
	switch (k) {
	case ' ':
	case TUI_KEY_RIGHT:
		return step_forward(s);
	case TUI_KEY_LEFT:
		step_back(s);
		return TRUE;
	case TUI_KEY_HOME:
		if (s->mode == MODE_CAPTURE)
			show_exchanges(s, 1);
		else if (s->mode == MODE_SCENARIO)
			start_runner(s, TRUE, 0);
		return TRUE;
	case 'r':
		if (s->mode == MODE_CAPTURE) {
			show_exchanges(s, s->exchanges->len);
		} else if (s->mode == MODE_SCENARIO && s->runner != NULL) {
			s->run_all = TRUE;
			if (!scenario_runner_is_busy(s->runner) && s->run_idle == 0)
				s->run_idle = g_idle_add(run_next, s);
		}
		return TRUE;
	case 'i':
		if (s->runner == NULL)
			return TRUE;
		{
			/* Owned by the runner. */
			GPtrArray *conns = scenario_runner_connections(s->runner);
			if (conns == NULL || conns->len == 0) {
				tui_status(tui, TUI_STYLE_TEXT,
				           _("No connection is open: c opens one."));
				return TRUE;
			}
		}
		tui_prompt(tui, _("Send (as is, CRLF added):"), NULL, send_done, s);
		return TRUE;
	case 'c':
		if (s->runner != NULL)
			tui_prompt(tui, _("Open a connection: smtp, pop3 or imap?"), NULL,
			           open_done, s);
		return TRUE;
	case TUI_KEY_TAB:
		move_focus(s, 1);
		return TRUE;
	case TUI_KEY_BTAB:
		move_focus(s, -1);
		return TRUE;
	case 'z':
		s->zoomed = s->zoomed >= 0 ? -1 : s->focus;
		return TRUE;
	case 'v':
		s->panes[TUI_PANE_CONVERSATION] =
		    s->panes[TUI_PANE_CONVERSATION] == s->ladder ? s->conversation : s->ladder;
		s->focus = TUI_PANE_CONVERSATION;
		return TRUE;
	case '?':
		tui_push(tui, tui_help_new());
		return TRUE;
	case '/':
		tui_prompt(tui, _("Search:"), NULL, search_done, s);
		return TRUE;
	case 'n':
		if (s->search != NULL)
			search_in(s, s->search);
		return TRUE;
	case TUI_KEY_RETURN:
	case '\r':
	case TUI_KEY_ENTER: {
		TuiPane *p = focused(s);
		if (p == NULL || p->klass->selected == NULL)
			p = s->panes[TUI_PANE_CONVERSATION];
		const TraceEvent *ev = p->klass->selected(p);
		if (ev != NULL)
			tui_push(tui, tui_detail_new(s->events, ev));
		return TRUE;
	}
	case TUI_KEY_WHEEL_UP:
	case TUI_KEY_WHEEL_DOWN: {
		int x, y;
		tui_mouse_position(tui, &x, &y);
		TuiLayout l;
		layout(s, &s->body, &l);
		for (int i = 0; i < TUI_N_PANES; i++) {
			if (s->panes[i] != NULL && tui_rect_contains(&l.pane[i], x, y))
				return s->panes[i]->klass->key(s->panes[i], tui, k);
		}
		return TRUE;
	}
	default:
		break;
	}
	TuiPane *p = focused(s);
	return p != NULL && p->klass->key(p, tui, k);
}

/* --- Drawing --- */

static char *
title(TuiScreen *screen, Tui *tui)
{
	(void)tui;
	Session *s = (Session *)screen;
	switch (s->mode) {
	case MODE_CAPTURE: {
		g_autofree char *base = g_path_get_basename(s->capture_path);
		return g_strdup_printf(_("capture %s — exchange %u/%u"), base, s->shown,
		                       s->exchanges->len);
	}
	case MODE_FREE:
		if (s->runner == NULL)
			return g_strdup(_("free session"));
		return g_strdup_printf(_("free session — SMTP %u, POP3 %u, IMAP %u on 127.0.0.1"),
		                       scenario_runner_port(s->runner, SCENARIO_PROTO_SMTP),
		                       scenario_runner_port(s->runner, SCENARIO_PROTO_POP3),
		                       scenario_runner_port(s->runner, SCENARIO_PROTO_IMAP));
	case MODE_SCENARIO:
	default:
		return g_strdup_printf("%s (%s)", scenario_title(s->sc, facteur_i18n_lang()),
		                       s->sc->id);
	}
}

static void
draw(TuiScreen *screen, Tui *tui, const TuiRect *body)
{
	Session *s = (Session *)screen;
	s->body = *body;
	TuiLayout l;
	layout(s, body, &l);
	for (int i = 0; i < TUI_N_PANES; i++) {
		if (s->panes[i] != NULL && l.pane[i].w > 0)
			s->panes[i]->klass->draw(s->panes[i], tui, &l.pane[i], i == s->focus);
	}
}

static char *
status(TuiScreen *screen, Tui *tui)
{
	(void)tui;
	Session *s = (Session *)screen;
	if (s->events->capture_name == NULL)
		return NULL;
	return g_strdup_printf(_("capture: %s"), s->events->capture_name);
}

static void
start(TuiScreen *screen, Tui *tui)
{
	Session *s = (Session *)screen;
	s->tui = tui;
	if (s->mode != MODE_CAPTURE) {
		s->panes[TUI_PANE_MAILBOX] = pane_mailbox_new(tui);
		start_runner(s, FALSE, 0);
		if (s->runner != NULL && scenario_runner_capture_note(s->runner) != NULL)
			tui_status(tui, TUI_STYLE_NOTE, _("Capture by the tap: %s"),
			           scenario_runner_capture_note(s->runner));
	} else {
		show_exchanges(s, 1);
	}
}

static void
lang_changed(TuiScreen *screen, Tui *tui)
{
	Session *s = (Session *)screen;
	g_autoptr(GError) error = NULL;
	switch (s->mode) {
	case MODE_SCENARIO: {
		/* The tracer's explanations are in the language of the run: replay. */
		/* A step still running is replayed to its end. */
		start_runner(s, TRUE, s->lesson.step);
		break;
	}
	case MODE_CAPTURE: {
		guint shown = s->shown;
		if (!load_capture(s, &error))
			tui_status(tui, TUI_STYLE_ERROR, "%s", error->message);
		show_exchanges(s, shown);
		break;
	}
	case MODE_FREE:
		tui_status(tui, TUI_STYLE_TEXT,
		           _("Lines already shown keep their language; new ones use the new one."));
		break;
	}
}

static gboolean
confirm_quit(TuiScreen *screen)
{
	Session *s = (Session *)screen;
	return s->mode == MODE_SCENARIO && s->lesson.step > 0 && !s->lesson.done &&
	       s->lesson.failure == NULL;
}

static void
screen_free(TuiScreen *screen)
{
	Session *s = (Session *)screen;
	stop_runner(s);
	for (int i = 0; i < TUI_N_PANES; i++) {
		if (i != TUI_PANE_CONVERSATION)
			tui_pane_free(s->panes[i]);
	}
	tui_pane_free(s->conversation);
	tui_pane_free(s->ladder);
	tui_events_free(s->events);
	scenario_free(s->sc);
	g_free(s->lesson.failure);
	g_free(s->lesson.error);
	g_free(s->capture_path);
	g_free(s->search);
	g_array_unref(s->exchanges);
	g_free(s);
}

static const TuiScreenClass session_class = {
    .name = "session",
    .start = start,
    .title = title,
    .draw = draw,
    .key = key,
    .lang_changed = lang_changed,
    .confirm_quit = confirm_quit,
    .status = status,
    .free = screen_free,
};

static Session *
session_new(Mode mode)
{
	Session *s = g_new0(Session, 1);
	s->base.klass = &session_class;
	s->mode = mode;
	s->events = tui_events_new();
	s->zoomed = -1;
	s->exchanges = g_array_new(FALSE, FALSE, sizeof(guint));
	s->conversation = pane_conversation_new(s->events);
	s->ladder = pane_ladder_new(s->events);
	s->panes[TUI_PANE_CONVERSATION] = s->conversation;
	s->panes[TUI_PANE_PACKETS] = pane_packets_new(s->events);
	s->focus = TUI_PANE_CONVERSATION;
	return s;
}

TuiScreen *
tui_session_new_scenario(const char *name_or_path, GError **error)
{
	g_autofree char *path = scenario_resolve(name_or_path);
	if (path == NULL) {
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_READ,
		            _("no scenario “%s” (neither a file nor an id of %s)"), name_or_path,
		            facteur_paths_scenarios());
		return NULL;
	}
	Scenario *sc = scenario_load(path, error);
	if (sc == NULL)
		return NULL;
	Session *s = session_new(MODE_SCENARIO);
	s->sc = sc;
	s->lesson.scenario = sc;
	s->panes[TUI_PANE_LESSON] = pane_lesson_new(&s->lesson);
	return &s->base;
}

TuiScreen *
tui_session_new_free(void)
{
	Session *s = session_new(MODE_FREE);
	/* A scenario with no step: the runner then only runs the servers. */
	Scenario *sc = g_new0(Scenario, 1);
	sc->path = g_strdup("");
	sc->id = g_strdup("free");
	sc->title[0] = g_strdup("Séance libre");
	sc->title[1] = g_strdup("Free session");
	sc->setup = g_ptr_array_new();
	sc->steps = g_ptr_array_new();
	s->sc = sc;
	s->lesson.intro =
	    N_("Free session: the servers run on your mail store (users alice and bob, "
	       "passwords in users.conf). c opens a connection, i types a command on it; "
	       "students can also connect their own clients to the ports in the title bar.");
	s->panes[TUI_PANE_LESSON] = pane_lesson_new(&s->lesson);
	return &s->base;
}

TuiScreen *
tui_session_new_capture(const char *path, GError **error)
{
	Session *s = session_new(MODE_CAPTURE);
	s->capture_path = g_strdup(path);
	if (!load_capture(s, error)) {
		screen_free(&s->base);
		return NULL;
	}
	return &s->base;
}
