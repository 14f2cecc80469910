/* Fuzz target: SMTP lines (src/proto/smtp-proto.h). The input is a stream
 * framed into lines by the servers' LineBuffer, fed in pieces; every line is
 * parsed as a command, as the server does (parameters, paths, SIZE, BDAT,
 * AUTH responses), and as a reply line, as the tracer does (codes, enhanced
 * codes, EHLO keywords). PLAIN must decode what it encodes. */
#include "fuzz-common.h"

#include "core/line-buffer.h"
#include "proto/smtp-proto.h"

#include <string.h>

static void
smtp_fuzz_command(const char *line, gsize len)
{
	g_autoptr(SmtpCommand) cmd = smtp_command_parse(line, len);
	FUZZ_CHECK(cmd != NULL && cmd->verb != NULL);
	FUZZ_CHECK(cmd->result != SMTP_PARSE_SYNTAX || cmd->error != NULL);
	FUZZ_CHECK(cmd->result == SMTP_PARSE_UNKNOWN || cmd->info != NULL);
	if (cmd->info != NULL) {
		const SmtpCommandInfo *again = smtp_command_lookup(cmd->verb, strlen(cmd->verb));
		FUZZ_CHECK(again == cmd->info);
	}
	if (cmd->path != NULL && *cmd->path != '\0') {
		if (smtp_mailbox_is_valid(cmd->path)) {
			g_autofree char *local = NULL;
			g_autofree char *domain = NULL;
			FUZZ_CHECK(smtp_mailbox_split(cmd->path, &local, &domain));
		}
	}
	if (cmd->params != NULL) {
		for (guint i = 0; i < cmd->params->len; i++) {
			const SmtpParam *p = &g_array_index(cmd->params, SmtpParam, i);
			FUZZ_CHECK(smtp_command_param(cmd, p->keyword) != NULL);
			if (cmd->info != NULL)
				(void)smtp_param_lookup(cmd->info->id, p->keyword);
			guint64 n;
			if (p->value != NULL)
				(void)smtp_parse_number(p->value, &n);
		}
	}
	if (cmd->args == NULL)
		return;
	guint64 n;
	(void)smtp_parse_number(cmd->args, &n);
	(void)smtp_sasl_lookup(cmd->args);
	/* AUTH PLAIN <initial response>, or a bare line answering a challenge. */
	const char *b64 = strchr(cmd->args, ' ');
	b64 = b64 != NULL ? b64 + 1 : cmd->args;
	g_autofree char *text = smtp_auth_decode_text(b64, strlen(b64));
	FUZZ_CHECK(text == NULL || g_utf8_validate(text, -1, NULL));
	g_autofree char *authzid = NULL;
	g_autofree char *user = NULL;
	g_autofree char *password = NULL;
	if (smtp_auth_decode_plain(b64, strlen(b64), &authzid, &user, &password))
		FUZZ_CHECK(authzid != NULL && user != NULL && *user != '\0' && password != NULL);
}

static void
smtp_fuzz_reply(const char *line, gsize len)
{
	SmtpReplyLine reply;
	if (!smtp_reply_parse_line(line, len, &reply))
		return;
	FUZZ_CHECK(reply.code >= 200 && reply.code <= 599);
	FUZZ_CHECK(reply.text >= line && reply.text + reply.text_len <= line + len);
	(void)smtp_reply_lookup(reply.code);
	(void)smtp_reply_digit_explain(reply.code, 0);
	(void)smtp_reply_digit_explain(reply.code, 1);
	if (reply.has_enhanced) {
		FUZZ_CHECK(reply.enh_class == reply.code / 100);
		(void)smtp_enhanced_class_lookup(reply.enh_class);
		(void)smtp_enhanced_subject_lookup(reply.enh_subject);
		(void)smtp_enhanced_lookup(reply.enh_subject, reply.enh_detail);
	}
	const char *params = NULL;
	if (smtp_extension_lookup(reply.text, reply.text_len, &params) != NULL)
		FUZZ_CHECK(params != NULL && params >= reply.text &&
		           params <= reply.text + reply.text_len);
}

/* Three NUL-free UTF-8 fields out of the line: what PLAIN encodes, it decodes. */
static void
smtp_fuzz_plain(const char *line, gsize len)
{
	g_auto(GStrv) fields = g_strsplit(line, "\t", 3);
	if (g_strv_length(fields) != 3 || fields[1][0] == '\0' || strlen(line) != len)
		return;
	for (guint i = 0; i < 3; i++)
		if (!g_utf8_validate(fields[i], -1, NULL))
			return;
	g_autofree char *b64 = smtp_auth_encode_plain(fields[0], fields[1], fields[2]);
	g_autofree char *authzid = NULL;
	g_autofree char *user = NULL;
	g_autofree char *password = NULL;
	FUZZ_CHECK(smtp_auth_decode_plain(b64, strlen(b64), &authzid, &user, &password));
	FUZZ_CHECK(strcmp(authzid, fields[0]) == 0 && strcmp(user, fields[1]) == 0 &&
	           strcmp(password, fields[2]) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_init();
	guint64 rnd = fuzz_hash(data, size);
	g_autoptr(LineBuffer) lb = line_buffer_new(SMTP_MAX_LINE);
	size_t pos = 0;
	while (pos < size) {
		size_t n = fuzz_piece(&rnd, size - pos);
		line_buffer_feed(lb, data + pos, n);
		pos += n;
		const char *line;
		gsize len, term;
		LineBufferResult r;
		while ((r = line_buffer_next(lb, &line, &len, &term)) != LINE_BUFFER_NEED_MORE) {
			if (r == LINE_BUFFER_TOO_LONG)
				continue;
			FUZZ_CHECK(len + term <= SMTP_MAX_LINE && (term == 1 || term == 2));
			char *exact = fuzz_exact(line, len);
			smtp_fuzz_command(exact, len);
			smtp_fuzz_reply(exact, len);
			free(exact);
			g_autofree char *copy = g_strndup(line, len);
			smtp_fuzz_plain(copy, len);
		}
	}
	return 0;
}
