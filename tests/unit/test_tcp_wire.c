/* The TCP header on the wire (RFC 9293 3.1), its options (MSS, window
 * scale and timestamps from RFC 7323, SACK from RFC 2018) and flags. */
#include "testutil.h"

#include "proto/checksum.h"
#include "proto/tcp_wire.h"

/* Ether{} / IPv4{} / TCP{}: a bare SYN, 54 bytes.
 *   IPv4: 4500 0028 0001 0000 4006 [66cd] 0a000001 0a000002 (total 40)
 *         4500+0028+0001+4006+0a00+0001+0a00+0002 = 0x9932, ~ = 0x66cd
 *   TCP:  c000 0050 00000000 00000000 5002 ffff [db8f] 0000
 *         pseudo 0a00+0001+0a00+0002+0006+0014 = 0x141d;
 *         c000+0050+5002+ffff = 0x21051; 0x21051 + 0x141d = 0x2246e,
 *         folded 0x2470, ~ = 0xdb8f */
static const char SYN_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 0028 0001 0000 4006 66cd 0a000001 0a000002"
	"c000 0050 00000000 00000000 5002 ffff db8f 0000";

/* README's SYN with MSS 1460: options 02 04 05b4, data offset 6. */
static const char MSS_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 002c 0001 0000 4006 66c9 0a000001 0a000002"
	"c000 0050 00000000 00000000 6002 ffff c3d3 0000 020405b4";

/* b's SYN,ACK, 5001 > 49152, seq 5000 (1388), ack 1001 (03e9), DF, options
 * in Linux's order: MSS 1460 (020405b4), SACK permitted (0402), timestamps
 * 100/0 (080a 00000064 00000000), NOP + window scale 7 (01 030307): 20
 * bytes, data offset 10 (a0).
 *   IPv4: 4500 003c 0001 4000 4006 [26b9] 0a000002 0a000001 (total 60)
 *   TCP checksum 488f (independent RFC 1071 implementation). */
static const char SYNACK_FRAME[] =
	"02000000000a 02000000000b 0800"
	"4500 003c 0001 4000 4006 26b9 0a000002 0a000001"
	"1389 c000 00001388 000003e9 a012 ffff 488f 0000"
	"020405b4 0402 080a 00000064 00000000 01030307";

/* a's ACK with timestamps 200/100 and two SACK blocks 6001-7001 and
 * 8001-9001: NOP NOP 080a 000000c8 00000064, NOP NOP 05 12 (2 + 16 bytes)
 * 00001771 00001b59 00001f41 00002329. 32 option bytes, offset 13 (d0).
 *   IPv4: 4500 0048 ... [66ad], TCP checksum ab37. */
static const char SACK_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 0048 0001 0000 4006 66ad 0a000001 0a000002"
	"c000 1389 000003e9 00001389 d010 ffff ab37 0000"
	"0101080a 000000c8 00000064 01010512 00001771 00001b59 00001f41 00002329";

static const char *const tcp_names[] = {"sport", "dport", "seq", "ack", "off", "res", "flags", "win", "csum", "urp"};
static const size_t tcp_ends[] = {2, 4, 8, 12, 13, 13, 14, 16, 18, 20};

/* The option bytes of layer li in the current frame. */
static void assert_options(struct pkt *p, int li, const char *hex)
{
	const struct buf *f = pkt_frame(p);
	const struct layer *l = &p->layer[li];
	assert_true(l->len >= TCP_HLEN);
	assert_bytes(buf_data(f) + l->off + TCP_HLEN, l->len - TCP_HLEN, hex);
	assert_int_equal(buf_data(f)[l->off + 12] >> 4, l->len / 4);
}

static void test_tcp_bare_syn_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	assert_frame(&p, SYN_FRAME);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].computed, 1u << TCP_F_OFF | 1u << TCP_F_CSUM);
	pkt_free(&p);
}

static void test_tcp_syn_with_mss_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 2, "mss", "1460");
	assert_frame(&p, MSS_FRAME);
	pkt_free(&p);
}

static void test_tcp_synack_with_every_syn_option_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 0, "src", "02:00:00:00:00:0b");
	set(&p, 0, "dst", "02:00:00:00:00:0a");
	set(&p, 1, "src", "10.0.0.2");
	set(&p, 1, "dst", "10.0.0.1");
	set(&p, 1, "df", "1");
	set(&p, 2, "sport", "5001");
	set(&p, 2, "dport", "49152");
	set(&p, 2, "seq", "5000");
	set(&p, 2, "ack", "1001");
	set(&p, 2, "flags", "SA");
	set(&p, 2, "mss", "1460");
	set(&p, 2, "sackok", "1");
	set(&p, 2, "tsval", "100");
	set(&p, 2, "tsecr", "0");
	set(&p, 2, "wscale", "7");
	assert_frame(&p, SYNACK_FRAME);
	pkt_free(&p);
}

static void test_tcp_ack_with_timestamps_and_sack_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 2, "dport", "5001");
	set(&p, 2, "seq", "1001");
	set(&p, 2, "ack", "5001");
	set(&p, 2, "flags", "A");
	set(&p, 2, "sack", "6001-7001,8001-9001");
	set(&p, 2, "tsval", "200");
	set(&p, 2, "tsecr", "100");
	assert_frame(&p, SACK_FRAME);
	pkt_free(&p);
}

static void test_tcp_decode_synack_gives_every_field_and_option(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, SYNACK_FRAME);
	assert_int_equal(p.n, 3);
	const struct layer *l = &p.layer[2];
	assert_int_equal(l->err.code, DERR_NONE);
	assert_int_equal(l->len, 40);
	assert_field(&p, 2, "sport", "5001");
	assert_field(&p, 2, "dport", "49152");
	assert_field(&p, 2, "seq", "5000");
	assert_field(&p, 2, "ack", "1001");
	assert_field(&p, 2, "off", "10");
	assert_field(&p, 2, "res", "0");
	assert_field(&p, 2, "flags", "SYN,ACK");
	assert_field(&p, 2, "win", "65535");
	assert_field(&p, 2, "csum", "0x488f");
	assert_field(&p, 2, "urp", "0");
	assert_field(&p, 2, "mss", "1460");
	assert_field(&p, 2, "sackok", "1");
	assert_field(&p, 2, "tsval", "100");
	assert_field(&p, 2, "tsecr", "0");
	assert_field(&p, 2, "wscale", "7");
	assert_field(&p, 2, "opts", "02 04 05 b4 04 02 08 0a 00 00 00 64 00 00 00 00 01 03 03 07");
	for (int f = TCP_F_SPORT; f <= TCP_F_TSECR; f++)
		assert_true(layer_given(l, f));
	assert_true(layer_given(l, TCP_F_OPTS));
	assert_false(layer_given(l, TCP_F_SACK));
	assert_int_equal(l->csum_status, CSUM_GOOD);
	assert_int_equal(l->csum_good, 0x488f);
	pkt_free(&p);
}

static void test_tcp_decode_sack_blocks(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, SACK_FRAME);
	const struct layer *l = &p.layer[2];
	assert_int_equal(l->err.code, DERR_NONE);
	assert_int_equal(l->h.tcp.sack.n, 2);
	assert_int_equal(l->h.tcp.sack.edge[0], 6001);
	assert_int_equal(l->h.tcp.sack.edge[1], 7001);
	assert_int_equal(l->h.tcp.sack.edge[2], 8001);
	assert_int_equal(l->h.tcp.sack.edge[3], 9001);
	assert_field(&p, 2, "sack", "6001-7001,8001-9001");
	assert_field(&p, 2, "tsval", "200");
	assert_field(&p, 2, "tsecr", "100");
	assert_not_given(&p, 2, "mss");
	assert_not_given(&p, 2, "wscale");
	assert_not_given(&p, 2, "sackok");
	assert_int_equal(l->csum_status, CSUM_GOOD);
	pkt_free(&p);
}

static void test_tcp_frames_reencode_identically(void **state)
{
	(void)state;
	assert_reencodes_identically(SYN_FRAME);
	assert_reencodes_identically(MSS_FRAME);
	assert_reencodes_identically(SYNACK_FRAME);
	assert_reencodes_identically(SACK_FRAME);
}

static void test_tcp_decoded_options_rebuilt_from_fields_give_the_same_bytes(void **state)
{
	(void)state;
	/* Forget the raw bytes: the structured fields alone must rebuild them. */
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, SYNACK_FRAME);
	p.layer[2].given &= ~(1u << TCP_F_OPTS | 1u << TCP_F_OFF | 1u << TCP_F_CSUM);
	pkt_touch(&p);
	assert_frame(&p, SYNACK_FRAME);
	decode_hex(&p, SACK_FRAME);
	p.layer[2].given &= ~(1u << TCP_F_OPTS | 1u << TCP_F_OFF | 1u << TCP_F_CSUM);
	pkt_touch(&p);
	assert_frame(&p, SACK_FRAME);
	pkt_free(&p);
}

static void test_tcp_sackok_alone_follows_two_nops(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "sackok", "true");
	assert_options(&p, 0, "01010402");
	pkt_free(&p);
}

static void test_tcp_timestamps_alone_follow_two_nops(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "tsval", "4294967295");
	assert_options(&p, 0, "0101080a ffffffff 00000000");
	pkt_free(&p);
}

static void test_tcp_wscale_alone_follows_one_nop(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "wscale", "14");
	assert_options(&p, 0, "0103030e");
	pkt_free(&p);
}

static void test_tcp_sackok_false_sends_no_option(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "sackok", "1");
	set(&p, 0, "sackok", "0");
	assert_not_given(&p, 0, "sackok");
	assert_int_equal(pkt_frame(&p)->len, 20);
	pkt_free(&p);
}

static void test_tcp_four_sack_blocks_take_34_bytes_after_two_nops(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "sack", "1-2, 3-4, 5-6, 4294967294-4294967295");
	assert_options(&p, 0, "0101 0522 00000001 00000002 00000003 00000004 00000005 00000006 fffffffe ffffffff");
	pkt_free(&p);
}

/* Timestamps take 12 bytes; 4 + 8 * 3 more fit in 40, the fourth block not. */
static void test_tcp_sack_blocks_that_do_not_fit_are_left_out(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "tsval", "1");
	set(&p, 0, "sack", "1-2,3-4,5-6,7-8");
	assert_options(&p, 0, "0101080a 00000001 00000000 0101051a 00000001 00000002 00000003 00000004 00000005 00000006");
	assert_int_equal(p.layer[0].len, 60);
	pkt_free(&p);
}

static void test_tcp_data_offset_below_5_is_bad_offset(void **state)
{
	(void)state;
	for (int off = 0; off < 5; off++) {
		struct pkt p, q;
		pkt_init(&p);
		pkt_init(&q);
		build(&p, "eth ip tcp");
		char v[16];
		snprintf(v, sizeof v, "%d", off);
		set(&p, 2, "off", v);
		pkt_set_payload(&p, "data", 4, NULL);
		const struct buf *f = pkt_frame(&p);
		pkt_decode(&q, buf_data(f), f->len);
		assert_int_equal(q.n, 3);
		assert_derr(&q.layer[2], DERR_BAD_OFFSET, off, 24);
		assert_int_equal(q.layer[2].len, 20);
		assert_int_equal(q.payload.len, 4);
		assert_layers_within_frame(&q);
		pkt_free(&p);
		pkt_free(&q);
	}
}

static void test_tcp_data_offset_beyond_the_segment_is_bad_offset(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip tcp");
	set(&p, 2, "off", "15");	/* says 60 bytes; the segment has 20 */
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(buf_data(f)[46], 0xf0);
	pkt_decode(&q, buf_data(f), f->len);
	assert_derr(&q.layer[2], DERR_BAD_OFFSET, 15, 20);
	assert_int_equal(q.layer[2].len, 20);
	assert_false(layer_given(&q.layer[2], TCP_F_OPTS));
	assert_layers_within_frame(&q);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_tcp_given_offset_reserved_and_checksum_are_written_as_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "off", "7");
	set(&p, 0, "res", "15");
	set(&p, 0, "csum", "0xabcd");
	set(&p, 0, "urp", "0x8000");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f), f->len, "c000 0050 00000000 00000000 7f02 ffff abcd 8000");
	assert_int_equal(p.layer[0].computed, 0);
	assert_int_equal(p.layer[0].csum_status, CSUM_BAD);
	pkt_free(&p);
}

static void test_tcp_bad_checksum_is_noted_with_the_right_value(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800"
		       "4500 0028 0001 0000 4006 66cd 0a000001 0a000002"
		       "c000 0050 00000000 00000000 5002 ffff 0bad 0000");
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[2].csum_good, 0xdb8f);
	pkt_free(&p);
}

static void test_tcp_checksum_ignores_ethernet_padding(void **state)
{
	(void)state;
	char hex[300];
	snprintf(hex, sizeof hex, "%s 0a0b0c0d0e0f", SYN_FRAME);
	struct pkt p;
	pkt_init(&p);
	assert_int_equal(decode_hex(&p, hex), 60);
	assert_int_equal(p.trailer, 6);
	assert_int_equal(p.payload.len, 0);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
}

/* Decodes a bare SYN whose 20-byte header is followed by the given option
 * bytes (a multiple of 4), IPv4 and TCP checksums left wrong on purpose. */
static void decode_with_options(struct pkt *p, const char *opts_hex)
{
	struct pkt b;
	pkt_init(&b);
	build(&b, "eth ip tcp");
	uint8_t o[40];
	size_t n = unhex(opts_hex, o, sizeof o);
	struct err e;
	assert_int_equal(field_set_bytes(&b, 2, TCP_F_OPTS, o, n, &e), 0);
	const struct buf *f = pkt_frame(&b);
	pkt_decode(p, buf_data(f), f->len);
	pkt_free(&b);
}

static void test_tcp_option_with_a_wrong_fixed_length_is_bad_option(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "020305b4");	/* MSS is 4 bytes long, not 3 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 20, 0);
	assert_not_given(&p, 2, "mss");
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);	/* still dissected */
	decode_with_options(&p, "01010403");	/* SACK permitted is 2 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	decode_with_options(&p, "0103 0400");	/* window scale is 3 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 21, 0);
	decode_with_options(&p, "0101 0509 0000000000000000 000000");	/* SACK is 2 + 8n */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	decode_with_options(&p, "0101 080b 0000000000000000 0000");	/* timestamps are 10 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	pkt_free(&p);
}

static void test_tcp_option_with_zero_or_one_length_is_bad_option(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "0101 2200");	/* unknown kind 34, length 0 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	decode_with_options(&p, "0101 2201");	/* length 1 cannot hold kind and length */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	decode_with_options(&p, "0200 0000");	/* MSS, length 0 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 20, 0);
	pkt_free(&p);
}

static void test_tcp_option_running_past_the_header_is_bad_option(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "0101 080a 00000000");	/* 10 bytes of timestamps in 6 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 22, 0);
	assert_not_given(&p, 2, "tsval");
	decode_with_options(&p, "010101 02");	/* a kind in the last byte, no length */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 23, 0);
	decode_with_options(&p, "fe08 0000");	/* unknown kind 254, 8 bytes in 4 */
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 20, 0);
	pkt_free(&p);
}

static void test_tcp_options_before_a_bad_one_are_kept(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "020405b4 2200 0000");
	assert_derr(&p.layer[2], DERR_BAD_OPTION, 24, 0);
	assert_given(&p, 2, "mss");
	assert_int_equal(p.layer[2].h.tcp.mss, 1460);
	assert_given(&p, 2, "opts");
	pkt_free(&p);
}

static void test_tcp_end_of_option_list_stops_parsing(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "01 00 ffff 020405b4");	/* NOP, EOL, then anything */
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_not_given(&p, 2, "mss");
	assert_int_equal(p.layer[2].len, 28);
	pkt_free(&p);
}

static void test_tcp_unknown_option_with_a_good_length_is_skipped(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_with_options(&p, "fe04abcd 020405b4");	/* experimental option 254 (RFC 6994) */
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_given(&p, 2, "mss");
	assert_int_equal(p.layer[2].h.tcp.mss, 1460);
	pkt_free(&p);
}

static void test_tcp_options_parse_reports_where_it_stopped(void **state)
{
	(void)state;
	struct tcp_hdr h;
	memset(&h, 0, sizeof h);
	uint32_t given = 0;
	size_t bad = 99;
	uint8_t ok[] = {2, 4, 0x02, 0x18, 1, 3, 3, 2, 4, 2, 0, 0};
	assert_int_equal(tcp_options_parse(&h, ok, sizeof ok, &given, &bad), 0);
	assert_int_equal(h.mss, 536);
	assert_int_equal(h.wscale, 2);
	assert_int_equal(h.sackok, 1);
	assert_int_equal(given, 1u << TCP_F_MSS | 1u << TCP_F_WSCALE | 1u << TCP_F_SACKOK);
	uint8_t badopt[] = {1, 1, 1, 5, 3};
	assert_int_equal(tcp_options_parse(&h, badopt, sizeof badopt, &given, &bad), -1);
	assert_int_equal(bad, 3);
	assert_int_equal(tcp_options_parse(&h, NULL, 0, &given, &bad), 0);
}

/* Setting the raw option bytes re-reads them into the structured fields,
 * which replace any set before. */
static void test_tcp_setting_raw_opts_reparses_the_structured_fields(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "wscale", "7");
	set(&p, 0, "tsval", "5");
	set(&p, 0, "opts", "hex:020405b4 0402");
	assert_given(&p, 0, "mss");
	assert_int_equal(p.layer[0].h.tcp.mss, 1460);
	assert_given(&p, 0, "sackok");
	assert_not_given(&p, 0, "wscale");
	assert_not_given(&p, 0, "tsval");
	assert_int_equal(p.layer[0].h.tcp.tsval, 0);
	/* The raw bytes go out as given, padded with EOL to a word. */
	assert_options(&p, 0, "020405b4 0402 0000");
	pkt_free(&p);
}

static void test_tcp_setting_an_option_field_drops_the_raw_opts(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "opts", "hex:020405b4 01030307");
	set(&p, 0, "mss", "536");
	assert_not_given(&p, 0, "opts");
	assert_given(&p, 0, "wscale");
	assert_options(&p, 0, "02040218 01030307");
	pkt_free(&p);
}

static void test_tcp_setting_mss_on_a_decoded_synack_rebuilds_the_options(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, SYNACK_FRAME);
	set(&p, 2, "mss", "536");
	set(&p, 2, "csum", "0");	/* leave the checksum out of the comparison */
	assert_options(&p, 2, "02040218 0402 080a 00000064 00000000 01030307");
	pkt_free(&p);
}

/* Unsetting the raw bytes leaves no options: those fields came from them. */
static void test_tcp_unsetting_raw_opts_removes_the_options(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "tcp");
	set(&p, 0, "opts", "hex:020405b4");
	field_unset(&p, 0, TCP_F_OPTS);
	assert_not_given(&p, 0, "opts");
	assert_not_given(&p, 0, "mss");
	assert_int_equal(pkt_frame(&p)->len, 20);
	assert_int_equal(p.layer[0].h.tcp.off, 5);
	pkt_free(&p);
}

/* Unsetting mss on a decoded SYN (whose raw option bytes are given) takes
 * the MSS option off the wire. */
static void test_tcp_unsetting_mss_of_a_decoded_syn_removes_it_from_the_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, MSS_FRAME);
	field_unset(&p, 2, TCP_F_MSS);
	field_unset(&p, 2, TCP_F_OFF);
	assert_not_given(&p, 2, "mss");
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(p.layer[2].len, 20);
	assert_int_equal(f->len, 54);
	pkt_free(&p);
}

static void test_tcp_flags_format_in_spec_order(void **state)
{
	(void)state;
	char s[40];
	static const struct {
		uint8_t flags;
		const char *text;
	} cases[] = {
		{0, ""}, {TCP_SYN, "SYN"}, {TCP_SYN | TCP_ACK, "SYN,ACK"}, {TCP_FIN | TCP_ACK, "FIN,ACK"},
		{TCP_PSH | TCP_ACK, "PSH,ACK"}, {TCP_RST | TCP_ACK, "RST,ACK"}, {TCP_ACK, "ACK"},
		{TCP_URG | TCP_ACK | TCP_PSH, "PSH,ACK,URG"},
		{0x3f, "SYN,FIN,RST,PSH,ACK,URG"}, {0xff, "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR"},
		{TCP_ECE | TCP_CWR | TCP_SYN, "SYN,ECE,CWR"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tcp_flags_format(cases[i].flags, s);
		assert_string_equal(s, cases[i].text);
	}
}

static void test_tcp_flags_parse_every_notation(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		uint8_t flags;
	} cases[] = {
		/* Wireshark's words */
		{"SYN", TCP_SYN}, {"SYN,ACK", TCP_SYN | TCP_ACK}, {"FIN,ACK", TCP_FIN | TCP_ACK},
		{"PSH,ACK", TCP_PSH | TCP_ACK}, {"RST", TCP_RST}, {"ACK,SYN", TCP_SYN | TCP_ACK},
		{"syn+ack", TCP_SYN | TCP_ACK}, {"Syn|Ack", TCP_SYN | TCP_ACK}, {"SYN ACK", TCP_SYN | TCP_ACK},
		{"SYN, ACK", TCP_SYN | TCP_ACK}, {"URG,ECE,CWR", TCP_URG | TCP_ECE | TCP_CWR},
		/* Scapy's letters */
		{"S", TCP_SYN}, {"SA", TCP_SYN | TCP_ACK}, {"FA", TCP_FIN | TCP_ACK}, {"PA", TCP_PSH | TCP_ACK},
		{"R", TCP_RST}, {"A", TCP_ACK}, {"RA", TCP_RST | TCP_ACK}, {"sa", TCP_SYN | TCP_ACK},
		{"PAU", TCP_PSH | TCP_ACK | TCP_URG}, {"SEC", TCP_SYN | TCP_ECE | TCP_CWR},
		/* tcpdump's */
		{"S.", TCP_SYN | TCP_ACK}, {"F.", TCP_FIN | TCP_ACK}, {"P.", TCP_PSH | TCP_ACK},
		{".", TCP_ACK}, {"R.", TCP_RST | TCP_ACK}, {"SW", TCP_SYN | TCP_CWR},
		/* numbers */
		{"0", 0}, {"2", TCP_SYN}, {"18", TCP_SYN | TCP_ACK}, {"0x12", TCP_SYN | TCP_ACK},
		{"0b10010", TCP_SYN | TCP_ACK}, {"255", 0xff}, {"0xff", 0xff},
		/* none */
		{"none", 0}, {"NONE", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t f = 0xaa;
		if (tcp_flags_parse(cases[i].text, &f) != 0)
			fail_msg("tcp_flags_parse refused '%s'", cases[i].text);
		if (f != cases[i].flags)
			fail_msg("'%s' parsed as 0x%02x, expected 0x%02x", cases[i].text, f, cases[i].flags);
	}
}

static void test_tcp_flags_parse_rejects_nonsense(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "XYZ", "SYN,FOO", "SYNACK", "S!", "256", "0x100", "-1", "1x", "SYN,,X", "Q", "S .",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t f = 0xaa;
		if (tcp_flags_parse(bad[i], &f) == 0)
			fail_msg("tcp_flags_parse accepted '%s' as 0x%02x", bad[i], f);
		assert_int_equal(f, 0xaa);
	}
}

static void test_tcp_every_flag_byte_formats_and_parses_back(void **state)
{
	(void)state;
	for (int v = 0; v < 256; v++) {
		char s[40];
		tcp_flags_format((uint8_t)v, s);
		uint8_t f;
		assert_int_equal(tcp_flags_parse(s[0] ? s : "none", &f), 0);
		assert_int_equal(f, v);
	}
}

static void test_tcp_sequence_numbers_near_2_to_the_32(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip tcp");
	set(&p, 2, "seq", "4294967295");
	set(&p, 2, "ack", "0xfffffffe");
	set(&p, 2, "flags", "A");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f) + 38, 8, "ffffffff fffffffe");
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[2].h.tcp.seq, 4294967295u);
	assert_int_equal(q.layer[2].h.tcp.ack, 4294967294u);
	assert_field(&q, 2, "seq", "4294967295");
	struct err e;
	assert_int_equal(field_set_text(&p, 2, TCP_F_SEQ, "4294967296", NULL, &e), -1);
	assert_contains(e.msg, "from 0 to 4294967295");
	assert_int_equal(field_set_uint(&p, 2, TCP_F_ACK, 4294967296LL, &e), -1);
	assert_int_equal(p.layer[2].h.tcp.seq, 4294967295u);	/* unchanged */
	pkt_free(&p);
	pkt_free(&q);
}

static void test_tcp_decode_every_truncation_reports_the_right_layer(void **state)
{
	(void)state;
	uint8_t frame[58];
	size_t len = unhex(MSS_FRAME, frame, sizeof frame);
	assert_int_equal(len, 58);
	for (size_t n = 0; n < len; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		if (n < 14) {
			assert_int_equal(p.n, 1);
		} else if (n < 34) {
			assert_int_equal(p.n, 2);
			assert_derr(&p.layer[1], DERR_TRUNCATED, n - 14, 20);
		} else {
			size_t avail = n - 34;
			assert_int_equal(p.n, 3);
			assert_derr(&p.layer[1], DERR_LEN_BEYOND, 44, n - 14);
			if (avail < 20) {
				assert_derr(&p.layer[2], DERR_TRUNCATED, avail, 20);
				assert_int_equal(p.layer[2].len, avail);
				for (size_t f = 0; f < 10; f++)
					if (layer_given(&p.layer[2], (int)f) != (tcp_ends[f] <= avail))
						fail_msg("%zu TCP bytes: %s given=%d", avail, tcp_names[f],
							 layer_given(&p.layer[2], (int)f));
			} else {
				assert_derr(&p.layer[2], DERR_BAD_OFFSET, 6, avail);
				assert_not_given(&p, 2, "mss");
			}
			for (int f = TCP_F_MSS; f <= TCP_F_OPTS; f++)
				assert_false(layer_given(&p.layer[2], f));
		}
		pkt_free(&p);
	}
}

/* Data cut short by the frame: IPv4 reports it, and TCP's checksum, which
 * covers the missing bytes too, cannot be checked. */
static void test_tcp_checksum_is_unverified_when_data_is_missing(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip tcp");
	pkt_set_payload(&p, "0123456789", 10, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len - 4);
	assert_derr(&q.layer[1], DERR_LEN_BEYOND, 50, 46);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	assert_int_equal(q.layer[2].csum_status, CSUM_PARTIAL);
	assert_int_equal(q.payload.len, 6);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_tcp_build_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 2, "sport", "1");
	set(&p, 2, "dport", "65535");
	set(&p, 2, "seq", "0x80000000");
	set(&p, 2, "ack", "0x7fffffff");
	set(&p, 2, "flags", "PAU");
	set(&p, 2, "win", "0");
	set(&p, 2, "urp", "3");
	set(&p, 2, "mss", "65535");
	set(&p, 2, "wscale", "0");
	set(&p, 2, "sack", "10-20");
	pkt_set_payload(&p, "urgent", 6, NULL);
	assert_round_trip(&p);
	pkt_free(&p);
}

/* The stacks write their segments' headers straight into a buffer
 * (tcp_push_header, ipv4_push_header, eth_put): the bytes, and the fields
 * marked computed, are those pkt_encode gives for the same packet. */
static void push_headers_like_pkt_encode(bool mss, const char *data)
{
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip tcp");
	set(&p, 0, "src", "02:00:00:00:00:0b");
	set(&p, 0, "dst", "00:00:00:00:00:00");
	set(&p, 1, "src", "10.0.0.2");
	set(&p, 1, "dst", "10.0.0.1");
	set(&p, 1, "id", "4660");
	set(&p, 1, "df", "1");
	set(&p, 2, "sport", "80");
	set(&p, 2, "dport", "49152");
	set(&p, 2, "seq", "4294967000");
	set(&p, 2, "ack", "12345");
	set(&p, 2, "flags", mss ? "SYN,ACK" : "PSH,ACK");
	set(&p, 2, "win", "65000");
	if (mss)
		set(&p, 2, "mss", "1460");
	pkt_set_payload(&p, data, strlen(data), NULL);
	const struct buf *want = pkt_frame(&p);

	struct buf b = BUF_INIT;
	buf_reset(&b, ETH_HLEN + IPV4_MAX_HLEN + TCP_MAX_HLEN, 0);
	buf_append(&b, data, strlen(data));
	struct tcp_hdr th = p.layer[2].h.tcp;	/* the values given; computed ones overwritten */
	th.off = th.csum = 0;
	uint32_t tcp_computed = tcp_push_header(&b, &th, mss, 0x0a000002, 0x0a000001);
	struct ipv4_hdr ip;
	ipv4_hdr_default(&ip, 0x0a000002, 0x0a000001);
	ip.id = 4660;
	ip.df = 1;
	ip.proto = IP_PROTO_TCP;
	uint32_t ip_computed = ipv4_push_header(&b, &ip);
	struct eth_hdr eth = {.src = {2, 0, 0, 0, 0, 0x0b}, .type = ETHERTYPE_IPV4};
	eth_put(buf_push(&b, ETH_HLEN), &eth);

	assert_int_equal(b.len, want->len);
	assert_memory_equal(buf_data(&b), buf_data(want), b.len);
	assert_int_equal(tcp_computed, p.layer[2].computed);
	assert_int_equal(ip_computed, p.layer[1].computed);
	assert_int_equal(1u << ETH_F_TYPE, p.layer[0].computed);
	assert_int_equal(th.csum, p.layer[2].h.tcp.csum);
	buf_free(&b);
	pkt_free(&p);
}

static void test_tcp_push_header_writes_what_pkt_encode_writes(void **state)
{
	(void)state;
	push_headers_like_pkt_encode(true, "");
	push_headers_like_pkt_encode(false, "");
	push_headers_like_pkt_encode(false, "odd-length data: 25 bytes");
	push_headers_like_pkt_encode(true, "data on a SYN,ACK");
}

static void test_tcp_over_ethernet_alone_has_no_pseudo_header(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth tcp");
	/* c000+0050+5002+ffff = 0x21051, folded 0x1053, ~ = 0xefac */
	assert_frame(&p, "02000000000b 02000000000a 88b5 c000 0050 00000000 00000000 5002 ffff efac 0000");
	pkt_free(&p);
}

static void test_tcp_summary_lists_flags_and_options(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, SYNACK_FRAME);
	struct sbuf sb = SBUF_INIT;
	proto_tcp.summary(&p, 2, &sb);
	assert_string_equal(sbuf_str(&sb), "5001 > 49152 [SYN,ACK] Seq=5000 Ack=1001 Win=65535 Len=0 "
					   "MSS=1460 SACK_PERM TSval=100 TSecr=0 WS=128");
	decode_hex(&p, SACK_FRAME);
	sbuf_reset(&sb);
	proto_tcp.summary(&p, 2, &sb);
	assert_string_equal(sbuf_str(&sb), "49152 > 5001 [ACK] Seq=1001 Ack=5001 Win=65535 Len=0 "
					   "TSval=200 TSecr=100 SLE=6001 SRE=7001 SLE=8001 SRE=9001");
	pkt_touch(&p);
	set(&p, 2, "flags", "none");
	sbuf_reset(&sb);
	proto_tcp.summary(&p, 2, &sb);
	assert_contains(sbuf_str(&sb), "[<None>] Seq=1001 Win=65535");
	sbuf_free(&sb);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_bare_syn_encodes_to_the_known_frame),
		cmocka_unit_test(test_tcp_syn_with_mss_encodes_to_the_known_frame),
		cmocka_unit_test(test_tcp_synack_with_every_syn_option_encodes_to_the_known_frame),
		cmocka_unit_test(test_tcp_ack_with_timestamps_and_sack_encodes_to_the_known_frame),
		cmocka_unit_test(test_tcp_decode_synack_gives_every_field_and_option),
		cmocka_unit_test(test_tcp_decode_sack_blocks),
		cmocka_unit_test(test_tcp_frames_reencode_identically),
		cmocka_unit_test(test_tcp_decoded_options_rebuilt_from_fields_give_the_same_bytes),
		cmocka_unit_test(test_tcp_sackok_alone_follows_two_nops),
		cmocka_unit_test(test_tcp_timestamps_alone_follow_two_nops),
		cmocka_unit_test(test_tcp_wscale_alone_follows_one_nop),
		cmocka_unit_test(test_tcp_sackok_false_sends_no_option),
		cmocka_unit_test(test_tcp_four_sack_blocks_take_34_bytes_after_two_nops),
		cmocka_unit_test(test_tcp_sack_blocks_that_do_not_fit_are_left_out),
		cmocka_unit_test(test_tcp_data_offset_below_5_is_bad_offset),
		cmocka_unit_test(test_tcp_data_offset_beyond_the_segment_is_bad_offset),
		cmocka_unit_test(test_tcp_given_offset_reserved_and_checksum_are_written_as_given),
		cmocka_unit_test(test_tcp_bad_checksum_is_noted_with_the_right_value),
		cmocka_unit_test(test_tcp_checksum_ignores_ethernet_padding),
		cmocka_unit_test(test_tcp_option_with_a_wrong_fixed_length_is_bad_option),
		cmocka_unit_test(test_tcp_option_with_zero_or_one_length_is_bad_option),
		cmocka_unit_test(test_tcp_option_running_past_the_header_is_bad_option),
		cmocka_unit_test(test_tcp_options_before_a_bad_one_are_kept),
		cmocka_unit_test(test_tcp_end_of_option_list_stops_parsing),
		cmocka_unit_test(test_tcp_unknown_option_with_a_good_length_is_skipped),
		cmocka_unit_test(test_tcp_options_parse_reports_where_it_stopped),
		cmocka_unit_test(test_tcp_setting_raw_opts_reparses_the_structured_fields),
		cmocka_unit_test(test_tcp_setting_an_option_field_drops_the_raw_opts),
		cmocka_unit_test(test_tcp_setting_mss_on_a_decoded_synack_rebuilds_the_options),
		cmocka_unit_test(test_tcp_unsetting_raw_opts_removes_the_options),
		cmocka_unit_test(test_tcp_unsetting_mss_of_a_decoded_syn_removes_it_from_the_frame),
		cmocka_unit_test(test_tcp_flags_format_in_spec_order),
		cmocka_unit_test(test_tcp_flags_parse_every_notation),
		cmocka_unit_test(test_tcp_flags_parse_rejects_nonsense),
		cmocka_unit_test(test_tcp_every_flag_byte_formats_and_parses_back),
		cmocka_unit_test(test_tcp_sequence_numbers_near_2_to_the_32),
		cmocka_unit_test(test_tcp_decode_every_truncation_reports_the_right_layer),
		cmocka_unit_test(test_tcp_checksum_is_unverified_when_data_is_missing),
		cmocka_unit_test(test_tcp_build_decode_gives_the_same_fields),
		cmocka_unit_test(test_tcp_push_header_writes_what_pkt_encode_writes),
		cmocka_unit_test(test_tcp_over_ethernet_alone_has_no_pseudo_header),
		cmocka_unit_test(test_tcp_summary_lists_flags_and_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
