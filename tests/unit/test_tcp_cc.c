/* Congestion control (RFC 5681; RFC 9293 3.8.2, MUST-19): the initial
 * window, slow start, congestion avoidance, the timeout's loss window,
 * limited transmit (RFC 3042), fast retransmit and NewReno fast recovery
 * (RFC 6582), and the restart after idle. */
#include "tcptest.h"

#include "core/sbuf.h"
#include "view/events.h"
#include "view/tables.h"

enum { MSS = 1460, IW = 3 * MSS };

static uint8_t bulk[256 * 1024];

/* a's connection in ESTABLISHED, cut off from b: what it sends is only
 * recorded, and the tests play b's segments by hand. */
static struct tcb *isolated_conn(struct tt *t)
{
	struct tcb *c = tt_conn(t, TCP_ESTABLISHED);
	tt_isolate(t);
	return c;
}

/* b took every byte of the first len of bulk, in order. */
static void assert_received_bulk(struct tcb *s, size_t len)
{
	static uint8_t got[sizeof bulk];
	bool eof;
	assert_int_equal(tcp_recv(s, got, sizeof got, &eof), len);
	assert_memory_equal(got, bulk, len);
}

/* `tcb CONN`'s congestion control line names the phase and the duplicates. */
static void assert_tcb_view_says(struct tt *t, const struct tcb *c, const char *want)
{
	struct trace_view tv;
	trace_view_init(&tv, t->w, (struct view_opts){0}, true);
	struct sbuf sb = SBUF_INIT;
	view_tcb(&tv, c, &sb);
	if (!strstr(sbuf_str(&sb), want))
		fail_msg("tcb view lacks \"%s\":\n%s", want, sbuf_str(&sb));
	sbuf_free(&sb);
	trace_view_free(&tv);
}

/* Data frames a sent since the mark. */
static int data_frames_from_a(const struct tt *t)
{
	int n = 0;
	for (int i = 1; tt_frame_from(t, 0, i); i++)
		n += tt_frame_from(t, 0, i)->len > 0;
	return n;
}

/* RFC 5681 3.1, equation 1: the initial window by the peer's MSS. */
static void established_with_mss(uint16_t mss, uint32_t want_cwnd)
{
	struct tt t = tt_new();
	struct tcb *c = tt_passive_open(&t, mss);
	assert_int_equal(c->cwnd, want_cwnd);
	assert_int_equal(c->ssthresh, 65535);
	tt_free(&t);
}

static void test_ack_in_SYN_RECEIVED_cwnd_is_initial_window(void **state)
{
	(void)state;
	established_with_mss(1460, 3 * 1460);	/* 1095 < SMSS <= 2190: three segments */
	established_with_mss(1000, 4 * 1000);	/* SMSS <= 1095: four */
	established_with_mss(0, 4 * 536);	/* no MSS option: 536, four */
}

static void test_synack_in_SYN_SENT_cwnd_is_initial_window(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	assert_int_equal(c->cwnd, IW);
	assert_int_equal(s->cwnd, IW);
	assert_int_equal(c->ssthresh, 65535);
	tt_free(&t);
}

/* "If the SYN or SYN/ACK is lost, the initial window used by a sender
 * after a correctly transmitted SYN MUST be one segment." */
static void test_syn_lost_in_SYN_SENT_cwnd_is_one_segment(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_rule_add(&t, RULE_DROP, 0, TCP_SYN, 1, 0);
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_wait(t.w, 2 * VTIME_S);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(c->cwnd, MSS);
	struct tcb *s = tcp_accept(l);
	assert_int_equal(s->cwnd, IW);	/* b's SYN,ACK was not lost */
	tt_mark(&t);
	tt_isolate(&t);
	tt_send(c, bulk, 10000);
	assert_int_equal(data_frames_from_a(&t), 1);
	tt_free(&t);
}

static void test_send_in_ESTABLISHED_stops_at_cwnd(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, 10000);
	assert_int_equal(data_frames_from_a(&t), 3);
	assert_int_equal(c->snd_nxt, A_ISS + 1 + IW);
	assert_int_equal(c->snd_wnd, 65535);	/* the peer's window is not what stopped it */
	const struct trace_event *e = tt_frame_from(&t, 0, 3);
	assert_int_equal(e->why.rule, R_TCP_SEND_DATA);
	assert_int_equal(e->why.v[5], IW);	/* why shows cwnd */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* Slow start: each ACK of new data grows cwnd by what it acknowledged,
 * at most one segment, and what it frees goes out. */
static void test_ack_in_ESTABLISHED_slow_start_grows_cwnd(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, bulk, 20000);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 100, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, IW + 100);	/* 100 bytes acknowledged: 100 more */
	assert_int_equal(data_frames_from_a(&t), 0);	/* 200 free: less than a segment */
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 2 * MSS, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, IW + 100 + MSS);	/* 2820 acknowledged, one segment at most */
	assert_int_equal(data_frames_from_a(&t), 3);	/* 4480 free: three whole segments */
	assert_int_equal(c->snd_nxt, A_ISS + 1 + 6 * MSS);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* Congestion avoidance: from ssthresh on, SMSS*SMSS/cwnd per ACK. */
static void test_ack_in_ESTABLISHED_congestion_avoidance_grows_cwnd_slowly(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	c->cwnd = c->ssthresh = 10000;
	tt_send(c, bulk, 20000);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, 10000 + MSS * MSS / 10000);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS + 1, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, 10213 + MSS * MSS / 10213);	/* per ACK, whatever it acknowledged */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* a's connection, cwnd set to `cwnd_segs` segments, sends `len` bytes
 * into the void; then b's three duplicate ACKs of the first byte. */
static struct tcb *after_three_duplicates(struct tt *t, uint32_t cwnd_segs, size_t len)
{
	struct tcb *c = isolated_conn(t);
	c->cwnd = cwnd_segs * MSS;
	tt_send(c, bulk, len);
	tt_mark(t);
	for (int i = 0; i < 3; i++)
		tt_seg(t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	return c;
}

/* Duplicate ACKs (RFC 5681 2): nothing new acknowledged, no data, the
 * same window. The first two leave cwnd alone (3.2 step 1) and, with
 * nothing new to send, send nothing. */
static void test_two_duplicate_acks_in_ESTABLISHED_nothing_new_to_send_change_nothing(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, bulk, IW);
	tt_mark(&t);
	for (int i = 0; i < 2; i++)
		tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	assert_int_equal(c->dupacks, 2);
	assert_int_equal(c->cwnd, IW);
	assert_false(c->fast_recovery);
	assert_int_equal(tt_count_from(&t, 0), 0);
	tt_free(&t);
}

/* RFC 5681 3.2 step 1 (RFC 3042 limited transmit): with new data waiting,
 * each of the first two duplicates sends one new segment beyond cwnd,
 * and cwnd does not change; a third duplicate that was not enough to
 * start a recovery sends no more. */
static void test_two_duplicate_acks_in_ESTABLISHED_limited_transmit(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, bulk, 20000);
	assert_int_equal(c->snd_nxt, A_ISS + 1 + IW);
	tt_mark(&t);
	for (int i = 1; i <= 2; i++) {
		tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
		assert_int_equal(c->dupacks, i);
		assert_int_equal(tt_count_from(&t, 0), i);
		const struct trace_event *e = tt_frame_from(&t, 0, i);
		assert_seg(e, TCP_ACK, A_ISS + 1 + IW + (uint32_t)(i - 1) * MSS, B_ISS + 1, MSS);
		assert_false(e->retrans);
		assert_int_equal(e->why.rule, R_TCP_LIMITED_TRANSMIT);
		assert_int_equal(e->why.v[2], i);	/* which duplicate */
		assert_int_equal(e->why.v[5], IW);	/* the cwnd it went beyond */
	}
	assert_int_equal(c->cwnd, IW);	/* "MUST NOT change cwnd" */
	assert_int_equal(c->limited_sent, 2 * MSS);
	assert_tcb_view_says(&t, c, "slow start; in flight 7300; duplicate ACKs 2\n");
	assert_int_equal(tcp_flight_size(c), IW + 2 * MSS);	/* cwnd plus two segments */
	/* The ACK of new data ends the duplicates: cwnd alone again, and the
	 * two extra segments count against it. */
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);
	assert_int_equal(c->dupacks, 0);
	assert_int_equal(c->limited_sent, 0);
	assert_int_equal(c->cwnd, IW + MSS);
	assert_int_equal(tt_count_from(&t, 0), 2);	/* 5 segments in flight, cwnd 4 */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 3.2 steps 2 and 3: the third duplicate resends the oldest segment at
 * once, ssthresh = max(FlightSize / 2, 2 * SMSS) without what limited
 * transmit sent, cwnd = ssthresh + 3 * SMSS; steps 4 and 5: each further
 * duplicate adds a segment to cwnd, and new data goes out when cwnd
 * allows; step 6: the ACK of new data deflates cwnd. */
static void test_third_duplicate_ack_in_ESTABLISHED_fast_retransmit_and_recovery(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = after_three_duplicates(&t, 10, 20 * MSS);
	/* cwnd let ten go, the first two duplicates one more each */
	assert_int_equal(c->snd_nxt, A_ISS + 1 + 12 * MSS);
	assert_true(c->fast_recovery);
	assert_int_equal(c->ssthresh, 5 * MSS);	/* 12 in flight, 2 of them by limited transmit */
	assert_int_equal(c->cwnd, 8 * MSS);
	assert_int_equal(c->limited_sent, 0);
	assert_tcb_view_says(&t, c, "fast recovery; in flight 17520; duplicate ACKs 3\n");
	assert_int_equal(tt_count_from(&t, 0), 3);
	const struct trace_event *e = tt_frame_from(&t, 0, 3);
	assert_seg(e, TCP_ACK, A_ISS + 1, B_ISS + 1, MSS);
	assert_true(e->retrans);
	assert_int_equal(e->why.rule, R_TCP_FAST_RETRANSMIT);
	assert_int_equal(e->why.v[3], 8 * MSS);
	assert_int_equal(e->why.v[4], 5 * MSS);
	assert_true(timer_armed(&c->rto_timer));
	assert_int_equal(c->retries, 0);	/* the timer's backoff is not touched */
	/* Twelve segments in flight, cwnd eight: nothing new until cwnd
	 * passes the flight, at the fifth further duplicate. No limited
	 * transmit in recovery: the inflation does its work. */
	for (int i = 0; i < 4; i++)
		tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, 12 * MSS);
	assert_int_equal(tt_count_from(&t, 0), 3);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	assert_int_equal(c->cwnd, 13 * MSS);
	assert_int_equal(tt_count_from(&t, 0), 4);
	e = tt_frame_from(&t, 0, 4);
	assert_seg(e, TCP_ACK, A_ISS + 1 + 12 * MSS, B_ISS + 1, MSS);
	assert_int_equal(e->why.rule, R_TCP_SEND_DATA);
	/* The ACK of everything sent before the loss, a full acknowledgment
	 * (RFC 6582 3.2 step 3): recovery ends with cwnd at ssthresh, or at
	 * what is in flight plus a segment when that is less (one segment
	 * is in flight here), so that no burst follows. */
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 12 * MSS, TCP_ACK, NULL);
	assert_false(c->fast_recovery);
	assert_int_equal(c->cwnd, 2 * MSS);
	assert_int_equal(c->dupacks, 0);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 6582 3.2 step 3: a partial acknowledgment in fast recovery says
 * the segment at the new SND.UNA was lost too; it is resent at once,
 * cwnd deflates by what was acknowledged (plus a segment back), and
 * recovery goes on until all that was sent before it is acknowledged. */
static void test_partial_ack_in_fast_recovery_resends_next_hole(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = after_three_duplicates(&t, 10, 10 * MSS);
	assert_true(c->fast_recovery);
	assert_int_equal(c->recover, A_ISS + 1 + 10 * MSS);
	assert_int_equal(c->cwnd, 8 * MSS);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 4 * MSS, TCP_ACK, NULL);	/* segments 1-4 now in */
	assert_true(c->fast_recovery);
	assert_int_equal(c->cwnd, 8 * MSS - 4 * MSS + MSS);
	const struct trace_event *e = tt_frame_from(&t, 0, 1);
	assert_seg(e, TCP_ACK, A_ISS + 1 + 4 * MSS, B_ISS + 1, MSS);
	assert_true(e->retrans);
	assert_int_equal(e->why.rule, R_TCP_PARTIAL_ACK_RETRANSMIT);
	assert_int_equal(tt_count_from(&t, 0), 1);	/* 6 segments in flight, cwnd 5 */
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 10 * MSS, TCP_ACK, NULL);
	assert_false(c->fast_recovery);
	assert_int_equal(c->cwnd, 2 * MSS);	/* nothing in flight: max(FlightSize, SMSS) + SMSS */
	assert_int_equal(c->retransmits, 2);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 6582 3.2 steps 2 and 4: after a timeout, duplicate ACKs of what
 * was sent before it start no fast retransmit. */
static void test_duplicate_acks_after_rto_in_ESTABLISHED_no_fast_retransmit(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, IW);
	tt_wait(t.w, 1 * VTIME_S);
	assert_int_equal(c->recover, A_ISS + 1 + IW);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);
	for (int i = 0; i < 3; i++)
		tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);
	assert_false(c->fast_recovery);
	for (int i = 1; tt_frame_from(&t, 0, i); i++)
		assert_int_not_equal(tt_frame_from(&t, 0, i)->why.rule, R_TCP_FAST_RETRANSMIT);
	tt_free(&t);
}

/* What RFC 5681 2 does not count as a duplicate: an ACK with data, one
 * that changes the window, one with nothing outstanding. */
static void test_not_duplicate_acks_in_ESTABLISHED_not_counted(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	for (int i = 0; i < 4; i++)
		tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);	/* nothing outstanding */
	assert_int_equal(c->dupacks, 0);
	tt_send(c, bulk, 10 * MSS);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "x");
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK | TCP_PSH, "y");
	tt_seg(&t, B_ISS + 3, A_ISS + 1, TCP_ACK | TCP_PSH, "z");
	assert_int_equal(c->dupacks, 0);
	for (uint16_t w = 60000; w < 60003; w++)
		tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 4, A_ISS + 1, TCP_ACK, NULL, w);
	assert_int_equal(c->dupacks, 0);
	assert_false(c->fast_recovery);
	assert_int_equal(c->retransmits, 0);
	tt_free(&t);
}

/* A timeout during fast recovery ends it: the timer's rules hold. */
static void test_rto_in_fast_recovery_ends_it(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = after_three_duplicates(&t, 3, IW);
	assert_true(c->fast_recovery);
	tt_wait(t.w, 1 * VTIME_S);
	assert_false(c->fast_recovery);
	assert_int_equal(c->cwnd, MSS);
	assert_int_equal(c->dupacks, 0);
	tt_free(&t);
}

/* Two stacks: one data segment lost in the middle of a flight; the
 * segments after it bring three duplicate ACKs and the hole is filled
 * within a round trip, long before the RTO (1 s). */
static void test_scenario_lost_segment_repaired_by_fast_retransmit(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	c->cwnd = 10 * MSS;
	tt_mark(&t);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 1, 0);	/* the first data segment */
	tt_send(c, bulk, 10 * MSS);
	vtime t0 = t.w->q.now;
	tt_run(t.w);
	assert_int_equal(c->snd_una, c->snd_nxt);
	assert_int_equal(c->retransmits, 1);
	const struct trace_event *r = NULL;
	for (int i = 1; tt_frame_from(&t, 0, i); i++)
		if (tt_frame_from(&t, 0, i)->retrans)
			r = tt_frame_from(&t, 0, i);
	assert_non_null(r);
	assert_int_equal(r->why.rule, R_TCP_FAST_RETRANSMIT);
	assert_true(r->t - t0 <= 2 * t.w->link.latency);
	assert_received_bulk(s, 10 * MSS);
	tt_free(&t);
}

/* Two-stack, RFC 3042's case: a window of three segments, the first
 * lost. The two behind it bring only two duplicate ACKs, too few for a
 * fast retransmit, and without limited transmit the sender would wait
 * for the timer. Each duplicate sends one new segment instead, whose
 * arrival brings the third duplicate: the loss is repaired within two
 * round trips, and no timer expires. */
static void test_scenario_small_window_loss_repaired_by_limited_transmit(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	assert_int_equal(c->cwnd, IW);	/* three segments */
	tt_mark(&t);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 1, 0);	/* the first data segment */
	tt_send(c, bulk, 8 * MSS);
	vtime t0 = t.w->q.now;
	tt_run(t.w);
	assert_int_equal(tt_count(&t, TRACE_TIMER), 0);
	int limited = 0;
	const struct trace_event *r = NULL;
	for (int i = 1; tt_frame_from(&t, 0, i); i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i);
		limited += e->why.rule == R_TCP_LIMITED_TRANSMIT;
		if (e->retrans)
			r = e;
	}
	assert_int_equal(limited, 2);
	assert_non_null(r);
	assert_int_equal(r->why.rule, R_TCP_FAST_RETRANSMIT);
	assert_true(r->t - t0 <= 4 * t.w->link.latency);
	assert_int_equal(c->retransmits, 1);
	assert_received_bulk(s, 8 * MSS);
	tt_free(&t);
}

/* The timeout: ssthresh = max(FlightSize / 2, 2 * SMSS) when the segment
 * is first resent, kept on later timeouts of it; cwnd = one segment. */
static void test_rto_in_ESTABLISHED_halves_ssthresh_and_cwnd_is_one_segment(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	c->cwnd = 20 * MSS;
	tt_send(c, bulk, 20 * MSS);
	assert_int_equal(tcp_flight_size(c), 20 * MSS);
	tt_mark(&t);
	tt_wait(t.w, 1 * VTIME_S);
	assert_int_equal(c->ssthresh, 10 * MSS);
	assert_int_equal(c->cwnd, MSS);
	const struct trace_event *e = tt_frame_from(&t, 0, 1);
	assert_true(e->retrans);
	assert_int_equal(e->why.rule, R_TCP_RETRANSMIT_DATA);
	assert_int_equal(e->why.v[3], MSS);
	assert_int_equal(e->why.v[4], 10 * MSS);
	assert_int_equal(data_frames_from_a(&t), 1);	/* the one segment cwnd allows */
	c->ssthresh = 7 * MSS;	/* a second timeout of the same segment keeps it */
	tt_wait(t.w, 2 * VTIME_S);
	assert_int_equal(c->ssthresh, 7 * MSS);
	assert_int_equal(c->cwnd, MSS);
	tt_check_invariants(t.w);
	tt_free(&t);
}

static void test_rto_in_ESTABLISHED_small_flight_ssthresh_is_two_segments(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, 100);
	tt_wait(t.w, 1 * VTIME_S);
	assert_int_equal(c->ssthresh, 2 * MSS);
	assert_int_equal(c->cwnd, MSS);
	tt_free(&t);
}

/* After the timeout the ACK clock starts again from one segment: slow
 * start up to ssthresh. */
static void test_ack_after_rto_in_ESTABLISHED_slow_start_again(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, IW + 10 * MSS);
	tt_wait(t.w, 1 * VTIME_S);	/* all three segments lost; one resent */
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + IW, TCP_ACK, NULL);	/* the peer had the other two */
	assert_int_equal(c->cwnd, 2 * MSS);
	assert_false(c->timeout_recovery);	/* nothing sent before the timeout is missing */
	assert_int_equal(data_frames_from_a(&t), 2);
	for (int i = 1; i <= 2; i++)
		assert_false(tt_frame_from(&t, 0, i)->retrans);
	tt_free(&t);
}

/* RFC 5681 3.1: after the timeout, slow start resends what was in flight
 * before it, from SND.UNA, a segment more for each ACK that opens cwnd,
 * before any new data; not one segment per timeout. */
static void test_ack_after_rto_in_ESTABLISHED_resends_the_lost_window_as_cwnd_opens(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, IW + 4 * MSS);
	tt_wait(t.w, 1 * VTIME_S);	/* all three segments lost; the first resent */
	assert_true(c->timeout_recovery);
	assert_int_equal(c->recover, A_ISS + 1 + IW);
	assert_tcb_view_says(&t, c, "slow start, resending what the timeout lost");
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);	/* the resent one arrived */
	assert_int_equal(c->cwnd, 2 * MSS);
	assert_int_equal(tt_count_from(&t, 0), 2);	/* the two after it, and nothing new */
	for (int i = 1; i <= 2; i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i);
		assert_seg(e, i == 2 ? TCP_ACK | TCP_PSH : TCP_ACK, A_ISS + 1 + (uint32_t)i * MSS, B_ISS + 1, MSS);
		assert_true(e->retrans);
		assert_int_equal(e->why.rule, R_TCP_RESEND_AFTER_TIMEOUT);
		assert_int_equal(e->why.v[3], 2 * MSS);	/* why shows cwnd */
	}
	assert_false(c->timeout_recovery);	/* all of it is in flight again */
	assert_int_equal(c->snd_nxt, A_ISS + 1 + IW);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + IW, TCP_ACK, NULL);
	assert_int_equal(c->ssthresh, 2 * MSS);	/* half of IW, at least two segments */
	assert_int_equal(c->cwnd, 2 * MSS + MSS / 2);	/* congestion avoidance already */
	assert_int_equal(tt_count_from(&t, 0), 2);	/* new data now, as cwnd allows */
	for (int i = 1; i <= 2; i++)
		assert_false(tt_frame_from(&t, 0, i)->retrans);
	assert_int_equal(c->retransmits, 3);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* An ACK that stops part-way (the peer had some of it) resends from the
 * new SND.UNA; what the ACK covers is not sent again. */
static void test_partial_ack_after_rto_in_ESTABLISHED_resends_from_snd_una(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	c->cwnd = 6 * MSS;
	tt_send(c, bulk, 6 * MSS);
	tt_wait(t.w, 1 * VTIME_S);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 3 * MSS, TCP_ACK, NULL);	/* 2 and 3 had arrived */
	assert_int_equal(tt_count_from(&t, 0), 2);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_ACK, A_ISS + 1 + 3 * MSS, B_ISS + 1, MSS);
	assert_seg(tt_frame_from(&t, 0, 2), TCP_ACK, A_ISS + 1 + 4 * MSS, B_ISS + 1, MSS);
	assert_true(c->timeout_recovery);	/* the sixth waits for cwnd */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* The FIN sent before the timeout goes again with the last of the data. */
static void test_ack_after_rto_in_FIN_WAIT_1_resends_data_and_fin(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, 2 * MSS);
	tcp_close(c, NULL);
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	tt_wait(t.w, 1 * VTIME_S);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + MSS, TCP_ACK, NULL);
	assert_int_equal(tt_count_from(&t, 0), 1);
	const struct trace_event *e = tt_frame_from(&t, 0, 1);
	assert_seg(e, TCP_ACK | TCP_PSH | TCP_FIN, A_ISS + 1 + MSS, B_ISS + 1, MSS);
	assert_true(e->retrans);
	assert_false(c->timeout_recovery);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1 + 2 * MSS, TCP_ACK, NULL);	/* the data, not the FIN */
	assert_int_equal(tt_count_from(&t, 0), 0);	/* the FIN is in flight: nothing resent */
	tt_seg(&t, B_ISS + 1, A_ISS + 2 + 2 * MSS, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_FIN_WAIT_2);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* Two stacks: a whole window lost. One timeout, then the window is
 * repaired within a few round trips, not after a timeout per segment
 * (1 + 2 + 4 s). */
static void test_scenario_lost_window_repaired_after_one_timeout(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	tt_mark(&t);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 3, 0);	/* the three segments IW allows */
	tt_send(c, bulk, 5 * MSS);
	vtime t0 = t.w->q.now;
	tt_wait(t.w, 1 * VTIME_S);
	tt_run(t.w);
	assert_int_equal(tt_count(&t, TRACE_TIMER), 1);
	assert_int_equal(c->retransmits, 3);
	assert_int_equal(c->snd_una, c->snd_nxt);
	const struct trace_event *last = tt_frame_from(&t, 1, tt_count_from(&t, 1));
	assert_int_equal(last->ack, c->snd_nxt);
	assert_true(last->t - t0 <= 1 * VTIME_S + 8 * t.w->link.latency);
	assert_received_bulk(s, 5 * MSS);
	tt_free(&t);
}

/* The FIN takes a sequence number but no data: cwnd does not hold it. */
static void test_close_in_ESTABLISHED_with_cwnd_full_fin_still_goes(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, IW);
	tcp_close(c, NULL);
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	const struct trace_event *e = tt_frame_from(&t, 0, 3);
	assert_seg(e, TCP_ACK | TCP_PSH, A_ISS + 1 + 2 * MSS, B_ISS + 1, MSS);
	e = tt_frame_from(&t, 0, 4);
	assert_seg(e, TCP_ACK | TCP_FIN, A_ISS + 1 + IW, B_ISS + 1, 0);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 5681 4.1: idle for longer than the RTO, the connection starts
 * again from the initial window. */
/* After 100 bytes sent and acknowledged, cwnd 30 segments and `idle`
 * without sending, a sends 5 segments' worth. */
static void send_after_idle(vtime idle, uint32_t want_cwnd, int want_frames)
{
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_send(c, bulk, 100);
	tt_seg(&t, B_ISS + 1, A_ISS + 101, TCP_ACK, NULL);
	c->cwnd = 30 * MSS;
	tt_wait(t.w, idle);
	tt_mark(&t);
	tt_send(c, bulk, 5 * MSS);
	assert_int_equal(c->cwnd, want_cwnd);
	assert_int_equal(data_frames_from_a(&t), want_frames);
	tt_free(&t);
}

static void test_send_after_idle_in_ESTABLISHED_restarts_from_initial_window(void **state)
{
	(void)state;
	send_after_idle(500 * VTIME_MS, 30 * MSS, 5);	/* shorter than the RTO (1 s): cwnd kept */
	send_after_idle(1500 * VTIME_MS, IW, 3);
}

/* A zero-window probe that goes unanswered is not congestion: cwnd and
 * ssthresh stay. */
static void test_probe_timeout_in_ESTABLISHED_zero_window_keeps_cwnd(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = isolated_conn(&t);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL, 0);
	assert_int_equal(c->snd_wnd, 0);
	tt_send(c, bulk, 100);
	tt_wait(t.w, 10 * VTIME_S);	/* the probe goes, and is resent */
	assert_true(c->retransmits > 0);
	assert_int_equal(c->cwnd, IW);
	assert_int_equal(c->ssthresh, 65535);
	tt_free(&t);
}

/* Two stacks, no loss, one ACK per segment: cwnd doubles every round
 * trip (3, 6, 12 segments) until the peer's window (65535) limits it. */
static void test_scenario_slow_start_doubles_each_round_trip(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	tt_mark(&t);
	vtime t0 = t.w->q.now, rtt = 2 * t.w->link.latency;
	tt_send(c, bulk, sizeof bulk);
	int per_round[4] = {0};
	uint8_t sink[4096];
	bool eof;
	for (int i = 0; i < 200000 && world_inflight(t.w); i++) {
		world_step(t.w);
		tt_check_invariants(t.w);
		while (tcp_recv(s, sink, sizeof sink, &eof) > 0)
			;
	}
	for (int i = 1; tt_frame_from(&t, 0, i); i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i);
		int round = (int)((e->t - t0) / rtt);
		if (e->len && round < 4)
			per_round[round]++;
	}
	assert_int_equal(per_round[0], 3);
	assert_int_equal(per_round[1], 6);
	assert_int_equal(per_round[2], 12);
	assert_int_equal(per_round[3], 24);
	assert_int_equal(c->snd_una, c->snd_nxt);
	assert_int_equal(c->snd_nxt - c->iss - 1, sizeof bulk);
	assert_true(c->cwnd > 65535);	/* still slow start: nothing was lost */
	tt_free(&t);
}

/* Two stacks: two segments of one window lost (the first and the fifth).
 * The duplicates repair the first; the ACK that follows stops at the
 * second hole, a partial ACK, which is resent at once: both within a
 * few round trips, and no timer expires. */
static void test_scenario_two_losses_in_a_window_repaired_in_one_recovery(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c, *s;
	tt_pair(&t, 80, 0, &c, &s, NULL);
	c->cwnd = 10 * MSS;
	tt_mark(&t);
	tt_send(c, bulk, 10 * MSS);
	assert_int_equal(world_inflight(t.w), 10);
	assert_int_equal(world_drop_inflight(t.w, 4), 0);
	assert_int_equal(world_drop_inflight(t.w, 0), 0);
	tt_run(t.w);
	assert_int_equal(c->snd_una, c->snd_nxt);
	assert_int_equal(tt_count(&t, TRACE_TIMER), 0);
	int fast = 0, partial = 0;
	for (int i = 1; tt_frame_from(&t, 0, i); i++) {
		const struct trace_event *e = tt_frame_from(&t, 0, i);
		fast += e->retrans && e->why.rule == R_TCP_FAST_RETRANSMIT;
		partial += e->retrans && e->why.rule == R_TCP_PARTIAL_ACK_RETRANSMIT;
	}
	assert_int_equal(fast, 1);
	assert_int_equal(partial, 1);
	assert_int_equal(c->retransmits, 2);
	assert_false(c->fast_recovery);
	assert_received_bulk(s, 10 * MSS);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ack_in_SYN_RECEIVED_cwnd_is_initial_window),
		cmocka_unit_test(test_synack_in_SYN_SENT_cwnd_is_initial_window),
		cmocka_unit_test(test_syn_lost_in_SYN_SENT_cwnd_is_one_segment),
		cmocka_unit_test(test_send_in_ESTABLISHED_stops_at_cwnd),
		cmocka_unit_test(test_ack_in_ESTABLISHED_slow_start_grows_cwnd),
		cmocka_unit_test(test_ack_in_ESTABLISHED_congestion_avoidance_grows_cwnd_slowly),
		cmocka_unit_test(test_two_duplicate_acks_in_ESTABLISHED_nothing_new_to_send_change_nothing),
		cmocka_unit_test(test_two_duplicate_acks_in_ESTABLISHED_limited_transmit),
		cmocka_unit_test(test_third_duplicate_ack_in_ESTABLISHED_fast_retransmit_and_recovery),
		cmocka_unit_test(test_partial_ack_in_fast_recovery_resends_next_hole),
		cmocka_unit_test(test_duplicate_acks_after_rto_in_ESTABLISHED_no_fast_retransmit),
		cmocka_unit_test(test_not_duplicate_acks_in_ESTABLISHED_not_counted),
		cmocka_unit_test(test_rto_in_fast_recovery_ends_it),
		cmocka_unit_test(test_scenario_lost_segment_repaired_by_fast_retransmit),
		cmocka_unit_test(test_scenario_two_losses_in_a_window_repaired_in_one_recovery),
		cmocka_unit_test(test_scenario_small_window_loss_repaired_by_limited_transmit),
		cmocka_unit_test(test_rto_in_ESTABLISHED_halves_ssthresh_and_cwnd_is_one_segment),
		cmocka_unit_test(test_rto_in_ESTABLISHED_small_flight_ssthresh_is_two_segments),
		cmocka_unit_test(test_ack_after_rto_in_ESTABLISHED_slow_start_again),
		cmocka_unit_test(test_ack_after_rto_in_ESTABLISHED_resends_the_lost_window_as_cwnd_opens),
		cmocka_unit_test(test_partial_ack_after_rto_in_ESTABLISHED_resends_from_snd_una),
		cmocka_unit_test(test_ack_after_rto_in_FIN_WAIT_1_resends_data_and_fin),
		cmocka_unit_test(test_scenario_lost_window_repaired_after_one_timeout),
		cmocka_unit_test(test_close_in_ESTABLISHED_with_cwnd_full_fin_still_goes),
		cmocka_unit_test(test_send_after_idle_in_ESTABLISHED_restarts_from_initial_window),
		cmocka_unit_test(test_probe_timeout_in_ESTABLISHED_zero_window_keeps_cwnd),
		cmocka_unit_test(test_scenario_slow_start_doubles_each_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
