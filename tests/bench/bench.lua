-- make bench, Lua part: building and serialising packets through the layer
-- API. Runs with --unsafe for os.clock (CPU time). As in bench.c, each
-- rate is the median of five equal rounds, shown with the slowest and the
-- fastest round, because a rate swings from run to run on a shared machine.
local ROUNDS = 5

local function figure(name, rates, unit, target)
  table.sort(rates)
  print(string.format("%-34s %14.0f %-12s %-40s median of %d, %.0f to %.0f", name,
    rates[(#rates + 1) // 2], unit, target, #rates, rates[1], rates[#rates]))
end

-- rounds(n, body): the rate of body(i) for i = 1..n, in each of ROUNDS rounds.
local function rounds(n, body)
  local rates = {}
  for _ = 1, ROUNDS do
    local t0 = os.clock()
    body(n)
    rates[#rates + 1] = n / (os.clock() - t0)
  end
  return rates
end

local total = 0
local per_round = 400000
local rates = rounds(per_round, function(n)
  for i = 1, n do
    local p = Ether{} / IPv4{dst="10.0.0.2"} / TCP{dport=80, flags="S", seq=i}
    total = total + #p:bytes()
  end
end)
assert(total == ROUNDS * per_round * 54)
figure("lua_build_serialize_syn", rates, "packets/s", "(target >= 500000)")

local bytes = (Ether{} / IPv4{} / TCP{dport=80, flags="S", mss=1460}):bytes()
total = 0
rates = rounds(per_round, function(n)
  for _ = 1, n do
    local p = decode(bytes)
    total = total + p.tcp.mss
  end
end)
assert(total == ROUNDS * per_round * 1460)
figure("lua_decode_read_field", rates, "packets/s", "")
