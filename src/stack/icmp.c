/* A host's ICMP (RFC 792; RFC 1122 3.2.2). */
#include "stack/icmp.h"

#include <string.h>

#include "stack/ipv4.h"
#include "stack/why.h"

static void send_icmp(struct host *h, uint32_t dst, uint8_t type, uint8_t code, uint16_t id, uint16_t seq,
		      const uint8_t *data, size_t len, uint16_t rule, const uint32_t *v, int nv)
{
	struct pkt *p = ipv4_begin(h, &proto_icmp);
	struct layer *l = &p->layer[2];
	l->h.icmp.type = type;
	l->h.icmp.code = code;
	l->h.icmp.id = id;
	l->h.icmp.seq = seq;
	l->given |= 1u << ICMP_F_TYPE | 1u << ICMP_F_CODE | 1u << ICMP_F_ID | 1u << ICMP_F_SEQ;
	if (len)
		buf_append(&p->payload, data, len);
	struct xmit_meta m = {.proto = TP_ICMP, .len = (uint32_t)len, .why = why_make(rule, v, nv)};
	ipv4_send(h, dst, IP_PROTO_ICMP, &m);
}

int icmp_ping(struct host *h, uint32_t dst, struct err *e)
{
	if (host_check_peer(h, dst, e) < 0)
		return -1;
	static const uint8_t data[] = "stacklab ping 0123456789abcdef";
	uint16_t seq = h->ping.next_seq++;
	h->ping.sent++;
	uint32_t v[] = {dst, h->ping.id, seq};
	send_icmp(h, dst, ICMP_ECHO, 0, h->ping.id, seq, data, sizeof data - 1, R_ICMP_ECHO, v, 3);
	return 0;
}

void icmp_unreachable(struct host *h, const struct pkt *p, int ipli, uint8_t code)
{
	/* RFC 792: the IP header and the first 64 bits of the datagram. */
	const struct layer *ip = &p->layer[ipli];
	size_t flen;
	const uint8_t *start = pkt_frame_data(p, &flen) + ip->off;
	size_t avail = flen - p->trailer - ip->off;
	size_t quote = ip->len + 8u < avail ? ip->len + 8u : avail;
	uint32_t v[] = {code == ICMP_UNREACH_PORT ? p->layer[ipli + 1].h.udp.dport : ip->h.ip.proto, ip->h.ip.src};
	send_icmp(h, ip->h.ip.src, ICMP_UNREACH, code, 0, 0, start, quote,
		  code == ICMP_UNREACH_PORT ? R_ICMP_PORT_UNREACH : R_ICMP_PROTO_UNREACH, v, 2);
}

void icmp_port_unreachable(struct host *h, const struct pkt *p, int ipli)
{
	icmp_unreachable(h, p, ipli, ICMP_UNREACH_PORT);
}

void icmp_input(struct host *h, struct pkt *p, int li)
{
	const struct layer *l = &p->layer[li];
	const struct icmp_hdr *ic = &l->h.icmp;
	if (l->csum_status == CSUM_BAD) {
		uint32_t v[] = {ic->csum, l->csum_good};
		host_discard(h, 0, R_DISC_ICMP_CSUM, v, 2);
		return;
	}
	uint32_t src = p->layer[li - 1].h.ip.src;
	if (ic->type == ICMP_ECHO) {
		/* RFC 1122 3.2.2.6: answer with the same identifier, sequence and data. */
		uint32_t v[] = {src, ic->id, ic->seq};
		size_t n = pkt_payload_len(p);
		uint8_t data[1500];
		if (n > sizeof data)
			n = sizeof data;
		if (n)
			memcpy(data, pkt_payload_data(p), n);
		send_icmp(h, src, ICMP_ECHO_REPLY, 0, ic->id, ic->seq, data, n, R_ICMP_ECHO_REPLY, v, 3);
	} else if (ic->type == ICMP_ECHO_REPLY && ic->id == h->ping.id) {
		h->ping.replies++;
	}
	/* Errors (unreachable, time exceeded) are soft for TCP (RFC 5461): they
	 * are in the trace as frames, and change no state. */
}
