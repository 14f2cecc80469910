/* The screens' event lists and the one-line text of an event. */
#include "tui/tui-events.h"
#include "core/facteur-i18n.h"
#include "tui/tui-text.h"

#include <inttypes.h>

TuiEvents *
tui_events_new(void)
{
	TuiEvents *e = g_new0(TuiEvents, 1);
	e->events = g_ptr_array_new_with_free_func((GDestroyNotify)trace_event_free);
	e->by_id = g_hash_table_new(g_int64_hash, g_int64_equal);
	return e;
}

void
tui_events_free(TuiEvents *e)
{
	if (e == NULL)
		return;
	g_hash_table_unref(e->by_id);
	g_ptr_array_unref(e->events);
	g_free(e->capture_name);
	g_free(e->capture_note);
	g_free(e);
}

void
tui_events_clear(TuiEvents *e)
{
	g_hash_table_remove_all(e->by_id);
	g_ptr_array_set_size(e->events, 0);
	e->visible = 0;
	e->newest = 0;
	e->generation++;
}

void
tui_events_add(TuiEvents *e, const TraceEvent *ev, gboolean hold_back)
{
	TraceEvent *copy = trace_event_copy(ev);
	g_ptr_array_add(e->events, copy);
	/* Keyed by the copy's own id field, which lives as long as the entry. */
	g_hash_table_insert(e->by_id, &copy->id, GUINT_TO_POINTER(e->events->len));
	if (!hold_back)
		e->visible = e->events->len;
	e->generation++;
}

void
tui_events_mark_newest(TuiEvents *e)
{
	e->newest = e->events->len;
	e->generation++;
}

void
tui_events_set_visible(TuiEvents *e, guint visible)
{
	e->visible = MIN(visible, e->events->len);
	e->generation++;
}

void
tui_events_set_capture(TuiEvents *e, const char *name, const char *note)
{
	g_free(e->capture_name);
	g_free(e->capture_note);
	e->capture_name = g_strdup(name);
	e->capture_note = g_strdup(note);
	e->generation++;
}

guint
tui_events_count(const TuiEvents *e)
{
	return e->visible;
}

const TraceEvent *
tui_events_get(const TuiEvents *e, guint index)
{
	return index < e->events->len ? e->events->pdata[index] : NULL;
}

const TraceEvent *
tui_events_find(const TuiEvents *e, guint64 id)
{
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(e->by_id, &id));
	return i > 0 ? e->events->pdata[i - 1] : NULL;
}

guint
tui_events_index(const TuiEvents *e, const TraceEvent *ev)
{
	guint i = GPOINTER_TO_UINT(g_hash_table_lookup(e->by_id, &ev->id));
	return i > 0 && e->events->pdata[i - 1] == ev ? i - 1 : G_MAXUINT;
}

gboolean
tui_events_is_newest(const TuiEvents *e, const TraceEvent *ev)
{
	guint i = tui_events_index(e, ev);
	return i != G_MAXUINT && i >= e->newest && e->newest < e->visible;
}

guint
tui_events_n_connections(const TuiEvents *e)
{
	guint n = 0;
	for (guint i = 0; i < e->visible; i++) {
		const TraceEvent *ev = e->events->pdata[i];
		n = MAX(n, ev->conn);
	}
	return n;
}

gboolean
tui_events_related(const TraceEvent *a, const TraceEvent *b)
{
	if (a == NULL || b == NULL)
		return FALSE;
	if (a == b)
		return TRUE;
	if (a->pair != 0 && (a->pair == b->id || a->pair == b->pair))
		return TRUE;
	return b->pair != 0 && b->pair == a->id;
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

char *
tui_event_text(const TraceEvent *ev)
{
	if (ev->raw != NULL && ev->raw_len > 0 && ev->kind != TRACE_KIND_PACKET)
		return tui_text_visible(ev->raw, ev->raw_len);
	switch (ev->kind) {
	case TRACE_KIND_COMMAND:
		return g_strjoin(" ", or_empty(ev->tag), or_empty(ev->verb), or_empty(ev->args),
		                 NULL);
	case TRACE_KIND_REPLY:
	case TRACE_KIND_UNTAGGED:
	case TRACE_KIND_CONTINUATION:
		return g_strdup_printf("%s%s%s%s%s", ev->tag != NULL ? ev->tag : "",
		                       ev->tag != NULL ? " " : "", or_empty(ev->status),
		                       ev->status != NULL ? " " : "", or_empty(ev->text));
	case TRACE_KIND_HEADER:
		if (ev->param_of != NULL)
			return g_strdup_printf(
			    "%s=%s", or_empty(ev->name),
			    or_empty(ev->decoded != NULL ? ev->decoded : ev->value));
		return g_strdup_printf("%s: %s", or_empty(ev->name), or_empty(ev->value));
	case TRACE_KIND_MIME: {
		const char *role = trace_event_label(trace_mime_role_name(ev->mime));
		gboolean numbered = ev->part != NULL && *ev->part != '\0';
		return g_strdup_printf("[%s%s%s] %s", or_empty(role), numbered ? " " : "",
		                       or_empty(ev->part), or_empty(ev->value));
	}
	case TRACE_KIND_CONNECTION:
		if (g_strcmp0(ev->name, "close") == 0)
			return g_strdup_printf(_("connection closed: %s ⇹ %s"),
			                       or_empty(ev->client), or_empty(ev->server));
		return g_strdup_printf(_("connection opened: %s → %s"), or_empty(ev->client),
		                       or_empty(ev->server));
	case TRACE_KIND_DATA:
		if (ev->value != NULL)
			return g_strdup(ev->value);
		if (ev->size >= 0)
			return g_strdup_printf(_("%" PRId64 " octets of data"), ev->size);
		return g_strdup(or_empty(ev->summary));
	case TRACE_KIND_PACKET:
		return g_strdup(or_empty(ev->summary));
	case TRACE_KIND_STATE:
	case TRACE_KIND_NOTE:
	case TRACE_KIND_TLS:
	default:
		if (ev->value != NULL)
			return g_strdup_printf("%s: %s", or_empty(trace_event_label(ev->name)),
			                       ev->value);
		return g_strdup(
		    trace_event_label(ev->name != NULL ? ev->name : trace_kind_name(ev->kind)));
	}
}
