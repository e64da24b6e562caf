/* test_json_document.c - result documents written straight from the jansson
 * tree (core/json_writer.c, issue 11) against the way they were written
 * before, kept here as the reference: json_dumps at 17 digits, then every
 * real outside a string rewritten as its shortest text.  Random trees with
 * every kind of value (reals of every size, integers to the extremes,
 * strings with escapes, NUL bytes and non-ASCII text, empty and nested
 * containers) give the same bytes. */
#include "helpers.h"

#include "core/numfmt.h"

#include <jansson.h>

/* ---- the reference: the dump and the rewrite of reals, before issue 11 ---- */

/* Length of the number token at s (JSON's number grammar, loosely: jansson
 * wrote it). */
static size_t number_len(const char *s)
{
	size_t n = 0;
	while (s[n] && strchr("0123456789+-.eE", s[n]))
		n++;
	return n;
}

static char *shortest_reals(const char *json)
{
	size_t len = strlen(json);
	size_t cap = 2 * len + PL__NUM_MAX;
	char *out = malloc(cap);
	assert_non_null(out);
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
			memcpy(out + o, json + i, n);
			o += n;
			i += n;
			continue;
		}
		char num[PL__NUM_MAX];
		pl__fmt_shortest(num, strtod(json + i, NULL));
		size_t k = strlen(num);
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

static char *reference(json_t *root)
{
	char *exact = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					       JSON_REAL_PRECISION(17));
	assert_non_null(exact);
	char *text = shortest_reals(exact);
	free(exact);
	size_t n = strlen(text);
	text = realloc(text, n + 2);
	text[n] = '\n';
	text[n + 1] = '\0';
	return text;
}

/* ---- random trees ---- */

static const char *const pieces[] = {
	"a", "Z", " ", "-", "0", "1.5", "/", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\x01",
	"\x1f", "\x7f", "\xc3\xa9", "\xe2\x80\xa8", "\xf0\x9f\x98\x80", "\xe6\x97\xa5", "{", "[",
	"]", ":", ",", "e+5", "%s",
};

static json_t *rand_string(test_rng *r, int with_nul)
{
	char buf[256];
	size_t len = 0, n = test_rng_next(r) % 8;
	for (size_t k = 0; k < n; k++) {
		if (with_nul && test_rng_next(r) % 8 == 0) {
			buf[len++] = '\0';
			continue;
		}
		const char *p = pieces[test_rng_next(r) % (sizeof pieces / sizeof *pieces)];
		memcpy(buf + len, p, strlen(p));
		len += strlen(p);
	}
	return json_stringn(buf, len);
}

static double rand_real(test_rng *r)
{
	uint64_t x = test_rng_next(r);
	double v;
	switch (x % 8) {
	case 0: memcpy(&v, &x, sizeof v); return isfinite(v) ? v : 0.5;
	case 1: return (double)(int)(x >> 40) - 8388608;	 /* integral */
	case 2: return (double)(x >> 11) * 0x1p-53 * 100;	 /* [0, 100) */
	case 3: return round((double)(x >> 20) / 1000) / 100; /* 2 decimals */
	case 4: return x % 2 ? -0.0 : 0.0;
	case 5: return ldexp((double)(x >> 11), (int)(x % 200) - 100);
	case 6: return 1e15 + (double)(x >> 40);
	default: return 1.0 / (double)(1 + x % 1000);
	}
}

static json_t *rand_value(test_rng *r, int depth)
{
	uint64_t kind = test_rng_next(r) % (depth < 5 ? 9 : 7);
	switch (kind) {
	case 0: return json_true();
	case 1: return json_false();
	case 2: return json_null();
	case 3: return rand_string(r, 1);
	case 4: {
		static const json_int_t edges[] = {0, -1, 1, INT64_MAX, INT64_MIN, 999999999999999};
		uint64_t x = test_rng_next(r);
		return json_integer(x % 3 ? (json_int_t)(x >> (x % 64)) * (x % 2 ? -1 : 1)
					  : edges[x % 6]);
	}
	case 5:
	case 6: return json_real(rand_real(r));
	case 7: {
		json_t *a = json_array();
		size_t n = test_rng_next(r) % 5;
		for (size_t k = 0; k < n; k++)
			json_array_append_new(a, rand_value(r, depth + 1));
		return a;
	}
	default: {
		json_t *o = json_object();
		size_t n = test_rng_next(r) % 5;
		for (size_t k = 0; k < n; k++) {
			json_t *key = rand_string(r, 0);
			json_object_set_new(o, json_string_value(key), rand_value(r, depth + 1));
			json_decref(key);
		}
		return o;
	}
	}
}

static void random_trees(void **state)
{
	(void)state;
	test_rng r = {11};
	int n = 20000;
	for (int k = 0; k < n; k++) {
		json_t *root = test_rng_next(&r) % 2 ? json_object() : json_array();
		size_t m = test_rng_next(&r) % 6;
		for (size_t j = 0; j < m; j++) {
			json_t *v = rand_value(&r, 1);
			if (json_is_object(root)) {
				char key[16];
				snprintf(key, sizeof key, "k%zu", j);
				json_object_set_new(root, key, v);
			} else {
				json_array_append_new(root, v);
			}
		}
		char *want = reference(root);
		char *got = pl__json_document(json_incref(root));
		assert_non_null(got);
		if (strcmp(want, got) != 0)
			fail_msg("tree %d: written\n%s\nagainst the reference\n%s", k, got, want);
		free(want);
		free(got);
		json_decref(root);
	}
	printf("# %d random trees\n", n);
}

/* What json_dumps refuses (a bare value, no tree) gives NULL as before. */
static void not_a_container(void **state)
{
	(void)state;
	assert_null(pl__json_document(json_integer(3)));
	assert_null(pl__json_document(NULL));
	char *s = pl__json_document(json_array());
	assert_string_equal(s, "[]\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_trees),
		cmocka_unit_test(not_a_container),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
