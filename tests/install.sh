#!/bin/sh
# make install PREFIX=…: the binary, the scenarios, the lessons and the
# catalogues land under PREFIX, and the installed binary finds them from
# anywhere. Prints TAP.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
top=${FACTEUR_TOP:?}
build=$(basename "${FACTEUR_BUILD:?}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$top" install BUILD="$build" PREFIX="$tmp/prefix" >"$tmp/log" 2>&1
ok $? "make install PREFIX=… succeeds"
[ -x "$tmp/prefix/bin/facteur" ] && [ -d "$tmp/prefix/share/facteur/scenarios/mail" ] &&
	[ -d "$tmp/prefix/share/facteur/lessons/fr" ]
ok $? "the binary, the scenarios with their mail and the lessons are installed"
if ls "$top"/po/*.po >/dev/null 2>&1; then
	[ -f "$tmp/prefix/share/locale/fr/LC_MESSAGES/facteur.mo" ]
	ok $? "the French catalogue is installed"
fi
cd "$tmp" || exit 1
unset FACTEUR_DATADIR FACTEUR_LOCALEDIR
"$tmp/prefix/bin/facteur" play --list >"$tmp/list" 2>&1 && grep -q 05-pop3-dele-rset-quit "$tmp/list"
ok $? "the installed binary finds its scenarios from another directory"
"$tmp/prefix/bin/facteur" play 05-pop3-dele-rset-quit --capture tap >"$tmp/play" 2>&1
ok $? "the installed binary plays a scenario with its message files"
if ls "$top"/po/*.po >/dev/null 2>&1; then
	"$tmp/prefix/bin/facteur" --lang fr --help >"$tmp/help" 2>&1
	LANGUAGE=fr "$tmp/prefix/bin/facteur" --help | grep -qi "commandes"
	ok $? "the installed binary speaks French with its installed catalogue"
fi
echo "1..$n"
exit $fail
