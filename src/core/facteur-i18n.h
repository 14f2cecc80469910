/* Translation set-up: gettext domain "facteur", language from the locale or
 * from --lang / the TUI's `l` key, working even where the only locale is C.UTF-8. */
#pragma once

#include <glib.h>
#include <libintl.h>

#define _(s)  gettext(s)
#define N_(s) (s)

/* Binds the text domain and picks the language from the environment. */
void facteur_i18n_init(void);
/* "fr", "en", or NULL for the environment's choice. Returns FALSE for an unknown language. */
gboolean facteur_i18n_set_lang(const char *lang);
/* The language in use now: "fr" or "en". */
const char *facteur_i18n_lang(void);
/* TRUE when lang is one facteur speaks. */
gboolean facteur_i18n_is_known(const char *lang);
