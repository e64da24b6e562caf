/* error.c - filling in and formatting pl_error objects. */
#include "parley/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pl_error_clear(pl_error *err)
{
	if (!err)
		return;
	err->code = PL_OK;
	err->where[0] = '\0';
	err->message[0] = '\0';
}

int pl_error_set(pl_error *err, int code, const char *where, const char *fmt, ...)
{
	if (!err || err->code != PL_OK)
		return code;
	err->code = code;
	snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return code;
}

const char *pl_error_format(const pl_error *err, char *buf, size_t size)
{
	if (!err || err->code == PL_OK)
		snprintf(buf, size, "no error");
	else if (err->where[0])
		snprintf(buf, size, "%s: %s", err->where, err->message);
	else
		snprintf(buf, size, "%s", err->message);
	return buf;
}

int pl_error_exit_status(const pl_error *err)
{
	if (!err)
		return 1;
	return (err->code == PL_EINPUT || err->code == PL_ENOTFOUND) ? 2 : 1;
}

const char *pl_status_name(int code)
{
	switch (code) {
	case PL_OK: return "ok";
	case PL_EINPUT: return "bad input";
	case PL_ENOMEM: return "out of memory";
	case PL_EIO: return "input/output error";
	case PL_ENOTFOUND: return "not found";
	case PL_ENUMERIC: return "numerical failure";
	case PL_EINTERNAL: return "internal error";
	default: return "unknown error";
	}
}

void pl_free(void *p)
{
	free(p);
}
