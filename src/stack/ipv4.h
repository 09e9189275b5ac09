/* A host's IPv4 layer: sending datagrams on the link (through ARP) and
 * checking and dispatching those that arrive (RFC 791, RFC 1122 3.2). */
#ifndef STACKLAB_STACK_IPV4_H
#define STACKLAB_STACK_IPV4_H

#include "stack/host.h"

/* Starts the host's outgoing frame: Ethernet, IPv4 and `upper` layers at
 * their defaults, no payload. Fill the upper layer and the payload, then
 * ipv4_send. */
struct pkt *ipv4_begin(struct host *h, const struct proto_def *upper);
/* Starts the host's outgoing frame as bytes only, with room in front
 * for the headers: for an upper layer that writes its own (TCP's
 * segments, tcp_push_header), then calls ipv4_send_bytes. No packet is
 * built: the bytes and field marks are those ipv4_begin and ipv4_send
 * would give, at a fraction of the cost. */
void ipv4_begin_bytes(struct host *h, size_t upper_max_hlen);
/* Room for n bytes of payload, to be written straight into the frame
 * being built (h->txbuf) rather than into the packet's payload buffer and
 * copied from there: TCP's data segments. Use one or the other. */
uint8_t *ipv4_payload_room(struct host *h, size_t n);
/* Pushes the IPv4 and Ethernet headers in front of what the upper layer
 * put in h->txbuf (begun with ipv4_begin_bytes) and sends the frame
 * towards dst; fills m's marks of those two layers (the caller gives the
 * third's, and the ports). */
void ipv4_send_bytes(struct host *h, uint32_t dst, uint8_t proto, struct xmit_meta *m);
/* Fills the IPv4 and Ethernet headers of the frame begun with ipv4_begin,
 * encodes it and sends it towards dst. Completes m (ports, field marks)
 * on the way. */
void ipv4_send(struct host *h, uint32_t dst, uint8_t proto, struct xmit_meta *m);
/* Sends a frame built by hand (pkt send, h:inject) as it is, filling only
 * what was left unset: this host's addresses and the peer's. */
int host_inject(struct host *h, struct pkt *p, const uint8_t peer_mac[6], uint32_t peer_ip, struct err *e);
void ipv4_input(struct host *h, struct pkt *p, int li);

#endif
