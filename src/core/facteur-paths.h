/* Where facteur finds its data (scenarios, lessons, demo mail, catalogues):
 * the source tree when run from it (build/facteur), else PREFIX/share beside
 * the installed binary. FACTEUR_DATADIR and FACTEUR_LOCALEDIR override. */
#pragma once

#include <glib.h>

/* Directory holding scenarios/ and lessons/. Owned by the module. */
const char *facteur_paths_datadir(void);
/* Directory holding LANG/LC_MESSAGES/facteur.mo. Owned by the module. */
const char *facteur_paths_localedir(void);
/* datadir/scenarios, datadir/scenarios/mail, datadir/lessons. Owned by the module. */
const char *facteur_paths_scenarios(void);
const char *facteur_paths_mail(void);
const char *facteur_paths_lessons(void);
/* The default data directory of the servers: $XDG_DATA_HOME/facteur. Owned by the module. */
const char *facteur_paths_default_store(void);
