/* The Mailbox pane, the server's side: the selected user's mailbox with its
 * messages (number, UID, size, flags, marked for deletion by a POP3 DELE),
 * UIDVALIDITY and UIDNEXT, and the other mailboxes and users. It reads the
 * store at each draw and redraws on the store's notifications, so DELE, RSET,
 * QUIT and a recreated mailbox are seen as they happen. */
#include "core/facteur-i18n.h"
#include "store/store.h"
#include "tui/tui-list.h"
#include "tui/tui-pane.h"

typedef struct {
	TuiPane base;
	Tui *tui;
	Store *store; /* borrowed */
	guint watch;
	char *user;
	char *mailbox;
	gboolean chosen;     /* the user picked with u/b: stop following changes */
	guint32 changed_uid; /* the message the last change was about */
	char *last_change;   /* one line saying what changed */
	TuiList list;
} PaneMailbox;

static void
on_change(const StoreChange *c, gpointer data)
{
	PaneMailbox *p = data;
	if (!p->chosen && c->user != NULL) {
		if (g_strcmp0(p->user, c->user) != 0) {
			g_free(p->user);
			p->user = g_strdup(c->user);
		}
		const char *mb = c->mailbox != NULL ? c->mailbox : "INBOX";
		if (c->kind == STORE_CHANGE_MAILBOX_RENAMED && c->new_name != NULL)
			mb = c->new_name;
		if (c->kind != STORE_CHANGE_MAILBOX_DELETED && g_strcmp0(p->mailbox, mb) != 0) {
			g_free(p->mailbox);
			p->mailbox = g_strdup(mb);
		}
	}
	p->changed_uid = c->uid;
	g_free(p->last_change);
	switch (c->kind) {
	case STORE_CHANGE_MESSAGE_NEW:
		p->last_change = g_strdup_printf(_("new message, UID %u"), c->uid);
		break;
	case STORE_CHANGE_FLAGS:
		p->last_change = g_strdup_printf(_("flags of UID %u changed"), c->uid);
		break;
	case STORE_CHANGE_EXPUNGE:
		p->last_change = g_strdup_printf(_("UID %u removed for good"), c->uid);
		break;
	case STORE_CHANGE_MAILBOX_CREATED:
		p->last_change = g_strdup_printf(_("mailbox %s created, UIDVALIDITY %u"),
		                                 c->mailbox, c->uidvalidity);
		break;
	case STORE_CHANGE_MAILBOX_DELETED:
		p->last_change = g_strdup_printf(_("mailbox %s deleted"), c->mailbox);
		break;
	case STORE_CHANGE_MAILBOX_RENAMED:
		p->last_change =
		    g_strdup_printf(_("mailbox %s renamed %s"), c->mailbox, c->new_name);
		break;
	case STORE_CHANGE_MAILBOX_RECREATED:
		p->last_change = g_strdup_printf(_("mailbox %s recreated: new UIDVALIDITY %u"),
		                                 c->mailbox, c->uidvalidity);
		break;
	case STORE_CHANGE_POP3_OPENED:
		p->last_change = g_strdup(_("a POP3 session took the maildrop"));
		break;
	case STORE_CHANGE_POP3_MARKS:
		p->last_change =
		    c->flags ? g_strdup_printf(_("UID %u marked for deletion (DELE)"), c->uid)
		             : g_strdup_printf(_("UID %u unmarked (RSET)"), c->uid);
		break;
	case STORE_CHANGE_POP3_CLOSED:
		p->last_change = g_strdup(_("the POP3 session released the maildrop"));
		break;
	default:
		p->last_change = NULL;
		break;
	}
	tui_queue_redraw(p->tui);
}

void
pane_mailbox_set_store(TuiPane *pane, Store *store, const char *default_user)
{
	PaneMailbox *p = (PaneMailbox *)pane;
	if (p->store != NULL && p->watch != 0)
		store_unwatch(p->store, p->watch);
	p->watch = 0;
	p->store = store;
	g_clear_pointer(&p->last_change, g_free);
	p->changed_uid = 0;
	if (store == NULL)
		return;
	p->watch = store_watch(store, on_change, p);
	if (p->user == NULL || !store_user_exists(store, p->user)) {
		g_free(p->user);
		p->user = g_strdup(default_user);
		if (p->user == NULL || !store_user_exists(store, p->user)) {
			g_auto(GStrv) users = store_list_users(store);
			g_free(p->user);
			p->user = users != NULL && users[0] != NULL ? g_strdup(users[0]) : NULL;
		}
	}
	if (p->mailbox == NULL)
		p->mailbox = g_strdup("INBOX");
}

static void
flags_text(GString *s, const StoreMessage *m)
{
	static const struct {
		guint32 bit;
		const char *name;
	} names[] = {{STORE_FLAG_SEEN, "\\Seen"},
	             {STORE_FLAG_ANSWERED, "\\Answered"},
	             {STORE_FLAG_FLAGGED, "\\Flagged"},
	             {STORE_FLAG_DELETED, "\\Deleted"},
	             {STORE_FLAG_DRAFT, "\\Draft"}};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		if (m->flags & names[i].bit)
			g_string_append_printf(s, "%s%s", s->len ? " " : "", names[i].name);
	}
	if (m->recent)
		g_string_append_printf(s, "%s\\Recent", s->len ? " " : "");
}

/* Spaces made non-breaking, so that wrapping moves the words together. */
static char *
unbreakable(const char *text)
{
	GString *s = g_string_new(NULL);
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ')
			g_string_append(s, "\u00a0");
		else
			g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

static void
add(GPtrArray *lines, int width, int indent, TuiStyle style, const char *text)
{
	TuiSpan span = {(char *)text, style};
	tui_lines_wrap(lines, &span, 1, width, indent, indent, NULL);
}

static void
build(PaneMailbox *p, int width)
{
	GPtrArray *lines = tui_lines_new();
	if (p->store == NULL || p->user == NULL) {
		add(lines, width, 0, TUI_STYLE_DIM, _("No mail store."));
		tui_list_set_lines(&p->list, lines);
		return;
	}
	g_autoptr(GError) error = NULL;
	g_auto(GStrv) boxes = store_mailbox_list(p->store, p->user, &error);
	if (boxes != NULL && !g_strv_contains((const char *const *)boxes, p->mailbox)) {
		g_free(p->mailbox);
		p->mailbox = g_strdup(boxes[0] != NULL ? boxes[0] : "INBOX");
	}
	g_autofree char *head = g_strdup_printf("%s — %s", p->user, p->mailbox);
	add(lines, width, 0, TUI_STYLE_TITLE, head);
	g_autoptr(StoreMailbox) mb = store_mailbox_open(p->store, p->user, p->mailbox, &error);
	if (mb == NULL) {
		add(lines, width, 0, TUI_STYLE_ERROR, error != NULL ? error->message : "");
	} else {
		g_autofree char *ids =
		    g_strdup_printf("UIDVALIDITY %u  UIDNEXT %u", store_mailbox_uidvalidity(mb),
		                    store_mailbox_uidnext(mb));
		add(lines, width, 0, TUI_STYLE_BOLD, ids);
		guint n = store_mailbox_count(mb);
		g_autofree char *count = g_strdup_printf(
		    ngettext("%u message, %u unseen, %u recent",
		             "%u messages, %u unseen, %u recent", n),
		    n, store_mailbox_count_unseen(mb), store_mailbox_count_recent(mb));
		add(lines, width, 0, TUI_STYLE_TEXT, count);
		gboolean inbox = g_ascii_strcasecmp(p->mailbox, "INBOX") == 0;
		if (inbox && store_pop3_is_locked(p->store, p->user))
			add(lines, width, 0, TUI_STYLE_STATE,
			    _("POP3 session open: the maildrop is locked."));
		TuiLine *cols = tui_line_new(0);
		tui_line_addf(cols, TUI_STYLE_DIM, "%3s %5s %7s  %s", "#", "UID", _("Size"),
		              _("Flags"));
		g_ptr_array_add(lines, cols);
		gboolean any_marked = FALSE;
		for (guint i = 0; i < n; i++) {
			const StoreMessage *m = store_mailbox_nth(mb, i);
			gboolean marked = inbox && store_pop3_is_marked(p->store, p->user, m->uid);
			g_autoptr(GString) fl = g_string_new(NULL);
			flags_text(fl, m);
			g_autoptr(TuiLine) row = tui_line_new(0);
			TuiStyle st = marked ? TUI_STYLE_STATE : TUI_STYLE_TEXT;
			tui_line_addf(row, st, "%3u %5u %7" G_GSIZE_FORMAT "  ", i + 1, m->uid,
			              m->size);
			if (marked) {
				/* The mark first, kept in one piece: it is what the class looks at.
				 */
				g_autofree char *mark = width >= 44
				                            ? unbreakable(_("marked for deletion"))
				                            : g_strdup("DELE");
				tui_line_addf(row, TUI_STYLE_ERROR, "✗\u00a0%s ", mark);
				any_marked = TRUE;
			}
			if (fl->len > 0)
				tui_line_add(row, TUI_STYLE_DIM, fl->str);
			row->highlight = p->changed_uid != 0 && m->uid == p->changed_uid;
			tui_lines_wrap_line(lines, row, width, 18);
		}
		if (any_marked && width < 44) {
			g_autofree char *legend =
			    g_strdup_printf("✗ DELE: %s", _("marked for deletion"));
			add(lines, width, 2, TUI_STYLE_ERROR, legend);
		}
		if (n == 0)
			add(lines, width, 4, TUI_STYLE_DIM, _("(empty)"));
	}
	if (p->last_change != NULL) {
		g_autofree char *t = g_strdup_printf(_("Last change: %s"), p->last_change);
		add(lines, width, 0, TUI_STYLE_STATE, t);
	}
	if (boxes != NULL && boxes[0] != NULL && boxes[1] != NULL) {
		g_autoptr(TuiLine) l = tui_line_new(0);
		tui_line_add(l, TUI_STYLE_DIM, _("Mailboxes (b):"));
		for (guint i = 0; boxes[i] != NULL; i++)
			tui_line_addf(l,
			              g_strcmp0(boxes[i], p->mailbox) == 0 ? TUI_STYLE_BOLD
			                                                   : TUI_STYLE_DIM,
			              " %s", boxes[i]);
		tui_lines_wrap_line(lines, l, width, 2);
	}
	g_auto(GStrv) users = store_list_users(p->store);
	if (users != NULL && users[0] != NULL && users[1] != NULL) {
		g_autoptr(TuiLine) l = tui_line_new(0);
		tui_line_add(l, TUI_STYLE_DIM, _("Users (u):"));
		for (guint i = 0; users[i] != NULL; i++)
			tui_line_addf(
			    l, g_strcmp0(users[i], p->user) == 0 ? TUI_STYLE_BOLD : TUI_STYLE_DIM,
			    " %s", users[i]);
		tui_lines_wrap_line(lines, l, width, 2);
	}
	int top = p->list.top;
	tui_list_set_lines(&p->list, lines);
	p->list.top = top;
}

static void
draw(TuiPane *pane, Tui *tui, const TuiRect *r, gboolean focused)
{
	(void)tui;
	PaneMailbox *p = (PaneMailbox *)pane;
	TuiRect in = tui_rect_inner(r);
	build(p, in.w);
	tui_draw_box(r, _(pane->klass->name), _("server side"), focused);
	tui_list_draw(&p->list, &in, focused);
}

/* The next name after cur in a NULL-terminated list, wrapping. */
static char *
next_in(char **names, const char *cur)
{
	if (names == NULL || names[0] == NULL)
		return NULL;
	for (guint i = 0; names[i] != NULL; i++) {
		if (g_strcmp0(names[i], cur) == 0)
			return g_strdup(names[i + 1] != NULL ? names[i + 1] : names[0]);
	}
	return g_strdup(names[0]);
}

static gboolean
key(TuiPane *pane, Tui *tui, int k)
{
	PaneMailbox *p = (PaneMailbox *)pane;
	if (p->store == NULL)
		return tui_list_key(&p->list, k);
	if (k == 'u') {
		g_auto(GStrv) users = store_list_users(p->store);
		char *next = next_in(users, p->user);
		if (next != NULL) {
			g_free(p->user);
			p->user = next;
			g_free(p->mailbox);
			p->mailbox = g_strdup("INBOX");
		}
		p->chosen = TRUE;
		p->changed_uid = 0;
		tui_queue_redraw(tui);
		return TRUE;
	}
	if (k == 'b') {
		g_auto(GStrv) boxes = store_mailbox_list(p->store, p->user, NULL);
		char *next = next_in(boxes, p->mailbox);
		if (next != NULL) {
			g_free(p->mailbox);
			p->mailbox = next;
		}
		p->chosen = TRUE;
		p->changed_uid = 0;
		tui_queue_redraw(tui);
		return TRUE;
	}
	return tui_list_key(&p->list, k);
}

static gboolean
search(TuiPane *pane, const char *needle)
{
	return tui_list_search(&((PaneMailbox *)pane)->list, needle);
}

static void
pane_free(TuiPane *pane)
{
	PaneMailbox *p = (PaneMailbox *)pane;
	pane_mailbox_set_store(pane, NULL, NULL);
	tui_list_clear(&p->list);
	g_free(p->user);
	g_free(p->mailbox);
	g_free(p);
}

static const TuiPaneClass pane_mailbox_class = {
    .name = N_("Mailbox"),
    .draw = draw,
    .key = key,
    .search = search,
    .free = pane_free,
};

TuiPane *
pane_mailbox_new(Tui *tui)
{
	PaneMailbox *p = g_new0(PaneMailbox, 1);
	p->base.klass = &pane_mailbox_class;
	p->tui = tui;
	tui_list_init(&p->list, FALSE, FALSE);
	return &p->base;
}
