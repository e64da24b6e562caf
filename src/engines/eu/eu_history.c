/* eu_history.c - recognising a cycle in an eu run's rows of positions and
 * replaying it.  The eu model's state is the positions alone, so a row that
 * repeats an earlier one bit for bit fixes every later round. */
#include "engines/eu/eu_history.h"

#include <stdlib.h>
#include <string.h>

int pl__eu_history_add(pl__eu_history *h, const double *x, size_t n, size_t moved)
{
	if (h->len == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		uint64_t *hash = realloc(h->hash, cap * sizeof *hash);
		if (!hash)
			return PL_ENOMEM;
		h->hash = hash;
		size_t *mv = realloc(h->moved, cap * sizeof *mv);
		if (!mv)
			return PL_ENOMEM;
		h->moved = mv;
		h->cap = cap;
	}
	h->hash[h->len] = pl__state_hash(x, n);
	h->moved[h->len++] = moved;
	return PL_OK;
}

size_t pl__eu_history_repeat(const pl__eu_history *h, const pl_outcome_buf *out, size_t n)
{
	size_t last = h->len - 1;
	const double *row = out->o.positions + (h->base + last) * n;
	for (size_t s = 0; s < last; s++)
		if (h->hash[s] == h->hash[last] &&
		    memcmp(out->o.positions + (h->base + s) * n, row, n * sizeof *row) == 0)
			return s;
	return h->len;
}

int pl__eu_history_replay(pl__eu_history *h, size_t s, pl_outcome_buf *out, size_t rounds,
			  double *x, size_t *played, size_t *moves)
{
	size_t n = out->o.n_actors, period = h->len - 1 - s;
	int rc = PL_OK;
	while (!rc && *played < rounds) {
		size_t from = h->len - period;
		/* copied out first: pushing may move the buffer */
		memcpy(x, out->o.positions + (h->base + from) * n, n * sizeof *x);
		double f = out->o.round_forecast[h->base + from];
		*moves += h->moved[from];
		(*played)++;
		rc = pl__outcome_push_round(out, x, f);
		if (!rc)
			rc = pl__eu_history_add(h, x, n, h->moved[from]);
	}
	return rc;
}

void pl__eu_history_free(pl__eu_history *h)
{
	free(h->hash);
	free(h->moved);
	memset(h, 0, sizeof *h);
}
