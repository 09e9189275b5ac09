/* IPv4 (RFC 791). */
#ifndef STACKLAB_PROTO_IPV4_H
#define STACKLAB_PROTO_IPV4_H

#include <stdint.h>

#define IPV4_HLEN 20
#define IPV4_MAX_HLEN 60
#define IP_PROTO_ICMP 1
#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_PROTO_EXPERIMENTAL 253	/* RFC 3692: for experimentation and testing */

/* Option bytes as they go on the wire (IPv4 or TCP): at most 40. */
struct optbytes {
	uint8_t len;
	uint8_t b[40];
};

struct ipv4_hdr {
	uint8_t version, ihl, tos;
	uint16_t len, id;
	uint8_t rf, df, mf;	/* the three flag bits: reserved, don't fragment, more fragments */
	uint16_t frag;		/* fragment offset, in 8-byte units */
	uint8_t ttl, proto;
	uint16_t csum;
	uint32_t src, dst;	/* host order */
	struct optbytes opts;
};

enum ipv4_field {
	IP_F_VERSION, IP_F_IHL, IP_F_TOS, IP_F_LEN, IP_F_ID, IP_F_RF, IP_F_DF, IP_F_MF, IP_F_FRAG,
	IP_F_TTL, IP_F_PROTO, IP_F_CSUM, IP_F_SRC, IP_F_DST, IP_F_OPTS,
};

/* "10.0.0.1"; 0 on success. Strict: four decimal parts 0..255. */
int ip4_parse(const char *s, uint32_t *ip);
/* Writes "10.0.0.1" into out (16 bytes with the NUL). */
void ip4_format(uint32_t ip, char out[16]);
const char *ip_proto_name(uint8_t proto);

/* A header with every field at the default a new IPv4 layer has (TTL 64,
 * no options...), from src to dst. */
void ipv4_hdr_default(struct ipv4_hdr *h, uint32_t src, uint32_t dst);
struct buf;
/* Pushes the 20-byte header of h (no options) in front of the datagram's
 * content in b, computing IHL, total length and checksum into h as the
 * encoder would, and returns the fields computed (bits of enum
 * ipv4_field; the protocol counts as computed: the caller sets it from the
 * layer above, as the encoder does). For senders that write their bytes
 * straight into a buffer instead of building a packet: the same bytes as
 * pkt_encode of such a layer. */
uint32_t ipv4_push_header(struct buf *b, struct ipv4_hdr *h);
/* The first 20 bytes at d into h (not the options); returns the fields
 * read (bits of enum ipv4_field). */
uint32_t ipv4_read(struct ipv4_hdr *h, const uint8_t *d);

struct proto_def;
extern const struct proto_def proto_ipv4;

#endif
