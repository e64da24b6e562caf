/* solve_lp.c - the minimax equilibrium of a two-player constant-sum game by
 * linear programming (von Neumann 1928; Dantzig 1951), solved with GLPK's
 * simplex method.
 *
 * Player 1:  max v  s.t.  sum_i x_i A_ij >= v (every column j), sum x = 1, x >= 0.
 * Player 2:  min w  s.t.  sum_j A_ij y_j <= w (every row i),    sum y = 1, y >= 0.
 * At the optimum v = w is the value of the game.  The result is floating
 * point; its regret is checked exactly against the tolerance.
 * See docs/games/lp.md. */
#include <glpk.h>
#include <stdlib.h>

#include "game_internal.h"

static int is_constant_sum(const pl_game *g)
{
	mpq_t c, t;
	mpq_inits(c, t, NULL);
	int ok = 1;
	mpq_add(c, *pl__table_pay(g, 0, 0), *pl__table_pay(g, 0, 1));
	for (long k = 1; k < g->ncell && ok; k++) {
		mpq_add(t, *pl__table_pay(g, k, 0), *pl__table_pay(g, k, 1));
		ok = mpq_equal(t, c);
	}
	mpq_clears(c, t, NULL);
	return ok;
}

/* One side's LP: rows r of (sign * M) against the mixed strategy over
 * `vars` strategies, plus the value variable; returns the strategy in out.
 * 0, -1 without an optimum, PL_ENOMEM. */
static int side(const double *mat, int vars, int rows, int transpose, int ncols, double *out)
{
	int nz = rows * (vars + 1) + vars;
	int *ia = calloc((size_t)nz + 1, sizeof(int)), *ja = calloc((size_t)nz + 1, sizeof(int));
	double *ar = calloc((size_t)nz + 1, sizeof(double));
	if (!ia || !ja || !ar) {
		free(ia);
		free(ja);
		free(ar);
		return PL_ENOMEM;
	}
	glp_prob *lp = glp_create_prob();
	glp_set_obj_dir(lp, transpose ? GLP_MAX : GLP_MIN);
	glp_add_cols(lp, vars + 1);
	for (int i = 1; i <= vars; i++)
		glp_set_col_bnds(lp, i, GLP_LO, 0, 0);
	glp_set_col_bnds(lp, vars + 1, GLP_FR, 0, 0);
	glp_set_obj_coef(lp, vars + 1, 1);
	glp_add_rows(lp, rows + 1);
	int k = 0;
	for (int r = 0; r < rows; r++) {
		/* player 1 (transpose): v - sum_i x_i A_ir <= 0; player 2: sum_j A_rj y_j - w <= 0
		 */
		glp_set_row_bnds(lp, r + 1, GLP_UP, 0, 0);
		for (int i = 0; i < vars; i++) {
			double a = transpose ? mat[i * ncols + r] : mat[r * ncols + i];
			k++;
			ia[k] = r + 1, ja[k] = i + 1, ar[k] = transpose ? -a : a;
		}
		k++;
		ia[k] = r + 1, ja[k] = vars + 1, ar[k] = transpose ? 1 : -1;
	}
	glp_set_row_bnds(lp, rows + 1, GLP_FX, 1, 1);
	for (int i = 0; i < vars; i++) {
		k++;
		ia[k] = rows + 1, ja[k] = i + 1, ar[k] = 1;
	}
	glp_load_matrix(lp, k, ia, ja, ar);
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	/* no presolve: the LP is dense and its rows all needed, so GLPK's
	 * presolver (a copy of the problem and back) only costs time */
	parm.presolve = GLP_OFF;
	int rc = glp_simplex(lp, &parm);
	if (rc == 0 && glp_get_status(lp) == GLP_OPT)
		for (int i = 0; i < vars; i++)
			out[i] = glp_get_col_prim(lp, i + 1);
	else
		rc = -1;
	glp_delete_prob(lp);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}

static int table_lp(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		    pl_error *err)
{
	if (g->n != 2)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "lp needs a two-player game (this one has %d)", g->n);
	if (!is_constant_sum(g))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "lp needs a constant-sum game: the payoffs of some strategy "
				    "profiles add up to different totals");
	int m = g->nstrat[0], n = g->nstrat[1];
	double *a = calloc((size_t)m * n, sizeof(double));
	double *x = calloc((size_t)m + n, sizeof(double));
	mpq_t *prof = pl__mpq_vec((size_t)m + n);
	int rc = !a || !x || !prof ? PL_ENOMEM : 0;
	for (int i = 0; !rc && i < m; i++)
		for (int j = 0; j < n; j++)
			a[i * n + j] = mpq_get_d(*pl__table_pay(g, i + (long)j * m, 0));
	if (!rc)
		rc = side(a, m, n, 1, n, x);
	if (!rc)
		rc = side(a, n, m, 0, n, x + m);
	if (rc == -1) {
		rc = pl_error_set(err, PL_ENUMERIC, "lp", "GLPK's simplex method found no optimum");
	} else if (!rc) {
		for (int i = 0; i < m + n; i++)
			mpq_set_d(prof[i], x[i]);
		rc = pl__solution_add(s, prof);
	}
	pl__mpq_vec_free(prof, (size_t)m + n);
	free(a);
	free(x);
	return rc;
}

/* Is u_1 + u_2 the same at every terminal node (outcomes summed along the
 * path)?  1, 0, or PL_ENOMEM. */
static int tree_constant_sum(const pl_game *g)
{
	mpq_t *tot = pl__mpq_vec((size_t)g->nnode), c;
	if (!tot)
		return PL_ENOMEM;
	mpq_init(c);
	int ok = 1, first = 1;
	for (int x = 0; x < g->nnode && ok; x++) {
		if (x > 0)
			mpq_set(tot[x], tot[g->node[x].parent]);
		if (g->node[x].outcome >= 0) {
			mpq_add(tot[x], tot[x], g->outc[g->node[x].outcome].pay[0]);
			mpq_add(tot[x], tot[x], g->outc[g->node[x].outcome].pay[1]);
		}
		if (g->node[x].infoset >= 0)
			continue;
		if (first)
			mpq_set(c, tot[x]);
		ok = first || mpq_equal(c, tot[x]);
		first = 0;
	}
	mpq_clear(c);
	pl__mpq_vec_free(tot, (size_t)g->nnode);
	return ok;
}

typedef struct triplets {
	size_t k, cap;
	int *ia, *ja;
	double *ar;
	int nomem; /* an allocation failed: later puts do nothing */
} triplets;

static void *grow(void *p, size_t n, size_t size, int *nomem)
{
	void *t = *nomem ? NULL : realloc(p, n * size);
	if (!t)
		*nomem = 1;
	return t ? t : p;
}

static void put(triplets *t, int r, int c, double v)
{
	if (t->k + 2 > t->cap && !t->nomem) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		t->ia = grow(t->ia, cap, sizeof(int), &t->nomem);
		t->ja = grow(t->ja, cap, sizeof(int), &t->nomem);
		t->ar = grow(t->ar, cap, sizeof(double), &t->nomem);
		if (!t->nomem)
			t->cap = cap;
	}
	if (t->nomem)
		return;
	t->k++; /* GLPK's arrays start at 1 */
	t->ia[t->k] = r;
	t->ja[t->k] = c;
	t->ar[t->k] = v;
}

/* One player's sequence-form LP (Koller, Megiddo and von Stengel 1994).
 * Player 1 (me = 0): max q_0 s.t. F'q - A'x <= 0, Ex = e, x >= 0, q free.
 * Player 2 (me = 1): min p_0 s.t. E'p - Ay >= 0, Fy = f, y >= 0, p free.
 * The realization plan goes to plan.  0, -1 without an optimum, PL_ENOMEM. */
static int seq_side(const pl_game *g, const pl__seqs *sq, const double *a, int me, double *plan)
{
	int nme = me ? sq->n2 : sq->n1, nop = me ? sq->n1 : sq->n2;
	int kme = me ? sq->k2 : sq->k1, kop = me ? sq->k1 : sq->k2;
	glp_prob *lp = glp_create_prob();
	glp_set_obj_dir(lp, me ? GLP_MIN : GLP_MAX);
	glp_add_cols(lp, nme + kop);
	for (int i = 1; i <= nme; i++)
		glp_set_col_bnds(lp, i, GLP_LO, 0, 0);
	for (int r = 1; r <= kop; r++)
		glp_set_col_bnds(lp, nme + r, GLP_FR, 0, 0);
	glp_set_obj_coef(lp, nme + 1, 1);
	glp_add_rows(lp, nop + kme);
	triplets t = {0};
	for (int j = 0; j < nop; j++) {
		glp_set_row_bnds(lp, j + 1, me ? GLP_LO : GLP_UP, 0, 0);
		for (int r = 0; r < kop; r++) {
			int e = pl__seq_constraint(g, sq, me ? 0 : 1, r, j);
			if (e)
				put(&t, j + 1, nme + r + 1, e);
		}
		for (int i = 0; i < nme; i++) {
			double v = me ? a[(size_t)j * sq->n2 + i] : a[(size_t)i * sq->n2 + j];
			if (v != 0)
				put(&t, j + 1, i + 1, -v);
		}
	}
	for (int r = 0; r < kme; r++) {
		glp_set_row_bnds(lp, nop + r + 1, GLP_FX, r == 0, r == 0);
		for (int i = 0; i < nme; i++) {
			int e = pl__seq_constraint(g, sq, me, r, i);
			if (e)
				put(&t, nop + r + 1, i + 1, e);
		}
	}
	int rc = PL_ENOMEM;
	if (!t.nomem) {
		glp_load_matrix(lp, (int)t.k, t.ia, t.ja, t.ar);
		glp_smcp parm;
		glp_init_smcp(&parm);
		parm.msg_lev = GLP_MSG_OFF;
		parm.presolve = GLP_ON;
		rc = glp_simplex(lp, &parm);
		if (rc == 0 && glp_get_status(lp) == GLP_OPT)
			for (int i = 0; i < nme; i++)
				plan[i] = glp_get_col_prim(lp, i + 1);
		else
			rc = -1;
	}
	glp_delete_prob(lp);
	free(t.ia);
	free(t.ja);
	free(t.ar);
	return rc;
}

/* Behaviour from realization plans: b(a | h) = x_(h,a) / x_parent(h). */
static void plan_behaviour(const pl_game *g, const pl__seqs *sq, const double *x, const double *y,
			   mpq_t *behav)
{
	for (int hi = 0; hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		if (h->player <= 0)
			continue;
		const double *pl = h->player == 1 ? x : y;
		double par = pl[sq->parent[hi]];
		for (int a = 0; a < h->nact; a++) {
			double v = par > 1e-12 ? pl[sq->seq[h->act_off + a]] / par : 1.0 / h->nact;
			mpq_set_d(behav[h->act_off + a], v > 0 ? v : 0);
		}
	}
}

static int tree_lp(const pl_game *g, pl_game_solution *s, pl_error *err)
{
	int cs = g->n == 2 ? tree_constant_sum(g) : 0;
	if (cs < 0)
		return cs;
	if (!cs)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "lp needs a two-player constant-sum game: the payoffs along "
				    "some paths add up to different totals");
	if (!pl__tree_perfect_recall(g))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "the sequence form needs a tree with perfect recall");
	pl__seqs sq;
	if (pl__seq_build(g, &sq))
		return PL_ENOMEM;
	if ((double)sq.n1 * sq.n2 > 2e7) {
		free(sq.seq);
		free(sq.parent);
		return pl_error_set(err, PL_EINPUT, NULL, "%d x %d sequences: too many", sq.n1,
				    sq.n2);
	}
	size_t na = (size_t)sq.n1 * sq.n2;
	mpq_t *a = pl__mpq_vec(na), *b = pl__mpq_vec(na);
	double *ad = pl__calloc(na, sizeof(double));
	double *x = pl__calloc((size_t)sq.n1, sizeof(double));
	double *y = pl__calloc((size_t)sq.n2, sizeof(double));
	mpq_t *behav = pl__mpq_vec((size_t)g->nact_total);
	int rc = !a || !b || !ad || !x || !y || !behav ? PL_ENOMEM : pl__seq_payoffs(g, &sq, a, b);
	for (size_t k = 0; !rc && k < na; k++)
		ad[k] = mpq_get_d(a[k]);
	if (!rc)
		rc = seq_side(g, &sq, ad, 0, x);
	if (!rc)
		rc = seq_side(g, &sq, ad, 1, y);
	if (rc == -1) {
		rc = pl_error_set(err, PL_ENUMERIC, "lp", "GLPK's simplex method found no optimum");
	} else if (!rc) {
		plan_behaviour(g, &sq, x, y, behav);
		rc = pl__solution_add(s, behav);
	}
	pl__mpq_vec_free(behav, (size_t)g->nact_total);
	free(x);
	free(y);
	free(ad);
	pl__mpq_vec_free(a, na);
	pl__mpq_vec_free(b, na);
	free(sq.seq);
	free(sq.parent);
	return rc;
}

int pl__solve_lp(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o, pl_error *err)
{
	if (g->kind == PL__TREE)
		return tree_lp(g, s, err);
	return table_lp(g, s, o, err);
}
