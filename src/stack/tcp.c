/* TCP's state machine, in the order of RFC 9293 section 3.10: the user
 * calls (OPEN, SEND, RECEIVE, CLOSE, ABORT), then SEGMENT ARRIVES for
 * CLOSED, LISTEN and SYN-SENT, then the checks of the synchronized states
 * in the RFC's order: sequence number, RST, SYN, ACK, URG, text, FIN.
 * Sending is in tcp_output.c, the timers in tcp_timer.c. */
#include "stack/tcp.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/prng.h"
#include "core/strutil.h"
#include "stack/seq.h"
#include "stack/why.h"

const char *const tcp_state_names[TCP_NSTATES] = {
	"CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
	"FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT",
};

int tcp_state_parse(const char *s)
{
	/* netstat's spellings, and the common misspelling SYN_SEND */
	static const struct {
		const char *name;
		int state;
	} aliases[] = {
		{"SYN_RECV", TCP_SYN_RECEIVED}, {"SYN_RCVD", TCP_SYN_RECEIVED},
		{"SYN_SEND", TCP_SYN_SENT}, {"FIN_WAIT1", TCP_FIN_WAIT_1},
		{"FIN_WAIT2", TCP_FIN_WAIT_2}, {"CLOSE", TCP_CLOSED},
	};
	char norm[24];
	size_t n = 0;
	for (; s[n] && n < sizeof norm - 1; n++)
		norm[n] = s[n] == '_' ? '-' : s[n];
	norm[n] = '\0';
	if (s[n])
		return -1;
	for (int i = 0; i < TCP_NSTATES; i++)
		if (str_ieq(norm, tcp_state_names[i]))
			return i;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (str_ieq(s, aliases[i].name))
			return aliases[i].state;
	return -1;
}

const char *tcp_error_text(uint8_t e)
{
	switch (e) {
	case TCP_ERR_REFUSED: return "connection refused";
	case TCP_ERR_RESET: return "connection reset";
	case TCP_ERR_TIMED_OUT: return "connection timed out";
	case TCP_ERR_ABORTED: return "connection aborted";
	default: return NULL;
	}
}

bool tcp_synchronized(uint8_t state)
{
	return state >= TCP_ESTABLISHED;
}

static uint64_t conn_key(uint16_t lport, uint32_t rip, uint16_t rport)
{
	return (uint64_t)lport << 48 | (uint64_t)rport << 32 | rip;
}

/* Where t's byte queues take storage from: its world's pool, or malloc
 * once its host has let it go (a Lua object may outlive the world). */
static struct blockpool *queue_pool(const struct tcb *t)
{
	return t->sock.host ? t->sock.host->env->pool : NULL;
}

/* ------------------------------------------------------------------ */
/* The TCB's life */

static void tcb_destroy(struct sock *s)
{
	tcp_release(container_of(s, struct tcb, sock));
}

static void unhook(struct tcb *t);
static void drop_from_accept_queue(struct tcb *t);

/* A listener's queue and its connections' pointers back to it reference
 * each other; letting go breaks both ways. */
static void release_accept_queue(struct tcb *l)
{
	while (l->naccept) {
		struct tcb *c = l->accept_q[--l->naccept];
		c->listener = NULL;
		sock_unref(&l->sock);	/* c's reference to l */
		sock_unref(&c->sock);	/* the queue's reference to c */
	}
}

static void tcb_detach(struct sock *s)
{
	struct tcb *t = container_of(s, struct tcb, sock);
	tcp_stop_timers(t);
	unhook(t);
	if (t->listener)
		drop_from_accept_queue(t);
	release_accept_queue(t);
}

static struct tcb *tcb_new(struct host *h)
{
	/* malloc and a clear, not calloc: the calloc of glibc 2.36 (Debian
	 * 12's) skips its per-thread cache of freed blocks, and a connection
	 * cycle frees one TCB and makes the next. */
	struct tcb *t = malloc(sizeof *t);
	if (!t)
		abort();
	mem_clear(t, sizeof *t);
	sock_register(h, &t->sock, SOCK_TCP, tcb_detach, tcb_destroy);
	tcp_timers_init(t);
	t->states[t->nstates++] = TCP_CLOSED;
	t->snd_mss = 536;	/* RFC 9293 3.7.1: the default when the peer sends no MSS */
	t->rcv_wnd = h->env->set->rcvbuf;
	return t;
}

static void record_state(struct tcb *t, uint8_t old, uint8_t state, uint16_t rule, const uint32_t *v, int nv)
{
	struct host *h = t->sock.host;
	struct trace_event *ev = host_event(h, TRACE_STATE, rule, v, nv);
	ev->conn = t->sock.num;
	ev->old_state = old;
	ev->new_state = state;
	host_commit(h, ev);
	if (t->nstates < TCP_MAX_STATES_KEPT)
		t->states[t->nstates++] = state;
	else
		t->states_overflow = true;
}

/* Leaves the host's lookup tables; the socket stays listed for a while. */
static void unhook(struct tcb *t)
{
	struct host *h = t->sock.host;
	if (!h)
		return;
	if (t->state == TCP_LISTEN && hmap_get(&h->tcp_listeners, t->lport) == t)
		hmap_del(&h->tcp_listeners, t->lport);
	else if (hmap_get(&h->tcp_conns, conn_key(t->lport, t->rip, t->rport)) == t)
		hmap_del(&h->tcp_conns, conn_key(t->lport, t->rip, t->rport));
}

static void drop_from_accept_queue(struct tcb *t)
{
	struct tcb *l = t->listener;
	if (!l)
		return;
	for (uint32_t i = 0; i < l->naccept; i++) {
		if (l->accept_q[i] == t) {
			memmove(&l->accept_q[i], &l->accept_q[i + 1], (l->naccept - i - 1) * sizeof *l->accept_q);
			l->naccept--;
			sock_unref(&t->sock);
			break;
		}
	}
	t->listener = NULL;
	sock_unref(&l->sock);
}

static void drop_ooo(struct tcb *t)
{
	while (t->ooo) {
		struct ooo_seg *s = t->ooo;
		t->ooo = s->next;
		free(s);
	}
	t->ooo_bytes = 0;
}

static void flush_queues(struct tcb *t)
{
	byteq_free(&t->sndq, queue_pool(t));
	drop_ooo(t);
	t->fin_queued = false;
}

/* RFC 5681 3.1: the initial window, on the first synchronized state
 * (usually ESTABLISHED; a CLOSE in SYN-RECEIVED goes straight to
 * FIN-WAIT-1). */
static void start_cc_when_synchronized(struct tcb *t, uint8_t old)
{
	if (tcp_synchronized(t->state) && !tcp_synchronized(old))
		tcp_cc_init(t);
}

void tcp_set_state(struct tcb *t, uint8_t state, uint16_t rule, const uint32_t *v, int nv)
{
	uint8_t old = t->state;
	if (state == TCP_CLOSED)
		unhook(t);	/* before the state changes: the listener table is keyed by state */
	t->state = state;
	record_state(t, old, state, rule, v, nv);
	/* RFC 6298 5.7: the SYN was retransmitted and no RTT was measured. */
	if (state == TCP_ESTABLISHED && t->syn_retransmitted && !t->have_rtt && t->rto < 3 * VTIME_S)
		t->rto = 3 * VTIME_S;
	start_cc_when_synchronized(t, old);
	if (state == TCP_CLOSED) {
		tcp_stop_timers(t);
		flush_queues(t);
		if (t->listener && !t->accepted)
			drop_from_accept_queue(t);
		if (t->sock.host)
			host_note_closed(t->sock.host, &t->sock);
	}
}

void tcp_release(struct tcb *t)
{
	tcp_stop_timers(t);
	flush_queues(t);
	byteq_free(&t->rcvq, queue_pool(t));
	free(t->accept_q);	/* emptied when the host let go (tcb_detach) */
	free(t);
}

void tcp_test_register(struct host *h, struct tcb *t)
{
	sock_register(h, &t->sock, SOCK_TCP, tcb_detach, tcb_destroy);
	tcp_timers_init(t);
	t->states[t->nstates++] = TCP_CLOSED;
	hmap_put(&h->tcp_conns, conn_key(t->lport, t->rip, t->rport), t);
}

void tcp_force_state(struct tcb *t, uint8_t state)
{
	uint8_t old = t->state;
	t->state = state;
	if (t->nstates < TCP_MAX_STATES_KEPT)
		t->states[t->nstates++] = state;
	start_cc_when_synchronized(t, old);	/* as if the handshake had just completed */
}

uint32_t tcp_choose_isn(struct host *h, uint16_t lport, uint32_t rip, uint16_t rport)
{
	if (h->isn_fixed) {
		h->isn_fixed = false;
		return h->isn_next;
	}
	/* RFC 9293 3.4.1 (RFC 6528): ISN = M + F(4-tuple, secret), M a clock
	 * ticking every 4 microseconds, F a keyed hash; the world's seed is the
	 * key, so runs repeat and a reused four-tuple still gets a larger ISN. */
	uint64_t tuple = (uint64_t)h->ip << 32 | rip;
	uint64_t f = mix64(h->env->seed ^ mix64(tuple ^ ((uint64_t)lport << 16 | rport)));
	return (uint32_t)(h->env->q->now / 4) + (uint32_t)f;
}

/* ------------------------------------------------------------------ */
/* User calls: RFC 9293 3.10.1 to 3.10.5 */

struct tcb *tcp_listen(struct host *h, uint16_t port, struct err *e)
{
	if (port == 0) {
		err_set(e, "port 0 cannot be listened on: give a port from 1 to 65535");
		return NULL;
	}
	if (!host_may_open(h, e))
		return NULL;
	struct tcb *other = hmap_get(&h->tcp_listeners, port);
	if (other) {
		err_set(e, "%s already listens on port %u (%s): close it first, or pick another port",
			h->name, port, other->sock.id);
		return NULL;
	}
	struct tcb *t = tcb_new(h);
	t->lport = port;
	hmap_put(&h->tcp_listeners, port, t);
	uint32_t v[] = {port};
	tcp_set_state(t, TCP_LISTEN, R_TCP_OPEN_PASSIVE, v, 1);
	return t;
}

/* RFC 6056 3.2: the next ephemeral port whose four-tuple is free, TIME-WAIT
 * included (3.6.1), and that no listener holds; 0 and e when none is. */
static uint16_t free_ephemeral_port(struct host *h, uint32_t rip, uint16_t rport, struct err *e)
{
	for (int i = 0; i < HOST_EPHEMERAL_PORTS; i++) {
		uint16_t p = host_ephemeral_port(h);
		if (!hmap_get(&h->tcp_conns, conn_key(p, rip, rport)) && !hmap_get(&h->tcp_listeners, p))
			return p;
	}
	err_set(e, "every ephemeral port (%d to 65535) of %s is in use to that address and port: "
		   "close some connections, or give a sport",
		HOST_EPHEMERAL_FIRST, h->name);
	return 0;
}

struct tcb *tcp_connect(struct host *h, uint32_t rip, uint16_t rport, uint16_t lport, struct err *e)
{
	if (rport == 0) {
		err_set(e, "port 0 cannot be connected to: give a port from 1 to 65535");
		return NULL;
	}
	if (host_check_peer(h, rip, e) < 0 || !host_may_open(h, e))
		return NULL;
	if (lport == 0 && (lport = free_ephemeral_port(h, rip, rport, e)) == 0)
		return NULL;
	const struct tcb *old = hmap_get(&h->tcp_conns, conn_key(lport, rip, rport));
	if (old && old->state == TCP_TIME_WAIT) {
		/* 3.6.1: the pair may not be reused until 2 MSL have passed */
		err_set(e, "%s is in TIME-WAIT on port %u to that address and port (2 MSL not over): "
			"give another sport, or wait", old->sock.id, lport);
		return NULL;
	}
	if (old) {
		err_set(e, "%s already has a connection (%s) from port %u to that address and port: "
			"give another sport", h->name, old->sock.id, lport);
		return NULL;
	}
	struct tcb *t = tcb_new(h);
	t->lport = lport;
	t->rip = rip;
	t->rport = rport;
	hmap_put(&h->tcp_conns, conn_key(lport, rip, rport), t);
	/* RFC 9293 3.10.1: select an ISS, send a SYN, SND.UNA=ISS, SND.NXT=ISS+1, SYN-SENT. */
	t->iss = tcp_choose_isn(h, lport, rip, rport);
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	t->sndq_seq = t->iss + 1;
	uint32_t v[] = {t->iss, t->snd_nxt, lport};
	tcp_set_state(t, TCP_SYN_SENT, R_TCP_OPEN_ACTIVE, v, 3);
	tcp_send_ctl(t, t->iss, 0, TCP_SYN, R_TCP_SEND_SYN, v, 2);
	t->rtt_timing = true;
	t->rtt_seq = t->iss + 1;
	t->rtt_start = h->env->q->now;
	tcp_arm_rto(t);
	return t;
}

int tcp_send(struct tcb *t, const uint8_t *data, size_t len, struct err *e)
{
	switch (t->state) {
	case TCP_CLOSED:
		return err_set(e, "%s is closed: the connection does not exist any more", t->sock.id);
	case TCP_LISTEN:
		return err_set(e, "%s is listening: send on one of its connections instead", t->sock.id);
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
	case TCP_TIME_WAIT:
		return err_set(e, "%s is closing (%s): after CLOSE there is no more data to send",
			       t->sock.id, tcp_state_names[t->state]);
	default:
		break;
	}
	if (t->fin_queued)
		return err_set(e, "%s was closed: after CLOSE there is no more data to send", t->sock.id);
	if (t->sndq.len + len > (1u << 30))
		return err_set(e, "%s already has %u bytes waiting to be sent: read the other side first",
			       t->sock.id, t->sndq.len);
	/* RFC 9293 3.10.2: in SYN-SENT and SYN-RECEIVED the data waits for ESTABLISHED. */
	byteq_push(&t->sndq, queue_pool(t), data, len);
	tcp_output(t);
	return 0;
}

static uint32_t h_rcvbuf(const struct tcb *t)
{
	return t->sock.host ? t->sock.host->env->set->rcvbuf : 65535;
}

size_t tcp_recv(struct tcb *t, uint8_t *out, size_t max, bool *eof)
{
	size_t n = t->rcvq.len < max ? t->rcvq.len : max;
	uint32_t before = tcp_window_now(t);
	byteq_peek(&t->rcvq, 0, out, n);
	byteq_pop(&t->rcvq, queue_pool(t), n);
	t->rcv_wnd = tcp_window_now(t);
	*eof = t->fin_rcvd && t->rcvq.len == 0;
	/* RFC 9293 3.8.6.2.2: tell the peer when the window has opened by a
	 * useful amount, so a sender stopped by a small window goes on. */
	uint32_t enough = t->snd_mss < h_rcvbuf(t) / 2 ? t->snd_mss : h_rcvbuf(t) / 2;
	if (n && tcp_synchronized(t->state) && !t->fin_rcvd && before < enough && t->rcv_wnd >= enough) {
		uint32_t v[] = {(uint32_t)n, t->rcv_wnd};
		tcp_send_ctl(t, t->snd_nxt, t->rcv_nxt, TCP_ACK, R_TCP_WINDOW_UPDATE, v, 2);
	}
	return n;
}

int tcp_close(struct tcb *t, struct err *e)
{
	uint32_t v[2] = {t->state, 0};
	switch (t->state) {
	case TCP_CLOSED:
		return err_set(e, "%s is already closed", t->sock.id);
	case TCP_LISTEN:
		tcp_set_state(t, TCP_CLOSED, R_TCP_CLOSE_LISTEN, v, 1);
		return 0;
	case TCP_SYN_SENT:
		/* RFC 9293 3.10.4: delete the TCB; queued SENDs get "closing". */
		tcp_set_state(t, TCP_CLOSED, R_TCP_CLOSE_SYN_SENT, v, 1);
		return 0;
	case TCP_SYN_RECEIVED:
		/* RFC 9293 3.10.4: with data queued, the CLOSE waits for
		 * ESTABLISHED (the data may not go before our SYN is acknowledged). */
		t->fin_queued = true;
		if (t->sndq.len)
			return 0;
		/* fall through: nothing queued, the FIN goes now */
		__attribute__((fallthrough));
	case TCP_ESTABLISHED:
		t->fin_queued = true;
		v[1] = TCP_FIN_WAIT_1;
		tcp_set_state(t, TCP_FIN_WAIT_1, R_TCP_CLOSE, v, 2);
		tcp_output(t);
		return 0;
	case TCP_CLOSE_WAIT:
		t->fin_queued = true;
		v[1] = TCP_LAST_ACK;
		tcp_set_state(t, TCP_LAST_ACK, R_TCP_CLOSE, v, 2);
		tcp_output(t);
		return 0;
	default:
		return err_set(e, "%s is already closing (%s)", t->sock.id, tcp_state_names[t->state]);
	}
}

void tcp_abort(struct tcb *t)
{
	uint32_t v[] = {t->snd_nxt, t->state};
	switch (t->state) {
	case TCP_CLOSED:
		return;
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		/* RFC 9293 3.10.5: send <SEQ=SND.NXT><CTL=RST>, flush, CLOSED. */
		tcp_send_ctl(t, t->snd_nxt, 0, TCP_RST, R_TCP_ABORT_RST, v, 1);
		break;
	default:
		break;	/* LISTEN, SYN-SENT, CLOSING, LAST-ACK, TIME-WAIT: no RST */
	}
	/* "All queued SENDs and RECEIVEs should be given "reset" notification":
	 * data received and not yet read goes too, as on a RST. */
	t->error = TCP_ERR_ABORTED;
	byteq_free(&t->rcvq, queue_pool(t));
	tcp_set_state(t, TCP_CLOSED, R_TCP_ABORT, v + 1, 1);
}

struct tcb *tcp_accept(struct tcb *l)
{
	if (l->state != TCP_LISTEN || l->naccept == 0)
		return NULL;
	struct tcb *t = l->accept_q[0];
	memmove(&l->accept_q[0], &l->accept_q[1], (l->naccept - 1) * sizeof *l->accept_q);
	l->naccept--;
	t->accepted = true;
	t->listener = NULL;
	sock_unref(&l->sock);
	sock_unref(&t->sock);	/* the queue's reference; the caller takes its own */
	return t;
}

static void enqueue_accept(struct tcb *t)
{
	struct tcb *l = t->listener;
	if (!l || t->accepted || l->state != TCP_LISTEN)
		return;
	for (uint32_t i = 0; i < l->naccept; i++)
		if (l->accept_q[i] == t)
			return;
	if (l->naccept == l->capaccept) {
		l->capaccept = l->capaccept ? 2 * l->capaccept : 8;
		l->accept_q = realloc(l->accept_q, l->capaccept * sizeof *l->accept_q);
		if (!l->accept_q)
			abort();
	}
	l->accept_q[l->naccept++] = t;
	sock_ref(&t->sock);
}

/* ------------------------------------------------------------------ */
/* SEGMENT ARRIVES */

/* The segment as RFC 9293 names its parts. */
struct seg {
	uint32_t seq, ack, wnd, up;
	uint8_t flags;
	const uint8_t *data;
	uint32_t dlen;
	uint32_t len;		/* SEG.LEN: data, plus one each for SYN and FIN */
	bool has_mss;
	uint16_t mss;
};

static struct seg read_seg(struct pkt *p, int li)
{
	const struct tcp_hdr *th = &p->layer[li].h.tcp;
	struct seg s = {0};
	s.seq = th->seq;
	s.ack = th->ack;
	s.wnd = th->win;
	s.up = th->urp;
	s.flags = th->flags;
	s.data = pkt_payload_data(p);
	s.dlen = (uint32_t)pkt_payload_len(p);
	s.len = s.dlen + !!(s.flags & TCP_SYN) + !!(s.flags & TCP_FIN);
	s.has_mss = layer_given(&p->layer[li], TCP_F_MSS);
	s.mss = th->mss;
	return s;
}

/* 3.7.1 (MUST-16): segments no larger than the MSS the peer announced
 * (536 if it announced none, MUST-15) nor than our own. An MSS too small
 * to be sane is raised to 48 bytes, Linux's tcp_min_snd_mss: a peer
 * announcing 1 (or 0, which could carry nothing) would otherwise have
 * every byte sent in a segment of its own (CVE-2019-11479). */
enum { MIN_SND_MSS = 48 };

static void take_mss(struct tcb *t, const struct seg *s)
{
	if (!s->has_mss)
		return;
	uint16_t mss = s->mss < MIN_SND_MSS ? MIN_SND_MSS : s->mss;
	t->snd_mss = mss < t->sock.host->env->set->mss ? mss : t->sock.host->env->set->mss;
}

/* 3.10.7.1: no TCB (CLOSED). */
static void closed_state(struct host *h, struct pkt *p, int li, const struct seg *s)
{
	if (s->flags & TCP_RST) {
		uint32_t v[] = {s->seq};
		host_discard(h, 0, R_TCP_CLOSED_GOT_RST, v, 1);	/* never answer a RST */
		return;
	}
	if (!(s->flags & TCP_ACK)) {
		uint32_t v[] = {s->seq + s->len, s->seq, s->len};
		tcp_send_reset_for(h, p, li, 0, s->seq + s->len, TCP_RST | TCP_ACK, 0, R_TCP_CLOSED_RST_ACK, v, 3);
	} else {
		uint32_t v[] = {s->ack};
		tcp_send_reset_for(h, p, li, s->ack, 0, TCP_RST, 0, R_TCP_CLOSED_RST, v, 1);
	}
}

/* 3.10.7.2: LISTEN. */
static void listen_state(struct host *h, struct tcb *l, struct pkt *p, int li, const struct seg *s)
{
	const struct layer *ip = &p->layer[li - 1];
	if (s->flags & TCP_RST) {
		host_discard(h, l->sock.num, R_TCP_LISTEN_RST, NULL, 0);
		return;
	}
	if (s->flags & TCP_ACK) {
		uint32_t v[] = {s->ack};
		tcp_send_reset_for(h, p, li, s->ack, 0, TCP_RST, l->sock.num, R_TCP_LISTEN_ACK, v, 1);
		return;
	}
	if (!(s->flags & TCP_SYN)) {
		host_discard(h, l->sock.num, R_TCP_LISTEN_OTHER, NULL, 0);
		return;
	}
	if (l->naccept >= 1024 || !host_may_open(h, NULL)) {
		host_discard(h, l->sock.num, R_TCP_LISTEN_FULL, NULL, 0);
		return;
	}
	/* A new connection, remembered as opened passively; the listener stays. */
	struct tcb *t = tcb_new(h);
	t->passive = true;
	t->lport = l->lport;
	t->rip = ip->h.ip.src;
	t->rport = p->layer[li].h.tcp.sport;
	t->listener = l;
	sock_ref(&l->sock);
	t->states[0] = TCP_LISTEN;	/* it is the listener's SYN-RECEIVED incarnation */
	t->state = TCP_LISTEN;
	hmap_put(&h->tcp_conns, conn_key(t->lport, t->rip, t->rport), t);
	t->irs = s->seq;
	t->rcv_nxt = s->seq + 1;
	t->rcv_up = t->rcv_nxt;	/* no urgent data: seq_max in the URG step needs a start in this space */
	t->iss = tcp_choose_isn(h, t->lport, t->rip, t->rport);
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	t->sndq_seq = t->iss + 1;
	t->snd_wnd = s->wnd;
	t->max_snd_wnd = s->wnd;
	take_mss(t, s);
	if (s->dlen)
		host_discard(h, t->sock.num, R_TCP_SYN_DATA_IGNORED, &s->dlen, 1);
	uint32_t v[] = {s->seq, t->rcv_nxt, t->iss, l->sock.num};
	if (h->env->set->two_way_handshake) {
		/* The teaching variant: the SYN alone opens the connection. */
		tcp_set_state(t, TCP_ESTABLISHED, R_TCP_LISTEN_TWO_WAY, v, 4);
		t->snd_wl1 = s->seq;
		t->snd_wl2 = t->iss;
		enqueue_accept(t);
	} else {
		tcp_set_state(t, TCP_SYN_RECEIVED, R_TCP_LISTEN_SYN_STATE, v, 4);
	}
	tcp_send_ctl(t, t->iss, t->rcv_nxt, TCP_SYN | TCP_ACK, R_TCP_LISTEN_SYN, v, 3);
	t->rtt_timing = true;
	t->rtt_seq = t->iss + 1;
	t->rtt_start = h->env->q->now;
	tcp_arm_rto(t);
}

static void ack_our_data(struct tcb *t, uint32_t ack);
static void process_text_and_fin(struct tcb *t, struct seg *s);

static void send_ack_now(struct tcb *t, uint16_t rule, const uint32_t *v, int nv)
{
	tcp_send_ctl(t, t->snd_nxt, t->rcv_nxt, TCP_ACK, rule, v, nv);
}

enum { INVALID_ACK_GAP = 500 * VTIME_MS };	/* Linux's tcp_invalid_ratelimit */

/* The ACK owed for an unacceptable segment (3.10.7.4). Two ends that
 * disagree about sequence numbers would answer each other's ACKs with
 * ACKs forever (an "ACK storm"); RFC 5961 section 7 and its Errata ID
 * 4772 ask for such ACKs to be throttled, so at most one goes out per
 * connection every 0.5 s. A retransmission (RTO at least 1 s) always
 * gets its ACK. */
static void send_invalid_ack(struct tcb *t, uint16_t rule, const uint32_t *v, int nv)
{
	vtime now = t->sock.host->env->q->now;
	if (t->sent_invalid_ack && now - t->invalid_ack_at < INVALID_ACK_GAP) {
		uint32_t w[] = {(uint32_t)((now - t->invalid_ack_at) / VTIME_MS), rule};
		host_discard(t->sock.host, t->sock.num, R_TCP_ACK_THROTTLED, w, 2);
		return;
	}
	t->sent_invalid_ack = true;
	t->invalid_ack_at = now;
	send_ack_now(t, rule, v, nv);
}

/* 3.10.7.3: SYN-SENT. */
static void syn_sent_state(struct tcb *t, struct pkt *p, int li, struct seg *s)
{
	struct host *h = t->sock.host;
	bool ack_ok = false;
	/* first: the ACK bit */
	if (s->flags & TCP_ACK) {
		if (seq_le(s->ack, t->iss) || seq_gt(s->ack, t->snd_nxt)) {
			uint32_t v[] = {s->ack, t->iss, t->snd_nxt};
			if (s->flags & TCP_RST)
				host_discard(h, t->sock.num, R_TCP_SYN_SENT_BAD_ACK_RST, v, 3);
			else
				tcp_send_reset_for(h, p, li, s->ack, 0, TCP_RST, t->sock.num, R_TCP_SYN_SENT_BAD_ACK, v, 3);
			return;
		}
		ack_ok = seq_lt(t->snd_una, s->ack) && seq_le(s->ack, t->snd_nxt);
	}
	/* second: the RST bit */
	if (s->flags & TCP_RST) {
		if (ack_ok) {
			uint32_t v[] = {s->ack};
			t->error = TCP_ERR_REFUSED;
			tcp_set_state(t, TCP_CLOSED, R_TCP_SYN_SENT_RST, v, 1);
		} else {
			host_discard(h, t->sock.num, R_TCP_SYN_SENT_RST_NO_ACK, NULL, 0);
		}
		return;
	}
	/* fourth: the SYN bit (third, security, is not modelled) */
	if (!(s->flags & TCP_SYN)) {
		host_discard(h, t->sock.num, R_TCP_SYN_SENT_OTHER, NULL, 0);	/* never process a FIN here */
		return;
	}
	t->rcv_nxt = s->seq + 1;
	t->irs = s->seq;
	t->rcv_up = t->rcv_nxt;	/* as in LISTEN */
	take_mss(t, s);
	if (ack_ok) {
		uint32_t v[] = {t->snd_una, s->ack, t->snd_nxt, t->rcv_nxt};
		ack_our_data(t, s->ack);	/* the SYN leaves the retransmission queue */
		t->snd_wnd = s->wnd;
		t->max_snd_wnd = s->wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
		tcp_set_state(t, TCP_ESTABLISHED, R_TCP_SYN_SENT_SYN_ACK_STATE, v, 4);
		/* Data or a FIN in the same segment: on to the sixth step. */
		s->seq += 1;
		s->flags &= (uint8_t)~TCP_SYN;
		s->len -= 1;
		send_ack_now(t, R_TCP_SYN_SENT_SYN_ACK, v, 4);
		if (s->dlen || (s->flags & TCP_FIN))
			process_text_and_fin(t, s);
		tcp_output(t);
		return;
	}
	/* A SYN alone: a simultaneous open (3.5, Figure 7). */
	t->snd_wnd = s->wnd;
	t->max_snd_wnd = s->wnd;
	t->snd_wl1 = s->seq;
	uint32_t v[] = {s->seq, t->rcv_nxt, t->iss};
	tcp_set_state(t, TCP_SYN_RECEIVED, R_TCP_SYN_SENT_SYN_STATE, v, 3);
	tcp_send_ctl(t, t->iss, t->rcv_nxt, TCP_SYN | TCP_ACK, R_TCP_SYN_SENT_SYN, v, 3);
	if (s->dlen)
		host_discard(h, t->sock.num, R_TCP_SYN_DATA_IGNORED, &s->dlen, 1);
	tcp_arm_rto(t);
}

/* Table 6 of 3.10.7.4. */
static bool acceptable(const struct tcb *t, const struct seg *s)
{
	uint32_t wnd = t->rcv_wnd;
	uint32_t end = t->rcv_nxt + wnd;
	if (s->len == 0)
		return wnd == 0 ? s->seq == t->rcv_nxt : seq_in(s->seq, t->rcv_nxt, end);
	if (wnd == 0)
		return false;
	return seq_in(s->seq, t->rcv_nxt, end) || seq_in(s->seq + s->len - 1, t->rcv_nxt, end);
}

/* SYN-RECEIVED, opened passively, goes back to LISTEN: the listener is
 * still there and carries on; this half-open connection ends silently. */
static void back_to_listen(struct tcb *t, uint16_t rule, const uint32_t *v, int nv)
{
	tcp_set_state(t, TCP_LISTEN, rule, v, nv);
	unhook(t);
	t->state = TCP_CLOSED;
	tcp_stop_timers(t);
	flush_queues(t);
	if (t->listener)
		drop_from_accept_queue(t);
	sock_forget(&t->sock);
}

/* The second check: RST (RFC 5961 3.2 for which RSTs count). */
static void rst_in_synchronized(struct tcb *t, const struct seg *s)
{
	if (s->seq != t->rcv_nxt) {
		uint32_t v[] = {s->seq, t->rcv_nxt};
		send_ack_now(t, R_TCP_RST_CHALLENGE, v, 2);
		return;
	}
	uint32_t v[] = {t->state, s->seq};
	switch (t->state) {
	case TCP_SYN_RECEIVED:
		if (t->passive) {
			back_to_listen(t, R_TCP_RST_BACK_TO_LISTEN, v, 2);	/* the user is not told */
			return;
		}
		t->error = TCP_ERR_REFUSED;
		tcp_set_state(t, TCP_CLOSED, R_TCP_RST_REFUSED, v, 2);
		return;
	case TCP_ESTABLISHED:
	case TCP_FIN_WAIT_1:
	case TCP_FIN_WAIT_2:
	case TCP_CLOSE_WAIT:
		t->error = TCP_ERR_RESET;
		byteq_free(&t->rcvq, queue_pool(t));
		tcp_set_state(t, TCP_CLOSED, R_TCP_RST_RESET, v, 2);
		return;
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* Our FIN was never acknowledged: 3.6 (MUST-12) wants the user
		 * told that the close was not a graceful one. */
		t->error = TCP_ERR_RESET;
		tcp_set_state(t, TCP_CLOSED, R_TCP_RST_CLOSE, v, 2);
		return;
	default:	/* TIME-WAIT: both FINs were acknowledged already */
		tcp_set_state(t, TCP_CLOSED, R_TCP_RST_CLOSE, v, 2);
		return;
	}
}

/* Removes what SEG.ACK acknowledges from the retransmission queue. */
static void ack_our_data(struct tcb *t, uint32_t ack)
{
	uint32_t acked_data = 0;
	if (seq_gt(ack, t->sndq_seq)) {
		uint32_t upto = ack - t->sndq_seq;
		acked_data = upto < t->sndq.len ? upto : t->sndq.len;
		byteq_pop(&t->sndq, queue_pool(t), acked_data);
		t->sndq_seq += acked_data;
	}
	t->snd_una = ack;
	tcp_cc_acked(t, acked_data);
	t->retries = 0;
	t->persist_backoff = 0;
	/* RFC 6298 3 and Karn: a sample only from a segment not retransmitted. */
	if (t->rtt_timing && seq_ge(ack, t->rtt_seq)) {
		t->rtt_timing = false;
		tcp_rtt_sample(t, t->sock.host->env->q->now - t->rtt_start);
	}
	/* RFC 6298 5.2, 5.3: off when all is acknowledged, else restart. */
	if (t->snd_una == t->snd_nxt)
		evq_cancel(t->sock.host->env->q, &t->rto_timer);
	else
		tcp_arm_rto(t);
}

static bool our_fin_acked(const struct tcb *t)
{
	return t->fin_sent && seq_gt(t->snd_una, t->fin_seq);
}

/* 3.10.7.4, FIN-WAIT-1: "if the FIN segment is now acknowledged, then
 * enter FIN-WAIT-2". */
static void fin_wait_1_acked(struct tcb *t, uint32_t ack)
{
	if (t->state != TCP_FIN_WAIT_1 || !our_fin_acked(t))
		return;
	uint32_t v[] = {ack, t->fin_seq};
	tcp_set_state(t, TCP_FIN_WAIT_2, R_TCP_FIN_ACKED_FW2, v, 2);
}

/* RFC 5681 2: a duplicate ACK acknowledges nothing new while data is
 * outstanding, and carries no data, no SYN or FIN, and the same window
 * as the last (else it is a window update, or the peer's own data). */
static bool is_duplicate_ack(const struct tcb *t, const struct seg *s)
{
	return t->snd_una != t->snd_nxt && s->ack == t->snd_una && s->dlen == 0 &&
	       !(s->flags & (TCP_SYN | TCP_FIN)) && s->wnd == t->snd_wnd;
}

/* The fifth check: the ACK field. Returns false when the segment is done. */
static bool ack_in_synchronized(struct tcb *t, struct seg *s)
{
	struct host *h = t->sock.host;
	if (t->state == TCP_SYN_RECEIVED) {
		if (!(seq_lt(t->snd_una, s->ack) && seq_le(s->ack, t->snd_nxt))) {
			uint32_t v[] = {s->ack, t->snd_una, t->snd_nxt};
			tcp_send_ctl(t, s->ack, 0, TCP_RST, R_TCP_SYN_RECEIVED_BAD_ACK, v, 3);
			return false;
		}
		uint32_t v[] = {t->snd_una, s->ack, t->snd_nxt};
		t->snd_wnd = s->wnd;
		t->max_snd_wnd = s->wnd > t->max_snd_wnd ? s->wnd : t->max_snd_wnd;
		t->snd_wl1 = s->seq;
		t->snd_wl2 = s->ack;
		tcp_set_state(t, TCP_ESTABLISHED, R_TCP_SYN_RECEIVED_ACK, v, 3);
		enqueue_accept(t);
		if (t->fin_queued) {
			/* a CLOSE waited for this (3.10.4) */
			uint32_t c[] = {TCP_ESTABLISHED, TCP_FIN_WAIT_1};
			tcp_set_state(t, TCP_FIN_WAIT_1, R_TCP_CLOSE, c, 2);
		}
	}
	if (t->state == TCP_LAST_ACK || t->state == TCP_CLOSING || t->state == TCP_TIME_WAIT ||
	    t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 || t->state == TCP_FIN_WAIT_2 ||
	    t->state == TCP_CLOSE_WAIT) {
		if (seq_gt(s->ack, t->snd_nxt)) {
			uint32_t v[] = {s->ack, t->snd_nxt};
			send_invalid_ack(t, R_TCP_ACK_UNSENT, v, 2);
			return false;
		}
		/* RFC 5961 5.2: too old to be from this connection. */
		if (seq_lt(s->ack, t->snd_una - t->max_snd_wnd)) {
			uint32_t v[] = {s->ack, t->snd_una, t->max_snd_wnd};
			send_invalid_ack(t, R_TCP_ACK_TOO_OLD, v, 3);
			return false;
		}
		if (seq_lt(t->snd_una, s->ack))
			ack_our_data(t, s->ack);
		else if (t->snd_wnd == 0)
			t->retries = 0;	/* 3.8.6.1: the peer answers our probes: keep trying */
		else if (is_duplicate_ack(t, s))
			tcp_cc_dupack(t);
		/* The send window, if this segment is newer (SND.WL1, SND.WL2). */
		if (seq_le(t->snd_una, s->ack) &&
		    (seq_lt(t->snd_wl1, s->seq) || (t->snd_wl1 == s->seq && seq_le(t->snd_wl2, s->ack)))) {
			t->snd_wnd = s->wnd;
			t->snd_wl1 = s->seq;
			t->snd_wl2 = s->ack;
			if (s->wnd > t->max_snd_wnd)
				t->max_snd_wnd = s->wnd;
		}
	}
	uint32_t v[] = {s->ack, t->fin_seq};
	switch (t->state) {
	case TCP_FIN_WAIT_1:
		/* With a FIN in the same segment the eighth step decides: FIN-WAIT-1
		 * straight to TIME-WAIT (Figure 5, note 2); see fin_wait_1_acked. */
		if (!(s->flags & TCP_FIN))
			fin_wait_1_acked(t, s->ack);
		break;
	case TCP_CLOSING:
		if (our_fin_acked(t)) {
			v[1] = (uint32_t)(2 * h->env->set->msl / VTIME_MS);
			tcp_set_state(t, TCP_TIME_WAIT, R_TCP_FIN_ACKED_TIME_WAIT, v, 2);
			tcp_start_time_wait(t);
			return false;
		}
		/* Processed "as in ESTABLISHED" (3.10.7.4), then done: what
		 * the ACK opened of the windows goes out, data queued before
		 * CLOSE that the peer's window or cwnd held back, then our FIN. */
		tcp_output(t);
		return false;	/* the peer's text and FIN are behind us */
	case TCP_LAST_ACK:
		if (our_fin_acked(t))
			tcp_set_state(t, TCP_CLOSED, R_TCP_FIN_ACKED_CLOSED, v, 2);
		else
			tcp_output(t);	/* as in CLOSING */
		return false;
	default:
		break;
	}
	return true;
}

/* Moves queued out-of-order segments that now fit to the receive queue. */
static bool pull_ooo(struct tcb *t)
{
	bool fin = false;
	while (t->ooo && seq_le(t->ooo->seq, t->rcv_nxt)) {
		struct ooo_seg *o = t->ooo;
		t->ooo = o->next;
		t->ooo_bytes -= o->len;
		uint32_t skip = t->rcv_nxt - o->seq;
		if (skip < o->len) {
			byteq_push(&t->rcvq, queue_pool(t), o->data + skip, o->len - skip);
			t->rcv_nxt += o->len - skip;
		}
		if (o->fin && o->seq + o->len == t->rcv_nxt)
			fin = true;
		free(o);
		if (fin) {
			/* The FIN ends the peer's sequence space (3.10.7.4, eighth
			 * step): whatever else is held lies before it, received
			 * already, or after it, which a sender cannot have sent. */
			drop_ooo(t);
			break;
		}
	}
	return fin;
}

/* Holds a segment that starts inside the window but after RCV.NXT. Only
 * what is inside the window is kept (RFC 9293 3.10.7.4: segments are
 * trimmed to the window), and a FIN beyond it is not: the window's right
 * edge never moves left, so what is held always fits when the gap fills. */
static void queue_ooo(struct tcb *t, const struct seg *s)
{
	uint32_t room = t->rcv_nxt + t->rcv_wnd - s->seq;
	uint32_t dlen = s->dlen < room ? s->dlen : room;
	bool fin = (s->flags & TCP_FIN) && dlen == s->dlen && dlen < room;
	struct ooo_seg **at = &t->ooo;
	while (*at && seq_lt((*at)->seq, s->seq))
		at = &(*at)->next;
	if (*at && (*at)->seq == s->seq && (*at)->len >= dlen && ((*at)->fin || !fin))
		return;	/* a copy of what is held already */
	struct ooo_seg *o = malloc(sizeof *o + dlen);
	if (!o)
		abort();
	o->seq = s->seq;
	o->len = dlen;
	o->fin = fin;
	if (dlen)
		memcpy(o->data, s->data, dlen);
	o->next = *at;
	*at = o;
	t->ooo_bytes += dlen;
}

/* The FIN's state change (eighth step). */
static void fin_arrived(struct tcb *t, uint32_t fin_seq)
{
	struct host *h = t->sock.host;
	t->fin_rcvd = true;
	t->rcv_nxt = fin_seq + 1;
	uint32_t v[] = {fin_seq, t->rcv_nxt, t->state, (uint32_t)(2 * h->env->set->msl / VTIME_MS)};
	switch (t->state) {
	case TCP_SYN_RECEIVED:
	case TCP_ESTABLISHED:
		tcp_set_state(t, TCP_CLOSE_WAIT, R_TCP_FIN_CLOSE_WAIT, v, 3);
		break;
	case TCP_FIN_WAIT_1:
		if (!our_fin_acked(t)) {
			tcp_set_state(t, TCP_CLOSING, R_TCP_FIN_CLOSING, v, 3);
			break;
		}
		__attribute__((fallthrough));	/* our FIN was acknowledged too */
	case TCP_FIN_WAIT_2:
		tcp_set_state(t, TCP_TIME_WAIT, R_TCP_FIN_TIME_WAIT, v, 4);
		send_ack_now(t, R_TCP_FIN, v, 2);	/* nothing else will go out to carry it */
		tcp_start_time_wait(t);
		return;
	default:
		break;
	}
	tcp_owe_ack(t, false, R_TCP_FIN, v, 2);	/* a segment about to go may carry it */
}

/* The seventh and eighth steps: the segment text, then the FIN. */
static void process_text_and_fin(struct tcb *t, struct seg *s)
{
	bool text_state = t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
			  t->state == TCP_FIN_WAIT_2;
	if (t->fin_rcvd) {
		/* CLOSE-WAIT, CLOSING, LAST-ACK, TIME-WAIT: the peer said it was done. */
		if (t->state == TCP_TIME_WAIT && (s->flags & TCP_FIN)) {
			uint32_t v[] = {s->seq, (uint32_t)(2 * t->sock.host->env->set->msl / VTIME_MS)};
			send_ack_now(t, R_TCP_TIME_WAIT_FIN, v, 2);
			tcp_start_time_wait(t);	/* restart 2 MSL (3.6.1) */
		} else if (s->dlen) {
			uint32_t v[] = {s->seq, s->dlen};
			host_discard(t->sock.host, t->sock.num, R_TCP_DATA_AFTER_FIN, v, 2);
		}
		return;
	}
	if (!text_state)
		return;
	bool fin = (s->flags & TCP_FIN) != 0;
	if (seq_gt(s->seq, t->rcv_nxt)) {
		if (!s->dlen && !fin)
			return;	/* an ACK alone ahead of RCV.NXT: no text to hold or acknowledge */
		uint32_t v[] = {s->seq, t->rcv_nxt, s->dlen};
		queue_ooo(t, s);
		send_ack_now(t, R_TCP_DATA_OOO, v, 3);
		return;
	}
	/* Trim what was received before (the idealized segment of 3.10.7.4). */
	uint32_t skip = t->rcv_nxt - s->seq;
	uint32_t dlen = skip < s->dlen ? s->dlen - skip : 0;
	uint32_t room = t->rcv_wnd;
	if (dlen > room) {
		dlen = room;
		fin = false;	/* beyond the window */
	}
	bool acked_data = false, fills_gap = dlen && t->ooo;
	if (dlen) {
		byteq_push(&t->rcvq, queue_pool(t), s->data + skip, dlen);
		t->rcv_nxt += dlen;
		acked_data = true;
	}
	if (t->ooo && pull_ooo(t))
		fin = true;
	t->rcv_wnd = tcp_window_now(t);
	if (fin && seq_ge(t->rcv_nxt, s->seq + s->dlen)) {
		fin_arrived(t, t->rcv_nxt);
		return;
	}
	if (acked_data || s->dlen) {
		/* Owed now, carried by data if some goes out, or after the
		 * delayed ACK timer when `set delack` is on. RFC 5681 4.2: a
		 * segment that fills all or part of a gap SHOULD be
		 * acknowledged at once: the sender is recovering from a loss,
		 * and this ACK is what moves it on. */
		uint32_t v[] = {s->seq + skip, dlen, t->rcv_nxt, t->rcv_wnd};
		tcp_owe_ack(t, fills_gap, fills_gap ? R_TCP_DATA_FILLS_GAP : R_TCP_DATA, v, 4);
	}
}

/* 3.5 Figure 7 (simultaneous open): in SYN-RECEIVED the peer's SYN,ACK
 * repeats the SYN already taken (SEG.SEQ = IRS). Only its new part counts
 * (3.10.7.4: "only the new parts should be processed"): the SYN is
 * trimmed off, and the ACK then gives ESTABLISHED, as the figure shows. */
static void trim_repeated_syn(const struct tcb *t, struct seg *s)
{
	if (t->state != TCP_SYN_RECEIVED || (s->flags & (TCP_SYN | TCP_ACK | TCP_RST)) != (TCP_SYN | TCP_ACK) ||
	    s->seq != t->irs)
		return;
	s->flags &= (uint8_t)~TCP_SYN;
	s->seq += 1;
	s->len -= 1;
}

/* 3.10.7.4: SYN-RECEIVED and the synchronized states, checks in order. */
static void synchronized_input(struct tcb *t, struct seg *s)
{
	struct host *h = t->sock.host;
	t->rcv_wnd = tcp_window_now(t);
	trim_repeated_syn(t, s);
	/* first: the sequence number */
	if (!acceptable(t, s)) {
		/* TIME-WAIT: the peer's FIN again, because our last ACK was lost.
		 * It is before RCV.NXT, so Table 6 calls it unacceptable; the
		 * eighth step (and 3.6.1) says: acknowledge it, restart 2 MSL. */
		if (t->state == TCP_TIME_WAIT && (s->flags & TCP_FIN) && !(s->flags & TCP_RST) &&
		    s->seq + s->dlen + 1 == t->rcv_nxt) {
			uint32_t v[] = {s->seq + s->dlen, (uint32_t)(2 * h->env->set->msl / VTIME_MS)};
			send_ack_now(t, R_TCP_TIME_WAIT_FIN, v, 2);
			tcp_start_time_wait(t);
			return;
		}
		bool probe = t->rcv_wnd == 0 && s->seq == t->rcv_nxt;
		if (!probe) {
			uint32_t v[] = {s->seq, s->len, t->rcv_nxt, t->rcv_wnd};
			if (s->flags & TCP_RST)
				host_discard(h, t->sock.num, R_TCP_UNACCEPTABLE_RST, v, 4);
			else
				send_invalid_ack(t, R_TCP_UNACCEPTABLE, v, 4);
			return;
		}
		/* RCV.WND is 0: its ACK and RST still count; its data does not. */
		uint32_t v[] = {s->seq, s->dlen, t->rcv_nxt};
		s->dlen = 0;
		s->flags &= (uint8_t)~(TCP_FIN | TCP_SYN);
		s->len = 0;
		if (!(s->flags & TCP_RST))
			send_ack_now(t, R_TCP_ZERO_WINDOW_PROBE_ACK, v, 3);
	}
	/* second: RST */
	if (s->flags & TCP_RST) {
		rst_in_synchronized(t, s);
		return;
	}
	/* fourth: SYN (the third, security, is not modelled) */
	if (s->flags & TCP_SYN) {
		uint32_t v[] = {t->state, s->seq};
		if (t->state == TCP_SYN_RECEIVED && t->passive) {
			back_to_listen(t, R_TCP_SYN_BACK_TO_LISTEN, v, 2);
			return;
		}
		send_ack_now(t, R_TCP_SYN_CHALLENGE, v, 2);	/* RFC 5961 4.2 */
		return;
	}
	/* fifth: ACK */
	if (!(s->flags & TCP_ACK)) {
		uint32_t v[] = {t->state};
		host_discard(h, t->sock.num, R_TCP_NO_ACK, v, 1);
		return;
	}
	if (!ack_in_synchronized(t, s))
		return;
	/* sixth: URG */
	if ((s->flags & TCP_URG) && (t->state == TCP_ESTABLISHED || t->state == TCP_FIN_WAIT_1 ||
				      t->state == TCP_FIN_WAIT_2))
		t->rcv_up = seq_max(t->rcv_up, s->seq + s->up);
	/* seventh and eighth: text, FIN */
	process_text_and_fin(t, s);
	/* Our FIN acknowledged by a segment whose own FIN could not be taken
	 * yet (out of order, or beyond the window): FIN-WAIT-2 after all. */
	fin_wait_1_acked(t, s->ack);
	tcp_output(t);	/* it ends with tcp_update_persist */
}

void tcp_input(struct host *h, struct pkt *p, int li)
{
	const struct layer *tl = &p->layer[li];
	if (tl->csum_status == CSUM_BAD) {
		uint32_t v[] = {tl->h.tcp.csum, tl->csum_good};
		host_discard(h, 0, R_DISC_TCP_CSUM, v, 2);
		return;
	}
	struct seg s = read_seg(p, li);
	uint32_t rip = p->layer[li - 1].h.ip.src;
	struct tcb *t = hmap_get(&h->tcp_conns, conn_key(tl->h.tcp.dport, rip, tl->h.tcp.sport));
	if (!t) {
		struct tcb *l = hmap_get(&h->tcp_listeners, tl->h.tcp.dport);
		if (l) {
			listen_state(h, l, p, li, &s);
			t = hmap_get(&h->tcp_conns, conn_key(tl->h.tcp.dport, rip, tl->h.tcp.sport));
			trace_note_receiver(h->env->trace, t ? t->sock.num : l->sock.num, t ? t->state : TCP_LISTEN);
		} else {
			closed_state(h, p, li, &s);
		}
		return;
	}
	t->segs_in++;
	sock_ref(&t->sock);	/* stays alive to the end, whatever happens to it */
	if (t->state == TCP_SYN_SENT)
		syn_sent_state(t, p, li, &s);
	else
		synchronized_input(t, &s);
	trace_note_receiver(h->env->trace, t->sock.num, t->state);
	sock_unref(&t->sock);
}

/* ------------------------------------------------------------------ */

const char *tcp_check_invariants(const struct tcb *t)
{
	if (timer_armed(&t->delack_timer) && !t->ack_pending)
		return "the delayed ACK timer is armed with no ACK owed";
	if (t->state == TCP_CLOSED || t->state == TCP_LISTEN)
		return timer_armed(&t->rto_timer) ? "a timer is armed in CLOSED or LISTEN" : NULL;
	if (seq_gt(t->snd_una, t->snd_nxt))
		return "SND.UNA is after SND.NXT";
	bool outstanding = t->snd_una != t->snd_nxt;
	if (t->state == TCP_TIME_WAIT) {
		if (!timer_armed(&t->tw_timer) && !t->sock.host->env->set->time_wait_off)
			return "TIME-WAIT without its 2 MSL timer";
		if (timer_armed(&t->rto_timer))
			return "the RTO timer is armed in TIME-WAIT";
		return NULL;
	}
	/* RFC 5681 3.1: cwnd never below the loss window, ssthresh never
	 * below two segments. */
	if (tcp_synchronized(t->state) && (t->cwnd < t->snd_mss || t->ssthresh < 2u * t->snd_mss))
		return "cwnd below one segment or ssthresh below two";
	/* RFC 3042 2: limited transmit sends at most two segments beyond
	 * cwnd, and none in fast recovery. */
	if (t->limited_sent > 2u * t->snd_mss || (t->limited_sent && t->fast_recovery))
		return "limited transmit went beyond its two segments";
	if (t->timeout_recovery && seq_gt(t->rtx_nxt, t->recover))
		return "resending after a timeout beyond what was sent before it";
	if (outstanding != timer_armed(&t->rto_timer))
		return outstanding ? "something awaits an ACK but the RTO timer is off"
				   : "the RTO timer is armed with nothing to acknowledge";
	if (t->state != TCP_SYN_SENT && t->state != TCP_SYN_RECEIVED) {
		uint32_t data_end = t->sndq_seq + t->sndq.len;
		if (seq_gt(t->sndq_seq, t->snd_nxt) && !(t->fin_sent && t->sndq.len == 0))
			return "the send queue starts after SND.NXT";
		if (t->fin_sent && t->fin_seq != data_end)
			return "the FIN does not follow the last byte of data";
		if (!t->fin_sent && seq_gt(t->snd_nxt, data_end))
			return "SND.NXT is beyond the data queued";
	}
	uint32_t held = 0;
	for (const struct ooo_seg *o = t->ooo; o; o = o->next) {
		held += o->len;
		if (!seq_gt(o->seq, t->rcv_nxt - 1) && o->seq != t->rcv_nxt && seq_lt(o->seq + o->len, t->rcv_nxt))
			return "an out-of-order segment is entirely before RCV.NXT";
	}
	if (held != t->ooo_bytes)
		return "the out-of-order byte count is wrong";
	if (t->rcvq.len > t->sock.host->env->set->rcvbuf)
		return "more data received than the receive buffer holds";
	return NULL;
}
