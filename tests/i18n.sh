#!/bin/sh
# The French interface: every message of a freshly extracted template has a
# French translation in po/fr.po (not fuzzy, not empty), the catalogue passes
# msgfmt --check and is compiled into the build, lines sent on the wire stay
# ASCII, --lang fr and --lang en give the same protocol transcript with
# different explanations, --help follows --lang and LANGUAGE under
# LC_ALL=C.UTF-8, and an unknown --lang is a usage error. Prints TAP.
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
F=${FACTEUR:?}
top=${FACTEUR_TOP:?}
build=${FACTEUR_BUILD:?}
po="$top/po/fr.po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE

# The template as `make pot` makes it (same keywords; ngettext is one of
# xgettext's default C keywords), but in a temporary file: po/ is not touched.
(cd "$top" && xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ \
	--add-comments=TRANSLATORS: --package-name=facteur \
	-o "$tmp/facteur.pot" $(find src -name '*.c' | sort)) 2>"$tmp/xgettext.err"
ok $? "xgettext extracts a fresh template from src/"
total=$(msgattrib --no-wrap "$tmp/facteur.pot" | grep -c '^msgid "..*"$\|^msgid ""$' || true)
total=$((total - 1))
[ "$total" -gt 1000 ]
ok $? "the template holds every message ($total, more than a thousand)"

msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" "$tmp/facteur.pot" 2>"$tmp/merge.err"
ok $? "po/fr.po merges with the fresh template"
msgattrib --untranslated --no-obsolete "$tmp/merged.po" >"$tmp/untranslated.po"
missing=$(grep -c '^msgid "..*"$\|^msgid ""$' "$tmp/untranslated.po" || true)
[ "$missing" -eq 0 ]
ok $? "every message of the fresh template has a French translation (missing: $missing)"
[ "$missing" -eq 0 ] || grep -A1 '^msgid' "$tmp/untranslated.po" | head -20 | sed 's/^/# /'
msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" >"$tmp/fuzzy.po"
fuzzy=$(grep -c '^msgid "..*"$' "$tmp/fuzzy.po" || true)
[ "$fuzzy" -eq 0 ] && ! grep -q '^#,.*fuzzy' "$po"
ok $? "no translation is fuzzy (fuzzy: $fuzzy)"
msgcmp "$po" "$tmp/facteur.pot" 2>"$tmp/msgcmp.err"
ok $? "msgcmp: po/fr.po covers the template"

msgfmt --check --statistics -o "$tmp/fr.mo" "$po" 2>"$tmp/stats"
r=$?
grep -q 'untranslated\|fuzzy' "$tmp/stats" && r=1
ok $r "msgfmt --check passes: $(cat "$tmp/stats")"
grep -q '^"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' "$po" &&
	grep -q '^"Language: fr\\n"' "$po" && grep -q '^"Last-Translator: facteur\\n"' "$po"
ok $? "the header: Language, Plural-Forms for French, Last-Translator"
[ -s "$build/locale/fr/LC_MESSAGES/facteur.mo" ]
ok $? "the catalogue is compiled into the build (locale/fr/LC_MESSAGES/facteur.mo)"

# Messages sent on the wire ask for ASCII in a TRANSLATORS comment.
python3 - "$po" >"$tmp/wire" <<'EOF'
import re, sys
entries, cur = [], {"comments": [], "msgstr": ""}
key = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if not line:
        entries.append(cur); cur = {"comments": [], "msgstr": ""}; key = None
    elif line.startswith("#"):
        cur["comments"].append(line)
    else:
        m = re.match(r'^(msgid|msgstr)\S*\s+"(.*)"$', line)
        if m:
            key = m.group(1); cur[key] = cur.get(key, "") + m.group(2)
        elif key is not None:
            cur[key] += line[1:-1]
entries.append(cur)
wire = [e for e in entries if any(c.startswith("#.") and "ASCII" in c for c in e["comments"])]
bad = [e["msgid"] for e in wire if not e["msgstr"] or not e["msgstr"].isascii()]
print(len(wire), len(bad))
EOF
read nwire nbad <"$tmp/wire"
[ "$nwire" -ge 1 ] && [ "$nbad" -eq 0 ]
ok $? "the $nwire messages sent on the wire are translated in ASCII"

# The same scenario in both languages: same commands, replies and codes,
# different explanations and narration.
"$F" play 05-pop3-dele-rset-quit --json --capture tap --lang en >"$tmp/en.jsonl" 2>"$tmp/en.err"
ok $? "facteur play --json --capture tap --lang en"
"$F" play 05-pop3-dele-rset-quit --json --capture tap --lang fr >"$tmp/fr.jsonl" 2>"$tmp/fr.err"
ok $? "facteur play --json --capture tap --lang fr"
python3 - "$tmp/en.jsonl" "$tmp/fr.jsonl" >"$tmp/cmp" <<'EOF'
import json, sys
def load(p):
    return [json.loads(l) for l in open(p, encoding="utf-8") if l.strip()]
en, fr = load(sys.argv[1]), load(sys.argv[2])
wire = ("kind", "proto", "dir", "tag", "verb", "args", "status", "code", "enhanced", "text", "raw", "rfc")
same = len(en) == len(fr) and all(
    tuple(a.get(k) for k in wire) == tuple(b.get(k) for k in wire) for a, b in zip(en, fr))
explained = [(a, b) for a, b in zip(en, fr) if "explain" in a]
differ = all(a["explain"] != b.get("explain") for a, b in explained)
steps = [(a, b) for a, b in zip(en, fr) if a.get("kind") == "step"]
narr = all(a["narration"] != b["narration"] for a, b in steps)
print(int(same), len(en), int(differ and len(explained) > 20), len(explained), int(narr and len(steps) == 7))
EOF
read same nev differ nexp narr <"$tmp/cmp"
[ "$same" -eq 1 ]
ok $? "fr and en transcripts carry the same $nev events: commands, replies, codes, RFC sections"
[ "$differ" -eq 1 ]
ok $? "each of the $nexp explanations differs between fr and en"
[ "$narr" -eq 1 ]
ok $? "the narration of the 7 steps differs too"
nbsp=$(printf '\302\240')
grep -q "\"explain\":\"+OK${nbsp}: la commande a réussi.\"" "$tmp/fr.jsonl" &&
	grep -q '"explain":"+OK: the command succeeded."' "$tmp/en.jsonl"
ok $? "an explanation in French and in English (+OK)"
grep -q '"kind":"command","verb":"DELE","args":"1"' "$tmp/fr.jsonl"
ok $? "the commands are not translated (DELE 1)"

# --help follows --lang, wherever it stands, and LANGUAGE; under C.UTF-8.
"$F" --help --lang fr >"$tmp/help" 2>&1
grep -q '^Utilisation' "$tmp/help" && grep -q '^Commandes' "$tmp/help" &&
	grep -q 'Joue un scénario' "$tmp/help"
ok $? "facteur --help --lang fr is French"
"$F" --lang fr --help >"$tmp/help" 2>&1
grep -q "L'écran de classe" "$tmp/help"
ok $? "facteur --lang fr --help (the home screen's options) is French"
LANGUAGE=fr "$F" --help >"$tmp/help" 2>&1
grep -q '^Utilisation' "$tmp/help" && grep -q 'Décode un fichier de capture' "$tmp/help"
ok $? "LANGUAGE=fr facteur --help is French"
"$F" --help --lang en >"$tmp/help" 2>&1
grep -q '^Usage: facteur' "$tmp/help" && grep -q 'Play a scenario' "$tmp/help"
ok $? "facteur --help --lang en is English"
LANGUAGE=fr "$F" --help --lang en >"$tmp/help" 2>&1
grep -q '^Usage: facteur' "$tmp/help"
ok $? "--lang en overrides LANGUAGE=fr"
"$F" --help >"$tmp/help" 2>&1
grep -q '^Usage: facteur' "$tmp/help"
ok $? "facteur --help without a language is English under C.UTF-8"
"$F" serve --help --lang fr >"$tmp/help" 2>&1
grep -q "Adresse d'écoute" "$tmp/help" && grep -q -- '--data=RÉP' "$tmp/help"
ok $? "facteur serve --help --lang fr: options and their arguments in French"

# An unknown language is a usage error.
"$F" play 05-pop3-dele-rset-quit --lang xx >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'xx' "$tmp/err"
ok $? "facteur play --lang xx exits 2 and names the language"
"$F" decode --lang de "$top/tests/captures/pop3-dele-rset-quit.pcap" >/dev/null 2>&1
[ $? -eq 2 ]
ok $? "facteur decode --lang de exits 2"

echo "1..$n"
