/* cmd_validate.c - `parley validate`: reads a case, reports the first rule
 * it breaks or a short summary of what it holds. */
#include "cli.h"

#include <string.h>

static const char usage_text[] =
	"usage: parley validate [CASE] [--input-format json|csv|ktab]\n"
	"\n"
	"Checks CASE (default: the shipped Korean Peninsula case) against the format's\n"
	"rules. Prints a summary and exits 0 when it is valid; prints the file, line or\n"
	"JSON path and the rule broken and exits 2 when it is not.\n";

int cmd_validate(int argc, char **argv)
{
	const char *path = NULL, *fmt = NULL;
	for (int k = 1; k < argc; k++) {
		if (strcmp(argv[k], "-h") == 0 || strcmp(argv[k], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(argv[k], "--input-format") == 0 && k + 1 < argc) {
			fmt = argv[++k];
		} else if (argv[k][0] == '-' && argv[k][1]) {
			return cli_usage_error("validate", "unknown option '%s'", argv[k]);
		} else if (path) {
			return cli_usage_error("validate", "one case file at most");
		} else {
			path = argv[k];
		}
	}
	pl_format f = fmt ? pl_format_from_name(fmt) : PL_FORMAT_AUTO;
	if (fmt && f == PL_FORMAT_AUTO)
		return cli_usage_error("validate", "--input-format '%s' must be json, csv, ktab or decide",
				       fmt);
	pl_case *c;
	int st = cli_load_case("validate", path, f, &c);
	if (st)
		return st;
	const pl_case_info *info = pl_case_get_info(c);
	size_t stances = 0;
	for (size_t a = 0; a < pl_case_n_actors(c); a++)
		for (size_t i = 0; i < pl_case_n_issues(c); i++)
			stances += pl_case_stance(c, a, i)->present != 0;
	printf("%s: valid\n", path ? path : "default case");
	printf("  case     %s%s%s\n", info->id, info->title ? ": " : "",
	       info->title ? info->title : "");
	printf("  issues   %zu, actors %zu, stances %zu, forums %zu\n", pl_case_n_issues(c),
	       pl_case_n_actors(c), stances, pl_case_n_forums(c));
	size_t outcomes = 0;
	for (size_t i = 0; i < pl_case_n_issues(c); i++)
		outcomes += pl_case_issue(c, i)->has_outcome != 0;
	if (outcomes)
		printf("  outcomes %zu of %zu issues, each on its scale\n", outcomes,
		       pl_case_n_issues(c));
	printf("  sha256   %s\n", pl_case_hash(c));
	/* valid, but no engine can forecast an issue where no one has weight */
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		int weight = 0;
		for (size_t a = 0; a < pl_case_n_actors(c) && !weight; a++) {
			const pl_stance *s = pl_case_stance(c, a, i);
			weight = s->present && s->capability * s->salience > 0;
		}
		if (!weight)
			printf("  note     issue '%s': no actor has capability x salience "
			       "above 0,\n           so no engine can forecast it\n",
			       pl_case_issue(c, i)->id);
	}
	pl_case_free(c);
	return 0;
}
