/* ICMP (RFC 792): echo request and reply, and the error messages that
 * quote the start of the datagram that caused them. */
#include "proto/icmp.h"

#include <string.h>

#include "core/bytes.h"
#include "proto/checksum.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field icmp_fields[] = {
	FLD_UINT(struct icmp_hdr, type, "type", "Type", 8, FILL_DEFAULT, FMT_DEC, 1),
	FLD_UINT(struct icmp_hdr, code, "code", "Code", 8, FILL_DEFAULT, FMT_DEC, 2),
	FLD_UINT(struct icmp_hdr, csum, "csum", "Checksum", 16, FILL_COMPUTED, FMT_HEX, 4),
	FLD_UINT(struct icmp_hdr, id, "id", "Identifier", 16, FILL_DEFAULT, FMT_HEX, 6),
	FLD_UINT(struct icmp_hdr, seq, "seq", "Sequence Number", 16, FILL_DEFAULT, FMT_DEC, 8),
};

bool icmp_is_error(uint8_t type)
{
	return type == ICMP_UNREACH || type == ICMP_TIME_EXCEEDED || type == ICMP_PARAM_PROBLEM ||
	       type == 4 || type == 5;
}

static const char *unreach_name(uint8_t code)
{
	static const char *const names[] = {
		"Network unreachable", "Host unreachable", "Protocol unreachable",
		"Port unreachable", "Fragmentation needed", "Source route failed",
	};
	return code < sizeof names / sizeof names[0] ? names[code] : NULL;
}

const char *icmp_type_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case ICMP_ECHO_REPLY: return "Echo (ping) reply";
	case ICMP_UNREACH: return unreach_name(code) ? unreach_name(code) : "Destination unreachable";
	case 4: return "Source quench";
	case 5: return "Redirect";
	case ICMP_ECHO: return "Echo (ping) request";
	case ICMP_TIME_EXCEEDED: return code ? "Fragment reassembly time exceeded" : "Time-to-live exceeded";
	case ICMP_PARAM_PROBLEM: return "Parameter problem";
	case 13: return "Timestamp request";
	case 14: return "Timestamp reply";
	default: return NULL;
	}
}

static void icmp_init(struct layer *l, const struct addr_defaults *ad)
{
	(void)ad;
	l->h.icmp.type = ICMP_ECHO;
	l->h.icmp.id = 1;
	l->h.icmp.seq = 1;
}

static void icmp_encode(struct pkt *p, int i, struct buf *b)
{
	struct layer *l = &p->layer[i];
	struct icmp_hdr *h = &l->h.icmp;
	/* RFC 792: in error messages the second word is unused and zero. */
	for (int f = ICMP_F_ID; f <= ICMP_F_SEQ && icmp_is_error(h->type); f++) {
		if (!layer_given(l, f)) {
			*(f == ICMP_F_ID ? &h->id : &h->seq) = 0;
			layer_mark_computed(l, f);
		}
	}
	uint8_t *d = buf_push(b, ICMP_HLEN);
	d[0] = h->type;
	d[1] = h->code;
	put16(d + 2, 0);
	put16(d + 4, h->id);
	put16(d + 6, h->seq);
	/* RFC 792: over the whole ICMP message, header and data. */
	l->csum_good = csum(d, b->len);
	if (!layer_given(l, ICMP_F_CSUM)) {
		h->csum = l->csum_good;
		layer_mark_computed(l, ICMP_F_CSUM);
	}
	put16(d + 2, h->csum);
	l->csum_status = h->csum == l->csum_good ? CSUM_GOOD : CSUM_BAD;
}

static void icmp_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct icmp_hdr *h = &l->h.icmp;
	uint8_t t[ICMP_HLEN] = {0};
	memcpy(t, d, avail < ICMP_HLEN ? avail : ICMP_HLEN);
	h->type = t[0];
	h->code = t[1];
	h->csum = get16(t + 2);
	h->id = get16(t + 4);
	h->seq = get16(t + 6);
	l->given = (1u << 5) - 1;
	if (avail < ICMP_HLEN) {
		if (!l->partial)
			l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail, ICMP_HLEN};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	l->len = ICMP_HLEN;
	layer_take_sum(l, csum_add(0, d, avail), h->csum);
	/* IPv4's total length going beyond the frame means part of the message is missing. */
	bool cut = i > 0 && p->layer[i - 1].def == &proto_ipv4 && p->layer[i - 1].err.code == DERR_LEN_BEYOND;
	if (l->partial || cut)
		l->csum_status = CSUM_PARTIAL;
	if (icmp_is_error(h->type)) {
		nx->def = &proto_ipv4;
		nx->partial = true;
	}
}

static void icmp_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct icmp_hdr *h = &p->layer[i].h.icmp;
	const char *name = icmp_type_name(h->type, h->code);
	if (h->type == ICMP_ECHO || h->type == ICMP_ECHO_REPLY) {
		sbuf_printf(sb, "%s  id=0x%04x, seq=%u/%u", name, h->id, h->seq,
			    (uint16_t)(h->seq << 8 | h->seq >> 8));
		if (i > 0 && p->layer[i - 1].def == &proto_ipv4)
			sbuf_printf(sb, ", ttl=%u", p->layer[i - 1].h.ip.ttl);
	} else if (h->type == ICMP_UNREACH) {
		sbuf_printf(sb, "Destination unreachable (%s)", name);
	} else if (name) {
		sbuf_puts(sb, name);
	} else {
		sbuf_printf(sb, "ICMP type %u, code %u", h->type, h->code);
	}
}

static void icmp_annotate(const struct layer *l, int f, struct sbuf *sb)
{
	const struct icmp_hdr *h = &l->h.icmp;
	if (f == ICMP_F_TYPE && icmp_type_name(h->type, 0))
		sbuf_puts(sb, h->type == ICMP_UNREACH ? "Destination unreachable" : icmp_type_name(h->type, 0));
	else if (f == ICMP_F_CODE && h->type == ICMP_UNREACH && unreach_name(h->code))
		sbuf_puts(sb, unreach_name(h->code));
	else if ((f == ICMP_F_ID || f == ICMP_F_SEQ) && icmp_is_error(h->type))
		sbuf_puts(sb, h->type == ICMP_UNREACH && h->code == 4 && f == ICMP_F_SEQ ? "next-hop MTU" : "unused");
}

const struct proto_def proto_icmp = {
	.name = "icmp",
	.abbrev = "ICMP",
	.title = "Internet Control Message Protocol",
	.fields = icmp_fields,
	.nfields = sizeof icmp_fields / sizeof icmp_fields[0],
	.max_hlen = ICMP_HLEN,
	.csum_field = ICMP_F_CSUM,
	.init = icmp_init,
	.encode = icmp_encode,
	.decode = icmp_decode,
	.summary = icmp_summary,
	.annotate = icmp_annotate,
};
