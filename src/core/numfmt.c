/* numfmt.c - the shortest round-trip text of a double, for every JSON and
 * CSV number the library writes (numfmt.h). */
#include "numfmt.h"
#include "util.h"

#include <jansson.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *pl__fmt_shortest(char *buf, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, PL__NUM_MAX, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
		return buf;
	}
	/* the range test comes first: converting a double outside long long's
	 * range is undefined behaviour */
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		snprintf(buf, PL__NUM_MAX, "%lld", (long long)v);
		return buf;
	}
	for (int digits = 15; digits < 17; digits++) {
		snprintf(buf, PL__NUM_MAX, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, PL__NUM_MAX, "%.17g", v);
	return buf;
}

/* Length of the number token at s (JSON's number grammar, loosely: jansson
 * wrote it). */
static size_t number_len(const char *s)
{
	size_t n = 0;
	while (s[n] && strchr("0123456789+-.eE", s[n]))
		n++;
	return n;
}

char *pl__json_shortest_reals(const char *json)
{
	size_t len = strlen(json);
	/* a real grows at most by ".0" plus a few characters; bound generously */
	size_t cap = len + len / 2 + PL__NUM_MAX;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t o = 0;
	int in_string = 0;
	for (size_t i = 0; i < len;) {
		char ch = json[i];
		if (in_string) {
			out[o++] = ch;
			i++;
			if (ch == '\\' && i < len)
				out[o++] = json[i++];
			else if (ch == '"')
				in_string = 0;
			continue;
		}
		if (ch == '"') {
			in_string = 1;
			out[o++] = json[i++];
			continue;
		}
		if (ch != '-' && (ch < '0' || ch > '9')) {
			out[o++] = json[i++];
			continue;
		}
		size_t n = number_len(json + i);
		if (!memchr(json + i, '.', n) && !memchr(json + i, 'e', n) &&
		    !memchr(json + i, 'E', n)) {
			memcpy(out + o, json + i, n); /* an integer: as written */
			o += n;
			i += n;
			continue;
		}
		char num[PL__NUM_MAX];
		pl__fmt_shortest(num, strtod(json + i, NULL));
		size_t k = strlen(num);
		if (o + k + 2 + (len - i) >= cap) {
			cap = 2 * cap + k + 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + o, num, k);
		o += k;
		if (strspn(num, "-0123456789") == k) {
			memcpy(out + o, ".0", 2);
			o += 2;
		}
		i += n;
	}
	out[o] = '\0';
	return out;
}

char *pl__json_document(json_t *root)
{
	/* every real exactly (17 digits), then each as its shortest text */
	char *exact = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						      JSON_REAL_PRECISION(17))
			   : NULL;
	json_decref(root);
	char *text = exact ? pl__json_shortest_reals(exact) : NULL;
	free(exact);
	return pl__with_newline(text);
}
