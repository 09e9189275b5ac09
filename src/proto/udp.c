/* UDP (RFC 768): ports, length, and a checksum over an IPv4 pseudo-header. */
#include "proto/udp.h"

#include <string.h>

#include "core/bytes.h"
#include "proto/checksum.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field udp_fields[] = {
	FLD_UINT(struct udp_hdr, sport, "sport", "Source Port", 16, FILL_DEFAULT, FMT_DEC, 2),
	FLD_UINT(struct udp_hdr, dport, "dport", "Destination Port", 16, FILL_DEFAULT, FMT_DEC, 4),
	FLD_UINT(struct udp_hdr, len, "len", "Length", 16, FILL_COMPUTED, FMT_DEC, 6),
	FLD_UINT(struct udp_hdr, csum, "csum", "Checksum", 16, FILL_COMPUTED, FMT_HEX, 8),
};

static void udp_init(struct layer *l, const struct addr_defaults *ad)
{
	(void)ad;
	l->h.udp.sport = 49152;
	l->h.udp.dport = 7;	/* echo */
	l->h.udp.len = UDP_HLEN;
}

static void udp_encode(struct pkt *p, int i, struct buf *b)
{
	struct layer *l = &p->layer[i];
	struct udp_hdr *h = &l->h.udp;
	if (!layer_given(l, UDP_F_LEN)) {
		h->len = (uint16_t)(UDP_HLEN + b->len);
		layer_mark_computed(l, UDP_F_LEN);
	}
	uint8_t *d = buf_push(b, UDP_HLEN);
	put16(d, h->sport);
	put16(d + 2, h->dport);
	put16(d + 4, h->len);
	put16(d + 6, 0);
	uint16_t c = csum_fold(csum_add(pkt_pseudo_sum(p, i, IP_PROTO_UDP, b->len), d, b->len));
	l->csum_good = c ? c : 0xffff;	/* RFC 768: a computed zero is sent as all ones */
	if (!layer_given(l, UDP_F_CSUM)) {
		h->csum = l->csum_good;
		layer_mark_computed(l, UDP_F_CSUM);
	}
	put16(d + 6, h->csum);
	l->csum_status = h->csum == 0 ? CSUM_NONE : h->csum == l->csum_good ? CSUM_GOOD : CSUM_BAD;
}

static void udp_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct udp_hdr *h = &l->h.udp;
	uint8_t t[UDP_HLEN] = {0};
	memcpy(t, d, avail < UDP_HLEN ? avail : UDP_HLEN);
	h->sport = get16(t);
	h->dport = get16(t + 2);
	h->len = get16(t + 4);
	h->csum = get16(t + 6);
	l->given = (1u << 4) - 1;
	if (avail < UDP_HLEN) {
		if (!l->partial)
			l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail, UDP_HLEN};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	l->len = UDP_HLEN;
	if (h->len < UDP_HLEN) {
		l->err = (struct decode_err){DERR_LEN_SHORT, h->len, UDP_HLEN};
		return;
	}
	bool whole = h->len <= avail;
	if (!whole && !l->partial)
		l->err = (struct decode_err){DERR_LEN_BEYOND, h->len, (uint16_t)avail};
	if (whole)
		nx->end = h->len;
	if (h->csum == 0) {
		l->csum_status = CSUM_NONE;
	} else if (!whole) {
		l->csum_status = CSUM_PARTIAL;
	} else {
		uint32_t sum = csum_add(pkt_pseudo_sum(p, i, IP_PROTO_UDP, h->len), d, h->len);
		uint16_t good = csum_without(sum, h->csum);
		l->csum_good = good ? good : 0xffff;
		l->csum_status = csum_fold(sum) == 0 ? CSUM_GOOD : CSUM_BAD;
	}
}

static void udp_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct layer *l = &p->layer[i];
	const struct udp_hdr *h = &l->h.udp;
	/* Quoted in an ICMP error, the data is cut short: its length field says how much there was. */
	size_t len = l->partial ? (h->len >= UDP_HLEN ? (size_t)h->len - UDP_HLEN : 0) : pkt_bytes_above(p, i);
	sbuf_printf(sb, "%u > %u Len=%zu", h->sport, h->dport, len);
}

const struct proto_def proto_udp = {
	.name = "udp",
	.abbrev = "UDP",
	.title = "User Datagram Protocol",
	.fields = udp_fields,
	.nfields = sizeof udp_fields / sizeof udp_fields[0],
	.max_hlen = UDP_HLEN,
	.csum_field = UDP_F_CSUM,
	.init = udp_init,
	.encode = udp_encode,
	.decode = udp_decode,
	.summary = udp_summary,
};
