/* Sending TCP segments: what the window allows of the queued data and the
 * FIN (RFC 9293 3.8), control segments, resets for segments that have no
 * connection (3.10.7.1), and retransmission of the oldest segment. */
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "stack/ipv4.h"
#include "stack/seq.h"
#include "stack/tcp.h"
#include "stack/why.h"

/* ------------------------------------------------------------------ */
/* Byte queues */

/* x as a place in q's storage. The storage is always a power of two
 * (256, doubled as needed), so a mask does what % would, without the
 * division on every byte queue operation. */
static uint32_t byteq_wrap(const struct byteq *q, size_t x)
{
	return (uint32_t)(x & (q->cap - 1));
}

static void give_storage(struct blockpool *pool, uint8_t *buf, uint32_t cap)
{
	if (pool)
		blockpool_give(pool, buf, cap);
	else
		free(buf);
}

static void byteq_grow(struct byteq *q, struct blockpool *pool, size_t need)
{
	uint32_t cap = q->cap ? q->cap : 256;
	while (cap < need)
		cap *= 2;
	uint8_t *b = pool ? blockpool_take(pool, cap) : malloc(cap);
	if (!b)
		abort();
	byteq_peek(q, 0, b, q->len);
	give_storage(pool, q->buf, q->cap);
	q->buf = b;
	q->head = 0;
	q->cap = cap;
}

void byteq_push(struct byteq *q, struct blockpool *pool, const uint8_t *d, size_t n)
{
	if (n == 0)
		return;
	if (q->len + n > q->cap)
		byteq_grow(q, pool, q->len + n);
	uint32_t tail = byteq_wrap(q, (size_t)q->head + q->len);
	size_t first = q->cap - tail < n ? q->cap - tail : n;
	memcpy(q->buf + tail, d, first);
	if (n > first)	/* wrapped */
		memcpy(q->buf, d + first, n - first);
	q->len += (uint32_t)n;
}

void byteq_peek(const struct byteq *q, size_t off, uint8_t *out, size_t n)
{
	if (!n)
		return;
	uint32_t start = byteq_wrap(q, q->head + off);
	size_t first = q->cap - start < n ? q->cap - start : n;
	memcpy(out, q->buf + start, first);
	if (n > first)	/* wrapped */
		memcpy(out + first, q->buf, n - first);
}

void byteq_pop(struct byteq *q, struct blockpool *pool, size_t n)
{
	if (!n)
		return;	/* nothing taken; an empty queue already holds no storage */
	q->len -= (uint32_t)n;
	q->head = q->len ? byteq_wrap(q, q->head + n) : 0;
	if (!q->len)
		byteq_free(q, pool);	/* an idle connection keeps no storage */
}

void byteq_free(struct byteq *q, struct blockpool *pool)
{
	give_storage(pool, q->buf, q->cap);
	*q = (struct byteq){0};
}

/* ------------------------------------------------------------------ */
/* Segments */

uint32_t tcp_window_now(const struct tcb *t)
{
	uint32_t buf = t->sock.host ? t->sock.host->env->set->rcvbuf : 65535;
	uint32_t used = t->rcvq.len;
	uint32_t w = used < buf ? buf - used : 0;
	return w > 65535 ? 65535 : w;	/* no window scaling */
}

struct segment_out {
	uint32_t seq, ack;
	uint8_t flags;
	bool mss;
	uint32_t data_off, dlen;	/* from the send queue */
	bool retrans;
};

/* The fields of a TCP header the stack sets itself (and MSS on a SYN);
 * tcp_push_header computes the rest. */
static const uint32_t tcp_given = 1u << TCP_F_SPORT | 1u << TCP_F_DPORT | 1u << TCP_F_SEQ | 1u << TCP_F_ACK |
				  1u << TCP_F_FLAGS | 1u << TCP_F_WIN;

static void set_header(struct tcp_hdr *th, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		       uint8_t flags, uint16_t win)
{
	th->sport = sport;
	th->dport = dport;
	th->seq = seq;
	th->ack = ack;
	th->res = 0;
	th->flags = flags;
	th->win = win;
	th->urp = 0;
}

/* Pushes th in front of the data already in h->txbuf (begun with
 * ipv4_begin_bytes), with the MSS option when `mss`, and sends the
 * segment to rip; m gets the header's values and field marks. */
static void send_segment(struct host *h, uint32_t rip, struct tcp_hdr *th, bool mss, struct xmit_meta *m)
{
	m->proto = TP_TCP;
	m->flags = th->flags;
	m->seq = th->seq;
	m->ack = th->ack;
	m->sport = th->sport;
	m->dport = th->dport;
	m->given[2] = tcp_given | (mss ? 1u << TCP_F_MSS : 0);
	m->computed[2] = tcp_push_header(&h->txbuf, th, mss, h->ip, rip);
	ipv4_send_bytes(h, rip, IP_PROTO_TCP, m);
}

/* Builds and sends one segment of connection t. */
static void emit(struct tcb *t, const struct segment_out *o, const struct why *why)
{
	struct host *h = t->sock.host;
	ipv4_begin_bytes(h, TCP_MAX_HLEN);
	if (o->dlen)
		byteq_peek(&t->sndq, o->data_off, ipv4_payload_room(h, o->dlen), o->dlen);
	struct tcp_hdr th;
	uint16_t win = (uint16_t)tcp_window_now(t);
	set_header(&th, t->lport, t->rport, o->seq, (o->flags & TCP_ACK) ? o->ack : 0, o->flags, win);
	th.mss = o->mss ? h->env->set->mss : 0;
	if (o->flags & TCP_ACK) {
		t->rcv_adv = t->rcv_nxt + win;
		t->ack_pending = false;	/* this segment carries it */
		evq_cancel(h->env->q, &t->delack_timer);
	}
	t->segs_out++;
	if (o->dlen || (o->flags & TCP_FIN))
		t->last_data_sent = h->env->q->now;
	if (o->retrans)
		t->retransmits++;
	struct xmit_meta m;
	mem_clear(&m, sizeof m);	/* not "= {...}": see core/mem.h */
	m.conn = t->sock.num;
	m.len = o->dlen;
	m.retrans = o->retrans;
	m.why = *why;
	send_segment(h, t->rip, &th, o->mss, &m);
}

void tcp_send_ctl(struct tcb *t, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t rule,
		  const uint32_t *v, int nv)
{
	struct segment_out o = {.seq = seq, .ack = ack, .flags = flags};
	o.mss = (flags & TCP_SYN) != 0;	/* RFC 9293 3.7.1: announce our MSS on the SYN */
	o.retrans = false;
	struct why w = why_make(rule, v, nv);
	emit(t, &o, &w);
}

void tcp_send_reset_for(struct host *h, const struct pkt *in, int li, uint32_t seq, uint32_t ack,
			uint8_t flags, uint32_t conn, uint16_t rule, const uint32_t *v, int nv)
{
	const struct tcp_hdr *ith = &in->layer[li].h.tcp;
	uint32_t rip = in->layer[li - 1].h.ip.src;
	ipv4_begin_bytes(h, TCP_MAX_HLEN);
	struct tcp_hdr th;
	set_header(&th, ith->dport, ith->sport, seq, ack, flags, 0);
	struct xmit_meta m;
	mem_clear(&m, sizeof m);
	m.conn = conn;
	why_set(&m.why, rule, v, nv);
	send_segment(h, rip, &th, false, &m);
}

void tcp_owe_ack(struct tcb *t, bool at_once, uint16_t rule, const uint32_t *v, int nv)
{
	/* RFC 1122 4.2.3.2: an ACK may wait (delayed ACK), but at least every
	 * second segment is acknowledged at once. */
	bool second = t->ack_pending;
	t->ack_pending = true;
	t->ack_now = at_once || second || !t->sock.host || !t->sock.host->env->set->delack;
	t->ack_why = why_make(rule, v, nv);
}

/* Sends again the segment that starts at `seq` (at most an MSS of the
 * data sent before, the FIN too when it falls inside) and returns how
 * much sequence space it covered. */
static uint32_t retransmit_at(struct tcb *t, uint32_t seq, uint32_t end, uint16_t rule)
{
	uint32_t v[] = {seq, t->retries, 0, t->cwnd, t->ssthresh};
	struct segment_out o = {.seq = seq, .ack = t->rcv_nxt, .flags = TCP_ACK, .retrans = true};
	t->rtt_timing = false;	/* Karn: no sample from a retransmitted segment */
	uint32_t data_end = t->fin_sent ? t->fin_seq : t->snd_nxt;	/* of the data sent */
	uint32_t stop = seq_lt(end, data_end) ? end : data_end;
	uint32_t avail = seq_gt(stop, seq) ? stop - seq : 0;
	o.dlen = avail < t->snd_mss ? avail : t->snd_mss;
	o.data_off = seq - t->sndq_seq;
	bool fin = t->fin_sent && seq + o.dlen == t->fin_seq && seq_lt(t->fin_seq, end);
	if (fin)
		o.flags |= TCP_FIN;
	if (o.dlen && seq + o.dlen == data_end)
		o.flags |= TCP_PSH;
	v[2] = o.dlen;
	struct why w = why_make(rule, v, 5);
	emit(t, &o, &w);
	t->rtx_nxt = seq + o.dlen + fin;
	return o.dlen + fin;
}

/* RFC 6298 5.4: retransmit the earliest segment not yet acknowledged. */
void tcp_retransmit_oldest(struct tcb *t, uint16_t rule)
{
	if (t->snd_una == t->iss) {
		/* The SYN itself. */
		uint32_t v[] = {t->snd_una, t->retries, 0};
		struct segment_out o = {.seq = t->snd_una, .ack = t->rcv_nxt, .retrans = true, .mss = true};
		o.flags = t->state == TCP_SYN_SENT ? TCP_SYN : TCP_SYN | TCP_ACK;
		t->rtt_timing = false;
		t->syn_retransmitted = true;
		struct why w = why_make(R_TCP_RETRANSMIT, v, 3);
		emit(t, &o, &w);
		return;
	}
	retransmit_at(t, t->snd_una, t->snd_nxt, rule);
}

/* RFC 5681 3.1: after a timeout cwnd is one segment, and "after
 * retransmitting the dropped segment the TCP sender uses the slow start
 * algorithm to increase the window". What was sent before the timeout
 * is taken as lost (the timer says the ACK clock stopped), so each ACK
 * that opens cwnd sends the next of it again, from SND.UNA up to
 * `recover`, before any new data: go-back-N within cwnd, as BSD and
 * Linux recover from a timeout. Waiting instead for a timeout per lost
 * segment would take 1 + 2 + 4 + ... seconds for a window that lost
 * several. What is resent is in flight; what waits to be resent is not. */
static void resend_after_timeout(struct tcb *t)
{
	while (t->timeout_recovery) {
		uint32_t next = seq_gt(t->snd_una, t->rtx_nxt) ? t->snd_una : t->rtx_nxt;
		if (!seq_lt(next, t->recover)) {
			t->timeout_recovery = false;	/* all of it is resent or acknowledged */
			return;
		}
		uint32_t waiting = t->recover - next;
		uint32_t in_flight = tcp_flight_size(t) - waiting;
		uint32_t len = waiting < t->snd_mss ? waiting : t->snd_mss;
		if (in_flight + len > t->cwnd)
			return;	/* the next ACK opens cwnd */
		if (retransmit_at(t, next, t->recover, R_TCP_RESEND_AFTER_TIMEOUT) == 0)
			t->timeout_recovery = false;	/* nothing there to send: never loop on it */
	}
}

/* RFC 9293 3.8.6.2.1 (MUST-38), the sender's silly window syndrome
 * avoidance: of the n bytes the window allows now, send only (1) a full
 * segment, (2) all that is queued, or (3) at least half the largest
 * window the peer has offered (Fs = 1/2, an estimate of its buffer);
 * otherwise wait for ACKs to open the window, or (4) for the override
 * timeout (the persist timer, tcp_update_persist). Without Nagle, the
 * RFC's bracketed SND.NXT = SND.UNA conditions do not apply. */
static bool sws_holds_back(struct tcb *t, uint32_t n, uint32_t unsent)
{
	if (n == 0 || n >= t->snd_mss || n == unsent || n >= t->max_snd_wnd / 2)
		return false;
	if (t->sws_override) {
		t->sws_override = false;	/* one segment, then the rules again */
		return false;
	}
	return true;
}

/* Data may go out in these states (and in FIN-WAIT-1 and LAST-ACK while
 * the data queued before CLOSE is still going). */
static bool can_send_data(const struct tcb *t)
{
	switch (t->state) {
	case TCP_ESTABLISHED:
	case TCP_CLOSE_WAIT:
	case TCP_FIN_WAIT_1:
	case TCP_LAST_ACK:
	case TCP_CLOSING:
		return !t->fin_sent;
	default:
		return false;
	}
}

void tcp_output(struct tcb *t)
{
	if (!t->sock.host)
		return;
	if (t->timeout_recovery && tcp_synchronized(t->state) && t->state != TCP_TIME_WAIT)
		resend_after_timeout(t);
	if (can_send_data(t))
		tcp_cc_before_send(t, t->sock.host->env->q->now);
	t->sws_held = false;
	while (can_send_data(t) && !t->timeout_recovery) {
		uint32_t data_end = t->sndq_seq + t->sndq.len;
		uint32_t unsent = seq_gt(data_end, t->snd_nxt) ? data_end - t->snd_nxt : 0;
		uint32_t wnd_end = t->snd_una + t->snd_wnd;
		uint32_t usable = seq_gt(wnd_end, t->snd_nxt) ? wnd_end - t->snd_nxt : 0;
		uint32_t n = unsent < usable ? unsent : usable;
		if (n > t->snd_mss)
			n = t->snd_mss;
		if (sws_holds_back(t, n, unsent)) {
			t->sws_held = true;
			break;
		}
		/* RFC 5681 3: no more in flight than cwnd either (or, on the
		 * first two duplicate ACKs, a segment more for each: limited
		 * transmit, see tcp_cc_send_limit). Where cwnd
		 * is what stops a segment, it waits for the ACKs that open
		 * cwnd rather than go out short: a runt now would be followed
		 * by another after every ACK (silly window syndrome, RFC 9293
		 * 3.8.6.2.1). cwnd is at least a segment, so with nothing in
		 * flight this never waits. */
		uint32_t flight = tcp_flight_size(t), limit = tcp_cc_send_limit(t);
		uint32_t cwnd_room = limit > flight ? limit - flight : 0;
		if (n > cwnd_room)
			break;
		/* The FIN follows the last byte of data (RFC 9293 3.10.4) and
		 * takes one sequence number of the peer's window; it carries
		 * no data, so cwnd does not hold it back. */
		bool fin = t->fin_queued && n == unsent && usable > n;
		if (n == 0 && !fin)
			break;
		struct segment_out o = {
			.seq = t->snd_nxt, .ack = t->rcv_nxt, .flags = TCP_ACK,
			.data_off = t->snd_nxt - t->sndq_seq, .dlen = n,
		};
		if (n && n == unsent)
			o.flags |= TCP_PSH;	/* the last of what the user gave: push it */
		uint32_t v[] = {t->snd_nxt, n, t->snd_wnd, t->snd_mss, t->snd_una, t->cwnd};
		uint16_t rule = n ? R_TCP_SEND_DATA : R_TCP_SEND_FIN;
		if (n && tcp_cc_limited_transmit(t, flight, n)) {
			rule = R_TCP_LIMITED_TRANSMIT;
			v[2] = t->dupacks;
		}
		struct why w = why_make(rule, v, 6);
		if (fin) {
			o.flags |= TCP_FIN;
			t->fin_sent = true;
			t->fin_seq = t->snd_nxt + n;
		}
		if (!t->rtt_timing && !t->retries) {
			t->rtt_timing = true;	/* time this one (RFC 6298 3) */
			t->rtt_seq = t->snd_nxt + n + fin;
			t->rtt_start = t->sock.host->env->q->now;
		}
		t->snd_nxt += n + fin;
		emit(t, &o, &w);
		if (!timer_armed(&t->rto_timer))
			tcp_arm_rto(t);	/* RFC 6298 5.1 */
	}
	if (t->ack_pending && tcp_synchronized(t->state) && t->state != TCP_CLOSED) {
		if (t->ack_now) {
			tcp_send_ctl(t, t->snd_nxt, t->rcv_nxt, TCP_ACK, t->ack_why.rule, t->ack_why.v, WHY_VALUES);
		} else if (!timer_armed(&t->delack_timer)) {
			struct evq *q = t->sock.host->env->q;
			evq_arm(q, &t->delack_timer, q->now + t->sock.host->env->set->delack);
		}
	}
	tcp_update_persist(t);
}

/* A zero-window probe: the next byte of data (or the FIN) beyond the window. */
void tcp_send_probe(struct tcb *t)
{
	uint32_t data_end = t->sndq_seq + t->sndq.len;
	struct segment_out o = {.seq = t->snd_nxt, .ack = t->rcv_nxt, .flags = TCP_ACK};
	if (seq_gt(data_end, t->snd_nxt)) {
		o.data_off = t->snd_nxt - t->sndq_seq;
		o.dlen = 1;
	} else if (t->fin_queued && !t->fin_sent) {
		o.flags |= TCP_FIN;
		t->fin_sent = true;
		t->fin_seq = t->snd_nxt;
	} else {
		return;
	}
	uint32_t v[] = {t->snd_nxt};
	struct why w = why_make(R_TCP_PROBE, v, 1);
	t->snd_nxt += 1;
	emit(t, &o, &w);
	tcp_arm_rto(t);
}
