/* The REPL: a line is a command when its first word names one, Lua
 * otherwise (run the way Lua's own lua.c runs it). It owns the session:
 * the world, the Lua state, the display settings and the packet being
 * built. Commands are rows of one table (commands.c) that feeds dispatch,
 * help, completion and argument errors. */
#ifndef STACKLAB_REPL_REPL_H
#define STACKLAB_REPL_REPL_H

#include <lua.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/sbuf.h"
#include "lua/lua_env.h"
#include "lua/lua_world.h"
#include "proto/pkt.h"
#include "repl/args.h"
#include "view/events.h"
#include "view/pcap.h"

struct repl;
struct lesson_run;

enum arg_kind {
	A_NONE, A_HOST, A_CONN, A_PEERPORT, A_PORT, A_NUMBER, A_TEXT, A_SETTING, A_SUBCMD,
	A_FILE,		/* a file the command reads */
	A_NEWFILE,	/* a file the command writes */
	A_LESSON, A_FIELD, A_CMD, A_DIRECTION, A_FLAGS,
};

struct command {
	const char *name;
	const char *group;
	const char *synopsis;	/* "connect HOST PEER:PORT [sport=N]" */
	const char *summary;	/* one line, for help */
	const char *help;	/* what it does, in a few lines */
	const char *example;
	int min_args, max_args;	/* words after the name; max -1: any */
	uint8_t complete[4];	/* each argument's kind (what to complete), by position */
	const char *const *subcmds;
	bool moves;		/* puts frames on the wire: the world runs after it in auto mode */
	int (*run)(struct repl *r, struct words *a, struct sbuf *out, struct err *e);
};

extern const struct command commands[];
const struct command *command_find(const char *name);
/* The command nearest to a misspelt word, or NULL. */
const char *command_suggest(const char *word);

struct repl_options {
	bool interactive;	/* a terminal: prompts, readline, history, Ctrl-C */
	bool bail;
	struct view_opts view;
	uint64_t seed;
	struct luaenv_config lua;
};

struct repl {
	struct repl_options opt;
	lua_State *L;
	struct lworld lw;
	struct trace_view tv;
	bool auto_mode;		/* set mode auto|step */
	bool relseq;
	bool failed;		/* some line failed: exit status 1 */
	bool quit;
	struct sbuf pending;	/* an unfinished Lua chunk */
	struct sbuf *capture;	/* cmd(): output goes here instead of stdout */
	/* The line comes from Lua's cmd() or from a lesson, not from the
	 * user: its file names follow Lua's sandbox (luaenv_path_allowed). */
	bool files_guarded;
	struct pkt build;	/* the packet builder's packet */
	bool building;
	struct pcap_out *pcap;	/* --pcap */
	char history_path[1024];
	int source_depth;	/* nested source commands */
	/* The command just run showed its events already: a source of REPL
	 * lines, each of which showed its own. */
	bool events_shown;
	struct lesson_run *lesson;	/* an exercise in progress, or NULL */
	/* The lesson engine's commands (lesson, hint, goals, next, skip). */
	int (*lesson_cmd)(struct repl *r, const char *cmd, struct words *a, struct sbuf *out, struct err *e);
	/* Called after each line while a lesson exercise runs. */
	void (*after_line)(struct repl *r);
	/* Names offered when completing a lesson file. */
	const char *lessons_dir;
};

int repl_init(struct repl *r, const struct repl_options *o);
void repl_free(struct repl *r);
/* Runs one line (command or Lua); -1 when it failed. */
int repl_line(struct repl *r, const char *line);
/* Reads lines until the end of input, quit, or a failure when bailing. */
void repl_loop(struct repl *r);
/* Runs a file of REPL lines, or a .lua script; -1 if any line failed. */
int repl_source(struct repl *r, const char *path, struct err *e);
/* Records every frame into a pcap file from now on. */
int repl_record_pcap(struct repl *r, const char *path, struct err *e);
/* Replaces the world with a fresh default one (same seed). */
void repl_reset(struct repl *r);

/* Output: stdout, or cmd()'s capture. */
void repl_print(struct repl *r, const char *s);
void repl_printf(struct repl *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports a failed line: "error: ..." on stderr. */
void repl_error(struct repl *r, const char *msg);
/* Prints the events recorded since trace number `from` (exclusive). */
void repl_print_events_since(struct repl *r, uint64_t from);

/* Tab completion (readline). */
void repl_completion_install(struct repl *r);

#endif
