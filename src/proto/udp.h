/* UDP (RFC 768). */
#ifndef STACKLAB_PROTO_UDP_H
#define STACKLAB_PROTO_UDP_H

#include <stdint.h>

#define UDP_HLEN 8

struct udp_hdr {
	uint16_t sport, dport, len, csum;
};

enum udp_field { UDP_F_SPORT, UDP_F_DPORT, UDP_F_LEN, UDP_F_CSUM };

struct proto_def;
extern const struct proto_def proto_udp;

#endif
