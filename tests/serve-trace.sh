#!/bin/sh
# facteur serve --trace: the live annotated trace of the servers' traffic, by
# libpcap when permitted and by the in-process tap otherwise (one line says
# which, and how to allow capture). Prints TAP.
n=0
fail=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
F=${FACTEUR:?}
tmp=$(mktemp -d)
chmod 755 "$tmp"
user=facteurtrace$$
cleanup() {
	[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
	id "$user" >/dev/null 2>&1 && userdel -r "$user" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

# run_serve AS_USER OUT EXTRA: starts serve --trace, waits for its ports.
run_serve() {
	as=$1
	out=$2
	shift 2
	rm -f "$tmp/ports" "$tmp/u/ports"
	if [ -n "$as" ]; then
		mkdir -p "$tmp/u"
		chown "$as" "$tmp/u"
		runuser -u "$as" -- "$F" serve --trace --data "$tmp/u/d" --smtp-port 0 --pop3-port 0 \
			--imap-port 0 --port-file "$tmp/u/ports" "$@" >"$out" 2>"$out.err" &
		pid=$!
		i=0
		while [ ! -s "$tmp/u/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		pop3=$(sed -n 's/^pop3=//p' "$tmp/u/ports")
		return
	else
		"$F" serve --trace --data "$tmp/d" --smtp-port 0 --pop3-port 0 --imap-port 0 \
			--port-file "$tmp/ports" "$@" >"$out" 2>"$out.err" &
	fi
	pid=$!
	i=0
	while [ ! -s "$tmp/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	pop3=$(sed -n 's/^pop3=//p' "$tmp/ports")
}

stop_serve() {
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	pid=
	return $rc
}

run_serve "" "$tmp/root.txt"
curl -s "pop3://bob:bobpass@127.0.0.1:$pop3/1" >/dev/null
sleep 0.3
stop_serve
ok $? "serve --trace stops cleanly on SIGTERM"
if [ "$(id -u)" -eq 0 ]; then
	grep -q "libpcap" "$tmp/root.txt"
	ok $? "as root: the trace says it uses libpcap"
fi
grep -q "C> RETR 1" "$tmp/root.txt" && grep -q "RFC.1939" "$tmp/root.txt"
ok $? "the trace shows curl's RETR, explained with its RFC section"

run_serve "" "$tmp/json.txt" --json
curl -s "pop3://bob:bobpass@127.0.0.1:$pop3/1" >/dev/null
sleep 0.3
stop_serve
python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
assert any(e.get("verb") == "RETR" for e in events), "no RETR"
' "$tmp/json.txt"
ok $? "--json: stdout holds only JSON Lines, RETR among them"
grep -q "Demo accounts" "$tmp/json.txt.err"
ok $? "--json: the banner goes to stderr"

if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null && useradd -M -s /bin/sh "$user" 2>/dev/null &&
	runuser -u "$user" -- test -x "$F"; then
	run_serve "$user" "$tmp/user.txt"
	curl -s "pop3://bob:bobpass@127.0.0.1:$pop3/1" >/dev/null
	sleep 0.3
	stop_serve
	grep -q "tap" "$tmp/user.txt" && grep -q "setcap" "$tmp/user.txt"
	ok $? "as a normal user: one line says the tap is used and how to allow capture"
	grep -q "C> RETR 1" "$tmp/user.txt"
	ok $? "as a normal user: the trace still shows the conversation"
else
	skip "as a normal user: the tap fallback" "not root, no useradd, or $F not reachable by a normal user"
fi
echo "1..$n"
exit $fail
