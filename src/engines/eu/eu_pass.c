/* eu_pass.c - one pass of the expected-utility engine over the positions of
 * a round: the actors sorted, the distinct positions and the logs of their
 * distances, every pair's win probability from the votes (prefix sums over
 * voters sorted by position: O(n m) rather than O(n m^2)), the dangers with
 * every exponent at 1 and the risk exponents (docs/models/eu.md, steps 1-3
 * and "Cost"). */
#include "engines/eu/eu_work.h"
#include "engines/weighted.h"

#include <stdlib.h>
#include <string.h>

void pl__eu_work_free(eu_work *k)
{
	free(k->w);
	pl__eu_stream_free(k);
}

/* One block for every array of a run (sized by n, not by the rounds). */
int pl__eu_work_alloc(eu_work *k, size_t n)
{
	size_t nn = n ? n : 1;
	double **vec[] = {&k->w,      &k->cw, &k->x,	&k->xn, &k->r,	&k->rv,
			  &k->danger, &k->ux, &k->mult, &k->es, &k->ef, &k->old_ux};
	double **mat[] = {&k->prob, &k->ld, &k->ls, &k->lf, &k->old_ld, &k->old_ls, &k->old_lf};
	size_t nvec = sizeof vec / sizeof vec[0], nmat = sizeof mat / sizeof mat[0];
	/* streaming: no pairwise tables (m x m, and the (n + 1) x m sums) */
	size_t nsq = k->stream ? 0 : nn;
	/* eu_slot is two 8-byte words; size_t fits in a double's slot */
	size_t words = nvec * nn + nmat * nsq * nn + (nsq + 1) * nn + 2 * nn + 3 * nn;
	double *block = malloc(words * sizeof *block);
	if (!block)
		return PL_ENOMEM;
	double *p = block;
	for (size_t i = 0; i < nvec; i++, p += nn)
		*vec[i] = p;
	for (size_t i = 0; i < nmat; i++, p += nsq * nn)
		*mat[i] = k->stream ? NULL : p;
	k->ps = p;
	p += (nsq + 1) * nn;
	k->ord = (eu_slot *)(void *)p;
	p += 2 * nn;
	k->pos_of = (size_t *)(void *)p;
	k->old_of = (size_t *)(void *)(p + nn);
	k->skip = (unsigned char *)(void *)(p + 2 * nn);
	k->old_m = 0;
	return k->stream ? pl__eu_stream_alloc(k, nn) : PL_OK;
}

static int slot_before(eu_slot a, eu_slot b)
{
	return a.x < b.x || (a.x == b.x && a.i < b.i);
}

static int cmp_slot(const void *pa, const void *pb)
{
	const eu_slot *a = pa, *b = pb;
	return slot_before(*a, *b) ? -1 : slot_before(*b, *a);
}

/* Re-sorts the actors by position.  Few move in a round, so insertion sort
 * on the previous order is close to linear; a full sort for large n. */
void pl__eu_sort_actors(eu_work *k, int fresh)
{
	size_t n = k->n;
	for (size_t t = 0; t < n; t++) {
		if (fresh)
			k->ord[t].i = t;
		k->ord[t].x = k->x[k->ord[t].i];
	}
	if (fresh && n > 32) {
		qsort(k->ord, n, sizeof *k->ord, cmp_slot);
		return;
	}
	for (size_t t = 1; t < n; t++) {
		eu_slot s = k->ord[t];
		size_t u = t;
		for (; u > 0 && slot_before(s, k->ord[u - 1]); u--)
			k->ord[u] = k->ord[u - 1];
		k->ord[u] = s;
	}
}

/* The weighted median over the sorted actors, with the tie rule of
 * pl__weighted_median (docs/models/median.md): the lowest position where
 * the cumulative weight reaches half; at exactly half, the midpoint to the
 * next position with weight. */
static double sorted_median(const eu_work *k)
{
	size_t n = k->n;
	double total = 0;
	for (size_t t = 0; t < n; t++)
		total += k->cw[k->ord[t].i];
	double half = total / 2, cum = 0, tol = 1e-12 * total;
	for (size_t t = 0; t < n;) {
		size_t u = t;
		while (u < n && k->ord[u].x == k->ord[t].x)
			cum += k->cw[k->ord[u++].i];
		if (cum >= half - tol) {
			if (fabs(cum - half) <= tol) {
				while (u < n && k->cw[k->ord[u].i] == 0)
					u++;
				if (u < n)
					return (k->ord[t].x + k->ord[u].x) / 2;
			}
			return k->ord[t].x;
		}
		t = u;
	}
	return k->ord[n - 1].x;
}

double pl__eu_central(const eu_work *k, int which)
{
	if (which == PL_EU_MEAN)
		return pl__weighted_mean(k->n, k->x, k->cw);
	return sorted_median(k);
}

/* Matches each distinct position with the same one of the previous round
 * (both lists ascending): their log tables carry over. */
static void match_old(eu_work *k)
{
	size_t u = 0;
	for (size_t a = 0; a < k->m; a++) {
		while (u < k->old_m && k->old_ux[u] < k->ux[a])
			u++;
		k->old_of[a] = u < k->old_m && k->old_ux[u] == k->ux[a] ? u : SIZE_MAX;
	}
}

static void swap_tables(eu_work *k)
{
	double *t;
	t = k->ld, k->ld = k->old_ld, k->old_ld = t;
	t = k->ls, k->ls = k->old_ls, k->old_ls = t;
	t = k->lf, k->lf = k->old_lf, k->old_lf = t;
}

/* Collects the distinct positions and the log tables of their distances.
 * A pair of positions both held last round keeps last round's logs (the
 * same arguments, so the same values); only new pairs call log. */
void pl__eu_distinct_positions(eu_work *k)
{
	size_t m = 0;
	for (size_t t = 0; t < k->n; t++) {
		if (t == 0 || k->ord[t].x != k->ord[t - 1].x) {
			k->ux[m] = k->ord[t].x;
			k->mult[m++] = 0;
		}
		k->mult[m - 1] += 1;
		k->pos_of[k->ord[t].i] = m - 1;
	}
	k->m = m;
	match_old(k);
	swap_tables(k);
	size_t om = k->old_m;
	for (size_t a = 0; a < m; a++) {
		k->ld[a * m + a] = -INFINITY;
		k->ls[a * m + a] = pl__log(0.5);
		k->lf[a * m + a] = pl__log(0.5);
		size_t oa = k->old_of[a];
		for (size_t b = a + 1; b < m; b++) {
			size_t ob = k->old_of[b];
			if (oa != SIZE_MAX && ob != SIZE_MAX) {
				k->ld[a * m + b] = k->ld[b * m + a] = k->old_ld[oa * om + ob];
				k->ls[a * m + b] = k->ls[b * m + a] = k->old_ls[oa * om + ob];
				k->lf[a * m + b] = k->lf[b * m + a] = k->old_lf[oa * om + ob];
				continue;
			}
			double d = (k->ux[b] - k->ux[a]) * k->inv_range;
			double s = 0.5 - 0.5 * d;
			k->ld[a * m + b] = k->ld[b * m + a] = pl__log(d);
			k->ls[a * m + b] = k->ls[b * m + a] = s > 0 ? pl__log(s) : -INFINITY;
			k->lf[a * m + b] = k->lf[b * m + a] = pl__log(0.5 + 0.5 * d);
		}
	}
	memcpy(k->old_ux, k->ux, m * sizeof *k->ux);
	k->old_m = m;
}

/* fmax(0, y) without the library call, for y that is never NaN. */
static inline double pos_part(double y)
{
	return y > 0 ? y : 0;
}

/* Fills prob[a*m+b], the probability that distinct position a beats b.
 * Voter k prefers the nearer of two positions with weight
 * w_k |U_k(b) - U_k(a)|, U_k(y) = (|x_k - y| / range)^rv_k (rv = 1 when
 * linear).  Every U_k grows with the distance from x_k, so for ux[a] < ux[b]
 * the voters left of the midpoint vote for a and the others for b: with
 * prefix sums over the voters in position order both totals cost O(1). */
static inline void vote_tables(eu_work *k, int linear)
{
	size_t n = k->n, m = k->m;
	double *restrict ps = k->ps, *restrict prob = k->prob;
	const double *restrict ux = k->ux;
	const eu_slot *restrict ord = k->ord;
	double inv_range = k->inv_range;
	for (size_t a = 0; a < m; a++)
		ps[a] = 0;
	for (size_t t = 0; t < n; t++) {
		size_t v = ord[t].i, pv = k->pos_of[v];
		double wv = k->w[v], rv = k->rv[v], xv = ux[pv];
		const double *prev = ps + t * m, *lg = k->ld + pv * m;
		double *row = ps + (t + 1) * m;
		if (linear || rv == 1) {
			for (size_t a = 0; a < m; a++)
				row[a] = prev[a] + wv * fabs(ux[a] - xv) * inv_range;
		} else {
			for (size_t a = 0; a < m; a++)
				row[a] = prev[a] + (a == pv ? 0 : wv * pl__exp(rv * lg[a]));
		}
	}
	const double *tot = ps + n * m;
	double all = 0;
	size_t t0 = 0; /* the midpoints of a's pairs are above all of a-1's first one */
	for (size_t a = 0; a < m; a++) {
		prob[a * m + a] = 0;
		size_t t = t0;
		double ma = k->mult[a];
		for (size_t b = a + 1; b < m; b++) {
			double mid = 0.5 * (ux[a] + ux[b]);
			while (t < n && ord[t].x < mid)
				t++;
			if (b == a + 1)
				t0 = t;
			const double *pt = ps + t * m;
			double for_a = pos_part(pt[b] - pt[a]);
			double for_b = pos_part((tot[a] - pt[a]) - (tot[b] - pt[b]));
			prob[a * m + b] = for_a;
			prob[b * m + a] = for_b;
			all += ma * k->mult[b] * (for_a + for_b);
		}
	}
	if (k->cfg.prob == PL_EU_PROB_PAIRWISE) {
		for (size_t a = 0; a < m; a++)
			for (size_t b = a + 1; b < m; b++) {
				double fa = prob[a * m + b], fb = prob[b * m + a], s = fa + fb;
				prob[a * m + b] = s > 0 ? fa / s : 0.5;
				prob[b * m + a] = s > 0 ? fb / s : 0.5;
			}
		return;
	}
	all *= 2; /* every ordered pair of actors: both directions */
	if (all > 0) {
		for (size_t e = 0; e < m * m; e++)
			prob[e] = prob[e] / all;
	} else {
		for (size_t e = 0; e < m * m; e++)
			prob[e] = 0;
	}
}

void pl__eu_vote_tables_powered(eu_work *k)
{
	vote_tables(k, 0);
}

/* Actor i's danger with every exponent at 1: what the others expect from
 * challenging i (eq. 25 summed over them), for Q < 1. */
static double danger_of(const eu_work *k, size_t i)
{
	size_t m = k->m, a = k->pos_of[i];
	const double *restrict ux = k->ux, *restrict mult = k->mult, *restrict prob = k->prob;
	double sum = 0, si = k->sal[i], xi = k->x[i], inv_range = k->inv_range;
	for (size_t b = 0; b < m; b++) {
		double cnt = mult[b] - (b == a);
		if (cnt == 0)
			continue;
		double d = fabs(ux[b] - xi) * inv_range, p = prob[b * m + a];
		double v = pl__eu_value(p, si, 0.5 - 0.5 * d, 0.5 + 0.5 * d, 0.5, k->cfg.q) +
			   pl__eu_no_challenge_term(k, fabs(ux[b] - k->mu) * inv_range + d, 1);
		sum += cnt * v;
	}
	return sum;
}

/* Every actor's danger with Q = 1.  With r = 1, U_s = 2d and U_f = -2d, so
 * a challenger at b expects 2d (1 - 2 s_i (1 - P_ba)) from challenging i
 * at a (d the distance of a and b): the danger of i is
 * 2 A_a - 4 s_i B_a, A_a = sum_b mult_b d_ab, B_a = sum_b mult_b d_ab (1 - P_ba),
 * two sums per distinct position. */
static void dangers_q1(eu_work *k)
{
	size_t m = k->m, n = k->n;
	const double *restrict ux = k->ux, *restrict mult = k->mult, *restrict prob = k->prob;
	double *restrict ga = k->es, *restrict gb = k->ef; /* scratch, refilled per actor later */
	for (size_t a = 0; a < m; a++) {
		double sa = 0, sb = 0;
		for (size_t b = 0; b < m; b++) {
			double md = mult[b] * fabs(ux[b] - ux[a]);
			sa += md;
			sb += md * (1 - prob[b * m + a]);
		}
		ga[a] = 2 * sa * k->inv_range;
		gb[a] = 4 * sb * k->inv_range;
	}
	for (size_t i = 0; i < n; i++) {
		size_t a = k->pos_of[i];
		k->danger[i] = ga[a] - k->sal[i] * gb[a];
	}
}

/* Security levels with every exponent at 1 (sec. 5): the sum of what the
 * others expect from challenging i; then R_i and r_i (eqs. 32, 33). */
void pl__eu_risk_exponents(eu_work *k)
{
	size_t n = k->n;
	for (size_t i = 0; i < n; i++)
		k->rv[i] = 1;
	vote_tables(k, 1);
	if (k->cfg.q == 1)
		dangers_q1(k);
	else
		for (size_t i = 0; i < n; i++)
			k->danger[i] = danger_of(k, i);
	pl__eu_exponents_from_dangers(k);
}

/* R_i and r_i (eqs. 32, 33) from the dangers. */
void pl__eu_exponents_from_dangers(eu_work *k)
{
	size_t n = k->n;
	double dmax = -INFINITY, dmin = INFINITY;
	for (size_t i = 0; i < n; i++) {
		double d = k->danger[i];
		dmax = d > dmax ? d : dmax;
		dmin = d < dmin ? d : dmin;
	}
	double span = dmax - dmin;
	int flat = !(span > 1e-12 * fmax(fabs(dmax), fabs(dmin)));
	for (size_t i = 0; i < n; i++) {
		double big_r = flat ? 0 : (2 * k->danger[i] - dmax - dmin) / span;
		k->r[i] = (1 - big_r / 3) / (1 + big_r / 3);
	}
}
