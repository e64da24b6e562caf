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

/* (every field but moves, whose buffer the caller keeps; no memset: this
 * runs for every potential exchange) */
static void side_init(const xch_round *r, xch_side *s, size_t a, size_t supply, size_t demand)
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

/* A new potential exchange between a and b on issues p < q; each gives on
 * the issue it cares about less, relative to the other one. */
static int add_exchange(xch_round *r, size_t a, size_t b, size_t p, size_t q)
{
	if (r->n_x == r->cap_x) {
		size_t cap = r->cap_x ? r->cap_x * 2 : 256;
		xch_exchange *nx = realloc(r->x, cap * sizeof *nx);
		if (!nx)
			return PL_ENOMEM;
		for (size_t k = r->cap_x; k < cap; k++) { /* no buffers yet */
			nx[k].i.moves.v = nx[k].j.moves.v = NULL;
			nx[k].i.moves.cap = nx[k].j.moves.cap = 0;
			nx[k].up = NULL;
			nx[k].cap_up = 0;
		}
		r->x = nx;
		r->cap_x = cap;
	}
	xch_exchange *e = &r->x[r->n_x]; /* its buffers (moves, up) are kept */
	e->gain = e->dp = e->dq = 0;
	e->valid = 0;
	e->calcs = 0;
	e->n_up = 0;
	if (relatively_less(r->m, a, b, p, q)) {
		side_init(r, &e->i, b, q, p);
		side_init(r, &e->j, a, p, q);
	} else {
		side_init(r, &e->i, a, q, p);
		side_init(r, &e->j, b, p, q);
	}
	e->i.moves.n = e->j.moves.n = 0;
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
	r->n_x = 0;
	r->n_made = 0;
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
	xch_update *up = XCH_UP(e);
	for (size_t k = 0; k < e->n_up; k++)
		if (up[k].issue == issue && up[k].actor == actor)
			return &up[k];
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
	size_t cap = e->up ? e->cap_up : XCH_UP_INL;
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
	XCH_UP(e)[e->n_up++] = (xch_update){s->supply, s->actor, s->y};
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
int pl__xch_after(xch_round *r, xch_exchange *e, const xch_exchange *R)
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
	if (!again)
		return PL_OK;
	return mi || mj ? pl__xch_calculate(r, e) : pl__xch_recalculate_learnt(r, e);
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

/* The list of exchanges still possible, in Decide's order: highest gain
 * first, equal gains in the order they had (a stable sort after each
 * exchange).  Only the exchanges an exchange changed are re-placed. */
typedef struct xch_list {
	uint32_t *ord, *tmp, *stamp, *changed;
	/* og[k]: the gain of ord[k] when it was placed; lab[k]: its label,
	 * rising along the list (so that two exchanges' places compare without
	 * a renumbering of the list after every exchange: an exchange that goes
	 * in takes a label between its neighbours', and the list is labelled
	 * afresh only when there is no room left between them); by exchange:
	 * label (its place's label) and gid (its gain when placed); stale, ins:
	 * reorder's scratch */
	double *og, *og_tmp, *gid;
	uint32_t *lab, *lab_tmp, *label;
	uint32_t *stale, *ins;
	uint64_t *bits; /* sort_places' scratch, one bit per place, all clear */
	size_t n, n_changed;
	uint32_t now;
	/* per (actor, issue): the exchanges where that actor gives (sup) or
	 * gains (dem) on that issue, as offsets into ids */
	size_t *sup_off, *dem_off;
	uint32_t *sup_ids, *dem_ids;
} xch_list;

/* Whether exchange a goes before b (a's gain higher, or equal and a earlier). */
static int before(const xch_round *r, const xch_list *L, uint32_t a, uint32_t b)
{
	double ga = r->x[a].gain, gb = r->x[b].gain;
	if (gain_below(gb, ga))
		return 1;
	if (gain_below(ga, gb))
		return 0;
	return L->label[a] < L->label[b];
}

/* Stable merge sort of v[0..n) by gain (tmp as scratch). */
static void merge_sort(const xch_round *r, const xch_list *L, uint32_t *v, uint32_t *tmp, size_t n)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	merge_sort(r, L, v, tmp, h);
	merge_sort(r, L, v + h, tmp, n - h);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = before(r, L, v[j], v[i]) ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
}

/* The first order: a stable sort of the gains g (ids alongside), highest
 * first, equal gains in list order -- with the comparison merge_sort makes,
 * on a compact copy of the gains rather than the exchanges themselves (the
 * list does not fit a cache): runs of 16 by insertion, then merged bottom
 * up between g, id and the scratch gt, it. */
static void sort_by_gain(double *g, uint32_t *id, double *gt, uint32_t *it, size_t n)
{
	const size_t run = 16;
	for (size_t s = 0; s < n; s += run) {
		size_t e = s + run < n ? s + run : n;
		for (size_t k = s + 1; k < e; k++) {
			double x = g[k];
			uint32_t xi = id[k];
			size_t j = k;
			while (j > s && gain_below(g[j - 1], x)) {
				g[j] = g[j - 1];
				id[j] = id[j - 1];
				j--;
			}
			g[j] = x;
			id[j] = xi;
		}
	}
	double *src = g, *dst = gt;
	uint32_t *isrc = id, *idst = it;
	for (size_t w = run; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t h = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = h, k = lo;
			while (i < h && j < hi) {
				size_t t = gain_below(src[i], src[j]) ? j++ : i++;
				dst[k] = src[t];
				idst[k++] = isrc[t];
			}
			for (; i < h; i++, k++) {
				dst[k] = src[i];
				idst[k] = isrc[i];
			}
			for (; j < hi; j++, k++) {
				dst[k] = src[j];
				idst[k] = isrc[j];
			}
		}
		double *t = src;
		src = dst;
		dst = t;
		uint32_t *ti = isrc;
		isrc = idst;
		idst = ti;
	}
	if (src != g) {
		memcpy(g, src, n * sizeof *g);
		memcpy(id, isrc, n * sizeof *id);
	}
}

/* Labels the list afresh, evenly spaced. */
static void relabel(xch_list *L)
{
	uint64_t step = ((uint64_t)1 << 32) / (L->n + 1);
	for (size_t k = 0; k < L->n; k++) {
		L->lab[k] = (uint32_t)((k + 1) * step);
		L->label[L->ord[k]] = L->lab[k];
	}
}

/* The place in the list of the exchange labelled lab (a binary search). */
static size_t place_of(const xch_list *L, uint32_t lab)
{
	size_t lo = 0, hi = L->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (L->lab[mid] < lab)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void csr(const xch_round *r, size_t *off, uint32_t *ids, int demand)
{
	size_t d = r->m->d, cells = r->m->n * d;
	memset(off, 0, (cells + 1) * sizeof *off);
	for (size_t k = 0; k < r->n_x; k++) {
		const xch_exchange *e = &r->x[k];
		off[e->i.actor * d + (demand ? e->i.demand : e->i.supply) + 1]++;
		off[e->j.actor * d + (demand ? e->j.demand : e->j.supply) + 1]++;
	}
	for (size_t c = 0; c < cells; c++)
		off[c + 1] += off[c];
	for (size_t k = 0; k < r->n_x; k++) {
		const xch_exchange *e = &r->x[k];
		const xch_side *s[2] = {&e->i, &e->j};
		for (int t = 0; t < 2; t++) {
			size_t c = s[t]->actor * d + (demand ? s[t]->demand : s[t]->supply);
			ids[off[c]++] = (uint32_t)k;
		}
	}
	for (size_t c = cells; c > 0; c--)
		off[c] = off[c - 1];
	off[0] = 0;
}

static int list_init(xch_round *r, xch_list *L)
{
	size_t nx = r->n_x + 1, cells = r->m->n * r->m->d + 1;
	memset(L, 0, sizeof *L);
	L->ord = malloc(nx * sizeof *L->ord);
	L->tmp = malloc(nx * sizeof *L->tmp);
	L->lab = malloc(nx * sizeof *L->lab);
	L->lab_tmp = malloc(nx * sizeof *L->lab_tmp);
	L->label = malloc(nx * sizeof *L->label);
	L->gid = malloc(nx * sizeof *L->gid);
	L->stamp = calloc(nx, sizeof *L->stamp);
	L->og = malloc(nx * sizeof *L->og);
	L->og_tmp = malloc(nx * sizeof *L->og_tmp);
	L->stale = malloc((nx + 1) * sizeof *L->stale);
	L->ins = malloc(nx * sizeof *L->ins);
	L->changed = malloc(nx * sizeof *L->changed);
	L->bits = calloc(nx / 64 + 1, sizeof *L->bits);
	L->sup_off = malloc(cells * sizeof *L->sup_off);
	L->dem_off = malloc(cells * sizeof *L->dem_off);
	L->sup_ids = malloc(2 * nx * sizeof *L->sup_ids);
	L->dem_ids = malloc(2 * nx * sizeof *L->dem_ids);
	if (!L->ord || !L->tmp || !L->lab || !L->lab_tmp || !L->label || !L->gid || !L->stamp || !L->og || !L->og_tmp || !L->stale ||
	    !L->ins || !L->changed || !L->bits || !L->sup_off || !L->dem_off || !L->sup_ids || !L->dem_ids)
		return PL_ENOMEM;
	csr(r, L->sup_off, L->sup_ids, 0);
	csr(r, L->dem_off, L->dem_ids, 1);
	for (size_t k = 0; k < r->n_x; k++)
		if (r->x[k].valid) {
			L->og[L->n] = r->x[k].gain;
			L->ord[L->n++] = (uint32_t)k;
		}
	sort_by_gain(L->og, L->ord, L->og_tmp, L->tmp, L->n);
	for (size_t k = 0; k < L->n; k++)
		L->gid[L->ord[k]] = L->og[k];
	relabel(L);
	return PL_OK;
}

static void list_free(xch_list *L)
{
	free(L->ord);
	free(L->tmp);
	free(L->lab);
	free(L->lab_tmp);
	free(L->label);
	free(L->gid);
	free(L->stamp);
	free(L->og);
	free(L->og_tmp);
	free(L->stale);
	free(L->ins);
	free(L->changed);
	free(L->bits);
	free(L->sup_off);
	free(L->dem_off);
	free(L->sup_ids);
	free(L->dem_ids);
}

/* Recalculates the exchanges in ids[off[c] .. off[c+1]) that R changes. */
static int visit(xch_round *r, xch_list *L, const size_t *off, const uint32_t *ids, size_t c,
		 const xch_exchange *R)
{
	for (size_t k = off[c]; k < off[c + 1]; k++) {
		uint32_t id = ids[k];
		xch_exchange *e = &r->x[id];
		if (!e->valid || L->stamp[id] == L->now || e == R)
			continue;
		L->stamp[id] = L->now;
		uint32_t calcs = e->calcs;
		if (pl__xch_after(r, e, R))
			return PL_ENOMEM;
		if (e->calcs != calcs)
			L->changed[L->n_changed++] = id;
	}
	return PL_OK;
}

/* Whether recalculated exchange c (its new gain, its old place) goes before
 * the exchange at place k of the old list (its gain then). */
static int before_place(const xch_round *r, const xch_list *L, uint32_t c, size_t k)
{
	double ga = r->x[c].gain, gb = L->og[k];
	if (gain_below(gb, ga))
		return 1;
	if (gain_below(ga, gb))
		return 0;
	return L->label[c] < L->lab[k];
}

/* Sorts the distinct places v[0..n) (all below the list's length) by
 * setting their bits in bits (all clear before and after) and reading the
 * words between the lowest and the highest back in order. */
static void sort_places(uint64_t *bits, uint32_t *v, size_t n)
{
	if (n < 2)
		return;
	uint32_t lo = v[0], hi = v[0];
	for (size_t k = 0; k < n; k++) {
		bits[v[k] >> 6] |= (uint64_t)1 << (v[k] & 63);
		lo = v[k] < lo ? v[k] : lo;
		hi = v[k] > hi ? v[k] : hi;
	}
	size_t m = 0;
	for (size_t w = lo >> 6; w <= hi >> 6; w++) {
		uint64_t b = bits[w];
		bits[w] = 0;
		while (b) {
			v[m++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(b));
			b &= b - 1;
		}
	}
}

/* The new order after R: the unchanged exchanges keep theirs, the
 * recalculated ones that are still possible go in by gain (equal gains by
 * their place before) -- the merge of the two lists, done by finding each
 * one's place in the old list (a binary search: the old list is in order of
 * gain, then place) and copying the runs between. */
static void reorder(xch_round *r, xch_list *L)
{
	size_t m = 0, ns = 0, n = L->n;
	L->stale[ns++] = 0; /* R */
	for (size_t k = 0; k < L->n_changed; k++) {
		uint32_t id = L->changed[k];
		/* a recalculated exchange whose gain came out the same to the bit
		 * keeps its place: every comparison that placed it gives the same
		 * answer again (most of them: a recalculation that learnt of a
		 * move the mean cap does not feel) */
		if (r->x[id].valid && r->x[id].gain == L->gid[id])
			continue;
		L->stale[ns++] = (uint32_t)place_of(L, L->label[id]);
		if (r->x[id].valid)
			L->changed[m++] = id;
	}
	sort_places(L->bits, L->stale, ns);
	merge_sort(r, L, L->changed, L->tmp, m);
	size_t lo = 0;
	for (size_t c = 0; c < m; c++) {
		size_t hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (before_place(r, L, L->changed[c], mid))
				hi = mid;
			else
				lo = mid + 1;
		}
		L->ins[c] = (uint32_t)lo;
	}
	size_t out = 0, u = 0, si = 0, ci = 0;
	uint64_t last = 0; /* the label written last */
	int full = 0;	   /* no room for a label: the list is labelled afresh */
	for (;;) {
		size_t stop = n;
		if (si < ns && L->stale[si] < stop)
			stop = L->stale[si];
		if (ci < m && L->ins[ci] < stop)
			stop = L->ins[ci];
		if (stop > u) {
			memcpy(L->tmp + out, L->ord + u, (stop - u) * sizeof *L->tmp);
			memcpy(L->og_tmp + out, L->og + u, (stop - u) * sizeof *L->og_tmp);
			memcpy(L->lab_tmp + out, L->lab + u, (stop - u) * sizeof *L->lab_tmp);
			out += stop - u;
			u = stop;
			last = L->lab[u - 1];
		}
		size_t g = 0;
		while (ci + g < m && L->ins[ci + g] <= u)
			g++;
		if (g) {
			/* labels between the last written and the next old exchange
			 * that stays */
			size_t v = u, sv = si;
			while (sv < ns && L->stale[sv] == v) {
				v++;
				sv++;
			}
			uint64_t next = v < n ? L->lab[v] : (uint64_t)1 << 32;
			if (next - last <= g)
				full = 1;
			for (size_t t = 0; t < g; t++, ci++) {
				uint32_t id = L->changed[ci];
				uint64_t lb = last + (next - last) * (t + 1) / (g + 1);
				L->gid[id] = L->og_tmp[out] = r->x[id].gain;
				L->label[id] = L->lab_tmp[out] = (uint32_t)lb;
				L->tmp[out++] = id;
			}
			last = L->lab_tmp[out - 1];
		}
		if (si < ns && L->stale[si] == u) {
			u++;
			si++;
			continue;
		}
		if (u >= n)
			break;
	}
	uint32_t *t = L->ord;
	L->ord = L->tmp;
	L->tmp = t;
	double *g = L->og;
	L->og = L->og_tmp;
	L->og_tmp = g;
	t = L->lab;
	L->lab = L->lab_tmp;
	L->lab_tmp = t;
	L->n = out;
	if (full)
		relabel(L);
}

/* Carries out the exchanges, highest gain first, until none is left. */
static int realise(xch_round *r)
{
	xch_list L;
	int rc = list_init(r, &L);
	while (!rc && L.n > 0) {
		const xch_exchange *R = &r->x[L.ord[0]];
		rc = pl__xch_record(r, R);
		r->x[L.ord[0]].valid = 0; /* carried out: off the list */
		L.now++;
		L.n_changed = 0;
		size_t d = r->m->d;
		const xch_side *s[2] = {&R->i, &R->j};
		for (int t = 0; t < 2 && !rc; t++) {
			rc = visit(r, &L, L.sup_off, L.sup_ids, s[t]->actor * d + s[t]->supply, R);
			if (!rc)
				rc = visit(r, &L, L.dem_off, L.dem_ids,
					   s[t]->actor * d + s[t]->demand, R);
		}
		if (!rc)
			reorder(r, &L);
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
