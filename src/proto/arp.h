/* ARP for IPv4 over Ethernet (RFC 826). */
#ifndef STACKLAB_PROTO_ARP_H
#define STACKLAB_PROTO_ARP_H

#include <stdint.h>

#define ARP_LEN 28
#define ARP_REQUEST 1
#define ARP_REPLY 2

struct arp_hdr {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6];
	uint32_t spa;
	uint8_t tha[6];
	uint32_t tpa;
};

enum arp_field {
	ARP_F_HTYPE, ARP_F_PTYPE, ARP_F_HLEN, ARP_F_PLEN, ARP_F_OP, ARP_F_SHA, ARP_F_SPA, ARP_F_THA, ARP_F_TPA,
};

struct proto_def;
extern const struct proto_def proto_arp;

#endif
