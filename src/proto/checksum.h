/* The Internet checksum (RFC 1071) and Ethernet's CRC-32 frame check sequence. */
#ifndef STACKLAB_PROTO_CHECKSUM_H
#define STACKLAB_PROTO_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The one's-complement sum of n bytes as 16-bit words in host byte
 * order, folded to 16 bits (zero only for all-zero data). */
uint16_t csum_native(const uint8_t *p, size_t n);

/* Twenty bytes, the length of an IPv4 header and of a TCP segment with
 * neither options nor data (most of the blocks summed), without the loop
 * or the call: five 32-bit words, folded as csum_native folds. */
static inline uint16_t csum_native_20(const uint8_t *p)
{
	uint32_t w[5];
	memcpy(w, p, 20);
	uint64_t acc = (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4];
	acc = (acc & 0xffff) + (acc >> 16);	/* at most 0x5fffe */
	acc = (acc & 0xffff) + (acc >> 16);	/* at most 0x10004 */
	acc = (acc & 0xffff) + (acc >> 16);	/* at most 0xffff, and 0 only for 0 */
	return (uint16_t)acc;
}

/* Adds n bytes to a running one's-complement sum of 16-bit big-endian words.
 * Pieces added one after another must all but the last have even length.
 * Inline: it runs for every header sent and received. */
static inline uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint16_t s = n == 20 ? csum_native_20(p) : csum_native(p, n);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	s = (uint16_t)(s << 8 | s >> 8);	/* the swapped sum is the big-endian sum (RFC 1071 2(B)) */
#endif
	uint64_t t = (uint64_t)sum + s;
	while (t >> 32)
		t = (t & 0xffffffffu) + (t >> 32);
	return (uint32_t)t;
}
/* Folds the carries in and complements: the value that goes in the header. */
uint16_t csum_fold(uint32_t sum);
/* The checksum of one contiguous block. */
uint16_t csum(const uint8_t *p, size_t n);
/* The IPv4 pseudo-header of TCP and UDP (RFC 9293 3.1, RFC 768), as a sum. */
uint32_t csum_pseudo(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

/* Given the raw sum over a block that includes its checksum field (whose
 * value is `field`), the value that field should have held. */
uint16_t csum_without(uint32_t sum_with_field, uint16_t field);

/* IEEE 802.3 CRC-32, as the FCS at the end of an Ethernet frame. */
uint32_t crc32_ieee(const uint8_t *p, size_t n);

#endif
