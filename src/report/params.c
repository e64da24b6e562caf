/* params.c - the -p/--param arguments of forecast, compare and sweep (and
 * the server's "params") turned into each engine's parameters, with one set
 * of rules: ENGINE.NAME=VALUE for a known engine that is part of the run,
 * NAME=VALUE only when one engine runs, and every name and value checked
 * before anything runs. */
#include "parley/report.h"

#include <stdio.h>
#include <string.h>

static int in_run(const pl_engine *e, const pl_engine *const *engines, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (engines[k] == e)
			return 1;
	return 0;
}

/* The engine an ENGINE.NAME=VALUE argument is for, checked against the run. */
static const pl_engine *prefix_engine(const char *arg, size_t len, const pl_engine *const *engines,
				      size_t n, pl_error *err)
{
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(len < 63 ? len : 63), arg);
	pl_error why;
	pl_error_clear(&why);
	const pl_engine *e = len < 63 ? pl_engine_find(name, &why) : NULL;
	if (!e) {
		pl_error_set(err, PL_EINPUT, NULL, "parameter '%s': %s", arg,
			     why.code ? why.message : "engine name too long");
		return NULL;
	}
	if (in_run(e, engines, n))
		return e;
	char list[256] = "";
	size_t used = 0;
	for (size_t k = 0; k < n && used < sizeof list - 1; k++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
					 pl_engine_name(engines[k]));
	pl_error_set(err, PL_EINPUT, NULL,
		     "parameter '%s' is for engine '%s', which is not part of this run "
		     "(engines run: %s)",
		     arg, name, list);
	return NULL;
}

static int add_one(const char *arg, const pl_engine *const *engines, size_t n, pl_params **out,
		   pl_error *err)
{
	const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');
	if (dot && eq && dot < eq) {
		const pl_engine *e = prefix_engine(arg, (size_t)(dot - arg), engines, n, err);
		if (!e)
			return PL_EINPUT;
		int rc = PL_OK;
		for (size_t k = 0; k < n && !rc; k++)
			if (engines[k] == e)
				rc = pl_params_parse(out[k], dot + 1, err);
		return rc;
	}
	if (n != 1)
		return pl_error_set(err, PL_EINPUT, NULL,
				    "with more than one engine, write parameters as "
				    "ENGINE.NAME=VALUE ('%s')",
				    arg);
	return pl_params_parse(out[0], arg, err);
}

int pl_params_assign(pl_params **out, size_t n, const pl_engine *const *engines,
		     const char *const *args, size_t n_args, pl_error *err)
{
	for (size_t k = 0; k < n; k++)
		if (!out[k] && !(out[k] = pl_params_new()))
			return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	for (size_t a = 0; a < n_args; a++) {
		int rc = add_one(args[a], engines, n, out, err);
		if (rc)
			return rc;
	}
	for (size_t k = 0; k < n; k++) {
		int rc = pl_engine_check_params(engines[k], out[k], err);
		if (rc)
			return rc;
	}
	return PL_OK;
}
