/* A host: one Ethernet interface with a MAC and an IPv4 address, an ARP
 * cache, and its sockets. The host is handed a `struct stack_env` by the
 * world above it: the event queue, the trace, the settings, and the
 * function that puts a frame on the wire. It never names the world. */
#ifndef STACKLAB_STACK_HOST_H
#define STACKLAB_STACK_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/blockpool.h"
#include "core/evq.h"
#include "core/hmap.h"
#include "core/trace.h"
#include "proto/pkt.h"
#include "stack/arp.h"

struct host;

/* The knobs of SPEC section 2 that the stacks read. */
struct stack_settings {
	vtime msl;		/* TIME-WAIT lasts 2 * msl */
	vtime rto_initial;	/* before any RTT sample (RFC 6298 2.1) */
	vtime rto_min, rto_max;
	int syn_retries, data_retries;
	uint16_t mss;		/* what we announce */
	uint32_t rcvbuf;	/* receive buffer, and so the largest window */
	bool two_way_handshake;	/* teaching variant: a SYN alone opens (broken on purpose) */
	bool time_wait_off;	/* teaching variant: no TIME-WAIT */
	vtime delack;		/* delayed ACK (RFC 9293 3.8.6.3); 0: every ACK at once */
};

/* What the trace should say about a frame a host sends. */
struct xmit_meta {
	uint32_t conn;		/* socket number, 0 for none */
	uint8_t proto;		/* enum trace_proto */
	uint8_t flags;
	uint32_t seq, ack, len;
	uint16_t sport, dport;
	bool retrans;
	struct why why;
	uint32_t given[3], computed[3];	/* of the first three layers */
	bool held;		/* it waited for ARP: ... */
	uint64_t cause;		/* ... and this is what it answers, not the ARP reply */
};

struct pkt;
/* Copies ports and field marks of a built frame into m. */
void xmit_meta_from(struct xmit_meta *m, const struct pkt *p);

struct stack_env {
	struct evq *q;
	struct trace *trace;
	const struct stack_settings *set;
	uint64_t seed;		/* keys the ISN hash */
	/* Storage for the TCP byte queues: a connection cycle takes and
	 * gives back four blocks of 1 KB, which a pool hands out faster than
	 * malloc. NULL: malloc. */
	struct blockpool *pool;
	void *ctx;
	/* Puts a frame on the wire from host h. */
	void (*xmit)(void *ctx, struct host *h, const uint8_t *frame, size_t len, const struct xmit_meta *m);
};

enum sock_kind { SOCK_TCP, SOCK_UDP };

/* What every socket starts with. A socket is referenced by its host while
 * it is listed there and by each Lua object that names it; the last
 * reference frees it, so a Lua object stays valid after the host is done. */
struct sock {
	uint32_t num;		/* a1 is number 1 of host a */
	uint8_t kind;
	uint32_t refs;
	struct host *host;	/* NULL once the host let go of it */
	struct sock *prev, *next;	/* the host's list, in number order */
	struct sock *closed_next;	/* the host's closed ones, oldest first */
	bool closed;		/* done: listed only for inspection */
	char id[12];		/* "a1" */
	/* Called when the host lets go: stop timers, leave lookup tables. */
	void (*detach)(struct sock *s);
	void (*destroy)(struct sock *s);
};

/* How many closed sockets a host keeps listed for inspection. */
#define HOST_KEEP_CLOSED 64
/* How many sockets a host may have at once (about 150 MB of TCBs): a
 * chunk of Lua opening connections in a loop stops here, with an error,
 * rather than when the machine runs out of memory. */
#define HOST_MAX_SOCKS 262144

struct ping_state {
	uint16_t id, next_seq;
	uint32_t sent, replies;
};

/* Ephemeral ports (RFC 6056 2.1, IANA's dynamic range): 49152 to 65535. */
enum { HOST_EPHEMERAL_FIRST = 49152, HOST_EPHEMERAL_PORTS = 65536 - HOST_EPHEMERAL_FIRST };

struct host {
	int index;
	char name[8];
	uint8_t mac[6];
	uint32_t ip, mask;
	struct stack_env *env;
	struct arp_cache arp;
	uint16_t ip_id;
	uint16_t next_port;	/* ephemeral ports, HOST_EPHEMERAL_FIRST upward */
	uint32_t next_sock;
	bool isn_fixed;		/* `isn HOST N` */
	uint32_t isn_next;
	struct sock *first, *last;
	struct sock *closed_first, *closed_last;
	size_t nsocks, nclosed;
	struct hmap tcp_conns;	/* (local port, remote ip, remote port) -> tcb */
	struct hmap tcp_listeners;	/* local port -> tcb in LISTEN */
	struct hmap udp_ports;	/* local port -> udp socket */
	struct ping_state ping;
	struct pkt rx;		/* decoding scratch for arriving frames */
	struct pkt tx;		/* building scratch for frames to send */
	struct buf txbuf;
	/* Ethernet, IPv4 and tx_fresh_upper's layers as pkt_push leaves
	 * them: every frame the host sends starts as a copy (ipv4_begin). */
	const struct proto_def *tx_fresh_upper;
	struct layer tx_fresh[3];
};

void host_init(struct host *h, int index, const char *name, const uint8_t mac[6], uint32_t ip,
	       uint32_t mask, struct stack_env *env);
void host_free(struct host *h);
/* A frame arrived from the wire. */
void host_input(struct host *h, const uint8_t *frame, size_t len);

/* Sockets: numbering, listing, reference counting. */
void sock_register(struct host *h, struct sock *s, uint8_t kind, void (*detach)(struct sock *),
		   void (*destroy)(struct sock *));
/* False (and e says why) when h already has HOST_MAX_SOCKS sockets. */
bool host_may_open(const struct host *h, struct err *e);
/* A peer the user names (connect, ping, UDP send): on the link and not
 * h itself. With no loopback, a frame to itself would go out on the wire
 * and ARP for h's own address in vain. 0, or -1 with e saying why. */
int host_check_peer(const struct host *h, uint32_t dst, struct err *e);
void sock_ref(struct sock *s);
void sock_unref(struct sock *s);
/* The host stops listing s (it is closed and no longer interesting). */
void sock_forget(struct sock *s);
/* Called when a socket closes: keeps it listed, letting go of old ones. */
void host_note_closed(struct host *h, struct sock *s);
struct sock *host_find_sock(const struct host *h, uint32_t num);
uint16_t host_ephemeral_port(struct host *h);

/* Records a frame the host threw away, and why. */
void host_discard(struct host *h, uint32_t conn, uint16_t rule, const uint32_t *v, int nv);
/* Records a trace event of this host (state change, timer, discard) in
 * two steps: host_event starts it in the trace, cleared, with its kind,
 * time, host and why; the caller fills in the rest in place and calls
 * host_commit before anything else is recorded (see trace_begin). */
struct trace_event *host_event(struct host *h, uint8_t kind, uint16_t rule, const uint32_t *v, int nv);
void host_commit(struct host *h, struct trace_event *ev);
bool host_on_link(const struct host *h, uint32_t ip);

#endif
