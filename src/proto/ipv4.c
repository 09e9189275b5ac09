/* IPv4 (RFC 791 section 3.1): the header, its checksum, and options kept as
 * raw bytes. Fragments are decoded but not reassembled. */
#include "proto/ipv4.h"

#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "core/mem.h"
#include "proto/checksum.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field ipv4_fields[] = {
	FLD_UINT(struct ipv4_hdr, version, "version", "Version", 4, FILL_DEFAULT, FMT_DEC, 1),
	FLD_UINT(struct ipv4_hdr, ihl, "ihl", "Header Length", 4, FILL_COMPUTED, FMT_DEC, 1),
	FLD_UINT(struct ipv4_hdr, tos, "tos", "Type of Service", 8, FILL_DEFAULT, FMT_HEX, 2),
	FLD_UINT(struct ipv4_hdr, len, "len", "Total Length", 16, FILL_COMPUTED, FMT_DEC, 4),
	FLD_UINT(struct ipv4_hdr, id, "id", "Identification", 16, FILL_DEFAULT, FMT_HEX, 6),
	FLD(struct ipv4_hdr, rf, FT_BOOL, "rf", "Reserved bit", FILL_DEFAULT, 7),
	FLD(struct ipv4_hdr, df, FT_BOOL, "df", "Don't fragment", FILL_DEFAULT, 7),
	FLD(struct ipv4_hdr, mf, FT_BOOL, "mf", "More fragments", FILL_DEFAULT, 7),
	FLD_UINT(struct ipv4_hdr, frag, "frag", "Fragment Offset", 13, FILL_DEFAULT, FMT_DEC, 8),
	FLD_UINT(struct ipv4_hdr, ttl, "ttl", "Time to Live", 8, FILL_DEFAULT, FMT_DEC, 9),
	FLD_UINT(struct ipv4_hdr, proto, "proto", "Protocol", 8, FILL_COMPUTED, FMT_DEC, 10),
	FLD_UINT(struct ipv4_hdr, csum, "csum", "Header Checksum", 16, FILL_COMPUTED, FMT_HEX, 12),
	FLD(struct ipv4_hdr, src, FT_IP4, "src", "Source Address", FILL_DEFAULT, 16),
	FLD(struct ipv4_hdr, dst, FT_IP4, "dst", "Destination Address", FILL_DEFAULT, 20),
	FLD(struct ipv4_hdr, opts, FT_OPTS, "opts", "Options", FILL_OPTION, 255),
};

int ip4_parse(const char *s, uint32_t *ip)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		unsigned n = 0;
		int digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || n > 255)
			return -1;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s)
		return -1;
	*ip = v;
	return 0;
}

void ip4_format(uint32_t ip, char out[16])
{
	snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

const char *ip_proto_name(uint8_t proto)
{
	switch (proto) {
	case IP_PROTO_ICMP: return "ICMP";
	case 4: return "IPv4";
	case IP_PROTO_TCP: return "TCP";
	case IP_PROTO_UDP: return "UDP";
	case IP_PROTO_EXPERIMENTAL: return "experimental";
	default: return NULL;
	}
}

/* The fields that do not start at zero. */
static void set_defaults(struct ipv4_hdr *h, uint32_t src, uint32_t dst)
{
	h->version = 4;
	h->ihl = 5;
	h->id = 1;
	h->ttl = 64;
	h->proto = IP_PROTO_EXPERIMENTAL;
	h->src = src;
	h->dst = dst;
}

static void ipv4_init(struct layer *l, const struct addr_defaults *ad)
{
	set_defaults(&l->h.ip, ad->ip_src, ad->ip_dst);
}

static uint8_t proto_above(const struct pkt *p, int i)
{
	if (i + 1 >= p->n)
		return IP_PROTO_EXPERIMENTAL;
	const struct proto_def *up = p->layer[i + 1].def;
	return up == &proto_tcp ? IP_PROTO_TCP : up == &proto_udp ? IP_PROTO_UDP :
	       up == &proto_icmp ? IP_PROTO_ICMP : up == &proto_ipv4 ? 4 : IP_PROTO_EXPERIMENTAL;
}

/* The first 20 bytes of h, the checksum left zero. */
static void put_fixed(uint8_t *d, const struct ipv4_hdr *h)
{
	d[0] = (uint8_t)(h->version << 4 | (h->ihl & 15));
	d[1] = h->tos;
	put16(d + 2, h->len);
	put16(d + 4, h->id);
	put16(d + 6, (uint16_t)((h->rf ? 0x8000 : 0) | (h->df ? 0x4000 : 0) | (h->mf ? 0x2000 : 0) | (h->frag & 0x1fff)));
	d[8] = h->ttl;
	d[9] = h->proto;
	put16(d + 10, 0);
	put32(d + 12, h->src);
	put32(d + 16, h->dst);
}

void ipv4_hdr_default(struct ipv4_hdr *h, uint32_t src, uint32_t dst)
{
	mem_clear(h, sizeof *h);
	set_defaults(h, src, dst);
}

uint32_t ipv4_push_header(struct buf *b, struct ipv4_hdr *h)
{
	h->ihl = IPV4_HLEN / 4;
	h->len = (uint16_t)(IPV4_HLEN + b->len);
	uint8_t *d = buf_push(b, IPV4_HLEN);
	put_fixed(d, h);
	h->csum = csum(d, IPV4_HLEN);
	put16(d + 10, h->csum);
	return 1u << IP_F_IHL | 1u << IP_F_LEN | 1u << IP_F_PROTO | 1u << IP_F_CSUM;
}

static void ipv4_encode(struct pkt *p, int i, struct buf *b)
{
	struct layer *l = &p->layer[i];
	struct ipv4_hdr *h = &l->h.ip;
	size_t optlen = layer_given(l, IP_F_OPTS) ? (h->opts.len + 3u) & ~3u : 0;
	size_t hlen = IPV4_HLEN + optlen;
	if (!layer_given(l, IP_F_IHL)) {
		h->ihl = (uint8_t)(hlen / 4);
		layer_mark_computed(l, IP_F_IHL);
	}
	if (!layer_given(l, IP_F_LEN)) {
		h->len = (uint16_t)(hlen + b->len);
		layer_mark_computed(l, IP_F_LEN);
	}
	if (!layer_given(l, IP_F_PROTO)) {
		h->proto = proto_above(p, i);
		layer_mark_computed(l, IP_F_PROTO);
	}
	uint8_t *d = buf_push(b, hlen);
	put_fixed(d, h);
	if (optlen) {
		memset(d + IPV4_HLEN, 0, optlen);	/* pads with End of Option List */
		memcpy(d + IPV4_HLEN, h->opts.b, h->opts.len);
	}
	l->csum_good = csum(d, hlen);
	if (!layer_given(l, IP_F_CSUM)) {
		h->csum = l->csum_good;
		layer_mark_computed(l, IP_F_CSUM);
	}
	put16(d + 10, h->csum);
	l->csum_status = h->csum == l->csum_good ? CSUM_GOOD : CSUM_BAD;
}

static const struct proto_def *next_proto(uint8_t proto)
{
	switch (proto) {
	case IP_PROTO_ICMP: return &proto_icmp;
	case IP_PROTO_TCP: return &proto_tcp;
	case IP_PROTO_UDP: return &proto_udp;
	case 4: return &proto_ipv4;
	default: return NULL;
	}
}

uint32_t ipv4_read(struct ipv4_hdr *h, const uint8_t *t)
{
	h->version = t[0] >> 4;
	h->ihl = t[0] & 15;
	h->tos = t[1];
	h->len = get16(t + 2);
	h->id = get16(t + 4);
	uint16_t ff = get16(t + 6);
	h->rf = ff >> 15 & 1;
	h->df = ff >> 14 & 1;
	h->mf = ff >> 13 & 1;
	h->frag = ff & 0x1fff;
	h->ttl = t[8];
	h->proto = t[9];
	h->csum = get16(t + 10);
	h->src = get32(t + 12);
	h->dst = get32(t + 16);
	return (1u << IP_F_OPTS) - 1;	/* every field but the options */
}

static void ipv4_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct ipv4_hdr *h = &l->h.ip;
	/* A short header is read as if zeros followed it. */
	uint8_t pad[IPV4_HLEN] = {0};
	l->given = ipv4_read(h, avail < IPV4_HLEN ? memcpy(pad, d, avail) : d);
	size_t hlen = h->ihl * 4u;
	if (avail < IPV4_HLEN || (h->ihl >= 5 && hlen > avail)) {
		l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail,
					     (uint16_t)(h->ihl >= 5 ? hlen : IPV4_HLEN)};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	l->len = IPV4_HLEN;
	if (h->version != 4) {
		l->err = (struct decode_err){DERR_BAD_VERSION, h->version, 0};
		return;
	}
	if (h->ihl < 5) {
		l->err = (struct decode_err){DERR_BAD_IHL, h->ihl, 0};
		return;
	}
	l->len = (uint16_t)hlen;
	if (hlen > IPV4_HLEN) {
		h->opts.len = (uint8_t)(hlen - IPV4_HLEN);
		memcpy(h->opts.b, d + IPV4_HLEN, h->opts.len);
		l->given |= 1u << IP_F_OPTS;
	}
	layer_take_sum(l, csum_add(0, d, hlen), h->csum);
	if (h->len < hlen) {
		l->err = (struct decode_err){DERR_LEN_SHORT, h->len, (uint16_t)hlen};
		return;
	}
	if (h->len > avail) {
		if (!l->partial)
			l->err = (struct decode_err){DERR_LEN_BEYOND, h->len, (uint16_t)avail};
	} else {
		nx->end = h->len;
	}
	if (h->frag != 0)
		return;	/* a later fragment: the rest is payload */
	nx->def = next_proto(h->proto);
	if (h->mf)
		nx->partial = true;	/* the first fragment: what is above is cut short */
}

static void ipv4_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct ipv4_hdr *h = &p->layer[i].h.ip;
	const char *name = ip_proto_name(h->proto);
	char src[16], dst[16];
	ip4_format(h->src, src);
	ip4_format(h->dst, dst);
	sbuf_printf(sb, "%s > %s, ", src, dst);
	if (h->mf || h->frag)
		sbuf_printf(sb, "Fragmented IP protocol (proto=%s %u, off=%u, ID=%04x)",
			    name ? name : "?", h->proto, h->frag * 8u, h->id);
	else if (name)
		sbuf_printf(sb, "%s (protocol %u), ttl %u", name, h->proto, h->ttl);
	else
		sbuf_printf(sb, "protocol %u, ttl %u", h->proto, h->ttl);
}

static void ipv4_annotate(const struct layer *l, int f, struct sbuf *sb)
{
	const struct ipv4_hdr *h = &l->h.ip;
	switch (f) {
	case IP_F_IHL:
		sbuf_printf(sb, "%u bytes", h->ihl * 4u);
		break;
	case IP_F_TOS:
		sbuf_printf(sb, "DSCP %u, ECN %u", h->tos >> 2, h->tos & 3u);
		break;
	case IP_F_ID:
		sbuf_printf(sb, "%u", h->id);
		break;
	case IP_F_FRAG:
		if (h->frag)
			sbuf_printf(sb, "%u bytes", h->frag * 8u);
		break;
	case IP_F_PROTO:
		if (ip_proto_name(h->proto))
			sbuf_puts(sb, ip_proto_name(h->proto));
		break;
	default:
		break;
	}
}

const struct proto_def proto_ipv4 = {
	.name = "ip",
	.abbrev = "IPv4",
	.title = "Internet Protocol Version 4",
	.fields = ipv4_fields,
	.nfields = sizeof ipv4_fields / sizeof ipv4_fields[0],
	.max_hlen = IPV4_MAX_HLEN,
	.csum_field = IP_F_CSUM,
	.addr_fields = 1u << IP_F_SRC | 1u << IP_F_DST,
	.init = ipv4_init,
	.encode = ipv4_encode,
	.decode = ipv4_decode,
	.summary = ipv4_summary,
	.annotate = ipv4_annotate,
};
