/* RFC 1071 checksums and the Ethernet CRC-32, against known answers. */
#include "testutil.h"

#include "core/prng.h"
#include "proto/checksum.h"

/* RFC 1071 section 3's example: the sum of these words is ddf2. */
static void test_rfc1071_example_sum(void **state)
{
	(void)state;
	uint8_t b[8];
	unhex("0001f203f4f5f6f7", b, sizeof b);
	assert_int_equal(csum(b, 8), (uint16_t)~0xddf2);
}

/* The IPv4 header of Wikipedia's "IPv4 header checksum" example. */
static void test_ipv4_header_known_answer(void **state)
{
	(void)state;
	uint8_t h[20];
	unhex("450000730000400040110000c0a80001c0a800c7", h, sizeof h);
	assert_int_equal(csum(h, 20), 0xb861);
	h[10] = 0xb8, h[11] = 0x61;
	assert_int_equal(csum(h, 20), 0);	/* a correct header sums to zero */
}

static void test_odd_length_pads_with_zero(void **state)
{
	(void)state;
	uint8_t odd[3] = {0x12, 0x34, 0x56}, even[4] = {0x12, 0x34, 0x56, 0};
	assert_int_equal(csum(odd, 3), csum(even, 4));
}

static void test_sum_of_pieces_equals_whole(void **state)
{
	(void)state;
	uint8_t b[64];
	for (int i = 0; i < 64; i++)
		b[i] = (uint8_t)(i * 37 + 11);
	uint32_t s = csum_add(csum_add(0, b, 20), b + 20, 44);
	assert_int_equal(csum_fold(s), csum(b, 64));
}

static void test_carries_fold_all_the_way(void **state)
{
	(void)state;
	uint8_t ones[4096];
	memset(ones, 0xff, sizeof ones);
	assert_int_equal(csum(ones, sizeof ones), 0);
}

static void test_csum_without_recovers_the_right_value(void **state)
{
	(void)state;
	uint8_t h[20];
	unhex("45000073000040004011b861c0a80001c0a800c7", h, sizeof h);
	/* The field holds b861 (right): expected b861. Change it: still b861. */
	assert_int_equal(csum_without(csum_add(0, h, 20), 0xb861), 0xb861);
	h[10] = 0x12, h[11] = 0x34;
	assert_int_equal(csum_without(csum_add(0, h, 20), 0x1234), 0xb861);
}

static void test_pseudo_header_sum(void **state)
{
	(void)state;
	/* 10.0.0.1 > 10.0.0.2, TCP, 20 bytes: 0a00+0001+0a00+0002+0006+0014 */
	assert_int_equal(csum_pseudo(0x0a000001, 0x0a000002, 6, 20), 0x0a00 + 1 + 0x0a00 + 2 + 6 + 20);
}

/* RFC 1071 as written: 16-bit big-endian words, the carry folded back in
 * after every addition. The fast sum must agree with it exactly. */
static uint16_t ref_sum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i < n; i += 2) {
		sum += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)~sum;
}

/* Every length up to 2100 bytes at every alignment modulo 8, with random
 * bytes, all zeros and all ones (the cases where a wrong carry shows). */
static void test_fast_sum_matches_reference(void **state)
{
	(void)state;
	static uint8_t mem[2100 + 8];
	struct prng r;
	prng_seed(&r, 1071);
	for (int fill = 0; fill < 3; fill++) {
		for (size_t i = 0; i < sizeof mem; i++)
			mem[i] = fill == 0 ? (uint8_t)prng_next(&r) : fill == 1 ? 0 : 0xff;
		for (size_t n = 0; n <= 2100; n++)
			for (size_t a = 0; a < 8; a++)
				if (csum(mem + a, n) != ref_sum(mem + a, n))
					fail_msg("fill %d, %zu bytes at offset %zu: %04x, expected %04x", fill, n, a,
						 csum(mem + a, n), ref_sum(mem + a, n));
	}
}

/* Sums split into even pieces, and a running sum carried across them, as
 * the pseudo-header and the segment are summed. */
static void test_fast_sum_in_pieces_matches_reference(void **state)
{
	(void)state;
	static uint8_t b[1600];
	struct prng r;
	prng_seed(&r, 793);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)prng_below(&r, sizeof b + 1);
		for (size_t i = 0; i < n; i++)
			b[i] = round % 5 == 0 ? 0xff : (uint8_t)prng_next(&r);
		size_t cut = (size_t)prng_below(&r, n / 2 + 1) * 2;
		uint32_t start = (uint32_t)prng_below(&r, 0x60000);
		uint32_t s = csum_add(csum_add(start, b, cut), b + cut, n - cut);
		/* The reference over [start as two words][data]. */
		uint8_t *w = malloc(n + 4);
		assert_non_null(w);
		uint32_t folded = start;
		while (folded >> 16)
			folded = (folded & 0xffff) + (folded >> 16);
		w[0] = 0, w[1] = 0, w[2] = (uint8_t)(folded >> 8), w[3] = (uint8_t)folded;
		memcpy(w + 4, b, n);
		assert_int_equal(csum_fold(s), ref_sum(w, n + 4));
		free(w);
	}
}

static void test_crc32_check_value(void **state)
{
	(void)state;
	assert_int_equal(crc32_ieee((const uint8_t *)"123456789", 9), 0xcbf43926u);
	assert_int_equal(crc32_ieee(NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example_sum),
		cmocka_unit_test(test_ipv4_header_known_answer),
		cmocka_unit_test(test_odd_length_pads_with_zero),
		cmocka_unit_test(test_sum_of_pieces_equals_whole),
		cmocka_unit_test(test_carries_fold_all_the_way),
		cmocka_unit_test(test_csum_without_recovers_the_right_value),
		cmocka_unit_test(test_pseudo_header_sum),
		cmocka_unit_test(test_fast_sum_matches_reference),
		cmocka_unit_test(test_fast_sum_in_pieces_matches_reference),
		cmocka_unit_test(test_crc32_check_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
