/* input.h - opening an input file the user named, for every reader. */
#ifndef PL_CORE_INPUT_H
#define PL_CORE_INPUT_H

#include <stdio.h>

#include "parley/error.h"

/* Opens path to read it whole.  0 and *out on success (a directory opens
 * too: the caller names what it wanted instead); an errno value when it
 * cannot be opened; -1 when it is a FIFO, socket or device, which is never
 * opened for reading: a FIFO without a writer would keep the reader
 * waiting for ever, a device may never end. */
int pl__open_input(const char *path, FILE **out);

/* The error for pl__open_input's nonzero rc: PL_EINPUT (exit status 2)
 * for a path the user got wrong (missing, not permitted, not a regular
 * file), PL_EIO for a failing machine.  open_fail begins the message
 * ("cannot open the game file").  Returns the code. */
int pl__open_input_fail(pl_error *err, const char *path, int rc, const char *open_fail);

#endif
