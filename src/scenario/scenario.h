/* A scenario: a lesson's experiment, written by a teacher in a plain text
 * file (scenarios/README.md describes the format), parsed into a header (titles,
 * lesson, set-up) and numbered steps of narration and instructions. */
#pragma once

#include <glib.h>

#define SCENARIO_ERROR scenario_error_quark()
GQuark scenario_error_quark(void);

typedef enum {
	SCENARIO_ERROR_READ,   /* the file cannot be read */
	SCENARIO_ERROR_SYNTAX, /* "FILE:LINE: what was expected" */
} ScenarioError;

typedef enum {
	SCENARIO_PROTO_SMTP,
	SCENARIO_PROTO_POP3,
	SCENARIO_PROTO_IMAP,
} ScenarioProto;

typedef enum {
	/* set-up, before the first step */
	SCENARIO_OP_USER,    /* user password */
	SCENARIO_OP_MAILBOX, /* user mailbox */
	SCENARIO_OP_MESSAGE, /* user mailbox file [flags] */
	/* in steps */
	SCENARIO_OP_OPEN,           /* conn proto */
	SCENARIO_OP_SEND,           /* conn text */
	SCENARIO_OP_EXPECT,         /* conn status [pattern] */
	SCENARIO_OP_REMEMBER,       /* conn var regex */
	SCENARIO_OP_CHECK,          /* left op right */
	SCENARIO_OP_SEND_MESSAGE,   /* conn file: SMTP DATA content, dot-stuffed, ended by "." */
	SCENARIO_OP_APPEND,         /* conn tag mailbox file [flags]: IMAP APPEND with a literal */
	SCENARIO_OP_ADMIN_RECREATE, /* user mailbox */
	SCENARIO_OP_ADMIN_DELIVER,  /* user mailbox file */
	SCENARIO_OP_CUT,            /* conn: close without a goodbye */
	SCENARIO_OP_EXPECT_CLOSE,   /* conn: the server closes */
	SCENARIO_OP_PAUSE,          /* seconds */
} ScenarioOp;

typedef struct {
	ScenarioOp op;
	guint line; /* in the file, for messages */
	char *conn; /* connection name */
	ScenarioProto proto;
	char *args[4]; /* meaning depends on op (see scenarios/README.md) */
	char *text;    /* the rest of the line: sent text, expected pattern */
	char *file;    /* absolute path of a message file */
	double seconds;
} ScenarioInstr;

typedef struct {
	guint number; /* from 1 */
	guint line;
	char *title[2];     /* optional short title: [0] fr, [1] en */
	char *narration[2]; /* [0] fr, [1] en (lines joined with \n) */
	GPtrArray *instrs;  /* ScenarioInstr */
} ScenarioStep;

typedef struct {
	char *path;     /* as given */
	char *id;       /* file name without .scn: "05-pop3-dele-rset-quit" */
	char *title[2]; /* [0] fr, [1] en */
	char *summary[2];
	char *lesson;     /* "05-pop3" or NULL */
	GPtrArray *setup; /* ScenarioInstr */
	GPtrArray *steps; /* ScenarioStep */
} Scenario;

/* Parses a file. Message files named in it are looked up beside the file, then
 * in facteur's scenarios/mail/. The error names the file, the line and what
 * was expected. */
Scenario *scenario_load(const char *path, GError **error);
/* Same from text (path is used in messages and to find message files). */
Scenario *scenario_parse(const char *path, const char *text, gssize len, GError **error);
void scenario_free(Scenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Scenario, scenario_free)

/* Index into title/summary/narration for "fr" or "en" (fr when unknown). */
guint scenario_lang_index(const char *lang);
/* The text in lang, falling back to the other language. Owned by the scenario. */
const char *scenario_title(const Scenario *sc, const char *lang);
const char *scenario_summary(const Scenario *sc, const char *lang);
const char *scenario_step_narration(const ScenarioStep *step, const char *lang);
const char *scenario_step_title(const ScenarioStep *step, const char *lang);
guint scenario_n_steps(const Scenario *sc);
const ScenarioStep *scenario_step(const Scenario *sc, guint number); /* from 1 */

/* Every *.scn of dir, sorted by file name; files that do not parse are left
 * out and their errors appended to errors_r (one message each) when not NULL. */
GPtrArray *scenario_list(const char *dir, GPtrArray *errors_r);
/* Finds a scenario by path, or by id in facteur's scenarios/ directory. */
char *scenario_resolve(const char *name_or_path);
