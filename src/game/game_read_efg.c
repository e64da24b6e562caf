/* game_read_efg.c - builds an extensive-form tree from a Gambit .efg
 * (version 2) file: nodes in prefix order, information sets and outcomes
 * defined at their first use and checked at every repeat.  The tree is read
 * iteratively, so a deep file cannot exhaust the stack. */
#include <stdlib.h>
#include <string.h>

#include "game_read.h"

static int find_outcome(const pl__reader *r, long id)
{
	return pl__idmap_get(&r->ids, pl__idmap_key(1, 0, id));
}

/* { x [,] y [,] ... } with one number per player, into pay. */
static int read_payoffs(pl__reader *r, mpq_t *pay)
{
	if (pl__rd_expect_next(r, PL__TOK_LBRACE, "'{' opening the payoffs"))
		return PL_EINPUT;
	pl__rd_next(r);
	return pl__rd_payoff_list(r, pay, "a payoff for every player");
}

/* The outcome part of a node: a number, then optionally "label" { payoffs }.
 * The first definition of an outcome number fixes it; a repeated definition
 * must match it exactly. */
static int read_node_outcome(pl__reader *r, int *out)
{
	long id;
	if (pl__rd_int(r, "the outcome number", 0, &id))
		return PL_EINPUT;
	int line = r->lx.tok_line;
	pl__rd_next(r);
	*out = -1;
	if (r->lx.tok != PL__TOK_TEXT) {
		if (id == 0 || r->lx.tok == PL__TOK_ERROR)
			return r->lx.tok == PL__TOK_ERROR ? PL_EINPUT : 0;
		if ((*out = find_outcome(r, id)) < 0) {
			r->lx.tok_line = line; /* point at the number, not the next token */
			return pl__lex_fail(&r->lx, "outcome %ld is used before it is defined", id);
		}
		return 0;
	}
	if (id == 0)
		return pl__lex_fail(&r->lx, "the null outcome 0 cannot have a label or payoffs");
	char *label = pl__strdup(r->lx.text);
	mpq_t *pay = pl__mpq_vec((size_t)r->g->n);
	int rc = !label || !pay ? pl__lex_nomem(&r->lx) : read_payoffs(r, pay);
	int o = rc ? -1 : find_outcome(r, id), cur = r->lx.tok_line;
	r->lx.tok_line = line; /* a mismatch is reported at the outcome's number */
	if (!rc && o >= 0) {
		if (strcmp(r->g->outc[o].label, label) != 0)
			rc = pl__lex_fail(&r->lx,
					  "outcome %ld: label \"%s\" differs from its "
					  "first definition \"%s\"",
					  id, label, r->g->outc[o].label);
		for (int p = 0; !rc && p < r->g->n; p++)
			if (!mpq_equal(pay[p], r->g->outc[o].pay[p]))
				rc = pl__lex_fail(&r->lx,
						  "outcome %ld: payoff of player %d "
						  "differs from its first definition",
						  id, p + 1);
	} else if (!rc) {
		o = pl__rd_new_outcome(r, id, label);
		if (o < 0)
			rc = o;
		else if (pl__idmap_put(&r->ids, pl__idmap_key(1, 0, id), o))
			rc = pl__lex_nomem(&r->lx);
		for (int p = 0; !rc && p < r->g->n; p++)
			mpq_set(r->g->outc[o].pay[p], pay[p]);
	}
	if (!rc)
		r->lx.tok_line = cur;
	*out = o;
	free(label);
	pl__mpq_vec_free(pay, (size_t)r->g->n);
	return rc;
}

static int find_infoset(const pl__reader *r, int player, long id)
{
	return pl__idmap_get(&r->ids, pl__idmap_key(2, player, id));
}

typedef struct isdef {
	char *label;
	int nact, cap;
	char **act;
	mpq_t *prob;
} isdef;

static void isdef_free(isdef *d)
{
	free(d->label);
	for (int i = 0; i < d->nact; i++)
		free(d->act[i]);
	free(d->act);
	if (d->prob)
		pl__mpq_vec_free(d->prob, (size_t)d->cap);
}

/* "label" { "a" [p] "b" [p] ... } ; chance actions carry probabilities. */
static int read_isdef(pl__reader *r, int chance, isdef *d)
{
	if (!(d->label = pl__strdup(r->lx.text)))
		return pl__lex_nomem(&r->lx);
	if (pl__rd_expect_next(r, PL__TOK_LBRACE, "'{' opening the list of actions"))
		return PL_EINPUT;
	pl__rd_next(r);
	do {
		if (pl__rd_expect(r, PL__TOK_TEXT, "a quoted action label"))
			return PL_EINPUT;
		if (d->nact == d->cap) {
			int cap = d->cap ? d->cap * 2 : 4;
			char **t = realloc(d->act, (size_t)cap * sizeof *t);
			if (!t)
				return pl__lex_nomem(&r->lx);
			d->act = t;
			if (chance) {
				mpq_t *q = pl__mpq_vec((size_t)cap);
				if (!q)
					return pl__lex_nomem(&r->lx);
				for (int i = 0; i < d->cap; i++)
					mpq_set(q[i], d->prob[i]);
				if (d->prob)
					pl__mpq_vec_free(d->prob, (size_t)d->cap);
				d->prob = q;
			}
			d->cap = cap;
		}
		if (!(d->act[d->nact] = pl__strdup(r->lx.text)))
			return pl__lex_nomem(&r->lx);
		if (chance) {
			pl__rd_next(r);
			if (pl__rd_number(r, "an action probability", d->prob[d->nact])) {
				d->nact++;
				return PL_EINPUT;
			}
		}
		d->nact++;
		pl__rd_next(r);
	} while (r->lx.tok != PL__TOK_RBRACE && r->lx.tok != PL__TOK_ERROR);
	if (r->lx.tok == PL__TOK_ERROR)
		return PL_EINPUT;
	pl__rd_next(r);
	return 0;
}

static int check_chance_probs(pl__reader *r, const isdef *d, long id)
{
	mpq_t sum;
	mpq_init(sum);
	int rc = 0;
	for (int i = 0; i < d->nact && !rc; i++) {
		if (mpq_sgn(d->prob[i]) < 0)
			rc = pl__lex_fail(&r->lx,
					  "chance information set %ld: probability of "
					  "action %d is negative",
					  id, i + 1);
		mpq_add(sum, sum, d->prob[i]);
	}
	if (!rc && mpq_cmp_ui(sum, 1, 1) != 0) {
		char *s = pl__mpq_str(sum);
		rc = pl__lex_fail(&r->lx,
				  "chance information set %ld: probabilities sum to %s, "
				  "not exactly 1",
				  id, s);
		free(s);
	}
	mpq_clear(sum);
	return rc;
}

static int check_repeat(pl__reader *r, const pl__infoset *h, const isdef *d, long id)
{
	if (strcmp(h->label, d->label) != 0)
		return pl__lex_fail(&r->lx,
				    "information set %ld of player %d: label \"%s\" differs "
				    "from its first definition \"%s\"",
				    id, h->player, d->label, h->label);
	if (h->nact != d->nact)
		return pl__lex_fail(&r->lx,
				    "information set %ld of player %d: %d actions here, %d "
				    "in its first definition",
				    id, h->player, d->nact, h->nact);
	for (int i = 0; i < d->nact; i++) {
		if (strcmp(h->act_label[i], d->act[i]) != 0)
			return pl__lex_fail(&r->lx,
					    "information set %ld of player %d: action %d is "
					    "\"%s\" here, \"%s\" in its first definition",
					    id, h->player, i + 1, d->act[i], h->act_label[i]);
		if (h->prob && !mpq_equal(h->prob[i], d->prob[i]))
			return pl__lex_fail(&r->lx,
					    "chance information set %ld: probability of "
					    "action %d differs from its first definition",
					    id, i + 1);
	}
	return 0;
}

/* Moves the definition d into a new information set; its index, or
 * PL_ENOMEM (d then still owns what it held). */
static int new_infoset(pl__reader *r, int player, long id, isdef *d)
{
	pl_game *g = r->g;
	mpq_t *prob = player == 0 ? pl__mpq_vec((size_t)d->nact) : NULL;
	if ((player == 0 && !prob) ||
	    pl__rd_grow((void **)&g->info, &r->cap_info, g->ninfo + 1, sizeof *g->info) ||
	    pl__idmap_put(&r->ids, pl__idmap_key(2, player, id), g->ninfo)) {
		pl__mpq_vec_free(prob, (size_t)d->nact);
		return pl__lex_nomem(&r->lx);
	}
	pl__infoset *h = &g->info[g->ninfo];
	h->player = player;
	h->file_id = id;
	h->label = d->label;
	h->nact = d->nact;
	h->act_label = d->act;
	if (player == 0) {
		h->prob = prob;
		for (int i = 0; i < d->nact; i++)
			mpq_set(h->prob[i], d->prob[i]);
		pl__mpq_vec_free(d->prob, (size_t)d->cap);
	}
	memset(d, 0, sizeof *d);
	return g->ninfo++;
}

/* The information-set part of a chance or personal node. */
static int read_node_infoset(pl__reader *r, int player, int *out)
{
	long id;
	if (pl__rd_int(r, "the information set number", 0, &id))
		return PL_EINPUT;
	int h = find_infoset(r, player, id), line = r->lx.tok_line;
	pl__rd_next(r);
	if (r->lx.tok != PL__TOK_TEXT) {
		if (h < 0 && r->lx.tok != PL__TOK_ERROR)
			r->lx.tok_line = line;
		if (h < 0)
			return r->lx.tok == PL__TOK_ERROR
				       ? PL_EINPUT
				       : pl__lex_fail(&r->lx,
						      "information set %ld of %s %d is used "
						      "before it is defined",
						      id, player ? "player" : "chance", player);
		*out = h;
		return 0;
	}
	isdef d = {0};
	int rc = read_isdef(r, player == 0, &d), cur = r->lx.tok_line;
	r->lx.tok_line = line; /* a bad definition is reported at the set's number */
	if (!rc && player == 0 && h < 0)
		rc = check_chance_probs(r, &d, id);
	if (!rc && h >= 0)
		rc = check_repeat(r, &r->g->info[h], &d, id);
	if (!rc && h < 0 && (h = new_infoset(r, player, id, &d)) < 0)
		rc = h;
	if (!rc)
		r->lx.tok_line = cur;
	isdef_free(&d);
	*out = h;
	return rc;
}

/* Reads one node (the current token is its type); returns its index via
 * *out and leaves the token after it current. */
static int read_node(pl__reader *r, int parent, int act, int *out)
{
	pl_game *g = r->g;
	if (r->lx.tok == PL__TOK_EOF)
		return pl__lex_fail(&r->lx, "the tree ends early: a node is missing");
	if (r->lx.tok != PL__TOK_SYMBOL || strlen(r->lx.text) != 1 || !strchr("cpt", r->lx.text[0]))
		return r->lx.tok == PL__TOK_ERROR
			       ? PL_EINPUT
			       : pl__lex_fail(&r->lx, "expected a node type c, p or t, found '%s'",
					      r->lx.text);
	char type = r->lx.text[0];
	if (pl__rd_grow((void **)&g->node, &r->cap_node, g->nnode + 1, sizeof *g->node))
		return pl__lex_nomem(&r->lx);
	int x = g->nnode++;
	pl__node *nd = &g->node[x];
	nd->type = type == 'c' ? PL__CHANCE : type == 'p' ? PL__PERSONAL : PL__TERMINAL;
	nd->parent = parent;
	nd->parent_act = act;
	nd->infoset = -1;
	nd->outcome = -1;
	if (pl__rd_expect_next(r, PL__TOK_TEXT, "the node label in quotes"))
		return PL_EINPUT;
	if (!(nd->label = pl__strdup(r->lx.text)))
		return pl__lex_nomem(&r->lx);
	pl__rd_next(r);
	int rc = 0, player = 0, h = -1, o = -1;
	if (type == 'p') {
		long pl;
		if (pl__rd_int(r, "the player number", 1, &pl))
			return PL_EINPUT;
		if (pl > g->n)
			return pl__lex_fail(&r->lx, "player %ld does not exist (the game has %d)",
					    pl, g->n);
		player = (int)pl;
		pl__rd_next(r);
	}
	if (type != 't')
		rc = read_node_infoset(r, player, &h);
	if (!rc)
		rc = read_node_outcome(r, &o);
	nd = &g->node[x];
	nd->infoset = h;
	nd->outcome = o;
	if (!rc && h >= 0) {
		int k = g->info[h].nact;
		if (pl__rd_grow((void **)&g->child, &r->cap_child, r->nchild + k, sizeof(int)))
			return pl__lex_nomem(&r->lx);
		nd->child_off = r->nchild;
		r->nchild += k;
	}
	*out = x;
	return rc;
}

typedef struct frame {
	int node, next;
} frame;

static int read_tree(pl__reader *r)
{
	int cap = 64, top = 0, x, rc;
	frame *st = pl__calloc((size_t)cap, sizeof *st);
	if (!st)
		return pl__lex_nomem(&r->lx);
	rc = read_node(r, -1, 0, &x);
	if (!rc && r->g->node[x].infoset >= 0)
		st[top++] = (frame){x, 0};
	while (!rc && top > 0) {
		frame *f = &st[top - 1];
		const pl__node *nd = &r->g->node[f->node];
		if (f->next == r->g->info[nd->infoset].nact) {
			top--;
			continue;
		}
		int parent = f->node, act = f->next++;
		rc = read_node(r, parent, act, &x);
		if (rc)
			break;
		r->g->child[r->g->node[parent].child_off + act] = x;
		if (r->g->node[x].infoset >= 0) {
			if (top == cap) {
				cap *= 2;
				frame *t = realloc(st, (size_t)cap * sizeof *st);
				if (!t) {
					rc = pl__lex_nomem(&r->lx);
					break;
				}
				st = t;
			}
			st[top++] = (frame){x, 0};
		}
	}
	free(st);
	if (!rc && r->lx.tok != PL__TOK_EOF)
		rc = pl__lex_fail(&r->lx, "unexpected %s '%s' after the end of the tree",
				  pl__tok_name(r->lx.tok), r->lx.text);
	return rc;
}

int pl__read_efg(pl__reader *r)
{
	if (pl__rd_header(r, "EFG", "2") || pl__rd_players(r))
		return PL_EINPUT;
	if (r->lx.tok == PL__TOK_TEXT) {
		char *comment = pl__strdup(r->lx.text);
		if (!comment)
			return pl__lex_nomem(&r->lx);
		free(r->g->comment);
		r->g->comment = comment;
		pl__rd_next(r);
	}
	int rc = read_tree(r);
	pl__idmap_free(&r->ids);
	if (rc)
		return PL_EINPUT;
	if (pl__tree_finish(r->g))
		return pl__lex_nomem(&r->lx);
	return 0;
}
