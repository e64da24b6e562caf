/* replay.c - runs a libFuzzer target's entry point on files, without
 * libFuzzer: linked with each fuzz_*.c in the normal build (gcc, and under
 * ASan/UBSan in `make test-asan`), so `meson test` replays every corpus
 * file, found crashes included, as a regression test.
 * usage: replay FILE|DIR...  (a directory: every regular file in it, in name
 * order).  Each input is passed in a buffer of exactly its size, so reading
 * past the end is caught by ASan. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 0 after running the target on path's bytes, -1 when it cannot be read */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fileno(f), &st) != 0) {
		fclose(f);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	uint8_t *data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: %s: cannot read\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir; adds their number to *n. */
static int replay_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t count = 0, cap = 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (count == cap) {
			cap = cap ? 2 * cap : 64;
			char **grown = realloc(names, cap * sizeof *names);
			if (!grown) {
				rc = -1;
				break;
			}
			names = grown;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		if (!(names[count] = malloc(len))) {
			rc = -1;
			break;
		}
		snprintf(names[count++], len, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (names)
		qsort(names, count, sizeof *names, by_name);
	for (size_t k = 0; k < count; k++) {
		struct stat st;
		if (!rc && stat(names[k], &st) == 0 && S_ISREG(st.st_mode)) {
			rc = replay_file(names[k]);
			++*n;
		}
		free(names[k]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t n = 0;
	for (int k = 1; k < argc; k++) {
		struct stat st;
		if (stat(argv[k], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[k], strerror(errno));
			return 1;
		}
		int rc = S_ISDIR(st.st_mode) ? replay_dir(argv[k], &n) : replay_file(argv[k]);
		if (rc)
			return 1;
		n += !S_ISDIR(st.st_mode);
	}
	/* an empty corpus would make a test that cannot fail */
	if (n == 0) {
		fprintf(stderr, "replay: no inputs\n");
		return 1;
	}
	printf("replayed %zu input%s\n", n, n == 1 ? "" : "s");
	return 0;
}
