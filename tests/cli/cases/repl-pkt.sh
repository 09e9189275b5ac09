# The packet builder: layer by layer, fields given or left to default, sent from a host.
printf '%s\n' 'pkt show' 'pkt new' 'pkt eth dst=b' 'pkt ip ttl=1' 'pkt tcp dport=80 flags=S seq=100 mss=1460' \
  'pkt show' 'pkt hex' 'pkt send a' 'listen b 80' 'pkt send a' 'pkt set tcp flags=PA seq=101 ack=77' \
  'pkt data "hello"' 'pkt send a' 'pkt new' 'pkt eth' 'pkt ip csum=0xbeef' 'pkt icmp' 'pkt send a' \
  'pkt new' 'pkt eth' 'pkt arp op=1 tpa=b' 'pkt send a' 'arp b' | stacklab
# Before pkt new, and on the empty packet pkt new starts: two different errors.
stacklab -c 'pkt show; pkt new; pkt show; pkt data "hi"; pkt send a'
