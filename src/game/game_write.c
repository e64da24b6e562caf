/* game_write.c - writers for .efg, .nfg and parley's JSON form of a game,
 * the file writer, and `game info`.
 *
 * Numbers are written as exact rationals ("1/3"), labels quoted with \" and
 * \\ escapes, so reading a written file gives the same game back. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "game_internal.h"
#include "parley/io.h"

void pl__sb_gambit_str(pl_strbuf *b, const char *s)
{
	pl__sb_puts(b, "\"");
	while (*s) {
		size_t run = strcspn(s, "\"\\");
		pl__sb_add(b, s, run);
		s += run;
		if (*s) {
			char esc[2] = {'\\', *s++};
			pl__sb_add(b, esc, 2);
		}
	}
	pl__sb_puts(b, "\"");
}

/* A JSON string: quotes, backslashes and control characters escaped. */
void pl__sb_json_str(pl_strbuf *b, const char *s)
{
	pl__sb_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			pl__sb_printf(b, "\\%c", c);
		else if (c < 0x20)
			pl__sb_printf(b, "\\u%04x", c);
		else
			pl__sb_add(b, s, 1);
	}
	pl__sb_puts(b, "\"");
}

static void put_q(pl_strbuf *b, const mpq_t q)
{
	pl__sb_mpq(b, q);
}

static void put_players(pl_strbuf *b, const pl_game *g)
{
	pl__sb_puts(b, "{");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, " ");
		pl__sb_gambit_str(b, g->player[p]);
	}
	pl__sb_puts(b, " }");
}

static void put_outcome(pl_strbuf *b, const pl_game *g, int o, char *outc_done)
{
	if (o < 0) {
		pl__sb_puts(b, " 0");
		return;
	}
	pl__sb_printf(b, " %ld", g->outc[o].file_id);
	if (outc_done[o])
		return;
	outc_done[o] = 1;
	pl__sb_puts(b, " ");
	pl__sb_gambit_str(b, g->outc[o].label);
	pl__sb_puts(b, " {");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, p ? ", " : " ");
		put_q(b, g->outc[o].pay[p]);
	}
	pl__sb_puts(b, " }");
}

static void put_infoset(pl_strbuf *b, const pl__infoset *h, char *done, int hi)
{
	pl__sb_printf(b, " %ld", h->file_id);
	if (done[hi])
		return;
	done[hi] = 1;
	pl__sb_puts(b, " ");
	pl__sb_gambit_str(b, h->label);
	pl__sb_puts(b, " {");
	for (int a = 0; a < h->nact; a++) {
		pl__sb_puts(b, " ");
		pl__sb_gambit_str(b, h->act_label[a]);
		if (h->prob) {
			pl__sb_puts(b, " ");
			put_q(b, h->prob[a]);
		}
	}
	pl__sb_puts(b, " }");
}

static void write_efg(pl_strbuf *b, const pl_game *g)
{
	pl__sb_puts(b, "EFG 2 R ");
	pl__sb_gambit_str(b, g->title);
	pl__sb_puts(b, " ");
	put_players(b, g);
	pl__sb_puts(b, "\n");
	pl__sb_gambit_str(b, g->comment);
	pl__sb_puts(b, "\n\n");
	char *idone = pl__calloc((size_t)g->ninfo, 1);
	char *odone = pl__calloc((size_t)g->noutc, 1);
	if (!idone || !odone)
		b->oom = 1; /* the caller's check of b->oom reports it */
	for (int x = 0; !b->oom && x < g->nnode; x++) {
		const pl__node *nd = &g->node[x];
		pl__sb_printf(b, "%c ",
			      nd->type == PL__CHANCE	 ? 'c'
			      : nd->type == PL__PERSONAL ? 'p'
							 : 't');
		pl__sb_gambit_str(b, nd->label);
		if (nd->type == PL__PERSONAL)
			pl__sb_printf(b, " %d", g->info[nd->infoset].player);
		if (nd->infoset >= 0)
			put_infoset(b, &g->info[nd->infoset], idone, nd->infoset);
		put_outcome(b, g, nd->outcome, odone);
		pl__sb_puts(b, "\n");
	}
	free(idone);
	free(odone);
}

static void write_nfg_head(pl_strbuf *b, const pl_game *g)
{
	pl__sb_puts(b, "NFG 1 R ");
	pl__sb_gambit_str(b, g->title);
	pl__sb_puts(b, " ");
	put_players(b, g);
	pl__sb_puts(b, "\n\n{ ");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, "{");
		for (int s = 0; s < g->nstrat[p]; s++) {
			pl__sb_puts(b, " ");
			pl__sb_gambit_str(b, g->strat[p][s]);
		}
		pl__sb_puts(b, " }\n");
	}
	pl__sb_puts(b, "}\n");
	pl__sb_gambit_str(b, g->comment);
	pl__sb_puts(b, "\n\n");
}

static void write_nfg(pl_strbuf *b, const pl_game *g)
{
	write_nfg_head(b, g);
	if (g->payoff_variant) {
		for (long c = 0; c < g->ncell; c++) {
			for (int p = 0; p < g->n; p++) {
				pl__sb_puts(b, p || c ? " " : "");
				put_q(b, *pl__table_pay(g, c, p));
			}
		}
		pl__sb_puts(b, "\n");
		return;
	}
	pl__sb_puts(b, "{\n");
	for (int o = 0; o < g->noutc; o++) {
		if (g->outc[o].file_id == 0)
			continue; /* the null outcome is written as index 0 */
		pl__sb_puts(b, "{ ");
		pl__sb_gambit_str(b, g->outc[o].label);
		for (int p = 0; p < g->n; p++) {
			pl__sb_puts(b, p ? ", " : " ");
			put_q(b, g->outc[o].pay[p]);
		}
		pl__sb_puts(b, " }\n");
	}
	pl__sb_puts(b, "}\n");
	for (long c = 0; c < g->ncell; c++) {
		if (c)
			pl__sb_puts(b, " ");
		pl__sb_long(b, g->outc[g->cell[c]].file_id);
	}
	pl__sb_puts(b, "\n");
}

static void json_q(pl_strbuf *b, const mpq_t q)
{
	pl__sb_puts(b, "\"");
	put_q(b, q);
	pl__sb_puts(b, "\"");
}

static void json_outcome(pl_strbuf *b, const pl_game *g, int o)
{
	pl__sb_printf(b, "{\"number\": %ld, \"label\": ", g->outc[o].file_id);
	pl__sb_json_str(b, g->outc[o].label);
	pl__sb_puts(b, ", \"payoffs\": [");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, p ? ", " : "");
		json_q(b, g->outc[o].pay[p]);
	}
	pl__sb_puts(b, "]}");
}

static void json_node(pl_strbuf *b, const pl_game *g, int x)
{
	const pl__node *nd = &g->node[x];
	static const char *const type[] = {"terminal", "chance", "personal"};
	pl__sb_printf(b,
		      "    {\"id\": %d, \"parent\": %d, \"action\": %d, \"type\": \"%s\", "
		      "\"label\": ",
		      x, nd->parent, nd->parent < 0 ? -1 : nd->parent_act, type[nd->type]);
	pl__sb_json_str(b, nd->label);
	if (nd->infoset >= 0) {
		const pl__infoset *h = &g->info[nd->infoset];
		pl__sb_printf(b, ", \"player\": %d, \"infoset\": %d", h->player, nd->infoset);
	}
	if (nd->outcome >= 0) {
		pl__sb_puts(b, ", \"outcome\": ");
		json_outcome(b, g, nd->outcome);
	}
	pl__sb_puts(b, "}");
}

static void json_tree(pl_strbuf *b, const pl_game *g)
{
	pl__sb_puts(b, "  \"infosets\": [\n");
	for (int i = 0; i < g->ninfo; i++) {
		const pl__infoset *h = &g->info[i];
		pl__sb_printf(b, "    {\"id\": %d, \"player\": %d, \"number\": %ld, \"label\": ", i,
			      h->player, h->file_id);
		pl__sb_json_str(b, h->label);
		pl__sb_puts(b, ", \"actions\": [");
		for (int a = 0; a < h->nact; a++) {
			pl__sb_puts(b, a ? ", " : "");
			pl__sb_json_str(b, h->act_label[a]);
		}
		pl__sb_puts(b, "]");
		if (h->prob) {
			pl__sb_puts(b, ", \"probabilities\": [");
			for (int a = 0; a < h->nact; a++) {
				pl__sb_puts(b, a ? ", " : "");
				json_q(b, h->prob[a]);
			}
			pl__sb_puts(b, "]");
		}
		pl__sb_printf(b, "}%s\n", i + 1 < g->ninfo ? "," : "");
	}
	pl__sb_puts(b, "  ],\n  \"nodes\": [\n");
	for (int x = 0; x < g->nnode; x++) {
		json_node(b, g, x);
		pl__sb_printf(b, "%s\n", x + 1 < g->nnode ? "," : "");
	}
	pl__sb_puts(b, "  ]\n");
}

static void json_table(pl_strbuf *b, const pl_game *g)
{
	pl__sb_puts(b, "  \"strategies\": [");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, p ? ", [" : "[");
		for (int s = 0; s < g->nstrat[p]; s++) {
			pl__sb_puts(b, s ? ", " : "");
			pl__sb_json_str(b, g->strat[p][s]);
		}
		pl__sb_puts(b, "]");
	}
	pl__sb_puts(b, "],\n  \"cell_order\": \"player 1's strategy varies fastest\",\n");
	pl__sb_puts(b, "  \"payoffs\": [\n");
	for (long c = 0; c < g->ncell; c++) {
		pl__sb_puts(b, "    [");
		for (int p = 0; p < g->n; p++) {
			pl__sb_puts(b, p ? ", " : "");
			json_q(b, *pl__table_pay(g, c, p));
		}
		pl__sb_printf(b, "]%s\n", c + 1 < g->ncell ? "," : "");
	}
	pl__sb_puts(b, "  ]\n");
}

static void write_json(pl_strbuf *b, const pl_game *g)
{
	pl__sb_printf(b,
		      "{\n  \"format\": \"parley-game\",\n  \"version\": 1,\n  \"type\": \"%s\",\n"
		      "  \"title\": ",
		      g->kind == PL__TREE ? "tree" : "table");
	pl__sb_json_str(b, g->title);
	pl__sb_puts(b, ",\n  \"comment\": ");
	pl__sb_json_str(b, g->comment);
	pl__sb_puts(b, ",\n  \"players\": [");
	for (int p = 0; p < g->n; p++) {
		pl__sb_puts(b, p ? ", " : "");
		pl__sb_json_str(b, g->player[p]);
	}
	pl__sb_puts(b, "],\n");
	if (g->kind == PL__TREE)
		json_tree(b, g);
	else
		json_table(b, g);
	pl__sb_puts(b, "}\n");
}

int pl_game_write_string(const pl_game *g, pl_game_format fmt, char **out, pl_error *err)
{
	*out = NULL;
	pl_strbuf b = {0};
	pl_game *rsf = NULL;
	if (fmt == PL_GAME_EFG && g->kind != PL__TREE)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "a strategic-form game cannot be written as .efg");
	if (fmt == PL_GAME_NFG && g->kind == PL__TREE) {
		int rc = pl__tree_to_table(g, &rsf, err);
		if (rc)
			return rc;
		g = rsf;
	}
	if (fmt == PL_GAME_EFG)
		write_efg(&b, g);
	else if (fmt == PL_GAME_NFG)
		write_nfg(&b, g);
	else if (fmt == PL_GAME_JSON)
		write_json(&b, g);
	else
		return pl_error_set(err, PL_EINPUT, NULL, "unknown game format %d", (int)fmt);
	pl_game_free(rsf);
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the game");
	}
	*out = b.s;
	return PL_OK;
}

int pl_game_write_file(const pl_game *g, pl_game_format fmt, const char *path, pl_error *err)
{
	char *text;
	int rc = pl_game_write_string(g, fmt, &text, err);
	if (rc)
		return rc;
	rc = pl_write_file_atomic(path, text, strlen(text), err);
	free(text);
	return rc;
}
