/* ICMP for IPv4 (RFC 792): echo, destination unreachable, time exceeded. */
#ifndef STACKLAB_PROTO_ICMP_H
#define STACKLAB_PROTO_ICMP_H

#include <stdbool.h>
#include <stdint.h>

#define ICMP_HLEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_UNREACH 3
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAM_PROBLEM 12
#define ICMP_UNREACH_PROTO 2
#define ICMP_UNREACH_PORT 3

struct icmp_hdr {
	uint8_t type, code;
	uint16_t csum;
	uint16_t id, seq;	/* the second word; unused (or next-hop MTU) in errors */
};

enum icmp_field { ICMP_F_TYPE, ICMP_F_CODE, ICMP_F_CSUM, ICMP_F_ID, ICMP_F_SEQ };

/* Error messages quote the datagram that caused them (RFC 792). */
bool icmp_is_error(uint8_t type);
const char *icmp_type_name(uint8_t type, uint8_t code);

struct proto_def;
extern const struct proto_def proto_icmp;

#endif
