/* ARP (RFC 826) for IPv4 over Ethernet: who has this IPv4 address? */
#include "proto/arp.h"

#include <string.h>

#include "core/bytes.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field arp_fields[] = {
	FLD_UINT(struct arp_hdr, htype, "htype", "Hardware type", 16, FILL_DEFAULT, FMT_DEC, 2),
	FLD_UINT(struct arp_hdr, ptype, "ptype", "Protocol type", 16, FILL_DEFAULT, FMT_HEX, 4),
	FLD_UINT(struct arp_hdr, hlen, "hlen", "Hardware size", 8, FILL_DEFAULT, FMT_DEC, 5),
	FLD_UINT(struct arp_hdr, plen, "plen", "Protocol size", 8, FILL_DEFAULT, FMT_DEC, 6),
	FLD_UINT(struct arp_hdr, op, "op", "Opcode", 16, FILL_DEFAULT, FMT_DEC, 8),
	FLD(struct arp_hdr, sha, FT_MAC, "sha", "Sender MAC address", FILL_DEFAULT, 14),
	FLD(struct arp_hdr, spa, FT_IP4, "spa", "Sender IP address", FILL_DEFAULT, 18),
	FLD(struct arp_hdr, tha, FT_MAC, "tha", "Target MAC address", FILL_DEFAULT, 24),
	FLD(struct arp_hdr, tpa, FT_IP4, "tpa", "Target IP address", FILL_DEFAULT, 28),
};

static void arp_init(struct layer *l, const struct addr_defaults *ad)
{
	struct arp_hdr *h = &l->h.arp;
	h->htype = 1;
	h->ptype = ETHERTYPE_IPV4;
	h->hlen = 6;
	h->plen = 4;
	h->op = ARP_REQUEST;
	memcpy(h->sha, ad->mac_src, 6);
	h->spa = ad->ip_src;
	memset(h->tha, 0, 6);	/* a request does not know it yet */
	h->tpa = ad->ip_dst;
}

static void arp_encode(struct pkt *p, int i, struct buf *b)
{
	const struct arp_hdr *h = &p->layer[i].h.arp;
	uint8_t *d = buf_push(b, ARP_LEN);
	put16(d, h->htype);
	put16(d + 2, h->ptype);
	d[4] = h->hlen;
	d[5] = h->plen;
	put16(d + 6, h->op);
	memcpy(d + 8, h->sha, 6);
	put32(d + 14, h->spa);
	memcpy(d + 18, h->tha, 6);
	put32(d + 24, h->tpa);
}

static void arp_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct arp_hdr *h = &l->h.arp;
	uint8_t t[ARP_LEN] = {0};
	memcpy(t, d, avail < ARP_LEN ? avail : ARP_LEN);
	h->htype = get16(t);
	h->ptype = get16(t + 2);
	h->hlen = t[4];
	h->plen = t[5];
	h->op = get16(t + 6);
	memcpy(h->sha, t + 8, 6);
	h->spa = get32(t + 14);
	memcpy(h->tha, t + 18, 6);
	h->tpa = get32(t + 24);
	l->given = (1u << 9) - 1;
	if (avail >= 6 && (h->hlen != 6 || h->plen != 4)) {
		/* The addresses are laid out differently: read only the fixed part. */
		l->err = (struct decode_err){DERR_ARP_FORMAT, h->hlen, h->plen};
		layer_keep_fields_within(l, avail < 8 ? avail : 8);
		l->len = (uint16_t)(avail < 8 ? avail : 8);
		return;
	}
	if (avail < ARP_LEN) {
		l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail, ARP_LEN};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	l->len = ARP_LEN;
	nx->end = ARP_LEN;	/* what follows is Ethernet padding */
}

static void arp_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct arp_hdr *h = &p->layer[i].h.arp;
	char spa[16], tpa[16], sha[18];
	ip4_format(h->spa, spa);
	ip4_format(h->tpa, tpa);
	mac_format(h->sha, sha);
	if (h->op == ARP_REQUEST && h->spa == h->tpa)
		sbuf_printf(sb, "ARP Announcement for %s", spa);
	else if (h->op == ARP_REQUEST)
		sbuf_printf(sb, "Who has %s? Tell %s", tpa, spa);
	else if (h->op == ARP_REPLY)
		sbuf_printf(sb, "%s is at %s", spa, sha);
	else
		sbuf_printf(sb, "ARP opcode %u", h->op);
}

static void arp_annotate(const struct layer *l, int f, struct sbuf *sb)
{
	const struct arp_hdr *h = &l->h.arp;
	if (f == ARP_F_HTYPE && h->htype == 1)
		sbuf_puts(sb, "Ethernet");
	else if (f == ARP_F_PTYPE && h->ptype == ETHERTYPE_IPV4)
		sbuf_puts(sb, "IPv4");
	else if (f == ARP_F_OP)
		sbuf_puts(sb, h->op == ARP_REQUEST ? "request" : h->op == ARP_REPLY ? "reply" : "");
}

const struct proto_def proto_arp = {
	.name = "arp",
	.abbrev = "ARP",
	.title = "Address Resolution Protocol",
	.fields = arp_fields,
	.nfields = sizeof arp_fields / sizeof arp_fields[0],
	.max_hlen = ARP_LEN,
	.csum_field = -1,
	.addr_fields = 1u << ARP_F_SHA | 1u << ARP_F_SPA | 1u << ARP_F_THA | 1u << ARP_F_TPA,
	.init = arp_init,
	.encode = arp_encode,
	.decode = arp_decode,
	.summary = arp_summary,
	.annotate = arp_annotate,
};
