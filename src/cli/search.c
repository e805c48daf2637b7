/*
 * search.c - `innolink search` and `innolink index rebuild|stats`: the
 * matching engine's index from the command line.
 *
 * The index lives beside the database as DB.index (il_index_save), with
 * the store change sequence it reflects.  A command that needs the index
 * loads that snapshot and applies the changes the store logged since
 * (il_index_catch_up), so an answer never lags behind an import and no
 * snapshot has to be rebuilt after one.  Without a usable snapshot
 * (missing, corrupt, or made from another database) it builds the index in
 * memory from the store (il_index_build).  `index rebuild` writes the
 * snapshot with the sequence the build reflects.
 *
 * Depends on: the public headers (index, text, store), like every command.
 */
#include "cli.h"

#include <getopt.h>
#include <innolink/index.h>
#include <innolink/text.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int cli_search(struct cli *cli, int argc, char **argv);
int cli_index(struct cli *cli, int argc, char **argv);

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void snapshot_path(const struct cli *cli, char *out, size_t size)
{
	snprintf(out, size, "%s.index", cli->db);
}

static void print_json_string(const char *s)
{
	struct il_buf b = IL_BUF_INIT;
	il_json_string(&b, s ? s : "", s ? strlen(s) : 0);
	fputs(il_buf_cstr(&b), stdout);
	il_buf_release(&b);
}

/* The index for a command (cli.h). */
int cli_get_index(struct cli *cli, const struct il_text *text, struct il_store *s,
		  struct il_index **ix, const char **source, int64_t *seq, double *secs)
{
	char snap[4200];
	struct stat st;
	double t0 = now_s();
	int rc;
	snapshot_path(cli, snap, sizeof(snap));
	if (stat(snap, &st) == 0) {
		rc = il_index_load(text, snap, ix, seq);
		if (rc == IL_OK) {
			rc = il_index_catch_up(*ix, s, seq);
			if (rc == IL_OK) {
				*source = "snapshot";
				*secs = now_s() - t0;
				return IL_OK;
			}
			il_index_close(*ix);
			*ix = NULL;
		}
		/* a corrupt snapshot, or one of another database, is not fatal:
		 * say so, and build instead; a failing store fails the build too */
		if (rc != IL_EIO && rc != IL_EFORMAT && rc != IL_ECONFLICT)
			return rc;
		fprintf(stderr, "innolink: ignoring %s: %s\n", snap, il_error_detail(rc));
	}
	if ((rc = il_index_open(text, NULL, ix)) != IL_OK)
		return rc;
	if ((rc = il_index_build(*ix, s, seq)) != IL_OK) {
		il_index_close(*ix);
		*ix = NULL;
		return rc;
	}
	*source = "store";
	*secs = now_s() - t0;
	return IL_OK;
}

/* "YYYY-MM-DD" as days since 1970-01-01. */
static bool parse_day(const char *s, int32_t *out)
{
	int y, m, d;
	char tail;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return false;
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
	int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	*out = (int32_t)(era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468);
	return true;
}

static const char *field_name(enum il_ifield f)
{
	static const char *const names[IL_IF__COUNT] = {"title", "keywords", "body", "names"};
	return (unsigned)f < IL_IF__COUNT ? names[f] : "?";
}

/* A hit's title from the store, or NULL (caller releases *r when set). */
static const char *hit_title(struct il_store *s, const struct il_index_hit *h, struct il_record *r,
			     bool *have)
{
	const struct il_kind_info *k = il_kind_info(h->kind);
	*have = false;
	if (!k || il_store_get(s, h->kind, h->id, r) != IL_OK) {
		il_error_clear();
		return NULL;
	}
	*have = true;
	return r->values[k->title_field];
}

static void print_hits(struct cli *cli, struct il_store *s, const char *query,
		       const struct il_index_hit *hits, size_t n, size_t total, double ms,
		       const char *source)
{
	if (cli->json) {
		printf("{\"query\":");
		print_json_string(query);
		printf(",\"total\":%zu,\"ms\":%.3f,\"index\":\"%s\",\"hits\":[", total, ms, source);
	} else if (n == 0) {
		printf("no matches\n");
	}
	for (size_t i = 0; i < n; i++) {
		const struct il_index_hit *h = &hits[i];
		struct il_record r;
		bool have;
		const char *title = hit_title(s, h, &r, &have);
		const char *kind = il_kind_info(h->kind)->name;
		if (cli->json) {
			printf("%s{\"rank\":%zu,\"kind\":\"%s\",\"id\":", i ? "," : "", i + 1,
			       kind);
			print_json_string(h->id);
			printf(",\"score\":%.6f,\"title\":", (double)h->score);
			print_json_string(title);
			printf(",\"terms\":[");
			for (size_t t = 0; t < h->nterms; t++) {
				printf("%s{\"term\":", t ? "," : "");
				print_json_string(h->terms[t].term);
				printf(",\"field\":\"%s\",\"score\":%.6f,\"translated\":%s}",
				       field_name(h->terms[t].field), (double)h->terms[t].score,
				       h->terms[t].translated ? "true" : "false");
			}
			printf("]}");
		} else {
			printf("%2zu. %-12s %-16s %7.3f  %s\n", i + 1, kind, h->id,
			       (double)h->score, title ? title : "");
			printf("    ");
			for (size_t t = 0; t < h->nterms && t < 8; t++)
				printf("%s%s%s/%s", t ? ", " : "", h->terms[t].term,
				       h->terms[t].translated ? "*" : "",
				       field_name(h->terms[t].field));
			printf("\n");
		}
		if (have)
			il_record_release(&r);
	}
	if (cli->json)
		printf("]}\n");
	else
		printf("(%zu of %s%zu matches, %.2f ms; * = through the glossary)\n", n,
		       total > n ? "about " : "", total, ms);
}

int cli_search(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{"kind", required_argument, NULL, 'k'},
		{"region", required_argument, NULL, 'r'},
		{"link", required_argument, NULL, 'l'},
		{"status", required_argument, NULL, 's'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"and", no_argument, NULL, 'a'},
		{"top", required_argument, NULL, 'n'},
		{"include-hidden", no_argument, NULL, 'H'},
		{"no-expand", no_argument, NULL, 'E'},
		{NULL, 0, NULL, 0},
	};
	struct il_index_query q;
	struct il_store *s = NULL;
	struct il_text *text = NULL;
	struct il_index *ix = NULL;
	struct il_arena arena;
	struct il_index_hit *hits = NULL;
	const char *source = "";
	size_t nhits = 0, total = 0;
	double secs = 0, t0;
	int64_t seq = 0;
	int rc;

	il_index_query_init(&q, NULL, 0);
	OPT_LOOP(opts)
	{
		switch (c) {
		case 'k': {
			/* repeatable, or comma-separated */
			char buf[256];
			snprintf(buf, sizeof(buf), "%s", optarg);
			for (char *save, *tok = strtok_r(buf, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				enum il_kind k;
				if (cli_kind("search", tok, &k))
					return EXIT_USAGE;
				q.kinds |= 1u << k;
			}
			break;
		}
		case 'r':
			q.region = optarg;
			break;
		case 'l':
			q.link = optarg;
			break;
		case 's':
			q.status = optarg;
			break;
		case 'f':
		case 't':
			if (!parse_day(optarg, c == 'f' ? &q.date_from : &q.date_to))
				return cli_usage("search", "--%s takes a date YYYY-MM-DD, not '%s'",
						 c == 'f' ? "from" : "to", optarg);
			break;
		case 'a':
			q.op = IL_QUERY_AND;
			break;
		case 'n': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || n < 1 || n > 10000)
				return cli_usage("search", "--top takes 1..10000, not '%s'",
						 optarg);
			q.k = (size_t)n;
			break;
		}
		case 'H':
			q.include_hidden = true;
			break;
		case 'E':
			q.expand = false;
			break;
		default:
			return cli_usage("search", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("search", optind < argc ? "one query at a time (quote it)"
							 : "what to search for?");
	q.text = argv[optind];
	q.len = strlen(q.text);

	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if ((rc = il_text_open(cli_data_dir(), 0, &text)) != IL_OK ||
	    (rc = cli_get_index(cli, text, s, &ix, &source, &seq, &secs)) != IL_OK)
		goto done;
	il_arena_init(&arena, 0, 0);
	t0 = now_s();
	rc = il_index_search(ix, &q, &arena, &hits, &nhits, &total);
	if (rc == IL_OK)
		print_hits(cli, s, q.text, hits, nhits, total, (now_s() - t0) * 1000, source);
	il_arena_release(&arena);
done:
	il_index_close(ix);
	il_text_close(text);
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}

static void print_stats(struct cli *cli, const struct il_index *ix, const char *source, int64_t seq,
			double secs, const char *snap)
{
	struct il_index_stats st;
	il_index_stats(ix, &st);
	if (cli->json) {
		printf("{\"docs\":%zu,\"dead\":%zu,\"hidden\":%zu,\"kinds\":{", st.docs, st.dead,
		       st.hidden);
		for (int k = 0, n = 0; k < IL_KIND__COUNT; k++)
			if (st.by_kind[k])
				printf("%s\"%s\":%zu", n++ ? "," : "",
				       il_kind_info((enum il_kind)k)->name, st.by_kind[k]);
		printf("},\"terms\":%zu,\"postings\":%zu,\"blocks\":%zu,\"postings_bytes\":%zu,"
		       "\"positions_bytes\":%zu,\"garbage_bytes\":%zu,\"regions\":%zu,\"memory\":%zu,"
		       "\"avg_len\":{\"title\":%.2f,\"keywords\":%.2f,\"body\":%.2f,\"names\":%.2f},"
		       "\"index\":\"%s\",\"seq\":%lld,\"seconds\":%.4f",
		       st.terms, st.postings, st.blocks, st.postings_bytes, st.positions_bytes,
		       st.garbage_bytes, st.regions, st.memory, st.avg_len[0], st.avg_len[1],
		       st.avg_len[2], st.avg_len[3], source, (long long)seq, secs);
		if (snap) {
			struct stat sb;
			printf(",\"snapshot\":");
			print_json_string(snap);
			if (stat(snap, &sb) == 0)
				printf(",\"snapshot_bytes\":%lld", (long long)sb.st_size);
		}
		if (strcmp(source, "store") == 0 && secs > 0)
			printf(",\"docs_per_s\":%.0f", (double)st.docs / secs);
		printf("}\n");
		return;
	}
	printf("documents      %zu (%zu hidden, %zu dead)\n", st.docs, st.hidden, st.dead);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		if (st.by_kind[k])
			printf("  %-12s %zu\n", il_kind_info((enum il_kind)k)->name, st.by_kind[k]);
	printf("terms          %zu\n", st.terms);
	printf("postings       %zu in %zu blocks\n", st.postings, st.blocks);
	printf("bytes          %zu postings, %zu positions, %zu garbage\n", st.postings_bytes,
	       st.positions_bytes, st.garbage_bytes);
	printf("memory         %zu bytes\n", st.memory);
	printf("avg length     title %.1f, keywords %.1f, body %.1f, names %.1f\n", st.avg_len[0],
	       st.avg_len[1], st.avg_len[2], st.avg_len[3]);
	printf("regions        %zu\n", st.regions);
	printf("store change   %lld\n", (long long)seq);
	if (strcmp(source, "store") == 0)
		printf("built from the store in %.1f ms (%.0f documents/s)\n", secs * 1000,
		       secs > 0 ? (double)st.docs / secs : 0.0);
	else
		printf("loaded from the snapshot and caught up with the store in %.1f ms\n",
		       secs * 1000);
	if (snap) {
		struct stat sb;
		if (stat(snap, &sb) == 0)
			printf("snapshot       %s (%lld bytes)\n", snap, (long long)sb.st_size);
	}
}

int cli_index(struct cli *cli, int argc, char **argv)
{
	struct il_store *s = NULL;
	struct il_text *text = NULL;
	struct il_index *ix = NULL;
	char snap[4200];
	const char *source = "";
	double secs = 0;
	int64_t seq = 0;
	bool rebuild;
	int rc;
	if (argc != 2 || (strcmp(argv[1], "rebuild") != 0 && strcmp(argv[1], "stats") != 0))
		return cli_usage("index", "rebuild or stats?");
	rebuild = strcmp(argv[1], "rebuild") == 0;
	snapshot_path(cli, snap, sizeof(snap));
	if (cli_open(cli, IL_STORE_READONLY, &s))
		return EXIT_FAIL;
	if ((rc = il_text_open(cli_data_dir(), 0, &text)) != IL_OK)
		goto done;
	if (rebuild && strcmp(il_store_backend(s), "sqlite") != 0) {
		rc = il_error_set(
			IL_EUNSUPPORTED,
			"index rebuild: the snapshot file DB.index is for SQLite files; "
			"a server on PostgreSQL builds its index from the database at start");
		goto done;
	}
	if (rebuild) {
		double t0 = now_s();
		if ((rc = il_index_open(text, NULL, &ix)) != IL_OK ||
		    (rc = il_index_build(ix, s, &seq)) != IL_OK)
			goto done;
		secs = now_s() - t0;
		source = "store";
		if ((rc = il_index_save(ix, snap, seq)) != IL_OK)
			goto done;
		print_stats(cli, ix, source, seq, secs, snap);
	} else {
		if ((rc = cli_get_index(cli, text, s, &ix, &source, &seq, &secs)) != IL_OK)
			goto done;
		print_stats(cli, ix, source, seq, secs,
			    strcmp(source, "snapshot") == 0 ? snap : NULL);
	}
done:
	il_index_close(ix);
	il_text_close(text);
	il_store_close(s);
	return rc ? cli_fail(rc) : EXIT_OK;
}
