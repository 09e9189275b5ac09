/* The event queue under the virtual clock: timers ordered by when they are
 * due, ties broken by the order they were armed, so that the same input
 * always gives the same order. A timer is embedded in whatever owns it (a
 * TCB, a frame in flight) and fires through its function pointer, which is
 * how lower layers call up without naming what is above them. */
#ifndef STACKLAB_CORE_EVQ_H
#define STACKLAB_CORE_EVQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Virtual time in microseconds since the world began. */
typedef int64_t vtime;
#define VTIME_MS 1000
#define VTIME_S 1000000

struct timer {
	vtime when;
	uint64_t order;		/* arming order, for ties */
	int32_t slot;		/* index in the heap; -1 when not armed */
	void (*fire)(struct timer *t);
};

/* A heap slot keeps its timer's key beside it: ordering the heap then
 * reads one array rather than a timer in every owner. */
struct evq_slot {
	vtime when;
	uint64_t order;
	struct timer *t;
};

struct evq {
	struct evq_slot *heap;
	size_t n, cap;
	uint64_t next_order;
	vtime now;
};

void evq_init(struct evq *q);
void evq_free(struct evq *q);
void timer_init(struct timer *t, void (*fire)(struct timer *t));
static inline bool timer_armed(const struct timer *t) { return t->slot >= 0; }
/* Arms (or re-arms) t to fire at `when`; a time in the past means now. */
void evq_arm(struct evq *q, struct timer *t, vtime when);
void evq_cancel(struct evq *q, struct timer *t);
/* The next timer due, or NULL. */
struct timer *evq_peek(const struct evq *q);
/* Takes the next timer off the queue and advances the clock to it; the
 * caller then calls t->fire(t). */
struct timer *evq_pop(struct evq *q);

/* "1.234" seconds with three decimals, as SPEC section 2 shows time. */
void vtime_format(vtime t, char out[32]);

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
