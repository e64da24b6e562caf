/* eu_stream.c - one round of the expected-utility engine without pairwise
 * tables, in O(n) memory (docs/models/eu.md, "Memory").
 *
 * The tables' path (eu_pass.c) keeps (n + 1) x m prefix sums of the votes
 * and m x m tables of win probabilities and logs: 3.6 GB at 10,000 actors.
 * This path computes the same numbers with the same additions in the same
 * order, and keeps none of them:
 *
 * - Column c of the prefix sums is a running sum over the voters in
 *   position order.  The pair (a, b), a < b, reads columns a and b at the
 *   first voter at or above the pair's midpoint.  Taken in the order of the
 *   tables' loop (a ascending, then b ascending), every column is read at
 *   rows that never go back, so one cursor per column (the row it has
 *   reached and the sum so far) walks it once: O(n) a column, as before.
 * - The global vote total needs every pair before any probability is
 *   known, so a pass walks the pairs twice: once for the total, once for
 *   its consumers (and once before both for the columns' totals).
 * - The consumers take the pairs in that order: the dangers (each a sum
 *   over the other positions in position order, kept per position or per
 *   actor until complete) and the offers (each actor keeps its best offer
 *   of each kind; pl__eu_offer's choice does not depend on the order in
 *   which offers come).
 * - The logs are taken when needed, from the same arguments as the tables'.
 *
 * The cost is three walks of the columns a pass instead of one, and a log
 * where the tables carried one over: about 2-3 times the time of the
 * tables where both fit in memory, so runs keep the tables up to
 * PL_EU_TABLE_MAX actors.  tests/unit/test_eu_paths.c compares the two
 * paths bit for bit. */
#include "engines/eu/eu_work.h"

#include <stdlib.h>
#include <string.h>

typedef struct eu_stream {
	size_t *gstart;	     /* m + 1: first place (in position order) of each distinct position */
	size_t *cg;	     /* m: the position (group) each column's cursor has reached */
	double *cv;	     /* m: the column's prefix sum up to there */
	double *tot;	     /* m: the column's total */
	double *ws, *rs;     /* n: weight and exponent of the voter at each place */
	double *sa, *sb;     /* m: the danger sums of each position (q = 1) */
	double *esq, *bound; /* n: 2^-r, and the bound below which no offer is skipped */
	size_t *twin;	     /* n: an earlier actor with the same moves, or n */
	eu_pick *pick;	     /* 3n: each actor's best offer of each kind */
	double all;	     /* the global vote total (both directions) */
} eu_stream;

void pl__eu_stream_free(eu_work *k)
{
	if (!k->st)
		return;
	free(k->st->gstart);
	free(k->st->pick);
	free(k->st);
	k->st = NULL;
}

int pl__eu_stream_alloc(eu_work *k, size_t n)
{
	eu_stream *s = calloc(1, sizeof *s);
	if (!s)
		return PL_ENOMEM;
	k->st = s;
	/* size_t fits in a double's slot */
	size_t words = (n + 1) + n + 2 * n + 2 * n + 2 * n + 2 * n + n;
	double *p = malloc(words * sizeof *p);
	s->pick = malloc(3 * n * sizeof *s->pick);
	if (!p || !s->pick) {
		free(p);
		return PL_ENOMEM;
	}
	s->gstart = (size_t *)(void *)p;
	p += n + 1;
	s->cg = (size_t *)(void *)p;
	p += n;
	s->cv = p, p += n;
	s->tot = p, p += n;
	s->ws = p, p += n;
	s->rs = p, p += n;
	s->sa = p, p += n;
	s->sb = p, p += n;
	s->esq = p, p += n;
	s->bound = p, p += n;
	s->twin = (size_t *)(void *)p;
	return PL_OK;
}

/* The distinct positions (as pl__eu_distinct_positions, without the logs)
 * and where each begins in the order by position. */
static void distinct(eu_work *k)
{
	eu_stream *s = k->st;
	size_t m = 0;
	for (size_t t = 0; t < k->n; t++) {
		if (t == 0 || k->ord[t].x != k->ord[t - 1].x) {
			k->ux[m] = k->ord[t].x;
			s->gstart[m] = t;
			k->mult[m++] = 0;
		}
		k->mult[m - 1] += 1;
		k->pos_of[k->ord[t].i] = m - 1;
	}
	s->gstart[m] = k->n;
	k->m = m;
}

/* log of the normalised distance of two distinct positions, from the same
 * argument as the tables' ld. */
static inline double log_d(const eu_work *k, size_t a, size_t b)
{
	size_t lo = a < b ? a : b, hi = a < b ? b : a;
	return pl__log((k->ux[hi] - k->ux[lo]) * k->inv_range);
}

/* Moves column c's cursor up to the first voter of position `to`, adding
 * each voter's w U(ux[c]) as the tables' prefix sums do. */
static void advance(const eu_work *k, size_t c, size_t to, int linear)
{
	eu_stream *s = k->st;
	size_t g = s->cg[c];
	if (g >= to)
		return;
	const double *restrict ws = s->ws, *restrict rs = s->rs, *restrict ux = k->ux;
	const size_t *gs = s->gstart;
	double v = s->cv[c], uc = ux[c], ir = k->inv_range;
	for (; g < to; g++) {
		double xv = ux[g];
		size_t t = gs[g], t1 = gs[g + 1];
		if (linear) {
			for (; t < t1; t++)
				v = v + ws[t] * fabs(uc - xv) * ir;
			continue;
		}
		double lg = 0;
		int have = 0;
		for (; t < t1; t++) {
			if (rs[t] == 1) {
				v = v + ws[t] * fabs(uc - xv) * ir;
			} else if (g == c) {
				v = v + 0.0;
			} else {
				if (!have) {
					lg = log_d(k, g, c);
					have = 1;
				}
				v = v + ws[t] * pl__exp(rs[t] * lg);
			}
		}
	}
	s->cg[c] = g;
	s->cv[c] = v;
}

static void cursors_reset(eu_stream *s, size_t m)
{
	for (size_t c = 0; c < m; c++) {
		s->cg[c] = 0;
		s->cv[c] = 0;
	}
}

static inline double pos_part(double y)
{
	return y > 0 ? y : 0;
}

/* The votes for a and for b (a < b), the voters below position c (the
 * first at or above their midpoint) for a. */
static inline void raw_votes(const eu_work *k, int linear, size_t a, size_t b, size_t c,
			     double *fa, double *fb)
{
	eu_stream *s = k->st;
	advance(k, a, c, linear);
	advance(k, b, c, linear);
	double pa = s->cv[a], pb = s->cv[b];
	*fa = pos_part(pb - pa);
	*fb = pos_part((s->tot[a] - pa) - (s->tot[b] - pb));
}

/* The first position at or above the midpoint of a and b, from c on. */
static inline size_t split(const eu_work *k, size_t a, size_t b, size_t c)
{
	double mid = 0.5 * (k->ux[a] + k->ux[b]);
	while (c < k->m && k->ux[c] < mid)
		c++;
	return c;
}

/* The win probabilities of a over b and b over a from their votes. */
static inline void probs(const eu_work *k, double fa, double fb, double *pab, double *pba)
{
	if (k->cfg.prob == PL_EU_PROB_PAIRWISE) {
		double sum = fa + fb;
		*pab = sum > 0 ? fa / sum : 0.5;
		*pba = sum > 0 ? fb / sum : 0.5;
		return;
	}
	double all = k->st->all;
	*pab = all > 0 ? fa / all : 0;
	*pba = all > 0 ? fb / all : 0;
}

/* Starts a pass: each column's total and the global vote total. */
static void pass_begin(eu_work *k, int linear)
{
	eu_stream *s = k->st;
	size_t n = k->n, m = k->m;
	for (size_t t = 0; t < n; t++) {
		s->ws[t] = k->w[k->ord[t].i];
		s->rs[t] = k->rv[k->ord[t].i];
	}
	cursors_reset(s, m);
	for (size_t c = 0; c < m; c++) {
		advance(k, c, m, linear);
		s->tot[c] = s->cv[c];
	}
	s->all = 0;
	if (k->cfg.prob == PL_EU_PROB_PAIRWISE)
		return;
	cursors_reset(s, m);
	double all = 0;
	size_t c0 = 0;
	for (size_t a = 0; a < m; a++) {
		size_t c = c0;
		double ma = k->mult[a];
		for (size_t b = a + 1; b < m; b++) {
			c = split(k, a, b, c);
			if (b == a + 1)
				c0 = c;
			double fa, fb;
			raw_votes(k, linear, a, b, c, &fa, &fb);
			all += ma * k->mult[b] * (fa + fb);
		}
	}
	s->all = all * 2; /* every ordered pair of actors: both directions */
}

/* One term of actor i's danger (q < 1): what the actors at position b
 * (other than i) expect from challenging i, b winning with probability p. */
static void danger_term(eu_work *k, size_t i, size_t b, double p)
{
	double cnt = k->mult[b] - (b == k->pos_of[i]);
	if (cnt == 0)
		return;
	double d = fabs(k->ux[b] - k->x[i]) * k->inv_range;
	double v = pl__eu_value(p, k->sal[i], 0.5 - 0.5 * d, 0.5 + 0.5 * d, 0.5, k->cfg.q) +
		   pl__eu_no_challenge_term(k, fabs(k->ux[b] - k->mu) * k->inv_range + d, 1);
	k->danger[i] += cnt * v;
}

static void danger_terms(eu_work *k, size_t x, size_t y, double p)
{
	eu_stream *s = k->st;
	for (size_t t = s->gstart[x]; t < s->gstart[x + 1]; t++)
		danger_term(k, k->ord[t].i, y, p);
}

/* Position x's danger sums (q = 1), partner y beating x with probability p. */
static inline void danger_sums(eu_work *k, size_t x, size_t y, double p)
{
	eu_stream *s = k->st;
	double md = k->mult[y] * fabs(k->ux[y] - k->ux[x]);
	s->sa[x] += md;
	s->sb[x] += md * (1 - p);
}

/* Every actor's danger with every exponent at 1 (eu_pass.c's dangers_q1
 * and danger_of, each sum taken over the positions in the same order). */
static void dangers(eu_work *k)
{
	eu_stream *s = k->st;
	size_t n = k->n, m = k->m;
	int q1 = k->cfg.q == 1;
	for (size_t c = 0; c < m; c++)
		s->sa[c] = s->sb[c] = 0;
	for (size_t i = 0; i < n; i++)
		k->danger[i] = 0;
	cursors_reset(s, m);
	size_t c0 = 0;
	for (size_t a = 0; a < m; a++) {
		/* a against itself, between the positions below it and above */
		if (q1)
			danger_sums(k, a, a, 0.0);
		else
			danger_terms(k, a, a, 0.0);
		size_t c = c0;
		for (size_t b = a + 1; b < m; b++) {
			c = split(k, a, b, c);
			if (b == a + 1)
				c0 = c;
			double fa, fb, pab, pba;
			raw_votes(k, 1, a, b, c, &fa, &fb);
			probs(k, fa, fb, &pab, &pba);
			if (q1) {
				danger_sums(k, a, b, pba);
				danger_sums(k, b, a, pab);
			} else {
				danger_terms(k, a, b, pba);
				danger_terms(k, b, a, pab);
			}
		}
	}
	if (!q1)
		return;
	for (size_t c = 0; c < m; c++) {
		s->sa[c] = 2 * s->sa[c] * k->inv_range;
		s->sb[c] = 4 * s->sb[c] * k->inv_range;
	}
	for (size_t i = 0; i < n; i++) {
		size_t a = k->pos_of[i];
		k->danger[i] = s->sa[a] - k->sal[i] * s->sb[a];
	}
}

/* The logs of the pair's 0.5 -+ d/2, as the tables' ls and lf. */
typedef struct pair_logs {
	int have;
	double ls, lf;
} pair_logs;

static void pair_logs_get(const eu_work *k, size_t a, size_t b, pair_logs *l)
{
	if (l->have)
		return;
	size_t lo = a < b ? a : b, hi = a < b ? b : a;
	double d = (k->ux[hi] - k->ux[lo]) * k->inv_range;
	double s = 0.5 - 0.5 * d;
	l->ls = s > 0 ? pl__log(s) : -INFINITY;
	l->lf = pl__log(0.5 + 0.5 * d);
	l->have = 1;
}

/* The actors at position x weigh the challenges of those at position y;
 * pxy = P(x beats y).  The same values as eu.c's choose_move. */
static void offers(eu_work *k, size_t x, size_t y, double pxy, double pyx, pair_logs *l)
{
	eu_stream *s = k->st;
	size_t n = k->n;
	const eu_slot *ord = k->ord;
	int fast = k->cfg.q == 1 && k->cfg.perspective == PL_EU_PERSPECTIVE_OWN;
	size_t y0 = s->gstart[y], y1 = s->gstart[y + 1];
	for (size_t t = s->gstart[x]; t < s->gstart[x + 1]; t++) {
		size_t i = ord[t].i;
		if (s->twin[i] < n)
			continue;
		double ri = k->r[i], si = k->sal[i];
		eu_pick *pick = s->pick + 3 * i;
		if (fast && si * (1 - pyx) >= s->bound[i] &&
		    fabs(k->ux[y] - k->ux[x]) * k->inv_range >= 1e-6)
			continue; /* no offer can come from y (eu.c, lottery_terms_pruned) */
		pair_logs_get(k, x, y, l);
		double es = pl__eu_pow(l->ls, ri), ef = pl__eu_pow(l->lf, ri);
		double g = 4 * (s->esq[i] - es), h = 4 * (ef - es);
		for (size_t u = y0; u < y1; u++) {
			size_t j = ord[u].i;
			double eij, eji;
			if (fast) {
				eij = g - k->sal[j] * (1 - pxy) * h;
				eji = g - si * (1 - pyx) * h;
				if (!(eji > 0)) /* every kind of offer needs it */
					continue;
			} else {
				pl__eu_pair_values(k, i, j, g, h, pxy, pyx, l->ls, l->lf, &eij, &eji);
			}
			pl__eu_offer(k, i, j, eij, eji, pick);
		}
	}
}

/* Every actor's best offers, the pairs of positions in the tables' order. */
static void moves(eu_work *k, int linear)
{
	eu_stream *s = k->st;
	size_t n = k->n, m = k->m;
	for (size_t t = 0; t < n; t++) {
		size_t i = k->ord[t].i;
		double ri = k->r[i];
		s->twin[i] = pl__eu_twin_of(k, t);
		s->esq[i] = pl__exp(-EU_LN2 * ri);
		/* as lottery_terms_pruned: max(1/2, 2^-r) + 0.01 */
		s->bound[i] = (ri < 1 ? fmax(0.5, s->esq[i]) : 0.5) + 0.01;
		for (int kind = 0; kind < 3; kind++)
			s->pick[3 * i + kind].have = 0;
	}
	cursors_reset(s, m);
	size_t c0 = 0;
	for (size_t a = 0; a < m; a++) {
		size_t c = c0;
		for (size_t b = a + 1; b < m; b++) {
			c = split(k, a, b, c);
			if (b == a + 1)
				c0 = c;
			double fa, fb, pab, pba;
			raw_votes(k, linear, a, b, c, &fa, &fb);
			probs(k, fa, fb, &pab, &pba);
			pair_logs l = {0, 0, 0};
			offers(k, a, b, pab, pba, &l);
			offers(k, b, a, pba, pab, &l);
		}
	}
	for (size_t t = 0; t < n; t++) {
		size_t i = k->ord[t].i;
		k->xn[i] = s->twin[i] < n ? k->xn[s->twin[i]] : pl__eu_take(k, i, s->pick + 3 * i);
	}
}

/* A long round's progress: the part of it done. */
static void progress(const eu_work *k, double part)
{
	pl__engine_progress(k->cfg.args, k->round_at + part);
}

void pl__eu_stream_round(eu_work *k)
{
	size_t n = k->n;
	distinct(k);
	k->mu = k->cfg.q < 1 ? pl__eu_central(k, k->cfg.mu) : 0;
	for (size_t i = 0; i < n; i++)
		k->rv[i] = 1;
	pass_begin(k, 1);
	dangers(k);
	pl__eu_exponents_from_dangers(k);
	progress(k, 0.2);
	if (k->cfg.prob == PL_EU_PROB_GLOBAL) {
		for (size_t i = 0; i < n; i++)
			k->rv[i] = k->r[i];
		pass_begin(k, 0);
		progress(k, 0.6);
		moves(k, 0);
	} else {
		moves(k, 1); /* eq. 30: the linear votes of the first pass */
	}
}
