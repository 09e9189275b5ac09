#include "proto/checksum.h"

#include <string.h>

/* The sum is taken in host byte order: one's complement addition does not
 * care about byte order as long as it is the same throughout, so a swap of
 * the folded result gives the big-endian sum (RFC 1071 section 2(B)).
 *
 * The bulk goes in as 32-bit words added into a 64-bit sum, carries and
 * all ("deferred carries", RFC 1071 section 2(C)): 2^32 and 2^16 are both
 * 1 modulo 0xffff, so a 32-bit word is worth its two 16-bit halves, and
 * the carries out of bit 31 count in the upper half until it is folded
 * back. That loop has no carry to track: blocks of 128 bytes go through
 * it as vectors (below), the rest a word at a time. The sum cannot
 * overflow below 2^34 bytes. The
 * folded result is the same as word-by-word addition gives: zero only for
 * all-zero data, else the sum modulo 0xffff in 1..0xffff. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
/* Built twice, and the CPU picks at load time: with AVX2 the loop below
 * takes 32 bytes a step instead of 16. (The baseline build is tested
 * wherever the CPU lacks AVX2; the source is one.) */
__attribute__((target_clones("avx2", "default")))
#endif
uint16_t csum_native(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;
#if defined(__GNUC__)
	/* Blocks of 128 bytes, as 64-bit lanes each adding the two 32-bit
	 * words it holds: two accumulators and no widening, which the loop
	 * below does not get from the compiler on its own (about a third
	 * fewer instructions for a full segment). */
	typedef uint64_t lanes __attribute__((vector_size(32)));
	const lanes low = {0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu};
	lanes a0 = {0, 0, 0, 0}, a1 = {0, 0, 0, 0};
	for (; n >= 128; p += 128, n -= 128) {
		lanes w, x, y, z;
		memcpy(&w, p, 32);
		memcpy(&x, p + 32, 32);
		memcpy(&y, p + 64, 32);
		memcpy(&z, p + 96, 32);
		a0 += (w & low) + (w >> 32) + (y & low) + (y >> 32);
		a1 += (x & low) + (x >> 32) + (z & low) + (z >> 32);
	}
	a0 += a1;
	acc = a0[0] + a0[1] + a0[2] + a0[3];
#endif
	const size_t words = n / 4;
	for (size_t i = 0; i < words; i++) {
		uint32_t v;
		memcpy(&v, p + 4 * i, 4);
		acc += v;
	}
	p += 4 * words, n -= 4 * words;
	if (n >= 2) {
		uint16_t v;
		memcpy(&v, p, 2);
		acc += v;
		p += 2, n -= 2;
	}
	if (n) {
		uint16_t v = 0;	/* an odd byte is padded with zero (RFC 1071) */
		memcpy(&v, p, 1);
		acc += v;
	}
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t csum(const uint8_t *p, size_t n)
{
	return csum_fold(csum_add(0, p, n));
}

uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}

uint16_t csum_without(uint32_t sum_with_field, uint16_t field)
{
	/* In one's complement, adding ~x takes x away again. */
	uint64_t s = (uint64_t)sum_with_field + (uint16_t)~field;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return csum_fold((uint32_t)s);
}

/* Reflected polynomial 0xEDB88320, four bits at a time. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

uint32_t crc32_ieee(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}
