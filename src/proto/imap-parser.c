/* The IMAP parser: line framing with literals, then a tokeniser that builds
 * the argument tree one line at a time. A command is a first line, then for
 * each literal announced at the end of a line, the literal's octets and the
 * next line, which continues the same command (RFC 3501 §4.3, §7.5). */
#include "proto/imap-parser.h"

#include "core/facteur-i18n.h"

#include <string.h>

typedef enum {
	ST_LINE,         /* collecting a line */
	ST_LITERAL,      /* reading the octets of a literal */
	ST_SKIP_LINE,    /* after an error: dropping octets up to the end of the line */
	ST_SKIP_LITERAL, /* after an error: dropping the octets of a refused {n+} literal */
} State;

typedef enum {
	SEG_DONE,
	SEG_LITERAL,
	SEG_ERROR,
} SegResult;

typedef enum {
	TOK_NONE,  /* at the start, or after a space */
	TOK_OPEN,  /* after '(' */
	TOK_CLOSE, /* after ')' */
	TOK_VALUE, /* after an atom, a string or a literal */
} LastToken;

struct _ImapParser {
	ImapParserSide side;
	ImapParserLimits limits;
	State state;
	GString *seg;        /* the line being collected, without its LF */
	gsize text_total;    /* octets of the lines of this command already complete */
	gsize literal_total; /* octets of the literals of this command */
	gsize literal_left;  /* ST_LITERAL: octets still to come */
	gsize literal_size;  /* the last literal announced */
	gboolean literal_sync;
	GString *literal_buf; /* ST_LITERAL: the octets so far */
	ImapArg *literal;     /* ST_LITERAL: the argument they go to (in the tree) */
	gsize skip_literal;   /* octets of a refused {n+} to drop after the line */
	char skip_tail[24];   /* end of the line being skipped, to see a {n+} there */
	gsize skip_tail_len;
	gboolean expect_line;
	gboolean result_pending; /* a DONE or ERROR was returned: clear on next feed */

	/* The command or response being read. */
	gboolean started; /* its first line was tokenised */
	char *tag;
	char *name;
	char *line; /* expect_line's result; responses: the first line */
	ImapArg *root;
	GPtrArray *stack; /* open lists (borrowed), root first */
	guint n_args;
	LastToken last;

	/* RESPONSES side. */
	ImapResponse response;
	char *keyword;
	char *code;
	char *code_args;
	char *text;
	gboolean data_response;

	ImapParseErrorKind error_kind;
	char *error;
	char *error_en;
};

void
imap_parser_limits_default(ImapParserSide side, ImapParserLimits *limits_r)
{
	limits_r->max_literal = IMAP_PARSER_DEFAULT_MAX_LITERAL;
	if (side == IMAP_PARSER_COMMANDS) {
		limits_r->max_line = IMAP_PARSER_DEFAULT_MAX_LINE;
		limits_r->max_literal_total = IMAP_PARSER_DEFAULT_MAX_LITERAL;
		limits_r->max_depth = IMAP_PARSER_DEFAULT_MAX_DEPTH;
		limits_r->max_args = IMAP_PARSER_DEFAULT_MAX_ARGS;
	} else {
		limits_r->max_line = IMAP_PARSER_DEFAULT_RESPONSE_MAX_LINE;
		limits_r->max_literal_total = 4 * (gsize)IMAP_PARSER_DEFAULT_MAX_LITERAL;
		limits_r->max_depth = IMAP_PARSER_DEFAULT_RESPONSE_MAX_DEPTH;
		limits_r->max_args = IMAP_PARSER_DEFAULT_RESPONSE_MAX_ARGS;
	}
}

void
imap_parser_set_limits(ImapParser *parser, const ImapParserLimits *limits)
{
	ImapParserLimits def;
	imap_parser_limits_default(parser->side, &def);
	parser->limits = def;
	if (limits == NULL)
		return;
	if (limits->max_line != 0)
		parser->limits.max_line = limits->max_line;
	if (limits->max_literal != 0) {
		parser->limits.max_literal = limits->max_literal;
		if (limits->max_literal_total == 0)
			parser->limits.max_literal_total =
			    parser->side == IMAP_PARSER_COMMANDS
			        ? limits->max_literal
			        : (limits->max_literal > G_MAXSIZE / 4 ? G_MAXSIZE
			                                               : 4 * limits->max_literal);
	}
	if (limits->max_literal_total != 0)
		parser->limits.max_literal_total = limits->max_literal_total;
	if (limits->max_depth != 0)
		parser->limits.max_depth = limits->max_depth;
	if (limits->max_args != 0)
		parser->limits.max_args = limits->max_args;
}

const ImapParserLimits *
imap_parser_get_limits(const ImapParser *parser)
{
	return &parser->limits;
}

ImapParser *
imap_parser_new(ImapParserSide side, const ImapParserLimits *limits)
{
	ImapParser *p = g_new0(ImapParser, 1);
	p->side = side;
	imap_parser_set_limits(p, limits);
	p->seg = g_string_new(NULL);
	p->stack = g_ptr_array_new();
	return p;
}

/* Forgets the command or response (not the framing state). */
static void
clear_command(ImapParser *p)
{
	g_clear_pointer(&p->tag, g_free);
	g_clear_pointer(&p->name, g_free);
	g_clear_pointer(&p->line, g_free);
	g_clear_pointer(&p->root, imap_arg_free);
	g_ptr_array_set_size(p->stack, 0);
	g_clear_pointer(&p->keyword, g_free);
	g_clear_pointer(&p->code, g_free);
	g_clear_pointer(&p->code_args, g_free);
	g_clear_pointer(&p->text, g_free);
	g_clear_pointer(&p->error, g_free);
	g_clear_pointer(&p->error_en, g_free);
	if (p->literal_buf != NULL) {
		g_string_free(p->literal_buf, TRUE);
		p->literal_buf = NULL;
	}
	p->literal = NULL;
	p->error_kind = IMAP_PARSE_ERROR_NONE;
	p->started = FALSE;
	p->data_response = FALSE;
	p->n_args = 0;
	p->last = TOK_NONE;
	p->text_total = 0;
	p->literal_total = 0;
	p->literal_left = 0;
	p->literal_size = 0;
	memset(&p->response, 0, sizeof(p->response));
}

void
imap_parser_reset(ImapParser *parser)
{
	clear_command(parser);
	g_string_truncate(parser->seg, 0);
	parser->state = ST_LINE;
	parser->skip_literal = 0;
	parser->skip_tail_len = 0;
	parser->result_pending = FALSE;
}

void
imap_parser_free(ImapParser *parser)
{
	if (parser == NULL)
		return;
	clear_command(parser);
	g_string_free(parser->seg, TRUE);
	g_ptr_array_unref(parser->stack);
	g_free(parser);
}

void
imap_parser_expect_line(ImapParser *parser)
{
	parser->expect_line = TRUE;
}

const char *
imap_parser_get_line(const ImapParser *parser)
{
	return parser->line;
}

ImapParseErrorKind
imap_parser_get_error_kind(const ImapParser *parser)
{
	return parser->error_kind;
}

const char *
imap_parser_get_error(const ImapParser *parser)
{
	return parser->error;
}

const char *
imap_parser_get_error_untranslated(const ImapParser *parser)
{
	return parser->error_en;
}

const char *
imap_parser_get_tag(const ImapParser *parser)
{
	return parser->tag;
}

const char *
imap_parser_get_command_name(const ImapParser *parser)
{
	return parser->name;
}

const ImapArg *
imap_parser_get_args(const ImapParser *parser)
{
	return parser->root;
}

ImapArg *
imap_parser_steal_args(ImapParser *parser)
{
	g_ptr_array_set_size(parser->stack, 0);
	parser->literal = NULL;
	return g_steal_pointer(&parser->root);
}

gsize
imap_parser_get_literal_size(const ImapParser *parser)
{
	return parser->literal_size;
}

const ImapResponse *
imap_parser_get_response(const ImapParser *parser)
{
	if (parser->side != IMAP_PARSER_RESPONSES || parser->line == NULL || parser->error != NULL)
		return NULL;
	return &parser->response;
}

/* --- Character classes (RFC 3501 §9) --- */

static gboolean
is_ctl(guchar c)
{
	return c < 0x20 || c == 0x7f;
}

/* ATOM-CHAR: any CHAR except atom-specials. */
static gboolean
is_strict_atom_char(guchar c)
{
	if (c >= 0x80 || is_ctl(c))
		return FALSE;
	return strchr("(){ %*\"\\]", c) == NULL;
}

/* tag = 1*<any ASTRING-CHAR except "+">; ASTRING-CHAR = ATOM-CHAR / "]". */
static gboolean
is_tag_char(guchar c)
{
	return c != '+' && (c == ']' || is_strict_atom_char(c));
}

/* What this parser accepts inside an argument atom: also the list wildcards
 * (LIST patterns, "1:*"), "\" (flags) and "]" (astrings). */
static gboolean
is_arg_atom_char(const ImapParser *p, guchar c)
{
	if (c >= 0x80)
		return p->side == IMAP_PARSER_RESPONSES;
	if (is_ctl(c))
		return FALSE;
	return strchr("(){ \"", c) == NULL;
}

/* --- Errors --- */

static void set_error(ImapParser *p, ImapParseErrorKind kind, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

/* fmt is an untranslated msgid (marked N_() at the call): the message is
 * kept translated for students and in English for a server's answer. */
static void
set_error(ImapParser *p, ImapParseErrorKind kind, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	g_free(p->error);
	g_free(p->error_en);
	p->error = g_strdup_vprintf(gettext(fmt), ap);
	p->error_en = g_strdup_vprintf(fmt, ap2);
	va_end(ap2);
	va_end(ap);
	p->error_kind = kind;
}

static char *
describe_octet(guchar c)
{
	/* ASCII quotes: the English text of this error goes on the wire (BAD). */
	if (c >= 0x21 && c < 0x7f)
		return g_strdup_printf("'%c'", c);
	return g_strdup_printf("0x%02X", c);
}

/* The tag and command name of a line whose tokenising did not get that far
 * (a line too long), so that the error can still be tagged. */
static void
guess_tag(ImapParser *p, const char *s, gsize len)
{
	if (p->started || p->tag != NULL || p->side != IMAP_PARSER_COMMANDS || p->expect_line)
		return;
	gsize i = 0;
	while (i < len && i < 256 && is_tag_char((guchar)s[i]))
		i++;
	if (i == 0 || i >= len || s[i] != ' ')
		return;
	p->tag = g_strndup(s, i);
	gsize start = ++i;
	while (i < len && i - start < 64 && is_strict_atom_char((guchar)s[i]))
		i++;
	if (i > start && (i == len || s[i] == ' '))
		p->name = g_strndup(s + start, i - start);
}

/* A line that ends in {n+}: the size, so that a refused line's literal can be
 * skipped too. */
static gboolean
trailing_nonsync_literal(const char *s, gsize len, gsize *size_r)
{
	if (len < 4 || s[len - 1] != '}' || s[len - 2] != '+')
		return FALSE;
	gsize i = len - 2;
	gsize end = i;
	while (i > 0 && g_ascii_isdigit(s[i - 1]))
		i--;
	if (i == end || i == 0 || s[i - 1] != '{')
		return FALSE;
	gsize n = 0;
	for (gsize k = i; k < end; k++) {
		guint d = (guint)(s[k] - '0');
		if (n > (G_MAXSIZE - d) / 10)
			return FALSE;
		n = n * 10 + d;
	}
	*size_r = n;
	return TRUE;
}

/* --- Tokenising --- */

static gboolean
count_arg(ImapParser *p)
{
	if (++p->n_args > p->limits.max_args) {
		set_error(p, IMAP_PARSE_ERROR_TOO_MANY_ARGS,
		          N_("More than %u arguments: over this server's limit."),
		          p->limits.max_args);
		return FALSE;
	}
	return TRUE;
}

static ImapArg *
current_list(ImapParser *p)
{
	return g_ptr_array_index(p->stack, p->stack->len - 1);
}

static ImapArg *
add_arg(ImapParser *p, ImapArgType type, const char *data, gsize len)
{
	ImapArg *arg = imap_arg_new(type);
	if (type != IMAP_ARG_LIST) {
		arg->data = g_strndup(data, len);
		arg->len = len;
	}
	g_ptr_array_add(current_list(p)->list, arg);
	return arg;
}

/* The atoms whose "[" opens a section that may hold spaces and a list:
 * BODY[HEADER.FIELDS (From To)], BODY.PEEK[…], BINARY[…] (RFC 3501 §6.4.5,
 * RFC 3516). Elsewhere "[" is an ordinary atom character. */
static gboolean
opens_section(const char *s, gsize len)
{
	static const char *const names[] = {
	    "BODY", "BODY.PEEK", "BINARY", "BINARY.PEEK", "BINARY.SIZE",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(names); i++) {
		if (strlen(names[i]) == len && g_ascii_strncasecmp(s, names[i], len) == 0)
			return TRUE;
	}
	return FALSE;
}

/* s[*pos] is '['. Moves past the matching ']'. */
static gboolean
read_section(ImapParser *p, const char *s, gsize len, gsize *pos)
{
	gsize i = *pos + 1;
	guint depth = 0;
	while (i < len) {
		guchar c = (guchar)s[i];
		if (c == '"') {
			i++;
			while (i < len && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < len)
					i++;
				i++;
			}
			if (i >= len)
				break;
		} else if (c == '(') {
			depth++;
		} else if (c == ')') {
			if (depth == 0) {
				set_error(p, IMAP_PARSE_ERROR_SYNTAX,
				          N_("Unexpected “)” inside the section “[…]”."));
				return FALSE;
			}
			depth--;
		} else if (c == ']' && depth == 0) {
			*pos = i + 1;
			return TRUE;
		} else if (is_ctl(c) || (c >= 0x80 && p->side == IMAP_PARSER_COMMANDS)) {
			g_autofree char *o = describe_octet(c);
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("The octet %s is not allowed in a section “[…]”."), o);
			return FALSE;
		}
		i++;
	}
	set_error(p, IMAP_PARSE_ERROR_SYNTAX, N_("Missing “]” at the end of a section “[…]”."));
	return FALSE;
}

static gboolean
read_atom(ImapParser *p, const char *s, gsize len, gsize *pos)
{
	gsize start = *pos;
	gsize i = start;
	while (i < len) {
		guchar c = (guchar)s[i];
		if (c == ' ' || c == '(' || c == ')')
			break;
		if (c == '[' && opens_section(s + start, i - start)) {
			if (!read_section(p, s, len, &i))
				return FALSE;
			continue;
		}
		if (!is_arg_atom_char(p, c)) {
			g_autofree char *o = describe_octet(c);
			if (c >= 0x80)
				set_error(p, IMAP_PARSE_ERROR_SYNTAX,
				          N_("The octet %s is not allowed in an atom: put 8-bit "
				             "text in a quoted string or a literal (mailbox names "
				             "use modified UTF-7, RFC 3501 §5.1.3)."),
				          o);
			else
				set_error(p, IMAP_PARSE_ERROR_SYNTAX,
				          N_("The character %s is not allowed in an atom (RFC 3501 "
				             "§9: atom-specials)."),
				          o);
			return FALSE;
		}
		i++;
	}
	if (!count_arg(p))
		return FALSE;
	gsize n = i - start;
	gboolean nil = n == 3 && g_ascii_strncasecmp(s + start, "NIL", 3) == 0;
	add_arg(p, nil ? IMAP_ARG_NIL : IMAP_ARG_ATOM, s + start, n);
	*pos = i;
	return TRUE;
}

static gboolean
read_quoted(ImapParser *p, const char *s, gsize len, gsize *pos)
{
	g_autoptr(GString) out = g_string_new(NULL);
	gsize i = *pos + 1;
	while (i < len) {
		guchar c = (guchar)s[i];
		if (c == '"') {
			if (!count_arg(p))
				return FALSE;
			add_arg(p, IMAP_ARG_STRING, out->str, out->len);
			*pos = i + 1;
			return TRUE;
		}
		if (c == '\\') {
			if (i + 1 >= len)
				break;
			guchar e = (guchar)s[i + 1];
			if (e != '"' && e != '\\') {
				g_autofree char *o = describe_octet(e);
				set_error(
				    p, IMAP_PARSE_ERROR_SYNTAX,
				    N_("In a quoted string “\\” may only escape “\"” or “\\”, "
				       "not %s (RFC 3501 §4.3)."),
				    o);
				return FALSE;
			}
			g_string_append_c(out, (char)e);
			i += 2;
			continue;
		}
		if (c == '\0' || c == '\r') {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("A quoted string may not contain NUL or CR: use a literal "
			             "(RFC 3501 §4.3)."));
			return FALSE;
		}
		g_string_append_c(out, (char)c);
		i++;
	}
	set_error(p, IMAP_PARSE_ERROR_SYNTAX,
	          N_("Missing “\"” at the end of a quoted string: a quoted string ends on the "
	             "line where it starts."));
	return FALSE;
}

/* s[*pos] is '{': {digits} or {digits+}, which must end the line. */
static gboolean
read_literal_marker(ImapParser *p, const char *s, gsize len, gsize *pos)
{
	gsize i = *pos + 1;
	gsize n = 0;
	gsize digits = 0;
	while (i < len && g_ascii_isdigit(s[i])) {
		guint d = (guint)(s[i] - '0');
		/* Checked before each digit, so that no size can wrap around. */
		if (n > (G_MAXSIZE - d) / 10) {
			set_error(p, IMAP_PARSE_ERROR_LITERAL_TOO_LARGE,
			          N_("The literal's size is too large a number."));
			return FALSE;
		}
		n = n * 10 + d;
		digits++;
		i++;
	}
	gboolean sync = TRUE;
	if (i < len && s[i] == '+') {
		sync = FALSE;
		i++;
	}
	if (digits == 0 || i >= len || s[i] != '}') {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("A literal is announced as {size} or {size+}, digits only "
		             "(RFC 3501 §4.3, RFC 7888)."));
		return FALSE;
	}
	i++;
	if (i != len) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("A literal's {size} must end the line: its octets follow the CRLF."));
		return FALSE;
	}
	p->literal_size = n;
	p->literal_sync = sync;
	*pos = i;
	return TRUE;
}

/* Tokenises s[pos…len) into the open lists. */
static SegResult
tokenise(ImapParser *p, const char *s, gsize len, gsize pos)
{
	while (pos < len) {
		guchar c = (guchar)s[pos];
		if (c == ' ') {
			pos++;
			p->last = TOK_NONE;
			continue;
		}
		if (c == ')') {
			if (p->stack->len <= 1) {
				set_error(p, IMAP_PARSE_ERROR_SYNTAX,
				          N_("“)” without a matching “(”."));
				return SEG_ERROR;
			}
			g_ptr_array_set_size(p->stack, p->stack->len - 1);
			p->last = TOK_CLOSE;
			pos++;
			continue;
		}
		if (p->last == TOK_VALUE || (p->last == TOK_CLOSE && c != '(')) {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("Missing space between two arguments."));
			return SEG_ERROR;
		}
		if (c == '(') {
			if (p->stack->len > p->limits.max_depth) {
				set_error(p, IMAP_PARSE_ERROR_TOO_DEEP,
				          N_("Lists nested more than %u deep: over this server's "
				             "limit."),
				          p->limits.max_depth);
				return SEG_ERROR;
			}
			if (!count_arg(p))
				return SEG_ERROR;
			ImapArg *list = add_arg(p, IMAP_ARG_LIST, NULL, 0);
			g_ptr_array_add(p->stack, list);
			p->last = TOK_OPEN;
			pos++;
			continue;
		}
		gboolean ok;
		if (c == '"') {
			ok = read_quoted(p, s, len, &pos);
		} else if (c == '{') {
			if (!read_literal_marker(p, s, len, &pos))
				return SEG_ERROR;
			p->last = TOK_VALUE;
			return SEG_LITERAL;
		} else {
			ok = read_atom(p, s, len, &pos);
		}
		if (!ok)
			return SEG_ERROR;
		p->last = TOK_VALUE;
	}
	if (p->stack->len > 1) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Missing “)”: a list opened with “(” is not closed at the end of the "
		             "line."));
		return SEG_ERROR;
	}
	return SEG_DONE;
}

static void
start_tree(ImapParser *p)
{
	p->root = imap_arg_new_list();
	g_ptr_array_set_size(p->stack, 0);
	g_ptr_array_add(p->stack, p->root);
	p->started = TRUE;
	p->last = TOK_NONE;
}

/* The first line of a command: tag SP command-name [SP arguments]. */
static SegResult
start_command(ImapParser *p, const char *s, gsize len)
{
	gsize i = 0;
	if (len == 0) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Empty line: a command starts with a tag, then the command name."));
		return SEG_ERROR;
	}
	while (i < len && is_tag_char((guchar)s[i]))
		i++;
	if (i == 0) {
		g_autofree char *o = describe_octet((guchar)s[0]);
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("A command starts with a tag (such as A001), not with %s."), o);
		return SEG_ERROR;
	}
	if (i < len && s[i] != ' ') {
		g_autofree char *o = describe_octet((guchar)s[i]);
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("The character %s is not allowed in a tag (RFC 3501 §9)."), o);
		return SEG_ERROR;
	}
	p->tag = g_strndup(s, i);
	if (i == len) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Missing command name after the tag “%s”."), p->tag);
		return SEG_ERROR;
	}
	gsize start = ++i;
	while (i < len && is_strict_atom_char((guchar)s[i]))
		i++;
	if (i == start) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Missing command name after the tag: exactly one space separates "
		             "them."));
		return SEG_ERROR;
	}
	if (i < len && s[i] != ' ') {
		g_autofree char *o = describe_octet((guchar)s[i]);
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("The character %s may not follow the command name."), o);
		return SEG_ERROR;
	}
	p->name = g_strndup(s + start, i - start);
	start_tree(p);
	return tokenise(p, s, len, i);
}

static gboolean
parse_number(const char *s, gsize len, guint32 *num_r)
{
	if (len == 0 || len > 10)
		return FALSE;
	guint64 n = 0;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(s[i]))
			return FALSE;
		n = n * 10 + (guint64)(s[i] - '0');
	}
	if (n > G_MAXUINT32)
		return FALSE;
	*num_r = (guint32)n;
	return TRUE;
}

static ImapStatus
status_from_word(const char *s, gsize len)
{
	static const struct {
		const char *word;
		ImapStatus status;
	} words[] = {
	    {"OK", IMAP_STATUS_OK},   {"NO", IMAP_STATUS_NO},           {"BAD", IMAP_STATUS_BAD},
	    {"BYE", IMAP_STATUS_BYE}, {"PREAUTH", IMAP_STATUS_PREAUTH},
	};
	for (gsize i = 0; i < G_N_ELEMENTS(words); i++) {
		if (strlen(words[i].word) == len && g_ascii_strncasecmp(s, words[i].word, len) == 0)
			return words[i].status;
	}
	return IMAP_STATUS_NONE;
}

/* resp-text = ["[" resp-text-code "]" SP] text (RFC 3501 §7.1). */
static SegResult
read_resp_text(ImapParser *p, const char *s, gsize len, gsize i)
{
	if (i < len && s[i] == ' ')
		i++;
	if (i < len && s[i] == '[') {
		const char *close = memchr(s + i, ']', len - i);
		if (close == NULL) {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("Missing “]” at the end of the response code “[…]”."));
			return SEG_ERROR;
		}
		const char *code = s + i + 1;
		gsize code_len = (gsize)(close - code);
		const char *sp = memchr(code, ' ', code_len);
		if (code_len == 0 || sp == code) {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("Empty response code “[]”: a code starts with its name."));
			return SEG_ERROR;
		}
		if (sp != NULL) {
			p->code = g_strndup(code, (gsize)(sp - code));
			p->code_args = g_strndup(sp + 1, (gsize)(close - sp - 1));
		} else {
			p->code = g_strndup(code, code_len);
		}
		i = (gsize)(close - s) + 1;
		if (i < len && s[i] == ' ')
			i++;
	}
	p->text = g_strndup(s + i, len - i);
	return SEG_DONE;
}

/* The first line of a response. */
static SegResult
start_response(ImapParser *p, const char *s, gsize len)
{
	ImapResponse *r = &p->response;
	gsize i = 0;
	p->line = g_strndup(s, len);
	if (len == 0) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Empty line: a response starts with “*”, “+” or a tag."));
		return SEG_ERROR;
	}
	if (s[0] == '+') {
		r->kind = IMAP_RESPONSE_CONTINUATION;
		i = 1;
		if (i < len && s[i] == ' ')
			i++;
		p->text = g_strndup(s + i, len - i);
		return SEG_DONE;
	}
	if (s[0] == '*') {
		r->kind = IMAP_RESPONSE_UNTAGGED;
		i = 1;
	} else {
		while (i < len && is_tag_char((guchar)s[i]))
			i++;
		if (i == 0) {
			g_autofree char *o = describe_octet((guchar)s[0]);
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("A response starts with “*”, “+” or a tag, not with %s."), o);
			return SEG_ERROR;
		}
		r->kind = IMAP_RESPONSE_TAGGED;
		p->tag = g_strndup(s, i);
	}
	if (i >= len || s[i] != ' ') {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Missing space after “%s” at the start of the response."),
		          r->kind == IMAP_RESPONSE_TAGGED ? p->tag : "*");
		return SEG_ERROR;
	}
	i++;
	gsize start = i;
	while (i < len && is_strict_atom_char((guchar)s[i]))
		i++;
	if (i == start) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("Missing status or keyword after the start of the response."));
		return SEG_ERROR;
	}
	guint32 number;
	if (r->kind == IMAP_RESPONSE_UNTAGGED && parse_number(s + start, i - start, &number)) {
		/* message-data: "* 3 EXISTS", "* 2 FETCH (…)" */
		r->has_number = TRUE;
		r->number = number;
		if (i >= len || s[i] != ' ') {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("Missing keyword after the number %u."), number);
			return SEG_ERROR;
		}
		start = ++i;
		while (i < len && is_strict_atom_char((guchar)s[i]))
			i++;
		if (i == start) {
			set_error(p, IMAP_PARSE_ERROR_SYNTAX,
			          N_("Missing keyword after the number %u."), number);
			return SEG_ERROR;
		}
	}
	p->keyword = g_strndup(s + start, i - start);
	r->status = r->has_number ? IMAP_STATUS_NONE : status_from_word(s + start, i - start);
	if (r->kind == IMAP_RESPONSE_TAGGED && r->status != IMAP_STATUS_OK &&
	    r->status != IMAP_STATUS_NO && r->status != IMAP_STATUS_BAD) {
		set_error(p, IMAP_PARSE_ERROR_SYNTAX,
		          N_("A tagged response is OK, NO or BAD, not “%s” (RFC 3501 §7.1)."),
		          p->keyword);
		return SEG_ERROR;
	}
	if (r->status != IMAP_STATUS_NONE)
		return read_resp_text(p, s, len, i);
	if (i < len && s[i] != ' ' && s[i] != '(') {
		g_autofree char *o = describe_octet((guchar)s[i]);
		set_error(p, IMAP_PARSE_ERROR_SYNTAX, N_("The character %s may not follow “%s”."),
		          o, p->keyword);
		return SEG_ERROR;
	}
	p->data_response = TRUE;
	start_tree(p);
	return tokenise(p, s, len, i);
}

static void
fill_response(ImapParser *p)
{
	ImapResponse *r = &p->response;
	r->tag = p->tag;
	r->keyword = p->keyword;
	r->code = p->code;
	r->code_args = p->code_args;
	r->text = p->text != NULL ? p->text : "";
	r->args = p->root;
	r->line = p->line;
}

/* A complete line of the command or response in progress. */
static SegResult
process_line(ImapParser *p)
{
	const char *s = p->seg->str;
	gsize len = p->seg->len;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (p->started)
		return tokenise(p, s, len, 0);
	if (p->side == IMAP_PARSER_COMMANDS) {
		if (p->expect_line) {
			p->expect_line = FALSE;
			p->line = g_strndup(s, len);
			return SEG_DONE;
		}
		return start_command(p, s, len);
	}
	return start_response(p, s, len);
}

/* After an error: where the skipping starts. seg holds the faulty line when
 * it was complete (line_complete). */
static void
start_skipping(ImapParser *p, gboolean line_complete)
{
	if (!line_complete) {
		p->state = ST_SKIP_LINE;
		p->skip_tail_len = 0;
		return;
	}
	const char *s = p->seg->str;
	gsize len = p->seg->len;
	if (len > 0 && s[len - 1] == '\r')
		len--;
	gsize n;
	if (trailing_nonsync_literal(s, len, &n) && n > 0) {
		p->skip_literal = n;
		p->state = ST_SKIP_LITERAL;
	} else {
		p->state = ST_LINE;
	}
}

static void
skip_tail_add(ImapParser *p, const guint8 *d, gsize n)
{
	gsize cap = sizeof(p->skip_tail);
	if (n >= cap) {
		memcpy(p->skip_tail, d + n - cap, cap);
		p->skip_tail_len = cap;
		return;
	}
	if (p->skip_tail_len + n > cap) {
		gsize drop = p->skip_tail_len + n - cap;
		memmove(p->skip_tail, p->skip_tail + drop, p->skip_tail_len - drop);
		p->skip_tail_len -= drop;
	}
	memcpy(p->skip_tail + p->skip_tail_len, d, n);
	p->skip_tail_len += n;
}

/* The LF of a line being skipped came: a {n+} at its end announced octets
 * that the client sends anyway, to be dropped as well. */
static void
skip_line_ended(ImapParser *p)
{
	gsize tl = p->skip_tail_len;
	if (tl > 0 && p->skip_tail[tl - 1] == '\r')
		tl--;
	gsize lit;
	if (trailing_nonsync_literal(p->skip_tail, tl, &lit) && lit > 0) {
		p->skip_literal = lit;
		p->state = ST_SKIP_LITERAL;
	} else {
		p->state = ST_LINE;
	}
	p->skip_tail_len = 0;
}

ImapParseResult
imap_parser_feed(ImapParser *p, const void *data, gsize len, gsize *consumed_r)
{
	const guint8 *d = data;
	gsize i = 0;

	if (p->result_pending) {
		clear_command(p);
		p->result_pending = FALSE;
	}
	for (;;) {
		switch (p->state) {
		case ST_LITERAL: {
			if (p->literal_left > 0) {
				if (i >= len)
					goto need_more;
				gsize n = MIN(p->literal_left, len - i);
				g_string_append_len(p->literal_buf, (const char *)d + i, (gssize)n);
				p->literal_left -= n;
				i += n;
				if (p->literal_left > 0)
					goto need_more;
			}
			if (p->literal != NULL) {
				p->literal->len = p->literal_buf->len;
				p->literal->data = g_string_free(p->literal_buf, FALSE);
				p->literal_buf = NULL;
				p->literal = NULL;
			}
			p->state = ST_LINE;
			break;
		}
		case ST_SKIP_LITERAL: {
			gsize n = MIN(p->skip_literal, len - i);
			p->skip_literal -= n;
			i += n;
			if (p->skip_literal > 0)
				goto need_more;
			p->state = ST_SKIP_LINE;
			p->skip_tail_len = 0;
			break;
		}
		case ST_SKIP_LINE: {
			if (i >= len)
				goto need_more;
			const guint8 *lf = memchr(d + i, '\n', len - i);
			gsize n = lf != NULL ? (gsize)(lf - (d + i)) : len - i;
			skip_tail_add(p, d + i, n);
			i += n;
			if (lf == NULL)
				goto need_more;
			i++;
			skip_line_ended(p);
			break;
		}
		case ST_LINE: {
			if (i >= len)
				goto need_more;
			const guint8 *lf = memchr(d + i, '\n', len - i);
			gsize n = lf != NULL ? (gsize)(lf - (d + i)) : len - i;
			/* The line's octets with its LF, before keeping any of them. */
			if (p->text_total + p->seg->len + n + 1 > p->limits.max_line) {
				/* The end of the line so far, where a {n+} may be seen. */
				p->skip_tail_len = 0;
				skip_tail_add(p, (const guint8 *)p->seg->str, p->seg->len);
				skip_tail_add(p, d + i, n);
				gsize keep = MIN(n, (gsize)512);
				g_string_append_len(p->seg, (const char *)d + i, (gssize)keep);
				guess_tag(p, p->seg->str, p->seg->len);
				set_error(p, IMAP_PARSE_ERROR_LINE_TOO_LONG,
				          p->side == IMAP_PARSER_COMMANDS
				              ? N_("Command line longer than %zu octets (literals "
				                   "not counted): over this server's limit.")
				              : N_("Response longer than %zu octets (literals not "
				                   "counted): over the limit."),
				          p->limits.max_line);
				g_string_truncate(p->seg, 0);
				i += n;
				if (lf != NULL) {
					i++;
					skip_line_ended(p);
				} else {
					p->state = ST_SKIP_LINE;
				}
				goto error;
			}
			g_string_append_len(p->seg, (const char *)d + i, (gssize)n);
			i += n;
			if (lf == NULL)
				goto need_more;
			i++;
			p->text_total += p->seg->len + 1;
			SegResult r = process_line(p);
			if (r == SEG_ERROR) {
				guess_tag(p, p->seg->str, p->seg->len);
				start_skipping(p, TRUE);
				g_string_truncate(p->seg, 0);
				goto error;
			}
			g_string_truncate(p->seg, 0);
			if (r == SEG_DONE) {
				if (p->side == IMAP_PARSER_RESPONSES)
					fill_response(p);
				p->result_pending = TRUE;
				*consumed_r = i;
				return IMAP_PARSE_DONE;
			}
			/* SEG_LITERAL */
			gsize size = p->literal_size;
			if (size > p->limits.max_literal ||
			    size > p->limits.max_literal_total - p->literal_total) {
				set_error(p, IMAP_PARSE_ERROR_LITERAL_TOO_LARGE,
				          size > p->limits.max_literal
				              ? N_("Literal of %zu octets: larger than the limit "
				                   "of %zu octets.")
				              : N_("Literal of %zu octets: the literals of this "
				                   "command would exceed %zu octets."),
				          size,
				          size > p->limits.max_literal
				              ? p->limits.max_literal
				              : p->limits.max_literal_total);
				/* A {n+} literal comes anyway: drop its octets. */
				if (!p->literal_sync && size > 0) {
					p->skip_literal = size;
					p->state = ST_SKIP_LITERAL;
				} else {
					p->state = ST_LINE;
				}
				goto error;
			}
			if (!count_arg(p)) {
				if (!p->literal_sync && size > 0) {
					p->skip_literal = size;
					p->state = ST_SKIP_LITERAL;
				} else {
					p->state = ST_LINE;
				}
				goto error;
			}
			p->literal_total += size;
			p->literal = add_arg(p, IMAP_ARG_LITERAL, "", 0);
			p->literal->literal_sync = p->literal_sync;
			g_free(p->literal->data);
			p->literal->data = NULL;
			p->literal_buf = g_string_sized_new(MIN(size, (gsize)65536) + 1);
			p->literal_left = size;
			p->state = ST_LITERAL;
			if (p->side == IMAP_PARSER_COMMANDS && p->literal_sync) {
				*consumed_r = i;
				return IMAP_PARSE_LITERAL_WAIT;
			}
			break;
		}
		}
	}
need_more:
	*consumed_r = i;
	return IMAP_PARSE_NEED_MORE;
error:
	p->result_pending = TRUE;
	p->literal = NULL;
	/* The line IDLE or AUTHENTICATE waited for was refused (too long) and the
	 * waiting command answered BAD: what follows is a new command line. */
	p->expect_line = FALSE;
	*consumed_r = i;
	return IMAP_PARSE_ERROR;
}

gboolean
imap_response_fetch_next(const ImapResponse *response, guint *iter, const char **name_r,
                         const ImapArg **value_r)
{
	if (response == NULL || response->kind != IMAP_RESPONSE_UNTAGGED || !response->has_number ||
	    g_ascii_strcasecmp(response->keyword, "FETCH") != 0)
		return FALSE;
	const ImapArg *items = imap_arg_nth(response->args, 0);
	if (!imap_arg_is_list(items))
		return FALSE;
	const ImapArg *name = imap_arg_nth(items, *iter);
	const ImapArg *value = imap_arg_nth(items, *iter + 1);
	if (name == NULL || value == NULL || name->type != IMAP_ARG_ATOM)
		return FALSE;
	*name_r = name->data;
	*value_r = value;
	*iter += 2;
	return TRUE;
}
