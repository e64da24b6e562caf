/* cmd_ledger.h - what the files of `parley ledger` share. */
#ifndef PARLEY_CLI_LEDGER_H
#define PARLEY_CLI_LEDGER_H

#include <stdint.h>

#include <parley/ledger.h>

#define CLI_LEDGER_MAX 32

typedef struct cli_ledger_args {
	const char *pos[CLI_LEDGER_MAX];
	int npos;
	const char *name[CLI_LEDGER_MAX];
	const char *value[CLI_LEDGER_MAX];
	int nopt;
} cli_ledger_args;

int cli_ledger_parse(int argc, char **argv, const char *allowed, cli_ledger_args *a,
		     const char *cmd);
const char *cli_ledger_opt(const cli_ledger_args *a, const char *name);
int cli_ledger_u64(const char *cmd, const char *what, const char *s, uint64_t *out);
int cli_ledger_open(const char *cmd, const char *db, pl_ledger **lg);
int cli_ledger_open_ro(const char *cmd, const char *db, pl_ledger **lg);
int cli_ledger_append_one(const char *cmd, pl_ledger *lg, pl_entry_kind kind, const char *ch,
			  const char *time, const char *body, const pl_key *author);
int cli_ledger_read(const char *cmd, const char *path, const char *what, char **text);
/* Puts the note file's name in front of an error about the note. */
const pl_error *cli_ledger_name_note(pl_error *err, const char *path);
int cli_ledger_fail(const char *cmd, pl_error *err);

/* cmd_ledger_entry.c */
int cli_ledger_party_add(int argc, char **argv);
int cli_ledger_channel_add(int argc, char **argv);
int cli_ledger_append(int argc, char **argv);
int cli_ledger_sign(int argc, char **argv);

/* cmd_ledger_replay.c */
int cli_ledger_replay(int argc, char **argv);
int cli_ledger_status(int argc, char **argv);

#endif
