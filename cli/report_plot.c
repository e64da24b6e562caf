/* report_plot.c - one chart of a report (grouped bars, histogram, tornado,
 * trajectory) for papers, as an SVG or PNG file: the numbers come from the
 * same JSON the HTML report embeds; PLplot draws them in parley-plot.so
 * (plot_module.c), loaded only here. */
#include "report_plot.h"
#include "cli.h"
#include "module.h"
#include "plot_module.h"
#include "report_colours.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

typedef cli_chart bars;

#define MAX_SERIES CLI_CHART_SERIES
#define MAX_POINTS CLI_CHART_POINTS

/* ---- the charts from the report's data --------------------------------- */

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
static void paint(const json_t *data, bars *b, size_t s, const char *kind)
{
	report_colour_of(data, kind, b->ser[s], b->rgb[s]);
}

static int grouped(const json_t *data, int by_forum, bars *b)
{
	const json_t *issues = json_object_get(data, "issues");
	b->n_cat = json_array_size(issues) < 64 ? json_array_size(issues) : 64;
	for (size_t i = 0; i < b->n_cat; i++)
		b->cat[i] = json_string_value(json_object_get(json_array_get(issues, i), "id"));
	if (!by_forum) {
		const json_t *f = json_object_get(data, "forecasts");
		const json_t *eng = json_object_get(f, "engines");
		b->n_ser = json_array_size(eng) < MAX_SERIES ? json_array_size(eng) : MAX_SERIES;
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
		b->n_ser =
			json_array_size(forums) < MAX_SERIES ? json_array_size(forums) : MAX_SERIES;
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

static int histogram(const json_t *data, const char *issue, bars *b)
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

static int tornado(const json_t *data, const char *issue, bars *b, char labels[][64])
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
	b->n_cat = m < 10 ? m : 10;
	b->n_ser = 2;
	b->ser[0] = "total ST";
	b->ser[1] = "first-order S";
	paint(data, b, 0, "series");
	paint(data, b, 1, "series");
	b->horizontal = 1;
	for (size_t k = 0; k < b->n_cat; k++) {
		const json_t *x = json_array_get(sens, order[k]);
		snprintf(labels[k], 64, "%s", json_string_value(json_object_get(x, "factor")));
		b->cat[k] = labels[k];
		b->v[k][0] = num(json_object_get(x, "total"));
		b->v[k][1] = num(json_object_get(x, "first"));
	}
	snprintf(b->title, sizeof b->title, "What moves %s: Sobol' indices", issue);
	b->value_label = "share of the forecast's variance";
	return 0;
}

/* Round-by-round positions of up to nine actors and the forecast. */
static int trajectory(const json_t *data, const char *issue, bars *b)
{
	const json_t *t = json_object_get(data, "trajectories");
	const json_t *e = issue_entry(json_object_get(t, "issues"), issue);
	const json_t *iss = json_object_get(data, "issues");
	if (!e)
		return -1;
	const json_t *actors = json_object_get(e, "actors"),
		     *rows = json_object_get(e, "positions");
	const json_t *fc = json_object_get(e, "forecast");
	size_t na =
		json_array_size(actors) < MAX_SERIES - 1 ? json_array_size(actors) : MAX_SERIES - 1;
	size_t nr = json_array_size(rows) < MAX_POINTS ? json_array_size(rows) : MAX_POINTS;
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

/* Loads parley-plot.so and draws into a temporary file renamed to path, so
 * a failed chart leaves no file; returns an exit status. */
static int render(const bars *b, const char *path, const char *format)
{
	char why[8192];
	const cli_plot *plot = cli_module_load(CLI_PLOT_MODULE, CLI_PLOT_SYMBOL, why, sizeof why);
	if (!plot) {
		fprintf(stderr,
			"parley report: --svg and --png charts are drawn by PLplot, which is not "
			"available: %s\n",
			why);
		return 2;
	}
	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	/* PLplot exits the process when it cannot open its file: make sure it
	 * can before handing it the name */
	FILE *probe = fopen(tmp, "wb");
	if (!probe) {
		fprintf(stderr, "parley report: %s: cannot write: %s\n", path, strerror(errno));
		return 1;
	}
	fclose(probe);
	plot->draw(b, tmp, strcmp(format, "svg") == 0 ? "svg" : "pngcairo");
	if (access(tmp, F_OK) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "parley report: %s: PLplot could not write the chart\n", path);
		unlink(tmp);
		return 1;
	}
	return 0;
}

int report_plot(const pl_case *c, const json_t *data, const char *chart, const char *path,
		const char *format)
{
	bars *b = calloc(1, sizeof *b);
	char(*labels)[64] = calloc(16, 64);
	if (!b || !labels) {
		free(b);
		free(labels);
		fprintf(stderr, "parley report: out of memory\n");
		return 1;
	}
	int rc = -1;
	const char *colon = strchr(chart, ':');
	if (strcmp(chart, "forecasts") == 0)
		rc = grouped(data, 0, b);
	else if (strcmp(chart, "compare") == 0)
		rc = grouped(data, 1, b);
	else if (colon && strncmp(chart, "hist:", 5) == 0)
		rc = histogram(data, colon + 1, b);
	else if (colon && strncmp(chart, "tornado:", 8) == 0)
		rc = tornado(data, colon + 1, b, labels);
	else if (colon && strncmp(chart, "trajectory:", 11) == 0)
		rc = trajectory(data, colon + 1, b);
	int st;
	if (rc) {
		size_t dummy;
		int known_issue = colon && pl_case_find_issue(c, colon + 1, &dummy, NULL) == PL_OK;
		st = cli_usage_error("report",
				     "--chart '%s' must be forecasts, compare, hist:ISSUE, "
				     "tornado:ISSUE or trajectory:ISSUE%s",
				     chart,
				     colon && !known_issue ? " with an issue of the case" : "");
	} else {
		st = render(b, path, format);
	}
	free(b);
	free(labels);
	return st;
}
