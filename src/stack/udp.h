/* A host's UDP (RFC 768): sending datagrams, and sockets bound to a port
 * that keep what arrives for them. */
#ifndef STACKLAB_STACK_UDP_H
#define STACKLAB_STACK_UDP_H

#include "stack/host.h"

struct udp_dgram {
	struct udp_dgram *next;
	uint32_t from_ip;
	uint16_t from_port;
	uint32_t len;
	uint8_t data[];
};

struct udp_sock {
	struct sock sock;	/* first: a udp_sock is a socket */
	uint16_t port;
	bool bound;
	struct udp_dgram *head, *tail;
	uint32_t queued;
};

struct udp_sock *udp_bind(struct host *h, uint16_t port, struct err *e);
void udp_unbind(struct udp_sock *u);
/* Sends one datagram from sport (0: an ephemeral port). */
int udp_send(struct host *h, uint16_t sport, uint32_t dst, uint16_t dport, const uint8_t *data,
	     size_t len, struct err *e);
/* The oldest datagram queued on u, which the caller frees; NULL if none. */
struct udp_dgram *udp_recv(struct udp_sock *u);
void udp_input(struct host *h, struct pkt *p, int li);

#endif
