/* run.c - the computing endpoints: POST /api/v1/forecast, /compare and
 * /games/solve.  Each turns the request object into the options the command
 * takes and answers with the very bytes the library's document function
 * gives the command (nothing is re-serialized here). */
#include <stdlib.h>
#include <string.h>

#include "parley/report.h"
#include "server/server_internal.h"

/* "params": an object {"NAME" or "ENGINE.NAME": value} or an array of
 * "NAME=VALUE" strings, as the command's -p.  *out (malloc'd array of
 * malloc'd strings) gets them as text.  A parameter that writes a file on
 * the server (smp's log) is refused. */
int srv_params(json_t *req, char ***out, size_t *n, pl_http_response *r)
{
	json_t *p = json_object_get(req, "params");
	*out = NULL;
	*n = 0;
	if (!p || json_is_null(p))
		return 0;
	size_t cap = json_is_object(p)	? json_object_size(p)
		     : json_is_array(p) ? json_array_size(p)
					: 0;
	if (!json_is_object(p) && !json_is_array(p)) {
		srv_problem(r, 400,
			    "request body: $.params: must be an object {\"NAME\": value} or "
			    "an array of \"NAME=VALUE\" strings");
		return -1;
	}
	char **list = calloc(cap ? cap : 1, sizeof *list);
	if (!list) {
		srv_problem(r, 500, "out of memory");
		return -1;
	}
	const char *key;
	json_t *v;
	size_t k = 0;
	int bad = 0;
	if (json_is_object(p)) {
		json_object_foreach(p, key, v)
		{
			char *val =
				json_is_string(v) ? strdup(json_string_value(v))
				: json_is_number(v) || json_is_boolean(v)
					? json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17))
					: NULL;
			if (!val) {
				srv_problemf(r, 400,
					     "request body: $.params.%.100s: must be a string or a "
					     "number",
					     key);
				bad = 1;
				break;
			}
			size_t len = strlen(key) + strlen(val) + 2;
			list[k] = malloc(len);
			if (list[k])
				snprintf(list[k++], len, "%s=%s", key, val);
			free(val);
		}
	} else {
		for (size_t i = 0; i < cap && !bad; i++) {
			v = json_array_get(p, i);
			if (!json_is_string(v)) {
				srv_problemf(r, 400,
					     "request body: $.params[%zu]: must be a string "
					     "NAME=VALUE",
					     i);
				bad = 1;
			} else if ((list[k] = strdup(json_string_value(v)))) {
				k++;
			}
		}
	}
	for (size_t i = 0; i < k && !bad; i++) {
		const char *name = list[i], *dot = strchr(name, '.'), *eq = strchr(name, '=');
		if (dot && eq && dot < eq)
			name = dot + 1;
		if (strncmp(name, "log=", 4) == 0) {
			srv_problemf(r, 400,
				     "request body: $.params: '%.100s': a parameter that writes a "
				     "file on the server is not allowed through the API",
				     list[i]);
			bad = 1;
		}
	}
	*out = list;
	*n = k;
	return bad ? -1 : 0;
}

void srv_params_free(char **list, size_t n)
{
	for (size_t k = 0; list && k < n; k++)
		free(list[k]);
	free(list);
}

static const char *const forecast_members[] = {"case", "engine", "params", "rounds", "forum",
					       "seed", "trace",	 "issue",  NULL};

void srv_api_forecast(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return;
	}
	json_t *req = srv_body_object(q, r);
	if (!req)
		return;
	pl_forecast_request fr = PL_FORECAST_REQUEST_INIT;
	uint64_t rounds = 0;
	char **params = NULL;
	size_t n_params = 0;
	srv_case c = {.c = NULL};
	if (srv_check_members(req, forecast_members, r) ||
	    srv_get_string(req, "engine", &fr.engine, r) ||
	    srv_get_string(req, "issue", &fr.issue, r) ||
	    srv_get_string(req, "forum", &fr.forum, r) ||
	    srv_get_uint(req, "rounds", 1, 100000, &rounds, r) ||
	    srv_get_uint(req, "seed", 0, INT64_MAX, &fr.seed, r) ||
	    srv_get_bool(req, "trace", &fr.trace, r) || srv_params(req, &params, &n_params, r) ||
	    srv_case_resolve(s, json_object_get(req, "case"), &c, r))
		goto done;
	fr.rounds = (int)rounds;
	fr.params = (const char *const *)params;
	fr.n_params = n_params;
	fr.input_sha256 = c.sha256;
	fr.scenario_params = c.xml_params;
	if (c.xml_params && !json_object_get(req, "seed"))
		fr.seed = c.xml_seed;
	pl_error err;
	pl_error_clear(&err);
	pl_forecast_set *set = NULL;
	char *doc = NULL;
	srv_slot_take(s);
	int rc = pl_forecast_set_run(&set, c.c, &fr, &err);
	if (!rc)
		rc = pl_forecast_json(&doc, set, &err);
	srv_slot_give(s);
	if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", doc, strlen(doc));
	pl_forecast_set_free(set);
done:
	srv_case_release(&c);
	srv_params_free(params, n_params);
	json_decref(req);
}

/* ---- games ---- */

static const char *default_solver(const pl_game *g)
{
	if (pl_game_is_tree(g))
		return "spe";
	return pl_game_n_players(g) == 2 ? "enummixed" : "pure";
}

/* "game": a shipped game's name, the text of an .efg/.nfg file, or a game
 * object (parley's JSON form). */
static int load_game(pl_server *s, json_t *v, pl_game **g, pl_http_response *r)
{
	pl_error err;
	pl_error_clear(&err);
	char *text = NULL;
	const char *name = "$.game";
	int rc;
	if (json_is_object(v)) {
		text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		rc = text ? pl_game_read_buffer(text, strlen(text), name, g, &err) : PL_ENOMEM;
		free(text);
	} else if (json_is_string(v)) {
		const char *t = json_string_value(v);
		size_t len = json_string_length(v), k = 0;
		while (k < len && ((t[k] >= 'a' && t[k] <= 'z') || (t[k] >= '0' && t[k] <= '9') ||
				   t[k] == '-' || t[k] == '_'))
			k++;
		if (k == len && len > 0 && len < 100) {
			char path[4300];
			snprintf(path, sizeof path, "%s/%s.efg",
				 s->cfg.games_dir ? s->cfg.games_dir : ".", t);
			rc = s->cfg.games_dir ? pl_game_read_file(path, g, &err) : PL_ENOTFOUND;
			if (rc) {
				snprintf(path, sizeof path, "%s/%s.nfg",
					 s->cfg.games_dir ? s->cfg.games_dir : ".", t);
				pl_error_clear(&err);
				rc = s->cfg.games_dir ? pl_game_read_file(path, g, &err)
						      : PL_ENOTFOUND;
			}
			if (rc) {
				srv_problemf(r, 404, "request body: $.game: no shipped game '%s'",
					     t);
				return -1;
			}
		} else {
			rc = pl_game_read_buffer(t, len, name, g, &err);
		}
	} else {
		srv_problem(r, 400,
			    "request body: $.game: must be a shipped game's name, the text "
			    "of an .efg or .nfg file, or a game object");
		return -1;
	}
	if (rc)
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
	json_t *v = json_string(name);
	pl_game *g = NULL;
	int rc = v ? load_game(s, v, &g, r) : -1;
	json_decref(v);
	if (rc) {
		if (r->status == 404)
			srv_problemf(r, 404, "no shipped game '%s'", name);
		return;
	}
	pl_error err;
	pl_error_clear(&err);
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
	json_t *req = srv_body_object(q, r);
	if (!req)
		return;
	const char *solver = NULL, *format = "json";
	uint64_t max = 0;
	pl_game *g = NULL;
	pl_game_solve_opts opts = PL_GAME_SOLVE_OPTS_INIT;
	json_t *tol = json_object_get(req, "tolerance");
	if (srv_check_members(req, solve_members, r) || srv_get_string(req, "solver", &solver, r) ||
	    srv_get_string(req, "format", &format, r) ||
	    srv_get_uint(req, "max", 1, 100000000, &max, r))
		goto done;
	if (tol &&
	    !(json_is_number(tol) && json_number_value(tol) > 0 && json_number_value(tol) <= 1)) {
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
	if (!json_object_get(req, "game")) {
		srv_problem(r, 400, "request body: $.game: required");
		goto done;
	}
	if (load_game(s, json_object_get(req, "game"), &g, r))
		goto done;
	opts.max_equilibria = (size_t)max;
	opts.tolerance = tol ? json_number_value(tol) : 0;
	pl_error err;
	pl_error_clear(&err);
	pl_game_solution *sol = NULL;
	char *text = NULL;
	srv_slot_take(s);
	int rc = pl_game_solve(g, solver ? solver : default_solver(g), &opts, &sol, &err);
	if (!rc)
		rc = pl_game_solution_format(sol, kind, &text, &err);
	srv_slot_give(s);
	pl_game_solution_free(sol);
	if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200,
			  kind == PL_GAME_OUT_JSON  ? "application/json"
			  : kind == PL_GAME_OUT_CSV ? "text/csv; charset=utf-8"
						    : "text/plain; charset=utf-8",
			  text, strlen(text));
done:
	pl_game_free(g);
	json_decref(req);
}

/* ---- forum comparisons ---- */

/* A list member: a string ("all", "A,B") or an array of strings, joined
 * with commas into buf. */
static int list_member(json_t *req, const char *name, char *buf, size_t size, const char **out,
		       pl_http_response *r)
{
	json_t *v = json_object_get(req, name);
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		*out = json_string_value(v);
		return 0;
	}
	size_t len = 0;
	buf[0] = '\0';
	for (size_t k = 0; json_is_array(v) && k < json_array_size(v); k++) {
		const char *t = json_string_value(json_array_get(v, k));
		if (!t || len + strlen(t) + 2 > size) {
			srv_problemf(r, 400, "request body: $.%s[%zu]: must be a string", name, k);
			return -1;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", k ? "," : "", t);
	}
	if (!json_is_array(v) || len == 0) {
		srv_problemf(
			r, 400,
			"request body: $.%s: must be \"all\", \"A,B,...\" or a non-empty array "
			"of names",
			name);
		return -1;
	}
	*out = buf;
	return 0;
}

static const char *const compare_members[] = {"case",	"engines", "engine", "forums", "baseline",
					      "params", "rounds",  "seed",   NULL};

void srv_api_compare(pl_server *s, const pl_http_request *q, pl_http_response *r)
{
	if (strcmp(q->method, "POST")) {
		srv_method_not_allowed(r, "POST");
		return;
	}
	json_t *req = srv_body_object(q, r);
	if (!req)
		return;
	pl_compare_request cr = PL_COMPARE_REQUEST_INIT;
	char forums[4096], engines[1024];
	uint64_t rounds = 0;
	char **params = NULL;
	size_t n_params = 0;
	srv_case c = {.c = NULL};
	if (srv_check_members(req, compare_members, r) ||
	    list_member(req, "forums", forums, sizeof forums, &cr.forums, r) ||
	    list_member(req, "engines", engines, sizeof engines, &cr.engines, r) ||
	    srv_get_string(req, "engine", &cr.engines, r) ||
	    srv_get_string(req, "baseline", &cr.baseline, r) ||
	    srv_get_uint(req, "rounds", 1, 100000, &rounds, r) ||
	    srv_get_uint(req, "seed", 0, INT64_MAX, &cr.seed, r) ||
	    srv_params(req, &params, &n_params, r) ||
	    srv_case_resolve(s, json_object_get(req, "case"), &c, r))
		goto done;
	cr.rounds = (int)rounds;
	cr.params = (const char *const *)params;
	cr.n_params = n_params;
	pl_error err;
	pl_error_clear(&err);
	pl_comparison *x = NULL;
	char *doc = NULL;
	srv_slot_take(s);
	int rc = pl_comparison_run(&x, c.c, &cr, &err);
	if (!rc)
		rc = pl_compare_json(&doc, x, &err);
	srv_slot_give(s);
	if (rc)
		srv_problem_err(r, &err);
	else
		srv_bytes(r, 200, "application/json", doc, strlen(doc));
	pl_comparison_free(x);
done:
	srv_case_release(&c);
	srv_params_free(params, n_params);
	json_decref(req);
}
