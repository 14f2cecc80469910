/* The scenario parser: a full example, and a table of bad files with the
 * error each must give (file, line, what was expected). */
#include "core/facteur-i18n.h"
#include "scenario/scenario.h"

#include <string.h>

static const char *good = "# Un exemple complet\n"
                          "titre fr: POP3 : DELE, RSET et QUIT\n"
                          "titre en: POP3: DELE, RSET and QUIT\n"
                          "résumé fr: Les suppressions n'ont lieu qu'au QUIT.\n"
                          "summary en: Deletions only happen at QUIT.\n"
                          "leçon: 05-pop3\n"
                          "\n"
                          "utilisateur bob bobpass\n"
                          "boîte bob \"Éléments envoyés\"\n"
                          "message bob INBOX simple.eml \\Seen\n"
                          "\n"
                          "étape 1\n"
                          "fr: Bob se connecte.\n"
                          "fr: Deuxième ligne.\n"
                          "en: Bob connects.\n"
                          "ouvrir c1 pop3\n"
                          "attendre c1 +OK\n"
                          "envoyer c1 USER bob\n"
                          "attendre c1 +OK\n"
                          "\n"
                          "step 2\n"
                          "titre fr: Le SELECT\n"
                          "fr: Et IMAP.\n"
                          "en: And IMAP.\n"
                          "open c2 imap\n"
                          "expect c2 OK [CAPABILITY\n"
                          "envoyer c2 a1 SELECT INBOX\n"
                          "attendre c2 OK [READ-WRITE]\n"
                          "retenir c2 $v UIDVALIDITY (\\d+)\n"
                          "admin recréer bob INBOX\n"
                          "envoyer c2 a2 SELECT INBOX\n"
                          "attendre c2 OK\n"
                          "retenir c2 nouvelle UIDVALIDITY (\\d+)\n"
                          "vérifier $nouvelle > $v\n"
                          "ajouter c2 a3 INBOX simple.eml \\Seen\n"
                          "attendre c2 OK\n"
                          "ouvrir s smtp\n"
                          "attendre s 2xx\n"
                          "envoyer-message s simple.eml\n"
                          "admin livrer bob INBOX simple.eml\n"
                          "pause 0.5\n"
                          "couper c1\n"
                          "attendre-fermeture c2\n";

static void
test_good(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(Scenario) sc = scenario_parse("/tmp/exemple.scn", good, -1, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(sc->id, ==, "exemple");
	g_assert_cmpstr(scenario_title(sc, "fr"), ==, "POP3 : DELE, RSET et QUIT");
	g_assert_cmpstr(scenario_title(sc, "en"), ==, "POP3: DELE, RSET and QUIT");
	g_assert_cmpstr(scenario_summary(sc, "en"), ==, "Deletions only happen at QUIT.");
	g_assert_cmpstr(sc->lesson, ==, "05-pop3");
	g_assert_cmpuint(sc->setup->len, ==, 3);
	const ScenarioInstr *box = sc->setup->pdata[1];
	g_assert_cmpstr(box->args[1], ==, "Éléments envoyés");
	const ScenarioInstr *msg = sc->setup->pdata[2];
	g_assert_true(g_str_has_suffix(msg->file, "simple.eml"));
	g_assert_cmpstr(msg->text, ==, "\\Seen");
	g_assert_cmpuint(scenario_n_steps(sc), ==, 2);
	const ScenarioStep *s1 = scenario_step(sc, 1);
	g_assert_cmpstr(scenario_step_narration(s1, "fr"), ==, "Bob se connecte.\nDeuxième ligne.");
	g_assert_cmpuint(s1->instrs->len, ==, 4);
	const ScenarioInstr *send = s1->instrs->pdata[2];
	g_assert_cmpint(send->op, ==, SCENARIO_OP_SEND);
	g_assert_cmpstr(send->text, ==, "USER bob");
	g_assert_cmpint(send->proto, ==, SCENARIO_PROTO_POP3);
	const ScenarioStep *s2 = scenario_step(sc, 2);
	g_assert_cmpstr(scenario_step_title(s2, "en"), ==, "Le SELECT");
	const ScenarioInstr *exp = s2->instrs->pdata[1];
	g_assert_cmpstr(exp->args[0], ==, "OK");
	g_assert_cmpstr(exp->text, ==, "[CAPABILITY");
	const ScenarioInstr *rem = s2->instrs->pdata[4];
	g_assert_cmpint(rem->op, ==, SCENARIO_OP_REMEMBER);
	g_assert_cmpstr(rem->args[0], ==, "v");
	g_assert_cmpstr(rem->text, ==, "UIDVALIDITY (\\d+)");
	const ScenarioInstr *pause = s2->instrs->pdata[16];
	g_assert_cmpint(pause->op, ==, SCENARIO_OP_PAUSE);
	g_assert_cmpfloat(pause->seconds, ==, 0.5);
	g_assert_null(scenario_step(sc, 3));
}

typedef struct {
	const char *text;
	guint line;
	const char *fragment; /* part of the message */
} BadCase;

#define HEAD "titre fr: T\n"
#define STEP "étape 1\nfr: a\nen: b\n"

static const BadCase bad[] = {
    {HEAD "envoier c1 X\n", 2, "unknown instruction «envoier»"},
    {HEAD STEP "envoyer c1 X\n", 5, "connection «c1» is not open"},
    {HEAD STEP "ouvrir c1 ftp\n", 5, "unknown protocol «ftp»"},
    {HEAD STEP "ouvrir c1 smtp\nouvrir c1 pop3\n", 6, "already open"},
    {HEAD STEP "ouvrir c1 smtp\nattendre c1 +OK\n", 6, "is not a smtp status"},
    {HEAD STEP "ouvrir c1 pop3\nattendre c1 250\n", 6, "+OK, -ERR"},
    {HEAD STEP "ouvrir c1 imap\nattendre c1 YES\n", 6, "OK, NO, BAD"},
    {HEAD STEP "ouvrir c1 imap\nattendre c1\n", 6, "missing argument"},
    {HEAD STEP "ouvrir c1 imap\nenvoyer c1 a SELECT $x\n", 6, "$x is used before"},
    {HEAD STEP "ouvrir c1 imap\nretenir c1 $v (unclosed\n", 6, "is not valid"},
    {HEAD STEP "vérifier 1 ~ 2\n", 5, "is not a comparison"},
    {HEAD STEP "ouvrir c1 imap\nenvoyer-message c1 simple.eml\n", 6, "not an SMTP connection"},
    {HEAD STEP "ouvrir c1 smtp\najouter c1 a1 INBOX simple.eml\n", 6, "not an IMAP connection"},
    {HEAD STEP "ouvrir c1 smtp\nenvoyer-message c1 nulle-part.eml\n", 6, "not found"},
    {HEAD STEP "pause beaucoup\n", 5, "is not a number of seconds"},
    {HEAD STEP "couper c1 c2\n", 5, "is not open"},
    {HEAD STEP "ouvrir c1 smtp extra\n", 5, "too many words"},
    {HEAD STEP "utilisateur bob pass\n", 5, "belongs before «étape 1»"},
    {HEAD "ouvrir c1 smtp\n", 2, "must be inside a step"},
    {HEAD "fr: trop tôt\n", 2, "narration before the first step"},
    {HEAD "étape 2\n", 2, "expected «étape 1», not 2"},
    {HEAD "étape un\n", 2, "expected «étape 1»"},
    {HEAD "étape 1\nen: only english\n", 2, "no French narration"},
    {HEAD "étape 1\nfr: seulement\n", 2, "no English narration"},
    {HEAD "titre: sans langue\n", 2, "expected «titre fr: …»"},
    {HEAD "leçon:\n", 2, "expected «leçon:"},
    {HEAD "boîte bob \"Éléments\n", 2, "double quote is not closed"},
    {HEAD STEP "ouvrir c/1 smtp\n", 5, "is not a connection name"},
    {HEAD STEP "ouvrir c1 imap\nretenir c1 v@r X\n", 6, "is not a variable name"},
    {"étape 1\nfr: a\nen: b\n", 0, "has no title"},
    {HEAD, 0, "has no step"},
    {HEAD "\xff\xfe\n", 0, "not valid UTF-8"},
};

static void
test_bad(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(Scenario) sc =
		    scenario_parse("/tmp/mauvais.scn", bad[i].text, -1, &error);
		g_assert_null(sc);
		g_assert_error(error, SCENARIO_ERROR, SCENARIO_ERROR_SYNTAX);
		g_autofree char *where = bad[i].line > 0
		                             ? g_strdup_printf("/tmp/mauvais.scn:%u: ", bad[i].line)
		                             : g_strdup("/tmp/mauvais.scn: ");
		if (!g_str_has_prefix(error->message, where) ||
		    strstr(error->message, bad[i].fragment) == NULL)
			g_error("case %" G_GSIZE_FORMAT ": got «%s», want «%s…%s»", i,
			        error->message, where, bad[i].fragment);
	}
}

static void
test_unreadable(void)
{
	g_autoptr(GError) error = NULL;
	g_assert_null(scenario_load("/nonexistent/x.scn", &error));
	g_assert_error(error, SCENARIO_ERROR, SCENARIO_ERROR_READ);
	g_assert_nonnull(strstr(error->message, "/nonexistent/x.scn"));
}

/* Every scenario shipped in scenarios/ parses. */
static void
test_shipped(void)
{
	g_autofree char *dir = g_build_filename(
	    g_getenv("FACTEUR_TOP") ? g_getenv("FACTEUR_TOP") : ".", "scenarios", NULL);
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) list = scenario_list(dir, errors);
	for (guint i = 0; i < errors->len; i++)
		g_test_message("%s", (char *)errors->pdata[i]);
	g_assert_cmpuint(errors->len, ==, 0);
	for (guint i = 1; i < list->len; i++) {
		const Scenario *a = list->pdata[i - 1], *b = list->pdata[i];
		g_assert_cmpstr(a->id, <, b->id);
	}
	/* Each names a lesson that exists, in both languages. */
	for (guint i = 0; i < list->len; i++) {
		const Scenario *sc = list->pdata[i];
		g_assert_nonnull(sc->lesson);
		g_assert_nonnull(sc->title[0]);
		g_assert_nonnull(sc->title[1]);
		g_assert_nonnull(sc->summary[0]);
		g_assert_nonnull(sc->summary[1]);
		for (int l = 0; l < 2; l++) {
			g_autofree char *md = g_strconcat(sc->lesson, ".md", NULL);
			g_autofree char *path = g_build_filename(dir, "..", "lessons",
								 l == 0 ? "fr" : "en", md, NULL);
			if (!g_file_test(path, G_FILE_TEST_EXISTS))
				g_error("%s: lesson %s not found (%s)", sc->id, sc->lesson, path);
		}
	}
}

int
main(int argc, char **argv)
{
	facteur_i18n_init();
	facteur_i18n_set_lang("en");
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/scenario/parser/good", test_good);
	g_test_add_func("/scenario/parser/bad", test_bad);
	g_test_add_func("/scenario/parser/unreadable", test_unreadable);
	g_test_add_func("/scenario/parser/shipped", test_shipped);
	return g_test_run();
}
