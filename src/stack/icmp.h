/* A host's ICMP: answering echo requests, sending them (ping), and port
 * unreachable for UDP to a closed port (RFC 792, RFC 1122 3.2.2). */
#ifndef STACKLAB_STACK_ICMP_H
#define STACKLAB_STACK_ICMP_H

#include "stack/host.h"

void icmp_input(struct host *h, struct pkt *p, int li);
/* Sends an echo request; fills e and returns -1 when dst is not on the link. */
int icmp_ping(struct host *h, uint32_t dst, struct err *e);
/* Tells the sender of the datagram whose IPv4 layer is p->layer[ipli]
 * that nothing listens on its UDP port. */
void icmp_port_unreachable(struct host *h, const struct pkt *p, int ipli);
/* Destination unreachable with this code, quoting the datagram. */
void icmp_unreachable(struct host *h, const struct pkt *p, int ipli, uint8_t code);

#endif
