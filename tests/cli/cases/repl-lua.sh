# Lua lines: expressions print, chunks continue over lines, cmd() runs commands.
printf '%s\n' '1 + 1' 'x = 6 * 7' 'x' 'for i = 1, 3 do' '  print(i)' 'end' 'local t = {' '1, 2,' '}' \
  'l = b:listen(80)' 'c = a:connect(b, 80)' 'c.state' 'run()' 'c.state, l:accept().state' \
  'out = cmd("state a")' 'print(#out > 0)' 'cmd("nosuch")' 'cmd("connect a b:99999")' \
  'ev = trace()[5]' 'ev.kind, ev.from, ev.to, ev.flags, ev.seq, ev.why' 'c:states()[2]' \
  'a.ip, b.mac, hosts.a == a' 'a:connect(b, 0)' 'link.latency' 'link.latency = 25' 'link.latency' \
  'os' 'io.popen' 'string.dump' 'load(string.char(27) .. "Lua")' 'print(io.open("/etc/passwd"))' | stacklab
