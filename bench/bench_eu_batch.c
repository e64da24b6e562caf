/* bench_eu_batch.c - the eu engine on a sweep's samples, scalar against
 * batched (src/engines/eu/eu_batch.c, plain C vectors and AVX2): every
 * issue of CASE, SAMPLES perturbed copies of it (positions by 7.5 % of the
 * scale, saliences by 10 points, capabilities by 15 %: the sweep's default
 * uncertainty), run in blocks of 64 as the sweep runs them.  Prints the
 * CPU time per sample (a sample = every issue of the case), median of 5,
 * and checks that the three give the same forecasts bit for bit.  The draws
 * and sums of a real sweep are not in it: this is the engine alone.
 *
 * usage: bench_eu_batch CASE [SAMPLES] [scalar|generic|avx2]
 * (with a mode: that one only, once, for valgrind --tool=callgrind) */
#include "engines/eu/eu.h"
#include "engines/eu/eu_batch.h"

#include "bench_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK = 64, REPS = 5 };

typedef struct issue_samples {
	pl_issue_view v;
	pl_issue_view_buf *vb;
	double *pos, *sal, *cap; /* SAMPLES x n each */
} issue_samples;

static double gauss(unsigned long long *s)
{
	double u = bench_lcg(s), w = bench_lcg(s);
	return sqrt(-2 * log(1 - u)) * cos(6.283185307179586 * w);
}

/* Forecasts of every sample of every issue into f (issue-major); mode 0
 * scalar, else the batch b. */
static void run_all(issue_samples *is, size_t ni, size_t samples, pl__eu_batch *b, double *f,
		    pl_outcome_buf *o)
{
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	double tf[BLOCK];
	unsigned char tc[BLOCK], taken[BLOCK];
	for (size_t i = 0; i < ni; i++) {
		size_t n = is[i].v.n;
		for (size_t s0 = 0; s0 < samples; s0 += BLOCK) {
			size_t cnt = samples - s0 < BLOCK ? samples - s0 : BLOCK;
			if (b)
				pl__eu_batch_run(b, &cfg, 10, n, cnt, is[i].pos + s0 * n,
						 is[i].sal + s0 * n, is[i].cap + s0 * n, is[i].v.min,
						 is[i].v.max, tf, tc, taken);
			else
				memset(taken, 0, cnt);
			for (size_t s = 0; s < cnt; s++) {
				if (taken[s]) {
					f[i * samples + s0 + s] = tf[s];
					continue;
				}
				pl_issue_view v = is[i].v;
				v.pos = is[i].pos + (s0 + s) * n;
				v.sal = is[i].sal + (s0 + s) * n;
				v.cap = is[i].cap + (s0 + s) * n;
				pl__outcome_rewind(&o[i]);
				pl__eu_run(&cfg, &v, 10, &o[i], NULL, NULL);
				f[i * samples + s0 + s] = o[i].o.forecast;
			}
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_eu_batch CASE [SAMPLES] [scalar|generic|avx2]\n");
		return 2;
	}
	size_t samples = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 2000;
	const char *only = argc > 3 ? argv[3] : NULL;
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_file(argv[1], PL_FORMAT_AUTO, &c, &err)) {
		char buf[1024];
		fprintf(stderr, "%s\n", pl_error_format(&err, buf, sizeof buf));
		return 2;
	}
	size_t ni = pl_case_n_issues(c), max_n = 0;
	issue_samples *is = calloc(ni, sizeof *is);
	unsigned long long seed = 12345;
	for (size_t i = 0; i < ni; i++) {
		if (pl_case_issue_view(c, i, PL_NO_FORUM, &is[i].v, &is[i].vb, &err))
			return 2;
		size_t n = is[i].v.n;
		max_n = n > max_n ? n : max_n;
		is[i].pos = malloc(samples * n * sizeof(double));
		is[i].sal = malloc(samples * n * sizeof(double));
		is[i].cap = malloc(samples * n * sizeof(double));
		double span = is[i].v.max - is[i].v.min;
		for (size_t q = 0; q < samples * n; q++) {
			size_t m = q % n;
			is[i].pos[q] = fmin(is[i].v.max,
					    fmax(is[i].v.min, is[i].v.pos[m] + 0.075 * span * gauss(&seed)));
			is[i].sal[q] = fmin(1, fmax(0, is[i].v.sal[m] + 0.1 * gauss(&seed)));
			is[i].cap[q] = is[i].v.cap[m] * fmax(0, 1 + 0.15 * gauss(&seed));
		}
	}
	pl_outcome_buf *o = calloc(ni, sizeof *o);
	for (size_t i = 0; i < ni; i++) {
		pl__outcome_begin(&o[i], i, is[i].v.n, is[i].v.actor);
		o[i].no_notes = 1;
	}
	const char *names[] = {"scalar", "generic", "avx2"};
	int isa[] = {-1, PL_EU_ISA_GENERIC, PL_EU_ISA_AVX2};
	double *f[3];
	int ran[3] = {0, 0, 0};
	printf("%s, %zu issues, up to %zu actors, %zu samples\n", argv[1], ni, max_n, samples);
	printf("| engine | CPU us per sample (median of %d) | against scalar |\n|---|---:|---:|\n",
	       REPS);
	double base = 0;
	for (int k = 0; k < 3; k++) {
		if (only && strcmp(only, names[k]) != 0)
			continue;
		pl__eu_batch *b = NULL;
		if (isa[k] >= 0 && !(b = pl__eu_batch_new(max_n, isa[k]))) {
			printf("| %s | (not on this CPU) | |\n", names[k]);
			continue;
		}
		f[k] = malloc(ni * samples * sizeof(double));
		double t[REPS];
		int reps = only ? 1 : REPS;
		for (int r = 0; r < reps; r++) {
			double t0 = bench_cpu_now();
			run_all(is, ni, samples, b, f[k], o);
			t[r] = bench_cpu_now() - t0;
		}
		double us = bench_median(t, (size_t)reps) / (double)samples * 1e6;
		if (k == 0)
			base = us;
		printf("| %s | %.2f | %s%.2fx |\n", names[k], us, base > 0 ? "" : "-",
		       base > 0 ? base / us : 0);
		ran[k] = 1;
		pl__eu_batch_free(b);
	}
	int same = 1;
	for (int k = 1; k < 3; k++)
		if (ran[0] && ran[k] && memcmp(f[0], f[k], ni * samples * sizeof(double)) != 0)
			same = 0;
	printf("forecasts %s\n", same ? "identical bit for bit" : "DIFFER");
	return same ? 0 : 1;
}
