/* ledger_fixture.h - a small ledger for the tests: a log key, five parties
 * (usa, dprk, china, russia, iaea), the six-party channel (all but iaea,
 * plus iaea) and a us-dprk bilateral channel. */
#ifndef PARLEY_TEST_LEDGER_FIXTURE_H
#define PARLEY_TEST_LEDGER_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parley/ledger.h"

enum { P_USA, P_DPRK, P_CHINA, P_RUSSIA, P_IAEA, NPARTY };

typedef struct fixture {
	char dir[256];
	char db[300];
	pl_key log;
	pl_key party[NPARTY];
	pl_ledger *lg;
} fixture;

static const char *const fixture_names[NPARTY] = {"usa", "dprk", "china", "russia", "iaea"};

static inline int fx_append(fixture *f, pl_entry_kind kind, const pl_key *who, const char *channel,
			    const char *time, const char *body, pl_error *err)
{
	pl_entry_in in = {kind, channel, time, body, who, NULL};
	return pl_ledger_append(f->lg, &in, 1, NULL, err);
}

/* Appends an entry with a body made by printf. */
static inline int fx_appendf(fixture *f, pl_entry_kind kind, const pl_key *who, const char *channel,
			     const char *time, pl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

static inline int fx_appendf(fixture *f, pl_entry_kind kind, const pl_key *who, const char *channel,
			     const char *time, pl_error *err, const char *fmt, ...)
{
	char body[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	return fx_append(f, kind, who, channel, time, body, err);
}

static inline int fx_setup(fixture *f)
{
	memset(f, 0, sizeof *f);
	/* tmpfs when there is one: the tamper and crash tests write many files */
	const char *tmp = getenv("PL_TEST_TMPDIR");
	if (!tmp)
		tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(f->dir, sizeof f->dir, "%s/parley-ledger-test-XXXXXX", tmp);
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/ledger.db", f->dir);
	if (pl_key_generate("log.six-party.example", &f->log, NULL) != PL_OK)
		return -1;
	if (pl_ledger_create(f->db, "six-party.example/ledger", &f->log, NULL) != PL_OK ||
	    pl_ledger_open(f->db, &f->lg, NULL) != PL_OK)
		return -1;
	static const char *const roles[NPARTY] = {"delegation", "delegation", "delegation",
						  "delegation", "inspectorate"};
	for (int i = 0; i < NPARTY; i++) {
		char vk[512];
		if (pl_key_generate(fixture_names[i], &f->party[i], NULL) != PL_OK)
			return -1;
		pl_key_format_vkey(&f->party[i], vk, sizeof vk);
		if (fx_appendf(f, PL_ENTRY_PARTY, &f->log, "public", "2007-01-01T00:00:00Z", NULL,
			       "{\"id\":\"%s\",\"key\":\"%s\",\"name\":\"%s\",\"role\":\"%s\"}",
			       fixture_names[i], vk, fixture_names[i], roles[i]) != PL_OK)
			return -1;
	}
	if (fx_append(f, PL_ENTRY_CHANNEL, &f->log, "public", "2007-01-01T00:00:00Z",
		      "{\"id\":\"six-party\",\"name\":\"Six-party talks\",\"members\":"
		      "[\"usa\",\"dprk\",\"china\",\"russia\",\"iaea\"]}",
		      NULL) != PL_OK)
		return -1;
	if (fx_append(f, PL_ENTRY_CHANNEL, &f->log, "public", "2007-01-01T00:00:00Z",
		      "{\"id\":\"us-dprk\",\"name\":\"US-DPRK bilateral\",\"members\":"
		      "[\"usa\",\"dprk\"]}",
		      NULL) != PL_OK)
		return -1;
	return 0;
}

static inline void fx_teardown(fixture *f)
{
	char cmd[600];
	pl_ledger_close(f->lg);
	f->lg = NULL;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
}

/* cmocka's per-test setup and teardown: a fresh fixture in *state. */
static inline int fx_state_setup(void **state)
{
	fixture *f = malloc(sizeof *f);
	if (!f || fx_setup(f) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static inline int fx_state_teardown(void **state)
{
	fx_teardown(*state);
	free(*state);
	return 0;
}

#endif
