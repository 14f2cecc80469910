/* The IMAP decoder of the tracer, on proto/imap-parser.h (one parser per
 * direction, fed the raw octets so that literals are read both ways): tags
 * paired with their completion and the time between, untagged data and
 * response codes explained, continuation requests, IDLE/DONE, AUTHENTICATE
 * decoded, FETCH and APPEND message content handed to the MIME decoder, and
 * state events when a mailbox's UIDVALIDITY or UIDNEXT changed since an
 * earlier SELECT in the same capture. */
#include "trace/trace-conn.h"
#include "trace/tracer.h"
#include "proto/imap-capability.h"
#include "proto/imap-code.h"
#include "proto/imap-command.h"
#include "proto/imap-fetch.h"
#include "proto/imap-flag.h"
#include "proto/imap-parser.h"
#include "proto/imap-response.h"
#include "proto/imap-utf7.h"
#include "proto/smtp-proto.h"
#include "trace/trace-i18n.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *tag;
	guint64 event;
	gint64 ts;
	int cmd;       /* ImapCommandId or -1 */
	char *mailbox; /* SELECT/EXAMINE/STATUS: the mailbox as sent */
	gboolean sasl_plain, sasl_login;
} Pending;

typedef struct {
	ImapParser *parser;
	GString *first_line;   /* raw first line of the item being read */
	gboolean line_done;    /* its LF was seen */
	gboolean emitted;      /* the command event was sent (at LITERAL_WAIT) */
	gboolean literal_wait; /* the client waits for "+" before sending a literal */
	gboolean resync;       /* after a gap: find the start of a line first */
	gboolean skip_line;    /* dropping octets up to the next line end */
} Side;

typedef struct {
	TraceConn *conn;
	Side side[2];
	GHashTable *pending; /* tag -> Pending* */
	Pending *waiting;    /* the command a "+" continuation answers (literal, IDLE, SASL) */
	Pending *current;    /* the command being read (emitted at LITERAL_WAIT) */
	ImapState state;
	char *user;
	char *selected;
	/* Collected during the SELECT/EXAMINE in progress. */
	gboolean have_uidvalidity, have_uidnext;
	guint32 uidvalidity, uidnext;
	gboolean greeted;
	GPtrArray *scratch; /* strings that must live until the event is emitted */
} Imap;

static void
pending_free(gpointer data)
{
	Pending *p = data;
	if (p == NULL)
		return;
	g_free(p->tag);
	g_free(p->mailbox);
	g_free(p);
}

static gpointer
imap_new(TraceConn *conn)
{
	Imap *m = g_new0(Imap, 1);
	m->conn = conn;
	gsize max = trace_conn_limits(conn)->max_message;
	for (int d = 0; d < 2; d++) {
		ImapParserSide ps =
		    d == TRACE_DIR_C2S ? IMAP_PARSER_COMMANDS : IMAP_PARSER_RESPONSES;
		ImapParserLimits lim;
		imap_parser_limits_default(ps, &lim);
		lim.max_literal = MAX(lim.max_literal, max);
		lim.max_literal_total = MAX(lim.max_literal_total, 4 * max);
		lim.max_line = MAX(lim.max_line, trace_conn_limits(conn)->max_line);
		m->side[d].parser = imap_parser_new(ps, &lim);
		m->side[d].first_line = g_string_new(NULL);
		/* IMAP is read by its own parser, literals and all: every octet comes raw. */
		trace_conn_expect_octets(conn, (TraceDir)d, G_MAXUINT64);
	}
	m->pending = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, pending_free);
	m->state = IMAP_STATE_NOT_AUTH;
	m->scratch = g_ptr_array_new_with_free_func(g_free);
	return m;
}

static void
imap_free(gpointer self)
{
	Imap *m = self;
	for (int d = 0; d < 2; d++) {
		imap_parser_free(m->side[d].parser);
		g_string_free(m->side[d].first_line, TRUE);
	}
	g_hash_table_destroy(m->pending);
	g_free(m->user);
	g_free(m->selected);
	g_ptr_array_unref(m->scratch);
	g_free(m);
}

/* A string that lives until the current event is emitted. */
static const char *
keep(Imap *m, char *s)
{
	if (s != NULL)
		g_ptr_array_add(m->scratch, s);
	return s;
}

/* "name: explanation", at the same address each time it comes back. */
static const char *
labelled(Imap *m, const char *name, const char *text)
{
	char *s = g_strdup_printf("%s: %s", name, text);
	const char *t = tracer_intern(trace_conn_tracer(m->conn), s);
	return t != NULL ? t : keep(m, s);
}

static guint64
emit(Imap *m, TraceEvent *ev)
{
	guint64 id = trace_conn_emit(m->conn, ev);
	g_ptr_array_set_size(m->scratch, 0);
	return id;
}

static void
event_init(TraceEvent *ev, TraceKind kind, TraceDir dir, const char *raw)
{
	trace_event_init(ev);
	ev->kind = kind;
	ev->dir = dir;
	if (raw != NULL) {
		ev->raw = (const guint8 *)raw;
		ev->raw_len = strlen(raw);
	}
}

static void
state_event(Imap *m, const char *name, const char *value, const char *explain, const char *rfc)
{
	TraceEvent ev;
	event_init(&ev, TRACE_KIND_STATE, TRACE_DIR_S2C, NULL);
	ev.name = name;
	ev.value = value;
	trace_event_explain(&ev, explain, rfc);
	emit(m, &ev);
}

static void
set_state(Imap *m, ImapState state)
{
	if (m->state == state)
		return;
	m->state = state;
	const char *value = state == IMAP_STATE_SELECTED && m->selected != NULL
	                        ? keep(m, g_strdup_printf("selected %s", m->selected))
	                    : state == IMAP_STATE_AUTH   ? "authenticated"
	                    : state == IMAP_STATE_LOGOUT ? "logout"
	                                                 : "not authenticated";
	const char *explain = NULL;
	switch (state) {
	case IMAP_STATE_AUTH:
		explain = _("Authenticated: the client may now work on mailboxes (LIST, "
		            "CREATE, SELECT…).");
		break;
	case IMAP_STATE_SELECTED:
		explain = _("A mailbox is selected: commands on its messages (FETCH, STORE, "
		            "SEARCH, EXPUNGE…) are now allowed.");
		break;
	case IMAP_STATE_LOGOUT:
		explain = _("The session is ending: the server closes the connection.");
		break;
	default:
		explain = _("Not authenticated: only CAPABILITY, NOOP, LOGOUT, STARTTLS, "
		            "AUTHENTICATE and LOGIN are allowed.");
		break;
	}
	state_event(m, "state", value, explain, "RFC 3501 §3");
}

/* --- Literal content --- */

/* A literal's octets to the MIME decoder, lent without a copy: the parser
 * keeps them, the GByteArray only wraps them for the time of the decoding. */
static void
decode_literal(Imap *m, TraceDir dir, const ImapArg *arg, TraceMessageShape shape)
{
	gsize kept = MIN(arg->len, trace_conn_limits(m->conn)->max_message);
	GByteArray *msg = g_byte_array_new_take((guint8 *)arg->data, kept);
	trace_conn_message_decode(m->conn, dir, msg, arg->len, shape);
	gsize len;
	g_byte_array_steal(msg, &len);
	g_byte_array_unref(msg);
}

static void
literal_event(Imap *m, TraceDir dir, const char *name, const ImapArg *arg, guint64 pair,
              const char *explain, const char *rfc)
{
	TraceEvent ev;
	event_init(&ev, TRACE_KIND_DATA, dir, NULL);
	ev.name = name;
	ev.size = (gint64)arg->len;
	ev.pair = pair;
	trace_event_explain(&ev, explain, rfc);
	emit(m, &ev);
}

/* --- Client --- */

static const char *
clear_text_warning(void)
{
	return _("Anyone who captures this connection reads the password: send it only "
	         "inside TLS (STARTTLS, or port 993).");
}

static char *
sasl_decode(gboolean plain, const char *b64, gsize len)
{
	g_autofree char *authzid = NULL, *user = NULL, *password = NULL;
	if (plain && smtp_auth_decode_plain(b64, len, &authzid, &user, &password))
		return g_strdup_printf(_("user “%s”, password “%s”"), user, password);
	return smtp_auth_decode_text(b64, len);
}

static char *
plain_user(const char *b64)
{
	g_autofree char *authzid = NULL, *user = NULL, *password = NULL;
	if (smtp_auth_decode_plain(b64, strlen(b64), &authzid, &user, &password))
		return g_steal_pointer(&user);
	return NULL;
}

/* The command's text after tag and name, from the raw first line. */
static const char *
args_of(Imap *m, const char *raw, const ImapCommandInfo *info)
{
	const char *p = raw;
	int words = info != NULL && strchr(info->name, ' ') != NULL ? 3 : 2;
	for (int w = 0; w < words && p != NULL; w++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	return p != NULL && *p != '\0' ? keep(m, g_strdup(p)) : NULL;
}

/* Emits the command event (once) and registers its tag for pairing. */
static void
command_event(Imap *m, Side *s, ImapParseResult result)
{
	ImapParser *parser = s->parser;
	const char *tag = imap_parser_get_tag(parser);
	const char *name = imap_parser_get_command_name(parser);
	const ImapArg *args = imap_parser_get_args(parser);
	const ImapCommandInfo *info =
	    name != NULL ? imap_command_lookup(name, args != NULL ? imap_arg_nth(args, 0) : NULL)
	                 : NULL;
	g_autofree char *raw = g_strndup(s->first_line->str, s->first_line->len);
	g_strchomp(raw);

	TraceEvent ev;
	event_init(&ev, TRACE_KIND_COMMAND, TRACE_DIR_C2S, raw);
	ev.tag = tag;
	ev.verb =
	    info != NULL ? info->name : keep(m, name != NULL ? g_ascii_strup(name, -1) : NULL);
	ev.args = args_of(m, raw, info);
	Pending *p = g_new0(Pending, 1);
	p->tag = g_strdup(tag);
	p->cmd = info != NULL ? (int)info->id : -1;

	if (result == IMAP_PARSE_ERROR) {
		trace_event_explain(&ev, imap_parser_get_error(parser), "RFC 3501 §9");
		trace_event_explain(&ev, _("The server should answer BAD."), "RFC 3501 §7.1.3");
	} else if (info == NULL) {
		trace_event_explain(&ev,
		                    _("Not an IMAP command facteur knows: the server should answer "
		                      "BAD."),
		                    "RFC 3501 §7.1.3");
	} else {
		trace_event_explain(&ev, _(info->explain), info->rfc);
		if (!(info->states & m->state) && m->greeted)
			trace_event_explain(&ev,
			                    _("Not allowed in the current state, as far as the "
			                      "replies seen so far tell: expect NO or BAD."),
			                    "RFC 3501 §3");
	}
	const char *a0 = NULL, *a1 = NULL;
	if (args != NULL) {
		/* At LITERAL_WAIT the literal announced last has no octets yet: the
		 * getters refuse it. */
		imap_arg_get_astring(imap_arg_nth(args, 0), &a0);
		imap_arg_get_astring(imap_arg_nth(args, 1), &a1);
	}
	switch (p->cmd) {
	case IMAP_CMD_LOGIN:
		if (a0 != NULL) {
			g_free(m->user);
			m->user = g_strdup(a0);
		}
		trace_event_explain(&ev, clear_text_warning(), "RFC 3501 §11.1");
		break;
	case IMAP_CMD_AUTHENTICATE:
		if (a0 != NULL) {
			p->sasl_plain = g_ascii_strcasecmp(a0, "PLAIN") == 0;
			p->sasl_login = g_ascii_strcasecmp(a0, "LOGIN") == 0;
			const SmtpSaslInfo *si = smtp_sasl_lookup(a0);
			if (si != NULL)
				trace_event_explain(&ev, _(si->explain), si->rfc);
		}
		if (a1 != NULL) {
			ev.decoded = keep(m, sasl_decode(p->sasl_plain, a1, strlen(a1)));
			trace_event_explain(&ev,
			                    _("SASL-IR: the first answer travels on the command "
			                      "line itself, in base64 (decoded beside)."),
			                    "RFC 4959 §3");
			if (p->sasl_plain) {
				g_free(m->user);
				m->user = plain_user(a1);
			}
		}
		if (p->sasl_plain || p->sasl_login)
			trace_event_explain(&ev, clear_text_warning(), "RFC 4616 §6");
		break;
	case IMAP_CMD_SELECT:
	case IMAP_CMD_EXAMINE:
	case IMAP_CMD_STATUS:
	case IMAP_CMD_CREATE:
	case IMAP_CMD_DELETE:
	case IMAP_CMD_APPEND:
		if (a0 != NULL) {
			p->mailbox = g_strdup(a0);
			if (!imap_utf7_is_plain(a0)) {
				char *utf8 = imap_utf7_decode(a0, NULL);
				if (utf8 != NULL) {
					ev.decoded =
					    keep(m, g_strdup_printf(_("mailbox “%s”"), utf8));
					g_free(utf8);
					trace_event_explain(
					    &ev,
					    _("Mailbox names travel in modified UTF-7 "
					      "(&…- holds non-ASCII letters)."),
					    "RFC 3501 §5.1.3");
				}
			}
		}
		break;
	default:
		break;
	}
	p->event = emit(m, &ev);
	p->ts = trace_conn_now(m->conn);
	s->emitted = TRUE;
	if (p->tag != NULL) {
		/* A tag used twice while still pending: the later one wins (RFC 3501 §2.2.1). */
		Pending *old = g_hash_table_lookup(m->pending, p->tag);
		if (old != NULL && m->waiting == old)
			m->waiting = NULL;
		g_hash_table_replace(m->pending, p->tag, p);
		m->current = p;
	} else {
		pending_free(p);
		m->current = NULL;
	}
}

/* The command is complete (DONE): its literals, then what it means. */
static void
command_done(Imap *m, Side *s)
{
	Pending *p = m->current;
	const ImapArg *args = imap_parser_get_args(s->parser);
	if (p == NULL || args == NULL)
		return;
	/* A user name sent as a literal is known only now. */
	const char *user;
	if (p->cmd == IMAP_CMD_LOGIN && imap_arg_get_astring(imap_arg_nth(args, 0), &user)) {
		g_free(m->user);
		m->user = g_strdup(user);
	}
	for (guint i = 0; i < imap_arg_count(args); i++) {
		const ImapArg *a = imap_arg_nth(args, i);
		if (a->type != IMAP_ARG_LITERAL)
			continue;
		if (p->cmd == IMAP_CMD_APPEND) {
			literal_event(m, TRACE_DIR_C2S, "literal", a, p->event,
			              _("The message to append, as a literal: {size} then exactly "
			                "that many octets, no dot-stuffing."),
			              "RFC 3501 §6.3.11");
			decode_literal(m, TRACE_DIR_C2S, a, TRACE_MESSAGE_WHOLE);
		} else {
			literal_event(m, TRACE_DIR_C2S, "literal", a, p->event,
			              _("A literal: {size} announced at the end of the line, then "
			                "exactly that many octets."),
			              "RFC 3501 §4.3");
		}
	}
}

static void
client_line(Imap *m, Side *s)
{
	/* The answer to a "+" that asked for a line: DONE of IDLE, or a SASL answer. */
	const char *line = imap_parser_get_line(s->parser);
	Pending *w = m->waiting;
	TraceEvent ev;
	event_init(&ev, TRACE_KIND_CONTINUATION, TRACE_DIR_C2S, line);
	if (w != NULL)
		ev.pair = w->event;
	if (w != NULL && w->cmd == IMAP_CMD_IDLE) {
		ev.kind = TRACE_KIND_COMMAND;
		ev.verb = "DONE";
		trace_event_explain(&ev,
		                    _("DONE ends IDLE; the server then completes the IDLE command "
		                      "with its tagged OK."),
		                    "RFC 2177 §3");
	} else if (line != NULL && strcmp(line, "*") == 0) {
		trace_event_explain(&ev,
		                    _("“*” cancels the authentication; the server answers BAD."),
		                    "RFC 3501 §6.2.2");
	} else if (line != NULL) {
		ev.decoded = keep(m, sasl_decode(w != NULL && w->sasl_plain, line, strlen(line)));
		if (w != NULL && w->sasl_plain && m->user == NULL)
			m->user = plain_user(line);
		trace_event_explain(&ev,
		                    _("The client's answer to the server's challenge, in base64 "
		                      "(decoded beside)."),
		                    "RFC 3501 §6.2.2");
		if (w != NULL && (w->sasl_plain || w->sasl_login))
			trace_event_explain(&ev, clear_text_warning(), "RFC 4616 §6");
	}
	emit(m, &ev);
	if (w != NULL && w->cmd != IMAP_CMD_AUTHENTICATE)
		m->waiting = NULL;
}

/* --- Server --- */

static void
explain_capabilities(Imap *m, TraceEvent *ev, const ImapArg *args, const char *code_args)
{
	g_auto(GStrv) words = NULL;
	if (code_args != NULL) {
		words = g_strsplit(code_args, " ", -1);
	} else if (args != NULL) {
		words = g_new0(char *, imap_arg_count(args) + 1);
		for (guint i = 0, n = 0; i < imap_arg_count(args); i++) {
			const char *a;
			if (imap_arg_get_atom(imap_arg_nth(args, i), &a))
				words[n++] = g_strdup(a);
		}
	}
	for (gchar **w = words; w != NULL && *w != NULL; w++) {
		if (**w == '\0')
			continue;
		const ImapCapabilityInfo *ci = imap_capability_lookup(*w);
		const char *text = ci != NULL ? _(ci->explain)
		                              : _("a capability facteur does not know; clients "
		                                  "ignore those they do not understand.");
		trace_event_explain(ev, labelled(m, *w, text),
		                    ci != NULL ? ci->rfc : "RFC 3501 §7.2.1");
	}
}

static void
explain_flags(Imap *m, TraceEvent *ev, const ImapArg *list, ImapFlagKind kind)
{
	for (guint i = 0; i < imap_arg_count(list); i++) {
		const char *f;
		if (!imap_arg_get_atom(imap_arg_nth(list, i), &f))
			continue;
		const ImapFlagInfo *fi = imap_flag_lookup(f, kind);
		if (fi != NULL)
			trace_event_explain(ev, labelled(m, f, _(fi->explain)), fi->rfc);
	}
}

/* FETCH items: explained, and their literals handed on. */
static void
fetch_items(Imap *m, const ImapResponse *r, TraceEvent *ev, GPtrArray *literals)
{
	guint iter = 0;
	const char *name;
	const ImapArg *value;
	while (imap_response_fetch_next(r, &iter, &name, &value)) {
		ImapFetchAtt att;
		g_autofree char *err = NULL;
		if (imap_fetch_att_parse(name, &att, &err)) {
			trace_event_explain(ev, labelled(m, name, _(att.info->explain)),
			                    att.info->rfc);
			if (att.info->id == IMAP_FETCH_FLAGS)
				explain_flags(m, ev, value, IMAP_FLAG_MESSAGE);
			imap_fetch_att_clear(&att);
		}
		if (value->type == IMAP_ARG_LITERAL) {
			g_ptr_array_add(literals, (gpointer)name);
			g_ptr_array_add(literals, (gpointer)value);
		}
	}
}

static void
fetch_literal(Imap *m, const char *name, const ImapArg *value, guint64 pair)
{
	ImapFetchAtt att;
	g_autofree char *err = NULL;
	gboolean parsed = imap_fetch_att_parse(name, &att, &err);
	gboolean whole = FALSE, headers = FALSE;
	if (parsed) {
		switch (att.info->id) {
		case IMAP_FETCH_RFC822:
			whole = TRUE;
			break;
		case IMAP_FETCH_RFC822_HEADER:
			headers = TRUE;
			break;
		case IMAP_FETCH_BODY_SECTION:
		case IMAP_FETCH_BODY_PEEK_SECTION:
			if (att.has_partial && att.partial_start > 0)
				break;
			if (att.text == IMAP_SECTION_WHOLE && att.n_part == 0 && !att.has_partial)
				whole = TRUE;
			else if (att.text == IMAP_SECTION_HEADER || att.text == IMAP_SECTION_MIME ||
			         att.text == IMAP_SECTION_HEADER_FIELDS ||
			         att.text == IMAP_SECTION_HEADER_FIELDS_NOT)
				headers = TRUE;
			break;
		default:
			break;
		}
		imap_fetch_att_clear(&att);
	}
	TraceEvent ev;
	event_init(&ev, TRACE_KIND_DATA, TRACE_DIR_S2C, NULL);
	ev.name = "literal";
	ev.value = name;
	ev.size = (gint64)value->len;
	ev.pair = pair;
	trace_event_explain(&ev,
	                    whole ? _("The whole message, as a literal ({size} then exactly that "
	                              "many octets): decoded below.")
	                    : headers ? _("A header block, as a literal: decoded below.")
	                              : _("Content as a literal ({size} then exactly that many "
	                                  "octets): a part's body or a piece of the message, not a "
	                                  "whole message."),
	                    "RFC 3501 §7.4.2");
	emit(m, &ev);
	if (whole || headers) {
		decode_literal(m, TRACE_DIR_S2C, value,
		               headers ? TRACE_MESSAGE_HEADERS : TRACE_MESSAGE_WHOLE);
	}
}

static char *
memory_key(Imap *m, const char *mailbox)
{
	return g_strdup_printf("imap\x1f%s\x1f%s\x1f%s", trace_conn_server(m->conn),
	                       m->user != NULL ? m->user : "", mailbox);
}

/* A SELECT or EXAMINE succeeded: compare with the last one of this mailbox in the capture. */
static void
selected(Imap *m, Pending *p)
{
	g_free(m->selected);
	m->selected = g_strdup(p->mailbox != NULL ? p->mailbox : "");
	set_state(m, IMAP_STATE_SELECTED);
	if (!m->have_uidvalidity)
		return;
	GHashTable *memory = trace_conn_memory(m->conn);
	g_autofree char *key = memory_key(m, m->selected);
	const char *before = g_hash_table_lookup(memory, key);
	if (before != NULL) {
		guint64 old_v = g_ascii_strtoull(before, NULL, 10);
		const char *sp = strchr(before, ' ');
		guint64 old_n = sp != NULL ? g_ascii_strtoull(sp + 1, NULL, 10) : 0;
		if (old_v != m->uidvalidity) {
			g_autofree char *value =
			    g_strdup_printf("%" G_GUINT64_FORMAT " → %u", old_v, m->uidvalidity);
			state_event(m, "uidvalidity-changed", value,
			            _("UIDVALIDITY differs from the one seen at an earlier SELECT "
			              "of this mailbox in this capture: its UIDs were renumbered "
			              "(the mailbox was deleted and re-created, or rebuilt). The "
			              "client must discard its cached UIDs."),
			            "RFC 3501 §2.3.1.1");
		} else if (m->have_uidnext && sp != NULL && old_n != m->uidnext) {
			g_autofree char *value =
			    g_strdup_printf("%" G_GUINT64_FORMAT " → %u", old_n, m->uidnext);
			g_autofree char *explain =
			    m->uidnext > old_n
			        ? g_strdup_printf(
			              ngettext("UIDNEXT moved by %" PRIu64 " since the last SELECT "
			                       "of this mailbox: a message was added (it may "
			                       "have been expunged since).",
			                       "UIDNEXT moved by %" PRIu64 " since the last SELECT "
			                       "of this mailbox: messages were added, at most "
			                       "that many (UIDs need not follow each other), and "
			                       "some may have been expunged since.",
			                       (unsigned long)(m->uidnext - old_n)),
			              (guint64)m->uidnext - old_n)
			        : g_strdup(_("UIDNEXT went down although UIDVALIDITY is the "
			                     "same: the server breaks RFC 3501."));
			state_event(m, "uidnext-moved", value, explain, "RFC 3501 §2.3.1.1");
		}
	}
	if (g_hash_table_size(memory) < 10000) {
		char *v = m->have_uidnext ? g_strdup_printf("%u %u", m->uidvalidity, m->uidnext)
		                          : g_strdup_printf("%u", m->uidvalidity);
		g_hash_table_replace(memory, g_steal_pointer(&key), v);
	}
}

/* What the tagged completion of a command teaches about the session. */
static void
infer(Imap *m, Pending *p, ImapStatus status)
{
	gboolean ok = status == IMAP_STATUS_OK;
	switch (p->cmd) {
	case IMAP_CMD_LOGIN:
	case IMAP_CMD_AUTHENTICATE:
		if (ok)
			set_state(m, IMAP_STATE_AUTH);
		break;
	case IMAP_CMD_SELECT:
	case IMAP_CMD_EXAMINE:
		if (ok) {
			selected(m, p);
		} else if (m->state == IMAP_STATE_SELECTED) {
			/* A failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1). */
			set_state(m, IMAP_STATE_AUTH);
		}
		break;
	case IMAP_CMD_CLOSE:
	case IMAP_CMD_UNSELECT:
		if (ok)
			set_state(m, IMAP_STATE_AUTH);
		break;
	case IMAP_CMD_LOGOUT:
		set_state(m, IMAP_STATE_LOGOUT);
		break;
	case IMAP_CMD_STARTTLS:
		if (ok) {
			TraceEvent ev;
			event_init(&ev, TRACE_KIND_TLS, TRACE_DIR_S2C, NULL);
			ev.name = "starttls";
			trace_event_explain(&ev,
			                    _("The server agreed: the TLS handshake starts now and "
			                      "everything after it is encrypted."),
			                    "RFC 3501 §6.2.1");
			emit(m, &ev);
			trace_conn_start_tls(m->conn);
		}
		break;
	default:
		break;
	}
	if (p->cmd == IMAP_CMD_SELECT || p->cmd == IMAP_CMD_EXAMINE)
		m->have_uidvalidity = m->have_uidnext = FALSE;
}

static void
status_code(Imap *m, TraceEvent *ev, const ImapResponse *r)
{
	if (r->code == NULL)
		return;
	ev->code = r->code_args != NULL && *r->code_args != '\0'
	               ? keep(m, g_strdup_printf("%s %s", r->code, r->code_args))
	               : r->code;
	const ImapCodeInfo *ci = imap_code_lookup(r->code);
	if (ci != NULL)
		trace_event_explain(ev, _(ci->explain), ci->rfc);
	else
		trace_event_explain(ev, _("A response code facteur does not know."),
		                    "RFC 3501 §7.1");
	if (g_ascii_strcasecmp(r->code, "CAPABILITY") == 0)
		explain_capabilities(m, ev, NULL, r->code_args);
	else if (g_ascii_strcasecmp(r->code, "PERMANENTFLAGS") == 0 && r->code_args != NULL) {
		g_autofree char *flags = g_strdup(r->code_args);
		g_strdelimit(flags, "()", ' ');
		g_auto(GStrv) words = g_strsplit(g_strstrip(flags), " ", -1);
		for (gchar **w = words; *w != NULL; w++) {
			const ImapFlagInfo *fi =
			    **w != '\0' ? imap_flag_lookup(*w, IMAP_FLAG_MESSAGE) : NULL;
			if (fi != NULL)
				trace_event_explain(ev, labelled(m, *w, _(fi->explain)), fi->rfc);
		}
	}
	guint64 n;
	if (r->code_args != NULL &&
	    g_ascii_string_to_unsigned(r->code_args, 10, 0, G_MAXUINT32, &n, NULL)) {
		if (g_ascii_strcasecmp(r->code, "UIDVALIDITY") == 0) {
			m->uidvalidity = (guint32)n;
			m->have_uidvalidity = TRUE;
		} else if (g_ascii_strcasecmp(r->code, "UIDNEXT") == 0) {
			m->uidnext = (guint32)n;
			m->have_uidnext = TRUE;
		}
	}
}

static const char *
status_word(ImapStatus s)
{
	switch (s) {
	case IMAP_STATUS_OK:
		return "OK";
	case IMAP_STATUS_NO:
		return "NO";
	case IMAP_STATUS_BAD:
		return "BAD";
	case IMAP_STATUS_BYE:
		return "BYE";
	case IMAP_STATUS_PREAUTH:
		return "PREAUTH";
	default:
		return NULL;
	}
}

static void next_item(Side *s);

static void
server_response(Imap *m, const ImapResponse *r)
{
	TraceEvent ev;
	event_init(&ev, TRACE_KIND_UNTAGGED, TRACE_DIR_S2C, r->line);
	Pending *p = NULL;
	g_autoptr(GPtrArray) literals = g_ptr_array_new();

	switch (r->kind) {
	case IMAP_RESPONSE_CONTINUATION: {
		m->side[TRACE_DIR_C2S].literal_wait = FALSE;
		ev.kind = TRACE_KIND_CONTINUATION;
		ev.status = "+";
		ev.text = r->text;
		Pending *w = m->waiting != NULL ? m->waiting : m->current;
		if (w != NULL)
			ev.pair = w->event;
		const ImapResponseInfo *ri = imap_response_lookup("+");
		if (w != NULL && w->cmd == IMAP_CMD_AUTHENTICATE) {
			ev.decoded = keep(m, smtp_auth_decode_text(r->text, strlen(r->text)));
			trace_event_explain(&ev,
			                    _("The server's SASL challenge, in base64 (decoded "
			                      "beside): the client answers with one base64 line."),
			                    "RFC 3501 §6.2.2");
			imap_parser_expect_line(m->side[TRACE_DIR_C2S].parser);
			m->waiting = w;
		} else if (w != NULL && w->cmd == IMAP_CMD_IDLE) {
			trace_event_explain(&ev,
			                    _("IDLE accepted: the server will now send updates "
			                      "(EXISTS, EXPUNGE, FETCH) as they happen, until the "
			                      "client sends DONE."),
			                    "RFC 2177 §3");
			imap_parser_expect_line(m->side[TRACE_DIR_C2S].parser);
			m->waiting = w;
		} else if (ri != NULL) {
			trace_event_explain(&ev, _(ri->explain), ri->rfc);
		}
		emit(m, &ev);
		return;
	}
	case IMAP_RESPONSE_TAGGED:
		ev.kind = TRACE_KIND_REPLY;
		ev.tag = r->tag;
		p = r->tag != NULL ? g_hash_table_lookup(m->pending, r->tag) : NULL;
		if (p != NULL) {
			ev.pair = p->event;
			ev.elapsed_us = trace_conn_now(m->conn) - p->ts;
		}
		break;
	case IMAP_RESPONSE_UNTAGGED:
		break;
	}
	ev.status = status_word(r->status);
	if (r->status != IMAP_STATUS_NONE) {
		ev.text = r->text;
		const ImapResponseInfo *ri = imap_response_lookup(ev.status);
		if (ri != NULL)
			trace_event_explain(
			    &ev,
			    _(r->kind == IMAP_RESPONSE_TAGGED && ri->explain_tagged != NULL
			          ? ri->explain_tagged
			          : ri->explain),
			    ri->rfc);
		status_code(m, &ev, r);
		if (!m->greeted && r->kind == IMAP_RESPONSE_UNTAGGED)
			trace_event_explain(
			    &ev,
			    _("The greeting: the server speaks first (PREAUTH: already "
			      "authenticated; BYE: refused)."),
			    "RFC 3501 §7.1");
	} else {
		ev.verb = r->keyword;
		if (r->args != NULL && imap_arg_count(r->args) > 0)
			ev.args = keep(m, imap_arg_list_to_string(r->args));
		const ImapResponseInfo *ri =
		    r->keyword != NULL ? imap_response_lookup(r->keyword) : NULL;
		if (ri != NULL)
			trace_event_explain(&ev, _(ri->explain), ri->rfc);
		if (r->keyword != NULL && g_ascii_strcasecmp(r->keyword, "CAPABILITY") == 0)
			explain_capabilities(m, &ev, r->args, NULL);
		else if (r->keyword != NULL && (g_ascii_strcasecmp(r->keyword, "LIST") == 0 ||
		                                g_ascii_strcasecmp(r->keyword, "LSUB") == 0)) {
			explain_flags(m, &ev, imap_arg_nth(r->args, 0), IMAP_FLAG_MAILBOX);
			const char *mbox;
			if (imap_arg_get_astring(imap_arg_nth(r->args, 2), &mbox) &&
			    !imap_utf7_is_plain(mbox)) {
				char *utf8 = imap_utf7_decode(mbox, NULL);
				if (utf8 != NULL)
					ev.decoded =
					    keep(m, g_strdup_printf(_("mailbox “%s”"), utf8));
				g_free(utf8);
			}
		} else if (r->keyword != NULL && g_ascii_strcasecmp(r->keyword, "FLAGS") == 0)
			explain_flags(m, &ev, imap_arg_nth(r->args, 0), IMAP_FLAG_MESSAGE);
		else if (r->keyword != NULL && g_ascii_strcasecmp(r->keyword, "FETCH") == 0)
			fetch_items(m, r, &ev, literals);
	}
	guint64 id = emit(m, &ev);
	for (guint i = 0; i + 1 < literals->len; i += 2)
		fetch_literal(m, literals->pdata[i], literals->pdata[i + 1], id);
	if (!m->greeted && r->kind == IMAP_RESPONSE_UNTAGGED && r->status != IMAP_STATUS_NONE) {
		m->greeted = TRUE;
		if (r->status == IMAP_STATUS_PREAUTH)
			set_state(m, IMAP_STATE_AUTH);
		return;
	}
	m->greeted = TRUE;
	if (r->kind == IMAP_RESPONSE_UNTAGGED && r->status == IMAP_STATUS_BYE)
		set_state(m, IMAP_STATE_LOGOUT);
	if (p != NULL && p == m->current && m->side[TRACE_DIR_C2S].literal_wait) {
		/* The server refused the command instead of inviting its literal:
		 * the client sends nothing more of it (RFC 3501 §7.5). */
		imap_parser_reset(m->side[TRACE_DIR_C2S].parser);
		next_item(&m->side[TRACE_DIR_C2S]);
	}
	if (p != NULL) {
		infer(m, p, r->status);
		if (m->waiting == p)
			m->waiting = NULL;
		if (m->current == p)
			m->current = NULL;
		g_hash_table_remove(m->pending, r->tag);
	}
}

/* --- Feeding the parsers --- */

/* Keeps the raw first line of the item being read, for display. */
static void
track_line(Side *s, const guint8 *data, gsize len)
{
	if (s->line_done || len == 0)
		return;
	const guint8 *lf = memchr(data, '\n', len);
	gsize n = lf != NULL ? (gsize)(lf - data) : len;
	if (s->first_line->len < 4096)
		g_string_append_len(s->first_line, (const char *)data,
		                    (gssize)MIN(n, 4096 - s->first_line->len));
	if (lf != NULL)
		s->line_done = TRUE;
}

static void
next_item(Side *s)
{
	g_string_truncate(s->first_line, 0);
	s->line_done = FALSE;
	s->emitted = FALSE;
	s->literal_wait = FALSE;
}

/* After a gap: does data start a command (tag SP known command) or a
 * response ("* ", "+ ", tag SP OK/NO/BAD)? */
static gboolean
starts_line(TraceDir dir, const guint8 *data, gsize len)
{
	const guint8 *sp = memchr(data, ' ', MIN(len, 64));
	if (sp == NULL)
		return FALSE;
	gsize tag_len = (gsize)(sp - data);
	if (dir == TRACE_DIR_S2C && tag_len == 1 && (data[0] == '*' || data[0] == '+'))
		return TRUE;
	for (gsize i = 0; i < tag_len; i++)
		if (data[i] <= ' ' || data[i] >= 0x7f || strchr("(){%*\"\\]+", data[i]) != NULL)
			return FALSE;
	const guint8 *word = sp + 1;
	gsize rest = len - tag_len - 1, n = 0;
	while (n < rest && n < 16 && g_ascii_isalpha(word[n]))
		n++;
	if (n == 0 || (n < rest && word[n] != ' ' && word[n] != '\r'))
		return FALSE;
	g_autofree char *w = g_strndup((const char *)word, n);
	if (dir == TRACE_DIR_S2C)
		return g_ascii_strcasecmp(w, "OK") == 0 || g_ascii_strcasecmp(w, "NO") == 0 ||
		       g_ascii_strcasecmp(w, "BAD") == 0;
	return imap_command_lookup(w, NULL) != NULL || g_ascii_strcasecmp(w, "UID") == 0;
}

static void
imap_octets(gpointer self, TraceDir dir, const guint8 *data, gsize len, guint64 remaining)
{
	Imap *m = self;
	Side *s = &m->side[dir];
	(void)remaining;
	if (s->resync && len > 0) {
		s->resync = FALSE;
		if (!starts_line(dir, data, len))
			s->skip_line = TRUE;
	}
	if (s->skip_line) {
		const guint8 *lf = memchr(data, '\n', len);
		if (lf == NULL)
			return;
		s->skip_line = FALSE;
		len -= (gsize)(lf + 1 - data);
		data = lf + 1;
	}
	while (len > 0) {
		gsize used = 0;
		gboolean was_line = dir == TRACE_DIR_C2S && m->waiting != NULL;
		ImapParseResult r = imap_parser_feed(s->parser, data, len, &used);
		track_line(s, data, used);
		data += used;
		len -= used;
		switch (r) {
		case IMAP_PARSE_NEED_MORE:
			return;
		case IMAP_PARSE_LITERAL_WAIT:
			if (!s->emitted)
				command_event(m, s, r);
			m->waiting = m->current;
			s->literal_wait = TRUE;
			break;
		case IMAP_PARSE_DONE:
			if (dir == TRACE_DIR_S2C) {
				server_response(m, imap_parser_get_response(s->parser));
			} else if (imap_parser_get_line(s->parser) != NULL && was_line &&
			           !s->emitted) {
				client_line(m, s);
			} else {
				if (!s->emitted)
					command_event(m, s, r);
				command_done(m, s);
				if (m->waiting == m->current && m->current != NULL &&
				    m->current->cmd != IMAP_CMD_IDLE &&
				    m->current->cmd != IMAP_CMD_AUTHENTICATE)
					m->waiting = NULL;
			}
			next_item(s);
			break;
		case IMAP_PARSE_ERROR:
			if (dir == TRACE_DIR_C2S) {
				if (!s->emitted)
					command_event(m, s, r);
			} else {
				TraceEvent ev;
				g_autofree char *raw =
				    g_strndup(s->first_line->str, s->first_line->len);
				g_strchomp(raw);
				event_init(&ev, TRACE_KIND_NOTE, TRACE_DIR_S2C, raw);
				ev.name = "bad-response";
				trace_event_explain(&ev, imap_parser_get_error(s->parser),
				                    "RFC 3501 §9");
				emit(m, &ev);
			}
			next_item(s);
			break;
		}
	}
}

static void
imap_line(gpointer self, TraceDir dir, const guint8 *line, gsize len, gsize eol)
{
	/* Both directions are read as octets (imap_new), so lines come here only
	 * if the framing was reset: hand them back to the parser whole. */
	Imap *m = self;
	imap_octets(m, dir, line, len, 0);
	if (eol > 0)
		imap_octets(m, dir, (const guint8 *)"\r\n", 2, 0);
}

static void
imap_gap(gpointer self, TraceDir dir, guint64 len)
{
	Imap *m = self;
	/* Server octets were lost: the greeting, which comes first, was among
	 * them or before them; the next reply is not it (a lost greeting made
	 * the reply to USER or LOGIN look like one). */
	if (dir == TRACE_DIR_S2C && len > 0)
		m->greeted = TRUE;
	imap_parser_reset(m->side[dir].parser);
	next_item(&m->side[dir]);
	m->side[dir].resync = TRUE;
	m->side[dir].skip_line = FALSE;
	m->waiting = NULL;
	m->current = NULL;
}

static void
imap_close(gpointer self)
{
	Imap *m = self;
	GHashTableIter it;
	gpointer value;
	g_hash_table_iter_init(&it, m->pending);
	while (g_hash_table_iter_next(&it, NULL, &value)) {
		Pending *p = value;
		if (p->cmd == IMAP_CMD_LOGOUT)
			continue;
		TraceEvent ev;
		event_init(&ev, TRACE_KIND_NOTE, TRACE_DIR_S2C, NULL);
		ev.name = "no-reply";
		ev.tag = p->tag;
		ev.pair = p->event;
		trace_event_explain(&ev, _("No tagged completion of this command was seen."), NULL);
		emit(m, &ev);
	}
}

const TraceDecoderClass trace_imap_decoder = {
    .proto = TRACE_PROTO_IMAP,
    .new = imap_new,
    .free = imap_free,
    .line = imap_line,
    .octets = imap_octets,
    .gap = imap_gap,
    .close = imap_close,
};
