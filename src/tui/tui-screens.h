/* The screens of the interface (each a TuiScreen vtable in its own file). */
#pragma once

#include "tui/tui-events.h"
#include "tui/tui.h"

/* The lessons in order with their scenarios, a free session, open a capture. */
TuiScreen *tui_home_new(void);
/* A lesson's text (lessons/LANG/ID.md), following the language. */
TuiScreen *tui_reader_new(const char *lesson_id);
/* Every key. */
TuiScreen *tui_help_new(void);
/* One event in full: explanations with RFC sections, raw bytes with CRLF
 * shown, its command or replies, the MIME part tree of its message. */
TuiScreen *tui_detail_new(const TuiEvents *events, const TraceEvent *ev);
/* A scenario (id or path), played step by step. NULL with an error when the
 * file does not parse. */
TuiScreen *tui_session_new_scenario(const char *name_or_path, GError **error);
/* The servers on the default data directory: type commands yourself. */
TuiScreen *tui_session_new_free(void);
/* A pcap or pcapng file, stepped one exchange at a time. */
TuiScreen *tui_session_new_capture(const char *path, GError **error);
