# Sockets in auto mode: each command that sends runs the world and prints its events.
printf '%s\n' 'listen b 80' 'connect a b:80' 'send a1 "hello, b"' 'recv b2' 'recv b2' \
  'send b2 hex:6f6b0a' 'recv a1' 'close a1' 'send b2 still sending after a closed' 'recv a1' \
  'close b2' 'recv a1' 'state' 'ping a b' 'udp a b:53 "anyone?"' 'abort b1' 'state b' | stacklab
# A host cannot reach its own address (no loopback): one error each, and
# nothing goes on the wire.
stacklab -c 'listen a 80; connect a a:80; ping a a; trace' -e 'print(pcall(a.ping, a, a))' -e 'print(pcall(a.connect, a, a, 80))'
