/* report_plot.h - single charts of a report as SVG or PNG, with PLplot. */
#ifndef PARLEY_CLI_REPORT_PLOT_H
#define PARLEY_CLI_REPORT_PLOT_H

#include <parley/parley.h>

/* Draws chart ("forecasts", "compare", "hist:ISSUE", "tornado:ISSUE",
 * "trajectory:ISSUE") of report r (pl_report_chart) into path with PLplot's "svg" or "pngcairo"
 * device; returns an exit status (2 for an unknown chart, having said why on stderr). */
int report_plot(const pl_report *r, const char *chart, const char *path, const char *format);

#endif
