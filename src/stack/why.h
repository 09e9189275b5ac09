/* The rules behind trace events: each has its text, with places for the
 * values it used, and the RFC section it comes from. Events store only the
 * rule number and the values; the text is made when someone looks (trace,
 * why, lessons), so recording stays cheap. */
#ifndef STACKLAB_STACK_WHY_H
#define STACKLAB_STACK_WHY_H

#include <stdint.h>

#include "core/sbuf.h"
#include "core/trace.h"

enum rule {
	R_NONE,
	/* by hand */
	R_INJECT,
	/* ARP */
	R_ARP_REQUEST, R_ARP_RETRY, R_ARP_REPLY, R_ARP_GIVE_UP, R_ARP_TIMER,
	/* Ethernet and IPv4 input */
	R_DISC_NOT_OUR_MAC, R_DISC_MALFORMED, R_DISC_IP_CSUM, R_DISC_NOT_OUR_IP, R_DISC_FRAGMENT,
	R_DISC_IP_PROTO, R_DISC_NO_ROUTE, R_DISC_ETHERTYPE,
	/* ICMP */
	R_ICMP_ECHO, R_ICMP_ECHO_REPLY, R_DISC_ICMP_CSUM, R_ICMP_PORT_UNREACH, R_ICMP_PROTO_UNREACH, R_ICMP_ERROR_IN,
	R_ICMP_REPLY_IN,
	/* UDP */
	R_UDP_SEND, R_DISC_UDP_CSUM, R_UDP_DELIVER,
	/* TCP: user calls */
	R_TCP_OPEN_PASSIVE, R_TCP_OPEN_ACTIVE, R_TCP_SEND_SYN, R_TCP_CLOSE, R_TCP_CLOSE_SYN_SENT,
	R_TCP_CLOSE_LISTEN, R_TCP_ABORT, R_TCP_ABORT_RST, R_TCP_SEND_DATA, R_TCP_LIMITED_TRANSMIT, R_TCP_SEND_FIN,
	R_TCP_WINDOW_UPDATE,
	/* TCP: segment arrives, CLOSED and LISTEN */
	R_DISC_TCP_CSUM, R_TCP_CLOSED_RST_ACK, R_TCP_CLOSED_RST, R_TCP_CLOSED_GOT_RST,
	R_TCP_LISTEN_RST, R_TCP_LISTEN_ACK, R_TCP_LISTEN_SYN, R_TCP_LISTEN_SYN_STATE,
	R_TCP_LISTEN_OTHER, R_TCP_LISTEN_TWO_WAY, R_TCP_LISTEN_FULL, R_TCP_SYN_DATA_IGNORED,
	/* TCP: SYN-SENT */
	R_TCP_SYN_SENT_BAD_ACK, R_TCP_SYN_SENT_BAD_ACK_RST, R_TCP_SYN_SENT_RST,
	R_TCP_SYN_SENT_RST_NO_ACK, R_TCP_SYN_SENT_SYN_ACK, R_TCP_SYN_SENT_SYN_ACK_STATE,
	R_TCP_SYN_SENT_SYN, R_TCP_SYN_SENT_SYN_STATE, R_TCP_SYN_SENT_OTHER,
	/* TCP: the synchronized states */
	R_TCP_UNACCEPTABLE, R_TCP_ACK_THROTTLED, R_TCP_UNACCEPTABLE_RST, R_TCP_RST_CHALLENGE, R_TCP_RST_RESET,
	R_TCP_RST_CLOSE, R_TCP_RST_BACK_TO_LISTEN, R_TCP_RST_REFUSED, R_TCP_SYN_CHALLENGE,
	R_TCP_SYN_BACK_TO_LISTEN, R_TCP_NO_ACK, R_TCP_SYN_RECEIVED_ACK, R_TCP_SYN_RECEIVED_BAD_ACK,
	R_TCP_ACK_UNSENT, R_TCP_ACK_TOO_OLD, R_TCP_FIN_ACKED_FW2, R_TCP_FIN_ACKED_TIME_WAIT,
	R_TCP_FIN_ACKED_CLOSED, R_TCP_TIME_WAIT_FIN, R_TCP_DATA, R_TCP_DATA_FILLS_GAP, R_TCP_DATA_OOO,
	R_TCP_DATA_AFTER_FIN, R_TCP_FIN, R_TCP_FIN_CLOSE_WAIT, R_TCP_FIN_CLOSING,
	R_TCP_FIN_TIME_WAIT, R_TCP_ZERO_WINDOW_PROBE_ACK,
	/* TCP: timeouts */
	R_TCP_RTO_TIMER, R_TCP_GIVE_UP_TIMER, R_TCP_RETRANSMIT, R_TCP_RETRANSMIT_DATA, R_TCP_FAST_RETRANSMIT,
	R_TCP_PARTIAL_ACK_RETRANSMIT, R_TCP_RESEND_AFTER_TIMEOUT, R_TCP_GIVE_UP,
	R_TCP_TIME_WAIT_TIMER,
	R_TCP_TIME_WAIT_CLOSED, R_TCP_PERSIST_TIMER, R_TCP_SWS_OVERRIDE_TIMER, R_TCP_PROBE, R_TCP_TIME_WAIT_SKIPPED,
	R_TCP_DELACK_TIMER,
	R_COUNT,
};

/* The rule's text, with the values of w put in. */
void why_format(const struct why *w, struct sbuf *sb);
/* "RFC 9293 3.10.7.2", or "" for rules that are not from an RFC. */
const char *why_section(uint16_t rule);
/* Fills a why from up to WHY_VALUES values, in place. */
static inline void why_set(struct why *w, uint16_t rule, const uint32_t *v, int nv)
{
	w->rule = rule;
	for (int i = 0; i < WHY_VALUES; i++)
		w->v[i] = i < nv ? v[i] : 0;
}

/* The same as a value. Inline: every event made on a segment's way calls
 * one of them. */
static inline struct why why_make(uint16_t rule, const uint32_t *v, int nv)
{
	struct why w;
	why_set(&w, rule, v, nv);
	return w;
}

#endif
