/* ICMP (RFC 792): echo, errors quoting the datagram that caused them. */
#include "testutil.h"

#include "proto/checksum.h"
#include "proto/icmp.h"

/* The default echo request (see test_ipv4.c for the checksums). */
static const char ECHO_FRAME[] =
	"02000000000b 02000000000a 0800"
	"4500 001c 0001 0000 4001 66de 0a000001 0a000002"
	"0800 f7fd 0001 0001";

/* b's echo reply to a, id 0x1234, seq 7, data "abcdefgh".
 *   IPv4: 4500 0024 0001 0000 4001 [66d6] 0a000002 0a000001 (total 36)
 *   ICMP: 0000 [5c2f] 1234 0007 6162 6364 6566 6768
 *         1234+0007+6162+6364+6566+6768 = 0x1a3cf, folded 0xa3d0, ~ = 0x5c2f */
static const char REPLY_FRAME[] =
	"02000000000a 02000000000b 0800"
	"4500 0024 0001 0000 4001 66d6 0a000002 0a000001"
	"0000 5c2f 1234 0007 6162636465666768";

/* b tells a "port unreachable" about a's UDP datagram 40000 > 40001 with
 * 20 bytes of data, quoting its IPv4 header and the first 8 bytes (the UDP
 * header): 20 + 8 = 28 bytes of quote.
 *   quoted IPv4: 4500 0030 0001 0000 4011 [66ba] 0a000001 0a000002 (total 48)
 *   quoted UDP:  9c40 9c41 001c [0636] (length 28; checksum of the original,
 *                whose data is not quoted)
 *   outer IPv4:  4500 0038 ... 4001 [66c2] 0a000002 0a000001 (20 + 8 + 28)
 *   ICMP:        0303 [be28] 0000 0000, type 3 code 3, unused word zero
 * Checksums worked out with an independent RFC 1071 implementation. */
static const char UDP_QUOTE[] = "4500003000010000401166ba0a0000010a000002 9c409c41001c0636";
static const char UNREACH_UDP_FRAME[] =
	"02000000000a 02000000000b 0800"
	"4500 0038 0001 0000 4001 66c2 0a000002 0a000001"
	"0303 be28 0000 0000"
	"4500003000010000401166ba0a0000010a000002 9c409c41001c0636";

/* The same about a TCP segment: 8 bytes of TCP are ports and sequence number. */
static const char TCP_QUOTE[] = "4500002800010000400666cd0a0000010a000002 c000005000000001";

static void build_error(struct pkt *p, const char *quote_hex, const char *type, const char *code)
{
	uint8_t q[64];
	size_t n = unhex(quote_hex, q, sizeof q);
	build(p, "eth ip icmp");
	set(p, 0, "src", "02:00:00:00:00:0b");
	set(p, 0, "dst", "02:00:00:00:00:0a");
	set(p, 1, "src", "10.0.0.2");
	set(p, 1, "dst", "10.0.0.1");
	set(p, 2, "type", type);
	set(p, 2, "code", code);
	pkt_set_payload(p, q, n, NULL);
}

static void test_icmp_echo_request_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	assert_frame(&p, ECHO_FRAME);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].csum_good, 0xf7fd);
	pkt_free(&p);
}

static void test_icmp_echo_reply_checksum_covers_the_data(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	set(&p, 0, "src", "02:00:00:00:00:0b");
	set(&p, 0, "dst", "02:00:00:00:00:0a");
	set(&p, 1, "src", "10.0.0.2");
	set(&p, 1, "dst", "10.0.0.1");
	set(&p, 2, "type", "0");
	set(&p, 2, "id", "0x1234");
	set(&p, 2, "seq", "7");
	pkt_set_payload(&p, "abcdefgh", 8, NULL);
	assert_frame(&p, REPLY_FRAME);
	pkt_free(&p);
}

static void test_icmp_decode_reply_gives_every_field(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, REPLY_FRAME);
	assert_int_equal(p.n, 3);
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].given, (1u << 5) - 1);
	assert_field(&p, 2, "type", "0");
	assert_field(&p, 2, "code", "0");
	assert_field(&p, 2, "csum", "0x5c2f");
	assert_field(&p, 2, "id", "0x1234");
	assert_field(&p, 2, "seq", "7");
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[2].csum_good, 0x5c2f);
	assert_int_equal(p.payload.len, 8);
	assert_memory_equal(buf_data(&p.payload), "abcdefgh", 8);
	pkt_free(&p);
}

static void test_icmp_frames_reencode_identically(void **state)
{
	(void)state;
	assert_reencodes_identically(ECHO_FRAME);
	assert_reencodes_identically(REPLY_FRAME);
	assert_reencodes_identically(UNREACH_UDP_FRAME);
}

static void test_icmp_bad_checksum_is_noted_with_the_right_value(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, "02000000000a 02000000000b 0800"
		       "4500 0024 0001 0000 4001 66d6 0a000002 0a000001"
		       "0000 beef 1234 0007 6162636465666768");
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[2].csum_good, 0x5c2f);
	assert_int_equal(p.layer[2].h.icmp.csum, 0xbeef);
	assert_int_equal(p.payload.len, 8);	/* still dissected */
	pkt_free(&p);
}

static void test_icmp_given_checksum_is_written_as_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	set(&p, 2, "csum", "0x1234");
	assert_frame(&p, "02000000000b 02000000000a 0800"
			 "4500 001c 0001 0000 4001 66de 0a000001 0a000002"
			 "0800 1234 0001 0001");
	assert_int_equal(p.layer[2].csum_status, CSUM_BAD);
	assert_int_equal(p.layer[2].csum_good, 0xf7fd);
	assert_false(p.layer[2].computed >> ICMP_F_CSUM & 1);
	pkt_free(&p);
}

static void test_icmp_error_zeroes_the_unused_word_unless_given(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "icmp");
	set(&p, 0, "type", "11");
	const struct buf *f = pkt_frame(&p);
	assert_bytes(buf_data(f), f->len, "0b00 f4ff 0000 0000");	/* ~0x0b00 = 0xf4ff */
	assert_true(p.layer[0].computed >> ICMP_F_ID & 1);
	assert_true(p.layer[0].computed >> ICMP_F_SEQ & 1);
	/* Fragmentation needed carries the next-hop MTU in the second half. */
	set(&p, 0, "type", "3");
	set(&p, 0, "code", "4");
	set(&p, 0, "seq", "1500");
	f = pkt_frame(&p);
	assert_bytes(buf_data(f), f->len, "0304 f71f 0000 05dc");	/* 0304+05dc = 08e0, ~ = f71f */
	pkt_free(&p);
}

static void test_icmp_port_unreachable_quoting_udp_encodes_to_the_known_frame(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build_error(&p, UDP_QUOTE, "3", "3");
	assert_frame(&p, UNREACH_UDP_FRAME);
	pkt_free(&p);
}

/* The quoted IPv4 header and UDP header are dissected as quoted: partial,
 * their lengths beyond the quote, and no error for it. */
static void test_icmp_error_quoting_udp_decodes_inner_layers_partial_without_errors(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, UNREACH_UDP_FRAME);
	assert_int_equal(p.n, 5);
	assert_ptr_equal(p.layer[3].def, &proto_ipv4);
	assert_ptr_equal(p.layer[4].def, &proto_udp);
	for (int i = 0; i < 5; i++)
		assert_int_equal(p.layer[i].err.code, DERR_NONE);
	assert_false(p.layer[2].partial);
	assert_true(p.layer[3].partial);
	assert_true(p.layer[4].partial);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	assert_int_equal(p.layer[3].csum_status, CSUM_GOOD);	/* the whole quoted header is there */
	assert_int_equal(p.layer[3].h.ip.len, 48);
	assert_int_equal(p.layer[4].h.udp.len, 28);
	assert_int_equal(p.layer[4].csum_status, CSUM_PARTIAL);
	assert_int_equal(p.layer[4].len, 8);
	assert_int_equal(p.payload.len, 0);
	assert_layers_within_frame(&p);
	pkt_free(&p);
}

static void test_icmp_error_quoting_tcp_keeps_ports_and_seq_only(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_error(&p, TCP_QUOTE, "3", "3");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 5);
	assert_ptr_equal(q.layer[4].def, &proto_tcp);
	for (int i = 0; i < 5; i++)
		assert_int_equal(q.layer[i].err.code, DERR_NONE);
	assert_true(q.layer[3].partial);
	assert_true(q.layer[4].partial);
	assert_int_equal(q.layer[4].len, 8);
	assert_field(&q, 4, "sport", "49152");
	assert_field(&q, 4, "dport", "80");
	assert_field(&q, 4, "seq", "1");
	assert_given(&q, 4, "seq");
	assert_not_given(&q, 4, "ack");
	assert_not_given(&q, 4, "flags");
	assert_not_given(&q, 4, "csum");
	assert_layers_within_frame(&q);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_icmp_time_exceeded_quoting_an_echo_decodes_the_inner_icmp(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip icmp ip icmp");
	set(&p, 2, "type", "11");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 5);
	assert_ptr_equal(q.layer[4].def, &proto_icmp);
	assert_true(q.layer[4].partial);
	assert_int_equal(q.layer[4].csum_status, CSUM_PARTIAL);
	for (int i = 0; i < 5; i++)
		assert_int_equal(q.layer[i].err.code, DERR_NONE);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_icmp_error_without_a_quote_has_no_inner_layers(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip icmp");
	set(&p, 2, "type", "3");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 3);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	assert_int_equal(q.payload.len, 0);
	pkt_free(&p);
	pkt_free(&q);
}

/* Only error types quote a datagram: an echo reply whose data looks just
 * like a quoted IPv4 header keeps it as data. */
static void test_icmp_echo_data_is_payload_not_a_quote(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build_error(&p, UDP_QUOTE, "0", "0");
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_int_equal(q.n, 3);
	assert_int_equal(q.payload.len, 28);
	assert_int_equal(q.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
	pkt_free(&q);
}

/* The checksum of an echo in a padded frame covers only the message: the
 * IPv4 total length says where it ends. */
static void test_icmp_checksum_ignores_ethernet_padding(void **state)
{
	(void)state;
	char hex[300];
	snprintf(hex, sizeof hex, "%s %s", ECHO_FRAME, "010203040506070809101112131415161718");
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, hex);
	assert_int_equal(p.trailer, 18);
	assert_int_equal(p.layer[2].csum_status, CSUM_GOOD);
	pkt_free(&p);
}

static void test_icmp_checksum_is_unverified_when_ipv4_says_data_is_missing(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	/* The reply cut after 4 of its 8 data bytes: IPv4's total length (36)
	 * goes beyond the frame. */
	decode_hex(&p, "02000000000a 02000000000b 0800"
		       "4500 0024 0001 0000 4001 66d6 0a000002 0a000001"
		       "0000 5c2f 1234 0007 61626364");
	assert_derr(&p.layer[1], DERR_LEN_BEYOND, 36, 32);
	assert_int_equal(p.layer[2].err.code, DERR_NONE);
	assert_int_equal(p.layer[2].csum_status, CSUM_PARTIAL);
	pkt_free(&p);
}

static void test_icmp_in_a_first_fragment_is_unverified(void **state)
{
	(void)state;
	struct pkt p, q;
	pkt_init(&p);
	pkt_init(&q);
	build(&p, "eth ip icmp");
	set(&p, 1, "mf", "1");
	pkt_set_payload(&p, "12345678", 8, NULL);
	const struct buf *f = pkt_frame(&p);
	pkt_decode(&q, buf_data(f), f->len);
	assert_true(q.layer[2].partial);
	assert_int_equal(q.layer[2].csum_status, CSUM_PARTIAL);
	assert_int_equal(q.layer[2].err.code, DERR_NONE);
	pkt_free(&p);
	pkt_free(&q);
}

static void test_icmp_decode_every_truncation_reports_the_right_layer(void **state)
{
	(void)state;
	uint8_t frame[50];
	size_t len = unhex(REPLY_FRAME, frame, sizeof frame);
	assert_int_equal(len, 50);
	static const char *const names[] = {"type", "code", "csum", "id", "seq"};
	static const size_t ends[] = {1, 2, 4, 6, 8};
	for (size_t n = 0; n < len; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		if (n < 14) {
			assert_int_equal(p.n, 1);
			assert_derr(&p.layer[0], DERR_TRUNCATED, n, 14);
		} else if (n < 34) {
			assert_int_equal(p.n, 2);
			assert_int_equal(p.layer[1].err.code, DERR_TRUNCATED);
		} else {
			size_t avail = n - 34;
			assert_int_equal(p.n, 3);
			assert_derr(&p.layer[1], DERR_LEN_BEYOND, 36, n - 14);
			if (avail < 8) {
				assert_derr(&p.layer[2], DERR_TRUNCATED, avail, 8);
				assert_int_equal(p.layer[2].len, avail);
				for (int f = 0; f < 5; f++)
					if (layer_given(&p.layer[2], f) != (ends[f] <= avail))
						fail_msg("%zu ICMP bytes: %s given=%d", avail, names[f],
							 layer_given(&p.layer[2], f));
			} else {
				assert_int_equal(p.layer[2].err.code, DERR_NONE);
				/* IPv4 says some of the message is missing: the checksum
				 * cannot be checked (Wireshark: "Unverified"). */
				assert_int_equal(p.layer[2].csum_status, CSUM_PARTIAL);
				assert_int_equal(p.payload.len, avail - 8);
			}
		}
		pkt_free(&p);
	}
}

static void test_icmp_decode_every_truncation_of_an_error_never_fails_the_quote(void **state)
{
	(void)state;
	uint8_t frame[80];
	size_t len = unhex(UNREACH_UDP_FRAME, frame, sizeof frame);
	for (size_t n = 42; n < len; n++) {
		struct pkt p;
		pkt_init(&p);
		pkt_decode(&p, frame, n);
		assert_layers_within_frame(&p);
		assert_int_equal(p.layer[2].err.code, DERR_NONE);
		size_t quote = n - 42;
		if (quote == 0) {
			assert_int_equal(p.n, 3);
		} else if (quote < 20) {
			/* A quote must hold the whole IPv4 header (RFC 792). */
			assert_int_equal(p.n, 4);
			assert_derr(&p.layer[3], DERR_TRUNCATED, quote, 20);
		} else {
			assert_int_equal(p.layer[3].err.code, DERR_NONE);
			if (quote > 20) {
				assert_int_equal(p.n, 5);
				assert_int_equal(p.layer[4].err.code, DERR_NONE);
				assert_int_equal(p.layer[4].len, quote - 20);
			}
		}
		pkt_free(&p);
	}
}

static void test_icmp_is_error_for_error_types_only(void **state)
{
	(void)state;
	static const uint8_t errors[] = {3, 4, 5, 11, 12};
	static const uint8_t others[] = {0, 8, 13, 14, 9, 10, 255};
	for (size_t i = 0; i < sizeof errors; i++)
		assert_true(icmp_is_error(errors[i]));
	for (size_t i = 0; i < sizeof others; i++)
		assert_false(icmp_is_error(others[i]));
}

static void test_icmp_type_names(void **state)
{
	(void)state;
	assert_string_equal(icmp_type_name(8, 0), "Echo (ping) request");
	assert_string_equal(icmp_type_name(0, 0), "Echo (ping) reply");
	assert_string_equal(icmp_type_name(3, 3), "Port unreachable");
	assert_string_equal(icmp_type_name(3, 1), "Host unreachable");
	assert_string_equal(icmp_type_name(3, 99), "Destination unreachable");
	assert_string_equal(icmp_type_name(11, 0), "Time-to-live exceeded");
	assert_string_equal(icmp_type_name(11, 1), "Fragment reassembly time exceeded");
	assert_null(icmp_type_name(42, 0));
}

static void test_icmp_summaries(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	decode_hex(&p, REPLY_FRAME);
	struct sbuf sb = SBUF_INIT;
	proto_icmp.summary(&p, 2, &sb);
	/* seq 7 is 0x0007; read little-endian it is 0x0700 = 1792. */
	assert_string_equal(sbuf_str(&sb), "Echo (ping) reply  id=0x1234, seq=7/1792, ttl=64");
	decode_hex(&p, UNREACH_UDP_FRAME);
	sbuf_reset(&sb);
	proto_icmp.summary(&p, 2, &sb);
	assert_string_equal(sbuf_str(&sb), "Destination unreachable (Port unreachable)");
	pkt_touch(&p);
	set(&p, 2, "type", "42");
	sbuf_reset(&sb);
	proto_icmp.summary(&p, 2, &sb);
	assert_string_equal(sbuf_str(&sb), "ICMP type 42, code 3");
	sbuf_free(&sb);
	pkt_free(&p);
}

static void test_icmp_build_decode_gives_the_same_fields(void **state)
{
	(void)state;
	struct pkt p;
	pkt_init(&p);
	build(&p, "eth ip icmp");
	set(&p, 2, "type", "13");
	set(&p, 2, "code", "0");
	set(&p, 2, "id", "0xffff");
	set(&p, 2, "seq", "65535");
	pkt_set_payload(&p, "\0\0\0\0\0\0\0\0\0\0\0\0", 12, NULL);
	assert_round_trip(&p);
	pkt_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_echo_request_encodes_to_the_known_frame),
		cmocka_unit_test(test_icmp_echo_reply_checksum_covers_the_data),
		cmocka_unit_test(test_icmp_decode_reply_gives_every_field),
		cmocka_unit_test(test_icmp_frames_reencode_identically),
		cmocka_unit_test(test_icmp_bad_checksum_is_noted_with_the_right_value),
		cmocka_unit_test(test_icmp_given_checksum_is_written_as_given),
		cmocka_unit_test(test_icmp_error_zeroes_the_unused_word_unless_given),
		cmocka_unit_test(test_icmp_port_unreachable_quoting_udp_encodes_to_the_known_frame),
		cmocka_unit_test(test_icmp_error_quoting_udp_decodes_inner_layers_partial_without_errors),
		cmocka_unit_test(test_icmp_error_quoting_tcp_keeps_ports_and_seq_only),
		cmocka_unit_test(test_icmp_time_exceeded_quoting_an_echo_decodes_the_inner_icmp),
		cmocka_unit_test(test_icmp_error_without_a_quote_has_no_inner_layers),
		cmocka_unit_test(test_icmp_echo_data_is_payload_not_a_quote),
		cmocka_unit_test(test_icmp_checksum_ignores_ethernet_padding),
		cmocka_unit_test(test_icmp_checksum_is_unverified_when_ipv4_says_data_is_missing),
		cmocka_unit_test(test_icmp_in_a_first_fragment_is_unverified),
		cmocka_unit_test(test_icmp_decode_every_truncation_reports_the_right_layer),
		cmocka_unit_test(test_icmp_decode_every_truncation_of_an_error_never_fails_the_quote),
		cmocka_unit_test(test_icmp_is_error_for_error_types_only),
		cmocka_unit_test(test_icmp_type_names),
		cmocka_unit_test(test_icmp_summaries),
		cmocka_unit_test(test_icmp_build_decode_gives_the_same_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
