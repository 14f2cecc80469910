/* FETCH and UID FETCH (RFC 3501 §6.4.5, §7.4.2): every item of the table in
 * proto/imap-fetch.h; message content goes out as literals without being
 * copied. A FETCH over many messages waits whenever the output queue is
 * full and goes on when it has drained, so the loop never blocks. */
#include "server/imap-commands.h"

#include "server/imap-message.h"

#include <string.h>

/* Past the listener's high-water mark it stops reading and promises a
 * drained() call, when the job goes on. */
#define OUTPUT_LIMIT SERVER_OUTPUT_HIGH_MARK
/* Literals at least this large are queued as they are, without a copy. */
#define LITERAL_BY_REFERENCE 4096

struct _ImapFetchJob {
	char *tag;
	const ImapCommandInfo *info;
	gboolean uid;
	GArray *indexes; /* view indexes, ascending */
	guint pos;
	GArray *atts; /* ImapFetchAtt */
	gboolean expunged;
};

void
imap_fetch_job_free(ImapFetchJob *job)
{
	if (job == NULL)
		return;
	for (guint i = 0; i < job->atts->len; i++)
		imap_fetch_att_clear(&g_array_index(job->atts, ImapFetchAtt, i));
	g_array_unref(job->atts);
	g_array_unref(job->indexes);
	g_free(job->tag);
	g_free(job);
}

static void
add_att(GArray *atts, ImapFetchItemId id)
{
	ImapFetchAtt att = {.info = &imap_fetch_items[id]};
	g_array_append_val(atts, att);
}

/* The items of the command, macros expanded. FALSE after answering BAD. */
static gboolean
parse_items(ImapSession *s, const ImapCommand *cmd, const ImapArg *arg, GArray *atts)
{
	guint n = imap_arg_is_list(arg) ? imap_arg_count(arg) : 1;
	if (n == 0) {
		imap_session_bad(s, cmd, "Error in IMAP command %s: Empty list of items",
		                 cmd->info->name);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		const ImapArg *item = imap_arg_is_list(arg) ? imap_arg_nth(arg, i) : arg;
		const char *text;
		ImapFetchAtt att;
		char *error = NULL;
		if (!imap_arg_get_atom(item, &text) || !imap_fetch_att_parse(text, &att, &error)) {
			g_free(error);
			g_autofree char *shown = imap_arg_to_string(item);
			imap_session_bad(s, cmd,
			                 "Error in IMAP command %s: Unknown parameter: %.60s",
			                 cmd->info->name, shown);
			return FALSE;
		}
		if (att.info->macro && imap_arg_is_list(arg)) {
			imap_session_bad(s, cmd,
			                 "Error in IMAP command %s: %s only alone, not in a "
			                 "list",
			                 cmd->info->name, att.info->name);
			return FALSE;
		}
		if (att.has_partial && !att.partial_has_length) {
			imap_fetch_att_clear(&att);
			imap_session_bad(s, cmd,
			                 "Error in IMAP command %s: a partial fetch is "
			                 "<start.length>",
			                 cmd->info->name);
			return FALSE;
		}
		switch (att.info->id) {
		case IMAP_FETCH_ALL:
		case IMAP_FETCH_FAST:
		case IMAP_FETCH_FULL:
			add_att(atts, IMAP_FETCH_FLAGS);
			add_att(atts, IMAP_FETCH_INTERNALDATE);
			add_att(atts, IMAP_FETCH_RFC822_SIZE);
			if (att.info->id != IMAP_FETCH_FAST)
				add_att(atts, IMAP_FETCH_ENVELOPE);
			if (att.info->id == IMAP_FETCH_FULL)
				add_att(atts, IMAP_FETCH_BODY);
			break;
		default:
			g_array_append_val(atts, att);
		}
	}
	return TRUE;
}

static gboolean
has_item(const ImapFetchJob *job, ImapFetchItemId id)
{
	for (guint i = 0; i < job->atts->len; i++) {
		if (g_array_index(job->atts, ImapFetchAtt, i).info->id == id)
			return TRUE;
	}
	return FALSE;
}

static gboolean
sets_seen(const ImapFetchAtt *att)
{
	switch (att->info->id) {
	case IMAP_FETCH_BODY_SECTION:
	case IMAP_FETCH_RFC822:
	case IMAP_FETCH_RFC822_TEXT:
		return TRUE;
	default:
		return FALSE;
	}
}

/* Writes what line holds, then the literal: by reference when large. */
static void
append_literal(ImapSession *s, GString *line, GBytes *bytes)
{
	gsize len = g_bytes_get_size(bytes);
	g_string_append_printf(line, "{%" G_GSIZE_FORMAT "}\r\n", len);
	if (len < LITERAL_BY_REFERENCE) {
		g_string_append_len(line, g_bytes_get_data(bytes, NULL), (gssize)len);
		return;
	}
	server_conn_write(s->conn, line->str, line->len);
	g_string_truncate(line, 0);
	server_conn_write_bytes(s->conn, bytes);
}

/* The content items: the section's octets, then the partial slice. */
static void
append_content(ImapSession *s, GString *line, ImapMessage *msg, const ImapFetchAtt *att)
{
	ImapFetchAtt whole = {0};
	const ImapFetchAtt *sec = att;
	switch (att->info->id) {
	case IMAP_FETCH_RFC822:
		g_string_append(line, "RFC822 ");
		whole.text = IMAP_SECTION_WHOLE;
		sec = &whole;
		break;
	case IMAP_FETCH_RFC822_HEADER:
		g_string_append(line, "RFC822.HEADER ");
		whole.text = IMAP_SECTION_HEADER;
		sec = &whole;
		break;
	case IMAP_FETCH_RFC822_TEXT:
		g_string_append(line, "RFC822.TEXT ");
		whole.text = IMAP_SECTION_TEXT;
		sec = &whole;
		break;
	default: {
		/* BODY.PEEK[…] is answered as BODY[…] (RFC 3501 §7.4.2). */
		g_autofree char *section = imap_fetch_att_section_string(att);
		g_string_append_printf(line, "BODY[%s]", section);
		if (att->has_partial)
			g_string_append_printf(line, "<%u>", att->partial_start);
		g_string_append_c(line, ' ');
	}
	}
	g_autoptr(GBytes) bytes = imap_message_get_section(msg, sec);
	if (bytes == NULL) {
		g_string_append(line, "NIL");
		return;
	}
	if (att->has_partial) {
		gsize len = g_bytes_get_size(bytes);
		gsize start = MIN((gsize)att->partial_start, len);
		gsize n = MIN((gsize)att->partial_length, len - start);
		GBytes *part = g_bytes_new_from_bytes(bytes, start, n);
		g_bytes_unref(bytes);
		bytes = part;
	}
	append_literal(s, line, bytes);
}

/* One "* n FETCH (…)" answer. */
static void
fetch_one(ImapSession *s, ImapFetchJob *job, guint index)
{
	const StoreMessage *m = imap_session_message(s, index);
	if (m == NULL) {
		job->expunged = TRUE; /* not told yet: no EXPUNGE during FETCH (§7.4.1) */
		return;
	}
	ImapViewMsg *v = &g_array_index(s->view, ImapViewMsg, index);
	gboolean flags_changed = FALSE;
	if (!s->read_only && !(m->flags & STORE_FLAG_SEEN)) {
		for (guint i = 0; i < job->atts->len; i++) {
			if (!sets_seen(&g_array_index(job->atts, ImapFetchAtt, i)))
				continue;
			/* Reading the content marks the message read (RFC 3501 §6.4.5). */
			if (imap_session_set_flags(s, index, m->flags | STORE_FLAG_SEEN, NULL))
				flags_changed = TRUE;
			break;
		}
		m = imap_session_message(s, index);
	}
	g_autoptr(GString) line = g_string_new(NULL);
	g_string_append_printf(line, "* %u FETCH (", index + 1);
	gboolean first = TRUE;
#define SEP() (first ? (void)(first = FALSE) : (void)g_string_append_c(line, ' '))
	if (job->uid && !has_item(job, IMAP_FETCH_UID)) {
		SEP();
		g_string_append_printf(line, "UID %u", v->uid);
	}
	if (flags_changed && !has_item(job, IMAP_FETCH_FLAGS)) {
		SEP();
		g_string_append(line, "FLAGS ");
		imap_append_flags(line, m->flags, imap_session_is_recent(s, v->uid));
	}
	g_autoptr(ImapMessage) msg = NULL;
	g_autoptr(GBytes) bytes = NULL;
	for (guint i = 0; i < job->atts->len; i++) {
		const ImapFetchAtt *att = &g_array_index(job->atts, ImapFetchAtt, i);
		ImapFetchItemId id = att->info->id;
		gboolean content = id == IMAP_FETCH_ENVELOPE || id == IMAP_FETCH_BODYSTRUCTURE ||
		                   id == IMAP_FETCH_BODY || att->info->section ||
		                   id == IMAP_FETCH_RFC822 || id == IMAP_FETCH_RFC822_HEADER ||
		                   id == IMAP_FETCH_RFC822_TEXT;
		if (content && msg == NULL) {
			bytes = store_message_read(s->mb, v->uid, NULL);
			if (bytes == NULL) {
				job->expunged = TRUE;
				return;
			}
			msg = imap_message_new(bytes);
		}
		SEP();
		switch (id) {
		case IMAP_FETCH_FLAGS:
			v->flags = m->flags;
			g_string_append(line, "FLAGS ");
			imap_append_flags(line, m->flags, imap_session_is_recent(s, v->uid));
			break;
		case IMAP_FETCH_UID:
			g_string_append_printf(line, "UID %u", v->uid);
			break;
		case IMAP_FETCH_INTERNALDATE: {
			g_autofree char *date = imap_format_date_time(m->internal_date);
			g_string_append_printf(line, "INTERNALDATE \"%s\"", date);
			break;
		}
		case IMAP_FETCH_RFC822_SIZE:
			g_string_append_printf(line, "RFC822.SIZE %" G_GSIZE_FORMAT, m->size);
			break;
		case IMAP_FETCH_ENVELOPE:
			g_string_append(line, "ENVELOPE ");
			imap_message_write_envelope(msg, line);
			break;
		case IMAP_FETCH_BODYSTRUCTURE:
			g_string_append(line, "BODYSTRUCTURE ");
			imap_message_write_bodystructure(msg, line, TRUE);
			break;
		case IMAP_FETCH_BODY:
			g_string_append(line, "BODY ");
			imap_message_write_bodystructure(msg, line, FALSE);
			break;
		default:
			append_content(s, line, msg, att);
		}
	}
#undef SEP
	g_string_append(line, ")\r\n");
	server_conn_write(s->conn, line->str, line->len);
}

static void
job_finish(ImapSession *s, ImapFetchJob *job)
{
	ImapCommand cmd = {.tag = job->tag, .info = job->info, .uid = job->uid};
	/* UID FETCH may announce the expunges at once (§7.4.1); FETCH may not,
	 * and says that some messages could not be read. */
	if (job->expunged && !job->uid)
		imap_session_no(s, &cmd, "EXPUNGEISSUED",
		                "Some messages were expunged by another session; NOOP tells which");
	else
		imap_session_ok(s, &cmd, NULL, "%s completed", job->info->name);
}

/* Runs the job until done or until the output queue is full. Returns TRUE
 * when it is done. */
static gboolean
job_run(ImapSession *s, ImapFetchJob *job)
{
	while (job->pos < job->indexes->len) {
		if (server_conn_pending_output(s->conn) > OUTPUT_LIMIT || s->closing)
			return s->closing;
		fetch_one(s, job, g_array_index(job->indexes, guint, job->pos++));
	}
	job_finish(s, job);
	return TRUE;
}

void
imap_fetch_job_resume(ImapSession *s)
{
	ImapFetchJob *job = s->fetch;
	imap_session_store_begin(s);
	gboolean done = job_run(s, job);
	imap_session_store_end(s);
	if (done) {
		s->fetch = NULL;
		imap_fetch_job_free(job);
		imap_session_done(s);
	}
}

void
imap_cmd_fetch(ImapSession *s, const ImapCommand *cmd)
{
	if (imap_cmd_n_args(cmd) != 2) {
		imap_session_bad(s, cmd, "Error in IMAP command %s: a %s set and items expected",
		                 cmd->info->name, cmd->uid ? "UID" : "sequence");
		return;
	}
	ImapFetchJob *job = g_new0(ImapFetchJob, 1);
	job->atts = g_array_new(FALSE, FALSE, sizeof(ImapFetchAtt));
	job->indexes = g_array_new(FALSE, FALSE, sizeof(guint));
	if (!parse_items(s, cmd, imap_cmd_arg(cmd, 1), job->atts)) {
		imap_fetch_job_free(job);
		return;
	}
	g_array_unref(job->indexes);
	job->indexes = NULL;
	if (!imap_session_seqset_arg(s, cmd, imap_cmd_arg(cmd, 0), cmd->uid, &job->indexes)) {
		job->indexes = g_array_new(FALSE, FALSE, sizeof(guint));
		imap_fetch_job_free(job);
		return;
	}
	job->tag = g_strdup(cmd->tag);
	job->info = cmd->info;
	job->uid = cmd->uid;
	if (job_run(s, job)) {
		imap_fetch_job_free(job);
		return;
	}
	/* The rest when the output has drained (ServerProtocol.drained). */
	s->fetch = job;
	imap_session_wait(s);
}
