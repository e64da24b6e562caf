/* tls_init.c - GnuTLS's global initialisation is paid by `parley serve`
 * alone.
 *
 * libmicrohttpd, the HTTP face of `parley serve`, is linked into the command
 * from its static archive, and a constructor of it calls
 * gnutls_global_init() in every process: 0.6 million instructions (GnuTLS
 * builds its ASN.1 trees), a third of what `parley --version` ran
 * (docs/benchmarks.md, "start-up").  The command is linked with
 * -Wl,--wrap=gnutls_global_init,--wrap=gnutls_global_deinit (cli/meson.build,
 * static builds only), so that those calls of libmicrohttpd come here and do
 * nothing; GnuTLS's own implicit initialisation (a constructor of its own)
 * is skipped through the hook GnuTLS provides for that, a weak
 * _gnutls_global_init_skip() that a program may define to return 1.
 * `parley serve` calls cli_tls_init() before it opens the server, which
 * runs the real initialisation once.  GnuTLS's state then lives until the
 * process exits (the deinit at exit is skipped). */
#include "cli.h"

int __real_gnutls_global_init(void);
int __wrap_gnutls_global_init(void);
void __wrap_gnutls_global_deinit(void);
int _gnutls_global_init_skip(void);

int _gnutls_global_init_skip(void)
{
	return 1;
}

int __wrap_gnutls_global_init(void)
{
	return 0;
}

void __wrap_gnutls_global_deinit(void)
{
}

int cli_tls_init(void)
{
	return __real_gnutls_global_init() < 0 ? -1 : 0;
}
