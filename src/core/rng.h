/* rng.h - the library's random numbers, all counter-based so that a draw is
 * a pure function of the seed and its counters, whatever the thread or rank
 * that asks: Philox4x32-10 (Salmon et al. 2011) exposed as a GSL generator
 * for sweeps, and a hashed uniform draw for engines (smp's random turns). */
#ifndef PL_CORE_RNG_H
#define PL_CORE_RNG_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

/* One Philox4x32-10 block: ctr and key in, four words out. */
void pl__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);

typedef struct pl_stream {
	uint32_t key[2];
	uint32_t ctr[4]; /* ctr[0] block, ctr[1] stream id, ctr[2..3] sample */
	uint32_t buf[4];
	unsigned used; /* words of buf already handed out */
} pl_stream;

/* A GSL generator over a pl_stream (no allocation): rng->state = st. */
typedef struct pl_stream_rng {
	pl_stream st;
	gsl_rng rng;
} pl_stream_rng;

/* Positions r at the start of stream (seed, sample, id). */
void pl__stream_rng_init(pl_stream_rng *r, uint64_t seed, uint64_t sample, uint32_t id);

/* A 64-bit value that depends on (seed, sample) only: the per-sample seed
 * handed to stochastic engines. */
uint64_t pl__sample_seed(uint64_t seed, uint64_t sample);

/* A uniform draw in [0, 1) for (seed, a, b): three rounds of the SplitMix64
 * finaliser over the seed and the two counters (smp: the turn, the actor). */
double pl__counter_uniform(uint64_t seed, uint64_t a, uint64_t b);

#endif
