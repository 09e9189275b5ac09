#include "lua/lua_world.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "lua/lua_env.h"
#include "lua/lua_pkt.h"
#include "stack/icmp.h"
#include "stack/ipv4.h"
#include "stack/tcp.h"
#include "stack/udp.h"
#include "stack/why.h"
#include "view/capture.h"

#define HOST_META "stacklab.host"
#define SOCK_META "stacklab.socket"
#define LINK_META "stacklab.link"

/* A run that goes on past this many events is stopped, not hung. */
#define RUN_MAX_EVENTS 50000000L

static const char lworld_key = 'w';
static const char hostobjs_key = 'h';

struct lhost {
	int index;
	uint32_t gen;
};

struct lsock {
	struct sock *s;
};

struct lworld *lworld_of(lua_State *L)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, &lworld_key);
	struct lworld *lw = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return lw;
}

static struct world *W(lua_State *L)
{
	return lworld_of(L)->w;
}

static int throw_err(lua_State *L, const struct err *e)
{
	return luaL_error(L, "%s", e->msg);
}

/* ------------------------------------------------------------------ */
/* Hosts */

struct host *lworld_resolve_host(struct world *w, const char *name, struct err *e)
{
	struct host *h = world_host(w, name);
	if (!h)
		err_set(e, "no host '%s': the hosts are a (10.0.0.1) and b (10.0.0.2)", name);
	return h;
}

static struct host *check_host(lua_State *L, int idx)
{
	struct lhost *lh = luaL_checkudata(L, idx, HOST_META);
	struct lworld *lw = lworld_of(L);
	if (lh->gen != lw->gen)
		luaL_error(L, "this host object belongs to a world that was reset: use a or b again");
	return &lw->w->hosts[lh->index];
}

/* A host given as an object, a name ("b") or an address ("10.0.0.2"). */
static struct host *to_host(lua_State *L, int idx, const char *what)
{
	if (luaL_testudata(L, idx, HOST_META))
		return check_host(L, idx);
	if (lua_type(L, idx) == LUA_TSTRING) {
		struct err e;
		struct host *h = lworld_resolve_host(W(L), lua_tostring(L, idx), &e);
		if (!h)
			throw_err(L, &e);
		return h;
	}
	luaL_error(L, "%s must be a host (a, b, \"b\" or \"10.0.0.2\"), not a %s", what, luaL_typename(L, idx));
	return NULL;
}

static uint16_t check_port(lua_State *L, int idx, const char *what)
{
	lua_Integer p = luaL_checkinteger(L, idx);
	if (p < 1 || p > 65535)
		luaL_error(L, "%s must be from 1 to 65535 (got %d)", what, (int)p);
	return (uint16_t)p;
}

/* ------------------------------------------------------------------ */
/* Sockets */

static void push_sock(lua_State *L, struct sock *s)
{
	struct lsock *ls = lua_newuserdatauv(L, sizeof *ls, 0);
	ls->s = s;
	sock_ref(s);
	luaL_setmetatable(L, SOCK_META);
}

static struct sock *check_sock(lua_State *L, int idx)
{
	return ((struct lsock *)luaL_checkudata(L, idx, SOCK_META))->s;
}

static struct tcb *check_tcb(lua_State *L, int idx)
{
	struct sock *s = check_sock(L, idx);
	if (s->kind != SOCK_TCP)
		luaL_error(L, "%s is a UDP socket: this works on TCP sockets", s->id);
	return (struct tcb *)s;
}

/* For calls that need the socket to still be part of a world. */
static struct tcb *live_tcb(lua_State *L, int idx)
{
	struct tcb *t = check_tcb(L, idx);
	if (!t->sock.host)
		luaL_error(L, "%s is gone: it was closed and let go, or its world was reset (state %s)",
			   t->sock.id, tcp_state_names[t->state]);
	return t;
}

static int sock_gc(lua_State *L)
{
	struct lsock *ls = luaL_checkudata(L, 1, SOCK_META);
	if (ls->s) {
		sock_unref(ls->s);
		ls->s = NULL;
	}
	return 0;
}

static int sock_eq(lua_State *L)
{
	lua_pushboolean(L, check_sock(L, 1) == check_sock(L, 2));
	return 1;
}

static const char *state_of(const struct sock *s)
{
	if (s->kind == SOCK_UDP)
		return ((const struct udp_sock *)s)->bound ? "BOUND" : "CLOSED";
	return tcp_state_names[((const struct tcb *)s)->state];
}

static int sock_tostring(lua_State *L)
{
	struct sock *s = check_sock(L, 1);
	if (s->kind == SOCK_UDP) {
		lua_pushfstring(L, "%s (UDP port %d)", s->id, ((struct udp_sock *)s)->port);
		return 1;
	}
	struct tcb *t = (struct tcb *)s;
	char rip[16];
	ip4_format(t->rip, rip);
	if (t->state == TCP_LISTEN)
		lua_pushfstring(L, "%s (LISTEN on port %d)", s->id, t->lport);
	else
		lua_pushfstring(L, "%s (%s, port %d to %s:%d)", s->id, tcp_state_names[t->state], t->lport, rip,
				t->rport);
	return 1;
}

static int l_send(lua_State *L)
{
	struct tcb *t = live_tcb(L, 1);
	size_t n;
	const char *s = luaL_checklstring(L, 2, &n);
	struct err e;
	if (tcp_send(t, (const uint8_t *)s, n, &e) < 0)
		return throw_err(L, &e);
	return 0;
}

static int l_recv(lua_State *L)
{
	struct sock *s = check_sock(L, 1);
	if (s->kind == SOCK_UDP) {
		struct udp_dgram *d = udp_recv((struct udp_sock *)s);
		if (!d)
			return 0;
		lua_pushlstring(L, (const char *)d->data, d->len);
		free(d);
		return 1;
	}
	struct tcb *t = (struct tcb *)s;
	luaL_Buffer b;
	size_t n = t->rcvq.len;
	char *out = luaL_buffinitsize(L, &b, n);
	bool eof;
	n = tcp_recv(t, (uint8_t *)out, n, &eof);
	luaL_pushresultsize(&b, n);
	return 1;
}

static int l_close(lua_State *L)
{
	struct sock *s = check_sock(L, 1);
	if (s->kind == SOCK_UDP) {
		udp_unbind((struct udp_sock *)s);
		return 0;
	}
	struct err e;
	if (tcp_close(live_tcb(L, 1), &e) < 0)
		return throw_err(L, &e);
	return 0;
}

static int l_abort(lua_State *L)
{
	tcp_abort(live_tcb(L, 1));
	return 0;
}

static int l_states(lua_State *L)
{
	struct tcb *t = check_tcb(L, 1);
	lua_createtable(L, t->nstates, 0);
	for (int i = 0; i < t->nstates; i++) {
		lua_pushstring(L, tcp_state_names[t->states[i]]);
		lua_rawseti(L, -2, i + 1);
	}
	return 1;
}

static int l_accept(lua_State *L)
{
	struct tcb *l = check_tcb(L, 1);
	if (l->state != TCP_LISTEN && l->sock.host)
		return luaL_error(L, "%s is not listening (%s): accept works on a listener", l->sock.id,
				  tcp_state_names[l->state]);
	struct tcb *t = tcp_accept(l);
	if (!t) {
		lua_pushnil(L);
		return 1;
	}
	push_sock(L, &t->sock);
	return 1;
}

/* c:is("TIME_WAIT"): the state, in any spelling SPEC section 2 allows. */
static int l_is(lua_State *L)
{
	struct tcb *t = check_tcb(L, 1);
	const char *name = luaL_checkstring(L, 2);
	int s = tcp_state_parse(name);
	if (s < 0)
		return luaL_error(L, "'%s' is not a TCP state: CLOSED LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED "
				  "FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT (or netstat's SYN_SENT, "
				  "SYN_RECV, FIN_WAIT1 ...)", name);
	lua_pushboolean(L, t->state == s);
	return 1;
}

static const luaL_Reg sock_methods[] = {
	{"send", l_send}, {"recv", l_recv}, {"close", l_close}, {"abort", l_abort},
	{"states", l_states}, {"accept", l_accept}, {"is", l_is}, {NULL, NULL},
};

static int push_ip(lua_State *L, uint32_t ip)
{
	char s[16];
	ip4_format(ip, s);
	lua_pushstring(L, s);
	return 1;
}

static int sock_index(lua_State *L)
{
	struct sock *s = check_sock(L, 1);
	const char *k = luaL_checkstring(L, 2);
	for (const luaL_Reg *m = sock_methods; m->name; m++) {
		if (strcmp(k, m->name) == 0) {
			lua_pushcfunction(L, m->func);
			return 1;
		}
	}
	if (strcmp(k, "id") == 0)
		return lua_pushstring(L, s->id), 1;
	if (strcmp(k, "state") == 0)
		return lua_pushstring(L, state_of(s)), 1;
	if (strcmp(k, "host") == 0) {
		lua_pushlstring(L, s->id, strcspn(s->id, "0123456789"));
		return 1;
	}
	if (s->kind == SOCK_UDP) {
		struct udp_sock *u = (struct udp_sock *)s;
		if (strcmp(k, "local_port") == 0)
			return lua_pushinteger(L, u->port), 1;
		if (strcmp(k, "queued") == 0)
			return lua_pushinteger(L, u->queued), 1;
		return luaL_error(L, "a UDP socket has no '%s' (it has id, state, local_port, queued, recv, close)", k);
	}
	struct tcb *t = (struct tcb *)s;
	static const struct {
		const char *name;
		size_t off;
	} u32[] = {
		{"iss", offsetof(struct tcb, iss)}, {"irs", offsetof(struct tcb, irs)},
		{"snd_una", offsetof(struct tcb, snd_una)}, {"snd_nxt", offsetof(struct tcb, snd_nxt)},
		{"snd_wnd", offsetof(struct tcb, snd_wnd)}, {"rcv_nxt", offsetof(struct tcb, rcv_nxt)},
		{"rcv_wnd", offsetof(struct tcb, rcv_wnd)}, {"snd_wl1", offsetof(struct tcb, snd_wl1)},
		{"snd_wl2", offsetof(struct tcb, snd_wl2)}, {"snd_up", offsetof(struct tcb, snd_up)},
		{"rcv_up", offsetof(struct tcb, rcv_up)}, {"cwnd", offsetof(struct tcb, cwnd)},
		{"ssthresh", offsetof(struct tcb, ssthresh)},
	};
	for (size_t i = 0; i < sizeof u32 / sizeof u32[0]; i++) {
		if (strcmp(k, u32[i].name) == 0) {
			lua_pushinteger(L, *(const uint32_t *)((const char *)t + u32[i].off));
			return 1;
		}
	}
	if (strcmp(k, "local_port") == 0)
		return lua_pushinteger(L, t->lport), 1;
	if (strcmp(k, "remote_port") == 0)
		return t->state == TCP_LISTEN ? 0 : (lua_pushinteger(L, t->rport), 1);
	if (strcmp(k, "remote_ip") == 0)
		return t->state == TCP_LISTEN ? 0 : push_ip(L, t->rip);
	if (strcmp(k, "error") == 0) {
		const char *msg = tcp_error_text(t->error);
		return msg ? (lua_pushstring(L, msg), 1) : 0;
	}
	if (strcmp(k, "unread") == 0)
		return lua_pushinteger(L, t->rcvq.len), 1;
	if (strcmp(k, "unsent") == 0)
		return lua_pushinteger(L, t->sndq.len - (t->snd_nxt - t->sndq_seq > t->sndq.len ? t->sndq.len
										 : t->snd_nxt - t->sndq_seq)), 1;
	if (strcmp(k, "eof") == 0)
		return lua_pushboolean(L, t->fin_rcvd && t->rcvq.len == 0), 1;
	if (strcmp(k, "rto") == 0)
		return lua_pushinteger(L, t->rto / VTIME_MS), 1;
	if (strcmp(k, "mss") == 0)
		return lua_pushinteger(L, t->snd_mss), 1;
	if (strcmp(k, "passive") == 0)
		return lua_pushboolean(L, t->passive), 1;
	return luaL_error(L, "a connection has no '%s': it has id, state, local_port, remote_port, remote_ip, "
			  "iss, irs, snd_una, snd_nxt, snd_wnd, rcv_nxt, rcv_wnd, cwnd, ssthresh, error, unread, "
			  "unsent, eof, rto, and send, recv, close, abort, states, accept", k);
}

/* ------------------------------------------------------------------ */
/* Host methods */

static int h_listen(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct err e;
	struct tcb *t = tcp_listen(h, check_port(L, 2, "the port"), &e);
	if (!t)
		return throw_err(L, &e);
	push_sock(L, &t->sock);
	return 1;
}

static uint16_t opt_sport(lua_State *L, int idx)
{
	if (lua_isnoneornil(L, idx))
		return 0;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING || strcmp(lua_tostring(L, -2), "sport") != 0)
			luaL_error(L, "the options of connect are {sport=N}");
		lua_pop(L, 1);
	}
	lua_getfield(L, idx, "sport");
	uint16_t p = check_port(L, lua_gettop(L), "sport");
	lua_pop(L, 1);
	return p;
}

static int h_connect(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct host *peer = to_host(L, 2, "the peer");
	uint16_t port = check_port(L, 3, "the port");
	uint16_t sport = opt_sport(L, 4);
	struct err e;
	struct tcb *t = tcp_connect(h, peer->ip, port, sport, &e);
	if (!t)
		return throw_err(L, &e);
	push_sock(L, &t->sock);
	return 1;
}

static int h_sockets(lua_State *L)
{
	struct host *h = check_host(L, 1);
	lua_newtable(L);
	int i = 1;
	for (struct sock *s = h->first; s; s = s->next) {
		push_sock(L, s);
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

static int h_ping(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct host *peer = to_host(L, 2, "the peer");
	struct err e;
	if (icmp_ping(h, peer->ip, &e) < 0)
		return throw_err(L, &e);
	return 0;
}

static int h_inject(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct pkt *p = lpkt_check(L, 2);
	struct host *peer = world_peer(W(L), h);
	struct err e;
	if (host_inject(h, p, peer->mac, peer->ip, &e) < 0)
		return throw_err(L, &e);
	return 0;
}

/* h:udp(peer, port, data [, {sport=N}]) sends one datagram. */
static int h_udp(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct host *peer = to_host(L, 2, "the peer");
	uint16_t port = check_port(L, 3, "the port");
	size_t n;
	const char *data = luaL_checklstring(L, 4, &n);
	uint16_t sport = opt_sport(L, 5);
	struct err e;
	if (udp_send(h, sport, peer->ip, port, (const uint8_t *)data, n, &e) < 0)
		return throw_err(L, &e);
	return 0;
}

/* h:bind(port): a UDP socket that keeps what arrives on the port. */
static int h_bind(lua_State *L)
{
	struct host *h = check_host(L, 1);
	struct err e;
	struct udp_sock *u = udp_bind(h, check_port(L, 2, "the port"), &e);
	if (!u)
		return throw_err(L, &e);
	push_sock(L, &u->sock);
	return 1;
}

/* h:isn(n): the ISS of h's next connection. */
static int h_isn(lua_State *L)
{
	struct host *h = check_host(L, 1);
	lua_Integer n = luaL_checkinteger(L, 2);
	if (n < 0 || n > 0xffffffffLL)
		return luaL_error(L, "an ISN is from 0 to 4294967295 (got %I)", n);
	h->isn_fixed = true;
	h->isn_next = (uint32_t)n;
	return 0;
}

static const luaL_Reg host_methods[] = {
	{"listen", h_listen}, {"connect", h_connect}, {"sockets", h_sockets}, {"ping", h_ping},
	{"inject", h_inject}, {"udp", h_udp}, {"bind", h_bind}, {"isn", h_isn}, {NULL, NULL},
};

static int host_index(lua_State *L)
{
	struct host *h = check_host(L, 1);
	const char *k = luaL_checkstring(L, 2);
	for (const luaL_Reg *m = host_methods; m->name; m++) {
		if (strcmp(k, m->name) == 0) {
			lua_pushcfunction(L, m->func);
			return 1;
		}
	}
	if (strcmp(k, "name") == 0)
		return lua_pushstring(L, h->name), 1;
	if (strcmp(k, "ip") == 0)
		return push_ip(L, h->ip);
	if (strcmp(k, "mac") == 0) {
		char s[18];
		mac_format(h->mac, s);
		return lua_pushstring(L, s), 1;
	}
	return luaL_error(L, "a host has no '%s': it has name, ip, mac, and listen, connect, sockets, ping, "
			  "inject, udp, bind, isn", k);
}

static int host_tostring(lua_State *L)
{
	lua_pushstring(L, check_host(L, 1)->name);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The clock */

static long run_checked(lua_State *L, long n)
{
	if (n < 0) {
		W(L)->interrupt = 0;
		luaL_error(L, "interrupted (the world stopped; its state is kept)");
	}
	return n;
}

static int l_step(lua_State *L)
{
	lua_Integer n = luaL_optinteger(L, 1, 1);
	if (n < 0 || n > RUN_MAX_EVENTS)
		return luaL_error(L, "step(n): n is from 0 to %d", (int)RUN_MAX_EVENTS);
	struct world *w = W(L);
	lua_Integer done = 0;
	while (done < n && !w->interrupt && world_step(w))
		done++;
	run_checked(L, w->interrupt ? -1 : 0);
	lua_pushinteger(L, done);
	return 1;
}

static vtime check_ms(lua_State *L, int idx, const char *what)
{
	int isnum;
	lua_Number ms = lua_tonumberx(L, idx, &isnum);
	if (!isnum || !(ms >= 0 && ms <= 1e12))
		luaL_error(L, "%s must be a time in milliseconds from 0 to 1000000000000 (got %s)", what,
			   lua_isstring(L, idx) ? lua_tostring(L, idx) : luaL_typename(L, idx));
	return (vtime)(ms * VTIME_MS);
}

static int l_run(lua_State *L)
{
	struct world *w = W(L);
	long n;
	if (lua_isnoneornil(L, 1)) {
		n = world_run(w, RUN_MAX_EVENTS);
		if (n < 0 && !w->interrupt)
			return luaL_error(L, "the world ran %d events and frames are still in flight: stopped",
					  (int)RUN_MAX_EVENTS);
	} else {
		n = world_wait(w, check_ms(L, 1, "run(ms)"));
	}
	lua_pushinteger(L, run_checked(L, n));
	return 1;
}

static int l_wait(lua_State *L)
{
	lua_pushinteger(L, run_checked(L, world_wait(W(L), check_ms(L, 1, "wait(ms)"))));
	return 1;
}

static int l_now(lua_State *L)
{
	vtime t = W(L)->q.now;
	if (t % VTIME_MS == 0)
		lua_pushinteger(L, t / VTIME_MS);
	else
		lua_pushnumber(L, (lua_Number)t / VTIME_MS);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The trace */

static void push_ms(lua_State *L, vtime t)
{
	if (t % VTIME_MS == 0)
		lua_pushinteger(L, t / VTIME_MS);
	else
		lua_pushnumber(L, (lua_Number)t / VTIME_MS);
}

static void set_str(lua_State *L, const char *k, const char *v)
{
	lua_pushstring(L, v);
	lua_setfield(L, -2, k);
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, k);
}

static void set_bool(lua_State *L, const char *k, bool v)
{
	lua_pushboolean(L, v);
	lua_setfield(L, -2, k);
}

void lworld_push_event(lua_State *L, struct world *w, const struct trace_event *ev)
{
	static const char *const kinds[] = {"frame", "state", "timer", "discard"};
	static const char *const protos[] = {"other", "arp", "icmp", "udp", "tcp"};
	lua_createtable(L, 0, 16);
	set_int(L, "n", (lua_Integer)ev->n);
	push_ms(L, ev->t);
	lua_setfield(L, -2, "t");
	set_str(L, "kind", kinds[ev->kind]);
	set_str(L, "host", w->hosts[ev->host].name);
	if (ev->conn) {
		lua_pushfstring(L, "%s%d", w->hosts[ev->host].name, (int)ev->conn);
		lua_setfield(L, -2, "conn");
	}
	struct sbuf sb = SBUF_INIT;
	why_format(&ev->why, &sb);
	const char *sec = why_section(ev->why.rule);
	if (*sec)
		sbuf_printf(&sb, " (%s)", sec);
	set_str(L, "why", sbuf_str(&sb));
	sbuf_free(&sb);
	set_str(L, "rfc", sec);
	switch (ev->kind) {
	case TRACE_FRAME: {
		set_str(L, "from", w->hosts[ev->host].name);
		set_str(L, "to", w->hosts[ev->to].name);
		set_str(L, "proto", protos[ev->proto < 5 ? ev->proto : 0]);
		if (ev->proto == TP_TCP) {
			char f[40];
			tcp_flags_format(ev->flags, f);
			set_str(L, "flags", f);
			set_int(L, "seq", ev->seq);
			set_int(L, "ack", ev->ack);
		}
		set_int(L, "len", ev->len);
		set_bool(L, "dropped", ev->dropped);
		set_bool(L, "retransmission", ev->retrans);
		set_bool(L, "dup", ev->dup);
		if (ev->arrived >= 0) {
			push_ms(L, ev->arrived);
			lua_setfield(L, -2, "arrived");
		}
		break;
	}
	case TRACE_STATE:
		set_str(L, "old", tcp_state_names[ev->old_state]);
		set_str(L, "new", tcp_state_names[ev->new_state]);
		break;
	case TRACE_TIMER:
		set_str(L, "name", timer_name_text(ev->timer));
		break;
	case TRACE_DISCARD: {
		struct sbuf r = SBUF_INIT;
		why_format(&ev->why, &r);
		set_str(L, "reason", sbuf_str(&r));
		sbuf_free(&r);
		break;
	}
	default:
		break;
	}
}

static int l_trace(lua_State *L)
{
	struct world *w = W(L);
	uint64_t first = trace_first(&w->trace), last = trace_last(&w->trace);
	lua_createtable(L, first ? (int)(last - first + 1) : 0, 0);
	int i = 1;
	for (uint64_t n = first; n && n <= last; n++) {
		lworld_push_event(L, w, trace_get(&w->trace, n));
		lua_rawseti(L, -2, i++);
	}
	return 1;
}

static int l_capture(lua_State *L)
{
	const char *path = luaL_checkstring(L, 1);
	luaenv_check_path(L, path, true);
	struct err e;
	long n = world_capture(W(L), path, &e);
	if (n < 0)
		return throw_err(L, &e);
	lua_pushinteger(L, n);
	return 1;
}

static int l_cmd(lua_State *L)
{
	const char *line = luaL_checkstring(L, 1);
	struct lworld *lw = lworld_of(L);
	if (!lw->cmd)
		return luaL_error(L, "cmd() is not available here");
	struct sbuf out = SBUF_INIT;
	struct err e;
	int rc = lw->cmd(lw->cmd_ctx, line, &out, &e);
	if (rc < 0) {
		sbuf_free(&out);
		return throw_err(L, &e);
	}
	lua_pushlstring(L, sbuf_str(&out), out.len);
	sbuf_free(&out);
	return 1;
}

static int l_ladder(lua_State *L)
{
	struct lworld *lw = lworld_of(L);
	if (!lw->ladder)
		return luaL_error(L, "ladder() is not available here");
	struct sbuf out = SBUF_INIT;
	lw->ladder(lw->cmd_ctx, &out);
	lua_pushlstring(L, sbuf_str(&out), out.len);
	sbuf_free(&out);
	return 1;
}

/* ------------------------------------------------------------------ */
/* The link */

/* {from=, to=, flags=, count=, ms=} into a rule. The keys are checked
 * first and the values read in this fixed order, not in the order Lua
 * walks the table, which changes from run to run (its string hashes are
 * seeded per process): an error must name the same thing every time. */
static void read_rule(lua_State *L, int idx, struct link_rule *r, bool want_ms)
{
	static const char *const keys[] = {"from", "to", "flags", "count", "ms"};
	const int nkeys = want_ms ? 5 : 4;
	r->from = r->to = LINK_ANY;
	r->count = 1;
	if (lua_isnoneornil(L, idx))
		goto done;
	luaL_checktype(L, idx, LUA_TTABLE);
	const char *unknown = NULL;	/* the first in byte order; the table holds the string */
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) != LUA_TSTRING)
			luaL_error(L, "a rule takes fields by name: from=, to=, flags=, count=%s", want_ms ? ", ms=" : "");
		const char *k = lua_tostring(L, -2);
		int i = 0;
		while (i < nkeys && strcmp(k, keys[i]) != 0)
			i++;
		if (i == nkeys && (!unknown || strcmp(k, unknown) < 0))
			unknown = k;
		lua_pop(L, 1);
	}
	if (unknown)
		luaL_error(L, "a rule takes from=, to=, flags=, count=%s (got '%s')", want_ms ? ", ms=" : "", unknown);
	for (int i = 0; i < nkeys; i++) {
		lua_pushstring(L, keys[i]);
		if (lua_rawget(L, idx) == LUA_TNIL) {	/* raw, as lua_next walked it */
			lua_pop(L, 1);
			continue;
		}
		int v = lua_gettop(L);
		switch (i) {
		case 0:
			r->from = (int8_t)to_host(L, v, "from")->index;
			break;
		case 1:
			r->to = (int8_t)to_host(L, v, "to")->index;
			break;
		case 2:
			if (!lua_isstring(L, v))
				luaL_error(L, "flags is text, like \"SYN,ACK\" (got %s)", luaL_typename(L, v));
			if (tcp_flags_parse(lua_tostring(L, v), &r->flags) < 0)
				luaL_error(L, "flags: '%s' is not a flag set (write SYN,ACK, or SA, or S.)",
					   lua_tostring(L, v));
			r->match_flags = true;
			break;
		case 3: {
			int whole;
			lua_Integer c = lua_tointegerx(L, v, &whole);
			if (!whole || c < 1 || c > 1000000)
				luaL_error(L, "count is a whole number from 1 to 1000000 (got %s)",
					   lua_isstring(L, v) ? lua_tostring(L, v) : luaL_typename(L, v));
			r->count = (uint32_t)c;
			break;
		}
		default:
			r->delay = check_ms(L, v, "ms");
		}
		lua_pop(L, 1);
	}
done:
	if (want_ms && r->delay == 0)
		luaL_error(L, "link:delay{...} needs ms=, the extra time in milliseconds");
}

static int add_rule(lua_State *L, uint8_t kind)
{
	luaL_checkudata(L, 1, LINK_META);
	struct link_rule r = {0};
	r.kind = kind;
	read_rule(L, 2, &r, kind == RULE_DELAY);
	if (link_add_rule(&W(L)->link, &r) < 0)
		return luaL_error(L, "the link holds at most %d rules: link:clear() removes them", LINK_MAX_RULES);
	return 0;
}

static int link_drop(lua_State *L) { return add_rule(L, RULE_DROP); }
static int link_delay(lua_State *L) { return add_rule(L, RULE_DELAY); }
static int link_dup(lua_State *L) { return add_rule(L, RULE_DUP); }

static int link_loss(lua_State *L)
{
	luaL_checkudata(L, 1, LINK_META);
	lua_Number pct = luaL_checknumber(L, 2);
	if (!(pct >= 0 && pct <= 100))
		return luaL_error(L, "loss is a percentage from 0 to 100 (got %f)", (double)pct);
	W(L)->link.loss_ppm = (uint32_t)(pct * 10000 + 0.5);
	return 0;
}

static int link_clear(lua_State *L)
{
	luaL_checkudata(L, 1, LINK_META);
	link_clear_rules(&W(L)->link);
	return 0;
}

static int link_inflight(lua_State *L)
{
	luaL_checkudata(L, 1, LINK_META);
	struct world *w = W(L);
	lua_createtable(L, (int)w->link.nfl, 0);
	for (size_t i = 0; i < w->link.nfl; i++) {
		const struct flight *f = w->link.fl[i];
		const struct trace_event *ev = trace_get(&w->trace, f->trace_n);
		if (ev)
			lworld_push_event(L, w, ev);
		else
			lua_newtable(L);
		set_int(L, "number", (lua_Integer)i + 1);
		push_ms(L, f->t.when);
		lua_setfield(L, -2, "arrives");
		lua_rawseti(L, -2, (int)i + 1);
	}
	return 1;
}

static const luaL_Reg link_methods[] = {
	{"drop", link_drop}, {"delay", link_delay}, {"dup", link_dup}, {"loss", link_loss},
	{"clear", link_clear}, {"inflight", link_inflight}, {NULL, NULL},
};

static int link_index(lua_State *L)
{
	const char *k = luaL_checkstring(L, 2);
	for (const luaL_Reg *m = link_methods; m->name; m++) {
		if (strcmp(k, m->name) == 0) {
			lua_pushcfunction(L, m->func);
			return 1;
		}
	}
	struct world *w = W(L);
	if (strcmp(k, "latency") == 0) {
		push_ms(L, w->link.latency);
		return 1;
	}
	if (strcmp(k, "loss_pct") == 0) {
		lua_pushnumber(L, w->link.loss_ppm / 10000.0);
		return 1;
	}
	return luaL_error(L, "the link has no '%s': it has latency, and drop, delay, dup, loss, clear, inflight", k);
}

static int link_newindex(lua_State *L)
{
	const char *k = luaL_checkstring(L, 2);
	if (strcmp(k, "latency") != 0)
		return luaL_error(L, "only link.latency can be set (got '%s')", k);
	vtime d = check_ms(L, 3, "link.latency");
	if (d > 60 * VTIME_S)
		return luaL_error(L, "link.latency is at most 60000 ms");
	world_set_latency(W(L), d);
	return 0;
}

/* ------------------------------------------------------------------ */

static int resolve_mac(void *ctx, const char *name, uint8_t mac[6])
{
	struct host *h = world_host(((struct lworld *)ctx)->w, name);
	if (!h)
		return -1;
	memcpy(mac, h->mac, 6);
	return 0;
}

static int resolve_ip(void *ctx, const char *name, uint32_t *ip)
{
	struct host *h = world_host(((struct lworld *)ctx)->w, name);
	if (!h)
		return -1;
	*ip = h->ip;
	return 0;
}

/* Sets global `name` to the value on top (and pops it) without running
 * a metamethod the user may have put on _G. */
static void set_global_raw(lua_State *L, const char *name)
{
	lua_pushglobaltable(L);
	lua_pushstring(L, name);
	lua_rotate(L, -3, -1);	/* value, _G, name -> _G, name, value */
	lua_rawset(L, -3);
	lua_pop(L, 1);
}

void lworld_rebind(lua_State *L)
{
	struct lworld *lw = lworld_of(L);
	lua_createtable(L, WORLD_HOSTS, 0);	/* the cached host objects */
	lua_newtable(L);			/* hosts */
	for (int i = 0; i < lw->w->nhosts; i++) {
		struct lhost *lh = lua_newuserdatauv(L, sizeof *lh, 0);
		lh->index = i;
		lh->gen = lw->gen;
		luaL_setmetatable(L, HOST_META);
		lua_pushvalue(L, -1);
		lua_rawseti(L, -4, i + 1);
		lua_pushvalue(L, -1);
		set_global_raw(L, lw->w->hosts[i].name);
		lua_setfield(L, -2, lw->w->hosts[i].name);
	}
	set_global_raw(L, "hosts");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &hostobjs_key);
}

void lworld_open(lua_State *L, struct lworld *lw)
{
	lua_pushlightuserdata(L, lw);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &lworld_key);
	luaL_newmetatable(L, HOST_META);
	lua_pushcfunction(L, host_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, host_tostring);
	lua_setfield(L, -2, "__tostring");
	luaenv_lock_metatable(L);
	lua_pop(L, 1);
	luaL_newmetatable(L, SOCK_META);
	static const luaL_Reg sock_meta[] = {
		{"__index", sock_index}, {"__gc", sock_gc}, {"__eq", sock_eq}, {"__tostring", sock_tostring},
		{NULL, NULL},
	};
	luaL_setfuncs(L, sock_meta, 0);
	luaenv_lock_metatable(L);
	lua_pop(L, 1);
	luaL_newmetatable(L, LINK_META);
	lua_pushcfunction(L, link_index);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, link_newindex);
	lua_setfield(L, -2, "__newindex");
	luaenv_lock_metatable(L);
	lua_pop(L, 1);
	lua_newuserdatauv(L, 1, 0);
	luaL_setmetatable(L, LINK_META);
	lua_setglobal(L, "link");
	static const luaL_Reg globals[] = {
		{"step", l_step}, {"run", l_run}, {"wait", l_wait}, {"now", l_now}, {"trace", l_trace},
		{"capture", l_capture}, {"cmd", l_cmd}, {"ladder", l_ladder}, {NULL, NULL},
	};
	for (const luaL_Reg *g = globals; g->name; g++)
		lua_register(L, g->name, g->func);
	lw->resolver = (struct name_resolver){lw, resolve_mac, resolve_ip};
	lpkt_set_resolver(L, &lw->resolver);
	lworld_rebind(L);
}
