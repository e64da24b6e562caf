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

/* (every field but moves; no memset: this
 * runs for every potential exchange) */
static inline __attribute__((always_inline)) void side_init(const xch_round *r, xch_side *s,
							     size_t a, size_t supply,
							     size_t demand)
{
	size_t d = r->m->d;
	s->move = s->y = s->nbs0 = s->nbs1 = s->eu = s->eu_max = 0;
	s->actor = a;
	s->supply = supply;
	s->demand = demand;
	s->sup_pos = s->start = r->pos[a * d + supply];
	s->dem_pos = r->pos[a * d + demand];
	s->sup_sal = r->m->sal[a * d + supply];
	s->dem_sal = r->m->sal[a * d + demand];
	s->sup_pow = r->m->pow[a * d + supply];
	s->sc = s->sup_sal * s->sup_pow;
	s->den = r->m->den[supply];
	s->lnum = r->num[supply]; /* (nothing learnt yet) */
	s->lself = s->start;
	s->lself_moved = 0;
	s->dirty = 0;
	s->sup_key = a * d + supply;
	s->dem_key = a * d + demand;
}

/* Whether a cares less about p relative to q than b does:
 * s_ap / s_aq < s_bp / s_bq (cross-multiplied when a salience is 0).  Two
 * ratios equal in exact arithmetic are equal (b then gives on p), however
 * the doubles round them: 0.6 / 0.4 and 0.9 / 0.6 differ in their last bit,
 * and Decide, in exact decimals, finds them equal. */
static int relatively_less(const xch_model *m, size_t a, size_t b, size_t p, size_t q)
{
	size_t d = m->d;
	double ap = m->sal[a * d + p], aq = m->sal[a * d + q];
	double bp = m->sal[b * d + p], bq = m->sal[b * d + q];
	if (aq > 0 && bq > 0) {
		double ra = ap / aq, rb = bp / bq;
		return ra < rb && rb - ra > 1e-12 * rb;
	}
	return ap * bq < bp * aq;
}

/* Room for cap exchanges in r->x (the slots set up as they are first
 * used: a slot never used is never touched). */
static int grow_exchanges(xch_round *r, size_t cap)
{
	xch_exchange *nx = realloc(r->x, cap * sizeof *nx);
	if (!nx)
		return PL_ENOMEM;
	r->x = nx;
	r->cap_x = cap;
	return PL_OK;
}

/* A new potential exchange between a and b on issues p < q; each gives on
 * the issue it cares about less, relative to the other one. */
static int add_exchange(xch_round *r, size_t a, size_t b, size_t p, size_t q)
{
	if (r->n_x == r->cap_x && grow_exchanges(r, r->cap_x ? r->cap_x * 2 : 256))
		return PL_ENOMEM;
	xch_exchange *e = &r->x[r->n_x]; /* its buffer (up) is kept */
	if (r->n_x == r->init_x) { /* a slot used for the first time: no buffer yet */
		e->up = NULL;
		e->cap_up = 0;
		r->init_x++;
	}
	e->gain = e->dp = e->dq = 0;
	e->valid = 0;
	e->capped = 1;
	e->calcs = 0;
	e->n_up = 0;
	e->up_seen = 0;
	if (relatively_less(r->m, a, b, p, q)) {
		side_init(r, &e->i, b, q, p);
		side_init(r, &e->j, a, p, q);
	} else {
		side_init(r, &e->i, a, q, p);
		side_init(r, &e->j, b, p, q);
	}
	xch_side *i = &e->i, *j = &e->j;
	i->egr = (i->sup_sal + j->dem_sal) / (i->dem_sal + j->sup_sal);
	j->egr = (j->sup_sal + i->dem_sal) / (j->dem_sal + i->sup_sal);
	pl__xch_moves_clear(&e->i.moves);
	pl__xch_moves_clear(&e->j.moves);
	e->id = r->n_made++;
	int rc = pl__xch_calculate(r, e);
	/* one not possible now never becomes possible this round: its slot is
	 * reused */
	if (!rc && e->valid)
		r->n_x++;
	return rc;
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
	r->nonneg = 1;
	for (size_t k = 0; k < n * d; k++)
		if (!(m->sal[k] >= 0 && m->pow[k] >= 0))
			r->nonneg = 0;
	r->n_x = 0;
	r->n_made = 0;
	/* (room for every potential exchange at once: no copies as the list
	 * grows) */
	size_t total = 0;
	for (size_t p = 0; p < d; p++)
		for (size_t q = p + 1; q < d; q++) {
			size_t cnt[4] = {0};
			for (size_t a = 0; a < n; a++)
				if (m->present[a * d + p] && m->present[a * d + q])
					cnt[left[a * d + p] | left[a * d + q] << 1]++;
			total += cnt[1] * cnt[2] + cnt[0] * cnt[3];
		}
	if (total > r->cap_x && grow_exchanges(r, total))
		return PL_ENOMEM;
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

static void pop_move(xch_side *s)
{
	pl__xch_moves_pop(&s->moves);
}

/* (most keys are new to e: up_seen says so without a search) */
static inline xch_update *find_update(xch_exchange *e, const xch_side *s)
{
	if (!(e->up_seen >> (s->sup_key & 63) & 1))
		return NULL;
	xch_update *up = XCH_UP(e);
	for (size_t k = 0, n = e->n_up; k < n; k++)
		if (up[k].issue == s->supply && up[k].actor == s->actor)
			return &up[k];
	return NULL;
}

/* e learns that realised side s moved on issue s->supply (Decide's
 * updates and update_updates): a first move is taken as it is, a later one
 * keeps the position closer to where s started. */
static inline int learn(const xch_round *r, xch_exchange *e, const xch_side *s)
{
	/* (the side whose supply issue it is keeps its learnt sum) */
	xch_side *x = e->i.supply == s->supply ? &e->i : e->j.supply == s->supply ? &e->j : NULL;
	xch_update *u = find_update(e, s);
	if (u) {
		double up = u->pos;
		if (s->start <= up)
			u->pos = up < s->y ? up : s->y;
		else
			u->pos = up > s->y ? up : s->y;
		if (x) {
			pl__xch_learnt(r, e, x);
			x->dirty = 1;
		}
		return PL_OK;
	}
	uint32_t cap = e->up ? e->cap_up : XCH_UP_INL;
	if (e->n_up == cap) {
		xch_update *nu = e->up ? realloc(e->up, 2 * cap * sizeof *nu)
				       : malloc(2 * cap * sizeof *nu);
		if (!nu)
			return PL_ENOMEM;
		if (!e->up)
			memcpy(nu, e->up_inl, sizeof e->up_inl);
		e->up = nu;
		e->cap_up = 2 * cap;
	}
	XCH_UP(e)[e->n_up++] = (xch_update){(uint32_t)s->supply, (uint32_t)s->actor, s->y};
	e->up_seen |= (uint64_t)1 << (s->sup_key & 63);
	if (x) { /* (the loop of pl__xch_learnt, one step further) */
		if (s->actor == x->actor) {
			x->lself = s->y;
			x->lself_moved = 1;
		}
		/* (s->start: r->pos[a * d + i]; s->sc: the same product) */
		x->lnum += (s->y - s->start) * s->sc;
		x->dirty = 1;
	}
	return PL_OK;
}

/* What after() reads of a realised exchange R, in locals (the stores into
 * the exchanges it changes would make the compiler read R again). */
typedef struct xch_realised {
	const xch_exchange *R;
	size_t i_sup, j_sup, i_dem, j_dem; /* R's keys */
	double i_y, j_y;
} xch_realised;

static inline xch_realised realised(const xch_exchange *R)
{
	return (xch_realised){R, R->i.sup_key, R->j.sup_key, R->i.dem_key, R->j.dem_key, R->i.y,
			      R->j.y};
}

/* Moves an actor of e to where realised exchange R put it on its supply
 * issue: 1 when e must be recalculated. */
static inline int follow_supply(xch_side *s, const xch_realised *X)
{
	size_t k = s->sup_key;
	if (k == X->i_sup) {
		s->sup_pos = X->i_y;
		return 1;
	}
	if (k == X->j_sup) {
		s->sup_pos = X->j_y;
		return 1;
	}
	return 0;
}

/* Exchange e after R was carried out (Decide's recalculate). */
static inline int after(xch_round *r, xch_exchange *e, const xch_realised *X)
{
	int mi = follow_supply(&e->i, X), mj = follow_supply(&e->j, X);
	int again = mi | mj;
	if (again) {
		if (!mi)
			pop_move(&e->i);
		if (!mj)
			pop_move(&e->j);
	}
	/* (an exchange whose actor moved is calculated again in full, and
	 * found impossible before anything else when a move goes against the
	 * side's earlier ones: what it learns is then of no use) */
	if (again && r->nonneg && !r->m->random_rate &&
	    (pl__xch_against(&e->i.moves, e->i.sup_pos > e->j.dem_pos) ||
	     pl__xch_against(&e->j.moves, e->j.sup_pos > e->i.dem_pos))) {
		e->calcs++;
		e->valid = 0;
		return PL_OK;
	}
	/* R's j gained on the issue R's i moved on, and the other way round:
	 * e learns of the move when one of its actors gains on that issue too */
	size_t ej = e->j.dem_key, ei = e->i.dem_key;
	if (X->j_dem == ej || X->j_dem == ei) {
		if (learn(r, e, &X->R->i))
			return PL_ENOMEM;
		if (!again) {
			pop_move(&e->i);
			pop_move(&e->j);
			again = 1;
		}
	}
	if (X->i_dem == ej || X->i_dem == ei) {
		if (learn(r, e, &X->R->j))
			return PL_ENOMEM;
		if (!again) {
			pop_move(&e->i);
			pop_move(&e->j);
			again = 1;
		}
	}
	if (!again)
		return PL_OK;
	return mi | mj ? pl__xch_calculate(r, e) : pl__xch_recalculate_learnt(r, e);
}

int pl__xch_after(xch_round *r, xch_exchange *e, const xch_exchange *R)
{
	xch_realised X = realised(R);
	return after(r, e, &X);
}

int pl__xch_record(xch_round *r, const xch_exchange *R)
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
		t->gain[k] = r->m->p > 0 || r->m->random_rate ? s[k]->eu : R->gain;
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

/* The exchanges still possible, in Decide's order: highest gain first,
 * equal gains in the order they had (Decide re-sorts its list, stably,
 * after each exchange).  That order is a key each exchange carries: the
 * history of its gain, one entry per time (exchange carried out) its gain
 * changed, back to the gain it was listed with.  Two exchanges compare by
 * their gains now, and when those are equal by their gains at the last time
 * one of the two changed, and so on back to the list's first order (list
 * order: issue pairs, then actors, in file order).  That is what a stable
 * re-sort after every exchange leaves, so the first exchange is found by a
 * tournament under that comparison: a complete binary tree over the
 * exchanges (leaves in list order) whose every node holds the one of its two
 * children's that goes first.  An exchange whose gain changed, or that is
 * no longer possible, has the matches on its way to the root played again,
 * and only as far as they change: one comparison a level, no exchange
 * moved. */
typedef struct xch_hist {
	double g;	/* the gain */
	uint32_t t;	/* from when (0: listed; k: after the k-th exchange) */
	uint32_t prev;	/* the entry before (when t > 0) */
} xch_hist;

/* An exchange's gain now, with the bound below which another gain is lower
 * (gain_below's, computed once). */
typedef struct xch_ent {
	double g, lo;
	uint32_t id;
} xch_ent;

#define XCH_OUT UINT32_MAX /* a leaf whose exchange is no longer possible */

typedef struct xch_list {
	xch_ent *ent;	/* by exchange */
	uint32_t *win;	/* the tournament: node v (1 .. 2P - 1) holds the exchange
			 * that goes first below it (XCH_OUT: none), the leaf of
			 * exchange k at P + k */
	size_t P;	/* leaves: a power of two, at least the exchanges */
	uint32_t *last; /* by exchange: its latest entry in h */
	xch_hist *h;
	size_t n, n_h, cap_h; /* n: the exchanges still possible */
	unsigned char *in;    /* by exchange: still in the tournament */
	uint32_t *stamp, *changed;
	size_t n_changed;
	uint32_t now;
	/* per (actor, issue): the exchanges where that actor gives (sup) or
	 * gains (dem) on that issue, as offsets into ids */
	size_t *sup_off, *dem_off, *sup_end, *dem_end;
	uint32_t *sup_ids, *dem_ids;
} xch_list;

/* Whether exchange a goes before b, their gains now being equal (to
 * rounding): by their histories. */
static __attribute__((noinline)) int tie_before(const xch_list *L, uint32_t a, uint32_t b)
{
	const xch_hist *h = L->h;
	uint32_t x = L->last[a], y = L->last[b];
	for (;;) {
		double ga = h[x].g, gb = h[y].g;
		if (gain_below(gb, ga))
			return 1;
		if (gain_below(ga, gb))
			return 0;
		uint32_t ta = h[x].t, tb = h[y].t;
		if (ta == tb) {
			if (ta == 0)
				return a < b;
			x = h[x].prev;
			y = h[y].prev;
		} else if (ta > tb) {
			x = h[x].prev;
		} else {
			y = h[y].prev;
		}
	}
}

/* Whether the exchange at a goes before the one at b. */
static inline int before(const xch_list *L, const xch_ent *a, const xch_ent *b)
{
	if (b->g < a->lo) /* gain_below(b->g, a->g) */
		return 1;
	if (a->g < b->lo)
		return 0;
	return tie_before(L, a->id, b->id);
}

/* The winner of a match: the exchange of a and b that goes first. */
static inline uint32_t match(const xch_list *L, uint32_t a, uint32_t b)
{
	if (a == XCH_OUT)
		return b;
	if (b == XCH_OUT)
		return a;
	return before(L, &L->ent[b], &L->ent[a]) ? b : a;
}

/* The matches on exchange id's way to the root played again after its leaf
 * or its gain changed: up to the first node whose winner stays another
 * exchange (the nodes above it have the same two players as before). */
static void replay(xch_list *L, uint32_t id)
{
	uint32_t *win = L->win;
	for (size_t v = (L->P + id) >> 1; v > 0; v >>= 1) {
		uint32_t w = match(L, win[2 * v], win[2 * v + 1]);
		if (w == win[v] && w != id)
			break;
		win[v] = w;
	}
}

/* After exchange id went down in the order (out of the tournament, or a
 * lower gain): only the matches it won are played again; where it had lost,
 * it loses still, and nothing above changes. */
static void replay_down(xch_list *L, uint32_t id)
{
	uint32_t *win = L->win;
	for (size_t v = (L->P + id) >> 1; v > 0 && win[v] == id; v >>= 1)
		win[v] = match(L, win[2 * v], win[2 * v + 1]);
}

/* After exchange id went up in the order (a higher gain): it still wins
 * the matches it won, and plays the first one it had lost again. */
static void replay_up(xch_list *L, uint32_t id)
{
	uint32_t *win = L->win;
	for (size_t v = (L->P + id) >> 1; v > 0; v >>= 1) {
		if (win[v] == id)
			continue;
		if (match(L, id, win[v]) != id)
			break;
		win[v] = id;
	}
}

/* Takes exchange id out of the tournament. */
static void drop(xch_list *L, uint32_t id)
{
	L->win[L->P + id] = XCH_OUT;
	L->in[id] = 0;
	L->n--;
	replay_down(L, id);
}

static xch_ent ent(double g, uint32_t id)
{
	return (xch_ent){g, g - 1e-11 * g, id};
}

/* Both indexes by (actor, issue), the exchanges in list order in each. */
static void csr(const xch_round *r, xch_list *L)
{
	size_t cells = r->m->n * r->m->d;
	size_t *so = L->sup_off, *dof = L->dem_off;
	memset(so, 0, (cells + 1) * sizeof *so);
	memset(dof, 0, (cells + 1) * sizeof *dof);
	for (size_t k = 0; k < r->n_x; k++) {
		const xch_exchange *e = &r->x[k];
		so[e->i.sup_key + 1]++;
		so[e->j.sup_key + 1]++;
		dof[e->i.dem_key + 1]++;
		dof[e->j.dem_key + 1]++;
	}
	for (size_t c = 0; c < cells; c++) {
		so[c + 1] += so[c];
		dof[c + 1] += dof[c];
	}
	/* (filled through the starts, which then stand at the ends: shifted
	 * back after) */
	for (size_t k = 0; k < r->n_x; k++) {
		const xch_exchange *e = &r->x[k];
		L->sup_ids[so[e->i.sup_key]++] = (uint32_t)k;
		L->sup_ids[so[e->j.sup_key]++] = (uint32_t)k;
		L->dem_ids[dof[e->i.dem_key]++] = (uint32_t)k;
		L->dem_ids[dof[e->j.dem_key]++] = (uint32_t)k;
	}
	memcpy(L->sup_end, so, cells * sizeof *so);
	memcpy(L->dem_end, dof, cells * sizeof *dof);
	memmove(so + 1, so, cells * sizeof *so);
	memmove(dof + 1, dof, cells * sizeof *dof);
	so[0] = dof[0] = 0;
}

static int list_init(xch_round *r, xch_list *L)
{
	size_t nx = r->n_x + 1, cells = r->m->n * r->m->d + 1;
	memset(L, 0, sizeof *L);
	L->P = 1;
	while (L->P < r->n_x)
		L->P *= 2;
	L->ent = malloc(nx * sizeof *L->ent);
	L->win = malloc(2 * L->P * sizeof *L->win);
	L->last = malloc(nx * sizeof *L->last);
	L->cap_h = 2 * nx;
	L->h = malloc(L->cap_h * sizeof *L->h);
	L->stamp = calloc(nx, sizeof *L->stamp);
	L->in = malloc(nx);
	L->changed = malloc(nx * sizeof *L->changed);
	L->sup_off = malloc(cells * sizeof *L->sup_off);
	L->dem_off = malloc(cells * sizeof *L->dem_off);
	L->sup_end = malloc(cells * sizeof *L->sup_end);
	L->dem_end = malloc(cells * sizeof *L->dem_end);
	L->sup_ids = malloc(2 * nx * sizeof *L->sup_ids);
	L->dem_ids = malloc(2 * nx * sizeof *L->dem_ids);
	if (!L->ent || !L->win || !L->last || !L->h || !L->stamp || !L->in || !L->changed ||
	    !L->sup_off ||
	    !L->dem_off || !L->sup_end || !L->dem_end || !L->sup_ids || !L->dem_ids)
		return PL_ENOMEM;
	csr(r, L);
	size_t P = L->P;
	for (size_t k = 0; k < P; k++) /* (every listed one is possible) */
		L->win[P + k] = k < r->n_x ? (uint32_t)k : XCH_OUT;
	for (size_t k = 0; k < r->n_x; k++) {
		L->h[k] = (xch_hist){r->x[k].gain, 0, 0};
		L->last[k] = (uint32_t)k;
		L->ent[k] = ent(r->x[k].gain, (uint32_t)k);
	}
	memset(L->in, 1, r->n_x);
	L->n = r->n_x;
	L->n_h = r->n_x;
	for (size_t v = P; v-- > 1;)
		L->win[v] = match(L, L->win[2 * v], L->win[2 * v + 1]);
	return PL_OK;
}

static void list_free(xch_list *L)
{
	free(L->ent);
	free(L->win);
	free(L->last);
	free(L->h);
	free(L->stamp);
	free(L->in);
	free(L->changed);
	free(L->sup_off);
	free(L->dem_off);
	free(L->sup_end);
	free(L->dem_end);
	free(L->sup_ids);
	free(L->dem_ids);
}

/* Recalculates the exchanges of cell c of an index (ids[off[c] ..
 * end[c])) that R changes; those no longer possible leave the cell (the
 * order within a cell does not matter: each recalculation depends only on
 * its exchange and R). */
static int visit(xch_round *r, xch_list *L, const size_t *off, size_t *end, uint32_t *ids,
		 size_t c, const xch_realised *X)
{
	size_t k = off[c], n = end[c];
	while (k < n) {
		uint32_t id = ids[k];
		if (!L->in[id]) { /* (R among them) */
			ids[k] = ids[--n];
			continue;
		}
		k++;
		/* (one no longer possible since this exchange was carried out was
		 * recalculated, so stamped, already) */
		if (L->stamp[id] == L->now)
			continue;
		L->stamp[id] = L->now;
		xch_exchange *e = &r->x[id];
		uint32_t calcs = e->calcs;
		if (after(r, e, X))
			return PL_ENOMEM;
		if (e->calcs != calcs)
			L->changed[L->n_changed++] = id;
	}
	end[c] = n;
	return PL_OK;
}

/* The order after an exchange: the recalculated exchanges that are no
 * longer possible leave the tournament; one whose gain changed gets a new
 * entry in its history and its matches played again (one whose gain came
 * out the same to the bit keeps its place: every comparison gives the same
 * answer). */
static int reorder(xch_round *r, xch_list *L)
{
	for (size_t k = 0; k < L->n_changed; k++) {
		uint32_t id = L->changed[k];
		const xch_exchange *e = &r->x[id];
		if (!e->valid) {
			drop(L, id);
			continue;
		}
		if (e->gain == L->ent[id].g) /* (its latest entry in h) */
			continue;
		if (L->n_h == L->cap_h) {
			xch_hist *nh = realloc(L->h, 2 * L->cap_h * sizeof *nh);
			if (!nh)
				return PL_ENOMEM;
			L->h = nh;
			L->cap_h *= 2;
		}
		L->h[L->n_h] = (xch_hist){e->gain, L->now, L->last[id]};
		L->last[id] = (uint32_t)L->n_h++;
		double g0 = L->ent[id].g;
		L->ent[id] = ent(e->gain, id);
		/* (the tournament holds again after each; a gain within rounding
		 * of the last one, ordered by the histories, plays every match on
		 * the way again) */
		if (gain_below(e->gain, g0))
			replay_down(L, id);
		else if (gain_below(g0, e->gain))
			replay_up(L, id);
		else
			replay(L, id);
	}
	return PL_OK;
}

/* Carries out the exchanges, highest gain first, until none is left. */
static int realise(xch_round *r)
{
	xch_list L;
	int rc = list_init(r, &L);
	while (!rc && L.n > 0) {
		uint32_t first = L.win[1];
		xch_exchange *R = &r->x[first];
		rc = pl__xch_record(r, R);
		R->valid = 0; /* carried out: off the list */
		drop(&L, first);
		L.now++;
		L.n_changed = 0;
		xch_realised X = realised(R);
		const xch_side *s[2] = {&R->i, &R->j};
		for (int t = 0; t < 2 && !rc; t++) {
			rc = visit(r, &L, L.sup_off, L.sup_end, L.sup_ids, s[t]->sup_key, &X);
			if (!rc)
				rc = visit(r, &L, L.dem_off, L.dem_end, L.dem_ids, s[t]->dem_key, &X);
		}
		if (!rc)
			rc = reorder(r, &L);
	}
	list_free(&L);
	return rc;
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
			next[a * d + i] =
				(1 - sal) * sw * y + fw * y + (1 - (1 - sal) * sw - fw) * x;
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
	if (!rc)
		rc = r->m->random_rate ? pl__xch_rate_realise(r) : realise(r);
	if (!rc)
		finish(r, vote, next);
	free(left);
	free(grp);
	return rc;
}

void pl__xch_round_free(xch_round *r)
{
	for (size_t k = 0; k < r->init_x; k++) {
		free(r->x[k].up);
	}
	free(r->x);
	free(r->done);
	r->x = NULL;
	r->done = NULL;
	r->n_x = r->cap_x = r->init_x = r->n_done = r->cap_done = 0;
}
