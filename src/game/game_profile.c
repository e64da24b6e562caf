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

/* For each profile of the other players' supported strategies, calls back
 * with its probability and the cell index of (strategy 0 of p, others). */
static int table_values(const pl_game *g, mpq_t *prof, int p, mpq_t *val)
{
	int n = g->n;
	int *s = pl__calloc((size_t)n, sizeof(int));
	if (!s)
		return PL_ENOMEM;
	long stride = 1;
	for (int q = 0; q < p; q++)
		stride *= g->nstrat[q];
	mpq_t w, t;
	mpq_inits(w, t, NULL);
	for (int k = 0; k < g->nstrat[p]; k++)
		mpq_set_ui(val[k], 0, 1);
	for (;;) {
		mpq_set_ui(w, 1, 1);
		for (int q = 0; q < n && mpq_sgn(w); q++)
			if (q != p)
				mpq_mul(w, w, prof[strat_off(g, q) + s[q]]);
		if (mpq_sgn(w)) {
			s[p] = 0;
			long base = pl__table_index(g, s);
			for (int k = 0; k < g->nstrat[p]; k++) {
				mpq_mul(t, w, *pl__table_pay(g, base + k * stride, p));
				mpq_add(val[k], val[k], t);
			}
		}
		int q = 0;
		for (; q < n; q++) {
			if (q == p)
				continue;
			if (++s[q] < g->nstrat[q])
				break;
			s[q] = 0;
		}
		if (q == n)
			break;
	}
	mpq_clears(w, t, NULL);
	free(s);
	return 0;
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
