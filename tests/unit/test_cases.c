/* test_cases.c - the shipped cases in data/cases: every file reads, the
 * table of known outcomes in data/cases/README.md matches the files row for
 * row (status quo, and the outcome's value, range, date and source as the
 * reader gives them), and every
 * engine's forecast of every issue lies on the issue's scale.  The
 * forecasts are printed next to the known outcomes; their accuracy is not
 * asserted, since a model may be wrong about history. */
#include "helpers.h"

#include <dirent.h>
#include <jansson.h>

#define MAX_ROWS  512
#define MAX_FILES 64

/* One row of the README's "Known outcomes" table. */
typedef struct row {
	char kase[80], issue[80];
	int has_sq;
	double sq;
	int coded; /* 0 for "not coded" */
	double value, lo, hi;
	char date[16];
	int seen;
} row;

typedef struct table {
	row rows[MAX_ROWS];
	size_t n;
} table;

static const char *root(void)
{
	const char *r = getenv("PARLEY_SOURCE_ROOT");
	return r ? r : ".";
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static int is_dash(const char *s)
{
	return strcmp(s, "-") == 0 || strcmp(s, "\xe2\x80\x94") == 0; /* "-" or an em dash */
}

/* Splits "| a | b | ... |" into at most max trimmed cells; returns the count. */
static size_t cells(char *line, char **out, size_t max)
{
	size_t n = 0;
	char *p = strchr(line, '|');
	while (p && n < max) {
		char *q = strchr(p + 1, '|');
		if (!q)
			break;
		*q = '\0';
		out[n++] = trim(p + 1);
		p = q;
	}
	return n;
}

static void parse_row(char **c, row *r, int lineno)
{
	memset(r, 0, sizeof *r);
	snprintf(r->kase, sizeof r->kase, "%s", c[0]);
	snprintf(r->issue, sizeof r->issue, "%s", c[1]);
	r->has_sq = !is_dash(c[2]);
	if (r->has_sq && sscanf(c[2], "%lf", &r->sq) != 1)
		fail_msg("README line %d: status quo '%s' is not a number or a dash", lineno, c[2]);
	r->coded = strcmp(c[3], "not coded") != 0;
	if (!r->coded)
		return;
	if (sscanf(c[3], "%lf", &r->value) != 1)
		fail_msg("README line %d: outcome '%s' is not a number", lineno, c[3]);
	if (sscanf(c[4], "%lf-%lf", &r->lo, &r->hi) != 2)
		fail_msg("README line %d: range '%s' is not 'lo-hi'", lineno, c[4]);
	snprintf(r->date, sizeof r->date, "%s", c[5]);
}

/* Reads the rows of the table that follows the "| case | issue |" header. */
static void read_readme(table *t)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/cases/README.md", root());
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	char line[4096];
	int in_table = 0, lineno = 0;
	t->n = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		if (strncmp(line, "| case | issue | status quo |", 29) == 0) {
			in_table = 1;
			continue;
		}
		if (!in_table || strncmp(line, "|---", 4) == 0)
			continue;
		if (line[0] != '|')
			break;
		char *c[8];
		if (cells(line, c, 8) != 6)
			fail_msg("README line %d: a known-outcome row needs 6 cells", lineno);
		assert_true(t->n < MAX_ROWS);
		parse_row(c, &t->rows[t->n++], lineno);
	}
	fclose(f);
	if (t->n == 0)
		fail_msg("%s has no known-outcome table", path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The shipped case files, sorted so the output is stable. */
static size_t list_cases(char names[][80])
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/data/cases", root());
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 5 && len < 80 && strcmp(e->d_name + len - 5, ".json") == 0) {
			assert_true(n < MAX_FILES);
			snprintf(names[n], 80, "%.*s", (int)(len - 5), e->d_name);
			n++;
		}
	}
	closedir(d);
	qsort(names, n, 80, by_name);
	return n;
}

static row *find_row(table *t, const char *kase, const char *issue)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].kase, kase) == 0 && strcmp(t->rows[i].issue, issue) == 0)
			return &t->rows[i];
	return NULL;
}

static int case_has_rows(const table *t, const char *kase)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->rows[i].kase, kase) == 0)
			return 1;
	return 0;
}

static pl_case *read_case(const char *name, json_t **doc)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/cases/%s.json", root(), name);
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err) != PL_OK) {
		char buf[2048];
		fail_msg("%s", pl_error_format(&err, buf, sizeof buf));
	}
	json_error_t jerr;
	*doc = json_load_file(path, 0, &jerr);
	if (!*doc)
		fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
	return c;
}

static void check_outcome(const char *kase, const pl_issue *is, const row *r)
{
	if (!r->coded) {
		if (is->has_outcome)
			fail_msg("%s/%s: README says 'not coded' but the file has an outcome", kase,
				 is->id);
		return;
	}
	if (!is->has_outcome || !is->outcome.has_range)
		fail_msg("%s/%s: README gives an outcome and range but the file has none", kase,
			 is->id);
	const pl_outcome_record *o = &is->outcome;
	if (o->value != r->value || o->lo != r->lo || o->hi != r->hi || !o->date ||
	    strcmp(o->date, r->date) != 0)
		fail_msg("%s/%s: README has %g [%g, %g] %s, the file %g [%g, %g] %s", kase, is->id,
			 r->value, r->lo, r->hi, r->date, o->value, o->lo, o->hi,
			 o->date ? o->date : "(no date)");
	if (!o->source || strlen(o->source) < 20)
		fail_msg("%s/%s: outcome.source must say what the coding rests on", kase, is->id);
	if (!(is->min <= o->lo && o->lo <= o->value && o->value <= o->hi && o->hi <= is->max))
		fail_msg("%s/%s: need min <= lo <= value <= hi <= max", kase, is->id);
}

/* Every issue of a listed case has its row, and the row matches the file. */
static void check_case_rows(table *t, const char *kase, const pl_case *c, json_t *doc)
{
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		row *r = find_row(t, kase, is->id);
		if (!r)
			fail_msg("%s/%s: no row in data/cases/README.md", kase, is->id);
		r->seen = 1;
		if (r->has_sq != is->has_status_quo || (r->has_sq && r->sq != is->status_quo))
			fail_msg("%s/%s: README status quo %s%g, the file %s%g", kase, is->id,
				 r->has_sq ? "" : "none ", r->sq, is->has_status_quo ? "" : "none ",
				 is->status_quo);
		check_outcome(kase, is, r);
	}
}

static void readme_matches_files(void **state)
{
	static table t;
	static char names[MAX_FILES][80];
	read_readme(&t);
	size_t n = list_cases(names);
	assert_true(n > 0);
	for (size_t k = 0; k < n; k++) {
		json_t *doc = NULL;
		pl_case *c = read_case(names[k], &doc);
		if (case_has_rows(&t, names[k]))
			check_case_rows(&t, names[k], c, doc);
		else
			printf("note: data/cases/%s.json has no known outcomes in the README\n",
			       names[k]);
		json_decref(doc);
		pl_case_free(c);
	}
	for (size_t i = 0; i < t.n; i++)
		if (!t.rows[i].seen)
			fail_msg("README row %s/%s matches no issue of a shipped case",
				 t.rows[i].kase, t.rows[i].issue);
}

static void check_on_scale(const char *kase, const char *engine, const pl_issue *is,
			   const pl_outcome *o)
{
	if (!(isfinite(o->forecast) && o->forecast >= is->min && o->forecast <= is->max))
		fail_msg("%s/%s: %s forecasts %g, off the scale [%g, %g]", kase, is->id, engine,
			 o->forecast, is->min, is->max);
	for (size_t k = 0; o->round_forecast && k <= o->n_rounds; k++) {
		double f = o->round_forecast[k];
		if (!(isfinite(f) && f >= is->min && f <= is->max))
			fail_msg("%s/%s: %s round %zu forecasts %g, off the scale", kase, is->id,
				 engine, k, f);
	}
}

/* Runs engine e on all issues of c into fc[issue]; prints and skips an
 * engine that declares the case unsuitable (bad input), fails otherwise. */
static int run_engine(const char *kase, const pl_case *c, const pl_engine *e, double *fc)
{
	pl_run_options o;
	pl_run_options_init(&o);
	pl_result *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_forecast(c, e, &o, &r, &err);
	if (rc != PL_OK) {
		char buf[2048];
		pl_error_format(&err, buf, sizeof buf);
		if (rc != PL_EINPUT)
			fail_msg("%s: engine %s failed: %s", kase, pl_engine_name(e), buf);
		printf("  %s does not run on %s: %s\n", pl_engine_name(e), kase, buf);
		return 0;
	}
	for (size_t k = 0; k < pl_result_n_outcomes(r); k++) {
		const pl_outcome *out = pl_result_outcome(r, k);
		check_on_scale(kase, pl_engine_name(e), pl_case_issue(c, out->issue), out);
		fc[out->issue] = out->forecast;
	}
	pl_result_free(r);
	return 1;
}

static void print_case(const char *kase, const pl_case *c, json_t *doc, size_t ne, const double *fc,
		       const int *ran)
{
	printf("\n%s\n%-16s %15s", kase, "issue", "known [range]");
	for (size_t e = 0; e < ne; e++)
		printf(" %10.10s", pl_engine_name(pl_engine_at(e)));
	printf("\n");
	size_t ni = pl_case_n_issues(c);
	for (size_t i = 0; i < ni; i++) {
		const pl_issue *is = pl_case_issue(c, i);
		const pl_outcome_record *xo = is->has_outcome ? &is->outcome : NULL;
		char known[40] = "-";
		double lo = NAN, hi = NAN;
		if (xo) {
			lo = xo->has_range ? xo->lo : xo->value;
			hi = xo->has_range ? xo->hi : xo->value;
			snprintf(known, sizeof known, "%g [%g,%g]", xo->value, lo, hi);
		}
		printf("%-16.16s %15s", pl_case_issue(c, i)->id, known);
		for (size_t e = 0; e < ne; e++) {
			double f = fc[e * ni + i];
			if (!ran[e])
				printf(" %10s", "n/a");
			else
				printf(" %9.1f%c", f, xo && f >= lo && f <= hi ? '*' : ' ');
		}
		printf("\n");
	}
}

static void forecasts_stay_on_scale(void **state)
{
	static char names[MAX_FILES][80];
	size_t n = list_cases(names), ne = pl_engine_count();
	assert_true(ne > 0);
	printf("Forecasts of every engine next to the known outcome ('*': inside its range)\n");
	for (size_t k = 0; k < n; k++) {
		json_t *doc = NULL;
		pl_case *c = read_case(names[k], &doc);
		size_t ni = pl_case_n_issues(c);
		double *fc = calloc(ne * ni, sizeof *fc);
		int *ran = calloc(ne, sizeof *ran);
		assert_non_null(fc);
		assert_non_null(ran);
		for (size_t e = 0; e < ne; e++)
			ran[e] = run_engine(names[k], c, pl_engine_at(e), fc + e * ni);
		print_case(names[k], c, doc, ne, fc, ran);
		free(fc);
		free(ran);
		json_decref(doc);
		pl_case_free(c);
	}
}

/* The default case keeps the ids the other tests and the docs rely on. */
static void default_case_ids_are_stable(void **state)
{
	json_t *doc = NULL;
	pl_case *c = read_case("korea-six-party", &doc);
	static const char *const issues[] = {"nuclear", "sequencing", "security", "assistance",
					     "mechanism"};
	static const char *const actors[] = {"USA", "CHN", "ROK", "JPN", "RUS", "PRK"};
	static const char *const forums[] = {"bilateral", "three-party", "four-party", "six-party",
					     "trilateral"};
	size_t x;
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(pl_case_find_issue(c, issues[i], &x, NULL), PL_OK);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(pl_case_find_actor(c, actors[i], &x, NULL), PL_OK);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(pl_case_find_forum(c, forums[i], &x, NULL), PL_OK);
	/* every stance of the default case explains itself */
	for (size_t a = 0; a < pl_case_n_actors(c); a++)
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			const pl_stance *s = pl_case_stance(c, a, i);
			assert_true(s->present);
			assert_non_null(s->note);
		}
	json_decref(doc);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readme_matches_files),
		cmocka_unit_test(default_case_ids_are_stable),
		cmocka_unit_test(forecasts_stay_on_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
