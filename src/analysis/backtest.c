/* backtest.c - forecasts against recorded outcomes (include/parley/backtest.h,
 * docs/validity.md): a set of cases read from files and directories, every
 * engine run on every case that records an outcome (worker threads take
 * (case, engine) runs; each writes only its own cells, so the result is the
 * same for any number of threads), optional sweeps for calibration, and
 * the scores. */
#include "analysis/backtest_impl.h"
#include "core/util.h"
#include "engines/engine_run.h"
#include "parley/io.h"
#include "parley/report.h"

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- the set of cases ------------------------------------------------------ */

int pl_case_set_new(pl_case_set **out, pl_error *err)
{
	*out = calloc(1, sizeof **out);
	return *out ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
}

void pl_case_set_free(pl_case_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		pl_case_free(s->owned[i]);
		free(s->names[i]);
	}
	free(s->cases);
	free(s->names);
	free(s->owned);
	free(s);
}

static int set_push(pl_case_set *s, const pl_case *c, const char *name, pl_case *owned,
		    pl_error *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		const pl_case **cs = realloc(s->cases, cap * sizeof *cs);
		if (cs)
			s->cases = cs;
		char **ns = realloc(s->names, cap * sizeof *ns);
		if (ns)
			s->names = ns;
		pl_case **os = realloc(s->owned, cap * sizeof *os);
		if (os)
			s->owned = os;
		if (!cs || !ns || !os)
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		s->cap = cap;
	}
	char *copy = strdup(name ? name : "");
	if (!copy)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	s->cases[s->n] = c;
	s->names[s->n] = copy;
	s->owned[s->n] = owned;
	s->n++;
	return PL_OK;
}

int pl_case_set_add(pl_case_set *s, const pl_case *c, const char *name, pl_error *err)
{
	return set_push(s, c, name, NULL, err);
}

/* Reads the case at path and adds it named as (path itself when NULL). */
static int read_one(pl_case_set *s, const char *path, const char *as, pl_error *err)
{
	pl_case *c;
	int rc = pl_case_read_file(path, PL_FORMAT_AUTO, &c, err);
	if (rc)
		return rc;
	rc = set_push(s, c, as ? as : path, c, err);
	if (rc)
		pl_case_free(c);
	return rc;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcmp(name + n - k, suffix) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.json and *.csv regular files of directory path, sorted. */
static int read_dir(pl_case_set *s, const char *path, const char *as, pl_error *err)
{
	DIR *d = opendir(path);
	if (!d)
		return pl_error_set(err, PL_EINPUT, path, "cannot read the directory");
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = PL_OK;
	struct dirent *de;
	while (!rc && (de = readdir(d))) {
		if (de->d_name[0] == '.' ||
		    !(has_suffix(de->d_name, ".json") || has_suffix(de->d_name, ".csv")))
			continue;
		size_t len = strlen(path) + strlen(de->d_name) + 2;
		char *full = malloc(len);
		if (!full) {
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			break;
		}
		snprintf(full, len, "%s%s%s", path, has_suffix(path, "/") ? "" : "/", de->d_name);
		struct stat st;
		if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(full);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				free(full);
				rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
				break;
			}
			names = nn;
		}
		names[n++] = full;
	}
	closedir(d);
	if (!rc && n == 0)
		rc = pl_error_set(err, PL_EINPUT, path,
				  "the directory holds no case file (*.json or *.csv)");
	if (!rc)
		qsort(names, n, sizeof *names, by_name);
	size_t skip = strlen(path);
	for (size_t k = 0; k < n; k++) {
		char *name = NULL;
		if (!rc && as) { /* as, then what follows path in the file's path */
			const char *rest = names[k] + skip;
			size_t len = strlen(as) + strlen(rest) + 2;
			if (!(name = malloc(len)))
				rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			else
				snprintf(name, len, "%s%s%s", as, *rest == '/' ? "" : "/", rest);
		}
		if (!rc)
			rc = read_one(s, names[k], name, err);
		free(name);
		free(names[k]);
	}
	free(names);
	return rc;
}

int pl_case_set_add_path_as(pl_case_set *s, const char *path, const char *as, pl_error *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return read_dir(s, path, as, err);
	return read_one(s, path, as, err);
}

int pl_case_set_add_path(pl_case_set *s, const char *path, pl_error *err)
{
	return pl_case_set_add_path_as(s, path, NULL, err);
}

size_t pl_case_set_n_cases(const pl_case_set *s)
{
	return s->n;
}

const pl_case *pl_case_set_case(const pl_case_set *s, size_t i)
{
	return i < s->n ? s->cases[i] : NULL;
}

const char *pl_case_set_name(const pl_case_set *s, size_t i)
{
	return i < s->n ? s->names[i] : NULL;
}

/* ---- running ------------------------------------------------------------------- */

void pl_backtest_free(pl_backtest *b)
{
	if (!b)
		return;
	for (size_t e = 0; b->params && e < b->n_engines; e++)
		pl_params_free(b->params[e]);
	for (size_t e = 0; b->params_text && e < b->n_engines; e++)
		free(b->params_text[e]);
	free(b->params_text);
	free(b->params);
	free((void *)b->engines);
	free(b->issues);
	free(b->case_first);
	free(b->case_count);
	if (b->cells)
		for (size_t k = 0; k < b->n_issues * b->n_engines; k++)
			free(b->cells[k].why_text);
	free(b->cells);
	pl_stack_free(b->stack);
	free(b);
}

static double scale_error(const pl_case *c, size_t issue, double forecast, double outcome)
{
	const pl_issue *is = pl_case_issue(c, issue);
	return 100.0 * (forecast - outcome) / (is->max - is->min);
}

/* The cells of issue slot k (global) for engine e. */
static pl__bt_cell *cell(pl_backtest *b, size_t k, size_t e)
{
	return &b->cells[k * b->n_engines + e];
}

static int set_why(pl__bt_cell *x, const pl_error *why)
{
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 4];
	pl_error_format(why, buf, sizeof buf);
	free(x->why_text);
	x->why_text = strdup(buf);
	x->forecast = NAN;
	return x->why_text ? PL_OK : PL_ENOMEM;
}

static void take_result(pl_backtest *b, size_t ci, size_t e, const pl_result *r)
{
	const pl_case *c = b->set->cases[ci];
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++) {
		const pl_outcome *o = pl_result_outcome(r, q);
		for (size_t k = b->case_first[ci]; k < b->case_first[ci] + b->case_count[ci]; k++)
			if (b->issues[k].issue == o->issue) {
				pl__bt_cell *x = cell(b, k, e);
				x->forecast = o->forecast;
				x->error = scale_error(c, o->issue, o->forecast, b->issues[k].outcome);
			}
	}
}

/* CRPS of the sweep's forecasts for an outcome y, from 99 quantiles:
 * 2/M sum_k (1{y < q_k} - p_k)(q_k - y), in points of a 0-100 scale. */
static double crps_of(const pl_sweep *s, const pl_case *c, size_t issue, double y)
{
	const int M = 99;
	double sum = 0;
	for (int k = 1; k <= M; k++) {
		double p = k / 100.0, q = pl_sweep_quantile(s, issue, p);
		sum += ((y < q ? 1.0 : 0.0) - p) * (q - y);
	}
	const pl_issue *is = pl_case_issue(c, issue);
	return 100.0 * 2.0 * sum / M / (is->max - is->min);
}

static int run_sweep(pl_backtest *b, size_t ci, size_t e, pl_error *err)
{
	const pl_case *c = b->set->cases[ci];
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = b->sweep;
	so.seed = b->seed;
	so.threads = 1;
	so.rounds = b->rounds;
	so.params = b->params[e];
	so.sensitivity = 0;
	pl_sweep *s;
	int rc = pl_sweep_run(c, b->engines[e], &so, &s, err);
	if (rc)
		return rc;
	for (size_t k = b->case_first[ci]; k < b->case_first[ci] + b->case_count[ci]; k++) {
		pl__bt_cell *x = cell(b, k, e);
		size_t i = b->issues[k].issue;
		pl_sweep_summary sum;
		if (isnan(x->forecast) || pl_sweep_summary_of(s, i, &sum, NULL) || sum.n == 0)
			continue;
		x->q[0] = pl_sweep_quantile(s, i, 0.10);
		x->q[1] = pl_sweep_quantile(s, i, 0.25);
		x->q[2] = pl_sweep_quantile(s, i, 0.75);
		x->q[3] = pl_sweep_quantile(s, i, 0.90);
		x->crps = crps_of(s, c, i, b->issues[k].outcome);
	}
	pl_sweep_free(s);
	return PL_OK;
}

/* One run: engine e on case ci.  An engine that cannot take the case is
 * tried issue by issue (a one-dimensional engine), so that only the issues
 * it cannot take are skipped. */
static int run_job(pl_backtest *b, size_t ci, size_t e, pl_error *err)
{
	const pl_case *c = b->set->cases[ci];
	const pl_engine *eng = b->engines[e];
	pl_run_options opt;
	pl_run_options_init(&opt);
	opt.rounds = b->rounds;
	opt.seed = b->seed;
	opt.params = b->params[e];
	pl_result *r;
	pl_error why;
	pl_error_clear(&why);
	int rc = pl_forecast(c, eng, &opt, &r, &why);
	if (rc == PL_OK) {
		take_result(b, ci, e, r);
		pl_result_free(r);
		return b->sweep ? run_sweep(b, ci, e, err) : PL_OK;
	}
	if (!pl_forecast_cannot_run(eng, &opt, rc)) {
		*err = why;
		return rc;
	}
	for (size_t k = b->case_first[ci]; k < b->case_first[ci] + b->case_count[ci]; k++) {
		pl__bt_cell *x = cell(b, k, e);
		if (pl_engine_is_multidim(eng) || pl_case_n_issues(c) == 1) {
			if (set_why(x, &why))
				return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			continue;
		}
		pl_error one;
		pl_error_clear(&one);
		opt.issue = b->issues[k].issue;
		rc = pl_forecast(c, eng, &opt, &r, &one);
		if (rc == PL_OK) {
			take_result(b, ci, e, r);
			pl_result_free(r);
		} else if (pl_forecast_cannot_run(eng, &opt, rc)) {
			if (set_why(x, &one))
				return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		} else {
			*err = one;
			return rc;
		}
	}
	return PL_OK;
}

typedef struct pool {
	pl_backtest *b;
	size_t n_jobs, next, done;
	int *rc;
	pl_error *errs;
	pthread_mutex_t mu;
	pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
	pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		size_t j = p->next < p->n_jobs ? p->next++ : p->n_jobs;
		pthread_mutex_unlock(&p->mu);
		if (j == p->n_jobs)
			return NULL;
		size_t ci = j / p->b->n_engines, e = j % p->b->n_engines;
		if (p->b->case_count[ci])
			p->rc[j] = run_job(p->b, ci, e, &p->errs[j]);
		pthread_mutex_lock(&p->mu);
		p->done++;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

static int run_all(pl_backtest *b, unsigned threads, pl_progress_fn progress, void *ctx,
		   pl_error *err)
{
	pool p = {.b = b, .n_jobs = b->set->n * b->n_engines};
	p.rc = calloc(p.n_jobs ? p.n_jobs : 1, sizeof *p.rc);
	p.errs = calloc(p.n_jobs ? p.n_jobs : 1, sizeof *p.errs);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = threads ? threads : (cores > 0 ? (unsigned)cores : 1);
	if (n > p.n_jobs)
		n = p.n_jobs ? (unsigned)p.n_jobs : 1;
	pthread_t *tid = calloc(n, sizeof *tid);
	if (!p.rc || !p.errs || !tid) {
		free(p.rc);
		free(p.errs);
		free(tid);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	unsigned started = 0;
	while (started < n && pthread_create(&tid[started], NULL, worker, &p) == 0)
		started++;
	int rc = PL_OK;
	if (started == 0) {
		worker(&p); /* no thread could start: run them here */
	} else {
		pthread_mutex_lock(&p.mu);
		size_t shown = (size_t)-1;
		while (p.done < p.n_jobs) {
			if (progress && p.done != shown) {
				shown = p.done;
				pthread_mutex_unlock(&p.mu);
				progress(ctx, shown, p.n_jobs);
				pthread_mutex_lock(&p.mu);
				continue;
			}
			pthread_cond_wait(&p.cv, &p.mu);
		}
		pthread_mutex_unlock(&p.mu);
		for (unsigned t = 0; t < started; t++)
			pthread_join(tid[t], NULL);
	}
	if (progress)
		progress(ctx, p.n_jobs, p.n_jobs);
	/* the first failure in job order, whichever thread met it first */
	for (size_t j = 0; j < p.n_jobs && !rc; j++)
		if (p.rc[j]) {
			rc = p.rc[j];
			if (err && !err->code)
				*err = p.errs[j];
			if (err && err->code && strstr(err->where, b->set->names[j / b->n_engines]) == NULL) {
				/* say which case the failing run was on */
				char where[PL_ERROR_WHERE_MAX];
				snprintf(where, sizeof where, "%.300s%s%.200s",
					 b->set->names[j / b->n_engines], err->where[0] ? ": " : "",
					 err->where);
				snprintf(err->where, sizeof err->where, "%s", where);
			}
		}
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
	free(tid);
	free(p.rc);
	free(p.errs);
	return rc;
}

int pl__backtest_check_sweep(const pl_engine *e, const pl_params *p, char **text,
			     pl_error *err)
{
	pl_param_value *v;
	char *canonical;
	int rc = pl__engine_resolve_params(e, p, &v, &canonical, err);
	if (rc)
		return rc;
	for (size_t k = 0; !rc && k < pl_engine_n_params(e); k++)
		if (pl__engine_param_single_run(e, k) && v[k].s && v[k].s[0])
			rc = pl_error_set(err, PL_EINPUT, pl_engine_name(e),
					  "parameter %s=%s records one run; a backtest runs the "
					  "engine on every case, so it is refused here (record one "
					  "run with 'parley forecast')",
					  pl_engine_param(e, k)->name, v[k].s);
	free(v);
	*text = canonical;
	return rc;
}

/* ---- the engines from text ------------------------------------------------------ */

static int add_engine(pl_backtest *b, const char *name, pl_error *err)
{
	const pl_engine *e = pl_engine_find(name, err);
	if (!e)
		return PL_ENOTFOUND;
	for (size_t k = 0; k < b->n_engines; k++)
		if (b->engines[k] == e)
			return pl_error_set(err, PL_EINPUT, NULL, "engine '%s' listed twice", name);
	b->engines[b->n_engines++] = e;
	return PL_OK;
}

static int parse_engines(pl_backtest *b, const char *list, pl_error *err)
{
	b->engines = calloc(pl_engine_count() + 1, sizeof *b->engines);
	if (!b->engines)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (!list || strcmp(list, "all") == 0) {
		for (size_t k = 0; k < pl_engine_count(); k++)
			b->engines[b->n_engines++] = pl_engine_at(k);
		return PL_OK;
	}
	char item[64];
	const char *p = list;
	if (!*p)
		return pl_error_set(err, PL_EINPUT, NULL, "no engine named (give 'all' or names)");
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof item)
			return pl_error_set(err, PL_EINPUT, NULL, "bad engine list '%s'", list);
		if (b->n_engines == pl_engine_count())
			return pl_error_set(err, PL_EINPUT, NULL,
					    "engine list '%s' names an engine twice", list);
		memcpy(item, p, len);
		item[len] = '\0';
		int rc = add_engine(b, item, err);
		if (rc)
			return rc;
		p += len + (comma ? 1 : 0);
	}
	return PL_OK;
}

/* The issues with an outcome, case by case. */
static int list_issues(pl_backtest *b, pl_error *err)
{
	size_t n = 0, nc = b->set->n;
	for (size_t ci = 0; ci < nc; ci++)
		for (size_t i = 0; i < pl_case_n_issues(b->set->cases[ci]); i++)
			n += pl_case_issue(b->set->cases[ci], i)->has_outcome != 0;
	if (n == 0)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "no issue of the %zu case%s records an outcome (issues[].outcome "
				    "in JSON, '# outcome: VALUE' in CSV): nothing to compare with",
				    nc, nc == 1 ? "" : "s");
	b->issues = calloc(n, sizeof *b->issues);
	b->case_first = calloc(nc ? nc : 1, sizeof *b->case_first);
	b->case_count = calloc(nc ? nc : 1, sizeof *b->case_count);
	b->cells = calloc(n * b->n_engines, sizeof *b->cells);
	if (!b->issues || !b->case_first || !b->case_count || !b->cells)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	size_t k = 0;
	for (size_t ci = 0; ci < nc; ci++) {
		const pl_case *c = b->set->cases[ci];
		b->case_first[ci] = k;
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			const pl_issue *is = pl_case_issue(c, i);
			if (!is->has_outcome)
				continue;
			b->issues[k] = (pl_backtest_issue){ci, i, is->outcome.value};
			k++;
		}
		b->case_count[ci] = k - b->case_first[ci];
		b->n_cases_used += b->case_count[ci] > 0;
	}
	b->n_issues = n;
	for (size_t q = 0; q < n * b->n_engines; q++) {
		pl__bt_cell *x = &b->cells[q];
		x->forecast = x->error = x->crps = NAN;
		for (int j = 0; j < 4; j++)
			x->q[j] = NAN;
	}
	return PL_OK;
}

int pl_backtest_run_request(pl_backtest **out, const pl_case_set *set,
			    const pl_backtest_request *req, pl_error *err)
{
	*out = NULL;
	if (!req || req->version != PL_BACKTEST_REQUEST_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "pl_backtest_request version %u, this library knows %u",
				    req ? req->version : 0u, PL_BACKTEST_REQUEST_VERSION);
	if (req->rounds < 0 || req->rounds > 100000)
		return pl_error_set(err, PL_EINPUT, NULL, "rounds %d: must be 0 to 100000",
				    req->rounds);
	if (req->sweep > 10000000)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "sweep %llu: at most 10000000 samples per case",
				    (unsigned long long)req->sweep);
	pl_backtest *b = calloc(1, sizeof *b);
	if (!b)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	b->set = set;
	b->rounds = req->rounds;
	b->seed = req->seed;
	b->sweep = req->sweep;
	int rc = parse_engines(b, req->engines, err);
	if (!rc && (!(b->params = calloc(b->n_engines, sizeof *b->params)) ||
		    !(b->params_text = calloc(b->n_engines, sizeof *b->params_text))))
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (!rc)
		rc = pl_params_assign(b->params, b->n_engines, b->engines, req->params,
				      req->n_params, err);
	for (size_t e = 0; e < b->n_engines && !rc; e++)
			rc = pl__backtest_check_sweep(b->engines[e], b->params[e],
						      &b->params_text[e], err);
	if (!rc)
		rc = list_issues(b, err);
	if (!rc)
		rc = run_all(b, req->threads, req->progress, req->progress_ctx, err);
	if (!rc && req->stack)
		rc = pl__backtest_stack(&b->stack, b, err);
	if (rc) {
		pl_backtest_free(b);
		return rc;
	}
	*out = b;
	return PL_OK;
}

/* ---- results --------------------------------------------------------------------- */

size_t pl_backtest_n_engines(const pl_backtest *b)
{
	return b->n_engines;
}

const pl_engine *pl_backtest_engine(const pl_backtest *b, size_t e)
{
	return e < b->n_engines ? b->engines[e] : NULL;
}

size_t pl_backtest_n_issues(const pl_backtest *b)
{
	return b->n_issues;
}

int pl_backtest_issue_of(const pl_backtest *b, size_t k, pl_backtest_issue *out, pl_error *err)
{
	if (k >= b->n_issues)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "no issue %zu in the backtest", k);
	*out = b->issues[k];
	return PL_OK;
}

int pl_backtest_cell_of(const pl_backtest *b, size_t k, size_t e, pl_backtest_cell *out,
			pl_error *err)
{
	if (k >= b->n_issues || e >= b->n_engines)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "no cell (%zu, %zu) in the backtest",
				    k, e);
	const pl__bt_cell *x = &b->cells[k * b->n_engines + e];
	*out = (pl_backtest_cell){x->forecast, x->error, x->q[0], x->q[1], x->q[2], x->q[3],
				  x->crps, x->why_text};
	return PL_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int pl_backtest_score_of(const pl_backtest *b, size_t e, pl_backtest_score *out, pl_error *err)
{
	if (e >= b->n_engines)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "no engine %zu in the backtest", e);
	pl_backtest_score s = {0};
	double *abs_err = malloc((b->n_issues ? b->n_issues : 1) * sizeof *abs_err);
	if (!abs_err)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	double sum = 0, sum2 = 0, bias = 0, crps = 0;
	size_t closest = 0, within = 0, in50 = 0, in80 = 0;
	for (size_t k = 0; k < b->n_issues; k++) {
		const pl__bt_cell *x = &b->cells[k * b->n_engines + e];
		if (isnan(x->forecast)) {
			s.n_skipped += x->why_text != NULL;
			continue;
		}
		double a = fabs(x->error), best = a;
		for (size_t f = 0; f < b->n_engines; f++) {
			const pl__bt_cell *y = &b->cells[k * b->n_engines + f];
			if (!isnan(y->forecast) && fabs(y->error) < best)
				best = fabs(y->error);
		}
		abs_err[s.n++] = a;
		sum += a;
		sum2 += a * a;
		bias += x->error;
		closest += a <= best + 1e-9;
		within += a <= 10 + 1e-9;
		if (!isnan(x->crps)) {
			double y = b->issues[k].outcome;
			s.n_calibrated++;
			in50 += x->q[1] <= y && y <= x->q[2];
			in80 += x->q[0] <= y && y <= x->q[3];
			crps += x->crps;
		}
	}
	if (s.n) {
		double n = (double)s.n;
		s.mae = sum / n;
		s.rmse = sqrt(sum2 / n);
		s.bias = bias / n;
		s.closest = (double)closest / n;
		s.within_10 = (double)within / n;
		qsort(abs_err, s.n, sizeof *abs_err, cmp_double);
		s.median_ae = s.n % 2 ? abs_err[s.n / 2]
				      : (abs_err[s.n / 2 - 1] + abs_err[s.n / 2]) / 2;
	} else {
		s.mae = s.rmse = s.bias = s.closest = s.within_10 = s.median_ae = NAN;
	}
	if (s.n_calibrated) {
		double n = (double)s.n_calibrated;
		s.in_50 = (double)in50 / n;
		s.in_80 = (double)in80 / n;
		s.crps = crps / n;
	} else {
		s.in_50 = s.in_80 = s.crps = NAN;
	}
	free(abs_err);
	*out = s;
	return PL_OK;
}

size_t pl_backtest_n_cases(const pl_backtest *b)
{
	return b->set->n;
}

size_t pl_backtest_n_cases_used(const pl_backtest *b)
{
	return b->n_cases_used;
}

uint64_t pl_backtest_seed(const pl_backtest *b)
{
	return b->seed;
}

uint64_t pl_backtest_sweep(const pl_backtest *b)
{
	return b->sweep;
}

int pl_backtest_rounds(const pl_backtest *b)
{
	return b->rounds;
}

const pl_case_set *pl_backtest_set(const pl_backtest *b)
{
	return b->set;
}

const pl_stack *pl_backtest_stacking(const pl_backtest *b)
{
	return b->stack;
}

const char *pl_backtest_params_text(const pl_backtest *b, size_t e)
{
	return e < b->n_engines && b->params_text[e] ? b->params_text[e] : "";
}
