/* report_util.c - helpers the document writers share (report_internal.h). */
#include "core/util.h"
#include "report_internal.h"
#include "core/numfmt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

json_t *pl__report_jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

int pl__report_dump(char **out, json_t *root, pl_error *err)
{
	*out = NULL;
	char *doc = pl__json_document(root);
	if (!doc)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the document");
	*out = doc;
	return PL_OK;
}

int pl__report_text_open(pl__report_text *t, pl_error *err)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? PL_OK : pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
}

int pl__report_text_close(char **out, pl__report_text *t, pl_error *err)
{
	*out = NULL;
	int bad = ferror(t->f);
	if (fclose(t->f) != 0 || bad || !t->buf) {
		free(t->buf);
		t->buf = NULL;
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing the document");
	}
	*out = t->buf;
	t->buf = NULL;
	return PL_OK;
}

int pl__report_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err)
{
	if (strcmp(id, "everyone") == 0) {
		*out = PL_NO_FORUM;
		return PL_OK;
	}
	return pl_case_find_forum(c, id, out, err);
}

int pl__report_strdup(char **out, const char *s)
{
	*out = s ? strdup(s) : NULL;
	return s && !*out ? -1 : 0;
}
