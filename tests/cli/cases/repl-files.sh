# capture, source, --pcap: pcap files tshark reads back.
printf '%s\n' 'listen b 80' 'connect a b:80' > setup.txt
printf 'print("a script, in " .. now() .. " ms")\nc = a:connect(b, 80)\nrun()\nprint(c.state)\n' > setup.lua
printf '%s\n' 'source setup.txt' 'source setup.lua' 'capture out.pcap' 'source nosuch.txt' \
  'capture /nonexistent-folder/x.pcap' | stacklab
tshark -r out.pcap -T fields -e frame.number -e _ws.col.Protocol 2>/dev/null | wc -l
stacklab --pcap rec.pcap -c 'listen b 80; connect a b:80; send a1 hi; close a1'
tshark -r rec.pcap -Y 'tcp' -T fields -e tcp.flags.str 2>/dev/null | wc -l
# A folder, a device without end, a folder named like a script: one error each.
mkdir folder.lua
printf '%s\n' 'source .' 'source /dev/zero' 'source folder.lua' 'lesson .' 'hosts' | stacklab
stacklab folder.lua
# Lines that come from Lua's cmd() or from a lesson follow Lua's rule
# (SPEC section 5): no file outside the working folder unless --unsafe.
stacklab -e 'cmd("capture ../escape.pcap")'
stacklab -e 'print(cmd("capture inside.pcap"))'
stacklab -e 'cmd("source /etc/hostname")'
stacklab -e 'cmd("lesson /etc/hostname")'
printf -- '---\nid: x\ntitle: X\nseed: 1\n---\n\n```stacklab\nstacklab> capture ../escape.pcap\n```\n' > escape.md
stacklab check escape.md
ls ../escape.pcap 2>/dev/null | wc -l
stacklab --unsafe -e 'print(cmd("capture ../unsafe-ok.pcap"))'
rm -f ../unsafe-ok.pcap
