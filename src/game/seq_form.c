/* seq_form.c - the sequence form of a two-player tree with perfect recall
 * (Koller, Megiddo and von Stengel 1996; von Stengel 1996): each player's
 * sequences, the constraint matrices E and F of realization plans, and the
 * payoffs at pairs of sequences, dense (for the zero-sum LP, solve_lp.c) or
 * as a list of the nonzero entries (for Lemke's algorithm, solve_seqform.c).
 * See docs/games/seqform.md. */
#include <stdlib.h>

#include "game_internal.h"

int pl__seq_build(const pl_game *g, pl__seqs *s)
{
	s->seq = pl__calloc((size_t)(g->nact_total ? g->nact_total : 1), sizeof(int));
	s->parent = pl__calloc((size_t)(g->ninfo ? g->ninfo : 1), sizeof(int));
	if (!s->seq || !s->parent) {
		free(s->seq);
		free(s->parent);
		s->seq = s->parent = NULL;
		return PL_ENOMEM;
	}
	int next[2] = {1, 1};
	for (int p = 0; p < 2; p++)
		for (int j = 0; j < g->ninfo_pl[p]; j++) {
			const pl__infoset *h = &g->info[g->info_pl[p][j]];
			for (int a = 0; a < h->nact; a++)
				s->seq[h->act_off + a] = next[p]++;
		}
	for (int hi = 0; hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		s->parent[hi] = 0;
		if (h->player <= 0)
			continue;
		for (int x = h->mem[0]; g->node[x].parent >= 0; x = g->node[x].parent) {
			const pl__infoset *ph = &g->info[g->node[g->node[x].parent].infoset];
			if (ph->player == h->player) {
				s->parent[hi] = s->seq[ph->act_off + g->node[x].parent_act];
				break;
			}
		}
	}
	s->n1 = next[0];
	s->n2 = next[1];
	s->k1 = 1 + g->ninfo_pl[0];
	s->k2 = 1 + g->ninfo_pl[1];
	return 0;
}

/* For every terminal node z (in node order): the sequences s1, s2 leading
 * to it and chance(z) (u_p(z) - top), with top = 1 + the largest path payoff
 * of either player, so that every shifted payoff is < 0.  Returns the
 * number of terminal nodes (the caller frees the arrays), or PL_ENOMEM (no
 * arrays). */
static int leaf_payoffs(const pl_game *g, const pl__seqs *s, int **ls1, int **ls2, mpq_t **la,
			mpq_t **lb)
{
	int n = g->nnode, nleaf = 0;
	mpq_t *tot = pl__mpq_vec((size_t)n * 2), *ch = pl__mpq_vec((size_t)n);
	int *s1 = pl__calloc((size_t)n, sizeof(int)), *s2 = pl__calloc((size_t)n, sizeof(int));
	*ls1 = *ls2 = NULL;
	*la = *lb = NULL;
	if (!tot || !ch || !s1 || !s2) {
		nleaf = PL_ENOMEM;
		goto out;
	}
	mpq_t top, t;
	mpq_inits(top, t, NULL);
	mpq_set_ui(ch[0], 1, 1);
	for (int x = 0; x < n; x++) {
		const pl__node *nd = &g->node[x];
		if (x > 0) {
			int par = nd->parent;
			const pl__infoset *ph = &g->info[g->node[par].infoset];
			mpq_set(tot[2 * x], tot[2 * par]);
			mpq_set(tot[2 * x + 1], tot[2 * par + 1]);
			s1[x] = s1[par];
			s2[x] = s2[par];
			if (ph->player == 0)
				mpq_mul(ch[x], ch[par], ph->prob[nd->parent_act]);
			else
				mpq_set(ch[x], ch[par]);
			if (ph->player == 1)
				s1[x] = s->seq[ph->act_off + nd->parent_act];
			if (ph->player == 2)
				s2[x] = s->seq[ph->act_off + nd->parent_act];
		}
		if (nd->outcome >= 0)
			for (int p = 0; p < 2; p++)
				mpq_add(tot[2 * x + p], tot[2 * x + p],
					g->outc[nd->outcome].pay[p]);
		if (nd->infoset < 0) {
			nleaf++;
			for (int p = 0; p < 2; p++)
				if (mpq_cmp(tot[2 * x + p], top) > 0 || x == 0)
					mpq_set(top, tot[2 * x + p]);
		}
	}
	mpq_set_ui(t, 1, 1);
	mpq_add(top, top, t);
	*ls1 = pl__calloc((size_t)nleaf, sizeof(int));
	*ls2 = pl__calloc((size_t)nleaf, sizeof(int));
	*la = pl__mpq_vec((size_t)nleaf);
	*lb = pl__mpq_vec((size_t)nleaf);
	if (!*ls1 || !*ls2 || !*la || !*lb) {
		free(*ls1);
		free(*ls2);
		pl__mpq_vec_free(*la, (size_t)nleaf);
		pl__mpq_vec_free(*lb, (size_t)nleaf);
		*ls1 = *ls2 = NULL;
		*la = *lb = NULL;
		nleaf = PL_ENOMEM;
	}
	for (int x = 0, k = 0; nleaf >= 0 && x < n; x++) {
		if (g->node[x].infoset >= 0)
			continue;
		(*ls1)[k] = s1[x];
		(*ls2)[k] = s2[x];
		for (int p = 0; p < 2; p++) {
			mpq_ptr out = p ? (*lb)[k] : (*la)[k];
			mpq_sub(out, tot[2 * x + p], top);
			mpq_mul(out, out, ch[x]);
		}
		k++;
	}
	mpq_clears(top, t, NULL);
out:
	free(s1);
	free(s2);
	pl__mpq_vec_free(tot, (size_t)n * 2);
	pl__mpq_vec_free(ch, (size_t)n);
	return nleaf;
}

/* Sequence-form payoffs, shifted so that every terminal payoff is < 0. */
int pl__seq_payoffs(const pl_game *g, const pl__seqs *s, mpq_t *a, mpq_t *b)
{
	int *s1, *s2;
	mpq_t *la, *lb;
	int nleaf = leaf_payoffs(g, s, &s1, &s2, &la, &lb);
	if (nleaf < 0)
		return nleaf;
	for (int k = 0; k < nleaf; k++) {
		size_t at = (size_t)s1[k] * s->n2 + s2[k];
		mpq_add(a[at], a[at], la[k]);
		mpq_add(b[at], b[at], lb[k]);
	}
	free(s1);
	free(s2);
	pl__mpq_vec_free(la, (size_t)nleaf);
	pl__mpq_vec_free(lb, (size_t)nleaf);
	return 0;
}

typedef struct pair_at {
	int s1, s2, k;
} pair_at;

static int cmp_pair(const void *x, const void *y)
{
	const pair_at *p = x, *q = y;
	if (p->s1 != q->s1)
		return (p->s1 > q->s1) - (p->s1 < q->s1);
	if (p->s2 != q->s2)
		return (p->s2 > q->s2) - (p->s2 < q->s2);
	return (p->k > q->k) - (p->k < q->k);
}

int pl__seq_payoffs_sparse(const pl_game *g, const pl__seqs *s, pl__seq_entry **out)
{
	int *s1, *s2;
	mpq_t *la, *lb;
	int nleaf = leaf_payoffs(g, s, &s1, &s2, &la, &lb), m = 0;
	*out = NULL;
	if (nleaf < 0)
		return nleaf;
	pair_at *o = pl__calloc((size_t)(nleaf ? nleaf : 1), sizeof *o);
	pl__seq_entry *e = pl__calloc((size_t)(nleaf ? nleaf : 1), sizeof *e);
	int fail = !o || !e;
	if (fail) {
		free(e);
		e = NULL;
		m = PL_ENOMEM;
	}
	for (int k = 0; !fail && k < nleaf; k++)
		o[k] = (pair_at){s1[k], s2[k], k};
	if (!fail)
		qsort(o, (size_t)nleaf, sizeof *o, cmp_pair);
	for (int k = 0; !fail && k < nleaf; k++) {
		if (!m || e[m - 1].s1 != o[k].s1 || e[m - 1].s2 != o[k].s2) {
			e[m].s1 = o[k].s1;
			e[m].s2 = o[k].s2;
			mpq_inits(e[m].a, e[m].b, NULL);
			m++;
		}
		mpq_add(e[m - 1].a, e[m - 1].a, la[o[k].k]);
		mpq_add(e[m - 1].b, e[m - 1].b, lb[o[k].k]);
	}
	free(o);
	free(s1);
	free(s2);
	pl__mpq_vec_free(la, (size_t)nleaf);
	pl__mpq_vec_free(lb, (size_t)nleaf);
	if (m >= 0)
		*out = e;
	return m;
}

void pl__seq_entries_free(pl__seq_entry *e, int m)
{
	for (int k = 0; k < m; k++)
		mpq_clears(e[k].a, e[k].b, NULL);
	free(e);
}

/* The constraint matrix of player p: rows 0..k-1, columns 0..nseq-1. */
int pl__seq_constraint(const pl_game *g, const pl__seqs *s, int p, int row, int col)
{
	if (row == 0)
		return col == 0;
	const pl__infoset *h = &g->info[g->info_pl[p][row - 1]];
	if (col == s->parent[g->info_pl[p][row - 1]])
		return -1;
	for (int a = 0; a < h->nact; a++)
		if (s->seq[h->act_off + a] == col)
			return 1;
	return 0;
}
