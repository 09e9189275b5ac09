/* Our string.find/match/gmatch/gsub (lua/lua_pattern.c) against Lua's own,
 * case by case, and the budget and Ctrl-C stopping a pattern that would
 * backtrack for hours. */
#include "testutil.h"

#include <lauxlib.h>
#include <time.h>

#include "lua/lua_env.h"
#include "lua/lua_pattern.h"

static void discard(void *ctx, const char *s, size_t n)
{
	(void)ctx, (void)s, (void)n;
}

/* A sandbox state whose string library has Lua's functions saved in the
 * global table `orig` and ours in `mine` (and in `string`). */
static lua_State *new_state(long long steps)
{
	struct luaenv_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.max_steps = steps;
	cfg.out = discard;
	lua_State *L = luaenv_new(&cfg);
	assert_non_null(L);
	assert_int_equal(0, luaL_dostring(L, "orig = {find = string.find, match = string.match, "
			 "gmatch = string.gmatch, gsub = string.gsub}"));
	lpattern_open(L);
	assert_int_equal(0, luaL_dostring(L, "mine = {find = string.find, match = string.match, "
			 "gmatch = string.gmatch, gsub = string.gsub}"));
	return L;
}

static void run(lua_State *L, const char *code)
{
	struct err e;
	if (luaenv_run(L, code, strlen(code), "test", &e) != 0)
		fail_msg("chunk failed: %s\n  chunk: %.300s", e.msg, code);
}

static void run_fails(lua_State *L, const char *code, const char *word)
{
	struct err e;
	memset(&e, 0, sizeof e);
	if (luaenv_run(L, code, strlen(code), "test", &e) != -1)
		fail_msg("chunk did not fail: %s", code);
	assert_contains(e.msg, word);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The differential harness: compare(fn, args...) runs orig[fn] and
 * mine[fn] on the same arguments and records any difference in every
 * return value (type included), the error message, gmatch's iterations,
 * and the arguments a gsub replacement function received. */
static const char harness[] =
	"cases, failures = 0, {}\n"
	"FN, BADFN = {}, {}\n"
	"local function ser(v)\n"
	"  local t = type(v)\n"
	"  if t == 'string' then return string.format('%q', v) end\n"
	"  if t == 'number' then return math.type(v) .. ':' .. tostring(v) end\n"
	"  if t == 'function' or t == 'table' then return t end\n"
	"  return tostring(v)\n"
	"end\n"
	"local function ser_pack(t, from)\n"
	"  local out = {}\n"
	"  for i = from or 1, t.n do out[#out + 1] = ser(t[i]) end\n"
	"  return '(' .. table.concat(out, ', ') .. ')'\n"
	"end\n"
	/* Both run through the same upvalue name, so a 'bad argument' message
	 * names the function alike. */
	"local function outcome(fn, args)\n"
	"  local f = fn\n"
	"  local r = table.pack(pcall(function() return table.pack(f(table.unpack(args, 1, args.n))) end))\n"
	"  if not r[1] then return false, 'error: ' .. tostring(r[2]) end\n"
	"  return true, ser_pack(r[2]), r[2]\n"
	"end\n"
	"local function gmatch_outcome(fn, args)\n"
	"  local ok, text, r = outcome(fn, args)\n"
	"  if not ok or r.n ~= 1 or type(r[1]) ~= 'function' then return text end\n"
	"  local it, parts = r[1], {text}\n"
	"  for i = 1, 100 do\n"
	"    local x = table.pack(pcall(it))\n"
	"    if not x[1] then parts[#parts + 1] = 'error: ' .. tostring(x[2]) break end\n"
	"    parts[#parts + 1] = ser_pack(x, 2)\n"
	"    if x.n == 1 then parts[#parts + 1] = ser_pack(table.pack(pcall(it))) break end\n"
	"  end\n"
	"  return table.concat(parts, ' ')\n"
	"end\n"
	/* Sentinels become fresh replacement functions that log their arguments. */
	"local function prepare(args, log)\n"
	"  local a = table.pack(table.unpack(args, 1, args.n))\n"
	"  for i = 1, a.n do\n"
	"    if a[i] == FN then\n"
	"      a[i] = function(...)\n"
	"        local t = table.pack(...)\n"
	"        log[#log + 1] = ser_pack(t)\n"
	"        local x = t[1]\n"
	"        if x == 'a' then return nil elseif x == 'b' then return false\n"
	"        elseif x == 'c' then return 42 elseif x == 'ab' then return 2.5\n"
	"        elseif math.type(x) == 'integer' then return x * 10 end\n"
	"        return '<' .. tostring(x) .. '|' .. t.n .. '>'\n"
	"      end\n"
	"    elseif a[i] == BADFN then\n"
	"      a[i] = function(x) if x == 'a' then return {} end return x end\n"
	"    end\n"
	"  end\n"
	"  return a\n"
	"end\n"
	"local function describe(name, args)\n"
	"  local a = {}\n"
	"  for i = 1, args.n do a[i] = args[i] == FN and 'FN' or args[i] == BADFN and 'BADFN' or ser(args[i]) end\n"
	"  return name .. '(' .. table.concat(a, ', ') .. ')'\n"
	"end\n"
	"function compare(name, ...)\n"
	"  local args = table.pack(...)\n"
	"  local got = {}\n"
	"  for k, impl in ipairs({orig, mine}) do\n"
	"    local log = {}\n"
	"    local a = prepare(args, log)\n"
	"    local text\n"
	"    if name == 'gmatch' then text = gmatch_outcome(impl[name], a)\n"
	"    else text = select(2, outcome(impl[name], a)) end\n"
	"    got[k] = text .. (#log > 0 and ' calls ' .. table.concat(log, ' ') or '')\n"
	"  end\n"
	"  cases = cases + 1\n"
	"  if got[1] ~= got[2] and #failures < 20 then\n"
	"    failures[#failures + 1] = describe(name, args) .. '\\n    lua:  ' .. got[1] .. '\\n    ours: ' .. got[2]\n"
	"  end\n"
	"end\n"
	/* All four functions on one subject and pattern. */
	"function all(s, p, init)\n"
	"  compare('find', s, p, init)\n"
	"  compare('match', s, p, init)\n"
	"  compare('gmatch', s, p, init)\n"
	"  compare('gsub', s, p, '[%0]')\n"
	"end\n";

/* Hand-written cases for every feature of the manual's section 6.4.1 and
 * the four functions' arguments. */
static const char hand_cases[] =
	/* plain characters, '.', anchors */
	"all('hello world', 'o w') all('hello world', 'l') all('hello', 'x') all('', '')\n"
	"all('abc', '') all('abc', '.') all('abc', '..') all('abc', '....') all('', '.')\n"
	"all('abc', '^a') all('abc', '^b') all('abc', 'c$') all('abc', 'b$') all('abc', '^abc$')\n"
	"all('abc', '^') all('abc', '$') all('', '^$') all('a^b', 'a^b') all('a$b', 'a$b')\n"
	"all('a$', '$$') all('^^', '^^') all('x^', '^^') all('a.b', '%.') all('a]b', ']')\n"
	"all('a)b', 'a)') all('a-b', '-') all('a-b', 'a-b') all('ab\\0cd', '\\0') all('ab\\0cd', 'b\\0c')\n"
	"all('ab\\0cd', '.\\0.') all('ab\\0cd', '[\\0]') all('ab\\0cd', '%z') all('\\200\\255', '[\\128-\\255]+')\n"
	/* classes and their complements */
	"for _, c in ipairs({'a','c','d','g','l','p','s','u','w','x','A','C','D','G','L','P','S','U','W','X'}) do\n"
	"  all('Hello, World! 123 \\t\\n\\1 xyz_FF', '%' .. c .. '+')\n"
	"  all('Hello, World! 123 \\t\\n\\1 xyz_FF', '[%' .. c .. ']')\n"
	"end\n"
	"all('a%b', '%%') all('a.b', '%.') all('zZ', '%z') all('zZ', '%Z') all('a_b', '%_') all('q', '%q')\n"
	/* sets */
	"all('hello', '[aeiou]') all('hello', '[^aeiou]+') all('a-z', '[a-]') all('a-z', '[-a]+')\n"
	"all('abcxyz', '[a-c]+') all('abcxyz', '[x-z]+') all('abc', '[c-a]') all('a]b', '[]]')\n"
	"all('a]b', '[^]]+') all('a]b^', '[]^]+') all('a^b', '[%^]') all('a^b', '[b^]+')\n"
	"all('a%b', '[%%]') all('a[b', '[[]') all('x1_y', '[%w_]+') all('x1_y', '[%a%d]+')\n"
	"all('ab-cd', '[%a-]+') all('a-d', '[%a-d]+') all('AbC', '[^%l]') all('\\0a', '[%z]')\n"
	"all('abc', '[a-c-e]+') all('a-e', '[a-c-e]+') all('b', '[]-a]') all('^', '[]-a]')\n"
	"all('-', '[a-]') all('[]', '[][]+') all('ab', '[^]') all('ab', '[^%]') all('a', '[a') all('a', '[')\n"
	"all('a', '[^') all('a', '[%') all('a', '[a%]') all('a]', '[%]]') all('ab', '[ab]*')\n"
	/* quantifiers */
	"all('aaa', 'a*') all('aaa', 'a+') all('aaa', 'a-') all('aaa', 'a?') all('bbb', 'a*')\n"
	"all('bbb', 'a+') all('bbb', 'a-') all('bbb', 'a?') all('aaab', 'a-b') all('aaab', 'a*b')\n"
	"all('aaab', 'a+b') all('aaab', 'a?b') all('ab', 'a?a?b') all('<a><b>', '<.->') all('<a><b>', '<.*>')\n"
	"all('xaaay', 'xa-y') all('  x  ', '^%s*(.-)%s*$') all('key = value', '(%w+)%s*=%s*(%w+)')\n"
	"all('*a', '*a') all('+a', '+a') all('-a', '-a') all('?a', '?a') all('a', 'a**') all('aa*', 'a**')\n"
	"all('a', 'a*?') all('a?', 'a-?') all('ab', '.-$') all('ab', '.*$') all('ab', '.+') all('', '.*')\n"
	"all('abc', 'a.-c') all('abcabc', 'a.*c') all('abcabc', 'a.-c') all('x', '[x]?[y]?x')\n"
	/* captures */
	"all('hello world', '(h)(e)(l)') all('hello', '(l)(l)') all('hello', '()ll()') all('hello', '()')\n"
	"all('hello', '(l*)') all('hello', '((l)(l))') all('hello', '(h(e(l(l(o)))))') all('abc', '(a)(b)(c)(d?)')\n"
	"all('abc', '()a()b()c()') all('abc', '(()a())') all('abc', '(a)') all('abc', 'a(') all('abc', 'x(')\n"
	"all('abc', 'a)') all('abc', ')') all('abc', '(') all('abc', '(()') all('abc', '((a)') all('abc', '(a))')\n"
	"all('abc', '()*') all('a*', '(a)*') all('a', '(a)?') all('abc', '(.)-') all('abc', '(.-)c')\n"
	"all('abc', string.rep('()', 32)) all('abc', string.rep('()', 33)) all('aaa', string.rep('(a?)', 32))\n"
	"all('aaa', string.rep('(a?)', 33)) all('a', string.rep('(', 33) .. 'a' .. string.rep(')', 33))\n"
	/* back-references */
	"all('hello', '(l)%1') all('abcabc', '(abc)%1') all('abab', '(a)(b)%1%2') all('aa', '(a)%2')\n"
	"all('aa', '(a%1)') all('aa', '%1') all('aa', '(a)%0') all('aa*', '(a)%1*') all('aa', '()%1')\n"
	"all('xx', '()x%1') all('\"hi\" \\'there\\'', '([\"\\'])(.-)%1') all('aaaa', '(a+)%1') all('abab', '(.-)%1$')\n"
	"all('aa', '(a)%9') all('aa', '(a)%10') all('abba', '(a)(b)%2%1')\n"
	/* %b and %f */
	"all('f(a(b)c)d', '%b()') all('f(a(b)c', '%b()') all('x[[y]]z', '%b[]') all('aXbXc', '%bXX')\n"
	"all('abc', '%b') all('abc', '%ba') all('a(b)', '%b()*') all('(', '%b()') all(')', '%b()')\n"
	"all('THE (quick) fox', '%f[%a]%a+') all('THE (quick) fox', '%f[%A]') all('hello', '%f[%l]')\n"
	"all('hello', '%f[%z]') all('hello', '%f[^%z]') all('a b', '%f[%w]%w+%f[%W]') all('abc', '%f')\n"
	"all('abc', '%fa') all('abc', '%f[a') all('abc', '%f[a]*') all('', '%f[%z]') all('ab', '%f[b]')\n"
	/* malformed patterns, where the matcher reaches the fault and where it does not */
	"all('abc', '%') all('abc', 'a%') all('abc', 'x%') all('abc', '%g%') all('abc', 'a[') all('abc', 'x[')\n"
	"all('abc', '[a-') all('abc', '%b(') all('abc', 'a%b(') all('abc', '%f') all('abc', 'c%f')\n"
	/* init, negative and out of range */
	"for _, i in ipairs({-100, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 100, math.maxinteger, math.mininteger}) do\n"
	"  all('abc', 'b', i) all('abc', '', i) all('abc', '^.', i) all('abc', '.-$', i) all('abc', '()', i)\n"
	"  compare('find', 'abc', 'b', i, true) compare('find', 'abc', '', i, true)\n"
	"end\n"
	"compare('find', 'abc', 'b', 2.0) compare('find', 'abc', 'b', 2.5) compare('find', 'abc', 'b', '2')\n"
	"compare('find', 'abc', 'b', 'x') compare('match', 'abc', 'b', {}) compare('gmatch', 'abc', '.', 2.5)\n"
	/* find's plain search */
	"compare('find', 'a.b', '.', 1, true) compare('find', 'a+b', 'a+b', 1, true) compare('find', '^ab', '^a', 1, true)\n"
	"compare('find', 'a(b', '(', 1, true) compare('find', 'a%b', '%', 1, 1) compare('find', 'a.b', '.', 1, false)\n"
	"compare('find', 'a.b', '.', nil, true) compare('find', 'abc', 'abcd', 1, true) compare('find', 'a)b', 'a)')\n"
	"compare('find', 'a]b', ']') compare('find', 'x\\0y', '\\0y') compare('find', 'x\\0y', 'x\\0y.')\n"
	"compare('find', string.rep('ab', 100) .. 'abc', string.rep('ab', 40) .. 'c', 1, true)\n"
	"compare('find', string.rep('ab', 100), string.rep('ab', 40) .. 'c', 1, true)\n"
	"compare('find', string.rep('aab', 60), string.rep('aab', 30), 7, true)\n"
	"compare('find', string.rep('a', 300), string.rep('a', 100), -150, true)\n"
	/* argument conversions and errors */
	"all(12345, 3) all(12.5, '%.') all('abc', 'b', nil) compare('find') compare('find', 'a')\n"
	"compare('find', nil, 'a') compare('match', {}, 'a') compare('gmatch', 'a') compare('gmatch', 'a', nil)\n"
	"compare('gsub', 'a', 'a') compare('gsub', 'a', 'a', nil) compare('gsub', 'a', 'a', true)\n"
	"compare('gsub', 'a', 'a', 'b', 'x') compare('gsub', 'a', 'a', 'b', 1.5) compare('gsub', 'a', 'a', {}, '1')\n"
	"compare('gsub', nil, 'a', 'b') compare('gsub', 'a', nil, 'b') compare('gsub', 'a', 'a', 'b', nil)\n"
	/* gmatch: every match, empty matches, no anchor, and init (5.4) */
	"compare('gmatch', 'hello world from Lua', '%a+') compare('gmatch', 'from=world, to=Lua', '(%w+)=(%w+)')\n"
	"compare('gmatch', 'abc', '') compare('gmatch', 'abc', 'x*') compare('gmatch', 'abc', '()')\n"
	"compare('gmatch', '^a^a', '^a') compare('gmatch', 'aaa', '^a') compare('gmatch', 'a,b,,c', '([^,]*)')\n"
	"compare('gmatch', 'abab', 'a*') compare('gmatch', 'aXbXc', '%f[%w]%w') compare('gmatch', 'abc', '(', 1)\n"
	"for _, i in ipairs({-10, -2, -1, 0, 1, 2, 3, 4, 5, 10}) do\n"
	"  compare('gmatch', 'abc', '.', i) compare('gmatch', 'abc', '', i) compare('gmatch', 'abc', '()', i)\n"
	"end\n"
	/* gsub: string replacements */
	"compare('gsub', 'hello world', '(%w+)', '%1 %1') compare('gsub', 'hello world', '%w+', '%0 %0', 1)\n"
	"compare('gsub', 'hello world from Lua', '(%w+)%s*(%w+)', '%2 %1') compare('gsub', 'abc', '', '-')\n"
	"compare('gsub', 'abc', '%w', '%%') compare('gsub', 'abc', '%w', '%') compare('gsub', 'abc', '%w', 'x%')\n"
	"compare('gsub', 'abc', '%w', '%a') compare('gsub', 'abc', '%w', '%1') compare('gsub', 'abc', '%w', '%2')\n"
	"compare('gsub', 'abc', '(%w)', '%2') compare('gsub', 'abc', '()%w', '%1') compare('gsub', 'abc', '()(%w)', '%2%1')\n"
	"compare('gsub', 'abc', '(%w', 'x') compare('gsub', 'abc', '(%w', '%1') compare('gsub', 'abc', '(%w', '%0')\n"
	"compare('gsub', 'abc', 'b', '%\\0') compare('gsub', 'abc', 'b', 'x\\0y') compare('gsub', 'abc', 'b', 5)\n"
	"compare('gsub', 'abc', 'b', 2.5) compare('gsub', 'abc', 'b', 2^63) compare('gsub', 'abc', '^a', 'x')\n"
	"compare('gsub', 'abc', '^b', 'x') compare('gsub', 'aaa', '^a', 'x') compare('gsub', 'aaa', 'a*', '-')\n"
	"compare('gsub', 'aaa', 'a-', '-') compare('gsub', 'abc', '$', '!') compare('gsub', 'abc', '^', '!')\n"
	"compare('gsub', 'abc', '.', '%0%0', -1) compare('gsub', 'abc', '.', '%0%0', 0) compare('gsub', 'abc', '.', 'x', 2)\n"
	"compare('gsub', 'abc', '.', 'x', math.maxinteger) compare('gsub', 'abc', '.', 'x', math.mininteger)\n"
	"compare('gsub', 'abc', 'x', 'y') compare('gsub', '', '', 'y') compare('gsub', '', 'x*', 'y')\n"
	"compare('gsub', 'a b c', '%s', '%%%0%%') compare('gsub', 'x', 'x', '%9') compare('gsub', 'abc', '', '%1')\n"
	/* gsub: tables and functions */
	"local T = {a = 'A', b = false, ab = 1.5, [1] = 'one', [2] = true, c = {}, abc = 7}\n"
	"for _, p in ipairs({'%a', '%a+', '()', '(%a)(%a)', '()a', '(a', 'x', '', '.-'}) do\n"
	"  compare('gsub', 'abc ab b', p, T) compare('gsub', 'abc ab b', p, FN) compare('gsub', 'abc ab b', p, BADFN)\n"
	"  compare('gsub', 'abc ab b', p, T, 1) compare('gsub', 'abc ab b', p, FN, 2)\n"
	"end\n"
	"compare('gsub', 'abc', '%w', setmetatable({}, {__index = function(t, k) return k:upper() end}))\n"
	"compare('gsub', 'abc', '%w', function() error('boom') end) compare('gsub', 'abc', '%w', function() end)\n"
	"compare('gsub', 'abc', '%w', function(x) return x:gsub('.', '%0%0') end)\n"
	"compare('gsub', 'abc', '%w', function(x) return x:find('b') end)\n"
	/* recursion depth ('pattern too complex') on both sides of the limit */
	"for _, n in ipairs({150, 198, 199, 200, 201, 202, 250}) do\n"
	"  compare('match', string.rep('a', 260), string.rep('a?', n))\n"
	"  compare('match', string.rep('a', 260), string.rep('a*', n))\n"
	"  compare('match', string.rep('a', 40), string.rep('(', 31) .. string.rep('a?', n - 31))\n"
	"end\n"
	"compare('match', string.rep('a', 300), string.rep('.?', 300) .. 'b')\n"
	"compare('match', string.rep('a', 300), string.rep('a', 300))\n";

/* Random patterns and subjects from small alphabets, so that matches
 * happen, with at most three quantifiers so that Lua's own matcher stays
 * fast on them. */
static const char random_cases[] =
	"math.randomseed(20240611)\n"
	"local R = math.random\n"
	"local function pick(t) return t[R(#t)] end\n"
	"local subj = {'a','a','a','b','b','c','1',' ','(',')','_','\\0','%','^','$','-','A',']','[','.'}\n"
	"local atoms = {'a','a','b','b','c','.','.','%a','%d','%s','%w','%A','%l','%u','%p','%x','%g',\n"
	"  '%c','%S','%W','%%','%.','%(','%]','%z','[ab]','[^a]','[a-c]','[%d_]','[]]','[^]a]','[a-]',\n"
	"  '[%a-]','[b-a]','[^%s]','1',' ','_','-','^','$','*','(',')','%b()','%bab','%f[%w]','%f[a]',\n"
	"  '%f[^a]','%1','%2','()','%','[','%b','%f','%fa','[^','[a','%0'}\n"
	"local common = {'a','a','b','.','%a','[ab]','[^a]','%w','a','b'}\n"
	"local quants = {'*','+','-','?'}\n"
	"local function gen_subject()\n"
	"  local t = {}\n"
	"  for i = 1, R(0, 12) do t[i] = R(10) <= 6 and pick({'a', 'a', 'b'}) or pick(subj) end\n"
	"  return table.concat(t)\n"
	"end\n"
	"local function gen_pattern()\n"
	"  local t, nq, open = {}, 0, 0\n"
	"  if R(5) == 1 then t[#t + 1] = '^' end\n"
	"  for i = 1, R(1, 5) do\n"
	"    local r = R(12)\n"
	"    if r == 1 then t[#t + 1] = '(' open = open + 1\n"
	"    elseif r == 2 and open > 0 then t[#t + 1] = ')' open = open - 1\n"
	"    else\n"
	"      local a = R(10) <= 7 and pick(common) or pick(atoms)\n"
	"      t[#t + 1] = a\n"
	"      if nq < 3 and R(2) == 1 and not orig.find(a, '^%%[bf1-9]') then t[#t + 1] = pick(quants) nq = nq + 1 end\n"
	"    end\n"
	"  end\n"
	"  if R(4) > 1 then for i = 1, open do t[#t + 1] = ')' end end\n"
	"  if R(5) == 1 then t[#t + 1] = '$' end\n"
	"  return table.concat(t)\n"
	"end\n"
	"local inits = {-15, -3, -1, 0, 1, 2, 3, 5, 13, 20}\n"
	"local repls = {'x', '%0', '%1', '<%1|%2>', '%%', '', '[%0]', 7, FN, BADFN,\n"
	"  {a = 'A', b = false, ab = 'AB', [1] = 'one', [3] = 3}}\n"
	"for k = 1, ROUNDS do\n"
	"  local s, p = gen_subject(), gen_pattern()\n"
	"  local init = R(3) == 1 and pick(inits) or nil\n"
	"  compare('find', s, p, init)\n"
	"  compare('match', s, p, init)\n"
	"  compare('gmatch', s, p, init)\n"
	"  compare('gsub', s, p, pick(repls), R(4) == 1 and R(-1, 3) or nil)\n"
	"  if R(8) == 1 then compare('find', s, p, init, true) end\n"
	"  if R(20) == 1 then compare('gsub', s, p, '%' .. pick({'', 'x', '3', '%', '0'})) end\n"
	"end\n";

static void check_no_failures(lua_State *L, int min_cases)
{
	lua_getglobal(L, "cases");
	int cases = (int)lua_tointeger(L, -1);
	lua_getglobal(L, "failures");
	int nfail = (int)luaL_len(L, -1);
	if (nfail > 0) {
		lua_getglobal(L, "table");
		lua_getfield(L, -1, "concat");
		lua_pushvalue(L, -3);
		lua_pushliteral(L, "\n  ");
		lua_call(L, 2, 1);
		fail_msg("%d of %d cases differ (first ones):\n  %s", nfail, cases, lua_tostring(L, -1));
	}
	assert_true(cases >= min_cases);
	printf("  %d differential cases agree\n", cases);
	lua_settop(L, 0);
}

static void test_pattern_functions_replace_the_string_library(void **state)
{
	(void)state;
	lua_State *L = new_state(0);
	run(L, "for _, f in ipairs({'find', 'match', 'gmatch', 'gsub'}) do\n"
	       "  assert(string[f] == mine[f] and mine[f] ~= orig[f])\n"
	       "end\n"
	       "assert(('hello'):find('l') == 3)\n"
	       "assert(('key=val'):match('(%w+)=(%w+)') == 'key')\n"
	       "assert(select(2, ('a b c'):gsub(' ', '')) == 2)");
	luaenv_free(L);
}

static void test_hand_written_cases_agree_with_lua(void **state)
{
	(void)state;
	lua_State *L = new_state(0);
	run(L, harness);
	run(L, hand_cases);
	check_no_failures(L, 500);
	luaenv_free(L);
}

static void test_random_cases_agree_with_lua(void **state)
{
	(void)state;
	lua_State *L = new_state(0);
	run(L, harness);
	run(L, "ROUNDS = 2500");
	run(L, random_cases);
	check_no_failures(L, 10000);
	luaenv_free(L);
}

static const char pathological[] = "return string.rep('a', 20000):find('.-.-.-b')";

static void test_backtracking_pattern_stops_at_the_budget(void **state)
{
	(void)state;
	lua_State *L = new_state(200000);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_fails(L, pathological, "stopped after 200000 Lua instructions");
	run_fails(L, "return string.rep('a', 20000):match('(.-)(.-)(.-)b')", "stopped after");
	run_fails(L, "for x in string.rep('a', 20000):gmatch('.-.-.-b') do end", "stopped after");
	run_fails(L, "return string.rep('a', 20000):gsub('.-.-.-b', '')", "stopped after");
	run_fails(L, "return string.rep('a', 20000):gsub('a', function() return ('a'):rep(30000):find('.-.-b') end)",
		  "stopped after");
	run_fails(L, "return coroutine.wrap(function() return string.rep('a', 20000):find('.-.-.-b') end)()",
		  "stopped after");
	/* Each of these calls takes fewer steps than one charge, but they add
	 * up (the loop alone would run 3000 times 6 VM instructions). */
	run_fails(L, "local s = ('a'):rep(300) for i = 1, 3000 do s:match('b') end", "stopped after");
	assert_true(seconds_since(&t0) < 5.0);	/* generous: valgrind runs this too */
	/* The state works afterwards, the budget being per chunk. */
	run(L, "assert(('hello world'):find('o w') == 5)\n"
	       "assert(('abc'):gsub('%w', '%0%0') == 'aabbcc')\n"
	       "local n = 0 for w in ('one two'):gmatch('%a+') do n = n + 1 end assert(n == 2)");
	luaenv_free(L);
}

static int l_interrupt(lua_State *L)
{
	luaenv_interrupt(L);
	return 0;
}

static void test_interrupt_stops_a_long_match(void **state)
{
	(void)state;
	lua_State *L = new_state(0);
	lua_register(L, "interrupt", l_interrupt);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	luaenv_interrupt(L);
	run_fails(L, pathological, "interrupted");
	assert_false(luaenv_interrupted(L));
	/* Pressed while the chunk runs, before the VM's own hook looks. */
	run_fails(L, "interrupt(); return string.rep('a', 20000):match('.-.-.-b')", "interrupted");
	run_fails(L, "interrupt(); for x in string.rep('a', 20000):gmatch('.-.-.-b') do end", "interrupted");
	assert_true(seconds_since(&t0) < 5.0);	/* generous: valgrind runs this too */
	run(L, "assert(('abc'):match('^(a)(.-)$') == 'a')");
	luaenv_free(L);
}

/* Deep nesting gives Lua's own "pattern too complex", not a crash, and
 * malformed patterns give their messages. */
static void test_errors_name_the_fault(void **state)
{
	(void)state;
	lua_State *L = new_state(0);
	run_fails(L, "return ('a'):rep(1000):match(('a?'):rep(1000))", "pattern too complex");
	run_fails(L, "return ('a'):rep(1000):match(('('):rep(40))", "too many captures");
	run_fails(L, "return ('abc'):find('%')", "malformed pattern (ends with '%')");
	run_fails(L, "return ('abc'):find('[a')", "malformed pattern (missing ']')");
	run_fails(L, "return ('abc'):find('%b')", "missing arguments to '%b'");
	run_fails(L, "return ('abc'):find('%fx')", "missing '[' after '%f' in pattern");
	run_fails(L, "return ('abc'):find('(a')", "unfinished capture");
	run_fails(L, "return ('abc'):match('a)')", "invalid pattern capture");
	run_fails(L, "return ('abc'):find('%1')", "invalid capture index %1");
	run_fails(L, "return ('abc'):gsub('a', '%2')", "invalid capture index %2");
	run_fails(L, "return ('abc'):gsub('a', '%x')", "invalid use of '%' in replacement string");
	run_fails(L, "return ('abc'):gsub('a', {a = {}})", "invalid replacement value (a table)");
	luaenv_free(L);
}

/* Long subjects and needles cost linear work: a quadratic search would
 * spend the small budget. */
static void test_long_inputs_take_linear_work(void **state)
{
	(void)state;
	lua_State *L = new_state(3000000);
	run(L, "local h = ('a'):rep(200000)\n"
	       "local n = ('a'):rep(100000) .. 'b'\n"
	       "assert(h:find(n, 1, true) == nil)\n"
	       "assert((h .. 'b'):find(n, 1, true) == 100001)\n"
	       "assert((h .. 'b'):find(n) == 100001)\n"
	       "local s = ('ab'):rep(100000)\n"
	       "local r, k = s:gsub('a', 'x')\n"
	       "assert(k == 100000 and #r == 200000)\n"
	       "assert(s:match('^(a[ab]*)b$') == s:sub(1, -2))\n"
	       "local words = 0 for w in s:gmatch('ab') do words = words + 1 end\n"
	       "assert(words == 100000)\n"
	       "local set = '[' .. ('x'):rep(1000) .. 'a]'\n"
	       "assert(('a'):rep(100):find(set .. '+') == 1)");
	luaenv_free(L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_functions_replace_the_string_library),
		cmocka_unit_test(test_hand_written_cases_agree_with_lua),
		cmocka_unit_test(test_random_cases_agree_with_lua),
		cmocka_unit_test(test_backtracking_pattern_stops_at_the_budget),
		cmocka_unit_test(test_interrupt_stops_a_long_match),
		cmocka_unit_test(test_errors_name_the_fault),
		cmocka_unit_test(test_long_inputs_take_linear_work),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
