/* json_check.c - checks the JSON readers share (json_check.h). */
#include "core/json_check.h"
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *pl__json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

int pl__json_check_keys(pl_error *err, const char *name, json_t *obj, const char *path,
			const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		if (strncmp(key, "x-", 2) == 0)
			continue;
		int ok = 0;
		for (const char *const *a = allowed; *a; a++)
			ok |= strcmp(key, *a) == 0;
		if (!ok) {
			char list[300] = "";
			size_t used = 0;
			for (const char *const *a = allowed; *a && used < sizeof list - 40; a++)
				used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
							 a == allowed ? "" : ", ", *a);
			const char *near = pl__closest(key, allowed);
			if (near)
				return pl__fail_at(err, name, path, PL__NO_LINE,
						   "unknown key '%s' (did you mean '%s'? allowed: %s)",
						   key, near, list);
			return pl__fail_at(err, name, path, PL__NO_LINE,
					   "unknown key '%s' (allowed: %s)", key, list);
		}
	}
	return PL_OK;
}

int pl__valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64)
		return 0;
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)s[k];
		if (!isalnum(c) && c != '_' && c != '-' && c != '.')
			return 0;
	}
	return 1;
}
