/*
 * account.c - accounts, sessions, API tokens and the audit log (schema 5).
 *
 * Only the store's side: rows in, rows out, every value bound.  Secrets
 * never reach this file; the auth module hands over their hashes.  A
 * disabled account finds no session and no token, so disabling takes
 * effect on the next request without the sessions having to be found.
 *
 * Depends on: base, the store's driver.
 */
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#define ACCOUNT_COLS "a.pk,a.name,a.role,a.region,a.org,a.person,a.display,a.disabled,a.created_at"

static const char sql_account_add[] =
	"INSERT INTO account (name,role,region,org,person,display,pwhash,created_at) "
	"VALUES (?,?,?,?,?,?,?,?)";
static const char sql_account_get[] =
	"SELECT " ACCOUNT_COLS ",a.pwhash FROM account a WHERE a.name = ?";
static const char sql_account_list[] = "SELECT " ACCOUNT_COLS " FROM account a ORDER BY a.name";
static const char sql_account_count[] = "SELECT count(*) FROM account";
static const char sql_account_disable[] = "UPDATE account SET disabled = ? WHERE name = ?";
static const char sql_account_password[] = "UPDATE account SET pwhash = ? WHERE name = ?";
static const char sql_session_add[] =
	"INSERT INTO session (token_hash,account,csrf,created_at,expires) VALUES (?,?,?,?,?)";
static const char sql_session_find[] =
	"SELECT " ACCOUNT_COLS ",s.csrf FROM session s JOIN account a ON a.pk = s.account "
	"WHERE s.token_hash = ? AND s.expires > ? AND a.disabled = 0";
static const char sql_session_delete[] = "DELETE FROM session WHERE token_hash = ? OR expires <= ?";
static const char sql_session_drop_account[] =
	"DELETE FROM session WHERE account = (SELECT pk FROM account WHERE name = ?)";
static const char sql_token_add[] =
	"INSERT INTO api_token (token_hash,account,label,created_at) VALUES (?,?,?,?)";
static const char sql_token_find[] =
	"SELECT " ACCOUNT_COLS " FROM api_token t JOIN account a ON a.pk = t.account "
	"WHERE t.token_hash = ? AND t.revoked = 0 AND a.disabled = 0";
static const char sql_token_revoke[] =
	"UPDATE api_token SET revoked = 1 WHERE pk = ? AND (? = 0 OR account = ?) AND revoked = 0";
static const char sql_token_revoke_account[] =
	"UPDATE api_token SET revoked = 1 "
	"WHERE account = (SELECT pk FROM account WHERE name = ?) AND revoked = 0";
static const char sql_token_list[] =
	"SELECT pk,label,created_at,revoked FROM api_token WHERE account = ? ORDER BY pk";
static const char sql_audit[] =
	"INSERT INTO audit (at,actor,action,target,detail) VALUES (?,?,?,?,?)";

void il_account_release(struct il_account *a)
{
	free(a->name);
	free(a->role);
	free(a->region);
	free(a->org);
	free(a->person);
	free(a->display);
	free(a->created_at);
	memset(a, 0, sizeof(*a));
}

static int bind_opt(const struct il__driver *d, struct il__stmt *st, int i, const char *v)
{
	return v ? d->bind_text(st, i, v) : d->bind_null(st, i);
}

static int col_dup(const struct il__driver *d, struct il__stmt *st, int i, char **out)
{
	*out = NULL;
	if (d->col_null(st, i))
		return IL_OK;
	if (!(*out = il_strdup(d->col_text(st, i))))
		return il_error_set(IL_ENOMEM, "out of memory reading an account");
	return IL_OK;
}

/* Reads the ACCOUNT_COLS of the current row, starting at column 0. */
static int read_account(const struct il__driver *d, struct il__stmt *st, struct il_account *a)
{
	int rc;
	memset(a, 0, sizeof(*a));
	a->id = d->col_int(st, 0);
	a->disabled = d->col_int(st, 7) != 0;
	if ((rc = col_dup(d, st, 1, &a->name)) || (rc = col_dup(d, st, 2, &a->role)) ||
	    (rc = col_dup(d, st, 3, &a->region)) || (rc = col_dup(d, st, 4, &a->org)) ||
	    (rc = col_dup(d, st, 5, &a->person)) || (rc = col_dup(d, st, 6, &a->display)) ||
	    (rc = col_dup(d, st, 8, &a->created_at)))
		il_account_release(a);
	return rc;
}

/* Runs a statement that returns no rows; *changed (may be NULL) gets the
 * number of rows it changed. */
static int run(struct il_store *s, struct il__stmt *st, int rc, int64_t *changed)
{
	const struct il__driver *d = il__store_driver(s);
	bool row;
	if (!rc)
		rc = d->step(st, &row);
	if (!rc && changed)
		*changed = d->changes(il__store_db(s));
	il__store_stmt_done(s, st);
	return rc;
}

int il_store_account_add(struct il_store *s, struct il_account *a, const char *pwhash)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	char now[21];
	bool row;
	int rc;
	il_time_now(now);
	if ((rc = il__store_stmt(s, sql_account_add, &st)) != IL_OK)
		return rc;
	if (!(rc = d->bind_text(st, 1, a->name)) && !(rc = d->bind_text(st, 2, a->role)) &&
	    !(rc = bind_opt(d, st, 3, a->region)) && !(rc = bind_opt(d, st, 4, a->org)) &&
	    !(rc = bind_opt(d, st, 5, a->person)) && !(rc = bind_opt(d, st, 6, a->display)) &&
	    !(rc = bind_opt(d, st, 7, pwhash)) && !(rc = d->bind_text(st, 8, now)))
		rc = d->step(st, &row);
	il__store_stmt_done(s, st);
	if (rc && d->constraint_error(il__store_db(s)))
		return il_error_set(IL_ECONFLICT, "an account named '%s' already exists", a->name);
	if (rc)
		return rc;
	a->id = d->last_id(il__store_db(s));
	return IL_OK;
}

int il_store_account_get(struct il_store *s, const char *name, struct il_account *out,
			 char **pwhash)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row = false;
	int rc;
	memset(out, 0, sizeof(*out));
	if (pwhash)
		*pwhash = NULL;
	if ((rc = il__store_stmt(s, sql_account_get, &st)) != IL_OK)
		return rc;
	if (!(rc = d->bind_text(st, 1, name)))
		rc = d->step(st, &row);
	if (!rc && !row)
		rc = il_error_set(IL_ENOTFOUND, "no account named '%s'", name);
	if (!rc)
		rc = read_account(d, st, out);
	if (!rc && pwhash && (rc = col_dup(d, st, 9, pwhash)) != IL_OK)
		il_account_release(out);
	il__store_stmt_done(s, st);
	return rc;
}

int il_store_account_list(struct il_store *s, int (*fn)(const struct il_account *a, void *ctx),
			  void *ctx)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row = true;
	int rc = il__store_stmt(s, sql_account_list, &st);
	while (!rc && !(rc = d->step(st, &row)) && row) {
		struct il_account a;
		if ((rc = read_account(d, st, &a)) != IL_OK)
			break;
		rc = fn(&a, ctx);
		il_account_release(&a);
	}
	il__store_stmt_done(s, st);
	return rc;
}

int il_store_account_count(struct il_store *s, size_t *out)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row = false;
	int rc = il__store_stmt(s, sql_account_count, &st);
	*out = 0;
	if (!rc)
		rc = d->step(st, &row);
	if (!rc && row)
		*out = (size_t)d->col_int(st, 0);
	il__store_stmt_done(s, st);
	return rc;
}

/* One of the account updates by name; IL_ENOTFOUND when no row changed. */
static int update_by_name(struct il_store *s, const char *sql, const char *name, const char *text,
			  int64_t num)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	int64_t changed = 0;
	int rc = il__store_stmt(s, sql, &st);
	if (!rc)
		rc = text ? d->bind_text(st, 1, text) : d->bind_int(st, 1, num);
	if (!rc)
		rc = d->bind_text(st, 2, name);
	if ((rc = run(s, st, rc, &changed)) != IL_OK)
		return rc;
	if (changed == 0)
		return il_error_set(IL_ENOTFOUND, "no account named '%s'", name);
	return IL_OK;
}

static int name_only(struct il_store *s, const char *sql, const char *name)
{
	struct il__stmt *st = NULL;
	int rc = il__store_stmt(s, sql, &st);
	if (!rc)
		rc = il__store_driver(s)->bind_text(st, 1, name);
	return run(s, st, rc, NULL);
}

struct disable_ctx {
	const char *name;
	bool disabled;
};

static int disable_tx(struct il_store *s, const struct disable_ctx *c)
{
	int rc = update_by_name(s, sql_account_disable, c->name, NULL, c->disabled ? 1 : 0);
	if (!rc && c->disabled)
		rc = name_only(s, sql_session_drop_account, c->name);
	if (!rc && c->disabled)
		rc = name_only(s, sql_token_revoke_account, c->name);
	return rc;
}

int il_store_account_set_disabled(struct il_store *s, const char *name, bool disabled)
{
	struct disable_ctx c = {name, disabled};
	int rc;
	if (il__store_in_tx(s))
		return disable_tx(s, &c);
	if ((rc = il_store_begin(s)) != IL_OK)
		return rc;
	if ((rc = disable_tx(s, &c)) != IL_OK) {
		il_store_rollback(s);
		return rc;
	}
	return il_store_commit(s);
}

int il_store_account_set_password(struct il_store *s, const char *name, const char *pwhash)
{
	return update_by_name(s, sql_account_password, name, pwhash, 0);
}

int il_store_session_add(struct il_store *s, int64_t account, const char *token_hash,
			 const char *csrf, int64_t expires)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	char now[21];
	int rc = il__store_stmt(s, sql_session_add, &st);
	il_time_now(now);
	if (!rc && !(rc = d->bind_text(st, 1, token_hash)) && !(rc = d->bind_int(st, 2, account)) &&
	    !(rc = d->bind_text(st, 3, csrf)) && !(rc = d->bind_text(st, 4, now)))
		rc = d->bind_int(st, 5, expires);
	return run(s, st, rc, NULL);
}

/* The account of the first row of a lookup by token hash; `extra`, when
 * not NULL, gets the column after the account's. */
static int find_by_hash(struct il_store *s, const char *sql, const char *hash, int64_t now,
			struct il_account *out, char **extra)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row = false;
	int rc = il__store_stmt(s, sql, &st);
	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = d->bind_text(st, 1, hash);
	if (!rc && now)
		rc = d->bind_int(st, 2, now);
	if (!rc)
		rc = d->step(st, &row);
	if (!rc && !row)
		rc = il_error_set(IL_ENOTFOUND, "no such session or token");
	if (!rc)
		rc = read_account(d, st, out);
	if (!rc && extra && (rc = col_dup(d, st, 9, extra)) != IL_OK)
		il_account_release(out);
	il__store_stmt_done(s, st);
	return rc;
}

int il_store_session_find(struct il_store *s, const char *token_hash, int64_t now,
			  struct il_account *out, char **csrf)
{
	return find_by_hash(s, sql_session_find, token_hash, now, out, csrf);
}

int il_store_session_delete(struct il_store *s, const char *token_hash, int64_t now)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	int rc = il__store_stmt(s, sql_session_delete, &st);
	if (!rc)
		rc = d->bind_text(st, 1, token_hash);
	if (!rc)
		rc = d->bind_int(st, 2, now);
	return run(s, st, rc, NULL);
}

int il_store_token_add(struct il_store *s, int64_t account, const char *token_hash,
		       const char *label, int64_t *id)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	char now[21];
	int rc = il__store_stmt(s, sql_token_add, &st);
	il_time_now(now);
	if (!rc && !(rc = d->bind_text(st, 1, token_hash)) && !(rc = d->bind_int(st, 2, account)) &&
	    !(rc = bind_opt(d, st, 3, label)))
		rc = d->bind_text(st, 4, now);
	if ((rc = run(s, st, rc, NULL)) != IL_OK)
		return rc;
	*id = d->last_id(il__store_db(s));
	return IL_OK;
}

int il_store_token_find(struct il_store *s, const char *token_hash, struct il_account *out)
{
	return find_by_hash(s, sql_token_find, token_hash, 0, out, NULL);
}

int il_store_token_revoke(struct il_store *s, int64_t account, int64_t id)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	int64_t changed = 0;
	int rc = il__store_stmt(s, sql_token_revoke, &st);
	if (!rc && !(rc = d->bind_int(st, 1, id)) && !(rc = d->bind_int(st, 2, account)))
		rc = d->bind_int(st, 3, account);
	if ((rc = run(s, st, rc, &changed)) != IL_OK)
		return rc;
	if (changed == 0)
		return il_error_set(IL_ENOTFOUND, "no active token %lld", (long long)id);
	return IL_OK;
}

int il_store_token_list(struct il_store *s, int64_t account,
			int (*fn)(const struct il_token_info *t, void *ctx), void *ctx)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	bool row = true;
	int rc = il__store_stmt(s, sql_token_list, &st);
	if (!rc)
		rc = d->bind_int(st, 1, account);
	while (!rc && !(rc = d->step(st, &row)) && row) {
		struct il_token_info t;
		t.id = d->col_int(st, 0);
		t.label = d->col_null(st, 1) ? "" : d->col_text(st, 1);
		t.created_at = d->col_text(st, 2);
		t.revoked = d->col_int(st, 3) != 0;
		rc = fn(&t, ctx);
	}
	il__store_stmt_done(s, st);
	return rc;
}

int il_store_audit(struct il_store *s, const char *actor, const char *action, const char *target,
		   const char *detail)
{
	const struct il__driver *d = il__store_driver(s);
	struct il__stmt *st = NULL;
	char now[21];
	int rc = il__store_stmt(s, sql_audit, &st);
	il_time_now(now);
	if (!rc && !(rc = d->bind_text(st, 1, now)) && !(rc = d->bind_text(st, 2, actor)) &&
	    !(rc = d->bind_text(st, 3, action)) && !(rc = bind_opt(d, st, 4, target)))
		rc = bind_opt(d, st, 5, detail);
	return run(s, st, rc, NULL);
}
