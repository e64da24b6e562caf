/* test_gsl_default.c - a library user who leaves GSL's error handler alone
 * (GSL's default aborts the process) must get results or a pl_error from
 * parley, never an abort.  Linked like any program using libparley: public
 * headers only, no gsl_set_error_handler_off().  Runs the inputs that once
 * reached GSL's handler (nash with a maximiser within rounding of the end of
 * the feasible set), random extreme cases through every engine, a sweep, and
 * every game solver on the fuzz corpus and on games whose Jacobians are
 * singular; afterwards GSL's handler must still be the default one (parley
 * left no global state behind).  An abort fails the test (SIGABRT). */
#include <parley/parley.h>

#include <dirent.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			printf("FAIL: " __VA_ARGS__);                                              \
			printf("\n");                                                              \
		}                                                                                  \
	} while (0)

/* A call failed: it must have said why in its pl_error. */
static void check_reported(int rc, const pl_error *err, const char *what)
{
	if (rc == PL_OK)
		return;
	CHECK(rc < 0 && err->code == rc && err->message[0], "%s: status %d without a message", what,
	      rc);
}

static pl_case *read_case(const char *text)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_mem(text, strlen(text), "test.json", PL_FORMAT_JSON, &c, &err))
		return NULL;
	return c;
}

static void run_engine(const pl_case *c, const pl_engine *e, const char *param, const char *what)
{
	pl_error err;
	pl_error_clear(&err);
	pl_params *p = pl_params_new();
	if (param)
		pl_params_parse(p, param, &err);
	pl_run_options o;
	pl_run_options_init(&o);
	o.params = p;
	pl_result *r = NULL;
	int rc = pl_forecast(c, e, &o, &r, &err);
	check_reported(rc, &err, what);
	pl_result_free(r);
	pl_params_free(p);
}

static void run_all_engines(const pl_case *c, const char *what)
{
	static const char *const nash_params[] = {NULL, "utility=linear", "disagreement=worst",
						  "weights=capability"};
	for (size_t k = 0; k < pl_engine_count(); k++) {
		const pl_engine *e = pl_engine_at(k);
		int nash = strcmp(pl_engine_name(e), "nash") == 0;
		for (size_t v = 0; v < (nash ? 4 : 1); v++)
			run_engine(c, e, nash ? nash_params[v] : NULL, what);
	}
}

/* Capabilities 1 : 1e299 put nash's maximiser closer to the end of the
 * feasible set than the doubles next to it; the slope there overflowed and
 * GSL's Brent solver raised GSL_EBADFUNC (commit 584ec7e). */
static void nash_at_the_barrier(void)
{
	const char *text = "{\"issues\":[{\"id\":\"x\",\"status_quo\":0}],\"actors\":["
			   "{\"id\":\"A\",\"capability\":1,\"stances\":{\"x\":{\"position\":20,"
			   "\"salience\":100}}},{\"id\":\"B\",\"capability\":1e299,\"stances\":"
			   "{\"x\":{\"position\":80,\"salience\":100}}}]}";
	pl_case *c = read_case(text);
	CHECK(c, "the barrier case does not read");
	if (c)
		run_all_engines(c, "nash at the barrier");
	pl_case_free(c);
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long long next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Cases built from extreme numbers: subnormal and huge capabilities and
 * saliences, positions at and a rounding error away from the ends. */
static void extreme_cases(int n)
{
	static const double cap[] = {1, 2, 1e-300, 1e300, 1e-12, 1e12, 5e-324, 3, 0.5};
	static const double pos[] = {0,		  100,	       50,   40, 60, 1e-10,
				     100 - 1e-10, 99.99999999, 1e-6, 20, 80, 33.3};
	static const double sal[] = {0, 100, 1e-300, 50, 1, 99, 5e-324, 1e-12};
	const size_t ncap = sizeof cap / sizeof cap[0], npos = sizeof pos / sizeof pos[0],
		     nsal = sizeof sal / sizeof sal[0];
	int read = 0;
	for (int it = 0; it < n; it++) {
		char buf[2048];
		int len =
			snprintf(buf, sizeof buf,
				 "{\"issues\":[{\"id\":\"x\",\"status_quo\":%.17g},{\"id\":\"y\"}],"
				 "\"actors\":[",
				 pos[next() % npos]);
		int na = 1 + (int)(next() % 4);
		for (int a = 0; a < na; a++)
			len += snprintf(buf + len, sizeof buf - (size_t)len,
					"%s{\"id\":\"A%d\",\"capability\":%.17g,\"stances\":{"
					"\"x\":{\"position\":%.17g,\"salience\":%.17g},"
					"\"y\":{\"position\":%.17g,\"salience\":%.17g}}}",
					a ? "," : "", a, cap[next() % ncap], pos[next() % npos],
					sal[next() % nsal], pos[next() % npos], sal[next() % nsal]);
		snprintf(buf + len, sizeof buf - (size_t)len, "]}");
		pl_case *c = read_case(buf);
		if (!c)
			continue;
		read++;
		run_all_engines(c, buf);
		pl_case_free(c);
	}
	CHECK(read > n / 2, "only %d of %d extreme cases read", read, n);
}

static void sweep_nash(const char *root)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/data/cases/korea-six-party.json", root);
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	CHECK(pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err) == PL_OK, "%s does not read", path);
	if (!c)
		return;
	run_all_engines(c, path);
	pl_sweep_options o;
	pl_sweep_options_init(&o);
	o.n = 64;
	o.threads = 2;
	o.sensitivity = 1;
	pl_sweep *s = NULL;
	int rc = pl_sweep_run(c, pl_engine_find("nash", NULL), &o, &s, &err);
	check_reported(rc, &err, "sweep with nash");
	pl_sweep_free(s);
	pl_case_free(c);
}

static void solve_every_way(const pl_game *g, const char *what)
{
	for (const char *const *name = pl_game_solver_names(); *name; name++) {
		pl_game_solution *sol = NULL;
		pl_error err;
		pl_error_clear(&err);
		pl_game_solve_opts o = PL_GAME_SOLVE_OPTS_INIT;
		o.max_equilibria = 1000;
		int rc = pl_game_solve(g, *name, &o, &sol, &err);
		char label[512];
		snprintf(label, sizeof label, "%s with %s", what, *name);
		check_reported(rc, &err, label);
		pl_game_solution_free(sol);
	}
}

static void games(const char *root)
{
	/* all-zero payoffs: every profile is an equilibrium, the logit
	 * Jacobian is singular */
	static const char *const flat[] = {
		"NFG 1 R \"zero\" { \"1\" \"2\" } { { \"a\" \"b\" } { \"c\" \"d\" } }\n\"\"\n"
		"0 0 0 0 0 0 0 0\n",
		"NFG 1 R \"zero3\" { \"1\" \"2\" \"3\" } { { \"a\" \"b\" } { \"c\" \"d\" } "
		"{ \"e\" \"f\" } }\n\"\"\n0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	};
	for (size_t k = 0; k < sizeof flat / sizeof flat[0]; k++) {
		pl_game *g = NULL;
		pl_error err;
		pl_error_clear(&err);
		CHECK(pl_game_read_buffer(flat[k], strlen(flat[k]), "flat.nfg", &g, &err) == PL_OK,
		      "flat game %zu does not read", k);
		if (g)
			solve_every_way(g, "flat game");
		pl_game_free(g);
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/fuzz_game", root);
	DIR *d = opendir(dir);
	CHECK(d, "%s: cannot open", dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		pl_game *g = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_game_read_file(path, &g, &err) == PL_OK) {
			solve_every_way(g, path);
			n++;
		}
		pl_game_free(g);
	}
	if (d)
		closedir(d);
	CHECK(n > 0, "no game of %s was solved", dir);
}

int main(int argc, char **argv)
{
	const char *root = getenv("PARLEY_SOURCE_ROOT");
	if (!root)
		root = ".";
	int n = argc > 1 ? atoi(argv[1]) : 1500;
	/* GSL's default handler (NULL), as a program that never touched it has;
	 * setting NULL again keeps it */
	CHECK(gsl_set_error_handler(NULL) == NULL, "someone changed GSL's handler already");
	nash_at_the_barrier();
	extreme_cases(n);
	sweep_nash(root);
	games(root);
	CHECK(gsl_set_error_handler(NULL) == NULL,
	      "parley left GSL's error handler changed (a global state)");
	printf("GSL default handler: %s\n",
	       failures ? "failures" : "no abort, every failure reported");
	return failures ? 1 : 0;
}
