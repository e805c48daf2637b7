/*
 * bench_engine.c - innolink's index against SQLite FTS5 on the same token
 * stream: build speed, index size, resident memory and top-10 latency,
 * printed as one table per corpus with the goals beside each ratio.
 *
 * Only the index differs: the corpus is tokenized once, by innolink's own
 * analyzer (il_text, no glossary, document mode), into a token stream kept
 * in memory (term, position, stop and colocated flags), and that tokenizing
 * is timed on its own.  Both engines then index the same stream: a row's
 * text is a reference ("#k", the k-th text of the corpus) that a tokenizer
 * of each engine replays from the stream - for innolink through the
 * index's tokenizer hook (il__index_set_tokenizer), for FTS5 through a
 * custom tokenizer registered with fts5_api's xCreateTokenizer (stop words
 * left out, colocated tokens marked FTS5_TOKEN_COLOCATED).  Queries are
 * analysed by the real analyzer in query mode on both sides.  The table
 * gives build rates on the stream (the index alone) and, for reference,
 * end to end (tokenizing added to both).
 *
 *   innolink  il_index_put of every document (title -> IL_IF_TITLE, text ->
 *             IL_IF_BODY, region) in bulk mode and a final
 *             il_index_compact, as il_index_build does; then il_index_search with k = 10;
 *             size = il_index_memory() and the il_index_save() snapshot;
 *   FTS5      contentless fts5(title, text, content='', tokenize=innolink)
 *             beside docs(rowid, ext, region), on disk, in one transaction
 *             (synchronous off, 256 MiB page cache); queries are
 *             SELECT ext ... WHERE t MATCH ? [AND region = ?] ORDER BY
 *             bm25(t) LIMIT 10; size = the database file.
 *
 * Corpora:
 *   - SciFact's corpus.jsonl as it is (5,183 abstracts);
 *   - a synthetic corpus of --docs documents (default 1,000,000) made from
 *     real text: document i takes a SciFact title and 1 to 4 sentences of
 *     SciFact abstracts (the abstracts cut after ". " before a capital),
 *     all chosen by a generator seeded with i, so every child process
 *     rebuilds the same corpus without storing it.
 * Regions are synthetic on both: document i gets one of the 17 prefecture-
 * level codes of Hubei (420100 Wuhan ... 429021 Shennongjia), uniformly by
 * a hash of i.
 *
 * Queries (the same strings for both engines, --queries of each class):
 * words are taken from one random SciFact sentence (ASCII letters only,
 * not stop words, in 0.1%..10% of SciFact's abstracts), so AND queries
 * have matches; "frequent" queries add the word found in the most
 * abstracts; filtered ones add a random region.
 *
 * Every build runs in a child process of its own (fork), so one engine's
 * memory does not count against the other's, and is repeated --runs times
 * alternating engines; resident memory is counted above the child's own
 * at its start (which holds the shared token stream).  Build times are
 * wall clock; a query's latency is the CPU time of the thread running it,
 * so that time slices given to other jobs on a shared machine (4 ms each
 * here) do not land in the percentiles; latency percentiles are taken per
 * round of queries (3 rounds per build) and the table shows medians over
 * rounds and builds.
 *
 * usage: bench_engine --scifact DIR [--docs N] [--runs R] [--large-runs R]
 *                     [--queries Q] [--large-queries Q] [--datadir DIR] [--tmp DIR]
 */
#include <innolink/eval.h>
#include <innolink/index.h>
#include <innolink/text.h>

#include "index/index_internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *const regions[] = {
	"420100", "420200", "420300", "420500", "420600", "420700", "420800", "420900", "421000",
	"421100", "421200", "421300", "422800", "429004", "429005", "429006", "429021",
};
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

enum qclass {
	Q_OR1,
	Q_OR2,
	Q_OR3,
	Q_AND1,
	Q_AND2,
	Q_AND3,
	Q_FREQ,
	Q_OR2_REGION,
	Q_FREQ_REGION,
	Q__COUNT
};

static const char *const qclass_name[Q__COUNT] = {
	"OR, 1 term",
	"OR, 2 terms",
	"OR, 3 terms",
	"AND, 1 term",
	"AND, 2 terms",
	"AND, 3 terms",
	"OR, frequent term + 1",
	"OR, 2 terms + region",
	"frequent + 1 + region",
};

struct query {
	char text[160]; /* words separated by single spaces */
	const char *region; /* NULL: no filter */
	bool and;
};

static uint64_t mix(uint64_t x)
{
	/* splitmix64: a fixed, well-spread function of the document number */
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* The calling thread's CPU time: a query's latency without the time the
 * scheduler gave other jobs of a shared machine (on a quiet one the two
 * agree for work that never waits, as both engines' queries here). */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process's CPU time, every thread of it: what a build costs in
 * processor time whether it uses one core or more. */
static double proc_cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The corpus: SciFact's documents, and the sentences the synthetic one is
 * made of.  Filled by the parent before any fork, read-only after. */
struct doc {
	char *id, *title, *text;
	size_t title_len, text_len;
};

struct corpus {
	struct doc *docs;
	size_t ndocs, capdocs;
	char **sent; /* sentences of every abstract */
	size_t *sent_len;
	size_t nsent, capsent;
	size_t synthetic; /* 0: SciFact itself; else this many generated documents */
};

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);
	if (!q) {
		fprintf(stderr, "bench_engine: out of memory\n");
		exit(1);
	}
	return q;
}

static void add_sentence(struct corpus *c, const char *s, size_t len)
{
	if (c->nsent == c->capsent) {
		c->capsent = c->capsent ? c->capsent * 2 : 4096;
		c->sent = xrealloc(c->sent, c->capsent * sizeof(*c->sent));
		c->sent_len = xrealloc(c->sent_len, c->capsent * sizeof(*c->sent_len));
	}
	c->sent[c->nsent] = strndup(s, len);
	c->sent_len[c->nsent++] = len;
}

static int load_doc(const struct il_eval_doc *d, void *ctx)
{
	struct corpus *c = ctx;
	if (c->ndocs == c->capdocs) {
		c->capdocs = c->capdocs ? c->capdocs * 2 : 8192;
		c->docs = xrealloc(c->docs, c->capdocs * sizeof(*c->docs));
	}
	struct doc *x = &c->docs[c->ndocs++];
	x->id = strdup(d->id);
	x->title = strdup(d->title);
	x->text = strdup(d->text);
	x->title_len = d->title_len;
	x->text_len = d->text_len;
	/* sentences end at ". " followed by a capital letter */
	const char *s = d->text, *end = d->text + d->text_len;
	for (const char *p = s; p < end; p++)
		if (p[0] == '.' && p + 2 < end && p[1] == ' ' && p[2] >= 'A' && p[2] <= 'Z') {
			add_sentence(c, s, (size_t)(p + 1 - s));
			s = p + 2;
		}
	if (s < end)
		add_sentence(c, s, (size_t)(end - s));
	return IL_OK;
}

static size_t corpus_size(const struct corpus *c)
{
	return c->synthetic ? c->synthetic : c->ndocs;
}

/* Document i's id and region. */
static void corpus_meta(const struct corpus *c, size_t i, char id[32], const char **region)
{
	*region = regions[mix(i) % NREGIONS];
	if (!c->synthetic)
		snprintf(id, 32, "%s", c->docs[i].id);
	else
		snprintf(id, 32, "S%zu", i);
}

/* Document i's title and text (in buf for synthetic ones). */
static void corpus_text(const struct corpus *c, size_t i, struct il_buf *buf, const char **title,
			size_t *tlen, const char **text, size_t *xlen)
{
	uint64_t h = mix(i);
	if (!c->synthetic) {
		*title = c->docs[i].title;
		*tlen = c->docs[i].title_len;
		*text = c->docs[i].text;
		*xlen = c->docs[i].text_len;
		return;
	}
	const struct doc *t = &c->docs[(h >> 8) % c->ndocs];
	*title = t->title;
	*tlen = t->title_len;
	il_buf_reset(buf);
	unsigned n = 1 + (unsigned)((h >> 40) % 4);
	uint64_t r = h;
	for (unsigned k = 0; k < n; k++) {
		r = mix(r);
		size_t s = (size_t)(r % c->nsent);
		if (k)
			il_buf_addc(buf, ' ');
		il_buf_add(buf, c->sent[s], c->sent_len[s]);
	}
	*text = il_buf_cstr(buf);
	*xlen = buf->len;
}

/*
 * The token stream both engines index: every text of the corpus (title
 * and text of each document, text k = 2 * doc + field) analysed once.  A
 * token is its vocabulary id with two flags and its position; punctuation
 * is left out, as both indexes leave it out.
 */
#define STOK_STOP (1u << 31)
#define STOK_COLOC (1u << 30)
#define STOK_TERM (STOK_COLOC - 1)

struct stok {
	uint32_t term; /* vocabulary id | STOK_STOP | STOK_COLOC */
	uint32_t pos;
};

struct stream {
	struct il_strmap vocab; /* term -> id */
	char **term;
	uint32_t *term_len;
	size_t nterm, capterm;
	struct stok *tok;
	size_t ntok, captok;
	size_t *start; /* text k: tok[start[k] .. start[k + 1]) */
	size_t ntext;
	const struct il_text *text; /* the analyzer, for queries */
};

static int stream_token(const struct il_token *t, void *ctx)
{
	struct stream *s = ctx;
	int64_t id;
	if (t->kind == IL_TOK_PUNCT)
		return 0;
	if ((id = il_strmap_get(&s->vocab, t->term, t->term_len)) < 0) {
		if (s->nterm == s->capterm) {
			s->capterm = s->capterm ? s->capterm * 2 : 65536;
			s->term = xrealloc(s->term, s->capterm * sizeof(*s->term));
			s->term_len = xrealloc(s->term_len, s->capterm * sizeof(*s->term_len));
		}
		id = (int64_t)s->nterm;
		s->term[s->nterm] = strndup(t->term, t->term_len);
		s->term_len[s->nterm++] = (uint32_t)t->term_len;
		if (!s->term[id] ||
		    il_strmap_put(&s->vocab, t->term, t->term_len, id, NULL) != IL_OK)
			return IL_ENOMEM;
	}
	if (s->ntok == s->captok) {
		s->captok = s->captok ? s->captok * 2 : 1u << 20;
		s->tok = xrealloc(s->tok, s->captok * sizeof(*s->tok));
	}
	s->tok[s->ntok].term = (uint32_t)id | (t->flags & IL_TOKF_STOP ? STOK_STOP : 0) |
			       (t->flags & IL_TOKF_COLOCATED ? STOK_COLOC : 0);
	s->tok[s->ntok++].pos = t->pos;
	return 0;
}

static void stream_release(struct stream *s)
{
	for (size_t i = 0; i < s->nterm; i++)
		free(s->term[i]);
	free(s->term);
	free(s->term_len);
	free(s->tok);
	free(s->start);
	il_strmap_release(&s->vocab);
	memset(s, 0, sizeof(*s));
}

/* Tokenizes the whole corpus into s; the seconds it took. */
static double stream_make(struct stream *s, const struct corpus *c, const struct il_text *text)
{
	struct il_buf buf = IL_BUF_INIT;
	size_t n = corpus_size(c);
	memset(s, 0, sizeof(*s));
	il_strmap_init(&s->vocab);
	s->text = text;
	s->ntext = 2 * n;
	s->start = xrealloc(NULL, (s->ntext + 1) * sizeof(*s->start));
	double t0 = now();
	for (size_t i = 0; i < n; i++) {
		const char *title, *body;
		size_t tl, xl;
		corpus_text(c, i, &buf, &title, &tl, &body, &xl);
		s->start[2 * i] = s->ntok;
		if (il_text_tokenize_document(text, title, tl, stream_token, s) != IL_OK)
			fprintf(stderr, "bench_engine: %s\n", il_error_detail(IL_EINVAL));
		s->start[2 * i + 1] = s->ntok;
		if (il_text_tokenize_document(text, body, xl, stream_token, s) != IL_OK)
			fprintf(stderr, "bench_engine: %s\n", il_error_detail(IL_EINVAL));
	}
	s->start[s->ntext] = s->ntok;
	il_buf_release(&buf);
	return now() - t0;
}

/* The reference a row carries instead of its text: "#k". */
static size_t stream_ref(char out[32], size_t k)
{
	return (size_t)snprintf(out, 32, "#%zu", k);
}

static bool stream_deref(const struct stream *s, const char *ref, size_t len, size_t *k)
{
	size_t v = 0;
	if (len < 2 || ref[0] != '#')
		return false;
	for (size_t i = 1; i < len; i++) {
		if (ref[i] < '0' || ref[i] > '9')
			return false;
		v = v * 10 + (size_t)(ref[i] - '0');
	}
	*k = v;
	return v < s->ntext;
}

/* innolink's tokenizer hook: replays text k from the stream. */
static int replay_doc(void *ctx, const char *ref, size_t len, il_token_fn fn, void *fnctx)
{
	const struct stream *s = ctx;
	struct il_token tok;
	size_t k;
	int rc;
	if (!stream_deref(s, ref, len, &k))
		return il_error_set(IL_EINVAL, "bench: not a stream reference");
	memset(&tok, 0, sizeof(tok));
	tok.kind = IL_TOK_WORD;
	tok.weight = 1.0f;
	for (size_t i = s->start[k]; i < s->start[k + 1]; i++) {
		uint32_t id = s->tok[i].term & STOK_TERM;
		tok.term = s->term[id];
		tok.term_len = s->term_len[id];
		tok.pos = s->tok[i].pos;
		tok.flags = (s->tok[i].term & STOK_STOP ? IL_TOKF_STOP : 0) |
			    (s->tok[i].term & STOK_COLOC ? IL_TOKF_COLOCATED : 0);
		if ((rc = fn(&tok, fnctx)) != 0)
			return rc;
	}
	return IL_OK;
}

static int real_query(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	const struct stream *s = ctx;
	return il_text_tokenize_query(s->text, text, len, fn, fnctx);
}

static size_t rss_kib(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	size_t v = 0, n = strlen(field);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0 && line[n] == ':')
			v = (size_t)strtoull(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static size_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/* What one build reports to the parent (through a pipe). */
struct result {
	int ok;
	double build_s, build_cpu; /* wall clock, and CPU time of all threads */
	size_t disk, mem; /* bytes; mem 0 when not known */
	size_t rss_kib, hwm_kib;
	double p50[Q__COUNT], p99[Q__COUNT]; /* milliseconds */
	double hits[Q__COUNT]; /* mean hits returned, a sanity check */
	char err[256];
};

struct bench {
	const struct corpus *corpus;
	const struct stream *stream;
	const struct il_text *text;
	const struct query *q[Q__COUNT];
	size_t nq;
	const char *tmp;
	unsigned rounds;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of n sorted values. */
static double pct(const double *v, size_t n, double p)
{
	size_t r = (size_t)ceil(p * (double)n);
	return n ? v[r ? r - 1 : 0] : 0;
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

typedef int (*search_fn)(void *engine, const struct query *q, size_t *nhits);

/* Times every class: `rounds` rounds, percentiles per round, medians kept. */
static int time_queries(const struct bench *b, search_fn fn, void *engine, struct result *res)
{
	double *lat = malloc(b->nq * sizeof(double));
	double p50[16], p99[16];
	if (!lat)
		return IL_ENOMEM;
	for (int c = 0; c < Q__COUNT; c++) {
		size_t total = 0;
		for (unsigned r = 0; r < b->rounds && r < 16; r++) {
			for (size_t i = 0; i < b->nq; i++) {
				size_t n = 0;
				double t0 = cpu_now();
				int rc = fn(engine, &b->q[c][i], &n);
				lat[i] = (cpu_now() - t0) * 1e3;
				if (rc) {
					free(lat);
					return rc;
				}
				total += n;
			}
			qsort(lat, b->nq, sizeof(double), cmp_double);
			p50[r] = pct(lat, b->nq, 0.50);
			p99[r] = pct(lat, b->nq, 0.99);
		}
		res->p50[c] = median(p50, b->rounds);
		res->p99[c] = median(p99, b->rounds);
		res->hits[c] = (double)total / (double)(b->nq * b->rounds);
	}
	free(lat);
	return IL_OK;
}

struct il_engine {
	struct il_index *ix;
	struct il_arena arena;
};

static int il_search(void *engine, const struct query *q, size_t *nhits)
{
	struct il_engine *e = engine;
	struct il_index_query iq;
	struct il_index_hit *hits;
	il_index_query_init(&iq, q->text, strlen(q->text));
	iq.op = q->and ? IL_QUERY_AND : IL_QUERY_OR;
	iq.expand = false;
	iq.k = 10;
	iq.region = q->region;
	int rc = il_index_search(e->ix, &iq, &e->arena, &hits, nhits, NULL);
	il_arena_release(&e->arena);
	return rc;
}

/* The bytes of each section of our snapshot, on stderr beside the table. */
static void print_sections(const char *path)
{
	struct il_buf r = IL_BUF_INIT;
	if (il__snapshot_report(path, &r) == IL_OK)
		fprintf(stderr, "snapshot sections:\n%s", il_buf_cstr(&r));
	il_buf_release(&r);
}

static void run_innolink(const struct bench *b, struct result *res)
{
	size_t base_kib = rss_kib("VmRSS");
	struct il_engine e;
	char path[4096], id[32], ref[2][32];
	int rc;
	il_arena_init(&e.arena, 0, 0);
	double t0 = now(), c0 = proc_cpu_now();
	if ((rc = il_index_open(b->text, NULL, &e.ix)) != IL_OK)
		goto fail;
	il__index_set_tokenizer(e.ix, replay_doc, real_query, (void *)b->stream);
	if ((rc = il_index_bulk(e.ix, true)) != IL_OK)
		goto fail;
	for (size_t i = 0; i < corpus_size(b->corpus); i++) {
		struct il_index_doc d;
		memset(&d, 0, sizeof(d));
		corpus_meta(b->corpus, i, id, &d.region);
		d.text[IL_IF_TITLE] = ref[0];
		d.len[IL_IF_TITLE] = stream_ref(ref[0], 2 * i);
		d.text[IL_IF_BODY] = ref[1];
		d.len[IL_IF_BODY] = stream_ref(ref[1], 2 * i + 1);
		d.kind = IL_KIND_ACHIEVEMENT;
		d.id = id;
		d.date = INT32_MIN;
		if ((rc = il_index_put(e.ix, &d)) != IL_OK)
			goto fail;
	}
	/* il_index_build ends the same way: exact block maxima, no garbage,
	 * each term's blocks side by side */
	if ((rc = il_index_bulk(e.ix, false)) != IL_OK || (rc = il_index_compact(e.ix)) != IL_OK)
		goto fail;
	res->build_s = now() - t0;
	res->build_cpu = proc_cpu_now() - c0;
	res->mem = il_index_memory(e.ix);
	res->rss_kib = rss_kib("VmRSS") - base_kib;
	snprintf(path, sizeof(path), "%s/innolink-%d.snap", b->tmp, (int)getpid());
	if ((rc = il_index_save(e.ix, path, 0)) != IL_OK)
		goto fail;
	res->disk = file_size(path);
	print_sections(path);
	unlink(path);
	if ((rc = time_queries(b, il_search, &e, res)) != IL_OK)
		goto fail;
	res->hwm_kib = rss_kib("VmHWM") - base_kib;
	res->ok = 1;
	il_index_close(e.ix);
	return;
fail:
	snprintf(res->err, sizeof(res->err), "innolink: %s", il_error_detail(rc));
}

/* innolink's analyzer as an FTS5 tokenizer: documents replayed from the
 * stream, queries analysed. */
struct ftok_call {
	void *pctx;
	int (*xtoken)(void *, int, const char *, int, int, int);
	int rc; /* SQLite's code from xToken */
	bool any; /* a token was passed on: COLOCATED is allowed from now */
};

static int ftok_token(const struct il_token *t, void *ctx)
{
	struct ftok_call *c = ctx;
	if (t->flags & IL_TOKF_STOP)
		return 0; /* left out, as the index leaves them out */
	int fl = (t->flags & IL_TOKF_COLOCATED) && c->any ? FTS5_TOKEN_COLOCATED : 0;
	c->rc = c->xtoken(c->pctx, fl, t->term, (int)t->term_len, (int)t->start, (int)t->end);
	c->any = true;
	return c->rc != SQLITE_OK;
}

static int ftok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv;
	(void)argc;
	*out = ctx;
	return SQLITE_OK;
}

static void ftok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

static int ftok_tokenize(Fts5Tokenizer *tok, void *pctx, int flags, const char *text, int n,
			 int (*xtoken)(void *, int, const char *, int, int, int))
{
	const struct stream *s = (const void *)tok;
	struct ftok_call c = {pctx, xtoken, SQLITE_OK, false};
	int rc = (flags & FTS5_TOKENIZE_QUERY)
			 ? il_text_tokenize_query(s->text, text, (size_t)n, ftok_token, &c)
			 : replay_doc((void *)s, text, (size_t)n, ftok_token, &c);
	if (c.rc != SQLITE_OK)
		return c.rc;
	return rc == IL_OK ? SQLITE_OK : SQLITE_ERROR;
}

static int register_tokenizer(sqlite3 *db, const struct stream *stream)
{
	static fts5_tokenizer tk = {ftok_create, ftok_delete, ftok_tokenize};
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return SQLITE_ERROR;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, "innolink", (void *)stream, &tk, NULL);
}

struct fts_engine {
	sqlite3 *db;
	sqlite3_stmt *sel, *sel_region;
	struct il_buf match;
};

static int fts_search(void *engine, const struct query *q, size_t *nhits)
{
	struct fts_engine *e = engine;
	sqlite3_stmt *st = q->region ? e->sel_region : e->sel;
	const char *p = q->text;
	il_buf_reset(&e->match);
	/* each word quoted, joined with OR or AND: FTS5's query syntax */
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n) {
			if (e->match.len)
				il_buf_adds(&e->match, q->and ? " AND " : " OR ");
			il_buf_addc(&e->match, '"');
			il_buf_add(&e->match, p, n);
			il_buf_addc(&e->match, '"');
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	sqlite3_bind_text(st, 1, il_buf_cstr(&e->match), (int)e->match.len, SQLITE_STATIC);
	if (q->region)
		sqlite3_bind_text(st, 2, q->region, -1, SQLITE_STATIC);
	int rc;
	*nhits = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		(*nhits)++;
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? IL_OK
				 : il_error_set(IL_ESTORE, "fts5: %s", sqlite3_errmsg(e->db));
}

static void run_fts5(const struct bench *b, struct result *res)
{
	size_t base_kib = rss_kib("VmRSS");
	struct fts_engine e;
	sqlite3_stmt *ins = NULL, *ins_doc = NULL;
	char path[4096], id[32];
	memset(&e, 0, sizeof(e));
	snprintf(path, sizeof(path), "%s/fts5-%d.db", b->tmp, (int)getpid());
	unlink(path);
	double t0 = now(), c0 = proc_cpu_now();
	if (sqlite3_open(path, &e.db) != SQLITE_OK || register_tokenizer(e.db, b->stream) ||
	    sqlite3_exec(e.db,
			 "PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF; "
			 "PRAGMA cache_size=-262144;"
			 "CREATE VIRTUAL TABLE t USING fts5(title, text, content='', "
			 "tokenize='innolink');"
			 "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, ext TEXT, region TEXT);"
			 "BEGIN",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(e.db, "INSERT INTO t(rowid, title, text) VALUES (?1, ?2, ?3)", -1,
			       &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(e.db, "INSERT INTO docs VALUES (?1, ?2, ?3)", -1, &ins_doc, NULL) !=
		    SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < corpus_size(b->corpus); i++) {
		const char *region;
		char ref[2][32];
		size_t tlen = stream_ref(ref[0], 2 * i), xlen = stream_ref(ref[1], 2 * i + 1);
		corpus_meta(b->corpus, i, id, &region);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(ins, 2, ref[0], (int)tlen, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, ref[1], (int)xlen, SQLITE_STATIC);
		sqlite3_bind_int64(ins_doc, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(ins_doc, 2, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins_doc, 3, region, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE || sqlite3_step(ins_doc) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(ins);
		sqlite3_reset(ins_doc);
	}
	if (sqlite3_exec(e.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	res->build_s = now() - t0;
	res->build_cpu = proc_cpu_now() - c0;
	res->disk = file_size(path);
	res->rss_kib = rss_kib("VmRSS") - base_kib;
	if (sqlite3_prepare_v2(e.db,
			       "SELECT d.ext FROM t JOIN docs d ON d.rowid = t.rowid "
			       "WHERE t MATCH ?1 ORDER BY bm25(t) LIMIT 10",
			       -1, &e.sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(e.db,
			       "SELECT d.ext FROM t JOIN docs d ON d.rowid = t.rowid "
			       "WHERE t MATCH ?1 AND d.region = ?2 ORDER BY bm25(t) LIMIT 10",
			       -1, &e.sel_region, NULL) != SQLITE_OK)
		goto fail;
	if (time_queries(b, fts_search, &e, res) != IL_OK) {
		snprintf(res->err, sizeof(res->err), "%s", il_error_detail(IL_ESTORE));
		goto out;
	}
	res->hwm_kib = rss_kib("VmHWM") - base_kib;
	res->ok = 1;
	goto out;
fail:
	snprintf(res->err, sizeof(res->err), "fts5: %s", sqlite3_errmsg(e.db));
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(ins_doc);
	sqlite3_finalize(e.sel);
	sqlite3_finalize(e.sel_region);
	sqlite3_close(e.db);
	il_buf_release(&e.match);
	unlink(path);
}

/* Runs fn in a child process and collects its result. */
static void in_child(const struct bench *b, void (*fn)(const struct bench *, struct result *),
		     struct result *res)
{
	int fd[2];
	memset(res, 0, sizeof(*res));
	if (pipe(fd) != 0) {
		snprintf(res->err, sizeof(res->err), "pipe failed");
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct result r;
		memset(&r, 0, sizeof(r));
		close(fd[0]);
		fn(b, &r);
		ssize_t w = write(fd[1], &r, sizeof(r));
		_exit(w == (ssize_t)sizeof(r) ? 0 : 1);
	}
	close(fd[1]);
	if (pid < 0 || read(fd[0], res, sizeof(*res)) != (ssize_t)sizeof(*res)) {
		memset(res, 0, sizeof(*res));
		snprintf(res->err, sizeof(res->err), "the benchmark process died");
	}
	close(fd[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* Query words: a term's surface form and how many SciFact abstracts hold it. */
struct vocab {
	struct il_strmap df; /* term -> index */
	size_t *count;
	size_t n, cap;
	char **surface;
	size_t last_doc_mark;
	size_t *seen_in; /* last document counted, to count each once */
};

struct vctx {
	struct vocab *v;
	const char *src;
	size_t doc;
};

static bool ascii_word(const char *s, size_t n)
{
	if (n < 3)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z'))
			return false;
	return true;
}

static int vocab_token(const struct il_token *t, void *ctx)
{
	struct vctx *c = ctx;
	struct vocab *v = c->v;
	if ((t->flags & IL_TOKF_STOP) || t->kind != IL_TOK_WORD ||
	    !ascii_word(c->src + t->start, t->end - t->start))
		return 0;
	int64_t k = il_strmap_get(&v->df, t->term, t->term_len);
	if (k < 0) {
		if (v->n == v->cap) {
			v->cap = v->cap ? v->cap * 2 : 8192;
			v->count = xrealloc(v->count, v->cap * sizeof(*v->count));
			v->surface = xrealloc(v->surface, v->cap * sizeof(*v->surface));
			v->seen_in = xrealloc(v->seen_in, v->cap * sizeof(*v->seen_in));
		}
		k = (int64_t)v->n++;
		v->count[k] = 0;
		v->seen_in[k] = SIZE_MAX;
		v->surface[k] = strndup(c->src + t->start, t->end - t->start);
		for (char *p = v->surface[k]; *p; p++)
			*p = (char)(*p | 0x20);
		il_strmap_put(&v->df, t->term, t->term_len, k, NULL);
	}
	if (v->seen_in[k] != c->doc) {
		v->seen_in[k] = c->doc;
		v->count[k]++;
	}
	return 0;
}

/* The candidate query words of one sentence (indexes into the vocabulary). */
struct picked {
	size_t k[64];
	size_t n;
};

struct pctx {
	const struct vocab *v;
	struct picked *out;
	size_t lo, hi;
};

static int pick_token(const struct il_token *t, void *ctx)
{
	struct pctx *c = ctx;
	int64_t k = il_strmap_get(&c->v->df, t->term, t->term_len);
	if (k < 0 || (t->flags & IL_TOKF_STOP) || c->out->n == 64)
		return 0;
	if (c->v->count[k] < c->lo || c->v->count[k] > c->hi)
		return 0;
	for (size_t i = 0; i < c->out->n; i++)
		if (c->out->k[i] == (size_t)k)
			return 0;
	c->out->k[c->out->n++] = (size_t)k;
	return 0;
}

/* n words from one random sentence, with the frequent word first when freq. */
static void make_query(const struct corpus *c, const struct il_text *text, const struct vocab *v,
		       uint64_t *seed, unsigned n, size_t freq, struct query *q)
{
	struct picked p;
	struct pctx pc = {v, &p, c->ndocs / 1000 + 1, c->ndocs / 10};
	for (;;) {
		*seed = mix(*seed);
		size_t s = (size_t)(*seed % c->nsent);
		p.n = 0;
		il_text_tokenize_document(text, c->sent[s], c->sent_len[s], pick_token, &pc);
		if (p.n >= n)
			break;
	}
	q->text[0] = '\0';
	if (freq != SIZE_MAX)
		snprintf(q->text, sizeof(q->text), "%s", v->surface[freq]);
	for (unsigned i = 0; i < n; i++) {
		*seed = mix(*seed);
		size_t j = i + (size_t)(*seed % (p.n - i)); /* a partial shuffle */
		size_t t = p.k[i];
		p.k[i] = p.k[j];
		p.k[j] = t;
		size_t len = strlen(q->text);
		snprintf(q->text + len, sizeof(q->text) - len, "%s%s", len ? " " : "",
			 v->surface[p.k[i]]);
	}
}

static void fmt_ratio(char *out, size_t size, double r)
{
	if (r >= 1 || r <= 0)
		snprintf(out, size, "%.2fx", r);
	else
		snprintf(out, size, "1/%.1f", 1 / r);
}

static void print_line(const char *what, const char *il, const char *fts, const char *ratio,
		       const char *goal, int met)
{
	printf("%-34s %12s %12s %9s  %-22s %s\n", what, il, fts, ratio, goal,
	       met < 0 ? ""
	       : met   ? "met"
		       : "NOT met");
}

struct summary {
	double build_s, build_cpu, p50[Q__COUNT], p99[Q__COUNT], hits[Q__COUNT];
	size_t disk, mem, rss, hwm;
};

static void summarise(struct result *r, unsigned n, struct summary *s)
{
	double v[64];
	memset(s, 0, sizeof(*s));
	unsigned m = 0;
	for (unsigned i = 0; i < n; i++)
		if (r[i].ok)
			m++;
	if (!m)
		return;
#define MED(field)                                                                                 \
	do {                                                                                       \
		unsigned k = 0;                                                                    \
		for (unsigned i = 0; i < n; i++)                                                   \
			if (r[i].ok)                                                               \
				v[k++] = (double)(r[i].field);                                     \
		s->field = median(v, k);                                                           \
	} while (0)
	MED(build_s);
	MED(build_cpu);
	for (int c = 0; c < Q__COUNT; c++) {
		MED(p50[c]);
		MED(p99[c]);
		MED(hits[c]);
	}
#undef MED
	/* sizes do not vary from build to build; memory peaks: the largest */
	for (unsigned i = 0; i < n; i++)
		if (r[i].ok) {
			s->disk = r[i].disk;
			s->mem = r[i].mem;
			if (r[i].rss_kib > s->rss)
				s->rss = r[i].rss_kib;
			if (r[i].hwm_kib > s->hwm)
				s->hwm = r[i].hwm_kib;
		}
}

static void bench_corpus(struct bench *b, const char *label, unsigned runs, bool large)
{
	const struct corpus *c = b->corpus;
	size_t n = corpus_size(c);
	struct stream stream;
	struct result ril[16], rfts[16];
	struct summary si, sf;
	char a[64], f[64], r[64];

	/* the token stream both engines index, made once and timed alone */
	double tok_s = stream_make(&stream, c, b->text);
	b->stream = &stream;
	printf("\n== %s: %zu documents, %.1f M tokens, %zu distinct terms\n", label, n,
	       (double)stream.ntok / 1e6, stream.nterm);
	if (runs > 16)
		runs = 16;
	for (unsigned i = 0; i < runs; i++) {
		in_child(b, run_innolink, &ril[i]);
		if (!ril[i].ok)
			fprintf(stderr, "bench_engine: %s\n", ril[i].err);
		in_child(b, run_fts5, &rfts[i]);
		if (!rfts[i].ok)
			fprintf(stderr, "bench_engine: %s\n", rfts[i].err);
	}
	summarise(ril, runs, &si);
	summarise(rfts, runs, &sf);
	b->stream = NULL;
	stream_release(&stream);
	if (si.build_s <= 0 || sf.build_s <= 0) {
		printf("(no table: a build failed, see above)\n");
		return;
	}
	printf("builds: %u per engine (medians shown, wall clock); queries: %zu per class, %u "
	       "rounds per build, top 10, CPU time per query\n",
	       runs, b->nq, b->rounds);
	print_line("measure", "innolink", "FTS5", "ratio", "goal", -1);
	snprintf(a, sizeof(a), "%.0f", (double)n / tok_s);
	print_line("tokenizing once (shared), docs/s", a, a, "", "(both read the stream)", -1);
	snprintf(a, sizeof(a), "%.0f", (double)n / si.build_s);
	snprintf(f, sizeof(f), "%.0f", (double)n / sf.build_s);
	fmt_ratio(r, sizeof(r), sf.build_s / si.build_s);
	print_line("build from the stream, docs/s", a, f, r, ">= 5x faster",
		   sf.build_s / si.build_s >= 5);
	snprintf(a, sizeof(a), "%.2f", si.build_s);
	snprintf(f, sizeof(f), "%.2f", sf.build_s);
	print_line("build from the stream, s", a, f, "", "", -1);
	snprintf(a, sizeof(a), "%.2f", si.build_cpu);
	snprintf(f, sizeof(f), "%.2f", sf.build_cpu);
	fmt_ratio(r, sizeof(r), sf.build_cpu / si.build_cpu);
	print_line("build CPU time (all threads), s", a, f, r, "(for reference)", -1);
	snprintf(a, sizeof(a), "%.0f", (double)n / (tok_s + si.build_s));
	snprintf(f, sizeof(f), "%.0f", (double)n / (tok_s + sf.build_s));
	fmt_ratio(r, sizeof(r), (tok_s + sf.build_s) / (tok_s + si.build_s));
	print_line("end to end (tokenizing + build), docs/s", a, f, r, "(for reference)", -1);
	snprintf(a, sizeof(a), "%.1f", (double)si.disk / 1048576.0);
	snprintf(f, sizeof(f), "%.1f", (double)sf.disk / 1048576.0);
	snprintf(r, sizeof(r), "%.2fx", (double)si.disk / (double)sf.disk);
	print_line("index on disk, MiB (snapshot/db)", a, f, r, "<= 0.5x the size",
		   (double)si.disk <= 0.5 * (double)sf.disk);
	snprintf(a, sizeof(a), "%.1f", (double)si.mem / 1048576.0);
	snprintf(r, sizeof(r), "%.2fx", (double)si.mem / (double)sf.disk);
	print_line("index in memory, MiB", a, "-", r, "<= 0.5x (vs FTS5 db)",
		   (double)si.mem <= 0.5 * (double)sf.disk);
	snprintf(a, sizeof(a), "%.0f", (double)si.rss / 1024.0);
	snprintf(f, sizeof(f), "%.0f", (double)sf.rss / 1024.0);
	if (large)
		print_line("resident for the index, MiB", a, f, "", "<= 2048 MiB",
			   si.rss <= 2048u * 1024u);
	else
		print_line("resident for the index, MiB", a, f, "", "", -1);
	for (int q = 0; q < Q__COUNT; q++) {
		char what[64];
		bool or = q == Q_OR1 || q == Q_OR2 || q == Q_OR3;
		double ratio = sf.p50[q] > 0 ? si.p50[q] / sf.p50[q] : 0;
		snprintf(what, sizeof(what), "p50 %s, ms", qclass_name[q]);
		snprintf(a, sizeof(a), "%.3f", si.p50[q]);
		snprintf(f, sizeof(f), "%.3f", sf.p50[q]);
		fmt_ratio(r, sizeof(r), ratio);
		print_line(what, a, f, r, or ? "<= 1/5" : "", or ? ratio <= 0.2 : -1);
	}
	{
		double ratio = sf.p99[Q_FREQ] > 0 ? si.p99[Q_FREQ] / sf.p99[Q_FREQ] : 0;
		snprintf(a, sizeof(a), "%.3f", si.p99[Q_FREQ]);
		snprintf(f, sizeof(f), "%.3f", sf.p99[Q_FREQ]);
		fmt_ratio(r, sizeof(r), ratio);
		print_line("p99 OR, frequent term + 1, ms", a, f, r, "<= 1/50", ratio <= 0.02);
	}
	{
		double ri = si.p50[Q_OR2] > 0 ? si.p50[Q_OR2_REGION] / si.p50[Q_OR2] : 0;
		double rf = sf.p50[Q_OR2] > 0 ? sf.p50[Q_OR2_REGION] / sf.p50[Q_OR2] : 0;
		snprintf(a, sizeof(a), "%.2fx", ri);
		snprintf(f, sizeof(f), "%.2fx", rf);
		print_line("filtered / unfiltered p50, OR 2", a, f, "", "innolink <= 1.5x",
			   ri <= 1.5);
		ri = si.p50[Q_FREQ] > 0 ? si.p50[Q_FREQ_REGION] / si.p50[Q_FREQ] : 0;
		rf = sf.p50[Q_FREQ] > 0 ? sf.p50[Q_FREQ_REGION] / sf.p50[Q_FREQ] : 0;
		snprintf(a, sizeof(a), "%.2fx", ri);
		snprintf(f, sizeof(f), "%.2fx", rf);
		print_line("filtered / unfiltered p50, freq", a, f, "", "innolink <= 1.5x",
			   ri <= 1.5);
	}
	printf("mean hits per query (innolink / FTS5):");
	for (int q = 0; q < Q__COUNT; q++)
		printf(" %.1f/%.1f", si.hits[q], sf.hits[q]);
	printf("\n");
}

int main(int argc, char **argv)
{
	const char *scifact = NULL, *datadir = NULL, *tmp = "/tmp";
	size_t docs = 1000000, nq = 200, large_nq = 100;
	unsigned runs = 3, large_runs = 1;
	struct corpus c;
	struct vocab v;
	struct il_text *text;
	char corpus_path[4096];
	int rc;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--scifact") == 0)
			scifact = argv[i + 1];
		else if (strcmp(argv[i], "--datadir") == 0)
			datadir = argv[i + 1];
		else if (strcmp(argv[i], "--tmp") == 0)
			tmp = argv[i + 1];
		else if (strcmp(argv[i], "--docs") == 0)
			docs = (size_t)strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--queries") == 0)
			nq = (size_t)strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--large-queries") == 0)
			large_nq = (size_t)strtoull(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--runs") == 0)
			runs = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--large-runs") == 0)
			large_runs = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else
			scifact = NULL, i = argc;
	}
	if (!scifact || !nq || !runs || !large_nq || !large_runs) {
		fprintf(stderr,
			"usage: bench_engine --scifact DIR [--docs N] [--runs R] "
			"[--large-runs R] [--queries Q] [--large-queries Q] [--datadir DIR] "
			"[--tmp DIR]\n");
		return 2;
	}
	size_t maxq = nq > large_nq ? nq : large_nq;
	memset(&c, 0, sizeof(c));
	memset(&v, 0, sizeof(v));
	il_strmap_init(&v.df);
	snprintf(corpus_path, sizeof(corpus_path), "%s/corpus.jsonl", scifact);
	if ((rc = il_text_open(datadir, IL_TEXT_NO_GLOSSARY, &text)) != IL_OK ||
	    (rc = il_eval_corpus_each(corpus_path, load_doc, &c, NULL)) != IL_OK) {
		fprintf(stderr, "bench_engine: %s\n", il_error_detail(rc));
		return 1;
	}
	if (!c.ndocs || !c.nsent) {
		fprintf(stderr, "bench_engine: %s holds no documents\n", corpus_path);
		return 1;
	}
	/* document frequencies over SciFact, for choosing query words */
	size_t freq = 0;
	for (size_t i = 0; i < c.ndocs; i++) {
		struct vctx vc = {&v, c.docs[i].title, i};
		il_text_tokenize_document(text, c.docs[i].title, c.docs[i].title_len, vocab_token,
					  &vc);
		vc.src = c.docs[i].text;
		il_text_tokenize_document(text, c.docs[i].text, c.docs[i].text_len, vocab_token,
					  &vc);
	}
	for (size_t k = 0; k < v.n; k++)
		if (v.count[k] > v.count[freq])
			freq = k;

	struct query *qs[Q__COUNT];
	uint64_t seed = 42;
	for (int q = 0; q < Q__COUNT; q++)
		qs[q] = xrealloc(NULL, maxq * sizeof(struct query));
	for (size_t i = 0; i < maxq; i++) {
		for (unsigned t = 1; t <= 3; t++) {
			make_query(&c, text, &v, &seed, t, SIZE_MAX, &qs[Q_OR1 + t - 1][i]);
			qs[Q_OR1 + t - 1][i].and = false;
			qs[Q_OR1 + t - 1][i].region = NULL;
			qs[Q_AND1 + t - 1][i] = qs[Q_OR1 + t - 1][i];
			qs[Q_AND1 + t - 1][i].and = true;
		}
		make_query(&c, text, &v, &seed, 1, freq, &qs[Q_FREQ][i]);
		qs[Q_FREQ][i].and = false;
		qs[Q_FREQ][i].region = NULL;
		seed = mix(seed);
		qs[Q_OR2_REGION][i] = qs[Q_OR2][i];
		qs[Q_OR2_REGION][i].region = regions[seed % NREGIONS];
		qs[Q_FREQ_REGION][i] = qs[Q_FREQ][i];
		qs[Q_FREQ_REGION][i].region = regions[(seed >> 20) % NREGIONS];
	}
	printf("innolink index vs SQLite FTS5 (%s) on the same token stream (innolink's "
	       "analyzer run once; replayed to both, to FTS5 by a tokenizer registered with "
	       "fts5_api)\n",
	       sqlite3_libversion());
	printf("query words: from random SciFact sentences, in 0.1%%..10%% of abstracts; "
	       "frequent term: \"%s\" (in %zu of %zu abstracts); e.g. \"%s\", \"%s\"\n",
	       v.surface[freq], v.count[freq], c.ndocs, qs[Q_OR3][0].text, qs[Q_FREQ][0].text);
	printf("regions: synthetic, one of %zu Hubei prefecture codes per document "
	       "(uniform hash of its number)\n",
	       NREGIONS);

	struct bench b = {&c, NULL, text, {0}, nq, tmp, 3};
	for (int q = 0; q < Q__COUNT; q++)
		b.q[q] = qs[q];
	bench_corpus(&b, "SciFact corpus.jsonl", runs, false);
	if (docs) {
		c.synthetic = docs;
		printf("\nsynthetic corpus: document i = a SciFact title + 1..4 sentences of "
		       "SciFact abstracts (%zu sentences in all), chosen by a generator seeded "
		       "with i\n",
		       c.nsent);
		b.nq = large_nq;
		bench_corpus(&b, "synthetic corpus", large_runs, true);
	}
	il_text_close(text);
	return 0;
}
