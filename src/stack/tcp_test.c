#include "stack/tcp_test.h"

#include <stdlib.h>
#include <string.h>

struct tcb *tcp_test_conn(struct host *h, uint32_t rip, uint16_t lport, uint16_t rport, uint8_t state,
			  uint32_t iss, uint32_t irs)
{
	struct tcb *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	c->lport = lport;
	c->rip = rip;
	c->rport = rport;
	tcp_test_register(h, c);
	c->iss = iss;
	c->irs = irs;
	c->snd_una = c->snd_nxt = c->sndq_seq = iss + 1;
	c->rcv_nxt = irs + 1;
	c->rcv_up = irs + 1;
	c->snd_wnd = c->max_snd_wnd = 65535;
	c->snd_wl1 = irs;
	c->snd_wl2 = iss + 1;
	c->rcv_wnd = 65535;
	c->snd_mss = 1460;
	switch (state) {
	case TCP_SYN_SENT:
		c->snd_una = iss;
		c->rcv_nxt = 0;
		c->irs = 0;
		break;
	case TCP_SYN_RECEIVED:
		c->snd_una = iss;
		break;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		/* our FIN sent, not yet acknowledged */
		c->fin_queued = c->fin_sent = true;
		c->fin_seq = iss + 1;
		c->snd_nxt = iss + 2;
		break;
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
		c->fin_queued = c->fin_sent = true;
		c->fin_seq = iss + 1;
		c->snd_una = c->snd_nxt = iss + 2;
		break;
	default:
		break;
	}
	if (state == TCP_CLOSE_WAIT || state == TCP_CLOSING || state == TCP_LAST_ACK || state == TCP_TIME_WAIT) {
		c->fin_rcvd = true;
		c->rcv_nxt = irs + 2;	/* the peer's FIN was at irs+1 */
	}
	tcp_force_state(c, state);
	if (c->snd_una != c->snd_nxt)
		tcp_arm_rto(c);
	if (state == TCP_TIME_WAIT)
		evq_arm(h->env->q, &c->tw_timer, h->env->q->now + 2 * h->env->set->msl);
	return c;
}

void tcp_test_segment(struct host *from, struct host *to, uint16_t sport, uint16_t dport, uint32_t seq,
		      uint32_t ack, uint8_t flags, const uint8_t *data, size_t len, uint16_t win, uint16_t mss)
{
	struct pkt p;
	pkt_init(&p);
	struct layer *eth = pkt_push(&p, &proto_eth, NULL);
	struct layer *ip = pkt_push(&p, &proto_ipv4, NULL);
	struct layer *tcp = pkt_push(&p, &proto_tcp, NULL);
	memcpy(eth->h.eth.src, from->mac, 6);
	memcpy(eth->h.eth.dst, to->mac, 6);
	ip->h.ip.src = from->ip;
	ip->h.ip.dst = to->ip;
	eth->given |= 1u << ETH_F_SRC | 1u << ETH_F_DST;
	ip->given |= 1u << IP_F_SRC | 1u << IP_F_DST;
	struct tcp_hdr *th = &tcp->h.tcp;
	th->sport = sport;
	th->dport = dport;
	th->seq = seq;
	th->ack = ack;
	th->flags = flags;
	th->win = win;
	tcp->given |= 1u << TCP_F_SPORT | 1u << TCP_F_DPORT | 1u << TCP_F_SEQ | 1u << TCP_F_ACK |
		      1u << TCP_F_FLAGS | 1u << TCP_F_WIN;
	if (mss) {
		th->mss = mss;
		tcp->given |= 1u << TCP_F_MSS;
	}
	if (len)
		pkt_set_payload(&p, data, len, NULL);
	const struct buf *f = pkt_frame(&p);
	host_input(to, buf_data(f), f->len);
	pkt_free(&p);
}
