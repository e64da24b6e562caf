/* vec4.h - what the engines' four-lane kernels share (eu/eu_batch.c,
 * smp/smp_lanes.c, smp/smp_pce.c, smp/smp_values.c): GCC's generic vectors
 * of four doubles, and the AVX2 variant of a kernel.
 *
 * Each kernel is written once on v4d/v4i and compiled twice: plainly (on
 * x86-64 GCC splits a vector into two SSE2 halves; elsewhere into scalars)
 * and, where VEC4_AVX2 is 1, under VEC4_TARGET_AVX2; vec4_cpu_avx2() picks
 * one at run time.  Both give the same bits: the same IEEE operations in
 * the same order, and no contraction into FMA (-ffp-contract=off, and neither variant enables FMA).
 * Private to the engines. */
#ifndef PL_ENGINES_VEC4_H
#define PL_ENGINES_VEC4_H

#include <stdint.h>
#include <string.h>

/* Passing 32-byte vectors between static functions without AVX crosses no
 * ABI, so GCC's warning about it is moot here. */
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wpsabi"
#elif defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#include <immintrin.h>
#define VEC4_AVX2	 1
#define VEC4_TARGET_AVX2 __attribute__((target("avx2")))
#else
#define VEC4_AVX2 0
#endif

typedef double v4d __attribute__((vector_size(32)));
typedef int64_t v4i __attribute__((vector_size(32)));

#define VEC4_INL static inline __attribute__((always_inline))

/* x where the lane's mask is set (all ones), +0.0 elsewhere */
VEC4_INL v4d vec4_keep(v4i mask, v4d x)
{
	return (v4d)((v4i)x & mask);
}

/* four doubles from p, which need not be aligned */
VEC4_INL v4d vec4_load(const double *p)
{
	v4d x;
	memcpy(&x, p, sizeof x);
	return x;
}

/* 1 when this CPU runs the AVX2 variants */
static inline int vec4_cpu_avx2(void)
{
#if VEC4_AVX2
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") != 0;
#else
	return 0;
#endif
}

#endif
