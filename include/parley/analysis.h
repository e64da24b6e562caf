/* analysis.h - what a case's forecast depends on: forum formats compared
 * against each other, and Monte Carlo sweeps over the case's declared
 * uncertainty with variance-based sensitivity indices.
 *
 * A sweep draws N perturbed copies of the case (sample j from its own
 * random stream, derived from (seed, j) with a counter-based generator),
 * runs an engine on each and keeps only streaming statistics whose sums are
 * exact integers, so the result is byte-identical for any number of threads
 * or processes and memory does not grow with N.  docs/analysis/sweep.md
 * gives the distributions, estimators and intervals; docs/analysis/forums.md
 * the forum comparison. */
#ifndef PARLEY_ANALYSIS_H
#define PARLEY_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"
#include "parley/engine.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the uncertain inputs of a case ------------------------------------ */

typedef enum pl_input_kind {
	PL_INPUT_CAPABILITY, /* an actor's capability, as a factor on all its issues */
	PL_INPUT_POSITION,   /* an actor's position on one issue */
	PL_INPUT_SALIENCE    /* an actor's salience on one issue */
} pl_input_kind;

/* Where an input's distribution came from. */
typedef enum pl_input_source {
	PL_SOURCE_EXACT = 0, /* no uncertainty: the value is not perturbed */
	PL_SOURCE_INPUT,     /* declared on the actor or stance itself */
	PL_SOURCE_CASE,	     /* the case's default ("uncertainty" block) */
	PL_SOURCE_BUILTIN    /* parley's default: the case declares no uncertainty at all */
} pl_input_source;

typedef struct pl_input {
	pl_input_kind kind;
	size_t actor;
	size_t issue;	/* PL_ALL_ISSUES for a capability */
	double nominal; /* the case's value (salience in [0, 1]) */
	pl_dist dist;	/* what is drawn; capability: a is a fraction of the value */
	pl_input_source source;
} pl_input;

/* Lists the inputs of a case in sweep order (per actor: capability, then
 * position and salience per issue), with their resolved distributions.
 * builtin_defaults = 0 treats a case with no declared uncertainty as exact.
 * *out is malloc'd (free()). */
int pl_case_inputs(const pl_case *c, int builtin_defaults, pl_input **out, size_t *n,
		   pl_error *err);
/* "capability USA", "position PRK nuclear", ... into buf. */
const char *pl_input_label(const pl_case *c, const pl_input *in, char *buf, size_t size);
const char *pl_input_kind_name(pl_input_kind k);

/* ---- sweeps ------------------------------------------------------------ */

typedef struct pl_sweep pl_sweep;

/* What a threshold asks: P(forecast >= value), P(forecast <= value) (for
 * an issue where lower is better), or P(value <= forecast <= hi). */
typedef enum pl_threshold_kind { PL_AT_LEAST = 0, PL_AT_MOST, PL_BETWEEN } pl_threshold_kind;

typedef struct pl_threshold {
	size_t issue; /* an issue index, or PL_ALL_ISSUES for every issue */
	double value; /* the threshold; the low end for PL_BETWEEN */
	int kind;     /* a pl_threshold_kind: PL_AT_LEAST when zeroed */
	double hi;    /* PL_BETWEEN: the high end (value <= hi) */
} pl_threshold;

/* What the sensitivity indices are computed for: each input, each actor (all
 * of its inputs moved together), or each kind of input (all capabilities,
 * all positions, all saliences). */
typedef enum pl_sweep_by { PL_BY_INPUT = 0, PL_BY_ACTOR, PL_BY_KIND } pl_sweep_by;

/* How the sensitivity indices are estimated (docs/analysis/sweep.md, 4):
 * PL_SENS_DESIGN runs Saltelli's design, N x (2 + factors) runs, and gives
 * first-order and total indices; PL_SENS_GIVEN estimates first-order
 * indices from the sweep's own N runs (equal-probability bins of each input,
 * no extra runs) and gives no total index.  Given data needs one input per
 * factor: with --by actor or kind it falls back to the design. */
enum { PL_SENS_OFF = 0, PL_SENS_DESIGN = 1, PL_SENS_GIVEN = 2 };

typedef struct pl_sweep_options {
	uint64_t n; /* samples (>= 1) */
	uint64_t seed;
	unsigned threads;	 /* worker threads, 0 = one per online core */
	size_t forum;		 /* a forum index, or PL_NO_FORUM */
	int rounds;		 /* 0 = the engine's default */
	const pl_params *params; /* engine parameters, may be NULL */
	int sensitivity;	 /* PL_SENS_*: 0 none, 1 design (N x (2 + factors) runs), 2 given data */
	pl_sweep_by by;		 /* the factors of the indices; PL_BY_INPUT after _init */
	int builtin_defaults;	 /* see pl_case_inputs; 1 after _init */
	size_t bins;		 /* histogram bins reported; 20 after _init */
	size_t n_thresholds;
	const pl_threshold *thresholds;
	/* Only samples [first, first + count) of 0..n-1 (count 0: to n).  Partial
	 * sweeps of one (n, seed) merge into the whole (pl_sweep_merge). */
	uint64_t first, count;
	pl_progress_fn progress; /* called from the calling thread, may be NULL */
	void *progress_ctx;
} pl_sweep_options;

void pl_sweep_options_init(pl_sweep_options *o);

int pl_sweep_run(const pl_case *c, const pl_engine *e, const pl_sweep_options *o, pl_sweep **out,
		 pl_error *err);
void pl_sweep_free(pl_sweep *s);

/* The statistics of a (partial) sweep as bytes, and adding such bytes from
 * another part of the same sweep into s.  Sums are exact, so the order of
 * merging does not change the result. */
int pl_sweep_pack(const pl_sweep *s, void **buf, size_t *len, pl_error *err);
int pl_sweep_merge(pl_sweep *s, const void *buf, size_t len, pl_error *err);

/* Provenance. */
const char *pl_sweep_engine(const pl_sweep *s);
const char *pl_sweep_params(const pl_sweep *s);
uint64_t pl_sweep_seed(const pl_sweep *s);
/* The most rounds each run was given (the engine's default when
 * pl_sweep_options.rounds is 0); 0 for a static engine. */
int pl_sweep_rounds(const pl_sweep *s);
uint64_t pl_sweep_n(const pl_sweep *s);
const char *pl_sweep_forum(const pl_sweep *s); /* id or NULL */
int pl_sweep_has_sensitivity(const pl_sweep *s);
/* PL_SENS_OFF, PL_SENS_DESIGN or PL_SENS_GIVEN: the estimator the sweep used
 * (PL_SENS_GIVEN asked with grouped factors runs the design). */
int pl_sweep_sensitivity_method(const pl_sweep *s);

size_t pl_sweep_n_inputs(const pl_sweep *s);
const pl_input *pl_sweep_input(const pl_sweep *s, size_t k);

/* The factors of the indices (see pl_sweep_by): "position USA nuclear",
 * "actor USA", "salience", ...  Only factors with an input are listed. */
pl_sweep_by pl_sweep_factors_by(const pl_sweep *s);
size_t pl_sweep_n_factors(const pl_sweep *s);
const char *pl_sweep_factor_label(const pl_sweep *s, size_t f);

typedef struct pl_sweep_summary {
	size_t issue;
	uint64_t n;		   /* samples that gave a forecast */
	uint64_t n_failed;	   /* samples the engine could not forecast */
	double nominal;		   /* the forecast of the unperturbed case */
	double mean, sd, min, max; /* NAN without a forecast; sd NAN with one */
	uint64_t n_cycling;	   /* samples whose run ended in a cycle between
				      different forecasts (a dynamic engine: eu, smp,
				      exchange): each counts with its cycle's mean,
				      or with cycle=last its last round's */
} pl_sweep_summary;

/* Issue i (a case index) of the sweep; PL_ENOTFOUND when out of range. */
int pl_sweep_summary_of(const pl_sweep *s, size_t issue, pl_sweep_summary *out, pl_error *err);
/* The p-quantile (0 <= p <= 1) from the fine histogram (see sweep.md). */
double pl_sweep_quantile(const pl_sweep *s, size_t issue, double p);
/* The reported histogram: bins counts over [lo, hi] (the issue's scale). */
size_t pl_sweep_histogram(const pl_sweep *s, size_t issue, const uint64_t **counts, double *lo,
			  double *hi);

typedef struct pl_sweep_prob {
	double value;  /* the threshold (the low end of a range) */
	double p;      /* share of samples with forecast >= value (or as kind says) */
	double lo, hi; /* Wilson 95 % interval */
	int kind;      /* a pl_threshold_kind */
	double upper;  /* PL_BETWEEN: the range's high end */
} pl_sweep_prob;
/* Thresholds that apply to issue i: at least, at most, then ranges, each
 * ascending; *out is valid until free. */
size_t pl_sweep_thresholds(const pl_sweep *s, size_t issue, const pl_sweep_prob **out);

typedef struct pl_sobol {
	double first, first_lo, first_hi; /* first-order index and its 95 % interval */
	double total, total_lo, total_hi; /* total index and its 95 % interval */
} pl_sobol;
/* The indices of factor f on issue i; PL_EINPUT when the sweep ran without
 * sensitivity, PL_ENOTFOUND when out of range.  When the forecast does not
 * vary at all, the indices are 0; with fewer than 2 samples they and their
 * intervals are NAN (undefined).  With given data the total index and its
 * interval are NAN (not estimated). */
int pl_sweep_sobol(const pl_sweep *s, size_t issue, size_t factor, pl_sobol *out, pl_error *err);

/* ---- forum comparison --------------------------------------------------- */

typedef struct pl_compare pl_compare;

typedef struct pl_compare_options {
	size_t n_forums;
	const size_t *forums; /* forum indices; PL_NO_FORUM = everyone at the table */
	size_t baseline;      /* index into forums[] */
	size_t n_engines;
	const pl_engine *const *engines;
	const pl_params *const *params; /* one per engine, entries may be NULL */
	int rounds;
	uint64_t seed;
} pl_compare_options;

/* An engine parameter that records a run to a file (smp's log=FILE.db) gets
 * every forum's run in that one file, written when every run has succeeded
 * (docs/analysis/forums.md, "Records"). */
int pl_compare_run(const pl_case *c, const pl_compare_options *o, pl_compare **out, pl_error *err);
void pl_compare_free(pl_compare *cmp);

/* The result of engine e (index into engines[]) under forum f (index into
 * forums[]); NULL when the engine could not run in that format (an issue with
 * no one at the table), with the reason in *why. */
const pl_result *pl_compare_result(const pl_compare *cmp, size_t f, size_t e, const char **why);

typedef struct pl_compare_cell {
	double forecast;      /* mean over the engines that ran */
	double change;	      /* against the baseline format */
	double engine_spread; /* max - min of the engines' forecasts */
	double round_spread;  /* largest max - min over the last quarter of rounds */
	int stable;	      /* both spreads within the limits of forums.md */
	size_t n_engines;     /* engines that ran */
	size_t n_agree;	      /* the most of them within 10% of the scale of one
				 another (forums.md) */
} pl_compare_cell;
int pl_compare_cell_of(const pl_compare *cmp, size_t f, size_t issue, pl_compare_cell *out);

/* Utility of actor a on issue i under forum f, averaged over engines:
 * -salience x |forecast - position| / (max - min), in [-1, 0]; NAN when the
 * actor takes no part in the issue.  gain = utility(f) - utility(baseline). */
double pl_compare_utility(const pl_compare *cmp, size_t f, size_t actor, size_t issue);
double pl_compare_gain(const pl_compare *cmp, size_t f, size_t actor, size_t issue);

#ifdef __cplusplus
}
#endif
#endif
