/* The lessons as the home screen lists them: lessons/LANG/NN-name.md, whose
 * first line is "# Leçon N — Title", then a one-line summary paragraph, then a
 * line naming the scenarios ("Scénarios : `01-…`, `02-…`" or "Scenarios: …",
 * "aucun"/"none" for none). Also renders the simple Markdown of a lesson. */
#pragma once

#include "tui/tui-lines.h"

#include <glib.h>

typedef struct {
	char *path;
	char *id;         /* file name without .md: "05-pop3" */
	char *title;      /* "Leçon 5 — POP3" */
	char *summary;    /* one paragraph, lines joined */
	char **scenarios; /* ids, NULL-terminated (maybe empty) */
} TuiLesson;

void tui_lesson_free(TuiLesson *lesson);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TuiLesson, tui_lesson_free)

/* Parses a lesson's text (path names it); NULL with an error when the first
 * line is not a "# " title. */
TuiLesson *tui_lesson_parse(const char *path, const char *text, GError **error);
/* The lessons of lessons_dir/lang (falling back to lessons_dir/fr when the
 * language has none), sorted by file name. Files that do not parse are left
 * out and their messages added to errors_r when not NULL. */
GPtrArray *tui_lesson_list(const char *lessons_dir, const char *lang, GPtrArray *errors_r);

/* Renders Markdown (titles, paragraphs, lists, fenced code, **bold**, `code`)
 * into styled lines of at most width columns, appended to lines. */
void tui_markdown_render(GPtrArray *lines, const char *text, int width);
