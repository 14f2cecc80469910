#!/bin/sh
# The tracer's benchmark: a large synthetic capture of mixed SMTP, POP3 and
# IMAP sessions (bench/gen-capture.py, written to bench/out/, not committed),
# decoded by facteur (text and --json, output to /dev/null), by tshark with
# the mail dissectors and full detail, and read by tcpdump. Prints a table of
# the best wall time, CPU time and peak memory (/usr/bin/time -v) of each.
#
#   bench/run.sh [SIZE_MB] [RUNS]      defaults: 300 MB, 3 runs (tshark: 1 run)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
size=${1:-300}
runs=${2:-3}
out="$top/bench/out"
cap="$out/mail-${size}mb.pcap"
facteur="$top/build/facteur"

# The tools to compare with; installed when missing (Debian packages).
missing=""
command -v tshark >/dev/null || missing="$missing tshark"
command -v tcpdump >/dev/null || missing="$missing tcpdump"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "bench: installing$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing
	else
		echo "bench: needs$missing; run: sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi

make -C "$top" --no-print-directory -j2 build/facteur >/dev/null
mkdir -p "$out"
[ -f "$cap" ] || python3 "$top/bench/gen-capture.py" "$cap" "$size"
bytes=$(stat -c %s "$cap")
cat "$cap" >/dev/null # into the page cache, for every tool alike

# measure NAME RUNS COMMAND...: best of RUNS; prints "wall cpu rss_kb".
measure() {
	name=$1
	n=$2
	shift 2
	best=""
	i=0
	while [ "$i" -lt "$n" ]; do
		/usr/bin/time -v -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt"
		r=$(python3 - "$out/time.txt" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
def get(label):
    return re.search(re.escape(label) + r": (.*)", t).group(1).strip()
wall = get("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
secs = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(get("User time (seconds)")) + float(get("System time (seconds)"))
print(f"{secs:.2f} {cpu:.2f} {get('Maximum resident set size (kbytes)')}")
PY
)
		best=$(printf '%s\n%s\n' "$best" "$r" | sed '/^$/d' | sort -n | head -1)
		i=$((i + 1))
	done
	echo "$name $best"
}

{
	measure tcpdump "$runs" tcpdump -r "$cap" -w /dev/null
	measure facteur-text "$runs" "$facteur" decode --lang en "$cap"
	measure facteur-json "$runs" "$facteur" decode --json --lang en "$cap"
	measure tshark 1 tshark -r "$cap" -Y 'smtp||pop||imap||imf' -V
} >"$out/results.txt"

python3 - "$out/results.txt" "$bytes" "$cap" <<'PY'
import sys
rows = {l.split()[0]: l.split()[1:] for l in open(sys.argv[1]) if l.strip()}
mb = int(sys.argv[2]) / 1048576
wall = {k: float(v[0]) for k, v in rows.items()}
print(f"capture: {sys.argv[3]} ({mb:.0f} MB)\n")
print("| tool | wall (s) | CPU (s) | peak RSS (MB) | MB/s | facteur vs tshark | vs tcpdump |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for k in ("tcpdump", "facteur-text", "facteur-json", "tshark"):
    w, c, rss = rows[k]
    vs_t = f"{wall['tshark'] / float(w):.1f}× faster" if k.startswith("facteur") else ""
    vs_d = f"{float(w) / wall['tcpdump']:.1f}× its time" if k.startswith("facteur") else ""
    print(f"| {k} | {w} | {c} | {int(rss) / 1024:.1f} | {mb / max(float(w), 0.01):.0f} | {vs_t} | {vs_d} |")
PY
