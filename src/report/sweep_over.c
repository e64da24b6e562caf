/* sweep_over.c - one sweep per value of an engine parameter (`parley sweep
 * --over NAME=START:STOP:STEP`; docs/analysis/sweep.md, "Over a
 * parameter"): the p-sweep Decide users run (every p repeated with
 * different draws) in one command.  Each value is the same request with
 * NAME=VALUE added to its parameters and the same seed, run by the sweep
 * machinery (pl_sweep_run), so every value's sweep is what `parley sweep
 * -p NAME=VALUE` gives, on any number of threads or ranks. */
#include "report_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OVER_MAX_VALUES 1001

struct pl_sweep_over {
	char *name;
	size_t n;
	char **value; /* as text, as passed to the engine */
	pl_sweep **sweep;
};

void pl_sweep_over_free(pl_sweep_over *o)
{
	if (!o)
		return;
	for (size_t k = 0; k < o->n; k++) {
		free(o->value[k]);
		pl_sweep_free(o->sweep[k]);
	}
	free(o->value);
	free(o->sweep);
	free(o->name);
	free(o);
}

size_t pl_sweep_over_n(const pl_sweep_over *o)
{
	return o->n;
}

const char *pl_sweep_over_param(const pl_sweep_over *o)
{
	return o->name;
}

const char *pl_sweep_over_value(const pl_sweep_over *o, size_t k)
{
	return k < o->n ? o->value[k] : NULL;
}

pl_sweep *pl_sweep_over_sweep(const pl_sweep_over *o, size_t k)
{
	return k < o->n ? o->sweep[k] : NULL;
}

static int bad(pl_error *err, const char *over, const char *why)
{
	return pl_error_set(err, PL_EINPUT, NULL,
			    "--over '%s': %s (NAME=START:STOP:STEP, STEP > 0, or "
			    "NAME=V1,V2,...; at most %d values)",
			    over, why, OVER_MAX_VALUES);
}

static int number(const char *s, size_t len, double *v)
{
	char buf[64];
	if (len == 0 || len >= sizeof buf)
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end;
	*v = strtod(buf, &end);
	return *end == '\0' && isfinite(*v);
}

static int add_value(pl_sweep_over *o, const char *text, size_t len)
{
	char *v = malloc(len + 1);
	if (!v)
		return PL_ENOMEM;
	memcpy(v, text, len);
	v[len] = '\0';
	o->value[o->n++] = v;
	return PL_OK;
}

/* The values of "START:STOP:STEP" (STOP included when a whole number of
 * steps away, to 1e-9 of a step) or "V1,V2,...". */
static int parse_values(pl_sweep_over *o, const char *over, const char *list, pl_error *err)
{
	o->value = calloc(OVER_MAX_VALUES, sizeof *o->value);
	o->sweep = calloc(OVER_MAX_VALUES, sizeof *o->sweep);
	if (!o->value || !o->sweep)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	const char *c1 = strchr(list, ':');
	if (c1) {
		const char *c2 = strchr(c1 + 1, ':');
		double a, b, step;
		if (!c2 || strchr(c2 + 1, ':') || !number(list, (size_t)(c1 - list), &a) ||
		    !number(c1 + 1, (size_t)(c2 - c1 - 1), &b) ||
		    !number(c2 + 1, strlen(c2 + 1), &step))
			return bad(err, over, "START, STOP and STEP must be numbers");
		if (!(step > 0) || b < a)
			return bad(err, over, "STEP must be above 0 and STOP at least START");
		double count = floor((b - a) / step + 1e-9) + 1;
		if (count > OVER_MAX_VALUES)
			return bad(err, over, "too many values");
		for (size_t k = 0; k < (size_t)count; k++) {
			char num[PL__NUM_MAX];
			/* a + k step, printed to the digits the numbers were given
			 * with (0.30000000000000004 is 0.3) */
			double v = a + (double)k * step;
			snprintf(num, sizeof num, "%.12g", v);
			if (add_value(o, num, strlen(num)))
				return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		}
		return PL_OK;
	}
	for (const char *s = list;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		double v;
		if (!number(s, len, &v))
			return bad(err, over, "every value must be a number");
		if (o->n == OVER_MAX_VALUES)
			return bad(err, over, "too many values");
		if (add_value(o, s, len))
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
		if (!comma)
			break;
		s = comma + 1;
	}
	return PL_OK;
}

/* Whether parameter argument arg ("NAME=..." or "ENGINE.NAME=...") sets name. */
static int sets(const char *arg, const char *name)
{
	const char *eq = strchr(arg, '='), *dot = strchr(arg, '.');
	const char *start = dot && eq && dot < eq ? dot + 1 : arg;
	size_t len = strlen(name);
	return eq && (size_t)(eq - start) == len && strncmp(start, name, len) == 0;
}

int pl_sweep_over_run(pl_sweep_over **out, const pl_case *c, const pl_sweep_request *req,
		      const char *over, pl_error *err)
{
	*out = NULL;
	const char *eq = over ? strchr(over, '=') : NULL;
	if (!eq || eq == over)
		return bad(err, over ? over : "", "NAME= is missing");
	pl_sweep_over *o = calloc(1, sizeof *o);
	if (!o)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	o->name = malloc((size_t)(eq - over) + 1);
	if (!o->name) {
		pl_sweep_over_free(o);
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	}
	memcpy(o->name, over, (size_t)(eq - over));
	o->name[eq - over] = '\0';
	int rc = parse_values(o, over, eq + 1, err);
	for (size_t k = 0; !rc && k < req->n_params; k++)
		if (sets(req->params[k], o->name))
			rc = pl_error_set(err, PL_EINPUT, NULL,
					  "--over %s: the parameter is also given as '%s'", o->name,
					  req->params[k]);
	const char **params = rc ? NULL : malloc((req->n_params + 1) * sizeof *params);
	if (!rc && !params)
		rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	char *arg = NULL;
	for (size_t k = 0; !rc && k < o->n; k++) {
		size_t len = strlen(o->name) + strlen(o->value[k]) + 2;
		free(arg);
		arg = malloc(len);
		if (!arg) {
			rc = pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
			break;
		}
		snprintf(arg, len, "%s=%s", o->name, o->value[k]);
		for (size_t j = 0; j < req->n_params; j++)
			params[j] = req->params[j];
		params[req->n_params] = arg;
		pl_sweep_request one = *req;
		one.params = params;
		one.n_params = req->n_params + 1;
		rc = pl_sweep_run_request(&o->sweep[k], c, &one, err);
	}
	free(arg);
	free(params);
	if (rc) {
		pl_sweep_over_free(o);
		return rc;
	}
	*out = o;
	return PL_OK;
}

int pl_sweep_over_json(char **out, const pl_case *c, const pl_sweep_over *o, pl_error *err)
{
	json_t *root = json_object(), *values = json_array(), *sweeps = json_array();
	for (size_t k = 0; k < o->n; k++) {
		json_array_append_new(values, json_string(o->value[k]));
		json_t *s = pl__sweep_to_json(c, o->sweep[k]);
		json_object_set_new(s, "value", json_string(o->value[k]));
		json_array_append_new(sweeps, s);
	}
	json_object_set_new(root, "parameter", json_string(o->name));
	json_object_set_new(root, "values", values);
	json_object_set_new(root, "sweeps", sweeps);
	return pl__report_dump(out, root, err);
}

int pl_sweep_over_csv(char **out, const pl_case *c, const pl_sweep_over *o, pl_error *err)
{
	pl__report_text t;
	int rc = pl__report_text_open(&t, err);
	if (rc) {
		*out = NULL;
		return rc;
	}
	/* each value's CSV (pl_sweep_csv) with the value as a first column: its
	 * comment lines kept, its header once */
	for (size_t k = 0; k < o->n && !rc; k++) {
		char *doc = NULL;
		rc = pl_sweep_csv(&doc, c, o->sweep[k], err);
		int header_seen = 0;
		for (char *line = doc; !rc && line && *line;) {
			char *nl = strchr(line, '\n');
			size_t len = nl ? (size_t)(nl - line) : strlen(line);
			if (line[0] == '#')
				fprintf(t.f, "%.*s\n", (int)len, line);
			else if (!header_seen) {
				header_seen = 1;
				if (k == 0)
					fprintf(t.f, "%s,%.*s\n", o->name, (int)len, line);
			} else
				fprintf(t.f, "%s,%.*s\n", o->value[k], (int)len, line);
			line = nl ? nl + 1 : NULL;
		}
		pl_free(doc);
	}
	if (rc) {
		char *junk = NULL;
		pl__report_text_close(&junk, &t, NULL);
		pl_free(junk);
		*out = NULL;
		return rc;
	}
	return pl__report_text_close(out, &t, err);
}
