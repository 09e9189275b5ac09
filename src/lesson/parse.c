#include "lesson/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sbuf.h"
#include "proto/field.h"

static const char PROMPT[] = "stacklab> ";
static const char CONT[] = "...> ";

static char *xstrndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* The lines of a text, each without its newline. */
struct lines {
	char **l;
	int n;
};

static void split_lines(const char *text, struct lines *out)
{
	out->n = 0;
	out->l = NULL;
	int cap = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && p[len - 1] == '\r')
			len--;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 64;
			out->l = realloc(out->l, (size_t)cap * sizeof *out->l);
			if (!out->l)
				abort();
		}
		out->l[out->n++] = xstrndup(p, len);
		if (!nl)
			break;
		p = nl + 1;
	}
}

static void free_lines(struct lines *ls)
{
	for (int i = 0; i < ls->n; i++)
		free(ls->l[i]);
	free(ls->l);
}

static struct block *add_block(struct lesson *l, uint8_t kind, int line)
{
	l->blocks = realloc(l->blocks, (size_t)(l->nblocks + 1) * sizeof *l->blocks);
	if (!l->blocks)
		abort();
	struct block *b = &l->blocks[l->nblocks++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	b->line = line;
	return b;
}

static const char *skip_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* "key=value" among the words of an info string. */
static char *info_value(const char *info, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = info; *p;) {
		p = skip_spaces(p);
		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			const char *v = p + k + 1;
			size_t n = strcspn(v, " \t");
			return n ? xstrndup(v, n) : NULL;
		}
		p += strcspn(p, " \t");
	}
	return NULL;
}

static int front_matter(const char *path, struct lines *ls, int *i, struct lesson *l, struct err *e)
{
	l->seed = 1;
	if (ls->n == 0 || strcmp(ls->l[0], "---") != 0)
		return err_set(e, "%s:1: a lesson starts with front matter: a line ---, then id:, title: (and "
			       "seed:), then ---", path);
	for (*i = 1; *i < ls->n && strcmp(ls->l[*i], "---") != 0; (*i)++) {
		const char *s = ls->l[*i];
		if (!*skip_spaces(s))
			continue;
		const char *colon = strchr(s, ':');
		if (!colon)
			return err_set(e, "%s:%d: front matter lines are KEY: VALUE (got '%s')", path, *i + 1, s);
		size_t klen = (size_t)(colon - s);
		const char *v = skip_spaces(colon + 1);
		if (klen == 2 && strncmp(s, "id", 2) == 0) {
			free(l->id);
			l->id = xstrdup(v);
		} else if (klen == 5 && strncmp(s, "title", 5) == 0) {
			free(l->title);
			l->title = xstrdup(v);
		} else if (klen == 4 && strncmp(s, "seed", 4) == 0) {
			if (parse_uint(v, &l->seed) < 0)
				return err_set(e, "%s:%d: seed is a whole number (got '%s')", path, *i + 1, v);
		} else if (!((klen == 7 && strncmp(s, "summary", 7) == 0) || (klen == 5 && strncmp(s, "level", 5) == 0))) {
			return err_set(e, "%s:%d: unknown front matter key '%.*s' (the keys are id, title, seed, summary, "
				       "level)", path, *i + 1, (int)klen, s);
		}
	}
	if (*i >= ls->n)
		return err_set(e, "%s:1: the front matter is not closed: end it with a line ---", path);
	(*i)++;
	if (!l->id || !*l->id)
		return err_set(e, "%s:1: the front matter needs an id: (like id: tcp-handshake)", path);
	if (!l->title || !*l->title)
		return err_set(e, "%s:1: the front matter needs a title:", path);
	return 0;
}

int transcript_parse(const char *text, int first_line, struct block *b, struct err *e, const char *path)
{
	struct lines ls;
	split_lines(text, &ls);
	int rc = 0;
	for (int i = 0; i < ls.n; i++) {
		const char *s = ls.l[i];
		if (strncmp(s, PROMPT, sizeof PROMPT - 1) == 0 || strcmp(s, "stacklab>") == 0) {
			b->steps = realloc(b->steps, (size_t)(b->nsteps + 1) * sizeof *b->steps);
			if (!b->steps)
				abort();
			struct step *st = &b->steps[b->nsteps++];
			memset(st, 0, sizeof *st);
			st->input = xstrdup(strlen(s) > sizeof PROMPT - 1 ? s + sizeof PROMPT - 1 : "");
			st->line = first_line + i;
			/* A Lua chunk may go on: "...> " lines. */
			while (i + 1 < ls.n && strncmp(ls.l[i + 1], CONT, sizeof CONT - 1) == 0) {
				struct sbuf in = SBUF_INIT;
				sbuf_printf(&in, "%s\n%s", st->input, ls.l[i + 1] + sizeof CONT - 1);
				free(st->input);
				st->input = sbuf_take(&in);
				i++;
			}
			continue;
		}
		if (b->nsteps == 0) {
			if (!*skip_spaces(s))
				continue;
			rc = err_set(e, "%s:%d: a stacklab block starts with a command line ('stacklab> ...'), "
				     "then its output (got '%s')", path, first_line + i, s);
			break;
		}
		struct step *st = &b->steps[b->nsteps - 1];
		st->expect = realloc(st->expect, (size_t)(st->nexpect + 1) * sizeof *st->expect);
		if (!st->expect)
			abort();
		st->expect[st->nexpect++] = xstrdup(s);
	}
	free_lines(&ls);
	return rc;
}

/* The exercise block: goal "label" [[expr]] and hint "text" lines. */
static int read_string(const char **p, char **out)
{
	const char *s = skip_spaces(*p);
	if (*s == '"' || *s == '\'') {
		char q = *s++;
		struct sbuf sb = SBUF_INIT;
		while (*s && *s != q) {
			if (*s == '\\' && s[1]) {
				s++;
				sbuf_putc(&sb, *s == 'n' ? '\n' : *s);
				s++;
				continue;
			}
			sbuf_putc(&sb, *s++);
		}
		if (*s != q) {
			sbuf_free(&sb);
			return -1;
		}
		*out = sbuf_take(&sb);
		*p = s + 1;
		return 0;
	}
	if (s[0] == '[') {
		int level = 0;
		const char *t = s + 1;
		while (*t == '=')
			level++, t++;
		if (*t != '[')
			return -1;
		t++;
		char close[16] = "]";
		for (int k = 0; k < level && k < 10; k++)
			strcat(close, "=");
		strcat(close, "]");
		const char *end = strstr(t, close);
		if (!end)
			return -1;
		*out = xstrndup(t, (size_t)(end - t));
		*p = end + strlen(close);
		return 0;
	}
	return -1;
}

static int parse_exercise(const char *path, struct block *b, struct err *e)
{
	struct lines ls;
	split_lines(b->text, &ls);
	int rc = 0;
	for (int i = 0; i < ls.n && rc == 0; i++) {
		const char *s = skip_spaces(ls.l[i]);
		int line = b->line + i;
		if (!*s || strncmp(s, "--", 2) == 0)
			continue;
		if (strncmp(s, "goal", 4) == 0 && !isalnum((unsigned char)s[4])) {
			const char *p = s + 4;
			char *label = NULL, *expr = NULL;
			if (read_string(&p, &label) < 0 || read_string(&p, &expr) < 0 || *skip_spaces(p)) {
				free(label);
				free(expr);
				rc = err_set(e, "%s:%d: write a goal as: goal \"what the student should reach\" "
					     "[[a Lua expression]]", path, line);
				break;
			}
			b->goals = realloc(b->goals, (size_t)(b->ngoals + 1) * sizeof *b->goals);
			if (!b->goals)
				abort();
			b->goals[b->ngoals++] = (struct goal){label, expr};
		} else if (strncmp(s, "hint", 4) == 0 && !isalnum((unsigned char)s[4])) {
			const char *p = s + 4;
			char *text = NULL;
			if (read_string(&p, &text) < 0 || *skip_spaces(p)) {
				free(text);
				rc = err_set(e, "%s:%d: write a hint as: hint \"text\"", path, line);
				break;
			}
			b->hints = realloc(b->hints, (size_t)(b->nhints + 1) * sizeof *b->hints);
			if (!b->hints)
				abort();
			b->hints[b->nhints++] = text;
		} else {
			rc = err_set(e, "%s:%d: an exercise block holds goal \"...\" [[...]] and hint \"...\" lines "
				     "(got '%s')", path, line, s);
		}
	}
	free_lines(&ls);
	if (rc == 0 && b->ngoals == 0)
		rc = err_set(e, "%s:%d: exercise '%s' has no goal: add goal \"label\" [[lua expression]]", path,
			     b->line - 1, b->name);
	return rc;
}

/* The kind a fence's info string asks for; -1 when it names stacklab or
 * lua in a way the format does not know; B_NARRATION for other code. */
static int tag_kind(const char *info, char **name)
{
	*name = NULL;
	char word[32];
	size_t n = strcspn(info, " \t");
	if (n >= sizeof word)
		return B_NARRATION;
	memcpy(word, info, n);
	word[n] = '\0';
	const char *rest = skip_spaces(info + n);
	if (strcmp(word, "stacklab") == 0) {
		if (!*rest)
			return B_TRANSCRIPT;
		*name = info_value(rest, "solution");
		if (*name && strncmp(rest, "solution=", 9) == 0 && !strchr(rest, ' '))
			return B_SOLUTION;
		free(*name);
		*name = NULL;
		return -1;
	}
	if (strcmp(word, "lua") == 0) {
		if (!*rest)
			return B_LUA;
		if (strcmp(rest, "check") == 0)
			return B_CHECK;
		if (strncmp(rest, "exercise", 8) == 0 && (rest[8] == ' ' || rest[8] == '\t')) {
			*name = info_value(rest + 8, "id");
			const char *after = skip_spaces(rest + 8);
			if (*name && strncmp(after, "id=", 3) == 0 && !strchr(after, ' '))
				return B_EXERCISE;
			free(*name);
			*name = NULL;
		}
		return -1;
	}
	return B_NARRATION;
}

static void add_narration(struct lesson *l, struct sbuf *text, int line, bool hidden)
{
	if (!text->len)
		return;
	struct block *b = add_block(l, B_NARRATION, line);
	b->text = sbuf_take(text);
	b->hidden = hidden;
}

int lesson_parse(const char *path, const char *text, struct lesson *l, struct err *e)
{
	memset(l, 0, sizeof *l);
	l->path = xstrdup(path);
	struct lines ls;
	split_lines(text, &ls);
	int i = 0, rc = front_matter(path, &ls, &i, l, e);
	struct sbuf narr = SBUF_INIT;
	int narr_line = i + 1;
	bool hidden = false;
	while (rc == 0 && i < ls.n) {
		const char *s = ls.l[i];
		const char *t = skip_spaces(s);
		if (strncmp(t, "<details", 8) == 0 || strncmp(t, "</details>", 10) == 0) {
			add_narration(l, &narr, narr_line, hidden);
			hidden = t[1] != '/';
			i++;
			narr_line = i + 1;
			continue;
		}
		size_t fence = 0;
		char fc = *t;
		while ((fc == '`' || fc == '~') && t[fence] == fc)
			fence++;
		if (fence < 3) {
			if (!narr.len)
				narr_line = i + 1;
			sbuf_printf(&narr, "%s\n", s);
			i++;
			continue;
		}
		/* A fenced block: its info string says what it is. */
		char *name;
		const char *info = skip_spaces(t + fence);
		int kind = tag_kind(info, &name);
		if (kind < 0) {
			rc = err_set(e, "%s:%d: unknown tag '%s': the tags are stacklab, stacklab solution=NAME, lua, "
				     "lua check, lua exercise id=NAME", path, i + 1, info);
			break;
		}
		int start = i + 1;
		struct sbuf body = SBUF_INIT;
		for (i++; i < ls.n; i++) {
			const char *u = skip_spaces(ls.l[i]);
			size_t f2 = 0;
			while (u[f2] == fc)
				f2++;
			if (f2 >= fence && !*skip_spaces(u + f2))
				break;
			sbuf_printf(&body, "%s\n", ls.l[i]);
		}
		if (i >= ls.n) {
			sbuf_free(&body);
			free(name);
			rc = err_set(e, "%s:%d: this fenced block is not closed", path, start);
			break;
		}
		i++;
		if (kind == B_NARRATION) {
			if (!narr.len)
				narr_line = start;
			sbuf_printf(&narr, "%s\n%s%s\n", s, sbuf_str(&body), ls.l[i - 1]);
			sbuf_free(&body);
			continue;
		}
		add_narration(l, &narr, narr_line, hidden);
		struct block *b = add_block(l, (uint8_t)kind, start + 1);
		b->name = name;
		b->text = sbuf_take(&body);
		sbuf_free(&body);
		if (kind == B_TRANSCRIPT || kind == B_SOLUTION)
			rc = transcript_parse(b->text, start + 1, b, e, path);
		else if (kind == B_EXERCISE)
			rc = parse_exercise(path, b, e);
		narr_line = i + 1;
	}
	if (rc == 0)
		add_narration(l, &narr, narr_line, hidden);
	sbuf_free(&narr);
	free_lines(&ls);
	/* Every solution answers an exercise; exercises have one name each. */
	for (int k = 0; rc == 0 && k < l->nblocks; k++) {
		struct block *b = &l->blocks[k];
		if (b->kind == B_SOLUTION) {
			bool found = false;
			for (int j = 0; j < l->nblocks; j++)
				found |= l->blocks[j].kind == B_EXERCISE && strcmp(l->blocks[j].name, b->name) == 0;
			if (!found)
				rc = err_set(e, "%s:%d: solution for an unknown exercise '%s'", path, b->line - 1, b->name);
		}
		for (int j = 0; rc == 0 && b->kind == B_EXERCISE && j < k; j++)
			if (l->blocks[j].kind == B_EXERCISE && strcmp(l->blocks[j].name, b->name) == 0)
				rc = err_set(e, "%s:%d: a second exercise named '%s'", path, b->line - 1, b->name);
	}
	if (rc < 0)
		lesson_free(l);
	return rc;
}

int lesson_load(const char *path, struct lesson *l, struct err *e)
{
	memset(l, 0, sizeof *l);
	struct sbuf sb = SBUF_INIT;
	if (sbuf_read_file(&sb, path) < 0) {
		sbuf_free(&sb);
		return err_set(e, "cannot read lesson '%s': %s", path, strerror(errno));
	}
	if (sb.len != strlen(sbuf_str(&sb))) {
		sbuf_free(&sb);
		return err_set(e, "%s: a lesson is text: this file holds a zero byte", path);
	}
	int rc = lesson_parse(path, sbuf_str(&sb), l, e);
	sbuf_free(&sb);
	return rc;
}

static void free_block(struct block *b)
{
	free(b->text);
	free(b->name);
	for (int i = 0; i < b->nsteps; i++) {
		free(b->steps[i].input);
		for (int k = 0; k < b->steps[i].nexpect; k++)
			free(b->steps[i].expect[k]);
		free(b->steps[i].expect);
	}
	free(b->steps);
	for (int i = 0; i < b->ngoals; i++) {
		free(b->goals[i].label);
		free(b->goals[i].expr);
	}
	free(b->goals);
	for (int i = 0; i < b->nhints; i++)
		free(b->hints[i]);
	free(b->hints);
}

void lesson_free(struct lesson *l)
{
	for (int i = 0; i < l->nblocks; i++)
		free_block(&l->blocks[i]);
	free(l->blocks);
	free(l->path);
	free(l->id);
	free(l->title);
	memset(l, 0, sizeof *l);
}

struct block *lesson_solution(struct lesson *l, const char *name)
{
	for (int i = 0; i < l->nblocks; i++)
		if (l->blocks[i].kind == B_SOLUTION && strcmp(l->blocks[i].name, name) == 0)
			return &l->blocks[i];
	return NULL;
}
