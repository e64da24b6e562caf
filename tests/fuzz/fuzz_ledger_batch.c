/* fuzz_ledger_batch.c - libFuzzer target: a batch of entries as JSON lines
 * (`parley ledger append --batch`) must be parsed or refused, naming its
 * line, without crashing, leaking or reading out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parley/ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl_entry_in *in = NULL;
	size_t n = 0;
	pl_error err = {0};
	if (pl_entry_lines_parse(&in, &n, (const char *)data, size, "fuzz", &err) == PL_OK)
		for (size_t i = 0; i < n; i++)
			if (!in[i].body || (unsigned)in[i].kind >= PL_ENTRY_KIND_COUNT)
				abort();
	pl_free(in);
	return 0;
}
