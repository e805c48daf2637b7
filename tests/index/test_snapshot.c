/*
 * test_snapshot.c - save, load, and the same answers (dead holes, replaced
 * documents, filter values, hidden and expiring documents, a loaded index
 * updated and saved again); the encoding is deterministic; and every way a
 * snapshot can be bad: missing, empty, truncated, a flipped byte anywhere,
 * another version, and content changed behind valid checksums (resealed),
 * which must be refused or load into a searchable index, never crash.
 */
#include "index/index_test.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *path(const char *name)
{
	static char p[4][512];
	static int k;
	char *s = p[k++ % 4];
	snprintf(s, 512, "%s/index-%s", IL_TEST_TMPDIR, name);
	return s;
}

static struct il_index *sample(void)
{
	struct il_index *ix = tt_open();
	char id[16], title[64], body[128];
	IL_CHECK_INT(il_index_region_parent(ix, "4210", "42"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "421002", "4210"), IL_OK);
	for (int i = 0; i < 400; i++) {
		struct il_index_doc d;
		const char *links[1] = {i % 3 ? "L-A" : "L-B"};
		snprintf(id, sizeof(id), "D%d", i);
		snprintf(title, sizeof(title), "pump %s %d", i % 2 ? "seal" : "valve", i % 17);
		snprintf(body, sizeof(body), "drill pump plunger n%d wear coating the %d rock",
			 i % 29, i % 5);
		tt_doc_init(&d, i % 2 ? IL_KIND_ACHIEVEMENT : IL_KIND_DEMAND, id, title, "kw", body,
			    NULL);
		d.region = i % 4 ? "421002" : "44";
		d.links = links;
		d.nlinks = 1;
		d.status = i % 5 ? "new" : "docking";
		d.date = 19000 + i;
		d.hidden = i % 11 == 0;
		/* some expired long ago, some far ahead, most never */
		d.expires = i % 13 == 0 ? 19000 : i % 13 == 1 ? 90000 : INT32_MAX;
		IL_CHECK_INT(il_index_put(ix, &d), IL_OK);
	}
	/* some dead documents and garbage, so both survive the round trip */
	for (int i = 0; i < 400; i += 7) {
		snprintf(id, sizeof(id), "D%d", i);
		IL_CHECK_INT(il_index_delete(ix, i % 2 ? IL_KIND_ACHIEVEMENT : IL_KIND_DEMAND, id),
			     IL_OK);
	}
	IL_CHECK_INT(tt_put(ix, IL_KIND_PERSON, "P1", "pump expert", NULL, "valve design", NULL),
		     IL_OK);
	/* replaced documents: the old versions stay as dead holes */
	IL_CHECK_INT(tt_put(ix, IL_KIND_DEMAND, "D2", "replaced seal", NULL, "gasket", NULL),
		     IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "D9", "pump pump pump", "valve", NULL, "x"),
		     IL_OK);
	return ix;
}

static const char *queries[] = {"pump",
				"seal valve",
				"\"wear coating\"",
				"+plunger n3 -seal",
				"title:valve 5",
				"drill rock 3 n7",
				"expert",
				"gasket replaced",
				"keywords:valve pump"};

/* Every query with and without filters, as one string. */
static void answers(const struct il_index *ix, struct il_buf *out)
{
	il_buf_reset(out);
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++)
		for (int f = 0; f < 4; f++) {
			struct il_index_query q;
			char buf[8192];
			size_t total = 0;
			il_index_query_init(&q, queries[i], strlen(queries[i]));
			q.k = 25;
			if (f == 1) {
				q.region = "4210";
				q.kinds = 1u << IL_KIND_DEMAND;
			} else if (f == 2) {
				q.link = "L-B";
				q.status = "docking";
				q.include_hidden = true;
				q.include_expired = true;
			} else if (f == 3) {
				q.op = IL_QUERY_AND;
				q.date_from = 19100;
				q.date_to = 19300;
			}
			IL_CHECK_INT(tt_hits(ix, &q, true, true, buf, sizeof(buf), &total), IL_OK);
			il_buf_addf(out, "%s/%d: %zu: %s\n", queries[i], f, total, buf);
		}
}

static size_t read_file(const char *p, unsigned char **out);

/* The file at p has the same bytes as the one at q. */
static bool same_file(const char *p, const char *q)
{
	unsigned char *a = NULL, *b = NULL;
	size_t la = read_file(p, &a), lb = read_file(q, &b);
	bool same = a && b && la == lb && la > 0 && memcmp(a, b, la) == 0;
	free(a);
	free(b);
	return same;
}

/* Loads p with the test tokenizer; NULL (a failed check) when it fails. */
static struct il_index *load_ok(const char *p)
{
	struct il_index *ix = NULL;
	IL_CHECK_INT(il_index_load(NULL, p, &ix, NULL), IL_OK);
	if (ix)
		il__index_set_tokenizer(ix, tt_doc, tt_query, NULL);
	return ix;
}

static void test_round_trip(void)
{
	struct il_index *ix = sample(), *back = NULL;
	struct il_buf a = IL_BUF_INIT, b = IL_BUF_INIT;
	struct il_index_stats s1, s2;
	int64_t seq = 0;
	answers(ix, &a);
	IL_CHECK(a.len > 1000);
	IL_CHECK_INT(il_index_save(ix, path("a.idx"), 12345), IL_OK);
	IL_CHECK_INT(il_index_load(NULL, path("a.idx"), &back, &seq), IL_OK);
	IL_CHECK_INT(seq, 12345);
	if (!back) {
		il_index_close(ix);
		return;
	}
	il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
	answers(back, &b);
	IL_CHECK_STR(b.ptr, a.ptr);
	il_index_stats(ix, &s1);
	il_index_stats(back, &s2);
	IL_CHECK_INT(s2.docs, s1.docs);
	IL_CHECK_INT(s2.hidden, s1.hidden);
	IL_CHECK(s2.hidden > 0);
	IL_CHECK_INT(s2.blocks, s1.blocks);
	IL_CHECK_INT(s2.postings_bytes, s1.postings_bytes);
	IL_CHECK_INT(s2.positions_bytes, s1.positions_bytes);
	IL_CHECK(s1.garbage_bytes > 0);
	IL_CHECK_INT(s2.garbage_bytes, 0);
	for (int k = 0; k < IL_KIND__COUNT; k++)
		IL_CHECK_INT(s2.by_kind[k], s1.by_kind[k]);
	for (int f = 0; f < IL_IF__COUNT; f++)
		IL_CHECK_NEAR(s2.avg_len[f], s1.avg_len[f], 0.0);
	IL_CHECK_INT(s2.dead, s1.dead);
	IL_CHECK(s2.dead > 0);
	IL_CHECK_INT(s2.terms, s1.terms);
	IL_CHECK_INT(s2.postings, s1.postings);
	IL_CHECK_INT(s2.regions, 3);
	IL_CHECK_INT(il_index_size(back), il_index_size(ix));
	/* the report names every section and the file's size */
	{
		struct il_buf rep = IL_BUF_INIT;
		unsigned char *bytes = NULL;
		char size[64];
		size_t len = read_file(path("a.idx"), &bytes);
		IL_CHECK_INT(il__snapshot_report(path("a.idx"), &rep), IL_OK);
		IL_CHECK_CONTAINS(rep.ptr, "term dictionary");
		IL_CHECK_CONTAINS(rep.ptr, "positions");
		snprintf(size, sizeof(size), "%zu bytes\n", len);
		IL_CHECK_CONTAINS(rep.ptr, size);
		free(bytes);
		il_buf_release(&rep);
	}
	/* the encoding is deterministic: the loaded index saves the same bytes */
	IL_CHECK_INT(il_index_save(back, path("a2.idx"), 12345), IL_OK);
	IL_CHECK(same_file(path("a.idx"), path("a2.idx")));

	/* writes on the loaded index; both stay equal */
	IL_CHECK_INT(tt_put(ix, IL_KIND_DEMAND, "D1", "gearbox", NULL, NULL, NULL), IL_OK);
	IL_CHECK_INT(tt_put(back, IL_KIND_DEMAND, "D1", "gearbox", NULL, NULL, NULL), IL_OK);
	IL_CHECK_INT(il_index_delete(ix, IL_KIND_ACHIEVEMENT, "D3"), IL_OK);
	IL_CHECK_INT(il_index_delete(back, IL_KIND_ACHIEVEMENT, "D3"), IL_OK);
	IL_CHECK_INT(tt_put(ix, IL_KIND_ACHIEVEMENT, "D5", "pump", NULL, NULL, NULL), IL_OK);
	IL_CHECK_INT(tt_put(back, IL_KIND_ACHIEVEMENT, "D5", "pump", NULL, NULL, NULL), IL_OK);
	IL_CHECK_INT(il_index_region_parent(back, "P1", "4210"), IL_OK);
	IL_CHECK_INT(il_index_region_parent(ix, "P1", "4210"), IL_OK);
	answers(ix, &a);
	answers(back, &b);
	IL_CHECK_STR(b.ptr, a.ptr);
	IL_CHECK_STR(tt_ids(back, "gearbox"), "D1");
	/* the file itself did not change: load it again */
	{
		struct il_index *again = NULL;
		IL_CHECK_INT(il_index_load(NULL, path("a.idx"), &again, NULL), IL_OK);
		if (again) {
			il__index_set_tokenizer(again, tt_doc, tt_query, NULL);
			IL_CHECK_STR(tt_ids(again, "gearbox"), "");
			il_index_close(again);
		}
	}
	/* loaded, updated, saved again without a compaction: holes and
	 * garbage of the updates survive the second round trip */
	IL_CHECK_INT(il_index_save(back, path("b.idx"), 8), IL_OK);
	{
		struct il_index *again = load_ok(path("b.idx"));
		if (again) {
			answers(again, &b);
			IL_CHECK_STR(b.ptr, a.ptr);
			IL_CHECK_STR(tt_ids(again, "gearbox"), "D1");
			il_index_stats(back, &s1);
			il_index_stats(again, &s2);
			IL_CHECK_INT(s2.dead, s1.dead);
			IL_CHECK_INT(s2.regions, 4);
			/* and it takes updates as any index does */
			IL_CHECK_INT(tt_put(again, IL_KIND_DEMAND, "D1", "turbine", NULL, NULL,
					    NULL),
				     IL_OK);
			IL_CHECK_STR(tt_ids(again, "gearbox"), "");
			IL_CHECK_STR(tt_ids(again, "turbine"), "D1");
			il_index_close(again);
		}
	}
	IL_CHECK_INT(il_index_compact(back), IL_OK);
	answers(back, &b);
	IL_CHECK_STR(b.ptr, a.ptr);
	/* saving over the file it was loaded from is safe (a rename) */
	IL_CHECK_INT(il_index_save(back, path("a.idx"), 7), IL_OK);
	il_index_close(back);
	back = NULL;
	IL_CHECK_INT(il_index_load(NULL, path("a.idx"), &back, &seq), IL_OK);
	IL_CHECK_INT(seq, 7);
	if (back) {
		il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
		answers(back, &b);
		IL_CHECK_STR(b.ptr, a.ptr);
		il_index_close(back);
	}

	/* an empty index round-trips too */
	{
		struct il_index *e = tt_open(), *e2 = NULL;
		IL_CHECK_INT(il_index_save(e, path("empty.idx"), 0), IL_OK);
		IL_CHECK_INT(il_index_load(NULL, path("empty.idx"), &e2, NULL), IL_OK);
		if (e2) {
			il__index_set_tokenizer(e2, tt_doc, tt_query, NULL);
			IL_CHECK_INT(il_index_size(e2), 0);
			IL_CHECK_STR(tt_ids(e2, "pump"), "");
			IL_CHECK_INT(tt_put(e2, IL_KIND_DEMAND, "X", "pump", NULL, NULL, NULL),
				     IL_OK);
			IL_CHECK_STR(tt_ids(e2, "pump"), "X");
			il_index_close(e2);
		}
		il_index_close(e);
	}
	il_index_close(ix);
	il_buf_release(&a);
	il_buf_release(&b);
}

static size_t read_file(const char *p, unsigned char **out)
{
	FILE *f = fopen(p, "rb");
	long n;
	*out = NULL;
	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	*out = malloc((size_t)n + 1);
	if (*out && fread(*out, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	return (size_t)n;
}

static void write_file(const char *p, const void *data, size_t len)
{
	FILE *f = fopen(p, "wb");
	IL_CHECK(f != NULL);
	if (f) {
		IL_CHECK_INT(fwrite(data, 1, len, f), len);
		fclose(f);
	}
}

static int load(const char *p)
{
	struct il_index *ix = NULL;
	int rc = il_index_load(NULL, p, &ix, NULL);
	IL_CHECK(rc == IL_OK ? ix != NULL : ix == NULL);
	il_index_close(ix);
	return rc;
}

static void test_bad_files(void)
{
	struct il_index *ix = sample();
	unsigned char *data = NULL, *copy;
	size_t len;
	IL_CHECK_INT(il_index_save(ix, path("good.idx"), 1), IL_OK);
	len = read_file(path("good.idx"), &data);
	IL_CHECK(len > 4096);
	if (!data || len <= 4096) {
		il_index_close(ix);
		free(data);
		return;
	}
	copy = malloc(len);

	IL_CHECK_INT(load(path("missing.idx")), IL_EIO);
	write_file(path("empty.idx"), "", 0);
	IL_CHECK_INT(load(path("empty.idx")), IL_EFORMAT);
	write_file(path("short.idx"), data, 100);
	IL_CHECK_INT(load(path("short.idx")), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "short.idx");
	/* truncated anywhere, or with bytes after the end */
	for (size_t cut = 200; cut < len; cut += len / 13) {
		write_file(path("cut.idx"), data, cut);
		IL_CHECK_INT(load(path("cut.idx")), IL_EFORMAT);
	}
	write_file(path("cut.idx"), data, len - 1);
	IL_CHECK_INT(load(path("cut.idx")), IL_EFORMAT);
	{
		unsigned char *longer = malloc(len + 8);
		memcpy(longer, data, len);
		memset(longer + len, 0, 8);
		write_file(path("long.idx"), longer, len + 8);
		IL_CHECK_INT(load(path("long.idx")), IL_EFORMAT);
		free(longer);
	}
	/* a flipped byte anywhere: header, padding, arrays */
	for (size_t at = 0; at < len; at += len / 97 + 1) {
		memcpy(copy, data, len);
		copy[at] ^= 0x5a;
		write_file(path("flip.idx"), copy, len);
		IL_CHECK_INT(load(path("flip.idx")), IL_EFORMAT);
	}
	memcpy(copy, data, len);
	copy[0] = 'X';
	write_file(path("magic.idx"), copy, len);
	IL_CHECK_INT(load(path("magic.idx")), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "magic");
	memcpy(copy, data, len);
	copy[8] ^= 2; /* the version */
	write_file(path("version.idx"), copy, len);
	IL_CHECK_INT(load(path("version.idx")), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "another version");
	IL_CHECK_INT(load(path("good.idx")), IL_OK);
	/* a snapshot of format 3 (the arrays as in memory): refused by its
	 * version, whatever follows, so callers rebuild from the store */
	{
		unsigned char old[8192] = "innoidx\n";
		uint32_t v3 = 3;
		memcpy(old + 8, &v3, sizeof(v3));
		write_file(path("v3.idx"), old, sizeof(old));
		IL_CHECK_INT(load(path("v3.idx")), IL_EFORMAT);
		IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "format version 3");
		IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "v3.idx");
	}
	/* a directory is not a snapshot */
	IL_CHECK_INT(load(IL_TEST_TMPDIR), IL_EFORMAT);

	/* content changed behind valid checksums: refused as IL_EFORMAT, or,
	 * for a change the format cannot tell (a frequency, a position, a
	 * length), loaded into an index that answers; never a crash */
	{
		size_t refused = 0, loaded = 0;
		for (size_t at = 0; at < len; at += at < 256 ? 1 : 3) {
			struct il_index *bad = NULL;
			int rc;
			memcpy(copy, data, len);
			copy[at] ^= at % 2 ? 0x5a : 0xff;
			il__snapshot_reseal(copy, len);
			write_file(path("sealed.idx"), copy, len);
			rc = il_index_load(NULL, path("sealed.idx"), &bad, NULL);
			IL_CHECK(rc == IL_OK || rc == IL_EFORMAT);
			if (rc == IL_EFORMAT) {
				IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "sealed.idx");
				refused++;
			}
			if (rc == IL_OK && bad) {
				il__index_set_tokenizer(bad, tt_doc, tt_query, NULL);
				(void)tt_ids(bad, "pump \"wear coating\" seal");
				loaded++;
			}
			il_index_close(bad);
		}
		IL_CHECK(refused > 0);
		IL_CHECK(loaded > 0);
	}
	/* a section cut short behind valid checksums */
	memcpy(copy, data, len);
	il__snapshot_reseal(copy, len - 8);
	write_file(path("sealed.idx"), copy, len - 8);
	IL_CHECK_INT(load(path("sealed.idx")), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "section table");
	/* counters that disagree with the documents */
	ix->m.nlive++;
	IL_CHECK_INT(il_index_save(ix, path("count.idx"), 1), IL_OK);
	IL_CHECK_INT(load(path("count.idx")), IL_EFORMAT);
	IL_CHECK_CONTAINS(il_error_detail(IL_EFORMAT), "counters disagree");
	ix->m.nlive--;
	/* an index broken in memory is not saved (nor does saving loop) */
	{
		struct il__block *b = IL__AT(ix->blocks, struct il__block);
		uint32_t saved = b[0].next;
		b[0].next = 0; /* a chain that loops */
		IL_CHECK_INT(il_index_save(ix, path("loop.idx"), 1), IL_EFORMAT);
		b[0].next = saved;
	}
	IL_CHECK_INT(il_index_save(ix, path("fixed.idx"), 1), IL_OK);
	IL_CHECK_INT(load(path("fixed.idx")), IL_OK);
	/* a directory that does not exist: IL_EIO, nothing left behind */
	IL_CHECK_INT(il_index_save(ix, IL_TEST_TMPDIR "/no/such/dir/x.idx", 1), IL_EIO);
	il_index_close(ix);
	free(data);
	free(copy);
}

static void test_alloc_failures(void)
{
	struct il_index *ix = sample(), *back = NULL;
	unsigned long n;
	int rc;
	IL_CHECK_INT(il_index_save(ix, path("oom.idx"), 3), IL_OK);
	for (n = 1; n < 1000; n++) {
		il_alloc_fail_after(n);
		rc = il_index_load(NULL, path("oom.idx"), &back, NULL);
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		IL_CHECK_INT(rc, IL_ENOMEM);
		IL_CHECK(back == NULL);
	}
	IL_CHECK(back != NULL);
	if (back) {
		/* the first writes to a loaded index grow its arrays: fail each */
		il__index_set_tokenizer(back, tt_doc, tt_query, NULL);
		for (n = 1; n < 10000; n++) {
			il_alloc_fail_after(n);
			rc = tt_put(back, IL_KIND_DEMAND, "NEW", "pump novelty", NULL, NULL, NULL);
			il_alloc_fail_after(0);
			if (rc == IL_OK)
				break;
			IL_CHECK_INT(rc, IL_ENOMEM);
			IL_CHECK_STR(tt_ids(back, "novelty"), "");
		}
		IL_CHECK_STR(tt_ids(back, "novelty"), "NEW");
		il_index_close(back);
	}
	il_index_close(ix);
}

int main(void)
{
	IL_RUN(test_round_trip);
	IL_RUN(test_bad_files);
	IL_RUN(test_alloc_failures);
	IL_DONE();
}
