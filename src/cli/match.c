/*
 * match.c - `innolink match` (demand, achievement, person, free text;
 * feedback) and `innolink learn`: supply-demand matching from the command
 * line, over the library's include/innolink/match.h.
 *
 * The scoring configuration is DB.weights beside the database when it
 * exists (what `innolink learn` writes), else the bundled
 * data/match/weights.conf, or --weights FILE.  The command line is an
 * operator's view (it holds the database) unless --as ORG names the
 * organization asking, which then sees what that organization may.
 *
 * Depends on: the public headers (match, index, text, store).
 */
#include "cli.h"

#include <getopt.h>
#include <innolink/index.h>
#include <innolink/match.h>
#include <innolink/text.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct env {
	struct il_store *s;
	struct il_text *text;
	struct il_index *ix;
	struct il_match *m;
	struct il_match_config cfg;
	char weights[4200];
};

static void weights_path(const struct cli *cli, const char *given, char *out, size_t size)
{
	struct stat st;
	if (given) {
		snprintf(out, size, "%s", given);
		return;
	}
	snprintf(out, size, "%s.weights", cli->db);
	if (stat(out, &st) != 0)
		snprintf(out, size, "%s/match/weights.conf", cli_data_dir());
}

/* Store, analyzer, index, configuration and matcher for a command. */
static int env_open(struct cli *cli, const char *weights, unsigned flags, struct env *e)
{
	const char *source;
	int64_t seq;
	double secs;
	int rc;
	memset(e, 0, sizeof(*e));
	il_match_config_init(&e->cfg);
	weights_path(cli, weights, e->weights, sizeof(e->weights));
	if ((rc = il_match_config_load(&e->cfg, e->weights)) != IL_OK)
		return rc;
	if ((rc = il_store_open(cli->db, flags, &e->s)) != IL_OK) {
		il_error_prefix("%s", cli->db);
		return rc;
	}
	if ((rc = il_text_open(cli_data_dir(), 0, &e->text)) != IL_OK ||
	    (rc = cli_get_index(cli, e->text, e->s, &e->ix, &source, &seq, &secs)) != IL_OK)
		return rc;
	return il_match_open(e->s, e->ix, e->text, &e->cfg, &e->m);
}

static void env_close(struct env *e)
{
	il_match_close(e->m);
	il_index_close(e->ix);
	il_text_close(e->text);
	il_store_close(e->s);
}

static const char *field_name(enum il_ifield f)
{
	static const char *const names[IL_IF__COUNT] = {"title", "keywords", "body", "names"};
	return (unsigned)f < IL_IF__COUNT ? names[f] : "?";
}

/* The snippet with its highlights in bold on a terminal, else in 【】. */
static void print_snippet(const struct il_match_reason *x, bool tty)
{
	size_t at = 0, len = strlen(x->snippet);
	for (size_t i = 0; i < x->nhighlights; i++) {
		size_t a = x->highlights[2 * i], b = x->highlights[2 * i + 1];
		if (a < at || b > len || a > b)
			continue;
		printf("%.*s%s%.*s%s", (int)(a - at), x->snippet + at, tty ? "\033[1m" : "【",
		       (int)(b - a), x->snippet + a, tty ? "\033[0m" : "】");
		at = b;
	}
	printf("%s", x->snippet + at);
}

static void print_reason(const struct il_match_reason *x, bool tty)
{
	static const char *const rel_zh[] = {"elsewhere", "外地",      "same_province",
					     "同省",      "same_city", "同城"};
	printf("      %-10s ", il_reason_type_name(x->type));
	switch (x->type) {
	case IL_REASON_TERM:
		printf("%s (%s%s%s%s) %.2f", x->term, field_name(x->field),
		       x->from ? ", 译自 from " : "", x->from ? x->from : "",
		       x->ref_id ? ", in " : "", x->value);
		if (x->ref_id)
			printf(" [%s]", x->ref_id);
		if (x->snippet) {
			printf("\n                 ");
			print_snippet(x, tty);
		}
		break;
	case IL_REASON_EVIDENCE:
		printf("%s %s %.2f  %s", x->ref_kind, x->ref_id, x->value,
		       x->ref_name ? x->ref_name : "");
		break;
	case IL_REASON_CHAIN_LINK:
		if (x->ref_id)
			printf("产业链环节 link %s %s (%s)", x->ref_id,
			       x->ref_name ? x->ref_name : "", x->detail ? x->detail : "");
		else
			printf("行业代码 industry code %s", x->detail ? x->detail : "");
		break;
	case IL_REASON_REGION:
		for (size_t i = 0; i < 6; i += 2)
			if (strcmp(x->relation, rel_zh[i]) == 0)
				printf("%s %s", rel_zh[i + 1], x->relation);
		printf(": %s %s (from %s)", x->ref_id, x->ref_name ? x->ref_name : "",
		       x->detail ? x->detail : "?");
		break;
	case IL_REASON_MATURITY:
		printf("成熟度 TRL %.0f, needed 需要 %.0f: fit %.2f", x->a, x->b, x->value);
		break;
	case IL_REASON_BUDGET:
		if (x->a < 0)
			printf("价格面议 price negotiable, budget 预算 %g 万元", x->b);
		else if (x->b < 0)
			printf("price 价格 %g 万元, no budget 未列预算", x->a);
		else
			printf("price 价格 %g 万元, budget 预算 %g 万元: fit %.2f", x->a, x->b,
			       x->value);
		break;
	case IL_REASON_FRESHNESS:
		printf("published 发布 %s: %.2f", x->detail, x->value);
		break;
	case IL_REASON_FEEDBACK:
		if (strcmp(x->relation, "others") == 0)
			printf("反馈 feedback from %.0f other source(s): %.2f", x->a, x->value);
		else
			printf("反馈 %s by %s at %s: %.2f", x->relation,
			       x->detail ? x->detail : "?", x->ref_name ? x->ref_name : "?",
			       x->value);
		break;
	}
	printf("\n");
}

static void print_result(const struct il_match_result *x, size_t rank, bool kind, bool explain,
			 bool tty)
{
	printf("%3zu. ", rank);
	if (kind)
		printf("%-12s ", il_match_kind_name(x->kind));
	printf("%7.3f  %s", x->score, x->id);
	printf("  %s", x->title ? x->title : "");
	if (x->subkind || x->owner)
		printf("  (%s%s%s)", x->subkind ? x->subkind : "",
		       x->subkind && x->owner ? ", " : "", x->owner ? x->owner : "");
	printf("\n");
	if (!explain)
		return;
	printf("      score =");
	for (unsigned k = 0; k < IL_MC__COUNT; k++)
		if (x->part[k] != 0)
			printf(" %s%s %.3f", k ? "+ " : "",
			       il_match_comp_name((enum il_match_comp)k), x->part[k]);
	printf("\n");
	for (size_t i = 0; i < x->nreasons; i++)
		print_reason(&x->reasons[i], tty);
}

static void print_answer(const struct il_match_answer *a, bool explain)
{
	static const char *const zh[IL_MATCH__COUNT] = {"成果",     "专家", "机构",
							"服务机构", "企业", "需求"};
	bool tty = isatty(STDOUT_FILENO);
	int kinds = 0;
	if (a->from_id)
		printf("match for %s %s %s (%.1f ms)\n", il_kind_info(a->from_kind)->name,
		       a->from_id, a->from_title ? a->from_title : "", a->ms);
	else
		printf("match for the text (%.1f ms)\n", a->ms);
	for (unsigned k = 0; k < IL_MATCH__COUNT; k++)
		kinds += a->count[k] > 0;
	if (a->nresults == 0) {
		printf("no matches 无匹配结果\n");
		return;
	}
	if (kinds > 1) {
		printf("\nbest next steps 推荐对接:\n");
		for (size_t i = 0; i < a->nresults && i < 5; i++)
			print_result(a->best[i], i + 1, true, false, tty);
	}
	for (unsigned k = 0, at = 0; k < IL_MATCH__COUNT; at += (unsigned)a->count[k], k++) {
		if (!a->count[k])
			continue;
		printf("\n%s %s:\n", il_match_kind_name((enum il_match_kind)k), zh[k]);
		for (size_t i = 0; i < a->count[k]; i++)
			print_result(&a->results[at + i], i + 1, false, explain, tty);
	}
}

static int parse_kinds(const char *arg, unsigned *out)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum il_match_kind k;
		if (strcmp(tok, "all") == 0) {
			*out = 0;
			return IL_OK;
		}
		if (il_match_kind_parse(tok, &k) != IL_OK)
			return cli_usage("match",
					 "--kind: achievement, expert, institution, agency, "
					 "enterprise, demand or all, not '%s'",
					 tok);
		*out |= 1u << k;
	}
	return IL_OK;
}

struct match_opts {
	struct il_match_query q;
	bool explain;
	const char *weights;
};

static int parse_match_opts(int argc, char **argv, struct match_opts *o)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"top", required_argument, NULL, 'n'},
		{"region", required_argument, NULL, 'r'},
		{"explain", no_argument, NULL, 'x'},
		{"as", required_argument, NULL, 'a'},
		{"weights", required_argument, NULL, 'w'},
		{NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof(*o));
	il_match_query_init(&o->q);
	o->q.operator_view = true;
	o->explain = false;
	o->weights = NULL;
	OPT_LOOP(opts)
	{
		char *end;
		long n;
		switch (c) {
		case 'k':
			if (parse_kinds(optarg, &o->q.kinds))
				return EXIT_USAGE;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || n < 1 || n > 1000)
				return cli_usage("match", "--top takes 1..1000, not '%s'", optarg);
			o->q.top = (size_t)n;
			break;
		case 'r':
			o->q.region = optarg;
			break;
		case 'x':
			o->explain = true;
			break;
		case 'a':
			o->q.viewer = optarg;
			o->q.operator_view = false;
			break;
		case 'w':
			o->weights = optarg;
			break;
		default:
			return cli_usage("match", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	return EXIT_OK;
}

static int count_feedback(const struct il_feedback *f, void *ctx)
{
	(void)f;
	++*(size_t *)ctx;
	return IL_OK;
}

/* Under the lists: how much feedback the source has, and where to see it. */
static int print_feedback_note(struct env *e, const struct il_match_query *q)
{
	size_t n = 0;
	if (q->from_kind == IL_KIND__COUNT)
		return IL_OK;
	int rc = il_match_feedback_list(e->s, q->from_kind, q->from_id, true, count_feedback, &n);
	if (!rc && n)
		printf("\n%zu feedback entries 条反馈 on this %s: innolink match feedback %s %s\n",
		       n, il_kind_info(q->from_kind)->name, il_kind_info(q->from_kind)->name,
		       q->from_id);
	return rc;
}

static int run_match(struct cli *cli, struct match_opts *o)
{
	struct env e;
	struct il_arena arena;
	struct il_match_answer a;
	struct il_buf out = IL_BUF_INIT;
	int rc = env_open(cli, o->weights, IL_STORE_READONLY, &e);
	if (rc) {
		env_close(&e);
		return cli_fail(rc);
	}
	il_arena_init(&arena, 0, 0);
	rc = il_match_run(e.m, &o->q, &arena, &a);
	if (!rc && cli->json) {
		rc = il_match_to_json(e.m, &a,
				      o->q.kinds && !(o->q.kinds & (o->q.kinds - 1))
					      ? 0
					      : IL_MATCH_JSON_BEST,
				      &out);
		if (!rc)
			printf("%s\n", il_buf_cstr(&out));
	} else if (!rc) {
		print_answer(&a, o->explain);
		rc = print_feedback_note(&e, &o->q);
	}
	il_buf_release(&out);
	il_arena_release(&arena);
	env_close(&e);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int print_feedback(const struct il_feedback *f, void *ctx)
{
	(void)ctx;
	printf("%s  %-9s %-14s %-11s %-10s by %s\n", f->at, il_kind_info(f->to_kind)->name,
	       f->to_id, il_feedback_name(f->action), f->id, f->who);
	return IL_OK;
}

static int feedback_json(const struct il_feedback *f, void *ctx)
{
	struct il_buf *b = ctx;
	int rc = il_buf_adds(b, b->len > 1 ? ",{\"id\":" : "{\"id\":");
	if (!rc)
		rc = il_json_string(b, f->id, strlen(f->id));
	if (!rc)
		rc = il_buf_addf(b,
				 ",\"to_kind\":\"%s\",\"to_id\":", il_kind_info(f->to_kind)->name);
	if (!rc)
		rc = il_json_string(b, f->to_id, strlen(f->to_id));
	if (!rc)
		rc = il_buf_addf(b, ",\"action\":\"%s\",\"by\":", il_feedback_name(f->action));
	if (!rc)
		rc = il_json_string(b, f->who, strlen(f->who));
	if (!rc)
		rc = il_buf_adds(b, ",\"at\":");
	if (!rc)
		rc = il_json_string(b, f->at, strlen(f->at));
	return rc ? rc : il_buf_addc(b, '}');
}

/* match feedback KIND ID [TARGET_KIND TARGET_ID ACTION] [--by WHO] */
static int cmd_feedback(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"by", required_argument, NULL, 'b'},
					     {NULL, 0, NULL, 0}};
	const char *who = getenv("USER");
	enum il_kind from, to;
	enum il_feedback_action action;
	struct il_store *s;
	int rc;
	OPT_LOOP(opts)
	{
		if (c == 'b')
			who = optarg;
		else
			return cli_usage("match", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	int n = argc - optind;
	char **a = argv + optind;
	if (n != 2 && n != 5)
		return cli_usage("match", "feedback KIND ID [TARGET_KIND TARGET_ID ACTION]");
	if (cli_kind("match", a[0], &from) || (n == 5 && cli_kind("match", a[2], &to)))
		return EXIT_USAGE;
	if (n == 5 && il_feedback_parse(a[4], &action) != IL_OK)
		return cli_usage("match", "%s", il_error_detail(IL_ENOTFOUND));
	if (cli_open(cli, n == 5 ? 0 : IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if (n == 5) {
		char *id = NULL;
		rc = il_match_feedback(s, from, a[1], to, a[3], action, who && *who ? who : "cli",
				       NAN, &id);
		if (!rc)
			printf(cli->json ? "{\"id\":\"%s\"}\n" : "recorded %s 已记录\n", id);
		free(id);
	} else if (cli->json) {
		struct il_buf b = IL_BUF_INIT;
		il_buf_addc(&b, '[');
		rc = il_match_feedback_list(s, from, a[1], true, feedback_json, &b);
		if (!rc)
			printf("%s]\n", il_buf_cstr(&b));
		il_buf_release(&b);
	} else {
		rc = il_match_feedback_list(s, from, a[1], true, print_feedback, NULL);
	}
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cli_match(struct cli *cli, int argc, char **argv)
{
	struct match_opts o;
	if (argc < 2)
		return cli_usage("match", "demand ID, achievement ID, person ID, text \"...\" or "
					  "feedback?");
	const char *what = argv[1];
	if (strcmp(what, "feedback") == 0)
		return cmd_feedback(cli, argc - 1, argv + 1);
	int rc = parse_match_opts(argc - 1, argv + 1, &o);
	if (rc)
		return rc;
	if (optind + 1 != argc - 1)
		return cli_usage("match", optind + 1 < argc - 1 ? "one %s at a time" : "which %s?",
				 strcmp(what, "text") == 0 ? "text (quote it)" : what);
	const char *arg = argv[1 + optind];
	if (strcmp(what, "text") == 0) {
		o.q.text = arg;
		o.q.len = strlen(arg);
	} else if (strcmp(what, "demand") == 0 || strcmp(what, "achievement") == 0 ||
		   strcmp(what, "person") == 0) {
		il_kind_parse(what, &o.q.from_kind);
		o.q.from_id = arg;
	} else {
		return cli_usage("match", "demand, achievement, person, text or feedback, not '%s'",
				 what);
	}
	return run_match(cli, &o);
}

static void print_learn(struct cli *cli, const struct il_learn_report *r,
			const struct il_match_config *before, const char *out, bool written)
{
	if (cli->json) {
		printf("{\"sources\":%zu,\"pairs\":%zu,\"train_pairs\":%zu,\"test_pairs\":%zu,"
		       "\"accuracy_before\":%.4f,\"accuracy_after\":%.4f,\"train_before\":%.4f,"
		       "\"train_after\":%.4f,\"written\":%s,\"weights\":{",
		       r->sources, r->pairs, r->train_pairs, r->test_pairs, r->before, r->after,
		       r->train_before, r->train_after, written ? "true" : "false");
		for (unsigned k = 0; k < IL_MC__COUNT; k++)
			printf("%s\"%s\":%.6g", k ? "," : "",
			       il_match_comp_name((enum il_match_comp)k), r->learned.weight[k]);
		printf("}}\n");
		return;
	}
	printf("%zu feedback pairs 反馈样本对 from %zu sources: %zu to fit, %zu held out\n",
	       r->pairs, r->sources, r->train_pairs, r->test_pairs);
	printf("held-out accuracy 留出准确率: %.3f before, %.3f after (training %.3f -> %.3f)\n",
	       r->before, r->after, r->train_before, r->train_after);
	printf("%-12s %9s %9s\n", "weight", "before", "after");
	for (unsigned k = 0; k < IL_MC__COUNT; k++)
		printf("%-12s %9.4f %9.4f\n", il_match_comp_name((enum il_match_comp)k),
		       before->weight[k], r->learned.weight[k]);
	if (written)
		printf("wrote %s\n", out);
	else
		printf("%s unchanged (--dry-run)\n", out);
}

static int write_file(const char *path, const struct il_buf *b)
{
	char tmp[4300];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(b->ptr, 1, b->len, f) != b->len || fclose(f) != 0) {
		if (f)
			fclose(f);
		remove(tmp);
		return il_error_set(IL_EIO, "%s: cannot write", tmp);
	}
	if (rename(tmp, path) != 0) {
		remove(tmp);
		return il_error_set(IL_EIO, "%s: cannot rename to %s", tmp, path);
	}
	return IL_OK;
}

int cli_learn(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"weights", required_argument, NULL, 'w'},
		{"dry-run", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL, *weights = NULL;
	bool dry = false;
	struct env e;
	struct il_learn_report rep;
	char dflt[4200];
	OPT_LOOP(opts)
	{
		if (c == 'o')
			out = optarg;
		else if (c == 'w')
			weights = optarg;
		else if (c == 'n')
			dry = true;
		else
			return cli_usage("learn", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage("learn", "unexpected argument '%s'", argv[optind]);
	if (!out) {
		snprintf(dflt, sizeof(dflt), "%s.weights", cli->db);
		out = dflt;
	}
	int rc = env_open(cli, weights, IL_STORE_READONLY, &e);
	if (!rc) {
		rc = il_match_learn(e.m, cli_progress, "learn", &rep);
		cli_progress_done();
	}
	if (!rc && !dry) {
		struct il_buf b = IL_BUF_INIT;
		char note[512];
		snprintf(
			note, sizeof(note),
			"innolink match weights, fitted by 'innolink learn' from %zu feedback pairs\n"
			"held-out accuracy %.3f (before %.3f)",
			rep.pairs, rep.after, rep.before);
		rc = il_match_config_write(&rep.learned, note, &b);
		if (!rc)
			rc = write_file(out, &b);
		il_buf_release(&b);
	}
	if (!rc)
		print_learn(cli, &rep, &e.cfg, out, !dry);
	env_close(&e);
	return rc ? cli_fail(rc) : EXIT_OK;
}
