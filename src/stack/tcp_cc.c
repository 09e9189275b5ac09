/* Congestion control, RFC 5681: how much a sender may have in flight
 * besides what the peer's window allows. RFC 9293 3.8.2 makes it a MUST
 * (MUST-19): slow start, congestion avoidance, and backing off after a
 * retransmission timeout. Fast retransmit and fast recovery (3.2) are a
 * SHOULD; they are done with RFC 6582's NewReno rules, so that a window
 * that lost several segments is repaired in one recovery, a segment per
 * round trip, rather than one per timeout. The first two duplicate ACKs
 * may send new data beyond cwnd (RFC 3042 limited transmit, step 1 of
 * 3.2). No SACK.
 *
 * The sender keeps two variables beside the TCB's sequence space: cwnd,
 * the congestion window, and ssthresh, where slow start ends. The usable
 * window is the smaller of cwnd and the peer's SND.WND (RFC 5681 3). */
#include "stack/seq.h"
#include "stack/tcp.h"
#include "stack/why.h"

/* The window the connection starts with (RFC 5681 3.1, equation 1):
 * 2, 3 or 4 segments, by the segment size. */
static uint32_t initial_window(uint32_t smss)
{
	if (smss > 2190)
		return 2 * smss;
	if (smss > 1095)
		return 3 * smss;
	return 4 * smss;
}

/* The largest window a peer can advertise without window scaling: RFC
 * 5681 3.1 sets the first ssthresh "arbitrarily high (e.g., to the size
 * of the largest possible advertised window)". */
enum { SSTHRESH_INITIAL = 65535 };

void tcp_cc_init(struct tcb *t)
{
	/* RFC 5681 3.1: "if the SYN or SYN/ACK is lost, the initial window
	 * used by a sender after a correctly transmitted SYN MUST be one
	 * segment". */
	t->cwnd = t->syn_retransmitted ? t->snd_mss : initial_window(t->snd_mss);
	t->ssthresh = SSTHRESH_INITIAL;
	/* RFC 6582 3.2 step 1 sets recover to the ISS. recover is kept here
	 * one past the highest sequence number sent (SND.NXT), as BSD keeps
	 * it, and an ACK must pass it: the first data segment's loss can
	 * then be fast-retransmitted too. */
	t->recover = t->iss;
}

uint32_t tcp_flight_size(const struct tcb *t)
{
	return t->snd_nxt - t->snd_una;
}

/* ssthresh after a loss (equation 4): half of what was in flight, and at
 * least two segments. */
static void halve_ssthresh(struct tcb *t, uint32_t flight)
{
	uint32_t half = flight / 2, floor = 2u * t->snd_mss;
	t->ssthresh = half > floor ? half : floor;
}

/* The duplicates in a row are over: a new ACK, a timeout, a recovery. */
static void forget_duplicates(struct tcb *t)
{
	t->dupacks = 0;
	t->limited_sent = 0;
}

static void grow_cwnd(struct tcb *t, uint32_t by)
{
	/* A window past what sequence numbers can hold means nothing, and
	 * a peer sending ACKs in a loop must not wrap it round. */
	t->cwnd = t->cwnd > UINT32_MAX / 2 - by ? UINT32_MAX / 2 : t->cwnd + by;
}

/* RFC 6582 3.2 step 3: an ACK of new data during fast recovery. */
static void recovery_acked(struct tcb *t, uint32_t acked)
{
	uint32_t smss = t->snd_mss;
	if (seq_ge(t->snd_una, t->recover)) {
		/* A full acknowledgment: all that was sent before the loss
		 * arrived. Recovery ends with cwnd at ssthresh, or less when
		 * little is in flight (option 1), so that no burst follows. */
		uint32_t flight = tcp_flight_size(t);
		uint32_t w = (flight > smss ? flight : smss) + smss;
		t->cwnd = w < t->ssthresh ? w : t->ssthresh;
		t->fast_recovery = false;
		return;
	}
	/* A partial acknowledgment: the segment at the new SND.UNA was lost
	 * too. Resend it now, and deflate cwnd by what was acknowledged,
	 * plus one segment back when at least one was (the ACK timer was
	 * restarted by the ACK itself, RFC 6298 5.3). */
	t->cwnd = t->cwnd > acked ? t->cwnd - acked : 0;
	if (acked >= smss)
		t->cwnd += smss;
	if (t->cwnd < smss)
		t->cwnd = smss;
	tcp_retransmit_oldest(t, R_TCP_PARTIAL_ACK_RETRANSMIT);
}

void tcp_cc_acked(struct tcb *t, uint32_t acked)
{
	forget_duplicates(t);
	if (t->fast_recovery) {
		recovery_acked(t, acked);
		return;
	}
	if (!acked)
		return;	/* only an ACK of new data opens the window */
	uint32_t smss = t->snd_mss, grow;
	if (t->cwnd < t->ssthresh) {
		/* Slow start (RFC 5681 3.1, equation 2): grow by what was
		 * acknowledged, at most one segment per ACK. */
		grow = acked < smss ? acked : smss;
	} else {
		/* Congestion avoidance (equation 3): about one segment per
		 * round trip; at least a byte, as the RFC's note asks. */
		grow = (uint32_t)((uint64_t)smss * smss / t->cwnd);
		if (grow == 0)
			grow = 1;
	}
	grow_cwnd(t, grow);
}

void tcp_cc_timeout(struct tcb *t)
{
	/* RFC 5681 3.1, equation 4, when the segment is first resent by the
	 * timer (later timeouts of the same segment keep ssthresh). */
	if (t->retries == 0)
		halve_ssthresh(t, tcp_flight_size(t));
	/* "upon a timeout ... cwnd MUST be set to no more than the loss
	 * window, LW, which equals 1 full-sized segment". */
	t->cwnd = t->snd_mss;
	/* RFC 6582 3.2 step 4: recovery ends, and duplicates of what was
	 * sent before the timeout start no fast retransmit. */
	t->fast_recovery = false;
	forget_duplicates(t);
	t->recover = t->snd_nxt;
	/* What was in flight is resent as cwnd opens (tcp_output). */
	t->timeout_recovery = true;
}

void tcp_cc_dupack(struct tcb *t)
{
	if (t->dupacks < UINT8_MAX)
		t->dupacks++;
	if (t->fast_recovery) {
		/* Step 4: each further duplicate says another segment left
		 * the network; what cwnd then allows goes out (step 5) when
		 * the segment's processing ends. */
		grow_cwnd(t, t->snd_mss);
		return;
	}
	/* RFC 6582 3.2 step 2: duplicates of segments sent before the last
	 * recovery or timeout ended are its echoes, not a new loss. */
	if (t->dupacks != 3 || !seq_gt(t->snd_una, t->recover))
		return;
	/* Steps 2 and 3: ssthresh as after a timeout, the lost segment
	 * resent at once, and cwnd inflated by the three segments the
	 * duplicates stand for. The data limited transmit sent "MUST NOT
	 * be included" in the flight that ssthresh halves (step 2). */
	uint32_t flight = tcp_flight_size(t);
	halve_ssthresh(t, flight > t->limited_sent ? flight - t->limited_sent : 0);
	t->limited_sent = 0;
	t->cwnd = t->ssthresh + 3u * t->snd_mss;
	t->fast_recovery = true;
	t->recover = t->snd_nxt;
	tcp_retransmit_oldest(t, R_TCP_FAST_RETRANSMIT);
}

uint32_t tcp_cc_send_limit(const struct tcb *t)
{
	/* RFC 5681 3.2 step 1 (RFC 3042): on the first and second duplicate
	 * ACKs, a segment of new data SHOULD go out, if the peer's window
	 * allows and no more than cwnd + 2*SMSS is then in flight, and cwnd
	 * MUST NOT change for it. Each duplicate says a segment left the
	 * network, and the segments sent in their place may bring the
	 * duplicates that fast retransmit needs when the window is small
	 * or the sender has little in flight. One segment per duplicate:
	 * the first allows cwnd + SMSS, the second cwnd + 2*SMSS. */
	if (t->fast_recovery || t->dupacks == 0 || t->dupacks > 2)
		return t->cwnd;
	uint32_t extra = (uint32_t)t->dupacks * t->snd_mss;
	return t->cwnd > UINT32_MAX - extra ? UINT32_MAX : t->cwnd + extra;
}

bool tcp_cc_limited_transmit(struct tcb *t, uint32_t flight, uint32_t n)
{
	if (flight + n <= t->cwnd)
		return false;
	/* Only the part beyond cwnd: a segment may start below it. */
	uint32_t beyond = flight + n - t->cwnd;
	t->limited_sent += beyond < n ? beyond : n;
	return true;
}

void tcp_cc_before_send(struct tcb *t, vtime now)
{
	/* RFC 5681 4.1: after sending nothing for longer than an RTO, the
	 * ACK clock has stopped; restart from the initial window. */
	if (t->snd_una != t->snd_nxt || now - t->last_data_sent <= t->rto)
		return;
	uint32_t rw = initial_window(t->snd_mss);
	if (t->cwnd > rw)
		t->cwnd = rw;
}
