/* Text for the terminal: display widths of UTF-8 strings (wide and combining
 * characters counted as the terminal draws them), word wrapping to a width,
 * and making control characters visible. Pure: no curses here. */
#pragma once

#include <glib.h>

/* Columns the UTF-8 text takes on the screen (invalid bytes count as one). */
int tui_text_width(const char *text);
/* The longest prefix of text that fits in width columns, in bytes. */
gsize tui_text_fit(const char *text, int width);
/* Splits text into lines of at most width columns, at spaces when it can,
 * cutting words longer than a line; "\n" starts a new line. Never returns an
 * empty array (an empty text gives one empty line). Free with g_ptr_array_unref. */
GPtrArray *tui_text_wrap(const char *text, int width);
/* The line as it crossed the wire, made readable: CR and LF as ␍ ␊, TAB as ␉,
 * other control octets as ␀…␟ or \xNN, invalid UTF-8 octets as \xNN. */
char *tui_text_visible(const guint8 *raw, gsize len);
/* Pads or cuts text to exactly width columns. */
char *tui_text_pad(const char *text, int width);
