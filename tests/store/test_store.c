/*
 * test_store.c - the store conformance suite: schema against the field
 * tables, upserts and versions, references, de-duplication, listing
 * filters, confidentiality, deletes, transactions, the change log,
 * concurrent writers, change notification, copying and migration of a
 * database made by schema 1.
 *
 * One suite for both back ends: on SQLite by default; on PostgreSQL when
 * $INNOLINK_TEST_PG names a database (tests/store/with-postgres makes a
 * throwaway cluster and sets it; CTest runs the suite both ways).  Each
 * test gets a new database: a file on SQLite, a schema of its own on
 * PostgreSQL.  Only the checks that look beneath the store (the catalog,
 * SQLite's journal mode) differ by back end.
 */
#include <innolink/store.h>

#include <libpq-fe.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <unistd.h>

#include "store/store_internal.h"
#include "test.h"

static char db_path[1024];
static const char *pg; /* $INNOLINK_TEST_PG: the back end is PostgreSQL */

/* Runs SQL on the test database with libpq, beneath the store. */
static void pg_sql(const char *sql)
{
	PGconn *c = PQconnectdb(pg);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		printf("# %s: %s\n", sql, PQerrorMessage(c));
	IL_CHECK(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
}

/* Names a new, empty database for a test: db_path is its URI. */
static void fresh_uri(const char *name)
{
	if (pg) {
		char sql[256];
		snprintf(sql, sizeof(sql),
			 "SET client_min_messages = warning; DROP SCHEMA IF EXISTS t_%s CASCADE; "
			 "CREATE SCHEMA t_%s",
			 name, name);
		pg_sql(sql);
		snprintf(db_path, sizeof(db_path), "%s options='-c search_path=t_%s'", pg, name);
		return;
	}
	snprintf(db_path, sizeof(db_path), "%s/store-%s-%d.db", IL_TEST_TMPDIR, name,
		 (int)getpid());
	unlink(db_path);
	char wal[1100];
	snprintf(wal, sizeof(wal), "%s-wal", db_path);
	unlink(wal);
}

static struct il_store *fresh_store(const char *name)
{
	struct il_store *s = NULL;
	fresh_uri(name);
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
			 (const char *[]){"name_zh", "荆州市", "level", "city", "parent", "42",
					  NULL},
			 NULL),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "P-JZETDZ",
			 (const char *[]){"name_zh", "荆州经济技术开发区", "level", "park",
					  "parent", "4210", NULL},
			 NULL),
		     IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_REGION, "4201",
			 (const char *[]){"name_zh", "武汉市", "level", "city", "parent", "42",
					  NULL},
			 NULL),
		     IL_OK);
}

static int count_cb(const struct il_record *r, void *ctx)
{
	(void)r;
	(*(size_t *)ctx)++;
	return 0;
}

/* The columns of every kind's table, in order, from PostgreSQL's catalog. */
static void check_pg_columns(void)
{
	PGconn *c = PQconnectdb(pg);
	for (int k = 0; k < IL_KIND__COUNT; k++) {
		const struct il_kind_info *ki = il_kind_info((enum il_kind)k);
		const char *params[1] = {ki->name};
		PGresult *r = PQexecParams(
			c,
			"SELECT column_name FROM information_schema.columns WHERE table_schema = "
			"'t_schema' AND table_name = $1 ORDER BY ordinal_position",
			1, NULL, params, NULL, NULL, 0);
		int n = PQntuples(r);
		for (int col = 7; col < n && (size_t)(col - 7) < ki->nfields; col++)
			IL_CHECK_STR(PQgetvalue(r, col, 0), ki->fields[col - 7].name);
		IL_CHECK_INT(n, ki->nfields + 7);
		PQclear(r);
	}
	PQfinish(c);
}

static void test_schema_matches_field_tables(void)
{
	struct il_store *s = fresh_store("schema");
	sqlite3 *db;
	int v = 0;
	IL_CHECK_INT(il_store_schema_version(s, &v), IL_OK);
	IL_CHECK_INT(v, IL_SCHEMA_VERSION);
	IL_CHECK_STR(il_store_backend(s), pg ? "postgres" : "sqlite");
	il_store_close(s);
	if (pg) {
		check_pg_columns();
		return;
	}
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
	const char *v2[] = {"name_zh", "长江大学",           "kind", "高校", "region", "4210",
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
	/* IL_PUT_IF_VERSION: only over the version the writer read */
	r.version = 1;
	IL_CHECK_INT(il_store_put(s, &r, IL_PUT_IF_VERSION, "api:x", &res), IL_EPRECOND);
	IL_CHECK_CONTAINS(il_error_detail(IL_EPRECOND), "version 2, not 1");
	r.version = 2;
	IL_CHECK_INT(il_store_put(s, &r, IL_PUT_IF_VERSION, "api:x", &res), IL_OK);
	IL_CHECK_INT(res, IL_PUT_UPDATED);
	IL_CHECK_INT(r.version, 3);
	il_record_release(&r);
	/* a delete of the version a client read, and only of it */
	IL_CHECK_INT(il_store_delete_version(s, IL_KIND_ORGANIZATION, "UNI-1", 2, "api:x"),
		     IL_EPRECOND);
	IL_CHECK_INT(il_store_delete_version(s, IL_KIND_ORGANIZATION, "UNI-1", 0, "api:x"),
		     IL_EINVAL);
	IL_CHECK_INT(il_store_delete_version(s, IL_KIND_ORGANIZATION, "UNI-1", 3, "api:x"), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "UNI-1", &r), IL_ENOTFOUND);
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
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND),
			  "field 'region': no region with id '9999'");
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-000852",
			 (const char *[]){"name_zh", "中石化石油机械股份有限公司", "kind",
					  "enterprise", "aliases",
					  "石化机械;Sinopec Petroleum Machinery Co., Ltd.", NULL},
			 &res),
		     IL_OK);
	/* an owner given by name resolves to the organization's id */
	make(&r, IL_KIND_ACHIEVEMENT, "ACH-1",
	     (const char *[]){"title", "泥浆泵柱塞涂层", "owner", "Sinopec Petroleum Machinery",
			      NULL});
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", &res), IL_OK);
	IL_CHECK_STR(il_record_get(&r, "owner"), "CO-000852");
	il_record_release(&r);
	IL_CHECK_INT(put(s, IL_KIND_ACHIEVEMENT, "ACH-2",
			 (const char *[]){"title", "x", "owner", "无名公司", NULL}, &res),
		     IL_ENOTFOUND);
	IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND),
			  "no organization with id or name '无名公司'");
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
			 (const char *[]){"name_zh", "华中科技大学", "kind", "university",
					  "aliases", "HUST", NULL},
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
	IL_CHECK_CONTAINS(il_record_get(&r, "aliases"),
			  "Huazhong University of Science & Technology");
	il_record_release(&r);
	/* a near duplicate (place-name prefix) is only a candidate */
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-1",
			 (const char *[]){"name_zh", "凯龙化工集团", "kind", "enterprise", NULL},
			 &res),
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
	    (const char *[]){"title", "公开需求", "owner", "CO-A", "visibility", "public", NULL},
	    NULL);
	put(s, IL_KIND_DEMAND, "DEM-SECRET",
	    (const char *[]){"title", "保密需求", "owner", "CO-A", "visibility", "保密", NULL},
	    NULL);

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
	    (const char *[]){"from_kind", "demand", "from_id", "DEM-PUB", "to_kind", "organization",
			     "to_id", "CO-B", NULL},
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
	const char *v2[] = {"name_zh", "变更公司",  "kind", "enterprise",
			    "website", "x.example", NULL};
	put(s, IL_KIND_ORGANIZATION, "CO-C", v1, NULL);
	put(s, IL_KIND_ORGANIZATION, "CO-C", v1, NULL); /* unchanged: no entry */
	put(s, IL_KIND_ORGANIZATION, "CO-C", v2, NULL);
	IL_CHECK_INT(il_store_delete(s, IL_KIND_ORGANIZATION, "CO-C", "test"), IL_OK);
	ch.last = start;
	IL_CHECK_INT(il_store_changes(s, start, collect_change, &ch), IL_OK);
	IL_CHECK_STR(ch.log,
		     "organization:CO-C:put organization:CO-C:put organization:CO-C:delete");
	IL_CHECK_INT(il_store_last_change(s, &end), IL_OK);
	IL_CHECK_INT(end, start + 3);
	/* a write undone by rolling back to a savepoint leaves no entry; the
	 * writes around it do, once committed */
	ch.log[0] = '\0';
	ch.last = end;
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-E",
	    (const char *[]){"name_zh", "戊公司", "kind", "enterprise", NULL}, NULL);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-F",
	    (const char *[]){"name_zh", "己公司", "kind", "enterprise", NULL}, NULL);
	IL_CHECK_INT(il_store_rollback_to(s), IL_OK);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	put(s, IL_KIND_ORGANIZATION, "CO-G",
	    (const char *[]){"name_zh", "庚公司", "kind", "enterprise", NULL}, NULL);
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
		put(s, IL_KIND_ORGANIZATION, id,
		    (const char *[]){"name_zh", id, "kind", "enterprise", NULL}, NULL);
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

/* Copies every row of the SQLite database at `path` into `to`, column by
 * column with its type, through the drivers. */
static void copy_rows(const char *path, const struct il__driver *td, struct il__db *to)
{
	const struct il__driver *fd = &il__sqlite_driver;
	struct il__db *from = NULL;
	struct il__stmt *tabs = NULL;
	bool row, dummy;
	IL_CHECK_INT(fd->open(path, IL_STORE_READONLY, &from), IL_OK);
	IL_CHECK_INT(fd->prepare(from, fd->sql_tables, &tabs), IL_OK);
	while (fd->step(tabs, &row) == IL_OK && row) {
		struct il__stmt *src = NULL, *dst = NULL;
		char sql[256];
		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", fd->col_text(tabs, 0));
		IL_CHECK_INT(fd->prepare(from, sql, &src), IL_OK);
		while (fd->step(src, &row) == IL_OK && row) {
			int n = fd->col_count(src);
			if (!dst) {
				int len = snprintf(sql, sizeof(sql), "INSERT INTO \"%s\" VALUES (?",
						   fd->col_text(tabs, 0));
				for (int i = 1; i < n; i++)
					len += snprintf(sql + len, sizeof(sql) - (size_t)len, ",?");
				snprintf(sql + len, sizeof(sql) - (size_t)len, ")");
				IL_CHECK_INT(td->prepare(to, sql, &dst), IL_OK);
			}
			for (int i = 0; i < n; i++) {
				enum il__col_type t = fd->col_type(src, i);
				if (t == IL__COL_INT)
					td->bind_int(dst, i + 1, fd->col_int(src, i));
				else if (t == IL__COL_REAL)
					td->bind_real(dst, i + 1, fd->col_real(src, i));
				else
					td->bind_text(dst, i + 1, fd->col_text(src, i));
			}
			IL_CHECK_INT(td->step(dst, &dummy), IL_OK);
			td->reset(dst);
		}
		fd->finalize(src);
		td->finalize(dst);
	}
	fd->finalize(tabs);
	fd->close(from);
}

/* db_path: a database made by schema 1 with the fixture's rows.  On
 * PostgreSQL, migration 1 (rewritten by the driver) makes the tables. */
static void schema_1_database(void)
{
	static const char fixture[] = IL_TEST_SRCDIR "/fixtures/store/schema-v1.db";
	struct il__db *db = NULL;
	if (!pg) {
		snprintf(db_path, sizeof(db_path), "%s/schema-v1-%d.db", IL_TEST_TMPDIR,
			 (int)getpid());
		copy_file(fixture, db_path);
		return;
	}
	fresh_uri("v1");
	IL_CHECK_INT(il__postgres_driver.open(db_path, 0, &db), IL_OK);
	IL_CHECK_INT(il__postgres_driver.exec(db, il__migrations[0].sql), IL_OK);
	copy_rows(fixture, &il__postgres_driver, db);
	il__postgres_driver.close(db);
}

static void test_migrate_schema_1(void)
{
	struct il_store *s = NULL;
	struct il_record r;
	enum il_put_result res;
	int from = 0, to = 0;
	schema_1_database();
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
	IL_CHECK_INT(il_store_history(s, IL_KIND_ORGANIZATION, "UNI-4142010489", count_cb, &n),
		     IL_OK);
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
	/* URIs and keyword strings name PostgreSQL; a server that is not
	 * there is an I/O error that says so */
	IL_CHECK_INT(il_store_open("postgresql:///innolink?host=/nonexistent-dir", 0, &s), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "cannot connect to PostgreSQL");
	IL_CHECK_INT(il_store_open("host=/nonexistent-dir dbname=innolink", 0, &s), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "cannot connect to PostgreSQL");
	/* a file name with '=' in it is still a file */
	snprintf(db_path, sizeof(db_path), "%s/x=1-%d.db", IL_TEST_TMPDIR, (int)getpid());
	unlink(db_path);
	IL_CHECK_INT(il_store_open(db_path, IL_STORE_CREATE, &s), IL_OK);
	IL_CHECK_STR(il_store_backend(s), "sqlite");
	il_store_close(s);
	snprintf(db_path, sizeof(db_path), "%s/missing-%d.db", IL_TEST_TMPDIR, (int)getpid());
	unlink(db_path);
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_EIO);
	IL_CHECK(s == NULL);
	if (pg) {
		/* an empty database is not one to use without init */
		fresh_uri("empty");
		IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_ENOTFOUND);
		IL_CHECK_CONTAINS(il_error_detail(IL_ENOTFOUND), "innolink init");
		/* a database of someone else's tables is refused */
		pg_sql("CREATE TABLE t_empty.other(x int)");
		IL_CHECK_INT(il_store_open(db_path, IL_STORE_CREATE, &s), IL_ESCHEMA);
		IL_CHECK_CONTAINS(il_error_detail(IL_ESCHEMA), "not an innolink database");
	}
}

/* One round of the operations whose error paths the allocation test walks. */
static int store_round(void)
{
	struct il_store *s = NULL;
	struct il_record r;
	enum il_put_result res;
	size_t n = 0;
	int rc = il_store_open(pg ? db_path : ":memory:", IL_STORE_CREATE, &s);
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
	    !(rc = il_record_set_by_name(&r, "aliases", "甲公司;Jia Co., Ltd.",
					 strlen("甲公司;Jia Co., Ltd."))) &&
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
	unsigned long n, stride = pg ? 13 : 1; /* a new PostgreSQL schema per round costs */
	for (n = 1; n < 5000; n += stride) {
		if (pg) /* an empty schema per round, made before counting starts */
			fresh_uri("alloc");
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
	printf("# every allocation up to %lu failed in turn (stride %lu)\n", n, stride);
	IL_CHECK(n > 10 && n < 5000);
}

struct writer {
	int thread;
	int updates; /* successful */
	int retries;
	int rc;
};

#define WRITERS 4
#define WRITES 25

/* Updates CO-W WRITES times with values of its own, each put retried
 * while another writer got there first; every third in a transaction. */
static void *write_loop(void *arg)
{
	struct writer *w = arg;
	struct il_store *s = NULL;
	if ((w->rc = il_store_open(db_path, 0, &s)) != IL_OK)
		return NULL;
	for (int i = 0; i < WRITES && !w->rc; i++) {
		char site[32], id[32];
		snprintf(site, sizeof(site), "w%d-%d.example", w->thread, i);
		/* records of its own, which no other writer waits for */
		snprintf(id, sizeof(id), "CO-W%d-%d", w->thread, i);
		if ((w->rc = put(s, IL_KIND_ORGANIZATION, id,
				 (const char *[]){"name_zh", id, "kind", "enterprise", NULL},
				 NULL)))
			break;
		for (int tries = 0;; tries++) {
			bool tx = i % 3 == 0;
			enum il_put_result res;
			struct il_record r;
			make(&r, IL_KIND_ORGANIZATION, "CO-W",
			     (const char *[]){"name_zh", "并发公司", "kind", "enterprise",
					      "website", site, NULL});
			int rc = tx ? il_store_begin(s) : IL_OK;
			if (!rc)
				rc = il_store_put(s, &r, 0, "test", &res);
			if (tx)
				rc = rc ? (il_store_rollback(s), rc) : il_store_commit(s);
			il_record_release(&r);
			if (rc == IL_OK) {
				w->updates += res == IL_PUT_UPDATED;
				break;
			}
			if ((rc != IL_ECONFLICT && rc != IL_EBUSY) || tries > 10000) {
				printf("# writer %d: %s\n", w->thread, il_error_detail(rc));
				w->rc = rc;
				break;
			}
			w->retries++;
		}
	}
	il_store_close(s);
	return NULL;
}

struct reader {
	atomic_bool *stop;
	int64_t last;
	size_t seen;
	int out_of_order;
	int rc;
};

static int count_seen(const struct il_change *c, void *ctx)
{
	struct reader *r = ctx;
	if (c->seq <= r->last)
		r->out_of_order++;
	r->last = c->seq;
	r->seen++;
	return 0;
}

/* Catches up from the change log over and over, as a server's index does:
 * if a number could become visible after a higher one, it would be
 * skipped, and the final count would fall short. */
static void *read_loop(void *arg)
{
	struct reader *r = arg;
	struct il_store *s = NULL;
	if ((r->rc = il_store_open(db_path, 0, &s)) != IL_OK)
		return NULL;
	while (!r->rc && !atomic_load(r->stop))
		r->rc = il_store_changes(s, r->last, count_seen, r);
	if (!r->rc)
		r->rc = il_store_changes(s, r->last, count_seen, r);
	il_store_close(s);
	return NULL;
}

static void test_concurrent_writers(void)
{
	struct il_store *s = fresh_store("concurrent");
	struct writer w[WRITERS];
	atomic_bool stop = false;
	struct reader rd = {&stop, 0, 0, 0, 0};
	pthread_t wt[WRITERS], rt;
	struct il_record r;
	int64_t last = 0;
	int updates = 0;
	seed_regions(s);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-W",
			 (const char *[]){"name_zh", "并发公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	pthread_create(&rt, NULL, read_loop, &rd);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){i, 0, 0, 0};
		pthread_create(&wt[i], NULL, write_loop, &w[i]);
	}
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(wt[i], NULL);
		IL_CHECK_INT(w[i].rc, IL_OK);
		updates += w[i].updates;
	}
	atomic_store(&stop, true);
	pthread_join(rt, NULL);
	printf("# %d updates, retries per writer: %d %d %d %d\n", updates, w[0].retries,
	       w[1].retries, w[2].retries, w[3].retries);
	IL_CHECK_INT(updates, WRITERS * WRITES);
	/* no update was lost: each made a version and kept the one before it */
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "CO-W", &r), IL_OK);
	IL_CHECK_INT(r.version, 1 + WRITERS * WRITES);
	il_record_release(&r);
	size_t n = 0;
	IL_CHECK_INT(il_store_history(s, IL_KIND_ORGANIZATION, "CO-W", count_cb, &n), IL_OK);
	IL_CHECK_INT(n, 1 + WRITERS * WRITES);
	/* the reader that caught up while they wrote saw every entry, in order */
	IL_CHECK_INT(rd.rc, IL_OK);
	IL_CHECK_INT(rd.out_of_order, 0);
	IL_CHECK_INT(rd.seen, 4 + 1 + 2 * WRITERS * WRITES);
	IL_CHECK_INT(il_store_last_change(s, &last), IL_OK);
	IL_CHECK_INT(rd.last, last);
	il_store_close(s);
}

/* PostgreSQL writers run side by side: one in the middle of a long
 * transaction (more log entries than SQLite would buffer) holds no lock
 * that another's commit waits for (if it did, this single thread would
 * wait for itself: the test would hang until CTest's timeout).  On SQLite
 * one writer at a time is the design, so only the long transaction runs. */
static void test_long_transaction(void)
{
	struct il_store *a = fresh_store("longtx"), *b = NULL;
	struct changes ch = {"", 0};
	int64_t start = 0;
	IL_CHECK_INT(il_store_open(db_path, 0, &b), IL_OK);
	seed_regions(a);
	IL_CHECK_INT(il_store_last_change(a, &start), IL_OK);
	IL_CHECK_INT(il_store_begin(a), IL_OK);
	for (int i = 0; i < 1100; i++) {
		char id[16];
		snprintf(id, sizeof(id), "CO-L%d", i);
		put(a, IL_KIND_ORGANIZATION, id,
		    (const char *[]){"name_zh", id, "kind", "enterprise", NULL}, NULL);
	}
	if (pg) {
		IL_CHECK_INT(put(b, IL_KIND_ORGANIZATION, "CO-OTHER",
				 (const char *[]){"name_zh", "另一家公司", "kind", "enterprise",
						  NULL},
				 NULL),
			     IL_OK);
		IL_CHECK_INT(il_store_commit(a), IL_OK);
		/* the other writer committed first, so its entry comes first */
		ch.last = start;
		IL_CHECK_INT(il_store_changes(b, start, collect_change, &ch), IL_OK);
		IL_CHECK(strncmp(ch.log, "organization:CO-OTHER:put organization:CO-L0:put", 48) ==
			 0);
	} else {
		IL_CHECK_INT(il_store_commit(a), IL_OK);
	}
	size_t n = 0;
	IL_CHECK_INT(il_store_count(b, IL_KIND_ORGANIZATION, &n), IL_OK);
	IL_CHECK_INT(n, pg ? 1101 : 1100);
	il_store_close(b);
	il_store_close(a);
}

struct creator {
	const char *id;
	atomic_int *stage; /* 1: the first has put and not committed; 2: the second begins */
	enum il_put_result res;
	int rc;
};

/* Stores the organization 同名重复公司 under its own id in a transaction;
 * the first creator commits only once the second has begun its own. */
static void *create_org(void *arg)
{
	struct creator *c = arg;
	struct il_store *s = NULL;
	struct il_record r;
	bool first = strcmp(c->id, "CO-FIRST") == 0;
	if ((c->rc = il_store_open(db_path, 0, &s)) != IL_OK)
		return NULL;
	while (!first && atomic_load(c->stage) < 1)
		usleep(1000);
	if (!first)
		atomic_store(c->stage, 2);
	make(&r, IL_KIND_ORGANIZATION, c->id,
	     (const char *[]){"name_zh", "同名重复公司", "kind", "enterprise", NULL});
	if (!(c->rc = il_store_begin(s)) && !(c->rc = il_store_put(s, &r, 0, "test", &c->res))) {
		if (first) {
			atomic_store(c->stage, 1);
			while (atomic_load(c->stage) < 2)
				usleep(1000);
			usleep(100000); /* the second is now looking the name up, or waiting to */
		}
		c->rc = il_store_commit(s);
	}
	if (c->rc)
		il_store_rollback(s);
	il_record_release(&r);
	il_store_close(s);
	return NULL;
}

/* Two transactions store the same new organization under two ids at once:
 * the second merges into the first, on both back ends. */
static void test_concurrent_duplicates(void)
{
	struct il_store *s = fresh_store("duplicates");
	atomic_int stage = 0;
	struct creator a = {"CO-FIRST", &stage, IL_PUT_UNCHANGED, 0};
	struct creator b = {"CO-SECOND", &stage, IL_PUT_UNCHANGED, 0};
	pthread_t ta, tb;
	size_t n = 0;
	pthread_create(&ta, NULL, create_org, &a);
	pthread_create(&tb, NULL, create_org, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	IL_CHECK_INT(a.rc, IL_OK);
	IL_CHECK_INT(b.rc, IL_OK);
	IL_CHECK_INT(a.res, IL_PUT_INSERTED);
	IL_CHECK_INT(b.res, IL_PUT_MERGED);
	IL_CHECK_INT(il_store_count(s, IL_KIND_ORGANIZATION, &n), IL_OK);
	IL_CHECK_INT(n, 1);
	il_store_close(s);
}

/* A read-only handle refuses writes; a handle opened after it (on
 * PostgreSQL: on the same pooled connection) writes again. */
static void test_read_only(void)
{
	struct il_store *s = fresh_store("readonly"), *ro = NULL;
	struct il_record r;
	seed_regions(s);
	il_store_close(s);
	IL_CHECK_INT(il_store_open(db_path, IL_STORE_READONLY, &ro), IL_OK);
	IL_CHECK_INT(il_store_get(ro, IL_KIND_REGION, "42", &r), IL_OK);
	il_record_release(&r);
	IL_CHECK_INT(put(ro, IL_KIND_ORGANIZATION, "CO-RO",
			 (const char *[]){"name_zh", "只读公司", "kind", "enterprise", NULL}, NULL),
		     IL_ESTORE);
	IL_CHECK_CONTAINS(il_error_detail(IL_ESTORE), "read");
	il_store_close(ro);
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-RW",
			 (const char *[]){"name_zh", "读写公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	il_store_close(s);
}

/* PostgreSQL only (SQLite has no connection to lose): a connection the
 * server cuts is made again, and the statement that found it cut runs
 * again, unless a transaction was open: that one is lost, said so, and
 * the handle works again after the rollback. */
static void test_reconnect(void)
{
	/* the timeout waits for the backends to be gone */
	static const char cut[] = "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
				  "WHERE pid <> pg_backend_pid() AND datname = current_database()";
	struct il_store *s;
	struct il_record r;
	if (!pg)
		return;
	s = fresh_store("reconnect");
	seed_regions(s);
	pg_sql(cut);
	IL_CHECK_INT(il_store_get(s, IL_KIND_REGION, "42", &r), IL_OK);
	il_record_release(&r);
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-LOST",
			 (const char *[]){"name_zh", "丢失公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	pg_sql(cut);
	IL_CHECK_INT(il_store_get(s, IL_KIND_REGION, "42", &r), IL_EIO);
	IL_CHECK_CONTAINS(il_error_detail(IL_EIO), "connection to PostgreSQL was lost");
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	IL_CHECK_INT(il_store_get(s, IL_KIND_ORGANIZATION, "CO-LOST", &r), IL_ENOTFOUND);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-KEPT",
			 (const char *[]){"name_zh", "保留公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	il_store_close(s);
}

static void test_change_notification(void)
{
	struct il_store *s = fresh_store("notify"), *l = NULL;
	bool changed = true;
	IL_CHECK_INT(il_store_open(db_path, 0, &l), IL_OK);
	if (!pg) {
		IL_CHECK_INT(il_store_listen(l), IL_EUNSUPPORTED);
		IL_CHECK_INT(il_store_wait_change(l, 10, &changed), IL_EUNSUPPORTED);
		IL_CHECK(!changed);
		il_store_close(l);
		il_store_close(s);
		return;
	}
	IL_CHECK_INT(il_store_listen(l), IL_OK);
	IL_CHECK_INT(il_store_wait_change(l, 50, &changed), IL_OK);
	IL_CHECK(!changed);
	/* a write in a transaction is announced at its commit, once */
	IL_CHECK_INT(il_store_begin(s), IL_OK);
	seed_regions(s);
	IL_CHECK_INT(il_store_wait_change(l, 100, &changed), IL_OK);
	IL_CHECK(!changed);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT(il_store_wait_change(l, 5000, &changed), IL_OK);
	IL_CHECK(changed);
	IL_CHECK_INT(il_store_wait_change(l, 50, &changed), IL_OK);
	IL_CHECK(!changed);
	/* a connection cut from the server side is made again, and reported
	 * as a change, since notifications may have been missed */
	pg_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> "
	       "pg_backend_pid() AND query LIKE 'LISTEN%'");
	IL_CHECK_INT(il_store_wait_change(l, 5000, &changed), IL_OK);
	IL_CHECK(changed);
	IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, "CO-N",
			 (const char *[]){"name_zh", "通知公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	IL_CHECK_INT(il_store_wait_change(l, 5000, &changed), IL_OK);
	IL_CHECK(changed);
	il_store_close(l);
	il_store_close(s);
}

static int add_line(struct il_buf *b, sqlite3_stmt *st, const char *table)
{
	il_buf_addf(b, "%s", table);
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_NULL:
			il_buf_adds(b, "|NULL");
			break;
		case SQLITE_INTEGER:
			il_buf_addf(b, "|%lld", (long long)sqlite3_column_int64(st, i));
			break;
		case SQLITE_FLOAT:
			il_buf_addf(b, "|%.17g", sqlite3_column_double(st, i));
			break;
		default:
			il_buf_addf(b, "|'%s'", (const char *)sqlite3_column_text(st, i));
		}
	}
	return il_buf_addc(b, '\n');
}

/* Every row of every table of a SQLite file, one typed line each, in the
 * order of all their columns (implicit rowids of tables without a key are
 * not data). */
static char *dump_rows(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *tabs, *st;
	struct il_buf all = IL_BUF_INIT;
	IL_CHECK_INT(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
			   -1, &tabs, NULL);
	while (sqlite3_step(tabs) == SQLITE_ROW) {
		char sql[200];
		int len = snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"",
				   (const char *)sqlite3_column_text(tabs, 0));
		IL_CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		int ncols = sqlite3_column_count(st);
		sqlite3_finalize(st);
		for (int i = 1; i <= ncols; i++)
			len += snprintf(sql + len, sizeof(sql) - (size_t)len, "%s%d",
					i == 1 ? " ORDER BY " : ",", i);
		IL_CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			add_line(&all, st, (const char *)sqlite3_column_text(tabs, 0));
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tabs);
	sqlite3_close(db);
	return il_buf_detach(&all);
}

static void test_copy_round_trip(void)
{
	struct il_store *a = fresh_store("copy"), *b = NULL, *c = NULL;
	char a_path[1100], c_path[1100];
	enum il_put_result res;
	size_t rows = 0;
	int64_t last = 0, after = 0;
	/* the source is always SQLite: a file with records, versions, a
	 * deletion, name keys, a merge candidate, odd values */
	if (pg) {
		il_store_close(a);
		snprintf(a_path, sizeof(a_path), "%s/copy-a-%d.db", IL_TEST_TMPDIR, (int)getpid());
		unlink(a_path);
		IL_CHECK_INT(il_store_open(a_path, IL_STORE_CREATE, &a), IL_OK);
	} else {
		snprintf(a_path, sizeof(a_path), "%s", db_path);
	}
	seed_regions(a);
	put(a, IL_KIND_ORGANIZATION, "CO-1",
	    (const char *[]){"name_zh", "凯龙化工集团", "kind", "enterprise", "region", "4210",
			     NULL},
	    NULL);
	put(a, IL_KIND_ORGANIZATION, "CO-2",
	    (const char *[]){"name_zh", "湖北凯龙化工集团股份有限公司", "kind", "enterprise",
			     "parent_org", "CO-1", NULL},
	    NULL);
	/* a reference to a record stored later: rows must not go in id order */
	put(a, IL_KIND_ORGANIZATION, "CO-1",
	    (const char *[]){"name_zh", "凯龙化工集团", "kind", "enterprise", "region", "4210",
			     "parent_org", "CO-2", "website", "it's \"quoted\"", NULL},
	    &res);
	IL_CHECK_INT(res, IL_PUT_UPDATED);
	put(a, IL_KIND_ACHIEVEMENT, "ACH-1",
	    (const char *[]){"title", "涂层", "owner", "CO-1", "asking_price",
			     "0.30000000000000004", "trl", "6", NULL},
	    NULL);
	put(a, IL_KIND_DEMAND, "DEM-1",
	    (const char *[]){"title", "临时", "owner", "CO-2", "budget", "1e-7", NULL}, NULL);
	IL_CHECK_INT(il_store_delete(a, IL_KIND_DEMAND, "DEM-1", "test"), IL_OK);
	il_store_close(a);

	/* SQLite -> the back end under test -> SQLite */
	IL_CHECK_INT(il_store_open(a_path, 0, &a), IL_OK);
	if (pg) {
		fresh_uri("copy");
	} else {
		snprintf(db_path, sizeof(db_path), "%s/copy-b-%d.db", IL_TEST_TMPDIR,
			 (int)getpid());
		unlink(db_path);
	}
	IL_CHECK_INT(il_store_open(db_path, IL_STORE_CREATE, &b), IL_OK);
	IL_CHECK_INT(il_store_copy(a, b, NULL, NULL, &rows), IL_OK);
	IL_CHECK(rows > 20);
	/* into a database that holds records: refused */
	IL_CHECK_INT(il_store_copy(a, b, NULL, NULL, NULL), IL_EINVAL);
	IL_CHECK_CONTAINS(il_error_detail(IL_EINVAL), "not empty");
	snprintf(c_path, sizeof(c_path), "%s/copy-c-%d.db", IL_TEST_TMPDIR, (int)getpid());
	unlink(c_path);
	IL_CHECK_INT(il_store_open(c_path, IL_STORE_CREATE, &c), IL_OK);
	IL_CHECK_INT(il_store_copy(b, c, NULL, NULL, NULL), IL_OK);
	il_store_close(c);
	char *da = dump_rows(a_path), *dc = dump_rows(c_path);
	IL_CHECK(da && dc && strlen(da) > 1000);
	IL_CHECK_STR(dc, da);
	free(da);
	free(dc);
	/* the copy goes on where the source stopped: new ids and change
	 * numbers come after the copied ones */
	IL_CHECK_INT(il_store_last_change(b, &last), IL_OK);
	IL_CHECK_INT(put(b, IL_KIND_ORGANIZATION, "CO-3",
			 (const char *[]){"name_zh", "新公司", "kind", "enterprise", NULL}, NULL),
		     IL_OK);
	IL_CHECK_INT(il_store_last_change(b, &after), IL_OK);
	IL_CHECK_INT(after, last + 1);
	struct il_record r;
	IL_CHECK_INT(il_store_get(b, IL_KIND_ORGANIZATION, "CO-3", &r), IL_OK);
	IL_CHECK_INT(r.rowid, 3); /* after CO-1 and CO-2 */
	il_record_release(&r);
	il_store_close(a);
	il_store_close(b);
}

static int ids_cb(const struct il_record *r, void *ctx)
{
	return il_buf_addf(ctx, "%s ", r->id);
}

/* List order is the order of first storage, kept by updates; a put may
 * leave out what it did. */
static void test_list_order(void)
{
	struct il_store *s = fresh_store("order");
	struct il_buf ids = IL_BUF_INIT;
	struct il_query q;
	struct il_record r;
	seed_regions(s);
	for (const char *const *id = (const char *const[]){"R-C", "R-A", "R-B", NULL}; *id; id++)
		IL_CHECK_INT(put(s, IL_KIND_ORGANIZATION, *id,
				 (const char *[]){"name_zh", *id, "kind", "enterprise", NULL},
				 NULL),
			     IL_OK);
	make(&r, IL_KIND_ORGANIZATION, "R-C",
	     (const char *[]){"name_zh", "R-C", "kind", "university", NULL});
	IL_CHECK_INT(il_store_put(s, &r, 0, "test", NULL), IL_OK);
	IL_CHECK_INT(r.version, 2);
	il_record_release(&r);
	il_query_init(&q, IL_KIND_ORGANIZATION);
	IL_CHECK_INT(il_store_list(s, &q, ids_cb, &ids, NULL), IL_OK);
	IL_CHECK_STR(il_buf_cstr(&ids), "R-C R-A R-B ");
	il_buf_release(&ids);
	il_store_close(s);
}

int main(void)
{
	pg = getenv("INNOLINK_TEST_PG");
	printf("# back end: %s\n", pg ? "postgres" : "sqlite");
	IL_RUN(test_schema_matches_field_tables);
	IL_RUN(test_upsert_versions_history);
	IL_RUN(test_references);
	IL_RUN(test_dedup);
	IL_RUN(test_list_filters_and_confidentiality);
	IL_RUN(test_list_order);
	IL_RUN(test_transactions);
	IL_RUN(test_change_log);
	IL_RUN(test_concurrent_writers);
	IL_RUN(test_read_only);
	IL_RUN(test_reconnect);
	IL_RUN(test_long_transaction);
	IL_RUN(test_concurrent_duplicates);
	IL_RUN(test_change_notification);
	IL_RUN(test_copy_round_trip);
	IL_RUN(test_migrate_schema_1);
	IL_RUN(test_open_errors);
	IL_RUN(test_allocation_failures);
	IL_DONE();
}
