/* test_smp_paths.c - smp's fast challenge search against the plain one.
 * Under the default rules an initiator's targets are summed four at a time
 * side by side (smp_lanes.c, AVX2 or plain x86-64 vectors), last turn's
 * target first, and a target's sum is stopped once it cannot be chosen
 * (smp_turn.c, "Stopping a target's sum"); the risk PCE sums actors at the
 * same position once.  m->plain sums every target whole, one at a time,
 * and every option of the risk PCE.  The three must give the same bits,
 * turn after turn: the targets, both sides' estimates, the gains, the
 * bargains, the positions and the risk attitudes. */
#include "helpers.h"

#include <math.h>
#include <string.h>

#include "engines/smp/smp_internal.h"

typedef struct inst {
	size_t n, d;
	double *cap, *sal, *pos, *accom;
} inst;

static void inst_free(inst *c)
{
	free(c->cap);
	free(c->sal);
	free(c->pos);
	free(c->accom);
}

/* grid > 0: positions on that many points (ties between gains); twins:
 * every other actor a copy of the one before; lag: ideals follow positions
 * at half speed (an actor's ideal is not its position) */
static inst make(test_rng *r, size_t n, size_t d, int grid, int twins, int lag)
{
	inst c = {n, d, malloc(n * sizeof(double)), malloc(n * d * sizeof(double)),
		  malloc(n * d * sizeof(double)), NULL};
	assert_non_null(c.cap);
	assert_non_null(c.sal);
	assert_non_null(c.pos);
	for (size_t a = 0; a < n; a++) {
		if (twins && a % 2 == 1) {
			c.cap[a] = c.cap[a - 1];
			memcpy(c.sal + a * d, c.sal + (a - 1) * d, d * sizeof(double));
			memcpy(c.pos + a * d, c.pos + (a - 1) * d, d * sizeof(double));
			continue;
		}
		c.cap[a] = 1 + floor(99 * test_rng_unit(r));
		for (size_t k = 0; k < d; k++) {
			double x = test_rng_unit(r);
			c.pos[a * d + k] = grid ? floor(x * grid) / grid : x;
			c.sal[a * d + k] = 0.1 + 0.9 * test_rng_unit(r);
		}
	}
	if (lag) {
		c.accom = calloc(n * n, sizeof(double));
		assert_non_null(c.accom);
		for (size_t a = 0; a < n; a++)
			c.accom[a * n + a] = 0.5;
	}
	return c;
}

static void model(smp_model *m, const inst *c, int plain, int avx2)
{
	memset(m, 0, sizeof *m);
	pl_error err;
	assert_int_equal(pl__smp_model_init(m, c->n, c->d, c->cap, c->sal, c->pos, c->accom, &err),
			 PL_OK);
	m->par = (smp_params){VPM_LINEAR,  PCE_CONDITIONAL, STM_DETERMINISTIC,
			      VR_PROP,	   RA_ONETHIRD,	    RR_MID,
			      TPC_SEMI,	   IVB_S2P2,	    BM_INIT_ONLY};
	m->threads = 1;
	m->plain = plain;
	m->avx2 = avx2 && m->avx2;
	assert_int_equal(pl__smp_assess(m, &err), PL_OK);
}

#define SAME(x, y, len) assert_memory_equal((x), (y), (len) * sizeof *(x))

static size_t compare_runs(const inst *c, int turns)
{
	smp_model a, b, g;
	model(&a, c, 1, 0);
	model(&b, c, 0, 1);
	model(&g, c, 0, 0);
	const size_t n = c->n, d = c->d;
	size_t challenges = 0;
	pl_error err;
	for (int t = 0; t < turns; t++) {
		assert_int_equal(pl__smp_turn(&a, &err), PL_OK);
		assert_int_equal(pl__smp_turn(&b, &err), PL_OK);
		assert_int_equal(pl__smp_turn(&g, &err), PL_OK);
		const smp_model *f[2] = {&b, &g};
		for (int q = 0; q < 2; q++) {
			SAME(a.target, f[q]->target, n);
			SAME(a.best_edu, f[q]->best_edu, n);
			for (size_t i = 0; i < n; i++) {
				if (a.target[i] < 0)
					continue;
				assert_memory_equal(&a.p_init[i], &f[q]->p_init[i], sizeof(double));
				assert_memory_equal(&a.p_rcvr[i], &f[q]->p_rcvr[i], sizeof(double));
				assert_memory_equal(&a.edu_rcvr[i], &f[q]->edu_rcvr[i], sizeof(double));
			}
			SAME(a.pos, f[q]->pos, n * d);
			SAME(a.risk, f[q]->risk, n);
		}
		for (size_t i = 0; i < n; i++)
			challenges += a.target[i] >= 0;
	}
	pl__smp_model_free(&a);
	pl__smp_model_free(&b);
	pl__smp_model_free(&g);
	return challenges;
}

static void test_paths_agree(void **state)
{
	(void)state;
	test_rng r = {20261207};
	static const size_t sizes[] = {3, 5, 9, 17, 33, 60, 90};
	size_t challenges = 0;
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
		for (size_t d = 1; d <= 3; d++)
			for (int kind = 0; kind < 4; kind++) {
				inst c = make(&r, sizes[s], d, kind == 1 ? 8 : 0, kind == 2,
					      kind == 3);
				challenges += compare_runs(&c, sizes[s] > 40 ? 6 : 12);
				inst_free(&c);
			}
	/* the runs are not empty: actors do challenge */
	assert_true(challenges > 1000);
}

/* The coalition strengths of a PCE (VotingRule=Prop): with 16 options or
 * more they are summed in panels of four pairs' worth of vectors
 * (smp_pce.c); each must be the sum docs/models/smp.md states, taken over
 * the voters in order, to the bit. */
static void test_pce_coalitions(void **state)
{
	(void)state;
	test_rng r = {7};
	static const size_t opts[] = {16, 17, 18, 19, 20, 33, 64, 71};
	for (size_t s = 0; s < sizeof opts / sizeof *opts; s++)
		for (size_t n = 1; n < 90; n += 22) {
			const size_t m = opts[s];
			double *u = malloc(n * m * sizeof *u), *w = malloc(n * sizeof *w);
			double *c = malloc(m * m * sizeof *c), *pv = malloc(m * m * sizeof *pv);
			double *p = malloc(m * sizeof *p);
			assert_non_null(u && w && c && pv && p);
			for (size_t k = 0; k < n; k++) {
				w[k] = 1 + floor(50 * test_rng_unit(&r));
				for (size_t x = 0; x < m; x++) /* some ties: a grid */
					u[k * m + x] = s % 2 ? floor(8 * test_rng_unit(&r)) / 8
							     : test_rng_unit(&r);
			}
			pl_error err;
			assert_int_equal(pl__smp_scalar_pce(n, m, w, u, VR_PROP, VPM_LINEAR,
							    PCE_CONDITIONAL, c, pv, p, &err),
					 PL_OK);
			for (size_t i = 0; i < m; i++)
				for (size_t j = 0; j < m; j++) {
					double cij = SMP_MIN_COALITION;
					for (size_t k = 0; i != j && k < n; k++) {
						const double v = w[k] * (u[k * m + i] - u[k * m + j]);
						if (v > 0)
							cij = cij + v;
					}
					assert_memory_equal(&cij, &c[i * m + j], sizeof cij);
				}
			free(u);
			free(w);
			free(c);
			free(pv);
			free(p);
		}
}

/* The risk PCE sums actors at the same position once (pl__smp_class_pce,
 * smp_turn.c's assess): the coalition sums and the probabilities must be
 * the bits of the plain PCE over every option, under every voting rule it
 * takes, with classes of one option and of many, fewer and more than the
 * 16 options where the sums go by panels. */
static void test_pce_classes(void **state)
{
	(void)state;
	test_rng r = {11};
	static const smp_vr rules[] = {VR_BINARY, VR_PROPBIN, VR_PROP, VR_PROPCBC, VR_CUBIC};
	static const smp_pcem models[] = {PCE_CONDITIONAL, PCE_MARKOV_INCENTIVE,
					  PCE_MARKOV_UNIFORM};
	static const size_t opts[] = {2, 7, 16, 20, 40, 75};
	size_t twins = 0;
	for (size_t s = 0; s < sizeof opts / sizeof *opts; s++)
		for (size_t n = 1; n < 70; n += 17)
			for (size_t v = 0; v < sizeof rules / sizeof *rules; v++) {
				const size_t m = opts[s];
				const smp_pcem pcem = models[(s + v) % 3];
				size_t *cls = malloc(m * sizeof *cls);
				double *uc = malloc(n * m * sizeof *uc), *u = malloc(n * m * sizeof *u);
				double *w = malloc(n * sizeof *w);
				double *c = malloc(m * m * sizeof *c), *c2 = malloc(m * m * sizeof *c2);
				double *pv = malloc(m * m * sizeof *pv), *p = malloc(m * sizeof *p);
				double *p2 = malloc(m * sizeof *p2);
				assert_non_null(cls && uc && u && w && c && c2 && pv && p && p2);
				/* about one option in three joins an earlier class */
				size_t mc = 0;
				for (size_t i = 0; i < m; i++)
					cls[i] = mc && test_rng_unit(&r) < 0.35
							 ? (size_t)(test_rng_unit(&r) * (double)mc)
							 : mc++;
				twins += m - mc;
				for (size_t k = 0; k < n; k++) {
					w[k] = 1 + floor(50 * test_rng_unit(&r));
					for (size_t x = 0; x < mc; x++)
						uc[k * mc + x] = s % 2 ? floor(8 * test_rng_unit(&r)) / 8
								       : test_rng_unit(&r);
					for (size_t i = 0; i < m; i++)
						u[k * m + i] = uc[k * mc + cls[i]];
				}
				pl_error err;
				const int rc = pl__smp_scalar_pce(n, m, w, u, rules[v], VPM_LINEAR, pcem,
								  c, pv, p, &err);
				assert_int_equal(pl__smp_class_pce(n, m, w, uc, mc, cls, rules[v],
								   VPM_LINEAR, pcem, c2, pv, p2, &err),
						 rc);
				SAME(c, c2, m * m);
				if (rc == PL_OK)
					SAME(p, p2, m);
				free(cls);
				free(uc);
				free(u);
				free(w);
				free(c);
				free(c2);
				free(pv);
				free(p);
				free(p2);
			}
	assert_true(twins > 100);
	/* ASymProsp's vote is not odd: refused, the caller sums it whole */
	double w = 1, u = 0.5, c, pv, p;
	size_t cls = 0;
	pl_error err;
	assert_int_equal(pl__smp_class_pce(1, 1, &w, &u, 1, &cls, VR_ASYMPROSP, VPM_LINEAR,
					   PCE_CONDITIONAL, &c, &pv, &p, &err),
			 PL_EINTERNAL);
}

/* Actors at the same position, bit for bit, are one class; classes come in
 * the order of their first actors. */
static void test_position_classes(void **state)
{
	(void)state;
	const double pos[] = {0.5, 0.1, 0.2, 0.1, 0.5, 0.1, 0.25, 0.1, 0.5, 0.1, 0.2, 0.1};
	size_t cls[6], rep[6];
	assert_int_equal(pl__smp_position_classes(pos, 6, 2, cls, rep), 3);
	const size_t want_cls[] = {0, 1, 0, 2, 0, 1}, want_rep[] = {0, 1, 3};
	SAME(cls, want_cls, 6);
	SAME(rep, want_rep, 3);
	test_rng r = {5};
	for (size_t n = 1; n < 300; n += 37) {
		double *x = malloc(n * sizeof *x);
		size_t *c = malloc(n * sizeof *c), *rp = malloc(n * sizeof *rp);
		assert_non_null(x && c && rp);
		for (size_t a = 0; a < n; a++)
			x[a] = floor(20 * test_rng_unit(&r)) / 20;
		const size_t nc = pl__smp_position_classes(x, n, 1, c, rp);
		for (size_t a = 0; a < n; a++) {
			size_t first = 0;
			while (x[first] != x[a])
				first++;
			assert_true(c[a] < nc);
			assert_int_equal(rp[c[a]], first);
		}
		for (size_t q = 1; q < nc; q++)
			assert_true(rp[q - 1] < rp[q]);
		free(x);
		free(c);
		free(rp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_agree),
		cmocka_unit_test(test_pce_coalitions),
		cmocka_unit_test(test_pce_classes),
		cmocka_unit_test(test_position_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
