/* smp_pce_tile.h - one tile of smp_pce.c's coalition sums under
 * VotingRule=Prop: the pairs of a panel of four options i and a panel of
 * four options j < i, summed together over the voters k = 0, 1, ... in
 * order, in vector registers.  Included twice by smp_pce.c: for any x86-64
 * (PCE_POS and PCE_NEG masks) and for AVX2 (max and min with +0.0, the same
 * numbers: max(v, +0.0) is v when v > 0 and +0.0 otherwise, NaN included).
 * Expects PCE_TILE (the function's name), PCE_ATTR, PCE_POS(v), PCE_NEG(v). */

PCE_ATTR static void PCE_TILE(size_t n, const double *w, const double *I, const double *J,
			      v4d *A, v4d *B)
{
	const v4d zero = {0.0, 0.0, 0.0, 0.0};
	const v4d init = {SMP_MIN_COALITION, SMP_MIN_COALITION, SMP_MIN_COALITION,
			      SMP_MIN_COALITION};
	v4d a0 = init, a1 = init, a2 = init, a3 = init;
	v4d b0 = init, b1 = init, b2 = init, b3 = init;
	(void)zero;
	for (size_t k = 0; k < n; k++) {
		v4d r;
		memcpy(&r, J + k * 4, sizeof r);
		const double wk = w[k];
		const double *ik = I + k * 4;
		v4d v;
		v = wk * (ik[0] - r);
		a0 = a0 + PCE_POS(v);
		b0 = b0 - PCE_NEG(v);
		v = wk * (ik[1] - r);
		a1 = a1 + PCE_POS(v);
		b1 = b1 - PCE_NEG(v);
		v = wk * (ik[2] - r);
		a2 = a2 + PCE_POS(v);
		b2 = b2 - PCE_NEG(v);
		v = wk * (ik[3] - r);
		a3 = a3 + PCE_POS(v);
		b3 = b3 - PCE_NEG(v);
	}
	A[0] = a0;
	A[1] = a1;
	A[2] = a2;
	A[3] = a3;
	B[0] = b0;
	B[1] = b1;
	B[2] = b2;
	B[3] = b3;
}

#undef PCE_TILE
#undef PCE_ATTR
#undef PCE_POS
#undef PCE_NEG
