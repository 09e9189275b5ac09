#!/bin/sh
# Runs the tests under valgrind's memcheck and fails on any error it reports:
# every cmocka suite, the stacklab binary over every command-line transcript
# case, `stacklab check` over every lesson, one lesson at a time, and each
# fuzz target over its corpus (tests/fuzz/replay.c). A run passes when its
# own test passes and valgrind reports no error: no invalid access, no use
# of uninitialised memory, no memory definitely or indirectly lost. Memory
# still reachable at exit (readline's, Lua's) is not a leak.
# The tshark oracle and the tmux tests are left out: they test output, not
# memory, and the terminal test's timings do not survive valgrind.
#   tests/memcheck.sh build/memcheck       (what `make memcheck` runs)
# VALGRIND_EXTRA adds options to valgrind, e.g. VALGRIND_EXTRA=--track-origins=yes
# to learn where an uninitialised value came from.
set -u
B=${1:?usage: tests/memcheck.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
case "$B" in
/*) BD=$B ;;
*) BD=$top/$B ;;
esac
REAL="$BD/stacklab"
command -v valgrind >/dev/null 2>&1 || {
	echo "error: valgrind is missing (scripts/install-deps.sh memcheck installs it)" >&2
	exit 2
}
[ -x "$REAL" ] || { echo "error: no $REAL: build it first (make memcheck does)" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/stacklab-memcheck.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
logs="$work/logs"
mkdir -p "$logs" "$work/home" "$work/bin"
export NO_COLOR=1 HOME="$work/home"

# One log file per process; 97 is the exit status of a process valgrind
# found errors in (a transcript shows it as "[exit 97]").
VG="valgrind --error-exitcode=97 --leak-check=full --show-leak-kinds=definite,indirect \
--errors-for-leak-kinds=definite,indirect --num-callers=30 ${VALGRIND_EXTRA:-}"

# The transcripts call $STACKLAB; this stand-in runs the real one under
# valgrind, so that every invocation in a case is checked.
cat > "$work/bin/stacklab" <<EOF
#!/bin/sh
exec $VG --log-file="$logs/%p.log" "$REAL" "\$@"
EOF
chmod +x "$work/bin/stacklab"

passed=0
failed=0

# Looks at the logs of the last run: prints each one with errors in it (or
# with no summary: valgrind itself did not finish) and empties the folder.
# Returns non-zero when one had errors.
vg_clean() {
	bad=0
	for log in "$logs"/*.log; do
		[ -e "$log" ] || continue
		if ! grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
			bad=1
			grep -v -e '^==[0-9]*== *$' -e 'Memcheck, a memory error detector' -e 'Copyright (C)' \
				-e 'Using Valgrind' -e 'Parent PID' -e 'rerun with' "$log" | head -n 80
		fi
		rm -f "$log"
	done
	return $bad
}

# result NAME OK [DETAIL]: counts and prints one run.
result() {
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		printf '  %-36s ok\n' "$1"
	else
		failed=$((failed + 1))
		printf '  %-36s FAIL%s\n' "$1" "${3:+ ($3)}"
	fi
}

# judge NAME RC WHAT OUT: counts one run: valgrind's verdict first, then
# the exit status RC; a failure is called WHAT and shown with OUT.
judge() {
	why=""
	vg_clean || why="valgrind"
	if [ "$2" -ne 0 ] && [ -z "$why" ]; then
		why=$3
		printf '%s\n' "$4"
	fi
	result "$1" "$([ -z "$why" ]; echo $?)" "$why"
}

echo "== $B: unit suites under valgrind"
for t in "$BD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	out=$($VG --log-file="$logs/%p.log" "$t" 2>&1)
	rc=$?
	judge "$name" $rc "exit $rc" "$(printf '%s\n' "$out" | grep -v '^\[ \(RUN\|      OK\) ' | tail -n 40)"
done

echo "== $B: command-line transcripts under valgrind"
for c in "$here"/cli/cases/*.sh; do
	name=$(basename "$c" .sh)
	out=$(sh "$here/cli/run.sh" "$work/bin/stacklab" "$name" 2>&1)
	rc=$?
	judge "cli/$name" $rc "transcript differs" "$(printf '%s\n' "$out" | sed '$d')"
done

echo "== $B: lessons under valgrind"
for l in "$top"/lessons/*.md; do
	[ -e "$l" ] || continue
	name=$(basename "$l")
	out=$(cd "$work" && "$work/bin/stacklab" check "$l" 2>&1)
	rc=$?
	judge "lessons/$name" $rc "check failed" "$(printf '%s\n' "$out" | sed '$d')"
done

echo "== $B: fuzz corpora under valgrind"
# The seeds in the tree, and what the last fuzz run found (build/fuzz/corpus)
# when there is one. Absolute paths: a target may change folder.
for t in "$BD"/replay/replay_*; do
	[ -x "$t" ] || continue
	name=${t##*/replay_}
	set --
	for dir in "$here/fuzz/corpus/$name" "$top/build/fuzz/corpus/$name"; do
		for f in "$dir"/*; do
			[ -f "$f" ] && set -- "$@" "$f"
		done
	done
	out=$($VG --log-file="$logs/%p.log" "$t" "$@" 2>&1)
	rc=$?
	judge "fuzz/$name ($# inputs)" $rc "exit $rc" "$out"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
