/* cmd_ledger_entry.c - the `parley ledger` commands that add entries:
 * `party add`, `channel add`, `append` (one entry, a batch, or an entry
 * signed elsewhere) and `sign` (an entry signed offline, with no database,
 * for the log operator to append later; docs/ledger.md, "Entries signed
 * offline"). */
#include "cli.h"
#include "cmd_ledger.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

int cli_ledger_append_one(const char *cmd, pl_ledger *lg, pl_entry_kind kind, const char *ch,
			  const char *time, const char *body, const pl_key *author)
{
	pl_entry_in in = {kind, ch, time, body, author, NULL};
	pl_error err;
	pl_error_clear(&err);
	uint64_t idx = 0;
	if (pl_ledger_append(lg, &in, 1, &idx, &err) != PL_OK)
		return cli_report(cmd, &err);
	printf("appended entry %" PRIu64 " (%s)\n", idx, pl_entry_kind_name(kind));
	return 0;
}

int cli_ledger_party_add(int argc, char **argv)
{
	const char *cmd = "ledger party add";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "log-key id pub name role time", &a, cmd))
		return 2;
	const char *kf = cli_ledger_opt(&a, "log-key"), *id = cli_ledger_opt(&a, "id"),
		   *pub = cli_ledger_opt(&a, "pub"), *name = cli_ledger_opt(&a, "name"),
		   *role = cli_ledger_opt(&a, "role");
	if (a.npos != 1 || !kf || !id || !pub || !name || !role)
		return cli_usage_error(cmd, "needs DB, --log-key, --id, --pub, --name and --role");
	pl_key log, pk;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &log, &err) != PL_OK || pl_key_read_file(pub, &pk, &err) != PL_OK)
		return cli_report(cmd, &err);
	pl_ledger *lg;
	uint64_t idx = 0;
	int st = cli_ledger_open(cmd, a.pos[0], &lg);
	if (!st && pl_ledger_add_party(lg, &log, id, &pk, name, role, cli_ledger_opt(&a, "time"),
				       &idx, &err) != PL_OK)
		st = cli_report(cmd, &err);
	else if (!st)
		printf("appended entry %" PRIu64 " (party)\n", idx);
	pl_ledger_close(lg);
	pl_key_wipe(&log);
	return st;
}

int cli_ledger_channel_add(int argc, char **argv)
{
	const char *cmd = "ledger channel add";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "log-key id name members time", &a, cmd))
		return 2;
	const char *kf = cli_ledger_opt(&a, "log-key"), *id = cli_ledger_opt(&a, "id"),
		   *name = cli_ledger_opt(&a, "name"), *members = cli_ledger_opt(&a, "members");
	if (a.npos != 1 || !kf || !id || !name || !members)
		return cli_usage_error(cmd, "needs DB, --log-key, --id, --name and --members");
	pl_key log;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &log, &err) != PL_OK)
		return cli_report(cmd, &err);
	/* A,B,...: the members (empty names between commas are skipped) */
	char *copy = strdup(members), *save = NULL;
	const char **m = calloc(strlen(members) / 2 + 2, sizeof *m);
	size_t nm = 0;
	for (char *t = copy && m ? strtok_r(copy, ",", &save) : NULL; t;
	     t = strtok_r(NULL, ",", &save))
		m[nm++] = t;
	pl_ledger *lg = NULL;
	uint64_t idx = 0;
	int st = copy && m ? cli_ledger_open(cmd, a.pos[0], &lg)
			   : cli_usage_error(cmd, "out of memory");
	if (!st && pl_ledger_add_channel(lg, &log, id, name, m, nm, cli_ledger_opt(&a, "time"),
					 &idx, &err) != PL_OK)
		st = cli_report(cmd, &err);
	else if (!st)
		printf("appended entry %" PRIu64 " (channel)\n", idx);
	pl_ledger_close(lg);
	free(m);
	free(copy);
	pl_key_wipe(&log);
	return st;
}

static int kind_of(const char *kind)
{
	for (int i = PL_ENTRY_COMMITMENT; kind && i < PL_ENTRY_KIND_COUNT; i++)
		if (strcmp(kind, pl_entry_kind_name((pl_entry_kind)i)) == 0)
			return i;
	return -1;
}

static int do_batch(const char *cmd, const char *db, const char *kf, const char *path)
{
	pl_key key;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(kf, &key, &err) != PL_OK)
		return cli_report(cmd, &err);
	pl_entry_in *in = NULL;
	size_t n = 0;
	pl_ledger *lg = NULL;
	uint64_t first;
	char *text = NULL;
	int st = cli_ledger_read(cmd, path, "batch file (JSON lines)", &text);
	if (!st && pl_entry_lines_parse(&in, &n, text, strlen(text), path, &err) != PL_OK)
		st = cli_report(cmd, &err);
	for (size_t i = 0; !st && i < n; i++)
		in[i].author = &key;
	if (!st && n == 0)
		st = cli_usage_error(cmd, "%s holds no entries", path);
	if (!st)
		st = cli_ledger_open(cmd, db, &lg);
	if (!st && pl_ledger_append(lg, in, n, &first, &err) != PL_OK)
		st = cli_report(cmd, &err);
	else if (!st)
		printf("appended entries %" PRIu64 " to %" PRIu64 " in one transaction\n", first,
		       first + n - 1);
	pl_ledger_close(lg);
	pl_free(in);
	free(text);
	pl_key_wipe(&key);
	return st;
}

/* An entry signed elsewhere (`parley ledger sign`), under the same rules. */
static int append_signed(const char *cmd, const char *db, const char *path)
{
	char *doc;
	if (cli_ledger_read(cmd, path, "signed entry (JSON)", &doc))
		return 2;
	pl_ledger *lg = NULL;
	pl_error err;
	pl_error_clear(&err);
	uint64_t idx = 0;
	int st = cli_ledger_open(cmd, db, &lg);
	if (!st && pl_ledger_append_signed_doc(lg, doc, strlen(doc), &idx, &err) != PL_OK) {
		if (err.where[0] == '$' || strcmp(err.where, "signed entry") == 0) {
			char w[PL_ERROR_WHERE_MAX];
			snprintf(w, sizeof w, "%s: %s", path, err.where);
			snprintf(err.where, sizeof err.where, "%s", w);
		}
		st = cli_report(cmd, &err);
	} else if (!st) {
		printf("appended entry %" PRIu64 " (signed offline)\n", idx);
	}
	pl_ledger_close(lg);
	free(doc);
	return st;
}

/* The log origin an offline entry is signed for: --origin, or read from a
 * copy of the ledger (opened read-only). */
static int sign_origin(const char *cmd, const cli_ledger_args *a, char *origin, size_t size)
{
	const char *o = cli_ledger_opt(a, "origin"), *db = cli_ledger_opt(a, "ledger");
	if (!o == !db)
		return cli_usage_error(cmd, "give the log's origin with --origin ORIGIN or "
					    "--ledger DB (one of them)");
	if (o) {
		snprintf(origin, size, "%s", o);
		return 0;
	}
	pl_ledger *lg;
	int st = cli_ledger_open_ro(cmd, db, &lg);
	if (!st)
		snprintf(origin, size, "%s", pl_ledger_origin(lg));
	pl_ledger_close(lg);
	return st;
}

int cli_ledger_sign(int argc, char **argv)
{
	const char *cmd = "ledger sign";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "key origin ledger kind channel time body body-file", &a,
			     cmd))
		return 2;
	const char *kf = cli_ledger_opt(&a, "key"), *kind = cli_ledger_opt(&a, "kind"),
		   *body = cli_ledger_opt(&a, "body"), *bf = cli_ledger_opt(&a, "body-file");
	int ki = kind_of(kind);
	if (a.npos != 0 || !kf || !kind || (!body == !bf))
		return cli_usage_error(cmd, "needs --key, --kind and --body or --body-file (and no "
					    "DB: use --origin or --ledger)");
	if (ki < 0)
		return cli_usage_error(cmd,
				       "--kind '%s' is not commitment, verification, "
				       "statement or withdrawal",
				       kind);
	char origin[PL_LEDGER_NAME_MAX + 1], *text = NULL, *doc = NULL;
	if (sign_origin(cmd, &a, origin, sizeof origin))
		return 2;
	if (bf && cli_ledger_read(cmd, bf, "JSON body", &text))
		return 2;
	pl_key key;
	pl_error err;
	pl_error_clear(&err);
	pl_entry_in in = {(pl_entry_kind)ki,
			  cli_ledger_opt(&a, "channel"),
			  cli_ledger_opt(&a, "time"),
			  bf ? text : body,
			  &key,
			  NULL};
	int st = 0;
	if (pl_key_read_file(kf, &key, &err) != PL_OK || pl_entry_sign(&doc, origin, &in, &err))
		st = cli_report(cmd, &err);
	else
		printf("%s\n", doc);
	pl_free(doc);
	pl_key_wipe(&key);
	free(text);
	return st;
}

int cli_ledger_append(int argc, char **argv)
{
	const char *cmd = "ledger append";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "key kind channel time body body-file batch signed", &a,
			     cmd))
		return 2;
	if (cli_ledger_opt(&a, "signed")) {
		if (a.npos != 1 || a.nopt != 1)
			return cli_usage_error(cmd, "--signed needs DB and no other option (the "
						    "entry is signed already)");
		return append_signed(cmd, a.pos[0], cli_ledger_opt(&a, "signed"));
	}
	if (cli_ledger_opt(&a, "batch")) {
		if (a.npos != 1 || !cli_ledger_opt(&a, "key") || cli_ledger_opt(&a, "kind") ||
		    cli_ledger_opt(&a, "body") || cli_ledger_opt(&a, "body-file"))
			return cli_usage_error(cmd, "--batch needs DB and --key and no --kind or "
						    "--body");
		return do_batch(cmd, a.pos[0], cli_ledger_opt(&a, "key"),
				cli_ledger_opt(&a, "batch"));
	}
	const char *kf = cli_ledger_opt(&a, "key"), *kind = cli_ledger_opt(&a, "kind"),
		   *body = cli_ledger_opt(&a, "body"), *bf = cli_ledger_opt(&a, "body-file");
	int ki = kind_of(kind);
	pl_entry_kind k = ki < 0 ? PL_ENTRY_KIND_COUNT : (pl_entry_kind)ki;
	if (a.npos != 1 || !kf || !kind || (!body == !bf))
		return cli_usage_error(cmd, "needs DB, --key, --kind and --body or --body-file");
	if (k == PL_ENTRY_KIND_COUNT)
		return cli_usage_error(cmd,
				       "--kind '%s' is not commitment, verification, "
				       "statement or withdrawal (use 'party add' and 'channel "
				       "add' for registrations)",
				       kind);
	char *text = NULL;
	if (bf && cli_ledger_read(cmd, bf, "JSON body", &text))
		return 2;
	pl_key key;
	pl_error err;
	pl_error_clear(&err);
	pl_ledger *lg = NULL;
	int st = pl_key_read_file(kf, &key, &err) != PL_OK ? cli_report(cmd, &err) : 0;
	if (!st)
		st = cli_ledger_open(cmd, a.pos[0], &lg);
	if (!st)
		st = cli_ledger_append_one(cmd, lg, k, cli_ledger_opt(&a, "channel"),
					   cli_ledger_opt(&a, "time"), bf ? text : body, &key);
	pl_ledger_close(lg);
	pl_key_wipe(&key);
	free(text);
	return st;
}
