/* game_model.c - construction, structure queries and freeing of pl_game:
 * information-set bookkeeping, perfect recall, subgame roots, and table
 * indexing.  The reduced strategic form lives in game_rsf.c. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

void *pl__calloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size ? size : 1);
}

char *pl__strdup(const char *s)
{
	size_t n = strlen(s ? s : "") + 1;
	char *d = pl__calloc(n, 1);
	if (d)
		memcpy(d, s ? s : "", n);
	return d;
}

int pl__nomem(pl_error *err)
{
	return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
}

mpq_t *pl__mpq_vec(size_t n)
{
	mpq_t *v = pl__calloc(n, sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		mpq_init(v[i]);
	return v;
}

void pl__mpq_vec_free(mpq_t *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		mpq_clear(v[i]);
	free(v);
}

pl_game *pl__game_new(int kind)
{
	pl_game *g = pl__calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->kind = kind;
	g->title = pl__strdup("");
	g->comment = pl__strdup("");
	if (!g->title || !g->comment) {
		pl_game_free(g);
		return NULL;
	}
	return g;
}

int pl__game_set_players(pl_game *g, int n)
{
	g->player = pl__calloc((size_t)n, sizeof *g->player);
	if (!g->player)
		return PL_ENOMEM;
	g->n = n;
	return 0;
}

static void free_strings(char **v, int n)
{
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void free_tree(pl_game *g)
{
	for (int i = 0; i < g->nnode; i++)
		free(g->node[i].label);
	free(g->node);
	free(g->child);
	for (int i = 0; i < g->ninfo; i++) {
		pl__infoset *h = &g->info[i];
		free(h->label);
		free_strings(h->act_label, h->nact);
		if (h->prob)
			pl__mpq_vec_free(h->prob, (size_t)h->nact);
		free(h->mem);
	}
	free(g->info);
	if (g->info_pl)
		for (int p = 0; p < g->n; p++)
			free(g->info_pl[p]);
	free(g->info_pl);
	free(g->ninfo_pl);
	free(g->multi);
}

static void free_table(pl_game *g)
{
	if (g->strat && g->nstrat)
		for (int p = 0; p < g->n; p++)
			free_strings(g->strat[p], g->nstrat[p]);
	free(g->strat);
	if (g->rsf_choice)
		for (int p = 0; p < g->n; p++)
			free(g->rsf_choice[p]);
	free(g->rsf_choice);
	free(g->nstrat);
	free(g->cell);
}

void pl_game_free(pl_game *g)
{
	if (!g)
		return;
	free_tree(g);
	free_table(g);
	for (int i = 0; g->outc && i < g->noutc; i++) {
		if (g->outc[i].label != g->blank)
			free(g->outc[i].label);
		uintptr_t pay = (uintptr_t)g->outc[i].pay, pool = (uintptr_t)g->pay_pool;
		if (!pool || pay < pool || pay >= pool + g->pay_pool_len * sizeof(mpq_t))
			pl__mpq_vec_free(g->outc[i].pay, (size_t)g->n);
	}
	free(g->outc);
	pl__mpq_vec_free(g->pay_pool, g->pay_pool_len);
	free(g->blank);
	free_strings(g->player, g->n);
	free(g->title);
	free(g->comment);
	free(g);
}

static int collect_members(pl_game *g)
{
	for (int i = 0; i < g->ninfo; i++) {
		free(g->info[i].mem);
		g->info[i].nmem = 0;
		g->info[i].mem = NULL;
	}
	int *cnt = pl__calloc((size_t)g->ninfo, sizeof *cnt);
	if (!cnt)
		return PL_ENOMEM;
	for (int x = 0; x < g->nnode; x++)
		if (g->node[x].infoset >= 0)
			cnt[g->node[x].infoset]++;
	for (int i = 0; i < g->ninfo; i++)
		if (!(g->info[i].mem = pl__calloc((size_t)cnt[i], sizeof(int)))) {
			free(cnt);
			return PL_ENOMEM;
		}
	for (int x = 0; x < g->nnode; x++) {
		int h = g->node[x].infoset;
		if (h >= 0)
			g->info[h].mem[g->info[h].nmem++] = x;
	}
	free(cnt);
	return 0;
}

static int index_players(pl_game *g)
{
	free(g->ninfo_pl);
	if (g->info_pl)
		for (int p = 0; p < g->n; p++)
			free(g->info_pl[p]);
	free(g->info_pl);
	g->ninfo_pl = pl__calloc((size_t)g->n, sizeof(int));
	g->info_pl = pl__calloc((size_t)g->n, sizeof(int *));
	if (!g->ninfo_pl || !g->info_pl)
		return PL_ENOMEM;
	for (int i = 0; i < g->ninfo; i++)
		if (g->info[i].player > 0)
			g->ninfo_pl[g->info[i].player - 1]++;
	for (int p = 0; p < g->n; p++) {
		if (!(g->info_pl[p] = pl__calloc((size_t)g->ninfo_pl[p], sizeof(int))))
			return PL_ENOMEM;
		g->ninfo_pl[p] = 0;
	}
	int off = 0;
	for (int i = 0; i < g->ninfo; i++) {
		pl__infoset *h = &g->info[i];
		if (h->player <= 0) {
			h->act_off = -1;
			continue;
		}
		h->own_index = g->ninfo_pl[h->player - 1];
		g->info_pl[h->player - 1][g->ninfo_pl[h->player - 1]++] = i;
		h->act_off = off;
		off += h->nact;
	}
	g->nact_total = off;
	return 0;
}

/* Perfect recall holds when all nodes of each information set share the
 * player's last own move; by induction they then share the whole own
 * history, and no information set repeats along a path.  1, 0, or
 * PL_ENOMEM. */
static int perfect_recall(const pl_game *g)
{
	int n = g->n, ok = 1;
	int *last = pl__calloc((size_t)g->nnode * (size_t)(n ? n : 1), sizeof(int));
	int *seen = pl__calloc((size_t)g->ninfo, sizeof(int));
	if (!last || !seen) {
		free(last);
		free(seen);
		return PL_ENOMEM;
	}
	for (int x = 0; x < g->nnode && ok; x++) {
		const pl__node *nd = &g->node[x];
		if (x > 0) {
			int par = nd->parent;
			memcpy(&last[(size_t)x * n], &last[(size_t)par * n],
			       (size_t)n * sizeof(int));
			const pl__infoset *ph = &g->info[g->node[par].infoset];
			if (ph->player > 0)
				last[(size_t)x * n + ph->player - 1] =
					ph->act_off + nd->parent_act + 1;
		}
		if (nd->infoset < 0 || g->info[nd->infoset].player <= 0)
			continue;
		int h = nd->infoset, p = g->info[h].player - 1;
		int mine = last[(size_t)x * n + p];
		if (!seen[h])
			seen[h] = mine + 1;
		else if (seen[h] != mine + 1)
			ok = 0;
	}
	free(last);
	free(seen);
	return ok;
}

int pl__tree_finish(pl_game *g)
{
	if (collect_members(g) || index_players(g))
		return PL_ENOMEM;
	/* only personal information sets with several nodes can cut a subgame */
	free(g->multi);
	g->multi = pl__calloc((size_t)(g->ninfo ? g->ninfo : 1), sizeof(int));
	if (!g->multi)
		return PL_ENOMEM;
	g->nmulti = 0;
	for (int i = 0; i < g->ninfo; i++)
		if (g->info[i].player > 0 && g->info[i].nmem > 1)
			g->multi[g->nmulti++] = i;
	for (int x = 0; x < g->nnode; x++)
		g->node[x].depth = x == 0 ? 0 : g->node[g->node[x].parent].depth + 1;
	for (int x = g->nnode - 1; x >= 0; x--) {
		pl__node *nd = &g->node[x];
		nd->end = x + 1;
		if (nd->infoset >= 0) {
			int k = g->info[nd->infoset].nact;
			int last = g->child[nd->child_off + k - 1];
			nd->end = g->node[last].end;
		}
	}
	int recall = perfect_recall(g);
	if (recall < 0)
		return recall;
	g->recall = recall;
	return 0;
}

int pl__tree_perfect_recall(const pl_game *g)
{
	return g->recall;
}

int pl__tree_is_subgame_root(const pl_game *g, int x)
{
	int end = g->node[x].end;
	for (int j = 0; j < g->nmulti; j++) {
		const pl__infoset *h = &g->info[g->multi[j]];
		int in = 0, out = 0;
		for (int k = 0; k < h->nmem; k++) {
			if (h->mem[k] >= x && h->mem[k] < end)
				in = 1;
			else
				out = 1;
		}
		if (in && out)
			return 0;
	}
	return 1;
}

long pl__table_index(const pl_game *g, const int *s)
{
	long idx = 0;
	for (int p = g->n - 1; p >= 0; p--)
		idx = idx * g->nstrat[p] + s[p];
	return idx;
}

/* Every cell of a table has an outcome: the readers give null cells (outcome
 * 0 in a .nfg) a zero outcome whose file_id is 0. */
const mpq_t *pl__table_pay(const pl_game *g, long c, int p)
{
	return (const mpq_t *)&g->outc[g->cell[c]].pay[p];
}

int pl_game_is_tree(const pl_game *g)
{
	return g && g->kind == PL__TREE;
}

size_t pl_game_n_players(const pl_game *g)
{
	return g ? (size_t)g->n : 0;
}

const char *pl_game_hash(const pl_game *g)
{
	return g ? g->hash : "";
}

const char *pl_game_title(const pl_game *g)
{
	return g ? g->title : "";
}

const char *pl_game_player_name(const pl_game *g, size_t player)
{
	if (!g || player >= (size_t)g->n)
		return NULL;
	return g->player[player];
}
