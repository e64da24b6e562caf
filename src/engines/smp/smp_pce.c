/* smp_pce.c - the arithmetic of probabilistic Condorcet elections used by
 * the smp engine: votes under each voting rule, victory probabilities under
 * each victory-probability model, the three PCE models, and risk attitudes
 * from probabilities, the PCE over the distinct positions at the end of a
 * run, and the distance between two states.  Formulas: docs/models/smp.md.  The order of every
 * sum and product follows the published model so that results agree with
 * KTAB to the last bit where the same inputs are given. */
#include "engines/smp/smp_internal.h"
#include "engines/vec4.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

double pl__smp_vote(smp_vr vr, double w, double uij, double uik)
{
	return pl__smp_vote_inline(vr, w, uij, uik);
}

/* Utility of a salience-weighted distance sd in [0, 1] to an actor of risk
 * attitude r in [-1, 1]. */
double pl__smp_bsutil(double sd, double r)
{
	return pl__smp_bsutil_inline(sd, r);
}

double pl__smp_est_nra(double rh, double ri, smp_radj ra)
{
	switch (ra) {
	case RA_FULL: return ri;
	case RA_TWOTHIRDS: return (rh + (2.0 * ri)) / 3.0;
	case RA_HALF: return (rh + ri) / 2;
	case RA_ONETHIRD: return ((2.0 * rh) + ri) / 3.0;
	case RA_NONE: return rh;
	}
	return rh;
}

void pl__smp_big_r(const double *p, size_t n, smp_rrng rr, double *risk)
{
	double lo = 1.0, hi = 0.0;
	for (size_t i = 0; i < n; i++) {
		lo = p[i] < lo ? p[i] : lo;
		hi = p[i] > hi ? p[i] : hi;
	}
	for (size_t i = 0; i < n; i++) {
		/* every position equally likely: no basis for risk attitudes */
		if (!(hi > lo)) {
			risk[i] = 0.0;
			continue;
		}
		switch (rr) {
		case RR_MIN: risk[i] = (p[i] - lo) / (hi - lo); break;
		case RR_MID: risk[i] = (3 * p[i] - (hi + 2 * lo)) / (2 * (hi - lo)); break;
		case RR_MAX: risk[i] = (2 * p[i] - (hi + lo)) / (hi - lo); break;
		}
	}
}

static void vprob_pair(smp_vpm vpm, double s1, double s2, double *p1, double *p2)
{
	const double min_x = 1e-6, thresh = 1.10;
	double x1 = s1, x2 = s2;
	switch (vpm) {
	case VPM_LINEAR: break;
	case VPM_SQUARE:
		x1 = s1 * s1;
		x2 = s2 * s2;
		break;
	case VPM_QUARTIC:
		x1 = s1 * s1 * s1 * s1;
		x2 = s2 * s2 * s2 * s2;
		break;
	case VPM_OCTIC:
		x1 = s1 * s1 * s1 * s1;
		x1 = x1 * x1;
		x2 = s2 * s2 * s2 * s2;
		x2 = x2 * x2;
		break;
	case VPM_BINARY:
		if (s1 >= thresh * s2) {
			x1 = 1.0;
			x2 = min_x;
		} else if (s2 >= thresh * s1) {
			x1 = min_x;
			x2 = 1.0;
		} else {
			double r12 = s1 / (s1 + s2);
			x1 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0);
			x2 = 1 - x1;
		}
		break;
	}
	*p1 = x1 / (x1 + x2);
	*p2 = x2 / (x1 + x2);
}

/* c(i,j) over utilities ut[i*us + k*ks] of option i to voter k. */
static inline void coalitions_with(size_t n, size_t m, const double *w, const double *ut, size_t us,
				   size_t ks, smp_vr vr, double *c)
{
	for (size_t i = 0; i < m; i++) {
		const double *ui = ut + i * us;
		for (size_t j = 0; j < i; j++) {
			const double *uj = ut + j * us;
			double cij = SMP_MIN_COALITION, cji = SMP_MIN_COALITION;
			for (size_t k = 0; k < n; k++) {
				double v = pl__smp_vote_inline(vr, w[k], ui[k * ks], uj[k * ks]);
				if (v > 0)
					cij = cij + v;
				if (v < 0)
					cji = cji - v;
			}
			c[i * m + j] = cij;
			c[j * m + i] = cji;
		}
		c[i * m + i] = SMP_MIN_COALITION;
	}
}

/* The default voting rule spelt out, so that the compiler drops the vote's
 * switch from the loop: the same operations, the same bits. */
static void coalitions_strided(size_t n, size_t m, const double *w, const double *ut, size_t us,
			       size_t ks, smp_vr vr, double *c)
{
	if (vr == VR_PROP)
		coalitions_with(n, m, w, ut, us, ks, VR_PROP, c);
	else
		coalitions_with(n, m, w, ut, us, ks, vr, c);
}

/* coalitions() with many options under VotingRule=Prop: the same sums
 * taken in another loop order.  The options are packed in panels of four
 * (pk[(p * n + k) * 4 + q] = u[k * m + 4p + q]); for a panel of options i
 * and one of options j < i, the sixteen pairs' sums run together over the
 * voters k = 0, 1, ... in order, in vector registers.  Each pair's sum takes
 * the same terms in the same order as coalitions_with(): "if (v > 0)
 * cij = cij + v" becomes cij + (v > 0 ? v : +0.0), the same number since
 * cij > 0.  The pairs within a panel and the options after the last whole
 * panel are summed one pair at a time. */

typedef void (*pce_tile_fn)(size_t n, const double *w, const double *I, const double *J,
			    v4d *A, v4d *B);

#define PCE_TILE tile_generic
#define PCE_ATTR
#define PCE_POS(v) vec4_keep((v) > zero, (v))
#define PCE_NEG(v) vec4_keep((v) < zero, (v))
#include "engines/smp/smp_pce_tile.h"

#if VEC4_AVX2
#define PCE_TILE tile_avx2
#define PCE_ATTR VEC4_TARGET_AVX2
#define PCE_POS(v) ((v4d)_mm256_max_pd((__m256d)(v), (__m256d)zero))
#define PCE_NEG(v) ((v4d)_mm256_min_pd((__m256d)(v), (__m256d)zero))
#include "engines/smp/smp_pce_tile.h"
#endif

/* one pair (i, j) at a time: c[i * m + j] and c[j * m + i] */
static void coalition_pair(size_t n, size_t m, const double *w, const double *u, size_t i,
			   size_t j, double *c)
{
	double cij = SMP_MIN_COALITION, cji = SMP_MIN_COALITION;
	for (size_t k = 0; k < n; k++) {
		const double v = w[k] * (u[k * m + i] - u[k * m + j]);
		if (v > 0)
			cij = cij + v;
		if (v < 0)
			cji = cji - v;
	}
	c[i * m + j] = cij;
	c[j * m + i] = cji;
}

static inline __attribute__((always_inline)) void coalitions_prop_body(size_t n, size_t m,
									const double *w,
									const double *u, double *c,
									double *pk,
									pce_tile_fn tile)
{
	const size_t np = m / 4;
	for (size_t p = 0; p < np; p++)
		for (size_t k = 0; k < n; k++)
			memcpy(pk + (p * n + k) * 4, u + k * m + 4 * p, 4 * sizeof *pk);
	for (size_t i = 0; i < m; i++)
		c[i * m + i] = SMP_MIN_COALITION;
	for (size_t pj = 0; pj < np; pj++) {
		const double *J = pk + pj * n * 4;
		for (size_t pi = pj + 1; pi < np; pi++) {
			const double *I = pk + pi * n * 4;
			v4d A[4], B[4];
			tile(n, w, I, J, A, B);
			for (size_t x = 0; x < 4; x++)
				for (size_t q = 0; q < 4; q++) {
					const size_t i = 4 * pi + x, j = 4 * pj + q;
					c[i * m + j] = A[x][q];
					c[j * m + i] = B[x][q];
				}
		}
	}
	/* within a panel, and the options after the last whole panel */
	for (size_t p = 0; p < np; p++)
		for (size_t i = 4 * p + 1; i < 4 * p + 4; i++)
			for (size_t j = 4 * p; j < i; j++)
				coalition_pair(n, m, w, u, i, j, c);
	for (size_t i = 4 * np; i < m; i++)
		for (size_t j = 0; j < i; j++)
			coalition_pair(n, m, w, u, i, j, c);
}

static void coalitions_prop_generic(size_t n, size_t m, const double *w, const double *u, double *c,
				    double *pk)
{
	coalitions_prop_body(n, m, w, u, c, pk, tile_generic);
}

#if VEC4_AVX2
VEC4_TARGET_AVX2 static void coalitions_prop_avx2(size_t n, size_t m, const double *w,
							 const double *u, double *c, double *pk)
{
	coalitions_prop_body(n, m, w, u, c, pk, tile_avx2);
}
#endif

/* c(i,j): strength of the coalition for option i against option j.  The
 * voters' utilities are read down a column of u for every pair: with many
 * options that is a cache miss per vote, so they are first copied option by
 * option (the same values, summed in the same order: the same bits). */
static void coalitions(size_t n, size_t m, const double *w, const double *u, smp_vr vr, double *c)
{
	double *pk = vr == VR_PROP && m >= 16 ? malloc(n * m * sizeof *pk) : NULL;
	if (pk) {
#if VEC4_AVX2
		if (pl__smp_lanes_avx2())
			coalitions_prop_avx2(n, m, w, u, c, pk);
		else
#endif
			coalitions_prop_generic(n, m, w, u, c, pk);
		free(pk);
		return;
	}
	double *ut = m > 16 ? malloc(n * m * sizeof *ut) : NULL;
	if (!ut) {
		coalitions_strided(n, m, w, u, 1, m, vr, c);
		return;
	}
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < m; i++)
			ut[i * n + k] = u[k * m + i];
	coalitions_strided(n, m, w, ut, n, 1, vr, c);
	free(ut);
}

static void vprob_matrix(size_t m, const double *c, smp_vpm vpm, double *pv)
{
	for (size_t i = 0; i < m; i++) {
		for (size_t j = 0; j < i; j++)
			vprob_pair(vpm, c[i * m + j], c[j * m + i], &pv[i * m + j], &pv[j * m + i]);
		pv[i * m + i] = 0.5;
	}
}

static void cond_pce(size_t m, const double *pv, double *p)
{
	double sum = 0.0;
	for (size_t i = 0; i < m; i++) {
		double pi = 1.0;
		for (size_t j = 0; j < m; j++)
			pi = pi * pv[i * m + j];
		p[i] = pi;
	}
	for (size_t i = 0; i < m; i++)
		sum = sum + p[i];
	for (size_t i = 0; i < m; i++)
		p[i] = p[i] / sum;
}

static int markov_uniform(size_t m, const double *pv, double *p, pl_error *err)
{
	double *q = malloc(m * sizeof *q);
	if (!q)
		return PL_ENOMEM;
	for (size_t i = 0; i < m; i++)
		p[i] = 1.0 / (double)m;
	double change = 1.0;
	unsigned iter = 0;
	while (1e-6 < change && iter < 1000) {
		change = 0;
		for (size_t i = 0; i < m; i++) {
			double pi = 0.0;
			for (size_t j = 0; j < m; j++)
				pi = pi + pv[i * m + j] * (p[i] + p[j]);
			q[i] = pi / (double)m;
			double c = fabs(q[i] - p[i]);
			change = c > change ? c : change;
		}
		for (size_t i = 0; i < m; i++)
			p[i] = (p[i] + q[i]) / 2.0;
		iter++;
	}
	free(q);
	if (iter >= 1000)
		return pl_error_set(err, PL_ENUMERIC, "smp",
				    "the MarkovUniform PCE did not settle in 1000 iterations");
	return PL_OK;
}

/* Markov chain of challenges: option j is challenged by i in proportion to
 * the incentive c(i,j) * pv(i,j). */
static int markov_incentive(size_t m, const double *c, const double *pv, double *p, pl_error *err)
{
	double *cp = malloc(m * m * sizeof *cp);
	double *q = malloc(m * sizeof *q);
	double *ct = malloc(m * m * sizeof *ct);
	if (!cp || !q || !ct) {
		free(cp);
		free(q);
		free(ct);
		return PL_ENOMEM;
	}
	for (size_t i = 0; i < m; i++)
		for (size_t j = 0; j < m; j++)
			cp[i * m + j] = c[i * m + j] * pv[i * m + j] + (i == j ? 1e-10 : 0.0);
	for (size_t j = 0; j < m; j++) {
		double s = 0.0;
		for (size_t k = 0; k < m; k++)
			s = s + cp[k * m + j];
		for (size_t i = 0; i < m; i++)
			ct[i * m + j] = s; /* column sums, divided below */
	}
	for (size_t i = 0; i < m * m; i++)
		cp[i] = cp[i] / ct[i];
	for (size_t i = 0; i < m; i++)
		p[i] = 1.0 / (double)m;
	double change = 1.0;
	unsigned iter = 0;
	while (1e-8 < change && iter < 1000) {
		for (size_t i = 0; i < m; i++)
			for (size_t j = 0; j < m; j++)
				ct[i * m + j] = p[i] * cp[j * m + i];
		change = 0.0;
		for (size_t i = 0; i < m; i++) {
			double qi = 0.0;
			for (size_t j = 0; j < m; j++)
				qi = qi + pv[i * m + j] * (ct[i * m + j] + ct[j * m + i]);
			q[i] = qi;
			double d = fabs(q[i] - p[i]);
			change = d > change ? d : change;
		}
		for (size_t i = 0; i < m; i++)
			p[i] = (p[i] + q[i]) / 2.0;
		iter++;
	}
	free(cp);
	free(q);
	free(ct);
	if (iter >= 1000)
		return pl_error_set(err, PL_ENUMERIC, "smp",
				    "the MarkovIncentive PCE did not settle in 1000 iterations");
	return PL_OK;
}

static int pce_from_coalitions(size_t m, smp_vpm vpm, smp_pcem pcem, const double *c, double *pv,
			       double *p, pl_error *err)
{
	vprob_matrix(m, c, vpm, pv);
	switch (pcem) {
	case PCE_CONDITIONAL: cond_pce(m, pv, p); return PL_OK;
	case PCE_MARKOV_UNIFORM: return markov_uniform(m, pv, p, err);
	case PCE_MARKOV_INCENTIVE: return markov_incentive(m, c, pv, p, err);
	}
	return PL_OK;
}

int pl__smp_scalar_pce(size_t n, size_t m, const double *w, const double *u, smp_vr vr, smp_vpm vpm,
		       smp_pcem pcem, double *c, double *pv, double *p, pl_error *err)
{
	coalitions(n, m, w, u, vr, c);
	return pce_from_coalitions(m, vpm, pcem, c, pv, p, err);
}

/* Options with the same utility to every voter (bit for bit) have the same
 * coalition sums: each vote between them is w * 0, which neither side
 * takes, and against any third option the same terms in the same order.
 * So the sums are taken once per class of such options (uc: n x mc) and
 * copied out; c(i, j) for two options of one class is the seed alone, as
 * the plain sum gives.  Under every voting rule but ASymProsp the vote of
 * j over i is minus the vote of i over j, bit for bit (the rules are odd
 * functions of the difference of utilities, and IEEE negation is exact),
 * so which of two options is summed as "i" does not matter; ASymProsp is
 * not odd and is refused here (the caller sums it whole).  Everything
 * after the coalitions (victory probabilities, the PCE) runs on the m
 * options as before. */
int pl__smp_class_pce(size_t n, size_t m, const double *w, const double *uc, size_t mc,
		      const size_t *cls, smp_vr vr, smp_vpm vpm, smp_pcem pcem, double *c,
		      double *pv, double *p, pl_error *err)
{
	if (vr == VR_ASYMPROSP || mc > m)
		return pl_error_set(err, PL_EINTERNAL, "smp", "class PCE: unsupported input");
	/* pv (m x m) holds the classes' mc x mc sums until it is filled */
	coalitions(n, mc, w, uc, vr, pv);
	for (size_t i = 0; i < m; i++) {
		const double *row = pv + cls[i] * mc;
		for (size_t j = 0; j < m; j++)
			c[i * m + j] = row[cls[j]];
	}
	return pce_from_coalitions(m, vpm, pcem, c, pv, p, err);
}

double pl__smp_state_dist(const double *a, const double *b, size_t n, size_t d)
{
	double s = 0;
	for (size_t i = 0; i < n; i++) {
		double q = 0.0;
		for (size_t k = 0; k < d; k++) {
			const double x = a[i * d + k] - b[i * d + k];
			q = q + x * x;
		}
		s = s + sqrt(q);
	}
	return s;
}

int pl__smp_final_pce(smp_model *m, size_t *uniq, size_t *nu, double *prob, pl_error *err)
{
	const size_t n = m->n, d = m->d;
	size_t k = 0;
	/* in id order: the first actor of a cluster of positions closer than
	 * SMP_POS_TOL stands for it, whatever the order of the case */
	for (size_t r = 0; r < n; r++) {
		const size_t i = pl__smp_ord(m, r);
		int found = 0;
		for (size_t q = 0; q < k && !found; q++) {
			double s = 0.0;
			for (size_t t = 0; t < d; t++) {
				const double x = m->pos[i * d + t] - m->pos[uniq[q] * d + t];
				s = s + x * x;
			}
			found = sqrt(s) < SMP_POS_TOL;
		}
		if (!found)
			uniq[k++] = i;
	}
	*nu = k;
	double *u = malloc(n * k * sizeof *u);
	double *c = malloc(k * k * sizeof *c);
	double *pv = malloc(k * k * sizeof *pv);
	int rc = (!u || !c || !pv) ? pl_error_set(err, PL_ENOMEM, "smp", "out of memory") : PL_OK;
	for (size_t i = 0; !rc && i < n; i++)
		for (size_t q = 0; q < k; q++)
			u[i * k + q] = pl__smp_autil(m, i, i, uniq[q]);
	if (!rc)
		rc = pl__smp_scalar_pce(n, k, m->cap, u, m->par.vr, m->par.vpm, m->par.pcem, c, pv,
					prob, err);
	free(u);
	free(c);
	free(pv);
	return rc;
}
