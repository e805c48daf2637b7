/*
 * sqlite.c - the SQLite driver: the embedded default back end.
 *
 * Every connection runs in WAL mode (readers never block the writer) with
 * foreign keys enforced and a 5 s busy timeout, so a CLI import and a
 * running server can share one file.  Errors carry SQLite's own message.
 */
#include "store_internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

struct il__db {
	sqlite3 *h;
	int last_rc;
};

struct il__stmt {
	struct il__db *db;
	sqlite3_stmt *h;
};

static int fail(struct il__db *db, int rc, const char *what)
{
	db->last_rc = rc;
	if (rc == SQLITE_NOMEM)
		return IL_ENOMEM;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return il_error_set(IL_EBUSY, "%s: database is busy: %s", what,
				    sqlite3_errmsg(db->h));
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return il_error_set(IL_ECONFLICT, "%s: %s", what, sqlite3_errmsg(db->h));
	return il_error_set(IL_ESTORE, "%s: %s", what, sqlite3_errmsg(db->h));
}

static int sq_exec(struct il__db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db->last_rc = rc;
		int code = (rc & 0xff) == SQLITE_CONSTRAINT ? IL_ECONFLICT : IL_ESTORE;
		if (rc == SQLITE_NOMEM)
			code = IL_ENOMEM;
		else if (rc == SQLITE_BUSY)
			code = IL_EBUSY;
		il_error_set(code, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return IL_OK;
}

/*
 * SQLite counts every allocation of the process under one global mutex
 * unless told not to; nothing here reads the counts, and they took 6% of
 * an import's writing thread (callgrind).  The setting must come before
 * SQLite initialises: if another part of the process used SQLite first,
 * sqlite3_config refuses it and the counts stay on, which is harmless.
 */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *uri, unsigned flags, struct il__db **out)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	struct il__db *db = il_calloc(1, sizeof(*db));
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;
	*out = NULL;
	if (!db)
		return IL_ENOMEM;
	pthread_once(&configured, configure_once);
	if (flags & IL_STORE_READONLY)
		oflags |= SQLITE_OPEN_READONLY;
	else
		oflags |= SQLITE_OPEN_READWRITE |
			  ((flags & IL_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	rc = sqlite3_open_v2(uri, &db->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		il_error_set(IL_EIO, "cannot open database '%s': %s", uri,
			     db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc));
		sqlite3_close(db->h);
		free(db);
		return IL_EIO;
	}
	sqlite3_busy_timeout(db->h, 5000);
	sqlite3_extended_result_codes(db->h, 1);
	rc = sq_exec(db, (flags & IL_STORE_READONLY)
				 ? "PRAGMA foreign_keys=ON;"
				 : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
				   "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
				   "PRAGMA temp_store=MEMORY;");
	if (rc) {
		il_error_prefix("database '%s'", uri);
		sqlite3_close(db->h);
		free(db);
		return rc == IL_ESTORE ? IL_EIO : rc;
	}
	*out = db;
	return IL_OK;
}

static void sq_close(struct il__db *db)
{
	if (!db)
		return;
	sqlite3_close(db->h);
	free(db);
}

static int sq_prepare(struct il__db *db, const char *sql, struct il__stmt **out)
{
	struct il__stmt *st = il_calloc(1, sizeof(*st));
	*out = NULL;
	if (!st)
		return IL_ENOMEM;
	int rc = sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->h, NULL);
	if (rc != SQLITE_OK) {
		free(st);
		return fail(db, rc, "prepare");
	}
	st->db = db;
	*out = st;
	return IL_OK;
}

static void sq_finalize(struct il__stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->h);
	free(st);
}

static int bind_rc(struct il__stmt *st, int rc)
{
	return rc == SQLITE_OK ? IL_OK : fail(st->db, rc, "bind");
}

static int sq_bind_text(struct il__stmt *st, int i, const char *s)
{
	return bind_rc(st, s ? sqlite3_bind_text(st->h, i, s, -1, SQLITE_TRANSIENT)
			     : sqlite3_bind_null(st->h, i));
}

static int sq_bind_text_ref(struct il__stmt *st, int i, const char *s)
{
	return bind_rc(st, s ? sqlite3_bind_text(st->h, i, s, -1, SQLITE_STATIC)
			     : sqlite3_bind_null(st->h, i));
}

static int64_t sq_last_id(struct il__db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

static int64_t sq_changes(struct il__db *db)
{
	return sqlite3_changes64(db->h);
}

static int sq_bind_int(struct il__stmt *st, int i, int64_t v)
{
	return bind_rc(st, sqlite3_bind_int64(st->h, i, v));
}

static int sq_bind_real(struct il__stmt *st, int i, double v)
{
	return bind_rc(st, sqlite3_bind_double(st->h, i, v));
}

static int sq_bind_null(struct il__stmt *st, int i)
{
	return bind_rc(st, sqlite3_bind_null(st->h, i));
}

static int sq_step(struct il__stmt *st, bool *row)
{
	int rc = sqlite3_step(st->h);
	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return IL_OK;
	return fail(st->db, rc, "query");
}

static void sq_reset(struct il__stmt *st)
{
	sqlite3_reset(st->h);
	sqlite3_clear_bindings(st->h);
}

static bool sq_col_null(struct il__stmt *st, int i)
{
	return sqlite3_column_type(st->h, i) == SQLITE_NULL;
}

static const char *sq_col_text(struct il__stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->h, i);
}

static int64_t sq_col_int(struct il__stmt *st, int i)
{
	return sqlite3_column_int64(st->h, i);
}

static double sq_col_real(struct il__stmt *st, int i)
{
	return sqlite3_column_double(st->h, i);
}

static int sq_col_count(struct il__stmt *st)
{
	return sqlite3_column_count(st->h);
}

static const char *sq_col_name(struct il__stmt *st, int i)
{
	return sqlite3_column_name(st->h, i);
}

static enum il__col_type sq_col_type(struct il__stmt *st, int i)
{
	switch (sqlite3_column_type(st->h, i)) {
	case SQLITE_NULL:
		return IL__COL_NULL;
	case SQLITE_INTEGER:
		return IL__COL_INT;
	case SQLITE_FLOAT:
		return IL__COL_REAL;
	default:
		return IL__COL_TEXT;
	}
}

static bool sq_constraint_error(struct il__db *db)
{
	return (db->last_rc & 0xff) == SQLITE_CONSTRAINT;
}

/*
 * In WAL mode every page of a transaction is written twice, to the WAL and
 * at the checkpoint to the database, and a transaction larger than the
 * page cache writes some pages to the WAL several times.  A rollback
 * journal writes a new page once (only pages that existed before are
 * journalled), so a large import into a database nobody else has open
 * goes through one.  Leaving WAL needs every other connection closed:
 * when one is open the pragma fails or answers "wal", and the write stays
 * in WAL mode.  Other connections opened meanwhile wait on the locks, as
 * in any rollback-journal database.
 */
static bool journal_mode(struct il__db *db, const char *sql, const char *want)
{
	sqlite3_stmt *st;
	bool ok = false;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return false;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);
		ok = mode && sqlite3_stricmp(mode, want) == 0;
	}
	sqlite3_finalize(st);
	return ok;
}

static bool sq_bulk(struct il__db *db, bool on)
{
	if (on)
		return journal_mode(db, "PRAGMA journal_mode=DELETE", "delete");
	return journal_mode(db, "PRAGMA journal_mode=WAL", "wal");
}

const struct il__driver il__sqlite_driver = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_text = sq_bind_text,
	.bind_text_ref = sq_bind_text_ref,
	.bind_int = sq_bind_int,
	.bind_real = sq_bind_real,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_null = sq_col_null,
	.col_text = sq_col_text,
	.col_int = sq_col_int,
	.col_real = sq_col_real,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_type = sq_col_type,
	.last_id = sq_last_id,
	.changes = sq_changes,
	.constraint_error = sq_constraint_error,
	.bulk = sq_bulk,
	.sql_tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
		      "'sqlite_%' ORDER BY rowid",
	.sql_table_indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
			     "tbl_name = ? AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
	.sql_copy_begin = "PRAGMA defer_foreign_keys = ON",
};
