/* serve_module.c - parley-serve.so: the library's server calls
 * (include/parley/server.h) for `parley serve` (serve_module.h).  The
 * module links the shared libparley, whose libmicrohttpd initialises GnuTLS
 * when the module is loaded: only `parley serve` pays for it. */
#include "serve_module.h"

const cli_serve parley_serve_module_v1 = {
	.open = pl_server_open,
	.listen = pl_server_listen,
	.close = pl_server_close,
};
