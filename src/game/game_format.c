/* game_format.c - presenting games and equilibria: `game info`, and each
 * equilibrium's profile, outcome probabilities, expected payoffs, beliefs
 * and regret as text, JSON or CSV. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"
#include "parley/version.h"

#define MAX_CELL_LINES 200

typedef struct fmt {
	pl_strbuf b;
	int kind; /* PL_GAME_OUT_* */
	int exact;
} fmt;

static void num(fmt *f, const mpq_t q)
{
	if (f->exact) {
		if (f->kind == PL_GAME_OUT_JSON)
			pl__sb_puts(&f->b, "\"");
		pl__sb_mpq(&f->b, q);
		if (f->kind == PL_GAME_OUT_JSON)
			pl__sb_puts(&f->b, "\"");
	} else {
		pl__sb_printf(&f->b, "%.10g", mpq_get_d(q));
	}
}

static void str(fmt *f, const char *s)
{
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_json_str(&f->b, s);
	else
		pl__sb_gambit_str(&f->b, s);
}

static void sep(fmt *f, int first)
{
	if (!first)
		pl__sb_puts(&f->b, ", ");
}

/* CSV rows: equilibrium,section,player,where,item,value */
static void csv_row(fmt *f, size_t k, const char *section, int player, const char *where,
		    const char *item, const mpq_t v)
{
	pl__sb_printf(&f->b, "%zu,%s,%d,", k + 1, section, player);
	pl__sb_gambit_str(&f->b, where);
	pl__sb_puts(&f->b, ",");
	pl__sb_gambit_str(&f->b, item);
	pl__sb_puts(&f->b, ",");
	num(f, v);
	pl__sb_puts(&f->b, "\n");
}

static const char *node_name(const pl_game *g, int x, char *buf, size_t n)
{
	if (g->node[x].label[0])
		snprintf(buf, n, "node %d \"%s\"", x + 1, g->node[x].label);
	else
		snprintf(buf, n, "node %d", x + 1);
	return buf;
}

static void tree_profile(fmt *f, const pl_game *g, size_t k, mpq_t *prof)
{
	int first = 1;
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_puts(&f->b, "  behaviour:\n");
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"behaviour\": [");
	for (int hi = 0; hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		if (h->player <= 0)
			continue;
		if (f->kind == PL_GAME_OUT_TEXT) {
			pl__sb_printf(&f->b, "    %s, information set %ld ",
				      g->player[h->player - 1], h->file_id);
			str(f, h->label);
			pl__sb_puts(&f->b, ":");
		} else if (f->kind == PL_GAME_OUT_JSON) {
			sep(f, first);
			pl__sb_printf(&f->b,
				      "{\"player\": %d, \"infoset\": %ld, \"label\": ", h->player,
				      h->file_id);
			str(f, h->label);
			pl__sb_puts(&f->b, ", \"probabilities\": {");
		}
		first = 0;
		for (int a = 0; a < h->nact; a++) {
			if (f->kind == PL_GAME_OUT_CSV) {
				char where[64];
				snprintf(where, sizeof where, "infoset %ld", h->file_id);
				csv_row(f, k, "behaviour", h->player, where, h->act_label[a],
					prof[h->act_off + a]);
				continue;
			}
			if (f->kind == PL_GAME_OUT_JSON)
				sep(f, a == 0);
			else
				pl__sb_puts(&f->b, " ");
			str(f, h->act_label[a]);
			pl__sb_puts(&f->b, f->kind == PL_GAME_OUT_JSON ? ": " : "=");
			num(f, prof[h->act_off + a]);
		}
		if (f->kind == PL_GAME_OUT_TEXT)
			pl__sb_puts(&f->b, "\n");
		if (f->kind == PL_GAME_OUT_JSON)
			pl__sb_puts(&f->b, "}}");
	}
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "],\n");
}

static void tree_outcomes(fmt *f, const pl_game *g, size_t k, mpq_t *reach)
{
	int first = 1;
	char name[256];
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_puts(&f->b, "  outcomes (terminal nodes reached):\n");
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"outcomes\": [");
	for (int x = 0; x < g->nnode; x++) {
		if (g->node[x].infoset >= 0 || mpq_sgn(reach[x]) == 0)
			continue;
		int o = g->node[x].outcome;
		const char *olab = o >= 0 ? g->outc[o].label : "";
		node_name(g, x, name, sizeof name);
		if (f->kind == PL_GAME_OUT_CSV) {
			csv_row(f, k, "outcome", 0, name, olab, reach[x]);
		} else if (f->kind == PL_GAME_OUT_JSON) {
			sep(f, first);
			pl__sb_printf(&f->b, "{\"node\": %d, \"label\": ", x + 1);
			str(f, g->node[x].label);
			pl__sb_puts(&f->b, ", \"outcome\": ");
			str(f, olab);
			pl__sb_puts(&f->b, ", \"probability\": ");
			num(f, reach[x]);
			pl__sb_puts(&f->b, "}");
		} else {
			pl__sb_printf(&f->b, "    %s", name);
			if (olab[0])
				pl__sb_printf(&f->b, " (outcome \"%s\")", olab);
			pl__sb_puts(&f->b, ": ");
			num(f, reach[x]);
			pl__sb_puts(&f->b, "\n");
		}
		first = 0;
	}
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "],\n");
}

static void tree_beliefs(fmt *f, const pl_game *g, size_t k, mpq_t *reach)
{
	mpq_t tot, b;
	mpq_inits(tot, b, NULL);
	int first = 1;
	char name[256];
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"beliefs\": [");
	for (int hi = 0; hi < g->ninfo; hi++) {
		const pl__infoset *h = &g->info[hi];
		if (h->player <= 0 || h->nmem < 2)
			continue;
		mpq_set_ui(tot, 0, 1);
		for (int m = 0; m < h->nmem; m++)
			mpq_add(tot, tot, reach[h->mem[m]]);
		if (mpq_sgn(tot) == 0)
			continue;
		if (f->kind == PL_GAME_OUT_TEXT && first) /* no heading over nothing */
			pl__sb_printf(&f->b, "  beliefs (information sets reached, more than "
					     "one node):\n");
		if (f->kind == PL_GAME_OUT_TEXT)
			pl__sb_printf(&f->b,
				      "    %s, information set %ld:", g->player[h->player - 1],
				      h->file_id);
		if (f->kind == PL_GAME_OUT_JSON) {
			sep(f, first);
			pl__sb_printf(&f->b, "{\"player\": %d, \"infoset\": %ld, \"nodes\": {",
				      h->player, h->file_id);
		}
		first = 0;
		for (int m = 0; m < h->nmem; m++) {
			mpq_div(b, reach[h->mem[m]], tot);
			node_name(g, h->mem[m], name, sizeof name);
			if (f->kind == PL_GAME_OUT_CSV) {
				char where[64];
				snprintf(where, sizeof where, "infoset %ld", h->file_id);
				csv_row(f, k, "belief", h->player, where, name, b);
			} else if (f->kind == PL_GAME_OUT_JSON) {
				sep(f, m == 0);
				pl__sb_printf(&f->b, "\"%d\": ", h->mem[m] + 1);
				num(f, b);
			} else {
				pl__sb_printf(&f->b, " %s=", name);
				num(f, b);
			}
		}
		pl__sb_printf(&f->b, f->kind == PL_GAME_OUT_JSON   ? "}}"
				     : f->kind == PL_GAME_OUT_TEXT ? "\n"
								   : "");
	}
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "],\n");
	mpq_clears(tot, b, NULL);
}

static void table_profile(fmt *f, const pl_game *g, size_t k, mpq_t *prof)
{
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_puts(&f->b, "  mixed strategies:\n");
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"strategies\": [");
	for (int p = 0, off = 0; p < g->n; off += g->nstrat[p], p++) {
		if (f->kind == PL_GAME_OUT_TEXT) {
			pl__sb_puts(&f->b, "    ");
			str(f, g->player[p]);
			pl__sb_puts(&f->b, ":");
		}
		if (f->kind == PL_GAME_OUT_JSON)
			pl__sb_printf(&f->b, "%s{", p ? ", " : "");
		for (int s = 0; s < g->nstrat[p]; s++) {
			if (f->kind == PL_GAME_OUT_CSV) {
				csv_row(f, k, "strategy", p + 1, g->player[p], g->strat[p][s],
					prof[off + s]);
				continue;
			}
			if (f->kind == PL_GAME_OUT_JSON)
				sep(f, s == 0);
			else
				pl__sb_puts(&f->b, " ");
			str(f, g->strat[p][s]);
			pl__sb_puts(&f->b, f->kind == PL_GAME_OUT_JSON ? ": " : "=");
			num(f, prof[off + s]);
		}
		if (f->kind == PL_GAME_OUT_TEXT)
			pl__sb_puts(&f->b, "\n");
		if (f->kind == PL_GAME_OUT_JSON)
			pl__sb_puts(&f->b, "}");
	}
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "],\n");
}

/* Advances s over the supported strategies; 0 when done. */
static int next_cell(const pl_game *g, mpq_t *prof, int *s)
{
	for (int p = 0, off = 0; p < g->n; off += g->nstrat[p], p++) {
		for (s[p]++; s[p] < g->nstrat[p]; s[p]++)
			if (mpq_sgn(prof[off + s[p]]))
				return 1;
		for (s[p] = 0; !mpq_sgn(prof[off + s[p]]); s[p]++)
			;
	}
	return 0;
}

static void cell_line(fmt *f, const pl_game *g, size_t k, const int *s, const mpq_t pr, int first)
{
	pl_strbuf where = {0};
	for (int p = 0; p < g->n; p++)
		pl__sb_printf(&where, "%s%s", p ? "," : "", g->strat[p][s[p]]);
	const char *olab = g->outc[g->cell[pl__table_index(g, s)]].label;
	if (f->kind == PL_GAME_OUT_CSV) {
		csv_row(f, k, "outcome", 0, where.s ? where.s : "", olab, pr);
	} else if (f->kind == PL_GAME_OUT_JSON) {
		sep(f, first);
		pl__sb_puts(&f->b, "{\"profile\": ");
		str(f, where.s ? where.s : "");
		pl__sb_puts(&f->b, ", \"outcome\": ");
		str(f, olab);
		pl__sb_puts(&f->b, ", \"probability\": ");
		num(f, pr);
		pl__sb_puts(&f->b, "}");
	} else {
		pl__sb_printf(&f->b, "    (%s)", where.s ? where.s : "");
		if (olab[0])
			pl__sb_printf(&f->b, " outcome \"%s\"", olab);
		pl__sb_puts(&f->b, ": ");
		num(f, pr);
		pl__sb_puts(&f->b, "\n");
	}
	free(where.s);
}

static void table_cells(fmt *f, const pl_game *g, size_t k, mpq_t *prof)
{
	int *s = pl__calloc((size_t)g->n, sizeof(int));
	if (!s) {
		f->b.oom = 1; /* reported once the text is done */
		return;
	}
	mpq_t pr;
	mpq_init(pr);
	for (int p = 0, off = 0; p < g->n; off += g->nstrat[p], p++)
		while (!mpq_sgn(prof[off + s[p]]))
			s[p]++;
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_puts(&f->b, "  outcomes (strategy profiles played):\n");
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"outcomes\": [");
	int lines = 0;
	do {
		mpq_set_ui(pr, 1, 1);
		for (int p = 0, off = 0; p < g->n; off += g->nstrat[p], p++)
			mpq_mul(pr, pr, prof[off + s[p]]);
		if (lines == MAX_CELL_LINES) {
			if (f->kind == PL_GAME_OUT_TEXT)
				pl__sb_puts(&f->b, "    ... (more profiles not shown)\n");
			break;
		}
		cell_line(f, g, k, s, pr, lines == 0);
		lines++;
	} while (next_cell(g, prof, s));
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "],\n");
	mpq_clear(pr);
	free(s);
}

static void payoffs(fmt *f, const pl_game *g, size_t k, mpq_t *prof)
{
	mpq_t *pay = pl__mpq_vec((size_t)g->n);
	if (!pay || pl__profile_payoffs(g, prof, pay)) {
		pl__mpq_vec_free(pay, (size_t)g->n);
		f->b.oom = 1;
		return;
	}
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_puts(&f->b, "  expected payoffs:");
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_puts(&f->b, "     \"payoffs\": [");
	for (int p = 0; p < g->n; p++) {
		if (f->kind == PL_GAME_OUT_CSV) {
			csv_row(f, k, "payoff", p + 1, "", g->player[p], pay[p]);
			continue;
		}
		if (f->kind == PL_GAME_OUT_JSON) {
			sep(f, p == 0);
		} else {
			pl__sb_puts(&f->b, " ");
			str(f, g->player[p]);
			pl__sb_puts(&f->b, "=");
		}
		num(f, pay[p]);
	}
	pl__sb_printf(&f->b, f->kind == PL_GAME_OUT_JSON   ? "],\n"
			     : f->kind == PL_GAME_OUT_TEXT ? "\n"
							   : "");
	pl__mpq_vec_free(pay, (size_t)g->n);
}

/* Gambit's order: players in turn; a table's strategies, or a tree's
 * information sets in order of first appearance and their actions. */
static void gambit_line(fmt *f, const pl_game *g, mpq_t *prof)
{
	pl__sb_puts(&f->b, "NE");
	if (g->kind == PL__TABLE) {
		for (int i = 0; i < pl__profile_len(g); i++) {
			pl__sb_puts(&f->b, ",");
			num(f, prof[i]);
		}
	} else {
		for (int p = 0; p < g->n; p++)
			for (int j = 0; j < g->ninfo_pl[p]; j++) {
				const pl__infoset *h = &g->info[g->info_pl[p][j]];
				for (int a = 0; a < h->nact; a++) {
					pl__sb_puts(&f->b, ",");
					num(f, prof[h->act_off + a]);
				}
			}
	}
	pl__sb_puts(&f->b, "\n");
}

static void one(fmt *f, const pl_game_solution *s, size_t k)
{
	const pl_game *g = s->game;
	if (f->kind == PL_GAME_OUT_GAMBIT) {
		gambit_line(f, g, s->prof[k]);
		return;
	}
	if (f->kind == PL_GAME_OUT_TEXT)
		pl__sb_printf(&f->b, "equilibrium %zu (%s regret %.3g)\n", k + 1,
			      s->agent ? "agent-form" : "maximum", s->regret[k]);
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_printf(&f->b, "    {\"regret\": %.17g,\n", s->regret[k]);
	if (f->kind == PL_GAME_OUT_CSV)
		pl__sb_printf(&f->b, "%zu,regret,0,\"\",\"\",%.17g\n", k + 1, s->regret[k]);
	payoffs(f, g, k, s->prof[k]);
	if (g->kind == PL__TREE) {
		mpq_t *reach = pl__mpq_vec((size_t)g->nnode);
		if (!reach) {
			f->b.oom = 1;
			return;
		}
		pl__tree_reach(g, s->prof[k], reach);
		tree_profile(f, g, k, s->prof[k]);
		tree_outcomes(f, g, k, reach);
		tree_beliefs(f, g, k, reach);
		pl__mpq_vec_free(reach, (size_t)g->nnode);
	} else {
		table_profile(f, g, k, s->prof[k]);
		table_cells(f, g, k, s->prof[k]);
	}
	if (f->kind == PL_GAME_OUT_JSON)
		pl__sb_printf(&f->b, "     \"index\": %zu}%s\n", k + 1,
			      k + 1 < s->count ? "," : "");
}

/* For a tree: which outcomes (terminal nodes, named by their outcome's label
 * when it has one) each equilibrium reaches, and which none reaches. */
static void outcome_summary(fmt *f, const pl_game_solution *s)
{
	const pl_game *g = s->game;
	if (g->kind != PL__TREE || s->count == 0)
		return;
	size_t ne = s->count;
	mpq_t *prob = pl__mpq_vec((size_t)g->nnode * ne);
	mpq_t *reach = pl__mpq_vec((size_t)g->nnode);
	if (!prob || !reach) {
		pl__mpq_vec_free(reach, (size_t)g->nnode);
		pl__mpq_vec_free(prob, (size_t)g->nnode * ne);
		f->b.oom = 1;
		return;
	}
	for (size_t k = 0; k < ne; k++) {
		pl__tree_reach(g, s->prof[k], reach);
		for (int x = 0; x < g->nnode; x++) {
			if (g->node[x].infoset >= 0)
				continue;
			int o = g->node[x].outcome, key = x;
			for (int y = 0; o >= 0 && y < x; y++) /* the first node with this label */
				if (g->node[y].infoset < 0 && g->node[y].outcome >= 0 &&
				    strcmp(g->outc[g->node[y].outcome].label, g->outc[o].label) ==
					    0) {
					key = y;
					break;
				}
			mpq_add(prob[(size_t)key * ne + k], prob[(size_t)key * ne + k], reach[x]);
		}
	}
	char name[256];
	int none = 0;
	pl__sb_printf(&f->b,
		      "outcomes reached in equilibrium (probability in equilibrium 1..%zu):\n", ne);
	for (int pass = 0; pass < 2; pass++)
		for (int x = 0; x < g->nnode; x++) {
			if (g->node[x].infoset >= 0)
				continue;
			int o = g->node[x].outcome, any = 0, first_key = 1;
			for (int y = 0; o >= 0 && y < x && first_key; y++)
				first_key = !(g->node[y].infoset < 0 && g->node[y].outcome >= 0 &&
					      strcmp(g->outc[g->node[y].outcome].label,
						     g->outc[o].label) == 0);
			if (!first_key)
				continue;
			for (size_t k = 0; k < ne; k++)
				any |= mpq_sgn(prob[(size_t)x * ne + k]) != 0;
			const char *label = o >= 0 && g->outc[o].label[0]
						    ? g->outc[o].label
						    : node_name(g, x, name, sizeof name);
			if (pass == 0 && any) {
				pl__sb_printf(&f->b, "  \"%s\":", label);
				for (size_t k = 0; k < ne; k++) {
					pl__sb_puts(&f->b, " ");
					num(f, prob[(size_t)x * ne + k]);
				}
				pl__sb_puts(&f->b, "\n");
			} else if (pass == 1 && !any) {
				pl__sb_printf(&f->b, "%s\"%s\"",
					      none++ ? "; "
						     : "outcomes reached in no equilibrium: ",
					      label);
			}
		}
	if (none)
		pl__sb_puts(&f->b, "\n");
	pl__mpq_vec_free(reach, (size_t)g->nnode);
	pl__mpq_vec_free(prob, (size_t)g->nnode * ne);
}

int pl_game_solution_format(const pl_game_solution *s, pl_game_output kind, char **out,
			    pl_error *err)
{
	*out = NULL;
	fmt f = {.kind = kind, .exact = s->exact};
	const pl_game *g = s->game;
	pl__sb_printf(&f.b, "%s", ""); /* an empty result is still a string */
	if (kind == PL_GAME_OUT_TEXT) {
		pl__sb_printf(&f.b,
			      "game: \"%s\" (%s, %d players)\nsha256 %s\n"
			      "solver: %s (%s), parley %s\n",
			      g->title, g->kind == PL__TREE ? "tree" : "table", g->n, g->hash,
			      s->solver, s->exact ? "exact rational arithmetic" : "floating point",
			      pl_version());
		if (s->note)
			pl__sb_printf(&f.b, "note: %s\n", s->note);
		pl__sb_printf(&f.b, "equilibria: %zu\n", s->count);
		outcome_summary(&f, s);
	} else if (kind == PL_GAME_OUT_JSON) {
		pl__sb_printf(&f.b,
			      "{\"engine\": \"game/%s\", \"parley_version\": \"%s\", "
			      "\"exact\": %s, \"tolerance\": %g, \"input_sha256\": \"%s\", "
			      "\"title\": ",
			      s->solver, pl_version(), s->exact ? "true" : "false", s->tol,
			      g->hash);
		pl__sb_json_str(&f.b, g->title);
		pl__sb_printf(&f.b, ",\n \"note\": ");
		pl__sb_json_str(&f.b, s->note ? s->note : "");
		pl__sb_printf(&f.b, ",\n \"equilibria\": [\n");
	} else if (kind == PL_GAME_OUT_CSV) {
		pl__sb_printf(&f.b, "equilibrium,section,player,where,item,value\n");
	} else if (kind != PL_GAME_OUT_GAMBIT) {
		return pl_error_set(err, PL_EINPUT, NULL, "unknown output format %d", (int)kind);
	}
	for (size_t k = 0; k < s->count && !f.b.oom; k++)
		one(&f, s, k);
	if (kind == PL_GAME_OUT_JSON)
		pl__sb_printf(&f.b, " ]}\n");
	if (kind == PL_GAME_OUT_TEXT && !f.b.oom) { /* for a terminal: 80 columns */
		pl_strbuf w = {0};
		pl__sb_printf(&w, "%s", "");
		pl__sb_add_wrapped(&w, f.b.s, 80);
		free(f.b.s);
		f.b = w;
	}
	if (f.b.oom || !f.b.s) {
		free(f.b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory formatting the solution");
	}
	*out = f.b.s;
	return PL_OK;
}

static void info_tree(pl_strbuf *b, const pl_game *g, int json)
{
	int nt = 0, nc = 0, np = 0;
	for (int x = 0; x < g->nnode; x++) {
		nt += g->node[x].type == PL__TERMINAL;
		nc += g->node[x].type == PL__CHANCE;
		np += g->node[x].type == PL__PERSONAL;
	}
	int recall = pl__tree_perfect_recall(g);
	if (json)
		pl__sb_printf(b,
			      ", \"nodes\": %d, \"terminal\": %d, \"chance\": %d, "
			      "\"personal\": %d, \"perfect_recall\": %s, \"infosets\": [",
			      g->nnode, nt, nc, np, recall ? "true" : "false");
	else
		pl__sb_printf(b,
			      "nodes: %d (%d terminal, %d chance, %d personal)\n"
			      "perfect recall: %s\ninformation sets:",
			      g->nnode, nt, nc, np, recall ? "yes" : "no");
	for (int p = 0; p < g->n; p++)
		pl__sb_printf(b, "%s%d", p ? ", " : (json ? "" : " "), g->ninfo_pl[p]);
	pl__sb_puts(b, json ? "]" : " (per player)\n");
	int proper = 0;
	for (int x = 1; x < g->nnode; x++)
		proper += g->node[x].infoset >= 0 && pl__tree_is_subgame_root(g, x);
	pl__sb_printf(b, json ? ", \"proper_subgames\": %d" : "proper subgames: %d\n", proper);
}

int pl_game_info_string(const pl_game *g, pl_game_output kind, char **out, pl_error *err)
{
	*out = NULL;
	pl_strbuf b = {0};
	int json = kind == PL_GAME_OUT_JSON;
	if (json) {
		pl__sb_printf(&b, "{\"title\": ");
		pl__sb_json_str(&b, g->title);
		pl__sb_printf(&b, ", \"type\": \"%s\", \"players\": [",
			      g->kind == PL__TREE ? "tree" : "table");
	} else {
		pl__sb_printf(&b, "title: %s\ntype: %s\nplayers: %d:", g->title,
			      g->kind == PL__TREE ? "extensive form (tree)"
						  : "strategic form (table)",
			      g->n);
	}
	for (int p = 0; p < g->n; p++) {
		pl__sb_printf(&b, json ? (p ? ", " : "") : " ");
		if (json)
			pl__sb_json_str(&b, g->player[p]);
		else
			pl__sb_gambit_str(&b, g->player[p]);
	}
	pl__sb_printf(&b, json ? "]" : "\n");
	pl_game *t = NULL;
	pl_error e2 = {0};
	if (g->kind == PL__TREE) {
		info_tree(&b, g, json);
		if (pl__tree_to_table(g, &t, &e2) == PL_ENOMEM)
			b.oom = 1;
	}
	const pl_game *tb = g->kind == PL__TREE ? t : g;
	pl__sb_printf(&b, json ? ", \"outcomes\": %d, \"strategies\": [" : "outcomes: %d\n%s",
		      g->noutc, json ? "" : "strategic form: ");
	if (tb) {
		for (int p = 0; p < tb->n; p++)
			pl__sb_printf(&b, "%s%d", p ? (json ? ", " : " x ") : "", tb->nstrat[p]);
		if (json)
			pl__sb_printf(&b, "], \"cells\": %ld", tb->ncell);
		else
			pl__sb_printf(&b, " strategies (%ld cells)\n", tb->ncell);
	} else if (json) {
		pl__sb_printf(&b, "], \"cells\": null");
	} else {
		pl__sb_printf(&b, "too large to build (%s)\n", e2.message);
	}
	if (json)
		pl__sb_printf(&b, "}\n");
	pl_game_free(t);
	if (!json && !b.oom) { /* for a terminal: 80 columns */
		pl_strbuf w = {0};
		pl__sb_printf(&w, "%s", "");
		pl__sb_add_wrapped(&w, b.s, 80);
		free(b.s);
		b = w;
	}
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	*out = b.s;
	return PL_OK;
}
