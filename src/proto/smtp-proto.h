/* SMTP protocol knowledge (RFC 5321 and its extensions), pure and table-driven:
 * the commands with the states that allow them, a command-line parser, a
 * reply-line parser, explanations of reply codes, enhanced status codes, EHLO
 * keywords and MAIL/RCPT parameters, and SASL PLAIN/LOGIN decoding.
 * Shared by the SMTP server and the tracer; no I/O. Explanations are N_()
 * strings: translate them with _() when shown. DATA uses the byte-stuffing
 * of pop3-proto.h (RFC 5321 §4.5.2 and RFC 1939 §3 define the same rule). */
#pragma once

#include <glib.h>

/* RFC 5321 §4.5.3.1.4: a command line is at most 512 octets with its CRLF;
 * §4.5.3.1.6: a text line of DATA at most 1000. facteur's server accepts
 * command lines up to SMTP_MAX_LINE, as the issue asks (500 beyond). */
#define SMTP_MAX_COMMAND_LINE 512
#define SMTP_MAX_LINE         1000
/* §4.5.3.1.8: at least 100 recipients must be accepted per message. */
#define SMTP_MIN_RECIPIENTS 100

/* Where a session stands, as a bit mask in the command table. */
typedef enum {
	SMTP_STATE_GREETED = 1 << 0, /* the 220 was sent, no EHLO/HELO yet */
	SMTP_STATE_READY = 1 << 1,   /* after EHLO/HELO, no mail transaction */
	SMTP_STATE_MAIL = 1 << 2,    /* MAIL accepted, no recipient accepted yet */
	SMTP_STATE_RCPT = 1 << 3,    /* at least one RCPT accepted */
} SmtpState;
#define SMTP_STATES_ANY         0xfu
#define SMTP_STATES_TRANSACTION (SMTP_STATE_MAIL | SMTP_STATE_RCPT)

typedef enum {
	SMTP_CMD_EHLO,
	SMTP_CMD_HELO,
	SMTP_CMD_MAIL,
	SMTP_CMD_RCPT,
	SMTP_CMD_DATA,
	SMTP_CMD_BDAT,
	SMTP_CMD_RSET,
	SMTP_CMD_NOOP,
	SMTP_CMD_QUIT,
	SMTP_CMD_VRFY,
	SMTP_CMD_EXPN,
	SMTP_CMD_HELP,
	SMTP_CMD_AUTH,
	SMTP_CMD_STARTTLS,
	SMTP_CMD_ETRN,
	SMTP_CMD_TURN,
	SMTP_CMD_SEND,
	SMTP_CMD_SOML,
	SMTP_CMD_SAML,
	SMTP_CMD_N,
} SmtpCommandId;

/* What may follow the verb. */
typedef enum {
	SMTP_ARGS_NONE,     /* nothing (DATA, RSET, QUIT, STARTTLS) */
	SMTP_ARGS_OPTIONAL, /* a free string or nothing (NOOP, HELP) */
	SMTP_ARGS_REQUIRED, /* a string (EHLO domain, VRFY, AUTH mechanism, BDAT size) */
	SMTP_ARGS_PATH,     /* prefix "<path>" [SP parameters] (MAIL, RCPT) */
} SmtpArgs;

typedef struct {
	SmtpCommandId id;
	const char *name; /* upper case: "MAIL" */
	guint states;     /* SmtpState mask where the RFC allows it */
	SmtpArgs args;
	const char *prefix;  /* "FROM:" / "TO:" for SMTP_ARGS_PATH */
	const char *syntax;  /* "MAIL FROM:<reverse-path> [parameters]" (not translated) */
	const char *rfc;     /* "RFC 5321 §4.1.1.2" */
	const char *explain; /* N_() */
	gboolean obsolete;   /* in the RFCs but withdrawn (RFC 5321 appendix F) */
} SmtpCommandInfo;

/* The table, in SmtpCommandId order; smtp_command_table[id].id == id. */
extern const SmtpCommandInfo smtp_command_table[SMTP_CMD_N];

/* Case-insensitive lookup of a verb; NULL when unknown. */
const SmtpCommandInfo *smtp_command_lookup(const char *verb, gsize len);
/* N_() name of a state ("before EHLO", …). */
const char *smtp_state_name(SmtpState state);

/* --- Parsing one command line (without its CRLF) --- */
typedef enum {
	SMTP_PARSE_OK,
	SMTP_PARSE_UNKNOWN, /* the verb is not an SMTP command: 500 */
	SMTP_PARSE_SYNTAX,  /* a known verb with bad arguments: 501 (error says why) */
} SmtpParseResult;

typedef struct {
	char *keyword; /* as sent ("SIZE", "size") */
	char *value;   /* NULL when the parameter has no "=value" */
} SmtpParam;

typedef struct {
	SmtpParseResult result;
	const SmtpCommandInfo *info; /* NULL when the verb is unknown */
	char *verb;                  /* as sent, case kept ("" for an empty line) */
	char *args;                  /* the text after the verb and its space; NULL if none */
	/* MAIL and RCPT: the address between < and >, without a source route;
	 * "" for the null reverse-path <>. NULL when the path did not parse. */
	char *path;
	GArray *params;    /* of SmtpParam, after the path */
	const char *error; /* N_() reason of SMTP_PARSE_SYNTAX, else NULL */
} SmtpCommand;

/* Never returns NULL: a malformed line is a result, not a failure. Octets
 * outside printable ASCII in the verb make it unknown. */
SmtpCommand *smtp_command_parse(const char *line, gsize len);
void smtp_command_free(SmtpCommand *cmd);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SmtpCommand, smtp_command_free)
/* Case-insensitive lookup of a MAIL/RCPT parameter; NULL when absent. */
const SmtpParam *smtp_command_param(const SmtpCommand *cmd, const char *keyword);

/* Checks the syntax of a mailbox of RFC 5321 §4.1.2 (local-part "@" domain,
 * domain or address literal; UTF-8 allowed as RFC 6531 permits). */
gboolean smtp_mailbox_is_valid(const char *mailbox);
/* Splits a mailbox at its last '@' (a quoted local part may contain '@').
 * The domain is returned without change of case. Returns FALSE without '@'. */
gboolean smtp_mailbox_split(const char *mailbox, char **local_r, char **domain_r);
/* A decimal number of at most 20 digits that fits in a guint64 (SIZE=, BDAT). */
gboolean smtp_parse_number(const char *s, guint64 *value_r);

/* --- MAIL and RCPT parameters (RFC 5321 §4.1.1.11 and extensions) --- */
typedef struct {
	const char *name; /* "SIZE" */
	SmtpCommandId command;
	const char *ehlo; /* the EHLO keyword that announces it */
	const char *rfc;
	const char *explain; /* N_() */
} SmtpParamInfo;

extern const SmtpParamInfo smtp_param_table[];
extern const gsize smtp_param_table_len;
const SmtpParamInfo *smtp_param_lookup(SmtpCommandId command, const char *keyword);

/* --- Reply lines (RFC 5321 §4.2) --- */
typedef struct {
	guint code;    /* 250 */
	gboolean last; /* "250 text" or "250": the last line; FALSE for "250-" */
	gboolean has_enhanced;
	guint enh_class;   /* 2, 4 or 5 */
	guint enh_subject; /* 0..999 */
	guint enh_detail;  /* 0..999 */
	const char *text;  /* after the separator and the enhanced code; points into the line */
	gsize text_len;
} SmtpReplyLine;

/* Parses one reply line without its CRLF. FALSE when it is not a reply line
 * (three digits 2..5, 0..5, 0..9 then SP, '-' or the end). An enhanced status
 * code is recognised only when its class equals the reply's first digit
 * (RFC 2034 §3), so a greeting "220 1.2.3.4 …" is not taken for one. */
gboolean smtp_reply_parse_line(const char *line, gsize len, SmtpReplyLine *reply_r);

/* --- Explanations of reply codes --- */
typedef struct {
	guint code;
	const char *rfc;
	const char
	    *meaning; /* N_(): the RFC's short text, "Requested mail action okay, completed" */
	const char *explain; /* N_(): what a student should understand */
} SmtpReplyInfo;

extern const SmtpReplyInfo smtp_reply_table[];
extern const gsize smtp_reply_table_len;
/* NULL for a code the table does not hold; use smtp_reply_digit_explain then. */
const SmtpReplyInfo *smtp_reply_lookup(guint code);
/* N_() meaning of the first (position 0) or second (position 1) digit of a
 * code (RFC 5321 §4.2.1). NULL for a digit that has none. */
const char *smtp_reply_digit_explain(guint code, guint position);

/* --- Enhanced status codes (RFC 3463 class.subject.detail, RFC 5248 registry) --- */
typedef struct {
	guint value; /* class or subject */
	const char *rfc;
	const char *meaning; /* N_() */
	const char *explain; /* N_() */
} SmtpEnhancedPart;

typedef struct {
	guint subject, detail;
	const char *rfc;
	const char *meaning; /* N_() */
	const char *explain; /* N_() */
} SmtpEnhancedInfo;

extern const SmtpEnhancedPart smtp_enhanced_class_table[];
extern const gsize smtp_enhanced_class_table_len;
extern const SmtpEnhancedPart smtp_enhanced_subject_table[];
extern const gsize smtp_enhanced_subject_table_len;
extern const SmtpEnhancedInfo smtp_enhanced_table[];
extern const gsize smtp_enhanced_table_len;
const SmtpEnhancedPart *smtp_enhanced_class_lookup(guint enh_class);
const SmtpEnhancedPart *smtp_enhanced_subject_lookup(guint subject);
const SmtpEnhancedInfo *smtp_enhanced_lookup(guint subject, guint detail);

/* --- EHLO keywords (the lines after the first of a 250 reply to EHLO) --- */
typedef struct {
	const char *keyword; /* "PIPELINING" */
	const char *rfc;
	const char *explain; /* N_() */
} SmtpExtensionInfo;

extern const SmtpExtensionInfo smtp_extension_table[];
extern const gsize smtp_extension_table_len;
/* text is an EHLO line's text ("SIZE 10240000", "AUTH PLAIN LOGIN", and the
 * old "AUTH=PLAIN LOGIN"); the keyword ends at SP, '=' or the end. Sets
 * *params_r to what follows the keyword and its separator (may be ""). */
const SmtpExtensionInfo *smtp_extension_lookup(const char *text, gsize len, const char **params_r);

/* --- SASL (RFC 4954 for SMTP; the same encodings serve POP3 AUTH and IMAP
 * AUTHENTICATE) --- */
typedef struct {
	const char *name; /* "PLAIN" */
	const char *rfc;
	const char *explain; /* N_() */
} SmtpSaslInfo;

extern const SmtpSaslInfo smtp_sasl_table[];
extern const gsize smtp_sasl_table_len;
const SmtpSaslInfo *smtp_sasl_lookup(const char *mechanism);

/* The base64 challenges of LOGIN: "Username:" and "Password:". */
#define SMTP_AUTH_LOGIN_USERNAME "VXNlcm5hbWU6"
#define SMTP_AUTH_LOGIN_PASSWORD "UGFzc3dvcmQ6"

/* Strict base64 (RFC 4648 §4 alphabet, padding, length a multiple of 4).
 * Returns NULL when the text is not base64; *len_r gets the decoded length.
 * The result is NUL-terminated for convenience. */
guint8 *smtp_auth_decode_base64(const char *b64, gsize len, gsize *len_r);
/* A base64 response that must be text (LOGIN's user name or password, a
 * challenge): NULL when not base64, or when it holds a NUL or is not UTF-8. */
char *smtp_auth_decode_text(const char *b64, gsize len);
/* PLAIN (RFC 4616 §2): base64 of [authzid] NUL authcid NUL passwd. FALSE when
 * not base64 or not made of three NUL-separated UTF-8 fields with a non-empty
 * authcid. The outputs are set only on success; authzid may be "". */
gboolean smtp_auth_decode_plain(const char *b64, gsize len, char **authzid_r, char **user_r,
                                char **password_r);
/* The base64 PLAIN response for a client. Caller frees. */
char *smtp_auth_encode_plain(const char *authzid, const char *user, const char *password);
