-- A whole session for the tshark oracle: handshake, data both ways, a lost
-- segment and its retransmission by the timer, another repaired by fast
-- retransmit, random loss, teardown and TIME-WAIT.
-- Writes the capture to arg[1] and prints, for every TCP frame in the
-- trace, "seq|ack|len|flags" in the form tshark -T fields prints them.
local path = assert(arg[1], "usage: session.lua OUT.pcap")
local l = b:listen(80)
local c = a:connect(b, 80)
run()
local s = l:accept()
link:drop{from=a, to=b, count=1} -- a lost segment with more queued behind it:
c:send(string.rep("z", 8 * 1460)) -- duplicate ACKs, limited transmit, fast retransmit
run()
s:recv()
link:drop{from=a, to=b, count=1}
c:send(string.rep("a", 3000))   -- three segments, the first lost
run()
wait(3000)
s:recv()
s:send("a reply from b")
run()
c:recv()
link:loss(20)                  -- then random loss, seeded
for i = 1, 20 do
  c:send(string.rep(string.char(65 + i % 26), 700))
  run()
  wait(2000)
  s:recv()
end
link:loss(0)
wait(120000)
c:close() run() s:close() run()
wait(130000)
assert(c.state == "CLOSED" and s.state == "CLOSED", c.state .. " " .. s.state)
capture(path)

local bits = { FIN = 1, SYN = 2, RST = 4, PSH = 8, ACK = 16, URG = 32, ECE = 64, CWR = 128 }
for _, e in ipairs(trace()) do
  if e.kind == "frame" and e.proto == "tcp" and not e.dup then
    local f = 0
    for w in e.flags:gmatch("[^,]+") do f = f + bits[w] end
    print(string.format("%d|%d|%d|0x%04x", e.seq, e.ack, e.len, f))
  end
end
