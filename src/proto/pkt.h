/* A packet as a stack of layers (Ethernet, ARP, IPv4, ICMP, UDP, TCP) and
 * the payload above them. The same value is built field by field (the
 * packet builder, Lua's Ether{}/IPv4{}/TCP{}, the stacks) and read back
 * from bytes (decode). Every field remembers whether it was given (set by
 * the user, or read from the wire), computed by the encoder (lengths,
 * checksums, type fields), or left at its default.
 *
 * Ownership: a pkt owns its payload and frame buffers; pkt_free releases
 * them. Copies are deep (pkt_copy). */
#ifndef STACKLAB_PROTO_PKT_H
#define STACKLAB_PROTO_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/sbuf.h"
#include "proto/arp.h"
#include "proto/eth.h"
#include "proto/icmp.h"
#include "proto/ipv4.h"
#include "proto/tcp_wire.h"
#include "proto/udp.h"

#define PKT_MAX_LAYERS 6

/* Why decoding a layer stopped or found something wrong. */
enum decode_error {
	DERR_NONE,
	DERR_TRUNCATED,		/* a: bytes present, b: bytes the header needs */
	DERR_BAD_VERSION,	/* a: version found */
	DERR_BAD_IHL,		/* a: IHL found */
	DERR_BAD_OFFSET,	/* a: TCP data offset found */
	DERR_LEN_BEYOND,	/* a: length field, b: bytes available */
	DERR_LEN_SHORT,		/* a: length field, b: least it can be */
	DERR_BAD_OPTION,	/* a: offset of the option in the header */
	DERR_ARP_FORMAT,	/* a: hlen, b: plen (only 6 and 4 are understood) */
};

struct decode_err {
	uint8_t code;
	uint16_t a, b;
};

enum csum_status {
	CSUM_UNKNOWN,	/* not checked: the layer has no checksum, or it was never encoded */
	CSUM_GOOD,
	CSUM_BAD,
	CSUM_NONE,	/* UDP over IPv4 with checksum 0: the sender chose not to compute one */
	CSUM_PARTIAL,	/* cannot be checked: part of what it covers is missing */
};

struct layer {
	const struct proto_def *def;
	uint32_t given;		/* bit f: field f was set by the user, or read from the wire */
	uint32_t computed;	/* bit f: the last encode computed field f */
	uint16_t off, len;	/* the header's place in the last encoded or decoded frame */
	uint16_t csum_good;	/* the correct checksum, as the last encode or decode found it */
	uint8_t csum_status;
	bool partial;		/* may be cut short: inside an ICMP error, or a first fragment */
	struct decode_err err;
	union {
		struct eth_hdr eth;
		struct arp_hdr arp;
		struct ipv4_hdr ip;
		struct icmp_hdr icmp;
		struct udp_hdr udp;
		struct tcp_hdr tcp;
	} h;
};

struct pkt {
	uint8_t n;		/* layers in use */
	uint8_t cap;		/* layers there is room for: PKT_MAX_LAYERS, or fewer (pkt_size) */
	bool decoded;		/* read from bytes rather than built */
	bool frame_valid;	/* `frame` holds the encoding of what is here now */
	uint16_t trailer;	/* decoded: bytes after the last layer's content (padding) */
	int64_t time_us;	/* when read from a capture; 0 otherwise */
	struct buf payload;	/* the bytes above the last layer */
	struct buf frame;	/* the whole frame, as last encoded or decoded */
	/* Who pays for the two buffers (a Lua state counts them against
	 * its memory cap); NULL for none. Not copied by pkt_copy. */
	const struct pkt_meter *meter;
	size_t metered;		/* bytes charged so far */
	/* Set by pkt_decode_in_place: the frame it read, which stays the
	 * caller's. `frame` and `payload` then hold no copy; the payload is
	 * in_place[payload_at .. payload_at + payload_len). NULL otherwise. */
	const uint8_t *in_place;
	size_t in_place_len, payload_at, payload_len;
	/* Last, so that a packet that will only ever hold a few layers can be
	 * allocated short (pkt_size, pkt_init_cap): Lua makes five packets
	 * for Ether{} / IPv4{} / TCP{}, and the garbage collector's work
	 * grows with their size. */
	struct layer layer[PKT_MAX_LAYERS];
};

/* The bytes of a packet with room for cap layers (1 to PKT_MAX_LAYERS). */
#define pkt_size(cap) (offsetof(struct pkt, layer) + (size_t)(cap) * sizeof(struct layer))

/* Told how the storage of a metered packet's buffers changed. */
struct pkt_meter {
	void (*charge)(void *ctx, size_t more, size_t less);
	void *ctx;
};

/* The addresses a layer takes when none is given: by default host a
 * talking to host b, as in the default world. */
struct addr_defaults {
	uint8_t mac_src[6], mac_dst[6];
	uint32_t ip_src, ip_dst;
};
extern const struct addr_defaults addr_defaults_ab;

/* How a layer's decoder tells what comes next. */
struct decode_next {
	const struct proto_def *def;	/* the next layer, or NULL: the rest is payload */
	size_t end;	/* where this layer's content ends, counted from its start */
	bool partial;	/* the next layers may be cut short */
};

struct proto_def {
	const char *name;	/* as typed: "tcp" */
	const char *abbrev;	/* as shown: "TCP" */
	const char *title;	/* "Transmission Control Protocol" */
	const struct field *fields;
	uint8_t nfields;
	uint8_t max_hlen;	/* the most header bytes encode pushes */
	int8_t csum_field;	/* the checksum field, or -1 */
	uint32_t addr_fields;	/* bit f: field f is an address that follows the sender */
	/* Fills every field with its default. */
	void (*init)(struct layer *l, const struct addr_defaults *ad);
	/* Pushes the header in front of b (which holds everything above),
	 * filling the computed fields that are not given. */
	void (*encode)(struct pkt *p, int i, struct buf *b);
	/* Reads the header at d (avail bytes to the end of the enclosing
	 * content), sets l->len and the given mask, and says what follows.
	 * A header it cannot read whole gets l->err, l->len = avail, and no
	 * next layer. */
	void (*decode)(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx);
	/* One line in the spirit of tshark's Info column. */
	void (*summary)(const struct pkt *p, int i, struct sbuf *sb);
	/* Words after a field's value, as "IPv4" after 0x0800; may write nothing. */
	void (*annotate)(const struct layer *l, int f, struct sbuf *sb);
	/* Called after field f was set, to keep related fields in step; may be NULL. */
	void (*on_set)(struct layer *l, int f);
};

/* All protocols, for lookups by name and by number. */
extern const struct proto_def *const proto_all[];
const struct proto_def *proto_lookup(const char *name);

void pkt_init(struct pkt *p);
/* Initialises a packet allocated with pkt_size(cap) bytes. It never holds
 * more than cap layers: pushing, stacking or copying more aborts (its
 * owner sizes it for what it will hold), and decoding needs the full
 * PKT_MAX_LAYERS. A short packet is never copied as a struct. */
void pkt_init_cap(struct pkt *p, int cap);
void pkt_free(struct pkt *p);
/* From now on the storage of p's buffers is charged to m (NULL: to nobody). */
void pkt_set_meter(struct pkt *p, const struct pkt_meter *m);
/* Makes dst a deep copy of src; dst must be initialised, with room for
 * src's layers. */
void pkt_copy(struct pkt *dst, const struct pkt *src);
/* Puts a new layer on top, every field at its default; NULL (and e) when
 * the packet already has a payload or PKT_MAX_LAYERS layers. */
struct layer *pkt_push(struct pkt *p, const struct proto_def *def, struct err *e);
/* Appends the layers and payload of top onto p ('/' in Lua). */
int pkt_stack(struct pkt *p, const struct pkt *top, struct err *e);
/* The most payload a built packet carries: IPv4's Total Length is 16
 * bits, and the largest IPv4 and TCP headers (60 bytes each) need room
 * beside it, so that a computed length never wraps. */
#define PKT_MAX_PAYLOAD (65535 - 60 - 60)
/* Set or append payload bytes; -1 (and nothing changed) past the limit. */
int pkt_set_payload(struct pkt *p, const void *data, size_t n, struct err *e);
int pkt_add_payload(struct pkt *p, const void *data, size_t n, struct err *e);
/* The first layer of that protocol, or -1. */
int pkt_find(const struct pkt *p, const struct proto_def *def);
/* Marks the frame stale; every setter calls it. */
static inline void pkt_touch(struct pkt *p)
{
	p->frame_valid = false;
	p->decoded = false;
	p->in_place = NULL;	/* a packet being changed reads nothing of the caller's */
}

/* Encodes into out, filling the computed fields and the address defaults
 * of ad (NULL: a to b). p keeps its fields; out is the caller's. */
void pkt_encode(struct pkt *p, const struct addr_defaults *ad, struct buf *out);
/* pkt_encode onto what out already holds: those bytes go above the last
 * layer, before p's payload, and out should have headroom for the headers
 * (else they are moved). For a sender that writes its data straight into
 * out, saving a copy. */
void pkt_encode_over(struct pkt *p, const struct addr_defaults *ad, struct buf *out);
/* The frame for what p holds now, encoded with a to b defaults when stale. */
const struct buf *pkt_frame(struct pkt *p);
/* Reads an Ethernet frame; never fails: what cannot be read is recorded in
 * the layers' err and the rest kept as payload. */
void pkt_decode(struct pkt *p, const uint8_t *frame, size_t len);
/* pkt_decode without copying: the layers are read from frame where it
 * lies, and nothing is copied into p's buffers. For a host's input path,
 * which is done with the packet before the frame is freed; read the
 * payload and the frame's bytes with the two functions below, and
 * pkt_done_in_place when finished, so that nothing points at the
 * frame afterwards. A copy of such a packet owns its bytes; a setter
 * forgets the frame, so that an encode after it sees no payload. */
void pkt_decode_in_place(struct pkt *p, const uint8_t *frame, size_t len);
void pkt_done_in_place(struct pkt *p);
/* The payload's bytes, wherever the decode left them. */
static inline const uint8_t *pkt_payload_data(const struct pkt *p)
{
	return p->in_place ? p->in_place + p->payload_at : buf_data(&p->payload);
}
static inline size_t pkt_payload_len(const struct pkt *p)
{
	return p->in_place ? p->payload_len : p->payload.len;
}
/* The bytes of the frame last decoded (or encoded), and their number. */
static inline const uint8_t *pkt_frame_data(const struct pkt *p, size_t *len)
{
	*len = p->in_place ? p->in_place_len : p->frame.len;
	return p->in_place ? p->in_place : buf_data(&p->frame);
}
/* The first decoding error as text, or NULL. */
const char *pkt_first_error(const struct pkt *p, struct sbuf *sb);
void decode_err_format(const struct layer *l, struct sbuf *sb);

/* Used by the per-protocol code. */
/* Bytes above layer i: the headers over it and the payload. */
size_t pkt_bytes_above(const struct pkt *p, int i);
static inline void layer_mark_computed(struct layer *l, int f) { l->computed |= 1u << f; }
/* TCP and UDP: the pseudo-header sum when an IPv4 layer lies below layer i, else 0. */
uint32_t pkt_pseudo_sum(const struct pkt *p, int i, uint8_t proto, size_t len);
/* A decoder's verdict on a checksum: `sum` is the raw sum over what the
 * checksum covers, the checksum field itself (`field`) included. */
void layer_take_sum(struct layer *l, uint32_t sum, uint16_t field);
static inline bool layer_given(const struct layer *l, int f) { return l->given >> f & 1; }
/* Decoders: on a short header, mark given only the fields that were there. */
void layer_keep_fields_within(struct layer *l, size_t avail);

#endif
