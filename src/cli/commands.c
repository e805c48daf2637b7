/*
 * commands.c - the data commands: init, migrate, import, export, list,
 * show, stats, dedup, version.  `serve` lives in serve.c.
 */
#include "cli.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IL_VERSION
#define IL_VERSION "0.0.0"
#endif

/* Prints one JSON string literal to stdout. */
static void print_json_string(const char *s)
{
	struct il_buf b = IL_BUF_INIT;
	il_json_string(&b, s ? s : "", s ? strlen(s) : 0);
	fputs(il_buf_cstr(&b), stdout);
	il_buf_release(&b);
}

/* ---- init ---- */

static int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"demo", no_argument, NULL, 'd'},
					     {"operator", required_argument, NULL, 'o'},
					     {"password-file", required_argument, NULL, 'P'},
					     {NULL, 0, NULL, 0}};
	bool demo = false;
	const char *operator= "admin", *password_file = NULL;
	struct il_store *s;
	OPT_LOOP(opts)
	{
		if (c == 'd')
			demo = true;
		else if (c == 'o')
			operator= optarg;
		else if (c == 'P')
			password_file = optarg;
		else
			return cli_usage("init", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage("init", "unexpected argument '%s'", argv[optind]);
	if (cli_open(cli, IL_STORE_CREATE, &s))
		return EXIT_FAIL;
	if (cli_init_operator(cli, s, operator, password_file) != EXIT_OK) {
		il_store_close(s);
		return EXIT_FAIL;
	}
	if (demo) {
		struct il_import_stats st;
		char dir[4096];
		int64_t seq = 0;
		size_t placed = 0;
		snprintf(dir, sizeof(dir), "%s/demo", cli_data_dir());
		int rc = il_store_last_change(s, &seq);
		if (!rc)
			rc = il_import_demo(s, dir, cli_progress, "demo", &st);
		cli_progress_done();
		/* the demo's records on the chains' links, as an import places them */
		if (!rc && st.inserted)
			rc = cli_chain_place_new(s, 0xffffffffu, seq, "demo", &placed);
		if (rc) {
			il_store_close(s);
			return cli_fail(rc);
		}
		if (cli->json)
			printf("{\"schema\":%d,\"rows\":%zu,\"inserted\":%zu,\"updated\":%zu,"
			       "\"unchanged\":%zu,\"merged\":%zu}\n",
			       IL_SCHEMA_VERSION, st.rows, st.inserted, st.updated, st.unchanged,
			       st.merged);
		else
			printf("loaded demo data into %s: %zu records (%zu new, %zu updated, %zu "
			       "unchanged)\n",
			       cli->db, st.rows, st.inserted, st.updated, st.unchanged);
	} else if (cli->json) {
		printf("{\"schema\":%d}\n", IL_SCHEMA_VERSION);
	} else {
		printf("database %s is ready (schema %d)\n", cli->db, IL_SCHEMA_VERSION);
	}
	il_store_close(s);
	return EXIT_OK;
}

/* ---- migrate ---- */

static int cmd_migrate(struct cli *cli, int argc, char **argv)
{
	struct il_store *s;
	int to = 0, rc;
	if (argc > 1)
		return cli_usage("migrate", "unexpected argument '%s'", argv[1]);
	/* open without migrating first, to report the version we started from */
	rc = il_store_open(cli->db, 0, &s);
	if (rc == IL_OK) {
		il_store_close(s);
		printf("%s is already at schema version %d\n", cli->db, IL_SCHEMA_VERSION);
		return EXIT_OK;
	}
	if (rc != IL_ESCHEMA)
		return cli_fail(rc);
	if ((rc = il_store_open(cli->db, IL_STORE_MIGRATE | IL_STORE_CREATE, &s)) != 0)
		return cli_fail(rc);
	rc = il_store_schema_version(s, &to);
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	printf("%s migrated to schema version %d\n", cli->db, to);
	return EXIT_OK;
}

/* ---- import ---- */

static void print_reject(const char *where, const char *why, void *ctx)
{
	(void)ctx;
	cli_progress_done();
	fprintf(stderr, "%s: %s\n", where, why);
}

static int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"format", required_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'e'},
		{"sheet", required_argument, NULL, 's'},
		{"skip-invalid", no_argument, NULL, 'S'},
		{"rejects", required_argument, NULL, 'r'},
		{"dry-run", no_argument, NULL, 'n'},
		{"demo", no_argument, NULL, 'D'},
		{NULL, 0, NULL, 0},
	};
	struct il_import_opts o;
	struct il_import_stats st;
	struct il_store *s;
	const char *kind = NULL, *file = NULL;
	char rejects[4096];
	int64_t seq = 0;
	size_t placed = 0;
	int rc;
	memset(&o, 0, sizeof(o));
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'k':
			kind = optarg;
			break;
		case 'f':
			if (il_format_parse(optarg, &o.format))
				return cli_usage("import", "unknown format '%s'", optarg);
			break;
		case 'e':
			o.encoding = optarg;
			break;
		case 's':
			o.sheet = optarg;
			break;
		case 'S':
			o.flags |= IL_IMPORT_SKIP_INVALID;
			break;
		case 'r':
			o.rejects = optarg;
			break;
		case 'n':
			o.flags |= IL_IMPORT_DRY_RUN;
			break;
		case 'D':
			o.flags |= IL_IMPORT_DEMO;
			break;
		default:
			return cli_usage("import", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("import", optind < argc ? "one file at a time" : "which file?");
	file = argv[optind];
	if (cli_kind("import", kind, &o.kind))
		return EXIT_USAGE;
	if ((o.flags & IL_IMPORT_SKIP_INVALID) && !o.rejects) {
		snprintf(rejects, sizeof(rejects), "%s.rejects.csv", file);
		o.rejects = rejects;
	}
	o.reject = print_reject;
	o.progress = cli_progress;
	o.ctx = (void *)"import";
	if (cli_open(cli, 0, &s))
		return EXIT_FAIL;
	/* new records are placed on chain links as they are written */
	if (!(rc = il_store_last_change(s, &seq)))
		rc = il_import_file(s, file, &o, &st);
	if (!rc && !(o.flags & IL_IMPORT_DRY_RUN))
		rc = cli_chain_place_new(s, 1u << o.kind, seq, "import", &placed);
	cli_progress_done();
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	if (cli->json) {
		printf("{\"file\":");
		print_json_string(file);
		printf(",\"rows\":%zu,\"inserted\":%zu,\"updated\":%zu,\"unchanged\":%zu,"
		       "\"merged\":%zu,\"rejected\":%zu,\"committed\":%s,\"placed\":%zu}\n",
		       st.rows, st.inserted, st.updated, st.unchanged, st.merged, st.rejected,
		       (o.flags & IL_IMPORT_DRY_RUN) ? "false" : "true", placed);
	} else {
		printf("%s%s: %zu rows: %zu new, %zu updated, %zu unchanged, %zu merged, %zu "
		       "rejected\n",
		       (o.flags & IL_IMPORT_DRY_RUN) ? "checked (nothing written) " : "imported ",
		       file, st.rows, st.inserted, st.updated, st.unchanged, st.merged,
		       st.rejected);
		if (st.rejected && o.rejects)
			printf("rejected rows and their reasons: %s\n", o.rejects);
		if (placed)
			printf("%zu new or changed records placed on chain links (已归属产业链环节)\n",
			       placed);
	}
	return EXIT_OK;
}

/* ---- filters shared by export and list ---- */

static int add_filter(const char *cmd, struct il_query *q, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return cli_usage(cmd, "--filter takes FIELD=VALUE, not '%s'", arg);
	if (q->nfilters >= IL_QUERY_MAX_FILTERS)
		return cli_usage(cmd, "at most %d filters", IL_QUERY_MAX_FILTERS);
	*eq = '\0';
	q->field[q->nfilters] = arg;
	q->value[q->nfilters++] = eq + 1;
	return EXIT_OK;
}

static int parse_size(const char *cmd, const char *opt, const char *v, size_t *out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*v == '\0' || *end || n < 0)
		return cli_usage(cmd, "%s takes a whole number, not '%s'", opt, v);
	*out = (size_t)n;
	return EXIT_OK;
}

/* ---- export ---- */

static int cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'e'},
		{"region", required_argument, NULL, 'r'},
		{"chain", required_argument, NULL, 'c'},
		{"filter", required_argument, NULL, 'F'},
		{"zh-headers", no_argument, NULL, 'z'},
		{"include-confidential", no_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	struct il_export_opts o;
	struct il_store *s;
	const char *kind = NULL, *out = "-";
	enum il_kind k;
	size_t n = 0;
	int rc;
	memset(&o, 0, sizeof(o));
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'k':
			kind = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (il_format_parse(optarg, &o.format))
				return cli_usage("export", "unknown format '%s'", optarg);
			break;
		case 'e':
			o.encoding = optarg;
			break;
		case 'r':
			o.query.region = optarg;
			break;
		case 'c':
			o.query.chain = optarg;
			break;
		case 'F':
			if (add_filter("export", &o.query, optarg))
				return EXIT_USAGE;
			break;
		case 'z':
			o.zh_headers = true;
			break;
		case 'C':
			o.query.include_confidential = true;
			break;
		default:
			return cli_usage("export", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("export", "unexpected argument '%s'", argv[optind]);
	if (cli_kind("export", kind, &k))
		return EXIT_USAGE;
	o.query.kind = k;
	if (strcmp(out, "-") == 0) {
		if (o.format == IL_FMT_XLSX)
			return cli_usage("export", "XLSX needs --out FILE");
		if (o.format == IL_FMT_AUTO)
			o.format = IL_FMT_CSV;
		out = "/dev/stdout";
	}
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	rc = il_export_file(s, out, &o, &n);
	il_store_close(s);
	if (rc)
		return cli_fail(rc);
	if (strcmp(out, "/dev/stdout") != 0)
		fprintf(stderr, "exported %zu %s to %s\n", n, il_kind_info(k)->plural, out);
	return EXIT_OK;
}

/* ---- list ---- */

struct list_ctx {
	struct cli *cli;
	size_t n;
};

static int print_list_row(const struct il_record *r, void *vctx)
{
	struct list_ctx *lc = vctx;
	const struct il_kind_info *k = il_kind_info(r->kind);
	if (lc->cli->json) {
		struct il_buf b = IL_BUF_INIT;
		int rc = il_record_to_json(r, 0, NULL, &b);
		if (!rc)
			printf("%s%s", lc->n ? ",\n" : "", il_buf_cstr(&b));
		il_buf_release(&b);
		lc->n++;
		return rc;
	}
	const char *title = r->values[k->title_field];
	const char *en = il_record_get(r, "name_en");
	printf("%s\t%s", r->id, title ? title : "");
	if (en && k->fields[k->title_field].type == IL_FT_TEXT && title && strcmp(en, title) != 0 &&
	    strcmp(k->fields[k->title_field].name, "name_zh") == 0)
		printf(" (%s)", en);
	printf("%s\n", r->demo ? "\t[demo]" : "");
	lc->n++;
	return IL_OK;
}

static int cmd_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"chain", required_argument, NULL, 'c'},
		{"filter", required_argument, NULL, 'F'},
		{"prefix", required_argument, NULL, 'p'},
		{"limit", required_argument, NULL, 'l'},
		{"offset", required_argument, NULL, 'o'},
		{"all", no_argument, NULL, 'a'},
		{"include-confidential", no_argument, NULL, 'C'},
		{NULL, 0, NULL, 0},
	};
	struct il_query q;
	struct il_store *s;
	struct list_ctx lc = {cli, 0};
	size_t total = 0;
	enum il_kind k;
	int rc;
	il_query_init(&q, IL_KIND_REGION);
	q.limit = 50;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'r':
			q.region = optarg;
			break;
		case 'c':
			q.chain = optarg;
			break;
		case 'F':
			if (add_filter("list", &q, optarg))
				return EXIT_USAGE;
			break;
		case 'p':
			q.prefix = optarg;
			break;
		case 'l':
			if (parse_size("list", "--limit", optarg, &q.limit))
				return EXIT_USAGE;
			break;
		case 'o':
			if (parse_size("list", "--offset", optarg, &q.offset))
				return EXIT_USAGE;
			break;
		case 'a':
			q.limit = 0;
			break;
		case 'C':
			q.include_confidential = true;
			break;
		default:
			return cli_usage("list", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("list", "which kind? (e.g. innolink list organization)");
	if (cli_kind("list", argv[optind], &k))
		return EXIT_USAGE;
	q.kind = k;
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if (cli->json)
		printf("[");
	rc = il_store_list(s, &q, print_list_row, &lc, &total);
	il_store_close(s);
	if (cli->json)
		printf("]\n");
	if (rc)
		return cli_fail(rc);
	if (!cli->json && total > lc.n)
		fprintf(stderr, "(%zu of %zu shown; --offset/--limit or --all for more)\n", lc.n,
			total);
	return EXIT_OK;
}

/* ---- show ---- */

static void print_record_text(const struct il_record *r, const struct il_record *prev)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	for (size_t i = 0; i < k->nfields; i++) {
		const char *v = r->values[i], *pv = prev ? prev->values[i] : NULL;
		bool changed = prev && !(v ? pv && strcmp(v, pv) == 0 : pv == NULL);
		if (prev && !changed)
			continue;
		if (!v && !changed)
			continue;
		printf("  %-16s %-10s %s%s", k->fields[i].name, k->fields[i].zh, v ? v : "(empty)",
		       changed && pv ? "" : "");
		if (changed)
			printf("   (was: %s)", pv ? pv : "empty");
		printf("\n");
	}
}

struct history_ctx {
	struct cli *cli;
	struct il_record prev;
	bool have_prev;
	size_t n;
};

static int print_version(const struct il_record *r, void *vctx)
{
	struct history_ctx *h = vctx;
	int rc = IL_OK;
	if (h->cli->json) {
		struct il_buf b = IL_BUF_INIT;
		rc = il_record_to_json(r, IL_JSON_META, NULL, &b);
		if (!rc)
			printf("%s%s", h->n ? ",\n" : "", il_buf_cstr(&b));
		il_buf_release(&b);
	} else {
		printf("version %lld  %s  by %s%s\n", (long long)r->version,
		       r->updated_at ? r->updated_at : "", r->source ? r->source : "?",
		       r->demo ? "  [demo]" : "");
		print_record_text(r, h->have_prev ? &h->prev : NULL);
	}
	h->n++;
	if (h->have_prev)
		il_record_release(&h->prev);
	h->have_prev = false;
	if (!rc && !(rc = il_record_copy(&h->prev, r)))
		h->have_prev = true;
	return rc;
}

static int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"history", no_argument, NULL, 'H'},
					     {NULL, 0, NULL, 0}};
	bool history = false;
	struct il_store *s;
	enum il_kind k;
	int rc;
	OPT_LOOP(opts)
	{
		if (c == 'H')
			history = true;
		else
			return cli_usage("show", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind + 2 != argc)
		return cli_usage("show", "usage: innolink show KIND ID [--history]");
	if (cli_kind("show", argv[optind], &k))
		return EXIT_USAGE;
	const char *id = argv[optind + 1];
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if (history) {
		struct history_ctx h;
		memset(&h, 0, sizeof(h));
		h.cli = cli;
		if (cli->json)
			printf("[");
		rc = il_store_history(s, k, id, print_version, &h);
		if (cli->json)
			printf("]\n");
		if (h.have_prev)
			il_record_release(&h.prev);
	} else {
		struct il_record r;
		if (!(rc = il_store_get(s, k, id, &r))) {
			if (cli->json) {
				struct il_buf b = IL_BUF_INIT;
				if (!(rc = il_record_to_json(&r, IL_JSON_META, NULL, &b)))
					printf("%s\n", il_buf_cstr(&b));
				il_buf_release(&b);
			} else {
				printf("%s %s  (%s)  version %lld, updated %s by %s%s\n",
				       il_kind_info(k)->name, r.id, il_kind_info(k)->zh,
				       (long long)r.version, r.updated_at,
				       r.source ? r.source : "?",
				       r.demo ? "  [demo data 演示数据]" : "");
				print_record_text(&r, NULL);
			}
			il_record_release(&r);
		}
	}
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* ---- stats ---- */

static int cmd_stats(struct cli *cli, int argc, char **argv)
{
	struct il_store *s;
	int rc = IL_OK;
	if (argc > 1)
		return cli_usage("stats", "unexpected argument '%s'", argv[1]);
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if (cli->json)
		printf("{");
	for (int k = 0; k < IL_KIND__COUNT && !rc; k++) {
		const struct il_kind_info *ki = il_kind_info((enum il_kind)k);
		size_t n;
		if ((rc = il_store_count(s, (enum il_kind)k, &n)) != 0)
			break;
		if (cli->json)
			printf("%s\"%s\":%zu", k ? "," : "", ki->name, n);
		else
			printf("%-13s %-10s %8zu\n", ki->name, ki->zh, n);
	}
	if (cli->json)
		printf("}\n");
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* ---- dedup ---- */

static int print_candidate(const struct il_merge_candidate *c, void *vctx)
{
	struct cli *cli = vctx;
	static size_t n;
	if (cli->json) {
		printf("%s{\"a\":", n++ ? ",\n" : "");
		print_json_string(c->a);
		printf(",\"b\":");
		print_json_string(c->b);
		printf(",\"a_name\":");
		print_json_string(c->a_name);
		printf(",\"b_name\":");
		print_json_string(c->b_name);
		printf(",\"reason\":");
		print_json_string(c->reason);
		printf(",\"score\":%.2f}", c->score);
	} else {
		printf("%s\t%s\t%s\t%s\t%s (%.2f)\n", c->a, c->a_name ? c->a_name : "", c->b,
		       c->b_name ? c->b_name : "", c->reason, c->score);
	}
	return IL_OK;
}

static int cmd_dedup(struct cli *cli, int argc, char **argv)
{
	struct il_store *s;
	int rc;
	if (argc < 2)
		return cli_usage("dedup", "list, merge KEEP DROP, or dismiss A B?");
	const char *sub = argv[1];
	if (strcmp(sub, "list") == 0 && argc == 2) {
		if (cli_open(cli, IL_STORE_READONLY, &s))
			return EXIT_FAIL;
		if (cli->json)
			printf("[");
		rc = il_store_dedup_list(s, print_candidate, cli);
		if (cli->json)
			printf("]\n");
	} else if ((strcmp(sub, "merge") == 0 || strcmp(sub, "dismiss") == 0) && argc == 4) {
		if (cli_open(cli, 0, &s))
			return EXIT_FAIL;
		if (sub[0] == 'm')
			rc = il_store_dedup_merge(s, argv[2], argv[3], "cli:dedup");
		else
			rc = il_store_dedup_dismiss(s, argv[2], argv[3]);
		if (!rc && !cli->json)
			printf(sub[0] == 'm' ? "merged %2$s into %1$s\n"
					     : "%s and %s are not duplicates\n",
			       argv[2], argv[3]);
	} else {
		return cli_usage("dedup", "list, merge KEEP DROP, or dismiss A B?");
	}
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* ---- fields ---- */

static const char *type_name(enum il_ftype t)
{
	static const char *const names[] = {"text", "integer", "number", "yes/no",
					    "date", "one of",  "list",   "id of"};
	return names[t];
}

static void print_fields_markdown(const struct il_kind_info *k)
{
	printf("## %s (%s)\n\n", k->name, k->zh);
	printf("| column | 中文表头 | other headers | type | required | meaning |\n");
	printf("|---|---|---|---|---|---|\n");
	printf("| id | 编号 | 外部编号 | text | yes (or derived) | stable id, the upsert key |\n");
	for (size_t i = 0; i < k->nfields; i++) {
		const struct il_field *f = &k->fields[i];
		printf("| %s | %s | ", f->name, f->zh);
		for (const char *p = f->aliases; p && *p; p++)
			fputs(*p == '|' ? ", " : (char[]){*p, 0}, stdout);
		printf(" | %s", type_name(f->type));
		if (f->type == IL_FT_REF)
			printf(" %s", il_kind_info(f->ref)->name);
		if (f->values) {
			printf(f->type == IL_FT_LIST ? " (items: " : ": ");
			for (const struct il_enum_value *e = f->values; e->code; e++)
				printf("%s`%s` %s", e == f->values ? "" : ", ", e->code, e->zh);
			if (f->type == IL_FT_LIST)
				printf(")");
		}
		if (f->type == IL_FT_INT && f->min < f->max)
			printf(" %lld–%lld", (long long)f->min, (long long)f->max);
		printf(" | %s | %s |\n", (f->flags & IL_FF_REQUIRED) ? "yes" : "", f->doc);
	}
	printf("| demo | 演示数据 | | yes/no | | bundled demonstration data |\n\n");
}

static int cmd_fields(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"markdown", no_argument, NULL, 'm'},
					     {NULL, 0, NULL, 0}};
	bool md = false;
	int nprinted = 0;
	enum il_kind only = IL_KIND__COUNT;
	OPT_LOOP(opts)
	{
		if (c == 'm')
			md = true;
		else
			return cli_usage("fields", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind < argc && cli_kind("fields", argv[optind], &only))
		return EXIT_USAGE;
	if (cli->json)
		printf("[");
	for (int kind = 0; kind < IL_KIND__COUNT; kind++) {
		const struct il_kind_info *k = il_kind_info((enum il_kind)kind);
		if (only != IL_KIND__COUNT && only != k->kind)
			continue;
		if (md) {
			print_fields_markdown(k);
			continue;
		}
		if (cli->json) {
			printf("%s{\"kind\":\"%s\",\"fields\":[", nprinted++ ? ",\n" : "", k->name);
			for (size_t i = 0; i < k->nfields; i++)
				printf("%s{\"name\":\"%s\",\"zh\":\"%s\",\"type\":\"%s\","
				       "\"required\":%s}",
				       i ? "," : "", k->fields[i].name, k->fields[i].zh,
				       type_name(k->fields[i].type),
				       (k->fields[i].flags & IL_FF_REQUIRED) ? "true" : "false");
			printf("]}");
			continue;
		}
		printf("%s (%s):\n", k->name, k->zh);
		for (size_t i = 0; i < k->nfields; i++)
			printf("  %-16s %-14s %-8s %s%s\n", k->fields[i].name, k->fields[i].zh,
			       type_name(k->fields[i].type),
			       (k->fields[i].flags & IL_FF_REQUIRED) ? "(required) " : "",
			       k->fields[i].doc);
	}
	if (cli->json)
		printf("]\n");
	return EXIT_OK;
}

/* ---- version ---- */

static int cmd_version(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage("version", "no arguments");
	if (cli->json)
		printf("{\"version\":\"%s\",\"schema\":%d,\"sqlite\":\"%s\"}\n", IL_VERSION,
		       IL_SCHEMA_VERSION, sqlite3_libversion());
	else
		printf("innolink %s (schema %d, SQLite %s)\n", IL_VERSION, IL_SCHEMA_VERSION,
		       sqlite3_libversion());
	return EXIT_OK;
}

int cli_serve(struct cli *cli, int argc, char **argv);
int cli_search(struct cli *cli, int argc, char **argv);
int cli_index(struct cli *cli, int argc, char **argv);
int cli_eval(struct cli *cli, int argc, char **argv);
int cli_segment(struct cli *cli, int argc, char **argv);

const struct command cli_commands[] = {
	{"init", "create the database (--demo: with the Hubei demo data)",
	 "usage: innolink init [--db PATH] [--demo] [--operator NAME] [--password-file FILE]\n\n"
	 "Creates the database with the current schema if it does not exist, and its\n"
	 "first operator account when it has none. 创建数据库和首个运营账号。\n\n"
	 "  --demo                load the bundled Hubei demo data (演示数据) and place its\n"
	 "                        records on the chains' links; loading it again changes\n"
	 "                        nothing\n"
	 "  --operator NAME       name of the first operator account (default admin)\n"
	 "  --password-file FILE  its password, the file's first line; else\n"
	 "                        $INNOLINK_PASSWORD, else a prompt on a terminal; with\n"
	 "                        none of them no account is made (say so on stderr)\n",
	 cmd_init},
	{"migrate", "upgrade a database made by an older innolink",
	 "usage: innolink migrate [--db PATH]\n\n"
	 "Upgrades the database schema in place, in one transaction. 升级数据库结构。\n",
	 cmd_migrate},
	{"import", "import a CSV, JSON Lines or XLSX file of one kind",
	 "usage: innolink import FILE --kind KIND [options]\n\n"
	 "Imports records from CSV (UTF-8 or GB18030), JSON Lines or XLSX. Column headers\n"
	 "may be field names or Chinese headers (see docs/import.md). Rows are upserted\n"
	 "by id: importing the same file twice changes nothing. 导入数据。\n\n"
	 "  --kind KIND        region, organization, person, achievement, demand, chain,\n"
	 "                     link, assignment, match, deal, event, indicator\n"
	 "  --format FMT       csv, tsv, jsonl or xlsx (default: from the file name)\n"
	 "  --encoding ENC     utf-8 or gb18030 (default: detected)\n"
	 "  --sheet NAME       XLSX sheet (default: the first)\n"
	 "  --skip-invalid     commit the valid rows; write the rejected ones with their\n"
	 "                     reasons to --rejects (default FILE.rejects.csv)\n"
	 "  --rejects FILE     where rejected rows go\n"
	 "  --dry-run          check every row, write nothing\n"
	 "  --demo             mark the records as demo data\n\n"
	 "By default a file with any bad row is not imported at all; every bad row is\n"
	 "reported as FILE:LINE: field 'NAME': value 'VALUE' REASON.\n",
	 cmd_import},
	{"export", "export records of one kind as CSV, JSON Lines or XLSX",
	 "usage: innolink export --kind KIND [--out FILE] [options]\n\n"
	 "Writes records in the form import reads back. 导出数据。\n\n"
	 "  --out FILE             output file; '-' (default) is standard output\n"
	 "  --format FMT           csv, tsv, jsonl or xlsx (default: from --out)\n"
	 "  --encoding gb18030     CSV for older Excel versions (default UTF-8 with BOM)\n"
	 "  --region CODE          only records in this region (with its districts)\n"
	 "  --chain ID             only records placed on this industrial chain\n"
	 "  --filter FIELD=VALUE   equality filter, repeatable\n"
	 "  --zh-headers           Chinese column headers\n"
	 "  --include-confidential include confidential demands\n",
	 cmd_export},
	{"list", "list records of one kind",
	 "usage: innolink list KIND [options]\n\n"
	 "  --region CODE   --chain ID   --filter FIELD=VALUE   --prefix TEXT\n"
	 "  --limit N (default 50)   --offset N   --all   --include-confidential   --json\n",
	 cmd_list},
	{"show", "show one record, or its history",
	 "usage: innolink show KIND ID [--history] [--json]\n\n"
	 "  --history   every version, oldest first, with what changed and who changed it\n",
	 cmd_show},
	{"stats", "count the records of every kind", "usage: innolink stats [--db PATH] [--json]\n",
	 cmd_stats},
	{"dedup", "list or merge duplicate organizations",
	 "usage: innolink dedup list | merge KEEP DROP | dismiss A B\n\n"
	 "  list            pairs of organizations that may be the same one\n"
	 "  merge KEEP DROP merge DROP into KEEP: names become aliases, references move\n"
	 "  dismiss A B     A and B are different organizations\n",
	 cmd_dedup},
	{"serve", "serve the web UI and the API",
	 "usage: innolink serve [--db PATH] [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
	 "                      [--rate-limit READS,WRITES] [--listing-days N]\n"
	 "                      [--trusted-proxy ADDR]\n\n"
	 "Serves the web UI (网页界面) and the JSON API with its accounts (账号).\n\n"
	 "  --listen ADDR:PORT   default 127.0.0.1:8080\n"
	 "  --web DIR            the web UI to serve at / (default: the bundled one)\n"
	 "  --threads N          worker threads (default: one per CPU)\n"
	 "  --rate-limit R,W     requests a second per client address (default 20000),\n"
	 "                       and writes and log-ins a second per address and per\n"
	 "                       account (default 20); more answer 429 (限流)\n"
	 "  --listing-days N     an achievement or demand published through the API\n"
	 "                       leaves search and matching N days later unless its\n"
	 "                       owner renews it (default 365; 信息有效期)\n"
	 "  --trusted-proxy ADDR the reverse proxy in front (e.g. 127.0.0.1): its\n"
	 "                       X-Forwarded-For names the client for rate limits and\n"
	 "                       the log, and X-Forwarded-Proto https makes the session\n"
	 "                       cookie Secure (反向代理); other senders' are ignored\n\n"
	 "Stops cleanly on SIGINT or SIGTERM, finishing requests in flight.\n",
	 cli_serve},
	{"search", "search every searchable record, ranked (BM25F), in Chinese or English",
	 "usage: innolink search TEXT [--kind KIND] [--region CODE] [--and] [--top N] [options]\n\n"
	 "Searches organizations, persons, achievements, demands, chains and links. A\n"
	 "Chinese query also reaches English records through the glossary, and the\n"
	 "reverse. 检索成果、需求、专家、机构与产业链环节。\n\n"
	 "TEXT: words (any may match; --and: all must), +word (must), -word (must not),\n"
	 "\"a phrase\", and title: keywords: body: names: before a word or phrase.\n\n"
	 "  --kind KIND        only this kind (repeat, or KIND,KIND)\n"
	 "  --region CODE      only records in this region or a region inside it\n"
	 "  --link ID          only records placed on this chain link\n"
	 "  --status S         only records with this status (a demand's docking state)\n"
	 "  --from DATE --to DATE   published between (YYYY-MM-DD, inclusive)\n"
	 "  --and              every word must match\n"
	 "  --top N            hits to show (default 10)\n"
	 "  --include-hidden   include confidential demands\n"
	 "  --no-expand        no glossary translations\n"
	 "  --json             the hits with scores and matched terms as JSON\n\n"
	 "Loads DB.index (see 'innolink index') and applies the changes made since it\n"
	 "was written; without a usable snapshot it indexes the database in memory.\n",
	 cli_search},
	{"index", "rebuild the search index snapshot, or show its statistics",
	 "usage: innolink index rebuild | stats [--db PATH] [--json]\n\n"
	 "  rebuild   index every searchable record and write DB.index, which search\n"
	 "            and serve then load instead of indexing again\n"
	 "  stats     documents, terms, postings and bytes of the index (the snapshot\n"
	 "            brought up to date, else built in memory), the change it reflects,\n"
	 "            and how long it took\n",
	 cli_index},
	{"match",
	 "match a demand to achievements, experts, institutions and agencies, and the reverse",
	 "usage: innolink match demand ID [--kind KIND] [--top N] [--region CODE] [--explain] [--json]\n"
	 "       innolink match achievement ID [options]   enterprises likely to adopt it, open demands\n"
	 "       innolink match person ID [options]        enterprises and demands for an expert\n"
	 "       innolink match text \"TEXT\" [options]     an ad-hoc demand\n"
	 "       innolink match feedback KIND ID [TARGET_KIND TARGET_ID ACTION] [--by WHO]\n\n"
	 "Ranks what can answer a demand, in Chinese or English (the glossary bridges the\n"
	 "two), by text relevance combined with shared chain links, region, maturity and\n"
	 "budget fit, freshness and feedback. 供需匹配：为技术需求推荐成果、专家、机构和服务\n"
	 "机构；为成果推荐可能承接的企业与需求；为专家推荐企业与需求。\n\n"
	 "  --kind KIND     achievement, expert, institution, agency (for a demand or text),\n"
	 "                  enterprise, demand (for an achievement or person), or all\n"
	 "                  (default); KIND,KIND for several\n"
	 "  --top N         results per kind (default 10)\n"
	 "  --region CODE   only candidates in this region or inside it\n"
	 "  --explain       why each result ranks there: matched terms with snippets, the\n"
	 "                  records behind a profile, chain links, region, maturity, budget,\n"
	 "                  freshness, feedback, and the score by component 显示匹配理由\n"
	 "  --json          a JSON array of results: kind, id, title, score, components,\n"
	 "                  reasons (each with a type); across kinds in the blended order\n"
	 "  --as ORG        match as organization ORG sees it (else as an operator)\n"
	 "  --weights FILE  scoring configuration (default DB.weights, else the bundled\n"
	 "                  data/match/weights.conf)\n\n"
	 "feedback KIND ID lists the feedback given on matches of that record; with\n"
	 "TARGET_KIND TARGET_ID ACTION it records that --by WHO (default $USER) found the\n"
	 "result viewed, contacted, useful, not_useful, accepted or rejected. 记录与查看反馈。\n"
	 "Confidential demands never appear in results. 保密需求不会出现在匹配结果中。\n",
	 cli_match},
	{"learn", "fit the match weights to recorded feedback",
	 "usage: innolink learn [--out FILE] [--weights FILE] [--dry-run] [--json]\n\n"
	 "Pairs every accepted, useful or contacted result of a source with each rejected\n"
	 "or not useful one, fits the weights by pairwise logistic regression on part of\n"
	 "the sources and reports the accuracy on the held-out rest before and after.\n"
	 "根据反馈学习匹配权重，并报告留出集上的准确率。\n\n"
	 "  --out FILE      where the fitted configuration goes (default DB.weights, which\n"
	 "                  match then reads)\n"
	 "  --weights FILE  the configuration to start from (default as for match)\n"
	 "  --dry-run       report only, write nothing\n\n"
	 "Needs learn.min_pairs pairs (20 in the bundled configuration).\n",
	 cli_learn},
	{"segment", "cut Chinese text into words (one line in, one line out)",
	 "usage: innolink segment [--mode precise|search] < TEXT\n\n"
	 "Reads UTF-8 lines on standard input and writes each line's words separated\n"
	 "by single spaces, one output line per input line (the SIGHAN format): the\n"
	 "characters are unchanged, only spaces are put between words. 中文分词。\n\n"
	 "  --mode precise   one segmentation (default)\n"
	 "  --mode search    also the dictionary words inside long words, before them\n"
	 "                   (华中 科技 大学 华中科技大学)\n\n"
	 "Words come from the bundled dictionary and data/dict/*.txt (\"word [freq [tag]]\"\n"
	 "lines, read at start: edit them and run again). Invalid UTF-8 stops with the\n"
	 "line and byte offset.\n",
	 cli_segment},
	{"eval", "measure search quality on a data set in the BEIR layout",
	 "usage: innolink eval --corpus FILE --queries FILE --qrels FILE [options]\n\n"
	 "Indexes the corpus in memory, runs every judged query (OR, top 1000) and\n"
	 "prints ndcg@10, recall@100 and mrr@10 as trec_eval computes them.\n\n"
	 "  --corpus FILE    corpus.jsonl: {\"_id\", \"title\", \"text\"} per line\n"
	 "  --queries FILE   queries.jsonl: {\"_id\", \"text\"} per line\n"
	 "  --qrels FILE     'query-id corpus-id score' TSV with a header, or TREC qrels\n"
	 "  --lang en|zh     en (default): no glossary expansion; zh: expansion on\n"
	 "  --expand, --no-expand   glossary expansion of queries, whatever --lang says\n"
	 "  --k1 K  --b B    BM25 parameters (default 1.2 and 0.75)\n"
	 "  --run FILE       also write a TREC run file (qid Q0 docid rank score innolink)\n"
	 "  --json           the measures and counts as one JSON object\n\n"
	 "Queries without a relevant judgment are skipped (as BEIR does).\n",
	 cli_eval},
	{"chain", "industrial chains link by link: list, show, place records, find gaps",
	 "usage: innolink chain list [--region CODE] [--chain ID] | show ID | import FILE...\n"
	 "       innolink chain export ID [--out FILE]\n"
	 "       innolink chain assign [--kind KIND] [--id ID] [--dry-run] [--min-confidence X]\n"
	 "       innolink chain place KIND ID LINK [--remove]\n"
	 "       innolink chain gaps --region CODE [--chain ID] [--link ID] [--json]\n\n"
	 "Industrial chains as trees of links (upstream, midstream, downstream, sub-links),\n"
	 "the records placed on each link, and where a region's industry and research\n"
	 "meet. 产业链与创新链：环节、归属、短板分析。\n\n"
	 "  list              every chain with its links (--json: id, name_zh, name_en, links);\n"
	 "                    --region CODE: the chains led by that region or one inside it\n"
	 "  show ID           one chain as a tree, with how many records each link holds\n"
	 "  import FILE...    load or update chain definitions (data/chains/NAME.json); links\n"
	 "                    a file no longer has are deleted with their placements\n"
	 "                    (--demo: mark them as demo data)\n"
	 "  export ID         the chain as a definition file, to edit and import again\n"
	 "  assign            place organizations, persons, achievements and demands on links\n"
	 "                    by rule (industry and IPC codes) and by the text classifier,\n"
	 "                    and print what changed; records placed by hand stay as they are\n"
	 "                    重新计算归属并报告变化\n"
	 "      --kind KIND       only this kind (repeatable)   --id ID   only this record\n"
	 "      --dry-run         report the changes, write nothing\n"
	 "      --min-confidence X   classifier placements need this confidence (default 0.5)\n"
	 "      --max N           classifier placements per record (default 2)\n"
	 "  place KIND ID LINK   place a record on a link by hand (人工归属); it then keeps\n"
	 "                    exactly its manual placements; --remove takes one back\n"
	 "  gaps --region CODE   per link: industrial strength (enterprises, high-tech\n"
	 "                    enterprises) and innovation strength (labs, R&D institutions,\n"
	 "                    experts, achievements, deals), each over the average of the\n"
	 "                    region's peers, and the class: strong, industry_only (deploy\n"
	 "                    innovation), innovation_only (attract investment) or weak\n"
	 "                    双强 / 有产业缺创新 / 有创新缺产业 / 双弱\n"
	 "      --chain ID        only this chain\n"
	 "      --link ID         for one link: local enterprises, what it lacks, the best\n"
	 "                        experts, labs and achievements anywhere, and enterprises\n"
	 "                        elsewhere to attract (--limit N per list, default 10)\n\n"
	 "Confidential demands are never counted or listed. See docs/chains.md.\n",
	 cli_chain},
	{"indicator", "regional indicators and progress against targets",
	 "usage: innolink indicator import FILE [--skip-invalid] [--dry-run] [--sheet NAME]\n"
	 "       innolink indicator show [--region CODE] [--name NAME] [--no-computed] [--json]\n"
	 "       innolink indicator targets [--region CODE] [--json]\n\n"
	 "Regional time series (high-tech enterprises, cluster output value, R&D\n"
	 "institutions, laboratories, contract turnover, ...) with their targets.\n"
	 "区域指标与目标进度。\n\n"
	 "  import FILE   CSV, TSV or XLSX with the indicator columns (innolink fields\n"
	 "                indicator): region, name, period, value, target, unit, ...; a file\n"
	 "                with a bad row is not imported unless --skip-invalid; every bad row\n"
	 "                is reported as FILE:LINE: field 'NAME': value 'VALUE' REASON\n"
	 "  show          the series of a region and its sub-regions, plus what the\n"
	 "                platform's own records give (deals_signed, contract_turnover,\n"
	 "                docking_rate; --no-computed leaves them out)\n"
	 "  targets       each target with the base, the latest figure and the progress:\n"
	 "                (latest - base) / (target - base), or latest / target without a base\n",
	 cli_indicator},
	{"copy", "copy a whole database to another back end (SQLite <-> PostgreSQL)",
	 "usage: innolink copy --from DB --to DB\n\n"
	 "Copies every record, its history, the name keys and the change log from one\n"
	 "database to a new one, in one transaction, keeping ids, versions and times:\n"
	 "SQLite to PostgreSQL and back gives the same rows. 在 SQLite 与 PostgreSQL\n"
	 "之间完整复制数据库（含历史版本与变更日志）。\n\n"
	 "  --from DB   the database to read (default: --db, $INNOLINK_DB or ./innolink.db)\n"
	 "  --to DB     the database to create and fill; it must hold no records\n\n"
	 "DB is a file path (SQLite), a postgres:// or postgresql:// URI, or a libpq\n"
	 "keyword string such as \"host=/run/postgresql dbname=innolink\". Both must be at\n"
	 "this program's schema version (run 'innolink migrate' first).\n",
	 cli_copy},
	{"fields", "the fields (columns) of each kind, for import sheets",
	 "usage: innolink fields [KIND] [--markdown] [--json]\n\n"
	 "Lists the columns each kind takes, with their Chinese headers, types and\n"
	 "meaning. 列出各类数据的字段（导入表头）。\n",
	 cmd_fields},
	{"deal", "technology contracts: new, show, move, milestone, list, export --registration",
	 "usage: innolink deal new --title T --type TYPE --buyer ORG --seller ORG [options]\n"
	 "       innolink deal show ID [--json]\n"
	 "       innolink deal move ID STATE [--version N] [--by NAME]\n"
	 "       innolink deal milestone ID --title T [--due DATE] [--amount N]\n"
	 "       innolink deal milestone ID --paid N [--date DATE]\n"
	 "       innolink deal list [--state STATE] [--json]\n"
	 "       innolink deal export --registration --out FILE.xlsx|FILE.csv [--zh-headers]\n\n"
	 "Technology contracts and their workflow. 技术合同：意向、洽谈、签约、登记、履行、完成。\n\n"
	 "States: intent -> negotiation -> signed -> registered -> performance -> completed;\n"
	 "terminated from any open state. An illegal move is refused with the current state\n"
	 "and the allowed ones.\n\n"
	 "  new: --type transfer|licence|joint|service|consulting (技术转让/许可/合作开发/\n"
	 "       技术服务/技术咨询), --licence exclusive|sole|non_exclusive, --achievement ID,\n"
	 "       --demand ID, --amount N (万元), --currency CODE, --region CODE, --signed,\n"
	 "       --starts, --ends DATE, --id ID (default DEA-n)\n"
	 "  milestone     payment milestones 付款节点, part of the deal (and its audit\n"
	 "                trail); --paid N marks the N-th paid (today, or --date)\n"
	 "  --version N   the version you saw (deal show): if someone changed the deal\n"
	 "                since, the move is refused as a conflict 版本冲突\n"
	 "  --by NAME     who makes the change, for the audit log\n"
	 "  export --registration   the columns a technology-contract registration office\n"
	 "                asks for (docs/trade.md), signed deals only 技术合同登记表\n",
	 cli_deal},
	{"docking", "the docking pipeline of demands: move, show, tick, renew, rate, notifications",
	 "usage: innolink docking move DEMAND STATE [--broker ID] [--note TEXT] [--version N]\n"
	 "       innolink docking show DEMAND [--json]\n"
	 "       innolink docking tick [--respond-days 10] [--abandon-days 30] [--json]\n"
	 "       innolink docking renew DEMAND\n"
	 "       innolink docking rate DEMAND --side demand|supply --score 1-5 [--comment T]\n"
	 "       innolink docking notifications RECIPIENT [--unread] [--mark-read]\n\n"
	 "Moves a demand through new -> assigned -> docking -> agreed -> success, or to\n"
	 "abandoned. 需求对接流程：新发布、已分派、对接中、已达成、成功/已放弃。\n\n"
	 "  --broker ID       for 'assigned': the city operator or service agency\n"
	 "  tick              runs the clock now ($INNOLINK_NOW pins it): a demand with no\n"
	 "                    response after --respond-days is escalated to its city\n"
	 "                    operator (notification to city:CODE); one with no progress\n"
	 "                    for --abandon-days is abandoned unless renewed 超期升级/放弃\n"
	 "  renew             the owner re-confirms the demand: its clock starts again\n"
	 "  rate              a closed docking rated by one side, 1-5 满意度评价\n"
	 "  notifications     a recipient's reminders as JSON, newest first 消息提醒\n"
	 "  --by NAME         who makes the change, for the audit log\n",
	 cli_docking},
	{"audit", "verify the hash-chained audit log of demands, deals and placements",
	 "usage: innolink audit verify [--db PATH] [--json]\n\n"
	 "Recomputes every entry's hash and its link to the one before, and checks each\n"
	 "demand, deal and placement against its last entry. Exit status 0: intact;\n"
	 "1: the first broken entry is named. 校验审计日志哈希链。\n",
	 cli_audit},
	{"renew", "re-confirm an achievement or demand so it stays listed",
	 "usage: innolink renew KIND ID [--days N] [--by NAME]\n"
	 "       innolink renew --expired KIND [--owner ORG] [--period DAYS]\n\n"
	 "Sets the record's expiry date (expires) to today + N days (default 180).\n"
	 "Expired achievements and demands leave search and matching until renewed.\n"
	 "A record without an expiry date is live for --period days (default 365)\n"
	 "after it was published. --expired lists the expired ones (one owner's,\n"
	 "confidential demands included, with --owner) so they can be renewed.\n"
	 "续期：成果与需求到期后不再参与检索与匹配，续期后恢复。\n",
	 cli_renew},
	{"figures", "closed-loop figures per period: demands, docking rate, deals, turnover",
	 "usage: innolink figures [--region CODE] [--chain ID] [--by year|month|city] [options]\n\n"
	 "Demands posted, docked and docking rate, median days to first response, deals\n"
	 "by type, contract turnover (万元) and satisfaction, per period and in total;\n"
	 "with --json also each broker's median response time. 闭环统计指标。\n\n"
	 "  --region CODE          a region with everything inside it\n"
	 "  --chain ID             demands placed on this industrial chain\n"
	 "  --by year|month|city   a row per year (default), month, or city (all periods)\n"
	 "  --out FILE             write .xlsx or .csv instead of printing CSV\n"
	 "  --include-confidential count confidential demands and their deals (operators)\n"
	 "  --agencies             instead, each broker's response-time score: demands\n"
	 "                         assigned, answered, median days to first response\n"
	 "                         服务机构响应时效\n"
	 "  --json                 the figures as JSON\n",
	 cli_figures},
	{"user", "manage the accounts of the web front end and their API tokens",
	 "usage: innolink user add NAME --role ROLE [options]\n"
	 "       innolink user list [--json]\n"
	 "       innolink user disable|enable NAME\n"
	 "       innolink user token NAME [--label TEXT] | --list | --revoke ID\n\n"
	 "Accounts log in to the web UI and the API. 管理网站账号与接口令牌。\n\n"
	 "  --role ROLE           operator (省中心运营), city_operator (市级运营),\n"
	 "                        enterprise (企业), expert (专家), institution (高校院所),\n"
	 "                        agency (服务机构)\n"
	 "  --region ID           a city operator's region (所辖地区)\n"
	 "  --org ID              the organization an enterprise, institution or agency\n"
	 "                        acts for (所属机构)\n"
	 "  --person ID           the person record an expert is (专家编号)\n"
	 "  --display TEXT        a name to show\n"
	 "  --password-file FILE  the password, the file's first line; else\n"
	 "                        $INNOLINK_PASSWORD, else a prompt on a terminal\n\n"
	 "disable ends the account's sessions and revokes its tokens (停用账号).\n"
	 "token makes an API token for programs, shown once and stored only as a hash;\n"
	 "--list shows an account's tokens, --revoke ID revokes one (吊销令牌).\n",
	 cli_user},
	{"version", "print the version", "usage: innolink version [--json]\n", cmd_version},
	{NULL, NULL, NULL, NULL},
};
