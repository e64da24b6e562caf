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

void pl__sb_puts(pl_strbuf *b, const char *s)
{
	pl__sb_add(b, s, strlen(s));
}

void pl__sb_long(pl_strbuf *b, long v)
{
	char d[24], *e = d + sizeof d, *q = e;
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
	do
		*--q = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	pl__sb_add(b, q, (size_t)(e - q));
}

/* Characters (not bytes) of s[0..n): UTF-8 continuation bytes do not count.
 * The library's text is mostly Latin; a table that must align CJK text is
 * laid out by the command, which measures terminal columns. */
static size_t chars_n(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t k = 0; k < n; k++)
		c += ((unsigned char)s[k] & 0xC0) != 0x80;
	return c;
}

void pl__sb_add_wrapped(pl_strbuf *b, const char *text, size_t width)
{
	while (*text) {
		size_t len = strcspn(text, "\n");
		int nl = text[len] == '\n';
		const char *line = text;
		size_t indent = strspn(line, " ");
		size_t cont = indent + 4 < width / 2 ? indent + 4 : indent;
		size_t pad = 0; /* spaces before this piece (continuation lines) */
		while (pad + chars_n(line, len) > width) {
			/* the last space at which the piece fits, past the indent */
			size_t cut = 0, chars = pad;
			for (size_t k = 0; k < len && chars <= width; k++) {
				if (line[k] == ' ' && k > indent && chars <= width)
					cut = k;
				chars += ((unsigned char)line[k] & 0xC0) != 0x80;
			}
			if (cut == 0) /* one long word: break after it */
				for (size_t k = indent; k < len; k++)
					if (line[k] == ' ') {
						cut = k;
						break;
					}
			if (cut == 0)
				break;
			for (size_t k = 0; k < pad; k++)
				pl__sb_add(b, " ", 1);
			pl__sb_add(b, line, cut);
			pl__sb_add(b, "\n", 1);
			while (cut < len && line[cut] == ' ')
				cut++;
			line += cut;
			len -= cut;
			pad = cont;
			indent = 0;
		}
		for (size_t k = 0; k < pad; k++)
			pl__sb_add(b, " ", 1);
		pl__sb_add(b, line, len);
		if (nl)
			pl__sb_add(b, "\n", 1);
		text = line + len + nl;
	}
}
