/* Real or deterministic time and ids; see facteur-clock.h. */
#include "core/facteur-clock.h"

static gboolean deterministic;
static gint64 det_now;
static guint64 next_id = 1;

void
facteur_clock_set_deterministic(gint64 start)
{
	deterministic = start >= 0;
	det_now = start;
	next_id = 1;
}

gboolean
facteur_clock_is_deterministic(void)
{
	return deterministic;
}

gint64
facteur_clock_now_us(void)
{
	if (deterministic)
		return det_now++ * G_USEC_PER_SEC;
	return g_get_real_time();
}

gint64
facteur_clock_now(void)
{
	return facteur_clock_now_us() / G_USEC_PER_SEC;
}

guint64
facteur_clock_next_id(void)
{
	return next_id++;
}

char *
facteur_clock_format_rfc5322(gint64 t)
{
	/* Day and month names are fixed English tokens in RFC 5322 §3.3, never translated. */
	static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(t);
	if (dt == NULL)
		return g_strdup("Thu, 01 Jan 1970 00:00:00 +0000");
	return g_strdup_printf(
	    "%s, %02d %s %04d %02d:%02d:%02d +0000", days[g_date_time_get_day_of_week(dt) - 1],
	    g_date_time_get_day_of_month(dt), months[g_date_time_get_month(dt) - 1],
	    g_date_time_get_year(dt), g_date_time_get_hour(dt), g_date_time_get_minute(dt),
	    g_date_time_get_second(dt));
}
