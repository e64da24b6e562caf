/* test_analysis.c - sweeps and forum comparison: the random streams against
 * Random123's known answers, byte-identical results for any split of the
 * samples, sensitivity indices that recover known answers, exact inputs at
 * index 0, and compare against forecasting the members alone. */
#include "helpers.h"

#include "core/rng.h"
#include "engines/engine_impl.h"

/* ---- the generator ---------------------------------------------------- */

static void philox_known_answers(void **state)
{
	static const uint32_t v[3][10] = {
		{0, 0, 0, 0, 0, 0, 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
		{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x408f276d,
		 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
		{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, 0xd16cfe09,
		 0x94fdcceb, 0x5001e420, 0x24126ea1},
	};
	for (int k = 0; k < 3; k++) {
		uint32_t out[4];
		pl__philox4x32_10(v[k], v[k] + 4, out);
		for (int w = 0; w < 4; w++)
			assert_int_equal(out[w], v[k][6 + w]);
	}
}

static void streams_differ_and_repeat(void **state)
{
	pl_stream_rng a, b, c;
	pl__stream_rng_init(&a, 7, 100, 0);
	pl__stream_rng_init(&b, 7, 100, 0);
	pl__stream_rng_init(&c, 7, 101, 0);
	int same_ab = 1, same_ac = 1;
	for (int k = 0; k < 20; k++) {
		unsigned long x = gsl_rng_get(&a.rng), y = gsl_rng_get(&b.rng),
			      z = gsl_rng_get(&c.rng);
		same_ab &= x == y;
		same_ac &= x == z;
	}
	assert_true(same_ab);
	assert_false(same_ac);
}

/* ---- cases ------------------------------------------------------------- */

/* Median: A0 carries more than half the weight, so its position alone
 * decides; every position is uncertain, saliences and capabilities exact. */
static const char decisive_case[] =
	"{\"issues\":[{\"id\":\"x\"}],\"actors\":["
	"{\"id\":\"A0\",\"capability\":10,\"stances\":{\"x\":{\"position\":50,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"uniform\",\"half_width\":20}}}},"
	"{\"id\":\"A1\",\"capability\":1,\"stances\":{\"x\":{\"position\":20,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"uniform\",\"half_width\":20}}}},"
	"{\"id\":\"A2\",\"capability\":1,\"stances\":{\"x\":{\"position\":80,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"normal\",\"sd\":10}}}}]}";

/* Compromise with fixed weights: the forecast is (p0 + p1) / 2 with p0, p1
 * uniform of half-widths 10 and 20, so S0 = ST0 = 0.2 and S1 = ST1 = 0.8;
 * A2's position is exact (declared none). */
static const char linear_case[] =
	"{\"issues\":[{\"id\":\"x\"}],\"actors\":["
	"{\"id\":\"A0\",\"capability\":1,\"stances\":{\"x\":{\"position\":50,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"uniform\",\"half_width\":10}}}},"
	"{\"id\":\"A1\",\"capability\":1,\"stances\":{\"x\":{\"position\":50,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"uniform\",\"half_width\":20}}}},"
	"{\"id\":\"A2\",\"capability\":1,\"stances\":{\"x\":{\"position\":30,\"salience\":50,"
	"\"position_uncertainty\":{\"dist\":\"none\"}}}}]}";

static pl_sweep *sweep_method(const pl_case *c, const char *engine, uint64_t n, unsigned threads,
			      uint64_t first, uint64_t count, uint64_t seed, int method);

static pl_sweep *sweep_seed(const pl_case *c, const char *engine, uint64_t n, unsigned threads,
			    uint64_t first, uint64_t count, uint64_t seed)
{
	return sweep_method(c, engine, n, threads, first, count, seed, PL_SENS_DESIGN);
}

static pl_sweep *sweep_method(const pl_case *c, const char *engine, uint64_t n, unsigned threads,
			      uint64_t first, uint64_t count, uint64_t seed, int method)
{
	pl_error err;
	pl_error_clear(&err);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = n;
	o.seed = seed;
	o.threads = threads;
	o.sensitivity = method;
	o.first = first;
	o.count = count;
	pl_threshold thr = {.issue = PL_ALL_ISSUES, .value = 50};
	o.thresholds = &thr;
	o.n_thresholds = 1;
	pl_sweep *s = NULL;
	int rc = pl_sweep_run(c, pl_engine_find(engine, &err), &o, &s, &err);
	if (rc) {
		char buf[2048];
		print_error("sweep: %s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	return s;
}

static pl_sweep *sweep(const pl_case *c, const char *engine, uint64_t n, unsigned threads,
		       uint64_t first, uint64_t count)
{
	return sweep_seed(c, engine, n, threads, first, count, 42);
}

static size_t input_of(const pl_sweep *s, pl_input_kind kind, size_t actor)
{
	for (size_t k = 0; k < pl_sweep_n_inputs(s); k++)
		if (pl_sweep_input(s, k)->kind == kind && pl_sweep_input(s, k)->actor == actor)
			return k;
	fail_msg("no such input");
	return 0;
}

static pl_sobol sobol(const pl_sweep *s, size_t input)
{
	pl_sobol x;
	assert_int_equal(pl_sweep_sobol(s, 0, input, &x, NULL), PL_OK);
	return x;
}

/* ---- sensitivity ------------------------------------------------------- */

static void decisive_input_recovered(void **state)
{
	pl_case *c = case_from(decisive_case, "decisive.json");
	pl_sweep *s = sweep(c, "median", 4000, 2, 0, 0);
	pl_sobol a0 = sobol(s, input_of(s, PL_INPUT_POSITION, 0));
	assert_double_equal(a0.first, 1.0, 0.05);
	assert_double_equal(a0.total, 1.0, 0.05);
	assert_true(a0.first_lo <= 1.0 && 1.0 <= a0.first_hi + 1e-9);
	assert_true(a0.total_lo <= 1.0 + 1e-9);
	/* the others never move the median: exactly 0 */
	for (size_t k = 0; k < pl_sweep_n_inputs(s); k++) {
		if (k == input_of(s, PL_INPUT_POSITION, 0))
			continue;
		pl_sobol x = sobol(s, k);
		assert_true(x.first == 0 && x.total == 0 && x.first_lo == 0 && x.total_hi == 0);
	}
	pl_sweep_free(s);
	pl_case_free(c);
}

static void linear_model_indices(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	pl_sweep *s = sweep(c, "compromise", 20000, 2, 0, 0);
	pl_sobol a0 = sobol(s, input_of(s, PL_INPUT_POSITION, 0));
	pl_sobol a1 = sobol(s, input_of(s, PL_INPUT_POSITION, 1));
	assert_double_equal(a0.first, 0.2, 0.03);
	assert_double_equal(a1.first, 0.8, 0.03);
	assert_double_equal(a0.total, 0.2, 0.03);
	assert_double_equal(a1.total, 0.8, 0.03);
	/* A2's position has no uncertainty: index 0 and marked exact */
	size_t k2 = input_of(s, PL_INPUT_POSITION, 2);
	assert_int_equal(pl_sweep_input(s, k2)->source, PL_SOURCE_EXACT);
	pl_sobol a2 = sobol(s, k2);
	assert_true(a2.first == 0 && a2.total == 0);
	/* mean of (p0 + p1 + 30) / 3 is 130 / 3 */
	pl_sweep_summary sm;
	assert_int_equal(pl_sweep_summary_of(s, 0, &sm, NULL), PL_OK);
	assert_int_equal(sm.n, 20000);
	assert_double_equal(sm.nominal, 130.0 / 3, 1e-9);
	assert_double_equal(sm.mean, 130.0 / 3, 0.1);
	/* sd of (p0 + p1) / 3: sqrt(100/3 + 400/3) / 3 */
	assert_double_equal(sm.sd, sqrt(500.0 / 3) / 3, 0.1);
	assert_double_equal(pl_sweep_quantile(s, 0, 0.5), 130.0 / 3, 0.2);
	assert_true(sm.min >= 10.0 / 3 + 30.0 / 3 && sm.max <= 140.0 / 3 + 40.0 / 3);
	pl_sweep_free(s);
	pl_case_free(c);
}

/* The 95 % intervals cover the true indices in about 95 % of independent
 * sweeps (binomial: 40 sweeps, at least 34 expected with probability
 * > 0.99 when the coverage is 95 %). */
static void intervals_cover(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	int cover[4] = {0};
	const int runs = 40;
	for (int r = 0; r < runs; r++) {
		pl_sweep *s = sweep_seed(c, "compromise", 2000, 1, 0, 0, 1000 + (uint64_t)r);
		pl_sobol a0 = sobol(s, input_of(s, PL_INPUT_POSITION, 0));
		pl_sobol a1 = sobol(s, input_of(s, PL_INPUT_POSITION, 1));
		cover[0] += a0.first_lo <= 0.2 && 0.2 <= a0.first_hi;
		cover[1] += a0.total_lo <= 0.2 && 0.2 <= a0.total_hi;
		cover[2] += a1.first_lo <= 0.8 && 0.8 <= a1.first_hi;
		cover[3] += a1.total_lo <= 0.8 && 0.8 <= a1.total_hi;
		pl_sweep_free(s);
	}
	for (int k = 0; k < 4; k++) {
		if (cover[k] < 34)
			print_error("interval %d covered %d of %d\n", k, cover[k], runs);
		assert_true(cover[k] >= 34);
	}
	pl_case_free(c);
}

static size_t factor_named(const pl_sweep *s, const char *label)
{
	for (size_t f = 0; f < pl_sweep_n_factors(s); f++)
		if (strcmp(pl_sweep_factor_label(s, f), label) == 0)
			return f;
	fail_msg("no factor '%s'", label);
	return 0;
}

/* Groups: the linear model is additive, so a group's index is the sum of its
 * members' (A0 0.2, A1 0.8, positions together 1); exact groups are 0. */
static void grouped_factors(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 20000;
	o.seed = 5;
	o.sensitivity = 1;
	o.by = PL_BY_ACTOR;
	pl_sweep *s = NULL;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_n_factors(s), 3);
	pl_sobol x;
	pl_sweep_sobol(s, 0, factor_named(s, "actor A0"), &x, NULL);
	assert_double_equal(x.first, 0.2, 0.03);
	assert_double_equal(x.total, 0.2, 0.03);
	pl_sweep_sobol(s, 0, factor_named(s, "actor A1"), &x, NULL);
	assert_double_equal(x.first, 0.8, 0.03);
	pl_sweep_sobol(s, 0, factor_named(s, "actor A2"), &x, NULL);
	assert_true(x.first == 0 && x.total == 0);
	pl_sweep_free(s);
	o.by = PL_BY_KIND;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_n_factors(s), 3);
	pl_sweep_sobol(s, 0, factor_named(s, "position"), &x, NULL);
	assert_double_equal(x.first, 1.0, 0.03);
	assert_double_equal(x.total, 1.0, 0.03);
	pl_sweep_sobol(s, 0, factor_named(s, "salience"), &x, NULL);
	assert_true(x.first == 0 && x.total == 0);
	pl_sweep_free(s);
	o.by = (pl_sweep_by)7;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL),
			 PL_EINPUT);
	pl_case_free(c);
}

/* ---- reproducibility ------------------------------------------------- */

static void assert_same_bytes(const pl_sweep *a, const pl_sweep *b)
{
	void *pa, *pb;
	size_t la, lb;
	assert_int_equal(pl_sweep_pack(a, &pa, &la, NULL), PL_OK);
	assert_int_equal(pl_sweep_pack(b, &pb, &lb, NULL), PL_OK);
	assert_int_equal(la, lb);
	assert_memory_equal(pa, pb, la);
	free(pa);
	free(pb);
}

static void same_bytes_any_split(void **state)
{
	char *text = slurp("data/cases/korea-six-party.json", NULL);
	assert_non_null(text);
	pl_case *c = case_from(text, "korea-six-party.json");
	free(text);
	pl_sweep *one = sweep(c, "median", 1000, 1, 0, 0);
	pl_sweep *three = sweep(c, "median", 1000, 3, 0, 0);
	assert_same_bytes(one, three);
	/* two "ranks": [0, 333) and [333, 1000), merged either way round */
	pl_sweep *a = sweep(c, "median", 1000, 2, 0, 333);
	pl_sweep *b = sweep(c, "median", 1000, 1, 333, 667);
	void *pb;
	size_t lb;
	assert_int_equal(pl_sweep_pack(b, &pb, &lb, NULL), PL_OK);
	assert_int_equal(pl_sweep_merge(a, pb, lb, NULL), PL_OK);
	free(pb);
	assert_same_bytes(one, a);
	pl_sweep_summary x, y;
	pl_sweep_summary_of(one, 2, &x, NULL);
	pl_sweep_summary_of(a, 2, &y, NULL);
	assert_true(x.mean == y.mean && x.sd == y.sd && x.n == 1000);
	/* a different seed gives different numbers */
	pl_sweep_free(b);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 1000;
	o.seed = 43;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("median", NULL), &o, &b, NULL), PL_OK);
	pl_sweep_summary_of(b, 2, &y, NULL);
	assert_true(x.mean != y.mean);
	/* a part of another sweep does not merge */
	void *pa;
	size_t la;
	assert_int_equal(pl_sweep_pack(b, &pa, &la, NULL), PL_OK);
	assert_int_equal(pl_sweep_merge(one, pa, la, NULL), PL_EINPUT);
	free(pa);
	pl_sweep_free(one);
	pl_sweep_free(three);
	pl_sweep_free(a);
	pl_sweep_free(b);
	pl_case_free(c);
}

/* ---- given data ---------------------------------------------------------- */

/* The given-data estimator on the same known answers: the decisive actor's
 * position explains the median (S = 1), the others about nothing; the
 * linear model's 0.2 and 0.8; an exact input exactly 0; no total index. */
static void given_data_known_answers(void **state)
{
	pl_case *c = case_from(decisive_case, "decisive.json");
	pl_sweep *s = sweep_method(c, "median", 4000, 2, 0, 0, 42, PL_SENS_GIVEN);
	assert_int_equal(pl_sweep_sensitivity_method(s), PL_SENS_GIVEN);
	size_t k0 = input_of(s, PL_INPUT_POSITION, 0);
	pl_sobol a0 = sobol(s, k0);
	assert_double_equal(a0.first, 1.0, 0.05);
	assert_true(isnan(a0.total) && isnan(a0.total_lo) && isnan(a0.total_hi));
	for (size_t k = 0; k < pl_sweep_n_inputs(s); k++)
		if (k != k0)
			assert_double_equal(sobol(s, k).first, 0.0, 0.02);
	pl_sweep_free(s);
	pl_case_free(c);
	c = case_from(linear_case, "linear.json");
	s = sweep_method(c, "compromise", 20000, 2, 0, 0, 42, PL_SENS_GIVEN);
	pl_sobol x0 = sobol(s, input_of(s, PL_INPUT_POSITION, 0));
	pl_sobol x1 = sobol(s, input_of(s, PL_INPUT_POSITION, 1));
	assert_double_equal(x0.first, 0.2, 0.03);
	assert_double_equal(x1.first, 0.8, 0.03);
	pl_sobol x2 = sobol(s, input_of(s, PL_INPUT_POSITION, 2));
	assert_true(x2.first == 0 && x2.first_lo == 0 && x2.first_hi == 0);
	/* an input that reaches the issue but does not matter: near 0 */
	assert_double_equal(sobol(s, input_of(s, PL_INPUT_SALIENCE, 0)).first, 0.0, 0.01);
	pl_sweep_free(s);
	/* grouped factors need the design: it is run instead */
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 200;
	o.sensitivity = PL_SENS_GIVEN;
	o.by = PL_BY_ACTOR;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_sensitivity_method(s), PL_SENS_DESIGN);
	assert_false(isnan(sobol(s, 0).total));
	pl_sweep_free(s);
	o.sensitivity = 3;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL),
			 PL_EINPUT);
	pl_case_free(c);
}

/* The grouped jackknife's intervals cover the true first-order indices in
 * about 95 % of independent sweeps (as intervals_cover). */
static void given_data_intervals_cover(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	int cover[2] = {0};
	const int runs = 40;
	for (int r = 0; r < runs; r++) {
		pl_sweep *s = sweep_method(c, "compromise", 2000, 1, 0, 0, 1000 + (uint64_t)r,
					   PL_SENS_GIVEN);
		pl_sobol a0 = sobol(s, input_of(s, PL_INPUT_POSITION, 0));
		pl_sobol a1 = sobol(s, input_of(s, PL_INPUT_POSITION, 1));
		cover[0] += a0.first_lo <= 0.2 && 0.2 <= a0.first_hi;
		cover[1] += a1.first_lo <= 0.8 && 0.8 <= a1.first_hi;
		pl_sweep_free(s);
	}
	for (int k = 0; k < 2; k++) {
		if (cover[k] < 34)
			print_error("interval %d covered %d of %d\n", k, cover[k], runs);
		assert_true(cover[k] >= 34);
	}
	pl_case_free(c);
}

/* Given-data sums depend on each sample's index, not on who ran it: the
 * same bytes on 1 and 3 threads and from two merged parts. */
static void given_data_same_bytes_any_split(void **state)
{
	char *text = slurp("data/cases/korea-six-party.json", NULL);
	assert_non_null(text);
	pl_case *c = case_from(text, "korea-six-party.json");
	free(text);
	pl_sweep *one = sweep_method(c, "eu", 300, 1, 0, 0, 42, PL_SENS_GIVEN);
	pl_sweep *three = sweep_method(c, "eu", 300, 3, 0, 0, 42, PL_SENS_GIVEN);
	assert_same_bytes(one, three);
	pl_sweep *a = sweep_method(c, "eu", 300, 2, 0, 101, 42, PL_SENS_GIVEN);
	pl_sweep *b = sweep_method(c, "eu", 300, 1, 101, 199, 42, PL_SENS_GIVEN);
	void *pb;
	size_t lb;
	assert_int_equal(pl_sweep_pack(b, &pb, &lb, NULL), PL_OK);
	assert_int_equal(pl_sweep_merge(a, pb, lb, NULL), PL_OK);
	free(pb);
	assert_same_bytes(one, a);
	/* the forecasts' distribution is the one a sweep without indices gives */
	pl_sweep *none = sweep_method(c, "eu", 300, 2, 0, 0, 42, PL_SENS_OFF);
	pl_sweep_summary x, y;
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_sweep_summary_of(one, i, &x, NULL);
		pl_sweep_summary_of(none, i, &y, NULL);
		assert_true(x.mean == y.mean && x.sd == y.sd && x.n == y.n);
	}
	pl_sweep_free(one);
	pl_sweep_free(three);
	pl_sweep_free(a);
	pl_sweep_free(b);
	pl_sweep_free(none);
	pl_case_free(c);
}

/* ---- the multidimensional path ------------------------------------------ */

extern const struct pl_engine pl_engine_compromise;

/* The compromise model run over the whole case at once, as a multidim
 * engine would: the sweep hands it a case with patched tables. */
static int joint_compromise(const pl_case *c, size_t forum, const pl_engine_args *args,
			    pl_outcome_buf *outs, pl_error *err)
{
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_issue_view v;
		pl_issue_view_buf *b;
		int rc = pl_case_issue_view(c, i, forum, &v, &b, err);
		if (!rc)
			rc = pl__outcome_begin(&outs[i], i, v.n, v.actor);
		if (!rc)
			rc = pl_engine_compromise.run_issue(&v, args, &outs[i], err);
		pl_issue_view_buf_free(b);
		if (rc)
			return rc;
	}
	return PL_OK;
}

static const struct pl_engine joint_engine = {
	.name = "joint-compromise",
	.summary = "test: compromise through run_case",
	.multidim = 1,
	.run_case = joint_compromise,
};

static void multidim_path_matches_views(void **state)
{
	char *text = slurp("data/cases/korea-six-party.json", NULL);
	assert_non_null(text);
	pl_case *c = case_from(text, "korea-six-party.json");
	free(text);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 500;
	o.seed = 9;
	o.threads = 2;
	o.sensitivity = 1;
	pl_sweep *a = NULL, *b = NULL;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &a, NULL), PL_OK);
	assert_int_equal(pl_sweep_run(c, &joint_engine, &o, &b, NULL), PL_OK);
	assert_same_bytes(a, b);
	pl_sweep_free(a);
	pl_sweep_free(b);
	pl_case_free(c);
}

/* The bytes of a sweep are part of parley's contract (same inputs and seed,
 * same result, on every build and version): these values were recorded when
 * the generator, the distributions and the estimators were written.  A change
 * here means results published with an earlier parley cannot be reproduced;
 * make it only on purpose and say so in the release notes. */
static void golden_values(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 1000;
	o.seed = 2026;
	o.sensitivity = 1;
	pl_sweep *s = NULL;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL), PL_OK);
	pl_sweep_summary sm;
	pl_sweep_summary_of(s, 0, &sm, NULL);
	pl_sobol x;
	assert_int_equal(pl_sweep_input(s, 4)->kind, PL_INPUT_POSITION);
	pl_sweep_sobol(s, 0, 4, &x, NULL);
	assert_true(sm.mean == 43.189043955400898);
	assert_true(sm.sd == 4.2373821116414527);
	assert_true(sm.min == 33.731379716967545);
	assert_true(pl_sweep_quantile(s, 0, 0.5) == 43.184988839285715);
	assert_true(x.first == 0.80611486942072186);
	assert_true(x.total == 0.79781274736680974);
	pl_sweep_free(s);
	pl_case_free(c);
}

/* ---- defaults and bad options -------------------------------------------- */

static void builtin_defaults_only_when_nothing_declared(void **state)
{
	double cap[] = {1, 2}, pos[] = {10, 90}, sal[] = {50, 50};
	pl_case *c = case_from_arrays(2, cap, pos, sal, NULL);
	pl_input *in;
	size_t n;
	assert_int_equal(pl_case_inputs(c, 1, &in, &n, NULL), PL_OK);
	assert_int_equal(n, 6);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(in[k].source, PL_SOURCE_BUILTIN);
	assert_int_equal(in[1].kind, PL_INPUT_POSITION);
	assert_double_equal(in[1].dist.a, 5.0, 1e-12); /* 5 % of the range */
	free(in);
	assert_int_equal(pl_case_inputs(c, 0, &in, &n, NULL), PL_OK);
	for (size_t k = 0; k < n; k++)
		assert_int_equal(in[k].source, PL_SOURCE_EXACT);
	free(in);
	/* exact everywhere: every sample is the nominal forecast */
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 100;
	o.builtin_defaults = 0;
	pl_sweep *s;
	assert_int_equal(pl_sweep_run(c, pl_engine_find("compromise", NULL), &o, &s, NULL), PL_OK);
	pl_sweep_summary sm;
	pl_sweep_summary_of(s, 0, &sm, NULL);
	assert_true(sm.min == sm.nominal && sm.max == sm.nominal && sm.sd == 0);
	pl_sobol x;
	assert_int_equal(pl_sweep_sobol(s, 0, 0, &x, NULL), PL_EINPUT); /* not asked for */
	pl_sweep_free(s);
	pl_case_free(c);
}

/* One sample has no spread and no variance to share out: sd and every index
 * are NAN (undefined), not 0; two samples give numbers. */
static void one_sample_undefined(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	for (uint64_t n = 1; n <= 2; n++) {
		pl_sweep *s = sweep(c, "compromise", n, 1, 0, 0);
		pl_sweep_summary sm;
		assert_int_equal(pl_sweep_summary_of(s, 0, &sm, NULL), PL_OK);
		assert_true(isfinite(sm.mean) && (sm.min == sm.max) == (n == 1));
		assert_true(n == 1 ? isnan(sm.sd) : isfinite(sm.sd) && sm.sd > 0);
		for (size_t k = 0; k < pl_sweep_n_factors(s); k++) {
			pl_sobol x = sobol(s, k);
			double v[] = {x.first, x.first_lo, x.first_hi,
				      x.total, x.total_lo, x.total_hi};
			for (size_t q = 0; q < 6; q++)
				assert_true(n == 1 ? isnan(v[q]) : isfinite(v[q]));
		}
		pl_sweep_free(s);
	}
	pl_case_free(c);
}

/* The rounds a result and a sweep record: the engine's default when none is
 * asked, the number asked otherwise, 0 for a static engine. */
static void rounds_recorded(void **state)
{
	pl_case *c = case_from(linear_case, "linear.json");
	const pl_engine *eu = pl_engine_find("eu", NULL), *med = pl_engine_find("median", NULL);
	pl_run_options ro;
	pl_run_options_init(&ro);
	pl_result *r;
	assert_int_equal(pl_forecast(c, eu, &ro, &r, NULL), PL_OK);
	assert_int_equal(pl_result_rounds(r), eu->default_rounds);
	pl_result_free(r);
	ro.rounds = 3;
	assert_int_equal(pl_forecast(c, eu, &ro, &r, NULL), PL_OK);
	assert_int_equal(pl_result_rounds(r), 3);
	pl_result_free(r);
	assert_int_equal(pl_forecast(c, med, &ro, &r, NULL), PL_OK);
	assert_int_equal(pl_result_rounds(r), 0);
	pl_result_free(r);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 4;
	pl_sweep *s;
	assert_int_equal(pl_sweep_run(c, eu, &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_rounds(s), eu->default_rounds);
	pl_sweep_free(s);
	o.rounds = 2;
	assert_int_equal(pl_sweep_run(c, eu, &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_rounds(s), 2);
	pl_sweep_free(s);
	assert_int_equal(pl_sweep_run(c, med, &o, &s, NULL), PL_OK);
	assert_int_equal(pl_sweep_rounds(s), 0);
	pl_sweep_free(s);
	pl_case_free(c);
}

static void bad_options(void **state)
{
	double cap[] = {1}, pos[] = {10}, sal[] = {50};
	pl_case *c = case_from_arrays(1, cap, pos, sal, NULL);
	const pl_engine *e = pl_engine_find("median", NULL);
	pl_sweep_options o;
	pl_sweep *s = NULL;
	pl_error err;
	pl_sweep_options_init(&o);
	o.n = 0;
	pl_error_clear(&err);
	assert_int_equal(pl_sweep_run(c, e, &o, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "at least 1 sample"));
	pl_sweep_options_init(&o);
	o.bins = 0;
	assert_int_equal(pl_sweep_run(c, e, &o, &s, NULL), PL_EINPUT);
	pl_sweep_options_init(&o);
	o.first = 900;
	o.count = 200;
	assert_int_equal(pl_sweep_run(c, e, &o, &s, NULL), PL_EINPUT);
	pl_sweep_options_init(&o);
	o.forum = 3;
	assert_int_equal(pl_sweep_run(c, e, &o, &s, NULL), PL_ENOTFOUND);
	pl_params *p = pl_params_new();
	pl_params_set(p, "nope", "1", NULL);
	pl_sweep_options_init(&o);
	o.params = p;
	pl_error_clear(&err);
	assert_int_equal(pl_sweep_run(c, e, &o, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "has no parameter 'nope'"));
	assert_null(s);
	pl_params_free(p);
	pl_case_free(c);
}

/* ---- compare ----------------------------------------------------------- */

static const char forum_case[] =
	"{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":3,\"stances\":{\"x\":{\"position\":10,\"salience\":80},"
	"\"y\":{\"position\":70,\"salience\":40}}},"
	"{\"id\":\"B\",\"capability\":2,\"stances\":{\"x\":{\"position\":60,\"salience\":50},"
	"\"y\":{\"position\":20,\"salience\":90}}},"
	"{\"id\":\"C\",\"capability\":4,\"stances\":{\"x\":{\"position\":95,\"salience\":70},"
	"\"y\":{\"position\":45,\"salience\":30}}}],"
	"\"forums\":[{\"id\":\"ab\",\"members\":[\"A\",\"B\"],\"outsider_weight\":0}]}";

static const char members_case[] =
	"{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":3,\"stances\":{\"x\":{\"position\":10,\"salience\":80},"
	"\"y\":{\"position\":70,\"salience\":40}}},"
	"{\"id\":\"B\",\"capability\":2,\"stances\":{\"x\":{\"position\":60,\"salience\":50},"
	"\"y\":{\"position\":20,\"salience\":90}}}]}";

static void compare_equals_members_alone(void **state)
{
	pl_case *c = case_from(forum_case, "forum.json");
	pl_case *m = case_from(members_case, "members.json");
	size_t forums[] = {PL_NO_FORUM, 0};
	const pl_engine *engines[16];
	size_t ne = pl_engine_count();
	for (size_t e = 0; e < ne; e++)
		engines[e] = pl_engine_at(e);
	pl_compare_options o = {.n_forums = 2,
				.forums = forums,
				.baseline = 0,
				.n_engines = ne,
				.engines = engines};
	pl_compare *cmp = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_compare_run(c, &o, &cmp, &err), PL_OK);
	for (size_t e = 0; e < ne; e++) {
		pl_result *alone = NULL;
		assert_int_equal(pl_forecast(m, engines[e], NULL, &alone, &err), PL_OK);
		const pl_result *in_forum = pl_compare_result(cmp, 1, e, NULL);
		if (!in_forum)
			continue; /* an engine that cannot run in this format */
		for (size_t i = 0; i < 2; i++)
			assert_true(pl_result_outcome(in_forum, i)->forecast ==
				    pl_result_outcome(alone, i)->forecast);
		pl_result_free(alone);
	}
	/* utility and gain follow their definition */
	pl_compare_cell everyone, ab;
	pl_compare_cell_of(cmp, 0, 0, &everyone);
	pl_compare_cell_of(cmp, 1, 0, &ab);
	assert_double_equal(ab.change, ab.forecast - everyone.forecast, 1e-12);
	double uc = pl_compare_utility(cmp, 1, 2, 0);
	double want = 0;
	size_t n = 0;
	for (size_t e = 0; e < ne; e++) {
		const pl_result *r = pl_compare_result(cmp, 1, e, NULL);
		if (r) {
			want += -0.7 * fabs(pl_result_outcome(r, 0)->forecast - 95) / 100;
			n++;
		}
	}
	assert_double_equal(uc, want / (double)n, 1e-12);
	assert_double_equal(pl_compare_gain(cmp, 0, 2, 0), 0, 0);
	/* C is shut out of the room on x and loses there */
	assert_true(pl_compare_gain(cmp, 1, 2, 0) < 0);
	pl_compare_free(cmp);
	pl_case_free(c);
	pl_case_free(m);
}

/* C has no stance on y: smp (every actor on every issue) cannot take the
 * case, the per-issue engines can. */
static const char gap_case[] =
	"{\"issues\":[{\"id\":\"x\"},{\"id\":\"y\"}],\"actors\":["
	"{\"id\":\"A\",\"capability\":3,\"stances\":{\"x\":{\"position\":10,\"salience\":80},"
	"\"y\":{\"position\":70,\"salience\":40}}},"
	"{\"id\":\"B\",\"capability\":2,\"stances\":{\"x\":{\"position\":60,\"salience\":50},"
	"\"y\":{\"position\":20,\"salience\":90}}},"
	"{\"id\":\"C\",\"capability\":4,\"stances\":{\"x\":{\"position\":95,\"salience\":70}}}]}";

/* An engine that cannot take the case is "not run" with its reason, in
 * compare as in forecast --engine all; a bad parameter stays an error. */
static void compare_reports_engine_that_cannot_run(void **state)
{
	pl_case *c = case_from(gap_case, "gap.json");
	const pl_engine *smp = pl_engine_find("smp", NULL), *med = pl_engine_find("median", NULL);
	pl_result *r = NULL;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_forecast(c, smp, NULL, &r, &err);
	assert_int_equal(rc, PL_EINPUT);
	assert_true(pl_forecast_cannot_run(smp, NULL, rc));
	assert_false(pl_forecast_cannot_run(smp, NULL, PL_ENOMEM));
	pl_params *bad = pl_params_new();
	pl_params_set(bad, "nope", "1", NULL);
	pl_run_options ro;
	pl_run_options_init(&ro);
	ro.params = bad;
	assert_false(pl_forecast_cannot_run(smp, &ro, PL_EINPUT));
	size_t forums[] = {PL_NO_FORUM};
	const pl_engine *engines[] = {med, smp};
	pl_compare_options o = {
		.n_forums = 1, .forums = forums, .n_engines = 2, .engines = engines};
	pl_compare *cmp = NULL;
	pl_error_clear(&err);
	assert_int_equal(pl_compare_run(c, &o, &cmp, &err), PL_OK);
	const char *why = NULL;
	assert_non_null(pl_compare_result(cmp, 0, 0, &why));
	assert_null(why);
	assert_null(pl_compare_result(cmp, 0, 1, &why));
	assert_non_null(why);
	assert_non_null(strstr(why, "needs every actor's stance on every issue"));
	pl_compare_cell cell;
	pl_compare_cell_of(cmp, 0, 0, &cell);
	assert_true(isfinite(cell.forecast));
	pl_compare_free(cmp);
	/* smp's parameters are wrong: an error, not "not run" */
	const pl_params *ps[] = {NULL, bad};
	o.params = ps;
	cmp = NULL;
	pl_error_clear(&err);
	assert_int_equal(pl_compare_run(c, &o, &cmp, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "has no parameter 'nope'"));
	assert_null(cmp);
	/* a sweep says why once, before sampling */
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = 20;
	pl_sweep *s = NULL;
	pl_error_clear(&err);
	assert_int_equal(pl_sweep_run(c, smp, &so, &s, &err), PL_EINPUT);
	assert_non_null(strstr(err.message, "needs every actor's stance on every issue"));
	assert_null(s);
	pl_params_free(bad);
	pl_case_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(philox_known_answers),
		cmocka_unit_test(streams_differ_and_repeat),
		cmocka_unit_test(decisive_input_recovered),
		cmocka_unit_test(linear_model_indices),
		cmocka_unit_test(intervals_cover),
		cmocka_unit_test(grouped_factors),
		cmocka_unit_test(same_bytes_any_split),
		cmocka_unit_test(given_data_known_answers),
		cmocka_unit_test(given_data_intervals_cover),
		cmocka_unit_test(given_data_same_bytes_any_split),
		cmocka_unit_test(multidim_path_matches_views),
		cmocka_unit_test(golden_values),
		cmocka_unit_test(builtin_defaults_only_when_nothing_declared),
		cmocka_unit_test(one_sample_undefined),
		cmocka_unit_test(rounds_recorded),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(compare_equals_members_alone),
		cmocka_unit_test(compare_reports_engine_that_cannot_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
