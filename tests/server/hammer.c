/* hammer.c - a small, bounded HTTP/1.1 load client for the server's tests
 * and benchmarks: C clients (threads) on keep-alive connections send R
 * requests in all, each the same body or the next file of a list, and count
 * the answers by status; latencies give the median and the 99th percentile.
 *
 *   hammer PORT METHOD PATH CLIENTS REQUESTS [BODY|@FILE|@@LIST] [EXPECT] [ACKS]
 *
 * @FILE sends that file's bytes each time; @@LIST sends, request k, the
 * file named on line k of LIST.  EXPECT (default 200) is the status counted
 * as success; ACKS, when given, gets one line "FILE LOCATION" per success
 * (the answer's Location header), so a test can check afterwards that every
 * acknowledged request took effect.  Exit status 0 when every request got
 * EXPECT, 1 otherwise, 2 on bad usage.  Every socket has a 30 s timeout. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct job {
	int port;
	const char *method, *path;
	char **bodies;
	size_t *lens;
	size_t n_bodies;
	char **names;
	int expect;
	long total;
	atomic_long next;
	atomic_long ok, bad, io;
	double *lat;
	FILE *acks;
	pthread_mutex_t ack_lock;
} job;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return 1e3 * (double)t.tv_sec + 1e-6 * (double)t.tv_nsec;
}

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {30, 0};
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Reads one answer; returns its status (or -1), the Location header in loc. */
static int read_answer(int fd, char *buf, size_t size, char *loc, size_t locsize)
{
	size_t have = 0;
	char *end = NULL;
	while (!end) {
		if (have + 1 >= size)
			return -1;
		ssize_t r = recv(fd, buf + have, size - 1 - have, 0);
		if (r <= 0)
			return -1;
		have += (size_t)r;
		buf[have] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	int status = atoi(buf + 9);
	long clen = -1;
	loc[0] = '\0';
	for (char *l = strstr(buf, "\r\n"); l && l < end; l = strstr(l + 2, "\r\n")) {
		if (strncasecmp(l + 2, "Content-Length:", 15) == 0)
			clen = atol(l + 17);
		if (strncasecmp(l + 2, "Location:", 9) == 0)
			sscanf(l + 11, "%255s", loc);
	}
	(void)locsize;
	if (clen < 0)
		return -1; /* the tests need no chunked answers */
	size_t body = have - (size_t)(end + 4 - buf);
	while (body < (size_t)clen) {
		char tmp[65536];
		size_t want = (size_t)clen - body < sizeof tmp ? (size_t)clen - body : sizeof tmp;
		ssize_t r = recv(fd, tmp, want, 0);
		if (r <= 0)
			return -1;
		body += (size_t)r;
	}
	return status;
}

static void *client(void *arg)
{
	job *j = arg;
	int fd = -1;
	char *buf = malloc(1 << 20), head[1024], loc[256];
	for (;;) {
		long k = atomic_fetch_add(&j->next, 1);
		if (k >= j->total)
			break;
		size_t b = (size_t)k % (j->n_bodies ? j->n_bodies : 1);
		size_t blen = j->n_bodies ? j->lens[b] : 0;
		int hl = snprintf(head, sizeof head,
				  "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
				  "application/json\r\nContent-Length: %zu\r\n\r\n",
				  j->method, j->path, blen);
		int status = -1;
		double t0 = now_ms();
		for (int attempt = 0; attempt < 2 && status < 0; attempt++) {
			if (fd < 0)
				fd = connect_to(j->port);
			if (fd >= 0 && send_all(fd, head, (size_t)hl) == 0 &&
			    (!blen || send_all(fd, j->bodies[b], blen) == 0))
				status = read_answer(fd, buf, 1 << 20, loc, sizeof loc);
			if (status < 0 && fd >= 0) {
				close(fd);
				fd = -1;
			}
			if (status < 0 && strcmp(j->method, "GET"))
				break; /* never send a write twice */
		}
		j->lat[k] = now_ms() - t0;
		if (status == j->expect) {
			atomic_fetch_add(&j->ok, 1);
			if (j->acks) {
				pthread_mutex_lock(&j->ack_lock);
				fprintf(j->acks, "%s %s\n", j->names ? j->names[b] : "-", loc);
				fflush(j->acks);
				pthread_mutex_unlock(&j->ack_lock);
			}
		} else if (status < 0) {
			atomic_fetch_add(&j->io, 1);
		} else {
			if (atomic_fetch_add(&j->bad, 1) < 3)
				fprintf(stderr, "hammer: status %d: %.300s\n", status,
					strstr(buf, "\r\n\r\n") ? strstr(buf, "\r\n\r\n") + 4 : "");
		}
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
		free(b);
		b = NULL;
	}
	fclose(f);
	*len = b ? (size_t)n : 0;
	return b;
}

static int load_bodies(job *j, const char *spec)
{
	static char *one[1];
	static size_t one_len[1];
	if (strncmp(spec, "@@", 2) == 0) {
		FILE *f = fopen(spec + 2, "r");
		char line[4096];
		size_t cap = 0;
		if (!f)
			return -1;
		while (fgets(line, sizeof line, f)) {
			line[strcspn(line, "\n")] = '\0';
			if (j->n_bodies == cap) {
				cap = cap ? 2 * cap : 1024;
				j->bodies = realloc(j->bodies, cap * sizeof *j->bodies);
				j->lens = realloc(j->lens, cap * sizeof *j->lens);
				j->names = realloc(j->names, cap * sizeof *j->names);
			}
			j->names[j->n_bodies] = strdup(line);
			if (!(j->bodies[j->n_bodies] = slurp(line, &j->lens[j->n_bodies]))) {
				fclose(f);
				return -1;
			}
			j->n_bodies++;
		}
		fclose(f);
		return 0;
	}
	j->bodies = one;
	j->lens = one_len;
	j->n_bodies = 1;
	if (spec[0] == '@')
		one[0] = slurp(spec + 1, &one_len[0]);
	else
		one[0] = strdup(spec), one_len[0] = strlen(spec);
	return one[0] ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: hammer PORT METHOD PATH CLIENTS REQUESTS [BODY|@FILE|@@LIST] "
				"[EXPECT] [ACKS]\n");
		return 2;
	}
	static job j;
	j.port = atoi(argv[1]);
	j.method = argv[2];
	j.path = argv[3];
	int clients = atoi(argv[4]);
	j.total = atol(argv[5]);
	j.expect = argc > 7 ? atoi(argv[7]) : 200;
	if (clients < 1 || clients > 256 || j.total < 1 || j.total > 10000000) {
		fprintf(stderr, "hammer: 1..256 clients, 1..10^7 requests\n");
		return 2;
	}
	if (argc > 6 && argv[6][0] && load_bodies(&j, argv[6])) {
		fprintf(stderr, "hammer: cannot read %s\n", argv[6]);
		return 2;
	}
	if (argc > 8 && !(j.acks = fopen(argv[8], "w"))) {
		fprintf(stderr, "hammer: cannot write %s\n", argv[8]);
		return 2;
	}
	pthread_mutex_init(&j.ack_lock, NULL);
	j.lat = calloc((size_t)j.total, sizeof *j.lat);
	pthread_t th[256];
	double t0 = now_ms();
	for (int k = 0; k < clients; k++)
		pthread_create(&th[k], NULL, client, &j);
	for (int k = 0; k < clients; k++)
		pthread_join(th[k], NULL);
	double el = now_ms() - t0;
	qsort(j.lat, (size_t)j.total, sizeof *j.lat, cmp);
	printf("requests %ld ok %ld other %ld failed %ld  %.0f/s  p50 %.2f ms  p99 %.2f ms  "
	       "wall %.2f s\n",
	       j.total, (long)j.ok, (long)j.bad, (long)j.io, 1e3 * (double)j.total / el,
	       j.lat[j.total / 2], j.lat[(size_t)((double)j.total * 0.99)], el / 1e3);
	if (j.acks)
		fclose(j.acks);
	return j.ok == j.total ? 0 : 1;
}
