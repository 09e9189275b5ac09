/* The event queue: timers fire by time, ties by arming order, whether they
 * wait in the heap or in the run (evq_arm_in_order); cancelling and
 * re-arming work in both; a copy fires the same way. */
#include "testutil.h"

#include "core/evq.h"
#include "core/prng.h"

enum { NT = 64 };

struct timers {
	struct timer t[NT];
	int fired[4 * NT];
	int nfired;
};

static struct timers *owner;

static void note_fire(struct timer *t)
{
	owner->fired[owner->nfired++] = (int)(t - owner->t);
}

static void init_all(struct timers *b)
{
	memset(b, 0, sizeof *b);
	for (int i = 0; i < NT; i++)
		timer_init(&b->t[i], note_fire);
	owner = b;
}

static void drain(struct evq *q)
{
	struct timer *t;
	while ((t = evq_pop(q)))
		t->fire(t);
}

static void test_ties_fire_in_arming_order_across_heap_and_run(void **state)
{
	(void)state;
	struct timers b;
	init_all(&b);
	struct evq q;
	evq_init(&q);
	evq_arm_in_order(&q, &b.t[0], 100);
	evq_arm(&q, &b.t[1], 100);
	evq_arm_in_order(&q, &b.t[2], 100);
	evq_arm(&q, &b.t[3], 50);
	evq_arm_in_order(&q, &b.t[4], 40);	/* before the run's last: goes in the heap */
	assert_int_equal(b.t[0].slot, EVQ_IN_RUN);
	assert_true(b.t[4].slot >= 0);
	drain(&q);
	int want[] = {4, 3, 0, 1, 2};
	assert_int_equal(b.nfired, 5);
	assert_memory_equal(b.fired, want, sizeof want);
	assert_int_equal(q.now, 100);
	evq_free(&q);
}

static void test_cancel_and_rearm_in_the_run(void **state)
{
	(void)state;
	struct timers b;
	init_all(&b);
	struct evq q;
	evq_init(&q);
	for (int i = 0; i < 4; i++)
		evq_arm_in_order(&q, &b.t[i], 10 * (i + 1));
	evq_cancel(&q, &b.t[1]);	/* a hole in the middle */
	assert_false(timer_armed(&b.t[1]));
	evq_cancel(&q, &b.t[0]);	/* the first: the hole after it goes too */
	assert_int_equal(q.run.len, 2);
	evq_arm_in_order(&q, &b.t[0], 5);	/* re-armed, earlier than the run's last */
	evq_cancel(&q, &b.t[3]);	/* the last */
	assert_int_equal(q.run.len, 1);
	drain(&q);
	int want[] = {0, 2};
	assert_int_equal(b.nfired, 2);
	assert_memory_equal(b.fired, want, sizeof want);
	evq_free(&q);
}

static void test_a_time_in_the_past_means_now(void **state)
{
	(void)state;
	struct timers b;
	init_all(&b);
	struct evq q;
	evq_init(&q);
	evq_arm(&q, &b.t[0], 1000);
	drain(&q);
	evq_arm_in_order(&q, &b.t[1], 10);
	assert_int_equal(b.t[1].when, 1000);
	drain(&q);
	assert_int_equal(q.now, 1000);
	evq_free(&q);
}

/* The reference: every armed timer's (when, order), the next being the
 * least; the queue must pop exactly that one every time. */
struct model {
	bool armed[NT];
	vtime when[NT];
	uint64_t order[NT];
};

static int model_next(const struct model *m)
{
	int best = -1;
	for (int i = 0; i < NT; i++)
		if (m->armed[i] && (best < 0 || m->when[i] < m->when[best] ||
				    (m->when[i] == m->when[best] && m->order[i] < m->order[best])))
			best = i;
	return best;
}

static struct timer *same_timer(void *ctx, const struct timer *t)
{
	struct timers *to = ctx;
	return &to->t[t - owner->t];
}

static void test_random_operations_match_a_model(void **state)
{
	(void)state;
	static struct timers b, copy;
	struct prng r;
	prng_seed(&r, 7);
	for (int round = 0; round < 200; round++) {
		init_all(&b);
		struct evq q;
		evq_init(&q);
		struct model m = {0};
		uint64_t order = 0;
		for (int step = 0; step < 400; step++) {
			int i = (int)prng_below(&r, NT);
			unsigned op = (unsigned)prng_below(&r, 10);
			if (op < 4) {	/* mostly in order, as frames are */
				vtime when = q.now + (prng_below(&r, 8) ? 1000 : (vtime)prng_below(&r, 3000));
				evq_arm_in_order(&q, &b.t[i], when);
				m.armed[i] = true, m.when[i] = when < q.now ? q.now : when, m.order[i] = order++;
			} else if (op < 6) {
				vtime when = q.now + (vtime)prng_below(&r, 5000) - 100;
				evq_arm(&q, &b.t[i], when);
				m.armed[i] = true, m.when[i] = when < q.now ? q.now : when, m.order[i] = order++;
			} else if (op < 7) {
				evq_cancel(&q, &b.t[i]);
				m.armed[i] = false;
			} else {
				int want = model_next(&m);
				struct timer *t = evq_pop(&q);
				if (want < 0) {
					assert_null(t);
					continue;
				}
				assert_ptr_equal(t, &b.t[want]);
				assert_false(timer_armed(t));
				assert_int_equal(q.now, m.when[want]);
				m.armed[want] = false;
			}
			for (int k = 0; k < NT; k++)
				assert_int_equal(timer_armed(&b.t[k]), m.armed[k]);
		}
		/* A copy pops what the original pops. */
		init_all(&copy);
		owner = &b;
		struct evq c;
		evq_init(&c);
		evq_copy(&c, &q, same_timer, &copy);
		for (;;) {
			struct timer *x = evq_pop(&q), *y = evq_pop(&c);
			if (!x) {
				assert_null(y);
				break;
			}
			assert_non_null(y);
			assert_int_equal(x - b.t, y - copy.t);
			assert_int_equal(q.now, c.now);
		}
		evq_free(&q);
		evq_free(&c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ties_fire_in_arming_order_across_heap_and_run),
		cmocka_unit_test(test_cancel_and_rearm_in_the_run),
		cmocka_unit_test(test_a_time_in_the_past_means_now),
		cmocka_unit_test(test_random_operations_match_a_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
