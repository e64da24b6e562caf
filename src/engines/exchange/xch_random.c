/* xch_random.c - Decide's randomised Equal Gain (its parameter p; docs/
 * models/exchange.md): once the equal-gain exchange is known, one of the two
 * actors, drawn at random, gains more or less than the equal gain, by up to
 * p times the distance to its largest or smallest possible gain, and the
 * moves are recomputed for that gain.  The draws are a pure function of
 * (seed, round, exchange, calculation): the same on any thread or rank. */
#include "core/rng.h"
#include "engines/exchange/xch.h"
#include "parley/error.h"

#include <math.h>

/* Three uniforms in [0, 1) for this calculation of e. */
static void draws(const xch_round *r, const xch_exchange *e, double u[3])
{
	uint32_t ctr[4] = {r->index, e->id, e->calcs, 0x78636821u};
	uint32_t key[2] = {(uint32_t)r->m->seed, (uint32_t)(r->m->seed >> 32)};
	uint32_t out[4];
	pl__philox4x32_10(ctr, key, out);
	for (int k = 0; k < 3; k++)
		u[k] = out[k] * 0x1p-32;
}

static double ratio_of(const xch_round *r, const xch_side *s, double delta)
{
	return delta * s->sup_sal * s->sup_pow / r->m->den[s->supply];
}

static double move_of(const xch_round *r, const xch_side *s, double ratio)
{
	return ratio * r->m->den[s->supply] / (s->sup_pow * s->sup_sal);
}

static double eu_of(const xch_side *s, double a, double b)
{
	return fabs(a * s->sup_sal - b * s->dem_sal);
}

/* The largest gain each actor could get (Decide's calculate_maximum_utility). */
static void max_utility(const xch_round *r, xch_exchange *e)
{
	xch_side *i = &e->i, *j = &e->j;
	int i_po = i->dem_pos == i->y, j_po = j->dem_pos == j->y;
	double ni = pl__xch_adjust_nbs(r, e, i, i_po ? i->y : j->dem_pos);
	double nj = pl__xch_adjust_nbs(r, e, j, j_po ? j->y : i->dem_pos);
	double di = fabs(i->nbs0 - ni), dj = fabs(j->nbs0 - nj);
	double loss1 = dj * j->sup_sal, gain2 = dj * i->dem_sal;
	double loss2 = di * i->sup_sal, gain1 = di * j->dem_sal;
	double over = 0;
	if (i_po && gain1 - loss1 > 0)
		over = gain2 - (loss1 / j->dem_sal) * i->sup_sal;
	if (j_po && gain2 - loss2 > 0)
		over = gain1 - (loss2 / i->dem_sal) * j->sup_sal;
	xch_side *a = gain2 > gain1 ? j : i, *o = a == j ? i : j;
	double gain = a == j ? gain1 : gain2, loss = a == j ? loss2 : loss1;
	double s = a->sup_sal / (a->sup_sal + o->dem_sal);
	double d1 = loss / (s * o->dem_sal), d2 = gain / (s * a->sup_sal);
	o->eu_max = over != 0 ? over : s * o->dem_sal * d2 - loss;
	a->eu_max = gain - s * a->sup_sal * d1;
}

/* x's gain is drawn; the moves follow from it, each capped at the other's
 * position and at the weighted mean reaching it. */
static void randomized_gain(xch_round *r, xch_exchange *e, xch_side *x, xch_side *o, double v,
			    double z)
{
	double p = r->m->p, eu = e->gain;
	double eui = v < 0.5 ? eu + p * z * (x->eu_max - eu) : eu - p * z * eu;
	double move_i = fabs(x->sup_pos - o->dem_pos);
	double rq = ratio_of(r, x, move_i);
	double rp = (eui + rq * x->sup_sal) / x->dem_sal;
	double move_j = move_of(r, o, rp);
	double euj = eu_of(o, rp, rq);
	double dxj = fabs(o->sup_pos - x->dem_pos);
	if (fabs(move_j) > dxj) {
		rp = ratio_of(r, o, dxj);
		rq = fabs((eui - rp * x->dem_sal) / x->sup_sal);
		move_j = dxj;
		move_i = move_of(r, x, rq);
		if (fabs(move_i) < fabs(x->sup_pos - o->dem_pos))
			euj = eu_of(o, rp, rq);
	} else {
		double signed_i = x->sup_pos > o->dem_pos ? -move_i : move_i;
		double nbs = pl__xch_adjust_nbs(r, e, x, x->sup_pos + signed_i);
		double t = o->dem_pos;
		if (!((t >= x->nbs0 && t >= nbs) || (t <= x->nbs0 && t <= nbs))) {
			double den = r->m->den[x->supply];
			double delta = fabs((t - x->nbs0) * den / (x->sup_sal * x->sup_pow));
			rq = ratio_of(r, x, delta);
			rp = (eui + rq * x->sup_sal) / x->dem_sal;
			move_j = move_of(r, o, rp);
			euj = eu_of(o, rp, rq);
			move_i = delta;
		}
	}
	x->eu = eui;
	o->eu = euj;
	x->move = fabs(move_i);
	o->move = fabs(move_j);
	if (x->sup_pos > o->dem_pos)
		x->move = -x->move;
	if (o->sup_pos > x->dem_pos)
		o->move = -o->move;
}

int pl__xch_randomize(xch_round *r, xch_exchange *e)
{
	double u[3];
	draws(r, e, u);
	max_utility(r, e);
	xch_side *x = u[0] < 0.5 ? &e->i : &e->j, *o = x == &e->i ? &e->j : &e->i;
	randomized_gain(r, e, x, o, u[1], u[2]);
	x->moves.last = x->move;
	o->moves.last = o->move;
	x->y = x->sup_pos + x->move;
	o->y = o->sup_pos + o->move;
	e->valid = pl__xch_move_valid(x, x->move) && pl__xch_move_valid(o, o->move);
	x->nbs0 = pl__xch_adjust_nbs(r, e, x, x->sup_pos);
	x->nbs1 = pl__xch_adjust_nbs(r, e, x, x->y);
	o->nbs0 = pl__xch_adjust_nbs(r, e, o, o->sup_pos);
	o->nbs1 = pl__xch_adjust_nbs(r, e, o, o->y);
	return PL_OK;
}
