/* cmd_convert.c - `parley convert IN OUT`: between parley's JSON, the
 * BDM-style CSV, KTAB's SMP CSV and Decide's format. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley convert IN OUT [--from FMT] [--to FMT] [--issue ID] [--rescale]\n"
	"\n"
	"Converts a case. Formats: json (parley's own), csv (BDM-style, one issue:\n"
	"Actor,Capability,Position,Salience), ktab (KTAB's SMP CSV) and decide\n"
	"(Decide's #A/#P/#M/#D rows). They are guessed from the names (OUT ending\n"
	"in .json is JSON; a .csv OUT is the BDM CSV unless --to ktab or --to\n"
	"decide). OUT may be '-' for standard output. The other formats hold less\n"
	"than JSON: what is left out is said on stderr. Writing is atomic.\n"
	"\n"
	"  --from FMT    format of IN (default: guessed)\n"
	"  --to FMT      format of OUT (default: from its name)\n"
	"  --issue ID    for csv output: which issue (default: the first)\n"
	"  --rescale     for ktab output: KTAB's reader refuses an actor whose\n"
	"                saliences add up to more than 100 and a Power above 10^8;\n"
	"                divide every salience of the case by one factor (the\n"
	"                largest actor's sum / 100) and every capability by another\n"
	"                (the largest / 10^8) instead of refusing. The ratios are\n"
	"                kept, and so are the compromise, median and nash forecasts;\n"
	"                eu and smp may forecast differently. Said on stderr.\n";

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cmd_convert(int argc, char **argv)
{
	const char *in = NULL, *out = NULL, *from = NULL, *to = NULL, *issue = NULL;
	int rescale = 0;
	for (int k = 1; k < argc; k++) {
		const char *a = argv[k];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if ((strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0 ||
			    strcmp(a, "--issue") == 0)) {
			if (k + 1 >= argc)
				return cli_usage_error("convert", "%s needs a value", a);
			const char **slot = a[2] == 'f' ? &from : a[2] == 't' ? &to : &issue;
			*slot = argv[++k];
		} else if (strcmp(a, "--rescale") == 0) {
			rescale = 1;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("convert", "unknown option '%s'", a);
		} else if (!in) {
			in = a;
		} else if (!out) {
			out = a;
		} else {
			return cli_usage_error("convert", "two files: IN and OUT ('%s' is extra)", a);
		}
	}
	if (!in || !out)
		return cli_usage_error("convert", "needs IN and OUT");
	pl_format ff = from ? pl_format_from_name(from) : PL_FORMAT_AUTO;
	if (from && ff == PL_FORMAT_AUTO)
		return cli_usage_error("convert", "--from '%s' must be json, csv, ktab or decide", from);
	pl_format tf = to ? pl_format_from_name(to)
			  : (ends_with(out, ".csv") ? PL_FORMAT_CSV : PL_FORMAT_JSON);
	if (to && tf == PL_FORMAT_AUTO)
		return cli_usage_error("convert", "--to '%s' must be json, csv, ktab or decide", to);
	if (rescale && tf != PL_FORMAT_KTAB)
		return cli_usage_error("convert",
				       "--rescale is for KTAB output (--to ktab) only: the %s "
				       "format takes the numbers as they are",
				       pl_format_name(tf));

	pl_case *c;
	int st = cli_check_output("convert", "input", in, out);
	if (st)
		return st;
	st = cli_load_case("convert", in, ff, &c);
	if (st)
		return st;
	pl_error err;
	pl_error_clear(&err);
	char *text = NULL;
	const char *lost = NULL;
	pl_ktab_rescale done = {.salience_divisor = 1, .capability_divisor = 1};
	size_t ix = 0;
	if (issue && pl_case_find_issue(c, issue, &ix, &err))
		st = cli_report("convert", &err);
	else if (tf == PL_FORMAT_JSON)
		st = pl_case_write_json(c, &text, &err) ? cli_report("convert", &err) : 0;
	else if (tf == PL_FORMAT_CSV)
		st = pl_case_write_csv(c, ix, &text, &lost, &err) ? cli_report("convert", &err) : 0;
	else if (tf == PL_FORMAT_DECIDE)
		st = pl_case_write_decide(c, &text, &lost, &err) ? cli_report("convert", &err) : 0;
	else
		st = pl_case_write_ktab_ex(c, rescale ? PL_KTAB_RESCALE : 0, &text, &lost, &done,
					   &err)
			     ? cli_report("convert", &err)
			     : 0;
	if (!st) {
		if (done.note[0])
			fprintf(stderr, "parley convert: note: %s\n", done.note);
		if (lost)
			fprintf(stderr, "parley convert: note: the %s format does not hold %s\n",
				pl_format_name(tf), lost);
		if (strcmp(out, "-") == 0) {
			fputs(text, stdout);
		} else if (pl_write_file_atomic(out, text, strlen(text), &err)) {
			st = cli_report("convert", &err);
		}
	}
	free(text);
	pl_case_free(c);
	return st;
}
