/* POP3 protocol knowledge (RFC 1939, CAPA of RFC 2449, AUTH of RFC 5034,
 * response codes of RFC 2449 §8 and RFC 3206), pure and table-driven: the
 * commands with their states and reply shapes, the command-line and reply-line
 * parsers, the CAPA and response-code tables, and the byte-stuffing of
 * multi-line data (also SMTP DATA's, RFC 5321 §4.5.2). Shared by the POP3
 * server, the SMTP server and the tracer; no I/O. Explanations are N_(). */
#pragma once

#include <glib.h>

/* RFC 2449 §4: a command line is at most 255 octets with its CRLF. */
#define POP3_MAX_COMMAND_LINE 255
/* RFC 1939 §3: keywords are 3 or 4 characters, arguments up to 40. */
#define POP3_MAX_ARG  40
#define POP3_MAX_ARGS 2

typedef enum {
	POP3_STATE_AUTHORIZATION = 1 << 0,
	POP3_STATE_TRANSACTION = 1 << 1,
	POP3_STATE_UPDATE = 1 << 2,
} Pop3State;

typedef enum {
	POP3_CMD_USER,
	POP3_CMD_PASS,
	POP3_CMD_APOP,
	POP3_CMD_AUTH,
	POP3_CMD_STLS,
	POP3_CMD_CAPA,
	POP3_CMD_QUIT,
	POP3_CMD_STAT,
	POP3_CMD_LIST,
	POP3_CMD_RETR,
	POP3_CMD_DELE,
	POP3_CMD_NOOP,
	POP3_CMD_RSET,
	POP3_CMD_TOP,
	POP3_CMD_UIDL,
	POP3_CMD_UTF8,
	POP3_CMD_LANG,
	POP3_CMD_N,
} Pop3CommandId;

/* The shape of a positive reply. */
typedef enum {
	POP3_MULTILINE_NEVER,       /* one line */
	POP3_MULTILINE_ALWAYS,      /* RETR, TOP, CAPA: +OK then lines then "." */
	POP3_MULTILINE_WITHOUT_ARG, /* LIST, UIDL, LANG: multi-line without argument */
	POP3_MULTILINE_SASL,        /* AUTH: "+ " continuations with a mechanism;
	                             * without one, a list of mechanisms (not in
	                             * RFC 5034, but common) */
} Pop3Multiline;

typedef struct {
	Pop3CommandId id;
	const char *name; /* "RETR" */
	guint states;     /* Pop3State mask where the RFC allows it */
	guint min_args, max_args;
	/* PASS: everything after "PASS " is one argument, spaces included (RFC 1939 §7). */
	gboolean rest_is_one_arg;
	Pop3Multiline multiline;
	const char *syntax;  /* "RETR msg" (not translated) */
	const char *rfc;     /* "RFC 1939 §5" */
	const char *explain; /* N_() */
} Pop3CommandInfo;

extern const Pop3CommandInfo pop3_command_table[POP3_CMD_N];

const Pop3CommandInfo *pop3_command_lookup(const char *verb, gsize len);
const char *pop3_state_name(Pop3State state); /* N_() */
/* Whether a positive reply to this command, with n_args arguments, is multi-line. */
gboolean pop3_command_reply_is_multiline(const Pop3CommandInfo *info, guint n_args);

/* --- Command lines (without CRLF) --- */
typedef enum {
	POP3_PARSE_OK,
	POP3_PARSE_UNKNOWN, /* not a POP3 command */
	POP3_PARSE_SYNTAX,  /* a known command with the wrong arguments (error says why) */
} Pop3ParseResult;

typedef struct {
	Pop3ParseResult result;
	const Pop3CommandInfo *info; /* NULL when unknown */
	char *verb;                  /* as sent */
	char *args[POP3_MAX_ARGS];   /* NULL when absent */
	guint n_args;
	const char *error; /* N_() reason of POP3_PARSE_SYNTAX */
} Pop3Command;

/* Never returns NULL. Arguments are separated by single spaces; a trailing
 * space is tolerated. */
Pop3Command *pop3_command_parse(const char *line, gsize len);
void pop3_command_free(Pop3Command *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Pop3Command, pop3_command_free)

/* A message number or line count: decimal digits only, no sign, at most
 * G_MAXUINT. FALSE otherwise. */
gboolean pop3_parse_number(const char *s, guint *value_r);

/* --- Reply lines --- */
typedef enum {
	POP3_REPLY_OK,           /* "+OK" */
	POP3_REPLY_ERR,          /* "-ERR" */
	POP3_REPLY_CONTINUATION, /* "+ base64" during AUTH (RFC 5034 §4) */
} Pop3ReplyStatus;

typedef struct {
	Pop3ReplyStatus status;
	const char *code; /* inside [ ] (RFC 2449 §8), NULL when none; points into the line */
	gsize code_len;
	const char *text; /* the rest, after the status, the code and their spaces */
	gsize text_len;
} Pop3ReplyLine;

/* Parses the first line of a reply. FALSE when it is neither +OK, -ERR nor "+ ".
 * The status indicator is matched without regard to case. */
gboolean pop3_reply_parse_line(const char *line, gsize len, Pop3ReplyLine *reply_r);

/* --- Response codes (RFC 2449 §8, RFC 3206, RFC 6856) --- */
typedef struct {
	const char *code; /* "IN-USE", "SYS/TEMP" */
	const char *rfc;
	const char *explain; /* N_() */
} Pop3RespCodeInfo;

extern const Pop3RespCodeInfo pop3_resp_code_table[];
extern const gsize pop3_resp_code_table_len;
/* Case-insensitive; NULL for codes not in the table. */
const Pop3RespCodeInfo *pop3_resp_code_lookup(const char *code, gsize len);

/* --- CAPA capabilities (RFC 2449 §6 and extensions) --- */
typedef struct {
	const char *name; /* "TOP" */
	const char *rfc;
	const char *explain; /* N_() */
} Pop3CapaInfo;

extern const Pop3CapaInfo pop3_capa_table[];
extern const gsize pop3_capa_table_len;
/* line is one line of a CAPA reply; the name ends at a space. *args_r gets
 * what follows the space ("" when nothing). NULL for unknown capabilities. */
const Pop3CapaInfo *pop3_capa_lookup(const char *line, gsize len, const char **args_r);

/* --- Byte-stuffing of multi-line data (RFC 1939 §3, RFC 5321 §4.5.2) --- */

/* Appends data to out, doubling a '.' that begins a line. *line_start carries
 * the state across calls: set it TRUE before the first. */
void pop3_stuff_append(GByteArray *out, const guint8 *data, gsize len, gboolean *line_start);
/* Appends the terminator: a CRLF first when the data did not end with one, then ".\r\n". */
void pop3_stuff_finish(GByteArray *out, gboolean line_start);

/* Reading side, fed in pieces of any size. The data starts just after the
 * line that opened it (+OK, 354). Only CRLF ends a line here: "<LF>.<LF>"
 * never ends the data (the SMTP smuggling attacks rely on servers that
 * thought otherwise). */
typedef struct {
	guint state;
	gboolean done;
} Pop3Unstuffer;

void pop3_unstuffer_init(Pop3Unstuffer *u);
/* Unstuffs data into out (NULL to discard) and returns how many octets it
 * consumed: all of them, or fewer when the terminating line ends inside data
 * (what follows belongs to the next command or reply). The CRLF before the
 * final dot belongs to the data. Sets u->done at the terminator. */
gsize pop3_unstuffer_feed(Pop3Unstuffer *u, const guint8 *data, gsize len, GByteArray *out);

/* The same for a line already framed (without its CRLF): TRUE when it is the
 * terminating ".", else *data_r / *len_r give the line without its stuffed dot. */
gboolean pop3_unstuff_line(const char *line, gsize len, const char **data_r, gsize *len_r);

/* TOP msg n (RFC 1939 §7): how many octets of a message make its header, the
 * blank line and at most n lines of body. */
gsize pop3_top_length(const guint8 *msg, gsize len, guint body_lines);
