/* smp_internal.h - the spatial model of politics (smp engine) inside: the
 * model's state, its nine behavioural parameters, and the pieces the turn
 * loop is made of.  docs/models/smp.md gives every formula and constant. */
#ifndef PL_SMP_INTERNAL_H
#define PL_SMP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "parley/error.h"

/* The nine parameters, with KTAB's names; the enum values are KTAB's order. */
typedef enum smp_vpm { VPM_LINEAR, VPM_SQUARE, VPM_QUARTIC, VPM_OCTIC, VPM_BINARY } smp_vpm;
typedef enum smp_pcem { PCE_CONDITIONAL, PCE_MARKOV_INCENTIVE, PCE_MARKOV_UNIFORM } smp_pcem;
typedef enum smp_stm { STM_DETERMINISTIC, STM_STOCHASTIC } smp_stm;
typedef enum smp_vr { VR_BINARY, VR_PROPBIN, VR_PROP, VR_PROPCBC, VR_CUBIC, VR_ASYMPROSP } smp_vr;
typedef enum smp_radj { RA_NONE, RA_ONETHIRD, RA_HALF, RA_TWOTHIRDS, RA_FULL } smp_radj;
typedef enum smp_rrng { RR_MIN, RR_MID, RR_MAX } smp_rrng;
typedef enum smp_tpc { TPC_NO, TPC_SEMI, TPC_FULL } smp_tpc;
typedef enum smp_ivb { IVB_S1P1, IVB_S2P2, IVB_S2PMAX } smp_ivb;
typedef enum smp_bm { BM_INIT_ONLY, BM_INIT_RCVR, BM_PWCOMP } smp_bm;

typedef struct smp_params {
	smp_vpm vpm;
	smp_pcem pcem;
	smp_stm stm;
	smp_vr vr;
	smp_radj radj;
	smp_rrng rrng;
	smp_tpc tpc;
	smp_ivb ivb;
	smp_bm bm;
} smp_params;

/* KTAB's constants (docs/models/smp.md, "Constants"). */
#define SMP_POS_TOL	    1e-3  /* positions closer than this are one position */
#define SMP_MIN_SIG_EDU	    1e-5  /* smallest expected gain worth a challenge */
#define SMP_MIN_COALITION   1e-8  /* seed strength of every coalition in a PCE */
#define SMP_MIN_CLTN_CHLG   1e-10 /* seed strength of the two sides of a challenge */
#define SMP_MIN_W	    1e-6  /* keeps bargain interpolation away from 0/0 */
#define SMP_MIN_ITER	    2
#define SMP_MAX_ITER	    100
#define SMP_MIN_DELTA_RATIO 0.02
#define SMP_MIN_SIG_DELTA   1e-4

/* A proposed bargain: init moves to pi, rcvr to pr.  init == rcvr is the
 * status quo (no one moves). */
typedef struct smp_bargain {
	size_t init, rcvr;
	double *pi, *pr; /* d coordinates each, on [0, 1] */
} smp_bargain;

struct smp_log; /* optional SQLite record, smp_log.c */

/* The model: fixed data, the current state, and scratch. */
typedef struct smp_model {
	size_t n, d;
	smp_params par;
	uint64_t seed;
	int threads;
	const double *cap;   /* n */
	const double *sal;   /* n x d, on [0, 1] */
	double *salsum;	     /* n: sum of an actor's saliences */
	double *wn;	     /* n: salsum x cap, an actor's weight in a challenge */
	size_t *perm;	     /* n: the actors by wn, heaviest first (ties: by index) */
	size_t *place;	     /* n: each actor's place in perm */
	double *wn_p;	     /* SMP_PAD(n): wn in that order, +0.0 past the last */
	const double *accom; /* n x n ideal-accommodation matrix, or NULL = identity */
	/* current state */
	double *pos;   /* n x d */
	double *idl;   /* n x d ideals */
	double *vdiff; /* n x n: distance from ideal i to position j, i's weights */
	double *vdiff_t; /* its transpose, for the loops over i at fixed j */
	/* n x SMP_PAD(n): [j * SMP_PAD(n) + k] = vdiff[perm[k] * n + j], +0.0
	 * past the last place: a target's distances in the voters' order */
	double *vdiff_p;
	double *risk;  /* n: risk attitudes R_i */
	double *selfu_t; /* n x n: [x * n + a] = u^a(a, x), each actor's own utility
			  * for x's position */
	double *p_rn;  /* n: risk-neutral PCE probability of each position */
	/* this turn's challenges and bargains */
	long *target;	  /* n: initiator i's chosen target, -1 for none */
	double *p_init;	  /* n: i's estimate that i beats its target */
	double *p_rcvr;	  /* n: the target's estimate that i beats it */
	double *edu_rcvr; /* n: the target's estimate of i's expected gain */
	double *best_edu; /* n: the expected gain of that challenge */
	smp_bargain *brg; /* up to 2n proposals (index 2i, 2i+1 from initiator i) */
	double *brg_mem;
	size_t *chosen; /* n: index into brg of the bargain each actor adopts; SIZE_MAX = SQ */
	/* (2n + 1) x n: every actor's value of the state after each bargain
	 * (row 2n: the status quo), taken once a turn for the two actors whose
	 * PCEs weigh a bargain */
	double *brg_val;
	double *newpos; /* n x d */
	unsigned turn;
	int sd_unit; /* every vdiff is in [0, 1] (so every utility is in [0, 1]) */
	int avx2; /* the CPU has AVX2 (smp_lanes.c); the same bits either way */
	/* 1: every challenge summed whole, one target at a time, as before the
	 * stop rule and the lanes (tests compare the two; the same bits) */
	int plain;
	struct smp_log *log;
	/* The actors in the order of their ids (NULL: index order) and each
	 * actor's place in it.  Every choice that would otherwise go to the lower
	 * index (a tie between targets or bargains, which actor stands for a
	 * cluster of distinct positions, the stochastic draws) goes by this
	 * order, so reordering a case's actors reorders the result and changes
	 * nothing else (docs/models/smp.md, "Actor order"). */
	const size_t *order, *rank; /* n each */
} smp_model;

/* The actor at place q of the id order, and actor a's place in it. */
static inline size_t pl__smp_ord(const smp_model *m, size_t q)
{
	return m->order ? m->order[q] : q;
}

static inline size_t pl__smp_rank(const smp_model *m, size_t a)
{
	return m->rank ? m->rank[a] : a;
}

/* ---- smp_pce.c: votes, victory probabilities, PCE, risk ---------------- */
/* Actor's vote (weight w) between options worth uij and uik to it; inline
 * because the challenge loop calls it n^3 times a turn. */
static inline double pl__smp_vote_inline(smp_vr vr, double w, double uij, double uik)
{
	const double du = uij - uik;
	double bin = du / 1e-8;
	bin = bin > 1 ? 1 : bin;
	bin = bin < -1 ? -1 : bin;
	switch (vr) {
	case VR_BINARY: return w * bin;
	case VR_PROPBIN: return w * ((1 - 0.2) * du + 0.2 * bin);
	case VR_PROP: return w * du;
	case VR_PROPCBC: return w * ((1 - 0.5) * du + 0.5 * (du * du * du));
	case VR_CUBIC: return w * (du * du * du);
	case VR_ASYMPROSP:
		if (du < 0.0)
			return w * du;
		if (du > 0.0)
			return (2.0 * w * du) / 3.0;
		return 0.0;
	}
	return 0.0;
}

double pl__smp_vote(smp_vr vr, double w, double uij, double uik);
double pl__smp_bsutil(double sd, double r);
/* pl__smp_bsutil, inline for the challenge loop */
static inline double pl__smp_bsutil_inline(double sd, double r)
{
	if (sd <= 1)
		return (1 - sd) * (1 + sd * r);
	return (1 - sd) * (1 + r);
}
double pl__smp_est_nra(double rh, double ri, smp_radj ra);
/* Fills risk[n] from probabilities p[n] (KTAB's bigRfromProb). */
void pl__smp_big_r(const double *p, size_t n, smp_rrng rr, double *risk);
/* PCE over m options: u is n x m (row-major), w the n voting weights.
 * c (m x m) and pv (m x m) are scratch; p receives m probabilities.
 * Returns PL_OK or PL_EINPUT when a Markov PCE does not settle. */
int pl__smp_scalar_pce(size_t n, size_t m, const double *w, const double *u, smp_vr vr, smp_vpm vpm,
		       smp_pcem pcem, double *c, double *pv, double *p, pl_error *err);

/* pl__smp_scalar_pce over m options that fall in mc classes of options
 * with the same utilities (bit for bit): uc is n x mc, cls[i] the class of
 * option i.  The same bits as pl__smp_scalar_pce over the m columns;
 * every voting rule but ASymProsp (PL_EINTERNAL). */
int pl__smp_class_pce(size_t n, size_t m, const double *w, const double *uc, size_t mc,
		      const size_t *cls, smp_vr vr, smp_vpm vpm, smp_pcem pcem, double *c,
		      double *pv, double *p, pl_error *err);
/* Classes of actors at the same position, bit for bit (smp_turn.c): cls[n]
 * each actor's class, rep[] each class's first actor, classes in the order
 * of their first actors.  Returns the number of classes, 0 when out of
 * memory. */
size_t pl__smp_position_classes(const double *pos, size_t n, size_t d, size_t *cls, size_t *rep);

/* Distinct positions (KTAB's unique indices, found in id order) and their
 * PCE probabilities in the current state: uniq[nu] actor indices, prob[nu].
 * Needs assess (smp_pce.c). */
int pl__smp_final_pce(smp_model *m, size_t *uniq, size_t *nu, double *prob, pl_error *err);
/* Sum over actors of the Euclidean distance between two position sets. */
double pl__smp_state_dist(const double *a, const double *b, size_t n, size_t d);

/* ---- stopping a challenge's sum (smp_turn.c, "Stopping a target's sum") -- */
/* What decides whether a target of an initiator can still be chosen: the
 * best gain so far and the terms of the gain. */
typedef struct smp_gain_stop {
	double best;
	double sj, u_vict, u_loss, eu_sq, margin;
} smp_gain_stop;

static inline smp_gain_stop pl__smp_gain_stop(double best, double sj, double u_vict,
					       double u_loss, double eu_sq)
{
	/* the margin, 1e-9 of the terms' size, is far above the rounding of
	 * the gain computed from the whole sum */
	const double au = u_vict < 0 ? -u_vict : u_vict, al = u_loss < 0 ? -u_loss : u_loss;
	const double aq = eu_sq < 0 ? -eu_sq : eu_sq;
	return (smp_gain_stop){best, sj, u_vict, u_loss, eu_sq, 1e-9 * (1 + sj) * (au + al + aq + 1)};
}

/* 1 when a target whose sides end at most at ahi (the initiator's) and at
 * least at blo (the target's) cannot be chosen; needs u_vict >= u_loss. */
static inline int pl__smp_cannot_win(const smp_gain_stop *g, double ahi, double blo)
{
	const double p = ahi / (ahi + blo);
	const double most = (1 - g->sj) * g->u_vict + g->sj * (p * g->u_vict + (1 - p) * g->u_loss) -
			    g->eu_sq + g->margin;
	return most < g->best || !(most > SMP_MIN_SIG_EDU);
}

/* ---- smp_lanes.c: a challenge's third parties four at a time ---------- */
#define SMP_LANES	 4
#define SMP_STOP_BLOCK	 16 /* third parties between two tests of the stop rule */
/* n places rounded up to a whole number of vectors (the rows in the order
 * m->perm are padded to it) */
#define SMP_PAD(n) (((n) + SMP_LANES - 1) / SMP_LANES * SMP_LANES)
/* The initiator's rows, with the third parties in the order m->perm
 * (heaviest first), SMP_PAD(n) places: wn, rh, ut_i, ut_t at place k are
 * third party perm[k]'s, +0.0 past the last.  vote: scratch, one a place. */
typedef struct smp_lane_rows {
	size_t n;
	const double *wn, *rh, *ut_i, *ut_t;
	double *vote;
	/* the tighter bound of the stop rule (smp_chlg.c, "Stopping a
	 * target's sum"): sa[k], sb[k] sums over places k, k + 1, ...; xu
	 * bounds what a third party of weight w can add to i's side of its
	 * own little coalition, per unit of w (< 0: no such bound) */
	const double *sa, *sb;
	double xu;
} smp_lane_rows;
/* A challenge under VotingRule=Prop and SemiCommit: ki, kj the principals'
 * places in m->perm, a, b their sides (ci, cj), sd the target's distances
 * in place order (m->vdiff_p). */
typedef struct smp_lanes {
	size_t ki, kj;
	double a, b;
	const double *sd;
} smp_lanes;
/* 1 when the CPU runs the AVX2 variant (for smp_model.avx2). */
int pl__smp_lanes_avx2(void);
/* Every third party's vote into r->vote, a block of SMP_STOP_BLOCK at a
 * time, stopped between blocks once the target cannot be chosen against g
 * (NULL: never), ra[k] bounding what the voters from place k on add to the
 * initiator's side: 0 when stopped, else 1. */
int pl__smp_lanes_run(const smp_model *m, const smp_lane_rows *r, smp_lanes *l,
		      const smp_gain_stop *g, const double *ra);
/* The sides after every third party (every block run), summed in index
 * order: the same bits as one challenge at a time. */
void pl__smp_lanes_sides(const smp_model *m, const smp_lane_rows *r, const smp_lanes *l,
			 double *a, double *b);

/* ---- smp_chlg.c: the challenges ------------------------------------- */
/* Initiator i (ctx: the model): its best target and the bargain(s) it
 * proposes (target, best_edu, p_init, p_rcvr, edu_rcvr, brg[2i], brg[2i+1]). */
int pl__smp_challenge_one(void *ctx, size_t i);

/* ---- smp_values.c: every actor's value of each bargain -------------- */
/* Fills brg_val for this turn's bargains and the status quo. */
int pl__smp_values(smp_model *m);
/* Actor a's utility for position p (its own risk attitude). */
double pl__smp_pos_util(const smp_model *m, size_t a, const double *p);

/* ---- smp_turn.c: one turn ---------------------------------------------- */
/* The salience-weighted distance from an ideal to a position (d issues). */
double pl__smp_bv_diff(const double *idl, const double *pos, const double *sal, size_t d);
int pl__smp_model_init(smp_model *m, size_t n, size_t d, const double *cap, const double *sal,
		       const double *pos, const double *accom, pl_error *err);
void pl__smp_model_free(smp_model *m);
/* Distances, risk attitudes (sets vdiff, risk, p_rn) for the current state. */
int pl__smp_assess(smp_model *m, pl_error *err);
/* h's estimate of the utility to actor i of actor j's position. */
double pl__smp_autil(const smp_model *m, size_t h, size_t i, size_t j);
/* h's estimate of P[i beats j] and of k's expected gain from i challenging j. */
void pl__smp_prob_edu(const smp_model *m, size_t h, size_t k, size_t i, size_t j, double *phij,
		      double *edu);
/* Third party's vote (positive: for i) in the challenge i:j, given its
 * voting weight, its utilities for i's, j's and its own position, and the
 * principals' contributions ci, cj. */
double pl__smp_third_party_vote(const smp_model *m, double wn, double uni, double unj, double unn,
				double ci, double cj);
/* One dimension of a bargain between i (at ti, salience si, win probability
 * pi) and j: the coordinates bi, bj each is to adopt. */
void pl__smp_interp_dim(smp_ivb ivb, double ti, double si, double pi, double tj, double sj,
			double pj, double *bi, double *bj);
/* Plays one turn: challenges, bargains, resolution, new positions and ideals. */
int pl__smp_turn(smp_model *m, pl_error *err);

/* ---- smp_log.c: detailed record (engine parameter log=FILE.db) --------- */
/* What the log records about its run (tables run, actor, dim). */
typedef struct smp_log_run {
	const char *case_id, *case_sha256, *forum, *params, *version;
	uint64_t seed;
	int rounds;
	const char *const *actor_id; /* n: the case's id of each model actor */
	const char *const *dim_id;   /* d: the issue id of each dimension */
} smp_log_run;
int pl__smp_log_open(struct smp_log **lg, const char *path, const smp_model *m,
		     const smp_log_run *run, pl_error *err);
int pl__smp_log_positions(struct smp_log *lg, const smp_model *m, pl_error *err);
int pl__smp_log_turn(struct smp_log *lg, const smp_model *m, pl_error *err);
int pl__smp_log_bargain_choice(struct smp_log *lg, const smp_model *m, size_t k, size_t nb,
			       const size_t *bidx, const double *p, size_t chosen);
int pl__smp_log_close(struct smp_log *lg, int commit, pl_error *err);
/* Writes the logs at parts[0..n) (one run each, as a run of the engine
 * writes) into one file at path as runs 1..n, atomically. */
int pl__smp_log_join(const char *path, const char *const *parts, size_t n, pl_error *err);

#endif
