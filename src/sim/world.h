/* A world: hosts a and b on one link under a virtual clock, with one
 * seeded PRNG and one trace. Everything is inside this value: worlds are
 * created, cloned and freed explicitly, and never share state, so a lesson
 * check, a snapshot and the REPL can each have their own. */
#ifndef STACKLAB_SIM_WORLD_H
#define STACKLAB_SIM_WORLD_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/evq.h"
#include "core/prng.h"
#include "core/trace.h"
#include "link/link.h"
#include "stack/host.h"

#define WORLD_HOSTS 2

struct world {
	uint64_t seed;
	struct prng rng;
	struct evq q;
	struct trace trace;
	struct link link;
	struct stack_settings set;
	struct stack_env env;
	struct blockpool pool;	/* env.pool */
	struct host hosts[WORLD_HOSTS];
	int nhosts;
	/* Every frame put on the wire, as it goes (--pcap). */
	void (*frame_hook)(void *ctx, vtime t, const uint8_t *frame, size_t len);
	void *hook_ctx;
	/* Set (from a signal handler too) to stop a running world. */
	volatile sig_atomic_t interrupt;
	uint64_t events;	/* events processed so far */
};

/* The default world of SPEC section 2. */
struct world *world_new(uint64_t seed);
void world_free(struct world *w);
/* A deep copy: same hosts, sockets, frames in flight, timers and trace. */
struct world *world_clone(const struct world *w);

/* "a", "B", "10.0.0.2": the host, or NULL. */
struct host *world_host(struct world *w, const char *name);
struct host *world_host_by_ip(struct world *w, uint32_t ip);
/* The other host of the two. */
struct host *world_peer(struct world *w, const struct host *h);

/* Delivers the next event (a frame arriving or a timer firing); false when
 * there is none. */
bool world_step(struct world *w);
/* Runs until nothing is in flight; returns the events processed, or -1 if
 * interrupted or past `max_events`. */
long world_run(struct world *w, long max_events);
/* Advances the clock by d: everything due in that time happens. Returns
 * the events processed, or -1 if interrupted. */
long world_wait(struct world *w, vtime d);
size_t world_inflight(const struct world *w);

/* Drops in-flight frame i (0-based); its trace event says so. */
int world_drop_inflight(struct world *w, size_t i);
void world_set_latency(struct world *w, vtime latency);
void world_reseed(struct world *w, uint64_t seed);

#endif
