/* JSON Lines output of trace events, built with json-glib. The timestamp is
 * written by hand in front of the generated object so that it reads as
 * seconds with exactly six decimals (a double printed with %.17g does not). */
#include "trace/trace-sink-json.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct {
	TraceSink sink;
	FILE *out;
	JsonBuilder *builder;
	JsonGenerator *gen;
} JsonSink;

static void
add_string(JsonBuilder *b, const char *member, const char *s)
{
	if (s == NULL)
		return;
	json_builder_set_member_name(b, member);
	if (g_utf8_validate(s, -1, NULL)) {
		json_builder_add_string_value(b, s);
	} else {
		g_autofree char *valid = g_utf8_make_valid(s, -1);
		json_builder_add_string_value(b, valid);
	}
}

static void
add_bytes(JsonBuilder *b, const char *member, const guint8 *data, gsize len)
{
	if (data == NULL)
		return;
	json_builder_set_member_name(b, member);
	const char *s = (const char *)data;
	/* Embedded NULs and invalid UTF-8 become U+FFFD: JSON strings are text. */
	if (memchr(s, '\0', len) == NULL && g_utf8_validate_len(s, len, NULL)) {
		g_autofree char *copy = g_strndup(s, len);
		json_builder_add_string_value(b, copy);
	} else {
		g_autofree char *valid = g_utf8_make_valid(s, (gssize)len);
		json_builder_add_string_value(b, valid);
	}
}

static void
add_int(JsonBuilder *b, const char *member, gint64 v)
{
	json_builder_set_member_name(b, member);
	json_builder_add_int_value(b, v);
}

static void
build(JsonBuilder *b, const TraceEvent *ev)
{
	json_builder_begin_object(b);
	add_int(b, "id", (gint64)ev->id);
	if (ev->conn != 0) {
		add_int(b, "conn", ev->conn);
		add_string(b, "client", ev->client);
		add_string(b, "server", ev->server);
	}
	add_string(b, "proto", trace_proto_name(ev->proto));
	add_string(b, "dir", trace_dir_name(ev->dir));
	add_string(b, "kind", trace_kind_name(ev->kind));
	add_string(b, "tag", ev->tag);
	add_string(b, "verb", ev->verb);
	add_string(b, "args", ev->args);
	add_string(b, "status", ev->status);
	add_string(b, "enhanced", ev->enhanced);
	add_string(b, "code", ev->code);
	add_string(b, "text", ev->text);
	if (ev->more) {
		json_builder_set_member_name(b, "more");
		json_builder_add_boolean_value(b, TRUE);
	}
	if (ev->pair != 0)
		add_int(b, "pair", (gint64)ev->pair);
	if (ev->elapsed_us >= 0)
		add_int(b, "elapsed_us", ev->elapsed_us);
	add_string(b, "mime", trace_mime_role_name(ev->mime));
	add_string(b, "part", ev->part);
	if (ev->kind == TRACE_KIND_HEADER || ev->kind == TRACE_KIND_MIME)
		add_int(b, "depth", ev->depth);
	add_string(b, "name", ev->name);
	add_string(b, "value", ev->value);
	add_string(b, "decoded", ev->decoded);
	add_string(b, "param_of", ev->param_of);
	if (ev->size >= 0)
		add_int(b, "size", ev->size);
	if (ev->decoded_size >= 0)
		add_int(b, "decoded_size", ev->decoded_size);
	if (ev->kind == TRACE_KIND_PACKET) {
		add_int(b, "sport", ev->src_port);
		add_int(b, "dport", ev->dst_port);
		add_int(b, "seq", ev->tcp_seq);
		add_int(b, "ack", ev->tcp_ack);
		add_int(b, "flags", ev->tcp_flags);
		add_string(b, "summary", ev->summary);
	}
	if (ev->n_explain > 0) {
		add_string(b, "explain", ev->explain[0].text);
		add_string(b, "rfc", ev->explain[0].rfc);
	}
	if (ev->n_explain > 1) {
		json_builder_set_member_name(b, "also");
		json_builder_begin_array(b);
		for (guint i = 1; i < ev->n_explain; i++) {
			json_builder_begin_object(b);
			add_string(b, "explain", ev->explain[i].text);
			add_string(b, "rfc", ev->explain[i].rfc);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	add_bytes(b, "raw", ev->raw, ev->raw_len);
	json_builder_end_object(b);
}

static char *
format(JsonBuilder *b, JsonGenerator *gen, const TraceEvent *ev)
{
	json_builder_reset(b);
	build(b, ev);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	gsize len = 0;
	g_autofree char *obj = json_generator_to_data(gen, &len);
	/* obj is "{...}": put the timestamp first. */
	gint64 ts = ev->ts_us;
	const char *sign = ts < 0 ? "-" : "";
	guint64 abs_ts = ts < 0 ? (guint64)(-ts) : (guint64)ts;
	return g_strdup_printf("{\"ts\":%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT ",%s", sign,
	                       abs_ts / G_USEC_PER_SEC, abs_ts % G_USEC_PER_SEC, obj + 1);
}

char *
trace_event_to_json(const TraceEvent *ev)
{
	g_autoptr(JsonBuilder) b = json_builder_new_immutable();
	g_autoptr(JsonGenerator) gen = json_generator_new();
	return format(b, gen, ev);
}

static void
json_sink_emit(TraceSink *sink, const TraceEvent *ev)
{
	JsonSink *js = (JsonSink *)sink;
	g_autofree char *line = format(js->builder, js->gen, ev);
	fputs(line, js->out);
	fputc('\n', js->out);
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
	g_object_unref(js->builder);
	g_object_unref(js->gen);
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
	js->out = out;
	js->builder = json_builder_new_immutable();
	js->gen = json_generator_new();
	return &js->sink;
}
