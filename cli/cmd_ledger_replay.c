/* cmd_ledger_replay.c - `parley ledger replay` (builds a ledger from a
 * history script such as data/ledger/korea-2007.json), `parley ledger
 * status` (the commitments and the trust table), and the input-file reader
 * the ledger commands share. */
#include "cli.h"
#include "cmd_ledger.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>

#include <jansson.h>
#include <sodium.h>

typedef struct replay {
	const char *cmd;
	const char *dir;
	const char *seed; /* NULL: fresh random keys and nonces */
	pl_ledger *lg;
	json_t *script;
	json_t *labels; /* label -> commitment leaf hash */
	pl_key log;
	pl_key *keys;
	size_t nkeys;
	pl_error err;
} replay;

/* "YYYY-MM-DDTHH:MM:SSZ" -> POSIX seconds (the witness's cosignature time). */
static uint64_t unix_time(const char *s)
{
	int y, mo, d, h, mi, se;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &se) != 6)
		return 0;
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	long doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
	return (uint64_t)(days * 86400L + h * 3600L + mi * 60L + se);
}

static void derive(const char *seed, const char *what, const char *name, uint8_t out[32])
{
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)what, strlen(what) + 1);
	crypto_hash_sha256_update(&st, (const uint8_t *)seed, strlen(seed) + 1);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, strlen(name));
	crypto_hash_sha256_final(&st, out);
}

/* DIR/name.key: read it, or make it (from the seed when there is one). */
static int load_key(replay *r, const char *name, pl_key *out)
{
	char sk[1024], pk[1024];
	snprintf(sk, sizeof sk, "%s/%s.key", r->dir, name);
	snprintf(pk, sizeof pk, "%s/%s.pub", r->dir, name);
	if (access(sk, F_OK) == 0)
		return pl_key_read_file(sk, out, &r->err);
	int rc;
	if (r->seed) {
		uint8_t s[32];
		derive(r->seed, "parley-replay-key", name, s);
		rc = pl_key_from_seed(name, s, out, &r->err);
		sodium_memzero(s, sizeof s);
	} else {
		rc = pl_key_generate(name, out, &r->err);
	}
	if (rc == PL_OK)
		rc = pl_key_write_secret(out, sk, &r->err);
	if (rc == PL_OK)
		rc = pl_key_write_public(out, pk, &r->err);
	return rc;
}

static const pl_key *key_of(replay *r, const char *name)
{
	for (size_t i = 0; name && i < r->nkeys; i++)
		if (strcmp(r->keys[i].name, name) == 0)
			return &r->keys[i];
	return NULL;
}

static int fail(replay *r, const char *where, const char *msg)
{
	return pl_error_set(&r->err, PL_EINPUT, where, "%s", msg);
}

/* Replaces "@label" commitments and "@sha256:TEXT" evidence in a body. */
static int resolve(replay *r, json_t *body, const char *where)
{
	const char *c = json_string_value(json_object_get(body, "commitment"));
	if (c && c[0] == '@') {
		json_t *h = json_object_get(r->labels, c + 1);
		if (!h)
			return fail(r, where, "refers to an unknown label");
		json_object_set(body, "commitment", h);
	}
	const char *e = json_string_value(json_object_get(body, "evidence"));
	if (e && strncmp(e, "@sha256:", 8) == 0) {
		uint8_t h[32];
		char hex[65];
		crypto_hash_sha256(h, (const uint8_t *)e + 8, strlen(e + 8));
		sodium_bin2hex(hex, sizeof hex, h, 32);
		json_object_set_new(body, "evidence", json_string(hex));
	}
	return PL_OK;
}

static int append_step(replay *r, json_t *s, size_t i, const char *kind_name, const pl_key *who)
{
	char where[64];
	snprintf(where, sizeof where, "$.entries[%zu]", i);
	pl_entry_kind kind = PL_ENTRY_KIND_COUNT;
	for (int k = 0; k < PL_ENTRY_KIND_COUNT; k++)
		if (strcmp(kind_name, pl_entry_kind_name((pl_entry_kind)k)) == 0)
			kind = (pl_entry_kind)k;
	json_t *body = json_deep_copy(json_object_get(s, "body"));
	if (kind == PL_ENTRY_KIND_COUNT || !json_is_object(body) || !who) {
		json_decref(body);
		return fail(r, where, "needs a known kind, a known author and a body object");
	}
	if (resolve(r, body, where) != PL_OK) {
		json_decref(body);
		return PL_EINPUT;
	}
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	uint8_t seed[32];
	char n[32];
	snprintf(n, sizeof n, "%zu", i);
	if (r->seed)
		derive(r->seed, "parley-replay-entry", n, seed);
	pl_entry_in in = {kind,
			  json_string_value(json_object_get(s, "channel")),
			  json_string_value(json_object_get(s, "time")),
			  text,
			  who,
			  r->seed ? seed : NULL};
	uint64_t idx;
	int rc = pl_ledger_append(r->lg, &in, 1, &idx, &r->err);
	free(text);
	if (rc != PL_OK)
		return pl_error_set(&r->err, rc, where, "refused");
	const char *label = json_string_value(json_object_get(s, "label"));
	if (label) {
		char *js;
		if (pl_ledger_show(r->lg, idx, NULL, &js, &r->err) != PL_OK)
			return PL_EINPUT;
		json_t *o = json_loads(js, 0, NULL);
		json_object_set(r->labels, label, json_object_get(o, "leaf_hash"));
		json_decref(o);
		free(js);
	}
	return PL_OK;
}

/* A checkpoint, then every witness checks consistency and cosigns. */
static int checkpoint_step(replay *r, json_t *s)
{
	char *note;
	if (pl_ledger_checkpoint(r->lg, &r->log, &note, &r->err) != PL_OK)
		return PL_EINPUT;
	free(note);
	json_t *w = json_object_get(r->script, "witnesses");
	for (size_t i = 0; i < json_array_size(w); i++) {
		const char *name = json_string_value(json_array_get(w, i));
		const pl_key *k = key_of(r, name);
		char state[1024];
		if (!k)
			return fail(r, "$.witnesses", "names an unknown party");
		snprintf(state, sizeof state, "%s/%s.state", r->dir, name);
		uint64_t t = unix_time(json_string_value(json_object_get(s, "time")));
		if (pl_ledger_witness(r->lg, k, state, t, &r->err) != PL_OK)
			return PL_EINPUT;
	}
	return PL_OK;
}

static int register_all(replay *r)
{
	json_t *ps = json_object_get(r->script, "parties"),
	       *cs = json_object_get(r->script, "channels");
	r->keys = calloc(json_array_size(ps) + 1, sizeof *r->keys);
	if (!r->keys)
		return pl_error_set(&r->err, PL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < json_array_size(ps); i++) {
		json_t *p = json_array_get(ps, i);
		const char *id = json_string_value(json_object_get(p, "id"));
		if (!id || load_key(r, id, &r->keys[r->nkeys]) != PL_OK)
			return fail(r, "$.parties", "each party needs an id");
		char vk[512];
		pl_key_format_vkey(&r->keys[r->nkeys++], vk, sizeof vk);
		json_t *b =
			json_pack("{s:s, s:s, s:O, s:O}", "id", id, "key", vk, "name",
				  json_object_get(p, "name"), "role", json_object_get(p, "role"));
		json_t *step = json_pack("{s:s, s:O, s:o}", "channel", "public", "time",
					 json_object_get(p, "time"), "body", b);
		int rc = step ? append_step(r, step, i, "party", &r->log) : PL_ENOMEM;
		json_decref(step);
		if (rc != PL_OK)
			return rc;
	}
	for (size_t i = 0; i < json_array_size(cs); i++) {
		json_t *c = json_array_get(cs, i);
		json_t *b = json_pack("{s:O, s:O, s:O}", "id", json_object_get(c, "id"), "name",
				      json_object_get(c, "name"), "members",
				      json_object_get(c, "members"));
		json_t *step = json_pack("{s:s, s:O, s:o}", "channel", "public", "time",
					 json_object_get(c, "time"), "body", b);
		int rc = step ? append_step(r, step, 1000 + i, "channel", &r->log) : PL_EINPUT;
		json_decref(step);
		if (rc != PL_OK)
			return rc == PL_EINPUT ? fail(r, "$.channels", "bad channel") : rc;
	}
	return PL_OK;
}

static int run_script(replay *r)
{
	json_t *es = json_object_get(r->script, "entries");
	if (!json_is_array(es))
		return fail(r, "$.entries", "must be an array");
	int rc = register_all(r);
	for (size_t i = 0; rc == PL_OK && i < json_array_size(es); i++) {
		json_t *s = json_array_get(es, i);
		const char *kind = json_string_value(json_object_get(s, "kind"));
		if (kind && strcmp(kind, "checkpoint") == 0)
			rc = checkpoint_step(r, s);
		else
			rc = append_step(
				r, s, i, kind ? kind : "?",
				key_of(r, json_string_value(json_object_get(s, "author"))));
	}
	return rc == PL_OK ? checkpoint_step(r, json_array_get(es, json_array_size(es) - 1)) : rc;
}

int cli_ledger_replay(int argc, char **argv)
{
	replay r;
	memset(&r, 0, sizeof r);
	r.cmd = "ledger replay";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "script keys seed", &a, r.cmd))
		return 2;
	const char *script = cli_ledger_opt(&a, "script");
	r.dir = cli_ledger_opt(&a, "keys");
	r.seed = cli_ledger_opt(&a, "seed");
	if (a.npos != 1 || !script || !r.dir)
		return cli_usage_error(r.cmd, "needs DB, --script and --keys");
	json_error_t je;
	r.script = json_load_file(script, JSON_REJECT_DUPLICATES, &je);
	if (!r.script) {
		fprintf(stderr, "parley %s: %s:%d: %s\n", r.cmd, script, je.line, je.text);
		return 2;
	}
	r.labels = json_object();
	const char *origin = json_string_value(json_object_get(r.script, "origin"));
	const char *log = json_string_value(json_object_get(r.script, "log"));
	int rc = (!origin || !log) ? fail(&r, script, "needs origin and log") : PL_OK;
	/* the keys directory is made when missing (the documented first command) */
	if (rc == PL_OK && mkdir(r.dir, 0700) != 0 && errno != EEXIST)
		rc = fail(&r, r.dir, strerror(errno));
	if (rc == PL_OK)
		rc = load_key(&r, log, &r.log);
	int created = 0;
	if (rc == PL_OK)
		created = (rc = pl_ledger_create(a.pos[0], origin, &r.log, &r.err)) == PL_OK;
	if (rc == PL_OK)
		rc = pl_ledger_open(a.pos[0], &r.lg, &r.err);
	if (rc == PL_OK)
		rc = run_script(&r);
	int st = 0;
	if (rc != PL_OK && created) {
		/* a failed replay leaves no half-built ledger behind */
		pl_ledger_close(r.lg);
		r.lg = NULL;
		char side[1100];
		unlink(a.pos[0]);
		snprintf(side, sizeof side, "%s-wal", a.pos[0]);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", a.pos[0]);
		unlink(side);
	}
	if (rc != PL_OK) {
		char where[600];
		snprintf(where, sizeof where, "%s: %s", script, r.err.where);
		snprintf(r.err.where, sizeof r.err.where, "%s", where);
		st = cli_report(r.cmd, &r.err);
	} else {
		printf("replayed %s into %s: %" PRIu64 " entries, checkpoint signed and cosigned\n",
		       script, a.pos[0], pl_ledger_size(r.lg));
	}
	pl_ledger_close(r.lg);
	for (size_t i = 0; i < r.nkeys; i++)
		pl_key_wipe(&r.keys[i]);
	pl_key_wipe(&r.log);
	free(r.keys);
	json_decref(r.labels);
	json_decref(r.script);
	return st;
}

static void print_status(pl_ledger *lg, const char *viewer, const char *as_of,
			 const pl_commitment *c, size_t nc, const pl_trust *t, size_t nt,
			 double half_life)
{
	printf("ledger %s: %" PRIu64 " entries\nseen by %s%s%s\n\n", pl_ledger_origin(lg),
	       pl_ledger_size(lg), viewer ? viewer : "the log operator (every channel)",
	       as_of ? ", as of " : "", as_of ? as_of : "");
	printf("commitments\n%4s %-6s %-9s %-11s %-10s %-10s %s\n", "#", "party", "channel",
	       "state", "since", "deadline", "action");
	for (size_t i = 0; i < nc; i++) {
		printf("%4" PRIu64 " %-6.6s %-9.9s %-11s %-10.10s %-10.10s ", c[i].index,
		       c[i].party, c[i].channel, pl_commitment_state_name(c[i].state), c[i].since,
		       c[i].deadline[0] ? c[i].deadline : "-");
		cli_print_text(stdout, c[i].action, 24, 0);
		putchar('\n');
	}
	printf("\ntrust (beta reputation, half-life %.0f days; 0.50 = no record)\n", half_life);
	printf("  %-10s %-13s %5s %6s %5s %6s\n", "party", "role", "kept", "broken", "open",
	       "trust");
	for (size_t i = 0; i < nt; i++)
		printf("  %-10.10s %-13.13s %5d %6d %5d %6.3f\n", t[i].party,
		       pl_ledger_party_role(lg, i), t[i].kept, t[i].broken, t[i].open, t[i].score);
}

static char *status_json(pl_ledger *lg, const char *viewer, const char *as_of,
			 const pl_commitment *c, size_t nc, const pl_trust *t, size_t nt,
			 double half_life)
{
	json_t *o =
		json_pack("{s:s, s:I, s:s?, s:s?, s:f, s:[], s:[]}", "origin", pl_ledger_origin(lg),
			  "entries", (json_int_t)pl_ledger_size(lg), "viewer", viewer, "as_of",
			  as_of, "half_life_days", half_life, "commitments", "trust");
	json_t *ca = json_object_get(o, "commitments"), *ta = json_object_get(o, "trust");
	for (size_t i = 0; i < nc; i++)
		json_array_append_new(
			ca, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}", "index",
				      (json_int_t)c[i].index, "id", c[i].id, "party", c[i].party,
				      "channel", c[i].channel, "action", c[i].action, "state",
				      pl_commitment_state_name(c[i].state), "since", c[i].since,
				      "deadline", c[i].deadline[0] ? c[i].deadline : NULL));
	for (size_t i = 0; i < nt; i++)
		json_array_append_new(ta, json_pack("{s:s, s:f, s:f, s:f, s:i, s:i, s:i}", "party",
						    t[i].party, "trust", t[i].score, "evidence_for",
						    t[i].pos, "evidence_against", t[i].neg, "kept",
						    t[i].kept, "broken", t[i].broken, "open",
						    t[i].open));
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int cli_ledger_status(int argc, char **argv)
{
	const char *cmd = "ledger status";
	cli_ledger_args a;
	if (cli_ledger_parse(argc, argv, "key as-of half-life json!", &a, cmd))
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
	if (pl_ledger_commitments(lg, viewer, as_of, &c, &nc, &err) != PL_OK ||
	    pl_ledger_trust(lg, viewer, as_of, &p, &t, &nt, &err) != PL_OK) {
		st = cli_report(cmd, &err);
	} else if (cli_ledger_opt(&a, "json")) {
		char *s = status_json(lg, viewer, as_of, c, nc, t, nt, p.half_life_days);
		printf("%s\n", s ? s : "{}");
		free(s);
	} else {
		print_status(lg, viewer, as_of, c, nc, t, nt, p.half_life_days);
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
