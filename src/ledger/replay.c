/* replay.c - builds a ledger from a history script such as
 * data/ledger/korea-2007.json (`parley ledger replay`): the parties'
 * keys (made in a directory, reproducibly from a seed when there is one),
 * their registrations, the channels, every entry and the cosigned
 * checkpoints.  docs/ledger.md, "The shipped example", describes it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"

typedef struct replay {
	const char *dir;
	const char *seed; /* NULL: fresh random keys and nonces */
	pl_ledger *lg;
	json_t *script;
	json_t *labels; /* label -> commitment leaf hash */
	pl_key log;
	pl_key *keys;
	size_t nkeys;
	pl_error *err;
} replay;

/* "YYYY-MM-DDTHH:MM:SSZ" -> POSIX seconds (the witness's cosignature time). */
static uint64_t unix_time(const char *s)
{
	int64_t t;
	return s && pl__time_parse(s, &t) == 0 && t >= 0 ? (uint64_t)t : 0;
}

static void derive(const char *seed, const char *what, const char *name, uint8_t out[32])
{
	pl__sha256_ctx st;
	pl__sha256_init(&st);
	pl__sha256_update(&st, (const uint8_t *)what, strlen(what) + 1);
	pl__sha256_update(&st, (const uint8_t *)seed, strlen(seed) + 1);
	pl__sha256_update(&st, (const uint8_t *)name, strlen(name));
	pl__sha256_final(&st, out);
}

/* DIR/name.key: read it, or make it (from the seed when there is one). */
static int load_key(replay *r, const char *name, pl_key *out)
{
	char sk[1024], pk[1024];
	snprintf(sk, sizeof sk, "%s/%s.key", r->dir, name);
	snprintf(pk, sizeof pk, "%s/%s.pub", r->dir, name);
	if (access(sk, F_OK) == 0)
		return pl_key_read_file(sk, out, r->err);
	int rc;
	if (r->seed) {
		uint8_t s[32];
		derive(r->seed, "parley-replay-key", name, s);
		rc = pl_key_from_seed(name, s, out, r->err);
		sodium_memzero(s, sizeof s);
	} else {
		rc = pl_key_generate(name, out, r->err);
	}
	if (rc == PL_OK)
		rc = pl_key_write_secret(out, sk, r->err);
	if (rc == PL_OK)
		rc = pl_key_write_public(out, pk, r->err);
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
	return pl_error_set(r->err, PL_EINPUT, where, "%s", msg);
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
		pl__sha256(h, (const uint8_t *)e + 8, strlen(e + 8));
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
	int rc = pl_ledger_append(r->lg, &in, 1, &idx, r->err);
	free(text);
	if (rc != PL_OK)
		return pl_error_set(r->err, rc, where, "refused");
	const char *label = json_string_value(json_object_get(s, "label"));
	if (label) {
		char *js;
		if (pl_ledger_show(r->lg, idx, NULL, &js, r->err) != PL_OK)
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
	if (pl_ledger_checkpoint(r->lg, &r->log, &note, r->err) != PL_OK)
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
		if (pl_ledger_witness(r->lg, k, state, t, r->err) != PL_OK)
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
		return pl_error_set(r->err, PL_ENOMEM, NULL, "out of memory");
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

/* The script's name in front of an error inside it. */
static int name_script(pl_error *err, const char *script, int rc)
{
	if (!err)
		return rc;
	char where[600];
	snprintf(where, sizeof where, "%s: %s", script, err->where);
	snprintf(err->where, sizeof err->where, "%s", where);
	return rc;
}

/* A failed replay leaves no half-built ledger behind. */
static void remove_ledger(const char *db)
{
	char side[1100];
	unlink(db);
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
}

int pl_ledger_replay(const char *db, const char *script, const char *keys_dir, const char *seed,
		     uint64_t *n_entries, pl_error *err)
{
	replay r;
	memset(&r, 0, sizeof r);
	pl_error local;
	pl_error_clear(&local);
	r.err = err ? err : &local;
	r.dir = keys_dir;
	r.seed = seed;
	if (n_entries)
		*n_entries = 0;
	if (pl__sodium(r.err) != PL_OK)
		return PL_EINTERNAL;
	json_error_t je;
	r.script = json_load_file(script, JSON_REJECT_DUPLICATES, &je);
	if (!r.script) {
		char where[600];
		snprintf(where, sizeof where, "%s:%d", script, je.line);
		return pl_error_set(r.err, PL_EINPUT, where, "%s", je.text);
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
		created = (rc = pl_ledger_create(db, origin, &r.log, r.err)) == PL_OK;
	if (rc == PL_OK)
		rc = pl_ledger_open(db, &r.lg, r.err);
	if (rc == PL_OK)
		rc = run_script(&r);
	if (rc == PL_OK && n_entries)
		*n_entries = pl_ledger_size(r.lg);
	pl_ledger_close(r.lg);
	if (rc != PL_OK && created)
		remove_ledger(db);
	for (size_t i = 0; i < r.nkeys; i++)
		pl_key_wipe(&r.keys[i]);
	pl_key_wipe(&r.log);
	free(r.keys);
	json_decref(r.labels);
	json_decref(r.script);
	return rc == PL_OK ? PL_OK : name_script(r.err, script, rc);
}
