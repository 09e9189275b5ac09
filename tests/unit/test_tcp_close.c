/* TCP-CHECKLIST items 21 to 28: closing a connection, RFC 9293 3.6 and the
 * FIN and ACK steps of 3.10.7.4, CLOSE (3.10.4) and ABORT (3.10.5). Host
 * a's connection is forced into a state by tt_conn (ISS=1000, IRS=5000)
 * and fed segments as if from b; in the closing states tt_conn's FINs are
 * at ISS+1 (ours) and IRS+1 (the peer's). */
#include "tcptest.h"

#define MSL2 (60 * VTIME_S)

static bool any_timer_armed(const struct tcb *c)
{
	return timer_armed(&c->rto_timer) || timer_armed(&c->persist_timer) || timer_armed(&c->tw_timer);
}

/* ------------------------------------------------------------------ */
/* 21. ESTABLISHED, FIN: CLOSE-WAIT, then half-close, LAST-ACK, CLOSED */

/* 21. RFC 9293 3.10.7.4 eighth check: RCV.NXT advances over the FIN, it
 * is acknowledged, the reader sees end-of-file, CLOSE-WAIT. */
static void test_fin_in_ESTABLISHED_enters_CLOSE_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, "bye");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 5);	/* 3 bytes and the FIN */
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_FIN);
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	assert_state_change(&t, c, 1, TCP_ESTABLISHED, TCP_CLOSE_WAIT, R_TCP_FIN_CLOSE_WAIT);
	assert_int_equal(c->rcv_nxt, B_ISS + 5);
	assert_true(c->fin_rcvd);
	char buf[16];
	bool eof = false;
	assert_int_equal(tt_recv_str(c, buf, 3, &eof), 2);	/* "by": not yet the end */
	assert_false(eof);
	assert_int_equal(tt_recv_str(c, buf, sizeof buf, &eof), 1);
	assert_string_equal(buf, "e");
	assert_true(eof);
	assert_int_equal(tt_recv_str(c, buf, sizeof buf, &eof), 0);
	assert_true(eof);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 21. RFC 9293 3.6 (half-close): in CLOSE-WAIT the socket still sends. */
static void test_send_in_CLOSE_WAIT_still_sends_data(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSE_WAIT);
	tt_send(c, "more", 4);
	assert_sent_one(&t, TCP_ACK | TCP_PSH, A_ISS + 1, B_ISS + 2);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, 4);
	assert_true(timer_armed(&c->rto_timer));
	tt_mark(&t);
	tt_seg(&t, B_ISS + 2, A_ISS + 5, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, A_ISS + 5);
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	tt_free(&t);
}

/* 21. RFC 9293 3.10.4: CLOSE in CLOSE-WAIT sends the FIN: LAST-ACK; the
 * ACK of that FIN gives CLOSED (3.10.7.4, LAST-ACK). */
static void test_close_in_CLOSE_WAIT_enters_LAST_ACK_then_CLOSED(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSE_WAIT);
	assert_int_equal(tcp_close(c, NULL), 0);
	assert_sent_one(&t, TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 2);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SEND_FIN);
	assert_state_change(&t, c, 1, TCP_CLOSE_WAIT, TCP_LAST_ACK, R_TCP_CLOSE);
	assert_int_equal(c->snd_nxt, A_ISS + 2);
	assert_true(timer_armed(&c->rto_timer));
	tt_mark(&t);
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK, NULL);	/* acknowledges nothing new */
	assert_int_equal(c->state, TCP_LAST_ACK);
	tt_seg(&t, B_ISS + 2, A_ISS + 2, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_state_change(&t, c, 1, TCP_LAST_ACK, TCP_CLOSED, R_TCP_FIN_ACKED_CLOSED);
	assert_int_equal(c->error, TCP_OK);
	assert_false(any_timer_armed(c));
	tt_free(&t);
}

/* 21. The FIN in LAST-ACK follows the data sent during the half-close,
 * and only the ACK of the FIN closes.
 * (RFC 9293 3.10.7.4, LAST-ACK) */
static void test_ack_of_data_only_in_LAST_ACK_stays(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSE_WAIT);
	tt_send(c, "tail", 4);
	tcp_close(c, NULL);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_FIN | TCP_ACK, A_ISS + 5, B_ISS + 2, 0);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 2, A_ISS + 5, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_LAST_ACK);
	assert_true(timer_armed(&c->rto_timer));	/* the FIN is still owed */
	tt_seg(&t, B_ISS + 2, A_ISS + 6, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_CLOSED);
	tt_free(&t);
}

/* Data queued before CLOSE that a window held back (here cwnd, RFC 5681)
 * goes out as ACKs open the window, in LAST-ACK and CLOSING too, and the
 * FIN after it: those states process an ACK "as in ESTABLISHED". */
static void ack_opens_window_in_closing_state(uint8_t want_state)
{
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, want_state == TCP_LAST_ACK ? TCP_CLOSE_WAIT : TCP_ESTABLISHED);
	tt_isolate(&t);
	static uint8_t data[10000];
	tt_send(c, data, sizeof data);
	assert_int_equal(c->snd_nxt, A_ISS + 1 + c->cwnd);	/* three segments; the rest waits */
	tcp_close(c, NULL);
	uint32_t rcv = B_ISS + 1 + (want_state == TCP_LAST_ACK);
	if (want_state == TCP_CLOSING) {
		tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_FIN, NULL);
		rcv++;
	}
	assert_int_equal(c->state, want_state);
	assert_false(c->fin_sent);
	for (int guard = 0; !c->fin_sent && guard < 20; guard++) {
		tt_mark(&t);
		tt_seg(&t, rcv, c->snd_nxt, TCP_ACK, NULL);	/* all sent so far arrived */
		assert_true(tt_count_from(&t, 0) > 0);
		tt_check_invariants(t.w);
	}
	assert_true(c->fin_sent);
	assert_int_equal(c->fin_seq, A_ISS + 1 + sizeof data);
	tt_seg(&t, rcv, c->snd_nxt, TCP_ACK, NULL);
	assert_int_equal(c->state, want_state == TCP_LAST_ACK ? TCP_CLOSED : TCP_TIME_WAIT);
	tt_free(&t);
}

static void test_ack_in_LAST_ACK_sends_data_held_back_then_fin(void **state)
{
	(void)state;
	ack_opens_window_in_closing_state(TCP_LAST_ACK);
}

static void test_ack_in_CLOSING_sends_data_held_back_then_fin(void **state)
{
	(void)state;
	ack_opens_window_in_closing_state(TCP_CLOSING);
}

/* ------------------------------------------------------------------ */
/* 22. CLOSE in ESTABLISHED */

/* 22. RFC 9293 3.10.4: CLOSE in ESTABLISHED: FIN, FIN-WAIT-1. */
static void test_close_in_ESTABLISHED_sends_fin_enters_FIN_WAIT_1(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	assert_int_equal(tcp_close(c, NULL), 0);
	assert_sent_one(&t, TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_state_change(&t, c, 1, TCP_ESTABLISHED, TCP_FIN_WAIT_1, R_TCP_CLOSE);
	assert_true(c->fin_sent);
	assert_int_equal(c->fin_seq, A_ISS + 1);
	assert_int_equal(c->snd_nxt, A_ISS + 2);
	assert_true(timer_armed(&c->rto_timer));
	struct err e;
	assert_int_equal(tcp_send(c, (const uint8_t *)"late", 4, &e), -1);	/* no data after CLOSE */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 22. RFC 9293 3.10.4: "queue this until all preceding SENDs have been
 * segmentized, then form a FIN segment": with data held back by the
 * peer's window, the FIN waits and then goes on the last data segment. */
static void test_close_in_ESTABLISHED_fin_after_queued_data(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL, 5);
	c->max_snd_wnd = 5;	/* a peer with a 5-byte buffer: SWS avoidance lets 5 go */
	tt_send(c, "0123456789", 10);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);	/* "01234": the window */
	tt_mark(&t);
	tcp_close(c, NULL);
	assert_sent_none(&t);	/* the FIN waits behind "56789" */
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	assert_true(c->fin_queued);
	assert_false(c->fin_sent);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 6, TCP_ACK, NULL, 100);
	assert_sent_one(&t, TCP_FIN | TCP_PSH | TCP_ACK, A_ISS + 6, B_ISS + 1);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, 5);
	assert_int_equal(c->fin_seq, A_ISS + 11);
	assert_int_equal(c->snd_nxt, A_ISS + 12);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 23. FIN-WAIT-1 (RFC 9293 3.10.7.4, 3.6 Figure 13) */

/* 23. The ACK of our FIN: FIN-WAIT-2, the retransmission timer off. */
static void test_ack_of_fin_in_FIN_WAIT_1_enters_FIN_WAIT_2(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_1);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_FIN_WAIT_2);
	assert_int_equal(tt_count(&t, TRACE_STATE), 1);
	assert_state_change(&t, c, 1, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, R_TCP_FIN_ACKED_FW2);
	assert_false(any_timer_armed(c));
	tt_free(&t);
}

/* 23. A FIN that does not acknowledge ours: CLOSING, and it is ACKed.
 * (RFC 9293 3.10.7.4, eighth check, 3.6) */
static void test_fin_in_FIN_WAIT_1_enters_CLOSING(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_1);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 2);
	assert_int_equal(c->state, TCP_CLOSING);
	assert_state_change(&t, c, 1, TCP_FIN_WAIT_1, TCP_CLOSING, R_TCP_FIN_CLOSING);
	assert_true(timer_armed(&c->rto_timer));	/* our FIN still awaits its ACK */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 23. CLOSING, the ACK of our FIN: TIME-WAIT with its 2 MSL timer.
 * (RFC 9293 3.10.7.4, CLOSING) */
static void test_ack_of_fin_in_CLOSING_enters_TIME_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSING);
	t.w->q.now = 7 * VTIME_MS;
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK, NULL);	/* not our FIN: ignored */
	assert_int_equal(c->state, TCP_CLOSING);
	tt_seg(&t, B_ISS + 2, A_ISS + 2, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_state_change(&t, c, 1, TCP_CLOSING, TCP_TIME_WAIT, R_TCP_FIN_ACKED_TIME_WAIT);
	assert_true(timer_armed(&c->tw_timer));
	assert_int_equal(c->tw_timer.when, 7 * VTIME_MS + MSL2);
	assert_false(timer_armed(&c->rto_timer));
	tt_free(&t);
}

/* 23. RFC 9293 3.10.7.4 eighth check and Figure 5 note 2: a FIN that also
 * acknowledges ours takes FIN-WAIT-1 straight to TIME-WAIT. */
static void test_fin_ack_of_fin_in_FIN_WAIT_1_enters_TIME_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_1);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 2);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_int_equal(tt_count(&t, TRACE_STATE), 1);
	assert_state_change(&t, c, 1, TCP_FIN_WAIT_1, TCP_TIME_WAIT, R_TCP_FIN_TIME_WAIT);
	assert_true(timer_armed(&c->tw_timer));
	assert_false(timer_armed(&c->rto_timer));	/* "turn off the other timers" */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 23. The ACK of our FIN arrives with a FIN that cannot be taken yet (it
 * is out of order): FIN-WAIT-2 all the same, the FIN held.
 * (RFC 9293 3.10.7.4, FIN-WAIT-1) */
static void test_ack_of_fin_with_ooo_fin_in_FIN_WAIT_1_enters_FIN_WAIT_2(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_1);
	tt_seg(&t, B_ISS + 3, A_ISS + 2, TCP_FIN | TCP_ACK, "cd");
	assert_int_equal(c->state, TCP_FIN_WAIT_2);
	assert_false(timer_armed(&c->rto_timer));
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK, "ab");
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 6);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	char buf[8];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "abcd");
	tt_free(&t);
}

/* 23. RFC 9293 3.10.7.4 seventh check: data arriving in FIN-WAIT-1 and
 * FIN-WAIT-2 is still delivered and acknowledged. */
static void test_data_in_FIN_WAIT_1_delivered(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_1);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "still");
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 6);
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	char buf[16];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "still");
	tt_free(&t);
}

/* 23. RFC 9293 3.10.7.4 (seventh check) */
static void test_data_in_FIN_WAIT_2_delivered(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_2);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_ACK | TCP_PSH, "coming");
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 7);
	assert_int_equal(c->state, TCP_FIN_WAIT_2);
	char buf[16];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "coming");
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 24. FIN-WAIT-2, FIN (RFC 9293 3.10.7.4 eighth check) */

/* 24. ACK it, TIME-WAIT, start the 2 MSL timer, stop the others. */
static void test_fin_in_FIN_WAIT_2_enters_TIME_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_2);
	t.w->q.now = 3 * VTIME_S;
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_FIN | TCP_ACK | TCP_PSH, "last");
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 6);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_state_change(&t, c, 1, TCP_FIN_WAIT_2, TCP_TIME_WAIT, R_TCP_FIN_TIME_WAIT);
	assert_true(timer_armed(&c->tw_timer));
	assert_int_equal(c->tw_timer.when, 3 * VTIME_S + MSL2);
	assert_false(timer_armed(&c->rto_timer));
	assert_false(timer_armed(&c->persist_timer));
	char buf[16];
	bool eof = false;
	tt_recv_str(c, buf, sizeof buf, &eof);
	assert_string_equal(buf, "last");
	assert_true(eof);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 25. TIME-WAIT (RFC 9293 3.6.1, 3.10.7.4, 3.10.8) */

/* 25. A retransmitted FIN (our last ACK was lost) is acknowledged again
 * and the 2 MSL timer restarts; CLOSED 2 MSL after the last one. */
static void test_fin_retransmitted_in_TIME_WAIT_reacked_restarts_2msl(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_TIME_WAIT);	/* at 0 s: CLOSED at 60 s */
	tt_isolate(&t);
	assert_int_equal(c->tw_timer.when, MSL2);
	tt_wait(t.w, 30 * VTIME_S);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 2);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_TIME_WAIT_FIN);
	assert_int_equal(c->tw_timer.when, 30 * VTIME_S + MSL2);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_int_equal(tt_count(&t, TRACE_STATE), 0);
	/* with data on it, as the peer first sent it */
	tt_wait(t.w, 10 * VTIME_S);
	tt_mark(&t);
	tt_seg(&t, B_ISS - 2, A_ISS + 2, TCP_FIN | TCP_ACK, "xyz");
	assert_sent_one(&t, TCP_ACK, A_ISS + 2, B_ISS + 2);
	assert_int_equal(c->tw_timer.when, 40 * VTIME_S + MSL2);
	tt_wait(t.w, MSL2 - 1);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	tt_mark(&t);
	tt_wait(t.w, 1);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(t.w->q.now, 100 * VTIME_S);
	assert_int_equal(tt_rule(&t, TRACE_TIMER, 1), R_TCP_TIME_WAIT_TIMER);
	assert_state_change(&t, c, 1, TCP_TIME_WAIT, TCP_CLOSED, R_TCP_TIME_WAIT_CLOSED);
	tt_free(&t);
}

/* 25. RFC 9293 3.10.8: TIME-WAIT entered from FIN-WAIT-2 lasts exactly
 * 2 MSL (60 s), then CLOSED; the socket is no longer looked up. */
static void test_2msl_in_TIME_WAIT_closes(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_FIN_WAIT_2);
	tt_isolate(&t);
	t.w->q.now = 5 * VTIME_S;
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_FIN | TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	tt_wait(t.w, MSL2 - 1);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	tt_wait(t.w, 1);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_OK);
	assert_false(any_timer_armed(c));
	/* a segment for it now finds no connection: RST (3.10.7.1) */
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 2, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_RST, A_ISS + 2, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_CLOSED_RST);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 26. After the peer's FIN, and where a FIN is never processed */

/* 26. RFC 9293 3.10.7.4 seventh check: after the peer's FIN, data is
 * ignored (not delivered, RCV.NXT unchanged, not acknowledged). */
static void data_after_fin_ignored(uint8_t st)
{
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, st);
	uint32_t nxt = c->rcv_nxt;
	tt_seg(&t, nxt, c->snd_una, TCP_ACK | TCP_PSH, "ghost");
	assert_sent_none(&t);
	assert_int_equal(c->rcv_nxt, nxt);
	assert_int_equal(tcp_bytes_unread(c), 0);
	assert_int_equal(c->state, st);
	tt_free(&t);
}

/* 26. RFC 9293 3.10.7.4 (seventh check) */
static void test_data_in_CLOSE_WAIT_ignored(void **state)
{
	(void)state;
	data_after_fin_ignored(TCP_CLOSE_WAIT);
	struct tt t = tt_new();
	tt_conn(&t, TCP_CLOSE_WAIT);
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK, "ghost");
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_DATA_AFTER_FIN);
	tt_free(&t);
}

/* 26. RFC 9293 3.10.7.4 (seventh check) */
static void test_data_in_CLOSING_ignored(void **state)
{
	(void)state;
	data_after_fin_ignored(TCP_CLOSING);
}

/* 26. RFC 9293 3.10.7.4 (seventh check) */
static void test_data_in_LAST_ACK_ignored(void **state)
{
	(void)state;
	data_after_fin_ignored(TCP_LAST_ACK);
}

/* 26. RFC 9293 3.10.7.4 (seventh check) */
static void test_data_in_TIME_WAIT_ignored(void **state)
{
	(void)state;
	data_after_fin_ignored(TCP_TIME_WAIT);
}

/* 26. The peer's FIN again in CLOSE-WAIT: old, so only ACKed.
 * (RFC 9293 3.10.7.4, first check) */
static void test_fin_again_in_CLOSE_WAIT_acked_only(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSE_WAIT);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 2);
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	assert_int_equal(c->rcv_nxt, B_ISS + 2);
	tt_free(&t);
}

/* 26. RFC 9293 3.10.7.4 eighth check: "Do not process the FIN if the
 * state is CLOSED, LISTEN, or SYN-SENT". */
static void test_fin_in_LISTEN_not_processed(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.a, 80, NULL);
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 10, 0, TCP_FIN, NULL, 65535);
	assert_sent_none(&t);
	assert_int_equal(l->state, TCP_LISTEN);
	assert_int_equal(tt_count(&t, TRACE_STATE), 0);
	assert_int_equal(t.a->nsocks, 1);
	tt_free(&t);
}

/* 26. RFC 9293 3.10.7.3, 3.10.7.4 (eighth check) */
static void test_fin_in_SYN_SENT_not_processed(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, "x");
	tt_seg(&t, B_ISS + 1, 0, TCP_FIN, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_SYN_SENT);
	assert_false(c->fin_rcvd);
	assert_int_equal(c->rcv_nxt, 0);
	tt_free(&t);
}

/* 26. RFC 9293 3.10.7.1 */
static void test_fin_in_CLOSED_not_processed_gets_rst(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tcp_abort(c);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_RST, A_ISS + 1, 0);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_false(c->fin_rcvd);
	assert_int_equal(tt_count(&t, TRACE_STATE), 0);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 27. Simultaneous close (RFC 9293 3.6 Figure 13) */

/* 27. Both sides close: FIN-WAIT-1, the peer's FIN: CLOSING, the ACK of
 * ours: TIME-WAIT, then CLOSED after 2 MSL. */
static void test_simultaneous_close_from_ESTABLISHED_FIN_WAIT_1_CLOSING_TIME_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tcp_close(c, NULL);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 1, 0);
	/* b's FIN crossed ours: it does not acknowledge ours */
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_CLOSING);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_ACK, A_ISS + 2, B_ISS + 2, 0);
	/* b's ACK of our FIN */
	tt_seg(&t, B_ISS + 2, A_ISS + 2, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);
	assert_state_change(&t, c, 1, TCP_ESTABLISHED, TCP_FIN_WAIT_1, R_TCP_CLOSE);
	assert_state_change(&t, c, 2, TCP_FIN_WAIT_1, TCP_CLOSING, R_TCP_FIN_CLOSING);
	assert_state_change(&t, c, 3, TCP_CLOSING, TCP_TIME_WAIT, R_TCP_FIN_ACKED_TIME_WAIT);
	tt_wait(t.w, MSL2);
	assert_int_equal(c->state, TCP_CLOSED);
	tt_free(&t);
}

/* 27. The retransmission of our FIN in CLOSING carries the ACK of theirs.
 * (RFC 6298 5.4, RFC 9293 3.10.8) */
static void test_rto_in_CLOSING_retransmits_fin(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_CLOSING);
	tt_isolate(&t);
	tt_wait(t.w, 1 * VTIME_S);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	const struct trace_event *e = tt_event(&t, TRACE_FRAME, 1);
	assert_seg(e, TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 2, 0);
	assert_true(e->retrans);
	assert_int_equal(c->state, TCP_CLOSING);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 28. CLOSE with data unacknowledged; ABORT */

/* 28. The FIN takes the sequence number after the data; a retransmission
 * resends the data with the FIN, and once the data is acknowledged the
 * FIN alone.
 * (RFC 9293 3.10.4, RFC 6298 5.4) */
static void test_close_with_unacked_data_in_ESTABLISHED_fin_follows_data(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_send(c, "hello", 5);
	tcp_close(c, NULL);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_PSH | TCP_ACK, A_ISS + 1, B_ISS + 1, 5);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_FIN | TCP_ACK, A_ISS + 6, B_ISS + 1, 0);
	assert_int_equal(c->fin_seq, A_ISS + 6);
	tt_mark(&t);
	tt_wait(t.w, 1 * VTIME_S);	/* the RTO: the oldest segment again */
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_FIN | TCP_PSH | TCP_ACK, A_ISS + 1, B_ISS + 1, 5);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 6, TCP_ACK, NULL);	/* the data only */
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	tt_wait(t.w, 2 * VTIME_S);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_FIN | TCP_ACK, A_ISS + 6, B_ISS + 1, 0);
	tt_seg(&t, B_ISS + 1, A_ISS + 7, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_FIN_WAIT_2);
	tt_free(&t);
}

/* 28. RFC 9293 3.10.5: ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST>,
 * every queue flushed (unsent, unacknowledged, received and unread, held
 * out of order), CLOSED. */
static void test_abort_in_ESTABLISHED_sends_rst_discards_queues(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, "unread", 4);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 20, A_ISS + 1, TCP_ACK, "held", 4);
	c->max_snd_wnd = 4;	/* a peer with a 4-byte buffer: SWS avoidance lets 4 go */
	tt_send(c, "0123456789", 10);	/* 4 in flight, 6 waiting for the window */
	assert_int_equal(c->snd_nxt, A_ISS + 5);
	tt_mark(&t);
	tcp_abort(c);
	assert_sent_one(&t, TCP_RST, A_ISS + 5, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_ABORT_RST);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_state_change(&t, c, 1, TCP_ESTABLISHED, TCP_CLOSED, R_TCP_ABORT);
	assert_int_equal(c->error, TCP_ERR_ABORTED);
	assert_int_equal(c->sndq.len, 0);
	assert_int_equal(c->rcvq.len, 0);
	assert_null(c->ooo);
	assert_false(any_timer_armed(c));
	char buf[16];
	bool eof;
	assert_int_equal(tt_recv_str(c, buf, sizeof buf, &eof), 0);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 28. RFC 9293 3.10.5: a RST in SYN-RECEIVED, FIN-WAIT-1/2 and CLOSE-WAIT;
 * none in SYN-SENT, CLOSING, LAST-ACK and TIME-WAIT (the peer has no use
 * for it), CLOSED in every case. */
static void test_abort_in_each_state_rst_or_not(void **state)
{
	(void)state;
	static const struct {
		uint8_t state;
		bool rst;
	} cases[] = {
		{TCP_SYN_SENT, false}, {TCP_SYN_RECEIVED, true}, {TCP_FIN_WAIT_1, true},
		{TCP_FIN_WAIT_2, true}, {TCP_CLOSE_WAIT, true}, {TCP_CLOSING, false},
		{TCP_LAST_ACK, false}, {TCP_TIME_WAIT, false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, cases[i].state);
		uint32_t nxt = c->snd_nxt;
		tcp_abort(c);
		if (cases[i].rst)
			assert_sent_one(&t, TCP_RST, nxt, 0);
		else
			assert_sent_none(&t);
		assert_int_equal(c->state, TCP_CLOSED);
		assert_int_equal(c->error, TCP_ERR_ABORTED);
		assert_false(any_timer_armed(c));
		tt_free(&t);
	}
}

/* 22 and RFC 9293 3.10.4: CLOSE in SYN-RECEIVED with data queued waits for
 * ESTABLISHED; then the data goes, the FIN after it, FIN-WAIT-1. */
static void test_close_with_data_in_SYN_RECEIVED_waits_for_ESTABLISHED(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_RECEIVED);
	assert_int_equal(tcp_send(c, (const uint8_t *)"abc", 3, NULL), 0);
	assert_int_equal(tcp_close(c, NULL), 0);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_sent_none(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	const struct trace_event *e = tt_event(&t, TRACE_FRAME, 1);
	assert_int_equal(e->flags, TCP_FIN | TCP_PSH | TCP_ACK);
	assert_int_equal(e->seq, A_ISS + 1);
	assert_int_equal(e->len, 3);
	tt_check_invariants(t.w);
	tt_free(&t);
}

static void test_close_without_data_in_SYN_RECEIVED_sends_fin(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_RECEIVED);
	assert_int_equal(tcp_close(c, NULL), 0);
	assert_int_equal(c->state, TCP_FIN_WAIT_1);
	assert_sent_one(&t, TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 1);
	/* Synchronized without passing ESTABLISHED: cwnd starts here
	 * (RFC 5681 3.1), as fuzz_tcp found. */
	assert_int_equal(c->cwnd, 3 * 1460);
	tt_check_invariants(t.w);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_close_with_data_in_SYN_RECEIVED_waits_for_ESTABLISHED),
		cmocka_unit_test(test_close_without_data_in_SYN_RECEIVED_sends_fin),
		cmocka_unit_test(test_fin_in_ESTABLISHED_enters_CLOSE_WAIT),
		cmocka_unit_test(test_send_in_CLOSE_WAIT_still_sends_data),
		cmocka_unit_test(test_close_in_CLOSE_WAIT_enters_LAST_ACK_then_CLOSED),
		cmocka_unit_test(test_ack_of_data_only_in_LAST_ACK_stays),
		cmocka_unit_test(test_ack_in_LAST_ACK_sends_data_held_back_then_fin),
		cmocka_unit_test(test_ack_in_CLOSING_sends_data_held_back_then_fin),
		cmocka_unit_test(test_close_in_ESTABLISHED_sends_fin_enters_FIN_WAIT_1),
		cmocka_unit_test(test_close_in_ESTABLISHED_fin_after_queued_data),
		cmocka_unit_test(test_ack_of_fin_in_FIN_WAIT_1_enters_FIN_WAIT_2),
		cmocka_unit_test(test_fin_in_FIN_WAIT_1_enters_CLOSING),
		cmocka_unit_test(test_ack_of_fin_in_CLOSING_enters_TIME_WAIT),
		cmocka_unit_test(test_fin_ack_of_fin_in_FIN_WAIT_1_enters_TIME_WAIT),
		cmocka_unit_test(test_ack_of_fin_with_ooo_fin_in_FIN_WAIT_1_enters_FIN_WAIT_2),
		cmocka_unit_test(test_data_in_FIN_WAIT_1_delivered),
		cmocka_unit_test(test_data_in_FIN_WAIT_2_delivered),
		cmocka_unit_test(test_fin_in_FIN_WAIT_2_enters_TIME_WAIT),
		cmocka_unit_test(test_fin_retransmitted_in_TIME_WAIT_reacked_restarts_2msl),
		cmocka_unit_test(test_2msl_in_TIME_WAIT_closes),
		cmocka_unit_test(test_data_in_CLOSE_WAIT_ignored),
		cmocka_unit_test(test_data_in_CLOSING_ignored),
		cmocka_unit_test(test_data_in_LAST_ACK_ignored),
		cmocka_unit_test(test_data_in_TIME_WAIT_ignored),
		cmocka_unit_test(test_fin_again_in_CLOSE_WAIT_acked_only),
		cmocka_unit_test(test_fin_in_LISTEN_not_processed),
		cmocka_unit_test(test_fin_in_SYN_SENT_not_processed),
		cmocka_unit_test(test_fin_in_CLOSED_not_processed_gets_rst),
		cmocka_unit_test(test_simultaneous_close_from_ESTABLISHED_FIN_WAIT_1_CLOSING_TIME_WAIT),
		cmocka_unit_test(test_rto_in_CLOSING_retransmits_fin),
		cmocka_unit_test(test_close_with_unacked_data_in_ESTABLISHED_fin_follows_data),
		cmocka_unit_test(test_abort_in_ESTABLISHED_sends_rst_discards_queues),
		cmocka_unit_test(test_abort_in_each_state_rst_or_not),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
