#!/usr/bin/env python3
"""gen_pow10.py - writes src/core/numfmt_pow10.h, the powers of ten that
numfmt.c's shortest-digit search multiplies by: for e = EMIN..EMAX, the
128-bit significand ceil(10^e * 2^(127 - floor(e * log2 10))), in exact
rational arithmetic.  Also checks the integer approximations of
floor(e log2 10), floor(q log10 2) and floor(log10(3/4 2^q)) that numfmt.c
uses, over every exponent a double can need.
usage: gen_pow10.py > src/core/numfmt_pow10.h"""
from fractions import Fraction

EMIN, EMAX = -300, 345


def floor_log(x, base):
    """floor(log_base(x)) for a positive rational x, exactly."""
    k = 0
    while Fraction(base) ** k > x:
        k -= 1
    while Fraction(base) ** (k + 1) <= x:
        k += 1
    return k


def check():
    for e in range(-400, 401):
        assert (e * 1741647) >> 19 == floor_log(Fraction(10) ** e, 2), e
    for q in range(-1200, 1201):
        assert (q * 78913) >> 18 == floor_log(Fraction(2) ** q, 10), q
        assert (q * 661971961084 - 274743187321) >> 41 == \
            floor_log(Fraction(3, 4) * Fraction(2) ** q, 10), q


def main():
    check()
    rows = []
    for e in range(EMIN, EMAX + 1):
        f = floor_log(Fraction(10) ** e, 2)
        x = Fraction(10) ** e * Fraction(2) ** (127 - f)
        m = -((-x.numerator) // x.denominator)
        assert 2 ** 127 <= m < 2 ** 128, e
        rows.append("\t{0x%016xu, 0x%016xu}, /* %d */" % (m >> 64, m & (2 ** 64 - 1), e))
    print("""/* numfmt_pow10.h - 10^e for e = %d..%d as 128-bit significands for
 * numfmt.c's digit search: {high, low} 64-bit halves of
 * ceil(10^e * 2^(127 - floor(e * log2 10))), each in [2^127, 2^128).
 * Written by bench/gen_pow10.py (exact rational arithmetic); do not edit. */
#ifndef PL_CORE_NUMFMT_POW10_H
#define PL_CORE_NUMFMT_POW10_H

#include <stdint.h>

#define PL__POW10_MIN (%d)
#define PL__POW10_MAX %d

static const uint64_t pl__pow10_sig[][2] = {
%s
};

#endif""" % (EMIN, EMAX, EMIN, EMAX, "\n".join(rows)))


if __name__ == "__main__":
    main()
