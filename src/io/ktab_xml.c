/* ktab_xml.c - reading KTAB's SMP XML scenarios (parley/ktab.h) with
 * libxml2: the case, the model parameters and ideal-accommodation pairs as
 * smp engine parameters, and the seed.  Every rule KTAB's reader applies is
 * checked here too, with the file and line in the error, and so are the
 * ones it forgets (an unknown parameter name, which KTAB silently reads as
 * the first choice; a position outside 0-100; a repeated actor name).
 * libxml2 is loaded when the first scenario is read (xml_lib.h). */
#include "io/io_internal.h"
#include "io/xml_lib.h"
#include "parley/ktab.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct xctx {
	const char *name;
	pl_error *err;
	const pl__xml *xml;
} xctx;

/* An error at an element of the file (its line), or in the whole file. */
#define fail(x, n, ...)                                                                          \
	pl__fail_at((x)->err, (x)->name, NULL, (n) ? (x)->xml->get_line_no(n) : PL__NO_LINE, __VA_ARGS__)

static int is_el(const xmlNode *n, const char *tag)
{
	return n && n->type == XML_ELEMENT_NODE && n->name && strcmp((const char *)n->name, tag) == 0;
}

static xmlNode *first(const xmlNode *parent, const char *tag)
{
	for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
		if (is_el(n, tag))
			return n;
	return NULL;
}

static xmlNode *next(const xmlNode *at, const char *tag)
{
	for (xmlNode *n = at->next; n; n = n->next)
		if (is_el(n, tag))
			return n;
	return NULL;
}

static int required(xctx *x, const xmlNode *parent, const char *tag, xmlNode **out)
{
	*out = first(parent, tag);
	if (!*out)
		return fail(x, parent, "<%s> needs a <%s> element", (const char *)parent->name,
			    tag);
	return PL_OK;
}

/* The element's text, trimmed, into buf; empty text is an error when need. */
static int text(xctx *x, const xmlNode *n, char *buf, size_t size, int need)
{
	xmlChar *t = x->xml->node_get_content(n);
	const char *s = t ? (const char *)t : "";
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' ||
		       s[len - 1] == '\r'))
		len--;
	int rc = PL_OK;
	if (len >= size)
		rc = fail(x, n, "<%s> is longer than %zu characters", (const char *)n->name,
			  size - 1);
	else if (need && len == 0)
		rc = fail(x, n, "<%s> is empty; it needs a value", (const char *)n->name);
	else
		snprintf(buf, size, "%.*s", (int)len, s);
	if (t)
		(*x->xml->free)(t);
	return rc;
}

static int number(xctx *x, const xmlNode *n, double lo, double hi, double *out)
{
	char buf[64];
	int rc = text(x, n, buf, sizeof buf, 1);
	if (rc)
		return rc;
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	if (end == buf || *end || errno == ERANGE || !isfinite(v))
		return fail(x, n, "<%s> '%s' is not a number", (const char *)n->name, buf);
	if (v < lo || v > hi)
		return fail(x, n, "<%s> %s is outside [%g, %g]", (const char *)n->name, buf, lo,
			    hi);
	*out = v;
	return PL_OK;
}

static const char *const param_tags[] = {"VictoryProbModel", "PCEModel",     "StateTransitions",
					 "VotingRule",	     "BigRAdjust",   "BigRRange",
					 "ThirdPartyCommit", "InterVecBrgn", "BargnModel"};

/* The nine parameters, each checked against the smp engine's choices. */
static int read_params(xctx *x, const xmlNode *mp, pl_params *params)
{
	pl_error e2;
	const pl_engine *smp = pl_engine_find("smp", &e2);
	for (size_t k = 0; k < sizeof param_tags / sizeof param_tags[0]; k++) {
		xmlNode *n;
		char v[64];
		int rc = required(x, mp, param_tags[k], &n);
		if (!rc)
			rc = text(x, n, v, sizeof v, 1);
		if (rc)
			return rc;
		const pl_param_info *info = NULL;
		for (size_t q = 0; smp && q < pl_engine_n_params(smp); q++)
			if (strcmp(pl_engine_param(smp, q)->name, param_tags[k]) == 0)
				info = pl_engine_param(smp, q);
		int ok = 0;
		char list[256] = "";
		size_t used = 0;
		for (size_t c = 0; info && info->choices[c]; c++) {
			ok |= strcmp(info->choices[c], v) == 0;
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
						 c ? ", " : "", info->choices[c]);
		}
		if (!ok)
			return fail(x, n, "<%s> '%s' is not one of: %s", param_tags[k], v, list);
		if (pl_params_set(params, param_tags[k], v, x->err))
			return PL_ENOMEM;
	}
	return PL_OK;
}

static int read_dims(xctx *x, pl_case *c, const xmlNode *dims, size_t nd)
{
	size_t k = 0;
	for (xmlNode *n = first(dims, "dName"); n; n = next(n, "dName"), k++) {
		char nm[256], slug[80];
		int rc = text(x, n, nm, sizeof nm, 1);
		if (rc)
			return rc;
		pl__slug(nm, slug, sizeof slug);
		for (size_t j = 0; j < k; j++)
			if (strcmp(c->issues[j].id, slug) == 0)
				return fail(x, n, "dimension '%s' is named twice", nm);
		pl_issue *is = &c->issues[k];
		is->id = pl__case_strdup(c, slug);
		is->name = pl__case_strdup(c, nm);
		is->min = 0;
		is->max = 100;
	}
	(void)nd;
	return PL_OK;
}

/* n coordinates from the <tag> children of el, each in [0, 100]. */
static int read_coords(xctx *x, const xmlNode *el, const char *tag, size_t nd, double *v,
		       double *sum)
{
	size_t k = 0;
	*sum = 0;
	for (xmlNode *n = first(el, tag); n; n = next(n, tag), k++) {
		if (k == nd)
			return fail(x, n, "<%s> has more than the %zu <%s> of the %zu dimensions",
				    (const char *)el->name, nd, tag, nd);
		int rc = number(x, n, 0, 100, &v[k]);
		if (rc)
			return rc;
		*sum += v[k];
	}
	if (k != nd)
		return fail(x, el, "<%s> has %zu <%s>; the scenario has %zu dimensions",
			    (const char *)el->name, k, tag, nd);
	return PL_OK;
}

static int read_actor(xctx *x, pl_case *c, const xmlNode *ae, size_t a, char (*names)[128])
{
	xmlNode *nn, *cn, *pe, *se, *dn = first(ae, "description");
	char desc[512] = "", id[80];
	double cap, pos[1000], sal[1000], total;
	const size_t nd = c->n_issues;
	int rc = required(x, ae, "name", &nn);
	if (!rc)
		rc = text(x, nn, names[a], sizeof names[a], 1);
	if (!rc && dn)
		rc = text(x, dn, desc, sizeof desc, 0);
	if (!rc)
		rc = required(x, ae, "capability", &cn);
	if (!rc)
		rc = number(x, cn, 0, 1e300, &cap);
	if (!rc && !(cap > 0))
		rc = fail(x, cn, "<capability> must be positive");
	if (!rc)
		rc = required(x, ae, "Position", &pe);
	if (!rc)
		rc = read_coords(x, pe, "dCoord", nd, pos, &total);
	if (!rc)
		rc = required(x, ae, "Salience", &se);
	if (!rc)
		rc = read_coords(x, se, "dSal", nd, sal, &total);
	if (!rc && total > 100.0)
		rc = fail(x, se,
			  "the saliences add up to %g; at most 100 (all of an actor's "
			  "attention)",
			  total);
	if (rc)
		return rc;
	if (pl__valid_id(names[a]))
		snprintf(id, sizeof id, "%s", names[a]);
	else
		pl__slug(names[a], id, sizeof id);
	for (size_t b = 0; b < a; b++)
		if (strcmp(names[b], names[a]) == 0 || strcmp(c->actors[b].id, id) == 0)
			return fail(x, nn, "actor '%s' appears twice", names[a]);
	pl_actor *ac = &c->actors[a];
	ac->id = pl__case_strdup(c, id);
	ac->name = pl__case_strdup(c, desc[0] ? desc : names[a]);
	ac->capability = cap;
	for (size_t k = 0; k < nd; k++) {
		pl_stance *s = PL_STANCE(c, a, k);
		s->present = 1;
		s->position = pos[k];
		s->salience = sal[k] / 100.0;
	}
	return PL_OK;
}

static int actor_index(xctx *x, const xmlNode *n, char (*names)[128], size_t na, size_t *out)
{
	char v[128];
	int rc = text(x, n, v, sizeof v, 1);
	if (rc)
		return rc;
	for (size_t a = 0; a < na; a++)
		if (strcmp(names[a], v) == 0) {
			*out = a;
			return PL_OK;
		}
	return fail(x, n, "<%s> '%s' is not one of the scenario's actors", (const char *)n->name,
		    v);
}

/* <IdealAdjustment><iaPair>... as "adjusting>reference=rate;..." */
static int read_accom(xctx *x, const pl_case *c, const xmlNode *ia, char (*names)[128],
		      pl_params *params)
{
	pl_strbuf sb = {0};
	int rc = PL_OK;
	for (xmlNode *p = first(ia, "iaPair"); p && !rc; p = next(p, "iaPair")) {
		xmlNode *an, *rn, *vn;
		size_t a = 0, r = 0;
		double v = 0;
		rc = required(x, p, "adjustingIdeal", &an);
		if (!rc)
			rc = actor_index(x, an, names, c->n_actors, &a);
		if (!rc)
			rc = required(x, p, "referencePos", &rn);
		if (!rc)
			rc = actor_index(x, rn, names, c->n_actors, &r);
		if (!rc)
			rc = required(x, p, "adjust", &vn);
		if (!rc)
			rc = number(x, vn, 0, 1, &v);
		if (!rc)
			pl__sb_printf(&sb, "%s%s>%s=%.17g", sb.len ? ";" : "", c->actors[a].id,
				      c->actors[r].id, v);
	}
	if (!rc && sb.oom)
		rc = pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	if (!rc && sb.len && pl_params_set(params, "IdealAdjustment", sb.s, x->err))
		rc = PL_ENOMEM;
	free(sb.s);
	return rc;
}

static int read_seed(xctx *x, const xmlNode *root, uint64_t *seed)
{
	xmlNode *n;
	char v[64];
	int rc = required(x, root, "prngSeed", &n);
	if (!rc)
		rc = text(x, n, v, sizeof v, 1);
	if (rc)
		return rc;
	char *end;
	errno = 0;
	unsigned long long s = strtoull(v, &end, 10);
	if (v[0] == '-' || *end || errno == ERANGE)
		return fail(x, n, "<prngSeed> '%s' is not a whole number in [0, 2^64)", v);
	*seed = (uint64_t)s;
	return PL_OK;
}

static size_t count(const xmlNode *parent, const char *tag)
{
	size_t k = 0;
	for (xmlNode *n = first(parent, tag); n; n = next(n, tag))
		k++;
	return k;
}

static int read_info(xctx *x, pl_case *c, const xmlNode *root)
{
	char nm[512] = "", desc[1024] = "", slug[80];
	xmlNode *n = first(root, "name"), *d = first(root, "desc");
	int rc = n ? text(x, n, nm, sizeof nm, 0) : PL_OK;
	if (!rc && d)
		rc = text(x, d, desc, sizeof desc, 0);
	if (rc)
		return rc;
	pl__slug(nm[0] ? nm : x->name, slug, sizeof slug);
	c->info.id = pl__case_strdup(c, slug);
	c->info.title = pl__case_strdup(c, nm[0] ? nm : x->name);
	c->info.description = pl__case_strdup(c, desc);
	return PL_OK;
}

static int read_scenario(xctx *x, const xmlNode *root, pl_case **out, pl_params *params,
			 uint64_t *seed)
{
	xmlNode *dims, *actors, *mp = first(root, "ModelParameters");
	int rc = read_seed(x, root, seed);
	if (!rc && mp)
		rc = read_params(x, mp, params);
	if (!rc)
		rc = required(x, root, "Dimensions", &dims);
	if (!rc)
		rc = required(x, root, "Actors", &actors);
	if (rc)
		return rc;
	size_t nd = count(dims, "dName"), na = count(actors, "Actor");
	if (nd == 0 || nd > 1000)
		return fail(x, dims, "<Dimensions> needs 1 to 1000 <dName>, found %zu", nd);
	if (na == 0 || na > 100000)
		return fail(x, actors, "<Actors> needs 1 to 100000 <Actor>, found %zu", na);
	pl_case *c = pl__case_new();
	char(*names)[128] = calloc(na, sizeof *names);
	if (!c || !names || pl__case_alloc_tables(c, na, nd, 0)) {
		pl_case_free(c);
		free(names);
		return pl_error_set(x->err, PL_ENOMEM, x->name, "out of memory");
	}
	rc = read_info(x, c, root);
	if (!rc)
		rc = read_dims(x, c, dims, nd);
	size_t a = 0;
	for (xmlNode *ae = first(actors, "Actor"); ae && !rc; ae = next(ae, "Actor"))
		rc = read_actor(x, c, ae, a++, names);
	xmlNode *ia = first(root, "IdealAdjustment");
	if (!rc && ia)
		rc = read_accom(x, c, ia, names, params);
	if (!rc)
		rc = pl__case_finish(c, x->name, x->err);
	free(names);
	if (rc) {
		pl_case_free(c);
		return rc;
	}
	*out = c;
	return PL_OK;
}

int pl_ktab_xml_read_mem(const char *data, size_t len, const char *name, pl_case **out,
			 pl_params *params, uint64_t *seed, pl_error *err)
{
	*out = NULL;
	xctx x = {.name = name, .err = err};
	if (len > PL_MAX_INPUT_BYTES)
		return fail(&x, NULL, "the file is %zu bytes; at most %u", len, PL_MAX_INPUT_BYTES);
	x.xml = pl__xml_lib(name, err);
	if (!x.xml)
		return PL_EIO;
	xmlParserCtxtPtr ctxt = x.xml->new_parser_ctxt();
	if (!ctxt)
		return pl_error_set(err, PL_ENOMEM, name, "out of memory");
	xmlDocPtr doc =
		x.xml->ctxt_read_memory(ctxt, data, (int)len, name, NULL,
				  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	int rc;
	if (!doc) {
		const xmlError *e = x.xml->ctxt_get_last_error(ctxt);
		char where[PL_ERROR_WHERE_MAX];
		snprintf(where, sizeof where, "%s:%d", name, e ? e->line : 0);
		char msg[256];
		snprintf(msg, sizeof msg, "%s", e && e->message ? e->message : "unreadable");
		size_t m = strlen(msg);
		while (m && (msg[m - 1] == '\n' || msg[m - 1] == ' '))
			msg[--m] = '\0';
		rc = pl_error_set(err, PL_EINPUT, where, "not well-formed XML: %s", msg);
	} else {
		xmlNode *root = x.xml->doc_get_root_element(doc);
		if (!is_el(root, "Scenario"))
			rc = fail(&x, root, "the root element must be <Scenario> (KTAB's SMP XML)");
		else
			rc = read_scenario(&x, root, out, params, seed);
		x.xml->free_doc(doc);
	}
	x.xml->free_parser_ctxt(ctxt);
	return rc;
}

int pl_ktab_xml_read_file(const char *path, pl_case **out, pl_params *params, uint64_t *seed,
			  pl_error *err)
{
	static const pl__file_kind kind = {
		.open_fail = "cannot open",
		.not_dir = "is a directory, not a KTAB XML scenario",
		.limit = PL_MAX_INPUT_BYTES,
		.noun = "a scenario",
		.limit_note = " (32 MiB)",
	};
	*out = NULL;
	char *buf;
	size_t len;
	int rc = pl__read_file(path, &kind, &buf, &len, err);
	if (rc)
		return rc;
	rc = pl_ktab_xml_read_mem(buf, len, path, out, params, seed, err);
	free(buf);
	return rc;
}
