#!/bin/sh
# facteur capture: live on lo as root (text, -w FILE that tcpdump and
# facteur decode read back), and the one-line refusal for a normal user.
# Prints TAP.
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
F=${FACTEUR:?}
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# A tiny SMTP exchange on 127.0.0.1:PORT between two Python sockets.
traffic() {
	python3 - "$1" <<'PY'
import socket, sys, threading
port = int(sys.argv[1])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(1)
def serve():
    c, _ = s.accept()
    f = c.makefile("rb")
    c.sendall(b"220 test.example.org ESMTP\r\n")
    for line in f:
        if line.upper().startswith(b"QUIT"):
            c.sendall(b"221 2.0.0 Bye\r\n")
            break
        c.sendall(b"250 2.0.0 Ok\r\n")
    c.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", port))
f = c.makefile("rb")
f.readline()
for cmd in (b"EHLO client.example.org\r\n", b"NOOP\r\n", b"QUIT\r\n"):
    c.sendall(cmd)
    f.readline()
c.close()
t.join()
PY
}

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
if [ "$(id -u)" -eq 0 ]; then
	"$F" capture --port "smtp=$port" -w "$tmp/live.pcap" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	# Wait for the capture to be ready (it says so on stderr).
	i=0
	while [ $i -lt 50 ] && ! grep -q 'Ctrl-C' "$tmp/err"; do sleep 0.1; i=$((i + 1)); done
	traffic "$port"
	sleep 0.5
	kill "$pid"
	wait "$pid"
	ok $? "capture exits 0 on SIGTERM"
	grep -q "C> EHLO client.example.org" "$tmp/out" && grep -q "S< 221 2.0.0 Bye" "$tmp/out"
	ok $? "capture prints the client and server lines"
	grep -q "packets captured" "$tmp/err"
	ok $? "capture says how many packets it saw"
	tcpdump -r "$tmp/live.pcap" >/dev/null 2>&1
	ok $? "-w writes a pcap that tcpdump reads"
	"$F" decode --port "smtp=$port" "$tmp/live.pcap" >"$tmp/decoded"
	grep -q "C> NOOP" "$tmp/decoded"
	ok $? "-w file decodes with facteur decode"
else
	for t in exit text count tcpdump decode; do skip "live capture ($t)" "not root"; done
fi

# A normal user: one line saying capture is refused and how to allow it.
cp "$F" "$tmp/facteur"
chmod 755 "$tmp/facteur"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$tmp/facteur" capture >"$tmp/out" 2>"$tmp/err"
	rc=$?
else
	"$tmp/facteur" capture >"$tmp/out" 2>"$tmp/err"
	rc=$?
fi
[ "$rc" -eq 1 ]
ok $? "refused capture exits 1"
[ "$(wc -l <"$tmp/err")" -eq 1 ] && grep -q "setcap cap_net_raw,cap_net_admin+eip" "$tmp/err" &&
	grep -q "make setcap" "$tmp/err"
ok $? "refused capture: one line saying how to allow it"

"$F" capture --port smtp=notaport >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q "PROTO=PORT" "$tmp/err"
ok $? "a bad --port is a usage error"
echo "1..$n"
