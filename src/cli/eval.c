/*
 * eval.c - `innolink eval`: the retrieval quality of the index on a data
 * set in the BEIR layout, measured as trec_eval measures it.
 *
 * The corpus goes into an in-memory index (no database is opened), every
 * judged query is run as an OR query for the top 1000, and the means of
 * ndcg@10, recall@100 and mrr@10 are printed; --run also writes the TREC
 * run file, which trec_eval scores to the same numbers.  The work is the
 * library's (innolink/eval.h); this file parses options and prints.
 */
#include "cli.h"

#include <getopt.h>
#include <innolink/eval.h>
#include <innolink/index.h>
#include <innolink/text.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_eval(struct cli *cli, int argc, char **argv);

static int parse_real(const char *opt, const char *v, double lo, double hi, float *out)
{
	char *end;
	double d = strtod(v, &end);
	if (*v == '\0' || *end || !isfinite(d) || d < lo || d > hi)
		return cli_usage("eval", "%s takes a number from %g to %g, not '%s'", opt, lo, hi,
				 v);
	*out = (float)d;
	return EXIT_OK;
}

int cli_eval(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"corpus", required_argument, NULL, 'c'}, {"queries", required_argument, NULL, 'q'},
		{"qrels", required_argument, NULL, 'r'},  {"lang", required_argument, NULL, 'l'},
		{"k1", required_argument, NULL, 'k'},     {"b", required_argument, NULL, 'b'},
		{"run", required_argument, NULL, 'o'},    {"expand", no_argument, NULL, 'e'},
		{"no-expand", no_argument, NULL, 'E'},    {NULL, 0, NULL, 0},
	};
	const char *corpus = NULL, *queries = NULL, *qrels = NULL, *runfile = NULL;
	const char *lang = "en";
	int expand = -1; /* -1: what the language implies */
	struct il_index_config cfg;
	struct il_eval_opts eo;
	struct il_eval_set set;
	struct il_eval_measures m;
	struct il_text *text = NULL;
	struct il_index *ix = NULL;
	struct il_eval_run *run = NULL;
	size_t ndocs = 0;
	int rc;

	il_index_config_init(&cfg);
	il_eval_opts_init(&eo);
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'c':
			corpus = optarg;
			break;
		case 'q':
			queries = optarg;
			break;
		case 'r':
			qrels = optarg;
			break;
		case 'l':
			if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh") != 0)
				return cli_usage("eval", "--lang takes en or zh, not '%s'", optarg);
			lang = optarg;
			break;
		case 'k':
			if (parse_real("--k1", optarg, 0, 100, &cfg.k1))
				return EXIT_USAGE;
			break;
		case 'b':
			if (parse_real("--b", optarg, 0, 1, &cfg.b))
				return EXIT_USAGE;
			break;
		case 'o':
			runfile = optarg;
			break;
		case 'e':
			expand = 1;
			break;
		case 'E':
			expand = 0;
			break;
		default:
			return cli_usage("eval", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("eval", "unexpected argument '%s'", argv[optind]);
	if (!corpus || !queries || !qrels)
		return cli_usage("eval", "--corpus, --queries and --qrels are all required");
	/* a Chinese set is expected to reach English text through the glossary;
	 * an English one is measured on its own words unless asked */
	eo.expand = expand < 0 ? strcmp(lang, "zh") == 0 : expand == 1;

	if ((rc = il_eval_set_load(&set, queries, qrels)) != IL_OK) {
		il_eval_set_release(&set);
		return cli_fail(rc);
	}
	if ((rc = il_text_open(cli_data_dir(), eo.expand ? 0 : IL_TEXT_NO_GLOSSARY, &text)) ||
	    (rc = il_index_open(text, &cfg, &ix)) ||
	    (rc = il_eval_index_corpus(ix, corpus, &ndocs)) || (rc = il_eval_run_open(&run)) ||
	    (rc = il_eval_search(ix, &set, &eo, run)) || (rc = il_eval_score(&set, run, &m)) ||
	    (runfile && (rc = il_eval_run_write(run, runfile, "innolink"))))
		goto done;
	if (set.nmissing)
		fprintf(stderr,
			"innolink eval: %zu judged queries are not in %s; they count as "
			"finding nothing\n",
			set.nmissing, queries);
	if (cli->json)
		printf("{\"ndcg@10\":%.6f,\"recall@100\":%.6f,\"mrr@10\":%.6f,\"queries\":%zu,"
		       "\"skipped\":%zu,\"missing\":%zu,\"documents\":%zu,\"judgments\":%zu}\n",
		       m.ndcg10, m.recall100, m.mrr10, set.ntopics, set.nskipped, set.nmissing,
		       ndocs, set.nqrels);
	else
		printf("ndcg@10=%.4f recall@100=%.4f mrr@10=%.4f\n"
		       "%zu queries evaluated (%zu without a relevant document skipped), "
		       "%zu documents\n",
		       m.ndcg10, m.recall100, m.mrr10, set.ntopics, set.nskipped, ndocs);
done:
	il_eval_run_close(run);
	il_index_close(ix);
	il_text_close(text);
	il_eval_set_release(&set);
	return rc ? cli_fail(rc) : EXIT_OK;
}
