/* The read-eval-print loop: readline at a terminal, plain lines otherwise.
 * A line is Lua run the way Lua's own lua.c runs it: an expression prints
 * its value, an unfinished chunk continues on a second prompt. */
#ifndef STACKLAB_REPL_REPL_H
#define STACKLAB_REPL_REPL_H

#include <lua.h>
#include <stdbool.h>

#include "core/sbuf.h"

struct repl {
	lua_State *L;
	bool interactive;	/* a terminal: prompts, readline, history */
	bool bail;		/* stop at the first failing line */
	bool failed;		/* some line failed: the exit status is 1 */
	struct sbuf pending;	/* an unfinished chunk waiting for more lines */
	char history_path[1024];
};

void repl_init(struct repl *r, lua_State *L, bool interactive, bool bail);
void repl_free(struct repl *r);
/* Reads and runs lines until the end of input (Ctrl-D), or a failure when
 * bailing. */
void repl_loop(struct repl *r);
/* Runs one line; -1 when it failed. An unfinished chunk waits for the next. */
int repl_line(struct repl *r, const char *line);

#endif
