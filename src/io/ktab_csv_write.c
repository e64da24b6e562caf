/* ktab_csv_write.c - writing a case as KTAB's SMP CSV, in the dialect KTAB's
 * own reader takes (docs/formats.md, "KTAB SMP CSV"): one record per line; a
 * field holding a comma, or starting or ending with a space, in double
 * quotes; a '"' inside a field written as "&quot;", which KTAB's reader turns
 * back into '"' (it has no doubled-quote escape).  What KTAB's reader cannot
 * take is refused, naming the field: a line break, "$$" or "&quot;" (it
 * turns them into ',' and '"'), strings over its length limits, and the
 * numbers its reader refuses (a Power above 10^8, saliences adding up to more
 * than 100), unless the caller asks for them to be divided (PL_KTAB_RESCALE).
 * The text is then read back with parley's reader: whatever would not come
 * back exactly (ids KTAB CSV has no room for, notes, ...) is reported in
 * *lost. */
#include "io/io_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KTAB's limits (bytes): Model::maxScenNameLen and maxScenDescLen,
 * maxActNameLen, maxActDescLen, SMPModel::maxDimDescLen (the whole
 * "NAME Position" header). */
enum { KT_SCEN = 512, KT_ACT_NAME = 25, KT_ACT_DESC = 256, KT_DIM = 256 };

/* KTAB's reader refuses a Power above this (SMPModel::csvRead: 1E8 < cap)
 * and an actor whose saliences add up to more than KT_SAL_SUM (100.0 <
 * salI, after each dimension). */
#define KT_MAX_POWER 1e8
#define KT_SAL_SUM   100.0

static const char pos_suffix[] = " Position";

/* Why KTAB's reader cannot take s as a field of at most max bytes, or NULL. */
static const char *unreadable(const char *s, size_t max)
{
	if (strpbrk(s, "\r\n"))
		return "has a line break, and KTAB's reader takes a record per line";
	if (strstr(s, "$$"))
		return "contains \"$$\", which KTAB's reader turns into a comma";
	if (strstr(s, "&quot;"))
		return "contains \"&quot;\", which KTAB's reader turns into '\"'";
	if (strlen(s) > max)
		return "is longer than KTAB's reader takes";
	return NULL;
}

/* The start of s for a message: at most 40 bytes, whole UTF-8 characters,
 * line breaks shown as \n. */
static void excerpt(const char *s, char *buf, size_t size)
{
	size_t w = 0, r = 0;
	while (s[r] && w + 8 < size && r < 40) {
		size_t len = 1;
		while ((s[r + len] & 0xC0) == 0x80)
			len++;
		if (s[r] == '\n' || s[r] == '\r') {
			buf[w++] = '\\';
			buf[w++] = s[r] == '\n' ? 'n' : 'r';
		} else {
			memcpy(buf + w, s + r, len);
			w += len;
		}
		r += len;
	}
	snprintf(buf + w, size - w, "%s", s[r] ? "..." : "");
}

static int check_field(pl_error *err, const char *where, const char *s, size_t max)
{
	const char *why = unreadable(s, max);
	if (!why)
		return PL_OK;
	char ex[64];
	excerpt(s, ex, sizeof ex);
	return pl_error_set(
		err, PL_EINPUT, where,
		"'%s' %s (%zu bytes, at most %zu, on one line): KTAB CSV cannot hold it", ex, why,
		strlen(s), max);
}

/* A number as the KTAB writer writes it: 15 significant digits (KTAB's
 * reader adds the saliences it reads and refuses a sum over 100, so the
 * numbers are kept short; the rescaling below works on these), an integer
 * without a decimal point. */
static void ktab_num(char *buf, size_t size, double v)
{
	if (v > -1e15 && v < 1e15 && v == (double)(long long)v)
		snprintf(buf, size, "%lld", (long long)v);
	else
		snprintf(buf, size, "%.15g", v);
}

/* A number as the writer writes it and KTAB's reader reads it back (the
 * reader parses with the C++ stream, as strtod). */
static double as_read(double v, char *buf, size_t size)
{
	ktab_num(buf, size, v);
	return strtod(buf, NULL);
}

/* Actor a's saliences as KTAB's reader adds them: the numbers written (15
 * significant digits), in file order. */
static double written_salience_sum(const pl_case *c, size_t a)
{
	char num[40];
	double sum = 0.0;
	for (size_t i = 0; i < c->n_issues; i++)
		sum += as_read(PL_STANCE(c, a, i)->salience * 100.0, num, sizeof num);
	return sum;
}

/* Actor a's Power and saliences as KTAB's reader checks them, so the
 * boundary is the reader's own (a sum of exactly 100 is taken). */
static int check_numbers(const pl_case *c, size_t a, pl_error *err)
{
	char num[40], where[64];
	if (as_read(c->actors[a].capability, num, sizeof num) > KT_MAX_POWER) {
		snprintf(where, sizeof where, "$.actors[%zu].capability", a);
		return pl_error_set(err, PL_EINPUT, where,
				    "capability %s is above 10^8; KTAB's reader refuses a Power "
				    "over 100000000 (--rescale divides every capability of the "
				    "case by the same factor)",
				    num);
	}
	double sum = written_salience_sum(c, a);
	if (!(sum > KT_SAL_SUM))
		return PL_OK;
	/* enough digits to show the sum is over 100 when it is only just */
	snprintf(num, sizeof num, "%.15g", sum);
	if (!(strtod(num, NULL) > KT_SAL_SUM))
		snprintf(num, sizeof num, "%.17g", sum);
	snprintf(where, sizeof where, "$.actors[%zu]", a);
	return pl_error_set(err, PL_EINPUT, where,
			    "saliences add up to %s over the issues; KTAB's reader refuses more "
			    "than 100 (--rescale divides every salience of the case by the same "
			    "factor)",
			    num);
}

/* The scale, the stances, every string KTAB's reader would refuse or read
 * differently, and the numbers it refuses. */
static int check_case(const pl_case *c, pl_error *err)
{
	char where[96];
	for (size_t i = 0; i < c->n_issues; i++) {
		const pl_issue *is = &c->issues[i];
		if (is->min != 0 || is->max != 100)
			return pl_error_set(
				err, PL_EINPUT, NULL,
				"issue '%s' is on [%g, %g]; KTAB's format is 0-100 only", is->id,
				is->min, is->max);
		for (size_t a = 0; a < c->n_actors; a++)
			if (!PL_STANCE(c, a, i)->present)
				return pl_error_set(
					err, PL_EINPUT, NULL,
					"actor '%s' has no stance on issue '%s'; KTAB's "
					"format needs every actor on every issue",
					c->actors[a].id, is->id);
		snprintf(where, sizeof where, "$.issues[%zu].name", i);
		int rc = check_field(err, where, is->name, KT_DIM - (sizeof pos_suffix - 1));
		if (rc)
			return rc;
	}
	int rc = check_field(err, "$.title", c->info.title ? c->info.title : c->info.id, KT_SCEN);
	for (size_t a = 0; !rc && a < c->n_actors; a++) {
		snprintf(where, sizeof where, "$.actors[%zu].id", a);
		rc = check_field(err, where, c->actors[a].id, KT_ACT_NAME);
		snprintf(where, sizeof where, "$.actors[%zu].name", a);
		if (!rc)
			rc = check_field(err, where, c->actors[a].name, KT_ACT_DESC);
		if (!rc)
			rc = check_numbers(c, a, err);
	}
	return rc;
}

/* ---- PL_KTAB_RESCALE ---------------------------------------------------- */

typedef void (*divide_fn)(pl_case *d, const pl_case *c, double by);
typedef int (*passes_fn)(const pl_case *d);

/* The divided numbers are kept as the file will hold them (15 significant
 * digits), so that d is the case the text reads back as and *lost compares
 * like with like. */
static void divide_saliences(pl_case *d, const pl_case *c, double by)
{
	char num[40];
	for (size_t k = 0; k < c->n_actors * c->n_issues; k++)
		d->stances[k].salience =
			as_read(c->stances[k].salience / by * 100.0, num, sizeof num) / 100.0;
}

static void divide_capabilities(pl_case *d, const pl_case *c, double by)
{
	char num[40];
	for (size_t a = 0; a < c->n_actors; a++) {
		double cap = c->actors[a].capability;
		d->actors[a].capability = as_read(cap / by, num, sizeof num);
		/* per-issue capabilities (KTAB CSV does not hold them) stay in
		 * proportion; the others stay the actor's own */
		for (size_t i = 0; i < c->n_issues; i++) {
			double own = PL_STANCE(c, a, i)->capability;
			PL_STANCE(d, a, i)->capability =
				own == cap ? d->actors[a].capability : own / by;
		}
	}
}

static int saliences_pass(const pl_case *d)
{
	for (size_t a = 0; a < d->n_actors; a++)
		if (written_salience_sum(d, a) > KT_SAL_SUM)
			return 0;
	return 1;
}

static int capabilities_pass(const pl_case *d)
{
	char num[40];
	for (size_t a = 0; a < d->n_actors; a++)
		if (as_read(d->actors[a].capability, num, sizeof num) > KT_MAX_POWER)
			return 0;
	return 1;
}

/* The factor, from *by up, that makes d (c divided by it) pass KTAB's check
 * as written: dividing by largest / limit can leave a sum of 15-digit numbers
 * just over 100, so the factor is nudged up, 1, 2, 4, ... ulps at a time
 * (each written number can only go down, and so can every sum).  A few
 * nudges are enough; the bound only keeps a bug from looping for ever. */
static int fit(pl_case *d, const pl_case *c, double *by, divide_fn divide, passes_fn passes,
	       pl_error *err)
{
	for (unsigned long step = 1; step <= (1ul << 20); step *= 2) {
		divide(d, c, *by);
		if (passes(d))
			return PL_OK;
		for (unsigned long k = 0; k < step; k++)
			*by = nextafter(*by, INFINITY);
	}
	return pl_error_set(err, PL_EINTERNAL, NULL,
			    "no factor near %.17g rescales the case for KTAB", *by);
}

/* The note: what was divided, and what that does to the forecasts (measured
 * on the shipped cases, docs/formats.md): every engine reads capabilities as
 * ratios only; compromise, median and nash read saliences as ratios too (the
 * weights c * s; nash's utility does not depend on a positive salience), eu
 * and smp as absolute levels. */
static void describe(pl_ktab_rescale *r)
{
	char ds[40], dc[40];
	ktab_num(ds, sizeof ds, r->salience_divisor);
	ktab_num(dc, sizeof dc, r->capability_divisor);
	int sal = r->salience_divisor != 1.0, cap = r->capability_divisor != 1.0;
	char what[256] = "";
	if (sal)
		snprintf(what, sizeof what,
			 "saliences divided by %s so that no actor's add up to more than 100 "
			 "(KTAB's limit)%s",
			 ds, cap ? "; " : "");
	if (cap)
		snprintf(what + strlen(what), sizeof what - strlen(what),
			 "capabilities divided by %s so that none is above 10^8 (KTAB's limit)",
			 dc);
	snprintf(r->note, sizeof r->note, "%s. %s", what,
		 sal ? "The ratios are kept, and so are the compromise, median and nash "
		       "forecasts; eu and smp read a salience as an absolute level and may "
		       "forecast differently from the original case"
		     : "The ratios are kept, and every engine reads capabilities only as "
		       "ratios: the forecasts are the same, up to rounding");
}

/* *out: c with its numbers divided so that KTAB's reader takes them, or
 * NULL when they already pass. */
static int rescale(const pl_case *c, pl_ktab_rescale *r, pl_case **out, pl_error *err)
{
	*out = NULL;
	double sal = 0.0, cap = 0.0;
	char num[40];
	for (size_t a = 0; a < c->n_actors; a++) {
		double s = written_salience_sum(c, a);
		double p = as_read(c->actors[a].capability, num, sizeof num);
		sal = s > sal ? s : sal;
		cap = p > cap ? p : cap;
	}
	r->salience_divisor = sal > KT_SAL_SUM ? sal / KT_SAL_SUM : 1.0;
	r->capability_divisor = cap > KT_MAX_POWER ? cap / KT_MAX_POWER : 1.0;
	if (r->salience_divisor == 1.0 && r->capability_divisor == 1.0)
		return PL_OK;
	/* a copy through JSON, which gives the same case back (same hash) */
	char *json = NULL;
	int rc = pl_case_write_json(c, &json, err);
	if (rc)
		return rc;
	pl_case *d = NULL;
	rc = pl__read_json(json, strlen(json), c->info.id, &d, err);
	free(json);
	if (!rc)
		rc = fit(d, c, &r->salience_divisor, divide_saliences, saliences_pass, err);
	if (!rc)
		rc = fit(d, c, &r->capability_divisor, divide_capabilities, capabilities_pass, err);
	if (!rc)
		rc = pl__case_finish(d, NULL, err); /* hashes the divided numbers */
	if (rc) {
		pl_case_free(d);
		return rc;
	}
	describe(r);
	*out = d;
	return PL_OK;
}

static int is_blank_char(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* One field as KTAB's reader and parley's read it back. */
static void ktab_field(pl_strbuf *b, const char *s)
{
	size_t n = strlen(s);
	/* quoted: a comma; spaces at either end (readers trim them); a first
	 * character that would make the file look like JSON or start with a
	 * byte-order mark when it opens the file */
	int quote = strchr(s, ',') || (n && (is_blank_char(s[0]) || is_blank_char(s[n - 1]))) ||
		    s[0] == '{' || s[0] == '[' || strncmp(s, "\xEF\xBB\xBF", 3) == 0;
	if (quote)
		pl__sb_printf(b, "\"");
	for (const char *p = s; *p; p++) {
		const char *q = strchr(p, '"');
		size_t run = q ? (size_t)(q - p) : strlen(p);
		pl__sb_printf(b, "%.*s", (int)run, p);
		p += run;
		if (!*p)
			break;
		pl__sb_printf(b, "&quot;");
	}
	if (quote)
		pl__sb_printf(b, "\"");
}

static void write_text(const pl_case *c, const char *desc, pl_strbuf *b)
{
	char n1[40], n2[40];
	ktab_field(b, c->info.title ? c->info.title : c->info.id);
	pl__sb_printf(b, ",");
	ktab_field(b, desc);
	pl__sb_printf(b, ",%zu,%zu\nActor,Description,Power", c->n_actors, c->n_issues);
	for (size_t i = 0; i < c->n_issues; i++) {
		size_t len = strlen(c->issues[i].name) + sizeof pos_suffix;
		char *h = malloc(len);
		if (!h) {
			b->oom = 1;
			return;
		}
		snprintf(h, len, "%s%s", c->issues[i].name, pos_suffix);
		pl__sb_printf(b, ",");
		ktab_field(b, h);
		snprintf(h, len, "%s Salience", c->issues[i].name);
		pl__sb_printf(b, ",");
		ktab_field(b, h);
		free(h);
	}
	pl__sb_printf(b, "\n");
	for (size_t a = 0; a < c->n_actors; a++) {
		ktab_field(b, c->actors[a].id);
		pl__sb_printf(b, ",");
		ktab_field(b, c->actors[a].name);
		ktab_num(n1, sizeof n1, c->actors[a].capability);
		pl__sb_printf(b, ",%s", n1);
		for (size_t i = 0; i < c->n_issues; i++) {
			const pl_stance *s = PL_STANCE(c, a, i);
			ktab_num(n1, sizeof n1, s->position);
			ktab_num(n2, sizeof n2, s->salience * 100.0);
			pl__sb_printf(b, ",%s,%s", n1, n2);
		}
		pl__sb_printf(b, "\n");
	}
}

static const char lost_ids[] = "the case id and issue ids as they are (KTAB CSV derives them "
			       "from the title and the issue names)";
static const char lost_rest[] = "notes, anchors, status quo, period, forums, uncertainty, sources, red lines, reservations, "
				"per-issue capabilities, empty names, or a description KTAB's "
				"reader cannot take (over 512 bytes, several lines, \"$$\" or "
				"\"&quot;\")";
static const char lost_both[] = "the case id and issue ids as they are (KTAB CSV derives them "
				"from the title and the issue names), notes, anchors, status quo, "
				"period, forums, uncertainty, sources, red lines, reservations, per-issue capabilities, "
				"empty names, or a description KTAB's reader cannot take (over 512 "
				"bytes, several lines, \"$$\" or \"&quot;\")";

/* What the text read back (back) lacks of c; NULL when it is the same case.
 * The ids are told apart from the rest by giving back c's ids and hashing
 * again. */
static const char *what_is_lost(const pl_case *c, pl_case *back)
{
	if (strcmp(pl_case_hash(c), pl_case_hash(back)) == 0)
		return NULL;
	int ids = strcmp(c->info.id, back->info.id) != 0;
	for (size_t i = 0; i < c->n_issues; i++)
		ids |= strcmp(c->issues[i].id, back->issues[i].id) != 0;
	if (!ids)
		return lost_rest;
	int ok = (back->info.id = pl__case_strdup(back, c->info.id)) != NULL;
	for (size_t i = 0; ok && i < c->n_issues; i++)
		ok = (back->issues[i].id = pl__case_strdup(back, c->issues[i].id)) != NULL;
	if (!ok || pl__case_finish(back, NULL, NULL) != PL_OK)
		return lost_both;
	return strcmp(pl_case_hash(c), pl_case_hash(back)) == 0 ? lost_ids : lost_both;
}

static int write_ktab(const pl_case *c, char **out, const char **lost, pl_error *err)
{
	int rc = check_case(c, err);
	if (rc)
		return rc;
	const char *desc = c->info.description ? c->info.description : "";
	if (unreadable(desc, KT_SCEN))
		desc = ""; /* left out, and said so in *lost */
	pl_strbuf b = {0};
	write_text(c, desc, &b);
	if (b.oom || !b.s) {
		free(b.s);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory writing KTAB CSV");
	}
	pl_case *back = NULL;
	pl_error why;
	pl_error_clear(&why);
	rc = pl__read_ktab_csv(b.s, b.len, "<written KTAB CSV>", &back, &why);
	if (rc) {
		free(b.s);
		if (rc == PL_ENOMEM)
			return pl_error_set(err, rc, NULL, "out of memory writing KTAB CSV");
		return pl_error_set(err, PL_EINTERNAL, why.where,
				    "the KTAB CSV written does not read back: %s", why.message);
	}
	*lost = what_is_lost(c, back);
	pl_case_free(back);
	*out = b.s;
	return PL_OK;
}

int pl_case_write_ktab_ex(const pl_case *c, unsigned flags, char **out, const char **lost,
			  pl_ktab_rescale *rescaled, pl_error *err)
{
	*out = NULL;
	*lost = NULL;
	if (flags & ~(unsigned)PL_KTAB_RESCALE)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "flags 0x%x: this library knows only PL_KTAB_RESCALE", flags);
	pl_ktab_rescale r = {.salience_divisor = 1.0, .capability_divisor = 1.0};
	pl_case *d = NULL;
	int rc = PL_OK;
	if (flags & PL_KTAB_RESCALE)
		rc = rescale(c, &r, &d, err);
	if (!rc)
		rc = write_ktab(d ? d : c, out, lost, err);
	pl_case_free(d);
	if (!rc && rescaled)
		*rescaled = r;
	return rc;
}

int pl_case_write_ktab(const pl_case *c, char **out, const char **lost, pl_error *err)
{
	return pl_case_write_ktab_ex(c, 0, out, lost, NULL, err);
}
