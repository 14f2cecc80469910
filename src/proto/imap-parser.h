/* The IMAP parser (RFC 3501 §9), in the style of Dovecot's lib-imap: fed
 * bytes, it answers DONE, NEED_MORE, LITERAL_WAIT or ERROR and never does
 * I/O, so one parser serves the live server and the passive tracer (which
 * feeds captured segments as they come).
 *
 * One parser reads one direction of one connection:
 *   IMAP_PARSER_COMMANDS  — client to server: tag SP command [SP arguments] CRLF
 *   IMAP_PARSER_RESPONSES — server to client: tagged and untagged responses,
 *                           continuation requests "+ …"
 * Literals {n} (synchronising), {n+} (non-synchronising, RFC 7888) are read
 * in both directions; every limit is a parameter. */
#pragma once

#include "proto/imap-arg.h"

#include <glib.h>

typedef enum {
	IMAP_PARSER_COMMANDS,
	IMAP_PARSER_RESPONSES,
} ImapParserSide;

typedef struct {
	/* Octets of a command's (or response's) text outside its literals, CRLFs
	 * included, summed over the lines that literals split it into. */
	gsize max_line;
	gsize max_literal;       /* octets of one literal */
	gsize max_literal_total; /* octets of all the literals of one command/response */
	guint max_depth;         /* nesting of parenthesised lists */
	guint max_args;          /* arguments of one command/response, lists included */
} ImapParserLimits;

/* Commands: 8 KB lines (as the issue and Dovecot's imap_max_line_length
 * roughly), 25 MB literals, 16 levels, 10000 arguments. */
#define IMAP_PARSER_DEFAULT_MAX_LINE    8192u
#define IMAP_PARSER_DEFAULT_MAX_LITERAL (25u * 1024 * 1024)
#define IMAP_PARSER_DEFAULT_MAX_DEPTH   16u
#define IMAP_PARSER_DEFAULT_MAX_ARGS    10000u
/* Responses: a SEARCH or a BODYSTRUCTURE line may be long and deep. */
#define IMAP_PARSER_DEFAULT_RESPONSE_MAX_LINE  (1024u * 1024)
#define IMAP_PARSER_DEFAULT_RESPONSE_MAX_DEPTH 64u
#define IMAP_PARSER_DEFAULT_RESPONSE_MAX_ARGS  200000u

/* The defaults above for one side (max_literal_total: the same as
 * max_literal for commands, four times it for responses). */
void imap_parser_limits_default(ImapParserSide side, ImapParserLimits *limits_r);

typedef enum {
	IMAP_PARSE_NEED_MORE, /* every octet given was consumed; feed more */
	IMAP_PARSE_DONE,      /* a whole command/response (or line, see expect_line) */
	/* A synchronising literal {n} was announced and its size accepted: the
	 * client now waits for a continuation request ("+ Ready") before sending
	 * the n octets (RFC 3501 §7.5). The tag, the command name and the
	 * arguments so far can be read. Feed on to read the literal, or call
	 * imap_parser_reset() to refuse the command (the client then sends
	 * nothing more of it). Only on the COMMANDS side. */
	IMAP_PARSE_LITERAL_WAIT,
	/* Malformed input or a limit exceeded: imap_parser_get_error() explains,
	 * the tag is known when it could be read. The parser then skips the rest
	 * of the faulty line by itself (and the octets of a {n+} literal it
	 * refused) and starts afresh: keep feeding. */
	IMAP_PARSE_ERROR,
} ImapParseResult;

typedef enum {
	IMAP_PARSE_ERROR_NONE,
	IMAP_PARSE_ERROR_SYNTAX, /* bad characters, missing ')' or '"', … */
	IMAP_PARSE_ERROR_LINE_TOO_LONG,
	IMAP_PARSE_ERROR_LITERAL_TOO_LARGE,
	IMAP_PARSE_ERROR_TOO_DEEP,
	IMAP_PARSE_ERROR_TOO_MANY_ARGS,
} ImapParseErrorKind;

typedef struct _ImapParser ImapParser;

/* limits may be NULL for the side's defaults; zero fields take defaults too. */
ImapParser *imap_parser_new(ImapParserSide side, const ImapParserLimits *limits);
void imap_parser_free(ImapParser *parser);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ImapParser, imap_parser_free)
const ImapParserLimits *imap_parser_get_limits(const ImapParser *parser);
void imap_parser_set_limits(ImapParser *parser, const ImapParserLimits *limits);

/* Reads from data; *consumed_r tells how many octets were used (all of them
 * for NEED_MORE). Call again with the rest after DONE, LITERAL_WAIT and
 * ERROR. What a DONE produced stays readable until the next feed or reset. */
ImapParseResult imap_parser_feed(ImapParser *parser, const void *data, gsize len,
                                 gsize *consumed_r);
/* Forgets the command in progress and any skipping: the next octet starts a
 * new command (or response). */
void imap_parser_reset(ImapParser *parser);

/* COMMANDS side: the next line is not a command but a bare line, returned by
 * imap_parser_get_line() with DONE: the client's answer to an AUTHENTICATE
 * challenge (RFC 3501 §6.2.2) or the "DONE" that ends IDLE (RFC 2177). */
void imap_parser_expect_line(ImapParser *parser);
/* The bare line, without its CRLF (NUL-terminated). */
const char *imap_parser_get_line(const ImapParser *parser);

/* What went wrong (a student-readable sentence, translated), after ERROR. */
ImapParseErrorKind imap_parser_get_error_kind(const ImapParser *parser);
const char *imap_parser_get_error(const ImapParser *parser);
/* The same in English (the msgid), for a server's BAD answer. */
const char *imap_parser_get_error_untranslated(const ImapParser *parser);

/* COMMANDS side, after DONE, LITERAL_WAIT or ERROR (NULL when not read yet). */
const char *imap_parser_get_tag(const ImapParser *parser);
const char *imap_parser_get_command_name(const ImapParser *parser); /* as sent */
/* The arguments after the command name, an IMAP_ARG_LIST (complete after
 * DONE, as far as read at LITERAL_WAIT). */
const ImapArg *imap_parser_get_args(const ImapParser *parser);
/* Takes the arguments (the caller frees them); the parser's become empty. */
ImapArg *imap_parser_steal_args(ImapParser *parser);
/* At LITERAL_WAIT: the size announced. */
gsize imap_parser_get_literal_size(const ImapParser *parser);

/* --- RESPONSES side --- */
typedef enum {
	IMAP_RESPONSE_TAGGED,       /* tag OK|NO|BAD [code] text */
	IMAP_RESPONSE_UNTAGGED,     /* "* …": a status (OK, NO, BAD, BYE, PREAUTH) or data */
	IMAP_RESPONSE_CONTINUATION, /* "+ text" or "+ base64" */
} ImapResponseKind;

typedef enum {
	IMAP_STATUS_NONE, /* untagged data, continuation */
	IMAP_STATUS_OK,
	IMAP_STATUS_NO,
	IMAP_STATUS_BAD,
	IMAP_STATUS_BYE,
	IMAP_STATUS_PREAUTH,
} ImapStatus;

typedef struct {
	ImapResponseKind kind;
	const char *tag;   /* TAGGED */
	ImapStatus status; /* a status response, tagged or untagged */
	/* Untagged data: the keyword as sent ("EXISTS", "FETCH", "CAPABILITY",
	 * "LIST", …) and, for "* 3 EXISTS", "* 2 FETCH", the number. For a status
	 * response, the status word as sent. */
	const char *keyword;
	gboolean has_number;
	guint32 number;
	/* Status responses: the response code between brackets, split into its
	 * name and the rest ("UIDVALIDITY", "1795672103"); NULL when absent. */
	const char *code;
	const char *code_args;
	/* Status responses: the human text after the code; continuation: the
	 * text or base64 after "+ ". Never NULL. */
	const char *text;
	/* Untagged data: the arguments after the keyword, an IMAP_ARG_LIST (for
	 * FETCH, its one element is the parenthesised list of items). */
	const ImapArg *args;
	/* The text of the response's first line, without CRLF, for display. */
	const char *line;
} ImapResponse;

/* RESPONSES side, after DONE. */
const ImapResponse *imap_parser_get_response(const ImapParser *parser);

/* FETCH data items (RFC 3501 §7.4.2), in order: call with *iter = 0, then
 * again while it returns TRUE. name_r is the item name as sent ("UID",
 * "BODY[1.2.2.MIME]", "BODY[2]<0>"), value_r its value: a literal's octets
 * (message content for the MIME decoder) are value_r->data, value_r->len. */
gboolean imap_response_fetch_next(const ImapResponse *response, guint *iter, const char **name_r,
                                  const ImapArg **value_r);
