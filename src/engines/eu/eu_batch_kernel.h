/* eu_batch_kernel.h - one round of the batched eu on every lane
 * (eu_batch.c), included there once per instruction set: the includer
 * defines KFN (the functions' names), KINL (their attributes, with the
 * target), KENTRY (the entry's), SPLAT, and the primitives SEL (a per-lane
 * choice), ANY and ALL (tests of a mask); this file undefines them at its
 * end, ready for the next variant. */
/* pl__exp, lane by lane the same operations. */
KINL v4d KFN(vexp)(v4d x)
{
	const v4d inv = SPLAT(0x1.71547652b82fep+5), hi = SPLAT(0x1.62e42fee00000p-6),
		  lo = SPLAT(0x1.a39ef35793c76p-38), shift = SPLAT(0x1.8p52);
	const v4u mant = (v4u){0xfffffffffffffULL, 0xfffffffffffffULL, 0xfffffffffffffULL,
			       0xfffffffffffffULL};
	v4i ok = vabs(x) < SPLAT(708);
	v4d kd = x * inv + shift;
	v4i k = (v4i)((v4u)kd & mant) - (INT64_C(1) << 51);
	kd = kd - shift;
	v4d r = (x - kd * hi) - kd * lo;
	v4d r2 = r * r, r4 = r2 * r2;
	v4d p = r + (r2 * (SPLAT(0.5) + r * SPLAT(1.0 / 6)) +
		     r4 * ((SPLAT(1.0 / 24) + r * SPLAT(1.0 / 120)) + r2 * SPLAT(1.0 / 720)));
	v4i e = k >> 5;
	v4d t = TAB(k & 31);
	v4d s = (v4d)((v4u)t + ((v4u)e << 52));
	v4d y = s + s * p;
	if (!ALL(ok))
		for (int l = 0; l < LANES; l++)
			if (!ok[l])
				y[l] = pl__exp(x[l]);
	return y;
}

/* pl__log, lane by lane the same operations. */
KINL v4d KFN(vlog)(v4d x)
{
	const v4u mant = (v4u){0xfffffffffffffULL, 0xfffffffffffffULL, 0xfffffffffffffULL,
			       0xfffffffffffffULL};
	const v4u one = (v4u){1023ULL << 52, 1023ULL << 52, 1023ULL << 52, 1023ULL << 52};
	v4u u = (v4u)x;
	v4i ok = (x > SPLAT(0)) & (x != SPLAT(HUGE_VAL)) & (v4i)(u >= (UINT64_C(1) << 52));
	v4i e = (v4i)(u >> 52) - 1023;
	v4d m = (v4d)((u & mant) | one);
	v4i big = m > SPLAT(0x1.6a09e667f3bcdp+0);
	m = SEL(big, m * SPLAT(0.5), m);
	e = e - big; /* big is -1 where true */
	v4d f = (m - SPLAT(1)) / (m + SPLAT(1)), f2 = f * f;
	v4d s = SPLAT(1.0 / 3) +
		f2 * (SPLAT(1.0 / 5) +
		      f2 * (SPLAT(1.0 / 7) +
			    f2 * (SPLAT(1.0 / 9) +
				  f2 * (SPLAT(1.0 / 11) +
					f2 * (SPLAT(1.0 / 13) +
					      f2 * (SPLAT(1.0 / 15) +
						    f2 * (SPLAT(1.0 / 17) +
							  f2 * (SPLAT(1.0 / 19) +
								f2 * (SPLAT(1.0 / 21) +
								      f2 / SPLAT(23))))))))));
	/* (double)e exactly: e + 1.5 * 2^52 has e in its low bits */
	v4d ed = (v4d)((v4u)e + (v4u)(v4i){0x4338000000000000LL, 0x4338000000000000LL,
					  0x4338000000000000LL, 0x4338000000000000LL}) -
		 SPLAT(0x1.8p52);
	v4d y = ed * SPLAT(0x1.62e42fee00000p-1) +
		(SPLAT(2) * f + (SPLAT(2) * f * f2 * s + ed * SPLAT(0x1.a39ef35793c76p-33)));
	if (!ALL(ok))
		for (int l = 0; l < LANES; l++)
			if (!ok[l])
				y[l] = pl__log(x[l]);
	return y;
}

KINL v4d KFN(pos_part)(v4d y)
{
	return SEL(y > SPLAT(0), y, SPLAT(0));
}

/* ---- one round on every lane ------------------------------------------- */


/* Multiplicity of each slot's position from that slot on (so the first
 * slot of a position holds the count), and the log tables. */
KINL void KFN(positions_and_logs)(pl__eu_batch *b, size_t n, v4d inv)
{
	double *X = b->X;
	v4d next = SPLAT(0);
	for (size_t t = n; t-- > 0;) {
		v4d x = ld(AT(X, t));
		v4d mult = SPLAT(1);
		if (t + 1 < n)
			mult = SEL(ld(AT(X, t + 1)) == x, next + SPLAT(1), mult);
		st(AT(b->MULT, t), mult);
		next = mult;
	}
	const v4d lhalf = ld(b->lhalf), ninf = SPLAT(-INFINITY);
	for (size_t u = 0; u < n; u++) {
		st(AT2(b->LD, u, u), ninf);
		st(AT2(b->LS, u, u), lhalf);
		st(AT2(b->LF, u, u), lhalf);
		v4d xu = ld(AT(X, u));
		for (size_t w = u + 1; w < n; w++) {
			v4d d = (ld(AT(X, w)) - xu) * inv;
			v4d s = SPLAT(0.5) - SPLAT(0.5) * d;
			v4i dpos = d > SPLAT(0), spos = s > SPLAT(0);
			v4d lgd = SEL(dpos, KFN(vlog)(SEL(dpos, d, SPLAT(1))), ninf);
			v4d lgs = SEL(spos, KFN(vlog)(SEL(spos, s, SPLAT(1))), ninf);
			v4d lgf = KFN(vlog)(SPLAT(0.5) + SPLAT(0.5) * d);
			st(AT2(b->LD, u, w), lgd);
			st(AT2(b->LD, w, u), lgd);
			st(AT2(b->LS, u, w), lgs);
			st(AT2(b->LS, w, u), lgs);
			st(AT2(b->LF, u, w), lgf);
			st(AT2(b->LF, w, u), lgf);
		}
	}
}

/* The prefix sums of the votes (linear: every exponent 1, else b->R), then
 * P[u][w], the probability that u's position beats w's (eu_pass.c's
 * vote_tables). */
KINL void KFN(vote_tables)(pl__eu_batch *b, size_t n, v4d inv, int linear)
{
	const double *X = b->X;
	double *PS = b->PS, *P = b->P;
	for (size_t u = 0; u < n; u++)
		st(AT2(PS, 0, u), SPLAT(0));
	for (size_t t = 0; t < n; t++) {
		v4d wv = ld(AT(b->W, t)), xv = ld(AT(X, t)), rv = ld(AT(b->R, t));
		v4i one = rv == SPLAT(1);
		for (size_t u = 0; u < n; u++) {
			v4d prev = ld(AT2(PS, t, u)), xu = ld(AT(X, u));
			v4d lin = prev + wv * vabs(xu - xv) * inv;
			v4d row;
			if (linear) {
				row = lin;
			} else if (u == t) {
				row = prev;
			} else {
				v4i same = xu == xv, use_exp = ~same & ~one;
				row = SEL(one, lin, prev);
				if (ANY(use_exp)) {
					v4d arg = SEL(use_exp, rv * ld(AT2(b->LD, t, u)), SPLAT(0));
					row = SEL(use_exp, prev + wv * KFN(vexp)(arg), row);
				}
			}
			st(AT2(PS, t + 1, u), row);
		}
	}
	const double *tot = PS + n * n * LANES;
	v4d sum = SPLAT(0);
	v4i t0 = {0, 0, 0, 0};
	const v4i lane = {0, 1, 2, 3};
	for (size_t u = 0; u < n; u++) {
		st(AT2(P, u, u), SPLAT(0));
		v4d xu = ld(AT(X, u)), mu = ld(AT(b->MULT, u)), totu = ld(AT(tot, u));
		v4i first_u = u == 0 ? (v4i){-1, -1, -1, -1} : ld(AT(X, u - 1)) != xu;
		v4i t = t0;
		for (size_t w = u + 1; w < n; w++) {
			v4d xw = ld(AT(X, w));
			v4d mid = SPLAT(0.5) * (xu + xw);
			if (n <= 16) { /* count the voters left of mid */
				t = (v4i){0, 0, 0, 0};
				for (size_t v = 0; v < n; v++)
					t -= ld(AT(X, v)) < mid;
			} else {
				for (;;) { /* walk up to mid: X is sorted, X[n] = +inf */
					v4i below = GATHER(X, t * LANES + lane) < mid;
					if (!ANY(below))
						break;
					t -= below;
				}
				if (w == u + 1)
					t0 = t;
			}
			v4d ptw = GATHER(PS, (t * (int64_t)n + (int64_t)w) * LANES + lane);
			v4d ptu = GATHER(PS, (t * (int64_t)n + (int64_t)u) * LANES + lane);
			v4d fa = KFN(pos_part)(ptw - ptu);
			v4d fb = KFN(pos_part)((totu - ptu) - (ld(AT(tot, w)) - ptw));
			v4i diff = xu != xw;
			st(AT2(P, u, w), SEL(diff, fa, SPLAT(0)));
			st(AT2(P, w, u), SEL(diff, fb, SPLAT(0)));
			v4i counts = first_u & diff & (ld(AT(X, w - 1)) != xw);
			sum = SEL(counts, sum + mu * ld(AT(b->MULT, w)) * (fa + fb), sum);
		}
	}
	sum = sum * SPLAT(2);
	v4i positive = sum > SPLAT(0);
	for (size_t e = 0; e < n * n; e++)
		st(P + e * LANES, SEL(positive, ld(P + e * LANES) / sum, SPLAT(0)));
}

/* Dangers with every exponent at 1 (q = 1, eu_pass.c's dangers_q1) and the
 * risk exponents. */
KINL void KFN(risk_exponents)(pl__eu_batch *b, size_t n, v4d inv)
{
	const double *X = b->X;
	for (size_t t = 0; t < n; t++)
		st(AT(b->R, t), SPLAT(1));
	KFN(vote_tables)(b, n, inv, 1);
	v4d dmax = SPLAT(-INFINITY), dmin = SPLAT(INFINITY);
	for (size_t u = 0; u < n; u++) {
		v4d xu = ld(AT(X, u)), sa = SPLAT(0), sb = SPLAT(0);
		for (size_t w = 0; w < n; w++) {
			v4d xw = ld(AT(X, w));
			v4i first = w == 0 ? (v4i){-1, -1, -1, -1} : ld(AT(X, w - 1)) != xw;
			v4d md = ld(AT(b->MULT, w)) * vabs(xw - xu);
			sa = SEL(first, sa + md, sa);
			sb = SEL(first, sb + md * (SPLAT(1) - ld(AT2(b->P, w, u))), sb);
		}
		v4d ga = SPLAT(2) * sa * inv, gb = SPLAT(4) * sb * inv;
		v4d d = ga - ld(AT(b->S, u)) * gb;
		st(AT(b->D, u), d);
		dmax = SEL(d > dmax, d, dmax);
		dmin = SEL(d < dmin, d, dmin);
	}
	v4d span = dmax - dmin;
	v4d amax = vabs(dmax), amin = vabs(dmin);
	v4d big = SEL(amax > amin, amax, amin);
	v4i flat = ~(span > SPLAT(1e-12) * big);
	for (size_t u = 0; u < n; u++) {
		v4d big_r = SEL(flat, SPLAT(0),
				(SPLAT(2) * ld(AT(b->D, u)) - dmax - dmin) / span);
		st(AT(b->R, u), (SPLAT(1) - big_r / SPLAT(3)) / (SPLAT(1) + big_r / SPLAT(3)));
	}
}

KINL void KFN(consider4)(pick4 *p, v4i m, v4d target, v4d key, v4d move)
{
	v4i better = ~p->have | (key < p->key) |
		     ((key == p->key) & ((move < p->move) | ((move == p->move) & (target < p->target))));
	v4i take = m & better;
	p->have |= take;
	p->target = SEL(take, target, p->target);
	p->key = SEL(take, key, p->key);
	p->move = SEL(take, move, p->move);
}

/* Every actor's move (eu.c's choose_move with q = 1, perspective own,
 * compromise lowest, no capitulation). */
KINL void KFN(moves)(pl__eu_batch *b, size_t n, v4d inv)
{
	const double *X = b->X;
	for (size_t i = 0; i < n; i++) {
		v4d ri = ld(AT(b->R, i)), si = ld(AT(b->S, i)), xi = ld(AT(X, i));
		v4d esq = KFN(vexp)(SPLAT(-0.693147180559945309417232121458176568) * ri);
		v4d bound = SEL(ri < SPLAT(1), SEL(esq > SPLAT(0.5), esq, SPLAT(0.5)), SPLAT(0.5)) +
			    SPLAT(0.01);
		pick4 conf = {{0, 0, 0, 0}, SPLAT(0), SPLAT(0), SPLAT(0)};
		pick4 comp = conf;
		for (size_t j = 0; j < n; j++) {
			if (j == i)
				continue;
			v4d xj = ld(AT(X, j));
			v4d pji = ld(AT2(b->P, j, i));
			v4d c = si * (SPLAT(1) - pji);
			v4d dist = vabs(xj - xi);
			v4i skip = (c >= bound) & (dist * inv >= SPLAT(1e-6));
			v4i live = (xj != xi) & ~skip;
			if (!ANY(live))
				continue;
			v4d es = KFN(vexp)(ri * SEL(live, ld(AT2(b->LS, i, j)), SPLAT(0)));
			v4d ef = KFN(vexp)(ri * SEL(live, ld(AT2(b->LF, i, j)), SPLAT(0)));
			v4d g = SPLAT(4) * (esq - es), h = SPLAT(4) * (ef - es);
			v4d eij = g - ld(AT(b->S, j)) * (SPLAT(1) - ld(AT2(b->P, i, j))) * h;
			v4d eji = g - si * (SPLAT(1) - pji) * h;
			v4i pre = live & (eji > SPLAT(0));
			if (!ANY(pre))
				continue;
			v4i cf = pre & (eji > eij) & (eij > SPLAT(0));
			v4i cp = pre & ~cf & (eij < SPLAT(0)) & (eji > -eij);
			if (ANY(cf))
				KFN(consider4)(&conf, cf, xj, dist, dist);
			if (ANY(cp)) {
				v4d wpt = (-eij * xi + eji * xj) / (eji - eij);
				v4d target = xi + (xj - xi) * (-eij / eji);
				KFN(consider4)(&comp, cp, target, wpt, vabs(target - xi));
			}
		}
		st(AT(b->XN, i), SEL(conf.have, conf.target, SEL(comp.have, comp.target, xi)));
	}
}

KINL void KFN(round_body)(pl__eu_batch *b)
{
	size_t n = b->n;
	v4d inv = ld(b->inv);
	KFN(positions_and_logs)(b, n, inv);
	KFN(risk_exponents)(b, n, inv);
	KFN(vote_tables)(b, n, inv, 0);
	KFN(moves)(b, n, inv);
}

KENTRY void KFN(round)(pl__eu_batch *b)
{
	KFN(round_body)(b);
}

#undef KFN
#undef KINL
#undef KENTRY
#undef SPLAT
#undef SEL
#undef ANY
#undef ALL
