/*
 * bench_match.c - the matcher measured: expert finding quality beside two
 * baselines computed in the same run, and the latency of full matches.
 *
 * experts DIR  Expert finding (Brochier et al. 2020, DBLP; DIR holds
 *              docs.tsv, doc_author.tsv, queries.jsonl, expert_qrels.txt).
 *              Each paper becomes an achievement (its text the abstract)
 *              listing its authors as inventors, each author a person of
 *              that name, all in a temporary SQLite store; every topic is
 *              matched as free text to experts (--kind expert: the
 *              profile each author gets from their papers, harmonic
 *              aggregation, BM25F, glossary expansion).  Baselines on the
 *              same analyzer and index code:
 *                profile   one document per author holding all their papers'
 *                          text, ranked by BM25 (Balog's model 1);
 *                document  the sum of the BM25 scores of the author's papers
 *                          over all matching papers (Balog's model 2).
 *              MAP, NDCG@10 (trec_eval's, innolink/eval.h) and P@10, mean
 *              over the topics, every candidate ranked.
 *
 * speed DB     Full matches (every kind the source has, top 10, reasons and
 *              snippets built) of the store's public demands in turn (the
 *              first 200, or --demands), on one thread, after one warm-up round: p50,
 *              p99, max and mean, for each setting of query.terms given
 *              (--terms, default: every term, then the bundled setting),
 *              with the agreement of each setting's results with those of
 *              the query of every term (--max-df sets query.max_df).
 *
 * usage: bench_match experts DIR [--datadir DATA] [--tmp DIR]
 *        bench_match speed DB [--runs N] [--datadir DATA] [--index SNAPSHOT]
 *                             [--terms N,N,...] [--demands N] [--max-df DOCS]
 */
#include <innolink/eval.h>
#include <innolink/index.h>
#include <innolink/match.h>
#include <innolink/store.h>
#include <innolink/text.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int die(const char *what, int rc)
{
	fprintf(stderr, "bench_match: %s: %s\n", what, il_error_detail(rc));
	return 1;
}

/* One line of a TSV file at a time; the buffer is reused. */
static char *read_line(FILE *f, struct il_buf *b)
{
	int c;
	il_buf_reset(b);
	while ((c = fgetc(f)) != EOF && c != '\n')
		if (il_buf_addc(b, (char)c))
			return NULL;
	if (c == EOF && b->len == 0)
		return NULL;
	return b->ptr ? b->ptr : (char *)"";
}

struct corpus {
	char **text; /* per paper */
	size_t ndocs;
	char **authors; /* per paper: "author_1;author_7" */
	char **profile; /* per author index: their papers' text */
	size_t nauthors;
};

static int grow_to(char ***arr, size_t *n, size_t want)
{
	if (want <= *n)
		return 0;
	char **p = realloc(*arr, want * sizeof(*p));
	if (!p)
		return 1;
	memset(p + *n, 0, (want - *n) * sizeof(*p));
	*arr = p;
	*n = want;
	return 0;
}

static char *append(char *s, const char *add, const char *sep)
{
	size_t a = s ? strlen(s) : 0, b = strlen(add), c = s ? strlen(sep) : 0;
	char *p = realloc(s, a + b + c + 1);
	if (!p)
		return s;
	memcpy(p + a, sep, c);
	memcpy(p + a + c, add, b + 1);
	return p;
}

static int load_corpus(const char *dir, struct corpus *c)
{
	char path[4096];
	struct il_buf b = IL_BUF_INIT;
	char *line;
	size_t n = 0;
	FILE *f;
	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/docs.tsv", dir);
	if (!(f = fopen(path, "r")))
		return il_error_set(IL_EIO, "%s: cannot open", path);
	while ((line = read_line(f, &b)) != NULL) {
		char *tab = strchr(line, '\t');
		size_t id;
		if (!tab)
			continue;
		id = (size_t)strtoul(line, NULL, 10);
		if (grow_to(&c->text, &n, id + 1))
			return il_error_set(IL_ENOMEM, "out of memory");
		c->text[id] = strdup(tab + 1);
	}
	fclose(f);
	c->ndocs = n;
	n = 0;
	grow_to(&c->authors, &n, c->ndocs);
	snprintf(path, sizeof(path), "%s/doc_author.tsv", dir);
	if (!(f = fopen(path, "r")))
		return il_error_set(IL_EIO, "%s: cannot open", path);
	while ((line = read_line(f, &b)) != NULL) {
		size_t d, a;
		char name[64];
		if (sscanf(line, "%zu\t%zu", &d, &a) != 2 || d >= c->ndocs || !c->text[d])
			continue;
		snprintf(name, sizeof(name), "author_%zu", a);
		c->authors[d] = append(c->authors[d], name, ";");
		if (grow_to(&c->profile, &c->nauthors, a + 1))
			return il_error_set(IL_ENOMEM, "out of memory");
		c->profile[a] = append(c->profile[a], c->text[d], "\n");
	}
	fclose(f);
	il_buf_release(&b);
	return IL_OK;
}

static int put(struct il_store *s, enum il_kind kind, const char *const *kv)
{
	struct il_record r;
	enum il_put_result res;
	int rc = il_record_init(&r, kind);
	for (size_t i = 0; kv[i] && !rc; i += 2)
		rc = strcmp(kv[i], "id") == 0
			     ? il_record_set_id(&r, kv[i + 1], strlen(kv[i + 1]))
			     : il_record_set_by_name(&r, kv[i], kv[i + 1], strlen(kv[i + 1]));
	if (!rc)
		rc = il_store_put(s, &r, IL_PUT_NO_DEDUP, "bench", &res);
	il_record_release(&r);
	return rc;
}

static int fill_store(struct il_store *s, const struct corpus *c)
{
	char id[64], name[64], title[64];
	int rc = il_store_begin(s);
	for (size_t a = 0; a < c->nauthors && !rc; a++) {
		if (!c->profile[a])
			continue;
		snprintf(id, sizeof(id), "PER-%zu", a);
		snprintf(name, sizeof(name), "author_%zu", a);
		const char *kv[] = {"id", id, "name_zh", name, NULL};
		rc = put(s, IL_KIND_PERSON, kv);
	}
	for (size_t d = 0; d < c->ndocs && !rc; d++) {
		if (!c->text[d] || !c->authors[d])
			continue;
		/* the files hold title and abstract as one text: all of it is the
		 * abstract, and the title a code no topic contains */
		snprintf(id, sizeof(id), "ACH-%zu", d);
		snprintf(title, sizeof(title), "D%zu", d);
		const char *kv[] = {"id",       id,          "title",       title, "abstract",
				    c->text[d], "inventors", c->authors[d], NULL};
		rc = put(s, IL_KIND_ACHIEVEMENT, kv);
	}
	return rc ? rc : il_store_commit(s);
}

struct measures {
	double map, ndcg10, p10;
};

/* Average precision, P@10 and NDCG@10 of a ranking (hits sorted). */
static void measure(const struct il_eval_topic *t, struct il_eval_hit *hits, size_t n,
		    struct measures *m)
{
	double sum = 0;
	size_t rel = 0, rel10 = 0;
	il_eval_sort(hits, n);
	for (size_t i = 0; i < n; i++)
		if (il_eval_grade(t, hits[i].docid) > 0) {
			rel++;
			sum += (double)rel / (double)(i + 1);
			rel10 += i < 10;
		}
	m->map += t->nrel ? sum / (double)t->nrel : 0;
	m->p10 += (double)rel10 / 10;
	m->ndcg10 += il_eval_ndcg(t, hits, n, 10);
}

static void print_measures(const char *name, const struct measures *m, size_t n)
{
	printf("%-52s %7.4f %8.4f %7.4f\n", name, m->map / (double)n, m->ndcg10 / (double)n,
	       m->p10 / (double)n);
}

struct experts {
	struct corpus c;
	struct il_text *text;
	struct il_store *s;
	struct il_index *papers, *profiles;
	struct il_match *m;
	struct il_eval_set set;
};

/* Our matcher: the topic as free text to experts. */
static int rank_match(struct experts *e, const struct il_eval_topic *t, struct il_arena *a,
		      struct il_eval_hit **hits, size_t *n)
{
	struct il_match_query q;
	struct il_match_answer ans;
	il_match_query_init(&q);
	q.text = t->text;
	q.len = t->text_len;
	q.kinds = 1u << IL_MATCH_EXPERT;
	q.top = 1000;
	int rc = il_match_run(e->m, &q, a, &ans);
	if (rc)
		return rc;
	*hits = il_arena_alloc(a, (ans.nresults + 1) * sizeof(**hits));
	for (size_t i = 0; i < ans.nresults; i++) {
		/* PER-<a> -> author_<a>, the qrels' names */
		char *name = il_arena_alloc(a, strlen(ans.results[i].id) + 8);
		sprintf(name, "author_%s", ans.results[i].id + 4);
		(*hits)[i].docid = name;
		(*hits)[i].score = ans.results[i].score;
	}
	*n = ans.nresults;
	return IL_OK;
}

static int search(const struct il_index *ix, const struct il_eval_topic *t, enum il_kind kind,
		  size_t k, struct il_arena *a, struct il_index_hit **hits, size_t *n)
{
	struct il_index_query q;
	il_index_query_init(&q, t->text, t->text_len);
	q.kinds = 1u << kind;
	q.k = k;
	return il_index_search(ix, &q, a, hits, n, NULL);
}

/* Baseline 1: BM25 of each author's concatenated papers. */
static int rank_profile(struct experts *e, const struct il_eval_topic *t, struct il_arena *a,
			struct il_eval_hit **hits, size_t *n)
{
	struct il_index_hit *h;
	int rc = search(e->profiles, t, IL_KIND_PERSON, e->c.nauthors, a, &h, n);
	if (rc)
		return rc;
	*hits = il_arena_alloc(a, (*n + 1) * sizeof(**hits));
	for (size_t i = 0; i < *n; i++) {
		(*hits)[i].docid = h[i].id;
		(*hits)[i].score = h[i].score;
	}
	return IL_OK;
}

/* Baseline 2: the sum of BM25 scores of each author's papers. */
static int rank_document(struct experts *e, const struct il_eval_topic *t, struct il_arena *a,
			 struct il_eval_hit **hits, size_t *n)
{
	struct il_index_hit *h;
	size_t nh;
	double *sum = calloc(e->c.nauthors + 1, sizeof(double));
	int rc =
		sum ? search(e->papers, t, IL_KIND_ACHIEVEMENT, e->c.ndocs, a, &h, &nh) : IL_ENOMEM;
	*n = 0;
	for (size_t i = 0; i < nh && !rc; i++) {
		size_t d = (size_t)strtoul(h[i].id + 4, NULL, 10);
		for (const char *p = e->c.authors[d]; p && *p; p += strcspn(p, ";"), p += *p == ';')
			sum[strtoul(p + 7, NULL, 10)] += h[i].score;
	}
	*hits = il_arena_alloc(a, (e->c.nauthors + 1) * sizeof(**hits));
	for (size_t x = 0; x < e->c.nauthors && !rc; x++) {
		if (sum[x] <= 0)
			continue;
		char *name = il_arena_alloc(a, 32);
		snprintf(name, 32, "author_%zu", x);
		(*hits)[*n].docid = name;
		(*hits)[(*n)++].score = sum[x];
	}
	free(sum);
	return rc;
}

static int index_profiles(struct experts *e)
{
	int rc = il_index_open(e->text, NULL, &e->profiles);
	for (size_t x = 0; x < e->c.nauthors && !rc; x++) {
		struct il_index_doc d;
		char name[64];
		if (!e->c.profile[x])
			continue;
		memset(&d, 0, sizeof(d));
		snprintf(name, sizeof(name), "author_%zu", x);
		d.kind = IL_KIND_PERSON;
		d.id = name;
		d.text[IL_IF_BODY] = e->c.profile[x];
		d.len[IL_IF_BODY] = strlen(e->c.profile[x]);
		d.date = INT32_MIN;
		rc = il_index_put(e->profiles, &d);
	}
	return rc ? rc : il_index_compact(e->profiles);
}

typedef int (*ranker)(struct experts *, const struct il_eval_topic *, struct il_arena *,
		      struct il_eval_hit **, size_t *);

static int run_experts(const char *dir, const char *datadir, const char *tmp)
{
	struct experts e;
	char db[4200], qpath[4200], rpath[4200];
	int rc;
	memset(&e, 0, sizeof(e));
	snprintf(db, sizeof(db), "%s/experts-%d.db", tmp, (int)getpid());
	snprintf(qpath, sizeof(qpath), "%s/queries.jsonl", dir);
	snprintf(rpath, sizeof(rpath), "%s/expert_qrels.txt", dir);
	unlink(db);
	if ((rc = load_corpus(dir, &e.c)) != 0)
		return die("corpus", rc);
	if ((rc = il_eval_set_load(&e.set, qpath, rpath)) != 0)
		return die("topics", rc);
	if ((rc = il_text_open(datadir, 0, &e.text)) != 0)
		return die("analyzer", rc);
	if ((rc = il_store_open(db, IL_STORE_CREATE, &e.s)) != 0 ||
	    (rc = fill_store(e.s, &e.c)) != 0)
		return die("store", rc);
	if ((rc = il_index_open(e.text, NULL, &e.papers)) != 0 ||
	    (rc = il_index_build(e.papers, e.s, NULL)) != 0 || (rc = index_profiles(&e)) != 0)
		return die("index", rc);
	if ((rc = il_match_open(e.s, e.papers, e.text, NULL, &e.m)) != 0)
		return die("matcher", rc);
	printf("%zu papers, %zu candidate authors, %zu topics, %zu judgments\n", e.c.ndocs,
	       e.c.nauthors, e.set.ntopics - e.set.nskipped, e.set.nqrels);
	printf("%-52s %7s %8s %7s\n", "ranking", "MAP", "NDCG@10", "P@10");
	static const struct {
		const char *name;
		ranker fn;
	} rankers[] = {
		{"innolink match --kind expert (profiles from papers)", rank_match},
		{"baseline: BM25 of concatenated papers (model 1)", rank_profile},
		{"baseline: sum of BM25 of papers (model 2)", rank_document},
	};
	for (size_t r = 0; r < sizeof(rankers) / sizeof(rankers[0]) && !rc; r++) {
		struct measures m = {0, 0, 0};
		size_t nt = 0;
		for (size_t i = 0; i < e.set.ntopics && !rc; i++) {
			const struct il_eval_topic *t = &e.set.topics[i];
			struct il_arena a;
			struct il_eval_hit *hits = NULL;
			size_t n = 0;
			if (!t->text || !t->nrel)
				continue;
			il_arena_init(&a, 0, 0);
			rc = rankers[r].fn(&e, t, &a, &hits, &n);
			if (!rc) {
				measure(t, hits, n, &m);
				nt++;
			}
			il_arena_release(&a);
		}
		if (!rc)
			print_measures(rankers[r].name, &m, nt);
	}
	if (rc)
		return die("ranking", rc);
	il_match_close(e.m);
	il_index_close(e.papers);
	il_index_close(e.profiles);
	il_store_close(e.s);
	il_text_close(e.text);
	il_eval_set_release(&e.set);
	unlink(db);
	return 0;
}

static int list_id(const struct il_record *r, void *ctx)
{
	struct il_buf *ids = ctx;
	return il_buf_add(ids, r->id, strlen(r->id) + 1);
}

/* every term, then the bundled setting */
static char default_terms[32];

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct speed {
	double p50, p99, max, mean;
	double results, reasons; /* per match */
};

static int match_demand(struct il_match *m, const char *id, struct il_arena *arena,
			struct il_match_answer *a)
{
	struct il_match_query q;
	il_match_query_init(&q);
	q.from_kind = IL_KIND_DEMAND;
	q.from_id = id;
	q.operator_view = true;
	return il_match_run(m, &q, arena, a);
}

/* Full matches of the demands in turn, after one warm-up round. */
static int time_matches(struct il_match *m, const struct il_buf *ids, size_t nids, size_t runs,
			struct speed *out)
{
	double *ms = calloc(runs, sizeof(double)), sum = 0;
	size_t total = 0, stats = 0;
	const char *id = ids->ptr;
	int rc = ms ? IL_OK : IL_ENOMEM;
	for (size_t r = 0; r < runs + nids && !rc; r++) {
		struct il_match_answer a;
		struct il_arena arena;
		il_arena_init(&arena, 0, 0);
		double t = now_ms();
		rc = match_demand(m, id, &arena, &a);
		t = now_ms() - t;
		/* the first round over the demands warms the caches */
		if (!rc && r >= nids) {
			ms[r - nids] = t;
			total += a.nresults;
			for (size_t i = 0; i < a.nresults; i++)
				stats += a.results[i].nreasons;
		}
		il_arena_release(&arena);
		id += strlen(id) + 1;
		if (id >= ids->ptr + ids->len)
			id = ids->ptr;
	}
	if (!rc) {
		qsort(ms, runs, sizeof(double), cmp_double);
		for (size_t i = 0; i < runs; i++)
			sum += ms[i];
		out->p50 = ms[runs / 2];
		out->p99 = ms[(size_t)((double)runs * 0.99)];
		out->max = ms[runs - 1];
		out->mean = sum / (double)runs;
		out->results = (double)total / (double)runs;
		out->reasons = (double)stats / (double)runs;
	}
	free(ms);
	return rc;
}

/* Share of the results of matcher `all` (every query term) that matcher
 * `m` finds too, per demand and kind, averaged over the (demand, kind)
 * lists that have any. */
static int agreement(struct il_match *all, struct il_match *m, const struct il_buf *ids,
		     double *out)
{
	double sum = 0;
	size_t lists = 0;
	int rc = IL_OK;
	for (const char *id = ids->ptr; id < ids->ptr + ids->len && !rc; id += strlen(id) + 1) {
		struct il_match_answer a, b;
		struct il_arena arena;
		il_arena_init(&arena, 0, 0);
		rc = match_demand(all, id, &arena, &a);
		if (!rc)
			rc = match_demand(m, id, &arena, &b);
		for (unsigned k = 0; k < IL_MATCH__COUNT && !rc; k++) {
			size_t same = 0, n = 0;
			for (size_t i = 0; i < a.nresults; i++) {
				if (a.results[i].kind != k)
					continue;
				n++;
				for (size_t j = 0; j < b.nresults; j++)
					same += b.results[j].kind == k &&
						strcmp(b.results[j].id, a.results[i].id) == 0;
			}
			if (n) {
				sum += (double)same / (double)n;
				lists++;
			}
		}
		il_arena_release(&arena);
	}
	*out = lists ? sum / (double)lists : 1.0;
	return rc;
}

static int run_speed(const char *db, const char *datadir, const char *snap, size_t runs,
		     const char *terms, size_t demands, long max_df)
{
	struct il_store *s;
	struct il_text *text;
	struct il_index *ix;
	struct il_match *all = NULL;
	struct il_match_config cfg;
	struct il_query lq;
	struct il_buf ids = IL_BUF_INIT;
	int64_t seq;
	size_t nids = 0;
	double t0 = now_ms();
	int rc;
	if ((rc = il_store_open(db, IL_STORE_READONLY, &s)) != 0)
		return die(db, rc);
	if ((rc = il_text_open(datadir, 0, &text)) != 0)
		return die("analyzer", rc);
	rc = snap ? il_index_load(text, snap, &ix, &seq) : il_index_open(text, NULL, &ix);
	if (!rc)
		rc = snap ? il_index_catch_up(ix, s, &seq) : il_index_build(ix, s, &seq);
	if (rc)
		return die("index", rc);
	double t1 = now_ms();
	il_match_config_init(&cfg);
	if (max_df >= 0)
		cfg.query_max_df = (size_t)max_df;
	cfg.query_terms = 0;
	if ((rc = il_match_open(s, ix, text, &cfg, &all)) != 0)
		return die("matcher", rc);
	double t2 = now_ms();
	il_query_init(&lq, IL_KIND_DEMAND);
	lq.limit = demands;
	if ((rc = il_store_list(s, &lq, list_id, &ids, NULL)) != 0)
		return die("demands", rc);
	for (size_t i = 0; i < ids.len; i++)
		nids += ids.ptr[i] == '\0';
	if (!nids) {
		fprintf(stderr, "bench_match: no public demand in %s\n", db);
		return 1;
	}
	struct il_index_stats st;
	il_index_stats(ix, &st);
	printf("%zu records indexed (%zu achievements, %zu persons, %zu organizations, %zu demands); "
	       "index %s in %.1f s, matcher opened in %.2f s\n",
	       st.docs, st.by_kind[IL_KIND_ACHIEVEMENT], st.by_kind[IL_KIND_PERSON],
	       st.by_kind[IL_KIND_ORGANIZATION], st.by_kind[IL_KIND_DEMAND],
	       snap ? "loaded" : "built", (t1 - t0) / 1e3, (t2 - t1) / 1e3);
	printf("%zu full matches of %zu demands each (every kind, top 10, reasons), one thread:\n",
	       runs, nids);
	printf("%-14s %9s %9s %9s %9s %8s %8s %10s\n", "query terms", "p50 ms", "p99 ms", "max ms",
	       "mean ms", "results", "reasons", "agreement");
	/* each setting of query.terms in turn; 0 (every term) is the reference
	 * the others' results are compared with */
	for (const char *p = terms; p && *p && !rc; p += strcspn(p, ","), p += *p == ',') {
		struct il_match *m = all;
		struct speed sp;
		double agree = 1.0;
		cfg.query_terms = (size_t)strtoul(p, NULL, 10);
		if (cfg.query_terms && (rc = il_match_open(s, ix, text, &cfg, &m)) != 0)
			break;
		rc = time_matches(m, &ids, nids, runs, &sp);
		if (!rc && m != all)
			rc = agreement(all, m, &ids, &agree);
		if (!rc) {
			char name[32];
			snprintf(name, sizeof(name), cfg.query_terms ? "%zu" : "all",
				 cfg.query_terms);
			printf("%-14s %9.2f %9.2f %9.2f %9.2f %8.1f %8.1f %10.3f\n", name, sp.p50,
			       sp.p99, sp.max, sp.mean, sp.results, sp.reasons, agree);
		}
		if (m != all)
			il_match_close(m);
	}
	if (rc)
		return die("match", rc);
	printf("agreement: the share of the every-term results (per demand and kind) the "
	       "selected query finds too\n");
	il_buf_release(&ids);
	il_match_close(all);
	il_index_close(ix);
	il_text_close(text);
	il_store_close(s);
	return 0;
}

int main(int argc, char **argv)
{
	const char *datadir = NULL, *tmp = "/tmp", *snap = NULL, *terms = NULL;
	size_t runs = 1000, demands = 200;
	long max_df = -1;
	if (argc < 3) {
		fprintf(stderr,
			"usage: bench_match experts DIR [--datadir DATA] [--tmp DIR]\n"
			"       bench_match speed DB [--runs N] [--datadir DATA] [--index FILE]\n"
			"                        [--terms N,N,...] [--demands N] [--max-df DOCS]\n");
		return 2;
	}
	for (int i = 3; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--datadir") == 0)
			datadir = argv[i + 1];
		else if (strcmp(argv[i], "--tmp") == 0)
			tmp = argv[i + 1];
		else if (strcmp(argv[i], "--index") == 0)
			snap = argv[i + 1];
		else if (strcmp(argv[i], "--terms") == 0)
			terms = argv[i + 1];
		else if (strcmp(argv[i], "--max-df") == 0)
			max_df = strtol(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--demands") == 0)
			demands = (size_t)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = (size_t)strtoul(argv[i + 1], NULL, 10);
	}
	if (!runs)
		runs = 1;
	if (strcmp(argv[1], "experts") == 0)
		return run_experts(argv[2], datadir, tmp);
	struct il_match_config cfg;
	il_match_config_init(&cfg);
	snprintf(default_terms, sizeof(default_terms), "0,%zu", cfg.query_terms);
	if (strcmp(argv[1], "speed") == 0)
		return run_speed(argv[2], datadir, snap, runs, terms ? terms : default_terms,
				 demands ? demands : 1, max_df);
	fprintf(stderr, "bench_match: experts or speed, not '%s'\n", argv[1]);
	return 2;
}
