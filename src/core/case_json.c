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
#include "core/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 8 /* the case nests 5 deep */

typedef struct writer {
	pl__case_sink sink;
	void *ctx;
	size_t n;
	int depth;
	unsigned char used[DEPTH_MAX]; /* the container at each depth has a member */
	char buf[8192];
} writer;

static void flush(writer *w)
{
	if (w->n)
		w->sink(w->ctx, w->buf, w->n);
	w->n = 0;
}

static void put(writer *w, const char *s, size_t n)
{
	if (n > sizeof w->buf - w->n) {
		flush(w);
		if (n > sizeof w->buf) {
			w->sink(w->ctx, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

static void puts_(writer *w, const char *s)
{
	put(w, s, strlen(s));
}

/* Whether s is UTF-8 as jansson accepts it: no overlong form, no surrogate,
 * nothing above U+10FFFF. */
static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char b = *p;
		if (b < 0x80) {
			p++;
			continue;
		}
		int len;
		unsigned long cp;
		if (b >= 0xC2 && b <= 0xDF)
			len = 2, cp = b & 0x1F;
		else if (b >= 0xE0 && b <= 0xEF)
			len = 3, cp = b & 0x0F;
		else if (b >= 0xF0 && b <= 0xF4)
			len = 4, cp = b & 0x07;
		else
			return 0;
		for (int k = 1; k < len; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[k] & 0x3F);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return 0;
		p += len;
	}
	return 1;
}

/* A JSON string as json_dumps writes it (no JSON_ENSURE_ASCII): '"' and
 * '\\' escaped, control characters as \b \f \n \r \t or \u00XX. */
static void put_string(writer *w, const char *s)
{
	put(w, "\"", 1);
	const char *run = s;
	for (const char *p = s;; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		put(w, run, (size_t)(p - run));
		if (!ch)
			break;
		char esc[8] = {'\\', 0};
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = "0123456789ABCDEF"[ch >> 4];
			esc[5] = "0123456789ABCDEF"[ch & 15];
		}
		puts_(w, esc);
		run = p + 1;
	}
	put(w, "\"", 1);
}

/* Starts the next member or element of the open container. */
static void item(writer *w)
{
	static const char spaces[2 * DEPTH_MAX + 1] = "                ";
	if (w->used[w->depth])
		put(w, ",", 1);
	put(w, "\n", 1);
	put(w, spaces, 2 * (size_t)w->depth);
	w->used[w->depth] = 1;
}

static void key(writer *w, const char *k)
{
	item(w);
	put_string(w, k);
	put(w, ": ", 2);
}

static void open_(writer *w, const char *k, char bracket)
{
	if (k)
		key(w, k);
	else
		item(w); /* an element of the array open */
	put(w, &bracket, 1);
	w->used[++w->depth] = 0;
}

static void close_(writer *w, char bracket)
{
	static const char spaces[2 * DEPTH_MAX + 1] = "                ";
	if (w->used[w->depth--]) {
		put(w, "\n", 1);
		put(w, spaces, 2 * (size_t)w->depth);
	}
	put(w, &bracket, 1);
}

static void str(writer *w, const char *k, const char *s)
{
	if (s && utf8_ok(s)) {
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
	pl__fmt_scaled(buf, sizeof buf, v, scale);
	const char *text = buf;
	int point = 0;
	if (strpbrk(buf, ".eEni")) {
		double r = strtod(buf, NULL);
		if (!isfinite(r))
			return;
		text = pl__fmt_shortest(num, r);
		point = strspn(num, "-0123456789") == strlen(num);
	}
	if (k)
		key(w, k);
	else
		item(w);
	puts_(w, text);
	if (point)
		put(w, ".0", 2);
}

/* v as the tree held it: its shortest text is an integer's or has a point
 * or an exponent, so the document wrote it as it stands. */
static void num(writer *w, const char *k, double v)
{
	if (!isfinite(v))
		return;
	char buf[PL__NUM_MAX];
	if (k)
		key(w, k);
	else
		item(w);
	puts_(w, pl__fmt_shortest(buf, v));
}

static void dist(writer *w, const char *k, pl_dist d, double unit)
{
	open_(w, k, '{');
	switch (d.kind) {
	case PL_DIST_NORMAL:
		str(w, "dist", "normal");
		num_scaled(w, "sd", d.a, unit);
		break;
	case PL_DIST_BETA:
		str(w, "dist", "beta");
		num_scaled(w, "sd", d.a, unit);
		break;
	case PL_DIST_UNIFORM:
		str(w, "dist", "uniform");
		num_scaled(w, "half_width", d.a, unit);
		break;
	default: str(w, "dist", "none");
	}
	close_(w, '}');
}

static void issue(writer *w, const pl_issue *is)
{
	open_(w, NULL, '{');
	str(w, "id", is->id);
	str(w, "name", is->name);
	open_(w, "scale", '{');
	num(w, "min", is->min);
	num(w, "max", is->max);
	close_(w, '}');
	if (is->has_status_quo)
		num(w, "status_quo", is->status_quo);
	if (is->has_outcome) {
		open_(w, "outcome", '{');
		num(w, "value", is->outcome.value);
		if (is->outcome.has_range) {
			open_(w, "range", '[');
			num(w, NULL, is->outcome.lo);
			num(w, NULL, is->outcome.hi);
			close_(w, ']');
		}
		str(w, "date", is->outcome.date);
		str(w, "source", is->outcome.source);
		close_(w, '}');
	}
	if (is->n_anchors) {
		open_(w, "anchors", '[');
		for (size_t k = 0; k < is->n_anchors; k++) {
			open_(w, NULL, '{');
			num(w, "value", is->anchors[k].value);
			str(w, "label", is->anchors[k].label);
			close_(w, '}');
		}
		close_(w, ']');
	}
	str(w, "note", is->note);
	close_(w, '}');
}

static void actor(writer *w, const pl_case *c, size_t a)
{
	const pl_actor *ac = &c->actors[a];
	open_(w, NULL, '{');
	str(w, "id", ac->id);
	str(w, "name", ac->name);
	num(w, "capability", ac->capability);
	if (ac->capability_uncertainty.kind != PL_DIST_NONE)
		dist(w, "capability_uncertainty", ac->capability_uncertainty, 1);
	/* per-issue capabilities that differ from the actor's; the tree left
	 * the object out when none went in */
	size_t n_by = 0;
	for (size_t i = 0; i < c->n_issues; i++) {
		double cap = PL_STANCE(c, a, i)->capability;
		n_by += cap != ac->capability && isfinite(cap) && utf8_ok(c->issues[i].id);
	}
	if (n_by) {
		open_(w, "capability_by_issue", '{');
		for (size_t i = 0; i < c->n_issues; i++) {
			double cap = PL_STANCE(c, a, i)->capability;
			if (cap != ac->capability && utf8_ok(c->issues[i].id))
				num(w, c->issues[i].id, cap);
		}
		close_(w, '}');
	}
	open_(w, "stances", '{');
	for (size_t i = 0; i < c->n_issues; i++) {
		const pl_stance *s = PL_STANCE(c, a, i);
		if (!s->present || !utf8_ok(c->issues[i].id))
			continue;
		open_(w, c->issues[i].id, '{');
		num(w, "position", s->position);
		num_scaled(w, "salience", s->salience, 100);
		if (s->position_uncertainty.kind != PL_DIST_NONE)
			dist(w, "position_uncertainty", s->position_uncertainty, 1);
		if (s->salience_uncertainty.kind != PL_DIST_NONE)
			dist(w, "salience_uncertainty", s->salience_uncertainty, 100);
		if (s->has_red_line)
			num(w, "red_line", s->red_line);
		str(w, "note", s->note);
		close_(w, '}');
	}
	close_(w, '}');
	if (ac->has_reservation)
		num(w, "reservation", ac->reservation);
	str(w, "note", ac->note);
	close_(w, '}');
}

static void forum(writer *w, const pl_case *c, const pl_forum *f)
{
	open_(w, NULL, '{');
	str(w, "id", f->id);
	str(w, "name", f->name);
	open_(w, "members", '[');
	for (size_t k = 0; k < f->n_members; k++) {
		const char *id = c->actors[f->members[k]].id;
		if (utf8_ok(id)) {
			item(w);
			put_string(w, id);
		}
	}
	close_(w, ']');
	num(w, "outsider_weight", f->outsider_weight);
	str(w, "note", f->note);
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
	writer *w = malloc(sizeof *w);
	if (!w)
		return PL_ENOMEM;
	w->sink = sink;
	w->ctx = ctx;
	w->n = 0;
	w->depth = 0;
	w->used[0] = 0;
	put(w, "{", 1);
	w->used[++w->depth] = 0;
	str(w, "format", "parley-case/1");
	str(w, "id", c->info.id);
	str(w, "title", c->info.title);
	str(w, "period", c->info.period);
	str(w, "description", c->info.description);
	if (c->info.n_sources) {
		open_(w, "sources", '[');
		for (size_t k = 0; k < c->info.n_sources; k++)
			if (utf8_ok(c->info.sources[k])) {
				item(w);
				put_string(w, c->info.sources[k]);
			}
		close_(w, ']');
	}
	open_(w, "issues", '[');
	for (size_t i = 0; i < c->n_issues; i++)
		issue(w, &c->issues[i]);
	close_(w, ']');
	open_(w, "actors", '[');
	for (size_t a = 0; a < c->n_actors; a++)
		actor(w, c, a);
	close_(w, ']');
	if (c->n_forums) {
		open_(w, "forums", '[');
		for (size_t f = 0; f < c->n_forums; f++)
			forum(w, c, &c->forums[f]);
		close_(w, ']');
	}
	const pl_case_uncertainty *u = &c->uncertainty;
	if (u->capability.kind || u->position.kind || u->salience.kind) {
		open_(w, "uncertainty", '{');
		if (u->capability.kind)
			dist(w, "capability", u->capability, 1);
		if (u->position.kind)
			dist(w, "position", u->position, 1);
		if (u->salience.kind)
			dist(w, "salience", u->salience, 100);
		close_(w, '}');
	}
	close_(w, '}');
	put(w, "\n", 1);
	flush(w);
	free(w);
	return PL_OK;
}
