/* stacklab's command line (SPEC section 1): the REPL, a script, -e and -c,
 * play and check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/err.h"
#include "lesson/lesson.h"
#include "proto/field.h"
#include "repl/repl.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct action {
	char kind;	/* 'e' Lua chunk, 'c' REPL lines */
	const char *text;
};

struct options {
	struct action actions[64];
	int nactions;
	const char *script;
	int rest_argc;	/* after the script, or after play/check */
	char **rest_argv;
	const char *mode;	/* NULL, "play", "check" */
	bool interactive;
	bool bail;
	const char *color;
	const char *pcap;
	uint64_t seed;
	struct luaenv_config lua;
};

static const char usage[] =
	"usage: stacklab [options]                    the REPL (lines from stdin without a terminal)\n"
	"       stacklab [options] FILE.lua [ARGS...]  run a Lua script; arg holds ARGS\n"
	"       stacklab [options] -e CHUNK ...        run Lua chunks, then exit\n"
	"       stacklab [options] -c \"LINE; LINE\"     run REPL lines (\\; is a literal ;), then exit\n"
	"       stacklab play LESSON.md [--auto[=SECONDS]]\n"
	"       stacklab check [PATH...] [--tap] [--solution ID=FILE]\n"
	"options:\n"
	"  -i                  stay in the REPL after -e, -c or FILE\n"
	"  --seed N            the world's seed (default 1): same seed, same bytes\n"
	"  --color=auto|always|never\n"
	"  --pcap FILE         record every frame of the session into FILE\n"
	"  --bail              stop at the first failing line of non-interactive input\n"
	"  --unsafe            give Lua its full standard library\n"
	"  --lua-steps N       Lua instructions a chunk may run (default 100000000)\n"
	"  --lua-mem MB        memory Lua may use (default 256)\n"
	"  --version, --help\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (stacklab --help lists the options)\n", stderr);
	return EXIT_USAGE;
}

static int number_arg(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	if (!s || !*s || parse_uint(s, v) < 0 || *v < min || *v > max) {
		fprintf(stderr, "error: %s wants a whole number from %llu to %llu (got %s%s%s)\n", opt,
			(unsigned long long)min, (unsigned long long)max, s && *s ? "'" : "", s && *s ? s : "nothing",
			s && *s ? "'" : "");
		return -1;
	}
	return 0;
}

/* "--opt=value" or "--opt value" */
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

/* Options common to every mode; returns 1 if arg was one, 0 if not,
 * -1 on a usage error. */
static int common_option(struct options *o, int *i, int argc, char **argv)
{
	const char *a = argv[*i], *v;
	uint64_t n;
	if (strcmp(a, "--bail") == 0) {
		o->bail = true;
	} else if (strcmp(a, "--unsafe") == 0) {
		o->lua.unsafe = true;
	} else if ((v = option_value(a, "--seed", i, argc, argv))) {
		if (number_arg("--seed", v, 0, UINT64_MAX, &n) < 0)
			return -1;
		o->seed = n;
	} else if ((v = option_value(a, "--lua-steps", i, argc, argv))) {
		if (number_arg("--lua-steps", v, 1, (uint64_t)1 << 62, &n) < 0)
			return -1;
		o->lua.max_steps = (long long)n;
	} else if ((v = option_value(a, "--lua-mem", i, argc, argv))) {
		if (number_arg("--lua-mem", v, 1, 1 << 20, &n) < 0)
			return -1;
		o->lua.max_mem = (size_t)n << 20;
	} else if ((v = option_value(a, "--color", i, argc, argv))) {
		if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never")) {
			usage_error("--color wants auto, always or never (got '%s')", v);
			return -1;
		}
		o->color = v;
	} else if ((v = option_value(a, "--pcap", i, argc, argv))) {
		if (!*v) {
			usage_error("%s wants a file name", "--pcap");
			return -1;
		}
		o->pcap = v;
	} else {
		return 0;
	}
	return 1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	o->seed = 1;
	o->color = "auto";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int c = common_option(o, &i, argc, argv);
		if (c < 0)
			return EXIT_USAGE;
		if (c > 0)
			continue;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			exit(EXIT_OK);
		} else if (strcmp(a, "--version") == 0) {
			printf("stacklab %s\n", STACKLAB_VERSION);
			exit(EXIT_OK);
		} else if (strcmp(a, "-e") == 0 || strcmp(a, "-c") == 0) {
			if (i + 1 >= argc)
				return usage_error(a[1] == 'e' ? "%s wants a Lua chunk after it" : "%s wants REPL lines after it", a);
			if (o->nactions == (int)(sizeof o->actions / sizeof o->actions[0]))
				return usage_error("%s: too many of them", a);
			o->actions[o->nactions++] = (struct action){a[1], argv[++i]};
		} else if (strcmp(a, "-i") == 0) {
			o->interactive = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option '%s'", a);
		} else if (!o->script && !o->nactions && (strcmp(a, "play") == 0 || strcmp(a, "check") == 0)) {
			/* The rest is the lesson engine's, but for the common options. */
			o->mode = a;
			o->rest_argv = argv + i + 1;
			o->rest_argc = 0;
			for (int k = i + 1; k < argc; k++) {
				int c2 = common_option(o, &k, argc, argv);
				if (c2 < 0)
					return EXIT_USAGE;
				if (c2 == 0)
					o->rest_argv[o->rest_argc++] = argv[k];
			}
			return EXIT_OK;
		} else {
			o->script = a;
			o->rest_argc = argc - i - 1;
			o->rest_argv = argv + i + 1;
			return EXIT_OK;
		}
	}
	return EXIT_OK;
}

static bool want_color(const char *mode)
{
	if (strcmp(mode, "always") == 0)
		return true;
	if (strcmp(mode, "never") == 0)
		return false;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if ((no && *no) || (term && strcmp(term, "dumb") == 0))
		return false;
	return isatty(STDOUT_FILENO);
}

static bool mentions_utf8(const char *v)
{
	for (; *v; v++)
		if (strncasecmp(v, "utf-8", 5) == 0 || strncasecmp(v, "utf8", 4) == 0)
			return true;
	return false;
}

static bool utf8_terminal(void)
{
	const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
	if (!isatty(STDOUT_FILENO))
		return false;
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return mentions_utf8(v);
	}
	return false;
}

/* -c "LINE; LINE": ';' separates, "\;" is a literal ';'. */
static void run_lines(struct repl *r, const char *text)
{
	struct sbuf line = SBUF_INIT;
	for (const char *p = text;; p++) {
		if (*p == '\\' && p[1] == ';') {
			sbuf_putc(&line, ';');
			p++;
			continue;
		}
		if (*p == ';' || *p == '\0') {
			if (repl_line(r, sbuf_str(&line)) < 0 && r->opt.bail) {
				r->quit = true;
				break;
			}
			sbuf_reset(&line);
			if (!*p || r->quit)
				break;
			continue;
		}
		sbuf_putc(&line, *p);
	}
	sbuf_free(&line);
	if (r->pending.len) {
		sbuf_reset(&r->pending);
		repl_error(r, "-c ended in the middle of a Lua chunk (an 'end' or a bracket is missing)");
	}
}

int main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof o);
	int rc = parse_args(argc, argv, &o);
	if (rc != EXIT_OK)
		return rc;
	struct repl_options ro = {0};
	ro.view.color = want_color(o.color);
	ro.view.utf8 = utf8_terminal();
	ro.seed = o.seed;
	ro.bail = o.bail;
	ro.lua = o.lua;
	if (o.mode)
		return lesson_main(o.mode, o.rest_argc, o.rest_argv, &ro, o.pcap);
	bool repl_after = o.interactive || (!o.script && o.nactions == 0);
	ro.interactive = repl_after && isatty(STDIN_FILENO);
	struct repl r;
	if (repl_init(&r, &ro) < 0) {
		fputs("error: cannot start (out of memory)\n", stderr);
		return EXIT_FAIL;
	}
	lesson_attach(&r);
	struct err e;
	int status = EXIT_OK;
	if (o.pcap && repl_record_pcap(&r, o.pcap, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		repl_free(&r);
		return EXIT_USAGE;
	}
	for (int i = 0; i < o.nactions && !r.quit; i++) {
		if (o.actions[i].kind == 'c') {
			run_lines(&r, o.actions[i].text);
		} else if (luaenv_run(r.L, o.actions[i].text, strlen(o.actions[i].text), "=(command line)", &e) < 0) {
			repl_error(&r, e.msg);
			if (o.bail)
				r.quit = true;
		}
	}
	if (o.script && !r.quit) {
		if (access(o.script, R_OK) != 0) {
			fprintf(stderr, "error: cannot read script '%s' (give the path of a .lua file)\n", o.script);
			status = EXIT_USAGE;
		} else if (luaenv_run_file(r.L, o.script, o.rest_argc, o.rest_argv, &e) < 0) {
			repl_error(&r, e.msg);
		}
	}
	if (repl_after && !r.quit && status == EXIT_OK)
		repl_loop(&r);
	if (r.failed && status == EXIT_OK)
		status = EXIT_FAIL;
	fflush(stdout);
	repl_free(&r);
	return status;
}
