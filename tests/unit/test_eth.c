/* Ethernet II: encoding, decoding, truncation, MAC addresses. */
#include "testutil.h"

#include "proto/eth.h"

/* Ether{} alone: dst 02:00:00:00:00:0b (host b), src 02:00:00:00:00:0a
 * (host a), then the IEEE local experimental EtherType 88b5 because nothing
 * above says what it carries. 6 + 6 + 2 = 14 bytes. */
static const char ETH_ALONE[] = "02000000000b 02000000000a 88b5";

static void test_eth_alone_encodes_a_to_b_with_experimental_type(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth");
	assert_frame(&p, ETH_ALONE);
	assert_int_equal(p.layer[0].len, ETH_HLEN);
	assert_true(p.layer[0].computed >> ETH_F_TYPE & 1);
	assert_false(layer_given(&p.layer[0], ETH_F_TYPE));
	pkt_free(&p);
}

static void test_eth_payload_follows_the_header(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth");
	pkt_set_payload(&p, "hi", 2, NULL);
	/* "hi" is 68 69 in ASCII. */
	assert_frame(&p, "02000000000b 02000000000a 88b5 6869");
	pkt_free(&p);
}

static void test_eth_type_is_0800_under_ipv4(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip");
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(buf_data(f)[12], 0x08);
	assert_int_equal(buf_data(f)[13], 0x00);
	assert_int_equal(p.layer[0].h.eth.type, ETHERTYPE_IPV4);
	pkt_free(&p);
}

static void test_eth_type_is_0806_and_dst_broadcast_under_arp_request(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f), 14, "ffffffffffff 02000000000a 0806");
	assert_true(p.layer[0].computed >> ETH_F_DST & 1);
	pkt_free(&p);
}

static void test_eth_arp_reply_goes_to_b_not_broadcast(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	set(&p, 1, "op", "2");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f), 14, "02000000000b 02000000000a 0806");
	pkt_free(&p);
}

static void test_eth_given_dst_is_kept_for_arp_request(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	set(&p, 0, "dst", "02:00:00:00:00:99");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f), 6, "020000000099");
	assert_false(p.layer[0].computed >> ETH_F_DST & 1);
	pkt_free(&p);
}

static void test_eth_given_type_is_written_as_given_over_ipv4(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip");
	set(&p, 0, "type", "0x1234");
	const struct buf *f = pkt_frame(&p);
	assert_int_equal(buf_data(f)[12], 0x12);
	assert_int_equal(buf_data(f)[13], 0x34);
	assert_true(layer_given(&p.layer[0], ETH_F_TYPE));
	assert_false(p.layer[0].computed >> ETH_F_TYPE & 1);
	pkt_free(&p);
}

static void test_eth_given_src_and_dst_are_written(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth");
	set(&p, 0, "dst", "ff:ff:ff:ff:ff:ff");
	set(&p, 0, "src", "AA-BB-CC-DD-EE-FF");
	assert_frame(&p, "ffffffffffff aabbccddeeff 88b5");
	pkt_free(&p);
}

static void test_eth_decode_gives_every_field(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	/* dst 01:02:03:04:05:06, src 0a:0b:0c:0d:0e:0f, type 88b5, 3 data bytes. */
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 88b5 616263");
	assert_int_equal(p.n, 1);
	assert_true(p.decoded);
	assert_true(p.frame_valid);
	assert_field(&p, 0, "dst", "01:02:03:04:05:06");
	assert_field(&p, 0, "src", "0a:0b:0c:0d:0e:0f");
	assert_field(&p, 0, "type", "0x88b5");
	assert_int_equal(p.layer[0].given, 7);
	assert_int_equal(p.layer[0].err.code, DERR_NONE);
	assert_int_equal(p.layer[0].off, 0);
	assert_int_equal(p.layer[0].len, 14);
	assert_int_equal(p.payload.len, 3);
	assert_memory_equal(buf_data(&p.payload), "abc", 3);
	assert_int_equal(p.trailer, 0);
	pkt_free(&p);
}

static void test_eth_decode_unknown_type_keeps_the_rest_as_payload(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	/* 86dd is IPv6, which stacklab does not dissect. */
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 86dd 6000000000000000");
	assert_int_equal(p.n, 1);
	assert_int_equal(p.payload.len, 8);
	assert_int_equal(p.trailer, 0);
	pkt_free(&p);
}

static void test_eth_decode_0800_goes_on_to_ipv4_and_0806_to_arp(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 0800");
	assert_int_equal(p.n, 2);
	assert_ptr_equal(p.layer[1].def, &proto_ipv4);
	decode_hex(&p, "010203040506 0a0b0c0d0e0f 0806");
	assert_int_equal(p.n, 2);
	assert_ptr_equal(p.layer[1].def, &proto_arp);
	pkt_free(&p);
}

/* Every cut of the header: truncated, n of 14 bytes, and only the fields
 * wholly inside the n bytes kept. */
static void test_eth_decode_every_truncation_is_truncated_with_present_fields_only(void **state)
{
	(void)state;
	uint8_t frame[14];
	unhex("010203040506 0a0b0c0d0e0f 0800", frame, sizeof frame);
	for (size_t n = 0; n < sizeof frame; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_int_equal(p.n, 1);
		assert_derr(&p.layer[0], DERR_TRUNCATED, n, 14);
		assert_int_equal(layer_given(&p.layer[0], ETH_F_DST), n >= 6);
		assert_int_equal(layer_given(&p.layer[0], ETH_F_SRC), n >= 12);
		assert_false(layer_given(&p.layer[0], ETH_F_TYPE));
		assert_int_equal(p.layer[0].len, n);
		assert_int_equal(p.payload.len, 0);
		assert_layers_within_frame(&p);
		pkt_free(&p);
	}
}

static void test_eth_build_encode_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth");
	set(&p, 0, "dst", "00:11:22:33:44:55");
	set(&p, 0, "src", "66:77:88:99:aa:bb");
	set(&p, 0, "type", "0x0842");
	pkt_set_payload(&p, "wake", 4, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 1);
	assert_memory_equal(&q.layer[0].h.eth, &p.layer[0].h.eth, sizeof(struct eth_hdr));
	assert_int_equal(q.payload.len, 4);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_eth_decode_then_reencode_gives_identical_bytes(void **state)
{
	(void)state;
	static const char hex[] = "010203040506 0a0b0c0d0e0f 1234 00ff00ff";
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, hex);
	pkt_touch(&p);	/* forget the decoded frame: encode from the fields */
	assert_frame(&p, hex);
	pkt_free(&p);
}

static void test_mac_parse_accepts_colons_dashes_and_upper_case(void **state)
{
	(void)state;
	uint8_t m[6];
	assert_int_equal(mac_parse("02:00:00:00:00:0a", m), 0);
	assert_memory_equal(m, "\x02\x00\x00\x00\x00\x0a", 6);
	assert_int_equal(mac_parse("AA-BB-CC-DD-EE-FF", m), 0);
	assert_memory_equal(m, "\xaa\xbb\xcc\xdd\xee\xff", 6);
	assert_int_equal(mac_parse("ff:FF:fF:Ff:ff:ff", m), 0);
	assert_true(mac_is_broadcast(m));
}

static void test_mac_parse_rejects_malformed_addresses(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "02:00:00", "02:00:00:00:00", "02:00:00:00:00:0a:", "02:00:00:00:00:0a:01",
		"2:0:0:0:0:a", "02:00:00:00:00:0g", "02.00.00.00.00.0a", "0200000000 0a", "02:00:00:00:00:0",
		" 02:00:00:00:00:0a", "02:00:00:00:00:0a ", "020:00:00:00:00:0a",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint8_t m[6];
		if (mac_parse(bad[i], m) == 0)
			fail_msg("mac_parse accepted '%s'", bad[i]);
	}
}

static void test_mac_format_is_lower_case_with_colons(void **state)
{
	(void)state;
	char s[18];
	mac_format((const uint8_t *)"\xAA\x0b\x00\xff\x10\x01", s);
	assert_string_equal(s, "aa:0b:00:ff:10:01");
}

static void test_mac_is_broadcast_only_for_all_ones(void **state)
{
	(void)state;
	assert_true(mac_is_broadcast((const uint8_t *)"\xff\xff\xff\xff\xff\xff"));
	assert_false(mac_is_broadcast((const uint8_t *)"\xff\xff\xff\xff\xff\xfe"));
	assert_false(mac_is_broadcast((const uint8_t *)"\x00\x00\x00\x00\x00\x00"));
}

static void test_eth_summary_names_both_addresses_and_the_type(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip");
	pkt_frame(&p);
	struct sbuf sb = SBUF_INIT;
	proto_eth.summary(&p, 0, &sb);
	assert_string_equal(sbuf_str(&sb), "02:00:00:00:00:0a > 02:00:00:00:00:0b, type 0x0800");
	sbuf_free(&sb);
	pkt_free(&p);
}

static void test_eth_annotates_known_types_and_broadcast(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth arp");
	pkt_frame(&p);
	struct sbuf sb = SBUF_INIT;
	proto_eth.annotate(&p.layer[0], ETH_F_TYPE, &sb);
	assert_string_equal(sbuf_str(&sb), "ARP");
	sbuf_reset(&sb);
	proto_eth.annotate(&p.layer[0], ETH_F_DST, &sb);
	assert_string_equal(sbuf_str(&sb), "broadcast");
	sbuf_reset(&sb);
	proto_eth.annotate(&p.layer[0], ETH_F_SRC, &sb);
	assert_string_equal(sbuf_str(&sb), "");
	sbuf_free(&sb);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_alone_encodes_a_to_b_with_experimental_type),
		cmocka_unit_test(test_eth_payload_follows_the_header),
		cmocka_unit_test(test_eth_type_is_0800_under_ipv4),
		cmocka_unit_test(test_eth_type_is_0806_and_dst_broadcast_under_arp_request),
		cmocka_unit_test(test_eth_arp_reply_goes_to_b_not_broadcast),
		cmocka_unit_test(test_eth_given_dst_is_kept_for_arp_request),
		cmocka_unit_test(test_eth_given_type_is_written_as_given_over_ipv4),
		cmocka_unit_test(test_eth_given_src_and_dst_are_written),
		cmocka_unit_test(test_eth_decode_gives_every_field),
		cmocka_unit_test(test_eth_decode_unknown_type_keeps_the_rest_as_payload),
		cmocka_unit_test(test_eth_decode_0800_goes_on_to_ipv4_and_0806_to_arp),
		cmocka_unit_test(test_eth_decode_every_truncation_is_truncated_with_present_fields_only),
		cmocka_unit_test(test_eth_build_encode_decode_gives_the_same_fields),
		cmocka_unit_test(test_eth_decode_then_reencode_gives_identical_bytes),
		cmocka_unit_test(test_mac_parse_accepts_colons_dashes_and_upper_case),
		cmocka_unit_test(test_mac_parse_rejects_malformed_addresses),
		cmocka_unit_test(test_mac_format_is_lower_case_with_colons),
		cmocka_unit_test(test_mac_is_broadcast_only_for_all_ones),
		cmocka_unit_test(test_eth_summary_names_both_addresses_and_the_type),
		cmocka_unit_test(test_eth_annotates_known_types_and_broadcast),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
