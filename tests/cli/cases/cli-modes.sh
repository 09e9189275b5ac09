# -c, -e, -i, --bail, scripts with arguments, seeds, colour.
stacklab -c 'listen b 80; connect a b:80; print("semi\;colon")'
stacklab -c 'bogus; 1+1'
stacklab --bail -c 'bogus; print("not reached")'
printf 'print(arg[1], arg[2], #arg)\n' > args.lua
stacklab args.lua one two
stacklab -e 'x = 5' -i <<'IN'
print(x * 2)
IN
stacklab --seed 2 -c 'connect a b:80' > s2a.txt; stacklab --seed 2 -c 'connect a b:80' > s2b.txt
cmp -s s2a.txt s2b.txt && echo "same seed, same output"
stacklab --seed 3 -c 'set relseq off; connect a b:80' > s3.txt; stacklab --seed 4 -c 'set relseq off; connect a b:80' > s4.txt
cmp -s s3.txt s4.txt || echo "another seed, another ISN"
stacklab --color=always -c 'hosts' | grep -c "$(printf '\033')"
NO_COLOR= stacklab --color=auto -c 'hosts' | grep -c "$(printf '\033')"
printf 'listen b 80\nnosuch\nhosts\n' | stacklab --bail
