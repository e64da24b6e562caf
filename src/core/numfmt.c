/* numfmt.c - the shortest round-trip text of a double, for every JSON and
 * CSV number the library writes (numfmt.h).
 *
 * The text is what the first of printf's %.15g, %.16g and %.17g that reads
 * back gives, but found without printf: the shortest decimal that reads
 * back is searched as in Giulietti's Schubfach ("The Schubfach way to
 * render doubles", 2020): scale the value and its rounding interval by a
 * power of ten so that the interval is 1 to 10 units wide, then the shortest
 * number in it is a multiple of ten there or one of the two integers next
 * to the value.  Products with 128-bit powers of ten (numfmt_pow10.h) give
 * each scaled quantity to within 2^-64; where one lies that close to an
 * integer (it may be one exactly: the value is a short binary fraction) or
 * the value is subnormal, exact big-integer arithmetic decides instead.
 * Which of 15, 16 and 17 digits printf would have used follows from the
 * shortest length (see fmt_normal). */
#include "numfmt.h"
#include "numfmt_pow10.h"
#include "util.h"

#include <jansson.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

/* floor(e log2 10), floor(q log10 2), floor(log10(3/4 2^q)) for the
 * exponents a double needs (checked exactly by bench/gen_pow10.py). */
static int flog2_pow10(int e)
{
	return (int)(((int64_t)e * 1741647) >> 19);
}

static int flog10_pow2(int q)
{
	return (int)(((int64_t)q * 78913) >> 18);
}

static int flog10_three_quarters_pow2(int q)
{
	return (int)(((int64_t)q * 661971961084 - 274743187321) >> 41);
}

/* m 2^q 10^e as an integer part *ip and the next 64 bits of its fraction:
 * the result is at most 2^-64 below and 2^-70 above the exact value (the
 * power of ten is rounded up, the product cut).  Needs the integer part
 * below 2^64 and 70 <= 127 - q - floor(e log2 10) <= 135. */
static uint64_t scaled(uint64_t m, int q, int e, uint64_t *ip)
{
	const uint64_t *g = pl__pow10_sig[e - PL__POW10_MIN];
	u128 lo = (u128)m * g[1], hi = (u128)m * g[0];
	uint64_t p0 = (uint64_t)lo;
	u128 t = hi + (lo >> 64);
	uint64_t p1 = (uint64_t)t, p2 = (uint64_t)(t >> 64);
	int s = 127 - q - flog2_pow10(e); /* value = p / 2^s */
	int r = s - 64;			   /* the fraction's 64 bits start at bit r */
	if (r < 64) {
		*ip = (uint64_t)((((u128)p2 << 64) | p1) >> r);
		return (p1 << (64 - r)) | (p0 >> r);
	}
	*ip = p2 >> (r - 64);
	return r == 64 ? p1 : (p2 << (128 - r)) | (p1 >> (r - 64));
}

/* A decimal: digits d[0..n) (no leading or trailing zero) times
 * 10^(x - n + 1), so x is the exponent of the first digit. */
typedef struct {
	char d[800];
	int n, x;
} decimal;

static void decimal_u64(decimal *o, uint64_t v, int x_last)
{
	char tmp[24];
	int n = 0;
	while (v % 10 == 0 && v) {
		v /= 10;
		x_last++;
	}
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int k = 0; k < n; k++)
		o->d[k] = tmp[n - 1 - k];
	o->n = n;
	o->x = x_last + n - 1;
}

/* ---- exact arithmetic, for the values the products cannot settle ---- */

#define LIMBS 84 /* 4 2^54 5^1076 < 2^2560 */

/* The exact decimal of m 2^e (m > 0): a big integer of base-2^32 limbs
 * (m 2^e, or m 5^-e times 10^e), written out by division by 10^9. */
static void exact_decimal(decimal *o, uint64_t m, int e)
{
	uint32_t b[LIMBS] = {(uint32_t)m, (uint32_t)(m >> 32)};
	int n = 2, x10 = 0;
	if (e >= 0) {
		int words = e / 32, bits = e % 32;
		for (int k = n - 1; k >= 0; k--) {
			uint64_t w = (uint64_t)b[k] << bits;
			b[k + words + 1] |= (uint32_t)(w >> 32);
			b[k + words] = (uint32_t)w;
			if (words)
				b[k] = 0;
		}
		n += words + 1;
	} else {
		for (int left = -e; left > 0;) {
			int step = left < 13 ? left : 13;
			uint64_t f = 1;
			for (int k = 0; k < step; k++)
				f *= 5;
			uint64_t carry = 0;
			for (int k = 0; k < n; k++) {
				uint64_t w = (uint64_t)b[k] * f + carry;
				b[k] = (uint32_t)w;
				carry = w >> 32;
			}
			while (carry) {
				b[n++] = (uint32_t)carry;
				carry >>= 32;
			}
			left -= step;
		}
		x10 = e;
	}
	while (n > 1 && !b[n - 1])
		n--;
	uint32_t chunk[LIMBS + 8]; /* base 10^9, least significant first */
	int nc = 0;
	while (n > 1 || b[0]) {
		uint64_t rem = 0;
		for (int k = n - 1; k >= 0; k--) {
			uint64_t w = (rem << 32) | b[k];
			b[k] = (uint32_t)(w / 1000000000u);
			rem = w % 1000000000u;
		}
		chunk[nc++] = (uint32_t)rem;
		while (n > 1 && !b[n - 1])
			n--;
	}
	char *p = o->d;
	int len = 0;
	char lead[10];
	for (uint32_t c = chunk[nc - 1]; c; c /= 10)
		lead[len++] = (char)('0' + c % 10);
	for (int j = 0; j < len; j++)
		p[j] = lead[len - 1 - j];
	for (int k = nc - 2; k >= 0; k--) {
		uint32_t c = chunk[k];
		for (int j = 8; j >= 0; j--, c /= 10)
			p[len + j] = (char)('0' + c % 10);
		len += 9;
	}
	int last = len; /* trailing zeros into the exponent */
	while (last > 1 && p[last - 1] == '0')
		last--;
	o->n = last;
	o->x = x10 + len - 1;
}

/* a <=> b, both positive */
static int decimal_cmp(const decimal *a, const decimal *b)
{
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	for (int k = 0; k < a->n || k < b->n; k++) {
		char ca = k < a->n ? a->d[k] : '0', cb = k < b->n ? b->d[k] : '0';
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
	return 0;
}

/* a rounded to p significant digits, halves to even (as printf rounds). */
static void decimal_round(decimal *o, const decimal *a, int p)
{
	*o = *a;
	if (a->n <= p)
		return;
	int up;
	if (a->d[p] != '5')
		up = a->d[p] > '5';
	else
		up = a->n > p + 1 || (a->d[p - 1] - '0') % 2;
	o->n = p;
	if (up) {
		int k = p - 1;
		while (k >= 0 && o->d[k] == '9')
			k--;
		if (k < 0) {
			o->d[0] = '1';
			o->n = 1;
			o->x++;
			return;
		}
		o->d[k]++;
		o->n = k + 1;
	}
	while (o->n > 1 && o->d[o->n - 1] == '0')
		o->n--;
}

/* ---- the text ---- */

/* Writes a (sign s) as printf's %.{p}g writes it with its trailing zeros
 * removed; returns the length. */
static int put_g(char *buf, int neg, const decimal *a, int p)
{
	char *o = buf;
	if (neg)
		*o++ = '-';
	int x = a->x;
	if (x < -4 || x >= p) {
		*o++ = a->d[0];
		if (a->n > 1) {
			*o++ = '.';
			memcpy(o, a->d + 1, (size_t)a->n - 1);
			o += a->n - 1;
		}
		*o++ = 'e';
		*o++ = x < 0 ? '-' : '+';
		int ax = x < 0 ? -x : x;
		if (ax >= 100)
			*o++ = (char)('0' + ax / 100);
		*o++ = (char)('0' + ax / 10 % 10);
		*o++ = (char)('0' + ax % 10);
	} else if (x >= 0) {
		if (a->n <= x + 1) {
			memcpy(o, a->d, (size_t)a->n);
			o += a->n;
			for (int k = a->n; k <= x; k++)
				*o++ = '0';
		} else {
			memcpy(o, a->d, (size_t)x + 1);
			o += x + 1;
			*o++ = '.';
			memcpy(o, a->d + x + 1, (size_t)(a->n - x - 1));
			o += a->n - x - 1;
		}
	} else {
		*o++ = '0';
		*o++ = '.';
		for (int k = -1; k > x; k--)
			*o++ = '0';
		memcpy(o, a->d, (size_t)a->n);
		o += a->n;
	}
	*o = '\0';
	return (int)(o - buf);
}

/* The significand c and exponent q of |v| = c 2^q (finite, not 0). */
static void split(double v, uint64_t *c, int *q, int *asym)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof bits);
	uint64_t t = bits & ((1ull << 52) - 1);
	int be = (int)(bits >> 52 & 0x7ff);
	*asym = be > 1 && t == 0; /* the gap below is half the gap above */
	*c = be ? t | 1ull << 52 : t;
	*q = be ? be - 1075 : -1074;
}

/* The exact way: the first of 15, 16, 17 digits (rounded as printf rounds)
 * that lies in the rounding interval of c 2^q. */
static int fmt_exact(char *buf, int neg, uint64_t c, int q, int asym)
{
	decimal v, lo, hi, r;
	exact_decimal(&v, c, q);
	exact_decimal(&hi, 2 * c + 1, q - 1);
	if (asym)
		exact_decimal(&lo, 4 * c - 1, q - 2);
	else
		exact_decimal(&lo, 2 * c - 1, q - 1);
	int incl = c % 2 == 0; /* strtod rounds a halfway case to even */
	for (int p = 15; p < 17; p++) {
		decimal_round(&r, &v, p);
		int a = decimal_cmp(&r, &lo), b = decimal_cmp(&r, &hi);
		if ((a > 0 || (incl && a == 0)) && (b < 0 || (incl && b == 0)))
			return put_g(buf, neg, &r, p);
	}
	decimal_round(&r, &v, 17);
	return put_g(buf, neg, &r, 17);
}

/* A normal double.  With x = |v| 10^-k and its rounding interval [xl, xr]
 * of width 1 to 10 (k chosen so), the shortest decimal reading back as v is
 * the multiple of 10 in the interval if there is one, else the integer next
 * to x (floor or ceiling) that is in it, the nearer if both are.  4x, 4xl
 * and 4xr come from the products; when one lies within 2^-62 of an integer
 * the exact way decides.  Which printf precision gives the same text: with
 * at most 15 digits the shortest decimal is within half a unit of the 15th
 * digit (a double's interval is narrower), so %.15g finds it; with 17 it is
 * the nearest 17-digit decimal; with 16 it is the nearest 16-digit decimal
 * unless the interval is lopsided (c = 2^52), where the exact way decides. */
static int fmt_normal(char *buf, int neg, uint64_t c, int q, int asym)
{
	int k = asym ? flog10_three_quarters_pow2(q) : flog10_pow2(q);
	uint64_t xi, li, ri;
	uint64_t xf = scaled(4 * c, q, -k, &xi);
	uint64_t lf = scaled(asym ? 4 * c - 1 : 4 * c - 2, q, -k, &li);
	uint64_t rf = scaled(4 * c + 2, q, -k, &ri);
	if (xf < 4 || xf > UINT64_MAX - 4 || lf < 4 || lf > UINT64_MAX - 4 || rf < 4 ||
	    rf > UINT64_MAX - 4)
		return fmt_exact(buf, neg, c, q, asym);
	/* none of 4x, 4xl, 4xr is an integer: xl <= n  <=>  li < 4n */
	uint64_t s = xi >> 2, d;
	int dk = k;
	uint64_t sp10 = s - s % 10, tp10 = sp10 + 10;
	int upin = li < 4 * sp10, wpin = 4 * tp10 <= ri;
	if (upin != wpin) {
		d = upin ? sp10 : tp10;
	} else {
		int uin = li < 4 * s, win = 4 * (s + 1) <= ri;
		if (uin != win)
			d = uin ? s : s + 1;
		else
			d = xi >= 4 * s + 2 ? s + 1 : s;
	}
	decimal a;
	decimal_u64(&a, d, dk);
	if (a.n <= 15)
		return put_g(buf, neg, &a, 15);
	if (a.n == 17)
		return put_g(buf, neg, &a, 17);
	if (asym)
		return fmt_exact(buf, neg, c, q, asym);
	return put_g(buf, neg, &a, 16);
}

static int fmt_integer(char *buf, double v)
{
	char tmp[24];
	int n = 0, neg = v < 0;
	uint64_t u = (uint64_t)(neg ? -v : v);
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	char *o = buf;
	if (neg)
		*o++ = '-';
	while (n)
		*o++ = tmp[--n];
	*o = '\0';
	return (int)(o - buf);
}

char *pl__fmt_shortest(char *buf, double v)
{
	if (!isfinite(v)) {
		strcpy(buf, isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
		return buf;
	}
	/* the range test comes first: converting a double outside long long's
	 * range is undefined behaviour ("-0" is "0") */
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v) {
		fmt_integer(buf, v == 0 ? 0 : v);
		return buf;
	}
	uint64_t c;
	int q, asym;
	split(v, &c, &q, &asym);
	if (c < 1ull << 52) /* subnormal */
		fmt_exact(buf, v < 0, c, q, asym);
	else
		fmt_normal(buf, v < 0, c, q, asym);
	return buf;
}

char *pl__fmt_digits(char *buf, double v, int p)
{
	if (!isfinite(v) || v == 0) {
		if (v == 0)
			strcpy(buf, signbit(v) ? "-0" : "0");
		else
			strcpy(buf, isnan(v) ? (signbit(v) ? "-nan" : "nan") : v < 0 ? "-inf" : "inf");
		return buf;
	}
	uint64_t c;
	int q, asym;
	split(v, &c, &q, &asym);
	decimal a;
	/* x = |v| 10^(p-1-x10) has p digits before the point */
	int len = 64 - __builtin_clzll(c);
	int x10 = flog10_pow2(q + len - 1); /* the first digit's exponent or one less */
	for (int tries = 0; tries < 2; tries++) {
		uint64_t xi, xf = scaled(c, q, p - 1 - x10, &xi);
		static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000,
						 10000000, 100000000, 1000000000, 10000000000ull,
						 100000000000ull, 1000000000000ull,
						 10000000000000ull, 100000000000000ull,
						 1000000000000000ull, 10000000000000000ull,
						 100000000000000000ull, 1000000000000000000ull};
		if (xi >= pow10[p]) {
			x10++;
			continue;
		}
		if (xf >= (1ull << 63) - 4 && xf <= (1ull << 63) + 4)
			break; /* maybe halfway: the exact way */
		xi += xf > 1ull << 63;
		decimal_u64(&a, xi, x10 - p + 1);
		put_g(buf, v < 0, &a, p);
		return buf;
	}
	decimal e;
	exact_decimal(&e, c, q);
	decimal_round(&a, &e, p);
	put_g(buf, v < 0, &a, p);
	return buf;
}
/* Copies the NUL-terminated s into buf of size bytes, cut if need be. */
static void copy_to(char *buf, size_t size, const char *s)
{
	if (!size)
		return;
	size_t n = strlen(s);
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

void pl__fmt_number(char *buf, size_t size, double v)
{
	char num[PL__NUM_MAX];
	copy_to(buf, size, pl__fmt_shortest(num, v));
}

void pl__fmt_scaled(char *buf, size_t size, double v, double scale)
{
	double w = v * scale;
	if (!isfinite(w) || scale == 1) {
		pl__fmt_number(buf, size, w);
		return;
	}
	double k = nearbyint(w);
	if (k > -1e15 && k < 1e15 && k / scale == v) {
		char num[PL__NUM_MAX];
		copy_to(buf, size, pl__fmt_shortest(num, k)); /* an integer */
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		char num[PL__NUM_MAX];
		copy_to(buf, size, pl__fmt_digits(num, w, digits));
		if (strtod(buf, NULL) / scale == v)
			return;
	}
}

/* Length of the number token at s (JSON's number grammar, loosely: jansson
 * wrote it). */
static size_t number_len(const char *s)
{
	size_t n = 0;
	while (s[n] && strchr("0123456789+-.eE", s[n]))
		n++;
	return n;
}

char *pl__json_shortest_reals(const char *json)
{
	size_t len = strlen(json);
	/* a real grows at most by ".0" plus a few characters; bound generously */
	size_t cap = len + len / 2 + PL__NUM_MAX;
	char *out = malloc(cap);
	if (!out)
		return NULL;
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
			memcpy(out + o, json + i, n); /* an integer: as written */
			o += n;
			i += n;
			continue;
		}
		char num[PL__NUM_MAX];
		pl__fmt_shortest(num, strtod(json + i, NULL));
		size_t k = strlen(num);
		if (o + k + 2 + (len - i) >= cap) {
			cap = 2 * cap + k + 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
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

char *pl__json_document(json_t *root)
{
	/* every real exactly (17 digits), then each as its shortest text */
	char *exact = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						      JSON_REAL_PRECISION(17))
			   : NULL;
	json_decref(root);
	char *text = exact ? pl__json_shortest_reals(exact) : NULL;
	free(exact);
	return pl__with_newline(text);
}
