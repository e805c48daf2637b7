/*
 * sql.c - statements of the modules above the store on their own tables.
 *
 * The trade module keeps its pipeline history, ratings, notifications and
 * milestones in tables of the store's schema (migration 6).  It reaches
 * them through il_store_sql(): '?' placeholders only, every value bound,
 * so the text is portable to each driver and nothing of the input can
 * become SQL.  Depends on the driver (store_internal.h) only.
 */
#include "store_internal.h"

#define SQL_MAX_COLS 32

static int bind_params(const struct il__driver *drv, struct il__stmt *st, const char *const *params,
		       size_t nparams)
{
	int (*bind)(struct il__stmt *, int, const char *) =
		drv->bind_untyped ? drv->bind_untyped : drv->bind_text;
	int rc = IL_OK;
	for (size_t i = 0; i < nparams && !rc; i++)
		rc = params[i] ? bind(st, (int)i + 1, params[i]) : drv->bind_null(st, (int)i + 1);
	return rc;
}

/* Binds, steps and hands each row to fn; the caller owns the statement. */
static int run(const struct il__driver *drv, struct il__stmt *st, const char *const *params,
	       size_t nparams, size_t ncols, int (*fn)(const char *const *cols, void *ctx),
	       void *ctx)
{
	const char *cols[SQL_MAX_COLS];
	bool row = true;
	if (ncols > SQL_MAX_COLS)
		return il_error_set(IL_EINVAL, "a statement may return at most %d columns",
				    SQL_MAX_COLS);
	int rc = bind_params(drv, st, params, nparams);
	while (!rc && row) {
		rc = drv->step(st, &row);
		if (rc || !row || !fn)
			continue;
		for (size_t i = 0; i < ncols; i++)
			cols[i] = drv->col_null(st, (int)i) ? NULL : drv->col_text(st, (int)i);
		rc = fn(cols, ctx);
	}
	return rc;
}

int il_store_sql(struct il_store *s, const char *sql, const char *const *params, size_t nparams,
		 size_t ncols, int (*fn)(const char *const *cols, void *ctx), void *ctx)
{
	const struct il__driver *drv = il__store_driver(s);
	struct il__stmt *st = NULL;
	int rc = drv->prepare(il__store_db(s), sql, &st);
	if (!rc)
		rc = run(drv, st, params, nparams, ncols, fn, ctx);
	if (st)
		drv->finalize(st);
	return rc;
}

int il__store_sql_static(struct il_store *s, const char *sql, const char *const *params,
			 size_t nparams, size_t ncols,
			 int (*fn)(const char *const *cols, void *ctx), void *ctx)
{
	const struct il__driver *drv = il__store_driver(s);
	struct il__stmt *st = NULL;
	int rc = il__store_stmt(s, sql, &st);
	if (!rc)
		rc = run(drv, st, params, nparams, ncols, fn, ctx);
	il__store_stmt_done(s, st);
	return rc;
}
