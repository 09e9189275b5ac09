#!/bin/sh
# Runs each fuzz target for a while from its seed corpus (tests/fuzz/corpus/
# NAME) and writes "PASSED FAILED" to FB/counts: a target passes when it
# finds nothing. LIMIT is a number of seconds per target, or runs:N for N
# executions per target (the long runs of `make fuzz-long`).
# Timed runs (make test's) start from the fixed seed FUZZ_SEED (1 unless
# set), so that a finding there can be replayed: a slower machine runs a
# shorter stretch of the same sequence. Long runs use a fresh seed each
# time unless FUZZ_SEED is set, to go where the timed runs do not.
#   tests/fuzz/run.sh build/fuzz LIMIT "frame repl ..."
set -u
FB=$(mkdir -p "$1" && cd "$1" && pwd)
LIMIT=$2
TARGETS=$3
case $LIMIT in
runs:*) limit_opt="-runs=${LIMIT#runs:}"; what="${LIMIT#runs:} executions"; seed=${FUZZ_SEED:-} ;;
*) limit_opt="-max_total_time=$LIMIT"; what="$LIMIT s"; seed=${FUZZ_SEED:-1} ;;
esac
seed_opt=${seed:+-seed=$seed}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
echo "== $FB: fuzzing, $what per target${seed:+, seed $seed}"
for t in $TARGETS; do
	mkdir -p "$FB/corpus/$t" "$FB/artifacts"
	seeds="$here/corpus/$t"
	[ -d "$seeds" ] || seeds=""
	log="$FB/fuzz_$t.log"
	ASAN_OPTIONS="abort_on_error=1:detect_leaks=1" \
		"$FB/fuzz_$t" "$limit_opt" $seed_opt -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$FB/artifacts/$t-" "$FB/corpus/$t" $seeds > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	corpus=$(ls "$FB/corpus/$t" | wc -l)
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1))
		printf '  fuzz_%-10s ok, %s runs, corpus %s inputs\n' "$t" "${runs:-?}" "$corpus"
	else
		failed=$((failed + 1))
		printf '  fuzz_%-10s FAIL (see %s):\n' "$t" "$log"
		grep -E 'ERROR|SUMMARY|==[0-9]+==|#[0-9]+ |^Test unit written' "$log" | head -n 20
	fi
done
echo "$passed $failed" > "$FB/counts"
echo "== $FB: $passed passed, $failed failed"
