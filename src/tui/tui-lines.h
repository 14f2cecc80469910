/* Styled lines: what a pane draws. A line is a list of spans (text, style);
 * wrapping keeps the styles and indents continuation lines. Pure: the styles
 * become curses attributes only in tui.c. */
#pragma once

#include <glib.h>

typedef enum {
	TUI_STYLE_TEXT,
	TUI_STYLE_BOLD,
	TUI_STYLE_CODE,
	TUI_STYLE_TITLE,   /* a lesson's title, a pane's header */
	TUI_STYLE_HEADING, /* a section */
	TUI_STYLE_DIM,     /* explanations, secondary text */
	TUI_STYLE_CLIENT,  /* what the client sent */
	TUI_STYLE_SERVER,  /* what the server answered */
	TUI_STYLE_STATE,   /* inferred state, marks for deletion */
	TUI_STYLE_NOTE,    /* the tracer's notes */
	TUI_STYLE_ERROR,   /* a failed expectation: red */
	TUI_STYLE_OK,      /* a positive status */
	TUI_STYLE_RFC,     /* an RFC reference */
	TUI_STYLE_SELECTED,
	TUI_N_STYLES,
} TuiStyle;

typedef struct {
	char *text;
	TuiStyle style;
} TuiSpan;

typedef struct {
	GArray *spans;      /* TuiSpan, owning their text */
	int indent;         /* columns of blank before the first span */
	gpointer data;      /* what the line shows (borrowed: an event, a list item) */
	gboolean highlight; /* drawn reversed (the newest line, a search match) */
} TuiLine;

TuiLine *tui_line_new(int indent);
void tui_line_free(TuiLine *line);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(TuiLine, tui_line_free)
void tui_line_add(TuiLine *line, TuiStyle style, const char *text);
void tui_line_addf(TuiLine *line, TuiStyle style, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Columns the line takes, indent included. */
int tui_line_width(const TuiLine *line);
/* The line's text without styles (for searching and tests). Caller frees. */
char *tui_line_text(const TuiLine *line);

/* A GPtrArray of TuiLine* that frees them. */
GPtrArray *tui_lines_new(void);
/* Appends spans wrapped to width: the first line starts at indent_first, the
 * following ones at indent_rest. Each new line gets data. Returns how many lines. */
guint tui_lines_wrap(GPtrArray *lines, const TuiSpan *spans, guint n_spans, int width,
                     int indent_first, int indent_rest, gpointer data);
/* Same for a line already built. */
guint tui_lines_wrap_line(GPtrArray *lines, const TuiLine *line, int width, int indent_rest);
