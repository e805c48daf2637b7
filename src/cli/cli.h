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

struct il_text;
struct il_index;
/* The index for a command: the snapshot DB.index caught up with the store,
 * or a build from `s` when there is no usable snapshot (search.c).
 * *source says which ("snapshot" / "store"), *seq the store change it
 * reflects, *secs how long it took.  Caller closes *ix. */
int cli_get_index(struct cli *cli, const struct il_text *text, struct il_store *s,
		  struct il_index **ix, const char **source, int64_t *seq, double *secs);

/* A progress bar on stderr when it is a terminal; silent otherwise. */
void cli_progress(double fraction, size_t rows, void *label);
void cli_progress_done(void);

/* getopt_long over a command's own argv (argv[0] is the command name);
 * options and arguments may come in any order.  The body sees `c`. */
#define OPT_LOOP(longopts)                                                                         \
	optind = 0;                                                                                \
	opterr = 0;                                                                                \
	for (int c; (c = getopt_long(argc, argv, "", longopts, NULL)) != -1;)

/* innolink match and innolink learn (match.c). */
int cli_match(struct cli *cli, int argc, char **argv);
int cli_learn(struct cli *cli, int argc, char **argv);
/* `innolink chain` and `innolink indicator` (chain.c). */
int cli_chain(struct cli *cli, int argc, char **argv);
int cli_indicator(struct cli *cli, int argc, char **argv);
/* Places on chain links the records of `kinds` (bits 1u << kind; others
 * than organization, person, achievement and demand are ignored) written
 * after change `since` (what an import just wrote), recording `source`;
 * *placed gets how many.  A library code. */
int cli_chain_place_new(struct il_store *s, unsigned kinds, int64_t since, const char *source,
			size_t *placed);
/* trade.c: deals, the docking pipeline, the audit log, renewal, figures. */
int cli_deal(struct cli *cli, int argc, char **argv);
int cli_docking(struct cli *cli, int argc, char **argv);
int cli_audit(struct cli *cli, int argc, char **argv);
int cli_renew(struct cli *cli, int argc, char **argv);
int cli_figures(struct cli *cli, int argc, char **argv);
/*
 * A password from `file` (its first line), $INNOLINK_PASSWORD, or a prompt
 * without echo when standard input is a terminal.  With none of them,
 * IL_EINVAL if `required`, else IL_OK with *got false.
 */
int cli_password(const char *file, bool required, char *buf, size_t size, bool *got);
/* innolink init: makes operator `name` when the database has no account yet
 * and a password can be had; returns an exit status. */
int cli_init_operator(struct cli *cli, struct il_store *s, const char *name, const char *file);
int cli_user(struct cli *cli, int argc, char **argv);
/* innolink copy (copy.c) */
int cli_copy(struct cli *cli, int argc, char **argv);

extern const struct command cli_commands[];

#endif
