/* cmd_ledger.c - `parley ledger`: the commitment and verification ledger
 * (keys, parties, channels, entries, proofs, checkpoints, witnesses,
 * bundles, audit, commitments and trust).  docs/ledger.md is the manual. */
#include "cli.h"
#include "cmd_ledger.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

static const char usage_text[] =
	"usage: parley ledger SUBCOMMAND ...\n"
	"\n"
	"  keygen NAME [--out PREFIX]          write PREFIX.key (0600) and PREFIX.pub\n"
	"  init DB --origin ORIGIN --log-key KEY\n"
	"  party add DB --log-key KEY --id ID --pub FILE --name NAME --role ROLE\n"
	"            [--time T]\n"
	"  channel add DB --log-key KEY --id ID --name NAME --members A,B,... [--time T]\n"
	"  append DB --key KEY --kind KIND [--channel C] [--time T]\n"
	"         --body JSON|--body-file F\n"
	"  append DB --key KEY --batch FILE     one transaction: JSON lines of\n"
	"                                       {\"kind\",\"channel\",\"time\",\"body\"}\n"
	"  append DB --signed FILE              an entry signed offline by 'sign'\n"
	"  sign --key KEY --origin ORIGIN|--ledger DB --kind KIND [--channel C]\n"
	"       [--time T] --body JSON|--body-file F\n"
	"                                       sign an entry offline (no database)\n"
	"  replay DB --script FILE --keys DIR [--seed N]   build a ledger from a history\n"
	"  show DB INDEX [--key KEY]            an entry (the body: channel members only)\n"
	"  status DB [--key KEY] [--as-of T] [--half-life DAYS] [--wide] [--json]\n"
	"                                       commitments and trust (--wide: each\n"
	"                                       action whole, not cut at 24 columns)\n"
	"  proof DB --index N [--size S] | proof DB --from S1 [--to S2]\n"
	"  checkpoint DB --log-key KEY          sign the current tree head\n"
	"  checkpoint DB --add NOTE             attach a witness's cosignatures\n"
	"  checkpoint DB --latest               print the latest stored checkpoint\n"
	"  witness DB --key KEY --state FILE [--time UNIX]   check consistency, cosign\n"
	"  cosign --checkpoint NOTE --key KEY --log-pub FILE --state FILE [--proof FILE]\n"
	"         [--time UNIX] [--out FILE]    the same as an independent witness\n"
	"  bundle DB INDEX [--key KEY] [--out FILE]          entry + proof + checkpoint\n"
	"  verify BUNDLE --log-pub FILE [--witness FILE]...  offline, no database\n"
	"  audit DB                             re-verify every signature and the tree\n"
	"\n"
	"KIND is commitment, verification, statement or withdrawal; times are\n"
	"YYYY-MM-DDTHH:MM:SSZ.  --key names a party's secret key: the command acts as\n"
	"that party (reading only its channels); without it, as the log operator.\n"
	"show, status, proof, bundle, audit and checkpoint --latest only read DB: they\n"
	"work on a ledger you may not write and never change it.\n"
	"Exit status: 0 ok, 1 failure (a verification or an audit that fails), 2 bad\n"
	"usage or input (a missing, empty or truncated file, a directory, not a ledger\n"
	"or bundle, an entry that breaks a rule).\n";

int cli_ledger_fail(const char *cmd, pl_error *err)
{
	return cli_report(cmd, err);
}

/* Splits argv into positional arguments and --name value options; only the
 * names in allowed (space separated, flags end with '!') are accepted. */
int cli_ledger_parse(int argc, char **argv, const char *allowed, cli_ledger_args *a,
		     const char *cmd)
{
	memset(a, 0, sizeof *a);
	for (int k = 0; k < argc; k++) {
		const char *s = argv[k];
		if (s[0] != '-' || s[1] != '-') {
			if (a->npos == CLI_LEDGER_MAX)
				return cli_usage_error(cmd, "too many arguments");
			a->pos[a->npos++] = s;
			continue;
		}
		char want[64];
		snprintf(want, sizeof want, " %s ", s + 2);
		char flag[64];
		snprintf(flag, sizeof flag, " %s! ", s + 2);
		char list[512];
		snprintf(list, sizeof list, " %s ", allowed);
		int is_flag = strstr(list, flag) != NULL;
		if (!is_flag && !strstr(list, want))
			return cli_usage_error(cmd, "unknown option '%s'", s);
		if (a->nopt == CLI_LEDGER_MAX)
			return cli_usage_error(cmd, "too many options");
		a->name[a->nopt] = s + 2;
		if (is_flag) {
			a->value[a->nopt++] = "1";
		} else {
			if (k + 1 >= argc)
				return cli_usage_error(cmd, "option '%s' needs a value", s);
			a->value[a->nopt++] = argv[++k];
		}
	}
	return 0;
}

const char *cli_ledger_opt(const cli_ledger_args *a, const char *name)
{
	for (int i = a->nopt - 1; i >= 0; i--)
		if (strcmp(a->name[i], name) == 0)
			return a->value[i];
	return NULL;
}

int cli_ledger_u64(const char *cmd, const char *what, const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-')
		return cli_usage_error(cmd, "%s must be a non-negative integer", what);
	if (cli_parse_u64(s, 0, UINT64_MAX, out))
		return cli_usage_error(cmd, "%s '%s' is not a non-negative integer", what, s);
	return 0;
}

int cli_ledger_open(const char *cmd, const char *db, pl_ledger **lg)
{
	pl_error err;
	pl_error_clear(&err);
	*lg = NULL;
	if (!db)
		return cli_usage_error(cmd, "which ledger database?");
	if (pl_ledger_open(db, lg, &err) != PL_OK)
		return cli_report(cmd, &err);
	return 0;
}

/* For the commands that only read: works on a ledger the user may not
 * write and never changes it. */
int cli_ledger_open_ro(const char *cmd, const char *db, pl_ledger **lg)
{
	pl_error err;
	pl_error_clear(&err);
	*lg = NULL;
	if (!db)
		return cli_usage_error(cmd, "which ledger database?");
	if (pl_ledger_open_read_only(db, lg, &err) != PL_OK)
		return cli_report(cmd, &err);
	return 0;
}

/* --key: the party the command acts as (NULL viewer: the operator). */
static int viewer_of(const char *cmd, pl_ledger *lg, const char *keyfile, pl_key *k,
		     const char **viewer)
{
	pl_error err;
	pl_error_clear(&err);
	*viewer = NULL;
	if (!keyfile)
		return 0;
	if (pl_key_read_file(keyfile, k, &err) != PL_OK ||
	    pl_ledger_check_viewer(lg, k, &err) != PL_OK)
		return cli_report(cmd, &err);
	if (strcmp(k->name, pl_ledger_log_key(lg)->name) != 0)
		*viewer = k->name;
	return 0;
}

static int print_and_free(char *s)
{
	fputs(s, stdout);
	if (s[0] && s[strlen(s) - 1] != '\n')
		putchar('\n');
	free(s);
	return 0;
}

static int do_keygen(int argc, char **argv)
{
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "out", &a, "ledger keygen"))
		return 2;
	if (a.npos != 1)
		return cli_usage_error("ledger keygen", "give one key NAME");
	char prefix[1024], sk[1100], pk[1100];
	const char *out = cli_ledger_opt(&a, "out");
	snprintf(prefix, sizeof prefix, "%s", out ? out : a.pos[0]);
	for (char *p = out ? NULL : prefix; p && *p; p++)
		if (*p == '/')
			*p = '_';
	snprintf(sk, sizeof sk, "%s.key", prefix);
	snprintf(pk, sizeof pk, "%s.pub", prefix);
	/* a new key must never replace a party's registered one */
	if (access(sk, F_OK) == 0 || access(pk, F_OK) == 0) {
		fprintf(stderr,
			"parley ledger keygen: %s: exists already; a new key would lock its "
			"owner out of the ledger (move it away first)\n",
			access(sk, F_OK) == 0 ? sk : pk);
		return 2;
	}
	pl_key k;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_key_generate(a.pos[0], &k, &err);
	if (rc == PL_OK)
		rc = pl_key_write_secret(&k, sk, &err);
	if (rc == PL_OK)
		rc = pl_key_write_public(&k, pk, &err);
	pl_key_wipe(&k);
	if (rc != PL_OK)
		return cli_report("ledger keygen", &err);
	printf("%s\n%s\n", sk, pk);
	return 0;
}

static int do_init(int argc, char **argv)
{
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "origin log-key", &a, "ledger init"))
		return 2;
	const char *origin = cli_ledger_opt(&a, "origin"), *kf = cli_ledger_opt(&a, "log-key");
	if (a.npos != 1 || !origin || !kf)
		return cli_usage_error("ledger init", "needs DB, --origin and --log-key");
	pl_key k;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &k, &err) != PL_OK ||
	    pl_ledger_create(a.pos[0], origin, &k, &err) != PL_OK)
		return cli_report("ledger init", &err);
	pl_key_wipe(&k);
	printf("created %s for log %s\n", a.pos[0], origin);
	return 0;
}

/* The "DB INDEX [--key FILE]" commands: parses, opens the ledger and
 * resolves the viewer whose channels may be read.  On success the caller
 * closes *lg. */
static int open_at_index(const char *cmd, int argc, char **argv, const char *opts,
			 cli_ledger_args *a, uint64_t *idx, pl_ledger **lg, pl_key *k,
			 const char **viewer)
{
	if (cli_ledger_parse(argc, argv, opts, a, cmd))
		return 2;
	if (a->npos != 2)
		return cli_usage_error(cmd, "needs DB and INDEX");
	if (cli_ledger_u64(cmd, "INDEX", a->pos[1], idx))
		return 2;
	int st = cli_ledger_open_ro(cmd, a->pos[0], lg);
	if (!st && (st = viewer_of(cmd, *lg, cli_ledger_opt(a, "key"), k, viewer)) != 0) {
		pl_ledger_close(*lg);
		*lg = NULL;
	}
	return st;
}

static int do_show(int argc, char **argv)
{
	const char *cmd = "ledger show";
	cli_ledger_args a;
	uint64_t idx = 0;
	pl_ledger *lg = NULL;
	pl_key k;
	const char *viewer = NULL;
	char *js;
	pl_error err;
	pl_error_clear(&err);
	int st = open_at_index(cmd, argc, argv, "key", &a, &idx, &lg, &k, &viewer);
	if (st)
		return st;
	st = pl_ledger_show(lg, idx, viewer, &js, &err) != PL_OK ? cli_report(cmd, &err)
								 : print_and_free(js);
	pl_ledger_close(lg);
	return st;
}

static int do_proof(int argc, char **argv)
{
	const char *cmd = "ledger proof";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "index size from to", &a, cmd))
		return 2;
	const char *si = cli_ledger_opt(&a, "index"), *sf = cli_ledger_opt(&a, "from");
	if (a.npos != 1 || !si == !sf)
		return cli_usage_error(cmd, "needs DB and either --index N or --from SIZE");
	pl_ledger *lg;
	int st = cli_ledger_open_ro(cmd, a.pos[0], &lg);
	if (st)
		return st;
	uint64_t x = 0, size = pl_ledger_size(lg);
	const char *ss = cli_ledger_opt(&a, si ? "size" : "to");
	char *js = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (cli_ledger_u64(cmd, si ? "--index" : "--from", si ? si : sf, &x) ||
	    (ss && cli_ledger_u64(cmd, si ? "--size" : "--to", ss, &size)))
		st = 2;
	else if ((si ? pl_ledger_inclusion_proof(lg, x, size, &js, &err)
		     : pl_ledger_consistency_proof(lg, x, size, &js, &err)) != PL_OK)
		st = cli_report(cmd, &err);
	else
		st = print_and_free(js);
	pl_ledger_close(lg);
	return st;
}

static int attach_cosignatures(const char *cmd, const char *db, const char *path)
{
	char *note;
	if (cli_ledger_read(cmd, path, "cosigned checkpoint note", &note))
		return 2;
	pl_ledger *lg;
	pl_error err;
	pl_error_clear(&err);
	size_t added = 0;
	int st = cli_ledger_open(cmd, db, &lg);
	if (!st && pl_ledger_add_cosignatures(lg, note, &added, &err) != PL_OK)
		st = cli_report(cmd, cli_ledger_name_note(&err, path));
	else if (!st)
		printf("attached %zu cosignature%s\n", added, added == 1 ? "" : "s");
	pl_ledger_close(lg);
	free(note);
	return st;
}

static int do_cosign(int argc, char **argv)
{
	const char *cmd = "ledger cosign";
	cli_ledger_args a;
	uint64_t t = (uint64_t)time(NULL);
	if (cli_ledger_parse(argc, argv, "checkpoint key log-pub state proof time out", &a, cmd))
		return 2;
	const char *cpf = cli_ledger_opt(&a, "checkpoint"), *kf = cli_ledger_opt(&a, "key"),
		   *lp = cli_ledger_opt(&a, "log-pub"), *state = cli_ledger_opt(&a, "state"),
		   *pf = cli_ledger_opt(&a, "proof"), *out = cli_ledger_opt(&a, "out");
	if (a.npos != 0 || !cpf || !kf || !lp || !state)
		return cli_usage_error(cmd, "needs --checkpoint, --key, --log-pub and --state");
	if (cli_ledger_opt(&a, "time") &&
	    cli_ledger_u64(cmd, "--time", cli_ledger_opt(&a, "time"), &t))
		return 2;
	pl_key k, log;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &k, &err) != PL_OK || pl_key_read_file(lp, &log, &err) != PL_OK)
		return cli_report(cmd, &err);
	char *note = NULL, *proof = NULL, *signed_note = NULL;
	int st = cli_ledger_read(cmd, cpf, "checkpoint note", &note);
	if (!st && pf)
		st = cli_ledger_read(cmd, pf, "consistency proof", &proof);
	if (st) {
		/* reported */
	} else if (pl_witness_cosign_offline(state, &k, &log, note, proof, t, &signed_note, &err) !=
		   PL_OK) {
		st = cli_report(cmd, cli_ledger_name_note(&err, cpf));
	} else if (out && pl_write_file_atomic(out, signed_note, strlen(signed_note), &err)) {
		st = cli_report(cmd, &err);
	} else if (!out) {
		fputs(signed_note, stdout);
	} else {
		printf("wrote %s\n", out);
	}
	free(note);
	free(proof);
	free(signed_note);
	pl_key_wipe(&k);
	return st;
}

/* The latest stored checkpoint with its cosignatures (reads only). */
static int print_latest(const char *cmd, const char *db)
{
	pl_ledger *lg;
	pl_error err;
	pl_error_clear(&err);
	char *note = NULL;
	int st = cli_ledger_open_ro(cmd, db, &lg);
	if (!st)
		st = pl_ledger_latest_checkpoint(lg, &note, &err) != PL_OK ? cli_report(cmd, &err)
									   : print_and_free(note);
	pl_ledger_close(lg);
	return st;
}

static int do_checkpoint(int argc, char **argv)
{
	const char *cmd = "ledger checkpoint";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "log-key add latest!", &a, cmd))
		return 2;
	const char *kf = cli_ledger_opt(&a, "log-key"), *add = cli_ledger_opt(&a, "add");
	int latest = cli_ledger_opt(&a, "latest") != NULL;
	if (a.npos != 1 || !!kf + !!add + latest != 1)
		return cli_usage_error(cmd, "needs DB and one of --log-key KEY, --add NOTE or "
					    "--latest");
	if (add)
		return attach_cosignatures(cmd, a.pos[0], add);
	if (latest)
		return print_latest(cmd, a.pos[0]);
	pl_key k;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &k, &err) != PL_OK)
		return cli_report(cmd, &err);
	pl_ledger *lg;
	char *note;
	int st = cli_ledger_open(cmd, a.pos[0], &lg);
	if (!st)
		st = pl_ledger_checkpoint(lg, &k, &note, &err) != PL_OK ? cli_report(cmd, &err)
									: print_and_free(note);
	pl_ledger_close(lg);
	pl_key_wipe(&k);
	return st;
}

static int do_witness(int argc, char **argv)
{
	const char *cmd = "ledger witness";
	cli_ledger_args a;
	uint64_t t = (uint64_t)time(NULL);
	if (cli_ledger_parse(argc, argv, "key state time", &a, cmd))
		return 2;
	const char *kf = cli_ledger_opt(&a, "key"), *state = cli_ledger_opt(&a, "state");
	if (a.npos != 1 || !kf || !state)
		return cli_usage_error(cmd, "needs DB, --key and --state");
	if (cli_ledger_opt(&a, "time") &&
	    cli_ledger_u64(cmd, "--time", cli_ledger_opt(&a, "time"), &t))
		return 2;
	pl_key k;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &k, &err) != PL_OK)
		return cli_report(cmd, &err);
	pl_ledger *lg;
	int st = cli_ledger_open(cmd, a.pos[0], &lg);
	if (!st && pl_ledger_witness(lg, &k, state, t, &err) != PL_OK)
		st = cli_report(cmd, &err);
	else if (!st)
		printf("%s cosigned the checkpoint of %" PRIu64 " entries\n", k.name,
		       pl_ledger_size(lg));
	pl_ledger_close(lg);
	pl_key_wipe(&k);
	return st;
}

static int do_bundle(int argc, char **argv)
{
	const char *cmd = "ledger bundle";
	cli_ledger_args a;
	uint64_t idx = 0;
	pl_ledger *lg = NULL;
	pl_key k;
	const char *viewer = NULL;
	char *js;
	pl_error err;
	pl_error_clear(&err);
	int st = open_at_index(cmd, argc, argv, "key out", &a, &idx, &lg, &k, &viewer);
	if (st)
		return st;
	const char *out = cli_ledger_opt(&a, "out");
	if (pl_ledger_bundle(lg, idx, viewer, &js, &err) != PL_OK) {
		st = cli_report(cmd, &err);
	} else if (out) {
		if (pl_write_file_atomic(out, js, strlen(js), &err) != PL_OK)
			st = cli_report(cmd, &err);
		else
			printf("wrote %s\n", out);
		free(js);
	} else {
		print_and_free(js);
	}
	pl_ledger_close(lg);
	return st;
}

static int do_verify(int argc, char **argv)
{
	const char *cmd = "ledger verify";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "log-pub witness", &a, cmd))
		return 2;
	const char *lp = cli_ledger_opt(&a, "log-pub");
	if (a.npos != 1 || !lp)
		return cli_usage_error(cmd, "needs BUNDLE and --log-pub");
	pl_key log, w[CLI_LEDGER_MAX];
	size_t nw = 0;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(lp, &log, &err) != PL_OK)
		return cli_report(cmd, &err);
	for (int i = 0; i < a.nopt; i++)
		if (strcmp(a.name[i], "witness") == 0 &&
		    pl_key_read_file(a.value[i], &w[nw++], &err) != PL_OK)
			return cli_report(cmd, &err);
	char *js;
	if (cli_ledger_read(cmd, a.pos[0], "ledger bundle", &js))
		return 2;
	/* a file that is not a bundle at all is bad input, not a failed check */
	if (pl_bundle_check_form(js, strlen(js), &err) != PL_OK) {
		char buf[2048];
		fprintf(stderr, "parley %s: %s: not a ledger bundle: %s\n", cmd, a.pos[0],
			pl_error_format(&err, buf, sizeof buf));
		free(js);
		return 2;
	}
	int rc = pl_bundle_verify(js, strlen(js), &log, w, nw, &err);
	free(js);
	if (rc != PL_OK) {
		char buf[2048];
		fprintf(stderr, "parley %s: %s: NOT VERIFIED: %s\n", cmd, a.pos[0],
			pl_error_format(&err, buf, sizeof buf));
		return rc == PL_EINPUT ? 1 : cli_report(cmd, &err);
	}
	printf("%s: verified (signature, inclusion, checkpoint signed by %s", a.pos[0], log.name);
	for (size_t i = 0; i < nw; i++)
		printf("%s%s", i ? ", " : "; cosigned by ", w[i].name);
	printf(")\n");
	return 0;
}

static int do_audit(int argc, char **argv)
{
	const char *cmd = "ledger audit";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "", &a, cmd))
		return 2;
	if (a.npos != 1)
		return cli_usage_error(cmd, "needs DB");
	pl_ledger *lg;
	pl_error err;
	pl_error_clear(&err);
	int st = 0;
	if (pl_ledger_open_read_only(a.pos[0], &lg, &err) != PL_OK) {
		/* not a ledger at all is bad input; a ledger too damaged to open fails */
		pl_error perr;
		pl_error_clear(&perr);
		if (pl_ledger_probe(a.pos[0], &perr) != PL_OK)
			return cli_report(cmd, &perr);
		char buf[2048];
		fprintf(stderr, "parley %s: %s: AUDIT FAILED: %s\n", cmd, a.pos[0],
			pl_error_format(&err, buf, sizeof buf));
		return 1;
	}
	uint64_t n;
	clock_t t0 = clock();
	if (pl_ledger_audit(lg, &n, &err) != PL_OK) {
		char buf[2048];
		fprintf(stderr, "parley %s: %s: AUDIT FAILED: %s\n", cmd, a.pos[0],
			pl_error_format(&err, buf, sizeof buf));
		st = 1;
	} else {
		printf("%s: audit passed: %" PRIu64 " entries, every signature, body, rule, "
		       "checkpoint and cosignature verified (%.2f s)\n",
		       a.pos[0], n, (double)(clock() - t0) / CLOCKS_PER_SEC);
	}
	pl_ledger_close(lg);
	return st;
}

int cmd_ledger(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int k = 2; k < argc; k++) /* 'parley ledger SUB --help': the list */
		if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
	const char *s = argv[1];
	int n = argc - 2;
	char **v = argv + 2;
	if ((strcmp(s, "party") == 0 || strcmp(s, "channel") == 0) &&
	    (argc < 3 || strcmp(argv[2], "add") != 0))
		return cli_usage_error("ledger", "'%s' takes the action 'add'", s);
	if (strcmp(s, "keygen") == 0)
		return do_keygen(n, v);
	if (strcmp(s, "init") == 0)
		return do_init(n, v);
	if (strcmp(s, "party") == 0)
		return cli_ledger_party_add(n - 1, v + 1);
	if (strcmp(s, "channel") == 0)
		return cli_ledger_channel_add(n - 1, v + 1);
	if (strcmp(s, "append") == 0)
		return cli_ledger_append(n, v);
	if (strcmp(s, "sign") == 0)
		return cli_ledger_sign(n, v);
	if (strcmp(s, "replay") == 0)
		return cli_ledger_replay(n, v);
	if (strcmp(s, "show") == 0)
		return do_show(n, v);
	if (strcmp(s, "status") == 0)
		return cli_ledger_status(n, v);
	if (strcmp(s, "proof") == 0)
		return do_proof(n, v);
	if (strcmp(s, "checkpoint") == 0)
		return do_checkpoint(n, v);
	if (strcmp(s, "witness") == 0)
		return do_witness(n, v);
	if (strcmp(s, "bundle") == 0)
		return do_bundle(n, v);
	if (strcmp(s, "cosign") == 0)
		return do_cosign(n, v);
	if (strcmp(s, "verify") == 0)
		return do_verify(n, v);
	if (strcmp(s, "audit") == 0)
		return do_audit(n, v);
	return cli_usage_error("ledger", "unknown subcommand '%s'", s);
}
