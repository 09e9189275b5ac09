#include "lua/lua_env.h"

#include <errno.h>
#include <lauxlib.h>
#include <limits.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/blockpool.h"
#include "lua/lua_pattern.h"
#include "lua/lua_pkt.h"
#include "lua/lua_show.h"

/* One per Lua state, reached through the state's extra space. */
struct luaenv {
	struct luaenv_config cfg;
	size_t mem;
	long long steps;
	volatile sig_atomic_t interrupted;
	int depth;	/* nested luaenv_pcall calls: the budget is per outermost call */
	struct pkt_meter meter;	/* packets' buffers live outside Lua's heap but count */
	struct buf scratch;	/* see luaenv_scratch */
	struct lpkt_state lpkt;
	struct blockpool pool;	/* Lua's small blocks, reused (see env_alloc) */
	/* The budget ran out or Ctrl-C was pressed: the chunk must end, and
	 * no pcall, xpcall or coroutine.resume of its own may stop that. */
	bool exhausted;
};

enum { HOOK_EVERY = 1000 };

static struct luaenv *env_of(lua_State *L)
{
	return *(struct luaenv **)lua_getextraspace(L);
}

/* A packet's buffers grew or shrank. They are charged even past the cap
 * (the bytes are already there); the next allocation Lua makes then
 * fails, which stops a chunk that keeps building big packets. */
static void charge_packet(void *ctx, size_t more, size_t less)
{
	struct luaenv *env = ctx;
	env->mem = env->mem + more - less;
}

struct buf *luaenv_scratch(lua_State *L)
{
	return &env_of(L)->scratch;
}

struct lpkt_state *luaenv_lpkt(lua_State *L)
{
	return &env_of(L)->lpkt;
}

const struct pkt_meter *luaenv_pkt_meter(lua_State *L)
{
	return &env_of(L)->meter;
}

static void *env_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct luaenv *env = ud;
	size_t old = ptr ? osize : 0;
	if (nsize == 0) {
		blockpool_give(&env->pool, ptr, old);
		env->mem -= old;
		return NULL;
	}
	if (nsize > old && env->mem + (nsize - old) > env->cfg.max_mem)
		return NULL;	/* Lua raises "not enough memory" */
	/* Lua's small objects come and go by the dozen for every packet a
	 * loop builds: the pool hands back the ones just freed. */
	void *p = ptr ? blockpool_resize(&env->pool, ptr, old, nsize) : blockpool_take(&env->pool, nsize);
	if (!p)
		return NULL;
	env->mem = env->mem - old + nsize;
	return p;
}

void luaenv_charge_steps(lua_State *L, long long n)
{
	struct luaenv *env = env_of(L);
	if (env->interrupted) {
		env->interrupted = 0;
		env->exhausted = true;
		luaL_error(L, "interrupted");
	}
	if (env->depth == 0)
		return;	/* outside a chunk (C code calling Lua helpers): no budget */
	env->steps += n;
	if (env->steps > env->cfg.max_steps) {
		env->exhausted = true;
		luaL_error(L, "stopped after %I Lua instructions: a loop that never ends? "
			   "(--lua-steps N allows more)", (lua_Integer)env->cfg.max_steps);
	}
}

void luaenv_lock_metatable(lua_State *L)
{
	lua_pushliteral(L, "locked");
	lua_setfield(L, -2, "__metatable");
}

static void budget_hook(lua_State *L, lua_Debug *ar)
{
	(void)ar;
	luaenv_charge_steps(L, HOOK_EVERY);
}

void luaenv_interrupt(lua_State *L)
{
	env_of(L)->interrupted = 1;
}

bool luaenv_interrupted(lua_State *L)
{
	return env_of(L)->interrupted != 0;
}

void luaenv_clear_interrupt(lua_State *L)
{
	env_of(L)->interrupted = 0;
}

struct view_opts luaenv_view_opts(lua_State *L)
{
	return env_of(L)->cfg.view;
}

void luaenv_set_view_opts(lua_State *L, struct view_opts o)
{
	env_of(L)->cfg.view = o;
}

size_t luaenv_mem_used(lua_State *L)
{
	return env_of(L)->mem;
}

void luaenv_write(lua_State *L, const char *s, size_t n)
{
	struct luaenv *env = env_of(L);
	if (env->cfg.out)
		env->cfg.out(env->cfg.out_ctx, s, n);
	else
		fwrite(s, 1, n, stdout);
}

/* print() as in Lua's base library, to luaenv_write, but showing values
 * as the REPL does (lua_show.c): a table shows what it holds, a function
 * is "function", and no address ever appears, so a transcript or a
 * lesson's output is the same every run. tostring() is Lua's own. */
static int l_print(lua_State *L)
{
	luaenv_show_values(L);
	size_t len;
	const char *s = lua_tolstring(L, -1, &len);
	luaenv_write(L, s, len);
	return 0;
}

/* io.write(...) to the same place as print. */
static int l_write(lua_State *L)
{
	int n = lua_gettop(L);
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_checklstring(L, i, &len);
		luaenv_write(L, s, len);
	}
	return 0;
}

int luaenv_path_allowed(const struct luaenv_config *cfg, const char *path, bool write, struct err *e)
{
	if (cfg->no_files)
		return err_set(e, "cannot %s '%s': this session uses no files", write ? "write" : "read", path);
	if (cfg->unsafe)
		return 0;
	char cwd[PATH_MAX], real[PATH_MAX], dir[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return err_set(e, "cannot tell the working folder: %s", strerror(errno));
	const char *target = path;
	if (write) {
		/* The file may not exist yet: its folder must. */
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		target = slash ? (dir[0] ? dir : "/") : ".";
	}
	if (!realpath(target, real))
		return err_set(e, "cannot %s '%s': %s", write ? "write" : "read", path, strerror(errno));
	size_t n = strlen(cwd);
	if (strncmp(real, cwd, n) != 0 || (real[n] != '\0' && real[n] != '/' && strcmp(cwd, "/") != 0))
		return err_set(e, "'%s' is outside the working folder: Lua and lessons may only use files "
				  "under the folder stacklab was started in (--unsafe lifts this)",
			       path);
	return 0;
}

void luaenv_check_path(lua_State *L, const char *path, bool write)
{
	struct err e;
	if (luaenv_path_allowed(&env_of(L)->cfg, path, write, &e) < 0)
		luaL_error(L, "%s", e.msg);
}

/* Calls the library function a wrapper stands for (upvalue 1) with the
 * wrapper's arguments. Called from C, the original cannot tell its name,
 * so its argument errors would read "bad argument #1 to '?'": the name
 * (upvalue 2) is put back before the error goes on. */
static int call_upvalue(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) == LUA_OK)
		return lua_gettop(L);
	const char *msg = lua_tostring(L, -1);
	const char *q = msg ? strstr(msg, " to '?'") : NULL;
	if (q) {
		luaL_where(L, 1);	/* where the wrapper was called: "stdin:1: " */
		lua_pushlstring(L, msg, (size_t)(q - msg));
		lua_pushfstring(L, " to '%s'%s", lua_tostring(L, lua_upvalueindex(2)), q + 7);
		lua_concat(L, 3);
	}
	return lua_error(L);
}

/* io.open and io.lines: only under the working folder. */
static int l_safe_open(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	const char *mode = luaL_optstring(L, 2, "r");
	luaenv_check_path(L, path, strpbrk(mode, "wa+") != NULL);
	return call_upvalue(L);
}

static int l_safe_lines(lua_State *L)
{
	if (!lua_isnoneornil(L, 1))	/* io.lines() alone reads standard input */
		luaenv_check_path(L, luaL_checkstring(L, 1), false);
	return call_upvalue(L);
}

/* load() for text chunks only: a binary chunk could break the VM. */
static int l_safe_load(lua_State *L)
{
	int n = lua_gettop(L) >= 4 ? 4 : 3;	/* an explicit nil env differs from none */
	lua_settop(L, n);
	lua_pushliteral(L, "t");
	lua_replace(L, 3);
	return call_upvalue(L);
}

/* After pcall, xpcall or coroutine.resume returned: an error that ended
 * the budget goes on up instead of being caught. A continuation, so that
 * a coroutine may still yield inside a pcall. */
static int rethrow_if_exhausted(lua_State *L, int status, lua_KContext ctx)
{
	(void)status, (void)ctx;
	if (env_of(L)->exhausted && lua_gettop(L) >= 2 && lua_isboolean(L, 1) && !lua_toboolean(L, 1)) {
		lua_settop(L, 2);
		return lua_error(L);
	}
	return lua_gettop(L);
}

/* Unlike the others these may yield, so they call the original with
 * lua_callk, and check the arguments themselves to name themselves in
 * argument errors. */
static int l_safe_catch(lua_State *L)
{
	luaL_checkany(L, 1);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_callk(L, lua_gettop(L) - 1, LUA_MULTRET, 0, rethrow_if_exhausted);
	return rethrow_if_exhausted(L, LUA_OK, 0);
}

/* An xpcall handler for a budget error would run inside the count hook,
 * where hooks are off: a handler that loops would never be stopped. So
 * then the handler is skipped and the message kept as it is. */
static int guarded_handler(lua_State *L)
{
	if (env_of(L)->exhausted)
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int l_safe_xpcall(lua_State *L)
{
	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, guarded_handler, 1);
	lua_replace(L, 2);
	return l_safe_catch(L);
}

static int l_safe_resume(lua_State *L)
{
	luaL_argexpected(L, lua_type(L, 1) == LUA_TTHREAD, 1, "coroutine");
	return l_safe_catch(L);
}

/* Finalizers run inside the garbage collector with hooks off, out of the
 * budget's reach: a __gc that loops would hang the REPL for good. */
static int l_safe_setmetatable(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		bool gc = lua_rawget(L, 2) != LUA_TNIL;
		lua_pop(L, 1);
		if (gc)
			return luaL_error(L, "a __gc finalizer is not allowed here: finalizers run where the "
					  "instruction budget cannot stop them (--unsafe allows them)");
	}
	return call_upvalue(L);
}

/* collectgarbage: asking is fine; stopping the collector is not. */
static int l_safe_collectgarbage(lua_State *L)
{
	static const char *const allowed[] = {"collect", "count", "step", "isrunning", NULL};
	const char *opt = luaL_optstring(L, 1, "collect");
	for (int i = 0; allowed[i]; i++) {
		if (strcmp(opt, allowed[i]) == 0)
			return call_upvalue(L);
	}
	return luaL_error(L, "collectgarbage('%s') is not allowed here; use collect, count, step or isrunning", opt);
}

static void wrap_global_fn(lua_State *L, const char *table, const char *name, lua_CFunction wrapper)
{
	if (table) {
		lua_getglobal(L, table);
		lua_getfield(L, -1, name);
	} else {
		lua_getglobal(L, name);
	}
	lua_pushstring(L, name);
	lua_pushcclosure(L, wrapper, 2);
	if (table) {
		lua_setfield(L, -2, name);
		lua_pop(L, 1);
	} else {
		lua_setglobal(L, name);
	}
}

static void open_sandbox(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{LUA_GNAME, luaopen_base}, {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
		{LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8},
		{LUA_COLIBNAME, luaopen_coroutine}, {LUA_IOLIBNAME, luaopen_io}, {NULL, NULL},
	};
	for (const luaL_Reg *lib = libs; lib->func; lib++) {
		luaL_requiref(L, lib->name, lib->func, 1);
		lua_pop(L, 1);
	}
	static const char *const removed[] = {"dofile", "loadfile", NULL};
	for (int i = 0; removed[i]; i++) {
		lua_pushnil(L);
		lua_setglobal(L, removed[i]);
	}
	lua_getglobal(L, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	lua_pop(L, 1);
	/* Strings share one metatable: keep it as it is. */
	lua_pushliteral(L, "");
	if (lua_getmetatable(L, -1)) {
		luaenv_lock_metatable(L);
		lua_pop(L, 1);
	}
	lua_pop(L, 1);
	wrap_global_fn(L, NULL, "load", l_safe_load);
	wrap_global_fn(L, NULL, "collectgarbage", l_safe_collectgarbage);
	wrap_global_fn(L, NULL, "pcall", l_safe_catch);
	wrap_global_fn(L, NULL, "xpcall", l_safe_xpcall);
	wrap_global_fn(L, NULL, "setmetatable", l_safe_setmetatable);
	wrap_global_fn(L, LUA_COLIBNAME, "resume", l_safe_resume);
	/* io keeps reading and writing the standard streams; files go
	 * through the path check. popen, tmpfile, input and output go. */
	lua_getglobal(L, LUA_IOLIBNAME);
	static const char *const io_removed[] = {"popen", "tmpfile", "input", "output", NULL};
	for (int i = 0; io_removed[i]; i++) {
		lua_pushnil(L);
		lua_setfield(L, -2, io_removed[i]);
	}
	lua_pop(L, 1);
	wrap_global_fn(L, LUA_IOLIBNAME, "open", l_safe_open);
	wrap_global_fn(L, LUA_IOLIBNAME, "lines", l_safe_lines);
}

lua_State *luaenv_new(const struct luaenv_config *cfg)
{
	struct luaenv *env = calloc(1, sizeof *env);
	if (!env)
		return NULL;
	env->cfg = *cfg;
	env->meter = (struct pkt_meter){charge_packet, env};
	if (env->cfg.max_steps <= 0)
		env->cfg.max_steps = LUAENV_DEFAULT_STEPS;
	if (env->cfg.max_mem == 0)
		env->cfg.max_mem = LUAENV_DEFAULT_MEM;
	lua_State *L = lua_newstate(env_alloc, env);
	if (!L) {
		blockpool_free(&env->pool);
		free(env);
		return NULL;
	}
	*(struct luaenv **)lua_getextraspace(L) = env;
	lua_gc(L, LUA_GCGEN, 0, 0);
	if (cfg->unsafe)
		luaL_openlibs(L);
	else
		open_sandbox(L);
	/* Lua's own matcher runs in C, out of the budget's reach: a pattern
	 * that backtracks for hours would hang the REPL. Ours counts. */
	lpattern_open(L);
	lua_register(L, "print", l_print);
	lua_getglobal(L, LUA_IOLIBNAME);
	lua_pushcfunction(L, l_write);
	lua_setfield(L, -2, "write");
	lua_pop(L, 1);
	/* math.random is deterministic for a given --seed. */
	lua_getglobal(L, LUA_MATHLIBNAME);
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, (lua_Integer)cfg->seed);
	lua_call(L, 1, 0);
	lua_pop(L, 1);
	lpkt_open(L);
	return L;
}

void luaenv_free(lua_State *L)
{
	if (!L)
		return;
	struct luaenv *env = env_of(L);
	lua_close(L);
	blockpool_free(&env->pool);
	buf_free(&env->scratch);
	free(env);
}

static int msg_handler(lua_State *L)
{
	const char *msg = lua_tostring(L, 1);
	if (!msg) {
		if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
			return 1;
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	}
	lua_pushstring(L, msg);
	return 1;
}

/* The length of a "chunk:line: " position at the start of msg, or 0. */
static size_t position_prefix(const char *msg)
{
	const char *colon = strchr(msg, ':');
	if (!colon || colon == msg || memchr(msg, ' ', (size_t)(colon - msg)))
		return 0;
	const char *d = colon + 1;
	while (*d >= '0' && *d <= '9')
		d++;
	if (d == colon + 1 || d[0] != ':' || d[1] != ' ')
		return 0;
	return (size_t)(d + 2 - msg);
}

/* An error that climbed through many levels (coroutine.wrap adds its
 * position at each) reads "stdin:1: stdin:1: ... overflow": keep one. */
static const char *without_repeats(const char *msg)
{
	size_t n;
	while ((n = position_prefix(msg)) > 0 && strncmp(msg, msg + n, n) == 0)
		msg += n;
	return msg;
}

int luaenv_pcall(lua_State *L, int nargs, int nresults, struct err *e)
{
	struct luaenv *env = env_of(L);
	int base = lua_gettop(L) - nargs;
	if (!lua_checkstack(L, 1)) {	/* for the handler: the stack may be at Lua's limit */
		lua_settop(L, base - 1);
		err_set(e, "Lua's stack is full (too many values at once): use fewer");
		return -1;
	}
	lua_pushcfunction(L, msg_handler);
	lua_insert(L, base);
	if (env->depth++ == 0) {
		env->steps = 0;
		env->exhausted = false;
		lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_EVERY);
	}
	int rc = lua_pcall(L, nargs, nresults, base);
	if (--env->depth == 0) {
		lua_sethook(L, NULL, 0, 0);
		env->interrupted = 0;
		env->exhausted = false;
	}
	lua_remove(L, base);
	if (rc == LUA_ERRMEM) {
		err_set(e, "Lua ran out of memory: the cap is %zu MB (--lua-mem MB allows more)",
			env->cfg.max_mem >> 20);
		lua_pop(L, 1);
		lua_gc(L, LUA_GCCOLLECT);
		return -1;
	}
	if (rc != LUA_OK) {
		const char *msg = lua_tostring(L, -1);
		err_set(e, "%s", msg ? without_repeats(msg) : "unknown Lua error");
		lua_pop(L, 1);
		return -1;
	}
	return 0;
}

int luaenv_run(lua_State *L, const char *chunk, size_t len, const char *name, struct err *e)
{
	if (luaL_loadbufferx(L, chunk, len, name, "t") != LUA_OK) {
		err_set(e, "%s", lua_tostring(L, -1));
		lua_pop(L, 1);
		return -1;
	}
	return luaenv_pcall(L, 0, 0, e);
}

int luaenv_run_file(lua_State *L, const char *path, int argc, char **argv, struct err *e)
{
	lua_createtable(L, argc, 1);
	lua_pushstring(L, path);
	lua_rawseti(L, -2, 0);
	for (int i = 0; i < argc; i++) {
		lua_pushstring(L, argv[i]);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setglobal(L, "arg");
	if (env_of(L)->cfg.no_files)
		return err_set(e, "cannot open '%s': this session uses no files", path);
	struct sbuf sb = SBUF_INIT;
	if (sbuf_read_file(&sb, path) < 0) {
		sbuf_free(&sb);
		return err_set(e, "cannot open '%s': %s", path, strerror(errno));
	}
	const char *text = sbuf_str(&sb);
	size_t len = sb.len;
	if (len && text[0] == '#') {	/* a "#!" line, as lua.c skips it */
		while (len && *text != '\n')
			text++, len--;
	}
	char name[300];
	snprintf(name, sizeof name, "@%s", path);
	int rc = luaenv_run(L, text, len, name, e);
	sbuf_free(&sb);
	return rc;
}
