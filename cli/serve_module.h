/* serve_module.h - the HTTP server behind function pointers: parley-serve.so
 * (serve_module.c) links the shared libparley, and through it libmicrohttpd
 * and GnuTLS (with p11-kit and libffi, which Debian ships only shared), and
 * is loaded only by `parley serve` (module.h), so that no other command
 * maps and relocates them at start (docs/benchmarks.md, "start-up"). */
#ifndef PARLEY_CLI_SERVE_MODULE_H
#define PARLEY_CLI_SERVE_MODULE_H

#include <parley/server.h>

/* The symbol's name carries the interface's version: a module built for
 * another version is not found. */
#define CLI_SERVE_MODULE "parley-serve"
#define CLI_SERVE_SYMBOL "parley_serve_module_v1"

typedef struct cli_serve {
	int (*open)(pl_server **out, const pl_server_config *cfg, pl_error *err);
	int (*listen)(pl_server *s, const pl_listen_options *lo, pl_error *err);
	void (*close)(pl_server *s);
} cli_serve;

extern const cli_serve parley_serve_module_v1;

#endif
