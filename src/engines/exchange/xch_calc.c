/* xch_calc.c - one potential exchange under equal gain (Stokman & Van
 * Oosten 1994, as Decide computes it; docs/models/exchange.md): the
 * exchange ratios, the moves with their caps, the check that a move does not
 * carry the weighted mean past the demanding actor's position, and whether
 * the exchange can still be made. */
#include "engines/exchange/xch.h"
#include "parley/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Gives i's and j's moves (sizes so far) their directions, towards the
 * other's demand, records them among the round's moves and sets the
 * supply positions they lead to. */
static inline void place_moves(xch_side *i, xch_side *j)
{
	if (i->sup_pos > j->dem_pos)
		i->move = -i->move;
	if (j->sup_pos > i->dem_pos)
		j->move = -j->move;
	pl__xch_moves_push(&i->moves, i->move);
	pl__xch_moves_push(&j->moves, j->move);
	i->y = i->sup_pos + i->move;
	j->y = j->sup_pos + j->move;
}

void pl__xch_place_moves(xch_side *i, xch_side *j)
{
	place_moves(i, j);
}

/* A move is valid when it is more than 1e-10 and at most 100, keeps the
 * position on the scale, and it and the actor's earlier moves this round
 * all go one way and add up to at most 100.  (The one-way test leaves out a
 * move that is not a number, as fmin and fmax would: such a move is the
 * last of an exchange already found impossible.) */
static inline int move_valid_any(const xch_side *s, double move, int last)
{
	const double eps = 1e-9; /* rounding at the scale's ends */
	double a = fabs(move), at = s->sup_pos + move;
	if (!(a <= 100 && a > 1e-10)) /* (not finite, more than 100, or too small) */
		return 0;
	if (at < -eps || at > 100 + eps)
		return 0;
	const xch_moves *m = &s->moves;
	if (m->n == 1 && m->has_last) { /* (the sum below for one move) */
		if (last) /* (it is move, checked above) */
			return 1;
		double v = m->last;
		return v <= 100 && v == v && v != 0;
	}
	double sum = m->sum;
	int any = m->any, neg = m->neg, posv = m->pos;
	if (m->has_last) {
		double v = m->last;
		sum += v;
		any |= v == v;
		neg &= !(v >= 0);
		posv &= !(v <= 0);
	}
	if (sum > 100)
		return 0;
	return any && (neg || posv);
}

/* (move is the side's last move: every call below) */
static inline int move_valid(const xch_side *s, double move)
{
	return move_valid_any(s, move, 1);
}

int pl__xch_move_valid(const xch_side *s, double move)
{
	return move_valid_any(s, move, 0);
}

static double sc(const xch_round *r, size_t a, size_t i)
{
	size_t d = r->m->d;
	return r->m->sal[a * d + i] * r->m->pow[a * d + i];
}

double pl__xch_adjust_nbs(const xch_round *r, const xch_exchange *e, const xch_side *s, double at)
{
	size_t i = s->supply, a = s->actor, d = r->m->d;
	double den = r->m->den[i];
	if (den == 0)
		return 0;
	/* the numerator with e's moved positions in it, and a's own position
	 * (moved or not) replaced by at: one pass over the moves */
	double num = r->num[i], self = r->pos[a * d + i];
	const xch_update *up = XCH_UP(e);
	for (size_t k = 0; k < e->n_up; k++) {
		const xch_update *u = &up[k];
		if (u->issue != i)
			continue;
		if (u->actor == a)
			self = u->pos;
		num += (u->pos - r->pos[u->actor * d + i]) * sc(r, u->actor, i);
	}
	num += (at - self) * sc(r, a, i);
	return num / den;
}

/* The exchange ratio of a move of size delta by s (its share of the weighted
 * mean's shift). */
static double ratio_of(const xch_round *r, const xch_side *s, double delta)
{
	(void)r;
	return delta * s->sup_sal * s->sup_pow / s->den;
}

/* The move that gives exchange ratio ratio on s's supply issue. */
static double move_of(const xch_round *r, const xch_side *s, double ratio)
{
	(void)r;
	return ratio * s->den / s->sc; /* (sc: sup_sal x sup_pow, the same product) */
}

/* The ratio on the other issue that gives both actors the same gain:
 * (s_supply + o_demand) / (s_demand + o_supply) times s's ratio. */
static double equal_gain_ratio(const xch_side *s, const xch_side *o, double ratio)
{
	(void)o;
	return s->egr * ratio; /* (egr: that quotient, computed when listed) */
}

/* |demand ratio x supply salience - supply ratio x demand salience| (Decide's
 * expected_utility, arguments as it takes them). */
static double eu_of(const xch_side *s, double a, double b)
{
	return fabs(a * s->sup_sal - b * s->dem_sal);
}

/* Whether a weighted mean moving from `from` to `to` passes t: t lies
 * between them by more than a rounding error (a mean that an earlier
 * exchange brought to t, or a move that takes it exactly to t, does not
 * pass it). */
static inline int passes(double from, double to, double t)
{
	const double eps = 1e-9;
	return !((t - from >= -eps && t - to >= -eps) || (t - from <= eps && t - to <= eps));
}

void pl__xch_learnt(const xch_round *r, const xch_exchange *e, xch_side *s)
{
	size_t i = s->supply, a = s->actor, d = r->m->d;
	double num = r->num[i], self = r->pos[a * d + i];
	int moved = 0;
	const xch_update *up = XCH_UP(e);
	for (size_t k = 0; k < e->n_up; k++) {
		const xch_update *u = &up[k];
		if (u->issue != i)
			continue;
		if (u->actor == a) {
			self = u->pos;
			moved = 1;
		}
		num += (u->pos - r->pos[u->actor * d + i]) * sc(r, u->actor, i);
	}
	s->lnum = num;
	s->lself = self;
	s->lself_moved = moved;
}

/* The mean cap itself (check_nbs, when the mean passes o's position): x
 * moves only as far as brings the mean to o's position, and o's move
 * shrinks to keep the gains equal.  num, self, self_moved: x's learnt ones. */
static __attribute__((noinline)) void cap_at_mean(xch_round *r, xch_exchange *e, xch_side *x,
						  xch_side *o, double num, double self,
						  int self_moved)
{
	size_t i = x->supply, a = x->actor, d = r->m->d;
	double den = r->m->den[i], xsc = x->sc;
	double t = o->dem_pos;
	/* how far x must move for the mean to reach t (Decide's
	 * adjusted_nbs_by_position: a learnt position of x's stands for its own) */
	double snum = self_moved ? num : num + (x->sup_pos - r->pos[a * d + i]) * xsc;
	double delta = fabs((t * den - snum) / xsc);
	e->dp = ratio_of(r, x, delta);
	e->dq = equal_gain_ratio(x, o, e->dp);
	o->move = fabs(move_of(r, o, e->dq));
	x->move = delta;
	if (o->sup_pos > x->dem_pos)
		o->move = -o->move;
	if (x->sup_pos > o->dem_pos)
		x->move = -x->move;
	pl__xch_moves_set_last(&o->moves, o->move);
	pl__xch_moves_set_last(&x->moves, x->move);
	o->y = o->sup_pos + o->move;
	x->y = x->sup_pos + x->move;
	e->gain = eu_of(o, e->dq, e->dp);
	x->nbs1 = den == 0 ? 0 : (num + (x->y - self) * xsc) / den;
}

/* Decide's check_nbs for side x against o: the weighted means of x's supply
 * issue before and after its move, and the mean cap when the move carries
 * the mean past o's position (1 then; rare: 99 of 10,148 checks in a COP21
 * round, so the cap is out of line and the rest inlined). */
static inline int check_nbs(xch_round *r, xch_exchange *e, xch_side *x, xch_side *o)
{
	double den = x->den;
	double num = x->lnum, self = x->lself, xsc = x->sc;
	double num0 = num + (x->sup_pos - self) * xsc;
	x->nbs0 = den == 0 ? 0 : num0 / den;
	x->nbs1 = den == 0 ? 0 : (num + (x->y - self) * xsc) / den;
	if (!passes(x->nbs0, x->nbs1, o->dem_pos))
		return 0;
	cap_at_mean(r, e, x, o, num, self, x->lself_moved);
	return 1;
}

void pl__xch_check_nbs(xch_round *r, xch_exchange *e, xch_side *x, xch_side *o)
{
	(void)check_nbs(r, e, x, o);
}

/* The mean cap, the validity and Decide's randomisation, once the moves
 * before the cap are placed.  reuse: the moves are those of the last
 * calculation (only learnt positions changed): a side that learnt nothing
 * on its supply issue since then gives the same check again, and is not
 * checked when that one met no cap and was not randomised. */
static inline int calculate_capped(xch_round *r, xch_exchange *e, int reuse)
{
	xch_side *i = &e->i, *j = &e->j;
	if (!e->valid)
		return PL_OK;
	int rnd = r->m->p > 0;
	reuse = reuse && !e->capped && !rnd;
	/* (the moves checked above stand unless the mean cap changed them) */
	int capped = !reuse || i->dirty ? check_nbs(r, e, i, j) : 0;
	capped |= !reuse || capped || j->dirty ? check_nbs(r, e, j, i) : 0;
	i->dirty = j->dirty = 0;
	e->capped = capped || rnd;
	if (capped)
		e->valid = move_valid(i, i->move) && move_valid(j, j->move);
	if (e->valid && rnd)
		return pl__xch_randomize(r, e);
	return PL_OK;
}

int pl__xch_calculate(xch_round *r, xch_exchange *e)
{
	if (r->m->random_rate)
		return pl__xch_rate_calculate(r, e);
	xch_side *i = &e->i, *j = &e->j;
	e->calcs++;
	/* (in locals: the stores into e would make the compiler read the sides
	 * again) */
	double isp = i->sup_pos, jsp = j->sup_pos, idp = i->dem_pos, jdp = j->dem_pos;
	/* a move against the side's earlier ones makes the exchange impossible
	 * whatever its size (move_valid): the signs of the moves are those of
	 * the positions' differences when no salience or power is negative */
	if (r->nonneg && (pl__xch_against(&i->moves, isp > jdp) || pl__xch_against(&j->moves, jsp > idp))) {
		e->valid = 0;
		return PL_OK;
	}
	/* j first moves all the way to i's position on j's supply issue */
	double jall = fabs(idp - jsp);
	double dp = jall * j->sup_sal * j->sup_pow / j->den;		/* ratio_of */
	double dq = j->egr * dp;					/* equal_gain_ratio */
	double im = dq * i->den / i->sc, jm = jall;			/* move_of */
	/* unless that asks i to move past j's position: then i moves all the way */
	double iall = fabs(jdp - isp);
	if (fabs(im) > iall) {
		dq = iall * i->sup_sal * i->sup_pow / i->den;
		dp = i->egr * dq;
		im = iall;
		jm = dp * j->den / j->sc;
	}
	/* place_moves */
	if (isp > jdp)
		im = -im;
	if (jsp > idp)
		jm = -jm;
	pl__xch_moves_push(&i->moves, im);
	pl__xch_moves_push(&j->moves, jm);
	i->move = im;
	j->move = jm;
	i->y = isp + im;
	j->y = jsp + jm;
	double gain = fabs(dq * i->sup_sal - dp * i->dem_sal); /* eu_of(i, dq, dp) */
	e->dp = dp;
	e->dq = dq;
	e->gain = i->eu = j->eu = gain;
	int valid = move_valid(i, im) && move_valid(j, jm) && gain >= 1e-10;
	e->valid = valid;
	e->pre = (xch_precap){im, jm, dp, dq, gain, valid};
	return calculate_capped(r, e, 0);
}

int pl__xch_recalculate_learnt(xch_round *r, xch_exchange *e)
{
	if (r->m->random_rate)
		return pl__xch_rate_calculate(r, e);
	/* the positions and earlier moves are those of the last calculation:
	 * so is everything before the cap */
	xch_side *i = &e->i, *j = &e->j;
	e->calcs++;
	if (!e->capped && !(r->m->p > 0)) {
		/* the last calculation met no cap and was not randomised: its
		 * moves (which after() took off), positions, ratios, gain and
		 * validity are e->pre's already */
		pl__xch_moves_push(&i->moves, e->pre.i_move);
		pl__xch_moves_push(&j->moves, e->pre.j_move);
		return calculate_capped(r, e, 1);
	}
	i->move = e->pre.i_move;
	j->move = e->pre.j_move;
	pl__xch_moves_push(&i->moves, i->move);
	pl__xch_moves_push(&j->moves, j->move);
	i->y = i->sup_pos + i->move;
	j->y = j->sup_pos + j->move;
	e->dp = e->pre.dp;
	e->dq = e->pre.dq;
	e->gain = i->eu = j->eu = e->pre.gain;
	e->valid = e->pre.valid;
	return calculate_capped(r, e, 1);
}
