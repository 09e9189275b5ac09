/* How the REPL shows the values a Lua line evaluates to, and print() too
 * (lua/lua_show.c): tables by what they hold, in an order that does not
 * depend on Lua's seeded hashing, and never an address. */
#include "testutil.h"

#include <lauxlib.h>

#include "lua/lua_env.h"
#include "lua/lua_pkt.h"
#include "lua/lua_show.h"

static lua_State *new_state(void)
{
	struct luaenv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	lua_State *L = luaenv_new(&cfg);
	assert_non_null(L);
	return L;
}

/* What the REPL shows for the values `code` (a chunk with a return)
 * evaluates to, into out (without the final newline); -1 on an error,
 * whose message goes into out. */
static int show(lua_State *L, const char *code, char *out, size_t cap)
{
	struct err e;
	int top = lua_gettop(L);
	lua_pushcfunction(L, luaenv_show_values);
	if (luaL_loadstring(L, code) != LUA_OK)
		fail_msg("does not compile: %s", code);
	if (luaenv_pcall(L, 0, LUA_MULTRET, &e) != 0)
		fail_msg("chunk failed: %s: %s", code, e.msg);
	int rc = luaenv_pcall(L, lua_gettop(L) - top - 1, 1, &e);
	const char *s = rc == 0 ? lua_tostring(L, -1) : e.msg;
	snprintf(out, cap, "%s", s);
	size_t n = strlen(out);
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
	lua_settop(L, top);
	return rc;
}

static void shows(lua_State *L, const char *code, const char *want)
{
	char got[8192];
	if (show(L, code, got, sizeof got) != 0)
		fail_msg("showing failed: %s: %s", code, got);
	if (strcmp(got, want) != 0)
		fail_msg("%s\n  shows: %s\n  wanted: %s", code, got, want);
}

static void test_show_scalars_as_print_does(void **state)
{
	(void)state;
	lua_State *L = new_state();
	shows(L, "return 'plain', 1, 2.5, nil, true", "plain\t1\t2.5\tnil\ttrue");
	shows(L, "return", "");
	luaenv_free(L);
}

static void test_show_tables_by_what_they_hold(void **state)
{
	(void)state;
	lua_State *L = new_state();
	shows(L, "return {}", "{}");
	shows(L, "return {1, 2, 'three'}", "{1, 2, \"three\"}");
	shows(L, "return {n = 1, kind = 'state', t = 0}", "{kind = \"state\", n = 1, t = 0}");
	shows(L, "return {1, {2, {3}}}", "{1, {2, {...}}}");
	shows(L, "return {'x\\ny', 'q\"\\\\', '\\0\\1\\200', '中文'}",
	      "{\"x\\ny\", \"q\\\"\\\\\", \"\\000\\001\\200\", \"中文\"}");
	luaenv_free(L);
}

/* Numbers, then strings in byte order, then false and true; names that
 * are not Lua names are bracketed and quoted. */
static void test_show_keys_in_a_fixed_order(void **state)
{
	(void)state;
	const char *want = "{\n  [-1] = 0,\n  [2.5] = 1,\n  [3] = 4,\n  a = 2,\n  [\"a b\"] = 2,\n  [\"end\"] = 5,\n"
			   "  x = {},\n  z = 1,\n  [false] = 0,\n  [true] = 1\n}";
	/* Each state hashes with a seed of its own: the order must not care. */
	for (int i = 0; i < 40; i++) {
		lua_State *L = new_state();
		shows(L, "return {z=1, a=2, [3]=4, [true]=1, [false]=0, ['a b']=2, ['end']=5, x={}, [2.5]=1, [-1]=0}",
		      want);
		luaenv_free(L);
	}
}

static void test_show_long_tables_are_cut_and_say_so(void **state)
{
	(void)state;
	lua_State *L = new_state();
	char got[8192];
	assert_int_equal(show(L, "local t = {} for i = 1, 1000 do t[i] = i end return t", got, sizeof got), 0);
	assert_contains(got, "{\n  1,\n  2,\n");
	assert_contains(got, "  50,\n  ... (950 more)\n}");
	assert_int_equal(show(L, "local t = {} for i = 1, 40 do t['k' .. i] = i end return {t}", got, sizeof got), 0);
	assert_contains(got, "... (16 more)}}");
	luaenv_free(L);
}

/* No address, ever: a transcript must be the same on every run. */
static void test_show_no_addresses(void **state)
{
	(void)state;
	lua_State *L = new_state();
	shows(L, "return print, {print}", "function\t{function}");
	shows(L, "return coroutine.create(print)", "thread");
	shows(L, "local t = {} t.t = t return t", "{t = {t = {...}}}");
	shows(L, "return setmetatable({}, {__tostring = function() return 'mine' end})", "mine");
	shows(L, "return {setmetatable({}, {__tostring = function() return 'mine' end})}", "{mine}");
	shows(L, "return Ether{}", "02:00:00:00:00:0a > 02:00:00:00:00:0b Ethernet 14 "
				  "02:00:00:00:00:0a > 02:00:00:00:00:0b, type 0x88b5");
	luaenv_free(L);
}

/* A __tostring that fails is an error, and the state goes on. */
static void test_show_a_failing_tostring_is_an_error(void **state)
{
	(void)state;
	lua_State *L = new_state();
	char got[256];
	assert_int_equal(show(L, "return {setmetatable({}, {__tostring = function() error('nope') end})}", got,
			      sizeof got), -1);
	assert_contains(got, "nope");
	shows(L, "return {1}", "{1}");
	luaenv_free(L);
}

/* More values than a C function's stack has room for: each is shown, and
 * nothing is written past the stack (the REPL used to corrupt memory
 * here, as print(table.unpack(t)) did since print shows values too). */
static void test_show_many_values(void **state)
{
	(void)state;
	lua_State *L = new_state();
	char got[8192];
	assert_int_equal(show(L, "return table.unpack({}, 1, 1000)", got, sizeof got), 0);
	assert_int_equal(strlen(got), 1000 * 4 - 1);	/* "nil" and a tab each, less the last tab */
	assert_memory_equal(got, "nil\tnil\t", 8);
	shows(L, "local t = {} for i = 1, 300 do t[i] = {i} end return table.unpack(t, 299)", "{299}\t{300}");
	assert_int_equal(show(L, "local t = {} for i = 1, 600 do t[i] = {i, {i}} end return table.unpack(t)", got,
			      sizeof got), 0);
	assert_memory_equal(got, "{1, {1}}\t{2, {2}}\t", 18);
	luaenv_free(L);
}

/* print() shows values the same way, so a chunk's output is the same on
 * every run too; tostring() stays Lua's own. */
static void test_print_shows_values_as_the_repl_does(void **state)
{
	(void)state;
	struct sbuf out = SBUF_INIT;
	struct luaenv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.out = capture;
	cfg.out_ctx = &out;
	lua_State *L = luaenv_new(&cfg);
	assert_non_null(L);
	struct err e;
	const char *chunk = "print({2, 1, x = 'y'}, print, nil, 'plain') print() print(tostring({}):sub(1, 7))";
	assert_int_equal(luaenv_run(L, chunk, strlen(chunk), "t", &e), 0);
	assert_string_equal(sbuf_str(&out), "{2, 1, x = \"y\"}\tfunction\tnil\tplain\n\ntable: \n");
	sbuf_reset(&out);
	chunk = "print(table.unpack({}, 1, 5000))";
	assert_int_equal(luaenv_run(L, chunk, strlen(chunk), "t", &e), 0);
	assert_int_equal(strlen(sbuf_str(&out)), 5000 * 4);
	luaenv_free(L);
	sbuf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_scalars_as_print_does),
		cmocka_unit_test(test_show_tables_by_what_they_hold),
		cmocka_unit_test(test_show_keys_in_a_fixed_order),
		cmocka_unit_test(test_show_long_tables_are_cut_and_say_so),
		cmocka_unit_test(test_show_no_addresses),
		cmocka_unit_test(test_show_a_failing_tostring_is_an_error),
		cmocka_unit_test(test_show_many_values),
		cmocka_unit_test(test_print_shows_values_as_the_repl_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
