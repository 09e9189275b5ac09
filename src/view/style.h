/* How views are drawn: with or without colour, UTF-8 or plain ASCII. Colour
 * only ever adds to the words; nothing is said by colour alone. */
#ifndef STACKLAB_VIEW_STYLE_H
#define STACKLAB_VIEW_STYLE_H

#include <stdbool.h>

#include "core/sbuf.h"

struct proto_def;

struct view_opts {
	bool color;
	bool utf8;
};

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"

/* The colour of a layer's bytes and heading (NULL def: the payload). */
const char *layer_color(const struct proto_def *def);
/* Writes s in colour when o->color. */
void put_colored(struct sbuf *sb, const struct view_opts *o, const char *color, const char *s);
void color_on(struct sbuf *sb, const struct view_opts *o, const char *color);
void color_off(struct sbuf *sb, const struct view_opts *o);

#endif
