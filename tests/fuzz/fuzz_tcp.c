/* A connection brought into each of TCP's eleven states, then fed
 * arbitrary segments (with valid checksums, so they reach TCP), user calls
 * and the passing of time; the TCB's invariants are checked after each. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sim/world.h"
#include "stack/arp.h"
#include "stack/tcp_test.h"

static void check(struct world *w)
{
	for (int i = 0; i < 2; i++) {
		for (struct sock *s = w->hosts[i].first; s; s = s->next) {
			if (s->kind != SOCK_TCP)
				continue;
			const char *bad = tcp_check_invariants((struct tcb *)s);
			if (bad) {
				fprintf(stderr, "ERROR: TCB invariant broken: %s (%s): %s\n", s->id,
					tcp_state_names[((struct tcb *)s)->state], bad);
				abort();
			}
		}
	}
}

static uint32_t u32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct world *w = world_new(data[0]);
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	arp_learn(a, b->ip, b->mac);
	arp_learn(b, a->ip, a->mac);
	uint8_t state = data[0] % TCP_NSTATES;
	struct tcb *c = NULL;
	if (state == TCP_LISTEN)
		tcp_listen(a, 49152, NULL);
	else if (state != TCP_CLOSED)
		c = tcp_test_conn(a, b->ip, 49152, 80, state, 1000, 4294967000u);
	if (c)
		sock_ref(&c->sock);
	check(w);
	/* Each step: 12 bytes. */
	for (size_t i = 1; i + 12 <= size; i += 12) {
		const uint8_t *s = data + i;
		uint8_t op = s[0] % 16;
		if (op < 12) {
			/* A segment from b: numbers near the connection's own. */
			uint32_t base_seq = c ? c->rcv_nxt : 4294967001u, base_ack = c ? c->snd_una : 1001;
			int32_t dseq = (int32_t)(int16_t)(s[1] << 8 | s[2]);
			int32_t dack = (int32_t)(int8_t)s[3];
			uint32_t seq = s[11] & 1 ? u32(s + 4) : base_seq + (uint32_t)dseq;
			uint32_t ack = s[11] & 2 ? u32(s + 7) : base_ack + (uint32_t)dack;
			uint8_t flags = s[8];
			uint16_t win = (uint16_t)(s[9] << 8 | s[10]);
			size_t len = s[11] >> 2;
			static const uint8_t payload[64] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!";
			tcp_test_segment(b, a, 80, 49152, seq, ack, flags, payload, len, win, s[1] & 0x80 ? 536 : 0);
		} else if (op == 12) {
			world_wait(w, (vtime)(s[1] << 8 | s[2]) * VTIME_MS);
		} else if (op == 13 && c && c->sock.host) {
			tcp_send(c, (const uint8_t *)"user data", (size_t)(s[1] % 10), NULL);
		} else if (op == 14 && c && c->sock.host) {
			if (s[1] & 1)
				tcp_close(c, NULL);
			else
				tcp_abort(c);
		} else if (op == 15 && c) {
			uint8_t buf[128];
			bool eof;
			tcp_recv(c, buf, s[1] % sizeof buf, &eof);
		}
		/* What a sent is taken off the wire: b is played by the input. */
		link_flush(&w->link);
		check(w);
	}
	if (c)
		sock_unref(&c->sock);
	world_free(w);
	return 0;
}
