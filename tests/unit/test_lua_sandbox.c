/* Escape attempts against the Lua sandbox, typed at the REPL as a student
 * would type them (issue 6's list): string.dump and binary chunks, the
 * debug library, metatables (of strings and of stacklab's own objects),
 * collectgarbage abuse, deep recursion, huge allocations (in Lua's heap
 * and in the C buffers of packets), code that never ends inside C calls
 * (__tostring, _G's metamethods), and objects without end (sockets,
 * frames on the wire). Each must end in one clear error, and the REPL and
 * the world must work afterwards. */
#include "testutil.h"

#include <limits.h>
#include <unistd.h>

#include "lua/lua_env.h"
#include "repl/repl.h"
#include "sim/world.h"

static char dir[64], home[PATH_MAX];
static struct sbuf out = SBUF_INIT;

/* Each test runs in a fresh folder, the sandbox's working folder. */
static int enter_dir(void **state)
{
	(void)state;
	if (!getcwd(home, sizeof home))
		return -1;
	snprintf(dir, sizeof dir, "/tmp/stacklab-sandbox-XXXXXX");
	if (!mkdtemp(dir) || chdir(dir) != 0)
		return -1;
	return 0;
}

static int leave_dir(void **state)
{
	(void)state;
	sbuf_free(&out);
	if (chdir(home) != 0)
		return -1;
	return rmdir(dir);
}

static struct repl *new_repl(long long steps, size_t mem)
{
	static struct repl r;
	struct repl_options o;
	memset(&o, 0, sizeof o);
	o.seed = 1;
	o.lua.max_steps = steps;
	o.lua.max_mem = mem;
	assert_int_equal(repl_init(&r, &o), 0);
	r.capture = &out;
	return &r;
}

static void free_repl(struct repl *r)
{
	r->capture = NULL;
	repl_free(r);
}

/* A line that must work (its asserts included). */
static void ok(struct repl *r, const char *line)
{
	sbuf_reset(&out);
	if (repl_line(r, line) != 0)
		fail_msg("line failed: %s\n  output: %s", line, sbuf_str(&out));
}

/* A line that must fail with exactly one error line containing `words`. */
static void fails(struct repl *r, const char *line, const char *words)
{
	sbuf_reset(&out);
	if (repl_line(r, line) != -1)
		fail_msg("line did not fail: %s\n  output: %s", line, sbuf_str(&out));
	const char *s = sbuf_str(&out);
	const char *err = strstr(s, "error: ");
	if (!err || strstr(err + 1, "error: "))
		fail_msg("expected one error line for: %s\n  output: %s", line, s);
	assert_contains(err, words);
}

/* The REPL and the world still work: a whole connection, from Lua and
 * from a command. */
static void still_works(struct repl *r)
{
	ok(r, "assert(('abc'):upper() == 'ABC' and #(IP{}/TCP{}) == 40)");
	ok(r, "reset");
	ok(r, "listen b 80");
	ok(r, "connect a b:80");
	ok(r, "assert(a:sockets()[1].state == 'ESTABLISHED', a:sockets()[1].state)");
}

/* The world's Lua API reads link rules in a fixed order: Lua walks a
 * table in an order seeded afresh for every state, and an error must name
 * the same thing every time. Forty REPLs, forty seeds. */
static void test_link_rule_errors_do_not_depend_on_table_order(void **state)
{
	(void)state;
	for (int i = 0; i < 40; i++) {
		struct repl *r = new_repl(0, 0);
		fails(r, "link:drop{count=0, zz=1, flags={}, bogus=2, from=a}", "a rule takes from=, to=, flags=, count= (got 'bogus')");
		fails(r, "link:drop{count=0, flags={}, from='c'}", "no host 'c'");
		fails(r, "link:drop{count=0, flags={}}", "flags is text, like \"SYN,ACK\" (got table)");
		fails(r, "link:delay{count=2.5, ms=-1}", "count is a whole number from 1 to 1000000 (got 2.5)");
		ok(r, "link:delay{ms=5, count=2, flags='S', to=b, from=a}");
		ok(r, "rules");
		assert_contains(sbuf_str(&out), "1  delay next a>b SYN +0.005 s (2 frames to go)");
		free_repl(r);
	}
}

static void test_sandbox_no_dump_no_binary_chunks_no_debug(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, 0);
	ok(r, "assert(string.dump == nil and ('').dump == nil)");
	ok(r, "assert(debug == nil and require == nil and package == nil and os == nil)");
	ok(r, "assert(load(string.char(27) .. 'LuaT\\0') == nil)");
	ok(r, "local f, m = load(string.char(27) .. 'Lua', 'x', 'b') assert(f == nil and m:find('binary'))");
	ok(r, "assert(load('return 1', 'x', 'b')() == 1)");	/* the mode is always text */
	/* a reader function handing over a binary chunk piece by piece */
	ok(r, "local parts, i = {string.char(27), 'Lua', 'T'}, 0 "
	      "local f, m = load(function() i = i + 1 return parts[i] end) "
	      "assert(f == nil and m:find('binary'), m)");
	fails(r, "debug.getregistry()", "attempt to index a nil value (global 'debug')");
	fails(r, "string.dump(print)", "attempt to call a nil value (field 'dump')");
	still_works(r);
	free_repl(r);
}

static void test_sandbox_string_metatable_is_locked(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, 0);
	ok(r, "assert(getmetatable('') == 'locked')");
	fails(r, "getmetatable('').__index = function() return 1 end", "attempt to index a string value");
	/* the string library itself is the student's to change, in their own state */
	ok(r, "string.upper = function() return 'mine' end assert(('x'):upper() == 'mine')");
	free_repl(r);
}

static void test_sandbox_stacklab_metatables_are_locked(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, 0);
	ok(r, "listen b 80");
	ok(r, "connect a b:80");
	ok(r, "p = IP{}/TCP{}");
	ok(r, "for _, v in ipairs({p, p.tcp, a, a:sockets()[1], link}) do "
	      "  assert(getmetatable(v) == 'locked', tostring(v)) "
	      "  assert(not pcall(setmetatable, v, {})) "
	      "end");
	/* __gc cannot be reached, so it cannot be called twice */
	fails(r, "getmetatable(p).__gc(p)", "attempt to call a nil value (field '__gc')");
	ok(r, "p = nil s = nil collectgarbage() collectgarbage()");
	still_works(r);
	free_repl(r);
}

static void test_sandbox_collectgarbage_cannot_stop_the_collector(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, 0);
	fails(r, "collectgarbage('stop')", "collectgarbage('stop') is not allowed here");
	fails(r, "collectgarbage('incremental', 0, 0)", "is not allowed here");
	fails(r, "collectgarbage('generational')", "is not allowed here");
	ok(r, "collectgarbage() collectgarbage('step') assert(collectgarbage('isrunning'))");
	free_repl(r);
}

static void test_sandbox_deep_recursion_is_an_error(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, 0);
	fails(r, "local function f() return 1 + f() end f()", "stack overflow");
	/* through C: a metamethod calling itself, string.gsub calling back */
	fails(r, "local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x",
	      "stack overflow");
	fails(r, "local function g(s) return (s:gsub('.', g)) end g('ab')", "overflow");
	fails(r, "local function h() return tostring(setmetatable({}, {__tostring = h})) end h()", "overflow");
	/* coroutines inside coroutines */
	fails(r, "local function c() return coroutine.wrap(c)() end c()", "overflow");
	still_works(r);
	free_repl(r);
}

static void test_sandbox_huge_allocations_hit_the_cap(void **state)
{
	(void)state;
	size_t cap = (size_t)16 << 20;
	struct repl *r = new_repl(0, cap);
	fails(r, "s = string.rep('x', 1e10)", "resulting string too large");
	fails(r, "s = string.rep('x', 1e8)", "Lua ran out of memory: the cap is 16 MB");
	fails(r, "t = {} for i = 1, 1e9 do t[i] = i end", "ran out of memory");
	fails(r, "t = {} for i = 1, 1e6 do t[i] = ('y'):rep(100) .. i end", "ran out of memory");
	fails(r, "t = table.concat({('z'):rep(1e6)}, ',', 1, 1) .. ('z'):rep(2e7)", "ran out of memory");
	ok(r, "t = nil s = nil collectgarbage()");
	still_works(r);
	free_repl(r);
}

/* A packet's bytes live in C buffers, outside Lua's heap; they count
 * against the same cap, and are given back when the packet is collected. */
static void test_sandbox_packet_buffers_count_against_the_cap(void **state)
{
	(void)state;
	size_t cap = (size_t)16 << 20;
	struct repl *r = new_repl(0, cap);
	size_t before = luaenv_mem_used(r->L);
	ok(r, "big = IP{}/UDP{}/('x'):rep(60000); big:bytes()");
	size_t with = luaenv_mem_used(r->L);
	assert_true(with - before > 120000);	/* the payload and the encoded frame */
	ok(r, "big = nil collectgarbage() collectgarbage()");
	assert_true(luaenv_mem_used(r->L) < before + 20000);
	fails(r, "t = {} for i = 1, 1e5 do t[i] = IP{}/UDP{}/('x'):rep(60000) end", "ran out of memory");
	assert_true(luaenv_mem_used(r->L) < cap + (1u << 20));	/* at most one packet past the cap */
	ok(r, "t = nil collectgarbage() collectgarbage()");
	assert_true(luaenv_mem_used(r->L) < before + 20000);
	fails(r, "t = {} for i = 1, 1e5 do t[i] = decode(('\\0'):rep(60000)) end", "ran out of memory");
	ok(r, "t = nil collectgarbage()");
	still_works(r);
	free_repl(r);
}

/* Code that never ends where the REPL calls Lua from C: printing a value
 * with __tostring, looking a lone word up in _G, rebinding the hosts on
 * reset. It runs on the budget, or not at all. */
static void test_sandbox_endless_metamethods_do_not_hang_the_repl(void **state)
{
	(void)state;
	struct repl *r = new_repl(100000, 0);
	ok(r, "x = setmetatable({}, {__tostring = function() while true do end end})");
	fails(r, "x", "stopped after 100000 Lua instructions");
	fails(r, "print(x)", "stopped after 100000 Lua instructions");
	ok(r, "y = setmetatable({}, {__tostring = function() error('boom') end})");
	fails(r, "y", "boom");
	ok(r, "setmetatable(_G, {__index = function() while true do end end, "
	      "  __newindex = function() error('no new globals') end})");
	fails(r, "foo", "unknown command 'foo'");	/* looked up raw: no metamethod ran */
	ok(r, "reset");				/* hosts rebound raw */
	ok(r, "assert(rawget(_G, 'a') and rawget(_G, 'hosts'))");
	ok(r, "setmetatable(_G, nil)");
	still_works(r);
	free_repl(r);
}

/* Coroutines made in one chunk and resumed in the next still run on a
 * budget; so does an error handler that loops. */
static void test_sandbox_budget_reaches_coroutines_and_handlers(void **state)
{
	(void)state;
	struct repl *r = new_repl(100000, 0);
	ok(r, "co = coroutine.create(function() while true do end end)");
	fails(r, "assert(coroutine.resume(co))", "stopped after 100000 Lua instructions");
	fails(r, "xpcall(error, function() while true do end end)", "stopped after");
	fails(r, "error(setmetatable({}, {__tostring = function() while true do end end}))", "error");
	fails(r, "table.sort({3, 2, 1, 5, 4}, function(a, b) while true do end end)", "stopped after");
	/* pattern matching runs in C, and backtracks: it counts too */
	fails(r, "return string.rep('a', 20000):find('.-.-.-b')", "stopped after 100000 Lua instructions");
	fails(r, "for w in string.rep('a', 5000):gmatch('(a-)(a-)(a-)b') do end", "stopped after");
	/* catching the budget's error does not buy more time */
	fails(r, "for i = 1, math.huge do pcall(function() while true do end end) end", "stopped after");
	fails(r, "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
	      "stopped after");
	fails(r, "while true do xpcall(function() while true do end end, print) end", "stopped after");
	/* ... while ordinary errors are still caught, and yields still pass a pcall */
	ok(r, "assert(not pcall(error, 'x') and select(2, xpcall(error, function(m) return 'h:' .. m end, 'y')) == 'h:y')");
	ok(r, "local co = coroutine.wrap(function() pcall(coroutine.yield, 1) return 2 end) "
	      "assert(co() == 1 and co() == 2)");
	/* finalizers would run out of the budget's reach */
	fails(r, "setmetatable({}, {__gc = function() while true do end end})", "a __gc finalizer is not allowed");
	ok(r, "local mt = {} local t = setmetatable({}, mt) mt.__gc = function() while true do end end "
	      "t = nil collectgarbage() collectgarbage()");	/* added later: never marked, never run */
	still_works(r);
	free_repl(r);
}

/* Objects in the world have bounds too: a loop of connects ends with an
 * error when a host has all the sockets it may have; frames injected in a
 * loop without running the world are lost once the wire is full. */
static void test_sandbox_world_objects_are_bounded(void **state)
{
	(void)state;
	struct repl *r = new_repl(0, (size_t)512 << 20);
	ok(r, "set mode step");
	ok(r, "listen b 80");
	fails(r, "for i = 1, 1e9 do a:connect(b, 1 + i % 60000) end", "already has 262144 sockets");
	ok(r, "assert(#a:sockets() == 262144, #a:sockets())");
	ok(r, "reset");
	ok(r, "f = Ether{dst = 'b'} / IP{dst = 'b'} / UDP{dport = 7} for i = 1, 100010 do a:inject(f) end");
	ok(r, "local full = 0 for _, e in ipairs(trace()) do if e.dropped then full = full + 1 end end "
	      "assert(full == 10, full)");
	ok(r, "set mode auto");
	still_works(r);
	free_repl(r);
}

/* With no_files (the fuzzers' setting) nothing reaches the file system:
 * fuzz_repl once wrote a pcap file for every path its mutations made up
 * ("capture /nonexistent-folde"), all over the machine running it. */
static void test_sandbox_no_files_opens_nothing(void **state)
{
	(void)state;
	static struct repl r;
	struct repl_options o;
	memset(&o, 0, sizeof o);
	o.seed = 1;
	o.lua.no_files = true;
	assert_int_equal(repl_init(&r, &o), 0);
	r.capture = &out;
	fails(&r, "capture x.pcap", "capture: this session uses no files");
	fails(&r, "source x.txt", "source: this session uses no files");
	fails(&r, "source x.lua", "source: this session uses no files");
	fails(&r, "pcap.write('x.pcap', {Ether{}})", "cannot write 'x.pcap': this session uses no files");
	fails(&r, "pcap.read('x.pcap')", "cannot read 'x.pcap': this session uses no files");
	fails(&r, "io.open('x.txt', 'w')", "cannot write 'x.txt': this session uses no files");
	fails(&r, "for l in io.lines('x.txt') do end", "cannot read 'x.txt': this session uses no files");
	assert_int_equal(access("x.pcap", F_OK), -1);
	assert_int_equal(access("x.txt", F_OK), -1);
	still_works(&r);
	r.capture = NULL;
	repl_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sandbox_no_dump_no_binary_chunks_no_debug, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_string_metatable_is_locked, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_stacklab_metatables_are_locked, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_collectgarbage_cannot_stop_the_collector, enter_dir,
						leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_deep_recursion_is_an_error, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_huge_allocations_hit_the_cap, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_packet_buffers_count_against_the_cap, enter_dir,
						leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_endless_metamethods_do_not_hang_the_repl, enter_dir,
						leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_budget_reaches_coroutines_and_handlers, enter_dir,
						leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_world_objects_are_bounded, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_sandbox_no_files_opens_nothing, enter_dir, leave_dir),
		cmocka_unit_test_setup_teardown(test_link_rule_errors_do_not_depend_on_table_order, enter_dir, leave_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
