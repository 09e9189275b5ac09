/* ARP (RFC 826): ask who has an address, hold the frames for it meanwhile,
 * answer when asked for our own, and learn from what we hear. */
#include "stack/arp.h"

#include <stdlib.h>
#include <string.h>

#include "stack/host.h"
#include "stack/ipv4.h"
#include "stack/why.h"

void arp_cache_init(struct arp_cache *c)
{
	*c = (struct arp_cache){0};
}

static void drop_held(struct arp_entry *e)
{
	for (size_t i = 0; i < e->nheld; i++) {
		free(e->held[i].frame);
		free(e->held[i].meta);
	}
	free(e->held);
	e->held = NULL;
	e->nheld = 0;
}

void arp_cache_free(struct arp_cache *c, struct evq *q)
{
	for (size_t i = 0; i < c->n; i++) {
		evq_cancel(q, &c->e[i]->retry);
		drop_held(c->e[i]);
		free(c->e[i]);
	}
	free(c->e);
	*c = (struct arp_cache){0};
}

const struct arp_entry *arp_lookup(const struct arp_cache *c, uint32_t ip)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->e[i]->ip == ip)
			return c->e[i];
	return NULL;
}

static void retry_fire(struct timer *t);

static struct arp_entry *entry_for(struct host *h, uint32_t ip)
{
	struct arp_cache *c = &h->arp;
	struct arp_entry *e = (struct arp_entry *)arp_lookup(c, ip);
	if (e)
		return e;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 4;
		c->e = realloc(c->e, c->cap * sizeof *c->e);
		if (!c->e)
			abort();
	}
	e = calloc(1, sizeof *e);
	if (!e)
		abort();
	e->ip = ip;
	e->host = h;
	timer_init(&e->retry, retry_fire);
	c->e[c->n++] = e;
	return e;
}

static void remove_entry(struct host *h, struct arp_entry *e)
{
	struct arp_cache *c = &h->arp;
	for (size_t i = 0; i < c->n; i++) {
		if (c->e[i] == e) {
			memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof *c->e);
			c->n--;
			break;
		}
	}
	evq_cancel(h->env->q, &e->retry);
	drop_held(e);
	free(e);
}

/* Builds and sends an ARP packet from h. */
static void send_arp(struct host *h, uint16_t op, const uint8_t eth_dst[6], const uint8_t tha[6],
		     uint32_t tpa, uint16_t rule, const uint32_t *v, int nv)
{
	struct pkt *p = &h->tx;
	p->n = 0;
	buf_reset(&p->payload, 0, 0);
	pkt_touch(p);
	struct layer *eth = pkt_push(p, &proto_eth, NULL);
	struct layer *arp = pkt_push(p, &proto_arp, NULL);
	memcpy(eth->h.eth.dst, eth_dst, 6);
	memcpy(eth->h.eth.src, h->mac, 6);
	eth->given |= 1u << ETH_F_DST | 1u << ETH_F_SRC;
	arp->h.arp.op = op;
	memcpy(arp->h.arp.sha, h->mac, 6);
	arp->h.arp.spa = h->ip;
	memcpy(arp->h.arp.tha, tha, 6);
	arp->h.arp.tpa = tpa;
	arp->given |= 1u << ARP_F_OP | 1u << ARP_F_SHA | 1u << ARP_F_SPA | 1u << ARP_F_THA | 1u << ARP_F_TPA;
	pkt_encode(p, NULL, &h->txbuf);
	struct xmit_meta m = {.proto = TP_ARP, .why = why_make(rule, v, nv)};
	xmit_meta_from(&m, p);
	h->env->xmit(h->env->ctx, h, buf_data(&h->txbuf), h->txbuf.len, &m);
}

static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t unknown[6] = {0, 0, 0, 0, 0, 0};

static void ask(struct host *h, struct arp_entry *e)
{
	e->tries++;
	uint32_t v[] = {e->ip, (uint32_t)e->tries, ARP_TRIES};
	send_arp(h, ARP_REQUEST, broadcast, unknown, e->ip, e->tries == 1 ? R_ARP_REQUEST : R_ARP_RETRY, v, 3);
	evq_arm(h->env->q, &e->retry, h->env->q->now + ARP_RETRY);
}

static void retry_fire(struct timer *t)
{
	struct arp_entry *e = container_of(t, struct arp_entry, retry);
	struct host *h = e->host;
	if (e->resolved)
		return;
	uint32_t tv[] = {e->ip, (uint32_t)e->tries};
	struct trace_event *ev = host_event(h, TRACE_TIMER, R_ARP_TIMER, tv, 2);
	ev->timer = 3;	/* TIMER_ARP of stack/tcp.h */
	host_commit(h, ev);	/* what follows is this timer's doing */
	if (e->tries < ARP_TRIES) {
		ask(h, e);
		return;
	}
	/* RFC 1122 2.3.2.2: give up; the frames held for it are lost. */
	uint32_t v[] = {e->ip, (uint32_t)e->tries, (uint32_t)e->nheld};
	host_discard(h, 0, R_ARP_GIVE_UP, v, 3);
	remove_entry(h, e);
}

void arp_output(struct host *h, uint32_t ip, uint8_t *frame, size_t len, const struct xmit_meta *m)
{
	if (ip == 0xffffffffu || ip == (h->ip | ~h->mask)) {
		memcpy(frame, broadcast, 6);
		h->env->xmit(h->env->ctx, h, frame, len, m);
		return;
	}
	struct arp_entry *e = entry_for(h, ip);
	if (e->resolved) {
		memcpy(frame, e->mac, 6);
		h->env->xmit(h->env->ctx, h, frame, len, m);
		return;
	}
	if (e->nheld < ARP_HOLD_MAX) {
		e->held = realloc(e->held, (e->nheld + 1) * sizeof *e->held);
		struct arp_held *hd = e->held ? &e->held[e->nheld] : NULL;
		if (!hd || !(hd->frame = malloc(len)) || !(hd->meta = malloc(sizeof *hd->meta)))
			abort();
		memcpy(hd->frame, frame, len);
		hd->len = len;
		*hd->meta = *m;
		hd->meta->held = true;
		hd->meta->cause = h->env->trace->cause;
		e->nheld++;
	}
	if (e->tries == 0)
		ask(h, e);
}

/* Sends what was held for an address that is now known. */
static void release_held(struct host *h, struct arp_entry *e)
{
	size_t n = e->nheld;
	struct arp_held *held = e->held;
	e->held = NULL;
	e->nheld = 0;
	for (size_t i = 0; i < n; i++) {
		memcpy(held[i].frame, e->mac, 6);
		h->env->xmit(h->env->ctx, h, held[i].frame, held[i].len, held[i].meta);
		free(held[i].frame);
		free(held[i].meta);
	}
	free(held);
}

/* RFC 826's packet reception algorithm. */
void arp_input(struct host *h, struct pkt *p, int li)
{
	const struct arp_hdr *a = &p->layer[li].h.arp;
	if (a->htype != 1 || a->ptype != ETHERTYPE_IPV4)
		return;	/* not Ethernet/IPv4: nothing we speak */
	struct arp_entry *e = (struct arp_entry *)arp_lookup(&h->arp, a->spa);
	bool merged = false;
	if (e) {
		memcpy(e->mac, a->sha, 6);
		merged = true;
	}
	if (a->tpa != h->ip)
		goto update;
	if (!merged) {
		e = entry_for(h, a->spa);
		memcpy(e->mac, a->sha, 6);
	}
	if (a->op == ARP_REQUEST) {
		uint32_t v[] = {a->spa, a->tpa};
		send_arp(h, ARP_REPLY, a->sha, a->sha, a->spa, R_ARP_REPLY, v, 2);
	}
update:
	if (e && !e->resolved) {
		e->resolved = true;
		evq_cancel(h->env->q, &e->retry);
		release_held(h, e);
	}
}

void arp_learn(struct host *h, uint32_t ip, const uint8_t mac[6])
{
	struct arp_entry *e = entry_for(h, ip);
	memcpy(e->mac, mac, 6);
	if (!e->resolved) {
		e->resolved = true;
		evq_cancel(h->env->q, &e->retry);
		release_held(h, e);
	}
}
