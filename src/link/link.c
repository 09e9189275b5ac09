#include "link/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/trace.h"

void link_init(struct link *l, struct evq *q, struct prng *rng, vtime latency)
{
	memset(l, 0, sizeof *l);
	l->q = q;
	l->rng = rng;
	l->latency = latency;
}

static void *must(void *p)
{
	if (!p) {
		fputs("error: out of memory\n", stderr);
		abort();
	}
	return p;
}

/* The storage sizes of flights: a frame gets the smallest that holds it
 * (1536 holds a full Ethernet frame); larger ones get their own size and
 * are never kept. */
static const uint16_t flight_class[LINK_FLIGHT_CLASSES] = {128, 256, 512, 1024, 1536};

static int class_of(size_t cap)
{
	for (int c = 0; c < LINK_FLIGHT_CLASSES; c++)
		if (cap <= flight_class[c])
			return c;
	return -1;
}

struct flight *link_flight_new(struct link *l, size_t len)
{
	int c = class_of(len);
	if (c >= 0 && l->nspare[c])
		return l->spare[c][--l->nspare[c]];
	size_t cap = c >= 0 ? flight_class[c] : len;
	struct flight *f = must(malloc(sizeof *f + cap));
	f->cap = (uint16_t)cap;
	return f;
}

void link_flight_free(struct link *l, struct flight *f)
{
	int c = class_of(f->cap);
	if (c >= 0 && f->cap == flight_class[c] && l->nspare[c] < LINK_SPARES)
		l->spare[c][l->nspare[c]++] = f;
	else
		free(f);
}

static void remove_flight(struct link *l, struct flight *f)
{
	for (size_t i = 0; i < l->nfl; i++) {
		if (l->fl[i] != f)
			continue;
		if (i == 0)
			l->fl++;
		else
			memmove(&l->fl[i], &l->fl[i + 1], (l->nfl - i - 1) * sizeof l->fl[0]);
		l->nfl--;
		return;
	}
}

/* Room for one more at the end of fl: what has gone from the front is
 * reused before the storage grows. */
static void make_room_for_flight(struct link *l)
{
	size_t first = l->nfl ? (size_t)(l->fl - l->flstore) : 0;
	if (first + l->nfl < l->capfl) {
		l->fl = l->flstore + first;
		return;
	}
	if (first > 0) {
		memmove(l->flstore, l->fl, l->nfl * sizeof l->fl[0]);
	} else {
		l->capfl = l->capfl ? 2 * l->capfl : 16;
		l->flstore = must(realloc(l->flstore, l->capfl * sizeof *l->flstore));
	}
	l->fl = l->flstore;
}

void link_flush(struct link *l)
{
	for (size_t i = 0; i < l->nfl; i++) {
		evq_cancel(l->q, &l->fl[i]->t);
		link_flight_free(l, l->fl[i]);
	}
	l->nfl = 0;
	l->fl = l->flstore;
}

void link_free(struct link *l)
{
	link_flush(l);
	for (int c = 0; c < LINK_FLIGHT_CLASSES; c++) {
		while (l->nspare[c])
			free(l->spare[c][--l->nspare[c]]);
	}
	free(l->flstore);
	l->flstore = l->fl = NULL;
	l->capfl = 0;
}

static bool rule_matches(const struct link_rule *r, const struct frame_info *fi)
{
	if (r->from != LINK_ANY && r->from != fi->from)
		return false;
	if (r->to != LINK_ANY && r->to != fi->to)
		return false;
	if (r->match_flags && (!fi->tcp || r->flags != fi->flags))
		return false;	/* a flag filter matches the exact set (SPEC section 2) */
	return r->count > 0;
}

static void use_rule(struct link *l, size_t i)
{
	if (--l->rules[i].count == 0) {
		memmove(&l->rules[i], &l->rules[i + 1], (l->nrules - i - 1) * sizeof l->rules[0]);
		l->nrules--;
	}
}

struct fate link_decide(struct link *l, const struct frame_info *fi)
{
	struct fate f = {0};
	if (l->nfl >= LINK_MAX_IN_FLIGHT) {
		f.dropped = true;
		f.cause = DROP_WIRE_FULL;
		return f;
	}
	if (!l->nrules && !l->loss_ppm)
		return f;	/* a clean wire: nothing to decide */
	/* The first matching rule of each kind acts, in the order given. */
	for (int kind = RULE_DROP; kind <= RULE_DUP; kind++) {
		for (size_t i = 0; i < l->nrules; i++) {
			struct link_rule *r = &l->rules[i];
			if (r->kind != kind || !rule_matches(r, fi))
				continue;
			if (kind == RULE_DROP) {
				f.dropped = true;
				f.cause = DROP_RULE;
			} else if (kind == RULE_DELAY && !f.dropped) {
				f.extra_delay += r->delay;
			} else if (kind == RULE_DUP && !f.dropped) {
				f.dup = true;
			} else {
				break;	/* a dropped frame uses up no delay or dup rule */
			}
			use_rule(l, i);
			break;
		}
	}
	if (!f.dropped && l->loss_ppm && prng_chance_ppm(l->rng, l->loss_ppm)) {
		f.dropped = true;
		f.cause = DROP_LOSS;
	}
	return f;
}

static void arrive(struct timer *t)
{
	struct flight *f = container_of(t, struct flight, t);
	struct link *l = f->link;
	remove_flight(l, f);
	l->deliver(l->ctx, f);
	link_flight_free(l, f);
}

void link_carry(struct link *l, const struct frame_info *fi, const uint8_t *bytes, size_t len,
		uint64_t trace_n, vtime when)
{
	struct flight *f = link_flight_new(l, len);
	make_room_for_flight(l);
	timer_init(&f->t, arrive);
	f->link = l;
	f->trace_n = trace_n;
	f->from = fi->from;
	f->to = fi->to;
	f->len = (uint16_t)len;
	memcpy(f->bytes, bytes, len);
	l->fl[l->nfl++] = f;
	evq_arm_in_order(l->q, &f->t, when);
}

uint64_t link_drop_inflight(struct link *l, size_t i)
{
	if (i >= l->nfl)
		return 0;
	struct flight *f = l->fl[i];
	uint64_t n = f->trace_n;
	evq_cancel(l->q, &f->t);
	remove_flight(l, f);
	link_flight_free(l, f);
	return n;
}

int link_add_rule(struct link *l, const struct link_rule *r)
{
	if (l->nrules == LINK_MAX_RULES)
		return -1;
	l->rules[l->nrules++] = *r;
	return 0;
}

void link_clear_rules(struct link *l)
{
	l->nrules = 0;
	l->loss_ppm = 0;
}
