/*
 * main.c - the innolink command: global options, dispatch, shared helpers.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef IL_VERSION
#define IL_VERSION "0.0.0"
#endif

int cli_fail(int code)
{
	fprintf(stderr, "innolink: %s\n", il_error_detail(code));
	return EXIT_FAIL;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "innolink %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'innolink %s --help'.\n", cmd);
	return EXIT_USAGE;
}

int cli_open(struct cli *cli, unsigned flags, struct il_store **out)
{
	int rc = il_store_open(cli->db, flags, out);
	if (rc)
		cli_fail(rc);
	return rc;
}

int cli_kind(const char *cmd, const char *name, enum il_kind *out)
{
	if (!name)
		return cli_usage(cmd, "--kind is required");
	if (il_kind_parse(name, out) != IL_OK) {
		struct il_buf kinds = IL_BUF_INIT;
		for (int k = 0; k < IL_KIND__COUNT; k++)
			il_buf_addf(&kinds, "%s%s", k ? ", " : "",
				    il_kind_info((enum il_kind)k)->name);
		cli_usage(cmd, "unknown kind '%s' (one of: %s)", name, il_buf_cstr(&kinds));
		il_buf_release(&kinds);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* <prefix>/share/innolink[/sub] when this binary runs from <prefix>/bin, so
 * an installed innolink uses its installed data even if moved elsewhere. */
static const char *installed_dir(const char *sub)
{
	static char path[2][4096];
	char exe[4096];
	char *slash;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return NULL;
	*slash = '\0';
	if (!(slash = strrchr(exe, '/')) || strcmp(slash, "/bin") != 0)
		return NULL;
	*slash = '\0';
	char *out = path[sub != NULL];
	snprintf(out, sizeof(path[0]), "%s/share/innolink%s%s", exe, sub ? "/" : "",
		 sub ? sub : "");
	return is_dir(out) ? out : NULL;
}

const char *cli_data_dir(void)
{
	const char *env = getenv("INNOLINK_DATA"), *inst;
	if (env && *env)
		return env;
	if ((inst = installed_dir(NULL)) != NULL)
		return inst;
#ifdef IL_DATADIR_SOURCE
	if (is_dir(IL_DATADIR_SOURCE "/demo"))
		return IL_DATADIR_SOURCE;
#endif
#ifdef IL_DATADIR_INSTALLED
	return IL_DATADIR_INSTALLED;
#else
	return "data";
#endif
}

const char *cli_web_dir(void)
{
	const char *env = getenv("INNOLINK_WEB"), *inst;
	if (env && *env)
		return env;
	if ((inst = installed_dir("web")) != NULL)
		return inst;
#ifdef IL_WEBDIR_SOURCE
	if (is_dir(IL_WEBDIR_SOURCE))
		return IL_WEBDIR_SOURCE;
#endif
#ifdef IL_WEBDIR_INSTALLED
	return IL_WEBDIR_INSTALLED;
#else
	return "web";
#endif
}

static bool progress_shown;
static int last_percent = -1;
static size_t last_rows;

void cli_progress(double fraction, size_t rows, void *label)
{
	static int tty = -1;
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty)
		return;
	/* redraw when the percentage moves (or a slow file has read many rows
	 * since), not on every batch: a terminal is slower than an import */
	int percent = (int)(fraction * 100 + 0.5);
	if (percent == last_percent && rows - last_rows < 100000 && rows >= last_rows)
		return;
	last_percent = percent;
	last_rows = rows;
	int width = 30, filled = (int)(fraction * width + 0.5);
	if (filled > width)
		filled = width;
	fprintf(stderr, "\r%-12.12s [", label ? (const char *)label : "");
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %3d%%  %zu rows", percent, rows);
	fflush(stderr);
	progress_shown = true;
}

void cli_progress_done(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
	last_percent = -1;
	last_rows = 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: innolink [--db PATH] COMMAND [options]\n\n"
		     "innolink - technology service and trading platform\n"
		     "科技服务与交易平台: 汇聚创新资源, 对接技术需求\n\n"
		     "Commands:\n");
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out, "\nCommon options:\n"
		     "  --db PATH   database (default $INNOLINK_DB or ./innolink.db)\n"
		     "  --json      machine-readable output\n"
		     "  --help      help for a command: innolink COMMAND --help\n\n"
		     "Exit status: 0 success, 1 failure, 2 usage error.\n");
}

/* Takes --db and --json out of argv wherever they stand, so that
 * "innolink --db x list" and "innolink list --db x" mean the same. */
static int take_common(struct cli *cli, int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--db") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "innolink: --db needs a path\n");
				return EXIT_USAGE;
			}
			cli->db = argv[++i];
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli->db = argv[i] + 5;
		} else if (strcmp(argv[i], "--json") == 0) {
			cli->json = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli cli = {NULL, false, "innolink"};
	const char *env = getenv("INNOLINK_DB");
	cli.db = env && *env ? env : "innolink.db";
	if (take_common(&cli, &argc, argv))
		return EXIT_USAGE;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2)
			for (const struct command *c = cli_commands; c->name; c++)
				if (strcmp(c->name, argv[2]) == 0) {
					fputs(c->usage, stdout);
					return EXIT_OK;
				}
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0)
		argv[1] = "version";
	for (const struct command *c = cli_commands; c->name; c++) {
		if (strcmp(c->name, argv[1]) != 0)
			continue;
		for (int i = 2; i < argc; i++)
			if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
				fputs(c->usage, stdout);
				return EXIT_OK;
			}
		return c->run(&cli, argc - 1, argv + 1);
	}
	fprintf(stderr, "innolink: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
