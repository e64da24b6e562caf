/* rng.c - Philox4x32-10 (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011) and a gsl_rng_type over it.  The
 * known-answer vectors of Random123 are checked in tests/unit. */
#include "core/rng.h"

#include <string.h>

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

static void philox_round(uint32_t c[4], const uint32_t k[2])
{
	uint64_t p0 = (uint64_t)PHILOX_M0 * c[0];
	uint64_t p1 = (uint64_t)PHILOX_M1 * c[2];
	uint32_t hi0 = (uint32_t)(p0 >> 32), lo0 = (uint32_t)p0;
	uint32_t hi1 = (uint32_t)(p1 >> 32), lo1 = (uint32_t)p1;
	uint32_t n0 = hi1 ^ c[1] ^ k[0], n2 = hi0 ^ c[3] ^ k[1];
	c[0] = n0;
	c[1] = lo1;
	c[2] = n2;
	c[3] = lo0;
}

void pl__philox4x32_10(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4])
{
	uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
	uint32_t k[2] = {key[0], key[1]};
	for (int r = 0; r < 10; r++) {
		if (r) {
			k[0] += PHILOX_W0;
			k[1] += PHILOX_W1;
		}
		philox_round(c, k);
	}
	memcpy(out, c, sizeof c);
}

static void stream_refill(pl_stream *s)
{
	pl__philox4x32_10(s->ctr, s->key, s->buf);
	s->ctr[0]++; /* 2^32 blocks per stream; ctr[1] is the stream id */
	s->used = 0;
}

static unsigned long stream_get(void *state)
{
	pl_stream *s = state;
	if (s->used == 4)
		stream_refill(s);
	return s->buf[s->used++];
}

static double stream_get_double(void *state)
{
	return (double)stream_get(state) / 4294967296.0;
}

/* GSL seeds generators itself only through gsl_rng_set; streams are placed
 * with pl__stream_rng_init instead, so set only restarts the counter. */
static void stream_set(void *state, unsigned long seed)
{
	pl_stream *s = state;
	s->ctr[0] = 0;
	s->used = 4;
}

static const gsl_rng_type philox_type = {
	.name = "philox4x32-10",
	.max = 0xffffffffUL,
	.min = 0,
	.size = sizeof(pl_stream),
	.set = stream_set,
	.get = stream_get,
	.get_double = stream_get_double,
};

void pl__stream_rng_init(pl_stream_rng *r, uint64_t seed, uint64_t sample, uint32_t id)
{
	pl_stream *s = &r->st;
	s->key[0] = (uint32_t)seed;
	s->key[1] = (uint32_t)(seed >> 32);
	s->ctr[0] = 0;
	s->ctr[1] = id;
	s->ctr[2] = (uint32_t)sample;
	s->ctr[3] = (uint32_t)(sample >> 32);
	s->used = 4;
	r->rng.type = &philox_type;
	r->rng.state = s;
}

uint64_t pl__sample_seed(uint64_t seed, uint64_t sample)
{
	uint32_t ctr[4] = {0, 0xffffffffu, (uint32_t)sample, (uint32_t)(sample >> 32)};
	uint32_t key[2] = {(uint32_t)seed, (uint32_t)(seed >> 32)};
	uint32_t out[4];
	pl__philox4x32_10(ctr, key, out);
	return ((uint64_t)out[1] << 32) | out[0];
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

double pl__counter_uniform(uint64_t seed, uint64_t a, uint64_t b)
{
	uint64_t z = mix64(seed + 0x9E3779B97F4A7C15ull);
	z = mix64(z ^ (a * 0xD1B54A32D192ED03ull));
	z = mix64(z ^ (b * 0xAEF17502108EF2D9ull + 1));
	return (double)(z >> 11) * (1.0 / 9007199254740992.0);
}
