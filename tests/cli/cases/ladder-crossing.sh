# The ladder draws segments that cross on the wire as RFC 9293 Figures 7
# and 12 do: leaving (ending in ...) and arriving (starting with ...).
# Simultaneous open, simultaneous close; then (still in step mode) data
# queued in SYN-SENT, a delayed segment and a lost ACK.
printf '%s\n' 'isn a 100' 'isn b 300' 'set mode step' 'connect a b:5000 sport=6000' \
  'connect b a:6000 sport=5000' 'run' 'close a1' 'close b1' 'run' 'ladder' 'reset' \
  'listen b 80' 'connect a b:80' 'delay next a>b PSH,ACK 300' 'send a1 "one"' 'send a1 "two"' \
  'drop next b>a ACK' 'wait 2000' 'ladder' | stacklab
