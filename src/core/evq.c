#include "core/evq.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static bool earlier(const struct evq_slot *a, const struct evq_slot *b)
{
	return a->when < b->when || (a->when == b->when && a->order < b->order);
}

static void place(struct evq *q, size_t i, struct evq_slot s)
{
	q->heap[i] = s;
	s.t->slot = (int32_t)i;
}

static void sift_up(struct evq *q, size_t i)
{
	struct evq_slot s = q->heap[i];
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (!earlier(&s, &q->heap[parent]))
			break;
		place(q, i, q->heap[parent]);
		i = parent;
	}
	place(q, i, s);
}

static void sift_down(struct evq *q, size_t i)
{
	struct evq_slot s = q->heap[i];
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && earlier(&q->heap[c + 1], &q->heap[c]))
			c++;
		if (!earlier(&q->heap[c], &s))
			break;
		place(q, i, q->heap[c]);
		i = c;
	}
	place(q, i, s);
}

void evq_init(struct evq *q)
{
	*q = (struct evq){0};
}

void evq_free(struct evq *q)
{
	for (size_t i = 0; i < q->n; i++)
		q->heap[i].t->slot = -1;
	free(q->heap);
	*q = (struct evq){0};
}

void timer_init(struct timer *t, void (*fire)(struct timer *t))
{
	t->when = 0;
	t->order = 0;
	t->slot = -1;
	t->fire = fire;
}

static void remove_at(struct evq *q, size_t i)
{
	struct timer *t = q->heap[i].t;
	t->slot = -1;
	q->n--;
	if (i == q->n)
		return;
	place(q, i, q->heap[q->n]);
	/* The last timer, moved into the hole, goes up or down, never both. */
	if (i > 0 && earlier(&q->heap[i], &q->heap[(i - 1) / 2]))
		sift_up(q, i);
	else
		sift_down(q, i);
}

void evq_arm(struct evq *q, struct timer *t, vtime when)
{
	if (timer_armed(t))
		remove_at(q, (size_t)t->slot);
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 64;
		struct evq_slot *h = realloc(q->heap, cap * sizeof *h);
		if (!h) {
			fputs("error: out of memory\n", stderr);
			abort();
		}
		q->heap = h;
		q->cap = cap;
	}
	t->when = when < q->now ? q->now : when;
	t->order = q->next_order++;
	place(q, q->n++, (struct evq_slot){t->when, t->order, t});
	sift_up(q, q->n - 1);
}

void evq_cancel(struct evq *q, struct timer *t)
{
	if (timer_armed(t))
		remove_at(q, (size_t)t->slot);
}

struct timer *evq_peek(const struct evq *q)
{
	return q->n ? q->heap[0].t : NULL;
}

struct timer *evq_pop(struct evq *q)
{
	if (!q->n)
		return NULL;
	struct timer *t = q->heap[0].t;
	remove_at(q, 0);
	if (t->when > q->now)
		q->now = t->when;
	return t;
}

void vtime_format(vtime t, char out[32])
{
	int64_t ms = t / VTIME_MS;
	snprintf(out, 32, "%" PRId64 ".%03" PRId64, ms / 1000, ms % 1000);
}
