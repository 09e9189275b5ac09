/* Clearing and copying structures of a hundred bytes and more on the hot
 * paths (a layer, a trace event). One memset or memcpy of that size is
 * compiled to `rep stos` or `rep movs`, whose start-up costs more than
 * the work; pieces of at most 64 bytes each are compiled to a few vector
 * stores instead. The result is the same either way. */
#ifndef STACKLAB_CORE_MEM_H
#define STACKLAB_CORE_MEM_H

#include <stddef.h>
#include <string.h>

static inline void mem_clear(void *to, size_t n)
{
	unsigned char *p = to;
	for (; n > 64; p += 64, n -= 64)
		memset(p, 0, 64);
	memset(p, 0, n);
}

/* memcpy, in the same pieces; the two must not overlap. */
static inline void mem_copy(void *restrict to, const void *restrict from, size_t n)
{
	unsigned char *d = to;
	const unsigned char *s = from;
	for (; n > 64; d += 64, s += 64, n -= 64)
		memcpy(d, s, 64);
	memcpy(d, s, n);
}

#endif
