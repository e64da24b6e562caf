/* log.c - what the log publishes about its tree: roots, proofs, signed
 * checkpoints, witness cosignatures, and offline verification bundles. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>
#include <sqlite3.h>

#include "core/sha256.h"
#include "ledger/ledger_internal.h"
#include "parley/io.h"

#define BUNDLE_FORMAT "parley-ledger-bundle/v1"

json_t *pl__proof_json(uint8_t (*p)[PL_HASH_SIZE], size_t len)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < len; i++) {
		char b[64];
		pl__b64(p[i], PL_HASH_SIZE, b, sizeof b);
		json_array_append_new(a, json_string(b));
	}
	return a;
}

int pl__proof_from_json(json_t *a, uint8_t (*p)[PL_HASH_SIZE], size_t *len)
{
	if (!json_is_array(a) || json_array_size(a) > PL_MERKLE_PROOF_MAX)
		return -1;
	for (size_t i = 0; i < json_array_size(a); i++) {
		const char *s = json_string_value(json_array_get(a, i));
		if (!s || pl__unb64(s, strlen(s), p[i], PL_HASH_SIZE) != 0)
			return -1;
	}
	*len = json_array_size(a);
	return 0;
}

static json_t *b64_json(const uint8_t *h)
{
	char b[64];
	pl__b64(h, PL_HASH_SIZE, b, sizeof b);
	return json_string(b);
}

static int dump(json_t *o, char **out, pl_error *err)
{
	*out = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	return *out ? PL_OK : pl_error_set(err, PL_ENOMEM, "ledger", "out of memory");
}

int pl_ledger_root(const pl_ledger *lg, uint64_t size, uint8_t out[PL_HASH_SIZE], pl_error *err)
{
	return pl_merkle_tree_root(lg->tree, size, out, err);
}

int pl_ledger_inclusion_proof(const pl_ledger *lg, uint64_t index, uint64_t size, char **json,
			      pl_error *err)
{
	uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE], leaf[PL_HASH_SIZE], root[PL_HASH_SIZE];
	size_t len = 0;
	*json = NULL;
	if (pl_merkle_tree_inclusion_proof(lg->tree, index, size, p, &len, err) != PL_OK ||
	    pl_merkle_tree_root(lg->tree, size, root, err) != PL_OK)
		return PL_EINPUT;
	pl_merkle_tree_leaf(lg->tree, index, leaf);
	return dump(json_pack("{s:I, s:I, s:o, s:o, s:o}", "index", (json_int_t)index, "size",
			      (json_int_t)size, "leaf_hash", b64_json(leaf), "root", b64_json(root),
			      "proof", pl__proof_json(p, len)),
		    json, err);
}

int pl_ledger_consistency_proof(const pl_ledger *lg, uint64_t size1, uint64_t size2, char **json,
				pl_error *err)
{
	uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE], r1[PL_HASH_SIZE], r2[PL_HASH_SIZE];
	size_t len = 0;
	*json = NULL;
	if (pl_merkle_tree_consistency_proof(lg->tree, size1, size2, p, &len, err) != PL_OK ||
	    pl_merkle_tree_root(lg->tree, size1, r1, err) != PL_OK ||
	    pl_merkle_tree_root(lg->tree, size2, r2, err) != PL_OK)
		return PL_EINPUT;
	return dump(json_pack("{s:I, s:I, s:o, s:o, s:o}", "size1", (json_int_t)size1, "size2",
			      (json_int_t)size2, "root1", b64_json(r1), "root2", b64_json(r2),
			      "proof", pl__proof_json(p, len)),
		    json, err);
}

int pl__note_for_size(pl_ledger *lg, int64_t size, char **note, pl_error *err)
{
	sqlite3_stmt *st;
	*note = NULL;
	const char *sql = size < 0 ? "SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1"
				   : "SELECT note FROM checkpoints WHERE size = ?";
	if (pl__prepare(lg, sql, &st) != SQLITE_OK)
		return pl_error_set(err, PL_EIO, lg->path, "cannot read checkpoints");
	if (size >= 0)
		sqlite3_bind_int64(st, 1, size);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		*note = strdup((const char *)sqlite3_column_text(st, 0));
	pl__unprepare(lg, st);
	return PL_OK;
}

int pl__store_note(pl_ledger *lg, uint64_t size, const char *note, pl_error *err)
{
	sqlite3_stmt *st;
	if (pl__writable(lg, err) != PL_OK)
		return PL_EINPUT;
	if (sqlite3_prepare_v2(lg->db, "INSERT OR REPLACE INTO checkpoints VALUES (?, ?)", -1, &st,
			       NULL) != SQLITE_OK)
		return pl_error_set(err, PL_EIO, lg->path, "cannot store a checkpoint");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)size);
	sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
	int ok = sqlite3_step(st) == SQLITE_DONE;
	sqlite3_finalize(st);
	return ok ? PL_OK
		  : pl_error_set(err, PL_EIO, lg->path, "cannot store a checkpoint: %s",
				 sqlite3_errmsg(lg->db));
}

int pl_ledger_checkpoint(pl_ledger *lg, const pl_key *log_key, char **note, pl_error *err)
{
	*note = NULL;
	if (strcmp(log_key->name, lg->st.log_key.name) != 0 ||
	    sodium_memcmp(log_key->pub, lg->st.log_key.pub, 32) != 0)
		return pl_error_set(err, PL_EINPUT, "checkpoint",
				    "key '%s' is not this log's key (%s)", log_key->name,
				    lg->st.log_key.name);
	uint64_t size = pl_merkle_tree_size(lg->tree);
	if (pl__note_for_size(lg, (int64_t)size, note, err) != PL_OK || *note)
		return *note ? PL_OK : PL_EIO; /* signed already: keep its cosignatures */
	pl_checkpoint cp;
	memset(&cp, 0, sizeof cp);
	snprintf(cp.origin, sizeof cp.origin, "%s", lg->st.origin);
	cp.size = size;
	pl_merkle_tree_root(lg->tree, size, cp.root, NULL);
	if (pl_checkpoint_sign(&cp, log_key, note, err) != PL_OK)
		return PL_EINPUT;
	int rc = pl__store_note(lg, size, *note, err);
	if (rc != PL_OK) {
		free(*note);
		*note = NULL;
		return rc;
	}
	return PL_OK;
}

int pl_ledger_latest_checkpoint(pl_ledger *lg, char **note, pl_error *err)
{
	if (pl__note_for_size(lg, -1, note, err) != PL_OK)
		return PL_EIO;
	if (!*note)
		return pl_error_set(err, PL_ENOTFOUND, lg->path,
				    "no checkpoint yet: run 'parley ledger checkpoint'");
	return PL_OK;
}

/* The checkpoint in new_note is consistent with old (already verified). */
int pl__check_consistent(const pl_checkpoint *old, const pl_checkpoint *cp,
			 const uint8_t (*p)[PL_HASH_SIZE], size_t len, pl_error *err)
{
	if (strcmp(old->origin, cp->origin) != 0)
		return pl_error_set(err, PL_EINPUT, "witness", "the origin changed from %s to %s",
				    old->origin, cp->origin);
	if (cp->size < old->size)
		return pl_error_set(err, PL_EINPUT, "witness",
				    "split view: the log shrank from %" PRIu64 " to %" PRIu64
				    " entries",
				    old->size, cp->size);
	if (old->size == 0)
		return PL_OK; /* every tree extends the empty one */
	pl_error why = {0};
	if (pl_merkle_verify_consistency(old->size, cp->size, old->root, cp->root, p, len, &why) ==
	    PL_OK)
		return PL_OK;
	/* a proof of the wrong length was made for other sizes: no evidence
	 * against the log */
	if (strstr(why.message, "too long") || strstr(why.message, "too short") ||
	    strstr(why.message, "is empty"))
		return pl_error_set(
			err, PL_EINPUT, "proof",
			"the consistency proof does not match a log growing from %" PRIu64
			" to %" PRIu64 " entries (%s); get the right one with 'parley "
			"ledger proof --from %" PRIu64 "'",
			old->size, cp->size, why.message, old->size);
	return pl_error_set(err, PL_EINPUT, "witness",
			    "split view: the checkpoint of size %" PRIu64
			    " is not consistent with the one of size %" PRIu64 " (%s)",
			    cp->size, old->size, why.message);
}

int pl_witness_check(const char *old_note, const char *new_note, const char *proof_json,
		     const pl_key *log_key, pl_error *err)
{
	pl_checkpoint old, cp;
	if (pl_checkpoint_open(old_note, strlen(old_note), log_key, NULL, 0, 0, &old, NULL, err) ||
	    pl_checkpoint_open(new_note, strlen(new_note), log_key, NULL, 0, 0, &cp, NULL, err))
		return PL_EINPUT;
	json_t *pj = json_loads(proof_json, 0, NULL);
	uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE];
	size_t len = 0;
	int bad = !pj || pl__proof_from_json(json_object_get(pj, "proof"), p, &len) != 0;
	/* the sizes the proof says it is for (parley ledger proof writes them) */
	json_t *s1 = json_object_get(pj, "size1"), *s2 = json_object_get(pj, "size2");
	json_int_t from = json_is_integer(s1) ? json_integer_value(s1) : -1;
	json_int_t to = json_is_integer(s2) ? json_integer_value(s2) : -1;
	json_decref(pj);
	if (bad)
		return pl_error_set(err, PL_EINPUT, "proof", "not a consistency proof");
	if ((from >= 0 && (uint64_t)from != old.size) || (to >= 0 && (uint64_t)to != cp.size))
		return pl_error_set(err, PL_EINPUT, "proof",
				    "the consistency proof is from size %lld to %lld; these "
				    "checkpoints need one from %" PRIu64 " to %" PRIu64
				    ": the proof does not match (get it with 'parley ledger proof "
				    "--from %" PRIu64 "')",
				    (long long)from, (long long)to, old.size, cp.size, old.size);
	return pl__check_consistent(&old, &cp, (const uint8_t(*)[PL_HASH_SIZE])p, len, err);
}

/* Reads a witness state (the last checkpoint the witness cosigned) into
 * *out, NULL when there is none yet. */
int pl__read_witness_state(const char *path, char **out, pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot read the witness state",
		.not_dir = "cannot read the witness state: Is a directory",
		.limit = 1 << 20,
		.noun = "a witness state",
		.missing_ok = 1,
	};
	return pl__read_file(path, &kind, out, NULL, err);
}

/* Adds the cosignature to the stored note inside one transaction, so that
 * two witnesses cosigning at once do not lose each other's line.  *note
 * becomes the stored note. */
static int cosign_stored(pl_ledger *lg, uint64_t size, const pl_key *witness, uint64_t now,
			 char **note, pl_error *err)
{
	char *cur = NULL;
	if (pl__writable(lg, err) != PL_OK)
		return PL_EINPUT;
	if (pl__exec(lg, "BEGIN IMMEDIATE", err) != PL_OK)
		return PL_EIO;
	int rc = pl__note_for_size(lg, (int64_t)size, &cur, err);
	if (rc == PL_OK && !cur)
		rc = pl_error_set(err, PL_EINTERNAL, "witness", "the checkpoint vanished");
	int already = 0;
	pl__note n;
	if (rc == PL_OK && pl__note_parse(cur, strlen(cur), &n, NULL) == PL_OK)
		for (size_t i = 0; i < n.nsig; i++)
			already |= strcmp(n.sig[i].name, witness->name) == 0 &&
				   n.sig[i].id == pl_key_id(witness, 0x04);
	if (rc == PL_OK && !already)
		rc = pl_checkpoint_cosign(&cur, witness, now, err);
	if (rc == PL_OK && !already)
		rc = pl__store_note(lg, size, cur, err);
	if (rc == PL_OK)
		rc = pl__exec(lg, "COMMIT", err);
	if (rc != PL_OK) {
		pl__exec(lg, "ROLLBACK", NULL);
		free(cur);
		return rc;
	}
	free(*note);
	*note = cur;
	return PL_OK;
}

int pl_ledger_witness(pl_ledger *lg, const pl_key *witness, const char *state_path, uint64_t now,
		      pl_error *err)
{
	char *note = NULL, *old_note = NULL;
	pl_checkpoint cp, old;
	int rc = pl_ledger_latest_checkpoint(lg, &note, err);
	if (rc == PL_OK)
		rc = pl_checkpoint_open(note, strlen(note), &lg->st.log_key, NULL, 0, 0, &cp, NULL,
					err);
	if (rc == PL_OK)
		rc = pl__read_witness_state(state_path, &old_note, err);
	if (rc == PL_OK && old_note) {
		pl_error why;
		pl_error_clear(&why);
		rc = pl_checkpoint_open(old_note, strlen(old_note), &lg->st.log_key, NULL, 0, 0,
					&old, NULL, &why);
		if (rc != PL_OK)
			rc = pl_error_set(err, PL_EINPUT, state_path,
					  "the witness state is not a checkpoint of this log (%s)",
					  why.message);
	} else if (rc == PL_OK) {
		memset(&old, 0, sizeof old);
		snprintf(old.origin, sizeof old.origin, "%s", cp.origin);
	}
	if (rc == PL_OK) {
		uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE];
		size_t len = 0;
		/* the log supplies the proof; the witness trusts only its old root */
		if (old.size > 0 && old.size < cp.size)
			rc = pl_merkle_tree_consistency_proof(lg->tree, old.size, cp.size, p, &len,
							      err);
		if (rc == PL_OK)
			rc = pl__check_consistent(&old, &cp, (const uint8_t(*)[PL_HASH_SIZE])p, len,
						  err);
	}
	if (rc == PL_OK)
		rc = cosign_stored(lg, cp.size, witness, now, &note, err);
	if (rc == PL_OK)
		rc = pl_write_file_atomic(state_path, note, strlen(note), err);
	free(note);
	free(old_note);
	return rc;
}

/* {"index", "leaf", "body", "proof"} for one entry at tree size. */
static json_t *entry_part(pl_ledger *lg, uint64_t index, uint64_t size, int with_body,
			  pl_error *err)
{
	char *leaf, *body;
	uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE];
	size_t len = 0;
	if (pl__read_entry(lg, index, &leaf, &body, err) != PL_OK)
		return NULL;
	json_t *o = NULL;
	if (pl_merkle_tree_inclusion_proof(lg->tree, index, size, p, &len, err) == PL_OK)
		o = json_pack("{s:I, s:s, s:s?, s:o}", "index", (json_int_t)index, "leaf", leaf,
			      "body", with_body ? body : NULL, "proof", pl__proof_json(p, len));
	free(leaf);
	free(body);
	return o;
}

static int party_index(pl_ledger *lg, const char *id, uint64_t *idx)
{
	sqlite3_stmt *st;
	int rc = -1;
	if (pl__prepare(lg, "SELECT idx FROM parties WHERE id = ?", &st) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*idx = (uint64_t)sqlite3_column_int64(st, 0);
		rc = 0;
	}
	pl__unprepare(lg, st);
	return rc;
}

int pl_ledger_bundle(pl_ledger *lg, uint64_t index, const char *viewer, char **json, pl_error *err)
{
	char *note = NULL, *leaf = NULL, *body = NULL;
	pl_checkpoint cp;
	pl__record rec;
	*json = NULL;
	if (pl_ledger_latest_checkpoint(lg, &note, err) != PL_OK)
		return PL_ENOTFOUND;
	int rc = PL_OK;
	if (lg->cp_note && strcmp(lg->cp_note, note) == 0) {
		cp = lg->cp; /* verified when it was first read */
	} else {
		rc = pl_checkpoint_open(note, strlen(note), &lg->st.log_key, NULL, 0, 0, &cp, NULL,
					err);
		char *keep = rc == PL_OK ? strdup(note) : NULL;
		if (keep) {
			free(lg->cp_note);
			lg->cp_note = keep;
			lg->cp = cp;
		}
	}
	/* a reader following a writer: the checkpoint may cover entries
	 * appended after its last refresh */
	if (rc == PL_OK && cp.size > pl_merkle_tree_size(lg->tree))
		rc = pl__catch_up(lg, err);
	if (rc == PL_OK && index >= cp.size)
		rc = pl_error_set(err, PL_EINPUT, "bundle",
				  "entry %llu is not yet in the latest checkpoint (size %llu): "
				  "sign a new one",
				  (unsigned long long)index, (unsigned long long)cp.size);
	if (rc == PL_OK)
		rc = pl__read_entry(lg, index, &leaf, &body, err);
	/* the log checked every leaf it holds when it was appended (and the
	 * bundle's reader checks it again) */
	if (rc == PL_OK && pl__record_parse_trusted(leaf, strlen(leaf), &rec) != PL_OK)
		rc = pl_error_set(err, PL_EINPUT, "bundle", "entry %llu cannot be read; run audit",
				  (unsigned long long)index);
	json_t *o = NULL;
	if (rc == PL_OK) {
		int may = !viewer || pl__state_is_member(&lg->st, rec.channel, viewer);
		json_t *author = json_null();
		uint64_t aidx;
		if (strcmp(rec.author, lg->st.log_key.name) != 0) {
			author = party_index(lg, rec.author, &aidx) == 0
					 ? entry_part(lg, aidx, cp.size, 1, err)
					 : NULL;
		}
		json_t *e = entry_part(lg, index, cp.size, may, err);
		if (author && e)
			o = json_pack("{s:s, s:s, s:o, s:o, s:s}", "format", BUNDLE_FORMAT,
				      "origin", lg->st.origin, "entry", e, "author", author,
				      "checkpoint", note);
		else
			rc = pl_error_set(err, PL_EINTERNAL, "bundle",
					  "cannot assemble the bundle");
	}
	if (rc == PL_OK)
		rc = dump(o, json, err);
	free(note);
	free(leaf);
	free(body);
	return rc;
}

/* Checks that part (an entry of a bundle) is in the checkpointed tree and
 * returns its parsed record and body (NULL when withheld). */
static int verify_part(json_t *part, const pl_checkpoint *cp, const char *what, pl__record *rec,
		       const char **body, uint64_t *index, pl_error *err)
{
	json_t *ji = json_object_get(part, "index");
	const char *leaf = json_string_value(json_object_get(part, "leaf"));
	json_t *jb = json_object_get(part, "body");
	uint8_t p[PL_MERKLE_PROOF_MAX][PL_HASH_SIZE], lh[PL_HASH_SIZE];
	size_t len = 0;
	if (!json_is_integer(ji) || json_integer_value(ji) < 0 || !leaf ||
	    json_object_size(part) != 4 || !jb || (!json_is_null(jb) && !json_is_string(jb)) ||
	    pl__proof_from_json(json_object_get(part, "proof"), p, &len) != 0)
		return pl_error_set(err, PL_EINPUT, what,
				    "needs index, leaf, body (string or null) and proof");
	*index = (uint64_t)json_integer_value(ji);
	*body = json_string_value(jb);
	pl_merkle_leaf_hash(leaf, strlen(leaf), lh);
	if (pl_merkle_verify_inclusion(*index, cp->size, lh, (const uint8_t(*)[PL_HASH_SIZE])p, len,
				       cp->root, err) != PL_OK)
		return pl_error_set(err, PL_EINPUT, what, "not included in the checkpointed log");
	if (pl__record_parse(leaf, strlen(leaf), rec, err) != PL_OK)
		return PL_EINPUT;
	if (*body) {
		uint8_t h[PL_HASH_SIZE];
		const char *why;
		pl__sha256(h, (const uint8_t *)*body, strlen(*body));
		json_t *b = pl__parse_canonical(*body, strlen(*body), 1, &why);
		int ok = b && json_is_object(b);
		json_decref(b);
		if (!ok || sodium_memcmp(h, rec->body_hash, PL_HASH_SIZE) != 0)
			return pl_error_set(err, PL_EINPUT, what,
					    "the body does not match the leaf record");
	}
	return PL_OK;
}

static int verify_sig(const char *origin, json_t *part, const pl__record *rec, const pl_key *k,
		      const char *what, pl_error *err)
{
	json_t *o = json_loads(json_string_value(json_object_get(part, "leaf")), 0, NULL);
	json_object_del(o, "sig");
	char *unsig = o ? pl__canonical(o) : NULL;
	json_decref(o);
	size_t mlen = 0;
	char *msg = unsig ? pl__signed_message(origin, unsig, &mlen) : NULL;
	int bad = !msg || strcmp(rec->author, k->name) != 0 ||
		  crypto_sign_verify_detached(rec->sig, (const uint8_t *)msg, mlen, k->pub) != 0;
	free(msg);
	free(unsig);
	return bad ? pl_error_set(err, PL_EINPUT, what, "the signature of %s does not verify",
				  rec->author)
		   : PL_OK;
}

/* The author's key from its registration entry, itself signed by the log. */
static int author_key(json_t *b, const pl_checkpoint *cp, const pl_key *log_key,
		      const pl__record *entry, uint64_t entry_index, pl_key *out, pl_error *err)
{
	json_t *a = json_object_get(b, "author");
	if (strcmp(entry->author, log_key->name) == 0) {
		*out = *log_key;
		return PL_OK;
	}
	pl__record rec;
	const char *body;
	uint64_t idx;
	if (!json_is_object(a) ||
	    verify_part(a, cp, "bundle author", &rec, &body, &idx, err) != PL_OK ||
	    verify_sig(cp->origin, a, &rec, log_key, "bundle author", err) != PL_OK)
		return PL_EINPUT;
	json_t *jb = body ? json_loads(body, 0, NULL) : NULL;
	const char *id = json_string_value(json_object_get(jb, "id"));
	const char *vk = json_string_value(json_object_get(jb, "key"));
	int ok = rec.kind == PL_ENTRY_PARTY && idx < entry_index && id &&
		 strcmp(id, entry->author) == 0 && vk && pl_key_parse_vkey(vk, out, NULL) == PL_OK;
	json_decref(jb);
	if (!ok)
		return pl_error_set(err, PL_EINPUT, "bundle author",
				    "not an earlier registration of %s", entry->author);
	return PL_OK;
}

/* The shape of an entry part: {index, leaf, body, proof}. */
static int part_form(json_t *part, const char *what, pl_error *err)
{
	json_t *ji = json_object_get(part, "index"), *jb = json_object_get(part, "body"),
	       *jp = json_object_get(part, "proof");
	int ok = json_is_object(part) && json_object_size(part) == 4 && json_is_integer(ji) &&
		 json_integer_value(ji) >= 0 && json_is_string(json_object_get(part, "leaf")) &&
		 (json_is_null(jb) || json_is_string(jb)) && json_is_array(jp) &&
		 json_array_size(jp) <= PL_MERKLE_PROOF_MAX;
	for (size_t i = 0; ok && i < json_array_size(jp); i++)
		ok = json_is_string(json_array_get(jp, i));
	if (!ok)
		return pl_error_set(
			err, PL_EINPUT, what,
			"must be an object with exactly index (a whole number), leaf (a "
			"string), body (a string or null) and proof (an array of at "
			"most %d base64 hashes)",
			PL_MERKLE_PROOF_MAX);
	return PL_OK;
}

int pl_bundle_check_form(const char *json, size_t len, pl_error *err)
{
	json_error_t je;
	json_t *b = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!b)
		return pl_error_set(err, PL_EINPUT, "bundle",
				    "not JSON (line %d, column %d: %s): truncated or not a bundle",
				    je.line, je.column, je.text);
	const char *fmt = json_string_value(json_object_get(b, "format"));
	json_t *a = json_object_get(b, "author");
	int rc = PL_OK;
	if (!json_is_object(b) || !fmt || strcmp(fmt, BUNDLE_FORMAT) != 0)
		rc = pl_error_set(err, PL_EINPUT, "$.format", "not \"%s\": not a ledger bundle",
				  BUNDLE_FORMAT);
	else if (json_object_size(b) != 5 || !a || !json_is_string(json_object_get(b, "origin")) ||
		 !json_is_string(json_object_get(b, "checkpoint")))
		rc = pl_error_set(err, PL_EINPUT, "bundle",
				  "has exactly the members format, origin (a string), entry, "
				  "author and checkpoint (a string)");
	if (rc == PL_OK)
		rc = part_form(json_object_get(b, "entry"), "$.entry", err);
	if (rc == PL_OK && !json_is_null(a))
		rc = part_form(a, "$.author", err);
	json_decref(b);
	return rc;
}

int pl_bundle_verify(const char *json, size_t len, const pl_key *log_key, const pl_key *witnesses,
		     size_t nwitnesses, pl_error *err)
{
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	json_error_t je;
	json_t *b = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!b)
		return pl_error_set(err, PL_EINPUT, "bundle", "line %d: %s", je.line, je.text);
	const char *fmt = json_string_value(json_object_get(b, "format"));
	const char *note = json_string_value(json_object_get(b, "checkpoint"));
	const char *origin = json_string_value(json_object_get(b, "origin"));
	json_t *e = json_object_get(b, "entry");
	pl_checkpoint cp;
	pl__record rec;
	pl_key ak;
	const char *body;
	uint64_t idx;
	int rc = PL_OK;
	if (!fmt || strcmp(fmt, BUNDLE_FORMAT) != 0 || !note || !json_is_object(e))
		rc = pl_error_set(err, PL_EINPUT, "bundle",
				  "not a %s bundle (format, entry, author, checkpoint)",
				  BUNDLE_FORMAT);
	if (rc == PL_OK)
		rc = pl_checkpoint_open(note, strlen(note), log_key, witnesses, nwitnesses,
					nwitnesses, &cp, NULL, err);
	if (rc == PL_OK && (!origin || strcmp(origin, cp.origin) != 0))
		rc = pl_error_set(err, PL_EINPUT, "bundle", "the origin is not the checkpoint's");
	if (rc == PL_OK && json_object_size(b) != 5)
		rc = pl_error_set(err, PL_EINPUT, "bundle", "unknown members");
	if (rc == PL_OK)
		rc = verify_part(e, &cp, "bundle entry", &rec, &body, &idx, err);
	if (rc == PL_OK)
		rc = author_key(b, &cp, log_key, &rec, idx, &ak, err);
	if (rc == PL_OK)
		rc = verify_sig(cp.origin, e, &rec, &ak, "bundle entry", err);
	json_decref(b);
	return rc;
}
