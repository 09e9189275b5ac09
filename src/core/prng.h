/* The one source of randomness in a world: xoshiro256** seeded through
 * splitmix64 from the world's seed, so that loss and ISNs repeat exactly. */
#ifndef STACKLAB_CORE_PRNG_H
#define STACKLAB_CORE_PRNG_H

#include <stdbool.h>
#include <stdint.h>

struct prng {
	uint64_t s[4];
};

void prng_seed(struct prng *r, uint64_t seed);
uint64_t prng_next(struct prng *r);
/* Uniform in [0, n), n > 0. */
uint64_t prng_below(struct prng *r, uint64_t n);
/* True with probability ppm / 1000000. */
bool prng_chance_ppm(struct prng *r, uint32_t ppm);
/* A 64-bit mix of one value (splitmix64's finaliser): a keyed hash. */
uint64_t mix64(uint64_t x);

#endif
