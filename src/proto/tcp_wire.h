/* The TCP header and its options on the wire (RFC 9293 3.1, RFC 7323,
 * RFC 2018). The state machine is in stack/tcp.c; this is only the format. */
#ifndef STACKLAB_PROTO_TCP_WIRE_H
#define STACKLAB_PROTO_TCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/ipv4.h"

#define TCP_HLEN 20
#define TCP_MAX_HLEN 60

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WSCALE 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TIMESTAMP 8

#define TCP_MAX_SACK 4

struct tcp_hdr {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t off;		/* data offset, in 32-bit words */
	uint8_t res;		/* the four reserved bits */
	uint8_t flags;		/* CWR ECE URG ACK PSH RST SYN FIN */
	uint16_t win, csum, urp;
	/* Options, each present when its field is given. */
	uint16_t mss;
	uint8_t wscale;
	uint8_t sackok;
	uint32_t tsval, tsecr;
	struct tcp_sack {
		uint8_t n;
		uint32_t edge[2 * TCP_MAX_SACK];	/* left, right of each block */
	} sack;
	struct optbytes opts;	/* the raw option bytes; given = sent verbatim */
};

enum tcp_field {
	TCP_F_SPORT, TCP_F_DPORT, TCP_F_SEQ, TCP_F_ACK, TCP_F_OFF, TCP_F_RES, TCP_F_FLAGS,
	TCP_F_WIN, TCP_F_CSUM, TCP_F_URP, TCP_F_MSS, TCP_F_WSCALE, TCP_F_SACKOK, TCP_F_TSVAL,
	TCP_F_TSECR, TCP_F_SACK, TCP_F_OPTS,
};

/* Flags as SPEC section 2 writes them: "SYN,ACK", "FIN,ACK", "" for none. */
void tcp_flags_format(uint8_t flags, char out[40]);
/* Accepts "SYN,ACK", "syn+ack", Scapy's "SA", tcpdump's "S." and ".",
 * a number (0x12), and "none"; 0 on success. */
int tcp_flags_parse(const char *s, uint8_t *flags);
/* Reads options into the structured fields of h and marks them given in
 * *given; returns -1 (and the offset of the bad option) when malformed. */
int tcp_options_parse(struct tcp_hdr *h, const uint8_t *p, size_t n, uint32_t *given, size_t *bad_at);

struct buf;
/* Pushes the header of h in front of the segment's data in b: no options
 * but MSS when `mss` (RFC 9293 3.7.1), data offset and checksum (over the
 * pseudo-header of src and dst) computed into h. Returns the fields
 * computed (bits of enum tcp_field). For senders that write their bytes
 * straight into a buffer instead of building a packet: the same bytes as
 * pkt_encode of a TCP layer with those fields given. */
uint32_t tcp_push_header(struct buf *b, struct tcp_hdr *h, bool mss, uint32_t src, uint32_t dst);
/* The first 20 bytes at d into h (not the options); returns the fields
 * read (bits of enum tcp_field). */
uint32_t tcp_read(struct tcp_hdr *h, const uint8_t *d);
struct layer;
/* The n option bytes at d (n <= 40) into TCP layer l: kept raw, read into
 * the structured fields, all marked given. False, with l's error set,
 * when they are malformed. */
bool tcp_read_options(struct layer *l, const uint8_t *d, size_t n);

struct proto_def;
extern const struct proto_def proto_tcp;

#endif
