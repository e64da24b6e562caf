/* progress.c - the progress bar that forecast, sweep and backtest draw on
 * stderr while the library runs (cli.h: cli_progress).
 *
 * The library calls cli_progress_show through the request's progress
 * callback with (done, total).  The bar shows only on a terminal (the
 * commands check isatty before passing the callback) and only once `delay`
 * seconds have gone by, so a quick run prints nothing but its result. */

#include "cli.h"

#include <stdio.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

void cli_progress_start(cli_progress *p, const char *unit, double delay)
{
	*p = (cli_progress){.unit = unit, .delay = delay};
	clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* 8.5/s, 850/s, 25k/s, 2.5M/s: never 2.5e+05/s */
static void format_rate(char *buf, size_t size, double rate)
{
	if (rate < 10)
		snprintf(buf, size, "%.1f/s", rate);
	else if (rate < 10000)
		snprintf(buf, size, "%.0f/s", rate);
	else if (rate < 1e7)
		snprintf(buf, size, "%.0fk/s", rate / 1e3);
	else
		snprintf(buf, size, "%.1fM/s", rate / 1e6);
}

void cli_progress_show(void *ctx, uint64_t done, uint64_t total)
{
	cli_progress *p = ctx;
	double el = seconds_since(&p->start);
	if (el < p->delay)
		return;
	double frac = total ? (double)done / (double)total : 1;
	double eta = frac > 0 ? el * (1 - frac) / frac : 0;
	enum { WIDTH = 30 };
	char bar[WIDTH + 1];
	int fill = (int)(WIDTH * frac);
	for (int k = 0; k < WIDTH; k++)
		bar[k] = k < fill ? '#' : '.';
	bar[WIDTH] = '\0';
	fprintf(stderr, "\r[%s] %3.0f%%", bar, 100.0 * frac);
	if (p->unit) {
		char rate[32];
		format_rate(rate, sizeof rate, el > 0 ? (double)done / el : 0);
		fprintf(stderr, " %llu/%llu %s%s  %s", (unsigned long long)done,
			(unsigned long long)total, p->unit, p->rank_note ? " (this rank)" : "", rate);
	} else
		fprintf(stderr, "  %.0fs", el);
	fprintf(stderr, "  ETA %.0fs ", eta);
	p->shown = 1;
}

void cli_progress_end(cli_progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}
