/*
 * cli.h - what the files of the innolink command share.
 *
 * The command is a thin front end: it parses arguments, calls the library's
 * public API and prints.  Exit status: 0 success, 1 failure, 2 usage error;
 * every error is one line on stderr that says what and where.
 */
#ifndef IL_CLI_H
#define IL_CLI_H

#include <innolink/base.h>
#include <innolink/io.h>
#include <innolink/model.h>
#include <innolink/store.h>

#include <getopt.h>
#include <stdbool.h>

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Options every command takes. */
struct cli {
	const char *db; /* --db, $INNOLINK_DB, or ./innolink.db */
	bool json; /* --json */
	const char *prog; /* "innolink" */
};

struct command {
	const char *name;
	const char *summary;
	const char *usage; /* full --help text */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* Prints "innolink: <detail of code>" and returns EXIT_FAIL. */
int cli_fail(int code);
/* Prints "innolink CMD: <message>" and a pointer to --help; returns EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) IL_PRINTF(2, 3);
/* Opens the store named by --db with the given flags, printing any error. */
int cli_open(struct cli *cli, unsigned flags, struct il_store **out);
/* Parses a kind name or prints a usage error. */
int cli_kind(const char *cmd, const char *name, enum il_kind *out);
/* Where the bundled data lives: $INNOLINK_DATA, the source tree, or the
 * installed share directory. */
const char *cli_data_dir(void);
const char *cli_web_dir(void);

/* A progress bar on stderr when it is a terminal; silent otherwise. */
void cli_progress(double fraction, size_t rows, void *label);
void cli_progress_done(void);

/* getopt_long over a command's own argv (argv[0] is the command name);
 * options and arguments may come in any order.  The body sees `c`. */
#define OPT_LOOP(longopts)                                                      \
	optind = 0;                                                             \
	opterr = 0;                                                             \
	for (int c; (c = getopt_long(argc, argv, "", longopts, NULL)) != -1;)

/* innolink copy (copy.c) */
int cli_copy(struct cli *cli, int argc, char **argv);

extern const struct command cli_commands[];

#endif
