/* Lua 5.4's pattern matching (reference manual 6.4.1) for string.find,
 * string.match, string.gmatch and string.gsub, with one addition: the
 * matcher counts its work and charges it to the chunk's instruction budget
 * (luaenv_charge_steps), so a pattern that would backtrack for hours stops
 * with the budget error, and Ctrl-C stops it too. Lua's own versions run
 * in C, where the instruction-count hook never fires. */
#ifndef STACKLAB_LUA_PATTERN_H
#define STACKLAB_LUA_PATTERN_H

#include <lua.h>

/* Replaces find, match, gmatch and gsub in the global `string` table
 * (which string values reach through their metatable). The state must
 * come from luaenv_new. */
void lpattern_open(lua_State *L);

#endif
