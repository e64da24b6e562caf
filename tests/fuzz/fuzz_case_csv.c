/* fuzz_case_csv.c - libFuzzer target for the two CSV readers (BDM-style and
 * KTAB): any bytes are rejected or accepted without a crash, and a case read
 * is written as KTAB CSV that reads back. */
#include <parley/parley.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* PL_KTAB_RESCALE: the same text when the numbers pass as they are (plain,
 * the text written without it); otherwise text whose numbers pass KTAB's
 * checks, so that it reads back and is written again without the flag. */
static void check_rescale(const pl_case *c, const char *plain)
{
	char *out = NULL, *again = NULL;
	const char *lost;
	pl_ktab_rescale r;
	pl_error err;
	pl_error_clear(&err);
	int rc = pl_case_write_ktab_ex(c, PL_KTAB_RESCALE, &out, &lost, &r, &err);
	if (rc == PL_EINTERNAL || (plain && (rc != 0 || strcmp(out, plain) != 0)))
		abort();
	if (rc == 0 && !plain) {
		pl_case *d = NULL;
		if (pl_case_read_mem(out, strlen(out), "r.csv", PL_FORMAT_KTAB, &d, &err) != 0 ||
		    pl_case_write_ktab(d, &again, &lost, &err) != 0)
			abort();
		pl_case_free(d);
	}
	free(again);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const pl_format formats[] = {PL_FORMAT_CSV, PL_FORMAT_KTAB};
	for (size_t k = 0; k < 2; k++) {
		pl_case *c = NULL;
		pl_error err;
		pl_error_clear(&err);
		if (pl_case_read_mem((const char *)data, size, "fuzz.csv", formats[k], &c, &err) ==
		    0) {
			char *out = NULL;
			const char *lost;
			if (pl_case_write_csv(c, 0, &out, &lost, &err) == 0)
				free(out);
			/* what is written as KTAB CSV reads back (the writer checks it:
			 * PL_EINTERNAL otherwise) and passes for KTAB CSV */
			pl_error_clear(&err);
			out = NULL;
			int rc = pl_case_write_ktab(c, &out, &lost, &err);
			if (rc == PL_EINTERNAL ||
			    (rc == 0 && pl_format_guess(NULL, out, strlen(out)) != PL_FORMAT_KTAB))
				abort();
			check_rescale(c, rc == 0 ? out : NULL);
			free(out);
			pl_case_free(c);
		}
	}
	return 0;
}
