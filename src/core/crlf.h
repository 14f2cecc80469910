/* Line ends: messages travel and are stored with CRLF (RFC 5322 §2.1), while
 * files in the source tree have LF. */
#pragma once

#include <glib.h>

/* A copy where every bare LF became CRLF and existing CRLFs are kept. */
GBytes *crlf_normalize(const void *data, gsize len);
