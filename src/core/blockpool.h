/* A cache of small freed blocks, by size class, in front of malloc: Lua
 * allocates and frees a dozen small objects for every packet a loop
 * builds (tables, userdata, strings), and taking the last block freed of
 * the right size is far shorter than malloc's path and reuses memory that
 * is still in the cache. One per Lua state, so no locking and no global
 * state.
 *
 * Sizes above BLOCKPOOL_MAX go straight to malloc, realloc and free. A
 * block's size is given back on every call, as Lua's allocator interface
 * gives it, so the pool keeps no headers. It keeps at most
 * BLOCKPOOL_KEEP bytes of free blocks and hands the rest back to free.
 *
 * Under AddressSanitizer, and under valgrind when its header is there,
 * a block is marked unusable while it waits in the pool: a use after
 * free is still caught. */
#ifndef STACKLAB_CORE_BLOCKPOOL_H
#define STACKLAB_CORE_BLOCKPOOL_H

#include <stddef.h>

enum {
	BLOCKPOOL_GRAIN = 16,	/* classes are multiples of this */
	BLOCKPOOL_MAX = 1024,	/* larger blocks are not pooled */
	BLOCKPOOL_CLASSES = BLOCKPOOL_MAX / BLOCKPOOL_GRAIN,
	BLOCKPOOL_KEEP = 1 << 20,
};

struct blockpool {
	void *free[BLOCKPOOL_CLASSES];	/* each a list linked through the blocks' first bytes */
	size_t kept;	/* bytes in those lists */
	signed char watched;	/* runs under valgrind: 1; does not: -1; not asked yet: 0 */
};

#define BLOCKPOOL_INIT {{0}, 0, 0}

/* A block of at least n bytes (one for n = 0), or NULL when memory is out. */
void *blockpool_take(struct blockpool *bp, size_t n);
/* Gives back a block taken for n bytes; NULL is ignored. */
void blockpool_give(struct blockpool *bp, void *p, size_t n);
/* The block p, taken for old bytes, made to hold n bytes (n > 0), its
 * first min(old, n) bytes kept; NULL when memory is out, p untouched.
 * Shrinking never fails: when there is no smaller block to move to, p
 * itself is still big enough. */
void *blockpool_resize(struct blockpool *bp, void *p, size_t old, size_t n);
/* Frees every block waiting in the pool. */
void blockpool_free(struct blockpool *bp);

#endif
