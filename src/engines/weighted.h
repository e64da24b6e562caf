/* weighted.h - weighted means and medians, shared by the engines. */
#ifndef PL_WEIGHTED_H
#define PL_WEIGHTED_H

#include <stddef.h>

#include "parley/error.h"

typedef struct pl_wpair {
	double x, w;
} pl_wpair;

/* sum(w x) / sum(w); NAN when sum(w) == 0. */
double pl__weighted_mean(size_t n, const double *x, const double *w);

/* The weighted median of x with weights w >= 0 (sum(w) > 0): the smallest
 * position at which the cumulative weight from below reaches half of the
 * total.  When it reaches exactly half (to 1e-12 relative) the median is
 * the midpoint between that position and the next one above, so the rule
 * does not depend on the order of the actors or on the scale's direction.
 * scratch must hold n pairs. */
double pl__weighted_median(size_t n, const double *x, const double *w, pl_wpair *scratch);

/* Fills w[i] = cap[i] * sal[i]; when all of those are 0 (no one cares),
 * falls back to w[i] = cap[i].  Returns 1 when it fell back. */
int pl__power_weights(size_t n, const double *cap, const double *sal, double *w);
/* The error of compromise and median when pl__power_weights fell back: no
 * actor cares about the issue, so there is nothing to weight (as when
 * every capability is 0). */
int pl__no_salience(pl_error *err);

#endif
