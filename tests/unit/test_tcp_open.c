/* TCP-CHECKLIST items 1 to 9: segments arriving for no connection, in
 * LISTEN and in SYN-SENT (RFC 9293 3.10.7.1 to 3.10.7.3). */
#include "tcptest.h"

/* 1. CLOSED, a SYN to a port nobody listens on: RST,ACK with SEQ=0 and
 * ACK=SEG.SEQ+SEG.LEN, the SYN counting one. */
static void test_syn_in_CLOSED_gets_rst_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_seg_to(&t, t.a, 40000, 81, 777, 0, TCP_SYN, NULL, 65535);
	assert_sent_one(&t, TCP_RST | TCP_ACK, 0, 778);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_CLOSED_RST_ACK);
	tt_free(&t);
}

static void test_data_and_fin_in_CLOSED_ack_counts_all(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_seg_to(&t, t.a, 40000, 81, 100, 0, TCP_FIN, "abc", 65535);
	assert_sent_one(&t, TCP_RST | TCP_ACK, 0, 104);	/* 3 bytes + FIN */
	tt_free(&t);
}

/* 2. CLOSED, a segment with ACK: RST with SEQ=SEG.ACK; never answer a RST. */
static void test_ack_in_CLOSED_gets_rst_seq_seg_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_seg_to(&t, t.a, 40000, 81, 100, 4242, TCP_ACK, "x", 65535);
	assert_sent_one(&t, TCP_RST, 4242, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_CLOSED_RST);
	tt_free(&t);
}

static void test_rst_in_CLOSED_is_never_answered(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_seg_to(&t, t.a, 40000, 81, 100, 4242, TCP_RST | TCP_ACK, NULL, 0);
	tt_seg_to(&t, t.a, 40000, 81, 100, 0, TCP_RST, NULL, 0);
	assert_sent_none(&t);
	assert_int_equal(tt_count(&t, TRACE_DISCARD), 2);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_CLOSED_GOT_RST);
	tt_free(&t);
}

/* 3. LISTEN: RST ignored; anything with ACK gets RST SEQ=SEG.ACK and the
 * listener stays; neither SYN, ACK nor RST: dropped. */
static void test_rst_in_LISTEN_ignored(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.a, 80, NULL);
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 1, 0, TCP_RST, NULL, 0);
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_LISTEN_RST);
	assert_int_equal(l->state, TCP_LISTEN);
	tt_free(&t);
}

static void test_syn_ack_in_LISTEN_gets_rst_and_listener_stays(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.a, 80, NULL);
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 1, 9999, TCP_SYN | TCP_ACK, NULL, 65535);
	assert_sent_one(&t, TCP_RST, 9999, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_LISTEN_ACK);
	assert_int_equal(l->state, TCP_LISTEN);
	assert_int_equal(t.a->nsocks, 1);	/* no new connection */
	tt_free(&t);
}

static void test_fin_alone_in_LISTEN_dropped(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tcp_listen(t.a, 80, NULL);
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 1, 0, TCP_FIN, NULL, 65535);
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_LISTEN_OTHER);
	tt_free(&t);
}

/* 4. LISTEN, SYN: IRS=SEG.SEQ, RCV.NXT=SEG.SEQ+1, SYN,ACK with SEQ=ISS and
 * ACK=RCV.NXT, SND.UNA=ISS, SND.NXT=ISS+1, a new socket in SYN-RECEIVED
 * remembered as passive, and the listener stays. */
static void test_syn_in_LISTEN_makes_syn_received(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.a, 80, NULL);
	t.a->isn_fixed = true;
	t.a->isn_next = 300;
	tt_mark(&t);
	tt_seg_to(&t, t.a, 40000, 80, 777, 0, TCP_SYN, NULL, 65535);
	assert_sent_one(&t, TCP_SYN | TCP_ACK, 300, 778);
	struct tcb *c = (struct tcb *)t.a->last;
	assert_ptr_not_equal(c, l);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_true(c->passive);
	assert_int_equal(c->irs, 777);
	assert_int_equal(c->rcv_nxt, 778);
	assert_int_equal(c->snd_una, 300);
	assert_int_equal(c->snd_nxt, 301);
	assert_int_equal(l->state, TCP_LISTEN);
	assert_true(timer_armed(&c->rto_timer));
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 5. SYN-SENT, an ACK outside ISS < SEG.ACK <= SND.NXT: RST SEQ=SEG.ACK,
 * drop, stay. */
static void test_bad_ack_in_SYN_SENT_gets_rst(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, A_ISS, TCP_SYN | TCP_ACK, NULL);	/* SEG.ACK = ISS: too old */
	assert_sent_one(&t, TCP_RST, A_ISS, 0);
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_mark(&t);
	tt_seg(&t, B_ISS, A_ISS + 2, TCP_ACK, NULL);	/* beyond SND.NXT */
	assert_sent_one(&t, TCP_RST, A_ISS + 2, 0);
	assert_int_equal(tt_rule(&t, TRACE_FRAME, 1), R_TCP_SYN_SENT_BAD_ACK);
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_free(&t);
}

/* 6. SYN-SENT, RST with an acceptable ACK: refused, CLOSED; without: dropped. */
static void test_rst_in_SYN_SENT_good_ack_refused(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, 0, A_ISS + 1, TCP_RST | TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_CLOSED);
	assert_int_equal(c->error, TCP_ERR_REFUSED);
	assert_false(timer_armed(&c->rto_timer));
	tt_free(&t);
}

static void test_rst_in_SYN_SENT_bad_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, 0, A_ISS + 5, TCP_RST | TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_seg(&t, 0, 0, TCP_RST, NULL);	/* no ACK at all */
	assert_sent_none(&t);
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_free(&t);
}

/* 7. SYN-SENT, SYN,ACK acknowledging our SYN: RCV.NXT=SEG.SEQ+1,
 * SND.UNA=SEG.ACK, the SYN leaves the queue, ESTABLISHED, ACK sent. */
static void test_syn_ack_in_SYN_SENT_establishes(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, A_ISS + 1, TCP_SYN | TCP_ACK, NULL);
	assert_sent_one(&t, TCP_ACK, A_ISS + 1, B_ISS + 1);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	assert_int_equal(c->rcv_nxt, B_ISS + 1);
	assert_int_equal(c->snd_una, A_ISS + 1);
	assert_false(timer_armed(&c->rto_timer));	/* nothing awaits an ACK */
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 8. SYN-SENT, a bare SYN (simultaneous open): SYN-RECEIVED, SYN,ACK with
 * our ISS; then the peer's SYN,ACK gives ESTABLISHED. */
static void test_syn_in_SYN_SENT_simultaneous_open(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS, 0, TCP_SYN, NULL);
	assert_sent_one(&t, TCP_SYN | TCP_ACK, A_ISS, B_ISS + 1);
	assert_int_equal(c->state, TCP_SYN_RECEIVED);
	assert_false(c->passive);
	tt_mark(&t);
	tt_seg(&t, B_ISS, A_ISS + 1, TCP_SYN | TCP_ACK, NULL);	/* its SYN,ACK: a SYN again, old */
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_ACK, NULL);
	assert_int_equal(c->state, TCP_ESTABLISHED);
	tt_check_invariants(t.w);
	tt_free(&t);
}

/* 9. SYN-SENT, neither SYN nor RST: dropped; a FIN is never processed. */
static void test_fin_in_SYN_SENT_dropped(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *c = tt_conn(&t, TCP_SYN_SENT);
	tt_seg(&t, B_ISS + 1, A_ISS + 1, TCP_FIN | TCP_ACK, NULL);
	assert_sent_none(&t);
	assert_int_equal(tt_rule(&t, TRACE_DISCARD, 1), R_TCP_SYN_SENT_OTHER);
	assert_int_equal(c->state, TCP_SYN_SENT);
	assert_false(c->fin_rcvd);
	tt_free(&t);
}

/* RFC 6056 3.2: an ephemeral port is one whose four-tuple is free. After
 * the counter wraps, ports still in use to that peer (TIME-WAIT too) and
 * ports a listener holds are passed over; another peer may share them. */
static void test_connect_ephemeral_port_skips_ports_in_use(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct err e;
	struct tcb *c1 = tcp_connect(t.a, t.b->ip, 80, 0, &e);
	struct tcb *c2 = tcp_connect(t.a, t.b->ip, 80, 0, &e);
	assert_int_equal(c1->lport, 49152);
	assert_int_equal(c2->lport, 49153);
	tcp_force_state(c2, TCP_TIME_WAIT);
	assert_non_null(tcp_listen(t.a, 49154, &e));
	t.a->next_port = 49152;	/* as after 16384 connections */
	struct tcb *c3 = tcp_connect(t.a, t.b->ip, 80, 0, &e);
	assert_non_null(c3);
	assert_int_equal(c3->lport, 49155);
	t.a->next_port = 49152;
	struct tcb *c4 = tcp_connect(t.a, t.b->ip, 81, 0, &e);	/* another peer port: free */
	assert_non_null(c4);
	assert_int_equal(c4->lport, 49152);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_in_CLOSED_gets_rst_ack),
		cmocka_unit_test(test_data_and_fin_in_CLOSED_ack_counts_all),
		cmocka_unit_test(test_ack_in_CLOSED_gets_rst_seq_seg_ack),
		cmocka_unit_test(test_rst_in_CLOSED_is_never_answered),
		cmocka_unit_test(test_rst_in_LISTEN_ignored),
		cmocka_unit_test(test_syn_ack_in_LISTEN_gets_rst_and_listener_stays),
		cmocka_unit_test(test_fin_alone_in_LISTEN_dropped),
		cmocka_unit_test(test_syn_in_LISTEN_makes_syn_received),
		cmocka_unit_test(test_bad_ack_in_SYN_SENT_gets_rst),
		cmocka_unit_test(test_rst_in_SYN_SENT_good_ack_refused),
		cmocka_unit_test(test_rst_in_SYN_SENT_bad_ack),
		cmocka_unit_test(test_syn_ack_in_SYN_SENT_establishes),
		cmocka_unit_test(test_syn_in_SYN_SENT_simultaneous_open),
		cmocka_unit_test(test_fin_in_SYN_SENT_dropped),
		cmocka_unit_test(test_connect_ephemeral_port_skips_ports_in_use),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
