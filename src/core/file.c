/* file.c - whole files in and out, for every module: reading one into
 * memory with a size limit, and writing one all at once (to a new temporary
 * file beside it, synced to disk, renamed over the target, and the directory
 * synced, so a reader sees the old file or the whole new one, even after a
 * crash). */
/* realpath() is X/Open */
#define _XOPEN_SOURCE 700
#include "core/util.h"
#include "parley/io.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates path.tmp.<random> with the given mode (the umask applies). */
static int create_temp(const char *path, mode_t mode, char **tmp_out)
{
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp) {
		errno = ENOMEM;
		return -1;
	}
	for (int tries = 0; tries < 100; tries++) {
		unsigned long long r = 0;
		if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
			r = (unsigned long long)getpid() * 1000003u + (unsigned long long)tries;
		snprintf(tmp, n, "%s.tmp.%016llx", path, r);
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		if (fd >= 0) {
			*tmp_out = tmp;
			return fd;
		}
		if (errno != EEXIST)
			break;
	}
	free(tmp);
	return -1;
}

/* Syncs the directory holding path, so the rename itself is durable. */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
	if (!dir)
		return;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Writes all of data to fd; returns 0 or the errno that stopped it. */
static int write_all(int fd, const char *data, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, data + done, len - done);
		if (w < 0 && errno != EINTR)
			return errno;
		if (w > 0)
			done += (size_t)w;
	}
	return 0;
}

/* Writes straight into an existing file that is not a regular one (a
 * terminal, /dev/stdout, a pipe): there is nothing to replace atomically. */
static int write_direct(const char *path, const char *data, size_t len, pl_error *err)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	int e = fd < 0 ? errno : write_all(fd, data, len);
	if (fd >= 0 && close(fd) != 0 && !e)
		e = errno;
	return e ? pl_error_set(err, PL_EIO, path, "cannot write: %s", strerror(e)) : PL_OK;
}

int pl__check_output_path(const char *path, pl_error *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return pl_error_set(err, PL_EINPUT, path,
				    "is a directory: the output must name a file");
	char *copy = strdup(path);
	if (!copy)
		return pl_error_set(err, PL_ENOMEM, NULL, "out of memory");
	int e = stat(dirname(copy), &st) != 0 ? errno : S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
	free(copy);
	if (e == ENOENT || e == ENOTDIR)
		return pl_error_set(err, PL_EINPUT, path,
				    "its directory does not exist (%s): the output must go into an "
				    "existing directory",
				    strerror(e));
	return PL_OK;
}

int pl_write_file_atomic_mode(const char *path, const char *data, size_t len, unsigned mode,
			      pl_error *err)
{
	struct stat st;
	/* /dev/stdout and its kind (links into /proc/self/fd) name a stream,
	 * not a file to replace */
	char target[64];
	ssize_t tn = readlink(path, target, sizeof target - 1);
	if (tn > 0)
		target[tn] = '\0';
	if (strncmp(path, "/proc/", 6) == 0 || (tn > 0 && strncmp(target, "/proc/", 6) == 0))
		return write_direct(path, data, len, err);
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return pl_error_set(err, PL_EINPUT, path,
					    "is a directory: the output must name a file");
		return write_direct(path, data, len, err);
	}
	/* a symbolic link stays a link: the file it points to is replaced */
	char *resolved = NULL;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		resolved = realpath(path, NULL);
	if (resolved) {
		int rc = pl_write_file_atomic_mode(resolved, data, len, mode, err);
		free(resolved);
		return rc;
	}
	char *tmp = NULL;
	int fd = create_temp(path, (mode_t)mode, &tmp);
	if (fd < 0) {
		int e = errno;
		/* a path whose directory does not exist is the caller's mistake
		 * (exit 2); a full disk or a permission is the machine's */
		if (e == ENOENT || e == ENOTDIR)
			return pl_error_set(err, PL_EINPUT, path,
					    "its directory does not exist (%s): the output must "
					    "go into an existing directory",
					    strerror(e));
		return pl_error_set(err, PL_EIO, path, "cannot create a temporary file: %s",
				    strerror(e));
	}
	int e = write_all(fd, data, len);
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		free(tmp);
		return pl_error_set(err, PL_EIO, path, "cannot write: %s", strerror(e));
	}
	free(tmp);
	sync_dir(path);
	return PL_OK;
}

int pl_write_file_atomic(const char *path, const char *data, size_t len, pl_error *err)
{
	return pl_write_file_atomic_mode(path, data, len, 0666, err);
}

/* A path the user got wrong, as opposed to a failing machine. */
/* A path the user got wrong, as opposed to a failing machine. */
static int user_errno(int e)
{
	return e == ENOENT || e == ENOTDIR || e == EACCES || e == EPERM || e == EISDIR ||
	       e == ENAMETOOLONG || e == ELOOP;
}

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
	return pl_error_set(err, user_errno(rc) ? PL_EINPUT : PL_EIO, path, "%s: %s", open_fail,
			    strerror(rc));
}

static int too_big(const char *path, const pl__file_kind *kind, long long size, pl_error *err)
{
	const char *note = kind->limit_note ? kind->limit_note : "";
	if (size < 0)
		return pl_error_set(
			err, PL_EINPUT, path,
			"the file is more than %zu bytes; %s may be at most %zu bytes%s",
			kind->limit, kind->noun, kind->limit, note);
	return pl_error_set(err, PL_EINPUT, path,
			    "the file is %lld bytes; %s may be at most %zu bytes%s", size,
			    kind->noun, kind->limit, note);
}

/* Reads f to its end into a growing buffer of at most kind->limit bytes. */
static int read_all(FILE *f, const char *path, const pl__file_kind *kind, char **out, size_t *len,
		    pl_error *err)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return pl_error_set(err, PL_ENOMEM, path, "out of memory");
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > kind->limit) {
				free(buf);
				return too_big(path, kind, -1, err);
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return pl_error_set(err, PL_ENOMEM, path, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		return pl_error_set(err, PL_EIO, path, "read error");
	}
	if (n > kind->limit) {
		free(buf);
		return too_big(path, kind, (long long)n, err);
	}
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return PL_OK;
}

int pl__read_file(const char *path, const pl__file_kind *kind, char **out, size_t *len,
		  pl_error *err)
{
	*out = NULL;
	if (len)
		*len = 0;
	FILE *f;
	int orc = pl__open_input(path, &f);
	if (orc) {
		if (orc == ENOENT && kind->missing_ok)
			return PL_OK;
		return pl__open_input_fail(err, path, orc, kind->open_fail);
	}
	struct stat st;
	int rc = PL_OK;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))
		rc = pl_error_set(err, PL_EINPUT, path, "%s", kind->not_dir);
	else if (fstat(fileno(f), &st) == 0 && st.st_size > (off_t)kind->limit)
		rc = too_big(path, kind, (long long)st.st_size, err);
	else
		rc = read_all(f, path, kind, out, len, err);
	fclose(f);
	return rc;
}
