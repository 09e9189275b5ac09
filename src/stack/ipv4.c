/* A host's IPv4 layer (RFC 791; RFC 1122 3.2.1 for what a host checks). */
#include "stack/ipv4.h"

#include <string.h>

#include "core/mem.h"
#include "stack/arp.h"
#include "stack/icmp.h"
#include "stack/tcp.h"
#include "stack/udp.h"
#include "stack/why.h"

struct pkt *ipv4_begin(struct host *h, const struct proto_def *upper)
{
	struct pkt *p = &h->tx;
	p->n = 0;
	buf_reset(&p->payload, 0, 0);
	pkt_touch(p);
	if (h->tx_fresh_upper == upper) {
		/* Copying three fresh layers costs a fraction of making them. */
		mem_copy(p->layer, h->tx_fresh, sizeof h->tx_fresh);
		p->n = 3;
	} else {
		pkt_push(p, &proto_eth, NULL);
		pkt_push(p, &proto_ipv4, NULL);
		pkt_push(p, upper, NULL);
		memcpy(h->tx_fresh, p->layer, sizeof h->tx_fresh);
		h->tx_fresh_upper = upper;
	}
	ipv4_begin_bytes(h, upper->max_hlen);
	return p;
}

void ipv4_begin_bytes(struct host *h, size_t upper_max_hlen)
{
	buf_reset(&h->txbuf, ETH_HLEN + IPV4_MAX_HLEN + upper_max_hlen, 0);
}

uint8_t *ipv4_payload_room(struct host *h, size_t n)
{
	return buf_append(&h->txbuf, NULL, n);
}

/* The fields of the Ethernet and IPv4 headers a host sets itself; the
 * encoder computes the rest or leaves them at their defaults. */
static const uint32_t eth_given = 1u << ETH_F_SRC | 1u << ETH_F_DST;
static const uint32_t ip_given = 1u << IP_F_SRC | 1u << IP_F_DST | 1u << IP_F_ID | 1u << IP_F_DF;

static bool on_link(struct host *h, uint32_t dst, const struct xmit_meta *m)
{
	if (host_on_link(h, dst))
		return true;
	uint32_t v[] = {dst};
	host_discard(h, m->conn, R_DISC_NO_ROUTE, v, 1);
	return false;
}

/* The fields a host sets in every datagram it sends (ip_given). */
static void set_sender_fields(struct host *h, struct ipv4_hdr *ip, uint32_t dst, uint8_t proto)
{
	ip->src = h->ip;
	ip->dst = dst;
	ip->id = h->ip_id++;
	ip->df = proto == IP_PROTO_TCP;	/* as Linux does for TCP */
}

void ipv4_send(struct host *h, uint32_t dst, uint8_t proto, struct xmit_meta *m)
{
	struct pkt *p = &h->tx;
	if (!on_link(h, dst, m))
		return;
	struct layer *eth = &p->layer[0], *ip = &p->layer[1];
	memcpy(eth->h.eth.src, h->mac, 6);
	memset(eth->h.eth.dst, 0, 6);	/* ARP fills it in */
	eth->given |= eth_given;
	set_sender_fields(h, &ip->h.ip, dst, proto);
	ip->given |= ip_given;
	pkt_encode_over(p, NULL, &h->txbuf);	/* onto the payload, if written there */
	xmit_meta_from(m, p);
	arp_output(h, dst, buf_data(&h->txbuf), h->txbuf.len, m);
}

void ipv4_send_bytes(struct host *h, uint32_t dst, uint8_t proto, struct xmit_meta *m)
{
	if (!on_link(h, dst, m))
		return;
	struct ipv4_hdr ip;
	ipv4_hdr_default(&ip, h->ip, dst);
	set_sender_fields(h, &ip, dst, proto);
	ip.proto = proto;	/* the protocol above, as the encoder derives it */
	m->given[1] = ip_given;
	m->computed[1] = ipv4_push_header(&h->txbuf, &ip);
	struct eth_hdr eth = {.type = ETHERTYPE_IPV4};	/* dst zero: ARP fills it in */
	memcpy(eth.src, h->mac, 6);
	eth_put(buf_push(&h->txbuf, ETH_HLEN), &eth);
	m->given[0] = eth_given;
	m->computed[0] = 1u << ETH_F_TYPE;
	arp_output(h, dst, buf_data(&h->txbuf), h->txbuf.len, m);
}

int host_inject(struct host *h, struct pkt *p, const uint8_t peer_mac[6], uint32_t peer_ip, struct err *e)
{
	if (p->n == 0 || p->layer[0].def != &proto_eth)
		return err_set(e, "a packet sent on the wire starts with an Ethernet layer: "
			       "pkt eth, or Ether{} / ... in Lua");
	struct addr_defaults ad;
	memcpy(ad.mac_src, h->mac, 6);
	memcpy(ad.mac_dst, peer_mac, 6);
	ad.ip_src = h->ip;
	ad.ip_dst = peer_ip;
	pkt_encode(p, &ad, &h->txbuf);
	p->frame_valid = false;	/* its frame was encoded with another host's defaults */
	if (h->txbuf.len > ETH_HLEN + 1500)
		return err_set(e, "the frame is %zu bytes: at most %d fit the link's MTU of 1500",
			       h->txbuf.len, ETH_HLEN + 1500);
	int tcp = pkt_find(p, &proto_tcp);
	struct xmit_meta m = {.why = why_make(R_INJECT, NULL, 0)};
	xmit_meta_from(&m, p);
	if (tcp >= 0) {
		const struct tcp_hdr *th = &p->layer[tcp].h.tcp;
		m.proto = TP_TCP;
		m.flags = th->flags;
		m.seq = th->seq;
		m.ack = th->ack;
		m.len = (uint32_t)pkt_bytes_above(p, tcp);
	} else if (pkt_find(p, &proto_udp) >= 0) {
		m.proto = TP_UDP;
		m.len = (uint32_t)pkt_bytes_above(p, pkt_find(p, &proto_udp));
	} else if (pkt_find(p, &proto_icmp) >= 0) {
		m.proto = TP_ICMP;
		m.len = (uint32_t)pkt_bytes_above(p, pkt_find(p, &proto_icmp));
	} else if (pkt_find(p, &proto_arp) >= 0) {
		m.proto = TP_ARP;
	}
	h->env->xmit(h->env->ctx, h, buf_data(&h->txbuf), h->txbuf.len, &m);
	return 0;
}

void ipv4_input(struct host *h, struct pkt *p, int li)
{
	const struct layer *l = &p->layer[li];
	const struct ipv4_hdr *ip = &l->h.ip;
	/* RFC 1122 3.2.1.2: a datagram with a bad checksum is discarded silently. */
	if (l->csum_status == CSUM_BAD) {
		uint32_t v[] = {ip->csum, l->csum_good};
		host_discard(h, 0, R_DISC_IP_CSUM, v, 2);
		return;
	}
	/* RFC 1122 3.2.1.3: only for one of our addresses (or broadcast). */
	if (ip->dst != h->ip && ip->dst != 0xffffffffu && ip->dst != (h->ip | ~h->mask)) {
		uint32_t v[] = {ip->dst, h->ip};
		host_discard(h, 0, R_DISC_NOT_OUR_IP, v, 2);
		return;
	}
	if (ip->mf || ip->frag) {
		uint32_t v[] = {ip->id, ip->frag * 8u};
		host_discard(h, 0, R_DISC_FRAGMENT, v, 2);
		return;
	}
	int up = li + 1;
	if (up < p->n && p->layer[up].def == &proto_tcp)
		tcp_input(h, p, up);
	else if (up < p->n && p->layer[up].def == &proto_udp)
		udp_input(h, p, up);
	else if (up < p->n && p->layer[up].def == &proto_icmp)
		icmp_input(h, p, up);
	else {
		/* RFC 1122 3.2.2.1: SHOULD send protocol unreachable. */
		uint32_t v[] = {ip->proto};
		host_discard(h, 0, R_DISC_IP_PROTO, v, 1);
		icmp_unreachable(h, p, li, ICMP_UNREACH_PROTO);
	}
}
