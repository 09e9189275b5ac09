/* How the REPL shows the values a Lua line evaluates to, and print() too. */
#ifndef STACKLAB_LUA_LUA_SHOW_H
#define STACKLAB_LUA_LUA_SHOW_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* Its arguments as the REPL shows them: tab-separated, a newline at the
 * end, as one string. Tables show what they hold, keys in a fixed order,
 * and nothing shows an address, so a transcript is the same every run
 * (see lua_show.c). A lua_CFunction, to be called protected: __tostring
 * metamethods run. */
int luaenv_show_values(lua_State *L);

/* One of Lua's reserved words ("end", "local", ...). */
bool lua_is_keyword(const char *w);
/* The n bytes at s are a Lua name: a letter or _, then letters, digits or
 * _, and not a reserved word (what may be written bare: t.name, name = 1). */
bool lua_is_name(const char *s, size_t n);

#endif
