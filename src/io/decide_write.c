/* decide_write.c - writes a case in Decide's input format (docs/formats.md):
 * tab-separated, every text field in single quotes, #A actors, #P issues
 * with their scale as #M points (the anchors labelled), #D stances with the
 * per-issue capability as the power. */
#include "io/io_internal.h"

#include <stdlib.h>
#include <string.h>

/* A text field in single quotes ('' for a quote); a line break, which the
 * format cannot hold, becomes a space and is reported lost. */
static void field(pl_strbuf *b, const char *s, int *broke)
{
	pl__sb_printf(b, "\t'");
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\'')
			pl__sb_printf(b, "''");
		else if (*p == '\n' || *p == '\r') {
			pl__sb_printf(b, " ");
			*broke = 1;
		} else
			pl__sb_printf(b, "%c", *p);
	}
	pl__sb_printf(b, "'");
}

static void num(pl_strbuf *b, double v)
{
	char s[40];
	pl__fmt_number(s, sizeof s, v);
	pl__sb_printf(b, "\t%s", s);
}

static void write_issue(pl_strbuf *b, const pl_issue *is, int *broke)
{
	pl__sb_printf(b, "'#P'");
	field(b, is->id, broke);
	field(b, is->name, broke);
	field(b, is->note, broke);
	pl__sb_printf(b, "\n");
	int lo_done = 0, hi_done = 0;
	for (size_t k = 0; k < is->n_anchors; k++) {
		lo_done |= is->anchors[k].value == is->min;
		hi_done |= is->anchors[k].value == is->max;
	}
	if (!lo_done) {
		pl__sb_printf(b, "'#M'");
		field(b, is->id, broke);
		num(b, is->min);
		pl__sb_printf(b, "\n");
	}
	for (size_t k = 0; k < is->n_anchors; k++) {
		pl__sb_printf(b, "'#M'");
		field(b, is->id, broke);
		num(b, is->anchors[k].value);
		field(b, is->anchors[k].label, broke);
		pl__sb_printf(b, "\n");
	}
	if (!hi_done) {
		pl__sb_printf(b, "'#M'");
		field(b, is->id, broke);
		num(b, is->max);
		pl__sb_printf(b, "\n");
	}
}

/* What the format cannot hold, for *lost. */
static const char *what_is_lost(const pl_case *c, int broke)
{
	int forums = c->n_forums > 0, sq = 0, unc = 0;
	for (size_t i = 0; i < c->n_issues; i++)
		sq |= c->issues[i].has_status_quo;
	const pl_case_uncertainty *u = &c->uncertainty;
	unc = u->capability.kind || u->position.kind || u->salience.kind;
	for (size_t a = 0; a < c->n_actors; a++) {
		unc |= c->actors[a].capability_uncertainty.kind != PL_DIST_NONE;
		for (size_t i = 0; i < c->n_issues; i++) {
			const pl_stance *s = PL_STANCE(c, a, i);
			unc |= s->position_uncertainty.kind || s->salience_uncertainty.kind;
		}
	}
	if (forums || sq || unc || c->info.description || c->info.n_sources || broke)
		return "forums, status quo, uncertainty, the case's description and sources, or "
		       "line breaks in names and notes (some of which this case has)";
	return NULL;
}

int pl_case_write_decide(const pl_case *c, char **out, const char **lost, pl_error *err)
{
	*out = NULL;
	if (lost)
		*lost = NULL;
	pl_strbuf b = {0};
	int broke = 0;
	for (size_t a = 0; a < c->n_actors; a++) {
		pl__sb_printf(&b, "'#A'");
		field(&b, c->actors[a].id, &broke);
		field(&b, c->actors[a].name, &broke);
		field(&b, c->actors[a].note, &broke);
		pl__sb_printf(&b, "\n");
	}
	for (size_t i = 0; i < c->n_issues; i++)
		write_issue(&b, &c->issues[i], &broke);
	for (size_t a = 0; a < c->n_actors; a++)
		for (size_t i = 0; i < c->n_issues; i++) {
			const pl_stance *s = PL_STANCE(c, a, i);
			if (!s->present)
				continue;
			pl__sb_printf(&b, "'#D'");
			field(&b, c->actors[a].id, &broke);
			field(&b, c->issues[i].id, &broke);
			num(&b, s->position);
			num(&b, s->salience);
			num(&b, s->capability);
			if (s->note)
				field(&b, s->note, &broke);
			pl__sb_printf(&b, "\n");
		}
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	if (lost)
		*lost = what_is_lost(c, broke);
	*out = b.s;
	return PL_OK;
}
