/* A hash map from 64-bit keys to pointers (open addressing, linear
 * probing, deletion by backward shift). The hash is a fixed mix of the key,
 * never of a pointer, so behaviour repeats run to run. Iteration order is
 * not meaningful; whoever needs an order keeps one. */
#ifndef STACKLAB_CORE_HMAP_H
#define STACKLAB_CORE_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_slot {
	uint64_t key;
	void *val;	/* NULL: empty */
};

struct hmap {
	struct hmap_slot *slots;
	size_t cap, n;	/* cap is a power of two */
};

void hmap_init(struct hmap *m);
void hmap_free(struct hmap *m);
void *hmap_get(const struct hmap *m, uint64_t key);
/* Sets key to val (not NULL), replacing any value it had. */
void hmap_put(struct hmap *m, uint64_t key, void *val);
/* Removes key; returns what it held, or NULL. */
void *hmap_del(struct hmap *m, uint64_t key);

#endif
