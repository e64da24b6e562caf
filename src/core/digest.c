/* digest.c - SHA-256 of a buffer or a file as hex (include/parley/digest.h),
 * with nettle's implementation (core/sha256.h). */
#include "core/sha256.h"
#include "parley/digest.h"
#include "core/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static void to_hex(char out[65], const unsigned char h[PL__SHA256_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t k = 0; k < PL__SHA256_SIZE; k++) {
		out[2 * k] = digits[h[k] >> 4];
		out[2 * k + 1] = digits[h[k] & 15];
	}
	out[64] = '\0';
}

void pl_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256(h, data, len);
	to_hex(out, h);
}

int pl_sha256_file_hex(char out[65], const char *path, pl_error *err)
{
	FILE *f;
	int orc = pl__open_input(path, &f);
	if (orc)
		return pl__open_input_fail(err, path, orc, "cannot open");
	pl__sha256_ctx st;
	pl__sha256_init(&st);
	unsigned char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		pl__sha256_update(&st, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return pl_error_set(err, PL_EINPUT, path, "cannot read");
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256_final(&st, h);
	to_hex(out, h);
	return PL_OK;
}

void pl_sha256_hex2(char out[65], const void *a, size_t alen, const void *b, size_t blen)
{
	pl__sha256_ctx st;
	unsigned char h[PL__SHA256_SIZE];
	pl__sha256_init(&st);
	pl__sha256_update(&st, a, alen);
	pl__sha256_update(&st, b, blen);
	pl__sha256_final(&st, h);
	to_hex(out, h);
}

int pl_secret_equal(const char *a, const char *b)
{
	unsigned char ha[PL__SHA256_SIZE], hb[PL__SHA256_SIZE];
	pl__sha256(ha, (const unsigned char *)a, strlen(a));
	pl__sha256(hb, (const unsigned char *)b, strlen(b));
	return sodium_memcmp(ha, hb, sizeof ha) == 0;
}

void pl_secret_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

int pl_random_hex(char *out, size_t n, pl_error *err)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char b[64];
	if (n > sizeof b)
		return pl_error_set(err, PL_EINPUT, "random", "at most %zu bytes", sizeof b);
	if (sodium_init() < 0)
		return pl_error_set(err, PL_EINTERNAL, "libsodium", "cannot initialise libsodium");
	randombytes_buf(b, n);
	for (size_t k = 0; k < n; k++) {
		out[2 * k] = digits[b[k] >> 4];
		out[2 * k + 1] = digits[b[k] & 15];
	}
	out[2 * n] = '\0';
	return PL_OK;
}
