/* UDP (RFC 768): ports, length, checksum over the pseudo-header. */
#include "testutil.h"

#include "proto/checksum.h"
#include "proto/udp.h"

/* Ether{} / IPv4{} / UDP{dport=40000} / "hi", 44 bytes.
 *   IPv4: 4500 001e 0001 0000 4011 [66cc] 0a000001 0a000002 (total 30)
 *   UDP:  c000 9c40 000a [272d] 6869: 49152 > 40000, length 10
 *   pseudo-header 0a00+0001+0a00+0002+0011+000a = 0x141e
 *   header c000+9c40+000a = 0x15c4a, data 0x6869
 *   0x141e + 0x15c4a + 0x6869 = 0x1d8d1, folded 0xd8d2, ~ = 0x272d */
static const char UDP_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 001e 0001 0000 4011 66cc 0a000001 0a000002"
	"c000 9c40 000a 272d 6869";

/* With the two data bytes 8f96 the sum is 0x7069 + 0x8f96 = 0xffff, so the
 * checksum computes to 0 and is sent as ffff (RFC 768). */
static const char UDP_ZERO_SUM_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 001e 0001 0000 4011 66cc 0a000001 0a000002"
	"c000 9c40 000a ffff 8f96";

static void build_udp(struct pkt *p, const char *payload)
{
	build(p, "eth ip udp");
	set(p, 2, "dport", "40000");
	pkt_set_payload(p, payload, strlen(payload), NULL);
}

static void test_udp_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_udp(&p, "hi");
	assert_frame(&p, UDP_FRAME);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].computed, 1u << UDP_F_LEN | 1u << UDP_F_CSUM);
	pkt_free(&p);
}

static void test_udp_decode_gives_every_field(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, UDP_FRAME);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].given, 15);
	assert_field(&p, 2, "sport", "49152");
	assert_field(&p, 2, "dport", "40000");
	assert_field(&p, 2, "len", "10");
	assert_field(&p, 2, "csum", "0x272d");
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].csum_good, 0x272d);
	assert_int_equal(p.layer[2].off, 34);
	assert_int_equal(p.layer[2].len, 8);
	assert_int_equal(p.payload.len, 2);
	assert_memory_equal(buf_data(&p.payload), "hi", 2);
	pkt_free(&p);
}

static void test_udp_frames_reencode_identically(void **state)
{
	(void)state;
	assert_reencodes_identically(UDP_FRAME);
	assert_reencodes_identically(UDP_ZERO_SUM_FRAME);
}

static void test_udp_computed_zero_checksum_is_sent_as_ffff(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_udp(&p, "\x8f\x96");
	assert_frame(&p, UDP_ZERO_SUM_FRAME);
	assert_int_equal(p.layer[2].csum_good, 0xffff);
	pkt_free(&p);
	pkt_init(&p);
	decode_hex(&p, UDP_ZERO_SUM_FRAME);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].csum_good, 0xffff);
	pkt_free(&p);
}

static void test_udp_checksum_zero_means_none(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_udp(&p, "hi");
	set(&p, 2, "csum", "0");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f) + 34, 10, "c000 9c40 000a 0000 6869");
	assert_int_equal(p.layer[2].csum_status, CSUM_NONE);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[2].csum_status, CSUM_NONE);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_udp_bad_checksum_is_noted_with_the_right_value(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000b 02000000000a 0800"
		       "4500 001e 0001 0000 4011 66cc 0a000001 0a000002"
		       "c000 9c40 000a 1234 6869");
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[2].csum_good, 0x272d);
	assert_int_equal(p.payload.len, 2);
	pkt_free(&p);
}

static void test_udp_given_checksum_and_length_are_written_as_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_udp(&p, "hi");
	set(&p, 2, "csum", "0x1234");
	set(&p, 2, "len", "9");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f) + 34, 10, "c000 9c40 0009 1234 6869");
	assert_int_equal(p.layer[2].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[2].computed, 0);
	/* The IPv4 total length is still computed from what is there. */
	assert_int_equal(p.layer[1].h.ip.len, 30);
	pkt_free(&p);
}

/* A UDP length below 8 cannot even cover the header. */
static void test_udp_length_below_8_is_len_short(void **state)
{
	(void)state;
	for (int len = 0; len < 8; len++) {
		struct pkt p, q;
		pkt_init(&p);
		pkt_init(&q);
		build_udp(&p, "hi");
		char v[16];
		snprintf(v, sizeof v, "%d", len);
		set(&p, 2, "len", v);
		const struct buf *f = pkt_frame(&p);
		pkt_decode(&q, buf_data(f), f->len);
		assert_int_equal(q.n, 3);
		assert_derr(&q.layer[2], DERR_LEN_SHORT, len, 8);
		assert_int_equal(q.layer[2].len, 8);
		assert_int_equal(q.payload.len, 2);
		assert_layers_within_frame(&q);
		pkt_free(&p);
		pkt_free(&q);
	}
}

static void test_udp_length_beyond_the_data_is_len_beyond_and_unverified(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_udp(&p, "hi");
	set(&p, 2, "len", "11");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[1].err.code, DERR_NONE);
	assert_derr(&q.layer[2], DERR_LEN_BEYOND, 11, 10);
	assert_int_equal(q.layer[2].csum_status, CSUM_PARTIAL);
	assert_int_equal(q.payload.len, 2);
	pkt_free(&p);
	pkt_free(&q);
}

/* A UDP length shorter than the IPv4 payload: the datagram ends where UDP
 * says, and the bytes after it are not UDP data. */
static void test_udp_length_shorter_than_the_data_ends_the_datagram(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_udp(&p, "hello");
	set(&p, 2, "len", "10");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	assert_int_equal(q.payload.len, 2);
	assert_memory_equal(buf_data(&q.payload), "he", 2);
	assert_int_equal(q.trailer, 3);
	assert_layers_within_frame(&q);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_udp_checksum_ignores_ethernet_padding(void **state)
{
	(void)state;
	char hex[300];
	snprintf(hex, sizeof hex, "%s %s", UDP_FRAME, "ffffffffffffffffffffffffffffffff");
	struct pkt p;
	pkt_init(&p);
	assert_int_equal(decode_hex(&p, hex), 60);
	assert_int_equal(p.trailer, 16);
	assert_int_equal(p.payload.len, 2);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
}

/* Without IPv4 below there is no pseudo-header: c000+9c40+000a+6869 =
 * 0x1c4b3, folded 0xc4b4, ~ = 0x3b4b. */
static void test_udp_over_ethernet_alone_has_no_pseudo_header(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth udp");
	set(&p, 1, "dport", "40000");
	pkt_set_payload(&p, "hi", 2, NULL);
	assert_frame(&p, "02000000000b 02000000000a 88b5 c000 9c40 000a 3b4b 6869");
	pkt_free(&p);
}

static void test_udp_pseudo_header_uses_the_addresses_below(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_udp(&p, "hi");
	uint16_t before = (pkt_frame(&p), p.layer[2].h.udp.csum);
	set(&p, 1, "src", "10.0.0.3");	/* one more in the pseudo-header: one less in the sum */
	uint16_t after = (pkt_frame(&p), p.layer[2].h.udp.csum);
	assert_int_equal(after, (uint16_t)(before - 2));
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_udp_decode_every_truncation_reports_the_right_layer(void **state)
{
	(void)state;
	uint8_t frame[44];
	size_t len = unhex(UDP_FRAME, frame, sizeof frame);
	static const char *const names[] = {"sport", "dport", "len", "csum"};
	for (size_t n = 34; n < len; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		size_t avail = n - 34;
		assert_int_equal(p.n, 3);
		assert_derr(&p.layer[1], DERR_LEN_BEYOND, 30, n - 14);
		if (avail < 8) {
			assert_derr(&p.layer[2], DERR_TRUNCATED, avail, 8);
			assert_int_equal(p.layer[2].len, avail);
			for (int f = 0; f < 4; f++)
				if (layer_given(&p.layer[2], f) != ((size_t)2 * (f + 1) <= avail))
					fail_msg("%zu UDP bytes: %s given=%d", avail, names[f], layer_given(&p.layer[2], f));
		} else {
			assert_derr(&p.layer[2], DERR_LEN_BEYOND, 10, avail);
			assert_int_equal(p.layer[2].csum_status, CSUM_PARTIAL);
		}
		pkt_free(&p);
	}
}

static void test_udp_build_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip udp");
	set(&p, 2, "sport", "0");
	set(&p, 2, "dport", "65535");
	pkt_set_payload(&p, "\x00\xff\x00\xff\x01", 5, NULL);
	assert_round_trip(&p);
	pkt_free(&p);
}

static void test_udp_summary_gives_ports_and_data_length(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_udp(&p, "hi");
	pkt_frame(&p);
	struct sbuf sb = SBUF_INIT;
	proto_udp.summary(&p, 2, &sb);
	assert_string_equal(sbuf_str(&sb), "49152 > 40000 Len=2");
	sbuf_free(&sb);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_udp_encodes_to_the_known_frame),
		cmocka_unit_test(test_udp_decode_gives_every_field),
		cmocka_unit_test(test_udp_frames_reencode_identically),
		cmocka_unit_test(test_udp_computed_zero_checksum_is_sent_as_ffff),
		cmocka_unit_test(test_udp_checksum_zero_means_none),
		cmocka_unit_test(test_udp_bad_checksum_is_noted_with_the_right_value),
		cmocka_unit_test(test_udp_given_checksum_and_length_are_written_as_given),
		cmocka_unit_test(test_udp_length_below_8_is_len_short),
		cmocka_unit_test(test_udp_length_beyond_the_data_is_len_beyond_and_unverified),
		cmocka_unit_test(test_udp_length_shorter_than_the_data_ends_the_datagram),
		cmocka_unit_test(test_udp_checksum_ignores_ethernet_padding),
		cmocka_unit_test(test_udp_over_ethernet_alone_has_no_pseudo_header),
		cmocka_unit_test(test_udp_pseudo_header_uses_the_addresses_below),
		cmocka_unit_test(test_udp_decode_every_truncation_reports_the_right_layer),
		cmocka_unit_test(test_udp_build_decode_gives_the_same_fields),
		cmocka_unit_test(test_udp_summary_gives_ports_and_data_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
