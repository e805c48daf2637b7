/*
 * chain.c - `innolink chain` (industrial chains, placements, gaps) and
 * `innolink indicator` (regional indicators and targets).
 *
 * A thin front end over innolink/chain.h: the library writes every report
 * as JSON, which --json prints as it is and the text form reads back
 * (jansson) to print a table, so the two outputs cannot disagree.
 */
#include "cli.h"

#include <getopt.h>
#include <innolink/chain.h>
#include <innolink/text.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Prints the JSON in b, or hands it parsed to `text` for the table. */
static int emit(struct cli *cli, const struct il_buf *b, void (*text)(json_t *j))
{
	json_error_t err;
	json_t *j;
	if (cli->json) {
		fputs(il_buf_cstr(b), stdout);
		return EXIT_OK;
	}
	if (!(j = json_loads(il_buf_cstr(b), 0, &err))) {
		fprintf(stderr, "innolink: internal error: report is not JSON: %s\n", err.text);
		return EXIT_FAIL;
	}
	text(j);
	json_decref(j);
	return EXIT_OK;
}

/* Reports the library's failure, or prints the report; frees b. */
static int finish(struct cli *cli, int rc, struct il_buf *b, void (*text)(json_t *j))
{
	int status = rc ? cli_fail(rc) : emit(cli, b, text);
	il_buf_release(b);
	return status;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static double jnum(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void print_chains(json_t *arr)
{
	size_t i;
	json_t *c;
	printf("%-20s %-6s %5s  %s\n", "chain 产业链", "region", "links", "name 名称");
	json_array_foreach(arr, i, c)
	{
		printf("%-20s %-6s %5zu  %s  %s\n", jstr(c, "id"), jstr(c, "region"),
		       json_array_size(json_object_get(c, "links")), jstr(c, "name_zh"),
		       jstr(c, "name_en"));
	}
}

static const char *segment_zh(const char *seg)
{
	return strcmp(seg, "upstream") == 0    ? "上游"
	       : strcmp(seg, "midstream") == 0 ? "中游"
					       : "下游";
}

static void print_tree(json_t *arr)
{
	size_t i, k;
	json_t *c, *l;
	json_array_foreach(arr, i, c)
	{
		const char *seg = "";
		printf("%s  %s  %s  (region %s)\n", jstr(c, "id"), jstr(c, "name_zh"),
		       jstr(c, "name_en"), jstr(c, "region"));
		json_array_foreach(json_object_get(c, "links"), k, l)
		{
			bool sub = json_is_string(json_object_get(l, "parent"));
			if (strcmp(seg, jstr(l, "segment")) != 0) {
				seg = jstr(l, "segment");
				printf("  %s %s\n", segment_zh(seg), seg);
			}
			printf("  %s%-20s %s  %s  [%lld placed 已归属]\n", sub ? "    " : "  ",
			       jstr(l, "id"), jstr(l, "name_zh"), jstr(l, "name_en"),
			       (long long)json_integer_value(json_object_get(l, "placed")));
		}
	}
}

static int chain_list(struct cli *cli, int argc, char **argv, bool show)
{
	static const struct option opts[] = {{"region", required_argument, NULL, 'r'},
					     {"chain", required_argument, NULL, 'c'},
					     {NULL, 0, NULL, 0}};
	struct il_buf b = IL_BUF_INIT;
	struct il_store *s;
	const char *cmd = show ? "chain show" : "chain list", *region = NULL, *chain = NULL;
	int rc;
	OPT_LOOP(opts)
	{
		if (c == 'r')
			region = optarg;
		else if (c == 'c' && !show)
			chain = optarg;
		else
			return cli_usage(cmd, "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (show && optind + 1 != argc)
		return cli_usage(cmd, "which chain? (innolink chain show ID)");
	if (!show && optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	rc = il_chain_list_json(s, show ? argv[optind] : chain, region, show, &b);
	il_store_close(s);
	return finish(cli, rc, &b, show ? print_tree : print_chains);
}

static int chain_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"demo", no_argument, NULL, 'D'}, {NULL, 0, NULL, 0}};
	struct il_store *s;
	bool demo = false;
	int rc = IL_OK;
	OPT_LOOP(opts)
	{
		if (c != 'D')
			return cli_usage("chain import", "unknown option '%s'", argv[optind - 1]);
		demo = true;
	}
	if (optind >= argc)
		return cli_usage("chain import", "which definition files? (data/chains/NAME.json)");
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	for (int i = optind; i < argc && !rc; i++) {
		struct il_import_stats st;
		if ((rc = il_chain_import(s, argv[i], demo, NULL, &st)) != IL_OK)
			break;
		if (cli->json)
			printf("{\"file\":\"%s\",\"records\":%zu,\"inserted\":%zu,\"updated\":%zu,"
			       "\"unchanged\":%zu}\n",
			       argv[i], st.rows, st.inserted, st.updated, st.unchanged);
		else
			printf("%s: %zu records: %zu new, %zu updated, %zu unchanged\n", argv[i],
			       st.rows, st.inserted, st.updated, st.unchanged);
	}
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int chain_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"out", required_argument, NULL, 'o'},
					     {NULL, 0, NULL, 0}};
	struct il_buf b = IL_BUF_INIT;
	struct il_store *s;
	const char *outp = NULL;
	FILE *f = stdout;
	int rc;
	OPT_LOOP(opts)
	{
		if (c != 'o')
			return cli_usage("chain export", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		outp = optarg;
	}
	if (optind + 1 != argc)
		return cli_usage("chain export", "which chain? (innolink chain export ID)");
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	rc = il_chain_export(s, argv[optind], &b);
	il_store_close(s);
	if (!rc && outp && !(f = fopen(outp, "w")))
		rc = il_error_set(IL_EIO, "cannot write '%s'", outp);
	if (!rc) {
		fputs(il_buf_cstr(&b), f);
		if (f != stdout && fclose(f) != 0)
			rc = il_error_set(IL_EIO, "cannot write '%s'", outp);
	}
	il_buf_release(&b);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static const char *const what_names[] = {"added", "removed", "updated"};

static void print_change(const struct il_chain_change *c, void *ctx)
{
	struct cli *cli = ctx;
	static size_t n;
	cli_progress_done();
	if (cli->json)
		printf("%s{\"change\":\"%s\",\"kind\":\"%s\",\"id\":\"%s\",\"link\":\"%s\","
		       "\"method\":\"%s\",\"confidence\":%.3f}",
		       n++ ? ",\n" : "\n", what_names[c->what], il_kind_info(c->kind)->name,
		       c->entity, c->link, c->method, c->confidence);
	else
		printf("%-8s %s %s -> %s  (%s, %.2f%s)\n", what_names[c->what],
		       il_kind_info(c->kind)->name, c->entity, c->link, c->method, c->confidence,
		       c->what == IL_CHAIN_UPDATED ? ", was" : "");
}

static void assign_progress(double fraction, size_t rows, void *ctx)
{
	(void)ctx;
	cli_progress(fraction, rows, (void *)"chain assign");
}

static int chain_assign(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"id", required_argument, NULL, 'i'},
		{"dry-run", no_argument, NULL, 'n'},
		{"min-confidence", required_argument, NULL, 'm'},
		{"max", required_argument, NULL, 'x'},
		{NULL, 0, NULL, 0},
	};
	struct il_chain_assign_opts o;
	struct il_chain_assign_stats st;
	struct il_text *text = NULL;
	struct il_store *s;
	enum il_kind k;
	char *end;
	int rc;
	memset(&o, 0, sizeof(o));
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'k':
			if (cli_kind("chain assign", optarg, &k))
				return EXIT_USAGE;
			o.kinds |= 1u << k;
			break;
		case 'i':
			o.id = optarg;
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'm':
			o.min_confidence = strtod(optarg, &end);
			if (*end || o.min_confidence <= 0 || o.min_confidence > 1)
				return cli_usage("chain assign",
						 "--min-confidence takes 0 < X <= 1");
			break;
		case 'x':
			o.max_guesses = (size_t)strtoul(optarg, &end, 10);
			if (*end || !o.max_guesses)
				return cli_usage("chain assign", "--max takes a positive number");
			break;
		default:
			return cli_usage("chain assign", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("chain assign",
				 "unexpected argument '%s' (to place by hand: "
				 "innolink chain place KIND ID LINK)",
				 argv[optind]);
	if (o.id && (!o.kinds || (o.kinds & (o.kinds - 1))))
		return cli_usage("chain assign", "--id needs one --kind");
	o.change = print_change;
	o.progress = assign_progress;
	o.ctx = cli;
	o.source = "cli:chain assign";
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	if ((rc = il_text_open(cli_data_dir(), 0, &text)) == IL_OK) {
		if (cli->json)
			printf("{\"changes\":[");
		rc = il_chain_assign(s, text, &o, &st);
		cli_progress_done();
	}
	il_text_close(text);
	il_store_close(s);
	if (rc) {
		if (cli->json)
			printf("]}\n");
		return cli_fail(rc);
	}
	if (cli->json)
		printf("],\"records\":%zu,\"manual\":%zu,\"added\":%zu,\"removed\":%zu,"
		       "\"updated\":%zu,\"unchanged\":%zu,\"dry_run\":%s}\n",
		       st.records, st.manual, st.added, st.removed, st.updated, st.unchanged,
		       o.dry_run ? "true" : "false");
	else
		printf("%s%zu records: %zu placements added, %zu removed, %zu updated, %zu "
		       "unchanged; %zu placed by hand left as they are\n"
		       "归属：新增 %zu，删除 %zu，更新 %zu，不变 %zu；人工归属 %zu 条保持不变\n",
		       o.dry_run ? "(dry run, nothing written) " : "", st.records, st.added,
		       st.removed, st.updated, st.unchanged, st.manual, st.added, st.removed,
		       st.updated, st.unchanged, st.manual);
	return EXIT_OK;
}

static int chain_place(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"remove", no_argument, NULL, 'r'},
					     {NULL, 0, NULL, 0}};
	struct il_store *s;
	bool remove = false;
	enum il_kind k;
	int rc;
	OPT_LOOP(opts)
	{
		if (c != 'r')
			return cli_usage("chain place", "unknown option '%s'", argv[optind - 1]);
		remove = true;
	}
	if (optind + 3 != argc)
		return cli_usage("chain place", "KIND ID LINK?");
	if (cli_kind("chain place", argv[optind], &k))
		return EXIT_USAGE;
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	rc = il_chain_place(s, k, argv[optind + 1], argv[optind + 2], remove, "cli:chain place");
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	if (cli->json)
		printf("{\"kind\":\"%s\",\"id\":\"%s\",\"link\":\"%s\",\"placed\":%s}\n",
		       il_kind_info(k)->name, argv[optind + 1], argv[optind + 2],
		       remove ? "false" : "true");
	else
		printf(remove ? "%s %s is no longer placed on %s by hand (人工归属已撤销)\n"
			      : "%s %s placed on %s by hand (已人工归属)\n",
		       il_kind_info(k)->name, argv[optind + 1], argv[optind + 2]);
	return EXIT_OK;
}

int cli_chain_place_new(struct il_store *s, unsigned kinds, int64_t since, const char *source,
			size_t *placed)
{
	const unsigned placeable = 1u << IL_KIND_ORGANIZATION | 1u << IL_KIND_PERSON |
				   1u << IL_KIND_ACHIEVEMENT | 1u << IL_KIND_DEMAND;
	struct il_chain_assign_opts o;
	struct il_chain_assign_stats st;
	struct il_text *text = NULL;
	size_t nlinks = 0;
	int rc;
	*placed = 0;
	if (!(kinds & placeable))
		return IL_OK;
	if ((rc = il_store_count(s, IL_KIND_LINK, &nlinks)) != IL_OK || nlinks == 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.kinds = kinds & placeable;
	o.since = since;
	o.source = source;
	if ((rc = il_text_open(cli_data_dir(), 0, &text)) == IL_OK)
		rc = il_chain_assign(s, text, &o, &st);
	il_text_close(text);
	if (!rc)
		*placed = st.records - st.manual;
	return rc;
}

static const char *class_zh(const char *cls)
{
	if (strcmp(cls, "strong") == 0)
		return "双强";
	if (strcmp(cls, "industry_only") == 0)
		return "有产业缺创新";
	if (strcmp(cls, "innovation_only") == 0)
		return "有创新缺产业";
	return "双弱";
}

static void print_gaps(json_t *arr)
{
	size_t i;
	json_t *l;
	json_t *first = json_array_get(arr, 0);
	printf("region 地区 %s, compared with %lld regions 对比地区数\n", jstr(first, "region"),
	       (long long)json_integer_value(json_object_get(first, "peers")));
	printf("%-20s %-10s %8s %8s  %-16s %s\n", "link 环节", "segment", "industry", "innov.",
	       "class 类别", "name 名称");
	json_array_foreach(arr, i, l)
	{
		printf("%-20s %-10s %8.2f %8.2f  %-16s %s%s\n", jstr(l, "link"), jstr(l, "segment"),
		       jnum(l, "industrial_strength"), jnum(l, "innovation_strength"),
		       jstr(l, "class"), json_is_string(json_object_get(l, "parent")) ? "  " : "",
		       jstr(l, "name_zh"));
	}
	printf("strength: the link's weighted count over the peers' average (1.00 = average); "
	       "强度：相对对比地区平均值\n");
}

static void print_list(json_t *r, const char *key, const char *title)
{
	size_t i;
	json_t *e;
	printf("%s:\n", title);
	if (!json_array_size(json_object_get(r, key)))
		printf("  (none 无)\n");
	json_array_foreach(json_object_get(r, key), i, e)
	{
		printf("  %-22s %-6s %.2f  %s\n", jstr(e, "id"), jstr(e, "region"),
		       jnum(e, "confidence"), jstr(e, "name"));
	}
}

static void print_report(json_t *r)
{
	size_t i;
	json_t *m;
	printf("%s  %s  %s — region 地区 %s: %s (%s)\n", jstr(r, "link"), jstr(r, "name_zh"),
	       jstr(r, "name_en"), jstr(r, "region"), jstr(r, "class"), class_zh(jstr(r, "class")));
	printf("lacks 短板:");
	json_array_foreach(json_object_get(r, "lacks"), i, m)
	{
		printf(" %s (%g vs %.2f)", jstr(m, "measure"), jnum(m, "here"),
		       jnum(m, "peer_average"));
	}
	printf("\n");
	print_list(r, "local_enterprises", "local enterprises 本地企业");
	print_list(r, "experts", "experts 专家");
	print_list(r, "laboratories", "laboratories and R&D institutions 实验室与研发机构");
	print_list(r, "achievements", "achievements 科技成果");
	print_list(r, "enterprises_to_attract", "enterprises to attract 招商对象");
}

static int chain_gaps(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"chain", required_argument, NULL, 'c'},
		{"link", required_argument, NULL, 'l'},
		{"limit", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct il_buf b = IL_BUF_INIT;
	struct il_store *s;
	const char *region = NULL, *chain = NULL, *link = NULL;
	size_t limit = 10;
	char *end;
	int rc;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'r':
			region = optarg;
			break;
		case 'c':
			chain = optarg;
			break;
		case 'l':
			link = optarg;
			break;
		case 'n':
			limit = (size_t)strtoul(optarg, &end, 10);
			if (*end || !limit)
				return cli_usage("chain gaps", "--limit takes a positive number");
			break;
		default:
			return cli_usage("chain gaps", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("chain gaps", "unexpected argument '%s'", argv[optind]);
	if (!region)
		return cli_usage("chain gaps", "which region? (--region CODE, e.g. 4210)");
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if (link) {
		rc = il_chain_link_report_json(s, region, link, limit, &b);
	} else {
		struct il_chain_gaps g;
		if ((rc = il_chain_gaps(s, region, chain, &g)) == IL_OK) {
			rc = il_chain_gaps_json(&g, &b);
			il_chain_gaps_release(&g);
		}
	}
	il_store_close(s);
	return finish(cli, rc, &b, link ? print_report : print_gaps);
}

int cli_chain(struct cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (strcmp(sub, "list") == 0)
		return chain_list(cli, argc - 1, argv + 1, false);
	if (strcmp(sub, "show") == 0)
		return chain_list(cli, argc - 1, argv + 1, true);
	if (strcmp(sub, "import") == 0)
		return chain_import(cli, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return chain_export(cli, argc - 1, argv + 1);
	if (strcmp(sub, "assign") == 0)
		return chain_assign(cli, argc - 1, argv + 1);
	if (strcmp(sub, "place") == 0)
		return chain_place(cli, argc - 1, argv + 1);
	if (strcmp(sub, "gaps") == 0)
		return chain_gaps(cli, argc - 1, argv + 1);
	return cli_usage("chain", "list, show, import, export, assign, place or gaps?");
}

static void print_reject(const char *where, const char *why, void *ctx)
{
	(void)ctx;
	cli_progress_done();
	fprintf(stderr, "%s: %s\n", where, why);
}

static int indicator_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"skip-invalid", no_argument, NULL, 'S'},
		{"dry-run", no_argument, NULL, 'n'},
		{"sheet", required_argument, NULL, 's'},
		{"encoding", required_argument, NULL, 'e'},
		{NULL, 0, NULL, 0},
	};
	struct il_import_opts o;
	struct il_import_stats st;
	struct il_store *s;
	char rejects[4096];
	int rc;
	memset(&o, 0, sizeof(o));
	o.kind = IL_KIND_INDICATOR;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'S':
			o.flags |= IL_IMPORT_SKIP_INVALID;
			break;
		case 'n':
			o.flags |= IL_IMPORT_DRY_RUN;
			break;
		case 's':
			o.sheet = optarg;
			break;
		case 'e':
			o.encoding = optarg;
			break;
		default:
			return cli_usage("indicator import", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("indicator import", "one CSV or XLSX file, please");
	if (o.flags & IL_IMPORT_SKIP_INVALID) {
		snprintf(rejects, sizeof(rejects), "%s.rejects.csv", argv[optind]);
		o.rejects = rejects;
	}
	o.reject = print_reject;
	o.progress = cli_progress;
	o.ctx = (void *)"indicator import";
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	rc = il_import_file(s, argv[optind], &o, &st);
	cli_progress_done();
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	if (cli->json)
		printf("{\"rows\":%zu,\"inserted\":%zu,\"updated\":%zu,\"unchanged\":%zu,"
		       "\"rejected\":%zu,\"committed\":%s}\n",
		       st.rows, st.inserted, st.updated, st.unchanged, st.rejected,
		       (o.flags & IL_IMPORT_DRY_RUN) ? "false" : "true");
	else
		printf("%s%s: %zu rows: %zu new, %zu updated, %zu unchanged, %zu rejected "
		       "(指标导入)\n",
		       (o.flags & IL_IMPORT_DRY_RUN) ? "checked (nothing written) " : "imported ",
		       argv[optind], st.rows, st.inserted, st.updated, st.unchanged, st.rejected);
	return EXIT_OK;
}

static void print_series(json_t *arr)
{
	size_t i, k;
	json_t *s, *p;
	json_array_foreach(arr, i, s)
	{
		printf("%-6s %-34s %s / %s (%s)\n", jstr(s, "region"), jstr(s, "name"),
		       jstr(s, "label_zh"), jstr(s, "label_en"), jstr(s, "unit"));
		json_array_foreach(json_object_get(s, "points"), k, p)
		{
			json_t *v = json_object_get(p, "value"), *t = json_object_get(p, "target");
			printf("         %-8s", jstr(p, "period"));
			if (json_is_number(v))
				printf(" %12g", json_number_value(v));
			else
				printf(" %12s", "-");
			if (json_is_number(t))
				printf("  target 目标 %g", json_number_value(t));
			if (strcmp(jstr(p, "source"), "computed") == 0)
				printf("  (computed from the platform's records 平台数据计算)");
			printf("\n");
		}
	}
}

static void print_targets(json_t *arr)
{
	size_t i;
	json_t *t;
	printf("%-6s %-30s %10s %-8s %10s %-8s %9s\n", "region", "indicator 指标", "latest",
	       "period", "target", "by", "progress");
	json_array_foreach(arr, i, t)
	{
		json_t *p = json_object_get(t, "progress"), *l = json_object_get(t, "latest");
		printf("%-6s %-30s ", jstr(t, "region"), jstr(t, "name"));
		if (json_is_number(l))
			printf("%10g %-8s", json_number_value(l), jstr(t, "latest_period"));
		else
			printf("%10s %-8s", "-", "");
		printf(" %10g %-8s", jnum(t, "target"), jstr(t, "target_period"));
		if (json_is_number(p))
			printf(" %8.1f%%\n", 100 * json_number_value(p));
		else
			printf(" %9s\n", "no figure 无数据");
	}
}

static int indicator_show(struct cli *cli, int argc, char **argv, bool targets)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"name", required_argument, NULL, 'N'},
		{"no-computed", no_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	const char *cmd = targets ? "indicator targets" : "indicator show";
	struct il_buf b = IL_BUF_INIT;
	struct il_store *s;
	const char *region = NULL, *name = NULL;
	bool computed = true;
	int rc;
	OPT_LOOP(opts)
	{
		if (c == 'r')
			region = optarg;
		else if (c == 'N' && !targets)
			name = optarg;
		else if (c == 'C' && !targets)
			computed = false;
		else
			return cli_usage(cmd, "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	rc = targets ? il_indicator_targets_json(s, region, &b)
		     : il_indicator_series_json(s, region, name, computed, &b);
	il_store_close(s);
	return finish(cli, rc, &b, targets ? print_targets : print_series);
}

int cli_indicator(struct cli *cli, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	if (strcmp(sub, "import") == 0)
		return indicator_import(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") == 0)
		return indicator_show(cli, argc - 1, argv + 1, false);
	if (strcmp(sub, "targets") == 0)
		return indicator_show(cli, argc - 1, argv + 1, true);
	return cli_usage("indicator", "import, show or targets?");
}
