/* make bench: named speed figures, measured in CPU time on one core.
 * Never part of the tests; the figures go in the closing notes. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "proto/field.h"
#include "proto/pkt.h"

static double cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void figure(const char *name, double value, const char *unit, const char *target)
{
	printf("%-34s %14.0f %-12s %s\n", name, value, unit, target);
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
	const long n = 20000000;
	uint64_t sink = 0;
	double t0 = cpu_seconds();
	for (long i = 0; i < n; i++) {
		p.layer[2].h.tcp.seq = (uint32_t)i;
		p.layer[2].given |= 1u << TCP_F_SEQ;
		pkt_encode(&p, NULL, &out);
		sink += buf_data(&out)[50];
	}
	double dt = cpu_seconds() - t0;
	figure("encode_eth_ipv4_tcp_syn", n / dt, "packets/s", "(target >= 5000000)");
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
	const long n = 20000000;
	uint64_t sink = 0;
	double t0 = cpu_seconds();
	for (long i = 0; i < n; i++) {
		pkt_decode(&d, frame, len);
		sink += d.layer[2].h.tcp.mss + d.layer[2].csum_status;
	}
	double dt = cpu_seconds() - t0;
	figure("decode_eth_ipv4_tcp_syn", n / dt, "packets/s", "(target >= 5000000)");
	if (sink != (uint64_t)n * (1460 + CSUM_GOOD))
		puts("decode_eth_ipv4_tcp_syn: WRONG RESULT");
	pkt_free(&d);
	pkt_free(&p);
}

int main(void)
{
	bench_encode();
	bench_decode();
	return 0;
}
