#include "core/blockpool.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Blocks waiting in the pool are off limits to everyone but the pool. */
#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif
#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define OFF_LIMITS(bp, p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define READABLE(bp, p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#define FRESH(bp, p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#elif defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
/* A request to valgrind costs a dozen instructions even when valgrind is
 * not there, three per block taken and given back: the pool asks once
 * whether it runs under valgrind, and only then makes them. */
static bool watched(struct blockpool *bp)
{
	if (!bp->watched)
		bp->watched = RUNNING_ON_VALGRIND ? 1 : -1;
	return bp->watched > 0;
}
#define OFF_LIMITS(bp, p, n) (watched(bp) ? (void)VALGRIND_MAKE_MEM_NOACCESS(p, n) : (void)0)
#define READABLE(bp, p, n) (watched(bp) ? (void)VALGRIND_MAKE_MEM_DEFINED(p, n) : (void)0)
#define FRESH(bp, p, n) (watched(bp) ? (void)VALGRIND_MAKE_MEM_UNDEFINED(p, n) : (void)0)	/* as malloc gives it */
#endif
#endif
#ifndef OFF_LIMITS
#define OFF_LIMITS(bp, p, n) ((void)0)
#define READABLE(bp, p, n) ((void)0)
#define FRESH(bp, p, n) ((void)0)
#endif

static size_t class_of(size_t n)
{
	return n ? (n - 1) / BLOCKPOOL_GRAIN : 0;	/* 1..16 is class 0, 17..32 class 1, ... */
}

static size_t class_bytes(size_t c)
{
	return (c + 1) * BLOCKPOOL_GRAIN;
}

void *blockpool_take(struct blockpool *bp, size_t n)
{
	if (n > BLOCKPOOL_MAX)
		return malloc(n);
	size_t c = class_of(n);
	void *p = bp->free[c];
	if (!p)
		return malloc(class_bytes(c));	/* every pooled block is its class's full size */
	READABLE(bp, p, sizeof p);	/* the link to the next */
	memcpy(&bp->free[c], p, sizeof p);
	FRESH(bp, p, class_bytes(c));
	bp->kept -= class_bytes(c);
	return p;
}

void blockpool_give(struct blockpool *bp, void *p, size_t n)
{
	if (!p)
		return;
	size_t c = class_of(n);
	if (n > BLOCKPOOL_MAX || bp->kept + class_bytes(c) > BLOCKPOOL_KEEP) {
		free(p);
		return;
	}
	memcpy(p, &bp->free[c], sizeof p);
	OFF_LIMITS(bp, p, class_bytes(c));
	bp->free[c] = p;
	bp->kept += class_bytes(c);
}

void *blockpool_resize(struct blockpool *bp, void *p, size_t old, size_t n)
{
	bool small_old = old <= BLOCKPOOL_MAX, small_new = n <= BLOCKPOOL_MAX;
	if (small_old && small_new && class_of(old) == class_of(n))
		return p;
	if (!small_old && !small_new) {
		void *q = realloc(p, n);
		return q ? q : n <= old ? p : NULL;
	}
	void *q = blockpool_take(bp, n);
	if (!q)
		return n <= old ? p : NULL;	/* p is big enough for the smaller size */
	memcpy(q, p, old < n ? old : n);
	blockpool_give(bp, p, old);
	return q;
}

void blockpool_free(struct blockpool *bp)
{
	for (size_t c = 0; c < BLOCKPOOL_CLASSES; c++) {
		void *p = bp->free[c];
		while (p) {
			void *next;
			READABLE(bp, p, sizeof next);
			memcpy(&next, p, sizeof next);
			free(p);
			p = next;
		}
		bp->free[c] = NULL;
	}
	bp->kept = 0;
}
