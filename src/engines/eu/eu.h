/* eu.h - the expected-utility engine's internals, for its tests and for
 * analysis code that needs one round's details (risk exponents, win
 * probabilities, expected utilities, moves).  The engine itself is
 * pl_engine_eu in the registry. */
#ifndef PL_ENGINES_EU_H
#define PL_ENGINES_EU_H

#include "engines/engine_impl.h"

enum { PL_EU_PROB_GLOBAL, PL_EU_PROB_PAIRWISE };
enum { PL_EU_PERSPECTIVE_OWN, PL_EU_PERSPECTIVE_EACH };
enum { PL_EU_COMPROMISE_LOWEST, PL_EU_COMPROMISE_NEAREST };
enum { PL_EU_RANGE_START, PL_EU_RANGE_SCALE };
enum { PL_EU_MEDIAN, PL_EU_MEAN };
/* what an actor did in a round */
enum { PL_EU_STAY, PL_EU_CONFRONTATION, PL_EU_COMPROMISE, PL_EU_CAPITULATION };

/* The variants of docs/models/eu.md; pl__eu_config_default gives the one
 * that reproduces Scholz et al.'s published table. */
typedef struct pl__eu_config {
	int prob;	  /* PL_EU_PROB_* */
	int perspective;  /* PL_EU_PERSPECTIVE_* */
	int compromise;	  /* PL_EU_COMPROMISE_* */
	int capitulation; /* 1 = actors may capitulate */
	int range;	  /* PL_EU_RANGE_* */
	double q, t;	  /* status quo and improvement probabilities */
	int mu;		  /* PL_EU_MEDIAN or PL_EU_MEAN: the expected outcome in U_b, U_w */
	int forecast;	  /* PL_EU_MEDIAN or PL_EU_MEAN: each round's forecast */
	int cycle_last;	  /* on a cycle: 0 = the mean over it, 1 = the last round's */
	int path;	  /* PL_EU_PATH_*: how the pairs' tables are held (same bits) */
	const pl_engine_args *args; /* for progress (pl__engine_progress), may be NULL */
} pl__eu_config;

/* How a run holds its pairwise tables (docs/models/eu.md, "Memory").  Both
 * give the same bits; AUTO keeps the tables up to PL_EU_TABLE_MAX actors
 * and streams above, the others are for tests and benchmarks. */
enum { PL_EU_PATH_AUTO, PL_EU_PATH_TABLES, PL_EU_PATH_STREAM };
#define PL_EU_TABLE_MAX 512

void pl__eu_config_default(pl__eu_config *cfg);

/* Details of the first round.  Each pointer may be NULL; the others must
 * hold n (or n * n, row i = actor i) elements. */
typedef struct pl__eu_diag {
	double *r;	/* risk exponent of each actor */
	double *danger; /* security sum of each actor (the pass with r = 1) */
	double *prob;	/* prob[i*n+j]: P(i beats j) in the pass with the exponents */
	double *eu;	/* eu[i*n+j]: EU_i(i challenges j), as i sees it */
	int *move;	/* PL_EU_STAY, ...; with partner, the actor it gave way to */
	size_t *partner;
} pl__eu_diag;

/* Runs up to rounds rounds on a view (out begun with pl__outcome_begin). */
int pl__eu_run(const pl__eu_config *cfg, const pl_issue_view *v, int rounds, pl_outcome_buf *out,
	       pl__eu_diag *diag, pl_error *err);

#endif
