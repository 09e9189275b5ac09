# Options and exit statuses of SPEC section 1.
stacklab --version
stacklab --bogus
stacklab --seed
stacklab --seed x
stacklab --color=sometimes
stacklab -e
stacklab no-such-script.lua
stacklab -e 'error("boom")'
stacklab -e 'print(1 +)'
stacklab -e 'print("first")' -e 'print("second")'
stacklab --lua-steps 100000 -e 'while true do end'
stacklab --lua-mem 16 -e 't = {} for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end'
