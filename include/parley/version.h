/* version.h - the library's version, for results' provenance. */
#ifndef PARLEY_VERSION_H
#define PARLEY_VERSION_H

#define PL_VERSION_MAJOR 0
#define PL_VERSION_MINOR 3
#define PL_VERSION_PATCH 0
#define PL_VERSION_STRING "0.3.0"

#ifdef __cplusplus
extern "C" {
#endif
/* The version of the library actually linked (may differ from the header). */
const char *pl_version(void);
#ifdef __cplusplus
}
#endif
#endif
