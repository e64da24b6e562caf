/* ensemble.c - the engines combined: per issue, a weighted mean of the
 * other engines' forecasts and the scale's midpoint, with weights learned by
 * stacking on the shipped backtest cases (docs/models/ensemble.md,
 * docs/validity.md), and an interval of the held-out errors' spread.
 *
 * A component that cannot take an issue (smp without every actor's stance)
 * is left out of that issue and the weights of the others renormalised; the
 * note says so. */
#include "engines/engine_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Learned by `parley backtest data/cases --stack -e
 * compromise,median,eu,nash,smp,exchange` (its "weights_param") on the 23
 * issues with an outcome of the shipped cases; the spread is the 80 %
 * quantile of the leave-one-case-out errors of that run (docs/validity.md). */
#define SHIPPED_WEIGHTS "compromise:0,median:0,eu:0.7,nash:0,smp:0,exchange:0,midpoint:0.3"
#define SHIPPED_SPREAD "43.5"

#define MAX_COMPONENTS 16
#define MIDPOINT NULL

typedef struct component {
	const pl_engine *e; /* MIDPOINT for the scale's midpoint */
	double w;
} component;

/* Parses "NAME:W,NAME:W,..." into comp (at most MAX_COMPONENTS); 0 or -1
 * with the rule broken in why. */
static int parse_weights(const char *text, component *comp, size_t *n, char *why, size_t size)
{
	*n = 0;
	double total = 0;
	const char *p = text;
	if (!*p) {
		snprintf(why, size, "no component (write NAME:WEIGHT,...)");
		return -1;
	}
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char item[96];
		if (len == 0 || len >= sizeof item) {
			snprintf(why, size, "an empty or overlong item (write NAME:WEIGHT,...)");
			return -1;
		}
		memcpy(item, p, len);
		item[len] = '\0';
		char *colon = strchr(item, ':');
		if (!colon) {
			snprintf(why, size, "'%s' has no ':WEIGHT'", item);
			return -1;
		}
		*colon = '\0';
		char *end;
		double w = strtod(colon + 1, &end);
		if (end == colon + 1 || *end || !isfinite(w) || w < 0) {
			snprintf(why, size, "the weight of '%s' must be a number >= 0", item);
			return -1;
		}
		const pl_engine *e = MIDPOINT;
		if (strcmp(item, "midpoint") != 0) {
			e = pl_engine_find(item, NULL);
			if (!e || strcmp(item, "ensemble") == 0) {
				snprintf(why, size,
					 "'%s' is not a component (an engine other than ensemble, "
					 "or midpoint)",
					 item);
				return -1;
			}
		}
		for (size_t k = 0; k < *n; k++)
			if (comp[k].e == e) {
				snprintf(why, size, "'%s' named twice", item);
				return -1;
			}
		if (*n == MAX_COMPONENTS) {
			snprintf(why, size, "more than %d components", MAX_COMPONENTS);
			return -1;
		}
		comp[(*n)++] = (component){e, w};
		total += w;
		p += len + (comma ? 1 : 0);
	}
	if (!(total > 0)) {
		snprintf(why, size, "the weights add up to 0");
		return -1;
	}
	return 0;
}

static int check_weights(const char *text, char *why, size_t size)
{
	component comp[MAX_COMPONENTS];
	size_t n;
	return parse_weights(text, comp, &n, why, size);
}

enum { P_WEIGHTS, P_SPREAD, N_PARAMS };

static const pl_param_spec specs[N_PARAMS] = {
	[P_WEIGHTS] = {.info = {"weights", SHIPPED_WEIGHTS,
				"NAME:WEIGHT,... over engines and midpoint (the scale's middle); "
				"renormalised over the components that can take an issue",
				NULL},
		       .kind = PL_PARAM_TEXT,
		       .check = check_weights},
	[P_SPREAD] = {.info = {"spread", SHIPPED_SPREAD,
			       "half-width of the interval (low, high), in % of the scale",
			       NULL},
		      .kind = PL_PARAM_NUMBER,
		      .lo = 0,
		      .hi = 100},
};

/* Component k's forecasts of every issue into f[k * ni + i] (NAN where it
 * cannot take the issue, the reason in why[k]). */
static int run_component(const pl_case *c, size_t forum, const pl_engine_args *args,
			 const pl_engine *e, double *f, char *why, size_t size, pl_error *err)
{
	size_t ni = pl_case_n_issues(c);
	for (size_t i = 0; i < ni; i++)
		f[i] = NAN;
	why[0] = '\0';
	pl_run_options opt;
	pl_run_options_init(&opt);
	opt.forum = forum;
	opt.seed = args->seed;
	pl_result *r;
	pl_error one;
	pl_error_clear(&one);
	int rc = pl_forecast(c, e, &opt, &r, &one);
	if (rc && pl_forecast_cannot_run(e, &opt, rc) && !pl_engine_is_multidim(e) && ni > 1) {
		/* issue by issue: only the issues it cannot take are left out */
		for (size_t i = 0; i < ni; i++) {
			pl_error_clear(&one);
			opt.issue = i;
			int irc = pl_forecast(c, e, &opt, &r, &one);
			if (irc == PL_OK) {
				f[i] = pl_result_outcome(r, 0)->forecast;
				pl_result_free(r);
			} else if (pl_forecast_cannot_run(e, &opt, irc)) {
				if (!why[0])
					pl_error_format(&one, why, size);
			} else {
				if (err)
					*err = one;
				return irc;
			}
		}
		return PL_OK;
	}
	if (rc && pl_forecast_cannot_run(e, &opt, rc)) {
		pl_error_format(&one, why, size);
		return PL_OK;
	}
	if (rc) {
		if (err)
			*err = one;
		return rc;
	}
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
		f[pl_result_outcome(r, q)->issue] = pl_result_outcome(r, q)->forecast;
	pl_result_free(r);
	return PL_OK;
}

static int run_case(const pl_case *c, size_t forum, const pl_engine_args *args,
		    pl_outcome_buf *outs, pl_error *err)
{
	component comp[MAX_COMPONENTS];
	size_t nc, ni = pl_case_n_issues(c);
	char why_parse[256];
	if (parse_weights(args->param[P_WEIGHTS].s, comp, &nc, why_parse, sizeof why_parse))
		return pl_error_set(err, PL_EINPUT, "ensemble", "weights: %s", why_parse);
	double spread = args->param[P_SPREAD].d / 100;
	double *f = malloc(nc * (ni ? ni : 1) * sizeof *f);
	char(*why)[256] = calloc(nc, sizeof *why);
	if (!f || !why) {
		free(f);
		free(why);
		return pl_error_set(err, PL_ENOMEM, "ensemble", "out of memory");
	}
	int rc = PL_OK;
	for (size_t k = 0; k < nc && !rc; k++)
		if (comp[k].e != MIDPOINT && comp[k].w > 0)
			rc = run_component(c, forum, args, comp[k].e, f + k * ni, why[k],
					   sizeof why[k], err);
	for (size_t i = 0; i < ni && !rc; i++) {
		const pl_issue *is = pl_case_issue(c, i);
		pl_issue_view v;
		pl_issue_view_buf *buf;
		rc = pl_case_issue_view(c, i, forum, &v, &buf, err);
		if (rc)
			break;
		if (v.n == 0) {
			pl_issue_view_buf_free(buf);
			rc = pl_error_set(err, PL_EINPUT, is->id,
					  "no actor with a positive weight takes part in this issue");
			break;
		}
		double num = 0, den = 0, mid = (is->min + is->max) / 2;
		const char *left_out = NULL, *reason = NULL;
		for (size_t k = 0; k < nc; k++) {
			if (!(comp[k].w > 0))
				continue;
			double x = comp[k].e == MIDPOINT ? mid : f[k * ni + i];
			if (isnan(x)) {
				if (!left_out) {
					left_out = pl_engine_name(comp[k].e);
					reason = why[k];
				}
				continue;
			}
			num += comp[k].w * x;
			den += comp[k].w;
		}
		if (!(den > 0)) {
			pl_issue_view_buf_free(buf);
			rc = pl_error_set(err, PL_EINPUT, is->id,
					  "no component of the ensemble can take this issue (%s: %s)",
					  left_out ? left_out : "?", reason ? reason : "");
			break;
		}
		double fc = num / den, range = is->max - is->min;
		rc = pl__outcome_begin(&outs[i], i, v.n, v.actor);
		if (!rc)
			rc = pl__outcome_push_round(&outs[i], v.pos, fc);
		pl_issue_view_buf_free(buf);
		if (!rc)
			rc = pl__outcome_add_stat(&outs[i], "low", fmax(is->min, fc - spread * range));
		if (!rc)
			rc = pl__outcome_add_stat(&outs[i], "high", fmin(is->max, fc + spread * range));
		for (size_t k = 0; k < nc && !rc; k++)
			if (comp[k].w > 0)
				rc = pl__outcome_add_stat(&outs[i],
							  comp[k].e == MIDPOINT
								  ? "midpoint"
								  : pl_engine_name(comp[k].e),
							  comp[k].e == MIDPOINT ? mid : f[k * ni + i]);
		if (!rc && left_out)
			rc = pl__outcome_set_note(&outs[i],
						  "%s left out (%s); the other components' weights "
						  "renormalised",
						  left_out, reason);
		if (rc == PL_ENOMEM)
			rc = pl_error_set(err, PL_ENOMEM, "ensemble", "out of memory");
	}
	free(f);
	free(why);
	return rc;
}

const struct pl_engine pl_engine_ensemble = {
	.name = "ensemble",
	.summary = "the engines combined with weights learned on recorded outcomes",
	.multidim = 1,
	.params = specs,
	.n_params = N_PARAMS,
	.run_case = run_case,
};
