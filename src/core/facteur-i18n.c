/* gettext set-up. The language can change while the program runs (the TUI's
 * `l` key): LANGUAGE is set and glibc's catalogue cache invalidated. */
#include "core/facteur-i18n.h"
#include "core/facteur-paths.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

/* glibc: incremented to make gettext forget what it has looked up (gettext manual §11.2.6). */
extern int _nl_msg_cat_cntr;

static char current_lang[8] = "en";

static const char *
env_lang(void)
{
	static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
	for (gsize i = 0; i < G_N_ELEMENTS(vars); i++) {
		const char *v = g_getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return v;
	}
	return "";
}

void
facteur_i18n_init(void)
{
	const char *loc = setlocale(LC_ALL, "");
	/* gettext ignores LANGUAGE under the plain C locale; C.UTF-8 exists on
	 * every glibc since 2.35 and also gives ncursesw its UTF-8. */
	if (loc == NULL || strcmp(loc, "C") == 0 || strcmp(loc, "POSIX") == 0)
		setlocale(LC_ALL, "C.UTF-8");
	bindtextdomain("facteur", facteur_paths_localedir());
	bind_textdomain_codeset("facteur", "UTF-8");
	textdomain("facteur");
	facteur_i18n_set_lang(NULL);
}

gboolean
facteur_i18n_is_known(const char *lang)
{
	return lang != NULL && (strcmp(lang, "fr") == 0 || strcmp(lang, "en") == 0);
}

gboolean
facteur_i18n_set_lang(const char *lang)
{
	if (lang == NULL)
		lang = g_str_has_prefix(env_lang(), "fr") ? "fr" : "en";
	if (!facteur_i18n_is_known(lang))
		return FALSE;
	g_strlcpy(current_lang, lang, sizeof current_lang);
	g_setenv("LANGUAGE", lang, TRUE);
	++_nl_msg_cat_cntr;
	return TRUE;
}

const char *
facteur_i18n_lang(void)
{
	return current_lang;
}
