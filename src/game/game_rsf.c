/* game_rsf.c - the reduced strategic form of a tree, and the conversion of
 * mixed strategies over it back to behaviour strategies (Kuhn's theorem).
 *
 * A reduced strategy fixes an action only at the information sets its own
 * earlier choices do not exclude; the others are marked -1 and labelled "*".
 * With perfect recall the player's information sets, in order of first
 * appearance, list every own predecessor before its successors, so the
 * strategies can be generated in one pass.  Without perfect recall every
 * information set counts as reachable (the unreduced form). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

typedef struct rsf_gen {
	const pl_game *g;
	int p, k, recall;
	int *cur;
	int count, cap;
	int **out;
	int overflow; /* more than PL__MAX_STRATS */
	int nomem;
} rsf_gen;

/* Is some node of information set h reached when the player's own moves
 * follow cur (at the information sets decided so far)? */
static int own_reachable(const rsf_gen *st, int h)
{
	const pl_game *g = st->g;
	if (!st->recall)
		return 1;
	const pl__infoset *hs = &g->info[h];
	for (int m = 0; m < hs->nmem; m++) {
		int x = hs->mem[m], ok = 1;
		while (ok && g->node[x].parent >= 0) {
			int par = g->node[x].parent;
			const pl__infoset *ph = &g->info[g->node[par].infoset];
			if (ph->player == st->p + 1 &&
			    st->cur[ph->own_index] != g->node[x].parent_act)
				ok = 0;
			x = par;
		}
		if (ok)
			return 1;
	}
	return 0;
}

static void gen(rsf_gen *st, int j)
{
	if (st->overflow || st->nomem)
		return;
	if (j == st->k) {
		if (st->count == PL__MAX_STRATS) {
			st->overflow = 1;
			return;
		}
		if (st->count == st->cap) {
			int cap = st->cap ? st->cap * 2 : 16;
			int **t = realloc(st->out, (size_t)cap * sizeof *t);
			if (!t) {
				st->nomem = 1;
				return;
			}
			st->out = t;
			st->cap = cap;
		}
		int *c = pl__calloc((size_t)(st->k ? st->k : 1), sizeof(int));
		if (!c) {
			st->nomem = 1;
			return;
		}
		memcpy(c, st->cur, (size_t)st->k * sizeof(int));
		st->out[st->count++] = c;
		return;
	}
	int h = st->g->info_pl[st->p][j];
	if (!own_reachable(st, h)) {
		st->cur[j] = -1;
		gen(st, j + 1);
		return;
	}
	for (int a = 0; a < st->g->info[h].nact; a++) {
		st->cur[j] = a;
		gen(st, j + 1);
	}
	st->cur[j] = -1;
}

/* NULL when out of memory. */
static char *strategy_label(const pl_game *g, int p, const int *c)
{
	pl_strbuf b = {0};
	for (int j = 0; j < g->ninfo_pl[p]; j++) {
		const pl__infoset *h = &g->info[g->info_pl[p][j]];
		if (j)
			pl__sb_printf(&b, "/");
		if (c[j] < 0)
			pl__sb_printf(&b, "*");
		else if (h->act_label[c[j]][0])
			pl__sb_printf(&b, "%s", h->act_label[c[j]]);
		else
			pl__sb_printf(&b, "%d", c[j] + 1);
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s ? b.s : pl__strdup("-");
}

/* Expected payoffs of one pure profile: choice[p][own index] per player. */
static void pure_payoffs(const pl_game *g, int *const *choice, mpq_t *reach, mpq_t *pay)
{
	mpq_t t;
	mpq_init(t);
	for (int p = 0; p < g->n; p++)
		mpq_set_ui(pay[p], 0, 1);
	for (int x = 0; x < g->nnode; x++)
		mpq_set_ui(reach[x], 0, 1);
	mpq_set_ui(reach[0], 1, 1);
	for (int x = 0; x < g->nnode; x++) {
		const pl__node *nd = &g->node[x];
		if (mpq_sgn(reach[x]) == 0)
			continue;
		if (nd->outcome >= 0)
			for (int p = 0; p < g->n; p++) {
				mpq_mul(t, reach[x], g->outc[nd->outcome].pay[p]);
				mpq_add(pay[p], pay[p], t);
			}
		if (nd->infoset < 0)
			continue;
		const pl__infoset *h = &g->info[nd->infoset];
		if (h->player == 0) {
			for (int a = 0; a < h->nact; a++)
				mpq_mul(reach[g->child[nd->child_off + a]], reach[x], h->prob[a]);
		} else {
			int a = choice[h->player - 1][h->own_index];
			if (a >= 0) /* -1 cannot be reached with positive probability */
				mpq_set(reach[g->child[nd->child_off + a]], reach[x]);
		}
	}
	mpq_clear(t);
}

/* The number of reduced strategies of player p, counted without listing
 * them: N(s) = product over p's information sets h that follow sequence s
 * of sum_a N(s h a); the answer is N(empty).  Without perfect recall, the
 * product of the numbers of actions.  -1 when out of memory. */
static double count_strategies(const pl_game *g, int p, int recall)
{
	double *cnt = pl__calloc((size_t)(g->nact_total ? g->nact_total : 1), sizeof(double));
	if (!cnt)
		return -1;
	double root = 1;
	for (int j = 0; j < g->ninfo_pl[p]; j++) {
		const pl__infoset *h = &g->info[g->info_pl[p][j]];
		for (int a = 0; a < h->nact; a++)
			cnt[h->act_off + a] = 1;
	}
	for (int j = g->ninfo_pl[p] - 1; j >= 0; j--) {
		const pl__infoset *h = &g->info[g->info_pl[p][j]];
		double sum = 0;
		for (int a = 0; a < h->nact; a++)
			sum += cnt[h->act_off + a];
		if (!recall) {
			root *= h->nact;
			continue;
		}
		int parent = -1;
		for (int x = h->mem[0]; g->node[x].parent >= 0 && parent < 0;
		     x = g->node[x].parent) {
			const pl__infoset *ph = &g->info[g->node[g->node[x].parent].infoset];
			if (ph->player == p + 1)
				parent = ph->act_off + g->node[x].parent_act;
		}
		if (parent < 0)
			root *= sum;
		else
			cnt[parent] *= sum;
	}
	free(cnt);
	return root;
}

static int build_strategies(const pl_game *tree, pl_game *t, pl_error *err)
{
	int recall = pl__tree_perfect_recall(tree);
	double cells = 1;
	for (int p = 0; p < tree->n; p++) {
		double c = count_strategies(tree, p, recall);
		if (c < 0)
			return pl__nomem(err);
		if (c > PL__MAX_STRATS)
			return pl_error_set(err, PL_EINPUT, NULL,
					    "player %d has %.3g reduced strategies (more than %d)",
					    p + 1, c, PL__MAX_STRATS);
		/* each strategy lists a move (or '*') per information set */
		if (c * tree->ninfo_pl[p] > (double)PL__MAX_CELLS)
			return pl_error_set(
				err, PL_EINPUT, NULL,
				"player %d has %.0f reduced strategies over %d information "
				"sets: more than %ld moves to list",
				p + 1, c, tree->ninfo_pl[p], PL__MAX_CELLS);
		cells *= c;
	}
	/* the table is refused before its strategies are listed (fill_cells
	 * says the same) */
	if (cells > (double)PL__MAX_CELLS)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "the reduced strategic form has more than %ld cells",
				    PL__MAX_CELLS);
	t->nstrat = pl__calloc((size_t)tree->n, sizeof(int));
	t->strat = pl__calloc((size_t)tree->n, sizeof(char **));
	t->rsf_choice = pl__calloc((size_t)tree->n, sizeof(int *));
	if (!t->nstrat || !t->strat || !t->rsf_choice)
		return pl__nomem(err);
	for (int p = 0; p < tree->n; p++) {
		rsf_gen st = {.g = tree, .p = p, .k = tree->ninfo_pl[p], .recall = recall};
		st.cur = pl__calloc((size_t)(st.k ? st.k : 1), sizeof(int));
		if (st.cur)
			gen(&st, 0);
		else
			st.nomem = 1;
		free(st.cur);
		int rc = 0;
		if (st.overflow)
			rc = pl_error_set(err, PL_EINPUT, NULL,
					  "player %d has more than %d reduced strategies", p + 1,
					  PL__MAX_STRATS);
		else if (st.nomem || !(t->strat[p] = pl__calloc((size_t)st.count, sizeof(char *))) ||
			 !(t->rsf_choice[p] = pl__calloc((size_t)st.count * (size_t)(st.k ? st.k : 1),
							 sizeof(int))))
			rc = pl__nomem(err);
		else
			t->nstrat[p] = st.count;
		for (int s = 0; s < st.count; s++) {
			if (!rc && !(t->strat[p][s] = strategy_label(tree, p, st.out[s])))
				rc = pl__nomem(err);
			if (!rc)
				memcpy(&t->rsf_choice[p][(size_t)s * (size_t)st.k], st.out[s],
				       (size_t)st.k * sizeof(int));
			free(st.out[s]);
		}
		free(st.out);
		if (rc)
			return rc;
	}
	return 0;
}

static int fill_cells(const pl_game *tree, pl_game *t, pl_error *err)
{
	long c = 1;
	for (int p = 0; p < t->n; p++) {
		if (c > PL__MAX_CELLS / t->nstrat[p])
			return pl_error_set(err, PL_EINPUT, NULL,
					    "the reduced strategic form has more than %ld cells",
					    PL__MAX_CELLS);
		c *= t->nstrat[p];
	}
	t->ncell = c;
	t->cell = pl__calloc((size_t)c, sizeof(int));
	t->outc = pl__calloc((size_t)c, sizeof *t->outc);
	t->payoff_variant = 1;
	int *s = pl__calloc((size_t)t->n, sizeof(int));
	int **choice = pl__calloc((size_t)t->n, sizeof(int *));
	mpq_t *reach = pl__mpq_vec((size_t)tree->nnode);
	int rc = !t->cell || !t->outc || !s || !choice || !reach ? pl__nomem(err) : 0;
	if (t->outc)
		t->noutc = (int)c;
	for (long k = 0; !rc && k < c; k++) {
		long r = k;
		for (int p = 0; p < t->n; p++) {
			s[p] = (int)(r % t->nstrat[p]);
			r /= t->nstrat[p];
			choice[p] = &t->rsf_choice[p][(size_t)s[p] * (size_t)tree->ninfo_pl[p]];
		}
		t->outc[k].label = pl__strdup("");
		t->outc[k].file_id = k + 1;
		t->outc[k].pay = pl__mpq_vec((size_t)t->n);
		if (!t->outc[k].label || !t->outc[k].pay) {
			rc = pl__nomem(err);
			break;
		}
		pure_payoffs(tree, choice, reach, t->outc[k].pay);
		t->cell[k] = (int)k;
	}
	pl__mpq_vec_free(reach, (size_t)tree->nnode);
	free(s);
	free(choice);
	return rc;
}

int pl__tree_to_table(const pl_game *tree, pl_game **out, pl_error *err)
{
	*out = NULL;
	pl_game *t = pl__game_new(PL__TABLE);
	if (!t)
		return pl__nomem(err);
	free(t->title);
	free(t->comment);
	t->title = pl__strdup(tree->title);
	t->comment = pl__strdup(tree->comment);
	int rc = !t->title || !t->comment || pl__game_set_players(t, tree->n) ? PL_ENOMEM : 0;
	for (int p = 0; !rc && p < tree->n; p++)
		if (!(t->player[p] = pl__strdup(tree->player[p])))
			rc = PL_ENOMEM;
	if (rc)
		rc = pl__nomem(err);
	else
		rc = build_strategies(tree, t, err);
	if (!rc)
		rc = fill_cells(tree, t, err);
	if (rc) {
		pl_game_free(t);
		return rc;
	}
	*out = t;
	return PL_OK;
}

/* Does reduced strategy c (of the player owning x's path moves checked) agree
 * with every move of player p on the path from the root to x? */
static int consistent(const pl_game *g, int p, const int *c, int x)
{
	while (g->node[x].parent >= 0) {
		int par = g->node[x].parent;
		const pl__infoset *ph = &g->info[g->node[par].infoset];
		if (ph->player == p + 1 && c[ph->own_index] != g->node[x].parent_act)
			return 0;
		x = par;
	}
	return 1;
}

static int behav_at(const pl_game *tree, const pl_game *rsf, mpq_t *mixed, int hi, mpq_t *out)
{
	const pl__infoset *h = &tree->info[hi];
	int p = h->player - 1, k = tree->ninfo_pl[p], x = h->mem[0];
	int off = 0;
	for (int q = 0; q < p; q++)
		off += rsf->nstrat[q];
	mpq_t *marg = pl__mpq_vec((size_t)h->nact);
	if (!marg)
		return PL_ENOMEM;
	mpq_t den, alt;
	mpq_inits(den, alt, NULL);
	for (int a = 0; a < h->nact; a++)
		mpq_set_ui(out[a], 0, 1);
	for (int s = 0; s < rsf->nstrat[p]; s++) {
		const int *c = &rsf->rsf_choice[p][(size_t)s * (size_t)k];
		int a = c[h->own_index];
		if (a < 0 || mpq_sgn(mixed[off + s]) == 0)
			continue;
		mpq_add(marg[a], marg[a], mixed[off + s]);
		mpq_add(alt, alt, mixed[off + s]);
		if (consistent(tree, p, c, x)) {
			mpq_add(out[a], out[a], mixed[off + s]);
			mpq_add(den, den, mixed[off + s]);
		}
	}
	/* Unreached information sets take the marginal choice; those the player's
	 * own strategy excludes take the first action. */
	if (mpq_sgn(den) > 0) {
		for (int a = 0; a < h->nact; a++)
			mpq_div(out[a], out[a], den);
	} else if (mpq_sgn(alt) > 0) {
		for (int a = 0; a < h->nact; a++)
			mpq_div(out[a], marg[a], alt);
	} else {
		mpq_set_ui(out[0], 1, 1);
	}
	pl__mpq_vec_free(marg, (size_t)h->nact);
	mpq_clears(den, alt, NULL);
	return 0;
}

int pl__mixed_to_behav(const pl_game *tree, const pl_game *rsf, mpq_t *mixed, mpq_t *behav)
{
	for (int hi = 0; hi < tree->ninfo; hi++)
		if (tree->info[hi].player > 0 &&
		    behav_at(tree, rsf, mixed, hi, &behav[tree->info[hi].act_off]))
			return PL_ENOMEM;
	return 0;
}
