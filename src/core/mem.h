/* Clearing structures of a hundred bytes and more on the hot paths (a
 * layer, a trace event). One memset of that size is compiled to `rep
 * stos`, whose start-up costs more than the clearing; memsets of at most
 * 64 bytes each are compiled to a few vector stores instead. The result
 * is the same either way: every byte zero. */
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

#endif
