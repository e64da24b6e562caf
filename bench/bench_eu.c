/* bench_eu.c - the expected-utility engine against its targets: the EC
 * car-emissions case for 10 rounds (<= 20 us) and 200 actors for 10 rounds
 * (<= 30 ms), plus 50 and 1000 actors to show the growth.  Each size is run
 * in batches; the table gives the median over batches of the time of one
 * run, both of the engine on a prepared view (pl__eu_run) and of a whole
 * pl_forecast (view, parameters, result).  Times are CPU time of this
 * thread, so other load on the machine inflates them little.
 *
 * usage: bench_eu [DATA_DIR] [--once]   (DATA_DIR holds ec-car-emissions.json;
 * --once runs the EC case a single time, for valgrind --tool=callgrind)
 *        bench_eu DATA_DIR --paths N [tables|stream]
 *   one run of 10 rounds of N synthetic actors by each way of holding the
 *   pairs' tables (docs/models/eu.md, "Memory"), or only the one named (for
 *   callgrind): CPU seconds of each, and whether their rows agree bit for bit */
#include "engines/eu/eu.h"

#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pl_case *synthetic(size_t n, unsigned long long seed)
{
	size_t size = 256 + n * 128;
	char *s = malloc(size);
	size_t u = (size_t)snprintf(s, size, "{\"issues\":[{\"id\":\"x\"}],\"actors\":[");
	for (size_t a = 0; a < n; a++)
		u += (size_t)snprintf(s + u, size - u,
				      "%s{\"id\":\"a%zu\",\"capability\":%.4f,\"stances\":{\"x\":"
				      "{\"position\":%.4f,\"salience\":%.4f}}}",
				      a ? "," : "", a, 1 + 99 * bench_lcg(&seed), 100 * bench_lcg(&seed),
				      5 + 95 * bench_lcg(&seed));
	snprintf(s + u, size - u, "]}");
	return bench_case_from_json(s);
}

enum { BATCHES = 15 };

/* One timed unit: the engine alone (view != NULL) or a whole forecast. */
typedef struct job {
	const pl_case *c;
	const pl_issue_view *view;
	size_t rounds_played;
} job;

static int run_once(job *j)
{
	if (j->view) {
		pl_outcome_buf out;
		memset(&out, 0, sizeof out);
		pl__eu_config cfg;
		pl__eu_config_default(&cfg);
		int rc = pl__outcome_begin(&out, 0, j->view->n, j->view->actor);
		if (!rc)
			rc = pl__eu_run(&cfg, j->view, 10, &out, NULL, NULL);
		j->rounds_played = out.o.n_rounds;
		pl__outcome_free(&out);
		return rc;
	}
	pl_run_options o;
	pl_run_options_init(&o);
	o.rounds = 10;
	pl_result *r = NULL;
	int rc = pl_forecast(j->c, pl_engine_find("eu", NULL), &o, &r, NULL);
	if (!rc)
		j->rounds_played = pl_result_outcome(r, 0)->n_rounds;
	pl_result_free(r);
	return rc;
}

/* Median over batches of the CPU time of one run, in seconds. */
static double time_job(job *j)
{
	int reps = 1;
	for (;;) {
		double t0 = bench_cpu_now();
		for (int k = 0; k < reps; k++)
			if (run_once(j))
				return -1;
		if (bench_cpu_now() - t0 > 0.05 || reps > (1 << 24))
			break;
		reps *= 2;
	}
	double t[BATCHES];
	for (int b = 0; b < BATCHES; b++) {
		double t0 = bench_cpu_now();
		for (int k = 0; k < reps; k++)
			run_once(j);
		t[b] = (bench_cpu_now() - t0) / reps;
	}
	qsort(t, BATCHES, sizeof t[0], bench_cmp_double);
	return t[BATCHES / 2];
}

static const char *fmt_time(double s, char *buf, size_t size)
{
	if (s < 0)
		snprintf(buf, size, "error");
	else if (s < 1e-3)
		snprintf(buf, size, "%.2f µs", s * 1e6);
	else
		snprintf(buf, size, "%.2f ms", s * 1e3);
	return buf;
}

static void row(const char *name, const pl_case *c, const char *target)
{
	pl_issue_view v;
	pl_issue_view_buf *buf = NULL;
	if (pl_case_issue_view(c, 0, PL_NO_FORUM, &v, &buf, NULL)) {
		fprintf(stderr, "%s: no view\n", name);
		exit(1);
	}
	job engine = {c, &v, 0}, whole = {c, NULL, 0};
	double te = time_job(&engine), tw = time_job(&whole);
	char be[32], bw[32];
	printf("| %s | %zu | %zu | %s | %s | %s |\n", name, v.n, engine.rounds_played,
	       fmt_time(te, be, sizeof be), fmt_time(tw, bw, sizeof bw), target);
	pl_issue_view_buf_free(buf);
}

/* One run of the synthetic case of n actors by the given path: its CPU
 * seconds, and the positions of every row in *pos (malloc'd). */
static double run_path(const pl_issue_view *v, int path, double **pos, size_t *len)
{
	pl_outcome_buf out;
	memset(&out, 0, sizeof out);
	pl__eu_config cfg;
	pl__eu_config_default(&cfg);
	cfg.path = path;
	double t0 = bench_cpu_now();
	if (pl__outcome_begin(&out, 0, v->n, v->actor) ||
	    pl__eu_run(&cfg, v, 10, &out, NULL, NULL)) {
		fprintf(stderr, "eu run failed\n");
		exit(1);
	}
	double t = bench_cpu_now() - t0;
	*len = (out.o.n_rounds + 1) * v->n;
	*pos = malloc(*len * sizeof **pos);
	memcpy(*pos, out.o.positions, *len * sizeof **pos);
	pl__outcome_free(&out);
	return t;
}

static int paths(size_t n, const char *only)
{
	pl_case *c = synthetic(n, 7 + n);
	pl_issue_view v;
	pl_issue_view_buf *buf = NULL;
	if (!c || pl_case_issue_view(c, 0, PL_NO_FORUM, &v, &buf, NULL))
		return 1;
	double *pt = NULL, *ps = NULL, tt = -1, ts = -1;
	size_t lt = 0, ls = 0;
	if (!only || strcmp(only, "tables") == 0)
		tt = run_path(&v, PL_EU_PATH_TABLES, &pt, &lt);
	if (!only || strcmp(only, "stream") == 0)
		ts = run_path(&v, PL_EU_PATH_STREAM, &ps, &ls);
	printf("%zu actors: tables %.3f CPU-s, stream %.3f CPU-s", n, tt, ts);
	if (pt && ps)
		printf(", rows %s", lt == ls && memcmp(pt, ps, lt * sizeof *pt) == 0
					    ? "the same bit for bit"
					    : "DIFFERENT");
	printf("\n");
	int bad = pt && ps && (lt != ls || memcmp(pt, ps, lt * sizeof *pt) != 0);
	free(pt);
	free(ps);
	pl_issue_view_buf_free(buf);
	pl_case_free(c);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc > 3 && strcmp(argv[2], "--paths") == 0)
		return paths((size_t)strtoul(argv[3], NULL, 10), argc > 4 ? argv[4] : NULL);
	const char *dir = argc > 1 ? argv[1] : "data/cases";
	char path[1024];
	snprintf(path, sizeof path, "%s/ec-car-emissions.json", dir);
	pl_case *ec = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_file(path, PL_FORMAT_AUTO, &ec, &err)) {
		char buf[2048];
		fprintf(stderr, "%s\n", pl_error_format(&err, buf, sizeof buf));
		return 1;
	}
	if (argc > 2 && strcmp(argv[2], "--once") == 0) {
		pl_issue_view v;
		pl_issue_view_buf *buf = NULL;
		int rc = pl_case_issue_view(ec, 0, PL_NO_FORUM, &v, &buf, NULL);
		job j = {ec, &v, 0};
		rc = rc ? rc : run_once(&j);
		pl_issue_view_buf_free(buf);
		pl_case_free(ec);
		return rc ? 1 : 0;
	}
	printf("eu engine, parley %s: median CPU time of one run of 10 rounds "
	       "(%d batches)\n\n",
	       pl_version(), BATCHES);
	printf("| case | actors | rounds played | engine | pl_forecast | target |\n");
	printf("|---|---:|---:|---:|---:|---|\n");
	row("EC car emissions", ec, "<= 20 µs");
	pl_case_free(ec);
	const size_t sizes[] = {50, 200, 1000};
	const char *targets[] = {"", "<= 30 ms", ""};
	for (size_t k = 0; k < 3; k++) {
		pl_case *c = synthetic(sizes[k], 7 + sizes[k]);
		char name[64];
		snprintf(name, sizeof name, "synthetic %zu", sizes[k]);
		row(name, c, targets[k]);
		pl_case_free(c);
	}
	return 0;
}
