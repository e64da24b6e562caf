/* store_append.c - appending to the ledger: each batch is one BEGIN
 * IMMEDIATE transaction, brought up to date with other processes' appends
 * first (store.c), every entry checked against the rules and written with its
 * derived party or channel row, and one synced COMMIT (WAL, synchronous=FULL:
 * a COMMIT that returns is on disk, so an acknowledged append survives a
 * crash).  A refused batch rolls back and reloads the state it may have
 * touched. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "ledger/ledger_internal.h"

/* Writes the derived party or channel row of a registration entry. */
static int store_registration(pl_ledger *lg, const pl__record *rec, const char *body, uint64_t idx,
			      pl_error *err)
{
	json_t *b = json_loads(body, 0, NULL);
	sqlite3_stmt *st = NULL;
	int ok;
	if (rec->kind == PL_ENTRY_PARTY) {
		ok = sqlite3_prepare_v2(lg->db, "INSERT INTO parties VALUES (?, ?, ?, ?)", -1, &st,
					NULL) == SQLITE_OK;
		if (ok) {
			sqlite3_bind_text(st, 1, json_string_value(json_object_get(b, "id")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, json_string_value(json_object_get(b, "key")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, json_string_value(json_object_get(b, "role")), -1,
					  SQLITE_TRANSIENT);
		}
	} else {
		char *m = json_dumps(json_object_get(b, "members"), JSON_COMPACT);
		ok = m && sqlite3_prepare_v2(lg->db, "INSERT INTO channels VALUES (?, ?, ?)", -1,
					     &st, NULL) == SQLITE_OK;
		if (ok) {
			sqlite3_bind_text(st, 1, json_string_value(json_object_get(b, "id")), -1,
					  SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 2, m, -1, SQLITE_TRANSIENT);
		}
		free(m);
	}
	if (ok) {
		sqlite3_bind_int64(st, 4 - (rec->kind != PL_ENTRY_PARTY), (sqlite3_int64)idx);
		ok = sqlite3_step(st) == SQLITE_DONE;
	}
	sqlite3_finalize(st);
	json_decref(b);
	return ok ? PL_OK : pl__db_fail(lg->db, err, lg->path, "cannot store a registration");
}

/* Checks one entry and writes it inside the open transaction. */
static int accept(pl_ledger *lg, const char *leaf, const char *body, int verify_sig,
		  const uint8_t *verified, pl_error *err)
{
	uint64_t idx = pl_merkle_tree_size(lg->tree);
	pl__record rec;
	if (pl__entry_check_verified(&lg->st, idx, leaf, body, verify_sig, verified,
				     pl__find_commit_db, lg, &rec, err) != PL_OK)
		return PL_EINPUT;
	uint8_t lh[PL_HASH_SIZE];
	pl_merkle_leaf_hash(leaf, strlen(leaf), lh);
	sqlite3_stmt *st = lg->ins;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, (sqlite3_int64)idx);
	sqlite3_bind_text(st, 2, leaf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, body, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, lh, PL_HASH_SIZE, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, pl_entry_kind_name(rec.kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, rec.channel, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 7, rec.author, -1, SQLITE_TRANSIENT);
	int s = sqlite3_step(st);
	sqlite3_reset(st);
	if (s == SQLITE_CONSTRAINT)
		return pl_error_set(err, PL_EINPUT, "entry",
				    "this exact entry is in the log already (a replay)");
	if (s != SQLITE_DONE)
		return pl__db_fail(lg->db, err, lg->path, "cannot store the entry");
	if ((rec.kind == PL_ENTRY_PARTY || rec.kind == PL_ENTRY_CHANNEL) &&
	    store_registration(lg, &rec, body, idx, err) != PL_OK)
		return PL_EIO;
	return pl_merkle_tree_append(lg->tree, lh, err);
}

/* After a failed batch: the database rolled back, so reload what the
 * batch may have changed in memory. */
static void undo(pl_ledger *lg, uint64_t old_size)
{
	pl__exec(lg, "ROLLBACK", NULL);
	pl__merkle_truncate(lg->tree, old_size);
	pl__load_state(lg, NULL);
}

/* The key that must sign an entry of this kind by this author. */
static int expected_key(const pl_ledger *lg, const pl_entry_in *in, pl_error *err)
{
	const pl_key *want = NULL;
	if (in->kind == PL_ENTRY_PARTY || in->kind == PL_ENTRY_CHANNEL) {
		want = &lg->st.log_key;
	} else {
		const pl__party *p = pl__state_party(&lg->st, in->author->name);
		if (!p)
			return pl_error_set(err, PL_EINPUT, "entry",
					    "'%s' is not a registered party", in->author->name);
		want = &p->key;
	}
	if (strcmp(want->name, in->author->name) != 0 ||
	    sodium_memcmp(want->pub, in->author->pub, 32) != 0 ||
	    sodium_memcmp(in->author->sec + 32, in->author->pub, 32) != 0)
		return pl_error_set(err, PL_EINPUT, "entry",
				    "key '%s' is not the registered key for a %s entry",
				    in->author->name, pl_entry_kind_name(in->kind));
	return PL_OK;
}

int pl_ledger_append(pl_ledger *lg, const pl_entry_in *in, size_t n, uint64_t *first, pl_error *err)
{
	uint64_t old = pl_merkle_tree_size(lg->tree);
	if (first)
		*first = old;
	if (pl__writable(lg, err) != PL_OK)
		return PL_EINPUT;
	if (pl__exec(lg, "BEGIN IMMEDIATE", err) != PL_OK)
		return PL_EIO;
	int crc = pl__catch_up(lg, err);
	if (crc != PL_OK) {
		undo(lg, old);
		return crc;
	}
	old = pl_merkle_tree_size(lg->tree);
	if (first)
		*first = old;
	for (size_t i = 0; i < n; i++) {
		char *leaf = NULL, *body = NULL;
		int rc = in[i].author ? expected_key(lg, &in[i], err)
				      : pl_error_set(err, PL_EINPUT, "entry", "no author key");
		if (rc == PL_OK)
			rc = pl__entry_make(&lg->st, &in[i], &leaf, &body, err);
		/* entries signed here with the registered key need no second check */
		if (rc == PL_OK)
			rc = accept(lg, leaf, body, 0, NULL, err);
		free(leaf);
		free(body);
		if (rc != PL_OK) {
			undo(lg, old);
			return rc;
		}
	}
	if (pl__exec(lg, "COMMIT", err) != PL_OK) {
		undo(lg, old);
		return PL_EIO;
	}
	return PL_OK;
}

int pl_ledger_append_signed(pl_ledger *lg, const char *leaf, const char *body, uint64_t *index,
			    pl_error *err)
{
	pl_error one = {0};
	int rc = pl_ledger_append_signed_many(lg, 1, &leaf, &body, index, &one, err);
	if (rc == PL_OK && one.code != PL_OK && err)
		*err = one;
	return rc == PL_OK ? one.code : rc;
}

/* One transaction, one sync; a refused entry wrote nothing (the state is
 * reloaded in case its check touched it). */
int pl_ledger_append_signed_many(pl_ledger *lg, size_t n, const char *const *leaf,
				 const char *const *body, uint64_t *index, pl_error *errs,
				 pl_error *err)
{
	return pl__append_signed_many(lg, n, leaf, body, NULL, index, errs, err);
}

int pl__append_signed_many(pl_ledger *lg, size_t n, const char *const *leaf,
			   const char *const *body, const uint8_t *const *verified,
			   uint64_t *index, pl_error *errs, pl_error *err)
{
	uint64_t old = pl_merkle_tree_size(lg->tree);
	if (pl__writable(lg, err) != PL_OK)
		return PL_EINPUT;
	if (pl__exec(lg, "BEGIN IMMEDIATE", err) != PL_OK)
		return PL_EIO;
	int rc = pl__catch_up(lg, err);
	old = pl_merkle_tree_size(lg->tree);
	for (size_t k = 0; k < n && rc == PL_OK; k++) {
		if (index)
			index[k] = pl_merkle_tree_size(lg->tree);
		int one = accept(lg, leaf[k], body[k], 1, verified ? verified[k] : NULL, &errs[k]);
		if (one == PL_EINPUT)
			rc = pl__load_state(lg, err);
		else
			rc = one;
	}
	if (rc == PL_OK)
		rc = pl__exec(lg, "COMMIT", err);
	if (rc != PL_OK)
		undo(lg, old);
	return rc;
}

int pl_ledger_sign_entry(const pl_ledger *lg, const pl_entry_in *in, char **leaf, char **body,
			 pl_error *err)
{
	return pl__entry_make(&lg->st, in, leaf, body, err);
}
