/* The one clock of facteur. In deterministic mode (scenarios, golden tests)
 * time starts at a fixed instant and advances one second per reading, and ids
 * count from a seed, so that a replay produces the same bytes every time. */
#pragma once

#include <glib.h>

/* 2026-11-02 09:00:00 UTC, a Monday morning of the school year. */
#define FACTEUR_CLOCK_DETERMINISTIC_START G_GINT64_CONSTANT(1793610000)

/* Switches deterministic mode on (from start, ids from 1) or off (start < 0). */
void facteur_clock_set_deterministic(gint64 start);
gboolean facteur_clock_is_deterministic(void);
/* Seconds since the epoch (UTC). */
gint64 facteur_clock_now(void);
/* Microseconds since the epoch. */
gint64 facteur_clock_now_us(void);
/* A process-wide counter for unique names (Maildir files, queue ids). */
guint64 facteur_clock_next_id(void);
/* RFC 5322 §3.3 date-time in UTC ("Mon, 02 Nov 2026 09:00:00 +0000"). Caller frees. */
char *facteur_clock_format_rfc5322(gint64 t);
