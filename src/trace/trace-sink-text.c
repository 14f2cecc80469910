/* Text rendering of trace events; see trace-sink-text.h. Output is built in
 * one GString per event and written at once: decoding a large capture to a
 * file or /dev/null must not be slowed by many small writes. */
#include "trace/trace-sink-text.h"
#include "trace/trace-i18n.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

typedef struct {
	TraceSink sink;
	FILE *out;
	gboolean color;
	gboolean packets;
	GString *buf;
	guint width;
	gint64 clock_sec;
	char clock[16];
	GString *scratch;
	struct Wrapped *wrapped; /* WRAP_SLOTS rendered explanations */
} TextSink;

#define RESET   "\033[0m"
#define DIM     "\033[2m"
#define BOLD    "\033[1m"
#define RED     "\033[31m"
#define GREEN   "\033[32m"
#define YELLOW  "\033[33m"
#define BLUE    "\033[34m"
#define MAGENTA "\033[35m"
#define CYAN    "\033[36m"

static void
color(TextSink *t, const char *code)
{
	if (t->color)
		g_string_append(t->buf, code);
}

/* Appends text made safe for a terminal: valid UTF-8, control characters
 * shown as \xNN (a capture may hold anything). */
static void
append_safe(GString *s, const char *p, gsize len)
{
	/* Most lines are plain printable text: append them in one go. */
	gsize clean = 0;
	while (clean < len) {
		guchar c = (guchar)p[clean];
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			break;
		clean++;
	}
	g_string_append_len(s, p, (gssize)clean);
	p += clean;
	len -= clean;
	const char *end = p + len;
	while (p < end) {
		const char *bad = NULL;
		if (g_utf8_validate_len(p, (gsize)(end - p), &bad))
			bad = end;
		for (const char *q = p; q < bad; q++) {
			guchar c = (guchar)*q;
			if (c < 0x20 && c != '\t')
				g_string_append_printf(s, "\\x%02X", c);
			else if (c == 0x7f)
				g_string_append(s, "\\x7F");
			else
				g_string_append_c(s, (char)c);
		}
		if (bad < end) {
			g_string_append_printf(s, "\\x%02X", (guchar)*bad);
			p = bad + 1;
		} else {
			p = end;
		}
	}
}

static void
append_str(GString *s, const char *str)
{
	if (str != NULL)
		append_safe(s, str, strlen(str));
}

/* Local time of day; localtime_r once per second of capture time, not per line. */
static void
append_time(TextSink *t, gint64 ts_us)
{
	gint64 sec = ts_us / G_USEC_PER_SEC;
	if (sec != t->clock_sec || t->clock[0] == '\0') {
		time_t tt = (time_t)sec;
		struct tm tm;
		if (localtime_r(&tt, &tm) != NULL)
			snprintf(t->clock, sizeof t->clock, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
			         tm.tm_sec);
		else
			g_strlcpy(t->clock, "--:--:--", sizeof t->clock);
		t->clock_sec = sec;
	}
	int ms = (int)((ts_us % G_USEC_PER_SEC) / 1000);
	char frac[5] = {'.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10),
	                (char)('0' + ms % 10), '\0'};
	g_string_append(t->buf, t->clock);
	g_string_append_len(t->buf, frac, 4);
}

/* " #12 " with the number left-aligned on two columns, as "%-2u" would. */
static void
append_conn(GString *s, guint conn)
{
	char digits[16];
	int i = sizeof digits;
	do {
		digits[--i] = (char)('0' + conn % 10);
		conn /= 10;
	} while (conn > 0);
	g_string_append(s, " #");
	g_string_append_len(s, digits + i, (gssize)(sizeof digits - (gsize)i));
	g_string_append(s, sizeof digits - (gsize)i < 2 ? "  " : " ");
}

static void
append_size(GString *s, gint64 n)
{
	g_string_append_printf(s, _("%" PRId64 " octets"), n);
}

/* Wraps text at the sink's width, every line starting at column indent. */
/* Wraps text at the sink's width, every line starting at column indent. */
static void
append_spaces(GString *s, guint n)
{
	static const char spaces[] = "                                                            ";
	while (n > 0) {
		guint k = MIN(n, (guint)sizeof spaces - 1);
		g_string_append_len(s, spaces, k);
		n -= k;
	}
}

/* Wraps text at the sink's width, every line starting at column indent;
 * prefix (prefix_cols columns) starts the first line. trusted: facteur's own
 * text (explanations), appended without the checks captured text needs. */
static void
append_wrapped(TextSink *t, const char *prefix, guint prefix_cols, guint indent, const char *text,
               gboolean trusted)
{
	GString *s = t->buf;
	guint width = t->width > indent + prefix_cols + 20 ? t->width - indent - prefix_cols : 20;
	const char *p = text;
	gboolean first = TRUE;
	while (*p != '\0') {
		append_spaces(s, indent);
		if (first)
			g_string_append(s, prefix);
		else
			append_spaces(s, prefix_cols);
		first = FALSE;
		/* The cut: the last space within width characters (UTF-8 lead octets). */
		const char *q = p, *cut = NULL;
		guint n = 0;
		for (; *q != '\0'; q++) {
			if (((guchar)*q & 0xC0) == 0x80)
				continue;
			if (n == width)
				break;
			if (*q == ' ')
				cut = q;
			n++;
		}
		if (*q == '\0' || cut == NULL)
			cut = q;
		if (trusted)
			g_string_append_len(s, p, (gssize)(cut - p));
		else
			append_safe(s, p, (gsize)(cut - p));
		g_string_append_c(s, '\n');
		p = cut;
		while (*p == ' ')
			p++;
	}
}

/* Rendering an explanation (wrapping, colour) is the text sink's main cost,
 * and the same few hundred explanations come back for every message: the
 * rendered lines are kept per (text, rfc, indent), in a table of slots
 * indexed by the pointers (a new explanation takes its slot's place, so the
 * ones built anew for each event never flush the others out). The content
 * is compared on every hit, so a string built anew at a reused address is
 * never mistaken for another. */
#define WRAP_SLOTS 4096 /* a power of two */

typedef struct Wrapped {
	const char *text_ptr, *rfc_ptr;
	guint indent;
	char *text, *rfc; /* copies, to check hits */
	char *rendered;
	gsize len;
} Wrapped;

static void
wrapped_clear(Wrapped *w)
{
	g_free(w->text);
	g_free(w->rfc);
	g_free(w->rendered);
	memset(w, 0, sizeof *w);
}

static Wrapped *
wrap_slot(TextSink *t, const TraceExplain *x, guint indent)
{
	guint64 h = ((guint64)(guintptr)x->text * 0x9E3779B97F4A7C15u) ^
	            ((guint64)(guintptr)x->rfc * 0xff51afd7ed558ccdu) ^
	            ((guint64)indent * 0xc4ceb9fe1a85ec53u);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9u;
	return &t->wrapped[(h >> 32) & (WRAP_SLOTS - 1)];
}

static void
append_explanation(TextSink *t, const TraceExplain *x, guint indent)
{
	Wrapped *w = wrap_slot(t, x, indent);
	if (w->text != NULL && w->text_ptr == x->text && w->rfc_ptr == x->rfc &&
	    w->indent == indent && strcmp(w->text, x->text) == 0 &&
	    g_strcmp0(w->rfc, x->rfc) == 0) {
		g_string_append_len(t->buf, w->rendered, (gssize)w->len);
		return;
	}
	GString *line = t->scratch;
	g_string_assign(line, x->text);
	if (x->rfc != NULL) {
		/* No-break spaces inside the reference: "[RFC 1939 §3]" is never cut. */
		g_string_append(line, " [");
		for (const char *r = x->rfc; *r != '\0'; r++) {
			if (*r == ' ')
				g_string_append(line, "\u00a0");
			else
				g_string_append_c(line, *r);
		}
		g_string_append_c(line, ']');
	}
	gsize start = t->buf->len;
	color(t, DIM);
	append_wrapped(t, "↳ ", 2, indent, line->str, TRUE);
	if (t->color) {
		/* The reset goes before the last newline so that colours never leak. */
		g_string_truncate(t->buf, t->buf->len - 1);
		g_string_append(t->buf, RESET "\n");
	}
	wrapped_clear(w);
	w->text_ptr = x->text;
	w->rfc_ptr = x->rfc;
	w->indent = indent;
	w->text = g_strdup(x->text);
	w->rfc = g_strdup(x->rfc);
	w->len = t->buf->len - start;
	w->rendered = g_strndup(t->buf->str + start, w->len);
}

static void
append_explanations(TextSink *t, const TraceEvent *ev, guint indent)
{
	for (guint i = 0; i < ev->n_explain; i++)
		if (ev->explain[i].text != NULL)
			append_explanation(t, &ev->explain[i], indent);
}

static gboolean
is_failure(const TraceEvent *ev)
{
	const char *s = ev->status;
	if (s == NULL)
		return FALSE;
	return s[0] == '4' || s[0] == '5' || strcmp(s, "-ERR") == 0 || strcmp(s, "NO") == 0 ||
	       strcmp(s, "BAD") == 0 || strcmp(s, "BYE") == 0;
}

/* "12:00:00.123 #1 C> " — the start of a line of the conversation. */
static void
line_head(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	color(t, DIM);
	append_time(t, ev->ts_us);
	append_conn(s, ev->conn);
	color(t, RESET);
	if (ev->dir == TRACE_DIR_C2S) {
		color(t, CYAN BOLD);
		g_string_append(s, "C> ");
	} else {
		color(t, is_failure(ev) ? RED BOLD : GREEN BOLD);
		g_string_append(s, "S< ");
	}
}

#define LINE_INDENT 20 /* under the text of a line, after time, conn and arrow */

static void
render_line(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	line_head(t, ev);
	if (ev->raw != NULL)
		append_safe(s, (const char *)ev->raw, ev->raw_len);
	color(t, RESET);
	if (ev->elapsed_us >= 0) {
		color(t, DIM);
		g_string_append_printf(s, "  (%.1f ms)", (double)ev->elapsed_us / 1000.0);
		color(t, RESET);
	}
	if (ev->kind == TRACE_KIND_DATA && ev->size >= 0) {
		color(t, DIM);
		g_string_append(s, "  (");
		append_size(s, ev->size);
		if (ev->text != NULL) {
			g_string_append(s, ", ");
			append_str(s, ev->text);
		}
		g_string_append_c(s, ')');
		color(t, RESET);
	}
	g_string_append_c(s, '\n');
	if (ev->decoded != NULL) {
		color(t, YELLOW);
		g_autofree char *d = g_strdup_printf("= %s", ev->decoded);
		append_wrapped(t, "", 0, LINE_INDENT, d, FALSE);
		color(t, RESET);
	}
	if (ev->kind == TRACE_KIND_DATA && ev->value != NULL && ev->name != NULL &&
	    strcmp(ev->name, "dot-stuffing") == 0) {
		g_autofree char *d = g_strdup_printf("= %s", ev->value);
		color(t, YELLOW);
		append_wrapped(t, "", 0, LINE_INDENT, d, FALSE);
		color(t, RESET);
	}
	append_explanations(t, ev, LINE_INDENT);
}

static void
render_header(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	guint indent = 6 + 2 * ev->depth;
	append_spaces(s, indent);
	if (ev->param_of != NULL) {
		g_string_append(s, "; ");
		color(t, BLUE);
		append_str(s, ev->name);
		color(t, RESET);
		g_string_append(s, "=\"");
		append_str(s, ev->value);
		g_string_append_c(s, '"');
	} else {
		color(t, BLUE BOLD);
		append_str(s, ev->name);
		color(t, RESET);
		g_string_append(s, ": ");
		append_str(s, ev->value);
	}
	g_string_append_c(s, '\n');
	if (ev->decoded != NULL) {
		color(t, YELLOW);
		g_autofree char *d = g_strdup_printf("= %s", ev->decoded);
		append_wrapped(t, "", 0, indent + 2, d, FALSE);
		color(t, RESET);
	}
	append_explanations(t, ev, indent + 2);
}

static void
render_mime(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	guint indent = 4 + 2 * ev->depth;
	append_spaces(s, indent);
	color(t, MAGENTA);
	switch (ev->mime) {
	case TRACE_MIME_PART:
		if (ev->part != NULL && *ev->part != '\0')
			g_string_append_printf(s, _("[part %s] "), ev->part);
		else
			g_string_append(s, _("[message] "));
		append_str(s, ev->value);
		if (ev->size >= 0) {
			g_string_append(s, " — ");
			append_size(s, ev->size);
			if (ev->decoded_size >= 0)
				g_string_append_printf(s, _(", %" PRId64 " decoded"),
				                       ev->decoded_size);
		}
		break;
	case TRACE_MIME_BOUNDARY_OPEN:
		append_str(s, ev->value);
		g_string_append_printf(s, _("   (opens part %s)"),
		                       ev->part != NULL ? ev->part : "");
		break;
	case TRACE_MIME_BOUNDARY_CLOSE:
		append_str(s, ev->value);
		g_string_append(s, _("   (closes the multipart)"));
		break;
	case TRACE_MIME_PREAMBLE:
		g_string_append(s, _("(preamble: "));
		append_size(s, ev->size);
		g_string_append_c(s, ')');
		break;
	case TRACE_MIME_EPILOGUE:
		g_string_append(s, _("(epilogue: "));
		append_size(s, ev->size);
		g_string_append_c(s, ')');
		break;
	case TRACE_MIME_NONE:
		break;
	}
	color(t, RESET);
	g_string_append_c(s, '\n');
	append_explanations(t, ev, indent + 2);
}

static void
render_other(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	color(t, DIM);
	append_time(t, ev->ts_us);
	append_conn(s, ev->conn);
	color(t, RESET);
	switch (ev->kind) {
	case TRACE_KIND_STATE:
		color(t, YELLOW BOLD);
		g_string_append(s, "»» ");
		append_str(s, trace_event_label(ev->name));
		if (ev->value != NULL) {
			g_string_append(s, ": ");
			append_str(s, *ev->value != '\0' ? ev->value : _("(none)"));
		}
		break;
	case TRACE_KIND_TLS:
		color(t, YELLOW BOLD);
		g_string_append(s, "TLS ");
		append_str(s, trace_event_label(ev->name));
		if (ev->size >= 0) {
			g_string_append(s, ev->dir == TRACE_DIR_C2S ? " C> " : " S< ");
			append_size(s, ev->size);
		}
		break;
	case TRACE_KIND_NOTE:
		color(t, MAGENTA BOLD);
		g_string_append(s, "!! ");
		append_str(s, trace_event_label(ev->name));
		if (ev->value != NULL) {
			g_string_append(s, ": ");
			append_str(s, ev->value);
		}
		if (ev->size >= 0) {
			g_string_append(s, " (");
			append_size(s, ev->size);
			g_string_append_c(s, ')');
		}
		break;
	case TRACE_KIND_DATA:
		color(t, ev->dir == TRACE_DIR_C2S ? CYAN : GREEN);
		g_string_append(s, ev->dir == TRACE_DIR_C2S ? "C> " : "S< ");
		g_string_append_c(s, '[');
		append_str(s, trace_event_label(ev->name));
		if (ev->value != NULL) {
			g_string_append_c(s, ' ');
			append_str(s, ev->value);
		}
		g_string_append(s, "] ");
		if (ev->size >= 0)
			append_size(s, ev->size);
		break;
	case TRACE_KIND_PACKET:
		color(t, DIM);
		g_string_append_printf(s, "   tcp %u → %u ", ev->src_port, ev->dst_port);
		append_str(s, ev->summary);
		break;
	default:
		break;
	}
	color(t, RESET);
	g_string_append_c(s, '\n');
	append_explanations(t, ev, LINE_INDENT);
}

static void
render_connection(TextSink *t, const TraceEvent *ev)
{
	GString *s = t->buf;
	if (strcmp(ev->name, "open") == 0) {
		g_string_append_c(s, '\n');
		color(t, BOLD);
		g_string_append_printf(s, _("━━ connection #%u"), ev->conn);
		g_string_append_printf(s, "  %s  ", trace_proto_name(ev->proto));
		append_str(s, ev->client);
		g_string_append(s, " → ");
		append_str(s, ev->server);
		color(t, RESET);
		g_string_append_c(s, '\n');
		return;
	}
	color(t, BOLD);
	g_string_append_printf(s, _("━━ end of connection #%u"), ev->conn);
	color(t, RESET);
	color(t, DIM);
	g_string_append_printf(s, " (%s, ", ev->value != NULL ? ev->value : "");
	append_size(s, ev->size);
	g_string_append(s, ")\n");
	color(t, RESET);
}

static void
text_emit(TraceSink *sink, const TraceEvent *ev)
{
	TextSink *t = (TextSink *)sink;
	g_string_truncate(t->buf, 0);
	switch (ev->kind) {
	case TRACE_KIND_COMMAND:
	case TRACE_KIND_REPLY:
	case TRACE_KIND_UNTAGGED:
	case TRACE_KIND_CONTINUATION:
		render_line(t, ev);
		break;
	case TRACE_KIND_DATA:
		if (ev->raw != NULL)
			render_line(t, ev);
		else
			render_other(t, ev);
		break;
	case TRACE_KIND_HEADER:
		render_header(t, ev);
		break;
	case TRACE_KIND_MIME:
		render_mime(t, ev);
		break;
	case TRACE_KIND_CONNECTION:
		render_connection(t, ev);
		break;
	case TRACE_KIND_PACKET:
		if (!t->packets)
			return;
		render_other(t, ev);
		break;
	default:
		render_other(t, ev);
		break;
	}
	fwrite(t->buf->str, 1, t->buf->len, t->out);
}

static void
text_flush(TraceSink *sink)
{
	fflush(((TextSink *)sink)->out);
}

static void
text_free(TraceSink *sink)
{
	TextSink *t = (TextSink *)sink;
	fflush(t->out);
	g_string_free(t->buf, TRUE);
	g_string_free(t->scratch, TRUE);
	for (guint i = 0; i < WRAP_SLOTS; i++)
		wrapped_clear(&t->wrapped[i]);
	g_free(t->wrapped);
	g_free(t);
}

static const TraceSinkClass text_sink_class = {
    .emit = text_emit,
    .flush = text_flush,
    .free = text_free,
};

TraceSink *
trace_sink_text_new(FILE *out, TraceColorMode mode)
{
	TextSink *t = g_new0(TextSink, 1);
	t->sink.klass = &text_sink_class;
	t->out = out;
	t->buf = g_string_sized_new(1024);
	t->scratch = g_string_sized_new(256);
	t->wrapped = g_new0(Wrapped, WRAP_SLOTS);
	const char *no_color = g_getenv("NO_COLOR");
	gboolean tty = isatty(fileno(out));
	t->color = mode == TRACE_COLOR_ALWAYS ||
	           (mode == TRACE_COLOR_AUTO && tty && (no_color == NULL || *no_color == '\0'));
	/* Explanations wrap at the terminal's width (COLUMNS, else the
	 * terminal's size), at 100 columns in a file or a pipe. */
	t->width = 100;
	const char *cols = g_getenv("COLUMNS");
	guint64 c;
	struct winsize ws;
	if (cols != NULL && g_ascii_string_to_unsigned(cols, 10, 40, 1000, &c, NULL))
		t->width = (guint)c;
	else if (tty && ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		t->width = ws.ws_col;
	return &t->sink;
}

void
trace_sink_text_set_packets(TraceSink *sink, gboolean on)
{
	((TextSink *)sink)->packets = on;
}
