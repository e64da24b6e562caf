/* cmd_ledger_replay.c - `parley ledger replay` (builds a ledger from a
 * history script such as data/ledger/korea-2007.json: pl_ledger_replay),
 * `parley ledger status` (the commitments and the trust table as a terminal
 * table, or the library's status document), and the input-file reader the
 * ledger commands share. */
#include "cli.h"
#include "cmd_ledger.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>

int cli_ledger_replay(int argc, char **argv)
{
	const char *cmd = "ledger replay";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "script keys seed", &a, cmd))
		return 2;
	const char *script = cli_ledger_opt(&a, "script"), *dir = cli_ledger_opt(&a, "keys");
	char script_buf[4096];
	script = cli_data_file(script, script_buf, sizeof script_buf);
	if (a.npos != 1 || !script || !dir)
		return cli_usage_error(cmd, "needs DB, --script and --keys");
	pl_error err;
	pl_error_clear(&err);
	uint64_t n = 0;
	if (pl_ledger_replay(a.pos[0], script, dir, cli_ledger_opt(&a, "seed"), &n, &err) != PL_OK)
		return cli_report(cmd, &err);
	printf("replayed %s\ninto %s: %" PRIu64 " entries, checkpoint signed and cosigned\n",
	       script, a.pos[0], n);
	return 0;
}

static void print_status(pl_ledger *lg, const char *viewer, const char *as_of,
			 const pl_commitment *c, size_t nc, const pl_trust *t, size_t nt,
			 double half_life, int wide)
{
	int cut = 0;
	printf("ledger %s: %" PRIu64 " entries\nseen by %s%s%s\n\n", pl_ledger_origin(lg),
	       pl_ledger_size(lg), viewer ? viewer : "the log operator (every channel)",
	       as_of ? ", as of " : "", as_of ? as_of : "");
	printf("commitments\n%4s %-6s %-9s %-11s %-10s %-10s %s\n", "#", "party", "channel",
	       "state", "since", "deadline", "action");
	for (size_t i = 0; i < nc; i++) {
		printf("%4" PRIu64 " %-6.6s %-9.9s %-11s %-10.10s %-10.10s ", c[i].index,
		       c[i].party, c[i].channel, pl_commitment_state_name(c[i].state), c[i].since,
		       c[i].deadline[0] ? c[i].deadline : "-");
		if (wide) { /* the whole action, wrapped under its column */
			cli_print_wrapped(stdout, c[i].action, 56, 56);
			continue;
		}
		cli_print_text(stdout, c[i].action, 24, 0);
		putchar('\n');
		cut |= cli_text_columns(c[i].action) > 24;
	}
	if (cut)
		printf("(actions cut at 24 columns: --wide shows them whole)\n");
	printf("\ntrust (beta reputation, half-life %.0f days; 0.50 = no record)\n", half_life);
	printf("  %-10s %-13s %5s %6s %5s %6s\n", "party", "role", "kept", "broken", "open",
	       "trust");
	for (size_t i = 0; i < nt; i++)
		printf("  %-10.10s %-13.13s %5d %6d %5d %6.3f\n", t[i].party,
		       pl_ledger_party_role(lg, i), t[i].kept, t[i].broken, t[i].open, t[i].score);
}

int cli_ledger_status(int argc, char **argv)
{
	const char *cmd = "ledger status";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "key as-of half-life json! wide!", &a, cmd))
		return 2;
	if (a.npos != 1)
		return cli_usage_error(cmd, "needs DB");
	pl_trust_params p;
	pl_trust_params_default(&p);
	const char *hl = cli_ledger_opt(&a, "half-life"), *as_of = cli_ledger_opt(&a, "as-of");
	if (hl) {
		char *end;
		p.half_life_days = strtod(hl, &end);
		if (*end || !(p.half_life_days > 0))
			return cli_usage_error(cmd,
					       "--half-life must be a positive number of days");
	}
	pl_ledger *lg;
	int st = cli_ledger_open_ro(cmd, a.pos[0], &lg);
	if (st)
		return st;
	pl_error err;
	pl_error_clear(&err);
	const char *viewer = NULL;
	pl_key k;
	const char *kf = cli_ledger_opt(&a, "key");
	if (kf && (pl_key_read_file(kf, &k, &err) != PL_OK ||
		   pl_ledger_check_viewer(lg, &k, &err) != PL_OK)) {
		pl_ledger_close(lg);
		return cli_report(cmd, &err);
	}
	if (kf && strcmp(k.name, pl_ledger_log_key(lg)->name) != 0)
		viewer = k.name;
	pl_commitment *c = NULL;
	pl_trust *t = NULL;
	size_t nc = 0, nt = 0;
	char *doc = NULL;
	if (cli_ledger_opt(&a, "json")) {
		if (pl_ledger_status_json(&doc, lg, viewer, as_of, &p, &err) != PL_OK)
			st = cli_report(cmd, &err);
		else
			printf("%s\n", doc);
		pl_free(doc);
	} else if (pl_ledger_commitments(lg, viewer, as_of, &c, &nc, &err) != PL_OK ||
		   pl_ledger_trust(lg, viewer, as_of, &p, &t, &nt, &err) != PL_OK) {
		st = cli_report(cmd, &err);
	} else {
		print_status(lg, viewer, as_of, c, nc, t, nt, p.half_life_days,
			     cli_ledger_opt(&a, "wide") != NULL);
	}
	free(c);
	free(t);
	pl_ledger_close(lg);
	return st;
}

static int input_error(const char *cmd, const char *path, const char *why, const char *what)
{
	fprintf(stderr, "parley %s: %s: %s, not a %s\n", cmd, path, why, what);
	return 2;
}

/* Reads a whole input file ("-": standard input) into *text, or says why
 * not, naming the file and what it should have been, and returns 2. */
int cli_ledger_read(const char *cmd, const char *path, const char *what, char **text)
{
	int is_stdin = strcmp(path, "-") == 0;
	struct stat sb;
	*text = NULL;
	if (!is_stdin && stat(path, &sb) != 0)
		return input_error(cmd, path, errno == ENOENT ? "no such file" : strerror(errno),
				   what);
	if (!is_stdin && S_ISDIR(sb.st_mode))
		return input_error(cmd, path, "is a directory", what);
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return input_error(cmd, path, strerror(errno), what);
	size_t cap = 4096, n = 0, got;
	char *buf = malloc(cap);
	const char *why = buf ? NULL : "out of memory";
	while (!why && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 < cap)
			continue;
		char *p = cap < (64u << 20) ? realloc(buf, cap * 2) : NULL;
		if (!p)
			why = cap < (64u << 20) ? "out of memory" : "larger than 64 MiB";
		else
			buf = p;
		cap *= 2;
	}
	if (!why && ferror(f))
		why = strerror(errno);
	if (f != stdin)
		fclose(f);
	if (!why && n == 0)
		why = "is empty";
	if (!why && memchr(buf, '\0', n))
		why = "holds a NUL byte";
	if (why) {
		free(buf);
		return input_error(cmd, path, why, what);
	}
	buf[n] = '\0';
	*text = buf;
	return 0;
}

/* An error in a note the user gave names its file. */
const pl_error *cli_ledger_name_note(pl_error *err, const char *path)
{
	if (strcmp(err->where, "note") == 0 || strcmp(err->where, "checkpoint") == 0) {
		char w[PL_ERROR_WHERE_MAX];
		snprintf(w, sizeof w, "%s: %s", path, err->where);
		snprintf(err->where, sizeof err->where, "%s", w);
	}
	return err;
}
