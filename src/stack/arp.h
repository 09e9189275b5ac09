/* The ARP cache (RFC 826): addresses learned, and frames held while their
 * next hop's MAC address is being asked for. */
#ifndef STACKLAB_STACK_ARP_H
#define STACKLAB_STACK_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/evq.h"
#include "core/trace.h"

struct host;
struct pkt;
struct xmit_meta;

#define ARP_TRIES 3
#define ARP_RETRY (1 * VTIME_S)
#define ARP_HOLD_MAX 64	/* frames held per address while asking */

struct arp_held {
	uint8_t *frame;
	size_t len;
	struct xmit_meta *meta;
};

struct arp_entry {
	uint32_t ip;
	uint8_t mac[6];
	bool resolved;
	int tries;
	struct timer retry;
	struct host *host;
	struct arp_held *held;
	size_t nheld;
};

struct arp_cache {
	struct arp_entry **e;
	size_t n, cap;
};

void arp_cache_init(struct arp_cache *c);
void arp_cache_free(struct arp_cache *c, struct evq *q);
const struct arp_entry *arp_lookup(const struct arp_cache *c, uint32_t ip);
/* Sends an Ethernet frame whose destination MAC is still to be filled in
 * for next hop `ip`: at once when the address is known, otherwise after
 * asking for it. */
void arp_output(struct host *h, uint32_t ip, uint8_t *frame, size_t len, const struct xmit_meta *m);
void arp_input(struct host *h, struct pkt *p, int li);
/* Records that ip is at mac, as an ARP reply would (tests start with it). */
void arp_learn(struct host *h, uint32_t ip, const uint8_t mac[6]);

#endif
