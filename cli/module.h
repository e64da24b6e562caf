/* module.h - the parley command's optional modules (parley-mpi.so,
 * parley-plot.so): shared objects that carry a heavy library (Open MPI,
 * PLplot) and are loaded only by the commands that need it, so that every
 * other command starts without mapping and relocating those libraries. */
#ifndef PARLEY_CLI_MODULE_H
#define PARLEY_CLI_MODULE_H

#include <stddef.h>

/* Loads module NAME ("parley-mpi") from the directory of the running
 * executable (the build tree), else from the install directory relative to
 * it (a DESTDIR or moved install), else from the configured install
 * directory, and returns the address of its data symbol SYMBOL.  The module
 * stays loaded until the process exits.  On failure returns NULL and writes
 * to why (why_size bytes) what was tried and what the loader said. */
/* dir = the directory of the running executable (size bytes); 0, or -1
 * when /proc/self/exe cannot be read. */
int cli_exe_dir(char *dir, size_t size);

const void *cli_module_load(const char *name, const char *symbol, char *why, size_t why_size);

#endif
