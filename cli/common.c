/* common.c - error reporting, the default case, and output handling shared
 * by the parley subcommands. */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <getopt.h>
#include <sodium.h>
#include <unistd.h>

int cli_report(const char *cmd, const pl_error *err)
{
	char buf[PL_ERROR_WHERE_MAX + PL_ERROR_MSG_MAX + 8];
	fprintf(stderr, "parley %s: %s\n", cmd, pl_error_format(err, buf, sizeof buf));
	return pl_error_exit_status(err);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "parley %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'parley %s --help'.\n", cmd);
	return 2;
}

int cli_bad_option(const char *cmd, int ch, char **argv)
{
	if (ch == ':')
		return cli_usage_error(cmd, "%s needs a value", argv[optind - 1]);
	return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_case_operand(const char *cmd, int argc, char **argv, const char **case_path,
		     const char *format, const char *input_format)
{
	if (optind < argc - 1)
		return cli_usage_error(cmd, "one case file at most ('%s' is extra)",
				       argv[optind + 1]);
	*case_path = optind < argc ? argv[optind] : NULL;
	if (format && strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "csv"))
		return cli_usage_error(cmd, "--format '%s' must be table, json or csv", format);
	if (input_format && pl_format_from_name(input_format) == PL_FORMAT_AUTO)
		return cli_usage_error(cmd, "--input-format '%s' must be json, csv or ktab",
				       input_format);
	return 0;
}

int cli_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
	if (!text || !(text[0] >= '0' && text[0] <= '9'))
		return -1;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (*end || errno == ERANGE || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int cli_parse_seed(const char *cmd, const char *text, uint64_t *out)
{
	if (cli_parse_u64(text, 0, INT64_MAX, out))
		return cli_usage_error(cmd, "--seed '%s' must be a whole number from 0 to %lld",
				       text, (long long)INT64_MAX);
	return 0;
}

const char *cli_default_case(char *buf, size_t size)
{
	static const char rel[] = "cases/korea-six-party.json";
	const char *env = getenv("PARLEY_DATA");
	const char *dirs[] = {env, PARLEY_INSTALL_DATADIR, PARLEY_SOURCE_DATADIR};
	for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
		if (!dirs[k] || !dirs[k][0])
			continue;
		snprintf(buf, size, "%s/%s", dirs[k], rel);
		if (access(buf, R_OK) == 0 || k == 0)
			return buf;
	}
	snprintf(buf, size, "%s/%s", PARLEY_SOURCE_DATADIR, rel);
	return buf;
}

int cli_file_sha256(const char *cmd, const char *path, char hex[65])
{
	char buf[4096];
	if (!path)
		path = cli_default_case(buf, sizeof buf);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "parley %s: %s: cannot open: %s\n", cmd, path, strerror(errno));
		return 2;
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	unsigned char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		crypto_hash_sha256_update(&st, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "parley %s: %s: cannot read\n", cmd, path);
		return 2;
	}
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(hex, 65, h, sizeof h);
	return 0;
}

static int is_xml(const char *path)
{
	size_t n = strlen(path);
	return n > 4 && strcasecmp(path + n - 4, ".xml") == 0;
}

int cli_load_scenario(const char *cmd, const char *path, pl_format fmt, pl_case **out,
		      pl_params **xml_params, uint64_t *xml_seed)
{
	char buf[4096];
	if (!path)
		path = cli_default_case(buf, sizeof buf);
	pl_error err;
	pl_error_clear(&err);
	*xml_params = NULL;
	if (fmt == PL_FORMAT_AUTO && is_xml(path)) {
		*xml_params = pl_params_new();
		if (!*xml_params) {
			fprintf(stderr, "parley %s: out of memory\n", cmd);
			return 1;
		}
		if (pl_ktab_xml_read_file(path, out, *xml_params, xml_seed, &err)) {
			pl_params_free(*xml_params);
			*xml_params = NULL;
			return cli_report(cmd, &err);
		}
		return 0;
	}
	if (pl_case_read_file(path, fmt, out, &err))
		return cli_report(cmd, &err);
	return 0;
}

int cli_load_case(const char *cmd, const char *path, pl_format fmt, pl_case **out)
{
	pl_params *p;
	uint64_t seed;
	int st = cli_load_scenario(cmd, path, fmt, out, &p, &seed);
	pl_params_free(p);
	return st;
}

int cli_out_open(cli_out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	return o->f ? 0 : -1;
}

void cli_out_discard(cli_out *o)
{
	if (o->f)
		fclose(o->f);
	free(o->buf);
	o->f = NULL;
	o->buf = NULL;
}

int cli_out_close(const char *cmd, cli_out *o, const char *path)
{
	if (fclose(o->f) != 0) {
		o->f = NULL;
		free(o->buf);
		fprintf(stderr, "parley %s: out of memory formatting the output\n", cmd);
		return 1;
	}
	o->f = NULL;
	int status = 0;
	if (path) {
		pl_error err;
		pl_error_clear(&err);
		if (pl_write_file_atomic(path, o->buf, o->len, &err))
			status = cli_report(cmd, &err);
	} else if (fwrite(o->buf, 1, o->len, stdout) != o->len || fflush(stdout) != 0) {
		fprintf(stderr, "parley %s: cannot write to standard output\n", cmd);
		status = 1;
	}
	free(o->buf);
	o->buf = NULL;
	return status;
}

void cli_print_num(FILE *f, double v, int width, int decimals)
{
	if (isnan(v))
		fprintf(f, "%*s", width, "-");
	else
		fprintf(f, "%*.*f", width, decimals, v);
}

/* The next character of s (avail > 0 bytes left): its length in bytes and
 * its code point, or U+FFFD for a byte that does not start a well-formed
 * UTF-8 sequence (taken alone, so a stray byte never swallows the text
 * after it). */
static size_t utf8_next(const unsigned char *s, size_t avail, uint32_t *cp)
{
	unsigned c = s[0];
	size_t n = c < 0x80		   ? 1
		   : c >= 0xc2 && c < 0xe0 ? 2
		   : c >= 0xe0 && c < 0xf0 ? 3
		   : c >= 0xf0 && c < 0xf5 ? 4
					   : 0;
	if (n == 1) {
		*cp = c;
		return 1;
	}
	uint32_t v = n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
	for (size_t k = 1; k < n; k++) {
		if (k >= avail || (s[k] & 0xc0) != 0x80) {
			n = 0;
			break;
		}
		v = v << 6 | (s[k] & 0x3f);
	}
	/* overlong forms, surrogates and code points past U+10FFFF */
	if (n == 0 || (n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
	    (v >= 0xd800 && v <= 0xdfff)) {
		*cp = 0xfffd;
		return 1;
	}
	*cp = v;
	return n;
}

typedef struct cp_range {
	uint32_t lo, hi;
} cp_range;

/* Characters that take no column: combining marks, Hangul medial vowels and
 * final consonants, zero-width spaces and joiners, variation selectors. */
static const cp_range zero_width[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489},   {0x0591, 0x05bd}, {0x0610, 0x061a}, {0x064b, 0x065f},
	{0x0e31, 0x0e31}, {0x0e34, 0x0e3a},   {0x0e47, 0x0e4e}, {0x1160, 0x11ff}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f},   {0x202a, 0x202e}, {0x2060, 0x2064}, {0x20d0, 0x20ff},
	{0x302a, 0x302f}, {0x3099, 0x309a},   {0xd7b0, 0xd7ff}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
	{0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

/* East Asian Wide and Fullwidth characters (Unicode's EastAsianWidth W and
 * F): two columns in a terminal. */
static const cp_range double_width[] = {
	{0x1100, 0x115f},   {0x231a, 0x231b},	{0x2329, 0x232a},   {0x23e9, 0x23ec},
	{0x2e80, 0x303e},   {0x3041, 0x3247},	{0x3250, 0x4dbf},   {0x4e00, 0xa4cf},
	{0xa960, 0xa97f},   {0xac00, 0xd7a3},	{0xf900, 0xfaff},   {0xfe10, 0xfe19},
	{0xfe30, 0xfe6f},   {0xff00, 0xff60},	{0xffe0, 0xffe6},   {0x16fe0, 0x18cff},
	{0x1b000, 0x1b2ff}, {0x1f300, 0x1f64f}, {0x1f900, 0x1f9ff}, {0x20000, 0x2fffd},
	{0x30000, 0x3fffd},
};

static int in_ranges(uint32_t cp, const cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t m = lo + (hi - lo) / 2;
		if (cp > r[m].hi)
			lo = m + 1;
		else if (cp < r[m].lo)
			hi = m;
		else
			return 1;
	}
	return 0;
}

static int cp_columns(uint32_t cp)
{
	if (in_ranges(cp, zero_width, sizeof zero_width / sizeof zero_width[0]))
		return 0;
	if (in_ranges(cp, double_width, sizeof double_width / sizeof double_width[0]))
		return 2;
	return 1;
}

size_t cli_text_fit_n(const char *s, size_t len, size_t width, size_t *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used = 0, bytes = 0;
	while (bytes < len) {
		uint32_t cp;
		size_t n = utf8_next(p + bytes, len - bytes, &cp);
		size_t w = (size_t)cp_columns(cp);
		if (used + w > width)
			break;
		used += w;
		bytes += n;
	}
	if (cols)
		*cols = used;
	return bytes;
}

size_t cli_text_fit(const char *s, size_t width, size_t *cols)
{
	return cli_text_fit_n(s, strlen(s), width, cols);
}

size_t cli_text_columns_n(const char *s, size_t len)
{
	size_t cols;
	cli_text_fit_n(s, len, SIZE_MAX, &cols);
	return cols;
}

size_t cli_text_columns(const char *s)
{
	return cli_text_columns_n(s, strlen(s));
}

void cli_print_text(FILE *f, const char *s, size_t width, int pad)
{
	size_t cols, bytes = cli_text_fit(s, width, &cols);
	fwrite(s, 1, bytes, f);
	for (; pad && cols < width; cols++)
		fputc(' ', f);
}
