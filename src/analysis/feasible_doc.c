/* feasible_doc.c - the feasibility document (docs/analysis/feasible.md):
 * {"issues": [{"issue", "feasible", "interval", "blocking"}...], "package",
 * provenance}.  The issues' four keys are a fixed contract. */
#include "core/numfmt.h"
#include "core/util.h"
#include "parley/feasible.h"
#include "parley/version.h"

#include <jansson.h>
#include <math.h>
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

static json_t *zone(pl_zone z)
{
	json_t *a = json_array();
	json_array_append_new(a, num(z.lo));
	json_array_append_new(a, num(z.hi));
	return a;
}

static json_t *issue_json(const pl_case *c, const pl_feasible_issue *fi)
{
	json_t *o = json_object(), *b = json_array();
	json_object_set_new(o, "issue", json_string(pl_case_issue(c, fi->issue)->id));
	json_object_set_new(o, "feasible", json_boolean(fi->feasible));
	json_object_set_new(o, "interval", fi->feasible ? zone(fi->interval) : json_null());
	for (size_t k = 0; k < fi->n_blocking; k++)
		json_array_append_new(b, json_string(pl_case_actor(c, fi->blocking[k])->id));
	json_object_set_new(o, "blocking", b);
	if (fi->n_zones > 1) {
		json_t *z = json_array();
		for (size_t k = 0; k < fi->n_zones; k++)
			json_array_append_new(z, zone(fi->zones[k]));
		json_object_set_new(o, "zones", z);
	}
	return o;
}

static json_t *package_json(const pl_case *c, const pl_feasible *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "posed", json_boolean(f->has_package));
	json_object_set_new(o, "feasible", json_boolean(f->package_found));
	if (f->note[0])
		json_object_set_new(o, "note", json_string(f->note));
	if (!f->has_package || isnan(f->margin) || f->note[0])
		return o;
	json_object_set_new(o, "margin", num(f->margin));
	json_t *pos = json_object(), *m = json_object();
	for (size_t i = 0; i < f->n_issues; i++)
		json_object_set_new(pos, pl_case_issue(c, i)->id, num(f->position[i]));
	for (size_t a = 0; a < pl_case_n_actors(c); a++)
		if (!isnan(f->actor_margin[a]))
			json_object_set_new(m, pl_case_actor(c, a)->id, num(f->actor_margin[a]));
	json_object_set_new(o, "positions", pos);
	json_object_set_new(o, "margins", m);
	return o;
}

int pl_feasible_json(char **out, const pl_case *c, const pl_feasible *f, pl_error *err)
{
	*out = NULL;
	json_t *root = json_object(), *issues = json_array();
	for (size_t i = 0; i < f->n_issues; i++)
		json_array_append_new(issues, issue_json(c, &f->issues[i]));
	json_object_set_new(root, "issues", issues);
	json_object_set_new(root, "package", package_json(c, f));
	json_object_set_new(root, "rule",
			    json_string(f->options.rule == PL_RULE_QMV ? "qmv" : "unanimity"));
	if (f->options.rule == PL_RULE_QMV)
		json_object_set_new(root, "threshold", num(f->options.threshold));
	json_object_set_new(root, "forum",
			    f->options.forum == PL_NO_FORUM
				    ? json_null()
				    : json_string(pl_case_forum(c, f->options.forum)->id));
	json_object_set_new(
		root, "utility",
		json_string("linear: -100 * sum of salience * |x - position| / scale range"));
	json_object_set_new(root, "case_sha256", json_string(pl_case_hash(c)));
	json_object_set_new(root, "parley_version", json_string(pl_version()));
	char *s = pl__json_document(root);
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing JSON");
	*out = s;
	return PL_OK;
}
