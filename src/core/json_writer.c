/* json_writer.c - JSON text into a sink (json_writer.h), and
 * pl__json_document (numfmt.h): a jansson tree written with its reals as
 * their shortest text, without json_dumps' %.17g and a second pass to
 * shorten them (issue 11: 2.2 of parley's 8.3 million instructions on a
 * KTAB scenario were that dump). */
#include "core/json_writer.h"
#include "core/numfmt.h"
#include "core/util.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DEPTH_MAX 4096 /* deeper documents are refused (none comes close) */

struct pl__jw {
	pl__json_sink sink;
	void *ctx;
	size_t n;
	int depth, too_deep; /* too_deep: containers open beyond DEPTH_MAX */
	int refused;	     /* some container went beyond DEPTH_MAX */
	unsigned char used[DEPTH_MAX]; /* the container at each depth has a member */
	char buf[8192];
};

static void flush(pl__jw *w)
{
	if (w->n)
		w->sink(w->ctx, w->buf, w->n);
	w->n = 0;
}

void pl__jw_raw(pl__jw *w, const char *s, size_t n)
{
	if (n > sizeof w->buf - w->n) {
		flush(w);
		if (n > sizeof w->buf) {
			w->sink(w->ctx, s, n);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

pl__jw *pl__jw_new(pl__json_sink sink, void *ctx)
{
	pl__jw *w = malloc(sizeof *w);
	if (!w)
		return NULL;
	w->sink = sink;
	w->ctx = ctx;
	w->n = 0;
	w->depth = 0;
	w->too_deep = 0;
	w->refused = 0;
	w->used[0] = 0;
	return w;
}

void pl__jw_end(pl__jw *w)
{
	flush(w);
	free(w);
}

/* As json_dumps writes a string (no JSON_ENSURE_ASCII): '"' and '\\'
 * escaped, control characters (NUL too) as \b \f \n \r \t or \u00XX. */
void pl__jw_string(pl__jw *w, const char *s, size_t len)
{
	pl__jw_raw(w, "\"", 1);
	size_t run = 0;
	for (size_t k = 0; k < len; k++) {
		unsigned char ch = (unsigned char)s[k];
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		pl__jw_raw(w, s + run, k - run);
		char esc[6] = {'\\', 0};
		size_t n = 2;
		switch (ch) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = "0123456789ABCDEF"[ch >> 4];
			esc[5] = "0123456789ABCDEF"[ch & 15];
			n = 6;
		}
		pl__jw_raw(w, esc, n);
		run = k + 1;
	}
	pl__jw_raw(w, s + run, len - run);
	pl__jw_raw(w, "\"", 1);
}

static void newline_indent(pl__jw *w, int depth)
{
	static const char spaces[] = "                                "; /* 32 */
	pl__jw_raw(w, "\n", 1);
	for (size_t n = 2 * (size_t)depth; n;) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		pl__jw_raw(w, spaces, k);
		n -= k;
	}
}

void pl__jw_item(pl__jw *w)
{
	if (!w->depth)
		return;
	if (w->used[w->depth])
		pl__jw_raw(w, ",", 1);
	newline_indent(w, w->depth);
	w->used[w->depth] = 1;
}

void pl__jw_key_text(pl__jw *w, const char *text, size_t len)
{
	pl__jw_item(w);
	pl__jw_raw(w, text, len);
}

void pl__jw_key(pl__jw *w, const char *key, size_t len)
{
	pl__jw_item(w);
	pl__jw_string(w, key, len);
	pl__jw_raw(w, ": ", 2);
}

void pl__jw_open(pl__jw *w, char bracket)
{
	pl__jw_raw(w, &bracket, 1);
	if (w->too_deep || w->depth + 1 >= DEPTH_MAX) {
		w->too_deep++;
		w->refused = 1;
		return;
	}
	w->used[++w->depth] = 0;
}

void pl__jw_close(pl__jw *w, char bracket)
{
	if (w->too_deep) {
		w->too_deep--; /* the text is refused in the end */
		pl__jw_raw(w, &bracket, 1);
		return;
	}
	if (w->used[w->depth--])
		newline_indent(w, w->depth);
	pl__jw_raw(w, &bracket, 1);
}

/* ---- a jansson tree as a document ---- */

void pl__jw_int(pl__jw *w, long long i)
{
	/* as "%lld" (JSON_INTEGER_FORMAT) */
	char num[24];
	unsigned long long u = i < 0 ? 0ull - (unsigned long long)i : (unsigned long long)i;
	char *p = num + sizeof num;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (i < 0)
		*--p = '-';
	pl__jw_raw(w, p, (size_t)(num + sizeof num - p));
}

void pl__jw_real(pl__jw *w, double v)
{
	/* the shortest text that reads back, ".0" kept on an integral one */
	char num[PL__NUM_MAX];
	pl__fmt_shortest(num, v);
	size_t n = strlen(num);
	pl__jw_raw(w, num, n);
	if (strspn(num, "-0123456789") == n)
		pl__jw_raw(w, ".0", 2);
}

/* jansson's rules for UTF-8: no overlong form, no surrogate, nothing
 * above U+10FFFF. */
int pl__jw_utf8_ok(const char *s)
{
	if (!s)
		return 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1, c &= 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2, c &= 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3, c &= 0x07;
		else
			return 0;
		for (unsigned k = 1; k <= n; k++) {
			if ((p[k] & 0xC0) != 0x80)
				return 0;
			c = (c << 6) | (p[k] & 0x3F);
		}
		if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF) || (n == 2 && c < 0x800) ||
		    (n == 3 && c < 0x10000))
			return 0;
		p += n + 1;
	}
	return 1;
}

static void value(pl__jw *w, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		pl__jw_open(w, '{');
		for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
			pl__jw_key(w, json_object_iter_key(it), json_object_iter_key_len(it));
			value(w, json_object_iter_value(it));
		}
		pl__jw_close(w, '}');
		break;
	}
	case JSON_ARRAY:
		pl__jw_open(w, '[');
		for (size_t k = 0; k < json_array_size(v); k++) {
			pl__jw_item(w);
			value(w, json_array_get(v, k));
		}
		pl__jw_close(w, ']');
		break;
	case JSON_STRING: pl__jw_string(w, json_string_value(v), json_string_length(v)); break;
	case JSON_INTEGER: pl__jw_int(w, json_integer_value(v)); break;
	case JSON_REAL: pl__jw_real(w, json_real_value(v)); break;
	case JSON_TRUE: pl__jw_raw(w, "true", 4); break;
	case JSON_FALSE: pl__jw_raw(w, "false", 5); break;
	default: pl__jw_raw(w, "null", 4); break;
	}
}

void pl__jw_buffer_sink(void *ctx, const char *data, size_t n)
{
	pl__sb_add(ctx, data, n);
}

char *pl__json_document(json_t *root)
{
	if (!root || (!json_is_object(root) && !json_is_array(root))) {
		json_decref(root); /* json_dumps writes only an object or an array */
		return NULL;
	}
	pl_strbuf b = {0};
	pl__jw *w = pl__jw_new(pl__jw_buffer_sink, &b);
	int deep = 1;
	if (w) {
		value(w, root);
		pl__jw_raw(w, "\n", 1);
		deep = w->refused;
		pl__jw_end(w);
	}
	json_decref(root);
	if (!w || deep || b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}
