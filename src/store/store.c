/*
 * store.c - records, versions, references and migrations over a driver.
 *
 * Invariants:
 *  - every table has the common columns pk, id (unique, the upsert key),
 *    version, created_at, updated_at, source, demo, then one column per
 *    field of the kind's field table, in table order (checked by
 *    tests/store/test_store.c against the migrated schema);
 *  - a row is never overwritten without its previous version going to the
 *    history table first, and an update that changes no value is not a new
 *    version;
 *  - values in the database are canonical (model.h), so reading a row back
 *    gives the record that was written, byte for byte.
 *
 * Statements are built once per kind and kept prepared; every value is a
 * bound parameter.  Identifiers in SQL come only from the static field
 * tables, never from input.
 */
#include "store_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind_stmt { KS_GET, KS_INSERT, KS_UPDATE, KS_EXISTS, KS_DELETE, KS__COUNT };

/* A cache of (kind, id) pairs known to exist, so an import of a million rows
 * that all name the same few regions checks each region once.  Cleared on
 * rollback and delete, when an entry might have become false. */
#define REF_CACHE_SLOTS 4096

struct ref_slot {
	uint64_t hash;
	enum il_kind kind;
	char id[48];
};

struct pending_change {
	enum il_kind kind;
	bool deleted;
	char id[];
};

struct il_store {
	const struct il__driver *drv;
	struct il__db *db;
	char *uri;
	bool in_tx;
	bool bulk; /* the driver switched to its bulk mode for this transaction */
	/* CREATE statements of the indexes a bulk load dropped, run again
	 * before its commit (a rollback restores them by itself) */
	char **rebuild;
	size_t nrebuild;
	bool names_locked; /* this transaction holds the driver's new-organization lock */
	int savepoints;
	struct il__stmt *kst[IL_KIND__COUNT][KS__COUNT];
	char *select_cols[IL_KIND__COUNT];
	struct {
		const char *sql;
		struct il__stmt *st;
	} misc[64];
	struct ref_slot *refs;
	/* change-log entries of the open transaction not yet written: they go
	 * to the database in multi-row inserts, at the latest on commit */
	struct pending_change **log;
	size_t nlog, caplog;
	size_t logged, flushed; /* entries appended / written in this transaction */
	size_t marks[16]; /* `logged` at each open savepoint */
	char **region_prefixes; /* name keys of region names, for near-duplicates */
	size_t nregion_prefixes;
	bool region_prefixes_loaded;
};

static const char *table_name(enum il_kind kind)
{
	return il_kind_info(kind)->name;
}

/* Prepared statement for a fixed SQL text, cached by the text's address. */
static int misc_stmt(struct il_store *s, const char *sql, struct il__stmt **out)
{
	size_t i;
	for (i = 0; i < sizeof(s->misc) / sizeof(s->misc[0]) && s->misc[i].sql; i++)
		if (s->misc[i].sql == sql) {
			*out = s->misc[i].st;
			return IL_OK;
		}
	int rc = s->drv->prepare(s->db, sql, out);
	if (rc)
		return rc;
	if (i < sizeof(s->misc) / sizeof(s->misc[0])) {
		s->misc[i].sql = sql;
		s->misc[i].st = *out;
	}
	return IL_OK;
}

/* Statements from misc_stmt that did not fit the cache must be finalized by
 * their user; this says whether `st` is cached. */
static bool misc_cached(struct il_store *s, struct il__stmt *st)
{
	for (size_t i = 0; i < sizeof(s->misc) / sizeof(s->misc[0]); i++)
		if (s->misc[i].st == st)
			return true;
	return false;
}

static void misc_done(struct il_store *s, struct il__stmt *st)
{
	if (!st)
		return;
	s->drv->reset(st);
	if (!misc_cached(s, st))
		s->drv->finalize(st);
}

const struct il__driver *il__store_driver(struct il_store *s)
{
	return s->drv;
}

struct il__db *il__store_db(struct il_store *s)
{
	return s->db;
}

int il__store_stmt(struct il_store *s, const char *sql, struct il__stmt **out)
{
	return misc_stmt(s, sql, out);
}

void il__store_stmt_done(struct il_store *s, struct il__stmt *st)
{
	misc_done(s, st);
}

bool il__store_in_tx(struct il_store *s)
{
	return s->in_tx;
}

static int build_select_cols(struct il_store *s, enum il_kind kind)
{
	const struct il_kind_info *k = il_kind_info(kind);
	struct il_buf b = IL_BUF_INIT;
	int rc = il_buf_adds(&b, "pk,id,version,created_at,updated_at,source,demo");
	for (size_t i = 0; i < k->nfields && !rc; i++)
		rc = il_buf_addf(&b, ",\"%s\"", k->fields[i].name);
	if (rc) {
		il_buf_release(&b);
		return rc;
	}
	s->select_cols[kind] = il_buf_detach(&b);
	return s->select_cols[kind] ? IL_OK : IL_ENOMEM;
}

static int kind_stmt(struct il_store *s, enum il_kind kind, enum kind_stmt which,
		     struct il__stmt **out)
{
	const struct il_kind_info *k = il_kind_info(kind);
	struct il_buf sql = IL_BUF_INIT;
	int rc = IL_OK;
	if (s->kst[kind][which]) {
		*out = s->kst[kind][which];
		return IL_OK;
	}
	if (!s->select_cols[kind] && (rc = build_select_cols(s, kind)) != 0)
		return rc;
	switch (which) {
	case KS_GET:
		rc = il_buf_addf(&sql, "SELECT %s FROM \"%s\" WHERE id = ?", s->select_cols[kind],
				 k->name);
		break;
	case KS_EXISTS:
		rc = il_buf_addf(&sql, "SELECT 1 FROM \"%s\" WHERE id = ?", k->name);
		break;
	case KS_DELETE:
		rc = il_buf_addf(&sql, "DELETE FROM \"%s\" WHERE id = ? AND version = ?", k->name);
		break;
	case KS_INSERT:
		rc = il_buf_addf(&sql,
				 "INSERT INTO \"%s\" (id,version,created_at,updated_at,source,demo",
				 k->name);
		for (size_t i = 0; i < k->nfields && !rc; i++)
			rc = il_buf_addf(&sql, ",\"%s\"", k->fields[i].name);
		if (!rc)
			rc = il_buf_adds(&sql, ") VALUES (?,?,?,?,?,?");
		for (size_t i = 0; i < k->nfields && !rc; i++)
			rc = il_buf_adds(&sql, ",?");
		if (!rc)
			rc = il_buf_adds(&sql, ") ON CONFLICT(id) DO NOTHING");
		if (!rc && s->drv->insert_returning)
			rc = il_buf_adds(&sql, " RETURNING pk");
		break;
	case KS_UPDATE:
		rc = il_buf_addf(&sql, "UPDATE \"%s\" SET version=?,updated_at=?,source=?,demo=?",
				 k->name);
		for (size_t i = 0; i < k->nfields && !rc; i++)
			rc = il_buf_addf(&sql, ",\"%s\"=?", k->fields[i].name);
		if (!rc)
			rc = il_buf_adds(&sql, " WHERE id=? AND version=?");
		break;
	case KS__COUNT:
		break;
	}
	if (!rc)
		rc = s->drv->prepare(s->db, il_buf_cstr(&sql), &s->kst[kind][which]);
	il_buf_release(&sql);
	if (!rc)
		*out = s->kst[kind][which];
	return rc;
}

/* Binds a canonical value by its field type, so each back end sees the
 * column's own type (SQLite would coerce; PostgreSQL would not). */
static int bind_value(struct il_store *s, struct il__stmt *st, int i, const struct il_field *f,
		      const char *v)
{
	if (!v)
		return s->drv->bind_null(st, i);
	switch (f->type) {
	case IL_FT_INT:
	case IL_FT_BOOL:
		return s->drv->bind_int(st, i, strtoll(v, NULL, 10));
	case IL_FT_REAL:
		return s->drv->bind_real(st, i, strtod(v, NULL));
	default:
		return s->drv->bind_text_ref(st, i, v);
	}
}

static int dup_col(struct il_store *s, struct il__stmt *st, int i, char **out)
{
	*out = NULL;
	if (s->drv->col_null(st, i))
		return IL_OK;
	*out = il_strdup(s->drv->col_text(st, i));
	return *out ? IL_OK : IL_ENOMEM;
}

/* Fills an initialised record from a row of "SELECT <select_cols>". */
static int row_to_record(struct il_store *s, struct il__stmt *st, struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int rc;
	r->rowid = s->drv->col_int(st, 0);
	r->version = s->drv->col_int(st, 2);
	r->demo = s->drv->col_int(st, 6) != 0;
	if ((rc = dup_col(s, st, 1, &r->id)) || (rc = dup_col(s, st, 3, &r->created_at)) ||
	    (rc = dup_col(s, st, 4, &r->updated_at)) || (rc = dup_col(s, st, 5, &r->source)))
		return rc;
	for (size_t i = 0; i < k->nfields; i++) {
		int col = (int)i + 7;
		char num[40];
		if (s->drv->col_null(st, col))
			continue;
		switch (k->fields[i].type) {
		case IL_FT_INT:
		case IL_FT_BOOL:
			snprintf(num, sizeof(num), "%lld", (long long)s->drv->col_int(st, col));
			r->values[i] = il_strdup(num);
			break;
		case IL_FT_REAL:
			snprintf(num, sizeof(num), "%.15g", s->drv->col_real(st, col));
			r->values[i] = il_strdup(num);
			break;
		default:
			r->values[i] = il_strdup(s->drv->col_text(st, col));
		}
		if (!r->values[i])
			return IL_ENOMEM;
	}
	return IL_OK;
}

/* ---- the change log ---- */

#define LOG_BATCH 64 /* rows per multi-row insert: the VALUES lists below */
#define LOG_ROW ",(?,?,?,?)"
#define LOG_ROWS7 LOG_ROW LOG_ROW LOG_ROW LOG_ROW LOG_ROW LOG_ROW LOG_ROW
#define LOG_ROWS8 LOG_ROWS7 LOG_ROW
#define LOG_ROWS63 LOG_ROWS8 LOG_ROWS8 LOG_ROWS8 LOG_ROWS8 LOG_ROWS8 LOG_ROWS8 LOG_ROWS8 LOG_ROWS7

static void drop_pending(struct il_store *s, size_t keep)
{
	while (s->nlog > keep)
		free(s->log[--s->nlog]);
}

/* Writes the buffered entries with one statement per LOG_BATCH rows (the
 * per-statement work dominated a bulk import's log writes) and the rest
 * one by one. */
static int flush_log(struct il_store *s)
{
	static const char one[] = "INSERT INTO change_log(kind, id, op, at) VALUES (?, ?, ?, ?)";
	static const char batch_sql[] =
		"INSERT INTO change_log(kind, id, op, at) VALUES (?,?,?,?)" LOG_ROWS63;
	struct il__stmt *st = NULL;
	char now[21];
	size_t i = 0;
	int rc = IL_OK;
	if (!s->nlog)
		return IL_OK;
	il_time_now(now);
	while (!rc && i < s->nlog) {
		size_t rows = s->nlog - i >= LOG_BATCH ? LOG_BATCH : 1;
		bool row;
		rc = misc_stmt(s, rows == LOG_BATCH ? batch_sql : one, &st);
		for (size_t r = 0; !rc && r < rows; r++) {
			struct pending_change *c = s->log[i + r];
			int base = (int)r * 4;
			if (!(rc = s->drv->bind_text_ref(st, base + 1, table_name(c->kind))) &&
			    !(rc = s->drv->bind_text_ref(st, base + 2, c->id)) &&
			    !(rc = s->drv->bind_text_ref(st, base + 3,
							 c->deleted ? "delete" : "put")))
				rc = s->drv->bind_text_ref(st, base + 4, now);
		}
		if (!rc)
			rc = s->drv->step(st, &row);
		misc_done(s, st);
		i += rows;
	}
	if (rc)
		return rc;
	s->flushed += s->nlog;
	drop_pending(s, 0);
	return IL_OK;
}

/* Appends an entry; outside a transaction it is written at once. */
static int log_change(struct il_store *s, enum il_kind kind, const char *id, bool deleted)
{
	size_t len = strlen(id);
	int rc = il__store_audit(s, kind, id, deleted); /* audit.c: in this transaction */
	if (rc)
		return rc;
	if (s->nlog == s->caplog) {
		size_t cap = s->caplog ? s->caplog * 2 : 256;
		struct pending_change **grown = il_realloc(s->log, cap * sizeof(*grown));
		if (!grown)
			return IL_ENOMEM;
		s->log = grown;
		s->caplog = cap;
	}
	struct pending_change *c = il_malloc(sizeof(*c) + len + 1);
	if (!c)
		return IL_ENOMEM;
	c->kind = kind;
	c->deleted = deleted;
	memcpy(c->id, id, len + 1);
	s->log[s->nlog++] = c;
	s->logged++;
	/* a driver that serialises log appends (PostgreSQL) keeps them all
	 * to the commit, so a long import does not hold other writers off */
	if (!s->in_tx || (s->nlog >= 1024 && !s->drv->log_at_commit))
		return flush_log(s);
	return IL_OK;
}

/* ---- transactions ---- */

int il_store_begin(struct il_store *s)
{
	if (s->in_tx)
		return il_error_set(IL_EINVAL, "a transaction is already open");
	int rc = s->drv->exec(s->db, "BEGIN IMMEDIATE");
	if (!rc) {
		s->in_tx = true;
		s->names_locked = false;
		s->logged = s->flushed = 0;
	}
	return rc;
}

/* Leaves bulk mode after the transaction ended, whatever happened to it. */
static void end_bulk(struct il_store *s)
{
	if (s->bulk) {
		struct il_error_saved e;
		il_error_save(&e);
		s->drv->bulk(s->db, false);
		il_error_restore(&e);
		s->bulk = false;
	}
}

static void forget_rebuild(struct il_store *s)
{
	while (s->nrebuild)
		free(s->rebuild[--s->nrebuild]);
	free(s->rebuild);
	s->rebuild = NULL;
}

/* Runs `head` "table" `tail` over the kind's table: *row says whether it
 * gave a row, *value is its first column as an integer (0 without one). */
static int table_scalar(struct il_store *s, enum il_kind kind, const char *head, const char *tail,
			bool *row, int64_t *value)
{
	char sql[96];
	struct il__stmt *st = NULL;
	snprintf(sql, sizeof(sql), "%s\"%s\"%s", head, table_name(kind), tail);
	int rc = s->drv->prepare(s->db, sql, &st);
	if (rc)
		return rc;
	rc = s->drv->step(st, row);
	*value = *row ? s->drv->col_int(st, 0) : 0;
	s->drv->finalize(st);
	return rc;
}

static int table_empty(struct il_store *s, enum il_kind kind, bool *empty)
{
	bool row = false;
	int64_t one = 0;
	int rc = table_scalar(s, kind, "SELECT 1 FROM ", " LIMIT 1", &row, &one);
	*empty = !row;
	return rc;
}

/* Reads the droppable indexes of a table: names into *names, CREATE
 * statements into s->rebuild, as many of each. */
static int list_indexes(struct il_store *s, enum il_kind kind, char ***names)
{
	struct il__stmt *st = NULL;
	size_t cap = 0;
	bool row;
	int rc = s->drv->prepare(s->db, s->drv->sql_table_indexes, &st);
	*names = NULL;
	if (!rc)
		rc = s->drv->bind_text(st, 1, table_name(kind));
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		if (s->nrebuild == cap) {
			size_t grown = cap ? 2 * cap : 4;
			char **n = il_realloc(*names, grown * sizeof(char *));
			if (n)
				*names = n;
			char **r = n ? il_realloc(s->rebuild, grown * sizeof(char *)) : NULL;
			if (!r) {
				rc = IL_ENOMEM;
				break;
			}
			s->rebuild = r;
			cap = grown;
		}
		(*names)[s->nrebuild] = il_strdup(s->drv->col_text(st, 0));
		s->rebuild[s->nrebuild] = il_strdup(s->drv->col_text(st, 1));
		if (!(*names)[s->nrebuild] || !s->rebuild[s->nrebuild]) {
			free((*names)[s->nrebuild]);
			free(s->rebuild[s->nrebuild]);
			rc = IL_ENOMEM;
			break;
		}
		s->nrebuild++;
	}
	if (st)
		s->drv->finalize(st);
	return rc;
}

/*
 * A bulk load into an empty table inserts each row into every index of
 * the table, and an index on a column with few values (an achievement's
 * owner, its region) costs a long seek per row.  Building such an index
 * once at the end sorts the keys instead, so the secondary indexes are
 * dropped here and made again by il_store_commit before it commits.  A
 * rollback, or the replay of the journal after a crash, restores them
 * with the rest of the transaction.  The indexes that enforce a
 * constraint stay: the upsert relies on the id's.  Only an empty table,
 * so that the end's work is never more than the rows this load brought.
 */
static int defer_indexes(struct il_store *s, enum il_kind kind)
{
	char **names = NULL;
	bool empty;
	int rc = table_empty(s, kind, &empty);
	if (rc || !empty)
		return rc;
	rc = list_indexes(s, kind, &names);
	for (size_t i = 0; i < s->nrebuild && !rc; i++) {
		struct il_buf sql = IL_BUF_INIT;
		/* the names come from the schema's catalogue, not from input */
		if (!(rc = il_buf_addf(&sql, "DROP INDEX \"%s\"", names[i])))
			rc = s->drv->exec(s->db, il_buf_cstr(&sql));
		il_buf_release(&sql);
	}
	for (size_t i = 0; names && i < s->nrebuild; i++)
		free(names[i]);
	free(names);
	return rc;
}

int il_store_begin_bulk(struct il_store *s, enum il_kind kind)
{
	if (s->in_tx)
		return il_error_set(IL_EINVAL, "a transaction is already open");
	if (!il_kind_info(kind))
		return il_error_set(IL_EINVAL, "unknown kind for a bulk load");
	s->bulk = s->drv->bulk && s->drv->bulk(s->db, true);
	int rc = il_store_begin(s);
	if (rc) {
		end_bulk(s);
		return rc;
	}
	if (s->bulk && s->drv->sql_table_indexes && (rc = defer_indexes(s, kind)) != 0) {
		il_error_prefix("bulk load of %s", table_name(kind));
		il_store_rollback(s);
	}
	return rc;
}

/* The indexes a bulk load dropped, once more; after a failure here the
 * caller rolls back, which brings them back as they were. */
static int rebuild_indexes(struct il_store *s)
{
	int rc = IL_OK;
	for (size_t i = 0; i < s->nrebuild && !rc; i++)
		if ((rc = s->drv->exec(s->db, s->rebuild[i])) != 0)
			il_error_prefix("building the index again (%s)", s->rebuild[i]);
	if (!rc)
		forget_rebuild(s);
	return rc;
}

int il_store_commit(struct il_store *s)
{
	if (!s->in_tx)
		return il_error_set(IL_EINVAL, "no transaction is open");
	int rc = flush_log(s);
	if (!rc)
		rc = rebuild_indexes(s);
	if (rc)
		return rc;
	rc = s->drv->exec(s->db, "COMMIT");
	if (!rc) {
		s->in_tx = false;
		s->savepoints = 0;
		end_bulk(s);
	}
	return rc;
}

static void forget_refs(struct il_store *s)
{
	if (s->refs)
		memset(s->refs, 0, REF_CACHE_SLOTS * sizeof(*s->refs));
}

int il_store_rollback(struct il_store *s)
{
	struct il_error_saved e;
	if (!s->in_tx)
		return IL_OK;
	forget_refs(s);
	drop_pending(s, 0);
	forget_rebuild(s);
	s->in_tx = false;
	s->savepoints = 0;
	/* callers roll back because something failed: keep its message */
	il_error_save(&e);
	int rc = s->drv->exec(s->db, "ROLLBACK");
	if (!rc)
		il_error_restore(&e);
	end_bulk(s);
	return rc;
}

int il_store_savepoint(struct il_store *s)
{
	if ((size_t)s->savepoints >= sizeof(s->marks) / sizeof(s->marks[0]))
		return il_error_set(IL_EINVAL, "savepoints nested too deep");
	int rc = s->drv->exec(s->db, "SAVEPOINT il_sp");
	if (!rc)
		s->marks[s->savepoints++] = s->logged;
	return rc;
}

int il_store_release(struct il_store *s)
{
	int rc = s->drv->exec(s->db, "RELEASE il_sp");
	if (!rc)
		s->savepoints--;
	return rc;
}

int il_store_rollback_to(struct il_store *s)
{
	forget_refs(s);
	if (s->savepoints > 0) {
		/* entries since the savepoint: the written ones go with the
		 * database's rollback, the buffered ones are dropped here */
		size_t mark = s->marks[s->savepoints - 1];
		size_t keep = mark > s->flushed ? mark - s->flushed : 0;
		if (keep < s->nlog) {
			s->logged -= s->nlog - keep;
			drop_pending(s, keep);
		}
		if (s->logged > mark)
			s->logged = mark;
	}
	int rc = s->drv->exec(s->db, "ROLLBACK TO il_sp");
	if (!rc)
		rc = il_store_release(s);
	return rc;
}

/* Runs fn inside a transaction unless the caller already opened one. */
static int in_tx(struct il_store *s, int (*fn)(struct il_store *, void *), void *ctx)
{
	if (s->in_tx)
		return fn(s, ctx);
	int rc = il_store_begin(s);
	if (rc)
		return rc;
	rc = fn(s, ctx);
	if (rc) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

/* ---- schema and migrations ---- */

static const char sql_get_version[] = "SELECT value FROM schema_meta WHERE key = 'schema_version'";
static const char sql_set_version[] =
	"INSERT INTO schema_meta(key, value) VALUES ('schema_version', ?) "
	"ON CONFLICT(key) DO UPDATE SET value = excluded.value";

int il_store_schema_version(struct il_store *s, int *out)
{
	struct il__stmt *st = NULL;
	bool row = false, meta = false;
	int64_t ntables = 0;
	*out = 0;
	/* A database without schema_meta is empty (version 0) or not ours. */
	int rc = misc_stmt(s, s->drv->sql_tables, &st);
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		ntables++;
		meta = meta || strcmp(s->drv->col_text(st, 0), "schema_meta") == 0;
	}
	misc_done(s, st);
	if (rc || ntables == 0)
		return rc;
	if (!meta || (rc = s->drv->prepare(s->db, sql_get_version, &st)) != 0)
		return il_error_set(IL_ESCHEMA, "'%s' is not an innolink database", s->uri);
	rc = s->drv->step(st, &row);
	if (!rc && row)
		*out = (int)s->drv->col_int(st, 0);
	s->drv->finalize(st);
	return rc;
}

static int set_version(struct il_store *s, int v)
{
	struct il__stmt *st = NULL;
	bool row;
	char num[16];
	snprintf(num, sizeof(num), "%d", v);
	int rc = misc_stmt(s, sql_set_version, &st);
	if (!rc)
		rc = s->drv->bind_text(st, 1, num);
	if (!rc)
		rc = s->drv->step(st, &row);
	misc_done(s, st);
	return rc;
}

struct migrate_ctx {
	int from, to;
};

static int migrate_tx(struct il_store *s, void *ctx)
{
	struct migrate_ctx *m = ctx;
	int rc = il_store_schema_version(s, &m->from);
	m->to = m->from;
	for (const struct il__migration *mg = il__migrations; !rc && mg->version; mg++) {
		if (mg->version <= m->from)
			continue;
		rc = s->drv->exec(s->db, mg->sql);
		for (const struct il__migration_extra *x = il__migration_extras; x->version && !rc;
		     x++)
			if (x->version == mg->version && strcmp(x->driver, s->drv->name) == 0)
				rc = s->drv->exec(s->db, x->sql);
		if (!rc && mg->after)
			rc = mg->after(s);
		if (!rc)
			rc = set_version(s, mg->version);
		if (rc)
			il_error_prefix("migration to schema version %d", mg->version);
		else
			m->to = mg->version;
	}
	return rc;
}

int il_store_migrate(struct il_store *s, int *from, int *to)
{
	struct migrate_ctx m = {0, 0};
	int rc = in_tx(s, migrate_tx, &m);
	if (from)
		*from = m.from;
	if (to)
		*to = rc ? m.from : m.to;
	return rc;
}

/* ---- open / close ---- */

/* A postgres:// or postgresql:// URI, or a libpq keyword string (its first
 * word one of libpq's keywords, then '='), names PostgreSQL; anything else
 * is a file path for SQLite, even with an '=' in it. */
static bool is_postgres_uri(const char *uri)
{
	static const char *const keywords[] = {
		"host",
		"hostaddr",
		"port",
		"dbname",
		"user",
		"password",
		"passfile",
		"service",
		"options",
		"sslmode",
		"application_name",
		"connect_timeout",
		"target_session_attrs",
		NULL,
	};
	size_t n = 0;
	if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
		return true;
	while (uri[n] == '_' || (uri[n] >= 'a' && uri[n] <= 'z'))
		n++;
	const char *eq = uri + n + strspn(uri + n, " ");
	if (*eq != '=')
		return false;
	for (size_t i = 0; keywords[i]; i++)
		if (strlen(keywords[i]) == n && strncmp(uri, keywords[i], n) == 0)
			return true;
	return false;
}

int il_store_open(const char *uri, unsigned flags, struct il_store **out)
{
	struct il_store *s;
	int rc, version;
	*out = NULL;
	if (!(s = il_calloc(1, sizeof(*s))))
		return IL_ENOMEM;
	s->drv = is_postgres_uri(uri) ? &il__postgres_driver : &il__sqlite_driver;
	if (!(s->uri = il_strdup(uri)) ||
	    !(s->refs = il_calloc(REF_CACHE_SLOTS, sizeof(*s->refs)))) {
		rc = IL_ENOMEM;
		goto fail;
	}
	if ((rc = s->drv->open(uri, flags, &s->db)) != 0)
		goto fail;
	if ((rc = il_store_schema_version(s, &version)) != 0)
		goto fail;
	if (version > IL_SCHEMA_VERSION) {
		rc = il_error_set(IL_ESCHEMA,
				  "'%s' has schema version %d, newer than this program's %d: "
				  "upgrade innolink",
				  uri, version, IL_SCHEMA_VERSION);
		goto fail;
	}
	if (version < IL_SCHEMA_VERSION) {
		if (version == 0 && !(flags & IL_STORE_CREATE) && !(flags & IL_STORE_MIGRATE)) {
			rc = il_error_set(IL_ENOTFOUND,
					  "'%s' is not an innolink database: create it with "
					  "'innolink init'",
					  uri);
			goto fail;
		}
		if (version > 0 && !(flags & IL_STORE_MIGRATE)) {
			rc = il_error_set(
				IL_ESCHEMA,
				"'%s' has schema version %d, older than %d: run 'innolink "
				"migrate --db %s'",
				uri, version, IL_SCHEMA_VERSION, uri);
			goto fail;
		}
		if (flags & IL_STORE_READONLY) {
			rc = il_error_set(IL_ESCHEMA,
					  "'%s' needs a migration but is open read-only", uri);
			goto fail;
		}
		if ((rc = il_store_migrate(s, NULL, NULL)) != 0)
			goto fail;
	}
	*out = s;
	return IL_OK;
fail:
	il_store_close(s);
	return rc;
}

void il_store_close(struct il_store *s)
{
	struct il_error_saved e;
	if (!s)
		return;
	il_error_save(&e);
	if (s->in_tx)
		il_store_rollback(s);
	for (size_t k = 0; k < IL_KIND__COUNT; k++) {
		for (size_t j = 0; j < KS__COUNT; j++)
			if (s->kst[k][j])
				s->drv->finalize(s->kst[k][j]);
		free(s->select_cols[k]);
	}
	for (size_t i = 0; i < sizeof(s->misc) / sizeof(s->misc[0]); i++)
		if (s->misc[i].st)
			s->drv->finalize(s->misc[i].st);
	for (size_t i = 0; i < s->nregion_prefixes; i++)
		free(s->region_prefixes[i]);
	free(s->region_prefixes);
	if (s->db)
		s->drv->close(s->db);
	drop_pending(s, 0);
	free(s->log);
	free(s->refs);
	free(s->uri);
	free(s);
	il_error_restore(&e);
}

/* ---- reading ---- */

int il_store_get(struct il_store *s, enum il_kind kind, const char *id, struct il_record *out)
{
	struct il__stmt *st = NULL;
	bool row = false;
	int rc = il_record_init(out, kind);
	if (rc)
		return rc;
	if (!(rc = kind_stmt(s, kind, KS_GET, &st)) && !(rc = s->drv->bind_text(st, 1, id)) &&
	    !(rc = s->drv->step(st, &row))) {
		if (row)
			rc = row_to_record(s, st, out);
		else
			rc = il_error_set(IL_ENOTFOUND, "no %s with id '%s'", table_name(kind), id);
	}
	if (st)
		s->drv->reset(st);
	if (rc)
		il_record_release(out);
	return rc;
}

static uint64_t fnv1a(enum il_kind kind, const char *s)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)kind;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int exists(struct il_store *s, enum il_kind kind, const char *id, bool *found)
{
	uint64_t h = fnv1a(kind, id);
	struct ref_slot *slot = &s->refs[h % REF_CACHE_SLOTS];
	size_t idlen = strlen(id);
	if (slot->hash == h && slot->kind == kind && strcmp(slot->id, id) == 0) {
		*found = true;
		return IL_OK;
	}
	struct il__stmt *st = NULL;
	int rc = kind_stmt(s, kind, KS_EXISTS, &st);
	if (!rc)
		rc = s->drv->bind_text(st, 1, id);
	if (!rc)
		rc = s->drv->step(st, found);
	if (st)
		s->drv->reset(st);
	if (!rc && *found && idlen < sizeof(slot->id)) {
		slot->hash = h;
		slot->kind = kind;
		memcpy(slot->id, id, idlen + 1);
	}
	return rc;
}

/* ---- organization names ---- */

static const char sql_name_lookup[] =
	"SELECT DISTINCT org FROM org_name WHERE key = ? AND exact = 1";
static const char sql_name_insert[] =
	"INSERT INTO org_name(key, org, exact) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
static const char sql_name_delete[] = "DELETE FROM org_name WHERE org = ?";
static const char sql_region_names[] = "SELECT name_zh, name_en FROM region";
static const char sql_candidate_insert[] =
	"INSERT INTO merge_candidate(a, b, reason, score) VALUES (?, ?, ?, ?) "
	"ON CONFLICT DO NOTHING";

/* Calls fn with the name key of every name of an organization record. */
static int each_name_key(const struct il_record *r, int (*fn)(const char *key, void *ctx),
			 void *ctx)
{
	const char *names[3] = {il_record_get(r, "name_zh"), il_record_get(r, "name_en"), NULL};
	const char *aliases = il_record_get(r, "aliases");
	struct il_buf one = IL_BUF_INIT;
	int rc = IL_OK;
	for (size_t i = 0; i < 2 && !rc; i++) {
		char *key;
		if (!names[i])
			continue;
		if ((rc = il_name_key(names[i], &key)) != 0)
			break;
		if (key[0])
			rc = fn(key, ctx);
		free(key);
	}
	for (const char *p = aliases; p && *p && !rc;) {
		const char *e = strchr(p, ';');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *key;
		il_buf_reset(&one);
		if ((rc = il_buf_add(&one, p, n)) != 0)
			break;
		if ((rc = il_name_key(il_buf_cstr(&one), &key)) != 0)
			break;
		/* very short aliases ("HU") are too ambiguous to merge on */
		if (strlen(key) >= 4)
			rc = fn(key, ctx);
		free(key);
		p = e ? e + 1 : NULL;
	}
	il_buf_release(&one);
	return rc;
}

static int load_region_prefixes(struct il_store *s)
{
	struct il__stmt *st = NULL;
	bool row;
	int rc;
	if (s->region_prefixes_loaded)
		return IL_OK;
	if ((rc = misc_stmt(s, sql_region_names, &st)) != 0)
		return rc;
	while (!(rc = s->drv->step(st, &row)) && row) {
		for (int c = 0; c < 2 && !rc; c++) {
			static const char *const suffixes[] = {"省", "市", "自治州",
							       "区", "县", NULL};
			char *key;
			if (s->drv->col_null(st, c))
				continue;
			if ((rc = il_name_key(s->drv->col_text(st, c), &key)) != 0)
				break;
			size_t n = strlen(key);
			for (size_t i = 0; suffixes[i]; i++) {
				size_t sl = strlen(suffixes[i]);
				if (n > sl + 3 && strcmp(key + n - sl, suffixes[i]) == 0) {
					key[n - sl] = '\0';
					break;
				}
			}
			char **grown = il_realloc(s->region_prefixes,
						  (s->nregion_prefixes + 1) * sizeof(char *));
			if (!grown) {
				free(key);
				rc = IL_ENOMEM;
				break;
			}
			s->region_prefixes = grown;
			s->region_prefixes[s->nregion_prefixes++] = key;
		}
	}
	misc_done(s, st);
	if (!rc)
		s->region_prefixes_loaded = true;
	return rc;
}

/* Keys under which a near-duplicate may be stored: the name without its
 * legal form (武汉钢铁股份有限公司 ~ 武汉钢铁有限公司), without a leading
 * place name (湖北凯龙化工 ~ 凯龙化工) or without a trailing group word
 * (南玻集团 ~ 南玻).  Longest legal forms first, so "股份有限公司" goes whole. */
static const char *const legal_forms[] = {
	"股份有限公司", "有限责任公司", "有限公司", "companylimited",
	"corporation",  "coltd",        "limited",  "company",
	"corp",         "ltd",          "inc",      "llc",
	"gmbh",         "co",           NULL,
};
static const char *const group_words[] = {"集团", "控股", "group", "holdings", "holding", NULL};

/* A variant shorter than this (3 Chinese characters) is too generic to mean
 * the same organization: "大学", "科学技术局". */
#define MIN_VARIANT 9

static size_t strip_suffixes(const char *key, size_t n, const char *const *suffixes)
{
	for (bool again = true; again;) {
		again = false;
		for (size_t i = 0; suffixes[i]; i++) {
			size_t sl = strlen(suffixes[i]);
			if (n > sl && memcmp(key + n - sl, suffixes[i], sl) == 0) {
				n -= sl;
				again = true;
				break;
			}
		}
	}
	return n;
}

/* Kinds of key in org_name.exact: a name, a name without its legal form,
 * a name without a place or group word.  Two "loose" keys alike prove
 * nothing (荆州市科学技术局 and 荆门市科学技术局 both lose their city). */
enum { KEY_BASE = 0, KEY_NAME = 1, KEY_LOOSE = 2 };

static int variant(const char *key, size_t n, int type, int (*fn)(const char *, int, void *),
		   void *ctx)
{
	if (n < MIN_VARIANT)
		return IL_OK;
	char *v = il_strndup(key, n);
	if (!v)
		return IL_ENOMEM;
	int rc = fn(v, type, ctx);
	free(v);
	return rc;
}

static int each_variant(struct il_store *s, const char *key,
			int (*fn)(const char *variant, int type, void *ctx), void *ctx)
{
	size_t n = strlen(key);
	size_t base = strip_suffixes(key, n, legal_forms);
	int rc = load_region_prefixes(s);
	if (!rc && base < n)
		rc = variant(key, base, KEY_BASE, fn, ctx);
	for (size_t i = 0; i < s->nregion_prefixes && !rc; i++) {
		size_t pl = strlen(s->region_prefixes[i]);
		if (pl && base > pl && strncmp(key, s->region_prefixes[i], pl) == 0)
			rc = variant(key + pl, base - pl, KEY_LOOSE, fn, ctx);
	}
	size_t core = strip_suffixes(key, base, group_words);
	if (!rc && core < base)
		rc = variant(key, core, KEY_LOOSE, fn, ctx);
	return rc;
}

/* What a name lookup returns to stop a walk when it finds an organization:
 * negative, so it can never be mistaken for an error code. */
#define FOUND (-1)

struct name_ctx {
	struct il_store *s;
	const char *org; /* the organization being written */
	char *found; /* lookup result */
	const char *reason;
	int exact; /* insert: 1 for a name, 0 for a variant */
};

static int insert_key(const char *key, void *vctx)
{
	struct name_ctx *c = vctx;
	struct il__stmt *st = NULL;
	bool row;
	int rc = misc_stmt(c->s, sql_name_insert, &st);
	if (!rc && !(rc = c->s->drv->bind_text(st, 1, key)) &&
	    !(rc = c->s->drv->bind_text(st, 2, c->org)) &&
	    !(rc = c->s->drv->bind_int(st, 3, c->exact)))
		rc = c->s->drv->step(st, &row);
	misc_done(c->s, st);
	return rc;
}

static int insert_variant(const char *key, int type, void *vctx)
{
	struct name_ctx *c = vctx;
	c->exact = type;
	return insert_key(key, c);
}

static int insert_key_and_variants(const char *key, void *vctx)
{
	struct name_ctx *c = vctx;
	int rc = insert_variant(key, KEY_NAME, c);
	return rc ? rc : each_variant(c->s, key, insert_variant, c);
}

static int write_name_keys(struct il_store *s, const struct il_record *r)
{
	struct name_ctx c = {s, r->id, NULL, NULL, 1};
	struct il__stmt *st = NULL;
	bool row;
	int rc = misc_stmt(s, sql_name_delete, &st);
	if (!rc && !(rc = s->drv->bind_text(st, 1, r->id)))
		rc = s->drv->step(st, &row);
	misc_done(s, st);
	return rc ? rc : each_name_key(r, insert_key_and_variants, &c);
}

/* Finds the organization stored under `key` (other than c->org); stops the
 * walk with FOUND when found. */
static int lookup_key_sql(struct name_ctx *c, const char *sql, const char *key)
{
	struct il__stmt *st = NULL;
	bool row;
	int rc = misc_stmt(c->s, sql, &st);
	if (!rc)
		rc = c->s->drv->bind_text(st, 1, key);
	while (!rc && !(rc = c->s->drv->step(st, &row)) && row) {
		const char *org = c->s->drv->col_text(st, 0);
		if (c->org && strcmp(org, c->org) == 0)
			continue;
		if (!(c->found = il_strdup(org)))
			rc = IL_ENOMEM;
		else
			rc = FOUND;
	}
	misc_done(c->s, st);
	return rc;
}

static int lookup_exact(const char *key, void *vctx)
{
	return lookup_key_sql(vctx, sql_name_lookup, key);
}

static const char sql_variant_lookup[] =
	"SELECT DISTINCT org FROM org_name WHERE key = ? AND exact <> 1";
static const char sql_near_lookup[] =
	"SELECT DISTINCT org FROM org_name WHERE key = ? AND exact <> 2";

/* A name given without its legal form finds the organization whose name
 * without it is the same. */
static int lookup_by_variant(const char *key, void *vctx)
{
	struct name_ctx *c = vctx;
	return lookup_key_sql(c, sql_variant_lookup, key);
}

static int lookup_variant(const char *v, int type, void *vctx)
{
	(void)type;
	/* our variant against their names and legal-form-free names */
	return lookup_key_sql(vctx, sql_near_lookup, v);
}

static int lookup_near(const char *key, void *vctx)
{
	struct name_ctx *c = vctx;
	int rc = each_variant(c->s, key, lookup_variant, c);
	return rc ? rc : lookup_key_sql(c, sql_variant_lookup, key);
}

static int add_candidate(struct il_store *s, const char *a, const char *b, const char *reason,
			 double score)
{
	struct il__stmt *st = NULL;
	bool row;
	const char *lo = strcmp(a, b) < 0 ? a : b, *hi = lo == a ? b : a;
	int rc = misc_stmt(s, sql_candidate_insert, &st);
	if (!rc && !(rc = s->drv->bind_text(st, 1, lo)) && !(rc = s->drv->bind_text(st, 2, hi)) &&
	    !(rc = s->drv->bind_text(st, 3, reason)) && !(rc = s->drv->bind_real(st, 4, score)))
		rc = s->drv->step(st, &row);
	misc_done(s, st);
	return rc;
}

int il__store_fill_name_keys(struct il_store *s)
{
	/* Migration 2: name keys for the organizations already stored. */
	struct il__stmt *st = NULL;
	bool row;
	char sql[] = "SELECT id FROM organization ORDER BY pk";
	int rc = s->drv->prepare(s->db, sql, &st);
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		struct il_record r;
		char *id = il_strdup(s->drv->col_text(st, 0));
		if (!id) {
			rc = IL_ENOMEM;
			break;
		}
		if (!(rc = il_store_get(s, IL_KIND_ORGANIZATION, id, &r))) {
			rc = write_name_keys(s, &r);
			il_record_release(&r);
		}
		free(id);
	}
	if (st)
		s->drv->finalize(st);
	return rc;
}

/* ---- writing ---- */

static int insert_history(struct il_store *s, const struct il_record *old, bool deleted,
			  const char *by)
{
	static const char sql[] = "INSERT INTO history(kind, id, version, data, deleted, "
				  "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)";
	struct il_buf json = IL_BUF_INIT;
	struct il__stmt *st = NULL;
	char now[21];
	bool row;
	il_time_now(now);
	int rc = il_record_to_json(old, IL_JSON_META, NULL, &json);
	if (!rc)
		rc = misc_stmt(s, sql, &st);
	if (!rc && !(rc = s->drv->bind_text(st, 1, table_name(old->kind))) &&
	    !(rc = s->drv->bind_text(st, 2, old->id)) &&
	    !(rc = s->drv->bind_int(st, 3, old->version)) &&
	    !(rc = s->drv->bind_text(st, 4, il_buf_cstr(&json))) &&
	    !(rc = s->drv->bind_int(st, 5, deleted)) && !(rc = s->drv->bind_text(st, 6, now)) &&
	    !(rc = s->drv->bind_text(st, 7, by)))
		rc = s->drv->step(st, &row);
	misc_done(s, st);
	il_buf_release(&json);
	return rc;
}

/* The statements of kind_stmt come from a reset, which leaves every
 * parameter NULL, so only the values a record has are bound. */
static int bind_fields(struct il_store *s, struct il__stmt *st, int first,
		       const struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	int rc = IL_OK;
	for (size_t i = 0; i < k->nfields && !rc; i++)
		if (r->values[i])
			rc = bind_value(s, st, first + (int)i, &k->fields[i], r->values[i]);
	return rc;
}

static int set_meta(char **dst, const char *v)
{
	char *d = il_strdup(v ? v : "");
	if (!d)
		return IL_ENOMEM;
	free(*dst);
	*dst = d;
	return IL_OK;
}

/* Inserts unless the id exists; *inserted tells which. */
static int do_insert(struct il_store *s, struct il_record *r, const char *source, bool *inserted)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	struct il__stmt *st = NULL;
	char now[21];
	bool row = false;
	*inserted = false;
	il_time_now(now);
	int rc = kind_stmt(s, r->kind, KS_INSERT, &st);
	/* every bound text outlives the step: none needs a copy */
	if (!rc && !(rc = s->drv->bind_text_ref(st, 1, r->id)) &&
	    !(rc = s->drv->bind_int(st, 2, 1)) && !(rc = s->drv->bind_text_ref(st, 3, now)) &&
	    !(rc = s->drv->bind_text_ref(st, 4, now)) &&
	    !(rc = s->drv->bind_text_ref(st, 5, source)) &&
	    !(rc = s->drv->bind_int(st, 6, r->demo)) && !(rc = bind_fields(s, st, 7, r)))
		rc = s->drv->step(st, &row);
	/* no row, or no change: the id exists */
	if (!rc && s->drv->insert_returning && row) {
		*inserted = true;
		r->rowid = s->drv->col_int(st, 0);
	} else if (!rc && !s->drv->insert_returning && s->drv->changes(s->db) > 0) {
		*inserted = true;
		r->rowid = s->drv->last_id(s->db);
	}
	if (st)
		s->drv->reset(st);
	if (rc == IL_ECONFLICT)
		return il_error_set(IL_ECONFLICT, "%s '%s': %s", k->name, r->id,
				    il_error_detail(rc));
	if (rc || !*inserted)
		return rc;
	if ((rc = log_change(s, r->kind, r->id, false)) != 0)
		return rc;
	r->version = 1;
	if ((rc = set_meta(&r->created_at, now)) || (rc = set_meta(&r->updated_at, now)) ||
	    (rc = set_meta(&r->source, source)))
		return rc;
	return IL_OK;
}

static int do_update(struct il_store *s, struct il_record *r, const struct il_record *old,
		     const char *source)
{
	struct il__stmt *st = NULL;
	char now[21];
	bool row;
	il_time_now(now);
	int nf = (int)il_kind_info(r->kind)->nfields;
	int rc = kind_stmt(s, r->kind, KS_UPDATE, &st);
	if (!rc && !(rc = s->drv->bind_int(st, 1, old->version + 1)) &&
	    !(rc = s->drv->bind_text(st, 2, now)) && !(rc = s->drv->bind_text(st, 3, source)) &&
	    !(rc = s->drv->bind_int(st, 4, r->demo)) && !(rc = bind_fields(s, st, 5, r)) &&
	    !(rc = s->drv->bind_text(st, 5 + nf, r->id)) &&
	    !(rc = s->drv->bind_int(st, 6 + nf, old->version)))
		rc = s->drv->step(st, &row);
	/* the version guard matched nothing: another writer (another process,
	 * on PostgreSQL another server) stored a version since we read ours */
	if (!rc && s->drv->changes(s->db) == 0)
		rc = il_error_set(
			IL_ECONFLICT,
			"%s '%s' was changed by another writer since version %lld was read",
			table_name(r->kind), r->id, (long long)old->version);
	if (st)
		s->drv->reset(st);
	if (!rc)
		rc = insert_history(s, old, false, source);
	if (!rc)
		rc = log_change(s, r->kind, r->id, false);
	if (rc)
		return rc;
	r->rowid = old->rowid;
	r->version = old->version + 1;
	if ((rc = set_meta(&r->created_at, old->created_at)) ||
	    (rc = set_meta(&r->updated_at, now)) || (rc = set_meta(&r->source, source)))
		return rc;
	return IL_OK;
}

/* Resolves each reference: an id of the target kind, or for organizations
 * a name that identifies exactly one. */
static int resolve_refs(struct il_store *s, struct il_record *r)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	for (size_t i = 0; i < k->nfields; i++) {
		const struct il_field *f = &k->fields[i];
		const char *v = r->values[i];
		bool found = false;
		int rc;
		if (f->type != IL_FT_REF || !v)
			continue;
		/* a record may refer to itself (a link's parent is checked by the FK) */
		if (f->ref == r->kind && r->id && strcmp(v, r->id) == 0)
			return il_error_set(IL_EINVAL, "field '%s': a %s cannot refer to itself",
					    f->name, k->name);
		if ((rc = exists(s, f->ref, v, &found)) != 0)
			return rc;
		if (found)
			continue;
		if (f->ref == IL_KIND_ORGANIZATION) {
			struct name_ctx c = {s, NULL, NULL, NULL, 1};
			char *key;
			if ((rc = il_name_key(v, &key)) != 0)
				return rc;
			rc = lookup_exact(key, &c);
			if (rc == 0) /* "Sinopec Petroleum Machinery" names "... Co., Ltd." */
				rc = lookup_by_variant(key, &c);
			free(key);
			if (rc == FOUND) {
				free(r->values[i]);
				r->values[i] = c.found;
				continue;
			}
			if (rc)
				return rc;
		}
		return il_error_set(IL_ENOTFOUND, "field '%s': no %s with id%s '%s'", f->name,
				    il_kind_info(f->ref)->name,
				    f->ref == IL_KIND_ORGANIZATION ? " or name" : "", v);
	}
	return IL_OK;
}

/* Adds a name to an organization's aliases unless it already is one of its names. */
static int add_alias(struct il_record *org, const char *name)
{
	int ai = il_field_find(il_kind_info(IL_KIND_ORGANIZATION), "aliases");
	const char *zh = il_record_get(org, "name_zh"), *en = il_record_get(org, "name_en");
	if (!name || (zh && strcmp(zh, name) == 0) || (en && strcmp(en, name) == 0))
		return IL_OK;
	struct il_buf b = IL_BUF_INIT;
	int rc = il_buf_adds(&b, org->values[ai] ? org->values[ai] : "");
	if (!rc && b.len)
		rc = il_buf_addc(&b, ';');
	if (!rc)
		rc = il_buf_adds(&b, name);
	if (!rc)
		rc = il_record_set(org, (size_t)ai, il_buf_cstr(&b), b.len);
	il_buf_release(&b);
	return rc;
}

/* Folds `r` into the stored organization `into`, keeping every name. */
static int merge_into(struct il_store *s, struct il_record *r, const char *into, const char *source)
{
	struct il_record target;
	bool changed;
	enum il_put_result res;
	int rc = il_store_get(s, IL_KIND_ORGANIZATION, into, &target);
	if (rc)
		return rc;
	if (!(rc = il_record_merge(&target, r, &changed)) &&
	    !(rc = add_alias(&target, il_record_get(r, "name_zh"))) &&
	    !(rc = add_alias(&target, il_record_get(r, "name_en"))))
		rc = il_store_put(s, &target, IL_PUT_NO_DEDUP, source, &res);
	if (!rc) {
		/* the caller's record now is the stored one */
		struct il_record tmp = *r;
		*r = target;
		target = tmp;
	}
	il_record_release(&target);
	return rc;
}

static int put_new_organization(struct il_store *s, struct il_record *r, unsigned flags,
				const char *source, enum il_put_result *out)
{
	bool inserted;
	int rc;
	/* where writers run side by side (PostgreSQL), a transaction that
	 * looks names up and then inserts keeps others from doing the same
	 * until it commits, as SQLite's single writer does */
	if (s->in_tx && !s->names_locked && s->drv->sql_lock_names) {
		if ((rc = s->drv->exec(s->db, s->drv->sql_lock_names)) != 0)
			return rc;
		s->names_locked = true;
	}
	if (!(flags & IL_PUT_NO_DEDUP)) {
		struct name_ctx c = {s, r->id, NULL, NULL, 1};
		rc = each_name_key(r, lookup_exact, &c);
		if (rc == FOUND) {
			rc = merge_into(s, r, c.found, source);
			free(c.found);
			if (!rc)
				*out = IL_PUT_MERGED;
			return rc;
		}
		if (rc)
			return rc;
	}
	if ((rc = do_insert(s, r, source, &inserted)) != 0)
		return rc;
	if (!inserted)
		return il_error_set(IL_ECONFLICT, "organization '%s' was written meanwhile", r->id);
	*out = IL_PUT_INSERTED;
	if ((rc = write_name_keys(s, r)) != 0)
		return rc;
	struct name_ctx c = {s, r->id, NULL, NULL, 1};
	rc = each_name_key(r, lookup_near, &c);
	if (rc == FOUND) {
		rc = add_candidate(s, r->id, c.found, "similar name", 0.8);
		free(c.found);
	}
	return rc;
}

int il_store_put(struct il_store *s, struct il_record *r, unsigned flags, const char *source,
		 enum il_put_result *out)
{
	const struct il_kind_info *k = il_kind_info(r->kind);
	enum il_put_result ignored;
	struct il_record old;
	int rc;
	if (!out)
		out = &ignored;
	*out = IL_PUT_UNCHANGED;
	if ((rc = il_record_validate(r)) != 0 || (rc = resolve_refs(s, r)) != 0)
		return rc;
	if (r->kind == IL_KIND_ORGANIZATION) {
		/* a new organization may be a known one under another name */
		bool found;
		if ((rc = exists(s, r->kind, r->id, &found)) != 0)
			return rc;
		if (!found)
			return put_new_organization(s, r, flags, source, out);
	} else {
		/* most writes of a bulk import are new rows: try the insert first */
		bool inserted;
		if ((rc = do_insert(s, r, source, &inserted)) != 0)
			return rc;
		if (inserted) {
			*out = IL_PUT_INSERTED;
			if (r->kind == IL_KIND_REGION)
				s->region_prefixes_loaded = false;
			return IL_OK;
		}
	}
	rc = il_store_get(s, r->kind, r->id, &old);
	if (rc)
		return rc;
	if (flags & IL_PUT_NEW_ONLY) {
		il_record_release(&old);
		return il_error_set(IL_ECONFLICT, "%s '%s' already exists", k->name, r->id);
	}
	if ((flags & IL_PUT_IF_VERSION) && old.version != r->version) {
		rc = il_error_set(IL_EPRECOND, "%s '%s' is at version %lld, not %lld", k->name,
				  r->id, (long long)old.version, (long long)r->version);
		il_record_release(&old);
		return rc;
	}
	if (il_record_same_values(&old, r)) {
		r->rowid = old.rowid;
		r->version = old.version;
		if (!(rc = set_meta(&r->created_at, old.created_at)) &&
		    !(rc = set_meta(&r->updated_at, old.updated_at)))
			rc = set_meta(&r->source, old.source);
		il_record_release(&old);
		return rc;
	}
	rc = do_update(s, r, &old, source);
	il_record_release(&old);
	/* the version guard of the update: another writer got there first */
	if (rc == IL_ECONFLICT && (flags & IL_PUT_IF_VERSION))
		rc = il_error_set(IL_EPRECOND,
				  "%s '%s' was changed by another writer since version "
				  "%lld",
				  k->name, r->id, (long long)r->version);
	if (!rc)
		*out = IL_PUT_UPDATED;
	if (!rc && r->kind == IL_KIND_ORGANIZATION)
		rc = write_name_keys(s, r);
	if (!rc && r->kind == IL_KIND_REGION)
		s->region_prefixes_loaded = false;
	return rc;
}

/* Deletes the version read in this transaction, which must be `want` when
 * it is not 0; the guard on it catches another process's write between. */
static int delete_record(struct il_store *s, enum il_kind kind, const char *id, int64_t want,
			 const char *source)
{
	struct il_record old;
	struct il__stmt *st = NULL;
	bool row;
	int rc = il_store_get(s, kind, id, &old);
	if (rc)
		return rc;
	if (want && old.version != want) {
		rc = il_error_set(IL_EPRECOND, "%s '%s' is at version %lld, not %lld",
				  table_name(kind), id, (long long)old.version, (long long)want);
		il_record_release(&old);
		return rc;
	}
	forget_refs(s);
	rc = insert_history(s, &old, true, source);
	if (!rc && kind == IL_KIND_ORGANIZATION) {
		/* name keys and candidates go with the organization */
		if (!(rc = misc_stmt(s, sql_name_delete, &st)) &&
		    !(rc = s->drv->bind_text(st, 1, id)))
			rc = s->drv->step(st, &row);
		misc_done(s, st);
	}
	if (!rc)
		rc = kind_stmt(s, kind, KS_DELETE, &st);
	if (!rc) {
		if (!(rc = s->drv->bind_text(st, 1, id)) &&
		    !(rc = s->drv->bind_int(st, 2, old.version)))
			rc = s->drv->step(st, &row);
		if (rc == IL_ECONFLICT)
			rc = il_error_set(IL_ECONFLICT,
					  "%s '%s' is still referred to by other records",
					  table_name(kind), id);
		else if (!rc && s->drv->changes(s->db) == 0)
			rc = il_error_set(
				want ? IL_EPRECOND : IL_ECONFLICT,
				"%s '%s' was changed by another writer since version %lld "
				"was read",
				table_name(kind), id, (long long)old.version);
		s->drv->reset(st);
	}
	if (!rc)
		rc = log_change(s, kind, id, true);
	il_record_release(&old);
	return rc;
}

int il_store_delete(struct il_store *s, enum il_kind kind, const char *id, const char *source)
{
	return delete_record(s, kind, id, 0, source);
}

int il_store_delete_version(struct il_store *s, enum il_kind kind, const char *id, int64_t version,
			    const char *source)
{
	if (version < 1)
		return il_error_set(IL_EINVAL, "a version to delete starts at 1, not %lld",
				    (long long)version);
	return delete_record(s, kind, id, version, source);
}

/* ---- listing ---- */

void il_query_init(struct il_query *q, enum il_kind kind)
{
	memset(q, 0, sizeof(*q));
	q->kind = kind;
}

/* Builds " WHERE ..." for a query and the list of bindings it needs. */
struct where {
	struct il_buf sql;
	const struct il_field *bf[IL_QUERY_MAX_FILTERS + 4]; /* NULL: bind as text */
	char *bv[IL_QUERY_MAX_FILTERS + 4];
	int n;
};

static void where_release(struct where *w)
{
	il_buf_release(&w->sql);
	for (int i = 0; i < w->n; i++)
		free(w->bv[i]);
}

static int where_bind(struct where *w, const struct il_field *f, const char *v)
{
	if (!(w->bv[w->n] = il_strdup(v)))
		return IL_ENOMEM;
	w->bf[w->n++] = f;
	return IL_OK;
}

static int build_where(const struct il_query *q, struct where *w)
{
	const struct il_kind_info *k = il_kind_info(q->kind);
	int rc = il_buf_adds(&w->sql, " WHERE 1=1");
	if (!rc && q->region) {
		static const char subtree[] =
			" IN (WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT r.id FROM "
			"region r JOIN sub ON r.parent = sub.id) SELECT id FROM sub)";
		const char *col = q->kind == IL_KIND_REGION ? "id" : "region";
		if (q->kind != IL_KIND_REGION && il_field_find(k, "region") < 0)
			return il_error_set(IL_EINVAL, "%s records have no region", k->name);
		rc = il_buf_addf(&w->sql, " AND %s%s", col, subtree);
		if (!rc)
			rc = where_bind(w, NULL, q->region);
	}
	if (!rc && q->prefix && *q->prefix) {
		const struct il_field *t = &k->fields[k->title_field];
		struct il_buf pat = IL_BUF_INIT;
		for (const char *p = q->prefix; *p && !rc; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				rc = il_buf_addc(&pat, '\\');
			if (!rc)
				rc = il_buf_addc(&pat, *p);
		}
		if (!rc)
			rc = il_buf_addc(&pat, '%');
		if (!rc && il_field_find(k, "name_en") >= 0 && t->type == IL_FT_TEXT &&
		    strcmp(t->name, "name_en") != 0) {
			rc = il_buf_addf(
				&w->sql,
				" AND (\"%s\" LIKE ? ESCAPE '\\' OR name_en LIKE ? ESCAPE '\\')",
				t->name);
			if (!rc)
				rc = where_bind(w, NULL, il_buf_cstr(&pat));
		} else if (!rc) {
			rc = il_buf_addf(&w->sql, " AND \"%s\" LIKE ? ESCAPE '\\'", t->name);
		}
		if (!rc)
			rc = where_bind(w, NULL, il_buf_cstr(&pat));
		il_buf_release(&pat);
	}
	for (size_t i = 0; i < q->nfilters && !rc; i++) {
		int fi = il_field_find(k, q->field[i]);
		struct il_record tmp;
		if (fi < 0)
			return il_error_set(IL_EINVAL, "%s has no field '%s' to filter on", k->name,
					    q->field[i]);
		const struct il_field *f = &k->fields[fi];
		/* the filter value is canonicalised like a stored one: 是 -> 1 */
		if ((rc = il_record_init(&tmp, q->kind)) != 0)
			return rc;
		rc = il_record_set(&tmp, (size_t)fi, q->value[i], strlen(q->value[i]));
		const char *v = tmp.values[fi] ? tmp.values[fi] : "";
		if (!rc && f->type == IL_FT_LIST) {
			rc = il_buf_addf(&w->sql,
					 " AND instr(';' || \"%s\" || ';', ';' || ? || ';') > 0",
					 f->name);
			if (!rc)
				rc = where_bind(w, NULL, v);
		} else if (!rc) {
			rc = il_buf_addf(&w->sql, " AND \"%s\" = ?", f->name);
			if (!rc)
				rc = where_bind(w, f, v);
		}
		il_record_release(&tmp);
	}
	if (!rc && q->chain) {
		if (il_field_find(k, "chain") >= 0) {
			rc = il_buf_adds(&w->sql, " AND chain = ?");
		} else if (q->kind == IL_KIND_CHAIN) {
			rc = il_buf_adds(&w->sql, " AND id = ?");
		} else {
			rc = il_buf_addf(
				&w->sql,
				" AND id IN (SELECT a.entity FROM assignment a JOIN link l "
				"ON l.id = a.link WHERE a.entity_kind = '%s' AND l.chain = ?)",
				k->name);
		}
		if (!rc)
			rc = where_bind(w, NULL, q->chain);
	}
	if (!rc && !q->include_confidential) {
		/* confidential demands, and the records that would reveal them
		 * (their matches and placements), are left out of lists and totals */
		static const char secret[] =
			"(SELECT id FROM demand WHERE visibility = 'confidential')";
		if (q->kind == IL_KIND_DEMAND)
			rc = il_buf_adds(
				&w->sql,
				" AND (visibility IS NULL OR visibility <> 'confidential')");
		else if (q->kind == IL_KIND_MATCH)
			rc = il_buf_addf(&w->sql,
					 " AND NOT (from_kind = 'demand' AND from_id IN %s)"
					 " AND NOT (to_kind = 'demand' AND to_id IN %s)",
					 secret, secret);
		else if (q->kind == IL_KIND_ASSIGNMENT)
			rc = il_buf_addf(&w->sql,
					 " AND NOT (entity_kind = 'demand' AND entity IN %s)",
					 secret);
	}
	if (!rc && q->demo_only)
		rc = il_buf_adds(&w->sql, " AND demo = 1");
	return rc;
}

static int bind_where(struct il_store *s, struct il__stmt *st, const struct where *w)
{
	int rc = IL_OK;
	for (int i = 0; i < w->n && !rc; i++)
		rc = w->bf[i] ? bind_value(s, st, i + 1, w->bf[i], w->bv[i])
			      : s->drv->bind_text(st, i + 1, w->bv[i]);
	return rc;
}

int il_store_list(struct il_store *s, const struct il_query *q,
		  int (*fn)(const struct il_record *r, void *ctx), void *ctx, size_t *total)
{
	const struct il_kind_info *k = il_kind_info(q->kind);
	struct where w;
	struct il_buf sql = IL_BUF_INIT;
	struct il__stmt *st = NULL;
	bool row;
	int rc;
	memset(&w, 0, sizeof(w));
	if (!k)
		return il_error_set(IL_EINVAL, "unknown kind");
	if (q->nfilters > IL_QUERY_MAX_FILTERS)
		return il_error_set(IL_EINVAL, "more than %d filters", IL_QUERY_MAX_FILTERS);
	if (!s->select_cols[q->kind] && (rc = build_select_cols(s, q->kind)) != 0)
		return rc;
	if ((rc = build_where(q, &w)) != 0)
		goto out;
	if (total) {
		if ((rc = il_buf_addf(&sql, "SELECT count(*) FROM \"%s\"%s", k->name,
				      il_buf_cstr(&w.sql))) ||
		    (rc = s->drv->prepare(s->db, il_buf_cstr(&sql), &st)) ||
		    (rc = bind_where(s, st, &w)) || (rc = s->drv->step(st, &row)))
			goto out;
		*total = row ? (size_t)s->drv->col_int(st, 0) : 0;
		s->drv->finalize(st);
		st = NULL;
		il_buf_reset(&sql);
	}
	if ((rc = il_buf_addf(&sql, "SELECT %s FROM \"%s\"%s ORDER BY pk LIMIT ? OFFSET ?",
			      s->select_cols[q->kind], k->name, il_buf_cstr(&w.sql))) ||
	    (rc = s->drv->prepare(s->db, il_buf_cstr(&sql), &st)) || (rc = bind_where(s, st, &w)) ||
	    (rc = s->drv->bind_int(st, w.n + 1, q->limit ? (int64_t)q->limit : INT64_MAX)) ||
	    (rc = s->drv->bind_int(st, w.n + 2, (int64_t)q->offset)))
		goto out;
	while (!(rc = s->drv->step(st, &row)) && row) {
		struct il_record r;
		if ((rc = il_record_init(&r, q->kind)) != 0)
			break;
		rc = row_to_record(s, st, &r);
		if (!rc)
			rc = fn(&r, ctx);
		il_record_release(&r);
		if (rc)
			break;
	}
out:
	if (st)
		s->drv->finalize(st);
	il_buf_release(&sql);
	where_release(&w);
	return rc;
}

int il_store_count(struct il_store *s, enum il_kind kind, size_t *out)
{
	bool row = false;
	int64_t n = 0;
	int rc = table_scalar(s, kind, "SELECT count(*) FROM ", "", &row, &n);
	*out = (size_t)n;
	return rc;
}

/* ---- history ---- */

/* Rebuilds a record from the JSON that insert_history() wrote. */
static int record_from_json(enum il_kind kind, const char *text, struct il_record *r)
{
	json_error_t err;
	json_t *o = json_loads(text, 0, &err);
	const char *key;
	json_t *v;
	struct il_buf b = IL_BUF_INIT;
	int rc = il_record_init(r, kind);
	if (rc || !o || !json_is_object(o)) {
		json_decref(o);
		if (!rc)
			il_record_release(r);
		return rc ? rc : il_error_set(IL_ESTORE, "history entry is not JSON: %s", err.text);
	}
	json_object_foreach(o, key, v)
	{
		il_buf_reset(&b);
		if (strcmp(key, "entity") == 0)
			continue;
		if (strcmp(key, "version") == 0) {
			r->version = json_integer_value(v);
			continue;
		}
		if (strcmp(key, "demo") == 0) {
			r->demo = json_is_true(v);
			continue;
		}
		if (json_is_string(v)) {
			rc = il_buf_adds(&b, json_string_value(v));
		} else if (json_is_integer(v)) {
			rc = il_buf_addf(&b, "%lld", (long long)json_integer_value(v));
		} else if (json_is_real(v)) {
			rc = il_buf_addf(&b, "%.15g", json_real_value(v));
		} else if (json_is_boolean(v)) {
			rc = il_buf_adds(&b, json_is_true(v) ? "1" : "0");
		} else if (json_is_array(v)) {
			size_t i;
			json_t *item;
			json_array_foreach(v, i, item)
			{
				if (!rc && b.len)
					rc = il_buf_addc(&b, ';');
				if (!rc && json_is_string(item))
					rc = il_buf_adds(&b, json_string_value(item));
			}
		}
		if (rc)
			break;
		if (strcmp(key, "created_at") == 0 || strcmp(key, "updated_at") == 0 ||
		    strcmp(key, "source") == 0) {
			char **dst = key[0] == 'c'   ? &r->created_at
				     : key[0] == 'u' ? &r->updated_at
						     : &r->source;
			rc = set_meta(dst, il_buf_cstr(&b));
		} else {
			rc = il_record_set_by_name(r, key, il_buf_cstr(&b), b.len);
			if (rc == IL_ENOTFOUND) /* a field this version no longer has */
				rc = IL_OK;
		}
		if (rc)
			break;
	}
	json_decref(o);
	il_buf_release(&b);
	if (rc)
		il_record_release(r);
	return rc;
}

int il_store_history(struct il_store *s, enum il_kind kind, const char *id,
		     int (*fn)(const struct il_record *version, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT data FROM history WHERE kind = ? AND id = ? ORDER BY version, pk";
	struct il__stmt *st = NULL;
	struct il_record cur;
	bool row, any = false;
	int rc = misc_stmt(s, sql, &st);
	if (!rc && !(rc = s->drv->bind_text(st, 1, table_name(kind))))
		rc = s->drv->bind_text(st, 2, id);
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		struct il_record r;
		any = true;
		if ((rc = record_from_json(kind, s->drv->col_text(st, 0), &r)) != 0)
			break;
		rc = fn(&r, ctx);
		il_record_release(&r);
	}
	misc_done(s, st);
	if (rc)
		return rc;
	rc = il_store_get(s, kind, id, &cur);
	if (rc == IL_ENOTFOUND && any)
		return IL_OK;
	if (rc)
		return rc;
	rc = fn(&cur, ctx);
	il_record_release(&cur);
	return rc;
}

/* ---- de-duplication ---- */

int il_store_dedup_list(struct il_store *s,
			int (*fn)(const struct il_merge_candidate *c, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT c.a, c.b, oa.name_zh, ob.name_zh, c.reason, c.score FROM merge_candidate c "
		"JOIN organization oa ON oa.id = c.a JOIN organization ob ON ob.id = c.b "
		"ORDER BY c.score DESC, c.a, c.b";
	struct il__stmt *st = NULL;
	bool row;
	int rc = misc_stmt(s, sql, &st);
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		struct il_merge_candidate c = {
			s->drv->col_text(st, 0), s->drv->col_text(st, 1), s->drv->col_text(st, 2),
			s->drv->col_text(st, 3), s->drv->col_text(st, 4), s->drv->col_real(st, 5),
		};
		rc = fn(&c, ctx);
	}
	misc_done(s, st);
	return rc;
}

struct merge_ctx {
	const char *keep, *drop, *source;
	struct il_record **refs; /* records that refer to drop */
	size_t nrefs;
};

static int collect_ref(const struct il_record *r, void *vctx)
{
	struct merge_ctx *m = vctx;
	struct il_record **grown = il_realloc(m->refs, (m->nrefs + 1) * sizeof(*grown));
	if (!grown)
		return IL_ENOMEM;
	m->refs = grown;
	if (!(m->refs[m->nrefs] = il_malloc(sizeof(struct il_record))))
		return IL_ENOMEM;
	if (il_record_copy(m->refs[m->nrefs], r) != 0) {
		free(m->refs[m->nrefs]);
		return IL_ENOMEM;
	}
	m->nrefs++;
	return IL_OK;
}

static int merge_tx(struct il_store *s, void *vctx)
{
	struct merge_ctx *m = vctx;
	struct il_record keep, drop;
	enum il_put_result res;
	bool changed;
	int rc = il_store_get(s, IL_KIND_ORGANIZATION, m->keep, &keep);
	if (rc)
		return rc;
	if ((rc = il_store_get(s, IL_KIND_ORGANIZATION, m->drop, &drop)) != 0) {
		il_record_release(&keep);
		return rc;
	}
	if (!(rc = il_record_merge(&keep, &drop, &changed)) &&
	    !(rc = add_alias(&keep, il_record_get(&drop, "name_zh"))) &&
	    !(rc = add_alias(&keep, il_record_get(&drop, "name_en"))))
		rc = il_store_put(s, &keep, IL_PUT_NO_DEDUP, m->source, &res);
	/* every reference to drop, in any kind, now names keep */
	for (int kind = 0; kind < IL_KIND__COUNT && !rc; kind++) {
		const struct il_kind_info *k = il_kind_info((enum il_kind)kind);
		for (size_t i = 0; i < k->nfields && !rc; i++) {
			const struct il_field *f = &k->fields[i];
			struct il_query q;
			if (f->type != IL_FT_REF || f->ref != IL_KIND_ORGANIZATION)
				continue;
			il_query_init(&q, (enum il_kind)kind);
			q.include_confidential = true;
			q.field[0] = f->name;
			q.value[0] = m->drop;
			q.nfilters = 1;
			rc = il_store_list(s, &q, collect_ref, m, NULL);
			for (size_t j = 0; j < m->nrefs; j++) {
				if (!rc) {
					free(m->refs[j]->values[i]);
					m->refs[j]->values[i] = il_strdup(m->keep);
					rc = m->refs[j]->values[i]
						     ? il_store_put(s, m->refs[j], IL_PUT_NO_DEDUP,
								    m->source, &res)
						     : IL_ENOMEM;
				}
				il_record_release(m->refs[j]);
				free(m->refs[j]);
			}
			free(m->refs);
			m->refs = NULL;
			m->nrefs = 0;
		}
	}
	if (!rc)
		rc = il_store_delete(s, IL_KIND_ORGANIZATION, m->drop, m->source);
	if (!rc)
		rc = write_name_keys(s, &keep);
	il_record_release(&keep);
	il_record_release(&drop);
	return rc;
}

int il_store_dedup_merge(struct il_store *s, const char *keep_id, const char *drop_id,
			 const char *source)
{
	struct merge_ctx m = {keep_id, drop_id, source, NULL, 0};
	if (strcmp(keep_id, drop_id) == 0)
		return il_error_set(IL_EINVAL, "cannot merge '%s' into itself", keep_id);
	return in_tx(s, merge_tx, &m);
}

int il_store_dedup_dismiss(struct il_store *s, const char *a, const char *b)
{
	static const char sql[] = "DELETE FROM merge_candidate WHERE (a = ? AND b = ?) OR "
				  "(a = ? AND b = ?) RETURNING a";
	struct il__stmt *st = NULL;
	bool row = false;
	int rc = misc_stmt(s, sql, &st);
	if (!rc && !(rc = s->drv->bind_text(st, 1, a)) && !(rc = s->drv->bind_text(st, 2, b)) &&
	    !(rc = s->drv->bind_text(st, 3, b)) && !(rc = s->drv->bind_text(st, 4, a)))
		rc = s->drv->step(st, &row);
	if (!rc && row) /* step the RETURNING rows out so the delete completes */
		while (!rc && row)
			rc = s->drv->step(st, &row);
	else if (!rc)
		rc = il_error_set(IL_ENOTFOUND, "no merge candidate '%s' / '%s'", a, b);
	misc_done(s, st);
	return rc;
}

int il_store_new_id(struct il_store *s, enum il_kind kind, char **out)
{
	const struct il_kind_info *k = il_kind_info(kind);
	char sql[320], pat[24], id[48];
	struct il__stmt *st = NULL;
	bool row = false;
	int64_t n = 0;
	size_t at = strlen(k->id_prefix) + 2;
	/* only all-digit suffixes of at most 18 digits are cast: PostgreSQL
	 * refuses to cast anything else, where SQLite would make it 0 */
	snprintf(sql, sizeof(sql),
		 "SELECT max(CAST(substr(id, %zu) AS INTEGER)) FROM \"%s\" WHERE id LIKE ? "
		 "AND length(id) BETWEEN %zu AND %zu AND ltrim(substr(id, %zu), '0123456789') = ''",
		 at, k->name, at, at + 17, at);
	snprintf(pat, sizeof(pat), "%s-%%", k->id_prefix);
	int rc = s->drv->prepare(s->db, sql, &st);
	if (rc)
		return rc;
	if (!(rc = s->drv->bind_text(st, 1, pat)) && !(rc = s->drv->step(st, &row)) && row &&
	    !s->drv->col_null(st, 0))
		n = s->drv->col_int(st, 0);
	s->drv->finalize(st);
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "%s-%lld", k->id_prefix, (long long)n + 1);
	*out = il_strdup(id);
	return *out ? IL_OK : IL_ENOMEM;
}

int il_store_last_change(struct il_store *s, int64_t *seq)
{
	static const char sql[] = "SELECT coalesce(max(seq), 0) FROM change_log";
	struct il__stmt *st = NULL;
	bool row = false;
	int rc = flush_log(s);
	if (!rc)
		rc = misc_stmt(s, sql, &st);
	if (!rc)
		rc = s->drv->step(st, &row);
	*seq = !rc && row ? s->drv->col_int(st, 0) : 0;
	misc_done(s, st);
	return rc;
}

int il_store_changes(struct il_store *s, int64_t after,
		     int (*fn)(const struct il_change *c, void *ctx), void *ctx)
{
	static const char sql[] =
		"SELECT seq, kind, id, op, at FROM change_log WHERE seq > ? ORDER BY seq";
	struct il__stmt *st = NULL;
	bool row;
	int rc = flush_log(s);
	if (!rc)
		rc = misc_stmt(s, sql, &st);
	if (!rc)
		rc = s->drv->bind_int(st, 1, after);
	while (!rc && !(rc = s->drv->step(st, &row)) && row) {
		struct il_change c;
		if (il_kind_parse(s->drv->col_text(st, 1), &c.kind) != IL_OK)
			continue; /* a kind this version does not know */
		c.seq = s->drv->col_int(st, 0);
		c.id = s->drv->col_text(st, 2);
		c.deleted = strcmp(s->drv->col_text(st, 3), "delete") == 0;
		c.at = s->drv->col_text(st, 4);
		rc = fn(&c, ctx);
	}
	misc_done(s, st);
	return rc;
}
