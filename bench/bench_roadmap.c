/* bench_roadmap.c - how long the exact roadmap search takes on synthetic
 * negotiations of N steps and P parties (docs/benchmarks.md, "Roadmaps").
 *
 * Each instance: every step is taken by one party at a cost to it and is
 * worth something to one to three others (a few steps also cost a third
 * party); a sparse random "after" order; a third of the steps verified;
 * exposures a fraction of each party's largest cost.  The seeds are fixed.
 * Prints, per size, the median and the largest CPU time over the
 * instances, how many were proven, and how many had a plan.
 * usage: bench_roadmap [INSTANCES] [MAX_STEPS] [SLACK] */
#include "bench_util.h"

#include <parley/roadmap.h>

#define NMAX 64
#define PMAX 8

/* A synthetic negotiation; exposures are what a hidden random plan of
 * about n / 4 stages needs, plus slack (slack < 0: short of it). */
static char *instance(unsigned long long *seed, int n, int P, int slack)
{
	static double v[NMAX][PMAX];
	static int by[NMAX], ver[NMAX], after[NMAX][NMAX], stage[NMAX];
	int S = n / 4 > 1 ? n / 4 : 2;
	memset(v, 0, sizeof v);
	memset(after, 0, sizeof after);
	for (int i = 0; i < n; i++) {
		by[i] = (int)(bench_lcg(seed) * P);
		ver[i] = bench_lcg(seed) < 0.33;
		v[i][by[i]] = -(2 + (int)(bench_lcg(seed) * 9));
		int gets = 1 + (int)(bench_lcg(seed) * 3);
		for (int p = 0; p < P && P > 1; p++)
			if (p != by[i] && bench_lcg(seed) * (P - 1) < gets)
				v[i][p] = bench_lcg(seed) < 0.15 ? -(1 + (int)(bench_lcg(seed) * 3))
								 : 1 + (int)(bench_lcg(seed) * 8);
		stage[i] = 1 + (int)(bench_lcg(seed) * S);
		for (int j = 0; j < i; j++)
			if (bench_lcg(seed) < 1.5 / (i + 1)) {
				after[i][j] = 1;
				if (stage[i] <= stage[j])
					stage[i] = stage[j] + 1;
			}
	}
	int K = 0;
	for (int i = 0; i < n; i++)
		K = stage[i] > K ? stage[i] : K;
	size_t cap = 64 * 1024, len = 0;
	char *s = malloc(cap);
	if (!s)
		exit(1);
#define OUT(...) len += (size_t)snprintf(s + len, cap - len, __VA_ARGS__)
	OUT("{\"roadmap\":1,\"name\":\"synthetic\",\"parties\":[");
	for (int p = 0; p < P; p++) {
		double low = 0;
		for (int k = 1; k <= K + 1; k++) {
			double b = 0;
			for (int i = 0; i < n; i++)
				if (stage[i] + (ver[i] && by[i] != p) <= k)
					b += v[i][p];
			low = b < low ? b : low;
		}
		double e = -low + slack;
		OUT("%s{\"id\":\"P%d\",\"exposure\":%g}", p ? "," : "", p, e > 0 ? e : 0);
	}
	OUT("],\"steps\":[");
	for (int i = 0; i < n; i++) {
		OUT("%s{\"id\":\"s%d\",\"by\":\"P%d\",\"verified\":%s,\"value\":{", i ? "," : "", i,
		    by[i], ver[i] ? "true" : "false");
		for (int p = 0; p < P; p++)
			OUT("%s\"P%d\":%g", p ? "," : "", p, v[i][p]);
		OUT("},\"after\":[");
		int first = 1;
		for (int j = 0; j < i; j++)
			if (after[i][j]) {
				OUT("%s\"s%d\"", first ? "" : ",", j);
				first = 0;
			}
		OUT("]}");
	}
	OUT("]}");
#undef OUT
	return s;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 30, nmax = argc > 2 ? atoi(argv[2]) : 24;
	int slack = argc > 3 ? atoi(argv[3]) : 2;
	const int P = 6;
	printf("| steps x parties | instances | with a plan | proven optimal | median CPU s | "
	       "max CPU s | median nodes | mean stages |\n|---|---|---|---|---|---|---|---|\n");
	for (int n = 8; n <= nmax; n += 4) {
		double *t = malloc((size_t)count * sizeof *t),
		       *nodes = malloc((size_t)count * sizeof *t);
		int proven = 0, feasible = 0;
		double worst = 0, ksum = 0;
		unsigned long long seed = 1000u + (unsigned)n;
		for (int k = 0; k < count; k++) {
			char *text = instance(&seed, n, P, slack);
			pl_roadmap *r = NULL;
			pl_roadmap_plan *pl = NULL;
			pl_error err;
			pl_error_clear(&err);
			if (pl_roadmap_read_mem(text, strlen(text), "synthetic.json", &r, &err)) {
				char buf[2048];
				fprintf(stderr, "%s\n", pl_error_format(&err, buf, sizeof buf));
				return 1;
			}
			if (getenv("BENCH_DUMP")) {
				FILE *f = fopen(getenv("BENCH_DUMP"), "w");
				if (f) {
					fputs(text, f);
					fclose(f);
				}
			}
			double t0 = bench_cpu_now();
			if (pl_roadmap_solve(r, NULL, &pl, &err))
				return 1;
			t[k] = bench_cpu_now() - t0;
			nodes[k] = (double)pl->nodes;
			worst = t[k] > worst ? t[k] : worst;
			if (getenv("BENCH_VERBOSE") && t[k] > 0.1)
				fprintf(stderr,
					"n=%d k=%d: %.3f s, feasible %d, K %zu, nodes %llu\n", n, k,
					t[k], pl->feasible, pl->n_stages,
					(unsigned long long)pl->nodes);
			proven += pl->exact;
			ksum += pl->feasible ? (double)pl->n_stages : 0;
			feasible += pl->feasible;
			pl_roadmap_plan_free(pl);
			pl_roadmap_free(r);
			free(text);
		}
		printf("| %d x %d | %d | %d | %d | %.4f | %.4f | %.0f | %.1f |\n", n, P, count,
		       feasible, proven, bench_median(t, (size_t)count), worst,
		       bench_median(nodes, (size_t)count), ksum / (feasible ? feasible : 1));
		fflush(stdout);
		free(t);
		free(nodes);
	}
	return 0;
}
