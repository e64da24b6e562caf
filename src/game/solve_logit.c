/* solve_logit.c - the principal branch of the logit quantal response
 * equilibrium correspondence, traced from lambda = 0 to its limit, a Nash
 * equilibrium (McKelvey and Palfrey 1995; Turocy 2005).  Any number of
 * players; trees are solved on their reduced strategic form.
 *
 * With v_ij = log pi_ij, the branch is the zero set of
 *   H_i0 = sum_j exp(v_ij) - 1
 *   H_ij = v_ij - v_i0 - lambda (u_i(j, pi_-i) - u_i(0, pi_-i))     (j > 0)
 * a curve in (v, lambda) starting at the uniform profile for lambda = 0.
 * It is followed by predictor-corrector continuation (Allgower and Georg
 * 1990): an Euler step along the unit tangent (the null vector of the
 * Jacobian, oriented to continue the previous one), then Newton corrections
 * on the augmented system [J; t'] d = [-H; 0].  The step grows after an easy
 * correction and shrinks after a hard one.  Tracing stops when the profile's
 * regret is below a tenth of the tolerance; the profile is then checked
 * exactly.  See docs/games/logit.md. */
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

#define MAX_STEPS 20000

typedef struct qre {
	const pl_game *g;
	int n, len;  /* players, strategies in all */
	int *off;    /* first strategy of each player */
	double *pay; /* payoff of each player in each cell (doubles) */
	double *pi;  /* the current profile */
	double *u;   /* u_i(j, pi_-i) per strategy */
	double *d;   /* len x len: d u_i(j, pi_-i) / d pi_kl for k != i */
	int *s;	     /* scratch: one strategy per player */
} qre;

/* Expected payoffs of every strategy and, with derivs, their derivatives in
 * the others' probabilities, in one pass over the cells per pair of
 * players. */
static void payoff_terms(qre *q, int derivs)
{
	const pl_game *g = q->g;
	int n = q->n, len = q->len;
	int *s = q->s;
	memset(q->u, 0, (size_t)len * sizeof(double));
	if (derivs)
		memset(q->d, 0, (size_t)len * len * sizeof(double));
	if (n == 2) {
		/* the loop below for two players, term for term in the same order
		 * (the weight of the other is its probability, 1 * p exactly; the
		 * derivative's weight is 1, so 1 * v is v) */
		int m = g->nstrat[0], o1 = q->off[1];
		const double *pi = q->pi, *pay = q->pay;
		for (long c = 0; c < g->ncell; c++) {
			int s0 = (int)(c % m), s1 = (int)(c / m);
			double v0 = pay[c * 2], v1 = pay[c * 2 + 1];
			q->u[s0] += pi[o1 + s1] * v0;
			if (derivs)
				q->d[(size_t)s0 * len + o1 + s1] += v0;
			q->u[o1 + s1] += pi[s0] * v1;
			if (derivs)
				q->d[(size_t)(o1 + s1) * len + s0] += v1;
		}
		return;
	}
	for (long c = 0; c < g->ncell; c++) {
		long r = c;
		for (int p = 0; p < n; p++) {
			s[p] = (int)(r % g->nstrat[p]);
			r /= g->nstrat[p];
		}
		for (int i = 0; i < n; i++) {
			double w = 1;
			for (int k = 0; k < n; k++)
				if (k != i)
					w *= q->pi[q->off[k] + s[k]];
			double v = q->pay[c * n + i];
			q->u[q->off[i] + s[i]] += w * v;
			for (int k = 0; derivs && k < n; k++) {
				if (k == i)
					continue;
				double pk = q->pi[q->off[k] + s[k]];
				/* d/d pi_k(s_k) of the others' weight: the product without pk
				 * (with two players w is pk itself, and w / pk exactly 1) */
				double wk = n == 2 ? 1 : pk > 0 ? w / pk : 1;
				if (n > 2 && !(pk > 0))
					for (int r2 = 0; r2 < n; r2++)
						if (r2 != i && r2 != k)
							wk *= q->pi[q->off[r2] + s[r2]];
				q->d[(size_t)(q->off[i] + s[i]) * len + q->off[k] + s[k]] += wk * v;
			}
		}
	}
}

static void set_pi(qre *q, const double *v)
{
	for (int k = 0; k < q->len; k++)
		q->pi[k] = exp(v[k]);
}

/* H(v, lambda) and its Jacobian (len x (len + 1), row-major). */
static void residual(qre *q, const double *x, double *h, double *jac)
{
	int len = q->len;
	double lam = x[len];
	set_pi(q, x);
	payoff_terms(q, 1);
	memset(jac, 0, (size_t)len * (len + 1) * sizeof(double));
	for (int i = 0; i < q->n; i++) {
		int o = q->off[i], k = q->g->nstrat[i];
		h[o] = -1;
		for (int j = 0; j < k; j++) {
			h[o] += q->pi[o + j];
			jac[(size_t)o * (len + 1) + o + j] = q->pi[o + j];
		}
		for (int j = 1; j < k; j++) {
			int row = o + j;
			h[row] = x[o + j] - x[o] - lam * (q->u[o + j] - q->u[o]);
			double *jr = &jac[(size_t)row * (len + 1)];
			jr[o + j] += 1;
			jr[o] -= 1;
			jr[len] = -(q->u[o + j] - q->u[o]);
			for (int c = 0; c < len; c++) {
				if (c >= o && c < o + k)
					continue;
				double dd =
					q->d[(size_t)(o + j) * len + c] - q->d[(size_t)o * len + c];
				jr[c] -= lam * dd * q->pi[c];
			}
		}
	}
}

/* Solves [jac; t'] z = rhs (size len + 1); 0 on success, -1 when singular,
 * PL_ENOMEM. */
static int augmented_solve(int len, const double *jac, const double *t, const double *rhs,
			   double *z)
{
	int m = len + 1, sig, rc = 0;
	/* parley's own allocations: GSL's allocators report a failed malloc
	 * through the process-wide handler, which aborts by default */
	double *ad = malloc((size_t)m * (size_t)m * sizeof *ad);
	size_t *pd = malloc((size_t)m * sizeof *pd);
	if (!ad || !pd) {
		free(ad);
		free(pd);
		return PL_ENOMEM;
	}
	gsl_matrix_view av = gsl_matrix_view_array(ad, (size_t)m, (size_t)m);
	gsl_matrix *a = &av.matrix;
	gsl_permutation perm = {(size_t)m, pd}, *p = &perm;
	gsl_vector_const_view b = gsl_vector_const_view_array(rhs, (size_t)m);
	gsl_vector_view x = gsl_vector_view_array(z, (size_t)m);
	/* jac is len x m row-major, as the view of ad: the rows copy as one block */
	memcpy(ad, jac, (size_t)len * (size_t)m * sizeof *ad);
	memcpy(ad + (size_t)len * (size_t)m, t, (size_t)m * sizeof *ad);
	/* No GSL_ERROR can be reached, so the process-wide handler is left
	 * alone: a singular matrix (the only error LU_solve raises) has a zero
	 * determinant, and a NaN one fails the test too. */
	if (gsl_linalg_LU_decomp(a, p, &sig) || !(fabs(gsl_linalg_LU_det(a, sig)) >= 1e-300) ||
	    gsl_linalg_LU_solve(a, p, &b.vector, &x.vector))
		rc = -1;
	for (int c = 0; c < m && !rc; c++)
		if (!isfinite(z[c]))
			rc = -1;
	free(ad);
	free(pd);
	return rc;
}

static double norm(const double *v, int n)
{
	double s = 0;
	for (int k = 0; k < n; k++)
		s += v[k] * v[k];
	return sqrt(s);
}

/* The unit tangent: J t = 0, t . prev = 1, normalised; 0, -1, PL_ENOMEM. */
static int tangent(qre *q, const double *x, const double *prev, double *t, double *h, double *jac,
		   double *rhs)
{
	int len = q->len;
	residual(q, x, h, jac);
	memset(rhs, 0, (size_t)(len + 1) * sizeof(double));
	rhs[len] = 1;
	int rc = augmented_solve(len, jac, prev, rhs, t);
	if (rc)
		return rc;
	double nn = norm(t, len + 1);
	for (int k = 0; k <= len; k++)
		t[k] /= nn;
	return 0;
}

/* Newton on the augmented system from x; iterations used, -1, or PL_ENOMEM. */
static int correct(qre *q, double *x, const double *t, double *h, double *jac, double *rhs,
		   double *dz)
{
	int len = q->len;
	for (int it = 1; it <= 8; it++) {
		residual(q, x, h, jac);
		for (int k = 0; k < len; k++)
			rhs[k] = -h[k];
		rhs[len] = 0;
		int rc = augmented_solve(len, jac, t, rhs, dz);
		if (rc)
			return rc;
		for (int k = 0; k <= len; k++)
			x[k] += dz[k];
		if (norm(dz, len + 1) < 1e-11 * (1 + norm(x, len + 1)))
			return it;
	}
	return -1;
}

static double regret(qre *q, const double *x)
{
	set_pi(q, x);
	payoff_terms(q, 0);
	double worst = 0;
	for (int i = 0; i < q->n; i++) {
		int o = q->off[i];
		double best = q->u[o], avg = 0;
		for (int j = 0; j < q->g->nstrat[i]; j++) {
			best = fmax(best, q->u[o + j]);
			avg += q->pi[o + j] * q->u[o + j];
		}
		worst = fmax(worst, best - avg);
	}
	return worst;
}

/* 0, -1 when the continuation stalls, PL_ENOMEM. */
static int trace(qre *q, double tol, double *x)
{
	int len = q->len, m = len + 1;
	double *t = calloc((size_t)m, sizeof(double)), *prev = calloc((size_t)m, sizeof(double));
	double *h = calloc((size_t)len, sizeof(double)),
	       *jac = calloc((size_t)len * m, sizeof(double));
	double *rhs = calloc((size_t)m, sizeof(double)), *dz = calloc((size_t)m, sizeof(double));
	double *y = calloc((size_t)m, sizeof(double));
	int rc = !t || !prev || !h || !jac || !rhs || !dz || !y ? PL_ENOMEM : -1;
	if (rc == -1)
		prev[len] = 1; /* start by increasing lambda */
	double step = 0.03;
	/* The tangent at x along prev is known without solving again after a
	 * rejected step (x and prev unchanged) and after an accepted one (the
	 * check below computed it at y along t, which become x and prev). */
	int known = 0;
	for (int k = 0; rc == -1 && k < MAX_STEPS; k++) {
		int tr = known ? 0 : tangent(q, x, prev, t, h, jac, rhs);
		known = 0;
		if (tr) {
			rc = tr == PL_ENOMEM ? PL_ENOMEM : -1;
			break;
		}
		memcpy(y, x, (size_t)m * sizeof(double));
		for (int c = 0; c < m; c++)
			y[c] += step * t[c];
		int its = correct(q, y, t, h, jac, rhs, dz);
		if (its == PL_ENOMEM) {
			rc = PL_ENOMEM;
			break;
		}
		/* Reject a step that needs a long correction or turns sharply: it may
		 * have jumped to another branch near a fold. */
		int ok = its > 0 && y[len] >= 0;
		if (ok) {
			double moved = 0;
			for (int c = 0; c < m; c++)
				moved += (y[c] - x[c] - step * t[c]) * (y[c] - x[c] - step * t[c]);
			ok = sqrt(moved) < 0.3 * step + 1e-9;
		}
		int tr2 = ok ? tangent(q, y, t, dz, h, jac, rhs) : -1;
		if (tr2 == PL_ENOMEM) {
			rc = PL_ENOMEM;
			break;
		}
		if (ok && tr2 == 0) {
			double cosang = 0;
			for (int c = 0; c < m; c++)
				cosang += dz[c] * t[c];
			ok = cosang > 0.98;
		}
		if (!ok) {
			step /= 2;
			if (step < 1e-12)
				break;
			known = 1;
			continue;
		}
		memcpy(x, y, (size_t)m * sizeof(double));
		memcpy(prev, t, (size_t)m * sizeof(double));
		memcpy(t, dz, (size_t)m * sizeof(double));
		known = tr2 == 0; /* else the next tangent fails as this one did */
		if (regret(q, x) < tol) {
			rc = 0;
			break;
		}
		step *= its <= 2 ? 1.5 : its <= 4 ? 1.1 : 1;
	}
	free(t);
	free(prev);
	free(h);
	free(jac);
	free(rhs);
	free(dz);
	free(y);
	return rc;
}

static int table_logit(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		       pl_error *err)
{
	qre q = {.g = g, .n = g->n, .len = pl__profile_len(g)};
	q.off = pl__calloc((size_t)g->n, sizeof(int));
	q.s = pl__calloc((size_t)g->n, sizeof(int));
	q.pay = pl__calloc((size_t)g->ncell * g->n, sizeof(double));
	q.pi = pl__calloc((size_t)q.len, sizeof(double));
	q.u = pl__calloc((size_t)q.len, sizeof(double));
	q.d = pl__calloc((size_t)q.len * q.len, sizeof(double));
	double *x = pl__calloc((size_t)q.len + 1, sizeof(double));
	mpq_t *prof = pl__mpq_vec((size_t)q.len);
	int rc = !q.off || !q.s || !q.pay || !q.pi || !q.u || !q.d || !x || !prof ? PL_ENOMEM : 0;
	if (!rc) {
		for (int p = 1; p < g->n; p++)
			q.off[p] = q.off[p - 1] + g->nstrat[p - 1];
		for (long c = 0; c < g->ncell; c++)
			for (int p = 0; p < g->n; p++)
				q.pay[c * g->n + p] = mpq_get_d(*pl__table_pay(g, c, p));
		for (int p = 0; p < g->n; p++)
			for (int j = 0; j < g->nstrat[p]; j++)
				x[q.off[p] + j] = -log((double)g->nstrat[p]);
		rc = trace(&q, o->tolerance / 10, x);
	}
	if (rc == -1) {
		rc = pl_error_set(err, PL_ENUMERIC, "logit",
				  "the continuation stalled before the regret fell below %g",
				  o->tolerance / 10);
	} else if (!rc) {
		for (int k = 0; k < q.len; k++)
			mpq_set_d(prof[k], exp(x[k]));
		rc = pl__solution_add(s, prof);
		pl_strbuf b = {0};
		pl__sb_printf(&b, "logit branch followed to lambda = %.6g", x[q.len]);
		if (!rc && b.oom)
			rc = PL_ENOMEM;
		free(s->note);
		s->note = b.oom ? NULL : b.s;
		if (b.oom)
			free(b.s);
	}
	pl__mpq_vec_free(prof, (size_t)q.len);
	free(q.s);
	free(x);
	free(q.off);
	free(q.pay);
	free(q.pi);
	free(q.u);
	free(q.d);
	return rc;
}

int pl__solve_logit(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		    pl_error *err)
{
	return pl__solve_via_table(g, table_logit, s, o, err);
}
