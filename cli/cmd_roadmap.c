/* cmd_roadmap.c - `parley roadmap`: the staged plan of reciprocal steps in
 * which no party is ever exposed beyond what it can bear (docs/roadmap.md).
 * Reads the roadmap (and optionally a case for "moves", a ledger's trust),
 * solves, prints a table or the library's JSON/CSV, and can record the plan
 * in a ledger as commitments. */
#include "cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: parley roadmap FILE [--format table|json|csv] [-o OUT] [--case CASE]\n"
	"                     [--trust LEDGER [--trust-weight W]] [--node-limit N]\n"
	"                     [--ledger DB --key KEY [--key KEY...] [--channel C]\n"
	"                      [--time T]]\n"
	"\n"
	"Finds the plan of FILE's steps in the fewest stages in which every party's\n"
	"running balance stays at or above minus its exposure after every stage;\n"
	"among those the one with the largest margin, then the first in file order.\n"
	"When no plan exists, says which party cannot be covered, after which stage,\n"
	"and by how much its exposure would have to grow. docs/roadmap.md has the\n"
	"model.\n"
	"\n"
	"  --case CASE       values of steps that give \"moves\" come from the case\n"
	"  --trust LEDGER    a party's tolerance grows toward counterparts the ledger\n"
	"                    trusts (weight W in [0, 1], default 1)\n"
	"  --node-limit N    branch-and-bound nodes per search before the answer is\n"
	"                    reported with its gap instead of proven (default 4000000)\n"
	"  --ledger DB       record the plan's steps as commitments, signed with the\n"
	"                    --key files (a step is recorded when its party has a key);\n"
	"                    --channel (default public), --time (default now)\n"
	"\n"
	"Exit status: 0 with a plan or with the reason there is none, 2 for a bad file.\n";

typedef struct opts {
	const char *path, *format, *out, *case_path, *trust, *ledger, *channel, *time;
	char path_buf[4096], case_buf[4096]; /* shipped files found elsewhere */
	double trust_weight;
	uint64_t node_limit;
	const char *keys[16];
	size_t n_keys;
} opts;

static void print_balances(FILE *f, const pl_roadmap *r, const double *row, const char *what)
{
	fprintf(f, "  %-24s", what);
	for (size_t p = 0; p < pl_roadmap_n_parties(r); p++) {
		fprintf(f, " %s %.4g", pl_roadmap_party_id(r, p),
			fabs(row[p]) < 5e-10 ? 0 : row[p]);
	}
	fprintf(f, "\n");
}

static void print_table(FILE *f, const pl_roadmap *r, const pl_roadmap_plan *pl)
{
	size_t np = pl_roadmap_n_parties(r);
	fprintf(f, "roadmap  ");
	cli_print_text(f, pl_roadmap_name(r), 70, 0);
	fprintf(f, "\n         %zu steps, %zu parties\n", pl_roadmap_n_steps(r), np);
	fprintf(f, "exposure");
	for (size_t p = 0; p < np; p++)
		fprintf(f, " %s %g", pl_roadmap_party_id(r, p), pl_roadmap_party_exposure(r, p));
	fprintf(f, "\n");
	if (!pl->feasible) {
		fprintf(f, "\nno plan: %s\n", pl->reason);
		if (!pl->exact)
			fprintf(f, "(not proven: the search stopped at its node limit)\n");
		return;
	}
	fprintf(f, "plan     %zu stages, margin %.6g", pl->n_stages, pl->margin);
	if (pl->exact)
		fprintf(f, " (optimal, proven: %llu nodes)\n", (unsigned long long)pl->nodes);
	else
		fprintf(f,
			" (not proven: node limit reached; gap at most %.6g, at least %zu "
			"stages)\n",
			pl->gap, pl->stage_lower_bound);
	for (size_t k = 1; k <= pl->n_stages; k++) {
		fprintf(f, "\nstage %zu\n", k);
		for (size_t s = 0; s < pl_roadmap_n_steps(r); s++) {
			if (pl->stage[s] != k)
				continue;
			fprintf(f, "  %-8s ", pl_roadmap_party_id(r, pl_roadmap_step_by(r, s)));
			cli_print_text(f, pl_roadmap_step_label(r, s), 58,
				       pl_roadmap_step_verified(r, s));
			fprintf(f, "%s\n", pl_roadmap_step_verified(r, s) ? " verified" : "");
		}
		print_balances(f, r, pl->balance + (k - 1) * np, "balance after the stage");
		if (pl->credit)
			print_balances(f, r, pl->credit + (k - 1) * np, "credit from trust");
	}
	fprintf(f, "\n");
	print_balances(f, r, pl->balance + pl->n_stages * np, "at the end (all verified)");
}

static int record(const opts *o, const pl_roadmap *r, const pl_roadmap_plan *pl)
{
	pl_error err;
	pl_error_clear(&err);
	pl_key keys[16];
	pl_ledger *lg = NULL;
	size_t recorded = 0, skipped = 0;
	int rc = PL_OK;
	for (size_t k = 0; !rc && k < o->n_keys; k++)
		rc = pl_key_read_file(o->keys[k], &keys[k], &err);
	if (!rc)
		rc = pl_ledger_open(o->ledger, &lg, &err);
	if (!rc)
		rc = pl_roadmap_record(lg, r, pl, keys, o->n_keys,
				       o->channel ? o->channel : PL_LEDGER_PUBLIC_CHANNEL, o->time,
				       &recorded, &skipped, &err);
	pl_ledger_close(lg);
	for (size_t k = 0; k < o->n_keys; k++)
		pl_key_wipe(&keys[k]);
	if (rc)
		return cli_report("roadmap", &err);
	char line[8192];
	snprintf(line, sizeof line,
		 "parley roadmap: recorded %zu steps as commitments in %s (%zu left to "
		 "parties without a --key)",
		 recorded, o->ledger, skipped);
	cli_print_wrapped(stderr, line, 0, 2);
	return 0;
}

static int parse(int argc, char **argv, opts *o)
{
	static const struct option longs[] = {{"format", required_argument, 0, 'f'},
					      {"output", required_argument, 0, 'o'},
					      {"case", required_argument, 0, 'c'},
					      {"trust", required_argument, 0, 't'},
					      {"trust-weight", required_argument, 0, 'w'},
					      {"ledger", required_argument, 0, 'l'},
					      {"key", required_argument, 0, 'k'},
					      {"channel", required_argument, 0, 'C'},
					      {"time", required_argument, 0, 'T'},
					      {"node-limit", required_argument, 0, 'n'},
					      {"help", no_argument, 0, 'h'},
					      {0, 0, 0, 0}};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, ":f:o:h", longs, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 'f': o->format = optarg; break;
		case 'o': o->out = optarg; break;
		case 'c': o->case_path = optarg; break;
		case 't': o->trust = optarg; break;
		case 'w':
			o->trust_weight = strtod(optarg, &end);
			if (*end || end == optarg ||
			    !(o->trust_weight >= 0 && o->trust_weight <= 1))
				return cli_usage_error(
					"roadmap", "--trust-weight '%s' must be in [0, 1]", optarg);
			break;
		case 'l': o->ledger = optarg; break;
		case 'k':
			if (o->n_keys == sizeof o->keys / sizeof o->keys[0])
				return cli_usage_error("roadmap", "at most 16 --key files");
			o->keys[o->n_keys++] = optarg;
			break;
		case 'C': o->channel = optarg; break;
		case 'T': o->time = optarg; break;
		case 'n':
			if (cli_parse_u64(optarg, 1, UINT64_MAX / 2, &o->node_limit))
				return cli_usage_error("roadmap",
						       "--node-limit '%s' must be a whole "
						       "number >= 1",
						       optarg);
			break;
		case 'h': fputs(usage_text, stdout); return -1;
		default: return cli_bad_option("roadmap", ch, argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("roadmap", "one roadmap file is needed");
	o->path = cli_data_file(argv[optind], o->path_buf, sizeof o->path_buf);
	if (o->case_path)
		o->case_path = cli_data_file(o->case_path, o->case_buf, sizeof o->case_buf);
	if (strcmp(o->format, "table") && strcmp(o->format, "json") && strcmp(o->format, "csv"))
		return cli_usage_error("roadmap", "--format '%s' must be table, json or csv",
				       o->format);
	if (!o->ledger != !o->n_keys)
		return cli_usage_error("roadmap", "--ledger and --key go together");
	return 0;
}

static int apply(const opts *o, pl_roadmap *r, pl_error *err)
{
	int rc = PL_OK;
	if (o->case_path) {
		pl_case *c = NULL;
		rc = pl_case_read_file(o->case_path, PL_FORMAT_AUTO, &c, err);
		if (!rc)
			rc = pl_roadmap_apply_case(r, c, err);
		pl_case_free(c);
	}
	if (!rc && o->trust) {
		pl_ledger *lg = NULL;
		pl_trust *t = NULL;
		size_t nt = 0;
		pl_trust_params tp;
		pl_trust_params_default(&tp);
		rc = pl_ledger_open_read_only(o->trust, &lg, err);
		if (!rc)
			rc = pl_ledger_trust(lg, NULL, NULL, &tp, &t, &nt, err);
		if (!rc)
			rc = pl_roadmap_apply_trust(r, t, nt, o->trust_weight, err);
		free(t);
		pl_ledger_close(lg);
	}
	return rc;
}

int cmd_roadmap(int argc, char **argv)
{
	opts o = {.format = "table", .trust_weight = 1};
	int st = parse(argc, argv, &o);
	if (st)
		return st < 0 ? 0 : st;
	if ((st = cli_check_output("roadmap", "roadmap", o.path, o.out)))
		return st;
	pl_error err;
	pl_error_clear(&err);
	pl_roadmap *r = NULL;
	pl_roadmap_plan *pl = NULL;
	pl_roadmap_options opt = {.node_limit = o.node_limit};
	char *doc = NULL;
	int rc = pl_roadmap_read_file(o.path, &r, &err);
	if (!rc)
		rc = apply(&o, r, &err);
	if (!rc)
		rc = pl_roadmap_solve(r, &opt, &pl, &err);
	if (!rc && strcmp(o.format, "json") == 0)
		rc = pl_roadmap_plan_json(&doc, r, pl, &err);
	else if (!rc && strcmp(o.format, "csv") == 0)
		rc = pl_roadmap_plan_csv(&doc, r, pl, &err);
	cli_out out;
	if (!rc && cli_out_open(&out) != 0)
		rc = pl_error_set(&err, PL_ENOMEM, NULL, "out of memory");
	if (rc) {
		st = cli_report("roadmap", &err);
	} else {
		if (doc)
			fputs(doc, out.f);
		else
			print_table(out.f, r, pl);
		st = cli_out_close("roadmap", &out, o.out);
	}
	if (!st && o.ledger)
		st = pl && pl->feasible
			     ? record(&o, r, pl)
			     : cli_usage_error("roadmap", "no plan to record in %s", o.ledger);
	pl_free(doc);
	pl_roadmap_plan_free(pl);
	pl_roadmap_free(r);
	return st;
}
