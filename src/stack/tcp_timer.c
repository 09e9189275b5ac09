/* TCP's timers: retransmission (RFC 6298), zero-window probing (RFC 9293
 * 3.8.6.1), and TIME-WAIT's 2 MSL (3.10.8). */
#include "stack/seq.h"
#include "stack/tcp.h"
#include "stack/why.h"

enum { CLOCK_GRANULARITY = 1 * VTIME_MS };	/* G of RFC 6298 */
/* RFC 9293 3.8.6.2.1: the SWS override timeout, "in the range 0.1 - 1.0
 * seconds". */
enum { SWS_OVERRIDE = 200 * VTIME_MS };

static struct host *host_of(struct tcb *t)
{
	return t->sock.host;
}

static void record_timer(struct tcb *t, uint8_t name, uint16_t rule, const uint32_t *v, int nv)
{
	struct trace_event *ev = host_event(host_of(t), TRACE_TIMER, rule, v, nv);
	ev->conn = t->sock.num;
	ev->timer = name;
	host_commit(host_of(t), ev);
}

static uint32_t ms(vtime t)
{
	return (uint32_t)(t / VTIME_MS);
}

/* RFC 6298 5.5: how long to wait after retry n before the next step. The
 * doubled RTO is capped at rto_max, except for the wait that follows a
 * SYN's last retry: SPEC gives up on a SYN after 1+2+...+32+64 = 127 s,
 * as Linux does, so that one wait is the uncapped double. */
static vtime backed_off(const struct tcb *t, const struct stack_settings *set, bool syn, int limit)
{
	vtime doubled = t->rto * 2;
	if (syn && t->retries == limit)
		return doubled;
	return doubled < set->rto_max ? doubled : set->rto_max;
}

static void rto_fire(struct timer *tm)
{
	struct tcb *t = container_of(tm, struct tcb, rto_timer);
	const struct stack_settings *set = host_of(t)->env->set;
	bool syn = t->snd_una == t->iss;	/* our SYN is what awaits an ACK */
	int limit = syn ? set->syn_retries : set->data_retries;
	if (t->retries >= limit) {
		/* RFC 9293 3.8.3: R2 reached: tell the user, close. */
		uint32_t v[] = {ms(t->rto), (uint32_t)limit};
		record_timer(t, TIMER_RTO, R_TCP_GIVE_UP_TIMER, v, 2);
		t->error = TCP_ERR_TIMED_OUT;
		tcp_set_state(t, TCP_CLOSED, R_TCP_GIVE_UP, v + 1, 1);
		return;
	}
	uint32_t v[] = {ms(t->rto), (uint32_t)t->retries + 1, (uint32_t)limit};
	record_timer(t, TIMER_RTO, R_TCP_RTO_TIMER, v, 3);
	/* A lost segment is a sign of congestion (RFC 5681 3.1); a SYN
	 * has no window yet, and a zero-window probe that goes unanswered
	 * says nothing about the path (RFC 9293 3.8.6.1). */
	bool congestion = !syn && t->snd_wnd;
	if (congestion)
		tcp_cc_timeout(t);
	t->retries++;
	tcp_retransmit_oldest(t, congestion ? R_TCP_RETRANSMIT_DATA : R_TCP_RETRANSMIT);
	/* RFC 6298 5.5, 5.6: back off and restart the timer. */
	t->rto = backed_off(t, set, syn, limit);
	tcp_arm_rto(t);
}

/* RFC 9293 3.8.6.1: the peer's window is zero and nothing is in flight:
 * send one byte beyond the window so that an ACK brings the window back.
 * The probe is then retransmitted like any data. */
static void persist_fire(struct timer *tm)
{
	struct tcb *t = container_of(tm, struct tcb, persist_timer);
	if (t->snd_wnd) {
		/* RFC 9293 3.8.6.2.1 (4): sender SWS avoidance kept a runt
		 * back and no ACK came to open the window further: the
		 * override timeout sends what fits, so that a peer whose
		 * buffer shrank is not waited on for ever. */
		uint32_t v[] = {t->snd_una + t->snd_wnd - t->snd_nxt, t->max_snd_wnd, ms(SWS_OVERRIDE)};
		record_timer(t, TIMER_PERSIST, R_TCP_SWS_OVERRIDE_TIMER, v, 3);
		t->sws_override = true;
		tcp_output(t);
		t->sws_override = false;
		return;
	}
	uint32_t v[] = {t->snd_nxt, (uint32_t)t->persist_backoff + 1};
	record_timer(t, TIMER_PERSIST, R_TCP_PERSIST_TIMER, v, 2);
	if (t->persist_backoff < 6)
		t->persist_backoff++;
	tcp_send_probe(t);
}

/* RFC 9293 3.8.6.3: the delayed ACK waited long enough. */
static void delack_fire(struct timer *tm)
{
	struct tcb *t = container_of(tm, struct tcb, delack_timer);
	uint32_t v[] = {ms(host_of(t)->env->set->delack)};
	record_timer(t, TIMER_DELACK, R_TCP_DELACK_TIMER, v, 1);
	if (t->ack_pending && tcp_synchronized(t->state))
		tcp_send_ctl(t, t->snd_nxt, t->rcv_nxt, TCP_ACK, t->ack_why.rule, t->ack_why.v, WHY_VALUES);
}

static void tw_fire(struct timer *tm)
{
	struct tcb *t = container_of(tm, struct tcb, tw_timer);
	uint32_t v[] = {ms(2 * host_of(t)->env->set->msl)};
	record_timer(t, TIMER_TIME_WAIT, R_TCP_TIME_WAIT_TIMER, v, 1);
	tcp_set_state(t, TCP_CLOSED, R_TCP_TIME_WAIT_CLOSED, v, 1);
}

void tcp_timers_init(struct tcb *t)
{
	timer_init(&t->rto_timer, rto_fire);
	timer_init(&t->persist_timer, persist_fire);
	timer_init(&t->tw_timer, tw_fire);
	timer_init(&t->delack_timer, delack_fire);
	t->rto = host_of(t)->env->set->rto_initial;
}

void tcp_arm_rto(struct tcb *t)
{
	struct evq *q = host_of(t)->env->q;
	evq_arm(q, &t->rto_timer, q->now + t->rto);
}

void tcp_stop_timers(struct tcb *t)
{
	if (!host_of(t))
		return;
	struct evq *q = host_of(t)->env->q;
	evq_cancel(q, &t->rto_timer);
	evq_cancel(q, &t->persist_timer);
	evq_cancel(q, &t->tw_timer);
	evq_cancel(q, &t->delack_timer);
}

/* RFC 6298 2.2, 2.3: SRTT, RTTVAR and RTO from a measurement R. */
void tcp_rtt_sample(struct tcb *t, vtime r)
{
	const struct stack_settings *set = host_of(t)->env->set;
	if (!t->have_rtt) {
		t->srtt = r;
		t->rttvar = r / 2;
		t->have_rtt = true;
	} else {
		vtime err = t->srtt > r ? t->srtt - r : r - t->srtt;
		t->rttvar = (3 * t->rttvar + err) / 4;	/* beta = 1/4 */
		t->srtt = (7 * t->srtt + r) / 8;	/* alpha = 1/8 */
	}
	vtime k = 4 * t->rttvar;
	vtime rto = t->srtt + (k > CLOCK_GRANULARITY ? k : CLOCK_GRANULARITY);
	if (rto < set->rto_min)
		rto = set->rto_min;	/* 2.4: at least 1 second */
	if (rto > set->rto_max)
		rto = set->rto_max;	/* 2.5: a maximum of at least 60 seconds */
	t->rto = rto;
}

void tcp_start_time_wait(struct tcb *t)
{
	struct host *h = host_of(t);
	evq_cancel(h->env->q, &t->rto_timer);
	evq_cancel(h->env->q, &t->persist_timer);
	if (h->env->set->time_wait_off) {
		/* The teaching variant: no TIME-WAIT at all (wrong on purpose). */
		tcp_set_state(t, TCP_CLOSED, R_TCP_TIME_WAIT_SKIPPED, NULL, 0);
		return;
	}
	evq_arm(h->env->q, &t->tw_timer, h->env->q->now + 2 * h->env->set->msl);
}

/* Arms the persist timer while the peer's window is zero, data waits, and
 * nothing is in flight to bring a window update back. */
void tcp_update_persist(struct tcb *t)
{
	struct host *h = host_of(t);
	if (!h)
		return;
	if (t->snd_wnd && !t->sws_held) {
		/* The common case, checked first: this runs after every
		 * output pass and most input. */
		evq_cancel(h->env->q, &t->persist_timer);
		t->persist_backoff = 0;
		return;
	}
	uint32_t data_end = t->sndq_seq + t->sndq.len;
	bool waiting = seq_gt(data_end, t->snd_nxt) ||
		       (t->fin_queued && !t->fin_sent);
	bool stalled = tcp_synchronized(t->state) && t->state != TCP_TIME_WAIT && waiting &&
		       !timer_armed(&t->rto_timer);
	if (!stalled) {
		evq_cancel(h->env->q, &t->persist_timer);
		return;
	}
	if (timer_armed(&t->persist_timer))
		return;
	vtime d;
	if (t->snd_wnd) {
		d = SWS_OVERRIDE;	/* a window too small to use: see persist_fire */
	} else {
		d = t->rto << t->persist_backoff;
		if (d > h->env->set->rto_max)
			d = h->env->set->rto_max;
	}
	evq_arm(h->env->q, &t->persist_timer, h->env->q->now + d);
}

const char *timer_name_text(uint8_t t)
{
	switch (t) {
	case TIMER_RTO: return "rto";
	case TIMER_PERSIST: return "persist";
	case TIMER_TIME_WAIT: return "time-wait";
	case TIMER_ARP: return "arp";
	case TIMER_DELACK: return "delayed-ack";
	default: return "?";
	}
}
