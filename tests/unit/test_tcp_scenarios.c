/* Two stacks talking through the link, played out event by event with
 * tt_run/tt_wait (the TCB invariants are checked after every event): the
 * figures of RFC 9293 3.5, 3.5.1 and 3.6 (TCP-CHECKLIST items 8, 18, 19,
 * 20, 27), segments lost on the link and recovered by retransmission
 * (items 30, 23, 25), a bulk transfer with random loss (item 17), and
 * sequence numbers wrapping past 2^32 during a transfer (item 33). */
#include "tcptest.h"

#define S VTIME_S
#define MS VTIME_MS

/* The n-th new state change of any connection of host h. */
static const struct trace_event *host_state(const struct tt *t, int h, int n)
{
	for (uint64_t i = t->mark + 1; i <= trace_last(&t->w->trace); i++) {
		const struct trace_event *e = trace_get(&t->w->trace, i);
		if (e && e->kind == TRACE_STATE && e->host == h && --n == 0)
			return e;
	}
	return NULL;
}

static void assert_states(const struct tcb *c, const uint8_t *want, int n)
{
	assert_int_equal(c->nstates, n);
	for (int i = 0; i < n; i++)
		if (c->states[i] != want[i])
			fail_msg("%s: state %d is %s, expected %s", c->sock.id, i, tcp_state_names[c->states[i]],
				 tcp_state_names[want[i]]);
}

/* a's connection was forgotten without a word to b (a crash): its RST is
 * lost on the link. */
static void crash(struct tt *t, struct tcb *c)
{
	tt_rule_add(t, RULE_DROP, 0, TCP_RST, 1, 0);
	tcp_abort(c);
	tt_run(t->w);
}

/* ------------------------------------------------------------------ */
/* RFC 9293 figures */

/* Item 8, RFC 9293 3.5 Figure 7: both sides connect to each other at the
 * same time with fixed ports; the SYNs cross, each answers SYN,ACK, and
 * each SYN,ACK gives ESTABLISHED.
 * (8. RFC 9293 3.5 Figure 7) */
static void test_scenario_fig7_simultaneous_open(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.a->isn_fixed = true;
	t.a->isn_next = 100;
	t.b->isn_fixed = true;
	t.b->isn_next = 300;
	struct tcb *ca = tcp_connect(t.a, t.b->ip, 5000, 6000, NULL);
	struct tcb *cb = tcp_connect(t.b, t.a->ip, 6000, 5000, NULL);
	assert_non_null(ca);
	assert_non_null(cb);
	tt_run(t.w);
	static const uint8_t want[] = {TCP_CLOSED, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED};
	assert_states(ca, want, 4);
	assert_states(cb, want, 4);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 4);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_SYN, 100, 0, 0);
	assert_seg(tt_frame_from(&t, 0, 2), TCP_SYN | TCP_ACK, 100, 301, 0);
	assert_seg(tt_frame_from(&t, 1, 1), TCP_SYN, 300, 0, 0);
	assert_seg(tt_frame_from(&t, 1, 2), TCP_SYN | TCP_ACK, 300, 101, 0);
	assert_int_equal(ca->snd_una, 101);
	assert_int_equal(ca->rcv_nxt, 301);
	assert_int_equal(cb->snd_una, 301);
	assert_int_equal(cb->rcv_nxt, 101);
	assert_false(timer_armed(&ca->rto_timer));
	assert_false(timer_armed(&cb->rto_timer));
	/* and it carries data */
	tt_send(ca, "ping", 4);
	tt_run(t.w);
	char buf[8];
	tt_recv_str(cb, buf, sizeof buf, NULL);
	assert_string_equal(buf, "ping");
	tt_free(&t);
}

/* Item 18, RFC 9293 3.5 Figure 8: an old duplicate SYN (SEQ 90) reaches
 * the listener before the real one (SEQ 100, delayed on the link). The
 * listener answers SYN,ACK acking 91; the client, in SYN-SENT with ISS
 * 100, resets it with SEQ=SEG.ACK=91; the half-open socket goes back to
 * LISTEN; the real SYN then completes the handshake. */
static void test_scenario_fig8_old_duplicate_syn(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	t.a->isn_fixed = true;
	t.a->isn_next = 100;
	t.b->isn_fixed = true;
	t.b->isn_next = 300;
	tt_mark(&t);
	tt_rule_add(&t, RULE_DELAY, 0, TCP_SYN, 1, 100 * MS);
	struct tcb *ca = tcp_connect(t.a, t.b->ip, 80, 49152, NULL);
	/* the old duplicate, delivered to b at once */
	tt_seg_to(&t, t.b, 49152, 80, 90, 0, TCP_SYN, NULL, 65535);
	tt_run(t.w);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 5);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_SYN, 100, 0, 0);	/* the real one, delayed */
	assert_int_equal(tt_frame_from(&t, 0, 1)->delayed, 100 * MS);
	assert_seg(tt_frame_from(&t, 1, 1), TCP_SYN | TCP_ACK, 300, 91, 0);
	const struct trace_event *rst = tt_frame_from(&t, 0, 2);
	assert_seg(rst, TCP_RST, 91, 0, 0);
	assert_int_equal(rst->why.rule, R_TCP_SYN_SENT_BAD_ACK);
	assert_int_equal(rst->t, 10 * MS);
	const struct trace_event *synack = tt_frame_from(&t, 1, 2);
	assert_seg(synack, TCP_SYN | TCP_ACK, synack->seq, 101, 0);
	assert_int_equal(synack->t, 110 * MS);
	assert_seg(tt_frame_from(&t, 0, 3), TCP_ACK, 101, synack->seq + 1, 0);
	/* b: the half-open socket went back to LISTEN; a new one completed */
	const struct trace_event *e1 = host_state(&t, 1, 1), *e2 = host_state(&t, 1, 2);
	const struct trace_event *e3 = host_state(&t, 1, 3), *e4 = host_state(&t, 1, 4);
	assert_int_equal(e1->new_state, TCP_SYN_RECEIVED);
	assert_int_equal(e2->conn, e1->conn);
	assert_int_equal(e2->old_state, TCP_SYN_RECEIVED);
	assert_int_equal(e2->new_state, TCP_LISTEN);
	assert_int_equal(e2->why.rule, R_TCP_RST_BACK_TO_LISTEN);
	assert_int_equal(e2->t, 20 * MS);
	assert_int_not_equal(e3->conn, e1->conn);
	assert_int_equal(e3->new_state, TCP_SYN_RECEIVED);
	assert_int_equal(e4->new_state, TCP_ESTABLISHED);
	assert_null(host_state(&t, 1, 5));
	/* a never left SYN-SENT until the real SYN,ACK */
	static const uint8_t want[] = {TCP_CLOSED, TCP_SYN_SENT, TCP_ESTABLISHED};
	assert_states(ca, want, 3);
	struct tcb *cb = tcp_accept(l);
	assert_non_null(cb);
	assert_int_equal(cb->irs, 100);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	assert_null(tcp_accept(l));
	assert_int_equal(l->state, TCP_LISTEN);
	tt_free(&t);
}

/* Item 18, the other case: the old SYN's SYN,ACK reaches a host with no
 * such connection: RST with SEQ=SEG.ACK from CLOSED, and the listener's
 * half-open socket goes back to LISTEN.
 * (18. RFC 9293 3.5 Figure 8, 3.10.7.1) */
static void test_scenario_fig8_old_syn_client_has_no_connection(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	tt_mark(&t);
	tt_seg_to(&t, t.b, 49152, 80, 90, 0, TCP_SYN, NULL, 65535);
	tt_run(t.w);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 2);
	assert_int_equal(tt_frame_from(&t, 1, 1)->ack, 91);
	const struct trace_event *rst = tt_frame_from(&t, 0, 1);
	assert_seg(rst, TCP_RST, 91, 0, 0);
	assert_int_equal(rst->why.rule, R_TCP_CLOSED_RST);
	assert_int_equal(host_state(&t, 1, 2)->new_state, TCP_LISTEN);
	assert_int_equal(t.b->nsocks, 1);
	assert_int_equal(l->naccept, 0);
	tt_free(&t);
}

/* Item 19, RFC 9293 3.5.1 Figure 9: a crashed (its TCB is gone and b was
 * not told) and reconnects from the same port with an ISS outside b's
 * window: b, ESTABLISHED, answers the SYN with an ACK; a, in SYN-SENT,
 * resets with SEQ=that ACK; b aborts; a's retried SYN succeeds. */
static void half_open(bool syn_in_window)
{
	struct tt t = tt_new();
	t.a->isn_fixed = true;
	t.a->isn_next = 100;
	struct tcb *ca, *cb, *l;
	tt_pair(&t, 80, 49152, &ca, &cb, &l);
	tt_send(cb, "data", 4);	/* b sent 4 bytes: its SND.NXT moved on */
	tt_run(t.w);
	crash(&t, ca);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	uint32_t b_nxt = cb->snd_nxt, b_rcv = cb->rcv_nxt;
	assert_int_equal(b_rcv, 101);
	t.w->q.now += 5 * S;
	t.a->isn_fixed = true;
	t.a->isn_next = syn_in_window ? 400 : 400000;
	tt_mark(&t);
	struct tcb *c2 = tcp_connect(t.a, t.b->ip, 80, 49152, NULL);
	assert_non_null(c2);
	tt_run(t.w);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_SYN, t.a->isn_next, 0, 0);
	const struct trace_event *ack = tt_frame_from(&t, 1, 1);
	assert_seg(ack, TCP_ACK, b_nxt, b_rcv, 0);
	assert_int_equal(ack->why.rule, syn_in_window ? R_TCP_SYN_CHALLENGE : R_TCP_UNACCEPTABLE);
	const struct trace_event *rst = tt_frame_from(&t, 0, 2);
	assert_seg(rst, TCP_RST, b_rcv, 0, 0);
	assert_int_equal(rst->why.rule, R_TCP_SYN_SENT_BAD_ACK);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_int_equal(cb->error, TCP_ERR_RESET);
	assert_int_equal(c2->state, TCP_SYN_SENT);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 3);
	/* the retried SYN, 1 s later, finds the listener */
	tt_wait(t.w, 1 * S);
	tt_run(t.w);
	const struct trace_event *syn2 = tt_frame_from(&t, 0, 3);
	assert_seg(syn2, TCP_SYN, t.a->isn_next, 0, 0);
	assert_true(syn2->retrans);
	assert_int_equal(c2->state, TCP_ESTABLISHED);
	struct tcb *cb2 = tcp_accept(l);
	assert_non_null(cb2);
	assert_int_equal(cb2->state, TCP_ESTABLISHED);
	assert_int_equal(cb2->rport, 49152);
	tt_send(c2, "again", 5);
	tt_run(t.w);
	char buf[8];
	tt_recv_str(cb2, buf, sizeof buf, NULL);
	assert_string_equal(buf, "again");
	tt_free(&t);
}

/* 19. RFC 9293 3.5.1 Figure 9, 3.10.7.4 (first check) */
static void test_scenario_fig9_half_open_syn_outside_window(void **state)
{
	(void)state;
	half_open(false);
}

/* 19. RFC 9293 3.5.1 Figure 9, RFC 5961 4.2 */
static void test_scenario_fig9_half_open_syn_in_window_challenge_ack(void **state)
{
	(void)state;
	half_open(true);
}

/* Item 20, RFC 9293 3.5.1 Figure 10: b sends data on a connection a no
 * longer has: a answers RST with SEQ=SEG.ACK; b aborts ("connection
 * reset") and nothing is delivered. */
static void test_scenario_fig10_data_for_forgotten_connection(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	crash(&t, ca);
	uint32_t b_rcv = cb->rcv_nxt;
	tt_mark(&t);
	tt_send(cb, "hello?", 6);
	tt_run(t.w);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 2);
	assert_seg(tt_frame_from(&t, 1, 1), TCP_PSH | TCP_ACK, cb->iss + 1, b_rcv, 6);
	const struct trace_event *rst = tt_frame_from(&t, 0, 1);
	assert_seg(rst, TCP_RST, b_rcv, 0, 0);
	assert_int_equal(rst->why.rule, R_TCP_CLOSED_RST);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_int_equal(cb->error, TCP_ERR_RESET);
	assert_state_change(&t, cb, 1, TCP_ESTABLISHED, TCP_CLOSED, R_TCP_RST_RESET);
	assert_int_equal(tcp_bytes_unread(ca), 0);
	tt_free(&t);
}

/* Item 27, RFC 9293 3.6 Figure 13: both close at once: both FIN-WAIT-1,
 * the FINs cross, both CLOSING, the ACKs cross, both TIME-WAIT, and both
 * CLOSED 2 MSL later. */
static void test_scenario_fig13_simultaneous_close(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	uint32_t a_nxt = ca->snd_nxt, b_nxt = cb->snd_nxt;
	tt_mark(&t);
	tcp_close(ca, NULL);
	tcp_close(cb, NULL);
	tt_run(t.w);
	static const uint8_t want[] = {TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_CLOSING, TCP_TIME_WAIT};
	assert_int_equal(tt_state_count(&t, 0, ca->sock.num), 3);
	assert_int_equal(tt_state_count(&t, 1, cb->sock.num), 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(tt_state_ev(&t, 0, ca->sock.num, i + 1)->new_state, want[i + 1]);
		assert_int_equal(tt_state_ev(&t, 1, cb->sock.num, i + 1)->new_state, want[i + 1]);
	}
	assert_int_equal(tt_count_from(&t, LINK_ANY), 4);
	assert_seg(tt_frame_from(&t, 0, 1), TCP_FIN | TCP_ACK, a_nxt, b_nxt, 0);
	assert_seg(tt_frame_from(&t, 1, 1), TCP_FIN | TCP_ACK, b_nxt, a_nxt, 0);
	assert_seg(tt_frame_from(&t, 0, 2), TCP_ACK, a_nxt + 1, b_nxt + 1, 0);
	assert_seg(tt_frame_from(&t, 1, 2), TCP_ACK, b_nxt + 1, a_nxt + 1, 0);
	tt_wait(t.w, 60 * S - 1);	/* TIME-WAIT began when the ACKs arrived, just now */
	assert_int_equal(ca->state, TCP_TIME_WAIT);
	assert_int_equal(cb->state, TCP_TIME_WAIT);
	tt_wait(t.w, 1);
	assert_int_equal(ca->state, TCP_CLOSED);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_int_equal(ca->error, TCP_OK);
	assert_int_equal(cb->error, TCP_OK);
	tt_free(&t);
}

/* Items 13 and 11 together (the policy at the top of the checklist): b
 * closed first and is in TIME-WAIT when a reconnects from the same port.
 * The SYN gets a challenge ACK, a (SYN-SENT) resets with SEQ=SEG.ACK, the
 * RST at RCV.NXT closes TIME-WAIT (RFC 9293, not RFC 1337), and a's
 * retried SYN reaches b's listener. */
static void test_scenario_reconnect_to_peer_in_TIME_WAIT(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb, *l;
	tt_pair(&t, 80, 49152, &ca, &cb, &l);
	tcp_close(cb, NULL);
	tt_run(t.w);
	tcp_close(ca, NULL);
	tt_run(t.w);
	assert_int_equal(cb->state, TCP_TIME_WAIT);
	assert_int_equal(ca->state, TCP_CLOSED);
	uint32_t b_rcv = cb->rcv_nxt;
	t.w->q.now += 10 * S;
	tt_mark(&t);
	struct tcb *c2 = tcp_connect(t.a, t.b->ip, 80, 49152, NULL);
	assert_non_null(c2);
	tt_run(t.w);
	const struct trace_event *ack = tt_frame_from(&t, 1, 1);
	assert_seg(ack, TCP_ACK, cb->snd_nxt, b_rcv, 0);
	assert_true(ack->why.rule == R_TCP_SYN_CHALLENGE || ack->why.rule == R_TCP_UNACCEPTABLE);
	assert_seg(tt_frame_from(&t, 0, 2), TCP_RST, b_rcv, 0, 0);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_state_change(&t, cb, 1, TCP_TIME_WAIT, TCP_CLOSED, R_TCP_RST_CLOSE);
	assert_int_equal(cb->error, TCP_OK);
	tt_wait(t.w, 1 * S);
	tt_run(t.w);
	assert_int_equal(c2->state, TCP_ESTABLISHED);
	assert_non_null(tcp_accept(l));
	tt_free(&t);
}

/* Items 21 to 25, RFC 9293 3.6 Figure 12: the usual close: a closes, b
 * reads to end-of-file, sends what it still has, and closes. */
static void test_scenario_fig12_normal_close_with_half_close(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	tcp_close(ca, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_FIN_WAIT_2);
	assert_int_equal(cb->state, TCP_CLOSE_WAIT);
	char buf[16];
	bool eof = false;
	assert_int_equal(tt_recv_str(cb, buf, sizeof buf, &eof), 0);
	assert_true(eof);
	tt_send(cb, "reply", 5);	/* half-close: b still sends */
	tt_run(t.w);
	assert_int_equal(tt_recv_str(ca, buf, sizeof buf, &eof), 5);
	assert_string_equal(buf, "reply");
	assert_false(eof);
	tcp_close(cb, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_TIME_WAIT);
	assert_int_equal(cb->state, TCP_CLOSED);
	tt_recv_str(ca, buf, sizeof buf, &eof);
	assert_true(eof);
	static const uint8_t wa[] = {TCP_CLOSED, TCP_SYN_SENT, TCP_ESTABLISHED, TCP_FIN_WAIT_1, TCP_FIN_WAIT_2,
				     TCP_TIME_WAIT};
	assert_states(ca, wa, 6);
	tt_wait(t.w, 60 * S);
	assert_int_equal(ca->state, TCP_CLOSED);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* Lost segments (link drop rules), recovered by the RTO (items 30, 25) */

/* The SYN is lost: resent at 1 s; the handshake completes then, and the
 * RTO is 3 s for the data (RFC 6298 5.7).
 * (30. RFC 6298 5.4-5.7) */
static void test_scenario_lost_syn_retransmitted(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	tt_rule_add(&t, RULE_DROP, 0, TCP_SYN, 1, 0);
	tt_mark(&t);
	struct tcb *ca = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_SYN_SENT);
	assert_true(tt_frame_from(&t, 0, 1)->dropped);
	assert_int_equal(l->naccept, 0);
	tt_wait(t.w, 1 * S + 30 * MS);
	const struct trace_event *syn = tt_frame_from(&t, 0, 2);
	assert_seg(syn, TCP_SYN, ca->iss, 0, 0);
	assert_true(syn->retrans);
	assert_int_equal(syn->t, 1 * S);
	assert_int_equal(ca->state, TCP_ESTABLISHED);
	struct tcb *cb = tcp_accept(l);
	assert_non_null(cb);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	assert_int_equal(ca->rto, 3 * S);
	assert_int_equal(tt_count_from(&t, LINK_ANY), 4);
	tt_free(&t);
}

/* The SYN,ACK is lost: the listener resends it when its RTO expires; the
 * client's own SYN retransmission meanwhile gets only an ACK.
 * (30. RFC 6298 5.4, RFC 9293 3.10.7.4) */
static void test_scenario_lost_syn_ack_retransmitted(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	tt_rule_add(&t, RULE_DROP, 1, TCP_SYN | TCP_ACK, 1, 0);
	tt_mark(&t);
	struct tcb *ca = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_SYN_SENT);
	assert_true(tt_frame_from(&t, 1, 1)->dropped);
	tt_wait(t.w, 2 * S);
	assert_int_equal(ca->state, TCP_ESTABLISHED);
	struct tcb *cb = tcp_accept(l);
	assert_non_null(cb);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	bool resent = false;
	for (int n = 2; tt_frame_from(&t, 1, n); n++) {
		const struct trace_event *e = tt_frame_from(&t, 1, n);
		if (e->flags == (TCP_SYN | TCP_ACK) && e->retrans && !e->dropped) {
			resent = true;
			assert_int_equal(e->t, 1 * S + 10 * MS);	/* 1 s after the first */
			assert_seg(e, TCP_SYN | TCP_ACK, cb->iss, ca->iss + 1, 0);
		}
	}
	assert_true(resent);
	assert_int_equal(ca->snd_una, ca->snd_nxt);
	assert_int_equal(cb->snd_una, cb->snd_nxt);
	tt_free(&t);
}

/* The handshake's last ACK is lost: b stays in SYN-RECEIVED and resends
 * its SYN,ACK; a, ESTABLISHED, answers it (unacceptable: old) with an ACK,
 * which completes b's handshake.
 * (30. RFC 6298 5.4, RFC 9293 3.10.7.4, first check) */
static void test_scenario_lost_handshake_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *l = tcp_listen(t.b, 80, NULL);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 1, 0);
	tt_mark(&t);
	struct tcb *ca = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_ESTABLISHED);
	assert_null(tcp_accept(l));
	tt_wait(t.w, 1100 * MS);
	struct tcb *cb = tcp_accept(l);
	assert_non_null(cb);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	const struct trace_event *re = tt_frame_from(&t, 1, 2);
	assert_seg(re, TCP_SYN | TCP_ACK, cb->iss, ca->iss + 1, 0);
	assert_true(re->retrans);
	const struct trace_event *ack = tt_frame_from(&t, 0, 3);
	assert_seg(ack, TCP_ACK, ca->iss + 1, cb->iss + 1, 0);
	assert_int_equal(ack->why.rule, R_TCP_UNACCEPTABLE);
	tt_free(&t);
}

/* A data segment is lost: resent at RTO expiry, then delivered.
 * (30. RFC 6298 5.4) */
static void test_scenario_lost_data_retransmitted(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	uint32_t nxt = ca->snd_nxt;
	tt_rule_add(&t, RULE_DROP, 0, TCP_PSH | TCP_ACK, 1, 0);
	tt_mark(&t);
	vtime t0 = t.w->q.now;
	tt_send(ca, "precious", 8);
	tt_run(t.w);
	assert_int_equal(tcp_bytes_unread(cb), 0);
	tt_wait(t.w, 1 * S + 20 * MS);
	const struct trace_event *re = tt_frame_from(&t, 0, 2);
	assert_seg(re, TCP_PSH | TCP_ACK, nxt, cb->snd_nxt, 8);
	assert_true(re->retrans);
	assert_int_equal(re->t, t0 + 1 * S);
	char buf[16];
	tt_recv_str(cb, buf, sizeof buf, NULL);
	assert_string_equal(buf, "precious");
	assert_int_equal(ca->snd_una, nxt + 8);
	assert_false(timer_armed(&ca->rto_timer));
	tt_free(&t);
}

/* The middle one of three segments is lost: the receiver holds the third
 * and ACKs the gap; the RTO resends the oldest unacknowledged segment and
 * the next ACK covers all three.
 * (17, 30. RFC 6298 5.4, RFC 9293 3.10.7.4) */
static void test_scenario_lost_middle_segment(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	uint32_t nxt = ca->snd_nxt;
	enum { N = 3000 };
	static uint8_t out[N], in[N];
	for (int i = 0; i < N; i++)
		out[i] = tt_pattern((uint64_t)i + 7);
	/* drop a's second data segment: pass one, drop the next */
	tt_mark(&t);
	tt_send(ca, out, 1460);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 1, 0);
	tt_send(ca, out + 1460, N - 1460);
	assert_int_equal(tt_count_from(&t, 0), 3);
	assert_true(tt_frame_from(&t, 0, 2)->dropped);
	tt_run(t.w);
	assert_int_equal(cb->rcv_nxt, nxt + 1460);
	assert_int_equal(cb->ooo_bytes, 80);
	tt_wait(t.w, 1100 * MS);
	const struct trace_event *re = tt_frame_from(&t, 0, 4);
	assert_seg(re, TCP_ACK, nxt + 1460, cb->snd_nxt, 1460);
	assert_true(re->retrans);
	assert_int_equal(ca->snd_una, nxt + N);
	bool eof;
	assert_int_equal(tcp_recv(cb, in, N, &eof), N);
	assert_memory_equal(in, out, N);
	tt_free(&t);
}

/* The FIN is lost: resent at RTO expiry; b then reaches CLOSE-WAIT and a
 * FIN-WAIT-2.
 * (23, 30. RFC 6298 5.4, RFC 9293 3.6) */
static void test_scenario_lost_fin_retransmitted(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	tt_rule_add(&t, RULE_DROP, 0, TCP_FIN | TCP_ACK, 1, 0);
	tt_mark(&t);
	tcp_close(ca, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_FIN_WAIT_1);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	tt_wait(t.w, 1100 * MS);
	const struct trace_event *re = tt_frame_from(&t, 0, 2);
	assert_seg(re, TCP_FIN | TCP_ACK, ca->fin_seq, cb->snd_nxt, 0);
	assert_true(re->retrans);
	assert_int_equal(ca->state, TCP_FIN_WAIT_2);
	assert_int_equal(cb->state, TCP_CLOSE_WAIT);
	tt_free(&t);
}

/* The last ACK is lost: b, in LAST-ACK, resends its FIN; a, in TIME-WAIT,
 * ACKs it again and restarts 2 MSL; b closes, and a 2 MSL after that.
 * (25, 30. RFC 9293 3.6.1, RFC 6298 5.4) */
static void test_scenario_lost_last_ack(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct tcb *ca, *cb;
	tt_pair(&t, 80, 0, &ca, &cb, NULL);
	tcp_close(ca, NULL);
	tt_run(t.w);
	tt_rule_add(&t, RULE_DROP, 0, TCP_ACK, 1, 0);
	tt_mark(&t);
	tcp_close(cb, NULL);
	tt_run(t.w);
	assert_int_equal(ca->state, TCP_TIME_WAIT);
	assert_int_equal(cb->state, TCP_LAST_ACK);
	assert_true(tt_frame_from(&t, 0, 1)->dropped);
	vtime fin_at = tt_frame_from(&t, 1, 1)->t;
	tt_wait(t.w, 1100 * MS);
	const struct trace_event *re = tt_frame_from(&t, 1, 2);
	assert_seg(re, TCP_FIN | TCP_ACK, cb->fin_seq, ca->snd_nxt, 0);
	assert_true(re->retrans);
	assert_int_equal(re->t, fin_at + 1 * S);
	const struct trace_event *ack = tt_frame_from(&t, 0, 2);
	assert_seg(ack, TCP_ACK, ca->snd_nxt, cb->fin_seq + 1, 0);
	assert_int_equal(ack->why.rule, R_TCP_TIME_WAIT_FIN);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_int_equal(cb->error, TCP_OK);
	assert_int_equal(ca->tw_timer.when, ack->t + 60 * S);
	tt_wait(t.w, ack->t + 60 * S - t.w->q.now - 1);
	assert_int_equal(ca->state, TCP_TIME_WAIT);
	tt_wait(t.w, 1);
	assert_int_equal(ca->state, TCP_CLOSED);
	tt_free(&t);
}

/* ------------------------------------------------------------------ */
/* Bulk transfers (items 17, 33) */

struct reader {
	struct tcb *c;
	uint64_t got, want, base;
	bool eof;
};

/* After every event: read what arrived and check it against the pattern. */
static bool read_some(void *ctx)
{
	struct reader *r = ctx;
	uint8_t buf[8192];
	size_t n;
	bool eof = false;
	while ((n = tcp_recv(r->c, buf, sizeof buf, &eof)) > 0) {
		for (size_t i = 0; i < n; i++)
			if (buf[i] != tt_pattern(r->base + r->got + i))
				fail_msg("%s: byte %llu is %u, expected %u", r->c->sock.id,
					 (unsigned long long)(r->got + i), buf[i], tt_pattern(r->base + r->got + i));
		r->got += n;
		assert_true(r->got <= r->want);
	}
	r->eof = eof;
	return false;
}

struct two_readers {
	struct reader *r[2];
};

static bool read_both(void *ctx)
{
	struct two_readers *rr = ctx;
	for (int i = 0; i < 2; i++)
		if (rr->r[i])
			read_some(rr->r[i]);
	return false;
}

static uint8_t *pattern(uint64_t base, size_t n)
{
	uint8_t *p = malloc(n);
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = tt_pattern(base + i);
	return p;
}

/* Sends n bytes from a to b and m from b to a with random loss, both
 * sides reading as data arrives, then closes both; every byte must come
 * in order, and both sockets end CLOSED without error. */
static void transfer(struct tt *t, size_t n, size_t m, uint32_t loss_ppm)
{
	struct tcb *ca, *cb;
	tt_pair(t, 80, 0, &ca, &cb, NULL);
	t->w->link.loss_ppm = loss_ppm;
	struct reader rb = {cb, 0, n, 1000, false}, ra = {ca, 0, m, 5000000, false};
	struct two_readers rr = {{&rb, &ra}};
	uint8_t *pn = pattern(rb.base, n), *pm = pattern(ra.base, m);
	tt_send(ca, pn, n);
	if (m)
		tt_send(cb, pm, m);
	free(pn);
	free(pm);
	for (int i = 0; i < 3600 && (rb.got < n || ra.got < m); i++)
		tt_wait_each(t->w, 1 * S, read_both, &rr);
	assert_int_equal(rb.got, n);
	assert_int_equal(ra.got, m);
	assert_int_equal(ca->state, TCP_ESTABLISHED);
	assert_int_equal(cb->state, TCP_ESTABLISHED);
	tcp_close(ca, NULL);
	tcp_close(cb, NULL);
	for (int i = 0; i < 3600 && (ca->state != TCP_CLOSED || cb->state != TCP_CLOSED); i++)
		tt_wait_each(t->w, 1 * S, read_both, &rr);
	assert_int_equal(ca->state, TCP_CLOSED);
	assert_int_equal(cb->state, TCP_CLOSED);
	assert_int_equal(ca->error, TCP_OK);
	assert_int_equal(cb->error, TCP_OK);
	assert_true(rb.eof);
	assert_true(ra.eof);
}

/* 1 MB from a to b over a link losing 1% of frames (seeded): every byte
 * delivered in order; the losses were repaired by retransmission; no
 * segment larger than the MSS, none beyond the window.
 * (17, 30. RFC 9293 3.8, 3.10.7.4, RFC 6298) */
static void test_scenario_bulk_1mb_with_random_loss(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tt_mark(&t);
	transfer(&t, 1 << 20, 0, 10000);
	int lost = 0, retrans = 0, data = 0;
	for (uint64_t i = t.mark + 1; i <= trace_last(&t.w->trace); i++) {
		const struct trace_event *e = trace_get(&t.w->trace, i);
		if (!e || e->kind != TRACE_FRAME || e->proto != TP_TCP)
			continue;
		assert_true(e->len <= 1460);
		if (e->host == 0 && e->len)
			data++;
		if (e->dropped && e->drop_cause == DROP_LOSS)
			lost++;
		if (e->retrans)
			retrans++;
	}
	assert_true(data >= (1 << 20) / 1460);
	assert_true(lost > 0);
	assert_true(retrans > 0);
	tt_free(&t);
}

/* Both directions at once, with loss, and sequence numbers wrapping past
 * 2^32 on both sides during the transfer (ISNs fixed just below it).
 * (33. RFC 9293 3.4) */
static void test_scenario_transfer_seq_wraps_past_2_32(void **state)
{
	(void)state;
	struct tt t = tt_new();
	t.a->isn_fixed = true;
	t.a->isn_next = 0xfffe0000u;
	t.b->isn_fixed = true;
	t.b->isn_next = 0xffffff00u;
	tt_mark(&t);
	transfer(&t, 300000, 100000, 10000);
	bool before = false, after = false;
	for (int n = 1; tt_frame_from(&t, 0, n); n++) {
		const struct trace_event *e = tt_frame_from(&t, 0, n);
		if (e->len && e->seq >= 0xfffe0000u)
			before = true;
		if (e->len && e->seq < 0x00100000u)
			after = true;
	}
	assert_true(before);
	assert_true(after);
	tt_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_fig7_simultaneous_open),
		cmocka_unit_test(test_scenario_fig8_old_duplicate_syn),
		cmocka_unit_test(test_scenario_fig8_old_syn_client_has_no_connection),
		cmocka_unit_test(test_scenario_fig9_half_open_syn_outside_window),
		cmocka_unit_test(test_scenario_fig9_half_open_syn_in_window_challenge_ack),
		cmocka_unit_test(test_scenario_fig10_data_for_forgotten_connection),
		cmocka_unit_test(test_scenario_fig13_simultaneous_close),
		cmocka_unit_test(test_scenario_fig12_normal_close_with_half_close),
		cmocka_unit_test(test_scenario_reconnect_to_peer_in_TIME_WAIT),
		cmocka_unit_test(test_scenario_lost_syn_retransmitted),
		cmocka_unit_test(test_scenario_lost_syn_ack_retransmitted),
		cmocka_unit_test(test_scenario_lost_handshake_ack),
		cmocka_unit_test(test_scenario_lost_data_retransmitted),
		cmocka_unit_test(test_scenario_lost_middle_segment),
		cmocka_unit_test(test_scenario_lost_fin_retransmitted),
		cmocka_unit_test(test_scenario_lost_last_ack),
		cmocka_unit_test(test_scenario_bulk_1mb_with_random_loss),
		cmocka_unit_test(test_scenario_transfer_seq_wraps_past_2_32),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
