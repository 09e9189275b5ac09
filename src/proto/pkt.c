#include "proto/pkt.h"

#include <string.h>

#include "proto/checksum.h"
#include "proto/field.h"

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
	memset(p, 0, offsetof(struct pkt, layer));
	p->payload = (struct buf)BUF_INIT;
	p->frame = (struct buf)BUF_INIT;
	p->meter = NULL;
	p->metered = 0;
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
	struct buf payload = dst->payload, frame = dst->frame;
	memcpy(dst, src, offsetof(struct pkt, layer) + src->n * sizeof src->layer[0]);
	dst->payload = payload;
	dst->frame = frame;
	buf_set(&dst->payload, buf_data(&src->payload), src->payload.len);
	if (src->frame_valid)
		buf_set(&dst->frame, buf_data(&src->frame), src->frame.len);
	else
		dst->frame.len = 0;
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
	struct layer *l = &p->layer[p->n++];
	memset(l, 0, sizeof *l);
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
	memcpy(&p->layer[p->n], top->layer, top->n * sizeof top->layer[0]);
	p->n += top->n;
	pkt_add_payload(p, buf_data(&top->payload), top->payload.len);
	pkt_touch(p);
	return 0;
}

void pkt_set_payload(struct pkt *p, const void *data, size_t n)
{
	buf_set(&p->payload, data, n);
	meter(p);
	pkt_touch(p);
}

void pkt_add_payload(struct pkt *p, const void *data, size_t n)
{
	if (!p->payload.base)
		buf_reset(&p->payload, 0, n);
	buf_append(&p->payload, data, n);
	meter(p);
	pkt_touch(p);
}

int pkt_find(const struct pkt *p, const struct proto_def *def)
{
	for (int i = 0; i < p->n; i++)
		if (p->layer[i].def == def)
			return i;
	return -1;
}

void layer_mark_computed(struct layer *l, int f)
{
	l->computed |= 1u << f;
}

uint32_t pkt_pseudo_sum(const struct pkt *p, int i, uint8_t proto, size_t len)
{
	if (i == 0 || p->layer[i - 1].def != &proto_ipv4)
		return 0;
	const struct ipv4_hdr *ip = &p->layer[i - 1].h.ip;
	return csum_pseudo(ip->src, ip->dst, proto, (uint16_t)len);
}

/* Address fields that are not given follow the sender and receiver. */
static void refill_defaults(struct layer *l, const struct addr_defaults *ad)
{
	struct layer fresh;
	memset(&fresh, 0, sizeof fresh);
	l->def->init(&fresh, ad);
	for (int f = 0; f < l->def->nfields; f++) {
		const struct field *fd = &l->def->fields[f];
		if (!layer_given(l, f) && (fd->type == FT_MAC || fd->type == FT_IP4))
			memcpy((char *)&l->h + fd->offset, (char *)&fresh.h + fd->offset, fd->size);
	}
}

void pkt_encode(struct pkt *p, const struct addr_defaults *ad, struct buf *out)
{
	size_t headroom = 0;
	for (int i = 0; i < p->n; i++) {
		const struct layer *l = &p->layer[i];
		headroom += l->def->max_hlen;
		if ((l->given & l->def->addr_fields) != l->def->addr_fields)
			refill_defaults(&p->layer[i], ad ? ad : &addr_defaults_ab);
	}
	buf_reset(out, headroom, p->payload.len);
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
	size_t n = p->payload.len;
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

void pkt_decode(struct pkt *p, const uint8_t *frame, size_t len)
{
	p->n = 0;
	p->trailer = 0;
	buf_reset(&p->frame, 0, len + 1);	/* storage even for an empty frame: d is never NULL */
	buf_append(&p->frame, frame, len);
	const uint8_t *d = buf_data(&p->frame);
	const struct proto_def *def = &proto_eth;
	size_t off = 0, end = len;
	bool partial = false;
	while (def && p->n < PKT_MAX_LAYERS) {
		if (off >= end && partial)
			break;	/* a quotation may stop anywhere */
		struct layer *l = &p->layer[p->n++];
		memset(l, 0, sizeof *l);
		l->def = def;
		l->off = (uint16_t)off;
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
	buf_set(&p->payload, d + off, end - off);
	p->trailer = (uint16_t)(len - end);
	p->decoded = true;
	p->frame_valid = true;
	meter(p);
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
