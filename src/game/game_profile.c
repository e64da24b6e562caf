/* game_profile.c - evaluating strategy profiles exactly: expected payoffs,
 * node reach probabilities, and the maximum regret that certifies every
 * reported equilibrium.
 *
 * Regret of player i = (best-response payoff against the others) - (payoff).
 * On a table the best response is a pure strategy.  On a tree with perfect
 * recall it is found by dynamic programming over i's sequences: with w(x) the
 * probability that chance and the others reach node x, and c(s) the sum of
 * w(x) u_i(x) over nodes whose last own move is s,
 *   V(s) = c(s) + sum over i's information sets h following s of max_a V(s h a),
 * and the best-response payoff is V(empty) (von Stengel 1996, sequence form). */
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

int pl__profile_len(const pl_game *g)
{
	if (g->kind == PL__TREE)
		return g->nact_total;
	int len = 0;
	for (int p = 0; p < g->n; p++)
		len += g->nstrat[p];
	return len;
}

static int strat_off(const pl_game *g, int p)
{
	int off = 0;
	for (int q = 0; q < p; q++)
		off += g->nstrat[q];
	return off;
}

/* Behaviour probability of the move into node x (chance or personal). */
static void move_prob(const pl_game *g, mpq_t *prof, int x, int skip_player, mpq_t out)
{
	int par = g->node[x].parent;
	const pl__infoset *h = &g->info[g->node[par].infoset];
	int a = g->node[x].parent_act;
	if (h->player == 0)
		mpq_set(out, h->prob[a]);
	else if (h->player == skip_player)
		mpq_set_ui(out, 1, 1);
	else
		mpq_set(out, prof[h->act_off + a]);
}

static void reach_except(const pl_game *g, mpq_t *prof, int skip_player, mpq_t *reach)
{
	mpq_t t;
	mpq_init(t);
	mpq_set_ui(reach[0], 1, 1);
	for (int x = 1; x < g->nnode; x++) {
		move_prob(g, prof, x, skip_player, t);
		mpq_mul(reach[x], reach[g->node[x].parent], t);
	}
	mpq_clear(t);
}

void pl__tree_reach(const pl_game *g, mpq_t *prof, mpq_t *reach)
{
	reach_except(g, prof, -1, reach);
}

/* val[k] = expected payoff to p of its strategy k against the others'
 * mixed strategies in prof, over the others' supported profiles only.
 * Exact, but in integers where it can: each other player's probabilities
 * are scaled to integers over their common denominator, so with integer
 * payoffs the sum is one of integer products (no gcd per term) and one
 * division at the end; a payoff that is not an integer goes to a rational
 * side sum. */
static int table_values(const pl_game *g, mpq_t *prof, int p, mpq_t *val)
{
	int n = g->n, len = pl__profile_len(g), np = g->nstrat[p];
	int *sup = pl__calloc((size_t)len, sizeof(int));   /* supported strategies, by player */
	int *nsup = pl__calloc((size_t)n, sizeof(int));	   /* how many per player */
	int *first = pl__calloc((size_t)n, sizeof(int));   /* where each player's start in sup */
	int *s = pl__calloc((size_t)n, sizeof(int));	   /* position in each list */
	mpz_t *w = pl__calloc((size_t)len, sizeof(mpz_t)); /* scaled probabilities */
	mpz_t *acc = pl__calloc((size_t)np, sizeof(mpz_t));
	if (!sup || !nsup || !first || !s || !w || !acc) {
		free(sup), free(nsup), free(first), free(s), free(w), free(acc);
		return PL_ENOMEM;
	}
	for (int i = 0; i < len; i++)
		mpz_init(w[i]);
	for (int k = 0; k < np; k++)
		mpz_init(acc[k]);
	mpz_t den, e, prod;
	mpz_inits(den, e, prod, NULL);
	mpq_t tq;
	mpq_init(tq);
	mpq_t *frac = NULL; /* the sums of the terms whose payoff is not an integer */
	int rc = 0;
	mpz_set_ui(den, 1);
	long stride = 1;
	for (int q = 0; q < p; q++)
		stride *= g->nstrat[q];
	int empty = 0;
	for (int q = 0, off = 0; q < n; off += g->nstrat[q], q++) {
		first[q] = off;
		if (q == p)
			continue;
		mpz_set_ui(e, 1); /* the lcm of q's denominators */
		for (int k = 0; k < g->nstrat[q]; k++)
			if (mpq_sgn(prof[off + k]))
				mpz_lcm(e, e, mpq_denref(prof[off + k]));
		for (int k = 0; k < g->nstrat[q]; k++) {
			if (!mpq_sgn(prof[off + k]))
				continue;
			int j = off + nsup[q]++;
			sup[j] = k;
			mpz_divexact(w[j], e, mpq_denref(prof[off + k]));
			mpz_mul(w[j], w[j], mpq_numref(prof[off + k]));
		}
		empty |= nsup[q] == 0;
		mpz_mul(den, den, e);
	}
	while (!empty && !rc) {
		long base = 0;
		mpz_set_ui(prod, 1);
		for (int q = n - 1; q >= 0; q--) {
			int k = q == p ? 0 : sup[first[q] + s[q]];
			base = base * g->nstrat[q] + k;
			if (q != p)
				mpz_mul(prod, prod, w[first[q] + s[q]]);
		}
		for (int k = 0; k < np; k++) {
			const mpq_t *v = pl__table_pay(g, base + k * stride, p);
			if (mpz_cmp_ui(mpq_denref(*v), 1) == 0) {
				mpz_addmul(acc[k], prod, mpq_numref(*v));
				continue;
			}
			if (!frac && !(frac = pl__mpq_vec((size_t)np))) {
				rc = PL_ENOMEM;
				break;
			}
			mpq_set_z(tq, prod);
			mpq_mul(tq, tq, *v);
			mpq_add(frac[k], frac[k], tq);
		}
		int q = 0;
		for (; q < n; q++) {
			if (q == p)
				continue;
			if (++s[q] < nsup[q])
				break;
			s[q] = 0;
		}
		if (q == n)
			break;
	}
	for (int k = 0; k < np; k++) {
		mpq_set_num(val[k], acc[k]);
		mpq_set_den(val[k], den);
		mpq_canonicalize(val[k]);
		if (frac) {
			mpq_set_z(tq, den);
			mpq_div(frac[k], frac[k], tq);
			mpq_add(val[k], val[k], frac[k]);
		}
		mpz_clear(acc[k]);
	}
	for (int i = 0; i < len; i++)
		mpz_clear(w[i]);
	mpz_clears(den, e, prod, NULL);
	mpq_clear(tq);
	pl__mpq_vec_free(frac, (size_t)np);
	free(sup), free(nsup), free(first), free(s), free(w), free(acc);
	return rc;
}

static int table_payoffs(const pl_game *g, mpq_t *prof, mpq_t *out)
{
	for (int p = 0; p < g->n; p++) {
		mpq_t *val = pl__mpq_vec((size_t)g->nstrat[p]);
		if (!val || table_values(g, prof, p, val)) {
			pl__mpq_vec_free(val, (size_t)g->nstrat[p]);
			return PL_ENOMEM;
		}
		mpq_t t;
		mpq_init(t);
		mpq_set_ui(out[p], 0, 1);
		int off = strat_off(g, p);
		for (int k = 0; k < g->nstrat[p]; k++) {
			mpq_mul(t, val[k], prof[off + k]);
			mpq_add(out[p], out[p], t);
		}
		mpq_clear(t);
		pl__mpq_vec_free(val, (size_t)g->nstrat[p]);
	}
	return 0;
}

static int tree_payoffs(const pl_game *g, mpq_t *prof, mpq_t *out)
{
	mpq_t *reach = pl__mpq_vec((size_t)g->nnode);
	if (!reach)
		return PL_ENOMEM;
	mpq_t t;
	mpq_init(t);
	pl__tree_reach(g, prof, reach);
	for (int p = 0; p < g->n; p++)
		mpq_set_ui(out[p], 0, 1);
	for (int x = 0; x < g->nnode; x++) {
		int o = g->node[x].outcome;
		if (o < 0 || mpq_sgn(reach[x]) == 0)
			continue;
		for (int p = 0; p < g->n; p++) {
			mpq_mul(t, reach[x], g->outc[o].pay[p]);
			mpq_add(out[p], out[p], t);
		}
	}
	mpq_clear(t);
	pl__mpq_vec_free(reach, (size_t)g->nnode);
	return 0;
}

int pl__profile_payoffs(const pl_game *g, mpq_t *prof, mpq_t *out)
{
	return g->kind == PL__TREE ? tree_payoffs(g, prof, out) : table_payoffs(g, prof, out);
}

/* Best-response payoff of player p (1-based) on a perfect-recall tree. */
static int tree_best_response(const pl_game *g, mpq_t *prof, int p, mpq_t out)
{
	mpq_t *w = pl__mpq_vec((size_t)g->nnode);
	mpq_t *val = pl__mpq_vec((size_t)g->nact_total);
	int *last = pl__calloc((size_t)g->nnode, sizeof(int));
	if (!w || !val || !last) {
		free(last);
		pl__mpq_vec_free(val, (size_t)g->nact_total);
		pl__mpq_vec_free(w, (size_t)g->nnode);
		return PL_ENOMEM;
	}
	mpq_t t, root;
	mpq_inits(t, root, NULL);
	reach_except(g, prof, p, w);
	for (int x = 0; x < g->nnode; x++) {
		const pl__node *nd = &g->node[x];
		last[x] = -1;
		if (x > 0) {
			const pl__infoset *ph = &g->info[g->node[nd->parent].infoset];
			last[x] = ph->player == p ? ph->act_off + nd->parent_act : last[nd->parent];
		}
		if (nd->outcome < 0 || mpq_sgn(w[x]) == 0)
			continue;
		mpq_mul(t, w[x], g->outc[nd->outcome].pay[p - 1]);
		mpq_add(last[x] < 0 ? root : val[last[x]], last[x] < 0 ? root : val[last[x]], t);
	}
	for (int j = g->ninfo_pl[p - 1] - 1; j >= 0; j--) {
		const pl__infoset *h = &g->info[g->info_pl[p - 1][j]];
		int best = h->act_off;
		for (int a = 1; a < h->nact; a++)
			if (mpq_cmp(val[h->act_off + a], val[best]) > 0)
				best = h->act_off + a;
		int par = last[h->mem[0]];
		mpq_add(par < 0 ? root : val[par], par < 0 ? root : val[par], val[best]);
	}
	mpq_set(out, root);
	mpq_clears(t, root, NULL);
	free(last);
	pl__mpq_vec_free(val, (size_t)g->nact_total);
	pl__mpq_vec_free(w, (size_t)g->nnode);
	return 0;
}

static int table_best_response(const pl_game *g, mpq_t *prof, int p, mpq_t out)
{
	mpq_t *val = pl__mpq_vec((size_t)g->nstrat[p - 1]);
	if (!val || table_values(g, prof, p - 1, val)) {
		pl__mpq_vec_free(val, (size_t)g->nstrat[p - 1]);
		return PL_ENOMEM;
	}
	mpq_set(out, val[0]);
	for (int k = 1; k < g->nstrat[p - 1]; k++)
		if (mpq_cmp(val[k], out) > 0)
			mpq_set(out, val[k]);
	pl__mpq_vec_free(val, (size_t)g->nstrat[p - 1]);
	return 0;
}

int pl__profile_regret(const pl_game *g, mpq_t *prof, mpq_t out)
{
	mpq_t *pay = pl__mpq_vec((size_t)g->n);
	if (!pay)
		return PL_ENOMEM;
	mpq_t br;
	mpq_init(br);
	int rc = pl__profile_payoffs(g, prof, pay);
	mpq_set_ui(out, 0, 1);
	for (int p = 1; !rc && p <= g->n; p++) {
		rc = g->kind == PL__TREE ? tree_best_response(g, prof, p, br)
					 : table_best_response(g, prof, p, br);
		if (rc)
			break;
		mpq_sub(br, br, pay[p - 1]);
		if (mpq_cmp(br, out) > 0)
			mpq_set(out, br);
	}
	mpq_clear(br);
	pl__mpq_vec_free(pay, (size_t)g->n);
	return rc;
}
