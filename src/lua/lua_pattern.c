/* Lua 5.4 patterns, matched by a backtracking interpreter that reads the
 * pattern as it goes (so, as in Lua, a malformed piece is only reported
 * when matching reaches it) and charges every step to the budget.
 *
 * A step is one call of match() or one test of a subject character
 * against a pattern item (each element of a set [...] examined counts
 * too), about the work of one Lua VM instruction; byte runs compared or
 * scanned in bulk (plain find, back-references) count one step per 32
 * bytes. Every CHARGE_EVERY steps the matcher calls luaenv_charge_steps,
 * which may raise a Lua error (budget spent, or Ctrl-C): that longjmps out
 * of the matcher, so the matcher keeps everything in fixed arrays on the C
 * stack or on the Lua stack, never in malloc'd memory. Steps not charged
 * yet carry over to the next call, so a loop of many small matches is
 * charged too.
 *
 * Semantics follow the reference manual; where it is silent (a quantifier
 * after %b, %f or %1 is a plain character; '^' in gmatch matches itself;
 * a back-reference to a position capture never matches; %z is '\0'), they
 * follow what Lua 5.4 does, checked case by case in
 * tests/unit/test_lua_pattern.c. */
#include "lua/lua_pattern.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lua/lua_env.h"

enum {
	MAX_CAPTURES = 32,	/* Lua's LUA_MAXCAPTURES */
	MAX_DEPTH = 200,	/* nested match() calls: Lua's limit too */
	CHARGE_EVERY = 1000,	/* steps per luaenv_charge_steps call */
	BULK_BYTES = 32,	/* bytes compared in bulk per step */
	NAIVE_MAX = 64,		/* longer plain needles use KMP */
};

/* A capture's length while it is open, and the mark of a position capture. */
#define CAP_OPEN ((ptrdiff_t)-1)
#define CAP_POSITION ((ptrdiff_t)-2)

struct capture {
	const char *start;
	ptrdiff_t len;
};

/* Steps counted but not charged yet, kept from call to call so that many
 * small matches add up: an upvalue of every function here. */
struct pending {
	long long steps;
};

struct matcher {
	lua_State *L;
	struct pending *pending;
	const char *src, *src_end;	/* the whole subject */
	const char *pat, *pat_end;	/* the pattern, after a leading '^' */
	int depth_left;
	int ncap;
	struct capture cap[MAX_CAPTURES];
	long long steps;		/* counted, not yet charged */
};

static void charge_now(struct matcher *m)
{
	long long whole = m->steps - m->steps % CHARGE_EVERY;
	m->steps -= whole;
	luaenv_charge_steps(m->L, whole);
}

static inline void charge(struct matcher *m, long long n)
{
	m->steps += n;
	if (m->steps >= CHARGE_EVERY)
		charge_now(m);
}

static inline void step(struct matcher *m)
{
	if (++m->steps >= CHARGE_EVERY)
		charge_now(m);
}

static void matcher_init(struct matcher *m, lua_State *L, struct pending *pending,
			 const char *s, size_t ls, const char *p, size_t lp)
{
	m->L = L;
	m->pending = pending;
	m->steps = pending->steps;
	m->src = s;
	m->src_end = s + ls;
	m->pat = p;
	m->pat_end = p + lp;
	m->ncap = 0;
	m->depth_left = MAX_DEPTH;
}

/* Before the matcher returns or calls out to Lua (which may match too). */
static void matcher_save(struct matcher *m)
{
	m->pending->steps = m->steps;
}

static void matcher_reload(struct matcher *m)
{
	m->steps = m->pending->steps;
}

static struct pending *pending_at(lua_State *L, int upvalue)
{
	return lua_touserdata(L, lua_upvalueindex(upvalue));
}

/* Before each attempt at a new subject position. */
static void matcher_restart(struct matcher *m)
{
	m->ncap = 0;
	m->depth_left = MAX_DEPTH;
}

/* --- single characters --------------------------------------------------- */

/* Is c in the class named by letter cl (%a, %d, ...)? An upper-case class
 * letter is the complement; any other character stands for itself. */
static bool in_class(int c, int cl)
{
	int r;
	switch (tolower(cl)) {
	case 'a': r = isalpha(c); break;
	case 'c': r = iscntrl(c); break;
	case 'd': r = isdigit(c); break;
	case 'g': r = isgraph(c); break;
	case 'l': r = islower(c); break;
	case 'p': r = ispunct(c); break;
	case 's': r = isspace(c); break;
	case 'u': r = isupper(c); break;
	case 'w': r = isalnum(c); break;
	case 'x': r = isxdigit(c); break;
	case 'z': r = c == 0; break;	/* deprecated, but Lua 5.4 keeps it */
	default: return cl == c;
	}
	return isupper(cl) ? r == 0 : r != 0;
}

/* Is c in the set whose '[' is at open and whose closing ']' is at close?
 * Members are %x classes or escapes, ranges x-y, and single characters. */
static bool in_set(struct matcher *m, int c, const char *open, const char *close)
{
	const char *p = open + 1;
	bool negated = *p == '^';
	if (negated)
		p++;
	while (p < close) {
		step(m);
		if (*p == '%') {
			if (in_class(c, (unsigned char)p[1]))
				return !negated;
			p += 2;
		} else if (p[1] == '-' && p + 2 < close) {
			if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2])
				return !negated;
			p += 3;
		} else {
			if ((unsigned char)*p == c)
				return !negated;
			p++;
		}
	}
	return negated;
}

/* Just past the single-character class at p (a character, '.', %x or a
 * set), where a quantifier may follow. The character right after '[' (or
 * "[^") is a member even when it is ']'; "%]" never closes a set. */
static const char *class_end(struct matcher *m, const char *p)
{
	const char *end = m->pat_end;
	if (*p == '%') {
		if (p + 1 == end)
			luaL_error(m->L, "malformed pattern (ends with '%%')");
		return p + 2;
	}
	if (*p != '[')
		return p + 1;
	const char *q = p + 1;
	if (q < end && *q == '^')
		q++;
	for (bool first = true;; first = false) {
		if (q == end)
			luaL_error(m->L, "malformed pattern (missing ']')");
		if (!first && *q == ']')
			return q + 1;
		step(m);
		q += (*q == '%' && q + 1 < end) ? 2 : 1;
	}
}

/* Does the subject character at s match the class from p to ep? */
static bool single(struct matcher *m, const char *s, const char *p, const char *ep)
{
	if (s >= m->src_end)
		return false;
	int c = (unsigned char)*s;
	step(m);
	switch (*p) {
	case '.': return true;
	case '%': return in_class(c, (unsigned char)p[1]);
	case '[': return in_set(m, c, p, ep - 1);
	default: return (unsigned char)*p == c;
	}
}

/* --- the matcher ------------------------------------------------------------ */

static const char *match(struct matcher *m, const char *s, const char *p);

/* Class p..ep repeated as often as it matches from s, then as few times
 * as the rest of the pattern (after ep's quantifier) needs. */
static const char *greedy(struct matcher *m, const char *s, const char *p, const char *ep)
{
	size_t n = 0;
	while (single(m, s + n, p, ep))
		n++;
	for (;;) {
		const char *e = match(m, s + n, ep + 1);
		if (e || n == 0)
			return e;
		n--;
	}
}

/* Class p..ep repeated as few times as the rest of the pattern allows. */
static const char *lazy(struct matcher *m, const char *s, const char *p, const char *ep)
{
	for (;;) {
		const char *e = match(m, s, ep + 1);
		if (e)
			return e;
		if (!single(m, s, p, ep))
			return NULL;
		s++;
	}
}

static const char *open_capture(struct matcher *m, const char *s, const char *p, ptrdiff_t what)
{
	if (m->ncap >= MAX_CAPTURES)
		luaL_error(m->L, "too many captures");
	m->cap[m->ncap++] = (struct capture){s, what};
	const char *e = match(m, s, p);
	if (!e)
		m->ncap--;
	return e;
}

/* ')' closes the innermost capture still open. */
static const char *close_capture(struct matcher *m, const char *s, const char *p)
{
	int i = m->ncap - 1;
	while (i >= 0 && m->cap[i].len != CAP_OPEN)
		i--;
	if (i < 0)
		luaL_error(m->L, "invalid pattern capture");
	m->cap[i].len = s - m->cap[i].start;
	const char *e = match(m, s, p);
	if (!e)
		m->cap[i].len = CAP_OPEN;
	return e;
}

/* %bxy, with p at x: from an x at s to the y that balances it. */
static const char *balanced(struct matcher *m, const char *s, const char *p)
{
	if (m->pat_end - p < 2)
		luaL_error(m->L, "malformed pattern (missing arguments to '%%b')");
	if (s >= m->src_end || *s != p[0])
		return NULL;
	ptrdiff_t open = 1;
	for (s++; s < m->src_end; s++) {
		step(m);
		if (*s == p[1]) {
			if (--open == 0)
				return s + 1;
		} else if (*s == p[0]) {
			open++;
		}
	}
	return NULL;
}

/* %f[set], with *pp at '[': matches the empty string where the previous
 * character is not in the set and the next one is (the subject's ends
 * count as '\0'). Moves *pp past the set. */
static const char *frontier(struct matcher *m, const char *s, const char **pp)
{
	const char *p = *pp;
	if (p == m->pat_end || *p != '[')
		luaL_error(m->L, "missing '[' after '%%f' in pattern");
	const char *ep = class_end(m, p);
	*pp = ep;
	int prev = s == m->src ? 0 : (unsigned char)s[-1];
	int next = s == m->src_end ? 0 : (unsigned char)*s;
	if (!in_set(m, prev, p, ep - 1) && in_set(m, next, p, ep - 1))
		return s;
	return NULL;
}

/* %1-%9: the same text as a closed capture (a position capture never
 * matches again). */
static const char *backref(struct matcher *m, const char *s, int digit)
{
	int i = digit - '1';
	if (i < 0 || i >= m->ncap || m->cap[i].len == CAP_OPEN)
		luaL_error(m->L, "invalid capture index %%%d", i + 1);
	ptrdiff_t len = m->cap[i].len;
	if (len < 0 || m->src_end - s < len)
		return NULL;
	charge(m, 1 + len / BULK_BYTES);
	return memcmp(m->cap[i].start, s, (size_t)len) == 0 ? s + len : NULL;
}

/* A single-character class at p with its optional quantifier, then the
 * rest of the pattern. Returns the end of the match, or NULL; sets *next
 * (and returns s) when the caller should simply go on at *next. */
static const char *quantified(struct matcher *m, const char *s, const char *p, const char **next)
{
	const char *ep = class_end(m, p);
	char q = ep < m->pat_end ? *ep : '\0';
	*next = NULL;
	if (!single(m, s, p, ep)) {
		if (q != '*' && q != '?' && q != '-')
			return NULL;
		*next = ep + 1;	/* zero repetitions will do */
		return s;
	}
	switch (q) {
	case '?': {
		const char *e = match(m, s + 1, ep + 1);
		if (e)
			return e;
		*next = ep + 1;
		return s;
	}
	case '*': return greedy(m, s, p, ep);
	case '+': return greedy(m, s + 1, p, ep);
	case '-': return lazy(m, s, p, ep);
	default:
		*next = ep;
		return s + 1;
	}
}

/* Matches the pattern from p on against the subject from s; the end of
 * the match, or NULL. Items that need no backtracking loop here; the
 * others recurse through match(). */
static const char *match_items(struct matcher *m, const char *s, const char *p)
{
	const char *end = m->pat_end;
	while (s && p < end) {
		char c1 = p + 1 < end ? p[1] : '\0';	/* '\0' here is never special */
		if (*p == '(')
			return c1 == ')' ? open_capture(m, s, p + 2, CAP_POSITION)
					 : open_capture(m, s, p + 1, CAP_OPEN);
		if (*p == ')')
			return close_capture(m, s, p + 1);
		if (*p == '$' && p + 1 == end)
			return s == m->src_end ? s : NULL;
		if (*p == '%' && c1 == 'b') {
			s = balanced(m, s, p + 2);
			p += 4;
		} else if (*p == '%' && c1 == 'f') {
			p += 2;
			s = frontier(m, s, &p);
		} else if (*p == '%' && isdigit((unsigned char)c1)) {
			s = backref(m, s, c1);
			p += 2;
		} else {
			const char *next;
			s = quantified(m, s, p, &next);
			if (!next)
				return s;
			p = next;
		}
	}
	return s;
}

static const char *match(struct matcher *m, const char *s, const char *p)
{
	if (m->depth_left-- == 0)
		luaL_error(m->L, "pattern too complex");
	step(m);
	s = match_items(m, s, p);
	m->depth_left++;
	return s;
}

/* --- captures as results ---------------------------------------------------- */

/* Where capture i starts and its length, or CAP_POSITION for a position
 * capture; with no captures at all, capture 0 is the whole match s..e. */
static ptrdiff_t capture_at(struct matcher *m, int i, const char *s, const char *e, const char **start)
{
	if (i >= m->ncap) {
		if (i != 0)
			luaL_error(m->L, "invalid capture index %%%d", i + 1);
		*start = s;
		return e - s;
	}
	if (m->cap[i].len == CAP_OPEN)
		luaL_error(m->L, "unfinished capture");
	*start = m->cap[i].start;
	return m->cap[i].len;
}

static void push_capture(struct matcher *m, int i, const char *s, const char *e)
{
	const char *start;
	ptrdiff_t len = capture_at(m, i, s, e, &start);
	if (len == CAP_POSITION)
		lua_pushinteger(m->L, (lua_Integer)(start - m->src) + 1);
	else
		lua_pushlstring(m->L, start, (size_t)len);
}

/* Pushes every capture, or the whole match s..e when there are none (and
 * s is not NULL); returns how many values. */
static int push_captures(struct matcher *m, const char *s, const char *e)
{
	int n = (m->ncap == 0 && s) ? 1 : m->ncap;
	luaL_checkstack(m->L, n, "too many captures");
	for (int i = 0; i < n; i++)
		push_capture(m, i, s, e);
	return n;
}

/* --- find and match --------------------------------------------------------- */

/* An init argument as an offset from the subject's start (1 is the first
 * character, -1 the last; too far left is the start). May exceed len. */
static size_t start_offset(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos - 1;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 0;
	return len - (size_t)(-pos);
}

/* Does the pattern use any magic character? (It may hold '\0'.) */
static bool has_specials(const char *p, size_t lp)
{
	for (size_t i = 0; i < lp; i++) {
		switch (p[i]) {
		case '^': case '$': case '*': case '+': case '?':
		case '.': case '(': case '[': case '%': case '-':
			return true;
		}
	}
	return false;
}

/* The first needle in the haystack by Knuth-Morris-Pratt, with its table
 * in a userdata left on the stack: linear however long both are. */
static bool find_kmp(struct matcher *m, const char *h, size_t n, const char *p, size_t lp, size_t *at)
{
	uint32_t *border = lua_newuserdatauv(m->L, lp * sizeof *border, 0);
	border[0] = 0;
	for (size_t i = 1, k = 0; i < lp; i++) {
		if (i % BULK_BYTES == 0)
			step(m);
		while (k > 0 && p[i] != p[k])
			k = border[k - 1];
		if (p[i] == p[k])
			k++;
		border[i] = (uint32_t)k;
	}
	for (size_t i = 0, k = 0; i < n; i++) {
		if (i % BULK_BYTES == 0)
			step(m);
		while (k > 0 && h[i] != p[k])
			k = border[k - 1];
		if (h[i] == p[k] && ++k == lp) {
			*at = i + 1 - lp;
			return true;
		}
	}
	return false;
}

/* Where the needle p first occurs in h, as an offset in *at. */
static bool find_bytes(struct matcher *m, const char *h, size_t n, const char *p, size_t lp, size_t *at)
{
	if (lp == 0) {
		*at = 0;
		return true;
	}
	if (lp > n)
		return false;
	if (lp > NAIVE_MAX && lp < UINT32_MAX)
		return find_kmp(m, h, n, p, lp, at);
	const char *last = h + (n - lp);
	for (const char *q = h; q <= last; q++) {
		q = memchr(q, p[0], (size_t)(last - q) + 1);
		if (!q)
			return false;
		charge(m, 1 + lp / BULK_BYTES);
		if (memcmp(q + 1, p + 1, lp - 1) == 0) {
			*at = (size_t)(q - h);
			return true;
		}
	}
	return false;
}

static int find_plain(lua_State *L, const char *s, size_t ls, const char *p, size_t lp, size_t init)
{
	struct matcher m;
	size_t at;
	matcher_init(&m, L, pending_at(L, 1), s, ls, p, lp);
	bool found = find_bytes(&m, s + init, ls - init, p, lp, &at);
	matcher_save(&m);
	if (!found) {
		luaL_pushfail(L);
		return 1;
	}
	lua_pushinteger(L, (lua_Integer)(init + at) + 1);
	lua_pushinteger(L, (lua_Integer)(init + at + lp));
	return 2;
}

/* string.find (find) and string.match (!find). */
static int find_or_match(lua_State *L, bool find)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || !has_specials(p, lp)))
		return find_plain(L, s, ls, p, lp, init);
	bool anchored = lp > 0 && *p == '^';
	struct matcher m;
	matcher_init(&m, L, pending_at(L, 1), s, ls, p + anchored, lp - anchored);
	for (const char *from = s + init;; from++) {
		matcher_restart(&m);
		const char *e = match(&m, from, m.pat);
		if (e)
			matcher_save(&m);
		if (e && !find)
			return push_captures(&m, from, e);
		if (e) {
			lua_pushinteger(L, (lua_Integer)(from - s) + 1);
			lua_pushinteger(L, (lua_Integer)(e - s));
			return 2 + push_captures(&m, NULL, NULL);
		}
		if (anchored || from == m.src_end)
			break;
	}
	matcher_save(&m);
	luaL_pushfail(L);
	return 1;
}

static int l_find(lua_State *L)
{
	return find_or_match(L, true);
}

static int l_match(lua_State *L)
{
	return find_or_match(L, false);
}

/* --- gmatch ----------------------------------------------------------------- */

/* The iterator's state, beside the subject and pattern in its upvalues. */
struct gmatch_state {
	size_t pos;		/* where the next search starts */
	size_t last_end;	/* where the last match ended */
	bool matched;		/* whether last_end means anything yet */
};

/* The next match at or after pos; a match may not end where the last one
 * did (so an empty match right after a match is skipped). */
static int gmatch_next(lua_State *L)
{
	size_t ls, lp;
	const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
	const char *p = lua_tolstring(L, lua_upvalueindex(2), &lp);
	struct gmatch_state *g = lua_touserdata(L, lua_upvalueindex(3));
	struct matcher m;
	matcher_init(&m, L, pending_at(L, 4), s, ls, p, lp);
	for (size_t at = g->pos; at <= ls; at++) {
		matcher_restart(&m);
		const char *e = match(&m, s + at, p);
		if (e && !(g->matched && (size_t)(e - s) == g->last_end)) {
			g->pos = g->last_end = (size_t)(e - s);
			g->matched = true;
			matcher_save(&m);
			return push_captures(&m, s + at, e);
		}
	}
	matcher_save(&m);
	return 0;
}

/* '^' is no anchor here (it would stop the iteration): it matches itself. */
static int l_gmatch(lua_State *L)
{
	size_t ls, lp;
	luaL_checklstring(L, 1, &ls);
	luaL_checklstring(L, 2, &lp);
	size_t init = start_offset(luaL_optinteger(L, 3, 1), ls);
	lua_settop(L, 2);
	struct gmatch_state *g = lua_newuserdatauv(L, sizeof *g, 0);
	*g = (struct gmatch_state){init > ls ? ls + 1 : init, 0, false};
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushcclosure(L, gmatch_next, 4);
	return 1;
}

/* --- gsub ------------------------------------------------------------------- */

/* A replacement string: %0 is the whole match, %1-%9 the captures, %%
 * a '%'. */
static void add_template(struct matcher *m, luaL_Buffer *b, const char *s, const char *e)
{
	size_t len;
	const char *t = lua_tolstring(m->L, 3, &len);
	const char *end = t + len, *pct;
	while ((pct = memchr(t, '%', (size_t)(end - t))) != NULL) {
		step(m);
		luaL_addlstring(b, t, (size_t)(pct - t));
		char c = pct + 1 < end ? pct[1] : '\0';
		if (c == '%') {
			luaL_addchar(b, '%');
		} else if (c == '0') {
			luaL_addlstring(b, s, (size_t)(e - s));
		} else if (isdigit((unsigned char)c)) {
			const char *start;
			ptrdiff_t n = capture_at(m, c - '1', s, e, &start);
			if (n == CAP_POSITION) {
				lua_pushinteger(m->L, (lua_Integer)(start - m->src) + 1);
				luaL_addvalue(b);
			} else {
				luaL_addlstring(b, start, (size_t)n);
			}
		} else {
			luaL_error(m->L, "invalid use of '%%' in replacement string");
		}
		t = pct + 2;
	}
	luaL_addlstring(b, t, (size_t)(end - t));
}

/* Adds the replacement for the match s..e (argument 3 of type tr);
 * returns false when a table or function gave false or nil, which keeps
 * the original text. */
static bool add_replacement(struct matcher *m, luaL_Buffer *b, const char *s, const char *e, int tr)
{
	lua_State *L = m->L;
	if (tr == LUA_TSTRING || tr == LUA_TNUMBER) {
		add_template(m, b, s, e);
		return true;
	}
	matcher_save(m);
	if (tr == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		lua_call(L, push_captures(m, s, e), 1);
	} else {
		push_capture(m, 0, s, e);
		lua_gettable(L, 3);	/* may call __index */
	}
	matcher_reload(m);
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
		return false;
	}
	if (!lua_isstring(L, -1))
		return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
	luaL_addvalue(b);
	return true;
}

static int l_gsub(lua_State *L)
{
	size_t ls, lp;
	const char *s = luaL_checklstring(L, 1, &ls);
	const char *p = luaL_checklstring(L, 2, &lp);
	int tr = lua_type(L, 3);
	lua_Integer max_n = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
	luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION || tr == LUA_TTABLE,
			 3, "string/function/table");
	bool anchored = lp > 0 && *p == '^';
	struct matcher m;
	matcher_init(&m, L, pending_at(L, 1), s, ls, p + anchored, lp - anchored);
	luaL_Buffer b;
	luaL_buffinit(L, &b);
	const char *at = s, *copied = s, *last_end = NULL;
	lua_Integer n = 0;
	bool changed = false;
	while (n < max_n) {
		matcher_restart(&m);
		const char *e = match(&m, at, m.pat);
		if (e && e != last_end) {
			n++;
			luaL_addlstring(&b, copied, (size_t)(at - copied));
			changed |= add_replacement(&m, &b, at, e, tr);
			at = copied = last_end = e;
		} else if (at < m.src_end) {
			at++;
		} else {
			break;
		}
		if (anchored)
			break;
	}
	matcher_save(&m);
	if (changed) {
		luaL_addlstring(&b, copied, (size_t)(m.src_end - copied));
		luaL_pushresult(&b);
	} else {
		lua_pushvalue(L, 1);
	}
	lua_pushinteger(L, n);
	return 2;
}

void lpattern_open(lua_State *L)
{
	static const luaL_Reg fns[] = {
		{"find", l_find}, {"match", l_match}, {"gmatch", l_gmatch}, {"gsub", l_gsub}, {NULL, NULL},
	};
	lua_getglobal(L, LUA_STRLIBNAME);
	if (lua_istable(L, -1)) {
		struct pending *pending = lua_newuserdatauv(L, sizeof *pending, 0);
		pending->steps = 0;
		luaL_setfuncs(L, fns, 1);
	}
	lua_pop(L, 1);
}
