/* fuzz_ledger_signed.c - libFuzzer target: a signed-entry document (what
 * `parley ledger sign` prints and a server receives) must be accepted or
 * refused by the document parser and then by the entry's rules without
 * crashing, leaking or reading out of bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int no_commit(void *ctx, const uint8_t hash[PL_HASH_SIZE], uint64_t before,
		     pl__commit_ref *out)
{
	(void)ctx, (void)hash, (void)before, (void)out;
	return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pl__state st;
	memset(&st, 0, sizeof st);
	snprintf(st.origin, sizeof st.origin, "six-party.example/ledger");
	uint8_t seed[32] = {1};
	pl_key_from_seed("log.six-party.example", seed, &st.log_key, NULL);
	char *leaf = NULL, *body = NULL;
	pl_error err = {0};
	if (pl__signed_doc_parse((const char *)data, size, st.origin, &leaf, &body, &err) ==
	    PL_OK) {
		pl__record rec;
		pl__entry_check(&st, 0, leaf, body, 1, no_commit, NULL, &rec, &err);
	}
	free(leaf);
	free(body);
	pl__state_free(&st);
	return 0;
}
