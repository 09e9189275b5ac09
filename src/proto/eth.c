/* Ethernet II: destination, source, EtherType (IEEE 802.3 clause 3). The
 * preamble, SFD and FCS belong to the physical and data-link views (see
 * view/osi.c); frames in memory and in pcap files carry none of them. */
#include "proto/eth.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/bytes.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field eth_fields[] = {
	FLD(struct eth_hdr, dst, FT_MAC, "dst", "Destination", FILL_COMPUTED, 6),
	FLD(struct eth_hdr, src, FT_MAC, "src", "Source", FILL_DEFAULT, 12),
	FLD_UINT(struct eth_hdr, type, "type", "Type", 16, FILL_COMPUTED, FMT_HEX, 14),
};

int mac_parse(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		unsigned v;
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		mac[i] = (uint8_t)v;
		s += 2;
		if (i < 5) {
			if (*s != ':' && *s != '-')
				return -1;
			s++;
		}
	}
	return *s ? -1 : 0;
}

void mac_format(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

bool mac_is_broadcast(const uint8_t mac[6])
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	return memcmp(mac, bcast, 6) == 0;
}

static void eth_init(struct layer *l, const struct addr_defaults *ad)
{
	memcpy(l->h.eth.dst, ad->mac_dst, 6);
	memcpy(l->h.eth.src, ad->mac_src, 6);
	l->h.eth.type = ETHERTYPE_EXPERIMENTAL;
}

static uint16_t ethertype_above(const struct pkt *p, int i)
{
	if (i + 1 < p->n) {
		if (p->layer[i + 1].def == &proto_ipv4)
			return ETHERTYPE_IPV4;
		if (p->layer[i + 1].def == &proto_arp)
			return ETHERTYPE_ARP;
	}
	return ETHERTYPE_EXPERIMENTAL;
}

static void eth_encode(struct pkt *p, int i, struct buf *b)
{
	struct layer *l = &p->layer[i];
	struct eth_hdr *h = &l->h.eth;
	if (!layer_given(l, ETH_F_TYPE)) {
		h->type = ethertype_above(p, i);
		layer_mark_computed(l, ETH_F_TYPE);
	}
	/* An ARP request goes to everyone: RFC 826 "broadcast". */
	if (!layer_given(l, ETH_F_DST) && i + 1 < p->n && p->layer[i + 1].def == &proto_arp &&
	    p->layer[i + 1].h.arp.op == ARP_REQUEST) {
		memset(h->dst, 0xff, 6);
		layer_mark_computed(l, ETH_F_DST);
	}
	eth_put(buf_push(b, ETH_HLEN), h);
}

void eth_put(uint8_t *d, const struct eth_hdr *h)
{
	memcpy(d, h->dst, 6);
	memcpy(d + 6, h->src, 6);
	put16(d + 12, h->type);
}

uint32_t eth_read(struct eth_hdr *h, const uint8_t *d)
{
	memcpy(h->dst, d, 6);
	memcpy(h->src, d + 6, 6);
	h->type = get16(d + 12);
	return 1u << ETH_F_DST | 1u << ETH_F_SRC | 1u << ETH_F_TYPE;
}

static void eth_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct eth_hdr *h = &l->h.eth;
	/* A short header is read as if zeros followed it. */
	uint8_t pad[ETH_HLEN] = {0};
	l->given = eth_read(h, avail < ETH_HLEN ? memcpy(pad, d, avail) : d);
	if (avail < ETH_HLEN) {
		l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail, ETH_HLEN};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	l->len = ETH_HLEN;
	nx->def = h->type == ETHERTYPE_IPV4 ? &proto_ipv4 : h->type == ETHERTYPE_ARP ? &proto_arp : NULL;
}

static void eth_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct eth_hdr *h = &p->layer[i].h.eth;
	char s[18], d[18];
	mac_format(h->src, s);
	mac_format(h->dst, d);
	sbuf_printf(sb, "%s > %s, type 0x%04x", s, d, h->type);
}

static const char *ethertype_name(uint16_t t)
{
	switch (t) {
	case ETHERTYPE_IPV4: return "IPv4";
	case ETHERTYPE_ARP: return "ARP";
	case 0x86dd: return "IPv6";
	case ETHERTYPE_EXPERIMENTAL: return "local experimental";
	default: return NULL;
	}
}

static void eth_annotate(const struct layer *l, int f, struct sbuf *sb)
{
	if (f == ETH_F_TYPE && ethertype_name(l->h.eth.type))
		sbuf_puts(sb, ethertype_name(l->h.eth.type));
	else if (f == ETH_F_DST && mac_is_broadcast(l->h.eth.dst))
		sbuf_puts(sb, "broadcast");
}

const struct proto_def proto_eth = {
	.name = "eth",
	.abbrev = "Ethernet",
	.title = "Ethernet II",
	.fields = eth_fields,
	.nfields = sizeof eth_fields / sizeof eth_fields[0],
	.max_hlen = ETH_HLEN,
	.csum_field = -1,
	.addr_fields = 1u << ETH_F_DST | 1u << ETH_F_SRC,
	.init = eth_init,
	.encode = eth_encode,
	.decode = eth_decode,
	.summary = eth_summary,
	.annotate = eth_annotate,
};
