/*
 * trade.c - `innolink deal`, `docking`, `audit`, `renew` and `figures`:
 * the front end of the trade module (include/innolink/trade.h) and of the
 * store's audit log.  Each subcommand parses its options, calls one library
 * function and prints its result as text or, with --json, the library's
 * JSON unchanged (what the HTTP API will serve).
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <innolink/trade.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who a change is recorded as: "cli" or "cli:NAME" with --by NAME. */
struct actor {
	char text[160];
};

static const char *actor_of(struct actor *a, const char *by)
{
	snprintf(a->text, sizeof(a->text), by ? "cli:%s" : "cli", by ? by : "");
	return a->text;
}

static int parse_long(const char *cmd, const char *opt, const char *v, long min, long max,
		      long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return cli_usage(cmd, "%s: value '%s' is not a number from %ld to %ld", opt, v, min,
				 max);
	*out = n;
	return EXIT_OK;
}

/* Prints a JSON buffer the library filled, or the error that stopped it. */
static int print_json(int rc, struct il_buf *b)
{
	if (!rc)
		printf("%s\n", il_buf_cstr(b));
	il_buf_release(b);
	return rc ? cli_fail(rc) : EXIT_OK;
}

/* Opens the store read-write, runs fn, closes; prints the error if any. */
static int with_store(struct cli *cli, unsigned flags, int (*fn)(struct il_store *s, void *ctx),
		      void *ctx)
{
	struct il_store *s;
	if (cli_open(cli, flags, &s))
		return EXIT_FAIL;
	int rc = fn(s, ctx);
	il_store_close(s);
	return rc;
}

/* ---- deal ---- */

struct deal_new {
	struct cli *cli;
	struct il_record r;
	const char *by;
};

static int deal_new_run(struct il_store *s, void *vctx)
{
	struct deal_new *d = vctx;
	struct actor a;
	struct il_buf b = IL_BUF_INIT;
	int rc = il_trade_deal_new(s, &d->r, actor_of(&a, d->by));
	if (rc)
		return cli_fail(rc);
	if (d->cli->json)
		return print_json(il_trade_deal_json(s, d->r.id, &b), &b);
	printf("%s\tintent 意向\t%s\n", d->r.id, il_record_get(&d->r, "title"));
	return EXIT_OK;
}

static int deal_new(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"title", required_argument, NULL, 1},
		{"type", required_argument, NULL, 1},
		{"buyer", required_argument, NULL, 1},
		{"seller", required_argument, NULL, 1},
		{"achievement", required_argument, NULL, 1},
		{"demand", required_argument, NULL, 1},
		{"amount", required_argument, NULL, 1},
		{"currency", required_argument, NULL, 1},
		{"licence", required_argument, NULL, 1},
		{"region", required_argument, NULL, 1},
		{"signed", required_argument, NULL, 1},
		{"starts", required_argument, NULL, 1},
		{"ends", required_argument, NULL, 1},
		{"id", required_argument, NULL, 2},
		{"by", required_argument, NULL, 3},
		{NULL, 0, NULL, 0},
	};
	struct deal_new d = {cli, {0}, NULL};
	int idx = 0, rc = IL_OK;
	il_record_init(&d.r, IL_KIND_DEAL);
	optind = 0;
	opterr = 0;
	for (int c; !rc && (c = getopt_long(argc, argv, "", opts, &idx)) != -1;) {
		if (c == 1)
			rc = il_record_set_by_name(&d.r, opts[idx].name, optarg, strlen(optarg));
		else if (c == 2)
			rc = il_record_set_id(&d.r, optarg, strlen(optarg));
		else if (c == 3)
			d.by = optarg;
		else {
			il_record_release(&d.r);
			return cli_usage("deal", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (rc) {
		il_record_release(&d.r);
		return cli_usage("deal", "%s", il_error_detail(rc));
	}
	rc = with_store(cli, 0, deal_new_run, &d);
	il_record_release(&d.r);
	return rc;
}

struct deal_one {
	struct cli *cli;
	const char *id, *by;
	enum il_deal_state to;
	long version, paid;
	const char *title, *due, *amount, *date;
};

static int print_audit_row(const char *const *cols, void *ctx)
{
	(void)ctx;
	printf("  #%s  %s  %-6s v%s  %s\n", cols[0], cols[1], cols[2], cols[3],
	       cols[4] ? cols[4] : "");
	return IL_OK;
}

static int print_milestone(const struct il_trade_milestone *m, void *ctx)
{
	(void)ctx;
	printf("  %zu. %s  due 到期 %s", m->n, m->title ? m->title : "", m->due ? m->due : "-");
	if (m->has_amount)
		printf("  %g 万元", m->amount);
	printf("%s%s\n", m->paid ? "  paid 已付 " : "", m->paid ? m->paid : "");
	return IL_OK;
}

static int deal_show_run(struct il_store *s, void *vctx)
{
	struct deal_one *d = vctx;
	struct il_buf b = IL_BUF_INIT;
	struct il_record r;
	const char *params[] = {d->id};
	if (d->cli->json)
		return print_json(il_trade_deal_json(s, d->id, &b), &b);
	int rc = il_store_get(s, IL_KIND_DEAL, d->id, &r);
	if (rc)
		return cli_fail(rc);
	const struct il_kind_info *k = il_kind_info(IL_KIND_DEAL);
	printf("%s  version %lld\n", r.id, (long long)r.version);
	for (size_t i = 0; i < k->nfields; i++)
		if (r.values[i] && strcmp(k->fields[i].name, "milestones") != 0)
			printf("  %-16s %-14s %s\n", k->fields[i].name, k->fields[i].zh,
			       r.values[i]);
	printf("milestones 付款节点:\n");
	rc = il_trade_milestones_each(&r, print_milestone, NULL);
	il_record_release(&r);
	printf("audit trail 审计记录:\n");
	if (!rc)
		rc = il_store_sql(s,
				  "SELECT seq, at, op, version, actor FROM audit_log "
				  "WHERE kind = 'deal' AND id = ? ORDER BY seq",
				  params, 1, 5, print_audit_row, NULL);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int deal_move_run(struct il_store *s, void *vctx)
{
	struct deal_one *d = vctx;
	struct actor a;
	struct il_record r;
	int rc = il_trade_deal_move(s, d->id, d->to, d->version, actor_of(&a, d->by), &r);
	if (rc)
		return cli_fail(rc);
	printf("%s\t%s\tversion %lld\n", r.id, il_trade_deal_state_code(d->to),
	       (long long)r.version);
	il_record_release(&r);
	return EXIT_OK;
}

static int deal_milestone_run(struct il_store *s, void *vctx)
{
	struct deal_one *d = vctx;
	struct actor a;
	int rc = d->paid ? il_trade_milestone_paid(s, d->id, (size_t)d->paid, d->date, d->version,
						   actor_of(&a, d->by))
			 : il_trade_milestone_add(s, d->id, d->title, d->due, d->amount, d->version,
						  actor_of(&a, d->by));
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int print_deal_row(const struct il_record *r, void *ctx)
{
	struct cli *cli = ctx;
	struct il_buf b = IL_BUF_INIT;
	if (cli->json) {
		int rc = il_record_to_json(r, IL_JSON_META, NULL, &b);
		if (!rc)
			printf("%s\n", il_buf_cstr(&b));
		il_buf_release(&b);
		return rc;
	}
	const char *state = il_record_get(r, "state"), *amount = il_record_get(r, "amount");
	printf("%s\t%-11s\t%-10s\t%s\t%s\n", r->id, state ? state : "intent",
	       il_record_get(r, "type"), amount ? amount : "-", il_record_get(r, "title"));
	return IL_OK;
}

struct deal_list {
	struct cli *cli;
	const char *state;
};

static int deal_list_run(struct il_store *s, void *vctx)
{
	struct deal_list *l = vctx;
	struct il_query q;
	il_query_init(&q, IL_KIND_DEAL);
	if (l->state) {
		q.field[0] = "state";
		q.value[0] = l->state;
		q.nfilters = 1;
	}
	int rc = il_store_list(s, &q, print_deal_row, l->cli, NULL);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int deal_one_args(int argc, char **argv, struct deal_one *d)
{
	static const struct option opts[] = {
		{"version", required_argument, NULL, 'v'}, {"by", required_argument, NULL, 'b'},
		{"title", required_argument, NULL, 't'},   {"due", required_argument, NULL, 'd'},
		{"amount", required_argument, NULL, 'a'},  {"paid", required_argument, NULL, 'p'},
		{"date", required_argument, NULL, 'D'},    {NULL, 0, NULL, 0},
	};
	OPT_LOOP(opts)
	{
		if (c == 'v' && parse_long("deal", "--version", optarg, 1, 1L << 30, &d->version))
			return EXIT_USAGE;
		if (c == 'p' && parse_long("deal", "--paid", optarg, 1, 1000, &d->paid))
			return EXIT_USAGE;
		if (c == 'b')
			d->by = optarg;
		else if (c == 't')
			d->title = optarg;
		else if (c == 'd')
			d->due = optarg;
		else if (c == 'a')
			d->amount = optarg;
		else if (c == 'D')
			d->date = optarg;
		else if (c != 'v' && c != 'p')
			return cli_usage("deal", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	return EXIT_OK;
}

static int deal_export(struct cli *cli, int argc, char **argv);

static int cli_deal_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"state", required_argument, NULL, 's'},
					     {NULL, 0, NULL, 0}};
	struct deal_list l = {cli, NULL};
	OPT_LOOP(opts)
	{
		if (c != 's')
			return cli_usage("deal", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		l.state = optarg;
	}
	return with_store(cli, IL_STORE_READONLY, deal_list_run, &l);
}

int cli_deal(struct cli *cli, int argc, char **argv)
{
	struct deal_one d = {cli, NULL, NULL, IL_DEAL_INTENT, 0, 0, NULL, NULL, NULL, NULL};
	const char *sub = argc > 1 ? argv[1] : "";
	if (strcmp(sub, "new") == 0)
		return deal_new(cli, argc - 1, argv + 1);
	if (strcmp(sub, "list") == 0)
		return cli_deal_list(cli, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return deal_export(cli, argc - 1, argv + 1);
	if (strcmp(sub, "show") != 0 && strcmp(sub, "move") != 0 && strcmp(sub, "milestone") != 0)
		return cli_usage("deal", "which subcommand? new, show, move, milestone, list or "
					 "export");
	if (deal_one_args(argc - 1, argv + 1, &d))
		return EXIT_USAGE;
	int want = strcmp(sub, "move") == 0 ? 2 : 1;
	if (argc - 1 - optind != want)
		return cli_usage("deal", "deal %s takes %s", sub,
				 want == 2 ? "a deal id and a state" : "a deal id");
	d.id = argv[1 + optind];
	if (strcmp(sub, "show") == 0)
		return with_store(cli, IL_STORE_READONLY, deal_show_run, &d);
	if (strcmp(sub, "milestone") == 0)
		return with_store(cli, 0, deal_milestone_run, &d);
	enum il_deal_state to;
	if (il_trade_deal_state_parse(argv[2 + optind], &to))
		return cli_usage("deal", "%s", il_error_detail(IL_EINVAL));
	d.to = to;
	return with_store(cli, 0, deal_move_run, &d);
}

struct export_ctx {
	const char *out;
	enum il_format fmt;
	bool zh;
};

static int deal_export_run(struct il_store *s, void *vctx)
{
	struct export_ctx *e = vctx;
	size_t rows;
	int rc = il_trade_registration_export(s, e->out, e->fmt, e->zh, &rows);
	if (rc)
		return cli_fail(rc);
	fprintf(stderr, "wrote %zu signed deals to %s\n", rows, e->out);
	return EXIT_OK;
}

static int deal_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"registration", no_argument, NULL, 'r'},
		{"out", required_argument, NULL, 'o'},
		{"format", required_argument, NULL, 'f'},
		{"zh-headers", no_argument, NULL, 'z'},
		{NULL, 0, NULL, 0},
	};
	struct export_ctx e = {NULL, IL_FMT_CSV, false};
	const char *format = NULL;
	bool registration = false;
	OPT_LOOP(opts)
	{
		if (c == 'r')
			registration = true;
		else if (c == 'o')
			e.out = optarg;
		else if (c == 'f')
			format = optarg;
		else if (c == 'z')
			e.zh = true;
		else
			return cli_usage("deal", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (!registration)
		return cli_usage("deal",
				 "deal export writes the registration table: give --registration");
	if (!e.out)
		return cli_usage("deal", "deal export needs --out FILE (.csv or .xlsx)");
	e.fmt = il_format_from_path(e.out);
	if (format && il_format_parse(format, &e.fmt))
		return cli_usage("deal", "--format: %s", il_error_detail(IL_EINVAL));
	if (e.fmt != IL_FMT_CSV && e.fmt != IL_FMT_XLSX)
		return cli_usage("deal", "the registration table is written as CSV or XLSX");
	return with_store(cli, IL_STORE_READONLY, deal_export_run, &e);
}

/* ---- docking ---- */

struct dock {
	struct cli *cli;
	const char *id, *by, *broker, *note, *side, *comment;
	enum il_docking_state to;
	long version, score;
	struct il_trade_clock clock;
	bool unread, mark_read;
};

static int dock_move_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct actor a;
	int rc = il_trade_docking_move(s, d->id, d->to, d->broker, d->note, d->version,
				       actor_of(&a, d->by));
	if (rc)
		return cli_fail(rc);
	printf("%s\t%s\n", d->id, il_trade_docking_state_code(d->to));
	return EXIT_OK;
}

static int print_step(const char *const *cols, void *ctx)
{
	(void)ctx;
	printf("  %s  %s -> %s  %s%s%s\n", cols[0], cols[1] ? cols[1] : "", cols[2],
	       cols[3] ? cols[3] : "", cols[4] ? "  " : "", cols[4] ? cols[4] : "");
	return IL_OK;
}

static int dock_show_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct il_buf b = IL_BUF_INIT;
	struct il_record r;
	const char *params[] = {d->id};
	if (d->cli->json)
		return print_json(il_trade_docking_json(s, d->id, &b), &b);
	int rc = il_store_get(s, IL_KIND_DEMAND, d->id, &r);
	if (rc)
		return cli_fail(rc);
	const char *st = il_record_get(&r, "status");
	printf("%s  %s  version %lld\n  %s\n", r.id, st ? st : "new", (long long)r.version,
	       il_record_get(&r, "title"));
	il_record_release(&r);
	printf("steps 对接记录:\n");
	rc = il_store_sql(s,
			  "SELECT at, from_state, to_state, actor, note FROM docking_step "
			  "WHERE demand = ? ORDER BY pk",
			  params, 1, 5, print_step, NULL);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int dock_tick_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct il_trade_tick t;
	int rc = il_trade_docking_tick(s, &d->clock, &t);
	if (rc)
		return cli_fail(rc);
	if (d->cli->json)
		printf("{\"escalated\":%zu,\"abandoned\":%zu}\n", t.escalated, t.abandoned);
	else
		printf("escalated 升级 %zu, abandoned 放弃 %zu\n", t.escalated, t.abandoned);
	return EXIT_OK;
}

static int dock_renew_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct actor a;
	int rc = il_trade_docking_renew(s, d->id, actor_of(&a, d->by));
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int dock_rate_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct actor a;
	int rc = il_trade_rate(s, d->id, d->side, (int)d->score, d->comment, actor_of(&a, d->by));
	return rc ? cli_fail(rc) : EXIT_OK;
}

static int dock_notes_run(struct il_store *s, void *vctx)
{
	struct dock *d = vctx;
	struct il_buf b = IL_BUF_INIT;
	int rc = il_trade_notifications_json(s, d->id, d->unread, &b);
	if (!rc && d->mark_read)
		rc = il_trade_notifications_read(s, d->id);
	return print_json(rc, &b);
}

static int dock_args(int argc, char **argv, struct dock *d)
{
	static const struct option opts[] = {
		{"version", required_argument, NULL, 'v'},
		{"by", required_argument, NULL, 'b'},
		{"broker", required_argument, NULL, 'B'},
		{"note", required_argument, NULL, 'n'},
		{"side", required_argument, NULL, 's'},
		{"score", required_argument, NULL, 'S'},
		{"comment", required_argument, NULL, 'c'},
		{"respond-days", required_argument, NULL, 'r'},
		{"abandon-days", required_argument, NULL, 'a'},
		{"unread", no_argument, NULL, 'u'},
		{"mark-read", no_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	long days;
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'v':
			if (parse_long("docking", "--version", optarg, 1, 1L << 30, &d->version))
				return EXIT_USAGE;
			break;
		case 'S':
			if (parse_long("docking", "--score", optarg, 1, 5, &d->score))
				return EXIT_USAGE;
			break;
		case 'r':
		case 'a':
			if (parse_long("docking", c == 'r' ? "--respond-days" : "--abandon-days",
				       optarg, 1, 3650, &days))
				return EXIT_USAGE;
			*(c == 'r' ? &d->clock.respond_days : &d->clock.abandon_days) = (int)days;
			break;
		case 'b':
			d->by = optarg;
			break;
		case 'B':
			d->broker = optarg;
			break;
		case 'n':
			d->note = optarg;
			break;
		case 's':
			d->side = optarg;
			break;
		case 'c':
			d->comment = optarg;
			break;
		case 'u':
			d->unread = true;
			break;
		case 'm':
			d->mark_read = true;
			break;
		default:
			return cli_usage("docking", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	return EXIT_OK;
}

struct dock_sub {
	const char *name;
	int nargs; /* positional arguments after the subcommand */
	unsigned flags; /* store open flags */
	int (*run)(struct il_store *s, void *ctx);
};

static const struct dock_sub dock_subs[] = {
	{"move", 2, 0, dock_move_run},
	{"show", 1, IL_STORE_READONLY, dock_show_run},
	{"tick", 0, 0, dock_tick_run},
	{"renew", 1, 0, dock_renew_run},
	{"rate", 1, 0, dock_rate_run},
	{"notifications", 1, 0, dock_notes_run},
	{NULL, 0, 0, NULL},
};

int cli_docking(struct cli *cli, int argc, char **argv)
{
	struct dock d;
	const struct dock_sub *sub = dock_subs;
	memset(&d, 0, sizeof(d));
	d.cli = cli;
	il_trade_clock_init(&d.clock);
	while (sub->name && (argc < 2 || strcmp(sub->name, argv[1]) != 0))
		sub++;
	if (!sub->name)
		return cli_usage("docking", "which subcommand? move, show, tick, renew, rate or "
					    "notifications");
	if (dock_args(argc - 1, argv + 1, &d))
		return EXIT_USAGE;
	if (argc - 1 - optind != sub->nargs)
		return cli_usage("docking", "docking %s takes %d argument%s", sub->name, sub->nargs,
				 sub->nargs == 1 ? "" : "s");
	d.id = sub->nargs ? argv[1 + optind] : NULL;
	if (strcmp(sub->name, "rate") == 0 && (!d.side || !d.score))
		return cli_usage("docking",
				 "docking rate needs --side demand|supply and --score 1-5");
	if (sub->nargs == 2 && il_trade_docking_state_parse(argv[2 + optind], &d.to))
		return cli_usage("docking", "%s", il_error_detail(IL_EINVAL));
	return with_store(cli, sub->flags, sub->run, &d);
}

/* ---- audit ---- */

static int audit_run(struct il_store *s, void *ctx)
{
	struct cli *cli = ctx;
	struct il_audit_report a;
	struct il_buf b = IL_BUF_INIT;
	int rc = il_store_audit_verify(s, &a);
	if (rc)
		return cli_fail(rc);
	if (cli->json) {
		il_buf_addf(&b, "{\"entries\":%lld,\"intact\":%s,\"broken\":%lld,\"reason\":",
			    (long long)a.entries, a.broken ? "false" : "true", (long long)a.broken);
		il_json_string(&b, a.reason, strlen(a.reason));
		il_buf_addf(&b, ",\"head\":\"%s\"}", a.broken ? "" : a.head);
		printf("%s\n", il_buf_cstr(&b));
		il_buf_release(&b);
	} else if (!a.broken) {
		printf("audit log intact 审计日志完整: %lld entries, head %s\n",
		       (long long)a.entries, a.head);
	}
	if (!a.broken)
		return EXIT_OK;
	fprintf(stderr,
		"innolink audit: the chain breaks at entry %lld 审计链在第 %lld 条断开: %s\n",
		(long long)a.broken, (long long)a.broken, a.reason);
	return EXIT_FAIL;
}

int cli_audit(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{NULL, 0, NULL, 0}};
	OPT_LOOP(opts)
	{
		return cli_usage("audit", "unknown option '%s'", argv[optind - 1]);
	}
	if (argc - optind != 1 || strcmp(argv[optind], "verify") != 0)
		return cli_usage("audit", "the subcommand is 'verify'");
	return with_store(cli, IL_STORE_READONLY, audit_run, cli);
}

/* ---- renew ---- */

struct renew {
	enum il_kind kind;
	const char *id, *by, *owner;
	long days, period;
	bool expired;
	char today[21]; /* il_time_now's timestamp cut to its date */
	size_t n;
};

static int print_expired(const struct il_record *rec, void *vctx)
{
	struct renew *r = vctx;
	const char *expires = il_record_get(rec, "expires"), *title = rec->values[0];
	if (il_trade_is_live(rec, r->today, (int)r->period))
		return IL_OK;
	r->n++;
	printf("%s\t%s\t%s\n", rec->id, expires ? expires : "-", title ? title : "");
	return IL_OK;
}

/* The expired records of a kind (one owner's with --owner), for renewal. */
static int expired_run(struct il_store *s, void *vctx)
{
	struct renew *r = vctx;
	struct il_query q;
	il_query_init(&q, r->kind);
	q.include_confidential = r->owner != NULL; /* the owner sees its own */
	if (r->owner) {
		q.field[0] = "owner";
		q.value[0] = r->owner;
		q.nfilters = 1;
	}
	int rc = il_store_list(s, &q, print_expired, r, NULL);
	if (rc)
		return cli_fail(rc);
	fprintf(stderr, "%zu expired on %s 已过期 (renew them with 'innolink renew %s ID')\n", r->n,
		r->today, il_kind_info(r->kind)->name);
	return EXIT_OK;
}

static int renew_run(struct il_store *s, void *vctx)
{
	struct renew *r = vctx;
	struct actor a;
	struct il_record rec;
	int rc = il_trade_renew(s, r->kind, r->id, (int)r->days, actor_of(&a, r->by));
	if (!rc)
		rc = il_store_get(s, r->kind, r->id, &rec);
	if (rc)
		return cli_fail(rc);
	printf("%s\texpires 有效期至 %s\n", rec.id, il_record_get(&rec, "expires"));
	il_record_release(&rec);
	return EXIT_OK;
}

int cli_renew(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"days", required_argument, NULL, 'd'},   {"by", required_argument, NULL, 'b'},
		{"expired", no_argument, NULL, 'e'},      {"owner", required_argument, NULL, 'o'},
		{"period", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
	};
	struct renew r;
	memset(&r, 0, sizeof(r));
	r.days = 180;
	r.period = IL_TRADE_LISTING_DAYS;
	OPT_LOOP(opts)
	{
		if (c == 'd' && parse_long("renew", "--days", optarg, 1, 3650, &r.days))
			return EXIT_USAGE;
		if (c == 'p' && parse_long("renew", "--period", optarg, 0, 36500, &r.period))
			return EXIT_USAGE;
		if (c == 'b')
			r.by = optarg;
		else if (c == 'o')
			r.owner = optarg;
		else if (c == 'e')
			r.expired = true;
		else if (c != 'd' && c != 'p')
			return cli_usage("renew", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
	}
	if (argc - optind != (r.expired ? 1 : 2))
		return cli_usage("renew",
				 r.expired
					 ? "renew --expired takes a kind"
					 : "renew takes a kind (achievement or demand) and an id");
	if (cli_kind("renew", argv[optind], &r.kind))
		return EXIT_USAGE;
	if (r.expired) {
		il_time_now(r.today);
		r.today[10] = '\0';
		return with_store(cli, IL_STORE_READONLY, expired_run, &r);
	}
	r.id = argv[optind + 1];
	return with_store(cli, 0, renew_run, &r);
}

/* ---- figures ---- */

struct figs {
	struct cli *cli;
	struct il_trade_scope scope;
	const char *out;
	bool agencies;
};

static int figures_run(struct il_store *s, void *vctx)
{
	struct figs *f = vctx;
	struct il_buf b = IL_BUF_INIT;
	int (*table)(struct il_store *, const struct il_trade_scope *, const char *,
		     enum il_format) =
		f->agencies ? il_trade_agencies_export : il_trade_figures_export;
	if (f->out) {
		int rc = table(s, &f->scope, f->out, il_format_from_path(f->out));
		if (rc)
			return cli_fail(rc);
		fprintf(stderr, "wrote the figures to %s\n", f->out);
		return EXIT_OK;
	}
	if (f->cli->json)
		return print_json(il_trade_figures_json(s, &f->scope, &b), &b);
	/* a person gets the table the XLSX holds, as CSV on standard output */
	int rc = table(s, &f->scope, "/dev/stdout", IL_FMT_CSV);
	return rc ? cli_fail(rc) : EXIT_OK;
}

int cli_figures(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"region", required_argument, NULL, 'r'},
		{"chain", required_argument, NULL, 'c'},
		{"by", required_argument, NULL, 'b'},
		{"out", required_argument, NULL, 'o'},
		{"include-confidential", no_argument, NULL, 'C'},
		{"agencies", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	struct figs f = {cli, {NULL, NULL, IL_BY_YEAR, false}, NULL, false};
	OPT_LOOP(opts)
	{
		if (c == 'r')
			f.scope.region = optarg;
		else if (c == 'c')
			f.scope.chain = optarg;
		else if (c == 'o')
			f.out = optarg;
		else if (c == 'C')
			f.scope.include_confidential = true;
		else if (c == 'a')
			f.agencies = true;
		else if (c == 'b' && strcmp(optarg, "year") == 0)
			f.scope.by = IL_BY_YEAR;
		else if (c == 'b' && strcmp(optarg, "month") == 0)
			f.scope.by = IL_BY_MONTH;
		else if (c == 'b' && strcmp(optarg, "city") == 0)
			f.scope.by = IL_BY_CITY;
		else
			return cli_usage("figures",
					 "unknown or incomplete option '%s' (--by is year, "
					 "month or city)",
					 argv[optind - 1]);
	}
	if (optind < argc)
		return cli_usage("figures", "unexpected argument '%s'", argv[optind]);
	if (f.out && il_format_from_path(f.out) != IL_FMT_XLSX &&
	    il_format_from_path(f.out) != IL_FMT_CSV)
		return cli_usage("figures", "--out: the figures are written as .xlsx or .csv");
	return with_store(cli, IL_STORE_READONLY, figures_run, &f);
}
