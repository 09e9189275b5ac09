/* world_clone: a deep copy of a world in the middle of anything. Every
 * object is copied, then every pointer between objects is mapped from the
 * old object to its copy, and the event queue is rebuilt slot for slot, so
 * the copy goes on exactly as the original would. */
#include <stdlib.h>
#include <string.h>

#include "sim/world.h"
#include "stack/tcp.h"
#include "stack/udp.h"

static void *must(void *p)
{
	if (!p)
		abort();
	return p;
}

static void *dup_bytes(const void *src, size_t n)
{
	void *p = must(malloc(n ? n : 1));
	memcpy(p, src, n);
	return p;
}

/* old pointer -> new pointer, for timers and sockets */
static void map_put(struct hmap *m, const void *old, void *new_)
{
	hmap_put(m, (uint64_t)(uintptr_t)old, new_);
}

static void *map_get(const struct hmap *m, const void *old)
{
	return old ? hmap_get(m, (uint64_t)(uintptr_t)old) : NULL;
}

static void copy_byteq(struct byteq *dst, const struct byteq *src)
{
	*dst = (struct byteq){0};
	if (!src->len)
		return;
	uint8_t *tmp = must(malloc(src->len));
	byteq_peek(src, 0, tmp, src->len);
	byteq_push(dst, NULL, tmp, src->len);	/* a block from malloc: any pool takes it back */
	free(tmp);
}

static struct tcb *copy_tcb(const struct tcb *o, struct hmap *map)
{
	struct tcb *t = dup_bytes(o, sizeof *o);
	copy_byteq(&t->sndq, &o->sndq);
	copy_byteq(&t->rcvq, &o->rcvq);
	struct ooo_seg **tail = &t->ooo;
	for (const struct ooo_seg *s = o->ooo; s; s = s->next) {
		struct ooo_seg *c = dup_bytes(s, sizeof *s + s->len);
		c->next = NULL;
		*tail = c;
		tail = &c->next;
	}
	t->accept_q = o->capaccept ? dup_bytes(o->accept_q, o->capaccept * sizeof *o->accept_q) : NULL;
	map_put(map, &o->rto_timer, &t->rto_timer);
	map_put(map, &o->persist_timer, &t->persist_timer);
	map_put(map, &o->tw_timer, &t->tw_timer);
	map_put(map, &o->delack_timer, &t->delack_timer);
	t->rto_timer.slot = t->persist_timer.slot = t->tw_timer.slot = t->delack_timer.slot = -1;
	return t;
}

static struct udp_sock *copy_udp(const struct udp_sock *o)
{
	struct udp_sock *u = dup_bytes(o, sizeof *o);
	u->head = u->tail = NULL;
	for (const struct udp_dgram *d = o->head; d; d = d->next) {
		struct udp_dgram *c = dup_bytes(d, sizeof *d + d->len);
		c->next = NULL;
		if (u->tail)
			u->tail->next = c;
		else
			u->head = c;
		u->tail = c;
	}
	return u;
}

static void copy_arp(struct host *h, const struct host *o, struct hmap *map)
{
	const struct arp_cache *oc = &o->arp;
	struct arp_cache *c = &h->arp;
	c->n = c->cap = oc->n;
	c->e = oc->n ? must(malloc(oc->n * sizeof *c->e)) : NULL;
	for (size_t i = 0; i < oc->n; i++) {
		const struct arp_entry *oe = oc->e[i];
		struct arp_entry *e = dup_bytes(oe, sizeof *oe);
		e->host = h;
		e->retry.slot = -1;
		map_put(map, &oe->retry, &e->retry);
		e->held = oe->nheld ? must(malloc(oe->nheld * sizeof *e->held)) : NULL;
		for (size_t k = 0; k < oe->nheld; k++) {
			e->held[k].frame = dup_bytes(oe->held[k].frame, oe->held[k].len);
			e->held[k].len = oe->held[k].len;
			e->held[k].meta = dup_bytes(oe->held[k].meta, sizeof *oe->held[k].meta);
		}
		c->e[i] = e;
	}
}

static void relink_sock(struct host *h, struct sock *s)
{
	s->host = h;
	s->refs = 1;	/* the host's; queue and listener references are added after */
	s->prev = h->last;
	s->next = NULL;
	s->closed_next = NULL;
	if (h->last)
		h->last->next = s;
	else
		h->first = s;
	h->last = s;
}

static void copy_sockets(struct host *h, const struct host *o, struct hmap *map)
{
	for (const struct sock *os = o->first; os; os = os->next) {
		struct sock *s = os->kind == SOCK_TCP ? &copy_tcb((const struct tcb *)os, map)->sock
						      : &copy_udp((const struct udp_sock *)os)->sock;
		relink_sock(h, s);
		map_put(map, os, s);
	}
	/* The pointers between sockets, the references they stand for, and
	 * the lookup tables. */
	for (struct sock *s = h->first; s; s = s->next) {
		if (s->kind == SOCK_UDP) {
			struct udp_sock *u = (struct udp_sock *)s;
			if (u->bound)
				hmap_put(&h->udp_ports, u->port, u);
			continue;
		}
		struct tcb *t = (struct tcb *)s;
		t->listener = map_get(map, t->listener);
		if (t->listener)
			t->listener->sock.refs++;
		for (uint32_t i = 0; i < t->naccept; i++) {
			t->accept_q[i] = map_get(map, t->accept_q[i]);
			t->accept_q[i]->sock.refs++;
		}
		const struct tcb *ot = hmap_get(&o->tcp_listeners, t->lport);
		if (t->state == TCP_LISTEN && ot && map_get(map, ot) == t)
			hmap_put(&h->tcp_listeners, t->lport, t);
		else if (!s->closed && t->state != TCP_CLOSED)
			hmap_put(&h->tcp_conns, (uint64_t)t->lport << 48 | (uint64_t)t->rport << 32 | t->rip, t);
	}
	for (const struct sock *os = o->closed_first; os; os = os->closed_next) {
		struct sock *s = map_get(map, os);
		if (h->closed_last)
			h->closed_last->closed_next = s;
		else
			h->closed_first = s;
		h->closed_last = s;
	}
}

static void copy_host(struct world *w, int i, const struct world *ow, struct hmap *map)
{
	const struct host *o = &ow->hosts[i];
	struct host *h = &w->hosts[i];
	host_init(h, o->index, o->name, o->mac, o->ip, o->mask, &w->env);
	h->ip_id = o->ip_id;
	h->next_port = o->next_port;
	h->next_sock = o->next_sock;
	h->isn_fixed = o->isn_fixed;
	h->isn_next = o->isn_next;
	h->ping = o->ping;
	h->nsocks = o->nsocks;
	h->nclosed = o->nclosed;
	copy_arp(h, o, map);
	copy_sockets(h, o, map);
}

static void copy_link(struct world *w, const struct world *ow, struct hmap *map)
{
	const struct link *ol = &ow->link;
	struct link *l = &w->link;
	l->latency = ol->latency;
	l->loss_ppm = ol->loss_ppm;
	memcpy(l->rules, ol->rules, sizeof l->rules);
	l->nrules = ol->nrules;
	l->capfl = ol->nfl;
	l->nfl = ol->nfl;
	l->flstore = l->fl = ol->nfl ? must(malloc(ol->nfl * sizeof *l->fl)) : NULL;
	for (size_t i = 0; i < ol->nfl; i++) {
		const struct flight *of = ol->fl[i];
		struct flight *f = dup_bytes(of, sizeof *of + of->len);
		f->cap = of->len;	/* its storage, whatever the original had */
		f->link = l;
		f->t.slot = -1;
		map_put(map, &of->t, &f->t);
		l->fl[i] = f;
	}
}

/* Every armed timer belongs to something copied. */
static struct timer *copied_timer(void *map, const struct timer *t)
{
	struct timer *c = map_get(map, t);
	if (!c)
		abort();
	return c;
}

struct world *world_clone(const struct world *ow)
{
	struct world *w = world_new(ow->seed);
	if (!w)
		return NULL;
	/* world_new made two fresh hosts; replace them with copies. */
	for (int i = 0; i < w->nhosts; i++)
		host_free(&w->hosts[i]);
	w->rng = ow->rng;
	w->set = ow->set;
	w->events = ow->events;
	trace_free(&w->trace);
	trace_copy(&w->trace, &ow->trace);
	struct hmap map;
	hmap_init(&map);
	for (int i = 0; i < ow->nhosts; i++)
		copy_host(w, i, ow, &map);
	copy_link(w, ow, &map);
	evq_copy(&w->q, &ow->q, copied_timer, &map);
	hmap_free(&map);
	return w;
}
