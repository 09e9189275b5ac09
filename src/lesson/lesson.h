/* Lessons (SPEC section 6): Markdown files with transcripts, Lua, checks
 * and exercises; played in class (play), checked in CI (check). */
#ifndef STACKLAB_LESSON_LESSON_H
#define STACKLAB_LESSON_LESSON_H

#include "repl/repl.h"

/* stacklab play ... / stacklab check ...: argv holds what follows the word. */
int lesson_main(const char *mode, int argc, char **argv, const struct repl_options *ro, const char *pcap);
/* Gives a REPL the lesson commands (lesson, hint, goals, next, skip). */
void lesson_attach(struct repl *r);

#endif
