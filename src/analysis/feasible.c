/* feasible.c - zones of agreement from red lines, and the package that
 * every actor with a reservation prefers to no agreement by the largest
 * smallest margin (a linear program, GLPK).  docs/analysis/feasible.md. */
#include "parley/feasible.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int counted(const pl_case *c, size_t forum, size_t a)
{
	if (forum == PL_NO_FORUM)
		return 1;
	const pl_forum *f = pl_case_forum(c, forum);
	for (size_t k = 0; k < f->n_members; k++)
		if (f->members[k] == a)
			return 1;
	return 0;
}

/* What actor a accepts on issue i: [lo, hi]. */
static pl_zone acceptable(const pl_issue *is, const pl_stance *s)
{
	pl_zone z = {is->min, is->max};
	if (!s->has_red_line)
		return z;
	if (s->position < s->red_line)
		z.hi = s->red_line;
	else if (s->position > s->red_line)
		z.lo = s->red_line;
	else
		z.lo = z.hi = s->red_line;
	return z;
}

static int unanimity(const pl_case *c, size_t forum, size_t i, pl_feasible_issue *fi)
{
	const pl_issue *is = pl_case_issue(c, i);
	double lo = -INFINITY, hi = INFINITY;
	size_t by_lo = 0, by_hi = 0;
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		const pl_stance *s = pl_case_stance(c, a, i);
		if (!s->present || !counted(c, forum, a))
			continue;
		pl_zone z = acceptable(is, s);
		if (z.lo > lo)
			lo = z.lo, by_lo = a;
		if (z.hi < hi)
			hi = z.hi, by_hi = a;
	}
	fi->interval = isinf(lo) ? (pl_zone){is->min, is->max} : (pl_zone){lo, hi};
	fi->feasible = fi->interval.lo <= fi->interval.hi;
	fi->zones = malloc(sizeof *fi->zones);
	fi->blocking = malloc(2 * sizeof *fi->blocking);
	if (!fi->zones || !fi->blocking)
		return PL_ENOMEM;
	if (fi->feasible) {
		fi->zones[0] = fi->interval;
		fi->n_zones = 1;
	} else {
		fi->blocking[0] = by_lo < by_hi ? by_lo : by_hi;
		fi->blocking[1] = by_lo < by_hi ? by_hi : by_lo;
		fi->n_blocking = 2;
	}
	return PL_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Capability share of the counted actors that accept x. */
static double support(const pl_case *c, size_t forum, size_t i, double x, double *total)
{
	const pl_issue *is = pl_case_issue(c, i);
	double yes = 0;
	*total = 0;
	for (size_t a = 0; a < pl_case_n_actors(c); a++) {
		const pl_stance *s = pl_case_stance(c, a, i);
		if (!s->present || !counted(c, forum, a))
			continue;
		pl_zone z = acceptable(is, s);
		*total += s->capability;
		if (x >= z.lo && x <= z.hi)
			yes += s->capability;
	}
	return *total > 0 ? yes / *total : 0;
}

static int add_zone(pl_feasible_issue *fi, double lo, double hi)
{
	if (fi->n_zones && fi->zones[fi->n_zones - 1].hi >= lo) {
		fi->zones[fi->n_zones - 1].hi = hi;
		return PL_OK;
	}
	pl_zone *z = realloc(fi->zones, (fi->n_zones + 1) * sizeof *z);
	if (!z)
		return PL_ENOMEM;
	fi->zones = z;
	fi->zones[fi->n_zones++] = (pl_zone){lo, hi};
	return PL_OK;
}

/* The accepted set is a union of intervals whose ends are red lines or the
 * scale's ends: test each breakpoint and each gap between two. */
static int qualified(const pl_case *c, size_t forum, size_t i, double thr, pl_feasible_issue *fi)
{
	const pl_issue *is = pl_case_issue(c, i);
	size_t n = 2, na = pl_case_n_actors(c);
	double *pt = malloc((na + 2) * sizeof *pt), total, best = -1, best_x = is->min;
	if (!pt)
		return PL_ENOMEM;
	pt[0] = is->min;
	pt[1] = is->max;
	for (size_t a = 0; a < na; a++) {
		const pl_stance *s = pl_case_stance(c, a, i);
		if (s->present && s->has_red_line && counted(c, forum, a))
			pt[n++] = s->red_line;
	}
	qsort(pt, n, sizeof *pt, cmp_double);
	int rc = PL_OK;
	for (size_t k = 0; !rc && k < n; k++) {
		if (k && pt[k] == pt[k - 1])
			continue;
		double sp = support(c, forum, i, pt[k], &total);
		if (sp > best)
			best = sp, best_x = pt[k];
		if (sp >= thr)
			rc = add_zone(fi, pt[k], pt[k]);
		if (!rc && k + 1 < n && pt[k + 1] > pt[k]) {
			double mid = 0.5 * (pt[k] + pt[k + 1]);
			double sm = support(c, forum, i, mid, &total);
			if (sm > best)
				best = sm, best_x = mid;
			if (sm >= thr)
				rc = add_zone(fi, pt[k], pt[k + 1]);
		}
	}
	free(pt);
	fi->feasible = fi->n_zones > 0;
	for (size_t z = 0; z < fi->n_zones; z++)
		if (z == 0 || fi->zones[z].hi - fi->zones[z].lo > fi->interval.hi - fi->interval.lo)
			fi->interval = fi->zones[z];
	if (rc || fi->feasible)
		return rc;
	/* blocking: the actors that reject the best-supported point */
	fi->blocking = malloc((na ? na : 1) * sizeof *fi->blocking);
	if (!fi->blocking)
		return PL_ENOMEM;
	for (size_t a = 0; a < na; a++) {
		const pl_stance *s = pl_case_stance(c, a, i);
		if (!s->present || !counted(c, forum, a))
			continue;
		pl_zone z = acceptable(is, s);
		if (best_x < z.lo || best_x > z.hi)
			fi->blocking[fi->n_blocking++] = a;
	}
	return PL_OK;
}

double pl_feasible_utility(const pl_case *c, size_t a, const double *x)
{
	double u = 0;
	for (size_t i = 0; i < pl_case_n_issues(c); i++) {
		const pl_stance *s = pl_case_stance(c, a, i);
		const pl_issue *is = pl_case_issue(c, i);
		if (s->present && !isnan(x[i]))
			u -= 100.0 * s->salience * fabs(x[i] - s->position) / (is->max - is->min);
	}
	return u;
}

/* max t  s.t.  -100 sum_i s_ai d_ai / R_i - r_a >= t,  d_ai >= |x_i - p_ai|,
 * x_i in its zone; then, at that t, the smallest total weighted distance. */
static int package_lp(const pl_case *c, pl_feasible *f)
{
	size_t ni = pl_case_n_issues(c), na = pl_case_n_actors(c);
	size_t forum = f->options.forum;
	glp_prob *lp = glp_create_prob();
	int nx = (int)ni, col_t = nx + 1, ncol = col_t;
	int *dcol = calloc(na * ni, sizeof *dcol);
	size_t cap = 8 * na * ni + 16;
	int *ia = malloc((cap + 1) * sizeof *ia), *ja = malloc((cap + 1) * sizeof *ja);
	double *ar = malloc((cap + 1) * sizeof *ar);
	if (!lp || !dcol || !ia || !ja || !ar) {
		free(dcol), free(ia), free(ja), free(ar);
		if (lp)
			glp_delete_prob(lp);
		return PL_ENOMEM;
	}
	glp_add_cols(lp, col_t);
	for (size_t i = 0; i < ni; i++) {
		pl_zone z = f->issues[i].interval;
		glp_set_col_bnds(lp, (int)i + 1, z.lo < z.hi ? GLP_DB : GLP_FX, z.lo, z.hi);
	}
	glp_set_col_bnds(lp, col_t, GLP_FR, 0, 0);
	int row = 0, nz = 0;
	for (size_t a = 0; a < na; a++) {
		const pl_actor *ac = pl_case_actor(c, a);
		if (!ac->has_reservation || !counted(c, forum, a))
			continue;
		int urow = ++row;
		glp_add_rows(lp, 1);
		glp_set_row_bnds(lp, urow, GLP_UP, 0, -ac->reservation);
		ia[++nz] = urow, ja[nz] = col_t, ar[nz] = 1;
		for (size_t i = 0; i < ni; i++) {
			const pl_stance *s = pl_case_stance(c, a, i);
			const pl_issue *is = pl_case_issue(c, i);
			if (!s->present || s->salience <= 0)
				continue;
			int d = dcol[a * ni + i] = ++ncol;
			glp_add_cols(lp, 1);
			glp_set_col_bnds(lp, d, GLP_LO, 0, 0);
			ia[++nz] = urow, ja[nz] = d,
			ar[nz] = 100.0 * s->salience / (is->max - is->min);
			glp_add_rows(lp, 2); /* d - x >= -p,  d + x >= p */
			glp_set_row_bnds(lp, ++row, GLP_LO, -s->position, 0);
			ia[++nz] = row, ja[nz] = d, ar[nz] = 1;
			ia[++nz] = row, ja[nz] = (int)i + 1, ar[nz] = -1;
			glp_set_row_bnds(lp, ++row, GLP_LO, s->position, 0);
			ia[++nz] = row, ja[nz] = d, ar[nz] = 1;
			ia[++nz] = row, ja[nz] = (int)i + 1, ar[nz] = 1;
		}
	}
	glp_load_matrix(lp, nz, ia, ja, ar);
	glp_smcp parm;
	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	glp_set_obj_dir(lp, GLP_MAX);
	glp_set_obj_coef(lp, col_t, 1);
	int ok = glp_simplex(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT;
	if (ok) { /* phase 2: keep the margin, least total weighted distance */
		f->margin = glp_get_col_prim(lp, col_t);
		glp_set_col_bnds(lp, col_t, GLP_LO, f->margin - 1e-9 * (1 + fabs(f->margin)), 0);
		glp_set_obj_dir(lp, GLP_MIN);
		glp_set_obj_coef(lp, col_t, 0);
		for (int k = nx + 2; k <= ncol; k++)
			glp_set_obj_coef(lp, k, 1);
		ok = glp_simplex(lp, &parm) == 0 && glp_get_status(lp) == GLP_OPT;
	}
	for (size_t i = 0; ok && i < ni; i++)
		f->position[i] = glp_get_col_prim(lp, (int)i + 1);
	glp_delete_prob(lp);
	free(dcol), free(ia), free(ja), free(ar);
	if (!ok) {
		snprintf(f->note, sizeof f->note, "the linear program did not solve");
		return PL_OK;
	}
	f->has_package = 1;
	double low = INFINITY;
	for (size_t a = 0; a < na; a++) {
		const pl_actor *ac = pl_case_actor(c, a);
		if (!ac->has_reservation || !counted(c, forum, a))
			continue;
		f->actor_margin[a] = pl_feasible_utility(c, a, f->position) - ac->reservation;
		low = fmin(low, f->actor_margin[a]);
	}
	f->margin = low;
	f->package_found = low >= -1e-9;
	return PL_OK;
}

static int package(const pl_case *c, pl_feasible *f)
{
	size_t ni = pl_case_n_issues(c), na = pl_case_n_actors(c), any = 0;
	for (size_t a = 0; a < na; a++)
		any += pl_case_actor(c, a)->has_reservation && counted(c, f->options.forum, a);
	for (size_t i = 0; i < ni; i++)
		f->position[i] = NAN;
	for (size_t a = 0; a < na; a++)
		f->actor_margin[a] = NAN;
	if (!any) {
		snprintf(f->note, sizeof f->note,
			 "no actor at the table has a reservation: no package to look for");
		return PL_OK;
	}
	for (size_t i = 0; i < ni; i++)
		if (!f->issues[i].feasible) {
			snprintf(f->note, sizeof f->note,
				 "no package: issue '%s' has no zone of agreement",
				 pl_case_issue(c, i)->id);
			f->has_package = 1;
			return PL_OK;
		}
	return package_lp(c, f);
}

void pl_feasible_free(pl_feasible *f)
{
	if (!f)
		return;
	for (size_t i = 0; f->issues && i < f->n_issues; i++) {
		free(f->issues[i].zones);
		free(f->issues[i].blocking);
	}
	free(f->issues);
	free(f->position);
	free(f->actor_margin);
	free(f);
}

int pl_feasible_analyse(const pl_case *c, const pl_feasible_options *opt, pl_feasible **out,
			pl_error *err)
{
	*out = NULL;
	pl_feasible_options o = opt ? *opt : (pl_feasible_options){.forum = PL_NO_FORUM};
	if (o.rule == PL_RULE_QMV && o.threshold == 0)
		o.threshold = 2.0 / 3.0;
	if (o.rule == PL_RULE_QMV && !(o.threshold > 0 && o.threshold <= 1))
		return pl_error_set(err, PL_EINPUT, "qmv", "the threshold must be in (0, 1]");
	if (o.forum != PL_NO_FORUM && o.forum >= pl_case_n_forums(c))
		return pl_error_set(err, PL_ENOTFOUND, NULL, "forum index out of range");
	size_t ni = pl_case_n_issues(c), na = pl_case_n_actors(c);
	pl_feasible *f = calloc(1, sizeof *f);
	int rc = f ? PL_OK : PL_ENOMEM;
	if (!rc) {
		f->options = o;
		f->n_issues = ni;
		f->issues = calloc(ni, sizeof *f->issues);
		f->position = calloc(ni, sizeof *f->position);
		f->actor_margin = calloc(na ? na : 1, sizeof *f->actor_margin);
		rc = (!f->issues || !f->position || !f->actor_margin) ? PL_ENOMEM : PL_OK;
	}
	for (size_t i = 0; !rc && i < ni; i++) {
		f->issues[i].issue = i;
		rc = o.rule == PL_RULE_QMV ? qualified(c, o.forum, i, o.threshold, &f->issues[i])
					   : unanimity(c, o.forum, i, &f->issues[i]);
	}
	if (!rc)
		rc = package(c, f);
	if (rc) {
		pl_feasible_free(f);
		return pl_error_set(err, rc, NULL, "out of memory in the feasibility analysis");
	}
	*out = f;
	return PL_OK;
}

int pl_feasible_outside(const pl_case *c, const pl_feasible *f, size_t i, double x, char *buf,
			size_t size)
{
	if (i >= f->n_issues)
		return 0;
	const pl_feasible_issue *fi = &f->issues[i];
	const char *id = pl_case_issue(c, i)->id;
	if (!fi->feasible) {
		snprintf(
			buf, size,
			"issue '%s' has no zone of agreement: no position is inside every red line",
			id);
		return 1;
	}
	double tol = 1e-9 * (1 + fabs(x));
	for (size_t z = 0; z < fi->n_zones; z++)
		if (x >= fi->zones[z].lo - tol && x <= fi->zones[z].hi + tol)
			return 0;
	snprintf(buf, size,
		 "the forecast %.4g of issue '%s' lies outside the zone of agreement [%.4g, %.4g]: "
		 "some actor's red line excludes it",
		 x, id, fi->interval.lo, fi->interval.hi);
	return 1;
}
