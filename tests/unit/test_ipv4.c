/* IPv4 (RFC 791): header, checksum, options, lengths, fragments. */
#include "testutil.h"

#include "proto/checksum.h"
#include "proto/ipv4.h"

/* Wikipedia's "IPv4 header checksum" example: 4500 0073 0000 4000 4011
 * [b861] c0a8 0001 c0a8 00c7. The words sum to 0x2479e; folding gives
 * 0x479e, and ~0x479e = 0xb861. Total length 0x73 = 115, DF set, TTL 64,
 * protocol 17 (UDP), 192.168.0.1 > 192.168.0.199. */
static const char WIKI_HDR[] = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

/* Ether{} / IPv4{} / ICMP{}: a default echo request, 42 bytes.
 *   IPv4: 4500 001c 0001 0000 4001 [66de] 0a00 0001 0a00 0002
 *         4500+001c+0001+4001+0a00+0001+0a00+0002 = 0x9921, ~ = 0x66de
 *   ICMP: 0800 [f7fd] 0001 0001: 0800+0001+0001 = 0x0802, ~ = 0xf7fd */
static const char ICMP_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 001c 0001 0000 4001 66de 0a000001 0a000002"
	"0800 f7fd 0001 0001";

/* Ether{} / IPv4{opts="hex:94040000"} / UDP{sport=40000, dport=40001} /
 * "router alert": 14 + 24 + 8 + 12 = 58 bytes.
 *   IPv4: 4600 002c 0001 0000 4011 [d1b9] 0a000001 0a000002 9404 0000
 *         (IHL 6 for the 4-byte Router Alert option; total 44 = 0x2c);
 *         the words sum to 0x12e45, folded 0x2e46, ~ = 0xd1b9
 *   UDP:  9c40 9c41 0014 [66b0], length 20; checksum with the pseudo-header
 *         0a00 0001 0a00 0002 0011 0014 (worked out with an independent
 *         RFC 1071 implementation) */
static const char OPTS_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4600 002c 0001 0000 4011 d1b9 0a000001 0a000002 94040000"
	"9c40 9c41 0014 66b0 726f7574657220616c657274";

/* Where each field ends in the header, as RFC 791 lays it out. */
static const char *const ip_names[] = {
	"version", "ihl", "tos", "len", "id", "rf", "df", "mf", "frag", "ttl", "proto", "csum", "src", "dst",
};
static const size_t ip_ends[] = {1, 1, 2, 4, 6, 7, 7, 7, 8, 9, 10, 12, 16, 20};

static void check_fields_within(const struct pkt *p, int li, size_t avail)
{
	for (size_t f = 0; f < sizeof ip_ends / sizeof ip_ends[0]; f++) {
		if (layer_given(&p->layer[li], fidx(p, li, ip_names[f])) != (ip_ends[f] <= avail))
			fail_msg("%zu bytes of IPv4: field %s given=%d", avail, ip_names[f],
				 layer_given(&p->layer[li], fidx(p, li, ip_names[f])));
	}
}

static void test_ipv4_wikipedia_header_encodes_with_checksum_b861(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "ip");
	set(&p, 0, "len", "115");
	set(&p, 0, "id", "0");
	set(&p, 0, "df", "1");
	set(&p, 0, "proto", "17");
	set(&p, 0, "src", "192.168.0.1");
	set(&p, 0, "dst", "192.168.0.199");
	assert_frame(&p, WIKI_HDR);
	assert_int_equal(p.layer[0].h.ip.csum, 0xb861);
	assert_int_equal(p.layer[0].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[0].csum_good, 0xb861);
	pkt_free(&p);
}

static void test_ipv4_default_icmp_echo_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	assert_frame(&p, ICMP_FRAME);
	pkt_free(&p);
}

static void test_ipv4_with_router_alert_option_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 1, "opts", "hex:94040000");
	set(&p, 2, "sport", "40000");
	set(&p, 2, "dport", "40001");
	pkt_set_payload(&p, "router alert", 12, NULL);
	assert_frame(&p, OPTS_FRAME);
	assert_int_equal(p.layer[1].len, 24);
	assert_int_equal(p.layer[1].h.ip.ihl, 6);
	pkt_free(&p);
}

static void test_ipv4_decode_wikipedia_header_gives_every_field(void **state)
{
	(void)state;
	char hex[600];
	/* Then a UDP header (1234 > 53, length 95 = 0x5f, no checksum) and 87 zero bytes. */
	int n = snprintf(hex, sizeof hex, "02000000000b 02000000000a 0800 %s 04d2 0035 005f 0000", WIKI_HDR);
	for (int i = 0; i < 87; i++)
		n += snprintf(hex + n, sizeof hex - (size_t)n, "00");
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, hex);
	assert_int_equal(p.n, 3);
	const struct layer *l = &p.layer[1];
	assert_int_equal(l->err.code, DERR_NONE);
	assert_int_equal(l->given, (1u << IP_F_OPTS) - 1);
	assert_field(&p, 1, "version", "4");
	assert_field(&p, 1, "ihl", "5");
	assert_field(&p, 1, "tos", "0x00");
	assert_field(&p, 1, "len", "115");
	assert_field(&p, 1, "id", "0x0000");
	assert_field(&p, 1, "rf", "0");
	assert_field(&p, 1, "df", "1");
	assert_field(&p, 1, "mf", "0");
	assert_field(&p, 1, "frag", "0");
	assert_field(&p, 1, "ttl", "64");
	assert_field(&p, 1, "proto", "17");
	assert_field(&p, 1, "csum", "0xb861");
	assert_field(&p, 1, "src", "192.168.0.1");
	assert_field(&p, 1, "dst", "192.168.0.199");
	assert_int_equal(l->csum_status, CSUM_GOOD);
	assert_int_equal(l->csum_good, 0xb861);
	assert_int_equal(l->len, 20);
	assert_ptr_equal(p.layer[2].def, &proto_udp);
	assert_int_equal(p.layer[2].csum_status, CSUM_NONE);
	assert_int_equal(p.payload.len, 87);
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_ipv4_decode_options_frame_keeps_the_option_bytes(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, OPTS_FRAME);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.layer[1].err.code, DERR_NONE);
	assert_int_equal(p.layer[1].len, 24);
	assert_true(layer_given(&p.layer[1], IP_F_OPTS));
	assert_field(&p, 1, "opts", "94 04 00 00");
	assert_int_equal(p.layer[1].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].off, 38);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.payload.len, 12);
	pkt_free(&p);
}

static void test_ipv4_options_frame_reencodes_identically(void **state)
{
	(void)state;
	assert_reencodes_identically(OPTS_FRAME);
	assert_reencodes_identically(ICMP_FRAME);
}

static void test_ipv4_options_not_a_multiple_of_4_are_padded_with_eol(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "ip");
	set(&p, 0, "opts", "hex:010101");	/* three NOPs, then one EOL (00) to fill the word */
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 24);
	assert_int_equal(buf_data(f)[0], 0x46);
	assert_bytes(buf_data(f) + 20, 4, "01010100");
	assert_int_equal(csum(buf_data(f), 24), 0);
	pkt_free(&p);
}

static void test_ipv4_forty_option_bytes_make_ihl_15(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip");
	uint8_t o[40];
	for (int i = 0; i < 40; i++)
		o[i] = 1;	/* NOP */
	struct err e;
	assert_int_equal(field_set_bytes(&p, 1, IP_F_OPTS, o, 40, &e), 0);
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 14 + 60);
	assert_int_equal(buf_data(f)[14], 0x4f);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[1].err.code, DERR_NONE);
	assert_int_equal(q.layer[1].h.ip.opts.len, 40);
	assert_memory_equal(q.layer[1].h.ip.opts.b, o, 40);
	assert_int_equal(q.layer[1].csum_status, CSUM_GOOD);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_computed_fields_are_marked_computed_not_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	pkt_frame(&p);
	const struct layer *l = &p.layer[1];
	for (int f = 0; f < l->def->nfields; f++)
		assert_false(layer_given(l, f));
	assert_int_equal(l->computed, 1u << IP_F_IHL | 1u << IP_F_LEN | 1u << IP_F_PROTO | 1u << IP_F_CSUM);
	assert_int_equal(l->h.ip.proto, IP_PROTO_TCP);
	assert_int_equal(l->h.ip.len, 40);
	pkt_free(&p);
}

static void test_ipv4_protocol_follows_the_layer_above(void **state)
{
	(void)state;
	static const struct {
		const char *layers;
		uint8_t proto;
	} cases[] = {
		{"ip", 253}, {"ip icmp", 1}, {"ip tcp", 6}, {"ip udp", 17}, {"ip ip", 4}, {"ip arp", 253},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct pkt p;
		pkt_init(&p);
		build(&p, cases[i].layers);
		assert_int_equal(buf_data(pkt_frame(&p))[9], cases[i].proto);
		pkt_free(&p);
	}
}

static void test_ipv4_given_len_ihl_proto_csum_are_written_even_when_wrong(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "ip udp");
	set(&p, 0, "ihl", "7");
	set(&p, 0, "len", "1000");
	set(&p, 0, "proto", "99");
	set(&p, 0, "csum", "0xbeef");
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, 28);	/* still a 20-byte header: IHL is only what it says */
	assert_bytes(buf_data(f), 12, "47 00 03e8 0001 0000 40 63 beef");
	assert_int_equal(p.layer[0].computed, 0);
	assert_int_equal(p.layer[0].csum_status, CSUM_BAD);
	/* The right checksum of that header, as the encoder found it. */
	uint8_t h[20];
	memcpy(h, buf_data(f), 20);
	h[10] = h[11] = 0;
	assert_int_equal(p.layer[0].csum_good, csum(h, 20));
	pkt_free(&p);
}

/* A wrong checksum is reported and the packet still dissected. */
static void test_ipv4_bad_checksum_is_noted_with_the_right_value(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800"
		       "4500 001c 0001 0000 4001 1234 0a000001 0a000002"
		       "0800 f7fd 0001 0001");
	assert_int_equal(p.n, 3);
	assert_int_equal(p.layer[1].err.code, DERR_NONE);
	assert_int_equal(p.layer[1].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[1].csum_good, 0x66de);
	assert_int_equal(p.layer[1].h.ip.csum, 0x1234);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
}

static void test_ipv4_given_bad_checksum_encodes_and_reports_the_right_one(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	set(&p, 1, "csum", "0x1234");
	assert_frame(&p, "02000000000b 02000000000a 0800"
			 "4500 001c 0001 0000 4001 1234 0a000001 0a000002"
			 "0800 f7fd 0001 0001");
	assert_int_equal(p.layer[1].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[1].csum_good, 0x66de);
	pkt_free(&p);
}

static void test_ipv4_ihl_below_5_is_bad_ihl(void **state)
{
	(void)state;
	for (int ihl = 0; ihl < 5; ihl++) {
		struct pkt p, q;
		pkt_init(&p);
		pkt_init(&q);
		build(&p, "eth ip udp");
		char v[16];
		snprintf(v, sizeof v, "%d", ihl);
		set(&p, 1, "ihl", v);
		const struct buf *f = pkt_frame(&p);
		pkt_decode(&q, buf_data(f), f->len);
		assert_int_equal(q.n, 2);	/* nothing above a header that cannot be read */
		assert_derr(&q.layer[1], DERR_BAD_IHL, ihl, 0);
		assert_int_equal(q.layer[1].len, 20);
		assert_int_equal(q.payload.len, 8);
		assert_layers_within_frame(&q);
		pkt_free(&p);
		pkt_free(&q);
	}
}

static void test_ipv4_ihl_beyond_the_data_is_truncated(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	/* IHL 15 (60 bytes) but only 20 bytes of IPv4 in the frame. */
	decode_hex(&p, "02000000000b 02000000000a 0800"
		       "4f00 0014 0001 0000 40fd 0000 0a000001 0a000002");
	assert_int_equal(p.n, 2);
	assert_derr(&p.layer[1], DERR_TRUNCATED, 20, 60);
	assert_int_equal(p.layer[1].len, 20);
	assert_false(layer_given(&p.layer[1], IP_F_OPTS));
	assert_true(layer_given(&p.layer[1], IP_F_DST));
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_ipv4_total_length_shorter_than_the_header_is_len_short(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip udp");
	set(&p, 1, "len", "10");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 2);
	assert_derr(&q.layer[1], DERR_LEN_SHORT, 10, 20);
	assert_int_equal(q.layer[1].csum_status, CSUM_GOOD);
	assert_int_equal(q.payload.len, 8);
	assert_layers_within_frame(&q);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_total_length_beyond_the_frame_is_len_beyond_and_udp_still_read(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip udp");
	set(&p, 1, "len", "100");
	pkt_set_payload(&p, "abc", 3, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 3);
	assert_derr(&q.layer[1], DERR_LEN_BEYOND, 100, 31);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	assert_int_equal(q.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(q.payload.len, 3);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_version_6_is_bad_version_and_nothing_above(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip tcp");
	set(&p, 1, "version", "6");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 2);
	assert_derr(&q.layer[1], DERR_BAD_VERSION, 6, 0);
	assert_int_equal(q.layer[1].len, 20);
	assert_int_equal(q.payload.len, 20);
	pkt_free(&p);
	pkt_free(&q);
}

/* An IPv4 packet of 28 bytes in a 60-byte frame: the 18 bytes after its
 * total length are Ethernet padding, kept as the trailer. The ICMP
 * checksum covers only the ICMP message, so it is still correct. */
static void test_ipv4_ethernet_padding_after_a_short_packet_is_the_trailer(void **state)
{
	(void)state;
	char hex[400];
	snprintf(hex, sizeof hex, "%s %s", ICMP_FRAME, "ffffffffffffffffffffffffffffffffffff");
	struct pkt p;
	pkt_init(&p);
	assert_int_equal(decode_hex(&p, hex), 60);
	assert_int_equal(p.n, 3);
	for (int i = 0; i < 3; i++)
		assert_int_equal(p.layer[i].err.code, DERR_NONE);
	assert_int_equal(p.payload.len, 0);
	assert_int_equal(p.trailer, 18);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_layers_within_frame(&p);
	assert_reencodes_identically(hex);
	pkt_free(&p);
}

static void test_ipv4_flag_bits_and_fragment_offset_share_one_word(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "ip");
	set(&p, 0, "rf", "1");
	set(&p, 0, "df", "true");
	set(&p, 0, "mf", "yes");
	set(&p, 0, "frag", "8191");
	assert_bytes(buf_data(pkt_frame(&p)) + 6, 2, "ffff");
	set(&p, 0, "rf", "0");
	set(&p, 0, "mf", "off");
	set(&p, 0, "frag", "185");	/* 185 * 8 = 1480 bytes in */
	assert_bytes(buf_data(pkt_frame(&p)) + 6, 2, "40b9");
	pkt_free(&p);
}

/* A later fragment: no transport header in it, everything is payload. */
static void test_ipv4_non_first_fragment_decodes_no_transport_layer(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip");
	set(&p, 1, "proto", "17");
	set(&p, 1, "id", "77");
	set(&p, 1, "frag", "185");
	pkt_set_payload(&p, "a later fragment", 16, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 2);
	assert_int_equal(q.layer[1].err.code, DERR_NONE);
	assert_int_equal(q.layer[1].h.ip.frag, 185);
	assert_int_equal(q.payload.len, 16);
	struct sbuf sb = SBUF_INIT;
	proto_ipv4.summary(&q, 1, &sb);
	assert_string_equal(sbuf_str(&sb),
			    "10.0.0.1 > 10.0.0.2, Fragmented IP protocol (proto=UDP 17, off=1480, ID=004d)");
	sbuf_free(&sb);
	pkt_free(&p);
	pkt_free(&q);
}

/* The first fragment of a longer UDP datagram: UDP is read, but its length
 * goes beyond this fragment and its checksum cannot be checked. Neither is
 * an error. */
static void test_ipv4_first_fragment_decodes_udp_partial_and_unverified(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip udp");
	set(&p, 1, "mf", "1");
	set(&p, 2, "len", "1000");
	pkt_set_payload(&p, "first 16 bytes..", 16, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 3);
	assert_false(q.layer[1].partial);
	assert_true(q.layer[2].partial);
	for (int i = 0; i < 3; i++)
		assert_int_equal(q.layer[i].err.code, DERR_NONE);
	assert_int_equal(q.layer[2].csum_status, CSUM_PARTIAL);
	assert_int_equal(q.layer[2].h.udp.len, 1000);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_first_fragment_decodes_tcp_partial_and_unverified(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip tcp");
	set(&p, 1, "mf", "1");
	pkt_set_payload(&p, "0123456789abcdef", 16, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 3);
	assert_true(q.layer[2].partial);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	assert_int_equal(q.layer[2].csum_status, CSUM_PARTIAL);
	assert_int_equal(q.payload.len, 16);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_in_ipv4_decodes_both_headers(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip ip udp");
	set(&p, 2, "src", "192.168.0.1");
	assert_round_trip(&p);
	assert_int_equal(p.layer[1].h.ip.proto, 4);
	assert_int_equal(p.layer[1].h.ip.len, 48);
	assert_int_equal(p.layer[2].h.ip.len, 28);
	pkt_free(&p);
}

static void test_ipv4_unknown_protocol_leaves_the_rest_as_payload(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip");
	pkt_set_payload(&p, "experiment", 10, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 2);
	assert_int_equal(q.layer[1].h.ip.proto, IP_PROTO_EXPERIMENTAL);
	assert_int_equal(q.payload.len, 10);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_ipv4_build_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 1, "tos", "0xb8");
	set(&p, 1, "id", "0xbeef");
	set(&p, 1, "df", "1");
	set(&p, 1, "ttl", "1");
	set(&p, 1, "src", "172.16.254.1");
	set(&p, 1, "dst", "255.255.255.255");
	set(&p, 1, "opts", "hex:07070400000000 00");	/* record route, one empty slot */
	pkt_set_payload(&p, "x", 1, NULL);
	assert_round_trip(&p);
	pkt_free(&p);
}

/* Every cut of Ether / IPv4 with options / UDP / data: each layer present
 * either whole or reported, and the right error on the right layer. */
static void test_ipv4_decode_every_truncation_reports_the_right_layer(void **state)
{
	(void)state;
	uint8_t frame[58];
	assert_int_equal(unhex(OPTS_FRAME, frame, sizeof frame), 58);
	for (size_t n = 0; n < sizeof frame; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		if (n < 14) {
			assert_int_equal(p.n, 1);
			assert_derr(&p.layer[0], DERR_TRUNCATED, n, 14);
		} else if (n < 14 + 24) {
			size_t avail = n - 14;
			assert_int_equal(p.n, 2);
			/* Once the first byte is there, IHL says 24 bytes are needed. */
			assert_derr(&p.layer[1], DERR_TRUNCATED, avail, avail ? 24 : 20);
			assert_int_equal(p.layer[1].len, avail);
			check_fields_within(&p, 1, avail);
			assert_false(layer_given(&p.layer[1], IP_F_OPTS));
		} else {
			size_t avail = n - 14, udp = n - 38;
			assert_int_equal(p.n, 3);
			assert_derr(&p.layer[1], DERR_LEN_BEYOND, 44, avail);
			assert_int_equal(p.layer[1].csum_status, CSUM_GOOD);
			assert_true(layer_given(&p.layer[1], IP_F_OPTS));
			if (udp < 8) {
				assert_derr(&p.layer[2], DERR_TRUNCATED, udp, 8);
			} else {
				assert_derr(&p.layer[2], DERR_LEN_BEYOND, 20, udp);
				assert_int_equal(p.layer[2].csum_status, CSUM_PARTIAL);
				assert_int_equal(p.payload.len, udp - 8);
			}
		}
		pkt_free(&p);
	}
}

static void test_ip4_parse_accepts_dotted_quads(void **state)
{
	(void)state;
	uint32_t ip;
	assert_int_equal(ip4_parse("10.0.0.1", &ip), 0);
	assert_int_equal(ip, 0x0a000001);
	assert_int_equal(ip4_parse("255.255.255.255", &ip), 0);
	assert_int_equal(ip, 0xffffffffu);
	assert_int_equal(ip4_parse("0.0.0.0", &ip), 0);
	assert_int_equal(ip, 0);
	assert_int_equal(ip4_parse("192.168.000.199", &ip), 0);
	assert_int_equal(ip, 0xc0a800c7);
}

static void test_ip4_parse_rejects_malformed_addresses(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "10", "10.0.0", "10.0.0.", "10.0.0.1.", "10.0.0.1.5", "10.0.0.256", "1000.0.0.1",
		"10..0.1", ".10.0.0.1", "10.0.0.1 ", " 10.0.0.1", "10.0.0.-1", "a.b.c.d", "10.0.0.0x1",
		"0010.0.0.1", "10,0,0,1",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint32_t ip = 0x12345678;
		if (ip4_parse(bad[i], &ip) == 0)
			fail_msg("ip4_parse accepted '%s'", bad[i]);
		assert_int_equal(ip, 0x12345678);	/* left alone on failure */
	}
}

static void test_ip4_format_writes_dotted_decimal(void **state)
{
	(void)state;
	char s[16];
	ip4_format(0xc0a800c7, s);
	assert_string_equal(s, "192.168.0.199");
	ip4_format(0xffffffffu, s);
	assert_string_equal(s, "255.255.255.255");
	ip4_format(0, s);
	assert_string_equal(s, "0.0.0.0");
}

static void test_ip_proto_name_knows_the_usual_protocols(void **state)
{
	(void)state;
	assert_string_equal(ip_proto_name(1), "ICMP");
	assert_string_equal(ip_proto_name(6), "TCP");
	assert_string_equal(ip_proto_name(17), "UDP");
	assert_string_equal(ip_proto_name(4), "IPv4");
	assert_null(ip_proto_name(200));
}

static void test_ipv4_summary_names_addresses_protocol_and_ttl(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	pkt_frame(&p);
	struct sbuf sb = SBUF_INIT;
	proto_ipv4.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "10.0.0.1 > 10.0.0.2, TCP (protocol 6), ttl 64");
	set(&p, 1, "proto", "200");
	sbuf_reset(&sb);
	proto_ipv4.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "10.0.0.1 > 10.0.0.2, protocol 200, ttl 64");
	sbuf_free(&sb);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4_wikipedia_header_encodes_with_checksum_b861),
		cmocka_unit_test(test_ipv4_default_icmp_echo_encodes_to_the_known_frame),
		cmocka_unit_test(test_ipv4_with_router_alert_option_encodes_to_the_known_frame),
		cmocka_unit_test(test_ipv4_decode_wikipedia_header_gives_every_field),
		cmocka_unit_test(test_ipv4_decode_options_frame_keeps_the_option_bytes),
		cmocka_unit_test(test_ipv4_options_frame_reencodes_identically),
		cmocka_unit_test(test_ipv4_options_not_a_multiple_of_4_are_padded_with_eol),
		cmocka_unit_test(test_ipv4_forty_option_bytes_make_ihl_15),
		cmocka_unit_test(test_ipv4_computed_fields_are_marked_computed_not_given),
		cmocka_unit_test(test_ipv4_protocol_follows_the_layer_above),
		cmocka_unit_test(test_ipv4_given_len_ihl_proto_csum_are_written_even_when_wrong),
		cmocka_unit_test(test_ipv4_bad_checksum_is_noted_with_the_right_value),
		cmocka_unit_test(test_ipv4_given_bad_checksum_encodes_and_reports_the_right_one),
		cmocka_unit_test(test_ipv4_ihl_below_5_is_bad_ihl),
		cmocka_unit_test(test_ipv4_ihl_beyond_the_data_is_truncated),
		cmocka_unit_test(test_ipv4_total_length_shorter_than_the_header_is_len_short),
		cmocka_unit_test(test_ipv4_total_length_beyond_the_frame_is_len_beyond_and_udp_still_read),
		cmocka_unit_test(test_ipv4_version_6_is_bad_version_and_nothing_above),
		cmocka_unit_test(test_ipv4_ethernet_padding_after_a_short_packet_is_the_trailer),
		cmocka_unit_test(test_ipv4_flag_bits_and_fragment_offset_share_one_word),
		cmocka_unit_test(test_ipv4_non_first_fragment_decodes_no_transport_layer),
		cmocka_unit_test(test_ipv4_first_fragment_decodes_udp_partial_and_unverified),
		cmocka_unit_test(test_ipv4_first_fragment_decodes_tcp_partial_and_unverified),
		cmocka_unit_test(test_ipv4_in_ipv4_decodes_both_headers),
		cmocka_unit_test(test_ipv4_unknown_protocol_leaves_the_rest_as_payload),
		cmocka_unit_test(test_ipv4_build_decode_gives_the_same_fields),
		cmocka_unit_test(test_ipv4_decode_every_truncation_reports_the_right_layer),
		cmocka_unit_test(test_ip4_parse_accepts_dotted_quads),
		cmocka_unit_test(test_ip4_parse_rejects_malformed_addresses),
		cmocka_unit_test(test_ip4_format_writes_dotted_decimal),
		cmocka_unit_test(test_ip_proto_name_knows_the_usual_protocols),
		cmocka_unit_test(test_ipv4_summary_names_addresses_protocol_and_ttl),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
