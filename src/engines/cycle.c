/* cycle.c - recognising that a deterministic dynamic engine's run has come
 * back to an earlier state, bit for bit (docs/models/eu.md, "Cycles"): from
 * then on its rounds repeat, so its last round's forecast depends on the
 * number of rounds, and pl__outcome_cycle reports the mean over the cycle
 * instead.  The engine says what its state is; this file only remembers
 * the states and finds a repeat. */
#include "engines/engine_impl.h"

#include <stdlib.h>
#include <string.h>

uint64_t pl__state_hash(const double *x, size_t k)
{
	uint64_t h = 1469598103934665603u;
	for (size_t i = 0; i < k; i++) {
		uint64_t b;
		memcpy(&b, &x[i], sizeof b);
		h = (h ^ b) * 1099511628211u;
		h ^= h >> 29;
	}
	return h;
}

void pl__states_init(pl__states *h, size_t k)
{
	memset(h, 0, sizeof *h);
	h->k = k;
}

int pl__states_add(pl__states *h, const double *x, size_t *repeat)
{
	const size_t k = h->k;
	if (h->len == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		uint64_t *hash = realloc(h->hash, cap * sizeof *hash);
		if (!hash)
			return PL_ENOMEM;
		h->hash = hash;
		double *s = realloc(h->x, cap * (k ? k : 1) * sizeof *s);
		if (!s)
			return PL_ENOMEM;
		h->x = s;
		h->cap = cap;
	}
	uint64_t hx = pl__state_hash(x, k);
	*repeat = h->len;
	for (size_t s = 0; s < h->len && *repeat == h->len; s++)
		if (h->hash[s] == hx && memcmp(h->x + s * k, x, k * sizeof *x) == 0)
			*repeat = s;
	memcpy(h->x + h->len * k, x, k * sizeof *x);
	h->hash[h->len++] = hx;
	return PL_OK;
}

void pl__states_free(pl__states *h)
{
	free(h->hash);
	free(h->x);
	memset(h, 0, sizeof *h);
}
