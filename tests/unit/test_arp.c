/* ARP (RFC 826) for IPv4 over Ethernet. */
#include "testutil.h"

#include "proto/arp.h"

/* Ether{} / ARP{}: a request from a (02:..:0a, 10.0.0.1) for b's address
 * (10.0.0.2), sent to everyone.
 *   ffffffffffff 02000000000a 0806   Ethernet: broadcast, from a, ARP
 *   0001 0800 06 04 0001             htype Ethernet, ptype IPv4, 6, 4, request
 *   02000000000a 0a000001            sender a, 10.0.0.1
 *   000000000000 0a000002            target unknown, 10.0.0.2
 * 14 + 28 = 42 bytes. */
static const char ARP_REQUEST_FRAME[] =
	"ffffffffffff 02000000000a 0806"
	"0001 0800 06 04 0001 02000000000a 0a000001 000000000000 0a000002";

/* b's reply: to a, from b; "10.0.0.2 is at 02:00:00:00:00:0b". */
static const char ARP_REPLY_FRAME[] =
	"02000000000a 02000000000b 0806"
	"0001 0800 06 04 0002 02000000000b 0a000002 02000000000a 0a000001";

static void test_arp_request_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	assert_frame(&p, ARP_REQUEST_FRAME);
	assert_int_equal(p.layer[1].off, 14);
	assert_int_equal(p.layer[1].len, ARP_LEN);
	pkt_free(&p);
}

static void test_arp_reply_built_from_fields_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	set(&p, 0, "src", "02:00:00:00:00:0b");
	set(&p, 0, "dst", "02:00:00:00:00:0a");
	set(&p, 1, "op", "2");
	set(&p, 1, "sha", "02:00:00:00:00:0b");
	set(&p, 1, "spa", "10.0.0.2");
	set(&p, 1, "tha", "02:00:00:00:00:0a");
	set(&p, 1, "tpa", "10.0.0.1");
	assert_frame(&p, ARP_REPLY_FRAME);
	pkt_free(&p);
}

static void test_arp_decode_request_gives_every_field(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, ARP_REQUEST_FRAME);
	assert_int_equal(p.n, 2);
	assert_ptr_equal(p.layer[1].def, &proto_arp);
	assert_int_equal(p.layer[1].err.code, DERR_NONE);
	assert_int_equal(p.layer[1].given, (1u << 9) - 1);
	assert_field(&p, 1, "htype", "1");
	assert_field(&p, 1, "ptype", "0x0800");
	assert_field(&p, 1, "hlen", "6");
	assert_field(&p, 1, "plen", "4");
	assert_field(&p, 1, "op", "1");
	assert_field(&p, 1, "sha", "02:00:00:00:00:0a");
	assert_field(&p, 1, "spa", "10.0.0.1");
	assert_field(&p, 1, "tha", "00:00:00:00:00:00");
	assert_field(&p, 1, "tpa", "10.0.0.2");
	assert_int_equal(p.payload.len, 0);
	assert_int_equal(p.trailer, 0);
	pkt_free(&p);
}

static void test_arp_decode_reply_gives_every_field(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, ARP_REPLY_FRAME);
	const struct arp_hdr *h = &p.layer[1].h.arp;
	assert_int_equal(h->op, ARP_REPLY);
	assert_memory_equal(h->sha, "\x02\0\0\0\0\x0b", 6);
	assert_int_equal(h->spa, 0x0a000002);
	assert_memory_equal(h->tha, "\x02\0\0\0\0\x0a", 6);
	assert_int_equal(h->tpa, 0x0a000001);
	pkt_free(&p);
}

/* An ARP frame is 42 bytes; on the wire it is padded to 60. The 18 zero
 * bytes after the ARP message are Ethernet padding, not ARP data. */
static void test_arp_ethernet_padding_becomes_the_trailer(void **state)
{
	(void)state;
	char hex[300];
	snprintf(hex, sizeof hex, "%s %s", ARP_REQUEST_FRAME, "000000000000000000000000000000000000");
	struct pkt p;
	pkt_init(&p);
	size_t n = decode_hex(&p, hex);
	assert_int_equal(n, 60);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.layer[1].err.code, DERR_NONE);
	assert_int_equal(p.payload.len, 0);
	assert_int_equal(p.trailer, 18);
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_arp_decode_every_truncation_reports_the_right_layer(void **state)
{
	(void)state;
	uint8_t frame[42];
	unhex(ARP_REQUEST_FRAME, frame, sizeof frame);
	static const char *const names[] = {"htype", "ptype", "hlen", "plen", "op", "sha", "spa", "tha", "tpa"};
	static const size_t ends[] = {2, 4, 5, 6, 8, 14, 18, 24, 28};
	for (size_t n = 0; n < sizeof frame; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		if (n < 14) {
			assert_int_equal(p.n, 1);
			assert_derr(&p.layer[0], DERR_TRUNCATED, n, 14);
		} else {
			size_t avail = n - 14;
			assert_int_equal(p.n, 2);
			assert_int_equal(p.layer[0].err.code, DERR_NONE);
			assert_derr(&p.layer[1], DERR_TRUNCATED, avail, 28);
			assert_int_equal(p.layer[1].len, avail);
			for (int f = 0; f < 9; f++) {
				if (layer_given(&p.layer[1], f) != (ends[f] <= avail))
					fail_msg("cut at %zu: field %s given=%d", n, names[f], layer_given(&p.layer[1], f));
			}
		}
		pkt_free(&p);
	}
}

/* hlen 8 and plen 4: not Ethernet/IPv4, so the addresses cannot be read. */
static void test_arp_hlen_other_than_6_is_arp_format_error(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "ffffffffffff 02000000000a 0806"
		       "0001 0800 08 04 0001 0200000000000a0a 0a000001 0000000000000000 0a000002");
	assert_int_equal(p.n, 2);
	assert_derr(&p.layer[1], DERR_ARP_FORMAT, 8, 4);
	assert_int_equal(p.layer[1].len, 8);
	/* Only the fixed part is read: htype ptype hlen plen op. */
	assert_int_equal(p.layer[1].given, (1u << 5) - 1);
	assert_int_equal(p.layer[1].h.arp.op, 1);
	assert_int_equal(p.payload.len, 24);
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_arp_plen_other_than_4_is_arp_format_error(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "ffffffffffff 02000000000a 0806 0001 86dd 06 10 0001 02000000000a");
	assert_derr(&p.layer[1], DERR_ARP_FORMAT, 6, 16);
	assert_int_equal(p.layer[1].len, 8);
	assert_int_equal(p.payload.len, 6);
	pkt_free(&p);
}

/* hlen 8 and the frame cut after 6 or 7 ARP bytes: the error is the
 * format, but the opcode (bytes 6-7) was not all there and must not be
 * kept as if read. */
static void test_arp_format_error_in_a_cut_header_keeps_only_present_fields(void **state)
{
	(void)state;
	uint8_t frame[22];
	unhex("ffffffffffff 02000000000a 0806 0001 0800 08 04 0001", frame, sizeof frame);
	for (size_t n = 20; n <= 22; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		size_t avail = n - 14;
		assert_int_equal(p.n, 2);
		assert_int_equal(p.layer[1].err.code, DERR_ARP_FORMAT);
		assert_int_equal(p.layer[1].len, avail);
		assert_true(layer_given(&p.layer[1], ARP_F_PLEN));
		if (layer_given(&p.layer[1], ARP_F_OP) != (avail >= 8))
			fail_msg("cut at %zu ARP bytes: op given=%d", avail, layer_given(&p.layer[1], ARP_F_OP));
		assert_layers_within_frame(&p);
		pkt_free(&p);
	}
}

static void test_arp_build_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth arp");
	set(&p, 1, "op", "2");
	set(&p, 1, "sha", "de:ad:be:ef:00:01");
	set(&p, 1, "spa", "192.168.1.1");
	set(&p, 1, "tha", "de:ad:be:ef:00:02");
	set(&p, 1, "tpa", "192.168.1.2");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 2);
	assert_memory_equal(&q.layer[1].h.arp, &p.layer[1].h.arp, sizeof(struct arp_hdr));
	assert_memory_equal(&q.layer[0].h.eth, &p.layer[0].h.eth, sizeof(struct eth_hdr));
	pkt_free(&p);
	pkt_free(&q);
}

static void test_arp_decode_then_reencode_gives_identical_bytes(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, ARP_REPLY_FRAME);
	pkt_touch(&p);
	assert_frame(&p, ARP_REPLY_FRAME);
	pkt_free(&p);
}

static void test_arp_given_hlen_plen_and_ptype_are_written_as_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "arp");
	set(&p, 0, "htype", "6");
	set(&p, 0, "ptype", "0x86dd");
	set(&p, 0, "hlen", "8");
	set(&p, 0, "plen", "16");
	set(&p, 0, "op", "0x1234");
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(f->len, ARP_LEN);
	assert_bytes(buf_data(f), 8, "0006 86dd 08 10 1234");
	pkt_free(&p);
}

static void test_arp_summary_for_request_reply_announcement_and_other(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	struct sbuf sb = SBUF_INIT;
	proto_arp.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "Who has 10.0.0.2? Tell 10.0.0.1");
	set(&p, 1, "op", "2");
	sbuf_reset(&sb);
	proto_arp.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "10.0.0.1 is at 02:00:00:00:00:0a");
	set(&p, 1, "op", "1");
	set(&p, 1, "tpa", "10.0.0.1");
	sbuf_reset(&sb);
	proto_arp.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "ARP Announcement for 10.0.0.1");
	set(&p, 1, "op", "9");
	sbuf_reset(&sb);
	proto_arp.summary(&p, 1, &sb);
	assert_string_equal(sbuf_str(&sb), "ARP opcode 9");
	sbuf_free(&sb);
	pkt_free(&p);
}

static void test_arp_with_other_addresses_encodes_only_given_ones(void **state)
{
	(void)state;
	/* b asks for a: the defaults follow the sender and receiver. */
	static const struct addr_defaults ba = {
		.mac_src = {2, 0, 0, 0, 0, 0x0b}, .mac_dst = {2, 0, 0, 0, 0, 0x0a},
		.ip_src = 0x0a000002, .ip_dst = 0x0a000001,
	};
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	set(&p, 1, "tpa", "10.0.0.9");	/* given: stays */
	struct buf out = BUF_INIT;
	pkt_encode(&p, &ba, &out);
	assert_bytes(buf_data(&out), out.len,
		     "ffffffffffff 02000000000b 0806"
		     "0001 0800 06 04 0001 02000000000b 0a000002 000000000000 0a000009");
	buf_free(&out);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_encodes_to_the_known_frame),
		cmocka_unit_test(test_arp_reply_built_from_fields_encodes_to_the_known_frame),
		cmocka_unit_test(test_arp_decode_request_gives_every_field),
		cmocka_unit_test(test_arp_decode_reply_gives_every_field),
		cmocka_unit_test(test_arp_ethernet_padding_becomes_the_trailer),
		cmocka_unit_test(test_arp_decode_every_truncation_reports_the_right_layer),
		cmocka_unit_test(test_arp_hlen_other_than_6_is_arp_format_error),
		cmocka_unit_test(test_arp_plen_other_than_4_is_arp_format_error),
		cmocka_unit_test(test_arp_format_error_in_a_cut_header_keeps_only_present_fields),
		cmocka_unit_test(test_arp_build_decode_gives_the_same_fields),
		cmocka_unit_test(test_arp_decode_then_reencode_gives_identical_bytes),
		cmocka_unit_test(test_arp_given_hlen_plen_and_ptype_are_written_as_given),
		cmocka_unit_test(test_arp_summary_for_request_reply_announcement_and_other),
		cmocka_unit_test(test_arp_with_other_addresses_encodes_only_given_ones),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
