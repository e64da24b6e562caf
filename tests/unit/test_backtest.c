/* test_backtest.c - `parley backtest`'s numbers against a hand computation
 * (three one-issue cases on three scales, compromise and median, whose
 * forecasts are worked out below), the same bytes for any number of
 * threads, skipped engines counted with their reason, and the refusals. */
#include "helpers.h"

#include <unistd.h>

/* A: scale 0-100, weights c*s = 1, 1, 1 at 0, 100, 40.
 *    compromise (0 + 100 + 40) / 3 = 46.667; median 40; outcome 50
 *    errors: compromise -3.333, median -10 */
static const char case_a[] = "# name: a\n# scale: 0 100\n# outcome: 50\n"
			     "Actor,Capability,Position,Salience\n"
			     "X,1,0,1\nY,1,100,1\nZ,2,40,0.5\n";
/* B: scale 0-10, weights 1, 3 at 2, 8.
 *    compromise (2 + 24) / 4 = 6.5; median 8; outcome 5
 *    errors (x 100 / 10): compromise +15, median +30 */
static const char case_b[] = "# name: b\n# scale: 0 10\n# outcome: 5\n"
			     "Actor,Capability,Position,Salience\n"
			     "X,1,2,1\nY,3,8,1\n";
/* C: scale 0-1, weights 1, 1, 1 at 0.2, 0.6, 0.9.
 *    compromise 1.7 / 3 = 0.5667; median 0.6; outcome 0.6
 *    errors (x 100): compromise -3.333, median 0 */
static const char case_c[] = "# name: c\n# scale: 0 1\n# outcome: 0.6\n"
			     "Actor,Capability,Position,Salience\n"
			     "X,1,0.2,1\nY,1,0.6,1\nZ,1,0.9,1\n";
/* D: no outcome: read, not scored. */
static const char case_d[] = "# name: d\n# scale: 0 100\n"
			     "Actor,Capability,Position,Salience\n"
			     "X,1,10,1\nY,1,90,1\n";

typedef struct fixture {
	pl_case *c[4];
	pl_case_set *set;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	const char *text[4] = {case_a, case_b, case_c, case_d};
	const char *name[4] = {"a.csv", "b.csv", "c.csv", "d.csv"};
	assert_int_equal(pl_case_set_new(&f->set, NULL), PL_OK);
	for (int k = 0; k < 4; k++) {
		f->c[k] = case_from(text[k], name[k]);
		assert_int_equal(pl_case_set_add(f->set, f->c[k], name[k], NULL), PL_OK);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	pl_case_set_free(f->set);
	for (int k = 0; k < 4; k++)
		pl_case_free(f->c[k]);
	free(f);
	return 0;
}

static pl_backtest *run(const pl_case_set *set, const char *engines, unsigned threads)
{
	pl_backtest_request req = PL_BACKTEST_REQUEST_INIT;
	req.engines = engines;
	req.threads = threads;
	pl_backtest *b = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_backtest_run_request(&b, set, &req, &err);
	if (rc) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	return b;
}

static void hand_computation(void **state)
{
	fixture *f = *state;
	pl_backtest *b = run(f->set, "compromise,median", 2);
	assert_int_equal(pl_backtest_n_cases(b), 4);
	assert_int_equal(pl_backtest_n_cases_used(b), 3);
	assert_int_equal(pl_backtest_n_issues(b), 3);
	assert_int_equal(pl_backtest_n_engines(b), 2);
	const double third = 10.0 / 3.0;
	pl_backtest_cell x;
	assert_int_equal(pl_backtest_cell_of(b, 1, 0, &x, NULL), PL_OK);
	assert_double_equal(x.forecast, 6.5, 1e-12);
	assert_double_equal(x.error, 15, 1e-9);
	assert_true(isnan(x.q10) && isnan(x.crps));
	assert_null(x.why);

	pl_backtest_score s;
	assert_int_equal(pl_backtest_score_of(b, 0, &s, NULL), PL_OK); /* compromise */
	assert_int_equal(s.n, 3);
	assert_int_equal(s.n_skipped, 0);
	/* |errors| 3.333, 15, 3.333 */
	assert_double_equal(s.mae, (third + 15 + third) / 3, 1e-9);
	assert_double_equal(s.rmse, sqrt((third * third * 2 + 225) / 3), 1e-9);
	assert_double_equal(s.median_ae, third, 1e-9);
	assert_double_equal(s.bias, (-third + 15 - third) / 3, 1e-9);
	assert_double_equal(s.closest, 2.0 / 3, 1e-12); /* A and B */
	assert_double_equal(s.within_10, 2.0 / 3, 1e-12);
	assert_int_equal(s.n_calibrated, 0);
	assert_true(isnan(s.in_50) && isnan(s.crps));

	assert_int_equal(pl_backtest_score_of(b, 1, &s, NULL), PL_OK); /* median */
	/* errors -10, +30, 0 */
	assert_double_equal(s.mae, 40.0 / 3, 1e-9);
	assert_double_equal(s.rmse, sqrt(1000.0 / 3), 1e-9);
	assert_double_equal(s.median_ae, 10, 1e-9);
	assert_double_equal(s.bias, 20.0 / 3, 1e-9);
	assert_double_equal(s.closest, 1.0 / 3, 1e-12); /* C */
	assert_double_equal(s.within_10, 2.0 / 3, 1e-12); /* 10 counts as within */

	/* the JSON's keys are a contract: "engine", "n", "mae" ... */
	char *json = NULL;
	assert_int_equal(pl_backtest_json(&json, b, NULL), PL_OK);
	assert_non_null(strstr(json, "\"engine\": \"compromise\",\n      \"n\": 3,\n      \"mae\": "));
	assert_non_null(strstr(json, "\"median_ae\": 10.0"));
	pl_free(json);
	char *csv = NULL;
	assert_int_equal(pl_backtest_csv(&csv, b, NULL), PL_OK);
	assert_non_null(strstr(csv, "\nb.csv,b,compromise,5,6.5,15,,,,,,\n"));
	pl_free(csv);
	pl_backtest_free(b);
}

static void same_bytes_any_threads(void **state)
{
	fixture *f = *state;
	char *doc[3];
	unsigned threads[3] = {1, 3, 0};
	for (int k = 0; k < 3; k++) {
		pl_backtest *b = run(f->set, "all", threads[k]);
		assert_int_equal(pl_backtest_json(&doc[k], b, NULL), PL_OK);
		pl_backtest_free(b);
	}
	assert_string_equal(doc[0], doc[1]);
	assert_string_equal(doc[0], doc[2]);
	for (int k = 0; k < 3; k++)
		pl_free(doc[k]);
}

/* A two-issue case where one actor has no stance on y: smp (all issues at
 * once, every actor on every issue) cannot take it: both its issues are
 * skipped with the reason, and counted; compromise takes them. */
static void skipped_with_reason(void **state)
{
	static const char text[] =
		"{\"format\":\"parley-case/1\",\"id\":\"t\",\"issues\":["
		"{\"id\":\"x\",\"outcome\":{\"value\":30}},{\"id\":\"y\",\"outcome\":{\"value\":60}}],"
		"\"actors\":[{\"id\":\"A\",\"capability\":2,\"stances\":{\"x\":{\"position\":10,"
		"\"salience\":50},\"y\":{\"position\":70,\"salience\":20}}},{\"id\":\"B\","
		"\"capability\":1,\"stances\":{\"x\":{\"position\":90,\"salience\":80}}}]}";
	pl_case *c = case_from(text, "t.json");
	pl_case_set *set;
	assert_int_equal(pl_case_set_new(&set, NULL), PL_OK);
	assert_int_equal(pl_case_set_add(set, c, "t.json", NULL), PL_OK);
	pl_backtest *b = run(set, "smp,compromise", 1);
	pl_backtest_score s;
	pl_backtest_score_of(b, 0, &s, NULL);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.n_skipped, 2);
	assert_true(isnan(s.mae));
	pl_backtest_cell x;
	pl_backtest_cell_of(b, 0, 0, &x, NULL);
	assert_non_null(x.why);
	assert_non_null(strstr(x.why, "B"));
	pl_backtest_score_of(b, 1, &s, NULL);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.n_skipped, 0);
	pl_backtest_free(b);
	pl_case_set_free(set);
	pl_case_free(c);
}

static void refusals(void **state)
{
	fixture *f = *state;
	pl_backtest_request req = PL_BACKTEST_REQUEST_INIT;
	pl_backtest *b = (pl_backtest *)1;
	pl_error err;
	pl_error_clear(&err);
	req.engines = "compromise,nope";
	assert_int_equal(pl_backtest_run_request(&b, f->set, &req, &err), PL_ENOTFOUND);
	assert_null(b);
	assert_non_null(strstr(err.message, "nope"));
	pl_error_clear(&err);
	req.engines = "median,median";
	assert_int_equal(pl_backtest_run_request(&b, f->set, &req, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "twice"));
	pl_error_clear(&err);
	req.engines = "all";
	req.version = 99;
	assert_int_equal(pl_backtest_run_request(&b, f->set, &req, &err), PL_EINPUT);
	req.version = PL_BACKTEST_REQUEST_VERSION;
	/* no outcome anywhere */
	pl_case_set *none;
	assert_int_equal(pl_case_set_new(&none, NULL), PL_OK);
	assert_int_equal(pl_case_set_add(none, f->c[3], "d.csv", NULL), PL_OK);
	pl_error_clear(&err);
	assert_int_equal(pl_backtest_run_request(&b, none, &req, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "outcome"));
	pl_case_set_free(none);
	/* a log file per run is refused */
	static const char *const log[] = {"smp.log=x.db"};
	req.engines = "smp";
	req.params = log;
	req.n_params = 1;
	pl_error_clear(&err);
	assert_int_equal(pl_backtest_run_request(&b, f->set, &req, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "records one run"));
}

/* A directory: its *.json and *.csv files in name order; a bad file is
 * refused naming it. */
static void directories(void **state)
{
	char dir[] = "/tmp/pl_backtest_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	const char *files[3][2] = {{"2.csv", case_b}, {"1.csv", case_a}, {"notes.txt", "x"}};
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[k][0]);
		FILE *fp = fopen(path, "w");
		fputs(files[k][1], fp);
		fclose(fp);
	}
	pl_case_set *set;
	pl_case_set_new(&set, NULL);
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_set_add_path(set, dir, &err), PL_OK);
	assert_int_equal(pl_case_set_n_cases(set), 2);
	assert_non_null(strstr(pl_case_set_name(set, 0), "/1.csv"));
	assert_non_null(strstr(pl_case_set_name(set, 1), "/2.csv"));
	snprintf(path, sizeof path, "%s/3.csv", dir);
	FILE *fp = fopen(path, "w");
	fputs("# scale: 0 100\nActor,Capability,Position,Salience\nX,1,200,1\n", fp);
	fclose(fp);
	pl_case_set_free(set);
	pl_case_set_new(&set, NULL);
	assert_int_not_equal(pl_case_set_add_path(set, dir, &err), PL_OK);
	assert_non_null(strstr(err.where, "3.csv"));
	pl_case_set_free(set);
	const char *names[] = {"1.csv", "2.csv", "3.csv", "notes.txt"};
	for (int k = 0; k < 4; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[k]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(hand_computation, setup, teardown),
		cmocka_unit_test_setup_teardown(same_bytes_any_threads, setup, teardown),
		cmocka_unit_test(skipped_with_reason),
		cmocka_unit_test_setup_teardown(refusals, setup, teardown),
		cmocka_unit_test(directories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
