/* plot_module.h - one chart drawn with PLplot, behind a function pointer:
 * parley-plot.so (plot_module.c) links PLplot and is loaded only by
 * `parley report --svg/--png` (module.h), so no other command maps PLplot
 * and its fonts, shapefile and triangulation libraries. */
#ifndef PARLEY_CLI_PLOT_MODULE_H
#define PARLEY_CLI_PLOT_MODULE_H

#include <stddef.h>

#include <parley/report.h>

/* The symbol's name carries the interface's version (and so the layout of
 * cli_chart): a module built for another version is not found. */
#define CLI_PLOT_MODULE "parley-plot"
#define CLI_PLOT_SYMBOL "parley_plot_module_v3"

#define CLI_CHART_SERIES PL_CHART_SERIES
#define CLI_CHART_POINTS PL_CHART_POINTS

/* The chart: numbers the library worked out (pl_report_chart). */
typedef pl_chart cli_chart;

typedef struct cli_plot {
	/* Draws chart into the file path with PLplot's device ("svg" or
	 * "pngcairo"), 960 x 540.  PLplot ends the process when it cannot
	 * open path: the caller makes sure it can first. */
	void (*draw)(const cli_chart *chart, const char *path, const char *device);
} cli_plot;

extern const cli_plot parley_plot_module_v3;

#endif
