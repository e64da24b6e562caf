/* run.c - the computing endpoints: POST /api/v1/forecast, /compare and
 * /games/solve.  Each turns the request object into the options the command
 * takes and answers with the very bytes the library's document function
 * gives the command (nothing is re-serialized here). */
#include <stdlib.h>
#include <string.h>

#include "parley/report.h"
#include "server/server_internal.h"

/* "params" as the command's -p texts (parley/request.h).  A parameter that
 * writes a file on the server (smp's log) is refused. */
int srv_params(const pl_request *req, char ***out, size_t *n, pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	if (pl_request_params(req, out, n, &err)) {
		srv_problem_err(r, &err);
		return -1;
	}
	for (size_t i = 0; i < *n; i++) {
		const char *name = (*out)[i], *dot = strchr(name, '.'), *eq = strchr(name, '=');
		if (dot && eq && dot < eq)
			name = dot + 1;
		if (strncmp(name, "log=", 4) == 0) {
			srv_problemf(r, 400,
				     "request body: $.params: '%.100s': a parameter that writes a "
				     "file on the server is not allowed through the API",
				     (*out)[i]);
			return -1;
		}
	}
	return 0;
}

/* What the computing endpoints share: a POST whose body is an object of
 * known members, with "rounds", "seed", "params" and "case" as the
 * command takes them. */
typedef struct run_req {
	pl_request *req;
	uint64_t rounds, seed;
	int has_seed;
	char **params;
	size_t n_params;
	srv_case c;
} run_req;

/* The request, its shared members read; 0, or -1 with r answered.
 * run_end frees it either way. */
static int run_begin(pl_server *s, const pl_http_request *q, const char *const *known,
		     run_req *rq, pl_http_response *r)
{
	memset(rq, 0, sizeof *rq);
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return -1;
	}
	if (!(rq->req = srv_body(q, r)))
		return -1;
	pl_error err;
	pl_error_clear(&err);
	if (pl_request_check_members(rq->req, known, &err) ||
	    pl_request_uint(rq->req, "rounds", 1, 100000, &rq->rounds, &err) ||
	    pl_request_uint(rq->req, "seed", 0, INT64_MAX, &rq->seed, &err)) {
		srv_problem_err(r, &err);
		return -1;
	}
	rq->has_seed = pl_request_kind(rq->req, "seed") == PL_MEMBER_NUMBER;
	if (srv_params(rq->req, &rq->params, &rq->n_params, r) ||
	    srv_case_resolve(s, rq->req, &rq->c, r))
		return -1;
	return 0;
}

static void run_end(run_req *rq)
{
	srv_case_release(&rq->c);
	pl_request_texts_free(rq->params, rq->n_params);
	pl_request_free(rq->req);
}

/* The answer of a computation: its document, or the library's error. */
static void run_answer(pl_http_response *r, int rc, const pl_error *err, char *doc,
		       const char *type)
{
	if (rc)
		srv_problem_err(r, err);
	else
		srv_bytes(r, 200, type, doc, strlen(doc));
}

static const char *const forecast_members[] = {"case", "engine", "params", "rounds", "forum",
					       "seed", "trace",	 "issue",  NULL};

void srv_api_forecast(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	run_req rq;
	pl_forecast_request fr = PL_FORECAST_REQUEST_INIT;
	pl_error err;
	pl_error_clear(&err);
	if (run_begin(s, q, forecast_members, &rq, r))
		goto done;
	if (pl_request_string(rq.req, "engine", &fr.engine, &err) ||
	    pl_request_string(rq.req, "issue", &fr.issue, &err) ||
	    pl_request_string(rq.req, "forum", &fr.forum, &err) ||
	    pl_request_bool(rq.req, "trace", &fr.trace, &err)) {
		srv_problem_err(r, &err);
		goto done;
	}
	fr.rounds = (int)rq.rounds;
	if (rq.has_seed)
		fr.seed = rq.seed;
	else if (rq.c.xml_params)
		fr.seed = rq.c.xml_seed;
	fr.params = (const char *const *)rq.params;
	fr.n_params = rq.n_params;
	fr.input_sha256 = rq.c.sha256;
	fr.scenario_params = rq.c.xml_params;
	pl_forecast_set *set = NULL;
	char *doc = NULL;
	srv_slot_take(s);
	int rc = pl_forecast_set_run(&set, rq.c.c, &fr, &err);
	if (!rc)
		rc = pl_forecast_json(&doc, set, &err);
	srv_slot_give(s);
	run_answer(r, rc, &err, doc, "application/json");
	pl_forecast_set_free(set);
done:
	run_end(&rq);
}

/* ---- games ---- */

static const char *default_solver(const pl_game *g)
{
	if (pl_game_is_tree(g))
		return "spe";
	return pl_game_n_players(g) == 2 ? "enummixed" : "pure";
}

/* The shipped game NAME: games_dir/NAME.efg, else NAME.nfg. */
static int read_shipped_game(pl_server *s, const char *name, pl_game **g, pl_error *err)
{
	if (!s->cfg.games_dir)
		return PL_ENOTFOUND;
	char path[4300];
	snprintf(path, sizeof path, "%s/%s.efg", s->cfg.games_dir, name);
	int rc = pl_game_read_file(path, g, err);
	if (rc) {
		snprintf(path, sizeof path, "%s/%s.nfg", s->cfg.games_dir, name);
		pl_error_clear(err);
		rc = pl_game_read_file(path, g, err);
	}
	return rc;
}

/* "game": a shipped game's name, the text of an .efg/.nfg file, or a game
 * object (parley's JSON form). */
static int load_game(pl_server *s, const pl_request *req, pl_game **g, pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	const char *name = "$.game";
	pl_member_kind kind = pl_request_kind(req, "game");
	int rc;
	if (kind == PL_MEMBER_OBJECT) {
		char *text = pl_request_member_text(req, "game");
		rc = text ? pl_game_read_buffer(text, strlen(text), name, g, &err) : PL_ENOMEM;
		free(text);
	} else if (kind == PL_MEMBER_STRING) {
		const char *t = NULL;
		pl_request_string(req, "game", &t, &err);
		size_t len = strlen(t), k = 0;
		while (k < len && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9') ||
				   t[k] == '-' || t[k] == '_'))
			k++;
		if (k == len && len > 0 && len < 100) {
			rc = read_shipped_game(s, t, g, &err);
			if (rc) {
				srv_problemf(r, 404, "request body: $.game: no shipped game '%s'",
					     t);
				return -1;
			}
		} else {
			rc = pl_game_read_buffer(t, len, name, g, &err);
		}
	} else if (kind == PL_MEMBER_ABSENT) {
		srv_problem(r, 400, "request body: $.game: required");
		return -1;
	} else {
		srv_problem(r, 400,
			    "request body: $.game: must be a shipped game's name, the text "
			    "of an .efg or .nfg file, or a game object");
		return -1;
	}
	if (rc == PL_ENOMEM && !err.code)
		srv_problem(r, 500, "out of memory");
	else if (rc)
		srv_problem_err(r, &err);
	return rc ? -1 : 0;
}

/* GET /api/v1/games/NAME: a shipped game in parley's JSON form (`parley
 * game convert --to json`), the tree the dashboard draws. */
void srv_api_game(pl_server *s, const pl_http_request *q, pl_http_response *r, const char *name)
{
	if (strcmp(q->method, "GET")) {
		srv_method_not_allowed(r, "GET");
		return;
	}
	size_t k = 0, len = strlen(name);
	while (k < len && ((name[k] >= 'a' && name[k] <= 'z') || (name[k] >= '0' && name[k] <= '9') ||
			   name[k] == '-' || name[k] == '_'))
		k++;
	if (k != len || len == 0 || len >= 100) {
		srv_problemf(r, 404, "no shipped game '%.100s'", name);
		return;
	}
	pl_game *g = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (read_shipped_game(s, name, &g, &err)) {
		srv_problemf(r, 404, "no shipped game '%s'", name);
		return;
	}
	char *text = NULL;
	if (pl_game_write_string(g, PL_GAME_JSON, &text, &err))
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", text, strlen(text));
	pl_game_free(g);
}

static const char *const solve_members[] = {"game", "solver", "max", "tolerance", "format", NULL};

void srv_api_solve(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return;
	}
	pl_request *req = srv_body(q, r);
	if (!req)
		return;
	const char *solver = NULL, *format = "json";
	uint64_t max = 0;
	double tol = 0;
	int has_tol = 0;
	pl_game *g = NULL;
	pl_game_solve_opts opts = PL_GAME_SOLVE_OPTS_INIT;
	pl_error err;
	pl_error_clear(&err);
	if (pl_request_check_members(req, solve_members, &err) ||
	    pl_request_string(req, "solver", &solver, &err) ||
	    pl_request_string(req, "format", &format, &err) ||
	    pl_request_uint(req, "max", 1, 100000000, &max, &err)) {
		srv_problem_err(r, &err);
		goto done;
	}
	if (pl_request_number(req, "tolerance", &tol, &has_tol, &err) ||
	    (has_tol && !(tol > 0 && tol <= 1))) {
		srv_problem(r, 400, "request body: $.tolerance: must be in (0, 1]");
		goto done;
	}
	pl_game_output kind = strcmp(format, "json") == 0     ? PL_GAME_OUT_JSON
			      : strcmp(format, "csv") == 0    ? PL_GAME_OUT_CSV
			      : strcmp(format, "text") == 0   ? PL_GAME_OUT_TEXT
			      : strcmp(format, "gambit") == 0 ? PL_GAME_OUT_GAMBIT
							      : (pl_game_output)-1;
	if (kind == (pl_game_output)-1) {
		srv_problem(r, 400, "request body: $.format: must be json, csv, text or gambit");
		goto done;
	}
	if (load_game(s, req, &g, r))
		goto done;
	opts.max_equilibria = (size_t)max;
	opts.tolerance = has_tol ? tol : 0;
	pl_game_solution *sol = NULL;
	char *text = NULL;
	srv_slot_take(s);
	int rc = pl_game_solve(g, solver ? solver : default_solver(g), &opts, &sol, &err);
	if (!rc)
		rc = pl_game_solution_format(sol, kind, &text, &err);
	srv_slot_give(s);
	pl_game_solution_free(sol);
	run_answer(r, rc, &err, text,
		   kind == PL_GAME_OUT_JSON  ? "application/json"
		   : kind == PL_GAME_OUT_CSV ? "text/csv; charset=utf-8"
					     : "text/plain; charset=utf-8");
done:
	pl_game_free(g);
	pl_request_free(req);
}

/* ---- forum comparisons ---- */

static const char *const compare_members[] = {"case",	"engines", "engine", "forums", "baseline",
					      "params", "rounds",  "seed",   NULL};

void srv_api_compare(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	run_req rq;
	pl_compare_request cr = PL_COMPARE_REQUEST_INIT;
	char *forums = NULL, *engines = NULL;
	const char *engine = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (run_begin(s, q, compare_members, &rq, r))
		goto done;
	if (pl_request_list(rq.req, "forums", &forums, &err) ||
	    pl_request_list(rq.req, "engines", &engines, &err) ||
	    pl_request_string(rq.req, "engine", &engine, &err) ||
	    pl_request_string(rq.req, "baseline", &cr.baseline, &err)) {
		srv_problem_err(r, &err);
		goto done;
	}
	if (forums)
		cr.forums = forums;
	if (engine || engines) /* "engine" wins, as it did */
		cr.engines = engine ? engine : engines;
	cr.rounds = (int)rq.rounds;
	if (rq.has_seed)
		cr.seed = rq.seed;
	cr.params = (const char *const *)rq.params;
	cr.n_params = rq.n_params;
	pl_comparison *x = NULL;
	char *doc = NULL;
	srv_slot_take(s);
	int rc = pl_compare_request_check(rq.c.c, &cr, &err);
	if (!rc)
		rc = pl_comparison_run(&x, rq.c.c, &cr, &err);
	if (!rc)
		rc = pl_compare_json(&doc, x, &err);
	srv_slot_give(s);
	run_answer(r, rc, &err, doc, "application/json");
	pl_comparison_free(x);
done:
	free(forums);
	free(engines);
	run_end(&rq);
}
