/* json_write.c - writing a case as parley's JSON.  The output is canonical
 * (fixed key order, fixed number format), so it is also what the case's
 * hash is computed from. */
#include "core/util.h"
#include "io/io_internal.h"
#include "core/numfmt.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* v * scale as its shortest text that reads back (divided by scale) as v:
 * whole numbers as integers, so a salience of 35 / 100 prints as 35. */
static json_t *num_scaled(double v, double scale)
{
	char buf[40];
	pl__fmt_scaled(buf, sizeof buf, v, scale);
	if (!strpbrk(buf, ".eEni")) /* not "nan" or "inf" either */
		return json_integer((json_int_t)strtoll(buf, NULL, 10));
	return json_real(strtod(buf, NULL));
}

static json_t *num(double v)
{
	return num_scaled(v, 1);
}

static void set(json_t *obj, const char *key, json_t *v)
{
	json_object_set_new(obj, key, v);
}

static void set_str(json_t *obj, const char *key, const char *s)
{
	if (s)
		set(obj, key, json_string(s));
}

static json_t *dist(pl_dist d, double unit)
{
	json_t *o = json_object();
	switch (d.kind) {
	case PL_DIST_NORMAL:
		set_str(o, "dist", "normal");
		set(o, "sd", num_scaled(d.a, unit));
		break;
	case PL_DIST_BETA:
		set_str(o, "dist", "beta");
		set(o, "sd", num_scaled(d.a, unit));
		break;
	case PL_DIST_UNIFORM:
		set_str(o, "dist", "uniform");
		set(o, "half_width", num_scaled(d.a, unit));
		break;
	default: set_str(o, "dist", "none");
	}
	return o;
}

static json_t *issue_json(const pl_issue *is)
{
	json_t *o = json_object();
	set_str(o, "id", is->id);
	set_str(o, "name", is->name);
	json_t *scale = json_object();
	set(scale, "min", num(is->min));
	set(scale, "max", num(is->max));
	set(o, "scale", scale);
	if (is->has_status_quo)
		set(o, "status_quo", num(is->status_quo));
	if (is->has_outcome) {
		json_t *oc = json_object();
		set(oc, "value", num(is->outcome.value));
		if (is->outcome.has_range) {
			json_t *r = json_array();
			json_array_append_new(r, num(is->outcome.lo));
			json_array_append_new(r, num(is->outcome.hi));
			set(oc, "range", r);
		}
		set_str(oc, "date", is->outcome.date);
		set_str(oc, "source", is->outcome.source);
		set(o, "outcome", oc);
	}
	if (is->n_anchors) {
		json_t *arr = json_array();
		for (size_t k = 0; k < is->n_anchors; k++) {
			json_t *a = json_object();
			set(a, "value", num(is->anchors[k].value));
			set_str(a, "label", is->anchors[k].label);
			json_array_append_new(arr, a);
		}
		set(o, "anchors", arr);
	}
	set_str(o, "note", is->note);
	return o;
}

static json_t *actor_json(const pl_case *c, size_t a)
{
	const pl_actor *ac = &c->actors[a];
	json_t *o = json_object();
	set_str(o, "id", ac->id);
	set_str(o, "name", ac->name);
	set(o, "capability", num(ac->capability));
	if (ac->capability_uncertainty.kind != PL_DIST_NONE)
		set(o, "capability_uncertainty", dist(ac->capability_uncertainty, 1));
	json_t *by = json_object();
	json_t *st = json_object();
	for (size_t i = 0; i < c->n_issues; i++) {
		const pl_stance *s = PL_STANCE(c, a, i);
		if (s->capability != ac->capability)
			set(by, c->issues[i].id, num(s->capability));
		if (!s->present)
			continue;
		json_t *so = json_object();
		set(so, "position", num(s->position));
		set(so, "salience", num_scaled(s->salience, 100));
		if (s->position_uncertainty.kind != PL_DIST_NONE)
			set(so, "position_uncertainty", dist(s->position_uncertainty, 1));
		if (s->salience_uncertainty.kind != PL_DIST_NONE)
			set(so, "salience_uncertainty", dist(s->salience_uncertainty, 100));
		if (s->has_red_line)
			set(so, "red_line", num(s->red_line));
		set_str(so, "note", s->note);
		set(st, c->issues[i].id, so);
	}
	if (json_object_size(by))
		set(o, "capability_by_issue", by);
	else
		json_decref(by);
	set(o, "stances", st);
	if (ac->has_reservation)
		set(o, "reservation", num(ac->reservation));
	set_str(o, "note", ac->note);
	return o;
}

static json_t *forum_json(const pl_case *c, const pl_forum *f)
{
	json_t *o = json_object();
	set_str(o, "id", f->id);
	set_str(o, "name", f->name);
	json_t *m = json_array();
	for (size_t k = 0; k < f->n_members; k++)
		json_array_append_new(m, json_string(c->actors[f->members[k]].id));
	set(o, "members", m);
	set(o, "outsider_weight", num(f->outsider_weight));
	set_str(o, "note", f->note);
	return o;
}

int pl_case_write_json(const pl_case *c, char **out, pl_error *err)
{
	json_t *root = json_object();
	set_str(root, "format", "parley-case/1");
	set_str(root, "id", c->info.id);
	set_str(root, "title", c->info.title);
	set_str(root, "period", c->info.period);
	set_str(root, "description", c->info.description);
	if (c->info.n_sources) {
		json_t *s = json_array();
		for (size_t k = 0; k < c->info.n_sources; k++)
			json_array_append_new(s, json_string(c->info.sources[k]));
		set(root, "sources", s);
	}
	json_t *issues = json_array();
	for (size_t i = 0; i < c->n_issues; i++)
		json_array_append_new(issues, issue_json(&c->issues[i]));
	set(root, "issues", issues);
	json_t *actors = json_array();
	for (size_t a = 0; a < c->n_actors; a++)
		json_array_append_new(actors, actor_json(c, a));
	set(root, "actors", actors);
	if (c->n_forums) {
		json_t *forums = json_array();
		for (size_t f = 0; f < c->n_forums; f++)
			json_array_append_new(forums, forum_json(c, &c->forums[f]));
		set(root, "forums", forums);
	}
	const pl_case_uncertainty *u = &c->uncertainty;
	if (u->capability.kind || u->position.kind || u->salience.kind) {
		json_t *uo = json_object();
		if (u->capability.kind)
			set(uo, "capability", dist(u->capability, 1));
		if (u->position.kind)
			set(uo, "position", dist(u->position, 1));
		if (u->salience.kind)
			set(uo, "salience", dist(u->salience, 100));
		set(root, "uncertainty", uo);
	}
	char *s = pl__json_document(root);
	if (!s)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing JSON");
	*out = s;
	return PL_OK;
}
