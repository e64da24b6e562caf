/* digest.c - SHA-256 of a buffer or a file as hex (include/parley/digest.h),
 * with libsodium's implementation. */
#include "parley/digest.h"
#include "core/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void to_hex(char out[65], const unsigned char h[crypto_hash_sha256_BYTES])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t k = 0; k < crypto_hash_sha256_BYTES; k++) {
		out[2 * k] = digits[h[k] >> 4];
		out[2 * k + 1] = digits[h[k] & 15];
	}
	out[64] = '\0';
}

void pl_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	to_hex(out, h);
}

int pl_sha256_file_hex(char out[65], const char *path, pl_error *err)
{
	FILE *f;
	int orc = pl__open_input(path, &f);
	if (orc)
		return pl__open_input_fail(err, path, orc, "cannot open");
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	unsigned char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		crypto_hash_sha256_update(&st, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return pl_error_set(err, PL_EINPUT, path, "cannot read");
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	to_hex(out, h);
	return PL_OK;
}
