# The Lua packet API: building, layering, reading fields, views.
stacklab -e 'p = Ether{} / IPv4{} / TCP{dport=80, mss=1460}; print(p); print(p:show())'
stacklab -e 'p = Ether{} / IPv4{} / TCP{flags="PA", seq=1, ack=1} / "hello"; print(p:hexdump())'
stacklab -e 'print((Ether{} / IPv4{} / UDP{dport=40000} / "hi"):osi())'
stacklab -e 'print(Ether{} / ARP{})'
stacklab -e 'p = IPv4{} / TCP{}; p.tcp.seq = 4294967295; p.ip.ttl = 1; print(p.tcp.seq, p.ip.ttl, p.ip.csum, p.tcp.flags)'
stacklab -e 'p = decode((Ether{} / IPv4{} / TCP{}):bytes()); print(p.tcp.sport, p.ip.src, p.eth.dst, p.tcp.csum_status)'
stacklab -e 'p = Ether{} / IPv4{csum=0x1234} / ICMP{}; print(p:show())'
stacklab -e 'print(decode(unhex("02000000000b02000000000a0800450000")):show())'
