/* weighted.c - weighted means and medians (docs/models/median.md gives the
 * tie rule). */
#include "engines/weighted.h"

#include <math.h>
#include <stdlib.h>

double pl__weighted_mean(size_t n, const double *x, const double *w)
{
	double sw = 0, swx = 0;
	for (size_t i = 0; i < n; i++) {
		sw += w[i];
		swx += w[i] * x[i];
	}
	return sw > 0 ? swx / sw : NAN;
}

static int cmp_pair(const void *a, const void *b)
{
	double x = ((const pl_wpair *)a)->x, y = ((const pl_wpair *)b)->x;
	return (x > y) - (x < y);
}

double pl__weighted_median(size_t n, const double *x, const double *w, pl_wpair *p)
{
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		p[i].x = x[i];
		p[i].w = w[i];
		total += w[i];
	}
	qsort(p, n, sizeof *p, cmp_pair);
	double half = total / 2, cum = 0, tol = 1e-12 * total;
	for (size_t i = 0; i < n;) {
		/* one group of equal positions at a time */
		size_t j = i;
		while (j < n && p[j].x == p[i].x)
			cum += p[j++].w;
		if (cum >= half - tol) {
			if (fabs(cum - half) <= tol) {
				size_t k = j;
				while (k < n && p[k].w == 0)
					k++;
				if (k < n)
					return (p[i].x + p[k].x) / 2;
			}
			return p[i].x;
		}
		i = j;
	}
	return p[n - 1].x;
}

int pl__no_salience(pl_error *err)
{
	return pl_error_set(err, PL_EINPUT, NULL,
			    "every salience is 0: no actor cares about this issue, so there is "
			    "no capability x salience weight to forecast with");
}

int pl__power_weights(size_t n, const double *cap, const double *sal, double *w)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += (w[i] = cap[i] * sal[i]);
	if (total > 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = cap[i];
	return 1;
}
