/* module.c - finds and loads the parley command's optional modules
 * (module.h): next to the executable in the build tree, else where
 * `meson install` put them, found relative to the executable first so that
 * a DESTDIR or moved install uses its own modules, not another install's. */
#include "module.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* dir = the directory of the running executable; 0 or -1 */
int cli_exe_dir(char *dir, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", dir, size - 1);
	if (n <= 0 || (size_t)n >= size - 1)
		return -1;
	dir[n] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*(slash == dir ? slash + 1 : slash) = '\0';
	return 0;
}

/* The candidates for module name, in order; returns how many. */
static size_t candidates(const char *name, char paths[3][4096])
{
	char dir[4096];
	size_t n = 0;
	if (cli_exe_dir(dir, sizeof dir) == 0) {
		snprintf(paths[n++], 4096, "%s/%s.so", dir, name);
#ifdef PARLEY_MODULE_RELDIR
		snprintf(paths[n++], 4096, "%s/%s/%s.so", dir, PARLEY_MODULE_RELDIR, name);
#endif
	}
	snprintf(paths[n++], 4096, "%s/%s.so", PARLEY_INSTALL_MODULEDIR, name);
	return n;
}

static const void *open_module(const char *path, const char *symbol, char *why, size_t size)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, size, "cannot load %s: %s", path, e ? e : "unknown error");
		return NULL;
	}
	const void *sym = dlsym(h, symbol);
	if (!sym) {
		snprintf(why, size, "%s has no symbol %s (a module of another parley?)", path,
			 symbol);
		dlclose(h);
	}
	/* otherwise never closed: Open MPI and PLplot keep exit handlers and
	 * memory that point into the module's libraries until exit */
	return sym;
}

const void *cli_module_load(const char *name, const char *symbol, char *why, size_t why_size)
{
	char paths[3][4096];
	size_t n = candidates(name, paths);
	for (size_t k = 0; k < n; k++)
		if (access(paths[k], F_OK) == 0)
			return open_module(paths[k], symbol, why, why_size);
	size_t len = (size_t)snprintf(why, why_size, "no %s.so in", name);
	for (size_t k = 0; k < n && len < why_size; k++) {
		*strrchr(paths[k], '/') = '\0';
		len += (size_t)snprintf(why + len, why_size - len, "%s %s", k ? "," : "", paths[k]);
	}
	return NULL;
}
