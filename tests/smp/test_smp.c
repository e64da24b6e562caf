/* test_smp.c - the smp engine: parley's own cases pinned to parley's
 * outputs, the formulas behind each non-default parameter, reproducibility
 * of stochastic runs across thread counts, the SQLite log, KTAB's XML
 * reader, and the errors bad input gets.  Nothing here reads ../shared:
 * KTAB's own files are test_smp_ktab.c's, which skips (77) without them. */
#include "helpers.h"

#include <jansson.h>
#include <pthread.h>
#include <sqlite3.h>
#include <unistd.h>

#include "engines/smp/smp_internal.h"
#include "smp_ktab_params_expected.h"

/* Runs smp with "name=value" parameters (NULL-terminated); rc returned. */
static int run_smp(const pl_case *c, pl_params *p, uint64_t seed, pl_result **r, pl_error *err)
{
	pl_error_clear(err);
	const pl_engine *e = pl_engine_find("smp", err);
	assert_non_null(e);
	pl_run_options o;
	pl_run_options_init(&o);
	o.seed = seed;
	o.params = p;
	return pl_forecast(c, e, &o, r, err);
}

static pl_result *run_ok(const pl_case *c, uint64_t seed, const char *const *kv)
{
	pl_params *p = pl_params_new();
	pl_error err;
	for (size_t k = 0; kv && kv[k]; k++)
		assert_int_equal(pl_params_parse(p, kv[k], &err), PL_OK);
	pl_result *r = NULL;
	int rc = run_smp(c, p, seed, &r, &err);
	if (rc) {
		char buf[2048];
		print_error("%s\n", pl_error_format(&err, buf, sizeof buf));
	}
	assert_int_equal(rc, PL_OK);
	pl_params_free(p);
	return r;
}

static void expect_final(const pl_result *r, size_t turns, const double *fin, size_t n, size_t d,
			 double tol)
{
	assert_int_equal(pl_result_n_outcomes(r), d);
	for (size_t k = 0; k < d; k++) {
		const pl_outcome *o = pl_result_outcome(r, k);
		assert_int_equal(o->n_rounds, turns);
		assert_int_equal(o->n_actors, n);
		for (size_t a = 0; a < n; a++)
			assert_double_equal(o->positions[turns * n + a], fin[a * d + k], tol);
	}
}

/* ---- parley's own cases, pinned ---------------------------------------- */

static void test_harbour_pinned(void **state)
{
	(void)state;
	pl_case *c = case_from_file("tests/data/smp/harbour-2d.csv");
	pl_result *r = run_ok(c, 0, NULL);
	static const double fin[] = {66.34, 43.93, 65.52, 43.59, 66.34,
				     43.93, 65.1,  43.81, 65.52, 43.59};
	expect_final(r, 17, fin, 5, 2, 1e-9);
	assert_double_equal(pl_result_outcome(r, 0)->forecast, 65.4344787, 1e-6);
	assert_double_equal(pl_result_outcome(r, 1)->forecast, 43.63672433, 1e-6);
	const pl_outcome *o = pl_result_outcome(r, 0);
	assert_double_equal(pl_outcome_stat(o, "distinct_positions"), 3, 0);
	double s = 0;
	for (int q = 0; q < 3; q++) {
		char nm[32];
		snprintf(nm, sizeof nm, "p_position_%d", q);
		s += pl_outcome_stat(o, nm);
	}
	assert_double_equal(s, 1.0, 1e-12);
	assert_double_equal(pl_outcome_stat(o, "p_most_likely"), 0.7890, 5e-5);
	assert_non_null(strstr(o->note, "{CITY,FISH}"));
	pl_result_free(r);
	pl_case_free(c);
}

static void test_league_pinned(void **state)
{
	(void)state;
	pl_case *c = case_from_file("tests/data/smp/league-3d.csv");
	pl_result *r = run_ok(c, 0, NULL);
	static const double fin[] = {20.33, 32.64, 83.74, 35.94, 40.9,	77.38, 29.61, 33.44,
				     80.99, 29.45, 33.36, 81.64, 29.61, 33.44, 80.99, 29.81,
				     33.45, 80.88, 29.61, 33.34, 81.53, 29.43, 33.33, 81.94};
	expect_final(r, 21, fin, 8, 3, 1e-9);
	assert_double_equal(pl_result_outcome(r, 2)->forecast, 81.32238617, 1e-6);
	pl_result_free(r);
	pl_case_free(c);
}

/* Every turn's positions are on the scale and the stop rule held. */
static void test_invariants_korea(void **state)
{
	(void)state;
	pl_case *c = case_from_file("data/cases/korea-six-party.json");
	pl_result *r = run_ok(c, 0, NULL);
	for (size_t k = 0; k < pl_result_n_outcomes(r); k++) {
		const pl_outcome *o = pl_result_outcome(r, k);
		const pl_issue *is = pl_case_issue(c, o->issue);
		assert_true(o->n_rounds >= 2 && o->n_rounds <= 100);
		for (size_t i = 0; i < (o->n_rounds + 1) * o->n_actors; i++)
			assert_true(o->positions[i] >= is->min && o->positions[i] <= is->max);
		assert_true(o->n_rounds == 100 || pl_outcome_stat(o, "last_move_ratio") < 0.02);
	}
	pl_result_free(r);
	pl_case_free(c);
}

/* ---- actor order -------------------------------------------------------- */

/* The case with its actors in the order perm (perm[q] = the old index of
 * the actor put at place q), through its JSON form. */
static pl_case *permuted(const pl_case *c, const size_t *perm)
{
	char *text = NULL;
	pl_error err;
	assert_int_equal(pl_case_write_json(c, &text, &err), PL_OK);
	json_t *root = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(root);
	json_t *old = json_object_get(root, "actors"), *neu = json_array();
	for (size_t q = 0; q < json_array_size(old); q++)
		json_array_append(neu, json_array_get(old, perm[q]));
	json_object_set_new(root, "actors", neu);
	text = json_dumps(root, 0);
	json_decref(root);
	pl_case *d = case_from(text, "permuted.json");
	free(text);
	return d;
}

/* Runs smp on c and on c with its actors permuted: the same turns, the same
 * forecasts and every actor (matched by id) at the same place each turn,
 * to 1e-9 on the issue's scale.  Returns the largest forecast difference. */
static double same_under(const pl_case *c, const size_t *perm, const char *const *kv)
{
	pl_case *d = permuted(c, perm);
	pl_result *r1 = run_ok(c, 11, kv), *r2 = run_ok(d, 11, kv);
	double worst = 0;
	for (size_t k = 0; k < pl_result_n_outcomes(r1); k++) {
		const pl_outcome *a = pl_result_outcome(r1, k), *b = pl_result_outcome(r2, k);
		assert_int_equal(a->n_rounds, b->n_rounds);
		worst = fmax(worst, fabs(a->forecast - b->forecast));
		for (size_t q = 0; q < b->n_actors; q++) {
			const size_t old = perm[b->actor[q]];
			for (size_t t = 0; t <= a->n_rounds; t++)
				assert_double_equal(b->positions[t * b->n_actors + q],
						    a->positions[t * a->n_actors + old], 1e-9);
		}
	}
	if (worst > 1e-9)
		print_error("%s: forecasts move by %g when the actors are permuted\n",
			    pl_case_get_info(c)->id, worst);
	assert_true(worst <= 1e-9);
	pl_result_free(r1);
	pl_result_free(r2);
	pl_case_free(d);
	return worst;
}

static void check_permutations(const pl_case *c, const char *const *kv)
{
	const size_t n = pl_case_n_actors(c);
	assert_true(n >= 2);
	size_t *perm = calloc(n, sizeof *perm);
	assert_non_null(perm);
	for (size_t q = 0; q < n; q++)
		perm[q] = n - 1 - q; /* reversed */
	same_under(c, perm, kv);
	uint64_t x = 0x9E3779B97F4A7C15ull; /* a fixed shuffle */
	for (size_t q = 0; q < n; q++)
		perm[q] = q;
	for (size_t q = n - 1; q > 0; q--) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		size_t r = (size_t)((x >> 33) % (q + 1)), t = perm[q];
		perm[q] = perm[r];
		perm[r] = t;
	}
	same_under(c, perm, kv);
	free(perm);
}

/* Reordering a case's actors changes nothing but the order of the output:
 * every choice that used to go to the lower index (ties between targets or
 * bargains, which actor stands for a cluster of distinct positions within
 * SMP_POS_TOL, the stochastic draws) goes by actor id.  Copenhagen reversed
 * used to move its forecast by up to 0.012 (89.71877 vs 89.71844 on the new
 * treaty): the cluster {AUS, CAN, JPN, RUS, BRA, DEV}, spread over less than
 * 10^-3, was represented by AUS or by DEV. */
static void test_actor_order(void **state)
{
	(void)state;
	static const char *const paths[] = {
		"data/cases/copenhagen-cop15.json", "data/cases/korea-six-party.json",
		"tests/data/smp/harbour-2d.csv", "tests/data/smp/league-3d.csv"};
	static const char *const stochastic[] = {"StateTransitions=Stochastic", NULL};
	static const char *const init_rcvr[] = {"BargnModel=InitRcvrInterp", NULL};
	for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
		pl_case *c = case_from_file(paths[k]);
		check_permutations(c, NULL);
		check_permutations(c, stochastic);
		pl_case_free(c);
	}
	pl_case *c = case_from_file("tests/data/smp/harbour-2d.csv");
	check_permutations(c, init_rcvr);
	pl_case_free(c);
}

/* Twins (same position, salience and capability) tie exactly as targets and
 * as bargains: which twin moves must not depend on their order in the file. */
static void test_actor_order_ties(void **state)
{
	(void)state;
	const char *twins = "Twins,\"two identical actors\",5,2,\n"
			    "Actor,Description,Power,A Position,A Salience,B Position,B Salience,\n"
			    "BIG,big,100,20,60,30,40,\nT2,twin,40,70,50,60,50,\n"
			    "MID,mid,60,45,30,80,70,\nT1,twin,40,70,50,60,50,\n"
			    "SMALL,small,20,90,40,10,60,\n";
	pl_case *c = case_from(twins, "twins.csv");
	check_permutations(c, NULL);
	pl_case_free(c);
}

/* ---- formulas of each parameter ---------------------------------------- */

static void test_votes(void **state)
{
	(void)state;
	const double w = 2.0;
	assert_double_equal(pl__smp_vote(VR_PROP, w, 0.7, 0.4), 0.6, 1e-15);
	assert_double_equal(pl__smp_vote(VR_BINARY, w, 0.7, 0.4), 2.0, 0);
	assert_double_equal(pl__smp_vote(VR_BINARY, w, 0.4, 0.7), -2.0, 0);
	assert_double_equal(pl__smp_vote(VR_BINARY, w, 0.5 + 5e-9, 0.5), 1.0, 1e-6);
	assert_double_equal(pl__smp_vote(VR_PROPBIN, w, 0.7, 0.4), 2 * (0.8 * 0.3 + 0.2), 1e-15);
	assert_double_equal(pl__smp_vote(VR_PROPCBC, w, 0.7, 0.4), 2 * (0.5 * 0.3 + 0.5 * 0.027),
			    1e-15);
	assert_double_equal(pl__smp_vote(VR_CUBIC, w, 0.7, 0.4), 2 * 0.027, 1e-15);
	assert_double_equal(pl__smp_vote(VR_ASYMPROSP, w, 0.7, 0.4), 2 * 2 * 0.3 / 3, 1e-15);
	assert_double_equal(pl__smp_vote(VR_ASYMPROSP, w, 0.4, 0.7), -0.6, 1e-15);
}

static void test_utility_and_risk(void **state)
{
	(void)state;
	assert_double_equal(pl__smp_bsutil(0.25, 0.0), 0.75, 0);
	assert_double_equal(pl__smp_bsutil(0.25, 1.0), 0.75 * 1.25, 1e-15);
	assert_double_equal(pl__smp_bsutil(0.25, -0.5), 0.75 * 0.875, 1e-15);
	assert_double_equal(pl__smp_bsutil(1.2, 0.5), -0.2 * 1.5, 1e-15);
	assert_double_equal(pl__smp_est_nra(0.3, 0.9, RA_NONE), 0.3, 0);
	assert_double_equal(pl__smp_est_nra(0.3, 0.9, RA_ONETHIRD), 0.5, 1e-15);
	assert_double_equal(pl__smp_est_nra(0.3, 0.9, RA_HALF), 0.6, 1e-15);
	assert_double_equal(pl__smp_est_nra(0.3, 0.9, RA_TWOTHIRDS), 0.7, 1e-15);
	assert_double_equal(pl__smp_est_nra(0.3, 0.9, RA_FULL), 0.9, 0);
	const double p[] = {0.1, 0.2, 0.7};
	double r[3];
	pl__smp_big_r(p, 3, RR_MIN, r);
	assert_double_equal(r[0], 0, 0);
	assert_double_equal(r[2], 1, 0);
	assert_double_equal(r[1], 1.0 / 6, 1e-15);
	pl__smp_big_r(p, 3, RR_MID, r);
	assert_double_equal(r[0], -0.5, 1e-15);
	assert_double_equal(r[2], 1, 1e-15);
	pl__smp_big_r(p, 3, RR_MAX, r);
	assert_double_equal(r[0], -1, 1e-15);
	assert_double_equal(r[2], 1, 1e-15);
	assert_double_equal(r[1], -2.0 / 3, 1e-15);
}

/* Two options, two voters: the victory-probability models and PCEs. */
static void test_pce_models(void **state)
{
	(void)state;
	const double w[] = {3.0, 1.0};
	const double u[] = {1.0, 0.0, 0.0, 1.0}; /* voter 0 likes option 0 */
	double c[4], pv[4], p[2];
	pl_error err;
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_LINEAR, PCE_CONDITIONAL, c, pv,
					    p, &err),
			 PL_OK);
	const double s1 = 3 + 1e-8, s2 = 1 + 1e-8;
	assert_double_equal(c[1 * 2 + 0], s2, 1e-15); /* for option 1 against 0 */
	assert_double_equal(pv[0 * 2 + 1], s1 / (s1 + s2), 1e-15);
	/* conditional: p_i proportional to prod_j pv(i,j), pv(i,i) = 1/2 */
	assert_double_equal(p[0], s1 / (s1 + s2), 1e-12);
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_SQUARE, PCE_CONDITIONAL, c, pv,
					    p, &err),
			 PL_OK);
	assert_double_equal(p[0], s1 * s1 / (s1 * s1 + s2 * s2), 1e-12);
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_QUARTIC, PCE_CONDITIONAL, c,
					    pv, p, &err),
			 PL_OK);
	assert_double_equal(p[0], 81.0 / 82.0, 1e-7);
	assert_int_equal(
		pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_OCTIC, PCE_CONDITIONAL, c, pv, p, &err),
		PL_OK);
	assert_double_equal(p[0], 6561.0 / 6562.0, 1e-7);
	/* binary: 3:1 is past the 1.1 threshold */
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_BINARY, PCE_CONDITIONAL, c, pv,
					    p, &err),
			 PL_OK);
	assert_double_equal(p[0], 1.0 / (1.0 + 1e-6), 1e-12);
	/* Markov uniform: stationary p_i = sum_j pv(i,j)(p_i + p_j)/m, so with two
	 * options p_0 = pv(0,1) */
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_LINEAR, PCE_MARKOV_UNIFORM, c,
					    pv, p, &err),
			 PL_OK);
	assert_double_equal(p[0], s1 / (s1 + s2), 1e-5);
	assert_double_equal(p[0] + p[1], 1.0, 1e-12);
	/* Markov incentive: each option is challenged almost surely by the other
	 * (the incentive c x pv dwarfs the diagonal's), so again p_0 = pv(0,1) */
	assert_int_equal(pl__smp_scalar_pce(2, 2, w, u, VR_PROP, VPM_LINEAR, PCE_MARKOV_INCENTIVE,
					    c, pv, p, &err),
			 PL_OK);
	assert_double_equal(p[0], s1 / (s1 + s2), 1e-7);
	assert_double_equal(p[0] + p[1], 1.0, 1e-9);
}

static void test_bargain_interpolation(void **state)
{
	(void)state;
	double bi, bj;
	/* S1P1: weights s*p; bi leans to j by j's weight */
	pl__smp_interp_dim(IVB_S1P1, 0.2, 0.5, 0.6, 0.8, 0.4, 0.4, &bi, &bj);
	double wi = 0.5 * 0.6, wj = 0.4 * 0.4;
	assert_double_equal(
		bi,
		(double)(int)(0.5 + 1e4 * (((wi + 1e-6) * 0.2 + wj * 0.8) / (wi + 1e-6 + wj))) /
			1e4,
		1e-15);
	/* S2P2: squares; both rounded to 4 decimals */
	pl__smp_interp_dim(IVB_S2P2, 0.2, 0.5, 0.6, 0.8, 0.4, 0.4, &bi, &bj);
	wi = 0.25 * 0.36;
	wj = 0.16 * 0.16;
	assert_double_equal(bi, 0.3329, 1e-15);
	assert_double_equal(bj, 0.3329, 1e-15);
	assert_double_equal(
		bi,
		(double)(int)(0.5 + 1e4 * ((wi + 1e-6) * 0.2 + wj * 0.8) / (wi + 1e-6 + wj)) / 1e4,
		1e-15);
	/* S2PMax: only the likelier loser moves, by d s_other^2 / (...) */
	pl__smp_interp_dim(IVB_S2PMAX, 0.2, 0.5, 0.6, 0.8, 0.4, 0.4, &bi, &bj);
	assert_double_equal(bi, 0.2, 0);
	const double dj = 0.2, djk = dj * 0.25 / (dj * 0.25 + 1e-6 + 0.8 * 0.16);
	assert_double_equal(bj, 0.8 + djk * (0.2 - 0.8), 1e-15);
}

static void test_third_party_commit(void **state)
{
	(void)state;
	smp_model m = {0};
	m.par.vr = VR_PROP;
	const double w = 2, uni = 0.8, unj = 0.3, unn = 0.6, ci = 1.0, cj = 1.0;
	/* its own little coalition: P[i wins] = (1 + w (uni - unj)) / (2 + w (uni - unj)) */
	const double pin = (1 + w * 0.5) / (2 + w * 0.5), pjn = 1 - pin;
	m.par.tpc = TPC_FULL;
	double v = pl__smp_third_party_vote(&m, w, uni, unj, unn, ci, cj);
	assert_double_equal(
		v, w * ((pin * 3 * uni + pjn * 3 * unj) - (pin * 3 * uni + pjn * 3 * unj)), 1e-15);
	m.par.tpc = TPC_SEMI;
	v = pl__smp_third_party_vote(&m, w, uni, unj, unn, ci, cj);
	assert_double_equal(v,
			    w * ((pin * (2 * uni + unn) + pjn * 3 * unj) -
				 (pin * 3 * uni + pjn * (2 * unj + unn))),
			    1e-15);
	m.par.tpc = TPC_NO;
	v = pl__smp_third_party_vote(&m, w, uni, unj, unn, ci, cj);
	assert_double_equal(v, 0.0, 1e-15);
}

/* Each non-default parameter changes the run, and every variant keeps
 * positions on the scale. */
static void test_every_parameter_runs(void **state)
{
	(void)state;
	pl_case *c = case_from_file("tests/data/smp/league-3d.csv");
	static const char *const variants[] = {"VictoryProbModel=Square",
					       "VictoryProbModel=Quartic",
					       "VictoryProbModel=Octic",
					       "VictoryProbModel=Binary",
					       "PCEModel=MarkovIncentive",
					       "PCEModel=MarkovUniform",
					       "VotingRule=Binary",
					       "VotingRule=PropBin",
					       "VotingRule=PropCbc",
					       "VotingRule=Cubic",
					       "VotingRule=ASymProsp",
					       "BigRAdjust=None",
					       "BigRAdjust=Half",
					       "BigRAdjust=TwoThirds",
					       "BigRAdjust=Full",
					       "BigRRange=Min",
					       "BigRRange=Max",
					       "ThirdPartyCommit=NoCommit",
					       "ThirdPartyCommit=FullCommit",
					       "InterVecBrgn=S1P1",
					       "InterVecBrgn=S2PMax",
					       "BargnModel=InitRcvrInterp",
					       "BargnModel=PWCompInterp"};
	pl_result *base = run_ok(c, 0, NULL);
	for (size_t k = 0; k < sizeof variants / sizeof variants[0]; k++) {
		const char *kv[] = {variants[k], NULL};
		pl_result *r = run_ok(c, 0, kv);
		int differs = 0;
		for (size_t i = 0; i < 3; i++) {
			const pl_outcome *o = pl_result_outcome(r, i),
					 *b = pl_result_outcome(base, i);
			for (size_t q = 0; q < (o->n_rounds + 1) * o->n_actors; q++)
				assert_true(o->positions[q] >= 0 && o->positions[q] <= 100);
			differs |= o->n_rounds != b->n_rounds ||
				   fabs(o->forecast - b->forecast) > 1e-9;
		}
		if (!differs)
			print_error("%s gives the default run\n", variants[k]);
		assert_true(differs);
		pl_result_free(r);
	}
	pl_result_free(base);
	pl_case_free(c);
}

/* KTAB's smpc on parley's own cases, one non-default parameter at a time
 * (and with lagging ideals): same turns, final positions within 10^-6. */
static void test_ktab_parameters(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof ktab_param_expected / sizeof ktab_param_expected[0]; k++) {
		const ktab_param_expect *x = &ktab_param_expected[k];
		pl_case *c = case_from_file(x->file);
		char p1[128], p2[512];
		snprintf(p1, sizeof p1, "%s", x->param[0] ? x->param : "threads=1");
		snprintf(p2, sizeof p2, "IdealAdjustment=%s", x->accom);
		const char *kv[] = {p1, p2, NULL};
		pl_result *r = run_ok(c, 0, kv);
		const size_t n = pl_case_n_actors(c), d = pl_case_n_issues(c);
		if (pl_result_outcome(r, 0)->n_rounds != x->turns)
			print_error("%s %s %s: %zu turns, KTAB %zu\n", x->file, x->param, x->accom,
				    pl_result_outcome(r, 0)->n_rounds, x->turns);
		expect_final(r, x->turns, x->final, n, d, 1e-6);
		pl_result_free(r);
		pl_case_free(c);
	}
}

/* ---- reproducibility ---------------------------------------------------- */

static void same_runs(const pl_result *a, const pl_result *b)
{
	assert_int_equal(pl_result_n_outcomes(a), pl_result_n_outcomes(b));
	for (size_t k = 0; k < pl_result_n_outcomes(a); k++) {
		const pl_outcome *x = pl_result_outcome(a, k), *y = pl_result_outcome(b, k);
		assert_int_equal(x->n_rounds, y->n_rounds);
		assert_memory_equal(x->positions, y->positions,
				    (x->n_rounds + 1) * x->n_actors * sizeof(double));
	}
}

static void test_stochastic_threads(void **state)
{
	(void)state;
	pl_case *c = case_from_file("tests/data/smp/league-3d.csv");
	const char *t1[] = {"StateTransitions=Stochastic", "threads=1", NULL};
	const char *t2[] = {"StateTransitions=Stochastic", "threads=2", NULL};
	const char *t5[] = {"StateTransitions=Stochastic", "threads=5", NULL};
	pl_result *a = run_ok(c, 7, t1), *b = run_ok(c, 7, t2), *d = run_ok(c, 7, t5);
	same_runs(a, b);
	same_runs(a, d);
	pl_result *e = run_ok(c, 8, t2);
	int differs = 0;
	for (size_t k = 0; k < 3; k++)
		differs |= pl_result_outcome(a, k)->forecast != pl_result_outcome(e, k)->forecast;
	assert_true(differs);
	pl_result *f = run_ok(c, 7, t1);
	same_runs(a, f);
	pl_result_free(a);
	pl_result_free(b);
	pl_result_free(d);
	pl_result_free(e);
	pl_result_free(f);
	pl_case_free(c);
}

static void test_deterministic_threads(void **state)
{
	(void)state;
	pl_case *c = case_from_file("tests/data/smp/harbour-2d.csv");
	const char *t1[] = {"threads=1", NULL}, *t4[] = {"threads=4", NULL};
	pl_result *a = run_ok(c, 0, t1), *b = run_ok(c, 0, t4);
	same_runs(a, b);
	pl_result_free(a);
	pl_result_free(b);
	pl_case_free(c);
}

/* ---- the SQLite log ----------------------------------------------------- */

static long count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void test_sqlite_log(void **state)
{
	(void)state;
	char path[] = "/tmp/parley-smp-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char kv0[300];
	snprintf(kv0, sizeof kv0, "log=%s", path);
	pl_case *c = case_from_file("tests/data/smp/harbour-2d.csv");
	const char *kv[] = {kv0, "threads=3", NULL};
	pl_result *r = run_ok(c, 0, kv);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* 17 turns + the final state, 5 actors, 2 dimensions */
	assert_int_equal(count_rows(db, "SELECT count(*) FROM position"), 18 * 5 * 2);
	assert_true(count_rows(db, "SELECT count(*) FROM challenge") > 0);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM bargain_choice WHERE chosen = 1"),
			 17 * 5);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM (SELECT turn, actor, "
					"sum(probability) s FROM bargain_choice GROUP BY turn, "
					"actor HAVING abs(s - 1) > 1e-9)"),
			 0);
	/* the logged final positions are the outcome's */
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT position FROM position WHERE turn = 17 AND "
					    "actor = 3 AND dim = 0",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_double_equal(sqlite3_column_double(st, 0), 65.1, 1e-9);
	sqlite3_finalize(st);
	sqlite3_close(db);
	unlink(path);
	pl_result_free(r);
	pl_case_free(c);
}

/* Two runs logging to one file at the same time (two threads, as in a
 * server): each writes under its own temporary name, both succeed, and the
 * file left is one whole log. */
typedef struct log_job {
	const pl_case *c;
	const char *kv;
	int rc;
} log_job;

static void *log_worker(void *arg)
{
	log_job *j = arg;
	pl_params *p = pl_params_new();
	pl_error err;
	pl_result *r = NULL;
	j->rc = pl_params_parse(p, j->kv, &err);
	if (!j->rc)
		j->rc = run_smp(j->c, p, 0, &r, &err);
	pl_result_free(r);
	pl_params_free(p);
	return NULL;
}

static void test_sqlite_log_concurrent(void **state)
{
	(void)state;
	char path[] = "/tmp/parley-smp-log2-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char kv[300];
	snprintf(kv, sizeof kv, "log=%s", path);
	pl_case *c = case_from_file("tests/data/smp/league-3d.csv");
	log_job jobs[4];
	pthread_t th[4];
	for (int k = 0; k < 4; k++) {
		jobs[k] = (log_job){c, kv, -1};
		assert_int_equal(pthread_create(&th[k], NULL, log_worker, &jobs[k]), 0);
	}
	for (int k = 0; k < 4; k++) {
		pthread_join(th[k], NULL);
		assert_int_equal(jobs[k].rc, PL_OK);
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	/* 21 turns + the final state, 8 actors, 3 dimensions */
	assert_int_equal(count_rows(db, "SELECT count(*) FROM position"), 22 * 8 * 3);
	assert_int_equal(count_rows(db, "SELECT count(*) FROM bargain_choice WHERE chosen = 1"),
			 21 * 8);
	sqlite3_close(db);
	unlink(path);
	pl_case_free(c);
}

/* A sweep runs the engine for every sample: log=FILE is refused there, with
 * the parameter named, and no file is written. */
static void test_sweep_refuses_log(void **state)
{
	(void)state;
	char path[] = "/tmp/parley-smp-log3-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	char kv[300];
	snprintf(kv, sizeof kv, "log=%s", path);
	pl_case *c = case_from_file("tests/data/smp/harbour-2d.csv");
	pl_params *p = pl_params_new();
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_params_parse(p, kv, &err), PL_OK);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 4;
	o.threads = 2;
	o.params = p;
	pl_sweep *s = NULL;
	const pl_engine *e = pl_engine_find("smp", &err);
	assert_int_equal(pl_sweep_run(c, e, &o, &s, &err), PL_EINPUT);
	assert_null(s);
	assert_non_null(strstr(err.message, "parameter log="));
	assert_non_null(strstr(err.message, "refused"));
	assert_int_equal(access(path, F_OK), -1);
	/* without the log the same sweep runs */
	pl_params_free(p);
	o.params = NULL;
	assert_int_equal(pl_sweep_run(c, e, &o, &s, &err), PL_OK);
	pl_sweep_free(s);
	pl_case_free(c);
}

/* ---- KTAB XML ----------------------------------------------------------- */

static void test_xml_parameters(void **state)
{
	(void)state;
	pl_case *c = NULL;
	pl_params *p = pl_params_new();
	uint64_t seed = 0;
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_ktab_xml_read_file("tests/data/smp/harbour-2d.xml", &c, p, &seed, &err),
			 PL_OK);
	assert_true(seed == 20261122u);
	assert_int_equal(pl_case_n_actors(c), 5);
	assert_int_equal(pl_case_n_issues(c), 2);
	pl_result *r = NULL;
	assert_int_equal(run_smp(c, p, seed, &r, &err), PL_OK);
	const char *ps = pl_result_params(r);
	assert_non_null(strstr(ps, "PCEModel=MarkovIncentive"));
	assert_non_null(strstr(ps, "BargnModel=PWCompInterp"));
	assert_non_null(strstr(ps, "IdealAdjustment=PORT>PORT=0.8"));
	/* the same scenario from CSV with the same parameters is the same run */
	pl_case *c2 = case_from_file("tests/data/smp/harbour-2d.csv");
	pl_result *r2 = NULL;
	assert_int_equal(pl_params_set(p, "threads", "2", &err), PL_OK);
	assert_int_equal(run_smp(c2, p, seed, &r2, &err), PL_OK);
	same_runs(r, r2);
	pl_result_free(r);
	pl_result_free(r2);
	pl_params_free(p);
	pl_case_free(c);
	pl_case_free(c2);
}

static void xml_fails(const char *xml, const char *where, const char *msg)
{
	pl_case *c = NULL;
	pl_params *p = pl_params_new();
	uint64_t seed;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_ktab_xml_read_mem(xml, strlen(xml), "s.xml", &c, p, &seed, &err);
	if (rc != PL_EINPUT || !strstr(err.where, where) || !strstr(err.message, msg))
		print_error("got %d %s: %s\n", rc, err.where, err.message);
	assert_int_equal(rc, PL_EINPUT);
	assert_non_null(strstr(err.where, where));
	assert_non_null(strstr(err.message, msg));
	assert_null(c);
	pl_params_free(p);
}

#define ACTOR(n, x)                                                                                \
	"<Actor><name>" n "</name><description>d</description><capability>10</capability>"         \
	"<Position><dCoord>" x "</dCoord></Position><Salience><dSal>50</dSal></Salience>"          \
	"</Actor>\n"

static void test_xml_errors(void **state)
{
	(void)state;
	const char *head = "<Scenario><prngSeed>1</prngSeed>\n<Dimensions><dName>D</dName>"
			   "</Dimensions>\n<Actors>\n";
	char buf[4096];
	snprintf(buf, sizeof buf, "%s%s%s%s</Actors></Scenario>", head, ACTOR("A", ""),
		 ACTOR("B", "20"), ACTOR("C", "30"));
	xml_fails(buf, "s.xml:4", "<dCoord> is empty");
	snprintf(buf, sizeof buf, "%s%s%s%s</Actors></Scenario>", head, ACTOR("A", "120"),
		 ACTOR("B", "20"), ACTOR("C", "30"));
	xml_fails(buf, "s.xml:4", "outside [0, 100]");
	snprintf(buf, sizeof buf, "%s%s%s%s</Actors></Scenario>", head, ACTOR("A", "10"),
		 ACTOR("A", "20"), ACTOR("C", "30"));
	xml_fails(buf, "s.xml:5", "appears twice");
	snprintf(buf, sizeof buf,
		 "<Scenario><prngSeed>1</prngSeed><ModelParameters>"
		 "<VictoryProbModel>Cubic</VictoryProbModel></ModelParameters></Scenario>");
	xml_fails(buf, "s.xml:1", "'Cubic' is not one of");
	xml_fails("<Scenario><prngSeed>-3</prngSeed></Scenario>", "s.xml:1", "prngSeed");
	xml_fails("<Scenario><name>x</name></Scenario>", "s.xml:1", "needs a <prngSeed>");
	xml_fails("<Scenario>\n<prngSeed>1</prngSeed>\n<Actors>", "s.xml:3", "not well-formed");
	xml_fails("<Model/>", "s.xml", "root element must be <Scenario>");
	snprintf(buf, sizeof buf,
		 "%s%s%s%s</Actors>\n<IdealAdjustment><iaPair><adjustingIdeal>A</adjustingIdeal>"
		 "<referencePos>Z</referencePos><adjust>0.5</adjust></iaPair></IdealAdjustment>"
		 "</Scenario>",
		 head, ACTOR("A", "10"), ACTOR("B", "20"), ACTOR("C", "30"));
	xml_fails(buf, "s.xml:8", "'Z' is not one of the scenario's actors");
}

/* ---- bad parameters and cases ------------------------------------------- */

static void run_fails(const char *path, const char *kv0, const char *msg)
{
	pl_case *c = case_from_file(path);
	pl_params *p = pl_params_new();
	pl_error err;
	if (kv0)
		assert_int_equal(pl_params_parse(p, kv0, &err), PL_OK);
	pl_result *r = NULL;
	int rc = run_smp(c, p, 0, &r, &err);
	if (rc != PL_EINPUT || !strstr(err.message, msg))
		print_error("got %d: %s\n", rc, err.message);
	assert_int_equal(rc, PL_EINPUT);
	assert_non_null(strstr(err.message, msg));
	assert_null(r);
	pl_params_free(p);
	pl_case_free(c);
}

static void test_bad_accommodation(void **state)
{
	(void)state;
	const char *h = "tests/data/smp/harbour-2d.csv";
	run_fails(h, "IdealAdjustment=PORT>CITY=0.5", "add up to 1.5");
	run_fails(h, "IdealAdjustment=PORT>CITY", "adjusting>reference=rate");
	run_fails(h, "IdealAdjustment=PORT>NOBODY=0.5", "no actor 'NOBODY'");
	run_fails(h, "IdealAdjustment=PORT>PORT=1.5", "must be a number in [0, 1]");
	run_fails(h, "BargnModel=Haggle", "is not one of");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_harbour_pinned),
		cmocka_unit_test(test_league_pinned),
		cmocka_unit_test(test_invariants_korea),
		cmocka_unit_test(test_actor_order),
		cmocka_unit_test(test_actor_order_ties),
		cmocka_unit_test(test_votes),
		cmocka_unit_test(test_utility_and_risk),
		cmocka_unit_test(test_pce_models),
		cmocka_unit_test(test_bargain_interpolation),
		cmocka_unit_test(test_third_party_commit),
		cmocka_unit_test(test_every_parameter_runs),
		cmocka_unit_test(test_ktab_parameters),
		cmocka_unit_test(test_stochastic_threads),
		cmocka_unit_test(test_deterministic_threads),
		cmocka_unit_test(test_sqlite_log),
		cmocka_unit_test(test_sqlite_log_concurrent),
		cmocka_unit_test(test_sweep_refuses_log),
		cmocka_unit_test(test_xml_parameters),
		cmocka_unit_test(test_xml_errors),
		cmocka_unit_test(test_bad_accommodation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
