/* test_text_width.c - cli_text_fit and cli_print_text (cli/common.c): text
 * is measured in terminal columns and cut only between UTF-8 characters. */
#include "cli.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static size_t fit(const char *s, size_t width, size_t *cols)
{
	return cli_text_fit(s, width, cols);
}

static char *printed(const char *s, size_t width, int pad)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	cli_print_text(f, s, width, pad);
	fclose(f);
	return buf;
}

static void ascii(void **state)
{
	size_t cols;
	assert_int_equal(fit("abcdef", 4, &cols), 4);
	assert_int_equal(cols, 4);
	assert_int_equal(fit("abc", 10, &cols), 3);
	assert_int_equal(cols, 3);
	char *s = printed("abc", 5, 1);
	assert_string_equal(s, "abc  ");
	free(s);
	s = printed("abcdef", 4, 1);
	assert_string_equal(s, "abc…");
	free(s);
}

static void wide(void **state)
{
	size_t cols;
	/* 한국어: 3 characters, 9 bytes, 6 columns */
	assert_int_equal(cli_text_columns("한국어"), 6);
	assert_int_equal(fit("한국어", 3, &cols), 3); /* the second would pass column 3 */
	assert_int_equal(cols, 2);
	char *s = printed("한국어", 3, 1);
	assert_string_equal(s, "한…"); /* cut: an ellipsis in the last column */
	free(s);
	s = printed("한국어", 4, 1);
	assert_string_equal(s, "한… "); /* 국 would pass column 3: padded to 4 */
	free(s);
	s = printed("中文名字", 5, 0);
	assert_string_equal(s, "中文…");
	free(s);
	s = printed("中文", 4, 1);
	assert_string_equal(s, "中文"); /* fits exactly: no ellipsis */
	free(s);
}

static void cyrillic_and_combining(void **state)
{
	size_t cols;
	assert_int_equal(cli_text_columns("Россия"), 6);
	assert_int_equal(fit("Россия", 3, &cols), 6); /* two bytes each */
	assert_int_equal(cols, 3);
	/* e + combining acute: one column; the mark stays with its letter */
	assert_int_equal(cli_text_columns("e\xcc\x81"), 1);
	assert_int_equal(fit("e\xcc\x81x", 1, &cols), 3);
}

static void malformed(void **state)
{
	size_t cols;
	/* a stray byte and a cut sequence: each maximal malformed part is one
	 * U+FFFD of one column (Unicode's recommended substitution, as
	 * libunistring and terminals do), nothing after it swallowed */
	assert_int_equal(fit("\xff"
			     "ab",
			     10, &cols),
			 3);
	assert_int_equal(cols, 3);
	assert_int_equal(fit("\xe4\xb8"
			     "a",
			     10, &cols),
			 3);
	assert_int_equal(cols, 2);
	/* an overlong form of '/' is not a character */
	assert_int_equal(cli_text_columns("\xc0\xaf"), 2);
	assert_int_equal(cli_text_columns_n("한국", 4), 3); /* 한 and a cut byte */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ascii),
		cmocka_unit_test(wide),
		cmocka_unit_test(cyrillic_and_combining),
		cmocka_unit_test(malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
