/* nash.c - the asymmetric Nash bargaining solution on one issue: the point x
 * of the scale that maximises sum_i w_i log(u_i(x) - u_i(d)) over the
 * agreements every actor prefers (weakly) to the disagreement point d, the
 * issue's status quo by default.  The feasible interval is found in closed
 * form, the kink (linear utilities) or smooth segment holding the maximum by
 * bisection on the one-sided slopes, and the maximum inside that segment as
 * the zero of the slope by GSL's Brent solver.  docs/models/nash.md gives
 * the model, the degenerate cases and how the solution differs from the
 * weighted mean. */
#include "core/detmath.h"
#include "engines/engine_impl.h"

#include <float.h>
#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <stdlib.h>

enum { DIS_STATUS_QUO, DIS_WORST };
enum { UTIL_LINEAR, UTIL_QUADRATIC };
enum { WEIGHT_CAPABILITY, WEIGHT_POWER };

static const char *const disagreement_choices[] = {"status_quo", "worst", NULL};
static const char *const utility_choices[] = {"linear", "quadratic", NULL};
static const char *const weights_choices[] = {"capability", "power", NULL};

/* Alphabetical: the registry writes the canonical parameter string in this order. */
static const pl_param_spec params[] = {
	{.kind = PL_PARAM_CHOICE,
	 .info = {"disagreement", "status_quo",
		  "status_quo: the issue's status quo (an issue without one falls back to "
		  "worst); worst: each actor's worst point on the scale",
		  disagreement_choices}},
	{.kind = PL_PARAM_CHOICE,
	 .info = {"utility", "quadratic", "loss in the distance from the actor's position",
		  utility_choices}},
	{.kind = PL_PARAM_CHOICE,
	 .info = {"weights", "power",
		  "bargaining weights: capability, or power = capability x salience",
		  weights_choices}},
};

/* One actor that cares, on the scale mapped to [0, 1]. */
typedef struct bargainer {
	double t;   /* ideal point */
	double w;   /* bargaining weight, normalised to sum 1 */
	double a;   /* loss at the disagreement point: u_i(x) - u_i(d) = a - loss(x - t) */
	double pos; /* ideal point on the issue's own scale */
} bargainer;

typedef struct problem {
	size_t n;
	bargainer *b;
	int quadratic;
	double lo, hi;			      /* the feasible interval */
	int evaluations;		      /* passes over the actors */
	double last_t, last_slope, last_size; /* the solver's latest evaluation */
} problem;

static double loss(const problem *p, double d)
{
	return p->quadratic ? d * d : fabs(d);
}

/* sum w_i log(gain_i(t)); -HUGE_VAL where some actor gains nothing. */
static double objective(problem *p, double t)
{
	double f = 0;
	p->evaluations++;
	for (size_t i = 0; i < p->n; i++) {
		double g = p->b[i].a - loss(p, t - p->b[i].t);
		if (!(g > 0))
			return -HUGE_VAL;
		f += p->b[i].w * pl__log(g); /* the same bits on every machine */
	}
	return f;
}

/* The slope of the objective at t from the right (side +1) or the left
 * (side -1); the two differ only at a kink of linear utilities.  Every gain
 * must be positive at t.  *size gets the sum of the terms' magnitudes, the
 * scale of the rounding error in the slope. */
static double slope_size(problem *p, double t, int side, double *size)
{
	double s = 0, m = 0;
	p->evaluations++;
	for (size_t i = 0; i < p->n; i++) {
		double d = t - p->b[i].t;
		double g = p->b[i].a - loss(p, d);
		double dl = p->quadratic ? 2 * d : (d > 0 ? 1 : d < 0 ? -1 : side);
		double term = p->b[i].w * dl / g;
		s -= term;
		m += fabs(term);
	}
	*size = m;
	/* A gain that is positive but subnormal overflows its term; keep the
	 * sign, which is all the bracketing uses, and give GSL a finite value. */
	if (isnan(s))
		return 0;
	return isinf(s) ? copysign(DBL_MAX, s) : s;
}

static double slope(problem *p, double t, int side)
{
	double size;
	return slope_size(p, t, side, &size);
}

static int gains_positive(problem *p, double t)
{
	p->evaluations++;
	for (size_t i = 0; i < p->n; i++)
		if (!(p->b[i].a - loss(p, t - p->b[i].t) > 0))
			return 0;
	return 1;
}

static double gsl_slope(double t, void *data)
{
	problem *p = data;
	p->last_t = t;
	p->last_slope = slope_size(p, t, 1, &p->last_size);
	return p->last_slope;
}

/* Narrows the open segment (a, b), which holds the maximiser, to [l, r] with
 * finite objective, slope(l) > 0 > slope(r).  A closed end (all gains
 * positive there) is its own bound; at an open end the objective falls to
 * -inf, so halving towards it finds a point with the right slope sign. */
static void bracket(problem *p, double a, double b, double *l, double *r)
{
	double lo = a, hi = b;
	if (!gains_positive(p, lo)) {
		for (;;) {
			double m = lo + (hi - lo) / 2;
			if (m <= lo || m >= hi)
				break;
			if (slope(p, m, 1) > 0) {
				lo = m;
				break;
			}
			hi = m;
		}
	}
	if (!gains_positive(p, hi)) {
		for (;;) {
			double m = hi - (hi - lo) / 2;
			if (m <= lo || m >= hi)
				break;
			if (slope(p, m, -1) < 0) {
				hi = m;
				break;
			}
			lo = m;
		}
	}
	*l = lo;
	*r = hi;
}

/* The maximiser inside the smooth segment (a, b) (ends included when all
 * gains are positive there): the zero of the falling slope, found by GSL's
 * Brent solver on a bracket where the slope changes sign. */
static int smooth_max(problem *p, double a, double b, double *x, pl_error *err)
{
	if (gains_positive(p, a) && slope(p, a, 1) <= 0) {
		*x = a;
		return PL_OK;
	}
	if (gains_positive(p, b) && slope(p, b, -1) >= 0) {
		*x = b;
		return PL_OK;
	}
	double l, r;
	bracket(p, a, b, &l, &r);
	/* r may be a kink closing the segment; its right slope (what Brent
	 * sees there) is below its left slope, so the sign change is the same */
	double sl = slope(p, l, 1), sr = slope(p, r, 1);
	/* No sign change left to find: the maximiser is within a double or two
	 * of an end where some gain is 0; take the better end that is feasible. */
	if (!(sl > 0 && sr < 0 && gains_positive(p, l) && gains_positive(p, r))) {
		*x = objective(p, l) >= objective(p, r) ? l : r;
		return PL_OK;
	}
	/* the solver's state is allocated here, not by gsl_root_fsolver_alloc,
	 * which reports a failed malloc through GSL's process-wide handler
	 * (by default an abort) */
	gsl_root_fsolver solver = {gsl_root_fsolver_brent, NULL, 0, 0, 0, NULL}, *s = &solver;
	solver.state = malloc(gsl_root_fsolver_brent->size);
	if (!solver.state)
		return PL_ENOMEM;
	gsl_function fn = {gsl_slope, p};
	int status = gsl_root_fsolver_set(s, &fn, l, r);
	/* Stop when the bracket is 1e-15 wide or the slope at the root is
	 * rounding noise (Brent bisects slowly towards a root that sits at an
	 * end of the bracket, and the sign of noise says nothing). */
	for (int it = 0; status == GSL_SUCCESS && it < 200; it++) {
		status = gsl_root_fsolver_iterate(s);
		l = gsl_root_fsolver_x_lower(s);
		r = gsl_root_fsolver_x_upper(s);
		if (status != GSL_SUCCESS || gsl_root_test_interval(l, r, 1e-15, 0) != GSL_CONTINUE)
			break;
		if (p->last_t == gsl_root_fsolver_root(s) &&
		    fabs(p->last_slope) <= 1e-14 * p->last_size)
			break;
	}
	*x = gsl_root_fsolver_root(s);
	free(solver.state);
	if (status != GSL_SUCCESS)
		return pl_error_set(err, PL_ENUMERIC, "nash", "GSL's Brent solver failed: %s",
				    gsl_strerror(status));
	return PL_OK;
}

static int cmp_bargainer(const void *x, const void *y)
{
	const bargainer *a = x, *b = y;
	if (a->t != b->t)
		return (a->t > b->t) - (a->t < b->t);
	return (a->w > b->w) - (a->w < b->w);
}

/* The maximiser over [lo, hi].  Linear utilities have kinks at the ideal
 * points; the right slope falls from kink to kink, so bisection finds the
 * first kink where it is <= 0: either the maximum is there or in the smooth
 * segment just before it.  Sets *at to the actor whose ideal point it is,
 * or -1. */
static int maximise(problem *p, double *x, long *at, pl_error *err)
{
	*at = -1;
	if (p->quadratic)
		return smooth_max(p, p->lo, p->hi, x, err);
	size_t first = 0, last = p->n; /* kinks strictly inside (lo, hi) */
	while (first < p->n && p->b[first].t <= p->lo)
		first++;
	while (last > first && p->b[last - 1].t >= p->hi)
		last--;
	size_t k0 = first, k1 = last; /* first kink with right slope <= 0 */
	while (k0 < k1) {
		size_t m = k0 + (k1 - k0) / 2;
		if (slope(p, p->b[m].t, 1) <= 0)
			k1 = m;
		else
			k0 = m + 1;
	}
	double a = k0 > first ? p->b[k0 - 1].t : p->lo;
	if (k0 < last) {
		if (slope(p, p->b[k0].t, -1) >= 0) {
			*x = p->b[k0].t;
			*at = (long)k0;
			return PL_OK;
		}
		return smooth_max(p, a, p->b[k0].t, x, err);
	}
	return smooth_max(p, a, p->hi, x, err);
}

/* Fills p with the actors that care, sorted so that the sums do not depend
 * on the order of the actors.  Returns 1 when every salience was 0 (then all
 * count, weighted by capability). */
static int setup(const pl_issue_view *v, const pl_param_value *arg, double d, int use_sq,
		 problem *p)
{
	double range = v->max - v->min;
	int all_zero = 1;
	for (size_t i = 0; i < v->n; i++)
		all_zero &= v->sal[i] == 0;
	double cmax = 0;
	for (size_t i = 0; i < v->n; i++)
		cmax = fmax(cmax, v->cap[i]);
	double q = (d - v->min) / range, sum = 0;
	size_t m = 0;
	for (size_t i = 0; i < v->n; i++) {
		/* salience 0 makes u_i constant: an indifferent actor neither weighs
		 * nor vetoes */
		if (v->sal[i] == 0 && !all_zero)
			continue;
		double w = v->cap[i] / cmax;
		if (arg[2].choice == WEIGHT_POWER && !all_zero)
			w *= v->sal[i];
		bargainer *b = &p->b[m++];
		b->t = (v->pos[i] - v->min) / range;
		b->pos = v->pos[i];
		b->w = w;
		b->a = loss(p, use_sq ? q - b->t : fmax(b->t, 1 - b->t));
	}
	qsort(p->b, m, sizeof *p->b, cmp_bargainer);
	for (size_t i = 0; i < m; i++)
		sum += p->b[i].w;
	for (size_t i = 0; i < m; i++)
		p->b[i].w /= sum;
	p->n = m;
	return all_zero;
}

/* The agreements no actor likes less than the status quo q: [q, min(2t-q)]
 * when every ideal is above q, [max(2t-q), q] when every one is below, else
 * {q} (and also when some ideal is q itself). */
static void feasible_from_status_quo(problem *p, double q)
{
	int above = 1, below = 1;
	double lo = 0, hi = 1;
	for (size_t i = 0; i < p->n; i++) {
		double t = p->b[i].t;
		above &= t > q;
		below &= t < q;
		hi = fmin(hi, 2 * t - q);
		lo = fmax(lo, 2 * t - q);
	}
	p->lo = above ? q : below ? lo : q;
	p->hi = above ? hi : below ? q : q;
}

/* t on the issue's own scale; the ends of F that are the status quo or the
 * ends of the scale come back exactly. */
static double to_scale(const pl_issue_view *v, int use_sq, double q, double t)
{
	if (use_sq && t == q)
		return v->status_quo;
	return t == 0 ? v->min : t == 1 ? v->max : v->min + t * (v->max - v->min);
}

static int add_stats(pl_outcome_buf *out, const problem *p, const pl_issue_view *v, int use_sq,
		     double q, double obj)
{
	double mean = 0;
	for (size_t i = 0; i < p->n; i++)
		mean += p->b[i].w * p->b[i].pos;
	int rc = pl__outcome_add_stat(out, "weighted_mean", mean);
	if (!rc)
		rc = pl__outcome_add_stat(out, "objective", obj);
	if (!rc)
		rc = pl__outcome_add_stat(out, "feasible_min", to_scale(v, use_sq, q, p->lo));
	if (!rc)
		rc = pl__outcome_add_stat(out, "feasible_max", to_scale(v, use_sq, q, p->hi));
	if (!rc)
		rc = pl__outcome_add_stat(out, "evaluations", p->evaluations);
	return rc;
}

static int set_note(pl_outcome_buf *out, const pl_issue_view *v, int pareto, int no_sq,
		    int all_zero)
{
	if (pareto)
		return pl__outcome_set_note(
			out,
			"the status quo %g is Pareto-optimal: actors stand on "
			"both sides of it (or at it), so no agreement is better "
			"for all of them; the Nash solution is the status quo",
			v->status_quo);
	if (!no_sq && !all_zero)
		return PL_OK;
	return pl__outcome_set_note(out, "%s%s%s",
				    no_sq ? "the issue has no status quo: each actor's "
					    "disagreement point is its worst point on the scale"
					  : "",
				    no_sq && all_zero ? "; " : "",
				    all_zero ? "every salience is 0: weighted by capability alone"
					     : "");
}

static int run(const pl_issue_view *v, const pl_engine_args *args, pl_outcome_buf *out,
	       pl_error *err)
{
	const pl_param_value *arg = args->param;
	int use_sq = arg[0].choice == DIS_STATUS_QUO && v->has_status_quo;
	problem p = {.quadratic = arg[1].choice == UTIL_QUADRATIC};
	p.b = malloc((v->n ? v->n : 1) * sizeof *p.b);
	if (!p.b)
		return PL_ENOMEM;
	int all_zero = setup(v, arg, v->status_quo, use_sq, &p);
	double q = (v->status_quo - v->min) / (v->max - v->min);
	if (use_sq)
		feasible_from_status_quo(&p, q);
	else {
		p.lo = 0;
		p.hi = 1;
	}
	double f, obj = NAN;
	int rc = PL_OK;
	if (!(p.hi > p.lo)) {
		f = v->status_quo; /* no agreement every actor prefers to it */
	} else {
		double t;
		long at;
		rc = maximise(&p, &t, &at, err);
		if (!rc) {
			f = at >= 0 ? p.b[at].pos : to_scale(v, use_sq, q, t);
			obj = objective(&p, t);
		}
	}
	if (!rc)
		rc = pl__outcome_push_round(out, v->pos, f);
	if (!rc)
		rc = add_stats(out, &p, v, use_sq, q, obj);
	if (!rc)
		rc = set_note(out, v, use_sq && !(p.hi > p.lo),
			      arg[0].choice == DIS_STATUS_QUO && !use_sq, all_zero);
	free(p.b);
	return rc;
}

const struct pl_engine pl_engine_nash = {
	.name = "nash",
	.summary = "asymmetric Nash bargaining solution, status quo as disagreement",
	.params = params,
	.n_params = sizeof params / sizeof params[0],
	.run_issue = run,
};
