/* TraceEvent: deep copies and the JSON Lines form (parsed back with json-glib). */
#include "trace/trace-event.h"
#include "trace/trace-sink-json.h"

#include <json-glib/json-glib.h>
#include <string.h>

static JsonObject *
parse(const char *line, JsonParser **parser_r)
{
	g_autoptr(GError) error = NULL;
	JsonParser *parser = json_parser_new();
	g_assert_true(json_parser_load_from_data(parser, line, -1, &error));
	g_assert_no_error(error);
	*parser_r = parser;
	return json_node_get_object(json_parser_get_root(parser));
}

static void
fill_reply(TraceEvent *ev, const guint8 *raw, gsize raw_len)
{
	trace_event_init(ev);
	ev->id = 7;
	ev->ts_us = G_GINT64_CONSTANT(1795672103000042);
	ev->conn = 2;
	ev->client = "127.0.0.1:40346";
	ev->server = "127.0.0.1:25";
	ev->proto = TRACE_PROTO_SMTP;
	ev->dir = TRACE_DIR_S2C;
	ev->kind = TRACE_KIND_REPLY;
	ev->status = "250";
	ev->enhanced = "2.1.0";
	ev->text = "Ok";
	ev->pair = 6;
	ev->elapsed_us = 1500;
	trace_event_explain(ev, "Requested mail action okay, completed.", "RFC 5321 §4.2.3");
	trace_event_explain(ev, "Other address status.", "RFC 3463 §3.4");
	ev->raw = raw;
	ev->raw_len = raw_len;
}

static void
test_json_reply(void)
{
	static const guint8 raw[] = "250 2.1.0 Ok";
	TraceEvent ev;
	fill_reply(&ev, raw, sizeof raw - 1);
	g_autofree char *line = trace_event_to_json(&ev);
	g_assert_true(g_str_has_prefix(line, "{\"ts\":1795672103.000042,"));
	g_assert_null(strchr(line, '\n'));

	g_autoptr(JsonParser) parser = NULL;
	JsonObject *o = parse(line, &parser);
	g_assert_cmpint(json_object_get_int_member(o, "conn"), ==, 2);
	g_assert_cmpstr(json_object_get_string_member(o, "client"), ==, "127.0.0.1:40346");
	g_assert_cmpstr(json_object_get_string_member(o, "proto"), ==, "smtp");
	g_assert_cmpstr(json_object_get_string_member(o, "dir"), ==, "s2c");
	g_assert_cmpstr(json_object_get_string_member(o, "kind"), ==, "reply");
	g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, "250");
	g_assert_cmpstr(json_object_get_string_member(o, "enhanced"), ==, "2.1.0");
	g_assert_cmpint(json_object_get_int_member(o, "pair"), ==, 6);
	g_assert_cmpint(json_object_get_int_member(o, "elapsed_us"), ==, 1500);
	g_assert_cmpstr(json_object_get_string_member(o, "rfc"), ==, "RFC 5321 §4.2.3");
	g_assert_cmpstr(json_object_get_string_member(o, "raw"), ==, "250 2.1.0 Ok");
	JsonArray *also = json_object_get_array_member(o, "also");
	g_assert_cmpuint(json_array_get_length(also), ==, 1);
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(also, 0), "rfc"), ==,
	    "RFC 3463 §3.4");
	/* Absent fields are left out. */
	g_assert_false(json_object_has_member(o, "verb"));
	g_assert_false(json_object_has_member(o, "size"));
	g_assert_false(json_object_has_member(o, "depth"));
}

static void
test_json_invalid_utf8(void)
{
	/* A Latin-1 header value and a SASL PLAIN string with NULs stay valid JSON. */
	static const guint8 raw[] = "Subject: R\xe9sum\xe9\0x";
	TraceEvent ev;
	trace_event_init(&ev);
	ev.kind = TRACE_KIND_HEADER;
	ev.name = "Subject";
	ev.value = "R\xe9sum\xe9";
	ev.raw = raw;
	ev.raw_len = sizeof raw - 1;
	g_autofree char *line = trace_event_to_json(&ev);
	g_assert_true(g_utf8_validate(line, -1, NULL));
	g_autoptr(JsonParser) parser = NULL;
	JsonObject *o = parse(line, &parser);
	g_assert_cmpstr(json_object_get_string_member(o, "value"), ==,
	                "R\xef\xbf\xbdsum\xef\xbf\xbd");
	g_assert_cmpint(json_object_get_int_member(o, "depth"), ==, 0);
	g_assert_false(json_object_has_member(o, "conn"));
	g_assert_cmpstr(json_object_get_string_member(o, "proto"), ==, "tcp");
}

static void
test_copy(void)
{
	guint8 *raw = (guint8 *)g_strdup("250 2.1.0 Ok");
	TraceEvent ev;
	fill_reply(&ev, raw, strlen((char *)raw));
	g_autoptr(TraceEvent) copy = trace_event_copy(&ev);
	g_autofree char *before = trace_event_to_json(&ev);
	/* The copy owns its bytes: scribble over the original's. */
	memset(raw, 'x', strlen((char *)raw));
	g_free(raw);
	g_autofree char *after = trace_event_to_json(copy);
	g_assert_cmpstr(before, ==, after);
	g_assert_true(copy->client != ev.client);
}

static void
test_names(void)
{
	g_assert_cmpstr(trace_kind_name(TRACE_KIND_CONTINUATION), ==, "continuation");
	g_assert_cmpstr(trace_kind_name(TRACE_KIND_PACKET), ==, "packet");
	g_assert_cmpstr(trace_proto_name(TRACE_PROTO_POP3), ==, "pop3");
	g_assert_cmpstr(trace_dir_name(TRACE_DIR_C2S), ==, "c2s");
	g_assert_cmpstr(trace_mime_role_name(TRACE_MIME_BOUNDARY_CLOSE), ==, "boundary-close");
	g_assert_null(trace_mime_role_name(TRACE_MIME_NONE));
}

static void
test_json_sink(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	TraceSink *sink = trace_sink_json_new(out);
	TraceEvent ev;
	for (guint i = 1; i <= 3; i++) {
		trace_event_init(&ev);
		ev.id = i;
		ev.kind = TRACE_KIND_NOTE;
		ev.name = "gap";
		trace_sink_emit(sink, &ev);
	}
	trace_sink_free(sink);
	fclose(out);
	g_auto(GStrv) lines = g_strsplit(buf, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 4);
	g_assert_cmpstr(lines[3], ==, "");
	g_assert_true(g_str_has_prefix(lines[2], "{\"ts\":0.000000,\"id\":3,"));
	free(buf);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/trace-event/json-reply", test_json_reply);
	g_test_add_func("/trace-event/json-invalid-utf8", test_json_invalid_utf8);
	g_test_add_func("/trace-event/copy", test_copy);
	g_test_add_func("/trace-event/names", test_names);
	g_test_add_func("/trace-event/json-sink", test_json_sink);
	return g_test_run();
}
