/* store.c - the ledger's SQLite storage: creating and opening a database,
 * loading the state the rules need, and appending batches of entries in one
 * synced transaction (WAL, synchronous=FULL: a COMMIT that returns is on
 * disk, so an acknowledged append survives a crash). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "ledger/ledger_internal.h"

#define FORMAT "parley-ledger/1"

static const char schema[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE entries(idx INTEGER PRIMARY KEY, leaf TEXT NOT NULL, body TEXT NOT NULL,"
	" lh BLOB NOT NULL UNIQUE, kind TEXT NOT NULL, channel TEXT NOT NULL,"
	" author TEXT NOT NULL);"
	"CREATE TABLE parties(id TEXT PRIMARY KEY, vkey TEXT NOT NULL, role TEXT NOT NULL,"
	" idx INTEGER NOT NULL);"
	"CREATE TABLE channels(id TEXT PRIMARY KEY, members TEXT NOT NULL, idx INTEGER NOT NULL);"
	"CREATE TABLE checkpoints(size INTEGER PRIMARY KEY, note TEXT NOT NULL);";

static int db_fail(sqlite3 *db, pl_error *err, const char *where, const char *what)
{
	return pl_error_set(err, PL_EIO, where, "%s: %s", what, db ? sqlite3_errmsg(db) : "?");
}

int pl__exec(pl_ledger *lg, const char *sql, pl_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(lg->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pl_error_set(err, PL_EIO, lg->path, "%s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return PL_EIO;
	}
	return PL_OK;
}

/* How long a connection waits for another process's write lock. */
#define BUSY_MS 10000

/* busy_timeout first: switching to WAL takes a lock another process may hold. */
static int set_pragmas(sqlite3 *db)
{
	if (sqlite3_busy_timeout(db, BUSY_MS) != SQLITE_OK)
		return SQLITE_ERROR;
	return sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
			    NULL);
}

int pl_ledger_create(const char *path, const char *origin, const pl_key *log_key, pl_error *err)
{
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	if (!pl__name_ok(origin))
		return pl_error_set(err, PL_EINPUT, "origin",
				    "'%s' is not a valid log origin (letters, digits, . _ - / :)",
				    origin);
	if (access(path, F_OK) == 0)
		return pl_error_set(err, PL_EINPUT, path,
				    "exists already: a ledger is created once");
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		int rc = db_fail(db, err, path, "cannot create");
		sqlite3_close(db);
		return rc;
	}
	char vkey[512];
	pl_key_format_vkey(log_key, vkey, sizeof vkey);
	sqlite3_stmt *st = NULL;
	int ok = set_pragmas(db) == SQLITE_OK &&
		 sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
		 sqlite3_exec(db, schema, NULL, NULL, NULL) == SQLITE_OK &&
		 sqlite3_prepare_v2(db,
				    "INSERT INTO meta VALUES ('format', ?), ('origin', ?),"
				    " ('log_key', ?)",
				    -1, &st, NULL) == SQLITE_OK;
	if (ok) {
		sqlite3_bind_text(st, 1, FORMAT, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, vkey, -1, SQLITE_STATIC);
		ok = sqlite3_step(st) == SQLITE_DONE &&
		     sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_finalize(st);
	int rc = ok ? PL_OK : db_fail(db, err, path, "cannot create the ledger");
	sqlite3_close(db);
	if (!ok)
		unlink(path);
	return rc;
}

/* Why the first query of a ledger failed: a database without the ledger's
 * tables, a damaged or truncated file, or one SQLite cannot open. */
static int unreadable(pl_ledger *lg, pl_error *err)
{
	int code = sqlite3_errcode(lg->db);
	const char *msg = sqlite3_errmsg(lg->db);
	if (code == SQLITE_ERROR && strstr(msg, "no such table"))
		return pl_error_set(err, PL_EINPUT, lg->path,
				    "not a parley ledger (a SQLite database without the ledger's "
				    "meta table)");
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return pl_error_set(err, PL_EINPUT, lg->path,
				    "not a readable ledger: damaged or truncated (%s)", msg);
	return pl_error_set(err, PL_EINPUT, lg->path, "cannot read the ledger: %s", msg);
}

static int meta_get(pl_ledger *lg, const char *key, char *out, size_t size, pl_error *err)
{
	sqlite3_stmt *st;
	int rc = PL_EINPUT;
	if (sqlite3_prepare_v2(lg->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return unreadable(lg, err);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = PL_OK;
	}
	sqlite3_finalize(st);
	if (rc != PL_OK)
		return pl_error_set(err, PL_EINPUT, lg->path, "meta value '%s' is missing", key);
	return PL_OK;
}

/* Rebuilds the parties and channels from their tables (the audit checks
 * them against the log itself). */
int pl__load_state(pl_ledger *lg, pl_error *err)
{
	pl__state *s = &lg->st;
	pl__state_free(s);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(lg->db, "SELECT id, vkey, role FROM parties ORDER BY idx", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot read parties");
	int rc = PL_OK;
	while (rc == PL_OK && sqlite3_step(st) == SQLITE_ROW) {
		pl_key k;
		const char *vk = (const char *)sqlite3_column_text(st, 1);
		const char *role = (const char *)sqlite3_column_text(st, 2);
		if (!vk || !role || pl_key_parse_vkey(vk, &k, err) != PL_OK) {
			rc = pl_error_set(err, PL_EINPUT, lg->path, "a party's key is damaged");
			break;
		}
		if (s->nparties == s->cparties) {
			size_t nc = s->cparties ? 2 * s->cparties : 8;
			void *p = realloc(s->parties, nc * sizeof *s->parties);
			if (!p) {
				rc = pl_error_set(err, PL_ENOMEM, lg->path, "out of memory");
				break;
			}
			s->parties = p;
			s->cparties = nc;
		}
		pl__party *p = &s->parties[s->nparties++];
		memset(p, 0, sizeof *p);
		p->key = k;
		snprintf(p->role, sizeof p->role, "%s", role);
	}
	sqlite3_finalize(st);
	if (rc != PL_OK)
		return rc;
	if (sqlite3_prepare_v2(lg->db, "SELECT id, members FROM channels ORDER BY idx", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot read channels");
	while (rc == PL_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *m = (const char *)sqlite3_column_text(st, 1);
		json_t *a = m ? json_loads(m, 0, NULL) : NULL;
		if (!id || !json_is_array(a)) {
			json_decref(a);
			rc = pl_error_set(err, PL_EINPUT, lg->path,
					  "a channel's members are damaged");
			break;
		}
		if (s->nchannels == s->cchannels) {
			size_t nc = s->cchannels ? 2 * s->cchannels : 8;
			void *p = realloc(s->channels, nc * sizeof *s->channels);
			if (!p) {
				json_decref(a);
				rc = pl_error_set(err, PL_ENOMEM, lg->path, "out of memory");
				break;
			}
			s->channels = p;
			s->cchannels = nc;
		}
		pl__channel *c = &s->channels[s->nchannels++];
		memset(c, 0, sizeof *c);
		snprintf(c->id, sizeof c->id, "%s", id);
		c->members = calloc(json_array_size(a) + 1, sizeof *c->members);
		for (size_t i = 0; c->members && i < json_array_size(a); i++) {
			const char *p = json_string_value(json_array_get(a, i));
			if (!(c->members[c->nmembers] = strdup(p ? p : "")))
				break;
			c->nmembers++;
		}
		if (!c->members || c->nmembers < json_array_size(a))
			rc = pl_error_set(err, PL_ENOMEM, lg->path, "out of memory");
		json_decref(a);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Adds the leaf hashes of the entries from the tree's size on. */
static int load_tree(pl_ledger *lg, pl_error *err)
{
	sqlite3_stmt *st;
	uint64_t want = pl_merkle_tree_size(lg->tree);
	if (sqlite3_prepare_v2(lg->db, "SELECT idx, lh FROM entries WHERE idx >= ? ORDER BY idx",
			       -1, &st, NULL) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot read entries");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)want);
	int rc = PL_OK;
	while (rc == PL_OK && sqlite3_step(st) == SQLITE_ROW) {
		if ((uint64_t)sqlite3_column_int64(st, 0) != want ||
		    sqlite3_column_bytes(st, 1) != PL_HASH_SIZE) {
			rc = pl_error_set(err, PL_EINPUT, lg->path,
					  "entry %llu is missing or damaged; run audit",
					  (unsigned long long)want);
			break;
		}
		rc = pl_merkle_tree_append(lg->tree, sqlite3_column_blob(st, 1), err);
		want++;
	}
	sqlite3_finalize(st);
	return rc;
}

static int prepare(pl_ledger *lg, pl_error *err)
{
	if (sqlite3_prepare_v2(lg->db,
			       "INSERT INTO entries(idx, leaf, body, lh, kind, channel, author)"
			       " VALUES (?, ?, ?, ?, ?, ?, ?)",
			       -1, &lg->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db,
			       "SELECT idx, author, channel, body, leaf FROM entries"
			       " WHERE lh = ? AND kind = 'commitment' AND idx < ?",
			       -1, &lg->find, NULL) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot prepare statements");
	return PL_OK;
}

/* Inside BEGIN IMMEDIATE: another process may have appended since this
 * one opened the ledger, so the next index, the tree and the parties and
 * channels are brought up to the database's state before anything is
 * checked or written.  Outside a transaction (pl_ledger_refresh, a
 * reader following a writer) it brings them up to the latest commit. */
int pl__catch_up(pl_ledger *lg, pl_error *err)
{
	sqlite3_stmt *st;
	/* the next index, not count(*): the primary key answers it at once,
	 * where a count reads the whole table (load_tree checks there are no
	 * gaps) */
	if (pl__prepare(lg, "SELECT coalesce(max(idx) + 1, 0) FROM entries", &st) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot read entries");
	uint64_t n = sqlite3_step(st) == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
	pl__unprepare(lg, st);
	uint64_t have = pl_merkle_tree_size(lg->tree);
	if (n == have)
		return PL_OK;
	if (n < have)
		return pl_error_set(err, PL_EINPUT, lg->path,
				    "the log holds %llu entries, fewer than the %llu read at "
				    "opening; run audit",
				    (unsigned long long)n, (unsigned long long)have);
	int rc = load_tree(lg, err);
	return rc == PL_OK ? pl__load_state(lg, err) : rc;
}

int pl_ledger_refresh(pl_ledger *lg, pl_error *err)
{
	return pl__catch_up(lg, err);
}

/* Is path a file that can hold a ledger?  Nothing is written to a file
 * until it is known to be one: an empty file, a directory or another
 * database passed by mistake stays as it was. */
static int check_file(const char *path, pl_error *err)
{
	struct stat sb;
	char head[16];
	if (stat(path, &sb) != 0)
		return errno == ENOENT
			       ? pl_error_set(
					 err, PL_EINPUT, path,
					 "no such ledger (create one with 'parley ledger init')")
			       : pl_error_set(err, PL_EINPUT, path, "cannot open the ledger: %s",
					      strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return pl_error_set(err, PL_EINPUT, path, "is a directory, not a ledger database");
	if (!S_ISREG(sb.st_mode))
		return pl_error_set(err, PL_EINPUT, path, "is not a regular file, not a ledger");
	if (sb.st_size == 0)
		return pl_error_set(err, PL_EINPUT, path, "is empty, not a ledger");
	FILE *f = fopen(path, "rb");
	if (!f)
		return pl_error_set(err, PL_EINPUT, path, "cannot read the ledger: %s",
				    strerror(errno));
	size_t got = fread(head, 1, sizeof head, f);
	fclose(f);
	if (got != sizeof head || memcmp(head, "SQLite format 3", 16) != 0)
		return pl_error_set(err, PL_EINPUT, path, "not a ledger (not a SQLite database)");
	return PL_OK;
}

/* "file:" URI of path with immutable=1 (RFC 3986 escapes for what SQLite
 * would read as query, fragment or escape); malloc'd. */
static char *immutable_uri(const char *path)
{
	size_t n = strlen(path);
	char *u = malloc(3 * n + 32), *o = u;
	if (!u)
		return NULL;
	o += sprintf(o, "file:%s", path[0] == '/' ? "//" : "");
	for (const unsigned char *c = (const unsigned char *)path; *c; c++)
		o += (*c == '%' || *c == '?' || *c == '#' || *c < 0x20 || *c >= 0x7f)
			     ? sprintf(o, "%%%02X", *c)
			     : sprintf(o, "%c", *c);
	strcpy(o, "?immutable=1");
	return u;
}

enum { RO_PLAIN, RO_IMMUTABLE, RO_CLEAN };

/* RO_CLEAN opens for writing but only reads (query_only): as the last
 * connection to close, SQLite then removes the -wal and -shm files the
 * read made, which a read-only connection cannot do. */
static int try_open_ro(pl_ledger *lg, int how)
{
	sqlite3_close(lg->db);
	lg->db = NULL;
	char *uri = how == RO_IMMUTABLE ? immutable_uri(lg->path) : NULL;
	if (how == RO_IMMUTABLE && !uri)
		return SQLITE_NOMEM;
	int flags = how == RO_CLEAN ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	int rc = sqlite3_open_v2(uri ? uri : lg->path, &lg->db, flags | (uri ? SQLITE_OPEN_URI : 0),
				 NULL);
	free(uri);
	if (rc == SQLITE_OK)
		rc = sqlite3_busy_timeout(lg->db, BUSY_MS);
	if (rc == SQLITE_OK && how == RO_CLEAN && sqlite3_db_readonly(lg->db, "main") != 0)
		rc = SQLITE_READONLY;
	if (rc == SQLITE_OK && how == RO_CLEAN)
		rc = sqlite3_exec(lg->db, "PRAGMA query_only=1", NULL, NULL, NULL);
	/* the first read is what opens the write-ahead log */
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(lg->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	return rc;
}

/* May this user write path and create files beside it? */
static int may_write_beside(const char *path)
{
	char dir[4200];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return access(path, W_OK) == 0 && access(dir, W_OK | X_OK) == 0;
}

/* A read-only connection.  SQLite reads a WAL database through PATH-shm
 * and PATH-wal, which it creates when they are missing.  When the user may
 * write the ledger and its directory and no commits wait in a -wal, the
 * connection is opened for writing with query_only set, so that closing it
 * removes them again (a writer working at the same time keeps them: SQLite
 * removes them only when the last connection closes).  When neither
 * exists and nobody may write the file (mode 444, read-only media), there
 * is no writer and nothing in a log, so the file is opened immutable and
 * nothing is created: a -shm made with mode 444 would stop the owner's
 * next append.  When SQLite cannot create them (a directory the user
 * cannot write) the same holds if the log is empty; a log that holds
 * commits must be read, and immutable would skip them. */
static int open_read_only(pl_ledger *lg, pl_error *err)
{
	char wal[4200], shm[4200];
	struct stat sw, ss, sd;
	snprintf(wal, sizeof wal, "%s-wal", lg->path);
	snprintf(shm, sizeof shm, "%s-shm", lg->path);
	int has_wal = stat(wal, &sw) == 0, has_shm = stat(shm, &ss) == 0;
	int locked_out = stat(lg->path, &sd) == 0 &&
			 ((sd.st_mode & 0222) == 0 || access(lg->path, W_OK) != 0);
	int immutable = !has_wal && !has_shm && locked_out;
	int rc = SQLITE_CANTOPEN;
	/* only when no commits wait in a -wal: closing would checkpoint them
	 * into the database, and a read leaves the database as it was */
	if (!locked_out && (!has_wal || sw.st_size == 0) && may_write_beside(lg->path))
		rc = try_open_ro(lg, RO_CLEAN);
	if (rc != SQLITE_OK)
		rc = try_open_ro(lg, immutable ? RO_IMMUTABLE : RO_PLAIN);
	if (rc != SQLITE_OK && !immutable && (!has_wal || sw.st_size == 0)) {
		immutable = 1;
		rc = try_open_ro(lg, RO_IMMUTABLE);
	}
	if (rc == SQLITE_OK)
		return PL_OK;
	if (has_wal && sw.st_size > 0 && (rc & 0xff) != SQLITE_NOTADB &&
	    (rc & 0xff) != SQLITE_CORRUPT)
		return pl_error_set(err, PL_EINPUT, lg->path,
				    "cannot read the ledger read-only: %s holds commits not yet "
				    "in the database and SQLite cannot open %s beside it (%s); "
				    "copy the ledger with its -wal file to a directory you can "
				    "write",
				    wal, shm, sqlite3_errmsg(lg->db));
	return unreadable(lg, err);
}

static int open_ledger(const char *path, int read_only, pl_ledger **out, pl_error *err)
{
	*out = NULL;
	if (pl__sodium(err) != PL_OK)
		return PL_EINTERNAL;
	pl_ledger *lg = calloc(1, sizeof *lg);
	if (!lg || !(lg->path = strdup(path))) {
		free(lg);
		return pl_error_set(err, PL_ENOMEM, path, "out of memory");
	}
	lg->read_only = read_only;
	char fmt[64], vkey[512];
	int rc = check_file(path, err);
	if (rc == PL_OK && read_only) {
		rc = open_read_only(lg, err);
	} else if (rc == PL_OK &&
		   (sqlite3_open_v2(path, &lg->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
		    sqlite3_busy_timeout(lg->db, BUSY_MS) != SQLITE_OK)) {
		rc = pl_error_set(err, PL_EINPUT, path, "cannot open the ledger: %s",
				  lg->db ? sqlite3_errmsg(lg->db) : "?");
	} else if (rc == PL_OK && sqlite3_db_readonly(lg->db, "main") == 1) {
		/* SQLite falls back to reading when it may not write */
		rc = pl_error_set(err, PL_EINPUT, path,
				  "cannot write the ledger (no write permission, or read-only "
				  "media); commands that only read it still work");
	}
	if (rc == PL_OK && (rc = meta_get(lg, "format", fmt, sizeof fmt, err)) == PL_OK &&
	    strcmp(fmt, FORMAT) != 0)
		rc = pl_error_set(err, PL_EINPUT, path, "format '%s' is not %s", fmt, FORMAT);
	if (rc == PL_OK && !read_only && set_pragmas(lg->db) != SQLITE_OK)
		rc = pl_error_set(err, PL_EIO, path, "cannot set up the ledger: %s",
				  sqlite3_errmsg(lg->db));
	if (rc == PL_OK && read_only)
		pl__exec(lg, "PRAGMA query_only=1", NULL);
	if (rc == PL_OK)
		rc = meta_get(lg, "origin", lg->st.origin, sizeof lg->st.origin, err);
	if (rc == PL_OK && (rc = meta_get(lg, "log_key", vkey, sizeof vkey, err)) == PL_OK)
		rc = pl_key_parse_vkey(vkey, &lg->st.log_key, err);
	if (rc == PL_OK)
		rc = pl__load_state(lg, err);
	if (rc == PL_OK)
		rc = pl_merkle_tree_new(&lg->tree, err);
	if (rc == PL_OK)
		rc = load_tree(lg, err);
	if (rc == PL_OK)
		rc = prepare(lg, err);
	if (rc != PL_OK) {
		pl_ledger_close(lg);
		return rc;
	}
	*out = lg;
	return PL_OK;
}

int pl_ledger_open(const char *path, pl_ledger **out, pl_error *err)
{
	return open_ledger(path, 0, out, err);
}

int pl_ledger_open_read_only(const char *path, pl_ledger **out, pl_error *err)
{
	return open_ledger(path, 1, out, err);
}

int pl_ledger_probe(const char *path, pl_error *err)
{
	pl_ledger lg;
	memset(&lg, 0, sizeof lg);
	lg.path = (char *)(uintptr_t)path;
	char fmt[64];
	int rc = check_file(path, err);
	if (rc == PL_OK)
		rc = open_read_only(&lg, err);
	if (rc == PL_OK && (rc = meta_get(&lg, "format", fmt, sizeof fmt, err)) == PL_OK &&
	    strcmp(fmt, FORMAT) != 0)
		rc = pl_error_set(err, PL_EINPUT, path, "format '%s' is not %s", fmt, FORMAT);
	sqlite3_close(lg.db);
	return rc;
}

int pl__writable(const pl_ledger *lg, pl_error *err)
{
	if (lg->read_only)
		return pl_error_set(err, PL_EINPUT, lg->path,
				    "the ledger was opened read-only: this changes it");
	return PL_OK;
}

void pl_ledger_close(pl_ledger *lg)
{
	if (!lg)
		return;
	sqlite3_finalize(lg->ins);
	sqlite3_finalize(lg->find);
	pl__stmts_free(lg);
	sqlite3_close(lg->db);
	free(lg->cp_note);
	pl__state_free(&lg->st);
	pl_merkle_tree_free(lg->tree);
	free(lg->path);
	free(lg);
}

uint64_t pl_ledger_size(const pl_ledger *lg)
{
	return pl_merkle_tree_size(lg->tree);
}

const char *pl_ledger_origin(const pl_ledger *lg)
{
	return lg->st.origin;
}

const pl_key *pl_ledger_log_key(const pl_ledger *lg)
{
	return &lg->st.log_key;
}

int pl_ledger_check_viewer(const pl_ledger *lg, const pl_key *k, pl_error *err)
{
	const pl_key *want = &lg->st.log_key;
	if (strcmp(k->name, want->name) != 0) {
		const pl__party *p = pl__state_party(&lg->st, k->name);
		if (!p)
			return pl_error_set(err, PL_EINPUT, "key", "'%s' is not a registered party",
					    k->name);
		want = &p->key;
	}
	if (!k->has_secret || sodium_memcmp(k->pub, want->pub, 32) != 0 ||
	    sodium_memcmp(k->sec + 32, k->pub, 32) != 0)
		return pl_error_set(err, PL_EINPUT, "key",
				    "this is not the registered secret key of '%s'", k->name);
	return PL_OK;
}

size_t pl_ledger_n_parties(const pl_ledger *lg)
{
	return lg->st.nparties;
}

const char *pl_ledger_party_id(const pl_ledger *lg, size_t i)
{
	return i < lg->st.nparties ? lg->st.parties[i].key.name : NULL;
}

const char *pl_ledger_party_role(const pl_ledger *lg, size_t i)
{
	return i < lg->st.nparties ? lg->st.parties[i].role : NULL;
}

int pl__find_commit_db(void *ctx, const uint8_t hash[PL_HASH_SIZE], uint64_t before,
		       pl__commit_ref *out)
{
	pl_ledger *lg = ctx;
	sqlite3_stmt *st = lg->find;
	int rc = -1;
	sqlite3_reset(st);
	sqlite3_bind_blob(st, 1, hash, PL_HASH_SIZE, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)before);
	if (sqlite3_step(st) == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->index = (uint64_t)sqlite3_column_int64(st, 0);
		snprintf(out->author, sizeof out->author, "%s",
			 (const char *)sqlite3_column_text(st, 1));
		snprintf(out->channel, sizeof out->channel, "%s",
			 (const char *)sqlite3_column_text(st, 2));
		const char *leaf = (const char *)sqlite3_column_text(st, 4);
		pl__record rec;
		if (leaf && pl__record_parse_trusted(leaf, strlen(leaf), &rec) == PL_OK)
			snprintf(out->time, sizeof out->time, "%s", rec.time);
		json_t *b = json_loads((const char *)sqlite3_column_text(st, 3), 0, NULL);
		json_t *v = json_object_get(b, "verifiers");
		char *s = v ? json_dumps(v, JSON_COMPACT) : NULL;
		if (s)
			snprintf(out->verifiers, sizeof out->verifiers, "%s", s);
		free(s);
		json_decref(b);
		rc = 0;
	}
	sqlite3_reset(st);
	return rc;
}

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
	return ok ? PL_OK : db_fail(lg->db, err, lg->path, "cannot store a registration");
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
	pl__merkle_leaf_hash(lg->tree, leaf, strlen(leaf), lh);
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
		return db_fail(lg->db, err, lg->path, "cannot store the entry");
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

/* Reads an entry's leaf and body; *leaf and *body are malloc'd. */
int pl__read_entry(pl_ledger *lg, uint64_t index, char **leaf, char **body, pl_error *err)
{
	sqlite3_stmt *st;
	*leaf = *body = NULL;
	if (index >= pl_merkle_tree_size(lg->tree))
		return pl_error_set(err, PL_ENOTFOUND, "entry", "no entry %llu: the log holds %llu",
				    (unsigned long long)index,
				    (unsigned long long)pl_merkle_tree_size(lg->tree));
	if (pl__prepare(lg, "SELECT leaf, body FROM entries WHERE idx = ?", &st) != SQLITE_OK)
		return db_fail(lg->db, err, lg->path, "cannot read an entry");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)index);
	int rc = PL_EINPUT;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    sqlite3_column_text(st, 1)) {
		*leaf = strdup((const char *)sqlite3_column_text(st, 0));
		*body = strdup((const char *)sqlite3_column_text(st, 1));
		rc = (*leaf && *body) ? PL_OK : PL_ENOMEM;
	}
	pl__unprepare(lg, st);
	if (rc != PL_OK) {
		free(*leaf);
		free(*body);
		*leaf = *body = NULL;
		return pl_error_set(err, rc, "entry", "entry %llu cannot be read",
				    (unsigned long long)index);
	}
	return PL_OK;
}

int pl_ledger_show(pl_ledger *lg, uint64_t index, const char *viewer, char **json, pl_error *err)
{
	char *leaf, *body;
	*json = NULL;
	if (pl__read_entry(lg, index, &leaf, &body, err) != PL_OK)
		return PL_EINPUT;
	pl__record rec;
	int rc = pl__record_parse(leaf, strlen(leaf), &rec, err);
	if (rc == PL_OK) {
		uint8_t lh[PL_HASH_SIZE];
		char hex[65];
		pl_merkle_leaf_hash(leaf, strlen(leaf), lh);
		pl__hex(lh, PL_HASH_SIZE, hex);
		int may = !viewer || pl__state_is_member(&lg->st, rec.channel, viewer);
		json_t *o = json_pack("{s:I, s:s, s:o, s:o}", "index", (json_int_t)index,
				      "leaf_hash", hex, "record", json_loads(leaf, 0, NULL), "body",
				      may ? json_loads(body, 0, NULL) : json_null());
		*json = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		if (!*json)
			rc = pl_error_set(err, PL_ENOMEM, "entry", "out of memory");
	}
	free(leaf);
	free(body);
	return rc;
}
