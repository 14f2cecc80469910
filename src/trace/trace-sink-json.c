/* JSON Lines output of trace events, made with json-glib.
 *
 * json-glib builds and writes the JSON; doing it with a fresh JsonObject per
 * event (a hash table and a node per member) cost more than decoding the
 * capture, so the sink asks json-glib once per event shape (which fields are
 * present, how many further explanations) for the object with a marker in
 * place of each value, keeps the text between the markers, and for each event
 * puts the values in: numbers as digits, strings as they are when nothing in
 * them needs escaping, otherwise escaped by json-glib's generator. The
 * timestamp comes first, written as seconds with exactly six decimals (a
 * double printed with %.17g would not). */
#include "trace/trace-sink-json.h"

#include <json-glib/json-glib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

typedef enum {
	F_ID,
	F_CONN,
	F_CLIENT,
	F_SERVER,
	F_PROTO,
	F_DIR,
	F_KIND,
	F_TAG,
	F_VERB,
	F_ARGS,
	F_STATUS,
	F_ENHANCED,
	F_CODE,
	F_TEXT,
	F_MORE,
	F_PAIR,
	F_ELAPSED,
	F_MIME,
	F_PART,
	F_DEPTH,
	F_NAME,
	F_VALUE,
	F_DECODED,
	F_PARAM_OF,
	F_SIZE,
	F_DECODED_SIZE,
	F_SPORT,
	F_DPORT,
	F_SEQ,
	F_ACK,
	F_FLAGS,
	F_SUMMARY,
	F_EXPLAIN,
	F_RFC,
	F_ALSO,
	F_RAW,
	N_FIELDS,
} Field;

static const char *const field_names[N_FIELDS] = {
    [F_ID] = "id",
    [F_CONN] = "conn",
    [F_CLIENT] = "client",
    [F_SERVER] = "server",
    [F_PROTO] = "proto",
    [F_DIR] = "dir",
    [F_KIND] = "kind",
    [F_TAG] = "tag",
    [F_VERB] = "verb",
    [F_ARGS] = "args",
    [F_STATUS] = "status",
    [F_ENHANCED] = "enhanced",
    [F_CODE] = "code",
    [F_TEXT] = "text",
    [F_MORE] = "more",
    [F_PAIR] = "pair",
    [F_ELAPSED] = "elapsed_us",
    [F_MIME] = "mime",
    [F_PART] = "part",
    [F_DEPTH] = "depth",
    [F_NAME] = "name",
    [F_VALUE] = "value",
    [F_DECODED] = "decoded",
    [F_PARAM_OF] = "param_of",
    [F_SIZE] = "size",
    [F_DECODED_SIZE] = "decoded_size",
    [F_SPORT] = "sport",
    [F_DPORT] = "dport",
    [F_SEQ] = "seq",
    [F_ACK] = "ack",
    [F_FLAGS] = "flags",
    [F_SUMMARY] = "summary",
    [F_EXPLAIN] = "explain",
    [F_RFC] = "rfc",
    [F_ALSO] = "also",
    [F_RAW] = "raw",
};

#define BIT(f) (G_GUINT64_CONSTANT(1) << (f))
/* Strings the tracer makes itself, always printable ASCII: the names of
 * protocols, directions, kinds and MIME roles, and addresses ("ip:port"). */
static const guint64 trusted =
    BIT(F_CLIENT) | BIT(F_SERVER) | BIT(F_PROTO) | BIT(F_DIR) | BIT(F_KIND) | BIT(F_MIME);
/* The fields written as numbers; the others are strings (more: a boolean). */
static const guint64 numeric = BIT(F_ID) | BIT(F_CONN) | BIT(F_PAIR) | BIT(F_ELAPSED) |
                               BIT(F_DEPTH) | BIT(F_SIZE) | BIT(F_DECODED_SIZE) | BIT(F_SPORT) |
                               BIT(F_DPORT) | BIT(F_SEQ) | BIT(F_ACK) | BIT(F_FLAGS);

/* The values of one event, field by field. */
typedef struct {
	guint64 present; /* bit per Field */
	const char *str[N_FIELDS];
	gint64 num[N_FIELDS];
} Values;

static void
put_str(Values *v, Field f, const char *s)
{
	if (s == NULL)
		return;
	v->present |= BIT(f);
	v->str[f] = s;
}

static void
put_num(Values *v, Field f, gint64 n)
{
	v->present |= BIT(f);
	v->num[f] = n;
}

static void
collect(Values *v, const TraceEvent *ev)
{
	v->present = 0;
	put_num(v, F_ID, (gint64)ev->id);
	if (ev->conn != 0) {
		put_num(v, F_CONN, ev->conn);
		put_str(v, F_CLIENT, ev->client);
		put_str(v, F_SERVER, ev->server);
	}
	put_str(v, F_PROTO, trace_proto_name(ev->proto));
	put_str(v, F_DIR, trace_dir_name(ev->dir));
	put_str(v, F_KIND, trace_kind_name(ev->kind));
	put_str(v, F_TAG, ev->tag);
	put_str(v, F_VERB, ev->verb);
	put_str(v, F_ARGS, ev->args);
	put_str(v, F_STATUS, ev->status);
	put_str(v, F_ENHANCED, ev->enhanced);
	put_str(v, F_CODE, ev->code);
	put_str(v, F_TEXT, ev->text);
	if (ev->more)
		put_num(v, F_MORE, 1);
	if (ev->pair != 0)
		put_num(v, F_PAIR, (gint64)ev->pair);
	if (ev->elapsed_us >= 0)
		put_num(v, F_ELAPSED, ev->elapsed_us);
	put_str(v, F_MIME, trace_mime_role_name(ev->mime));
	put_str(v, F_PART, ev->part);
	if (ev->kind == TRACE_KIND_HEADER || ev->kind == TRACE_KIND_MIME)
		put_num(v, F_DEPTH, ev->depth);
	put_str(v, F_NAME, ev->name);
	put_str(v, F_VALUE, ev->value);
	put_str(v, F_DECODED, ev->decoded);
	put_str(v, F_PARAM_OF, ev->param_of);
	if (ev->size >= 0)
		put_num(v, F_SIZE, ev->size);
	if (ev->decoded_size >= 0)
		put_num(v, F_DECODED_SIZE, ev->decoded_size);
	if (ev->kind == TRACE_KIND_PACKET) {
		put_num(v, F_SPORT, ev->src_port);
		put_num(v, F_DPORT, ev->dst_port);
		put_num(v, F_SEQ, ev->tcp_seq);
		put_num(v, F_ACK, ev->tcp_ack);
		put_num(v, F_FLAGS, ev->tcp_flags);
		put_str(v, F_SUMMARY, ev->summary);
	}
	if (ev->n_explain > 0) {
		put_str(v, F_EXPLAIN, ev->explain[0].text);
		put_str(v, F_RFC, ev->explain[0].rfc);
	}
	if (ev->n_explain > 1)
		put_num(v, F_ALSO, ev->n_explain - 1);
	if (ev->raw != NULL)
		put_str(v, F_RAW, "");
}

typedef struct {
	guint64 present;
	guint32 also_rfc; /* bit i: explanation i + 1 has an RFC reference */
	guint32 n_also;
} ShapeKey;

/* What a slot of a shape's template holds. */
enum {
	SLOT_ALSO_TEXT = N_FIELDS,
	SLOT_ALSO_RFC = N_FIELDS + TRACE_EVENT_MAX_EXPLAIN,
};

typedef struct {
	ShapeKey key;
	guint n_slots;
	guint16 slot[N_FIELDS + 2 * TRACE_EVENT_MAX_EXPLAIN];
	/* n_slots + 1 pieces of JSON text: before the first value, between, after the last. */
	char *piece[N_FIELDS + 2 * TRACE_EVENT_MAX_EXPLAIN + 1];
	gsize piece_len[N_FIELDS + 2 * TRACE_EVENT_MAX_EXPLAIN + 1];
} Shape;

typedef struct {
	TraceSink sink;
	FILE *out;
	JsonGenerator *gen;
	JsonNode *string_node;   /* for escaping one string */
	GHashTable *shapes;      /* ShapeKey* -> Shape* */
	struct Escaped *escaped; /* ESCAPED_SLOTS explanations in JSON */
	GString *line;
} JsonSink;

#define MAX_SHAPES 1024

static guint
shape_hash(gconstpointer p)
{
	const ShapeKey *k = p;
	guint64 h = k->present * 0x9E3779B97F4A7C15u;
	h ^= ((guint64)k->also_rfc << 8 | k->n_also) * 0xff51afd7ed558ccdu;
	return (guint)(h ^ (h >> 32));
}

static gboolean
shape_equal(gconstpointer a, gconstpointer b)
{
	const ShapeKey *x = a, *y = b;
	return x->present == y->present && x->also_rfc == y->also_rfc && x->n_also == y->n_also;
}

static void
shape_free(gpointer p)
{
	Shape *s = p;
	for (guint i = 0; i <= s->n_slots; i++)
		g_free(s->piece[i]);
	g_free(s);
}

/* A value node holding the marker of slot k ("more" is a constant true). */
static void
add_marker(Shape *s, JsonObject *o, const char *name, guint16 what)
{
	char marker[24];
	g_snprintf(marker, sizeof marker, "%%%%%u%%%%", s->n_slots);
	json_object_set_string_member(o, name, marker);
	s->slot[s->n_slots++] = what;
}

static Shape *
shape_new(JsonSink *js, const ShapeKey *key)
{
	Shape *s = g_new0(Shape, 1);
	s->key = *key;
	JsonObject *o = json_object_new();
	for (int f = 0; f < N_FIELDS; f++) {
		if (!(key->present & BIT(f)))
			continue;
		if (f == F_MORE) {
			json_object_set_boolean_member(o, field_names[f], TRUE);
		} else if (f == F_ALSO) {
			JsonArray *a = json_array_new();
			for (guint i = 0; i < key->n_also; i++) {
				JsonObject *x = json_object_new();
				add_marker(s, x, "explain", (guint16)(SLOT_ALSO_TEXT + i));
				if (key->also_rfc & (1u << i))
					add_marker(s, x, "rfc", (guint16)(SLOT_ALSO_RFC + i));
				json_array_add_object_element(a, x);
			}
			json_object_set_array_member(o, field_names[f], a);
		} else {
			add_marker(s, o, field_names[f], (guint16)f);
		}
	}
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	json_node_take_object(root, o);
	json_generator_set_root(js->gen, root);
	g_autofree char *text = json_generator_to_data(js->gen, NULL);
	/* Cut the template at the markers, quotes included. */
	const char *p = text + 1; /* without its "{": the timestamp goes first */
	for (guint k = 0; k < s->n_slots; k++) {
		char marker[24];
		g_snprintf(marker, sizeof marker, "\"%%%%%u%%%%\"", k);
		const char *at = strstr(p, marker);
		g_assert(at != NULL); /* json-glib writes what it was given, in order */
		s->piece_len[k] = (gsize)(at - p);
		s->piece[k] = g_strndup(p, s->piece_len[k]);
		p = at + strlen(marker);
	}
	s->piece_len[s->n_slots] = strlen(p);
	s->piece[s->n_slots] = g_strdup(p);
	return s;
}

/* Appends n octets to the line. The line is reused from event to event and
 * soon large enough: the common case is one memcpy (GString's members are
 * public, and g_string_append_c does the same inline). */
static inline void
put(GString *out, const char *p, gsize n)
{
	if (out->len + n < out->allocated_len) {
		memcpy(out->str + out->len, p, n);
		out->len += n;
		out->str[out->len] = '\0';
	} else {
		g_string_append_len(out, p, (gssize)n);
	}
}

static inline void
put_c(GString *out, char c)
{
	put(out, &c, 1);
}

/* TRUE when every octet is printable ASCII other than '"' and '\\': such a
 * string is valid UTF-8 and needs no escape in JSON. Most values are. */
static gboolean
plain_ascii(const char *s, gsize len)
{
#ifdef __SSE2__
	if (len < 16) {
		/* Short strings octet by octet (copied into a padded block, they cost
		 * a stalled load: the copy's stores cannot be forwarded to it). */
		for (gsize i = 0; i < len; i++) {
			guchar c = (guchar)s[i];
			if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
				return FALSE;
		}
		return TRUE;
	}
	/* Signed comparison: octets from 0x80 are negative, below ' ' too. 16
	 * octets at a time, the last block overlapping the one before it. */
	const __m128i space = _mm_set1_epi8(' '), quote = _mm_set1_epi8('"'),
	              backslash = _mm_set1_epi8('\\');
	for (gsize i = 0;; i += 16) {
		if (i + 16 > len)
			i = len - 16;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i bad = _mm_or_si128(
		    _mm_cmplt_epi8(v, space),
		    _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
		if (_mm_movemask_epi8(bad) != 0)
			return FALSE;
		if (i + 16 == len)
			return TRUE;
	}
#else
	for (gsize i = 0; i < len; i++) {
		guchar c = (guchar)s[i];
		if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
			return FALSE;
	}
	return TRUE;
#endif
}

static void
append_trusted(GString *out, const char *s)
{
	put_c(out, '"');
	put(out, s, strlen(s));
	put_c(out, '"');
}

/* A JSON string: as it is when nothing needs escaping (no quote, backslash or
 * control character; valid UTF-8 without NUL), else through json-glib. */
static void
append_string(JsonSink *js, GString *out, const char *s, gssize len)
{
	gsize l = len < 0 ? strlen(s) : (gsize)len;
	if (plain_ascii(s, l)) {
		put_c(out, '"');
		put(out, s, l);
		put_c(out, '"');
		return;
	}
	gboolean plain = TRUE;
	for (gsize i = 0; i < l && plain; i++) {
		guchar c = (guchar)s[i];
		plain = c >= 0x20 && c != '"' && c != '\\';
	}
	g_autofree char *valid = NULL;
	if (!g_utf8_validate_len(s, l, NULL)) {
		/* JSON strings are text: invalid UTF-8 becomes U+FFFD. */
		valid = g_utf8_make_valid(s, (gssize)l);
		s = valid;
		l = strlen(valid);
	} else if (len >= 0 && memchr(s, '\0', l) != NULL) {
		valid = g_utf8_make_valid(s, (gssize)l);
		s = valid;
		l = strlen(valid);
		plain = FALSE;
	}
	if (plain) {
		put_c(out, '"');
		put(out, s, l);
		put_c(out, '"');
		return;
	}
	g_autofree char *copy = g_strndup(s, l);
	json_node_set_string(js->string_node, copy);
	json_generator_set_root(js->gen, js->string_node);
	json_generator_to_gstring(js->gen, out);
}

/* Explanations are long and come back for every message: their JSON form
 * is kept per address, in a table of slots indexed by the address (a new
 * one takes its slot's place, so that those built anew for each event never
 * flush the others out); the content is compared on every hit (a string
 * built anew at a reused address is never taken for another). */
#define ESCAPED_SLOTS 4096 /* a power of two */

typedef struct Escaped {
	const char *ptr;
	char *text;
	char *json;
	gsize json_len;
} Escaped;

static void
escaped_clear(Escaped *e)
{
	g_free(e->text);
	g_free(e->json);
	memset(e, 0, sizeof *e);
}

static void
append_explanation(JsonSink *js, GString *out, const char *s)
{
	guint64 h = (guint64)(guintptr)s * 0x9E3779B97F4A7C15u;
	Escaped *e = &js->escaped[(h >> 40) & (ESCAPED_SLOTS - 1)];
	if (e->ptr == s && e->text != NULL && strcmp(e->text, s) == 0) {
		put(out, e->json, e->json_len);
		return;
	}
	gsize start = out->len;
	append_string(js, out, s, -1);
	escaped_clear(e);
	e->ptr = s;
	e->text = g_strdup(s);
	e->json_len = out->len - start;
	e->json = g_strndup(out->str + start, e->json_len);
}

static void
append_number(GString *out, gint64 n)
{
	char digits[24];
	int i = sizeof digits;
	guint64 u = n < 0 ? (guint64)(-n) : (guint64)n;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (n < 0)
		digits[--i] = '-';
	put(out, digits + i, sizeof digits - (gsize)i);
}

static void
format(JsonSink *js, const TraceEvent *ev)
{
	Values v;
	collect(&v, ev);
	ShapeKey key = {v.present, 0, ev->n_explain > 1 ? ev->n_explain - 1 : 0};
	for (guint i = 1; i < ev->n_explain; i++)
		if (ev->explain[i].rfc != NULL)
			key.also_rfc |= 1u << (i - 1);
	Shape *s = g_hash_table_lookup(js->shapes, &key);
	if (s == NULL) {
		if (g_hash_table_size(js->shapes) >= MAX_SHAPES)
			g_hash_table_remove_all(js->shapes);
		s = shape_new(js, &key);
		g_hash_table_insert(js->shapes, &s->key, s);
	}

	GString *out = js->line;
	g_string_truncate(out, 0);
	gint64 ts = ev->ts_us;
	guint64 abs_ts = ts < 0 ? (guint64)(-ts) : (guint64)ts;
	/* ".%06u," by hand: g_snprintf was a tenth of the sink's time. */
	char frac[8] = {'.', 0, 0, 0, 0, 0, 0, ','};
	guint us = (guint)(abs_ts % G_USEC_PER_SEC);
	for (int i = 6; i >= 1; i--, us /= 10)
		frac[i] = (char)('0' + us % 10);
	put(out, "{\"ts\":", 6);
	if (ts < 0)
		put_c(out, '-');
	append_number(out, (gint64)(abs_ts / G_USEC_PER_SEC));
	put(out, frac, sizeof frac);
	for (guint k = 0; k < s->n_slots; k++) {
		put(out, s->piece[k], s->piece_len[k]);
		guint what = s->slot[k];
		if (what >= SLOT_ALSO_RFC)
			append_explanation(js, out, ev->explain[what - SLOT_ALSO_RFC + 1].rfc);
		else if (what >= SLOT_ALSO_TEXT)
			append_explanation(js, out, ev->explain[what - SLOT_ALSO_TEXT + 1].text);
		else if (what == F_EXPLAIN || what == F_RFC)
			append_explanation(js, out, v.str[what]);
		else if (numeric & BIT(what))
			append_number(out, v.num[what]);
		else if (what == F_RAW)
			append_string(js, out, (const char *)ev->raw, (gssize)ev->raw_len);
		else if (trusted & BIT(what))
			append_trusted(out, v.str[what]);
		else
			append_string(js, out, v.str[what], -1);
	}
	put(out, s->piece[s->n_slots], s->piece_len[s->n_slots]);
}

static void
json_sink_init(JsonSink *js, FILE *out)
{
	js->out = out;
	js->gen = json_generator_new();
	js->escaped = g_new0(Escaped, ESCAPED_SLOTS);
	js->string_node = json_node_new(JSON_NODE_VALUE);
	json_node_set_string(js->string_node, "");
	js->shapes = g_hash_table_new_full(shape_hash, shape_equal, NULL, shape_free);
	js->line = g_string_sized_new(1024);
}

static void
json_sink_clear(JsonSink *js)
{
	g_object_unref(js->gen);
	json_node_unref(js->string_node);
	for (guint i = 0; i < ESCAPED_SLOTS; i++)
		escaped_clear(&js->escaped[i]);
	g_free(js->escaped);
	g_hash_table_destroy(js->shapes);
	g_string_free(js->line, TRUE);
}

char *
trace_event_to_json(const TraceEvent *ev)
{
	JsonSink js;
	json_sink_init(&js, NULL);
	format(&js, ev);
	char *s = g_strdup(js.line->str);
	json_sink_clear(&js);
	return s;
}

static void
json_sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	JsonSink *js = (JsonSink *)sink;
	format(js, ev);
	put_c(js->line, '\n');
	fwrite(js->line->str, 1, js->line->len, js->out);
}

static void
json_sink_flush(TraceSink *sink)
{
	JsonSink *js = (JsonSink *)sink;
	fflush(js->out);
}

static void
json_sink_free(TraceSink *sink)
{
	JsonSink *js = (JsonSink *)sink;
	fflush(js->out);
	json_sink_clear(js);
	g_free(js);
}

static const TraceSinkClass json_sink_class = {
    .emit = json_sink_emit,
    .flush = json_sink_flush,
    .free = json_sink_free,
};

TraceSink *
trace_sink_json_new(FILE *out)
{
	JsonSink *js = g_new0(JsonSink, 1);
	js->sink.klass = &json_sink_class;
	json_sink_init(js, out);
	return &js->sink;
}
