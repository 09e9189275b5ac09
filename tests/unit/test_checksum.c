/* RFC 1071 checksums and the Ethernet CRC-32, against known answers. */
#include "testutil.h"

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
		cmocka_unit_test(test_crc32_check_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
