/* cli.h - what the parley command's subcommands share.  The command is a
 * client of the public library API (include/parley/) and nothing else. */
#ifndef PARLEY_CLI_H
#define PARLEY_CLI_H

#include <stdio.h>
#include <time.h>

#include <parley/parley.h>

/* Each subcommand: argv[0] is the subcommand's name.  Returns the exit
 * status: 0 ok, 1 failure, 2 bad usage or bad input. */
typedef int (*cli_command_fn)(int argc, char **argv);

int cmd_forecast(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_engines(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_game(int argc, char **argv);
int cmd_ledger(int argc, char **argv);
int cmd_roadmap(int argc, char **argv);
int cmd_feasible(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_backtest(int argc, char **argv);

/* Prints "parley CMD: where: message" to stderr and returns the exit status
 * for the error. */
int cli_report(const char *cmd, const pl_error *err);

/* Prints a usage error ("parley CMD: ...; try 'parley CMD --help'") and
 * returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* For getopt_long loops: the usage error for ':' (missing value) or '?'
 * (unknown option) at argv[optind - 1]; returns 2. */
int cli_bad_option(const char *cmd, int ch, char **argv);

/* After options: at most one operand, the case path (NULL for the default
 * case); format (if not NULL) must be table, json or csv, input_format (if
 * not NULL) json, csv, ktab or decide.  Returns 0 or the usage error's status 2. */
int cli_case_operand(const char *cmd, int argc, char **argv, const char **case_path,
		     const char *format, const char *input_format);

/* Parses a whole number in [lo, hi] written in decimal digits only (no
 * sign, no spaces); returns 0, or -1 when text is not one. */
int cli_parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out);

/* Parses --seed: a whole number from 0 to 2^63 - 1 (so that JSON, whose
 * integers are signed, records it exactly).  Returns 0 or the usage error's
 * status 2. */
int cli_parse_seed(const char *cmd, const char *text, uint64_t *out);
/* Parses --rounds: a whole number from 1 to 100000.  Returns 0 or the usage
 * error's status 2. */
int cli_parse_rounds(const char *cmd, const char *text, int *out);

/* The path of the shipped default case (data/cases/korea-six-party.json):
 * $PARLEY_DATA/cases/..., else the installed data directory, else the
 * source tree's. */
const char *cli_default_case(char *buf, size_t size);

/* A shipped file named as in the README's tour ("data/games/x.efg") for a
 * command run outside the source tree: when path starts with "data/" and
 * is not there, the same file under $PARLEY_DATA, the installed data
 * directory or the source tree's data/ (the first that has it, written to
 * buf); else path itself. */
const char *cli_data_file(const char *path, char *buf, size_t size);

/* Loads path (or the default case when path is NULL); on failure reports
 * and returns the exit status.  A KTAB XML scenario (*.xml) is read with
 * pl_ktab_xml_read_file; its smp parameters and seed are dropped here (see
 * cli_load_scenario for commands that use them). */
int cli_load_case(const char *cmd, const char *path, pl_format fmt, pl_case **out);

/* cli_load_case that also returns a KTAB XML scenario's smp parameters
 * (*xml_params, NULL for other files) and seed (*xml_seed). */
int cli_load_scenario(const char *cmd, const char *path, pl_format fmt, pl_case **out,
		      pl_params **xml_params, uint64_t *xml_seed);

/* The SHA-256 of the bytes of the file at path (the default case when
 * NULL) as 64 hex digits; on failure reports and returns the exit status. */
int cli_file_sha256(const char *cmd, const char *path, char hex[65]);

/* Refuses (exit status 2, naming both paths) an output path that is the
 * same file as an input (compared by device and inode, so "./k.json" and
 * "k.json" or a hard link are caught): writing the output would replace the
 * input.  input NULL is the shipped default case; output NULL or "-" is
 * standard output.  what names the input ("case", "ledger").  Returns 0 or
 * 2. */
int cli_check_output(const char *cmd, const char *what, const char *input, const char *output);

/* Output: everything a command prints goes to a memory stream first, then
 * to stdout or, atomically, to a file, so a failed run writes nothing. */
typedef struct cli_out {
	FILE *f;
	char *buf;
	size_t len;
} cli_out;
int cli_out_open(cli_out *o);
/* Writes to path (or stdout when NULL) and frees; returns an exit status. */
int cli_out_close(const char *cmd, cli_out *o, const char *path);
void cli_out_discard(cli_out *o);

/* What a forecast took from a ledger, for its provenance. */
typedef struct cli_trust {
	char origin[256];
	char root[65]; /* hex SHA-256 Merkle root at `size` entries */
	unsigned long long size;
	double weight;
	size_t matched; /* actors whose capability the ledger changed */
	char case_sha256[65]; /* the case before scaling, as a plain run shows it */
	char factors[1024];   /* "USA x0.97, CHN x1.1, ..." for the actors scaled */
	char latest_event[11];
	int period_end_year;
} cli_trust;

/* Replaces *c by the case with capabilities scaled by the trust scores of
 * the ledger at path (docs/ledger.md); returns an exit status. */
int cli_apply_trust(const char *cmd, pl_case **c, const char *path, double weight,
		    const char *as_of, cli_trust *info);


/* The progress bar on stderr (progress.c).  cli_progress_start before the
 * run; pass cli_progress_show and the struct as the request's progress
 * callback and context (only when stderr is a terminal); cli_progress_end
 * after it ends the line if a bar was drawn.  unit ("samples", "runs") adds
 * the count and the rate; NULL shows the time gone instead.  Nothing is drawn
 * before delay seconds. */
typedef struct cli_progress {
	struct timespec start;
	const char *unit;
	double delay;
	int rank_note; /* " (this rank)" after the count: an MPI rank's share */
	int shown;
} cli_progress;
void cli_progress_start(cli_progress *p, const char *unit, double delay);
void cli_progress_show(void *ctx, uint64_t done, uint64_t total);
void cli_progress_end(cli_progress *p);
/* One engine's provenance in a table: "ENGINE: seed S; rounds R; params
 * a=1,b=2,..." (rounds left out when 0, a static engine; params "(none)"
 * when empty), broken after a comma so no line passes 80 columns. */
void cli_print_run(FILE *f, const char *engine, uint64_t seed, int rounds, const char *params);

/* The forum with that id, or PL_NO_FORUM for "everyone" (all actors at
 * full weight); used by forecast's and feasible's zone notes. */
int cli_find_forum(const pl_case *c, const char *id, size_t *out, pl_error *err);

/* Prints a number with `decimals` places, or "-" when it is NAN. */
void cli_print_num(FILE *f, double v, int width, int decimals);

/* Text in tables is measured in terminal columns, not bytes, and cut only
 * between characters (printf's %.Ns would cut a UTF-8 character in half):
 * CJK characters take two columns, combining marks none.
 *   cli_text_fit      the number of bytes of s that fit in width columns;
 *                     *cols (if not NULL) gets the columns they take
 *   cli_text_columns  the columns s takes
 *   the _n forms      the same for the first len bytes of s
 *   cli_print_text    s cut to width columns and, when pad, padded with
 *                     spaces to width columns (left-aligned) */
size_t cli_text_fit(const char *s, size_t width, size_t *cols);
size_t cli_text_columns(const char *s);
size_t cli_text_fit_n(const char *s, size_t len, size_t width, size_t *cols);
size_t cli_text_columns_n(const char *s, size_t len);
void cli_print_text(FILE *f, const char *s, size_t width, int pad);

/* Writes text starting at column col, wrapped between words at 80 columns,
 * continuation lines indented by indent; ends the line. */
void cli_print_wrapped(FILE *f, const char *text, int col, int indent);

#endif
