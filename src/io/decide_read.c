/* decide_read.c - Decide's input format (docs/formats.md): the exchange
 * model's files, one record a line, fields separated by tabs or semicolons
 * and quoted with ' or ":
 *
 *   #A  actor id, name, comment
 *   #P  issue id, name, description
 *   #M  issue id, value, label       (a point of the scale; lowest and
 *                                     highest give it, none means 0-100)
 *   #D  actor id, issue id, position, salience (0-1), power, comment
 *
 * plus "#/" comment rows and "#O" description rows, which are skipped.
 * Every error names the file and line and the rule broken. */
#include "io/io_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEC_MAX_FIELDS 16

typedef struct dec_line {
	size_t no;
	char kind; /* 'A', 'P', 'M', 'D' */
	size_t n;  /* fields after the key */
	char *f[DEC_MAX_FIELDS];
} dec_line;

typedef struct dctx {
	const char *name;
	pl_error *err;
	size_t line;
	char sep;
} dctx;

/* An error on the current line of the file. */
#define fail(x, ...) pl__fail_at((x)->err, (x)->name, NULL, (long)(x)->line, __VA_ARGS__)

/* One field of line[*k, len) into a malloc'd string: blanks around it are
 * dropped; a field quoted with ' or " may hold the separator, its quote
 * doubled stands for itself. */
static int next_field(dctx *x, const char *s, size_t len, size_t *k, char **out)
{
	size_t p = *k;
	while (p < len && s[p] != x->sep && (s[p] == ' ' || (s[p] == '\t' && x->sep != '\t')))
		p++;
	char *buf = malloc(len - p + 1);
	if (!buf)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	size_t n = 0;
	if (p < len && (s[p] == '\'' || s[p] == '"')) {
		char q = s[p++];
		for (;;) {
			if (p >= len) {
				free(buf);
				return fail(x, "a field opened with %c is not closed on this line",
					    q);
			}
			if (s[p] == q && p + 1 < len && s[p + 1] == q) {
				buf[n++] = q;
				p += 2;
			} else if (s[p] == q) {
				p++;
				break;
			} else {
				buf[n++] = s[p++];
			}
		}
		while (p < len && s[p] != x->sep && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p < len && s[p] != x->sep) {
			free(buf);
			return fail(x, "text after the closing %c of a quoted field", q);
		}
	} else {
		while (p < len && s[p] != x->sep)
			buf[n++] = s[p++];
		while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t'))
			n--;
	}
	buf[n] = '\0';
	if (p < len)
		p++; /* the separator */
	*k = p;
	*out = buf;
	return PL_OK;
}

static void line_free(dec_line *l)
{
	for (size_t k = 0; k < l->n; k++)
		free(l->f[k]);
	l->n = 0;
}

/* Splits one line; the key (#A, ...) is checked and dropped. */
static int split_line(dctx *x, const char *s, size_t len, dec_line *l)
{
	size_t k = 0;
	char *key = NULL;
	int rc = next_field(x, s, len, &k, &key);
	if (rc)
		return rc;
	if (strlen(key) != 2 || key[0] != '#' || !strchr("APMD/O", key[1]) || !key[1]) {
		rc = fail(x,
			  "a line starts with #A, #P, #M or #D (or #/ for a comment), not "
			  "'%.40s'",
			  key);
		free(key);
		return rc;
	}
	l->kind = key[1];
	free(key);
	l->n = 0;
	if (l->kind == '/' || l->kind == 'O')
		return PL_OK;
	while (k < len) {
		if (l->n == DEC_MAX_FIELDS) {
			line_free(l);
			return fail(x, "more than %d fields on a line", DEC_MAX_FIELDS);
		}
		rc = next_field(x, s, len, &k, &l->f[l->n]);
		if (rc) {
			line_free(l);
			return rc;
		}
		l->n++;
	}
	return PL_OK;
}

static int number(dctx *x, const char *text, const char *what, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(text, &end);
	while (*end == ' ')
		end++;
	if (!text[0] || end == text || *end || errno == ERANGE || !isfinite(d))
		return fail(x, "%s '%.40s' is not a number", what, text);
	if (d < lo || d > hi)
		return fail(x, "%s %s is outside [%g, %g]", what, text, lo, hi);
	*out = d;
	return PL_OK;
}

/* The separator: a tab when the first record has one, else a semicolon. */
static char guess_sep(const char *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t n = nl ? (size_t)(nl - data) : len;
	if (memchr(data, '\t', n))
		return '\t';
	return ';';
}

/* ---- the records ------------------------------------------------------ */

typedef struct dec_file {
	dec_line *l;
	size_t n, cap;
	size_t n_actors, n_issues;
} dec_file;

static void file_free(dec_file *F)
{
	for (size_t k = 0; k < F->n; k++)
		line_free(&F->l[k]);
	free(F->l);
}

static int read_lines(dctx *x, const char *data, size_t len, dec_file *F)
{
	const char *p = data, *end = data + len;
	size_t no = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		const char *s = p;
		p = nl ? nl + 1 : end;
		x->line = ++no;
		if (n && s[n - 1] == '\r')
			n--;
		size_t k = 0;
		while (k < n && isspace((unsigned char)s[k]))
			k++;
		if (k == n)
			continue;
		if (F->n == F->cap) {
			size_t cap = F->cap ? F->cap * 2 : 64;
			dec_line *nl2 = realloc(F->l, cap * sizeof *nl2);
			if (!nl2)
				return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
			F->l = nl2;
			F->cap = cap;
		}
		dec_line *l = &F->l[F->n];
		memset(l, 0, sizeof *l);
		l->no = no;
		int rc = split_line(x, s, n, l);
		if (rc)
			return rc;
		if (l->kind == '/' || l->kind == 'O')
			continue;
		F->n++;
		F->n_actors += l->kind == 'A';
		F->n_issues += l->kind == 'P';
	}
	return PL_OK;
}

/* Finds id among the records of one kind, in file order: the index, or -1. */
static long find(const dec_file *F, char kind, const char *id)
{
	long ix = 0;
	for (size_t k = 0; k < F->n; k++)
		if (F->l[k].kind == kind) {
			if (strcmp(F->l[k].f[0], id) == 0)
				return ix;
			ix++;
		}
	return -1;
}

/* An id for parley: the file's when it is a valid one, else a slug of it,
 * made unique among the ids given so far (ids[0..n)). */
static void make_id(const char *raw, const char *const *ids, size_t n, char *buf, size_t size)
{
	if (pl__valid_id(raw))
		snprintf(buf, size, "%s", raw);
	else
		pl__slug(raw, buf, size);
	char base[70];
	snprintf(base, sizeof base, "%.60s", buf);
	for (size_t dup = 2, j = 0; j < n; j++)
		if (strcmp(ids[j], buf) == 0) {
			snprintf(buf, size, "%s-%zu", base, dup++);
			j = (size_t)-1;
		}
}

static int check_names(dctx *x, dec_file *F, char kind, const char *what)
{
	pl__idset seen = {0};
	int rc = PL_OK;
	for (size_t k = 0; !rc && k < F->n; k++) {
		dec_line *l = &F->l[k];
		if (l->kind != kind)
			continue;
		x->line = l->no;
		size_t j;
		if (l->n < 1 || !l->f[0][0])
			rc = fail(x, "#%c needs %s id", kind, what);
		else if (pl__idset_add(&seen, l->f[0], k, &j))
			rc = pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
		else if (j != SIZE_MAX)
			rc = fail(x, "duplicate %s '%s' (also line %zu)", what + 3, l->f[0],
				  F->l[j].no);
	}
	pl__idset_free(&seen);
	return rc;
}

/* #M rows: the scale of each issue (lo, hi; NAN when it has none). */
static int scales(dctx *x, dec_file *F, double *lo, double *hi)
{
	for (size_t i = 0; i < F->n_issues; i++)
		lo[i] = hi[i] = NAN;
	for (size_t k = 0; k < F->n; k++) {
		dec_line *l = &F->l[k];
		if (l->kind != 'M')
			continue;
		x->line = l->no;
		if (l->n < 2)
			return fail(x, "#M needs an issue id and a value");
		long i = find(F, 'P', l->f[0]);
		if (i < 0)
			return fail(x, "#M names issue '%.64s', which no #P line declares",
				    l->f[0]);
		double v;
		int rc = number(x, l->f[1], "the #M value", -1e15, 1e15, &v);
		if (rc)
			return rc;
		lo[i] = isnan(lo[i]) ? v : fmin(lo[i], v);
		hi[i] = isnan(hi[i]) ? v : fmax(hi[i], v);
	}
	return PL_OK;
}

static int build_issues(dctx *x, dec_file *F, pl_case *c, const double *lo, const double *hi)
{
	const char **ids = malloc((F->n_issues + 1) * sizeof *ids);
	if (!ids)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	size_t i = 0;
	int rc = PL_OK;
	for (size_t k = 0; k < F->n && !rc; k++) {
		dec_line *l = &F->l[k];
		if (l->kind != 'P')
			continue;
		x->line = l->no;
		char id[80];
		make_id(l->f[0], ids, i, id, sizeof id);
		pl_issue *is = &c->issues[i];
		is->id = ids[i] = pl__case_strdup(c, id);
		is->name = pl__case_strdup(c, l->n > 1 && l->f[1][0] ? l->f[1] : l->f[0]);
		is->note = l->n > 2 && l->f[2][0] ? pl__case_strdup(c, l->f[2]) : NULL;
		is->min = isnan(lo[i]) ? 0 : lo[i];
		is->max = isnan(hi[i]) ? 100 : hi[i];
		if (!(is->min < is->max))
			rc = fail(x,
				  "issue '%s' has one #M value only (%g): its scale needs a "
				  "lowest and a highest (or no #M line for 0-100)",
				  l->f[0], is->min);
		i++;
	}
	free(ids);
	return rc;
}

/* Labelled #M points become the issue's anchors, sorted by value. */
static int build_anchors(dctx *x, dec_file *F, pl_case *c)
{
	for (size_t i = 0; i < c->n_issues; i++) {
		size_t n = 0;
		for (size_t k = 0; k < F->n; k++)
			n += F->l[k].kind == 'M' && F->l[k].n > 2 && F->l[k].f[2][0] &&
			     find(F, 'P', F->l[k].f[0]) == (long)i;
		if (!n)
			continue;
		pl_anchor *an = pl__case_alloc(c, n * sizeof *an);
		if (!an)
			return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
		size_t m = 0;
		for (size_t k = 0; k < F->n; k++) {
			dec_line *l = &F->l[k];
			if (l->kind != 'M' || l->n < 3 || !l->f[2][0] ||
			    find(F, 'P', l->f[0]) != (long)i)
				continue;
			double v = strtod(l->f[1], NULL);
			size_t at = m;
			while (at > 0 && an[at - 1].value > v) {
				an[at] = an[at - 1];
				at--;
			}
			for (size_t q = 0; q < m; q++)
				if (an[q].value == v) {
					x->line = l->no;
					return fail(x, "issue '%s' has two labels for %g", l->f[0],
						    v);
				}
			an[at].value = v;
			an[at].label = pl__case_strdup(c, l->f[2]);
			m++;
		}
		c->issues[i].n_anchors = n;
		c->issues[i].anchors = an;
	}
	return PL_OK;
}

static int build_actors(dctx *x, dec_file *F, pl_case *c)
{
	const char **ids = malloc((F->n_actors + 1) * sizeof *ids);
	if (!ids)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	size_t a = 0;
	for (size_t k = 0; k < F->n; k++) {
		dec_line *l = &F->l[k];
		if (l->kind != 'A')
			continue;
		char id[80];
		make_id(l->f[0], ids, a, id, sizeof id);
		pl_actor *ac = &c->actors[a];
		ac->id = ids[a] = pl__case_strdup(c, id);
		ac->name = pl__case_strdup(c, l->n > 1 && l->f[1][0] ? l->f[1] : l->f[0]);
		ac->note = l->n > 2 && l->f[2][0] ? pl__case_strdup(c, l->f[2]) : NULL;
		a++;
	}
	free(ids);
	return PL_OK;
}

static int one_stance(dctx *x, dec_file *F, pl_case *c, dec_line *l)
{
	x->line = l->no;
	if (l->n < 5)
		return fail(x,
			    "#D needs actor, issue, position, salience and power (%zu field%s "
			    "found)",
			    l->n, l->n == 1 ? "" : "s");
	long a = find(F, 'A', l->f[0]);
	if (a < 0)
		return fail(x, "#D names actor '%.64s', which no #A line declares", l->f[0]);
	long i = find(F, 'P', l->f[1]);
	if (i < 0)
		return fail(x, "#D names issue '%.64s', which no #P line declares", l->f[1]);
	pl_stance *s = PL_STANCE(c, (size_t)a, (size_t)i);
	if (s->present)
		return fail(x, "a second #D line for actor '%.64s' on issue '%.64s'", l->f[0],
			    l->f[1]);
	const pl_issue *is = &c->issues[i];
	double pos, sal, pow;
	int rc = number(x, l->f[2], "position", -1e15, 1e15, &pos);
	if (!rc && (pos < is->min || pos > is->max))
		rc = fail(x,
			  "position %s is outside the scale [%g, %g] of issue '%s' (its #M lines)",
			  l->f[2], is->min, is->max, l->f[1]);
	if (!rc)
		rc = number(x, l->f[3], "salience", 0, 1, &sal);
	if (!rc)
		rc = number(x, l->f[4], "power", 0, 1e300, &pow);
	if (rc)
		return rc;
	s->present = 1;
	s->position = pos;
	s->salience = sal;
	s->capability = pow;
	s->note = l->n > 5 && l->f[5][0] ? pl__case_strdup(c, l->f[5]) : NULL;
	/* an actor's own capability: its largest power on any issue */
	if (pow > c->actors[a].capability)
		c->actors[a].capability = pow;
	return PL_OK;
}

static int build_case(dctx *x, dec_file *F, pl_case *c)
{
	int rc = check_names(x, F, 'A', "an actor");
	if (!rc)
		rc = check_names(x, F, 'P', "an issue");
	if (rc)
		return rc;
	if (F->n_actors == 0 || F->n_issues == 0) {
		return pl_error_set(x->err, PL_EINPUT, x->name,
				    "a Decide file needs at least one #A (actor) and one #P "
				    "(issue) line");
	}
	double *lo = malloc(2 * F->n_issues * sizeof *lo);
	if (!lo)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	rc = scales(x, F, lo, lo + F->n_issues);
	if (!rc)
		rc = build_issues(x, F, c, lo, lo + F->n_issues);
	free(lo);
	if (!rc)
		rc = build_anchors(x, F, c);
	if (!rc)
		rc = build_actors(x, F, c);
	for (size_t k = 0; k < F->n && !rc; k++)
		if (F->l[k].kind == 'D')
			rc = one_stance(x, F, c, &F->l[k]);
	return rc;
}

static void case_info(pl_case *c, const char *name)
{
	const char *base = strrchr(name, '/');
	base = base ? base + 1 : name;
	char title[256], slug[80];
	snprintf(title, sizeof title, "%s", base);
	char *dot = strrchr(title, '.');
	if (dot && dot != title)
		*dot = '\0';
	pl__slug(title, slug, sizeof slug);
	c->info.id = pl__case_strdup(c, slug);
	c->info.title = pl__case_strdup(c, title);
}

int pl__read_decide(const char *data, size_t len, const char *name, pl_case **out, pl_error *err)
{
	dctx x = {.name = name, .err = err, .sep = guess_sep(data, len)};
	dec_file F = {0};
	pl_case *c = NULL;
	int rc = read_lines(&x, data, len, &F);
	if (!rc) {
		c = pl__case_new();
		if (!c || pl__case_alloc_tables(c, F.n_actors, F.n_issues, 0))
			rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
	}
	if (!rc)
		rc = build_case(&x, &F, c);
	if (!rc) {
		case_info(c, name);
		rc = pl__case_finish(c, name, err);
	}
	file_free(&F);
	if (rc) {
		pl_case_free(c);
		return rc;
	}
	*out = c;
	return PL_OK;
}

int pl__looks_like_decide(const char *data, size_t len)
{
	size_t k = 0;
	while (k < len && (data[k] == '\'' || data[k] == '"' || data[k] == ' '))
		k++;
	if (len - k < 2 || data[k] != '#' || !data[k + 1] || !strchr("APMD/O", data[k + 1]))
		return 0;
	if (data[k + 1] == '/')
		return 2;
	/* the tag is a whole field: "#Demo,..." (a KTAB scenario name) is not #D */
	k += 2;
	while (k < len && (data[k] == '\'' || data[k] == '"'))
		k++;
	return k == len || data[k] == '\t' || data[k] == ';' || data[k] == ',' || data[k] == ' ' ||
	       data[k] == '\r' || data[k] == '\n';
}
