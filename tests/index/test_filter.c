/*
 * test_filter.c - region, status, chain link and kind filters against a
 * brute force over the generated documents, through every change the
 * bitmaps of frequent filter values must follow: puts before and after they
 * exist, replacements, deletes, region tree changes after the documents,
 * compaction, and a snapshot saved and loaded (then written to again).
 *
 * Every document holds the word "all", so an AND query for it with k past
 * the corpus returns exactly the documents the filters allow, and its
 * total counts them; both are compared with the model.  Regions and
 * statuses are skewed so that both ways of applying them run: frequent
 * values through bitmaps kept across queries, rare ones marked from their
 * postings for the query.
 */
#include "index/index_test.h"

#include <unistd.h>

#define NDOCS 3000
#define MAXDOCS (NDOCS * 2)

/* the region tree: parent index, -1 at a root; some given only later */
static const char *const region_name[] = {"42",     "4201",   "4210", "4208", "420102",
					  "420103", "421002", "4212", "44",   "4201P"};
enum { NREG = sizeof(region_name) / sizeof(region_name[0]) };
static int parent[NREG] = {-1, 0, 0, -1, 1, 1, 2, -1, -1, 4};
/* share of documents per region, in thousandths: 4212 and 4208 are rare */
static const int region_weight[NREG] = {50, 200, 150, 8, 200, 150, 150, 2, 80, 10};

static const char *const status_name[] = {"open", "closed", "rare"};
static const int status_weight[] = {600, 397, 3};
static const char *const link_name[] = {"L1", "L2", "L3"};

struct mdoc {
	char id[16];
	enum il_kind kind;
	int region, status; /* -1: none */
	unsigned links; /* bit per link */
	bool hidden, live;
};

static struct mdoc docs[MAXDOCS];
static size_t ndocs;
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

static int weighted(const int *w, int n)
{
	int r = (int)(rnd() % 1000);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return -1; /* none */
}

static void gen(struct mdoc *d, const char *id)
{
	snprintf(d->id, sizeof(d->id), "%s", id);
	d->kind = (enum il_kind)(IL_KIND_ORGANIZATION + rnd() % 4);
	d->region = weighted(region_weight, NREG);
	d->status = weighted(status_weight, 3);
	d->links = rnd() % 8;
	d->hidden = rnd() % 20 == 0;
	d->live = true;
}

static int put(struct il_index *ix, const struct mdoc *m)
{
	struct il_index_doc d;
	const char *links[3];
	char title[32];
	snprintf(title, sizeof(title), "all w%u", rnd() % 30);
	tt_doc_init(&d, m->kind, m->id, title, NULL, NULL, NULL);
	d.region = m->region >= 0 ? region_name[m->region] : NULL;
	d.status = m->status >= 0 ? status_name[m->status] : NULL;
	for (int l = 0; l < 3; l++)
		if ((m->links >> l) & 1u)
			links[d.nlinks++] = link_name[l];
	d.links = links;
	d.hidden = m->hidden;
	return il_index_put(ix, &d);
}

static void add_docs(struct il_index *ix, size_t n)
{
	for (size_t i = 0; i < n && ndocs < MAXDOCS; i++) {
		char id[16];
		snprintf(id, sizeof(id), "d%zu", ndocs);
		gen(&docs[ndocs], id);
		IL_CHECK_INT(put(ix, &docs[ndocs]), IL_OK);
		ndocs++;
	}
}

static bool in_region(int r, int want)
{
	for (int steps = 0; r >= 0 && steps < NREG; r = parent[r], steps++)
		if (r == want)
			return true;
	return false;
}

struct fq {
	int region, status, link; /* -1: none */
	unsigned kinds;
	bool hidden;
	const char *region_text; /* overrides region when set */
};

static bool passes(const struct mdoc *m, const struct fq *q)
{
	return m->live && (q->hidden || !m->hidden) &&
	       (q->region < 0 || in_region(m->region, q->region)) &&
	       (q->status < 0 || m->status == q->status) &&
	       (q->link < 0 || ((m->links >> q->link) & 1u)) &&
	       (!q->kinds || ((q->kinds >> m->kind) & 1u));
}

static size_t checked;

static void check(const struct il_index *ix, const struct fq *q)
{
	static bool seen[MAXDOCS];
	struct il_index_query iq;
	struct il_arena a;
	struct il_index_hit *hits = NULL;
	size_t n = 0, total = 0, want = 0, good = 0;
	for (size_t i = 0; i < ndocs; i++) {
		seen[i] = false;
		want += passes(&docs[i], q) && !q->region_text;
	}
	il_index_query_init(&iq, "all", 3);
	iq.op = IL_QUERY_AND;
	iq.k = MAXDOCS;
	iq.region = q->region_text   ? q->region_text
		    : q->region >= 0 ? region_name[q->region]
				     : NULL;
	iq.status = q->status >= 0 ? status_name[q->status] : NULL;
	iq.link = q->link >= 0 ? link_name[q->link] : NULL;
	iq.kinds = q->kinds;
	iq.include_hidden = q->hidden;
	il_arena_init(&a, 0, 0);
	IL_CHECK_INT(il_index_search(ix, &iq, &a, &hits, &n, &total), IL_OK);
	IL_CHECK_INT(total, want);
	IL_CHECK_INT(n, want);
	for (size_t h = 0; h < n; h++) {
		size_t i = (size_t)strtoul(hits[h].id + 1, NULL, 10);
		if (i < ndocs && !seen[i] && passes(&docs[i], q)) {
			seen[i] = true;
			good++;
		}
	}
	IL_CHECK_INT(good, want);
	il_arena_release(&a);

	/* an OR query under the same filters: pruned equals exhaustive */
	{
		char pruned[8192], full[8192];
		il_index_query_init(&iq, "w1 w2 w3 all", 12);
		iq.k = 10;
		iq.region = q->region_text   ? q->region_text
			    : q->region >= 0 ? region_name[q->region]
					     : NULL;
		iq.status = q->status >= 0 ? status_name[q->status] : NULL;
		iq.link = q->link >= 0 ? link_name[q->link] : NULL;
		iq.kinds = q->kinds;
		iq.include_hidden = q->hidden;
		IL_CHECK_INT(tt_hits(ix, &iq, true, true, pruned, sizeof(pruned), NULL), IL_OK);
		IL_CHECK_INT(tt_hits(ix, &iq, true, false, full, sizeof(full), NULL), IL_OK);
		IL_CHECK_STR(pruned, full);
	}
	checked++;
}

/* Every region and status alone, then random combinations. */
static void check_all(const struct il_index *ix)
{
	struct fq q;
	for (int r = -1; r < NREG; r++)
		for (int s = -1; s < 3; s++) {
			memset(&q, 0, sizeof(q));
			q.region = r;
			q.status = s;
			q.link = -1;
			check(ix, &q);
		}
	for (int i = 0; i < 60; i++) {
		memset(&q, 0, sizeof(q));
		q.region = (int)(rnd() % (NREG + 1)) - 1;
		q.status = (int)(rnd() % 4) - 1;
		q.link = (int)(rnd() % 4) - 1;
		q.kinds = rnd() % 2 ? 0 : 1u << (IL_KIND_ORGANIZATION + rnd() % 4);
		q.hidden = rnd() % 3 == 0;
		check(ix, &q);
	}
	/* values nobody holds: nothing */
	memset(&q, 0, sizeof(q));
	q.region = q.status = q.link = -1;
	q.region_text = "99";
	check(ix, &q);
}

static void set_parent(struct il_index *ix, int child, int par)
{
	IL_CHECK_INT(il_index_region_parent(ix, region_name[child], region_name[par]), IL_OK);
	parent[child] = par;
}

static void change_some(struct il_index *ix)
{
	for (size_t i = 0; i < ndocs; i++) {
		if (!docs[i].live)
			continue;
		unsigned r = rnd() % 10;
		if (r == 0) {
			IL_CHECK_INT(il_index_delete(ix, docs[i].kind, docs[i].id), IL_OK);
			docs[i].live = false;
		} else if (r == 1) {
			/* the same id with other filter values */
			enum il_kind kind = docs[i].kind;
			char id[16];
			memcpy(id, docs[i].id, sizeof(id));
			gen(&docs[i], id);
			docs[i].kind = kind;
			IL_CHECK_INT(put(ix, &docs[i]), IL_OK);
		}
	}
}

static void test_filters(void)
{
	struct il_index *ix = tt_open(), *back = NULL;
	char file[512];
	snprintf(file, sizeof(file), "%s/filter-%d.idx", IL_TEST_TMPDIR, (int)getpid());
	/* part of the tree before the documents */
	for (int r = 0; r < NREG; r++)
		if (parent[r] >= 0)
			IL_CHECK_INT(il_index_region_parent(ix, region_name[r],
							    region_name[parent[r]]),
				     IL_OK);
	add_docs(ix, NDOCS);

	/* rare values are marked for the query, frequent ones kept */
	{
		struct fq q = {7, 2, -1, 0, false, NULL};
		check(ix, &q);
		IL_CHECK_INT(atomic_load(&ix->fcache.n), 0);
		q.region = 1;
		check(ix, &q);
		IL_CHECK_INT(atomic_load(&ix->fcache.n), 1);
	}
	check_all(ix);
	IL_CHECK(atomic_load(&ix->fcache.n) > 1);

	/* puts, replacements and deletes while the values exist */
	add_docs(ix, 500);
	change_some(ix);
	check_all(ix);

	/* the tree changes after the documents: new parents, a move */
	set_parent(ix, 3, 0); /* 4208 into 42 */
	set_parent(ix, 7, 2); /* 4212 into 4210 */
	set_parent(ix, 5, 2); /* 420103 moves from 4201 to 4210 */
	check_all(ix);

	/* compaction renumbers: the bitmaps are made again */
	IL_CHECK_INT(il_index_compact(ix), IL_OK);
	IL_CHECK_INT(atomic_load(&ix->fcache.n), 0);
	add_docs(ix, 200);
	check_all(ix);

	/* saved and loaded: made from the decoded postings, then kept by puts */
	IL_CHECK_INT(il_index_save(ix, file, 1), IL_OK);
	IL_CHECK_INT(il_index_load(NULL, file, &back, NULL), IL_OK);
	if (back) {
		il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
		IL_CHECK_INT(atomic_load(&back->fcache.n), 0);
		check_all(back);
		add_docs(back, 300);
		change_some(back);
		set_parent(back, 9, 6); /* the park moves under 421002 */
		check_all(back);
		il_index_close(back);
	}
	unlink(file);
	printf("# %zu filtered queries compared with the model\n", checked);
	il_index_close(ix);
}

int main(void)
{
	IL_RUN(test_filters);
	IL_DONE();
}
