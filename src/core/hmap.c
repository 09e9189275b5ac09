#include "core/hmap.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/prng.h"

void hmap_init(struct hmap *m)
{
	*m = (struct hmap){0};
}

void hmap_free(struct hmap *m)
{
	free(m->slots);
	*m = (struct hmap){0};
}

static size_t home(const struct hmap *m, uint64_t key)
{
	return (size_t)mix64(key) & (m->cap - 1);
}

void *hmap_get(const struct hmap *m, uint64_t key)
{
	if (!m->n)
		return NULL;
	for (size_t i = home(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (!m->slots[i].val)
			return NULL;
		if (m->slots[i].key == key)
			return m->slots[i].val;
	}
}

static void insert(struct hmap *m, uint64_t key, void *val)
{
	size_t i = home(m, key);
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].val)
		m->n++;
	m->slots[i].key = key;
	m->slots[i].val = val;
}

void hmap_put(struct hmap *m, uint64_t key, void *val)
{
	if ((m->n + 1) * 4 > m->cap * 3) {
		struct hmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 16;
		m->n = 0;
		m->slots = calloc(m->cap, sizeof *m->slots);
		if (!m->slots) {
			fputs("error: out of memory\n", stderr);
			abort();
		}
		for (size_t i = 0; i < old.cap; i++)
			if (old.slots[i].val)
				insert(m, old.slots[i].key, old.slots[i].val);
		free(old.slots);
	}
	insert(m, key, val);
}

void *hmap_del(struct hmap *m, uint64_t key)
{
	if (!m->n)
		return NULL;
	size_t i = home(m, key);
	while (m->slots[i].val && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	void *val = m->slots[i].val;
	if (!val)
		return NULL;
	m->n--;
	/* Backward shift: move later entries of the run into the hole. */
	for (size_t j = (i + 1) & (m->cap - 1);; j = (j + 1) & (m->cap - 1)) {
		if (!m->slots[j].val)
			break;
		size_t mask = m->cap - 1;
		size_t h = home(m, m->slots[j].key);
		/* j's entry may fill the hole when its home is not in (i, j]. */
		if (((j - h) & mask) >= ((j - i) & mask)) {
			m->slots[i] = m->slots[j];
			i = j;
		}
	}
	m->slots[i].val = NULL;
	return val;
}
