/* plot_module.c - parley-plot.so: draws one chart of a report (grouped
 * bars, histogram, tornado, lines) with PLplot into an SVG or PNG file
 * (plot_module.h).  Built as a module loaded only by `parley report
 * --svg/--png`, so that no other command maps PLplot's libraries. */
#include "plot_module.h"

#include <math.h>

#include <plplot.h>

#define MAX_SERIES CLI_CHART_SERIES

#define MAX_POINTS CLI_CHART_POINTS

typedef cli_chart bars;

static void box(double x0, double x1, double y0, double y1, int horizontal)
{
	PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
	if (horizontal)
		plfill(4, y, x);
	else
		plfill(4, x, y);
}

static void value_range(const bars *b, double *lo, double *hi)
{
	*lo = 0;
	*hi = 0;
	for (size_t k = 0; k < b->n_cat; k++)
		for (size_t s = 0; s < b->n_ser; s++)
			if (isfinite(b->v[k][s])) {
				*lo = fmin(*lo, b->v[k][s]);
				*hi = fmax(*hi, b->v[k][s]);
			}
	double pad = (*hi - *lo) * 0.05;
	*hi += pad > 0 ? pad : 1;
	if (*lo < 0)
		*lo -= pad;
}

static void draw(const bars *b)
{
	double lo, hi;
	value_range(b, &lo, &hi);
	plcol0(15);
	plschr(0, 0.8);
	if (b->horizontal) {
		plvpor(0.32, 0.95, 0.12, 0.85);
		plwind(lo, hi, (double)b->n_cat, 0);
		plbox("bcnst", 0, 0, "bc", 0, 0);
	} else {
		plvpor(0.10, 0.95, 0.18, 0.85);
		plwind(0, (double)b->n_cat, lo, hi);
		plbox("bc", 0, 0, "bcnstv", 0, 0);
	}
	double group = 0.8 / (double)b->n_ser;
	for (size_t k = 0; k < b->n_cat; k++) {
		double frac = ((double)k + 0.5) / (double)b->n_cat;
		plcol0(15);
		if (b->horizontal)
			plmtex("lv", 0.5, 1 - frac, 1.0, b->cat[k]);
		else
			plmtex("b", 1.2, frac, 0.5, b->cat[k]);
		for (size_t s = 0; s < b->n_ser; s++) {
			if (!isfinite(b->v[k][s]))
				continue;
			plcol0((PLINT)(1 + s));
			double x0 = (double)k + 0.1 + group * (double)s;
			box(x0, x0 + group, 0, b->v[k][s], b->horizontal);
		}
	}
	plcol0(15);
	plschr(0, 1.0);
	plmtex("t", 2.5, 0.5, 0.5, b->title);
	plschr(0, 0.8);
	plmtex(b->horizontal ? "b" : "l", 3.0, 0.5, 0.5, b->value_label);
	for (size_t s = 0; s < b->n_ser && b->n_ser > 1; s++) {
		plcol0((PLINT)(1 + s));
		plmtex("t", 1.0, ((double)s + 0.5) / (double)b->n_ser, 0.5, b->ser[s]);
	}
}

static void draw_lines(const bars *b)
{
	plcol0(15);
	plschr(0, 0.8);
	plvpor(0.10, 0.95, 0.15, 0.85);
	plwind(0, b->n_cat > 1 ? (double)(b->n_cat - 1) : 1, b->lo, b->hi);
	plbox("bcnst", 0, 0, "bcnstv", 0, 0);
	PLFLT x[MAX_POINTS], y[MAX_POINTS];
	for (size_t s = 0; s < b->n_ser; s++) {
		for (size_t k = 0; k < b->n_cat; k++) {
			x[k] = (double)k;
			y[k] = b->v[k][s];
		}
		/* the last series is the forecast, drawn thicker and dashed as in
		 * the HTML report */
		plcol0((PLINT)(1 + s));
		plwidth(s + 1 == b->n_ser ? 2.5 : 1.5);
		pllsty(s + 1 == b->n_ser ? 3 : 1);
		if (b->n_cat > 1)
			plline((PLINT)b->n_cat, x, y);
		else
			plpoin(1, x, y, 17);
		plmtex("t", 1.0, ((double)s + 0.5) / (double)b->n_ser, 0.5, b->ser[s]);
	}
	plwidth(1);
	pllsty(1);
	plcol0(15);
	plmtex("b", 3.0, 0.5, 0.5, "round");
	plmtex("l", 3.0, 0.5, 0.5, b->value_label);
	plschr(0, 1.0);
	plmtex("t", 2.5, 0.5, 0.5, b->title);
}

static void draw_file(const cli_chart *b, const char *path, const char *device)
{
	plsdev(device);
	plsfnam(path);
	plspage(0, 0, 960, 540, 0, 0);
	plscolbg(255, 255, 255);
	plscol0(15, 0, 0, 0);
	for (int s = 0; s < MAX_SERIES; s++)
		plscol0(1 + s, b->rgb[s][0], b->rgb[s][1], b->rgb[s][2]);
	plinit();
	pladv(0);
	if (b->lines)
		draw_lines(b);
	else
		draw(b);
	plend();
}

const cli_plot parley_plot_module_v3 = {.draw = draw_file};
