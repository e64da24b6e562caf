/* eu_history.h - the rows of positions an eu run has produced, so that a
 * row repeating an earlier one (a cycle) can be recognised and the rest of
 * the run copied instead of recomputed (docs/models/eu.md, "Cost"). */
#ifndef PL_ENGINES_EU_HISTORY_H
#define PL_ENGINES_EU_HISTORY_H

#include "engines/engine_impl.h"

#include <stdint.h>

/* Row r of the run is row base + r of the outcome buffer. */
typedef struct pl__eu_history {
	size_t len, cap, base;
	uint64_t *hash; /* of each row's bits */
	size_t *moved;	/* actors that moved into each row */
} pl__eu_history;

/* Records the row just pushed to the outcome (n positions x). */
int pl__eu_history_add(pl__eu_history *h, const double *x, size_t n, size_t moved);
/* The earlier row equal bit for bit to the last one, or h->len. */
size_t pl__eu_history_repeat(const pl__eu_history *h, const pl_outcome_buf *out, size_t n);
/* The last row repeats row s: pushes the rows that follow, period by
 * period, until *played reaches rounds, adding their moves to *moves; x
 * (n long) ends as the last row. */
int pl__eu_history_replay(pl__eu_history *h, size_t s, pl_outcome_buf *out, size_t rounds,
			  double *x, size_t *played, size_t *moves);
void pl__eu_history_free(pl__eu_history *h);

#endif
