/* common.c - error reporting, the default case, and output handling shared
 * by the parley subcommands. */
#include "cli.h"

#include <parley/digest.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistr.h>
#include <uniwidth.h>
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
		return cli_usage_error(cmd, "--input-format '%s' must be json, csv, ktab or decide",
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

int cli_parse_rounds(const char *cmd, const char *text, int *out)
{
	uint64_t v;
	if (cli_parse_u64(text, 1, 100000, &v))
		return cli_usage_error(cmd, "--rounds '%s' must be a whole number from 1 to 100000",
				       text);
	*out = (int)v;
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

const char *cli_data_file(const char *path, char *buf, size_t size)
{
	if (!path || strncmp(path, "data/", 5) != 0 || access(path, F_OK) == 0)
		return path;
	const char *env = getenv("PARLEY_DATA");
	const char *dirs[] = {env, PARLEY_INSTALL_DATADIR, PARLEY_SOURCE_DATADIR};
	for (size_t k = 0; k < sizeof dirs / sizeof dirs[0]; k++) {
		if (!dirs[k] || !dirs[k][0])
			continue;
		snprintf(buf, size, "%s/%s", dirs[k], path + 5);
		if (access(buf, F_OK) == 0)
			return buf;
	}
	return path;
}

int cli_file_sha256(const char *cmd, const char *path, char hex[65])
{
	char buf[4096];
	pl_error err;
	pl_error_clear(&err);
	path = path ? cli_data_file(path, buf, sizeof buf) : cli_default_case(buf, sizeof buf);
	if (pl_sha256_file_hex(hex, path, &err) != PL_OK)
		return cli_report(cmd, &err);
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
	path = path ? cli_data_file(path, buf, sizeof buf) : cli_default_case(buf, sizeof buf);
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

int cli_check_output(const char *cmd, const char *what, const char *input, const char *output)
{
	char buf[4096];
	if (!output || strcmp(output, "-") == 0)
		return 0;
	if (!input)
		input = cli_default_case(buf, sizeof buf);
	struct stat in, out;
	/* an output that does not exist yet cannot be the input; an input that
	 * cannot be read is reported when it is loaded */
	if (stat(output, &out) != 0 || stat(input, &in) != 0)
		return 0;
	if (in.st_dev != out.st_dev || in.st_ino != out.st_ino)
		return 0;
	fprintf(stderr,
		"parley %s: the output '%s' is the %s file '%s': writing it would replace the %s; "
		"name another output file\n",
		cmd, output, what, input, what);
	return 2;
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
		fprintf(stderr, "parley %s: cannot write to standard output: %s\n", cmd,
			strerror(errno));
		status = 1;
	}
	free(o->buf);
	o->buf = NULL;
	return status;
}

void cli_print_run(FILE *f, const char *engine, uint64_t seed, int rounds, const char *params)
{
	size_t col = (size_t)fprintf(f, "%s: seed %llu; ", engine, (unsigned long long)seed);
	if (rounds > 0)
		col += (size_t)fprintf(f, "rounds %d; ", rounds);
	col += (size_t)fprintf(f, "params %s", params[0] ? "" : "(none)");
	int first = 1;
	while (*params) {
		size_t len = strcspn(params, ",");
		int comma = params[len] == ',';
		if (!first && col + len + (size_t)comma > 80) {
			fputs("\n  ", f);
			col = 2;
		}
		col += (size_t)fprintf(f, "%.*s%s", (int)len, params, comma ? "," : "");
		params += len + (size_t)comma;
		first = 0;
	}
	fputc('\n', f);
}

void cli_print_num(FILE *f, double v, int width, int decimals)
{
	if (isnan(v))
		fprintf(f, "%*s", width, "-");
	else
		fprintf(f, "%*.*f", width, decimals, v);
}

/* Terminal columns of a character (libunistring's Unicode tables): 2 for
 * East Asian wide ones, 0 for combining marks, 1 for the rest and for the
 * control characters uc_width refuses. */
static size_t uc_columns(ucs4_t uc)
{
	int w = uc_width(uc, "UTF-8");
	return w < 0 ? 1 : (size_t)w;
}

size_t cli_text_fit_n(const char *s, size_t len, size_t width, size_t *cols)
{
	const uint8_t *p = (const uint8_t *)s;
	size_t used = 0, bytes = 0;
	while (bytes < len) {
		ucs4_t uc; /* U+FFFD for a malformed sequence, never longer than it */
		size_t n = (size_t)u8_mbtouc(&uc, p + bytes, len - bytes);
		size_t w = uc_columns(uc);
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
	size_t len = strlen(s), cols, bytes = cli_text_fit_n(s, len, width, &cols);
	if (bytes < len && width > 0) { /* cut: the last column says so */
		bytes = cli_text_fit_n(s, len, width - 1, &cols);
		fwrite(s, 1, bytes, f);
		fputs("\u2026", f); /* … */
		cols++;
	} else {
		fwrite(s, 1, bytes, f);
	}
	for (; pad && cols < width; cols++)
		fputc(' ', f);
}

int cli_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err)
{
	if (strcmp(id, "everyone") == 0) {
		*out = PL_NO_FORUM;
		return PL_OK;
	}
	return pl_case_find_forum(c, id, out, err);
}

/* Writes text starting at column `col`, wrapped at 80 columns with
 * continuation lines indented by `indent`. */
void cli_print_wrapped(FILE *f, const char *text, int col, int indent)
{
	int first = 1;
	while (*text) {
		size_t word = strcspn(text, " ");
		int cols = (int)cli_text_columns_n(text, word);
		if (!first && col + 1 + cols > 80) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		first = 0;
		fprintf(f, "%.*s", (int)word, text);
		col += cols;
		text += word;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}
