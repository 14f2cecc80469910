/* The scenario's client connections: see scenario-client.h. Replies are cut
 * with the protocol knowledge of src/proto where it decides the framing (POP3
 * multi-line replies depend on the command). */
#include "scenario/scenario-client.h"

#include "core/facteur-i18n.h"
#include "core/line-buffer.h"
#include "proto/pop3-proto.h"

#include <string.h>

#define MAX_LINE (1024 * 1024)

struct _ScenarioClient {
	char *name;
	ScenarioProto proto;
	GSocket *socket;
	GSource *source;
	gboolean connected;
	gboolean closed;
	LineBuffer *lb;
	GByteArray *outbuf; /* not yet sent (the socket was full) */
	GSource *out_source;
	ScenarioClientFunc func;
	gpointer data;
	GQueue replies;  /* ScenarioReply */
	GQueue commands; /* POP3: the commands whose replies are awaited (Pop3Command*) */
	guint ignore;    /* replies to drop (free input) */
	guint n_replies; /* replies completed so far */
	/* The reply being gathered. */
	GString *current;
	gboolean in_body;   /* POP3 multi-line body */
	gsize literal_left; /* IMAP: octets of a literal still to come */
};

void
scenario_reply_free(ScenarioReply *r)
{
	if (r == NULL)
		return;
	g_free(r->status);
	g_free(r->tag);
	g_free(r->untagged_status);
	g_free(r->text);
	g_free(r);
}

static void
append_line(ScenarioClient *c, const char *line, gsize len)
{
	if (c->current == NULL)
		c->current = g_string_new(NULL);
	else
		g_string_append_c(c->current, '\n');
	g_string_append_len(c->current, line, (gssize)len);
}

static void
complete(ScenarioClient *c, ScenarioReplyKind kind, const char *status, const char *tag)
{
	ScenarioReply *r = g_new0(ScenarioReply, 1);
	r->kind = kind;
	r->status = g_strdup(status);
	r->tag = g_strdup(tag);
	r->text =
	    c->current != NULL ? g_string_free(g_steal_pointer(&c->current), FALSE) : g_strdup("");
	r->number = ++c->n_replies;
	if (kind == SCENARIO_REPLY_UNTAGGED) {
		static const char *const conds[] = {"OK", "NO", "BAD", "BYE", "PREAUTH"};
		const char *w = r->text + 2;
		for (gsize i = 0; i < G_N_ELEMENTS(conds); i++) {
			gsize n = strlen(conds[i]);
			if (g_ascii_strncasecmp(w, conds[i], n) == 0 &&
			    (w[n] == ' ' || w[n] == '\0' || w[n] == '\n'))
				r->untagged_status = g_strdup(conds[i]);
		}
	}
	if (kind == SCENARIO_REPLY_STATUS && c->ignore > 0) {
		c->ignore--;
		scenario_reply_free(r);
		return;
	}
	g_queue_push_tail(&c->replies, r);
}

/* --- per-protocol framing of one line --- */

static void
smtp_line(ScenarioClient *c, const char *line, gsize len)
{
	append_line(c, line, len);
	/* "250-…" continues, "250 …" or "250" ends the reply (RFC 5321 §4.2.1). */
	if (len >= 3 && g_ascii_isdigit(line[0]) && g_ascii_isdigit(line[1]) &&
	    g_ascii_isdigit(line[2]) && (len == 3 || line[3] == ' ')) {
		char code[4] = {line[0], line[1], line[2], '\0'};
		complete(c, SCENARIO_REPLY_STATUS, code, NULL);
	}
}

static void
pop3_line(ScenarioClient *c, const char *line, gsize len)
{
	if (c->in_body) {
		const char *data;
		gsize dlen;
		if (pop3_unstuff_line(line, len, &data, &dlen)) {
			c->in_body = FALSE;
			complete(c, SCENARIO_REPLY_STATUS, "+OK", NULL);
		} else {
			append_line(c, data, dlen);
		}
		return;
	}
	Pop3ReplyLine rl;
	append_line(c, line, len);
	if (!pop3_reply_parse_line(line, len, &rl)) {
		complete(c, SCENARIO_REPLY_STATUS, "?", NULL);
		return;
	}
	if (rl.status == POP3_REPLY_CONTINUATION) {
		complete(c, SCENARIO_REPLY_CONTINUATION, "+", NULL);
		return;
	}
	Pop3Command *cmd = g_queue_pop_head(&c->commands);
	gboolean multi = rl.status == POP3_REPLY_OK && cmd != NULL && cmd->info != NULL &&
	                 pop3_command_reply_is_multiline(cmd->info, cmd->n_args);
	pop3_command_free(cmd);
	if (multi)
		c->in_body = TRUE;
	else
		complete(c, SCENARIO_REPLY_STATUS, rl.status == POP3_REPLY_OK ? "+OK" : "-ERR",
		         NULL);
}

/* "{123}" or "{123+}" at the end of an IMAP line announces a literal. */
static gboolean
literal_at_end(const char *line, gsize len, gsize *size_r)
{
	if (len < 3 || line[len - 1] != '}')
		return FALSE;
	gsize i = len - 2;
	if (line[i] == '+')
		i--;
	gsize end = i + 1;
	while (i > 0 && g_ascii_isdigit(line[i]))
		i--;
	if (line[i] != '{' || i + 1 == end)
		return FALSE;
	guint64 n = g_ascii_strtoull(line + i + 1, NULL, 10);
	if (n > G_MAXUINT32)
		return FALSE;
	*size_r = (gsize)n;
	return TRUE;
}

static void
imap_line(ScenarioClient *c, const char *line, gsize len)
{
	append_line(c, line, len);
	gsize lit;
	if (literal_at_end(line, len, &lit)) {
		c->literal_left = lit;
		return;
	}
	/* The response is whole: classify it by its first line. */
	const char *first = c->current->str;
	if (first[0] == '*' && first[1] == ' ') {
		complete(c, SCENARIO_REPLY_UNTAGGED, "*", NULL);
	} else if (first[0] == '+' && (first[1] == ' ' || first[1] == '\0' || first[1] == '\n')) {
		complete(c, SCENARIO_REPLY_CONTINUATION, "+", NULL);
	} else {
		g_auto(GStrv) w = g_strsplit(first, " ", 3);
		const char *tag = w[0];
		g_autofree char *status = g_ascii_strup(w[1] != NULL ? w[1] : "", -1);
		char *nl = strchr(status, '\n');
		if (nl != NULL)
			*nl = '\0';
		complete(c, SCENARIO_REPLY_STATUS, status, tag);
	}
}

static void
feed(ScenarioClient *c, const guint8 *data, gsize len)
{
	while (len > 0) {
		if (c->literal_left > 0) {
			gsize n = MIN(len, c->literal_left);
			/* Literal octets belong to the response, as they are. */
			g_string_append_c(c->current, '\n');
			g_string_append_len(c->current, (const char *)data, (gssize)n);
			c->literal_left -= n;
			data += n;
			len -= n;
			continue;
		}
		/* Lines are framed up to the next literal only: feed the rest line by line. */
		const guint8 *nl = memchr(data, '\n', len);
		gsize chunk = nl != NULL ? (gsize)(nl - data) + 1 : len;
		line_buffer_feed(c->lb, data, chunk);
		data += chunk;
		len -= chunk;
		const char *line;
		gsize llen;
		LineBufferResult r;
		while ((r = line_buffer_next(c->lb, &line, &llen, NULL)) != LINE_BUFFER_NEED_MORE) {
			if (r == LINE_BUFFER_TOO_LONG) {
				append_line(c, "…", strlen("…"));
				continue;
			}
			switch (c->proto) {
			case SCENARIO_PROTO_SMTP:
				smtp_line(c, line, llen);
				break;
			case SCENARIO_PROTO_POP3:
				pop3_line(c, line, llen);
				break;
			case SCENARIO_PROTO_IMAP:
				imap_line(c, line, llen);
				break;
			}
			if (c->literal_left > 0)
				break;
		}
	}
}

/* --- the socket --- */

static gboolean
on_io(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)cond;
	ScenarioClient *c = data;
	if (!c->connected) {
		g_autoptr(GError) error = NULL;
		if (!g_socket_check_connect_result(socket, &error)) {
			c->closed = TRUE;
			g_clear_pointer(&c->source, g_source_unref);
			c->func(c, c->data);
			return G_SOURCE_REMOVE;
		}
		c->connected = TRUE;
		g_clear_pointer(&c->source, g_source_unref);
		c->source = g_socket_create_source(socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
		g_source_set_callback(c->source, (GSourceFunc)(GCallback)on_io, c, NULL);
		g_source_attach(c->source, NULL);
		if (c->outbuf->len > 0)
			scenario_client_send(c, NULL, 0, FALSE);
		return G_SOURCE_REMOVE;
	}
	guint8 buf[65536];
	gboolean eof = FALSE;
	/* Read all there is: a reply and the server's FIN often arrive together,
	 * and closing our side at once gives the capture a clean, early end. */
	for (;;) {
		g_autoptr(GError) error = NULL;
		gssize n = g_socket_receive(socket, (char *)buf, sizeof buf, NULL, &error);
		if (n > 0) {
			feed(c, buf, (gsize)n);
			continue;
		}
		if (n < 0 && g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
			break;
		eof = TRUE; /* end of stream, or reset */
		break;
	}
	if (eof) {
		/* The server closed: close our side too, as a real client does. */
		c->closed = TRUE;
		g_clear_pointer(&c->source, g_source_unref);
		g_socket_close(socket, NULL);
	}
	if (eof || !g_queue_is_empty(&c->replies))
		c->func(c, c->data);
	return eof ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

ScenarioClient *
scenario_client_new(const char *name, ScenarioProto proto, guint16 port, ScenarioClientFunc func,
                    gpointer data, GError **error)
{
	GSocket *socket =
	    g_socket_new(G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
	if (socket == NULL)
		return NULL;
	g_socket_set_blocking(socket, FALSE);
	g_autoptr(GInetAddress) lo = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) addr = g_inet_socket_address_new(lo, port);
	g_autoptr(GError) local = NULL;
	gboolean now = g_socket_connect(socket, addr, NULL, &local);
	if (!now && !g_error_matches(local, G_IO_ERROR, G_IO_ERROR_PENDING)) {
		g_propagate_error(error, g_steal_pointer(&local));
		g_object_unref(socket);
		return NULL;
	}
	ScenarioClient *c = g_new0(ScenarioClient, 1);
	c->name = g_strdup(name);
	c->proto = proto;
	c->socket = socket;
	c->func = func;
	c->data = data;
	c->lb = line_buffer_new(MAX_LINE);
	c->outbuf = g_byte_array_new();
	g_queue_init(&c->replies);
	g_queue_init(&c->commands);
	c->connected = now;
	c->source =
	    g_socket_create_source(socket, now ? G_IO_IN | G_IO_HUP | G_IO_ERR : G_IO_OUT, NULL);
	g_source_set_callback(c->source, (GSourceFunc)(GCallback)on_io, c, NULL);
	g_source_attach(c->source, NULL);
	return c;
}

static void
stop_sources(ScenarioClient *c)
{
	if (c->source != NULL) {
		g_source_destroy(c->source);
		g_clear_pointer(&c->source, g_source_unref);
	}
	if (c->out_source != NULL) {
		g_source_destroy(c->out_source);
		g_clear_pointer(&c->out_source, g_source_unref);
	}
}

void
scenario_client_free(ScenarioClient *c)
{
	if (c == NULL)
		return;
	stop_sources(c);
	g_socket_close(c->socket, NULL);
	g_object_unref(c->socket);
	line_buffer_free(c->lb);
	g_byte_array_unref(c->outbuf);
	g_queue_clear_full(&c->replies, (GDestroyNotify)scenario_reply_free);
	g_queue_clear_full(&c->commands, (GDestroyNotify)pop3_command_free);
	if (c->current != NULL)
		g_string_free(c->current, TRUE);
	g_free(c->name);
	g_free(c);
}

const char *
scenario_client_name(const ScenarioClient *c)
{
	return c->name;
}

ScenarioProto
scenario_client_proto(const ScenarioClient *c)
{
	return c->proto;
}

static gboolean
on_writable(GSocket *socket, GIOCondition cond, gpointer data)
{
	(void)socket;
	(void)cond;
	ScenarioClient *c = data;
	g_clear_pointer(&c->out_source, g_source_unref);
	scenario_client_send(c, NULL, 0, FALSE);
	return G_SOURCE_REMOVE;
}

void
scenario_client_send(ScenarioClient *c, const void *data, gsize len, gboolean is_command)
{
	if (c->closed)
		return;
	if (is_command && c->proto == SCENARIO_PROTO_POP3) {
		gsize l = len;
		while (l > 0 &&
		       (((const char *)data)[l - 1] == '\n' || ((const char *)data)[l - 1] == '\r'))
			l--;
		g_queue_push_tail(&c->commands, pop3_command_parse(data, l));
	}
	if (len > 0)
		g_byte_array_append(c->outbuf, data, (guint)len);
	if (!c->connected || c->out_source != NULL)
		return;
	while (c->outbuf->len > 0) {
		g_autoptr(GError) error = NULL;
		gssize n = g_socket_send(c->socket, (const char *)c->outbuf->data, c->outbuf->len,
		                         NULL, &error);
		if (n < 0) {
			if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) {
				c->out_source = g_socket_create_source(c->socket, G_IO_OUT, NULL);
				g_source_set_callback(c->out_source,
				                      (GSourceFunc)(GCallback)on_writable, c, NULL);
				g_source_attach(c->out_source, NULL);
			} else {
				g_byte_array_set_size(c->outbuf, 0);
			}
			return;
		}
		g_byte_array_remove_range(c->outbuf, 0, (guint)n);
	}
}

ScenarioReply *
scenario_client_take(ScenarioClient *c)
{
	return g_queue_pop_head(&c->replies);
}

void
scenario_client_ignore_next(ScenarioClient *c, guint n)
{
	c->ignore += n;
}

gboolean
scenario_client_is_closed(const ScenarioClient *c)
{
	return c->closed;
}

void
scenario_client_cut(ScenarioClient *c)
{
	stop_sources(c);
	g_socket_close(c->socket, NULL);
	c->closed = TRUE;
}

guint16
scenario_client_local_port(ScenarioClient *c)
{
	g_autoptr(GSocketAddress) a = g_socket_get_local_address(c->socket, NULL);
	if (a == NULL || !G_IS_INET_SOCKET_ADDRESS(a))
		return 0;
	return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(a));
}
