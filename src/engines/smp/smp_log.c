/* smp_log.c - the smp engine's optional detailed record (engine parameter
 * log=FILE.db): per turn, every actor's position and ideal, every challenge
 * (target, both sides' estimates of the win probability, expected gain),
 * every proposed bargain, and each actor's PCE over the bargains that
 * concern it; and what the run was (case, forum, parameters, seed, the
 * actors and issues behind the indices).  Every row carries its run's
 * number, so one file can keep several runs: a forecast writes run 1, and
 * pl__smp_log_join puts the runs of a forum comparison into one file.
 * Nothing here runs unless the parameter is given.  Worker threads only
 * fill per-actor slots; rows are written in actor order after each turn, so
 * the file is the same for any number of threads.  A file is written under
 * a temporary name of its own and renamed when it is complete.  A sweep
 * refuses the parameter (single_run in its spec). */
#include "engines/smp/smp_internal.h"
#include "core/util.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct choice_slot {
	size_t nb, pick;
	size_t *bidx;
	double *p;
} choice_slot;

struct smp_log {
	sqlite3 *db;
	char *path, *tmp;
	sqlite3_stmt *pos, *chl, *brg, *cho;
	choice_slot *slot; /* n */
	size_t n;
};

/* `run` is the last column of the per-turn tables, so a reader of the
 * columns by place from before it was added reads the same columns. */
static const char schema[] =
	"CREATE TABLE run(run INTEGER PRIMARY KEY, case_id TEXT, case_sha256 TEXT, forum TEXT,"
	" engine TEXT, params TEXT, seed TEXT, rounds INTEGER, parley TEXT);"
	"CREATE TABLE actor(run INTEGER, actor INTEGER, id TEXT);"
	"CREATE TABLE dim(run INTEGER, dim INTEGER, issue TEXT);"
	"CREATE TABLE position(turn INTEGER, actor INTEGER, dim INTEGER, position REAL,"
	" ideal REAL, run INTEGER);"
	"CREATE TABLE challenge(turn INTEGER, initiator INTEGER, target INTEGER,"
	" p_win_initiator_view REAL, p_win_target_view REAL, expected_gain REAL,"
	" gain_target_view REAL, run INTEGER);"
	"CREATE TABLE bargain(turn INTEGER, bargain INTEGER, initiator INTEGER,"
	" receiver INTEGER, dim INTEGER, initiator_pos REAL, receiver_pos REAL, run INTEGER);"
	"CREATE TABLE bargain_choice(turn INTEGER, actor INTEGER, bargain INTEGER,"
	" probability REAL, chosen INTEGER, run INTEGER);";

/* The columns of each table but `run`, for copying a run into a joined file. */
static const char *const tables[][2] = {
	{"run", "case_id, case_sha256, forum, engine, params, seed, rounds, parley"},
	{"actor", "actor, id"},
	{"dim", "dim, issue"},
	{"position", "turn, actor, dim, position, ideal"},
	{"challenge", "turn, initiator, target, p_win_initiator_view, p_win_target_view,"
		      " expected_gain, gain_target_view"},
	{"bargain", "turn, bargain, initiator, receiver, dim, initiator_pos, receiver_pos"},
	{"bargain_choice", "turn, actor, bargain, probability, chosen"},
};

static int db_fail(struct smp_log *lg, pl_error *err)
{
	return pl_error_set(err, PL_EIO, lg->tmp, "SQLite: %s", sqlite3_errmsg(lg->db));
}

/* Opens a temporary file of this writer's own beside path (process id and
 * the writer's address): two runs logging to one file at once each build
 * their own and the last to finish is renamed into place whole. */
static int open_tmp(struct smp_log *lg, const char *path, pl_error *err)
{
	int rc = pl__check_output_path(path, err);
	if (rc)
		return rc;
	lg->path = strdup(path);
	size_t tl = strlen(path) + 64;
	lg->tmp = malloc(tl);
	if (!lg->path || !lg->tmp)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	snprintf(lg->tmp, tl, "%s.%ld-%" PRIxPTR ".tmp", path, (long)getpid(), (uintptr_t)lg);
	remove(lg->tmp);
	if (sqlite3_open(lg->tmp, &lg->db) != SQLITE_OK ||
	    sqlite3_exec(lg->db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(lg, err);
	return PL_OK;
}

static int bind_text(sqlite3_stmt *st, int k, const char *s)
{
	return sqlite3_bind_text(st, k, s ? s : "", -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

/* Inserts (1, k, names[k]) into `actor` or `dim` for k < n. */
static int name_rows(sqlite3 *db, const char *table, const char *const *names, size_t n)
{
	char sql[64];
	snprintf(sql, sizeof sql, "INSERT INTO %s VALUES(1,?,?)", table);
	sqlite3_stmt *st = NULL;
	int bad = sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK;
	for (size_t k = 0; k < n && !bad; k++) {
		sqlite3_reset(st);
		bad = sqlite3_bind_int64(st, 1, (sqlite3_int64)k) != SQLITE_OK ||
		      bind_text(st, 2, names[k]) || sqlite3_step(st) != SQLITE_DONE;
	}
	sqlite3_finalize(st);
	return bad ? -1 : 0;
}

/* Run 1: what was run, and the actors and issues behind the indices. */
static int run_rows(struct smp_log *lg, const smp_log_run *r, const smp_model *m)
{
	char seed[24];
	snprintf(seed, sizeof seed, "%" PRIu64, r->seed);
	sqlite3_stmt *st = NULL;
	int bad = sqlite3_prepare_v2(lg->db, "INSERT INTO run VALUES(1,?,?,?,'smp',?,?,?,?)", -1,
				     &st, NULL) != SQLITE_OK ||
		  bind_text(st, 1, r->case_id) || bind_text(st, 2, r->case_sha256) ||
		  bind_text(st, 3, r->forum) || bind_text(st, 4, r->params) ||
		  bind_text(st, 5, seed) || sqlite3_bind_int(st, 6, r->rounds) != SQLITE_OK ||
		  bind_text(st, 7, r->version) || sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	if (!bad)
		bad = name_rows(lg->db, "actor", r->actor_id, m->n);
	if (!bad)
		bad = name_rows(lg->db, "dim", r->dim_id, m->d);
	return bad;
}

int pl__smp_log_open(struct smp_log **out, const char *path, const smp_model *m,
		     const smp_log_run *run, pl_error *err)
{
	struct smp_log *lg = calloc(1, sizeof *lg);
	if (!lg)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	*out = lg;
	lg->n = m->n;
	lg->slot = calloc(m->n, sizeof *lg->slot);
	if (!lg->slot)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	int rc = open_tmp(lg, path, err);
	if (rc)
		return rc;
	if (sqlite3_exec(lg->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    run_rows(lg, run, m) ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO position VALUES(?,?,?,?,?,1)", -1, &lg->pos,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO challenge VALUES(?,?,?,?,?,?,?,1)", -1,
			       &lg->chl, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO bargain VALUES(?,?,?,?,?,?,?,1)", -1, &lg->brg,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO bargain_choice VALUES(?,?,?,?,?,1)", -1,
			       &lg->cho, NULL) != SQLITE_OK)
		return db_fail(lg, err);
	return PL_OK;
}

int pl__smp_log_bargain_choice(struct smp_log *lg, const smp_model *m, size_t k, size_t nb,
			       const size_t *bidx, const double *p, size_t chosen)
{
	choice_slot *s = &lg->slot[k];
	free(s->bidx);
	free(s->p);
	s->bidx = malloc(nb * sizeof *s->bidx);
	s->p = malloc(nb * sizeof *s->p);
	if (!s->bidx || !s->p)
		return PL_ENOMEM;
	memcpy(s->bidx, bidx, nb * sizeof *bidx);
	memcpy(s->p, p, nb * sizeof *p);
	s->nb = nb;
	s->pick = chosen;
	return PL_OK;
}

/* Binds the values (integers as int64 where is_int[k]) and steps. */
static int row(sqlite3_stmt *st, size_t nv, const double *v, unsigned int_mask)
{
	sqlite3_reset(st);
	for (size_t k = 0; k < nv; k++) {
		if (int_mask & (1u << k))
			sqlite3_bind_int64(st, (int)k + 1, (sqlite3_int64)v[k]);
		else
			sqlite3_bind_double(st, (int)k + 1, v[k]);
	}
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Bargain ids in the record: 2i (+1) as in the model, -1 for the status quo. */
static double bid(size_t b)
{
	return b == SIZE_MAX ? -1.0 : (double)b;
}

int pl__smp_log_positions(struct smp_log *lg, const smp_model *m, pl_error *err)
{
	const size_t n = m->n, d = m->d;
	int bad = 0;
	for (size_t i = 0; i < n && !bad; i++)
		for (size_t k = 0; k < d && !bad; k++) {
			double v[5] = {(double)m->turn, (double)i, (double)k,
				       100 * m->pos[i * d + k], 100 * m->idl[i * d + k]};
			bad = row(lg->pos, 5, v, 7u);
		}
	return bad ? db_fail(lg, err) : PL_OK;
}

int pl__smp_log_turn(struct smp_log *lg, const smp_model *m, pl_error *err)
{
	const size_t n = m->n, d = m->d;
	const double t = (double)(m->turn + 1);
	int bad = pl__smp_log_positions(lg, m, err) ? -1 : 0;
	for (size_t i = 0; i < n && !bad; i++) {
		if (m->target[i] < 0)
			continue;
		double v[6] = {t,
			       (double)i,
			       (double)m->target[i],
			       m->p_init[i],
			       m->p_rcvr[i],
			       m->best_edu[i]};
		bad = row(lg->chl, 6, v, 7u);
		size_t nbr = m->par.bm == BM_INIT_RCVR ? 2 : 1;
		for (size_t b = 2 * i; b < 2 * i + nbr && !bad; b++)
			for (size_t k = 0; k < d && !bad; k++) {
				double w[7] = {t,
					       (double)b,
					       (double)i,
					       (double)m->target[i],
					       (double)k,
					       100 * m->brg[b].pi[k],
					       100 * m->brg[b].pr[k]};
				bad = row(lg->brg, 7, w, 31u);
			}
	}
	for (size_t k = 0; k < n && !bad; k++) {
		const choice_slot *s = &lg->slot[k];
		for (size_t b = 0; b < s->nb && !bad; b++) {
			double v[5] = {t, (double)k, bid(s->bidx[b]), s->p[b],
				       b == s->pick ? 1.0 : 0.0};
			bad = row(lg->cho, 5, v, 23u);
		}
	}
	return bad ? db_fail(lg, err) : PL_OK;
}

/* Closes the database, then renames the temporary file into place when
 * commit and all went well, or removes it. */
static int finish(struct smp_log *lg, int commit, int rc, pl_error *err)
{
	if (lg->db)
		sqlite3_close(lg->db);
	lg->db = NULL;
	if (lg->tmp && (!commit || rc))
		remove(lg->tmp);
	else if (lg->tmp && rename(lg->tmp, lg->path) != 0)
		rc = pl_error_set(err, PL_EIO, lg->path, "cannot rename the SQLite log into place");
	return rc;
}

int pl__smp_log_close(struct smp_log *lg, int commit, pl_error *err)
{
	int rc = PL_OK;
	sqlite3_finalize(lg->pos);
	sqlite3_finalize(lg->chl);
	sqlite3_finalize(lg->brg);
	sqlite3_finalize(lg->cho);
	if (lg->db && commit && sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_fail(lg, err);
	rc = finish(lg, commit, rc, err);
	for (size_t k = 0; lg->slot && k < lg->n; k++) {
		free(lg->slot[k].bidx);
		free(lg->slot[k].p);
	}
	free(lg->slot);
	free(lg->path);
	free(lg->tmp);
	free(lg);
	return rc;
}

/* Copies the one run of the log at part into the open file as run number
 * run, rows in their order. */
static int join_one(struct smp_log *lg, const char *part, size_t run)
{
	sqlite3_stmt *st = NULL;
	int bad = sqlite3_prepare_v2(lg->db, "ATTACH ?1 AS part", -1, &st, NULL) != SQLITE_OK ||
		  bind_text(st, 1, part) || sqlite3_step(st) != SQLITE_DONE;
	sqlite3_finalize(st);
	if (bad)
		return -1;
	bad = sqlite3_exec(lg->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK;
	for (size_t t = 0; t < sizeof tables / sizeof tables[0] && !bad; t++) {
		char sql[512];
		snprintf(sql, sizeof sql,
			 "INSERT INTO main.%s(run, %s) SELECT ?1, %s FROM part.%s ORDER BY rowid",
			 tables[t][0], tables[t][1], tables[t][1], tables[t][0]);
		bad = sqlite3_prepare_v2(lg->db, sql, -1, &st, NULL) != SQLITE_OK ||
		      sqlite3_bind_int64(st, 1, (sqlite3_int64)run) != SQLITE_OK ||
		      sqlite3_step(st) != SQLITE_DONE;
		sqlite3_finalize(st);
	}
	if (!bad)
		bad = sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK;
	else
		sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite3_exec(lg->db, "DETACH part", NULL, NULL, NULL) != SQLITE_OK)
		bad = -1;
	return bad;
}

int pl__smp_log_join(const char *path, const char *const *parts, size_t n, pl_error *err)
{
	struct smp_log lg = {0};
	int rc = open_tmp(&lg, path, err);
	for (size_t k = 0; k < n && !rc; k++)
		if (join_one(&lg, parts[k], k + 1))
			rc = pl_error_set(err, PL_EIO, parts[k], "SQLite: %s",
					  sqlite3_errmsg(lg.db));
	rc = finish(&lg, 1, rc, err);
	free(lg.path);
	free(lg.tmp);
	return rc;
}
