/* Plays a scenario against the built-in servers: a fresh temporary store with
 * the deterministic clock, the three servers on 127.0.0.1 (ephemeral ports),
 * client connections over real TCP, and the tracer watching (libpcap when
 * permitted, the in-process tap otherwise). What the transcript shows comes
 * from the tracer's events. Driven one step at a time on the main loop; step
 * back by replaying a new runner to step n-1 (the output is identical). */
#pragma once

#include "scenario/scenario.h"
#include "store/store.h"
#include "trace/trace-event.h"

typedef struct _ScenarioRunner ScenarioRunner;

typedef enum {
	SCENARIO_CAPTURE_AUTO, /* libpcap on lo when permitted, else the tap */
	SCENARIO_CAPTURE_TAP,  /* always the in-process tap */
	SCENARIO_CAPTURE_PCAP, /* libpcap or fail */
} ScenarioCapture;

typedef struct {
	/* Called on the main loop, in this order per step: step_started, the
	 * tracer's events for the step (in wire order), then step_finished or failed. */
	void (*step_started)(ScenarioRunner *r, const ScenarioStep *step, gpointer data);
	/* A borrowed event (copy with trace_event_copy to keep it). */
	void (*event)(ScenarioRunner *r, const TraceEvent *ev, gpointer data);
	void (*step_finished)(ScenarioRunner *r, const ScenarioStep *step, gpointer data);
	/* An expectation did not hold, or the scenario could not go on: the
	 * runner stops. message is translated and says what was expected and what came. */
	void (*failed)(ScenarioRunner *r, const ScenarioStep *step, const ScenarioInstr *instr,
	               const char *message, gpointer data);
} ScenarioRunnerCallbacks;

typedef struct {
	ScenarioCapture capture;
	gboolean fast;           /* pauses take no time (replaying to a step) */
	gboolean packets;        /* also deliver TRACE_KIND_PACKET events */
	guint expect_timeout_ms; /* how long an expectation waits; default 5000 */
	/* The TUI's free session: an existing data directory instead of a fresh
	 * temporary store (created with the demo mail when new), the real clock,
	 * and the default ports 2525/2110/2143 when free so that students' own
	 * clients can join (ephemeral ports otherwise). */
	const char *data_dir;
} ScenarioRunnerOptions;

/* Prepares the store and servers (the set-up of the scenario). The scenario
 * must outlive the runner. */
ScenarioRunner *scenario_runner_new(const Scenario *sc, const ScenarioRunnerOptions *options,
                                    const ScenarioRunnerCallbacks *callbacks, gpointer data,
                                    GError **error);
/* Stops everything, removes the temporary store. */
void scenario_runner_free(ScenarioRunner *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ScenarioRunner, scenario_runner_free)

/* Starts the next step; returns FALSE when a step is running, the scenario is
 * over or has failed. The step runs on the main loop. */
gboolean scenario_runner_next(ScenarioRunner *r);
/* Runs steps until step number `until` (inclusive) has finished, or the end, on
 * a nested loop; returns FALSE when a step failed. For `facteur play` and replays. */
gboolean scenario_runner_run_to(ScenarioRunner *r, guint until);
gboolean scenario_runner_is_busy(const ScenarioRunner *r);
gboolean scenario_runner_has_failed(const ScenarioRunner *r);
gboolean scenario_runner_is_done(const ScenarioRunner *r);
/* The last finished step (0 before the first). */
guint scenario_runner_current_step(const ScenarioRunner *r);

/* The scenario's store, for the TUI's mailbox pane (watch it with store_watch). */
Store *scenario_runner_store(ScenarioRunner *r);
/* "libpcap" or "tap" (translated text for the status line with _()). */
const char *scenario_runner_capture_name(const ScenarioRunner *r);
/* Why libpcap was not used (NULL when it is): one translated sentence. */
const char *scenario_runner_capture_note(const ScenarioRunner *r);

/* Free input (the TUI's `i`): sends line + CRLF on the named connection, or on
 * the last one used when conn is NULL. The server's answer arrives as events.
 * Returns FALSE (with a translated reason) when there is no such open connection. */
gboolean scenario_runner_send_line(ScenarioRunner *r, const char *conn, const char *line,
                                   GError **error);
/* Opens a client connection (free session, or the TUI's `i` on a new
 * connection); its greeting arrives as events. */
gboolean scenario_runner_open_connection(ScenarioRunner *r, const char *conn, ScenarioProto proto,
                                         GError **error);
/* The port a protocol's server listens on (to tell students where to connect). */
guint16 scenario_runner_port(const ScenarioRunner *r, ScenarioProto proto);
/* Names of the connections opened so far, in order (owned by the runner). */
GPtrArray *scenario_runner_connections(const ScenarioRunner *r); /* char* names, owned */
