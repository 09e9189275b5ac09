/* The world as a value: deterministic, clonable, and the link's faults. */
#include "tcptest.h"

#include "stack/icmp.h"
#include "stack/udp.h"

/* Two worlds are the same when their traces are: every event, every byte. */
static void assert_same_trace(const struct world *x, const struct world *y)
{
	assert_int_equal(trace_first(&x->trace), trace_first(&y->trace));
	assert_int_equal(trace_last(&x->trace), trace_last(&y->trace));
	for (uint64_t n = trace_first(&x->trace); n && n <= trace_last(&x->trace); n++) {
		const struct trace_event *a = trace_get(&x->trace, n), *b = trace_get(&y->trace, n);
		assert_int_equal(a->kind, b->kind);
		assert_int_equal(a->t, b->t);
		assert_int_equal(a->host, b->host);
		assert_int_equal(a->seq, b->seq);
		assert_int_equal(a->ack, b->ack);
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(a->why.rule, b->why.rule);
		assert_int_equal(a->frame_len, b->frame_len);
		if (a->frame_len)
			assert_memory_equal(a->frame, b->frame, a->frame_len);
	}
}

/* Opens a connection a -> b:80, sends data both ways, closes. */
static void script(struct world *w, int from_step)
{
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	if (from_step <= 0) {
		tcp_listen(b, 80, NULL);
		tcp_connect(a, b->ip, 80, 0, NULL);
	}
	if (from_step <= 1)
		world_run(w, 0);
	struct tcb *c = (struct tcb *)host_find_sock(a, 1);
	struct tcb *s = (struct tcb *)host_find_sock(b, 2);
	if (from_step <= 2) {
		uint8_t data[5000];
		for (size_t i = 0; i < sizeof data; i++)
			data[i] = (uint8_t)i;
		tcp_send(c, data, sizeof data, NULL);
		tcp_send(s, data, 100, NULL);
		world_step(w);
		world_step(w);
	}
	if (from_step <= 3) {
		world_run(w, 0);
		tcp_close(c, NULL);
		tcp_close(s, NULL);
		world_run(w, 0);
		world_wait(w, 70 * VTIME_S);
	}
}

static void test_same_seed_same_bytes(void **state)
{
	(void)state;
	struct world *x = world_new(7), *y = world_new(7);
	script(x, 0);
	script(y, 0);
	assert_same_trace(x, y);
	world_free(x);
	world_free(y);
}

static void test_other_seed_other_isn(void **state)
{
	(void)state;
	struct world *x = world_new(7), *y = world_new(8);
	script(x, 0);
	script(y, 0);
	struct tcb *cx = (struct tcb *)host_find_sock(&x->hosts[0], 1);
	struct tcb *cy = (struct tcb *)host_find_sock(&y->hosts[0], 1);
	assert_int_not_equal(cx->iss, cy->iss);
	world_free(x);
	world_free(y);
}

/* A clone made mid-transfer goes on exactly as the original does. */
static void test_clone_mid_transfer_continues_identically(void **state)
{
	(void)state;
	struct world *x = world_new(3);
	script(x, 0);	/* runs to the end: a reference */
	struct world *y = world_new(3);
	struct host *a = &y->hosts[0], *b = &y->hosts[1];
	tcp_listen(b, 80, NULL);
	tcp_connect(a, b->ip, 80, 0, NULL);
	world_run(y, 0);
	struct tcb *c = (struct tcb *)host_find_sock(a, 1);
	struct tcb *s = (struct tcb *)host_find_sock(b, 2);
	uint8_t data[5000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (uint8_t)i;
	tcp_send(c, data, sizeof data, NULL);
	tcp_send(s, data, 100, NULL);
	world_step(y);
	world_step(y);
	struct world *z = world_clone(y);	/* frames in flight, timers armed */
	assert_non_null(z);
	assert_int_equal(world_inflight(z), world_inflight(y));
	world_free(y);	/* the clone owns nothing of the original */
	script(z, 3);
	assert_same_trace(x, z);
	world_free(x);
	world_free(z);
}

/* A clone of a world with a listener, a half-open connection and ARP
 * waiting: both go on the same way. */
static void test_clone_during_arp_and_handshake(void **state)
{
	(void)state;
	struct world *x = world_new(5);
	tcp_listen(&x->hosts[1], 80, NULL);
	tcp_connect(&x->hosts[0], x->hosts[1].ip, 80, 0, NULL);	/* ARP request in flight */
	struct world *y = world_clone(x);
	world_run(x, 0);
	world_run(y, 0);
	assert_same_trace(x, y);
	world_wait(x, 1000 * VTIME_S);
	world_wait(y, 1000 * VTIME_S);
	assert_same_trace(x, y);
	world_free(x);
	world_free(y);
}

/* A drop rule matches by direction and exact flag set, and has a count. */
static void test_drop_rule_matches_exact_flags_and_direction(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct link_rule r = {.kind = RULE_DROP, .from = 1, .to = 0, .match_flags = true,
			      .flags = TCP_SYN | TCP_ACK, .count = 1};
	assert_int_equal(link_add_rule(&t.w->link, &r), 0);
	tcp_listen(t.b, 80, NULL);
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	tt_run(t.w);
	const struct trace_event *e = tt_event(&t, TRACE_FRAME, 2);	/* b's SYN,ACK */
	assert_int_equal(e->flags, TCP_SYN | TCP_ACK);
	assert_true(e->dropped);
	assert_int_equal(e->drop_cause, DROP_RULE);
	assert_int_equal(t.w->link.nrules, 0);	/* used up */
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_wait(t.w, 2 * VTIME_S);	/* retransmissions */
	assert_int_equal(c->state, TCP_ESTABLISHED);
	tt_free(&t);
}

static void test_delay_rule_holds_frame_longer(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct link_rule r = {.kind = RULE_DELAY, .from = LINK_ANY, .to = LINK_ANY, .count = 1,
			      .delay = 500 * VTIME_MS};
	link_add_rule(&t.w->link, &r);
	tcp_listen(t.b, 80, NULL);
	tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	const struct trace_event *e = tt_event(&t, TRACE_FRAME, 1);
	assert_int_equal(e->arrived - e->t, 510 * VTIME_MS);
	tt_run(t.w);
	tt_free(&t);
}

static void test_dup_rule_delivers_twice(void **state)
{
	(void)state;
	struct tt t = tt_new();
	struct link_rule r = {.kind = RULE_DUP, .from = 0, .to = 1, .match_flags = true, .flags = TCP_SYN,
			      .count = 1};
	link_add_rule(&t.w->link, &r);
	tcp_listen(t.b, 80, NULL);
	tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	assert_int_equal(world_inflight(t.w), 2);
	tt_run(t.w);
	assert_true(tt_event(&t, TRACE_FRAME, 2)->dup);
	tt_free(&t);
}

static void test_drop_inflight_by_number(void **state)
{
	(void)state;
	struct tt t = tt_new();
	tcp_listen(t.b, 80, NULL);
	struct tcb *c = tcp_connect(t.a, t.b->ip, 80, 0, NULL);
	assert_int_equal(world_inflight(t.w), 1);
	assert_int_equal(world_drop_inflight(t.w, 0), 0);
	assert_int_equal(world_drop_inflight(t.w, 0), -1);
	assert_true(tt_event(&t, TRACE_FRAME, 1)->dropped);
	assert_int_equal(tt_event(&t, TRACE_FRAME, 1)->arrived, -1);
	tt_run(t.w);
	assert_int_equal(c->state, TCP_SYN_SENT);
	tt_free(&t);
}

static void test_random_loss_is_seeded(void **state)
{
	(void)state;
	int dropped[2] = {0, 0};
	for (int k = 0; k < 2; k++) {
		struct world *w = world_new(11);
		tt_prime_arp(w);
		w->link.loss_ppm = 300000;
		for (int i = 0; i < 50; i++) {
			struct err e;
			icmp_ping(&w->hosts[0], w->hosts[1].ip, &e);
			world_run(w, 0);
		}
		for (uint64_t n = 1; n <= trace_last(&w->trace); n++)
			dropped[k] += trace_get(&w->trace, n)->dropped;
		world_free(w);
	}
	assert_int_equal(dropped[0], dropped[1]);
	assert_true(dropped[0] > 10 && dropped[0] < 60);	/* about 30% of 100 frames */
}

/* The trace is bounded twice: it keeps the last `max` events, and the
 * bytes of the most recent frames within frame_budget; older frames keep
 * their summary but lose their bytes, oldest first. */
static void test_trace_keeps_last_events_and_recent_frame_bytes(void **state)
{
	(void)state;
	struct trace tr;
	trace_init(&tr, 100);
	tr.frame_budget = 1000;
	uint8_t frame[300] = {0};
	struct trace_event ev = {0};
	ev.kind = TRACE_FRAME;
	for (int i = 0; i < 250; i++)
		trace_push(&tr, &ev, frame, sizeof frame);
	assert_int_equal(trace_first(&tr), 151);
	assert_int_equal(trace_last(&tr), 250);
	assert_true(tr.frame_bytes <= 1000);
	assert_int_equal(tr.frame_bytes, 900);	/* the last three */
	for (uint64_t n = 151; n <= 250; n++)
		assert_true((trace_get(&tr, n)->frame != NULL) == (n >= 248));
	struct trace copy;
	trace_copy(&copy, &tr);
	assert_int_equal(copy.frame_bytes, 900);
	trace_push(&copy, &ev, frame, sizeof frame);
	assert_null(trace_get(&copy, 248)->frame);
	assert_non_null(trace_get(&copy, 251)->frame);
	trace_free(&copy);
	trace_clear(&tr);
	assert_int_equal(tr.frame_bytes, 0);
	trace_free(&tr);
}

/* A host starts every frame from the same fresh layers (ipv4_begin keeps
 * a copy per protocol): a frame carries nothing of the one before it,
 * whether that was of the same protocol or another, and is what it would
 * have been alone. */
static void test_frames_start_fresh_after_any_other(void **state)
{
	(void)state;
	struct world *w = world_new(1);
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	const uint8_t hi[] = "hi";
	assert_non_null(tcp_listen(b, 80, NULL));
	assert_int_equal(udp_send(a, 5000, b->ip, 9, hi, 2, NULL), 0);
	world_run(w, 0);
	assert_int_equal(udp_send(a, 6000, b->ip, 7, hi, 1, NULL), 0);
	world_run(w, 0);
	assert_non_null(tcp_connect(a, b->ip, 80, 0, NULL));	/* SYN, then the handshake's ACK */
	world_run(w, 0);
	assert_int_equal(icmp_ping(a, b->ip, NULL), 0);
	world_run(w, 0);
	assert_int_equal(udp_send(a, 5000, b->ip, 9, hi, 2, NULL), 0);
	world_run(w, 0);
	const struct proto_def *want[] = {&proto_udp, &proto_udp, &proto_tcp, &proto_tcp, &proto_icmp, &proto_udp};
	enum { N = sizeof want / sizeof want[0] };
	struct pkt p[N];
	int k = 0;
	for (uint64_t n = trace_first(&w->trace); n <= trace_last(&w->trace); n++) {
		const struct trace_event *e = trace_get(&w->trace, n);
		if (e->kind != TRACE_FRAME || e->host != 0 || e->proto == TP_ARP)
			continue;
		assert_true(k < N);
		pkt_init(&p[k]);
		pkt_decode(&p[k], e->frame, e->frame_len);
		assert_int_equal(p[k].n, 3);
		assert_ptr_equal(p[k].layer[2].def, want[k]);
		assert_int_equal(p[k].layer[1].h.ip.ttl, 64);
		assert_int_equal(p[k].layer[1].csum_status, CSUM_GOOD);
		assert_int_equal(p[k].layer[2].csum_status, CSUM_GOOD);
		k++;
	}
	assert_int_equal(k, N);
	/* A datagram straight after another: its own ports and data. */
	assert_int_equal(p[1].layer[2].h.udp.sport, 6000);
	assert_int_equal(p[1].layer[2].h.udp.dport, 7);
	assert_int_equal(p[1].layer[2].h.udp.len, 9);
	/* The SYN announces the MSS; the ACK straight after it does not. */
	assert_int_equal(p[2].layer[2].h.tcp.flags, TCP_SYN);
	assert_true(layer_given(&p[2].layer[2], TCP_F_MSS));
	assert_int_equal(p[2].layer[2].h.tcp.mss, 1460);
	assert_int_equal(p[3].layer[2].h.tcp.flags, TCP_ACK);
	assert_int_equal(p[3].layer[2].h.tcp.off, 5);
	assert_false(layer_given(&p[3].layer[2], TCP_F_MSS));
	assert_int_equal(p[3].frame.len, ETH_HLEN + IPV4_HLEN + TCP_HLEN);
	/* The first and last datagrams differ only in the IP header (its id). */
	assert_int_equal(p[5].layer[1].h.ip.id, p[0].layer[1].h.ip.id + 5);
	assert_int_equal(p[5].frame.len, p[0].frame.len);
	assert_memory_equal(buf_data(&p[5].frame) + ETH_HLEN + IPV4_HLEN, buf_data(&p[0].frame) + ETH_HLEN + IPV4_HLEN,
			    p[0].frame.len - ETH_HLEN - IPV4_HLEN);
	for (int i = 0; i < N; i++)
		pkt_free(&p[i]);
	world_free(w);
}

/* trace_get finds event n by counting back from the newest: right at both
 * ends of a ring that has wrapped, nothing outside them, and an event
 * still being filled (trace_begin, not yet committed) leaves the
 * numbering as it was. */
static void test_trace_get_finds_events_by_number(void **state)
{
	(void)state;
	struct trace tr;
	trace_init(&tr, 10);
	assert_null(trace_get(&tr, 0));
	assert_null(trace_get(&tr, 1));
	struct trace_event ev = {0};
	for (int i = 1; i <= 25; i++) {
		ev.seq = (uint32_t)i;
		trace_push(&tr, &ev, NULL, 0);
	}
	assert_null(trace_get(&tr, 15));
	for (uint64_t n = 16; n <= 25; n++) {
		assert_non_null(trace_get(&tr, n));
		assert_int_equal(trace_get(&tr, n)->n, n);
		assert_int_equal(trace_get(&tr, n)->seq, n);
	}
	assert_null(trace_get(&tr, 26));
	assert_null(trace_get(&tr, 0));
	assert_int_equal(trace_first(&tr), 16);
	assert_int_equal(trace_last(&tr), 25);
	struct trace_event *open = trace_begin(&tr);	/* pushes event 16 out */
	assert_int_equal(trace_first(&tr), 17);
	assert_int_equal(trace_last(&tr), 25);
	assert_null(trace_get(&tr, 16));
	assert_int_equal(trace_get(&tr, 17)->seq, 17);
	assert_int_equal(trace_get(&tr, 25)->seq, 25);
	assert_null(trace_get(&tr, 26));
	open->seq = 26;
	assert_int_equal(trace_commit(&tr, open, NULL, 0), 26);
	assert_int_equal(trace_get(&tr, 26)->seq, 26);
	assert_int_equal(trace_last(&tr), 26);
	trace_clear(&tr);
	assert_null(trace_get(&tr, 26));
	assert_int_equal(trace_first(&tr), 0);
	assert_int_equal(trace_last(&tr), 0);
	trace_free(&tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_bytes),
		cmocka_unit_test(test_other_seed_other_isn),
		cmocka_unit_test(test_clone_mid_transfer_continues_identically),
		cmocka_unit_test(test_clone_during_arp_and_handshake),
		cmocka_unit_test(test_drop_rule_matches_exact_flags_and_direction),
		cmocka_unit_test(test_delay_rule_holds_frame_longer),
		cmocka_unit_test(test_dup_rule_delivers_twice),
		cmocka_unit_test(test_drop_inflight_by_number),
		cmocka_unit_test(test_random_loss_is_seeded),
		cmocka_unit_test(test_trace_keeps_last_events_and_recent_frame_bytes),
		cmocka_unit_test(test_trace_get_finds_events_by_number),
		cmocka_unit_test(test_frames_start_fresh_after_any_other),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
