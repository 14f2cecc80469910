/* The scenario file parser: one instruction a line, French keywords with
 * English aliases, errors that name the file, the line and what was expected.
 * The format is described for teachers in scenarios/README.md. */
#include "scenario/scenario.h"

#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"

#include <string.h>

G_DEFINE_QUARK(facteur - scenario - error - quark, scenario_error)

/* What follows a keyword. */
typedef enum {
	ARG_WORD,    /* one word or "quoted words" */
	ARG_CONN,    /* a connection name already opened */
	ARG_NEWCONN, /* a connection name to open */
	ARG_PROTO,   /* smtp, pop3, imap */
	ARG_FILE,    /* a message file */
	ARG_REST,    /* the rest of the line, verbatim (may be empty) */
	ARG_NUMBER,
} ArgKind;

typedef struct {
	const char *fr;
	const char *en;
	ScenarioOp op;
	gboolean setup; /* TRUE: before the first step; FALSE: inside steps */
	ArgKind args[5];
	guint n_args;
	guint n_required;
	const char *usage; /* shown in errors, with the French keyword */
} Keyword;

static const Keyword keywords[] = {
    {"utilisateur",
     "user",
     SCENARIO_OP_USER,
     TRUE,
     {ARG_WORD, ARG_WORD},
     2,
     2,

     N_("utilisateur NAME PASSWORD")},
    {"boîte",
     "mailbox",
     SCENARIO_OP_MAILBOX,
     TRUE,
     {ARG_WORD, ARG_WORD},
     2,
     2,

     N_("boîte USER MAILBOX")},
    {"message",
     "message",
     SCENARIO_OP_MESSAGE,
     TRUE,
     {ARG_WORD, ARG_WORD, ARG_FILE, ARG_REST},
     4,
     3,

     N_("message USER MAILBOX FILE.eml [\\Seen …]")},
    {"ouvrir",
     "open",
     SCENARIO_OP_OPEN,
     FALSE,
     {ARG_NEWCONN, ARG_PROTO},
     2,
     2,

     N_("ouvrir CONNECTION smtp|pop3|imap")},
    {"envoyer",
     "send",
     SCENARIO_OP_SEND,
     FALSE,
     {ARG_CONN, ARG_REST},
     2,
     1,

     N_("envoyer CONNECTION TEXT")},
    {"attendre",
     "expect",
     SCENARIO_OP_EXPECT,
     FALSE,
     {ARG_CONN, ARG_WORD, ARG_REST},
     3,
     2,

     N_("attendre CONNECTION STATUS [PATTERN]")},
    {"retenir",
     "remember",
     SCENARIO_OP_REMEMBER,
     FALSE,
     {ARG_CONN, ARG_WORD, ARG_REST},
     3,
     3,
     N_("retenir CONNECTION $VARIABLE EXPRESSION")},
    {"vérifier",
     "check",
     SCENARIO_OP_CHECK,
     FALSE,
     {ARG_WORD, ARG_WORD, ARG_WORD},
     3,
     3,

     N_("vérifier VALUE =|!=|<|>|<=|>= VALUE")},
    {"envoyer-message",
     "send-message",
     SCENARIO_OP_SEND_MESSAGE,
     FALSE,
     {ARG_CONN, ARG_FILE},
     2,
     2,
     N_("envoyer-message CONNECTION FILE.eml")},
    {"ajouter",
     "append",
     SCENARIO_OP_APPEND,
     FALSE,
     {ARG_CONN, ARG_WORD, ARG_WORD, ARG_FILE, ARG_REST},
     5,
     4,

     N_("ajouter CONNECTION TAG MAILBOX FILE.eml [\\Seen …]")},
    {"admin recréer",
     "admin recreate",
     SCENARIO_OP_ADMIN_RECREATE,
     FALSE,
     {ARG_WORD, ARG_WORD},
     2,
     2,
     N_("admin recréer USER MAILBOX")},
    {"admin livrer",
     "admin deliver",
     SCENARIO_OP_ADMIN_DELIVER,
     FALSE,
     {ARG_WORD, ARG_WORD, ARG_FILE},
     3,
     3,
     N_("admin livrer USER MAILBOX FILE.eml")},
    {"couper", "cut", SCENARIO_OP_CUT, FALSE, {ARG_CONN}, 1, 1, N_("couper CONNECTION")},
    {"attendre-fermeture",
     "expect-close",
     SCENARIO_OP_EXPECT_CLOSE,
     FALSE,
     {ARG_CONN},
     1,
     1,
     N_("attendre-fermeture CONNECTION")},
    {"pause", "pause", SCENARIO_OP_PAUSE, FALSE, {ARG_NUMBER}, 1, 1, N_("pause SECONDS")},
};

static const char *const proto_names[] = {"smtp", "pop3", "imap"};

typedef struct {
	const char *path;
	char *dir;
	Scenario *sc;
	ScenarioStep *step;
	GHashTable *conns; /* name → GINT_TO_POINTER(proto + 1) */
	GHashTable *vars;  /* names defined by retenir */
	guint line;
	int narration_lang; /* the language of the last fr:/en: line, for continuations */
} Parser;

static void
instr_free(gpointer p)
{
	ScenarioInstr *in = p;
	g_free(in->conn);
	for (gsize i = 0; i < G_N_ELEMENTS(in->args); i++)
		g_free(in->args[i]);
	g_free(in->text);
	g_free(in->file);
	g_free(in);
}

static void
step_free(gpointer p)
{
	ScenarioStep *st = p;
	for (int i = 0; i < 2; i++) {
		g_free(st->title[i]);
		g_free(st->narration[i]);
	}
	g_ptr_array_unref(st->instrs);
	g_free(st);
}

void
scenario_free(Scenario *sc)
{
	if (sc == NULL)
		return;
	g_free(sc->path);
	g_free(sc->id);
	for (int i = 0; i < 2; i++) {
		g_free(sc->title[i]);
		g_free(sc->summary[i]);
	}
	g_free(sc->lesson);
	g_ptr_array_unref(sc->setup);
	g_ptr_array_unref(sc->steps);
	g_free(sc);
}

static gboolean G_GNUC_PRINTF(3, 4) fail(Parser *p, GError **error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (p->line > 0)
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX, "%s:%u: %s", p->path,
		            p->line, msg);
	else
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX, "%s: %s", p->path, msg);
	return FALSE;
}

/* --- small lexical helpers --- */

static const char *
skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* One word, or "several words" in double quotes; NULL at the end of the line. */
static char *
next_word(const char **s, gboolean *bad_quote)
{
	const char *p = skip_spaces(*s);
	if (*p == '\0')
		return NULL;
	if (*p == '"') {
		const char *end = strchr(p + 1, '"');
		if (end == NULL) {
			*bad_quote = TRUE;
			return NULL;
		}
		*s = end + 1;
		return g_strndup(p + 1, (gsize)(end - p - 1));
	}
	const char *end = p;
	while (*end != '\0' && *end != ' ' && *end != '\t')
		end++;
	*s = end;
	return g_strndup(p, (gsize)(end - p));
}

static gboolean
is_name(const char *s)
{
	if (*s == '\0')
		return FALSE;
	for (; *s; s++) {
		if (!g_ascii_isalnum(*s) && *s != '_' && *s != '-')
			return FALSE;
	}
	return TRUE;
}

/* Every $name in text must have been remembered before. */
static gboolean
check_vars(Parser *p, const char *text, GError **error)
{
	for (const char *s = strchr(text, '$'); s != NULL; s = strchr(s + 1, '$')) {
		const char *e = s + 1;
		while (g_ascii_isalnum(*e) || *e == '_')
			e++;
		if (e == s + 1)
			continue;
		g_autofree char *name = g_strndup(s + 1, (gsize)(e - s - 1));
		if (!g_hash_table_contains(p->vars, name))
			return fail(p, error,
			            _("$%s is used before it is remembered (expected a line "
			              "«retenir CONNECTION $%s EXPRESSION» earlier)"),
			            name, name);
	}
	return TRUE;
}

static char *
find_file(Parser *p, const char *name)
{
	const char *dirs[] = {p->dir, NULL, facteur_paths_mail()};
	g_autofree char *beside_mail = g_build_filename(p->dir, "mail", NULL);
	dirs[1] = beside_mail;
	if (g_path_is_absolute(name))
		return g_file_test(name, G_FILE_TEST_IS_REGULAR) ? g_strdup(name) : NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(dirs); i++) {
		char *path = g_build_filename(dirs[i], name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
			return path;
		g_free(path);
	}
	return NULL;
}

static gboolean
valid_status(ScenarioProto proto, const char *s)
{
	switch (proto) {
	case SCENARIO_PROTO_SMTP:
		/* 250, 2xx, 2: a code, a class with its second digit, or a class. */
		if (strlen(s) == 1)
			return s[0] >= '2' && s[0] <= '5';
		if (strlen(s) != 3 || s[0] < '2' || s[0] > '5')
			return FALSE;
		if (g_ascii_isdigit(s[1]) && g_ascii_isdigit(s[2]))
			return TRUE;
		return (g_ascii_isdigit(s[1]) || s[1] == 'x') && s[2] == 'x';
	case SCENARIO_PROTO_POP3:
		return strcmp(s, "+OK") == 0 || strcmp(s, "-ERR") == 0 || strcmp(s, "+") == 0;
	case SCENARIO_PROTO_IMAP: {
		static const char *const ok[] = {"OK", "NO", "BAD", "BYE", "PREAUTH", "*", "+"};
		for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
			if (strcmp(s, ok[i]) == 0)
				return TRUE;
		}
		return FALSE;
	}
	}
	return FALSE;
}

static const char *
status_hint(ScenarioProto proto)
{
	switch (proto) {
	case SCENARIO_PROTO_SMTP:
		return _("an SMTP code such as 250, 2xx or 5");
	case SCENARIO_PROTO_POP3:
		return _("+OK, -ERR or + (a SASL challenge)");
	case SCENARIO_PROTO_IMAP:
		return _("OK, NO, BAD, BYE, PREAUTH, * (untagged) or + (continuation)");
	}
	return "";
}

/* --- the header and the narration lines ("clé: valeur") --- */

typedef struct {
	const char *fr;
	const char *en;
	int field; /* 0 title, 1 summary, 2 lesson, 3 narration */
} HeaderKey;

static const HeaderKey header_keys[] = {
    {"titre", "title", 0},
    {"résumé", "summary", 1},
    {"leçon", "lesson", 2},
};

static int
lang_of(const char *word)
{
	if (strcmp(word, "fr") == 0)
		return 0;
	if (strcmp(word, "en") == 0)
		return 1;
	return -1;
}

static void
append_text(char **dst, const char *text)
{
	if (*dst == NULL || **dst == '\0') {
		g_free(*dst);
		*dst = g_strdup(text);
	} else {
		char *joined = g_strconcat(*dst, "\n", text, NULL);
		g_free(*dst);
		*dst = joined;
	}
}

/* "titre fr: …", "leçon: …", "fr: …" — returns TRUE if the line was one of these. */
static gboolean
parse_keyed_line(Parser *p, const char *line, gboolean *handled, GError **error)
{
	*handled = FALSE;
	const char *colon = strchr(line, ':');
	if (colon == NULL)
		return TRUE;
	g_autofree char *key = g_strstrip(g_strndup(line, (gsize)(colon - line)));
	const char *value = skip_spaces(colon + 1);
	g_auto(GStrv) words = g_strsplit(key, " ", -1);
	guint n = g_strv_length(words);
	if (n == 0) /* ": …", nothing before the colon */
		return TRUE;

	if (n == 1 && lang_of(words[0]) >= 0) {
		if (p->step == NULL)
			return fail(
			    p, error,
			    _("narration before the first step (expected «étape 1» first)"));
		p->narration_lang = lang_of(words[0]);
		append_text(&p->step->narration[p->narration_lang], value);
		*handled = TRUE;
		return TRUE;
	}
	for (gsize i = 0; i < G_N_ELEMENTS(header_keys); i++) {
		const HeaderKey *hk = &header_keys[i];
		if (strcmp(words[0], hk->fr) != 0 && strcmp(words[0], hk->en) != 0)
			continue;
		*handled = TRUE;
		if (hk->field == 2) {
			if (n != 1 || *value == '\0')
				return fail(p, error, _("expected «leçon: NOM-DE-LA-LEÇON»"));
			g_free(p->sc->lesson);
			p->sc->lesson = g_strdup(value);
			return TRUE;
		}
		int lang = n == 2 ? lang_of(words[1]) : -1;
		if (lang < 0 || *value == '\0')
			return fail(p, error, _("expected «%s fr: …» or «%s en: …»"), hk->fr,
			            hk->fr);
		if (hk->field == 0 && p->step != NULL) {
			g_free(p->step->title[lang]);
			p->step->title[lang] = g_strdup(value);
		} else if (hk->field == 0) {
			g_free(p->sc->title[lang]);
			p->sc->title[lang] = g_strdup(value);
		} else {
			g_free(p->sc->summary[lang]);
			p->sc->summary[lang] = g_strdup(value);
		}
		return TRUE;
	}
	return TRUE; /* not a keyed line: an instruction may contain ':' */
}

static gboolean
finish_step(Parser *p, GError **error)
{
	ScenarioStep *st = p->step;
	if (st == NULL)
		return TRUE;
	guint saved = p->line;
	p->line = st->line;
	if (st->narration[0] == NULL)
		return fail(p, error,
		            _("step %u has no French narration (expected a line «fr: …»)"),
		            st->number);
	if (st->narration[1] == NULL)
		return fail(p, error,
		            _("step %u has no English narration (expected a line «en: …»)"),
		            st->number);
	p->line = saved;
	return TRUE;
}

static gboolean
parse_step_line(Parser *p, const char *line, gboolean *handled, GError **error)
{
	*handled = FALSE;
	const char *rest = NULL;
	if (g_str_has_prefix(line, "étape"))
		rest = line + strlen("étape");
	else if (g_str_has_prefix(line, "step"))
		rest = line + strlen("step");
	if (rest == NULL || (*rest != ' ' && *rest != '\t'))
		return TRUE;
	*handled = TRUE;
	rest = skip_spaces(rest);
	char *end = NULL;
	guint64 n = g_ascii_strtoull(rest, &end, 10);
	guint want = p->sc->steps->len + 1;
	if (end == rest || *skip_spaces(end) != '\0')
		return fail(p, error, _("expected «étape %u»"), want);
	if (n != want)
		return fail(p, error, _("steps are numbered in order: expected «étape %u», not %s"),
		            want, rest);
	if (!finish_step(p, error))
		return FALSE;
	ScenarioStep *st = g_new0(ScenarioStep, 1);
	st->number = want;
	st->line = p->line;
	st->instrs = g_ptr_array_new_with_free_func(instr_free);
	g_ptr_array_add(p->sc->steps, st);
	p->step = st;
	return TRUE;
}

/* --- instructions --- */

static const Keyword *
match_keyword(const char *line, const char **rest_r)
{
	const Keyword *best = NULL;
	gsize best_len = 0;
	for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++) {
		const char *names[] = {keywords[i].fr, keywords[i].en};
		for (int k = 0; k < 2; k++) {
			gsize len = strlen(names[k]);
			if (strncmp(line, names[k], len) == 0 &&
			    (line[len] == '\0' || line[len] == ' ' || line[len] == '\t') &&
			    len > best_len) {
				best = &keywords[i];
				best_len = len;
			}
		}
	}
	if (best != NULL)
		*rest_r = line + best_len;
	return best;
}

static char *
keyword_list(void)
{
	GString *s = g_string_new(NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(keywords); i++)
		g_string_append_printf(s, "%s%s", i ? ", " : "", keywords[i].fr);
	return g_string_free(s, FALSE);
}

static gboolean
parse_instruction(Parser *p, const char *line, GError **error)
{
	const char *rest;
	const Keyword *kw = match_keyword(line, &rest);
	if (kw == NULL) {
		const char *sp = strpbrk(line, " \t");
		g_autofree char *word = sp ? g_strndup(line, (gsize)(sp - line)) : g_strdup(line);
		g_autofree char *list = keyword_list();
		return fail(p, error,
		            _("unknown instruction «%s» (expected one of: %s, étape, fr:, en:)"),
		            word, list);
	}
	if (kw->setup && p->step != NULL)
		return fail(p, error, _("«%s» prepares the scenario: it belongs before «étape 1»"),
		            kw->fr);
	if (!kw->setup && p->step == NULL)
		return fail(p, error, _("«%s» must be inside a step (expected «étape 1» before)"),
		            kw->fr);

	ScenarioInstr *in = g_new0(ScenarioInstr, 1);
	in->op = kw->op;
	in->line = p->line;
	GPtrArray *list = kw->setup ? p->sc->setup : p->step->instrs;
	g_ptr_array_add(list, in);
	guint n_words = 0;
	for (guint i = 0; i < kw->n_args; i++) {
		ArgKind kind = kw->args[i];
		if (kind == ARG_REST) {
			const char *t = skip_spaces(rest);
			if (i < kw->n_required && *t == '\0')
				return fail(p, error, _("missing text: expected «%s»"),
				            _(kw->usage));
			in->text = g_strdup(t);
			rest = t + strlen(t);
			break;
		}
		gboolean bad_quote = FALSE;
		g_autofree char *w = next_word(&rest, &bad_quote);
		if (bad_quote)
			return fail(p, error, _("a double quote is not closed"));
		if (w == NULL) {
			if (i < kw->n_required)
				return fail(p, error, _("missing argument: expected «%s»"),
				            _(kw->usage));
			break;
		}
		switch (kind) {
		case ARG_CONN:
		case ARG_NEWCONN: {
			if (!is_name(w))
				return fail(
				    p, error,
				    _("«%s» is not a connection name (letters, digits, - and _)"),
				    w);
			gboolean open = g_hash_table_contains(p->conns, w);
			if (kind == ARG_CONN && !open)
				return fail(p, error,
				            _("connection «%s» is not open (expected «ouvrir %s "
				              "smtp|pop3|imap» in an earlier line)"),
				            w, w);
			if (kind == ARG_NEWCONN && open)
				return fail(p, error, _("connection «%s» is already open"), w);
			if (kind == ARG_CONN)
				in->proto = GPOINTER_TO_INT(g_hash_table_lookup(p->conns, w)) - 1;
			in->conn = g_steal_pointer(&w);
			break;
		}
		case ARG_PROTO: {
			int proto = -1;
			for (gsize k = 0; k < G_N_ELEMENTS(proto_names); k++) {
				if (g_ascii_strcasecmp(w, proto_names[k]) == 0)
					proto = (int)k;
			}
			if (proto < 0)
				return fail(
				    p, error,
				    _("unknown protocol «%s» (expected smtp, pop3 or imap)"), w);
			in->proto = (ScenarioProto)proto;
			g_hash_table_insert(p->conns, g_strdup(in->conn),
			                    GINT_TO_POINTER(proto + 1));
			break;
		}
		case ARG_FILE:
			in->file = find_file(p, w);
			if (in->file == NULL)
				return fail(
				    p, error,
				    _("message file «%s» not found (looked beside the scenario, "
				      "in its mail/ folder and in %s)"),
				    w, facteur_paths_mail());
			in->args[n_words++] = g_steal_pointer(&w);
			break;
		case ARG_NUMBER: {
			char *end = NULL;
			in->seconds = g_ascii_strtod(w, &end);
			if (end == w || *end != '\0' || in->seconds < 0 || in->seconds > 600)
				return fail(p, error,
				            _("«%s» is not a number of seconds between 0 and 600"),
				            w);
			break;
		}
		case ARG_WORD:
		case ARG_REST:
			in->args[n_words++] = g_steal_pointer(&w);
			break;
		}
	}
	if (*skip_spaces(rest) != '\0')
		return fail(p, error, _("too many words: expected «%s»"), _(kw->usage));

	/* Checks that need the whole instruction. */
	switch (in->op) {
	case SCENARIO_OP_EXPECT:
		if (!valid_status(in->proto, in->args[0]))
			return fail(p, error, _("«%s» is not a %s status: expected %s"),
			            in->args[0], proto_names[in->proto], status_hint(in->proto));
		if (in->text != NULL && !check_vars(p, in->text, error))
			return FALSE;
		break;
	case SCENARIO_OP_SEND:
		if (!check_vars(p, in->text, error))
			return FALSE;
		break;
	case SCENARIO_OP_REMEMBER: {
		const char *var = in->args[0][0] == '$' ? in->args[0] + 1 : in->args[0];
		if (!is_name(var))
			return fail(p, error, _("«%s» is not a variable name (expected $name)"),
			            in->args[0]);
		g_autoptr(GError) rerr = NULL;
		g_autoptr(GRegex) re = g_regex_new(in->text, 0, 0, &rerr);
		if (re == NULL)
			return fail(p, error, _("the expression «%s» is not valid: %s"), in->text,
			            rerr->message);
		char *plain = g_strdup(var);
		g_free(in->args[0]);
		in->args[0] = plain;
		g_hash_table_add(p->vars, g_strdup(plain));
		break;
	}
	case SCENARIO_OP_CHECK: {
		static const char *const ops[] = {"=", "!=", "<", ">", "<=", ">="};
		gboolean ok = FALSE;
		for (gsize k = 0; k < G_N_ELEMENTS(ops); k++)
			ok = ok || strcmp(in->args[1], ops[k]) == 0;
		if (!ok)
			return fail(p, error,
			            _("«%s» is not a comparison: expected =, !=, <, >, <= or >="),
			            in->args[1]);
		if (!check_vars(p, in->args[0], error) || !check_vars(p, in->args[2], error))
			return FALSE;
		break;
	}
	case SCENARIO_OP_SEND_MESSAGE:
		if (in->proto != SCENARIO_PROTO_SMTP)
			return fail(
			    p, error,
			    _("«envoyer-message» sends an SMTP DATA content: «%s» is not an "
			      "SMTP connection (use «ajouter» for IMAP)"),
			    in->conn);
		break;
	case SCENARIO_OP_APPEND:
		if (in->proto != SCENARIO_PROTO_IMAP)
			return fail(p, error,
			            _("«ajouter» is IMAP's APPEND: «%s» is not an IMAP connection"),
			            in->conn);
		break;
	default:
		break;
	}
	return TRUE;
}

static gboolean
parse_line(Parser *p, const char *line, GError **error)
{
	if (*line == '\0' || *line == '#')
		return TRUE;
	gboolean handled;
	if (!parse_step_line(p, line, &handled, error))
		return FALSE;
	if (handled)
		return TRUE;
	if (!parse_keyed_line(p, line, &handled, error))
		return FALSE;
	if (handled)
		return TRUE;
	return parse_instruction(p, line, error);
}

Scenario *
scenario_parse(const char *path, const char *text, gssize len, GError **error)
{
	if (len < 0)
		len = (gssize)strlen(text);
	Parser p = {.path = path};
	if (!g_utf8_validate(text, len, NULL)) {
		fail(&p, error, _("the file is not valid UTF-8 text"));
		return NULL;
	}
	p.dir = g_path_get_dirname(path);
	p.conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.vars = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	Scenario *sc = g_new0(Scenario, 1);
	sc->path = g_strdup(path);
	g_autofree char *base = g_path_get_basename(path);
	sc->id =
	    g_str_has_suffix(base, ".scn") ? g_strndup(base, strlen(base) - 4) : g_strdup(base);
	sc->setup = g_ptr_array_new_with_free_func(instr_free);
	sc->steps = g_ptr_array_new_with_free_func(step_free);
	p.sc = sc;

	g_autofree char *copy = g_strndup(text, (gsize)len);
	gboolean ok = TRUE;
	char *line = copy;
	while (ok && line != NULL) {
		char *nl = strchr(line, '\n');
		if (nl != NULL)
			*nl = '\0';
		p.line++;
		gsize l = strlen(line);
		if (l > 0 && line[l - 1] == '\r')
			line[--l] = '\0';
		ok = parse_line(&p, g_strstrip(line), error);
		line = nl != NULL ? nl + 1 : NULL;
	}
	if (ok)
		ok = finish_step(&p, error);
	p.line = 0;
	if (ok && sc->title[0] == NULL && sc->title[1] == NULL)
		ok = fail(&p, error, _("the scenario has no title (expected «titre fr: …»)"));
	if (ok && sc->steps->len == 0)
		ok = fail(&p, error, _("the scenario has no step (expected «étape 1»)"));
	g_hash_table_destroy(p.conns);
	g_hash_table_destroy(p.vars);
	g_free(p.dir);
	if (!ok) {
		scenario_free(sc);
		return NULL;
	}
	return sc;
}

Scenario *
scenario_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	gsize len = 0;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &text, &len, &local)) {
		g_set_error(error, SCENARIO_ERROR, SCENARIO_ERROR_READ, "%s", local->message);
		return NULL;
	}
	return scenario_parse(path, text, (gssize)len, error);
}

/* --- accessors --- */

guint
scenario_lang_index(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0 ? 1 : 0;
}

static const char *
pick(char *const texts[2], const char *lang)
{
	guint i = scenario_lang_index(lang);
	return texts[i] != NULL ? texts[i] : texts[1 - i];
}

const char *
scenario_title(const Scenario *sc, const char *lang)
{
	return pick(sc->title, lang);
}

const char *
scenario_summary(const Scenario *sc, const char *lang)
{
	return pick(sc->summary, lang);
}

const char *
scenario_step_narration(const ScenarioStep *step, const char *lang)
{
	return pick(step->narration, lang);
}

const char *
scenario_step_title(const ScenarioStep *step, const char *lang)
{
	return pick(step->title, lang);
}

guint
scenario_n_steps(const Scenario *sc)
{
	return sc->steps->len;
}

const ScenarioStep *
scenario_step(const Scenario *sc, guint number)
{
	if (number == 0 || number > sc->steps->len)
		return NULL;
	return sc->steps->pdata[number - 1];
}

static gint
compare_ids(gconstpointer a, gconstpointer b)
{
	const Scenario *x = *(Scenario *const *)a, *y = *(Scenario *const *)b;
	return strcmp(x->id, y->id);
}

GPtrArray *
scenario_list(const char *dir, GPtrArray *errors_r)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)scenario_free);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		if (!g_str_has_suffix(name, ".scn"))
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_autoptr(GError) error = NULL;
		Scenario *sc = scenario_load(path, &error);
		if (sc != NULL)
			g_ptr_array_add(out, sc);
		else if (errors_r != NULL)
			g_ptr_array_add(errors_r, g_strdup(error->message));
	}
	g_ptr_array_sort(out, compare_ids);
	return out;
}

char *
scenario_resolve(const char *name)
{
	if (g_file_test(name, G_FILE_TEST_IS_REGULAR))
		return g_strdup(name);
	g_autofree char *file =
	    g_str_has_suffix(name, ".scn") ? g_strdup(name) : g_strconcat(name, ".scn", NULL);
	char *path = g_build_filename(facteur_paths_scenarios(), file, NULL);
	if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
		return path;
	g_free(path);
	return NULL;
}
