/* test_case_json.c - a case's canonical JSON, now written straight into a
 * buffer or the hash (core/case_json.c, issue 18), against the jansson tree
 * it was built as before (kept below as the reference, as json_write.c had
 * it): the same bytes for every shipped case, the KTAB scenarios in
 * ../shared (when present) and a few thousand random cases with every
 * optional field, escapes, non-ASCII text and numbers of every size; and
 * the hash is the SHA-256 of those bytes. */
#include "helpers.h"

#include "core/case_build.h"
#include "core/numfmt.h"
#include "core/util.h"
#include "parley/digest.h"

#include <dirent.h>
#include <jansson.h>

/* ---- the reference: the jansson tree of json_write.c before issue 18 ---- */

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

static char *tree_json(const pl_case *c)
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
	return pl__json_document(root);
}

/* ---- the comparison ---- */

static void same_bytes(const pl_case *c, const char *name)
{
	char *want = tree_json(c), *got = NULL;
	assert_non_null(want);
	pl_error err;
	pl_error_clear(&err);
	assert_int_equal(pl_case_write_json(c, &got, &err), PL_OK);
	if (strcmp(want, got) != 0) {
		size_t k = 0;
		while (want[k] == got[k])
			k++;
		fail_msg("%s: the writer differs from the tree at byte %zu: ...%.60s... against "
			 "...%.60s...",
			 name, k, got + (k > 20 ? k - 20 : 0), want + (k > 20 ? k - 20 : 0));
	}
	char hex[65];
	pl_sha256_hex(hex, want, strlen(want));
	assert_string_equal(hex, pl_case_hash(c));
	free(want);
	pl_free(got);
}

/* Every file of dir that reads as a case; returns how many did. */
static int files_in(const char *dir, int required)
{
	DIR *d = opendir(dir);
	if (!d) {
		if (required)
			fail_msg("cannot open %s", dir);
		return 0;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".md"))
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_case_read_file(path, PL_FORMAT_AUTO, &c, &err))
			continue; /* not a case (a roadmap, a game) */
		same_bytes(c, path);
		pl_case_free(c);
		n++;
	}
	closedir(d);
	return n;
}

static void shipped_cases(void **state)
{
	(void)state;
	int n = files_in("data/cases", 1);
	assert_true(n >= 4);
	n += files_in("tests/data/smp", 1);
	n += files_in("tests/data/bdm-replication", 1);
	int ktab = files_in("../shared/peers/ktab", 0);
	printf("# %d shipped cases, %d KTAB scenarios%s\n", n, ktab,
	       ktab ? "" : " (../shared/peers/ktab absent: skipped)");
}

/* ---- random cases ---- */

static void rand_string(pl_strbuf *b, test_rng *r)
{
	static const char *const pieces[] = {
		"a", "Z", " ", "-", "_", "0", "/", "\\\"", "\\\\", "\\n", "\\t", "\\r", "\\b", "\\f",
		"\\u0001", "\\u001f", "\\u007f", "\\u00e9", "\\u2028", "\\ud83d\\ude00", "é", "日本",
		"€", "'", ",", ":", "{", "[", "%s", "%d",
	};
	size_t n = 1 + test_rng_next(r) % 8;
	pl__sb_add(b, "\"", 1);
	for (size_t k = 0; k < n; k++) {
		const char *p = pieces[test_rng_next(r) % (sizeof pieces / sizeof *pieces)];
		pl__sb_add(b, p, strlen(p));
	}
	pl__sb_add(b, "\"", 1);
}

/* A number in [lo, hi]: an integer, a short decimal, or any double. */
static double rand_in(test_rng *r, double lo, double hi)
{
	double u = test_rng_unit(r), v = lo + u * (hi - lo);
	switch (test_rng_next(r) % 4) {
	case 0: v = round(v); break;
	case 1: v = round(v * 100) / 100; break;
	case 2: v = round(v * 10) / 10; break;
	default: break;
	}
	return v < lo ? lo : v > hi ? hi : v;
}

static void num_member(pl_strbuf *b, const char *key, double v)
{
	pl__sb_printf(b, "\"%s\":%.17g", key, v);
}

static void dist_json(pl_strbuf *b, test_rng *r, double scale)
{
	double sd = rand_in(r, 0.001, 0.3) * scale;
	if (test_rng_next(r) % 2)
		pl__sb_printf(b, "{\"dist\":\"normal\",\"sd\":%.17g}", sd);
	else
		pl__sb_printf(b, "{\"dist\":\"uniform\",\"half_width\":%.17g}", sd);
}

static char *random_case(test_rng *r)
{
	pl_strbuf b = {0};
	size_t n_issues = 1 + test_rng_next(r) % 3, n_actors = 2 + test_rng_next(r) % 6;
	static const double scales[][2] = {{0, 100}, {-1, 1}, {0, 1e-9}, {-1e12, 1e12},
					   {1e13, 1e15}, {0, 1}};
	size_t sc[3];
	pl__sb_printf(&b, "{\"id\":\"case-%u\",\"title\":", (unsigned)(test_rng_next(r) % 1000));
	rand_string(&b, r);
	if (test_rng_next(r) % 2) {
		pl__sb_printf(&b, ",\"sources\":[");
		rand_string(&b, r);
		pl__sb_printf(&b, ",");
		rand_string(&b, r);
		pl__sb_printf(&b, "]");
	}
	pl__sb_printf(&b, ",\"issues\":[");
	for (size_t i = 0; i < n_issues; i++) {
		sc[i] = test_rng_next(r) % (sizeof scales / sizeof *scales);
		double lo = scales[sc[i]][0], hi = scales[sc[i]][1];
		pl__sb_printf(&b, "%s{\"id\":\"i%zu\",\"name\":", i ? "," : "", i);
		rand_string(&b, r);
		pl__sb_printf(&b, ",\"scale\":{\"min\":%.17g,\"max\":%.17g}", lo, hi);
		if (test_rng_next(r) % 2)
			pl__sb_printf(&b, ",\"status_quo\":%.17g", rand_in(r, lo, hi));
		if (test_rng_next(r) % 2) {
			pl__sb_printf(&b, ",\"outcome\":{\"value\":%.17g", rand_in(r, lo, hi));
			if (test_rng_next(r) % 2)
				pl__sb_printf(&b, ",\"range\":[%.17g,%.17g]", lo, hi);
			pl__sb_printf(&b, ",\"date\":\"2007-02-13\",\"source\":");
			rand_string(&b, r);
			pl__sb_printf(&b, "}");
		}
		if (test_rng_next(r) % 2) {
			pl__sb_printf(&b, ",\"anchors\":[{\"value\":%.17g,\"label\":", lo);
			rand_string(&b, r);
			pl__sb_printf(&b, "},{\"value\":%.17g,\"label\":\"top\"}]", hi);
		}
		if (test_rng_next(r) % 2) {
			pl__sb_printf(&b, ",\"note\":");
			rand_string(&b, r);
		}
		pl__sb_printf(&b, "}");
	}
	pl__sb_printf(&b, "],\"actors\":[");
	for (size_t a = 0; a < n_actors; a++) {
		pl__sb_printf(&b, "%s{\"id\":\"a%zu\",\"name\":", a ? "," : "", a);
		rand_string(&b, r);
		pl__sb_printf(&b, ",");
		num_member(&b, "capability", rand_in(r, 0.5, 1000));
		if (test_rng_next(r) % 4 == 0) {
			pl__sb_printf(&b, ",\"capability_uncertainty\":");
			dist_json(&b, r, 1);
		}
		if (test_rng_next(r) % 3 == 0)
			pl__sb_printf(&b, ",\"capability_by_issue\":{\"i0\":%.17g}", rand_in(r, 0, 500));
		pl__sb_printf(&b, ",\"stances\":{");
		int first = 1;
		for (size_t i = 0; i < n_issues; i++) {
			if (a > 1 && test_rng_next(r) % 4 == 0)
				continue;
			double lo = scales[sc[i]][0], hi = scales[sc[i]][1];
			pl__sb_printf(&b, "%s\"i%zu\":{", first ? "" : ",", i);
			first = 0;
			num_member(&b, "position", rand_in(r, lo, hi));
			pl__sb_printf(&b, ",");
			num_member(&b, "salience", rand_in(r, 1, 100));
			if (test_rng_next(r) % 4 == 0) {
				pl__sb_printf(&b, ",\"position_uncertainty\":");
				dist_json(&b, r, hi - lo);
			}
			if (test_rng_next(r) % 4 == 0) {
				pl__sb_printf(&b, ",\"salience_uncertainty\":");
				dist_json(&b, r, 100);
			}
			if (test_rng_next(r) % 4 == 0)
				pl__sb_printf(&b, ",\"red_line\":%.17g", rand_in(r, lo, hi));
			if (test_rng_next(r) % 4 == 0) {
				pl__sb_printf(&b, ",\"note\":");
				rand_string(&b, r);
			}
			pl__sb_printf(&b, "}");
		}
		pl__sb_printf(&b, "}");
		if (test_rng_next(r) % 4 == 0)
			pl__sb_printf(&b, ",\"reservation\":%.17g", rand_in(r, -1, 0));
		if (test_rng_next(r) % 4 == 0) {
			pl__sb_printf(&b, ",\"note\":");
			rand_string(&b, r);
		}
		pl__sb_printf(&b, "}");
	}
	pl__sb_printf(&b, "]");
	if (test_rng_next(r) % 3 == 0) {
		pl__sb_printf(&b, ",\"forums\":[{\"id\":\"f\",\"name\":");
		rand_string(&b, r);
		pl__sb_printf(&b, ",\"members\":[\"a0\",\"a1\"],\"outsider_weight\":%.17g}]",
			      rand_in(r, 0, 1));
	}
	if (test_rng_next(r) % 3 == 0) {
		pl__sb_printf(&b, ",\"uncertainty\":{\"capability\":");
		dist_json(&b, r, 1);
		pl__sb_printf(&b, ",\"salience\":");
		dist_json(&b, r, 100);
		pl__sb_printf(&b, "}");
	}
	pl__sb_printf(&b, "}");
	assert_false(b.oom);
	return b.s;
}

static void random_cases(void **state)
{
	(void)state;
	test_rng r = {18};
	int n_read = 0, n = 3000;
	for (int k = 0; k < n; k++) {
		char *text = random_case(&r);
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_case_read_mem(text, strlen(text), "random.json", PL_FORMAT_JSON, &c, &err) ==
		    PL_OK) {
			same_bytes(c, text);
			pl_case_free(c);
			n_read++;
		} else if (k < 200 && getenv("PARLEY_TEST_VERBOSE")) {
			char buf[1024];
			printf("# not a case: %s\n", pl_error_format(&err, buf, sizeof buf));
		}
		free(text);
	}
	printf("# %d of %d random cases read and compared\n", n_read, n);
	assert_true(n_read > n / 2);
}

/* A CSV case of 2,000 actors (the readers' other path to the writer). */
static void large_csv(void **state)
{
	(void)state;
	test_rng r = {2000};
	pl_strbuf b = {0};
	pl__sb_printf(&b, "Actor,Capability,Position,Salience\n");
	for (int a = 0; a < 2000; a++)
		pl__sb_printf(&b, "actor_%d,%.17g,%.2f,%.1f\n", a, rand_in(&r, 1, 100),
			      rand_in(&r, 0, 100), rand_in(&r, 10, 100));
	assert_false(b.oom);
	pl_case *c = case_from(b.s, "large.csv");
	same_bytes(c, "large.csv");
	pl_case_free(c);
	free(b.s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shipped_cases),
		cmocka_unit_test(random_cases),
		cmocka_unit_test(large_csv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
