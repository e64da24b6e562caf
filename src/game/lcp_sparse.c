/* lcp_sparse.c - Lemke's algorithm (Lemke 1965) on a sparse, exact tableau.
 *
 * Row r holds the values val / den[r] (den[r] > 0) at its nonzero columns
 * only.  A pivot on (pr, pc) replaces every row r with a nonzero in column
 * pc by row_r - (t_r,pc / t_pr,pc) row_pr, computed as
 *     (a' row_r - b' row_pr) / (a' den_r),   a' = t_pr,pc / g, b' = t_r,pc / g,
 * with g their gcd (the row denominators cancel), then divides the row by
 * the gcd of its entries and denominator; rows with a zero in column pc are
 * not touched at all.  A fraction-free dense tableau (Bareiss) must instead
 * rescale every entry at every pivot.  The values are exact either way, so
 * every pivoting decision is the same.  Ratios compare within a row, where
 * the denominator cancels:  x_r / e_r < x_b / e_b  iff  x_r e_b < x_b e_r. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"
#include "lcp_sparse.h"

typedef struct srow {
	int nnz, cap;
	int *col;   /* ascending */
	mpz_t *val; /* nonzero below nnz; every one below cap is initialised */
	mpz_t den;  /* > 0 */
} srow;

struct pl__lcp {
	int n;		  /* columns: w 0..n-1, z n..2n-1, z0 2n, c 2n+1 */
	srow *row;	  /* n rows */
	srow tmp;	  /* merge buffer, exchanged with the row it rewrites */
	int *basis;	  /* column basic in each row */
	int *where;	  /* row where each column is basic, or -1 */
	mpz_t a, u, v, g; /* scratch */
	int nomem;	  /* an allocation failed: every later step does nothing */
};

/* 0, or -1 with the row unchanged (its capacity too) when out of memory. */
static int row_reserve(srow *r, int need)
{
	if (need <= r->cap)
		return 0;
	int cap = r->cap ? r->cap : 8;
	while (cap < need)
		cap *= 2;
	int *col = realloc(r->col, (size_t)cap * sizeof *col);
	if (!col)
		return -1;
	r->col = col;
	mpz_t *val = realloc(r->val, (size_t)cap * sizeof *val);
	if (!val)
		return -1;
	r->val = val;
	for (int k = r->cap; k < cap; k++)
		mpz_init(r->val[k]);
	r->cap = cap;
	return 0;
}

static void row_free(srow *r)
{
	for (int k = 0; k < r->cap; k++)
		mpz_clear(r->val[k]);
	free(r->col);
	free(r->val);
	mpz_clear(r->den);
}

/* Exchanges the entries (not the denominators) of two rows. */
static void row_swap(srow *x, srow *y)
{
	srow t = *x;
	x->nnz = y->nnz;
	x->cap = y->cap;
	x->col = y->col;
	x->val = y->val;
	y->nnz = t.nnz;
	y->cap = t.cap;
	y->col = t.col;
	y->val = t.val;
}

static void row_append(pl__lcp *lc, srow *r, int c, const mpz_t v)
{
	if (!mpz_sgn(v) || lc->nomem)
		return;
	if (row_reserve(r, r->nnz + 1)) {
		lc->nomem = 1;
		return;
	}
	r->col[r->nnz] = c;
	mpz_set(r->val[r->nnz++], v);
}

static void row_append_si(pl__lcp *lc, srow *r, int c, long v)
{
	if (!v || lc->nomem)
		return;
	if (row_reserve(r, r->nnz + 1)) {
		lc->nomem = 1;
		return;
	}
	r->col[r->nnz] = c;
	mpz_set_si(r->val[r->nnz++], v);
}

/* The entry at column c, or NULL where it is 0. */
static mpz_srcptr row_get(const srow *r, int c)
{
	int lo = 0, hi = r->nnz;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (r->col[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->nnz && r->col[lo] == c ? r->val[lo] : NULL;
}

pl__lcp *pl__lcp_new(int n)
{
	pl__lcp *lc = pl__calloc(1, sizeof *lc);
	if (!lc)
		return NULL;
	mpz_init(lc->tmp.den);
	mpz_inits(lc->a, lc->u, lc->v, lc->g, NULL);
	lc->row = pl__calloc((size_t)n, sizeof *lc->row);
	lc->basis = pl__calloc((size_t)n, sizeof *lc->basis);
	lc->where = pl__calloc((size_t)2 * n + 2, sizeof *lc->where);
	if (!lc->row || !lc->basis || !lc->where) {
		pl__lcp_free(lc); /* frees no rows: n is still 0 */
		return NULL;
	}
	lc->n = n;
	for (int r = 0; r < n; r++)
		mpz_init_set_ui(lc->row[r].den, 1);
	for (int c = 0; c < 2 * n + 2; c++)
		lc->where[c] = c < n ? c : -1;
	for (int r = 0; r < n; r++) {
		row_append_si(lc, &lc->row[r], r, 1);
		row_append_si(lc, &lc->row[r], 2 * n, -1);
		lc->basis[r] = r;
	}
	if (lc->nomem) {
		pl__lcp_free(lc);
		return NULL;
	}
	return lc;
}

void pl__lcp_free(pl__lcp *lc)
{
	if (!lc)
		return;
	for (int r = 0; lc->row && r < lc->n; r++)
		row_free(&lc->row[r]);
	row_free(&lc->tmp);
	free(lc->row);
	free(lc->basis);
	free(lc->where);
	mpz_clears(lc->a, lc->u, lc->v, lc->g, NULL);
	free(lc);
}

void pl__lcp_set_t(pl__lcp *lc, int r, int j, const mpz_t v)
{
	row_append(lc, &lc->row[r], lc->n + j, v);
}

void pl__lcp_set_t_si(pl__lcp *lc, int r, int j, long v)
{
	row_append_si(lc, &lc->row[r], lc->n + j, v);
}

void pl__lcp_set_c_si(pl__lcp *lc, int r, long v)
{
	row_append_si(lc, &lc->row[r], 2 * lc->n + 1, v);
}

typedef struct colat {
	int col, at;
} colat;

static int cmp_colat(const void *x, const void *y)
{
	const colat *a = x, *b = y;
	return (a->col > b->col) - (a->col < b->col);
}

/* Puts a row's entries in column order (they are set in any order); -1
 * when out of memory. */
static int row_sort(srow *r, srow *tmp)
{
	colat *o = pl__calloc((size_t)(r->nnz ? r->nnz : 1), sizeof *o);
	if (!o || row_reserve(tmp, r->nnz)) {
		free(o);
		return -1;
	}
	for (int k = 0; k < r->nnz; k++)
		o[k] = (colat){r->col[k], k};
	qsort(o, (size_t)r->nnz, sizeof *o, cmp_colat);
	for (int k = 0; k < r->nnz; k++) {
		tmp->col[k] = o[k].col;
		mpz_swap(tmp->val[k], r->val[o[k].at]);
	}
	tmp->nnz = r->nnz;
	row_swap(r, tmp);
	free(o);
	return 0;
}

/* Makes den positive, then divides the row by the gcd of its entries and
 * its denominator, which keeps the integers short. */
static void row_normalise(pl__lcp *lc, srow *r)
{
	if (mpz_sgn(r->den) < 0) {
		mpz_neg(r->den, r->den);
		for (int k = 0; k < r->nnz; k++)
			mpz_neg(r->val[k], r->val[k]);
	}
	if (mpz_cmp_ui(r->den, 1) == 0)
		return;
	mpz_set(lc->g, r->den);
	for (int k = 0; k < r->nnz; k++) {
		mpz_gcd(lc->g, lc->g, r->val[k]);
		if (mpz_cmp_ui(lc->g, 1) == 0)
			return;
	}
	mpz_divexact(r->den, r->den, lc->g);
	for (int k = 0; k < r->nnz; k++)
		mpz_divexact(r->val[k], r->val[k], lc->g);
}

/* Row r -= (t_r,pc / t_pr,pc) row pr, where lc->a = t_pr,pc (numerator);
 * -1 (nothing changed) when out of memory. */
static int eliminate(pl__lcp *lc, srow *r, const srow *p, mpz_srcptr b)
{
	mpz_gcd(lc->g, lc->a, b);
	mpz_divexact(lc->u, lc->a, lc->g); /* a' */
	mpz_divexact(lc->v, b, lc->g);	   /* b' */
	int unit = mpz_cmp_ui(lc->u, 1) == 0;
	srow *t = &lc->tmp;
	if (row_reserve(t, r->nnz + p->nnz))
		return -1;
	int i = 0, j = 0, k = 0;
	while (i < r->nnz || j < p->nnz) {
		int ci = i < r->nnz ? r->col[i] : INT_MAX, cj = j < p->nnz ? p->col[j] : INT_MAX;
		mpz_ptr out = t->val[k];
		if (ci <= cj) {
			mpz_swap(out, r->val[i++]);
			if (!unit)
				mpz_mul(out, out, lc->u);
			if (ci == cj)
				mpz_submul(out, lc->v, p->val[j++]);
		} else {
			mpz_mul(out, lc->v, p->val[j++]);
			mpz_neg(out, out);
		}
		if (mpz_sgn(out)) /* the pivot column cancels exactly */
			t->col[k++] = ci <= cj ? ci : cj;
	}
	t->nnz = k;
	row_swap(r, t);
	mpz_mul(r->den, r->den, lc->u);
	row_normalise(lc, r);
	return 0;
}

/* -1 when out of memory (the tableau is then half pivoted: give up). */
static int pivot(pl__lcp *lc, int pr, int pc)
{
	srow *p = &lc->row[pr];
	mpz_set(lc->a, row_get(p, pc));
	for (int r = 0; r < lc->n; r++) {
		mpz_srcptr b = r == pr ? NULL : row_get(&lc->row[r], pc);
		if (b && eliminate(lc, &lc->row[r], p, b))
			return -1;
	}
	/* the pivot row now expresses the entering variable: divide it by a */
	mpz_set(p->den, lc->a);
	row_normalise(lc, p);
	lc->where[lc->basis[pr]] = -1;
	lc->where[pc] = pr;
	lc->basis[pr] = pc;
	return 0;
}

/* The sign of xr eb - xb er (NULL is 0; er, eb > 0). */
static int cross(pl__lcp *lc, mpz_srcptr xr, mpz_srcptr er, mpz_srcptr xb, mpz_srcptr eb)
{
	if (!xr || !xb)
		return xr ? mpz_sgn(xr) : xb ? -mpz_sgn(xb) : 0;
	mpz_mul(lc->u, xr, eb);
	mpz_mul(lc->v, xb, er);
	return mpz_cmp(lc->u, lc->v);
}

/* Whether row r's ratio is lexicographically below row b's: the right-hand
 * side first, then the initial basis columns (the w's) in order. */
static int lex_less(pl__lcp *lc, int r, mpz_srcptr er, int b, mpz_srcptr eb)
{
	const srow *R = &lc->row[r], *B = &lc->row[b];
	int n = lc->n, rhs = 2 * n + 1;
	int s = cross(lc, row_get(R, rhs), er, row_get(B, rhs), eb);
	for (int i = 0, j = 0; s == 0;) {
		int ci = i < R->nnz && R->col[i] < n ? R->col[i] : n;
		int cj = j < B->nnz && B->col[j] < n ? B->col[j] : n;
		if (ci == n && cj == n)
			return 0;
		int c = ci < cj ? ci : cj;
		mpz_srcptr xr = ci == c ? R->val[i++] : NULL, xb = cj == c ? B->val[j++] : NULL;
		s = cross(lc, xr, er, xb, eb);
	}
	return s < 0;
}

/* Lexicographic minimum ratio over the rows with a positive entry in e. */
static int ratio(pl__lcp *lc, int e)
{
	int best = -1;
	mpz_srcptr eb = NULL;
	for (int r = 0; r < lc->n; r++) {
		mpz_srcptr er = row_get(&lc->row[r], e);
		if (!er || mpz_sgn(er) <= 0)
			continue;
		if (best < 0 || lex_less(lc, r, er, best, eb)) {
			best = r;
			eb = er;
		}
	}
	return best;
}

int pl__lcp_lemke(pl__lcp *lc, long max_pivots)
{
	int n = lc->n, z0 = 2 * n, rhs = 2 * n + 1, first = 0;
	if (lc->nomem)
		return -2;
	for (int r = 0; r < n; r++)
		if (row_sort(&lc->row[r], &lc->tmp))
			return -2;
	mpz_t zero;
	mpz_init(zero);
	mpz_srcptr cf = row_get(&lc->row[0], rhs);
	for (int r = 1; r < n; r++) { /* the most negative c; ties to the later row */
		mpz_srcptr cr = row_get(&lc->row[r], rhs);
		if (mpz_cmp(cr ? cr : zero, cf ? cf : zero) <= 0) {
			first = r;
			cf = cr;
		}
	}
	int done = !cf || mpz_sgn(cf) >= 0;
	mpz_clear(zero);
	if (done)
		return 0;
	int leave = lc->basis[first];
	if (pivot(lc, first, z0))
		return -2;
	for (long it = 0; it < max_pivots; it++) {
		int enter = leave < n ? leave + n : leave - n;
		int row = ratio(lc, enter);
		if (row < 0)
			return -1;
		leave = lc->basis[row];
		if (pivot(lc, row, enter))
			return -2;
		if (leave == z0)
			return 0;
	}
	return -1;
}

void pl__lcp_z(const pl__lcp *lc, int j, mpq_t out)
{
	int r = lc->where[lc->n + j];
	mpz_srcptr v = r < 0 ? NULL : row_get(&lc->row[r], 2 * lc->n + 1);
	if (!v) {
		mpq_set_ui(out, 0, 1);
		return;
	}
	mpq_set_num(out, v);
	mpq_set_den(out, lc->row[r].den);
	mpq_canonicalize(out);
}
