/* The world part of the Lua API (SPEC section 5): hosts a and b, their
 * listeners and connections with every TCB field, the clock (step, run,
 * wait, now), the link and its faults, trace(), capture(), cmd(). The
 * functions here call the same C functions the REPL's commands call. */
#ifndef STACKLAB_LUA_WORLD_H
#define STACKLAB_LUA_WORLD_H

#include <lua.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "proto/field.h"
#include "sim/world.h"

/* What Lua needs of whoever owns the world (the REPL, a script run, a
 * lesson). */
struct lworld {
	struct world *w;
	uint32_t gen;		/* bumped when the world is replaced (reset) */
	/* Runs a REPL line for cmd(); its output goes to out. NULL: no cmd(). */
	int (*cmd)(void *ctx, const char *line, struct sbuf *out, struct err *e);
	void *cmd_ctx;
	/* Draws the ladder for ladder(); NULL: not available. */
	void (*ladder)(void *ctx, struct sbuf *out);
	struct name_resolver resolver;	/* host names in packet fields */
};

/* Registers the API and binds a, b, hosts and link to lw->w. lw must
 * outlive the Lua state. */
void lworld_open(lua_State *L, struct lworld *lw);
/* Call after replacing lw->w: a, b, hosts and link refer to the new world;
 * objects of the old one say so when used. */
void lworld_rebind(lua_State *L);
struct lworld *lworld_of(lua_State *L);

/* Shared with the REPL's commands: turn "b", "10.0.0.2" into a host. */
struct host *lworld_resolve_host(struct world *w, const char *name, struct err *e);
/* A trace event as a Lua table (SPEC section 5). */
void lworld_push_event(lua_State *L, struct world *w, const struct trace_event *ev);

#endif
