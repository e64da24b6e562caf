/* cmd_feasible.c - `parley feasible`: per issue the zone of agreement that
 * the actors' red lines leave under a decision rule (or who blocks it), and
 * across issues the package every actor with a reservation prefers to no
 * agreement (docs/analysis/feasible.md).  The library does the analysis and
 * the JSON; this prints the table. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley feasible [CASE] [--forum ID] [--rule unanimity|qmv[=T]]\n"
	"                       [--format table|json] [-o OUT]\n"
	"\n"
	"Per issue, the zone of agreement inside the actors' red lines under the rule\n"
	"(default unanimity: every actor with a stance, or every member of --forum, must\n"
	"accept; qmv: the accepting actors hold at least T of the capability, default\n"
	"2/3), or the actors that block it. Across issues, when actors have reservations,\n"
	"the package that every one of them prefers to no agreement by the largest\n"
	"smallest margin (a linear program). CASE defaults to the Korean case.\n";

static void print_table(FILE *f, const pl_case *c, const pl_feasible *fe)
{
	const pl_case_info *info = pl_case_get_info(c);
	fprintf(f, "feasible  %s; rule %s", info->id,
		fe->options.rule == PL_RULE_QMV ? "qualified majority" : "unanimity");
	if (fe->options.rule == PL_RULE_QMV)
		fprintf(f, " (%.4g of the capability)", fe->options.threshold);
	if (fe->options.forum != PL_NO_FORUM)
		fprintf(f, "; forum %s", pl_case_forum(c, fe->options.forum)->id);
	fprintf(f, "\n\n  %-16s %-24s %s\n", "issue", "zone of agreement", "blocking");
	for (size_t i = 0; i < fe->n_issues; i++) {
		const pl_feasible_issue *fi = &fe->issues[i];
		char z[64];
		if (fi->feasible)
			snprintf(z, sizeof z, "[%.4g, %.4g]%s", fi->interval.lo, fi->interval.hi,
				 fi->n_zones > 1 ? " (+ others)" : "");
		else
			snprintf(z, sizeof z, "none");
		fprintf(f, "  ");
		cli_print_text(f, pl_case_issue(c, i)->id, 16, 1);
		fprintf(f, fi->n_blocking ? " %-24s " : " %s", z);
		for (size_t k = 0; k < fi->n_blocking; k++)
			fprintf(f, "%s%s", k ? ", " : "", pl_case_actor(c, fi->blocking[k])->id);
		fprintf(f, "\n");
	}
	fprintf(f, "\n");
	if (fe->note[0] || !fe->has_package) {
		fprintf(f, "package   %s\n", fe->note);
		return;
	}
	fprintf(f, "package   %s\n          smallest margin %.4g\n",
		fe->package_found ? "every actor with a reservation prefers it to no agreement"
				  : "none that every actor prefers to no agreement; the best is",
		fe->margin);
	fprintf(f, "         ");
	for (size_t i = 0; i < fe->n_issues; i++)
		fprintf(f, " %s %.4g", pl_case_issue(c, i)->id, fe->position[i]);
	fprintf(f, "\nmargins  ");
	for (size_t a = 0; a < pl_case_n_actors(c); a++)
		if (!isnan(fe->actor_margin[a]))
			fprintf(f, " %s %.4g", pl_case_actor(c, a)->id, fe->actor_margin[a]);
	fprintf(f, "\n");
}

static int parse_rule(const char *s, pl_feasible_options *o)
{
	if (strcmp(s, "unanimity") == 0) {
		o->rule = PL_RULE_UNANIMITY;
		return 0;
	}
	if (strncmp(s, "qmv", 3) != 0 || (s[3] && s[3] != '='))
		return -1;
	o->rule = PL_RULE_QMV;
	if (!s[3])
		return 0;
	char *end;
	o->threshold = strtod(s + 4, &end);
	return (*end || end == s + 4 || !(o->threshold > 0 && o->threshold <= 1)) ? -1 : 0;
}

int cmd_feasible(int argc, char **argv)
{
	const char *path = NULL, *forum = NULL, *format = "table", *out_path = NULL;
	pl_feasible_options opt = {.forum = PL_NO_FORUM};
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		int more = k + 1 < argc;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(a, "--forum") == 0 && more) {
			forum = argv[++k];
		} else if (strcmp(a, "--rule") == 0 && more) {
			if (parse_rule(argv[++k], &opt))
				return cli_usage_error(
					"feasible",
					"--rule '%s' must be unanimity, qmv or qmv=T "
					"with T in (0, 1]",
					argv[k]);
		} else if ((strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) && more) {
			format = argv[++k];
		} else if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) && more) {
			out_path = argv[++k];
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("feasible", "unknown option or missing value '%s'",
					       a);
		} else if (path) {
			return cli_usage_error("feasible", "one case file at most");
		} else {
			path = a;
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage_error("feasible", "--format '%s' must be table or json", format);
	int st = cli_check_output("feasible", "case", path, out_path);
	pl_case *c = NULL;
	if (!st)
		st = cli_load_case("feasible", path, PL_FORMAT_AUTO, &c);
	if (st)
		return st;
	pl_error err;
	pl_error_clear(&err);
	pl_feasible *fe = NULL;
	char *doc = NULL;
	int rc = forum ? cli_find_forum(c, forum, &opt.forum, &err) : PL_OK;
	if (!rc)
		rc = pl_feasible_analyse(c, &opt, &fe, &err);
	if (!rc && strcmp(format, "json") == 0)
		rc = pl_feasible_json(&doc, c, fe, &err);
	cli_out out;
	if (!rc && cli_out_open(&out) != 0)
		rc = pl_error_set(&err, PL_ENOMEM, NULL, "out of memory");
	if (rc) {
		st = cli_report("feasible", &err);
	} else {
		if (doc)
			fputs(doc, out.f);
		else
			print_table(out.f, c, fe);
		st = cli_out_close("feasible", &out, out_path);
	}
	pl_free(doc);
	pl_feasible_free(fe);
	pl_case_free(c);
	return st;
}
