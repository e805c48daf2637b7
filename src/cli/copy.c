/*
 * copy.c - `innolink copy`: moves a whole database from one back end to
 * another (SQLite to PostgreSQL when a deployment outgrows one file, and
 * back), through il_store_copy().
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_copy(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL;
	struct il_store *src = NULL, *dst = NULL;
	size_t rows = 0;
	int rc;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		default:
			return cli_usage("copy", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("copy", "unexpected argument '%s'", argv[optind]);
	if (!from)
		from = cli->db;
	if (!to)
		return cli_usage("copy", "--to is required");
	if (strcmp(from, to) == 0)
		return cli_usage("copy", "--from and --to name the same database '%s'", from);
	if ((rc = il_store_open(from, 0, &src)) != IL_OK ||
	    (rc = il_store_open(to, IL_STORE_CREATE, &dst)) != IL_OK) {
		il_store_close(src);
		return cli_fail(rc);
	}
	rc = il_store_copy(src, dst, cli_progress, "copy", &rows);
	cli_progress_done();
	if (!rc) {
		if (cli->json)
			printf("{\"rows\":%zu,\"from\":\"%s\",\"to\":\"%s\"}\n", rows,
			       il_store_backend(src), il_store_backend(dst));
		else
			printf("copied %zu rows from %s (%s) to %s (%s)\n", rows, from,
			       il_store_backend(src), to, il_store_backend(dst));
	}
	il_store_close(src);
	il_store_close(dst);
	return rc ? cli_fail(rc) : EXIT_OK;
}
