/* outcome.c - building an engine's outcome row by row. */
#include "engines/engine_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pl__outcome_begin(pl_outcome_buf *o, size_t issue, size_t n_actors, const size_t *actor)
{
	pl__outcome_free(o);
	memset(o, 0, sizeof *o);
	o->actor = malloc((n_actors ? n_actors : 1) * sizeof *o->actor);
	if (!o->actor)
		return PL_ENOMEM;
	memcpy(o->actor, actor, n_actors * sizeof *actor);
	o->o.issue = issue;
	o->o.n_actors = n_actors;
	o->o.actor = o->actor;
	return PL_OK;
}

int pl__outcome_push_round(pl_outcome_buf *o, const double *positions, double forecast)
{
	size_t rows = o->o.positions ? o->o.n_rounds + 1 : 0;
	size_t n = o->o.n_actors;
	if (rows == o->cap_rows) {
		size_t cap = o->cap_rows ? o->cap_rows * 2 : 16;
		double *p = realloc(o->positions, cap * (n ? n : 1) * sizeof *p);
		if (!p)
			return PL_ENOMEM;
		o->positions = p;
		double *f = realloc(o->round_forecast, cap * sizeof *f);
		if (!f)
			return PL_ENOMEM;
		o->round_forecast = f;
		o->cap_rows = cap;
	}
	memcpy(o->positions + rows * n, positions, n * sizeof *positions);
	o->round_forecast[rows] = forecast;
	o->o.positions = o->positions;
	o->o.round_forecast = o->round_forecast;
	o->o.n_rounds = rows; /* rows after the starting one */
	o->o.forecast = forecast;
	return PL_OK;
}

int pl__outcome_add_stat(pl_outcome_buf *o, const char *name, double value)
{
	for (size_t k = 0; k < o->o.n_stats; k++)
		if (strcmp(o->stats[k].name, name) == 0) {
			o->stats[k].value = value;
			return PL_OK;
		}
	if (o->o.n_stats == o->cap_stats) {
		size_t cap = o->cap_stats ? o->cap_stats * 2 : 8;
		pl_stat *s = realloc(o->stats, cap * sizeof *s);
		if (!s)
			return PL_ENOMEM;
		o->stats = s;
		o->cap_stats = cap;
	}
	o->stats[o->o.n_stats++] = (pl_stat){name, value};
	o->o.stats = o->stats;
	return PL_OK;
}

int pl__outcome_set_note(pl_outcome_buf *o, const char *fmt, ...)
{
	if (o->no_notes)
		return PL_OK;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	char *s = strdup(buf);
	if (!s)
		return PL_ENOMEM;
	free(o->note);
	o->note = s;
	o->o.note = s;
	return PL_OK;
}

void pl__outcome_rewind(pl_outcome_buf *o)
{
	o->o.positions = NULL;
	o->o.round_forecast = NULL;
	o->o.n_rounds = 0;
	o->o.n_stats = 0;
	free(o->note);
	o->note = NULL;
	o->o.note = NULL;
}

void pl__outcome_free(pl_outcome_buf *o)
{
	free(o->positions);
	free(o->round_forecast);
	free(o->actor);
	free(o->stats);
	free(o->note);
	memset(o, 0, sizeof *o);
}

const char *const pl__cycle_choices[] = {"mean", "last", NULL};

int pl__outcome_cycle(pl_outcome_buf *o, size_t base, size_t from, size_t period, int last,
		      double *lo, double *hi)
{
	const double *f = o->o.round_forecast + base + from;
	double sum = 0;
	*lo = *hi = f[0];
	for (size_t r = 0; r < period; r++) {
		*lo = f[r] < *lo ? f[r] : *lo;
		*hi = f[r] > *hi ? f[r] : *hi;
		sum += f[r];
	}
	double mean = *lo == *hi ? *lo : sum / (double)period;
	if (!last)
		o->o.forecast = mean;
	int rc = pl__outcome_add_stat(o, "cycle", (double)period);
	if (!rc)
		rc = pl__outcome_add_stat(o, "cycle_low", *lo);
	if (!rc)
		rc = pl__outcome_add_stat(o, "cycle_high", *hi);
	if (!rc)
		rc = pl__outcome_add_stat(o, "cycle_mean", mean);
	return rc;
}

int pl__cycle_text(char *buf, size_t size, const pl_outcome_buf *o, size_t base, size_t from,
		   size_t period, int last, const char *engine, const char *unit)
{
	const double *f = o->o.round_forecast + base + from;
	double lo = f[0], hi = f[0];
	char list[160] = "", num[40];
	size_t len = 0;
	for (size_t r = 0; r < period; r++) {
		lo = f[r] < lo ? f[r] : lo;
		hi = f[r] > hi ? f[r] : hi;
		if (r >= 6) /* the note lists six at most */
			continue;
		snprintf(num, sizeof num, "%s%.4g", r ? ", " : "", f[r]);
		if (len + strlen(num) < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s", num);
	}
	if (lo == hi)
		return snprintf(buf, size,
				"no rest: from %s %zu the positions repeat every %zu %ss, with "
				"the same forecast in each",
				unit, from, period, unit);
	char last_one[32];
	snprintf(last_one, sizeof last_one, "the last %s's", unit);
	return snprintf(buf, size,
			"no rest: from %s %zu the positions repeat every %zu %ss and the "
			"forecast cycles through %s%s; the value reported is %s%s (cycle_low and "
			"cycle_high give the range; -p %s.cycle=%s for %s)",
			unit, from, period, unit, list, period > 6 ? ", ..." : "",
			last ? last_one : "their mean", last ? ", so it depends on --rounds" : "",
			engine, last ? "mean" : "last", last ? "their mean" : last_one);
}
