/* Ethernet II (IEEE 802.3 framing with an EtherType). */
#ifndef STACKLAB_PROTO_ETH_H
#define STACKLAB_PROTO_ETH_H

#include <stdbool.h>
#include <stdint.h>

#define ETH_HLEN 14
#define ETH_FCS_LEN 4
#define ETH_MIN_FRAME 60	/* without the FCS: shorter frames are padded */
#define ETH_PREAMBLE_LEN 7
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_EXPERIMENTAL 0x88b5	/* IEEE 802 local experimental EtherType 1 */

struct eth_hdr {
	uint8_t dst[6];
	uint8_t src[6];
	uint16_t type;
};

enum eth_field { ETH_F_DST, ETH_F_SRC, ETH_F_TYPE };

/* "02:00:00:00:00:0a" (also with '-' separators); 0 on success. */
int mac_parse(const char *s, uint8_t mac[6]);
/* Writes "02:00:00:00:00:0a" into out (18 bytes with the NUL). */
void mac_format(const uint8_t mac[6], char out[18]);
bool mac_is_broadcast(const uint8_t mac[6]);
/* The 14 header bytes of h at d, as they go on the wire. */
void eth_put(uint8_t *d, const struct eth_hdr *h);
/* The other way: h from the 14 bytes at d; returns the fields read (bits
 * of enum eth_field). */
uint32_t eth_read(struct eth_hdr *h, const uint8_t *d);

struct proto_def;
extern const struct proto_def proto_eth;

#endif
