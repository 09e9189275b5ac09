# A catalogue of bad lines: each gets exactly one error line, the world is
# left as it was, and the next good line works.
{
  printf '%s\n' 'listen b 80' 'connect a b:80'
  printf 'hosts\001\n'
  printf 'x%.0s' $(seq 1 100000); printf '\n'
  cat "$CASES/bad-lines.txt"
  printf '%s\n' 'state' 'send a1 "still works"' 'recv b2'
} > input.txt
"$STACKLAB" --lua-steps 2000000 < input.txt > out.txt 2> err.txt
echo "exit $?"
lines=$(( $(wc -l < "$CASES/bad-lines.txt") + 2 ))
errors=$(grep -c '^error: ' err.txt)
others=$(grep -vc '^error: ' err.txt)
echo "bad lines: $lines, error lines: $errors, other lines on stderr: $others"
grep '^error: ' err.txt | cut -c1-160
cat out.txt
