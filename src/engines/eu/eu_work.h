/* eu_work.h - the working state of one eu run, shared by the two halves
 * of the engine: eu_pass.c (distinct positions, log tables, votes and win
 * probabilities, dangers and risk exponents) and eu.c (expected utilities,
 * offers, moves, rounds).  Internal to the engine. */
#ifndef PL_ENGINES_EU_WORK_H
#define PL_ENGINES_EU_WORK_H

#include "core/detmath.h"
#include "engines/eu/eu.h"

#include <math.h>
#include <stddef.h>

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
	int stream;	     /* 1: no pairwise tables (eu_stream.c), O(n) memory */
	int round_at;	     /* the round being played (0 = the first), for progress */
	struct eu_stream *st; /* its state, when stream */
} eu_work;

/* The best offer of one kind an actor has seen so far. */
typedef struct eu_pick {
	int have;
	double target, key, move;
	size_t from;
} eu_pick;

/* Sorts j's challenge to i into confrontation, compromise or capitulation
 * and keeps it in pick[] if it is the best of its kind so far; the result
 * does not depend on the order in which the challenges come (eu.c). */
void pl__eu_offer(const eu_work *k, size_t i, size_t j, double eij, double eji, eu_pick pick[3]);
/* Both expected utilities of the pair (i, j) as i sees them, from i's
 * lottery terms g, h for j's position, the win probabilities pij (i's
 * position beats j's) and pji, and the logs ls, lf of the pair's
 * (0.5 -+ d/2), read only with perspective=each (eu.c). */
void pl__eu_pair_values(const eu_work *k, size_t i, size_t j, double g, double h, double pij,
			double pji, double ls, double lf, double *eij, double *eji);
/* The position an actor takes from its picks. */
double pl__eu_take(const eu_work *k, size_t i, const eu_pick pick[3]);
/* An earlier actor (in the order by position) in the same place and with
 * the same salience, hence the same moves, or n. */
size_t pl__eu_twin_of(const eu_work *k, size_t t);

/* eu_stream.c: the round without pairwise tables (docs/models/eu.md,
 * "Memory"): the same additions in the same order, O(n) memory. */
int pl__eu_stream_alloc(eu_work *k, size_t n);
void pl__eu_stream_free(eu_work *k);
/* Distinct positions, risk exponents and every actor's next position xn. */
void pl__eu_stream_round(eu_work *k);

#define EU_LN2 0.693147180559945309417232121458176568

/* base^r from log(base). */
static inline double pl__eu_pow(double lg, double r)
{
	return pl__exp(r * lg);
}

/* The part of eq. 25 that Q < 1 adds: -(1-Q)(T U_b + (1-T) U_w), with
 * e = (|x_a - mu| + |x_a - x_b|) / range for challenger a. */
static inline double pl__eu_no_challenge_term(const eu_work *k, double e, double r)
{
	double lo = 0.5 - 0.25 * e, hi = 0.5 + 0.25 * e;
	double ub = 2 - 4 * (lo > 0 ? pl__exp(r * pl__log(lo)) : 0),
	       uw = 2 - 4 * pl__exp(r * pl__log(hi));
	return -(1 - k->cfg.q) * (k->cfg.t * ub + (1 - k->cfg.t) * uw);
}

/* EU_a(a challenges b) (eq. 25) from the lottery terms: p = P(a wins),
 * s = salience of b, es, ef = (0.5 -+ d/2)^r, esq = 0.5^r. */
static inline double pl__eu_value(double p, double s, double es, double ef, double esq, double q)
{
	double us = 2 - 4 * es, uf = 2 - 4 * ef;
	return s * (p * us + (1 - p) * uf) + (1 - s) * us - q * (2 - 4 * esq);
}

/* One block for every array of a run (sized by n, not by the rounds). */
int pl__eu_work_alloc(eu_work *k, size_t n);
void pl__eu_work_free(eu_work *k);
/* Sorts the actors by position (fresh: from scratch). */
void pl__eu_sort_actors(eu_work *k, int fresh);
/* The weighted median (PL_EU_MEDIAN) or mean (PL_EU_MEAN) of the positions. */
double pl__eu_central(const eu_work *k, int which);
/* The distinct positions of this round and the log tables of their distances. */
void pl__eu_distinct_positions(eu_work *k);
/* prob[a*m+b]: the win probabilities, each voter with its exponent rv. */
void pl__eu_vote_tables_powered(eu_work *k);
/* Dangers with every exponent at 1, then each actor's risk exponent. */
void pl__eu_risk_exponents(eu_work *k);
/* Each actor's risk exponent from its danger (eqs. 32, 33). */
void pl__eu_exponents_from_dangers(eu_work *k);

#endif
