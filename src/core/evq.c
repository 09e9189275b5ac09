#include "core/evq.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static void *must_realloc(void *p, size_t n)
{
	void *r = realloc(p, n);
	if (!r) {
		fputs("error: out of memory\n", stderr);
		abort();
	}
	return r;
}

static struct evq_slot *run_at(const struct evq_run *r, size_t i)
{
	return &r->slot[(r->head + i) & (r->cap - 1)];
}

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
	for (size_t i = 0; i < q->run.len; i++)
		if (run_at(&q->run, i)->t)
			run_at(&q->run, i)->t->slot = -1;
	free(q->heap);
	free(q->run.slot);
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

/* Holes at either end of the run go; the first slot is then a timer. */
static void run_trim(struct evq_run *r)
{
	while (r->len && !run_at(r, 0)->t) {
		r->head = (r->head + 1) & (r->cap - 1);
		r->len--;
	}
	while (r->len && !run_at(r, r->len - 1)->t)
		r->len--;
}

static void run_push(struct evq_run *r, struct evq_slot s)
{
	if (r->len == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct evq_slot *ring = must_realloc(NULL, cap * sizeof *ring);
		for (size_t i = 0; i < r->len; i++)
			ring[i] = *run_at(r, i);
		free(r->slot);
		r->slot = ring;
		r->cap = cap;
		r->head = 0;
	}
	*run_at(r, r->len++) = s;
	s.t->slot = EVQ_IN_RUN;
}

/* The run is in arming order, so t's slot is found by its order. */
static void run_remove(struct evq_run *r, struct timer *t)
{
	size_t lo = 0, hi = r->len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (run_at(r, mid)->order < t->order)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->len && run_at(r, lo)->t == t)
		run_at(r, lo)->t = NULL;
	t->slot = -1;
	run_trim(r);
}

void evq_unlink(struct evq *q, struct timer *t)
{
	if (t->slot >= 0)
		remove_at(q, (size_t)t->slot);
	else if (t->slot == EVQ_IN_RUN)
		run_remove(&q->run, t);
}

/* Gives t its time (never in the past) and its place in the arming order. */
static struct evq_slot stamp(struct evq *q, struct timer *t, vtime when)
{
	t->when = when < q->now ? q->now : when;
	t->order = q->next_order++;
	return (struct evq_slot){t->when, t->order, t};
}

static void heap_push(struct evq *q, struct evq_slot s)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 64;
		q->heap = must_realloc(q->heap, q->cap * sizeof *q->heap);
	}
	place(q, q->n++, s);
	sift_up(q, q->n - 1);
}

void evq_arm(struct evq *q, struct timer *t, vtime when)
{
	evq_cancel(q, t);
	heap_push(q, stamp(q, t, when));
}

void evq_arm_in_order(struct evq *q, struct timer *t, vtime when)
{
	evq_cancel(q, t);
	struct evq_slot s = stamp(q, t, when);
	if (q->run.len == 0 || s.when >= run_at(&q->run, q->run.len - 1)->when)
		run_push(&q->run, s);
	else
		heap_push(q, s);	/* due before the run's last: a delayed frame's successor */
}

/* Whether the run's first is due before the heap's top. */
static bool run_first(const struct evq *q)
{
	return q->run.len && (!q->n || earlier(run_at(&q->run, 0), &q->heap[0]));
}

struct timer *evq_peek(const struct evq *q)
{
	if (run_first(q))
		return run_at(&q->run, 0)->t;
	return q->n ? q->heap[0].t : NULL;
}

struct timer *evq_pop(struct evq *q)
{
	struct timer *t;
	if (run_first(q)) {
		t = run_at(&q->run, 0)->t;
		t->slot = -1;
		q->run.head = (q->run.head + 1) & (q->run.cap - 1);
		q->run.len--;
		run_trim(&q->run);
	} else if (q->n) {
		t = q->heap[0].t;
		remove_at(q, 0);
	} else {
		return NULL;
	}
	if (t->when > q->now)
		q->now = t->when;
	return t;
}

void evq_copy(struct evq *dst, const struct evq *src, struct timer *(*map)(void *ctx, const struct timer *t),
	      void *ctx)
{
	dst->now = src->now;
	dst->next_order = src->next_order;
	for (size_t i = 0; i < src->n; i++) {
		const struct evq_slot *s = &src->heap[i];
		struct timer *t = map(ctx, s->t);
		t->when = s->when;
		t->order = s->order;
		heap_push(dst, (struct evq_slot){s->when, s->order, t});
	}
	for (size_t i = 0; i < src->run.len; i++) {
		const struct evq_slot *s = run_at(&src->run, i);
		if (!s->t)
			continue;	/* a hole */
		struct timer *t = map(ctx, s->t);
		t->when = s->when;
		t->order = s->order;
		run_push(&dst->run, (struct evq_slot){s->when, s->order, t});
	}
}

void vtime_format(vtime t, char out[32])
{
	int64_t ms = t / VTIME_MS;
	snprintf(out, 32, "%" PRId64 ".%03" PRId64, ms / 1000, ms % 1000);
}
