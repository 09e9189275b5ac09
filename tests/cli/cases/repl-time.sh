# Step mode: nothing moves until step, run or wait.
printf '%s\n' 'set mode step' 'listen b 80' 'connect a b:80' 'wire' 'step' 'wire' 'step 2' 'time' \
  'run' 'run' 'send a1 "x"' 'step' 'wait 15' 'time' 'close a1' 'run 100' 'state' 'wait 60000' 'state a' \
  'step' | stacklab
