/* digest.h - SHA-256 as 64 lowercase hex digits, the form every parley
 * document records its inputs' hashes in ("input_sha256", a game's
 * "sha256"). */
#ifndef PARLEY_DIGEST_H
#define PARLEY_DIGEST_H

#include <stddef.h>

#include "parley/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The SHA-256 of len bytes at data, as 64 hex digits and a NUL. */
void pl_sha256_hex(char out[65], const void *data, size_t len);

/* The SHA-256 of the bytes of the file at path.  PL_EINPUT (where: the path)
 * when it cannot be opened or read. */
int pl_sha256_file_hex(char out[65], const char *path, pl_error *err);

#ifdef __cplusplus
}
#endif
#endif
