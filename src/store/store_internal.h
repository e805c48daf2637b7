/*
 * store_internal.h - the SQL driver interface and what the files of
 * src/store share.
 *
 * The store's logic speaks SQL with '?' placeholders through this driver;
 * a back end implements it (sqlite.c; a PostgreSQL driver rewrites '?' to
 * $n).  Statements are prepared once and cached by the store.
 */
#ifndef IL_STORE_INTERNAL_H
#define IL_STORE_INTERNAL_H

#include <innolink/store.h>

struct il__db;
struct il__stmt;

/* The type of a value in a result column, for copying values between back
 * ends without going through text (a REAL read as text loses digits). */
enum il__col_type { IL__COL_NULL, IL__COL_INT, IL__COL_REAL, IL__COL_TEXT };

struct il__driver {
	const char *name;
	int (*open)(const char *uri, unsigned flags, struct il__db **out);
	void (*close)(struct il__db *db);
	/* Runs one or more statements without parameters. */
	int (*exec)(struct il__db *db, const char *sql);
	int (*prepare)(struct il__db *db, const char *sql, struct il__stmt **out);
	void (*finalize)(struct il__stmt *st);
	/* Parameters are 1-based; text is copied by the driver. */
	int (*bind_text)(struct il__stmt *st, int i, const char *s);
	/* The same without the copy: s must stay valid until the statement is
	 * reset (record values bound for one step). */
	int (*bind_text_ref)(struct il__stmt *st, int i, const char *s);
	/* Optional: a value given as text whose type the statement decides
	 * (an integer column takes "42" as a number); NULL: bind_text. */
	int (*bind_untyped)(struct il__stmt *st, int i, const char *s);
	int (*bind_int)(struct il__stmt *st, int i, int64_t v);
	int (*bind_real)(struct il__stmt *st, int i, double v);
	int (*bind_null)(struct il__stmt *st, int i);
	/* Steps; *row tells whether a row is available. */
	int (*step)(struct il__stmt *st, bool *row);
	/* Clears bindings and makes the statement ready to run again. */
	void (*reset)(struct il__stmt *st);
	bool (*col_null)(struct il__stmt *st, int i);
	/* Borrowed until the next step or reset. */
	const char *(*col_text)(struct il__stmt *st, int i);
	int64_t (*col_int)(struct il__stmt *st, int i);
	double (*col_real)(struct il__stmt *st, int i);
	/* Columns of the current row's result, their names and value types. */
	int (*col_count)(struct il__stmt *st);
	const char *(*col_name)(struct il__stmt *st, int i);
	enum il__col_type (*col_type)(struct il__stmt *st, int i);
	/* Id of the row the last INSERT made. */
	int64_t (*last_id)(struct il__db *db);
	/* Rows the last INSERT, UPDATE or DELETE changed. */
	int64_t (*changes)(struct il__db *db);
	/* Whether the last error was a constraint violation (unique, foreign key). */
	bool (*constraint_error)(struct il__db *db);
	/* Optional.  Before a transaction (on) and after it ends (off): lets a
	 * back end write one large transaction a faster way while no other
	 * connection has the database open.  Returns whether it switched; not
	 * switching is never an error, and leaves no error set. */
	bool (*bulk)(struct il__db *db, bool on);
	/* Change notification (NULL when the back end has none): listen
	 * subscribes this connection; wait blocks up to timeout_ms and sets
	 * *changed when another connection committed a change-log entry (or
	 * notifications may have been lost). */
	int (*listen)(struct il__db *db);
	int (*wait)(struct il__db *db, int timeout_ms, bool *changed);
	/* Change-log appends take a lock held to the commit: keep a
	 * transaction's entries buffered until then, however many. */
	bool log_at_commit;
	/* A record's INSERT says RETURNING pk, since last_id would cost a
	 * round trip (PostgreSQL).  false: the store reads changes and
	 * last_id instead (SQLite, where RETURNING makes every INSERT a
	 * multi-row write with a statement journal, twice the work). */
	bool insert_returning;
	/* Run (once per transaction) before a new organization's names are
	 * looked up, where writers run side by side: a lock held to the
	 * commit.  NULL: writers take turns anyway (SQLite). */
	const char *sql_lock_names;
	/* One row per table of the store's schema, its name first, oldest table first. */
	const char *sql_tables;
	/* The indexes of one table (its name bound as the only parameter)
	 * that a bulk load may drop and build again at its end: their name
	 * and CREATE statement, none that enforces a constraint.  NULL: a
	 * bulk load keeps every index. */
	const char *sql_table_indexes;
	/* Run inside a copy's transaction on the target before the rows (so
	 * foreign keys are checked at commit) and after them (NULL: nothing). */
	const char *sql_copy_begin;
	const char *sql_copy_end;
};

extern const struct il__driver il__sqlite_driver;
extern const struct il__driver il__postgres_driver;

/* SQLite's dialect to PostgreSQL's ('?' to $n and the rest that
 * docs/internals/store.md lists); *nparams gets the number of parameters.
 * IL_ENOMEM. */
int il__pg_rewrite(const char *sql, struct il_buf *out, int *nparams);

struct il__migration {
	int version;
	const char *sql;
	int (*after)(struct il_store *s); /* fills data the new schema needs */
};

extern const struct il__migration il__migrations[];

/* SQL one back end runs right after a migration's own (what the dialect
 * rewrite cannot express: triggers, sequences).  Ends with version 0. */
struct il__migration_extra {
	int version;
	const char *driver; /* struct il__driver name */
	const char *sql; /* in that back end's own dialect */
};

extern const struct il__migration_extra il__migration_extras[];

int il__store_fill_name_keys(struct il_store *s);

/* For the store's other files (account.c, audit.c, copy.c, sql.c): the driver and
 * connection of a store, and a statement for a fixed SQL text, prepared once
 * and cached by the text's address; il__store_stmt_done() resets it (or
 * finalizes one the cache had no room for). */
const struct il__driver *il__store_driver(struct il_store *s);
struct il__db *il__store_db(struct il_store *s);
int il__store_stmt(struct il_store *s, const char *sql, struct il__stmt **out);
void il__store_stmt_done(struct il_store *s, struct il__stmt *st);
bool il__store_in_tx(struct il_store *s);
/* il_store_sql() over a cached statement: `sql` must be a static text. */
int il__store_sql_static(struct il_store *s, const char *sql, const char *const *params,
			 size_t nparams, size_t ncols,
			 int (*fn)(const char *const *cols, void *ctx), void *ctx);
/* audit.c: appends the audit entry of a change of a demand, deal or
 * assignment (a no-op for other kinds), in the open transaction. */
int il__store_audit(struct il_store *s, enum il_kind kind, const char *id, bool deleted);
/* An entry for each demand, deal and assignment already stored (schema 6). */
int il__store_audit_baseline(struct il_store *s);

#endif
