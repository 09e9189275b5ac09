#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ensure(struct buf *b, size_t cap)
{
	if (cap <= b->cap)
		return;
	uint8_t *p = realloc(b->base, cap);
	if (!p) {
		fputs("error: out of memory\n", stderr);
		abort();
	}
	b->base = p;
	b->cap = cap;
}

void buf_reset(struct buf *b, size_t headroom, size_t tailroom)
{
	ensure(b, headroom + tailroom);
	b->head = headroom;
	b->len = 0;
}

void buf_free(struct buf *b)
{
	free(b->base);
	*b = (struct buf)BUF_INIT;
}

uint8_t *buf_push_move(struct buf *b, size_t n)
{
	if (n > b->head) {
		/* Not enough room reserved: move the data back. Rare by design. */
		size_t extra = n - b->head + 64;
		ensure(b, b->cap + extra);
		memmove(b->base + b->head + extra, b->base + b->head, b->len);
		b->head += extra;
	}
	b->head -= n;
	b->len += n;
	return b->base + b->head;
}

uint8_t *buf_append_grow(struct buf *b, const void *src, size_t n)
{
	if (n == 0)
		return b->base ? b->base + b->head + b->len : NULL;
	if (b->head + b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->head + b->len + n)
			cap *= 2;
		ensure(b, cap);
	}
	uint8_t *at = b->base + b->head + b->len;
	if (src && n)
		memcpy(at, src, n);
	b->len += n;
	return at;
}

void buf_set(struct buf *b, const void *src, size_t n)
{
	buf_reset(b, 0, n);
	buf_append(b, src, n);
}
