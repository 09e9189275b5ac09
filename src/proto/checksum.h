/* The Internet checksum (RFC 1071) and Ethernet's CRC-32 frame check sequence. */
#ifndef STACKLAB_PROTO_CHECKSUM_H
#define STACKLAB_PROTO_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

/* Adds n bytes to a running one's-complement sum of 16-bit big-endian words.
 * Pieces added one after another must all but the last have even length. */
uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n);
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
