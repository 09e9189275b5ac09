/* make bench: named speed figures, measured in CPU time on one core.
 * Never part of the tests; the figures go in the closing notes. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "proto/field.h"
#include "proto/pkt.h"
#include "sim/world.h"
#include "stack/tcp.h"

#include "../rss.h"

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* BENCH_PACKETS=N shortens the encode and decode loops (for callgrind). */
static long packets(void)
{
	return getenv("BENCH_PACKETS") ? atol(getenv("BENCH_PACKETS")) : 20000000;
}

static void figure(const char *name, double value, const char *unit, const char *target)
{
	printf("%-34s %14.0f %-12s %s\n", name, value, unit, target);
}

/* A rate swings from run to run on a shared machine (a VM's neighbours,
 * its clock): each rate is measured in ROUNDS equal rounds and the figure
 * is their median, with the slowest and the fastest round beside it. */
enum { ROUNDS = 5 };

struct rounds {
	double rate[ROUNDS];
	int n;
	double t0;	/* when the round under way began (CPU seconds) */
};

static void round_begin(struct rounds *r)
{
	r->t0 = cpu_seconds();
}

/* The round under way ends having done `work` (packets, cycles, MB). */
static void round_end(struct rounds *r, double work)
{
	double dt = cpu_seconds() - r->t0;
	if (r->n < ROUNDS)
		r->rate[r->n++] = work / (dt > 0 ? dt : 1e-9);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void figure_rounds(const char *name, struct rounds *r, const char *unit, const char *target)
{
	if (r->n == 0)
		return;
	qsort(r->rate, (size_t)r->n, sizeof r->rate[0], by_value);
	printf("%-34s %14.0f %-12s %-40s median of %d, %.0f to %.0f\n", name, r->rate[r->n / 2], unit, target,
	       r->n, r->rate[0], r->rate[r->n - 1]);
}

static void build_syn(struct pkt *p)
{
	pkt_init(p);
	pkt_push(p, &proto_eth, NULL);
	pkt_push(p, &proto_ipv4, NULL);
	struct layer *t = pkt_push(p, &proto_tcp, NULL);
	t->h.tcp.dport = 80;
	t->h.tcp.flags = TCP_SYN;
	t->h.tcp.mss = 1460;
	t->given |= 1u << TCP_F_DPORT | 1u << TCP_F_FLAGS | 1u << TCP_F_MSS;
}

/* Encode: set a sequence number, encode the whole frame (lengths,
 * checksums) into a reused buffer. */
static void bench_encode(void)
{
	struct pkt p;
	build_syn(&p);
	struct buf out = BUF_INIT;
	const long n = packets() / ROUNDS;
	uint64_t sink = 0;
	struct rounds r = {0};
	for (int k = 0; k < ROUNDS; k++) {
		round_begin(&r);
		for (long i = 0; i < n; i++) {
			p.layer[2].h.tcp.seq = (uint32_t)i;
			p.layer[2].given |= 1u << TCP_F_SEQ;
			pkt_encode(&p, NULL, &out);
			sink += buf_data(&out)[50];
		}
		round_end(&r, (double)n);
	}
	figure_rounds("encode_eth_ipv4_tcp_syn", &r, "packets/s", "(target >= 5000000)");
	if (sink == 1)
		puts("");
	buf_free(&out);
	pkt_free(&p);
}

/* Decode: every layer, every field, checksums verified. */
static void bench_decode(void)
{
	struct pkt p;
	build_syn(&p);
	const struct buf *f = pkt_frame(&p);
	uint8_t frame[128];
	size_t len = f->len;
	memcpy(frame, buf_data(f), len);
	struct pkt d;
	pkt_init(&d);
	const long n = packets() / ROUNDS;
	uint64_t sink = 0;
	struct rounds r = {0};
	for (int k = 0; k < ROUNDS; k++) {
		round_begin(&r);
		for (long i = 0; i < n; i++) {
			pkt_decode(&d, frame, len);
			sink += d.layer[2].h.tcp.mss + d.layer[2].csum_status;
		}
		round_end(&r, (double)n);
	}
	figure_rounds("decode_eth_ipv4_tcp_syn", &r, "packets/s", "(target >= 5000000)");
	if (sink != (uint64_t)n * ROUNDS * (1460 + CSUM_GOOD))
		puts("decode_eth_ipv4_tcp_syn: WRONG RESULT");
	pkt_free(&d);
	pkt_free(&p);
}

/* A world for measuring: the trace keeps its last events only, without
 * frame bytes, as a long session would. */
static struct world *bench_world(uint64_t seed)
{
	struct world *w = world_new(seed);
	trace_free(&w->trace);
	trace_init(&w->trace, 4096);
	w->trace.keep_frames = false;
	return w;
}

static void drain(struct tcb *t, uint8_t *buf, size_t cap, uint64_t *got)
{
	bool eof;
	size_t n;
	while ((n = tcp_recv(t, buf, cap, &eof)) > 0)
		*got += n;
}

/* Open, 1 KB each way, close, TIME-WAIT expiry: whole connection cycles. */
static void bench_cycles(void)
{
	struct world *w = bench_world(1);
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	struct tcb *l = tcp_listen(b, 80, NULL);
	uint8_t kb[1024], buf[4096];
	memset(kb, 'x', sizeof kb);
	const long n = getenv("BENCH_CYCLES") ? atol(getenv("BENCH_CYCLES")) : 100000;
	const long per_round = n / ROUNDS > 0 ? n / ROUNDS : 1;
	uint64_t got = 0;
	struct rounds r = {0};
	round_begin(&r);
	for (long i = 0; i < n; i++) {
		struct tcb *c = tcp_connect(a, b->ip, 80, 0, NULL);
		world_run(w, 0);
		struct tcb *s = tcp_accept(l);
		tcp_send(c, kb, sizeof kb, NULL);
		tcp_send(s, kb, sizeof kb, NULL);
		world_run(w, 0);
		drain(c, buf, sizeof buf, &got);
		drain(s, buf, sizeof buf, &got);
		tcp_close(c, NULL);
		tcp_close(s, NULL);
		world_run(w, 0);
		world_wait(w, 2 * w->set.msl + VTIME_MS);
		if (c->state != TCP_CLOSED || s->state != TCP_CLOSED) {
			printf("connection_cycles: WRONG STATE at cycle %ld\n", i);
			break;
		}
		if ((i + 1) % per_round == 0) {
			round_end(&r, (double)per_round);
			round_begin(&r);
		}
	}
	figure_rounds("connection_cycles", &r, "cycles/s", "(target >= 300000)");
	if (got != (uint64_t)n * 2048)
		printf("connection_cycles: WRONG RESULT: %llu bytes delivered\n", (unsigned long long)got);
	world_free(w);
}

/* One connection, a sends `total` bytes, b reads as they come. */
static void bench_bulk(const char *name, uint32_t loss_ppm, uint64_t total, const char *target)
{
	struct world *w = bench_world(2);
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	struct tcb *l = tcp_listen(b, 80, NULL);
	struct tcb *c = tcp_connect(a, b->ip, 80, 0, NULL);
	world_run(w, 0);
	struct tcb *s = tcp_accept(l);
	w->link.loss_ppm = loss_ppm;
	static uint8_t chunk[65536], buf[65536];
	for (size_t i = 0; i < sizeof chunk; i++)
		chunk[i] = (uint8_t)i;
	uint64_t sent = 0, got = 0, round_start = 0;
	const uint64_t per_round = total / ROUNDS;
	struct rounds r = {0};
	round_begin(&r);
	while (got < total) {
		while (sent < total && c->sndq.len < 4 * sizeof chunk) {
			tcp_send(c, chunk, sizeof chunk, NULL);
			sent += sizeof chunk;
		}
		if (!world_step(w))
			break;
		drain(s, buf, sizeof buf, &got);
		if (got - round_start >= per_round && r.n < ROUNDS - 1) {
			round_end(&r, (double)(got - round_start) / 1e6);
			round_start = got;
			round_begin(&r);
		}
	}
	/* The last round takes what is left: rounds end on whole reads, so
	 * the others each took a little more than their share. */
	round_end(&r, (double)(got - round_start) / 1e6);
	figure_rounds(name, &r, "MB/s", target);
	if (got != total)
		printf("%s: WRONG RESULT: %llu of %llu bytes\n", name, (unsigned long long)got, (unsigned long long)total);
	world_free(w);
}

/* 100000 connections open at once, idle: what each costs. */
static void bench_memory(void)
{
	struct world *w = bench_world(3);
	struct host *a = &w->hosts[0], *b = &w->hosts[1];
	struct tcb *l80 = tcp_listen(b, 80, NULL), *l81 = tcp_listen(b, 81, NULL);
	const int n = 100000;
	/* Warm up the allocator, then measure. */
	long before = rss_kb();
	int open = 0;
	for (int i = 0; i < n; i++) {
		uint16_t port = i < n / 2 ? 80 : 81;
		uint16_t sport = (uint16_t)(1024 + i % (n / 2));
		if (tcp_connect(a, b->ip, port, sport, NULL))
			open++;
		if (i % 64 == 63) {
			world_run(w, 0);
			while (tcp_accept(l80) || tcp_accept(l81))
				;
		}
	}
	world_run(w, 0);
	while (tcp_accept(l80) || tcp_accept(l81))
		;
	long after = rss_kb();
	int established = 0;
	for (int h = 0; h < 2; h++)
		for (struct sock *s = w->hosts[h].first; s; s = s->next)
			established += ((struct tcb *)s)->state == TCP_ESTABLISHED;
	double per_conn = (double)(after - before) * 1024 / (established / 2.0);
	figure("idle_connections_open", established / 2.0, "connections", "(target: 100000 fit)");
	figure("memory_per_idle_connection", per_conn / 2, "bytes/TCB", "(target <= 1024; both ends counted apart)");
	printf("%-34s %14zu %-12s\n", "sizeof(struct tcb)", sizeof(struct tcb), "bytes");
	(void)open;
	world_free(w);
}

/* bench [NAME...]: all figures, or only those named (encode, decode,
 * cycles, bulk, memory). */
static bool wanted(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	if (wanted(argc, argv, "encode"))
		bench_encode();
	if (wanted(argc, argv, "decode"))
		bench_decode();
	if (wanted(argc, argv, "cycles"))
		bench_cycles();
	if (wanted(argc, argv, "bulk")) {
		bench_bulk("bulk_transfer_no_loss", 0, getenv("BENCH_BULK_MB") ? (uint64_t)atol(getenv("BENCH_BULK_MB")) << 20 : 1ull << 30,
			   "(target >= 1000 MB per CPU second)");
		bench_bulk("bulk_transfer_1pct_loss", 10000,
			   getenv("BENCH_LOSS_MB") ? (uint64_t)atol(getenv("BENCH_LOSS_MB")) << 20 : 256ull << 20,
			   "(reported; 256 MB sent)");
	}
	if (wanted(argc, argv, "memory"))
		bench_memory();
	return 0;
}
