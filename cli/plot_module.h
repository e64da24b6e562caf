/* plot_module.h - one chart drawn with PLplot, behind a function pointer:
 * parley-plot.so (plot_module.c) links PLplot and is loaded only by
 * `parley report --svg/--png` (module.h), so no other command maps PLplot
 * and its fonts, shapefile and triangulation libraries. */
#ifndef PARLEY_CLI_PLOT_MODULE_H
#define PARLEY_CLI_PLOT_MODULE_H

#include <stddef.h>

/* The symbol's name carries the interface's version (and so the layout of
 * cli_chart): a module built for another version is not found. */
#define CLI_PLOT_MODULE "parley-plot"
#define CLI_PLOT_SYMBOL "parley_plot_module_v2"

#define CLI_CHART_SERIES 10
#define CLI_CHART_POINTS 256

/* Grouped bars (categories x series), or lines (points x series) when
 * lines is set. */
typedef struct cli_chart {
	char title[256];
	const char *value_label;
	size_t n_cat, n_ser;
	const char *cat[CLI_CHART_POINTS];
	const char *ser[CLI_CHART_SERIES];
	double v[CLI_CHART_POINTS][CLI_CHART_SERIES];
	int horizontal;
	int lines;
	double lo, hi; /* the value axis of lines */
	/* each series' colour (0-255 red, green, blue), from the report's
	 * palette (report_colours.h) */
	int rgb[CLI_CHART_SERIES][3];
} cli_chart;

typedef struct cli_plot {
	/* Draws chart into the file path with PLplot's device ("svg" or
	 * "pngcairo"), 960 x 540.  PLplot ends the process when it cannot
	 * open path: the caller makes sure it can first. */
	void (*draw)(const cli_chart *chart, const char *path, const char *device);
} cli_plot;

extern const cli_plot parley_plot_module_v2;

#endif
