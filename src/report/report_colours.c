/* report_colours.c - the one palette of `parley report`: which colour each
 * engine, format, actor, issue and fixed series (the tornado's two indices,
 * the trajectories' forecast, the histogram's samples) gets, so that a thing
 * keeps its colour in every chart of the HTML page and in the --svg/--png
 * charts.  Defined once here: report.js and the charts (report_chart.c) both
 * take their colours from the "colours" object this writes into the report's
 * data. */
#include "report_internal.h"

#include <stdio.h>
#include <string.h>

/* Any two differ by a CIEDE2000 colour difference of 23 or more (the
 * report's test checks 20 for the colours of each kind): blue, red,
 * amber, green, purple, brown, pink, cyan, grey, olive. */
static const char *const palette[] = {"#1f5fa8", "#d62f2f", "#f0a21c", "#2a9d3c", "#7b3fa0",
				      "#7a4a1e", "#e377c2", "#17becf", "#7f7f7f", "#b8c21a"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

/* Series whose colour does not depend on the case. */
static const struct {
	const char *name, *colour;
} fixed[] = {
	{"total ST", "#d62f2f"},      /* the tornado's total index */
	{"first-order S", "#1f5fa8"}, /* and its first-order index */
	{"forecast", "#000000"},      /* the forecast line of a trajectory */
	{"samples", "#1f5fa8"},	      /* the sweep's histogram */
};

/* names: an array of strings, or of objects whose member field is the name */
static json_t *by_position(const json_t *names, const char *field)
{
	json_t *out = json_object();
	size_t k;
	const json_t *v;
	json_array_foreach(names, k, v)
	{
		const char *name =
			field ? json_string_value(json_object_get(v, field)) : json_string_value(v);
		if (name && !json_object_get(out, name))
			json_object_set_new(out, name, json_string(palette[k % N_PALETTE]));
	}
	return out;
}

json_t *pl__report_colours_json(const json_t *data)
{
	json_t *c = json_object(), *series = json_object();
	json_object_set_new(
		c, "engine",
		by_position(json_object_get(json_object_get(data, "forecasts"), "engines"), NULL));
	json_object_set_new(
		c, "format",
		by_position(json_object_get(json_object_get(data, "compare"), "forums"), "id"));
	json_object_set_new(c, "actor", by_position(json_object_get(data, "actors"), "id"));
	json_object_set_new(c, "issue", by_position(json_object_get(data, "issues"), "id"));
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
		json_object_set_new(series, fixed[k].name, json_string(fixed[k].colour));
	json_object_set_new(c, "series", series);
	return c;
}

int pl__report_colour_of(const json_t *data, const char *kind, const char *key, int rgb[3])
{
	const char *hex = json_string_value(
		json_object_get(json_object_get(json_object_get(data, "colours"), kind), key));
	unsigned r, g, b;
	rgb[0] = rgb[1] = rgb[2] = 0;
	if (!hex || strlen(hex) != 7 || sscanf(hex, "#%2x%2x%2x", &r, &g, &b) != 3)
		return -1;
	rgb[0] = (int)r;
	rgb[1] = (int)g;
	rgb[2] = (int)b;
	return 0;
}
