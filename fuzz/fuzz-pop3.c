/* Fuzz target: POP3 (src/proto/pop3-proto.h). Every line of the input is
 * parsed as a command (as the server does) and as a reply line, CAPA line
 * and data line (as the tracer does). The whole input goes through the
 * unstuffer in pieces, which must give what it gives in one piece; and the
 * input with CRLF line ends, as the store keeps messages, must come back
 * unchanged from stuffing then unstuffing, the terminator found exactly. */
#include "fuzz-common.h"

#include "core/crlf.h"
#include "core/line-buffer.h"
#include "proto/pop3-proto.h"

#include <string.h>

static void
pop3_fuzz_line(const char *line, gsize len)
{
	g_autoptr(Pop3Command) cmd = pop3_command_parse(line, len);
	FUZZ_CHECK(cmd != NULL && cmd->verb != NULL && cmd->n_args <= POP3_MAX_ARGS);
	FUZZ_CHECK(cmd->result != POP3_PARSE_SYNTAX || cmd->error != NULL);
	FUZZ_CHECK(cmd->result == POP3_PARSE_UNKNOWN || cmd->info != NULL);
	for (guint i = 0; i < cmd->n_args; i++) {
		guint n;
		FUZZ_CHECK(cmd->args[i] != NULL);
		(void)pop3_parse_number(cmd->args[i], &n);
	}
	if (cmd->info != NULL) {
		(void)pop3_command_reply_is_multiline(cmd->info, cmd->n_args);
		FUZZ_CHECK(cmd->result != POP3_PARSE_OK || (cmd->n_args >= cmd->info->min_args &&
		                                            cmd->n_args <= cmd->info->max_args));
	}

	Pop3ReplyLine reply;
	if (pop3_reply_parse_line(line, len, &reply)) {
		FUZZ_CHECK(reply.text >= line && reply.text + reply.text_len <= line + len);
		if (reply.code != NULL) {
			FUZZ_CHECK(reply.code >= line && reply.code + reply.code_len <= line + len);
			(void)pop3_resp_code_lookup(reply.code, reply.code_len);
		}
	}
	const char *args = NULL;
	if (pop3_capa_lookup(line, len, &args) != NULL)
		FUZZ_CHECK(args != NULL);
	const char *data;
	gsize data_len;
	if (!pop3_unstuff_line(line, len, &data, &data_len))
		FUZZ_CHECK(data >= line && data + data_len <= line + len);
}

/* The unstuffer in pieces: what it writes and where it stops. */
static gsize
pop3_fuzz_unstuff(const guint8 *data, size_t size, guint64 *rnd, GByteArray *out, gboolean *done_r)
{
	Pop3Unstuffer u;
	pop3_unstuffer_init(&u);
	size_t pos = 0;
	while (pos < size && !u.done) {
		size_t n = rnd != NULL ? fuzz_piece(rnd, size - pos) : size - pos;
		gsize used = pop3_unstuffer_feed(&u, data + pos, n, out);
		FUZZ_CHECK(used <= n);
		FUZZ_CHECK(used == n || u.done);
		pos += used;
	}
	*done_r = u.done;
	return pos;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	guint64 rnd = fuzz_hash(data, size);

	g_autoptr(LineBuffer) lb = line_buffer_new(1000);
	for (size_t pos = 0; pos < size;) {
		size_t n = fuzz_piece(&rnd, size - pos);
		line_buffer_feed(lb, data + pos, n);
		pos += n;
		const char *line;
		gsize len;
		LineBufferResult r;
		while ((r = line_buffer_next(lb, &line, &len, NULL)) != LINE_BUFFER_NEED_MORE) {
			if (r == LINE_BUFFER_TOO_LONG)
				continue;
			char *exact = fuzz_exact(line, len);
			pop3_fuzz_line(exact, len);
			free(exact);
		}
	}

	/* The input as multi-line data: one piece, then random pieces. */
	g_autoptr(GByteArray) whole = g_byte_array_new();
	g_autoptr(GByteArray) pieces = g_byte_array_new();
	gboolean done_whole, done_pieces;
	gsize used_whole = pop3_fuzz_unstuff(data, size, NULL, whole, &done_whole);
	gsize used_pieces = pop3_fuzz_unstuff(data, size, &rnd, pieces, &done_pieces);
	FUZZ_CHECK(used_whole == used_pieces && done_whole == done_pieces);
	FUZZ_CHECK(whole->len == pieces->len &&
	           (whole->len == 0 || memcmp(whole->data, pieces->data, whole->len) == 0));
	FUZZ_CHECK(whole->len <= used_whole);

	/* Stuffing then unstuffing gives the message back, then ends exactly. */
	g_autoptr(GBytes) msg = crlf_normalize(data, size);
	gsize mlen;
	const guint8 *m = g_bytes_get_data(msg, &mlen);
	g_autoptr(GByteArray) stuffed = g_byte_array_new();
	gboolean line_start = TRUE;
	for (size_t pos = 0; pos < mlen;) {
		size_t n = fuzz_piece(&rnd, mlen - pos);
		pop3_stuff_append(stuffed, m + pos, n, &line_start);
		pos += n;
	}
	pop3_stuff_finish(stuffed, line_start);
	gsize stuffed_len = stuffed->len;
	/* What follows the terminator belongs to the next reply. */
	g_byte_array_append(stuffed, data, (guint)MIN(size, 64));
	g_autoptr(GByteArray) back = g_byte_array_new();
	gboolean done;
	gsize used = pop3_fuzz_unstuff(stuffed->data, stuffed->len, &rnd, back, &done);
	FUZZ_CHECK(done && used == stuffed_len);
	gboolean ends_crlf = mlen >= 2 && m[mlen - 2] == '\r' && m[mlen - 1] == '\n';
	gsize expect = mlen + (mlen > 0 && !ends_crlf ? 2 : 0);
	FUZZ_CHECK(back->len == expect && (mlen == 0 || memcmp(back->data, m, mlen) == 0));

	gsize top = pop3_top_length(data, size, (guint)(rnd % 8));
	FUZZ_CHECK(top <= size);
	return 0;
}
