#include "lua/lua_show.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* What a REPL line's values look like, and what print() writes. Lua's own
 * REPL prints them with Lua's print, which shows a table as "table:
 * 0x55d0c2a4b2f0": nothing a student can read, and an address that changes
 * from run to run, so a transcript would too. A table is shown by what it
 * holds instead, in an order that does not depend on Lua's (seeded)
 * hashing:
 *
 *   {1, 2, "three"}
 *   {kind = "state", n = 1, t = 0}
 *
 * the array part first, then the other keys sorted (numbers, then strings
 * in byte order, then true and false). Tables within tables are shown one
 * level deep; longer ones are cut, saying how much was left out; a table
 * too wide for a line gets a line per entry. Anything else shows as Lua's
 * print would show it, but with no address: a function is "function", a
 * userdata without __tostring is its type name. */

enum {
	SHOW_DEPTH = 2,		/* tables this deep show as {...} */
	SHOW_ITEMS = 50,	/* entries shown of the outermost table */
	SHOW_INNER_ITEMS = 24,	/* of a table within it */
	SHOW_WIDTH = 100,	/* wider than this: a line per entry */
};

static void push_shown(lua_State *L, int idx, int depth);

static bool valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = s[i];
		size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || i + len > n || (len == 2 && c < 0xc2))
			return false;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* A string in double quotes, as Lua would read it back: control bytes
 * escaped, and every byte above 0x7f too unless the text is UTF-8 (so
 * Chinese reads as Chinese, and p:bytes() as escapes). */
static void push_quoted(lua_State *L, int idx)
{
	size_t n;
	const unsigned char *s = (const unsigned char *)lua_tolstring(L, idx, &n);
	bool utf8 = valid_utf8(s, n);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addchar(&b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			luaL_addchar(&b, '\\');
			luaL_addchar(&b, (char)c);
		} else if (c == '\n') {
			luaL_addstring(&b, "\\n");
		} else if (c == '\t') {
			luaL_addstring(&b, "\\t");
		} else if (c < 0x20 || c == 0x7f || (c >= 0x80 && !utf8)) {
			char esc[8];
			/* three digits, so that a digit after it is not read as part of it */
			esc[0] = '\\', esc[1] = (char)('0' + c / 100), esc[2] = (char)('0' + c / 10 % 10),
			esc[3] = (char)('0' + c % 10), esc[4] = '\0';
			luaL_addstring(&b, esc);
		} else {
			luaL_addchar(&b, (char)c);
		}
	}
	luaL_addchar(&b, '"');
	luaL_pushresult(&b);
}

/* A value that is not a table of its own to open: as print shows it,
 * less any address. */
static void push_plain(lua_State *L, int idx, bool quote_strings)
{
	switch (lua_type(L, idx)) {
	case LUA_TSTRING:
		if (quote_strings) {
			push_quoted(L, idx);
			return;
		}
		break;
	case LUA_TFUNCTION:
	case LUA_TTHREAD:
	case LUA_TLIGHTUSERDATA:
		lua_pushstring(L, luaL_typename(L, idx));	/* the type alone, no address */
		return;
	case LUA_TUSERDATA:
	case LUA_TTABLE:
		if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
			lua_pop(L, 1);
			break;	/* its own text */
		}
		if (luaL_getmetafield(L, idx, "__name") != LUA_TNIL) {
			if (lua_type(L, -1) == LUA_TSTRING)
				return;
			lua_pop(L, 1);
		}
		lua_pushstring(L, luaL_typename(L, idx));
		return;
	}
	luaL_tolstring(L, idx, NULL);
}

/* Keys other than the array part's, sorted: numbers, strings in byte
 * order, false, true, then anything else in the order found. */
struct key_order {
	int cls;	/* 0 number, 1 string, 2 boolean, 3 other */
	bool is_int;
	lua_Integer i;
	lua_Number x;
	const char *s;	/* held by the key table, which stays on the stack */
	size_t len;
	int pos;	/* in the key table */
};

static int by_key(const void *pa, const void *pb)
{
	const struct key_order *a = pa, *b = pb;
	if (a->cls != b->cls)
		return a->cls - b->cls;
	if (a->cls == 0) {
		if (a->is_int && b->is_int && a->i != b->i)
			return a->i < b->i ? -1 : 1;
		if (!(a->is_int && b->is_int) && a->x != b->x)
			return a->x < b->x ? -1 : 1;
	} else if (a->cls == 1) {
		int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);
		if (c || a->len != b->len)
			return c ? c : a->len < b->len ? -1 : 1;
	} else if (a->cls == 2 && a->i != b->i) {
		return a->i < b->i ? -1 : 1;
	}
	return a->pos - b->pos;
}

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

bool lua_is_keyword(const char *w)
{
	static const char *const keywords[] = {
		"and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
		"local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while", NULL,
	};
	for (int i = 0; keywords[i]; i++)
		if (strcmp(w, keywords[i]) == 0)
			return true;
	return false;
}

bool lua_is_name(const char *s, size_t n)
{
	if (n == 0 || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i], i == 0))
			return false;
	return !lua_is_keyword(s);
}

/* The table at t's keys outside 1..n, into a new table (left on the stack)
 * and a sorted array of struct key_order (a userdata, left above it).
 * Returns how many. */
static int sorted_keys(lua_State *L, int t, lua_Integer n, struct key_order **out)
{
	lua_newtable(L);
	int ks = lua_gettop(L), m = 0;
	lua_pushnil(L);
	while (lua_next(L, t)) {
		lua_pop(L, 1);
		if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= n)
			continue;
		if (m == INT_MAX - 1)
			luaL_error(L, "the table has too many keys to show");
		lua_pushvalue(L, -1);
		lua_rawseti(L, ks, ++m);
	}
	struct key_order *k = lua_newuserdatauv(L, (size_t)m * sizeof *k + 1, 0);
	for (int i = 0; i < m; i++) {
		lua_rawgeti(L, ks, i + 1);
		struct key_order *o = &k[i];
		memset(o, 0, sizeof *o);
		o->pos = i + 1;
		switch (lua_type(L, -1)) {
		case LUA_TNUMBER:
			o->cls = 0;
			o->is_int = lua_isinteger(L, -1);
			o->i = lua_tointeger(L, -1);
			o->x = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			o->cls = 1;
			o->s = lua_tolstring(L, -1, &o->len);
			break;
		case LUA_TBOOLEAN:
			o->cls = 2;
			o->i = lua_toboolean(L, -1);
			break;
		default:
			o->cls = 3;
		}
		lua_pop(L, 1);
	}
	qsort(k, (size_t)m, sizeof *k, by_key);
	*out = k;
	return m;
}

/* "key = " for the key at idx. */
static void push_key(lua_State *L, int idx)
{
	size_t n = 0;
	const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tolstring(L, idx, &n) : NULL;
	if (s && lua_is_name(s, n)) {
		lua_pushvalue(L, idx);
		lua_pushliteral(L, " = ");
		lua_concat(L, 2);
		return;
	}
	lua_pushliteral(L, "[");
	push_plain(L, idx, true);
	lua_pushliteral(L, "] = ");
	lua_concat(L, 3);
}

/* The entries (strings) on the stack from first up, joined into a table's
 * text, which takes their place: on one line, or a line each when too wide
 * (the outermost table only). */
static void join_entries(lua_State *L, int first, int depth)
{
	const int count = lua_gettop(L) - first + 1;
	size_t width = 2;
	bool has_newline = false;
	for (int i = first; i < first + count; i++) {
		size_t n;
		const char *s = lua_tolstring(L, i, &n);
		width += n + 2;
		has_newline |= memchr(s, '\n', n) != NULL;
	}
	bool multiline = depth == 0 && count > 1 && (has_newline || width > SHOW_WIDTH);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	luaL_addstring(&b, multiline ? "{\n" : "{");
	for (int i = 0; i < count; i++) {
		if (multiline)
			luaL_addstring(&b, "  ");
		lua_pushvalue(L, first + i);
		luaL_addvalue(&b);
		if (multiline)
			luaL_addstring(&b, i + 1 < count ? ",\n" : "\n");
		else if (i + 1 < count)
			luaL_addstring(&b, ", ");
	}
	luaL_addchar(&b, '}');
	luaL_pushresult(&b);
	lua_replace(L, first);
	lua_settop(L, first);
}

/* The table at t, as its entries. */
static void push_table(lua_State *L, int t, int depth)
{
	if (depth >= SHOW_DEPTH) {
		lua_pushliteral(L, "{...}");
		return;
	}
	const int limit = depth == 0 ? SHOW_ITEMS : SHOW_INNER_ITEMS;
	luaL_checkstack(L, limit + 16, "nesting too deep to show");
	lua_Integer n = (lua_Integer)lua_rawlen(L, t);
	struct key_order *k;
	int m = sorted_keys(L, t, n, &k);
	int ks = lua_gettop(L) - 1;
	int first = lua_gettop(L) + 1;
	lua_Integer total = n + m, shown = 0;
	for (lua_Integer i = 1; i <= n && shown < limit; i++, shown++) {
		lua_rawgeti(L, t, i);
		push_shown(L, lua_gettop(L), depth + 1);
		lua_remove(L, -2);
	}
	for (int j = 0; j < m && shown < limit; j++, shown++) {
		lua_rawgeti(L, ks, k[j].pos);
		int key = lua_gettop(L);
		push_key(L, key);
		lua_pushvalue(L, key);
		lua_rawget(L, t);
		push_shown(L, lua_gettop(L), depth + 1);
		lua_remove(L, -2);
		lua_concat(L, 2);	/* "key = value" */
		lua_remove(L, key);
	}
	if (total > shown)
		lua_pushfstring(L, "... (%I more)", (lua_Integer)(total - shown));
	if (lua_gettop(L) >= first)
		join_entries(L, first, depth);
	else
		lua_pushliteral(L, "{}");
	lua_replace(L, ks);
	lua_settop(L, ks);
}

static void push_shown(lua_State *L, int idx, int depth)
{
	if (lua_type(L, idx) == LUA_TTABLE && luaL_getmetafield(L, idx, "__tostring") == LUA_TNIL)
		push_table(L, idx, depth);
	else {
		if (lua_type(L, idx) == LUA_TTABLE)
			lua_pop(L, 1);	/* the __tostring looked at */
		push_plain(L, idx, depth > 0);
	}
}

int luaenv_show_values(lua_State *L)
{
	/* Into a buffer one value at a time: there may be more values than
	 * the stack has room for twice over (print(table.unpack(t))). */
	int n = lua_gettop(L);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	for (int i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		push_shown(L, i, 0);
		luaL_addvalue(&b);
	}
	luaL_addchar(&b, '\n');
	luaL_pushresult(&b);
	return 1;
}
