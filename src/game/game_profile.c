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

/* Calls back for each profile of the others' supported strategies. */
typedef struct others {
	int n, len;
	int *sup, *nsup, *first, *s; /* supported strategies by player, their count,
				      * where each player's start, position in each */
	mpz_t *w;		     /* each supported probability times its player's
				      * common denominator */
} others;

static void others_free(others *o)
{
	for (int i = 0; o->w && i < o->len; i++)
		mpz_clear(o->w[i]);
	free(o->sup), free(o->nsup), free(o->first), free(o->s), free(o->w);
}

/* The others' supports in integers: den = the product of their common
 * denominators; 0, or PL_ENOMEM (o freed either way by others_free). */
static int others_init(const pl_game *g, mpq_t *prof, int p, others *o, mpz_t den)
{
	int n = g->n, len = pl__profile_len(g);
	*o = (others){.n = n, .len = len};
	o->sup = pl__calloc((size_t)len, sizeof(int));
	o->nsup = pl__calloc((size_t)n, sizeof(int));
	o->first = pl__calloc((size_t)n, sizeof(int));
	o->s = pl__calloc((size_t)n, sizeof(int));
	o->w = pl__calloc((size_t)len, sizeof(mpz_t));
	if (!o->sup || !o->nsup || !o->first || !o->s || !o->w) {
		free(o->w);
		o->w = NULL;
		return PL_ENOMEM;
	}
	for (int i = 0; i < len; i++)
		mpz_init(o->w[i]);
	mpz_t e;
	mpz_init(e);
	mpz_set_ui(den, 1);
	for (int q = 0, off = 0; q < n; off += g->nstrat[q], q++) {
		o->first[q] = off;
		if (q == p)
			continue;
		mpz_set_ui(e, 1); /* the lcm of q's denominators */
		for (int k = 0; k < g->nstrat[q]; k++)
			if (mpq_sgn(prof[off + k]))
				mpz_lcm(e, e, mpq_denref(prof[off + k]));
		for (int k = 0; k < g->nstrat[q]; k++) {
			if (!mpq_sgn(prof[off + k]))
				continue;
			int j = off + o->nsup[q]++;
			o->sup[j] = k;
			mpz_divexact(o->w[j], e, mpq_denref(prof[off + k]));
			mpz_mul(o->w[j], o->w[j], mpq_numref(prof[off + k]));
		}
		mpz_mul(den, den, e);
	}
	mpz_clear(e);
	return 0;
}

/* The cell of (strategy 0 of p, the others' current supported strategies),
 * and with prod, their weight (the product of the scaled probabilities). */
static long others_cell(const pl_game *g, const others *o, int p, mpz_t prod)
{
	long base = 0;
	if (prod)
		mpz_set_ui(prod, 1);
	for (int q = o->n - 1; q >= 0; q--) {
		int k = q == p ? 0 : o->sup[o->first[q] + o->s[q]];
		base = base * g->nstrat[q] + k;
		if (q != p && prod)
			mpz_mul(prod, prod, o->w[o->first[q] + o->s[q]]);
	}
	return base;
}

/* Moves to the others' next supported profile; 0 after the last. */
static int others_next(others *o, int p)
{
	for (int q = 0; q < o->n; q++) {
		if (q == p)
			continue;
		if (++o->s[q] < o->nsup[q])
			return 1;
		o->s[q] = 0;
	}
	return 0;
}

static int others_empty(const others *o, int p)
{
	for (int q = 0; q < o->n; q++)
		if (q != p && o->nsup[q] == 0)
			return 1;
	return 0;
}

/* Expected payoff to p of each of its strategies k against the others'
 * mixed strategies in prof, as acc[k] / den: exact, in integers.  The
 * others' probabilities are scaled to integers over their common
 * denominators, p's payoffs (in the cells the others' supports reach) over
 * theirs, so the sum runs over integer products with no gcd per term and
 * is divided once by the caller.  0, or PL_ENOMEM. */
static int table_sums(const pl_game *g, mpq_t *prof, int p, mpz_t *acc, mpz_t den)
{
	int np = g->nstrat[p];
	long stride = 1;
	for (int q = 0; q < p; q++)
		stride *= g->nstrat[q];
	others o;
	if (others_init(g, prof, p, &o, den)) {
		others_free(&o);
		return PL_ENOMEM;
	}
	for (int k = 0; k < np; k++)
		mpz_set_ui(acc[k], 0);
	int empty = others_empty(&o, p);
	mpz_t e, t, prod;
	mpz_inits(e, t, prod, NULL);
	mpz_set_ui(e, 1); /* the lcm of p's payoff denominators in the cells reached */
	while (!empty) {
		long base = others_cell(g, &o, p, NULL);
		for (int k = 0; k < np; k++) {
			mpz_srcptr d = mpq_denref(*pl__table_pay(g, base + k * stride, p));
			if (mpz_cmp_ui(d, 1) != 0)
				mpz_lcm(e, e, d);
		}
		if (!others_next(&o, p))
			break;
	}
	int scaled = mpz_cmp_ui(e, 1) != 0;
	mpz_mul(den, den, e);
	while (!empty) {
		long base = others_cell(g, &o, p, prod);
		for (int k = 0; k < np; k++) {
			const mpq_t *v = pl__table_pay(g, base + k * stride, p);
			if (scaled) {
				mpz_divexact(t, e, mpq_denref(*v));
				mpz_mul(t, t, mpq_numref(*v));
				mpz_addmul(acc[k], prod, t);
			} else {
				mpz_addmul(acc[k], prod, mpq_numref(*v));
			}
		}
		if (!others_next(&o, p))
			break;
	}
	mpz_clears(e, t, prod, NULL);
	others_free(&o);
	return 0;
}

static mpz_t *zvec(size_t n)
{
	mpz_t *v = pl__calloc(n, sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		mpz_init(v[i]);
	return v;
}

static void zvec_free(mpz_t *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mpz_clear(v[i]);
	free(v);
}

/* p's expected payoff, sum_k prof_k acc[k] / den, and with regret, the
 * best pure reply's gain over it: in integers over the common denominator
 * l of p's own probabilities, each divided once. */
static int table_payoff(const pl_game *g, mpq_t *prof, int p, mpq_t out, mpq_t regret)
{
	int np = g->nstrat[p], off = strat_off(g, p);
	mpz_t *acc = zvec((size_t)np);
	if (!acc)
		return PL_ENOMEM;
	mpz_t den, l, t, sum;
	mpz_inits(den, l, t, sum, NULL);
	int rc = table_sums(g, prof, p, acc, den);
	mpz_set_ui(l, 1);
	for (int k = 0; !rc && k < np; k++)
		if (mpq_sgn(prof[off + k]))
			mpz_lcm(l, l, mpq_denref(prof[off + k]));
	for (int k = 0; !rc && k < np; k++) {
		if (!mpq_sgn(prof[off + k]))
			continue;
		mpz_divexact(t, l, mpq_denref(prof[off + k]));
		mpz_mul(t, t, mpq_numref(prof[off + k]));
		mpz_addmul(sum, t, acc[k]);
	}
	if (!rc) {
		mpz_mul(den, den, l);
		if (out) {
			mpq_set_num(out, sum);
			mpq_set_den(out, den);
			mpq_canonicalize(out);
		}
		if (regret) {
			int best = 0;
			for (int k = 1; k < np; k++)
				if (mpz_cmp(acc[k], acc[best]) > 0)
					best = k;
			mpz_mul(t, acc[best], l);
			mpz_sub(t, t, sum);
			mpq_set_num(regret, t);
			mpq_set_den(regret, den);
			mpq_canonicalize(regret);
		}
	}
	mpz_clears(den, l, t, sum, NULL);
	zvec_free(acc, (size_t)np);
	return rc;
}

static int table_payoffs(const pl_game *g, mpq_t *prof, mpq_t *out)
{
	for (int p = 0; p < g->n; p++)
		if (table_payoff(g, prof, p, out[p], NULL))
			return PL_ENOMEM;
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

int pl__profile_regret(const pl_game *g, mpq_t *prof, mpq_t out)
{
	if (g->kind != PL__TREE) {
		mpq_t r;
		mpq_init(r);
		mpq_set_ui(out, 0, 1);
		int rc = 0;
		for (int p = 0; !rc && p < g->n; p++)
			if (!(rc = table_payoff(g, prof, p, NULL, r)) && mpq_cmp(r, out) > 0)
				mpq_set(out, r);
		mpq_clear(r);
		return rc;
	}
	mpq_t *pay = pl__mpq_vec((size_t)g->n);
	if (!pay)
		return PL_ENOMEM;
	mpq_t br;
	mpq_init(br);
	int rc = pl__profile_payoffs(g, prof, pay);
	mpq_set_ui(out, 0, 1);
	for (int p = 1; !rc && p <= g->n; p++) {
		rc = tree_best_response(g, prof, p, br);
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
