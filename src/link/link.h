/* The wire: one full-duplex Ethernet segment with a one-way latency, the
 * frames in flight on it, and the faults a teacher puts on it (drop, delay
 * or duplicate the next matching frame; drop a frame in flight; random
 * loss). The link decides a frame's fate and carries it; the world records
 * it in the trace and hands it to the receiving host. */
#ifndef STACKLAB_LINK_LINK_H
#define STACKLAB_LINK_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/evq.h"
#include "core/prng.h"

#define LINK_MAX_RULES 64
/* The wire holds at most this many frames at once; more are lost, as a
 * full queue loses them (only a chunk of Lua injecting in a loop gets
 * there: TCP's window keeps its own traffic far below). */
#define LINK_MAX_IN_FLIGHT 100000
#define LINK_ANY (-1)

/* What a rule can see of a frame. */
struct frame_info {
	int8_t from, to;	/* host indexes */
	bool tcp;
	uint8_t flags;		/* TCP flags */
};

enum rule_kind { RULE_DROP, RULE_DELAY, RULE_DUP };

struct link_rule {
	uint8_t kind;
	int8_t from, to;	/* LINK_ANY or a host index */
	bool match_flags;	/* only TCP segments with exactly these flags */
	uint8_t flags;
	uint32_t count;		/* frames it still acts on */
	vtime delay;		/* RULE_DELAY */
};

struct flight {
	struct timer t;		/* fires when the frame arrives */
	struct link *link;
	uint64_t trace_n;	/* the frame's trace event */
	int8_t from, to;
	uint16_t len;
	uint16_t cap;		/* bytes of storage in `bytes` */
	uint8_t bytes[];
};

/* Frames in flight come and go by the million; their storage is kept for
 * the next ones, by size class (twice the frame at most), up to
 * LINK_SPARES of each class. */
#define LINK_FLIGHT_CLASSES 5
#define LINK_SPARES 128

struct link {
	struct evq *q;
	struct prng *rng;
	vtime latency;
	uint32_t loss_ppm;	/* random loss, parts per million */
	struct flight **fl;	/* in flight, in the order sent: nfl of them */
	size_t nfl;
	/* fl lies inside this storage of capfl. Frames mostly arrive in
	 * the order sent, so the first goes by moving fl up, not the rest
	 * down. */
	struct flight **flstore;
	size_t capfl;
	struct link_rule rules[LINK_MAX_RULES];
	size_t nrules;
	struct flight *spare[LINK_FLIGHT_CLASSES][LINK_SPARES];
	uint8_t nspare[LINK_FLIGHT_CLASSES];
	/* Hands an arrived frame up; the flight is freed after it returns. */
	void (*deliver)(void *ctx, const struct flight *f);
	void *ctx;
};

/* What happens to a frame put on the wire. */
struct fate {
	bool dropped;
	uint8_t cause;		/* enum drop_cause */
	vtime extra_delay;
	bool dup;
};

void link_init(struct link *l, struct evq *q, struct prng *rng, vtime latency);
void link_free(struct link *l);
/* Applies the rules (using up their counts) and the random loss. */
struct fate link_decide(struct link *l, const struct frame_info *fi);
/* Puts a frame in flight, to arrive at `when`. */
void link_carry(struct link *l, const struct frame_info *fi, const uint8_t *bytes, size_t len,
		uint64_t trace_n, vtime when);
/* Takes in-flight frame i (0-based, in the order sent) off the wire;
 * returns its trace event number, or 0 when there is no such frame. */
uint64_t link_drop_inflight(struct link *l, size_t i);
int link_add_rule(struct link *l, const struct link_rule *r);
void link_clear_rules(struct link *l);
/* Takes every frame off the wire without delivering it. */
void link_flush(struct link *l);
/* A flight with room for len bytes, its fields unset: a spare when one
 * fits. Given back with link_flight_free. */
struct flight *link_flight_new(struct link *l, size_t len);
void link_flight_free(struct link *l, struct flight *f);

#endif
