/*
 * test_bulk.c - the SQLite store's bulk mode: a large write into a database
 * nobody else has open goes through a rollback journal, one that others
 * have open stays in WAL mode, and either way the database is in WAL mode
 * again after commit or rollback, with the write kept or undone.  A bulk
 * load into an empty table drops its secondary indexes and builds them at
 * the commit; they are there afterwards whatever happened: commit,
 * rollback, a savepoint undone, a crash.
 */
#include <innolink/store.h>

#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

static char db_path[512];

static void path_with(char *out, size_t len, const char *suffix)
{
	snprintf(out, len, "%s%s", db_path, suffix);
}

static bool exists(const char *suffix)
{
	char p[600];
	struct stat sb;
	path_with(p, sizeof(p), suffix);
	return stat(p, &sb) == 0;
}

static struct il_store *fresh_store(const char *name)
{
	struct il_store *s = NULL;
	char p[600];
	snprintf(db_path, sizeof(db_path), "%s/bulk-%s-%d.db", IL_TEST_TMPDIR, name, (int)getpid());
	unlink(db_path);
	path_with(p, sizeof(p), "-wal");
	unlink(p);
	path_with(p, sizeof(p), "-journal");
	unlink(p);
	IL_CHECK_INT(il_store_open(db_path, IL_STORE_CREATE, &s), IL_OK);
	return s;
}

static int put_region(struct il_store *s, const char *id)
{
	struct il_record r;
	enum il_put_result res;
	il_record_init(&r, IL_KIND_REGION);
	il_record_set_id(&r, id, strlen(id));
	il_record_set_by_name(&r, "name_zh", "湖北省", strlen("湖北省"));
	il_record_set_by_name(&r, "level", "province", strlen("province"));
	int rc = il_store_put(s, &r, 0, "test", &res);
	if (rc)
		printf("# %s\n", il_error_detail(rc));
	il_record_release(&r);
	return rc;
}

/* A district of `parent`: the row goes into the region_parent index. */
static int put_child(struct il_store *s, const char *id, const char *parent)
{
	struct il_record r;
	enum il_put_result res;
	il_record_init(&r, IL_KIND_REGION);
	il_record_set_id(&r, id, strlen(id));
	il_record_set_by_name(&r, "name_zh", id, strlen(id));
	il_record_set_by_name(&r, "level", "district", strlen("district"));
	il_record_set_by_name(&r, "parent", parent, strlen(parent));
	int rc = il_store_put(s, &r, 0, "test", &res);
	if (rc)
		printf("# %s\n", il_error_detail(rc));
	il_record_release(&r);
	return rc;
}

static int first_col(const char *const *cols, void *ctx)
{
	*(long long *)ctx = cols[0] ? atoll(cols[0]) : -1;
	return 0;
}

/* Whether region_parent exists, as the store's own connection sees it
 * (inside its transaction, if one is open). */
static bool has_parent_index(struct il_store *s)
{
	long long n = -1;
	IL_CHECK_INT(il_store_sql(s,
				  "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
				  "name = 'region_parent' AND tbl_name = 'region'",
				  NULL, 0, 1, first_col, &n),
		     IL_OK);
	return n == 1;
}

/* The districts of `parent` read through region_parent alone: fails when
 * the index is missing, and counts what it holds. */
static long long children_by_index(struct il_store *s, const char *parent)
{
	const char *params[] = {parent};
	long long n = -1;
	IL_CHECK_INT(il_store_sql(s,
				  "SELECT count(*) FROM region INDEXED BY region_parent "
				  "WHERE parent = ?",
				  params, 1, 1, first_col, &n),
		     IL_OK);
	return n;
}

/* The journal mode as a fresh connection sees it once the store is done. */
static void check_wal_mode(void)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	IL_CHECK_INT(sqlite3_open(db_path, &h), SQLITE_OK);
	IL_CHECK_INT(sqlite3_prepare_v2(h, "PRAGMA journal_mode", -1, &st, NULL), SQLITE_OK);
	IL_CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	IL_CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static size_t count_regions(struct il_store *s)
{
	size_t n = 0;
	IL_CHECK_INT(il_store_count(s, IL_KIND_REGION, &n), IL_OK);
	return n;
}

static void test_alone_uses_rollback_journal(void)
{
	struct il_store *s = fresh_store("alone");
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	/* the rollback journal holds the transaction; the WAL file is gone */
	IL_CHECK(exists("-journal"));
	IL_CHECK(!exists("-wal"));
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT((int)count_regions(s), 1);
	il_store_close(s);
	check_wal_mode();
}

static void test_rollback_undoes_and_restores_wal(void)
{
	struct il_store *s = fresh_store("rollback");
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	IL_CHECK_INT((int)count_regions(s), 0);
	/* the store is usable as before */
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	IL_CHECK_INT((int)count_regions(s), 1);
	il_store_close(s);
	check_wal_mode();
}

static void test_shared_stays_in_wal(void)
{
	struct il_store *s = fresh_store("shared");
	struct il_store *other = NULL;
	IL_CHECK_INT(il_store_open(db_path, 0, &other), IL_OK);
	IL_CHECK_INT((int)count_regions(other), 0);
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	IL_CHECK(exists("-wal"));
	IL_CHECK(!exists("-journal"));
	/* the other connection keeps reading while the write is open */
	IL_CHECK_INT((int)count_regions(other), 0);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT((int)count_regions(other), 1);
	/* transactions do not nest, bulk or not */
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_EINVAL);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	il_store_close(other);
	il_store_close(s);
	check_wal_mode();
}

static void test_empty_table_indexes_built_at_commit(void)
{
	struct il_store *s = fresh_store("indexes");
	IL_CHECK(has_parent_index(s));
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	/* the load runs without the secondary index ... */
	IL_CHECK(!has_parent_index(s));
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	IL_CHECK_INT(put_child(s, "4201", "42"), IL_OK);
	IL_CHECK_INT(put_child(s, "4210", "42"), IL_OK);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	/* ... and the commit built it with every row */
	IL_CHECK(has_parent_index(s));
	IL_CHECK_INT(children_by_index(s, "42"), 2);
	/* a table that already has rows keeps its indexes */
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK(has_parent_index(s));
	IL_CHECK_INT(put_child(s, "4208", "42"), IL_OK);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT(children_by_index(s, "42"), 3);
	il_store_close(s);
	check_wal_mode();
}

static void test_rollback_restores_indexes(void)
{
	struct il_store *s = fresh_store("index-rollback");
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK(!has_parent_index(s));
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	IL_CHECK_INT(put_child(s, "4201", "42"), IL_OK);
	IL_CHECK_INT(il_store_rollback(s), IL_OK);
	IL_CHECK(has_parent_index(s));
	IL_CHECK_INT(children_by_index(s, "42"), 0);
	/* the next bulk load drops and builds them again */
	IL_CHECK_INT(il_store_begin_bulk(s, IL_KIND_REGION), IL_OK);
	IL_CHECK(!has_parent_index(s));
	IL_CHECK_INT(put_region(s, "42"), IL_OK);
	/* a row undone to its savepoint (--skip-invalid) leaves the rest */
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	IL_CHECK_INT(put_child(s, "4201", "42"), IL_OK);
	IL_CHECK_INT(il_store_rollback_to(s), IL_OK);
	IL_CHECK_INT(il_store_savepoint(s), IL_OK);
	IL_CHECK_INT(put_child(s, "4210", "42"), IL_OK);
	IL_CHECK_INT(il_store_release(s), IL_OK);
	IL_CHECK_INT(il_store_commit(s), IL_OK);
	IL_CHECK_INT(children_by_index(s, "42"), 1);
	il_store_close(s);
	check_wal_mode();
}

/* A process that dies in the middle of a bulk load leaves a hot journal;
 * the next open replays it, indexes included. */
static void test_crash_restores_indexes(void)
{
	struct il_store *s = fresh_store("index-crash");
	il_store_close(s);
	fflush(stdout);
	pid_t pid = fork();
	IL_CHECK(pid >= 0);
	if (pid == 0) {
		struct il_store *c = NULL;
		bool ok = il_store_open(db_path, 0, &c) == IL_OK &&
			  il_store_begin_bulk(c, IL_KIND_REGION) == IL_OK &&
			  put_region(c, "42") == IL_OK && put_child(c, "4201", "42") == IL_OK;
		_exit(ok && exists("-journal") ? 0 : 1);
	}
	int status = -1;
	IL_CHECK_INT(waitpid(pid, &status, 0), pid);
	IL_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	IL_CHECK_INT(il_store_open(db_path, 0, &s), IL_OK);
	if (!s)
		return;
	IL_CHECK_INT((int)count_regions(s), 0);
	IL_CHECK(has_parent_index(s));
	IL_CHECK_INT(children_by_index(s, "42"), 0);
	il_store_close(s);
	check_wal_mode();
}

int main(void)
{
	IL_RUN(test_alone_uses_rollback_journal);
	IL_RUN(test_rollback_undoes_and_restores_wal);
	IL_RUN(test_shared_stays_in_wal);
	IL_RUN(test_empty_table_indexes_built_at_commit);
	IL_RUN(test_rollback_restores_indexes);
	IL_RUN(test_crash_restores_indexes);
	IL_DONE();
}
