#include "proto/pkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bytes.h"
#include "core/mem.h"
#include "proto/checksum.h"
#include "proto/eth.h"
#include "proto/field.h"
#include "proto/ipv4.h"
#include "proto/tcp_wire.h"

const struct addr_defaults addr_defaults_ab = {
	.mac_src = {0x02, 0, 0, 0, 0, 0x0a},
	.mac_dst = {0x02, 0, 0, 0, 0, 0x0b},
	.ip_src = 0x0a000001,	/* 10.0.0.1 */
	.ip_dst = 0x0a000002,	/* 10.0.0.2 */
};

const struct proto_def *const proto_all[] = {
	&proto_eth, &proto_arp, &proto_ipv4, &proto_icmp, &proto_udp, &proto_tcp, NULL,
};

static const struct {
	const char *alias;
	const struct proto_def *def;
} proto_aliases[] = {
	{"eth", &proto_eth}, {"ether", &proto_eth}, {"ethernet", &proto_eth},
	{"arp", &proto_arp}, {"ip", &proto_ipv4}, {"ipv4", &proto_ipv4},
	{"icmp", &proto_icmp}, {"udp", &proto_udp}, {"tcp", &proto_tcp},
};

const struct proto_def *proto_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof proto_aliases / sizeof proto_aliases[0]; i++) {
		const char *a = proto_aliases[i].alias, *s = name;
		while (*a && (*s | 0x20) == *a)
			a++, s++;
		if (!*a && !*s)
			return proto_aliases[i].def;
	}
	return NULL;
}

void pkt_init(struct pkt *p)
{
	pkt_init_cap(p, PKT_MAX_LAYERS);
}

void pkt_init_cap(struct pkt *p, int cap)
{
	memset(p, 0, offsetof(struct pkt, layer));
	p->cap = (uint8_t)cap;
	p->payload = (struct buf)BUF_INIT;
	p->frame = (struct buf)BUF_INIT;
	p->meter = NULL;
	p->metered = 0;
}

/* A short packet asked to hold more than it was sized for: its owner's
 * mistake, and writing on would overrun it. */
static void need_room(const struct pkt *p, int layers)
{
	if (layers > p->cap && p->cap < PKT_MAX_LAYERS) {
		fprintf(stderr, "internal error: a packet sized for %d layers was given %d\n", p->cap, layers);
		abort();
	}
}

/* Tells the meter, if any, what the buffers hold now. */
static void meter(struct pkt *p)
{
	if (!p->meter)
		return;
	size_t now = p->payload.cap + p->frame.cap;
	if (now != p->metered)
		p->meter->charge(p->meter->ctx, now > p->metered ? now - p->metered : 0,
				 now < p->metered ? p->metered - now : 0);
	p->metered = now;
}

void pkt_set_meter(struct pkt *p, const struct pkt_meter *m)
{
	p->metered = 0;
	p->meter = m;
	meter(p);
}

void pkt_free(struct pkt *p)
{
	buf_free(&p->payload);
	buf_free(&p->frame);
	p->n = 0;
	meter(p);
}

void pkt_copy(struct pkt *dst, const struct pkt *src)
{
	if (dst == src)
		return;
	need_room(dst, src->n);
	struct buf payload = dst->payload, frame = dst->frame;
	uint8_t cap = dst->cap;
	const struct pkt_meter *m = dst->meter;
	size_t metered = dst->metered;
	memcpy(dst, src, offsetof(struct pkt, layer));
	memcpy(dst->layer, src->layer, src->n * sizeof src->layer[0]);
	dst->cap = cap;
	dst->payload = payload;
	dst->frame = frame;
	dst->meter = m;
	dst->metered = metered;
	dst->in_place = NULL;	/* a copy owns its bytes */
	buf_set(&dst->payload, pkt_payload_data(src), pkt_payload_len(src));
	size_t flen;
	const uint8_t *f = pkt_frame_data(src, &flen);
	if (src->frame_valid || src->in_place) {
		buf_set(&dst->frame, f, flen);
		dst->frame_valid = true;
	} else {
		dst->frame.len = 0;
	}
	meter(dst);
}

struct layer *pkt_push(struct pkt *p, const struct proto_def *def, struct err *e)
{
	if (p->payload.len) {
		err_set(e, "cannot put a %s layer above the payload: layers go first, then the payload",
			def->abbrev);
		return NULL;
	}
	if (p->n >= PKT_MAX_LAYERS) {
		err_set(e, "a packet holds at most %d layers", PKT_MAX_LAYERS);
		return NULL;
	}
	need_room(p, p->n + 1);
	struct layer *l = &p->layer[p->n++];
	mem_clear(l, sizeof *l);
	l->def = def;
	def->init(l, &addr_defaults_ab);
	pkt_touch(p);
	return l;
}

int pkt_stack(struct pkt *p, const struct pkt *top, struct err *e)
{
	if (top->n && p->payload.len)
		return err_set(e, "cannot put a %s layer above the payload: layers go first, then the payload",
			       top->layer[0].def->abbrev);
	if (p->n + top->n > PKT_MAX_LAYERS)
		return err_set(e, "a packet holds at most %d layers (this would make %d)",
			       PKT_MAX_LAYERS, p->n + top->n);
	/* The payload first: when it is too long, p is left as it was. */
	if (pkt_add_payload(p, buf_data(&top->payload), top->payload.len, e) < 0)
		return -1;
	need_room(p, p->n + top->n);
	memcpy(&p->layer[p->n], top->layer, top->n * sizeof top->layer[0]);
	p->n += top->n;
	pkt_touch(p);
	return 0;
}

static int payload_fits(size_t n, struct err *e)
{
	if (n <= PKT_MAX_PAYLOAD)
		return 0;
	return err_set(e, "a payload of %zu bytes is too long: at most %d, as IPv4's Total Length is 16 bits "
			  "(65535) and the largest IPv4 and TCP headers need 120 of them",
		       n, PKT_MAX_PAYLOAD);
}

int pkt_set_payload(struct pkt *p, const void *data, size_t n, struct err *e)
{
	if (payload_fits(n, e) < 0)
		return -1;
	buf_set(&p->payload, data, n);
	meter(p);
	pkt_touch(p);
	return 0;
}

int pkt_add_payload(struct pkt *p, const void *data, size_t n, struct err *e)
{
	if (payload_fits(p->payload.len + n, e) < 0)
		return -1;
	if (!p->payload.base)
		buf_reset(&p->payload, 0, n);
	buf_append(&p->payload, data, n);
	meter(p);
	pkt_touch(p);
	return 0;
}

int pkt_find(const struct pkt *p, const struct proto_def *def)
{
	for (int i = 0; i < p->n; i++)
		if (p->layer[i].def == def)
			return i;
	return -1;
}

/* The number of the lowest bit set in m (m != 0). */
static int lowest_bit(uint32_t m)
{
#if defined(__GNUC__)
	return __builtin_ctz(m);	/* one instruction */
#else
	int f = 0;
	for (; !(m & 1); m >>= 1)
		f++;
	return f;
#endif
}

uint32_t pkt_pseudo_sum(const struct pkt *p, int i, uint8_t proto, size_t len)
{
	if (i == 0 || p->layer[i - 1].def != &proto_ipv4)
		return 0;
	const struct ipv4_hdr *ip = &p->layer[i - 1].h.ip;
	return csum_pseudo(ip->src, ip->dst, proto, (uint16_t)len);
}

void layer_take_sum(struct layer *l, uint32_t sum, uint16_t field)
{
	/* A correct block sums, checksum included, to zero (RFC 1071). */
	l->csum_good = csum_without(sum, field);
	l->csum_status = csum_fold(sum) == 0 ? CSUM_GOOD : CSUM_BAD;
}

/* Address fields that are not given follow the sender and receiver. The
 * defaults come from the layer's init on a scratch layer, of which only
 * the fields wanted are cleared first (as if the whole layer had been:
 * a field init left alone reads as zero), since clearing a whole layer
 * for every packet costs more than encoding it. Address fields are MACs
 * (6 bytes) or IPv4 addresses (4), so the copies have fixed sizes. */
static void refill_defaults(struct layer *l, const struct addr_defaults *ad)
{
	uint32_t want = l->def->addr_fields & ~l->given;
	struct layer fresh;
	for (uint32_t m = want; m; m &= m - 1) {
		const struct field *fd = &l->def->fields[lowest_bit(m)];
		if (fd->size == 6)
			memset((char *)&fresh.h + fd->offset, 0, 6);
		else
			memset((char *)&fresh.h + fd->offset, 0, 4);
	}
	l->def->init(&fresh, ad);
	for (uint32_t m = want; m; m &= m - 1) {
		const struct field *fd = &l->def->fields[lowest_bit(m)];
		char *to = (char *)&l->h + fd->offset;
		const char *from = (const char *)&fresh.h + fd->offset;
		if (fd->size == 6)
			memcpy(to, from, 6);
		else
			memcpy(to, from, 4);
	}
}

void pkt_encode(struct pkt *p, const struct addr_defaults *ad, struct buf *out)
{
	size_t headroom = 0;
	for (int i = 0; i < p->n; i++)
		headroom += p->layer[i].def->max_hlen;
	buf_reset(out, headroom, p->payload.len);
	pkt_encode_over(p, ad, out);
}

void pkt_encode_over(struct pkt *p, const struct addr_defaults *ad, struct buf *out)
{
	for (int i = 0; i < p->n; i++) {
		const struct layer *l = &p->layer[i];
		if ((l->given & l->def->addr_fields) != l->def->addr_fields)
			refill_defaults(&p->layer[i], ad ? ad : &addr_defaults_ab);
	}
	if (p->payload.len)
		buf_append(out, buf_data(&p->payload), p->payload.len);
	for (int i = p->n - 1; i >= 0; i--) {
		struct layer *l = &p->layer[i];
		l->computed = 0;
		l->err = (struct decode_err){0};
		size_t before = out->len;
		l->def->encode(p, i, out);
		l->len = (uint16_t)(out->len - before);
	}
	uint16_t off = 0;
	for (int i = 0; i < p->n; i++) {
		p->layer[i].off = off;
		off = (uint16_t)(off + p->layer[i].len);
	}
	p->trailer = 0;
	if (out != &p->frame)
		pkt_touch(p);	/* p's fields now describe out, not the cached frame */
}

const struct buf *pkt_frame(struct pkt *p)
{
	if (!p->frame_valid) {
		pkt_encode(p, NULL, &p->frame);
		p->frame_valid = true;
		meter(p);
	}
	return &p->frame;
}

size_t pkt_bytes_above(const struct pkt *p, int i)
{
	size_t n = pkt_payload_len(p);
	for (int j = i + 1; j < p->n; j++)
		n += p->layer[j].len;
	return n;
}

void layer_keep_fields_within(struct layer *l, size_t avail)
{
	for (int f = 0; f < l->def->nfields; f++)
		if (l->def->fields[f].wire_end > avail)
			l->given &= ~(1u << f);
}

/* Layer p->n, begun: cleared, its protocol and place set. */
static struct layer *begin_layer(struct pkt *p, const struct proto_def *def, size_t off)
{
	struct layer *l = &p->layer[p->n++];
	mem_clear(l, sizeof *l);
	l->def = def;
	l->off = (uint16_t)off;
	return l;
}

/* Reads the layers of the len bytes at d into p, and returns where the
 * payload starts; *end is where the last layer's content ends (the rest
 * is trailer). */
static size_t decode_layers(struct pkt *p, const uint8_t *d, size_t len, size_t *end_out)
{
	need_room(p, PKT_MAX_LAYERS);
	p->n = 0;
	const struct proto_def *def = &proto_eth;
	size_t off = 0, end = len;
	bool partial = false;
	while (def && p->n < PKT_MAX_LAYERS) {
		if (off >= end && partial)
			break;	/* a quotation may stop anywhere */
		struct layer *l = begin_layer(p, def, off);
		l->partial = partial;
		struct decode_next nx = {NULL, end - off, partial};
		def->decode(p, p->n - 1, d + off, end - off, &nx);
		if (nx.end < end - off)
			end = off + nx.end;
		off += l->len;
		def = l->err.code == DERR_TRUNCATED ? NULL : nx.def;
		partial = nx.partial;
	}
	if (off > end)
		off = end;
	p->trailer = (uint16_t)(len - end);
	p->decoded = true;
	*end_out = end;
	return off;
}

/* Ethernet, then IPv4 with no options, not a fragment, and all there,
 * then TCP: nearly every frame the stacks send each other. Such a frame
 * is read straight through with the layers' own read functions, into
 * exactly what decode_layers makes of it (test_pkt and fuzz_frame compare
 * the two), in a fraction of the time. Anything else, or anything wrong,
 * is left to decode_layers: false. */
static bool decode_plain_tcp(struct pkt *p, const uint8_t *d, size_t len, size_t *end_out, size_t *off_out)
{
	enum { IP = ETH_HLEN, TCP = ETH_HLEN + IPV4_HLEN };
	if (len < TCP + TCP_HLEN || get16(d + 12) != ETHERTYPE_IPV4 || d[IP] != (4 << 4 | IPV4_HLEN / 4) ||
	    d[IP + 9] != IP_PROTO_TCP || (get16(d + IP + 6) & 0x3fff) != 0)	/* MF, or an offset */
		return false;
	size_t ip_len = get16(d + IP + 2), hlen = (d[TCP + 12] >> 4) * 4u;
	if (ip_len > len - IP || hlen < TCP_HLEN || ip_len < IPV4_HLEN + hlen)
		return false;
	need_room(p, 3);
	p->n = 0;
	struct layer *eth = begin_layer(p, &proto_eth, 0);
	eth->given = eth_read(&eth->h.eth, d);
	eth->len = ETH_HLEN;
	struct layer *ip = begin_layer(p, &proto_ipv4, IP);
	ip->given = ipv4_read(&ip->h.ip, d + IP);
	ip->len = IPV4_HLEN;
	layer_take_sum(ip, csum_add(0, d + IP, IPV4_HLEN), ip->h.ip.csum);
	struct layer *tcp = begin_layer(p, &proto_tcp, TCP);
	struct tcp_hdr *th = &tcp->h.tcp;
	tcp->given = tcp_read(th, d + TCP);
	tcp->len = (uint16_t)hlen;
	if (hlen > TCP_HLEN && !tcp_read_options(tcp, d + TCP + TCP_HLEN, hlen - TCP_HLEN))
		return false;
	size_t seg = ip_len - IPV4_HLEN;
	uint32_t pseudo = csum_pseudo(ip->h.ip.src, ip->h.ip.dst, IP_PROTO_TCP, (uint16_t)seg);
	layer_take_sum(tcp, csum_add(pseudo, d + TCP, seg), th->csum);
	*end_out = IP + ip_len;
	*off_out = TCP + hlen;
	p->trailer = (uint16_t)(len - *end_out);
	p->decoded = true;
	return true;
}

void pkt_decode(struct pkt *p, const uint8_t *frame, size_t len)
{
	p->in_place = NULL;
	buf_reset(&p->frame, 0, len + 1);	/* storage even for an empty frame: d is never NULL */
	buf_append(&p->frame, frame, len);
	const uint8_t *d = buf_data(&p->frame);
	size_t end, off = decode_layers(p, d, len, &end);
	buf_set(&p->payload, d + off, end - off);
	p->frame_valid = true;
	meter(p);
}

void pkt_decode_in_place(struct pkt *p, const uint8_t *frame, size_t len)
{
	static const uint8_t empty[1];
	p->in_place = frame ? frame : empty;	/* never NULL: it says where the bytes are */
	p->in_place_len = len;
	p->frame.len = 0;
	p->payload.len = 0;
	size_t end, off;
	if (!decode_plain_tcp(p, p->in_place, len, &end, &off))
		off = decode_layers(p, p->in_place, len, &end);
	p->payload_at = off;
	p->payload_len = end - off;
	p->frame_valid = false;
}

void pkt_done_in_place(struct pkt *p)
{
	p->in_place = NULL;
	p->n = 0;
}

void decode_err_format(const struct layer *l, struct sbuf *sb)
{
	const struct decode_err *e = &l->err;
	const char *who = l->def->abbrev;
	switch (e->code) {
	case DERR_TRUNCATED:
		sbuf_printf(sb, "%s: truncated header: %u of %u bytes", who, e->a, e->b);
		break;
	case DERR_BAD_VERSION:
		sbuf_printf(sb, "%s: bad version %u (expected 4)", who, e->a);
		break;
	case DERR_BAD_IHL:
		sbuf_printf(sb, "%s: bad header length: IHL %u (%u bytes; must be 5 to 15)", who, e->a, e->a * 4u);
		break;
	case DERR_BAD_OFFSET:
		sbuf_printf(sb, "%s: bad data offset %u (%u bytes; must be 5 to 15 and fit in the segment)",
			    who, e->a, e->a * 4u);
		break;
	case DERR_LEN_BEYOND:
		sbuf_printf(sb, "%s: length %u goes beyond the %u bytes in the frame", who, e->a, e->b);
		break;
	case DERR_LEN_SHORT:
		sbuf_printf(sb, "%s: length %u is shorter than the %u-byte header", who, e->a, e->b);
		break;
	case DERR_BAD_OPTION:
		sbuf_printf(sb, "%s: malformed option at byte %u of the header", who, e->a);
		break;
	case DERR_ARP_FORMAT:
		sbuf_printf(sb, "%s: address lengths %u and %u (only Ethernet/IPv4, 6 and 4, are understood)",
			    who, e->a, e->b);
		break;
	default:
		break;
	}
}

const char *pkt_first_error(const struct pkt *p, struct sbuf *sb)
{
	for (int i = 0; i < p->n; i++) {
		if (p->layer[i].err.code) {
			decode_err_format(&p->layer[i], sb);
			return sbuf_str(sb);
		}
	}
	return NULL;
}
