/* TCP as RFC 9293 specifies it: the TCB, the user calls of 3.10.1-3.10.5
 * (OPEN, SEND, RECEIVE, CLOSE, ABORT), segment arrival (3.10.7), and the
 * timeouts (3.10.8), with RFC 5961's challenge ACKs and RFC 6298's timer.
 * The wire format is in proto/tcp_wire.c; this is behaviour. */
#ifndef STACKLAB_STACK_TCP_H
#define STACKLAB_STACK_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/evq.h"
#include "stack/host.h"

enum tcp_state {
	TCP_CLOSED, TCP_LISTEN, TCP_SYN_SENT, TCP_SYN_RECEIVED, TCP_ESTABLISHED,
	TCP_FIN_WAIT_1, TCP_FIN_WAIT_2, TCP_CLOSE_WAIT, TCP_CLOSING, TCP_LAST_ACK,
	TCP_TIME_WAIT, TCP_NSTATES,
};

/* What the user is told when a connection ends badly (RFC 9293 3.10). */
enum tcp_error {
	TCP_OK, TCP_ERR_REFUSED, TCP_ERR_RESET, TCP_ERR_TIMED_OUT, TCP_ERR_ABORTED,
};

enum timer_name { TIMER_RTO, TIMER_PERSIST, TIMER_TIME_WAIT, TIMER_ARP, TIMER_DELACK };

/* A byte queue (ring); storage is given back when it empties, so an idle
 * connection holds none. */
struct byteq {
	uint8_t *buf;
	uint32_t head, len, cap;
};

/* A segment that arrived ahead of RCV.NXT, held until the gap fills. */
struct ooo_seg {
	struct ooo_seg *next;
	uint32_t seq;
	uint32_t len;		/* data bytes */
	bool fin;
	uint8_t data[];
};

#define TCP_MAX_STATES_KEPT 24

struct tcb {
	struct sock sock;	/* first: a tcb is a socket */
	uint8_t state;
	bool passive;		/* opened from a listener (SYN-RECEIVED goes back to LISTEN on RST) */
	uint8_t error;		/* enum tcp_error */
	uint16_t lport, rport;
	uint32_t rip;
	struct tcb *listener;	/* passive: the listener it came from, while not accepted */
	/* Listener: connections that completed their handshake, not yet accepted. */
	struct tcb **accept_q;
	uint32_t naccept, capaccept;
	bool accepted;

	/* Send sequence space (RFC 9293 3.3.1, Figure 3). */
	uint32_t iss, snd_una, snd_nxt, snd_wnd, snd_up, snd_wl1, snd_wl2;
	uint32_t max_snd_wnd;	/* RFC 5961 5.2 */
	/* Receive sequence space (Figure 4). */
	uint32_t irs, rcv_nxt, rcv_wnd, rcv_up;
	uint32_t rcv_adv;	/* RCV.NXT + RCV.WND as last advertised: the window's right edge */
	uint16_t snd_mss;	/* the peer's MSS: largest segment we send */

	struct byteq sndq;	/* unacknowledged and unsent data ... */
	uint32_t sndq_seq;	/* ... whose first byte has this sequence number */
	struct byteq rcvq;	/* received in order, not yet read by the user */
	struct ooo_seg *ooo;
	uint32_t ooo_bytes;
	bool fin_queued;	/* CLOSE called: a FIN follows the data */
	bool fin_sent;
	uint32_t fin_seq;	/* our FIN's sequence number, once sent */
	bool fin_rcvd;		/* the peer's FIN arrived: end of its data */

	/* Retransmission (RFC 6298). */
	struct timer rto_timer, persist_timer, tw_timer, delack_timer;
	vtime rto, srtt, rttvar;
	bool have_rtt;
	bool rtt_timing;	/* one segment is being timed */
	uint32_t rtt_seq;	/* ... the ACK that ends the measurement */
	vtime rtt_start;
	uint8_t retries;	/* retransmissions of the current oldest segment */
	bool syn_retransmitted;	/* RFC 6298 5.7 */
	uint8_t persist_backoff;
	bool sws_held;		/* sender SWS avoidance keeps a runt back (RFC 9293 3.8.6.2.1) ... */
	bool sws_override;	/* ... until the override timeout lets one go */
	/* Congestion control (RFC 5681, stack/tcp_cc.c). */
	uint32_t cwnd, ssthresh;
	vtime last_data_sent;	/* when data or a FIN last went out (RFC 5681 4.1) */
	uint8_t dupacks;	/* duplicate ACKs in a row (RFC 5681 2, 3.2) */
	bool fast_recovery;	/* from a fast retransmit to the ACK of all sent before it */
	uint32_t recover;	/* SND.NXT when recovery began, or at the last timeout (RFC 6582) */
	bool timeout_recovery;	/* after a timeout, what was sent before it is being resent ... */
	uint32_t rtx_nxt;	/* ... from here on (see tcp_resend_after_timeout) */
	uint32_t limited_sent;	/* bytes sent beyond cwnd by limited transmit (RFC 3042) */
	bool sent_invalid_ack;	/* an ACK answered an unacceptable segment ... */
	vtime invalid_ack_at;	/* ... at this time (RFC 5961 7: throttled) */
	bool ack_pending;	/* an ACK is owed; a segment going out anyway carries it */
	bool ack_now;		/* ... and it may not wait for the delayed ACK timer */
	struct why ack_why;

	/* History, for tcb and c:states(). */
	uint8_t states[TCP_MAX_STATES_KEPT];
	uint8_t nstates;
	bool states_overflow;
	uint64_t segs_in, segs_out, retransmits;
};

extern const char *const tcp_state_names[TCP_NSTATES];
/* Accepts RFC 9293 names and netstat spellings ("SYN_RECV"); -1 if unknown. */
int tcp_state_parse(const char *s);
const char *tcp_error_text(uint8_t e);
const char *timer_name_text(uint8_t t);

/* User calls (RFC 9293 3.10.1 to 3.10.5). Each returns NULL or 0 on
 * success, or fills e with what is wrong. */
struct tcb *tcp_listen(struct host *h, uint16_t port, struct err *e);
struct tcb *tcp_connect(struct host *h, uint32_t rip, uint16_t rport, uint16_t lport, struct err *e);
int tcp_send(struct tcb *t, const uint8_t *data, size_t len, struct err *e);
/* Takes up to max bytes of received data; *eof when the peer closed and all was read. */
size_t tcp_recv(struct tcb *t, uint8_t *out, size_t max, bool *eof);
int tcp_close(struct tcb *t, struct err *e);
void tcp_abort(struct tcb *t);
/* The next connection of listener l whose handshake completed, or NULL. */
struct tcb *tcp_accept(struct tcb *l);

/* A segment arrived for host h (RFC 9293 3.10.7). li is the TCP layer. */
void tcp_input(struct host *h, struct pkt *p, int li);

/* Derived values. */
static inline uint32_t tcp_bytes_unread(const struct tcb *t) { return t->rcvq.len; }
bool tcp_synchronized(uint8_t state);
/* Computes the ISN for a new connection (RFC 9293 3.4.1). */
uint32_t tcp_choose_isn(struct host *h, uint16_t lport, uint32_t rip, uint16_t rport);

/* For tests: checks what must always hold of a TCB; NULL when all is
 * well, else the first thing that is wrong. */
const char *tcp_check_invariants(const struct tcb *t);
/* For tests: puts t into a state directly. */
void tcp_force_state(struct tcb *t, uint8_t state);
/* For tests: lists a TCB made by hand (ports and address filled in) on h. */
void tcp_test_register(struct host *h, struct tcb *t);

/* Internal to stack/tcp*.c */
void tcp_set_state(struct tcb *t, uint8_t state, uint16_t rule, const uint32_t *v, int nv);
/* Sends what the window allows of the queued data and FIN, then the ACK
 * still owed if no segment carried it. */
void tcp_output(struct tcb *t);
/* An ACK is owed for what arrived: it may wait for the delayed ACK timer
 * (when `set delack` is on), unless `at_once` (the caller's reason, such
 * as RFC 5681 4.2's gap being filled) or it is the second owed. */
void tcp_owe_ack(struct tcb *t, bool at_once, uint16_t rule, const uint32_t *v, int nv);
void tcp_send_ctl(struct tcb *t, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t rule,
		  const uint32_t *v, int nv);
void tcp_send_reset_for(struct host *h, const struct pkt *p, int li, uint32_t seq, uint32_t ack,
			uint8_t flags, uint32_t conn, uint16_t rule, const uint32_t *v, int nv);
/* Resends the oldest unacknowledged segment; `rule` says why (a timeout,
 * three duplicate ACKs, a partial ACK). A SYN's is R_TCP_RETRANSMIT. */
void tcp_retransmit_oldest(struct tcb *t, uint16_t rule);
void tcp_send_probe(struct tcb *t);
void tcp_timers_init(struct tcb *t);
void tcp_arm_rto(struct tcb *t);
void tcp_stop_timers(struct tcb *t);
void tcp_rtt_sample(struct tcb *t, vtime r);
void tcp_start_time_wait(struct tcb *t);
void tcp_update_persist(struct tcb *t);
uint32_t tcp_window_now(const struct tcb *t);
void tcp_release(struct tcb *t);

/* Congestion control (RFC 5681), in stack/tcp_cc.c. */
/* cwnd and ssthresh as a connection is established (3.1). */
void tcp_cc_init(struct tcb *t);
/* SND.NXT - SND.UNA: what is sent and not yet acknowledged. */
uint32_t tcp_flight_size(const struct tcb *t);
/* An ACK acknowledged `acked` bytes of new data: slow start or congestion
 * avoidance opens cwnd (3.1). */
void tcp_cc_acked(struct tcb *t, uint32_t acked);
/* The retransmission timer expired: ssthresh halves, cwnd drops to one
 * segment (3.1). Called before t->retries counts this retry. */
void tcp_cc_timeout(struct tcb *t);
/* Before data goes out: an idle connection restarts from IW (4.1). */
void tcp_cc_before_send(struct tcb *t, vtime now);
/* How much may be in flight now: cwnd, or up to two segments more on
 * the first two duplicate ACKs (3.2 step 1, RFC 3042 limited transmit). */
uint32_t tcp_cc_send_limit(const struct tcb *t);
/* n bytes of data go out with `flight` in flight: true when some of them
 * are beyond cwnd, sent by limited transmit (and counted as such). */
bool tcp_cc_limited_transmit(struct tcb *t, uint32_t flight, uint32_t n);
/* A duplicate ACK arrived (as RFC 5681 2 defines one): the third starts
 * fast retransmit and fast recovery, later ones inflate cwnd (3.2). */
void tcp_cc_dupack(struct tcb *t);

/* Storage comes from `pool` and goes back to it (NULL: malloc and free);
 * either may free what the other gave, so a queue may change pools. */
void byteq_push(struct byteq *q, struct blockpool *pool, const uint8_t *d, size_t n);
void byteq_pop(struct byteq *q, struct blockpool *pool, size_t n);
void byteq_peek(const struct byteq *q, size_t off, uint8_t *out, size_t n);
void byteq_free(struct byteq *q, struct blockpool *pool);

#endif
