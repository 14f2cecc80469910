#!/bin/sh
# The scenario screen through tmux, on the POP3 DELE/RSET/QUIT scenario:
# opened from the home screen, stepped until a message shows as marked for
# deletion in the Mailbox pane, RSET clearing the mark, QUIT removing the
# messages, stepping back, switching language, the ladder view, the detail
# view, the help, resizing, and quitting with a confirmation. Prints TAP.
. "$(dirname "$0")/lib/tui-tmux.sh"

start 160 48 "$F" --lang fr
wait_for "05-pop3-dele-rset-quit"
ok $? "home lists the scenario"
keys /
wait_for "Recherche" 5
keys "05-pop3-dele" Enter
keys Enter
wait_for "(05-pop3-dele-rset-quit)" 10
ok $? "Enter on the scenario opens the scenario screen"
wait_for "DELE ne fait que marquer" 5
ok $? "the Lesson pane shows the scenario's French summary"
wait_for "capture :" 5
ok $? "the Packets pane says how packets are captured (in French)"

keys Space
wait_for "Étape 1/7" 15 && wait_for "Bob se connecte" 5
ok $? "Space plays step 1: its number out of the total and its French narration"
wait_for "+OK" 10 && wait_for "USER bob" 5
ok $? "the Conversation pane shows the client's commands and the server's replies"
wait_for "bob — INBOX" 5 && wait_for "UIDVALIDITY" 2 && wait_for "UIDNEXT 4" 2
ok $? "the Mailbox pane shows bob's INBOX with UIDVALIDITY and UIDNEXT"
wait_for "3 messages" 5
ok $? "three messages in the mailbox"

keys l
wait_for "Bob logs in" 20 && wait_for "Step 1/7" 5
ok $? "l switches to English: the scenario is replayed to the same step in English"

keys Space
wait_for "Step 2/7" 15 && wait_for "DELE 1" 10
ok $? "step 2 sends DELE 1"
wait_for "✗ marked for deletion" 10
ok $? "the Mailbox pane shows message 1 marked for deletion"
mark=$(line_with "✗ marked for deletion")
case "$mark" in *"  1     1 "*) r=0 ;; *) r=1 ;; esac
ok $r "the mark is on message 1, UID 1"

keys Space
wait_for "Step 3/7" 15 && wait_for "IN-USE" 10
ok $? "step 3: the second session is refused with [IN-USE]"

keys Space
wait_for "Step 4/7" 15 && wait_for "RSET" 10 && wait_gone "✗ marked for deletion" 10
ok $? "step 4: RSET clears the mark"
wait_for "unmarked (RSET)" 5
ok $? "the Mailbox pane says what changed"

keys Space
wait_for "Step 5/7" 15 && wait_for "QUIT" 10 && wait_for "1 message," 10
ok $? "step 5: QUIT removes the two marked messages"
wait_gone "3 messages" 2
ok $? "only one message left"

keys Left
wait_for "Back at step 4" 20 && wait_for "Step 4/7" 5 && wait_for "3 messages" 5
ok $? "← steps back to step 4 (replayed): three messages again"

keys Space
wait_for "Step 5/7" 15 && wait_for "1 message," 10
ok $? "stepping forward again gives the same result"

keys v
wait_for "Ladder" 5 && wait_for "POP3 :" 5 && wait_for "▶" 2 && wait_for "◀" 2
ok $? "v shows the ladder view: columns and arrows"
grep -qF "c1 :" "$screen" && grep -qF "c2 :" "$screen"
ok $? "several connections as several columns"
keys v
wait_for "Conversation" 5
ok $? "v again: back to the conversation"

keys /
wait_for "Search:" 5
keys "USER bob" Enter
keys Enter
wait_for "Details" 5 && wait_for "␍␊" 5 && wait_for "Explanation" 2
ok $? "Enter opens the detail view: explanation and raw bytes with CRLF shown"
keys Escape
wait_gone "Details" 5
ok $? "Esc closes the detail view"

keys '?'
wait_for "run to the end" 5
ok $? "? lists the keys"
keys Escape
wait_gone "run to the end" 5

keys Tab
wait_for "[ Mailbox ]" 5
ok $? "Tab moves to the next pane (the Mailbox pane is now the focused one)"
keys BTab
wait_for "[ Conversation ]" 5
ok $? "Shift-Tab moves back"

keys z
wait_gone "Mailbox" 5
ok $? "z zooms the conversation to the whole screen"
keys z
wait_for "Mailbox" 5
ok $? "z again: every pane is back"

resize 80 24
wait_for "Conversation" 5 && wait_for "Mailbox" 2 && wait_for "Lesson" 2 && wait_for "Packets" 2
ok $? "80x24: the four panes fit"
resize 70 20
wait_for "too small" 5
ok $? "70x20: the screen asks for a larger terminal"
resize 200 60
wait_for "Mailbox" 5 && wait_gone "too small" 2
ok $? "200x60: laid out again"

keys q
wait_for "half-played" 5
ok $? "q asks before quitting a half-played scenario"
keys n
wait_gone "half-played" 5 && wait_for "Step 5/7" 2
ok $? "answering no keeps the scenario"
keys q
wait_for "half-played" 5
keys y
wait_exit 15
ok $? "answering yes quits"
grep -q "exit status 0" "$tmp/exit"
ok $? "exit status 0"
[ ! -s "$tmp/stderr" ]
ok $? "nothing written on stderr while the screen was up"

finish
