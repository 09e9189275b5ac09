/* A host's UDP (RFC 768; RFC 1122 4.1). */
#include "stack/udp.h"

#include <stdlib.h>
#include <string.h>

#include "stack/icmp.h"
#include "stack/ipv4.h"
#include "stack/why.h"

static void udp_destroy(struct sock *s)
{
	struct udp_sock *u = (struct udp_sock *)s;
	while (u->head) {
		struct udp_dgram *d = u->head;
		u->head = d->next;
		free(d);
	}
	free(u);
}

static void udp_detach(struct sock *s)
{
	struct udp_sock *u = (struct udp_sock *)s;
	if (u->bound && hmap_get(&s->host->udp_ports, u->port) == u)
		hmap_del(&s->host->udp_ports, u->port);
	u->bound = false;
}

struct udp_sock *udp_bind(struct host *h, uint16_t port, struct err *e)
{
	if (port == 0) {
		err_set(e, "port 0 cannot be bound: give a port from 1 to 65535");
		return NULL;
	}
	if (!host_may_open(h, e))
		return NULL;
	if (hmap_get(&h->udp_ports, port)) {
		err_set(e, "%s already has a UDP socket on port %u", h->name, port);
		return NULL;
	}
	struct udp_sock *u = calloc(1, sizeof *u);
	if (!u)
		abort();
	sock_register(h, &u->sock, SOCK_UDP, udp_detach, udp_destroy);
	u->port = port;
	u->bound = true;
	hmap_put(&h->udp_ports, port, u);
	return u;
}

void udp_unbind(struct udp_sock *u)
{
	struct host *h = u->sock.host;
	if (!u->bound || !h)
		return;
	hmap_del(&h->udp_ports, u->port);
	u->bound = false;
	host_note_closed(h, &u->sock);
}

int udp_send(struct host *h, uint16_t sport, uint32_t dst, uint16_t dport, const uint8_t *data,
	     size_t len, struct err *e)
{
	if (dport == 0)
		return err_set(e, "port 0 cannot be sent to: give a port from 1 to 65535");
	if (host_check_peer(h, dst, e) < 0)
		return -1;
	if (len > 1472)
		return err_set(e, "%zu bytes do not fit one datagram on this link: at most 1472", len);
	if (sport == 0)
		sport = host_ephemeral_port(h);
	struct pkt *p = ipv4_begin(h, &proto_udp);
	struct layer *l = &p->layer[2];
	l->h.udp.sport = sport;
	l->h.udp.dport = dport;
	l->given |= 1u << UDP_F_SPORT | 1u << UDP_F_DPORT;
	buf_append(&p->payload, data, len);
	uint32_t v[] = {sport, dst, dport, (uint32_t)len};
	struct xmit_meta m = {.proto = TP_UDP, .len = (uint32_t)len, .why = why_make(R_UDP_SEND, v, 4)};
	ipv4_send(h, dst, IP_PROTO_UDP, &m);
	return 0;
}

struct udp_dgram *udp_recv(struct udp_sock *u)
{
	struct udp_dgram *d = u->head;
	if (d) {
		u->head = d->next;
		if (!u->head)
			u->tail = NULL;
		u->queued--;
	}
	return d;
}

void udp_input(struct host *h, struct pkt *p, int li)
{
	const struct layer *l = &p->layer[li];
	if (l->csum_status == CSUM_BAD) {
		uint32_t v[] = {l->h.udp.csum, l->csum_good};
		host_discard(h, 0, R_DISC_UDP_CSUM, v, 2);
		return;
	}
	struct udp_sock *u = hmap_get(&h->udp_ports, l->h.udp.dport);
	if (!u) {
		/* RFC 1122 4.1.3.1: SHOULD send port unreachable. */
		icmp_port_unreachable(h, p, li - 1);
		return;
	}
	if (u->queued >= 1024)
		return;
	size_t len = pkt_payload_len(p);
	struct udp_dgram *d = malloc(sizeof *d + len);
	if (!d)
		abort();
	d->next = NULL;
	d->from_ip = p->layer[li - 1].h.ip.src;
	d->from_port = l->h.udp.sport;
	d->len = (uint32_t)len;
	if (len)
		memcpy(d->data, pkt_payload_data(p), len);
	if (u->tail)
		u->tail->next = d;
	else
		u->head = d;
	u->tail = d;
	u->queued++;
}
