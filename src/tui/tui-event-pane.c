/* What the event-list panes (Conversation, Ladder, Packets) share: a TuiList
 * of lines built from the screen's events, rebuilt when the events, the width
 * or the language change, and the list's keys, selection and search. */
#include "tui/tui-pane.h"

#include "core/facteur-i18n.h"

void
tui_event_pane_init(TuiEventPane *p, const TuiPaneClass *klass, const TuiEvents *events)
{
	p->base.klass = klass;
	p->events = events;
	p->generation = G_MAXUINT;
	tui_list_init(&p->list, TRUE, TRUE);
}

gboolean
tui_event_pane_stale(const TuiEventPane *p, int width)
{
	return p->generation != p->events->generation || (width >= 0 && p->width != width) ||
	       g_strcmp0(p->lang, facteur_i18n_lang()) != 0;
}

void
tui_event_pane_built(TuiEventPane *p, int width)
{
	p->generation = p->events->generation;
	p->width = width;
	g_free(p->lang);
	p->lang = g_strdup(facteur_i18n_lang());
}

gboolean
tui_event_pane_key(TuiPane *pane, Tui *tui, int k)
{
	(void)tui;
	return tui_list_key(&((TuiEventPane *)pane)->list, k);
}

const TraceEvent *
tui_event_pane_selected(TuiPane *pane)
{
	return tui_list_selected(&((TuiEventPane *)pane)->list);
}

gboolean
tui_event_pane_search(TuiPane *pane, const char *needle)
{
	return tui_list_search(&((TuiEventPane *)pane)->list, needle);
}

void
tui_event_pane_clear(TuiEventPane *p)
{
	tui_list_clear(&p->list);
	g_clear_pointer(&p->lang, g_free);
}
