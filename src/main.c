/* stacklab's command line (SPEC section 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "lua/lua_env.h"
#include "lua/lua_world.h"
#include "proto/field.h"
#include "repl/repl.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct options {
	const char *chunks[64];
	int nchunks;
	const char *script;
	int script_argc;
	char **script_argv;
	struct luaenv_config lua;
	const char *color;	/* auto, always, never */
	bool interactive;	/* -i: the REPL after the chunks or script */
	bool bail;
};

static const char usage[] =
	"usage: stacklab [options] [FILE.lua [ARGS...]]\n"
	"  (nothing)           the REPL; without a terminal, lines from stdin\n"
	"  -e CHUNK            run a Lua chunk (may be repeated), then exit\n"
	"  FILE.lua [ARGS...]  run a Lua script; arg holds ARGS\n"
	"  -i                  stay in the REPL after -e or FILE\n"
	"options:\n"
	"  --seed N            seed of the world and of math.random (default 1)\n"
	"  --color=auto|always|never\n"
	"  --bail              stop at the first failing line of non-interactive input\n"
	"  --unsafe            give Lua its full standard library\n"
	"  --lua-steps N       instructions a chunk may run (default 1000000000)\n"
	"  --lua-mem MB        memory Lua may use (default 256)\n"
	"  --version, --help\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see stacklab --help)\n", stderr);
	return EXIT_USAGE;
}

static int parse_number_arg(const char *opt, const char *s, uint64_t max, uint64_t *v)
{
	if (!s || parse_uint(s, v) < 0 || *v > max) {
		fprintf(stderr, "error: %s wants a whole number from 0 to %llu (got %s%s%s)\n", opt,
			(unsigned long long)max, s && *s ? "'" : "", s && *s ? s : "nothing", s && *s ? "'" : "");
		return -1;
	}
	return 0;
}

/* Takes "--opt=value" or "--opt value". */
static const char *option_value(const char *arg, const char *name, int *i, int argc, char **argv)
{
	size_t n = strlen(name);
	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] == '\0')
		return *i + 1 < argc ? argv[++*i] : "";
	return NULL;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	o->lua.seed = 1;
	o->color = "auto";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		uint64_t n;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			exit(EXIT_OK);
		} else if (strcmp(a, "--version") == 0) {
			printf("stacklab %s\n", STACKLAB_VERSION);
			exit(EXIT_OK);
		} else if (strcmp(a, "-e") == 0) {
			if (i + 1 >= argc)
				return usage_error("%s wants a Lua chunk after it", a);
			if (o->nchunks == (int)(sizeof o->chunks / sizeof o->chunks[0]))
				return usage_error("%s: too many chunks", a);
			o->chunks[o->nchunks++] = argv[++i];
		} else if (strcmp(a, "-i") == 0) {
			o->interactive = true;
		} else if (strcmp(a, "--bail") == 0) {
			o->bail = true;
		} else if (strcmp(a, "--unsafe") == 0) {
			o->lua.unsafe = true;
		} else if ((v = option_value(a, "--seed", &i, argc, argv))) {
			if (parse_number_arg("--seed", v, UINT64_MAX, &n) < 0)
				return EXIT_USAGE;
			o->lua.seed = n;
		} else if ((v = option_value(a, "--lua-steps", &i, argc, argv))) {
			if (parse_number_arg("--lua-steps", v, (uint64_t)1 << 62, &n) < 0 || n == 0)
				return n == 0 ? usage_error("%s must be at least 1", "--lua-steps") : EXIT_USAGE;
			o->lua.max_steps = (long long)n;
		} else if ((v = option_value(a, "--lua-mem", &i, argc, argv))) {
			if (parse_number_arg("--lua-mem", v, 1 << 20, &n) < 0 || n == 0)
				return n == 0 ? usage_error("%s must be at least 1 (MB)", "--lua-mem") : EXIT_USAGE;
			o->lua.max_mem = (size_t)n << 20;
		} else if ((v = option_value(a, "--color", &i, argc, argv))) {
			if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
				return usage_error("--color wants auto, always or never (got '%s')", v);
			o->color = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else {
			o->script = a;
			o->script_argc = argc - i - 1;
			o->script_argv = argv + i + 1;
			break;
		}
	}
	return EXIT_OK;
}

static bool want_color(const char *mode, int fd)
{
	if (strcmp(mode, "always") == 0)
		return true;
	if (strcmp(mode, "never") == 0)
		return false;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if ((no && *no) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(fd);
}

int main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof o);
	int rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	o.lua.view.color = want_color(o.color, STDOUT_FILENO);
	const char *lang = getenv("LANG");
	o.lua.view.utf8 = isatty(STDOUT_FILENO) && lang && strstr(lang, "UTF-8");
	lua_State *L = luaenv_new(&o.lua);
	struct lworld lw = {0};
	lw.w = world_new(o.lua.seed);
	if (!L || !lw.w) {
		fputs("error: cannot start (out of memory)\n", stderr);
		return EXIT_FAIL;
	}
	lworld_open(L, &lw);
	int status = EXIT_OK;
	struct err e;
	for (int i = 0; i < o.nchunks; i++) {
		if (luaenv_run(L, o.chunks[i], strlen(o.chunks[i]), "=(command line)", &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			status = EXIT_FAIL;
		}
	}
	if (o.script) {
		if (access(o.script, R_OK) != 0) {
			fprintf(stderr, "error: cannot read script '%s' (give the path of a .lua file)\n", o.script);
			status = EXIT_USAGE;
		} else if (luaenv_run_file(L, o.script, o.script_argc, o.script_argv, &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			status = EXIT_FAIL;
		}
	}
	if (o.interactive || (!o.script && o.nchunks == 0)) {
		struct repl r;
		repl_init(&r, L, isatty(STDIN_FILENO), o.bail);
		repl_loop(&r);
		if (r.failed)
			status = EXIT_FAIL;
		repl_free(&r);
	}
	fflush(stdout);
	luaenv_free(L);
	world_free(lw.w);
	return status;
}
