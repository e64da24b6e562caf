/* detmath.h - exp and log that give the same bits on every machine.
 *
 * glibc picks its exp and log at run time by CPU (an FMA build on CPUs that
 * have FMA), and the variants may round differently; a forecast that feeds
 * thousands of powers through a discrete choice could then change with the
 * machine.  These are plain IEEE-754 double arithmetic (no FMA: the project
 * builds as ISO C17, where GCC does not contract a*b+c), so every conforming
 * machine gives the same result.  They cost about what glibc's do (within
 * a few percent on the eu sweep: inline, no errno, but no FMA either).
 *
 * exp: Tang's table method.  x = (32e + j) ln2/32 + r with |r| <= ln2/64,
 * exp(x) = 2^e 2^(j/32) (1 + p(r)), p the Taylor polynomial of e^r - 1 to
 * degree 6 (truncation below 4e-18).  Error under 1 ulp (tests/unit/test_detmath.c
 * measures it against glibc).
 * log: x = 2^e m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(f),
 * f = (m - 1)/(m + 1), |f| < 0.172, odd series to f^23 (truncation below
 * 1e-19).  Error under 2 ulp.
 * docs/models/eu.md ("Arithmetic") says where the engine uses them. */
#ifndef PL_CORE_DETMATH_H
#define PL_CORE_DETMATH_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline double pl__from_bits(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static inline uint64_t pl__to_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

/* 2^(j/32), j = 0..31, each the double nearest the exact value. */
static const double pl__exp2_32[32] = {
	0x1.0000000000000p+0, 0x1.059b0d3158574p+0, 0x1.0b5586cf9890fp+0, 0x1.11301d0125b51p+0,
	0x1.172b83c7d517bp+0, 0x1.1d4873168b9aap+0, 0x1.2387a6e756238p+0, 0x1.29e9df51fdee1p+0,
	0x1.306fe0a31b715p+0, 0x1.371a7373aa9cbp+0, 0x1.3dea64c123422p+0, 0x1.44e086061892dp+0,
	0x1.4bfdad5362a27p+0, 0x1.5342b569d4f82p+0, 0x1.5ab07dd485429p+0, 0x1.6247eb03a5585p+0,
	0x1.6a09e667f3bcdp+0, 0x1.71f75e8ec5f74p+0, 0x1.7a11473eb0187p+0, 0x1.82589994cce13p+0,
	0x1.8ace5422aa0dbp+0, 0x1.93737b0cdc5e5p+0, 0x1.9c49182a3f090p+0, 0x1.a5503b23e255dp+0,
	0x1.ae89f995ad3adp+0, 0x1.b7f76f2fb5e47p+0, 0x1.c199bdd85529cp+0, 0x1.cb720dcef9069p+0,
	0x1.d5818dcfba487p+0, 0x1.dfc97337b9b5fp+0, 0x1.ea4afa2a490dap+0, 0x1.f50765b6e4540p+0,
};

static inline double pl__exp(double x)
{
	/* 32/ln2; ln2/32 split so that k * hi is exact for |k| < 2^20 */
	const double inv = 0x1.71547652b82fep+5, hi = 0x1.62e42fee00000p-6,
		     lo = 0x1.a39ef35793c76p-38, shift = 0x1.8p52;
	if (!(fabs(x) < 708)) { /* near or past the ends of the range; NaN */
		if (x != x)
			return x;
		if (x > 709.79)
			return HUGE_VAL;
		if (x < -745.2)
			return 0.0;
	}
	double kd = x * inv + shift; /* round to nearest: k in the low bits */
	int64_t k = (int64_t)(pl__to_bits(kd) & 0xfffffffffffffULL) - (INT64_C(1) << 51);
	kd -= shift;
	double r = (x - kd * hi) - kd * lo;
	/* Estrin's scheme: shorter chains of dependent operations than Horner's */
	double r2 = r * r, r4 = r2 * r2;
	double p = r + (r2 * (0.5 + r * (1.0 / 6)) +
			r4 * ((1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720)));
	int64_t e = k >> 5; /* floor(k / 32): GCC and Clang shift signed values arithmetically */
	double t = pl__exp2_32[k & 31];
	if (e >= -1021 && e <= 1022) { /* 2^e t: add e to t's exponent field */
		double s = pl__from_bits(pl__to_bits(t) + ((uint64_t)e << 52));
		return s + s * p;
	}
	if (e > 1022) { /* the top of the range: 2^(e-1) t, then doubled */
		double s = pl__from_bits(pl__to_bits(t) + ((uint64_t)(e - 1) << 52));
		return 2 * (s + s * p);
	}
	/* a subnormal result: scale in two steps so that neither underflows */
	double y = t + t * p;
	return y * pl__from_bits((uint64_t)(e + 1023 + 64) << 52) * 0x1p-64;
}

static inline double pl__log(double x)
{
	const double ln2_hi = 0x1.62e42fee00000p-1, ln2_lo = 0x1.a39ef35793c76p-33;
	if (!(x > 0))
		return x == 0 ? -HUGE_VAL : (x - x) / 0.0; /* -inf; NaN for x < 0 or NaN */
	if (x == HUGE_VAL)
		return x;
	int e0 = 0;
	uint64_t u = pl__to_bits(x);
	if (u < (UINT64_C(1) << 52)) { /* subnormal: make it normal */
		x *= 0x1p54;
		e0 = -54;
		u = pl__to_bits(x);
	}
	int e = (int)(u >> 52) - 1023 + e0;
	double m = pl__from_bits((u & 0xfffffffffffffULL) | (UINT64_C(1023) << 52)); /* [1, 2) */
	if (m > 0x1.6a09e667f3bcdp+0) { /* above sqrt(2): halve it */
		m *= 0.5;
		e++;
	}
	double f = (m - 1) / (m + 1), f2 = f * f;
	double s = 1.0 / 3 +
		   f2 * (1.0 / 5 +
			 f2 * (1.0 / 7 +
			       f2 * (1.0 / 9 +
				     f2 * (1.0 / 11 +
					   f2 * (1.0 / 13 +
						 f2 * (1.0 / 15 +
						       f2 * (1.0 / 17 +
							     f2 * (1.0 / 19 + f2 * (1.0 / 21 + f2 / 23)))))))));
	/* log m = 2f + 2f^3 s; the small parts first */
	double ed = (double)e;
	return ed * ln2_hi + (2 * f + (2 * f * f2 * s + ed * ln2_lo));
}

#endif
