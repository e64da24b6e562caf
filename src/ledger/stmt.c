/* stmt.c - the prepared statements a ledger handle keeps: the reads that
 * every bundle, entry and proof does (an entry by index, the latest
 * checkpoint, a party's registration, the next index) are compiled once
 * per handle, not once per call (compiling was an eighth of a served
 * append's time). */
#include <string.h>

#include <sqlite3.h>

#include "ledger/ledger_internal.h"

int pl__prepare(pl_ledger *lg, const char *sql, struct sqlite3_stmt **out)
{
	size_t k = 0;
	for (; k < PL__STMTS && lg->stmt_sql[k]; k++)
		if (lg->stmt_sql[k] == sql || strcmp(lg->stmt_sql[k], sql) == 0) {
			sqlite3_reset(lg->stmt[k]);
			sqlite3_clear_bindings(lg->stmt[k]);
			*out = lg->stmt[k];
			return SQLITE_OK;
		}
	if (k == PL__STMTS) /* full: a statement of its own */
		return sqlite3_prepare_v2(lg->db, sql, -1, out, NULL);
	int rc = sqlite3_prepare_v2(lg->db, sql, -1, out, NULL);
	if (rc == SQLITE_OK) {
		lg->stmt_sql[k] = sql;
		lg->stmt[k] = *out;
	}
	return rc;
}

void pl__unprepare(pl_ledger *lg, struct sqlite3_stmt *st)
{
	for (size_t k = 0; k < PL__STMTS && lg->stmt_sql[k]; k++)
		if (lg->stmt[k] == st) {
			sqlite3_reset(st); /* ends its read: the next one sees new commits */
			return;
		}
	sqlite3_finalize(st);
}

void pl__stmts_free(pl_ledger *lg)
{
	for (size_t k = 0; k < PL__STMTS; k++) {
		sqlite3_finalize(lg->stmt[k]);
		lg->stmt[k] = NULL;
		lg->stmt_sql[k] = NULL;
	}
}
