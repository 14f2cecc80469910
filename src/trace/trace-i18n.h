/* gettext for the tracer's hot paths: the same few hundred explanations are
 * translated for every event, so translations are cached per msgid (string
 * constants and table rows have stable addresses) until the language changes.
 * Include this instead of core/facteur-i18n.h in src/trace; xgettext still
 * sees _() and N_(). */
#pragma once

#include "core/facteur-i18n.h"

const char *trace_gettext(const char *msgid);

#undef _
#define _(s) trace_gettext(s)
