/* solve_enummixed.c - all extreme Nash equilibria of a two-player game by
 * enumerating the vertices of the best-response polytopes, exactly.
 *
 * With payoffs shifted to be positive (which changes no equilibrium),
 *   P = { x >= 0 : B'x <= 1 },  Q = { y >= 0 : Ay <= 1 },
 * a vertex of P carries label i when x_i = 0 and label m+j when (B'x)_j = 1;
 * a vertex of Q carries label i when (Ay)_i = 1 and m+j when y_j = 0.  The
 * extreme equilibria are the completely labelled pairs of nonzero vertices,
 * rescaled to probabilities (von Stengel 2002, Handbook of Game Theory 3,
 * ch. 45, sections 2-3; Avis, Rosenberg, Savani and von Stengel 2010).
 * Vertices are found by solving every square system of tight constraints;
 * degenerate games reach a vertex from several systems and it is kept once.
 * See docs/games/enummixed.md. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

/* About 15 s of work on one core: larger games are refused before any of
 * it is done (docs/games/enummixed.md). */
#define MAX_SYSTEMS 3000000L

/* The payoff matrices of players p and q (0-based) when every other player
 * has a single strategy; 0, or PL_ENOMEM with *a and *b NULL. */
static int bimatrix_of(const pl_game *g, int p, int q, mpq_t **a, mpq_t **b)
{
	int m = g->nstrat[p], n = g->nstrat[q];
	int *s = pl__calloc((size_t)g->n, sizeof(int));
	*a = pl__mpq_vec((size_t)m * n);
	*b = pl__mpq_vec((size_t)m * n);
	if (!s || !*a || !*b) {
		free(s);
		pl__mpq_vec_free(*a, (size_t)m * n);
		pl__mpq_vec_free(*b, (size_t)m * n);
		*a = *b = NULL;
		return PL_ENOMEM;
	}
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			s[p] = i;
			s[q] = j;
			long c = pl__table_index(g, s);
			mpq_set((*a)[i * n + j], *pl__table_pay(g, c, p));
			mpq_set((*b)[i * n + j], *pl__table_pay(g, c, q));
		}
	free(s);
	return 0;
}

int pl__bimatrix(const pl_game *g, mpq_t **a, mpq_t **b)
{
	return bimatrix_of(g, 0, 1, a, b);
}

/* Adds 1 - min(M) to every entry so that all are positive. */
static void make_positive(mpq_t *mat, size_t len)
{
	mpq_t lo, one;
	mpq_inits(lo, one, NULL);
	mpq_set(lo, mat[0]);
	for (size_t k = 1; k < len; k++)
		if (mpq_cmp(mat[k], lo) < 0)
			mpq_set(lo, mat[k]);
	mpq_set_ui(one, 1, 1);
	mpq_sub(lo, one, lo);
	for (size_t k = 0; k < len; k++)
		mpq_add(mat[k], mat[k], lo);
	mpq_clears(lo, one, NULL);
}

/* Solves M z = d 1 for the integer k x k matrix M held in a (row-major,
 * k x (k + 1), the right-hand side in the last column), by fraction-free
 * Gauss-Jordan elimination (Bareiss 1968): every division is exact and, at
 * the end, every diagonal entry equals det M, so z_i = a_ik / a_ii.  Returns
 * 0 when M is singular or some z_i < 0 (the point is outside the polytope). */
static int solve_int(mpz_t *a, int k, mpz_t prev, mpz_t u, mpq_t *z)
{
	int w = k + 1;
	mpz_set_ui(prev, 1);
	for (int c = 0; c < k; c++) {
		int piv = -1;
		for (int r = c; r < k && piv < 0; r++)
			if (mpz_sgn(a[r * w + c]))
				piv = r;
		if (piv < 0)
			return 0;
		if (piv != c)
			for (int j = 0; j < w; j++)
				mpz_swap(a[piv * w + j], a[c * w + j]);
		for (int r = 0; r < k; r++) {
			if (r == c)
				continue;
			for (int j = 0; j < w; j++) {
				if (j == c)
					continue;
				mpz_mul(a[r * w + j], a[r * w + j], a[c * w + c]);
				mpz_mul(u, a[r * w + c], a[c * w + j]);
				mpz_sub(a[r * w + j], a[r * w + j], u);
				mpz_divexact(a[r * w + j], a[r * w + j], prev);
			}
			mpz_set_ui(a[r * w + c], 0);
		}
		mpz_set(prev, a[c * w + c]);
	}
	for (int i = 0; i < k; i++)
		if (mpz_sgn(a[i * w + k]) * mpz_sgn(a[i * w + i]) < 0)
			return 0;
	for (int i = 0; i < k; i++) {
		mpq_set_num(z[i], a[i * w + k]);
		mpq_set_den(z[i], a[i * w + i]);
		mpq_canonicalize(z[i]);
	}
	return 1;
}

typedef struct vertex {
	mpq_t *v;      /* the point, dim entries */
	uint64_t *lab; /* label bitset */
} vertex;

typedef struct vset {
	int dim, words;
	int n, cap;
	vertex *v;
} vset;

static int vset_find(const vset *s, mpq_t *v)
{
	for (int k = 0; k < s->n; k++) {
		int same = 1;
		for (int i = 0; i < s->dim && same; i++)
			same = mpq_equal(s->v[k].v[i], v[i]);
		if (same)
			return k;
	}
	return -1;
}

/* 0, or PL_ENOMEM with the set unchanged. */
static int vset_add(vset *s, mpq_t *v, const uint64_t *lab)
{
	if (vset_find(s, v) >= 0)
		return 0;
	if (s->n == s->cap) {
		int cap = s->cap ? s->cap * 2 : 16;
		vertex *t = realloc(s->v, (size_t)cap * sizeof *t);
		if (!t)
			return PL_ENOMEM;
		s->v = t;
		s->cap = cap;
	}
	vertex x = {pl__mpq_vec((size_t)s->dim), pl__calloc((size_t)s->words, sizeof(uint64_t))};
	if (!x.v || !x.lab) {
		pl__mpq_vec_free(x.v, (size_t)s->dim);
		free(x.lab);
		return PL_ENOMEM;
	}
	for (int i = 0; i < s->dim; i++)
		mpq_set(x.v[i], v[i]);
	memcpy(x.lab, lab, (size_t)s->words * sizeof(uint64_t));
	s->v[s->n++] = x;
	return 0;
}

static void vset_free(vset *s)
{
	for (int k = 0; k < s->n; k++) {
		pl__mpq_vec_free(s->v[k].v, (size_t)s->dim);
		free(s->v[k].lab);
	}
	free(s->v);
}

/* Vertices of { z >= 0 (dim) : C z <= 1 } where C is rows x dim (row-major).
 * Label of z_i = 0 is zlab0 + i; of row r tight is rlab0 + r. */
typedef struct poly {
	const mpq_t *c;
	int rows, dim, zlab0, rlab0, words;
	int rank;  /* of c: the largest system that can be regular */
	mpz_t *ci; /* c times den: integers */
	mpz_t den; /* the least common denominator of c */
} poly;

/* 0, or PL_ENOMEM (pp->ci NULL); poly_free either way. */
static int poly_integers(poly *pp)
{
	size_t len = (size_t)pp->rows * pp->dim;
	mpz_set_ui(pp->den, 1);
	for (size_t k = 0; k < len; k++)
		mpz_lcm(pp->den, pp->den, mpq_denref(pp->c[k]));
	if (!(pp->ci = pl__calloc(len, sizeof(mpz_t))))
		return PL_ENOMEM;
	for (size_t k = 0; k < len; k++) {
		mpz_init(pp->ci[k]);
		mpz_divexact(pp->ci[k], pp->den, mpq_denref(pp->c[k]));
		mpz_mul(pp->ci[k], pp->ci[k], mpq_numref(pp->c[k]));
	}
	return 0;
}

static void poly_free(poly *pp)
{
	for (size_t k = 0; pp->ci && k < (size_t)pp->rows * pp->dim; k++)
		mpz_clear(pp->ci[k]);
	free(pp->ci);
	mpz_clear(pp->den);
}

static void label_point(const poly *pp, mpq_t *z, uint64_t *lab, int *feasible, mpq_t t, mpq_t u)
{
	memset(lab, 0, (size_t)pp->words * sizeof(uint64_t));
	*feasible = 1;
	for (int i = 0; i < pp->dim; i++) {
		if (mpq_sgn(z[i]) < 0)
			*feasible = 0;
		if (mpq_sgn(z[i]) == 0) {
			int l = pp->zlab0 + i;
			lab[l / 64] |= 1ULL << (l % 64);
		}
	}
	for (int r = 0; r < pp->rows && *feasible; r++) {
		mpq_set_ui(t, 0, 1);
		for (int i = 0; i < pp->dim; i++) {
			if (!mpq_sgn(z[i]))
				continue;
			mpq_mul(u, pp->c[r * pp->dim + i], z[i]);
			mpq_add(t, t, u);
		}
		int cmp = mpq_cmp_ui(t, 1, 1);
		if (cmp > 0)
			*feasible = 0;
		if (cmp == 0) {
			int l = pp->rlab0 + r;
			lab[l / 64] |= 1ULL << (l % 64);
		}
	}
}

/* Next k-subset of [0,n) in lexicographic order; 0 when done. */
static int next_subset(int *s, int k, int n)
{
	int i = k - 1;
	while (i >= 0 && s[i] == n - k + i)
		i--;
	if (i < 0)
		return 0;
	s[i]++;
	for (int j = i + 1; j < k; j++)
		s[j] = s[j - 1] + 1;
	return 1;
}

/* The rank of the integer matrix pp->ci, by fraction-free elimination on a
 * copy.  No k x k system with k above it can be regular.  PL_ENOMEM when
 * out of memory. */
static int poly_rank(const poly *pp)
{
	int rows = pp->rows, dim = pp->dim, rank = 0;
	size_t len = (size_t)rows * dim;
	mpz_t *a = pl__calloc(len ? len : 1, sizeof(mpz_t)), t;
	if (!a)
		return PL_ENOMEM;
	for (size_t k = 0; k < len; k++)
		mpz_init_set(a[k], pp->ci[k]);
	mpz_init(t);
	for (int c = 0; c < dim && rank < rows; c++) {
		int piv = -1;
		for (int r = rank; r < rows && piv < 0; r++)
			if (mpz_sgn(a[(size_t)r * dim + c]))
				piv = r;
		if (piv < 0)
			continue;
		for (int j = 0; j < dim; j++)
			mpz_swap(a[(size_t)piv * dim + j], a[(size_t)rank * dim + j]);
		for (int r = rank + 1; r < rows; r++) {
			/* row_r = pivot * row_r - a_rc * row_rank */
			mpz_set(t, a[(size_t)r * dim + c]);
			for (int j = 0; j < dim; j++) {
				mpz_mul(a[(size_t)r * dim + j], a[(size_t)r * dim + j],
					a[(size_t)rank * dim + c]);
				mpz_submul(a[(size_t)r * dim + j], t, a[(size_t)rank * dim + j]);
			}
			/* keep the entries small: divide the row by its content */
			mpz_set_ui(t, 0);
			for (int j = 0; j < dim; j++)
				mpz_gcd(t, t, a[(size_t)r * dim + j]);
			if (mpz_cmp_ui(t, 1) > 0)
				for (int j = 0; j < dim; j++)
					mpz_divexact(a[(size_t)r * dim + j], a[(size_t)r * dim + j],
						     t);
		}
		rank++;
	}
	for (size_t k = 0; k < len; k++)
		mpz_clear(a[k]);
	mpz_clear(t);
	free(a);
	return rank;
}

/* The number of square systems enumerate solves: sum over k <= kmax of
 * C(dim, k) * C(rows, k). */
static double systems(int dim, int rows, int kmax)
{
	double total = 0, cd = 1, cr = 1;
	for (int k = 1; k <= kmax; k++) {
		cd = cd * (dim - k + 1) / k;
		cr = cr * (rows - k + 1) / k;
		total += cd * cr;
	}
	return total;
}

/* 0, -1 when the budget of systems runs out, PL_ENOMEM. */
static int enumerate(const poly *pp, vset *out, long *budget)
{
	int dim = pp->dim, rows = pp->rows;
	int kmax = pp->rank;
	int *sup = pl__calloc((size_t)dim, sizeof(int)),
	    *tight = pl__calloc((size_t)rows, sizeof(int));
	mpz_t *mat = pl__calloc((size_t)kmax * (kmax + 1), sizeof(mpz_t));
	for (int i = 0; mat && i < kmax * (kmax + 1); i++)
		mpz_init(mat[i]);
	mpz_t prev, zu;
	mpz_inits(prev, zu, NULL);
	mpq_t *zk = pl__mpq_vec((size_t)kmax);
	mpq_t *z = pl__mpq_vec((size_t)dim);
	uint64_t *lab = pl__calloc((size_t)pp->words, sizeof(uint64_t));
	mpq_t t, u;
	mpq_inits(t, u, NULL);
	int rc = !sup || !tight || !mat || !zk || !z || !lab ? PL_ENOMEM : 0;
	for (int k = 1; k <= kmax && !rc; k++) {
		for (int i = 0; i < k; i++)
			sup[i] = i;
		do {
			for (int i = 0; i < k; i++)
				tight[i] = i;
			do {
				if (--*budget < 0) {
					rc = -1;
					break;
				}
				for (int r = 0; r < k; r++) {
					for (int c = 0; c < k; c++)
						mpz_set(mat[r * (k + 1) + c],
							pp->ci[tight[r] * dim + sup[c]]);
					mpz_set(mat[r * (k + 1) + k], pp->den);
				}
				if (!solve_int(mat, k, prev, zu, zk))
					continue; /* singular, or outside the polytope (x < 0) */
				for (int i = 0; i < dim; i++)
					mpq_set_ui(z[i], 0, 1);
				for (int i = 0; i < k; i++)
					mpq_set(z[sup[i]], zk[i]);
				int feasible;
				label_point(pp, z, lab, &feasible, t, u);
				if (feasible && (rc = vset_add(out, z, lab)))
					break;
			} while (next_subset(tight, k, rows));
		} while (!rc && next_subset(sup, k, dim));
	}
	mpq_clears(t, u, NULL);
	free(lab);
	free(sup);
	free(tight);
	for (int i = 0; mat && i < kmax * (kmax + 1); i++)
		mpz_clear(mat[i]);
	free(mat);
	mpz_clears(prev, zu, NULL);
	pl__mpq_vec_free(zk, (size_t)kmax);
	pl__mpq_vec_free(z, (size_t)dim);
	return rc;
}

/* Adds the equilibrium (x, y) of players p and q; the others play their
 * only strategy.  0 or PL_ENOMEM. */
static int add_pair(pl_game_solution *s, const vertex *x, const vertex *y, int p, int q)
{
	const pl_game *g = s->game;
	int len = pl__profile_len(g), off = 0, offp = 0, offq = 0;
	mpq_t *prof = pl__mpq_vec((size_t)len);
	if (!prof)
		return PL_ENOMEM;
	for (int r = 0; r < g->n; off += g->nstrat[r], r++) {
		if (r == p)
			offp = off;
		else if (r == q)
			offq = off;
		else
			mpq_set_ui(prof[off], 1, 1);
	}
	mpq_t sum;
	mpq_init(sum);
	for (int side = 0; side < 2; side++) {
		const vertex *v = side ? y : x;
		int k = g->nstrat[side ? q : p], o = side ? offq : offp;
		mpq_set_ui(sum, 0, 1);
		for (int i = 0; i < k; i++)
			mpq_add(sum, sum, v->v[i]);
		for (int i = 0; i < k; i++)
			mpq_div(prof[o + i], v->v[i], sum);
	}
	int rc = pl__solution_add(s, prof);
	mpq_clear(sum);
	pl__mpq_vec_free(prof, (size_t)len);
	return rc;
}

/* Vertex enumeration needs two players with choices; any others must have
 * a single strategy (as in a subgame where only two players move). */
static int pick_pair(const pl_game *g, int *p, int *q)
{
	int found = 0;
	*p = 0;
	*q = g->n > 1 ? 1 : 0;
	for (int r = 0; r < g->n; r++) {
		if (g->nstrat[r] < 2)
			continue;
		if (found == 0)
			*p = r;
		else if (found == 1)
			*q = r;
		found++;
	}
	if (found == 1 && *p == *q)
		*q = *p == 0 ? 1 : 0;
	if (found == 1 && *q < *p) {
		int t = *p;
		*p = *q;
		*q = t;
	}
	return g->n >= 2 && found <= 2;
}

static int table_enummixed(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
			   pl_error *err)
{
	int p, q;
	if (!pick_pair(g, &p, &q))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "enummixed needs a two-player game (this one has %d players "
				    "with a choice)",
				    g->n);
	int m = g->nstrat[p], n = g->nstrat[q], words = (m + n + 63) / 64;
	mpq_t *a, *b;
	if (bimatrix_of(g, p, q, &a, &b))
		return PL_ENOMEM;
	make_positive(a, (size_t)m * n);
	make_positive(b, (size_t)m * n);
	mpq_t *bt = pl__mpq_vec((size_t)m * n); /* B' : n x m */
	for (int i = 0; bt && i < m; i++)
		for (int j = 0; j < n; j++)
			mpq_set(bt[j * m + i], b[i * n + j]);
	poly pp = {(const mpq_t *)bt, n, m, 0, m, words, 0, NULL, {{0}}};
	poly pq = {(const mpq_t *)a, m, n, m, 0, words, 0, NULL, {{0}}};
	int rc = !bt ? PL_ENOMEM : 0;
	mpz_inits(pp.den, pq.den, NULL); /* poly_integers sets them, poly_free clears them */
	if (!rc && ((rc = poly_integers(&pp)) || (rc = poly_integers(&pq))))
		rc = PL_ENOMEM;
	if (!rc && ((pp.rank = poly_rank(&pp)) < 0 || (pq.rank = poly_rank(&pq)) < 0))
		rc = PL_ENOMEM;
	vset vp = {.dim = m, .words = words}, vq = {.dim = n, .words = words};
	long budget = MAX_SYSTEMS;
	double need = rc ? 0 : systems(m, n, pp.rank) + systems(n, m, pq.rank);
	if (!rc && need > (double)MAX_SYSTEMS)
		rc = -1;
	if (!rc)
		rc = enumerate(&pp, &vp, &budget);
	if (!rc)
		rc = enumerate(&pq, &vq, &budget);
	if (rc == -1)
		rc = pl_error_set(err, PL_EINPUT, NULL,
				  "the game is too large for vertex enumeration (%.3g linear "
				  "systems to solve, at most %ld); try the lh or logit solver",
				  need, MAX_SYSTEMS);
	for (int i = 0; !rc && i < vp.n; i++)
		for (int j = 0; !rc && j < vq.n; j++) {
			int full = 1;
			for (int w = 0; w < words && full; w++) {
				uint64_t all = w == words - 1 && (m + n) % 64
						       ? (1ULL << ((m + n) % 64)) - 1
						       : ~0ULL;
				full = ((vp.v[i].lab[w] | vq.v[j].lab[w]) & all) == all;
			}
			if (!full)
				continue;
			if (s->count >= o->max_equilibria)
				rc = pl_error_set(err, PL_EINPUT, NULL,
						  "more than %zu equilibria; raise --max",
						  o->max_equilibria);
			else
				rc = add_pair(s, &vp.v[i], &vq.v[j], p, q);
		}
	vset_free(&vp);
	vset_free(&vq);
	poly_free(&pp);
	poly_free(&pq);
	pl__mpq_vec_free(a, (size_t)m * n);
	pl__mpq_vec_free(b, (size_t)m * n);
	pl__mpq_vec_free(bt, (size_t)m * n);
	return rc;
}

int pl__solve_enummixed(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
			pl_error *err)
{
	return pl__solve_via_table(g, table_enummixed, s, o, err);
}
