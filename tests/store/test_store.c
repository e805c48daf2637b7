/*
 * test_store.c - the SQLite store: schema against the field tables,
 * upserts and versions, references, de-duplication, listing filters,
 * confidentiality, deletes, and migration of a database made by schema 1.
 */
#include <innolink/store.h>

#include <sqlite3.h>
#include <unistd.h>

#include "test.h"

static char db_path[512];

static struct il_store *fresh_store(const char *name)
{
	struct il_store *s = NULL;
	snprintf(db_path, sizeof(db_path), "%s/store-%s-%d.db", IL_TEST_TMPDIR, name, (int)getpid());
	unlink(db_path);
	char wal[600];
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	unlink(wal);
	int rc = il_store_open(db_path, IL_STORE_CREATE, &s);
	IL_CHECK_INT(rc, IL_OK);
	if (rc)
		printf("# %s\n", il_error_detail(rc));
	return s;
}

/* Builds a record from "header=value" pairs. */
static void make(struct il_record *r, enum il_kind kind, const char *id, const char *const *kv)
{
	il_record_init(r, kind);
	il_record_set_id(r, id, strlen(id));
	for (size_t i = 0; kv[i]; i += 2) {
		int rc = il_record_set_by_name(r, kv[i], kv[i + 1], strlen(kv[i + 1]));
		if (rc)
			printf("# setting %s: %s\n", kv[i], il_error_detail(rc));
		IL_CHECK_INT(rc, IL_OK);
	}
}

static int put(struct il_store *s, enum il_kind kind, const char *id, const char *const *kv,
	       enum il_put_result *res)
{
	struct il_record r;
	enum il_put_result dummy;
	make(&r, kind, id, kv);
	int rc = il_store_put(s, &r, 0, "test", res ? res : &dummy);
	il_record_release(&r);
	return rc;
}

static void seed_regions(struct il_store *s)
{
	IL_CHECK_INT(put(s, IL_KIND_REGION, "42",
			 (const char *[]){"name_zh", "湖北省", "name_en", "Hubei", "level",
					  "province", NULL},
			 NULL),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "4210",
			 (const char *[]){"name_zh", "荆州市", "level", "city", "parent", "42", NULL},
			 NULL),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "P-JZETDZ",
			 (const char *[]){"name_zh", "荆州经济技术开发区", "level", "park",
					  "parent", "4210", NULL},
			 NULL),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "4201",
			 (const char *[]){"name_zh", "武汉市", "level", "city", "parent", "42", NULL},
			 NULL),
		     IL_OK);
}

static int count_cb(const struct il_record *r, void *ctx)
{
	(void)r;
	(*(size_t *)ctx)++;
	return 0;
}

static void test_schema_matches_field_tables(void)
{
	struct il_store *s = fresh_store("schema");
	sqlite3 *db;
	int v = 0;
	IL_CHECK_INT(il_store_schema_version(s, &v), IL_OK);
	IL_CHECK_INT(v, IL_SCHEMA_VERSION);
	il_store_close(s);
	IL_CHECK_INT(sqlite3_open(db_path, &db), SQLITE_OK);
	for (int k = 0; k < IL_KIND__COUNT; k++) {
		const struct il_kind_info *ki = il_kind_info((enum il_kind)k);
		char sql[128];
		sqlite3_stmt *st;
		size_t col = 0;
		snprintf(sql, sizeof(sql), "PRAGMA table_info(\"%s\")", ki->name);
		IL_CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 1);
			if (col >= 7 && col - 7 < ki->nfields)
				IL_CHECK_STR(name, ki->fields[col - 7].name);
			col++;
		}
		sqlite3_finalize(st);
		IL_CHECK_INT(col, ki->nfields + 7);
	}
	char *mode = NULL;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		mode = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	IL_CHECK_STR(mode, "wal");
	sqlite3_free(mode);
	sqlite3_close(db);
}

static void test_upsert_versions_history(void)
{
	struct il_store *s = fresh_store("upsert");
	enum il_put_result res;
	struct il_record r;
	seed_regions(s);
	const char *v1[] = {"name_zh", "长江大学", "kind", "university", "region", "4210", NULL};
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "UNI-1", v1, &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_INSERTED);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "UNI-1", v1, &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_UNCHANGED);
	const char *v2[] = {"name_zh", "长江大学", "kind", "高校", "region", "4210",
			    "name_en", "Yangtze University", NULL};
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "UNI-1", v2, &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_UPDATED);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "UNI-1", &r), IL_OK);
	IL_CHECK_INT(r.version, 2);
	IL_CHECK_STR(il_record_get(&r, "name_en"), "Yangtze University");
	IL_CHECK_STR(r.source, "test");
	il_record_release(&r);
	size_t n = 0;
	IL_CHECK_INT(il_store_history(s, IL_KIND_ORGANIZATION, "UNI-1", count_cb, &n), IL_OK);
	IL_CHECK_INT(n, 2);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "UNI-404", &r), IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "UNI-404");
	/* IL_PUT_NEW_ONLY refuses to overwrite */
	make(&r, IL_KIND_ORGANIZATION, "UNI-1", v1);
	IL_CHECK_INT(il_store_put(s, &r, IL_PUT_NEW_ONLY, "api:x", &res), IL_ECONFLICT);
	il_record_release(&r);
	il_store_close(s);
}

static void test_references(void)
{
	struct il_store *s = fresh_store("refs");
	enum il_put_result res;
	struct il_record r;
	seed_regions(s);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "ORG-X",
			 (const char *[]){"name_zh", "某公司", "kind", "enterprise", "region",
					  "9999", NULL},
			 &res),
		     IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "field 'region': no region with id '9999'");
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-000852",
			 (const char *[]){"name_zh", "中石化石油机械股份有限公司", "kind", "enterprise",
					  "aliases", "石化机械;Sinopec Petroleum Machinery Co., Ltd.", NULL},
			 &res),
		     IL_OK);
	/* an owner given by name resolves to the organization's id */
	make(&r, IL_KIND_ACHIEVEMENT, "ACH-1",
	     (const char *[]){"title", "泥浆泵柱塞涂层", "owner", "Sinopec Petroleum Machinery", NULL});
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "owner"), "CO-000852");
	il_record_release(&r);
	IL_CHECK_INT(put(s, IL_KIND_ACHIEVEMENT, "ACH-2",
			 (const char *[]){"title", "x", "owner", "无名公司", NULL}, &res),
		     IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "no organization with id or name '无名公司'");
	/* a referenced record cannot be deleted; an unreferenced one can, and
	 * its versions stay in the history */
	IL_CHECK_INT(il_store_delete(s, IL_KIND_ORGANIZATION, "CO-000852", "test"), IL_ECONFLICT);
	IL_CHECK_INT(il_store_delete(s, IL_KIND_ACHIEVEMENT, "ACH-1", "test"), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ACHIEVEMENT, "ACH-1", &r), IL_ENOTFOUND);
	size_t n = 0;
	IL_CHECK_INT(il_store_history(s, IL_KIND_ACHIEVEMENT, "ACH-1", count_cb, &n), IL_OK);
	IL_CHECK_INT(n, 1);
	IL_CHECK_INT(il_store_delete(s, IL_KIND_ORGANIZATION, "CO-000852", "test"), IL_OK);
	il_store_close(s);
}

static int first_candidate(const struct il_merge_candidate *c, void *ctx)
{
	char *out = ctx;
	snprintf(out, 256, "%s|%s", c->a, c->b);
	return 0;
}

static void test_dedup(void)
{
	struct il_store *s = fresh_store("dedup");
	enum il_put_result res;
	struct il_record r;
	seed_regions(s);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "UNI-4142010487",
			 (const char *[]){"name_zh", "华中科技大学", "kind", "university", "aliases",
					  "HUST", NULL},
			 &res),
		     IL_OK);
	/* the same university under another id and its English name: merged */
	make(&r, IL_KIND_ORGANIZATION, "ORG-NEW",
	     (const char *[]){"name_zh", "Huazhong University of Science & Technology", "kind",
			      "university", "website", "www.hust.edu.cn", NULL});
	il_record_set_by_name(&r, "aliases", "hust", 4);
	IL_CHECK_INT(il_store_put(s, &r, 0, "import:x.csv:2", &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_MERGED);
	IL_CHECK_STR(r.id, "UNI-4142010487");
	il_record_release(&r);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "ORG-NEW", &r), IL_ENOTFOUND);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "UNI-4142010487", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "website"), "www.hust.edu.cn");
	IL_CHECK_CONTAINS(il_record_get(&r, "aliases"), "Huazhong University of Science & Technology");
	il_record_release(&r);
	/* a near duplicate (place-name prefix) is only a candidate */
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-1",
			 (const char *[]){"name_zh", "凯龙化工集团", "kind", "enterprise", NULL}, &res),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-2",
			 (const char *[]){"name_zh", "湖北凯龙化工集团股份有限公司", "kind",
					  "enterprise", NULL},
			 &res),
		     IL_OK);
	IL_CHECK_INT(res, IL_PUT_INSERTED);
	IL_CHECK_INT(put(s, IL_KIND_DEMAND, "DEM-1",
			 (const char *[]){"title", "爆破器材自动化包装线", "owner", "CO-2", NULL},
			 &res),
		     IL_OK);
	char pair[256] = "";
	IL_CHECK_INT(il_store_dedup_list(s, first_candidate, pair), IL_OK);
	IL_CHECK_STR(pair, "CO-1|CO-2");
	IL_CHECK_INT(il_store_dedup_merge(s, "CO-1", "CO-2", "cli:test"), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_DEMAND, "DEM-1", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "owner"), "CO-1");
	IL_CHECK_INT(r.version, 2);
	il_record_release(&r);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "CO-1", &r), IL_OK);
	IL_CHECK_CONTAINS(il_record_get(&r, "aliases"), "湖北凯龙化工集团股份有限公司");
	il_record_release(&r);
	pair[0] = '\0';
	IL_CHECK_INT(il_store_dedup_list(s, first_candidate, pair), IL_OK);
	IL_CHECK_STR(pair, "");
	IL_CHECK_INT(il_store_dedup_dismiss(s, "CO-1", "CO-2"), IL_ENOTFOUND);
	IL_CHECK_INT(il_store_dedup_merge(s, "CO-1", "CO-1", "x"), IL_EINVAL);
	il_store_close(s);
}

static void test_list_filters_and_confidentiality(void)
{
	struct il_store *s = fresh_store("list");
	struct il_query q;
	size_t n = 0, total = 0;
	seed_regions(s);
	put(s, IL_KIND_ORGANIZATION, "CO-A",
	    (const char *[]){"name_zh", "荆州甲公司", "kind", "enterprise", "region", "P-JZETDZ",
			     "high_tech", "是", "industry_codes", "3512;3443", NULL},
	    NULL);
	put(s, IL_KIND_ORGANIZATION, "CO-B",
	    (const char *[]){"name_zh", "武汉乙公司", "kind", "enterprise", "region", "4201",
			     "high_tech", "否", NULL},
	    NULL);
	put(s, IL_KIND_DEMAND, "DEM-PUB",
	    (const char *[]){"title", "公开需求", "owner", "CO-A", "visibility", "public", NULL}, NULL);
	put(s, IL_KIND_DEMAND, "DEM-SECRET",
	    (const char *[]){"title", "保密需求", "owner", "CO-A", "visibility", "保密", NULL}, NULL);

	il_query_init(&q, IL_KIND_ORGANIZATION);
	q.region = "4210"; /* the city includes its park */
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(n, 1);
	IL_CHECK_INT(total, 1);
	q.region = "42";
	n = 0;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 2);
	q.field[0] = "high_tech";
	q.value[0] = "yes";
	q.nfilters = 1;
	n = 0;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 1);
	q.field[0] = "industry_codes";
	q.value[0] = "3443";
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 1);
	q.value[0] = "344";
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 0);
	q.field[0] = "colour";
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "'colour'");

	il_query_init(&q, IL_KIND_ORGANIZATION);
	q.prefix = "武汉";
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 1);
	q.prefix = "%";
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 0);

	il_query_init(&q, IL_KIND_DEMAND);
	n = 0;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 1);
	IL_CHECK_INT(n, 1);
	q.include_confidential = true;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 2);

	/* a match naming the confidential demand does not reveal it by its count */
	put(s, IL_KIND_MATCH, "MAT-1",
	    (const char *[]){"from_kind", "demand", "from_id", "DEM-SECRET", "to_kind",
			     "organization", "to_id", "CO-B", NULL},
	    NULL);
	put(s, IL_KIND_MATCH, "MAT-2",
	    (const char *[]){"from_kind", "demand", "from_id", "DEM-PUB", "to_kind",
			     "organization", "to_id", "CO-B", NULL},
	    NULL);
	il_query_init(&q, IL_KIND_MATCH);
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 1);
	q.include_confidential = true;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(total, 2);

	il_query_init(&q, IL_KIND_ORGANIZATION);
	q.limit = 1;
	q.offset = 1;
	n = 0;
	IL_CHECK_INT(il_store_list(s, &q, count_cb, &n, &total), IL_OK);
	IL_CHECK_INT(n, 1);
	IL_CHECK_INT(total, 2);
	char *id = NULL;
	IL_CHECK_INT(il_store_new_id(s, IL_KIND_DEMAND, &id), IL_OK);
	IL_CHECK_STR(id, "DEM-1");
	free(id);
	il_store_close(s);
}

static void test_transactions(void)
{
	struct il_store *s = fresh_store("tx");
	size_t n;
	seed_regions(s);
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	IL_CHECK_INT(il_store_begin(s), IL_EINVAL);
	put(s, IL_KIND_ORGANIZATION, "CO-T",
	    (const char *[]){"name_zh", "回滚公司", "kind", "enterprise", NULL}, NULL);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-U",
	    (const char *[]){"name_zh", "撤销公司", "kind", "enterprise", NULL}, NULL);
	IL_CHECK_INT(il_store_rollback_to(s), IL_OK);
	IL_CHECK_INT(il_store_count(s, IL_KIND_ORGANIZATION, &n), IL_OK);
	IL_CHECK_INT(n, 1);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	IL_CHECK_INT(il_store_count(s, IL_KIND_ORGANIZATION, &n), IL_OK);
	IL_CHECK_INT(n, 0);
	il_store_close(s);
}

struct changes {
	char log[512];
	int64_t last;
};

static int collect_change(const struct il_change *c, void *ctx)
{
	struct changes *ch = ctx;
	size_t n = strlen(ch->log);
	snprintf(ch->log + n, sizeof(ch->log) - n, "%s%s:%s:%s", n ? " " : "",
		 il_kind_info(c->kind)->name, c->id, c->deleted ? "delete" : "put");
	IL_CHECK(c->seq > ch->last);
	ch->last = c->seq;
	return 0;
}

static void test_change_log(void)
{
	struct il_store *s = fresh_store("changes");
	struct changes ch = {"", 0};
	int64_t start = -1, end = -1;
	IL_CHECK_INT(il_store_last_change(s, &start), IL_OK);
	IL_CHECK_INT(start, 0);
	seed_regions(s);
	IL_CHECK_INT(il_store_last_change(s, &start), IL_OK);
	IL_CHECK_INT(start, 4);
	const char *v1[] = {"name_zh", "变更公司", "kind", "enterprise", NULL};
	const char *v2[] = {"name_zh", "变更公司", "kind", "enterprise", "website", "x.example", NULL};
	put(s, IL_KIND_ORGANIZATION, "CO-C", v1, NULL);
	put(s, IL_KIND_ORGANIZATION, "CO-C", v1, NULL); /* unchanged: no entry */
	put(s, IL_KIND_ORGANIZATION, "CO-C", v2, NULL);
	IL_CHECK_INT(il_store_delete(s, IL_KIND_ORGANIZATION, "CO-C", "test"), IL_OK);
	ch.last = start;
	IL_CHECK_INT(il_store_changes(s, start, collect_change, &ch), IL_OK);
	IL_CHECK_STR(ch.log, "organization:CO-C:put organization:CO-C:put organization:CO-C:delete");
	IL_CHECK_INT(il_store_last_change(s, &end), IL_OK);
	IL_CHECK_INT(end, start + 3);
	/* a write undone by rolling back to a savepoint leaves no entry; the
	 * writes around it do, once committed */
	ch.log[0] = '\0';
	ch.last = end;
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-E", (const char *[]){"name_zh", "戊公司", "kind", "enterprise", NULL},
	    NULL);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-F", (const char *[]){"name_zh", "己公司", "kind", "enterprise", NULL},
	    NULL);
	IL_CHECK_INT(il_store_rollback_to(s), IL_OK);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-G", (const char *[]){"name_zh", "庚公司", "kind", "enterprise", NULL},
	    NULL);
	IL_CHECK_INT(il_store_release(s), IL_OK);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT(il_store_changes(s, end, collect_change, &ch), IL_OK);
	IL_CHECK_STR(ch.log, "organization:CO-E:put organization:CO-G:put");
	IL_CHECK_INT(il_store_last_change(s, &end), IL_OK);
	/* many writes in one transaction go out in multi-row inserts */
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	for (int i = 0; i < 300; i++) {
		char id[16];
		snprintf(id, sizeof(id), "CO-M%d", i);
		put(s, IL_KIND_ORGANIZATION, id, (const char *[]){"name_zh", id, "kind", "enterprise", NULL},
		    NULL);
	}
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT(il_store_last_change(s, &start), IL_OK);
	IL_CHECK_INT(start, end + 300);
	end = start;
	/* a rolled-back write leaves no entry */
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-D", v1, NULL);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	IL_CHECK_INT(il_store_last_change(s, &start), IL_OK);
	IL_CHECK_INT(start, end);
	il_store_close(s);
}

static void copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[8192];
	size_t n;
	IL_CHECK(in && out);
	while (in && out && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in)
		fclose(in);
	if (out)
		fclose(out);
}

static void test_migrate_schema_1(void)
{
	struct il_store *s = NULL;
	struct il_record r;
	enum il_put_result res;
	int from = 0, to = 0;
	snprintf(db_path, sizeof(db_path), "%s/schema-v1-%d.db", IL_TEST_TMPDIR, (int)getpid());
	copy_file(IL_TEST_SRCDIR "/fixtures/store/schema-v1.db", db_path);
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_ESCHEMA);
	IL_CHECK_CONTAINS(il_error_detail(IL_ESCHEMA), "innolink migrate");
	IL_CHECK_INT(il_store_open(db_path, IL_STORE_MIGRATE, &s), IL_OK);
	IL_CHECK_INT(il_store_schema_version(s, &to), IL_OK);
	IL_CHECK_INT(to, IL_SCHEMA_VERSION);
	IL_CHECK_INT(il_store_migrate(s, &from, &to), IL_OK);
	IL_CHECK_INT(from, IL_SCHEMA_VERSION);
	/* the data made by schema 1 is all there, history included */
	IL_CHECK_INT(il_store_get(s, IL_KIND_ACHIEVEMENT, "ACH-1", &r), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "trl"), "6");
	il_record_release(&r);
	size_t n = 0;
	IL_CHECK_INT(il_store_history(s, IL_KIND_ORGANIZATION, "UNI-4142010489", count_cb, &n), IL_OK);
	IL_CHECK_INT(n, 2);
	/* and the name keys of version 2 were filled for the old rows */
	make(&r, IL_KIND_ORGANIZATION, "ORG-DUP",
	     (const char *[]){"name_zh", "Yangtze University", "kind", "university", NULL});
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_MERGED);
	il_record_release(&r);
	il_store_close(s);
}

static void test_open_errors(void)
{
	struct il_store *s = NULL;
	IL_CHECK_INT(il_store_open("/nonexistent-dir/x.db", IL_STORE_CREATE, &s), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "/nonexistent-dir/x.db");
	IL_CHECK_INT(il_store_open("postgres://u@localhost/innolink", 0, &s), IL_EUNSUPPORTED);
	snprintf(db_path, sizeof(db_path), "%s/missing-%d.db", IL_TEST_TMPDIR, (int)getpid());
	unlink(db_path);
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_EIO);
	IL_CHECK(s == NULL);
}

/* One round of the operations whose error paths the allocation test walks. */
static int store_round(void)
{
	struct il_store *s = NULL;
	struct il_record r;
	enum il_put_result res;
	size_t n = 0;
	int rc = il_store_open(":memory:", IL_STORE_CREATE, &s);
	if (rc)
		return rc;
	if ((rc = il_record_init(&r, IL_KIND_REGION)) != 0)
		goto out;
	if (!(rc = il_record_set_id(&r, "42", 2)) &&
	    !(rc = il_record_set_by_name(&r, "name_zh", "湖北省", strlen("湖北省"))) &&
	    !(rc = il_record_set_by_name(&r, "level", "province", 8)))
		rc = il_store_put(s, &r, 0, "t", &res);
	il_record_release(&r);
	if (rc || (rc = il_record_init(&r, IL_KIND_ORGANIZATION)) != 0)
		goto out;
	if (!(rc = il_record_set_id(&r, "ORG-1", 5)) &&
	    !(rc = il_record_set_by_name(&r, "name_zh", "湖北甲公司", strlen("湖北甲公司"))) &&
	    !(rc = il_record_set_by_name(&r, "aliases", "甲公司;Jia Co., Ltd.", strlen("甲公司;Jia Co., Ltd."))) &&
	    !(rc = il_record_set_by_name(&r, "kind", "enterprise", 10)) &&
	    !(rc = il_record_set_by_name(&r, "region", "42", 2)) &&
	    !(rc = il_store_put(s, &r, 0, "t", &res)) &&
	    !(rc = il_record_set_by_name(&r, "website", "example.org", 11)))
		rc = il_store_put(s, &r, 0, "t", &res); /* an update: history */
	il_record_release(&r);
	if (!rc)
		rc = il_store_history(s, IL_KIND_ORGANIZATION, "ORG-1", count_cb, &n);
	if (!rc) {
		struct il_query q;
		il_query_init(&q, IL_KIND_ORGANIZATION);
		q.region = "42";
		rc = il_store_list(s, &q, count_cb, &n, NULL);
	}
out:
	il_store_close(s);
	return rc;
}

static void test_allocation_failures(void)
{
	/* SQLite allocates with its own allocator; every allocation of ours
	 * on these paths may fail, and each failure must come back as an
	 * error, never a crash or (under ASan) a leak */
	unsigned long n;
	for (n = 1; n < 5000; n++) {
		il_alloc_fail_after(n);
		int rc = store_round();
		il_alloc_fail_after(0);
		if (rc == IL_OK)
			break;
		if (rc != IL_ENOMEM && rc != IL_ESTORE && rc != IL_EIO)
			printf("# failing allocation %lu gave %s: %s\n", n, il_errname(rc),
			       il_error_detail(rc));
		IL_CHECK(rc == IL_ENOMEM || rc == IL_ESTORE || rc == IL_EIO);
	}
	IL_CHECK(n > 10 && n < 5000);
}

int main(void)
{
	IL_RUN(test_schema_matches_field_tables);
	IL_RUN(test_upsert_versions_history);
	IL_RUN(test_references);
	IL_RUN(test_dedup);
	IL_RUN(test_list_filters_and_confidentiality);
	IL_RUN(test_transactions);
	IL_RUN(test_change_log);
	IL_RUN(test_migrate_schema_1);
	IL_RUN(test_open_errors);
	IL_RUN(test_allocation_failures);
	IL_DONE();
}
