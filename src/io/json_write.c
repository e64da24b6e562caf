/* json_write.c - writing a case as parley's JSON.  The output is canonical
 * (fixed key order, fixed number format), so it is also what the case's
 * hash is computed from; core/case_json.c writes it. */
#include "core/util.h"
#include "io/io_internal.h"

#include <stdlib.h>

static void buffer_sink(void *ctx, const char *data, size_t n)
{
	pl__sb_add(ctx, data, n);
}

int pl_case_write_json(const pl_case *c, char **out, pl_error *err)
{
	pl_strbuf b = {0};
	int rc = pl__case_canonical(c, buffer_sink, &b);
	if (rc || b.oom) {
		free(b.s);
		if (rc == PL_EINTERNAL)
			return pl_error_set(err, rc, c->info.id, "two issues have one id");
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing JSON");
	}
	*out = b.s;
	return PL_OK;
}
