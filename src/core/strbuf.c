/* strbuf.c - a growing string buffer, the one every writer of the library
 * appends to (core/util.h). */
#include "core/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for n more bytes and a NUL; 0, or -1 (and oom) on failure. */
static int reserve(pl_strbuf *b, size_t n)
{
	if (b->oom)
		return -1;
	if (b->s && b->len + n < b->cap)
		return 0;
	size_t ncap = b->cap ? b->cap * 2 : 1024;
	while (ncap < b->len + n + 1)
		ncap *= 2;
	char *ns = realloc(b->s, ncap);
	if (!ns) {
		b->oom = 1;
		return -1;
	}
	b->s = ns;
	b->cap = ncap;
	return 0;
}

void pl__sb_printf(pl_strbuf *b, const char *fmt, ...)
{
	if (b->oom)
		return;
	va_list ap;
	va_start(ap, fmt);
	size_t room = b->cap - b->len;
	int w = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
	va_end(ap);
	if (w < 0) {
		b->oom = 1;
		return;
	}
	if (b->s && (size_t)w < room) {
		b->len += (size_t)w;
		return;
	}
	if (reserve(b, (size_t)w) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)w;
}

void pl__sb_add(pl_strbuf *b, const void *data, size_t n)
{
	if (reserve(b, n) != 0)
		return;
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}
