/* Helpers for TCP tests, in the manner of lwIP's tcp_set_state and
 * tcp_create_rx_segment: put a connection of host a into any state with
 * chosen sequence numbers, feed it segments built relative to it as if
 * from host b, and look at what it sent back. Nothing runs the world
 * unless a test asks; frames a sends are read from the trace. */
#ifndef STACKLAB_TCPTEST_H
#define STACKLAB_TCPTEST_H

#include "testutil.h"

#include "sim/world.h"
#include "stack/arp.h"
#include "stack/seq.h"
#include "stack/tcp.h"
#include "stack/why.h"

#define A_PORT 49152
#define B_PORT 80
#define A_ISS 1000u
#define B_ISS 5000u

struct tt {
	struct world *w;
	struct host *a, *b;
	uint64_t mark;	/* trace events after this one are "new" */
};

/* Both hosts know each other's MAC address, so no ARP gets in the way. */
static inline void tt_prime_arp(struct world *w)
{
	for (int i = 0; i < 2; i++) {
		struct host *h = &w->hosts[i], *o = &w->hosts[1 - i];
		struct arp_cache *c = &h->arp;
		struct arp_entry *e = calloc(1, sizeof *e);
		assert_non_null(e);
		e->ip = o->ip;
		memcpy(e->mac, o->mac, 6);
		e->resolved = true;
		e->host = h;
		timer_init(&e->retry, NULL);
		c->e = realloc(c->e, (c->n + 1) * sizeof *c->e);
		c->e[c->n++] = e;
	}
}

static inline struct tt tt_new(void)
{
	struct tt t;
	t.w = world_new(1);
	assert_non_null(t.w);
	t.a = &t.w->hosts[0];
	t.b = &t.w->hosts[1];
	tt_prime_arp(t.w);
	t.mark = 0;
	return t;
}

static inline void tt_free(struct tt *t)
{
	world_free(t->w);
}

/* Forgets what is in flight and starts counting new events from here. */
static inline void tt_mark(struct tt *t)
{
	link_flush(&t->w->link);
	t->mark = trace_last(&t->w->trace);
}

/* A connection of a, 49152 -> b:80, put straight into `state` with
 * ISS=A_ISS and IRS=B_ISS, as if the handshake (and, for the closing
 * states, the FINs) had happened. Timers are armed as that state needs. */
static inline struct tcb *tt_conn(struct tt *t, uint8_t state)
{
	struct host *h = t->a;
	struct tcb *c = calloc(1, sizeof *c);
	assert_non_null(c);
	c->lport = A_PORT;
	c->rip = t->b->ip;
	c->rport = B_PORT;
	tcp_test_register(h, c);
	c->iss = A_ISS;
	c->irs = B_ISS;
	c->snd_una = A_ISS + 1;
	c->snd_nxt = A_ISS + 1;
	c->sndq_seq = A_ISS + 1;
	c->rcv_nxt = B_ISS + 1;
	c->snd_wnd = 65535;
	c->max_snd_wnd = 65535;
	c->snd_wl1 = B_ISS;
	c->snd_wl2 = A_ISS + 1;
	c->rcv_wnd = 65535;
	c->snd_mss = 1460;
	switch (state) {
	case TCP_SYN_SENT:
		c->snd_una = A_ISS;
		c->rcv_nxt = 0;
		c->irs = 0;
		break;
	case TCP_SYN_RECEIVED:
		c->snd_una = A_ISS;
		break;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* our FIN sent, not yet acknowledged */
		c->fin_queued = c->fin_sent = true;
		c->fin_seq = A_ISS + 1;
		c->snd_nxt = A_ISS + 2;
		break;
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
		c->fin_queued = c->fin_sent = true;
		c->fin_seq = A_ISS + 1;
		c->snd_una = c->snd_nxt = A_ISS + 2;
		break;
	default:
		break;
	}
	if (state == TCP_CLOSE_WAIT || state == TCP_CLOSING || state == TCP_LAST_ACK || state == TCP_TIME_WAIT) {
		c->fin_rcvd = true;
		c->rcv_nxt = B_ISS + 2;	/* the peer's FIN was at B_ISS+1 */
	}
	tcp_force_state(c, state);
	if (c->snd_una != c->snd_nxt)
		tcp_arm_rto(c);
	if (state == TCP_TIME_WAIT)
		evq_arm(&t->w->q, &c->tw_timer, t->w->q.now + 2 * t->w->set.msl);
	tt_mark(t);
	return c;
}

/* A segment to host `to` from its peer, built relative to nothing: every
 * number is given. Delivered at once, without the link. */
static inline void tt_seg_to(struct tt *t, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
			     uint32_t ack, uint8_t flags, const char *data, uint16_t win)
{
	struct host *from = world_peer(t->w, to);
	struct pkt p;
	pkt_init(&p);
	struct layer *eth = pkt_push(&p, &proto_eth, NULL);
	struct layer *ip = pkt_push(&p, &proto_ipv4, NULL);
	struct layer *tcp = pkt_push(&p, &proto_tcp, NULL);
	memcpy(eth->h.eth.src, from->mac, 6);
	memcpy(eth->h.eth.dst, to->mac, 6);
	ip->h.ip.src = from->ip;
	ip->h.ip.dst = to->ip;
	eth->given |= 3;
	ip->given |= 1u << IP_F_SRC | 1u << IP_F_DST;
	tcp->h.tcp.sport = sport;
	tcp->h.tcp.dport = dport;
	tcp->h.tcp.seq = seq;
	tcp->h.tcp.ack = ack;
	tcp->h.tcp.flags = flags;
	tcp->h.tcp.win = win;
	tcp->given |= 0xff;
	if (data)
		pkt_set_payload(&p, data, strlen(data));
	const struct buf *f = pkt_frame(&p);
	host_input(to, buf_data(f), f->len);
	pkt_free(&p);
}

/* A segment from b to a's connection (49152 <- 80), window 65535. */
static inline void tt_seg(struct tt *t, uint32_t seq, uint32_t ack, uint8_t flags, const char *data)
{
	tt_seg_to(t, t->a, B_PORT, A_PORT, seq, ack, flags, data, 65535);
}

/* The n-th new event of a given kind (1-based), or NULL. */
static inline const struct trace_event *tt_event(const struct tt *t, uint8_t kind, int n)
{
	for (uint64_t i = t->mark + 1; i <= trace_last(&t->w->trace); i++) {
		const struct trace_event *e = trace_get(&t->w->trace, i);
		if (e && e->kind == kind && --n == 0)
			return e;
	}
	return NULL;
}

static inline int tt_count(const struct tt *t, uint8_t kind)
{
	int n = 0;
	for (uint64_t i = t->mark + 1; i <= trace_last(&t->w->trace); i++) {
		const struct trace_event *e = trace_get(&t->w->trace, i);
		if (e && e->kind == kind)
			n++;
	}
	return n;
}

/* Asserts that exactly one segment was sent since the mark, with these
 * flags, sequence and acknowledgement numbers (ack checked when flags
 * have ACK or RST,ACK). */
#define assert_sent_one(t, fl, sq, ak)                                                    \
	do {                                                                              \
		assert_int_equal(tt_count((t), TRACE_FRAME), 1);                          \
		const struct trace_event *e_ = tt_event((t), TRACE_FRAME, 1);             \
		assert_int_equal(e_->flags, (fl));                                        \
		assert_int_equal(e_->seq, (uint32_t)(sq));                                \
		if ((fl) & TCP_ACK)                                                       \
			assert_int_equal(e_->ack, (uint32_t)(ak));                        \
	} while (0)

#define assert_sent_none(t) assert_int_equal(tt_count((t), TRACE_FRAME), 0)

/* The rule behind the n-th new event of a kind. */
static inline uint16_t tt_rule(const struct tt *t, uint8_t kind, int n)
{
	const struct trace_event *e = tt_event(t, kind, n);
	assert_non_null(e);
	return e->why.rule;
}

/* Checks every TCB of both hosts. */
static inline void tt_check_invariants(struct world *w)
{
	for (int i = 0; i < 2; i++) {
		for (struct sock *s = w->hosts[i].first; s; s = s->next) {
			if (s->kind != SOCK_TCP)
				continue;
			const char *bad = tcp_check_invariants((struct tcb *)s);
			if (bad)
				fail_msg("%s (%s): %s", s->id, tcp_state_names[((struct tcb *)s)->state], bad);
		}
	}
}

/* Runs the world until nothing is in flight, checking invariants after
 * every event. */
static inline void tt_run(struct world *w)
{
	tt_check_invariants(w);
	for (int i = 0; i < 1000000 && world_inflight(w); i++) {
		world_step(w);
		tt_check_invariants(w);
	}
	assert_int_equal(world_inflight(w), 0);
}

/* Lets d of virtual time pass, checking invariants after every event. */
static inline void tt_wait(struct world *w, vtime d)
{
	vtime until = w->q.now + d;
	tt_check_invariants(w);
	struct timer *tm;
	while ((tm = evq_peek(&w->q)) && tm->when <= until) {
		world_step(w);
		tt_check_invariants(w);
	}
	if (w->q.now < until)
		w->q.now = until;
}

#endif
