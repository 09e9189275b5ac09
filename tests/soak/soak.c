/* make soak: one world, as the REPL makes it, runs a million connection
 * cycles over a link that loses 1% of frames. Each cycle opens a
 * connection, sends a different amount of patterned data each way, closes
 * both ends and plays on until both are done (TIME-WAITs expire along the
 * way, as they would in a long session). Every byte is checked on arrival.
 * Resident memory is read after a tenth of the cycles (the warm-up: the
 * trace ring is full by then) and at the end; it may grow by less than
 * 1 MB. Not part of make test: it takes a minute or more.
 *   soak [CYCLES]   (default 1000000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/world.h"
#include "stack/tcp.h"

#include "../rss.h"

enum { MAX_DATA = 4000, STEPS_PER_CYCLE = 1000000 };

/* Byte k of what side `dir` sends in cycle i: differs from cycle to cycle,
 * side to side and byte to byte, so a segment delivered to the wrong
 * connection, twice, or at the wrong offset shows. */
static uint8_t pattern(long i, int dir, size_t k)
{
	return (uint8_t)((uint64_t)i * 131 + (uint64_t)dir * 71 + k * 7 + (k >> 8));
}

struct counts {
	uint64_t frames, lost, retrans;
};

/* Counts frames as they go on the wire (where the REPL prints them). */
static void count(void *ctx, const struct trace_event *ev)
{
	struct counts *k = ctx;
	if (ev->kind != TRACE_FRAME)
		return;
	k->frames++;
	k->lost += ev->dropped;
	k->retrans += ev->retrans;
}

struct side {
	struct tcb *t;
	int dir;		/* the direction of the data it receives */
	size_t want, got;	/* bytes to receive, received */
	bool eof;
};

/* Reads what arrived and checks it against the pattern; false on a wrong
 * byte. */
static bool take(struct side *s, long cycle)
{
	uint8_t buf[MAX_DATA];
	bool eof = false;
	size_t n;
	while ((n = tcp_recv(s->t, buf, sizeof buf, &eof)) > 0) {
		for (size_t k = 0; k < n; k++)
			if (buf[k] != pattern(cycle, s->dir, s->got + k) || s->got + k >= s->want) {
				printf("soak: WRONG BYTE in cycle %ld at offset %zu\n", cycle, s->got + k);
				return false;
			}
		s->got += n;
	}
	s->eof = s->eof || eof;
	return true;
}

/* Both ends closed at once, so it is often a simultaneous close: both
 * may end in TIME-WAIT, which then expires during later cycles. */
static bool over(const struct tcb *t)
{
	return t->state == TCP_TIME_WAIT || t->state == TCP_CLOSED;
}

static bool done(const struct side *c, const struct side *s)
{
	return c->eof && s->eof && c->got == c->want && s->got == s->want && over(c->t) && over(s->t);
}

static bool send_all(struct tcb *t, int dir, long cycle, size_t len)
{
	uint8_t buf[MAX_DATA];
	for (size_t k = 0; k < len; k++)
		buf[k] = pattern(cycle, dir, k);
	struct err e;
	if (tcp_send(t, buf, len, &e) < 0) {
		printf("soak: send failed in cycle %ld: %s\n", cycle, e.msg);
		return false;
	}
	return true;
}

/* One whole connection; false (after saying why) if anything went wrong. */
static bool cycle(struct world *w, struct tcb *l, long i, uint64_t *bytes)
{
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	struct err e;
	struct tcb *c = tcp_connect(a, b->ip, 80, 0, &e);
	if (!c) {
		printf("soak: connect failed in cycle %ld: %s\n", i, e.msg);
		return false;
	}
	sock_ref(&c->sock);
	struct tcb *s = NULL;
	long steps = 0;
	while (!(s = tcp_accept(l)) && c->state != TCP_CLOSED && steps++ < STEPS_PER_CYCLE)
		world_step(w);
	if (!s) {
		printf("soak: cycle %ld never connected (%s)\n", i, tcp_state_names[c->state]);
		sock_unref(&c->sock);
		return false;
	}
	sock_ref(&s->sock);
	struct side sc = {c, 1, 1 + (size_t)(i * 7919 % MAX_DATA), 0, false};
	struct side ss = {s, 0, 1 + (size_t)(i * 104729 % MAX_DATA), 0, false};
	bool ok = send_all(c, 0, i, ss.want) && send_all(s, 1, i, sc.want) && tcp_close(c, &e) == 0 &&
		  tcp_close(s, &e) == 0;
	while (ok && !done(&sc, &ss) && steps++ < STEPS_PER_CYCLE) {
		if (!world_step(w))
			break;
		ok = take(&sc, i) && take(&ss, i);
	}
	if (ok && !done(&sc, &ss)) {
		printf("soak: cycle %ld did not finish: %s and %s, %zu of %zu and %zu of %zu bytes\n", i,
		       tcp_state_names[c->state], tcp_state_names[s->state], sc.got, sc.want, ss.got, ss.want);
		ok = false;
	}
	*bytes += sc.got + ss.got;
	sock_unref(&c->sock);
	sock_unref(&s->sock);
	return ok;
}

int main(int argc, char **argv)
{
	long cycles = argc > 1 ? atol(argv[1]) : 1000000;
	if (cycles < 10) {
		fputs("usage: soak [CYCLES]  (at least 10)\n", stderr);
		return 2;
	}
	long warm = cycles / 10;
	struct world *w = world_new(2026);
	w->link.loss_ppm = 10000;	/* 1% */
	struct counts k = {0, 0, 0};
	w->trace.on_event = count;
	w->trace.ctx = &k;
	struct tcb *l = tcp_listen(&w->hosts[1], 80, NULL);
	uint64_t bytes = 0, sent = 0;
	long rss_warm = 0, i;
	bool ok = true;
	for (i = 0; i < cycles && ok; i++) {
		if (i == warm)
			rss_warm = rss_kb();
		ok = cycle(w, l, i, &bytes);
		sent += 2 + (uint64_t)(i * 7919 % MAX_DATA) + (uint64_t)(i * 104729 % MAX_DATA);
		if ((i + 1) % (cycles / 10) == 0)
			printf("soak: %8ld cycles, %7.0f s of virtual time, %12llu bytes, rss %ld KB\n", i + 1,
			       (double)w->q.now / VTIME_S, (unsigned long long)bytes, rss_kb());
	}
	long rss_end = rss_kb();
	long growth = rss_end - rss_warm;
	printf("%-34s %14ld\n", "soak_cycles", i);
	printf("%-34s %14llu %s\n", "soak_frames_sent", (unsigned long long)k.frames, "frames");
	printf("%-34s %14llu %s\n", "soak_frames_lost", (unsigned long long)k.lost, "frames (1% loss)");
	printf("%-34s %14llu %s\n", "soak_retransmissions", (unsigned long long)k.retrans, "segments");
	printf("%-34s %14llu %s\n", "soak_bytes_sent", (unsigned long long)sent, "bytes");
	printf("%-34s %14llu %s\n", "soak_bytes_received", (unsigned long long)bytes, "bytes");
	printf("%-34s %14ld %s\n", "soak_rss_after_warm_up", rss_warm, "KB");
	printf("%-34s %14ld %s\n", "soak_rss_at_end", rss_end, "KB");
	printf("%-34s %14ld %s\n", "soak_rss_growth", growth, "KB (target < 1024)");
	world_free(w);
	bool pass = ok && bytes == sent && growth < 1024;
	if (ok && bytes != sent)
		printf("soak: %llu bytes sent but %llu received\n", (unsigned long long)sent, (unsigned long long)bytes);
	if (ok && growth >= 1024)
		printf("soak: resident memory grew by %ld KB after the warm-up\n", growth);
	printf("soak: %s\n%d passed, %d failed\n", pass ? "PASS" : "FAIL", pass, !pass);
	return pass ? 0 : 1;
}
