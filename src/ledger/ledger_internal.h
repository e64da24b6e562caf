/* ledger_internal.h - what the ledger's files share and tests may use. */
#ifndef PARLEY_LEDGER_INTERNAL_H
#define PARLEY_LEDGER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/util.h"
#include "parley/ledger.h"

struct sqlite3;
struct sqlite3_stmt;

typedef struct pl__party {
	pl_key key; /* public half only; key.name is the party id */
	char role[32];
} pl__party;

typedef struct pl__channel {
	char id[PL_LEDGER_NAME_MAX + 1];
	char **members;
	size_t nmembers;
} pl__channel;

/* What the rules need to know while entries are replayed or appended. */
typedef struct pl__state {
	char origin[PL_LEDGER_NAME_MAX + 1];
	pl_key log_key;
	pl__party *parties;
	size_t nparties, cparties;
	pl__channel *channels;
	size_t nchannels, cchannels;
} pl__state;

/* A parsed leaf record. */
typedef struct pl__record {
	int v;
	pl_entry_kind kind;
	char author[PL_LEDGER_NAME_MAX + 1];
	char channel[PL_LEDGER_NAME_MAX + 1];
	char time[32];
	char nonce[33];
	uint8_t body_hash[PL_HASH_SIZE];
	uint8_t sig[64];
} pl__record;

/* A commitment an entry refers to, found by its leaf hash. */
typedef struct pl__commit_ref {
	uint64_t index;
	char author[PL_LEDGER_NAME_MAX + 1];
	char channel[PL_LEDGER_NAME_MAX + 1];
	char time[32];	      /* the commitment's own time */
	char verifiers[9000]; /* canonical JSON array, or "" when anyone may verify */
} pl__commit_ref;

typedef int (*pl__find_commit)(void *ctx, const uint8_t hash[PL_HASH_SIZE], uint64_t before,
			       pl__commit_ref *out);

struct pl_ledger {
	struct sqlite3 *db;
	char *path;
	pl__state st;
	pl_merkle_tree *tree;
	struct sqlite3_stmt *ins, *find;
	int read_only; /* pl_ledger_open_read_only: every write is refused */
	/* the latest checkpoint note a bundle verified, and what it says: the
	 * bundles of one checkpoint verify its signature once */
	char *cp_note;
	pl_checkpoint cp;
	/* statements compiled once (stmt.c) */
	const char *stmt_sql[8];
	struct sqlite3_stmt *stmt[8];
};

#define PL__STMTS 8
/* stmt.c: sql (a string literal) compiled once per handle; *out is reset
 * and unbound.  Give it back with pl__unprepare (which resets it, ending
 * its read) instead of sqlite3_finalize.  SQLite status. */
int pl__prepare(pl_ledger *lg, const char *sql, struct sqlite3_stmt **out);
void pl__unprepare(pl_ledger *lg, struct sqlite3_stmt *st);
void pl__stmts_free(pl_ledger *lg);

/* util.c */
int pl__sodium(pl_error *err);
void pl__hex(const uint8_t *in, size_t n, char *out);
int pl__unhex(const char *in, uint8_t *out, size_t n);
void pl__b64(const uint8_t *in, size_t n, char *out, size_t size);
int pl__unb64(const char *in, size_t inlen, uint8_t *out, size_t n);
int pl__name_ok(const char *s);
/* Days since 1970-01-01 of a valid time string (core/util.h), fractional. */
double pl__time_days(const char *s);
char *pl__canonical(json_t *v);
json_t *pl__parse_canonical(const char *text, size_t len, int check, const char **why);

/* entry.c */
int pl__kind_from_name(const char *s, pl_entry_kind *out);
int pl__record_parse(const char *leaf, size_t len, pl__record *r, pl_error *err);
/* The same without the canonical-form test, for text this process wrote. */
int pl__record_parse_trusted(const char *leaf, size_t len, pl__record *r);
/* The bytes the author signs: a domain line, the origin and the record
 * without its signature.  malloc'd. */
char *pl__signed_message(const char *origin, const char *leaf_without_sig, size_t *len);
/* Builds and signs a record for in; *leaf and *body are malloc'd. */
int pl__entry_make(const pl__state *st, const pl_entry_in *in, char **leaf, char **body,
		   pl_error *err);
/* Checks an entry against every rule and applies it to st; full: also its
 * signature and canonical form (skipped for entries signed in this call).  index is its place in
 * the log. */
int pl__entry_check(pl__state *st, uint64_t index, const char *leaf, const char *body, int full,
		    pl__find_commit find, void *ctx, pl__record *rec, pl_error *err);
/* The same; the signature is taken as verified when verified (32 bytes,
 * may be NULL) is the key that must sign it. */
int pl__entry_check_verified(pl__state *st, uint64_t index, const char *leaf, const char *body,
			     int full, const uint8_t *verified, pl__find_commit find, void *ctx,
			     pl__record *rec, pl_error *err);
/* Verifies the signature of a canonical leaf under the key st says must
 * sign it; 0 and that key's public half in pub, -1 when it does not hold
 * (or st does not know the author: the append then checks it in full). */
int pl__entry_presign(const pl__state *st, const char *leaf, uint8_t pub[32]);
const pl__party *pl__state_party(const pl__state *st, const char *id);
const pl__channel *pl__state_channel(const pl__state *st, const char *id);
int pl__state_is_member(const pl__state *st, const char *channel, const char *party);
void pl__state_free(pl__state *st);

/* signed.c: the leaf and body texts (canonical) of a signed-entry document
 * for the log of origin; malloc'd. */
int pl__signed_doc_parse(const char *doc, size_t len, const char *origin, char **leaf, char **body,
			 pl_error *err);

/* merkle.c */
void pl__merkle_truncate(pl_merkle_tree *t, uint64_t size);

/* store.c */
/* Records "what: SQLite's message" at where as PL_EIO and returns it. */
int pl__db_fail(struct sqlite3 *db, pl_error *err, const char *where, const char *what);
int pl__exec(pl_ledger *lg, const char *sql, pl_error *err);
/* PL_OK, or the error for a ledger opened read-only. */
int pl__writable(const pl_ledger *lg, pl_error *err);
int pl__load_state(pl_ledger *lg, pl_error *err);
/* Brings the tree, the parties and the channels up to the entries in the
 * database (another connection may have appended). */
int pl__catch_up(pl_ledger *lg, pl_error *err);
/* pl_ledger_append_signed_many, verified[k] (NULL, or NULL entries) the key
 * entry k's signature was verified under (pl__entry_presign). */
int pl__append_signed_many(pl_ledger *lg, size_t n, const char *const *leaf,
			   const char *const *body, const uint8_t *const *verified,
			   uint64_t *index, pl_error *errs, pl_error *err);
int pl__find_commit_db(void *ctx, const uint8_t hash[PL_HASH_SIZE], uint64_t before,
		       pl__commit_ref *out);
int pl__read_entry(pl_ledger *lg, uint64_t index, char **leaf, char **body, pl_error *err);

/* log.c */
int pl__read_witness_state(const char *path, char **out, pl_error *err);
int pl__note_for_size(pl_ledger *lg, int64_t size, char **note, pl_error *err);
int pl__store_note(pl_ledger *lg, uint64_t size, const char *note, pl_error *err);
int pl__check_consistent(const pl_checkpoint *old, const pl_checkpoint *cp,
			 const uint8_t (*p)[PL_HASH_SIZE], size_t len, pl_error *err);
json_t *pl__proof_json(uint8_t (*p)[PL_HASH_SIZE], size_t len);
int pl__proof_from_json(json_t *a, uint8_t (*p)[PL_HASH_SIZE], size_t *len);

/* note.c */
typedef struct pl__note_sig {
	char name[PL_LEDGER_NAME_MAX + 1];
	uint32_t id;
	uint8_t sig[8 + 64];
	size_t len;
} pl__note_sig;

typedef struct pl__note {
	const char *text; /* points into the parsed note */
	size_t text_len;
	pl__note_sig sig[64];
	size_t nsig;
} pl__note;

int pl__note_parse(const char *note, size_t len, pl__note *out, pl_error *err);
int pl__note_sig_parse(const char *line, size_t len, pl__note_sig *out, pl_error *err);
int pl__checkpoint_parse_text(const char *text, size_t len, pl_checkpoint *cp, pl_error *err);

#endif
