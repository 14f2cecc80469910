#!/bin/sh
# The store is a real Maildir: Python's mailbox module and mutt (in tmux)
# read the demo data that `facteur serve` creates on first use. Prints TAP.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
F=${FACTEUR:?}
tmp=$(mktemp -d)
sock="facteur-maildir-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

"$F" serve --data "$tmp/d" --smtp-port 0 --pop3-port 0 --imap-port 0 --port-file "$tmp/ports" >"$tmp/out" 2>&1 &
pid=$!
i=0
while [ ! -s "$tmp/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid
ok $? "facteur serve created the store and stopped cleanly on SIGTERM"

python3 - "$tmp/d" <<'PY'
import mailbox, sys, email.header
root = sys.argv[1]
md = mailbox.Maildir(root + "/alice/Maildir", factory=None, create=False)
subjects = sorted(str(email.header.make_header(email.header.decode_header(m["Subject"]))) for m in md)
assert len(subjects) == 6, subjects
assert "Projets" in md.list_folders(), md.list_folders()
assert len(md.get_folder("Projets")) == 2
flags = sorted(m.get_flags() for m in md)
assert "FS" in flags and "" in flags, flags
print("# " + " | ".join(subjects))
PY
ok $? "Python's mailbox.Maildir reads alice's INBOX (6 messages, flags) and the Projets folder"

if command -v mutt >/dev/null 2>&1 && command -v tmux >/dev/null 2>&1; then
	tmux -L "$sock" new-session -d -x 120 -y 20 \
		"mutt -n -R -F /dev/null -e 'set folder=$tmp/d/alice/Maildir' -f $tmp/d/alice/Maildir"
	found=1
	i=0
	while [ $i -lt 50 ]; do
		if tmux -L "$sock" capture-pane -p 2>/dev/null | grep -q "Bienvenue au cours de messagerie"; then
			found=0
			break
		fi
		sleep 0.2
		i=$((i + 1))
	done
	tmux -L "$sock" capture-pane -p | sed 's/^/# /'
	ok $found "mutt opens alice's Maildir and lists the demo mail"
else
	n=$((n + 1))
	echo "ok $n - mutt opens alice's Maildir # SKIP mutt or tmux not installed"
fi
echo "1..$n"
exit $fail
