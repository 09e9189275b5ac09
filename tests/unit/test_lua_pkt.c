/* The Lua packet API (SPEC section 5) and the sandbox it runs in, driven
 * through lua/lua_env.h as the REPL drives it. */
#include "testutil.h"

#include <limits.h>
#include <unistd.h>

#include "lua/lua_env.h"
#include "lua/lua_pkt.h"

static char dir[64], home[PATH_MAX];
static struct sbuf out = SBUF_INIT;

/* Each test runs in a fresh folder, which is the sandbox's working folder. */
static int enter_dir(void **state)
{
	(void)state;
	if (!getcwd(home, sizeof home))
		return -1;
	snprintf(dir, sizeof dir, "/tmp/stacklab-lua-XXXXXX");
	if (!mkdtemp(dir) || chdir(dir) != 0)
		return -1;
	return 0;
}

static int leave_dir(void **state)
{
	(void)state;
	static const char *const names[] = {"p.pcap", "ok.txt", "script.lua", "x.pcap", NULL};
	for (int i = 0; names[i]; i++)
		unlink(names[i]);
	if (chdir(home) != 0)
		return -1;
	sbuf_free(&out);
	return rmdir(dir);
}

static lua_State *new_state_with(long long steps, size_t mem)
{
	struct luaenv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.max_steps = steps;
	cfg.max_mem = mem;
	cfg.out = capture;
	cfg.out_ctx = &out;
	sbuf_reset(&out);
	lua_State *L = luaenv_new(&cfg);
	assert_non_null(L);
	return L;
}

static lua_State *new_state(void)
{
	return new_state_with(0, 0);
}

/* Runs a chunk that must succeed (its asserts included). */
static void run(lua_State *L, const char *code)
{
	struct err e;
	if (luaenv_run(L, code, strlen(code), "test", &e) != 0)
		fail_msg("chunk failed: %s\n  chunk: %s", e.msg, code);
}

/* Runs a chunk that must fail, with every word in its message. */
static void run_fails(lua_State *L, const char *code, const char *w1, const char *w2)
{
	struct err e;
	memset(&e, 0, sizeof e);
	if (luaenv_run(L, code, strlen(code), "test", &e) != -1)
		fail_msg("chunk did not fail: %s", code);
	assert_contains(e.msg, w1);
	if (w2)
		assert_contains(e.msg, w2);
}

static void test_lua_constructors_take_fields_by_name(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = TCP{sport=1234, dport=80, flags='SA', seq=5, ack=6, win=100}\n"
	       "assert(p.tcp.sport == 1234 and p.tcp.dport == 80 and p.tcp.seq == 5 and p.tcp.ack == 6)\n"
	       "assert(p.tcp.flags == 'SYN,ACK' and p.tcp.win == 100)\n"
	       "assert(#p == 20)");
	run(L, "for _, name in ipairs{'Ether', 'ARP', 'IPv4', 'IP', 'ICMP', 'UDP', 'TCP'} do\n"
	       "  local p = _G[name]{}\n"
	       "  assert(#p:layers() == 1, name)\n"
	       "  local q = _G[name]()\n"
	       "  assert(q:bytes() == p:bytes(), name)\n"
	       "end\n"
	       "assert(IP{}:layers()[1] == 'ip' and IPv4{}:layers()[1] == 'ip')\n"
	       "assert(Ether{}:layers()[1] == 'eth')");
	run(L, "a = ARP{op=2, sha='02:00:00:00:00:0b', spa='10.0.0.2'}\n"
	       "assert(a.arp.op == 2 and a.arp.sha == '02:00:00:00:00:0b' and a.arp.spa == '10.0.0.2')\n"
	       "i = ICMP{type=0, id=0x1234}\n"
	       "assert(i.icmp.type == 0 and i.icmp.id == 0x1234 and i.icmp.seq == 1)");
	luaenv_free(L);
}

static void test_lua_slash_layers_and_payload_strings(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{} / TCP{dport=80, mss=1460}\n"
	       "local l = p:layers()\n"
	       "assert(#l == 3 and l[1] == 'eth' and l[2] == 'ip' and l[3] == 'tcp')\n"
	       "assert(#p == 58)\n"
	       "assert(tostring(p) == '10.0.0.1 > 10.0.0.2 TCP 58 49152 > 80 [SYN] Seq=0 Win=65535 Len=0 MSS=1460')");
	run(L, "q = IPv4{} / UDP{} / 'hello'\n"
	       "assert(q.payload == 'hello' and q.data == 'hello')\n"
	       "r = q / ', world'\n"
	       "assert(r.payload == 'hello, world' and q.payload == 'hello')\n"
	       "z = UDP{} / 'a\\0b'\n"
	       "assert(#z.payload == 3 and #z == 11)\n"
	       "t = UDP{data='via the table'}\n"
	       "assert(t.payload == 'via the table')\n"
	       "q.payload = 'changed'\n"
	       "assert(q.payload == 'changed')\n"
	       "q.payload = nil\n"
	       "assert(q.payload == '')");
	/* '/' copies its left side: the operands stay as they were. */
	run(L, "a = Ether{} / IPv4{}\n"
	       "b = a / TCP{}\n"
	       "assert(#a:layers() == 2 and #b:layers() == 3)\n"
	       "b.ip.ttl = 1\n"
	       "assert(a.ip.ttl == 64)");
	luaenv_free(L);
}

static void test_lua_tcp_seq_reads_and_writes_up_to_2_to_the_32(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = IPv4{} / TCP{}\n"
	       "assert(p.tcp.seq == 0)\n"
	       "p.tcp.seq = 4294967295\n"
	       "assert(p.tcp.seq == 4294967295)\n"
	       "assert(p:bytes():sub(25, 28) == '\\xff\\xff\\xff\\xff')\n"
	       "p.tcp.ack = 0xfffffffe\n"
	       "assert(p.tcp.ack == 4294967294)");
	run_fails(L, "p.tcp.seq = 4294967296", "TCP field 'seq' (Sequence Number)", "from 0 to 4294967295");
	luaenv_free(L);
}

/* A float that holds a whole number is a whole number: 2^32 - 1 is the
 * float 4294967295.0 in Lua. */
static void test_lua_whole_floats_are_accepted_as_integers(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = TCP{dport=80.0}\n"
	       "assert(p.tcp.dport == 80 and math.type(p.tcp.dport) == 'integer')\n"
	       "p.tcp.seq = 2^32 - 1\n"
	       "assert(p.tcp.seq == 4294967295)\n"
	       "p.tcp.win = 1e3\n"
	       "assert(p.tcp.win == 1000)");
	run_fails(L, "p.tcp.seq = 2^32", "TCP field 'seq'", "from 0 to 4294967295");
	run_fails(L, "p.tcp.seq = 0.5", "TCP field 'seq' (Sequence Number) must be a whole number", "0.5");
	run_fails(L, "p.tcp.seq = 1e300", "TCP field 'seq'", NULL);
	run_fails(L, "p.tcp.seq = 0/0", "TCP field 'seq'", NULL);
	luaenv_free(L);
}

static void test_lua_addresses_are_strings(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{} / UDP{}\n"
	       "assert(p.ip.src == '10.0.0.1' and p.ip.dst == '10.0.0.2')\n"
	       "assert(p.eth.src == '02:00:00:00:00:0a' and p.eth.dst == '02:00:00:00:00:0b')\n"
	       "p.ip.src = '192.168.0.1'\n"
	       "assert(p.ip.src == '192.168.0.1')\n"
	       "assert(p:bytes():sub(27, 30) == '\\192\\168\\0\\1')\n"
	       "p.ip.dst = 0x0a000005\n"
	       "assert(p.ip.dst == '10.0.0.5')\n"
	       "p.eth.dst = 'ff:ff:ff:ff:ff:ff'\n"
	       "assert(p:bytes():sub(1, 6) == string.rep('\\255', 6))");
	run_fails(L, "p.ip.src = '10.0.0.256'", "IPv4 field 'src' (Source Address)", "an IPv4 address like 10.0.0.2");
	run_fails(L, "p.eth.dst = '02:00:00'", "Ethernet field 'dst' (Destination)", "a MAC address");
	luaenv_free(L);
}

static void test_lua_flags_are_strings_in_every_notation(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = TCP{}\n"
	       "assert(p.tcp.flags == 'SYN')\n"
	       "p.tcp.flags = 'SA'; assert(p.tcp.flags == 'SYN,ACK')\n"
	       "p.tcp.flags = 'F.'; assert(p.tcp.flags == 'FIN,ACK')\n"
	       "p.tcp.flags = 'psh+ack'; assert(p.tcp.flags == 'PSH,ACK')\n"
	       "p.tcp.flags = 0x04; assert(p.tcp.flags == 'RST')\n"
	       "p.tcp.flags = '.'; assert(p.tcp.flags == 'ACK')\n"
	       "p.tcp.flags = 'none'; assert(p.tcp.flags == '')");
	run_fails(L, "p.tcp.flags = 'XYZ'", "TCP field 'flags' (Flags)", "SYN,ACK");
	luaenv_free(L);
}

/* What a field reads as, it can be set to: "" is how no flags read. */
static void test_lua_no_flags_read_back_can_be_written_back(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = TCP{flags='none'}\n"
	       "q = TCP{}\n"
	       "q.tcp.flags = p.tcp.flags\n"
	       "assert(q.tcp.flags == '')\n"
	       "assert(q:bytes():byte(14) == 0)\n"
	       "r = TCP{flags=''}\n"
	       "assert(r.tcp.flags == '')");
	luaenv_free(L);
}

static void test_lua_every_field_read_can_be_written_back(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "local p = Ether{} / IPv4{opts='hex:94040000'} / TCP{mss=1460, sack='1-2', tsval=3, sackok=true, wscale=2}\n"
	       "local q = decode(p:bytes())\n"
	       "for _, layer in ipairs{'eth', 'ip', 'tcp'} do\n"
	       "  for _, f in ipairs(layer == 'eth' and {'dst','src','type'} or layer == 'ip' and\n"
	       "      {'version','ihl','tos','len','id','rf','df','mf','frag','ttl','proto','csum','src','dst','opts'} or\n"
	       "      {'sport','dport','seq','ack','off','res','flags','win','csum','urp','mss','wscale','sackok','tsval','tsecr','sack'}) do\n"
	       "    local v = q[layer][f]\n"
	       "    p[layer][f] = v\n"
	       "    assert(p[layer][f] == v, layer .. '.' .. f)\n"
	       "  end\n"
	       "end\n"
	       "assert(p:bytes() == q:bytes())");
	luaenv_free(L);
}

static void test_lua_nil_restores_the_default(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{ttl=1, csum=0x1234} / TCP{mss=1460, win=5}\n"
	       "assert(p.ip.ttl == 1 and p.ip.csum == 0x1234 and p.ip.csum_status == 'incorrect')\n"
	       "p.ip.ttl = nil\n"
	       "assert(p.ip.ttl == 64)\n"
	       "p.ip.csum = nil\n"
	       "assert(p.ip.csum ~= 0x1234 and p.ip.csum_status == 'correct')\n"
	       "p.tcp.mss = nil\n"
	       "assert(p.tcp.mss == nil and #p == 54)\n"
	       "p.tcp.win = nil\n"
	       "assert(p.tcp.win == 65535)\n"
	       "q = TCP{sport=nil}\n"
	       "assert(q.tcp.sport == 49152)\n"
	       "p.tcp.opts = 'hex:020405b4'\n"
	       "assert(p.tcp.mss == 1460 and #p == 58)\n"
	       "p.tcp.opts = nil\n"
	       "assert(p.tcp.mss == nil and #p == 54)");
	luaenv_free(L);
}

static void test_lua_decode_of_bytes_round_trips(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{df=true, ttl=7} / TCP{sport=5001, dport=49152, flags='SA', seq=5000, ack=1001,\n"
	       "    mss=1460, sackok=true, tsval=100, tsecr=0, wscale=7} / 'payload'\n"
	       "q = decode(p:bytes())\n"
	       "assert(q:bytes() == p:bytes() and q:hex() == p:hex())\n"
	       "for _, f in ipairs{'sport', 'dport', 'seq', 'ack', 'flags', 'win', 'csum', 'mss', 'wscale', 'tsval', 'tsecr', 'sackok'} do\n"
	       "  assert(q.tcp[f] == p.tcp[f], f)\n"
	       "end\n"
	       "for _, f in ipairs{'src', 'dst', 'ttl', 'df', 'len', 'csum', 'id'} do assert(q.ip[f] == p.ip[f], f) end\n"
	       "assert(q.payload == 'payload')\n"
	       "assert(q.tcp.csum_status == 'correct' and q.ip.csum_status == 'correct')\n"
	       "assert(q.error == nil and q.tcp.error == nil)\n"
	       "assert(q.tcp.sack == nil and q.udp == nil)");
	/* A decoded frame that is not whole says so, and missing fields are nil. */
	run(L, "c = decode(unhex('02000000000b02000000000a0800450000'))\n"
	       "assert(c.error == 'IPv4: truncated header: 3 of 20 bytes')\n"
	       "assert(c.ip.error == c.error and c.eth.error == nil)\n"
	       "assert(c.ip.version == 4 and c.ip.tos == 0 and c.ip.ttl == nil and c.ip.src == nil)\n"
	       "d = decode('')\n"
	       "assert(#d == 0 and d.eth.dst == nil and d.error:find('Ethernet: truncated'))");
	luaenv_free(L);
}

static void test_lua_hex_is_the_frame_in_lower_case_hex(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{} / TCP{}\n"
	       "assert(p:hex() == '02000000000b02000000000a08004500002800010000400666cd0a0000010a000002' ..\n"
	       "                  'c000005000000000000000005002ffffdb8f0000')\n"
	       "assert(unhex(p:hex()) == p:bytes())\n"
	       "assert(unhex('0a:0b 0c') == '\\10\\11\\12')");
	luaenv_free(L);
}

/* bytes() of a built packet encodes without keeping the frame (the packet
 * stays free of C storage); a big frame goes through the same way, more
 * than once, and a decoded packet gives back exactly what it was read
 * from, wrong checksum included. */
static void test_lua_bytes_of_built_big_and_decoded_packets(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "q = Ether{} / IPv4{} / TCP{}\n"
	       "assert(#q:bytes() == 54 and q:bytes() == q:bytes())\n"
	       "p = Ether{} / IPv4{} / TCP{}\n"
	       "assert(p:bytes() == unhex(p:hex()))\n"
	       "big = Ether{} / IPv4{} / UDP{} / string.rep('x', 65000)\n"
	       "assert(#big:bytes() == 65042 and big:bytes() == big:bytes())\n"
	       "assert(big.ip.len == 65028)\n"
	       "local ok, msg = pcall(function() return big / string.rep('y', 5000) end)\n"
	       "assert(not ok and msg:find('a payload of 70000 bytes is too long: at most 65415', 1, true))\n"
	       "assert(p:bytes() == unhex(p:hex()))\n"
	       "local b = p:bytes()\n"
	       "local bad = b:sub(1, 24) .. '\\0\\0' .. b:sub(27)\n"
	       "assert(decode(bad):bytes() == bad)");
	lua_getglobal(L, "q");
	struct pkt *p = lpkt_test(L, -1);
	assert_non_null(p);
	assert_null(p->frame.base);
	lua_pop(L, 1);
	luaenv_free(L);
}

static void test_lua_views_are_strings(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{csum=0x1234} / ICMP{}\n"
	       "local s = p:show()\n"
	       "assert(s:find('0x1234 [incorrect, should be 0x66de] given', 1, true))\n"
	       "assert(s:find('computed', 1, true) and s:find('default', 1, true))\n"
	       "assert(p:hexdump():find('^Ethernet  0000  02 00 00 00 00 0b'))\n"
	       "assert(p:osi():find('A frame of 42 bytes', 1, true))\n"
	       "assert(p:summary() == tostring(p))\n"
	       "assert(tostring(p.icmp):find('^ICMP: Echo %(ping%) request'))\n"
	       "assert(p.icmp.name == 'icmp' and p.ip.name == 'ip')\n"
	       "assert(p:layer(1).name == 'eth' and p:layer(3).name == 'icmp' and p:layer(4) == nil and p:layer(0) == nil)\n"
	       "assert(p.time == 0)");
	run(L, "print(UDP{dport=9})");
	assert_string_equal(sbuf_str(&out), "? > ? UDP 8 49152 > 9 Len=0\n");
	luaenv_free(L);
}

static void test_lua_checksum_states_by_name(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{} / UDP{csum=0} / 'x'\n"
	       "assert(p.udp.csum_status == 'none' and p.ip.csum_status == 'correct')\n"
	       "q = Ether{} / IPv4{mf=true} / UDP{len=100} / 'x'\n"
	       "local d = decode(q:bytes())\n"
	       "assert(d.udp.csum_status == 'unverified')\n"
	       "r = Ether{} / IPv4{} / TCP{csum=1}\n"
	       "assert(r.tcp.csum_status == 'incorrect' and decode(r:bytes()).tcp.csum_status == 'incorrect')\n"
	       "assert(r.eth.csum_status == nil)");
	luaenv_free(L);
}

static void test_lua_copy_is_deep(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "p = Ether{} / IPv4{} / UDP{} / 'abc'\n"
	       "c = p:copy()\n"
	       "c.ip.ttl = 3; c.payload = 'xyz'; c.udp.dport = 1\n"
	       "assert(p.ip.ttl == 64 and p.payload == 'abc' and p.udp.dport == 7)\n"
	       "assert(c.ip.ttl == 3 and c:bytes() ~= p:bytes())\n"
	       "d = decode(p:bytes()):copy()\n"
	       "assert(d:bytes() == p:bytes())");
	luaenv_free(L);
}

static void test_lua_unknown_field_errors_name_it(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run_fails(L, "TCP{sprot=80}", "TCP has no field 'sprot' (did you mean 'sport'?)", "its fields are: sport dport");
	run(L, "p = Ether{} / IPv4{} / TCP{}");
	run_fails(L, "p.tcp.bogus = 1", "TCP has no field 'bogus'", "its fields are");
	run_fails(L, "x = p.ip.tll", "IPv4 has no field 'tll' (did you mean 'ttl'?)", NULL);
	run_fails(L, "x = p.nosuch", "a packet has no 'nosuch'", "layer name");
	run_fails(L, "p.foo = 1", "cannot set 'foo' on a packet", NULL);
	run_fails(L, "TCP{[1] = 5}", "TCP{...} takes fields by name", NULL);
	luaenv_free(L);
}

/* Lua walks a table in an order that depends on a hash seed chosen afresh
 * for every state; the error must not. Each of forty states (forty seeds)
 * reports the first bad field in the header's order, and the first unknown
 * name in byte order. */
static void test_lua_constructor_errors_do_not_depend_on_table_order(void **state)
{
	(void)state;
	for (int i = 0; i < 40; i++) {
		lua_State *L = new_state();
		run_fails(L, "TCP{urp=-1, win=-1, ack=-1, seq=-1, dport=99999, sport=99999}",
			  "TCP field 'sport' (Source Port) must be from 0 to 65535 (got 99999)", NULL);
		run_fails(L, "IPv4{zeta=1, beta=2, alpha=3, ttl=999}", "IPv4 has no field 'alpha'", NULL);
		run_fails(L, "TCP{seq=1, SEQ=2}", "TCP{...} gives field 'seq' twice", NULL);
		run_fails(L, "UDP{data='a', payload='b'}", "gives the payload twice", NULL);
		run_fails(L, "Ether{data={}}", "the payload must be a string", "got table");
		run_fails(L, "p = Ether{}; p.payload = {}", "the payload must be a string", "got table");
		/* The fields and the payload are applied, whatever the order. */
		run(L, "p = UDP{data='hi', dport=53, sport=1000}\n"
		       "assert(p.udp.sport == 1000 and p.udp.dport == 53 and p.payload == 'hi')");
		luaenv_free(L);
	}
}

static void test_lua_out_of_range_errors_name_the_field_and_range(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run_fails(L, "TCP{sport=70000}", "TCP field 'sport' (Source Port) must be from 0 to 65535 (got 70000)", NULL);
	run_fails(L, "TCP{sport=-1}", "TCP field 'sport' (Source Port) must be from 0 to 65535 (got -1)", NULL);
	run_fails(L, "IPv4{ttl=256}", "IPv4 field 'ttl' (Time to Live) must be from 0 to 255", NULL);
	run_fails(L, "IPv4{ihl=16}", "IPv4 field 'ihl'", "from 0 to 15");
	run_fails(L, "IPv4{df=2}", "IPv4 field 'df'", "from 0 to 1");
	run_fails(L, "IPv4{ttl='300'}", "IPv4 field 'ttl'", "from 0 to 255");
	run_fails(L, "TCP{opts=string.rep('x', 41)}", "TCP field 'opts' (Options) holds at most 40 bytes (got 41)", NULL);
	luaenv_free(L);
}

static void test_lua_wrong_type_errors_name_the_field(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run_fails(L, "TCP{sport=1.5}", "TCP field 'sport' (Source Port) must be a whole number (got 1.5)", NULL);
	run_fails(L, "IPv4{ttl=true}", "IPv4 field 'ttl' (Time to Live) wants a whole number, not true or false", NULL);
	run_fails(L, "TCP{flags=true}", "TCP field 'flags'", "flags like \"SYN,ACK\"");
	run_fails(L, "IPv4{src=false}", "IPv4 field 'src'", "text");
	run_fails(L, "Ether{dst=5}", "Ethernet field 'dst' (Destination) wants text, not a number", NULL);
	run_fails(L, "IPv4{src={}}", "IPv4 field 'src' (Source Address) cannot take a table", NULL);
	run_fails(L, "IPv4{src=print}", "IPv4 field 'src'", "cannot take a function");
	run_fails(L, "IPv4{df='maybe'}", "IPv4 field 'df' (Don't fragment) wants 1 or 0", NULL);
	run_fails(L, "IPv4{src='10.0.0.1\\0junk'}", "IPv4 field 'src'", "zero byte");
	run_fails(L, "TCP(5)", "TCP{...} takes a table of fields", NULL);
	run_fails(L, "decode(5)", "bad argument #1 to 'decode'", "string expected");
	run_fails(L, "unhex('zz')", "unhex: 'zz' is not hex", NULL);
	luaenv_free(L);
}

static void test_lua_layering_errors(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run_fails(L, "x = (TCP{} / 'data') / UDP{}",
		  "cannot put a UDP layer above the payload: layers go first, then the payload", NULL);
	run_fails(L, "x = Ether{} / IP{} / IP{} / IP{} / IP{} / IP{} / TCP{}",
		  "a packet holds at most 6 layers (this would make 7)", NULL);
	run_fails(L, "x = TCP{} / 5", "the right of '/' must be a layer", "(got number)");
	run_fails(L, "x = TCP{} / {}", "the right of '/' must be a layer", "(got table)");
	run_fails(L, "x = 5 / TCP{}", "the left of '/' must be a packet or layer", NULL);
	run_fails(L, "x = 'a' / TCP{}", "the left of '/' must be a packet or layer", NULL);
	/* Errors never leave the state broken. */
	run(L, "x = Ether{} / IP{} / IP{} / IP{} / IP{} / TCP{}\n"
	       "assert(#x:layers() == 6)");
	luaenv_free(L);
}

static void test_lua_pcap_write_then_read(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "local ps = {Ether{} / ARP{}, Ether{} / IPv4{} / UDP{} / 'two'}\n"
	       "assert(pcap.write('p.pcap', ps) == 2)\n"
	       "local back = pcap.read('p.pcap')\n"
	       "assert(#back == 2)\n"
	       "assert(back[1]:bytes() == ps[1]:bytes() and back[2]:bytes() == ps[2]:bytes())\n"
	       "assert(back[1].time == 0 and back[2].time == 1)\n"
	       "assert(back[2].payload == 'two' and back[2].udp.csum_status == 'correct')\n"
	       "assert(pcap.write('p.pcap', {}) == 0 and #pcap.read('p.pcap') == 0)");
	run_fails(L, "pcap.read('missing.pcap')", "cannot read 'missing.pcap'", "No such file");
	run_fails(L, "pcap.write('/nonexistent-dir/x.pcap', {})", "/nonexistent-dir/x.pcap", NULL);
	run_fails(L, "pcap.write('../x.pcap', {})", "'../x.pcap' is outside the working folder", NULL);
	run_fails(L, "pcap.read('/etc/hostname')", "is outside the working folder", NULL);
	run_fails(L, "pcap.write('x.pcap', {TCP{}, 'no'})", "pcap.write: item 2 is a string, not a packet", NULL);
	run_fails(L, "pcap.write('x.pcap')", "bad argument #2", NULL);
	luaenv_free(L);
}

static void test_lua_sandbox_has_no_os_popen_dofile_or_loadfile(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "assert(os == nil and io.popen == nil and dofile == nil and loadfile == nil)\n"
	       "assert(require == nil and package == nil and debug == nil)\n"
	       "assert(io.tmpfile == nil and io.input == nil and io.output == nil)\n"
	       "assert(string.dump == nil and ('x').dump == nil)");
	run_fails(L, "os.execute('true')", "attempt to index a nil value", "os");
	luaenv_free(L);
}

static void test_lua_load_refuses_binary_chunks(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "local f, msg = load('\\27Lua\\84\\0\\25\\147\\13\\10\\26\\10')\n"
	       "assert(f == nil and msg:find('binary', 1, true), msg)\n"
	       "f, msg = load('\\27Lua', 'x', 'b')\n"
	       "assert(f == nil and msg:find('binary', 1, true), msg)\n"
	       "f, msg = load('\\27Lua', 'x', 'bt', {})\n"
	       "assert(f == nil, msg)\n"
	       "assert(load('return 1 + 1')() == 2)\n"
	       "local env = {y = 5}\n"
	       "assert(load('return y', 'chunk', 't', env)() == 5)\n"
	       "assert(load('return y', 'chunk', 't', nil) ~= nil)\n"
	       "local parts = {'return ', '42'}\n"
	       "local i = 0\n"
	       "assert(load(function() i = i + 1; return parts[i] end)() == 42)");
	/* luaenv_run itself takes text only. */
	struct err e;
	assert_int_equal(luaenv_run(L, "\033Lua", 4, "bin", &e), -1);
	assert_contains(e.msg, "binary");
	luaenv_free(L);
}

static void test_lua_files_only_under_the_working_folder(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "local f = assert(io.open('ok.txt', 'w'))\n"
	       "f:write('inside'); f:close()\n"
	       "f = assert(io.open('ok.txt'))\n"
	       "assert(f:read('a') == 'inside'); f:close()\n"
	       "for line in io.lines('ok.txt') do assert(line == 'inside') end");
	run_fails(L, "io.open('/etc/passwd')", "'/etc/passwd' is outside the working folder", "--unsafe");
	run_fails(L, "io.open('../escape.txt', 'w')", "'../escape.txt' is outside the working folder", NULL);
	run_fails(L, "io.open('/tmp/x.txt', 'a')", "is outside the working folder", NULL);
	run_fails(L, "io.lines('/etc/passwd')", "is outside the working folder", NULL);
	run_fails(L, "collectgarbage('stop')", "collectgarbage('stop') is not allowed here", NULL);
	run(L, "assert(collectgarbage('count') > 0)");
	assert_int_equal(access("../escape.txt", F_OK), -1);
	luaenv_free(L);
}

static void test_lua_unsafe_mode_has_the_full_library(void **state)
{
	(void)state;
	struct luaenv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.unsafe = true;
	cfg.out = capture;
	cfg.out_ctx = &out;
	lua_State *L = luaenv_new(&cfg);
	assert_non_null(L);
	run(L, "assert(os and io.popen and dofile and string.dump and require)\n"
	       "assert(TCP and decode and pcap.write)");
	luaenv_free(L);
}

static void test_lua_instruction_budget_stops_an_endless_loop(void **state)
{
	(void)state;
	lua_State *L = new_state_with(100000, 0);
	run_fails(L, "while true do end", "stopped after 100000 Lua instructions", "--lua-steps");
	/* The budget is per chunk: the state still works, and a modest loop runs. */
	run(L, "x = 0; for i = 1, 1000 do x = x + i end; assert(x == 500500)");
	run_fails(L, "local n = 0 repeat n = n + 1 until false", "stopped after", NULL);
	run(L, "assert(TCP{}.tcp.sport == 49152)");
	luaenv_free(L);
}

static void test_lua_memory_cap_stops_a_runaway_allocation(void **state)
{
	(void)state;
	size_t cap = (size_t)8 << 20;
	lua_State *L = new_state_with(0, cap);
	run_fails(L, "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(100) .. i end", "Lua ran out of memory", "--lua-mem");
	assert_true(luaenv_mem_used(L) < cap);
	run_fails(L, "local s = 'x' while true do s = s .. s end", "out of memory", NULL);
	/* The state works afterwards. */
	run(L, "local s = ('y'):rep(1000); assert(#s == 1000)\n"
	       "p = Ether{} / IPv4{} / TCP{}; assert(#p == 54)");
	assert_true(luaenv_mem_used(L) < cap);
	luaenv_free(L);
}

static void test_lua_interrupt_stops_a_running_chunk_once(void **state)
{
	(void)state;
	lua_State *L = new_state();
	luaenv_interrupt(L);
	assert_true(luaenv_interrupted(L));
	run_fails(L, "while true do end", "interrupted", NULL);
	assert_false(luaenv_interrupted(L));
	run(L, "for i = 1, 10000 do end");
	luaenv_interrupt(L);
	luaenv_clear_interrupt(L);
	run(L, "for i = 1, 10000 do end");
	luaenv_free(L);
}

static void test_lua_print_and_io_write_go_to_the_output(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run(L, "print(1, 'two', nil, true); io.write('a', 'b')");
	assert_string_equal(sbuf_str(&out), "1\ttwo\tnil\ttrue\nab");
	luaenv_free(L);
}

static void test_lua_syntax_and_runtime_errors_are_messages(void **state)
{
	(void)state;
	lua_State *L = new_state();
	run_fails(L, "x = = 1", "unexpected symbol", NULL);
	run_fails(L, "error('my own words')", "my own words", NULL);
	run_fails(L, "error(setmetatable({}, {__tostring = function() return 'an object' end}))", "an object", NULL);
	run_fails(L, "error({})", "error object is a table value", NULL);
	run(L, "assert(1 == 1)");
	luaenv_free(L);
}

static void test_lua_run_file_sets_arg_and_skips_the_shebang(void **state)
{
	(void)state;
	FILE *f = fopen("script.lua", "w");
	assert_non_null(f);
	fputs("#!/usr/bin/env stacklab\nprint(arg[0], arg[1], arg[2], #arg)\n", f);
	fclose(f);
	lua_State *L = new_state();
	char a1[] = "one", a2[] = "two";
	char *argv[] = {a1, a2};
	struct err e;
	assert_int_equal(luaenv_run_file(L, "script.lua", 2, argv, &e), 0);
	assert_string_equal(sbuf_str(&out), "script.lua\tone\ttwo\t2\n");
	assert_int_equal(luaenv_run_file(L, "nothing.lua", 0, NULL, &e), -1);
	assert_contains(e.msg, "cannot open 'nothing.lua'");
	luaenv_free(L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lua_constructors_take_fields_by_name),
		cmocka_unit_test(test_lua_slash_layers_and_payload_strings),
		cmocka_unit_test(test_lua_tcp_seq_reads_and_writes_up_to_2_to_the_32),
		cmocka_unit_test(test_lua_whole_floats_are_accepted_as_integers),
		cmocka_unit_test(test_lua_addresses_are_strings),
		cmocka_unit_test(test_lua_flags_are_strings_in_every_notation),
		cmocka_unit_test(test_lua_no_flags_read_back_can_be_written_back),
		cmocka_unit_test(test_lua_every_field_read_can_be_written_back),
		cmocka_unit_test(test_lua_nil_restores_the_default),
		cmocka_unit_test(test_lua_decode_of_bytes_round_trips),
		cmocka_unit_test(test_lua_hex_is_the_frame_in_lower_case_hex),
		cmocka_unit_test(test_lua_bytes_of_built_big_and_decoded_packets),
		cmocka_unit_test(test_lua_views_are_strings),
		cmocka_unit_test(test_lua_checksum_states_by_name),
		cmocka_unit_test(test_lua_copy_is_deep),
		cmocka_unit_test(test_lua_unknown_field_errors_name_it),
		cmocka_unit_test(test_lua_constructor_errors_do_not_depend_on_table_order),
		cmocka_unit_test(test_lua_out_of_range_errors_name_the_field_and_range),
		cmocka_unit_test(test_lua_wrong_type_errors_name_the_field),
		cmocka_unit_test(test_lua_layering_errors),
		cmocka_unit_test(test_lua_pcap_write_then_read),
		cmocka_unit_test(test_lua_sandbox_has_no_os_popen_dofile_or_loadfile),
		cmocka_unit_test(test_lua_load_refuses_binary_chunks),
		cmocka_unit_test(test_lua_files_only_under_the_working_folder),
		cmocka_unit_test(test_lua_unsafe_mode_has_the_full_library),
		cmocka_unit_test(test_lua_instruction_budget_stops_an_endless_loop),
		cmocka_unit_test(test_lua_memory_cap_stops_a_runaway_allocation),
		cmocka_unit_test(test_lua_interrupt_stops_a_running_chunk_once),
		cmocka_unit_test(test_lua_print_and_io_write_go_to_the_output),
		cmocka_unit_test(test_lua_syntax_and_runtime_errors_are_messages),
		cmocka_unit_test(test_lua_run_file_sets_arg_and_skips_the_shebang),
	};
	return cmocka_run_group_tests(tests, enter_dir, leave_dir);
}
