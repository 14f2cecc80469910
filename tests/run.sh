#!/bin/sh
# Runs every test of facteur and ends with the line "N passed, N failed".
#   tests/run.sh BUILD_DIR [FILTER]
# GLib test programs ($BUILD/tests/test-*) speak TAP (--tap); so do the
# scripts tests/*.py and tests/*.sh. A program that dies without reporting
# counts as one failure.
set -u
build=${1:-build}
filter=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
export FACTEUR="$top/$build/facteur"
export FACTEUR_TOP="$top"
export FACTEUR_BUILD="$top/$build"
export FACTEUR_DATADIR="$top"
export FACTEUR_LOCALEDIR="$top/$build/locale"
export NO_COLOR=1
export LC_ALL=C.UTF-8
unset LANGUAGE
log="$top/$build/test-log.txt"
: >"$log"
passed=0
failed=0
skipped=0

run_one() {
	name=$1
	shift
	out=$(timeout 600 "$@" 2>>"$log")
	rc=$?
	printf '%s\n' "# $name" "$out" >>"$log"
	p=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+' || true)
	s=$(printf '%s\n' "$out" | grep -cE '^ok [0-9]+.*# (SKIP|skip)' || true)
	f=$(printf '%s\n' "$out" | grep -cE '^not ok [0-9]+' || true)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL $name: exited with status $rc" >&2
	fi
	printf '%s\n' "$out" | grep -E '^not ok' | sed "s|^|FAIL $name: |" >&2
	passed=$((passed + p - s))
	skipped=$((skipped + s))
	failed=$((failed + f))
	printf '%-40s %4d passed %4d failed %4d skipped\n' "$name" $((p - s)) "$f" "$s"
}

for t in "$top/$build"/tests/test-*; do
	[ -x "$t" ] || continue
	case "$t" in *.o | *.d) continue ;; esac
	n=$(basename "$t")
	[ -n "$filter" ] && case "$n" in *"$filter"*) ;; *) continue ;; esac
	run_one "$n" "$t" --tap
done
for t in "$top"/tests/*.py "$top"/tests/*.sh; do
	case "$t" in */run.sh) continue ;; esac
	[ -f "$t" ] || continue
	n=$(basename "$t")
	[ -n "$filter" ] && case "$n" in *"$filter"*) ;; *) continue ;; esac
	case "$t" in
	*.py) run_one "$n" python3 "$t" ;;
	*.sh) run_one "$n" sh "$t" ;;
	esac
done
[ "$skipped" -gt 0 ] && echo "($skipped skipped, see $log)"
[ "$failed" -gt 0 ] && echo "details: $log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
