/* The lesson engine: check (headless, for CI), play (in class), lessons
 * inside a REPL, and exercises with goals, hints and grading. */
#include "lesson/lesson.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <lauxlib.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/strutil.h"
#include "lesson/parse.h"
#include "lesson/render.h"

/* ------------------------------------------------------------------ */
/* Comparing output with a transcript */

/* A line as compared: colour removed, trailing spaces removed. */
static char *plain_line(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	if (!out)
		abort();
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '[') {
			i += 2;
			while (i < n && !(s[i] >= 0x40 && s[i] <= 0x7e))
				i++;
			continue;
		}
		out[k++] = s[i];
	}
	while (k && (out[k - 1] == ' ' || out[k - 1] == '\t'))
		k--;
	out[k] = '\0';
	return out;
}

struct linev {
	char **l;
	int n;
};

static void to_lines(const char *text, struct linev *v)
{
	v->l = NULL;
	v->n = 0;
	int cap = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (v->n == cap) {
			cap = cap ? 2 * cap : 16;
			v->l = realloc(v->l, (size_t)cap * sizeof *v->l);
			if (!v->l)
				abort();
		}
		v->l[v->n++] = plain_line(p, n);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void free_linev(struct linev *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->l[i]);
	free(v->l);
}

static bool line_matches(const char *want, const char *got)
{
	size_t n = strlen(want);
	if (n >= 5 && strcmp(want + n - 5, " (re)") == 0) {
		char pattern[2048];
		snprintf(pattern, sizeof pattern, "^(%.*s)$", (int)(n - 5), want);
		regex_t re;
		if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
			return false;
		bool ok = regexec(&re, got, 0, NULL, 0) == 0;
		regfree(&re);
		return ok;
	}
	return strcmp(want, got) == 0;
}

/* Matches want[wi..] against got[gi..]; "..." takes any number of lines.
 * Records how far it got, for the first difference. */
static bool match_from(char **want, int nw, int wi, char **got, int ng, int gi, int *best_w, int *best_g)
{
	for (;;) {
		if (wi > *best_w || (wi == *best_w && gi > *best_g)) {
			*best_w = wi;
			*best_g = gi;
		}
		if (wi == nw)
			return gi == ng;
		if (strcmp(want[wi], "...") == 0) {
			for (int k = gi; k <= ng; k++)
				if (match_from(want, nw, wi + 1, got, ng, k, best_w, best_g))
					return true;
			return false;
		}
		if (gi == ng || !line_matches(want[wi], got[gi]))
			return false;
		wi++;
		gi++;
	}
}

/* 0 when output matches; else -1 and e says where, expected beside actual. */
static int compare_output(const struct lesson *l, const struct step *st, const char *output, struct err *e)
{
	struct linev got, want;
	to_lines(output, &got);
	want.n = st->nexpect;
	want.l = malloc(sizeof *want.l * (size_t)(st->nexpect + 1));
	if (!want.l)
		abort();
	for (int i = 0; i < st->nexpect; i++)
		want.l[i] = plain_line(st->expect[i], strlen(st->expect[i]));
	int bw = 0, bg = 0, rc = 0;
	if (!match_from(want.l, want.n, 0, got.l, got.n, 0, &bw, &bg)) {
		const char *w = bw < want.n ? want.l[bw] : "(nothing more)";
		const char *g = bg < got.n ? got.l[bg] : "(nothing more)";
		rc = err_set(e, "%s:%d: the output of '%s' differs at its line %d\n    expected | %s\n    actual   | %s",
			     l->path, st->line, st->input, bg + 1, w, g);
	}
	free_linev(&got);
	free_linev(&want);
	return rc;
}

/* ------------------------------------------------------------------ */
/* A lesson being run: in check, in play, or inside someone's REPL */

struct lesson_run {
	struct lesson l;
	struct repl *r;
	bool own_repl;		/* check and play make their own */
	bool checking;		/* headless */
	bool interactive;	/* a terminal: pauses, typing */
	double auto_secs;	/* play --auto: seconds between steps; <0: wait for Enter */
	bool show_solutions;
	int pos;		/* the next block */
	struct block *exercise;	/* in progress, or NULL */
	int hints_shown;
	bool exercise_done;
	bool stopped;
	const char *student_id;	/* check --solution ID=FILE */
	const char *student_file;
	struct sbuf report;	/* check --solution: the goals, one per line */
};

static size_t term_width(void)
{
	struct winsize ws;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col > 100 ? 100 : ws.ws_col;
	return 80;
}

static void sleep_secs(double s)
{
	if (s <= 0)
		return;
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	nanosleep(&ts, NULL);
}

/* Between steps: Enter (or --auto's seconds); nothing without a terminal. */
static void pause_step(struct lesson_run *lr)
{
	if (lr->checking || !lr->interactive)
		return;
	if (lr->auto_secs >= 0) {
		fflush(stdout);
		sleep_secs(lr->auto_secs);
		return;
	}
	fputs(lr->r->opt.view.color ? "\033[2m[Enter]\033[0m" : "[Enter]", stdout);
	fflush(stdout);
	int c;
	while ((c = getchar()) != EOF && c != '\n')
		if (c == 'q')
			lr->stopped = true;
	fputs(lr->r->opt.view.color ? "\r\033[K" : "\n", stdout);
}

/* Shows a command as if typed at the prompt. */
static void type_command(struct lesson_run *lr, const char *input)
{
	const struct view_opts *o = &lr->r->opt.view;
	for (const char *line = input; *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		fputs(line == input ? "stacklab> " : "...> ", stdout);
		if (o->color)
			fputs(C_BOLD, stdout);
		for (size_t i = 0; i < n; i++) {
			putchar(line[i]);
			if (lr->interactive) {
				fflush(stdout);
				sleep_secs(0.012);
			}
		}
		if (o->color)
			fputs(C_RESET, stdout);
		putchar('\n');
		line += n + (nl ? 1 : 0);
	}
	fflush(stdout);
}

/* Runs a step's input (one line, or a Lua chunk over several), its output
 * going where the REPL's goes (or into `capture`). */
static int run_input(struct lesson_run *lr, const char *input, struct sbuf *capture)
{
	struct repl *r = lr->r;
	struct sbuf *saved = r->capture;
	bool guarded = r->files_guarded;
	if (capture)
		r->capture = capture;
	r->files_guarded = true;	/* the lesson's lines, not the student's */
	int rc = 0;
	for (const char *line = input;;) {
		const char *nl = strchr(line, '\n');
		char *one = strndup(line, nl ? (size_t)(nl - line) : strlen(line));
		if (!one)
			abort();
		if (repl_line(r, one) < 0)
			rc = -1;
		free(one);
		if (!nl)
			break;
		line = nl + 1;
	}
	r->capture = saved;
	r->files_guarded = guarded;
	return rc;
}

static int run_lua(struct lesson_run *lr, const struct block *b, struct sbuf *capture, struct err *e)
{
	struct repl *r = lr->r;
	struct sbuf *saved = r->capture;
	if (capture)
		r->capture = capture;
	char name[512];
	snprintf(name, sizeof name, "@%s:%d", lr->l.path, b->line);
	/* The block's lines keep their numbers: pad with the lines before. */
	struct sbuf src = SBUF_INIT;
	for (int i = 1; i < b->line; i++)
		sbuf_putc(&src, '\n');
	sbuf_puts(&src, b->text);
	int rc = luaenv_run(r->L, sbuf_str(&src), src.len, name, e);
	sbuf_free(&src);
	r->capture = saved;
	r->lw.w->interrupt = 0;
	return rc;
}

/* 1 if the goal holds, 0 if not, -1 (and e) if evaluating it failed. */
static int goal_holds(struct lesson_run *lr, const struct goal *g, struct err *e)
{
	lua_State *L = lr->r->L;
	struct sbuf code = SBUF_INIT;
	sbuf_printf(&code, "return (%s)", g->expr);
	int rc;
	if (luaL_loadbufferx(L, sbuf_str(&code), code.len, "=goal", "t") != LUA_OK) {
		rc = err_set(e, "goal '%s': %s", g->label, lua_tostring(L, -1));
		lua_pop(L, 1);
	} else if (luaenv_pcall(L, 0, 1, e) < 0) {
		char msg[sizeof e->msg];
		snprintf(msg, sizeof msg, "%s", e->msg);
		rc = err_set(e, "goal '%s': %s", g->label, msg);
	} else {
		rc = lua_toboolean(L, -1) ? 1 : 0;
		lua_pop(L, 1);
	}
	sbuf_free(&code);
	return rc;
}

static bool all_goals(struct lesson_run *lr, const struct block *ex)
{
	struct err e;
	for (int i = 0; i < ex->ngoals; i++)
		if (goal_holds(lr, &ex->goals[i], &e) != 1)
			return false;
	return true;
}

static void print_goals(struct lesson_run *lr, const struct block *ex, struct sbuf *out)
{
	bool utf8 = lr->r->opt.view.utf8;
	for (int i = 0; i < ex->ngoals; i++) {
		struct err e;
		int h = goal_holds(lr, &ex->goals[i], &e);
		sbuf_printf(out, "  %s %s\n", h == 1 ? (utf8 ? "\u2713" : "[x]") : (utf8 ? "\u2610" : "[ ]"),
			    ex->goals[i].label);
	}
}

/* ------------------------------------------------------------------ */
/* check */

static int check_transcript(struct lesson_run *lr, const struct block *b, struct err *e)
{
	for (int i = 0; i < b->nsteps; i++) {
		struct sbuf out = SBUF_INIT;
		run_input(lr, b->steps[i].input, &out);
		int rc = compare_output(&lr->l, &b->steps[i], sbuf_str(&out), e);
		sbuf_free(&out);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A student's file of REPL lines, in place of the reference solution. */
static int run_student(struct lesson_run *lr, struct err *e)
{
	struct sbuf text = SBUF_INIT;
	if (sbuf_read_file(&text, lr->student_file) < 0) {
		sbuf_free(&text);
		return err_set(e, "cannot read '%s': %s", lr->student_file, strerror(errno));
	}
	struct sbuf out = SBUF_INIT;
	char *rest = text.s, *line;
	while ((line = next_line(&rest, text.s + text.len)))
		run_input(lr, line, &out);
	sbuf_free(&out);
	sbuf_free(&text);
	return 0;
}

static int check_exercise(struct lesson_run *lr, const struct block *ex, struct err *e)
{
	bool graded = lr->student_id && strcmp(lr->student_id, ex->name) == 0;
	struct block *sol = lesson_solution(&lr->l, ex->name);
	if (!sol)
		return err_set(e, "%s:%d: exercise '%s' has no solution (a ```stacklab solution=%s block)", lr->l.path,
			       ex->line - 1, ex->name, ex->name);
	for (int i = 0; i < ex->ngoals && !graded; i++) {
		struct err ge;
		if (goal_holds(lr, &ex->goals[i], &ge) == 1)
			return err_set(e, "%s:%d: goal '%s' of exercise '%s' already holds before the solution "
				       "(a goal the student cannot miss tests nothing)", lr->l.path, ex->line - 1,
				       ex->goals[i].label, ex->name);
	}
	int rc = graded ? run_student(lr, e) : check_transcript(lr, sol, e);
	if (rc < 0)
		return -1;
	int failed = 0;
	for (int i = 0; i < ex->ngoals; i++) {
		struct err ge;
		int h = goal_holds(lr, &ex->goals[i], &ge);
		if (graded)
			sbuf_printf(&lr->report, "  %s  %s%s%s\n", h == 1 ? "reached" : "missed ", ex->goals[i].label,
				    h < 0 ? ": " : "", h < 0 ? ge.msg : "");
		if (h != 1 && !failed++ && !graded)
			rc = err_set(e, "%s:%d: goal '%s' of exercise '%s' does not hold after the solution%s%s",
				     lr->l.path, ex->line - 1, ex->goals[i].label, ex->name, h < 0 ? ": " : "",
				     h < 0 ? ge.msg : "");
	}
	if (graded && failed)
		rc = err_set(e, "%d of %d goals missed", failed, ex->ngoals);
	return rc;
}

static int check_block(struct lesson_run *lr, const struct block *b, struct err *e)
{
	struct sbuf out = SBUF_INIT;
	int rc = 0;
	switch (b->kind) {
	case B_TRANSCRIPT:
		rc = check_transcript(lr, b, e);
		break;
	case B_LUA:
	case B_CHECK:
		if (run_lua(lr, b, &out, e) < 0) {
			char msg[sizeof e->msg];
			snprintf(msg, sizeof msg, "%s", e->msg);
			rc = err_set(e, "%s:%d: %s failed: %s", lr->l.path, b->line - 1,
				     b->kind == B_CHECK ? "a check" : "a lua block", msg);
		}
		break;
	case B_EXERCISE:
		rc = check_exercise(lr, b, e);
		break;
	default:
		break;
	}
	sbuf_free(&out);
	return rc;
}

/* ------------------------------------------------------------------ */
/* play, and lessons inside a REPL */

static void show(struct lesson_run *lr, const char *s)
{
	repl_print(lr->r, s);
	fflush(stdout);
}

static void start_exercise(struct lesson_run *lr, struct block *ex)
{
	lr->exercise = ex;
	lr->hints_shown = 0;
	lr->exercise_done = false;
	struct sbuf sb = SBUF_INIT;
	const struct view_opts *o = &lr->r->opt.view;
	sbuf_putc(&sb, '\n');
	color_on(&sb, o, "\033[1;33m");
	sbuf_printf(&sb, "Exercise: %s", ex->name);
	color_off(&sb, o);
	sbuf_puts(&sb, "\nYour goals:\n");
	print_goals(lr, ex, &sb);
	sbuf_printf(&sb, "Work in the REPL below: goals are checked after every line. %s\n\n",
		    ex->nhints ? "hint gives a hint, goals lists them, skip goes on without." :
				 "goals lists them, skip goes on without.");
	show(lr, sbuf_str(&sb));
	sbuf_free(&sb);
}

static void play_block(struct lesson_run *lr, struct block *b)
{
	struct err e;
	struct sbuf sb = SBUF_INIT;
	const struct view_opts *o = &lr->r->opt.view;
	switch (b->kind) {
	case B_NARRATION:
		if (b->hidden && !lr->show_solutions)
			break;
		render_markdown(b->text, term_width(), o, &sb);
		show(lr, sbuf_str(&sb));
		pause_step(lr);
		break;
	case B_TRANSCRIPT:
		for (int i = 0; i < b->nsteps && !lr->stopped; i++) {
			type_command(lr, b->steps[i].input);
			run_input(lr, b->steps[i].input, NULL);
			pause_step(lr);
		}
		break;
	case B_LUA: {
		/* Shown as it runs; long setup code is cut short. */
		color_on(&sb, o, C_DIM);
		int shown = 0, total = 0;
		for (const char *p = b->text; *p; total++) {
			size_t n = strcspn(p, "\n");
			if (shown < 8 && ++shown)
				sbuf_printf(&sb, "  | %.*s\n", (int)n, p);
			p += n + (p[n] ? 1 : 0);
		}
		if (total > shown)
			sbuf_printf(&sb, "  | ... (%d more lines of Lua: see the lesson file)\n", total - shown);
		color_off(&sb, o);
		show(lr, sbuf_str(&sb));
		if (run_lua(lr, b, NULL, &e) < 0)
			repl_error(lr->r, e.msg);
		pause_step(lr);
		break;
	}
	case B_CHECK:
		if (run_lua(lr, b, &sb, &e) < 0) {
			sbuf_reset(&sb);
			sbuf_printf(&sb, "(this lesson expected something that did not happen here: %s)\n", e.msg);
			show(lr, sbuf_str(&sb));
		}
		break;
	case B_EXERCISE:
		start_exercise(lr, b);
		break;
	case B_SOLUTION:
		if (lr->show_solutions) {
			sbuf_printf(&sb, "Solution of %s:\n", b->name);
			show(lr, sbuf_str(&sb));
			for (int i = 0; i < b->nsteps; i++)
				type_command(lr, b->steps[i].input);
		}
		break;
	default:
		break;
	}
	sbuf_free(&sb);
}

/* Plays from the current block until an exercise starts or the lesson ends. */
static void advance(struct lesson_run *lr)
{
	while (!lr->exercise && !lr->stopped && lr->pos < lr->l.nblocks)
		play_block(lr, &lr->l.blocks[lr->pos++]);
	if (!lr->exercise && lr->pos >= lr->l.nblocks && !lr->stopped) {
		struct sbuf sb = SBUF_INIT;
		color_on(&sb, &lr->r->opt.view, C_BOLD);
		sbuf_printf(&sb, "\nEnd of the lesson: %s\n", lr->l.title);
		color_off(&sb, &lr->r->opt.view);
		show(lr, sbuf_str(&sb));
		sbuf_free(&sb);
		lr->stopped = true;
	}
}

static void finish_exercise(struct lesson_run *lr, bool reached)
{
	struct sbuf sb = SBUF_INIT;
	const struct view_opts *o = &lr->r->opt.view;
	color_on(&sb, o, reached ? C_GREEN : C_YELLOW);
	sbuf_printf(&sb, reached ? "\nAll goals of %s reached. Well done!\n" : "\nExercise %s left; the lesson goes on.\n",
		    lr->exercise->name);
	color_off(&sb, o);
	show(lr, sbuf_str(&sb));
	sbuf_free(&sb);
	lr->exercise = NULL;
	lr->exercise_done = true;
}

/* After every REPL line: are the exercise's goals reached? */
static void after_line(struct repl *r)
{
	struct lesson_run *lr = r->lesson;
	if (!lr || !lr->exercise || !all_goals(lr, lr->exercise))
		return;
	finish_exercise(lr, true);
	if (lr->own_repl)
		r->quit = true;	/* play: back to the lesson */
	else
		advance(lr);
}

static int lesson_cmd(struct repl *r, const char *cmd, struct words *a, struct sbuf *out, struct err *e);

static void run_free(struct lesson_run *lr)
{
	lesson_free(&lr->l);
	sbuf_free(&lr->report);
	free(lr);
}

/* ------------------------------------------------------------------ */
/* Commands inside the REPL */

static int list_lessons(const char *dir, struct sbuf *out, struct err *e);

static int start_in_repl(struct repl *r, const char *path, struct sbuf *out, struct err *e)
{
	struct lesson_run *lr = calloc(1, sizeof *lr);
	if (!lr)
		abort();
	if (lesson_load(path, &lr->l, e) < 0) {
		free(lr);
		return -1;
	}
	if (r->lesson)
		run_free(r->lesson);
	r->lesson = lr;
	lr->r = r;
	lr->interactive = r->opt.interactive;
	lr->auto_secs = -1;
	r->opt.seed = lr->l.seed;
	repl_reset(r);
	sbuf_printf(out, "lesson %s: %s (a fresh world, seed %" PRIu64 ")\n\n", lr->l.id, lr->l.title, lr->l.seed);
	repl_print(r, sbuf_str(out));
	sbuf_reset(out);
	advance(lr);
	return 0;
}

static int lesson_cmd(struct repl *r, const char *cmd, struct words *a, struct sbuf *out, struct err *e)
{
	struct lesson_run *lr = r->lesson;
	if (strcmp(cmd, "lesson") == 0) {
		if (a->n == 1)
			return list_lessons(r->lessons_dir ? r->lessons_dir : "lessons", out, e);
		return start_in_repl(r, a->w[1], out, e);
	}
	if (!lr || (!lr->exercise && strcmp(cmd, "next") != 0))
		return err_set(e, "%s works during a lesson's exercise: lesson FILE starts a lesson", cmd);
	if (strcmp(cmd, "hint") == 0) {
		if (!lr->exercise->nhints)
			sbuf_puts(out, "this exercise has no hints: goals lists what to reach\n");
		else if (lr->hints_shown >= lr->exercise->nhints)
			sbuf_printf(out, "no more hints (there were %d)\n", lr->exercise->nhints);
		else {
			int k = lr->hints_shown++;
			sbuf_printf(out, "hint %d of %d: %s\n", k + 1, lr->exercise->nhints, lr->exercise->hints[k]);
		}
		return 0;
	}
	if (strcmp(cmd, "goals") == 0) {
		sbuf_printf(out, "goals of %s:\n", lr->exercise->name);
		print_goals(lr, lr->exercise, out);
		return 0;
	}
	if (strcmp(cmd, "skip") == 0) {
		finish_exercise(lr, false);
		if (lr->own_repl)
			r->quit = true;
		else
			advance(lr);
		return 0;
	}
	/* next */
	if (lr->exercise)
		return err_set(e, "the goals of %s do not all hold yet: goals shows them, skip leaves the exercise",
			       lr->exercise->name);
	if (lr->stopped)
		return err_set(e, "the lesson is over: lesson FILE starts another");
	advance(lr);
	return 0;
}

void lesson_attach(struct repl *r)
{
	r->lesson_cmd = lesson_cmd;
	r->after_line = after_line;
}

/* ------------------------------------------------------------------ */
/* Finding lessons */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .md files named by paths (files, or folders of them), sorted. */
static int collect(char **paths, int npaths, char ***out, int *nout, struct err *e)
{
	*out = NULL;
	*nout = 0;
	for (int i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0)
			return err_set(e, "cannot find '%s': give lesson files or folders of them", paths[i]);
		if (!S_ISDIR(st.st_mode)) {
			*out = realloc(*out, (size_t)(*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = strdup(paths[i]);
			continue;
		}
		DIR *d = opendir(paths[i]);
		if (!d)
			return err_set(e, "cannot read folder '%s': %s", paths[i], strerror(errno));
		int first = *nout;
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t n = strlen(de->d_name);
			if (n < 4 || strcmp(de->d_name + n - 3, ".md") != 0 || de->d_name[0] == '.')
				continue;
			if (strcmp(de->d_name, "README.md") == 0)
				continue;	/* a folder's README is not a lesson */
			char *p = malloc(strlen(paths[i]) + n + 2);
			if (!p)
				abort();
			sprintf(p, "%s%s%s", paths[i], paths[i][strlen(paths[i]) - 1] == '/' ? "" : "/", de->d_name);
			*out = realloc(*out, (size_t)(*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = p;
		}
		closedir(d);
		qsort(*out + first, (size_t)(*nout - first), sizeof **out, cmp_str);
	}
	return 0;
}

static void free_list(char **l, int n)
{
	for (int i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static int list_lessons(const char *dir, struct sbuf *out, struct err *e)
{
	char *paths[1] = {(char *)dir};
	char **files;
	int n;
	if (collect(paths, 1, &files, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct lesson l;
		struct err le;
		if (lesson_load(files[i], &l, &le) < 0) {
			sbuf_printf(out, "  %-32s (cannot be read: %s)\n", files[i], le.msg);
			continue;
		}
		sbuf_printf(out, "  %-36s %s\n", files[i], l.title);
		lesson_free(&l);
	}
	if (!n)
		sbuf_printf(out, "no lessons in %s\n", dir);
	else
		sbuf_puts(out, "lesson FILE starts one here; stacklab play FILE plays one in class\n");
	free_list(files, n);
	return 0;
}

/* ------------------------------------------------------------------ */
/* stacklab check, stacklab play */

static struct lesson_run *new_run(const char *path, const struct repl_options *ro, bool checking, struct err *e)
{
	struct lesson_run *lr = calloc(1, sizeof *lr);
	if (!lr)
		abort();
	if (lesson_load(path, &lr->l, e) < 0) {
		free(lr);
		return NULL;
	}
	struct repl_options o = *ro;
	o.seed = lr->l.seed;
	o.interactive = checking ? false : ro->interactive;
	if (checking)
		o.view = (struct view_opts){false, false};
	lr->r = calloc(1, sizeof *lr->r);
	if (!lr->r || repl_init(lr->r, &o) < 0)
		abort();
	lr->own_repl = true;
	lr->checking = checking;
	lr->interactive = o.interactive;
	lr->auto_secs = -1;
	lesson_attach(lr->r);
	lr->r->lesson = lr;
	return lr;
}

static void end_run(struct lesson_run *lr)
{
	repl_free(lr->r);
	free(lr->r);
	run_free(lr);
}

static int check_one(const char *path, const struct repl_options *ro, const char *sid, const char *sfile,
		     struct err *e, struct sbuf *report)
{
	struct lesson_run *lr = new_run(path, ro, true, e);
	if (!lr)
		return -1;
	lr->student_id = sid;
	lr->student_file = sfile;
	int rc = 0;
	bool graded_found = !sid;
	for (int i = 0; i < lr->l.nblocks && rc == 0; i++) {
		struct block *b = &lr->l.blocks[i];
		if (b->kind == B_EXERCISE && sid && strcmp(b->name, sid) == 0)
			graded_found = true;
		rc = check_block(lr, b, e);
		if (b->kind == B_EXERCISE && sid && strcmp(b->name, sid) == 0)
			break;	/* grading stops at the graded exercise */
	}
	if (rc == 0 && !graded_found)
		rc = err_set(e, "%s has no exercise '%s'", path, sid);
	if (report)
		sbuf_puts(report, sbuf_str(&lr->report));
	end_run(lr);
	return rc;
}

static int check_main(int argc, char **argv, const struct repl_options *ro)
{
	bool tap = false;
	char id[128];
	char *paths[256];
	int npaths = 0;
	const char *sid = NULL, *sfile = NULL;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--tap") == 0) {
			tap = true;
		} else if (strcmp(argv[i], "--solution") == 0 || strncmp(argv[i], "--solution=", 11) == 0) {
			const char *v = argv[i][10] == '=' ? argv[i] + 11 : i + 1 < argc ? argv[++i] : "";
			const char *eq = strchr(v, '=');
			if (!eq || eq == v || !eq[1]) {
				fprintf(stderr, "error: --solution wants ID=FILE: the exercise's id and a file of REPL lines\n");
				return 2;
			}
			snprintf(id, sizeof id, "%.*s", (int)(eq - v), v);
			sid = id;
			sfile = eq + 1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "error: unknown option '%s' for check (it takes --tap and --solution ID=FILE)\n",
				argv[i]);
			return 2;
		} else if (npaths < 256) {
			paths[npaths++] = argv[i];
		}
	}
	if (!npaths)
		paths[npaths++] = "lessons";
	if (sid && npaths != 1) {
		fprintf(stderr, "error: --solution grades one lesson: give exactly one lesson file\n");
		return 2;
	}
	char **files;
	int n;
	struct err e;
	if (collect(paths, npaths, &files, &n, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 2;
	}
	if (tap)
		printf("TAP version 13\n1..%d\n", n);
	int passed = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		struct sbuf report = SBUF_INIT;
		int rc = check_one(files[i], ro, sid, sfile, &e, &report);
		if (sid)
			printf("%s", sbuf_str(&report));
		sbuf_free(&report);
		if (rc == 0)
			passed++;
		else
			failed++;
		if (tap) {
			printf("%s %d - %s\n", rc == 0 ? "ok" : "not ok", i + 1, files[i]);
			if (rc < 0)
				for (char *line = strtok(e.msg, "\n"); line; line = strtok(NULL, "\n"))
					printf("  # %s\n", line);
		} else if (rc == 0) {
			printf("ok    %s\n", files[i]);
		} else {
			printf("FAIL  %s\n  %s\n", files[i], e.msg);
		}
		fflush(stdout);
	}
	if (!tap)
		printf("%d passed, %d failed\n", passed, failed);
	else
		printf("# %d passed, %d failed\n", passed, failed);
	free_list(files, n);
	return failed ? 1 : 0;
}

static int play_main(int argc, char **argv, const struct repl_options *ro, const char *pcap)
{
	const char *path = NULL;
	double auto_secs = -1;
	bool show_solutions = false;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--auto") == 0) {
			auto_secs = 2;
		} else if (strncmp(argv[i], "--auto=", 7) == 0) {
			char *end;
			auto_secs = strtod(argv[i] + 7, &end);
			if (*end || !(auto_secs >= 0 && auto_secs <= 3600)) {
				fprintf(stderr, "error: --auto=SECONDS wants a number of seconds from 0 to 3600 (got '%s')\n",
					argv[i] + 7);
				return 2;
			}
		} else if (strcmp(argv[i], "--solutions") == 0) {
			show_solutions = true;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "error: unknown option '%s' for play (it takes --auto[=SECONDS] and --solutions)\n",
				argv[i]);
			return 2;
		} else if (!path) {
			path = argv[i];
		} else {
			fprintf(stderr, "error: play takes one lesson (got '%s' too)\n", argv[i]);
			return 2;
		}
	}
	if (!path) {
		fprintf(stderr, "error: play wants a lesson file: stacklab play lessons/01-welcome.md\n");
		return 2;
	}
	struct repl_options o = *ro;
	o.interactive = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	struct err e;
	struct lesson_run *lr = new_run(path, &o, false, &e);
	if (!lr) {
		fprintf(stderr, "error: %s\n", e.msg);
		return access(path, R_OK) == 0 ? 1 : 2;
	}
	lr->auto_secs = auto_secs;
	lr->show_solutions = show_solutions;
	if (pcap && repl_record_pcap(lr->r, pcap, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		end_run(lr);
		return 2;
	}
	struct sbuf sb = SBUF_INIT;
	color_on(&sb, &o.view, "\033[1;4m");
	sbuf_printf(&sb, "%s", lr->l.title);
	color_off(&sb, &o.view);
	sbuf_puts(&sb, "\n\n");
	fputs(sbuf_str(&sb), stdout);
	sbuf_free(&sb);
	while (!lr->stopped) {
		advance(lr);
		if (!lr->exercise)
			break;
		/* The student works in the REPL until the goals hold or they skip. */
		lr->r->quit = false;
		repl_loop(lr->r);
		if (lr->exercise) {
			if (!lr->r->quit || !lr->interactive) {
				finish_exercise(lr, false);	/* end of input: go on */
			} else {
				lr->stopped = true;	/* quit: the student left */
			}
		}
		lr->r->quit = false;
	}
	/* A lesson may show failing commands on purpose; play succeeds when
	 * the lesson could be played. */
	end_run(lr);
	return 0;
}

int lesson_main(const char *mode, int argc, char **argv, const struct repl_options *ro, const char *pcap)
{
	if (strcmp(mode, "check") == 0)
		return check_main(argc, argv, ro);
	return play_main(argc, argv, ro, pcap);
}
