/* xml_lib.c - libxml2 loaded on first use (xml_lib.h). */
#include "io/xml_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Written once under pthread_once, then only read: the process's one view of
 * a library that, once loaded, is never unloaded. */
static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static pl__xml lib;
static int lib_ok;
static char lib_msg[256];

static int sym(void *h, const char *name, void *fn, size_t size)
{
	void *p = dlsym(h, name);
	if (!p) {
		snprintf(lib_msg, sizeof lib_msg, "%s has no %s", PL__XML_SONAME, name);
		return -1;
	}
	memcpy(fn, &p, size); /* a function's address from dlsym's object pointer */
	return 0;
}

#define SYM(field, name) sym(h, name, &lib.field, sizeof lib.field)

static void load(void)
{
	void *h = dlopen(PL__XML_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(lib_msg, sizeof lib_msg, "%s", e ? e : PL__XML_SONAME);
		return;
	}
	void (*init)(void) = NULL;
	void *free_var = dlsym(h, "xmlFree");
	if (sym(h, "xmlInitParser", &init, sizeof init) ||
	    SYM(new_parser_ctxt, "xmlNewParserCtxt") ||
	    SYM(ctxt_read_memory, "xmlCtxtReadMemory") ||
	    SYM(ctxt_get_last_error, "xmlCtxtGetLastError") ||
	    SYM(doc_get_root_element, "xmlDocGetRootElement") || SYM(free_doc, "xmlFreeDoc") ||
	    SYM(free_parser_ctxt, "xmlFreeParserCtxt") || SYM(get_line_no, "xmlGetLineNo") ||
	    SYM(node_get_content, "xmlNodeGetContent")) {
		dlclose(h);
		return;
	}
	if (!free_var) {
		snprintf(lib_msg, sizeof lib_msg, "%s has no xmlFree", PL__XML_SONAME);
		dlclose(h);
		return;
	}
	lib.free = free_var;
	/* libxml2 asks to be initialised once before threads use it */
	init();
	lib_ok = 1;
}

const pl__xml *pl__xml_lib(const char *name, pl_error *err)
{
	pthread_once(&load_once, load);
	if (lib_ok)
		return &lib;
	pl_error_set(err, PL_EIO, name,
		     "reading a KTAB XML scenario needs libxml2, which could not be loaded (%s)",
		     lib_msg);
	return NULL;
}
