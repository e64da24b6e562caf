/* report_data.c - the data of `parley report` (include/parley/report.h):
 * the forecasts of every engine, round-by-round trajectories, the forum
 * comparison, the sweep's distributions and sensitivity indices, per-format
 * sweeps and the palette, as one JSON tree the HTML page (report_html.c)
 * embeds and the single charts (report_chart.c) read. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *sweep_engine(const pl_report_request *o)
{
	return o->sweep_engine ? o->sweep_engine : "compromise";
}

static json_t *case_json(const pl_case *c, json_t *data)
{
	json_t *issues = json_array(), *actors = json_array();
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_issue *is = pl_case_issue(c, i);
		json_t *anchors = json_array(); /* what a number means, for the summary */
		for (size_t k = 0; k < is->n_anchors; k++)
			json_array_append_new(anchors, json_pack("{s:f,s:s}", "value",
								 is->anchors[k].value, "label",
								 is->anchors[k].label));
		json_array_append_new(issues, json_pack("{s:s,s:s,s:f,s:f,s:o}", "id", is->id,
							"name", is->name ? is->name : is->id,
							"min", is->min, "max", is->max,
							"anchors", anchors));
	}
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		const pl_actor *ac = pl_case_actor(c, a);
		json_array_append_new(actors, json_pack("{s:s,s:s}", "id", ac->id, "name",
							ac->name ? ac->name : ac->id));
	}
	json_object_set_new(data, "issues", issues);
	json_object_set_new(data, "actors", actors);
	return data;
}

/* Which engine, parameters (canonical: sorted, defaults filled in), seed and
 * rounds made result r: shown next to its charts and kept in the data. */
static json_t *run_json(const pl_engine *e, const pl_result *r)
{
	json_t *rounds = json_array();
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
		json_array_append_new(rounds,
				      json_integer((json_int_t)pl_result_outcome(r, q)->n_rounds));
	return json_pack("{s:s,s:b,s:s,s:I,s:o}", "engine", pl_engine_name(e), "dynamic",
			 pl_engine_is_dynamic(e), "params", pl_result_params(r), "seed",
			 (json_int_t)pl_result_seed(r), "rounds", rounds);
}

static json_t *dynamic_engines_json(void)
{
	json_t *names = json_array();
	for (size_t k = 0; k < pl_engine_count(); k++)
		if (pl_engine_is_dynamic(pl_engine_at(k)))
			json_array_append_new(names, json_string(pl_engine_name(pl_engine_at(k))));
	return names;
}

/* The exchange engine's trades in the order made, as the forecast
 * document's "exchanges" gives them (docs/formats.md): round, and for each
 * of the two actors the issue it gives ground on, from where to where, and
 * its gain. */
static json_t *exchanges_json(const pl_case *c, const pl_result *r)
{
	json_t *xs = json_array();
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		json_t *sides = json_array();
		for (int s = 0; s < 2; s++)
			json_array_append_new(
				sides, json_pack("{s:s,s:s,s:o,s:o,s:o}", "actor",
						 pl_case_actor(c, e->actor[s])->id, "gives_on",
						 pl_case_issue(c, e->issue[s])->id, "from",
						 pl__report_jnum(e->from[s]), "to",
						 pl__report_jnum(e->to[s]), "gain",
						 pl__report_jnum(e->gain[s])));
		json_array_append_new(xs, json_pack("{s:i,s:o}", "round", e->round, "actors", sides));
	}
	return xs;
}

/* chosen: the engine came from --trajectory-engine (not the default). */
static json_t *trajectory_json(const pl_case *c, const pl_engine *e, const pl_result *r, int chosen)
{
	json_t *t = run_json(e, r), *issues = json_array();
	json_object_set_new(t, "chosen", json_boolean(chosen));
	json_object_set_new(t, "dynamic_engines", dynamic_engines_json());
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++) {
		const pl_outcome *o = pl_result_outcome(r, q);
		json_t *actors = json_array(), *rows = json_array(), *fc = json_array();
		for (size_t a = 0; a < o->n_actors; a++)
			json_array_append_new(actors,
					      json_string(pl_case_actor(c, o->actor[a])->id));
		for (size_t k = 0; k <= o->n_rounds; k++) {
			json_t *row = json_array();
			for (size_t a = 0; a < o->n_actors; a++)
				json_array_append_new(
					row, pl__report_jnum(o->positions[k * o->n_actors + a]));
			json_array_append_new(rows, row);
			json_array_append_new(fc, pl__report_jnum(o->round_forecast[k]));
		}
		json_array_append_new(issues, json_pack("{s:s,s:I,s:o,s:o,s:o}", "issue",
							pl_case_issue(c, o->issue)->id, "rounds",
							(json_int_t)o->n_rounds, "actors", actors,
							"positions", rows, "forecast", fc));
	}
	json_object_set_new(t, "issues", issues);
	if (pl_result_n_exchanges(r))
		json_object_set_new(t, "exchanges", exchanges_json(c, r));
	return t;
}

/* Forecasts of every engine of the comparison with everyone at the table;
 * an engine that cannot take the case (pl_forecast_cannot_run) is left out,
 * as the comparison's notes say. */
static int forecasts_json(const pl_case *c, const pl_comparison *x, const char *traj_name,
			  json_t *data, pl_error *err)
{
	const pl_engine *traj = NULL;
	if (traj_name && !(traj = pl_engine_find(traj_name, err)))
		return PL_ENOTFOUND;
	json_t *names = json_array(), *values = json_array(), *runs = json_array();
	pl_result **rs = calloc(pl_comparison_n_engines(x), sizeof *rs);
	int rc = rs ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t e = 0; e < pl_comparison_n_engines(x) && !rc; e++) {
		pl_run_options ro;
		pl_run_options_init(&ro);
		ro.params = pl_comparison_params(x, e);
		pl_error why;
		pl_error_clear(&why);
		rc = pl_forecast(c, pl_comparison_engine(x, e), &ro, &rs[e], &why);
		if (pl_forecast_cannot_run(pl_comparison_engine(x, e), &ro, rc)) {
			rc = PL_OK;
		} else if (rc) {
			pl_error_set(err, rc, why.where, "%s", why.message);
		} else {
			json_array_append_new(
				names, json_string(pl_engine_name(pl_comparison_engine(x, e))));
			json_array_append_new(runs, run_json(pl_comparison_engine(x, e), rs[e]));
		}
	}
	for (size_t e = 0; !traj && !rc && e < pl_comparison_n_engines(x); e++)
		if (rs[e] && pl_engine_is_dynamic(pl_comparison_engine(x, e)))
			traj = pl_comparison_engine(x, e);
	for (size_t e = 0; !traj && !rc && e < pl_comparison_n_engines(x); e++)
		if (rs[e])
			traj = pl_comparison_engine(x, e);
	if (!traj && !rc)
		rc = pl_error_set(err, PL_EINPUT, NULL,
				  "no engine of the report can run this case");
	for (size_t i = 0; i < pl_case_n_issues(c) && !rc; i++) {
		json_t *row = json_array();
		for (size_t e = 0; e < pl_comparison_n_engines(x); e++)
			if (rs[e])
				json_array_append_new(
					row,
					pl__report_jnum(pl_result_outcome(rs[e], i)->forecast));
		json_array_append_new(values, row);
	}
	/* the trajectory engine runs with the parameters it has in the comparison */
	pl_run_options tro;
	pl_run_options_init(&tro);
	for (size_t e = 0; e < pl_comparison_n_engines(x); e++)
		if (pl_comparison_engine(x, e) == traj)
			tro.params = pl_comparison_params(x, e);
	pl_result *tr = NULL;
	if (!rc)
		rc = pl_forecast(c, traj, &tro, &tr, err);
	if (!rc) {
		json_object_set_new(data, "forecasts",
				    json_pack("{s:o,s:o,s:o}", "engines", names, "values", values,
					      "runs", runs));
		json_object_set_new(data, "trajectories",
				    trajectory_json(c, traj, tr, traj_name != NULL));
	} else {
		json_decref(names);
		json_decref(values);
		json_decref(runs);
	}
	pl_result_free(tr);
	for (size_t e = 0; rs && e < pl_comparison_n_engines(x); e++)
		pl_result_free(rs[e]);
	free(rs);
	return rc;
}

/* Total indices per actor and issue: whose judgements move the forecast. */
static int actor_indices_json(const pl_case *c, const pl_report_request *o, json_t *data,
			      pl_error *err)
{
	const pl_engine *e = pl_engine_find(sweep_engine(o), err);
	if (!e)
		return PL_ENOTFOUND;
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = o->n;
	so.seed = o->seed;
	so.threads = o->threads;
	so.sensitivity = 1;
	so.by = PL_BY_ACTOR;
	pl_sweep *s = NULL;
	int rc = pl_sweep_run(c, e, &so, &s, err);
	if (rc)
		return rc;
	json_t *rows = json_array();
	for (size_t f = 0; f < pl_sweep_n_factors(s); f++) {
		json_t *total = json_array();
		for (size_t i = 0; i < pl_case_n_issues(c); i++) {
			pl_sobol x;
			pl_sweep_sobol(s, i, f, &x, NULL);
			json_array_append_new(total, pl__report_jnum(x.total));
		}
		json_array_append_new(rows, json_pack("{s:s,s:o}", "factor",
						      pl_sweep_factor_label(s, f), "total", total));
	}
	json_object_set_new(data, "actor_indices", rows);
	pl_sweep_free(s);
	return PL_OK;
}

static int sweep_of(const pl_case *c, const pl_report_request *o, pl_sweep **s, pl_error *err)
{
	const pl_engine *e = pl_engine_find(sweep_engine(o), err);
	if (!e)
		return PL_ENOTFOUND;
	pl_sweep_options so;
	pl_sweep_options_init(&so);
	so.n = o->n;
	so.seed = o->seed;
	so.threads = o->threads;
	so.sensitivity = 1;
	return pl_sweep_run(c, e, &so, s, err);
}

/* How sure each format's forecast is: the sweep engine under every format of
 * the comparison (same seed, so the formats see the same draws), without
 * indices: the 5 %, 50 % and 95 % quantiles per issue. */
static int forum_sweeps_json(const pl_case *c, const pl_report_request *o, const pl_comparison *x,
			     json_t *data, pl_error *err)
{
	const pl_engine *e = pl_engine_find(sweep_engine(o), err);
	if (!e)
		return PL_ENOTFOUND;
	json_t *arr = json_array();
	int rc = PL_OK;
	for (size_t k = 0; k < pl_comparison_n_forums(x) && !rc; k++) {
		pl_sweep_options so;
		pl_sweep_options_init(&so);
		so.n = o->n;
		so.seed = o->seed;
		so.threads = o->threads;
		so.forum = pl_comparison_forum(x, k);
		pl_sweep *s = NULL;
		pl_error why;
		pl_error_clear(&why);
		rc = pl_sweep_run(c, e, &so, &s, &why);
		json_t *issues = json_array();
		for (size_t i = 0; !rc && i < pl_case_n_issues(c); i++) {
			pl_sweep_summary sm;
			pl_sweep_summary_of(s, i, &sm, NULL);
			json_array_append_new(
				issues,
				json_pack("{s:s,s:o,s:o,s:o,s:o}", "issue", pl_case_issue(c, i)->id,
					  "mean", pl__report_jnum(sm.mean), "p05",
					  pl__report_jnum(pl_sweep_quantile(s, i, 0.05)), "p50",
					  pl__report_jnum(pl_sweep_quantile(s, i, 0.5)), "p95",
					  pl__report_jnum(pl_sweep_quantile(s, i, 0.95))));
		}
		const char *id = pl_comparison_forum(x, k) == PL_NO_FORUM
					 ? "everyone"
					 : pl_case_forum(c, pl_comparison_forum(x, k))->id;
		if (rc == PL_EINPUT) {
			/* a format with no one at the table on some issue: shown as absent */
			rc = PL_OK;
			json_decref(issues);
			issues = json_null();
		} else if (rc) {
			pl_error_set(err, rc, why.where, "%s", why.message);
		}
		json_array_append_new(arr, json_pack("{s:s,s:o}", "forum", id, "issues", issues));
		pl_sweep_free(s);
	}
	json_object_set_new(data, "forum_sweeps", arr);
	return rc;
}

static int build_data(const pl_case *c, const pl_report_request *o, json_t **data, pl_error *err)
{
	pl_compare_request creq = PL_COMPARE_REQUEST_INIT;
	creq.forums = o->forums;
	creq.engines = o->engines;
	creq.baseline = o->baseline;
	pl_comparison *x = NULL;
	pl_sweep *s = NULL;
	int rc = pl_comparison_run(&x, c, &creq, err);
	if (!rc)
		rc = sweep_of(c, o, &s, err);
	if (!rc) {
		*data = json_pack("{s:s,s:s?,s:s}", "parley", pl_version(), "case",
				  pl_case_get_info(c)->id, "case_sha256", pl_case_hash(c));
		rc = *data ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	if (!rc) {
		case_json(c, *data);
		rc = forecasts_json(c, x, o->trajectory_engine, *data, err);
	}
	if (!rc) {
		json_object_set_new(*data, "compare", pl__compare_to_json(x));
		json_object_set_new(*data, "sweep", pl__sweep_to_json(c, s));
		rc = forum_sweeps_json(c, o, x, *data, err);
	}
	if (!rc)
		rc = actor_indices_json(c, o, *data, err);
	if (!rc)
		json_object_set_new(*data, "colours", pl__report_colours_json(*data));
	pl_sweep_free(s);
	pl_comparison_free(x);
	return rc;
}

int pl_report_run(pl_report **out, const pl_case *c, const pl_report_request *req, pl_error *err)
{
	*out = NULL;
	if (!req || req->version != PL_REPORT_REQUEST_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "report request version %u (this parley knows %d)",
				    req ? req->version : 0u, PL_REPORT_REQUEST_VERSION);
	pl_report *r = calloc(1, sizeof *r);
	if (!r)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	r->c = c;
	int rc = build_data(c, req, &r->data, err);
	if (rc) {
		pl_report_free(r);
		return rc;
	}
	*out = r;
	return PL_OK;
}

void pl_report_free(pl_report *r)
{
	if (!r)
		return;
	json_decref(r->data);
	free(r);
}
