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
	int32_t slot;		/* index in the heap; EVQ_IN_RUN; -1 when not armed */
	void (*fire)(struct timer *t);
};

#define EVQ_IN_RUN (-2)

/* A heap slot keeps its timer's key beside it: ordering the heap then
 * reads one array rather than a timer in every owner. */
struct evq_slot {
	vtime when;
	uint64_t order;
	struct timer *t;
};

/* Most timers are frames in flight, armed one after another for the
 * link's fixed latency, so each is due no earlier than the one before.
 * Those need no heap: they wait in the run, a queue in arming order
 * (hence in time order), and the next due is the earlier of the run's
 * first and the heap's top. A cancelled timer leaves a hole (t NULL) in
 * the run, skipped when it reaches the front. */
struct evq_run {
	struct evq_slot *slot;	/* a ring of cap slots, cap a power of two */
	size_t head, len, cap;
};

struct evq {
	struct evq_slot *heap;
	size_t n, cap;
	struct evq_run run;
	uint64_t next_order;
	vtime now;
};

void evq_init(struct evq *q);
void evq_free(struct evq *q);
void timer_init(struct timer *t, void (*fire)(struct timer *t));
static inline bool timer_armed(const struct timer *t) { return t->slot != -1; }
/* Arms (or re-arms) t to fire at `when`; a time in the past means now. */
void evq_arm(struct evq *q, struct timer *t, vtime when);
/* The same, for a timer that is usually due no earlier than the last one
 * armed this way (a frame after a frame): it then goes in the run. Either
 * way it fires exactly when, and in the order, evq_arm's would. */
void evq_arm_in_order(struct evq *q, struct timer *t, vtime when);
/* Makes dst (initialised, empty) a copy of src: the same times, arming
 * order and places, each timer replaced by the one `map` gives for it. */
void evq_copy(struct evq *dst, const struct evq *src, struct timer *(*map)(void *ctx, const struct timer *t),
	      void *ctx);
/* Takes an armed timer off the queue (evq_cancel's work). */
void evq_unlink(struct evq *q, struct timer *t);
/* Most cancels find the timer idle: that test is inline. */
static inline void evq_cancel(struct evq *q, struct timer *t)
{
	if (timer_armed(t))
		evq_unlink(q, t);
}
/* The next timer due, or NULL. */
struct timer *evq_peek(const struct evq *q);
/* Takes the next timer off the queue and advances the clock to it; the
 * caller then calls t->fire(t). */
struct timer *evq_pop(struct evq *q);

/* "1.234" seconds with three decimals, as SPEC section 2 shows time. */
void vtime_format(vtime t, char out[32]);

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
