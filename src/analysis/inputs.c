/* inputs.c - listing a case's uncertain inputs, resolving which
 * distribution each one follows, and drawing from it with GSL. */
#include "analysis/inputs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

const char *pl_input_kind_name(pl_input_kind k)
{
	switch (k) {
	case PL_INPUT_CAPABILITY: return "capability";
	case PL_INPUT_POSITION: return "position";
	case PL_INPUT_SALIENCE: return "salience";
	}
	return "?";
}

const char *pl_input_label(const pl_case *c, const pl_input *in, char *buf, size_t size)
{
	if (in->kind == PL_INPUT_CAPABILITY)
		snprintf(buf, size, "capability %s", pl_case_actor(c, in->actor)->id);
	else
		snprintf(buf, size, "%s %s %s", pl_input_kind_name(in->kind),
			 pl_case_actor(c, in->actor)->id, pl_case_issue(c, in->issue)->id);
	return buf;
}

static int declares_any(const pl_case *c)
{
	const pl_case_uncertainty *u = pl_case_get_uncertainty(c);
	if (u->capability.kind || u->position.kind || u->salience.kind)
		return 1;
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		if (pl_case_actor(c, a)->capability_uncertainty.kind)
			return 1;
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			const pl_stance *s = pl_case_stance(c, a, i);
			if (s->present &&
			    (s->position_uncertainty.kind || s->salience_uncertainty.kind))
				return 1;
		}
	}
	return 0;
}

/* own, else the case's default, else (when the case declares nothing) parley's. */
static void resolve(pl_input *in, pl_dist own, pl_dist case_default, int builtin, double builtin_sd)
{
	if (own.kind) {
		in->dist = own;
		in->source = PL_SOURCE_INPUT;
	} else if (case_default.kind) {
		in->dist = case_default;
		in->source = PL_SOURCE_CASE;
	} else if (builtin) {
		in->dist = (pl_dist){PL_DIST_NORMAL, builtin_sd};
		in->source = PL_SOURCE_BUILTIN;
	} else {
		in->dist = (pl_dist){PL_DIST_NONE, 0};
		in->source = PL_SOURCE_EXACT;
	}
}

int pl_case_inputs(const pl_case *c, int builtin_defaults, pl_input **out, size_t *n, pl_error *err)
{
	size_t na = pl_case_n_actors(c), ni = pl_case_n_issues(c);
	pl_input *v = malloc((na * (1 + 2 * ni) + 1) * sizeof *v);
	*out = NULL;
	*n = 0;
	if (!v)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory listing inputs");
	int builtin = builtin_defaults && !declares_any(c);
	const pl_case_uncertainty *u = pl_case_get_uncertainty(c);
	size_t k = 0;
	for (size_t a = 0; a < na; a++) {
		const pl_actor *ac = pl_case_actor(c, a);
		v[k] = (pl_input){.kind = PL_INPUT_CAPABILITY,
				  .actor = a,
				  .issue = PL_ALL_ISSUES,
				  .nominal = ac->capability};
		resolve(&v[k++], ac->capability_uncertainty, u->capability, builtin,
			PL_DEFAULT_CAPABILITY_SD);
		for (size_t i = 0; i < ni; i++) {
			const pl_stance *s = pl_case_stance(c, a, i);
			if (!s->present)
				continue;
			const pl_issue *is = pl_case_issue(c, i);
			v[k] = (pl_input){.kind = PL_INPUT_POSITION,
					  .actor = a,
					  .issue = i,
					  .nominal = s->position};
			resolve(&v[k++], s->position_uncertainty, u->position, builtin,
				PL_DEFAULT_POSITION_SD * (is->max - is->min));
			v[k] = (pl_input){.kind = PL_INPUT_SALIENCE,
					  .actor = a,
					  .issue = i,
					  .nominal = s->salience};
			resolve(&v[k++], s->salience_uncertainty, u->salience, builtin,
				PL_DEFAULT_SALIENCE_SD);
		}
	}
	*out = v;
	*n = k;
	return PL_OK;
}

/* A normal truncated to [lo, hi] by rejection; after 64 misses (the mean
 * far outside the range) the last draw is clamped. */
static double truncated_normal(double mean, double sd, double lo, double hi, gsl_rng *r)
{
	double x = mean;
	for (int t = 0; t < 64; t++) {
		x = mean + gsl_ran_gaussian_ziggurat(r, sd);
		if (x >= lo && x <= hi)
			return x;
	}
	return x < lo ? lo : hi;
}

/* A beta on [lo, hi] with the given mean and sd (method of moments); the sd
 * is capped at 0.99 of the largest a beta with that mean can have. */
static double beta_on(double mean, double sd, double lo, double hi, gsl_rng *r)
{
	double w = hi - lo, m = (mean - lo) / w, s = sd / w;
	if (m <= 0 || m >= 1)
		return mean;
	double smax2 = m * (1 - m);
	if (s * s >= 0.99 * smax2)
		s = sqrt(0.99 * smax2);
	double nu = smax2 / (s * s) - 1;
	return lo + w * gsl_ran_beta(r, m * nu, (1 - m) * nu);
}

static double uniform_on(double mean, double half, double lo, double hi, gsl_rng *r)
{
	double a = mean - half < lo ? lo : mean - half;
	double b = mean + half > hi ? hi : mean + half;
	return a + (b - a) * gsl_rng_uniform(r);
}

/* The centre and bounds in->dist spreads around: the input's nominal value
 * on [lo, hi], or for a capability a factor around 1 (a beta lives on
 * [0, 2] so it stays symmetric).  0 when the input cannot vary: a capability
 * of 0 stays 0 whatever factor it gets. */
static int input_support(const pl_input *in, double *mean, double *lo, double *hi)
{
	*mean = in->nominal;
	if (in->kind != PL_INPUT_CAPABILITY)
		return 1;
	*mean = 1;
	*lo = 0;
	*hi = in->dist.kind == PL_DIST_BETA ? 2 : HUGE_VAL;
	return in->nominal > 0;
}

double pl__input_draw(const pl_input *in, double lo, double hi, gsl_rng *r)
{
	double mean, a = in->dist.a;
	if (!input_support(in, &mean, &lo, &hi))
		return 1;
	switch (in->dist.kind) {
	case PL_DIST_NONE: return mean;
	case PL_DIST_NORMAL: {
		double x = truncated_normal(mean, a, lo, hi, r);
		/* a capability factor of 0 would take the actor off the table */
		return in->kind == PL_INPUT_CAPABILITY && x <= 0 ? 1e-9 : x;
	}
	case PL_DIST_UNIFORM: return uniform_on(mean, a, lo, hi, r);
	case PL_DIST_BETA: return beta_on(mean, a, lo, hi, r);
	}
	return mean;
}

/* F^-1(p) of the distribution pl__input_draw draws from; NAN when the
 * input does not vary (every draw the same value). */
static double input_quantile(const pl_input *in, double lo, double hi, double p)
{
	double mean, a = in->dist.a;
	if (!input_support(in, &mean, &lo, &hi))
		return NAN;
	switch (in->dist.kind) {
	case PL_DIST_NONE: return NAN;
	case PL_DIST_NORMAL: {
		if (!(a > 0))
			return NAN;
		/* the normal truncated to [lo, hi] (the rejection's distribution) */
		double fa = gsl_cdf_ugaussian_P((lo - mean) / a),
		       fb = isinf(hi) ? 1.0 : gsl_cdf_ugaussian_P((hi - mean) / a);
		if (!(fb > fa))
			return NAN;
		return mean + a * gsl_cdf_ugaussian_Pinv(fa + p * (fb - fa));
	}
	case PL_DIST_UNIFORM: {
		double l = mean - a < lo ? lo : mean - a, h = mean + a > hi ? hi : mean + a;
		return h > l ? l + p * (h - l) : NAN;
	}
	case PL_DIST_BETA: {
		double w = hi - lo, m = (mean - lo) / w, sd = a / w;
		if (m <= 0 || m >= 1 || !(sd > 0))
			return NAN;
		double smax2 = m * (1 - m);
		if (sd * sd >= 0.99 * smax2)
			sd = sqrt(0.99 * smax2);
		double nu = smax2 / (sd * sd) - 1;
		return lo + w * gsl_cdf_beta_Pinv(p, m * nu, (1 - m) * nu);
	}
	}
	return NAN;
}

void pl__input_bin_edges(const pl_input *in, double lo, double hi, size_t nb, double *edges)
{
	for (size_t b = 1; b < nb; b++) {
		double x = input_quantile(in, lo, hi, (double)b / (double)nb);
		edges[b - 1] = isnan(x) ? HUGE_VAL : x;
	}
}
