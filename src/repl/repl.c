#include "repl/repl.h"

#include <lauxlib.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "lua/lua_env.h"

static const char PROMPT[] = "stacklab> ";
static const char PROMPT2[] = "...> ";

/* The running state, for the SIGINT handler only. */
static lua_State *volatile interrupt_target;

static void on_sigint(int sig)
{
	(void)sig;
	if (interrupt_target)
		luaenv_interrupt(interrupt_target);
}

void repl_init(struct repl *r, lua_State *L, bool interactive, bool bail)
{
	memset(r, 0, sizeof *r);
	r->L = L;
	r->interactive = interactive;
	r->bail = bail;
	const char *home = getenv("HOME");
	if (interactive && home) {
		snprintf(r->history_path, sizeof r->history_path, "%s/.stacklab_history", home);
		using_history();
		read_history(r->history_path);
	}
}

void repl_free(struct repl *r)
{
	sbuf_free(&r->pending);
}

static void report(struct repl *r, const char *msg)
{
	fflush(stdout);
	fprintf(stderr, "error: %s\n", msg);
	r->failed = true;
}

/* Prints what an expression returned, as lua.c does. */
static void print_results(lua_State *L, int base)
{
	int n = lua_gettop(L) - base;
	if (n <= 0)
		return;
	struct sbuf sb = SBUF_INIT;
	for (int i = 1; i <= n; i++) {
		size_t len;
		const char *s = luaL_tolstring(L, base + i, &len);
		if (i > 1)
			sbuf_putc(&sb, '\t');
		sbuf_put(&sb, s, len);
		lua_pop(L, 1);
	}
	sbuf_putc(&sb, '\n');
	luaenv_write(L, sbuf_str(&sb), sb.len);
	sbuf_free(&sb);
	lua_settop(L, base);
}

/* A syntax error at the end of the text means the chunk is not finished. */
static bool incomplete(lua_State *L, int status)
{
	if (status != LUA_ERRSYNTAX)
		return false;
	size_t len;
	const char *msg = lua_tolstring(L, -1, &len);
	return len >= 5 && strcmp(msg + len - 5, "<eof>") == 0;
}

static void remember(struct repl *r, const char *text)
{
	if (!r->interactive || !*text)
		return;
	add_history(text);
	if (r->history_path[0])
		append_history(1, r->history_path);
}

int repl_line(struct repl *r, const char *line)
{
	lua_State *L = r->L;
	if (r->pending.len)
		sbuf_putc(&r->pending, '\n');
	sbuf_puts(&r->pending, line);
	const char *text = sbuf_str(&r->pending);
	int base = lua_gettop(L);
	/* First as an expression, so that "1+1" prints 2. */
	struct sbuf ret = SBUF_INIT;
	sbuf_printf(&ret, "return %s;", text);
	int status = luaL_loadbufferx(L, ret.s, ret.len, "=stdin", "t");
	sbuf_free(&ret);
	if (status != LUA_OK) {
		lua_pop(L, 1);
		status = luaL_loadbufferx(L, text, r->pending.len, "=stdin", "t");
	}
	if (incomplete(L, status)) {
		lua_pop(L, 1);
		return 0;	/* wait for the rest */
	}
	remember(r, text);
	sbuf_reset(&r->pending);
	if (status != LUA_OK) {
		report(r, lua_tostring(L, -1));
		lua_settop(L, base);
		return -1;
	}
	struct err e;
	interrupt_target = L;
	int rc = luaenv_pcall(L, 0, LUA_MULTRET, &e);
	interrupt_target = NULL;
	if (rc < 0) {
		report(r, e.msg);
		lua_settop(L, base);
		return -1;
	}
	print_results(L, base);
	return 0;
}

static char *read_line(struct repl *r)
{
	const char *prompt = r->pending.len ? PROMPT2 : PROMPT;
	if (r->interactive)
		return readline(prompt);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[--n] = '\0';
	return line;
}

void repl_loop(struct repl *r)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	char *line;
	while ((line = read_line(r)) != NULL) {
		int rc = repl_line(r, line);
		free(line);
		if (rc < 0 && r->bail)
			break;
	}
	if (r->pending.len)
		report(r, "the input ended in the middle of a Lua chunk (an 'end' or a bracket is missing)");
	if (r->interactive)
		putchar('\n');
	sigaction(SIGINT, &old, NULL);
}
