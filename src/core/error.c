/* error.c - filling in and formatting pl_error objects. */
#include "parley/error.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_error_clear(pl_error *err)
{
	if (!err)
		return;
	err->code = PL_OK;
	err->where[0] = '\0';
	err->message[0] = '\0';
}

/* Length of the UTF-8 sequence at s, 0 when the bytes there are not one
 * (cut by "%.Ns" or a full buffer, or not UTF-8 at all). */
static size_t seq_len(const unsigned char *s)
{
	size_t need = s[0] < 0x80 ? 0 : (s[0] & 0xE0) == 0xC0 ? 1 : (s[0] & 0xF0) == 0xE0 ? 2
				     : (s[0] & 0xF8) == 0xF0   ? 3
							       : 9;
	if (need > 3)
		return 0;
	unsigned cp = s[0] & (0x3F >> need);
	for (size_t q = 1; q <= need; q++) {
		if ((s[q] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[q] & 0x3F);
	}
	static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
	if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need + 1;
}

void pl__utf8_repair(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	while (*r) {
		size_t n = seq_len(r);
		if (n == 0) {
			r++; /* a byte of a cut or foreign character: dropped */
			continue;
		}
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
}

int pl_error_set(pl_error *err, int code, const char *where, const char *fmt, ...)
{
	if (!err || err->code != PL_OK)
		return code;
	err->code = code;
	snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	/* a printf precision ("%.40s") or the buffer's end may cut a character */
	pl__utf8_repair(err->where);
	pl__utf8_repair(err->message);
	return code;
}

const char *pl_error_format(const pl_error *err, char *buf, size_t size)
{
	if (!err || err->code == PL_OK)
		snprintf(buf, size, "no error");
	else if (err->where[0])
		snprintf(buf, size, "%s: %s", err->where, err->message);
	else
		snprintf(buf, size, "%s", err->message);
	if (size)
		pl__utf8_repair(buf);
	return buf;
}

int pl_error_exit_status(const pl_error *err)
{
	if (!err)
		return 1;
	return (err->code == PL_EINPUT || err->code == PL_ENOTFOUND) ? 2 : 1;
}

const char *pl_status_name(int code)
{
	switch (code) {
	case PL_OK: return "ok";
	case PL_EINPUT: return "bad input";
	case PL_ENOMEM: return "out of memory";
	case PL_EIO: return "input/output error";
	case PL_ENOTFOUND: return "not found";
	case PL_ENUMERIC: return "numerical failure";
	case PL_EINTERNAL: return "internal error";
	default: return "unknown error";
	}
}

void pl_free(void *p)
{
	free(p);
}
