/* xch_round.c - one round of the exchange model (docs/models/exchange.md):
 * the weighted mean of every issue, the actors on either side of it, every
 * potential exchange between two actors on opposite sides of two issues,
 * then the exchanges carried out highest gain first, each one changing the
 * others that share an actor and an issue with it, and finally the voting
 * positions and the positions the next round starts from. */
#include "engines/exchange/xch.h"
#include "parley/error.h"

#include <stdlib.h>
#include <string.h>

static void side_init(const xch_round *r, xch_side *s, size_t a, size_t supply, size_t demand)
{
	size_t d = r->m->d;
	memset(s, 0, sizeof *s);
	s->actor = a;
	s->supply = supply;
	s->demand = demand;
	s->sup_pos = s->start = r->pos[a * d + supply];
	s->dem_pos = r->pos[a * d + demand];
	s->sup_sal = r->m->sal[a * d + supply];
	s->dem_sal = r->m->sal[a * d + demand];
	s->sup_pow = r->m->pow[a * d + supply];
}

/* Whether a cares less about p relative to q than b does:
 * s_ap / s_aq < s_bp / s_bq (cross-multiplied when a salience is 0). */
static int relatively_less(const xch_model *m, size_t a, size_t b, size_t p, size_t q)
{
	size_t d = m->d;
	double ap = m->sal[a * d + p], aq = m->sal[a * d + q];
	double bp = m->sal[b * d + p], bq = m->sal[b * d + q];
	if (aq > 0 && bq > 0)
		return ap / aq < bp / bq;
	return ap * bq < bp * aq;
}

/* A new potential exchange between a and b on issues p < q; each gives on
 * the issue it cares about less, relative to the other one. */
static int add_exchange(xch_round *r, size_t a, size_t b, size_t p, size_t q)
{
	if (r->n_x == r->cap_x) {
		size_t cap = r->cap_x ? r->cap_x * 2 : 256;
		xch_exchange *nx = realloc(r->x, cap * sizeof *nx);
		if (!nx)
			return PL_ENOMEM;
		memset(nx + r->cap_x, 0, (cap - r->cap_x) * sizeof *nx);
		r->x = nx;
		r->cap_x = cap;
	}
	xch_exchange *e = &r->x[r->n_x];
	xch_moves mi = e->i.moves, mj = e->j.moves; /* keep the buffers */
	xch_update *up = e->up;
	size_t cap_up = e->cap_up;
	memset(e, 0, sizeof *e);
	if (relatively_less(r->m, a, b, p, q)) {
		side_init(r, &e->i, b, q, p);
		side_init(r, &e->j, a, p, q);
	} else {
		side_init(r, &e->i, a, q, p);
		side_init(r, &e->j, b, p, q);
	}
	e->i.moves = mi;
	e->j.moves = mj;
	e->i.moves.n = e->j.moves.n = 0;
	e->up = up;
	e->cap_up = cap_up;
	e->id = (uint32_t)r->n_x;
	r->n_x++;
	return pl__xch_calculate(r, e);
}

/* The weighted means, then every potential exchange, in the order that
 * breaks ties: issue pairs in file order, then actors in file order. */
static int list_exchanges(xch_round *r, unsigned char *left, size_t *grp)
{
	const xch_model *m = r->m;
	size_t n = m->n, d = m->d;
	for (size_t i = 0; i < d; i++) {
		double num = 0;
		for (size_t a = 0; a < n; a++)
			if (m->present[a * d + i])
				num += r->pos[a * d + i] * m->sal[a * d + i] * m->pow[a * d + i];
		r->num[i] = num;
		r->nbs[i] = m->den[i] == 0 ? 0 : num / m->den[i];
		for (size_t a = 0; a < n; a++)
			left[a * d + i] = r->pos[a * d + i] <= r->nbs[i];
	}
	r->n_x = 0;
	for (size_t p = 0; p < d; p++)
		for (size_t q = p + 1; q < d; q++) {
			size_t cnt[4] = {0};
			for (size_t a = 0; a < n; a++)
				if (m->present[a * d + p] && m->present[a * d + q]) {
					int g = left[a * d + p] | left[a * d + q] << 1;
					grp[(size_t)g * n + cnt[g]++] = a;
				}
			for (int pair = 0; pair < 2; pair++) {
				int g1 = pair ? 1 : 0, g2 = pair ? 2 : 3;
				for (size_t x = 0; x < cnt[g1]; x++)
					for (size_t y = 0; y < cnt[g2]; y++)
						if (add_exchange(r, grp[(size_t)g1 * n + x],
								 grp[(size_t)g2 * n + y], p, q))
							return PL_ENOMEM;
			}
		}
	return PL_OK;
}

static int same_supply(const xch_side *a, const xch_side *b)
{
	return a->actor == b->actor && a->supply == b->supply;
}

static int same_demand(const xch_side *a, const xch_side *b)
{
	return a->actor == b->actor && a->demand == b->demand;
}

static void pop_move(xch_side *s)
{
	if (s->moves.n)
		s->moves.n--;
}

static xch_update *find_update(xch_exchange *e, size_t issue, size_t actor)
{
	for (size_t k = 0; k < e->n_up; k++)
		if (e->up[k].issue == issue && e->up[k].actor == actor)
			return &e->up[k];
	return NULL;
}

/* e learns that realised side s moved on issue s->supply (Decide's
 * updates and update_updates): a first move is taken as it is, a later one
 * keeps the position closer to where s started. */
static int learn(xch_exchange *e, const xch_side *s)
{
	xch_update *u = find_update(e, s->supply, s->actor);
	if (u) {
		double up = u->pos;
		if (s->start <= up)
			u->pos = up < s->y ? up : s->y;
		else
			u->pos = up > s->y ? up : s->y;
		return PL_OK;
	}
	if (e->n_up == e->cap_up) {
		size_t cap = e->cap_up ? e->cap_up * 2 : 4;
		xch_update *nu = realloc(e->up, cap * sizeof *nu);
		if (!nu)
			return PL_ENOMEM;
		e->up = nu;
		e->cap_up = cap;
	}
	e->up[e->n_up++] = (xch_update){s->supply, s->actor, s->y};
	return PL_OK;
}

/* Moves an actor of e to where realised exchange R put it on its supply
 * issue: 1 when e must be recalculated. */
static int follow_supply(xch_side *s, const xch_exchange *R)
{
	if (same_supply(s, &R->i)) {
		s->sup_pos = R->i.y;
		return 1;
	}
	if (same_supply(s, &R->j)) {
		s->sup_pos = R->j.y;
		return 1;
	}
	return 0;
}

/* Exchange e after R was carried out (Decide's recalculate). */
static int after(xch_round *r, xch_exchange *e, const xch_exchange *R)
{
	int mi = follow_supply(&e->i, R), mj = follow_supply(&e->j, R);
	int again = mi || mj;
	if (again) {
		if (!mi)
			pop_move(&e->i);
		if (!mj)
			pop_move(&e->j);
	}
	const xch_side *rs[2] = {&R->j, &R->i}, *ro[2] = {&R->i, &R->j};
	for (int k = 0; k < 2; k++) {
		if (!same_demand(rs[k], &e->j) && !same_demand(rs[k], &e->i))
			continue;
		if (learn(e, ro[k]))
			return PL_ENOMEM;
		if (!again) {
			pop_move(&e->i);
			pop_move(&e->j);
			again = 1;
		}
	}
	return again ? pl__xch_calculate(r, e) : PL_OK;
}

static int record(xch_round *r, const xch_exchange *R)
{
	if (r->n_done == r->cap_done) {
		size_t cap = r->cap_done ? r->cap_done * 2 : 32;
		xch_done *nd = realloc(r->done, cap * sizeof *nd);
		if (!nd)
			return PL_ENOMEM;
		r->done = nd;
		r->cap_done = cap;
	}
	xch_done *t = &r->done[r->n_done++];
	const xch_side *s[2] = {&R->i, &R->j};
	for (int k = 0; k < 2; k++) {
		t->actor[k] = s[k]->actor;
		t->issue[k] = s[k]->supply;
		t->from[k] = s[k]->sup_pos;
		t->to[k] = s[k]->y;
		t->gain[k] = r->m->p > 0 ? s[k]->eu : R->gain;
	}
	return PL_OK;
}

/* Whether gain a is below gain b by more than rounding: gains that are
 * equal in exact arithmetic (two exchanges where the same actor moves all
 * the way) can differ in the last bits of a double. */
static int gain_below(double a, double b)
{
	return a < b - 1e-11 * b;
}

/* Stable insertion sort of the order by gain, highest first, equal gains
 * kept in the order they had (the order is nearly sorted already: only
 * recalculated exchanges moved). */
static void sort_by_gain(const xch_round *r, uint32_t *ord, size_t n)
{
	for (size_t k = 1; k < n; k++) {
		uint32_t v = ord[k];
		double g = r->x[v].gain;
		size_t at = k;
		while (at > 0 && gain_below(r->x[ord[at - 1]].gain, g)) {
			ord[at] = ord[at - 1];
			at--;
		}
		ord[at] = v;
	}
}

/* Carries out the exchanges, highest gain first, until none is left. */
static int realise(xch_round *r, uint32_t *ord)
{
	size_t n = 0;
	for (size_t k = 0; k < r->n_x; k++)
		if (r->x[k].valid)
			ord[n++] = (uint32_t)k;
	while (n > 0) {
		sort_by_gain(r, ord, n);
		xch_exchange *R = &r->x[ord[0]];
		if (record(r, R))
			return PL_ENOMEM;
		size_t keep = 0;
		for (size_t k = 1; k < n; k++) {
			xch_exchange *e = &r->x[ord[k]];
			if (after(r, e, R))
				return PL_ENOMEM;
			if (e->valid)
				ord[keep++] = ord[k];
		}
		n = keep;
	}
	return PL_OK;
}

/* The voting positions and the next round's start (Decide's
 * new_start_position: salience weight 0.4, fixed weight 0.1). */
static void finish(const xch_round *r, double *vote, double *next)
{
	size_t n = r->m->n, d = r->m->d;
	memcpy(vote, r->pos, n * d * sizeof *vote);
	for (size_t k = 0; k < r->n_done; k++)
		for (int s = 0; s < 2; s++)
			vote[r->done[k].actor[s] * d + r->done[k].issue[s]] = r->done[k].to[s];
	memcpy(next, vote, n * d * sizeof *next);
	const double sw = 0.4, fw = 0.1;
	for (size_t k = 0; k < r->n_done; k++)
		for (int s = 0; s < 2; s++) {
			size_t a = r->done[k].actor[s], i = r->done[k].issue[s];
			double sal = r->m->sal[a * d + i], y = r->done[k].to[s];
			double x = r->pos[a * d + i];
			next[a * d + i] = (1 - sal) * sw * y + fw * y + (1 - (1 - sal) * sw - fw) * x;
		}
}

int pl__xch_round(xch_round *r, double *vote, double *next)
{
	size_t n = r->m->n, d = r->m->d;
	unsigned char *left = malloc(n * d + 1);
	size_t *grp = malloc((4 * n + 1) * sizeof *grp);
	int rc = left && grp ? PL_OK : PL_ENOMEM;
	r->n_done = 0;
	if (!rc)
		rc = list_exchanges(r, left, grp);
	uint32_t *ord = rc ? NULL : malloc((r->n_x + 1) * sizeof *ord);
	if (!rc && !ord)
		rc = PL_ENOMEM;
	if (!rc)
		rc = realise(r, ord);
	if (!rc)
		finish(r, vote, next);
	free(ord);
	free(left);
	free(grp);
	return rc;
}

void pl__xch_round_free(xch_round *r)
{
	for (size_t k = 0; k < r->cap_x; k++) {
		free(r->x[k].i.moves.v);
		free(r->x[k].j.moves.v);
		free(r->x[k].up);
	}
	free(r->x);
	free(r->done);
	r->x = NULL;
	r->done = NULL;
	r->n_x = r->cap_x = r->n_done = r->cap_done = 0;
}
