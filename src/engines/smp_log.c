/* smp_log.c - the smp engine's optional detailed record (engine parameter
 * log=FILE.db): per turn, every actor's position and ideal, every challenge
 * (target, both sides' estimates of the win probability, expected gain),
 * every proposed bargain, and each actor's PCE over the bargains that
 * concern it.  Nothing here runs unless the parameter is given.  Worker
 * threads only fill per-actor slots; rows are written in actor order after
 * each turn, so the file is the same for any number of threads.  The file
 * is written under a temporary name of its own and renamed when the run
 * succeeds.  A sweep refuses the parameter (single_run in its spec). */
#include "engines/smp_internal.h"

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

static const char schema[] =
	"CREATE TABLE position(turn INTEGER, actor INTEGER, dim INTEGER, position REAL,"
	" ideal REAL);"
	"CREATE TABLE challenge(turn INTEGER, initiator INTEGER, target INTEGER,"
	" p_win_initiator_view REAL, p_win_target_view REAL, expected_gain REAL,"
	" gain_target_view REAL);"
	"CREATE TABLE bargain(turn INTEGER, bargain INTEGER, initiator INTEGER,"
	" receiver INTEGER, dim INTEGER, initiator_pos REAL, receiver_pos REAL);"
	"CREATE TABLE bargain_choice(turn INTEGER, actor INTEGER, bargain INTEGER,"
	" probability REAL, chosen INTEGER);";

static int db_fail(struct smp_log *lg, pl_error *err)
{
	return pl_error_set(err, PL_EIO, lg->tmp, "SQLite: %s", sqlite3_errmsg(lg->db));
}

int pl__smp_log_open(struct smp_log **out, const char *path, const smp_model *m, pl_error *err)
{
	struct smp_log *lg = calloc(1, sizeof *lg);
	if (!lg)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	*out = lg;
	lg->n = m->n;
	lg->slot = calloc(m->n, sizeof *lg->slot);
	lg->path = strdup(path);
	/* A temporary name of this writer's own (process id and this log's
	 * address): two runs logging to one file at once each build their own
	 * and the last to finish is renamed into place whole. */
	size_t tl = strlen(path) + 64;
	lg->tmp = malloc(tl);
	if (!lg->slot || !lg->path || !lg->tmp)
		return pl_error_set(err, PL_ENOMEM, "smp", "out of memory");
	snprintf(lg->tmp, tl, "%s.%ld-%" PRIxPTR ".tmp", path, (long)getpid(), (uintptr_t)lg);
	remove(lg->tmp);
	if (sqlite3_open(lg->tmp, &lg->db) != SQLITE_OK)
		return db_fail(lg, err);
	if (sqlite3_exec(lg->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(lg->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO position VALUES(?,?,?,?,?)", -1, &lg->pos,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO challenge VALUES(?,?,?,?,?,?,?)", -1, &lg->chl,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO bargain VALUES(?,?,?,?,?,?,?)", -1, &lg->brg,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(lg->db, "INSERT INTO bargain_choice VALUES(?,?,?,?,?)", -1, &lg->cho,
			       NULL) != SQLITE_OK)
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

int pl__smp_log_close(struct smp_log *lg, int commit, pl_error *err)
{
	int rc = PL_OK;
	sqlite3_finalize(lg->pos);
	sqlite3_finalize(lg->chl);
	sqlite3_finalize(lg->brg);
	sqlite3_finalize(lg->cho);
	if (lg->db && commit && sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = db_fail(lg, err);
	if (lg->db)
		sqlite3_close(lg->db);
	if (lg->tmp && (!commit || rc))
		remove(lg->tmp);
	else if (lg->tmp && rename(lg->tmp, lg->path) != 0)
		rc = pl_error_set(err, PL_EIO, lg->path, "cannot rename the SQLite log into place");
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
