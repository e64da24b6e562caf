/* sweep_impl.h - the inside of a pl_sweep: exact fixed-point sums laid out
 * as one flat array of 128-bit words, so merging two partial sweeps (other
 * threads, other MPI ranks) is element-wise addition and the result does not
 * depend on how the samples were split. */
#ifndef PL_ANALYSIS_SWEEP_IMPL_H
#define PL_ANALYSIS_SWEEP_IMPL_H

#include "engines/engine_run.h" /* pl_param_value */
#include "parley/analysis.h"

__extension__ typedef __int128 pl_i128;
__extension__ typedef unsigned __int128 pl_u128;

/* Values in [-1, 1] are summed as integers in units of 2^-60. */
#define PL_FIX_BITS 60
/* Fine histogram over each issue's scale, for quantiles. */
#define PL_FINE_BINS 4096

/* Words of one issue, before its histograms. */
enum {
	W_N,	   /* samples with a forecast */
	W_FAILED,  /* samples without */
	W_CLAMPED, /* forecasts outside the scale, clamped onto it */
	W_CYCLING, /* runs that ended in a cycle between different forecasts */
	W_S1,	   /* sum y (y = forecast scaled to [0, 1]) */
	W_S2,	   /* sum y^2 */
	W_NSENS,   /* samples whose A, B and AB runs all gave a forecast */
	W_P,
	W_PP,
	W_Q,
	W_QQ,
	W_PQ, /* P = (yA + yB)/2, Q = (yA^2 + yB^2)/2 */
	W_HEAD
};
/* Words per factor, per issue, for the indices: U = yB (yAB - yA),
 * D = yAB - yA, T = (yA - yAB)^2 / 2, and the cross sums the delta method
 * needs. */
enum { S_U, S_D, S_UU, S_UD, S_UP, S_UQ, S_DD, S_DP, S_DQ, S_T, S_TT, S_TP, S_TQ, S_WORDS };

/* Given-data indices (PL_SENS_GIVEN): each input's range cut into GD_BINS
 * bins of equal probability; samples fall into GD_GROUPS groups by their
 * index ((j / GD_RUN) mod GD_GROUPS), whatever the split across threads and
 * ranks, for the grouped jackknife's interval.  Per issue: per group n,
 * sum y, sum y^2 (G_*); then per group, factor and bin: count and sum y
 * (group first, and runs of GD_RUN samples in one group, so that
 * consecutive samples add into the same few kilobytes). */
#define GD_BINS	  20
#define GD_GROUPS 10
#define GD_RUN	  8
enum { G_N, G_S1, G_S2, G_WORDS };
#define GD_FACTOR_WORDS (GD_GROUPS * GD_BINS * 2)
/* The count word of (group r, factor g, bin b); the sum follows it. */
#define GD_AT(nf, r, g, b) ((((r) * (nf) + (g)) * GD_BINS + (b)) * 2)

typedef struct pl_sweep_issue {
	double lo, hi; /* the scale */
	double nominal;
	size_t n_thr;
	pl_threshold *thr;    /* by kind, then ascending (issue unused) */
	pl_sweep_prob *probs; /* filled by pl__sweep_finish */
	uint64_t *bins_out;   /* the reported histogram, filled likewise */
	size_t off;	      /* first word of this issue */
	size_t off_fine, off_bins, off_ge, off_sens;
	size_t off_gd; /* given data: the groups' G_* words; off_sens follows */
} pl_sweep_issue;

/* Whether forecast f meets threshold t. */
static inline int pl__thr_hit(const pl_threshold *t, double f)
{
	return t->kind == PL_AT_MOST ? f <= t->value
	       : t->kind == PL_BETWEEN ? f >= t->value && f <= t->hi
				       : f >= t->value;
}

struct pl_sweep {
	char *engine, *params, *forum;
	uint64_t seed, n;
	int rounds; /* as pl_result_rounds */
	int sensitivity; /* PL_SENS_* as run */
	size_t bins;
	double *gd_edges; /* given data: per input GD_BINS - 1 ascending bin edges */
	size_t n_inputs;
	pl_input *inputs;
	pl_sweep_by by;
	size_t n_factors;
	size_t *factor_first; /* factor g holds factor_input[factor_first[g] .. [g + 1]) */
	size_t *factor_input;
	char **factor_label;
	size_t n_issues;
	pl_sweep_issue *issues;
	size_t n_words;
	pl_i128 *w;
	double *minmax; /* per issue: min, max */
};

/* sweep_object.c: the options' rules (PL_EINPUT naming the one broken), and
 * a new result *out recording engine, parameters (their resolved values in
 * *values, the caller's to free), seed, rounds, inputs, factors and layout;
 * on failure *out is set and the caller frees it. */
int pl__sweep_check_options(const pl_case *c, const pl_engine *e, const pl_sweep_options *o,
			    pl_error *err);
int pl__sweep_new(const pl_case *c, const pl_engine *e, const pl_sweep_options *o,
		  pl_param_value **values, pl_sweep **out, pl_error *err);

/* Groups s's inputs into factors as o->by asks (inputs set). */
int pl__sweep_factors(pl_sweep *s, const pl_case *c, pl_error *err);
void pl__sweep_factors_free(pl_sweep *s);
/* Allocates s's issues and words from the case and options (factors set). */
int pl__sweep_layout(pl_sweep *s, const pl_case *c, const pl_sweep_options *o, pl_error *err);
/* Fresh words and min/max for one worker, laid out like s. */
int pl__sweep_acc_new(const pl_sweep *s, pl_i128 **w, double **minmax);
/* Adds one worker's words into s. */
void pl__sweep_acc_add(pl_sweep *s, const pl_i128 *w, const double *minmax);
/* Computes probabilities and histograms after the sums change. */
void pl__sweep_finish(pl_sweep *s);

/* Scaled value to fixed point. */
pl_i128 pl__fix(double v);

#endif
