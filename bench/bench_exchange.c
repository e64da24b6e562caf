/* bench_exchange.c - the exchange engine's speed: CPU time of one round and
 * of 10 rounds on Decide's data sets (read from ../shared/peers/decide when
 * present), and on synthetic cases up to 100 actors x 30 issues (random
 * positions, saliences and powers, every actor on every issue).  Medians of
 * repeated runs, and the fastest of a round's (one round only at 100 x 30).
 * docs/benchmarks.md, "exchange". */
#include "bench_util.h"

/* The median CPU time of reps runs of rounds rounds; *fastest the least. */
static double time_runs(const pl_case *c, int rounds, int reps, size_t *n_exchanges,
			double *fastest)
{
	const pl_engine *e = pl_engine_find("exchange", NULL);
	double *t = malloc((size_t)reps * sizeof *t);
	for (int k = 0; k < reps; k++) {
		pl_run_options o;
		pl_run_options_init(&o);
		o.rounds = rounds;
		pl_result *r = NULL;
		pl_error err;
		pl_error_clear(&err);
		double t0 = bench_cpu_now();
		if (pl_forecast(c, e, &o, &r, &err)) {
			char buf[1024];
			fprintf(stderr, "%s\n", pl_error_format(&err, buf, sizeof buf));
			exit(1);
		}
		t[k] = bench_cpu_now() - t0;
		*n_exchanges = pl_result_n_exchanges(r);
		pl_result_free(r);
	}
	double m = bench_median(t, (size_t)reps);
	*fastest = t[0];
	for (int k = 1; k < reps; k++)
		if (t[k] < *fastest)
			*fastest = t[k];
	free(t);
	return m;
}

/* n actors x d issues in Decide's format, positions 0-100. */
static pl_case *synthetic(size_t n, size_t d, unsigned long long seed)
{
	size_t cap = 256 + n * 32 + d * 32 + n * d * 64, used = 0;
	char *s = malloc(cap);
	for (size_t a = 0; a < n; a++)
		used += (size_t)snprintf(s + used, cap - used, "#A;a%zu\n", a);
	for (size_t i = 0; i < d; i++)
		used += (size_t)snprintf(s + used, cap - used, "#P;i%zu\n", i);
	double *pow = malloc(n * sizeof *pow);
	for (size_t a = 0; a < n; a++)
		pow[a] = 0.05 + bench_lcg(&seed);
	for (size_t a = 0; a < n; a++)
		for (size_t i = 0; i < d; i++)
			used += (size_t)snprintf(
				s + used, cap - used, "#D;a%zu;i%zu;%.0f;%.2f;%.3f\n", a, i,
				100 * bench_lcg(&seed), 0.1 + 0.9 * bench_lcg(&seed), pow[a]);
	free(pow);
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_mem(s, used, "synthetic.txt", PL_FORMAT_DECIDE, &c, &err)) {
		char buf[1024];
		fprintf(stderr, "%s\n", pl_error_format(&err, buf, sizeof buf));
		exit(1);
	}
	free(s);
	return c;
}

static void row(const char *name, const pl_case *c, int reps, int ten_rounds)
{
	size_t x1, x10 = 0;
	double one_min, ten_min = 0;
	double one = time_runs(c, 1, reps, &x1, &one_min);
	double ten = ten_rounds ? time_runs(c, 10, reps, &x10, &ten_min) : 0;
	printf("%-22s %3zu x %2zu  %10.1f us %10.1f us  %6zu   %10.1f us  %6zu\n", name,
	       pl_case_n_actors(c), pl_case_n_issues(c), one * 1e6, one_min * 1e6, x1, ten * 1e6,
	       x10);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/peers/decide";
	int reps = argc > 2 ? atoi(argv[2]) : 51;
	printf("%-22s %8s  %13s %13s  %6s   %13s  %6s\n", "case", "n x d", "1 round (CPU)",
	       "fastest", "exch.", "10 rounds", "exch.");
	const char *files[] = {"sample_data.txt", "copenhagen.csv", "cop21.csv"};
	for (int k = 0; k < 3; k++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, files[k]);
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err)) {
			printf("%-22s (absent: %s)\n", files[k], path);
			continue;
		}
		row(files[k], c, reps, 1);
		pl_case_free(c);
	}
	const size_t sizes[][2] = {{10, 5}, {25, 10}, {50, 20}, {100, 30}};
	for (int k = 0; k < 4; k++) {
		char name[64];
		snprintf(name, sizeof name, "synthetic");
		pl_case *c = synthetic(sizes[k][0], sizes[k][1], 42 + (unsigned long long)k);
		/* the largest: one round, 3 runs (minutes otherwise) */
		row(name, c, sizes[k][0] >= 100 ? 3 : reps, sizes[k][0] < 100);
		pl_case_free(c);
	}
	return 0;
}
