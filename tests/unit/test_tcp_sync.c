/* TCP-CHECKLIST items 10 to 17: what SYN-RECEIVED and the synchronized
 * states do with an arriving segment, check by check in the order of RFC
 * 9293 3.10.7.4 (sequence number, RST, SYN, ACK, text), with RFC 5961's
 * challenge ACKs. Host a's connection is forced into a state by tt_conn
 * (ISS=1000, IRS=5000) and fed segments as if from b. */
#include "tcptest.h"

#include "core/sbuf.h"
#include "view/events.h"
#include "view/tables.h"

static const uint8_t synchronized_states[] = {
	TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
	TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
};
#define NSYNC (sizeof synchronized_states / sizeof synchronized_states[0])

static bool any_timer_armed(const struct tcb *c)
{
	return timer_armed(&c->rto_timer) || timer_armed(&c->persist_timer) || timer_armed(&c->tw_timer);
}

/* ------------------------------------------------------------------ */
/* 10. The sequence number check, Table 6 of RFC 9293 3.10.7.4. */

/* An ESTABLISHED connection with "xy" sent and not acknowledged (SND.NXT =
 * ISS+3) and a receive buffer of rcvbuf bytes. */
static struct tcb *conn_with_buffer(struct tt *t, uint32_t rcvbuf)
{
	t->w->set.rcvbuf = rcvbuf;
	struct tcb *c = tt_conn(t, TCP_ESTABLISHED);
	tt_send(c, "xy", 2);
	tt_mark(t);
	return c;
}

/* ... and with its receive window filled: RCV.WND = 0. */
static struct tcb *zero_window_conn(struct tt *t)
{
	struct tcb *c = conn_with_buffer(t, 4);
	tt_seg(t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "abcd");
	assert_int_equal(c->rcv_nxt, B_ISS + 5);
	assert_int_equal(tcp_window_now(c), 0);
	assert_sent_one(t, TCP_ACK, A_ISS + 3, B_ISS + 5);
	tt_mark(t);
	return c;
}

/* 10. RFC 9293 3.10.7.4 Table 6, case 1: SEG.LEN=0, RCV.WND=0: acceptable
 * only when SEG.SEQ = RCV.NXT. */
static void test_seq_check_ESTABLISHED_empty_seg_zero_window(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = zero_window_conn(&t);
	/* one past RCV.NXT: unacceptable: ACK, and the ACK field is not used */
	tt_seg(&t, B_ISS + 6, A_ISS + 3, TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 5);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	assert_int_equal(c->snd_una, A_ISS + 1);
	/* one before */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 4, A_ISS + 3, TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 5);
	assert_int_equal(c->snd_una, A_ISS + 1);
	/* exactly RCV.NXT: acceptable, its ACK acknowledges "xy", nothing sent */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 5, A_ISS + 3, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, A_ISS + 3);
	assert_false(timer_armed(&c->rto_timer));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 10. RFC 9293 3.10.7.4 Table 6, case 2: SEG.LEN=0, RCV.WND>0: acceptable
 * when RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND. */
static void test_seq_check_ESTABLISHED_empty_seg_open_window(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = conn_with_buffer(&t, 100);	/* window [5001, 5101) */
	tt_seg(&t, B_ISS + 101, A_ISS + 2, TCP_ACK, NULL);	/* RCV.NXT+RCV.WND: just outside */
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	assert_int_equal(c->snd_una, A_ISS + 1);
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS, A_ISS + 2, TCP_ACK, NULL);	/* RCV.NXT-1: old */
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 1);
	assert_int_equal(c->snd_una, A_ISS + 1);
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 100, A_ISS + 2, TCP_ACK, NULL);	/* the last in the window */
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, A_ISS + 2);
	tt_seg(&t, B_ISS + 1, A_ISS + 3, TCP_ACK, NULL);	/* RCV.NXT itself */
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, A_ISS + 3);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 10. RFC 9293 3.10.7.4 Table 6, case 3: SEG.LEN>0, RCV.WND=0: not
 * acceptable, but the ACK it carries is still processed. */
static void test_seq_check_ESTABLISHED_data_zero_window_ack_still_processed(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = zero_window_conn(&t);
	tt_seg(&t, B_ISS + 5, A_ISS + 3, TCP_ACK | TCP_PSH, "efgh");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 5);	/* RCV.NXT unchanged */
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_ZERO_WINDOW_PROBE_ACK);
	assert_int_equal(c->rcv_nxt, B_ISS + 5);
	assert_int_equal(tcp_bytes_unread(c), 4);	/* "efgh" was not taken */
	assert_int_equal(c->snd_una, A_ISS + 3);	/* but its ACK was */
	assert_false(timer_armed(&c->rto_timer));
	/* a FIN beyond a zero window is not processed either */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 5, A_ISS + 3, TCP_ACK | TCP_FIN, "i");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 5);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_false(c->fin_rcvd);
	/* data not at RCV.NXT: plainly unacceptable */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 6, A_ISS + 3, TCP_ACK, "z");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 5);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 10. RFC 9293 3.10.7.4: with RCV.WND=0 a RST at RCV.NXT still resets,
 * with or without data on it. */
static void test_seq_check_ESTABLISHED_rst_zero_window_processed(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = zero_window_conn(&t);
	tt_seg(&t, B_ISS + 5, 0, TCP_RST, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_RESET);
	tt_free(&t);

	t = tt_new();
	c = zero_window_conn(&t);
	tt_seg(&t, B_ISS + 5, 0, TCP_RST, "data on a RST");
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_RESET);
	tt_free(&t);
}

/* 10. RFC 9293 3.10.7.4 Table 6, case 4: SEG.LEN>0, RCV.WND>0: acceptable
 * when the first or the last byte is in the window; only the new part is
 * kept, and no more than the window. */
static void test_seq_check_ESTABLISHED_data_open_window(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = conn_with_buffer(&t, 10);	/* window [5001, 5011) */
	char buf[32];
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abc");	/* first byte at RCV.NXT */
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 4);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_DATA);
	/* starts before RCV.NXT, ends inside: only "de" is new */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK, "bcde");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 6);
	/* entirely before RCV.NXT: unacceptable, ACK RCV.NXT */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "ab");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 6);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	/* window now [5006, 5011): starting at its right edge is outside */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 11, A_ISS + 1, TCP_ACK, "zz");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 6);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	/* starting inside, running past the edge: only what fits is taken */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, B_ISS + 6, A_ISS + 1, TCP_ACK, "fghijkl");
	assert_sent_one(&t, TCP_ACK, A_ISS + 3, B_ISS + 11);
	assert_int_equal(tcp_bytes_unread(c), 10);
	assert_int_equal(tt_recv_str(c, buf, sizeof buf, NULL), 10);
	assert_string_equal(buf, "abcdefghij");
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 10. RFC 9293 3.4 and 3.10.7.4: the same four cases when RCV.NXT is
 * 2^32-6 and the window wraps past 2^32-1 to 10. */
static void test_seq_check_ESTABLISHED_window_wraps_past_2_32(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.rcvbuf = 16;
	struct tcb *c = tt_conn_at(&t, TCP_ESTABLISHED, 0xfffffffeu, 0xfffffff9u);
	assert_int_equal(c->snd_una, 0xffffffffu);
	assert_int_equal(c->rcv_nxt, 0xfffffffau);
	tt_send(c, "xyz", 3);	/* bytes 2^32-1, 0, 1 */
	assert_int_equal(c->snd_nxt, 2);
	tt_mark(&t);
	tt_unthrottle(c);
	/* window [2^32-6, 10): 10 is just outside, 2^32-7 is old */
	tt_seg(&t, 10, 1, TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, 2, 0xfffffffau);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, 0xfffffff9u, 1, TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, 2, 0xfffffffau);
	assert_int_equal(c->snd_una, 0xffffffffu);
	/* 9, the last in the window, after the wrap: acceptable; SEG.ACK=1
	 * is after SND.UNA=2^32-1 */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, 9, 1, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, 1);
	/* ten bytes at RCV.NXT running over the wrap */
	tt_seg(&t, 0xfffffffau, 2, TCP_ACK, "0123456789");
	assert_sent_one(&t, TCP_ACK, 2, 4);
	assert_int_equal(c->rcv_nxt, 4);
	assert_int_equal(c->snd_una, 2);
	/* straddling RCV.NXT=4 from before the wrap: "456789" is old, "ab" new */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, 0xfffffffeu, 2, TCP_ACK, "456789ab");
	assert_sent_one(&t, TCP_ACK, 2, 6);
	char buf[32];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "0123456789ab");
	/* entirely old, just before the wrap */
	tt_mark(&t);
	tt_unthrottle(c);
	tt_seg(&t, 0xfffffffeu, 2, TCP_ACK, "45");
	assert_sent_one(&t, TCP_ACK, 2, 6);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 10. RFC 9293 3.10.7.4: an unacceptable segment in every synchronized
 * state gets <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and is dropped. */
static void test_seq_check_unacceptable_in_each_state_acked(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSYNC; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, synchronized_states[i]);
		uint32_t nxt = c->rcv_nxt, snd = c->snd_nxt;
		tt_seg(&t, nxt + 70000, A_ISS + 1, TCP_ACK, "far");
		assert_sent_one(&t, TCP_ACK, snd, nxt);
		assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
		assert_int_equal(c->state, synchronized_states[i]);
		assert_int_equal(c->rcv_nxt, nxt);
		assert_int_equal(tcp_bytes_unread(c), 0);
		tt_free(&t);
	}
}

/* ------------------------------------------------------------------ */
/* 11. RST (RFC 9293 3.10.7.4 second check, RFC 5961 3.2) */

/* 11. RFC 5961 3.2: a RST outside the window is dropped silently. */
static void test_rst_outside_window_in_ESTABLISHED_dropped_silently(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS, 0, TCP_RST, NULL);	/* RCV.NXT-1 */
	tt_seg(&t, B_ISS + 1 + 65535, 0, TCP_RST, NULL);	/* RCV.NXT+RCV.WND */
	tt_seg(&t, B_ISS - 100000, A_ISS + 1, TCP_RST | TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(tt_count(&t, TRACE_DISCARD), 3);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_UNACCEPTABLE_RST);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(tt_count(&t, TRACE_STATE), 0);
	tt_free(&t);
}

/* 11. RFC 5961 3.2, RFC 9293 3.10.7.4 */
static void test_rst_outside_window_in_each_state_dropped_silently(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSYNC; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, synchronized_states[i]);
		tt_seg(&t, c->rcv_nxt - 1, 0, TCP_RST, NULL);
		assert_sent_none(&t);
		assert_int_equal(c->state, synchronized_states[i]);
		tt_free(&t);
	}
}

/* 11. RFC 9293 3.10.7.4: RST with SEQ=RCV.NXT. */
static void rst_at_rcv_nxt(uint8_t st, uint16_t rule, uint8_t error)
{
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, st);
	tt_seg(&t, c->rcv_nxt, 0, TCP_RST, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, error);
	assert_int_equal(tt_count(&t, TRACE_STATE), 1);
	assert_state_change(&t, c, 1, st, TCP_CLOSED, rule);
	assert_false(any_timer_armed(c));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 11. RFC 9293 3.10.7.4 */
static void test_rst_at_RCV_NXT_in_ESTABLISHED_connection_reset(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_ESTABLISHED, R_TCP_RST_RESET, TCP_ERR_RESET);
}

/* 11. RFC 9293 3.10.7.4 */
static void test_rst_at_RCV_NXT_in_FIN_WAIT_1_connection_reset(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_FIN_WAIT_1, R_TCP_RST_RESET, TCP_ERR_RESET);
}

/* 11. RFC 9293 3.10.7.4 */
static void test_rst_at_RCV_NXT_in_FIN_WAIT_2_connection_reset(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_FIN_WAIT_2, R_TCP_RST_RESET, TCP_ERR_RESET);
}

/* 11. RFC 9293 3.10.7.4 */
static void test_rst_at_RCV_NXT_in_CLOSE_WAIT_connection_reset(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_CLOSE_WAIT, R_TCP_RST_RESET, TCP_ERR_RESET);
}

/* 11. RFC 9293 3.10.7.4; our FIN was not acknowledged, so the user is
 * told the close was not graceful (3.6, MUST-12). */
static void test_rst_at_RCV_NXT_in_CLOSING_closed(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_CLOSING, R_TCP_RST_CLOSE, TCP_ERR_RESET);
}

/* 11. RFC 9293 3.10.7.4 and 3.6 (MUST-12), as for CLOSING. */
static void test_rst_at_RCV_NXT_in_LAST_ACK_closed(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_LAST_ACK, R_TCP_RST_CLOSE, TCP_ERR_RESET);
}

/* Policy at the top of the checklist: RFC 9293, not RFC 1337.
 * (11. RFC 9293 3.10.7.4) */
static void test_rst_at_RCV_NXT_in_TIME_WAIT_closed(void **state)
{
	(void)state;
	rst_at_rcv_nxt(TCP_TIME_WAIT, R_TCP_RST_CLOSE, TCP_OK);
}

/* 11. RFC 9293 3.10.7.4: "All segment queues should be flushed." */
static void test_rst_at_RCV_NXT_in_ESTABLISHED_flushes_queues(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, "unacknowledged", 14);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "unread");
	tt_seg(&t, B_ISS + 20, A_ISS + 1, TCP_ACK, "held");	/* out of order */
	assert_int_equal(c->sndq.len, 14);
	assert_int_equal(c->rcvq.len, 6);
	assert_non_null(c->ooo);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 7, A_ISS + 1, TCP_RST | TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_RESET);
	assert_int_equal(c->sndq.len, 0);
	assert_int_equal(c->rcvq.len, 0);
	assert_null(c->ooo);
	assert_int_equal(c->ooo_bytes, 0);
	assert_false(any_timer_armed(c));
	tt_free(&t);
}

/* 11. RFC 5961 3.2 (and RFC 9293 3.10.7.4): a RST in the window but not
 * at RCV.NXT: challenge ACK, no state change; checked in every state and
 * at the window's right edge. */
static void test_rst_in_window_not_RCV_NXT_in_each_state_challenge_ack(void **state)
{
	(void)state;
	static const uint8_t states[] = {
		TCP_SYN_RECEIVED, TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT,
		TCP_CLOSING, TCP_LAST_ACK, TCP_TIME_WAIT,
	};
	for (size_t i = 0; i < sizeof states; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, states[i]);
		uint32_t nxt = c->rcv_nxt;
		tt_seg(&t, nxt + 1, 0, TCP_RST, NULL);
		assert_sent_one(&t, TCP_ACK, c->snd_nxt, nxt);
		assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_RST_CHALLENGE);
		assert_int_equal(c->state, states[i]);
		assert_int_equal(tt_count(&t, TRACE_STATE), 0);
		tt_mark(&t);
		tt_seg(&t, nxt + 65534, 0, TCP_RST | TCP_ACK, NULL);	/* last in the window */
		assert_sent_one(&t, TCP_ACK, c->snd_nxt, nxt);
		assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_RST_CHALLENGE);
		assert_int_equal(c->state, states[i]);
		tt_check_invariants(t.w);
		tt_free(&t);
	}
}

/* ------------------------------------------------------------------ */
/* 12. SYN-RECEIVED, an acceptable RST (RFC 9293 3.10.7.4) */

/* a listens on 80; b's SYN (SEQ 777) makes a half-open connection. */
static struct tcb *passive_syn_received(struct tt *t, struct tcb **listener)
{
	struct err e;
	*listener = tcp_listen(t->a, 80, &e);
	assert_non_null(*listener);
	tt_seg_to(t, t->a, 40000, 80, 777, 0, TCP_SYN, NULL, 65535);
	struct tcb *c = (struct tcb *)t->a->last;
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_true(c->passive);
	sock_ref(&c->sock);	/* the test looks at it after the host lets go */
	tt_mark(t);
	return c;
}

/* 12. RFC 9293 3.10.7.4: opened passively: back to LISTEN, the user is
 * not told, nothing is sent; the listener carries on. */
static void test_rst_in_SYN_RECEIVED_passive_back_to_LISTEN(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	uint32_t num = c->sock.num;
	tt_seg_to(&t, t.a, 40000, 80, 778, 0, TCP_RST, NULL, 0);
	assert_sent_none(&t);
	const struct trace_event *ev = tt_state_ev(&t, 0, num, 1);
	assert_non_null(ev);
	assert_int_equal(ev->old_state, TCP_SYN_RECEIVED);
	assert_int_equal(ev->new_state, TCP_LISTEN);
	assert_int_equal(ev->why.rule, R_TCP_RST_BACK_TO_LISTEN);
	assert_int_equal(c->error, TCP_OK);	/* the user is not told */
	assert_false(any_timer_armed(c));	/* no SYN,ACK retransmission */
	assert_null(c->sock.host);		/* the half-open socket is gone */
	assert_int_equal(l->state, TCP_LISTEN);
	assert_int_equal(l->naccept, 0);
	assert_null(tcp_accept(l));
	assert_int_equal(t.a->nsocks, 1);
	/* the same four-tuple is free for a new SYN */
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 9000, 0, TCP_SYN, NULL, 65535);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->flags, TCP_SYN | TCP_ACK);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->ack, 9001);
	tt_check_invariants(t.w);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* 12. RFC 9293 3.10.7.4: opened actively (simultaneous open): "connection
 * refused", CLOSED. */
static void test_rst_in_SYN_RECEIVED_active_refused(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, 0, TCP_SYN, NULL);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_false(c->passive);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, 0, TCP_RST, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_REFUSED);
	assert_state_change(&t, c, 1, TCP_SYN_RECEIVED, TCP_CLOSED, R_TCP_RST_REFUSED);
	assert_false(any_timer_armed(c));
	tt_free(&t);
}

/* 12. RFC 9293 3.10.7.4: in SYN-RECEIVED too, only a RST at RCV.NXT
 * counts; one elsewhere in the window gets a challenge ACK (RFC 5961). */
static void test_rst_in_SYN_RECEIVED_passive_not_RCV_NXT_challenge_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	tt_seg_to(&t, t.a, 40000, 80, 800, 0, TCP_RST, NULL, 0);
	assert_sent_one(&t, TCP_ACK, c->snd_nxt, 778);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_RST_CHALLENGE);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_non_null(c->sock.host);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 13. SYN in a synchronized state (RFC 5961 4.2, RFC 9293 3.10.7.4) */

/* 13. RFC 5961 4.2: a SYN in the window, in every synchronized state:
 * challenge ACK, drop, no state change, timers as they were. */
static void test_syn_in_each_synchronized_state_challenge_ack(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSYNC; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, synchronized_states[i]);
		uint32_t nxt = c->rcv_nxt;
		vtime rto_when = c->rto_timer.when, tw_when = c->tw_timer.when;
		bool rto_on = timer_armed(&c->rto_timer), tw_on = timer_armed(&c->tw_timer);
		t.w->q.now += 500 * VTIME_MS;	/* a restarted timer would show */
		tt_seg(&t, nxt + 10, 0, TCP_SYN, NULL);
		assert_sent_one(&t, TCP_ACK, c->snd_nxt, nxt);
		assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SYN_CHALLENGE);
		assert_int_equal(c->state, synchronized_states[i]);
		assert_int_equal(c->rcv_nxt, nxt);
		assert_int_equal(tt_count(&t, TRACE_STATE), 0);
		assert_int_equal(timer_armed(&c->rto_timer), rto_on);
		assert_int_equal(timer_armed(&c->tw_timer), tw_on);
		if (rto_on)
			assert_int_equal(c->rto_timer.when, rto_when);
		if (tw_on)
			assert_int_equal(c->tw_timer.when, tw_when);
		tt_free(&t);
	}
}

/* 13. RFC 5961 4.2: exactly at RCV.NXT, with ACK and data: the same
 * challenge ACK; the data is not taken and the ACK field not used. */
static void test_syn_ack_at_RCV_NXT_in_ESTABLISHED_challenge_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, "abc", 3);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 4, TCP_SYN | TCP_ACK, "data");
	assert_sent_one(&t, TCP_ACK, A_ISS + 4, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SYN_CHALLENGE);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(c->snd_una, A_ISS + 1);
	assert_int_equal(tcp_bytes_unread(c), 0);
	tt_free(&t);
}

/* 13. RFC 9293 3.10.7.4: a SYN outside the window is stopped by the
 * sequence check first, with the same ACK. */
static void test_syn_outside_window_in_ESTABLISHED_acked(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 200000, 0, TCP_SYN, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	tt_free(&t);
}

/* 13. RFC 9293 3.10.7.4 fourth check: SYN-RECEIVED opened passively: a
 * new SYN in the window returns the connection to LISTEN. */
static void test_syn_in_SYN_RECEIVED_passive_back_to_LISTEN(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	tt_seg_to(&t, t.a, 40000, 80, 790, 0, TCP_SYN, NULL, 65535);
	assert_sent_none(&t);
	const struct trace_event *ev = tt_state_ev(&t, 0, c->sock.num, 1);
	assert_non_null(ev);
	assert_int_equal(ev->new_state, TCP_LISTEN);
	assert_int_equal(ev->why.rule, R_TCP_SYN_BACK_TO_LISTEN);
	assert_null(c->sock.host);
	assert_int_equal(l->state, TCP_LISTEN);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* 13. RFC 9293 3.10.7.4: SYN-RECEIVED opened actively: a new SYN is
 * handled as in the synchronized states: challenge ACK. */
static void test_syn_in_SYN_RECEIVED_active_challenge_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, 0, TCP_SYN, NULL);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 30, 0, TCP_SYN, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SYN_CHALLENGE);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 14. The ACK bit off (RFC 9293 3.10.7.4 fifth check) */

static void test_no_ack_in_ESTABLISHED_dropped(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, 0, TCP_PSH, "data");
	tt_seg(&t, B_ISS + 1, 0, TCP_FIN, NULL);
	assert_sent_none(&t);
	assert_int_equal(tt_count(&t, TRACE_DISCARD), 2);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_NO_ACK);
	assert_int_equal(c->rcv_nxt, B_ISS + 1);
	assert_int_equal(tcp_bytes_unread(c), 0);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_false(c->fin_rcvd);
	tt_free(&t);
}

/* 14. RFC 9293 3.10.7.4 (fifth check) */
static void test_no_ack_in_SYN_RECEIVED_dropped(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	tt_seg_to(&t, t.a, 40000, 80, 778, 0, 0, "hello", 65535);
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_NO_ACK);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_int_equal(c->rcv_nxt, 778);
	assert_int_equal(l->naccept, 0);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* 14. RFC 9293 3.10.7.4 (fifth check) */
static void test_no_ack_in_each_synchronized_state_dropped(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSYNC; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn(&t, synchronized_states[i]);
		uint32_t nxt = c->rcv_nxt;
		tt_seg(&t, nxt, 0, TCP_FIN, "x");
		assert_sent_none(&t);
		assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_NO_ACK);
		assert_int_equal(c->state, synchronized_states[i]);
		assert_int_equal(c->rcv_nxt, nxt);
		tt_free(&t);
	}
}

/* ------------------------------------------------------------------ */
/* 15. SYN-RECEIVED, the ACK of our SYN (RFC 9293 3.10.7.4) */

/* 15. SND.UNA < SEG.ACK =< SND.NXT: ESTABLISHED with SND.WND, SND.WL1,
 * SND.WL2 from the segment, and its data delivered and acknowledged. */
static void test_ack_in_SYN_RECEIVED_establishes_with_data(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	uint32_t iss = c->iss;
	tt_seg_to(&t, t.a, 40000, 80, 778, iss + 1, TCP_ACK | TCP_PSH, "hello", 1234);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_state_change(&t, c, 1, TCP_SYN_RECEIVED, TCP_ESTABLISHED, R_TCP_SYN_RECEIVED_ACK);
	assert_int_equal(c->snd_una, iss + 1);
	assert_int_equal(c->snd_wnd, 1234);
	assert_int_equal(c->snd_wl1, 778);
	assert_int_equal(c->snd_wl2, iss + 1);
	assert_false(timer_armed(&c->rto_timer));	/* the SYN,ACK is acknowledged */
	assert_sent_one(&t, TCP_ACK, iss + 1, 783);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_DATA);
	assert_int_equal(l->naccept, 1);
	assert_ptr_equal(tcp_accept(l), c);
	char buf[16];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "hello");
	tt_check_invariants(t.w);
	sock_unref(&c->sock);
	tt_free(&t);
}

/* 15. A bad ACK (SEG.ACK = SND.UNA, or beyond SND.NXT): RST with
 * SEQ=SEG.ACK; the connection stays in SYN-RECEIVED.
 * (RFC 9293 3.10.7.4) */
static void test_bad_ack_in_SYN_RECEIVED_gets_rst(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l;
	struct tcb *c = passive_syn_received(&t, &l);
	uint32_t iss = c->iss;
	tt_seg_to(&t, t.a, 40000, 80, 778, iss, TCP_ACK, NULL, 65535);
	assert_sent_one(&t, TCP_RST, iss, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SYN_RECEIVED_BAD_ACK);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 778, iss + 2, TCP_ACK, "data", 65535);
	assert_sent_one(&t, TCP_RST, iss + 2, 0);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_int_equal(c->rcv_nxt, 778);	/* its data was not taken */
	assert_int_equal(l->naccept, 0);
	assert_true(timer_armed(&c->rto_timer));	/* the SYN,ACK is still owed an ACK */
	sock_unref(&c->sock);
	tt_free(&t);
}

/* 15. RFC 9293 3.5 Figure 7: after a simultaneous open the peer's SYN,ACK
 * repeats its SYN (SEG.SEQ = IRS) and acknowledges ours: its SYN is old,
 * its ACK gives ESTABLISHED, and nothing needs to be sent. */
static void test_syn_ack_in_SYN_RECEIVED_active_establishes(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, 0, TCP_SYN, NULL);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	tt_mark(&t);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS, A_ISS + 1, TCP_SYN | TCP_ACK, NULL, 4321);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_state_change(&t, c, 1, TCP_SYN_RECEIVED, TCP_ESTABLISHED, R_TCP_SYN_RECEIVED_ACK);
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, A_ISS + 1);
	assert_int_equal(c->rcv_nxt, B_ISS + 1);
	assert_int_equal(c->snd_wnd, 4321);
	assert_int_equal(c->snd_wl1, B_ISS + 1);
	assert_false(timer_armed(&c->rto_timer));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 16. ESTABLISHED, the ACK field (RFC 9293 3.10.7.4) */

/* 16. SEG.ACK > SND.NXT: send an ACK, drop the segment (its data too). */
static void test_ack_beyond_SND_NXT_in_ESTABLISHED_acked_and_dropped(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, "abc", 3);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 10, TCP_ACK, "xyz");
	assert_sent_one(&t, TCP_ACK, A_ISS + 4, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_ACK_UNSENT);
	assert_int_equal(c->snd_una, A_ISS + 1);
	assert_int_equal(c->rcv_nxt, B_ISS + 1);
	assert_int_equal(tcp_bytes_unread(c), 0);
	assert_true(timer_armed(&c->rto_timer));
	tt_free(&t);
}

/* 16. SEG.ACK =< SND.UNA: a duplicate, ignored; the rest of the segment
 * (its data) is still processed.
 * (RFC 9293 3.10.7.4) */
static void test_duplicate_ack_in_ESTABLISHED_ignored(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, "abcdef", 6);
	tt_seg(&t, B_ISS + 1, A_ISS + 4, TCP_ACK, NULL);
	assert_int_equal(c->snd_una, A_ISS + 4);
	vtime when = c->rto_timer.when;
	t.w->q.now += 100 * VTIME_MS;
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 4, TCP_ACK, "xy");	/* SEG.ACK = SND.UNA */
	tt_seg(&t, B_ISS + 3, A_ISS + 2, TCP_ACK, "z");	/* SEG.ACK < SND.UNA */
	assert_int_equal(c->snd_una, A_ISS + 4);
	assert_int_equal(c->rto_timer.when, when);	/* not restarted */
	assert_int_equal(c->retransmits, 0);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);	/* the data ACKs */
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_ACK, A_ISS + 7, B_ISS + 3, 0);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_ACK, A_ISS + 7, B_ISS + 4, 0);
	tt_free(&t);
}

/* 16. RFC 5961 5.2: SEG.ACK before SND.UNA - MAX.SND.WND: ACK and drop. */
static void test_ack_too_old_in_ESTABLISHED_challenge_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	c->max_snd_wnd = 100;
	tt_seg(&t, B_ISS + 1, A_ISS + 1 - 101, TCP_ACK, "data");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_ACK_TOO_OLD);
	assert_int_equal(tcp_bytes_unread(c), 0);
	tt_free(&t);
}

/* 16. The send window is taken from a segment only if it is newer:
 * SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK.
 * (RFC 9293 3.10.7.4) */
static void test_window_update_in_ESTABLISHED_follows_WL1_WL2(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_send(c, "0123456789", 10);
	/* SEG.SEQ > WL1: taken */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 3, TCP_ACK, NULL, 1000);
	assert_int_equal(c->snd_wnd, 1000);
	assert_int_equal(c->snd_wl1, B_ISS + 1);
	assert_int_equal(c->snd_wl2, A_ISS + 3);
	/* SEG.SEQ = WL1, SEG.ACK > WL2: taken */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 5, TCP_ACK, NULL, 900);
	assert_int_equal(c->snd_wnd, 900);
	assert_int_equal(c->snd_wl2, A_ISS + 5);
	/* SEG.SEQ = WL1, SEG.ACK = WL2 (a pure window update): taken */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 5, TCP_ACK, NULL, 800);
	assert_int_equal(c->snd_wnd, 800);
	/* data moves WL1 on */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 5, TCP_ACK, "abcd", 700);
	assert_int_equal(c->snd_wnd, 700);
	assert_int_equal(c->snd_wl1, B_ISS + 1);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 5, A_ISS + 5, TCP_ACK, NULL, 600);
	assert_int_equal(c->snd_wnd, 600);
	assert_int_equal(c->snd_wl1, B_ISS + 5);
	/* SEG.SEQ < WL1: an old retransmission straddling RCV.NXT: its ACK
	 * counts, its window does not */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 3, A_ISS + 7, TCP_ACK, "cdef", 5000);
	assert_int_equal(c->snd_una, A_ISS + 7);
	assert_int_equal(c->snd_wnd, 600);
	assert_int_equal(c->snd_wl1, B_ISS + 5);
	assert_int_equal(c->snd_wl2, A_ISS + 5);
	assert_int_equal(c->rcv_nxt, B_ISS + 7);	/* "ef" was new */
	/* SEG.ACK < SND.UNA (a duplicate) with a newer SEG.SEQ: not taken */
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 7, A_ISS + 6, TCP_ACK, NULL, 4000);
	assert_int_equal(c->snd_wnd, 600);
	assert_int_equal(c->snd_wl1, B_ISS + 5);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* 17. Data (RFC 9293 3.10.7.4 seventh check, 3.8.6, 3.7.1) */

/* 17. In-order data is delivered and acknowledged at once (no delayed ACK). */
static void test_data_in_order_in_ESTABLISHED_delivered_and_acked(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "hello");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 6);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_DATA);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, 0);
	assert_int_equal(c->rcv_nxt, B_ISS + 6);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 6, A_ISS + 1, TCP_ACK | TCP_PSH, " world");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 12);
	char buf[32];
	bool eof = true;
	assert_int_equal(tt_recv_str(c, buf, sizeof buf, &eof), 11);
	assert_string_equal(buf, "hello world");
	assert_false(eof);
	tt_free(&t);
}

/* 17. Out-of-order data is held, RCV.NXT acknowledged again, and all of
 * it delivered in order when the gap fills.
 * (RFC 9293 3.10.7.4, seventh check) */
static void test_data_out_of_order_in_ESTABLISHED_queued_until_gap_fills(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 6, A_ISS + 1, TCP_ACK, "world");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_DATA_OOO);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 14, A_ISS + 1, TCP_ACK, "!!");	/* a second hole */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tcp_bytes_unread(c), 0);
	assert_int_equal(c->ooo_bytes, 7);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "hello");	/* fills the first */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 11);
	assert_int_equal(c->ooo_bytes, 2);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 11, A_ISS + 1, TCP_ACK, "abc");	/* the second */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 16);
	assert_null(c->ooo);
	assert_int_equal(c->ooo_bytes, 0);
	char buf[32];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "helloworldabc!!");
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 17. A FIN held out of order takes effect when the data before it
 * arrives: CLOSE-WAIT, and the ACK covers the FIN.
 * (RFC 9293 3.10.7.4, eighth check) */
static void test_fin_out_of_order_in_ESTABLISHED_processed_when_gap_fills(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 4, A_ISS + 1, TCP_ACK | TCP_FIN, "def");
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_false(c->fin_rcvd);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abc");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 8);	/* 6 bytes and the FIN */
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	char buf[16];
	bool eof = false;
	tt_recv_str(c, buf, sizeof buf, &eof);
	assert_string_equal(buf, "abcdef");
	assert_true(eof);
	tt_free(&t);
}

/* 17. A FIN taken from the out-of-order queue ends the peer's sequence
 * space: a smaller segment held inside the one carrying the FIN (found by
 * fuzz_tcp) is let go with it, not left behind RCV.NXT.
 * (RFC 9293 3.10.7.4, eighth check) */
static void test_fin_out_of_order_drops_segments_it_covers(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 2, A_ISS + 1, TCP_ACK | TCP_FIN, "bcdefgh");	/* 2..8, FIN 9 */
	tt_seg(&t, B_ISS + 4, A_ISS + 1, TCP_ACK, "de");		/* inside it */
	assert_int_equal(c->ooo_bytes, 9);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abc");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 10);	/* 8 bytes and the FIN */
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	assert_null(c->ooo);
	assert_int_equal(c->ooo_bytes, 0);
	char buf[16];
	bool eof = false;
	tt_recv_str(c, buf, sizeof buf, &eof);
	assert_string_equal(buf, "abcdefgh");
	assert_true(eof);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 17. RFC 9293 3.10.7.4: only what is inside the window is kept, also of
 * a segment held out of order. */
static void test_data_out_of_order_beyond_window_in_ESTABLISHED_trimmed(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.rcvbuf = 10;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);	/* window [5001, 5011) */
	tt_seg(&t, B_ISS + 6, A_ISS + 1, TCP_ACK | TCP_FIN, "FGHIJKLMNO");	/* 5006..5015 */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abcde");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 11);
	assert_int_equal(c->state, TCP_ESTABLISHED);	/* the FIN was beyond the window */
	assert_int_equal(tcp_bytes_unread(c), 10);
	char buf[32];
	tt_recv_str(c, buf, sizeof buf, NULL);
	assert_string_equal(buf, "abcdeFGHIJ");
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 17. RFC 9293 3.7.1: no segment carries more than the peer's MSS. */
static void test_send_in_ESTABLISHED_segments_at_most_peer_mss(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	c->snd_mss = 536;
	uint8_t data[2000];
	memset(data, 'm', sizeof data);
	tt_send(c, data, sizeof data);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 4);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_ACK, A_ISS + 1, B_ISS + 1, 536);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_ACK, A_ISS + 537, B_ISS + 1, 536);
	assert_seg(tt_event(&t, TRACE_FRAME, 3), TCP_ACK, A_ISS + 1073, B_ISS + 1, 536);
	assert_seg(tt_event(&t, TRACE_FRAME, 4), TCP_ACK | TCP_PSH, A_ISS + 1609, B_ISS + 1, 392);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SEND_DATA);
	assert_int_equal(c->snd_nxt, A_ISS + 2001);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 17. RFC 9293 3.7.1: the peer's MSS is what its SYN announced, or 536
 * when it announced none. */
static void send_after_passive_open(uint16_t mss, uint32_t want_seg)
{
	struct tt t = tt_new();
	struct tcb *c = tt_passive_open(&t, mss);
	assert_int_equal(c->snd_mss, want_seg);
	tt_mark(&t);
	/* Within the initial congestion window even at 536 bytes a segment
	 * (RFC 5681 3.1: four of them, 2144 bytes), so all of it goes now. */
	uint8_t data[2100];
	memset(data, 'q', sizeof data);
	tt_send(c, data, sizeof data);
	uint32_t seq = A_ISS + 1, left = sizeof data;
	for (int n = 1; left; n++) {
		const struct trace_event *e = tt_event(&t, TRACE_FRAME, n);
		uint32_t len = left < want_seg ? left : want_seg;
		assert_seg(e, len == left ? TCP_ACK | TCP_PSH : TCP_ACK, seq, 778, len);
		seq += len;
		left -= len;
	}
	tt_free(&t);
}

/* RFC 9293 3.10.7.4, sixth step: "If the URG bit is set, RCV.UP <-
 * max(RCV.UP,SEG.UP)", in sequence space: it works the same whatever
 * the IRS, here one where 0 is "ahead" of RCV.NXT. */
static void test_urg_in_ESTABLISHED_rcv_up_moves_up_whatever_the_irs(void **state)
{
	(void)state;
	const uint32_t irs[] = {B_ISS, 3000000000u, 0xfffffffeu};
	for (int i = 0; i < 3; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_conn_at(&t, TCP_ESTABLISHED, A_ISS, irs[i]);
		struct pkt p;
		pkt_init(&p);
		pkt_push(&p, &proto_eth, NULL);
		pkt_push(&p, &proto_ipv4, NULL);
		struct layer *l = pkt_push(&p, &proto_tcp, NULL);
		p.layer[1].h.ip.src = t.b->ip;
		p.layer[1].h.ip.dst = t.a->ip;
		p.layer[1].given |= 1u << IP_F_SRC | 1u << IP_F_DST;
		memcpy(p.layer[0].h.eth.src, t.b->mac, 6);
		memcpy(p.layer[0].h.eth.dst, t.a->mac, 6);
		p.layer[0].given |= 1u << ETH_F_SRC | 1u << ETH_F_DST;
		l->h.tcp = (struct tcp_hdr){.sport = B_PORT, .dport = A_PORT, .seq = irs[i] + 1, .ack = A_ISS + 1,
					    .flags = TCP_ACK | TCP_URG, .win = 65535, .urp = 3};
		l->given |= 1u << TCP_F_SPORT | 1u << TCP_F_DPORT | 1u << TCP_F_SEQ | 1u << TCP_F_ACK |
			    1u << TCP_F_FLAGS | 1u << TCP_F_WIN | 1u << TCP_F_URP;
		pkt_set_payload(&p, (const uint8_t *)"hello", 5, NULL);
		const struct buf *f = pkt_frame(&p);
		host_input(t.a, buf_data(f), f->len);
		pkt_free(&p);
		assert_int_equal(c->rcv_nxt, irs[i] + 6);
		assert_int_equal(c->rcv_up, irs[i] + 4);
		tt_free(&t);
	}
}

/* RFC 9293 3.7.1 (MUST-16): a small MSS is taken as announced, never
 * replaced by the 536 of a SYN without one; below 48 bytes it is raised
 * to 48 (Linux's tcp_min_snd_mss). */
static void test_syn_with_small_mss_in_LISTEN_taken_down_to_48(void **state)
{
	(void)state;
	const uint16_t announced[] = {63, 48, 47, 1};
	const uint16_t want[] = {63, 48, 48, 48};
	for (int i = 0; i < 4; i++) {
		struct tt t = tt_new();
		struct tcb *c = tt_passive_open(&t, announced[i]);
		assert_int_equal(c->snd_mss, want[i]);
		assert_int_equal(c->rcv_up, 778);	/* RCV.NXT: no urgent data yet */
		tt_mark(&t);
		tt_send(c, (const uint8_t *)"0123456789012345678901234567890123456789012345678901234567890123456789", 70);
		assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, want[i]);
		tt_free(&t);
	}
}

/* 17. RFC 9293 3.7.1 */
static void test_syn_with_mss_1000_in_LISTEN_segments_at_most_1000(void **state)
{
	(void)state;
	send_after_passive_open(1000, 1000);
}

/* 17. RFC 9293 3.7.1 */
static void test_syn_without_mss_in_LISTEN_segments_at_most_536(void **state)
{
	(void)state;
	send_after_passive_open(0, 536);
}

/* 17. RFC 9293 3.7.1, 3.10.7.3 */
static void test_syn_ack_with_mss_in_SYN_SENT_sets_peer_mss(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg_mss(&t, t.a, B_PORT, A_PORT, B_ISS, A_ISS + 1, TCP_SYN | TCP_ACK, NULL, 65535, 700);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(c->snd_mss, 700);
	tt_mark(&t);
	uint8_t data[1000];
	memset(data, 'r', sizeof data);
	tt_send(c, data, sizeof data);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, 700);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 2)->len, 300);
	tt_free(&t);
}

/* 17. RFC 9293 3.8.6: never more in flight than the peer's window; an
 * ACK that slides the window lets the next segments go. What is left of
 * the window after two segments (80 bytes) is a silly window: it waits
 * (3.8.6.2.1, tested on its own below). */
static void test_send_in_ESTABLISHED_never_beyond_peer_window(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL, 3000);
	assert_int_equal(c->snd_wnd, 3000);
	uint8_t data[10000];
	memset(data, 'w', sizeof data);
	tt_send(c, data, sizeof data);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 2);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_ACK, A_ISS + 1, B_ISS + 1, 1460);
	assert_seg(tt_event(&t, TRACE_FRAME, 2), TCP_ACK, A_ISS + 1461, B_ISS + 1, 1460);
	assert_true(c->sws_held);
	/* the first segment acknowledged, the window still 3000 */
	tt_mark(&t);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1461, TCP_ACK, NULL, 3000);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	assert_seg(tt_event(&t, TRACE_FRAME, 1), TCP_ACK, A_ISS + 2921, B_ISS + 1, 1460);
	assert_true(c->snd_nxt - c->snd_una <= 3000);
	/* everything acknowledged, the window closed: nothing goes, the
	 * persist timer waits to probe */
	tt_mark(&t);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 4381, TCP_ACK, NULL, 0);
	assert_sent_none(&t);
	assert_int_equal(c->snd_una, c->snd_nxt);
	assert_false(timer_armed(&c->rto_timer));
	assert_true(timer_armed(&c->persist_timer));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 9293 3.8.6.2.1 (MUST-38), the sender's SWS avoidance: with 10000
 * bytes queued, a usable window of 100 (the peer once offered 65535) is
 * not used at once; with nothing in flight to bring an ACK, the override
 * timeout (200 ms, in the RFC's 0.1-1 s) sends the 100 bytes. */
static void test_small_window_in_ESTABLISHED_sws_waits_then_override_sends(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_isolate(&t);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL, 100);
	uint8_t data[10000];
	memset(data, 'w', sizeof data);
	tt_send(c, data, sizeof data);
	assert_sent_none(&t);
	assert_true(c->sws_held);
	struct trace_view tv;
	trace_view_init(&tv, t.w, (struct view_opts){0}, true);
	struct sbuf sb = SBUF_INIT;
	view_tcb(&tv, c, &sb);
	assert_non_null(strstr(sbuf_str(&sb), "10000 not sent); the usable window is too small to use yet"));
	sbuf_free(&sb);
	trace_view_free(&tv);
	assert_true(timer_armed(&c->persist_timer));
	assert_int_equal(c->persist_timer.when - t.w->q.now, 200 * VTIME_MS);
	tt_wait(t.w, 199 * VTIME_MS);
	assert_sent_none(&t);
	tt_wait(t.w, 1 * VTIME_MS);
	const struct trace_event *tm = tt_event(&t, TRACE_TIMER, 1);
	assert_non_null(tm);
	assert_int_equal(tm->why.rule, R_TCP_SWS_OVERRIDE_TIMER);
	assert_int_equal(tt_count_from(&t, 0), 1);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_ACK, A_ISS + 1, B_ISS + 1, 100);
	assert_false(timer_armed(&c->persist_timer));	/* the RTO waits for its ACK now */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* When a segment shorter than the MSS goes at once: (2) it is all that
 * is queued; (3) it is at least half of the largest window the peer
 * offered (its buffer is that small). */
static void test_small_window_in_ESTABLISHED_sws_lets_whole_data_and_half_buffer_go(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg_to(&t, t.a, B_PORT, A_PORT, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL, 100);
	tt_send(c, (const uint8_t *)"all of it", 9);	/* (2) */
	assert_sent_one(&t, TCP_ACK | TCP_PSH, A_ISS + 1, B_ISS + 1);
	tt_mark(&t);
	c->max_snd_wnd = 150;	/* (3): a peer whose buffer is 150 bytes */
	uint8_t data[1000];
	memset(data, 'w', sizeof data);
	tt_send(c, data, sizeof data);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 1);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->len, 91);	/* 100 less the 9 in flight */
	assert_false(c->sws_held);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 5961 7 (and Errata ID 4772): the ACKs owed for unacceptable
 * segments are throttled to one per connection every 0.5 s; the next
 * unacceptable segment in that time is dropped without one. */
static void test_unacceptable_acks_throttled_to_one_per_half_second(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS - 10, A_ISS + 1, TCP_ACK, "old");	/* wholly before RCV.NXT */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_UNACCEPTABLE);
	tt_mark(&t);
	tt_wait(t.w, 499 * VTIME_MS);
	tt_seg(&t, B_ISS - 10, A_ISS + 1, TCP_ACK, "old");
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_ACK_THROTTLED);
	assert_int_equal(tt_event(&t, TRACE_DISCARD, 1)->why.v[0], 499);
	tt_mark(&t);
	tt_wait(t.w, 1 * VTIME_MS);	/* 0.5 s after the ACK */
	tt_seg(&t, B_ISS - 10, A_ISS + 1, TCP_ACK, "old");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* RFC 5961 7: the ACK for an ACK of data never sent (3.10.7.4, fifth
 * check) is throttled the same way; an acceptable segment is not. */
static void test_ack_of_unsent_data_throttled_acceptable_not(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 50, TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_ACK_UNSENT);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 50, TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_ACK_THROTTLED);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "data");	/* in order: ACKed at once */
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 5);
	assert_int_equal(tcp_bytes_unread(c), 4);
	tt_free(&t);
}

/* Two ends that disagree about sequence numbers (a believes it received
 * 1000 bytes b never sent, as after an old duplicate was accepted) would
 * answer each other's ACKs forever; throttled, the exchange dies out. */
static void test_ack_storm_between_two_stacks_dies_out(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	ca->rcv_nxt += 1000;
	tt_mark(&t);
	tt_send(ca, "x", 1);
	tt_run(t.w);	/* would not return (nor pass its assertion) if the ACKs never stopped */
	assert_true(tt_count(&t, TRACE_FRAME) < 20);
	assert_true(tt_count(&t, TRACE_DISCARD) >= 1);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_ACK_THROTTLED);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unacceptable_acks_throttled_to_one_per_half_second),
		cmocka_unit_test(test_ack_of_unsent_data_throttled_acceptable_not),
		cmocka_unit_test(test_ack_storm_between_two_stacks_dies_out),
		cmocka_unit_test(test_seq_check_ESTABLISHED_empty_seg_zero_window),
		cmocka_unit_test(test_seq_check_ESTABLISHED_empty_seg_open_window),
		cmocka_unit_test(test_seq_check_ESTABLISHED_data_zero_window_ack_still_processed),
		cmocka_unit_test(test_seq_check_ESTABLISHED_rst_zero_window_processed),
		cmocka_unit_test(test_seq_check_ESTABLISHED_data_open_window),
		cmocka_unit_test(test_seq_check_ESTABLISHED_window_wraps_past_2_32),
		cmocka_unit_test(test_seq_check_unacceptable_in_each_state_acked),
		cmocka_unit_test(test_rst_outside_window_in_ESTABLISHED_dropped_silently),
		cmocka_unit_test(test_rst_outside_window_in_each_state_dropped_silently),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_ESTABLISHED_connection_reset),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_FIN_WAIT_1_connection_reset),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_FIN_WAIT_2_connection_reset),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_CLOSE_WAIT_connection_reset),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_CLOSING_closed),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_LAST_ACK_closed),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_TIME_WAIT_closed),
		cmocka_unit_test(test_rst_at_RCV_NXT_in_ESTABLISHED_flushes_queues),
		cmocka_unit_test(test_rst_in_window_not_RCV_NXT_in_each_state_challenge_ack),
		cmocka_unit_test(test_rst_in_SYN_RECEIVED_passive_back_to_LISTEN),
		cmocka_unit_test(test_rst_in_SYN_RECEIVED_active_refused),
		cmocka_unit_test(test_rst_in_SYN_RECEIVED_passive_not_RCV_NXT_challenge_ack),
		cmocka_unit_test(test_syn_in_each_synchronized_state_challenge_ack),
		cmocka_unit_test(test_syn_ack_at_RCV_NXT_in_ESTABLISHED_challenge_ack),
		cmocka_unit_test(test_syn_outside_window_in_ESTABLISHED_acked),
		cmocka_unit_test(test_syn_in_SYN_RECEIVED_passive_back_to_LISTEN),
		cmocka_unit_test(test_syn_in_SYN_RECEIVED_active_challenge_ack),
		cmocka_unit_test(test_no_ack_in_ESTABLISHED_dropped),
		cmocka_unit_test(test_no_ack_in_SYN_RECEIVED_dropped),
		cmocka_unit_test(test_no_ack_in_each_synchronized_state_dropped),
		cmocka_unit_test(test_ack_in_SYN_RECEIVED_establishes_with_data),
		cmocka_unit_test(test_bad_ack_in_SYN_RECEIVED_gets_rst),
		cmocka_unit_test(test_syn_ack_in_SYN_RECEIVED_active_establishes),
		cmocka_unit_test(test_ack_beyond_SND_NXT_in_ESTABLISHED_acked_and_dropped),
		cmocka_unit_test(test_duplicate_ack_in_ESTABLISHED_ignored),
		cmocka_unit_test(test_ack_too_old_in_ESTABLISHED_challenge_ack),
		cmocka_unit_test(test_window_update_in_ESTABLISHED_follows_WL1_WL2),
		cmocka_unit_test(test_data_in_order_in_ESTABLISHED_delivered_and_acked),
		cmocka_unit_test(test_data_out_of_order_in_ESTABLISHED_queued_until_gap_fills),
		cmocka_unit_test(test_fin_out_of_order_in_ESTABLISHED_processed_when_gap_fills),
		cmocka_unit_test(test_fin_out_of_order_drops_segments_it_covers),
		cmocka_unit_test(test_data_out_of_order_beyond_window_in_ESTABLISHED_trimmed),
		cmocka_unit_test(test_send_in_ESTABLISHED_segments_at_most_peer_mss),
		cmocka_unit_test(test_syn_with_mss_1000_in_LISTEN_segments_at_most_1000),
		cmocka_unit_test(test_syn_with_small_mss_in_LISTEN_taken_down_to_48),
		cmocka_unit_test(test_urg_in_ESTABLISHED_rcv_up_moves_up_whatever_the_irs),
		cmocka_unit_test(test_syn_without_mss_in_LISTEN_segments_at_most_536),
		cmocka_unit_test(test_syn_ack_with_mss_in_SYN_SENT_sets_peer_mss),
		cmocka_unit_test(test_send_in_ESTABLISHED_never_beyond_peer_window),
		cmocka_unit_test(test_small_window_in_ESTABLISHED_sws_waits_then_override_sends),
		cmocka_unit_test(test_small_window_in_ESTABLISHED_sws_lets_whole_data_and_half_buffer_go),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
