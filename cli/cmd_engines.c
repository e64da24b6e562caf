/* cmd_engines.c - `parley engines`: the registry, with each engine's
 * parameters and their defaults. */
#include "cli.h"

#include <string.h>

int cmd_engines(int argc, char **argv)
{
	int verbose = 0;
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			puts("usage: parley engines [-v]\n\nLists the forecasting engines; -v "
			     "adds their parameters\n(NAME=DEFAULT, what it does, its "
			     "choices). Set one with\n'parley forecast -p ENGINE.NAME=VALUE'.");
			return 0;
		} else if (strcmp(argv[k], "-v") == 0 || strcmp(argv[k], "--verbose") == 0) {
			verbose = 1;
		} else {
			return cli_usage_error("engines", "unknown argument '%s'", argv[k]);
		}
	}
	/* each description wrapped at 80 columns under its name (and each
	 * parameter's under the parameter) */
	for (size_t i = 0; i < pl_engine_count(); i++) {
		const pl_engine *e = pl_engine_at(i);
		char line[512];
		snprintf(line, sizeof line, "%s%s", pl_engine_summary(e),
			 pl_engine_is_multidim(e) ? " [all issues jointly]" : "");
		printf("%-11s ", pl_engine_name(e));
		cli_print_wrapped(stdout, line, 12, 12);
		if (!verbose)
			continue;
		for (size_t p = 0; p < pl_engine_n_params(e); p++) {
			const pl_param_info *pi = pl_engine_param(e, p);
			char text[2048];
			size_t n = (size_t)snprintf(text, sizeof text, "%s", pi->help);
			if (pi->choices) {
				for (size_t q = 0; pi->choices[q] && n < sizeof text; q++)
					n += (size_t)snprintf(text + n, sizeof text - n, "%s%s",
							      q ? "|" : " (", pi->choices[q]);
				if (n < sizeof text)
					snprintf(text + n, sizeof text - n, ")");
			}
			int col = printf("    %s=%s  ", pi->name, pi->default_value);
			if (col > 60) { /* a long default: its help on the next lines */
				printf("\n        ");
				col = 8;
			}
			cli_print_wrapped(stdout, text, col, 8);
		}
	}
	return 0;
}
