/* csv_read.c - the two CSV case formats (docs/formats.md):
 *
 *  - BDM-style: one issue per file, a header naming the columns Actor,
 *    Capability, Position, Salience (optionally Name, Note), salience on
 *    0-1 or 0-100, optional "# scale: MIN MAX", "# status_quo: X" and
 *    "# outcome: X" lines;
 *  - KTAB's SMP CSV: "name,description,nActors,nDims", a header line, then
 *    "Actor,Description,Power,Pos1,Sal1,..." rows on a 0-100 scale.
 *
 * Quoting is libcsv's; the file is fed to it a line at a time so every
 * error can name its line. */
#include "io/io_internal.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct csv_row {
	char **f;
	size_t n, cap;
	int oom;
} csv_row;

static void row_clear(csv_row *r)
{
	for (size_t k = 0; k < r->n; k++)
		free(r->f[k]);
	r->n = 0;
}

static void row_free(csv_row *r)
{
	row_clear(r);
	free(r->f);
}

static void on_field(void *s, size_t len, void *data)
{
	csv_row *r = data;
	if (r->oom)
		return;
	if (r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 16;
		char **nf = realloc(r->f, nc * sizeof *nf);
		if (!nf) {
			r->oom = 1;
			return;
		}
		r->f = nf;
		r->cap = nc;
	}
	char *copy = malloc(len + 1);
	if (!copy) {
		r->oom = 1;
		return;
	}
	if (len)
		memcpy(copy, s, len);
	copy[len] = '\0';
	r->f[r->n++] = copy;
}

/* The lines of a buffer, with their numbers and without "\r\n". */
typedef struct lines {
	const char *p, *end;
	size_t no;
	const char *line;
	size_t len;
} lines;

static int next_line(lines *L)
{
	if (L->p >= L->end)
		return 0;
	const char *nl = memchr(L->p, '\n', (size_t)(L->end - L->p));
	const char *stop = nl ? nl : L->end;
	L->line = L->p;
	L->len = (size_t)(stop - L->p);
	if (L->len && L->line[L->len - 1] == '\r')
		L->len--;
	L->p = nl ? nl + 1 : L->end;
	L->no++;
	return 1;
}

static int is_blank(const char *s, size_t len)
{
	for (size_t k = 0; k < len; k++)
		if (!isspace((unsigned char)s[k]))
			return 0;
	return 1;
}

/* At most this many errors of a file are listed (the rest are counted),
 * and at most KEPT_ERRORS kept to choose them from by line. */
#define MAX_LISTED_ERRORS 10
#define KEPT_ERRORS 1000

typedef struct row_error {
	size_t line, seq;
	char *text; /* "where: message" */
} row_error;

typedef struct cctx {
	const char *name;
	pl_error *err;	 /* where the current check writes */
	pl_error *first; /* the caller's */
	pl_error row;	 /* a row's error, before it is kept */
	size_t line;
	size_t n_errors; /* errors of rows found so far */
	size_t n_kept;
	row_error *kept;
} cctx;

/* An error on the current line of the file. */
#define fail(x, ...) pl__fail_at((x)->err, (x)->name, NULL, (long)(x)->line, __VA_ARGS__)

/* Checks of a row write to x->row, so that one bad row does not hide the
 * next: row_begin before them, row_end after, which keeps the row's error
 * (if any) and returns PL_OK to go on, or the error to stop at (out of
 * memory). */
static void row_begin(cctx *x)
{
	pl_error_clear(&x->row);
	x->err = &x->row;
}

static int row_end(cctx *x, int rc)
{
	x->err = x->first;
	if (rc == PL_OK)
		return PL_OK;
	if (rc == PL_EINPUT && x->n_errors++ >= KEPT_ERRORS)
		return PL_OK;
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
	row_error *k = rc == PL_EINPUT ? realloc(x->kept, (x->n_kept + 1) * sizeof *k) : NULL;
	char *text = k ? strdup(pl_error_format(&x->row, buf, sizeof buf)) : NULL;
	if (k)
		x->kept = k;
	if (!text) {
		if (rc == PL_EINPUT)
			rc = PL_ENOMEM;
		pl_error_set(x->first, rc, x->row.where, "%s",
			     rc == PL_ENOMEM ? "out of memory" : x->row.message);
		return rc;
	}
	x->kept[x->n_kept++] = (row_error){x->line, x->n_kept, text};
	return PL_OK;
}

static int by_line(const void *a, const void *b)
{
	const row_error *p = a, *q = b;
	if (p->line != q->line)
		return p->line < q->line ? -1 : 1;
	return p->seq < q->seq ? -1 : p->seq > q->seq;
}

static void rows_free(cctx *x)
{
	for (size_t k = 0; k < x->n_kept; k++)
		free(x->kept[k].text);
	free(x->kept);
	x->kept = NULL;
	x->n_kept = 0;
}

/* At the end of a file: PL_EINPUT when a row had an error: the first by
 * line in where and message, then the next ones (up to MAX_LISTED_ERRORS,
 * as many as fit) a line each, and their count. */
static int rows_result(cctx *x)
{
	if (x->n_errors == 0)
		return PL_OK;
	qsort(x->kept, x->n_kept, sizeof *x->kept, by_line);
	/* the first: its where and message again, split where pl_error_format
	 * joined them */
	char where[PL_ERROR_WHERE_MAX];
	snprintf(where, sizeof where, "%s:%zu", x->name, x->kept[0].line);
	const char *msg = x->kept[0].text + strlen(where);
	if (strncmp(x->kept[0].text, where, strlen(where)) == 0 && strncmp(msg, ": ", 2) == 0)
		msg += 2;
	else
		msg = x->kept[0].text;
	pl_error_set(x->first, PL_EINPUT, where, "%s", msg);
	if (x->n_errors > 1 && x->first) {
		char tail[96];
		snprintf(tail, sizeof tail, "\n(%zu errors%s)", x->n_errors,
			 x->n_errors > MAX_LISTED_ERRORS ? ", the first 10 listed" : "");
		char *m = x->first->message;
		size_t cap = sizeof x->first->message;
		for (size_t k = 1; k < x->n_kept && k < MAX_LISTED_ERRORS; k++) {
			size_t used = strlen(m), need = 1 + strlen(x->kept[k].text);
			if (used + need + strlen(tail) >= cap)
				break;
			snprintf(m + used, cap - used, "\n%s", x->kept[k].text);
		}
		size_t used = strlen(m);
		snprintf(m + used, cap - used, "%s", tail);
	}
	return PL_EINPUT;
}

/* Splits one line into fields; trailing empty fields (KTAB ends its rows
 * with a comma) are dropped. */
static int split(cctx *x, const char *line, size_t len, csv_row *row)
{
	struct csv_parser p;
	row_clear(row);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	size_t used = csv_parse(&p, line, len, on_field, NULL, row);
	int bad = used != len || csv_fini(&p, on_field, NULL, row) != 0;
	const char *why = bad ? csv_strerror(csv_error(&p)) : NULL;
	csv_free(&p);
	if (row->oom)
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	if (bad)
		return fail(x, "malformed CSV (%s); a quoted field must end on its own line", why);
	while (row->n > 0 && row->f[row->n - 1][0] == '\0') {
		free(row->f[--row->n]);
	}
	return PL_OK;
}

static int number(cctx *x, const char *s, const char *column, double lo, double hi,
		  const char *range, double *out)
{
	char *end;
	errno = 0;
	while (isspace((unsigned char)*s))
		s++;
	double d = strtod(s, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (*s == '\0')
		return fail(x, "%s is empty; a number is required", column);
	if (*end != '\0' || end == s)
		return fail(x, "%s '%s' is not a number", column, s);
	if (!isfinite(d) || errno == ERANGE)
		return fail(x, "%s '%s' is not a finite number", column, s);
	if (d < lo || d > hi)
		return fail(x, "%s %s is outside %s", column, s, range);
	*out = d;
	return PL_OK;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

/* ---- BDM-style CSV -------------------------------------------------- */

enum { COL_ACTOR, COL_CAP, COL_POS, COL_SAL, COL_NAME, COL_NOTE, COL_RED, COL_RES, N_COLS };
static const char *const col_names[N_COLS] = {
	"Actor", "Capability", "Position", "Salience", "Name", "Note", "RedLine", "Reservation"};

typedef struct bdm_row {
	char *id, *name, *note;
	double cap, pos, sal, red, res;
	int has_red, has_res;
	size_t line;
} bdm_row;

/* The recorded outcome: its value and the line that gave it (0: none). */
typedef struct bdm_outcome {
	double value;
	size_t line;
} bdm_outcome;

static int bdm_directive(cctx *x, const char *s, size_t len, double *lo, double *hi, int *has_sq,
			 double *sq, bdm_outcome *oc, char **title)
{
	char buf[512];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *p = buf + 1;
	while (isspace((unsigned char)*p))
		p++;
	char extra;
	/* "# WORD:" is a directive; an unknown one is refused, as JSON refuses
	 * an unknown key (a typo would otherwise leave the default in force) */
	static const char *const known[] = {"scale", "status_quo", "outcome", "name", NULL};
	size_t word = 0;
	while (isalnum((unsigned char)p[word]) || p[word] == '_' || p[word] == '-')
		word++;
	if (word > 0 && p[word] == ':') {
		p[word] = '\0';
		int is_known = 0;
		for (const char *const *k = known; *k; k++)
			is_known |= strcmp(p, *k) == 0;
		if (!is_known) {
			const char *near = pl__closest(p, known);
			char hint[64] = "";
			if (near)
				snprintf(hint, sizeof hint, "did you mean '# %s:'? ", near);
			return fail(x,
				    "unknown directive '# %s:' (%sthe directives are '# scale:', "
				    "'# status_quo:', '# outcome:' and '# name:'; a comment must "
				    "not start with a word and a colon)",
				    p, hint);
		}
		p[word] = ':';
	}
	if (strncmp(p, "scale:", 6) == 0) {
		if (sscanf(p + 6, "%lf %lf %c", lo, hi, &extra) != 2 || !(*lo >= -1e15) ||
		    !(*hi <= 1e15) || !(*lo < *hi))
			return fail(x, "'# scale:' needs two numbers MIN MAX with -1e15 <= MIN < "
				       "MAX <= 1e15");
	} else if (strncmp(p, "status_quo:", 11) == 0) {
		if (sscanf(p + 11, "%lf %c", sq, &extra) != 1 || !isfinite(*sq))
			return fail(x, "'# status_quo:' needs one number");
		*has_sq = 1;
	} else if (strncmp(p, "outcome:", 8) == 0) {
		if (oc->line)
			return fail(x, "a second '# outcome:' line (the first is line %zu)",
				    oc->line);
		if (sscanf(p + 8, "%lf %c", &oc->value, &extra) != 1 || !isfinite(oc->value))
			return fail(x, "'# outcome:' needs one number, the outcome on the scale");
		oc->line = x->line;
	} else if (strncmp(p, "name:", 5) == 0) {
		p += 5;
		while (isspace((unsigned char)*p))
			p++;
		free(*title);
		*title = strdup(p);
	}
	return PL_OK;
}

static int bdm_header(cctx *x, const csv_row *row, int col_of[N_COLS])
{
	for (int k = 0; k < N_COLS; k++)
		col_of[k] = -1;
	for (size_t f = 0; f < row->n; f++) {
		int found = -1;
		for (int k = 0; k < N_COLS; k++)
			if (strcasecmp(row->f[f], col_names[k]) == 0)
				found = k;
		if (found < 0 && (strchr(row->f[f], ';') || strchr(row->f[f], '\t')))
			return fail(x,
				    "unknown column '%s': the header seems separated by %s, "
				    "but parley reads comma-separated values (RFC 4180); save "
				    "the file as CSV with commas (a spreadsheet set to a "
				    "language that writes decimal commas uses ';')",
				    row->f[f], strchr(row->f[f], ';') ? "';'" : "tabs");
		if (found < 0)
			return fail(x,
				    "unknown column '%s' (the BDM format has Actor, Capability, "
				    "Position, Salience and optionally Name, Note, RedLine, "
				    "Reservation)",
				    row->f[f]);
		if (col_of[found] >= 0)
			return fail(x, "column '%s' appears twice", col_names[found]);
		col_of[found] = (int)f;
	}
	for (int k = 0; k < COL_NAME; k++)
		if (col_of[k] < 0)
			return fail(x,
				    "the header lacks the column '%s' (expected "
				    "Actor,Capability,Position,Salience)",
				    col_names[k]);
	return PL_OK;
}

static int bdm_build(cctx *x, bdm_row *rows, size_t n, double lo, double hi, int has_sq, double sq,
		     const bdm_outcome *oc, const char *title, pl_case **out)
{
	if (oc->line && (oc->value < lo || oc->value > hi)) {
		char a[40], b[40], v[40];
		pl__fmt_number(a, sizeof a, lo);
		pl__fmt_number(b, sizeof b, hi);
		pl__fmt_number(v, sizeof v, oc->value);
		x->line = oc->line;
		row_begin(x);
		int rc = row_end(x, fail(x, "the outcome %s is outside the scale [%s, %s]", v,
					 a, b));
		if (rc)
			return rc;
	}
	double smax = 0;
	size_t at_max = 0;
	for (size_t k = 0; k < n; k++) {
		x->line = rows[k].line;
		row_begin(x);
		int rc = PL_OK;
		if (rows[k].pos < lo || rows[k].pos > hi) {
			char a[40], b[40];
			pl__fmt_number(a, sizeof a, lo);
			pl__fmt_number(b, sizeof b, hi);
			rc = fail(x,
				  "Position %g is outside the scale [%s, %s] (declare another "
				  "with a '# scale: MIN MAX' line)",
				  rows[k].pos, a, b);
		}
		if (rows[k].has_red && (rows[k].red < lo || rows[k].red > hi))
			rc = fail(x, "RedLine %g is outside the scale", rows[k].red);
		if ((rc = row_end(x, rc)))
			return rc;
		if (rows[k].sal > smax) {
			smax = rows[k].sal;
			at_max = rows[k].line;
		}
	}
	/* Saliences are on 0-1 when none exceeds 1, else on 0-100; on 0-100 a
	 * fraction (0.6 next to 70) is a value written on the other scale. */
	double sal_div = smax > 1.0 ? 100.0 : 1.0;
	for (size_t k = 0; sal_div > 1 && k < n; k++)
		if (rows[k].sal > 0 && rows[k].sal < 1) {
			x->line = rows[k].line;
			row_begin(x);
			int rc = row_end(x, fail(x,
						 "Salience %g reads as 0-1 but line %zu's %g is on "
						 "0-100: write every salience on one scale (0-1 or "
						 "0-100)",
						 rows[k].sal, at_max, smax));
			if (rc)
				return rc;
		}
	if (x->n_errors)
		return rows_result(x);
	pl_case *c = pl__case_new();
	if (!c || pl__case_alloc_tables(c, n, 1, 0)) {
		pl_case_free(c);
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	}
	char slug[80];
	pl__slug(base_name(x->name), slug, sizeof slug);
	size_t sl = strlen(slug);
	if (sl > 4 && strcmp(slug + sl - 4, "-csv") == 0)
		slug[sl - 4] = '\0';
	c->info.id = pl__case_strdup(c, slug);
	c->info.title = pl__case_strdup(c, title ? title : slug);
	pl_issue *is = &c->issues[0];
	is->id = c->info.id;
	is->name = c->info.title;
	is->min = lo;
	is->max = hi;
	is->has_status_quo = has_sq;
	is->status_quo = sq;
	is->has_outcome = oc->line != 0;
	is->outcome.value = oc->value;
	if (has_sq && (sq < lo || sq > hi)) {
		pl_case_free(c);
		return pl_error_set(x->err, PL_EINPUT, x->name,
				    "the status quo %g is outside the scale", sq);
	}
	for (size_t k = 0; k < n; k++) {
		pl_actor *a = &c->actors[k];
		a->id = pl__case_strdup(c, rows[k].id);
		a->name = pl__case_strdup(c, rows[k].name ? rows[k].name : rows[k].id);
		a->note = pl__case_strdup(c, rows[k].note);
		a->capability = rows[k].cap;
		pl_stance *s = PL_STANCE(c, k, 0);
		s->present = 1;
		s->position = rows[k].pos;
		s->salience = rows[k].sal / sal_div;
		s->has_red_line = rows[k].has_red;
		s->red_line = rows[k].red;
		a->has_reservation = rows[k].has_res;
		a->reservation = rows[k].res;
	}
	int rc = pl__case_finish(c, x->name, x->err);
	if (rc) {
		pl_case_free(c);
		return rc;
	}
	*out = c;
	return PL_OK;
}

int pl__read_bdm_csv(const char *data, size_t len, const char *name, pl_case **out, pl_error *err)
{
	cctx x = {.name = name, .err = err, .first = err};
	lines L = {.p = data, .end = data + len};
	csv_row row = {0};
	bdm_row *rows = NULL;
	size_t n = 0, cap = 0;
	int col_of[N_COLS], have_header = 0, rc = PL_OK, has_sq = 0;
	double lo = 0, hi = 100, sq = 0;
	bdm_outcome oc = {0};
	char *title = NULL;
	pl__idset ids = {0}; /* the actors' ids so far, for duplicates */
	while (!rc && next_line(&L)) {
		x.line = L.no;
		if (is_blank(L.line, L.len))
			continue;
		if (L.line[0] == '#') {
			rc = bdm_directive(&x, L.line, L.len, &lo, &hi, &has_sq, &sq, &oc, &title);
			continue;
		}
		rc = split(&x, L.line, L.len, &row);
		if (rc)
			break;
		if (!have_header) {
			rc = bdm_header(&x, &row, col_of);
			have_header = 1;
			continue;
		}
		if (row.n > (size_t)N_COLS || row.n < 4) {
			row_begin(&x);
			rc = row_end(&x, fail(&x, "a row needs one field per header column, "
						  "found %zu",
						  row.n));
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			bdm_row *nr = realloc(rows, cap * sizeof *rows);
			if (!nr) {
				rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
				break;
			}
			rows = nr;
		}
		bdm_row *r = &rows[n];
		memset(r, 0, sizeof *r);
		r->line = L.no;
		const char *field[N_COLS] = {0};
		for (int k = 0; k < N_COLS; k++)
			if (col_of[k] >= 0)
				field[k] = (size_t)col_of[k] < row.n ? row.f[col_of[k]] : "";
		row_begin(&x);
		if (!pl__valid_id(field[COL_ACTOR]))
			rc = fail(&x,
				  "Actor '%s' is not a valid id (1-64 characters: letters, digits, "
				  "'_', '-', '.')",
				  field[COL_ACTOR]);
		size_t dup = rc ? SIZE_MAX : pl__idset_find(&ids, field[COL_ACTOR]);
		if (dup != SIZE_MAX)
			rc = fail(&x, "duplicate actor '%s' (also line %zu)", field[COL_ACTOR],
				  rows[dup].line);
		if (!rc)
			rc = number(&x, field[COL_CAP], "Capability", 0, 1e300, "[0, 1e300]",
				    &r->cap);
		if (!rc)
			rc = number(&x, field[COL_POS], "Position", -1e15, 1e15, "[-1e15, 1e15]",
				    &r->pos);
		if (!rc)
			rc = number(&x, field[COL_SAL], "Salience", 0, 100, "[0, 100]", &r->sal);
		r->has_red = !rc && field[COL_RED] && field[COL_RED][0];
		if (r->has_red)
			rc = number(&x, field[COL_RED], "RedLine", -1e15, 1e15, "[-1e15, 1e15]",
				    &r->red);
		r->has_res = !rc && field[COL_RES] && field[COL_RES][0];
		if (r->has_res)
			rc = number(&x, field[COL_RES], "Reservation", -1e15, 0, "[-1e15, 0]",
				    &r->res);
		if (rc) { /* listed; the next row is read all the same */
			rc = row_end(&x, rc);
			continue;
		}
		row_end(&x, PL_OK);
		r->id = strdup(field[COL_ACTOR]);
		if (!r->id || pl__idset_add(&ids, r->id, n, &dup)) {
			free(r->id);
			rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
			break;
		}
		r->name = field[COL_NAME] && field[COL_NAME][0] ? strdup(field[COL_NAME]) : NULL;
		r->note = field[COL_NOTE] && field[COL_NOTE][0] ? strdup(field[COL_NOTE]) : NULL;
		n++;
	}
	if (!rc && !have_header) {
		x.line = L.no;
		rc = fail(&x, "no header line (Actor,Capability,Position,Salience)");
	} else if (!rc && n == 0 && !x.n_errors) {
		x.line = L.no;
		rc = fail(&x, "no actor rows after the header");
	}
	if (!rc)
		rc = bdm_build(&x, rows, n, lo, hi, has_sq, sq, &oc, title, out);
	pl__idset_free(&ids);
	for (size_t k = 0; k < n; k++) {
		free(rows[k].id);
		free(rows[k].name);
		free(rows[k].note);
	}
	free(rows);
	free(title);
	rows_free(&x);
	row_free(&row);
	return rc;
}

/* ---- KTAB SMP CSV --------------------------------------------------- */

/* "Policy Position" -> "Policy", "Cap_Position" -> "Cap"; "Pstn1" stays.
 * One separator goes with the suffix, so "A_ Position" (as the writer
 * writes an issue named "A_") gives back "A_". */
static void dim_name(const char *header, char *buf, size_t size)
{
	snprintf(buf, size, "%s", header);
	size_t n = strlen(buf);
	const char *suffix = "position";
	size_t m = strlen(suffix);
	if (n > m && strcasecmp(buf + n - m, suffix) == 0) {
		buf[n - m] = '\0';
		n -= m;
		if (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '_'))
			buf[--n] = '\0';
	}
	if (buf[0] == '\0')
		snprintf(buf, size, "%s", header);
}

/* KTAB's reader turns "$$" into ',' and "&quot;" into '"' in every field
 * (its quoting has no other escape); so does parley's, in place. */
static void ktab_unescape(csv_row *row)
{
	for (size_t k = 0; k < row->n; k++) {
		char *r = row->f[k], *w = row->f[k];
		while (*r) {
			if (r[0] == '$' && r[1] == '$') {
				*w++ = ',';
				r += 2;
			} else if (strncmp(r, "&quot;", 6) == 0) {
				*w++ = '"';
				r += 6;
			} else {
				*w++ = *r++;
			}
		}
		*w = '\0';
	}
}

static int ktab_first_line(cctx *x, const csv_row *row, size_t *n_actors, size_t *n_dims)
{
	if (row->n < 4)
		return fail(x, "the first line must be name,description,nActors,nDims");
	double a, d;
	int rc = number(x, row->f[2], "nActors (field 3)", 1, 1e6, "[1, 1000000]", &a);
	if (!rc)
		rc = number(x, row->f[3], "nDims (field 4)", 1, 1000, "[1, 1000]", &d);
	if (rc)
		return rc;
	if (a != floor(a) || d != floor(d))
		return fail(x, "nActors and nDims must be whole numbers");
	*n_actors = (size_t)a;
	*n_dims = (size_t)d;
	return PL_OK;
}

static int ktab_header(cctx *x, pl_case *c, const csv_row *row, size_t n_dims)
{
	if (row->n < 3 + 2 * n_dims)
		return fail(x,
			    "the header has %zu columns; %zu dimensions need %zu (Actor, "
			    "Description, Power, then a position and a salience per dimension)",
			    row->n, n_dims, 3 + 2 * n_dims);
	for (size_t i = 0; i < n_dims; i++) {
		char nm[1024], slug[80];
		dim_name(row->f[3 + 2 * i], nm, sizeof nm);
		pl__slug(nm, slug, sizeof slug);
		for (size_t j = 0, dup = 2; j < i; j++)
			if (strcmp(c->issues[j].id, slug) == 0) {
				char base[70];
				snprintf(base, sizeof base, "%.60s", slug);
				snprintf(slug, sizeof slug, "%s-%zu", base, dup++);
				j = (size_t)-1;
			}
		pl_issue *is = &c->issues[i];
		is->id = pl__case_strdup(c, slug);
		is->name = pl__case_strdup(c, nm);
		is->min = 0;
		is->max = 100;
	}
	return PL_OK;
}

static int ktab_row(cctx *x, pl_case *c, const csv_row *row, size_t a, size_t n_dims,
		    pl__idset *ids)
{
	size_t need = 3 + 2 * n_dims;
	if (row->n != need)
		return fail(x,
			    "an actor row needs %zu fields (Actor, Description, Power and %zu "
			    "position/salience pairs), found %zu",
			    need, n_dims, row->n);
	char id[80];
	if (pl__valid_id(row->f[0]))
		snprintf(id, sizeof id, "%s", row->f[0]);
	else
		pl__slug(row->f[0], id, sizeof id);
	pl_actor *ac = &c->actors[a];
	ac->id = pl__case_strdup(c, id);
	size_t dup;
	if (!ac->id || pl__idset_add(ids, ac->id, a, &dup))
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	if (dup != SIZE_MAX)
		return fail(x, "duplicate actor '%s'", row->f[0]);
	ac->name = pl__case_strdup(c, row->f[1][0] ? row->f[1] : row->f[0]);
	int rc = number(x, row->f[2], "Power (field 3)", 0, 1e300, "[0, 1e300]", &ac->capability);
	for (size_t i = 0; !rc && i < n_dims; i++) {
		pl_stance *s = PL_STANCE(c, a, i);
		char col[64];
		snprintf(col, sizeof col, "position (field %zu)", 4 + 2 * i);
		rc = number(x, row->f[3 + 2 * i], col, 0, 100, "[0, 100]", &s->position);
		snprintf(col, sizeof col, "salience (field %zu)", 5 + 2 * i);
		if (!rc)
			rc = number(x, row->f[4 + 2 * i], col, 0, 100, "[0, 100]", &s->salience);
		s->salience /= 100.0;
		s->present = 1;
	}
	return rc;
}

int pl__read_ktab_csv(const char *data, size_t len, const char *name, pl_case **out, pl_error *err)
{
	cctx x = {.name = name, .err = err, .first = err};
	lines L = {.p = data, .end = data + len};
	csv_row row = {0};
	pl_case *c = NULL;
	size_t n_actors = 0, n_dims = 0, a = 0, stage = 0;
	int rc = PL_OK;
	pl__idset ids = {0}; /* the actors' ids so far, for duplicates */
	while (!rc && next_line(&L)) {
		x.line = L.no;
		if (is_blank(L.line, L.len))
			continue;
		rc = split(&x, L.line, L.len, &row);
		if (rc)
			break;
		ktab_unescape(&row);
		if (stage == 0) {
			rc = ktab_first_line(&x, &row, &n_actors, &n_dims);
			if (rc)
				break;
			/* an actor's line holds 2 * nDims + 1 numbers and as many
			 * commas: counts the file cannot hold allocate nothing */
			if ((double)n_actors * (4.0 * (double)n_dims + 3.0) > (double)len) {
				rc = fail(&x,
					  "nActors %zu and nDims %zu need at least %.0f bytes of "
					  "actor lines; the file has %zu bytes",
					  n_actors, n_dims,
					  (double)n_actors * (4.0 * (double)n_dims + 3.0), len);
				break;
			}
			c = pl__case_new();
			if (!c || pl__case_alloc_tables(c, n_actors, n_dims, 0)) {
				rc = pl_error_set(err, PL_ENOMEM, name, "out of memory");
				break;
			}
			char slug[80];
			pl__slug(row.f[0], slug, sizeof slug);
			c->info.id = pl__case_strdup(c, slug);
			c->info.title = pl__case_strdup(c, row.f[0]);
			if (row.f[1][0])
				c->info.description = pl__case_strdup(c, row.f[1]);
			stage = 1;
		} else if (stage == 1) {
			rc = ktab_header(&x, c, &row, n_dims);
			stage = 2;
		} else if (a == n_actors) {
			rc = fail(&x, "more actor rows than the %zu the first line declares",
				  n_actors);
		} else { /* a bad row is listed and the next one read */
			row_begin(&x);
			rc = row_end(&x, ktab_row(&x, c, &row, a, n_dims, &ids));
			if (!c->actors[a].id) /* the row failed before its id */
				c->actors[a].id = pl__case_strdup(c, "");
			a++;
		}
	}
	if (!rc && x.n_errors)
		rc = rows_result(&x);
	if (!rc && stage < 2) {
		x.line = L.no;
		rc = fail(&x, "the file ends before the header line");
	}
	if (!rc && a < n_actors) {
		x.line = L.no;
		rc = fail(&x, "the first line declares %zu actors but the file has %zu rows",
			  n_actors, a);
	}
	if (!rc)
		rc = pl__case_finish(c, name, err);
	rows_free(&x);
	pl__idset_free(&ids);
	row_free(&row);
	if (rc) {
		pl_case_free(c);
		return rc;
	}
	*out = c;
	return PL_OK;
}
