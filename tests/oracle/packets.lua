-- The tshark oracle's packets: one of every kind stacklab builds, written
-- to a pcap file, and stacklab's own decoding of each printed in the format
-- `tshark -T fields -E occurrence=f` uses, so that the two can be compared
-- line by line.
--   stacklab packets.lua good.pcap bad.pcap FIELDS_FILE
-- good.pcap holds only valid frames; bad.pcap holds frames with wrong
-- checksums on purpose (their checksum states must agree with tshark's).

local good_path, bad_path, fields_path = arg[1], arg[2], arg[3]
assert(good_path and bad_path and fields_path, "usage: packets.lua GOOD.pcap BAD.pcap FIELDS")

local A, B = "02:00:00:00:00:0a", "02:00:00:00:00:0b"

local good = {
  Ether{dst="ff:ff:ff:ff:ff:ff"} / ARP{},
  Ether{src=B, dst=A} / ARP{op=2, sha=B, spa="10.0.0.2", tha=A, tpa="10.0.0.1"},
  Ether{} / IPv4{} / ICMP{id=0x1234, seq=7} / "abcdefgh",
  Ether{src=B, dst=A} / IPv4{src="10.0.0.2", dst="10.0.0.1"} / ICMP{type=0, id=0x1234, seq=7} / "abcdefgh",
  Ether{src=B, dst=A} / IPv4{src="10.0.0.2", dst="10.0.0.1"} / ICMP{type=3, code=3}
    / IPv4{} / UDP{sport=40000, dport=40001} / "quoted",
  Ether{} / IPv4{} / UDP{sport=40000, dport=40001} / "hello, udp",
  Ether{} / IPv4{} / UDP{sport=40000, dport=40001, csum=0} / "no checksum",
  Ether{} / IPv4{df=true} / TCP{sport=49152, dport=5001, seq=1000, mss=1460},
  Ether{src=B, dst=A} / IPv4{src="10.0.0.2", dst="10.0.0.1", df=true}
    / TCP{sport=5001, dport=49152, seq=5000, ack=1001, flags="SA", mss=1460, sackok=true,
          tsval=100, tsecr=0, wscale=7},
  Ether{} / IPv4{df=true} / TCP{sport=49152, dport=5001, seq=1001, ack=5001, flags="A"},
  Ether{} / IPv4{df=true} / TCP{sport=49152, dport=5001, seq=1001, ack=5001, flags="PA"} / "twelve bytes",
  Ether{} / IPv4{df=true} / TCP{sport=49152, dport=5001, seq=1013, ack=5001, flags="FA"},
  Ether{} / IPv4{} / TCP{sport=49152, dport=5001, seq=1014, flags="R", win=0},
  Ether{src=B, dst=A} / IPv4{src="10.0.0.2", dst="10.0.0.1"}
    / TCP{sport=5001, dport=49152, seq=0, ack=1015, flags="RA", win=0},
  Ether{} / IPv4{} / TCP{sport=49152, dport=5001, seq=1001, ack=5001, flags="A",
                         sack="6001-7001,8001-9001", tsval=200, tsecr=100},
  Ether{} / IPv4{} / TCP{sport=49152, dport=5001, seq=1001, ack=5001, flags="PAU", urp=1} / "!",
  Ether{} / IPv4{} / TCP{sport=49152, dport=5001, seq=4294967290, ack=4294967295, flags="PA"} / "wraps",
  Ether{} / IPv4{tos=0x10, ttl=1, id=0xbeef} / UDP{sport=40000, dport=40001} / "low ttl",
  Ether{} / IPv4{opts="hex:94040000"} / UDP{sport=40000, dport=40001} / "router alert",
  Ether{} / IPv4{id=77, frag=185} / "a later fragment",
  decode((Ether{dst="ff:ff:ff:ff:ff:ff"} / ARP{tpa="10.0.0.9"}):bytes() .. string.rep("\0", 18)),
}

local bad = {
  Ether{} / IPv4{csum=0x1234} / UDP{sport=40000, dport=40001} / "bad ip",
  Ether{} / IPv4{} / TCP{sport=49152, dport=5001, csum=0x1234},
  Ether{} / IPv4{} / UDP{sport=40000, dport=40001, csum=0x1234} / "bad udp",
  Ether{} / IPv4{} / ICMP{csum=0x1234} / "bad icmp",
}

-- tshark's checksum status numbers: Bad 0, Good 1, Unverified 2, Not present 3.
local status_number = { incorrect = 0, correct = 1, unverified = 2, none = 3 }

local function hex(n, digits) return n and string.format("0x%0" .. digits .. "x", n) or "" end
local function num(v) if v == nil then return "" end; return tostring(v) end
local function bit(v) if v == nil then return "" end; return v and "1" or "0" end

local flag_bits = { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32, ECE = 64, CWR = 128 }
local function flags_number(s)
  local n = 0
  for w in s:gmatch("[^,]+") do n = n + flag_bits[w] end
  return n
end

-- The layers of a decoded packet up to an ICMP error; the quoted ones after.
local function split(p)
  local outer, quoted = {}, {}
  local into = outer
  for i = 1, #p:layers() do
    local l = p:layer(i)
    if into[l.name] == nil then into[l.name] = l end
    if l.name == "icmp" and (l.type == 3 or l.type == 11 or l.type == 12) then into = quoted end
  end
  return outer, quoted
end

-- The same names, in the same order, for tshark -e.
local names = [[
frame.len eth.src eth.dst eth.type
arp.opcode arp.src.hw_mac arp.src.proto_ipv4 arp.dst.hw_mac arp.dst.proto_ipv4
ip.version ip.hdr_len ip.dsfield ip.len
ip.id ip.flags.rb ip.flags.df ip.flags.mf
ip.frag_offset ip.ttl ip.proto ip.checksum
ip.checksum.status ip.src ip.dst
icmp.type icmp.code icmp.checksum
icmp.checksum.status icmp.ident icmp.seq
udp.srcport udp.dstport
udp.length udp.checksum udp.checksum.status
tcp.srcport tcp.dstport tcp.seq tcp.ack
tcp.hdr_len tcp.flags tcp.window_size_value
tcp.checksum tcp.checksum.status tcp.urgent_pointer
tcp.options.mss_val tcp.options.wscale.shift tcp.options.timestamp.tsval tcp.options.timestamp.tsecr
tcp.options.sack_le tcp.options.sack_re
tcp.len data.len
]]
local nfields = select(2, names:gsub("%S+", ""))

local function fields_of(p)
  local o, q = split(p)
  -- tshark shows the outer IPv4 header first, and a UDP header whether
  -- outer or quoted in an ICMP error.
  local e, a, ip, ic, u, t = o.eth, o.arp, o.ip, o.icmp, o.udp or q.udp, o.tcp
  local echo = ic and (ic.type == 0 or ic.type == 8)
  local data = #p.payload > 0 and #p.payload or nil
  local v = {
    #p, e.src, e.dst, hex(e.type, 4),
    a and num(a.op), a and a.sha, a and a.spa, a and a.tha, a and a.tpa,
    ip and num(ip.version), ip and num(ip.ihl * 4), ip and hex(ip.tos, 2), ip and num(ip.len),
    ip and hex(ip.id, 4), ip and bit(ip.rf), ip and bit(ip.df), ip and bit(ip.mf),
    ip and num(ip.frag), ip and num(ip.ttl), ip and num(ip.proto), ip and hex(ip.csum, 4),
    ip and num(status_number[ip.csum_status]), ip and ip.src, ip and ip.dst,
    ic and num(ic.type), ic and num(ic.code), ic and hex(ic.csum, 4),
    ic and num(status_number[ic.csum_status]), echo and num(ic.id), echo and num(ic.seq),
    u and num(u.sport), u and num(u.dport),
    u and num(u.len), u and hex(u.csum, 4), u and num(status_number[u.csum_status]),
    t and num(t.sport), t and num(t.dport), t and num(t.seq), t and num(t.ack),
    t and num(t.off * 4), t and hex(flags_number(t.flags), 4), t and num(t.win),
    t and hex(t.csum, 4), t and num(status_number[t.csum_status]), t and num(t.urp),
    t and num(t.mss), t and num(t.wscale), t and num(t.tsval), t and num(t.tsecr),
    t and t.sack and t.sack:match("^(%d+)"), t and t.sack and t.sack:match("^%d+%-(%d+)"),
    t and num(#p.payload), data and num(data),
  }
  local out = {}
  for i = 1, nfields do out[i] = v[i] or "" end
  return table.concat(out, "|")
end

local f = assert(io.open(fields_path, "w"))
f:write(names)
f:close()

local function write(path, list)
  pcap.write(path, list)
  for _, p in ipairs(list) do print(fields_of(decode(p:bytes()))) end
end
write(good_path, good)
print("--")
write(bad_path, bad)
