/* TCP-CHECKLIST items 29 to 33: the retransmission timer of RFC 6298 (RTO
 * from RTT samples, Karn, back-off, giving up), the ISN of RFC 9293 3.4.1,
 * and sequence numbers modulo 2^32. tt_isolate keeps b from answering
 * what a sends, so that a's timers run their course. */
#include "tcptest.h"

#define S VTIME_S
#define MS VTIME_MS

/* ------------------------------------------------------------------ */
/* 29. RTO from RTT samples (RFC 6298 2, 3) */

/* 29. RFC 6298 2.1: before any sample the RTO is 1 second. */
static void test_rto_in_SYN_SENT_before_any_sample_is_1s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_isolate(&t);
	t.w->q.now = 250 * MS;
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	assert_non_null(c);
	assert_int_equal(c->rto, 1 * S);
	assert_false(c->have_rtt);
	assert_true(timer_armed(&c->rto_timer));
	assert_int_equal(c->rto_timer.when, 1250 * MS);
	tt_free(&t);
}

/* 29. RFC 6298 2.1, 5.1 */
static void test_rto_in_ESTABLISHED_before_any_sample_is_1s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "x", 1);
	assert_int_equal(c->rto_timer.when, 1 * S);
	tt_free(&t);
}

/* 29. RFC 6298 2.2, 2.3: the first sample R gives SRTT=R, RTTVAR=R/2,
 * RTO=SRTT+max(G, 4*RTTVAR); the next ones RTTVAR=3/4 RTTVAR+1/4
 * |SRTT-R'| (with the old SRTT), then SRTT=7/8 SRTT+1/8 R'. */
static void test_rtt_samples_in_ESTABLISHED_give_srtt_rttvar_rto(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "x", 1);
	assert_true(c->rtt_timing);
	tt_wait(t.w, 800 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, NULL);
	assert_true(c->have_rtt);
	assert_int_equal(c->srtt, 800 * MS);
	assert_int_equal(c->rttvar, 400 * MS);
	assert_int_equal(c->rto, 2400 * MS);	/* 800 + 4 * 400 */
	assert_false(timer_armed(&c->rto_timer));
	/* the next segment's timer uses the new RTO */
	tt_send(c, "y", 1);
	assert_int_equal(c->rto_timer.when, 800 * MS + 2400 * MS);
	tt_wait(t.w, 1200 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 3, TCP_ACK, NULL);
	assert_int_equal(c->rttvar, 400 * MS);	/* 3/4 * 400 + 1/4 * |800 - 1200| */
	assert_int_equal(c->srtt, 850 * MS);	/* 7/8 * 800 + 1/8 * 1200 */
	assert_int_equal(c->rto, 2450 * MS);
	tt_send(c, "z", 1);
	tt_wait(t.w, 850 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 4, TCP_ACK, NULL);
	assert_int_equal(c->rttvar, 300 * MS);	/* 3/4 * 400 + 0 */
	assert_int_equal(c->srtt, 850 * MS);
	assert_int_equal(c->rto, 2050 * MS);
	tt_free(&t);
}

/* 29. RFC 6298 2.4: whatever the samples, the RTO is at least 1 second. */
static void test_rtt_sample_small_in_ESTABLISHED_rto_floor_1s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "x", 1);
	tt_wait(t.w, 20 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, NULL);
	assert_int_equal(c->srtt, 20 * MS);
	assert_int_equal(c->rttvar, 10 * MS);
	assert_int_equal(c->rto, 1 * S);	/* 60 ms, raised to 1 s */
	tt_free(&t);
}

/* 29. RFC 6298 2.5: a maximum may be placed on the RTO: 60 s here. */
static void test_rtt_sample_large_in_ESTABLISHED_rto_capped_60s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tcp_rtt_sample(c, 30 * S);	/* 30 + 4 * 15 = 90 s */
	assert_int_equal(c->srtt, 30 * S);
	assert_int_equal(c->rto, 60 * S);
	tt_free(&t);
}

/* 29. RFC 6298 2.2: the clock granularity G is the least variance term
 * (seen once the 1 s floor is taken away). */
static void test_rtt_sample_zero_variance_in_ESTABLISHED_rto_srtt_plus_G(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.rto_min = 0;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tcp_rtt_sample(c, 0);
	assert_int_equal(c->rto, 1 * MS);	/* SRTT 0 + G */
	tt_free(&t);
}

/* 29. Karn's algorithm (RFC 6298 3): no sample from a segment that was
 * retransmitted; the backed-off RTO is kept until a valid sample. */
static void test_ack_of_retransmitted_seg_in_ESTABLISHED_no_rtt_sample(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "x", 1);
	tt_wait(t.w, 1 * S);	/* retransmitted, RTO 2 s */
	assert_int_equal(c->retransmits, 1);
	assert_false(c->rtt_timing);
	tt_wait(t.w, 500 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, NULL);	/* 1.5 s after the first send */
	assert_false(c->have_rtt);
	assert_int_equal(c->srtt, 0);
	assert_int_equal(c->rto, 2 * S);
	/* a new segment is timed, with the backed-off RTO */
	tt_send(c, "y", 1);
	assert_true(c->rtt_timing);
	assert_int_equal(c->rto_timer.when, 1500 * MS + 2 * S);
	tt_wait(t.w, 300 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 3, TCP_ACK, NULL);
	assert_true(c->have_rtt);
	assert_int_equal(c->srtt, 300 * MS);
	assert_int_equal(c->rto, 1 * S);
	tt_free(&t);
}

/* 29. RFC 6298 5.7: the SYN was retransmitted and no RTT measured: the
 * RTO is 3 s when data transmission begins. */
static void test_syn_ack_in_SYN_SENT_after_syn_retransmission_rto_3s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_isolate(&t);
	t.a->isn_fixed = true;
	t.a->isn_next = A_ISS;
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_wait(t.w, 1 * S);
	assert_true(c->syn_retransmitted);
	assert_int_equal(c->rto, 2 * S);
	tt_wait(t.w, 100 * MS);
	tt_seg_to(&t, t.a, 80, c->lport, B_ISS, A_ISS + 1, TCP_SYN | TCP_ACK, NULL, 65535);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_false(c->have_rtt);
	assert_int_equal(c->rto, 3 * S);
	tt_send(c, "x", 1);
	assert_int_equal(c->rto_timer.when, 1100 * MS + 3 * S);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 30. RTO expiry (RFC 6298 5.4 to 5.6) */

/* 30. The oldest unacknowledged segment is retransmitted (no more than
 * one MSS of it), the RTO doubles and the timer restarts; an ACK of new
 * data restarts the timer with the current RTO (5.3). */
static void test_rto_expiry_in_ESTABLISHED_retransmits_oldest_and_doubles(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	uint8_t data[3000];
	memset(data, 'd', sizeof data);
	tt_send(c, data, sizeof data);
	assert_int_equal(tt_count_from(&t, 0), 3);
	tt_mark(&t);
	tt_wait(t.w, 1 * S);
	assert_int_equal(tt_count_from(&t, 0), 1);
	const struct trace_event *e = tt_frame_from(&t, 0, 1);
	assert_seg(e, TCP_ACK, A_ISS + 1, B_ISS + 1, 1460);
	assert_true(e->retrans);
	assert_int_equal(e->t, 1 * S);
	assert_int_equal(e->why.rule, R_TCP_RETRANSMIT_DATA);
	assert_int_equal(tt_rule(&t, TRACE_TIMER, 1), R_TCP_RTO_TIMER);
	assert_int_equal(c->rto, 2 * S);
	assert_int_equal(c->rto_timer.when, 3 * S);
	assert_int_equal(c->snd_nxt, A_ISS + 3001);	/* nothing new sent */
	tt_mark(&t);
	tt_wait(t.w, 2 * S);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_ACK, A_ISS + 1, B_ISS + 1, 1460);
	assert_int_equal(tt_frame_from(&t, 0, 1)->t, 3 * S);
	assert_int_equal(c->rto, 4 * S);
	assert_int_equal(c->rto_timer.when, 7 * S);
	/* the first segment acknowledged at 3.5 s: restart with RTO 4 s */
	tt_wait(t.w, 500 * MS);
	tt_seg(&t, B_ISS + 1, A_ISS + 1461, TCP_ACK, NULL);
	assert_int_equal(c->rto_timer.when, 7500 * MS);
	assert_int_equal(c->retries, 0);
	tt_mark(&t);
	tt_wait(t.w, 4 * S);
	assert_int_equal(tt_count_from(&t, 0), 1);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_ACK, A_ISS + 1461, B_ISS + 1, 1460);
	assert_int_equal(c->rto, 8 * S);
	tt_free(&t);
}

/* 30. RFC 6298 5.5 with the 60 s cap: data is retransmitted at 1, 3, 7,
 * 15, 31, 63, then every 60 s. */
static void test_rto_backoff_in_ESTABLISHED_capped_at_60s(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "x", 1);
	tt_mark(&t);
	tt_wait(t.w, 250 * S);
	static const int at[] = {1, 3, 7, 15, 31, 63, 123, 183, 243};
	assert_int_equal(tt_count_from(&t, 0), 9);
	for (int i = 0; i < 9; i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i + 1);
		assert_int_equal(e->t, (vtime)at[i] * S);
		assert_seg(e, TCP_ACK | TCP_PSH, A_ISS + 1, B_ISS + 1, 1);
		assert_true(e->retrans);
	}
	assert_int_equal(c->rto, 60 * S);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	tt_free(&t);
}

/* 30. RFC 6298 5 and SPEC 2: a lost SYN is resent at exactly 1, 3, 7, 15,
 * 31 and 63 s, and the connection gives up at 127 s. */
static void test_syn_lost_in_SYN_SENT_resent_1_3_7_15_31_63_gives_up_127(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_isolate(&t);
	t.a->isn_fixed = true;
	t.a->isn_next = A_ISS;
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_wait(t.w, 127 * S - 1);
	assert_int_equal(c->state, TCP_SYN_SENT);
	static const int at[] = {0, 1, 3, 7, 15, 31, 63};
	assert_int_equal(tt_count_from(&t, 0), 7);
	for (int i = 0; i < 7; i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i + 1);
		assert_int_equal(e->t, (vtime)at[i] * S);
		assert_seg(e, TCP_SYN, A_ISS, 0, 0);
		assert_int_equal(e->retrans, i > 0);
	}
	tt_mark(&t);
	tt_wait(t.w, 1);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_TIMED_OUT);
	assert_string_equal(tcp_error_text(c->error), "connection timed out");
	assert_state_change(&t, c, 1, TCP_SYN_SENT, TCP_CLOSED, R_TCP_GIVE_UP);
	assert_sent_none(&t);
	assert_false(timer_armed(&c->rto_timer));
	tt_free(&t);
}

/* 30. The same schedule for the SYN,ACK of a passive SYN-RECEIVED whose
 * peer never answers; when it gives up, the listener carries on.
 * (RFC 6298 5, RFC 9293 3.8.3) */
static void test_syn_ack_lost_in_SYN_RECEIVED_resent_then_gives_up(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.a, 80, NULL);
	tt_isolate(&t);
	tt_seg_to(&t, t.a, 40000, 80, 777, 0, TCP_SYN, NULL, 65535);
	struct tcb *c = (struct tcb *)t.a->last;
	sock_ref(&c->sock);
	tt_wait(t.w, 130 * S);
	static const int at[] = {0, 1, 3, 7, 15, 31, 63};
	assert_int_equal(tt_count_from(&t, 0), 7);
	for (int i = 0; i < 7; i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i + 1);
		assert_int_equal(e->t, (vtime)at[i] * S);
		assert_seg(e, TCP_SYN | TCP_ACK, c->iss, 778, 0);
	}
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_TIMED_OUT);
	assert_int_equal(l->state, TCP_LISTEN);
	assert_int_equal(l->naccept, 0);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 31. Giving up (RFC 9293 3.8.3, SPEC 2: data 15 retries) */

/* 31. Data is retransmitted 15 times (at 1, 3, 7, 15, 31, 63, 123, ...,
 * 603 s); the wait after the 15th is the capped RTO (60 s); then the user
 * is told "connection timed out" and the socket is CLOSED at 663 s. */
static void test_data_unacked_in_ESTABLISHED_gives_up_after_15_retries(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "lost", 4);
	tt_mark(&t);
	tt_wait(t.w, 663 * S - 1);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(tt_count_from(&t, 0), 15);
	for (int i = 0; i < 15; i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i + 1);
		vtime want = i < 6 ? ((vtime)2 << i) - 1 : 63 + 60 * (vtime)(i - 5);
		assert_int_equal(e->t, want * S);
		assert_seg(e, TCP_ACK | TCP_PSH, A_ISS + 1, B_ISS + 1, 4);
	}
	assert_int_equal(c->retries, 15);
	tt_mark(&t);
	tt_wait(t.w, 1);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_TIMED_OUT);
	assert_string_equal(tcp_error_text(c->error), "connection timed out");
	assert_state_change(&t, c, 1, TCP_ESTABLISHED, TCP_CLOSED, R_TCP_GIVE_UP);
	assert_int_equal(tt_event(&t, TRACE_STATE, 1)->why.v[0], 15);
	assert_sent_none(&t);
	assert_false(timer_armed(&c->rto_timer));
	assert_int_equal(c->sndq.len, 0);
	tt_free(&t);
}

/* 31. The count is of retransmissions of the current oldest segment: an
 * ACK of new data starts it again.
 * (RFC 9293 3.8.3) */
static void test_ack_of_new_data_in_ESTABLISHED_resets_retry_count(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "ab", 2);
	tt_wait(t.w, 200 * S);	/* 1, 3, 7, 15, 31, 63, 123, 183 */
	assert_int_equal(c->retries, 8);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, NULL);	/* "a" arrived; "b" is the oldest now */
	assert_int_equal(c->retries, 0);
	/* ten more retransmissions (260 ... 800 s): with the count carried
	 * over (8 + 10 > 15) it would have given up */
	tt_wait(t.w, 600 * S);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(c->retries, 10);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 32. The ISN (RFC 9293 3.4.1, RFC 6528) */

/* 32. ISN = M + F(four-tuple, key): M ticks every 4 microseconds. */
static void test_isn_clock_ticks_every_4us(void **state)
{
	(void)state;
	struct tt t = tt_new();
	uint32_t i0 = tcp_choose_isn(t.a, 49152, t.b->ip, 80);
	t.w->q.now += 4000;
	uint32_t i1 = tcp_choose_isn(t.a, 49152, t.b->ip, 80);
	assert_int_equal(i1 - i0, 1000);
	t.w->q.now += 3;	/* less than a tick: the same, or one more */
	uint32_t i2 = tcp_choose_isn(t.a, 49152, t.b->ip, 80);
	assert_true(i2 - i1 <= 1);
	t.w->q.now += 10 * S;
	uint32_t i3 = tcp_choose_isn(t.a, 49152, t.b->ip, 80);
	assert_true(seq_gt(i3, i2));	/* a reused four-tuple gets a larger ISN */
	tt_free(&t);
}

/* 32. The same seed and time give the same ISN (runs repeat); another
 * seed, or another four-tuple, gives another.
 * (RFC 9293 3.4.1, RFC 6528) */
static void test_isn_same_seed_same_time_same_isn(void **state)
{
	(void)state;
	struct tt t1 = tt_new(), t2 = tt_new();
	t1.w->q.now = t2.w->q.now = 12345 * MS;
	uint32_t a = tcp_choose_isn(t1.a, 49152, t1.b->ip, 80);
	assert_int_equal(a, tcp_choose_isn(t2.a, 49152, t2.b->ip, 80));
	assert_int_not_equal(a, tcp_choose_isn(t1.a, 49153, t1.b->ip, 80));
	assert_int_not_equal(a, tcp_choose_isn(t1.a, 49152, t1.b->ip, 81));
	assert_int_not_equal(a, tcp_choose_isn(t1.b, 49152, t1.a->ip, 80));
	world_reseed(t2.w, 2);
	assert_int_not_equal(a, tcp_choose_isn(t2.a, 49152, t2.b->ip, 80));
	tt_free(&t1);
	tt_free(&t2);
}

/* 32. A connection's SYN carries the ISN of the clock and the hash; and
 * the same handshake in two worlds of the same seed has the same ISNs.
 * (RFC 9293 3.4.1, 3.10.1, 3.10.7.2) */
static void test_isn_on_connect_reproducible(void **state)
{
	(void)state;
	uint32_t syn[2], synack[2];
	for (int i = 0; i < 2; i++) {
		struct tt t = tt_new();
		t.w->q.now = 777 * MS;
		struct tcb *l = tcp_listen(t.b, 80, NULL);
		uint32_t want = tcp_choose_isn(t.a, 49152, t.b->ip, 80);
		struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
		assert_int_equal(c->lport, 49152);
		assert_int_equal(c->iss, want);
		tt_run(t.w);
		struct tcb *s = tcp_accept(l);
		assert_non_null(s);
		vtime end = t.w->q.now;
		t.w->q.now = 787 * MS;	/* when the SYN reached b */
		assert_int_equal(s->iss, tcp_choose_isn(t.b, 80, t.a->ip, 49152));
		t.w->q.now = end;
		syn[i] = tt_frame_from(&t, 0, 1)->seq;
		synack[i] = tt_frame_from(&t, 1, 1)->seq;
		assert_int_equal(syn[i], c->iss);
		assert_int_equal(synack[i], s->iss);
		tt_free(&t);
	}
	assert_int_equal(syn[0], syn[1]);
	assert_int_equal(synack[0], synack[1]);
}

/* 32. `isn HOST N` (host->isn_fixed, isn_next) fixes the next ISN only.
 * (RFC 9293 3.4.1, SPEC 2) */
static void test_isn_fixed_overrides_next_connection_only(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_isolate(&t);
	t.a->isn_fixed = true;
	t.a->isn_next = 0xdeadbeefu;
	struct tcb *c1 = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	assert_int_equal(c1->iss, 0xdeadbeefu);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_SYN, 0xdeadbeefu, 0, 0);
	assert_false(t.a->isn_fixed);
	uint32_t want = tcp_choose_isn(t.a, 49153, t.b->ip, 80);
	struct tcb *c2 = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	assert_int_equal(c2->lport, 49153);
	assert_int_equal(c2->iss, want);
	assert_int_not_equal(c2->iss, 0xdeadbeefu);
	/* the listener's side too */
	struct tcb *l = tcp_listen(t.a, 81, NULL);
	t.a->isn_fixed = true;
	t.a->isn_next = 42;
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 81, 7, 0, TCP_SYN, NULL, 65535);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_SYN | TCP_ACK, 42, 8, 0);
	assert_int_equal(l->state, TCP_LISTEN);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 33. Sequence numbers modulo 2^32 (RFC 9293 3.4) */

static void test_seq_compare_modulo_2_32(void **state)
{
	(void)state;
	assert_true(seq_lt(0xffffffffu, 0));
	assert_true(seq_gt(0, 0xffffffffu));
	assert_true(seq_lt(0xfffffff0u, 0x10));
	assert_true(seq_le(5, 5));
	assert_true(seq_ge(0x7fffffffu, 0));
	assert_true(seq_in(0, 0xfffffffeu, 2));
	assert_true(seq_in(0xfffffffeu, 0xfffffffeu, 2));
	assert_false(seq_in(2, 0xfffffffeu, 2));
	assert_false(seq_in(0xfffffffdu, 0xfffffffeu, 2));
	assert_int_equal(seq_max(0xffffffffu, 3), 3);
}

/* 33. A whole connection whose ISNs are just below 2^32 (both fixed):
 * handshake, data both ways across the wrap, close, TIME-WAIT, CLOSED.
 * (RFC 9293 3.4) */
static void test_full_connection_with_iss_near_2_32_wraps(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.a->isn_fixed = true;
	t.a->isn_next = 0xfffffff0u;
	t.b->isn_fixed = true;
	t.b->isn_next = 0xffffff00u;
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	assert_int_equal(ca->iss, 0xfffffff0u);
	assert_int_equal(cb->iss, 0xffffff00u);
	assert_int_equal(ca->rcv_nxt, 0xffffff01u);
	enum { N = 20000 };
	static uint8_t out[N], in[N];
	for (int i = 0; i < N; i++)
		out[i] = tt_pattern((uint64_t)i);
	tt_send(ca, out, N);
	tt_send(cb, out, N);
	tt_run(t.w);
	bool eof;
	assert_int_equal(tcp_recv(cb, in, N, &eof), N);
	assert_memory_equal(in, out, N);
	assert_int_equal(tcp_recv(ca, in, N, &eof), N);
	assert_memory_equal(in, out, N);
	assert_int_equal(ca->snd_nxt, 0xfffffff1u + N);	/* wrapped: 19985 */
	assert_int_equal(ca->snd_una, ca->snd_nxt);
	assert_int_equal(cb->rcv_nxt, ca->snd_nxt);
	assert_int_equal(cb->snd_nxt, (uint32_t)(0xffffff01u + N));
	assert_int_equal(ca->rcv_nxt, cb->snd_nxt);
	tcp_close(ca, NULL);
	tt_run(t.w);
	assert_int_equal(cb->state, TCP_CLOSE_WAIT);
	tcp_close(cb, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_TIME_WAIT);
	assert_int_equal(cb->state, TCP_CLOSED);
	tt_wait(t.w, 60 * S);
	assert_int_equal(ca->state, TCP_CLOSED);
	assert_int_equal(ca->error, TCP_OK);
	assert_int_equal(cb->error, TCP_OK);
	assert_int_equal(ca->retransmits + cb->retransmits, 0);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rto_in_SYN_SENT_before_any_sample_is_1s),
		cmocka_unit_test(test_rto_in_ESTABLISHED_before_any_sample_is_1s),
		cmocka_unit_test(test_rtt_samples_in_ESTABLISHED_give_srtt_rttvar_rto),
		cmocka_unit_test(test_rtt_sample_small_in_ESTABLISHED_rto_floor_1s),
		cmocka_unit_test(test_rtt_sample_large_in_ESTABLISHED_rto_capped_60s),
		cmocka_unit_test(test_rtt_sample_zero_variance_in_ESTABLISHED_rto_srtt_plus_G),
		cmocka_unit_test(test_ack_of_retransmitted_seg_in_ESTABLISHED_no_rtt_sample),
		cmocka_unit_test(test_syn_ack_in_SYN_SENT_after_syn_retransmission_rto_3s),
		cmocka_unit_test(test_rto_expiry_in_ESTABLISHED_retransmits_oldest_and_doubles),
		cmocka_unit_test(test_rto_backoff_in_ESTABLISHED_capped_at_60s),
		cmocka_unit_test(test_syn_lost_in_SYN_SENT_resent_1_3_7_15_31_63_gives_up_127),
		cmocka_unit_test(test_syn_ack_lost_in_SYN_RECEIVED_resent_then_gives_up),
		cmocka_unit_test(test_data_unacked_in_ESTABLISHED_gives_up_after_15_retries),
		cmocka_unit_test(test_ack_of_new_data_in_ESTABLISHED_resets_retry_count),
		cmocka_unit_test(test_isn_clock_ticks_every_4us),
		cmocka_unit_test(test_isn_same_seed_same_time_same_isn),
		cmocka_unit_test(test_isn_on_connect_reproducible),
		cmocka_unit_test(test_isn_fixed_overrides_next_connection_only),
		cmocka_unit_test(test_seq_compare_modulo_2_32),
		cmocka_unit_test(test_full_connection_with_iss_near_2_32_wraps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
