/* main.c - the parley command: finds the subcommand and runs it. */
#include "cli.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <string.h>

static const struct {
	const char *name;
	cli_command_fn fn;
	const char *summary;
} commands[] = {
	{"forecast", cmd_forecast, "forecast where a negotiation lands, issue by issue"},
	{"validate", cmd_validate, "check a case file and summarise it"},
	{"convert", cmd_convert, "convert a case between JSON, CSV and KTAB CSV"},
	{"engines", cmd_engines, "list the forecasting engines and their parameters"},
	{"sweep", cmd_sweep, "Monte Carlo over the case's uncertainty, with sensitivity"},
	{"compare", cmd_compare, "compare forum formats: who gains, who loses"},
	{"backtest", cmd_backtest, "forecasts against recorded outcomes: each engine's error"},
	{"report", cmd_report, "write an HTML report with charts (or one SVG/PNG chart)"},
	{"game", cmd_game, "strategic games (.efg/.nfg): info, solve for equilibria, convert"},
	{"ledger", cmd_ledger, "the signed commitment and verification ledger"},
	{"feasible", cmd_feasible, "is a deal possible: zones of agreement, the best package"},
	{"roadmap", cmd_roadmap, "plan reciprocal steps in stages no party must fear"},
	{"serve", cmd_serve, "serve the HTTP API and the parties' permanent channel"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: parley COMMAND [OPTIONS] [ARGS]\n\n"
		   "Model, forecast and run multilateral negotiations.\n\ncommands:\n");
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		fprintf(f, "  %-10s %s\n", commands[k].name, commands[k].summary);
	fprintf(f, "\n'parley COMMAND --help' describes a command; 'parley --version' prints\n"
		   "the version. With no case file, commands use the shipped Korean Peninsula\n"
		   "case.\n");
}

int main(int argc, char **argv)
{
	/* The library never needs GSL's handler for bad input (error.h); off,
	 * an allocation that fails inside GSL becomes PL_ENOMEM, not an abort. */
	gsl_set_error_handler_off();
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("parley %s\n", pl_version());
		return 0;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[1], commands[k].name) == 0) {
			int st = commands[k].fn(argc - 1, argv + 1);
			/* a full disk or a closed pipe must not pass for success (a
			 * command that failed has said why already) */
			if ((fflush(stdout) != 0 || ferror(stdout)) && st == 0) {
				fprintf(stderr, "parley %s: cannot write to standard output: %s\n",
					argv[1], strerror(errno));
				return 1;
			}
			return st;
		}
	fprintf(stderr, "parley: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
