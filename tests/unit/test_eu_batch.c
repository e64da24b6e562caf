/* test_eu_batch.c - the batched eu engine (four samples in the lanes of a
 * vector, src/engines/eu/eu_batch.c) gives every sample the scalar
 * engine's forecast bit for bit, and the same cycling flag: on thousands of
 * random issues (continuous positions, ties on a grid, positions packed
 * within 1e-7, saliences 0 and 1, weightless actors, every rule of the
 * forecast, the range and the cycle, 1 to 24 rounds, batches of 1 to 13
 * samples so that lanes run idle), and on every issue of the shipped cases
 * and the BDM data sets perturbed as a sweep perturbs them.  Both
 * instruction sets the CPU has are checked. */
#include "helpers.h"

#include "engines/engine_run.h"
#include "engines/eu/eu.h"
#include "engines/eu/eu_batch.h"

#include <stdint.h>

enum { MAXN = 40, MAXS = 13 };

/* The scalar engine on one sample: its forecast and cycling flag. */
static void scalar(const pl__eu_config *cfg, size_t n, const double *pos, const double *sal,
		   const double *cap, double lo, double hi, int rounds, double *f,
		   unsigned char *cyc)
{
	size_t actor[MAXN > 64 ? MAXN : 64];
	for (size_t i = 0; i < n; i++)
		actor[i] = i;
	pl_issue_view v = {n, actor, pos, sal, cap, lo, hi, 0, 0};
	pl_outcome_buf o;
	memset(&o, 0, sizeof o);
	assert_int_equal(pl__outcome_begin(&o, 0, n, actor), PL_OK);
	o.no_notes = 1;
	assert_int_equal(pl__eu_run(cfg, &v, rounds, &o, NULL, NULL), PL_OK);
	*f = o.o.forecast;
	*cyc = pl_outcome_stat(&o.o, "cycle_low") < pl_outcome_stat(&o.o, "cycle_high");
	pl__outcome_free(&o);
}

/* Runs count samples batched and one by one; every taken sample must
 * agree bit for bit.  Returns how many were taken. */
static size_t compare(pl__eu_batch *b, const pl__eu_config *cfg, size_t n, size_t count,
		      const double *pos, const double *sal, const double *cap, double lo,
		      double hi, int rounds)
{
	double f[64];
	unsigned char cyc[64], taken[64];
	pl__eu_batch_run(b, cfg, rounds, n, count, pos, sal, cap, lo, hi, f, cyc, taken);
	size_t took = 0;
	for (size_t j = 0; j < count; j++) {
		if (!taken[j])
			continue;
		took++;
		double g;
		unsigned char c;
		scalar(cfg, n, pos + j * n, sal + j * n, cap + j * n, lo, hi, rounds, &g, &c);
		if (memcmp(&f[j], &g, sizeof g) != 0 || c != cyc[j]) {
			print_error("sample %zu of %zu, n %zu, rounds %d: batch %a (cycling %d), "
				    "scalar %a (cycling %d)\n",
				    j, count, n, rounds, f[j], cyc[j], g, c);
			fail();
		}
	}
	return took;
}

static void random_config(test_rng *r, pl__eu_config *cfg)
{
	pl__eu_config_default(cfg);
	cfg->range = test_rng_next(r) % 4 == 0 ? PL_EU_RANGE_SCALE : PL_EU_RANGE_START;
	cfg->forecast = test_rng_next(r) % 4 == 0 ? PL_EU_MEAN : PL_EU_MEDIAN;
	cfg->cycle_last = test_rng_next(r) % 3 == 0;
}

static void random_issues(int isa)
{
	pl__eu_batch *b = pl__eu_batch_new(MAXN, isa);
	if (!b) {
		assert_int_equal(isa, PL_EU_ISA_AVX2); /* only a set the CPU lacks */
		return;
	}
	test_rng r = {7 + (uint64_t)isa};
	size_t took = 0, all = 0;
	for (int it = 0; it < 250; it++) {
		pl__eu_config cfg;
		random_config(&r, &cfg);
		/* mostly the sizes a sweep batches, now and then larger ones */
		size_t n = test_rng_next(&r) % 10 ? 2 + test_rng_next(&r) % 19 : 21 + test_rng_next(&r) % (MAXN - 20);
		size_t count = 1 + test_rng_next(&r) % MAXS;
		int kind = (int)(test_rng_next(&r) % 4), rounds = 1 + (int)(test_rng_next(&r) % 24);
		double pos[MAXS * MAXN], sal[MAXS * MAXN], cap[MAXS * MAXN];
		for (size_t q = 0; q < count * n; q++) {
			pos[q] = kind == 0   ? 100 * test_rng_unit(&r)
				 : kind == 1 ? 10.0 * (double)(test_rng_next(&r) % 11)
				 : kind == 2 ? (test_rng_next(&r) % 2 ? 50 + 1e-7 * test_rng_unit(&r) : 100 * test_rng_unit(&r))
					     : 25.0 * (double)(test_rng_next(&r) % 5);
			sal[q] = test_rng_next(&r) % 8 == 0   ? (double)(test_rng_next(&r) % 2)
				 : test_rng_next(&r) % 2 ? 0.3 + 0.7 * test_rng_unit(&r)
						: (double)(1 + test_rng_next(&r) % 4) / 4;
			cap[q] = test_rng_next(&r) % 16 == 0 ? 0 : 1 + 99 * test_rng_unit(&r);
		}
		took += compare(b, &cfg, n, count, pos, sal, cap, 0, 100, rounds);
		all += count;
	}
	/* the batch takes all but the degenerate samples */
	assert_true(took > all * 9 / 10);
	pl__eu_batch_free(b);
}

static void random_generic(void **state)
{
	(void)state;
	random_issues(PL_EU_ISA_GENERIC);
}

static void random_avx2(void **state)
{
	(void)state;
	random_issues(PL_EU_ISA_AVX2);
}

/* Every issue of a case, its positions, saliences and capabilities
 * perturbed as the sweep's defaults do (normal, clamped to the scale). */
static void case_issues(const char *path, int isa, size_t samples)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err), PL_OK);
	pl__eu_batch *b = pl__eu_batch_new(64, isa);
	if (!b) {
		pl_case_free(c);
		return;
	}
	test_rng r = {99};
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		pl_issue_view v;
		pl_issue_view_buf *vb = NULL;
		assert_int_equal(pl_case_issue_view(c, i, PL_NO_FORUM, &v, &vb, &err), PL_OK);
		if (v.n < 2 || v.n > 64) { /* the BDM sets have up to 30 actors */
			pl_issue_view_buf_free(vb);
			continue;
		}
		double *pos = malloc(64 * v.n * sizeof *pos), *sal = malloc(64 * v.n * sizeof *sal),
		       *cap = malloc(64 * v.n * sizeof *cap);
		assert_non_null(pos);
		assert_non_null(sal);
		assert_non_null(cap);
		double span = v.max - v.min;
		for (size_t done = 0; done < samples; done += 64) {
			for (size_t q = 0; q < 64 * v.n; q++) {
				size_t m = q % v.n;
				double gp = sqrt(-2 * log(1 - test_rng_unit(&r))) * cos(6.283185307179586 * test_rng_unit(&r));
				double gs = sqrt(-2 * log(1 - test_rng_unit(&r))) * cos(6.283185307179586 * test_rng_unit(&r));
				double gc = sqrt(-2 * log(1 - test_rng_unit(&r))) * cos(6.283185307179586 * test_rng_unit(&r));
				pos[q] = fmin(v.max, fmax(v.min, v.pos[m] + 0.075 * span * gp));
				sal[q] = fmin(1, fmax(0, v.sal[m] + 0.1 * gs));
				cap[q] = v.cap[m] * fmax(0, 1 + 0.15 * gc);
			}
			pl__eu_config cfg;
			pl__eu_config_default(&cfg);
			int rounds = i % 2 == 0 ? 10 : 1 + (int)(test_rng_next(&r) % 20);
			size_t took = compare(b, &cfg, v.n, 64, pos, sal, cap, v.min, v.max, rounds);
			assert_true(took > 32);
			/* the nominal case too */
			compare(b, &cfg, v.n, 1, v.pos, v.sal, v.cap, v.min, v.max, 10);
		}
		free(pos);
		free(sal);
		free(cap);
		pl_issue_view_buf_free(vb);
	}
	pl__eu_batch_free(b);
	pl_case_free(c);
}

static const char *const shipped[] = {"data/cases/korea-six-party.json",
				      "data/cases/ec-car-emissions.json",
				      "data/cases/copenhagen-cop15.json",
				      "data/cases/paris-cop21.json"};

static void shipped_cases(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof shipped / sizeof shipped[0]; k++) {
		case_issues(shipped[k], PL_EU_ISA_GENERIC, 64);
		case_issues(shipped[k], PL_EU_ISA_AVX2, 64);
	}
}

/* The BDM data sets of the public replications, when ../shared has them. */
static void bdm_cases(void **state)
{
	(void)state;
	static const char *const sets[] = {"china",	 "columbus",	    "emissions",
					   "honduras",	 "iran2013",	    "litigation",
					   "oil_minimalgeek", "sultan",	    "uk_emu_labor",
					   "ww1",	 "ww1_bdm"};
	char path[512];
	size_t found = 0;
	for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
		snprintf(path, sizeof path, "../shared/peers/bdm/%s.csv", sets[k]);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		found++;
		case_issues(path, PL_EU_ISA_GENERIC, 64);
		case_issues(path, PL_EU_ISA_AVX2, 64);
	}
	if (!found)
		skip(); /* ../shared/peers/bdm is absent */
}

/* A sweep reaches the batch through the engine table (pl_engine's batch):
 * eu has one where the CPU has AVX2 (with its default parameters),
 * compromise has none, and a batch run through the table gives the scalar
 * engine's forecasts. */
static void engine_table(void **state)
{
	(void)state;
	const pl_engine *eu = pl_engine_find("eu", NULL), *co = pl_engine_find("compromise", NULL);
	assert_non_null(eu);
	assert_non_null(co);
	pl_param_value *val = NULL;
	char *canon = NULL;
	assert_int_equal(pl__engine_resolve_params(eu, NULL, &val, &canon, NULL), PL_OK);
	pl_engine_args args = {.rounds = 10, .param = val};
	pl_engine_batch *b = NULL;
	assert_int_equal(pl__engine_batch_new(co, &args, 8, &b), PL_OK);
	assert_null(b);
	assert_int_equal(pl__engine_batch_new(eu, &args, 8, &b), PL_OK);
	if (!pl__eu_batch_available()) {
		assert_null(b);
	} else {
		assert_non_null(b);
		/* four samples of a 5-actor issue, against the scalar engine */
		double pos[20], sal[20], cap[20], f[4];
		unsigned char cyc[4], taken[4];
		for (int k = 0; k < 20; k++) {
			pos[k] = (k * 37 % 101);
			sal[k] = 0.2 + (k % 5) * 0.2;
			cap[k] = 1 + k % 3;
		}
		pl__engine_batch_run(b, 5, 4, pos, sal, cap, 0, 100, f, cyc, taken);
		pl__eu_config cfg;
		pl__eu_config_from_args(&args, &cfg);
		for (int j = 0; j < 4; j++) {
			assert_true(taken[j]);
			double g;
			unsigned char c;
			scalar(&cfg, 5, pos + 5 * j, sal + 5 * j, cap + 5 * j, 0, 100, 10, &g, &c);
			assert_memory_equal(&f[j], &g, sizeof g);
			assert_int_equal(c, cyc[j]);
		}
		pl__engine_batch_free(b);
	}
	free(val);
	free(canon);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_generic),
		cmocka_unit_test(random_avx2),
		cmocka_unit_test(shipped_cases),
		cmocka_unit_test(bdm_cases),
		cmocka_unit_test(engine_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
