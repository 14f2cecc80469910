/* Decoding a capture file (pcap or pcapng) into a screen's events, through
 * the tracer, packets included. */
#pragma once

#include "tui/tui-events.h"

gboolean tui_capture_load(const char *path, TuiEvents *events, GError **error);
