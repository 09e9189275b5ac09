#include "sim/world.h"

#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "proto/ipv4.h"

static const struct stack_settings default_settings = {
	.msl = 30 * VTIME_S,
	.rto_initial = 1 * VTIME_S,
	.rto_min = 1 * VTIME_S,
	.rto_max = 60 * VTIME_S,
	.syn_retries = 6,
	.data_retries = 15,
	.mss = 1460,
	.rcvbuf = 65535,
};

static struct host *other_host(struct world *w, int index)
{
	return &w->hosts[index == 0 ? 1 : 0];
}

/* A host puts a frame on the wire: the link decides its fate, the trace
 * records it, and the link carries it. */
static void world_xmit(void *ctx, struct host *h, const uint8_t *frame, size_t len, const struct xmit_meta *m)
{
	struct world *w = ctx;
	struct host *to = other_host(w, h->index);
	struct frame_info fi = {(int8_t)h->index, (int8_t)to->index, m->proto == TP_TCP, m->flags};
	struct fate f = link_decide(&w->link, &fi);
	/* The event is filled in place in the trace (see trace_begin). */
	struct trace_event *ev = trace_begin(&w->trace);
	ev->kind = TRACE_FRAME;
	ev->t = w->q.now;
	ev->host = (uint8_t)h->index;
	ev->to = (uint8_t)to->index;
	ev->proto = m->proto;
	ev->flags = m->flags;
	ev->conn = m->conn;
	ev->seq = m->seq;
	ev->ack = m->ack;
	ev->len = m->len;
	ev->sport = m->sport;
	ev->dport = m->dport;
	memcpy(ev->given, m->given, sizeof ev->given);
	memcpy(ev->computed, m->computed, sizeof ev->computed);
	ev->retrans = m->retrans;
	ev->arp_wait = m->held;
	ev->dropped = f.dropped;
	ev->drop_cause = f.cause;
	ev->delayed = f.extra_delay;
	ev->why = m->why;
	vtime when = w->q.now + w->link.latency + f.extra_delay;
	ev->arrived = f.dropped ? -1 : when;
	uint64_t cause = w->trace.cause;
	if (m->held)
		w->trace.cause = m->cause;	/* it answers what came before the ARP exchange */
	uint64_t n = trace_commit(&w->trace, ev, frame, len);
	/* The copy of a dup rule is recorded as the same event again. Taken
	 * now: recording may move or reuse ev's slot. */
	struct trace_event again;
	if (f.dup) {
		again = *ev;
		again.dup = true;
	}
	w->trace.cause = cause;
	if (w->frame_hook)
		w->frame_hook(w->hook_ctx, w->q.now, frame, len);
	if (f.dropped)
		return;
	link_carry(&w->link, &fi, frame, len, n, when);
	if (f.dup) {
		/* The copy is the link's doing: a capture at the sender does not see it. */
		uint64_t n2 = trace_push(&w->trace, &again, frame, len);
		link_carry(&w->link, &fi, frame, len, n2, when);
	}
}

static void world_deliver(void *ctx, const struct flight *f)
{
	struct world *w = ctx;
	w->trace.cause = f->trace_n;
	host_input(&w->hosts[f->to], f->bytes, f->len);
}

static void init_env(struct world *w)
{
	w->env.q = &w->q;
	w->env.trace = &w->trace;
	w->env.set = &w->set;
	w->env.seed = w->seed;
	w->env.ctx = w;
	w->env.xmit = world_xmit;
	w->env.pool = &w->pool;
	w->link.deliver = world_deliver;
	w->link.ctx = w;
}

struct world *world_new(uint64_t seed)
{
	struct world *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->seed = seed;
	prng_seed(&w->rng, seed);
	evq_init(&w->q);
	trace_init(&w->trace, 0);
	w->set = default_settings;
	link_init(&w->link, &w->q, &w->rng, 10 * VTIME_MS);
	init_env(w);
	static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a}, mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};
	host_init(&w->hosts[0], 0, "a", mac_a, 0x0a000001, 0xffffff00, &w->env);
	host_init(&w->hosts[1], 1, "b", mac_b, 0x0a000002, 0xffffff00, &w->env);
	w->nhosts = 2;
	return w;
}

void world_free(struct world *w)
{
	if (!w)
		return;
	link_free(&w->link);
	for (int i = 0; i < w->nhosts; i++)
		host_free(&w->hosts[i]);
	blockpool_free(&w->pool);	/* after the hosts: their connections gave their storage back */
	evq_free(&w->q);
	trace_free(&w->trace);
	free(w);
}

struct host *world_host(struct world *w, const char *name)
{
	uint32_t ip;
	if (ip4_parse(name, &ip) == 0)
		return world_host_by_ip(w, ip);
	for (int i = 0; i < w->nhosts; i++)
		if (str_ieq(w->hosts[i].name, name))
			return &w->hosts[i];
	return NULL;
}

struct host *world_host_by_ip(struct world *w, uint32_t ip)
{
	for (int i = 0; i < w->nhosts; i++)
		if (w->hosts[i].ip == ip)
			return &w->hosts[i];
	return NULL;
}

struct host *world_peer(struct world *w, const struct host *h)
{
	return other_host(w, h->index);
}

bool world_step(struct world *w)
{
	struct timer *t = evq_pop(&w->q);
	if (!t)
		return false;
	w->events++;
	w->trace.cause = 0;
	t->fire(t);
	w->trace.cause = 0;	/* what follows is the user's doing */
	return true;
}

size_t world_inflight(const struct world *w)
{
	return w->link.nfl;
}

long world_run(struct world *w, long max_events)
{
	long n = 0;
	while (w->link.nfl > 0) {
		if (w->interrupt || (max_events > 0 && n >= max_events))
			return -1;
		world_step(w);
		n++;
	}
	return n;
}

long world_wait(struct world *w, vtime d)
{
	vtime until = w->q.now + d;
	long n = 0;
	struct timer *t;
	while ((t = evq_peek(&w->q)) && t->when <= until) {
		if (w->interrupt)
			return -1;
		world_step(w);
		n++;
	}
	if (w->q.now < until)
		w->q.now = until;
	return n;
}

int world_drop_inflight(struct world *w, size_t i)
{
	uint64_t n = link_drop_inflight(&w->link, i);
	if (!n)
		return -1;
	struct trace_event *ev = trace_get(&w->trace, n);
	if (ev) {
		ev->dropped = true;
		ev->drop_cause = DROP_BY_NUMBER;
		ev->arrived = -1;
	}
	return 0;
}

void world_set_latency(struct world *w, vtime latency)
{
	w->link.latency = latency;
}

void world_reseed(struct world *w, uint64_t seed)
{
	w->seed = seed;
	w->env.seed = seed;
	prng_seed(&w->rng, seed);
}
