#!/bin/sh
# A failed expectation in the TUI (tests/fixtures/tui-expectation-fails.scn):
# the Lesson pane shows it with what was expected and what came, Space does
# not go on, ← steps back, and the step can be played again. Prints TAP.
. "$(dirname "$0")/lib/tui-tmux.sh"

start 120 36 "$F" tui "$TOP/tests/fixtures/tui-expectation-fails.scn" --lang en
wait_for "(tui-expectation-fails)" 10
ok $? "a scenario file given by path opens"
keys Space
wait_for "Step 1/3" 15 && wait_for "C: USER bob" 10
keys Space
wait_for "Expectation failed" 15
ok $? "step 2: the Lesson pane says the expectation failed"
wait_for "(failed)" 2
line_with "Expectation failed" | grep -q -- "expected «-ERR»" &&
	line_with "Expectation failed" | grep -q "got «+OK"
ok $? "it shows what was expected (-ERR) and what came (+OK)"
wait_for "Step 2 failed" 2
ok $? "the status line says so too"
keys Space
wait_for "stopped at a failed expectation" 5 && wait_gone "Step 3/3" 1
ok $? "Space does not go past a failed step"
keys Left
wait_for "Back at step 1" 20 && wait_for "Step 1/3" 5 && wait_gone "Expectation failed" 5
ok $? "← steps back from the failure to step 1"
keys Space
wait_for "Expectation failed" 15
ok $? "playing step 2 again fails the same way"
keys q
wait_exit 10 && grep -q "exit status 0" "$tmp/exit"
ok $? "q quits a failed scenario without asking"
[ ! -s "$tmp/stderr" ]
ok $? "nothing on stderr"

finish
