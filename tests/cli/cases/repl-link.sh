# Link faults: drop, delay, dup, loss, rules, clear.
printf '%s\n' 'isn a 1000' 'isn b 5000' 'listen b 80' 'drop next b>a SYN,ACK' 'delay next a>b . 500' \
  'dup next a>b PA' 'rules' 'connect a b:80' 'wait 2000' 'send a1 "twice"' 'recv b2' 'rules' \
  'loss 50' 'rules' 'clear' 'rules' 'set mode step' 'send a1 "gone"' 'wire' 'drop 1' 'wire' 'drop 1' \
  'wait 1500' 'trace 6' | stacklab
# A rule from a host to itself could never match: an error, not a rule.
stacklab -c 'drop next a>a SYN; delay next b>b 10; rules'
