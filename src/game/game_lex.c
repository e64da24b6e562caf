/* game_lex.c - tokenizer and exact number parser for Gambit's .efg/.nfg files.
 *
 * Tokens follow Gambit's savefile conventions (doc/formats.*.rst): quoted
 * labels with \" escapes, braces, optional commas, numbers written as
 * integers, decimals, exponents or a/b fractions, and bare symbols (EFG, R,
 * c, p, t).  Numbers are converted to exact rationals, so 0.1 is 1/10. */
#include "game_lex.h"

#include <gmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "game_internal.h"

void pl__lex_init(pl__lexer *lx, const char *buf, size_t len, const char *name, pl_error *err)
{
	memset(lx, 0, sizeof *lx);
	lx->buf = buf;
	lx->len = len;
	lx->line = 1;
	lx->name = name ? name : "<game>";
	lx->err = err;
	lx->tok = PL__TOK_EOF;
}

void pl__lex_free(pl__lexer *lx)
{
	free(lx->text);
	lx->text = NULL;
}

int pl__lex_fail(pl__lexer *lx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = pl__vfail_at(lx->err, lx->name, NULL, lx->tok_line ? lx->tok_line : lx->line, fmt,
			      ap);
	va_end(ap);
	lx->tok = PL__TOK_ERROR;
	return rc;
}

int pl__lex_nomem(pl__lexer *lx)
{
	lx->nomem = 1;
	lx->tok = PL__TOK_ERROR;
	return pl_error_set(lx->err, PL_ENOMEM, lx->name, "out of memory while reading");
}

const char *pl__tok_name(int tok)
{
	switch (tok) {
	case PL__TOK_NUMBER: return "a number";
	case PL__TOK_TEXT: return "a quoted label";
	case PL__TOK_SYMBOL: return "a word";
	case PL__TOK_LBRACE: return "'{'";
	case PL__TOK_RBRACE: return "'}'";
	case PL__TOK_COMMA: return "','";
	case PL__TOK_EOF: return "end of file";
	default: return "an error";
	}
}

/* Length of the UTF-8 sequence at s[0..n), 0 when it is not one (overlong
 * forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t need = s[0] < 0x80	      ? 0
		      : (s[0] & 0xE0) == 0xC0 ? 1
		      : (s[0] & 0xF0) == 0xE0 ? 2
		      : (s[0] & 0xF8) == 0xF0 ? 3
					      : 9;
	static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
	if (need > 3 || need >= n)
		return need == 0 ? 1 : 0;
	unsigned cp = s[0] & (0x3F >> need);
	for (size_t q = 1; q <= need; q++) {
		if ((s[q] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[q] & 0x3F);
	}
	if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need + 1;
}

int pl__lex_check_text(pl__lexer *lx)
{
	const unsigned char *s = (const unsigned char *)lx->buf;
	lx->tok_line = 1;
	for (size_t k = 0; k < lx->len;) {
		size_t n = utf8_len(s + k, lx->len - k);
		if (s[k] == '\0')
			return pl__lex_fail(lx, "the file contains a NUL byte");
		if (n == 0)
			return pl__lex_fail(lx,
					    "invalid UTF-8 byte 0x%02X: game files must be UTF-8 "
					    "encoded",
					    s[k]);
		lx->tok_line += s[k] == '\n';
		k += n;
	}
	lx->tok_line = 0;
	return PL_OK;
}

/* 0, or -1 after recording "out of memory" (pl__lex_nomem). */
static int text_push(pl__lexer *lx, char c)
{
	if (lx->text_len + 2 > lx->text_cap) {
		size_t cap = lx->text_cap ? lx->text_cap * 2 : 64;
		char *t = realloc(lx->text, cap);
		if (!t)
			return pl__lex_nomem(lx), -1;
		lx->text = t;
		lx->text_cap = cap;
	}
	lx->text[lx->text_len++] = c;
	lx->text[lx->text_len] = '\0';
	return 0;
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int peek(const pl__lexer *lx)
{
	return lx->pos < lx->len ? (unsigned char)lx->buf[lx->pos] : -1;
}

/* 0, or -1 after recording "out of memory": appends buf[pos..pos+n) and
 * moves past it. */
static int text_take(pl__lexer *lx, size_t n)
{
	if (lx->text_len + n + 1 > lx->text_cap) {
		size_t cap = lx->text_cap ? lx->text_cap : 64;
		while (cap < lx->text_len + n + 1)
			cap *= 2;
		char *t = realloc(lx->text, cap);
		if (!t)
			return pl__lex_nomem(lx), -1;
		lx->text = t;
		lx->text_cap = cap;
	}
	memcpy(lx->text + lx->text_len, lx->buf + lx->pos, n);
	lx->text_len += n;
	lx->text[lx->text_len] = '\0';
	lx->pos += n;
	return 0;
}

static int take_digits(pl__lexer *lx)
{
	size_t n = 0;
	while (lx->pos + n < lx->len && is_digit((unsigned char)lx->buf[lx->pos + n]))
		n++;
	return n ? text_take(lx, n) : 0;
}

/* A number token as Gambit's lexer delimits it: sign, digits, then one of
 * .digits[e[sign]digits], /digits or e[sign]digits. */
static int lex_number(pl__lexer *lx)
{
	if (text_push(lx, lx->buf[lx->pos++]) || take_digits(lx))
		return -1;
	int c = peek(lx);
	if (c == '.') {
		if (text_push(lx, lx->buf[lx->pos++]) || take_digits(lx))
			return -1;
		c = peek(lx);
	} else if (c == '/') {
		if (text_push(lx, lx->buf[lx->pos++]) || take_digits(lx))
			return -1;
		return 0;
	}
	if (c == 'e' || c == 'E') {
		if (text_push(lx, lx->buf[lx->pos++]))
			return -1;
		c = peek(lx);
		if (c != '+' && c != '-' && !is_digit(c))
			return pl__lex_fail(lx, "malformed exponent in number '%s'", lx->text);
		if (text_push(lx, lx->buf[lx->pos++]) || take_digits(lx))
			return -1;
	}
	return 0;
}

/* A quoted label: \" stands for a quote and \\ for a backslash; any other
 * backslash is kept as written. */
static int lex_text(pl__lexer *lx)
{
	lx->pos++; /* the opening quote */
	for (;;) {
		int c = peek(lx);
		if (c < 0)
			return pl__lex_fail(lx, "end of file inside a quoted label");
		lx->pos++;
		if (c == '"')
			return 0;
		if (c == '\n')
			lx->line++;
		if (c == '\\' && (peek(lx) == '"' || peek(lx) == '\\'))
			c = (unsigned char)lx->buf[lx->pos++];
		if (text_push(lx, (char)c))
			return -1;
	}
}

static int classify(pl__lexer *lx, int c)
{
	int rc = 0;
	if (c == '{' || c == '}' || c == ',') {
		lx->pos++;
		return c == '{' ? PL__TOK_LBRACE : c == '}' ? PL__TOK_RBRACE : PL__TOK_COMMA;
	}
	if (is_digit(c) || c == '-' || c == '+' || c == '.') {
		rc = lex_number(lx);
		return rc ? rc : PL__TOK_NUMBER;
	}
	if (c == '"') {
		rc = lex_text(lx);
		return rc ? rc : PL__TOK_TEXT;
	}
	while (lx->pos < lx->len && !is_space(peek(lx)))
		if (text_push(lx, lx->buf[lx->pos++]))
			return -1;
	return PL__TOK_SYMBOL;
}

int pl__lex_next(pl__lexer *lx)
{
	if (lx->tok == PL__TOK_ERROR)
		return PL__TOK_ERROR;
	int prev_line = lx->tok_line ? lx->tok_line : 1;
	while (lx->pos < lx->len && is_space(peek(lx))) {
		if (lx->buf[lx->pos] == '\n')
			lx->line++;
		lx->pos++;
	}
	lx->tok_line = lx->line;
	lx->text_len = 0;
	if (text_push(lx, 'x'))
		return PL__TOK_ERROR;
	lx->text_len = 0;
	lx->text[0] = '\0';
	if (lx->pos >= lx->len) {
		lx->tok_line = prev_line; /* "ends early" points at the last line with text */
		return lx->tok = PL__TOK_EOF;
	}
	if (lx->buf[lx->pos] == '\0')
		return pl__lex_fail(lx, "the file contains a NUL byte"), PL__TOK_ERROR;
	int t = classify(lx, peek(lx));
	if (t < 0) /* a rule broken, or memory exhausted: recorded either way */
		return lx->tok = PL__TOK_ERROR;
	return lx->tok = t;
}

/* Reads an unsigned decimal digit run into z, nine digits at a time (no
 * allocation of ours); returns the end. */
static const char *digits_to_mpz(const char *s, mpz_t z, int *ndigits)
{
	const char *e = s;
	while (is_digit(*e))
		e++;
	*ndigits = (int)(e - s);
	mpz_set_ui(z, 0);
	for (const char *p = s; p < e;) {
		unsigned long chunk = 0, scale = 1;
		for (int k = 0; k < 9 && p < e; k++, p++) {
			chunk = chunk * 10 + (unsigned long)(*p - '0');
			scale *= 10;
		}
		mpz_mul_ui(z, z, scale);
		mpz_add_ui(z, z, chunk);
	}
	return e;
}

/* Applies a decimal exponent "e[-]digits" to num/den. */
static const char *apply_exponent(const char *s, mpz_t num, mpz_t den, int *bad)
{
	int neg = 0;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	const char *e = s;
	unsigned long ex = 0;
	while (is_digit(*e)) {
		ex = ex * 10 + (unsigned long)(*e - '0');
		if (ex > 4000) { /* 10^4000 is already absurd for a payoff */
			*bad = 1;
			return e;
		}
		e++;
	}
	if (e == s)
		*bad = 1;
	mpz_t p;
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, ex);
	if (neg)
		mpz_mul(den, den, p);
	else
		mpz_mul(num, num, p);
	mpz_clear(p);
	return e;
}

/* Gambit's reading of a number: optional '-', digits, then a/b, a decimal
 * part with optional exponent, or an exponent; at least one digit; no '+'
 * (Gambit rejects "+1" and "1e+3"); a fraction's denominator is not 0. */
/* The common case, a plain integer of at most 18 digits ("-35", "1000000"):
 * 1 with its value in *v, else 0 (the general reader decides). */
static int small_integer(const char *s, long *v)
{
	int neg = *s == '-';
	const char *p = s + neg;
	long x = 0;
	int n = 0;
	for (; is_digit(*p); p++, n++) {
		if (n == 18)
			return 0;
		x = x * 10 + (*p - '0');
	}
	if (n == 0 || *p != '\0')
		return 0;
	*v = neg ? -x : x;
	return 1;
}

int pl__parse_number(const char *s, mpq_t out)
{
	long v;
	if (small_integer(s, &v)) {
		mpq_set_si(out, v, 1);
		return 0;
	}
	mpz_t num, den, frac;
	mpz_inits(num, den, frac, NULL);
	int neg = 0, bad = 0, nd = 0, nf = 0;
	mpz_set_ui(den, 1);
	if (*s == '-') {
		neg = 1;
		s++;
	}
	s = digits_to_mpz(s, num, &nd);
	if (!bad && *s == '/') {
		s = digits_to_mpz(s + 1, den, &nf);
		if (nf <= 0 || nd == 0 || mpz_sgn(den) == 0)
			bad = 1;
	} else if (!bad && *s == '.') {
		s = digits_to_mpz(s + 1, frac, &nf);
		if (nd + nf == 0)
			bad = 1;
		mpz_ui_pow_ui(den, 10, (unsigned long)(nf > 0 ? nf : 0));
		mpz_mul(num, num, den);
		mpz_add(num, num, frac);
		if (!bad && (*s == 'e' || *s == 'E'))
			s = apply_exponent(s + 1, num, den, &bad);
	} else if (!bad && (*s == 'e' || *s == 'E')) {
		if (nd == 0)
			bad = 1;
		else
			s = apply_exponent(s + 1, num, den, &bad);
	} else if (nd == 0) {
		bad = 1;
	}
	if (*s != '\0')
		bad = 1;
	if (!bad) {
		mpq_set_num(out, num);
		mpq_set_den(out, den);
		mpq_canonicalize(out);
		if (neg)
			mpq_neg(out, out);
	}
	mpz_clears(num, den, frac, NULL);
	return bad ? -1 : 0;
}

char *pl__mpq_str(const mpq_t q)
{
	return mpq_get_str(NULL, 10, q);
}

void pl__sb_mpq(pl_strbuf *b, const mpq_t q)
{
	mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
	if (mpz_cmp_ui(den, 1) == 0 && mpz_fits_slong_p(num)) {
		pl__sb_long(b, mpz_get_si(num));
		return;
	}
	char small[128];
	size_t need = mpz_sizeinbase(num, 10) + mpz_sizeinbase(den, 10) + 3;
	char *s = need <= sizeof small ? mpq_get_str(small, 10, q) : pl__mpq_str(q);
	if (!s) {
		b->oom = 1;
		return;
	}
	pl__sb_puts(b, s);
	if (s != small)
		free(s);
}
