/*
 * innolink/store.h - the system of record.
 *
 * A store holds every record of every kind with its provenance and its full
 * history.  The logic (validation of references, upserts, versioning,
 * de-duplication) is written once over a small SQL driver interface
 * (src/store/driver.h); each back end supplies a driver.  SQLite is the
 * embedded default: a path opens or creates a database file (WAL, foreign
 * keys on, busy timeout 5 s).  A "postgres://" or "postgresql://" URI, or a
 * libpq keyword string ("host=... dbname=..."), names the PostgreSQL back
 * end (src/store/pg.c, docs/postgres.md); both answer every call alike.
 *
 * A store handle is used by one thread at a time; the server opens one per
 * worker.  All multi-row writes of the library run inside one transaction.
 *
 * Depends on: base, model.
 */
#ifndef INNOLINK_STORE_H
#define INNOLINK_STORE_H

#include "base.h"
#include "model.h"

/* The schema version this program writes; migrations bring older ones here. */
#define IL_SCHEMA_VERSION 6

struct il_store;

enum il_store_flag {
	IL_STORE_CREATE = 1u << 0, /* create the database and its schema if missing */
	IL_STORE_READONLY = 1u << 1,
	IL_STORE_MIGRATE = 1u << 2, /* upgrade an older schema in place on open */
};

/*
 * Opens the store named by `uri`.  A database whose schema is older than
 * IL_SCHEMA_VERSION is refused with IL_ESCHEMA (detail: "run 'innolink
 * migrate'") unless IL_STORE_MIGRATE is given; a newer one always is.
 * Returns IL_EIO (cannot open or create), IL_ESTORE, IL_ESCHEMA,
 * IL_EUNSUPPORTED, IL_ENOMEM.  Caller closes *out with il_store_close().
 */
int il_store_open(const char *uri, unsigned flags, struct il_store **out);
void il_store_close(struct il_store *s);

/* Schema version of the open database. */
int il_store_schema_version(struct il_store *s, int *out);
/* Upgrades in place, in one transaction; *from and *to report the versions. */
int il_store_migrate(struct il_store *s, int *from, int *to);

/* Transactions.  Nesting is not allowed; savepoints nest inside one.
 * il_store_rollback() and il_store_close() keep this thread's error detail,
 * so a caller can undo after a failure and still report what failed. */
int il_store_begin(struct il_store *s);
/* Begins a transaction for one large write, mostly of records of `kind`
 * (an import of many rows).  When no other connection has the database
 * open, the SQLite store writes it through a rollback journal instead of
 * the WAL, writing each new page once instead of twice; connections opened
 * meanwhile wait for it to end.  The WAL comes back at commit or rollback.
 * If then the kind's table is empty, its secondary indexes are dropped and
 * built again by il_store_commit, from sorted keys, before it commits; a
 * rollback, or a crash, restores them as they were.  Otherwise as
 * il_store_begin.  IL_EINVAL (a transaction is open, unknown kind). */
int il_store_begin_bulk(struct il_store *s, enum il_kind kind);
int il_store_commit(struct il_store *s);
int il_store_rollback(struct il_store *s);
int il_store_savepoint(struct il_store *s);
int il_store_release(struct il_store *s);
int il_store_rollback_to(struct il_store *s);

enum il_put_result {
	IL_PUT_INSERTED,
	IL_PUT_UPDATED, /* an older version went to history */
	IL_PUT_UNCHANGED, /* identical to what was stored: no new version */
	IL_PUT_MERGED, /* an organization merged into an existing duplicate */
};

enum il_put_flag {
	IL_PUT_NO_DEDUP = 1u << 0, /* store an organization even if its name is known */
	IL_PUT_NEW_ONLY = 1u << 1, /* IL_ECONFLICT if the id exists (API create) */
	/* IL_EPRECOND unless the stored version is r->version, also when another
	 * writer (another process) stores a version meanwhile: an update made
	 * from what a client read (If-Match) never overwrites a newer one */
	IL_PUT_IF_VERSION = 1u << 2,
};

/*
 * Inserts or updates a record by its id.  Validates required fields;
 * resolves references (a reference that names no id of the target kind but
 * matches exactly one organization's name, after normalisation, is replaced
 * by that organization's id); records `source` as provenance.  An update
 * keeps the previous version in the history.
 *
 * Organizations are de-duplicated when their id is new: if the name key of
 * the name or an alias equals one of a stored organization, the record is
 * merged into that one (result IL_PUT_MERGED, r->id becomes its id);
 * near-duplicates are recorded as merge candidates (il_store_dedup_list).
 *
 * On success r->rowid, version, created_at, updated_at and source reflect
 * the stored row, and *out (may be NULL) says what was done.  Returns IL_EINVAL (validation; detail names the field),
 * IL_ENOTFOUND (a reference to nothing; detail names the field and value),
 * IL_ECONFLICT, IL_ESTORE, IL_ENOMEM.
 */
int il_store_put(struct il_store *s, struct il_record *r, unsigned flags, const char *source,
		 enum il_put_result *out);

/* Reads the current version.  *out is initialised by the call; caller
 * releases it with il_record_release().  IL_ENOTFOUND, IL_ESTORE, IL_ENOMEM. */
int il_store_get(struct il_store *s, enum il_kind kind, const char *id, struct il_record *out);

/* Deletes a record; its versions stay in the history.  IL_ENOTFOUND,
 * IL_ECONFLICT (other records still refer to it), IL_ESTORE. */
int il_store_delete(struct il_store *s, enum il_kind kind, const char *id, const char *source);
/* The same, only if the stored version is `version` (what a client read,
 * If-Match), also when another process writes meanwhile: IL_EPRECOND
 * otherwise.  IL_EINVAL for a version below 1. */
int il_store_delete_version(struct il_store *s, enum il_kind kind, const char *id, int64_t version,
			    const char *source);

#define IL_QUERY_MAX_FILTERS 8

struct il_query {
	enum il_kind kind;
	const char *region; /* a region id: includes its districts and parks */
	const char *prefix; /* title (or name) starts with this text */
	const char *field[IL_QUERY_MAX_FILTERS]; /* equality filters: field name ... */
	const char *value[IL_QUERY_MAX_FILTERS]; /* ... and value (lists: contains item) */
	size_t nfilters;
	const char *chain; /* a chain id: records placed on its links (or of it) */
	bool include_confidential; /* confidential demands and the matches and
				      placements naming them (default: hidden) */
	bool demo_only;
	size_t offset;
	size_t limit; /* 0: no limit */
};

/* Prepares a query of one kind with no filters. */
void il_query_init(struct il_query *q, enum il_kind kind);

/*
 * Calls fn for each matching record in the order the records were first
 * stored (an update keeps a record's place); the record is borrowed for
 * the call.  A non-zero return from fn stops the walk and is returned.
 * *total (may be NULL) receives the number of matches ignoring offset and
 * limit.  IL_EINVAL (unknown filter field: detail names it), IL_ESTORE.
 */
int il_store_list(struct il_store *s, const struct il_query *q,
		  int (*fn)(const struct il_record *r, void *ctx), void *ctx, size_t *total);

/* Number of records of a kind (confidential demands included: operator view). */
int il_store_count(struct il_store *s, enum il_kind kind, size_t *out);

/* Calls fn for every version of a record, oldest first, the current one
 * last; deleted records have only history.  IL_ENOTFOUND when none exist. */
int il_store_history(struct il_store *s, enum il_kind kind, const char *id,
		     int (*fn)(const struct il_record *version, void *ctx), void *ctx);

/* A pair of organizations that may be the same one. */
struct il_merge_candidate {
	const char *a, *b; /* ids, borrowed for the callback */
	const char *a_name, *b_name;
	const char *reason;
	double score; /* 0..1 */
};

int il_store_dedup_list(struct il_store *s,
			int (*fn)(const struct il_merge_candidate *c, void *ctx), void *ctx);
/*
 * Merges organization `drop_id` into `keep_id`: fields `keep` lacks are
 * filled, `drop`'s names become aliases, every reference to `drop` is
 * rewritten to `keep`, and `drop` is deleted (its history kept).  One
 * transaction.  IL_ENOTFOUND, IL_EINVAL (same id), IL_ESTORE.
 */
int il_store_dedup_merge(struct il_store *s, const char *keep_id, const char *drop_id,
			 const char *source);
/* Forgets a candidate pair that is not a duplicate.  IL_ENOTFOUND. */
int il_store_dedup_dismiss(struct il_store *s, const char *a, const char *b);

/*
 * The change log: every insert, update (not an unchanged re-put) and delete
 * appends one entry in the same transaction.  Sequence numbers increase
 * monotonically; 0 means "before any change".
 */
int il_store_last_change(struct il_store *s, int64_t *seq);

struct il_change {
	int64_t seq;
	enum il_kind kind;
	const char *id; /* borrowed for the callback */
	bool deleted;
	const char *at; /* when */
};

/* Calls fn for each change after `after`, oldest first; a non-zero return
 * from fn stops the walk and is returned.  IL_ESTORE. */
int il_store_changes(struct il_store *s, int64_t after,
		     int (*fn)(const struct il_change *c, void *ctx), void *ctx);

/* Makes a new id "PREFIX-n" for a kind (n one past the highest used). */
int il_store_new_id(struct il_store *s, enum il_kind kind, char **out);

/*
 * Statements of the modules above the store on their own tables (the trade
 * module's, schema 6).  `sql` uses '?' placeholders; params[i] binds the
 * i-th as text (NULL binds NULL).  fn (may be NULL) is called for each row
 * with `ncols` column texts (NULL for SQL NULL), borrowed for the call; a
 * non-zero return stops the walk and is returned.  Runs inside the open
 * transaction, if any.  IL_EINVAL (more than 32 columns), IL_ECONFLICT
 * (constraint), IL_ESTORE.
 */
int il_store_sql(struct il_store *s, const char *sql, const char *const *params, size_t nparams,
		 size_t ncols, int (*fn)(const char *const *cols, void *ctx), void *ctx);

/*
 * The audit log (schema 6): every insert, update and delete of a demand, a
 * deal or an assignment appends an entry in the transaction of the change,
 * each carrying the hash of the one before it (docs/internals/trade.md).
 */
struct il_audit_report {
	int64_t entries; /* entries read */
	int64_t broken; /* the first entry where the chain breaks; 0: intact */
	char reason[512]; /* what is wrong there, for a person */
	char head[65]; /* hash of the last intact entry, to anchor elsewhere */
};

/* Walks the whole log and the records it covers.  A broken chain is not an
 * error: it is reported in *out.  IL_ESTORE, IL_ENOMEM. */
int il_store_audit_verify(struct il_store *s, struct il_audit_report *out);

/*
 * Accounts of the web front end (schema 5).  The store keeps them and the
 * hashes of their secrets; what a role may do, and how secrets are made and
 * checked, is the auth module's (innolink/auth.h).  Strings are borrowed
 * for the call on input; on output they belong to the struct and are freed
 * by il_account_release().
 */
struct il_account {
	int64_t id; /* the store's key, 0 before it is stored */
	char *name; /* log-in name, unique */
	char *role; /* "operator", "city_operator", "enterprise", ... */
	char *region; /* a city operator's region; NULL for the others */
	char *org; /* the organization an enterprise, institution or agency acts for */
	char *person; /* the person record an expert is */
	char *display; /* a name to show, NULL for none */
	bool disabled;
	char *created_at;
};

void il_account_release(struct il_account *a);

/* Adds an account with its password hash (NULL: it cannot log in until
 * one is set).  IL_ECONFLICT when the name is taken, IL_ESTORE, IL_ENOMEM. */
int il_store_account_add(struct il_store *s, struct il_account *a, const char *pwhash);
/* The account of this name; *pwhash (may be NULL) gets its password hash,
 * NULL when it has none (caller frees with free()).  IL_ENOTFOUND. */
int il_store_account_get(struct il_store *s, const char *name, struct il_account *out,
			 char **pwhash);
/* Every account in name order; the account is borrowed for the call. */
int il_store_account_list(struct il_store *s, int (*fn)(const struct il_account *a, void *ctx),
			  void *ctx);
int il_store_account_count(struct il_store *s, size_t *out);
/* Disables or enables an account; disabling also ends its sessions and
 * revokes its tokens.  IL_ENOTFOUND. */
int il_store_account_set_disabled(struct il_store *s, const char *name, bool disabled);
int il_store_account_set_password(struct il_store *s, const char *name, const char *pwhash);

/* A session: the hash of its cookie's token, the CSRF token forms send
 * back, and when it ends (seconds since the epoch). */
int il_store_session_add(struct il_store *s, int64_t account, const char *token_hash,
			 const char *csrf, int64_t expires);
/* The enabled account of an unexpired session, and its CSRF token (caller
 * frees *csrf).  IL_ENOTFOUND for an unknown, expired or disabled one. */
int il_store_session_find(struct il_store *s, const char *token_hash, int64_t now,
			  struct il_account *out, char **csrf);
/* Ends a session, and any expired ones on the way.  IL_OK when none. */
int il_store_session_delete(struct il_store *s, const char *token_hash, int64_t now);

/* An API token: *id gets its number, by which it is listed and revoked. */
int il_store_token_add(struct il_store *s, int64_t account, const char *token_hash,
		       const char *label, int64_t *id);
/* The enabled account of an unrevoked token.  IL_ENOTFOUND. */
int il_store_token_find(struct il_store *s, const char *token_hash, struct il_account *out);
/* Revokes token `id` of account `account` (0: of any account).  IL_ENOTFOUND. */
int il_store_token_revoke(struct il_store *s, int64_t account, int64_t id);

struct il_token_info {
	int64_t id;
	const char *label, *created_at; /* borrowed for the callback */
	bool revoked;
};

/* The tokens of an account, oldest first. */
int il_store_token_list(struct il_store *s, int64_t account,
			int (*fn)(const struct il_token_info *t, void *ctx), void *ctx);

/* Appends to the audit log of account administration: who did what to
 * which account or token.  `target` and `detail` may be NULL. */
int il_store_audit(struct il_store *s, const char *actor, const char *action, const char *target,
		   const char *detail);
/* "sqlite" or "postgres".  Static. */
const char *il_store_backend(struct il_store *s);

/*
 * Change notification, for processes that keep something derived from the
 * store (a server's search index) while other processes write to it.
 * il_store_listen() subscribes this handle; il_store_wait_change() then
 * waits up to timeout_ms for another handle's commit of a change-log entry
 * and sets *changed (false on timeout).  *changed is also set after the
 * connection was lost and made again, since notifications may have been
 * missed meanwhile: either way the caller catches up with
 * il_store_changes() from the last sequence it applied, with this handle
 * or another.  IL_EUNSUPPORTED on SQLite (poll il_store_last_change()
 * there), IL_EIO when the server cannot be reached (the next call tries
 * to connect again).
 */
int il_store_listen(struct il_store *s);
int il_store_wait_change(struct il_store *s, int timeout_ms, bool *changed);

/*
 * Copies every row of every table of `from` into `to`, which must hold no
 * records yet (a new database: open it with IL_STORE_CREATE), keeping
 * row ids, versions, times, history, name keys and the change log with its
 * sequence numbers, in one transaction of `to`: copying SQLite to
 * PostgreSQL and back gives the same rows.  Both must be at this program's
 * schema version.  progress (may be NULL) is called now and then with the
 * fraction of rows copied.  *rows (may be NULL) gets the number of rows.
 * IL_EINVAL (`to` is not empty: the detail names a table), IL_ESTORE,
 * IL_EIO, IL_ENOMEM.
 */
int il_store_copy(struct il_store *from, struct il_store *to,
		  void (*progress)(double fraction, size_t rows, void *ctx), void *ctx,
		  size_t *rows);

#endif
