-- make bench, Lua part: building and serialising packets through the layer
-- API. Runs with --unsafe for os.clock (CPU time).
local function figure(name, value, unit, target)
  print(string.format("%-34s %14.0f %-12s %s", name, value, unit, target))
end

local n = 2000000
local t0 = os.clock()
local total = 0
for i = 1, n do
  local p = Ether{} / IPv4{dst="10.0.0.2"} / TCP{dport=80, flags="S", seq=i}
  total = total + #p:bytes()
end
local dt = os.clock() - t0
assert(total == n * 54)
figure("lua_build_serialize_syn", n / dt, "packets/s", "(target >= 500000)")

local bytes = (Ether{} / IPv4{} / TCP{dport=80, flags="S", mss=1460}):bytes()
n = 2000000
t0 = os.clock()
for i = 1, n do
  local p = decode(bytes)
  total = total + p.tcp.mss
end
dt = os.clock() - t0
figure("lua_decode_read_field", n / dt, "packets/s", "")
