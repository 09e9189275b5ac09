#include "proto/checksum.h"

#include <string.h>

/* The sum is taken in host byte order: one's complement addition does not
 * care about byte order as long as it is the same throughout, so a swap of
 * the folded result gives the big-endian sum (RFC 1071 section 2(B)).
 *
 * The bulk goes 32 bytes at a time into four 64-bit sums, each with its
 * own count of carries out of bit 63, so that the four chains run side by
 * side. Nothing is lost: 2^64, 2^32 and 2^16 are all 1 modulo 0xffff, so a
 * carry out of bit 63 counts as 1, and a 64-bit sum is worth its two
 * 32-bit halves added (RFC 1071 section 2(C), "deferred carries"). The
 * folded result is then the same as word-by-word addition gives: zero
 * only for all-zero data, else the sum modulo 0xffff in 1..0xffff. */
static uint16_t sum_native(const uint8_t *p, size_t n)
{
	uint64_t acc = 0;
	if (n >= 32) {
		uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
		for (; n >= 32; p += 32, n -= 32) {
			uint64_t v0, v1, v2, v3;
			memcpy(&v0, p, 8);
			memcpy(&v1, p + 8, 8);
			memcpy(&v2, p + 16, 8);
			memcpy(&v3, p + 24, 8);
			s0 += v0;
			c0 += s0 < v0;	/* the carry out of bit 63 */
			s1 += v1;
			c1 += s1 < v1;
			s2 += v2;
			c2 += s2 < v2;
			s3 += v3;
			c3 += s3 < v3;
		}
		/* The halves are below 2^32 and the carry counts below n / 32:
		 * the 64-bit sums from here on cannot overflow. */
		acc = (s0 & 0xffffffffu) + (s0 >> 32) + (s1 & 0xffffffffu) + (s1 >> 32) +
		      (s2 & 0xffffffffu) + (s2 >> 32) + (s3 & 0xffffffffu) + (s3 >> 32) +
		      c0 + c1 + c2 + c3;
	}
	for (; n >= 8; p += 8, n -= 8) {
		uint64_t v;
		memcpy(&v, p, 8);
		acc += (v & 0xffffffffu) + (v >> 32);
	}
	if (n >= 4) {
		uint32_t v;
		memcpy(&v, p, 4);
		acc += v;
		p += 4, n -= 4;
	}
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

uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint16_t s = sum_native(p, n);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (uint16_t)(s << 8 | s >> 8);
#endif
	uint64_t t = (uint64_t)sum + s;
	while (t >> 32)
		t = (t & 0xffffffffu) + (t >> 32);
	return (uint32_t)t;
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
