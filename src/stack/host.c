/* A host: its interface, the frames that arrive at it, and its sockets. */
#include "stack/host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/arp.h"
#include "stack/ipv4.h"
#include "stack/why.h"

void host_init(struct host *h, int index, const char *name, const uint8_t mac[6], uint32_t ip,
	       uint32_t mask, struct stack_env *env)
{
	memset(h, 0, sizeof *h);
	h->index = index;
	snprintf(h->name, sizeof h->name, "%s", name);
	memcpy(h->mac, mac, 6);
	h->ip = ip;
	h->mask = mask;
	h->env = env;
	h->ip_id = 1;
	h->next_port = HOST_EPHEMERAL_FIRST;
	h->next_sock = 1;
	h->ping.id = (uint16_t)(0x100 + index);
	h->ping.next_seq = 1;
	arp_cache_init(&h->arp);
	hmap_init(&h->tcp_conns);
	hmap_init(&h->tcp_listeners);
	hmap_init(&h->udp_ports);
	pkt_init(&h->rx);
	pkt_init(&h->tx);
}

void host_free(struct host *h)
{
	/* The host lets go of every socket; Lua objects may keep some alive. */
	while (h->first)
		sock_forget(h->first);
	arp_cache_free(&h->arp, h->env->q);
	hmap_free(&h->tcp_conns);
	hmap_free(&h->tcp_listeners);
	hmap_free(&h->udp_ports);
	pkt_free(&h->rx);
	pkt_free(&h->tx);
	buf_free(&h->txbuf);
}

bool host_on_link(const struct host *h, uint32_t ip)
{
	return (ip & h->mask) == (h->ip & h->mask) || ip == 0xffffffffu;
}

struct trace_event *host_event(struct host *h, uint8_t kind, uint16_t rule, const uint32_t *v, int nv)
{
	struct trace_event *ev = trace_begin(h->env->trace);
	ev->kind = kind;
	ev->t = h->env->q->now;
	ev->host = (uint8_t)h->index;
	ev->arrived = -1;
	why_set(&ev->why, rule, v, nv);
	return ev;
}

void host_commit(struct host *h, struct trace_event *ev)
{
	trace_commit(h->env->trace, ev, NULL, 0);
}

void host_discard(struct host *h, uint32_t conn, uint16_t rule, const uint32_t *v, int nv)
{
	struct trace_event *ev = host_event(h, TRACE_DISCARD, rule, v, nv);
	ev->conn = conn;
	host_commit(h, ev);
}

void xmit_meta_from(struct xmit_meta *m, const struct pkt *p)
{
	for (int i = 0; i < 3 && i < p->n; i++) {
		m->given[i] = p->layer[i].given;
		m->computed[i] = p->layer[i].computed;
		if (p->layer[i].def == &proto_tcp) {
			m->sport = p->layer[i].h.tcp.sport;
			m->dport = p->layer[i].h.tcp.dport;
		} else if (p->layer[i].def == &proto_udp) {
			m->sport = p->layer[i].h.udp.sport;
			m->dport = p->layer[i].h.udp.dport;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Sockets */

/* "a17": the host's name and the socket's number, cut short as snprintf
 * would cut it. Written by hand: a connection is opened in a few thousand
 * instructions, and snprintf alone took a tenth of them. */
static void format_sock_id(char *out, size_t cap, const char *name, uint32_t num)
{
	char digits[10];
	int nd = 0;
	do
		digits[nd++] = (char)('0' + num % 10);
	while ((num /= 10) != 0);
	size_t n = 0;
	for (; *name && n + 1 < cap; name++)
		out[n++] = *name;
	while (nd && n + 1 < cap)
		out[n++] = digits[--nd];
	out[n] = '\0';
}

void sock_register(struct host *h, struct sock *s, uint8_t kind, void (*detach)(struct sock *),
		   void (*destroy)(struct sock *))
{
	s->num = h->next_sock++;
	s->kind = kind;
	s->refs = 1;	/* the host's */
	s->host = h;
	s->detach = detach;
	s->destroy = destroy;
	format_sock_id(s->id, sizeof s->id, h->name, s->num);
	s->prev = h->last;
	s->next = NULL;
	if (h->last)
		h->last->next = s;
	else
		h->first = s;
	h->last = s;
	h->nsocks++;
}

int host_check_peer(const struct host *h, uint32_t dst, struct err *e)
{
	char ip[16];
	ip4_format(dst, ip);
	if (!host_on_link(h, dst))
		return err_set(e, "%s is not on %s's link (10.0.0.0/24): give a host on the link", ip, h->name);
	if (dst == h->ip)
		return err_set(e, "%s is %s's own address, and the hosts here have no loopback interface: "
				  "give the other host",
			       ip, h->name);
	return 0;
}

bool host_may_open(const struct host *h, struct err *e)
{
	if (h->nsocks < HOST_MAX_SOCKS)
		return true;
	err_set(e, "%s already has %d sockets, the most a host may have: close some first", h->name,
		HOST_MAX_SOCKS);
	return false;
}

void sock_ref(struct sock *s)
{
	s->refs++;
}

void sock_unref(struct sock *s)
{
	if (--s->refs == 0)
		s->destroy(s);
}

static void unlist_closed(struct host *h, struct sock *s)
{
	struct sock **at = &h->closed_first, *prev = NULL;
	while (*at && *at != s) {
		prev = *at;
		at = &(*at)->closed_next;
	}
	if (!*at)
		return;
	*at = s->closed_next;
	if (h->closed_last == s)
		h->closed_last = prev;
	s->closed_next = NULL;
	h->nclosed--;
}

void sock_forget(struct sock *s)
{
	struct host *h = s->host;
	if (!h)
		return;
	if (s->prev)
		s->prev->next = s->next;
	else
		h->first = s->next;
	if (s->next)
		s->next->prev = s->prev;
	else
		h->last = s->prev;
	s->prev = s->next = NULL;
	h->nsocks--;
	if (s->closed)
		unlist_closed(h, s);
	if (s->detach)
		s->detach(s);
	s->host = NULL;
	sock_unref(s);
}

void host_note_closed(struct host *h, struct sock *s)
{
	if (s->closed)
		return;
	s->closed = true;
	s->closed_next = NULL;
	if (h->closed_last)
		h->closed_last->closed_next = s;
	else
		h->closed_first = s;
	h->closed_last = s;
	h->nclosed++;
	/* Keep the most recent closed sockets listed; let go of older ones. */
	if (h->nclosed > HOST_KEEP_CLOSED)
		sock_forget(h->closed_first);
}

struct sock *host_find_sock(const struct host *h, uint32_t num)
{
	for (struct sock *s = h->first; s; s = s->next)
		if (s->num == num)
			return s;
	return NULL;
}

uint16_t host_ephemeral_port(struct host *h)
{
	uint16_t p = h->next_port;
	h->next_port = h->next_port == 65535 ? HOST_EPHEMERAL_FIRST : h->next_port + 1;
	return p;
}

/* ------------------------------------------------------------------ */
/* Arriving frames */

static void discard_malformed(struct host *h, const struct pkt *p)
{
	for (int i = 0; i < p->n; i++) {
		const struct layer *l = &p->layer[i];
		if (!l->err.code)
			continue;
		uint32_t v[] = {0, l->err.code, l->err.a, l->err.b};
		for (int k = 0; proto_all[k]; k++)
			if (proto_all[k] == l->def)
				v[0] = (uint32_t)k;
		host_discard(h, 0, R_DISC_MALFORMED, v, 4);
		return;
	}
}

static bool malformed(const struct pkt *p)
{
	for (int i = 0; i < p->n; i++)
		if (p->layer[i].err.code && !p->layer[i].partial)
			return true;
	return false;
}

static void host_take(struct host *h, struct pkt *p)
{
	if (malformed(p)) {
		discard_malformed(h, p);
		return;
	}
	const struct eth_hdr *eth = &p->layer[0].h.eth;
	if (memcmp(eth->dst, h->mac, 6) != 0 && !mac_is_broadcast(eth->dst)) {
		host_discard(h, 0, R_DISC_NOT_OUR_MAC, NULL, 0);
		return;
	}
	if (p->n >= 2 && p->layer[1].def == &proto_arp)
		arp_input(h, p, 1);
	else if (p->n >= 2 && p->layer[1].def == &proto_ipv4)
		ipv4_input(h, p, 1);
	else {
		uint32_t v[] = {eth->type};
		host_discard(h, 0, R_DISC_ETHERTYPE, v, 1);
	}
}

/* The frame is read where the link left it, without a copy: it stays
 * there until this returns, and nothing keeps a pointer into it. */
void host_input(struct host *h, const uint8_t *frame, size_t len)
{
	struct pkt *p = &h->rx;
	pkt_decode_in_place(p, frame, len);
	host_take(h, p);
	pkt_done_in_place(p);
}
