/* A lesson file read into blocks: narration, transcripts, Lua, checks,
 * exercises with their goals and hints, and reference solutions. */
#ifndef STACKLAB_LESSON_PARSE_H
#define STACKLAB_LESSON_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum block_kind {
	B_NARRATION,	/* Markdown, shown (fenced blocks without a stacklab/lua tag too) */
	B_TRANSCRIPT,	/* ```stacklab */
	B_LUA,		/* ```lua */
	B_CHECK,	/* ```lua check */
	B_EXERCISE,	/* ```lua exercise id=NAME */
	B_SOLUTION,	/* ```stacklab solution=NAME */
};

struct goal {
	char *label;
	char *expr;	/* a Lua expression */
};

struct step {
	char *input;	/* a command line, or Lua lines joined by newlines */
	char **expect;	/* expected output lines */
	int nexpect;
	int line;	/* where the input is in the file */
};

struct block {
	uint8_t kind;
	int line;	/* first line of the block's content */
	char *text;	/* narration, Lua, or the exercise's source */
	char *name;	/* exercise or solution name */
	bool hidden;	/* narration inside <details> */
	struct step *steps;	/* transcripts */
	int nsteps;
	struct goal *goals;	/* exercises */
	int ngoals;
	char **hints;
	int nhints;
};

struct lesson {
	char *path;
	char *id, *title;
	uint64_t seed;
	struct block *blocks;
	int nblocks;
};

/* Reads a lesson; -1 and e ("FILE:LINE: what is wrong") when malformed. */
int lesson_load(const char *path, struct lesson *l, struct err *e);
int lesson_parse(const char *path, const char *text, struct lesson *l, struct err *e);
void lesson_free(struct lesson *l);
/* The solution block of exercise name, or NULL. */
struct block *lesson_solution(struct lesson *l, const char *name);
/* Transcript lines (as in a stacklab block) read from any text. */
int transcript_parse(const char *text, int first_line, struct block *b, struct err *e, const char *path);

#endif
