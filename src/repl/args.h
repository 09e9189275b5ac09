/* Reading a REPL line: words (with quotes and escapes), and the kinds of
 * argument commands take (hosts, sockets, PEER:PORT, numbers, text, flag
 * sets, directions), each with an error that says what would be right. */
#ifndef STACKLAB_REPL_ARGS_H
#define STACKLAB_REPL_ARGS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/sbuf.h"
#include "sim/world.h"

#define MAX_WORDS 64

struct words {
	int n;
	char *w[MAX_WORDS];
	size_t len[MAX_WORDS];	/* a quoted word may hold a zero byte */
	bool quoted[MAX_WORDS];
};

/* Splits a line into words: spaces separate; "..." and '...' quote;
 * inside "...", \n \t \\ \" \xHH are escapes. -1 and e when a quote is
 * not closed or the line holds a control character. */
int words_split(const char *line, struct words *out, struct err *e);
void words_free(struct words *w);

/* A host: "a", "B", "10.0.0.2". */
struct host *arg_host(struct world *w, const char *s, struct err *e);
/* "b:80", "10.0.0.2:80". */
int arg_peer_port(struct world *w, const char *s, struct host **h, uint16_t *port, struct err *e);
/* A socket: "a1", or "a" when a has exactly one socket still open. */
struct sock *arg_conn(struct world *w, const char *s, struct err *e);
/* A whole number in [min, max]; `what` names it in the error. */
int arg_uint(const char *s, uint64_t min, uint64_t max, const char *what, uint64_t *v, struct err *e);
/* A time in milliseconds (may have a fraction). */
int arg_ms(const char *s, const char *what, vtime *v, struct err *e);
/* Text to send: the word as typed, or hex:0a0b... */
int arg_text(const char *s, size_t len, struct sbuf *out, struct err *e);
/* "a>b", "b>a", "a>*": a direction for link rules. */
bool arg_is_direction(const char *s);
int arg_direction(struct world *w, const char *s, int8_t *from, int8_t *to, struct err *e);
bool arg_is_port(const char *s);

#endif
