/* ledger.h - the commitment and verification ledger.
 *
 * A transparency log of signed, typed statements between the parties of a
 * negotiation: who committed to what, who verified it, what was said in
 * which channel.  Entries are Ed25519-signed by their author, kept in an
 * append-only RFC 6962 / RFC 9162 Merkle tree stored in SQLite, and the log
 * publishes C2SP tlog-checkpoint signed notes that witnesses cosign.  Anyone
 * holding a bundle (entry, inclusion proof, checkpoint) can verify it offline.
 * From the record the ledger derives each commitment's state and a trust
 * score per party that forecasts may use.  docs/ledger.md has the formats,
 * the privacy model and the formulas. */
#ifndef PARLEY_LEDGER_H
#define PARLEY_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "parley/case.h"
#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PL_HASH_SIZE 32
/* Longest key, party, channel or log name (bytes, without the NUL). */
#define PL_LEDGER_NAME_MAX 128
/* Longest entry body (canonical JSON bytes): documents stay off the log. */
#define PL_LEDGER_BODY_MAX 65536

/* ---- Merkle tree (RFC 6962 section 2.1, RFC 9162 section 2.1) ---- */

/* SHA-256(0x00 || data), SHA-256(0x01 || left || right), SHA-256(""). */
void pl_merkle_leaf_hash(const void *data, size_t len, uint8_t out[PL_HASH_SIZE]);
void pl_merkle_node_hash(const uint8_t left[PL_HASH_SIZE], const uint8_t right[PL_HASH_SIZE],
			 uint8_t out[PL_HASH_SIZE]);
void pl_merkle_empty_root(uint8_t out[PL_HASH_SIZE]);

/* A proof never has more hashes than this (trees of up to 2^64 leaves). */
#define PL_MERKLE_PROOF_MAX 64

typedef struct pl_merkle_tree pl_merkle_tree;
int pl_merkle_tree_new(pl_merkle_tree **out, pl_error *err);
void pl_merkle_tree_free(pl_merkle_tree *t);
uint64_t pl_merkle_tree_size(const pl_merkle_tree *t);
int pl_merkle_tree_append(pl_merkle_tree *t, const uint8_t leaf_hash[PL_HASH_SIZE], pl_error *err);
int pl_merkle_tree_leaf(const pl_merkle_tree *t, uint64_t index, uint8_t out[PL_HASH_SIZE]);
/* The root of the first size leaves (any size up to the current one). */
int pl_merkle_tree_root(const pl_merkle_tree *t, uint64_t size, uint8_t out[PL_HASH_SIZE],
			pl_error *err);
/* proof must hold PL_MERKLE_PROOF_MAX hashes; *len receives the count. */
int pl_merkle_tree_inclusion_proof(const pl_merkle_tree *t, uint64_t index, uint64_t size,
				   uint8_t (*proof)[PL_HASH_SIZE], size_t *len, pl_error *err);
int pl_merkle_tree_consistency_proof(const pl_merkle_tree *t, uint64_t size1, uint64_t size2,
				     uint8_t (*proof)[PL_HASH_SIZE], size_t *len, pl_error *err);
/* Verifiers return PL_OK or PL_EINPUT with the reason in err. */
int pl_merkle_verify_inclusion(uint64_t index, uint64_t size, const uint8_t leaf[PL_HASH_SIZE],
			       const uint8_t (*proof)[PL_HASH_SIZE], size_t len,
			       const uint8_t root[PL_HASH_SIZE], pl_error *err);
int pl_merkle_verify_consistency(uint64_t size1, uint64_t size2, const uint8_t root1[PL_HASH_SIZE],
				 const uint8_t root2[PL_HASH_SIZE],
				 const uint8_t (*proof)[PL_HASH_SIZE], size_t len, pl_error *err);

/* ---- Keys (Ed25519; C2SP signed-note key encodings) ---- */

typedef struct pl_key {
	char name[PL_LEDGER_NAME_MAX + 1];
	uint8_t pub[32];
	uint8_t sec[64]; /* libsodium secret key (seed || public); zero when absent */
	int has_secret;
} pl_key;

/* A fresh key pair named name (letters, digits and . _ - / : only). */
int pl_key_generate(const char *name, pl_key *out, pl_error *err);
/* Writes "PRIVATE+KEY+<name>+<id>+<base64(0x01||seed)>" with mode 0600 and
 * "<name>+<id>+<base64(0x01||pub)>" (a signed-note verifier key), each to a
 * temporary file renamed into place. */
int pl_key_write_secret(const pl_key *k, const char *path, pl_error *err);
int pl_key_write_public(const pl_key *k, const char *path, pl_error *err);
/* Reads either kind of file (a secret key file gives both halves). */
int pl_key_read_file(const char *path, pl_key *out, pl_error *err);
/* Parses or formats the verifier key text "<name>+<hex id>+<base64>". */
int pl_key_parse_vkey(const char *text, pl_key *out, pl_error *err);
int pl_key_format_vkey(const pl_key *k, char *buf, size_t size);
/* The signed-note key ID: SHA-256(name || "\n" || type || pub)[:4], big-endian;
 * type is 0x01 for note signatures and 0x04 for tlog cosignatures. */
uint32_t pl_key_id(const pl_key *k, uint8_t type);
/* A key pair derived from a 32-byte seed (reproducible examples only: a
 * real party generates its key with pl_key_generate). */
int pl_key_from_seed(const char *name, const uint8_t seed[32], pl_key *out, pl_error *err);
/* Wipes the secret half. */
void pl_key_wipe(pl_key *k);

/* ---- Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint,
 *      tlog-cosignature) ---- */

typedef struct pl_checkpoint {
	char origin[PL_LEDGER_NAME_MAX + 1];
	uint64_t size;
	uint8_t root[PL_HASH_SIZE];
} pl_checkpoint;

/* The note text "origin\nsize\nbase64(root)\n" (buf of at least 256 bytes). */
int pl_checkpoint_format(const pl_checkpoint *cp, char *buf, size_t size);
/* Signs a checkpoint with the log key: a whole signed note, malloc'd. */
int pl_checkpoint_sign(const pl_checkpoint *cp, const pl_key *log_key, char **note, pl_error *err);
/* Parses a signed checkpoint note and verifies the log's signature.  When
 * witnesses is not NULL, each of the n witnesses must have a valid
 * cosignature; *cosigned (if not NULL) receives how many did. */
int pl_checkpoint_open(const char *note, size_t len, const pl_key *log_key, const pl_key *witnesses,
		       size_t n, size_t min_cosigs, pl_checkpoint *cp, size_t *cosigned,
		       pl_error *err);
/* A cosignature line ("— name base64(id||time||sig)\n") for the note's text
 * at POSIX time t, appended to the note (realloc'd in place). */
int pl_checkpoint_cosign(char **note, const pl_key *witness, uint64_t t, pl_error *err);

/* ---- The ledger ---- */

typedef struct pl_ledger pl_ledger;

typedef enum pl_entry_kind {
	PL_ENTRY_PARTY = 0,    /* registers a party and its public key (signed by the log) */
	PL_ENTRY_CHANNEL,      /* opens a channel with its members (signed by the log) */
	PL_ENTRY_COMMITMENT,   /* a party commits to an action */
	PL_ENTRY_VERIFICATION, /* a verifier reports on a commitment */
	PL_ENTRY_STATEMENT,    /* a position stated in a channel */
	PL_ENTRY_WITHDRAWAL,   /* a party withdraws one of its commitments */
	PL_ENTRY_KIND_COUNT
} pl_entry_kind;

const char *pl_entry_kind_name(pl_entry_kind k);

/* The public channel every party (and every reader) belongs to. */
#define PL_LEDGER_PUBLIC_CHANNEL "public"

/* Creates a new ledger database for log origin, whose checkpoints the key
 * log_key signs (only its public half is stored). */
int pl_ledger_create(const char *path, const char *origin, const pl_key *log_key, pl_error *err);
int pl_ledger_open(const char *path, pl_ledger **out, pl_error *err);
/* Opens a ledger for reading only (SQLITE_OPEN_READONLY): it works on a file
 * the user may not write (mode 444, read-only media) and never changes the
 * file; every call that would write returns PL_EINPUT.  docs/ledger.md,
 * "Storage", says what it does with the -wal and -shm files. */
int pl_ledger_open_read_only(const char *path, pl_ledger **out, pl_error *err);
/* PL_OK when path is a parley ledger database (it reads only the header and
 * the format), else PL_EINPUT saying what the file is instead: missing, a
 * directory, empty, not SQLite, damaged, another database. */
int pl_ledger_probe(const char *path, pl_error *err);
void pl_ledger_close(pl_ledger *lg);
/* Brings lg up to the entries other connections appended since it was
 * opened or last refreshed (the tree, the parties and the channels): a
 * read-only handle that follows a writer, as `parley serve` keeps for its
 * reads and bundles so that they wait for no append. */
int pl_ledger_refresh(pl_ledger *lg, pl_error *err);
uint64_t pl_ledger_size(const pl_ledger *lg);
const char *pl_ledger_origin(const pl_ledger *lg);
/* The log's public key. */
const pl_key *pl_ledger_log_key(const pl_ledger *lg);

/* An entry to append: the author signs it (author->has_secret), time is
 * "YYYY-MM-DDTHH:MM:SSZ" (NULL: now), body is a JSON object text. */
typedef struct pl_entry_in {
	pl_entry_kind kind;
	const char *channel;
	const char *time;
	const char *body;
	const pl_key *author;
	/* 32 bytes from which the entry's nonce and body salt are derived, for
	 * reproducible ledgers (a replayed example); NULL: fresh random bytes. */
	const uint8_t *seed;
} pl_entry_in;

/* Signs and appends n entries in one transaction, synced to disk before it
 * returns; either all are appended or none.  first (if not NULL) receives the
 * index of the first one.  The rules (author registered and a member of the
 * channel, party and channel entries by the log, references to existing
 * commitments) are in docs/ledger.md. */
int pl_ledger_append(pl_ledger *lg, const pl_entry_in *in, size_t n, uint64_t *first,
		     pl_error *err);
/* Registers a party (id, its public key pub, a display name and a role:
 * delegation, inspectorate or observer) or opens a channel with its
 * members: entries in the public channel signed by the log key (time NULL:
 * now).  *index (if not NULL) receives the entry's index. */
int pl_ledger_add_party(pl_ledger *lg, const pl_key *log_key, const char *id, const pl_key *pub,
			const char *name, const char *role, const char *time, uint64_t *index,
			pl_error *err);
int pl_ledger_add_channel(pl_ledger *lg, const pl_key *log_key, const char *id, const char *name,
			  const char *const *members, size_t n_members, const char *time,
			  uint64_t *index, pl_error *err);
/* A batch written as JSON lines, one entry a line: {"kind", "channel",
 * "time", "body"} (kind commitment, verification, statement or withdrawal;
 * body an object; channel and time optional strings; empty lines skipped).
 * *out is one allocation (free it with pl_free) holding the *n entries and
 * their strings; each entry's author is NULL, for the caller to set before
 * pl_ledger_append.  An error names name:LINE. */
int pl_entry_lines_parse(pl_entry_in **out, size_t *n, const char *text, size_t len,
			 const char *name, pl_error *err);
/* Appends entries already signed elsewhere (leaf record + body text). */
int pl_ledger_append_signed(pl_ledger *lg, const char *leaf, const char *body, uint64_t *index,
			    pl_error *err);
/* Appends n entries signed elsewhere in one transaction, synced once: many
 * parties' entries for the price of one.  Entry k that breaks a rule is
 * refused alone, its reason in errs[k] (errs cleared by the caller); the
 * others are appended, index[k] (if index is not NULL) receiving their
 * indices.  A failing transaction appends none and returns its error. */
int pl_ledger_append_signed_many(pl_ledger *lg, size_t n, const char *const *leaf,
				 const char *const *body, uint64_t *index, pl_error *errs,
				 pl_error *err);
/* Signs a leaf record for an entry without appending it (for clients that
 * sign on their own machine): *leaf and *body are malloc'd. */
int pl_ledger_sign_entry(const pl_ledger *lg, const pl_entry_in *in, char **leaf, char **body,
			 pl_error *err);

/* Entries signed offline (docs/ledger.md, "Entries signed offline").
 * pl_entry_sign signs in for the log of origin with no database at all:
 * *out (freed with pl_free) is one canonical JSON document, the signed
 * entry {"body":{...},"format":"parley-signed-entry/v1","leaf":{...},
 * "origin":"..."}.  pl_ledger_append_signed_doc appends such a document
 * (any JSON spelling of it: the leaf and body are re-serialised canonically)
 * under every rule of pl_ledger_append: the author's registered key, channel
 * membership, no replay (the same entry twice), no forgery (the signature,
 * which binds the origin, the leaf and the body's hash).  *index (if not
 * NULL) receives the entry's index. */
int pl_entry_sign(char **out, const char *origin, const pl_entry_in *in, pl_error *err);
int pl_ledger_append_signed_doc(pl_ledger *lg, const char *doc, size_t len, uint64_t *index,
				pl_error *err);
/* n such documents in one transaction (pl_ledger_append_signed_many): a
 * document refused alone has its reason in errs[k]. */
int pl_ledger_append_signed_docs(pl_ledger *lg, size_t n, const char *const *doc,
				 const size_t *len, uint64_t *index, pl_error *errs,
				 pl_error *err);

/* The same in two steps, so that many threads share the work: the
 * document parsed and its signature verified beforehand, on any handle of
 * the log (a read-only one that follows the writer), then appended, the
 * rules checked again but not the signature when the author's key is still
 * the one it held under (a service does the first step in each request's
 * thread and only the second under its one writer).  A document that does
 * not parse is refused by pl_signed_entry_prepare; anything else by the
 * append, in errs[k], as pl_ledger_append_signed_docs says it. */
typedef struct pl_signed_entry pl_signed_entry;
int pl_signed_entry_prepare(const pl_ledger *lg, const char *doc, size_t len,
			    pl_signed_entry **out, pl_error *err);
void pl_signed_entry_free(pl_signed_entry *e);
int pl_ledger_append_prepared(pl_ledger *lg, size_t n, pl_signed_entry *const *e,
			      uint64_t *index, pl_error *errs, pl_error *err);

/* Checks that k (with its secret half) is the registered key of party
 * k->name, or the log key: the viewer a command acts as. */
int pl_ledger_check_viewer(const pl_ledger *lg, const pl_key *k, pl_error *err);
/* Registered parties: id and role of the i-th (i < pl_ledger_n_parties). */
size_t pl_ledger_n_parties(const pl_ledger *lg);
const char *pl_ledger_party_id(const pl_ledger *lg, size_t i);
const char *pl_ledger_party_role(const pl_ledger *lg, size_t i);

/* One entry as a viewer sees it: the leaf record always, the body only when
 * viewer (a party id, or NULL for the log operator who holds everything) is a
 * member of the entry's channel.  JSON text, malloc'd. */
int pl_ledger_show(pl_ledger *lg, uint64_t index, const char *viewer, char **json, pl_error *err);

/* The current root, a signed checkpoint of the current tree, the latest
 * stored checkpoint note. */
int pl_ledger_root(const pl_ledger *lg, uint64_t size, uint8_t out[PL_HASH_SIZE], pl_error *err);
int pl_ledger_checkpoint(pl_ledger *lg, const pl_key *log_key, char **note, pl_error *err);
int pl_ledger_latest_checkpoint(pl_ledger *lg, char **note, pl_error *err);
/* Proofs as JSON text {"index"|"size1", ..., "proof": [base64, ...]}. */
int pl_ledger_inclusion_proof(const pl_ledger *lg, uint64_t index, uint64_t size, char **json,
			      pl_error *err);
int pl_ledger_consistency_proof(const pl_ledger *lg, uint64_t size1, uint64_t size2, char **json,
				pl_error *err);

/* The witness: reads the latest checkpoint, checks it against the last one
 * this witness saw (kept in state_path: a consistency proof is required),
 * cosigns it, stores the cosignature in the ledger and updates the state
 * file.  Refuses (PL_EINPUT) on a split view. */
int pl_ledger_witness(pl_ledger *lg, const pl_key *witness, const char *state_path, uint64_t now,
		      pl_error *err);
/* The same check without a database: old and new checkpoint notes and a
 * consistency proof (the JSON of pl_ledger_consistency_proof). */
int pl_witness_check(const char *old_note, const char *new_note, const char *proof_json,
		     const pl_key *log_key, pl_error *err);

/* The independent witness, with no database: checks new_note (signed by
 * log_key) against the checkpoint kept in state_path (a consistency proof,
 * the JSON of pl_ledger_consistency_proof, is needed when the log grew),
 * cosigns it at POSIX time now and keeps it as the new state.  *cosigned
 * (malloc'd) is the note with the cosignature added. */
int pl_witness_cosign_offline(const char *state_path, const pl_key *witness, const pl_key *log_key,
			      const char *new_note, const char *proof_json, uint64_t now,
			      char **cosigned, pl_error *err);
/* Attaches the valid cosignatures of registered parties in note (a copy of
 * a stored checkpoint) to the stored checkpoint; *added counts the new ones.
 * Any other signature line is refused. */
int pl_ledger_add_cosignatures(pl_ledger *lg, const char *note, size_t *added, pl_error *err);

/* A self-contained bundle (JSON, malloc'd): the entry (with its body if
 * viewer may read it), its inclusion proof, the author's registration entry
 * with its proof, and the latest checkpoint with its cosignatures. */
int pl_ledger_bundle(pl_ledger *lg, uint64_t index, const char *viewer, char **json, pl_error *err);
/* PL_OK when json has the form of a bundle (JSON, the format and the
 * members with their types), PL_EINPUT naming the JSON path otherwise.  A
 * bundle of the right form may still fail pl_bundle_verify. */
int pl_bundle_check_form(const char *json, size_t len, pl_error *err);
/* Verifies a bundle with no database: the log key is required, witnesses
 * optional (each given witness must have cosigned). */
int pl_bundle_verify(const char *json, size_t len, const pl_key *log_key, const pl_key *witnesses,
		     size_t nwitnesses, pl_error *err);

/* Signed requests (docs/server.md): a registered party signs
 * "parley-request\n" METHOD "\n" PATH "\n" TIME "\n" (TIME in POSIX
 * seconds) with its key; *sig gets the base64 signature (pl_free).
 * pl_ledger_verify_request checks one against party's registered key, time
 * within 300 seconds of now; PL_EINPUT naming the header that fails. */
int pl_request_sign(const pl_key *k, const char *method, const char *path, uint64_t time,
		    char **sig, pl_error *err);
int pl_ledger_verify_request(const pl_ledger *lg, const char *party, const char *method,
			     const char *path, const char *time, const char *sig, uint64_t now,
			     pl_error *err);

/* Re-verifies everything in the database: every signature, every body hash,
 * every rule, the whole tree, every stored checkpoint and cosignature, and
 * SQLite's own integrity check.  *checked receives the number of entries. */
int pl_ledger_audit(pl_ledger *lg, uint64_t *checked, pl_error *err);

/* ---- Commitments and trust ---- */

typedef enum pl_commitment_state {
	PL_COMMIT_PLEDGED = 0,
	PL_COMMIT_IN_PROGRESS,
	PL_COMMIT_VERIFIED,
	PL_COMMIT_VIOLATED,
	PL_COMMIT_WITHDRAWN,
	PL_COMMIT_EXPIRED
} pl_commitment_state;

const char *pl_commitment_state_name(pl_commitment_state s);

typedef struct pl_commitment {
	uint64_t index;		       /* the commitment entry */
	char id[2 * PL_HASH_SIZE + 1]; /* its leaf hash in hex */
	char party[PL_LEDGER_NAME_MAX + 1];
	char channel[PL_LEDGER_NAME_MAX + 1];
	char action[256];
	char deadline[32]; /* "" when none */
	pl_commitment_state state;
	char since[32]; /* time of the entry that set the state */
} pl_commitment;

typedef struct pl_trust_params {
	double half_life_days; /* forgetting: an outcome's weight halves after this */
	double prior_pos;      /* beta prior (1, 1 = uniform) */
	double prior_neg;
} pl_trust_params;

void pl_trust_params_default(pl_trust_params *p);

typedef struct pl_trust {
	char party[PL_LEDGER_NAME_MAX + 1];
	double score; /* in [0, 1]: expected probability the party keeps a commitment */
	double pos;   /* discounted evidence for and against */
	double neg;
	int kept, broken, open;
} pl_trust;

/* Commitments visible to viewer (NULL: all) with their state as of time
 * as_of ("YYYY-MM-DDTHH:MM:SSZ"; NULL: the latest entry time).  Arrays are
 * malloc'd; free with free(). */
int pl_ledger_commitments(pl_ledger *lg, const char *viewer, const char *as_of, pl_commitment **out,
			  size_t *n, pl_error *err);
/* The trust hook for forecasts: one score per registered party, from the
 * commitments viewer may see.  docs/ledger.md gives the formula and how an
 * engine may use the score (scaling a party's capability or the weight of
 * its promised position). */
int pl_ledger_trust(pl_ledger *lg, const char *viewer, const char *as_of,
		    const pl_trust_params *params, pl_trust **out, size_t *n, pl_error *err);

/* The status document (`parley ledger status --json`): origin, entries,
 * viewer, as_of, half_life_days, then every commitment viewer may see with
 * its state and every party's trust, as pl_ledger_commitments and
 * pl_ledger_trust give them (params NULL: the defaults).  *out is freed
 * with pl_free. */
int pl_ledger_status_json(char **out, pl_ledger *lg, const char *viewer, const char *as_of,
			  const pl_trust_params *params, pl_error *err);

/* Builds a new ledger at db from a history script (a JSON file such as
 * data/ledger/korea-2007.json: origin, log, parties, channels, witnesses,
 * entries with checkpoints between them; docs/ledger.md, "The shipped
 * example").  Keys are read from keys_dir, or made there when missing
 * (the directory too): from seed when seed is not NULL, so that the same
 * seed gives the same ledger byte for byte, else fresh random keys, nonces
 * and salts.  *n_entries (if not NULL) receives the ledger's size.  An error
 * names the script and the JSON path; a failed replay removes the ledger it
 * created. */
int pl_ledger_replay(const char *db, const char *script, const char *keys_dir, const char *seed,
		     uint64_t *n_entries, pl_error *err);

/* Capability factors for a forecast from trust scores (docs/ledger.md, "Trust
 * in forecasts"): for each of the n_actors actor ids, 1 + weight * (2 t - 1)
 * when a party of that id has trust t, else 1 (no record, no change).
 * weight in [0, 1]: 0 ignores the ledger, 1 maps trust 0..1 to factors 0..2.
 * The factors go to pl_case_scale_capabilities. */
int pl_trust_capability_factors(const pl_trust *t, size_t nt, const char *const *actor_ids,
				size_t n_actors, double weight, double *factor, pl_error *err);

/* What a forecast records of the ledger whose trust scaled its case. */
typedef struct pl_ledger_trust_state {
	char origin[PL_LEDGER_NAME_MAX + 1];
	char root[2 * PL_HASH_SIZE + 1]; /* hex Merkle root at size entries */
	uint64_t size;
	size_t matched; /* actors whose capability the ledger changed */
	/* YYYY-MM-DD of the latest commitment event (a state set by an entry
	 * at or before as_of) of a party that is an actor of the case, "" when
	 * none; and the last year the case's period names (0 when it names
	 * none): trust from events after the period weighs on a forecast of
	 * it (the command warns) */
	char latest_event[11];
	int period_end_year;
} pl_ledger_trust_state;

/* `forecast --trust`: opens the ledger at ledger_path read-only, takes
 * every party's trust as of as_of (NULL: the latest entry) and scales the
 * capabilities of c by pl_trust_capability_factors with weight.  *out is the
 * scaled case (pl_case_free), *state the ledger's provenance. */
int pl_ledger_scale_case(pl_case **out, const pl_case *c, const char *ledger_path, double weight,
			 const char *as_of, pl_ledger_trust_state *state, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
