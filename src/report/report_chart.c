/* report_chart.c - one chart of a report (grouped bars, histogram,
 * tornado, trajectory) as numbers (pl_chart, include/parley/report.h), from
 * the same data the HTML page embeds and with its colours; `parley report
 * --svg/--png` draws it with PLplot. */
#include "report_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const json_t *issue_entry(const json_t *arr, const char *id)
{
	size_t k;
	const json_t *v;
	json_array_foreach(arr, k, v)
	{
		const char *x = json_string_value(json_object_get(v, "issue"));
		if (x && strcmp(x, id) == 0)
			return v;
	}
	return NULL;
}

static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Series s is key of kind: its colour is the one the HTML report gives it. */
static void paint(const json_t *data, pl_chart *b, size_t s, const char *kind)
{
	pl__report_colour_of(data, kind, b->ser[s], b->rgb[s]);
}

static int grouped(const json_t *data, int by_forum, pl_chart *b)
{
	const json_t *issues = json_object_get(data, "issues");
	b->n_cat = json_array_size(issues) < 64 ? json_array_size(issues) : 64;
	for (size_t i = 0; i < b->n_cat; i++)
		b->cat[i] = json_string_value(json_object_get(json_array_get(issues, i), "id"));
	if (!by_forum) {
		const json_t *f = json_object_get(data, "forecasts");
		const json_t *eng = json_object_get(f, "engines");
		b->n_ser = json_array_size(eng) < PL_CHART_SERIES ? json_array_size(eng)
								  : PL_CHART_SERIES;
		for (size_t s = 0; s < b->n_ser; s++) {
			b->ser[s] = json_string_value(json_array_get(eng, s));
			paint(data, b, s, "engine");
		}
		for (size_t i = 0; i < b->n_cat; i++)
			for (size_t s = 0; s < b->n_ser; s++)
				b->v[i][s] = num(json_array_get(
					json_array_get(json_object_get(f, "values"), i), s));
		snprintf(b->title, sizeof b->title, "Forecast per issue and engine");
	} else {
		const json_t *forums = json_object_get(json_object_get(data, "compare"), "forums");
		b->n_ser = json_array_size(forums) < PL_CHART_SERIES ? json_array_size(forums)
								     : PL_CHART_SERIES;
		for (size_t s = 0; s < b->n_ser; s++) {
			const json_t *fo = json_array_get(forums, s);
			b->ser[s] = json_string_value(json_object_get(fo, "id"));
			paint(data, b, s, "format");
			for (size_t i = 0; i < b->n_cat; i++)
				b->v[i][s] = num(json_object_get(
					json_array_get(json_object_get(fo, "issues"), i),
					"forecast"));
		}
		snprintf(b->title, sizeof b->title, "Forecast per issue and forum format");
	}
	b->value_label = "position on the issue's scale";
	return 0;
}

static int histogram(const json_t *data, const char *issue, pl_chart *b)
{
	const json_t *e =
		issue_entry(json_object_get(json_object_get(data, "sweep"), "issues"), issue);
	if (!e)
		return -1;
	const json_t *h = json_object_get(e, "histogram"), *counts = json_object_get(h, "counts");
	size_t n = json_array_size(counts) < 64 ? json_array_size(counts) : 64;
	double lo = num(json_object_get(h, "lo")), hi = num(json_object_get(h, "hi"));
	static const char *const none = "";
	b->n_cat = n;
	b->n_ser = 1;
	b->ser[0] = "samples";
	paint(data, b, 0, "series");
	for (size_t k = 0; k < n; k++) {
		b->v[k][0] = num(json_array_get(counts, k));
		b->cat[k] = none;
	}
	snprintf(b->title, sizeof b->title, "Sweep: %s, forecast from %g to %g", issue, lo, hi);
	b->value_label = "samples";
	return 0;
}

static int tornado(const json_t *data, const char *issue, pl_chart *b)
{
	const json_t *e =
		issue_entry(json_object_get(json_object_get(data, "sweep"), "issues"), issue);
	const json_t *sens = e ? json_object_get(e, "sensitivity") : NULL;
	if (!sens)
		return -1;
	size_t n = json_array_size(sens), order[1024], m = n < 1024 ? n : 1024;
	for (size_t k = 0; k < m; k++) {
		size_t j = k;
		double t = num(json_object_get(json_array_get(sens, k), "total"));
		while (j > 0 &&
		       num(json_object_get(json_array_get(sens, order[j - 1]), "total")) < t) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = k;
	}
	b->n_cat = m < 10 ? m : 10; /* <= PL_CHART_LABELS */
	b->n_ser = 2;
	b->ser[0] = "total ST";
	b->ser[1] = "first-order S";
	paint(data, b, 0, "series");
	paint(data, b, 1, "series");
	b->horizontal = 1;
	for (size_t k = 0; k < b->n_cat; k++) {
		const json_t *x = json_array_get(sens, order[k]);
		snprintf(b->labels[k], sizeof b->labels[k], "%s",
			 json_string_value(json_object_get(x, "factor")));
		b->cat[k] = b->labels[k];
		b->v[k][0] = num(json_object_get(x, "total"));
		b->v[k][1] = num(json_object_get(x, "first"));
	}
	snprintf(b->title, sizeof b->title, "What moves %s: Sobol' indices", issue);
	b->value_label = "share of the forecast's variance";
	return 0;
}

/* Round-by-round positions of up to nine actors and the forecast. */
static int trajectory(const json_t *data, const char *issue, pl_chart *b)
{
	const json_t *t = json_object_get(data, "trajectories");
	const json_t *e = issue_entry(json_object_get(t, "issues"), issue);
	const json_t *iss = json_object_get(data, "issues");
	if (!e)
		return -1;
	const json_t *actors = json_object_get(e, "actors"),
		     *rows = json_object_get(e, "positions");
	const json_t *fc = json_object_get(e, "forecast");
	size_t na = json_array_size(actors) < PL_CHART_SERIES - 1 ? json_array_size(actors)
								  : PL_CHART_SERIES - 1;
	size_t nr =
		json_array_size(rows) < PL_CHART_POINTS ? json_array_size(rows) : PL_CHART_POINTS;
	b->lines = 1;
	b->n_cat = nr;
	b->n_ser = na + 1;
	for (size_t a = 0; a < na; a++) {
		b->ser[a] = json_string_value(json_array_get(actors, a));
		paint(data, b, a, "actor");
	}
	b->ser[na] = "forecast";
	paint(data, b, na, "series");
	for (size_t r = 0; r < nr; r++) {
		for (size_t a = 0; a < na; a++)
			b->v[r][a] = num(json_array_get(json_array_get(rows, r), a));
		b->v[r][na] = num(json_array_get(fc, r));
	}
	const json_t *ie = NULL;
	size_t k;
	json_array_foreach(iss, k, ie)
	{
		const char *id = json_string_value(json_object_get(ie, "id"));
		if (id && strcmp(id, issue) == 0)
			break;
	}
	b->lo = num(json_object_get(ie, "min"));
	b->hi = num(json_object_get(ie, "max"));
	snprintf(b->title, sizeof b->title, "%s: rounds of %s", issue,
		 json_string_value(json_object_get(t, "engine")));
	b->value_label = "position";
	return 0;
}

int pl_report_chart(pl_chart *out, const pl_report *r, const char *which, pl_error *err)
{
	memset(out, 0, sizeof *out);
	const json_t *data = r->data;
	int rc = -1;
	const char *colon = strchr(which, ':');
	if (strcmp(which, "forecasts") == 0)
		rc = grouped(data, 0, out);
	else if (strcmp(which, "compare") == 0)
		rc = grouped(data, 1, out);
	else if (colon && strncmp(which, "hist:", 5) == 0)
		rc = histogram(data, colon + 1, out);
	else if (colon && strncmp(which, "tornado:", 8) == 0)
		rc = tornado(data, colon + 1, out);
	else if (colon && strncmp(which, "trajectory:", 11) == 0)
		rc = trajectory(data, colon + 1, out);
	if (!rc)
		return PL_OK;
	size_t dummy;
	int known_issue = colon && pl_case_find_issue(r->c, colon + 1, &dummy, NULL) == PL_OK;
	return pl_error_set(err, PL_EINPUT, NULL,
			    "--chart '%s' must be forecasts, compare, hist:ISSUE, "
			    "tornado:ISSUE or trajectory:ISSUE%s",
			    which, colon && !known_issue ? " with an issue of the case" : "");
}
