/* srvtool.c - what the server's tests need from a party's side:
 *
 *   srvtool request KEY METHOD PATH TIME
 *       prints "PARTY SIGNATURE": a signed request (Parley-Party,
 *       Parley-Signature for Parley-Time TIME), pl_server_sign_request
 *   srvtool entries KEY ORIGIN CHANNEL N DIR
 *       signs N statements offline (pl_entry_sign) into DIR/e<k>.json and
 *       lists their paths in DIR/list, for the load and kill -9 tests */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parley/parley.h"
#include "parley/server.h"

static int fail(const pl_error *err)
{
	fprintf(stderr, "srvtool: %s: %s\n", err->where, err->message);
	return 1;
}

static int entries(const char *key, const char *origin, const char *channel, long n,
		   const char *dir)
{
	pl_key k;
	pl_error err;
	pl_error_clear(&err);
	if (pl_key_read_file(key, &k, &err))
		return fail(&err);
	char path[4096];
	snprintf(path, sizeof path, "%s/list", dir);
	FILE *list = fopen(path, "w");
	if (!list)
		return 1;
	for (long i = 0; i < n; i++) {
		char body[128], *doc = NULL;
		snprintf(body, sizeof body, "{\"text\":\"statement %ld\"}", i);
		pl_entry_in in = {
			PL_ENTRY_STATEMENT, channel, "2026-01-01T00:00:00Z", body, &k, NULL};
		if (pl_entry_sign(&doc, origin, &in, &err))
			return fail(&err);
		snprintf(path, sizeof path, "%s/e%ld.json", dir, i);
		FILE *f = fopen(path, "w");
		if (!f || fputs(doc, f) < 0 || fclose(f))
			return 1;
		fprintf(list, "%s\n", path);
		pl_free(doc);
	}
	pl_key_wipe(&k);
	return fclose(list) ? 1 : 0;
}

int main(int argc, char **argv)
{
	pl_error err;
	pl_error_clear(&err);
	if (argc == 6 && strcmp(argv[1], "request") == 0) {
		char *sig;
		pl_key k;
		if (pl_key_read_file(argv[2], &k, &err) ||
		    pl_server_sign_request(argv[2], argv[3], argv[4], strtoull(argv[5], NULL, 10),
					   &sig, &err))
			return fail(&err);
		printf("%s %s\n", k.name, sig);
		pl_key_wipe(&k);
		pl_free(sig);
		return 0;
	}
	if (argc == 7 && strcmp(argv[1], "entries") == 0)
		return entries(argv[2], argv[3], argv[4], atol(argv[5]), argv[6]);
	fprintf(stderr,
		"usage: srvtool request KEY METHOD PATH TIME | entries KEY ORIGIN CHANNEL N "
		"DIR\n");
	return 2;
}
