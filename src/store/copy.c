/*
 * copy.c - below the record level: copying a whole database between back
 * ends, and change notification.
 *
 * A copy works on tables and rows, not records, so that what it moves
 * comes out the same: row ids, versions, times, sources, history, name
 * keys, merge candidates and the change log with its sequence numbers.
 * The tables are whatever the source's catalog lists (migrations that add
 * tables need nothing here), oldest first, and the target's are made by
 * the same migrations, so their columns agree by name.  Values travel with
 * their type (a REAL as a double, never as text, which would lose digits).
 * The target takes the rows in one transaction with its foreign-key checks
 * deferred to the commit (a record may refer to one stored after it) and,
 * on PostgreSQL, with its change-log numbering off and its sequences moved
 * past the copied ids afterwards (the driver's sql_copy_begin/_end).
 *
 * Depends on: base, the store's driver interface.
 */
#include "store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *il_store_backend(struct il_store *s)
{
	return il__store_driver(s)->name;
}

int il_store_listen(struct il_store *s)
{
	const struct il__driver *drv = il__store_driver(s);
	if (!drv->listen)
		return il_error_set(IL_EUNSUPPORTED,
				    "the %s back end sends no change notifications", drv->name);
	return drv->listen(il__store_db(s));
}

int il_store_wait_change(struct il_store *s, int timeout_ms, bool *changed)
{
	const struct il__driver *drv = il__store_driver(s);
	*changed = false;
	if (!drv->wait)
		return il_error_set(IL_EUNSUPPORTED,
				    "the %s back end sends no change notifications", drv->name);
	return drv->wait(il__store_db(s), timeout_ms, changed);
}

struct table_list {
	char **names;
	size_t n;
};

static void tables_release(struct table_list *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
}

static int list_tables(struct il_store *s, struct table_list *out)
{
	const struct il__driver *drv = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row;
	int rc = drv->prepare(il__store_db(s), drv->sql_tables, &st);
	while (!rc && !(rc = drv->step(st, &row)) && row) {
		char **grown = il_realloc(out->names, (out->n + 1) * sizeof(*grown));
		if (!grown) {
			rc = IL_ENOMEM;
			break;
		}
		out->names = grown;
		if (!(out->names[out->n] = il_strdup(drv->col_text(st, 0)))) {
			rc = IL_ENOMEM;
			break;
		}
		out->n++;
	}
	drv->finalize(st);
	return rc;
}

/* Appends `name` as a quoted identifier. */
static int add_ident(struct il_buf *b, const char *name)
{
	int rc = il_buf_addc(b, '"');
	for (const char *p = name; *p && !rc; p++)
		rc = *p == '"' ? il_buf_adds(b, "\"\"") : il_buf_addc(b, *p);
	return rc ? rc : il_buf_addc(b, '"');
}

/* Runs "<head><table><tail>" and gives the first column of its first row. */
static int table_query(struct il_store *s, const char *head, const char *table, const char *tail,
		       int64_t *value, bool *found)
{
	const struct il__driver *drv = il__store_driver(s);
	struct il_buf sql = IL_BUF_INIT;
	struct il__stmt *st = NULL;
	int rc = il_buf_adds(&sql, head);
	if (!rc && !(rc = add_ident(&sql, table)) && !(rc = il_buf_adds(&sql, tail)))
		rc = drv->prepare(il__store_db(s), il_buf_cstr(&sql), &st);
	if (!rc)
		rc = drv->step(st, found);
	if (!rc && *found)
		*value = drv->col_int(st, 0);
	drv->finalize(st);
	il_buf_release(&sql);
	return rc;
}

struct copy_run {
	struct il_store *from, *to;
	const struct il__driver *fd, *td;
	void (*progress)(double fraction, size_t rows, void *ctx);
	void *ctx;
	size_t done, total;
};

/* INSERT INTO "table"("a","b",...) VALUES (?,?,...) for the columns of st. */
static int insert_sql(struct copy_run *c, struct il__stmt *st, const char *table, struct il_buf *b)
{
	int ncols = c->fd->col_count(st);
	int rc = il_buf_adds(b, "INSERT INTO ");
	if (!rc)
		rc = add_ident(b, table);
	for (int i = 0; i < ncols && !rc; i++)
		if (!(rc = il_buf_adds(b, i ? "," : "(")))
			rc = add_ident(b, c->fd->col_name(st, i));
	if (!rc)
		rc = il_buf_adds(b, ") VALUES (");
	for (int i = 0; i < ncols && !rc; i++)
		rc = il_buf_adds(b, i ? ",?" : "?");
	return rc ? rc : il_buf_addc(b, ')');
}

/* Binds column i of the source row as parameter i + 1, by its type. */
static int bind_column(struct copy_run *c, struct il__stmt *from, struct il__stmt *to, int i)
{
	switch (c->fd->col_type(from, i)) {
	case IL__COL_NULL:
		return c->td->bind_null(to, i + 1);
	case IL__COL_INT:
		return c->td->bind_int(to, i + 1, c->fd->col_int(from, i));
	case IL__COL_REAL:
		return c->td->bind_real(to, i + 1, c->fd->col_real(from, i));
	default:
		/* valid until the source steps, which is after this row's insert */
		return c->td->bind_text_ref(to, i + 1, c->fd->col_text(from, i));
	}
}

static int copy_table(struct copy_run *c, const char *table)
{
	struct il_buf sql = IL_BUF_INIT;
	struct il__stmt *src = NULL, *dst = NULL;
	bool row, dummy;
	int rc = il_buf_adds(&sql, "SELECT * FROM ");
	if (!rc && !(rc = add_ident(&sql, table)))
		rc = c->fd->prepare(il__store_db(c->from), il_buf_cstr(&sql), &src);
	while (!rc && !(rc = c->fd->step(src, &row)) && row) {
		if (!dst) {
			il_buf_reset(&sql);
			if ((rc = insert_sql(c, src, table, &sql)) != IL_OK ||
			    (rc = c->td->prepare(il__store_db(c->to), il_buf_cstr(&sql), &dst)) !=
				    IL_OK)
				break;
		}
		for (int i = 0; i < c->fd->col_count(src) && !rc; i++)
			rc = bind_column(c, src, dst, i);
		if (!rc)
			rc = c->td->step(dst, &dummy);
		c->td->reset(dst);
		if (!rc && ++c->done % 1000 == 0 && c->progress)
			c->progress(c->total ? (double)c->done / (double)c->total : 1.0, c->done,
				    c->ctx);
	}
	if (rc)
		il_error_prefix("copying table %s", table);
	if (src)
		c->fd->finalize(src);
	if (dst)
		c->td->finalize(dst);
	il_buf_release(&sql);
	return rc;
}

/* schema_meta's entries but the schema version, which the target's own
 * migrations set (the audit log's head, audit.c). */
static int put_meta(const char *const *cols, void *ctx)
{
	const char *params[2] = {cols[0], cols[1]};
	return il_store_sql(ctx,
			    "INSERT INTO schema_meta(key, value) VALUES (?, ?) "
			    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			    params, 2, 0, NULL, NULL);
}

static int copy_meta(struct copy_run *c)
{
	return il_store_sql(c->from,
			    "SELECT key, value FROM schema_meta WHERE key <> 'schema_version'",
			    NULL, 0, 2, put_meta, c->to);
}

/* The target must be a new database: no rows but its schema version. */
static int check_empty(struct copy_run *c, const struct table_list *t)
{
	for (size_t i = 0; i < t->n; i++) {
		int64_t n = 0;
		bool found = false;
		int rc;
		if (strcmp(t->names[i], "schema_meta") == 0)
			continue;
		if ((rc = table_query(c->to, "SELECT 1 FROM ", t->names[i], " LIMIT 1", &n,
				      &found)) != IL_OK)
			return rc;
		if (found)
			return il_error_set(IL_EINVAL,
					    "the target database is not empty (table %s has rows): "
					    "copy into a new one",
					    t->names[i]);
		if ((rc = table_query(c->from, "SELECT count(*) FROM ", t->names[i], "", &n,
				      &found)) != IL_OK)
			return rc;
		c->total += (size_t)n;
	}
	return IL_OK;
}

static int same_version(struct il_store *s, const char *which)
{
	int v = 0, rc = il_store_schema_version(s, &v);
	if (rc)
		return rc;
	if (v != IL_SCHEMA_VERSION)
		return il_error_set(IL_ESCHEMA,
				    "the %s database has schema version %d, not %d: run 'innolink "
				    "migrate' on it first",
				    which, v, IL_SCHEMA_VERSION);
	return IL_OK;
}

int il_store_copy(struct il_store *from, struct il_store *to,
		  void (*progress)(double fraction, size_t rows, void *ctx), void *ctx,
		  size_t *rows)
{
	struct copy_run c = {from, to, il__store_driver(from), il__store_driver(to), progress, ctx,
			     0,    0};
	struct table_list t = {NULL, 0};
	int rc;
	if ((rc = same_version(from, "source")) || (rc = same_version(to, "target")) ||
	    (rc = list_tables(from, &t)) || (rc = check_empty(&c, &t)) ||
	    (rc = il_store_begin(to)) != IL_OK) {
		tables_release(&t);
		return rc;
	}
	if (c.td->sql_copy_begin)
		rc = c.td->exec(il__store_db(to), c.td->sql_copy_begin);
	for (size_t i = 0; i < t.n && !rc; i++)
		if (strcmp(t.names[i], "schema_meta") != 0)
			rc = copy_table(&c, t.names[i]);
	if (!rc)
		rc = copy_meta(&c);
	if (!rc && c.td->sql_copy_end)
		rc = c.td->exec(il__store_db(to), c.td->sql_copy_end);
	rc = rc ? rc : il_store_commit(to);
	if (rc)
		il_store_rollback(to);
	else if (progress)
		progress(1.0, c.done, ctx);
	if (rows)
		*rows = c.done;
	tables_release(&t);
	return rc;
}
