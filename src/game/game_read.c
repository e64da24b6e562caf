/* game_read.c - readers for Gambit's .efg (version 2) and .nfg (version 1,
 * payoff and outcome variants) files: the token-level helpers both grammars
 * share, the .nfg table, and the entry points (file, buffer, format sniffing,
 * the game's hash).  The .efg tree is built in game_read_efg.c.
 *
 * What is accepted and rejected follows Gambit's documentation
 * (doc/formats.efg.rst, formats.nfgpay.rst, formats.nfgout.rst) and the
 * behaviour of its reader; the differences are listed in docs/games/formats.md. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/sha256.h"
#include "game_read.h"

#define MAX_FILE_BYTES ((size_t)256 * 1024 * 1024)

long long pl__idmap_key(int kind, int player, long id)
{
	return ((long long)kind << 60) ^ ((long long)player << 32) ^ (long long)id;
}

static size_t id_slot(const pl__idmap *m, long long key)
{
	unsigned long long h = (unsigned long long)key * 0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 20) & (m->cap - 1);
}

int pl__idmap_get(const pl__idmap *m, long long key)
{
	if (!m->cap)
		return -1;
	for (size_t i = id_slot(m, key);; i = (i + 1) & (m->cap - 1)) {
		if (m->val[i] < 0)
			return -1;
		if (m->key[i] == key)
			return m->val[i];
	}
}

int pl__idmap_put(pl__idmap *m, long long key, int val)
{
	if (2 * (m->used + 1) > m->cap) {
		pl__idmap n = {.cap = m->cap ? m->cap * 2 : 64};
		n.key = pl__calloc(n.cap, sizeof *n.key);
		n.val = pl__calloc(n.cap, sizeof *n.val);
		if (!n.key || !n.val) {
			pl__idmap_free(&n);
			return PL_ENOMEM;
		}
		for (size_t i = 0; i < n.cap; i++)
			n.val[i] = -1;
		for (size_t i = 0; i < m->cap; i++)
			if (m->val[i] >= 0)
				pl__idmap_put(&n, m->key[i], m->val[i]);
		free(m->key);
		free(m->val);
		*m = n;
	}
	size_t i = id_slot(m, key);
	while (m->val[i] >= 0 && m->key[i] != key)
		i = (i + 1) & (m->cap - 1);
	if (m->val[i] < 0)
		m->used++;
	m->key[i] = key;
	m->val[i] = val;
	return 0;
}

void pl__idmap_free(pl__idmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}

int pl__rd_next(pl__reader *r)
{
	return pl__lex_next(&r->lx);
}

int pl__rd_expect(pl__reader *r, int tok, const char *what)
{
	if (r->lx.tok == PL__TOK_ERROR)
		return PL_EINPUT;
	if (r->lx.tok != tok) {
		if (r->lx.tok == PL__TOK_EOF)
			return pl__lex_fail(&r->lx, "expected %s, found end of file", what);
		if (r->lx.tok == PL__TOK_NUMBER || r->lx.tok == PL__TOK_TEXT ||
		    r->lx.tok == PL__TOK_SYMBOL)
			return pl__lex_fail(&r->lx, "expected %s, found %s '%s'", what,
					    pl__tok_name(r->lx.tok), r->lx.text);
		return pl__lex_fail(&r->lx, "expected %s, found %s", what, pl__tok_name(r->lx.tok));
	}
	return 0;
}

int pl__rd_expect_next(pl__reader *r, int tok, const char *what)
{
	pl__rd_next(r);
	return pl__rd_expect(r, tok, what);
}

/* A count or identifier: a plain decimal integer in [lo, 10^9]. */
int pl__rd_int(pl__reader *r, const char *what, long lo, long *out)
{
	if (pl__rd_expect(r, PL__TOK_NUMBER, what))
		return PL_EINPUT;
	const char *s = r->lx.text;
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*s == '+' || *end != '\0' || errno || v < lo || v > 1000000000L)
		return pl__lex_fail(&r->lx, "%s must be an integer >= %ld, found '%s'", what, lo,
				    s);
	*out = v;
	return 0;
}

int pl__rd_number(pl__reader *r, const char *what, mpq_t out)
{
	if (pl__rd_expect(r, PL__TOK_NUMBER, what))
		return PL_EINPUT;
	if (pl__parse_number(r->lx.text, out))
		return pl__lex_fail(&r->lx, "'%s' is not a number Gambit accepts (%s)", r->lx.text,
				    what);
	return 0;
}

int pl__rd_payoff_list(pl__reader *r, mpq_t *pay, const char *what)
{
	for (int p = 0; p < r->g->n; p++) {
		if (pl__rd_number(r, what, pay[p]))
			return PL_EINPUT;
		if (pl__rd_next(r) == PL__TOK_COMMA)
			pl__rd_next(r);
	}
	if (pl__rd_expect(r, PL__TOK_RBRACE, "'}' after one payoff per player"))
		return PL_EINPUT;
	pl__rd_next(r);
	return 0;
}

int pl__rd_header(pl__reader *r, const char *magic, const char *version)
{
	if (pl__rd_next(r) != PL__TOK_SYMBOL || strcmp(r->lx.text, magic) != 0)
		return r->lx.tok == PL__TOK_ERROR
			       ? PL_EINPUT
			       : pl__lex_fail(&r->lx, "expected the file type '%s'", magic);
	if (pl__rd_next(r) != PL__TOK_NUMBER || strcmp(r->lx.text, version) != 0)
		return pl__lex_fail(&r->lx, "only %s version %s files are accepted", magic,
				    version);
	if (pl__rd_next(r) != PL__TOK_SYMBOL ||
	    (strcmp(r->lx.text, "R") && strcmp(r->lx.text, "D")))
		return pl__lex_fail(&r->lx, "expected the data type R (or D)");
	if (pl__rd_expect_next(r, PL__TOK_TEXT, "the game title in quotes"))
		return PL_EINPUT;
	char *title = pl__strdup(r->lx.text);
	if (!title)
		return pl__lex_nomem(&r->lx);
	free(r->g->title);
	r->g->title = title;
	return 0;
}

/* { "name" ... } ; leaves the token after '}' current. */
int pl__rd_players(pl__reader *r)
{
	if (pl__rd_expect_next(r, PL__TOK_LBRACE, "'{' opening the list of players"))
		return PL_EINPUT;
	int cap = 0, n = 0, rc = 0;
	char **names = NULL;
	while (pl__rd_next(r) == PL__TOK_TEXT) {
		if (pl__rd_grow((void **)&names, &cap, n + 1, sizeof *names) ||
		    !(names[n] = pl__strdup(r->lx.text))) {
			rc = pl__lex_nomem(&r->lx);
			break;
		}
		n++;
	}
	if (!rc)
		rc = pl__rd_expect(r, PL__TOK_RBRACE, "a quoted player name or '}'");
	if (!rc && n == 0)
		rc = pl__lex_fail(&r->lx, "a game needs at least one player");
	if (!rc && pl__game_set_players(r->g, n))
		rc = pl__lex_nomem(&r->lx);
	for (int i = 0; i < n; i++) {
		if (rc)
			free(names[i]);
		else
			r->g->player[i] = names[i];
	}
	free(names);
	if (!rc)
		pl__rd_next(r);
	return rc;
}

int pl__rd_grow(void **p, int *cap, int need, size_t elem)
{
	if (need <= *cap)
		return 0;
	int c = *cap ? *cap : 16;
	while (c < need)
		c *= 2;
	void *t = realloc(*p, (size_t)c * elem);
	if (!t)
		return PL_ENOMEM;
	memset((char *)t + (size_t)*cap * elem, 0, (size_t)(c - *cap) * elem);
	*p = t;
	*cap = c;
	return 0;
}

int pl__rd_new_outcome(pl__reader *r, long id, const char *label)
{
	pl_game *g = r->g;
	if (pl__rd_grow((void **)&g->outc, &r->cap_outc, g->noutc + 1, sizeof *g->outc))
		return pl__lex_nomem(&r->lx);
	pl__outcome *o = &g->outc[g->noutc];
	o->label = pl__strdup(label);
	o->file_id = id;
	o->pay = pl__mpq_vec((size_t)g->n);
	g->noutc++; /* counted even when half made, so pl_game_free frees it */
	if (!o->label || !o->pay)
		return pl__lex_nomem(&r->lx);
	return g->noutc - 1;
}

/* { { "s1" "s2" } { ... } } or { 3 2 }; the token after '}' is left current. */
static int read_strategies(pl__reader *r)
{
	pl_game *g = r->g;
	g->nstrat = pl__calloc((size_t)g->n, sizeof(int));
	g->strat = pl__calloc((size_t)g->n, sizeof(char **));
	if (!g->nstrat || !g->strat)
		return pl__lex_nomem(&r->lx);
	if (pl__rd_expect(r, PL__TOK_LBRACE, "'{' opening the strategies"))
		return PL_EINPUT;
	int nested = pl__rd_next(r) == PL__TOK_LBRACE;
	for (int p = 0; p < g->n; p++) {
		if (!nested) {
			long k;
			if (pl__rd_int(r, "the number of strategies", 1, &k))
				return PL_EINPUT;
			if (k > PL__MAX_STRATS)
				return pl__lex_fail(&r->lx, "player %d has more than %d strategies",
						    p + 1, PL__MAX_STRATS);
			if (!(g->strat[p] = pl__calloc((size_t)k, sizeof(char *))))
				return pl__lex_nomem(&r->lx);
			g->nstrat[p] = (int)k;
			for (int s = 0; s < k; s++) {
				char num[16];
				snprintf(num, sizeof num, "%d", s + 1);
				if (!(g->strat[p][s] = pl__strdup(num)))
					return pl__lex_nomem(&r->lx);
			}
			pl__rd_next(r);
			continue;
		}
		if (pl__rd_expect(r, PL__TOK_LBRACE, "'{' opening a player's strategy labels"))
			return PL_EINPUT;
		int cap = 0;
		while (pl__rd_next(r) == PL__TOK_TEXT) {
			if (g->nstrat[p] == PL__MAX_STRATS)
				return pl__lex_fail(&r->lx, "player %d has more than %d strategies",
						    p + 1, PL__MAX_STRATS);
			if (pl__rd_grow((void **)&g->strat[p], &cap, g->nstrat[p] + 1,
					sizeof(char *)) ||
			    !(g->strat[p][g->nstrat[p]++] = pl__strdup(r->lx.text)))
				return pl__lex_nomem(&r->lx);
		}
		if (pl__rd_expect(r, PL__TOK_RBRACE, "a quoted strategy label or '}'"))
			return PL_EINPUT;
		if (g->nstrat[p] == 0)
			return pl__lex_fail(&r->lx, "player %d has no strategies", p + 1);
		pl__rd_next(r);
	}
	if (pl__rd_expect(r, PL__TOK_RBRACE, "'}' closing the strategies (one entry per player)"))
		return PL_EINPUT;
	pl__rd_next(r);
	return 0;
}

static int alloc_cells(pl__reader *r)
{
	pl_game *g = r->g;
	long c = 1;
	for (int p = 0; p < g->n; p++) {
		if (c > PL__MAX_CELLS / g->nstrat[p])
			return pl__lex_fail(&r->lx, "the table has more than %ld cells",
					    PL__MAX_CELLS);
		c *= g->nstrat[p];
	}
	g->ncell = c;
	if (!(g->cell = pl__calloc((size_t)c, sizeof(int))))
		return pl__lex_nomem(&r->lx);
	return 0;
}

static int read_nfg_payoffs(pl__reader *r)
{
	pl_game *g = r->g;
	g->payoff_variant = 1;
	size_t npay = (size_t)g->ncell * (size_t)g->n;
	if (!(g->outc = pl__calloc((size_t)g->ncell, sizeof *g->outc)) ||
	    !(g->pay_pool = pl__mpq_vec(npay)))
		return pl__lex_nomem(&r->lx);
	g->pay_pool_len = npay;
	if (!(g->blank = pl__strdup("")))
		return pl__lex_nomem(&r->lx);
	r->cap_outc = (int)g->ncell;
	for (long c = 0; c < g->ncell; c++) {
		int o = g->noutc++;
		g->outc[o].label = g->blank;
		g->outc[o].file_id = c + 1;
		g->outc[o].pay = g->pay_pool + (size_t)c * (size_t)g->n;
		g->cell[c] = o;
		for (int p = 0; p < g->n; p++) {
			if (pl__rd_number(r, "a payoff", g->outc[o].pay[p]))
				return PL_EINPUT;
			pl__rd_next(r);
		}
	}
	return 0;
}

static int read_nfg_outcomes(pl__reader *r)
{
	pl_game *g = r->g;
	pl__rd_next(r);
	while (r->lx.tok == PL__TOK_LBRACE) {
		if (pl__rd_expect_next(r, PL__TOK_TEXT, "the outcome label in quotes"))
			return PL_EINPUT;
		int o = pl__rd_new_outcome(r, g->noutc + 1, r->lx.text);
		if (o < 0)
			return o;
		pl__rd_next(r);
		if (pl__rd_payoff_list(r, g->outc[o].pay, "a payoff"))
			return PL_EINPUT;
	}
	if (pl__rd_expect(r, PL__TOK_RBRACE, "'{' opening an outcome or '}' closing the list"))
		return PL_EINPUT;
	pl__rd_next(r);
	int null_o = -1;
	for (long c = 0; c < g->ncell; c++) {
		long k;
		if (pl__rd_int(r, "an outcome number", 0, &k))
			return PL_EINPUT;
		if (k > g->noutc - (null_o >= 0))
			return pl__lex_fail(&r->lx, "outcome %ld does not exist (%d are defined)",
					    k, g->noutc - (null_o >= 0));
		if (k == 0 && null_o < 0 && (null_o = pl__rd_new_outcome(r, 0, "")) < 0)
			return null_o;
		g->cell[c] = k == 0 ? null_o : (int)k - 1;
		pl__rd_next(r);
	}
	return 0;
}

int pl__read_nfg(pl__reader *r)
{
	if (pl__rd_header(r, "NFG", "1") || pl__rd_players(r) || read_strategies(r))
		return PL_EINPUT;
	if (r->lx.tok == PL__TOK_TEXT) {
		char *comment = pl__strdup(r->lx.text);
		if (!comment)
			return pl__lex_nomem(&r->lx);
		free(r->g->comment);
		r->g->comment = comment;
		pl__rd_next(r);
	}
	if (r->lx.tok != PL__TOK_LBRACE && r->lx.tok != PL__TOK_NUMBER)
		return r->lx.tok == PL__TOK_ERROR
			       ? PL_EINPUT
			       : pl__lex_fail(&r->lx, "expected the outcome list or the payoffs");
	if (alloc_cells(r))
		return PL_EINPUT;
	int rc = r->lx.tok == PL__TOK_LBRACE ? read_nfg_outcomes(r) : read_nfg_payoffs(r);
	if (!rc && r->lx.tok != PL__TOK_EOF)
		rc = r->lx.tok == PL__TOK_ERROR
			     ? PL_EINPUT
			     : pl__lex_fail(&r->lx,
					    "unexpected %s '%s' after the last entry of the "
					    "table",
					    pl__tok_name(r->lx.tok), r->lx.text);
	return rc;
}

/* The game's identity for provenance: SHA-256 of its canonical text (the
 * .efg or .nfg parley writes), so equal games hash equally whatever their
 * spelling. */
static int hash_game(pl_game *g, pl_error *err)
{
	char *text;
	int rc = pl_game_write_string(g, g->kind == PL__TREE ? PL_GAME_EFG : PL_GAME_NFG, &text,
				      err);
	if (rc)
		return rc;
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(g->hash, sizeof g->hash, h, sizeof h);
	free(text);
	return 0;
}

static const char *const format_ext[] = {NULL, ".efg", ".nfg", ".json"};
static const char *const format_what[] = {NULL, "an extensive-form game (EFG)",
					  "a strategic-form game (NFG)",
					  "parley's JSON form ('{')"};

/* The format a file's name promises: .efg, .nfg or .json (any case), else 0. */
static int format_of_name(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	for (int f = PL_GAME_EFG; dot && f <= PL_GAME_JSON; f++)
		if (strcasecmp(dot, format_ext[f]) == 0)
			return f;
	return 0;
}

/* A file whose content is not the format its name promises. */
static int wrong_content(const char *name, int line, int want, int found, pl_error *err)
{
	char where[PL_ERROR_WHERE_MAX];
	snprintf(where, sizeof where, "%s:%d", name, line);
	return pl_error_set(err, PL_EINPUT, where, "the file is named %s but holds %s, not %s",
			    format_ext[want], format_what[found], format_what[want]);
}

/* Reads buf as whatever its first token says; want (a pl_game_format, or 0
 * for any) is the format the file's name promises. */
static int read_any(const char *buf, size_t len, const char *name, int want, pl_game **out,
		    pl_error *err)
{
	*out = NULL;
	size_t first = 0;
	int line = 1;
	while (first < len && strchr(" \t\r\n", buf[first]) && buf[first])
		line += buf[first++] == '\n';
	if (first < len && buf[first] == '{') {
		if (want && want != PL_GAME_JSON)
			return wrong_content(name, line, want, PL_GAME_JSON, err);
		return pl__game_read_json(buf, len, name, out, err);
	}
	pl__reader r;
	memset(&r, 0, sizeof r);
	pl__lex_init(&r.lx, buf, len, name, err);
	int tok = pl__lex_check_text(&r.lx) ? PL__TOK_ERROR : pl__lex_next(&r.lx), efg = 0, rc = 0;
	if (tok == PL__TOK_EOF)
		rc = pl__lex_fail(&r.lx, "not a game file: it is empty (a game file begins with "
					 "EFG, NFG or '{')");
	else if (tok == PL__TOK_ERROR)
		rc = PL_EINPUT;
	else if (tok != PL__TOK_SYMBOL)
		rc = pl__lex_fail(&r.lx, "not a game file: expected EFG or NFG");
	else if (!(efg = strcmp(r.lx.text, "EFG") == 0) && strcmp(r.lx.text, "NFG") != 0)
		rc = pl__lex_fail(&r.lx, "not a game file: expected EFG or NFG, found '%s'",
				  r.lx.text);
	else if (want && want != (efg ? PL_GAME_EFG : PL_GAME_NFG))
		rc = wrong_content(name, r.lx.tok_line, want, efg ? PL_GAME_EFG : PL_GAME_NFG, err);
	if (rc && r.lx.nomem)
		rc = PL_ENOMEM;
	pl__lex_free(&r.lx);
	if (rc)
		return rc;
	pl__lex_init(&r.lx, buf, len, name, err);
	r.g = pl__game_new(efg ? PL__TREE : PL__TABLE);
	rc = !r.g ? pl__lex_nomem(&r.lx) : efg ? pl__read_efg(&r) : pl__read_nfg(&r);
	if (rc && r.lx.nomem)
		rc = PL_ENOMEM; /* the grammars answer PL_EINPUT for any failure */
	pl__lex_free(&r.lx);
	pl__idmap_free(&r.ids);
	if (rc) {
		pl_game_free(r.g);
		return rc;
	}
	*out = r.g;
	return PL_OK;
}

static int read_and_hash(const char *buf, size_t len, const char *name, int want, pl_game **out,
			 pl_error *err)
{
	int rc = read_any(buf, len, name, want, out, err);
	if (!rc && (rc = hash_game(*out, err))) {
		pl_game_free(*out);
		*out = NULL;
	}
	return rc;
}

int pl_game_read_buffer(const char *buf, size_t len, const char *name, pl_game **out, pl_error *err)
{
	return read_and_hash(buf, len, name, 0, out, err);
}

/* Says why a game file's name will not do: it must end in .efg, .nfg or
 * .json. */
static int bad_extension(const char *path, pl_error *err)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	if (!dot)
		return pl_error_set(err, PL_EINPUT, path,
				    "the name has no extension: a game file is named "
				    ".efg, .nfg or .json");
	return pl_error_set(err, PL_EINPUT, path,
			    "unknown extension '%s': a game file is named .efg, .nfg "
			    "or .json",
			    dot);
}

int pl_game_read_file(const char *path, pl_game **out, pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot open the game file",
		.not_dir = "is a directory, not a game file (.efg, .nfg or .json)",
		.limit = MAX_FILE_BYTES,
		.noun = "a game",
	};
	*out = NULL;
	char *buf;
	size_t len;
	int rc = pl__read_file(path, &kind, &buf, &len, err);
	if (rc)
		return rc;
	if (!format_of_name(path)) {
		free(buf);
		return bad_extension(path, err);
	}
	rc = read_and_hash(buf, len, path, format_of_name(path), out, err);
	free(buf);
	return rc;
}
