#!/bin/sh
# Runs each libFuzzer target of fuzz/ for a while (`make fuzz` calls it).
#   fuzz/run.sh BUILD_DIR SECONDS [TARGET…]
# TARGET filters by name ("pcap", "fuzz-smtp"); without one, every target.
# FUZZ_RUNS=N in the environment also stops each target after N executions.
# Each target starts from its committed seeds (fuzz/corpus/TARGET, read only)
# and from what earlier runs found (BUILD_DIR/corpus/TARGET, where new inputs
# go). A crash, leak or hang leaves its input in fuzz/crashes/ and makes the
# run fail; the log is BUILD_DIR/fuzz-logs/TARGET.log.
set -u
build=${1:-build-fuzz}
seconds=${2:-60}
if [ $# -ge 2 ]; then shift 2; else shift $#; fi
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1

export FACTEUR_DATADIR="$top"
export LC_ALL=C.UTF-8
export NO_COLOR=1
export G_SLICE=always-malloc
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$top/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The longest input worth trying: a few lines or a small message for the
# line parsers, a short capture for the pcap path.
max_len() {
	case "$1" in
	fuzz-imap-utf7) echo 256 ;;
	fuzz-smtp | fuzz-pop3 | fuzz-imap-command | fuzz-imap-response) echo 2048 ;;
	fuzz-mime | fuzz-imap-message | fuzz-scenario) echo 8192 ;;
	fuzz-pcap) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

mkdir -p fuzz/crashes "$build/fuzz-logs"
failed=0
ran=0
for bin in "$build"/fuzz/fuzz-*; do
	[ -x "$bin" ] || continue
	case "$bin" in *.o | *.d) continue ;; esac
	t=$(basename "$bin")
	if [ $# -gt 0 ]; then
		keep=0
		for f in "$@"; do
			case "$t" in *"$f"*) keep=1 ;; esac
		done
		[ "$keep" -eq 1 ] || continue
	fi
	ran=$((ran + 1))
	work="$build/corpus/$t"
	mkdir -p "$work"
	seeds="fuzz/corpus/$t"
	[ -d "$seeds" ] || seeds=
	dict=
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	log="$build/fuzz-logs/$t.log"
	# -timeout: an input that takes more than 10 s is a hang, reported as a crash.
	"$bin" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} -max_len="$(max_len "$t")" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 $dict \
		-artifact_prefix="fuzz/crashes/$t-" "$work" $seeds >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
	units=$(ls "$work" | wc -l)
	if [ "$rc" -eq 0 ]; then
		printf '%-22s %10s executions %6s/s  cov %5s  corpus %5s  ok\n' "$t" \
			"${execs:-?}" "${speed:-?}" "${cov:-?}" "$units"
	else
		failed=$((failed + 1))
		art=$(grep -oE "fuzz/crashes/$t-[a-z-]+[0-9a-f]*" "$log" | tail -1)
		why=$(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|property failed|runtime error|ERROR: libFuzzer' "$log")
		printf '%-22s %10s executions  CRASH %s\n  %s\n  log: %s\n' "$t" "${execs:-?}" \
			"${art:-?}" "$why" "$log"
	fi
done
[ "$ran" -gt 0 ] || {
	echo "fuzz/run.sh: no target built in $build/fuzz (make fuzz builds them)" >&2
	exit 2
}
if [ "$failed" -gt 0 ]; then
	echo "$failed target(s) crashed: inputs in fuzz/crashes/"
	exit 1
fi
echo "$ran targets, no crash"
