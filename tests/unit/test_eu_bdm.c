/* test_eu_bdm.c - the eu engine with its default parameters against the
 * public Python replication of Scholz, Calbert & Smith (2011) on the eleven
 * BDM data sets of ../shared/peers/bdm: every actor's position and the
 * median, round by round.  The replication's trajectories are committed as
 * numbers with their provenance in tests/data/bdm-replication/; the inputs
 * stay in ../shared (exit 77 when absent, a failure under
 * PARLEY_REQUIRE_ALL=1).
 *
 * A round is compared while the positions it starts from are well
 * conditioned: no two different positions within 1e-7 of the distance
 * scale R.  Closer than that, the offer tests (b > |a|, ...) of a pair whose
 * saliences add up to 1 compare two numbers that agree to O(d^2) while each
 * carries a rounding error of O(eps d); the replication's path from there is
 * decided by its rounding (docs/models/eu.md, "Golden trajectories").  The
 * table below says where that happens, so the cut cannot move unnoticed. */
#include "helpers.h"

#include <unistd.h>

#define BDM_DIR	   "../shared/peers/bdm"
#define GOLD_DIR   "tests/data/bdm-replication"
#define MAX_ACTORS 64
#define MAX_ROWS   11

typedef struct golden {
	const char *name;
	int compared; /* rounds compared: 10, or the last well-conditioned one */
} golden;

static const golden sets[] = {
	{"china", 10},	      {"columbus", 7},	  {"emissions", 10},	   {"honduras", 10},
	{"iran2013", 10},     {"litigation", 10}, {"oil_minimalgeek", 10}, {"sultan", 10},
	{"uk_emu_labor", 10}, {"ww1", 4},	  {"ww1_bdm", 10},
};

typedef struct trajectory {
	size_t rows, n;
	double median[MAX_ROWS];
	double x[MAX_ROWS][MAX_ACTORS];
} trajectory;

/* Reads a golden file: '#' lines, then "round median mean x_1 ... x_n". */
static void read_golden(const char *name, trajectory *t)
{
	char path[256], line[8192];
	snprintf(path, sizeof path, "%s/%s.txt", GOLD_DIR, name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	memset(t, 0, sizeof *t);
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		char *p = line, *end;
		long round = strtol(p, &end, 10);
		assert_int_equal(round, (long)t->rows);
		t->median[t->rows] = strtod(end, &p);
		strtod(p, &end); /* the mean: a function of the positions */
		size_t n = 0;
		for (p = end;; p = end) {
			double v = strtod(p, &end);
			if (end == p)
				break;
			assert_true(n < MAX_ACTORS);
			t->x[t->rows][n++] = v;
		}
		assert_true(t->rows == 0 || n == t->n);
		t->n = n;
		t->rows++;
		assert_true(t->rows <= MAX_ROWS);
	}
	fclose(f);
}

/* The smallest gap between two different positions of a row, over R. */
static double closest_gap(const double *x, size_t n, double range)
{
	double gap = INFINITY;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			if (x[i] != x[j] && fabs(x[i] - x[j]) / range < gap)
				gap = fabs(x[i] - x[j]) / range;
	return gap;
}

static void one_set(const golden *g)
{
	trajectory t;
	read_golden(g->name, &t);
	assert_int_equal(t.rows, 11);
	char path[256];
	snprintf(path, sizeof path, "%s/%s.csv", BDM_DIR, g->name);
	pl_case *c = case_from_file(path);
	pl_run_options o;
	pl_run_options_init(&o);
	o.issue = 0;
	o.rounds = 10;
	pl_result *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_forecast(c, pl_engine_find("eu", NULL), &o, &r, &err), PL_OK);
	const pl_outcome *oc = pl_result_outcome(r, 0);
	assert_int_equal(oc->n_actors, t.n);
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < t.n; i++) {
		lo = fmin(lo, t.x[0][i]);
		hi = fmax(hi, t.x[0][i]);
	}
	double range = hi - lo, tol = 1e-12 * range, worst = 0;
	int compared = 0;
	for (size_t k = 0; k < t.rows; k++) {
		if (k > 0 && closest_gap(t.x[k - 1], t.n, range) < 1e-7)
			break;
		/* a run that came to rest keeps its last row */
		size_t row = k <= oc->n_rounds ? k : oc->n_rounds;
		for (size_t i = 0; i < t.n; i++) {
			double d = fabs(oc->positions[row * t.n + i] - t.x[k][i]);
			worst = fmax(worst, d / range);
			if (d > tol)
				print_error("%s round %zu actor %zu: %.17g, replication %.17g\n",
					    g->name, k, i, oc->positions[row * t.n + i], t.x[k][i]);
			assert_true(d <= tol);
		}
		assert_double_equal(oc->round_forecast[row], t.median[k], tol);
		compared = (int)k;
	}
	print_message("  %-16s rounds 0-%-2d agree (largest difference %.1e of the range)\n",
		      g->name, compared, worst);
	assert_int_equal(compared, g->compared);
	pl_result_free(r);
	pl_case_free(c);
}

static void bdm_replication(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++)
		one_set(&sets[k]);
}

int main(void)
{
	if (access(BDM_DIR, R_OK) != 0) {
		const char *all = getenv("PARLEY_REQUIRE_ALL");
		int required = all && strcmp(all, "1") == 0;
		printf("%s: %s is absent (the BDM replication's data sets)\n",
		       required ? "FAIL" : "skipped", BDM_DIR);
		return required ? 1 : 77;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bdm_replication),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
