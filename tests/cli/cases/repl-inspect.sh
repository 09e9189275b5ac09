# The views: state, tcb, trace, ladder, why, show, layers, diagram, arp, hosts.
printf '%s\n' 'isn a 1000' 'isn b 5000' 'listen b 80' 'connect a b:80' 'send a1 "hi"' 'close a1' \
  'hosts' 'arp a' 'arp b' 'state' 'tcb a1' 'tcb b2' 'tcb b1' 'trace' 'trace 3' 'ladder' 'ladder all' \
  'ladder --mermaid' 'why 5' 'why 1' 'show 5' 'layers 5' 'layers 3' 'diagram' 'diagram a1' \
  'set relseq off' 'trace 4' 'state' | stacklab
