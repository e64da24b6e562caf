/* case_json.c - a case's canonical JSON text, written straight into a sink
 * (a buffer for pl_case_write_json, SHA-256 for the case's hash) rather
 * than built as a jansson tree and dumped (issue 18: at 20,000 actors the
 * tree and its dump were three quarters of reading a case).
 *
 * The bytes are those the tree gave, which every case hash so far was taken
 * over: jansson's layout (indent 2, keys in the order set, ": " between key
 * and value, strings escaped as json_dumps escapes them), numbers as
 * pl__fmt_shortest writes them (through pl__fmt_scaled for saliences), and
 * the tree's omissions kept: a member whose string is not valid UTF-8 or
 * whose number is not finite was left out (json_string and json_real gave
 * NULL).  tests/unit/test_case_json.c compares the two writers. */
#include "core/case_build.h"
#include "core/json_writer.h"
#include "core/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef pl__jw writer;

/* A literal key as written: K("id") is "\"id\": ". */
#define K(lit) "\"" lit "\": "

static void puts_(writer *w, const char *s)
{
	pl__jw_raw(w, s, strlen(s));
}

static void put_string(writer *w, const char *s)
{
	pl__jw_string(w, s, strlen(s));
}

/* Starts a member: k is a literal key as written (K), or NULL for an
 * element of the array open. */
static void key(writer *w, const char *k)
{
	if (k)
		pl__jw_key_text(w, k, strlen(k));
	else
		pl__jw_item(w);
}

/* A member keyed by an issue id (escaped as any string). */
static void key_id(writer *w, const char *id)
{
	pl__jw_key(w, id, strlen(id));
}

static void open_(writer *w, const char *k, char bracket)
{
	key(w, k);
	pl__jw_open(w, bracket);
}

static void close_(writer *w, char bracket)
{
	pl__jw_close(w, bracket);
}

static void str(writer *w, const char *k, const char *s)
{
	if (pl__jw_utf8_ok(s)) { /* 0 for NULL */
		key(w, k);
		put_string(w, s);
	}
}

/* v * scale as json_write.c's tree held it: an integer when the text has
 * none of ".eE", else the real the text reads as, which the document writes
 * as its shortest text (".0" kept on an integral one). */
static void num_scaled(writer *w, const char *k, double v, double scale)
{
	char buf[PL__NUM_MAX], num[PL__NUM_MAX];
	double r = pl__fmt_scaled(buf, sizeof buf, v, scale); /* what buf reads as */
	const char *text = buf;
	int point = 0;
	if (strpbrk(buf, ".eEni")) {
		if (!isfinite(r))
			return;
		text = pl__fmt_shortest(num, r);
		point = strspn(num, "-0123456789") == strlen(num);
	}
	key(w, k);
	puts_(w, text);
	if (point)
		pl__jw_raw(w, ".0", 2);
}

/* v as the tree held it: its shortest text is an integer's or has a point
 * or an exponent, so the document wrote it as it stands. */
static void num(writer *w, const char *k, double v)
{
	if (!isfinite(v))
		return;
	char buf[PL__NUM_MAX];
	key(w, k);
	puts_(w, pl__fmt_shortest(buf, v));
}

static void dist(writer *w, const char *k, pl_dist d, double unit)
{
	open_(w, k, '{');
	switch (d.kind) {
	case PL_DIST_NORMAL:
		str(w, K("dist"), "normal");
		num_scaled(w, K("sd"), d.a, unit);
		break;
	case PL_DIST_BETA:
		str(w, K("dist"), "beta");
		num_scaled(w, K("sd"), d.a, unit);
		break;
	case PL_DIST_UNIFORM:
		str(w, K("dist"), "uniform");
		num_scaled(w, K("half_width"), d.a, unit);
		break;
	default: str(w, K("dist"), "none");
	}
	close_(w, '}');
}

static void issue(writer *w, const pl_issue *is)
{
	open_(w, NULL, '{');
	str(w, K("id"), is->id);
	str(w, K("name"), is->name);
	open_(w, K("scale"), '{');
	num(w, K("min"), is->min);
	num(w, K("max"), is->max);
	close_(w, '}');
	if (is->has_status_quo)
		num(w, K("status_quo"), is->status_quo);
	if (is->has_outcome) {
		open_(w, K("outcome"), '{');
		num(w, K("value"), is->outcome.value);
		if (is->outcome.has_range) {
			open_(w, K("range"), '[');
			num(w, NULL, is->outcome.lo);
			num(w, NULL, is->outcome.hi);
			close_(w, ']');
		}
		str(w, K("date"), is->outcome.date);
		str(w, K("source"), is->outcome.source);
		close_(w, '}');
	}
	if (is->n_anchors) {
		open_(w, K("anchors"), '[');
		for (size_t k = 0; k < is->n_anchors; k++) {
			open_(w, NULL, '{');
			num(w, K("value"), is->anchors[k].value);
			str(w, K("label"), is->anchors[k].label);
			close_(w, '}');
		}
		close_(w, ']');
	}
	str(w, K("note"), is->note);
	close_(w, '}');
}

static void actor(writer *w, const pl_case *c, size_t a)
{
	const pl_actor *ac = &c->actors[a];
	open_(w, NULL, '{');
	str(w, K("id"), ac->id);
	str(w, K("name"), ac->name);
	num(w, K("capability"), ac->capability);
	if (ac->capability_uncertainty.kind != PL_DIST_NONE)
		dist(w, K("capability_uncertainty"), ac->capability_uncertainty, 1);
	/* per-issue capabilities that differ from the actor's; the tree left
	 * the object out when none went in */
	size_t n_by = 0;
	for (size_t i = 0; i < c->n_issues; i++) {
		double cap = PL_STANCE(c, a, i)->capability;
		n_by += cap != ac->capability && isfinite(cap) && pl__jw_utf8_ok(c->issues[i].id);
	}
	if (n_by) {
		open_(w, K("capability_by_issue"), '{');
		for (size_t i = 0; i < c->n_issues; i++) {
			double cap = PL_STANCE(c, a, i)->capability;
			if (cap != ac->capability && pl__jw_utf8_ok(c->issues[i].id) && isfinite(cap)) {
				char buf[PL__NUM_MAX];
				key_id(w, c->issues[i].id);
				puts_(w, pl__fmt_shortest(buf, cap));
			}
		}
		close_(w, '}');
	}
	open_(w, K("stances"), '{');
	for (size_t i = 0; i < c->n_issues; i++) {
		const pl_stance *s = PL_STANCE(c, a, i);
		if (!s->present || !pl__jw_utf8_ok(c->issues[i].id))
			continue;
		key_id(w, c->issues[i].id);
		pl__jw_open(w, '{');
		num(w, K("position"), s->position);
		num_scaled(w, K("salience"), s->salience, 100);
		if (s->position_uncertainty.kind != PL_DIST_NONE)
			dist(w, K("position_uncertainty"), s->position_uncertainty, 1);
		if (s->salience_uncertainty.kind != PL_DIST_NONE)
			dist(w, K("salience_uncertainty"), s->salience_uncertainty, 100);
		if (s->has_red_line)
			num(w, K("red_line"), s->red_line);
		str(w, K("note"), s->note);
		close_(w, '}');
	}
	close_(w, '}');
	if (ac->has_reservation)
		num(w, K("reservation"), ac->reservation);
	str(w, K("note"), ac->note);
	close_(w, '}');
}

static void forum(writer *w, const pl_case *c, const pl_forum *f)
{
	open_(w, NULL, '{');
	str(w, K("id"), f->id);
	str(w, K("name"), f->name);
	open_(w, K("members"), '[');
	for (size_t k = 0; k < f->n_members; k++) {
		const char *id = c->actors[f->members[k]].id;
		if (pl__jw_utf8_ok(id)) {
			pl__jw_item(w);
			put_string(w, id);
		}
	}
	close_(w, ']');
	num(w, K("outsider_weight"), f->outsider_weight);
	str(w, K("note"), f->note);
	close_(w, '}');
}

int pl__case_canonical(const pl_case *c, pl__case_sink sink, void *ctx)
{
	/* an object keyed by issue id (stances) holds each id once: the
	 * readers give issues distinct ids */
	for (size_t i = 0; i < c->n_issues; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->issues[i].id, c->issues[j].id) == 0)
				return PL_EINTERNAL;
	writer *w = pl__jw_new(sink, ctx);
	if (!w)
		return PL_ENOMEM;
	pl__jw_open(w, '{');
	str(w, K("format"), "parley-case/1");
	str(w, K("id"), c->info.id);
	str(w, K("title"), c->info.title);
	str(w, K("period"), c->info.period);
	str(w, K("description"), c->info.description);
	if (c->info.n_sources) {
		open_(w, K("sources"), '[');
		for (size_t k = 0; k < c->info.n_sources; k++)
			if (pl__jw_utf8_ok(c->info.sources[k])) {
				pl__jw_item(w);
				put_string(w, c->info.sources[k]);
			}
		close_(w, ']');
	}
	open_(w, K("issues"), '[');
	for (size_t i = 0; i < c->n_issues; i++)
		issue(w, &c->issues[i]);
	close_(w, ']');
	open_(w, K("actors"), '[');
	for (size_t a = 0; a < c->n_actors; a++)
		actor(w, c, a);
	close_(w, ']');
	if (c->n_forums) {
		open_(w, K("forums"), '[');
		for (size_t f = 0; f < c->n_forums; f++)
			forum(w, c, &c->forums[f]);
		close_(w, ']');
	}
	const pl_case_uncertainty *u = &c->uncertainty;
	if (u->capability.kind || u->position.kind || u->salience.kind) {
		open_(w, K("uncertainty"), '{');
		if (u->capability.kind)
			dist(w, K("capability"), u->capability, 1);
		if (u->position.kind)
			dist(w, K("position"), u->position, 1);
		if (u->salience.kind)
			dist(w, K("salience"), u->salience, 100);
		close_(w, '}');
	}
	close_(w, '}');
	pl__jw_raw(w, "\n", 1);
	pl__jw_end(w);
	return PL_OK;
}
