/* forecast_doc.c - a forecast request run (one engine or all of them) and
 * its JSON and CSV documents (include/parley/report.h, docs/formats.md):
 * what `parley forecast --format json|csv` prints and the server returns. */
#include "report_internal.h"
#include "engines/engine_watch.h"

#include <stdlib.h>
#include <string.h>

struct pl_forecast_set {
	const pl_case *c;
	size_t n; /* engines that ran */
	const pl_engine **engines;
	pl_result **results;
	int trace;
	char *forum; /* NULL: every actor at the table */
	char *input_sha256;
	int has_trust;
	char *trust_origin, *trust_root, *trust_as_of;
	uint64_t trust_size;
	double trust_weight;
};

void pl_forecast_set_free(pl_forecast_set *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->n; k++)
		pl_result_free(s->results[k]);
	free(s->results);
	free((void *)s->engines);
	free(s->forum);
	free(s->input_sha256);
	free(s->trust_origin);
	free(s->trust_root);
	free(s->trust_as_of);
	free(s);
}

size_t pl_forecast_set_n_results(const pl_forecast_set *s)
{
	return s->n;
}

const pl_result *pl_forecast_set_result(const pl_forecast_set *s, size_t i)
{
	return i < s->n ? s->results[i] : NULL;
}

const pl_engine *pl_forecast_set_engine(const pl_forecast_set *s, size_t i)
{
	return i < s->n ? s->engines[i] : NULL;
}

const char *pl_forecast_set_forum(const pl_forecast_set *s)
{
	return s->forum;
}

/* ---- running ----------------------------------------------------------- */

/* The provenance the request gives, copied into s. */
static int copy_provenance(pl_forecast_set *s, const pl_forecast_request *req, size_t forum,
			   pl_error *err)
{
	const pl_trust_source *t = req->trust;
	int bad = pl__report_strdup(&s->forum, forum == PL_NO_FORUM ? NULL : req->forum) ||
		  pl__report_strdup(&s->input_sha256, req->input_sha256);
	if (t) {
		s->has_trust = 1;
		s->trust_size = t->size;
		s->trust_weight = t->weight;
		bad = bad || pl__report_strdup(&s->trust_origin, t->origin ? t->origin : "") ||
		      pl__report_strdup(&s->trust_root, t->root ? t->root : "") ||
		      pl__report_strdup(&s->trust_as_of, t->as_of);
	}
	return bad ? pl_error_set(err, PL_ENOMEM, NULL, "out of memory") : PL_OK;
}

/* The engines to run and their parameters (the scenario's go to smp, the
 * request's text on top). */
static int choose_engines(pl_forecast_set *s, const pl_forecast_request *req, int all, size_t n,
			  pl_params **eparams, pl_error *err)
{
	for (size_t k = 0; k < n; k++) {
		s->engines[k] = all ? pl_engine_at(k) : pl_engine_find(req->engine, err);
		if (!s->engines[k])
			return PL_ENOTFOUND;
		if (req->scenario_params && strcmp(pl_engine_name(s->engines[k]), "smp") == 0) {
			int rc = pl_params_copy(&eparams[k], req->scenario_params, err);
			if (rc)
				return rc;
		}
	}
	return pl_params_assign(eparams, n, s->engines, req->params, req->n_params, err);
}

/* Runs the n chosen engines; with every engine, one that cannot take the
 * case is skipped and said so.  s->n counts the results, s->engines is
 * compacted to the engines that ran. */
/* One engine's progress as a part of the whole set's: engine k of n. */
typedef struct set_progress {
	const pl_forecast_request *req;
	size_t k, n;
} set_progress;

static void engine_progress(void *ctx, uint64_t done, uint64_t total)
{
	const set_progress *sp = ctx;
	uint64_t scale = 10000; /* each engine's share of the bar */
	sp->req->progress(sp->req->progress_ctx,
			  sp->k * scale + (total ? done * scale / total : scale), sp->n * scale);
}

static int run_engines(pl_forecast_set *s, const pl_forecast_request *req, int all, size_t n,
		       pl_params **eparams, const pl_run_options *ro, pl_error *err)
{
	pl_error skipped; /* the last engine skipped, when none runs */
	pl_error_clear(&skipped);
	for (size_t k = 0; k < n; k++) {
		pl_error e;
		pl_error_clear(&e);
		pl_run_options rk = *ro;
		rk.params = eparams[k];
		const pl_engine *en = s->engines[k];
		set_progress sp = {req, k, n};
		pl__progress pg = {engine_progress, &sp, 0, 0, 0, 0};
		int watched = req->version >= 2 && req->progress;
		int rc = pl__forecast_watched(s->c, en, &rk, watched ? &pg : NULL,
					      &s->results[s->n], &e);
		if (!rc) {
			s->engines[s->n++] = en;
		} else if (all && pl_forecast_cannot_run(en, &rk, rc)) {
			if (req->on_skip)
				req->on_skip(req->on_skip_ctx, pl_engine_name(en), &e);
			skipped = e;
		} else {
			return pl_error_set(err, e.code ? e.code : rc, e.where[0] ? e.where : NULL,
					    "%s", e.message);
		}
	}
	if (s->n == 0 && skipped.code)
		return pl_error_set(err, skipped.code, NULL, "no engine can run this case");
	if (s->n == 0)
		return pl_error_set(err, PL_EINTERNAL, NULL, "no engine ran");
	return PL_OK;
}

int pl_forecast_set_run(pl_forecast_set **out, const pl_case *c, const pl_forecast_request *req,
			pl_error *err)
{
	*out = NULL;
	if (!req || req->version < 1 || req->version > PL_FORECAST_REQUEST_VERSION)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "forecast request version %u (this parley knows %d)",
				    req ? req->version : 0u, PL_FORECAST_REQUEST_VERSION);
	pl_run_options ro;
	pl_run_options_init(&ro);
	ro.rounds = req->rounds;
	ro.seed = req->seed;
	int rc = req->issue ? pl_case_find_issue(c, req->issue, &ro.issue, err) : PL_OK;
	if (!rc && req->forum)
		rc = pl__report_find_forum(c, req->forum, &ro.forum, err);
	if (rc)
		return rc;
	int all = !req->engine || strcmp(req->engine, "all") == 0;
	size_t n = all ? pl_engine_count() : 1;
	pl_forecast_set *s = calloc(1, sizeof *s);
	pl_params **eparams = calloc(n, sizeof *eparams);
	if (s) {
		s->c = c;
		s->trace = req->trace;
		s->engines = calloc(n, sizeof *s->engines);
		s->results = calloc(n, sizeof *s->results);
	}
	rc = s && eparams && s->engines && s->results
		     ? PL_OK
		     : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	if (!rc)
		rc = copy_provenance(s, req, ro.forum, err);
	if (!rc)
		rc = choose_engines(s, req, all, n, eparams, err);
	if (!rc)
		rc = run_engines(s, req, all, n, eparams, &ro, err);
	for (size_t k = 0; eparams && k < n; k++)
		pl_params_free(eparams[k]);
	free(eparams);
	if (rc) {
		pl_forecast_set_free(s);
		return rc;
	}
	*out = s;
	return PL_OK;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *trajectory_json(const pl_outcome *o)
{
	json_t *rows = json_array();
	for (size_t r = 0; r <= o->n_rounds; r++) {
		json_t *row = json_object();
		json_object_set_new(row, "round", json_integer((json_int_t)r));
		json_object_set_new(row, "forecast", pl__report_jnum(o->round_forecast[r]));
		json_t *pos = json_array();
		for (size_t a = 0; a < o->n_actors; a++)
			json_array_append_new(pos,
					      pl__report_jnum(o->positions[r * o->n_actors + a]));
		json_object_set_new(row, "positions", pos);
		json_array_append_new(rows, row);
	}
	return rows;
}

static json_t *outcome_json(const pl_case *c, const pl_outcome *o, int trace)
{
	json_t *j = json_object();
	json_object_set_new(j, "issue", json_string(pl_case_issue(c, o->issue)->id));
	json_object_set_new(j, "forecast", pl__report_jnum(o->forecast));
	json_object_set_new(j, "rounds", json_integer((json_int_t)o->n_rounds));
	json_t *stats = json_object();
	for (size_t k = 0; k < o->n_stats; k++)
		json_object_set_new(stats, o->stats[k].name, pl__report_jnum(o->stats[k].value));
	json_object_set_new(j, "stats", stats);
	json_object_set_new(j, "note", o->note ? json_string(o->note) : json_null());
	json_t *actors = json_array();
	for (size_t a = 0; a < o->n_actors; a++)
		json_array_append_new(actors, json_string(pl_case_actor(c, o->actor[a])->id));
	json_object_set_new(j, "actors", actors);
	if (trace)
		json_object_set_new(j, "trajectory", trajectory_json(o));
	return j;
}

static json_t *trust_json(const pl_forecast_set *s)
{
	json_t *tj = json_object();
	json_object_set_new(tj, "origin", json_string(s->trust_origin));
	json_object_set_new(tj, "size", json_integer((json_int_t)s->trust_size));
	json_object_set_new(tj, "root", json_string(s->trust_root));
	json_object_set_new(tj, "weight", json_real(s->trust_weight));
	json_object_set_new(tj, "as_of",
			    s->trust_as_of ? json_string(s->trust_as_of) : json_null());
	return tj;
}

/* The exchange engine's exchanges, in the order they were carried out. */
static json_t *exchanges_json(const pl_case *c, const pl_result *r)
{
	json_t *xs = json_array();
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		json_t *x = json_object();
		json_object_set_new(x, "round", json_integer(e->round));
		json_t *sides = json_array();
		for (int s = 0; s < 2; s++) {
			json_t *j = json_object();
			json_object_set_new(j, "actor", json_string(pl_case_actor(c, e->actor[s])->id));
			json_object_set_new(j, "gives_on",
					    json_string(pl_case_issue(c, e->issue[s])->id));
			json_object_set_new(j, "from", pl__report_jnum(e->from[s]));
			json_object_set_new(j, "to", pl__report_jnum(e->to[s]));
			json_object_set_new(j, "gain", pl__report_jnum(e->gain[s]));
			json_array_append_new(sides, j);
		}
		json_object_set_new(x, "actors", sides);
		json_array_append_new(xs, x);
	}
	return xs;
}

static json_t *result_json(const pl_forecast_set *s, const pl_result *r)
{
	json_t *rj = json_object();
	json_object_set_new(rj, "engine", json_string(pl_result_engine(r)));
	json_object_set_new(rj, "params", json_string(pl_result_params(r)));
	json_object_set_new(rj, "seed", json_integer((json_int_t)pl_result_seed(r)));
	json_t *outs = json_array();
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
		json_array_append_new(outs, outcome_json(s->c, pl_result_outcome(r, q), s->trace));
	json_object_set_new(rj, "outcomes", outs);
	if (s->trace && pl_result_n_exchanges(r))
		json_object_set_new(rj, "exchanges", exchanges_json(s->c, r));
	return rj;
}

int pl_forecast_json(char **out, const pl_forecast_set *s, pl_error *err)
{
	json_t *root = json_object();
	json_object_set_new(root, "parley", json_string(pl_version()));
	json_t *cj = json_object();
	json_object_set_new(cj, "id", json_string(pl_case_get_info(s->c)->id));
	json_object_set_new(cj, "sha256", json_string(pl_case_hash(s->c)));
	json_object_set_new(cj, "input_sha256",
			    s->input_sha256 ? json_string(s->input_sha256) : json_null());
	json_object_set_new(root, "case", cj);
	json_object_set_new(root, "forum", s->forum ? json_string(s->forum) : json_null());
	if (s->has_trust)
		json_object_set_new(root, "trust", trust_json(s));
	json_t *results = json_array();
	for (size_t k = 0; k < s->n; k++)
		json_array_append_new(results, result_json(s, s->results[k]));
	json_object_set_new(root, "results", results);
	return pl__report_dump(out, root, err);
}

/* ---- CSV ----------------------------------------------------------------- */

static void csv_rows(FILE *f, const pl_forecast_set *s, size_t k)
{
	char n[2][PL__NUM_MAX];
	const pl_result *res = s->results[k];
	const char *en = pl_engine_name(s->engines[k]);
	for (size_t q = 0; q < pl_result_n_outcomes(res); q++) {
		const pl_outcome *out = pl_result_outcome(res, q);
		const char *is = pl_case_issue(s->c, out->issue)->id;
		if (!s->trace) {
			fprintf(f, "%s,%s,%s,%zu\n", en, is, pl__fmt_shortest(n[0], out->forecast),
				out->n_rounds);
			continue;
		}
		for (size_t r = 0; r <= out->n_rounds; r++)
			for (size_t a = 0; a < out->n_actors; a++)
				fprintf(f, "%s,%s,%zu,%s,%s,%s\n", en, is, r,
					pl__fmt_shortest(n[0], out->round_forecast[r]),
					pl_case_actor(s->c, out->actor[a])->id,
					pl__fmt_shortest(n[1], out->positions[r * out->n_actors + a]));
	}
}

int pl_forecast_csv(char **out, const pl_forecast_set *s, pl_error *err)
{
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc) {
		*out = NULL;
		return rc;
	}
	FILE *f = t.f;
	fprintf(f, "# parley %s; case %s sha256 %s; forum %s\n", pl_version(),
		pl_case_get_info(s->c)->id, pl_case_hash(s->c), s->forum ? s->forum : "all");
	if (s->has_trust)
		fprintf(f,
			"# trust: ledger %s, %llu entries, root %s, weight %g; input sha256 %s\n",
			s->trust_origin, (unsigned long long)s->trust_size, s->trust_root,
			s->trust_weight, s->input_sha256 ? s->input_sha256 : "unknown");
	for (size_t k = 0; k < s->n; k++)
		fprintf(f, "# engine %s; params %s; seed %llu\n", pl_engine_name(s->engines[k]),
			pl_result_params(s->results[k]),
			(unsigned long long)pl_result_seed(s->results[k]));
	fprintf(f, s->trace ? "engine,issue,round,forecast,actor,position\n"
			    : "engine,issue,forecast,rounds\n");
	for (size_t k = 0; k < s->n; k++)
		csv_rows(f, s, k);
	return pl__report_text_close(out, &t, err);
}
