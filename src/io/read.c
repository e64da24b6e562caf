/* read.c - reading a case: the file, its size limit, encoding checks, and
 * dispatch to the format's reader. */
#include "io/io_internal.h"
#include "core/numfmt.h"

#include <ctype.h>
#include <math.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The next field of a CSV line from data[*k]: its content, without
 * surrounding blanks or quotes, in [*a, *b).  A field in double quotes may
 * hold commas (and doubled quotes).  Stops at a comma, which it passes, or
 * at the end of the line. */
static void next_field(const char *data, size_t len, size_t *k, size_t *a, size_t *b)
{
	size_t p = *k;
	while (p < len && (data[p] == ' ' || data[p] == '\t'))
		p++;
	int quoted = p < len && data[p] == '"';
	if (quoted) {
		*a = ++p;
		while (p < len && data[p] != '\n' &&
		       !(data[p] == '"' && (p + 1 >= len || data[p + 1] != '"')))
			p += data[p] == '"' ? 2 : 1;
		*b = p;
		if (p < len && data[p] == '"')
			p++;
	} else {
		*a = p;
	}
	while (p < len && data[p] != ',' && data[p] != '\n')
		p++;
	if (!quoted)
		*b = p;
	if (p < len && data[p] == ',')
		p++;
	*k = p;
}

/* KTAB's first line is name,description,nActors,nDims: its third and fourth
 * fields are whole numbers. */
static int looks_like_ktab(const char *data, size_t len)
{
	int field = 0, ints = 0;
	size_t k = 0;
	while (k < len && data[k] != '\n' && field < 4) {
		size_t a, b;
		next_field(data, len, &k, &a, &b);
		if (field >= 2) {
			while (a < b && isspace((unsigned char)data[a]))
				a++;
			while (b > a && isspace((unsigned char)data[b - 1]))
				b--;
			int digits = a < b;
			for (size_t q = a; q < b; q++)
				digits &= isdigit((unsigned char)data[q]) != 0;
			ints += digits;
		}
		field++;
	}
	return field >= 4 && ints == 2;
}

pl_format pl_format_guess(const char *path, const char *data, size_t len)
{
	if (path && ends_with(path, ".json"))
		return PL_FORMAT_JSON;
	if (data) {
		size_t k = 0;
		if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
			k = 3;
		while (k < len && isspace((unsigned char)data[k]))
			k++;
		if (k < len && (data[k] == '{' || data[k] == '['))
			return PL_FORMAT_JSON;
		/* "#/" opens a Decide comment, but a KTAB scenario may be named
		 * "#/..." too: then KTAB's header (two counts) decides */
		int decide = pl__looks_like_decide(data + k, len - k);
		int ktab = looks_like_ktab(data + k, len - k);
		if (decide == 1 || (decide == 2 && !ktab))
			return PL_FORMAT_DECIDE;
		if (ktab)
			return PL_FORMAT_KTAB;
	}
	if (path && ends_with(path, ".csv"))
		return PL_FORMAT_CSV;
	return data ? PL_FORMAT_CSV : PL_FORMAT_AUTO;
}

const char *pl_format_name(pl_format f)
{
	switch (f) {
	case PL_FORMAT_JSON: return "json";
	case PL_FORMAT_CSV: return "csv";
	case PL_FORMAT_KTAB: return "ktab";
	case PL_FORMAT_DECIDE: return "decide";
	default: return "auto";
	}
}

pl_format pl_format_from_name(const char *name)
{
	if (strcmp(name, "json") == 0)
		return PL_FORMAT_JSON;
	if (strcmp(name, "csv") == 0)
		return PL_FORMAT_CSV;
	if (strcmp(name, "ktab") == 0)
		return PL_FORMAT_KTAB;
	if (strcmp(name, "decide") == 0)
		return PL_FORMAT_DECIDE;
	return PL_FORMAT_AUTO;
}

int pl__check_utf8(const char *data, size_t len, const char *name, pl_error *err)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t line = 1;
	for (size_t k = 0; k < len;) {
		unsigned char c = s[k];
		size_t need;
		unsigned min;
		if (c == '\n')
			line++;
		if (c < 0x80) {
			k++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, min = 0x10000;
		} else {
			goto bad;
		}
		unsigned cp = c & (0x3F >> need);
		for (size_t q = 1; q <= need; q++) {
			if (k + q >= len || (s[k + q] & 0xC0) != 0x80)
				goto bad;
			cp = (cp << 6) | (s[k + q] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto bad;
		k += need + 1;
		continue;
bad:;
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%zu", name, line);
		return pl_error_set(err, PL_EINPUT, where,
				    "invalid UTF-8 byte 0x%02X: files must be UTF-8 encoded", c);
	}
	return PL_OK;
}

void pl__slug(const char *label, char *buf, size_t size)
{
	/* at most 64 characters, as an id may have, and never ending in '-' */
	const size_t max = size - 1 < 64 ? size - 1 : 64;
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)label; *p; p++) {
		if (isalnum(*p)) {
			if (n + (dash && n > 0) + 1 > max)
				break;
			if (dash && n > 0)
				buf[n++] = '-';
			dash = 0;
			buf[n++] = (char)tolower(*p);
		} else {
			dash = 1;
		}
	}
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, size, "x");
}

int pl_case_read_mem(const char *data, size_t len, const char *name, pl_format fmt,
		     pl_case **out, pl_error *err)
{
	*out = NULL;
	if (!name)
		name = "<input>";
	if (len > PL_MAX_INPUT_BYTES)
		return pl_error_set(err, PL_EINPUT, name,
				    "the file is %zu bytes; a case may be at most %u bytes (32 MiB)",
				    len, PL_MAX_INPUT_BYTES);
	size_t k = 0;
	while (k < len && isspace((unsigned char)data[k]))
		k++;
	if (k == len || (len - k == 3 && memcmp(data + k, "\xEF\xBB\xBF", 3) == 0))
		return pl_error_set(err, PL_EINPUT, name, "the file is empty");
	/* A UTF-8 byte-order mark (as spreadsheet programs write) is skipped. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, '\0', len)) {
		const char *z = memchr(data, '\0', len);
		size_t line = 1;
		for (const char *p = data; p < z; p++)
			line += *p == '\n';
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%zu", name, line);
		return pl_error_set(err, PL_EINPUT, where,
				    "NUL byte in the file: a case must be a text file");
	}
	int rc = pl__check_utf8(data, len, name, err);
	if (rc)
		return rc;
	if (fmt == PL_FORMAT_AUTO)
		fmt = pl_format_guess(name, data, len);
	switch (fmt) {
	case PL_FORMAT_JSON: return pl__read_json(data, len, name, out, err);
	case PL_FORMAT_KTAB: return pl__read_ktab_csv(data, len, name, out, err);
	case PL_FORMAT_DECIDE: return pl__read_decide(data, len, name, out, err);
	default: return pl__read_bdm_csv(data, len, name, out, err);
	}
}

int pl_case_read_file(const char *path, pl_format fmt, pl_case **out, pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot open",
		.not_dir = "is a directory, not a case file",
		.limit = PL_MAX_INPUT_BYTES,
		.noun = "a case",
		.limit_note = " (32 MiB)",
	};
	*out = NULL;
	char *buf;
	size_t len;
	int rc = pl__read_file(path, &kind, &buf, &len, err);
	if (rc)
		return rc;
	rc = pl_case_read_mem(buf, len, path, fmt, out, err);
	free(buf);
	return rc;
}

void pl__sb_csv_field(pl_strbuf *b, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && (s[0] == '\0' || s[strlen(s) - 1] != ' ')) {
		pl__sb_printf(b, "%s", s);
		return;
	}
	pl__sb_printf(b, "\"");
	for (const char *p = s; *p; p++)
		pl__sb_printf(b, *p == '"' ? "\"\"" : "%c", *p);
	pl__sb_printf(b, "\"");
}
