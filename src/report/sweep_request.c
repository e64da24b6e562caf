/* sweep_request.c - a sweep asked for in text (engine and forum by name,
 * thresholds as "[ISSUE:]VALUE", parameters as NAME=VALUE), as the command
 * and the server take it, turned into pl_sweep_options and run. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* "[ISSUE:]VALUE", "[ISSUE:]>=VALUE", "[ISSUE:]<=VALUE", "[ISSUE:]A..B" ->
 * threshold. */
static int parse_threshold(const pl_case *c, const char *text, pl_threshold *t, pl_error *err)
{
	const char *colon = strrchr(text, ':'), *num = colon ? colon + 1 : text;
	t->issue = PL_ALL_ISSUES;
	if (colon) {
		char id[256];
		size_t len = (size_t)(colon - text);
		if (len >= sizeof id)
			return pl_error_set(err, PL_EINPUT, NULL,
					    "--threshold '%s': issue id too long", text);
		memcpy(id, text, len);
		id[len] = '\0';
		if (pl_case_find_issue(c, id, &t->issue, err))
			return PL_ENOTFOUND;
	}
	/* VALUE or >=VALUE: at least; <=VALUE: at most; A..B: a range */
	char *end;
	t->kind = PL_AT_LEAST;
	t->hi = 0;
	int prefixed = strncmp(num, ">=", 2) == 0 || strncmp(num, "<=", 2) == 0;
	if (strncmp(num, "<=", 2) == 0)
		t->kind = PL_AT_MOST;
	num += prefixed ? 2 : 0;
	const char *dots = strstr(num, "..");
	int ok;
	if (dots && !prefixed) {
		t->kind = PL_BETWEEN;
		char low[64], *end2; /* strtod would read "40." of "40..60" */
		size_t len = (size_t)(dots - num);
		ok = len > 0 && len < sizeof low;
		if (ok) {
			memcpy(low, num, len);
			low[len] = '\0';
			t->value = strtod(low, &end);
			t->hi = strtod(dots + 2, &end2);
			ok = !*end && dots[2] && !*end2 && isfinite(t->value) && isfinite(t->hi);
		}
		if (ok && t->value > t->hi)
			return pl_error_set(err, PL_EINPUT, NULL,
					    "--threshold '%s': the range A..B needs A <= B", text);
	} else {
		t->value = strtod(num, &end);
		ok = num[0] && !*end && !dots && isfinite(t->value);
	}
	if (!ok)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "--threshold '%s' must be [ISSUE:]X, >=X (at least X), <=X (at "
				    "most X: for an issue where lower is better) or A..B (between A "
				    "and B), with numbers",
				    text);
	return PL_OK;
}

static void options_of(const pl_sweep_request *req, pl_sweep_options *so)
{
	pl_sweep_options_init(so);
	so->n = req->n;
	so->seed = req->seed;
	so->threads = req->threads;
	so->rounds = req->rounds;
	so->sensitivity = req->sensitivity;
	so->builtin_defaults = !req->exact;
	so->bins = req->bins;
	so->by = req->by;
	so->first = req->first;
	so->count = req->count;
	so->progress = req->progress;
	so->progress_ctx = req->progress_ctx;
}

int pl_sweep_run_request(pl_sweep **out, const pl_case *c, const pl_sweep_request *req,
			 pl_error *err)
{
	*out = NULL;
	if (!req || req->version != PL_SWEEP_REQUEST_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "sweep request version %u (this parley knows %d)",
				    req ? req->version : 0u, PL_SWEEP_REQUEST_VERSION);
	const pl_engine *e = pl_engine_find(req->engine ? req->engine : "compromise", err);
	if (!e)
		return PL_ENOTFOUND;
	pl_sweep_options so;
	options_of(req, &so);
	if (req->forum && pl__report_find_forum(c, req->forum, &so.forum, err))
		return PL_ENOTFOUND;
	pl_threshold *thr = calloc(req->n_thresholds ? req->n_thresholds : 1, sizeof *thr);
	if (!thr)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	for (size_t k = 0; k < req->n_thresholds && !rc; k++)
		rc = parse_threshold(c, req->thresholds[k], &thr[k], err);
	so.thresholds = thr;
	so.n_thresholds = req->n_thresholds;
	pl_params *p = NULL;
	if (!rc)
		rc = pl_params_assign(&p, 1, &e, req->params, req->n_params, err);
	so.params = p;
	if (!rc)
		rc = pl_sweep_run(c, e, &so, out, err);
	pl_params_free(p);
	free(thr);
	return rc;
}
