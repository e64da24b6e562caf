/* solve_seqform.c - one Nash equilibrium of a two-player tree with perfect
 * recall by Lemke's algorithm on the sequence form (Koller, Megiddo and von
 * Stengel 1996; von Stengel 1996).  The LCP has size linear in the tree,
 * not in the (exponential) strategic form.  Exact: pivoting on a sparse
 * rational tableau (lcp_sparse.c) with a lexicographic ratio test; the
 * sequences and payoffs come from seq_form.c.
 *
 * Sequences of player 1 are the empty sequence and (h, a) for each of its
 * information sets h and actions a; a realization plan x satisfies Ex = e:
 * x_empty = 1 and, for every h, sum_a x_(h,a) = x_parent(h).  With A, B the
 * sequence-form payoffs (sum over terminal nodes z of chance(z) u(z), at the
 * pair of sequences leading to z, after shifting every u(z) below 0):
 *   E'p - Ay >= 0,  x >= 0,  x'(E'p - Ay) = 0,  Ex = e,
 *   F'q - B'x >= 0, y >= 0,  y'(F'q - B'x) = 0, Fy = f.
 * The free p, q are split into differences of nonnegative variables and the
 * equalities into pairs of inequalities, giving w = c + Mz, w, z >= 0,
 * w'z = 0, solved by Lemke's algorithm with covering vector 1 (Lemke 1965).
 * See docs/games/seqform.md. */
#include <stdlib.h>

#include "game_internal.h"
#include "lcp_sparse.h"

#define MAX_PIVOTS 1000000L

/* Entry e of player p's constraint matrix (E or F) at (row r, sequence c):
 * w = e - Ex and w' = -e + Ex hold the equalities, -E'p+ + E'p- the duals. */
static void put_e(pl__lcp *lc, int ox, int op, int k, int r, int c, int e)
{
	pl__lcp_set_t_si(lc, ox + c, op + r, -e);
	pl__lcp_set_t_si(lc, ox + c, op + k + r, e);
	pl__lcp_set_t_si(lc, op + r, ox + c, e);
	pl__lcp_set_t_si(lc, op + k + r, ox + c, -e);
}

/* Row 0 of E is x_empty = 1; row 1 + j, for player p's information set j,
 * has +1 at the sequences of its actions and -1 at its parent sequence. */
static void put_constraints(const pl_game *g, const pl__seqs *s, int p, pl__lcp *lc, int ox, int op,
			    int k)
{
	put_e(lc, ox, op, k, 0, 0, 1);
	for (int r = 1; r < k; r++) {
		int hi = g->info_pl[p][r - 1];
		const pl__infoset *h = &g->info[hi];
		put_e(lc, ox, op, k, r, s->parent[hi], -1);
		for (int a = 0; a < h->nact; a++)
			put_e(lc, ox, op, k, r, s->seq[h->act_off + a], 1);
	}
}

/* The LCP  I w - M z - 1 z0 = c  of the sequence form, payoffs scaled to
 * integers by their common denominator (a positive factor changes no
 * equilibrium).  Variables: x (n1), y (n2), p+ and p- (k1 each), q+ and q-
 * (k2 each). */
static void fill(const pl_game *g, const pl__seqs *s, const pl__seq_entry *e, int ne, pl__lcp *lc)
{
	int n1 = s->n1, n2 = s->n2, k1 = s->k1, k2 = s->k2;
	int ox = 0, oy = n1, op = n1 + n2, oq = n1 + n2 + 2 * k1;
	mpz_t den, v;
	mpz_init_set_ui(den, 1);
	mpz_init(v);
	for (int k = 0; k < ne; k++) {
		mpz_lcm(den, den, mpq_denref(e[k].a));
		mpz_lcm(den, den, mpq_denref(e[k].b));
	}
	for (int k = 0; k < ne; k++) {
		mpz_divexact(v, den, mpq_denref(e[k].a));
		mpz_mul(v, v, mpq_numref(e[k].a));
		pl__lcp_set_t(lc, ox + e[k].s1, oy + e[k].s2, v); /* -(-A) */
		mpz_divexact(v, den, mpq_denref(e[k].b));
		mpz_mul(v, v, mpq_numref(e[k].b));
		pl__lcp_set_t(lc, oy + e[k].s2, ox + e[k].s1, v);
	}
	put_constraints(g, s, 0, lc, ox, op, k1);
	put_constraints(g, s, 1, lc, oy, oq, k2);
	pl__lcp_set_c_si(lc, op, 1);
	pl__lcp_set_c_si(lc, op + k1, -1);
	pl__lcp_set_c_si(lc, oq, 1);
	pl__lcp_set_c_si(lc, oq + k2, -1);
	mpz_clears(den, v, NULL);
}

static void to_behaviour(const pl_game *g, const pl__seqs *s, const pl__lcp *lc, mpq_t *behav)
{
	mpq_t par, v;
	mpq_inits(par, v, NULL);
	for (int hi = 0; hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		if (h->player <= 0)
			continue;
		int off = h->player == 1 ? 0 : s->n1;
		pl__lcp_z(lc, off + s->parent[hi], par);
		for (int a = 0; a < h->nact; a++) {
			mpq_t *out = &behav[h->act_off + a];
			if (mpq_sgn(par) > 0) {
				pl__lcp_z(lc, off + s->seq[h->act_off + a], v);
				mpq_div(*out, v, par);
			} else {
				mpq_set_ui(*out, 1,
					   (unsigned long)h->nact); /* own moves exclude h */
			}
		}
	}
	mpq_clears(par, v, NULL);
}

int pl__solve_seqform(const pl_game *g, pl_game_solution *s, const pl_game_solve_opts *o,
		      pl_error *err)
{
	if (g->kind != PL__TREE || g->n != 2)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "seqform needs a two-player tree (.efg); use lh on a table");
	if (!pl__tree_perfect_recall(g))
		return pl_error_set(err, PL_EINPUT, NULL,
				    "the sequence form needs a tree with perfect recall");
	pl__seqs sq;
	if (pl__seq_build(g, &sq))
		return PL_ENOMEM;
	int size = sq.n1 + sq.n2 + 2 * sq.k1 + 2 * sq.k2;
	pl__seq_entry *e;
	int ne = pl__seq_payoffs_sparse(g, &sq, &e);
	pl__lcp *lc = ne < 0 ? NULL : pl__lcp_new(size);
	if (lc)
		fill(g, &sq, e, ne, lc);
	if (ne >= 0)
		pl__seq_entries_free(e, ne);
	int rc = lc ? pl__lcp_lemke(lc, MAX_PIVOTS) : -2;
	mpq_t *behav = rc ? NULL : pl__mpq_vec((size_t)g->nact_total);
	if (rc == -2 || (!rc && !behav)) {
		rc = PL_ENOMEM;
	} else if (rc) {
		rc = pl_error_set(err, PL_ENUMERIC, "seqform",
				  "Lemke's algorithm ended on a ray or did not end");
	} else {
		to_behaviour(g, &sq, lc, behav);
		rc = pl__solution_add(s, behav);
	}
	pl__mpq_vec_free(behav, (size_t)g->nact_total);
	pl__lcp_free(lc);
	free(sq.seq);
	free(sq.parent);
	return rc;
}
