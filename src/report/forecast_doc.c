/* forecast_doc.c - a forecast request run (one engine or all of them) and
 * its JSON and CSV documents (include/parley/report.h, docs/formats.md):
 * what `parley forecast --format json|csv` prints and the server returns. */
#include "report_internal.h"
#include "core/json_writer.h"
#include "core/util.h"
#include "engines/engine_watch.h"

#include <math.h>
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

/* The document is written straight into its text (core/json_writer.h), in
 * the bytes its jansson tree gave before (tests/cli/documents): building,
 * walking and freeing that tree was a quarter of a small forecast's
 * instructions (docs/benchmarks.md, "start-up").  What jansson would leave
 * out, these helpers leave out too: a string member or element that is
 * NULL or not valid UTF-8, a real member that is not finite. */

static void key(pl__jw *w, const char *k)
{
	pl__jw_key(w, k, strlen(k));
}

static void str_member(pl__jw *w, const char *k, const char *v)
{
	if (!pl__jw_utf8_ok(v))
		return;
	key(w, k);
	pl__jw_string(w, v, strlen(v));
}

/* A string member that is null when v is NULL. */
static void str_or_null_member(pl__jw *w, const char *k, const char *v)
{
	if (!v) {
		key(w, k);
		pl__jw_raw(w, "null", 4);
	} else {
		str_member(w, k, v);
	}
}

static void str_item(pl__jw *w, const char *v)
{
	if (!pl__jw_utf8_ok(v))
		return;
	pl__jw_item(w);
	pl__jw_string(w, v, strlen(v));
}

/* pl__report_jnum: a real, null when not finite. */
static void num(pl__jw *w, double v)
{
	if (isfinite(v))
		pl__jw_real(w, v);
	else
		pl__jw_raw(w, "null", 4);
}

static void num_member(pl__jw *w, const char *k, double v)
{
	key(w, k);
	num(w, v);
}

static void int_member(pl__jw *w, const char *k, long long v)
{
	key(w, k);
	pl__jw_int(w, v);
}

static void trajectory_json(pl__jw *w, const pl_outcome *o)
{
	key(w, "trajectory");
	pl__jw_open(w, '[');
	for (size_t r = 0; r <= o->n_rounds; r++) {
		pl__jw_item(w);
		pl__jw_open(w, '{');
		int_member(w, "round", (long long)r);
		num_member(w, "forecast", o->round_forecast[r]);
		key(w, "positions");
		pl__jw_open(w, '[');
		for (size_t a = 0; a < o->n_actors; a++) {
			pl__jw_item(w);
			num(w, o->positions[r * o->n_actors + a]);
		}
		pl__jw_close(w, ']');
		pl__jw_close(w, '}');
	}
	pl__jw_close(w, ']');
}

/* The stats as a jansson object holds them: a name given twice keeps its
 * first place and its last value. */
static void stats_json(pl__jw *w, const pl_outcome *o)
{
	key(w, "stats");
	pl__jw_open(w, '{');
	for (size_t k = 0; k < o->n_stats; k++) {
		const char *name = o->stats[k].name;
		if (!pl__jw_utf8_ok(name))
			continue;
		int seen = 0;
		for (size_t j = 0; j < k && !seen; j++)
			seen = o->stats[j].name && strcmp(o->stats[j].name, name) == 0;
		if (seen)
			continue;
		size_t last = k;
		for (size_t j = k + 1; j < o->n_stats; j++)
			if (o->stats[j].name && strcmp(o->stats[j].name, name) == 0)
				last = j;
		num_member(w, name, o->stats[last].value);
	}
	pl__jw_close(w, '}');
}

static void outcome_json(pl__jw *w, const pl_case *c, const pl_outcome *o, int trace)
{
	pl__jw_item(w);
	pl__jw_open(w, '{');
	str_member(w, "issue", pl_case_issue(c, o->issue)->id);
	num_member(w, "forecast", o->forecast);
	int_member(w, "rounds", (long long)o->n_rounds);
	stats_json(w, o);
	str_or_null_member(w, "note", o->note);
	key(w, "actors");
	pl__jw_open(w, '[');
	for (size_t a = 0; a < o->n_actors; a++)
		str_item(w, pl_case_actor(c, o->actor[a])->id);
	pl__jw_close(w, ']');
	if (trace)
		trajectory_json(w, o);
	pl__jw_close(w, '}');
}

static void trust_json(pl__jw *w, const pl_forecast_set *s)
{
	key(w, "trust");
	pl__jw_open(w, '{');
	str_member(w, "origin", s->trust_origin);
	int_member(w, "size", (long long)s->trust_size);
	str_member(w, "root", s->trust_root);
	if (isfinite(s->trust_weight)) { /* json_real takes no other */
		key(w, "weight");
		pl__jw_real(w, s->trust_weight);
	}
	str_or_null_member(w, "as_of", s->trust_as_of);
	pl__jw_close(w, '}');
}

/* The exchange engine's exchanges, in the order they were carried out. */
static void exchanges_json(pl__jw *w, const pl_case *c, const pl_result *r)
{
	key(w, "exchanges");
	pl__jw_open(w, '[');
	for (size_t k = 0; k < pl_result_n_exchanges(r); k++) {
		const pl_exchange *e = pl_result_exchange(r, k);
		pl__jw_item(w);
		pl__jw_open(w, '{');
		int_member(w, "round", e->round);
		key(w, "actors");
		pl__jw_open(w, '[');
		for (int s = 0; s < 2; s++) {
			pl__jw_item(w);
			pl__jw_open(w, '{');
			str_member(w, "actor", pl_case_actor(c, e->actor[s])->id);
			str_member(w, "gives_on", pl_case_issue(c, e->issue[s])->id);
			num_member(w, "from", e->from[s]);
			num_member(w, "to", e->to[s]);
			num_member(w, "gain", e->gain[s]);
			pl__jw_close(w, '}');
		}
		pl__jw_close(w, ']');
		pl__jw_close(w, '}');
	}
	pl__jw_close(w, ']');
}

static void result_json(pl__jw *w, const pl_forecast_set *s, const pl_result *r)
{
	pl__jw_item(w);
	pl__jw_open(w, '{');
	str_member(w, "engine", pl_result_engine(r));
	str_member(w, "params", pl_result_params(r));
	int_member(w, "seed", (long long)pl_result_seed(r));
	key(w, "outcomes");
	pl__jw_open(w, '[');
	for (size_t q = 0; q < pl_result_n_outcomes(r); q++)
		outcome_json(w, s->c, pl_result_outcome(r, q), s->trace);
	pl__jw_close(w, ']');
	if (s->trace && pl_result_n_exchanges(r))
		exchanges_json(w, s->c, r);
	pl__jw_close(w, '}');
}

int pl_forecast_json(char **out, const pl_forecast_set *s, pl_error *err)
{
	*out = NULL;
	pl_strbuf b = {0};
	pl__jw *w = pl__jw_new(pl__jw_buffer_sink, &b);
	if (!w)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the document");
	pl__jw_open(w, '{');
	str_member(w, "parley", pl_version());
	key(w, "case");
	pl__jw_open(w, '{');
	str_member(w, "id", pl_case_get_info(s->c)->id);
	str_member(w, "sha256", pl_case_hash(s->c));
	str_or_null_member(w, "input_sha256", s->input_sha256);
	pl__jw_close(w, '}');
	str_or_null_member(w, "forum", s->forum);
	if (s->has_trust)
		trust_json(w, s);
	key(w, "results");
	pl__jw_open(w, '[');
	for (size_t k = 0; k < s->n; k++)
		result_json(w, s, s->results[k]);
	pl__jw_close(w, ']');
	pl__jw_close(w, '}');
	pl__jw_raw(w, "\n", 1);
	pl__jw_end(w);
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the document");
	}
	*out = b.s;
	return PL_OK;
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
