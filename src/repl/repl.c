#include "repl/repl.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include "core/strutil.h"
#include "lua/lua_show.h"
#include "view/capture.h"

static const char PROMPT[] = "stacklab> ";
static const char PROMPT2[] = "...> ";

/* The session a SIGINT should stop; a signal handler can reach nothing else. */
static struct repl *volatile sigint_target;
static volatile sig_atomic_t sigint_pending;

static void on_sigint(int sig)
{
	(void)sig;
	sigint_pending = 1;
	struct repl *r = sigint_target;
	if (r) {
		luaenv_interrupt(r->L);
		r->lw.w->interrupt = 1;
	}
}

/* ------------------------------------------------------------------ */
/* Output */

void repl_print(struct repl *r, const char *s)
{
	if (r->capture)
		sbuf_puts(r->capture, s);
	else
		fputs(s, stdout);
}

void repl_printf(struct repl *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct sbuf sb = SBUF_INIT;
	sbuf_vprintf(&sb, fmt, ap);
	va_end(ap);
	repl_print(r, sbuf_str(&sb));
	sbuf_free(&sb);
}

void repl_error(struct repl *r, const char *msg)
{
	r->failed = true;
	if (r->capture) {
		sbuf_printf(r->capture, "error: %s\n", msg);
		return;
	}
	fflush(stdout);
	fprintf(stderr, "error: %s\n", msg);
	fflush(stderr);
}

static void lua_out(void *ctx, const char *s, size_t n)
{
	struct repl *r = ctx;
	if (r->capture)
		sbuf_put(r->capture, s, n);
	else
		fwrite(s, 1, n, stdout);
}

enum { SHOW_HEAD = 200, SHOW_TAIL = 100 };

void repl_print_events_since(struct repl *r, uint64_t from)
{
	struct trace *tr = &r->lw.w->trace;
	uint64_t last = trace_last(tr);
	if (last <= from)
		return;
	uint64_t first = from + 1 < trace_first(tr) ? trace_first(tr) : from + 1;
	struct sbuf sb = SBUF_INIT;
	for (uint64_t n = first; n <= last; n++) {
		if (last - first + 1 > SHOW_HEAD + SHOW_TAIL && n == first + SHOW_HEAD) {
			uint64_t skip = last - SHOW_TAIL - n + 1;
			sbuf_printf(&sb, "      ... %" PRIu64 " more events (trace shows them all)\n", skip);
			n += skip - 1;
			continue;
		}
		view_event_line(&r->tv, trace_get(tr, n), &sb);
		sbuf_putc(&sb, '\n');
	}
	repl_print(r, sbuf_str(&sb));
	sbuf_free(&sb);
}

/* ------------------------------------------------------------------ */
/* Commands */

/* The name of the i-th required argument in a synopsis, the optional
 * ones ([...]) passed over: "delay next [FROM>TO] [FLAGS] MS" gives MS
 * for i 1, as the arguments given fill the required ones first. */
static void synopsis_word(const char *syn, int i, char *out, size_t cap)
{
	const char *p = syn;
	for (int k = -1; *p;) {	/* k -1: the command's name */
		while (*p == ' ')
			p++;
		const char *start = p;
		while (*p && *p != ' ')
			p++;
		if (p == start || *start == '[')
			continue;
		if (k++ == i) {
			size_t n = (size_t)(p - start) < cap - 1 ? (size_t)(p - start) : cap - 1;
			memcpy(out, start, n);
			out[n] = '\0';
			return;
		}
	}
	snprintf(out, cap, "an argument");
}

static int check_argc(const struct command *c, const struct words *a, struct err *e)
{
	int n = a->n - 1;
	if (n < c->min_args) {
		char what[64];
		synopsis_word(c->synopsis, n, what, sizeof what);
		return err_set(e, "%s: %s is missing (usage: %s)", c->name, what, c->synopsis);
	}
	if (c->max_args >= 0 && n > c->max_args) {
		if (c->max_args == 0)
			return err_set(e, "%s takes no arguments (got '%s'; usage: %s)", c->name, a->w[1], c->synopsis);
		return err_set(e, "%s: too many arguments ('%s' is one too many; usage: %s)", c->name,
			       a->w[c->max_args + 1], c->synopsis);
	}
	return 0;
}

/* A line from Lua's cmd() or from a lesson may name only the files Lua
 * itself may open (SPEC section 5): a downloaded lesson must not write a
 * capture over the user's files, or read them, through a command. */
static int check_file_args(struct repl *r, const struct command *c, const struct words *a, struct err *e)
{
	for (int i = 0; i < 3 && i + 1 < a->n; i++) {
		enum arg_kind k = c->complete[i];
		if (k != A_FILE && k != A_NEWFILE && k != A_LESSON)
			continue;
		struct err why;
		if (luaenv_path_allowed(&r->opt.lua, a->w[i + 1], k == A_NEWFILE, &why) < 0)
			return err_set(e, "%s: %s", c->name, why.msg);
	}
	return 0;
}

static int run_command(struct repl *r, const struct command *c, const char *line)
{
	struct words a;
	struct err e;
	if (words_split(line, &a, &e) < 0) {
		repl_error(r, e.msg);
		return -1;
	}
	struct world *w = r->lw.w;
	uint64_t start = trace_last(&w->trace);
	struct sbuf out = SBUF_INIT;
	int rc = check_argc(c, &a, &e);
	if (rc == 0 && r->opt.lua.no_files && (strcmp(c->group, "files") == 0 || strcmp(c->name, "lesson") == 0))
		rc = err_set(&e, "%s: this session uses no files", c->name);
	if (rc == 0 && r->files_guarded)
		rc = check_file_args(r, c, &a, &e);
	r->events_shown = false;
	if (rc == 0)
		rc = c->run(r, &a, &out, &e);
	repl_print(r, sbuf_str(&out));
	sbuf_free(&out);
	if (rc < 0)
		repl_error(r, e.msg);
	w = r->lw.w;	/* reset may have replaced it */
	if (rc == 0 && c->moves && r->auto_mode && !w->interrupt) {
		if (world_run(w, 5000000) < 0 && !w->interrupt)
			repl_error(r, "the world ran 5000000 events and frames are still in flight: stopped");
	}
	if (c->run != NULL && w == r->lw.w && !r->events_shown)
		repl_print_events_since(r, start < trace_first(&w->trace) ? trace_first(&w->trace) - 1 : start);
	if (w->interrupt) {
		w->interrupt = 0;
		repl_print(r, "(interrupted: the world stopped where it was)\n");
	}
	words_free(&a);
	return rc;
}

/* cmd() from Lua: a command line, its output captured. */
static int cmd_hook(void *ctx, const char *line, struct sbuf *out, struct err *e)
{
	struct repl *r = ctx;
	while (*line == ' ')
		line++;
	char word[32];
	size_t n = strcspn(line, " \t");
	snprintf(word, sizeof word, "%.*s", (int)(n < 31 ? n : 31), line);
	const struct command *c = command_find(word);
	if (!c)
		return err_set(e, "cmd() runs REPL commands: '%s' is not one (help lists them)", word);
	struct sbuf *saved = r->capture;
	bool failed = r->failed, guarded = r->files_guarded;
	r->capture = out;
	r->files_guarded = true;
	size_t before = out->len;
	int rc = run_command(r, c, line);
	r->capture = saved;
	r->files_guarded = guarded;
	if (rc < 0) {
		/* the error line went into out: take it back out as the error */
		const char *msg = strstr(out->s + before, "error: ");
		err_set(e, "%s", msg ? msg + 7 : "the command failed");
		size_t len = strlen(e->msg);
		if (len && e->msg[len - 1] == '\n')
			e->msg[len - 1] = '\0';
		r->failed = failed;
	}
	return rc;
}

static void ladder_hook(void *ctx, struct sbuf *out)
{
	struct repl *r = ctx;
	view_ladder(&r->tv, false, out);
}

/* ------------------------------------------------------------------ */
/* Lua lines, the way lua.c runs them */

static bool incomplete(lua_State *L, int status)
{
	if (status != LUA_ERRSYNTAX)
		return false;
	size_t len;
	const char *msg = lua_tolstring(L, -1, &len);
	return len >= 5 && strcmp(msg + len - 5, "<eof>") == 0;
}

/* The values a line evaluated to, as luaenv_show_values shows them. A
 * __tostring of the user's may fail or never end: it runs protected and
 * on the chunk's budget, like the chunk itself. */
static int print_results(struct repl *r, int base)
{
	lua_State *L = r->L;
	int n = lua_gettop(L) - base;
	if (n <= 0)
		return 0;
	/* The values may fill the stack to Lua's limit: room for the function
	 * is asked for, not assumed (luaenv_pcall asks for its handler's). */
	if (!lua_checkstack(L, 1)) {
		lua_settop(L, base);
		repl_error(r, "the line gave too many values to show (Lua's stack is full): return fewer");
		return -1;
	}
	lua_pushcfunction(L, luaenv_show_values);
	lua_insert(L, base + 1);
	struct err e;
	int rc = luaenv_pcall(L, n, 1, &e);
	if (rc < 0)
		repl_error(r, e.msg);
	else
		repl_print(r, lua_tostring(L, -1));
	lua_settop(L, base);
	return rc < 0 ? -1 : 0;
}

/* The first word of a line, if it looks like a command someone misspelt
 * (never a Lua keyword). */
static const char *misspelt_command(const char *line, char *word, size_t cap)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = 0;
	while ((isalpha((unsigned char)line[n]) || line[n] == '_') && n < cap - 1)
		n++;
	if (n == 0 || (line[n] && line[n] != ' ' && line[n] != '\t'))
		return NULL;
	memcpy(word, line, n);
	word[n] = '\0';
	return lua_is_keyword(word) ? NULL : command_suggest(word);
}

static int unknown_command(struct repl *r, const char *word, const char *near)
{
	struct sbuf sb = SBUF_INIT;
	if (strlen(word) > 40)
		sbuf_printf(&sb, "unknown command '%.40s...' (%zu characters)", word, strlen(word));
	else
		sbuf_printf(&sb, "unknown command '%s'", word);
	if (near)
		sbuf_printf(&sb, " (did you mean '%s'?)", near);
	else
		sbuf_puts(&sb, " (help lists the commands; other lines are Lua)");
	repl_error(r, sbuf_str(&sb));
	sbuf_free(&sb);
	return -1;
}

static int lua_line(struct repl *r, const char *line)
{
	lua_State *L = r->L;
	if (r->pending.len)
		sbuf_putc(&r->pending, '\n');
	sbuf_puts(&r->pending, line);
	const char *text = sbuf_str(&r->pending);
	char word[64];
	/* A lone word that is neither a command nor a Lua value. */
	if (lua_is_name(text, strlen(text))) {
		/* raw: a metamethod the user put on _G must not run here */
		lua_pushglobaltable(L);
		lua_pushstring(L, text);
		bool nil = lua_rawget(L, -2) == LUA_TNIL;
		lua_pop(L, 2);
		if (nil) {
			char *lone = strdup(text);
			sbuf_reset(&r->pending);
			int rc = unknown_command(r, lone ? lone : "?", lone && strlen(lone) < 64 ? command_suggest(lone) : NULL);
			free(lone);
			return rc;
		}
	}
	int base = lua_gettop(L);
	struct sbuf ret = SBUF_INIT;
	sbuf_printf(&ret, "return %s;", text);
	int status = luaL_loadbufferx(L, sbuf_str(&ret), ret.len, "=stdin", "t");
	sbuf_free(&ret);
	if (status != LUA_OK) {
		lua_pop(L, 1);
		status = luaL_loadbufferx(L, text, r->pending.len, "=stdin", "t");
	}
	if (incomplete(L, status)) {
		lua_settop(L, base);
		return 0;	/* wait for the rest */
	}
	const char *near = misspelt_command(text, word, sizeof word);
	if (status != LUA_OK) {
		if (near) {
			lua_settop(L, base);
			sbuf_reset(&r->pending);
			return unknown_command(r, word, near);
		}
		repl_error(r, lua_tostring(L, -1));
		lua_settop(L, base);
		sbuf_reset(&r->pending);
		return -1;
	}
	sbuf_reset(&r->pending);
	struct err e;
	int rc = luaenv_pcall(L, 0, LUA_MULTRET, &e);
	r->lw.w->interrupt = 0;
	if (rc < 0) {
		lua_settop(L, base);
		/* "conect(a)": calling a misspelt command as a Lua global */
		char global[96];
		snprintf(global, sizeof global, "(global '%s')", near ? word : "");
		if (near && strstr(e.msg, global))
			return unknown_command(r, word, near);
		repl_error(r, e.msg);
		return -1;
	}
	return print_results(r, base);
}

/* ------------------------------------------------------------------ */

static void remember(struct repl *r, const char *line)
{
	if (!r->opt.interactive || !*line || r->capture)
		return;
	add_history(line);
	if (r->history_path[0])
		append_history(1, r->history_path);
}

int repl_line(struct repl *r, const char *line)
{
	for (const char *c = line; *c; c++) {
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			char msg[160];
			snprintf(msg, sizeof msg, "the line holds a control character (0x%02x) at column %zu: type "
				 "printable text (hex:... sends any bytes)", (unsigned char)*c, (size_t)(c - line) + 1);
			repl_error(r, msg);
			return -1;
		}
	}
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line && !r->pending.len)
		return 0;
	char word[32];
	size_t n = strcspn(line, " \t");
	const struct command *c = NULL;
	if (!r->pending.len && n < sizeof word) {
		memcpy(word, line, n);
		word[n] = '\0';
		c = command_find(word);
	}
	sigint_target = r;
	int rc;
	if (c) {
		remember(r, line);
		rc = run_command(r, c, line);
	} else {
		rc = lua_line(r, line);
		if (!r->pending.len)
			remember(r, line);
	}
	sigint_target = NULL;
	if (r->after_line && !r->pending.len)
		r->after_line(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The loop */

static struct repl *rl_session;	/* readline's callback takes no context */
static bool rl_eof;

static void on_rl_line(char *line)
{
	struct repl *r = rl_session;
	if (!line) {
		rl_eof = true;
		return;
	}
	rl_callback_handler_remove();
	repl_line(r, line);
	free(line);
	fflush(stdout);
	sigint_pending = 0;
	if (!r->quit)
		rl_callback_handler_install(r->pending.len ? PROMPT2 : PROMPT, on_rl_line);
}

static void interactive_loop(struct repl *r)
{
	rl_session = r;
	rl_eof = false;
	rl_catch_signals = 0;
	rl_callback_handler_install(PROMPT, on_rl_line);
	while (!r->quit && !rl_eof) {
		fd_set fds;
		FD_ZERO(&fds);
		FD_SET(STDIN_FILENO, &fds);
		int rc = select(STDIN_FILENO + 1, &fds, NULL, NULL, NULL);
		if (rc < 0 && errno == EINTR) {
			if (sigint_pending) {
				/* Ctrl-C at the prompt: the line (and any unfinished chunk) goes. */
				sigint_pending = 0;
				sbuf_reset(&r->pending);
				rl_free_line_state();
				rl_callback_sigcleanup();
				rl_replace_line("", 0);
				fputs("^C\n", stdout);
				rl_callback_handler_remove();
				rl_callback_handler_install(PROMPT, on_rl_line);
			}
			continue;
		}
		if (rc > 0)
			rl_callback_read_char();
	}
	rl_callback_handler_remove();
	if (rl_eof)
		putchar('\n');
	rl_session = NULL;
}

static void plain_loop(struct repl *r)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!r->quit && (n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if ((size_t)n != strlen(line)) {
			repl_error(r, "the line holds a zero byte: type text (hex:... sends any bytes)");
			if (r->opt.bail)
				break;
			continue;
		}
		if (repl_line(r, line) < 0 && r->opt.bail)
			break;
	}
	free(line);
}

void repl_loop(struct repl *r)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	if (r->opt.interactive)
		interactive_loop(r);
	else
		plain_loop(r);
	if (r->pending.len) {
		sbuf_reset(&r->pending);
		repl_error(r, "the input ended in the middle of a Lua chunk (an 'end' or a bracket is missing)");
	}
	fflush(stdout);
	sigaction(SIGINT, &old, NULL);
}

/* ------------------------------------------------------------------ */

int repl_source(struct repl *r, const char *path, struct err *e)
{
	size_t len = strlen(path);
	if (len > 4 && strcmp(path + len - 4, ".lua") == 0)
		return luaenv_run_file(r->L, path, 0, NULL, e);
	struct sbuf text = SBUF_INIT;
	if (sbuf_read_file(&text, path) < 0) {
		sbuf_free(&text);
		return err_set(e, "cannot read '%s': %s (give the path of a file of REPL lines or a .lua script)",
			       path, strerror(errno));
	}
	r->source_depth++;
	int failures = 0;
	char *rest = text.s, *line;
	while (!r->quit && (line = next_line(&rest, text.s + text.len))) {
		if (line[0] == '#')
			continue;	/* a comment */
		if (repl_line(r, line) < 0) {
			failures++;
			if (r->opt.bail)
				break;
		}
	}
	sbuf_free(&text);
	r->source_depth--;
	r->events_shown = true;	/* each line showed its own */
	if (failures)
		return err_set(e, "%d line(s) of '%s' failed", failures, path);
	return 0;
}

int repl_record_pcap(struct repl *r, const char *path, struct err *e)
{
	r->pcap = pcap_out_open(path, e);
	if (!r->pcap)
		return -1;
	world_record_to(r->lw.w, r->pcap);
	return 0;
}

void repl_reset(struct repl *r)
{
	struct world *old = r->lw.w;
	struct world *w = world_new(r->opt.seed);
	if (!w)
		abort();
	w->frame_hook = old->frame_hook;
	w->hook_ctx = old->hook_ctx;
	r->lw.w = w;
	r->lw.gen++;
	world_free(old);
	lworld_rebind(r->L);
	trace_view_reset(&r->tv, w);
}

int repl_init(struct repl *r, const struct repl_options *o)
{
	memset(r, 0, sizeof *r);
	r->opt = *o;
	r->auto_mode = true;
	r->relseq = true;
	struct luaenv_config lc = o->lua;
	lc.view = o->view;
	lc.out = lua_out;
	lc.out_ctx = r;
	lc.seed = o->seed;
	r->L = luaenv_new(&lc);
	r->lw.w = world_new(o->seed);
	if (!r->L || !r->lw.w)
		return -1;
	r->lw.cmd = cmd_hook;
	r->lw.cmd_ctx = r;
	r->lw.ladder = ladder_hook;
	lworld_open(r->L, &r->lw);
	trace_view_init(&r->tv, r->lw.w, o->view, r->relseq);
	pkt_init(&r->build);
	const char *home = getenv("HOME");
	if (o->interactive && home) {
		snprintf(r->history_path, sizeof r->history_path, "%s/.stacklab_history", home);
		using_history();
		if (read_history(r->history_path) != 0)
			write_history(r->history_path);	/* create it: append_history needs it there */
		repl_completion_install(r);
	}
	return 0;
}

void repl_free(struct repl *r)
{
	if (r->pcap) {
		struct err e;
		world_record_to(r->lw.w, NULL);
		if (pcap_out_close(r->pcap, &e) < 0)
			repl_error(r, e.msg);
	}
	luaenv_free(r->L);	/* first: Lua's sockets let go of theirs */
	world_free(r->lw.w);
	trace_view_free(&r->tv);
	pkt_free(&r->build);
	sbuf_free(&r->pending);
}
