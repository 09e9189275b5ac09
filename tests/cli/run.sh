#!/bin/sh
# Command-line transcript tests. Each tests/cli/cases/NAME.sh is a list of
# stacklab invocations; what they print (stdout and stderr, then "[exit N]")
# must equal NAME.out. Cases run in an empty folder, with NO_COLOR set.
#   tests/cli/run.sh path/to/stacklab [NAME...]
#   UPDATE=1 tests/cli/run.sh ...      rewrite the .out files (then review the diff)
set -u
STACKLAB=${1:?usage: tests/cli/run.sh STACKLAB [NAME...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
export STACKLAB NO_COLOR=1 CASES="$here/cases"
passed=0
failed=0
if [ $# -eq 0 ]; then
	set -- $(cd "$here/cases" && ls *.sh | sed 's/\.sh$//')
fi
for name in "$@"; do
	work=$(mktemp -d)
	actual="$work/.actual"
	(
		cd "$work" || exit 1
		stacklab() { "$STACKLAB" "$@" 2>&1; echo "[exit $?]"; }
		. "$here/cases/$name.sh"
	) > "$actual" 2>&1
	if [ "${UPDATE:-}" = 1 ]; then
		cp "$actual" "$here/cases/$name.out"
	fi
	if cmp -s "$actual" "$here/cases/$name.out"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "  FAIL: cli/$name"
		diff -u "$here/cases/$name.out" "$actual" | head -n 40
	fi
	rm -rf "$work"
done
echo "$passed passed, $failed failed"
