#!/bin/sh
# The capture screen through tmux (facteur tui --pcap FILE) on a real POP3
# capture of Dovecot: conversation and packets, stepping one exchange at a
# time forward and back, the ladder view, the detail view, a file that is not
# a capture. Prints TAP.
. "$(dirname "$0")/lib/tui-tmux.sh"
pcap="$TOP/lessons/captures/pop3-dele-rset-quit.pcap"

start 120 36 "$F" tui --pcap "$pcap" --lang en
wait_for "exchange 1/" 10
ok $? "the capture screen opens on the first exchange"
wait_for "+OK Dovecot" 5 && wait_for "RFC 1939" 5
ok $? "the greeting is shown with its explanation"
wait_for "capture: pcap file" 2 && wait_for "C→S" 2 && wait_for "S→C" 2
ok $? "the Packets pane lists the TCP segments of the exchange"
wait_gone "USER bob" 1
ok $? "later exchanges are not shown yet"

keys Space Space Space
wait_for "exchange 4/" 5 && wait_for "USER bob" 5
ok $? "Space shows the next exchange, one at a time"
keys Left
wait_for "exchange 3/" 5
ok $? "← goes back one exchange"
keys r
wait_for "QUIT" 5
ok $? "r shows the whole capture"
keys Home
wait_for "exchange 1/" 5 && wait_gone "QUIT" 2
ok $? "Home goes back to the start"

keys Right Right Right Right Right
wait_for "exchange 6/" 5
keys v
wait_for "POP3 :110" 5 && wait_for "USER bob" 2 && wait_for "▶" 2 && wait_for "◀" 2
ok $? "the ladder view shows the client and server columns and labelled arrows"
keys Enter
wait_for "Details" 5 && wait_for "␍␊" 2 && wait_for "RFC 1939" 2
ok $? "Enter on an arrow opens its details with the raw bytes"
keys Escape v q
wait_exit 10 && grep -q "exit status 0" "$tmp/exit"
ok $? "q quits a capture without asking"
[ ! -s "$tmp/stderr" ]
ok $? "nothing on stderr"

printf 'not a capture\n' >"$tmp/bad.pcap"
"$F" tui --pcap "$tmp/bad.pcap" >"$tmp/out" 2>"$tmp/err" </dev/null
[ $? -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "bad.pcap" "$tmp/err"
ok $? "a file that is not a capture: exit 2 and one sentence naming it"
"$F" tui no-such-scenario >"$tmp/out" 2>"$tmp/err" </dev/null
[ $? -eq 2 ] && grep -q "no-such-scenario" "$tmp/err"
ok $? "an unknown scenario: exit 2 naming it"

finish
