/* xch_rate.c - the random-rate exchange model (Dijkstra, van Assen, Stokman
 * and Draaijer; `-p rate=random`; docs/models/exchange.md, "Random rates"),
 * as Decide's RandomRateModel computes it.
 *
 * An exchange's two exchange ratios are drawn once, when the round lists it,
 * uniformly between the two actors' salience ratios; the moves follow from
 * them under the same caps as Equal Gain, and each actor has its own gain.
 * The round then repeats: every actor's possible exchanges ranked by its
 * gain; an exchange that is the best (or tied best) for both of its actors
 * is carried out; if there is none, each actor whose best gain stands above
 * its next one lowers the exchanges at the top to the next gain, the other
 * actor's move adjusting so that the demander gets less and the other gains
 * what it gives up.  The draws are a pure function of (seed, round,
 * exchange), so a run is the same on any thread or rank. */
#include "core/rng.h"
#include "engines/exchange/xch.h"
#include "parley/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Passes of lowering without an exchange after which a round stops (Decide's
 * deadlock limit). */
#define XCH_RATE_PASSES 1024

/* The two uniforms in [0, 1) of exchange e's ratios. */
static void draws(const xch_round *r, const xch_exchange *e, double u[2])
{
	uint32_t ctr[4] = {r->index, e->id, 0, 0x78636852u};
	uint32_t key[2] = {(uint32_t)r->m->seed, (uint32_t)(r->m->seed >> 32)};
	uint32_t out[4];
	pl__philox4x32_10(ctr, key, out);
	u[0] = out[0] * 0x1p-32;
	u[1] = out[1] * 0x1p-32;
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

int pl__xch_rate_calculate(xch_round *r, xch_exchange *e)
{
	xch_side *i = &e->i, *j = &e->j;
	if (e->calcs++ == 0) {
		/* between s_jq / s_iq and s_ip / s_jp (p: j's supply issue),
		 * from the larger towards the smaller */
		double a = j->dem_sal / i->sup_sal, b = i->dem_sal / j->sup_sal, u[2];
		if (b > a) {
			double t = a;
			a = b;
			b = t;
		}
		draws(r, e, u);
		e->dp = a + (b - a) * u[0];
		e->dq = a + (b - a) * u[1];
	}
	if (!(i->sup_sal > 0 && j->sup_sal > 0)) {
		/* no ratio to draw from (Decide divides by zero) */
		e->valid = 0;
		return PL_OK;
	}
	/* i moves as far as ratio dq takes it, j all the way to i */
	i->move = move_of(r, i, e->dq);
	j->move = fabs(i->dem_pos - j->sup_pos);
	/* unless i would pass j: then i moves all the way, j by the ratio that
	 * gives equal gains.  Once an exchange has been capped so, its ratio
	 * takes i exactly all the way, and it is not capped again (in exact
	 * arithmetic; a margin of 1e-9 for rounding). */
	if (fabs(i->move) > fabs(j->dem_pos - i->sup_pos) + 1e-9) {
		e->dq = ratio_of(r, i, fabs(j->dem_pos - i->sup_pos));
		e->dp = (i->sup_sal + j->dem_sal) / (i->dem_sal + j->sup_sal) * e->dq;
		i->move = fabs(j->dem_pos - i->sup_pos);
		j->move = move_of(r, j, e->dp);
	}
	pl__xch_place_moves(i, j);
	i->eu = eu_of(i, e->dq, e->dp);
	j->eu = eu_of(j, e->dp, e->dq);
	e->valid = pl__xch_move_valid(i, i->move) && pl__xch_move_valid(j, j->move);
	if (!e->valid)
		return PL_OK;
	pl__xch_check_nbs(r, e, i, j);
	pl__xch_check_nbs(r, e, j, i);
	e->valid = pl__xch_move_valid(i, i->move) && pl__xch_move_valid(j, j->move);
	return PL_OK;
}

static xch_side *other(xch_exchange *e, const xch_side *s)
{
	return s == &e->i ? &e->j : &e->i;
}

/* Whether two positions are the same up to rounding (Decide compares its
 * decimals exactly; a move all the way lands exactly there in exact
 * arithmetic). */
static int same_pos(double a, double b)
{
	return fabs(a - b) <= 1e-9;
}

static void shift(xch_round *r, xch_exchange *e, xch_side *x, double delta_o, int increase);

/* Side x's weighted mean shifted by gain delta (the shift that changes its
 * gain by delta), towards more (increase) or less of its move. */
static void lower(xch_round *r, xch_exchange *e, xch_side *x, double delta, int increase)
{
	double delta_o = delta / x->sup_sal;
	if (x->nbs1 < x->nbs0)
		delta_o = -delta_o;
	if (!increase)
		delta_o = -delta_o;
	shift(r, e, x, delta_o, increase);
}

/* Moves x to where its supply issue's weighted mean (over the positions at
 * the round's start) is its mean after the exchange plus delta_o; a larger
 * move stops at the other actor's position, and the rest of the shift is
 * taken off the other actor's move. */
static void shift(xch_round *r, xch_exchange *e, xch_side *x, double delta_o, int increase)
{
	const xch_model *m = r->m;
	size_t d = m->d, i = x->supply, a = x->actor;
	xch_side *o = other(e, x);
	double sc = m->sal[a * d + i] * m->pow[a * d + i], den = m->den[i];
	double rest = r->num[i] - sc * r->pos[a * d + i];
	double mean = x->nbs1 + delta_o;
	double pos = (mean * den - rest) / sc;
	/* (a move that lands on the other's position, to 1e-9, does not pass it) */
	if (increase && ((delta_o < 0 && pos < o->dem_pos - 1e-9) ||
			 (delta_o > 0 && pos > o->dem_pos + 1e-9))) {
		pos = o->dem_pos;
		mean = (rest + sc * pos) / den;
		double used = fabs(mean - x->nbs1) - delta_o;
		lower(r, e, o, delta_o - used, 0);
	}
	double prev = x->moves.has_last ? x->moves.last : 0;
	double move = fabs(x->sup_pos - pos);
	if (prev < 0)
		move = -move;
	pl__xch_moves_set_last(&x->moves, move);
	e->valid = pl__xch_move_valid(x, move);
	if (e->valid) {
		const double eps = 1e-9;
		x->y = pos;
		if (e->i.y > 100 + eps || e->j.y > 100 + eps || e->i.y < -eps || e->j.y < -eps)
			e->valid = 0;
		x->nbs1 = mean;
	}
}

/* One side of a possible exchange in the ranking: which, and its gain when
 * the pass began. */
typedef struct rank {
	uint32_t x;
	uint8_t side;
	double eu;
} rank;

typedef struct rate_work {
	rank *v, *tmp;
	size_t n;
	unsigned char *alive; /* per exchange: still in the round's list */
	uint32_t *mark;	      /* per exchange: pass that found one actor's best in it */
	uint32_t *seen;	      /* per actor: pass that met its best */
	double *best, *next;  /* per actor: best and next-best gain this pass */
	uint32_t *first;      /* per actor: its first rank this pass */
	uint32_t *order;      /* actors in order of their best gain */
	size_t *off;	      /* per actor: its ranks (indices into v), CSR */
	uint32_t *ids;
	uint32_t pass;
} rate_work;

static void rate_free(rate_work *w)
{
	free(w->v);
	free(w->tmp);
	free(w->alive);
	free(w->mark);
	free(w->seen);
	free(w->best);
	free(w->next);
	free(w->first);
	free(w->order);
	free(w->off);
	free(w->ids);
}

static int rate_init(const xch_round *r, rate_work *w)
{
	size_t nx = r->n_x + 1, n = r->m->n + 1;
	memset(w, 0, sizeof *w);
	w->v = malloc(2 * nx * sizeof *w->v);
	w->tmp = malloc(2 * nx * sizeof *w->tmp);
	w->alive = malloc(nx);
	w->mark = calloc(nx, sizeof *w->mark);
	w->seen = calloc(n, sizeof *w->seen);
	w->best = malloc(n * sizeof *w->best);
	w->next = malloc(n * sizeof *w->next);
	w->first = malloc(n * sizeof *w->first);
	w->order = malloc(n * sizeof *w->order);
	w->off = malloc((n + 1) * sizeof *w->off);
	w->ids = malloc(2 * nx * sizeof *w->ids);
	if (!w->v || !w->tmp || !w->alive || !w->mark || !w->seen || !w->best || !w->next ||
	    !w->first || !w->order || !w->off || !w->ids)
		return PL_ENOMEM;
	for (size_t k = 0; k < r->n_x; k++)
		w->alive[k] = r->x[k].valid != 0;
	return PL_OK;
}

static const xch_side *side_of(const xch_round *r, const rank *k)
{
	return k->side ? &r->x[k->x].j : &r->x[k->x].i;
}

/* Whether two gains are the same up to rounding: gains that are equal in
 * exact arithmetic (an actor moving all the way in two exchanges, a gain
 * lowered to the next one) can differ in the last bits of a double; Decide
 * compares its 28-digit decimals exactly. */
static int eu_eq(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b)) + 1e-15;
}

static int eu_above(double a, double b)
{
	return a > b && !eu_eq(a, b);
}

/* Stable sort, highest gain first (Python's sort, which Decide uses). */
static void sort_ranks(rank *v, rank *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	sort_ranks(v, tmp, h);
	sort_ranks(v + h, tmp, n - h);
	size_t a = 0, b = h, k = 0;
	while (a < h && b < n)
		tmp[k++] = eu_above(v[b].eu, v[a].eu) ? v[b++] : v[a++];
	while (a < h)
		tmp[k++] = v[a++];
	while (b < n)
		tmp[k++] = v[b++];
	memcpy(v, tmp, n * sizeof *v);
}

/* The sides of the possible exchanges, in list order, ranked by gain. */
static void rank_all(const xch_round *r, rate_work *w)
{
	w->n = 0;
	for (size_t k = 0; k < r->n_x; k++) {
		if (!w->alive[k] || !r->x[k].valid)
			continue;
		w->v[w->n++] = (rank){(uint32_t)k, 0, r->x[k].i.eu};
		w->v[w->n++] = (rank){(uint32_t)k, 1, r->x[k].j.eu};
	}
	sort_ranks(w->v, w->tmp, w->n);
}

/* An exchange that is the best, or tied best, for both its actors: the
 * first such in the ranking; -1 when there is none. */
static long mutual_best(const xch_round *r, rate_work *w)
{
	for (size_t k = 0; k < w->n; k++) {
		size_t a = side_of(r, &w->v[k])->actor;
		if (w->seen[a] != w->pass) {
			w->seen[a] = w->pass;
			w->best[a] = w->v[k].eu;
		} else if (!eu_eq(w->v[k].eu, w->best[a]))
			continue;
		if (w->mark[w->v[k].x] == w->pass)
			return (long)w->v[k].x;
		w->mark[w->v[k].x] = w->pass;
	}
	return -1;
}

/* Each actor's best and next-best gain, the actors in order of their first
 * rank, and each actor's ranks. */
static size_t group_by_actor(const xch_round *r, rate_work *w)
{
	size_t n = r->m->n, n_order = 0;
	memset(w->off, 0, (n + 1) * sizeof *w->off);
	w->pass++;
	for (size_t k = 0; k < w->n; k++) {
		size_t a = side_of(r, &w->v[k])->actor;
		w->off[a + 1]++;
		if (w->seen[a] != w->pass) {
			w->seen[a] = w->pass;
			w->best[a] = w->v[k].eu;
			w->next[a] = NAN;
			w->order[n_order++] = (uint32_t)a;
		} else if (isnan(w->next[a]) && !eu_eq(w->v[k].eu, w->best[a]))
			w->next[a] = w->v[k].eu;
	}
	for (size_t a = 0; a < n; a++)
		w->off[a + 1] += w->off[a];
	for (size_t k = 0; k < w->n; k++)
		w->ids[w->off[side_of(r, &w->v[k])->actor]++] = (uint32_t)k;
	for (size_t a = n; a > 0; a--)
		w->off[a] = w->off[a - 1];
	w->off[0] = 0;
	return n_order;
}

/* One pass of lowering: every actor with a next-best gain lowers the
 * exchanges that give it its best to that gain. */
static void lower_all(xch_round *r, rate_work *w)
{
	size_t n_order = group_by_actor(r, w);
	for (size_t t = 0; t < n_order; t++) {
		size_t a = w->order[t];
		double best = w->best[a], next = w->next[a];
		if (isnan(next))
			continue;
		double delta = best - next;
		for (size_t k = w->off[a]; k < w->off[a + 1]; k++) {
			const rank *q = &w->v[w->ids[k]];
			if (!eu_eq(q->eu, best))
				continue;
			xch_exchange *e = &r->x[q->x];
			xch_side *me = q->side ? &e->j : &e->i, *o = other(e, me);
			if (same_pos(me->y, o->dem_pos))
				lower(r, e, o, delta, 0);
			else if (same_pos(o->y, me->dem_pos))
				lower(r, e, me, delta, 1);
			else
				lower(r, e, o, delta, 0);
			/* the other actor gains what this one gives up */
			o->eu += fabs(delta) * o->sup_sal;
			me->eu = me->eu == q->eu ? next : me->eu - delta;
		}
	}
}

/* Carries out exchange R and recalculates the others, dropping those no
 * longer possible. */
static int carry_out(xch_round *r, rate_work *w, size_t x)
{
	xch_exchange *R = &r->x[x];
	int rc = pl__xch_record(r, R);
	R->valid = 0;
	w->alive[x] = 0;
	for (size_t k = 0; !rc && k < r->n_x; k++) {
		xch_exchange *e = &r->x[k];
		if (!w->alive[k])
			continue;
		if (e->valid)
			rc = pl__xch_after(r, e, R);
		if (!e->valid)
			w->alive[k] = 0;
	}
	return rc;
}

int pl__xch_rate_realise(xch_round *r)
{
	rate_work w;
	int rc = rate_init(r, &w);
	int passes = 0;
	while (!rc) {
		rank_all(r, &w);
		if (w.n == 0 || ++passes > XCH_RATE_PASSES)
			break; /* nothing possible, or no two actors agree: the round ends */
		w.pass++;
		long x = mutual_best(r, &w);
		if (x >= 0) {
			rc = carry_out(r, &w, (size_t)x);
			passes = 0;
			continue;
		}
		lower_all(r, &w);
	}
	rate_free(&w);
	return rc;
}
