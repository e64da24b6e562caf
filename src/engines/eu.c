/* eu.c - Bueno de Mesquita's expected-utility model of group decisions, as
 * replicated by Scholz, Calbert & Smith (2011).  Each round: a pass with every
 * risk exponent at 1 gives the security levels and the risk exponents; a
 * second pass with those exponents gives win probabilities and the expected
 * utilities of challenges; every actor then takes its best offer
 * (confrontation, compromise or capitulation) and all move at once.
 * docs/models/eu.md gives every formula, variant and degenerate case.
 *
 * Cost per round is O(n^2) (plus a sort) rather than the naive O(n^6): the
 * votes of all voters on a pair of positions are read from prefix sums over
 * voters sorted by position (see vote_tables).  Shortcuts that change no
 * bit of the result: a cycle of positions is replayed rather than
 * recomputed, log tables carry over between rounds, and positions that
 * cannot make an actor an offer are skipped (docs/models/eu.md, "Cost"). */
#include "core/detmath.h"
#include "engines/engine_impl.h"
#include "engines/eu.h"
#include "engines/eu_history.h"
#include "engines/weighted.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { P_PROB, P_PERSPECTIVE, P_COMPROMISE, P_CAPITULATION, P_RANGE, P_Q, P_T, P_MU, P_FORECAST };

static const char *const prob_choices[] = {"global", "pairwise", NULL};
static const char *const perspective_choices[] = {"own", "each", NULL};
static const char *const compromise_choices[] = {"lowest", "nearest", NULL};
static const char *const onoff_choices[] = {"on", "off", NULL};
static const char *const range_choices[] = {"start", "scale", NULL};
static const char *const central_choices[] = {"median", "mean", NULL};

/* The defaults reproduce Scholz et al.'s table; docs/models/eu.md explains
 * every alternative. */
static const pl_param_spec eu_params[] = {
	{.info = {"prob", "global", "one global vote total (table) or eq. 30", prob_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"perspective", "own", "whose exponent prices a rival's challenge",
		  perspective_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"compromise", "lowest", "concession (table) or EU-weighted point",
		  compromise_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"capitulation", "on", "may an actor give in fully", onoff_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"range", "start", "distances over the starting spread or the scale",
		  range_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"q", "1", "probability that the status quo holds unchallenged", NULL},
	 .kind = PL_PARAM_NUMBER,
	 .lo = 0,
	 .hi = 1},
	{.info = {"t", "1", "probability that things improve unchallenged", NULL},
	 .kind = PL_PARAM_NUMBER,
	 .lo = 0,
	 .hi = 1},
	{.info = {"mu", "median", "expected outcome in U_b, U_w (when q < 1)", central_choices},
	 .kind = PL_PARAM_CHOICE},
	{.info = {"forecast", "median", "each round's forecast", central_choices},
	 .kind = PL_PARAM_CHOICE},
};

#define N_EU_PARAMS (sizeof eu_params / sizeof eu_params[0])

void pl__eu_config_default(pl__eu_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->capitulation = 1;
	cfg->q = 1;
	cfg->t = 1;
}

/* ---- the working state of one run --------------------------------------- */

/* An actor's place in the order by position. */
typedef struct eu_slot {
	double x;
	size_t i;
} eu_slot;

typedef struct eu_work {
	size_t n, m;	   /* actors; distinct positions this round */
	const double *sal; /* salience of each actor */
	double *w;	   /* vote weight c*s of each actor */
	double *cw;	   /* weights of the median and the mean */
	double inv_range;  /* 1 / the distance scale */
	pl__eu_config cfg;
	double *x, *xn;	      /* current and next positions */
	double *r;	      /* risk exponents */
	double *rv;	      /* the exponents voters use in a pass */
	double *danger;	      /* security sums */
	eu_slot *ord;	      /* actors sorted by position, ties by index */
	size_t *pos_of;	      /* actor -> its distinct position */
	double *ux;	      /* distinct positions, ascending */
	double *mult;	      /* how many actors hold each */
	double *ps;	      /* (n + 1) x m prefix sums of w_k U_k(ux[a]) */
	double *prob;	      /* m x m: prob[a*m+b] = P(position a beats b) */
	double *ld, *ls, *lf; /* m x m logs of d, 0.5 - d/2, 0.5 + d/2 (d = distance / range) */
	double *old_ux, *old_ld, *old_ls, *old_lf; /* the previous round's, old_m of them */
	size_t old_m;
	size_t *old_of;	     /* distinct position -> the same one last round, or SIZE_MAX */
	unsigned char *skip; /* per distinct position: no offer can come from there */
	double *es, *ef;     /* per distinct target: the actor in hand's (0.5 -+ d/2)^r */
	double mu;
} eu_work;

static void work_free(eu_work *k)
{
	free(k->w);
}

/* One block for every array of a run (sized by n, not by the rounds). */
static int work_alloc(eu_work *k, size_t n)
{
	size_t nn = n ? n : 1;
	double **vec[] = {&k->w,      &k->cw, &k->x,	&k->xn, &k->r,	&k->rv,
			  &k->danger, &k->ux, &k->mult, &k->es, &k->ef, &k->old_ux};
	double **mat[] = {&k->prob, &k->ld, &k->ls, &k->lf, &k->old_ld, &k->old_ls, &k->old_lf};
	size_t nvec = sizeof vec / sizeof vec[0], nmat = sizeof mat / sizeof mat[0];
	/* eu_slot is two 8-byte words; size_t fits in a double's slot */
	size_t words = nvec * nn + nmat * nn * nn + (nn + 1) * nn + 2 * nn + 3 * nn;
	double *block = malloc(words * sizeof *block);
	if (!block)
		return PL_ENOMEM;
	double *p = block;
	for (size_t i = 0; i < nvec; i++, p += nn)
		*vec[i] = p;
	for (size_t i = 0; i < nmat; i++, p += nn * nn)
		*mat[i] = p;
	k->ps = p;
	p += (nn + 1) * nn;
	k->ord = (eu_slot *)(void *)p;
	p += 2 * nn;
	k->pos_of = (size_t *)(void *)p;
	k->old_of = (size_t *)(void *)(p + nn);
	k->skip = (unsigned char *)(void *)(p + 2 * nn);
	k->old_m = 0;
	return PL_OK;
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
static void sort_actors(eu_work *k, int fresh)
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

static double central(const eu_work *k, int which)
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
static void distinct_positions(eu_work *k)
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

#define EU_LN2 0.693147180559945309417232121458176568

/* base^r from log(base). */
static double powl_(double lg, double r)
{
	return pl__exp(r * lg);
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
static void vote_tables(eu_work *k, int linear)
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

/* The part of eq. 25 that Q < 1 adds: -(1-Q)(T U_b + (1-T) U_w), with
 * e = (|x_a - mu| + |x_a - x_b|) / range for challenger a. */
static double no_challenge_term(const eu_work *k, double e, double r)
{
	double lo = 0.5 - 0.25 * e, hi = 0.5 + 0.25 * e;
	double ub = 2 - 4 * (lo > 0 ? pl__exp(r * pl__log(lo)) : 0), uw = 2 - 4 * pl__exp(r * pl__log(hi));
	return -(1 - k->cfg.q) * (k->cfg.t * ub + (1 - k->cfg.t) * uw);
}

/* EU_a(a challenges b) (eq. 25) from the lottery terms: p = P(a wins),
 * s = salience of b, es, ef = (0.5 -+ d/2)^r, esq = 0.5^r. */
static double eu_value(double p, double s, double es, double ef, double esq, double q)
{
	double us = 2 - 4 * es, uf = 2 - 4 * ef;
	return s * (p * us + (1 - p) * uf) + (1 - s) * us - q * (2 - 4 * esq);
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
		double v = eu_value(p, si, 0.5 - 0.5 * d, 0.5 + 0.5 * d, 0.5, k->cfg.q) +
			   no_challenge_term(k, fabs(ux[b] - k->mu) * inv_range + d, 1);
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
static void risk_exponents(eu_work *k)
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

/* The best offer of one kind an actor has seen so far. */
typedef struct eu_pick {
	int have;
	double target, key, move;
	size_t from;
} eu_pick;

/* Keeps the candidate with the smaller key, then the smaller move, then the
 * lower target: a rule that does not depend on the order of the actors. */
static void consider(eu_pick *p, double target, double key, double move, size_t from)
{
	if (p->have) {
		if (key != p->key) {
			if (key > p->key)
				return;
		} else if (move != p->move) {
			if (move > p->move)
				return;
		} else if (target >= p->target) {
			return;
		}
	}
	*p = (eu_pick){1, target, key, move, from};
}

/* Sorts j's challenge to i into confrontation, compromise or capitulation
 * (sec. 6; eij = EU_i(i challenges j), eji = EU_j(j challenges i)). */
static void offer(const eu_work *k, size_t i, size_t j, double eij, double eji, eu_pick pick[3])
{
	double xi = k->x[i], xj = k->x[j], dist = fabs(xj - xi);
	if (eji > eij && eij > 0) {
		consider(&pick[0], xj, dist, dist, j);
	} else if (eji > 0 && eij < 0 && eji > -eij) {
		double wpt = (-eij * xi + eji * xj) / (eji - eij);
		if (k->cfg.compromise == PL_EU_COMPROMISE_NEAREST) {
			consider(&pick[1], wpt, fabs(wpt - xi), fabs(wpt - xi), j);
		} else {
			double target = xi + (xj - xi) * (-eij / eji);
			consider(&pick[1], target, wpt, fabs(target - xi), j);
		}
	} else if (eji > 0 && eij < 0 && eji < -eij && k->cfg.capitulation) {
		consider(&pick[2], xj, dist, dist, j);
	}
}

/* EU_j(j challenges i) as i sees it, priced with j's own exponent
 * (perspective each). */
static double rival_eu_each(const eu_work *k, size_t i, size_t j)
{
	size_t m = k->m, a = k->pos_of[i], b = k->pos_of[j];
	double rj = k->r[j];
	double es = powl_(k->ls[a * m + b], rj), ef = powl_(k->lf[a * m + b], rj);
	double v = eu_value(k->prob[b * m + a], k->sal[i], es, ef, pl__exp(-EU_LN2 * rj), k->cfg.q);
	if (k->cfg.q < 1) {
		double d = fabs(k->x[j] - k->x[i]) * k->inv_range;
		v += no_challenge_term(k, fabs(k->x[j] - k->mu) * k->inv_range + d, rj);
	}
	return v;
}

/* Both expected utilities of the pair (i, j) as i sees them.  With Q = 1,
 * eq. 25 is EU = g - s (1 - p) h, g = U_s - U_sq and h = U_s - U_f, where g
 * and h depend only on i's exponent and the distance (k->es, k->ef). */
static void pair_eu(const eu_work *k, size_t i, size_t j, double *eij, double *eji)
{
	size_t m = k->m, a = k->pos_of[i], b = k->pos_of[j];
	double g = k->es[b], h = k->ef[b];
	*eij = g - k->sal[j] * (1 - k->prob[a * m + b]) * h;
	*eji = g - k->sal[i] * (1 - k->prob[b * m + a]) * h;
	if (k->cfg.q < 1) {
		double ri = k->r[i], d = fabs(k->x[j] - k->x[i]) * k->inv_range;
		*eij += (1 - k->cfg.q) * (2 - 4 * pl__exp(-EU_LN2 * ri)) +
			no_challenge_term(k, fabs(k->x[i] - k->mu) * k->inv_range + d, ri);
		*eji += (1 - k->cfg.q) * (2 - 4 * pl__exp(-EU_LN2 * ri)) +
			no_challenge_term(k, fabs(k->x[j] - k->mu) * k->inv_range + d, ri);
	}
	if (k->cfg.perspective == PL_EU_PERSPECTIVE_EACH)
		*eji = rival_eu_each(k, i, j);
}

/* Fills k->es[b] = g and k->ef[b] = h of pair_eu for actor i and every
 * other distinct position b. */
static void lottery_terms(eu_work *k, size_t i)
{
	size_t m = k->m, a = k->pos_of[i];
	double ri = k->r[i], esq = pl__exp(-EU_LN2 * ri);
	const double *ls = k->ls + a * m, *lf = k->lf + a * m;
	for (size_t b = 0; b < m; b++) {
		if (b == a)
			continue;
		double es = powl_(ls[b], ri), ef = powl_(lf[b], ri);
		k->es[b] = 4 * (esq - es);
		k->ef[b] = 4 * (ef - es);
	}
}

/* An earlier actor in the same place (position and salience, hence the
 * same risk exponent and the same offers), or n. */
static size_t twin_of(const eu_work *k, size_t t)
{
	size_t i = k->ord[t].i;
	for (size_t u = t; u-- > 0 && k->ord[u].x == k->ord[t].x;)
		if (k->sal[k->ord[u].i] == k->sal[i])
			return k->ord[u].i;
	return k->n;
}

/* Fills k->es, k->ef (as lottery_terms) for the positions b from which i
 * could receive an offer, and k->skip[b] = 1 for the others.  Every kind
 * of offer needs EU_j(ji) = g - c h > 0, c = s_i (1 - P_ba).  With
 * rho = g / h = (2^-r - s^r) / (f^r - s^r), s, f = 1/2 -+ d/2, rho <= 1/2
 * for r >= 1 (t^r convex, 1/2 the midpoint of s and f) and rho <= 2^-r for
 * r <= 1 (concavity; equality at d = 1).  So c >= max(1/2, 2^-r) means
 * EU_j(ji) <= 0 exactly; the margin of 0.01, with d >= 1e-6 (then h >= d/2),
 * is many orders above the rounding of the computed values, so the
 * computed EU_j(ji) is <= 0 too and skipping b changes nothing. */
static void lottery_terms_pruned(eu_work *k, size_t i)
{
	size_t m = k->m, a = k->pos_of[i];
	double ri = k->r[i], si = k->sal[i];
	/* 2^-r only when needed: max(1/2, 2^-r) is 1/2 for r >= 1 */
	int have_esq = ri < 1;
	double esq = have_esq ? pl__exp(-EU_LN2 * ri) : 0;
	double bound = (have_esq ? fmax(0.5, esq) : 0.5) + 0.01;
	const double *ls = k->ls + a * m, *lf = k->lf + a * m, *ux = k->ux;
	for (size_t b = 0; b < m; b++) {
		if (b == a)
			continue;
		double c = si * (1 - k->prob[b * m + a]);
		k->skip[b] = c >= bound && fabs(ux[b] - ux[a]) * k->inv_range >= 1e-6;
		if (k->skip[b])
			continue;
		if (!have_esq) {
			esq = pl__exp(-EU_LN2 * ri);
			have_esq = 1;
		}
		double es = powl_(ls[b], ri), ef = powl_(lf[b], ri);
		k->es[b] = 4 * (esq - es);
		k->ef[b] = 4 * (ef - es);
	}
}

/* Actor i weighs every rival's challenge and picks its move (sec. 6). */
static void choose_move(eu_work *k, size_t i, pl__eu_diag *diag)
{
	size_t n = k->n, m = k->m, a = k->pos_of[i];
	eu_pick pick[3] = {{0}};
	if (k->cfg.q == 1 && k->cfg.perspective == PL_EU_PERSPECTIVE_OWN && !diag) {
		/* pair_eu with Q = 1, inlined, over the positions that can offer */
		lottery_terms_pruned(k, i);
		const size_t *restrict pos_of = k->pos_of;
		const double *restrict sal = k->sal, *restrict es = k->es, *restrict ef = k->ef;
		const double *restrict pa = k->prob + a * m;
		const unsigned char *skip = k->skip;
		double si = sal[i];
		for (size_t j = 0; j < n; j++) {
			size_t b = pos_of[j];
			if (b == a || skip[b])
				continue;
			double g = es[b], h = ef[b];
			double eij = g - sal[j] * (1 - pa[b]) * h;
			double eji = g - si * (1 - k->prob[b * m + a]) * h;
			if (eji > 0) /* every kind of offer needs it */
				offer(k, i, j, eij, eji, pick);
		}
	} else {
		lottery_terms(k, i);
		for (size_t j = 0; j < n; j++) {
			if (k->pos_of[j] == a)
				continue;
			double eij, eji;
			pair_eu(k, i, j, &eij, &eji);
			if (diag && diag->eu)
				diag->eu[i * n + j] = eij;
			offer(k, i, j, eij, eji, pick);
		}
	}
	k->xn[i] = k->x[i];
	for (int kind = 0; kind < 3; kind++)
		if (pick[kind].have) {
			k->xn[i] = pick[kind].target;
			if (diag && diag->move) {
				diag->move[i] = kind + 1;
				diag->partner[i] = pick[kind].from;
			}
			break;
		}
}

static void fill_diag(const eu_work *k, pl__eu_diag *diag)
{
	size_t n = k->n, m = k->m;
	for (size_t i = 0; i < n; i++) {
		if (diag->r)
			diag->r[i] = k->r[i];
		if (diag->danger)
			diag->danger[i] = k->danger[i];
		if (diag->move) {
			diag->move[i] = PL_EU_STAY;
			diag->partner[i] = i;
		}
		for (size_t j = 0; j < n; j++) {
			if (diag->eu)
				diag->eu[i * n + j] = 0;
			if (diag->prob)
				diag->prob[i * n + j] = k->prob[k->pos_of[i] * m + k->pos_of[j]];
		}
	}
}

/* One round on positions sorted in k->ord; returns how many actors moved. */
static size_t eu_round(eu_work *k, pl__eu_diag *diag)
{
	size_t n = k->n;
	distinct_positions(k);
	k->mu = k->cfg.q < 1 ? central(k, k->cfg.mu) : 0;
	risk_exponents(k);
	if (k->cfg.prob == PL_EU_PROB_GLOBAL) {
		for (size_t i = 0; i < n; i++)
			k->rv[i] = k->r[i];
		vote_tables(k, 0);
	}
	if (diag)
		fill_diag(k, diag);
	for (size_t t = 0; t < n; t++) {
		size_t i = k->ord[t].i, twin = diag ? n : twin_of(k, t);
		if (twin < n)
			k->xn[i] = k->xn[twin];
		else
			choose_move(k, i, diag);
	}
	size_t moved = 0;
	for (size_t i = 0; i < n; i++) {
		moved += k->xn[i] != k->x[i];
		k->x[i] = k->xn[i];
	}
	sort_actors(k, 0);
	return moved;
}

/* ---- running ------------------------------------------------------------- */

static double start_range(const pl_issue_view *v)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < v->n; i++) {
		lo = fmin(lo, v->pos[i]);
		hi = fmax(hi, v->pos[i]);
	}
	return v->n ? hi - lo : 0;
}

/* Why the model cannot move at all, or NULL when it can. */
static const char *degenerate(const eu_work *k, const pl_issue_view *v, double range)
{
	double wsum = 0;
	for (size_t i = 0; i < k->n; i++)
		wsum += k->w[i];
	if (k->n < 2 || start_range(v) == 0)
		return "all positions are equal: no one has a reason to move";
	if (!(wsum > 0))
		return "every actor has capability x salience 0: no votes, so no one moves";
	if (!(range > 0) || !isfinite(range))
		return "the distance scale has no width: no one moves";
	return NULL;
}

static int finish(eu_work *k, pl_outcome_buf *out, const char *why, int stable, size_t played,
		  size_t moves)
{
	int rc = PL_OK;
	if (why)
		rc = pl__outcome_set_note(out, "%s", why);
	else if (stable)
		rc = pl__outcome_set_note(out,
					  "stable after %zu round%s: no actor had an offer worth "
					  "taking",
					  played, played == 1 ? "" : "s");
	if (!rc)
		rc = pl__outcome_add_stat(out, "median", central(k, PL_EU_MEDIAN));
	if (!rc)
		rc = pl__outcome_add_stat(out, "mean", central(k, PL_EU_MEAN));
	if (!rc)
		rc = pl__outcome_add_stat(out, "rounds", (double)played);
	if (!rc)
		rc = pl__outcome_add_stat(out, "moves", (double)moves);
	if (!rc)
		rc = pl__outcome_add_stat(out, "stable", why || stable ? 1 : 0);
	return rc;
}

/* The model's state is the positions alone (the range is fixed at the start,
 * the order of the actors follows from the positions), so once a row repeats
 * row s, every later round repeats the rounds after s: copies them. */
static int replay_cycle(eu_work *k, pl__eu_history *h, size_t s, pl_outcome_buf *out, int rounds,
			size_t *played, size_t *moves)
{
	int rc = pl__eu_history_replay(h, s, out, (size_t)rounds, k->x, played, moves);
	sort_actors(k, 0);
	return rc;
}

int pl__eu_run(const pl__eu_config *cfg, const pl_issue_view *v, int rounds, pl_outcome_buf *out,
	       pl__eu_diag *diag, pl_error *err)
{
	eu_work k = {0};
	pl__eu_history h = {0};
	size_t n = v->n;
	int rc = work_alloc(&k, n);
	if (rc) {
		work_free(&k);
		return pl_error_set(err, rc, "eu", "out of memory");
	}
	k.n = n;
	k.sal = v->sal;
	k.cfg = *cfg;
	for (size_t i = 0; i < n; i++) {
		k.w[i] = v->cap[i] * v->sal[i];
		k.x[i] = v->pos[i];
	}
	pl__power_weights(n, v->cap, v->sal, k.cw);
	double range = cfg->range == PL_EU_RANGE_SCALE ? v->max - v->min : start_range(v);
	k.inv_range = 1 / range;
	sort_actors(&k, 1);

	const char *why = n ? degenerate(&k, v, range) : "no actors";
	size_t played = 0, moves = 0;
	int stable = 0;
	h.base = out->o.positions ? out->o.n_rounds + 1 : 0;
	if (n)
		rc = pl__outcome_push_round(out, k.x, central(&k, k.cfg.forecast));
	if (!rc && n && !why)
		rc = pl__eu_history_add(&h, k.x, n, 0);
	for (int round = 0; !rc && !why && round < rounds; round++) {
		size_t moved = eu_round(&k, round == 0 ? diag : NULL);
		if (moved == 0) {
			stable = 1;
			break;
		}
		moves += moved;
		played++;
		rc = pl__outcome_push_round(out, k.x, central(&k, k.cfg.forecast));
		if (!rc)
			rc = pl__eu_history_add(&h, k.x, n, moved);
		size_t s = rc ? h.len : pl__eu_history_repeat(&h, out, n);
		if (s < h.len) {
			rc = replay_cycle(&k, &h, s, out, rounds, &played, &moves);
			break;
		}
	}
	if (!rc && n)
		rc = finish(&k, out, why, stable, played, moves);
	work_free(&k);
	pl__eu_history_free(&h);
	if (rc)
		return pl_error_set(err, rc, "eu", "out of memory");
	return PL_OK;
}

static int run(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
	       pl_error *err)
{
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	cfg.prob = args->param[P_PROB].choice;
	cfg.perspective = args->param[P_PERSPECTIVE].choice;
	cfg.compromise = args->param[P_COMPROMISE].choice;
	cfg.capitulation = args->param[P_CAPITULATION].choice == 0;
	cfg.range = args->param[P_RANGE].choice;
	cfg.q = args->param[P_Q].d;
	cfg.t = args->param[P_T].d;
	cfg.mu = args->param[P_MU].choice;
	cfg.forecast = args->param[P_FORECAST].choice;
	return pl__eu_run(&cfg, v, args->rounds, out, NULL, err);
}

const struct pl_engine pl_engine_eu = {
	.name = "eu",
	.summary = "Bueno de Mesquita's expected utility (Scholz et al. 2011)",
	.dynamic = 1,
	.default_rounds = 10,
	.params = eu_params,
	.n_params = N_EU_PARAMS,
	.run_issue = run,
};
