/* json_check.h - the checks every JSON reader of the library shares (cases,
 * roadmaps): what a value is called in a message, the refusal of keys a
 * format does not define, and the rule for identifiers. */
#ifndef PL_CORE_JSON_CHECK_H
#define PL_CORE_JSON_CHECK_H

#include <jansson.h>

#include "parley/error.h"

/* "an object", "an array", "a string", "a number", "a boolean" or "null". */
const char *pl__json_type_name(const json_t *v);

/* Refuses a key of obj that allowed (NULL-terminated) does not list, at
 * "name: path", naming the key, the allowed one it is closest to (a likely
 * typo, pl__closest) and the allowed ones (a typo would otherwise be
 * ignored).  Keys starting with "x-" are extensions and pass.  PL_OK or
 * PL_EINPUT. */
int pl__json_check_keys(pl_error *err, const char *name, json_t *obj, const char *path,
			const char *const *allowed);

/* An identifier: 1 to 64 characters, letters, digits, '_', '-' and '.'. */
int pl__valid_id(const char *s);

#endif
