/* solve_lh.c - Lemke-Howson complementary pivoting for two-player games,
 * exact (integer pivoting on GMP integers) with a lexicographic ratio test,
 * so degenerate games neither cycle nor stall.
 *
 * With payoffs shifted positive, the tableaux are
 *   P:  s_j + sum_i B_ij x_i = 1  (j < n)     columns: x_i (label i), s_j (label m+j)
 *   Q:  r_i + sum_j A_ij y_j = 1  (i < m)     columns: r_i (label i), y_j (label m+j)
 * Dropping label k from a completely labelled pair makes column k enter the
 * tableau where it is nonbasic; whichever variable leaves (minimum ratio,
 * ties broken lexicographically over the initial basis columns) has its
 * label's column enter the other tableau, until label k itself leaves
 * (Lemke and Howson 1964; Shapley 1974; von Stengel 2002, section 3).
 * Starting from the artificial pair (0, 0) with every label, then from
 * every equilibrium found with every label, lists all equilibria accessible
 * that way (the set Gambit's gambit-lcp reports for strategic games).
 * See docs/games/lh.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

#define MAX_PIVOTS 10000000L

typedef struct tab {
	int rows, cols; /* cols = m + n labels; the right-hand side is column cols */
	mpz_t *t;	/* rows x (cols + 1) */
	int *basis;	/* column basic in each row */
	int lex0, nlex; /* the initial basis columns, for the lexicographic test */
	mpz_t det;
} tab;

#define T(tb, r, c) ((tb)->t[(size_t)(r) * ((tb)->cols + 1) + (c)])

/* 0, or PL_ENOMEM; tab_free either way. */
static int tab_init(tab *tb, int rows, int cols, int lex0)
{
	tb->rows = rows;
	tb->cols = cols;
	tb->lex0 = lex0;
	tb->nlex = rows;
	mpz_init_set_ui(tb->det, 1);
	tb->t = pl__calloc((size_t)rows * (cols + 1), sizeof(mpz_t));
	tb->basis = pl__calloc((size_t)rows, sizeof(int));
	if (!tb->t || !tb->basis) {
		free(tb->t);
		tb->t = NULL;
		return PL_ENOMEM;
	}
	for (size_t k = 0; k < (size_t)rows * (cols + 1); k++)
		mpz_init(tb->t[k]);
	return 0;
}

/* Copies src into dst, a tableau of the same shape (its integers keep
 * their limbs, so a reused scratch tableau stops allocating). */
static void tab_assign(tab *dst, const tab *src)
{
	for (size_t k = 0; k < (size_t)src->rows * (src->cols + 1); k++)
		mpz_set(dst->t[k], src->t[k]);
	memcpy(dst->basis, src->basis, (size_t)src->rows * sizeof(int));
	mpz_set(dst->det, src->det);
}

static int tab_copy(tab *dst, const tab *src)
{
	if (tab_init(dst, src->rows, src->cols, src->lex0))
		return PL_ENOMEM;
	tab_assign(dst, src);
	return 0;
}

static void tab_free(tab *tb)
{
	for (size_t k = 0; tb->t && k < (size_t)tb->rows * (tb->cols + 1); k++)
		mpz_clear(tb->t[k]);
	free(tb->t);
	free(tb->basis);
	mpz_clear(tb->det);
}

static int basic_row(const tab *tb, int col)
{
	for (int r = 0; r < tb->rows; r++)
		if (tb->basis[r] == col)
			return r;
	return -1;
}

/* Is row a lexicographically smaller than row b for entering column e? */
static int lex_less(const tab *tb, int a, int b, int e, mpz_t u, mpz_t v)
{
	mpz_mul(u, T(tb, a, tb->cols), T(tb, b, e));
	mpz_mul(v, T(tb, b, tb->cols), T(tb, a, e));
	int c = mpz_cmp(u, v);
	for (int k = 0; c == 0 && k < tb->nlex; k++) {
		int col = tb->lex0 + k;
		mpz_mul(u, T(tb, a, col), T(tb, b, e));
		mpz_mul(v, T(tb, b, col), T(tb, a, e));
		c = mpz_cmp(u, v);
	}
	return c < 0;
}

static int ratio_test(const tab *tb, int e)
{
	mpz_t u, v;
	mpz_inits(u, v, NULL);
	int best = -1;
	for (int r = 0; r < tb->rows; r++) {
		if (mpz_sgn(T(tb, r, e)) <= 0)
			continue;
		if (best < 0 || lex_less(tb, r, best, e, u, v))
			best = r;
	}
	mpz_clears(u, v, NULL);
	return best;
}

/* Integer pivoting: every entry stays an integer, divided exactly by the
 * previous pivot (Edmonds 1967; Bareiss 1968). */
static void pivot(tab *tb, int pr, int pc, mpz_t u)
{
	int one = mpz_cmp_ui(tb->det, 1) == 0;
	for (int r = 0; r < tb->rows; r++) {
		if (r == pr)
			continue;
		int zero = mpz_sgn(T(tb, r, pc)) == 0; /* then only the scaling is left */
		for (int c = 0; c <= tb->cols; c++) {
			if (c == pc)
				continue;
			mpz_mul(u, T(tb, r, c), T(tb, pr, pc));
			if (!zero)
				mpz_submul(u, T(tb, r, pc), T(tb, pr, c));
			if (one)
				mpz_swap(T(tb, r, c), u);
			else
				mpz_divexact(T(tb, r, c), u, tb->det);
		}
		mpz_set_ui(T(tb, r, pc), 0);
	}
	mpz_set(tb->det, T(tb, pr, pc));
	tb->basis[pr] = pc;
}

typedef struct state {
	tab p, q;
} state;

/* Follows the path that drops label k; 0 on success, -1 if it runs away.
 * u is scratch. */
static int lh_path(state *st, int k, long *pivots, mpz_t u)
{
	int in_p = basic_row(&st->p, k) < 0;
	tab *tb = in_p ? &st->p : &st->q;
	int enter = k;
	for (;;) {
		if (++*pivots > MAX_PIVOTS)
			return -1;
		int row = ratio_test(tb, enter);
		if (row < 0)
			return -1;
		int leave = tb->basis[row];
		pivot(tb, row, enter, u);
		if (leave == k)
			return 0;
		tb = tb == &st->p ? &st->q : &st->p;
		enter = leave;
	}
}

/* Divides the len entries of p by their sum; 0 when the sum is 0 (the
 * artificial pair).  sum is scratch. */
static int normalise(mpq_t *p, int len, mpq_t sum)
{
	mpq_set_ui(sum, 0, 1);
	for (int i = 0; i < len; i++)
		mpq_add(sum, sum, p[i]);
	if (mpq_sgn(sum) == 0)
		return 0;
	for (int i = 0; i < len; i++)
		mpq_div(p[i], p[i], sum);
	return 1;
}

/* Sets v to column col's value in tableau side (0: p, 1: q) of a walk's
 * state: its basic row's right-hand side over the determinant, 0 when the
 * column is not basic.  One per arithmetic (cell_gmp, cell_128). */
typedef void (*cell_fn)(const void *st, int side, int col, mpq_t v);

/* The normalised profile of a completely labelled pair (player 1's m
 * strategies, then player 2's n, the columns of the same numbers); 0 if
 * artificial. */
static int extract(const void *st, cell_fn cell, int m, int n, mpq_t *prof)
{
	mpq_t sum;
	mpq_init(sum);
	int ok = 1;
	for (int side = 0; side < 2 && ok; side++) {
		int off = side == 0 ? 0 : m, len = side == 0 ? m : n;
		for (int i = 0; i < len; i++)
			cell(st, side, off + i, prof[off + i]);
		ok = normalise(prof + off, len, sum);
	}
	mpq_clear(sum);
	return ok;
}

static void cell_gmp(const void *v, int side, int col, mpq_t out)
{
	const state *st = v;
	const tab *tb = side == 0 ? &st->p : &st->q;
	int r = basic_row(tb, col);
	mpq_set_ui(out, 0, 1);
	if (r >= 0) {
		mpq_set_num(out, T(tb, r, tb->cols));
		mpq_set_den(out, tb->det);
		mpq_canonicalize(out);
	}
}

/* 0, or PL_ENOMEM; state_free either way. */
static int initial_state(const pl_game *g, state *st)
{
	int m = g->nstrat[0], n = g->nstrat[1];
	mpq_t *a, *b;
	int ri = tab_init(&st->p, n, m + n, m), rq = tab_init(&st->q, m, m + n, 0);
	if (ri || rq || pl__bimatrix(g, &a, &b))
		return PL_ENOMEM;
	/* scale each matrix to positive integers: shift, then clear denominators */
	mpz_t *ai = pl__calloc((size_t)m * n, sizeof(mpz_t)),
	      *bi = pl__calloc((size_t)m * n, sizeof(mpz_t));
	if (!ai || !bi) {
		free(ai);
		free(bi);
		pl__mpq_vec_free(a, (size_t)m * n);
		pl__mpq_vec_free(b, (size_t)m * n);
		return PL_ENOMEM;
	}
	for (int side = 0; side < 2; side++) {
		mpq_t *mat = side ? b : a;
		mpz_t *out = side ? bi : ai;
		mpq_t lo;
		mpz_t l;
		mpq_init(lo);
		mpz_init_set_ui(l, 1);
		mpq_set(lo, mat[0]);
		for (int k = 1; k < m * n; k++)
			if (mpq_cmp(mat[k], lo) < 0)
				mpq_set(lo, mat[k]);
		for (int k = 0; k < m * n; k++) {
			mpq_sub(mat[k], mat[k], lo);
			mpz_lcm(l, l, mpq_denref(mat[k]));
		}
		for (int k = 0; k < m * n; k++) {
			mpz_init(out[k]);
			mpz_divexact(out[k], l, mpq_denref(mat[k]));
			mpz_mul(out[k], out[k], mpq_numref(mat[k]));
			mpz_add_ui(out[k], out[k], 1);
		}
		mpq_clear(lo);
		mpz_clear(l);
	}
	for (int j = 0; j < n; j++) {
		for (int i = 0; i < m; i++)
			mpz_set(T(&st->p, j, i), bi[i * n + j]);
		mpz_set_ui(T(&st->p, j, m + j), 1);
		mpz_set_ui(T(&st->p, j, m + n), 1);
		st->p.basis[j] = m + j;
	}
	for (int i = 0; i < m; i++) {
		mpz_set_ui(T(&st->q, i, i), 1);
		for (int j = 0; j < n; j++)
			mpz_set(T(&st->q, i, m + j), ai[i * n + j]);
		mpz_set_ui(T(&st->q, i, m + n), 1);
		st->q.basis[i] = i;
	}
	for (int k = 0; k < m * n; k++) {
		mpz_clear(ai[k]);
		mpz_clear(bi[k]);
	}
	free(ai);
	free(bi);
	pl__mpq_vec_free(a, (size_t)m * n);
	pl__mpq_vec_free(b, (size_t)m * n);
	return 0;
}

static void state_free(state *st)
{
	tab_free(&st->p);
	tab_free(&st->q);
}

/* ---- the same pivoting on machine integers ------------------------------
 * Most small games' tableaux fit in 128 bits (a 4 x 4 game with payoffs up
 * to 10^6 does).  The same steps on 128-bit integers, with every product and
 * difference checked, are exact as long as nothing overflows:
 * the same ratio tests, pivots and bases, so the same equilibria in the
 * same order as on GMP integers, without GMP's allocations (most of a
 * 4 x 4 game's instructions).  When a step would overflow, the solve starts
 * again on GMP integers. */

#define LH_OVERFLOW 1 /* table_lh_small: start again on GMP integers */

__extension__ typedef __int128 lhint; /* GCC's and Clang's 128-bit integers */
__extension__ typedef unsigned __int128 lhuint;

/* z as an lhint; 0, or LH_OVERFLOW when it does not fit. */
static int lhint_from(lhint *out, const mpz_t z)
{
	if (mpz_sizeinbase(z, 2) > 126)
		return LH_OVERFLOW;
	uint64_t limb[2] = {0, 0};
	size_t n = 0;
	mpz_export(limb, &n, -1, sizeof limb[0], 0, 0, z); /* |z|, least significant first */
	lhint v = (lhint)(((lhuint)limb[1] << 64) | limb[0]);
	*out = mpz_sgn(z) < 0 ? -v : v;
	return 0;
}

static void lhint_to(mpz_t z, lhint v)
{
	lhuint a = v < 0 ? -(lhuint)v : (lhuint)v;
	uint64_t limb[2] = {(uint64_t)a, (uint64_t)(a >> 64)};
	mpz_import(z, 2, -1, sizeof limb[0], 0, 0, limb);
	if (v < 0)
		mpz_neg(z, z);
}

typedef struct stab {
	int rows, cols;
	lhint *t; /* rows x (cols + 1) */
	int *basis;
	int lex0, nlex;
	lhint det; /* the last pivot, > 0 */
} stab;

#define S(tb, r, c) ((tb)->t[(size_t)(r) * ((tb)->cols + 1) + (c)])

/* 0, or PL_ENOMEM; stab_free either way. */
static int stab_init(stab *tb, int rows, int cols, int lex0)
{
	tb->rows = rows;
	tb->cols = cols;
	tb->lex0 = lex0;
	tb->nlex = rows;
	tb->det = 1;
	tb->t = pl__calloc((size_t)rows * (cols + 1), sizeof *tb->t);
	tb->basis = pl__calloc((size_t)rows, sizeof *tb->basis);
	return tb->t && tb->basis ? 0 : PL_ENOMEM;
}

static void stab_free(stab *tb)
{
	free(tb->t);
	free(tb->basis);
	tb->t = NULL;
	tb->basis = NULL;
}

static void stab_assign(stab *dst, const stab *src)
{
	memcpy(dst->t, src->t, (size_t)src->rows * (src->cols + 1) * sizeof *src->t);
	memcpy(dst->basis, src->basis, (size_t)src->rows * sizeof *src->basis);
	dst->det = src->det;
}

/* The GMP tableau src as machine integers: 0, PL_ENOMEM, or LH_OVERFLOW. */
static int stab_from(stab *dst, const tab *src)
{
	if (stab_init(dst, src->rows, src->cols, src->lex0))
		return PL_ENOMEM;
	for (size_t k = 0; k < (size_t)src->rows * (src->cols + 1); k++)
		if (lhint_from(&dst->t[k], src->t[k]))
			return LH_OVERFLOW;
	memcpy(dst->basis, src->basis, (size_t)src->rows * sizeof *src->basis);
	return lhint_from(&dst->det, src->det);
}

static int sbasic_row(const stab *tb, int col)
{
	for (int r = 0; r < tb->rows; r++)
		if (tb->basis[r] == col)
			return r;
	return -1;
}

/* lex_less: 1 or 0, LH_OVERFLOW (as -1) when a product overflows. */
static int slex_less(const stab *tb, int a, int b, int e)
{
	lhint u, v;
	int c = 0;
	for (int k = -1; c == 0 && k < tb->nlex; k++) {
		int col = k < 0 ? tb->cols : tb->lex0 + k;
		if (__builtin_mul_overflow(S(tb, a, col), S(tb, b, e), &u) ||
		    __builtin_mul_overflow(S(tb, b, col), S(tb, a, e), &v))
			return -1;
		c = (u > v) - (u < v);
	}
	return c < 0;
}

/* ratio_test into *row (-1: none); 0, or LH_OVERFLOW. */
static int sratio_test(const stab *tb, int e, int *row)
{
	int best = -1;
	for (int r = 0; r < tb->rows; r++) {
		if (S(tb, r, e) <= 0)
			continue;
		int less = best < 0 ? 1 : slex_less(tb, r, best, e);
		if (less < 0)
			return LH_OVERFLOW;
		if (less)
			best = r;
	}
	*row = best;
	return 0;
}

/* pivot; 0, or LH_OVERFLOW (the tableau is then spoilt). */
static int spivot(stab *tb, int pr, int pc)
{
	lhint p = S(tb, pr, pc), det = tb->det;
	for (int r = 0; r < tb->rows; r++) {
		if (r == pr)
			continue;
		lhint f = S(tb, r, pc);
		for (int c = 0; c <= tb->cols; c++) {
			if (c == pc)
				continue;
			lhint u, w;
			if (__builtin_mul_overflow(S(tb, r, c), p, &u))
				return LH_OVERFLOW;
			if (f && (__builtin_mul_overflow(f, S(tb, pr, c), &w) ||
				  __builtin_sub_overflow(u, w, &u)))
				return LH_OVERFLOW;
			S(tb, r, c) = det == 1 ? u : u / det; /* exact (Bareiss) */
		}
		S(tb, r, pc) = 0;
	}
	tb->det = p;
	tb->basis[pr] = pc;
	return 0;
}

typedef struct sstate {
	stab p, q;
} sstate;

/* lh_path: 0, -1 if it runs away, or LH_OVERFLOW. */
static int slh_path(sstate *st, int k, long *pivots)
{
	int in_p = sbasic_row(&st->p, k) < 0;
	stab *tb = in_p ? &st->p : &st->q;
	int enter = k;
	for (;;) {
		if (++*pivots > MAX_PIVOTS)
			return -1;
		int row;
		if (sratio_test(tb, enter, &row))
			return LH_OVERFLOW;
		if (row < 0)
			return -1;
		int leave = tb->basis[row];
		if (spivot(tb, row, enter))
			return LH_OVERFLOW;
		if (leave == k)
			return 0;
		tb = tb == &st->p ? &st->q : &st->p;
		enter = leave;
	}
}

/* cell_gmp's, from machine integers (det > 0, so the same rationals). */
static void cell_128(const void *v, int side, int col, mpq_t out)
{
	const sstate *st = v;
	const stab *tb = side == 0 ? &st->p : &st->q;
	int r = sbasic_row(tb, col);
	mpq_set_ui(out, 0, 1);
	if (r >= 0) {
		lhint_to(mpq_numref(out), S(tb, r, tb->cols));
		lhint_to(mpq_denref(out), tb->det);
		mpq_canonicalize(out);
	}
}

/* What both walks do with a path's end: the pivot limit's error when the
 * path ran away (path != 0), else its profile (when not the artificial
 * pair, extracted != 0) added to s.  *added is 1 when the profile is a new
 * equilibrium, whose pair then starts paths of its own. */
static int path_end(int path, int extracted, pl_game_solution *s, const pl_game_solve_opts *o,
		    mpq_t *prof, int *added, pl_error *err)
{
	*added = 0;
	if (path)
		return pl_error_set(err, PL_ENUMERIC, "lh", "pivoting did not end after %ld pivots",
				    MAX_PIVOTS);
	if (!extracted)
		return 0;
	if (s->count >= o->max_equilibria)
		return pl_error_set(err, PL_EINPUT, NULL, "more than %zu equilibria",
				    o->max_equilibria);
	size_t before = s->count;
	int rc = pl__solution_add(s, prof);
	*added = !rc && s->count > before;
	return rc;
}

/* table_lh's walk on machine integers from the GMP pair init: 0, an error
 * (as table_lh gives it), or LH_OVERFLOW with s as it came. */
static int table_lh_small(const state *init, int m, int n, int every, pl_game_solution *s,
			  const pl_game_solve_opts *o, mpq_t *prof, pl_error *err)
{
	size_t cap = 16, nq = 0, head = 0, count0 = s->count;
	sstate *queue = pl__calloc(cap, sizeof *queue);
	sstate st = {{0}, {0}};
	if (!queue)
		return PL_ENOMEM;
	int rc = stab_from(&queue[0].p, &init->p);
	if (!rc)
		rc = stab_from(&queue[0].q, &init->q);
	nq = 1;
	if (!rc && (stab_init(&st.p, n, m + n, m) || stab_init(&st.q, m, m + n, 0)))
		rc = PL_ENOMEM;
	long pivots = 0;
	while (head < nq && !rc) {
		for (int k = 0; k < m + n && !rc; k++) {
			if (!every && (head > 0 || (size_t)k != o->label))
				continue;
			stab_assign(&st.p, &queue[head].p);
			stab_assign(&st.q, &queue[head].q);
			int path = slh_path(&st, k, &pivots), added = 0;
			if (path == LH_OVERFLOW) {
				rc = LH_OVERFLOW;
				break;
			}
			rc = path_end(path, !path && extract(&st, cell_128, m, n, prof), s, o, prof,
				      &added, err);
			if (!rc && added) {
				sstate *t = queue;
				if (nq == cap && (t = realloc(queue, 2 * cap * sizeof *t)))
					cap *= 2;
				if (t)
					queue = t;
				if (t) {
					/* freed below even when half made */
					int cp = stab_init(&queue[nq].p, n, m + n, m);
					int cq = stab_init(&queue[nq].q, m, m + n, 0);
					nq++;
					if (cp || cq) {
						rc = PL_ENOMEM;
					} else {
						stab_assign(&queue[nq - 1].p, &st.p);
						stab_assign(&queue[nq - 1].q, &st.q);
					}
				} else {
					rc = PL_ENOMEM;
				}
			}
		}
		head++;
	}
	stab_free(&st.p);
	stab_free(&st.q);
	for (size_t k = 0; k < nq; k++) {
		stab_free(&queue[k].p);
		stab_free(&queue[k].q);
	}
	free(queue);
	if (rc == LH_OVERFLOW) { /* the equilibria found so far are found again */
		int len = pl__profile_len(s->game);
		for (size_t k = count0; k < s->count; k++)
			pl__mpq_vec_free(s->prof[k], (size_t)len);
		s->count = count0;
	}
	return rc;
}

static int table_lh(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		    pl_error *err)
{
	if (g->n != 2)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "lh needs a two-player game (this one has %d)", g->n);
	int m = g->nstrat[0], n = g->nstrat[1], rc = 0;
	int every = o->label == PL_GAME_EVERY_LABEL;
	if (!every && o->label >= (size_t)(m + n))
		return pl_error_set(err, PL_EINPUT, NULL, "label %zu is not in 0..%d", o->label,
				    m + n - 1);
	size_t cap = 16, nq = 0, head = 0;
	state *queue = pl__calloc(cap, sizeof *queue);
	mpq_t *prof = pl__mpq_vec((size_t)(m + n));
	if (!queue || !prof) {
		free(queue);
		pl__mpq_vec_free(prof, (size_t)(m + n));
		return PL_ENOMEM;
	}
	rc = initial_state(g, &queue[nq++]);
	if (!rc) {
		rc = table_lh_small(&queue[0], m, n, every, s, o, prof, err);
		if (rc != LH_OVERFLOW) {
			state_free(&queue[0]);
			free(queue);
			pl__mpq_vec_free(prof, (size_t)(m + n));
			return rc;
		}
		rc = 0;
	}
	/* every path starts from a copy of its pair in one scratch state */
	state st;
	int sp = tab_init(&st.p, n, m + n, m), sq = tab_init(&st.q, m, m + n, 0);
	if (!rc && (sp || sq))
		rc = PL_ENOMEM;
	mpz_t u;
	mpz_init(u);
	long pivots = 0;
	/* queue[0] is the artificial pair; each later entry is a new equilibrium */
	while (head < nq && !rc) {
		for (int k = 0; k < m + n && !rc; k++) {
			if (!every && (head > 0 || (size_t)k != o->label))
				continue;
			tab_assign(&st.p, &queue[head].p);
			tab_assign(&st.q, &queue[head].q);
			int path = lh_path(&st, k, &pivots, u), added = 0;
			rc = path_end(path, !path && extract(&st, cell_gmp, m, n, prof), s, o, prof,
				      &added, err);
			if (!rc && added) {
				state *t = queue;
				if (nq == cap && (t = realloc(queue, 2 * cap * sizeof *t)))
					cap *= 2;
				if (t)
					queue = t;
				int cp = t ? tab_copy(&queue[nq].p, &st.p) : PL_ENOMEM;
				int cq = t ? tab_copy(&queue[nq].q, &st.q) : PL_ENOMEM;
				if (t)
					nq++; /* freed below even when half copied */
				if (cp || cq)
					rc = PL_ENOMEM;
			}
		}
		head++;
	}
	mpz_clear(u);
	state_free(&st);
	for (size_t k = 0; k < nq; k++)
		state_free(&queue[k]);
	free(queue);
	pl__mpq_vec_free(prof, (size_t)(m + n));
	return rc;
}

int pl__solve_lh(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o, pl_error *err)
{
	return pl__solve_via_table(g, table_lh, s, o, err);
}
