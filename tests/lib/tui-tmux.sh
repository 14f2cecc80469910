# Helpers for the TUI's tmux tests (tests/tui-*.sh), sourced, POSIX sh.
# Each script runs facteur in a detached tmux session of fixed size on its
# own server socket, sends keys, and polls the screen with capture-pane
# until the expected text appears (never a fixed sleep).
F=${FACTEUR:?FACTEUR must name the binary (tests/run.sh sets it)}
TOP=${FACTEUR_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
SOCK=facteur-tui-test-$$
n=0
fail=0
tmp=$(mktemp -d)
chmod 755 "$tmp"
screen="$tmp/screen.txt"

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
		if [ -s "$screen" ]; then sed 's/^/# | /' "$screen"; fi
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

tm() { tmux -L "$SOCK" "$@"; }

cleanup() {
	tm kill-server 2>/dev/null
	# tmux may leave its socket behind when the server ends with its last session.
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
	# KEEP_TMP=DIR keeps the run's files (screen, stderr, log) for a look.
	if [ -n "${KEEP_TMP:-}" ]; then cp -r "$tmp" "$KEEP_TMP"; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# start COLS ROWS COMMAND…: a detached session running COMMAND; stderr goes to $tmp/stderr.
start() {
	cols=$1
	rows=$2
	shift 2
	: >"$tmp/stderr"
	mkdir -p "$tmp/state" "$tmp/data" "$tmp/config"
	# The environment is given explicitly: a tmux server keeps its own.
	tm -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env LC_ALL=C.UTF-8 TERM=screen-256color NO_COLOR=1 HOME=$tmp \
XDG_STATE_HOME=$tmp/state XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config \
FACTEUR_DATADIR=${FACTEUR_DATADIR:-$TOP} FACTEUR_LOCALEDIR=${FACTEUR_LOCALEDIR:-} \
ASAN_OPTIONS=${ASAN_OPTIONS:-} LSAN_OPTIONS=${LSAN_OPTIONS:-} UBSAN_OPTIONS=${UBSAN_OPTIONS:-} \
$* 2>$tmp/stderr; echo \"exit status \$?\" >$tmp/exit; sleep 30"
}

capture() {
	tm capture-pane -p -t t >"$screen" 2>/dev/null
}

# wait_for TEXT [SECONDS]: 0 when the screen shows TEXT within the time.
wait_for() {
	limit=$(( ${2:-15} * 10 ))
	i=0
	while [ $i -lt $limit ]; do
		capture
		if grep -qF -- "$1" "$screen"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_gone TEXT [SECONDS]: 0 when the screen no longer shows TEXT.
wait_gone() {
	limit=$(( ${2:-15} * 10 ))
	i=0
	while [ $i -lt $limit ]; do
		capture
		if ! grep -qF -- "$1" "$screen"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_exit [SECONDS]: 0 when facteur has exited (its status is in $tmp/exit).
wait_exit() {
	limit=$(( ${1:-15} * 10 ))
	i=0
	while [ $i -lt $limit ]; do
		if [ -s "$tmp/exit" ]; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

keys() { tm send-keys -t t "$@"; }

resize() { tm resize-window -t t -x "$1" -y "$2"; }

# The line of the screen holding TEXT.
line_with() { grep -F -- "$1" "$screen" | head -1; }

finish() {
	echo "1..$n"
	exit $fail
}
