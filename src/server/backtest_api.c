/* backtest_api.c - POST /api/v1/backtest: the engines against the outcomes
 * recorded in cases the server holds (shipped or uploaded), answered with
 * the very bytes of `parley backtest --format json` (pl_backtest_json). */
#include <stdlib.h>
#include <string.h>

#include "parley/backtest.h"
#include "server/server_internal.h"

#define MAX_CASES 1000
#define MAX_SWEEP 10000 /* samples per case and engine (and the server's largest sweep) */

static const char *const members[] = {"cases", "engine", "params", "rounds",
				      "seed",  "sweep",	 "stack",  NULL};

/* The ids of "cases" (a list) or, when absent, of every shipped case. */
static int case_ids(pl_server *s, const pl_request *req, char ***ids, size_t *n,
		    pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	char *list = NULL;
	*ids = NULL;
	*n = 0;
	if (pl_request_list(req, "cases", &list, &err)) {
		srv_problem_err(r, &err);
		return -1;
	}
	char **v = calloc(MAX_CASES, sizeof *v);
	int rc = v ? 0 : -1;
	if (list) {
		for (char *p = list, *comma; !rc && *p; p = comma ? comma + 1 : p + strlen(p)) {
			comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if (*n == MAX_CASES) {
				srv_problemf(r, 400, "request body: $.cases: at most %d cases",
					     MAX_CASES);
				rc = -2;
			} else if (!(v[(*n)++] = strdup(p)))
				rc = -1;
		}
	} else {
		pthread_rwlock_rdlock(&s->cases_lock);
		for (size_t k = 0; !rc && k < s->n_cases && *n < MAX_CASES; k++)
			if (s->cases[k].shipped && !(v[(*n)++] = strdup(s->cases[k].id)))
				rc = -1;
		pthread_rwlock_unlock(&s->cases_lock);
	}
	free(list);
	if (rc == -1)
		srv_problem(r, 500, "out of memory");
	*ids = v;
	return rc ? -1 : 0;
}

void srv_api_backtest(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return;
	}
	pl_request *req = srv_body(q, r);
	if (!req)
		return;
	pl_error err;
	pl_error_clear(&err);
	pl_backtest_request br = PL_BACKTEST_REQUEST_INIT;
	uint64_t rounds = 0, seed = 0, sweep = 0;
	char *engines = NULL, **params = NULL, **ids = NULL;
	size_t n_params = 0, n_ids = 0, n_cases = 0;
	srv_case *cases = NULL;
	pl_case_set *set = NULL;
	if (pl_request_check_members(req, members, &err) ||
	    pl_request_uint(req, "rounds", 1, 100000, &rounds, &err) ||
	    pl_request_uint(req, "seed", 0, INT64_MAX, &seed, &err) ||
	    pl_request_uint(req, "sweep", 1,
			    s->cfg.max_samples < MAX_SWEEP ? s->cfg.max_samples : MAX_SWEEP, &sweep,
			    &err) ||
	    pl_request_bool(req, "stack", &br.stack, &err) ||
	    pl_request_list(req, "engine", &engines, &err)) {
		srv_problem_err(r, &err);
		goto done;
	}
	if (srv_params(req, &params, &n_params, r) || case_ids(s, req, &ids, &n_ids, r))
		goto done;
	cases = calloc(n_ids ? n_ids : 1, sizeof *cases);
	if (!cases || pl_case_set_new(&set, &err)) {
		srv_problem(r, 500, "out of memory");
		goto done;
	}
	for (; n_cases < n_ids; n_cases++) {
		if (srv_case_resolve_id(s, ids[n_cases], &cases[n_cases], r))
			goto done;
		if (pl_case_set_add(set, cases[n_cases].c, ids[n_cases], &err)) {
			n_cases++;
			srv_problem_err(r, &err);
			goto done;
		}
	}
	if (engines)
		br.engines = engines;
	br.rounds = (int)rounds;
	br.seed = seed;
	br.sweep = sweep;
	br.threads = 1; /* one computing slot, one thread */
	br.params = (const char *const *)params;
	br.n_params = n_params;
	pl_backtest *b = NULL;
	char *doc = NULL;
	srv_slot_take(s);
	int rc = pl_backtest_run_request(&b, set, &br, &err);
	if (!rc)
		rc = pl_backtest_json(&doc, b, &err);
	srv_slot_give(s);
	if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", doc, strlen(doc));
	pl_backtest_free(b);
done:
	pl_case_set_free(set);
	for (size_t k = 0; k < n_cases; k++)
		srv_case_release(&cases[k]);
	free(cases);
	for (size_t k = 0; ids && k < n_ids; k++)
		free(ids[k]);
	free(ids);
	pl_request_texts_free(params, n_params);
	free(engines);
	pl_request_free(req);
}
