/* Packet buffers with room in front, in the manner of lwIP's pbuf: a layer
 * encodes by pushing its header in front of what the layers above it wrote,
 * and decodes by reading at an offset. A buf owns its storage; whoever
 * initialised it frees it. */
#ifndef STACKLAB_CORE_BUF_H
#define STACKLAB_CORE_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct buf {
	uint8_t *base;	/* storage, owned */
	size_t cap;	/* bytes of storage */
	size_t head;	/* the data starts at base + head */
	size_t len;	/* bytes of data */
};

#define BUF_INIT {0, 0, 0, 0}

/* Empties the buffer and leaves `headroom` bytes in front for headers;
 * keeps the storage it already has when that is big enough. */
void buf_reset(struct buf *b, size_t headroom, size_t tailroom);
void buf_free(struct buf *b);
/* The slow paths of buf_push and buf_append: storage must grow or move. */
uint8_t *buf_push_move(struct buf *b, size_t n);
uint8_t *buf_append_grow(struct buf *b, const void *src, size_t n);

/* Makes room for n bytes in front of the data and returns where they start.
 * The caller should have reserved that headroom in buf_reset. Inline:
 * every header of every frame goes through here. */
static inline uint8_t *buf_push(struct buf *b, size_t n)
{
	if (n > b->head)
		return buf_push_move(b, n);
	b->head -= n;
	b->len += n;
	return b->base + b->head;
}

/* Appends n bytes (copied from src unless NULL) and returns where they start. */
static inline uint8_t *buf_append(struct buf *b, const void *src, size_t n)
{
	if (n == 0 || b->head + b->len + n > b->cap)
		return buf_append_grow(b, src, n);
	uint8_t *at = b->base + b->head + b->len;
	if (src)
		memcpy(at, src, n);
	b->len += n;
	return at;
}

static inline uint8_t *buf_data(const struct buf *b)
{
	return b->base ? b->base + b->head : NULL;	/* no arithmetic on a null pointer */
}
/* Replaces the contents with a copy of n bytes. */
void buf_set(struct buf *b, const void *src, size_t n);

#endif
