/* io_internal.h - helpers shared by the readers and writers. */
#ifndef PL_IO_INTERNAL_H
#define PL_IO_INTERNAL_H

#include "core/case_build.h"
#include "core/json_check.h"
#include "core/numfmt.h"
#include "core/util.h"
#include "parley/io.h"

/* Checks that data is valid UTF-8; on failure names the line. */
int pl__check_utf8(const char *data, size_t len, const char *name, pl_error *err);

/* pl__valid_id (an identifier) is in core/json_check.h. */

/* Builds an identifier from a free-form label ("Policy Position" ->
 * "policy-position"), into buf. */
void pl__slug(const char *label, char *buf, size_t size);

int pl__read_json(const char *data, size_t len, const char *name, pl_case **out, pl_error *err);
int pl__read_bdm_csv(const char *data, size_t len, const char *name, pl_case **out,
		     pl_error *err);
int pl__read_ktab_csv(const char *data, size_t len, const char *name, pl_case **out,
		      pl_error *err);

int pl__read_decide(const char *data, size_t len, const char *name, pl_case **out,
		    pl_error *err);
/* 1 when data starts like a Decide file (a #A, #P, #M, #D or #O key as a
 * whole field), 2 when it starts with a Decide comment (#/), which a KTAB
 * scenario name may also be; 0 otherwise. */
int pl__looks_like_decide(const char *data, size_t len);

/* Appends a CSV field, quoted when it needs to be. */
void pl__sb_csv_field(pl_strbuf *b, const char *s);

#endif
