/* xml_lib.h - libxml2, loaded the first time a KTAB XML scenario is read.
 *
 * Only reading KTAB's XML scenarios (ktab_xml.c) needs libxml2, and through
 * it ICU and libstdc++. Linked into the command, their 4,500 data pointers
 * were relocated, and their pages copied, at every start of every command
 * (docs/benchmarks.md, "start-up"). They are instead loaded with dlopen when
 * the first XML scenario is read, once per process, and stay loaded; the
 * table below holds the functions ktab_xml.c calls, with the types of
 * libxml2's headers (which the build still compiles against). */
#ifndef PL_IO_XML_LIB_H
#define PL_IO_XML_LIB_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "parley/error.h"

/* The shared library's name: its soname, the same since libxml2 2.0. */
#define PL__XML_SONAME "libxml2.so.2"

typedef struct pl__xml {
	__typeof__(&xmlNewParserCtxt) new_parser_ctxt;
	__typeof__(&xmlCtxtReadMemory) ctxt_read_memory;
	__typeof__(&xmlCtxtGetLastError) ctxt_get_last_error;
	__typeof__(&xmlDocGetRootElement) doc_get_root_element;
	__typeof__(&xmlFreeDoc) free_doc;
	__typeof__(&xmlFreeParserCtxt) free_parser_ctxt;
	__typeof__(&xmlGetLineNo) get_line_no;
	__typeof__(&xmlNodeGetContent) node_get_content;
	xmlFreeFunc *free; /* libxml2's variable xmlFree: how its strings are freed */
} pl__xml;

/* The loaded library, or NULL with err set (PL_EIO, naming what reads it:
 * the file name) when it cannot be loaded. Thread-safe. */
const pl__xml *pl__xml_lib(const char *name, pl_error *err);

#endif
