/* roadmap_doc.c - the roadmap's documents: the plan (or why there is none)
 * as JSON and as CSV (docs/formats.md, "Roadmap results").  The keys
 * "feasible", "margin", "stages" (with "stage", "steps", "balance") and
 * "reason" are a fixed contract; the rest is provenance and detail. */
#include "core/numfmt.h"
#include "core/util.h"
#include "roadmap/roadmap_internal.h"
#include "parley/version.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whole numbers as integers; others exactly, as their shortest text that
 * reads back the same (pl__json_document), like every other document. */
static json_t *num(double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *balance_row(const pl_roadmap *r, const double *row)
{
	json_t *o = json_object();
	for (size_t p = 0; p < r->np; p++)
		json_object_set_new(o, r->party[p].id, num(row[p]));
	return o;
}

static json_t *stages_json(const pl_roadmap *r, const pl_roadmap_plan *pl)
{
	json_t *arr = json_array();
	for (size_t k = 1; k <= pl->n_stages; k++) {
		json_t *st = json_object(), *ids = json_array();
		for (size_t s = 0; s < r->ns; s++)
			if (pl->stage[s] == k)
				json_array_append_new(ids, json_string(r->step[s].id));
		json_object_set_new(st, "stage", json_integer((json_int_t)k));
		json_object_set_new(st, "steps", ids);
		json_object_set_new(st, "balance", balance_row(r, pl->balance + (k - 1) * r->np));
		if (pl->credit)
			json_object_set_new(st, "trust_credit",
					    balance_row(r, pl->credit + (k - 1) * r->np));
		json_array_append_new(arr, st);
	}
	return arr;
}

static void provenance(json_t *o, const pl_roadmap *r, const pl_roadmap_plan *pl)
{
	json_object_set_new(o, "roadmap", json_string(r->name));
	json_object_set_new(o, "input_sha256", json_string(r->hash));
	json_object_set_new(o, "parley_version", json_string(pl_version()));
	json_object_set_new(o, "method", json_string("branch-and-bound"));
	json_object_set_new(o, "exact", json_boolean(pl->exact));
	json_object_set_new(o, "nodes", json_integer((json_int_t)pl->nodes));
	json_object_set_new(o, "stage_lower_bound",
			    json_integer((json_int_t)pl->stage_lower_bound));
	if (!pl->exact && pl->feasible)
		json_object_set_new(o, "gap", num(pl->gap));
	json_object_set_new(o, "trust", json_boolean(r->has_credit));
}

static int dump(json_t *root, char **out, pl_error *err)
{
	char *s = pl__json_document(root);
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing JSON");
	*out = s;
	return PL_OK;
}

int pl_roadmap_plan_json(char **out, const pl_roadmap *r, const pl_roadmap_plan *pl, pl_error *err)
{
	*out = NULL;
	json_t *o = json_object();
	json_object_set_new(o, "feasible", json_boolean(pl->feasible));
	if (pl->feasible) {
		json_object_set_new(o, "margin", num(pl->margin));
		json_object_set_new(o, "stages", stages_json(r, pl));
		json_object_set_new(o, "final", balance_row(r, pl->balance + pl->n_stages * r->np));
	} else {
		json_object_set_new(o, "reason", json_string(pl->reason));
		int known = pl->party != SIZE_MAX;
		json_object_set_new(o, "party",
				    known ? json_string(r->party[pl->party].id) : json_null());
		if (known && pl->at_stage > pl->at_stages)
			json_object_set_new(o, "stage", json_string("end"));
		else
			json_object_set_new(o, "stage",
					    known ? json_integer((json_int_t)pl->at_stage)
						  : json_null());
		json_object_set_new(o, "increase", known ? num(pl->increase) : json_null());
		json_object_set_new(o, "every_party", json_boolean(pl->every_party));
	}
	provenance(o, r, pl);
	return dump(o, out, err);
}

/* RFC 4180: quoted when it holds a comma, quote or line break. */
static void sb_field(pl_strbuf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		pl__sb_printf(b, "%s", s);
		return;
	}
	pl__sb_printf(b, "\"");
	for (const char *p = s; *p; p++)
		pl__sb_printf(b, *p == '"' ? "\"\"" : "%c", *p);
	pl__sb_printf(b, "\"");
}

int pl_roadmap_plan_csv(char **out, const pl_roadmap *r, const pl_roadmap_plan *pl, pl_error *err)
{
	*out = NULL;
	pl_strbuf b = {0};
	if (!pl->feasible) {
		pl__sb_printf(&b, "feasible,party,stage,increase,reason\nfalse,");
		if (pl->party != SIZE_MAX) {
			sb_field(&b, r->party[pl->party].id);
			if (pl->at_stage > pl->at_stages)
				pl__sb_printf(&b, ",end,%.12g,", pl->increase);
			else
				pl__sb_printf(&b, ",%zu,%.12g,", pl->at_stage, pl->increase);
		} else {
			pl__sb_printf(&b, ",,,");
		}
		sb_field(&b, pl->reason);
		pl__sb_printf(&b, "\n");
	} else {
		pl__sb_printf(&b, "stage,step,by,verified,label");
		for (size_t p = 0; p < r->np; p++) {
			pl__sb_printf(&b, ",");
			sb_field(&b, r->party[p].id);
		}
		pl__sb_printf(&b, "\n");
		for (size_t k = 1; k <= pl->n_stages; k++)
			for (size_t s = 0; s < r->ns; s++) {
				if (pl->stage[s] != k)
					continue;
				pl__sb_printf(&b, "%zu,%s,%s,%s,", k, r->step[s].id,
					      r->party[r->step[s].by].id,
					      r->step[s].verified ? "true" : "false");
				sb_field(&b, r->step[s].label);
				for (size_t p = 0; p < r->np; p++)
					pl__sb_printf(&b, ",%.12g", PL_RM_AT(r, value, s, p));
				pl__sb_printf(&b, "\n");
			}
	}
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing CSV");
	}
	*out = b.s;
	return PL_OK;
}
