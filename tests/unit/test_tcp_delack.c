/* Delayed ACK (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2): off by default; with
 * `set delack MS` an ACK waits up to MS for a segment to ride on, every
 * second segment is acknowledged at once, and a FIN may carry the ACK of
 * the peer's FIN (a close in three segments). */
#include "tcptest.h"

static void test_data_in_ESTABLISHED_acked_at_once_by_default(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "abc");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 4);
	tt_free(&t);
}

static void test_data_in_ESTABLISHED_with_delack_ack_waits_then_goes(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK | TCP_PSH, "abc");
	assert_sent_none(&t);
	assert_true(timer_armed(&c->delack_timer));
	tt_check_invariants(t.w);
	tt_wait(t.w, 199 * VTIME_MS);
	assert_sent_none(&t);
	tt_wait(t.w, 2 * VTIME_MS);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 4);
	assert_int_equal(tt_rule(&t, TRACE_TIMER, 1), R_TCP_DELACK_TIMER);
	assert_false(timer_armed(&c->delack_timer));
	tt_free(&t);
}

static void test_second_segment_in_ESTABLISHED_with_delack_acked_at_once(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abc");
	tt_seg(&t, B_ISS + 4, A_ISS + 1, TCP_ACK, "def");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 7);
	assert_false(timer_armed(&c->delack_timer));
	tt_free(&t);
}

static void test_data_sent_in_ESTABLISHED_carries_the_delayed_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "question?");
	assert_sent_none(&t);
	assert_int_equal(tcp_send(c, (const uint8_t *)"answer", 6, NULL), 0);
	assert_sent_one(&t, TCP_ACK | TCP_PSH, A_ISS + 1, B_ISS + 10);
	assert_false(timer_armed(&c->delack_timer));
	tt_free(&t);
}

/* RFC 5681 4.2: out-of-order data is acknowledged at once (a duplicate
 * ACK), and so is the segment that fills the hole: the sender is in
 * recovery and waits for that ACK. Neither waits for the timer. */
static void test_segment_filling_a_gap_in_ESTABLISHED_with_delack_acked_at_once(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 4, A_ISS + 1, TCP_ACK, "def");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	tt_mark(&t);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, "abc");
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 7);
	assert_int_equal(tt_frame_from(&t, 0, 1)->why.rule, R_TCP_DATA_FILLS_GAP);
	assert_false(timer_armed(&c->delack_timer));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* The FIN's ACK waits; the application closes in the meantime; one
 * segment carries both: FIN,ACK. */
static void test_close_in_CLOSE_WAIT_with_delack_fin_carries_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *c = tt_conn(&t, TCP_ESTABLISHED);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_CLOSE_WAIT);
	assert_sent_none(&t);
	assert_int_equal(tcp_close(c, NULL), 0);
	assert_int_equal(c->state, TCP_LAST_ACK);
	assert_sent_one(&t, TCP_FIN | TCP_ACK, A_ISS + 1, B_ISS + 2);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* Two stacks: a close in three segments instead of four. */
static void test_scenario_close_in_three_segments_with_delack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.w->set.delack = 200 * VTIME_MS;
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_run(t.w);
	struct tcb *s = tcp_accept(l);
	tt_mark(&t);
	tcp_close(c, NULL);
	tt_run(t.w);	/* the FIN arrives; b's ACK waits */
	assert_int_equal(s->state, TCP_CLOSE_WAIT);
	tcp_close(s, NULL);
	tt_run(t.w);
	assert_int_equal(tt_count(&t, TRACE_FRAME), 3);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->flags, TCP_FIN | TCP_ACK);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 2)->flags, TCP_FIN | TCP_ACK);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 3)->flags, TCP_ACK);
	assert_int_equal(c->state, TCP_TIME_WAIT);
	assert_int_equal(s->state, TCP_CLOSED);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_in_ESTABLISHED_acked_at_once_by_default),
		cmocka_unit_test(test_data_in_ESTABLISHED_with_delack_ack_waits_then_goes),
		cmocka_unit_test(test_second_segment_in_ESTABLISHED_with_delack_acked_at_once),
		cmocka_unit_test(test_data_sent_in_ESTABLISHED_carries_the_delayed_ack),
		cmocka_unit_test(test_segment_filling_a_gap_in_ESTABLISHED_with_delack_acked_at_once),
		cmocka_unit_test(test_close_in_CLOSE_WAIT_with_delack_fin_carries_ack),
		cmocka_unit_test(test_scenario_close_in_three_segments_with_delack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
