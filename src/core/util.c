/* util.c - error locations and UTC times, for every module (core/util.h). */
/* timegm() is a BSD/GNU extension */
#define _DEFAULT_SOURCE
#include "core/util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int pl__vfail_at(pl_error *err, const char *name, const char *path, long line, const char *fmt,
		 va_list ap)
{
	char where[PL_ERROR_WHERE_MAX], msg[PL_ERROR_MSG_MAX];
	if (path)
		snprintf(where, sizeof where, "%s: %s", name, path);
	else if (line != PL__NO_LINE)
		snprintf(where, sizeof where, "%s:%ld", name, line);
	else
		snprintf(where, sizeof where, "%s", name);
	vsnprintf(msg, sizeof msg, fmt, ap);
	return pl_error_set(err, PL_EINPUT, where, "%s", msg);
}

int pl__fail_at(pl_error *err, const char *name, const char *path, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = pl__vfail_at(err, name, path, line, fmt, ap);
	va_end(ap);
	return rc;
}

int pl__time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se;
	char z;
	if (strlen(s) != 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) != 7 || z != 'Z')
		return -1;
	for (int i = 0; i < 20; i++) {
		int digit = (i != 4 && i != 7 && i != 10 && i != 13 && i != 16 && i != 19);
		if (digit != (s[i] >= '0' && s[i] <= '9'))
			return -1;
	}
	if (y < 1900 || h > 23 || mi > 59 || se > 59)
		return -1;
	struct tm tm = {.tm_year = y - 1900,
			.tm_mon = mo - 1,
			.tm_mday = d,
			.tm_hour = h,
			.tm_min = mi,
			.tm_sec = se};
	time_t t = timegm(&tm);
	/* timegm normalises 31 April to 1 May: a real date comes back unchanged */
	if (tm.tm_year != y - 1900 || tm.tm_mon != mo - 1 || tm.tm_mday != d)
		return -1;
	if (out)
		*out = (int64_t)t;
	return 0;
}

void pl__time_format(int64_t t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *pl__with_newline(char *text)
{
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *s = realloc(text, n + 2);
	if (!s) {
		free(text);
		return NULL;
	}
	s[n] = '\n';
	s[n + 1] = '\0';
	return s;
}

/* Levenshtein distance of a and b, case-insensitive, stopping at 3. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > 64 || nb > 64)
		return 3;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= nb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= na; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) !=
						   tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (nb + 1) * sizeof prev[0]);
	}
	return prev[nb];
}

const char *pl__closest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t d = 3;
	for (; *known; known++) {
		size_t e = edit_distance(word, *known);
		if (e < d) {
			d = e;
			best = *known;
		}
	}
	return best;
}
