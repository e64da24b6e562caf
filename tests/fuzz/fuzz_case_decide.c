/* fuzz_case_decide.c - libFuzzer target for Decide's format: any bytes are
 * rejected or accepted without a crash, and a case read is written back in
 * Decide's format that is recognised as such and reads back. */
#include <parley/parley.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_case *c = NULL;
	pl_error err;
	pl_error_clear(&err);
	if (pl_case_read_mem((const char *)data, size, "fuzz.txt", PL_FORMAT_DECIDE, &c, &err))
		return 0;
	char *out = NULL;
	const char *lost;
	if (pl_case_write_decide(c, &out, &lost, &err) != 0)
		abort();
	if (pl_format_guess(NULL, out, strlen(out)) != PL_FORMAT_DECIDE)
		abort();
	pl_case *d = NULL;
	if (pl_case_read_mem(out, strlen(out), "fuzz.txt", PL_FORMAT_DECIDE, &d, &err) != 0)
		abort();
	if (pl_case_n_actors(d) != pl_case_n_actors(c) ||
	    pl_case_n_issues(d) != pl_case_n_issues(c))
		abort();
	pl_case_free(d);
	free(out);
	pl_case_free(c);
	return 0;
}
