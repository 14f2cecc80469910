#!/bin/sh
# The TUI's home screen through tmux: the lessons in order with their
# scenarios, reading a lesson, the help screen, switching language, resizing
# (80x24, too small, 200x60), quitting; nothing on stderr. Prints TAP.
. "$(dirname "$0")/lib/tui-tmux.sh"

start 100 30 "$F" --lang en
wait_for "Lesson 1 — The path of a message"
ok $? "home: the first lesson is listed with its title"
grep -qF "05-pop3-dele-rset-quit" "$screen" || wait_for "05-pop3-dele-rset-quit" 2
ok $? "home: the DELE/RSET/QUIT scenario is listed under its lesson"
l1=$(grep -nF "Lesson 1 —" "$screen" | cut -d: -f1)
l2=$(grep -nF "Lesson 2 —" "$screen" | cut -d: -f1)
[ -n "$l1" ] && [ -n "$l2" ] && [ "$l1" -lt "$l2" ]
ok $? "home: lessons in order"
wait_for "Free session" 2 || { keys End; wait_for "Free session" 5; }
ok $? "home: a free session is offered"
wait_for "Open a capture" 5
ok $? "home: opening a capture is offered"

keys Home
keys Enter
wait_for "The path of a message" 5 && wait_for "Lesson" 5 && wait_for "Esc back" 5
ok $? "Enter on a lesson opens its text"
keys Escape
wait_for "Choose with" 5
ok $? "Esc goes back to the home screen"

keys '?'
wait_for "Help" 5 && wait_for "ladder view" 2 && wait_for "switch French / English" 2
ok $? "? shows the help screen with every key"
keys Escape
wait_gone "switch French / English" 5
ok $? "Esc closes the help"

keys l
wait_for "Leçon 1 — Le chemin d'un message" 5
ok $? "l switches to French: the lessons are listed in French"
keys l
wait_for "Lesson 1 — The path of a message" 5
ok $? "l again: back to English"

resize 80 24
wait_for "Lesson 1 —" 5
ok $? "usable at 80x24"
resize 79 23
wait_for "too small" 5 && wait_for "80×24" 1
ok $? "below 80x24 a clear message asks for a larger terminal"
resize 200 60
wait_for "Lesson 6 —" 5 && wait_gone "too small" 2
ok $? "200x60: the panes are laid out again"

# The free session, on a fresh data directory with the demo mail.
keys End Up Enter
wait_for "free session" 10 && wait_for "alice — INBOX" 10
ok $? "the free session opens on the demo mail store"
keys c
wait_for "smtp, pop3 or imap" 5
keys pop3 Enter
wait_for "Connection t1 opened" 5 && wait_for "+OK" 10
ok $? "c opens a POP3 connection: the greeting is explained"
keys i
wait_for "Send (as is" 5
keys "USER alice" Enter
wait_for "C: USER alice" 10
keys i "PASS alicepass" Enter
wait_for "maildrop is locked" 10
keys i "DELE 2" Enter
wait_for "C: DELE 2" 10 && wait_for "✗ marked for deletion" 10
ok $? "i types commands on it: DELE 2 marks the message in the Mailbox pane"
keys Escape
wait_for "Choose with" 5
ok $? "Esc leaves the free session for the home screen"

keys q
wait_exit 10
ok $? "q on the home screen quits without asking"
grep -q "exit status 0" "$tmp/exit"
ok $? "exit status 0"
[ ! -s "$tmp/stderr" ]
ok $? "nothing written on stderr while the screen was up"
[ -s "$tmp/state/facteur/tui.log" ] || [ -f "$tmp/state/facteur/tui.log" ]
ok $? "the log file is \$XDG_STATE_HOME/facteur/tui.log"

finish
