#!/bin/sh
# The TUI started by a normal user (created here, removed at the end): the
# scenario screen works, capture falls back to the in-process tap and the
# status line says so. Skipped when not root (no user can be created).
. "$(dirname "$0")/lib/tui-tmux.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v runuser >/dev/null; then
	skip "the TUI as a normal user" "not root: cannot create a user"
	finish
fi
user=ftui$$
if ! useradd -M -d "$tmp" -s /bin/sh "$user" 2>/dev/null; then
	skip "the TUI as a normal user" "useradd failed"
	finish
fi
trap 'cleanup; userdel "$user" 2>/dev/null' EXIT INT TERM
mkdir -p "$tmp/state" "$tmp/data" "$tmp/config"
chown "$user" "$tmp/state" "$tmp/data" "$tmp/config"
# The binary and the data must be readable by the user.
if ! runuser -u "$user" -- test -x "$F"; then
	skip "the TUI as a normal user" "$F is not reachable by a normal user"
	finish
fi

start 120 36 runuser -u "$user" -- "$F" tui 05-pop3-dele-rset-quit --lang en
wait_for "(05-pop3-dele-rset-quit)" 15
ok $? "a normal user opens the scenario screen"
wait_for "capture: tap" 10
ok $? "capture falls back to the tap, and the screen says so"
wait_for "Capture by the tap:" 5
ok $? "the status line says why libpcap was not used"
keys Space
wait_for "Step 1/7" 15 && wait_for "C: STAT" 10 && wait_for "3 messages" 10
ok $? "step 1 plays: conversation and mailbox"
keys q
wait_for "half-played" 5
keys y
wait_exit 15 && grep -q "exit status 0" "$tmp/exit"
ok $? "quits with status 0"
[ ! -s "$tmp/stderr" ]
ok $? "nothing on stderr"

finish
