/* The TCP header (RFC 9293 3.1) and its options: MSS (RFC 9293 3.7.1),
 * window scale and timestamps (RFC 7323), SACK (RFC 2018). */
#include "proto/tcp_wire.h"

#include <string.h>

#include "core/bytes.h"
#include "core/strutil.h"
#include "proto/checksum.h"
#include "proto/field.h"
#include "proto/pkt.h"

static const struct field tcp_fields[] = {
	FLD_UINT(struct tcp_hdr, sport, "sport", "Source Port", 16, FILL_DEFAULT, FMT_DEC, 2),
	FLD_UINT(struct tcp_hdr, dport, "dport", "Destination Port", 16, FILL_DEFAULT, FMT_DEC, 4),
	FLD_UINT(struct tcp_hdr, seq, "seq", "Sequence Number", 32, FILL_DEFAULT, FMT_DEC, 8),
	FLD_UINT(struct tcp_hdr, ack, "ack", "Acknowledgment Number", 32, FILL_DEFAULT, FMT_DEC, 12),
	FLD_UINT(struct tcp_hdr, off, "off", "Data Offset", 4, FILL_COMPUTED, FMT_DEC, 13),
	FLD_UINT(struct tcp_hdr, res, "res", "Reserved", 4, FILL_DEFAULT, FMT_DEC, 13),
	FLD(struct tcp_hdr, flags, FT_FLAGS, "flags", "Flags", FILL_DEFAULT, 14),
	FLD_UINT(struct tcp_hdr, win, "win", "Window", 16, FILL_DEFAULT, FMT_DEC, 16),
	FLD_UINT(struct tcp_hdr, csum, "csum", "Checksum", 16, FILL_COMPUTED, FMT_HEX, 18),
	FLD_UINT(struct tcp_hdr, urp, "urp", "Urgent Pointer", 16, FILL_DEFAULT, FMT_DEC, 20),
	FLD_UINT(struct tcp_hdr, mss, "mss", "Maximum segment size", 16, FILL_OPTION, FMT_DEC, 255),
	FLD_UINT(struct tcp_hdr, wscale, "wscale", "Window scale", 8, FILL_OPTION, FMT_DEC, 255),
	FLD(struct tcp_hdr, sackok, FT_BOOL, "sackok", "SACK permitted", FILL_OPTION, 255),
	FLD_UINT(struct tcp_hdr, tsval, "tsval", "Timestamp value", 32, FILL_OPTION, FMT_DEC, 255),
	FLD_UINT(struct tcp_hdr, tsecr, "tsecr", "Timestamp echo reply", 32, FILL_OPTION, FMT_DEC, 255),
	FLD(struct tcp_hdr, sack, FT_SACK, "sack", "SACK blocks", FILL_OPTION, 255),
	FLD(struct tcp_hdr, opts, FT_OPTS, "opts", "Options", FILL_OPTION, 255),
};

/* SPEC section 2's order, Wireshark's words. */
static const struct {
	uint8_t bit;
	const char *word;
	char scapy, tcpdump;
} flag_names[] = {
	{TCP_SYN, "SYN", 'S', 'S'}, {TCP_FIN, "FIN", 'F', 'F'}, {TCP_RST, "RST", 'R', 'R'},
	{TCP_PSH, "PSH", 'P', 'P'}, {TCP_ACK, "ACK", 'A', '.'}, {TCP_URG, "URG", 'U', 'U'},
	{TCP_ECE, "ECE", 'E', 'E'}, {TCP_CWR, "CWR", 'C', 'W'},
};
#define NFLAGS (sizeof flag_names / sizeof flag_names[0])

void tcp_flags_format(uint8_t flags, char out[40])
{
	out[0] = '\0';
	for (size_t i = 0; i < NFLAGS; i++) {
		if (flags & flag_names[i].bit) {
			if (out[0])
				strcat(out, ",");
			strcat(out, flag_names[i].word);
		}
	}
}

/* "SYN,ACK", "syn+ack", "SYN ACK", "SYN|ACK". */
static int parse_flag_words(const char *s, uint8_t *flags)
{
	uint8_t f = 0;
	while (*s) {
		char word[8];
		size_t n = 0;
		while (*s && *s != ',' && *s != '+' && *s != '|' && *s != ' ') {
			if (n >= sizeof word - 1)
				return -1;
			word[n++] = *s++;
		}
		word[n] = '\0';
		if (n != 3)
			return -1;	/* every flag's name has three letters: "S" is Scapy's */
		size_t i = 0;
		while (i < NFLAGS && !str_ieq(word, flag_names[i].word))
			i++;
		if (i == NFLAGS)
			return -1;
		f |= flag_names[i].bit;
		while (*s == ',' || *s == '+' || *s == '|' || *s == ' ')
			s++;
	}
	*flags = f;
	return 0;
}

/* Scapy's letters ("SA") and tcpdump's ("S.", "."). */
static int parse_flag_letters(const char *s, uint8_t *flags)
{
	uint8_t f = 0;
	for (; *s; s++) {
		char c = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
		size_t i = 0;
		while (i < NFLAGS && c != flag_names[i].scapy && c != flag_names[i].tcpdump)
			i++;
		if (i == NFLAGS)
			return -1;
		f |= flag_names[i].bit;
	}
	*flags = f;
	return 0;
}

int tcp_flags_parse(const char *s, uint8_t *flags)
{
	uint64_t v;
	if (!*s)
		return -1;
	if (str_ieq(s, "none"))
		return *flags = 0, 0;
	if (s[0] >= '0' && s[0] <= '9')
		return parse_uint(s, &v) == 0 && v <= 0xff ? (*flags = (uint8_t)v, 0) : -1;
	if (parse_flag_words(s, flags) == 0)
		return 0;
	return parse_flag_letters(s, flags);
}

static int option_len_ok(uint8_t kind, uint8_t len)
{
	switch (kind) {
	case TCPOPT_MSS: return len == 4;
	case TCPOPT_WSCALE: return len == 3;
	case TCPOPT_SACK_PERM: return len == 2;
	case TCPOPT_TIMESTAMP: return len == 10;
	case TCPOPT_SACK: return len >= 10 && len <= 34 && (len - 2) % 8 == 0;
	default: return len >= 2;
	}
}

int tcp_options_parse(struct tcp_hdr *h, const uint8_t *p, size_t n, uint32_t *given, size_t *bad_at)
{
	for (size_t i = 0; i < n;) {
		uint8_t kind = p[i];
		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || i + p[i + 1] > n || !option_len_ok(kind, p[i + 1])) {
			*bad_at = i;
			return -1;
		}
		const uint8_t *v = p + i + 2;
		switch (kind) {
		case TCPOPT_MSS:
			h->mss = get16(v);
			*given |= 1u << TCP_F_MSS;
			break;
		case TCPOPT_WSCALE:
			h->wscale = v[0];
			*given |= 1u << TCP_F_WSCALE;
			break;
		case TCPOPT_SACK_PERM:
			h->sackok = 1;
			*given |= 1u << TCP_F_SACKOK;
			break;
		case TCPOPT_TIMESTAMP:
			h->tsval = get32(v);
			h->tsecr = get32(v + 4);
			*given |= 1u << TCP_F_TSVAL | 1u << TCP_F_TSECR;
			break;
		case TCPOPT_SACK:
			h->sack.n = (uint8_t)((p[i + 1] - 2) / 8);
			for (int b = 0; b < 2 * h->sack.n; b++)
				h->sack.edge[b] = get32(v + 4 * b);
			*given |= 1u << TCP_F_SACK;
			break;
		default:
			break;
		}
		i += p[i + 1];
	}
	return 0;
}

/* The MSS option (RFC 9293 3.2): kind, length, value. */
static size_t put_mss(uint8_t *d, uint16_t mss)
{
	d[0] = TCPOPT_MSS;
	d[1] = 4;
	put16(d + 2, mss);
	return 4;
}

/* Options from the structured fields, in the order Linux sends them, each
 * group already a multiple of four bytes. */
static size_t build_options(const struct layer *l, uint8_t out[40])
{
	const struct tcp_hdr *h = &l->h.tcp;
	size_t n = 0;
	bool ts = layer_given(l, TCP_F_TSVAL) || layer_given(l, TCP_F_TSECR);
	bool sackok = layer_given(l, TCP_F_SACKOK) && h->sackok;
	if (layer_given(l, TCP_F_MSS))
		n += put_mss(out + n, h->mss);
	if (sackok && ts) {
		out[n++] = TCPOPT_SACK_PERM, out[n++] = 2;
	} else if (sackok) {
		out[n++] = TCPOPT_NOP, out[n++] = TCPOPT_NOP;
		out[n++] = TCPOPT_SACK_PERM, out[n++] = 2;
	} else if (ts) {
		out[n++] = TCPOPT_NOP, out[n++] = TCPOPT_NOP;
	}
	if (ts) {
		out[n++] = TCPOPT_TIMESTAMP, out[n++] = 10;
		put32(out + n, h->tsval);
		put32(out + n + 4, h->tsecr);
		n += 8;
	}
	if (layer_given(l, TCP_F_WSCALE)) {
		out[n++] = TCPOPT_NOP, out[n++] = TCPOPT_WSCALE, out[n++] = 3;
		out[n++] = h->wscale;
	}
	if (layer_given(l, TCP_F_SACK) && h->sack.n && n + 4 + 8 <= 40) {
		int blocks = h->sack.n;
		while (n + 4 + 8 * (size_t)blocks > 40)
			blocks--;	/* as many as fit */
		out[n++] = TCPOPT_NOP, out[n++] = TCPOPT_NOP;
		out[n++] = TCPOPT_SACK, out[n++] = (uint8_t)(2 + 8 * blocks);
		for (int b = 0; b < 2 * blocks; b++, n += 4)
			put32(out + n, h->sack.edge[b]);
	}
	return n;
}

static void tcp_init(struct layer *l, const struct addr_defaults *ad)
{
	(void)ad;
	struct tcp_hdr *h = &l->h.tcp;
	h->sport = 49152;
	h->dport = 80;
	h->off = 5;
	h->flags = TCP_SYN;
	h->win = 65535;
}

/* The first 20 bytes of h, the checksum left zero. */
static void put_fixed(uint8_t *d, const struct tcp_hdr *h)
{
	put16(d, h->sport);
	put16(d + 2, h->dport);
	put32(d + 4, h->seq);
	put32(d + 8, h->ack);
	d[12] = (uint8_t)(h->off << 4 | (h->res & 15));
	d[13] = h->flags;
	put16(d + 14, h->win);
	put16(d + 16, 0);
	put16(d + 18, h->urp);
}

uint32_t tcp_push_header(struct buf *b, struct tcp_hdr *h, bool mss, uint32_t src, uint32_t dst)
{
	size_t hlen = TCP_HLEN + (mss ? 4 : 0);
	h->off = (uint8_t)(hlen / 4);
	uint8_t *d = buf_push(b, hlen);
	put_fixed(d, h);
	if (mss)
		put_mss(d + TCP_HLEN, h->mss);
	/* RFC 9293 3.1: the checksum covers a pseudo-header, the header and the data. */
	h->csum = csum_fold(csum_add(csum_pseudo(src, dst, IP_PROTO_TCP, (uint16_t)b->len), d, b->len));
	put16(d + 16, h->csum);
	return 1u << TCP_F_OFF | 1u << TCP_F_CSUM;
}

static void tcp_encode(struct pkt *p, int i, struct buf *b)
{
	struct layer *l = &p->layer[i];
	struct tcp_hdr *h = &l->h.tcp;
	uint8_t opts[40];
	size_t optlen;
	if (layer_given(l, TCP_F_OPTS)) {
		memset(opts, 0, sizeof opts);	/* pads with End of Option List */
		memcpy(opts, h->opts.b, h->opts.len);
		optlen = (h->opts.len + 3u) & ~3u;
	} else {
		optlen = build_options(l, opts);
	}
	size_t hlen = TCP_HLEN + optlen;
	if (!layer_given(l, TCP_F_OFF)) {
		h->off = (uint8_t)(hlen / 4);
		layer_mark_computed(l, TCP_F_OFF);
	}
	uint8_t *d = buf_push(b, hlen);
	put_fixed(d, h);
	if (optlen)
		memcpy(d + TCP_HLEN, opts, optlen);
	/* RFC 9293 3.1: the checksum covers a pseudo-header, the header and the data. */
	l->csum_good = csum_fold(csum_add(pkt_pseudo_sum(p, i, IP_PROTO_TCP, b->len), d, b->len));
	if (!layer_given(l, TCP_F_CSUM)) {
		h->csum = l->csum_good;
		layer_mark_computed(l, TCP_F_CSUM);
	}
	put16(d + 16, h->csum);
	l->csum_status = h->csum == l->csum_good ? CSUM_GOOD : CSUM_BAD;
}

uint32_t tcp_read(struct tcp_hdr *h, const uint8_t *t)
{
	h->sport = get16(t);
	h->dport = get16(t + 2);
	h->seq = get32(t + 4);
	h->ack = get32(t + 8);
	h->off = t[12] >> 4;
	h->res = t[12] & 15;
	h->flags = t[13];
	h->win = get16(t + 14);
	h->csum = get16(t + 16);
	h->urp = get16(t + 18);
	return (1u << TCP_F_MSS) - 1;	/* the fixed header's fields */
}

bool tcp_read_options(struct layer *l, const uint8_t *d, size_t n)
{
	struct tcp_hdr *h = &l->h.tcp;
	h->opts.len = (uint8_t)n;
	memcpy(h->opts.b, d, n);
	l->given |= 1u << TCP_F_OPTS;
	size_t bad;
	if (tcp_options_parse(h, h->opts.b, n, &l->given, &bad) == 0)
		return true;
	l->err = (struct decode_err){DERR_BAD_OPTION, (uint16_t)(TCP_HLEN + bad), 0};
	return false;
}

static void tcp_decode(struct pkt *p, int i, const uint8_t *d, size_t avail, struct decode_next *nx)
{
	struct layer *l = &p->layer[i];
	struct tcp_hdr *h = &l->h.tcp;
	/* A short header is read as if zeros followed it. */
	uint8_t pad[TCP_HLEN] = {0};
	l->given = tcp_read(h, avail < TCP_HLEN ? memcpy(pad, d, avail) : d);
	(void)nx;
	size_t hlen = h->off * 4u;
	if (avail < TCP_HLEN) {
		/* An ICMP error quotes only the first 8 bytes (RFC 792). */
		if (!l->partial)
			l->err = (struct decode_err){DERR_TRUNCATED, (uint16_t)avail, TCP_HLEN};
		layer_keep_fields_within(l, avail);
		l->len = (uint16_t)avail;
		return;
	}
	if (h->off < 5 || hlen > avail) {
		if (!(l->partial && h->off >= 5))
			l->err = (struct decode_err){DERR_BAD_OFFSET, h->off, (uint16_t)avail};
		l->len = (uint16_t)(h->off < 5 ? TCP_HLEN : avail);
		return;
	}
	l->len = (uint16_t)hlen;
	if (hlen > TCP_HLEN)
		tcp_read_options(l, d + TCP_HLEN, hlen - TCP_HLEN);
	/* Quoted, a first fragment, or cut short of IPv4's total length: part
	 * of what the checksum covers is missing. */
	if (l->partial || (i > 0 && p->layer[i - 1].def == &proto_ipv4 &&
			   p->layer[i - 1].err.code == DERR_LEN_BEYOND)) {
		l->csum_status = CSUM_PARTIAL;
		return;
	}
	layer_take_sum(l, csum_add(pkt_pseudo_sum(p, i, IP_PROTO_TCP, avail), d, avail), h->csum);
}

/* Keeps the raw option bytes and the structured fields in step. */
static void tcp_on_set(struct layer *l, int f)
{
	struct tcp_hdr *h = &l->h.tcp;
	if (f == TCP_F_OPTS) {
		uint32_t keep = l->given & ~((1u << TCP_F_OPTS) - (1u << TCP_F_MSS));
		struct optbytes raw = h->opts;
		h->mss = h->wscale = h->sackok = 0;
		h->tsval = h->tsecr = 0;
		h->sack.n = 0;
		l->given = keep;
		size_t bad;
		(void)tcp_options_parse(h, raw.b, raw.len, &l->given, &bad);
	} else if (f >= TCP_F_MSS && f < TCP_F_OPTS) {
		l->given &= ~(1u << TCP_F_OPTS);	/* rebuilt from the fields */
		if (f == TCP_F_SACKOK && !h->sackok)
			l->given &= ~(1u << TCP_F_SACKOK);
	}
}

static void tcp_summary(const struct pkt *p, int i, struct sbuf *sb)
{
	const struct layer *l = &p->layer[i];
	const struct tcp_hdr *h = &l->h.tcp;
	char flags[40];
	tcp_flags_format(h->flags, flags);
	sbuf_printf(sb, "%u > %u [%s] Seq=%u", h->sport, h->dport, flags[0] ? flags : "<None>", h->seq);
	if (h->flags & TCP_ACK)
		sbuf_printf(sb, " Ack=%u", h->ack);
	if (l->len >= TCP_HLEN || !l->partial) {
		sbuf_printf(sb, " Win=%u Len=%zu", h->win, pkt_bytes_above(p, i));
		if (layer_given(l, TCP_F_MSS))
			sbuf_printf(sb, " MSS=%u", h->mss);
		if (layer_given(l, TCP_F_SACKOK) && h->sackok)
			sbuf_puts(sb, " SACK_PERM");
		if (layer_given(l, TCP_F_TSVAL))
			sbuf_printf(sb, " TSval=%u TSecr=%u", h->tsval, h->tsecr);
		if (layer_given(l, TCP_F_WSCALE))
			sbuf_printf(sb, " WS=%u", 1u << (h->wscale > 14 ? 14 : h->wscale));
		for (int b = 0; layer_given(l, TCP_F_SACK) && b < h->sack.n; b++)
			sbuf_printf(sb, " SLE=%u SRE=%u", h->sack.edge[2 * b], h->sack.edge[2 * b + 1]);
	}
}

static void tcp_annotate(const struct layer *l, int f, struct sbuf *sb)
{
	const struct tcp_hdr *h = &l->h.tcp;
	if (f == TCP_F_OFF)
		sbuf_printf(sb, "%u bytes", h->off * 4u);
	else if (f == TCP_F_FLAGS)
		sbuf_printf(sb, "0x%03x", h->flags | (h->res & 1) << 8);
	else if (f == TCP_F_WSCALE)
		sbuf_printf(sb, "multiply by %u", 1u << (h->wscale > 14 ? 14 : h->wscale));
}

const struct proto_def proto_tcp = {
	.name = "tcp",
	.abbrev = "TCP",
	.title = "Transmission Control Protocol",
	.fields = tcp_fields,
	.nfields = sizeof tcp_fields / sizeof tcp_fields[0],
	.max_hlen = TCP_MAX_HLEN,
	.csum_field = TCP_F_CSUM,
	.init = tcp_init,
	.encode = tcp_encode,
	.decode = tcp_decode,
	.summary = tcp_summary,
	.annotate = tcp_annotate,
	.on_set = tcp_on_set,
};
