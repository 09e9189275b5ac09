/* A Lua state for stacklab: the sandbox of SPEC section 5 (an allow-list
 * of libraries, text chunks only, files only under the working folder),
 * an instruction budget and a memory cap that end a runaway chunk with a
 * clear error, and a flag that Ctrl-C sets to interrupt a running chunk. */
#ifndef STACKLAB_LUA_ENV_H
#define STACKLAB_LUA_ENV_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/sbuf.h"
#include "view/style.h"

struct pkt_meter;

struct luaenv_config {
	bool unsafe;		/* the full standard library, no path checks */
	/* No file is read or written, by Lua (with the sandbox: io.open,
	 * io.lines, pcap.read, pcap.write) or by the REPL's file commands.
	 * The fuzzers set it: their input must not reach the file system. */
	bool no_files;
	long long max_steps;	/* VM instructions per chunk; 0: the default */
	size_t max_mem;		/* bytes; 0: the default */
	uint64_t seed;		/* for math.random */
	struct view_opts view;
	/* Where print() and io.write() go; NULL: stdout. */
	void (*out)(void *ctx, const char *s, size_t n);
	void *out_ctx;
};

/* Every lesson needs under 5 million per chunk; a loop that never ends
 * is stopped within seconds (a few for one that calls pcall or builds
 * packets in the loop), so check and play do not sit blocked on it. */
#define LUAENV_DEFAULT_STEPS 100000000LL
#define LUAENV_DEFAULT_MEM ((size_t)256 << 20)

lua_State *luaenv_new(const struct luaenv_config *cfg);
void luaenv_free(lua_State *L);

/* Runs a chunk as a statement; 0, or -1 and e holding the error. */
int luaenv_run(lua_State *L, const char *chunk, size_t len, const char *name, struct err *e);
/* Runs a script file with `arg` set as lua.c does. */
int luaenv_run_file(lua_State *L, const char *path, int argc, char **argv, struct err *e);
/* Calls the function on top of the stack (with nargs above it) under the
 * budget, the memory cap and the interrupt flag; results stay on the stack.
 * On an error the function and its arguments are gone. */
int luaenv_pcall(lua_State *L, int nargs, int nresults, struct err *e);

/* Safe from a signal handler: the running chunk stops with "interrupted". */
void luaenv_interrupt(lua_State *L);
/* Work done in C on a chunk's behalf (pattern matching, say) counts
 * against the same instruction budget: raises a Lua error when the budget
 * is spent or Ctrl-C was pressed. */
void luaenv_charge_steps(lua_State *L, long long n);
/* Hides the metatable on top of the stack from getmetatable and
 * setmetatable: Lua code could otherwise call __gc by hand or swap
 * __index under the C code that relies on them. */
void luaenv_lock_metatable(lua_State *L);
/* What the packets a chunk builds charge their buffers to (see pkt.h). */
const struct pkt_meter *luaenv_pkt_meter(lua_State *L);
/* A buffer for the moment, owned by the Lua state: what is written there
 * is not lost when a Lua error jumps out of the C function writing it
 * (the state frees it). Not kept across calls into Lua. */
struct buf *luaenv_scratch(lua_State *L);
/* What the packet API (lua_pkt.c) keeps within quick reach, on the path
 * of every '/' and every field read or written:
 * - the metatables of packets, light packets and layers, by address:
 *   comparing addresses is the cheapest way to tell those from other
 *   userdata. Set once, when the packet API is opened;
 * - the resolver of host names in address fields (Ether{dst=b}), or NULL. */
struct lpkt_state {
	const void *pkt, *light, *layer;
	const struct name_resolver *resolver;
};
struct lpkt_state *luaenv_lpkt(lua_State *L);
bool luaenv_interrupted(lua_State *L);
void luaenv_clear_interrupt(lua_State *L);

struct view_opts luaenv_view_opts(lua_State *L);
void luaenv_set_view_opts(lua_State *L, struct view_opts o);
/* Raises a Lua error unless the sandbox lets this path be read or written. */
void luaenv_check_path(lua_State *L, const char *path, bool write);
/* The same rule without Lua (for REPL lines that come from Lua or from a
 * lesson): 0, or -1 with e saying why not. */
int luaenv_path_allowed(const struct luaenv_config *cfg, const char *path, bool write, struct err *e);
/* Sends text where print() goes. */
void luaenv_write(lua_State *L, const char *s, size_t n);
/* Bytes the state has allocated, and its cap. */
size_t luaenv_mem_used(lua_State *L);

#endif
