/* game_json.c - reads parley's JSON form of a game (the form `parley game
 * convert --to json` writes), so that games can be converted back to .efg
 * and .nfg.  Errors name the JSON path and the rule broken.  Numbers are
 * integers or strings in Gambit's syntax ("1/3", "0.25"); JSON reals are
 * refused because they are not exact. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_read.h"

typedef struct jr {
	const char *name;
	pl_error *err;
	pl_game *g;
	pl__idmap ids;	   /* outcomes by number, so a repeated number is one outcome */
	long next_outcome; /* the number of the next outcome given none */
} jr;

/* An error at a JSON path of the file. */
#define fail(r, path, ...) pl__fail_at((r)->err, (r)->name, path, PL__NO_LINE, __VA_ARGS__)

static int get_number(jr *r, json_t *v, const char *path, mpq_t out)
{
	if (json_is_integer(v)) {
		char buf[32];
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
		pl__parse_number(buf, out);
		return 0;
	}
	if (json_is_string(v) && pl__parse_number(json_string_value(v), out) == 0)
		return 0;
	if (json_is_real(v))
		return fail(r, path,
			    "write a non-integer number as a string (\"1/3\", \"0.25\"): "
			    "a JSON real is not exact");
	return fail(r, path, "expected a number (an integer or a string such as \"1/3\")");
}

static const char *get_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static int players(jr *r, json_t *root)
{
	json_t *pl = json_object_get(root, "players");
	if (!json_is_array(pl) || json_array_size(pl) == 0 || json_array_size(pl) > 1000)
		return fail(r, "$.players", "expected an array of 1 to 1000 player names");
	if (pl__game_set_players(r->g, (int)json_array_size(pl)))
		return pl__nomem(r->err);
	for (size_t k = 0; k < json_array_size(pl); k++) {
		json_t *v = json_array_get(pl, k);
		r->g->player[k] = pl__strdup(json_is_string(v) ? json_string_value(v) : "");
		if (!r->g->player[k])
			return pl__nomem(r->err);
		if (!json_is_string(v)) {
			char path[64];
			snprintf(path, sizeof path, "$.players[%zu]", k);
			return fail(r, path, "expected a string");
		}
	}
	return 0;
}

/* A file number ("number": 1..10^9) or 0 when the object has none. */
static int get_file_number(jr *r, json_t *obj, const char *path, long *out)
{
	json_t *v = json_object_get(obj, "number");
	*out = 0;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000)
		return fail(r, path, "\"number\" must be an integer from 1 to 1000000000");
	*out = (long)json_integer_value(v);
	return 0;
}

/* A repeated outcome number must repeat its label and payoffs, as in .efg. */
static int same_outcome(jr *r, const pl__outcome *a, const pl__outcome *b, const char *path)
{
	if (strcmp(a->label, b->label) != 0)
		return fail(r, path,
			    "outcome %ld: label \"%s\" differs from its first "
			    "definition \"%s\"",
			    b->file_id, b->label, a->label);
	for (int p = 0; p < r->g->n; p++)
		if (!mpq_equal(a->pay[p], b->pay[p]))
			return fail(r, path,
				    "outcome %ld: payoff of player %d differs from its first "
				    "definition",
				    b->file_id, p + 1);
	return 0;
}

/* Reads an outcome into the next free slot; an outcome whose number was
 * seen before is checked against it and shares its slot. */
static int outcome(jr *r, json_t *o, const char *path, int *out)
{
	pl_game *g = r->g;
	json_t *pay = json_object_get(o, "payoffs");
	if (!json_is_object(o) || !json_is_array(pay) || json_array_size(pay) != (size_t)g->n)
		return fail(r, path, "expected {\"label\": ..., \"payoffs\": [one per player]}");
	long num;
	if (get_file_number(r, o, path, &num))
		return PL_EINPUT;
	pl__outcome *oc = &g->outc[g->noutc];
	const char *label = get_string(o, "label");
	oc->label = pl__strdup(label ? label : "");
	oc->file_id = num ? num : r->next_outcome++;
	oc->pay = pl__mpq_vec((size_t)g->n);
	*out = g->noutc++;
	if (!oc->label || !oc->pay)
		return pl__nomem(r->err);
	for (int p = 0; p < g->n; p++) {
		char sub[128];
		snprintf(sub, sizeof sub, "%s.payoffs[%d]", path, p);
		if (get_number(r, json_array_get(pay, (size_t)p), sub, oc->pay[p]))
			return PL_EINPUT;
	}
	if (!num)
		return 0;
	int first = pl__idmap_get(&r->ids, pl__idmap_key(1, 0, num));
	if (first < 0)
		return pl__idmap_put(&r->ids, pl__idmap_key(1, 0, num), *out) ? pl__nomem(r->err)
									       : 0;
	int rc = same_outcome(r, &g->outc[first], oc, path);
	g->noutc--; /* the repeat was only needed for the comparison */
	free(oc->label);
	pl__mpq_vec_free(oc->pay, (size_t)g->n);
	memset(oc, 0, sizeof *oc);
	*out = first;
	return rc;
}

/* Unnumbered outcomes are numbered after the largest number given. */
static void first_free_outcome(jr *r, json_t *nodes)
{
	long max = 0;
	for (size_t k = 0; k < json_array_size(nodes); k++) {
		json_t *n = json_object_get(json_object_get(json_array_get(nodes, k), "outcome"),
					    "number");
		if (json_is_integer(n) && json_integer_value(n) > max &&
		    json_integer_value(n) <= 1000000000)
			max = (long)json_integer_value(n);
	}
	r->next_outcome = max + 1;
}

/* Numbers each information set: its "number" if given, else Gambit's
 * convention, 1, 2, ... per player in order, after the largest number given
 * to that player.  A (player, number) pair names one set. */
static int number_infosets(jr *r, json_t *arr)
{
	pl_game *g = r->g;
	long *next = pl__calloc((size_t)g->n + 1, sizeof *next);
	if (!next)
		return pl__nomem(r->err);
	int rc = 0;
	for (int k = 0; k < g->ninfo; k++) {
		json_t *v = json_object_get(json_array_get(arr, (size_t)k), "number");
		int p = g->info[k].player;
		if (json_is_integer(v) && json_integer_value(v) > next[p])
			next[p] = (long)json_integer_value(v);
	}
	for (int k = 0; k < g->ninfo && !rc; k++) {
		pl__infoset *h = &g->info[k];
		char path[64];
		snprintf(path, sizeof path, "$.infosets[%d]", k);
		rc = get_file_number(r, json_array_get(arr, (size_t)k), path, &h->file_id);
		if (!rc && !h->file_id)
			h->file_id = ++next[h->player];
		long long key = pl__idmap_key(2, h->player, h->file_id);
		int other = rc ? -1 : pl__idmap_get(&r->ids, key);
		if (other >= 0)
			rc = fail(r, path, "information set %ld of %s %d is also $.infosets[%d]",
				  h->file_id, h->player ? "player" : "chance", h->player, other);
		else if (!rc && pl__idmap_put(&r->ids, key, k))
			rc = pl__nomem(r->err);
	}
	free(next);
	return rc;
}

static int infosets(jr *r, json_t *arr)
{
	pl_game *g = r->g;
	if (!(g->info = pl__calloc(json_array_size(arr), sizeof *g->info)))
		return pl__nomem(r->err);
	for (size_t k = 0; k < json_array_size(arr); k++) {
		json_t *h = json_array_get(arr, k), *acts = json_object_get(h, "actions");
		json_t *pr = json_object_get(h, "probabilities");
		char path[64];
		snprintf(path, sizeof path, "$.infosets[%zu]", k);
		json_int_t pl = json_integer_value(json_object_get(h, "player"));
		if (!json_is_object(h) || !json_is_integer(json_object_get(h, "player")) ||
		    pl < 0 || pl > g->n || !json_is_array(acts) || json_array_size(acts) == 0)
			return fail(r, path, "expected {\"player\": 0..%d, \"actions\": [...]}",
				    g->n);
		pl__infoset *is = &g->info[g->ninfo++];
		const char *label = get_string(h, "label");
		is->player = (int)pl;
		is->label = pl__strdup(label ? label : "");
		is->act_label = pl__calloc(json_array_size(acts), sizeof(char *));
		if (!is->label || !is->act_label)
			return pl__nomem(r->err);
		is->nact = (int)json_array_size(acts);
		for (int a = 0; a < is->nact; a++) {
			json_t *v = json_array_get(acts, (size_t)a);
			is->act_label[a] =
				pl__strdup(json_is_string(v) ? json_string_value(v) : "");
			if (!is->act_label[a])
				return pl__nomem(r->err);
		}
		if (pl != 0)
			continue;
		if (!json_is_array(pr) || json_array_size(pr) != (size_t)is->nact)
			return fail(r, path,
				    "a chance information set needs one probability per "
				    "action");
		if (!(is->prob = pl__mpq_vec((size_t)is->nact)))
			return pl__nomem(r->err);
		mpq_t sum;
		mpq_init(sum);
		int rc = 0;
		for (int a = 0; a < is->nact && !rc; a++) {
			char sub[96];
			snprintf(sub, sizeof sub, "%s.probabilities[%d]", path, a);
			rc = get_number(r, json_array_get(pr, (size_t)a), sub, is->prob[a]);
			if (!rc && mpq_sgn(is->prob[a]) < 0)
				rc = fail(r, sub, "a probability cannot be negative");
			mpq_add(sum, sum, is->prob[a]);
		}
		if (!rc && mpq_cmp_ui(sum, 1, 1) != 0)
			rc = fail(r, path, "the probabilities do not sum to exactly 1");
		mpq_clear(sum);
		if (rc)
			return rc;
	}
	return number_infosets(r, arr);
}

/* Nodes must come in prefix order: each one is the next child of the
 * deepest node whose children are not all listed yet. */
static int nodes(jr *r, json_t *arr)
{
	pl_game *g = r->g;
	size_t nn = json_array_size(arr);
	if (nn == 0)
		return fail(r, "$.nodes", "expected a non-empty array of nodes");
	g->node = pl__calloc(nn, sizeof *g->node);
	g->outc = pl__calloc(nn, sizeof *g->outc);
	g->child = pl__calloc(nn, sizeof(int));
	int *stack = pl__calloc(nn, sizeof(int)), *next = pl__calloc(nn, sizeof(int));
	int top = 0, nchild = 0, rc = 0;
	if (!g->node || !g->outc || !g->child || !stack || !next)
		rc = pl__nomem(r->err);
	for (size_t k = 0; k < nn && !rc; k++) {
		json_t *v = json_array_get(arr, k);
		char path[64];
		snprintf(path, sizeof path, "$.nodes[%zu]", k);
		pl__node *nd = &g->node[g->nnode++];
		const char *label = get_string(v, "label");
		nd->outcome = -1;
		nd->infoset = -1;
		if (!(nd->label = pl__strdup(label ? label : ""))) {
			rc = pl__nomem(r->err);
			break;
		}
		json_t *par = json_object_get(v, "parent"), *act = json_object_get(v, "action");
		int want_parent = top ? stack[top - 1] : -1;
		if (!json_is_object(v) || !json_is_integer(par) ||
		    json_integer_value(par) != want_parent ||
		    (want_parent >= 0 &&
		     (!json_is_integer(act) || json_integer_value(act) != next[top - 1]))) {
			rc = fail(r, path,
				  "nodes must be listed in prefix order: expected parent %d "
				  "and action %d here",
				  want_parent, top ? next[top - 1] : -1);
			break;
		}
		nd->parent = want_parent;
		nd->parent_act = want_parent >= 0 ? next[top - 1] : 0;
		if (want_parent >= 0) {
			g->child[g->node[want_parent].child_off + next[top - 1]] = (int)k;
			if (++next[top - 1] == g->info[g->node[want_parent].infoset].nact)
				top--;
		}
		json_t *o = json_object_get(v, "outcome");
		if (o) {
			char sub[80];
			snprintf(sub, sizeof sub, "%s.outcome", path);
			rc = outcome(r, o, sub, &nd->outcome);
		}
		const char *type = get_string(v, "type");
		if (rc || !type || strcmp(type, "terminal") == 0) {
			nd->type = PL__TERMINAL;
			if (!rc && !type)
				rc = fail(r, path,
					  "expected \"type\": terminal, chance or personal");
			continue;
		}
		json_int_t hi = json_integer_value(json_object_get(v, "infoset"));
		if (!json_is_integer(json_object_get(v, "infoset")) || hi < 0 || hi >= g->ninfo) {
			rc = fail(r, path, "\"infoset\" must be an index into $.infosets");
			break;
		}
		int chance = strcmp(type, "chance") == 0;
		if ((!chance && strcmp(type, "personal") != 0) ||
		    (chance != (g->info[hi].player == 0))) {
			rc = fail(r, path,
				  "the type must be chance for a chance information set and "
				  "personal for a player's");
			break;
		}
		nd->type = chance ? PL__CHANCE : PL__PERSONAL;
		nd->infoset = (int)hi;
		nd->child_off = nchild;
		nchild += g->info[hi].nact;
		if (nchild > (int)nn) {
			rc = fail(r, path, "more children than nodes listed");
			break;
		}
		stack[top] = (int)k;
		next[top++] = 0;
	}
	if (!rc && top)
		rc = fail(r, "$.nodes", "the tree ends early: node %d lacks children",
			  stack[top - 1]);
	free(stack);
	free(next);
	return rc;
}

static int table(jr *r, json_t *root)
{
	pl_game *g = r->g;
	json_t *st = json_object_get(root, "strategies"), *pay = json_object_get(root, "payoffs");
	if (!json_is_array(st) || json_array_size(st) != (size_t)g->n)
		return fail(r, "$.strategies", "expected one array of strategy labels per player");
	g->nstrat = pl__calloc((size_t)g->n, sizeof(int));
	g->strat = pl__calloc((size_t)g->n, sizeof(char **));
	if (!g->nstrat || !g->strat)
		return pl__nomem(r->err);
	long cells = 1;
	for (int p = 0; p < g->n; p++) {
		json_t *s = json_array_get(st, (size_t)p);
		size_t k = json_is_array(s) ? json_array_size(s) : 0;
		if (k == 0 || k > PL__MAX_STRATS || cells > PL__MAX_CELLS / (long)k)
			return fail(r, "$.strategies",
				    "player %d: 1 to %d strategies, and at most "
				    "%ld cells in all",
				    p + 1, PL__MAX_STRATS, PL__MAX_CELLS);
		cells *= (long)k;
		if (!(g->strat[p] = pl__calloc(k, sizeof(char *))))
			return pl__nomem(r->err);
		g->nstrat[p] = (int)k;
		for (size_t j = 0; j < k; j++) {
			json_t *v = json_array_get(s, j);
			g->strat[p][j] = pl__strdup(json_is_string(v) ? json_string_value(v) : "");
			if (!g->strat[p][j])
				return pl__nomem(r->err);
		}
	}
	if (!json_is_array(pay) || json_array_size(pay) != (size_t)cells)
		return fail(r, "$.payoffs",
			    "expected %ld cells (player 1's strategy varying "
			    "fastest)",
			    cells);
	g->ncell = cells;
	g->cell = pl__calloc((size_t)cells, sizeof(int));
	g->outc = pl__calloc((size_t)cells, sizeof *g->outc);
	if (!g->cell || !g->outc)
		return pl__nomem(r->err);
	g->payoff_variant = 1;
	for (long c = 0; c < cells; c++) {
		char path[64];
		snprintf(path, sizeof path, "$.payoffs[%ld]", c);
		json_t *o =
			json_pack("{s:o}", "payoffs", json_incref(json_array_get(pay, (size_t)c)));
		if (!o)
			return pl__nomem(r->err);
		int rc = outcome(r, o, path, &g->cell[c]);
		json_decref(o);
		if (rc)
			return rc;
	}
	return 0;
}

int pl__game_read_json(const char *buf, size_t len, const char *name, pl_game **out, pl_error *err)
{
	*out = NULL;
	json_error_t je;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	jr r = {.name = name ? name : "<game>", .err = err, .next_outcome = 1};
	if (!root && json_error_code(&je) == json_error_out_of_memory)
		return pl__nomem(err);
	if (!root) {
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%d", r.name, je.line);
		return pl_error_set(err, PL_EINPUT, where, "not valid JSON: %s", je.text);
	}
	const char *fmt = get_string(root, "format"), *type = get_string(root, "type");
	int rc = 0, tree = type && strcmp(type, "tree") == 0;
	if (!fmt || strcmp(fmt, "parley-game") != 0)
		rc = fail(&r, "$.format", "expected \"parley-game\"");
	else if (!type || (!tree && strcmp(type, "table") != 0))
		rc = fail(&r, "$.type", "expected \"tree\" or \"table\"");
	if (!rc) {
		const char *t = get_string(root, "title"), *c = get_string(root, "comment");
		if ((r.g = pl__game_new(tree ? PL__TREE : PL__TABLE))) {
			free(r.g->title);
			free(r.g->comment);
			r.g->title = pl__strdup(t ? t : "");
			r.g->comment = pl__strdup(c ? c : "");
		}
		rc = !r.g || !r.g->title || !r.g->comment ? pl__nomem(err) : players(&r, root);
	}
	if (!rc && tree) {
		json_t *is = json_object_get(root, "infosets");
		rc = json_is_array(is) ? infosets(&r, is)
				       : fail(&r, "$.infosets", "expected an array");
		json_t *nd = json_object_get(root, "nodes");
		if (!rc && json_is_array(nd))
			first_free_outcome(&r, nd);
		if (!rc)
			rc = json_is_array(nd) ? nodes(&r, nd)
					       : fail(&r, "$.nodes", "expected an array");
		if (!rc && pl__tree_finish(r.g))
			rc = pl__nomem(err);
		for (int k = 0; !rc && k < r.g->ninfo; k++)
			if (r.g->info[k].nmem == 0) {
				char path[64];
				snprintf(path, sizeof path, "$.infosets[%d]", k);
				rc = fail(&r, path, "no node belongs to this information set");
			}
	} else if (!rc) {
		rc = table(&r, root);
	}
	json_decref(root);
	pl__idmap_free(&r.ids);
	if (rc) {
		pl_game_free(r.g);
		return rc;
	}
	*out = r.g;
	return PL_OK;
}
