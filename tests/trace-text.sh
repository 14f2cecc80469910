#!/bin/sh
# The text output of facteur decode: client and server lines, explanations
# under them, colour on a terminal (a pseudo-terminal made by script(1)) and
# not with NO_COLOR or in a pipe, --packets, --lang, --help. Prints TAP.
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
F=${FACTEUR:?}
top=${FACTEUR_TOP:?}
cap="$top/tests/captures/smtp-multipart.pcap"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
esc=$(printf '\033[')

"$F" decode --lang en "$cap" >"$tmp/out"
ok $? "decode exits 0"
grep -q "^[0-9:.]* #1  C> mail FROM:<bob@example.org> size=3429$" "$tmp/out"
ok $? "a client line: time, connection, C>, the line as sent"
grep -q "^[0-9:.]* #1  S< 250 2.1.0 Ok  ([0-9.]* ms)$" "$tmp/out"
ok $? "a server line: S< and the time since its command"
grep -A1 "C> mail FROM" "$tmp/out" | tail -1 | grep -q "^ *↳ Starts a mail transaction"
ok $? "the explanation is under its line"
grep -q "= Bob Léger <bob@example.org>" "$tmp/out"
ok $? "RFC 2047 words decoded beside the raw header"
grep -q -- "--=_refcap_mixed_0001   (opens part 1)" "$tmp/out" && grep -q -- "--=_refcap_mixed_0001--   (closes the multipart)" "$tmp/out"
ok $? "boundary lines marked opening and closing"
! grep -qF "$esc" "$tmp/out"
ok $? "no colour in a pipe"

if command -v script >/dev/null; then
	env -u NO_COLOR script -qc "$F decode --lang en $cap" /dev/null >"$tmp/tty" </dev/null
	grep -qF "$esc" "$tmp/tty"
	ok $? "colour on a terminal"
	NO_COLOR=1 script -qc "$F decode --lang en $cap" /dev/null >"$tmp/tty" </dev/null
	! grep -qF "$esc" "$tmp/tty"
	ok $? "NO_COLOR turns colour off on a terminal"
	NO_COLOR= script -qc "$F decode --lang en $cap" /dev/null >"$tmp/tty" </dev/null
	grep -qF "$esc" "$tmp/tty"
	ok $? "an empty NO_COLOR does not (no-color.org)"
else
	for t in 1 2 3; do skip "colour on a terminal ($t)" "no script(1)"; done
fi

"$F" decode --packets --lang en "$cap" >"$tmp/out"
grep -q "tcp 40324 → 25 SYN$" "$tmp/out" && grep -q "tcp 25 → 40324 SYN ACK$" "$tmp/out"
ok $? "--packets shows the TCP segments"
"$F" decode --lang fr "$cap" >/dev/null
ok $? "--lang fr"
"$F" decode --help >"$tmp/out"
grep -q -- "--json" "$tmp/out" && grep -q -- "--port" "$tmp/out" && grep -q -- "--packets" "$tmp/out" && grep -q -- "--lang" "$tmp/out"
ok $? "decode --help lists its options"
"$F" decode >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ]
ok $? "decode without a file: exit 2, one line"
"$F" decode --port pop3=2600 --port imap=2601 "$cap" >/dev/null
ok $? "--port repeated"
echo "1..$n"
