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
#include "stack/tcp_test.h"
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
	arp_learn(&w->hosts[0], w->hosts[1].ip, w->hosts[1].mac);
	arp_learn(&w->hosts[1], w->hosts[0].ip, w->hosts[0].mac);
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

/* Each case of a table test stands alone: forget that c answered an
 * unacceptable segment a moment ago, which would otherwise throttle the
 * next such ACK (RFC 5961 7, tested on its own in test_tcp_sync). */
static inline void tt_unthrottle(struct tcb *c)
{
	c->sent_invalid_ack = false;
}

/* A connection of a, 49152 -> b:80, put straight into `state` with
 * ISS=A_ISS and IRS=B_ISS, as if the handshake (and, for the closing
 * states, the FINs) had happened. Timers are armed as that state needs.
 * tt_conn_at chooses ISS and IRS (near 2^32-1, say). */
static inline struct tcb *tt_conn_at(struct tt *t, uint8_t state, uint32_t iss, uint32_t irs)
{
	struct tcb *c = tcp_test_conn(t->a, t->b->ip, A_PORT, B_PORT, state, iss, irs);
	tt_mark(t);
	return c;
}

static inline struct tcb *tt_conn(struct tt *t, uint8_t state)
{
	return tt_conn_at(t, state, A_ISS, B_ISS);
}

/* A segment to host `to` from its peer, built relative to nothing: every
 * number is given. Delivered at once, without the link. */
static inline void tt_seg_mss(struct tt *t, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
			      uint32_t ack, uint8_t flags, const char *data, uint16_t win, uint16_t mss);

static inline void tt_seg_to(struct tt *t, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
			     uint32_t ack, uint8_t flags, const char *data, uint16_t win)
{
	tt_seg_mss(t, to, sport, dport, seq, ack, flags, data, win, 0);
}

/* tt_seg_to with an MSS option (when mss is not 0). */
static inline void tt_seg_mss(struct tt *t, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
			      uint32_t ack, uint8_t flags, const char *data, uint16_t win, uint16_t mss)
{
	tcp_test_segment(world_peer(t->w, to), to, sport, dport, seq, ack, flags, (const uint8_t *)data,
			 data ? strlen(data) : 0, win, mss);
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

/* ---- More helpers: the closing, timer and two-stack suites. ---- */

/* Lets d of virtual time pass like tt_wait, calling fn (if given) after
 * every event, after the invariants were checked; fn returning true stops
 * the wait early (the clock then stays at that event). */
static inline void tt_wait_each(struct world *w, vtime d, bool (*fn)(void *ctx), void *ctx)
{
	vtime until = w->q.now + d;
	tt_check_invariants(w);
	struct timer *tm;
	while ((tm = evq_peek(&w->q)) && tm->when <= until) {
		world_step(w);
		tt_check_invariants(w);
		if (fn && fn(ctx))
			return;
	}
	if (w->q.now < until)
		w->q.now = until;
}

/* The n-th new frame (1-based) sent by host index `from` (0 = a, 1 = b, or
 * LINK_ANY), or NULL. */
static inline const struct trace_event *tt_frame_from(const struct tt *t, int from, int n)
{
	for (uint64_t i = t->mark + 1; i <= trace_last(&t->w->trace); i++) {
		const struct trace_event *e = trace_get(&t->w->trace, i);
		if (e && e->kind == TRACE_FRAME && e->proto == TP_TCP && !e->dup &&
		    (from == LINK_ANY || e->host == from) && --n == 0)
			return e;
	}
	return NULL;
}

static inline int tt_count_from(const struct tt *t, int from)
{
	int n = 0;
	while (tt_frame_from(t, from, n + 1))
		n++;
	return n;
}

/* Asserts what a student sees of a frame in the trace: flags, SEQ, ACK
 * (checked when ACK is among the flags), and the data length. */
#define assert_seg(ev, fl, sq, ak, ln)                                                    \
	do {                                                                              \
		const struct trace_event *s_ = (ev);                                      \
		assert_non_null(s_);                                                      \
		assert_int_equal(s_->flags, (fl));                                        \
		assert_int_equal(s_->seq, (uint32_t)(sq));                                \
		if ((fl) & TCP_ACK)                                                       \
			assert_int_equal(s_->ack, (uint32_t)(ak));                        \
		assert_int_equal(s_->len, (uint32_t)(ln));                                \
	} while (0)

/* The n-th new state change (1-based) of connection conn on host index h. */
static inline const struct trace_event *tt_state_ev(const struct tt *t, int h, uint32_t conn, int n)
{
	for (uint64_t i = t->mark + 1; i <= trace_last(&t->w->trace); i++) {
		const struct trace_event *e = trace_get(&t->w->trace, i);
		if (e && e->kind == TRACE_STATE && e->host == h && e->conn == conn && --n == 0)
			return e;
	}
	return NULL;
}

static inline int tt_state_count(const struct tt *t, int h, uint32_t conn)
{
	int n = 0;
	while (tt_state_ev(t, h, conn, n + 1))
		n++;
	return n;
}

/* Asserts the n-th new state change of c: old -> new, and its rule. */
#define assert_state_change(t, c, n, from, to_, rule_)                                   \
	do {                                                                              \
		const struct trace_event *s_ =                                            \
			tt_state_ev((t), (c)->sock.host ? (c)->sock.host->index : 0, (c)->sock.num, (n)); \
		assert_non_null(s_);                                                      \
		assert_int_equal(s_->old_state, (from));                                  \
		assert_int_equal(s_->new_state, (to_));                                   \
		assert_int_equal(s_->why.rule, (rule_));                                  \
	} while (0)

/* A link rule: drop (or delay, or duplicate) the next `count` frames from
 * host index `from` to the other; flags >= 0 matches that exact TCP flag
 * set, -1 matches any frame. */
static inline void tt_rule_add(struct tt *t, uint8_t kind, int from, int flags, uint32_t count, vtime delay)
{
	struct link_rule r = {0};
	r.kind = kind;
	r.from = (int8_t)from;
	r.to = LINK_ANY;
	r.match_flags = flags >= 0;
	r.flags = flags >= 0 ? (uint8_t)flags : 0;
	r.count = count;
	r.delay = delay;
	assert_int_equal(link_add_rule(&t->w->link, &r), 0);
}

/* Nothing crosses the link any more: what a sends is recorded but b never
 * sees it (so b, which has no connection, does not answer with a RST). */
static inline void tt_isolate(struct tt *t)
{
	tt_rule_add(t, RULE_DROP, LINK_ANY, -1, UINT32_MAX, 0);
}

/* A whole connection through the link: b listens on `port`, a connects
 * from `lport` (0: ephemeral), and the handshake is played out with tt_run.
 * *ca is a's socket, *cb the one b accepted. */
static inline void tt_pair(struct tt *t, uint16_t port, uint16_t lport, struct tcb **ca, struct tcb **cb,
			   struct tcb **listener)
{
	struct err e;
	struct tcb *l = tcp_listen(t->b, port, &e);
	assert_non_null(l);
	struct tcb *c = tcp_connect(t->a, t->b->ip, port, lport, &e);
	assert_non_null(c);
	tt_run(t->w);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	struct tcb *s = tcp_accept(l);
	assert_non_null(s);
	assert_int_equal(s->state, TCP_ESTABLISHED);
	*ca = c;
	*cb = s;
	if (listener)
		*listener = l;
}

/* A passive open on a, played by hand: a listens on 80 with its next
 * ISS A_ISS, b's SYN (ISS 777, with an MSS option unless mss is 0)
 * and its ACK arrive, and a accepts. Returns the accepted connection. */
static inline struct tcb *tt_passive_open(struct tt *t, uint16_t mss)
{
	struct tcb *l = tcp_listen(t->a, 80, NULL);
	assert_non_null(l);
	t->a->isn_fixed = true;
	t->a->isn_next = A_ISS;
	tt_seg_mss(t, t->a, 40000, 80, 777, 0, TCP_SYN, NULL, 65535, mss);
	tt_seg_to(t, t->a, 40000, 80, 778, A_ISS + 1, TCP_ACK, NULL, 65535);
	struct tcb *c = tcp_accept(l);
	assert_non_null(c);
	return c;
}

/* Byte i of the test pattern: not periodic in anything a segment size
 * could hide. */
static inline uint8_t tt_pattern(uint64_t i)
{
	return (uint8_t)(mix64(i) >> 24);
}

/* The user's SEND, which must succeed. */
static inline void tt_send(struct tcb *c, const void *data, size_t len)
{
	struct err e;
	if (tcp_send(c, data, len, &e) != 0)
		fail_msg("tcp_send: %s", e.msg);
}

/* The user's RECEIVE of everything waiting, as a string (at most cap-1 bytes). */
static inline size_t tt_recv_str(struct tcb *c, char *out, size_t cap, bool *eof)
{
	bool e = false;
	size_t n = tcp_recv(c, (uint8_t *)out, cap - 1, &e);
	out[n] = '\0';
	if (eof)
		*eof = e;
	return n;
}

#endif
