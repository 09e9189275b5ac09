#!/bin/sh
# Adds up the counts of the normal and the sanitizer runs into the final
# line CI reads: "N passed, N failed".
passed=0
failed=0
for f in "$@"; do
	if [ -r "$f" ]; then
		read -r p q < "$f"
	else
		p=0
		q=1	# a run that did not finish counts as a failure
	fi
	passed=$((passed + p))
	failed=$((failed + q))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
