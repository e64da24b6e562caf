/* report_colours.h - the one palette of `parley report`: which colour each
 * engine, format, actor, issue and fixed series (the tornado's two indices,
 * the trajectories' forecast, the histogram's samples) gets, so that a thing
 * keeps its colour in every chart of the HTML page and in the --svg/--png
 * charts, which both read it from the report's data ("colours"). */
#ifndef PARLEY_CLI_REPORT_COLOURS_H
#define PARLEY_CLI_REPORT_COLOURS_H

#include <jansson.h>

/* {"engine": {NAME: "#rrggbb"}, "format": {...}, "actor": {...}, "issue":
 * {...}, "series": {...}} for the report's data (forecasts.engines,
 * compare.forums, actors, issues): each kind is coloured by its position in
 * the report's own list, whichever chart shows a subset of it. */
json_t *report_colours_json(const json_t *data);

/* The colour of key in kind from data's "colours" as 0-255 components;
 * black when there is none.  Returns 0 when found, -1 otherwise. */
int report_colour_of(const json_t *data, const char *kind, const char *key, int rgb[3]);

#endif
