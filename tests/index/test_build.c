/*
 * test_build.c - il_index_build, which analyses on a second thread while it
 * puts, makes exactly the index sequential puts of the same records make:
 * the two snapshots are compared byte for byte, over enough records for
 * several full batches and a partial one, with a record whose text the
 * analyzer refuses (analysed again, and reported, by the put).  And
 * compaction of an index without dead documents (which copies blocks as
 * they are) makes the same bytes as compaction that re-encodes them.
 */
#include "index_test.h"

#include <innolink/store.h>

#include <stdio.h>
#include <stdlib.h>

#define NRECORDS 700 /* 2 full batches of 256 and a partial one */

static int put_achievement(struct il_store *s, int i)
{
	static const char *const words[] = {"pump",    "coating", "drill", "sensor", "motor",
					    "valve",   "laser",   "alloy", "fiber",  "battery",
					    "welding", "robot",   "steel", "glass",  "polymer"};
	char title[128], abstract[512];
	struct il_record r;
	enum il_put_result res;
	int rc;
	snprintf(title, sizeof(title), "%s %s unit %d", words[i % 15], words[(i / 15) % 15], i);
	snprintf(abstract, sizeof(abstract), "the %s of the %s and %s: %s %s %s, tested %d times",
		 words[(i * 7) % 15], words[(i * 11) % 15], words[(i * 13) % 15],
		 words[(i * 3) % 15], words[(i * 5) % 15], words[i % 15], i % 17);
	if ((rc = il_record_init(&r, IL_KIND_ACHIEVEMENT)) != IL_OK)
		return rc;
	char id[32];
	snprintf(id, sizeof(id), "ACH-B-%d", i);
	if ((rc = il_record_set_id(&r, id, strlen(id))) == IL_OK &&
	    (rc = il_record_set_by_name(&r, "title", title, strlen(title))) == IL_OK &&
	    (rc = il_record_set_by_name(&r, "abstract", abstract, strlen(abstract))) == IL_OK)
		rc = il_store_put(s, &r, 0, "test", &res);
	il_record_release(&r);
	return rc;
}

static int on_record(const struct il_record *r, void *vp)
{
	struct il_index *ix = ((void **)vp)[0];
	return il__index_put_record(ix, ((void **)vp)[1], r);
}

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

/* The test tokenizer, refusing a text that holds "REFUSE" (so the build's
 * second thread sees a failure and the put must analyse the text itself). */
static int refusing_doc(void *ctx, const char *text, size_t len, il_token_fn fn, void *fnctx)
{
	for (size_t i = 0; i + 6 <= len; i++)
		if (memcmp(text + i, "REFUSE", 6) == 0)
			return il_error_set(IL_EINVAL, "test tokenizer: refused '%.20s'", text);
	return tt_doc(ctx, text, len, fn, fnctx);
}

static void test_build_equals_puts(void)
{
	struct il_store *s = NULL;
	struct il_index *built = tt_open(), *seq = tt_open();
	struct il__places places;
	struct il_query q;
	int64_t at = 0;
	char db[512], p1[512], p2[512];
	size_t l1, l2;
	snprintf(db, sizeof(db), "%s/build-test.db", IL_TEST_TMPDIR);
	snprintf(p1, sizeof(p1), "%s/build-test-built.idx", IL_TEST_TMPDIR);
	snprintf(p2, sizeof(p2), "%s/build-test-puts.idx", IL_TEST_TMPDIR);
	remove(db);
	IL_CHECK_INT(il_store_open(db, IL_STORE_CREATE, &s), IL_OK);
	if (!s || !built || !seq)
		return;
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	for (int i = 0; i < NRECORDS; i++)
		IL_CHECK_INT(put_achievement(s, i), IL_OK);
	IL_CHECK_INT(il_store_commit(s), IL_OK);

	IL_CHECK_INT(il_index_build(built, s, &at), IL_OK);
	IL_CHECK_INT(il_index_size(built), NRECORDS);
	il__places_init(&places);
	IL_CHECK_INT(il__places_load(&places, s), IL_OK);
	il_query_init(&q, IL_KIND_ACHIEVEMENT);
	void *ctx[2] = {seq, &places};
	IL_CHECK_INT(il_store_list(s, &q, on_record, ctx, NULL), IL_OK);
	IL_CHECK_INT(il_index_compact(seq), IL_OK);
	il__places_release(&places);

	IL_CHECK_INT(il_index_save(built, p1, at), IL_OK);
	IL_CHECK_INT(il_index_save(seq, p2, at), IL_OK);
	unsigned char *a = slurp(p1, &l1), *b = slurp(p2, &l2);
	IL_CHECK(a && b && l1 > 0);
	IL_CHECK_INT(l1, l2);
	IL_CHECK(a && b && l1 == l2 && memcmp(a, b, l1) == 0);
	free(a);
	free(b);
	char first[4096];
	snprintf(first, sizeof(first), "%s", tt_ids(built, "laser unit 123"));
	IL_CHECK_STR(first, tt_ids(seq, "laser unit 123"));
	IL_CHECK_CONTAINS(first, "ACH-B-123");

	/* a text the analyzer refuses fails the build as it fails a put */
	{
		struct il_record r;
		enum il_put_result res;
		struct il_index *ix = NULL;
		IL_CHECK_INT(il_record_init(&r, IL_KIND_ACHIEVEMENT), IL_OK);
		IL_CHECK_INT(il_record_set_id(&r, "ACH-B-X", 7), IL_OK);
		IL_CHECK_INT(il_record_set_by_name(&r, "title", "REFUSE this", 11), IL_OK);
		IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
		il_record_release(&r);
		IL_CHECK_INT(il_index_open(NULL, NULL, &ix), IL_OK);
		if (ix) {
			il__index_set_tokenizer(ix, refusing_doc, tt_query, NULL);
			IL_CHECK_INT(il_index_build(ix, s, NULL), IL_EINVAL);
			IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "achievement ACH-B-X");
			IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "refused 'REFUSE this'");
			il_index_close(ix);
		}
	}
	il_index_close(built);
	il_index_close(seq);
	il_store_close(s);
	remove(db);
	remove(p1);
	remove(p2);
}

/* Puts n documents of the test tokenizer, in bulk mode when asked. */
static void put_many(struct il_index *ix, int n, bool bulk)
{
	char id[16], title[64], body[256];
	IL_CHECK_INT(il_index_bulk(ix, bulk), IL_OK);
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "D%d", i);
		snprintf(title, sizeof(title), "w%d w%d", i % 13, i % 97);
		snprintf(body, sizeof(body), "w%d w%d w%d w%d the w%d w%d", i % 7, i % 31, i % 211,
			 (i * 17) % 1009, i % 5, i);
		IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, id, title, NULL, body, NULL), IL_OK);
	}
	IL_CHECK_INT(il_index_bulk(ix, false), IL_OK);
}

static void test_compact_copy_equals_rewrite(void)
{
	struct il_index *a = tt_open(), *b = tt_open();
	char pa[512], pb[512];
	unsigned char *ba, *bb;
	size_t la, lb;
	/* a: only live documents, so compaction copies its blocks; b: one
	 * more document, deleted, so compaction re-encodes every block */
	put_many(a, 3000, true);
	put_many(b, 3000, false);
	IL_CHECK_INT(tt_put(b, IL_KIND_ACHIEVEMENT, "Z", "zonly", NULL, "zalone", NULL), IL_OK);
	IL_CHECK_INT(il_index_delete(b, IL_KIND_ACHIEVEMENT, "Z"), IL_OK);
	IL_CHECK_INT(il_index_compact(a), IL_OK);
	IL_CHECK_INT(il_index_compact(b), IL_OK);
	snprintf(pa, sizeof(pa), "%s/copy-a.idx", IL_TEST_TMPDIR);
	snprintf(pb, sizeof(pb), "%s/copy-b.idx", IL_TEST_TMPDIR);
	IL_CHECK_INT(il_index_save(a, pa, 1), IL_OK);
	IL_CHECK_INT(il_index_save(b, pb, 1), IL_OK);
	ba = slurp(pa, &la);
	bb = slurp(pb, &lb);
	IL_CHECK(ba && bb);
	IL_CHECK_INT(la, lb);
	IL_CHECK(ba && bb && la == lb && memcmp(ba, bb, la) == 0);
	IL_CHECK_STR(tt_ids(a, "w3 w7"), tt_ids(b, "w3 w7"));
	free(ba);
	free(bb);
	remove(pa);
	remove(pb);
	il_index_close(a);
	il_index_close(b);
}

int main(void)
{
	IL_RUN(test_build_equals_puts);
	IL_RUN(test_compact_copy_equals_rewrite);
	IL_DONE();
}
