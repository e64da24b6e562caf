/* compare_records.c - an engine's record parameter (smp's log=FILE.db)
 * under a forum comparison.  Run with the same parameters, every forum's
 * run would write the same file and only the last would survive; instead
 * each run records into a part file of its own beside the named file, and
 * once every run has succeeded the engine joins the parts into the named
 * file (atomically, each run told apart), so a failed comparison leaves the
 * old file untouched.  The parts are removed in any case. */
#include "analysis/compare_records.h"
#include "engines/engine_run.h"
#include "core/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct plan {
	const pl_engine *e;
	size_t param;	    /* the spec index of the record parameter */
	char *path;	    /* the user's value */
	char **part;	    /* nf part paths */
	pl_params **params; /* nf: the engine's parameters with the part path */
} plan;

struct pl__cmp_records {
	size_t nf, ne;
	plan *p; /* ne; p[e].path NULL when engine e records nothing */
};

void pl__cmp_records_free(pl__cmp_records *r)
{
	if (!r)
		return;
	for (size_t e = 0; e < r->ne; e++) {
		for (size_t f = 0; r->p[e].part && f < r->nf; f++) {
			if (r->p[e].part[f])
				remove(r->p[e].part[f]);
			free(r->p[e].part[f]);
			pl_params_free(r->p[e].params[f]);
		}
		free(r->p[e].part);
		free(r->p[e].params);
		free(r->p[e].path);
	}
	free(r->p);
	free(r);
}

/* The part files of engine e's record parameter: PATH.PID-ADDRESS.F.part,
 * beside PATH (so the join's rename stays on one file system). */
static int plan_parts(pl__cmp_records *r, const pl_compare_options *o, size_t e, pl_error *err)
{
	plan *p = &r->p[e];
	const char *name = pl_engine_param(p->e, p->param)->name;
	p->part = calloc(r->nf, sizeof *p->part);
	p->params = calloc(r->nf, sizeof *p->params);
	if (!p->part || !p->params)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t f = 0; f < r->nf; f++) {
		size_t len = strlen(p->path) + 80;
		if (!(p->part[f] = malloc(len)))
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		snprintf(p->part[f], len, "%s.%ld-%" PRIxPTR ".%zu.part", p->path, (long)getpid(),
			 (uintptr_t)r, f);
		int rc = pl__params_with(o->params ? o->params[e] : NULL, name, p->part[f],
					 &p->params[f], err);
		if (rc)
			return rc;
	}
	return PL_OK;
}

/* Engine e's record parameter, if one is set: into r->p[e]. */
static int plan_engine(pl__cmp_records *r, const pl_compare_options *o, size_t e, pl_error *err)
{
	const pl_engine *eng = o->engines[e];
	pl_param_value *v = NULL;
	char *canon = NULL;
	int rc = pl__engine_resolve_params(eng, o->params ? o->params[e] : NULL, &v, &canon, err);
	for (size_t k = 0; !rc && k < pl_engine_n_params(eng); k++) {
		if (!pl__engine_param_single_run(eng, k) || !v[k].s || !v[k].s[0])
			continue;
		if (!pl__engine_can_join_records(eng) || r->p[e].path)
			rc = pl_error_set(
				err, PL_EINPUT, pl_engine_name(eng),
				"parameter %s=%s records one run, and compare cannot "
				"join %s's records of its runs (one per forum)%s, so it is "
				"refused here (record one forum with 'parley forecast "
				"--forum ID')",
				pl_engine_param(eng, k)->name, v[k].s, pl_engine_name(eng),
				r->p[e].path ? " for more than one parameter" : "");
		else if (!(r->p[e].path = strdup(v[k].s)))
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		r->p[e].e = eng;
		r->p[e].param = k;
	}
	free(v);
	free(canon);
	if (!rc && r->p[e].path && !(rc = pl__check_output_path(r->p[e].path, err)))
		rc = plan_parts(r, o, e, err);
	return rc;
}

int pl__cmp_records_plan(const pl_compare_options *o, pl__cmp_records **out, pl_error *err)
{
	*out = NULL;
	pl__cmp_records *r = calloc(1, sizeof *r);
	if (!r || !(r->p = calloc(o->n_engines, sizeof *r->p))) {
		free(r);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	r->nf = o->n_forums;
	r->ne = o->n_engines;
	int rc = PL_OK, any = 0;
	for (size_t e = 0; e < r->ne && !rc; e++) {
		rc = plan_engine(r, o, e, err);
		any |= r->p[e].path != NULL;
	}
	if (rc || !any) {
		pl__cmp_records_free(r);
		return rc;
	}
	*out = r;
	return PL_OK;
}

const pl_params *pl__cmp_records_params(const pl__cmp_records *r, const pl_compare_options *o,
					size_t f, size_t e)
{
	if (r && r->p[e].path)
		return r->p[e].params[f];
	return o->params ? o->params[e] : NULL;
}

int pl__cmp_records_join(const pl__cmp_records *r, pl_result *const *results, pl_error *err)
{
	const char **parts = r ? malloc((r->nf + 1) * sizeof *parts) : NULL;
	if (r && !parts)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int rc = PL_OK;
	for (size_t e = 0; r && e < r->ne && !rc; e++) {
		const plan *p = &r->p[e];
		if (!p->path)
			continue;
		size_t n = 0;
		for (size_t f = 0; f < r->nf; f++)
			if (results[f * r->ne + e])
				parts[n++] = p->part[f];
		rc = pl__engine_join_records(p->e, p->param, p->path, parts, n, err);
	}
	free(parts);
	return rc;
}
