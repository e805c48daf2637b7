/*
 * test_bulk.c - a bulk load into an empty index (the inverter of invert.c,
 * on its own thread) makes exactly the index that plain puts and a
 * compaction make: snapshots compared byte for byte and searches compared,
 * over documents that reach every part of it - frequencies past what one
 * header byte holds, a term repeated until its chains reach the largest
 * slices, several fields, long and multi-byte terms, filter values, hidden
 * documents, replacements and deletes during the load, a document whose
 * tokenizer gives positions out of order.  While the load runs, searches
 * and saves are refused; closing an index in the middle of one frees it.
 */
#include "index_test.h"

#include <stdio.h>
#include <stdlib.h>

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long n;
	*len = 0;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n)) && fread(buf, 1, (size_t)n, f) == (size_t)n)
		*len = (size_t)n;
	fclose(f);
	return buf;
}

/* Document i of the test load; big ones repeat a term thousands of times. */
static int put_doc(struct il_index *ix, int i, int version)
{
	static const char *const words[] = {"pump",  "coating", "drill",    "sensor",
					    "motor", "valve",   "laser",    "alloy",
					    "泵体",  "涂层",    "钻头机",   "electrochemical",
					    "x",     "ab",      "abcdefgh", "abcdefghijklmnopq"};
	char id[32], title[256], body[8192], names[128];
	struct il_index_doc d;
	const char *links[2] = {"chain-a", i % 3 ? "chain-b" : NULL};
	size_t n = 0;
	snprintf(id, sizeof(id), "A%d", i);
	snprintf(title, sizeof(title), "%s %s w%d v%d", words[i % 16], words[(i / 16) % 16], i % 97,
		 version);
	for (int k = 0; k < 40 + i % 60 && n + 64 < sizeof(body); k++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "%s w%d the ",
				      words[(i * k) % 16], (i + k * 7) % 301);
	if (i % 50 == 7) /* tf past 32: the long header form */
		for (int k = 0; k < 300 && n + 16 < sizeof(body); k++)
			n += (size_t)snprintf(body + n, sizeof(body) - n, "pump ");
	snprintf(names, sizeof(names), "%s w%d", words[(i * 5) % 16], i % 13);
	tt_doc_init(&d, IL_KIND_ACHIEVEMENT, id, title, NULL, body, names);
	d.region = i % 4 ? "420100" : "421000";
	d.status = i % 5 ? "open" : "closed";
	d.links = links;
	d.nlinks = links[1] ? 2 : 1;
	d.hidden = i % 11 == 3;
	return il_index_put(ix, &d);
}

/* A document whose one text repeats "spin" n times (chains reach their
 * largest slices). */
static int put_big(struct il_index *ix, const char *id, int n)
{
	struct il_index_doc d;
	size_t len = (size_t)n * 5;
	char *body = malloc(len + 1);
	int rc;
	if (!body)
		return IL_ENOMEM;
	for (int k = 0; k < n; k++)
		memcpy(body + (size_t)k * 5, "spin ", 5);
	body[len] = '\0';
	tt_doc_init(&d, IL_KIND_PERSON, id, "spinner", NULL, body, NULL);
	rc = il_index_put(ix, &d);
	free(body);
	return rc;
}

/* The load, the same on both indexes. */
static void load(struct il_index *ix, int ndocs)
{
	for (int i = 0; i < ndocs; i++) {
		IL_CHECK_INT(put_doc(ix, i, 0), IL_OK);
		if (i % 97 == 5) /* replaced while the load runs */
			IL_CHECK_INT(put_doc(ix, i / 2, 1), IL_OK);
		if (i % 301 == 9)
			IL_CHECK_INT(il_index_delete(ix, IL_KIND_ACHIEVEMENT, "A3"),
				     i > 9 ? IL_ENOTFOUND : IL_OK);
	}
	IL_CHECK_INT(put_big(ix, "B1", 20000), IL_OK);
	IL_CHECK_INT(put_big(ix, "B2", 3), IL_OK);
}

static const char *const queries[] =
	{"pump",        "涂层 coating",    "electrochemical", "abcdefghijklmnopq ab x",
	 "spin",        "w17 w3",          "\"pump w5\"",     "+laser -valve",
	 "title:alloy", "names:sensor w2", "钻头机"};

static void check_same(struct il_index *a, struct il_index *b, const char *tag)
{
	char pa[512], pb[512];
	unsigned char *ba, *bb;
	size_t la, lb, found = 0;
	snprintf(pa, sizeof(pa), "%s/bulk-%s-a.idx", IL_TEST_TMPDIR, tag);
	snprintf(pb, sizeof(pb), "%s/bulk-%s-b.idx", IL_TEST_TMPDIR, tag);
	IL_CHECK_INT(il_index_save(a, pa, 1), IL_OK);
	IL_CHECK_INT(il_index_save(b, pb, 1), IL_OK);
	ba = slurp(pa, &la);
	bb = slurp(pb, &lb);
	IL_CHECK(ba && bb && la > 0);
	IL_CHECK_INT(la, lb);
	IL_CHECK(ba && bb && la == lb && memcmp(ba, bb, la) == 0);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		char ha[4096], hb[4096];
		struct il_index_query q;
		il_index_query_init(&q, queries[i], strlen(queries[i]));
		q.include_hidden = true;
		IL_CHECK_INT(tt_hits(a, &q, true, true, ha, sizeof(ha), NULL), IL_OK);
		IL_CHECK_INT(tt_hits(b, &q, true, true, hb, sizeof(hb), NULL), IL_OK);
		found += ha[0] != '\0';
		IL_CHECK_STR(ha, hb);
	}
	IL_CHECK(found >= sizeof(queries) / sizeof(queries[0]) - 1); /* all but "spin" at least */
	IL_CHECK_INT(il_index_size(a), il_index_size(b));
	free(ba);
	free(bb);
	remove(pa);
	remove(pb);
}

static void test_bulk_equals_puts(void)
{
	struct il_index *a = tt_open(), *b = tt_open();
	IL_CHECK_INT(il_index_bulk(a, true), IL_OK);
	load(a, 2500);
	load(b, 2500);
	IL_CHECK_INT(il_index_bulk(a, false), IL_OK);
	IL_CHECK_INT(il_index_compact(a), IL_OK);
	IL_CHECK_INT(il_index_compact(b), IL_OK);
	check_same(a, b, "load");
	/* both go on the same after the load */
	for (int i = 0; i < 50; i++) {
		IL_CHECK_INT(put_doc(a, 3000 + i, 2), IL_OK);
		IL_CHECK_INT(put_doc(b, 3000 + i, 2), IL_OK);
	}
	IL_CHECK_INT(il_index_delete(a, IL_KIND_ACHIEVEMENT, "A10"), IL_OK);
	IL_CHECK_INT(il_index_delete(b, IL_KIND_ACHIEVEMENT, "A10"), IL_OK);
	IL_CHECK_INT(il_index_compact(a), IL_OK);
	IL_CHECK_INT(il_index_compact(b), IL_OK);
	check_same(a, b, "after");
	il_index_close(a);
	il_index_close(b);
}

/* A load without replacement ends compacted: the compaction after it has
 * nothing to do, and what it leaves is what compacting puts leaves. */
static void test_bulk_tidy(void)
{
	struct il_index *a = tt_open(), *b = tt_open();
	IL_CHECK_INT(il_index_bulk(a, true), IL_OK);
	for (int i = 0; i < 700; i++) {
		IL_CHECK_INT(put_doc(a, i, 0), IL_OK);
		IL_CHECK_INT(put_doc(b, i, 0), IL_OK);
	}
	IL_CHECK_INT(il_index_bulk(a, false), IL_OK);
	IL_CHECK(a->tidy);
	IL_CHECK_INT(il_index_compact(b), IL_OK);
	check_same(a, b, "tidy");
	il_index_close(a);
	il_index_close(b);
}

/* Positions given backwards, as a tokenizer hook may. */
static int backwards(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	struct il_token toks[64];
	size_t n = 0;
	(void)ctx;
	for (size_t i = 0; i < len && n < 64;) {
		size_t s = i;
		while (i < len && text[i] != ' ')
			i++;
		if (i > s) {
			memset(&toks[n], 0, sizeof(toks[n]));
			toks[n].term = text + s;
			toks[n].term_len = i - s;
			toks[n].pos = (uint32_t)n;
			toks[n].kind = IL_TOK_WORD;
			toks[n].weight = 1.0f;
			n++;
		}
		while (i < len && text[i] == ' ')
			i++;
	}
	while (n-- > 0) {
		int rc = fn(&toks[n], fnctx);
		if (rc)
			return rc;
	}
	return 0;
}

static void test_bulk_unordered(void)
{
	struct il_index *a = tt_open(), *b = tt_open();
	il__index_set_tokenizer(a, backwards, tt_query, NULL);
	il__index_set_tokenizer(b, backwards, tt_query, NULL);
	IL_CHECK_INT(il_index_bulk(a, true), IL_OK);
	for (int i = 0; i < 300; i++) {
		IL_CHECK_INT(put_doc(a, i, 0), IL_OK);
		IL_CHECK_INT(put_doc(b, i, 0), IL_OK);
	}
	IL_CHECK_INT(il_index_bulk(a, false), IL_OK);
	IL_CHECK_INT(il_index_compact(b), IL_OK);
	check_same(a, b, "unordered");
	il_index_close(a);
	il_index_close(b);
}

static void test_bulk_guards(void)
{
	struct il_index *ix = tt_open();
	struct il_index_query q;
	struct il_arena arena;
	struct il_index_hit *hits;
	size_t nhits;
	char path[512];
	il_arena_init(&arena, 0, 0);
	snprintf(path, sizeof(path), "%s/bulk-guard.idx", IL_TEST_TMPDIR);
	IL_CHECK_INT(il_index_bulk(ix, true), IL_OK);
	IL_CHECK_INT(put_doc(ix, 1, 0), IL_OK);
	il_index_query_init(&q, "pump", 4);
	IL_CHECK_INT(il_index_search(ix, &q, &arena, &hits, &nhits, NULL), IL_EINVAL);
	IL_CHECK(strstr(il_error_detail(IL_EINVAL), "bulk") != NULL);
	IL_CHECK_INT(il_index_save(ix, path, 1), IL_EINVAL);
	IL_CHECK_INT(il_index_term_df(ix, "pump", 4), 0);
	IL_CHECK_INT(il_index_bulk(ix, false), IL_OK);
	IL_CHECK_INT(il_index_search(ix, &q, &arena, &hits, &nhits, NULL), IL_OK);
	IL_CHECK_INT(il_index_term_df(ix, "pump", 4), 1);
	IL_CHECK_INT(il_index_save(ix, path, 1), IL_OK);
	/* on an index with documents, bulk mode keeps it searchable */
	IL_CHECK_INT(il_index_bulk(ix, true), IL_OK);
	IL_CHECK_INT(put_doc(ix, 2, 0), IL_OK);
	IL_CHECK_INT(il_index_search(ix, &q, &arena, &hits, &nhits, NULL), IL_OK);
	IL_CHECK_INT(il_index_bulk(ix, false), IL_OK);
	il_arena_release(&arena);
	remove(path);
	il_index_close(ix);
	/* closed in the middle of a load (the inverting thread busy) */
	ix = tt_open();
	IL_CHECK_INT(il_index_bulk(ix, true), IL_OK);
	for (int i = 0; i < 3000; i++)
		IL_CHECK_INT(put_doc(ix, i, 0), IL_OK);
	il_index_close(ix);
}

/*
 * A load with the Nth allocation failing, for every N until none does
 * (allocations on the inverting thread count too, so which one fails
 * varies from run to run): every call answers IL_OK or IL_ENOMEM; a put
 * that failed left nothing; an end that failed either works when tried
 * again or keeps failing (the inverting side failed: the load is lost);
 * an index whose load ended answers searches; nothing leaks (the sanitizer
 * build checks that).
 */
static void test_bulk_alloc_failures(void)
{
	unsigned long n;
	for (n = 1; n < 20000; n += n < 400 ? 1 : 37) {
		struct il_index *ix = tt_open();
		size_t ok = 0;
		int rc, end;
		bool failed = false;
		il_alloc_fail_after(n);
		rc = il_index_bulk(ix, true);
		IL_CHECK(rc == IL_OK || rc == IL_ENOMEM);
		for (int i = 0; i < 200 && rc == IL_OK; i++) {
			int r = put_doc(ix, i, 0);
			IL_CHECK(r == IL_OK || r == IL_ENOMEM);
			ok += r == IL_OK;
			failed |= r != IL_OK;
		}
		end = il_index_bulk(ix, false);
		il_alloc_fail_after(0);
		IL_CHECK(end == IL_OK || end == IL_ENOMEM);
		failed |= end != IL_OK || rc != IL_OK;
		if (end != IL_OK)
			end = il_index_bulk(ix, false); /* again, with memory */
		if (end == IL_OK) {
			IL_CHECK_INT(il_index_size(ix), ok);
			IL_CHECK(strncmp(tt_ids(ix, "pump"), "error", 5) != 0);
		}
		il_index_close(ix);
		if (!failed)
			break;
	}
	IL_CHECK(n > 1 && n < 20000);
}

int main(void)
{
	IL_RUN(test_bulk_equals_puts);
	IL_RUN(test_bulk_alloc_failures);
	IL_RUN(test_bulk_tidy);
	IL_RUN(test_bulk_unordered);
	IL_RUN(test_bulk_guards);
	IL_DONE();
}
