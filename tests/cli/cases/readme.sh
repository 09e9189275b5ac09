# The session at the top of README.md is what stacklab really prints.
top=$(cd "$CASES/../../.." && pwd)
awk '/^\$ make run$/ {on=1; next} on && /^```/ {exit} on' "$top/README.md" > expected.txt
grep '^stacklab> ' expected.txt | sed 's/^stacklab> //' > commands.txt
# Run the commands one by one in one session, putting the prompt before each.
{
	while IFS= read -r line; do
		printf 'print("stacklab> %s")\n%s\n' "$line" "$line"
	done < commands.txt
} | "$STACKLAB" > actual.txt 2>&1
if cmp -s expected.txt actual.txt; then
	echo "README session: as printed"
else
	echo "README session differs:"
	diff expected.txt actual.txt
fi
