/* input.c - opening an input file the user named, for every reader: a
 * FIFO, socket or device is refused before anything waits on it, and a
 * path the user got wrong (missing, not readable) is bad input, exit
 * status 2, not an I/O failure. */
#include "core/input.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pl__open_input(const char *path, FILE **out)
{
	*out = NULL;
	/* O_NONBLOCK: opening a FIFO without a writer returns at once */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno ? errno : EIO;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return e ? e : EIO;
	}
	if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		close(fd);
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ? NULL : fdopen(fd, "rb");
	if (!f) {
		int e = errno;
		close(fd);
		return e ? e : EIO;
	}
	*out = f;
	return 0;
}

int pl__open_input_fail(pl_error *err, const char *path, int rc, const char *open_fail)
{
	if (rc < 0)
		return pl_error_set(err, PL_EINPUT, path,
				    "is not a regular file (a FIFO, socket or device): parley "
				    "reads its inputs from files");
	int input = rc == ENOENT || rc == ENOTDIR || rc == EACCES || rc == EPERM || rc == EISDIR ||
		    rc == ENAMETOOLONG || rc == ELOOP;
	return pl_error_set(err, input ? PL_EINPUT : PL_EIO, path, "%s: %s", open_fail,
			    strerror(rc));
}
