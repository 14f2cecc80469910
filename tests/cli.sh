#!/bin/sh
# The command line contract (docs/DESIGN.md): --help, --version, exit 2 with
# one sentence on stderr for an unknown command or option. Prints TAP.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
F=${FACTEUR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$F" --version >"$tmp/out" 2>&1
ok $? "--version exits 0"
grep -qE '^facteur [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out"
ok $? "--version prints 'facteur X.Y.Z'"

"$F" --help >"$tmp/out" 2>&1
ok $? "--help exits 0"
grep -q serve "$tmp/out"
ok $? "--help lists the serve command"

for cmd in $("$F" --help | awk '/^  [a-z]+ /{print $1}'); do
	"$F" "$cmd" --help >"$tmp/out" 2>&1
	ok $? "$cmd --help exits 0"
	grep -q "facteur $cmd" "$tmp/out"
	ok $? "$cmd --help shows its usage line"
	"$F" "$cmd" --no-such-option >"$tmp/out" 2>"$tmp/err"
	[ $? -eq 2 ]
	ok $? "$cmd with an unknown option exits 2"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q 'no-such-option' "$tmp/err"
	ok $? "$cmd: one line on stderr naming the option"
done

"$F" frobnicate >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ]
ok $? "unknown command exits 2"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q frobnicate "$tmp/err"
ok $? "unknown command: one sentence on stderr naming it"

"$F" --frobnicate >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ]
ok $? "unknown global option exits 2"

"$F" serve --smtp-port 70000 >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q -- '--smtp-port' "$tmp/err"
ok $? "serve rejects a bad port with exit 2 and names the option"

"$F" serve --lang xx >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'xx' "$tmp/err"
ok $? "an unknown --lang exits 2 and names it"

echo "1..$n"
exit $fail
