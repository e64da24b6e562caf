/* xch.h - the exchange model's internals (docs/models/exchange.md): the
 * state of a round, the potential exchanges and the two actors of each.
 *
 * Positions are on 0-100 (each issue's scale mapped linearly, as Decide
 * does), saliences in [0, 1], powers as in the case.  Arrays indexed by
 * actor and issue are n x d, index a * d + i. */
#ifndef PL_XCH_H
#define PL_XCH_H

#include <stddef.h>
#include <stdint.h>

/* What a model run needs, fixed for the run. */
typedef struct xch_model {
	size_t n, d;		      /* actors, issues */
	const double *sal;	      /* n x d */
	const double *pow;	      /* n x d, 0 where absent */
	const unsigned char *present; /* n x d */
	double *den;		      /* d: sum of salience x power */
	double p;		      /* Decide's randomisation p (0: Equal Gain) */
	int random_rate;	      /* the random-rate model (xch_rate.c) */
	uint64_t seed;
} xch_model;

/* An actor's moves within an exchange this round (Decide's list of them),
 * kept as what the validity check reads: the last move, and the sum (in
 * list order) and the signs of the ones before it.  A recalculation
 * replaces the last move (a pop, then a push) or, when the actor moved on
 * its supply issue, adds one (a push): the last is folded into the sum
 * when a move is pushed after it.  A pop is always followed by a push
 * (after() in xch_round.c pops a side at most once before it recalculates
 * the exchange, and a calculation pushes both moves, except the
 * random-rate one of an exchange it finds impossible, which is never
 * recalculated), so a pop only ever takes off the last. */
typedef struct xch_moves {
	double last;	/* the last move (when has_last) */
	double sum;	/* 0 plus the moves before it, in order */
	uint32_t n;	/* moves, the last included */
	unsigned char has_last;
	unsigned char any, neg, pos; /* before the last: one is a number; all
				       * are < 0 (not >= 0); all are > 0 */
} xch_moves;

static inline void pl__xch_moves_clear(xch_moves *m)
{
	*m = (xch_moves){0, 0, 0, 0, 0, 1, 1};
}

static inline void pl__xch_moves_push(xch_moves *m, double v)
{
	if (m->has_last) {
		double w = m->last;
		m->sum += w;
		m->any |= w == w;
		m->neg &= !(w >= 0);
		m->pos &= !(w <= 0);
	}
	m->last = v;
	m->has_last = 1;
	m->n++;
}

static inline void pl__xch_moves_pop(xch_moves *m)
{
	if (m->has_last) {
		m->has_last = 0;
		m->n--;
	}
}

/* Whether a move pushed now, negative (neg) or positive, goes against
 * the moves before it (those before the last and the last when it was not
 * popped): move_valid then finds the exchange impossible. */
static inline int pl__xch_against(const xch_moves *m, int neg)
{
	if (m->n == 0)
		return 0;
	if (neg)
		return !(m->neg && (!m->has_last || !(m->last >= 0)));
	return !(m->pos && (!m->has_last || !(m->last <= 0)));
}

/* Replaces the last move (Decide's pop and append). */
static inline void pl__xch_moves_set_last(xch_moves *m, double v)
{
	if (m->has_last)
		m->last = v;
}

/* One actor of an exchange: it gives (moves) on its supply issue and
 * gains on its demand issue. */
typedef struct xch_side {
	uint32_t actor, supply, demand;
	unsigned char lself_moved; /* (see lnum) */
	unsigned char dirty;	   /* learnt something since its mean was last checked */
	double sup_pos, dem_pos; /* its own positions (sup_pos follows realised moves) */
	double sup_sal, dem_sal, sup_pow;
	double start;	/* its position on the supply issue when the round began */
	double move, y; /* the move it makes and its voting position */
	double nbs0, nbs1;
	double eu, eu_max;
	double sc;  /* sup_sal x sup_pow */
	double den; /* the weighted mean's denominator on the supply issue */
	double egr; /* (sup_sal + other's dem_sal) / (dem_sal + other's sup_sal):
		     * its ratio over the other's, for equal gains */
	/* the weighted mean's numerator on the supply issue with the positions
	 * the exchange has learnt of (Decide's updates) in it, this actor's own
	 * position in that sum (learnt, or where it started) and whether it was
	 * learnt: kept up to date as the exchange learns (xch_round.c) */
	double lnum, lself;
	size_t sup_key, dem_key; /* actor x d + supply, actor x d + demand */
	xch_moves moves;
} xch_side;

/* Positions of other actors on an issue that realised exchanges moved, as
 * this exchange sees them (Decide's `updates`). */
typedef struct xch_update {
	uint32_t issue, actor;
	double pos;
} xch_update;

#define XCH_UP_INL 4
#define XCH_UP(e) ((e)->up ? (e)->up : (e)->up_inl)

/* An equal-gain exchange's last calculation before the mean cap (signed
 * moves, ratios, gain, validity): a recalculation that only learnt of other
 * actors' moves starts from it. */
typedef struct xch_precap {
	double i_move, j_move, dp, dq, gain;
	int valid;
} xch_precap;

typedef struct xch_exchange {
	xch_side i, j;
	xch_precap pre;
	double gain, dp, dq;
	int valid;
	int capped; /* the last calculation met the mean cap (or was randomised) */
	uint32_t id;	/* creation order within the round */
	uint32_t calcs; /* times calculated (for the random draws) */
	xch_update *up; /* NULL: in up_inl (up to XCH_UP_INL) */
	uint32_t n_up, cap_up;
	uint64_t up_seen; /* bit (actor x d + issue) mod 64 of each in up set */
	xch_update up_inl[XCH_UP_INL];
} xch_exchange;

/* One realised exchange, for the trace. */
typedef struct xch_done {
	size_t actor[2], issue[2];
	double from[2], to[2], gain[2];
} xch_done;

/* A round: positions at its start (n x d, 0-100), the weighted means, and
 * the potential exchanges. */
typedef struct xch_round {
	const xch_model *m;
	double *pos; /* n x d */
	double *num; /* d: sum of position x salience x power */
	double *nbs; /* d */
	uint32_t index;
	xch_exchange *x; /* the possible exchanges */
	size_t n_x, cap_x;
	size_t init_x; /* slots of x whose buffer (up) is set up */
	uint32_t n_made; /* exchanges listed (the possible ones and the others) */
	xch_done *done;
	size_t n_done, cap_done;
	int oom;
	int nonneg; /* every salience and power >= 0 (this round's listing) */
} xch_round;

/* Plays one round from r->pos: lists the exchanges, carries them out in
 * order of gain, and leaves in vote (n x d) the voting positions (r->pos
 * where an actor did not move) and in next the positions the next round
 * starts from.  PL_OK or PL_ENOMEM. */
int pl__xch_round(xch_round *r, double *vote, double *next);
void pl__xch_round_free(xch_round *r);

/* The exchange ratios and moves of exchange e under equal gain, its
 * validity, and Decide's randomisation when m->p > 0. */
int pl__xch_calculate(xch_round *r, xch_exchange *e);
/* The same, when since the last calculation e has only learnt of other
 * actors' moves (its actors' positions and earlier moves are as they were
 * then): the moves before the mean cap are taken from e->pre. */
int pl__xch_recalculate_learnt(xch_round *r, xch_exchange *e);
/* The weighted mean of issue s->supply with s->actor at position at and
 * the positions e saw moved (Decide's adjusted NBS). */
double pl__xch_adjust_nbs(const xch_round *r, const xch_exchange *e, const xch_side *s, double at);
/* Side s's learnt numerator, own position and flag (its lnum, lself,
 * lself_moved) from the round's means and e's updates. */
void pl__xch_learnt(const xch_round *r, const xch_exchange *e, xch_side *s);
int pl__xch_move_valid(const xch_side *s, double move);
/* Signs, records and applies an exchange's two moves (xch_calc.c). */
void pl__xch_place_moves(xch_side *i, xch_side *j);
/* The randomised gain of side s (Decide's p > 0). */
int pl__xch_randomize(xch_round *r, xch_exchange *e);
/* The mean cap for side x against o (step 6 of docs/models/exchange.md). */
void pl__xch_check_nbs(xch_round *r, xch_exchange *e, xch_side *x, xch_side *o);

/* The random-rate model (xch_rate.c): an exchange's moves from its drawn
 * exchange ratios, and the round's exchanges carried out by the lowering
 * of gains until two actors' best exchanges meet. */
int pl__xch_rate_calculate(xch_round *r, xch_exchange *e);
int pl__xch_rate_realise(xch_round *r);
/* For xch_rate.c: exchange e after R was carried out (recalculated when R
 * moved one of its actors on an issue it takes part in), and R entered in
 * the round's list of exchanges carried out. */
int pl__xch_after(xch_round *r, xch_exchange *e, const xch_exchange *R);
int pl__xch_record(xch_round *r, const xch_exchange *R);

#endif
