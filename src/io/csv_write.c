/* csv_write.c - writing a case as BDM-style CSV (one issue).  The format
 * holds less than the JSON one; the caller is told what was left out.  KTAB's
 * SMP CSV is written by ktab_csv_write.c. */
#include "io/io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finish(pl_strbuf *b, char **out, pl_error *err)
{
	if (b->oom || !b->s) {
		free(b->s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing CSV");
	}
	*out = b->s;
	return PL_OK;
}

/* ",N" or "," for an optional column. */
static void optional_number(pl_strbuf *b, int has, double v)
{
	char n[40] = "";
	if (has)
		pl__fmt_number(n, sizeof n, v);
	pl__sb_printf(b, ",%s", n);
}

/* Whether some issue's outcome has more than its value (which CSV keeps). */
static int outcome_details(const pl_case *c)
{
	for (size_t i = 0; i < c->n_issues; i++) {
		const pl_outcome_record *o = &c->issues[i].outcome;
		if (c->issues[i].has_outcome && (o->has_range || o->date || o->source))
			return 1;
	}
	return 0;
}

static int has_extras(const pl_case *c)
{
	if (c->n_forums || c->uncertainty.capability.kind || c->uncertainty.position.kind ||
	    c->uncertainty.salience.kind || c->info.n_sources)
		return 1;
	for (size_t i = 0; i < c->n_issues; i++)
		if (c->issues[i].n_anchors || c->issues[i].note)
			return 1;
	if (outcome_details(c))
		return 1;
	for (size_t a = 0; a < c->n_actors; a++)
		for (size_t i = 0; i < c->n_issues; i++)
			if (PL_STANCE(c, a, i)->note ||
			    PL_STANCE(c, a, i)->capability != c->actors[a].capability)
				return 1;
	return 0;
}

int pl_case_write_csv(const pl_case *c, size_t issue, char **out, const char **lost,
		      pl_error *err)
{
	*out = NULL;
	*lost = NULL;
	if (issue >= c->n_issues)
		return pl_error_set(err, PL_ENOTFOUND, NULL, "issue index %zu out of range", issue);
	const pl_issue *is = &c->issues[issue];
	pl_strbuf b = {0};
	char n1[40], n2[40], n3[40];
	pl__sb_printf(&b, "# name: %s\n", is->name);
	pl__fmt_number(n1, sizeof n1, is->min);
	pl__fmt_number(n2, sizeof n2, is->max);
	pl__sb_printf(&b, "# scale: %s %s\n", n1, n2);
	if (is->has_status_quo) {
		pl__fmt_number(n1, sizeof n1, is->status_quo);
		pl__sb_printf(&b, "# status_quo: %s\n", n1);
	}
	if (is->has_outcome) {
		pl__fmt_number(n1, sizeof n1, is->outcome.value);
		pl__sb_printf(&b, "# outcome: %s\n", n1);
	}
	int red = 0, res = 0;
	for (size_t a = 0; a < c->n_actors; a++) {
		const pl_stance *s = PL_STANCE(c, a, issue);
		red |= s->present && s->has_red_line;
		res |= s->present && c->actors[a].has_reservation;
	}
	pl__sb_printf(&b, "Actor,Capability,Position,Salience,Name%s%s\n", red ? ",RedLine" : "",
		      res ? ",Reservation" : "");
	for (size_t a = 0; a < c->n_actors; a++) {
		const pl_stance *s = PL_STANCE(c, a, issue);
		if (!s->present)
			continue;
		pl__fmt_number(n1, sizeof n1, s->capability);
		pl__fmt_number(n2, sizeof n2, s->position);
		pl__fmt_scaled(n3, sizeof n3, s->salience, 100);
		pl__sb_printf(&b, "%s,%s,%s,%s,", c->actors[a].id, n1, n2, n3);
		pl__sb_csv_field(&b, c->actors[a].name);
		if (red)
			optional_number(&b, s->has_red_line, s->red_line);
		if (res)
			optional_number(&b, c->actors[a].has_reservation,
					c->actors[a].reservation);
		pl__sb_printf(&b, "\n");
	}
	int od = outcome_details(c);
	if (c->n_issues > 1)
		*lost = od ? "the other issues, notes, anchors, forums, uncertainty, sources and "
			     "the outcome's range, date and source (the CSV format holds one "
			     "issue)"
			   : "the other issues, notes, anchors, forums, uncertainty and sources "
			     "(the CSV format holds one issue)";
	else if (has_extras(c))
		*lost = od ? "notes, anchors, forums, uncertainty, sources and the outcome's "
			     "range, date and source"
			   : "notes, anchors, forums, uncertainty and sources";
	return finish(&b, out, err);
}
