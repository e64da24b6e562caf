/* test_oom.c - out-of-memory fault injection in SQLite's manner: the k-th
 * allocation the library makes fails, for every k from 1 until the call
 * needs no more, and each call must return an error (never crash or
 * abort), leave nothing behind, and leak nothing (the sanitizer run checks
 * leaks).  The library's own allocations are counted through link-time
 * wrappers (-Wl,--wrap=malloc,... in this test only, tests/oom/meson.build):
 * the archive's objects call __wrap_malloc, the shared libraries it uses
 * (jansson, SQLite, GSL, GMP, GLPK) keep their own allocator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/parley.h"

#include "../ledger/ledger_fixture.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* the countdown: 0 off, else the allocation that fails (1 = the next) */
static long fail_at, calls;

static int fails(void)
{
	return fail_at && ++calls == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FAIL: " __VA_ARGS__);                                     \
			fprintf(stderr, "\n");                                                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* Runs op with the k-th allocation failing for k = 1, 2, ... until op
 * succeeds with none failing; returns how many k were tried. */
static long sweep(const char *name, int (*op)(void *ctx, pl_error *err), void *ctx)
{
	if (getenv("OOM_COUNT")) { /* just count the allocations of one clean run */
		pl_error err;
		pl_error_clear(&err);
		fail_at = -1;
		calls = 0;
		op(ctx, &err);
		fprintf(stderr, "%s: %ld allocations\n", name, calls);
		fail_at = 0;
		return 1;
	}
	for (long k = 1; k < 1000000; k++) {
		pl_error err;
		pl_error_clear(&err);
		fail_at = k;
		calls = 0;
		int rc = op(ctx, &err);
		int hit = calls >= k;

		fail_at = 0;
		if (!hit) {
			CHECK(rc == PL_OK, "%s: no allocation failed (k = %ld) but: %s", name, k,
			      err.message);
			return k;
		}
		/* a failed allocation may be survived (a cache that is skipped),
		 * but an error must say so */
		CHECK(rc == PL_OK || rc == err.code, "%s: k = %ld: status %d, error %d", name, k,
		      rc, err.code);
	}
	return 0;
}

/* ---- a forecast: read the case, run every engine --------------------- */

static int forecast(void *ctx, pl_error *err)
{
	const char *path = ctx;
	pl_case *c = NULL;
	int rc = pl_case_read_file(path, PL_FORMAT_AUTO, &c, err);
	for (size_t e = 0; rc == PL_OK && e < pl_engine_count(); e++) {
		pl_result *r = NULL;
		pl_run_options opt;
		pl_run_options_init(&opt);
		rc = pl_forecast(c, pl_engine_at(e), &opt, &r, err);
		pl_result_free(r);
	}
	pl_case_free(c);
	return rc;
}

/* ---- a ledger append: open the log, append a statement, close --------- */

typedef struct append_ctx {
	fixture *f;
	long appended;
} append_ctx;

static int append(void *ctx, pl_error *err)
{
	append_ctx *a = ctx;
	pl_ledger *lg = NULL;
	int rc = pl_ledger_open(a->f->db, &lg, err);
	if (rc == PL_OK) {
		char body[64];
		snprintf(body, sizeof body, "{\"text\":\"statement %ld\"}", a->appended);
		pl_entry_in in = {PL_ENTRY_STATEMENT,  "six-party", "2007-02-13T00:00:00Z", body,
				  &a->f->party[P_USA], NULL};
		rc = pl_ledger_append(lg, &in, 1, NULL, err);
		if (rc == PL_OK)
			a->appended++;
	}
	pl_ledger_close(lg);
	return rc;
}

/* After every failed append the log still audits, and holds exactly the
 * entries that were acknowledged. */
static void ledger(void)
{
	fixture f;
	if (fx_setup(&f) != 0) {
		CHECK(0, "cannot set up the ledger fixture");
		return;
	}
	uint64_t before = pl_ledger_size(f.lg);
	pl_ledger_close(f.lg);
	f.lg = NULL;
	append_ctx a = {&f, 0};
	long n = sweep("ledger append", append, &a);
	pl_error err;
	pl_error_clear(&err);
	uint64_t checked = 0;
	int rc = pl_ledger_open(f.db, &f.lg, &err);
	if (rc == PL_OK)
		rc = pl_ledger_audit(f.lg, &checked, &err);
	CHECK(rc == PL_OK, "ledger: the log does not audit after the failures: %s: %s", err.where,
	      err.message);
	CHECK(rc != PL_OK || pl_ledger_size(f.lg) == before + (uint64_t)a.appended,
	      "ledger: %llu entries, %llu acknowledged",
	      (unsigned long long)(f.lg ? pl_ledger_size(f.lg) - before : 0),
	      (unsigned long long)a.appended);
	printf("ledger append: %ld allocation points, each failed once; %ld appends "
	       "acknowledged, the log audits\n",
	       n - 1, a.appended);
	fx_teardown(&f);
}

/* ---- games: read, solve with each solver, format, write --------------- */

/* Reads a game file (every allocation of the reader and of the game's hash). */
static int game_read(void *ctx, pl_error *err)
{
	pl_game *g = NULL;
	int rc = pl_game_read_file(ctx, &g, err);
	pl_game_free(g);
	return rc;
}

typedef struct solve_ctx {
	const pl_game *g;
	const char *solver;
	const char *out; /* a file written atomically from the solution's game */
} solve_ctx;

static const pl_game_output outputs[] = {PL_GAME_OUT_TEXT, PL_GAME_OUT_JSON, PL_GAME_OUT_CSV,
					 PL_GAME_OUT_GAMBIT};

/* Solves, then formats the solution every way the command can. */
static int game_solve(void *ctx, pl_error *err)
{
	solve_ctx *c = ctx;
	pl_game_solution *s = NULL;
	int rc = pl_game_solve(c->g, c->solver, NULL, &s, err);
	for (size_t i = 0; rc == PL_OK && i < sizeof outputs / sizeof outputs[0]; i++) {
		char *text = NULL;
		rc = pl_game_solution_format(s, outputs[i], &text, err);
		free(text);
	}
	pl_game_solution_free(s);
	return rc;
}

/* Describes the game and writes it in every form it has (the file is
 * written whole or not at all). */
static int game_write(void *ctx, pl_error *err)
{
	solve_ctx *c = ctx;
	char *text = NULL;
	int rc = pl_game_info_string(c->g, PL_GAME_OUT_TEXT, &text, err);
	free(text);
	text = NULL;
	if (rc == PL_OK)
		rc = pl_game_info_string(c->g, PL_GAME_OUT_JSON, &text, err);
	free(text);
	pl_game_format fmts[] = {PL_GAME_EFG, PL_GAME_NFG, PL_GAME_JSON};
	for (size_t i = pl_game_is_tree(c->g) ? 0 : 1; rc == PL_OK && i < 3; i++) {
		unlink(c->out);
		rc = pl_game_write_file(c->g, fmts[i], c->out, err);
		if (rc != PL_OK && access(c->out, F_OK) == 0)
			CHECK(0, "game write: a failed write left %s behind", c->out);
	}
	return rc;
}

static void games(const char *root)
{
	/* each with the solvers that apply to it; together they run every solver.
	 * The sweep costs the square of the allocations, so the shipped
	 * four-player game (whose strategic form has 110,000 of them) is read,
	 * solved by spe and not written; the small games take the rest. */
	static const struct {
		const char *file;
		int write;
		const char *solvers[8];
	} list[] = {
		{"data/games/korea-crisis.efg", 0, {"spe", NULL}},
		{"tests/game/data/poker.efg", 1,
		 {"pure", "agent", "spe", "enummixed", "lh", "seqform", "lp", NULL}},
		{"tests/game/data/mp.nfg", 1, {"pure", "enummixed", "lh", "logit", "lp", NULL}},
		{"tests/game/data/coord3.nfg", 1, {"pure", "spe", "logit", NULL}},
	};
	char path[4096], out[4096];
	snprintf(out, sizeof out, "%s/parley-oom-%ld.game", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		 (long)getpid());
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", root, list[i].file);
		long n = sweep("game read", game_read, path);
		printf("game read %s: %ld allocation points, each failed once\n", list[i].file,
		       n - 1);
		pl_game *g = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_game_read_file(path, &g, &err) != PL_OK) {
			CHECK(0, "%s: %s: %s", list[i].file, err.where, err.message);
			continue;
		}
		for (size_t k = 0; list[i].solvers[k]; k++) {
			solve_ctx c = {g, list[i].solvers[k], out};
			n = sweep(list[i].solvers[k], game_solve, &c);
			printf("game solve %s %s: %ld allocation points, each failed once\n",
			       list[i].solvers[k], list[i].file, n - 1);
		}
		solve_ctx c = {g, NULL, out};
		if (list[i].write) {
			n = sweep("game write", game_write, &c);
			printf("game info and write %s: %ld allocation points, each failed "
			       "once\n",
			       list[i].file, n - 1);
			unlink(out);
		}
		pl_game_free(g);
	}
}

int main(void)
{
	const char *root = getenv("PARLEY_SOURCE_ROOT");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/cases/ec-car-emissions.json", root ? root : ".");
	long n = sweep("forecast", forecast, path);
	printf("forecast: %ld allocation points, each failed once\n", n - 1);
	ledger();
	games(root ? root : ".");
	if (failures)
		printf("%d failures\n", failures);
	return failures ? 1 : 0;
}
