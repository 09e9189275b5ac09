/* Markdown narration rendered for a terminal. */
#ifndef STACKLAB_LESSON_RENDER_H
#define STACKLAB_LESSON_RENDER_H

#include <stddef.h>

#include "core/sbuf.h"
#include "view/style.h"

void render_markdown(const char *md, size_t width, const struct view_opts *o, struct sbuf *out);

#endif
