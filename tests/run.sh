#!/bin/sh
# Runs every test against one build folder and writes "PASSED FAILED" to
# B/counts: the cmocka suites, the command-line transcripts, the tshark
# oracle, and the lessons.
#   tests/run.sh build
set -u
B=${1:?usage: tests/run.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
case "$B" in
/*) BD=$B ;;
*) BD=$top/$B ;;
esac
export STACKLAB="$BD/stacklab"
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export NO_COLOR=1
export HOME="${TMPDIR:-/tmp}/stacklab-test-home.$$"
mkdir -p "$HOME"
passed=0
failed=0

count() { passed=$((passed + $1)); failed=$((failed + $2)); }

echo "== $B: unit suites"
for t in "$BD"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1	# crashed, or a sanitizer stopped it
	fi
	if [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | grep -v '^\[ \(RUN\|      OK\) ' | tail -n 40
	fi
	printf '  %-28s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
	count "$p" "$f"
done

# Runs a sub-runner whose last line is "N passed, N failed"; shows the rest.
subrun() {
	out=$("$@" 2>&1)
	printf '%s\n' "$out" | sed '$d'
	last=$(printf '%s\n' "$out" | tail -n 1)
	echo "  $last"
	set -- $last
	case "${1:-}" in
	*[!0-9]* | "") count 0 1 ;;
	*) count "$1" "${3:-1}" ;;
	esac
}

echo "== $B: command-line transcripts"
subrun sh "$here/cli/run.sh" "$STACKLAB"

echo "== $B: tshark oracle"
subrun sh "$here/oracle/run.sh" "$STACKLAB"

echo "== $B: the REPL in a terminal (tmux)"
subrun sh "$here/interactive/tmux.sh" "$STACKLAB"

if ls "$top"/lessons/*.md >/dev/null 2>&1; then
	echo "== $B: lessons"
	subrun "$STACKLAB" check "$top/lessons"
fi

rm -rf "$HOME"
echo "$passed $failed" > "$BD/counts"
echo "== $B: $passed passed, $failed failed"
