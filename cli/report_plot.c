/* report_plot.c - one chart of a report (grouped bars, histogram, tornado,
 * trajectory) for papers, as an SVG or PNG file: the numbers come from the
 * library (pl_report_chart, the same data the HTML report embeds); PLplot
 * draws them in parley-plot.so (plot_module.c), loaded only here. */
#include "report_plot.h"
#include "cli.h"
#include "module.h"
#include "plot_module.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Loads parley-plot.so and draws into a temporary file renamed to path, so
 * a failed chart leaves no file; returns an exit status. */
static int render(const pl_chart *b, const char *path, const char *format)
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

int report_plot(const pl_report *r, const char *chart, const char *path, const char *format)
{
	pl_chart *b = calloc(1, sizeof *b);
	if (!b) {
		fprintf(stderr, "parley report: out of memory\n");
		return 1;
	}
	pl_error err;
	pl_error_clear(&err);
	int st;
	if (pl_report_chart(b, r, chart, &err))
		st = cli_usage_error("report", "%s", err.message);
	else
		st = render(b, path, format);
	free(b);
	return st;
}
