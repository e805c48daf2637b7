/*
 * serve.c - `innolink serve`: checks the database, then hands over to the
 * HTTP server (which loads or builds the search index with the bundled
 * text data) until SIGINT or SIGTERM.
 */
#include "cli.h"
#include <arpa/inet.h>

#include <getopt.h>
#include <innolink/http.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_serve(struct cli *cli, int argc, char **argv);

int cli_serve(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'},
		{"rate-limit", required_argument, NULL, 'r'},
		{"listing-days", required_argument, NULL, 'd'},
		{"trusted-proxy", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	struct il_http_config cfg;
	struct il_store *s;
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen = "127.0.0.1:8080";
	cfg.web_root = cli_web_dir();
	cfg.data_dir = cli_data_dir();
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'l':
			cfg.listen = optarg;
			break;
		case 'w':
			cfg.web_root = optarg;
			break;
		case 't': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				return cli_usage("serve", "--threads takes 1..256, not '%s'",
						 optarg);
			cfg.threads = (unsigned)n;
			break;
		}
		case 'p': {
			unsigned char bin[16];
			if (inet_pton(AF_INET, optarg, bin) != 1 &&
			    inet_pton(AF_INET6, optarg, bin) != 1)
				return cli_usage("serve",
						 "--trusted-proxy takes an IP address, not '%s'",
						 optarg);
			cfg.trusted_proxy = optarg;
			break;
		}
		case 'd': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || n < 1 || n > 36500)
				return cli_usage("serve", "--listing-days takes 1..36500, not '%s'",
						 optarg);
			cfg.listing_days = (unsigned)n;
			break;
		}
		case 'r': {
			unsigned long r, w;
			char tail;
			if (sscanf(optarg, "%lu,%lu%c", &r, &w, &tail) != 2 || r < 1 || w < 1 ||
			    r > 1000000 || w > 1000000)
				return cli_usage("serve",
						 "--rate-limit takes READS,WRITES a second, "
						 "each 1..1000000, not '%s'",
						 optarg);
			cfg.rate_read = (unsigned)r;
			cfg.rate_write = (unsigned)w;
			break;
		}
		default:
			return cli_usage("serve", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	/* fail now, with a clear message, rather than on the first request */
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	il_store_close(s);
	cfg.db = cli->db;
	int rc = il_http_serve(&cfg);
	return rc ? cli_fail(rc) : EXIT_OK;
}
