/* smp_lanes_run.h - the body of smp_lanes.c's run: every third party's
 * vote in one challenge, four voters to a vector, the stop rule tested
 * between blocks.  Included twice by smp_lanes.c: for any x86-64 (LANES_POS
 * and LANES_NEG as masks) and for AVX2 (max and min with +0.0, the same
 * numbers: max(v, +0.0) is v when v > 0 and +0.0 otherwise, NaN included).
 * Expects LANES_RUN, LANES_VOTE (the functions' names), LANES_ATTR,
 * LANES_POS(v), LANES_NEG(v), LANES_LOAD(p), LANES_SPLAT(x) and
 * LANES_KEEP(mask, v). */

/* The votes of the third parties at places k .. k + 3: the same operations
 * on the same values as smp_chlg.c's tp_vote_with(VR_PROP, TPC_SEMI). */
LANES_ATTR VEC4_INL v4d LANES_VOTE(const double *wnr, const double *rhr, const double *uir,
				   const double *utr, const double *sdj, size_t k, v4d ci, v4d cj,
				   v4d one, v4d zero)
{
	(void)zero;
	/* vdiff[t * n + j] for the third parties t at places k .. k + 3 */
	const v4d sd = LANES_LOAD(sdj + k);
	const v4d r = LANES_LOAD(rhr + k), uni = LANES_LOAD(uir + k);
	const v4d unn = LANES_LOAD(utr + k), wn = LANES_LOAD(wnr + k);
	/* pl__smp_bsutil_inline(sd, r) */
	const v4i le = sd <= one;
	const v4d u_in = (one - sd) * (one + sd * r);
	const v4d u_out = (one - sd) * (one + r);
	const v4d unj = (v4d)(((v4i)u_in & le) | ((v4i)u_out & ~le));
	const v4d cn = wn * (uni - unj);
	const v4d cni = ci + LANES_POS(cn);
	const v4d cnj = cj - LANES_NEG(cn);
	const v4d pin = cni / (cni + cnj), pjn = one - pin;
	const v4d u_ik_def_j = uni + uni + unn, u_i_def_jk = uni + uni + uni;
	const v4d u_j_def_ik = unj + unj + unj, u_jk_def_i = unj + unj + unn;
	const v4d u_ik_j = (pin * u_ik_def_j) + (pjn * u_j_def_ik);
	const v4d u_i_jk = (pin * u_i_def_jk) + (pjn * u_jk_def_i);
	return wn * (u_ik_j - u_i_jk);
}

/* 0 when stopped, else 1 with every vote in rw->vote.  ak, bk are sums of
 * the same terms in another order than the final ones: 1e-9 of room each
 * way, far above rounding.  Places past the last voter have weight +0.0
 * and finite rows, so their votes are zeros that change no sum. */
LANES_ATTR static int LANES_RUN(const smp_lane_rows *rw, smp_lanes *s, const smp_gain_stop *g,
				const double *ra)
{
	const size_t n = rw->n, np = SMP_PAD(n), ki = s->ki, kj = s->kj;
	const double *const wnr = rw->wn, *const rhr = rw->rh, *const uir = rw->ut_i;
	const double *const utr = rw->ut_t, *const sdj = s->sd;
	double *const vote = rw->vote;
	const v4d ci = LANES_SPLAT(s->a), cj = LANES_SPLAT(s->b), zero = LANES_SPLAT(0.0), one = LANES_SPLAT(1.0);
	v4d ak = {s->a, 0.0, 0.0, 0.0}, bk = {s->b, 0.0, 0.0, 0.0};
	for (size_t k0 = 0; k0 < np; k0 += SMP_STOP_BLOCK) {
		const size_t k1 = np - k0 > SMP_STOP_BLOCK ? k0 + SMP_STOP_BLOCK : np;
		if ((ki >= k0 && ki < k1) || (kj >= k0 && kj < k1)) {
			/* the principals vote +0.0 */
			const v4i pi = {(int64_t)ki, (int64_t)ki, (int64_t)ki, (int64_t)ki};
			const v4i pj = {(int64_t)kj, (int64_t)kj, (int64_t)kj, (int64_t)kj};
			for (size_t k = k0; k < k1; k += SMP_LANES) {
				const v4i kv = {(int64_t)k, (int64_t)k + 1, (int64_t)k + 2,
						(int64_t)k + 3};
				const v4d v = LANES_KEEP((kv != pi) & (kv != pj),
							LANES_VOTE(wnr, rhr, uir, utr, sdj, k, ci, cj, one, zero));
				memcpy(vote + k, &v, sizeof v);
				ak = ak + LANES_POS(v);
				bk = bk - LANES_NEG(v);
			}
		} else {
			for (size_t k = k0; k < k1; k += SMP_LANES) {
				const v4d v = LANES_VOTE(wnr, rhr, uir, utr, sdj, k, ci, cj, one, zero);
				memcpy(vote + k, &v, sizeof v);
				ak = ak + LANES_POS(v);
				bk = bk - LANES_NEG(v);
			}
		}
		if (!g || k1 >= n)
			continue;
		const double a = (ak[0] + ak[1]) + (ak[2] + ak[3]);
		const double b = (bk[0] + bk[1]) + (bk[2] + bk[3]);
		double rest = ra[k1];
		if (rw->xu >= 0.0) {
			/* the voters left weigh at most wn[k1] (heaviest first):
			 * each one's estimate that i wins is at most p */
			const double x = wnr[k1] * rw->xu;
			double p = (s->a + x) / (s->a + x + s->b) * (1.0 + 1e-9);
			p = p < 1.0 ? p : 1.0;
			const double r2 = (p * rw->sa[k1] + rw->sb[k1]) * (1.0 + 1e-9);
			rest = r2 < rest ? r2 : rest;
		}
		if (pl__smp_cannot_win(g, (a + rest) * (1.0 + 1e-9), b * (1.0 - 1e-9)))
			return 0;
	}
	return 1;
}

#undef LANES_RUN
#undef LANES_VOTE
#undef LANES_ATTR
#undef LANES_POS
#undef LANES_NEG
#undef LANES_LOAD
#undef LANES_SPLAT
#undef LANES_KEEP
